//! What API Gateway makes of a Lambda proxy integration's result (REST API, payload format 1.0).
//!
//! Source: "Set up Lambda proxy integrations in API Gateway", section "Output format of a Lambda function for
//! proxy integration": the result is a JSON object with only `statusCode`, `headers`, `multiValueHeaders`, `body`
//! and `isBase64Encoded`; "If you specify values for both headers and multiValueHeaders, API Gateway merges them
//! into a single list. If the same key-value pair is specified in both, only the values from multiValueHeaders
//! will appear in the merged list." Anything else is a malformed response: 502 `{"message": "Internal server
//! error"}`, logged `Execution failed due to configuration error: Malformed Lambda proxy response` (conformance
//! case 06; apigateway-facts divergence 7: an unknown key, a non-object result, a non-list `multiValueHeaders`
//! value). `statusCode` may be a number or a numeric string; when absent the status is 200 (apigateway-facts
//! divergence 7). A `body` that is an object or array is malformed (AWS-recorded log in apigateway-facts (d)).
//!
//! Our readings where AWS does not say: AWS reads the result with Jackson into strings, so a number or boolean
//! `body` or header value is taken as its text; a `null` header value is dropped, a `null` body is empty; a status
//! outside 100..=599 is malformed. Without a `Content-Type` header the response has `Content-Type:
//! application/json`, as AWS's REST responses do. With `isBase64Encoded: true` and no binary media types the body
//! is returned as the base64 text it is ("Return binary media from a Lambda proxy integration": decoding needs
//! binary media types, which the simulator does not support yet).

use crate::apigateway::invoke::integration_response::MethodOutput;
use serde_json::Value as Json;

/// The keys a result may have.
const ALLOWED_KEYS: [&str; 5] = ["statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"];

/// Why a result is malformed (for tests and the trace; AWS logs only "Malformed Lambda proxy response").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub &'static str);

/// The method response for the function's result `payload` (JSON text).
pub fn map(payload: &str) -> Result<MethodOutput, Malformed> {
    let value: Json = serde_json::from_str(payload).map_err(|_| Malformed("not JSON"))?;
    let Json::Object(result) = value else {
        return Err(Malformed("not an object"));
    };
    if result.keys().any(|k| !ALLOWED_KEYS.contains(&k.as_str())) {
        return Err(Malformed("an unknown key"));
    }
    let status = match result.get("statusCode") {
        None | Some(Json::Null) => 200,
        Some(Json::Number(n)) => n.as_u64().ok_or(Malformed("statusCode is not an integer"))?,
        Some(Json::String(s)) => s.trim().parse().map_err(|_| Malformed("statusCode is not numeric"))?,
        Some(_) => return Err(Malformed("statusCode is not a number")),
    };
    let status = u16::try_from(status)
        .ok()
        .filter(|s| (100..=599).contains(s))
        .ok_or(Malformed("statusCode out of range"))?;
    let mut headers: Vec<(String, String)> = Vec::new();
    match result.get("multiValueHeaders") {
        None | Some(Json::Null) => {}
        Some(Json::Object(map)) => {
            for (name, values) in map {
                match values {
                    Json::Array(values) => {
                        for v in values {
                            if let Some(v) = scalar(v)? {
                                headers.push((name.clone(), v));
                            }
                        }
                    }
                    Json::Null => {}
                    _ => return Err(Malformed("a multiValueHeaders value is not a list")),
                }
            }
        }
        Some(_) => return Err(Malformed("multiValueHeaders is not an object")),
    }
    match result.get("headers") {
        None | Some(Json::Null) => {}
        Some(Json::Object(map)) => {
            let from_multi: Vec<String> = headers.iter().map(|(k, _)| k.to_ascii_lowercase()).collect();
            for (name, value) in map {
                let Some(value) = scalar(value)? else { continue };
                if !from_multi.contains(&name.to_ascii_lowercase()) {
                    headers.push((name.clone(), value));
                }
            }
        }
        Some(_) => return Err(Malformed("headers is not an object")),
    }
    let body = match result.get("body") {
        None => String::new(),
        Some(v) => scalar(v)?.unwrap_or_default(),
    };
    match result.get("isBase64Encoded") {
        None | Some(Json::Null) | Some(Json::Bool(_)) => {}
        Some(_) => return Err(Malformed("isBase64Encoded is not a boolean")),
    }
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("Content-Type")) {
        headers.insert(0, ("Content-Type".to_string(), "application/json".to_string()));
    }
    Ok(MethodOutput { status, headers, body })
}

