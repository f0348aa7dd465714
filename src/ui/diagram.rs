//! The architecture diagram: the deployed account drawn as an SVG of its resources (website buckets, REST APIs,
//! functions, tables, topics, queues) and what connects them (integrations, invoke permissions, event sources,
//! notifications, subscriptions, destinations, role access), plus the SAM and OpenAPI downloads.
//!
//! The graph is computed by [`graph`], a pure function of the engine state, so it is tested without a browser; the
//! layout is deterministic (a column per kind, rows in name order). Labels are SVG text nodes (Yew escapes text),
//! never markup.

use super::{browser, App, Msg};
use crate::apigateway::invoke::lambda::function_from_uri;
use crate::apigateway::ApiGateway;
use crate::cloud::Cloud;
use crate::dynamodb::DynamoDb;
use crate::iam::policy::{Effect, Patterns};
use crate::iam::Iam;
use crate::lambda::Lambda;
use crate::s3::S3;
use crate::sns::Sns;
use crate::sqs::Sqs;
use crate::trace::RequestTrace;
use yew::html::Scope;
use yew::prelude::*;

/// A resource's kind; the order is the diagram's column order (left to right).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    /// An S3 bucket with website hosting, or one that notifies a function.
    Bucket,
    /// A REST API.
    Api,
    /// An SNS topic.
    Topic,
    /// An SQS queue.
    Queue,
    /// A Lambda function.
    Function,
    /// A DynamoDB table.
    Table,
}

impl NodeKind {
    /// The kind's name as the diagram shows it.
    pub fn label(self) -> &'static str {
        match self {
            NodeKind::Bucket => "S3 bucket",
            NodeKind::Api => "REST API",
            NodeKind::Topic => "SNS topic",
            NodeKind::Queue => "SQS queue",
            NodeKind::Function => "Lambda function",
            NodeKind::Table => "DynamoDB table",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            NodeKind::Bucket => "s3",
            NodeKind::Api => "apigateway",
            NodeKind::Topic => "sns",
            NodeKind::Queue => "sqs",
            NodeKind::Function => "lambda",
            NodeKind::Table => "dynamodb",
        }
    }
}

/// One resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// `<kind prefix>:<name or id>` (`lambda:hello`, `apigateway:abc123`): unique in the graph.
    pub id: String,
    /// The kind.
    pub kind: NodeKind,
    /// The name shown (an API's name; the others' names).
    pub label: String,
}

/// What an edge means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    /// An API method's Lambda integration (API → function).
    Integration,
    /// An `AWS::Lambda::Permission` letting a service invoke the function (source → function).
    Permission,
    /// An event source mapping (queue or table stream → function).
    EventSource,
    /// An S3 event notification (bucket → function).
    Notification,
    /// An SNS subscription (topic → function or queue).
    Subscription,
    /// An asynchronous invocation destination (`OnSuccess` / `OnFailure`) or dead-letter queue (function →
    /// target).
    Destination,
    /// The function's execution role has a policy naming the table (function → table).
    RoleAccess,
}

impl EdgeKind {
    /// The edge's kind as the list fallback says it.
    pub fn label(self) -> &'static str {
        match self {
            EdgeKind::Integration => "integration",
            EdgeKind::Permission => "invoke permission",
            EdgeKind::EventSource => "event source mapping",
            EdgeKind::Notification => "event notification",
            EdgeKind::Subscription => "subscription",
            EdgeKind::Destination => "destination",
            EdgeKind::RoleAccess => "role policy",
        }
    }
}

/// One connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// The source node's id.
    pub from: String,
    /// The target node's id.
    pub to: String,
    /// What it means.
    pub kind: EdgeKind,
    /// Details (`GET /hello`, `OnFailure`, `dynamodb:PutItem`), several joined by `, `.
    pub detail: String,
}

/// The diagram's content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graph {
    /// Nodes by kind, then label, then id.
    pub nodes: Vec<Node>,
    /// Edges in (kind, from, to) order, one per (from, to, kind).
    pub edges: Vec<Edge>,
}

impl Graph {
    fn node(&mut self, kind: NodeKind, key: &str, label: &str) {
        self.nodes.push(Node {
            id: format!("{}:{key}", kind.prefix()),
            kind,
            label: label.to_string(),
        });
    }

    fn has(&self, id: &str) -> bool {
        self.nodes.iter().any(|n| n.id == id)
    }

