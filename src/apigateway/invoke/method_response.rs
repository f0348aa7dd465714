//! Stage 6, method response: the response the client receives.
//!
//! AWS adds `x-amzn-RequestId`, `x-amz-apigw-id` and `X-Amzn-Trace-Id` to every response of a deployed API
//! (recorded AWS responses, e.g. koki-develop/lgtm-generator#10 and LocalStack's `response_enricher.py`); test
//! invoke does not show them (AWS's recorded test-invoke output: `{Content-Type=application/json}` for MOCK).
//! `Date`, `Content-Length` and `Connection` are transport headers and are not modelled.

use crate::apigateway::context::RequestIds;
use crate::apigateway::http::HttpResponse;
use crate::apigateway::invoke::integration_response::MethodOutput;
use crate::apigateway::trace::{MethodResponseRecord, Trace};

/// The method response for `output`, recorded in the trace.
pub fn run(output: MethodOutput, trace: &mut Trace) -> HttpResponse {
    trace.method_response = Some(MethodResponseRecord {
        status: output.status,
        headers: output.headers.clone(),
        body: output.body.clone(),
    });
    HttpResponse {
        status_code: output.status,
        headers: output.headers,
        body: output.body,
        is_base64_encoded: false,
    }
}

/// Adds the request-id headers AWS puts on every response of a deployed API.
pub fn add_request_ids(response: &mut HttpResponse, ids: &RequestIds) {
    response
        .headers
        .push(("x-amzn-RequestId".to_string(), ids.request_id.clone()));
    response
        .headers
        .push(("x-amz-apigw-id".to_string(), ids.extended_request_id.clone()));
    response
        .headers
        .push(("X-Amzn-Trace-Id".to_string(), ids.trace_id.clone()));
}
