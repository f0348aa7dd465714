//! Stage 3, integration request: the request template for the content type, passthrough behaviours, parameter
//! mappings and the endpoint URI.
//!
//! Source: "Method request behavior for payloads without mapping templates"
//! (https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html): the
//! template is chosen by the request's `Content-Type` (`application/json` when absent); with no match,
//! `WHEN_NO_MATCH` passes the body through, `WHEN_NO_TEMPLATES` passes it through only when the integration has
//! no template at all, and `NEVER` answers 415 `Unsupported Media Type`. Media-type parameters
//! (`; charset=utf-8`) are ignored when matching and case does not matter (our reading; AWS does not say).

use crate::apigateway::context::format_millis;
use crate::apigateway::http::header_value;
use crate::apigateway::invoke::{ChainError, GatewayError, MethodCall, NotSimulated};
use crate::apigateway::model::{Integration, IntegrationType, PassthroughBehavior};
use crate::apigateway::parameters;
use crate::apigateway::responses::GatewayResponseType;
use crate::apigateway::trace::{IntegrationRequestRecord, Trace};
use crate::cloud::Cloud;
use crate::vtl::{self, MappingInput, MappingOutput};
use indexmap::IndexMap;

/// The request the integration receives.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IntegrationRequest {
    /// The endpoint URI, stage variables substituted (`None` for MOCK).
    pub uri: Option<String>,
    /// Headers.
    pub headers: IndexMap<String, String>,
    /// Query string.
    pub querystring: IndexMap<String, String>,
    /// Path parameters for `{name}` in the URI.
    pub path: IndexMap<String, String>,
    /// The body after transformations.
    pub body: String,
}

/// Builds the integration request for `call`.
pub fn run(
    call: &MethodCall<'_>,
    integration: &Integration,
    trace: &mut Trace,
) -> Result<IntegrationRequest, ChainError> {
    let content_type = header_value(&call.headers_single, "Content-Type")
        .map(media_type)
        .unwrap_or_else(|| "application/json".to_string());
    if let Some(handling) = &integration.content_handling {
        return Err(NotSimulated(format!("contentHandling {handling} (binary payload conversion)")).into());
    }
    if call
        .definition
        .binary_media_types
        .iter()
        .any(|t| binary_match(t, &content_type))
    {
        return Err(NotSimulated(format!(
            "binary payloads (Content-Type {content_type} is a binary media type)"
        ))
        .into());
    }
    if integration.integration_type == IntegrationType::AwsProxy {
        return Ok(proxy(call, integration, content_type, trace));
    }
    let template = integration
        .request_templates
        .iter()
        .find(|(key, _)| media_type(key) == content_type);
    let passes = match integration.passthrough_behavior {
        PassthroughBehavior::WhenNoMatch => true,
        PassthroughBehavior::WhenNoTemplates => integration.request_templates.is_empty(),
        PassthroughBehavior::Never => false,
    };
    let mut request = IntegrationRequest::default();
    let mut overrides = None;
    if integration.integration_type == IntegrationType::HttpProxy {
        // HTTP_PROXY passes the method request on as it is; parameter mappings still apply (source: "Set up HTTP
        // proxy integrations in API Gateway"; apigateway-facts (a): requestParameters merged into the request).
        request.body = call.body.to_string();
        request.headers = call.headers_single.clone();
        request.querystring = call.querystring_single.clone();
        map_parameters(call, integration, &mut request);
        request.uri = integration
            .uri
            .as_deref()
            .map(|uri| substitute_uri(uri, call.stage_variables, &request.path));
        record(trace, integration, content_type, None, &request);
        return Ok(request);
    }
    match template {
        Some((_, text)) => {
            let output = render(text, call.body, call)?;
            request.body = output.body;
            overrides = Some(output.request_override);
        }
        None if passes => request.body = call.body.to_string(),
        None => return Err(GatewayError::of(GatewayResponseType::UNSUPPORTED_MEDIA_TYPE).into()),
    }
    map_parameters(call, integration, &mut request);
    if let Some(o) = overrides {
        request.headers.extend(o.header);
        request.querystring.extend(o.querystring);
        request.path.extend(o.path);
    }
    request.uri = integration
        .uri
        .as_deref()
        .map(|uri| substitute_uri(uri, call.stage_variables, &request.path));
    record(
        trace,
        integration,
        content_type,
        template.map(|(k, _)| k.clone()),
        &request,
    );
    Ok(request)
}

fn record(
    trace: &mut Trace,
    integration: &Integration,
    content_type: String,
    template: Option<String>,
    request: &IntegrationRequest,
) {
    trace.integration_request = Some(IntegrationRequestRecord {
        integration_type: integration.integration_type.as_str().to_string(),
        content_type,
        template,
        uri: request.uri.clone(),
        headers: request.headers.clone(),
        querystring: request.querystring.clone(),
        body: request.body.clone(),
    });
}