    /// Adds an edge between known nodes; an edge already there gains `detail`.
    fn edge(&mut self, from: String, to: String, kind: EdgeKind, detail: &str) {
        if !self.has(&from) || !self.has(&to) {
            return;
        }
        if let Some(e) = self
            .edges
            .iter_mut()
            .find(|e| e.from == from && e.to == to && e.kind == kind)
        {
            if !detail.is_empty() && !e.detail.split(", ").any(|d| d == detail) {
                if !e.detail.is_empty() {
                    e.detail.push_str(", ");
                }
                e.detail.push_str(detail);
            }
            return;
        }
        self.edges.push(Edge {
            from,
            to,
            kind,
            detail: detail.to_string(),
        });
    }
}

/// The graph of `cloud`'s resources. Buckets appear when they host a website or notify a function. Role access
/// is best effort: an `Allow` statement of the role's inline or customer managed policies whose `Resource` is the
/// table's ARN or starts with `<table ARN>/` (indexes, streams); wildcards such as `*` are not drawn.
pub fn graph(cloud: &Cloud) -> Graph {
    let mut g = Graph::default();
    let lambda = cloud.service::<Lambda>();
    let gateway = cloud.service::<ApiGateway>();
    let s3 = cloud.service::<S3>();
    let sns = cloud.service::<Sns>();
    let sqs = cloud.service::<Sqs>();
    let dynamodb = cloud.service::<DynamoDb>();
    for bucket in s3.iter().flat_map(|s| s.buckets.values()) {
        if bucket.website.is_some() || !bucket.lambda_configurations.is_empty() {
            g.node(NodeKind::Bucket, &bucket.name, &bucket.name);
        }
    }
    for api in gateway.iter().flat_map(|gw| gw.rest_apis.values()) {
        g.node(NodeKind::Api, &api.id, &api.name);
    }
    for topic in sns.iter().flat_map(|s| s.topics.values()) {
        g.node(NodeKind::Topic, &topic.name, &topic.name);
    }
    for queue in sqs.iter().flat_map(|s| s.queues.values()) {
        g.node(NodeKind::Queue, &queue.name, &queue.name);
    }
    for name in lambda.iter().flat_map(|l| l.functions.keys()) {
        g.node(NodeKind::Function, name, name);
    }
    for table in dynamodb.iter().flat_map(|d| d.tables.values()) {
        g.node(NodeKind::Table, &table.name, &table.name);
    }
    g.nodes
        .sort_by(|a, b| (a.kind, &a.label, &a.id).cmp(&(b.kind, &b.label, &b.id)));

    // The node id of an ARN (or a function's name), when it names a node.
    let function_id = |name_or_arn: &str| -> String {
        let name = lambda.map(|l| l.resolve_name(name_or_arn).0).unwrap_or_default();
        format!("lambda:{name}")
    };
    let arn_id = |arn: &str| -> Option<String> {
        if arn.contains(":lambda:") {
            return Some(function_id(arn));
        }
        if let Some(q) = sqs.and_then(|s| s.queues.values().find(|q| q.arn == arn)) {
            return Some(format!("sqs:{}", q.name));
        }
        if let Some(t) = sns.and_then(|s| s.topics.values().find(|t| t.arn == arn)) {
            return Some(format!("sns:{}", t.name));
        }
        if let Some(bucket) = arn.strip_prefix("arn:aws:s3:::") {
            return Some(format!("s3:{}", bucket.split('/').next().unwrap_or_default()));
        }
        if let Some(api) = arn.split(":execute-api:").nth(1) {
            // `region:account:apiId/stage/METHOD/path`.
            let id = api
                .split(':')
                .nth(2)
                .unwrap_or_default()
                .split('/')
                .next()
                .unwrap_or_default();
            return Some(format!("apigateway:{id}"));
        }
        None
    };

    for api in gateway.iter().flat_map(|gw| gw.rest_apis.values()) {
        for resource in api.definition.resources.values() {
            for (method, m) in &resource.resource_methods {
                let Some(uri) = m.method_integration.as_ref().and_then(|i| i.uri.as_deref()) else {
                    continue;
                };
                if let Some(function) = function_from_uri(uri) {
                    let detail = format!("{method} {}", resource.path);
                    g.edge(
                        format!("apigateway:{}", api.id),
                        function_id(function),
                        EdgeKind::Integration,
                        &detail,
                    );
                }
            }
        }
    }
    if let Some(lambda) = lambda {
        for (name, function) in &lambda.functions {
            for permission in &function.permissions {
                let text = |k: &str| {
                    permission
                        .get(k)
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or_default()
                };
                if let Some(from) = arn_id(text("SourceArn")) {
                    let detail = text("Principal");
                    g.edge(from, format!("lambda:{name}"), EdgeKind::Permission, detail);
                }
            }
            if let Some(dlq) = function.latest.dead_letter_target.as_deref().and_then(arn_id) {
                g.edge(
                    format!("lambda:{name}"),
                    dlq,
                    EdgeKind::Destination,
                    "dead-letter queue",
                );
            }
            if let Some(table_edges) = iam_table_access(cloud, &function.latest.role) {
                for table in table_edges {
                    g.edge(
                        format!("lambda:{name}"),
                        format!("dynamodb:{table}"),
                        EdgeKind::RoleAccess,
                        "",
                    );
                }
            }
        }
        for ((name, _), config) in &lambda.async_queue.configs {
            let on = [("OnSuccess", &config.on_success), ("OnFailure", &config.on_failure)];
            for (which, target) in on {
                if let Some(to) = target.as_deref().and_then(arn_id) {
                    g.edge(format!("lambda:{name}"), to, EdgeKind::Destination, which);
                }
            }
        }
    }
    for mapping in sqs.iter().flat_map(|s| s.event_source_mappings.iter()) {
        if let Some(from) = arn_id(&mapping.queue_arn) {
            g.edge(from, function_id(&mapping.function_name), EdgeKind::EventSource, "");
        }
    }
    if let Some(dynamodb) = dynamodb {
        for mapping in &dynamodb.event_source_mappings {
            // A stream's ARN is `<table ARN>/stream/<label>` (streams are registered lazily, so not looked up).
            let table = dynamodb
                .tables
                .values()
                .find(|t| mapping.stream_arn.starts_with(&format!("{}/stream/", t.arn)))
                .map(|t| &t.name);
            if let Some(table) = table {
                g.edge(
                    format!("dynamodb:{table}"),
                    function_id(&mapping.function_name),
                    EdgeKind::EventSource,
                    "stream",
                );
            }
        }
    }
    for bucket in s3.iter().flat_map(|s| s.buckets.values()) {
        for config in &bucket.lambda_configurations {
            let detail = config.events.join(" ");
            g.edge(
                format!("s3:{}", bucket.name),
                function_id(&config.function_arn),
                EdgeKind::Notification,
                &detail,
            );
        }
    }
    for subscription in sns.iter().flat_map(|s| s.subscriptions.iter()) {
        if let (Some(from), Some(to)) = (arn_id(&subscription.topic_arn), arn_id(&subscription.endpoint)) {
            g.edge(from, to, EdgeKind::Subscription, &subscription.protocol);
        }
    }
    g.edges
        .sort_by(|a, b| (a.kind, &a.from, &a.to).cmp(&(b.kind, &b.from, &b.to)));
    g
}

