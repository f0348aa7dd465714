//! Stage 4, the integration: MOCK here; Lambda, HTTP and AWS service integrations come in their own issue
//! through this same function, and until then fail loudly.
//!
//! MOCK (source: "Set up mock integrations in API Gateway",
//! https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html): the rendered
//! request template must hold `statusCode`, an integer, which becomes the endpoint status; the endpoint body is
//! empty. Without a parsable status code AWS answers 500 and logs `Execution failed due to configuration error:
//! Unable to parse statusCode. It should be an integer that is defined in the request template.` (LocalStack's
//! AWS-compared log string). CDK writes the template as `{ statusCode: 200 }`, which is not JSON; AWS accepts
//! it, and so does this reader (LocalStack issue history).

use crate::apigateway::invoke::integration_request::IntegrationRequest;
use crate::apigateway::invoke::{ChainError, GatewayError, NotSimulated};
use crate::apigateway::model::{Integration, IntegrationType};
use crate::apigateway::trace::{EndpointResponseRecord, Trace};
use indexmap::IndexMap;

/// What the integration answered.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EndpointResponse {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: IndexMap<String, String>,
    /// Body.
    pub body: String,
}

/// Calls the integration.
pub fn run(
    integration: &Integration,
    request: &IntegrationRequest,
    trace: &mut Trace,
) -> Result<EndpointResponse, ChainError> {
    let response = match integration.integration_type {
        IntegrationType::Mock => mock(request)?,
        other => {
            return Err(NotSimulated(format!(
                "{} integrations (API Gateway to Lambda / HTTP is issue #6); uri {}",
                other.as_str(),
                request.uri.as_deref().unwrap_or("(none)")
            ))
            .into())
        }
    };
    trace.endpoint_response = Some(EndpointResponseRecord {
        status: response.status,
        headers: response.headers.clone(),
        body: response.body.clone(),
        latency_millis: 0,
    });
    Ok(response)
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
        let request = IntegrationRequest::default();
        let err = run(
            &Integration::new(IntegrationType::Mock),
            &request,
            &mut Trace::default(),
        )
        .unwrap_err();
        let ChainError::Gateway(err) = err else { panic!() };
        assert_eq!(err.message, "Internal server error");
        assert_eq!(
            err.log.as_deref(),
            Some("Execution failed due to configuration error: Unable to parse statusCode. It should be an integer that is defined in the request template.")
        );
    }

    #[test]
    fn other_integrations_are_loudly_not_simulated() {
        let mut i = Integration::new(IntegrationType::AwsProxy);
        i.uri = Some("arn:aws:apigateway:us-east-1:lambda:path/x".into());
        let err = run(&i, &IntegrationRequest::default(), &mut Trace::default()).unwrap_err();
        assert!(matches!(err, ChainError::NotSimulated(NotSimulated(m)) if m.starts_with("AWS_PROXY integrations")));
    }
}
