//! Stage 4, the integration: MOCK, Lambda custom (`AWS`) and Lambda proxy (`AWS_PROXY`) (see [`lambda`]),
//! `AWS` service integrations to DynamoDB, SQS, SNS and S3 (see [`aws_service`]), `HTTP` / `HTTP_PROXY` to this
//! account's APIs (see [`http_integration`]); other services and hosts fail loudly.
//!
//! MOCK (source: "Set up mock integrations in API Gateway",
//! https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html): the rendered
//! request template must hold `statusCode`, an integer, which becomes the endpoint status; the endpoint body is
//! empty. Without a parsable status code AWS answers 500 and logs `Execution failed due to configuration error:
//! Unable to parse statusCode. It should be an integer that is defined in the request template.` (LocalStack's
//! AWS-compared log string). CDK writes the template as `{ statusCode: 200 }`, which is not JSON; AWS accepts
//! it, and so does this reader (LocalStack issue history).

use crate::apigateway::invoke::integration_request::IntegrationRequest;
use crate::apigateway::invoke::integration_response::MethodOutput;
use crate::apigateway::invoke::lambda::{self, LambdaCall};
use crate::apigateway::invoke::{aws_service, http_integration};
use crate::apigateway::invoke::{proxy_response, ChainError, GatewayError, MethodCall, NotSimulated};
use crate::apigateway::model::{Integration, IntegrationType};
use crate::apigateway::trace::{EndpointResponseRecord, Trace};
use crate::cloud::Cloud;
use crate::lambda::InvocationType;
use indexmap::IndexMap;

/// What the integration response's selection patterns are matched against. Source: "Set up an integration
/// response in API Gateway": the status code for MOCK and HTTP, the function error's `errorMessage` for Lambda.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Selector {
    /// The endpoint status code.
    #[default]
    StatusCode,
    /// A Lambda function that succeeded: only the default response applies (our reading of "Handle Lambda
    /// errors in API Gateway", where patterns select among errors).
    LambdaSuccess,
    /// A Lambda function error, with its `errorMessage`.
    LambdaError(String),
}

/// What the integration answered.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EndpointResponse {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: IndexMap<String, String>,
    /// Body.
    pub body: String,
    /// What selection patterns match against.
    pub selector: Selector,
}

/// Where the chain goes after the integration.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// An endpoint response for the integration response stage (MOCK, Lambda custom).
    Endpoint(EndpointResponse),
    /// The method response itself (Lambda proxy; Lambda's refusal of a non-JSON event).
    Method(MethodOutput),
}

/// Calls the integration.
///
/// Errors: a gateway error (configuration, permission, function failure, timeout), or not simulated (HTTP and
/// AWS service integrations).
pub fn run(
    cloud: &mut Cloud,
    call: &MethodCall<'_>,
    integration: &Integration,
    request: &IntegrationRequest,
    trace: &mut Trace,
) -> Result<Outcome, ChainError> {
    let response = match integration.integration_type {
        IntegrationType::Mock => mock(request)?,
        IntegrationType::Aws if lambda::function_from_uri(request.uri.as_deref().unwrap_or_default()).is_none() => {
            return aws_service::call(cloud, call, integration, request, trace);
        }
        IntegrationType::Aws => {
            let kind = lambda::invocation_type(request)?;
            match lambda::call(cloud, call, integration, request, kind, trace)? {
                LambdaCall::EventNotJson(message) => return Ok(Outcome::Method(event_not_json(&message))),
                LambdaCall::Answered(answer) => {
                    let output = answer.output;
                    loud_function_error(&output)?;
                    let selector = match output.function_error {
                        Some(_) => Selector::LambdaError(lambda::error_message(&output.payload)),
                        None => Selector::LambdaSuccess,
                    };
                    return Ok(Outcome::Endpoint(EndpointResponse {
                        status: output.status_code,
                        headers: answer.headers,
                        body: output.payload,
                        selector,
                    }));
                }
            }
        }
        IntegrationType::AwsProxy => {
            let answer = match lambda::call(
                cloud,
                call,
                integration,
                request,
                InvocationType::RequestResponse,
                trace,
            )? {
                LambdaCall::Answered(answer) => answer,
                // The event is the gateway's own JSON, so Lambda cannot refuse it; kept loud if it ever does.
                LambdaCall::EventNotJson(message) => return Ok(Outcome::Method(event_not_json(&message))),
            };
            let output = answer.output;
            loud_function_error(&output)?;
            if output.function_error.is_some() {
                return Err(GatewayError::bad_gateway(format!(
                    "Lambda execution failed with status 200 due to customer function error: {}. Lambda request id: {}",
                    lambda::error_message(&output.payload),
                    output.request_id
                ))
                .into());
            }
            return match proxy_response::map(&output.payload) {
                Ok(method) => Ok(Outcome::Method(method)),
                Err(_) => Err(GatewayError::bad_gateway(
                    "Execution failed due to configuration error: Malformed Lambda proxy response".to_string(),
                )
                .into()),
            };
        }
        IntegrationType::Http | IntegrationType::HttpProxy => {
            return http_integration::call(cloud, call, integration, request, trace)
        }
    };
    trace.endpoint_response = Some(EndpointResponseRecord {
        status: response.status,
        headers: response.headers.clone(),
        body: response.body.clone(),
        latency_millis: 0,
    });
    Ok(Outcome::Endpoint(response))
}

