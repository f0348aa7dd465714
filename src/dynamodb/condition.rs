//! Evaluating condition and filter expressions against an item.
//!
//! Source: "Comparison operator and function reference", DynamoDB developer guide: `=` and `<>` compare any two
//! values; `<`, `<=`, `>`, `>=` and `BETWEEN` compare numbers, strings (UTF-8 bytes) and binaries of one type and
//! are false otherwise; a missing attribute makes a comparison false (and `<>` true, as `NOT (a = b)`);
//! `begins_with` takes a string or binary; `contains` searches a string, a set or a list; `size` measures strings,
//! binaries, sets, lists and maps.

use super::errors::validation;
use super::names::Placeholders;
use super::number::Number;
use super::parser::{Comparator, Condition, Operand};
use super::path;
use super::value::{AttributeValue, Item};
use crate::api::AwsError;
use std::borrow::Cow;
use std::cmp::Ordering;

/// Whether `condition` holds for `item` (`None`: the item does not exist, so every path is missing).
///
/// Errors: run-time operand errors in DynamoDB's words, prefixed with `Invalid <kind>: ` (e.g. `begins_with` on a
/// number value, `BETWEEN` with its bounds reversed, an unknown `attribute_type` type).
pub fn evaluate(
    condition: &Condition,
    item: Option<&Item>,
    names: &Placeholders,
    kind: &str,
) -> Result<bool, AwsError> {
    let eval = Eval { item, names, kind };
    eval.condition(condition)
}

struct Eval<'a> {
    item: Option<&'a Item>,
    names: &'a Placeholders,
    kind: &'a str,
}

const TYPES: [&str; 10] = ["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"];

impl<'a> Eval<'a> {
    fn condition(&self, c: &Condition) -> Result<bool, AwsError> {
        // No depth limit needed: AND / OR chains build left-deep trees, but an expression is at most 4 KB (so at
        // most ~1,000 levels), and the parser bounds parentheses and NOT.
        Ok(match c {
            Condition::And(a, b) => self.condition(a)? && self.condition(b)?,
            Condition::Or(a, b) => self.condition(a)? || self.condition(b)?,
            Condition::Not(a) => !self.condition(a)?,
            Condition::Compare(a, op, b) => {
                let (a, b) = (self.operand(a)?, self.operand(b)?);
                compare(a.as_deref(), *op, b.as_deref())
            }
            Condition::Between(a, low, high) => {
                let (a, low, high) = (self.operand(a)?, self.operand(low)?, self.operand(high)?);
                if let (Some(l), Some(h)) = (low.as_deref(), high.as_deref()) {
                    if l.compare(h) == Some(Ordering::Greater) {
                        return Err(validation(format!(
                            "Invalid {}: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {{{}}}, upper bound operand: AttributeValue: {{{}}}",
                            self.kind,
                            show(l),
                            show(h)
                        )));
                    }
                }
                compare(a.as_deref(), Comparator::Ge, low.as_deref())
                    && compare(a.as_deref(), Comparator::Le, high.as_deref())
            }
            Condition::In(a, list) => {
                let a = self.operand(a)?;
                let mut found = false;
                for o in list {
                    if compare(a.as_deref(), Comparator::Eq, self.operand(o)?.as_deref()) {
                        found = true;
                        break;
                    }
                }
                found
            }
            Condition::Call(name, args) => self.function(name, args)?,
        })
    }

