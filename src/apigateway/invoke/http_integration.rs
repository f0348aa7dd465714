//! `HTTP` and `HTTP_PROXY` integrations whose URL is another API of the simulated account
//! (`https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}/...`): the request goes through that API's
//! chain as a client's would. Any other host is not simulated, loudly.
//!
//! Sources: "Set up HTTP integrations in API Gateway" and "Set up HTTP proxy integrations in API Gateway":
//! `HTTP_PROXY` passes the method request (method, headers, query string, body) to the URL and the endpoint's
//! status, headers and body back to the client unchanged; `HTTP` sends the integration request (mapped headers and
//! query string, the body after the request template) and its response goes through the integration responses,
//! whose selection patterns match the status code. The integration's `httpMethod` is used unless it is `ANY`,
//! which sends the request's own method. An endpoint slower than `timeoutInMillis` is 504 `Endpoint request timed
//! out` (as for Lambda).
//!
//! Our readings: the called API's `x-amzn-RequestId`, `x-amz-apigw-id` and `X-Amzn-Trace-Id` are not passed on
//! (the calling API adds its own); integrations nested deeper than [`MAX_DEPTH`] (an API calling itself) stop
//! loudly instead of looping until AWS's timeout.

use crate::apigateway::http::HttpRequest;
use crate::apigateway::invoke::integration::{EndpointResponse, Outcome, Selector};
use crate::apigateway::invoke::integration_request::IntegrationRequest;
use crate::apigateway::invoke::integration_response::MethodOutput;
use crate::apigateway::invoke::{execute, ChainError, GatewayError, MethodCall, NotSimulated};
use crate::apigateway::model::{Integration, IntegrationType};
use crate::apigateway::responses::GatewayResponseType;
use crate::apigateway::trace::{EndpointResponseRecord, Trace};
use crate::apigateway::ApiGateway;
use crate::cloud::Cloud;
use indexmap::IndexMap;
use std::cell::Cell;

/// How many HTTP integrations may call one another within one request.
pub const MAX_DEPTH: u32 = 8;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// An invoke URL split into the API id and the path with stage and query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvokeUrl {
    /// The host.
    pub host: String,
    /// The API id, when the host is an `execute-api` host of `region`.
    pub api_id: Option<String>,
    /// `/{stage}/...?...`.
    pub path: String,
}

/// Splits `url` (`http(s)://host/path?query`) for `region`.
pub fn parse_url(url: &str, region: &str) -> InvokeUrl {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    let (host, path) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let suffix = format!(".execute-api.{region}.amazonaws.com");
    let api_id = host
        .strip_suffix(suffix.as_str())
        .filter(|id| !id.is_empty() && !id.contains('.'))
        .map(str::to_string);
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    InvokeUrl {
        host: host.to_string(),
        api_id,
        path,
    }
}

/// Calls the HTTP endpoint of `integration`.
///
/// Errors: not simulated for a host outside the simulated account or nesting past [`MAX_DEPTH`]; 504 for an
/// endpoint slower than the integration timeout.
pub fn call(
    cloud: &mut Cloud,
    call: &MethodCall<'_>,
    integration: &Integration,
    request: &IntegrationRequest,
    trace: &mut Trace,
) -> Result<Outcome, ChainError> {
    let uri = request.uri.as_deref().unwrap_or_default();
    let url = parse_url(uri, &cloud.region);
    let known = url.api_id.as_deref().is_some_and(|id| {
        cloud
            .service::<ApiGateway>()
            .is_some_and(|gw| gw.rest_apis.contains_key(id))
    });
    // An S3 website endpoint of this account's region (a bucket serving a frontend) answers through
    // crate::s3::website, as a browser reaching it would be answered.
    let website = crate::s3::website::bucket_of_host(cloud, &url.host).is_some();
    let api_id = match url.api_id.filter(|_| known) {
        Some(id) => id,
        None if website => String::new(),
        None => {
            return Err(NotSimulated(format!(
                "HTTP integration to {} (only the invoke URLs of this account's APIs are simulated)",
                url.host
            ))
            .into())
        }
    };
    let method = match integration.http_method.as_deref() {
        None | Some("ANY") => call.http_method.to_string(),
        Some(m) => m.to_string(),
    };
    let mut path = url.path;
    let query: Vec<String> = request
        .querystring
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    if !query.is_empty() {
        path.push(if path.contains('?') { '&' } else { '?' });
        path.push_str(&query.join("&"));
    }
    let inner = HttpRequest {
        method,
        path,
        headers: request.headers.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        body: request.body.clone(),
    };
    let start = cloud.clock.now_millis();
    let response = if website {
        if inner.method != "GET" {
            return Err(NotSimulated(format!(
                "HTTP integration {} to an S3 website endpoint (only GET)",
                inner.method
            ))
            .into());
        }
        let response = crate::s3::website::get(cloud, &url.host, &inner.path, &inner.headers);
        if response.is_base64_encoded {
            return Err(NotSimulated("binary S3 website objects through an HTTP integration".to_string()).into());
        }
        response
    } else {
        call_api(cloud, &api_id, &inner)?
    };
    respond(cloud, integration, trace, response, start)
}

