//! Calling a Lambda function from an `AWS` (custom) or `AWS_PROXY` integration: the function named by the
//! integration URI, API Gateway's permission on it, the synchronous `Invoke`, the integration timeout, and the
//! endpoint request and response as the execution log shows them.
//!
//! Sources: "Set up Lambda custom integrations in API Gateway" and "Set up Lambda proxy integrations in API
//! Gateway" (the URI `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`,
//! called as `POST https://lambda.<region>.amazonaws.com/2015-03-31/functions/<function ARN>/invocations`);
//! lambda-facts §5.3 (a missing permission answers 500, logged `Execution failed due to configuration error:
//! Invalid permissions on Lambda function`; the 29 s integration timeout answers 504 `Endpoint request timed
//! out`); apigateway-facts (d) (the endpoint request and response header maps AWS logs, and `Lambda execution
//! failed with status 200 due to customer function error: <errorMessage>. Lambda request id: <id>`). The
//! timeout's log line `Execution failed due to a timeout error` is the one AWS writes in CloudWatch execution
//! logs (public logs).
//!
//! The source ARN API Gateway presents is `arn:<partition>:execute-api:<region>:<account>:<api-id>/<stage>/
//! <METHOD>/<resource path>` with the request's method and the matched resource's path template (`pets/{id}`):
//! the path as sent cannot be it, since SAM's own Hello World output URL `.../Prod/hello/` (trailing slash) works
//! with SAM's permission on `.../*/GET/hello`; SAM's `*` for `{id}` matches the template too. In test invoke the
//! stage is `test-invoke-stage`. Virtual time: the integration latency is the virtual
//! time the invocation took; an invocation longer than `timeoutInMillis` is a timeout (the function itself runs
//! to its end, as it does on AWS, and the clock with it). Our readings where AWS does not say: an unknown
//! function fails the permission check (it has no policy); a Lambda service error other than an unparsable event
//! is a 500 logged `Lambda invocation failed with status: <status>. Lambda request id: <id>`; the mask and
//! length of the logged `Authorization` and `X-Amz-Security-Token` values are ours.

use crate::apigateway::context::format_millis;
use crate::apigateway::http::header_value;
use crate::apigateway::invoke::integration_request::{signed_headers, IntegrationRequest};
use crate::apigateway::invoke::{ChainError, GatewayError, MethodCall, NotSimulated};
use crate::apigateway::model::Integration;
use crate::apigateway::responses::GatewayResponseType;
use crate::apigateway::trace::{EndpointResponseRecord, Trace};
use crate::cloud::Cloud;
use crate::lambda::permissions::{allows_invoke, InvokeSource};
use crate::lambda::{self, InvocationType, InvokeError, InvokeOutput};
use indexmap::IndexMap;
use serde_json::Value as Json;

/// The service principal API Gateway invokes functions as.
pub const PRINCIPAL: &str = "apigateway.amazonaws.com";

/// What a successful `Invoke` gave the integration.
#[derive(Debug, Clone, PartialEq)]
pub struct LambdaResponse {
    /// The `Invoke` output.
    pub output: InvokeOutput,
    /// The response headers Lambda sent (as logged).
    pub headers: IndexMap<String, String>,
}

/// What the function's call ended in, before the integration type gives it meaning.
#[derive(Debug, Clone, PartialEq)]
pub enum LambdaCall {
    /// Lambda answered the invocation (the function may still have failed: `output.function_error`).
    Answered(LambdaResponse),
    /// Lambda refused the event as not JSON: AWS passes Lambda's 400 on to the client as `{"message": ...}`.
    EventNotJson(String),
}

/// The function ARN (possibly qualified) in a Lambda integration URI, or `None` when the URI is not a Lambda
/// invocation path.
pub fn function_from_uri(uri: &str) -> Option<&str> {
    let (_, rest) = uri.split_once(":lambda:path/2015-03-31/functions/")?;
    let function = rest.strip_suffix("/invocations")?;
    (!function.is_empty()).then_some(function)
}

