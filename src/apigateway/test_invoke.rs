//! Test invoke: the console's Test button (`TestInvokeMethod`). It runs the method of the current, undeployed
//! definition from the method request on (no routing, no stage) and returns status, body, headers,
//! multi-value headers, latency and the execution log.
//!
//! Source of the log format: AWS-recorded test-invoke logs in LocalStack's parity snapshots and in issue threads
//! (brefphp/bref#534): each line is `<ts> : <text>` with `<ts>` as `%a %b %d %H:%M:%S UTC %Y`; the log starts
//! with `Execution log for request <id>`, maps print Java-style `{k=v, k2=v2}`, a MOCK integration has no
//! endpoint lines, and the log ends with a newline. Header maps longer than 998 characters are cut with
//! ` [TRUNCATED]` (LocalStack's reading of AWS). Response headers exclude `Content-Length` and the request-id
//! headers. A configuration error answers with only `x-amzn-ErrorType: InternalServerErrorException`.
//! Latency is virtual time, so a MOCK call takes 0 ms.

use crate::apigateway::context::{format_millis, ContextInput, RequestIds};
use crate::apigateway::errors::{invalid_method, invalid_resource, invalid_rest_api, ApiGatewayError};
use crate::apigateway::http::{header_maps, parse_query, single_headers, HttpResponse};
use crate::apigateway::invoke::gateway_response::{render_without_ids, ErrorSources};
use crate::apigateway::invoke::route::find_method;
use crate::apigateway::invoke::{
    failure_record, run_method, user_agent, ChainError, LazyContext, MethodCall, NotSimulated,
};
use crate::apigateway::model::IntegrationType;
use crate::apigateway::router::bind_template;
use crate::apigateway::trace::Trace;
use crate::apigateway::ApiGateway;
use crate::cloud::Cloud;
use crate::trace::{SpanKind, SpanStatus};
use indexmap::IndexMap;
use serde_json::{json, Value as Json};
use std::fmt::Write as _;

/// The stage name `$context.stage` holds in test invoke. Source: AWS test-invoke output (LocalStack snapshots).
pub const TEST_INVOKE_STAGE: &str = "test-invoke-stage";

/// What to call. Source: API reference, "TestInvokeMethod".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TestInvokeMethodRequest {
    /// The resource, by id.
    pub resource_id: String,
    /// The method.
    pub http_method: String,
    /// The path with query string, e.g. `/pets/1?x=1` (the resource path when absent).
    pub path_with_query_string: Option<String>,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
    /// Stage variables.
    pub stage_variables: IndexMap<String, String>,
}

/// The answer. Source: API reference, "TestInvokeMethod" response elements.
#[derive(Debug, Clone, PartialEq)]
pub struct TestInvokeMethodResponse {
    /// Status code.
    pub status: u16,
    /// Body.
    pub body: String,
    /// Headers (last value per name).
    pub headers: Json,
    /// Every value per name.
    pub multi_value_headers: Json,
    /// The execution log.
    pub log: String,
    /// Latency in milliseconds (virtual).
    pub latency: u64,
    /// The trace the log was written from.
    pub trace: Trace,
}

impl TestInvokeMethodResponse {
    /// `{"status","body","headers","multiValueHeaders","log","latency"}` as the AWS CLI prints it.
    pub fn to_json(&self) -> Json {
        json!({
            "status": self.status,
            "body": self.body,
            "headers": self.headers,
            "multiValueHeaders": self.multi_value_headers,
            "log": self.log,
            "latency": self.latency,
        })
    }
}

/// Why test invoke could not run.
#[derive(Debug, Clone, PartialEq)]
pub enum TestInvokeError {
    /// An AWS error (unknown API, resource or method).
    Aws(ApiGatewayError),
    /// Something not simulated.
    NotSimulated(NotSimulated),
}

impl std::fmt::Display for TestInvokeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TestInvokeError::Aws(e) => e.fmt(f),
            TestInvokeError::NotSimulated(e) => e.fmt(f),
        }
    }
}