/// Sends `inner` through another API of the account, at most [`MAX_DEPTH`] deep.
fn call_api(
    cloud: &mut Cloud,
    api_id: &str,
    inner: &HttpRequest,
) -> Result<crate::apigateway::http::HttpResponse, ChainError> {
    let depth = DEPTH.with(Cell::get);
    if depth >= MAX_DEPTH {
        return Err(NotSimulated(format!("more than {MAX_DEPTH} HTTP integrations calling one another")).into());
    }
    DEPTH.with(|d| d.set(depth + 1));
    let outcome = execute(cloud, api_id, inner);
    DEPTH.with(|d| d.set(depth));
    Ok(outcome?.response)
}

/// The endpoint's response as the integration's outcome (after the timeout check).
fn respond(
    cloud: &Cloud,
    integration: &Integration,
    trace: &mut Trace,
    response: crate::apigateway::http::HttpResponse,
    start: u64,
) -> Result<Outcome, ChainError> {
    let latency = cloud.clock.now_millis().saturating_sub(start);
    if latency > u64::from(integration.timeout_in_millis) {
        return Err(GatewayError {
            log: Some("Execution failed due to a timeout error".to_string()),
            ..GatewayError::of(GatewayResponseType::INTEGRATION_TIMEOUT)
        }
        .into());
    }
    let headers: Vec<(String, String)> = response
        .headers
        .into_iter()
        .filter(|(k, _)| {
            !["x-amzn-RequestId", "x-amz-apigw-id", "X-Amzn-Trace-Id"]
                .iter()
                .any(|id| id.eq_ignore_ascii_case(k))
        })
        .collect();
    let single: IndexMap<String, String> = headers.iter().cloned().collect();
    trace.endpoint_response = Some(EndpointResponseRecord {
        status: response.status_code,
        headers: single.clone(),
        body: response.body.clone(),
        latency_millis: latency,
    });
    Ok(match integration.integration_type {
        IntegrationType::HttpProxy => Outcome::Method(MethodOutput {
            status: response.status_code,
            headers,
            body: response.body,
        }),
        _ => Outcome::Endpoint(EndpointResponse {
            status: response.status_code,
            headers: single,
            body: response.body,
            selector: Selector::StatusCode,
        }),
    })
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invoke_urls_name_their_api() {
        let u = parse_url(
            "https://abc123.execute-api.us-east-1.amazonaws.com/prod/pets?x=1",
            "us-east-1",
        );
        assert_eq!(u.api_id.as_deref(), Some("abc123"));
        assert_eq!(u.path, "/prod/pets?x=1");
        let u = parse_url("https://abc123.execute-api.eu-west-1.amazonaws.com/prod", "us-east-1");
        assert_eq!(u.api_id, None);
        let u = parse_url("http://example.com", "us-east-1");
        assert_eq!((u.host.as_str(), u.api_id, u.path.as_str()), ("example.com", None, "/"));
        assert_eq!(encode("a b/é"), "a%20b%2F%C3%A9");
    }
}