/// The tables the role `role_arn` has an `Allow` statement for (see [`graph`]), or `None` without IAM.
fn iam_table_access(cloud: &Cloud, role_arn: &str) -> Option<Vec<String>> {
    let directory = &cloud.service::<Iam>()?.directory;
    let tables = cloud.service::<DynamoDb>()?.tables.values();
    let role = directory.roles.values().find(|r| r.arn == role_arn)?;
    let managed = role
        .managed_policy_arns
        .iter()
        .filter_map(|arn| directory.policies.values().find(|p| &p.arn == arn))
        .map(|p| &p.document);
    let resources: Vec<&String> = role
        .inline_policies
        .values()
        .chain(managed)
        .flat_map(|d| d.statements.iter())
        .filter(|s| s.effect == Effect::Allow)
        .filter_map(|s| match &s.resources {
            Some(Patterns::Listed(r)) => Some(r.iter()),
            _ => None,
        })
        .flatten()
        .collect();
    Some(
        tables
            .filter(|t| {
                let under = format!("{}/", t.arn);
                resources.iter().any(|r| **r == t.arn || r.starts_with(&under))
            })
            .map(|t| t.name.clone())
            .collect(),
    )
}

/// The path of a traced request as diagram node ids: each hop between resources ([`RequestTrace::hops`]) as
/// `(from, to)`, e.g. `("apigateway:abc123", "lambda:hello")`, `("lambda:hello", "dynamodb:items")`. Node ids
/// are `<signing name>:<name>`, the trace's resource keys.
pub fn trace_hops(trace: &RequestTrace) -> Vec<(String, String)> {
    trace
        .hops()
        .into_iter()
        .map(|((s1, n1), (s2, n2))| (format!("{s1}:{n1}"), format!("{s2}:{n2}")))
        .collect()
}

