//! Template parameters: the value each one takes, from `--parameter-overrides` or its `Default`, checked against
//! its constraints.
//!
//! Source: "Parameters syntax" in the CloudFormation user guide (types, `AllowedValues`, `AllowedPattern`,
//! `MinLength`/`MaxLength`, `MinValue`/`MaxValue`; "each member string is space trimmed" for
//! `CommaDelimitedList`). Messages marked "CloudFormation's" are the ones CreateStack answers for the same input.

use super::error::{Located, Span};
use super::node::{Node, Value};
use indexmap::IndexMap;
use serde_json::Value as Json;

/// The parameter values in force, by name: a JSON string for scalar types, a JSON array of strings for list types.
pub type ParameterValues = IndexMap<String, Json>;

/// Resolves every parameter of the template's `Parameters` section.
///
/// Errors (CloudFormation's wording): `Parameters: [X] must have values` (no override and no default),
/// `Parameters: [X] do not exist in the template` (an override for an unknown name),
/// `Parameter 'X' must be one of AllowedValues`, `Parameter 'X' must match pattern P`,
/// `Parameter 'X' must contain at least N characters` / `at most N characters`,
/// `Parameter 'X' must be a number not less than N` / `not greater than N`, `Parameter 'X' must be a number`;
/// `Template format error: Unrecognized parameter type: T`; SSM parameter types are not simulated.
pub fn resolve(parameters: Option<&Node>, overrides: &[(String, String)]) -> Result<ParameterValues, Located> {
    let entries = match parameters {
        None => &[][..],
        Some(node) => node.as_map().ok_or_else(|| {
            Located::new(
                node.span,
                "Template format error: Parameters must be a map of parameter declarations",
            )
        })?,
    };
    let whole = parameters.map(|n| n.span).unwrap_or(Span { line: 1, column: 1 });
    let unknown: Vec<&str> = overrides
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| !entries.iter().any(|(key, _)| key.name == *k))
        .collect();
    if !unknown.is_empty() {
        return Err(Located::new(
            whole,
            format!("Parameters: [{}] do not exist in the template", unknown.join(", ")),
        ));
    }
    let mut values = ParameterValues::new();
    for (key, decl) in entries {
        let value = resolve_one(&key.name, decl, overrides).map_err(|e| e.within(&key.name))?;
        values.insert(key.name.clone(), value);
    }
    Ok(values)
}