/// `https://lambda.<region>.amazonaws.com/2015-03-31/functions/<function>/invocations`.
pub fn endpoint_url(region: &str, function: &str) -> String {
    format!("https://lambda.{region}.amazonaws.com/2015-03-31/functions/{function}/invocations")
}

/// Invokes the function of a Lambda integration with `event`, as API Gateway does.
///
/// Errors: a gateway error for a missing permission, a Lambda error or a timeout; not simulated for a URI that is
/// not a Lambda function (AWS service integrations) or code the simulator cannot run.
pub fn call(
    cloud: &mut Cloud,
    call: &MethodCall<'_>,
    integration: &Integration,
    request: &IntegrationRequest,
    invocation_type: InvocationType,
    trace: &mut Trace,
) -> Result<LambdaCall, ChainError> {
    let uri = request.uri.as_deref().unwrap_or_default();
    let Some(function) = function_from_uri(uri) else {
        return Err(NotSimulated(format!(
            "{} integration with AWS service URI {uri} (only Lambda function URIs are simulated)",
            integration.integration_type.as_str()
        ))
        .into());
    };
    let context = call.context.get();
    let text = |name: &str| context.get(name).and_then(Json::as_str).unwrap_or_default().to_string();
    let (api_id, stage, request_id) = (text("apiId"), text("stage"), text("requestId"));
    let resource_path = text("resourcePath");
    let now = cloud.clock.now_millis();
    record_endpoint_request(cloud, trace, function, &api_id, &request_id, now, &request.headers);
    let source_arn = format!(
        "arn:{}:execute-api:{}:{}:{api_id}/{stage}/{}{}",
        cloud.partition(),
        cloud.region,
        cloud.account_id,
        call.http_method,
        resource_path
    );
    let source = InvokeSource {
        principal: PRINCIPAL,
        source_arn: &source_arn,
        source_account: &cloud.account_id,
    };
    let allowed = cloud
        .service::<lambda::Lambda>()
        .is_some_and(|l| allows_invoke(l, function, &source));
    if !allowed {
        return Err(GatewayError::configuration("Invalid permissions on Lambda function").into());
    }
    let event = if request.body.is_empty() {
        "{}"
    } else {
        request.body.as_str()
    };
    let output = match lambda::invoke(cloud, function, invocation_type, event) {
        Ok(output) => output,
        Err(InvokeError::InvalidRequestContent(message)) => {
            let body = serde_json::json!({"Type": "User", "message": message}).to_string();
            trace.endpoint_response = Some(EndpointResponseRecord {
                status: 400,
                headers: IndexMap::new(),
                body,
                latency_millis: 0,
            });
            return Ok(LambdaCall::EventNotJson(message));
        }
        Err(InvokeError::NotSimulated(what)) => return Err(NotSimulated(what).into()),
        Err(other) => {
            let id = cloud.ids.uuid();
            return Err(GatewayError {
                response_type: GatewayResponseType::API_CONFIGURATION_ERROR,
                message: "Internal server error".to_string(),
                log: Some(format!(
                    "Lambda invocation failed with status: {}. Lambda request id: {id}",
                    other.status_code()
                )),
                status: None,
            }
            .into());
        }
    };
    let latency = cloud.clock.now_millis().saturating_sub(now);
    if latency > u64::from(integration.timeout_in_millis) {
        return Err(GatewayError {
            log: Some("Execution failed due to a timeout error".to_string()),
            ..GatewayError::of(GatewayResponseType::INTEGRATION_TIMEOUT)
        }
        .into());
    }
    let trace_header = call.context.ids().map(|ids| ids.trace_id.clone()).unwrap_or_default();
    let headers = response_headers(cloud.clock.now_millis(), &output, &trace_header);
    trace.endpoint_response = Some(EndpointResponseRecord {
        status: output.status_code,
        headers: headers.clone(),
        body: output.payload.clone(),
        latency_millis: latency,
    });
    Ok(LambdaCall::Answered(LambdaResponse { output, headers }))
}

