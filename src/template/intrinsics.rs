//! Intrinsic functions, conditions, and the evaluation of a whole template into a [`Stack`].
//!
//! Source: "Intrinsic function reference" and "Pseudo parameters reference" in the CloudFormation user guide.
//! Messages that begin with `Template error:` or `Template format error:` are CloudFormation's own for the same
//! mistake; the others are ours and say so by their wording. `AWS::NoValue` removes the property (or list item)
//! it stands in, as CloudFormation does.

use super::dependencies::{self, Declared};
use super::error::{Located, Span};
use super::node::{Node, Value};
use super::parameters::{self, ParameterValues};
use super::physical::{Provisioned, Provisioner};
use super::{LoadOptions, Output, Stack, StackResource};
use crate::cloud::Cloud;
use base64::Engine as _;
use indexmap::IndexMap;
use serde_json::{Map, Value as Json};

/// The functions CloudFormation lists as supported when it meets an unknown one.
const SUPPORTED: &str = "[Fn::Base64, Fn::GetAtt, Fn::GetAZs, Fn::ImportValue, Fn::Join, Fn::Split, Fn::FindInMap, \
                         Fn::Select, Ref, Fn::Equals, Fn::If, Fn::Not, Condition, Fn::And, Fn::Or, Fn::Sub, Fn::Cidr]";

/// The top-level sections a template may have ("Template anatomy").
const SECTIONS: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Transform",
    "Resources",
    "Outputs",
];

/// CloudFormation's quota of resources per template ("CloudFormation quotas").
pub const MAX_RESOURCES: usize = 500;

/// How deep `Condition` references may chain (ours: it bounds recursion, which a browser's stack cannot afford).
pub const MAX_CONDITION_NESTING: usize = 64;

/// The attributes a resource declaration may have ("Resource attribute reference").
const RESOURCE_KEYS: &[&str] = &[
    "Type",
    "Properties",
    "DependsOn",
    "Condition",
    "Metadata",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "UpdatePolicy",
    "CreationPolicy",
];

/// Everything a function can see while the template is evaluated.
pub struct Scope<'a> {
    params: &'a ParameterValues,
    pseudo: IndexMap<&'static str, Json>,
    mappings: Option<&'a Node>,
    conditions: IndexMap<String, bool>,
    resources: IndexMap<String, Provisioned>,
    region: String,
    /// The section being evaluated: `Conditions` may name parameters only, and says so when it names more.
    in_conditions: bool,
}