/// A Lambda proxy integration's request: the event built from the method request; templates, passthrough
/// behaviour and parameter mappings do not apply (source: "Set up Lambda proxy integrations in API Gateway").
fn proxy(
    call: &MethodCall<'_>,
    integration: &Integration,
    content_type: String,
    trace: &mut Trace,
) -> IntegrationRequest {
    let request = IntegrationRequest {
        uri: integration
            .uri
            .as_deref()
            .map(|uri| substitute_uri(uri, call.stage_variables, &IndexMap::new())),
        body: crate::apigateway::invoke::proxy_event::build(call),
        ..IntegrationRequest::default()
    };
    trace.integration_request = Some(IntegrationRequestRecord {
        integration_type: integration.integration_type.as_str().to_string(),
        content_type,
        template: None,
        uri: request.uri.clone(),
        headers: IndexMap::new(),
        querystring: IndexMap::new(),
        body: request.body.clone(),
    });
    request
}

/// Renders a mapping template through the VTL engine. A template feature the engine lacks is loud
/// ([`NotSimulated`]); any other template error is AWS's 500 `Internal server error`.
pub fn render(template: &str, body: &str, call: &MethodCall<'_>) -> Result<MappingOutput, ChainError> {
    // A template can only read a variable whose name it contains (`#evaluate` could build one, so it gets
    // everything); skipping the rest saves building `$context` and copying maps on most requests.
    let has_references = template.contains('$');
    let evaluates = has_references && template.contains("evaluate");
    let reads = |name: &str| evaluates || (has_references && template.contains(name));
    let reads_input = reads("input");
    let input = MappingInput {
        body,
        path: if reads_input {
            call.path_parameters.clone()
        } else {
            IndexMap::new()
        },
        querystring: if reads_input {
            call.querystring_single.clone()
        } else {
            IndexMap::new()
        },
        header: if reads_input {
            call.headers_single.clone()
        } else {
            IndexMap::new()
        },
        context: if reads("context") {
            call.context.get().clone()
        } else {
            serde_json::Value::Null
        },
        stage_variables: if reads("stageVariables") {
            call.stage_variables.clone()
        } else {
            IndexMap::new()
        },
    };
    vtl::render_mapping_template(template, &input).map_err(|e| {
        if let Some(feature) = e.message.strip_prefix("not simulated: ") {
            ChainError::NotSimulated(NotSimulated(format!(
                "{feature}, in a mapping template at line {}, column {}:\n{}",
                e.line, e.column, e.excerpt
            )))
        } else {
            ChainError::Gateway(GatewayError::configuration(&format!(
                "Unable to transform request: {}",
                e.message
            )))
        }
    })
}

/// `integration.request.{header|querystring|path}.NAME` targets, each from its source expression.
fn map_parameters(call: &MethodCall<'_>, integration: &Integration, request: &mut IntegrationRequest) {
    if integration.request_parameters.is_empty() {
        return;
    }
    let sources = call.parameter_sources(None);
    for (target, expression) in &integration.request_parameters {
        let Some(rest) = target.strip_prefix("integration.request.") else {
            continue;
        };
        let Some((kind, name)) = rest.split_once('.') else {
            continue;
        };
        let Some(value) = parameters::resolve(expression, &sources) else {
            continue;
        };
        let map = match kind {
            "header" | "multivalueheader" => &mut request.headers,
            "querystring" | "multivaluequerystring" => &mut request.querystring,
            "path" => &mut request.path,
            _ => continue,
        };
        map.insert(name.to_string(), value);
    }
}

