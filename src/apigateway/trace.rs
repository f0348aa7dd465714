//! The trace of one request: what each stage of the chain saw and produced. The test-invoke execution log, the
//! UI's "method execution" view and the tests all read this one record.

use crate::apigateway::responses::GatewayResponseType;
use indexmap::IndexMap;

/// One request's trace, stage by stage; a stage that did not run leaves its field `None`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Trace {
    /// `$context.requestId`.
    pub request_id: String,
    /// When the request arrived (virtual milliseconds).
    pub time_millis: u64,
    /// Routing.
    pub route: Option<RouteRecord>,
    /// Method request.
    pub method_request: Option<MethodRequestRecord>,
    /// Integration request.
    pub integration_request: Option<IntegrationRequestRecord>,
    /// The integration's (endpoint's) response.
    pub endpoint_response: Option<EndpointResponseRecord>,
    /// Integration response.
    pub integration_response: Option<IntegrationResponseRecord>,
    /// Method response.
    pub method_response: Option<MethodResponseRecord>,
    /// Why the request ended in a gateway response, if it did.
    pub failure: Option<FailureRecord>,
}

/// What routing found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RouteRecord {
    /// The request's HTTP method.
    pub http_method: String,
    /// The path after the stage.
    pub path: String,
    /// The matched resource id.
    pub resource_id: String,
    /// The matched resource's path template.
    pub resource_path: String,
    /// The method key that answered (`GET`, or `ANY`).
    pub method_key: String,
}

/// The method request as the method saw it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MethodRequestRecord {
    /// Path parameters.
    pub path: IndexMap<String, String>,
    /// Query string (last value per name).
    pub querystring: IndexMap<String, String>,
    /// Headers (last value per name).
    pub headers: IndexMap<String, String>,
    /// The body before transformations.
    pub body: String,
    /// The request validator applied, if any.
    pub validator: Option<String>,
}

/// The integration request as built.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IntegrationRequestRecord {
    /// `MOCK`, `AWS`, ...
    pub integration_type: String,
    /// The request's content type used to select a template.
    pub content_type: String,
    /// The template key used; `None` when the body passed through.
    pub template: Option<String>,
    /// The endpoint URI, stage variables substituted.
    pub uri: Option<String>,
    /// Endpoint request headers.
    pub headers: IndexMap<String, String>,
    /// Endpoint request query string.
    pub querystring: IndexMap<String, String>,
    /// The body after transformations.
    pub body: String,
}

/// What the integration answered.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EndpointResponseRecord {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: IndexMap<String, String>,
    /// Body before transformations.
    pub body: String,
    /// Integration latency (virtual milliseconds).
    pub latency_millis: u64,
}

/// Which integration response was chosen and what it produced.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IntegrationResponseRecord {
    /// The chosen integration response's status code.
    pub status_code: String,
    /// Its selection pattern (`None` for the default).
    pub selection_pattern: Option<String>,
    /// The response template key used, if any.
    pub template: Option<String>,
    /// The body after transformations.
    pub body: String,
    /// Mapped headers.
    pub headers: IndexMap<String, String>,
}

/// The method response sent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MethodResponseRecord {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: String,
}

/// A request that ended in a gateway response.
#[derive(Debug, Clone, PartialEq)]
pub struct FailureRecord {
    /// The gateway response type.
    pub response_type: GatewayResponseType,
    /// `$context.error.message`.
    pub message: String,
    /// The execution-log line AWS writes for it, if any (e.g. `Execution failed due to configuration error: ...`).
    pub log: Option<String>,
}