/// The nodes a traced request touched, as diagram node ids, in the order it reached them.
pub fn trace_nodes(trace: &RequestTrace) -> Vec<String> {
    trace.resources().into_iter().map(|(s, n)| format!("{s}:{n}")).collect()
}

/// Whether `edge` is on a request's path: it joins two resources the request went between (either way round: a
/// function's role access is drawn function → table, as the call goes). An invoke permission is checked, not
/// travelled, so it is never lit.
pub fn on_path(edge: &Edge, hops: &[(String, String)]) -> bool {
    edge.kind != EdgeKind::Permission
        && hops
            .iter()
            .any(|(from, to)| (edge.from == *from && edge.to == *to) || (edge.from == *to && edge.to == *from))
}

const COLUMN_WIDTH: i64 = 200;
const ROW_HEIGHT: i64 = 70;
const NODE_WIDTH: i64 = 160;
const NODE_HEIGHT: i64 = 44;
const MARGIN: i64 = 20;
/// The most characters of a label drawn in a box (the full name is in the box's tooltip and the list).
const LABEL_CHARS: usize = 20;

/// The node boxes' top-left corners: a column per kind present, rows in the graph's (name) order.
fn layout(graph: &Graph) -> Vec<(i64, i64)> {
    let mut kinds: Vec<NodeKind> = graph.nodes.iter().map(|n| n.kind).collect();
    kinds.dedup();
    let mut rows = vec![0i64; kinds.len()];
    graph
        .nodes
        .iter()
        .map(|n| {
            let column = kinds.iter().position(|k| *k == n.kind).unwrap_or_default();
            let row = rows.get(column).copied().unwrap_or_default();
            if let Some(r) = rows.get_mut(column) {
                *r += 1;
            }
            (MARGIN + column as i64 * COLUMN_WIDTH, MARGIN + 18 + row * ROW_HEIGHT)
        })
        .collect()
}

/// The SVG path of an edge between boxes at `from` and `to` (top-left corners): right side to left side when the
/// target's column is further right, left side to right side when it is further left, and a bulge out of the right
/// sides within a column.
fn edge_path((fx, fy): (i64, i64), (tx, ty): (i64, i64)) -> String {
    let (fy, ty) = (fy + NODE_HEIGHT / 2, ty + NODE_HEIGHT / 2);
    let (x1, x2, c1, c2) = match tx.cmp(&fx) {
        std::cmp::Ordering::Greater => {
            let (x1, x2) = (fx + NODE_WIDTH, tx);
            (x1, x2, (x1 + x2) / 2, (x1 + x2) / 2)
        }
        std::cmp::Ordering::Less => {
            let (x1, x2) = (fx, tx + NODE_WIDTH);
            (x1, x2, (x1 + x2) / 2, (x1 + x2) / 2)
        }
        std::cmp::Ordering::Equal => {
            let x = fx + NODE_WIDTH;
            (x, x, x + MARGIN * 2, x + MARGIN * 2)
        }
    };
    format!("M{x1},{fy} C{c1},{fy} {c2},{ty} {x2},{ty}")
}

fn short(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(LABEL_CHARS - 1).collect();
        s.push('…');
        s
    }
}

