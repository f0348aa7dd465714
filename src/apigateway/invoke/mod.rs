//! The request chain, one module per stage:
//! [`route`] -> [`method_request`] -> [`integration_request`] -> [`integration`] -> [`integration_response`] ->
//! [`method_response`]; a stage that fails hands a [`GatewayError`] to [`gateway_response`].
//!
//! [`execute`] runs a request against a deployed stage (the snapshot the stage serves, never the current
//! definition: "redeploy" matters). Test invoke ([`crate::apigateway::test_invoke`]) runs the same stages from
//! method request on, against the current definition. Every stage writes what it saw and produced into the
//! request's [`Trace`].

pub mod aws_service;
pub mod gateway_response;
pub mod http_integration;
pub mod integration;
pub mod integration_request;
pub mod integration_response;
pub mod lambda;
pub mod method_request;
pub mod method_response;
pub mod proxy_event;
pub mod proxy_response;
pub mod route;

use crate::apigateway::context::{context_json, ContextInput, RequestIds};
use crate::apigateway::http::{parse_query, split_invoke_path, HttpRequest, HttpResponse, MAX_PAYLOAD_BYTES};
use crate::apigateway::model::{ApiDefinition, Method};
use crate::apigateway::responses::GatewayResponseType;
use crate::apigateway::router::Router;
use crate::apigateway::trace::{FailureRecord, Trace};
use crate::apigateway::ApiGateway;
use crate::cloud::Cloud;
use crate::trace::{GatewayStage, SpanKind, SpanStatus};
use indexmap::IndexMap;
use serde_json::Value as Json;
use std::fmt;
use std::sync::Arc;

/// A feature the simulator does not model (design rule 5: unsupported is loud).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotSimulated(pub String);

impl fmt::Display for NotSimulated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not simulated: {}", self.0)
    }
}

impl std::error::Error for NotSimulated {}

/// Why a stage stopped the chain.
#[derive(Debug, Clone, PartialEq)]
pub enum ChainError {
    /// The gateway answers with a gateway response.
    Gateway(GatewayError),
    /// The request needs something not simulated.
    NotSimulated(NotSimulated),
}

/// A failure answered with a gateway response.
#[derive(Debug, Clone, PartialEq)]
pub struct GatewayError {
    /// The gateway response type.
    pub response_type: GatewayResponseType,
    /// `$context.error.message`.
    pub message: String,
    /// The execution-log line for it, if AWS writes one.
    pub log: Option<String>,
    /// The status when it is not the type's own (a Lambda proxy failure is a `DEFAULT_5XX` answered with 502);
    /// a custom gateway response's status code still wins.
    pub status: Option<u16>,
}

impl GatewayError {
    /// A failure of `response_type` with its default message.
    pub fn of(response_type: GatewayResponseType) -> GatewayError {
        GatewayError {
            response_type,
            message: response_type.default_message().to_string(),
            log: None,
            status: None,
        }
    }

    /// A 500 `Internal server error` for a configuration error, logged as AWS logs it:
    /// `Execution failed due to configuration error: <why>` (LocalStack's AWS-compared log strings).
    pub fn configuration(why: &str) -> GatewayError {
        GatewayError {
            response_type: GatewayResponseType::API_CONFIGURATION_ERROR,
            message: "Internal server error".to_string(),
            log: Some(format!("Execution failed due to configuration error: {why}")),
            status: None,
        }
    }

    /// A 502 `Internal server error` (a `DEFAULT_5XX` gateway response with status 502), logged with `log`: what a
    /// Lambda proxy integration answers for a function error or a malformed result (lambda-facts §5.3; SAM's
    /// `service_error_responses.py`; AWS-recorded execution logs in apigateway-facts (d)).
    pub fn bad_gateway(log: String) -> GatewayError {
        GatewayError {
            response_type: GatewayResponseType::DEFAULT_5XX,
            message: "Internal server error".to_string(),
            log: Some(log),
            status: Some(502),
        }
    }
}

impl From<GatewayError> for ChainError {
    fn from(e: GatewayError) -> ChainError {
        ChainError::Gateway(e)
    }
}

