//! The REST API model, named as AWS names it: [`RestApi`], [`Resource`], [`Method`], [`Integration`],
//! [`IntegrationResponse`], [`MethodResponse`], [`Deployment`], [`Stage`], [`GatewayResponse`],
//! [`RequestValidator`] and [`Model`].
//!
//! Field names follow the API Gateway REST API reference (https://docs.aws.amazon.com/apigateway/latest/api/),
//! in snake case. Maps keep insertion order (`IndexMap`) because AWS's own order shows in exports and logs.

use crate::apigateway::responses::GatewayResponseType;
use indexmap::IndexMap;
use serde_json::Value as Json;
use std::sync::Arc;

/// An HTTP method as a method resource names it. `ANY` matches every method the gateway accepts.
/// Source: "PutMethod", httpMethod ("the HTTP verb ... or ANY").
pub const HTTP_METHODS: &[&str] = &["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "ANY"];

/// A REST API: its definition (what test-invoke sees), its deployments (immutable snapshots) and stages.
#[derive(Debug, Clone, PartialEq)]
pub struct RestApi {
    /// The 10-character id, e.g. `a1b2c3d4e5`.
    pub id: String,
    /// The API's name.
    pub name: String,
    /// The description, if any.
    pub description: Option<String>,
    /// The current, undeployed definition.
    pub definition: ApiDefinition,
    /// Deployments by id, in creation order.
    pub deployments: IndexMap<String, Deployment>,
    /// Stages by name, in creation order.
    pub stages: IndexMap<String, Stage>,
}

/// Everything a deployment freezes: the resource tree with its methods, the models, validators and gateway
/// responses. Source: "Deploying a REST API in API Gateway" (a deployment is a snapshot of the API's resources
/// and methods; changes are invisible to callers until the API is redeployed).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ApiDefinition {
    /// The id of the root resource `/`.
    pub root_resource_id: String,
    /// Resources by id, in creation order.
    pub resources: IndexMap<String, Resource>,
    /// Models by name.
    pub models: IndexMap<String, Model>,
    /// Request validators by id.
    pub request_validators: IndexMap<String, RequestValidator>,
    /// Custom gateway responses by type.
    pub gateway_responses: IndexMap<GatewayResponseType, GatewayResponse>,
    /// `binaryMediaTypes`.
    pub binary_media_types: Vec<String>,
    /// `apiKeySource`: `HEADER` (the default) or `AUTHORIZER`.
    pub api_key_source: String,
}

/// A resource: one path part under its parent. Source: API reference, "Resource".
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The 6- or 10-character id.
    pub id: String,
    /// The parent's id; `None` for the root.
    pub parent_id: Option<String>,
    /// The last path part: a literal, `{name}` or `{name+}`; empty for the root.
    pub path_part: String,
    /// The full path, e.g. `/pets/{petId}`.
    pub path: String,
    /// Methods by HTTP method (`GET`, ..., `ANY`).
    pub resource_methods: IndexMap<String, Method>,
}

/// The kind of a path part. Source: "Set up a proxy integration with a proxy resource" (`{proxy+}` is greedy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart<'a> {
    /// A fixed segment.
    Literal(&'a str),
    /// `{name}`: any one segment.
    Variable(&'a str),
    /// `{name+}`: one or more segments.
    Greedy(&'a str),
}

impl Resource {
    /// What kind of path part this resource has.
    pub fn part(&self) -> PathPart<'_> {
        classify(&self.path_part)
    }
}

/// The kind of `path_part`.
pub fn classify(path_part: &str) -> PathPart<'_> {
    match path_part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
        Some(inner) => match inner.strip_suffix('+') {
            Some(name) => PathPart::Greedy(name),
            None => PathPart::Variable(inner),
        },
        None => PathPart::Literal(path_part),
    }
}

/// A method of a resource: its request side and its integration. Source: API reference, "Method".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Method {
    /// `GET`, `POST`, ..., or `ANY`.
    pub http_method: String,
    /// `NONE`, `AWS_IAM`, `CUSTOM` or `COGNITO_USER_POOLS`.
    pub authorization_type: String,
    /// Whether an API key is required.
    pub api_key_required: bool,
    /// `method.request.{path|querystring|header}.<name>` -> required.
    pub request_parameters: IndexMap<String, bool>,
    /// The request validator's id, if any.
    pub request_validator_id: Option<String>,
    /// Content type -> model name.
    pub request_models: IndexMap<String, String>,
    /// Method responses by status code.
    pub method_responses: IndexMap<String, MethodResponse>,
    /// The integration, once put.
    pub method_integration: Option<Integration>,
    /// `operationName`, if any.
    pub operation_name: Option<String>,
}

