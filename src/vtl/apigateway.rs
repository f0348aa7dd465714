//! API Gateway's template variables: `$input`, `$util`, `$context`, `$stageVariables`.
//!
//! Source: "API Gateway mapping template and access logging variable reference"
//! (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html),
//! and `shared/reference/apigateway-facts.md` for behaviour the page leaves open.

use super::jsonpath::{self, Selection};
use super::value::{JMap, Value};
use super::{MappingInput, MappingOutput, Overrides, ResponseOverride};
use base64::Engine as _;
use indexmap::IndexMap;
use serde_json::Value as Json;
use std::cell::OnceCell;

/// The request (or integration response) a template renders against, with the body parsed on first use.
pub struct Gateway<'a> {
    input: &'a MappingInput<'a>,
    body_json: OnceCell<Result<Json, String>>,
}

impl<'a> Gateway<'a> {
    /// Bindings over `input`.
    pub fn new(input: &'a MappingInput<'a>) -> Self {
        Gateway {
            input,
            body_json: OnceCell::new(),
        }
    }

    /// `$input.body`: the raw payload; an empty payload reads as `{}` (issue #4, API Gateway's default for
    /// an empty JSON body).
    fn body(&self) -> &str {
        if self.input.body.is_empty() {
            "{}"
        } else {
            self.input.body
        }
    }