/// Evaluates the (already SAM-transformed) template `root` into a [`Stack`].
pub fn evaluate_stack(root: &Node, options: &LoadOptions<'_>, cloud: &mut Cloud) -> Result<Stack, Located> {
    let sections = root.as_map().ok_or_else(|| {
        Located::new(
            root.span,
            "Template format error: the template must be a map of sections",
        )
    })?;
    let unknown: Vec<&str> = sections
        .iter()
        .map(|(k, _)| k.name.as_str())
        .filter(|k| !SECTIONS.contains(k))
        .collect();
    if let Some(first) = unknown.first() {
        let span = sections
            .iter()
            .find(|(k, _)| k.name == *first)
            .map_or(root.span, |(k, _)| k.span);
        return Err(Located::new(
            span,
            format!(
                "Template format error: Invalid template property or properties [{}]",
                unknown.join(", ")
            ),
        ));
    }
    let resources_node = root.get("Resources").ok_or_else(|| {
        Located::new(
            root.span,
            "Template format error: At least one Resources member must be defined.",
        )
    })?;
    let declared = declared_resources(resources_node)?;

    let params = parameters::resolve(root.get("Parameters"), &options.parameter_overrides)?;
    let stack_id = format!(
        "arn:{}:cloudformation:{}:{}:stack/{}/{}",
        cloud.partition(),
        cloud.region,
        cloud.account_id,
        options.stack_name,
        cloud.ids.uuid()
    );
    let mut scope = Scope {
        params: &params,
        pseudo: pseudo_parameters(cloud, &options.stack_name, &stack_id),
        mappings: root.get("Mappings"),
        conditions: IndexMap::new(),
        resources: IndexMap::new(),
        region: cloud.region.clone(),
        in_conditions: true,
    };
    scope.conditions = evaluate_conditions(root.get("Conditions"), &scope)?;
    scope.in_conditions = false;

    let kept: Vec<Declared> = declared
        .into_iter()
        .filter_map(|d| match d.declaration.get("Condition") {
            None => Some(Ok(d)),
            Some(c) => match scope.condition_named(c) {
                Ok(true) => Some(Ok(d)),
                Ok(false) => None,
                Err(e) => Some(Err(e.within(d.logical_id))),
            },
        })
        .collect::<Result<_, _>>()?;
    let is_value = |name: &str| scope.params.contains_key(name) || scope.pseudo.contains_key(name);
    let order = dependencies::creation_order(&kept, &scope.conditions, &is_value)?;

    let mut provisioner = Provisioner::new(cloud, &options.stack_name);
    let mut resources = Vec::with_capacity(order.len());
    for i in order {
        let Declared {
            logical_id,
            declaration,
        } = &kept[i];
        let resource_type = declaration.get("Type").and_then(Node::as_str).unwrap_or_default();
        let properties = match declaration.get("Properties") {
            Some(p) if p.as_map().is_none() && p.value != Value::Null => {
                return Err(Located::new(p.span, "Template format error: Properties must be a map").within(logical_id))
            }
            Some(p) => scope
                .eval(p)
                .map_err(|e| e.within(logical_id))?
                .unwrap_or_else(|| Json::Object(Map::new())),
            None => Json::Object(Map::new()),
        };
        let properties = if properties.is_null() {
            Json::Object(Map::new())
        } else {
            properties
        };
        let provisioned = provisioner.provision(logical_id, resource_type, &properties);
        resources.push(StackResource {
            logical_id: logical_id.to_string(),
            resource_type: resource_type.to_string(),
            properties,
            physical_id: provisioned.physical_id.clone(),
            attributes: provisioned.attributes.clone(),
            span: declaration.span,
            generated_by: declaration
                .get("Metadata")
                .and_then(|m| m.get("SamResourceId"))
                .and_then(Node::as_str)
                .map(str::to_string),
        });
        scope.resources.insert(logical_id.to_string(), provisioned);
    }
    let outputs = evaluate_outputs(root.get("Outputs"), &scope)?;
    Ok(Stack {
        file_name: String::new(),
        stack_name: options.stack_name.clone(),
        description: root.get("Description").and_then(Node::as_str).map(str::to_string),
        parameters: params.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        resources,
        outputs,
    })
}

/// The resources section as a list, each checked to be a map with a `Type` and only known attributes.
fn declared_resources(node: &Node) -> Result<Vec<Declared<'_>>, Located> {
    let entries = node.as_map().filter(|e| !e.is_empty()).ok_or_else(|| {
        Located::new(
            node.span,
            "Template format error: At least one Resources member must be defined.",
        )
    })?;
    if entries.len() > MAX_RESOURCES {
        return Err(Located::new(
            node.span,
            format!(
                "Template format error: Number of resources, {}, is greater than maximum allowed, {MAX_RESOURCES}",
                entries.len()
            ),
        ));
    }
    entries
        .iter()
        .map(|(key, declaration)| {
            let id = key.name.as_str();
            let fields = declaration.as_map().ok_or_else(|| {
                Located::new(
                    declaration.span,
                    format!("Template format error: [/Resources/{id}] resource definition is malformed"),
                )
                .within(id)
            })?;
            if !id.chars().all(|c| c.is_ascii_alphanumeric()) || id.is_empty() {
                return Err(Located::new(
                    key.span,
                    format!("Template format error: Resource name {id} is non alphanumeric."),
                )
                .within(id));
            }
            if let Some((bad, _)) = fields.iter().find(|(k, _)| !RESOURCE_KEYS.contains(&k.name.as_str())) {
                return Err(Located::new(
                    bad.span,
                    format!(
                        "Template format error: Invalid template resource property '{}'",
                        bad.name
                    ),
                )
                .within(id));
            }
            match declaration.get("Type") {
                Some(t) if t.as_str().is_some_and(|s| !s.is_empty()) => Ok(Declared {
                    logical_id: id,
                    declaration,
                }),
                _ => Err(Located::new(
                    declaration.span,
                    "Template format error: Every Resources object must contain a Type member.",
                )
                .within(id)),
            }
        })
        .collect()
}

