//! Static website hosting: a bucket's website configuration (PutBucketWebsite, GetBucketWebsite,
//! DeleteBucketWebsite; CloudFormation's `WebsiteConfiguration`), the website endpoint, and [`get`], which answers
//! an HTTP GET to the endpoint as S3 does: index documents, the folder redirect, routing rules, redirect-all,
//! the error document, and S3's own 403 and 404 pages.
//!
//! Sources (S3 user guide): "Website endpoints" (endpoint forms per region), "Configuring an index document"
//! (`/` and `folder/` serve the index; `folder` without a slash, when `folder/index.html` exists, is a 302 to
//! `folder/`), "Configuring a custom error document" (the status codes; the error document is served with the
//! error's status), "Configuring a webpage redirect" and "Setting up redirects with routing rules" (conditions and
//! redirects; the default redirect code is 301), "Setting permissions for website access" (the website endpoint
//! is anonymous: objects must be public through the bucket policy). The default error pages are byte for byte as
//! recorded from website endpoints (`curl` transcripts of 404 pages with and without a missing custom error
//! document); the 403 page has the same layout without a `Key` line.
//!
//! Not simulated: `If-Modified-Since` / `If-Unmodified-Since` on the website endpoint (answered 501), HEAD,
//! requests other than GET.

use super::bucket::{Bucket, Object};
use super::{authorized_bucket, bucket_arn, errors, S3};
use crate::api::{AwsError, Caller};
use crate::apigateway::http::HttpResponse;
use crate::cloud::Cloud;
use crate::iam::evaluate::{evaluate, Policies, Principal, Request};
use crate::iam::{Decision, RequestContext};
use base64::Engine;
use serde_json::{json, Map, Value as Json};

/// The regions whose website endpoint uses a dash (`s3-website-<region>`); all others use a dot
/// (`s3-website.<region>`). Source: "Website endpoints", Amazon S3 endpoints table.
pub const DASH_REGIONS: [&str; 9] = [
    "us-east-1",
    "us-west-1",
    "us-west-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "eu-west-1",
    "sa-east-1",
    "us-gov-west-1",
];

/// The website endpoint's host for `bucket`: `<bucket>.s3-website-<region>.<suffix>` or
/// `<bucket>.s3-website.<region>.<suffix>` ([`DASH_REGIONS`]).
pub fn endpoint_host(bucket: &str, region: &str, url_suffix: &str) -> String {
    if DASH_REGIONS.contains(&region) {
        format!("{bucket}.s3-website-{region}.{url_suffix}")
    } else {
        format!("{bucket}.s3-website.{region}.{url_suffix}")
    }
}

/// The bucket a website endpoint host names, if `host` is one of `cloud`'s region (a port is ignored).
pub fn bucket_of_host<'a>(cloud: &Cloud, host: &'a str) -> Option<&'a str> {
    let host = host.split(':').next().unwrap_or(host);
    let suffix = cloud.url_suffix();
    [
        format!(".s3-website-{}.{suffix}", cloud.region),
        format!(".s3-website.{}.{suffix}", cloud.region),
    ]
    .iter()
    .find_map(|tail| host.strip_suffix(tail.as_str()))
    .filter(|b| !b.is_empty())
}

/// A routing rule's redirect.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Redirect {
    /// `http` or `https`; the request's (`http`) when absent.
    pub protocol: Option<String>,
    /// The host; the request's when absent.
    pub host_name: Option<String>,
    /// Replaces the matched `KeyPrefixEquals` prefix.
    pub replace_key_prefix_with: Option<String>,
    /// Replaces the whole key.
    pub replace_key_with: Option<String>,
    /// The status; 301 when absent.
    pub http_redirect_code: Option<String>,
}

/// One routing rule: a condition and a redirect.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoutingRule {
    /// The key must start with this.
    pub key_prefix_equals: Option<String>,
    /// The request must have failed with this status (`404`).
    pub http_error_code_returned_equals: Option<String>,
    /// Where to send it.
    pub redirect: Redirect,
}