/// A method response. Source: API reference, "MethodResponse".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MethodResponse {
    /// The status code, e.g. `200`.
    pub status_code: String,
    /// `method.response.header.<name>` -> required.
    pub response_parameters: IndexMap<String, bool>,
    /// Content type -> model name.
    pub response_models: IndexMap<String, String>,
}

/// The integration type. Source: API reference, "Integration", `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegrationType {
    /// `MOCK`: no backend; the request template gives the status code.
    Mock,
    /// `AWS`: an AWS service (Lambda custom integration included).
    Aws,
    /// `AWS_PROXY`: Lambda proxy.
    AwsProxy,
    /// `HTTP`.
    Http,
    /// `HTTP_PROXY`.
    HttpProxy,
}

impl IntegrationType {
    /// Parses AWS's spelling (also the lowercase form OpenAPI extensions use).
    pub fn parse(s: &str) -> Option<IntegrationType> {
        Some(match s.to_ascii_uppercase().as_str() {
            "MOCK" => IntegrationType::Mock,
            "AWS" => IntegrationType::Aws,
            "AWS_PROXY" => IntegrationType::AwsProxy,
            "HTTP" => IntegrationType::Http,
            "HTTP_PROXY" => IntegrationType::HttpProxy,
            _ => return None,
        })
    }

    /// AWS's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            IntegrationType::Mock => "MOCK",
            IntegrationType::Aws => "AWS",
            IntegrationType::AwsProxy => "AWS_PROXY",
            IntegrationType::Http => "HTTP",
            IntegrationType::HttpProxy => "HTTP_PROXY",
        }
    }
}

/// What happens to a request body whose content type has no template.
/// Source: "Method request behavior for payloads without mapping templates".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PassthroughBehavior {
    /// Pass the body through when no template matches the content type (the default).
    #[default]
    WhenNoMatch,
    /// Pass through only when the integration defines no template at all; otherwise 415.
    WhenNoTemplates,
    /// Never pass through: 415 when no template matches.
    Never,
}

impl PassthroughBehavior {
    /// Parses `WHEN_NO_MATCH`, `WHEN_NO_TEMPLATES` or `NEVER` (any case, as OpenAPI files write them).
    pub fn parse(s: &str) -> Option<PassthroughBehavior> {
        Some(match s.to_ascii_uppercase().as_str() {
            "WHEN_NO_MATCH" => PassthroughBehavior::WhenNoMatch,
            "WHEN_NO_TEMPLATES" => PassthroughBehavior::WhenNoTemplates,
            "NEVER" => PassthroughBehavior::Never,
            _ => return None,
        })
    }

    /// AWS's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PassthroughBehavior::WhenNoMatch => "WHEN_NO_MATCH",
            PassthroughBehavior::WhenNoTemplates => "WHEN_NO_TEMPLATES",
            PassthroughBehavior::Never => "NEVER",
        }
    }
}

/// A method's integration. Source: API reference, "Integration".
#[derive(Debug, Clone, PartialEq)]
pub struct Integration {
    /// The type.
    pub integration_type: IntegrationType,
    /// The endpoint URI (an ARN for `AWS`/`AWS_PROXY`, a URL for `HTTP`); absent for `MOCK`.
    pub uri: Option<String>,
    /// `integrationHttpMethod`, e.g. `POST` for Lambda.
    pub http_method: Option<String>,
    /// `credentials`: the IAM role ARN API Gateway assumes to call an AWS service (`AWS` integrations), or
    /// `arn:aws:iam::*:user/*` for the caller's own credentials.
    pub credentials: Option<String>,
    /// Content type -> request template.
    pub request_templates: IndexMap<String, String>,
    /// `integration.request.*` -> source expression.
    pub request_parameters: IndexMap<String, String>,
    /// The passthrough behaviour.
    pub passthrough_behavior: PassthroughBehavior,
    /// `CONVERT_TO_BINARY` or `CONVERT_TO_TEXT`, if set.
    pub content_handling: Option<String>,
    /// The timeout, 50..=29000 ms (29000 by default).
    pub timeout_in_millis: u32,
    /// Integration responses by status code, in creation order.
    pub integration_responses: IndexMap<String, IntegrationResponse>,
}

