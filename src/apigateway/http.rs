//! The HTTP side of the gateway: an incoming request as the client sent it, its parsed invoke path, and the
//! response as the client receives it.
//!
//! Parsing never fails and never panics: odd escapes are kept as written, empty segments are kept (the router
//! decides what they match), and sizes are checked against API Gateway's payload limit before anything else.

use indexmap::IndexMap;
use serde_json::{json, Map, Value as Json};

/// API Gateway's payload limit for REST APIs: 10 MB. Source: "Amazon API Gateway quotas" ("Payload size: 10 MB").
pub const MAX_PAYLOAD_BYTES: usize = 10 * 1024 * 1024;

/// A request to an invoke URL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpRequest {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The path after the host, beginning with the stage and including the raw query string:
    /// `/test/pets/1?x=1`.
    pub path: String,
    /// Headers in the order sent, names as written.
    pub headers: Vec<(String, String)>,
    /// The body, verbatim.
    pub body: String,
}

/// A response as the client receives it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpResponse {
    /// The status code.
    pub status_code: u16,
    /// Headers in order; a name may repeat.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
    /// Whether `body` is base64 (binary payloads).
    pub is_base64_encoded: bool,
}

impl HttpResponse {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The response as one JSON object: `statusCode`, `headers` (last value per name), `multiValueHeaders`
    /// (every value), `body`, `isBase64Encoded` — the shape of a Lambda proxy response, which the CLI prints.
    pub fn to_json(&self) -> Json {
        let (headers, multi) = header_maps(&self.headers);
        json!({
            "statusCode": self.status_code,
            "headers": headers,
            "multiValueHeaders": multi,
            "body": self.body,
            "isBase64Encoded": self.is_base64_encoded,
        })
    }
}

/// Single-value (last wins) and multi-value JSON maps of `headers`, names as first written.
pub fn header_maps(headers: &[(String, String)]) -> (Json, Json) {
    let mut single = Map::new();
    let mut multi: Map<String, Json> = Map::new();
    for (k, v) in headers {
        single.insert(k.clone(), Json::String(v.clone()));
        match multi.get_mut(k) {
            Some(Json::Array(values)) => values.push(Json::String(v.clone())),
            _ => {
                multi.insert(k.clone(), json!([v]));
            }
        }
    }
    (Json::Object(single), Json::Object(multi))
}

/// An invoke path split into stage, resource path and query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvokePath<'a> {
    /// The stage name (first segment), as written.
    pub stage: &'a str,
    /// The path after the stage, beginning with `/` (just `/` for the stage root).
    pub path: &'a str,
    /// The raw query string, without `?`.
    pub query: &'a str,
}

/// Splits `/stage/rest?query`. A path without a leading `/` is read as if it had one.
pub fn split_invoke_path(raw: &str) -> InvokePath<'_> {
    let (path, query) = raw.split_once('?').unwrap_or((raw, ""));
    let path = path.strip_prefix('/').unwrap_or(path);
    let (stage, rest) = match path.find('/') {
        Some(i) => (&path[..i], &path[i..]),
        None => (path, "/"),
    };
    InvokePath {
        stage,
        path: rest,
        query,
    }
}

/// The query string as API Gateway reads it: `queryStringParameters` keeps the last value of each name,
/// `multiValueQueryStringParameters` all of them. `+` is a space and `%xx` escapes are decoded; a malformed
/// escape is kept as written. Source: "Set up Lambda proxy integrations" (input format; single-value maps keep
/// the last value).
pub fn parse_query(query: &str) -> (IndexMap<String, String>, IndexMap<String, Vec<String>>) {
    let mut single = IndexMap::new();
    let mut multi: IndexMap<String, Vec<String>> = IndexMap::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode_form(k), decode_form(v));
        multi.entry(k.clone()).or_default().push(v.clone());
        single.insert(k, v);
    }
    (single, multi)
}

/// `%xx` decoding; `+` stays `+` (path segments).
pub fn percent_decode(s: &str) -> String {
    decode(s, false)
}

fn decode_form(s: &str) -> String {
    decode(s, true)
}

fn decode(s: &str, plus_is_space: bool) -> String {
    if !s.contains(['%', '+']) {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => match (bytes.get(i + 1).and_then(hex), bytes.get(i + 2).and_then(hex)) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: &u8) -> Option<u8> {
    (*b as char).to_digit(16).map(|d| d as u8)
}

/// Headers as API Gateway's single-value map (last value of each name wins; names as first written).
pub fn single_headers(headers: &[(String, String)]) -> IndexMap<String, String> {
    let mut map: IndexMap<String, String> = IndexMap::new();
    for (k, v) in headers {
        match map.keys().position(|existing| existing.eq_ignore_ascii_case(k)) {
            Some(i) => {
                if let Some((_, value)) = map.get_index_mut(i) {
                    *value = v.clone();
                }
            }
            None => {
                map.insert(k.clone(), v.clone());
            }
        }
    }
    map
}

/// The value of header `name` in a single-value map (case-insensitive).
pub fn header_value<'a>(headers: &'a IndexMap<String, String>, name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invoke_paths_split_into_stage_path_and_query() {
        let p = split_invoke_path("/test/pets/1?x=1&y");
        assert_eq!((p.stage, p.path, p.query), ("test", "/pets/1", "x=1&y"));
        let root = split_invoke_path("/test");
        assert_eq!((root.stage, root.path), ("test", "/"));
        let slash = split_invoke_path("/test/");
        assert_eq!((slash.stage, slash.path), ("test", "/"));
        assert_eq!(split_invoke_path("").stage, "");
    }

    #[test]
    fn queries_keep_the_last_value_and_decode() {
        let (single, multi) = parse_query("a=1&a=2&b=x+y%21&c&bad=%zz%4");
        assert_eq!(single["a"], "2");
        assert_eq!(multi["a"], ["1", "2"]);
        assert_eq!(single["b"], "x y!");
        assert_eq!(single["c"], "");
        assert_eq!(single["bad"], "%zz%4");
    }

    #[test]
    fn headers_are_last_wins_case_insensitively() {
        let h = single_headers(&[("X-A".into(), "1".into()), ("x-a".into(), "2".into())]);
        assert_eq!(h.len(), 1);
        assert_eq!(header_value(&h, "X-A"), Some("2"));
    }

    #[test]
    fn responses_print_as_proxy_shaped_json() {
        let r = HttpResponse {
            status_code: 200,
            headers: vec![("A".into(), "1".into()), ("A".into(), "2".into())],
            body: "b".into(),
            is_base64_encoded: false,
        };
        assert_eq!(
            r.to_json().to_string(),
            r#"{"statusCode":200,"headers":{"A":"2"},"multiValueHeaders":{"A":["1","2"]},"body":"b","isBase64Encoded":false}"#
        );
    }
}