    fn operand(&self, o: &'a Operand) -> Result<Option<Cow<'a, AttributeValue>>, AwsError> {
        Ok(match o {
            Operand::Path(p) => self
                .item
                .and_then(|i| path::get_named(i, p, self.names))
                .map(Cow::Borrowed),
            Operand::Value(v) => self.names.value(v).map(Cow::Borrowed),
            Operand::Call(name, args) if name == "size" => {
                let Some(Operand::Path(p)) = args.first() else {
                    return Ok(None);
                };
                self.item
                    .and_then(|i| path::get_named(i, p, self.names))
                    .and_then(size)
                    .map(|n| {
                        Cow::Owned(AttributeValue::N(
                            Number::parse(&n.to_string()).unwrap_or_else(|_| Number::zero()),
                        ))
                    })
            }
            // Other functions and arithmetic are refused when the expression is checked.
            Operand::Call(..) | Operand::Arith(..) => None,
        })
    }

    fn function(&self, name: &str, args: &'a [Operand]) -> Result<bool, AwsError> {
        let target = match args.first() {
            Some(a) => self.operand(a)?,
            None => None,
        };
        let arg = match args.get(1) {
            Some(a) => self.operand(a)?,
            None => None,
        };
        let wrong_type = |v: &AttributeValue| {
            validation(format!(
                "Invalid {}: Incorrect operand type for operator or function; operator or function: {name}, operand type: {}",
                self.kind,
                v.type_name()
            ))
        };
        Ok(match name {
            "attribute_exists" => target.is_some(),
            "attribute_not_exists" => target.is_none(),
            "attribute_type" => {
                let Some(AttributeValue::S(t)) = arg.as_deref() else {
                    return Err(arg
                        .as_deref()
                        .map_or_else(|| wrong_type(&AttributeValue::Null), wrong_type));
                };
                if !TYPES.contains(&t.as_str()) {
                    return Err(validation(format!(
                        "Invalid {}: Invalid attribute type name found in type function; function: attribute_type, type: {t}",
                        self.kind
                    )));
                }
                target.is_some_and(|v| v.type_name() == t)
            }
            "begins_with" => match (target.as_deref(), arg.as_deref()) {
                (_, Some(v @ (AttributeValue::N(_) | AttributeValue::Bool(_) | AttributeValue::Null)))
                | (_, Some(v @ (AttributeValue::M(_) | AttributeValue::L(_))))
                | (_, Some(v @ (AttributeValue::SS(_) | AttributeValue::NS(_) | AttributeValue::BS(_)))) => {
                    return Err(wrong_type(v))
                }
                (Some(AttributeValue::S(s)), Some(AttributeValue::S(p))) => s.starts_with(p.as_str()),
                (Some(AttributeValue::B(s)), Some(AttributeValue::B(p))) => s.starts_with(p),
                _ => false,
            },
            "contains" => match (target.as_deref(), arg.as_deref()) {
                (Some(AttributeValue::S(s)), Some(AttributeValue::S(p))) => s.contains(p.as_str()),
                (Some(AttributeValue::SS(s)), Some(AttributeValue::S(p))) => s.contains(p),
                (Some(AttributeValue::NS(s)), Some(AttributeValue::N(p))) => s.contains(p),
                (Some(AttributeValue::BS(s)), Some(AttributeValue::B(p))) => s.contains(p),
                (Some(AttributeValue::B(s)), Some(AttributeValue::B(p))) => {
                    p.is_empty() || s.windows(p.len()).any(|w| w == p.as_slice())
                }
                (Some(AttributeValue::L(l)), Some(p)) => l.iter().any(|v| v.same_as(p)),
                _ => false,
            },
            _ => false,
        })
    }
}

/// `size(path)`: characters of a string, bytes of a binary, members of a set, elements of a list or map. AWS
/// documents "the length of the string" without saying which unit; Unicode scalar values are used here.
fn size(v: &AttributeValue) -> Option<usize> {
    Some(match v {
        AttributeValue::S(s) => s.chars().count(),
        AttributeValue::B(b) => b.len(),
        AttributeValue::SS(s) => s.len(),
        AttributeValue::NS(s) => s.len(),
        AttributeValue::BS(s) => s.len(),
        AttributeValue::L(l) => l.len(),
        AttributeValue::M(m) => m.len(),
        _ => return None,
    })
}

/// One comparison with DynamoDB's type rules.
pub fn compare(a: Option<&AttributeValue>, op: Comparator, b: Option<&AttributeValue>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return op == Comparator::Ne;
    };
    match op {
        Comparator::Eq => a.same_as(b),
        Comparator::Ne => !a.same_as(b),
        _ => match a.compare(b) {
            None => false,
            Some(o) => match op {
                Comparator::Lt => o == Ordering::Less,
                Comparator::Le => o != Ordering::Greater,
                Comparator::Gt => o == Ordering::Greater,
                _ => o != Ordering::Less,
            },
        },
    }
}

/// A value as DynamoDB shows it in messages: `N:5`, `S:abc`.
fn show(v: &AttributeValue) -> String {
    match v {
        AttributeValue::S(s) => format!("S:{s}"),
        AttributeValue::N(n) => format!("N:{n}"),
        other => format!("{}:{}", other.type_name(), other.to_json()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamodb::value::item_from_json;
    use serde_json::json;

    fn holds(expr: &str, item: serde_json::Value, values: serde_json::Value) -> Result<bool, String> {
        let mut p = Placeholders::from_input(&json!({"ExpressionAttributeValues": values})).unwrap();
        let c = p.condition(expr, "ConditionExpression").map_err(|e| e.message)?;
        let item = item_from_json(&item).unwrap();
        evaluate(&c, Some(&item), &p, "ConditionExpression").map_err(|e| e.message)
    }

    #[test]
    fn comparisons_follow_the_type_rules() {
        let item = json!({"n": {"N": "10"}, "s": {"S": "abc"}, "l": {"L": [{"S": "x"}]}, "ss": {"SS": ["p", "q"]}});
        let v = json!({":n": {"N": "9.5"}, ":s": {"S": "ab"}, ":x": {"S": "x"}, ":q": {"S": "q"}, ":t": {"S": "SS"}});
        assert_eq!(holds("n > :n AND s > :s", item.clone(), v.clone()), Ok(true));
        assert_eq!(holds("n > :s", item.clone(), v.clone()), Ok(false));
        assert_eq!(holds("gone <> :n", item.clone(), v.clone()), Ok(true));
        assert_eq!(holds("gone = :n OR gone < :n", item.clone(), v.clone()), Ok(false));
        assert_eq!(
            holds(
                "begins_with(s, :s) AND contains(l, :x) AND contains(ss, :q)",
                item.clone(),
                v.clone()
            ),
            Ok(true)
        );
        assert_eq!(
            holds("attribute_type(ss, :t) AND size(s) = :n", item.clone(), v.clone()),
            Ok(false)
        );
        assert_eq!(
            holds("n IN (:n, :s) OR NOT attribute_exists(nope)", item.clone(), v.clone()),
            Ok(true)
        );
        assert_eq!(holds("n BETWEEN :n AND :n", item.clone(), v.clone()), Ok(false));
    }

    #[test]
    fn long_chains_within_4_kb_evaluate() {
        let chain = vec!["n = :n"; 300].join(" AND ");
        assert!(chain.len() < 4096);
        assert_eq!(
            holds(&chain, json!({"n": {"N": "1"}}), json!({":n": {"N": "1"}})),
            Ok(true)
        );
    }

    #[test]
    fn operand_errors_are_dynamodbs() {
        let item = json!({"s": {"S": "abc"}});
        assert_eq!(
            holds("begins_with(s, :n)", item.clone(), json!({":n": {"N": "1"}})),
            Err("Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N".into())
        );
        assert_eq!(
            holds("s BETWEEN :h AND :l", item, json!({":h": {"N": "5"}, ":l": {"N": "1"}})),
            Err("Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}".into())
        );
    }
}
