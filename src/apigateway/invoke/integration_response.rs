//! Stage 5, integration response: choose the integration response, render its template, map its parameters,
//! apply `$context.responseOverride`.
//!
//! Sources: "Set up an integration response in API Gateway" and "Handle Lambda errors": for MOCK and HTTP the
//! selection pattern is matched against the status code, for Lambda against the error message; the pattern
//! must match the whole string (a Java regular expression, our `regex` reading); the default response (no
//! pattern) answers when nothing matches; with no default AWS answers 500 and logs `Execution failed due to
//! configuration error: No match for output mapping and no default output mapping configured. Endpoint
//! Response Status Code: <code>`. Patterns are tried in creation order (AWS's tie-break is unverified).
//! The response template is chosen by the `Accept` header, else `application/json`, else the first one (our
//! reading of "Mapping template selection"); with none the endpoint body passes through (empty for MOCK) and the
//! response's `Content-Type` is `application/json`.

use crate::apigateway::http::header_value;
use crate::apigateway::invoke::integration::{EndpointResponse, Selector};
use crate::apigateway::invoke::integration_request::{media_type, render};
use crate::apigateway::invoke::{ChainError, GatewayError, MethodCall, NotSimulated};
use crate::apigateway::model::{Integration, IntegrationResponse};
use crate::apigateway::parameters;
use crate::apigateway::trace::{IntegrationResponseRecord, Trace};

/// The method response to send, before the method response stage adds what AWS adds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MethodOutput {
    /// Status.
    pub status: u16,
    /// Headers, `Content-Type` first.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: String,
}

/// Runs the stage for the endpoint's `response`.
pub fn run(
    call: &MethodCall<'_>,
    integration: &Integration,
    endpoint: &EndpointResponse,
    trace: &mut Trace,
) -> Result<MethodOutput, ChainError> {
    let chosen = match &endpoint.selector {
        Selector::StatusCode => select(integration, &endpoint.status.to_string()),
        Selector::LambdaError(message) => select(integration, message),
        Selector::LambdaSuccess => integration.integration_responses.values().find(|r| r.is_default()),
    };
    let chosen = chosen.ok_or_else(|| {
        GatewayError::configuration(&format!(
            "No match for output mapping and no default output mapping configured. Endpoint Response Status Code: {}",
            endpoint.status
        ))
    })?;
    if let Some(handling) = &chosen.content_handling {
        return Err(NotSimulated(format!("contentHandling {handling} (binary payload conversion)")).into());
    }
    let status = chosen.status_code.parse::<u16>().unwrap_or(500);
    let template = choose_template(chosen, header_value(&call.headers_single, "Accept"));
    let (body, override_) = match template {
        Some((_, text)) => {
            let out = render(text, &endpoint.body, call)?;
            (out.body, Some(out.response_override))
        }
        None => (endpoint.body.clone(), None),
    };
    let content_type = template.map_or("application/json", |(k, _)| k.as_str());
    let mut headers = vec![("Content-Type".to_string(), content_type.to_string())];
    let mut mapped = indexmap::IndexMap::new();
    if !chosen.response_parameters.is_empty() {
        map_response_parameters(call, chosen, endpoint, &mut headers, &mut mapped);
    }
    let mut status = status;
    if let Some(o) = override_ {
        if let Some(s) = o.status {
            status = s;
        }
        for (name, value) in o.header {
            set_header(&mut headers, &name, value);
        }
    }
    trace.integration_response = Some(IntegrationResponseRecord {
        status_code: chosen.status_code.clone(),
        selection_pattern: chosen.selection_pattern.clone(),
        template: template.map(|(k, _)| k.clone()),
        body: body.clone(),
        headers: mapped,
    });
    Ok(MethodOutput { status, headers, body })
}

/// `method.response.header.NAME` targets, each from its source expression.
fn map_response_parameters(
    call: &MethodCall<'_>,
    chosen: &IntegrationResponse,
    endpoint: &EndpointResponse,
    headers: &mut Vec<(String, String)>,
    mapped: &mut indexmap::IndexMap<String, String>,
) {
    let sources = call.parameter_sources(Some((&endpoint.headers, &endpoint.body)));
    for (target, expression) in &chosen.response_parameters {
        let Some(name) = target.strip_prefix("method.response.header.") else {
            continue;
        };
        if let Some(value) = parameters::resolve(expression, &sources) {
            set_header(headers, name, value.clone());
            mapped.insert(name.to_string(), value);
        }
    }
}

