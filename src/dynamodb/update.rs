//! Applying an update expression to an item.
//!
//! Source: "Update expressions", DynamoDB developer guide: every SET value is computed from the item as it was
//! before the update; `+` and `-` take numbers; `if_not_exists(path, value)`; `list_append(a, b)` joins lists;
//! REMOVE deletes (list elements shift); ADD adds to a number (missing counts as 0) or unions a set; DELETE
//! subtracts from a set (an emptied set disappears). Key attributes cannot be updated, and no two action paths
//! may overlap. The run-time messages are DynamoDB's (moto 5.2.1 records the same ones).

use super::errors::{invalid_parameter, validation};
use super::names::{DocPath, Placeholders, Step};
use super::parser::{Operand, Update};
use super::path;
use super::value::{AttributeValue, Item};
use crate::api::AwsError;

fn incorrect_type() -> AwsError {
    validation("An operand in the update expression has an incorrect data type")
}

fn invalid_path() -> AwsError {
    validation("The document path provided in the update expression is invalid for update")
}

/// Checks the update against the key attributes and for overlapping paths; returns every action's path (for
/// `ReturnValues` `UPDATED_OLD` / `UPDATED_NEW`).
pub fn check(update: &Update, names: &Placeholders, key_attributes: &[&str]) -> Result<Vec<DocPath>, AwsError> {
    let paths: Vec<DocPath> = update
        .set
        .iter()
        .map(|(p, _)| p)
        .chain(update.remove.iter())
        .chain(update.add.iter().map(|(p, _)| p))
        .chain(update.delete.iter().map(|(p, _)| p))
        .map(|p| names.resolve(p))
        .collect();
    for p in &paths {
        if let Some(Step::Key(first)) = p.first() {
            if key_attributes.contains(&first.as_str()) {
                return Err(invalid_parameter(format!(
                    "Cannot update attribute {first}. This attribute is part of the key"
                )));
            }
        }
    }
    if let Some(message) = path::overlap(&paths) {
        return Err(validation(format!("Invalid UpdateExpression: {message}")));
    }
    Ok(paths)
}

/// Applies `update` to `item` (an empty item when it did not exist).
///
/// Errors: a SET operand naming a missing attribute (`The provided expression refers to an attribute that does not
/// exist in the item`), operands of the wrong type (`An operand in the update expression has an incorrect data
/// type`), a path whose parent is missing (`The document path provided in the update expression is invalid for
/// update`), number overflow.
pub fn apply(update: &Update, item: &mut Item, names: &Placeholders) -> Result<(), AwsError> {
    let before = item.clone();
    let mut values = Vec::with_capacity(update.set.len());
    for (p, value) in &update.set {
        values.push((names.resolve(p), set_value(value, &before, names, 0)?));
    }
    for (p, v) in values {
        if !path::set(item, &p, v) {
            return Err(invalid_path());
        }
    }
    // Removing list elements from the highest index down keeps the indexes the expression wrote meaningful.
    let mut removals: Vec<DocPath> = update.remove.iter().map(|p| names.resolve(p)).collect();
    removals.sort_by(|a, b| b.cmp(a));
    for p in removals {
        path::remove(item, &p);
    }
    for (p, value) in &update.add {
        let p = names.resolve(p);
        let delta = placeholder(value, names)?;
        let next = match (path::get(item, &p), delta) {
            (
                None,
                v @ (AttributeValue::N(_) | AttributeValue::SS(_) | AttributeValue::NS(_) | AttributeValue::BS(_)),
            ) => v.clone(),
            (Some(AttributeValue::N(a)), AttributeValue::N(b)) => {
                AttributeValue::N(a.add(b).map_err(|e| validation(e.message()))?)
            }
            (Some(AttributeValue::SS(a)), AttributeValue::SS(b)) => AttributeValue::SS(union(a, b)),
            (Some(AttributeValue::NS(a)), AttributeValue::NS(b)) => AttributeValue::NS(union(a, b)),
            (Some(AttributeValue::BS(a)), AttributeValue::BS(b)) => AttributeValue::BS(union(a, b)),
            _ => return Err(incorrect_type()),
        };
        if !path::set(item, &p, next) {
            return Err(invalid_path());
        }
    }
    for (p, value) in &update.delete {
        let p = names.resolve(p);
        let delta = placeholder(value, names)?;
        let next = match (path::get(item, &p), delta) {
            (None, AttributeValue::SS(_) | AttributeValue::NS(_) | AttributeValue::BS(_)) => continue,
            (Some(AttributeValue::SS(a)), AttributeValue::SS(b)) => AttributeValue::SS(minus(a, b)),
            (Some(AttributeValue::NS(a)), AttributeValue::NS(b)) => AttributeValue::NS(minus(a, b)),
            (Some(AttributeValue::BS(a)), AttributeValue::BS(b)) => AttributeValue::BS(minus(a, b)),
            _ => return Err(incorrect_type()),
        };
        let emptied = matches!(&next, AttributeValue::SS(s) if s.is_empty())
            || matches!(&next, AttributeValue::NS(s) if s.is_empty())
            || matches!(&next, AttributeValue::BS(s) if s.is_empty());
        if emptied {
            path::remove(item, &p);
        } else if !path::set(item, &p, next) {
            return Err(invalid_path());
        }
    }
    Ok(())
}