/// The Stack page's diagram section: the SVG, its list fallback and the export buttons.
pub fn view(app: &App, link: &Scope<App>) -> Html {
    let Some(deployed) = &app.deployed else {
        return html! {};
    };
    let g = graph(&deployed.cloud);
    let at = layout(&g);
    let position = |id: &str| g.nodes.iter().position(|n| n.id == id).and_then(|i| at.get(i).copied());
    let last = deployed.cloud.traces.latest();
    let hops = last.map(trace_hops).unwrap_or_default();
    let touched = last.map(trace_nodes).unwrap_or_default();
    let lit = |e: &Edge| on_path(e, &hops);
    let lit_nodes: Vec<&str> = touched.iter().map(String::as_str).filter(|id| g.has(id)).collect();
    let width = at
        .iter()
        .map(|(x, _)| x + NODE_WIDTH + MARGIN)
        .max()
        .unwrap_or(MARGIN * 2);
    let height = at
        .iter()
        .map(|(_, y)| y + NODE_HEIGHT + MARGIN)
        .max()
        .unwrap_or(MARGIN * 2);
    let name_of = |id: &str| {
        g.nodes
            .iter()
            .find(|n| n.id == id)
            .map(|n| format!("{} {}", n.kind.label(), n.label))
            .unwrap_or_else(|| id.to_string())
    };
    let edges = g.edges.iter().filter_map(|e| {
        let (fx, fy) = position(&e.from)?;
        let (tx, ty) = position(&e.to)?;
        let d = edge_path((fx, fy), (tx, ty));
        let class = classes!(
            "edge",
            format!("edge-{:?}", e.kind).to_lowercase(),
            lit(e).then_some("lit")
        );
        let tip = format!(
            "{} → {}: {}{}",
            name_of(&e.from),
            name_of(&e.to),
            e.kind.label(),
            detail_suffix(&e.detail)
        );
        Some(html! {
            <path { class } d={ d } marker-end="url(#diagram-arrow)"><title>{ tip }</title></path>
        })
    });
    let nodes = g.nodes.iter().zip(&at).map(|(n, (x, y))| {
        let class = classes!("node", format!("node-{:?}", n.kind).to_lowercase(), lit_nodes.contains(&n.id.as_str()).then_some("lit"));
        html! {
            <g { class } data-node={ n.id.clone() }>
                <title>{ format!("{}: {}", n.kind.label(), n.label) }</title>
                <rect x={ x.to_string() } y={ y.to_string() } width={ NODE_WIDTH.to_string() } height={ NODE_HEIGHT.to_string() } rx="6" />
                <text x={ (x + 8).to_string() } y={ (y + 16).to_string() } class="kind">{ n.kind.label() }</text>
                <text x={ (x + 8).to_string() } y={ (y + 34).to_string() } class="name">{ short(&n.label) }</text>
            </g>
        }
    });
    let description = format!(
        "{} resources and {} connections; the list below says the same in words.",
        g.nodes.len(),
        g.edges.len()
    );
    html! {
        <section class="card" id="architecture" aria-labelledby="architecture-title">
            <h2 id="architecture-title">{ "Architecture" }</h2>
            { export_buttons(app, deployed, link) }
            if g.nodes.is_empty() {
                <p class="empty">{ "Nothing to draw: the stack has no buckets, APIs, functions, tables, topics or queues." }</p>
            } else {
                <svg id="architecture-diagram" role="img" aria-labelledby="diagram-title diagram-desc"
                     viewBox={ format!("0 0 {width} {height}") } width={ width.to_string() } style="max-width: 100%; height: auto">
                    <title id="diagram-title">{ "Architecture of the deployed stack" }</title>
                    <desc id="diagram-desc">{ description }</desc>
                    <defs>
                        <marker id="diagram-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                            <path d="M0,0 L10,5 L0,10 z" />
                        </marker>
                    </defs>
                    { for edges }
                    { for nodes }
                </svg>
                <details id="architecture-list">
                    <summary>{ "The diagram as a list" }</summary>
                    <ul>
                        { for g.edges.iter().map(|e| html! {
                            <li class={ classes!(lit(e).then_some("lit")) }>
                                { format!("{} → {}: {}{}", name_of(&e.from), name_of(&e.to), e.kind.label(), detail_suffix(&e.detail)) }
                            </li>
                        }) }
                        { for g.nodes.iter().filter(|n| !g.edges.iter().any(|e| e.from == n.id || e.to == n.id)).map(|n| html! {
                            <li>{ format!("{} {} (not connected)", n.kind.label(), n.label) }</li>
                        }) }
                    </ul>
                </details>
            }
            <p class="hint" id="architecture-last">{ match last {
                None => html! { { "Send a request (an API's request console or Test panel, a hosted website page, or a function's Invoke) to highlight its path here." } },
                Some(trace) => html! { <>
                    { format!("Highlighted: the last request ({}), {}. ", super::traces::summary(trace), touched.iter().map(|id| name_of(id)).collect::<Vec<_>>().join(" → ")) }
                    <a id="architecture-trace" href={ super::route::Route::Traces { number: Some(trace.number) }.href() }>{ "Open its trace" }</a>
                </> },
            } }</p>
        </section>
    }
}

