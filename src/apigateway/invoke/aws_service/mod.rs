//! `AWS` integrations that call an AWS service other than Lambda: the integration URI
//! `arn:aws:apigateway:<region>:<service>:action/<Action>` or `arn:aws:apigateway:<region>:<service>:path/<path>`,
//! signed with the role in the integration's `credentials`.
//!
//! Sources: "Set up an API integration request in API Gateway" (`uri` for AWS integrations: "action/{service_api}"
//! or "path/{service_api}", called on the service's regional endpoint `https://<service>.<region>.amazonaws.com`),
//! "Tutorial: Create a REST API as an Amazon S3 proxy", "Tutorial: Create a REST API with an Amazon SQS
//! integration" and the DynamoDB "Create a REST API ... integration" walkthroughs; API Gateway developer guide
//! "Set up integration responses" (selection patterns match the service's status code for AWS service
//! integrations; apigateway-facts (a)).
//!
//! The call is made as `arn:aws:sts::<account>:assumed-role/<role>/BackplaneAssumeRoleSession` (the session name
//! API Gateway uses, seen in the AccessDenied messages its service calls receive), so the service checks the
//! role's policies and answers its own AccessDenied error, which goes through the integration responses like any
//! other answer of the service. A role whose trust policy does not let `apigateway.amazonaws.com` assume it
//! answers 500, logged `Execution failed due to configuration error: API Gateway does not have permission to assume
//! the provided role <role ARN>` (AWS's log text as users report it). `credentials` `arn:aws:iam::*:user/*` (the
//! caller's own credentials) and integrations without credentials are not simulated, loudly.
//!
//! Services: DynamoDB ([`dynamodb`], `action/<Operation>`), SQS and SNS ([`query`]: the query protocol, `action/`
//! or SQS's `path/<account>/<queue>`), S3 ([`s3`], `path/<bucket>/<key>` with the integration's HTTP method).
//! The call takes [`crate::js::sdk::SDK_CALL_LATENCY_MS`] of virtual time, the integration latency logged.
//! Header maps logged for the endpoint request follow the Lambda integration's recorded log (apigateway-facts
//! (d)); the service's response headers are the ones its responses carry, in an order of ours.

pub mod dynamodb;
pub mod query;
pub mod s3;

use crate::api::{ApiRequest, AwsError, Caller};
use crate::apigateway::context::format_millis;
use crate::apigateway::http::header_value;
use crate::apigateway::invoke::integration::{EndpointResponse, Outcome, Selector};
use crate::apigateway::invoke::integration_request::{signed_headers, IntegrationRequest};
use crate::apigateway::invoke::{ChainError, GatewayError, MethodCall, NotSimulated};
use crate::apigateway::model::Integration;
use crate::apigateway::trace::{EndpointResponseRecord, Trace};
use crate::cloud::Cloud;
use indexmap::IndexMap;
use serde_json::Value as Json;

/// The session name of the role API Gateway assumes for an integration (module docs).
pub const SESSION_NAME: &str = "BackplaneAssumeRoleSession";
/// The service principal that assumes integration roles.
pub const PRINCIPAL: &str = "apigateway.amazonaws.com";

/// What the URI asks of the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceApi {
    /// `action/<Action>`.
    Action(String),
    /// `path/<path>` (path parameters already substituted).
    Path(String),
}

/// A parsed AWS service integration URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceUri {
    /// The region in the URI.
    pub region: String,
    /// The service (`dynamodb`, `sqs`, `sns`, `s3`); a `<subdomain>.<service>` form keeps the service part.
    pub service: String,
    /// The action or path.
    pub api: ServiceApi,
}

/// Reads `arn:<partition>:apigateway:<region>:<service>:(action|path)/<rest>`; `None` for anything else.
pub fn parse_uri(uri: &str) -> Option<ServiceUri> {
    let mut parts = uri.splitn(6, ':');
    let (arn, _partition, apigateway) = (parts.next()?, parts.next()?, parts.next()?);
    if arn != "arn" || apigateway != "apigateway" {
        return None;
    }
    let (region, service, rest) = (parts.next()?, parts.next()?, parts.next()?);
    let service = service.rsplit('.').next().unwrap_or(service);
    let api = if let Some(action) = rest.strip_prefix("action/") {
        ServiceApi::Action(action.to_string())
    } else {
        ServiceApi::Path(rest.strip_prefix("path/")?.to_string())
    };
    if region.is_empty() || service.is_empty() {
        return None;
    }
    Some(ServiceUri {
        region: region.to_string(),
        service: service.to_string(),
        api,
    })
}

