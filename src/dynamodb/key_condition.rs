//! KeyConditionExpression: the partition key's equality and an optional sort key condition, turned into a
//! range over the sorted items of one partition.
//!
//! Source: "Key condition expressions for Query", DynamoDB developer guide: `pk = :v` plus at most one of
//! `sk = | < | <= | > | >= :v`, `sk BETWEEN :a AND :b`, `begins_with(sk, :p)`, joined by AND. Messages: DynamoDB's
//! as recorded by moto 5.2.1 (`Query condition missed key schema element: pk`, `Query key condition not
//! supported`, `Invalid operator used in KeyConditionExpression: OR`).

use super::errors::{invalid_parameter, validation};
use super::names::Placeholders;
use super::parser::{Comparator, Condition, Operand};
use super::table::KeyValue;
use super::value::AttributeValue;
use crate::api::AwsError;
use std::cmp::Ordering;

/// The sort key part of a key condition.
#[derive(Debug, Clone, PartialEq)]
pub enum SortCondition {
    /// `sk <op> :v`.
    Compare(Comparator, KeyValue),
    /// `sk BETWEEN :a AND :b`.
    Between(KeyValue, KeyValue),
    /// `begins_with(sk, :p)` (strings and binaries).
    BeginsWith(KeyValue),
}

impl SortCondition {
    /// Whether a sort key value satisfies the condition.
    pub fn matches(&self, v: &KeyValue) -> bool {
        match self {
            SortCondition::Compare(op, w) => {
                let o = v.cmp(w);
                match op {
                    Comparator::Eq => o == Ordering::Equal,
                    Comparator::Lt => o == Ordering::Less,
                    Comparator::Le => o != Ordering::Greater,
                    Comparator::Gt => o == Ordering::Greater,
                    Comparator::Ge => o != Ordering::Less,
                    Comparator::Ne => o != Ordering::Equal,
                }
            }
            SortCondition::Between(a, b) => v >= a && v <= b,
            SortCondition::BeginsWith(p) => match (v, p) {
                (KeyValue::S(s), KeyValue::S(p)) => s.starts_with(p.as_str()),
                (KeyValue::B(s), KeyValue::B(p)) => s.starts_with(p),
                _ => false,
            },
        }
    }
}

/// A checked key condition.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyCondition {
    /// The partition key value.
    pub partition: KeyValue,
    /// The sort key condition, if any.
    pub sort: Option<SortCondition>,
}

fn unsupported() -> AwsError {
    validation("Query key condition not supported")
}

/// Splits `condition` into its partition and sort parts for the key schema (`hash`, `range`, with their
/// attribute types `S` / `N` / `B`).
pub fn key_condition(
    condition: &Condition,
    names: &Placeholders,
    hash: (&str, &str),
    range: Option<(&str, &str)>,
) -> Result<KeyCondition, AwsError> {
    let mut parts = Vec::new();
    flatten(condition, &mut parts)?;
    if parts.len() > 2 {
        return Err(unsupported());
    }
    let mut partition = None;
    let mut sort = None;
    for part in parts {
        let (attribute, cond) = sort_part(part, names)?;
        if attribute == hash.0 {
            let SortCondition::Compare(Comparator::Eq, v) = cond else {
                return Err(unsupported());
            };
            if partition.is_some() {
                return Err(validation(
                    "KeyConditionExpressions must only contain one condition per key",
                ));
            }
            partition = Some(typed(v, hash.1)?);
        } else if range.is_some_and(|r| r.0 == attribute) {
            if sort.is_some() {
                return Err(validation(
                    "KeyConditionExpressions must only contain one condition per key",
                ));
            }
            let kind = range.map_or("S", |r| r.1);
            sort = Some(match cond {
                SortCondition::Compare(op, v) => SortCondition::Compare(op, typed(v, kind)?),
                SortCondition::Between(a, b) => {
                    let (a, b) = (typed(a, kind)?, typed(b, kind)?);
                    if a > b {
                        return Err(validation(format!(
                            "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {{{}}}, upper bound operand: AttributeValue: {{{}}}",
                            a.show(), b.show()
                        )));
                    }
                    SortCondition::Between(a, b)
                }
                SortCondition::BeginsWith(p) => {
                    if kind == "N" {
                        return Err(validation(
                            "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
                        ));
                    }
                    SortCondition::BeginsWith(typed(p, kind)?)
                }
            });
        } else {
            let missing = if partition.is_none() {
                hash.0
            } else {
                range.map_or(hash.0, |r| r.0)
            };
            return Err(validation(format!(
                "Query condition missed key schema element: {missing}"
            )));
        }
    }
    let Some(partition) = partition else {
        return Err(validation(format!(
            "Query condition missed key schema element: {}",
            hash.0
        )));
    };
    Ok(KeyCondition { partition, sort })
}

