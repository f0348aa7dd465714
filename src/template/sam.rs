//! The SAM transform (`Transform: AWS::Serverless-2016-10-31`): `Globals`, then each `AWS::Serverless::*`
//! resource expanded into the CloudFormation resources SAM generates, with SAM's logical ids.
//!
//! Source: the AWS SAM developer guide, "Generated AWS CloudFormation resources for AWS SAM" (logical ids such as
//! `<Function>Role`, `ServerlessRestApi`, `ServerlessRestApiProdStage`, `<Function><Event>Permission<Stage>`),
//! "Globals section of the AWS SAM template" (primitives override, maps merge, lists add), "AWS SAM policy
//! templates", and each resource's and event source's reference page. SAM names a deployment
//! `<Api>Deployment` plus the first 10 hex digits of a SHA-1 of the API definition; the digest here is taken
//! over our JSON rendering of the definition, so the digits differ from SAM's while keeping its rule (a new
//! definition, a new deployment).
//!
//! Expansion works on the unevaluated tree, as SAM does: intrinsic functions are carried into the generated
//! resources and evaluated afterwards. Every generated resource gets `Metadata.SamResourceId` naming its source.

use super::code::CodeLoader;
use super::error::{Located, Span};
use super::node::{Key, Node, Value};
use indexmap::IndexMap;
use sha1::{Digest, Sha1};
use std::collections::HashSet;

/// The transform this module implements.
pub const SAM_TRANSFORM: &str = "AWS::Serverless-2016-10-31";

/// The `Globals` sections SAM accepts, and the resource type each applies to.
const GLOBAL_SECTIONS: &[(&str, &str)] = &[
    ("Function", "AWS::Serverless::Function"),
    ("Api", "AWS::Serverless::Api"),
    ("HttpApi", "AWS::Serverless::HttpApi"),
    ("SimpleTable", "AWS::Serverless::SimpleTable"),
    ("LayerVersion", "AWS::Serverless::LayerVersion"),
    ("StateMachine", "AWS::Serverless::StateMachine"),
];

/// Applies the SAM transform when the template declares it; returns other templates unchanged.
///
/// Errors: another transform (not simulated), a malformed `Globals`, a malformed `AWS::Serverless::*` resource,
/// an unreadable `CodeUri` folder, and SAM features the playground does not simulate yet (named in the message).
pub fn transform(mut root: Node, code: &dyn CodeLoader) -> Result<Node, Located> {
    let Some(transform) = root.get("Transform") else {
        refuse_serverless_types(&root)?;
        return Ok(root);
    };
    let names: Vec<&str> = match &transform.value {
        Value::String(s) => vec![s.as_str()],
        Value::List(items) => items.iter().filter_map(Node::as_str).collect(),
        _ => {
            return Err(Located::new(
                transform.span,
                format!(
                    "not simulated: a Transform written as {} (macros with parameters)",
                    transform.kind()
                ),
            ))
        }
    };
    if let Some(other) = names.iter().find(|n| **n != SAM_TRANSFORM) {
        return Err(Located::new(
            transform.span,
            format!("not simulated: transform {other} (only {SAM_TRANSFORM} is)"),
        ));
    }
    if names.is_empty() {
        return Ok(root);
    }
    let globals = take_section(&mut root, "Globals");
    take_section(&mut root, "Transform");
    let globals = Globals::read(globals.as_ref())?;
    let resources_span = root.get("Resources").map_or(root.span, |r| r.span);
    let Some(Value::Map(entries)) = root
        .get_mut("Resources")
        .map(|r| std::mem::replace(&mut r.value, Value::Null))
    else {
        return Ok(root);
    };
    let api_stages = entries
        .iter()
        .filter(|(_, d)| d.get("Type").and_then(Node::as_str) == Some("AWS::Serverless::Api"))
        .map(|(k, d)| {
            let stage = d
                .get("Properties")
                .and_then(|p| p.get("StageName"))
                .and_then(Node::as_str);
            (k.name.clone(), stage.map_or_else(|| "Stage".to_string(), alphanumeric))
        })
        .collect();
    let mut out = Expansion {
        resources: IndexMap::new(),
        implicit_api: ImplicitApi::default(),
        bucket_notifications: Vec::new(),
        api_stages,
        code,
        source: None,
        reserved: HashSet::new(),
        collisions: Vec::new(),
        implicit_api_globals: globals.by_type.get("AWS::Serverless::Api").cloned(),
    };
    for (key, declaration) in &entries {
        let ty = declaration
            .get("Type")
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_string();
        let declaration = globals.apply(&ty, declaration);
        out.source = ty
            .starts_with("AWS::Serverless::")
            .then(|| (key.name.clone(), declaration.clone()));
        let result = match ty.as_str() {
            "AWS::Serverless::Function" => out.function(&key.name, &declaration),
            "AWS::Serverless::Api" => out.api(&key.name, &declaration, &entries),
            "AWS::Serverless::SimpleTable" => out.simple_table(&key.name, &declaration),
            "AWS::Serverless::LayerVersion" => out.layer_version(&key.name, &declaration),
            _ => {
                out.add(&key.name, declaration);
                Ok(())
            }
        };
        result.map_err(|e| e.within(&key.name))?;
    }
    out.source = None;
    out.finish_implicit_api()?;
    out.finish_bucket_notifications()?;
    if let Some((id, span)) = out.collisions.first() {
        return Err(Located::new(
            *span,
            format!("the SAM transform generates a resource {id}, but the template already has a resource with that id; rename one of them"),
        ));
    }
    let resources = out
        .resources
        .into_iter()
        .map(|(name, node)| (Key { name, span: node.span }, node))
        .collect();
    if let Some(r) = root.get_mut("Resources") {
        *r = Node::new(Value::Map(resources), resources_span);
    }
    Ok(root)
}

/// Without the transform, CloudFormation does not know `AWS::Serverless::*` types and says so
/// (`Template format error: Unrecognized resource types: [...]`, as CreateStack answers).
fn refuse_serverless_types(root: &Node) -> Result<(), Located> {
    let resources = root.get("Resources").and_then(Node::as_map).unwrap_or(&[]);
    let serverless: Vec<(&Key, &str)> = resources
        .iter()
        .filter_map(|(k, d)| d.get("Type").and_then(Node::as_str).map(|t| (k, t)))
        .filter(|(_, t)| t.starts_with("AWS::Serverless::"))
        .collect();
    let Some((first, _)) = serverless.first() else {
        return Ok(());
    };
    let mut types: Vec<&str> = serverless.iter().map(|(_, t)| *t).collect();
    types.dedup();
    Err(Located::new(
        first.span,
        format!(
            "Template format error: Unrecognized resource types: [{}] (add `Transform: {SAM_TRANSFORM}`)",
            types.join(", ")
        ),
    ))
}

fn take_section(root: &mut Node, name: &str) -> Option<Node> {
    match &mut root.value {
        Value::Map(entries) => {
            let i = entries.iter().position(|(k, _)| k.name == name)?;
            Some(entries.remove(i).1)
        }
        _ => None,
    }
}

/// The `Globals` section, by resource type.
struct Globals {
    by_type: IndexMap<&'static str, Node>,
}

impl Globals {
    fn read(section: Option<&Node>) -> Result<Globals, Located> {
        let mut by_type = IndexMap::new();
        let Some(section) = section else {
            return Ok(Globals { by_type });
        };
        let entries = section
            .as_map()
            .ok_or_else(|| Located::new(section.span, "'Globals' section is invalid. Globals must be a map"))?;
        for (key, value) in entries {
            let Some((_, ty)) = GLOBAL_SECTIONS.iter().find(|(name, _)| *name == key.name) else {
                return Err(Located::new(
                    key.span,
                    format!(
                        "'Globals' section is invalid. '{}' is not a supported resource type in the Globals section.",
                        key.name
                    ),
                ));
            };
            by_type.insert(*ty, value.clone());
        }
        Ok(Globals { by_type })
    }

    /// The declaration with the globals of its type merged under its `Properties`.
    fn apply(&self, ty: &str, declaration: &Node) -> Node {
        let Some(global) = self.by_type.get(ty) else {
            return declaration.clone();
        };
        let mut declaration = declaration.clone();
        let merged = match declaration.get("Properties") {
            Some(local) => merge(global, local),
            None => global.clone(),
        };
        set(&mut declaration, "Properties", merged);
        declaration
    }
}