impl From<NotSimulated> for ChainError {
    fn from(e: NotSimulated) -> ChainError {
        ChainError::NotSimulated(e)
    }
}

/// The request as the method sees it, shared by every stage after routing.
#[derive(Debug, Clone)]
pub struct MethodCall<'a> {
    /// The definition in force (a deployment's snapshot, or the current one in test invoke).
    pub definition: &'a ApiDefinition,
    /// The method.
    pub method: &'a Method,
    /// The request's HTTP method.
    pub http_method: &'a str,
    /// The path after the stage, as sent (not decoded), e.g. `/pets/a%20b`.
    pub raw_path: &'a str,
    /// Path parameters.
    pub path_parameters: IndexMap<String, String>,
    /// Query string, every value per name.
    pub querystring: IndexMap<String, Vec<String>>,
    /// Query string, last value per name.
    pub querystring_single: IndexMap<String, String>,
    /// Headers as sent.
    pub headers: &'a [(String, String)],
    /// Headers, last value per name.
    pub headers_single: IndexMap<String, String>,
    /// The body.
    pub body: &'a str,
    /// Stage variables.
    pub stage_variables: &'a IndexMap<String, String>,
    /// `$context`, built on first use.
    pub context: LazyContext<'a>,
}

impl<'a> MethodCall<'a> {
    /// What parameter mapping expressions read (`method.request.*`, `stageVariables.*`, `context.*`), plus the
    /// integration response's headers and body when mapping a response.
    pub fn parameter_sources<'s>(
        &'s self,
        integration_response: Option<(&'s IndexMap<String, String>, &'s str)>,
    ) -> crate::apigateway::parameters::Sources<'s> {
        crate::apigateway::parameters::Sources {
            path: &self.path_parameters,
            querystring: &self.querystring,
            headers: self.headers,
            body: self.body,
            stage_variables: self.stage_variables,
            context: self.context.get(),
            integration_response,
        }
    }
}

/// `$context`, built the first time a template or mapping reads it: most MOCK templates never do, and building
/// it is the largest cost of a request.
#[derive(Debug, Clone)]
pub struct LazyContext<'a> {
    input: Option<ContextInput<'a>>,
    value: std::cell::OnceCell<Json>,
}

impl<'a> LazyContext<'a> {
    /// A context built from `input` when first read.
    pub fn new(input: ContextInput<'a>) -> LazyContext<'a> {
        LazyContext {
            input: Some(input),
            value: std::cell::OnceCell::new(),
        }
    }

    /// A context that is `value`.
    pub fn fixed(value: Json) -> LazyContext<'a> {
        LazyContext {
            input: None,
            value: std::cell::OnceCell::from(value),
        }
    }

    /// The request's ids, when the context is built from a request (not for a fixed context).
    pub fn ids(&self) -> Option<&'a RequestIds> {
        self.input.map(|input| input.ids)
    }

    /// `$context` as JSON.
    pub fn get(&self) -> &Json {
        self.value.get_or_init(|| match &self.input {
            Some(input) => context_json(input),
            None => Json::Object(serde_json::Map::new()),
        })
    }
}

/// A request's outcome: the response, and the trace of how it was produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    /// What the client receives.
    pub response: HttpResponse,
    /// What each stage saw and produced.
    pub trace: Trace,
}

/// Sends `request` to API `api_id` as a client calling its invoke URL
/// `https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}/...` would.
///
/// Errors: only [`NotSimulated`] (the request reached a feature the simulator does not model); every AWS error
/// is a response.
///
/// The request is traced as an API Gateway segment named `<api id>/<stage>` ([`crate::trace`]).
pub fn execute(cloud: &mut Cloud, api_id: &str, request: &HttpRequest) -> Result<Invocation, NotSimulated> {
    let kind = || {
        let target = split_invoke_path(&request.path);
        SpanKind::ApiRequest {
            api_id: api_id.to_string(),
            stage: target.stage.to_string(),
            http_method: request.method.clone(),
            path: target.path.to_string(),
        }
    };
    let status = |r: &Result<Invocation, NotSimulated>| match r {
        Ok(invocation) => SpanStatus::of_http(invocation.response.status_code),
        Err(_) => SpanStatus::Error,
    };
    crate::trace::traced(cloud, kind, |cloud| execute_untraced(cloud, api_id, request), status)
}