/// The pseudo parameters ("Pseudo parameters reference"). `AWS::NoValue` is handled by `Ref` itself.
fn pseudo_parameters(cloud: &Cloud, stack_name: &str, stack_id: &str) -> IndexMap<&'static str, Json> {
    IndexMap::from([
        ("AWS::AccountId", Json::from(cloud.account_id.clone())),
        ("AWS::Region", Json::from(cloud.region.clone())),
        ("AWS::StackName", Json::from(stack_name)),
        ("AWS::StackId", Json::from(stack_id)),
        ("AWS::Partition", Json::from(cloud.partition())),
        ("AWS::URLSuffix", Json::from(cloud.url_suffix())),
        ("AWS::NotificationARNs", Json::Array(Vec::new())),
        ("AWS::NoValue", Json::Null),
    ])
}

/// Evaluates every condition, following `Condition` references between them (a cycle is an error).
fn evaluate_conditions(section: Option<&Node>, scope: &Scope<'_>) -> Result<IndexMap<String, bool>, Located> {
    let Some(section) = section else {
        return Ok(IndexMap::new());
    };
    let entries = section
        .as_map()
        .ok_or_else(|| Located::new(section.span, "Template format error: Conditions must be a map"))?;
    let mut done: IndexMap<String, bool> = IndexMap::new();
    let by_name: IndexMap<&str, &Node> = entries.iter().map(|(k, v)| (k.name.as_str(), v)).collect();
    for (key, _) in entries {
        let mut visiting = Vec::new();
        condition_value(&key.name, key.span, &by_name, scope, &mut done, &mut visiting)?;
    }
    Ok(entries.iter().map(|(k, _)| (k.name.clone(), done[&k.name])).collect())
}

fn condition_value(
    name: &str,
    span: Span,
    entries: &IndexMap<&str, &Node>,
    scope: &Scope<'_>,
    done: &mut IndexMap<String, bool>,
    visiting: &mut Vec<String>,
) -> Result<bool, Located> {
    if let Some(&v) = done.get(name) {
        return Ok(v);
    }
    let Some(body) = entries.get(name) else {
        return Err(Located::new(span, format!("Template format error: Unresolved dependencies [{name}]. Cannot reference resources in the Conditions block of the template")));
    };
    if visiting.iter().any(|v| v == name) {
        visiting.push(name.to_string());
        return Err(Located::new(
            body.span,
            format!(
                "Template format error: Circular dependency between conditions: [{}]",
                visiting.join(", ")
            ),
        )
        .within(name));
    }
    if visiting.len() >= MAX_CONDITION_NESTING {
        return Err(Located::new(
            body.span,
            format!("conditions refer to each other more than {MAX_CONDITION_NESTING} levels deep; refusing to evaluate them"),
        )
        .within(name));
    }
    visiting.push(name.to_string());
    let value = ConditionEval {
        entries,
        scope,
        done,
        visiting,
    }
    .eval(body)
    .map_err(|e| e.within(name))?;
    visiting.pop();
    done.insert(name.to_string(), value);
    Ok(value)
}

/// Evaluates one condition body (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`).
struct ConditionEval<'s, 'a> {
    entries: &'s IndexMap<&'s str, &'s Node>,
    scope: &'s Scope<'a>,
    done: &'s mut IndexMap<String, bool>,
    visiting: &'s mut Vec<String>,
}