/// SAM's globals rule: maps merge key by key, lists are the global items then the local ones, anything else
/// (including an intrinsic function) is the local value.
fn merge(global: &Node, local: &Node) -> Node {
    if global.as_intrinsic().is_some() || local.as_intrinsic().is_some() {
        return local.clone();
    }
    match (&global.value, &local.value) {
        (Value::Map(g), Value::Map(l)) => {
            let mut entries = g.clone();
            for (k, v) in l {
                match entries.iter_mut().find(|(gk, _)| gk.name == k.name) {
                    Some((_, gv)) => *gv = merge(gv, v),
                    None => entries.push((k.clone(), v.clone())),
                }
            }
            Node::new(Value::Map(entries), local.span)
        }
        (Value::List(g), Value::List(l)) => Node::new(Value::List(g.iter().chain(l).cloned().collect()), local.span),
        _ => local.clone(),
    }
}

fn set(map: &mut Node, key: &str, value: Node) {
    if let Value::Map(entries) = &mut map.value {
        match entries.iter_mut().find(|(k, _)| k.name == key) {
            Some((_, v)) => *v = value,
            None => entries.push((
                Key {
                    name: key.to_string(),
                    span: value.span,
                },
                value,
            )),
        }
    }
}

/// Builds generated nodes, all located at the SAM resource they come from (also used by
/// [`super::sam_policies`]).
#[derive(Clone, Copy)]
pub(super) struct At(pub(super) Span);

impl At {
    pub(super) fn s(self, text: &str) -> Node {
        Node::string(text, self.0)
    }
    pub(super) fn map(self, entries: Vec<(&str, Node)>) -> Node {
        let entries = entries
            .into_iter()
            .map(|(k, v)| {
                (
                    Key {
                        name: k.to_string(),
                        span: self.0,
                    },
                    v,
                )
            })
            .collect();
        Node::new(Value::Map(entries), self.0)
    }
    pub(super) fn list(self, items: Vec<Node>) -> Node {
        Node::new(Value::List(items), self.0)
    }
    fn reference(self, id: &str) -> Node {
        self.map(vec![("Ref", self.s(id))])
    }
    fn get_att(self, id: &str, attribute: &str) -> Node {
        self.map(vec![("Fn::GetAtt", self.list(vec![self.s(id), self.s(attribute)]))])
    }
    fn sub(self, text: &str) -> Node {
        self.map(vec![("Fn::Sub", self.s(text))])
    }
    fn sub_with(self, text: &str, vars: Vec<(&str, Node)>) -> Node {
        self.map(vec![("Fn::Sub", self.list(vec![self.s(text), self.map(vars)]))])
    }
    /// A CloudFormation resource declaration generated from `source`.
    fn resource(self, ty: &str, properties: Node, source: &str) -> Node {
        self.map(vec![
            ("Type", self.s(ty)),
            ("Properties", properties),
            ("Metadata", self.map(vec![("SamResourceId", self.s(source))])),
        ])
    }
    fn managed_policy(self, name: &str) -> Node {
        self.sub(&format!("arn:${{AWS::Partition}}:iam::aws:policy/{name}"))
    }
}

/// `DeadLetterQueue` (`Type: SQS|SNS`, `TargetArn`): the function's `DeadLetterConfig.TargetArn` and the role
/// policy SAM adds (`DeadLetterQueuePolicy`: `sqs:SendMessage` or `sns:Publish` on the target). Errors: SAM's
/// messages for a missing or unknown `Type` / `TargetArn` (SAM transform, `_validate_dlq`).
fn dead_letter_queue(dlq: &Node, at: At) -> Result<(Node, Node), Located> {
    let kind = dlq.get("Type").and_then(Node::as_str);
    let Some(target) = dlq.get("TargetArn").filter(|t| t.value != Value::Null) else {
        return Err(Located::new(
            dlq.span,
            "'DeadLetterQueue' requires Type and TargetArn properties to be specified.",
        ));
    };
    let action = match kind {
        Some("SQS") => "sqs:SendMessage",
        Some("SNS") => "sns:Publish",
        None => {
            return Err(Located::new(
                dlq.span,
                "'DeadLetterQueue' requires Type and TargetArn properties to be specified.",
            ))
        }
        Some(_) => {
            return Err(Located::new(
                dlq.span,
                "'DeadLetterQueue' requires Type of ['SQS', 'SNS']",
            ))
        }
    };
    let policy = at.map(vec![
        ("PolicyName", at.s("DeadLetterQueuePolicy")),
        (
            "PolicyDocument",
            at.map(vec![
                ("Version", at.s("2012-10-17")),
                (
                    "Statement",
                    at.list(vec![at.map(vec![
                        ("Action", at.s(action)),
                        ("Resource", target.clone()),
                        ("Effect", at.s("Allow")),
                    ])]),
                ),
            ]),
        ),
    ]);
    Ok((target.clone(), policy))
}

/// What a function's event sources add to its generated execution role: managed policy names, and named inline
/// policies (an on-failure destination's).
#[derive(Default)]
struct EventPolicies {
    managed: Vec<&'static str>,
    inline: Vec<(String, Node)>,
}

/// A pull event's `DestinationConfig` as the mapping gets it, and the role policy its `OnFailure.Type` asks for.
/// Source: the SAM translator's pull event sources (`samtranslator/model/eventsources/pull.py`): `OnFailure` is
/// required; `Type` (`SQS` or `SNS`, SAM's own member) is removed and adds the policy `<event id>SQSPolicy`
/// (`sqs:SendMessage`) or `<event id>SNSPolicy` (`sns:publish`) on the `Destination`.
fn destination_config(event_id: &str, config: &Node, at: At) -> Result<(Node, Option<(String, Node)>), Located> {
    let Some(on_failure) = config.get("OnFailure") else {
        return Err(Located::new(
            config.span,
            format!("Event with id [{event_id}] is invalid. 'OnFailure' is a required field for 'DestinationConfig'"),
        ));
    };
    let Some(kind) = on_failure.get("Type") else {
        return Ok((config.clone(), None));
    };
    let (action, suffix) = match kind.as_str() {
        Some("SQS") => ("sqs:SendMessage", "SQSPolicy"),
        Some("SNS") => ("sns:publish", "SNSPolicy"),
        _ => {
            return Err(Located::new(
                kind.span,
                format!("Event with id [{event_id}] is invalid. The only valid values for 'Type' are 'SQS' and 'SNS'"),
            ))
        }
    };
    let destination = on_failure.get("Destination").cloned().unwrap_or_else(|| at.s(""));
    let kept: Vec<(&str, Node)> = on_failure
        .as_map()
        .unwrap_or(&[])
        .iter()
        .filter(|(k, _)| k.name != "Type")
        .map(|(k, v)| (k.name.as_str(), v.clone()))
        .collect();
    let others: Vec<(&str, Node)> = config
        .as_map()
        .unwrap_or(&[])
        .iter()
        .filter(|(k, _)| k.name != "OnFailure")
        .map(|(k, v)| (k.name.as_str(), v.clone()))
        .chain(std::iter::once(("OnFailure", at.map(kept))))
        .collect();
    let document = at.map(vec![(
        "Statement",
        at.list(vec![at.map(vec![
            ("Action", at.s(action)),
            ("Effect", at.s("Allow")),
            ("Resource", destination),
        ])]),
    )]);
    Ok((at.map(others), Some((format!("{event_id}{suffix}"), document))))
}

/// One `Api` event's route on an API: path, method and the function it calls.
struct Route {
    path: String,
    method: String,
    function_uri: Node,
    /// The function's `Condition`: the operation exists only when it holds (SAM wraps it in `Fn::If`).
    condition: Option<Node>,
}

/// The routes of the API SAM creates when `Api` events name no `RestApiId` (`ServerlessRestApi`).
#[derive(Default)]
struct ImplicitApi {
    routes: Vec<Route>,
    span: Option<Span>,
}

/// An S3 event's notification, waiting for its bucket.
struct BucketNotification {
    bucket: String,
    configs: Vec<Node>,
    permission: String,
    span: Span,
}