/// A bucket's website configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WebsiteConfiguration {
    /// `IndexDocument.Suffix`, e.g. `index.html`.
    pub index_suffix: Option<String>,
    /// `ErrorDocument.Key`, e.g. `error.html`.
    pub error_key: Option<String>,
    /// `RedirectAllRequestsTo`: host and protocol.
    pub redirect_all: Option<(String, Option<String>)>,
    /// `RoutingRules`, in order.
    pub routing_rules: Vec<RoutingRule>,
}

fn text(value: Option<&Json>) -> Option<String> {
    match value? {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl WebsiteConfiguration {
    /// From the API's shape (`IndexDocument.Suffix`, `ErrorDocument.Key`, `RedirectAllRequestsTo`,
    /// `RoutingRules[].Condition/Redirect`) or CloudFormation's (`IndexDocument`, `ErrorDocument` as strings,
    /// `RoutingRules[].RoutingRuleCondition/RedirectRule`).
    ///
    /// Errors: S3's `InvalidArgument` messages: a configuration with neither an index document nor a redirect-all,
    /// an index suffix that is empty or contains a slash ("PutBucketWebsite", "Configuring an index document").
    pub fn from_json(value: &Json) -> Result<WebsiteConfiguration, AwsError> {
        let index_suffix = text(value.pointer("/IndexDocument/Suffix")).or_else(|| text(value.get("IndexDocument")));
        let error_key = text(value.pointer("/ErrorDocument/Key")).or_else(|| text(value.get("ErrorDocument")));
        let redirect_all = value
            .get("RedirectAllRequestsTo")
            .and_then(|r| Some((text(r.get("HostName"))?, text(r.get("Protocol")))));
        let mut routing_rules = Vec::new();
        for rule in value.get("RoutingRules").and_then(Json::as_array).into_iter().flatten() {
            let condition = rule.get("Condition").or_else(|| rule.get("RoutingRuleCondition"));
            let redirect = rule.get("Redirect").or_else(|| rule.get("RedirectRule"));
            let Some(redirect) = redirect else {
                return Err(errors::invalid_argument("A routing rule must have a Redirect"));
            };
            routing_rules.push(RoutingRule {
                key_prefix_equals: text(condition.and_then(|c| c.get("KeyPrefixEquals"))),
                http_error_code_returned_equals: text(condition.and_then(|c| c.get("HttpErrorCodeReturnedEquals"))),
                redirect: Redirect {
                    protocol: text(redirect.get("Protocol")),
                    host_name: text(redirect.get("HostName")),
                    replace_key_prefix_with: text(redirect.get("ReplaceKeyPrefixWith")),
                    replace_key_with: text(redirect.get("ReplaceKeyWith")),
                    http_redirect_code: text(redirect.get("HttpRedirectCode")),
                },
            });
        }
        if index_suffix.is_none() && redirect_all.is_none() {
            return Err(errors::invalid_argument(
                "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty",
            ));
        }
        if let Some(suffix) = &index_suffix {
            if suffix.is_empty() || suffix.contains('/') {
                return Err(errors::invalid_argument("The IndexDocument Suffix is not well formed"));
            }
        }
        Ok(WebsiteConfiguration {
            index_suffix,
            error_key,
            redirect_all,
            routing_rules,
        })
    }

    /// The API's shape, as GetBucketWebsite answers.
    pub fn to_json(&self) -> Json {
        let mut out = Map::new();
        if let Some((host, protocol)) = &self.redirect_all {
            let mut r = json!({ "HostName": host });
            if let Some(p) = protocol {
                r["Protocol"] = json!(p);
            }
            out.insert("RedirectAllRequestsTo".into(), r);
        }
        if let Some(s) = &self.index_suffix {
            out.insert("IndexDocument".into(), json!({ "Suffix": s }));
        }
        if let Some(k) = &self.error_key {
            out.insert("ErrorDocument".into(), json!({ "Key": k }));
        }
        if !self.routing_rules.is_empty() {
            let rules: Vec<Json> = self
                .routing_rules
                .iter()
                .map(|r| {
                    let mut condition = Map::new();
                    if let Some(v) = &r.key_prefix_equals {
                        condition.insert("KeyPrefixEquals".into(), json!(v));
                    }
                    if let Some(v) = &r.http_error_code_returned_equals {
                        condition.insert("HttpErrorCodeReturnedEquals".into(), json!(v));
                    }
                    let mut redirect = Map::new();
                    let d = &r.redirect;
                    for (name, v) in [
                        ("HostName", &d.host_name),
                        ("HttpRedirectCode", &d.http_redirect_code),
                        ("Protocol", &d.protocol),
                        ("ReplaceKeyPrefixWith", &d.replace_key_prefix_with),
                        ("ReplaceKeyWith", &d.replace_key_with),
                    ] {
                        if let Some(v) = v {
                            redirect.insert(name.into(), json!(v));
                        }
                    }
                    let mut rule = Map::new();
                    if !condition.is_empty() {
                        rule.insert("Condition".into(), Json::Object(condition));
                    }
                    rule.insert("Redirect".into(), Json::Object(redirect));
                    Json::Object(rule)
                })
                .collect();
            out.insert("RoutingRules".into(), Json::Array(rules));
        }
        Json::Object(out)
    }
}

/// PutBucketWebsite: `{Bucket, WebsiteConfiguration}` -> `{}`; `s3:PutBucketWebsite`.
pub fn put_bucket_website(s3: &mut S3, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let (name, _) = authorized_bucket(s3, cloud, caller, input, "s3:PutBucketWebsite")?;
    let config = WebsiteConfiguration::from_json(input.get("WebsiteConfiguration").unwrap_or(&Json::Null))?;
    s3.bucket_mut(name)?.website = Some(config);
    Ok(json!({}))
}

/// GetBucketWebsite: `{Bucket}` -> the configuration; `s3:GetBucketWebsite`.
///
/// Errors: `NoSuchBucket`, `NoSuchWebsiteConfiguration`, `AccessDenied`.
pub fn get_bucket_website(s3: &mut S3, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let (_, bucket) = authorized_bucket(s3, cloud, caller, input, "s3:GetBucketWebsite")?;
    let config = bucket
        .website
        .as_ref()
        .ok_or_else(errors::no_such_website_configuration)?;
    Ok(config.to_json())
}

/// DeleteBucketWebsite: `{Bucket}` -> `{}` (204); `s3:DeleteBucketWebsite`.
pub fn delete_bucket_website(s3: &mut S3, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let (name, _) = authorized_bucket(s3, cloud, caller, input, "s3:DeleteBucketWebsite")?;
    s3.bucket_mut(name)?.website = None;
    Ok(json!({}))
}

/// Whether an anonymous request may perform `action` on `resource` by the bucket policy alone (the website
/// endpoint is unauthenticated). With the bucket's `RestrictPublicBuckets` block on, a public policy grants
/// anonymous principals nothing ("Blocking public access to your Amazon S3 storage").
pub fn anonymous_allowed(bucket: &Bucket, action: &str, resource: &str) -> bool {
    if bucket.public_access_block.restrict_public_buckets {
        return false;
    }
    let Some(policy) = &bucket.policy else {
        return false;
    };
    let principal = Principal::Aws {
        arn: "anonymous".to_string(),
        role_arn: None,
        account_id: String::new(),
    };
    let mut context = RequestContext::new();
    context.set("aws:SecureTransport", "false");
    let request = Request {
        principal: &principal,
        action,
        resource,
        context: &context,
    };
    let policies = Policies {
        resource: Some(&policy.document),
        ..Policies::default()
    };
    evaluate(&policies, &request).decision == Decision::Allow
}

/// `&`, `<`, `>`, `"` and `'` as HTML entities (for element text and double-quoted attribute values).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An error the website endpoint reports: status, code, message and the named item (`Key: k`,
/// `BucketName: b`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct PageError {
    status: u16,
    code: &'static str,
    message: &'static str,
    item: Option<(&'static str, String)>,
}

impl PageError {
    fn no_such_key(key: &str) -> PageError {
        PageError {
            status: 404,
            code: "NoSuchKey",
            message: "The specified key does not exist.",
            item: Some(("Key", key.to_string())),
        }
    }

    fn access_denied() -> PageError {
        PageError {
            status: 403,
            code: "AccessDenied",
            message: "Access Denied",
            item: None,
        }
    }

    fn list_items(&self) -> String {
        let mut out = format!("<li>Code: {}</li>\n<li>Message: {}</li>\n", self.code, self.message);
        if let Some((name, value)) = &self.item {
            out.push_str(&format!("<li>{name}: {}</li>\n", escape_html(value)));
        }
        out
    }
}

/// `404 Not Found`, `403 Forbidden`, ... the status line's words.
fn reason(status: u16) -> &'static str {
    match status {
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Error",
    }
}

/// `Mon, 05 Jan 2026 00:00:00 GMT` (RFC 9110 IMF-fixdate) for virtual milliseconds.
pub fn http_date(millis: u64) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

/// The headers every answer carries: `x-amz-id-2`, `x-amz-request-id`, `Date`, `Server: AmazonS3`.
fn base_headers(cloud: &mut Cloud) -> (Vec<(String, String)>, String, String) {
    let request_id = cloud.ids.string(16, b"0123456789ABCDEF");
    let host_id = cloud
        .ids
        .string(76, b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    let headers = vec![
        ("x-amz-id-2".to_string(), host_id.clone()),
        ("x-amz-request-id".to_string(), request_id.clone()),
        ("Date".to_string(), http_date(cloud.clock.now_millis())),
    ];
    (headers, request_id, host_id)
}

fn finish(mut headers: Vec<(String, String)>, status: u16, content_type: &str, body: &[u8]) -> HttpResponse {
    let length = body.len();
    let (body, is_base64_encoded) = match std::str::from_utf8(body) {
        Ok(text) => (text.to_string(), false),
        Err(_) => (base64::engine::general_purpose::STANDARD.encode(body), true),
    };
    if !content_type.is_empty() {
        headers.push(("Content-Type".to_string(), content_type.to_string()));
    }
    headers.push(("Content-Length".to_string(), length.to_string()));
    headers.push(("Server".to_string(), "AmazonS3".to_string()));
    HttpResponse {
        status_code: status,
        headers,
        body,
        is_base64_encoded,
    }
}

/// S3's own error page for `error`, with the section about a custom error document that could not be served.
fn error_page(cloud: &mut Cloud, error: &PageError, custom: Option<&PageError>) -> HttpResponse {
    let (headers, request_id, host_id) = base_headers(cloud);
    let title = format!("{} {}", error.status, reason(error.status));
    let mut body = format!(
        "<html>\n<head><title>{title}</title></head>\n<body>\n<h1>{title}</h1>\n<ul>\n{}<li>RequestId: {request_id}</li>\n<li>HostId: {host_id}</li>\n</ul>\n",
        error.list_items()
    );
    if let Some(custom) = custom {
        body.push_str(&format!(
            "<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n{}</ul>\n",
            custom.list_items()
        ));
    }
    body.push_str("<hr/>\n</body>\n</html>\n");
    finish(headers, error.status, "text/html; charset=utf-8", body.as_bytes())
}

fn redirect(cloud: &mut Cloud, status: u16, location: String) -> HttpResponse {
    let (mut headers, _, _) = base_headers(cloud);
    headers.push(("Location".to_string(), location));
    finish(headers, status, "", b"")
}

fn object_response(cloud: &mut Cloud, status: u16, object: &Object) -> HttpResponse {
    let (mut headers, _, _) = base_headers(cloud);
    headers.push((
        "Last-Modified".to_string(),
        http_date(object.last_modified_seconds() * 1000),
    ));
    headers.push(("ETag".to_string(), object.etag.clone()));
    for (name, value) in &object.metadata {
        headers.push((format!("x-amz-meta-{name}"), value.clone()));
    }
    for (member, header) in [
        ("CacheControl", "Cache-Control"),
        ("ContentDisposition", "Content-Disposition"),
        ("ContentEncoding", "Content-Encoding"),
        ("ContentLanguage", "Content-Language"),
    ] {
        if let Some(v) = object.headers.get(member) {
            headers.push((header.to_string(), v.clone()));
        }
    }
    finish(headers, status, &object.content_type, &object.body)
}

/// The first routing rule whose condition holds for `key` and the error status (`None` before any error).
fn matching_rule<'a>(config: &'a WebsiteConfiguration, key: &str, error: Option<u16>) -> Option<&'a RoutingRule> {
    config.routing_rules.iter().find(|rule| {
        let prefix_ok = rule.key_prefix_equals.as_deref().is_none_or(|p| key.starts_with(p));
        let code_ok = match (&rule.http_error_code_returned_equals, error) {
            (None, _) => true,
            (Some(code), Some(status)) => code.trim() == status.to_string(),
            (Some(_), None) => false,
        };
        prefix_ok && code_ok && (rule.key_prefix_equals.is_some() || rule.http_error_code_returned_equals.is_some())
    })
}

