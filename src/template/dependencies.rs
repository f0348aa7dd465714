//! The order CloudFormation creates resources in, from the references between them.
//!
//! A resource depends on every resource it names with `Ref`, `Fn::GetAtt`, a `${Name}` / `${Name.Attr}` variable
//! of `Fn::Sub`, or `DependsOn` (CloudFormation user guide, "DependsOn attribute": "Dependencies are also created
//! implicitly by Ref and Fn::GetAtt"). Branches of `Fn::If` whose condition does not hold are skipped, since
//! CloudFormation does not resolve them. Independent resources keep template order, so the result is stable.

use super::error::{Located, Span};
use super::intrinsics::sub_variables;
use super::node::{Node, Value};
use indexmap::{IndexMap, IndexSet};

/// A resource as the dependency graph sees it.
pub struct Declared<'a> {
    /// The logical id.
    pub logical_id: &'a str,
    /// The resource's whole declaration (`Type`, `Properties`, `DependsOn`, ...).
    pub declaration: &'a Node,
}

/// One name a node refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// The logical id or parameter named.
    pub target: String,
    /// Where the reference is written.
    pub span: Span,
    /// How it is written, which decides CloudFormation's message when the target does not exist.
    pub via: Via,
}

/// The kind of a [`Reference`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// `Ref`, a `Fn::Sub` variable, or `DependsOn`.
    Ref,
    /// `Fn::GetAtt` (or a `${Name.Attr}` variable of `Fn::Sub`).
    GetAtt,
}

/// Every reference under `node`, skipping `Fn::If` branches whose condition is known to be false (or true, for
/// the second branch). `conditions` maps condition names to their values.
pub fn references(node: &Node, conditions: &IndexMap<String, bool>, out: &mut Vec<Reference>) {
    if let Some((name, arg)) = node.as_intrinsic() {
        match name {
            "Ref" => {
                if let Some(target) = arg.as_str() {
                    out.push(Reference {
                        target: target.to_string(),
                        span: arg.span,
                        via: Via::Ref,
                    });
                }
                return;
            }
            "Fn::GetAtt" => {
                let target = match &arg.value {
                    Value::List(items) => items.first().and_then(Node::as_str),
                    Value::String(s) => s.split('.').next(),
                    _ => None,
                };
                if let Some(target) = target {
                    out.push(Reference {
                        target: target.to_string(),
                        span: arg.span,
                        via: Via::GetAtt,
                    });
                }
                if let Some(items) = arg.as_list() {
                    items.iter().skip(1).for_each(|n| references(n, conditions, out));
                }
                return;
            }
            "Fn::Sub" => {
                let (text, vars) = match &arg.value {
                    Value::String(_) => (Some(arg), None),
                    Value::List(items) => (items.first(), items.get(1)),
                    _ => (None, None),
                };
                if let Some(vars) = vars {
                    references(vars, conditions, out);
                }
                if let Some(text) = text.and_then(Node::as_str) {
                    let local = |v: &str| vars.is_some_and(|m| m.get(v).is_some());
                    for var in sub_variables(text).unwrap_or_default() {
                        if local(&var) {
                            continue;
                        }
                        let (target, via) = match var.split_once('.') {
                            Some((res, _)) => (res.to_string(), Via::GetAtt),
                            None => (var, Via::Ref),
                        };
                        out.push(Reference {
                            target,
                            span: arg.span,
                            via,
                        });
                    }
                }
                return;
            }
            "Fn::If" => {
                if let Some([cond, yes, no]) = arg.as_list() {
                    match cond.as_str().and_then(|c| conditions.get(c)) {
                        Some(true) => references(yes, conditions, out),
                        Some(false) => references(no, conditions, out),
                        None => {
                            references(yes, conditions, out);
                            references(no, conditions, out);
                        }
                    }
                    return;
                }
            }
            _ => {}
        }
    }
    match &node.value {
        Value::List(items) => items.iter().for_each(|n| references(n, conditions, out)),
        Value::Map(entries) => entries.iter().for_each(|(_, n)| references(n, conditions, out)),
        _ => {}
    }
}

/// The names `DependsOn` lists (a string or a list of strings), with their positions.
///
/// Errors: an item that is not a plain logical id (CloudFormation resolves no function in `DependsOn`).
fn depends_on(declaration: &Node) -> Result<Vec<Reference>, Located> {
    let Some(node) = declaration.get("DependsOn") else {
        return Ok(Vec::new());
    };
    let items: Vec<&Node> = match &node.value {
        Value::List(items) => items.iter().collect(),
        _ => vec![node],
    };
    items
        .into_iter()
        .map(|n| {
            n.as_str()
                .map(|s| Reference {
                    target: s.to_string(),
                    span: n.span,
                    via: Via::Ref,
                })
                .ok_or_else(|| {
                    Located::new(
                        n.span,
                        "Template format error: DependsOn must be a logical id or a list of logical ids",
                    )
                })
        })
        .collect()
}

/// The error CloudFormation gives for a reference to a name that is neither a resource nor a parameter:
/// `Template format error: Unresolved resource dependencies [X] in the {block} block of the template` for `Ref`,
/// `Template error: instance of Fn::GetAtt references undefined resource X` for `Fn::GetAtt`.
pub fn unresolved(reference: &Reference, block: &str) -> Located {
    let message = match reference.via {
        Via::Ref => format!(
            "Template format error: Unresolved resource dependencies [{}] in the {block} block of the template",
            reference.target
        ),
        Via::GetAtt => {
            format!(
                "Template error: instance of Fn::GetAtt references undefined resource {}",
                reference.target
            )
        }
    };
    Located::new(reference.span, message)
}

