//! JSON Schema draft 4, the dialect of API Gateway models ("Data models for REST APIs").
//!
//! A subset written here rather than a crate: the well-kept validators pull in network `$ref` resolution and
//! large regex engines that the wasm build does not need. Supported keywords: `type`, `enum`, `properties`,
//! `required`, `additionalProperties`, `patternProperties`, `items` (schema or tuple), `additionalItems`,
//! `minItems`, `maxItems`, `uniqueItems`, `minLength`, `maxLength`, `pattern`, `minimum`, `maximum`,
//! `exclusiveMinimum`/`exclusiveMaximum` (draft 4 booleans), `multipleOf`, `minProperties`, `maxProperties`,
//! `allOf`, `anyOf`, `oneOf`, `not`, `$ref` (`#/definitions/...` within the schema, and other models of the API
//! as `https://apigateway.amazonaws.com/restapis/{id}/models/{name}` or `#/definitions/{name}`). `format` is not
//! checked (draft 4 makes it optional). Recursion is capped so a self-referencing model cannot loop.

use crate::apigateway::model::ApiDefinition;
use serde_json::{json, Value as Json};

const MAX_DEPTH: usize = 64;

/// The built-in models every API has. Source: "Data models for REST APIs" (`Empty`, `Error`).
pub fn builtin_model(name: &str) -> Option<Json> {
    match name {
        "Empty" => Some(
            json!({"$schema": "http://json-schema.org/draft-04/schema#", "title": "Empty Schema", "type": "object"}),
        ),
        "Error" => Some(
            json!({"$schema": "http://json-schema.org/draft-04/schema#", "title": "Error Schema", "type": "object", "properties": {"message": {"type": "string"}}}),
        ),
        _ => None,
    }
}

/// Validates `value` against `schema`; the errors name the failing location (`$.a.b`).
pub fn validate(schema: &Json, value: &Json, definition: &ApiDefinition) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    check(schema, schema, value, "$", definition, 0, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn check(
    root: &Json,
    schema: &Json,
    value: &Json,
    at: &str,
    def: &ApiDefinition,
    depth: usize,
    errors: &mut Vec<String>,
) {
    if depth > MAX_DEPTH {
        errors.push(format!("{at}: schema nesting too deep"));
        return;
    }
    let Some(s) = schema.as_object() else { return };
    if let Some(reference) = s.get("$ref").and_then(Json::as_str) {
        match resolve_ref(root, reference, def) {
            Some((new_root, target)) => check(&new_root, &target, value, at, def, depth + 1, errors),
            None => errors.push(format!("{at}: cannot resolve $ref {reference}")),
        }
        return;
    }
    let mut fail = |msg: String| errors.push(format!("{at}: {msg}"));
    if let Some(t) = s.get("type") {
        let ok = match t {
            Json::String(name) => has_type(value, name),
            Json::Array(names) => names.iter().filter_map(Json::as_str).any(|n| has_type(value, n)),
            _ => true,
        };
        if !ok {
            fail(format!("instance type does not match {t}"));
        }
    }
    if let Some(options) = s.get("enum").and_then(Json::as_array) {
        if !options.contains(value) {
            fail("instance value not found in enum".to_string());
        }
    }
    match value {
        Json::String(text) => check_string(s, text, &mut fail),
        Json::Number(n) => check_number(s, n.as_f64().unwrap_or(0.0), &mut fail),
        _ => {}
    }
    let mut sub = |schema: &Json, value: &Json, at: &str, errors: &mut Vec<String>| {
        check(root, schema, value, at, def, depth + 1, errors)
    };
    if let Json::Object(map) = value {
        check_object(s, map, at, &mut sub, errors);
    }
    if let Json::Array(items) = value {
        check_array(s, items, at, &mut sub, errors);
    }
    check_combinators(s, value, at, &mut sub, errors);
}

fn has_type(value: &Json, name: &str) -> bool {
    match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "number" => value.is_number(),
        "integer" => value.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => true,
    }
}

fn check_string(s: &serde_json::Map<String, Json>, text: &str, fail: &mut impl FnMut(String)) {
    let len = text.chars().count() as u64;
    if let Some(m) = s.get("minLength").and_then(Json::as_u64).filter(|m| len < *m) {
        fail(format!("string is shorter than minLength {m}"));
    }
    if let Some(m) = s.get("maxLength").and_then(Json::as_u64).filter(|m| len > *m) {
        fail(format!("string is longer than maxLength {m}"));
    }
    if let Some(pattern) = s.get("pattern").and_then(Json::as_str) {
        match regex::Regex::new(pattern) {
            Ok(re) if !re.is_match(text) => fail(format!("ECMA 262 regex \"{pattern}\" does not match input string")),
            Ok(_) => {}
            Err(_) => fail(format!("invalid pattern {pattern}")),
        }
    }
}