fn apply_rule(cloud: &mut Cloud, rule: &RoutingRule, key: &str, host: &str) -> HttpResponse {
    let r = &rule.redirect;
    let new_key = match (&r.replace_key_with, &r.replace_key_prefix_with) {
        (Some(k), _) => k.clone(),
        (None, Some(p)) => {
            let prefix = rule.key_prefix_equals.as_deref().unwrap_or("");
            format!("{p}{}", key.strip_prefix(prefix).unwrap_or(key))
        }
        (None, None) => key.to_string(),
    };
    let protocol = r.protocol.as_deref().unwrap_or("http");
    let host = r.host_name.as_deref().unwrap_or(host);
    let status = r
        .http_redirect_code
        .as_deref()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .unwrap_or(301);
    redirect(cloud, status, format!("{protocol}://{host}/{new_key}"))
}

/// Percent-decodes a request path into the key (`%20` is a space; `+` stays a plus in a path).
fn decode_path(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let path = path.strip_prefix('/').unwrap_or(path);
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes.get(i),
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (Some(b'%'), Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (Some(b), _, _) => {
                out.push(*b);
                i += 1;
            }
            (None, _, _) => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Looks `key` up for an anonymous reader: the object, or the error the endpoint reports.
fn read<'a>(bucket: &'a Bucket, cloud: &Cloud, key: &str) -> Result<&'a Object, PageError> {
    let allowed = anonymous_allowed(bucket, "s3:GetObject", &super::object_arn(cloud, &bucket.name, key));
    match bucket.objects.get(key) {
        Some(object) if allowed => Ok(object),
        // A missing key is a 404 only for readers who may also list the bucket: the rule of the REST endpoint
        // (GetObject API reference, Permissions), which the website endpoint is documented to share ("403
        // Forbidden ... an object that is not publicly readable"); the simulator's reading.
        None if allowed && anonymous_allowed(bucket, "s3:ListBucket", &bucket_arn(cloud, &bucket.name)) => {
            Err(PageError::no_such_key(key))
        }
        _ => Err(PageError::access_denied()),
    }
}