/// `${stageVariables.name}` and `{name}` (mapped path parameters) in an integration URI. Source: "Use stage
/// variables for a REST API" (stage variables in integration URIs); an undefined variable becomes empty.
pub fn substitute_uri(
    uri: &str,
    stage_variables: &IndexMap<String, String>,
    path: &IndexMap<String, String>,
) -> String {
    let mut out = String::with_capacity(uri.len());
    let mut rest = uri;
    while let Some(start) = rest.find("${stageVariables.") {
        out.push_str(&rest[..start]);
        let after = &rest[start + "${stageVariables.".len()..];
        match after.find('}') {
            Some(end) => {
                out.push_str(stage_variables.get(&after[..end]).map_or("", String::as_str));
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    for (name, value) in path {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Whether `content_type` matches the binary media type `pattern` (`image/png`, `image/*`, `*/*`).
fn binary_match(pattern: &str, content_type: &str) -> bool {
    let pattern = media_type(pattern);
    match pattern.strip_suffix("/*") {
        Some("*") => true,
        Some(kind) => content_type.split('/').next() == Some(kind),
        None => pattern == content_type,
    }
}

/// The media type of a `Content-Type` value: lowercased, without parameters.
pub fn media_type(value: &str) -> String {
    value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// Appends the headers API Gateway signs its endpoint request with, as the execution log shows them (Lambda and
/// AWS service integrations alike): `Authorization` (masked, ending in six hex digits of the signature),
/// `X-Amz-Date` (`20260101T000000Z`), `x-amzn-apigateway-api-id`, `Accept: application/json`,
/// `User-Agent: AmazonAPIGateway_<api id>` and a masked `X-Amz-Security-Token`. The signature and token are drawn
/// from the account's seeded ids, so logs are reproducible. `now` is virtual milliseconds.
pub(crate) fn signed_headers(cloud: &mut Cloud, api_id: &str, now: u64, headers: &mut IndexMap<String, String>) {
    let amz_date = format_millis(
        now,
        time::macros::format_description!("[year][month][day]T[hour][minute][second]Z"),
    );
    let signature = cloud.ids.string(6, b"0123456789abcdef");
    let token = format!(
        "IQoJb3JpZ2luX2Vj{}",
        cloud.ids.string(48, crate::cloud::MIXED_ALPHANUMERIC)
    );
    headers.insert("Authorization".to_string(), format!("{}{signature}", "*".repeat(120)));
    headers.insert("X-Amz-Date".to_string(), amz_date);
    headers.insert("x-amzn-apigateway-api-id".to_string(), api_id.to_string());
    headers.insert("Accept".to_string(), "application/json".to_string());
    headers.insert("User-Agent".to_string(), format!("AmazonAPIGateway_{api_id}"));
    headers.insert("X-Amz-Security-Token".to_string(), token.repeat(12));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apigateway::model::{ApiDefinition, Method};
    use serde_json::json;

    fn run_with(integration: &Integration, content_type: Option<&str>) -> Result<IntegrationRequest, ChainError> {
        let def = ApiDefinition::default();
        let method = Method::default();
        let headers: Vec<(String, String)> = content_type
            .map(|c| vec![("Content-Type".to_string(), c.to_string())])
            .unwrap_or_default();
        let vars: IndexMap<String, String> = [("env".to_string(), "prod".to_string())].into_iter().collect();
        let call = MethodCall {
            definition: &def,
            method: &method,
            http_method: "POST",
            raw_path: "/",
            path_parameters: [("id".to_string(), "7".to_string())].into_iter().collect(),
            querystring: IndexMap::new(),
            querystring_single: IndexMap::new(),
            headers: &headers,
            headers_single: crate::apigateway::http::single_headers(&headers),
            body: "raw",
            stage_variables: &vars,
            context: crate::apigateway::invoke::LazyContext::fixed(json!({})),
        };
        run(&call, integration, &mut Trace::default())
    }

    fn with_templates(behavior: PassthroughBehavior, templates: &[(&str, &str)]) -> Integration {
        let mut i = Integration::new(IntegrationType::Mock);
        i.passthrough_behavior = behavior;
        i.request_templates = templates.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        i
    }

    fn is_415(r: Result<IntegrationRequest, ChainError>) -> bool {
        matches!(r, Err(ChainError::Gateway(e)) if e.response_type == GatewayResponseType::UNSUPPORTED_MEDIA_TYPE && e.message == "Unsupported Media Type")
    }

    #[test]
    fn templates_are_chosen_by_content_type_defaulting_to_json() {
        let i = with_templates(
            PassthroughBehavior::WhenNoMatch,
            &[("application/json", "J"), ("text/plain", "T")],
        );
        assert_eq!(run_with(&i, None).unwrap().body, "J");
        assert_eq!(run_with(&i, Some("Text/Plain; charset=utf-8")).unwrap().body, "T");
        assert_eq!(run_with(&i, Some("application/xml")).unwrap().body, "raw");
    }

    #[test]
    fn passthrough_behaviours_follow_aws() {
        let none = with_templates(PassthroughBehavior::WhenNoTemplates, &[]);
        assert_eq!(run_with(&none, Some("text/csv")).unwrap().body, "raw");
        let some = with_templates(PassthroughBehavior::WhenNoTemplates, &[("application/json", "J")]);
        assert!(is_415(run_with(&some, Some("text/csv"))));
        let never = with_templates(PassthroughBehavior::Never, &[]);
        assert!(is_415(run_with(&never, None)));
    }

    #[test]
    fn binary_handling_is_loudly_not_simulated() {
        let mut i = with_templates(PassthroughBehavior::WhenNoMatch, &[]);
        i.content_handling = Some("CONVERT_TO_TEXT".into());
        assert!(matches!(run_with(&i, None), Err(ChainError::NotSimulated(_))));
        assert!(binary_match("image/*", "image/png"));
        assert!(binary_match("*/*", "text/plain"));
        assert!(!binary_match("image/png", "image/gif"));
    }

    #[test]
    fn uris_take_stage_variables_and_mapped_path_parameters() {
        let vars: IndexMap<String, String> = [("host".to_string(), "example.com".to_string())].into_iter().collect();
        let path: IndexMap<String, String> = [("id".to_string(), "7".to_string())].into_iter().collect();
        assert_eq!(
            substitute_uri(
                "https://${stageVariables.host}/pets/{id}${stageVariables.none}",
                &vars,
                &path
            ),
            "https://example.com/pets/7"
        );
        assert_eq!(
            substitute_uri("https://${stageVariables.broken", &vars, &path),
            "https://${stageVariables.broken"
        );
    }
}