/// `TestInvokeMethod` on API `api_id`.
///
/// The call is traced as an API Gateway segment `<api id>/test-invoke-stage` ([`crate::trace`]).
pub fn test_invoke_method(
    cloud: &mut Cloud,
    api_id: &str,
    request: &TestInvokeMethodRequest,
) -> Result<TestInvokeMethodResponse, TestInvokeError> {
    let path = match &request.path_with_query_string {
        Some(p) => p.split('?').next().unwrap_or_default().to_string(),
        None if cloud.traces.is_enabled() => cloud
            .service::<ApiGateway>()
            .and_then(|gw| gw.rest_apis.get(api_id))
            .and_then(|api| api.definition.resources.get(&request.resource_id))
            .map(|r| r.path.clone())
            .unwrap_or_default(),
        None => String::new(),
    };
    let kind = || SpanKind::ApiRequest {
        api_id: api_id.to_string(),
        stage: TEST_INVOKE_STAGE.to_string(),
        http_method: request.http_method.clone(),
        path,
    };
    let status = |r: &Result<TestInvokeMethodResponse, TestInvokeError>| match r {
        Ok(response) => SpanStatus::of_http(response.status),
        Err(_) => SpanStatus::Error,
    };
    crate::trace::traced(
        cloud,
        kind,
        |cloud| test_invoke_untraced(cloud, api_id, request),
        status,
    )
}

fn test_invoke_untraced(
    cloud: &mut Cloud,
    api_id: &str,
    request: &TestInvokeMethodRequest,
) -> Result<TestInvokeMethodResponse, TestInvokeError> {
    const OP: &str = "TestInvokeMethod";
    let now = cloud.clock.now_millis();
    let ids = RequestIds::draw(&mut cloud.ids, now);
    let api = cloud
        .service::<ApiGateway>()
        .and_then(|gw| gw.rest_apis.get(api_id))
        .ok_or_else(|| TestInvokeError::Aws(invalid_rest_api(OP, &cloud.account_id, api_id)))?;
    // The integration may call into the cloud (Lambda), so the definition is copied out of it.
    let definition = &api.definition.clone();
    let (account_id, region) = (cloud.account_id.clone(), cloud.region.clone());
    let resource = definition
        .resources
        .get(&request.resource_id)
        .ok_or_else(|| TestInvokeError::Aws(invalid_resource(OP)))?;
    let (_, method) = find_method(resource, &request.http_method)
        .filter(|(k, _)| *k == request.http_method)
        .ok_or_else(|| TestInvokeError::Aws(invalid_method(OP)))?;
    let raw = request
        .path_with_query_string
        .clone()
        .unwrap_or_else(|| resource.path.clone());
    let (path, query) = raw.split_once('?').unwrap_or((&raw, ""));
    let (querystring_single, querystring) = parse_query(query);
    let headers_single = single_headers(&request.headers);
    let context = LazyContext::new(ContextInput {
        account_id: &account_id,
        region: &region,
        api_id,
        stage: TEST_INVOKE_STAGE,
        deployment_id: "",
        ids: &ids,
        resource_id: &resource.id,
        resource_path: &resource.path,
        http_method: &request.http_method,
        path,
        now_millis: now,
        user_agent: user_agent(&request.headers),
    });
    let call = MethodCall {
        definition,
        method,
        http_method: &request.http_method,
        raw_path: path,
        path_parameters: bind_template(&resource.path, path),
        querystring,
        querystring_single,
        headers: &request.headers,
        headers_single,
        body: &request.body,
        stage_variables: &request.stage_variables,
        context,
    };
    let mut trace = Trace {
        request_id: ids.request_id.clone(),
        time_millis: now,
        ..Trace::default()
    };
    let response = match run_method(cloud, &call, &mut trace) {
        Ok(response) => response,
        Err(ChainError::NotSimulated(e)) => return Err(TestInvokeError::NotSimulated(e)),
        Err(ChainError::Gateway(error)) => {
            trace.failure = Some(failure_record(&error));
            let sources = ErrorSources {
                headers: &request.headers,
                stage_variables: &request.stage_variables,
                context: call.context.get().clone(),
            };
            let mut response =
                render_without_ids(definition, &error, &sources).map_err(TestInvokeError::NotSimulated)?;
            if error
                .log
                .as_deref()
                .is_some_and(|l| l.starts_with("Execution failed due to configuration error"))
            {
                response.headers.retain(|(k, _)| k == "x-amzn-ErrorType");
            }
            response
        }
    };
    let is_mock = method
        .method_integration
        .as_ref()
        .is_some_and(|i| i.integration_type == IntegrationType::Mock);
    let log = execution_log(&request.http_method, path, &trace, &response, is_mock);
    let latency = trace.endpoint_response.as_ref().map_or(0, |e| e.latency_millis);
    let (headers, multi_value_headers) = header_maps(&response.headers);
    Ok(TestInvokeMethodResponse {
        status: response.status_code,
        body: response.body,
        headers,
        multi_value_headers,
        log,
        latency,
        trace,
    })
}

