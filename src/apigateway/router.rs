//! Routing: which resource of a deployment answers a path, and the path parameters it binds.
//!
//! AWS's rules (sources: "Set up a proxy integration with a proxy resource"; "Missing Authentication Token" in
//! the API Gateway troubleshooting notes; LocalStack's AWS-validated router):
//! - a literal part beats `{param}`, which beats `{proxy+}`, whatever the order the resources were created in;
//! - `{name}` matches exactly one non-empty segment; `{name+}` one or more segments (the rest of the path);
//! - one trailing slash is ignored (`/pets/` is `/pets`).
//!
//! Not documented by AWS, and our reading: when a more specific branch dead-ends, matching backs up and tries the
//! next kind (as LocalStack's rule map does); an empty segment (`//`) matches no literal and no `{param}`, but a
//! greedy variable keeps it; segments are percent-decoded before matching.

use crate::apigateway::http::percent_decode;
use crate::apigateway::model::{classify, ApiDefinition, PathPart};
use indexmap::IndexMap;
use std::collections::HashMap;

/// A compiled resource tree.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Router {
    nodes: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Node {
    resource_id: String,
    literals: HashMap<String, usize>,
    variable: Option<(String, usize)>,
    greedy: Option<(String, usize)>,
}

/// A routing result: the resource and the path parameters, in path order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// The matched resource's id.
    pub resource_id: String,
    /// Path parameter name -> decoded value.
    pub path_parameters: IndexMap<String, String>,
}

/// The deepest path the router follows; deeper paths do not match (and cannot exhaust the stack).
pub const MAX_SEGMENTS: usize = 512;

/// How many tree nodes one lookup may visit. Backing up can revisit subtrees, so a tree with a literal and a
/// variable at every level could otherwise take exponential time on a path that matches nowhere.
pub const MAX_VISITS: usize = 100_000;

impl Router {
    /// Compiles the resource tree of `definition`.
    pub fn new(definition: &ApiDefinition) -> Router {
        let mut router = Router::default();
        router.add(definition, &definition.root_resource_id);
        router
    }

    fn add(&mut self, definition: &ApiDefinition, resource_id: &str) -> usize {
        let index = self.nodes.len();
        self.nodes.push(Node {
            resource_id: resource_id.to_string(),
            ..Node::default()
        });
        let children: Vec<(String, String)> = definition
            .children(resource_id)
            .map(|c| (c.id.clone(), c.path_part.clone()))
            .collect();
        for (child_id, part) in children {
            let child = self.add(definition, &child_id);
            if let Some(node) = self.nodes.get_mut(index) {
                match classify(&part) {
                    PathPart::Literal(l) => {
                        node.literals.insert(l.to_string(), child);
                    }
                    PathPart::Variable(name) => node.variable = Some((name.to_string(), child)),
                    PathPart::Greedy(name) => node.greedy = Some((name.to_string(), child)),
                }
            }
        }
        index
    }

    /// The resource for `path` (after the stage, beginning with `/`), or `None`.
    pub fn route(&self, path: &str) -> Option<Match> {
        let trimmed = path.strip_prefix('/').unwrap_or(path);
        let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
        let segments: Vec<&str> = if trimmed.is_empty() {
            Vec::new()
        } else {
            trimmed.split('/').collect()
        };
        if segments.len() > MAX_SEGMENTS {
            return None;
        }
        let mut params = Vec::new();
        let mut budget = MAX_VISITS;
        let node = self.walk(0, &segments, &mut params, &mut budget)?;
        Some(Match {
            resource_id: self.nodes.get(node)?.resource_id.clone(),
            path_parameters: params.into_iter().collect(),
        })
    }

    fn walk(
        &self,
        node: usize,
        segments: &[&str],
        params: &mut Vec<(String, String)>,
        budget: &mut usize,
    ) -> Option<usize> {
        *budget = budget.checked_sub(1)?;
        let current = self.nodes.get(node)?;
        let Some((first, rest)) = segments.split_first() else {
            return Some(node);
        };
        if !first.is_empty() {
            let decoded = percent_decode(first);
            if let Some(&child) = current.literals.get(&decoded) {
                if let Some(found) = self.walk(child, rest, params, budget) {
                    return Some(found);
                }
            }
            if let Some((name, child)) = &current.variable {
                params.push((name.clone(), decoded));
                if let Some(found) = self.walk(*child, rest, params, budget) {
                    return Some(found);
                }
                params.pop();
            }
        }
        let (name, child) = current.greedy.as_ref()?;
        let value = percent_decode(&segments.join("/"));
        if value.is_empty() {
            return None;
        }
        params.push((name.clone(), value));
        Some(*child)
    }
}

/// The path parameters `path` binds against the resource path template `template` (test-invoke's
/// `pathWithQueryString`), percent-decoded; empty when they do not match, as AWS's console accepts any path there.
pub fn bind_template(template: &str, path: &str) -> IndexMap<String, String> {
    bind(template, path, percent_decode)
}

/// As [`bind_template`], with the values as sent (not decoded): what a Lambda proxy event's `pathParameters`
/// holds (issue #6; serverless-offline #1029 reports the same difference from AWS).
pub fn bind_template_raw(template: &str, path: &str) -> IndexMap<String, String> {
    bind(template, path, str::to_string)
}

