//! JSONPath for `$input.path` and `$input.json`, through the `serde_json_path` crate (RFC 9535).
//!
//! API Gateway evaluates paths with Jayway JsonPath ("API Gateway mapping template and access logging variable
//! reference": "JSONPath expression"). The common forms agree between the two: `$`, `$.a.b`, `$['a']`, `$.a[0]`,
//! `$.a[*].b`, `$..b`, `$.a[0:2]`, filters `$.a[?(@.price < 10)]`. Jayway returns the single value for a
//! *definite* path (no `..`, `*`, filter, union or slice) and a list otherwise; that rule is applied here.
//! Differences: Jayway's functions (`$.a.length()`) and its lenient unquoted bracket keys are not RFC 9535 and
//! give an error.

use serde_json::Value as Json;
use serde_json_path::JsonPath;

/// The result of a path: a single value (definite path), a list (indefinite path), or nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    /// A definite path that matched nothing.
    Missing,
    /// The value of a definite path, or the array of matches of an indefinite one.
    Found(Json),
}

/// Evaluates `path` on `doc`. Errors: a path that does not parse.
pub fn select(doc: &Json, path: &str) -> Result<Selection, String> {
    let path = path.trim();
    let parsed = JsonPath::parse(path).map_err(|e| format!("invalid JSONPath {path:?}: {e}"))?;
    let nodes = parsed.query(doc);
    if is_definite(path) {
        Ok(nodes
            .first()
            .map_or(Selection::Missing, |v| Selection::Found(v.clone())))
    } else {
        Ok(Selection::Found(Json::Array(
            nodes.all().into_iter().cloned().collect(),
        )))
    }
}

/// Jayway's definiteness: no deep scan, wildcard, filter, union or slice (string contents ignored).
fn is_definite(path: &str) -> bool {
    let mut in_quote: Option<char> = None;
    let mut bracket = 0usize;
    let mut prev = '\0';
    for c in path.chars() {
        if let Some(q) = in_quote {
            if c == q && prev != '\\' {
                in_quote = None;
            }
        } else {
            match c {
                '\'' | '"' => in_quote = Some(c),
                '[' => bracket += 1,
                ']' => bracket = bracket.saturating_sub(1),
                '*' | '?' => return false,
                '.' if prev == '.' => return false,
                ',' | ':' if bracket > 0 => return false,
                _ => {}
            }
        }
        prev = c;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn definite_and_indefinite() {
        let doc = json!({"a": [{"b": 1}, {"b": 2}], "k.x": 3});
        assert_eq!(select(&doc, "$.a[1].b").unwrap(), Selection::Found(json!(2)));
        assert_eq!(select(&doc, "$.a[*].b").unwrap(), Selection::Found(json!([1, 2])));
        assert_eq!(select(&doc, "$..b").unwrap(), Selection::Found(json!([1, 2])));
        assert_eq!(select(&doc, "$['k.x']").unwrap(), Selection::Found(json!(3)));
        assert_eq!(select(&doc, "$.nope").unwrap(), Selection::Missing);
        assert_eq!(
            select(&doc, "$.a[?(@.b > 1)]").unwrap(),
            Selection::Found(json!([{"b": 2}]))
        );
        assert!(select(&doc, "$.a[").is_err());
    }
}