/// The invocation type a custom integration asks for with a mapped `X-Amz-Invocation-Type` header (docs: "Set
/// up asynchronous invocation of the backend Lambda function"); `RequestResponse` otherwise.
pub fn invocation_type(request: &IntegrationRequest) -> Result<InvocationType, ChainError> {
    match header_value(&request.headers, "X-Amz-Invocation-Type") {
        None => Ok(InvocationType::RequestResponse),
        Some(value) => value.trim_matches('\'').parse().map_err(|e: InvokeError| {
            ChainError::Gateway(GatewayError::configuration(&format!(
                "Invalid X-Amz-Invocation-Type: {e}"
            )))
        }),
    }
}

/// The `errorMessage` of a function error's payload (empty when it has none).
pub fn error_message(payload: &str) -> String {
    match serde_json::from_str::<Json>(payload)
        .ok()
        .as_ref()
        .and_then(|v| v.get("errorMessage"))
    {
        Some(Json::String(s)) => s.clone(),
        Some(Json::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// Records the endpoint request as AWS logs it: the Lambda URL and API Gateway's signed headers, then the
/// integration's own mapped headers.
fn record_endpoint_request(
    cloud: &mut Cloud,
    trace: &mut Trace,
    function: &str,
    api_id: &str,
    request_id: &str,
    now: u64,
    mapped: &IndexMap<String, String>,
) {
    let Some(record) = trace.integration_request.as_mut() else {
        return;
    };
    let mut headers = IndexMap::new();
    headers.insert("x-amzn-lambda-integration-tag".to_string(), request_id.to_string());
    signed_headers(cloud, api_id, now, &mut headers);
    headers.extend(mapped.iter().map(|(k, v)| (k.clone(), v.clone())));
    record.uri = Some(endpoint_url(&cloud.region, function));
    record.headers = headers;
}

/// The response headers Lambda's `Invoke` sends (as AWS's execution log shows them).
fn response_headers(now: u64, output: &InvokeOutput, trace_id: &str) -> IndexMap<String, String> {
    let date = format_millis(
        now,
        time::macros::format_description!(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
        ),
    );
    let mut headers = IndexMap::new();
    headers.insert("Date".to_string(), date);
    headers.insert("Content-Type".to_string(), "application/json".to_string());
    headers.insert("Content-Length".to_string(), output.payload.len().to_string());
    headers.insert("Connection".to_string(), "keep-alive".to_string());
    headers.insert("x-amzn-RequestId".to_string(), output.request_id.clone());
    if let Some(error) = &output.function_error {
        headers.insert("X-Amz-Function-Error".to_string(), error.clone());
    }
    headers.insert("x-amzn-Remapped-Content-Length".to_string(), "0".to_string());
    headers.insert("X-Amz-Executed-Version".to_string(), output.executed_version.clone());
    headers.insert("X-Amzn-Trace-Id".to_string(), format!("{trace_id};Sampled=0"));
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambda_uris_name_their_function() {
        assert_eq!(
            function_from_uri(
                "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:f:live/invocations"
            ),
            Some("arn:aws:lambda:us-east-1:1:function:f:live")
        );
        assert_eq!(
            function_from_uri("arn:aws:apigateway:us-east-1:dynamodb:action/PutItem"),
            None
        );
        assert_eq!(
            function_from_uri("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions//invocations"),
            None
        );
    }

    #[test]
    fn error_messages_come_from_the_payload() {
        assert_eq!(error_message(r#"{"errorType":"Error","errorMessage":"boom"}"#), "boom");
        assert_eq!(error_message(r#"{"errorMessage":42}"#), "42");
        assert_eq!(error_message("not json"), "");
    }
}
