//! Subscription filter policies ("Amazon SNS message filtering", SNS developer guide): a JSON object whose keys
//! name message attributes (or, with `FilterPolicyScope: MessageBody`, properties of the JSON body, nested) and
//! whose values are arrays of conditions. Keys are ANDed, a key's conditions ORed; an array value matches when any
//! element does. Conditions: exact strings, numbers, `null`, booleans, `{"prefix"}`, `{"suffix"}`,
//! `{"equals-ignore-case"}`, `{"anything-but": value | [values] | {"prefix"}}`, `{"numeric": [op, n, op, n]}`,
//! `{"exists": bool}`.

use serde_json::{Map, Value as Json};

/// The deepest nesting a policy may have ("Filter policy constraints": nesting depth 5).
pub const MAX_DEPTH: usize = 5;

/// Checks a policy's shape before it is stored.
///
/// Errors: SNS's text after `Invalid parameter: FilterPolicy: ` (e.g. `Unrecognized match type prefixx`).
pub fn validate(policy: &Json) -> Result<(), String> {
    validate_at(policy, 1)
}

fn validate_at(policy: &Json, depth: usize) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err("Filter policy is too complex".into());
    }
    let Json::Object(map) = policy else {
        return Err("Filter policy must be a JSON object".into());
    };
    for (key, value) in map {
        match value {
            Json::Object(_) => validate_at(value, depth + 1)?,
            Json::Array(conditions) => conditions.iter().try_for_each(validate_condition)?,
            _ => return Err(format!("\"{key}\" must be an object or an array")),
        }
    }
    Ok(())
}

fn validate_condition(condition: &Json) -> Result<(), String> {
    let Json::Object(map) = condition else {
        return Ok(());
    };
    let Some((op, arg)) = map.iter().next().filter(|_| map.len() == 1) else {
        return Err("Match type must contain exactly one operator".into());
    };
    match (op.as_str(), arg) {
        ("prefix" | "suffix" | "equals-ignore-case", Json::String(_)) | ("exists", Json::Bool(_)) => Ok(()),
        ("anything-but", _) => Ok(()),
        ("numeric", Json::Array(parts)) => numeric_parts(parts)
            .map(|_| ())
            .ok_or_else(|| "Value of < must be numeric".into()),
        ("prefix" | "suffix" | "equals-ignore-case" | "exists" | "numeric", _) => {
            Err(format!("Invalid value for {op}"))
        }
        (other, _) => Err(format!("Unrecognized match type {other}")),
    }
}

fn numeric_parts(parts: &[Json]) -> Option<Vec<(&str, f64)>> {
    if parts.is_empty() || !parts.len().is_multiple_of(2) || parts.len() > 4 {
        return None;
    }
    parts
        .chunks(2)
        .map(|pair| match pair {
            [Json::String(op), Json::Number(n)] if matches!(op.as_str(), "=" | "<" | "<=" | ">" | ">=") => {
                Some((op.as_str(), n.as_f64()?))
            }
            _ => None,
        })
        .collect()
}

/// The document a `MessageAttributes`-scoped policy is matched against: each attribute's value, typed by its
/// `DataType` (String, Number, String.Array as a JSON array; Binary attributes are not matchable).
pub fn attributes_document(attributes: &Json) -> Json {
    let mut out = Map::new();
    for (name, value) in attributes.as_object().into_iter().flatten() {
        let data_type = value.get("DataType").and_then(Json::as_str).unwrap_or_default();
        let text = value.get("StringValue").and_then(Json::as_str).unwrap_or_default();
        let typed = if data_type.starts_with("Number") {
            text.parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Json::Number)
        } else if data_type == "String.Array" {
            serde_json::from_str::<Json>(text).ok().filter(Json::is_array)
        } else if data_type.starts_with("String") {
            Some(Json::String(text.to_string()))
        } else {
            None
        };
        if let Some(v) = typed {
            out.insert(name.clone(), v);
        }
    }
    Json::Object(out)
}

/// Whether `document` (from [`attributes_document`], or the parsed body) satisfies `policy`.
pub fn matches(policy: &Json, document: &Json) -> bool {
    let Json::Object(map) = policy else {
        return false;
    };
    map.iter().all(|(key, rule)| {
        let value = document.get(key);
        match rule {
            Json::Object(_) => value.is_some_and(|v| matches(rule, v)),
            Json::Array(conditions) => conditions.iter().any(|c| condition_matches(c, value)),
            _ => false,
        }
    })
}

