//! Gateway responses as the client receives them: the status, template and headers of the response in force for
//! the failure's type (see [`crate::apigateway::responses`]), plus `x-amzn-ErrorType`.
//!
//! The default template `{"message":$context.error.messageString}` is rendered here; a custom template goes
//! through the VTL engine with `$context.error.message`, `.messageString`, `.responseType` and
//! `.validationErrorString` set (source: "Set up gateway responses", `$context.error` variables).
//! `gatewayresponse.header.NAME` parameters take `'literal'`, `method.request.*`, `stageVariables.*` and
//! `context.*` sources (same page).

use crate::apigateway::context::RequestIds;
use crate::apigateway::http::HttpResponse;
use crate::apigateway::invoke::method_response::add_request_ids;
use crate::apigateway::invoke::{GatewayError, NotSimulated};
use crate::apigateway::model::ApiDefinition;
use crate::apigateway::parameters::{self, Sources};
use crate::apigateway::responses::{self, message_string, DEFAULT_TEMPLATE};
use crate::vtl::{self, MappingInput};
use indexmap::IndexMap;
use serde_json::{json, Value as Json};

/// What a gateway response's parameters and template can read.
#[derive(Debug, Clone)]
pub struct ErrorSources<'a> {
    /// The request's headers.
    pub headers: &'a [(String, String)],
    /// Stage variables.
    pub stage_variables: &'a IndexMap<String, String>,
    /// `$context` (without `error`), or `null` before routing.
    pub context: Json,
}

/// The gateway response for `error` with AWS's defaults (no API definition to customise it).
pub fn render_default(error: &GatewayError, ids: &RequestIds) -> HttpResponse {
    let mut response = HttpResponse {
        status_code: error
            .status
            .unwrap_or_else(|| error.response_type.default_status().unwrap_or(500)),
        headers: vec![
            ("Content-Type".to_string(), "application/json".to_string()),
            (
                "x-amzn-ErrorType".to_string(),
                error.response_type.error_type().to_string(),
            ),
        ],
        body: responses::default_body(&error.message),
        is_base64_encoded: false,
    };
    add_request_ids(&mut response, ids);
    response
}

/// The gateway response for `error` in `definition`, with the request ids AWS adds.
///
/// Errors: a custom template the VTL engine cannot render yet.
pub fn render(
    definition: &ApiDefinition,
    error: &GatewayError,
    sources: &ErrorSources<'_>,
    ids: &RequestIds,
) -> Result<HttpResponse, NotSimulated> {
    let mut response = render_without_ids(definition, error, sources)?;
    add_request_ids(&mut response, ids);
    Ok(response)
}

/// The gateway response for `error`, as test invoke shows it (no request-id headers).
pub fn render_without_ids(
    definition: &ApiDefinition,
    error: &GatewayError,
    sources: &ErrorSources<'_>,
) -> Result<HttpResponse, NotSimulated> {
    let (status, custom) = responses::effective(definition, error.response_type);
    let status = match (error.status, &custom.status_code) {
        (Some(own), None) => own,
        _ => status,
    };
    let template = custom
        .response_templates
        .iter()
        .find(|(k, _)| k.as_str() == "application/json")
        .or_else(|| custom.response_templates.iter().next());
    let (content_type, body) = match template {
        None => ("application/json".to_string(), responses::default_body(&error.message)),
        Some((k, t)) if t.trim() == DEFAULT_TEMPLATE => (k.clone(), responses::default_body(&error.message)),
        Some((k, t)) => (k.clone(), render_custom(t, error, sources)?),
    };
    let mut headers = vec![("Content-Type".to_string(), content_type)];
    let empty_path = IndexMap::new();
    let empty_query = IndexMap::new();
    let param_sources = Sources {
        path: &empty_path,
        querystring: &empty_query,
        headers: sources.headers,
        body: "",
        stage_variables: sources.stage_variables,
        context: &sources.context,
        integration_response: None,
    };
    for (target, expression) in &custom.response_parameters {
        let Some(name) = target.strip_prefix("gatewayresponse.header.") else {
            continue;
        };
        if let Some(value) = parameters::resolve(expression, &param_sources) {
            headers.push((name.to_string(), value));
        }
    }
    headers.push((
        "x-amzn-ErrorType".to_string(),
        error.response_type.error_type().to_string(),
    ));
    Ok(HttpResponse {
        status_code: status,
        headers,
        body,
        is_base64_encoded: false,
    })
}