/// A function that failed because its code reached something the simulator does not model (its error message
/// starts with `not simulated: `, e.g. an SDK client not simulated yet) stops the request loudly rather than
/// turning into the 502 or error body AWS would give for a real failure (design rule 5).
fn loud_function_error(output: &crate::lambda::InvokeOutput) -> Result<(), NotSimulated> {
    if output.function_error.is_none() {
        return Ok(());
    }
    let message = lambda::error_message(&output.payload);
    match message.strip_prefix("not simulated: ") {
        Some(what) => Err(NotSimulated(format!(
            "{what} (in the Lambda function the integration calls)"
        ))),
        None => Ok(()),
    }
}

/// Lambda's 400 for an event that is not JSON, passed on to the client as `{"message": ...}` (the answer users
/// report for form-encoded bodies sent to a custom Lambda integration; the parser detail after `Could not parse
/// request body into json: ` is serde's wording, not Jackson's).
fn event_not_json(message: &str) -> MethodOutput {
    MethodOutput {
        status: 400,
        headers: vec![("Content-Type".to_string(), "application/json".to_string())],
        body: serde_json::json!({ "message": message }).to_string(),
    }
}

fn mock(request: &IntegrationRequest) -> Result<EndpointResponse, GatewayError> {
    let status = mock_status(&request.body).ok_or_else(|| {
        GatewayError::configuration(
            "Unable to parse statusCode. It should be an integer that is defined in the request template.",
        )
    })?;
    Ok(EndpointResponse {
        status,
        ..EndpointResponse::default()
    })
}

/// The `statusCode` of a rendered MOCK request template: from JSON, else from the relaxed form
/// `{ statusCode: 200 }`. `None` when absent, not an integer, or outside 100..=599.
pub fn mock_status(body: &str) -> Option<u16> {
    let from_json = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .map(|v| v.get("statusCode").and_then(serde_json::Value::as_u64));
    let code = match from_json {
        Some(code) => code?,
        None => relaxed_status(body)?,
    };
    u16::try_from(code).ok().filter(|c| (100..=599).contains(c))
}

/// `statusCode` (optionally quoted) `:` digits, anywhere in the text.
fn relaxed_status(body: &str) -> Option<u64> {
    let at = body.find("statusCode")?;
    let rest = body.get(at + "statusCode".len()..)?;
    let rest = rest.trim_start_matches(['"', '\'']).trim_start();
    let rest = rest.strip_prefix(':')?.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = rest.get(digits.len()..).unwrap_or_default();
    if after.starts_with('.') {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mock_status_codes_from_json_and_cdk_form() {
        assert_eq!(mock_status("{\"statusCode\": 200}"), Some(200));
        assert_eq!(mock_status("{ statusCode: 404 }"), Some(404));
        assert_eq!(mock_status("{\n  'statusCode' : 500\n}"), Some(500));
        assert_eq!(mock_status("{\"statusCode\": \"200\"}"), None);
        assert_eq!(mock_status("{\"statusCode\": 200.5}"), None);
        assert_eq!(mock_status("{ statusCode: 2.5 }"), None);
        assert_eq!(mock_status("{\"statusCode\": 99999}"), None);
        assert_eq!(mock_status(""), None);
        assert_eq!(mock_status("{}"), None);
    }

    #[test]
    fn an_unparsable_mock_status_is_a_configuration_error() {
        let err = mock(&IntegrationRequest::default()).unwrap_err();
        assert_eq!(err.message, "Internal server error");
        assert_eq!(
            err.log.as_deref(),
            Some("Execution failed due to configuration error: Unable to parse statusCode. It should be an integer that is defined in the request template.")
        );
    }
}