fn check_number(s: &serde_json::Map<String, Json>, n: f64, fail: &mut impl FnMut(String)) {
    let flag = |k: &str| s.get(k).and_then(Json::as_bool).unwrap_or(false);
    if let Some(min) = s.get("minimum").and_then(Json::as_f64) {
        if n < min || (flag("exclusiveMinimum") && n == min) {
            fail(format!("numeric instance is lower than the required minimum {min}"));
        }
    }
    if let Some(max) = s.get("maximum").and_then(Json::as_f64) {
        if n > max || (flag("exclusiveMaximum") && n == max) {
            fail(format!("numeric instance is greater than the required maximum {max}"));
        }
    }
    if let Some(m) = s.get("multipleOf").and_then(Json::as_f64).filter(|m| *m > 0.0) {
        let q = n / m;
        if (q - q.round()).abs() > 1e-9 {
            fail(format!("numeric instance is not a multiple of {m}"));
        }
    }
}

type Sub<'a> = dyn FnMut(&Json, &Json, &str, &mut Vec<String>) + 'a;

fn check_object(
    s: &serde_json::Map<String, Json>,
    map: &serde_json::Map<String, Json>,
    at: &str,
    sub: &mut Sub<'_>,
    errors: &mut Vec<String>,
) {
    for name in s.get("required").and_then(Json::as_array).into_iter().flatten() {
        if let Some(name) = name.as_str() {
            if !map.contains_key(name) {
                errors.push(format!("{at}: object has missing required properties ([\"{name}\"])"));
            }
        }
    }
    let count = map.len() as u64;
    if s.get("minProperties").and_then(Json::as_u64).is_some_and(|m| count < m) {
        errors.push(format!("{at}: object has too few properties"));
    }
    if s.get("maxProperties").and_then(Json::as_u64).is_some_and(|m| count > m) {
        errors.push(format!("{at}: object has too many properties"));
    }
    let properties = s.get("properties").and_then(Json::as_object);
    let patterns: Vec<(regex::Regex, &Json)> = s
        .get("patternProperties")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(p, schema)| regex::Regex::new(p).ok().map(|re| (re, schema)))
        .collect();
    for (key, value) in map {
        let here = format!("{at}.{key}");
        let mut matched = false;
        if let Some(schema) = properties.and_then(|p| p.get(key)) {
            matched = true;
            sub(schema, value, &here, errors);
        }
        for (re, schema) in &patterns {
            if re.is_match(key) {
                matched = true;
                sub(schema, value, &here, errors);
            }
        }
        if !matched {
            match s.get("additionalProperties") {
                Some(Json::Bool(false)) => errors.push(format!(
                    "{at}: object instance has properties which are not allowed by the schema: [\"{key}\"]"
                )),
                Some(schema @ Json::Object(_)) => sub(schema, value, &here, errors),
                _ => {}
            }
        }
    }
}

