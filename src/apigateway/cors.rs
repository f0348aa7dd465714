//! CORS: the console's "Enable CORS" on a resource ([`enable_cors`]), and a browser's CORS check for callers
//! that play the browser ([`check`], [`fetch`]).
//!
//! "Enable CORS" source: "Enable CORS on a resource using the API Gateway console"
//! (https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors-console.html): it adds an `OPTIONS`
//! method with a MOCK integration (request template `{"statusCode": 200}`) whose 200 response sets
//! `Access-Control-Allow-Headers` (default `'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'`),
//! `Access-Control-Allow-Methods` (the chosen methods and `OPTIONS`, e.g. `'GET,OPTIONS'`) and
//! `Access-Control-Allow-Origin` (default `'*'`), declared on the method response; and it adds
//! `Access-Control-Allow-Origin` to the 200 method response and integration response of each chosen method that
//! has a non-proxy integration (a proxy integration's function must return the header itself, same page). With
//! the gateway-responses option it also sets the header on `DEFAULT_4XX` and `DEFAULT_5XX`. The methods are
//! listed in alphabetical order (what the console writes, e.g. `'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'`).
//!
//! Browser check source: the Fetch standard's CORS protocol (https://fetch.spec.whatwg.org/#http-cors-protocol):
//! a request needs a preflight unless its method is GET, HEAD or POST and its headers are CORS-safelisted
//! (`Accept`, `Accept-Language`, `Content-Language`, and `Content-Type` of `application/x-www-form-urlencoded`,
//! `multipart/form-data` or `text/plain`); the preflight must answer with an ok status (200-299), an allowed
//! origin, the method and every non-safelisted header name; the actual response must allow the origin. Requests
//! are taken as sent without credentials, so `*` is accepted. The reasons are Chrome's console messages.

use crate::apigateway::errors::ApiGatewayError;
use crate::apigateway::http::{HttpRequest, HttpResponse};
use crate::apigateway::invoke::{execute, NotSimulated};
use crate::apigateway::model::{
    GatewayResponse, Integration, IntegrationResponse, IntegrationType, Method, MethodResponse, RestApi,
};
use crate::apigateway::responses::GatewayResponseType;
use crate::cloud::Cloud;

/// The console's default `Access-Control-Allow-Headers`.
pub const DEFAULT_ALLOW_HEADERS: &str = "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token";

/// The choices of the console's "Enable CORS" form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorsOptions {
    /// The methods to allow, besides `OPTIONS` (the console ticks every method of the resource).
    pub methods: Vec<String>,
    /// `Access-Control-Allow-Headers`.
    pub allow_headers: String,
    /// `Access-Control-Allow-Origin`.
    pub allow_origin: String,
    /// Also set the origin on the `DEFAULT_4XX` and `DEFAULT_5XX` gateway responses.
    pub gateway_responses: bool,
}

impl CorsOptions {
    /// The console's defaults for a resource whose methods are `methods`.
    pub fn console_defaults(methods: &[&str]) -> CorsOptions {
        CorsOptions {
            methods: methods.iter().map(|m| m.to_string()).collect(),
            allow_headers: DEFAULT_ALLOW_HEADERS.to_string(),
            allow_origin: "*".to_string(),
            gateway_responses: false,
        }
    }
}

/// The methods "Enable CORS" writes into `Access-Control-Allow-Methods`: the ticked ones with `ANY` spelled out
/// as the console does (`DELETE,GET,HEAD,PATCH,POST,PUT`), plus `OPTIONS`, upper-case, sorted, each once.
pub fn allowed_methods(ticked: &[String]) -> Vec<String> {
    let mut methods: Vec<String> = ticked
        .iter()
        .flat_map(|m| match m.to_ascii_uppercase().as_str() {
            "ANY" => ["DELETE", "GET", "HEAD", "PATCH", "POST", "PUT"]
                .map(str::to_string)
                .to_vec(),
            other => vec![other.to_string()],
        })
        .collect();
    methods.push("OPTIONS".to_string());
    methods.sort();
    methods.dedup();
    methods
}

