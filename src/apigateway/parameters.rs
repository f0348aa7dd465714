//! Parameter mapping expressions: the right-hand sides of `requestParameters` (integration) and
//! `responseParameters` (integration and gateway responses).
//!
//! Source: "Parameter mapping source reference for REST APIs"
//! (https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-parameter-mapping-sources.html):
//! `'static value'`, `method.request.{path|querystring|header|multivaluequerystring|multivalueheader}.NAME`,
//! `method.request.body[.JSONPath]`, `integration.response.header.NAME`,
//! `integration.response.multivalueheader.NAME`, `integration.response.body[.JSONPath]`, `stageVariables.NAME`,
//! `context.VARIABLE`. A multi-value source joins its values with `,` (same page). A source that is absent maps
//! to nothing (the target is left out).

use crate::apigateway::http::header_value;
use indexmap::IndexMap;
use serde_json::Value as Json;

/// What mapping expressions can read.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// Method request path parameters.
    pub path: &'a IndexMap<String, String>,
    /// Method request query string (last value per name).
    pub querystring: &'a IndexMap<String, Vec<String>>,
    /// Method request headers (every value per name).
    pub headers: &'a [(String, String)],
    /// The method request body.
    pub body: &'a str,
    /// Stage variables.
    pub stage_variables: &'a IndexMap<String, String>,
    /// `$context` as JSON.
    pub context: &'a Json,
    /// The integration response's headers and body, when mapping a response.
    pub integration_response: Option<(&'a IndexMap<String, String>, &'a str)>,
}

/// The value of `expression`, or `None` when its source is absent or the expression is not one AWS knows.
pub fn resolve(expression: &str, sources: &Sources<'_>) -> Option<String> {
    let expression = expression.trim();
    if let Some(literal) = expression.strip_prefix('\'').and_then(|e| e.strip_suffix('\'')) {
        return Some(literal.to_string());
    }
    if let Some(rest) = expression.strip_prefix("method.request.") {
        return method_request(rest, sources);
    }
    if let Some(rest) = expression.strip_prefix("integration.response.") {
        let (headers, body) = sources.integration_response?;
        return match rest.split_once('.') {
            Some(("header" | "multivalueheader", name)) => header_value(headers, name).map(str::to_string),
            Some(("body", path)) => json_path(body, path),
            None if rest == "body" => Some(body.to_string()),
            _ => None,
        };
    }
    if let Some(name) = expression.strip_prefix("stageVariables.") {
        return sources.stage_variables.get(name).cloned();
    }
    if let Some(path) = expression.strip_prefix("context.") {
        let value = path.split('.').try_fold(sources.context, |v, key| v.get(key))?;
        return Some(scalar(value));
    }
    None
}

fn method_request(rest: &str, sources: &Sources<'_>) -> Option<String> {
    if rest == "body" {
        return Some(sources.body.to_string());
    }
    let (kind, name) = rest.split_once('.')?;
    match kind {
        "path" => sources.path.get(name).cloned(),
        "querystring" => sources.querystring.get(name).and_then(|v| v.last()).cloned(),
        "multivaluequerystring" => sources.querystring.get(name).map(|v| v.join(",")),
        "header" => sources
            .headers
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone()),
        "multivalueheader" => {
            let values: Vec<&str> = sources
                .headers
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
                .collect();
            (!values.is_empty()).then(|| values.join(","))
        }
        "body" => json_path(sources.body, name),
        _ => None,
    }
}

/// A dotted JSONPath (`$.a.b`, `a.b`, `a[0].b`) into a JSON body; strings come out bare, other values as JSON.
fn json_path(body: &str, path: &str) -> Option<String> {
    let root: Json = serde_json::from_str(body).ok()?;
    let path = path.strip_prefix('$').unwrap_or(path);
    let mut value = &root;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            value = value.get(key)?;
        }
        for index in indexes.split('[').filter(|s| !s.is_empty()) {
            let n: usize = index.strip_suffix(']')?.parse().ok()?;
            value = value.get(n)?;
        }
    }
    Some(scalar(value))
}

fn scalar(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_source_kind_resolves() {
        let path: IndexMap<String, String> = [("id".to_string(), "7".to_string())].into_iter().collect();
        let query: IndexMap<String, Vec<String>> = [("q".to_string(), vec!["a".to_string(), "b".to_string()])]
            .into_iter()
            .collect();
        let headers = vec![
            ("X-A".to_string(), "1".to_string()),
            ("x-a".to_string(), "2".to_string()),
        ];
        let vars: IndexMap<String, String> = [("v".to_string(), "sv".to_string())].into_iter().collect();
        let context = json!({"requestId": "r1", "identity": {"sourceIp": "1.2.3.4"}});
        let response_headers: IndexMap<String, String> = [("Up".to_string(), "u".to_string())].into_iter().collect();
        let s = Sources {
            path: &path,
            querystring: &query,
            headers: &headers,
            body: r#"{"a":{"b":[10,{"c":"x"}]}}"#,
            stage_variables: &vars,
            context: &context,
            integration_response: Some((&response_headers, r#"{"m":"ok"}"#)),
        };
        let r = |e: &str| resolve(e, &s);
        assert_eq!(r("'text'").as_deref(), Some("text"));
        assert_eq!(r("method.request.path.id").as_deref(), Some("7"));
        assert_eq!(r("method.request.querystring.q").as_deref(), Some("b"));
        assert_eq!(r("method.request.multivaluequerystring.q").as_deref(), Some("a,b"));
        assert_eq!(r("method.request.header.x-A").as_deref(), Some("2"));
        assert_eq!(r("method.request.multivalueheader.X-A").as_deref(), Some("1,2"));
        assert_eq!(r("method.request.body.$.a.b[1].c").as_deref(), Some("x"));
        assert_eq!(r("method.request.body.a.b[0]").as_deref(), Some("10"));
        assert_eq!(r("stageVariables.v").as_deref(), Some("sv"));
        assert_eq!(r("context.identity.sourceIp").as_deref(), Some("1.2.3.4"));
        assert_eq!(r("integration.response.header.up").as_deref(), Some("u"));
        assert_eq!(r("integration.response.body.m").as_deref(), Some("ok"));
        assert_eq!(r("method.request.path.missing"), None);
        assert_eq!(r("nonsense"), None);
    }
}