impl ConditionEval<'_, '_> {
    fn eval(&mut self, node: &Node) -> Result<bool, Located> {
        let Some((name, arg)) = node.as_intrinsic() else {
            return match &node.value {
                Value::Bool(b) => Ok(*b),
                Value::String(s) if s == "true" || s == "false" => Ok(s == "true"),
                _ => Err(Located::new(
                    node.span,
                    "Template format error: Every Condition member must be a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition)",
                )),
            };
        };
        match name {
            "Condition" => {
                let target = arg
                    .as_str()
                    .ok_or_else(|| Located::new(arg.span, "Template error: Condition must name a condition"))?;
                condition_value(target, arg.span, self.entries, self.scope, self.done, self.visiting)
            }
            "Fn::Equals" => match arg.as_list() {
                Some([a, b]) => {
                    let a = self.scope.eval(a)?.unwrap_or(Json::Null);
                    let b = self.scope.eval(b)?.unwrap_or(Json::Null);
                    Ok(comparable(&a) == comparable(&b))
                }
                _ => Err(Located::new(arg.span, "Template error: Fn::Equals requires a list of two values")),
            },
            "Fn::And" | "Fn::Or" => {
                let items = arg
                    .as_list()
                    .filter(|l| (2..=10).contains(&l.len()))
                    .ok_or_else(|| Located::new(arg.span, format!("Template error: {name} requires a list of 2 to 10 conditions")))?;
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    values.push(self.eval(item)?);
                }
                Ok(if name == "Fn::And" { values.iter().all(|v| *v) } else { values.iter().any(|v| *v) })
            }
            "Fn::Not" => match arg.as_list() {
                Some([inner]) => Ok(!self.eval(inner)?),
                _ => Err(Located::new(arg.span, "Template error: Fn::Not requires a list of one condition")),
            },
            other => Err(Located::new(
                node.span,
                format!("Template format error: {other} is not a condition function (use Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition)"),
            )),
        }
    }
}

/// Values as `Fn::Equals` compares them: scalars by their text (CloudFormation compares `"1"` and `1` equal).
fn comparable(v: &Json) -> Json {
    match v {
        Json::Number(n) => Json::String(n.to_string()),
        Json::Bool(b) => Json::String(b.to_string()),
        other => other.clone(),
    }
}

fn evaluate_outputs(section: Option<&Node>, scope: &Scope<'_>) -> Result<Vec<Output>, Located> {
    let Some(section) = section else { return Ok(Vec::new()) };
    let entries = section
        .as_map()
        .ok_or_else(|| Located::new(section.span, "Template format error: Outputs must be a map"))?;
    let mut outputs = Vec::new();
    for (key, decl) in entries {
        let name = key.name.as_str();
        if let Some(c) = decl.get("Condition") {
            if !scope.condition_named(c).map_err(|e| e.within(name))? {
                continue;
            }
        }
        let mut refs = Vec::new();
        dependencies::references(decl, &scope.conditions, &mut refs);
        for r in &refs {
            let known = scope.resources.contains_key(&r.target)
                || (r.via == dependencies::Via::Ref
                    && (scope.params.contains_key(&r.target) || scope.pseudo.contains_key(r.target.as_str())));
            if !known {
                return Err(dependencies::unresolved(r, "Outputs").within(name));
            }
        }
        let value_node = decl.get("Value").ok_or_else(|| {
            Located::new(
                decl.span,
                "Template format error: Every Outputs member must contain a Value object",
            )
            .within(name)
        })?;
        let value = scope
            .eval(value_node)
            .map_err(|e| e.within(name))?
            .unwrap_or(Json::Null);
        let export_name = match decl.get("Export").and_then(|e| e.get("Name")) {
            Some(n) => Some(scope.string(n).map_err(|e| e.within(name))?),
            None => None,
        };
        outputs.push(Output {
            name: name.to_string(),
            value,
            description: decl.get("Description").and_then(Node::as_str).map(str::to_string),
            export_name,
        });
    }
    Ok(outputs)
}