fn detail_suffix(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(" ({detail})")
    }
}

fn export_buttons(app: &App, deployed: &super::Deployed, link: &Scope<App>) -> Html {
    let template = app.scenario.template.clone();
    let sam = link.callback(move |_| Msg::Download {
        file_name: template.file_name.clone(),
        mime: if template.file_name.ends_with(".json") {
            "application/json"
        } else {
            "text/yaml"
        }
        .into(),
        text: template.body.clone(),
    });
    let apis = deployed
        .cloud
        .service::<ApiGateway>()
        .map(|gw| gw.rest_apis.values().collect::<Vec<_>>())
        .unwrap_or_default();
    html! {
        <div class="button-row" id="diagram-export">
            <button id="export-sam" onclick={ sam }>{ "Download SAM template" }</button>
            { for apis.into_iter().map(|api| {
                let file_name = openapi_file_name(&api.name);
                let text = openapi_text(api);
                let onclick = link.callback(move |_| Msg::Download { file_name: file_name.clone(), mime: "application/json".into(), text: text.clone() });
                html! { <button class="export-openapi" data-api={ api.id.clone() } { onclick }>{ format!("Download {} as OpenAPI", api.name) }</button> }
            }) }
        </div>
    }
}

/// `<name>-oas30.json`, with characters other than letters, digits, `-`, `_` and `.` replaced by `-`.
pub fn openapi_file_name(api_name: &str) -> String {
    let safe: String = api_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{safe}-oas30.json")
}