fn resolve_one(name: &str, decl: &Node, overrides: &[(String, String)]) -> Result<Json, Located> {
    let ty = decl.get("Type").and_then(scalar_text).ok_or_else(|| {
        Located::new(
            decl.span,
            "Template format error: Every Parameters object must contain a Type member.",
        )
    })?;
    let kind = ParameterKind::of(&ty).map_err(|m| Located::new(decl.get("Type").map_or(decl.span, |t| t.span), m))?;
    let given = overrides.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let text = match given.or_else(|| decl.get("Default").and_then(default_text)) {
        Some(text) => text,
        None => {
            return Err(Located::new(
                decl.span,
                format!("Parameters: [{name}] must have values"),
            ))
        }
    };
    let members: Vec<String> = match kind {
        ParameterKind::List | ParameterKind::NumberList => text.split(',').map(|s| s.trim().to_string()).collect(),
        _ => vec![text.clone()],
    };
    let pattern = allowed_pattern(decl)?;
    for member in &members {
        check_constraints(name, decl, kind, pattern.as_ref(), member)?;
    }
    Ok(match kind {
        ParameterKind::List | ParameterKind::NumberList => Json::Array(members.into_iter().map(Json::String).collect()),
        _ => Json::String(text),
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ParameterKind {
    String,
    Number,
    List,
    NumberList,
}

impl ParameterKind {
    /// The kind of a declared `Type`: `String`, `Number`, `List<Number>`, `CommaDelimitedList`, and the
    /// AWS-specific types (`AWS::EC2::VPC::Id`, `List<AWS::EC2::Subnet::Id>`, ...), which hold strings.
    fn of(ty: &str) -> Result<ParameterKind, String> {
        match ty {
            "String" => Ok(ParameterKind::String),
            "Number" => Ok(ParameterKind::Number),
            "List<Number>" => Ok(ParameterKind::NumberList),
            "CommaDelimitedList" => Ok(ParameterKind::List),
            _ if ty.starts_with("AWS::SSM::Parameter::") => {
                Err(format!("not simulated: parameter type {ty} (SSM Parameter Store)"))
            }
            _ if ty.starts_with("List<AWS::") && ty.ends_with('>') => Ok(ParameterKind::List),
            _ if ty.starts_with("AWS::") => Ok(ParameterKind::String),
            _ => Err(format!("Template format error: Unrecognized parameter type: {ty}")),
        }
    }
}

/// The compiled `AllowedPattern`, anchored at both ends as CloudFormation matches it (the whole value).
/// Java regex features the `regex` crate lacks (look-around, backreferences) are refused with the reason.
fn allowed_pattern(decl: &Node) -> Result<Option<(String, regex::Regex)>, Located> {
    let Some(pattern) = decl.get("AllowedPattern").and_then(scalar_text) else {
        return Ok(None);
    };
    let re = regex::Regex::new(&format!("^(?:{pattern})$")).map_err(|e| {
        // The regex crate's messages span several lines (pattern, caret, reason); the reason is the last one.
        let text = e.to_string();
        let reason = text
            .lines()
            .last()
            .unwrap_or_default()
            .trim_start_matches("error: ")
            .to_string();
        Located::new(
            decl.span,
            format!("AllowedPattern '{pattern}' is not a pattern the playground can check: {reason}"),
        )
    })?;
    Ok(Some((pattern, re)))
}

fn check_constraints(
    name: &str,
    decl: &Node,
    kind: ParameterKind,
    pattern: Option<&(String, regex::Regex)>,
    value: &str,
) -> Result<(), Located> {
    let fail = |message: String| {
        // With a ConstraintDescription, CloudFormation shows it instead of the generic reason.
        let message = match decl.get("ConstraintDescription").and_then(scalar_text) {
            Some(desc) => format!("Parameter '{name}' failed to satisfy constraint: {desc}"),
            None => message,
        };
        Err(Located::new(decl.span, message))
    };
    if let Some(allowed) = decl.get("AllowedValues").and_then(Node::as_list) {
        if !allowed.iter().filter_map(scalar_text).any(|a| a == value) {
            return fail(format!("Parameter '{name}' must be one of AllowedValues"));
        }
    }
    if let Some((pattern, re)) = pattern {
        if !re.is_match(value) {
            return fail(format!("Parameter '{name}' must match pattern {pattern}"));
        }
    }
    let chars = value.chars().count();
    if let Some(min) = number_of(decl, "MinLength") {
        if (chars as f64) < min {
            return fail(format!("Parameter '{name}' must contain at least {min} characters"));
        }
    }
    if let Some(max) = number_of(decl, "MaxLength") {
        if (chars as f64) > max {
            return fail(format!("Parameter '{name}' must contain at most {max} characters"));
        }
    }
    if matches!(kind, ParameterKind::Number | ParameterKind::NumberList) {
        // Rust also parses "NaN" and "inf", which are not numbers to CloudFormation.
        let Some(number) = value.trim().parse::<f64>().ok().filter(|n| n.is_finite()) else {
            return fail(format!("Parameter '{name}' must be a number"));
        };
        if let Some(min) = number_of(decl, "MinValue") {
            if number < min {
                return fail(format!("Parameter '{name}' must be a number not less than {min}"));
            }
        }
        if let Some(max) = number_of(decl, "MaxValue") {
            if number > max {
                return fail(format!("Parameter '{name}' must be a number not greater than {max}"));
            }
        }
    }
    Ok(())
}

fn number_of(decl: &Node, key: &str) -> Option<f64> {
    decl.get(key).and_then(scalar_text).and_then(|t| t.parse().ok())
}

/// A scalar as text (CloudFormation reads `Default: 128` and `Default: '128'` alike).
fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::String(s) | Value::Number(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A `Default`: a scalar, or a list (for list types), joined with commas as CloudFormation stores it.
fn default_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::List(items) => Some(items.iter().filter_map(scalar_text).collect::<Vec<_>>().join(",")),
        _ => scalar_text(node),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::node::parse;

    fn resolve_text(yaml: &str, overrides: &[(&str, &str)]) -> Result<ParameterValues, Located> {
        let root = parse(yaml).unwrap();
        let overrides: Vec<_> = overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        resolve(root.get("Parameters"), &overrides)
    }

    #[test]
    fn defaults_overrides_and_lists() {
        let values = resolve_text(
            "Parameters:\n  Env: {Type: String, Default: dev}\n  Size: {Type: Number, Default: 128}\n  \
             Azs: {Type: CommaDelimitedList, Default: 'a, b ,c'}\n",
            &[("Env", "prod")],
        )
        .unwrap();
        assert_eq!(values["Env"], Json::from("prod"));
        assert_eq!(values["Size"], Json::from("128"));
        assert_eq!(values["Azs"], serde_json::json!(["a", "b", "c"]));
    }

    #[test]
    fn missing_and_unknown_values_use_cloudformations_words() {
        let err = resolve_text("Parameters:\n  Env:\n    Type: String\n", &[]).unwrap_err();
        assert_eq!(err.message, "Parameters: [Env] must have values");
        assert_eq!(err.logical_id.as_deref(), Some("Env"));
        assert_eq!(err.span.line, 3);
        let err = resolve_text("Parameters:\n  Env: {Type: String, Default: a}\n", &[("Nope", "x")]).unwrap_err();
        assert_eq!(err.message, "Parameters: [Nope] do not exist in the template");
    }

    #[test]
    fn constraints_are_checked() {
        let decl = "Parameters:\n  Env:\n    Type: String\n    Default: dev\n    AllowedValues: [dev, prod]\n";
        assert!(resolve_text(decl, &[("Env", "prod")]).is_ok());
        let err = resolve_text(decl, &[("Env", "qa")]).unwrap_err();
        assert_eq!(err.message, "Parameter 'Env' must be one of AllowedValues");

        let decl = "Parameters:\n  N:\n    Type: String\n    Default: ab\n    AllowedPattern: '[a-z]+'\n";
        let err = resolve_text(decl, &[("N", "ab1")]).unwrap_err();
        assert_eq!(err.message, "Parameter 'N' must match pattern [a-z]+");

        let decl = "Parameters:\n  M:\n    Type: Number\n    Default: 128\n    MinValue: 128\n    MaxValue: 10240\n";
        assert_eq!(
            resolve_text(decl, &[("M", "64")]).unwrap_err().message,
            "Parameter 'M' must be a number not less than 128"
        );
        assert_eq!(
            resolve_text(decl, &[("M", "big")]).unwrap_err().message,
            "Parameter 'M' must be a number"
        );
        for not_a_number in ["NaN", "inf", "-infinity"] {
            let err = resolve_text(decl, &[("M", not_a_number)]).unwrap_err();
            assert_eq!(err.message, "Parameter 'M' must be a number", "{not_a_number}");
        }
        let lookahead = "Parameters:\n  L: {Type: String, Default: a, AllowedPattern: '(?=a)a'}\n";
        let err = resolve_text(lookahead, &[]).unwrap_err();
        assert_eq!(
            err.message,
            "AllowedPattern '(?=a)a' is not a pattern the playground can check: look-around, including look-ahead and look-behind, is not supported"
        );

        let decl =
            "Parameters:\n  S: {Type: String, Default: abc, MaxLength: 2, ConstraintDescription: 'two at most'}\n";
        assert_eq!(
            resolve_text(decl, &[]).unwrap_err().message,
            "Parameter 'S' failed to satisfy constraint: two at most"
        );
    }

    #[test]
    fn types_are_checked() {
        let err = resolve_text("Parameters:\n  P: {Type: Strin, Default: a}\n", &[]).unwrap_err();
        assert_eq!(err.message, "Template format error: Unrecognized parameter type: Strin");
        let err = resolve_text("Parameters:\n  P: {Default: a}\n", &[]).unwrap_err();
        assert_eq!(
            err.message,
            "Template format error: Every Parameters object must contain a Type member."
        );
        let ok = resolve_text(
            "Parameters:\n  P: {Type: 'List<AWS::EC2::Subnet::Id>', Default: 's-1,s-2'}\n",
            &[],
        );
        assert_eq!(ok.unwrap()["P"], serde_json::json!(["s-1", "s-2"]));
    }
}