fn render_custom(template: &str, error: &GatewayError, sources: &ErrorSources<'_>) -> Result<String, NotSimulated> {
    let mut context = match &sources.context {
        Json::Object(map) => Json::Object(map.clone()),
        _ => json!({}),
    };
    context["error"] = json!({
        "message": error.message,
        "messageString": message_string(&error.message),
        "responseType": error.response_type.as_str(),
        "validationErrorString": error.log.clone().unwrap_or_default(),
    });
    let input = MappingInput {
        body: "",
        context,
        stage_variables: sources.stage_variables.clone(),
        header: crate::apigateway::http::single_headers(sources.headers),
        ..MappingInput::default()
    };
    vtl::render_mapping_template(template, &input)
        .map(|out| out.body)
        .map_err(|e| NotSimulated(format!("gateway response template: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apigateway::model::GatewayResponse;
    use crate::apigateway::responses::GatewayResponseType::*;

    fn sources<'a>(headers: &'a [(String, String)], vars: &'a IndexMap<String, String>) -> ErrorSources<'a> {
        ErrorSources {
            headers,
            stage_variables: vars,
            context: Json::Null,
        }
    }

    #[test]
    fn the_default_missing_authentication_token_response() {
        let def = ApiDefinition::default();
        let vars = IndexMap::new();
        let r = render_without_ids(
            &def,
            &GatewayError::of(MISSING_AUTHENTICATION_TOKEN),
            &sources(&[], &vars),
        )
        .unwrap();
        assert_eq!(r.status_code, 403);
        assert_eq!(r.body, "{\"message\":\"Missing Authentication Token\"}");
        assert_eq!(
            r.header("x-amzn-ErrorType"),
            Some("MissingAuthenticationTokenException")
        );
        assert_eq!(r.header("Content-Type"), Some("application/json"));
    }

    #[test]
    fn custom_status_templates_and_headers_apply() {
        let mut def = ApiDefinition::default();
        def.gateway_responses.insert(
            DEFAULT_4XX,
            GatewayResponse {
                status_code: None,
                response_parameters: [
                    (
                        "gatewayresponse.header.Access-Control-Allow-Origin".to_string(),
                        "'*'".to_string(),
                    ),
                    (
                        "gatewayresponse.header.X-Req".to_string(),
                        "method.request.header.X-In".to_string(),
                    ),
                ]
                .into_iter()
                .collect(),
                response_templates: [("application/json".to_string(), "{\"error\": \"nope\"}".to_string())]
                    .into_iter()
                    .collect(),
            },
        );
        let vars = IndexMap::new();
        let headers = [("X-In".to_string(), "in".to_string())];
        let r = render_without_ids(&def, &GatewayError::of(INVALID_API_KEY), &sources(&headers, &vars)).unwrap();
        assert_eq!(r.status_code, 403);
        assert_eq!(r.body, "{\"error\": \"nope\"}");
        assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"));
        assert_eq!(r.header("X-Req"), Some("in"));
        assert_eq!(r.header("x-amzn-ErrorType"), Some("ForbiddenException"));
        // A 5XX type is not covered by DEFAULT_4XX.
        let r = render_without_ids(&def, &GatewayError::of(INTEGRATION_TIMEOUT), &sources(&headers, &vars)).unwrap();
        assert_eq!(
            (r.status_code, r.body.as_str()),
            (504, "{\"message\":\"Endpoint request timed out\"}")
        );
    }
}