/// The attributes SAM copies from an `AWS::Serverless::*` resource to every resource it generates from it
/// ("Resource attributes supported by AWS SAM").
const INHERITED_ATTRIBUTES: &[&str] = &["Condition", "DeletionPolicy", "UpdateReplacePolicy"];

struct Expansion<'a> {
    /// The `AWS::Serverless::*` resource being expanded (logical id, declaration), whose attributes the
    /// generated resources inherit.
    source: Option<(String, Node)>,
    /// Ids whose entry is a placeholder, to be filled without counting as a collision.
    reserved: HashSet<String>,
    /// Generated ids that were already taken, and where.
    collisions: Vec<(String, Span)>,
    /// `Globals.Api`, which also applies to the implicit `ServerlessRestApi`.
    implicit_api_globals: Option<Node>,
    resources: IndexMap<String, Node>,
    implicit_api: ImplicitApi,
    bucket_notifications: Vec<BucketNotification>,
    /// Every `AWS::Serverless::Api` with the stage part of its events' permission ids (its literal `StageName`
    /// without punctuation, else `Stage`).
    api_stages: IndexMap<String, String>,
    code: &'a dyn CodeLoader,
}

/// Function properties SAM copies unchanged to `AWS::Lambda::Function`.
const COPIED_FUNCTION_PROPERTIES: &[&str] = &[
    "Handler",
    "Runtime",
    "MemorySize",
    "Timeout",
    "Description",
    "Environment",
    "FunctionName",
    "Layers",
    "Architectures",
    "ReservedConcurrentExecutions",
    "KmsKeyArn",
    "VpcConfig",
    "EphemeralStorage",
    "LoggingConfig",
    "PackageType",
    "ImageConfig",
    "SnapStart",
    "RuntimeManagementConfig",
    "FileSystemConfigs",
    "CodeSigningConfigArn",
];

/// Function properties the transform reads itself.
const HANDLED_FUNCTION_PROPERTIES: &[&str] = &[
    "CodeUri",
    "InlineCode",
    "ImageUri",
    "Role",
    "Policies",
    "Events",
    "Tags",
    "AutoPublishAlias",
    "Tracing",
    "DeadLetterQueue",
    "EventInvokeConfig",
    "PermissionsBoundary",
    "AssumeRolePolicyDocument",
];