/// "Enable CORS" on resource `resource_id` of `api`.
///
/// Errors: an unknown resource (`NotFoundException: Invalid Resource identifier specified`), or AWS's errors of
/// the underlying `PutMethod` / `PutIntegration` calls.
pub fn enable_cors(api: &mut RestApi, resource_id: &str, options: &CorsOptions) -> Result<(), ApiGatewayError> {
    let resource = api
        .definition
        .resources
        .get(resource_id)
        .ok_or_else(|| crate::apigateway::errors::invalid_resource("PutMethod"))?;
    let methods = allowed_methods(&options.methods);
    let header = |name: &str| format!("method.response.header.{name}");
    let quoted = |value: &str| format!("'{value}'");
    if !resource.resource_methods.contains_key("OPTIONS") {
        api.put_method(
            resource_id,
            Method {
                http_method: "OPTIONS".to_string(),
                authorization_type: "NONE".to_string(),
                ..Method::default()
            },
        )?;
    }
    let names = [
        "Access-Control-Allow-Headers",
        "Access-Control-Allow-Methods",
        "Access-Control-Allow-Origin",
    ];
    api.put_method_response(
        resource_id,
        "OPTIONS",
        MethodResponse {
            status_code: "200".to_string(),
            response_parameters: names.iter().map(|n| (header(n), false)).collect(),
            response_models: [("application/json".to_string(), "Empty".to_string())]
                .into_iter()
                .collect(),
        },
    )?;
    let mut mock = Integration::new(IntegrationType::Mock);
    mock.request_templates
        .insert("application/json".to_string(), "{\"statusCode\": 200}".to_string());
    api.put_integration(resource_id, "OPTIONS", mock)?;
    let values = [
        quoted(&options.allow_headers),
        quoted(&methods.join(",")),
        quoted(&options.allow_origin),
    ];
    api.put_integration_response(
        resource_id,
        "OPTIONS",
        IntegrationResponse {
            status_code: "200".to_string(),
            response_parameters: names.iter().map(|n| header(n)).zip(values).collect(),
            ..IntegrationResponse::default()
        },
    )?;
    let origin = header("Access-Control-Allow-Origin");
    for method in options.methods.iter().map(|m| m.to_ascii_uppercase()) {
        let Some(existing) = api
            .definition
            .resources
            .get_mut(resource_id)
            .and_then(|r| r.resource_methods.get_mut(&method))
        else {
            continue;
        };
        let proxy = existing.method_integration.as_ref().is_some_and(|i| {
            matches!(
                i.integration_type,
                IntegrationType::AwsProxy | IntegrationType::HttpProxy
            )
        });
        if proxy {
            continue;
        }
        existing
            .method_responses
            .entry("200".to_string())
            .or_insert_with(|| MethodResponse {
                status_code: "200".to_string(),
                ..MethodResponse::default()
            })
            .response_parameters
            .insert(origin.clone(), false);
        if let Some(integration) = existing.method_integration.as_mut() {
            integration
                .integration_responses
                .entry("200".to_string())
                .or_insert_with(|| IntegrationResponse {
                    status_code: "200".to_string(),
                    ..IntegrationResponse::default()
                })
                .response_parameters
                .insert(origin.clone(), quoted(&options.allow_origin));
        }
    }
    if options.gateway_responses {
        for kind in [GatewayResponseType::DEFAULT_4XX, GatewayResponseType::DEFAULT_5XX] {
            let mut response: GatewayResponse =
                api.definition.gateway_responses.get(&kind).cloned().unwrap_or_default();
            response.response_parameters.insert(
                "gatewayresponse.header.Access-Control-Allow-Origin".to_string(),
                quoted(&options.allow_origin),
            );
            api.put_gateway_response(kind, response);
        }
    }
    Ok(())
}

/// A cross-origin request as a page's `fetch` makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossOriginRequest<'a> {
    /// The page's origin, e.g. `http://my-site.s3-website-us-east-1.amazonaws.com`.
    pub origin: &'a str,
    /// The URL fetched (for the messages).
    pub url: &'a str,
    /// The request (method, headers the page set, body).
    pub request: &'a HttpRequest,
}

/// Whether the browser must send a preflight `OPTIONS` first.
pub fn needs_preflight(request: &HttpRequest) -> bool {
    !matches!(request.method.as_str(), "GET" | "HEAD" | "POST") || !unsafe_headers(request).is_empty()
}

/// The request's header names that are not CORS-safelisted, lowercased and sorted (as a preflight's
/// `Access-Control-Request-Headers` lists them).
pub fn unsafe_headers(request: &HttpRequest) -> Vec<String> {
    let mut names: Vec<String> = request
        .headers
        .iter()
        .filter(|(k, v)| !safelisted(k, v))
        .map(|(k, _)| k.to_ascii_lowercase())
        .collect();
    names.sort();
    names.dedup();
    names
}

fn safelisted(name: &str, value: &str) -> bool {
    match name.to_ascii_lowercase().as_str() {
        "accept" | "accept-language" | "content-language" => true,
        "content-type" => {
            let media = crate::apigateway::invoke::integration_request::media_type(value);
            matches!(
                media.as_str(),
                "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain"
            )
        }
        _ => false,
    }
}