/// A piece of a `Fn::Sub` string: literal text or a `${variable}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubPart {
    /// Text copied as is (a `${!X}` escape is already turned into `${X}`).
    Literal(String),
    /// A variable name, e.g. `AWS::Region`, `MyBucket` or `MyFunction.Arn`.
    Variable(String),
}

/// Splits a `Fn::Sub` string into literals and variables. `${!Literal}` writes `${Literal}`; a `$` not followed
/// by `{` is literal.
///
/// Errors: an unterminated `${`; a variable name with characters other than letters, digits, `_`, `.` and `:`
/// (CloudFormation: "variable names in Fn::Sub syntax must contain only alphanumeric characters, underscores,
/// periods, and colons").
pub fn sub_parts(text: &str) -> Result<Vec<SubPart>, String> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        literal.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find('}')
            .ok_or_else(|| format!("Template error: unterminated ${{ in Fn::Sub string '{text}'"))?;
        let name = &after[..end];
        if let Some(escaped) = name.strip_prefix('!') {
            literal.push_str("${");
            literal.push_str(escaped);
            literal.push('}');
        } else {
            let name = name.trim();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || "_.:".contains(c)) {
                return Err("Template error: variable names in Fn::Sub syntax must contain only alphanumeric characters, underscores, periods, and colons".to_string());
            }
            if !literal.is_empty() {
                parts.push(SubPart::Literal(std::mem::take(&mut literal)));
            }
            parts.push(SubPart::Variable(name.to_string()));
        }
        rest = &after[end + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(SubPart::Literal(literal));
    }
    Ok(parts)
}

/// The variable names of a `Fn::Sub` string.
pub fn sub_variables(text: &str) -> Result<Vec<String>, String> {
    Ok(sub_parts(text)?
        .into_iter()
        .filter_map(|p| match p {
            SubPart::Variable(v) => Some(v),
            SubPart::Literal(_) => None,
        })
        .collect())
}