/// The creation order of `resources` (indexes into it): each resource after everything it references.
///
/// `is_value` says whether a name is a parameter or pseudo parameter (and so not a resource).
/// Errors: a reference to nothing ([`unresolved`]); a cycle, as CloudFormation words it:
/// `Template format error: Circular dependency between resources: [A, B]` (the resources that cannot be
/// created, in template order).
pub fn creation_order(
    resources: &[Declared<'_>],
    conditions: &IndexMap<String, bool>,
    is_value: &dyn Fn(&str) -> bool,
) -> Result<Vec<usize>, Located> {
    let index: IndexMap<&str, usize> = resources.iter().enumerate().map(|(i, r)| (r.logical_id, i)).collect();
    let mut needs: Vec<IndexSet<usize>> = Vec::with_capacity(resources.len());
    for resource in resources {
        let mut refs = Vec::new();
        if let Some(props) = resource.declaration.get("Properties") {
            references(props, conditions, &mut refs);
        }
        let mut deps = IndexSet::new();
        let explicit = depends_on(resource.declaration).map_err(|e| e.within(resource.logical_id))?;
        for r in refs.iter().chain(explicit.iter()) {
            match index.get(r.target.as_str()) {
                Some(&i) => {
                    deps.insert(i);
                }
                None if r.via == Via::Ref && is_value(&r.target) => {}
                None => return Err(unresolved(r, "Resources").within(resource.logical_id)),
            }
        }
        needs.push(deps);
    }
    let mut created = vec![false; resources.len()];
    let mut order = Vec::with_capacity(resources.len());
    while order.len() < resources.len() {
        let next = (0..resources.len()).find(|&i| !created[i] && needs[i].iter().all(|&d| created[d]));
        match next {
            Some(i) => {
                created[i] = true;
                order.push(i);
            }
            None => {
                let stuck: Vec<&str> = (0..resources.len())
                    .filter(|&i| !created[i])
                    .map(|i| resources[i].logical_id)
                    .collect();
                let first = (0..resources.len()).find(|&i| !created[i]).unwrap_or(0);
                return Err(Located::new(
                    resources[first].declaration.span,
                    format!(
                        "Template format error: Circular dependency between resources: [{}]",
                        stuck.join(", ")
                    ),
                )
                .within(resources[first].logical_id));
            }
        }
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::node::parse;

    fn order(yaml: &str) -> Result<Vec<String>, Located> {
        let root = parse(yaml).unwrap();
        let declared: Vec<Declared> = root
            .get("Resources")
            .unwrap()
            .as_map()
            .unwrap()
            .iter()
            .map(|(k, v)| Declared {
                logical_id: &k.name,
                declaration: v,
            })
            .collect();
        let order = creation_order(&declared, &IndexMap::new(), &|n| n == "Env" || n.starts_with("AWS::"))?;
        Ok(order.into_iter().map(|i| declared[i].logical_id.to_string()).collect())
    }

    #[test]
    fn references_come_first_and_independent_resources_keep_template_order() {
        let got = order(
            "Resources:\n  C: {Type: T, Properties: {A: !GetAtt B.Arn, E: !Ref Env}}\n  B: {Type: T, Properties: \
             {X: !Sub '${D}-${AWS::Region}'}}\n  D: {Type: T}\n  E: {Type: T, DependsOn: [C]}\n  F: {Type: T}\n",
        )
        .unwrap();
        assert_eq!(got, ["D", "B", "C", "E", "F"]);
    }

    #[test]
    fn sub_variables_from_its_own_map_are_not_references() {
        let got = order("Resources:\n  A: {Type: T, Properties: {X: !Sub ['${Y}', {Y: !Ref B}]}}\n  B: {Type: T}\n");
        assert_eq!(got.unwrap(), ["B", "A"]);
    }

    #[test]
    fn cycles_and_dangling_references_use_cloudformations_words() {
        let err =
            order("Resources:\n  A: {Type: T, Properties: {X: !Ref B}}\n  B: {Type: T, DependsOn: A}\n").unwrap_err();
        assert_eq!(
            err.message,
            "Template format error: Circular dependency between resources: [A, B]"
        );
        assert_eq!(err.logical_id.as_deref(), Some("A"));

        let err = order("Resources:\n  A:\n    Type: T\n    Properties:\n      X: !Ref Nope\n").unwrap_err();
        assert_eq!(
            err.message,
            "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template"
        );
        assert_eq!((err.span.line, err.logical_id.as_deref()), (5, Some("A")));

        let err = order("Resources:\n  A: {Type: T, Properties: {X: !GetAtt Nope.Arn}}\n").unwrap_err();
        assert_eq!(
            err.message,
            "Template error: instance of Fn::GetAtt references undefined resource Nope"
        );

        let err = order("Resources:\n  A: {Type: T, DependsOn: [Ghost]}\n").unwrap_err();
        assert!(err.message.contains("[Ghost]"));

        let err = order("Resources:\n  A: {Type: T, DependsOn: [!Ref B]}\n  B: {Type: T}\n").unwrap_err();
        assert_eq!(
            err.message,
            "Template format error: DependsOn must be a logical id or a list of logical ids"
        );
    }
}
