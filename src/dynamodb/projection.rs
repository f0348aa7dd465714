//! Projection: keeping only some document paths of an item (ProjectionExpression, ReturnValues UPDATED_*).
//!
//! Source: "Projection expressions", DynamoDB developer guide: the result holds the named attributes with their
//! nesting; list elements picked by index keep their order and close up (`l[3]` alone gives a one-element list).

use super::names::{DocPath, Step};
use super::value::{AttributeValue, Item};
use indexmap::IndexMap;
use std::collections::BTreeMap;

enum Node {
    Leaf(AttributeValue),
    Map(IndexMap<String, Node>),
    List(BTreeMap<usize, Node>),
}

impl Node {
    fn into_value(self) -> AttributeValue {
        match self {
            Node::Leaf(v) => v,
            Node::Map(m) => AttributeValue::M(m.into_iter().map(|(k, n)| (k, n.into_value())).collect()),
            Node::List(l) => AttributeValue::L(l.into_values().map(Node::into_value).collect()),
        }
    }
}

fn insert(children: &mut Node, rest: &[Step], value: &AttributeValue) {
    let Some((step, tail)) = rest.split_first() else { return };
    let slot = match (children, step) {
        (Node::Map(m), Step::Key(k)) => m.entry(k.clone()).or_insert_with(|| empty_for(tail)),
        (Node::List(l), Step::Index(i)) => l.entry(*i).or_insert_with(|| empty_for(tail)),
        _ => return,
    };
    if tail.is_empty() {
        *slot = Node::Leaf(value.clone());
    } else {
        insert(slot, tail, value);
    }
}

fn empty_for(tail: &[Step]) -> Node {
    match tail.first() {
        Some(Step::Index(_)) => Node::List(BTreeMap::new()),
        _ => Node::Map(IndexMap::new()),
    }
}

/// The part of `item` the `paths` name (paths the item lacks are left out).
pub fn project(item: &Item, paths: &[DocPath]) -> Item {
    let mut root = Node::Map(IndexMap::new());
    for p in paths {
        if let Some(v) = super::path::get(item, p) {
            insert(&mut root, p, v);
        }
    }
    match root.into_value() {
        AttributeValue::M(m) => m,
        _ => Item::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamodb::value::{item_from_json, item_to_json};
    use serde_json::json;

    #[test]
    fn nested_paths_keep_their_shape() {
        let item = item_from_json(&json!({"a": {"S": "x"}, "m": {"M": {"b": {"N": "1"}, "c": {"N": "2"}}},
            "l": {"L": [{"S": "0"}, {"S": "1"}, {"S": "2"}]}}))
        .unwrap();
        let k = |s: &str| Step::Key(s.into());
        let out = project(
            &item,
            &[
                vec![k("m"), k("c")],
                vec![k("l"), Step::Index(2)],
                vec![k("nope")],
                vec![k("a")],
            ],
        );
        assert_eq!(
            item_to_json(&out),
            json!({"m": {"M": {"c": {"N": "2"}}}, "l": {"L": [{"S": "2"}]}, "a": {"S": "x"}})
        );
    }
}