fn condition_matches(condition: &Json, value: Option<&Json>) -> bool {
    if let Json::Object(map) = condition {
        if let Some(Json::Bool(wanted)) = map.get("exists") {
            return value.is_some() == *wanted;
        }
    }
    match value {
        None => false,
        Some(Json::Array(items)) => items.iter().any(|item| scalar_matches(condition, item)),
        Some(v) => scalar_matches(condition, v),
    }
}

fn scalar_matches(condition: &Json, value: &Json) -> bool {
    match condition {
        Json::String(s) => value.as_str() == Some(s),
        Json::Number(n) => numbers_equal(n.as_f64(), value.as_f64()),
        Json::Null => value.is_null(),
        Json::Bool(b) => value.as_bool() == Some(*b),
        Json::Object(map) => {
            let Some((op, arg)) = map.iter().next() else {
                return false;
            };
            let text = value.as_str();
            match (op.as_str(), arg) {
                ("prefix", Json::String(p)) => text.is_some_and(|t| t.starts_with(p.as_str())),
                ("suffix", Json::String(p)) => text.is_some_and(|t| t.ends_with(p.as_str())),
                ("equals-ignore-case", Json::String(p)) => text.is_some_and(|t| t.eq_ignore_ascii_case(p)),
                ("anything-but", Json::Array(values)) => !values.iter().any(|c| scalar_matches(c, value)),
                ("anything-but", other) => !scalar_matches(other, value),
                ("numeric", Json::Array(parts)) => match (numeric_parts(parts), value.as_f64()) {
                    (Some(parts), Some(v)) => parts.iter().all(|(op, n)| compare(op, v, *n)),
                    _ => false,
                },
                _ => false,
            }
        }
        Json::Array(_) => false,
    }
}

fn numbers_equal(a: Option<f64>, b: Option<f64>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a == b)
}

fn compare(op: &str, v: f64, n: f64) -> bool {
    match op {
        "=" => v == n,
        "<" => v < n,
        "<=" => v <= n,
        ">" => v > n,
        ">=" => v >= n,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn attrs(pairs: &[(&str, &str, &str)]) -> Json {
        let map: Map<String, Json> = pairs
            .iter()
            .map(|(k, t, v)| (k.to_string(), json!({"DataType": t, "StringValue": v})))
            .collect();
        attributes_document(&Json::Object(map))
    }

    #[test]
    fn the_developer_guide_examples_match_as_documented() {
        let doc = attrs(&[
            ("store", "String", "example_corp"),
            ("price_usd", "Number", "210.75"),
            ("customer_interests", "String.Array", r#"["soccer","rugby"]"#),
        ]);
        assert!(matches(&json!({"store": ["example_corp"]}), &doc));
        assert!(matches(&json!({"customer_interests": ["rugby", "tennis"]}), &doc));
        assert!(matches(
            &json!({"price_usd": [{"numeric": [">=", 100, "<", 300]}]}),
            &doc
        ));
        assert!(!matches(&json!({"price_usd": [{"numeric": ["<", 100]}]}), &doc));
        assert!(matches(&json!({"store": [{"prefix": "ex"}]}), &doc));
        assert!(matches(&json!({"store": [{"anything-but": ["other"]}]}), &doc));
        assert!(!matches(&json!({"store": [{"anything-but": {"prefix": "ex"}}]}), &doc));
        assert!(matches(
            &json!({"missing": [{"exists": false}], "store": [{"exists": true}]}),
            &doc
        ));
        assert!(!matches(&json!({"missing": ["x"]}), &doc));
        assert!(matches(&json!({"price_usd": [210.75]}), &doc));
    }

    #[test]
    fn body_policies_nest() {
        let body = json!({"order": {"kind": "book", "qty": 3}});
        assert!(matches(
            &json!({"order": {"kind": ["book"], "qty": [{"numeric": [">", 2]}]}}),
            &body
        ));
        assert!(!matches(&json!({"order": {"kind": ["pen"]}}), &body));
    }

    #[test]
    fn malformed_policies_are_refused() {
        assert_eq!(
            validate(&json!({"a": [{"prefixx": "b"}]})).unwrap_err(),
            "Unrecognized match type prefixx"
        );
        assert!(validate(&json!({"a": "b"})).is_err());
        assert!(validate(&json!({"a": [{"numeric": [">", "x"]}]})).is_err());
        let deep = json!({"a": {"b": {"c": {"d": {"e": {"f": ["x"]}}}}}});
        assert!(validate(&deep).is_err());
        assert!(validate(&json!([1])).is_err());
    }
}