fn execute_untraced(cloud: &mut Cloud, api_id: &str, request: &HttpRequest) -> Result<Invocation, NotSimulated> {
    let now = cloud.clock.now_millis();
    let ids = RequestIds::draw(&mut cloud.ids, now);
    let mut trace = Trace {
        request_id: ids.request_id.clone(),
        time_millis: now,
        ..Trace::default()
    };
    if request.body.len() > MAX_PAYLOAD_BYTES {
        return Ok(Invocation {
            response: too_large(),
            trace,
        });
    }
    let target = split_invoke_path(&request.path);
    let deployed = cloud
        .service::<ApiGateway>()
        .and_then(|gw| gw.rest_apis.get(api_id))
        .and_then(|api| {
            let stage = api.stages.get(target.stage)?;
            let deployment = api.deployments.get(&stage.deployment_id)?;
            Some((
                Arc::clone(&deployment.snapshot),
                Arc::clone(&deployment.router),
                stage.variables.clone(),
                deployment.id.clone(),
            ))
        });
    let Some((definition, router, stage_variables, deployment_id)) = deployed else {
        // No such stage: AWS answers as for an unknown path. Not in AWS's reference; reported by users (e.g.
        // "API Gateway 403 Missing Authentication Token: Configuration Fixes", linden.consulting, 2026).
        let error = GatewayError::of(GatewayResponseType::MISSING_AUTHENTICATION_TOKEN);
        let response = gateway_response::render_default(&error, &ids);
        trace.failure = Some(failure_record(&error));
        return Ok(Invocation { response, trace });
    };
    let (account_id, region) = (cloud.account_id.clone(), cloud.region.clone());
    let site = Site {
        account_id: &account_id,
        region: &region,
        api_id,
        stage: target.stage,
        deployment_id: &deployment_id,
        stage_variables: &stage_variables,
    };
    let (querystring_single, querystring) = parse_query(target.query);
    let outcome = run(
        cloud,
        &site,
        &definition,
        &router,
        request,
        target.path,
        querystring,
        querystring_single,
        &ids,
        now,
        &mut trace,
    );
    let response = match outcome {
        Ok(response) => response,
        Err(ChainError::NotSimulated(e)) => return Err(e),
        Err(ChainError::Gateway(error)) => {
            trace.failure = Some(failure_record(&error));
            let sources = gateway_response::ErrorSources {
                headers: &request.headers,
                stage_variables: &stage_variables,
                context: Json::Null,
            };
            gateway_response::render(&definition, &error, &sources, &ids)?
        }
    };
    Ok(Invocation { response, trace })
}

/// Where a request runs: account, region, API, stage, deployment.
#[derive(Debug, Clone, Copy)]
pub struct Site<'a> {
    /// Account id.
    pub account_id: &'a str,
    /// Region.
    pub region: &'a str,
    /// API id.
    pub api_id: &'a str,
    /// Stage name.
    pub stage: &'a str,
    /// Deployment id.
    pub deployment_id: &'a str,
    /// Stage variables.
    pub stage_variables: &'a IndexMap<String, String>,
}

#[allow(clippy::too_many_arguments)]
fn run(
    cloud: &mut Cloud,
    site: &Site<'_>,
    definition: &ApiDefinition,
    router: &Router,
    request: &HttpRequest,
    path: &str,
    querystring: IndexMap<String, Vec<String>>,
    querystring_single: IndexMap<String, String>,
    ids: &RequestIds,
    now: u64,
    trace: &mut Trace,
) -> Result<HttpResponse, ChainError> {
    let routed = route::route(definition, router, &request.method, path, trace)?;
    let headers_single = crate::apigateway::http::single_headers(&request.headers);
    let full_path = format!("/{}{}", site.stage, if path == "/" { "" } else { path });
    let context = LazyContext::new(ContextInput {
        account_id: site.account_id,
        region: site.region,
        api_id: site.api_id,
        stage: site.stage,
        deployment_id: site.deployment_id,
        ids,
        resource_id: &routed.resource.id,
        resource_path: &routed.resource.path,
        http_method: &request.method,
        path: &full_path,
        now_millis: now,
        user_agent: user_agent(&request.headers),
    });
    let call = MethodCall {
        definition,
        method: routed.method,
        http_method: &request.method,
        raw_path: path,
        path_parameters: routed.path_parameters,
        querystring,
        querystring_single,
        headers: &request.headers,
        headers_single,
        body: &request.body,
        stage_variables: site.stage_variables,
        context,
    };
    let mut response = run_method(cloud, &call, trace)?;
    method_response::add_request_ids(&mut response, ids);
    Ok(response)
}