/// Answers `GET http://<host><path>` on a website endpoint with `headers` (`If-None-Match`, `If-Match`).
/// `host` is the endpoint host ([`endpoint_host`]) or a bucket name. Never fails: every error is an HTTP answer.
pub fn get(cloud: &mut Cloud, host: &str, path: &str, headers: &[(String, String)]) -> HttpResponse {
    let bucket_name = bucket_of_host(cloud, host).unwrap_or(host).to_string();
    let host = endpoint_host(&bucket_name, &cloud.region, cloud.url_suffix());
    // The bucket is copied out so that the Cloud stays free for ids; a website bucket is small.
    let Some(bucket) = cloud
        .service::<S3>()
        .and_then(|s3| s3.buckets.get(&bucket_name))
        .cloned()
    else {
        let error = PageError {
            status: 404,
            code: "NoSuchBucket",
            message: "The specified bucket does not exist",
            item: Some(("BucketName", bucket_name)),
        };
        return error_page(cloud, &error, None);
    };
    let Some(config) = bucket.website.clone() else {
        let error = PageError {
            status: 404,
            code: "NoSuchWebsiteConfiguration",
            message: "The specified bucket does not have a website configuration",
            item: Some(("BucketName", bucket_name)),
        };
        return error_page(cloud, &error, None);
    };
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    if header("If-Modified-Since").is_some() || header("If-Unmodified-Since").is_some() {
        let (h, _, _) = base_headers(cloud);
        let body = "not simulated: If-Modified-Since and If-Unmodified-Since on S3 website endpoints";
        return finish(h, 501, "text/plain", body.as_bytes());
    }
    let requested = decode_path(path);
    if let Some((to_host, protocol)) = &config.redirect_all {
        let protocol = protocol.as_deref().unwrap_or("http");
        return redirect(cloud, 301, format!("{protocol}://{to_host}/{requested}"));
    }
    if let Some(rule) = matching_rule(&config, &requested, None) {
        return apply_rule(cloud, rule, &requested, &host);
    }
    let index = config.index_suffix.clone().unwrap_or_default();
    let key = if requested.is_empty() || requested.ends_with('/') {
        format!("{requested}{index}")
    } else {
        requested.clone()
    };
    let error = match read(&bucket, cloud, &key) {
        Ok(object) => {
            if let Some(location) = object.headers.get("WebsiteRedirectLocation") {
                return redirect(cloud, 301, location.clone());
            }
            let mut conditions = Map::new();
            if let Some(v) = header("If-Match") {
                conditions.insert("IfMatch".into(), json!(v));
            }
            if let Some(v) = header("If-None-Match") {
                conditions.insert("IfNoneMatch".into(), json!(v));
            }
            return match super::conditional::check(&Json::Object(conditions), object) {
                Ok(()) => object_response(cloud, 200, object),
                Err(e) if e.status == 304 => {
                    let (h, _, _) = base_headers(cloud);
                    finish(h, 304, "", b"")
                }
                Err(_) => {
                    let (h, _, _) = base_headers(cloud);
                    finish(h, 412, "", b"")
                }
            };
        }
        Err(e) => e,
    };
    // `folder` without its slash: a 302 to `folder/` when the folder's index document exists.
    if !bucket.objects.contains_key(&key) && !key.ends_with('/') && !index.is_empty() {
        let folder_index = format!("{key}/{index}");
        if bucket.objects.contains_key(&folder_index) {
            return redirect(cloud, 302, format!("/{key}/"));
        }
    }
    if let Some(rule) = matching_rule(&config, &requested, Some(error.status)) {
        return apply_rule(cloud, rule, &requested, &host);
    }
    let Some(error_key) = &config.error_key else {
        return error_page(cloud, &error, None);
    };
    match read(&bucket, cloud, error_key) {
        Ok(document) => object_response(cloud, error.status, document),
        Err(custom) => error_page(cloud, &error, Some(&custom)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_use_a_dash_or_a_dot_by_region() {
        assert_eq!(
            endpoint_host("site", "us-east-1", "amazonaws.com"),
            "site.s3-website-us-east-1.amazonaws.com"
        );
        assert_eq!(
            endpoint_host("site", "eu-central-1", "amazonaws.com"),
            "site.s3-website.eu-central-1.amazonaws.com"
        );
        let cloud = Cloud::default();
        assert_eq!(
            bucket_of_host(&cloud, "site.s3-website-us-east-1.amazonaws.com"),
            Some("site")
        );
        assert_eq!(
            bucket_of_host(&cloud, "a.b.s3-website.us-east-1.amazonaws.com:80"),
            Some("a.b")
        );
        assert_eq!(bucket_of_host(&cloud, "example.com"), None);
    }

    #[test]
    fn configurations_read_the_api_and_cloudformation_shapes() {
        let api = json!({"IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "error.html"},
            "RoutingRules": [{"Condition": {"KeyPrefixEquals": "docs/"}, "Redirect": {"ReplaceKeyPrefixWith": "documents/"}}]});
        let cfn = json!({"IndexDocument": "index.html", "ErrorDocument": "error.html",
            "RoutingRules": [{"RoutingRuleCondition": {"KeyPrefixEquals": "docs/"}, "RedirectRule": {"ReplaceKeyPrefixWith": "documents/"}}]});
        let a = WebsiteConfiguration::from_json(&api).unwrap();
        assert_eq!(a, WebsiteConfiguration::from_json(&cfn).unwrap());
        assert_eq!(a.to_json(), api);
        assert_eq!(
            WebsiteConfiguration::from_json(&json!({})).unwrap_err().code,
            "InvalidArgument"
        );
    }

    #[test]
    fn paths_decode_into_keys() {
        assert_eq!(decode_path("/a%20b/c+d.html?x=1"), "a b/c+d.html");
        assert_eq!(decode_path("/%zz"), "%zz");
        assert_eq!(http_date(1_767_225_600_000), "Thu, 01 Jan 2026 00:00:00 GMT");
    }
}