/// The preflight request a browser sends for `call`.
pub fn preflight_request(call: &CrossOriginRequest<'_>) -> HttpRequest {
    let mut headers = vec![
        ("Origin".to_string(), call.origin.to_string()),
        ("Access-Control-Request-Method".to_string(), call.request.method.clone()),
    ];
    let names = unsafe_headers(call.request);
    if !names.is_empty() {
        headers.push(("Access-Control-Request-Headers".to_string(), names.join(",")));
    }
    HttpRequest {
        method: "OPTIONS".to_string(),
        path: call.request.path.clone(),
        headers,
        body: String::new(),
    }
}

/// Whether the page may read the response, given the preflight's answer (when one was needed): `Err` with the
/// reason Chrome prints when it may not.
pub fn check(
    call: &CrossOriginRequest<'_>,
    preflight: Option<&HttpResponse>,
    response: Option<&HttpResponse>,
) -> Result<(), String> {
    let blocked = format!(
        "Access to fetch at '{}' from origin '{}' has been blocked by CORS policy: ",
        call.url, call.origin
    );
    if let Some(pre) = preflight {
        let prefix = format!("{blocked}Response to preflight request doesn't pass access control check: ");
        origin_allowed(pre, call.origin).map_err(|why| format!("{prefix}{why}"))?;
        if !(200..=299).contains(&pre.status_code) {
            return Err(format!("{prefix}It does not have HTTP ok status."));
        }
        let methods = list(pre.header("Access-Control-Allow-Methods"));
        let simple = matches!(call.request.method.as_str(), "GET" | "HEAD" | "POST");
        if !simple && !methods.iter().any(|m| m == "*" || m == &call.request.method) {
            return Err(format!(
                "{blocked}Method {} is not allowed by Access-Control-Allow-Methods in preflight response.",
                call.request.method
            ));
        }
        let allowed: Vec<String> = list(pre.header("Access-Control-Allow-Headers"))
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        if let Some(name) = unsafe_headers(call.request)
            .into_iter()
            .find(|name| !allowed.iter().any(|a| a == "*" || a == name))
        {
            return Err(format!(
                "{blocked}Request header field {name} is not allowed by Access-Control-Allow-Headers in preflight response."
            ));
        }
    }
    if let Some(response) = response {
        origin_allowed(response, call.origin).map_err(|why| format!("{blocked}{why}"))?;
    }
    Ok(())
}

fn origin_allowed(response: &HttpResponse, origin: &str) -> Result<(), String> {
    let values: Vec<&str> = response
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("Access-Control-Allow-Origin"))
        .map(|(_, v)| v.as_str())
        .collect();
    match values.as_slice() {
        [] => Err("No 'Access-Control-Allow-Origin' header is present on the requested resource.".to_string()),
        [one] if *one == "*" || *one == origin => Ok(()),
        [one] => Err(format!(
            "The 'Access-Control-Allow-Origin' header has a value '{one}' that is not equal to the supplied origin."
        )),
        many => Err(format!(
            "The 'Access-Control-Allow-Origin' header contains multiple values '{}', but only one is allowed.",
            many.join(", ")
        )),
    }
}

fn list(value: Option<&str>) -> Vec<String> {
    value
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// What a page's `fetch` gets.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchOutcome {
    /// The response, readable by the page.
    Readable(HttpResponse),
    /// The browser blocked it (the page sees a `TypeError: Failed to fetch`); the reason is the console's.
    Blocked {
        /// Chrome's console message.
        reason: String,
        /// The actual response, when the request was sent (the server did answer).
        response: Option<HttpResponse>,
    },
}

/// Sends `call` to API `api_id` as a browser does: the preflight first when needed (stopping there if it fails),
/// then the request with its `Origin` header, and checks the response.
///
/// Errors: a request reaching something not simulated.
pub fn fetch(cloud: &mut Cloud, api_id: &str, call: &CrossOriginRequest<'_>) -> Result<FetchOutcome, NotSimulated> {
    if needs_preflight(call.request) {
        let pre = execute(cloud, api_id, &preflight_request(call))?.response;
        if let Err(reason) = check(call, Some(&pre), None) {
            return Ok(FetchOutcome::Blocked { reason, response: None });
        }
    }
    let mut request = call.request.clone();
    request.headers.push(("Origin".to_string(), call.origin.to_string()));
    let response = execute(cloud, api_id, &request)?.response;
    Ok(match check(call, None, Some(&response)) {
        Ok(()) => FetchOutcome::Readable(response),
        Err(reason) => FetchOutcome::Blocked {
            reason,
            response: Some(response),
        },
    })
}