    /// The payload parsed as JSON. Errors: the payload is not JSON.
    fn json_body(&self) -> Result<&Json, String> {
        self.body_json
            .get_or_init(|| {
                serde_json::from_str(self.body()).map_err(|e| format!("$input: the payload is not valid JSON ({e})"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// `$input.<name>(args)` and the `$input.body` property.
    pub fn input_call(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        match (name, args) {
            ("body" | "getBody", []) => Ok(Value::str(self.body())),
            ("json", [path]) => self.input_json(&path.java_string()),
            ("path", [path]) => self.input_path(&path.java_string()),
            ("params", []) => Ok(self.all_params()),
            ("params", [name]) => Ok(Value::str(&self.param(&name.java_string()))),
            _ => Err(format!("$input has no method {name} with {} argument(s)", args.len())),
        }
    }

    /// `$input.json(path)`: the match as a JSON string; a path that matches nothing gives an empty string
    /// (not documented; the same as `$input.path`).
    fn input_json(&self, path: &str) -> Result<Value, String> {
        match jsonpath::select(self.json_body()?, path)? {
            Selection::Missing => Ok(Value::str("")),
            Selection::Found(v) => Ok(Value::str(&v.to_string())),
        }
    }

    /// `$input.path(path)`: the match as an object (map, JSON list, string, number, boolean). A path that
    /// matches nothing gives an empty string, which is what the `#if($input.path('$.x') == '')` idiom relies on
    /// (observed in published templates; AWS does not document it).
    fn input_path(&self, path: &str) -> Result<Value, String> {
        match jsonpath::select(self.json_body()?, path)? {
            Selection::Missing => Ok(Value::str("")),
            Selection::Found(v) => Ok(Value::from_json(&v)),
        }
    }

    /// `$input.params()`: `{path={...}, querystring={...}, header={...}}`.
    fn all_params(&self) -> Value {
        let to_map =
            |m: &IndexMap<String, String>| Value::map(m.iter().map(|(k, v)| (k.clone(), Value::str(v))).collect());
        let mut all = JMap::default();
        all.insert("path".to_string(), to_map(&self.input.path));
        all.insert("querystring".to_string(), to_map(&self.input.querystring));
        all.insert("header".to_string(), to_map(&self.input.header));
        Value::map(all)
    }

    /// `$input.params(name)`: the path parameter, else the query string parameter, else the header (header names
    /// compare case-insensitively, as HTTP defines them); empty when none has it.
    fn param(&self, name: &str) -> String {
        if let Some(v) = self.input.path.get(name).or_else(|| self.input.querystring.get(name)) {
            return v.clone();
        }
        self.input
            .header
            .get(name)
            .or_else(|| {
                self.input
                    .header
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v)
            })
            .cloned()
            .unwrap_or_default()
    }
}

/// `$util.<name>(args)`.
pub fn util_call(name: &str, args: &[Value]) -> Result<Value, String> {
    let [arg] = args else {
        return Err(format!("$util has no method {name} with {} argument(s)", args.len()));
    };
    if matches!(arg, Value::Null) {
        return Ok(Value::Null);
    }
    let s = arg.java_string();
    match name {
        "escapeJavaScript" => Ok(Value::str(&escape_javascript(&s))),
        "parseJson" => serde_json::from_str::<Json>(&s)
            .map(|j| Value::from_json(&j))
            .map_err(|e| format!("$util.parseJson: invalid JSON ({e})")),
        "urlEncode" => Ok(Value::str(
            &form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>(),
        )),
        "urlDecode" => url_decode(&s).map(|d| Value::str(&d)),
        "base64Encode" => Ok(Value::str(
            &base64::engine::general_purpose::STANDARD.encode(s.as_bytes()),
        )),
        "base64Decode" => base64::engine::general_purpose::STANDARD
            .decode(s.trim().as_bytes())
            .map(|b| Value::str(&String::from_utf8_lossy(&b)))
            .map_err(|e| format!("$util.base64Decode: {e}")),
        _ => Err(format!("$util has no method {name} with 1 argument(s)")),
    }
}

/// `$util.escapeJavaScript`: Apache Commons Lang 2 `StringEscapeUtils.escapeJavaScript`, which AWS documents
/// as "escapes the characters in a string using JavaScript string rules" (so `'` becomes `\'`, `/` becomes `\/`,
/// and every character outside ASCII a `\uXXXX` escape of its UTF-16 units, upper-case hex).
pub fn escape_javascript(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for unit in s.encode_utf16() {
        match unit {
            0x08 => out.push_str("\\b"),
            0x09 => out.push_str("\\t"),
            0x0A => out.push_str("\\n"),
            0x0C => out.push_str("\\f"),
            0x0D => out.push_str("\\r"),
            0x22 => out.push_str("\\\""),
            0x27 => out.push_str("\\'"),
            0x5C => out.push_str("\\\\"),
            0x2F => out.push_str("\\/"),
            u if !(0x20..=0x7F).contains(&u) => out.push_str(&format!("\\u{u:04X}")),
            u => out.push(char::from(u as u8)),
        }
    }
    out
}

/// `$util.urlDecode`: Java `URLDecoder.decode(s, "UTF-8")` (`+` is a space). Errors: a malformed `%` escape,
/// as Java's `IllegalArgumentException`.
fn url_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                let byte = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
                match byte {
                    Some(v) => out.push(v),
                    None => {
                        return Err("$util.urlDecode: URLDecoder: Illegal hex characters in escape (%) pattern".into())
                    }
                }
                i += 2;
            }
            _ => out.push(b),
        }
        i += 1;
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// `$context` as a map: the caller's JSON, plus empty `requestOverride` (`header`, `querystring`, `path`) and
/// `responseOverride` (`header`) maps for the template to write into. Numbers and booleans directly under
/// `authorizer` become strings: "Variables for data transformations", `$context.authorizer.property`, says the
/// authorizer context `{"numKey": 1, "boolKey": true}` reads back as the strings `"1"` and `"true"`.
pub fn context_value(context: &Json) -> Value {
    let base = match context {
        Json::Object(_) => Value::from_json(context),
        _ => Value::map(JMap::default()),
    };
    if let Value::Map(map) = &base {
        let mut map = map.borrow_mut();
        let empty = || Value::map(JMap::default());
        let request = map
            .entry("requestOverride".to_string())
            .or_insert_with(|| Value::map(JMap::default()));
        if let Value::Map(r) = request {
            let mut r = r.borrow_mut();
            for key in ["header", "querystring", "path"] {
                r.entry(key.to_string()).or_insert_with(empty);
            }
        }
        let response = map
            .entry("responseOverride".to_string())
            .or_insert_with(|| Value::map(JMap::default()));
        if let Value::Map(r) = response {
            r.borrow_mut().entry("header".to_string()).or_insert_with(empty);
        }
        if let Some(Value::Map(authorizer)) = map.get("authorizer") {
            for value in authorizer.borrow_mut().values_mut() {
                if matches!(value, Value::Int(_) | Value::Float(_) | Value::Bool(_)) {
                    *value = Value::str(&value.java_string());
                }
            }
        }
    }
    base
}

/// `$stageVariables` as a map.
pub fn stage_variables_value(vars: &IndexMap<String, String>) -> Value {
    Value::map(vars.iter().map(|(k, v)| (k.clone(), Value::str(v))).collect())
}

/// Reads the overrides the template wrote into `$context` into `out`.
pub fn read_overrides(context: &Value, out: &mut MappingOutput) {
    let Value::Map(ctx) = context else { return };
    let ctx = ctx.borrow();
    if let Some(Value::Map(req)) = ctx.get("requestOverride") {
        let req = req.borrow();
        out.request_override = Overrides {
            header: string_map(req.get("header")),
            querystring: string_map(req.get("querystring")),
            path: string_map(req.get("path")),
        };
    }
    if let Some(Value::Map(resp)) = ctx.get("responseOverride") {
        let resp = resp.borrow();
        let status = match resp.get("status") {
            Some(Value::Int(i)) => u16::try_from(*i).ok(),
            Some(Value::Str(s)) => s.trim().parse().ok(),
            _ => None,
        };
        out.response_override = ResponseOverride {
            status,
            header: string_map(resp.get("header")),
        };
    }
}

/// A map value's entries as strings (null values dropped).
fn string_map(value: Option<&Value>) -> IndexMap<String, String> {
    match value {
        Some(Value::Map(m)) => m
            .borrow()
            .iter()
            .filter(|(_, v)| !matches!(v, Value::Null))
            .map(|(k, v)| (k.clone(), v.java_string()))
            .collect(),
        _ => IndexMap::new(),
    }
}

/// The `$context` variables the mapping template reference documents, as dotted paths; the gateway fills
/// [`MappingInput::context`] with these (nested objects for `identity`, `authorizer`, `error`, ...). Names in
/// `<angle brackets>` stand for any key. The engine itself exposes whatever the JSON holds.
pub const DOCUMENTED_CONTEXT_VARIABLES: &[&str] = &[
    "accountId",
    "apiId",
    "authorizer.claims.<property>",
    "authorizer.principalId",
    "authorizer.<property>",
    "awsEndpointRequestId",
    "deploymentId",
    "domainName",
    "domainPrefix",
    "error.message",
    "error.messageString",
    "error.responseType",
    "error.validationErrorString",
    "extendedRequestId",
    "httpMethod",
    "identity.accountId",
    "identity.apiKey",
    "identity.apiKeyId",
    "identity.caller",
    "identity.clientCert.clientCertPem",
    "identity.clientCert.issuerDN",
    "identity.clientCert.serialNumber",
    "identity.clientCert.subjectDN",
    "identity.clientCert.validity.notAfter",
    "identity.clientCert.validity.notBefore",
    "identity.cognitoAuthenticationProvider",
    "identity.cognitoAuthenticationType",
    "identity.cognitoIdentityId",
    "identity.cognitoIdentityPoolId",
    "identity.principalOrgId",
    "identity.sourceIp",
    "identity.user",
    "identity.userAgent",
    "identity.userArn",
    "identity.vpcId",
    "identity.vpceId",
    "isCanaryRequest",
    "path",
    "protocol",
    "requestId",
    "requestOverride.header.<header_name>",
    "requestOverride.path.<path_name>",
    "requestOverride.querystring.<querystring_name>",
    "requestTime",
    "requestTimeEpoch",
    "resourceId",
    "resourcePath",
    "responseOverride.header.<header_name>",
    "responseOverride.status",
    "stage",
    "wafResponseCode",
    "webaclArn",
];