/// The default integration timeout. Source: "Amazon API Gateway quotas" (integration timeout 50 ms - 29 s).
pub const DEFAULT_TIMEOUT_MILLIS: u32 = 29_000;

impl Integration {
    /// An integration of `integration_type` with AWS's defaults.
    pub fn new(integration_type: IntegrationType) -> Integration {
        Integration {
            integration_type,
            uri: None,
            http_method: None,
            credentials: None,
            request_templates: IndexMap::new(),
            request_parameters: IndexMap::new(),
            passthrough_behavior: PassthroughBehavior::default(),
            content_handling: None,
            timeout_in_millis: DEFAULT_TIMEOUT_MILLIS,
            integration_responses: IndexMap::new(),
        }
    }
}

/// An integration response. Source: API reference, "IntegrationResponse".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IntegrationResponse {
    /// The method response status code it maps to.
    pub status_code: String,
    /// The regular expression selecting it; `None` (or empty) for the default response.
    pub selection_pattern: Option<String>,
    /// Content type -> response template.
    pub response_templates: IndexMap<String, String>,
    /// `method.response.header.<name>` -> source expression.
    pub response_parameters: IndexMap<String, String>,
    /// `CONVERT_TO_BINARY` or `CONVERT_TO_TEXT`, if set.
    pub content_handling: Option<String>,
}

impl IntegrationResponse {
    /// Whether this is the default response (no selection pattern).
    pub fn is_default(&self) -> bool {
        self.selection_pattern.as_deref().is_none_or(str::is_empty)
    }
}

/// A deployment: an immutable snapshot of the API definition. Source: API reference, "Deployment".
#[derive(Debug, Clone, PartialEq)]
pub struct Deployment {
    /// The id.
    pub id: String,
    /// The description, if any.
    pub description: Option<String>,
    /// Creation time, virtual milliseconds since the epoch.
    pub created_date: u64,
    /// The frozen definition (shared, never changed).
    pub snapshot: Arc<ApiDefinition>,
    /// The snapshot's resource tree, compiled for routing.
    pub router: Arc<crate::apigateway::router::Router>,
}

/// A stage: a name pointing at a deployment, with variables. Source: API reference, "Stage".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Stage {
    /// The stage name (the first path segment of the invoke URL).
    pub stage_name: String,
    /// The deployment it serves.
    pub deployment_id: String,
    /// The description, if any.
    pub description: Option<String>,
    /// Stage variables.
    pub variables: IndexMap<String, String>,
}

/// A custom gateway response. Source: API reference, "GatewayResponse".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GatewayResponse {
    /// The status code; `None` keeps the type's default.
    pub status_code: Option<String>,
    /// `gatewayresponse.{header|path|querystring}.<name>` -> source expression.
    pub response_parameters: IndexMap<String, String>,
    /// Content type -> template.
    pub response_templates: IndexMap<String, String>,
}

/// A request validator. Source: API reference, "RequestValidator".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RequestValidator {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// Whether the body is validated against the method's request model.
    pub validate_request_body: bool,
    /// Whether required parameters are checked.
    pub validate_request_parameters: bool,
}

/// A model: a JSON Schema draft 4 for a content type. Source: API reference, "Model".
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The name (alphanumeric).
    pub name: String,
    /// The content type, e.g. `application/json`.
    pub content_type: String,
    /// The schema.
    pub schema: Json,
    /// The description, if any.
    pub description: Option<String>,
}

impl ApiDefinition {
    /// The resource whose full path is `path`.
    pub fn resource_by_path(&self, path: &str) -> Option<&Resource> {
        self.resources.values().find(|r| r.path == path)
    }

    /// The children of `parent_id`.
    pub fn children<'a>(&'a self, parent_id: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources
            .values()
            .filter(move |r| r.parent_id.as_deref() == Some(parent_id))
    }
}