impl Scope<'_> {
    /// The value of a resource's or output's `Condition` attribute (a condition name).
    fn condition_named(&self, node: &Node) -> Result<bool, Located> {
        let name = node.as_str().ok_or_else(|| {
            Located::new(
                node.span,
                "Template format error: Condition must be the name of a condition",
            )
        })?;
        self.conditions.get(name).copied().ok_or_else(|| {
            Located::new(node.span, format!("Template format error: Unresolved dependencies [{name}]. Cannot reference resources in the Conditions block of the template"))
        })
    }

    /// Evaluates `node`. `None` stands for `AWS::NoValue`, which the enclosing map or list drops.
    pub fn eval(&self, node: &Node) -> Result<Option<Json>, Located> {
        if let Some((name, arg)) = node.as_intrinsic() {
            return self.function(name, arg, node.span);
        }
        Ok(Some(match &node.value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => serde_json::from_str::<serde_json::Number>(n)
                .map(Json::Number)
                .unwrap_or_else(|_| Json::String(n.clone())),
            Value::String(s) => Json::String(s.clone()),
            Value::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    if let Some(v) = self.eval(item)? {
                        out.push(v);
                    }
                }
                Json::Array(out)
            }
            Value::Map(entries) => {
                let mut out = Map::new();
                for (k, v) in entries {
                    if let Some(v) = self.eval(v)? {
                        out.insert(k.name.clone(), v);
                    }
                }
                Json::Object(out)
            }
        }))
    }

    /// Evaluates `node` to a string (numbers and booleans are written as text).
    fn string(&self, node: &Node) -> Result<String, Located> {
        match self.eval(node)? {
            Some(Json::String(s)) => Ok(s),
            Some(Json::Number(n)) => Ok(n.to_string()),
            Some(Json::Bool(b)) => Ok(b.to_string()),
            _ => Err(Located::new(
                node.span,
                format!("Template error: expected a string, found {}", node.kind()),
            )),
        }
    }

    /// Evaluates `node` to a list of values.
    fn list(&self, node: &Node) -> Result<Option<Vec<Json>>, Located> {
        match self.eval(node)? {
            Some(Json::Array(items)) => Ok(Some(items)),
            _ => Ok(None),
        }
    }

    fn function(&self, name: &str, arg: &Node, span: Span) -> Result<Option<Json>, Located> {
        match name {
            "Ref" => self.reference(arg),
            "Fn::GetAtt" => self.get_att(arg).map(Some),
            "Fn::Sub" => self.sub(arg).map(|s| Some(Json::String(s))),
            "Fn::Join" => self.join(arg).map(|s| Some(Json::String(s))),
            "Fn::Select" => self.select(arg),
            "Fn::Split" => self.split(arg).map(Some),
            "Fn::If" => self.if_(arg),
            "Fn::FindInMap" => self.find_in_map(arg).map(Some),
            "Fn::Base64" => {
                let text = self.string(arg)?;
                Ok(Some(Json::String(base64::engine::general_purpose::STANDARD.encode(text))))
            }
            "Fn::GetAZs" => self.get_azs(arg).map(Some),
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" | "Condition" => Err(Located::new(
                span,
                format!("Template error: {name} can only be used in the Conditions section or inside Fn::If conditions"),
            )),
            "Fn::ImportValue" | "Fn::Cidr" | "Fn::Transform" | "Fn::ToJsonString" | "Fn::Length" => Err(Located::new(
                span,
                format!("not simulated: {name} (the playground has one stack and no macros or language extensions)"),
            )),
            other => Err(Located::new(
                span,
                format!("Template format error: Encountered unsupported function: {other} Supported functions are: {SUPPORTED}"),
            )),
        }
    }

    /// `Ref`: a parameter's value, a pseudo parameter, or a resource's physical id; `AWS::NoValue` removes.
    fn reference(&self, arg: &Node) -> Result<Option<Json>, Located> {
        let target = arg.as_str().ok_or_else(|| {
            Located::new(
                arg.span,
                "Template format error: Every Ref object must have a single String value.",
            )
        })?;
        if target == "AWS::NoValue" {
            return Ok(None);
        }
        if let Some(v) = self.params.get(target).or_else(|| self.pseudo.get(target)) {
            return Ok(Some(v.clone()));
        }
        if let Some(r) = self.resources.get(target) {
            return Ok(Some(Json::String(r.physical_id.clone())));
        }
        if self.in_conditions {
            return Err(Located::new(arg.span, format!("Template format error: Unresolved dependencies [{target}]. Cannot reference resources in the Conditions block of the template")));
        }
        Err(dependencies::unresolved(
            &dependencies::Reference {
                target: target.to_string(),
                span: arg.span,
                via: dependencies::Via::Ref,
            },
            "Resources",
        ))
    }

    /// `Fn::GetAtt`: `[Resource, Attribute]` or `Resource.Attribute`; the attribute may be a `Ref`.
    fn get_att(&self, arg: &Node) -> Result<Json, Located> {
        let shape = || {
            Located::new(
                arg.span,
                "Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute",
            )
        };
        let (resource, attribute) = match &arg.value {
            Value::List(items) => match items.as_slice() {
                [r, a] => (r.as_str().ok_or_else(shape)?.to_string(), self.string(a)?),
                _ => return Err(shape()),
            },
            Value::String(s) => match s.split_once('.') {
                Some((r, a)) => (r.to_string(), a.to_string()),
                None => return Err(shape()),
            },
            _ => return Err(shape()),
        };
        if resource.is_empty() || attribute.is_empty() {
            return Err(shape());
        }
        let Some(r) = self.resources.get(&resource) else {
            return Err(dependencies::unresolved(
                &dependencies::Reference {
                    target: resource,
                    span: arg.span,
                    via: dependencies::Via::GetAtt,
                },
                "Resources",
            ));
        };
        if let Some(v) = r.attributes.get(&attribute) {
            return Ok(v.clone());
        }
        if !r.known_type {
            // The type is not simulated, so its attributes are unknown: a placeholder that says so.
            return Ok(Json::String(format!("not-simulated:{resource}.{attribute}")));
        }
        Err(Located::new(
            arg.span,
            format!("Template error: resource {resource} does not support attribute type {attribute} in Fn::GetAtt"),
        ))
    }

    /// `Fn::Sub`: a string, or `[string, {Var: value}]`.
    fn sub(&self, arg: &Node) -> Result<String, Located> {
        let (text_node, vars) = match &arg.value {
            Value::String(_) => (arg, None),
            Value::List(items) if items.len() == 2 && items[0].as_str().is_some() && items[1].as_map().is_some() => {
                (&items[0], Some(&items[1]))
            }
            _ => {
                return Err(Located::new(
                    arg.span,
                    "Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string",
                ))
            }
        };
        let text = text_node.as_str().unwrap_or_default();
        let parts = sub_parts(text).map_err(|m| Located::new(text_node.span, m))?;
        let mut out = String::new();
        for part in parts {
            match part {
                SubPart::Literal(s) => out.push_str(&s),
                SubPart::Variable(var) => out.push_str(&self.sub_variable(&var, vars, text_node.span)?),
            }
        }
        Ok(out)
    }

    fn sub_variable(&self, var: &str, vars: Option<&Node>, span: Span) -> Result<String, Located> {
        let value = if let Some(local) = vars.and_then(|m| m.get(var)) {
            self.eval(local)?
        } else if self.params.contains_key(var) || self.pseudo.contains_key(var) || self.resources.contains_key(var) {
            self.reference(&Node::string(var, span))?
        } else if let Some((res, attr)) = var.split_once('.') {
            let arg = Node::new(
                Value::List(vec![Node::string(res, span), Node::string(attr, span)]),
                span,
            );
            Some(self.get_att(&arg)?)
        } else {
            return Err(dependencies::unresolved(
                &dependencies::Reference {
                    target: var.to_string(),
                    span,
                    via: dependencies::Via::Ref,
                },
                "Resources",
            ));
        };
        match value {
            Some(Json::String(s)) => Ok(s),
            Some(Json::Number(n)) => Ok(n.to_string()),
            Some(Json::Bool(b)) => Ok(b.to_string()),
            _ => Err(Located::new(
                span,
                format!("Template error: variable {var} in Fn::Sub expression does not resolve to a string"),
            )),
        }
    }

    fn join(&self, arg: &Node) -> Result<String, Located> {
        let shape = || {
            Located::new(
                arg.span,
                "Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.",
            )
        };
        let [delimiter, items] = arg.as_list().ok_or_else(shape)? else {
            return Err(shape());
        };
        let delimiter = delimiter.as_str().ok_or_else(shape)?;
        let items = self.list(items)?.ok_or_else(shape)?;
        let texts: Vec<String> = items
            .into_iter()
            .map(|v| match v {
                Json::String(s) => Ok(s),
                Json::Number(n) => Ok(n.to_string()),
                Json::Bool(b) => Ok(b.to_string()),
                _ => Err(shape()),
            })
            .collect::<Result<_, _>>()?;
        Ok(texts.join(delimiter))
    }

    fn select(&self, arg: &Node) -> Result<Option<Json>, Located> {
        let shape = || {
            Located::new(
                arg.span,
                "Template error: every Fn::Select object requires two parameters, (1) an index and (2) a list or a function that returns a list.",
            )
        };
        let [index, items] = arg.as_list().ok_or_else(shape)? else {
            return Err(shape());
        };
        let index_text = self.string(index)?;
        let index: usize = index_text.trim().parse().map_err(|_| shape())?;
        let items = self.list(items)?.ok_or_else(shape)?;
        items.into_iter().nth(index).map(Some).ok_or_else(|| {
            Located::new(
                arg.span,
                format!("Template error: Fn::Select cannot select nonexistent value at index {index}"),
            )
        })
    }

    fn split(&self, arg: &Node) -> Result<Json, Located> {
        let shape = || {
            Located::new(
                arg.span,
                "Template error: every Fn::Split object requires two parameters, (1) a string delimiter and (2) a string to be split or a function that returns a string to be split.",
            )
        };
        let [delimiter, source] = arg.as_list().ok_or_else(shape)? else {
            return Err(shape());
        };
        let delimiter = delimiter.as_str().filter(|d| !d.is_empty()).ok_or_else(shape)?;
        let source = self.string(source)?;
        Ok(Json::Array(
            source.split(delimiter).map(|s| Json::String(s.to_string())).collect(),
        ))
    }

    fn if_(&self, arg: &Node) -> Result<Option<Json>, Located> {
        let Some([condition, yes, no]) = arg.as_list() else {
            return Err(Located::new(
                arg.span,
                "Template error: Fn::If requires a list argument with three elements",
            ));
        };
        let name = condition.as_str().ok_or_else(|| {
            Located::new(
                condition.span,
                "Template error: Fn::If requires a list argument with three elements",
            )
        })?;
        match self.conditions.get(name) {
            Some(true) => self.eval(yes),
            Some(false) => self.eval(no),
            None => Err(Located::new(
                condition.span,
                format!("Template error: unresolved condition dependency {name} in Fn::If"),
            )),
        }
    }

    fn find_in_map(&self, arg: &Node) -> Result<Json, Located> {
        let shape = || {
            Located::new(
                arg.span,
                "Template error: every Fn::FindInMap object requires three parameters, the map name, map key and the attribute for return value",
            )
        };
        let [map, top, second] = arg.as_list().ok_or_else(shape)? else {
            return Err(shape());
        };
        let (map, top, second) = (self.string(map)?, self.string(top)?, self.string(second)?);
        let found = self
            .mappings
            .and_then(|m| m.get(&map))
            .and_then(|m| m.get(&top))
            .and_then(|m| m.get(&second));
        match found {
            Some(node) => Ok(self.eval(node)?.unwrap_or(Json::Null)),
            None => Err(Located::new(
                arg.span,
                format!("Template error: Unable to get mapping for {map}::{top}::{second}"),
            )),
        }
    }

    /// `Fn::GetAZs`: the Availability Zones of a region (`""` or `AWS::Region` for the stack's). `us-east-1` has six
    /// (a to f) as in AWS; other regions get three (a to c), which most have.
    fn get_azs(&self, arg: &Node) -> Result<Json, Located> {
        let region = match self.eval(arg)? {
            Some(Json::String(s)) if !s.is_empty() => s,
            _ => self.region.clone(),
        };
        let letters = if region == "us-east-1" { "abcdef" } else { "abc" };
        Ok(Json::Array(
            letters.chars().map(|c| Json::String(format!("{region}{c}"))).collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_strings_split_into_literals_and_variables() {
        assert_eq!(
            sub_parts("arn:${AWS::Partition}:s3:::${Bucket}/*").unwrap(),
            vec![
                SubPart::Literal("arn:".into()),
                SubPart::Variable("AWS::Partition".into()),
                SubPart::Literal(":s3:::".into()),
                SubPart::Variable("Bucket".into()),
                SubPart::Literal("/*".into()),
            ]
        );
        assert_eq!(
            sub_parts("${!Literal}-$x").unwrap(),
            vec![SubPart::Literal("${Literal}-$x".into())]
        );
        assert!(sub_parts("${oops").is_err());
        assert!(sub_parts("${a b}").unwrap_err().contains("alphanumeric"));
    }
}