/// The last `User-Agent` header, if any.
pub fn user_agent(headers: &[(String, String)]) -> Option<&str> {
    headers
        .iter()
        .rev()
        .find(|(k, _)| k.eq_ignore_ascii_case("User-Agent"))
        .map(|(_, v)| v.as_str())
}

/// The stages after routing, shared by [`execute`] and test invoke. `cloud` is what the integration calls
/// (Lambda functions); a Lambda proxy integration's result is the method response itself, without the
/// integration response stage (source: "Set up Lambda proxy integrations in API Gateway").
///
/// Each stage is a span of the request's trace ([`crate::trace`]); a stage that fails ends its span with the
/// failure's status, and the stages after it do not appear.
pub fn run_method(cloud: &mut Cloud, call: &MethodCall<'_>, trace: &mut Trace) -> Result<HttpResponse, ChainError> {
    stage(cloud, GatewayStage::MethodRequest, |_| method_request::run(call, trace))?;
    let integration = call
        .method
        .method_integration
        .as_ref()
        .ok_or_else(|| GatewayError::configuration("No integration defined for method"))?;
    let request = stage(cloud, GatewayStage::IntegrationRequest, |_| {
        integration_request::run(call, integration, trace)
    })?;
    let outcome = stage(cloud, GatewayStage::Integration, |cloud| {
        integration::run(cloud, call, integration, &request, trace)
    })?;
    let output = match outcome {
        integration::Outcome::Endpoint(endpoint) => stage(cloud, GatewayStage::IntegrationResponse, |_| {
            integration_response::run(call, integration, &endpoint, trace)
        })?,
        integration::Outcome::Method(output) => output,
    };
    stage(cloud, GatewayStage::MethodResponse, |_| {
        Ok(method_response::run(output, trace))
    })
}

/// Runs one stage of the chain inside its trace span.
fn stage<T>(
    cloud: &mut Cloud,
    stage: GatewayStage,
    work: impl FnOnce(&mut Cloud) -> Result<T, ChainError>,
) -> Result<T, ChainError> {
    crate::trace::traced(
        cloud,
        || SpanKind::Gateway(stage),
        work,
        |r| match r {
            Ok(_) => SpanStatus::Ok,
            Err(ChainError::Gateway(e)) if e.response_type == GatewayResponseType::INTEGRATION_TIMEOUT => {
                SpanStatus::Timeout
            }
            Err(ChainError::Gateway(e)) if e.response_type == GatewayResponseType::THROTTLED => SpanStatus::Throttled,
            Err(_) => SpanStatus::Error,
        },
    )
}

/// The trace's record of a failure.
pub fn failure_record(error: &GatewayError) -> FailureRecord {
    FailureRecord {
        response_type: error.response_type,
        message: error.message.clone(),
        log: error.log.clone(),
    }
}

/// The answer to a body over 10 MB: 413 `HTTP content length exceeded 10485760 bytes.` as text, before the API
/// is consulted (a custom `REQUEST_TOO_LARGE` gateway response is not applied). Source: an AWS response recorded
/// in koki-develop/lgtm-generator#10 (`content-type: text; charset=utf-8`).
pub fn too_large() -> HttpResponse {
    HttpResponse {
        status_code: 413,
        headers: vec![("Content-Type".to_string(), "text; charset=utf-8".to_string())],
        body: format!("HTTP content length exceeded {MAX_PAYLOAD_BYTES} bytes."),
        is_base64_encoded: false,
    }
}