/// The integration response for `selector`: the first whose pattern matches all of it, else the default.
/// Patterns are Java regular expressions matched with `Matcher.matches()`: the whole text, `.` not crossing a
/// line break (the `regex` crate's defaults agree); a pattern the `regex` crate cannot compile (e.g. Java's
/// lookarounds) never matches, and one too large for its size limit neither.
pub fn select<'a>(integration: &'a Integration, selector: &str) -> Option<&'a IntegrationResponse> {
    let matching = integration
        .integration_responses
        .values()
        .filter(|r| !r.is_default())
        .find(|r| {
            let pattern = r.selection_pattern.as_deref().unwrap_or_default();
            regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
                .size_limit(1 << 20)
                .build()
                .is_ok_and(|re| re.is_match(selector))
        });
    matching.or_else(|| integration.integration_responses.values().find(|r| r.is_default()))
}

fn choose_template<'a>(response: &'a IntegrationResponse, accept: Option<&str>) -> Option<(&'a String, &'a String)> {
    let templates = &response.response_templates;
    let by_accept = accept.and_then(|accept| {
        accept
            .split(',')
            .map(media_type)
            .find_map(|wanted| templates.iter().find(|(k, _)| media_type(k) == wanted))
    });
    by_accept
        .or_else(|| templates.iter().find(|(k, _)| media_type(k) == "application/json"))
        .or_else(|| templates.iter().next())
}

fn set_header(headers: &mut Vec<(String, String)>, name: &str, value: String) {
    match headers.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
        Some(entry) => entry.1 = value,
        None => headers.push((name.to_string(), value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apigateway::model::{ApiDefinition, IntegrationType, Method};
    use indexmap::IndexMap;
    use serde_json::json;

    fn integration() -> Integration {
        let mut i = Integration::new(IntegrationType::Mock);
        for (status, pattern, template) in [
            ("200", None, "ok"),
            ("500", Some("5\\d{2}"), "err"),
            ("404", Some("40"), ""),
        ] {
            i.integration_responses.insert(
                status.into(),
                IntegrationResponse {
                    status_code: status.into(),
                    selection_pattern: pattern.map(str::to_string),
                    response_templates: if template.is_empty() {
                        IndexMap::new()
                    } else {
                        [("application/json".to_string(), template.to_string())]
                            .into_iter()
                            .collect()
                    },
                    response_parameters: [
                        ("method.response.header.X-Lit".to_string(), "'v'".to_string()),
                        (
                            "method.response.header.X-Missing".to_string(),
                            "stageVariables.none".to_string(),
                        ),
                    ]
                    .into_iter()
                    .collect(),
                    content_handling: None,
                },
            );
        }
        i
    }

    fn run_status(i: &Integration, status: u16) -> Result<MethodOutput, ChainError> {
        let def = ApiDefinition::default();
        let method = Method::default();
        let vars = IndexMap::new();
        let call = MethodCall {
            definition: &def,
            method: &method,
            http_method: "GET",
            raw_path: "/",
            path_parameters: IndexMap::new(),
            querystring: IndexMap::new(),
            querystring_single: IndexMap::new(),
            headers: &[],
            headers_single: IndexMap::new(),
            body: "",
            stage_variables: &vars,
            context: crate::apigateway::invoke::LazyContext::fixed(json!({})),
        };
        let endpoint = EndpointResponse {
            status,
            ..EndpointResponse::default()
        };
        run(&call, i, &endpoint, &mut Trace::default())
    }

    #[test]
    fn selection_is_whole_string_with_a_default() {
        let i = integration();
        let out = run_status(&i, 503).unwrap();
        assert_eq!((out.status, out.body.as_str()), (500, "err"));
        assert_eq!(run_status(&i, 200).unwrap().body, "ok");
        // "40" must match all of "404": it does not, so the default answers.
        assert_eq!(run_status(&i, 404).unwrap().status, 200);
        let out = run_status(&i, 200).unwrap();
        assert_eq!(
            out.headers,
            vec![
                ("Content-Type".to_string(), "application/json".to_string()),
                ("X-Lit".to_string(), "v".to_string())
            ]
        );
    }

    #[test]
    fn no_match_and_no_default_is_a_configuration_error() {
        let mut i = integration();
        i.integration_responses.shift_remove("200");
        let ChainError::Gateway(err) = run_status(&i, 200).unwrap_err() else {
            panic!()
        };
        assert_eq!(
            err.log.as_deref(),
            Some("Execution failed due to configuration error: No match for output mapping and no default output mapping configured. Endpoint Response Status Code: 200")
        );
    }

    #[test]
    fn no_template_passes_the_empty_mock_body() {
        let mut i = integration();
        i.integration_responses.insert(
            "200".into(),
            IntegrationResponse {
                status_code: "200".into(),
                ..IntegrationResponse::default()
            },
        );
        let out = run_status(&i, 200).unwrap();
        assert_eq!((out.status, out.body.as_str()), (200, ""));
    }
}