fn check_array(
    s: &serde_json::Map<String, Json>,
    items: &[Json],
    at: &str,
    sub: &mut Sub<'_>,
    errors: &mut Vec<String>,
) {
    let count = items.len() as u64;
    if s.get("minItems").and_then(Json::as_u64).is_some_and(|m| count < m) {
        errors.push(format!("{at}: array is too short"));
    }
    if s.get("maxItems").and_then(Json::as_u64).is_some_and(|m| count > m) {
        errors.push(format!("{at}: array is too long"));
    }
    if s.get("uniqueItems").and_then(Json::as_bool) == Some(true) {
        let duplicate = items
            .iter()
            .enumerate()
            .any(|(i, a)| items.iter().skip(i + 1).any(|b| a == b));
        if duplicate {
            errors.push(format!("{at}: array must not contain duplicate elements"));
        }
    }
    match s.get("items") {
        Some(schema @ Json::Object(_)) => {
            for (i, item) in items.iter().enumerate() {
                sub(schema, item, &format!("{at}[{i}]"), errors);
            }
        }
        Some(Json::Array(tuple)) => {
            for (i, item) in items.iter().enumerate() {
                match (tuple.get(i), s.get("additionalItems")) {
                    (Some(schema), _) => sub(schema, item, &format!("{at}[{i}]"), errors),
                    (None, Some(Json::Bool(false))) => errors.push(format!("{at}: array has too many items")),
                    (None, Some(schema @ Json::Object(_))) => sub(schema, item, &format!("{at}[{i}]"), errors),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

fn check_combinators(
    s: &serde_json::Map<String, Json>,
    value: &Json,
    at: &str,
    sub: &mut Sub<'_>,
    errors: &mut Vec<String>,
) {
    if let Some(all) = s.get("allOf").and_then(Json::as_array) {
        for schema in all {
            sub(schema, value, at, errors);
        }
    }
    let mut passes = |schema: &Json| {
        let mut local = Vec::new();
        sub(schema, value, at, &mut local);
        local.is_empty()
    };
    if let Some(any) = s.get("anyOf").and_then(Json::as_array) {
        if !any.iter().any(&mut passes) {
            errors.push(format!(
                "{at}: instance failed to match at least one required schema among {}",
                any.len()
            ));
        }
    }
    if let Some(one) = s.get("oneOf").and_then(Json::as_array) {
        let matched = one.iter().filter(|schema| passes(schema)).count();
        if matched != 1 {
            errors.push(format!(
                "{at}: instance failed to match exactly one schema (matched {matched} out of {})",
                one.len()
            ));
        }
    }
    if let Some(not) = s.get("not") {
        if passes(not) {
            errors.push(format!("{at}: instance matched a schema which it should not have"));
        }
    }
}

/// Resolves `$ref`: a pointer into the current root, or another model of the API (which becomes the new root).
fn resolve_ref(root: &Json, reference: &str, def: &ApiDefinition) -> Option<(Json, Json)> {
    if let Some(model) = reference.rsplit_once("/models/").map(|(_, name)| name) {
        let schema = def.models.get(model)?.schema.clone();
        return Some((schema.clone(), schema));
    }
    let pointer = reference.strip_prefix('#')?;
    if let Some(target) = root.pointer(pointer) {
        return Some((root.clone(), target.clone()));
    }
    let name = pointer.strip_prefix("/definitions/")?;
    let schema = def.models.get(name)?.schema.clone();
    Some((schema.clone(), schema))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(schema: Json, value: Json) -> bool {
        validate(&schema, &value, &ApiDefinition::default()).is_ok()
    }

    #[test]
    fn draft_4_keywords() {
        assert!(ok(json!({"type": "integer"}), json!(3)));
        assert!(!ok(json!({"type": "integer"}), json!(3.5)));
        assert!(ok(json!({"type": ["string", "null"]}), json!(null)));
        assert!(!ok(json!({"minimum": 1, "exclusiveMinimum": true}), json!(1)));
        assert!(ok(json!({"maximum": 5}), json!(5)));
        assert!(!ok(
            json!({"properties": {"a": {"type": "string"}}, "additionalProperties": false}),
            json!({"a": "x", "b": 1})
        ));
        assert!(!ok(json!({"items": {"type": "number"}, "minItems": 1}), json!([])));
        assert!(!ok(json!({"items": {"type": "number"}}), json!([1, "x"])));
        assert!(!ok(json!({"uniqueItems": true}), json!([1, 1])));
        assert!(!ok(json!({"pattern": "^a+$", "maxLength": 3}), json!("aaaa")));
        assert!(!ok(json!({"enum": ["a", "b"]}), json!("c")));
        assert!(ok(json!({"oneOf": [{"type": "string"}, {"type": "number"}]}), json!(1)));
        assert!(!ok(json!({"anyOf": [{"type": "string"}]}), json!(1)));
        assert!(!ok(json!({"not": {"type": "string"}}), json!("s")));
        assert!(ok(
            json!({"definitions": {"p": {"type": "string"}}, "properties": {"a": {"$ref": "#/definitions/p"}}}),
            json!({"a": "x"})
        ));
    }

    #[test]
    fn refs_to_other_models_and_self_reference_terminate() {
        let mut def = ApiDefinition::default();
        def.models.insert(
            "Loop".into(),
            crate::apigateway::model::Model {
                name: "Loop".into(),
                content_type: "application/json".into(),
                schema: json!({"$ref": "https://apigateway.amazonaws.com/restapis/x/models/Loop"}),
                description: None,
            },
        );
        let schema = json!({"$ref": "#/definitions/Loop"});
        let errors = validate(&schema, &json!({}), &def).unwrap_err();
        assert!(errors[0].contains("too deep"), "{errors:?}");
    }
}