/// The execution log for a trace, in AWS's line format.
pub fn execution_log(http_method: &str, path: &str, trace: &Trace, response: &HttpResponse, is_mock: bool) -> String {
    let ts = log_timestamp(trace.time_millis);
    let mut log = format!("Execution log for request {}\n", trace.request_id);
    let mut line = |text: &str| {
        let _ = writeln!(log, "{ts} : {text}");
    };
    line(&format!("Starting execution for request: {}", trace.request_id));
    line(&format!("HTTP Method: {http_method}, Resource Path: {path}"));
    if let Some(m) = &trace.method_request {
        line(&format!("Method request path: {}", java_map(&m.path)));
        line(&format!("Method request query string: {}", java_map(&m.querystring)));
        line(&format!("Method request headers: {}", truncated(java_map(&m.headers))));
        line(&format!("Method request body before transformations: {}", m.body));
    }
    if let (false, Some(request)) = (is_mock, &trace.integration_request) {
        let uri = request.uri.clone().unwrap_or_default();
        line(&format!("Endpoint request URI: {uri}"));
        line(&format!(
            "Endpoint request headers: {}",
            truncated(java_map(&request.headers))
        ));
        line(&format!(
            "Endpoint request body after transformations: {}",
            request.body
        ));
        line(&format!("Sending request to {uri}"));
        if let Some(e) = &trace.endpoint_response {
            line(&format!(
                "Received response. Status: {}, Integration latency: {} ms",
                e.status, e.latency_millis
            ));
            line(&format!(
                "Endpoint response headers: {}",
                truncated(java_map(&e.headers))
            ));
            line(&format!("Endpoint response body before transformations: {}", e.body));
        }
    }
    match &trace.failure {
        None => {
            line(&format!(
                "Method response body after transformations: {}",
                response.body
            ));
            let headers: IndexMap<String, String> = response.headers.iter().cloned().collect();
            line(&format!("Method response headers: {}", truncated(java_map(&headers))));
            line("Successfully completed execution");
        }
        Some(failure) => {
            if let Some(text) = &failure.log {
                line(text);
            }
        }
    }
    line(&format!("Method completed with status: {}", response.status_code));
    log
}

/// `%a %b %d %H:%M:%S UTC %Y`, e.g. `Thu Jan 01 00:00:00 UTC 2026`.
pub fn log_timestamp(millis: u64) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short] [month repr:short] [day] [hour]:[minute]:[second] UTC [year]"
    );
    format_millis(millis, format)
}

/// A map printed Java-style: `{k=v, k2=v2}`.
pub fn java_map(map: &IndexMap<String, String>) -> String {
    let inner: Vec<String> = map.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{{{}}}", inner.join(", "))
}

fn truncated(text: String) -> String {
    const LIMIT: usize = 998;
    if text.len() <= LIMIT {
        return text;
    }
    let mut cut = LIMIT;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{} [TRUNCATED]", &text[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_and_maps_have_aws_format() {
        assert_eq!(log_timestamp(1_767_225_600_000), "Thu Jan 01 00:00:00 UTC 2026");
        let map: IndexMap<String, String> = [("a".to_string(), "1".to_string()), ("b".to_string(), "2".to_string())]
            .into_iter()
            .collect();
        assert_eq!(java_map(&map), "{a=1, b=2}");
        assert_eq!(java_map(&IndexMap::new()), "{}");
        let long = truncated("é".repeat(600));
        assert!(long.ends_with(" [TRUNCATED]"));
    }
}