fn bind(template: &str, path: &str, value: fn(&str) -> String) -> IndexMap<String, String> {
    let mut out = IndexMap::new();
    let parts: Vec<&str> = template
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        match classify(part) {
            PathPart::Literal(_) => {}
            PathPart::Variable(name) => match segments.get(i) {
                Some(s) if !s.is_empty() => {
                    out.insert(name.to_string(), value(s));
                }
                _ => return IndexMap::new(),
            },
            PathPart::Greedy(name) => {
                let rest = segments.get(i..).map(|s| s.join("/")).unwrap_or_default();
                if rest.is_empty() {
                    return IndexMap::new();
                }
                out.insert(name.to_string(), value(&rest));
                return out;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apigateway::model::RestApi;

    fn api(paths: &[(&str, &str)]) -> RestApi {
        // (id, path) pairs; parents must come first.
        let mut api = RestApi::new("api", "root", "t");
        for (id, path) in paths {
            let (parent_path, part) = path.rsplit_once('/').unwrap();
            let parent = if parent_path.is_empty() {
                "root".to_string()
            } else {
                api.definition.resource_by_path(parent_path).unwrap().id.clone()
            };
            api.create_resource(id, &parent, part).unwrap();
        }
        api
    }

    fn route(api: &RestApi, path: &str) -> Option<(String, Vec<(String, String)>)> {
        Router::new(&api.definition)
            .route(path)
            .map(|m| (m.resource_id, m.path_parameters.into_iter().collect()))
    }

    #[test]
    fn literal_beats_variable_beats_greedy_in_any_creation_order() {
        // AWS allows one variable part among siblings, so the kinds compete across levels.
        let a = api(&[
            ("g", "/{proxy+}"),
            ("l", "/pets"),
            ("v", "/pets/{id}"),
            ("lv", "/pets/mine"),
        ]);
        assert_eq!(route(&a, "/pets").unwrap().0, "l");
        assert_eq!(route(&a, "/pets/mine").unwrap().0, "lv");
        assert_eq!(
            route(&a, "/pets/7").unwrap(),
            ("v".into(), vec![("id".into(), "7".into())])
        );
        assert_eq!(
            route(&a, "/pets/7/toys").unwrap(),
            ("g".into(), vec![("proxy".into(), "pets/7/toys".into())])
        );
        assert_eq!(
            route(&a, "/a/b/c").unwrap(),
            ("g".into(), vec![("proxy".into(), "a/b/c".into())])
        );
    }

    #[test]
    fn greedy_needs_a_segment_and_root_is_root() {
        let a = api(&[("g", "/{proxy+}")]);
        assert_eq!(route(&a, "/").unwrap().0, "root");
        assert_eq!(route(&a, "").unwrap().0, "root");
        let b = api(&[("p", "/pets"), ("g", "/pets/{proxy+}")]);
        assert_eq!(route(&b, "/pets/").unwrap().0, "p");
        assert_eq!(route(&b, "/pets/x/").unwrap().0, "g");
    }

    #[test]
    fn dead_ends_back_up_to_the_next_kind() {
        let a = api(&[("l", "/a"), ("lb", "/a/b"), ("v", "/{x}"), ("vc", "/{x}/c")]);
        assert_eq!(
            route(&a, "/a/c").unwrap(),
            ("vc".into(), vec![("x".into(), "a".into())])
        );
        assert_eq!(route(&a, "/a/d"), None);
    }

    #[test]
    fn odd_paths_do_not_match_literals_and_never_panic() {
        let a = api(&[("l", "/message"), ("v", "/message/{id}")]);
        assert_eq!(route(&a, "//message"), None);
        assert_eq!(route(&a, "/message//"), None);
        assert_eq!(route(&a, "/mess%61ge").unwrap().0, "l");
        assert_eq!(
            route(&a, "/message/a%2Fb").unwrap().1,
            vec![("id".into(), "a/b".into())]
        );
        assert_eq!(
            route(&a, "/message/%ZZ%").unwrap().1,
            vec![("id".into(), "%ZZ%".into())]
        );
        assert_eq!(route(&a, &"/x".repeat(10_000)), None);
    }

    #[test]
    fn backing_up_is_bounded() {
        let mut paths = Vec::new();
        let mut prefix = String::new();
        for i in 0..40 {
            paths.push((format!("l{i}"), format!("{prefix}/a")));
            paths.push((format!("v{i}"), format!("{prefix}/{{v{i}}}")));
            prefix.push_str("/a");
        }
        let mut api = RestApi::new("api", "root", "t");
        for (id, path) in &paths {
            let (parent_path, part) = path.rsplit_once('/').unwrap();
            let parent = if parent_path.is_empty() {
                "root".to_string()
            } else {
                api.definition.resource_by_path(parent_path).unwrap().id.clone()
            };
            api.create_resource(id, &parent, part).unwrap();
        }
        let router = Router::new(&api.definition);
        assert_eq!(router.route(&"/a".repeat(40)).unwrap().resource_id, "l39");
        assert_eq!(router.route(&format!("{}/zzz", "/a".repeat(40))), None);
    }

    #[test]
    fn templates_bind_test_invoke_paths() {
        assert_eq!(
            bind_template("/pets/{petId}", "/pets/123"),
            [("petId".to_string(), "123".to_string())]
                .into_iter()
                .collect::<IndexMap<String, String>>()
        );
        assert!(bind_template("/pets/{petId}", "/pets").is_empty());
        assert_eq!(bind_template("/{proxy+}", "/a/b")["proxy"], "a/b");
    }
}