/// The API's current definition as OpenAPI 3.0.1 with API Gateway's extensions (the engine's exporter), pretty
/// printed.
pub fn openapi_text(api: &crate::apigateway::model::RestApi) -> String {
    let doc = crate::apigateway::openapi::export(&api.name, api.description.as_deref(), &api.definition);
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Starts a download, returning the problem to show when it cannot start.
pub(super) fn download(file_name: &str, mime: &str, text: &str) -> Option<String> {
    browser::download(file_name, mime, text)
        .err()
        .map(|e| format!("The download could not start: {e}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apigateway::test_invoke::{test_invoke_method, TestInvokeMethodRequest};

    const TEMPLATE: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: site
      WebsiteConfiguration: {IndexDocument: index.html}
  Uploads:
    Type: AWS::S3::Bucket
    Properties: {BucketName: uploads}
  Plain:
    Type: AWS::S3::Bucket
    Properties: {BucketName: plain}
  Items:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: items
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  Other:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: other
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
  Topic:
    Type: AWS::SNS::Topic
    Properties: {TopicName: news}
  Jobs:
    Type: AWS::SQS::Queue
    Properties: {QueueName: jobs}
  Dead:
    Type: AWS::SQS::Queue
    Properties: {QueueName: dead}
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: hello
      Runtime: nodejs20.x
      Handler: index.handler
      Policies:
        - DynamoDBCrudPolicy: {TableName: !Ref Items}
      InlineCode: |
        const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
        const db = new DynamoDBClient({});
        exports.handler = async () => {
          await db.send(new PutItemCommand({ TableName: 'items', Item: { id: { S: 'hi' } } }));
          return { statusCode: 200, body: 'hi' };
        };
      Events:
        Get: {Type: Api, Properties: {Path: /hello, Method: get}}
        Post: {Type: Api, Properties: {Path: /hello, Method: post}}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: worker
      Runtime: nodejs20.x
      Handler: index.handler
      DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt Dead.Arn}
      InlineCode: "exports.handler = async () => 1;"
      Events:
        Stream: {Type: DynamoDB, Properties: {Stream: !GetAtt Items.StreamArn, StartingPosition: LATEST}}
        Queue: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}
        News: {Type: SNS, Properties: {Topic: !Ref Topic}}
        Upload: {Type: S3, Properties: {Bucket: !Ref Uploads, Events: s3:ObjectCreated:*}}
"#;

    fn deployed(text: &str) -> crate::ui::Deployed {
        crate::ui::deploy("t.yaml", text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    /// The id of the deployment's only REST API.
    fn first_api_id(d: &crate::ui::Deployed) -> String {
        d.cloud
            .service::<ApiGateway>()
            .unwrap()
            .rest_apis
            .keys()
            .next()
            .unwrap()
            .clone()
    }

    #[test]
    fn the_graph_has_a_node_per_resource_in_column_then_name_order() {
        let d = deployed(TEMPLATE);
        let g = graph(&d.cloud);
        let api_id = first_api_id(&d);
        let ids: Vec<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
        let api = format!("apigateway:{api_id}");
        assert_eq!(
            ids,
            [
                "s3:site",
                "s3:uploads",
                &api,
                "sns:news",
                "sqs:dead",
                "sqs:jobs",
                "lambda:hello",
                "lambda:worker",
                "dynamodb:items",
                "dynamodb:other"
            ]
        );
        // SAM names the implicit API after the stack (the playground's stack is `sam-app`).
        assert_eq!(g.nodes[2].label, "sam-app");
    }

    #[test]
    fn the_graph_connects_integrations_permissions_sources_and_role_access() {
        let d = deployed(TEMPLATE);
        let g = graph(&d.cloud);
        let api_id = first_api_id(&d);
        let api = format!("apigateway:{api_id}");
        let edges: Vec<(String, String, EdgeKind, String)> = g
            .edges
            .iter()
            .map(|e| (e.from.clone(), e.to.clone(), e.kind, e.detail.clone()))
            .collect();
        let e = |from: &str, to: &str, kind, detail: &str| (from.to_string(), to.to_string(), kind, detail.to_string());
        assert_eq!(
            edges,
            [
                e(&api, "lambda:hello", EdgeKind::Integration, "GET /hello, POST /hello"),
                e(&api, "lambda:hello", EdgeKind::Permission, "apigateway.amazonaws.com"),
                // SAM's S3 event permission has no SourceArn (only SourceAccount), so it names no bucket.
                e("sns:news", "lambda:worker", EdgeKind::Permission, "sns.amazonaws.com"),
                e("dynamodb:items", "lambda:worker", EdgeKind::EventSource, "stream"),
                e("sqs:jobs", "lambda:worker", EdgeKind::EventSource, ""),
                e(
                    "s3:uploads",
                    "lambda:worker",
                    EdgeKind::Notification,
                    "s3:ObjectCreated:*"
                ),
                e("sns:news", "lambda:worker", EdgeKind::Subscription, "lambda"),
                e("lambda:worker", "sqs:dead", EdgeKind::Destination, "dead-letter queue"),
                e("lambda:hello", "dynamodb:items", EdgeKind::RoleAccess, ""),
            ]
        );
    }

    #[test]
    fn the_layout_puts_each_kind_in_a_column_and_names_in_rows() {
        let d = deployed(TEMPLATE);
        let g = graph(&d.cloud);
        let at = layout(&g);
        // Columns: buckets, API, topic, queues, functions, tables.
        let x: Vec<i64> = at.iter().map(|(x, _)| (x - MARGIN) / COLUMN_WIDTH).collect();
        assert_eq!(x, [0, 0, 1, 2, 3, 3, 4, 4, 5, 5]);
        let rows: Vec<i64> = at.iter().map(|(_, y)| (y - MARGIN - 18) / ROW_HEIGHT).collect();
        assert_eq!(rows, [0, 1, 0, 0, 0, 1, 0, 1, 0, 1]);
    }

    #[test]
    fn a_path_lights_the_edges_it_travelled_but_never_a_permission() {
        let d = deployed(TEMPLATE);
        let g = graph(&d.cloud);
        let api = format!("apigateway:{}", first_api_id(&d));
        let hops = [
            (api.clone(), "lambda:hello".to_string()),
            ("lambda:hello".to_string(), "dynamodb:items".to_string()),
        ];
        let lit: Vec<(EdgeKind, &str)> = g
            .edges
            .iter()
            .filter(|e| on_path(e, &hops))
            .map(|e| (e.kind, e.to.as_str()))
            .collect();
        assert_eq!(
            lit,
            [
                (EdgeKind::Integration, "lambda:hello"),
                (EdgeKind::RoleAccess, "dynamodb:items")
            ]
        );
        assert!(g
            .edges
            .iter()
            .any(|e| e.kind == EdgeKind::Permission && e.to == "lambda:hello"));
        assert!(!g.edges.iter().any(|e| on_path(e, &[])));
    }

    #[test]
    fn the_last_request_from_any_source_gives_the_path_to_light() {
        let mut d = deployed(TEMPLATE);
        let api_id = first_api_id(&d);
        let request = crate::apigateway::http::HttpRequest {
            method: "POST".into(),
            path: "/Prod/hello".into(),
            headers: Vec::new(),
            body: String::new(),
        };
        let invocation = crate::apigateway::invoke::execute(&mut d.cloud, &api_id, &request).unwrap();
        assert_eq!(invocation.response.status_code, 200);
        let trace = d.cloud.traces.latest().unwrap();
        let api = format!("apigateway:{api_id}");
        assert_eq!(
            trace_hops(trace),
            [
                (api.clone(), "lambda:hello".to_string()),
                ("lambda:hello".to_string(), "dynamodb:items".to_string())
            ]
        );
        assert_eq!(trace_nodes(trace), [api.as_str(), "lambda:hello", "dynamodb:items"]);
        // A direct invoke of the function (the Lambda console) is the last request now.
        let out = crate::lambda::invoke(
            &mut d.cloud,
            "hello",
            crate::lambda::InvocationType::RequestResponse,
            "{}",
        );
        assert_eq!(out.unwrap().function_error, None);
        let trace = d.cloud.traces.latest().unwrap();
        assert_eq!(
            trace_hops(trace),
            [("lambda:hello".to_string(), "dynamodb:items".to_string())]
        );
    }

    #[test]
    fn edges_leave_and_enter_the_sides_facing_each_other() {
        // Box 160 x 44: right → left, left ← right, and a bulge within a column.
        assert_eq!(edge_path((20, 38), (220, 108)), "M180,60 C200,60 200,130 220,130");
        assert_eq!(edge_path((220, 38), (20, 38)), "M220,60 C200,60 200,60 180,60");
        assert_eq!(edge_path((20, 38), (20, 108)), "M180,60 C220,60 220,130 180,130");
    }

    #[test]
    fn long_labels_are_shortened_with_an_ellipsis() {
        assert_eq!(short("hello"), "hello");
        assert_eq!(short("a-very-long-function-name-indeed"), "a-very-long-functio…");
    }

    #[test]
    fn openapi_file_names_keep_safe_characters() {
        assert_eq!(openapi_file_name("Hello API/v1"), "Hello-API-v1-oas30.json");
    }

    const MOCK_API: &str = r#"Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: mock-api}
  Hello:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: hello}
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Hello
      HttpMethod: GET
      AuthorizationType: NONE
      Integration:
        Type: MOCK
        RequestTemplates: {application/json: '{"statusCode": 201}'}
        IntegrationResponses:
          - StatusCode: "201"
            ResponseTemplates: {application/json: '{"greeting": "hello $input.params(''name'')"}'}
      MethodResponses: [{StatusCode: "201"}]
"#;

    /// Test-invokes `GET /hello?name=Ada` on the only API of `d`.
    fn get_hello(d: &mut crate::ui::Deployed) -> (u16, String) {
        let gateway = d.cloud.service::<ApiGateway>().unwrap();
        let api = gateway.rest_apis.values().next().unwrap();
        let resource = api.definition.resources.values().find(|r| r.path == "/hello").unwrap();
        let request = TestInvokeMethodRequest {
            resource_id: resource.id.clone(),
            http_method: "GET".into(),
            path_with_query_string: Some("/hello?name=Ada".into()),
            ..Default::default()
        };
        let api_id = api.id.clone();
        let r = test_invoke_method(&mut d.cloud, &api_id, &request).unwrap();
        (r.status, r.body)
    }

    #[test]
    fn the_exported_openapi_loads_back_and_answers_the_same_mock_request() {
        let mut original = deployed(MOCK_API);
        let text = {
            let api = original
                .cloud
                .service::<ApiGateway>()
                .unwrap()
                .rest_apis
                .values()
                .next()
                .unwrap();
            openapi_text(api)
        };
        let answer = get_hello(&mut original);
        assert_eq!(answer, (201, r#"{"greeting": "hello Ada"}"#.to_string()));
        // The engine's OpenAPI import (a RestApi's `Body`), from the exported text.
        let body: serde_json::Value = serde_json::from_str(&text).unwrap();
        let template = serde_json::json!({
            "Resources": {"Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Body": body}}}
        });
        let mut imported = crate::ui::deploy("t.json", &template.to_string()).unwrap();
        let name = imported
            .cloud
            .service::<ApiGateway>()
            .unwrap()
            .rest_apis
            .values()
            .next()
            .unwrap()
            .name
            .clone();
        assert_eq!(name, "mock-api");
        assert_eq!(get_hello(&mut imported), answer);
    }
}