/// What a service answered, as the endpoint response.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceAnswer {
    /// Status code.
    pub status: u16,
    /// Response headers (before `Date` / `Content-Length`, which [`call`] adds).
    pub headers: IndexMap<String, String>,
    /// Body.
    pub body: String,
}

/// What the endpoint request is, before it is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointRequest {
    /// The URL logged (`Endpoint request URI`, `Sending request to`).
    pub url: String,
    /// Headers the protocol adds (`X-Amz-Target`, `Content-Type`).
    pub headers: IndexMap<String, String>,
}

/// The context a service adapter works in.
pub struct ServiceCall<'a> {
    /// The parsed URI.
    pub uri: &'a ServiceUri,
    /// The integration request (body after templates, mapped headers and query string).
    pub request: &'a IntegrationRequest,
    /// The integration (`httpMethod` for S3).
    pub integration: &'a Integration,
    /// The role's session.
    pub caller: Caller,
}

impl ServiceCall<'_> {
    /// A mapped header of the integration request (quotes of a `'literal'` mapping removed).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.request.headers, name).map(|v| v.trim_matches('\''))
    }

    /// Calls the simulated service as the role; a service answering "not simulated" stops the request loudly.
    ///
    /// The call is a span of the request's trace ([`crate::trace::SpanKind::SdkCall`]) over the
    /// [`crate::js::sdk::SDK_CALL_LATENCY_MS`] the clock has already moved for it ([`call`]).
    pub fn api(
        &self,
        cloud: &mut Cloud,
        service: &str,
        operation: &str,
        input: &Json,
    ) -> Result<Result<Json, AwsError>, NotSimulated> {
        let now = cloud.clock.now_millis();
        let kind = || crate::trace::SpanKind::SdkCall {
            service: service.to_string(),
            operation: operation.to_string(),
            resource: crate::trace::resource_of(service, input),
        };
        let span = cloud
            .traces
            .begin(kind, now.saturating_sub(crate::js::sdk::SDK_CALL_LATENCY_MS));
        let result = cloud.call(&ApiRequest {
            service,
            operation,
            input,
            caller: &self.caller,
        });
        let status = match &result {
            Ok(_) => crate::trace::SpanStatus::Ok,
            Err(e) => crate::trace::SpanStatus::of_error_code(&e.code),
        };
        cloud.traces.end(span, now, status);
        match result {
            Err(e) if e.code == "NotSimulated" => Err(NotSimulated(
                e.message.trim_start_matches("not simulated: ").to_string(),
            )),
            other => Ok(other),
        }
    }
}

/// `https://<service>.<region>.amazonaws.com`.
pub fn endpoint_host(service: &str, region: &str) -> String {
    format!("https://{service}.{region}.amazonaws.com")
}

/// The role the integration's `credentials` name, after API Gateway assumed it.
///
/// Errors: not simulated without credentials or with the caller's credentials; a 500 configuration error when
/// the role's trust policy does not let API Gateway assume it (module docs).
fn assume(cloud: &Cloud, integration: &Integration) -> Result<Caller, ChainError> {
    let Some(role) = integration.credentials.as_deref() else {
        return Err(NotSimulated("an AWS service integration without credentials (an execution role)".into()).into());
    };
    if role.contains(":user/") {
        return Err(NotSimulated(format!(
            "integration credentials {role} (calling the service with the caller's own credentials)"
        ))
        .into());
    }
    if crate::iam::role_trusts_service(cloud, role, PRINCIPAL) != Some(true) {
        return Err(GatewayError::configuration(&format!(
            "API Gateway does not have permission to assume the provided role {role}"
        ))
        .into());
    }
    Ok(Caller::assumed_role(role, SESSION_NAME))
}