fn placeholder<'a>(o: &Operand, names: &'a Placeholders) -> Result<&'a AttributeValue, AwsError> {
    match o {
        Operand::Value(v) => names.value(v).ok_or_else(incorrect_type),
        _ => Err(incorrect_type()),
    }
}

fn union<T: Clone + PartialEq>(a: &[T], b: &[T]) -> Vec<T> {
    let mut out = a.to_vec();
    for x in b {
        if !out.contains(x) {
            out.push(x.clone());
        }
    }
    out
}

fn minus<T: Clone + PartialEq>(a: &[T], b: &[T]) -> Vec<T> {
    a.iter().filter(|x| !b.contains(x)).cloned().collect()
}

fn set_value(o: &Operand, item: &Item, names: &Placeholders, depth: usize) -> Result<AttributeValue, AwsError> {
    if depth > super::parser::MAX_DEPTH {
        return Err(incorrect_type());
    }
    match o {
        Operand::Value(v) => names.value(v).cloned().ok_or_else(incorrect_type),
        Operand::Path(p) => path::get(item, &names.resolve(p)).cloned().ok_or_else(|| {
            validation("The provided expression refers to an attribute that does not exist in the item")
        }),
        Operand::Arith(a, op, b) => {
            let (a, b) = (
                set_value(a, item, names, depth + 1)?,
                set_value(b, item, names, depth + 1)?,
            );
            match (a, b) {
                (AttributeValue::N(a), AttributeValue::N(b)) => {
                    let r = if *op == '+' { a.add(&b) } else { a.sub(&b) };
                    Ok(AttributeValue::N(r.map_err(|e| validation(e.message()))?))
                }
                _ => Err(incorrect_type()),
            }
        }
        Operand::Call(name, args) if name == "if_not_exists" => {
            let (Some(Operand::Path(p)), Some(fallback)) = (args.first(), args.get(1)) else {
                return Err(incorrect_type());
            };
            match path::get(item, &names.resolve(p)) {
                Some(v) => Ok(v.clone()),
                None => set_value(fallback, item, names, depth + 1),
            }
        }
        Operand::Call(name, args) if name == "list_append" => {
            let (Some(a), Some(b)) = (args.first(), args.get(1)) else {
                return Err(incorrect_type());
            };
            match (
                set_value(a, item, names, depth + 1)?,
                set_value(b, item, names, depth + 1)?,
            ) {
                (AttributeValue::L(mut a), AttributeValue::L(b)) => {
                    a.extend(b);
                    Ok(AttributeValue::L(a))
                }
                _ => Err(incorrect_type()),
            }
        }
        Operand::Call(..) => Err(incorrect_type()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamodb::value::{item_from_json, item_to_json};
    use serde_json::json;

    fn run(expr: &str, item: serde_json::Value, values: serde_json::Value) -> Result<serde_json::Value, String> {
        let mut p = Placeholders::from_input(&json!({"ExpressionAttributeValues": values})).unwrap();
        let u = p.update(expr).map_err(|e| e.message)?;
        check(&u, &p, &["id"]).map_err(|e| e.message)?;
        let mut item = item_from_json(&item).unwrap();
        apply(&u, &mut item, &p).map_err(|e| e.message)?;
        Ok(item_to_json(&item))
    }

    #[test]
    fn every_action_does_what_the_guide_says() {
        let out = run(
            "SET n = n + :one, l = list_append(l, :l), m = if_not_exists(m, :one) REMOVE r ADD c :one, s :s DELETE d :s",
            json!({"id": {"S": "k"}, "n": {"N": "1.5"}, "l": {"L": [{"S": "a"}]}, "r": {"S": "x"},
                   "d": {"SS": ["x", "y"]}}),
            json!({":one": {"N": "1"}, ":l": {"L": [{"S": "b"}]}, ":s": {"SS": ["x"]}}),
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"id": {"S": "k"}, "n": {"N": "2.5"}, "l": {"L": [{"S": "a"}, {"S": "b"}]}, "d": {"SS": ["y"]},
                   "m": {"N": "1"}, "c": {"N": "1"}, "s": {"SS": ["x"]}})
        );
    }

    #[test]
    fn run_time_errors_are_dynamodbs() {
        let v = json!({":v": {"S": "x"}, ":n": {"N": "1"}});
        let item = json!({"id": {"S": "k"}});
        assert_eq!(
            run("SET a = :v + :v ADD b :n", item.clone(), v.clone()),
            Err("An operand in the update expression has an incorrect data type".into())
        );
        assert_eq!(
            run("SET a = nope + :n REMOVE x ADD y :v", item.clone(), v.clone()),
            Err("The provided expression refers to an attribute that does not exist in the item".into())
        );
        assert_eq!(
            run("SET nope.x = :n, z = :v", item.clone(), v.clone()),
            Err("The document path provided in the update expression is invalid for update".into())
        );
        assert_eq!(
            run("SET id = :v, n = :n", item.clone(), v.clone()),
            Err("One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key".into())
        );
        assert_eq!(
            run("SET a = :v REMOVE a ADD n :n", item, v),
            Err("Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]".into())
        );
    }
}