fn typed(v: KeyValue, kind: &str) -> Result<KeyValue, AwsError> {
    if v.type_name() != kind {
        return Err(invalid_parameter("Condition parameter type does not match schema type"));
    }
    Ok(v)
}

fn flatten<'a>(c: &'a Condition, out: &mut Vec<&'a Condition>) -> Result<(), AwsError> {
    match c {
        Condition::And(a, b) => {
            flatten(a, out)?;
            flatten(b, out)
        }
        Condition::Or(..) => Err(validation("Invalid operator used in KeyConditionExpression: OR")),
        Condition::Not(..) => Err(validation("Invalid operator used in KeyConditionExpression: NOT")),
        Condition::In(..) => Err(validation("Invalid operator used in KeyConditionExpression: IN")),
        Condition::Call(name, _) if name != "begins_with" => Err(validation(format!(
            "Invalid operator used in KeyConditionExpression: {name}"
        ))),
        other => {
            out.push(other);
            Ok(())
        }
    }
}

fn attribute(o: &Operand, names: &Placeholders) -> Option<String> {
    match o {
        Operand::Path(p) if p.0.len() == 1 => Some(names.resolve(p).into_iter().next().map(|s| match s {
            super::names::Step::Key(k) => k,
            super::names::Step::Index(i) => i.to_string(),
        })?),
        _ => None,
    }
}

fn key_value(o: &Operand, names: &Placeholders) -> Result<KeyValue, AwsError> {
    let Operand::Value(v) = o else {
        return Err(unsupported());
    };
    let value = names.value(v).ok_or_else(unsupported)?;
    KeyValue::from_attribute(value)
        .ok_or_else(|| invalid_parameter("Condition parameter type does not match schema type"))
}

fn sort_part(c: &Condition, names: &Placeholders) -> Result<(String, SortCondition), AwsError> {
    match c {
        Condition::Compare(a, op, b) => {
            if *op == Comparator::Ne {
                return Err(validation(
                    "Unsupported operator on KeyConditionExpression: operator: <>",
                ));
            }
            if let Some(name) = attribute(a, names) {
                return Ok((name, SortCondition::Compare(*op, key_value(b, names)?)));
            }
            // `:v < sk` reads as `sk > :v`.
            let name = attribute(b, names).ok_or_else(unsupported)?;
            let flipped = match op {
                Comparator::Lt => Comparator::Gt,
                Comparator::Le => Comparator::Ge,
                Comparator::Gt => Comparator::Lt,
                Comparator::Ge => Comparator::Le,
                other => *other,
            };
            Ok((name, SortCondition::Compare(flipped, key_value(a, names)?)))
        }
        Condition::Between(a, low, high) => {
            let name = attribute(a, names).ok_or_else(unsupported)?;
            Ok((
                name,
                SortCondition::Between(key_value(low, names)?, key_value(high, names)?),
            ))
        }
        Condition::Call(_, args) => {
            let (Some(a), Some(p)) = (args.first(), args.get(1)) else {
                return Err(unsupported());
            };
            let name = attribute(a, names).ok_or_else(unsupported)?;
            Ok((name, SortCondition::BeginsWith(key_value(p, names)?)))
        }
        _ => Err(unsupported()),
    }
}

/// Whether an attribute value is usable as a key value at all (S, N or B).
pub fn is_key_type(v: &AttributeValue) -> bool {
    matches!(v, AttributeValue::S(_) | AttributeValue::N(_) | AttributeValue::B(_))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kc(expr: &str, values: serde_json::Value) -> Result<KeyCondition, String> {
        let mut p = Placeholders::from_input(&json!({"ExpressionAttributeValues": values})).unwrap();
        let c = p.condition(expr, "KeyConditionExpression").map_err(|e| e.message)?;
        key_condition(&c, &p, ("pk", "S"), Some(("sk", "N"))).map_err(|e| e.message)
    }

    #[test]
    fn the_partition_and_sort_parts_are_found() {
        let k = kc(
            "pk = :p AND sk BETWEEN :a AND :b",
            json!({":p": {"S": "x"}, ":a": {"N": "1"}, ":b": {"N": "5"}}),
        )
        .unwrap();
        assert_eq!(k.partition, KeyValue::S("x".into()));
        assert!(k
            .sort
            .unwrap()
            .matches(&KeyValue::N(super::super::number::Number::parse("3").unwrap())));
        assert_eq!(
            kc("sk = :a", json!({":a": {"N": "1"}})).unwrap_err(),
            "Query condition missed key schema element: pk"
        );
        assert_eq!(
            kc("pk = :p OR sk = :a", json!({":p": {"S": "x"}, ":a": {"N": "1"}})).unwrap_err(),
            "Invalid operator used in KeyConditionExpression: OR"
        );
        assert_eq!(
            kc("pk = :a", json!({":a": {"N": "1"}})).unwrap_err(),
            "One or more parameter values were invalid: Condition parameter type does not match schema type"
        );
    }
}