/// Calls the AWS service of an `AWS` integration whose URI is not a Lambda function.
///
/// Errors: not simulated for other URIs, services or operations (module docs); the configuration error of a role
/// API Gateway cannot assume.
pub fn call(
    cloud: &mut Cloud,
    call: &MethodCall<'_>,
    integration: &Integration,
    request: &IntegrationRequest,
    trace: &mut Trace,
) -> Result<Outcome, ChainError> {
    let uri_text = request.uri.as_deref().unwrap_or_default();
    let uri = parse_uri(uri_text)
        .ok_or_else(|| NotSimulated(format!("AWS integration URI {uri_text} (expected arn:aws:apigateway:<region>:<service>:action/<Action> or :path/<path>)")))?;
    if uri.region != cloud.region {
        return Err(NotSimulated(format!(
            "an AWS service integration in region {} (the simulated account is in {})",
            uri.region, cloud.region
        ))
        .into());
    }
    let caller = assume(cloud, integration)?;
    let service_call = ServiceCall {
        uri: &uri,
        request,
        integration,
        caller,
    };
    let endpoint = match uri.service.as_str() {
        "dynamodb" => dynamodb::endpoint(&service_call)?,
        "sqs" | "sns" => query::endpoint(&service_call)?,
        "s3" => s3::endpoint(&service_call)?,
        other => {
            return Err(NotSimulated(format!(
                "AWS service integrations with {other} (simulated: dynamodb, sqs, sns, s3)"
            ))
            .into())
        }
    };
    let api_id = call
        .context
        .get()
        .get("apiId")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_string();
    let now = cloud.clock.now_millis();
    record_endpoint_request(cloud, trace, &endpoint, &api_id, now, &request.headers);
    cloud.clock.advance(crate::js::sdk::SDK_CALL_LATENCY_MS);
    let answer = match uri.service.as_str() {
        "dynamodb" => dynamodb::send(cloud, &service_call)?,
        "sqs" | "sns" => query::send(cloud, &service_call)?,
        _ => s3::send(cloud, &service_call)?,
    };
    let latency = cloud.clock.now_millis().saturating_sub(now);
    let headers = with_standard_headers(answer.headers, &answer.body, cloud.clock.now_millis());
    trace.endpoint_response = Some(EndpointResponseRecord {
        status: answer.status,
        headers: headers.clone(),
        body: answer.body.clone(),
        latency_millis: latency,
    });
    Ok(Outcome::Endpoint(EndpointResponse {
        status: answer.status,
        headers,
        body: answer.body,
        selector: Selector::StatusCode,
    }))
}

/// The service's headers with `Date` first and `Content-Length` after `Content-Type` (or last).
fn with_standard_headers(headers: IndexMap<String, String>, body: &str, now: u64) -> IndexMap<String, String> {
    let date = format_millis(
        now,
        time::macros::format_description!(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
        ),
    );
    let mut out = IndexMap::new();
    out.insert("Date".to_string(), date);
    for (k, v) in headers {
        let is_type = k == "Content-Type";
        out.insert(k, v);
        if is_type {
            out.insert("Content-Length".to_string(), body.len().to_string());
        }
    }
    out.entry("Content-Length".to_string())
        .or_insert_with(|| body.len().to_string());
    out
}

/// Records the endpoint request as the execution log shows it: the service URL, API Gateway's signed headers,
/// the protocol's headers, then the integration's mapped headers.
fn record_endpoint_request(
    cloud: &mut Cloud,
    trace: &mut Trace,
    endpoint: &EndpointRequest,
    api_id: &str,
    now: u64,
    mapped: &IndexMap<String, String>,
) {
    let Some(record) = trace.integration_request.as_mut() else {
        return;
    };
    let mut headers = IndexMap::new();
    signed_headers(cloud, api_id, now, &mut headers);
    headers.extend(endpoint.headers.iter().map(|(k, v)| (k.clone(), v.clone())));
    headers.extend(
        mapped
            .iter()
            .map(|(k, v)| (k.clone(), v.trim_matches('\'').to_string())),
    );
    record.uri = Some(endpoint.url.clone());
    record.headers = headers;
}

/// `text` with `&`, `<`, `>`, `"` and `'` escaped for XML.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_name_service_and_action_or_path() {
        assert_eq!(
            parse_uri("arn:aws:apigateway:us-east-1:dynamodb:action/PutItem"),
            Some(ServiceUri {
                region: "us-east-1".into(),
                service: "dynamodb".into(),
                api: ServiceApi::Action("PutItem".into())
            })
        );
        assert_eq!(
            parse_uri("arn:aws:apigateway:us-east-1:sqs:path/123456789012/jobs").map(|u| u.api),
            Some(ServiceApi::Path("123456789012/jobs".into()))
        );
        assert_eq!(
            parse_uri("arn:aws:apigateway:us-east-1:my-bucket.s3:path/{key}").map(|u| u.service),
            Some("s3".into())
        );
        assert_eq!(parse_uri("arn:aws:apigateway:us-east-1:sqs:other/x"), None);
        assert_eq!(parse_uri("https://example.com"), None);
    }

    #[test]
    fn xml_text_is_escaped() {
        assert_eq!(xml_escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
    }
}
