//! Parse + render of arbitrary templates against an arbitrary request: must never panic or hang.
//!
//! Input layout: the bytes up to the first NUL are the template; the rest is split on NUL into the body, a
//! query string value, a header value, a path parameter and a stage variable.
#![no_main]

use indexmap::IndexMap;
use libfuzzer_sys::fuzz_target;
use serverless_playground::vtl::{render_mapping_template, MappingInput, Template};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\0');
    let template = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default();
    let one = |v: Option<&str>| {
        let mut m = IndexMap::new();
        m.insert("x".to_string(), v.unwrap_or_default().to_string());
        m
    };
    let querystring = one(parts.next());
    let header = one(parts.next());
    let path = one(parts.next());
    let stage_variables = one(parts.next());
    let context = serde_json::json!({"requestId": "r", "identity": {"sourceIp": "1.2.3.4"}, "authorizer": {"claims": {"sub": "u"}}});
    let input = MappingInput { body, path, querystring, header, context, stage_variables };
    let _ = render_mapping_template(template, &input);
    if let Ok(t) = Template::parse(template) {
        let mut vars = serde_json::Map::new();
        vars.insert("items".into(), serde_json::from_str(body).unwrap_or(serde_json::Value::Null));
        let _ = t.render_with_vars(&vars);
    }
});