impl Expansion<'_> {
    /// Adds a resource. A generated one inherits its source's `Condition`, `DeletionPolicy` and
    /// `UpdateReplacePolicy`; the one keeping the source's id also its `DependsOn` and `Metadata`.
    fn add(&mut self, id: &str, mut node: Node) {
        if let Some((source_id, declaration)) = &self.source {
            if node.value != Value::Null {
                for attribute in INHERITED_ATTRIBUTES {
                    if let (Some(v), None) = (declaration.get(attribute), node.get(attribute)) {
                        set(&mut node, attribute, v.clone());
                    }
                }
                if id == source_id {
                    if let Some(depends) = declaration.get("DependsOn") {
                        set(&mut node, "DependsOn", depends.clone());
                    }
                    if let (
                        Some(Value::Map(user)),
                        Some(Node {
                            value: Value::Map(ours),
                            ..
                        }),
                    ) = (declaration.get("Metadata").map(|m| &m.value), node.get_mut("Metadata"))
                    {
                        ours.extend(user.iter().cloned());
                    }
                }
            }
        }
        if self.resources.contains_key(id) && !self.reserved.remove(id) {
            self.collisions.push((id.to_string(), node.span));
        }
        self.resources.insert(id.to_string(), node);
    }

    /// Keeps `id`'s place in the resource order until [`Expansion::add`] fills it.
    fn reserve(&mut self, id: &str, span: Span) {
        if self.resources.contains_key(id) {
            self.collisions.push((id.to_string(), span));
        }
        self.resources.insert(id.to_string(), Node::new(Value::Null, span));
        self.reserved.insert(id.to_string());
    }

    /// `AWS::Serverless::Function` -> `AWS::Lambda::Function`, `<Fn>Role`, and the resources of its events.
    fn function(&mut self, id: &str, declaration: &Node) -> Result<(), Located> {
        let at = At(declaration.span);
        let empty = at.map(vec![]);
        let props = declaration.get("Properties").unwrap_or(&empty);
        if let Some((key, _)) = props.as_map().unwrap_or(&[]).iter().find(|(k, _)| {
            !COPIED_FUNCTION_PROPERTIES.contains(&k.name.as_str())
                && !HANDLED_FUNCTION_PROPERTIES.contains(&k.name.as_str())
        }) {
            return Err(Located::new(
                key.span,
                format!("not simulated: property {} of AWS::Serverless::Function", key.name),
            ));
        }
        let mut out: Vec<(&str, Node)> = vec![("Code", self.function_code(props, at)?)];
        for name in COPIED_FUNCTION_PROPERTIES {
            if let Some(v) = props.get(name) {
                out.push((name, v.clone()));
            }
        }
        if let Some(t) = props.get("Tracing") {
            out.push(("TracingConfig", at.map(vec![("Mode", t.clone())])));
        }
        let mut named_policies = Vec::new();
        if let Some(dlq) = props.get("DeadLetterQueue") {
            let (target, policy) = dead_letter_queue(dlq, at)?;
            out.push(("DeadLetterConfig", at.map(vec![("TargetArn", target)])));
            named_policies.push(policy);
        }
        let role = match props.get("Role") {
            Some(role) => role.clone(),
            None => at.get_att(&format!("{id}Role"), "Arn"),
        };
        out.push(("Role", role));
        out.push(("Tags", sam_tags(props.get("Tags"), at)));
        let events = match props.get("Events") {
            None => &[][..],
            Some(e) => e.as_map().ok_or_else(|| {
                Located::new(
                    e.span,
                    "Events must be a map of event names to event sources, not a list",
                )
            })?,
        };
        let mut event_policies = EventPolicies::default();
        self.reserve(id, at.0);
        let invoke_target = match props.get("AutoPublishAlias").and_then(Node::as_str) {
            Some(alias) => self.alias(id, alias, &out, at),
            None => at.reference(id),
        };
        for (event_key, event) in events {
            self.event(id, &event_key.name, event, &invoke_target, &mut event_policies)
                .map_err(|e| e.within(id))?;
        }
        let event_invoke_config = match props.get("EventInvokeConfig") {
            Some(config) => {
                let alias = props.get("AutoPublishAlias").and_then(Node::as_str);
                let (resource, policies) = self.event_invoke_config(id, config, alias, at)?;
                named_policies.extend(policies);
                Some(resource)
            }
            None => None,
        };
        if props.get("Role").is_none() {
            self.execution_role(id, props, &event_policies, named_policies, at)?;
        }
        // Replaces the placeholder, so the function keeps its place before the resources made from it.
        self.add(id, at.resource("AWS::Lambda::Function", at.map(out), id));
        if let Some(resource) = event_invoke_config {
            self.add(&format!("{id}EventInvokeConfig"), resource);
        }
        Ok(())
    }

    /// `Code` from `InlineCode`, an `s3://` or `{Bucket, Key}` `CodeUri`, a local `CodeUri` folder, or `ImageUri`.
    /// A folder's files are carried as `Code.LocalFiles` (path -> text): in AWS `sam build` would zip and upload
    /// them; here they stay with the function.
    fn function_code(&self, props: &Node, at: At) -> Result<Node, Located> {
        if let Some(inline) = props.get("InlineCode") {
            return Ok(at.map(vec![("ZipFile", inline.clone())]));
        }
        if let Some(image) = props.get("ImageUri") {
            return Ok(at.map(vec![("ImageUri", image.clone())]));
        }
        let Some(uri) = props.get("CodeUri") else {
            // SAM reads the function from the template's own folder when CodeUri is absent.
            return self.local_code(".", at, at.0);
        };
        match &uri.value {
            Value::String(s) if s.starts_with("s3://") => {
                let (bucket, key) = s["s3://".len()..].split_once('/').unwrap_or((&s["s3://".len()..], ""));
                Ok(at.map(vec![("S3Bucket", at.s(bucket)), ("S3Key", at.s(key))]))
            }
            Value::String(s) => self.local_code(s, at, uri.span),
            Value::Map(_) => {
                let mut code = vec![];
                for (from, to) in [("Bucket", "S3Bucket"), ("Key", "S3Key"), ("Version", "S3ObjectVersion")] {
                    if let Some(v) = uri.get(from) {
                        code.push((to, v.clone()));
                    }
                }
                Ok(at.map(code))
            }
            _ => Err(Located::new(
                uri.span,
                "CodeUri must be a local folder, an s3:// URI or a {Bucket, Key} map",
            )),
        }
    }

    fn local_code(&self, folder: &str, at: At, span: Span) -> Result<Node, Located> {
        let files = self.code.load_folder(folder).map_err(|m| Located::new(span, m))?;
        let entries = files.iter().map(|(path, text)| (path.as_str(), at.s(text))).collect();
        Ok(at.map(vec![("LocalFiles", at.map(entries))]))
    }

    /// `AutoPublishAlias`: `<Fn>Version<digest>` and `<Fn>Alias<Name>`; event sources then call the alias.
    fn alias(&mut self, id: &str, alias: &str, function_props: &[(&str, Node)], at: At) -> Node {
        let code: Vec<serde_json::Value> = function_props
            .iter()
            .map(|(k, v)| serde_json::json!([k, v.to_raw_json()]))
            .collect();
        let version_id = format!("{id}Version{}", &digest(&serde_json::Value::Array(code))[..10]);
        let version = at.resource(
            "AWS::Lambda::Version",
            at.map(vec![("FunctionName", at.reference(id))]),
            id,
        );
        self.add(&version_id, version);
        let alias_id = format!("{id}Alias{}", alphanumeric(alias));
        let alias_props = at.map(vec![
            ("Name", at.s(alias)),
            ("FunctionName", at.reference(id)),
            ("FunctionVersion", at.get_att(&version_id, "Version")),
        ]);
        self.add(&alias_id, at.resource("AWS::Lambda::Alias", alias_props, id));
        // Event sources call the alias: its ARN serves both as `FunctionName` and as the invoked ARN.
        at.get_att(&alias_id, "AliasArn")
    }

    /// `<Fn>Role`: Lambda may assume it; `AWSLambdaBasicExecutionRole`, the event sources' managed policies, and
    /// the function's `Policies` (managed names, ARNs, inline documents and SAM policy templates).
    /// `EventInvokeConfig` -> `<Fn>EventInvokeConfig` (`AWS::Lambda::EventInvokeConfig` on `$LATEST` or the
    /// `AutoPublishAlias`), with a queue or topic made for an SQS / SNS destination given without `Destination`
    /// (`<Fn>EventInvokeConfigOnSuccessQueue`, `...Topic`), and the role policy SAM adds per destination
    /// (`<Fn>EventInvokeConfigOnFailureSQSPolicy`: `sqs:SendMessage`; `...SNSPolicy`: `sns:publish`;
    /// `...LambdaPolicy`: `lambda:InvokeFunction`; `...EventBridgePolicy`: `events:PutEvents`). Source: SAM's
    /// `AWS::Serverless::Function` `EventInvokeConfig` reference and its transform (`_construct_event_invoke_config`).
    fn event_invoke_config(
        &mut self,
        id: &str,
        config: &Node,
        alias: Option<&str>,
        at: At,
    ) -> Result<(Node, Vec<Node>), Located> {
        let logical_id = format!("{id}EventInvokeConfig");
        let mut props = vec![
            ("FunctionName", at.reference(id)),
            ("Qualifier", at.s(alias.unwrap_or("$LATEST"))),
        ];
        let mut policies = Vec::new();
        if let Some(destinations) = config.get("DestinationConfig") {
            if destinations.as_map().is_none() {
                return Err(Located::new(
                    destinations.span,
                    format!("Resource with id [{id}] is invalid. Property 'EventInvokeConfig.DestinationConfig' should be a map."),
                ));
            }
            let mut out = Vec::new();
            for name in ["OnSuccess", "OnFailure"] {
                let Some(entry) = destinations.get(name) else { continue };
                let kind = entry.get("Type").and_then(Node::as_str).unwrap_or_default();
                let (action, suffix) = match kind {
                    "SQS" => ("sqs:SendMessage", "SQSPolicy"),
                    "SNS" => ("sns:publish", "SNSPolicy"),
                    "Lambda" => ("lambda:InvokeFunction", "LambdaPolicy"),
                    "EventBridge" => ("events:PutEvents", "EventBridgePolicy"),
                    other => {
                        return Err(Located::new(
                            entry.span,
                            format!("Resource with id [{id}] is invalid. 'Type: {other}' must be one of ['SQS', 'SNS', 'EventBridge', 'Lambda']"),
                        ))
                    }
                };
                let prefix = format!("{logical_id}{name}");
                let destination = match entry.get("Destination") {
                    Some(d) => d.clone(),
                    None if kind == "SQS" => {
                        let queue = format!("{prefix}Queue");
                        self.add(&queue, at.resource("AWS::SQS::Queue", at.map(vec![]), id));
                        at.get_att(&queue, "Arn")
                    }
                    None if kind == "SNS" => {
                        let topic = format!("{prefix}Topic");
                        self.add(&topic, at.resource("AWS::SNS::Topic", at.map(vec![]), id));
                        at.reference(&topic)
                    }
                    None => {
                        return Err(Located::new(
                            entry.span,
                            format!(
                            "Resource with id [{id}] is invalid. Destination is required if Type is not ['SQS', 'SNS']"
                        ),
                        ))
                    }
                };
                policies.push(at.map(vec![
                    ("PolicyName", at.s(&format!("{prefix}{suffix}"))),
                    (
                        "PolicyDocument",
                        at.map(vec![(
                            "Statement",
                            at.list(vec![at.map(vec![
                                ("Action", at.s(action)),
                                ("Effect", at.s("Allow")),
                                ("Resource", destination.clone()),
                            ])]),
                        )]),
                    ),
                ]));
                out.push((name, at.map(vec![("Destination", destination)])));
            }
            props.push(("DestinationConfig", at.map(out)));
        }
        for name in ["MaximumEventAgeInSeconds", "MaximumRetryAttempts"] {
            if let Some(v) = config.get(name) {
                props.push((name, v.clone()));
            }
        }
        Ok((
            at.resource("AWS::Lambda::EventInvokeConfig", at.map(props), id),
            policies,
        ))
    }

    fn execution_role(
        &mut self,
        id: &str,
        props: &Node,
        event_policies: &EventPolicies,
        named_policies: Vec<Node>,
        at: At,
    ) -> Result<(), Located> {
        let mut managed = vec![at.managed_policy("service-role/AWSLambdaBasicExecutionRole")];
        // SAM adds X-Ray's policy when `Tracing` is set and not `Disabled`, and the VPC policy with a `VpcConfig`
        // ("AWS::Serverless::Function" reference, `Tracing`; SAM's execution role construction).
        if props.get("Tracing").is_some_and(|t| t.as_str() != Some("Disabled")) {
            managed.push(at.managed_policy("AWSXrayWriteOnlyAccess"));
        }
        if props.get("VpcConfig").is_some() {
            managed.push(at.managed_policy("service-role/AWSLambdaVPCAccessExecutionRole"));
        }
        managed.extend(event_policies.managed.iter().map(|p| at.managed_policy(p)));
        let mut inline = Vec::new();
        let policies: Vec<Node> = match props.get("Policies") {
            None => Vec::new(),
            Some(p) => match &p.value {
                Value::List(items) => items.clone(),
                _ => vec![p.clone()],
            },
        };
        for policy in &policies {
            match &policy.value {
                Value::String(name) if name.starts_with("arn:") => managed.push(policy.clone()),
                // A managed policy named without its ARN: SAM looks the name up, path included
                // (`AWSLambdaRole` is `service-role/AWSLambdaRole`).
                Value::String(name) => {
                    managed.push(at.managed_policy(&crate::iam::managed_policies::name_with_path(name)))
                }
                Value::Map(_) if policy.as_intrinsic().is_some() => managed.push(policy.clone()),
                Value::Map(_) if policy.get("Statement").is_some() => inline.push(policy.clone()),
                Value::Map(entries) if entries.len() == 1 => inline.push(super::sam_policies::policy_template(
                    &entries[0].0,
                    &entries[0].1,
                    at.0,
                )?),
                _ => {
                    return Err(Located::new(
                        policy.span,
                        "a Policies item must be a policy name or ARN, a policy document, or a SAM policy template",
                    ))
                }
            }
        }
        let mut role = vec![
            (
                "AssumeRolePolicyDocument",
                props.get("AssumeRolePolicyDocument").cloned().unwrap_or_else(|| {
                    at.map(vec![
                        ("Version", at.s("2012-10-17")),
                        (
                            "Statement",
                            at.list(vec![at.map(vec![
                                ("Action", at.list(vec![at.s("sts:AssumeRole")])),
                                ("Effect", at.s("Allow")),
                                (
                                    "Principal",
                                    at.map(vec![("Service", at.list(vec![at.s("lambda.amazonaws.com")]))]),
                                ),
                            ])]),
                        ),
                    ])
                }),
            ),
            ("ManagedPolicyArns", at.list(managed)),
        ];
        if !inline.is_empty() || !named_policies.is_empty() || !event_policies.inline.is_empty() {
            // SAM puts the policies it adds for the function (dead-letter queue, destinations) before the function's
            // own, and the event sources' policies after them (SAM links those to the role last).
            let mut named = named_policies;
            named.extend(inline.into_iter().enumerate().map(|(i, doc)| {
                at.map(vec![
                    ("PolicyName", at.s(&format!("{id}RolePolicy{i}"))),
                    ("PolicyDocument", doc),
                ])
            }));
            named.extend(
                event_policies
                    .inline
                    .iter()
                    .map(|(name, doc)| at.map(vec![("PolicyName", at.s(name)), ("PolicyDocument", doc.clone())])),
            );
            role.push(("Policies", at.list(named)));
        }
        if let Some(boundary) = props.get("PermissionsBoundary") {
            role.push(("PermissionsBoundary", boundary.clone()));
        }
        role.push(("Tags", sam_tags(None, at)));
        self.add(&format!("{id}Role"), at.resource("AWS::IAM::Role", at.map(role), id));
        Ok(())
    }

    /// One entry of a function's `Events`.
    fn event(
        &mut self,
        function: &str,
        name: &str,
        event: &Node,
        target: &Node,
        policies: &mut EventPolicies,
    ) -> Result<(), Located> {
        let at = At(event.span);
        let ty = event
            .get("Type")
            .and_then(Node::as_str)
            .ok_or_else(|| Located::new(event.span, format!("event {name} of function {function} needs a Type")))?;
        let empty = at.map(vec![]);
        let props = event.get("Properties").unwrap_or(&empty);
        let base = format!("{function}{name}");
        let copy = |names: &[&str]| -> Vec<(String, Node)> {
            names
                .iter()
                .filter_map(|n| props.get(n).map(|v| (n.to_string(), v.clone())))
                .collect()
        };
        match ty {
            "Api" => self.api_event(function, name, props, target, at),
            "SQS" | "DynamoDB" | "Kinesis" => {
                let (source_key, policy) = match ty {
                    "SQS" => ("Queue", "service-role/AWSLambdaSQSQueueExecutionRole"),
                    "DynamoDB" => ("Stream", "service-role/AWSLambdaDynamoDBExecutionRole"),
                    _ => ("Stream", "service-role/AWSLambdaKinesisExecutionRole"),
                };
                policies.managed.push(policy);
                let source = props.get(source_key).ok_or_else(|| {
                    Located::new(
                        event.span,
                        format!("event {name}: a {ty} event needs the property {source_key}"),
                    )
                })?;
                let mut mapping = vec![
                    ("EventSourceArn".to_string(), source.clone()),
                    ("FunctionName".to_string(), target.clone()),
                ];
                mapping.extend(copy(&[
                    "BatchSize",
                    "Enabled",
                    "MaximumBatchingWindowInSeconds",
                    "FunctionResponseTypes",
                    "FilterCriteria",
                    "ScalingConfig",
                    "StartingPosition",
                    "StartingPositionTimestamp",
                    "MaximumRetryAttempts",
                    "BisectBatchOnFunctionError",
                    "MaximumRecordAgeInSeconds",
                    "ParallelizationFactor",
                    "TumblingWindowInSeconds",
                ]));
                if let Some(config) = props.get("DestinationConfig") {
                    let (config, policy) = destination_config(&base, config, at)?;
                    mapping.push(("DestinationConfig".to_string(), config));
                    policies.inline.extend(policy);
                }
                let mapping = mapping.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
                self.add(
                    &base,
                    at.resource("AWS::Lambda::EventSourceMapping", at.map(mapping), function),
                );
                Ok(())
            }
            "SNS" => {
                let topic = props.get("Topic").ok_or_else(|| {
                    Located::new(
                        event.span,
                        format!("event {name}: an SNS event needs the property Topic"),
                    )
                })?;
                self.permission(
                    &format!("{base}Permission"),
                    function,
                    target,
                    "sns.amazonaws.com",
                    Some(topic.clone()),
                    at,
                );
                let mut sub = vec![
                    ("Endpoint".to_string(), target_arn(target, at)),
                    ("Protocol".to_string(), at.s("lambda")),
                    ("TopicArn".to_string(), topic.clone()),
                ];
                sub.extend(copy(&["FilterPolicy", "FilterPolicyScope", "Region", "RedrivePolicy"]));
                let sub = sub.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
                self.add(&base, at.resource("AWS::SNS::Subscription", at.map(sub), function));
                Ok(())
            }
            "Schedule" | "CloudWatchEvent" | "EventBridgeRule" => {
                // SAM's `Schedule` and `Pattern` are the rule's `ScheduleExpression` and `EventPattern`.
                let mut rule = copy(&["Description", "Name", "State", "EventBusName"]);
                if let (Some(schedule), "Schedule") = (props.get("Schedule"), ty) {
                    rule.push(("ScheduleExpression".into(), schedule.clone()));
                }
                if let Some(Value::Bool(enabled)) = props.get("Enabled").map(|n| &n.value) {
                    rule.push(("State".into(), at.s(if *enabled { "ENABLED" } else { "DISABLED" })));
                }
                if let Some(p) = props.get("Pattern") {
                    rule.push(("EventPattern".into(), p.clone()));
                }
                let mut lambda_target = vec![
                    ("Arn", target_arn(target, at)),
                    ("Id", at.s(&format!("{base}LambdaTarget"))),
                ];
                if let Some(input) = props.get("Input") {
                    lambda_target.push(("Input", input.clone()));
                }
                rule.push(("Targets".into(), at.list(vec![at.map(lambda_target)])));
                let rule = rule.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
                self.add(&base, at.resource("AWS::Events::Rule", at.map(rule), function));
                self.permission(
                    &format!("{base}Permission"),
                    function,
                    target,
                    "events.amazonaws.com",
                    Some(at.get_att(&base, "Arn")),
                    at,
                );
                Ok(())
            }
            "S3" => self.s3_event(function, &base, props, target, at),
            other => Err(Located::new(
                event.span,
                format!("not simulated: SAM event type '{other}' (event {name} of function {function})"),
            )),
        }
    }

    fn permission(
        &mut self,
        id: &str,
        function: &str,
        target: &Node,
        principal: &str,
        source_arn: Option<Node>,
        at: At,
    ) {
        let mut props = vec![
            ("Action", at.s("lambda:InvokeFunction")),
            ("FunctionName", target.clone()),
            ("Principal", at.s(principal)),
        ];
        if let Some(arn) = source_arn {
            props.push(("SourceArn", arn));
        }
        self.add(id, at.resource("AWS::Lambda::Permission", at.map(props), function));
    }

    /// An `S3` event: a permission for S3 now, and a `LambdaConfigurations` entry for the bucket, added when all
    /// resources are expanded (the bucket must be a `!Ref` to a bucket of this template, as SAM requires).
    fn s3_event(&mut self, function: &str, base: &str, props: &Node, target: &Node, at: At) -> Result<(), Located> {
        let bucket = props
            .get("Bucket")
            .and_then(|b| b.as_intrinsic())
            .filter(|(n, _)| *n == "Ref")
            .and_then(|(_, a)| a.as_str())
            .ok_or_else(|| {
                Located::new(
                    props.span,
                    "an S3 event's Bucket must be a !Ref to an AWS::S3::Bucket of this template",
                )
            })?;
        let permission = format!("{base}Permission");
        self.permission(&permission, function, target, "s3.amazonaws.com", None, at);
        if let Some(Value::Map(entries)) = self
            .resources
            .get_mut(&permission)
            .and_then(|p| p.get_mut("Properties"))
            .map(|p| &mut p.value)
        {
            entries.push((
                Key {
                    name: "SourceAccount".into(),
                    span: at.0,
                },
                at.reference("AWS::AccountId"),
            ));
        }
        let events: Vec<Node> = match props.get("Events") {
            Some(Node {
                value: Value::List(items),
                ..
            }) => items.clone(),
            Some(single) => vec![single.clone()],
            None => Vec::new(),
        };
        let configs = events
            .into_iter()
            .map(|event| {
                let mut config = vec![("Event", event), ("Function", target_arn(target, at))];
                if let Some(filter) = props.get("Filter") {
                    config.push(("Filter", filter.clone()));
                }
                at.map(config)
            })
            .collect();
        self.bucket_notifications.push(BucketNotification {
            bucket: bucket.to_string(),
            configs,
            permission,
            span: props.span,
        });
        Ok(())
    }

    /// Adds the S3 events' `LambdaConfigurations` to their buckets, each bucket then depending on the permission.
    fn finish_bucket_notifications(&mut self) -> Result<(), Located> {
        for pending in std::mem::take(&mut self.bucket_notifications) {
            let Some(bucket) = self
                .resources
                .get_mut(&pending.bucket)
                .filter(|b| b.get("Type").and_then(Node::as_str) == Some("AWS::S3::Bucket"))
            else {
                return Err(Located::new(
                    pending.span,
                    format!(
                        "an S3 event's Bucket must be an AWS::S3::Bucket of this template; {} is not",
                        pending.bucket
                    ),
                ));
            };
            let at = At(pending.span);
            let mut props = bucket.get("Properties").cloned().unwrap_or(at.map(vec![]));
            let mut notification = props
                .get("NotificationConfiguration")
                .cloned()
                .unwrap_or(at.map(vec![]));
            let mut configs: Vec<Node> = notification
                .get("LambdaConfigurations")
                .and_then(Node::as_list)
                .map(<[Node]>::to_vec)
                .unwrap_or_default();
            configs.extend(pending.configs);
            set(&mut notification, "LambdaConfigurations", at.list(configs));
            set(&mut props, "NotificationConfiguration", notification);
            set(bucket, "Properties", props);
            let mut depends = match bucket.get("DependsOn") {
                Some(Node {
                    value: Value::List(items),
                    ..
                }) => items.clone(),
                Some(single) => vec![single.clone()],
                None => Vec::new(),
            };
            depends.push(at.s(&pending.permission));
            set(bucket, "DependsOn", at.list(depends));
        }
        Ok(())
    }

    /// An `Api` event: a route on its API (the implicit `ServerlessRestApi` when `RestApiId` is absent) and a
    /// permission `<Fn><Event>Permission<Stage>` for API Gateway on `.../<stage>/<METHOD>/<path>`.
    fn api_event(&mut self, function: &str, name: &str, props: &Node, target: &Node, at: At) -> Result<(), Located> {
        let path = props
            .get("Path")
            .and_then(Node::as_str)
            .ok_or_else(|| Located::new(props.span, format!("event {name}: an Api event needs a Path")))?;
        let method = props
            .get("Method")
            .and_then(Node::as_str)
            .ok_or_else(|| Located::new(props.span, format!("event {name}: an Api event needs a Method")))?;
        for unsupported in ["Auth", "RequestModel", "RequestParameters"] {
            if let Some(v) = props.get(unsupported) {
                return Err(Located::new(
                    v.span,
                    format!("not simulated: property {unsupported} of an Api event"),
                ));
            }
        }
        let uri = at.sub_with(
            "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${__FunctionArn__}/invocations",
            vec![("__FunctionArn__", target_arn(target, at))],
        );
        let (api, stage) = match props.get("RestApiId") {
            None => {
                let condition = self.source.as_ref().and_then(|(_, d)| d.get("Condition")).cloned();
                self.implicit_api.routes.push(Route {
                    path: path.to_string(),
                    method: method.to_lowercase(),
                    function_uri: uri,
                    condition,
                });
                self.implicit_api.span.get_or_insert(at.0);
                (at.reference("ServerlessRestApi"), "Prod".to_string())
            }
            Some(api) => {
                let api_id = api
                    .as_intrinsic()
                    .filter(|(n, _)| *n == "Ref")
                    .and_then(|(_, a)| a.as_str());
                let Some(api_id) = api_id else {
                    return Err(Located::new(
                        api.span,
                        "RestApiId must be a !Ref to an AWS::Serverless::Api of this template",
                    ));
                };
                // The API's own expansion reads its routes from the declarations (see `routes_for`).
                let Some(stage) = self.api_stages.get(api_id).cloned() else {
                    return Err(Located::new(
                        api.span,
                        format!(
                            "RestApiId must be a !Ref to an AWS::Serverless::Api of this template; {api_id} is not one"
                        ),
                    ));
                };
                (api.clone(), stage)
            }
        };
        let arn_path: String = path
            .split('/')
            .map(|part| {
                if part.starts_with('{') && part.ends_with('}') {
                    "*"
                } else {
                    part
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let arn_method = if method.eq_ignore_ascii_case("any") {
            "*".to_string()
        } else {
            method.to_uppercase()
        };
        let source_arn = at.sub_with(
            &format!("arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{__ApiId__}}/${{__Stage__}}/{arn_method}{arn_path}"),
            vec![("__ApiId__", api), ("__Stage__", at.s("*"))],
        );
        self.permission(
            &format!("{function}{name}Permission{stage}"),
            function,
            target,
            "apigateway.amazonaws.com",
            Some(source_arn),
            at,
        );
        Ok(())
    }

    /// `AWS::Serverless::Api` -> `AWS::ApiGateway::RestApi`, `<Api>Deployment<digest>`, `<Api><Stage>Stage`.
    fn api(&mut self, id: &str, declaration: &Node, entries: &[(Key, Node)]) -> Result<(), Located> {
        let at = At(declaration.span);
        let empty = at.map(vec![]);
        let props = declaration.get("Properties").unwrap_or(&empty);
        check_api_properties(props, "AWS::Serverless::Api")?;
        let stage = props
            .get("StageName")
            .ok_or_else(|| Located::new(declaration.span, "AWS::Serverless::Api needs a StageName"))?;
        let routes = routes_for(id, entries);
        let cors = cors_settings(props.get("Cors"))?;
        let body = match props.get("DefinitionBody") {
            Some(b) if cors.is_some() => {
                return Err(Located::new(
                    b.span,
                    "not simulated: Cors together with DefinitionBody (SAM adds OPTIONS methods to the body)",
                ))
            }
            Some(b) => b.clone(),
            None => swagger(
                &routes,
                at,
                props
                    .get("Name")
                    .cloned()
                    .unwrap_or_else(|| at.reference("AWS::StackName")),
                cors.as_ref(),
            ),
        };
        self.add(
            id,
            at.resource(
                "AWS::ApiGateway::RestApi",
                rest_api_properties(props, body.clone(), at),
                id,
            ),
        );
        let stage_text = stage.as_str().unwrap_or("Stage");
        let stage_props = stage_properties(props);
        self.deployment_and_stage(id, &body, stage.clone(), &alphanumeric(stage_text), stage_props, at);
        Ok(())
    }

    fn deployment_and_stage(
        &mut self,
        api: &str,
        body: &Node,
        stage_name: Node,
        stage_id: &str,
        extra: Vec<(&str, Node)>,
        at: At,
    ) {
        let hash = digest(&body.to_raw_json());
        let deployment = format!("{api}Deployment{}", &hash[..10]);
        let props = at.map(vec![
            ("Description", at.s(&format!("RestApi deployment id: {hash}"))),
            ("RestApiId", at.reference(api)),
            ("StageName", at.s("Stage")),
        ]);
        self.add(&deployment, at.resource("AWS::ApiGateway::Deployment", props, api));
        let mut stage = vec![
            ("DeploymentId", at.reference(&deployment)),
            ("RestApiId", at.reference(api)),
            ("StageName", stage_name),
        ];
        stage.extend(extra);
        self.add(
            &format!("{api}{stage_id}Stage"),
            at.resource("AWS::ApiGateway::Stage", at.map(stage), api),
        );
    }

    /// `ServerlessRestApi` with its `Prod` stage, when some `Api` event named no API.
    /// `ServerlessRestApi` with its `Prod` stage, when some `Api` event named no API. `Globals.Api` applies to
    /// it as to explicit APIs.
    fn finish_implicit_api(&mut self) -> Result<(), Located> {
        let implicit = std::mem::take(&mut self.implicit_api.routes);
        let Some(span) = self.implicit_api.span else {
            return Ok(());
        };
        let at = At(span);
        let globals = self.implicit_api_globals.clone().unwrap_or_else(|| at.map(vec![]));
        check_api_properties(&globals, "Globals.Api")?;
        let cors = cors_settings(globals.get("Cors"))?;
        let body = swagger(&implicit, at, at.reference("AWS::StackName"), cors.as_ref());
        let api = rest_api_properties(&globals, body.clone(), at);
        self.add(
            "ServerlessRestApi",
            at.resource("AWS::ApiGateway::RestApi", api, "ServerlessRestApi"),
        );
        let stage = stage_properties(&globals);
        self.deployment_and_stage("ServerlessRestApi", &body, at.s("Prod"), "Prod", stage, at);
        Ok(())
    }

    /// `AWS::Serverless::SimpleTable` -> `AWS::DynamoDB::Table` keyed by `PrimaryKey` (default `id`, a String).
    fn simple_table(&mut self, id: &str, declaration: &Node) -> Result<(), Located> {
        let at = At(declaration.span);
        let empty = at.map(vec![]);
        let props = declaration.get("Properties").unwrap_or(&empty);
        let key_name = props
            .get("PrimaryKey")
            .and_then(|k| k.get("Name"))
            .cloned()
            .unwrap_or_else(|| at.s("id"));
        let key_type = match props
            .get("PrimaryKey")
            .and_then(|k| k.get("Type"))
            .and_then(Node::as_str)
            .unwrap_or("String")
        {
            "String" => "S",
            "Number" => "N",
            "Binary" => "B",
            other => {
                return Err(Located::new(
                    props.span,
                    format!("PrimaryKey Type must be String, Number or Binary, not {other}"),
                ))
            }
        };
        let mut table = vec![
            (
                "AttributeDefinitions",
                at.list(vec![at.map(vec![
                    ("AttributeName", key_name.clone()),
                    ("AttributeType", at.s(key_type)),
                ])]),
            ),
            (
                "KeySchema",
                at.list(vec![
                    at.map(vec![("AttributeName", key_name), ("KeyType", at.s("HASH"))])
                ]),
            ),
        ];
        match props.get("ProvisionedThroughput") {
            Some(p) => table.push(("ProvisionedThroughput", p.clone())),
            None => table.push(("BillingMode", at.s("PAY_PER_REQUEST"))),
        }
        for name in ["TableName", "SSESpecification", "PointInTimeRecoverySpecification"] {
            if let Some(v) = props.get(name) {
                table.push((name, v.clone()));
            }
        }
        if let Some(tags) = props.get("Tags").and_then(Node::as_map) {
            table.push((
                "Tags",
                at.list(
                    tags.iter()
                        .map(|(k, v)| at.map(vec![("Key", at.s(&k.name)), ("Value", v.clone())]))
                        .collect(),
                ),
            ));
        }
        self.add(id, at.resource("AWS::DynamoDB::Table", at.map(table), id));
        Ok(())
    }

    /// `AWS::Serverless::LayerVersion` -> `AWS::Lambda::LayerVersion`.
    fn layer_version(&mut self, id: &str, declaration: &Node) -> Result<(), Located> {
        let at = At(declaration.span);
        let empty = at.map(vec![]);
        let props = declaration.get("Properties").unwrap_or(&empty);
        let content = match props.get("ContentUri") {
            Some(Node {
                value: Value::String(s),
                span,
            }) if !s.starts_with("s3://") => self.local_code(s, at, *span)?,
            Some(other) => at.map(vec![("S3Bucket", other.clone())]),
            None => {
                return Err(Located::new(
                    declaration.span,
                    "AWS::Serverless::LayerVersion needs a ContentUri",
                ))
            }
        };
        let mut layer = vec![("Content", content)];
        for name in [
            "LayerName",
            "Description",
            "CompatibleRuntimes",
            "CompatibleArchitectures",
            "LicenseInfo",
        ] {
            if let Some(v) = props.get(name) {
                layer.push((name, v.clone()));
            }
        }
        self.add(id, at.resource("AWS::Lambda::LayerVersion", at.map(layer), id));
        Ok(())
    }
}

/// The `AWS::Serverless::Api` properties the playground expands; any other is not simulated yet (`Cors`,
/// `Auth`, `GatewayResponses`, `Models`, `Domain`, ...).
const SUPPORTED_API_PROPERTIES: &[&str] = &[
    "Name",
    "StageName",
    "DefinitionBody",
    "Description",
    "Variables",
    "EndpointConfiguration",
    "BinaryMediaTypes",
    "MinimumCompressionSize",
    "Tags",
    "TracingEnabled",
    "CacheClusterEnabled",
    "MethodSettings",
    "OpenApiVersion",
    "Cors",
];

/// Refuses, loudly, API properties the transform does not expand (`owner` names where they are written).
fn check_api_properties(props: &Node, owner: &str) -> Result<(), Located> {
    match props
        .as_map()
        .unwrap_or(&[])
        .iter()
        .find(|(k, _)| !SUPPORTED_API_PROPERTIES.contains(&k.name.as_str()))
    {
        Some((key, _)) => Err(Located::new(
            key.span,
            format!("not simulated: property {} of {owner}", key.name),
        )),
        None => Ok(()),
    }
}

/// The `AWS::ApiGateway::RestApi` properties SAM writes for an API: the definition as `Body`, and the API-level
/// settings.
fn rest_api_properties(props: &Node, body: Node, at: At) -> Node {
    let mut api = vec![("Body", body)];
    for name in [
        "Name",
        "Description",
        "EndpointConfiguration",
        "BinaryMediaTypes",
        "MinimumCompressionSize",
    ] {
        if let Some(v) = props.get(name) {
            api.push((name, v.clone()));
        }
    }
    at.map(api)
}

/// The stage-level settings SAM moves to the `AWS::ApiGateway::Stage`.
fn stage_properties(props: &Node) -> Vec<(&'static str, Node)> {
    [
        "Variables",
        "TracingEnabled",
        "CacheClusterEnabled",
        "MethodSettings",
        "Tags",
    ]
    .into_iter()
    .filter_map(|name| props.get(name).map(|v| (name, v.clone())))
    .collect()
}

/// The `Api` event routes naming `api` as their `RestApiId`, read from the declarations.
fn routes_for(api: &str, entries: &[(Key, Node)]) -> Vec<Route> {
    let mut routes = Vec::new();
    for (key, declaration) in entries {
        if declaration.get("Type").and_then(Node::as_str) != Some("AWS::Serverless::Function") {
            continue;
        }
        let at = At(declaration.span);
        let events = declaration
            .get("Properties")
            .and_then(|p| p.get("Events"))
            .and_then(Node::as_map)
            .unwrap_or(&[]);
        for (_, event) in events {
            let props = event.get("Properties");
            let names_api = props
                .and_then(|p| p.get("RestApiId"))
                .and_then(|r| r.as_intrinsic())
                .is_some_and(|(n, a)| n == "Ref" && a.as_str() == Some(api));
            if event.get("Type").and_then(Node::as_str) != Some("Api") || !names_api {
                continue;
            }
            let (Some(path), Some(method)) = (
                props.and_then(|p| p.get("Path")).and_then(Node::as_str),
                props.and_then(|p| p.get("Method")).and_then(Node::as_str),
            ) else {
                continue;
            };
            let target = match declaration
                .get("Properties")
                .and_then(|p| p.get("AutoPublishAlias"))
                .and_then(Node::as_str)
            {
                Some(alias) => at.get_att(&format!("{}Alias{}", key.name, alphanumeric(alias)), "AliasArn"),
                None => at.reference(&key.name),
            };
            let uri = at.sub_with(
                "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${__FunctionArn__}/invocations",
                vec![("__FunctionArn__", target_arn(&target, at))],
            );
            routes.push(Route {
                path: path.to_string(),
                method: method.to_lowercase(),
                function_uri: uri,
                condition: declaration.get("Condition").cloned(),
            });
        }
    }
    routes
}

/// The Swagger 2.0 definition SAM writes for Lambda proxy routes (`x-amazon-apigateway-integration` of type
/// `aws_proxy`; `ANY` becomes `x-amazon-apigateway-any-method`).
fn swagger(routes: &[Route], at: At, title: Node, cors: Option<&Cors>) -> Node {
    let mut paths: IndexMap<&str, Vec<(String, Node)>> = IndexMap::new();
    for route in routes {
        let method = if route.method == "any" {
            "x-amazon-apigateway-any-method".to_string()
        } else {
            route.method.clone()
        };
        let operation = at.map(vec![
            (
                "x-amazon-apigateway-integration",
                at.map(vec![
                    ("type", at.s("aws_proxy")),
                    ("httpMethod", at.s("POST")),
                    ("uri", route.function_uri.clone()),
                ]),
            ),
            ("responses", at.map(vec![])),
        ]);
        let operation = match &route.condition {
            Some(condition) => at.map(vec![(
                "Fn::If",
                at.list(vec![condition.clone(), operation, at.reference("AWS::NoValue")]),
            )]),
            None => operation,
        };
        paths.entry(route.path.as_str()).or_default().push((method, operation));
    }
    if let Some(cors) = cors {
        for ops in paths.values_mut() {
            if !ops.iter().any(|(m, _)| m == "options") {
                let methods: Vec<&str> = ops.iter().map(|(m, _)| m.as_str()).collect();
                ops.push(("options".to_string(), cors_options_operation(cors, &methods, at)));
            }
        }
    }
    let paths = paths
        .into_iter()
        .map(|(path, ops)| {
            let ops = ops.iter().map(|(m, o)| (m.as_str(), o.clone())).collect();
            (path, at.map(ops))
        })
        .collect();
    at.map(vec![
        ("swagger", at.s("2.0")),
        ("info", at.map(vec![("version", at.s("1.0")), ("title", title)])),
        ("paths", at.map(paths)),
    ])
}

/// An API's `Cors` property: `AllowOrigin` (required; a string `Cors` is the origin), and the optional
/// `AllowMethods`, `AllowHeaders`, `MaxAge`, `AllowCredentials`. Values are API Gateway string expressions
/// (`"'*'"`) and are used as written. Source: SAM's `AWS::Serverless::Api` reference, "CorsConfiguration".
#[derive(Debug, Clone)]
struct Cors {
    allow_origin: Node,
    allow_methods: Option<Node>,
    allow_headers: Option<Node>,
    max_age: Option<Node>,
    allow_credentials: bool,
}

fn cors_settings(cors: Option<&Node>) -> Result<Option<Cors>, Located> {
    let Some(cors) = cors else { return Ok(None) };
    if cors.as_str().is_some() || cors.as_intrinsic().is_some() {
        return Ok(Some(Cors {
            allow_origin: cors.clone(),
            allow_methods: None,
            allow_headers: None,
            max_age: None,
            allow_credentials: false,
        }));
    }
    let allow_origin = cors
        .get("AllowOrigin")
        .cloned()
        .ok_or_else(|| Located::new(cors.span, "Cors: AllowOrigin is required"))?;
    Ok(Some(Cors {
        allow_origin,
        allow_methods: cors.get("AllowMethods").cloned(),
        allow_headers: cors.get("AllowHeaders").cloned(),
        max_age: cors.get("MaxAge").cloned(),
        allow_credentials: matches!(cors.get("AllowCredentials").map(|n| &n.value), Some(Value::Bool(true))),
    }))
}

/// The `options` operation SAM adds to each path of an API with `Cors` (SAM's swagger generator, `add_cors`):
/// a MOCK integration (request template `{\n  "statusCode" : 200\n}\n`, response template `{}\n`) whose
/// default response sets the `Access-Control-*` headers. Without `AllowMethods`, the path's methods and
/// `OPTIONS`, uppercased and sorted (`ANY` standing for DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT).
fn cors_options_operation(cors: &Cors, methods: &[&str], at: At) -> Node {
    let header = |name: &str| format!("method.response.header.{name}");
    let mut parameters = vec![(header("Access-Control-Allow-Origin"), cors.allow_origin.clone())];
    let mut headers = vec!["Access-Control-Allow-Origin"];
    if let Some(h) = &cors.allow_headers {
        parameters.push((header("Access-Control-Allow-Headers"), h.clone()));
        headers.push("Access-Control-Allow-Headers");
    }
    let allow_methods = cors.allow_methods.clone().unwrap_or_else(|| {
        let mut all: Vec<String> = methods
            .iter()
            .flat_map(|m| {
                if *m == "x-amazon-apigateway-any-method" {
                    ["OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]
                        .map(str::to_string)
                        .to_vec()
                } else {
                    vec![m.to_uppercase()]
                }
            })
            .collect();
        all.push("OPTIONS".to_string());
        all.sort();
        all.dedup();
        at.s(&format!("'{}'", all.join(",")))
    });
    parameters.push((header("Access-Control-Allow-Methods"), allow_methods));
    headers.push("Access-Control-Allow-Methods");
    if let Some(age) = &cors.max_age {
        parameters.push((header("Access-Control-Max-Age"), age.clone()));
        headers.push("Access-Control-Max-Age");
    }
    if cors.allow_credentials {
        parameters.push((header("Access-Control-Allow-Credentials"), at.s("'true'")));
        headers.push("Access-Control-Allow-Credentials");
    }
    let parameters = at.map(parameters.iter().map(|(k, v)| (k.as_str(), v.clone())).collect());
    let header_types = at.map(
        headers
            .iter()
            .map(|h| (*h, at.map(vec![("type", at.s("string"))])))
            .collect(),
    );
    at.map(vec![
        ("summary", at.s("CORS support")),
        ("consumes", at.list(vec![at.s("application/json")])),
        ("produces", at.list(vec![at.s("application/json")])),
        (
            "x-amazon-apigateway-integration",
            at.map(vec![
                ("type", at.s("mock")),
                (
                    "requestTemplates",
                    at.map(vec![("application/json", at.s("{\n  \"statusCode\" : 200\n}\n"))]),
                ),
                (
                    "responses",
                    at.map(vec![(
                        "default",
                        at.map(vec![
                            ("statusCode", at.s("200")),
                            ("responseParameters", parameters),
                            ("responseTemplates", at.map(vec![("application/json", at.s("{}\n"))])),
                        ]),
                    )]),
                ),
            ]),
        ),
        (
            "responses",
            at.map(vec![(
                "200",
                at.map(vec![
                    ("description", at.s("Default response for CORS method")),
                    ("headers", header_types),
                ]),
            )]),
        ),
    ])
}

/// The ARN of an invoke target: `!GetAtt Fn.Arn` for a function (`!Ref Fn`), the target itself for an alias
/// (already `!GetAtt Alias.AliasArn`).
fn target_arn(target: &Node, at: At) -> Node {
    match target.as_intrinsic() {
        Some(("Ref", id)) => at.get_att(id.as_str().unwrap_or_default(), "Arn"),
        _ => target.clone(),
    }
}

/// SAM's tags: `lambda:createdBy: SAM` first, then the resource's `Tags` map, as a CloudFormation tag list.
fn sam_tags(tags: Option<&Node>, at: At) -> Node {
    let mut list = vec![at.map(vec![("Key", at.s("lambda:createdBy")), ("Value", at.s("SAM"))])];
    for (k, v) in tags.and_then(Node::as_map).unwrap_or(&[]) {
        list.push(at.map(vec![("Key", at.s(&k.name)), ("Value", v.clone())]));
    }
    at.list(list)
}

/// The letters and digits of `s` (SAM's rule for logical ids made from names, e.g. a stage `v1-beta`).
fn alphanumeric(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// The hex SHA-1 of a JSON value written with sorted keys and no spaces, as SAM's `LogicalIdGenerator` does.
fn digest(value: &serde_json::Value) -> String {
    fn sorted(v: &serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(m) => {
                let mut entries: Vec<_> = m.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                serde_json::Value::Object(entries.into_iter().map(|(k, v)| (k.clone(), sorted(v))).collect())
            }
            serde_json::Value::Array(items) => serde_json::Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    let text = sorted(value).to_string();
    Sha1::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