/// A string, number or boolean as text; `null` as `None`; an object or array is malformed.
fn scalar(v: &Json) -> Result<Option<String>, Malformed> {
    match v {
        Json::Null => Ok(None),
        Json::String(s) => Ok(Some(s.clone())),
        Json::Number(n) => Ok(Some(n.to_string())),
        Json::Bool(b) => Ok(Some(b.to_string())),
        _ => Err(Malformed("an object where text was expected")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn valid_shapes_become_the_response() {
        let out = map(r#"{"statusCode":201,"headers":{"Location":"/items/7"},"body":"created"}"#).unwrap();
        assert_eq!(out.status, 201);
        assert_eq!(out.body, "created");
        assert_eq!(
            out.headers,
            h(&[("Content-Type", "application/json"), ("Location", "/items/7")])
        );
        assert_eq!(map(r#"{"statusCode":"202","body":"queued"}"#).unwrap().status, 202);
        let out = map(r#"{"body":"x"}"#).unwrap();
        assert_eq!((out.status, out.body.as_str()), (200, "x"));
        let out = map(r#"{"statusCode":200}"#).unwrap();
        assert_eq!(out.body, "");
        assert_eq!(
            map(r#"{"statusCode":200,"isBase64Encoded":true,"body":"aGk="}"#)
                .unwrap()
                .body,
            "aGk="
        );
    }

    #[test]
    fn headers_and_multi_value_headers_merge_as_aws_says() {
        let out = map(
            r#"{"statusCode":200,"headers":{"Content-Type":"text/plain","X-A":"1","x-b":"single"},
                "multiValueHeaders":{"X-B":["m1","m2"],"Set-Cookie":["a=1","b=2"]},"body":""}"#,
        )
        .unwrap();
        assert_eq!(
            out.headers,
            h(&[
                ("X-B", "m1"),
                ("X-B", "m2"),
                ("Set-Cookie", "a=1"),
                ("Set-Cookie", "b=2"),
                ("Content-Type", "text/plain"),
                ("X-A", "1")
            ])
        );
    }

    #[test]
    fn malformed_results_are_refused() {
        for payload in [
            r#"{"statusCode":200,"body":"ok","unexpected":1}"#,
            "null",
            "\"text\"",
            "[1]",
            "42",
            "",
            "{not json",
            r#"{"statusCode":"abc"}"#,
            r#"{"statusCode":2.5}"#,
            r#"{"statusCode":99999}"#,
            r#"{"statusCode":true}"#,
            r#"{"body":{"hey":"dude"}}"#,
            r#"{"headers":"x"}"#,
            r#"{"headers":{"a":{"b":1}}}"#,
            r#"{"multiValueHeaders":{"a":"b"}}"#,
            r#"{"isBase64Encoded":"yes"}"#,
            r#"{"cookies":["a=1"]}"#,
        ] {
            assert!(map(payload).is_err(), "{payload}");
        }
    }

    #[test]
    fn scalars_are_taken_as_text() {
        let out = map(r#"{"statusCode":200,"headers":{"X-N":5,"X-Null":null},"body":12}"#).unwrap();
        assert_eq!(out.body, "12");
        assert_eq!(out.headers, h(&[("Content-Type", "application/json"), ("X-N", "5")]));
    }
}
