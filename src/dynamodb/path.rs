//! Document paths inside an item: reading, writing and removing `a.b[2].c`, and the overlap rule.
//!
//! Source: "Specifying item attributes when using expressions" (document paths, list indexes) and "Update
//! expressions" (SET on a list index past the end appends; REMOVE of a list element shifts the rest), DynamoDB
//! developer guide.

use super::names::{DocPath, Placeholders, Step};
use super::parser::{Path, PathElem};
use super::value::{AttributeValue, Item};

/// The value at `path`, if the item has one.
pub fn get<'a>(item: &'a Item, path: &[Step]) -> Option<&'a AttributeValue> {
    let (Step::Key(first), rest) = path.split_first()? else {
        return None;
    };
    let mut current = item.get(first)?;
    for step in rest {
        current = match (step, current) {
            (Step::Key(k), AttributeValue::M(m)) => m.get(k)?,
            (Step::Index(i), AttributeValue::L(l)) => l.get(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

/// The value at an unresolved `path` (its `#names` looked up in `names`), without building the resolved path:
/// the filter hot path.
pub fn get_named<'a>(item: &'a Item, path: &Path, names: &Placeholders) -> Option<&'a AttributeValue> {
    let (PathElem::Name(first), rest) = path.0.split_first()? else {
        return None;
    };
    let mut current = item.get(names.name(first))?;
    for elem in rest {
        current = match (elem, current) {
            (PathElem::Name(k), AttributeValue::M(m)) => m.get(names.name(k))?,
            (PathElem::Index(i), AttributeValue::L(l)) => l.get(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

/// The container that holds the last step of `path`, mutably.
fn parent_mut<'a>(item: &'a mut Item, path: &[Step]) -> Option<Container<'a>> {
    let (Step::Key(first), rest) = path.split_first()? else {
        return None;
    };
    if rest.is_empty() {
        return Some(Container::Item(item));
    }
    let mut current = item.get_mut(first)?;
    for step in &rest[..rest.len() - 1] {
        current = match (step, current) {
            (Step::Key(k), AttributeValue::M(m)) => m.get_mut(k)?,
            (Step::Index(i), AttributeValue::L(l)) => l.get_mut(*i)?,
            _ => return None,
        };
    }
    match current {
        AttributeValue::M(m) => Some(Container::Item(m)),
        AttributeValue::L(l) => Some(Container::List(l)),
        _ => None,
    }
}

enum Container<'a> {
    Item(&'a mut Item),
    List(&'a mut Vec<AttributeValue>),
}

/// Writes `value` at `path`. A list index past the end appends. Returns `false` when the path's parent does not
/// exist or has the wrong type (DynamoDB: "The document path provided in the update expression is invalid for
/// update").
pub fn set(item: &mut Item, path: &[Step], value: AttributeValue) -> bool {
    let Some(last) = path.last() else { return false };
    match (parent_mut(item, path), last) {
        (Some(Container::Item(m)), Step::Key(k)) => {
            m.insert(k.clone(), value);
            true
        }
        (Some(Container::List(l)), Step::Index(i)) => {
            if *i < l.len() {
                l[*i] = value;
            } else {
                l.push(value);
            }
            true
        }
        _ => false,
    }
}

/// Removes the value at `path` (nothing when absent), shifting later list elements down.
pub fn remove(item: &mut Item, path: &[Step]) -> Option<AttributeValue> {
    let last = path.last()?;
    match (parent_mut(item, path)?, last) {
        (Container::Item(m), Step::Key(k)) => m.shift_remove(k),
        (Container::List(l), Step::Index(i)) if *i < l.len() => Some(l.remove(*i)),
        _ => None,
    }
}

/// A path as DynamoDB prints it in overlap messages: `[a, b, [2]]`.
pub fn show(path: &[Step]) -> String {
    let parts: Vec<String> = path
        .iter()
        .map(|s| match s {
            Step::Key(k) => k.clone(),
            Step::Index(i) => format!("[{i}]"),
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// The first pair of paths where one is a prefix of (or equal to) the other: DynamoDB refuses them with `Two
/// document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two:
/// [a, b]` (source: moto 5.2.1 and DynamoDB's responses quoted on re:Post).
pub fn overlap(paths: &[DocPath]) -> Option<String> {
    for (i, a) in paths.iter().enumerate() {
        for b in &paths[i + 1..] {
            let n = a.len().min(b.len());
            if a[..n] == b[..n] {
                return Some(format!(
                    "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {}, path two: {}",
                    show(a),
                    show(b)
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamodb::value::item_from_json;
    use serde_json::json;

    fn k(s: &str) -> Step {
        Step::Key(s.to_string())
    }

    #[test]
    fn paths_reach_into_maps_and_lists() {
        let mut item = item_from_json(&json!({"a": {"M": {"b": {"L": [{"S": "x"}, {"S": "y"}]}}}})).unwrap();
        let p = [k("a"), k("b"), Step::Index(1)];
        assert_eq!(get(&item, &p), Some(&AttributeValue::S("y".into())));
        assert!(set(&mut item, &[k("a"), k("b"), Step::Index(9)], AttributeValue::Null));
        assert_eq!(
            get(&item, &[k("a"), k("b"), Step::Index(2)]),
            Some(&AttributeValue::Null)
        );
        assert!(!set(&mut item, &[k("nope"), k("x")], AttributeValue::Null));
        assert_eq!(
            remove(&mut item, &[k("a"), k("b"), Step::Index(0)]),
            Some(AttributeValue::S("x".into()))
        );
        assert_eq!(get(&item, &p), Some(&AttributeValue::Null));
    }

    #[test]
    fn overlapping_paths_are_named() {
        let paths = vec![vec![k("a")], vec![k("a"), k("b")]];
        assert_eq!(
            overlap(&paths).unwrap(),
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"
        );
        assert_eq!(overlap(&[vec![k("a")], vec![k("ab")]]), None);
    }
}
