//! The hosted website preview: a bucket's website endpoint shown in a sandboxed iframe, whose `fetch` and
//! `XMLHttpRequest` calls reach the simulated API with the browser's CORS rules applied.
//!
//! How it works:
//! - The page is what the website endpoint serves ([`crate::s3::website::get`], redirects within the account
//!   followed). Its stylesheets, scripts and images that live in a website bucket are fetched the same way and
//!   inlined as `data:` URLs, so the page needs no network.
//! - The page runs in `<iframe sandbox="allow-scripts" srcdoc=...>`: no `allow-same-origin`, so it has an opaque
//!   origin and cannot reach the playground's DOM or storage. A Content-Security-Policy put first in its head
//!   (`connect-src 'none'`) keeps it off the network.
//! - Before the page's own scripts, a fixed shim (`website_shim.js`) replaces `fetch` and `XMLHttpRequest`: each
//!   call is posted to the playground, which validates the message ([`parse_page_message`]), runs it through
//!   [`crate::apigateway::cors::fetch`] (preflight, `Origin`, Chrome's CORS messages) with the page's origin
//!   `http://<bucket>.s3-website-<region>.amazonaws.com`, and posts the answer back. A blocked call makes the
//!   page's `fetch` reject with `TypeError: Failed to fetch` (Chrome's message) and shows the reason beside the
//!   preview and in the logs drawer. Link clicks open the bucket's other pages in the preview.
//!
//! The page's scripts are the browser's business (sandboxed); handler code still runs only in the engine.

use super::route::Route;
use super::{App, Msg as AppMsg};
use crate::apigateway::cors::{self, CrossOriginRequest, FetchOutcome};
use crate::apigateway::http::{HttpRequest, HttpResponse};
use crate::s3::website;
use crate::Cloud;
use base64::Engine as _;
use serde_json::{json, Value as Json};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast as _;
use yew::html::Scope;
use yew::prelude::*;

/// The shim put first in every previewed page (fixed text).
pub const SHIM: &str = include_str!("website_shim.js");

/// The `channel` member of every message between the page and the playground.
pub const CHANNEL: &str = "serverless-playground-website";

/// The Content-Security-Policy of a previewed page: inline and `data:` scripts, styles and images, nothing else;
/// `connect-src 'none'` so that nothing but the shim's messages leaves the page.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval' data:; \
     style-src 'unsafe-inline' data:; img-src data:; font-src data:; media-src data:; connect-src 'none'; \
     form-action 'none'; frame-src 'none'; worker-src 'none'; base-uri 'none'";

/// The largest message the page may post, as JSON text: API Gateway's 10 MB payload and room for the rest.
pub const MAX_MESSAGE_CHARS: usize = crate::apigateway::http::MAX_PAYLOAD_BYTES + 64 * 1024;
/// The longest URL the page may ask for (Chrome's limit is larger; API Gateway's request line limit is 8 KB).
pub const MAX_URL_CHARS: usize = 8192;
/// The most headers a call may carry.
pub const MAX_HEADERS: usize = 100;
/// The most bytes of stylesheets, scripts and images inlined into one page.
pub const MAX_INLINED_BYTES: usize = 8 * 1024 * 1024;
/// The most redirects followed when opening a page (Chrome follows 20; a website bucket rarely needs two).
pub const MAX_REDIRECTS: usize = 5;
/// The most calls listed beside the preview.
const MAX_CALLS: usize = 50;

/// A message from the page, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageMessage {
    /// A `fetch` or `XMLHttpRequest` call.
    Fetch {
        /// The shim's id for the answer.
        id: u32,
        /// The method, as the page's `Request` normalised it.
        method: String,
        /// The absolute URL.
        url: String,
        /// The headers the page set (names lowercased by `Headers`).
        headers: Vec<(String, String)>,
        /// The body text.
        body: String,
    },
    /// A link click: open `url` in the preview.
    Navigate {
        /// The absolute URL.
        url: String,
    },
}

/// Reads a message posted by the page (as JSON). Anything else than the shim's two shapes, within the limits
/// above, is refused with the reason.
pub fn parse_page_message(value: &Json) -> Result<PageMessage, String> {
    if value.get("channel").and_then(Json::as_str) != Some(CHANNEL) {
        return Err("not a website preview message".into());
    }
    let url = value
        .get("url")
        .and_then(Json::as_str)
        .filter(|u| u.len() <= MAX_URL_CHARS)
        .ok_or("the url is missing or too long")?
        .to_string();
    match value.get("kind").and_then(Json::as_str) {
        Some("navigate") => Ok(PageMessage::Navigate { url }),
        Some("fetch") => {
            let id = value
                .get("id")
                .and_then(Json::as_u64)
                .and_then(|id| u32::try_from(id).ok())
                .ok_or("the id is not a small integer")?;
            let method = value
                .get("method")
                .and_then(Json::as_str)
                .filter(|m| !m.is_empty() && m.len() <= 32 && m.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-'))
                .ok_or("the method is not an HTTP method")?
                .to_string();
            let list = value.get("headers").and_then(Json::as_array).ok_or("no header list")?;
            if list.len() > MAX_HEADERS {
                return Err(format!("more than {MAX_HEADERS} headers"));
            }
            let mut headers = Vec::with_capacity(list.len());
            for pair in list {
                match pair.as_array().map(Vec::as_slice) {
                    Some([Json::String(name), Json::String(value)]) if name.len() <= 256 && value.len() <= 8192 => {
                        headers.push((name.clone(), value.clone()))
                    }
                    _ => return Err("a header is not a [name, value] pair of short strings".into()),
                }
            }
            let body = value
                .get("body")
                .and_then(Json::as_str)
                .ok_or("the body is not text")?
                .to_string();
            Ok(PageMessage::Fetch {
                id,
                method,
                url,
                headers,
                body,
            })
        }
        _ => Err("unknown message kind".into()),
    }
}

/// An absolute `http(s)` URL split into scheme, host (with any port) and path with query (`/` when empty).
pub fn split_url(url: &str) -> Option<(&str, &str, String)> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, tail) = rest.split_at(end);
    let tail = tail.split('#').next().unwrap_or("");
    let path = if tail.starts_with('/') {
        tail.to_string()
    } else {
        format!("/{tail}")
    };
    (!host.is_empty()).then_some((scheme, host, path))
}

/// The API id of an invoke URL's host, `<api-id>.execute-api.<region>.<suffix>`, in `cloud`'s region.
pub fn api_of_host(cloud: &Cloud, host: &str) -> Option<String> {
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    let tail = format!(".execute-api.{}.{}", cloud.region, cloud.url_suffix());
    host.strip_suffix(&tail)
        .filter(|id| !id.is_empty() && !id.contains('.'))
        .map(str::to_string)
}

/// The website endpoint URL of `bucket` at `path` (the page's address).
pub fn page_url(cloud: &Cloud, bucket: &str, path: &str) -> String {
    let host = website::endpoint_host(bucket, &cloud.region, cloud.url_suffix());
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    format!("http://{host}{path}")
}

/// Resolves a reference found in a page (`style.css`, `../a.js`, `/img/x.png`, `//host/p`, `http://host/p`)
/// against the page's path: the host (`None` for the page's own) and the path without query or fragment, with
/// `.` and `..` segments removed. `None` for references that are not fetched (`data:`, `#x`, `mailto:`, empty).
pub fn resolve_reference(page_path: &str, reference: &str) -> Option<(Option<String>, String)> {
    let reference = reference.trim();
    let lower = reference.to_ascii_lowercase();
    if reference.is_empty() || reference.starts_with('#') {
        return None;
    }
    let (host, path) = if let Some(rest) = reference.strip_prefix("//") {
        let url = format!("http://{rest}");
        let (_, host, path) = split_url(&url)?;
        (Some(host.to_string()), path)
    } else if lower.starts_with("http://") || lower.starts_with("https://") {
        let (_, host, path) = split_url(reference)?;
        (Some(host.to_string()), path)
    } else if lower
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|first| first.contains(':'))
    {
        // `data:`, `blob:`, `mailto:`, `javascript:` and other schemes.
        return None;
    } else if reference.starts_with('/') {
        (None, reference.to_string())
    } else {
        let folder = &page_path[..page_path.rfind('/').map_or(0, |i| i + 1)];
        (
            None,
            format!("{}{reference}", if folder.is_empty() { "/" } else { folder }),
        )
    };
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    for (index, part) in parts.iter().enumerate() {
        let last = index + 1 == parts.len();
        match *part {
            "." if last => segments.push(""),
            "." => {}
            ".." => {
                segments.pop();
                if last {
                    segments.push("");
                }
            }
            other => segments.push(other),
        }
    }
    Some((host, format!("/{}", segments.join("/"))))
}

/// Escapes text for an HTML attribute value in double quotes (or element text).
pub use crate::s3::website::escape_html;

/// `html` with the page's Content-Security-Policy and the shim put first (after a doctype, so that the page
/// keeps its standards mode; before `<html>`, which the parser then puts in the head).
pub fn inject_shim(html: &str, page_url: &str) -> String {
    let prelude = format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\"><script data-page-url=\"{}\">{SHIM}</script>",
        escape_html(PAGE_CSP),
        escape_html(page_url)
    );
    let trimmed = html.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let offset = html.len() - trimmed.len();
    if trimmed
        .get(..9)
        .is_some_and(|start| start.eq_ignore_ascii_case("<!doctype"))
    {
        if let Some(end) = trimmed.find('>') {
            let at = offset + end + 1;
            return format!("{}{prelude}{}", &html[..at], &html[at..]);
        }
    }
    format!("{prelude}{html}")
}

/// The attribute of each tag that names a subresource the page loads.
fn resource_attribute(tag: &str) -> Option<&'static str> {
    match tag {
        "script" | "img" | "source" | "audio" | "video" | "embed" | "track" => Some("src"),
        "link" => Some("href"),
        _ => None,
    }
}

/// `html` with the subresources of its tags (see [`resource_attribute`]) replaced by what `load` gives for their
/// value (a `data:` URL), left as written when `load` gives `None`. A small tag scanner: comments and the text
/// of `script`, `style`, `textarea` and `title` elements are skipped; malformed markup is copied as it is.
pub fn replace_resources(html: &str, load: &mut dyn FnMut(&str) -> Option<String>) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    let mut i = 0;
    while let Some(rel) = html.get(i..).and_then(|rest| rest.find('<')) {
        i += rel;
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(html.len(), |end| i + end + 3);
            continue;
        }
        let name_start = i + 1;
        let name_end = html[name_start..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(html.len(), |n| name_start + n);
        if name_end == name_start || !bytes[name_start].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let tag = html[name_start..name_end].to_ascii_lowercase();
        let wanted = resource_attribute(&tag);
        // The attributes, up to the tag's `>`.
        let mut j = name_end;
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            let attr_start = j;
            while j < bytes.len() && !bytes[j].is_ascii_whitespace() && !b"=>/".contains(&bytes[j]) {
                j += 1;
            }
            let attr = html[attr_start..j].to_ascii_lowercase();
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if bytes.get(j) != Some(&b'=') {
                continue;
            }
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let value_start = j;
            let (value, value_end) = match bytes.get(j) {
                Some(&quote) if quote == b'"' || quote == b'\'' => {
                    let end = html[j + 1..].find(quote as char).map_or(html.len(), |e| j + 1 + e);
                    (&html[j + 1..end], (end + 1).min(html.len()))
                }
                _ => {
                    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    (&html[value_start..j], j)
                }
            };
            j = value_end;
            if Some(attr.as_str()) == wanted {
                if let Some(replacement) = load(&value.replace("&amp;", "&")) {
                    out.push_str(&html[copied..value_start]);
                    out.push('"');
                    out.push_str(&escape_html(&replacement));
                    out.push('"');
                    copied = value_end;
                }
            }
        }
        i = (j + 1).min(html.len());
        if matches!(tag.as_str(), "script" | "style" | "textarea" | "title") {
            let close = format!("</{tag}");
            let lower = html[i..].to_ascii_lowercase();
            i = lower.find(&close).map_or(html.len(), |end| i + end);
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// A `data:` URL of `body` (base64), typed by the object's content type (made safe for a URL).
pub fn data_url(content_type: &str, body: &[u8]) -> String {
    let media: String = content_type
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "/+.-;= ".contains(*c))
        .collect::<String>()
        .replace(' ', "");
    let media = if media.is_empty() {
        "application/octet-stream".to_string()
    } else {
        media
    };
    format!(
        "data:{media};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(body)
    )
}

/// The response body's bytes.
fn body_bytes(response: &HttpResponse) -> Vec<u8> {
    if response.is_base64_encoded {
        base64::engine::general_purpose::STANDARD
            .decode(&response.body)
            .unwrap_or_default()
    } else {
        response.body.clone().into_bytes()
    }
}

/// The headers of a cross-origin response that a page may read: the CORS-safelisted response headers and those
/// named by `Access-Control-Expose-Headers` (Fetch standard, "CORS-safelisted response-header name").
pub fn exposed_headers(response: &HttpResponse) -> Vec<(String, String)> {
    const SAFELISTED: [&str; 7] = [
        "cache-control",
        "content-language",
        "content-length",
        "content-type",
        "expires",
        "last-modified",
        "pragma",
    ];
    let exposed: Vec<String> = response
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("Access-Control-Expose-Headers"))
        .flat_map(|(_, v)| v.split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .collect();
    response
        .headers
        .iter()
        .filter(|(k, _)| {
            let name = k.to_ascii_lowercase();
            SAFELISTED.contains(&name.as_str()) || exposed.iter().any(|e| e == "*" || *e == name)
        })
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect()
}

/// The reason phrase of an HTTP/1.1 status (S3 website endpoints speak HTTP/1.1; API Gateway answers browsers
/// over HTTP/2, which has no reason phrase, so API responses have an empty `statusText`).
fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        412 => "Precondition Failed",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        _ => "",
    }
}

/// One call the page made, as listed beside the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageCall {
    /// `GET https://...`.
    pub request: String,
    /// `200`, or the reason the browser blocked it.
    pub outcome: Result<u16, String>,
}

/// The page shown in the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The bucket whose website endpoint served it (after redirects).
    pub bucket: String,
    /// The path served (after redirects).
    pub path: String,
    /// The endpoint's status.
    pub status: u16,
    /// The document given to the iframe.
    pub srcdoc: String,
    /// What could not be shown as written (a missing stylesheet, a redirect out of the account).
    pub notes: Vec<String>,
}

/// The preview's state.
#[derive(Default)]
pub struct State {
    /// The iframe (the message listener answers its window only).
    pub frame: NodeRef,
    /// The page shown.
    pub page: Option<Page>,
    /// The page's calls, newest last.
    pub calls: Vec<PageCall>,
    /// Bumped by Reload so that the iframe is made again.
    pub generation: u32,
}

/// What the preview reacts to.
pub enum Msg {
    /// A validated message from the previewed page.
    FromPage(PageMessage),
    /// Load the page again (its scripts start over).
    Reload,
}

/// Listens to the window's `message` events, passing on the shim's messages from `frame`'s window only (any
/// other sender is ignored), validated by [`parse_page_message`].
pub(super) fn listen(link: Scope<App>, frame: NodeRef) -> Option<Closure<dyn FnMut(web_sys::MessageEvent)>> {
    let window = web_sys::window()?;
    let listener = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let Some(iframe) = frame.cast::<web_sys::HtmlIFrameElement>() else {
            return;
        };
        let Some(content) = iframe.content_window() else {
            return;
        };
        let from_frame = event
            .source()
            .is_some_and(|source| js_sys::Object::is(&source, content.as_ref()));
        if !from_frame {
            return;
        }
        let Ok(text) = js_sys::JSON::stringify(&event.data()) else {
            return;
        };
        let text = String::from(text);
        if text.len() > MAX_MESSAGE_CHARS {
            return;
        }
        let Ok(value) = serde_json::from_str::<Json>(&text) else {
            return;
        };
        if let Ok(message) = parse_page_message(&value) {
            link.send_message(AppMsg::Website(Msg::FromPage(message)));
        }
    });
    window
        .add_event_listener_with_callback("message", listener.as_ref().unchecked_ref())
        .ok()?;
    Some(listener)
}

/// Opens the route's page (called when the route changes or the account is deployed again).
pub(super) fn enter(app: &mut App) {
    let Route::Website { bucket, path } = app.route.clone() else {
        app.website.page = None;
        app.website.calls.clear();
        return;
    };
    app.website.calls.clear();
    app.website.page = app.deployed.as_mut().map(|d| open_page(&mut d.cloud, &bucket, &path));
}

/// Serves `path` from `bucket`'s website endpoint, following redirects inside the account, and makes the
/// iframe's document.
pub fn open_page(cloud: &mut Cloud, bucket: &str, path: &str) -> Page {
    let mut bucket = bucket.to_string();
    let mut path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    let mut notes = Vec::new();
    let mut response = website::get(cloud, &bucket, &path, &[]);
    for _ in 0..MAX_REDIRECTS {
        if !matches!(response.status_code, 301 | 302 | 303 | 307 | 308) {
            break;
        }
        let location = response.header("Location").unwrap_or_default().to_string();
        let here = page_url(cloud, &bucket, &path);
        let target = if location.contains("://") {
            split_url(&location).map(|(_, host, p)| (Some(host.to_string()), p))
        } else {
            resolve_reference(&path, &location)
        };
        let next = target.and_then(|(host, p)| match host {
            None => Some((bucket.clone(), p)),
            Some(host) => website::bucket_of_host(cloud, &host).map(|b| (b.to_string(), p)),
        });
        let Some((next_bucket, next_path)) = next else {
            notes.push(format!(
                "{here} redirects ({}) to {location}, outside the simulated account: not followed.",
                response.status_code
            ));
            break;
        };
        notes.push(format!("{here} redirects ({}) to {location}.", response.status_code));
        bucket = next_bucket;
        path = next_path;
        response = website::get(cloud, &bucket, &path, &[]);
    }
    let url = page_url(cloud, &bucket, &path);
    let body = body_bytes(&response);
    let is_html = response
        .header("Content-Type")
        .is_some_and(|t| t.to_ascii_lowercase().starts_with("text/html"));
    let srcdoc = if is_html {
        let html = String::from_utf8_lossy(&body).into_owned();
        let mut budget = MAX_INLINED_BYTES;
        let html = replace_resources(&html, &mut |reference| {
            inline(cloud, &bucket, &path, reference, &mut budget, &mut notes)
        });
        inject_shim(&html, &url)
    } else {
        let text = match std::str::from_utf8(&body) {
            Ok(text) => text.to_string(),
            Err(_) => format!(
                "({} bytes of {})",
                body.len(),
                response.header("Content-Type").unwrap_or("")
            ),
        };
        format!("<!DOCTYPE html><pre>{}</pre>", escape_html(&text))
    };
    Page {
        bucket,
        path,
        status: response.status_code,
        srcdoc,
        notes,
    }
}

/// The `data:` URL of a reference found in the page, when it names an object a website endpoint serves.
fn inline(
    cloud: &mut Cloud,
    bucket: &str,
    page_path: &str,
    reference: &str,
    budget: &mut usize,
    notes: &mut Vec<String>,
) -> Option<String> {
    let (host, path) = resolve_reference(page_path, reference)?;
    let target = match &host {
        None => bucket.to_string(),
        Some(host) => match website::bucket_of_host(cloud, host) {
            Some(b) => b.to_string(),
            None => {
                notes.push(format!(
                    "{reference}: only website buckets of the simulated account are reachable; not loaded."
                ));
                return Some("data:,".into());
            }
        },
    };
    let response = website::get(cloud, &target, &path, &[]);
    if response.status_code != 200 {
        notes.push(format!(
            "{reference}: {} from the website endpoint.",
            response.status_code
        ));
        return Some("data:,".into());
    }
    let body = body_bytes(&response);
    if body.len() > *budget {
        notes.push(format!(
            "{reference}: not loaded, the page's files exceed {MAX_INLINED_BYTES} bytes."
        ));
        return Some("data:,".into());
    }
    *budget -= body.len();
    Some(data_url(response.header("Content-Type").unwrap_or(""), &body))
}

/// Handles a message from the page.
pub(super) fn update(app: &mut App, msg: Msg) {
    match msg {
        Msg::Reload => {
            app.website.generation = app.website.generation.wrapping_add(1);
            enter(app);
        }
        Msg::FromPage(PageMessage::Navigate { url }) => navigate(app, &url),
        Msg::FromPage(PageMessage::Fetch {
            id,
            method,
            url,
            headers,
            body,
        }) => {
            let Some(page_bucket) = app.website.page.as_ref().map(|p| p.bucket.clone()) else {
                return;
            };
            let Some(deployed) = app.deployed.as_mut() else {
                return;
            };
            let request = HttpRequest {
                method: method.clone(),
                path: String::new(),
                headers,
                body,
            };
            let (answer, outcome, log) = page_fetch(&mut deployed.cloud, &page_bucket, &url, request);
            let title = format!("{method} {url}");
            let summary = match &outcome {
                Ok(status) => format!("{title} -> {status}"),
                Err(_) => format!("{title} -> blocked"),
            };
            // Not a CloudWatch log group: what the browser's console and network panel show for the page.
            app.log(format!("Browser console ({page_bucket} website)"), summary, log);
            app.website.calls.push(PageCall {
                request: title,
                outcome,
            });
            if app.website.calls.len() > MAX_CALLS {
                app.website.calls.remove(0);
            }
            let mut answer = answer;
            answer["channel"] = json!(CHANNEL);
            answer["id"] = json!(id);
            reply(&app.website.frame, &answer);
        }
    }
}

/// Posts `answer` to the iframe's window (`*`: a sandboxed page's origin is opaque, so it has no name).
fn reply(frame: &NodeRef, answer: &Json) {
    let Some(window) = frame
        .cast::<web_sys::HtmlIFrameElement>()
        .and_then(|f| f.content_window())
    else {
        return;
    };
    if let Ok(value) = js_sys::JSON::parse(&answer.to_string()) {
        let _ = window.post_message(&value, "*");
    }
}

/// A link in the page: another page of a website bucket opens in the preview (a new history entry); anything
/// else is listed as not followed.
fn navigate(app: &mut App, url: &str) {
    let target = app.deployed.as_ref().and_then(|d| {
        let (_, host, path) = split_url(url)?;
        let bucket = website::bucket_of_host(&d.cloud, host)?;
        Some(Route::Website {
            bucket: bucket.to_string(),
            path: path.split('?').next().unwrap_or("/").to_string(),
        })
    });
    match target {
        Some(route) => {
            if let Some(window) = web_sys::window() {
                let _ = window.location().set_hash(&route.href());
            }
        }
        None => app.website.calls.push(PageCall {
            request: format!("link to {url}"),
            outcome: Err("The preview opens only pages of the account's website buckets: not followed.".into()),
        }),
    }
}

/// Runs one call of a page served by `page_bucket`'s website endpoint, as the browser would: the answer for the
/// shim, the outcome for the list and the text for the logs drawer.
pub fn page_fetch(
    cloud: &mut Cloud,
    page_bucket: &str,
    url: &str,
    mut request: HttpRequest,
) -> (Json, Result<u16, String>, String) {
    let origin = format!(
        "http://{}",
        website::endpoint_host(page_bucket, &cloud.region, cloud.url_suffix())
    );
    // Chrome's console prints the CORS reason, then `<METHOD> <url> net::ERR_FAILED`.
    let method = request.method.clone();
    let blocked = |reason: String| {
        let log = format!("{reason}\n{method} {url} net::ERR_FAILED");
        (json!({ "ok": false }), Err(reason), log)
    };
    let Some((scheme, host, path)) = split_url(url) else {
        return blocked(format!("not simulated: fetching {url} (only http and https URLs are)"));
    };
    if let Some(api_id) = api_of_host(cloud, host) {
        if !scheme.eq_ignore_ascii_case("https") {
            return blocked(format!(
                "not simulated: {url} over http (API Gateway invoke URLs are https)"
            ));
        }
        request.path = path;
        let call = CrossOriginRequest {
            origin: &origin,
            url,
            request: &request,
        };
        return match cors::fetch(cloud, &api_id, &call) {
            Err(e) => blocked(e.to_string()),
            Ok(FetchOutcome::Blocked { reason, response }) => {
                let mut log = format!("{reason}\n{method} {url} net::ERR_FAILED");
                if let Some(response) = response {
                    log.push_str(&format!(
                        "\n\nThe API answered (the page cannot read it):\n{}",
                        response_text(&response)
                    ));
                }
                (json!({ "ok": false }), Err(reason), log)
            }
            Ok(FetchOutcome::Readable(response)) => {
                let answer = answer_json(&response, exposed_headers(&response), "");
                let status = response.status_code;
                (answer, Ok(status), response_text(&response))
            }
        };
    }
    if let Some(bucket) = website::bucket_of_host(cloud, host).map(str::to_string) {
        if request.method != "GET" {
            return blocked(format!(
                "not simulated: {} on a website endpoint (S3 website endpoints answer GET)",
                request.method
            ));
        }
        let response = website::get(cloud, &bucket, path.split('?').next().unwrap_or("/"), &request.headers);
        let reason_text = reason_phrase(response.status_code);
        if bucket == page_bucket {
            let headers: Vec<(String, String)> = response
                .headers
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
                .collect();
            let answer = answer_json(&response, headers, reason_text);
            return (answer, Ok(response.status_code), response_text(&response));
        }
        // Another bucket's endpoint is another origin; S3 CORS configurations are not simulated, so its
        // responses carry no Access-Control-Allow-Origin.
        let call = CrossOriginRequest {
            origin: &origin,
            url,
            request: &request,
        };
        return match cors::check(&call, None, Some(&response)) {
            Ok(()) => (
                answer_json(&response, exposed_headers(&response), reason_text),
                Ok(response.status_code),
                response_text(&response),
            ),
            Err(reason) => blocked(reason),
        };
    }
    blocked(format!(
        "not simulated: {url} (a page in the preview reaches only the account's API Gateway invoke URLs and \
         website endpoints)"
    ))
}

fn answer_json(response: &HttpResponse, headers: Vec<(String, String)>, status_text: &str) -> Json {
    let pairs: Vec<Json> = headers.into_iter().map(|(k, v)| json!([k, v])).collect();
    json!({
        "ok": true,
        "status": response.status_code,
        "statusText": status_text,
        "headers": pairs,
        "body": response.body,
        "base64": response.is_base64_encoded,
    })
}

fn response_text(response: &HttpResponse) -> String {
    let mut text = format!("HTTP {}\n", response.status_code);
    for (k, v) in &response.headers {
        text.push_str(&format!("{k}: {v}\n"));
    }
    text.push('\n');
    text.push_str(&response.body);
    text
}

/// The preview view.
pub(super) fn view(app: &App, link: &Scope<App>, bucket: &str) -> Html {
    let Some(deployed) = &app.deployed else {
        return html! { <section class="card"><p>{ "Nothing is deployed." }</p></section> };
    };
    let state = &app.website;
    let address = state
        .page
        .as_ref()
        .map(|p| page_url(&deployed.cloud, &p.bucket, &p.path))
        .unwrap_or_default();
    html! {
        <section class="card" id="website">
            <h2>{ "Website: " }<code>{ bucket }</code></h2>
            <p class="muted">{ "The bucket's website endpoint, shown in a sandboxed frame with no access to the playground. The page's fetch and XMLHttpRequest calls to the API's invoke URL reach the simulated API, with the browser's CORS rules." }</p>
            <div class="row">
                <label for="website-address">{ "Address" }</label>
                <input id="website-address" type="text" readonly=true value={ address } />
                <button id="website-reload" onclick={ link.callback(|_| AppMsg::Website(Msg::Reload)) }>{ "Reload" }</button>
                <a href={ Route::Bucket { bucket: bucket.to_string() }.href() }>{ "Objects" }</a>
            </div>
            if let Some(page) = &state.page {
                <p id="website-status" class="muted">{ format!("HTTP {}", page.status) }</p>
                if !page.notes.is_empty() {
                    <ul id="website-notes" class="notice warning">
                        { for page.notes.iter().map(|n| html! { <li>{ n }</li> }) }
                    </ul>
                }
                <iframe key={ state.generation.to_string() } id="website-frame" class="website-frame"
                    ref={ state.frame.clone() } title="Website preview" sandbox="allow-scripts"
                    srcdoc={ page.srcdoc.clone() } />
            }
            <h3>{ "Calls from the page" }</h3>
            if state.calls.is_empty() {
                <p class="empty">{ "The page has made no fetch or XMLHttpRequest call yet." }</p>
            } else {
                <ul id="website-calls" aria-live="polite">
                    { for state.calls.iter().map(|call| match &call.outcome {
                        Ok(status) => html! {
                            <li class="call ok"><code>{ &call.request }</code>{ format!(" → {status}") }</li>
                        },
                        Err(reason) => html! {
                            <li class="call blocked" role="alert"><code>{ &call.request }</code>
                                <span class="error">{ " → blocked: " }</span><span class="reason">{ reason }</span></li>
                        },
                    }) }
                </ul>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEMO: &str = include_str!("../../tests/fixtures/website-demo.yaml");

    fn demo() -> (Cloud, String) {
        let deployed = super::super::deploy("website-demo.yaml", DEMO).expect("the demo deploys");
        let api = deployed.summary.outputs[0].1.clone();
        let mut cloud = deployed.cloud;
        let caller = crate::api::Caller::root(&cloud.account_id);
        for (key, content_type, body) in [
            (
                "index.html",
                "text/html",
                "<!DOCTYPE html><link rel=stylesheet href=\"css/site.css\"><img src=\"missing.png\">",
            ),
            ("css/site.css", "text/css", "h1 { color: red }"),
        ] {
            let input = json!({"Bucket": "demo-site", "Key": key, "ContentType": content_type,
                "Body": base64::engine::general_purpose::STANDARD.encode(body)});
            let request = crate::api::ApiRequest {
                service: "s3",
                operation: "PutObject",
                input: &input,
                caller: &caller,
            };
            cloud.call(&request).expect("PutObject");
        }
        (cloud, api)
    }

    #[test]
    fn a_page_gets_its_files_inlined_and_the_shim_first() {
        let (mut cloud, _) = demo();
        let page = open_page(&mut cloud, "demo-site", "/");
        assert_eq!((page.status, page.path.as_str()), (200, "/"));
        let css = format!(
            "data:text/css;base64,{}",
            base64::engine::general_purpose::STANDARD.encode("h1 { color: red }")
        );
        assert!(
            page.srcdoc.contains(&format!("<link rel=stylesheet href=\"{css}\">")),
            "{}",
            page.srcdoc
        );
        assert!(page.srcdoc.contains("<img src=\"data:,\">"));
        assert!(page
            .srcdoc
            .starts_with("<!DOCTYPE html><meta http-equiv=\"Content-Security-Policy\""));
        assert!(page
            .srcdoc
            .contains("data-page-url=\"http://demo-site.s3-website-us-east-1.amazonaws.com/\""));
        assert_eq!(page.notes, vec!["missing.png: 403 from the website endpoint."]);
    }

    #[test]
    fn a_page_reads_an_api_that_allows_its_origin() {
        let (mut cloud, api) = demo();
        let request = HttpRequest {
            method: "GET".into(),
            ..HttpRequest::default()
        };
        let (answer, outcome, _) = page_fetch(&mut cloud, "demo-site", &format!("{api}/hello"), request);
        assert_eq!(outcome, Ok(200));
        assert_eq!(answer["ok"], json!(true));
        assert_eq!(answer["statusText"], json!(""));
        assert_eq!(answer["body"], json!(r#"{"message":"Hello from the simulated API"}"#));
        assert_eq!(answer["headers"], json!([["content-type", "application/json"]]));
    }

    #[test]
    fn a_call_without_cors_headers_is_blocked_with_chromes_message() {
        let (mut cloud, api) = demo();
        let url = format!("{api}/nocors");
        let request = HttpRequest {
            method: "GET".into(),
            ..HttpRequest::default()
        };
        let (answer, outcome, log) = page_fetch(&mut cloud, "demo-site", &url, request);
        assert_eq!(answer, json!({"ok": false}));
        let reason = format!(
            "Access to fetch at '{url}' from origin 'http://demo-site.s3-website-us-east-1.amazonaws.com' has been \
             blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
        );
        assert_eq!(outcome, Err(reason.clone()));
        assert!(
            log.starts_with(&format!("{reason}\nGET {url} net::ERR_FAILED")),
            "{log}"
        );
        // A non-simple request is stopped at its preflight (the API has no OPTIONS method).
        let request = HttpRequest {
            method: "GET".into(),
            headers: vec![("x-trace".into(), "1".into())],
            ..HttpRequest::default()
        };
        let (_, outcome, _) = page_fetch(&mut cloud, "demo-site", &format!("{api}/hello"), request);
        let reason = outcome.unwrap_err();
        assert!(
            reason.contains("Response to preflight request doesn't pass access control check"),
            "{reason}"
        );
        // Same-origin reads of the bucket need no CORS; other hosts are not reachable.
        let request = HttpRequest {
            method: "GET".into(),
            ..HttpRequest::default()
        };
        let (answer, outcome, _) = page_fetch(
            &mut cloud,
            "demo-site",
            "http://demo-site.s3-website-us-east-1.amazonaws.com/css/site.css",
            request.clone(),
        );
        assert_eq!((outcome, answer["statusText"].clone()), (Ok(200), json!("OK")));
        let (_, outcome, _) = page_fetch(&mut cloud, "demo-site", "https://example.com/", request);
        assert!(outcome.unwrap_err().starts_with("not simulated: https://example.com/"));
    }

    #[test]
    fn references_resolve_against_the_page() {
        assert_eq!(resolve_reference("/a/b.html", "c.css"), Some((None, "/a/c.css".into())));
        assert_eq!(
            resolve_reference("/a/", "../x/./y.js?v=1#z"),
            Some((None, "/x/y.js".into()))
        );
        assert_eq!(resolve_reference("/", "/img/p.png"), Some((None, "/img/p.png".into())));
        assert_eq!(
            resolve_reference("/", "//b.s3-website-us-east-1.amazonaws.com/k"),
            Some((Some("b.s3-website-us-east-1.amazonaws.com".into()), "/k".into()))
        );
        assert_eq!(resolve_reference("/", "../../.."), Some((None, "/".into())));
        for skipped in ["data:,x", "#top", "mailto:a@b", "javascript:alert(1)", " "] {
            assert_eq!(resolve_reference("/", skipped), None, "{skipped}");
        }
    }

    #[test]
    fn resources_are_replaced_and_text_is_not() {
        let html =
            "<!-- <img src=a> --><link rel=stylesheet href=s.css><script src='x.js'>var s = \"<img src=no>\";</script>\
                    <IMG alt=\"a>b\" SRC=\"p.png\"><a href=\"other.html\">o</a><img src>";
        let mut seen = Vec::new();
        let out = replace_resources(html, &mut |r| {
            seen.push(r.to_string());
            Some(format!("data:{r}"))
        });
        assert_eq!(seen, ["s.css", "x.js", "p.png"]);
        assert_eq!(
            out,
            "<!-- <img src=a> --><link rel=stylesheet href=\"data:s.css\"><script src=\"data:x.js\">var s = \"<img src=no>\";</script>\
             <IMG alt=\"a>b\" SRC=\"data:p.png\"><a href=\"other.html\">o</a><img src>"
        );
        // Broken markup is copied as it is.
        for broken in ["<", "<img src=\"x", "<script>", "<a b='", "<<>>", "<img src=x"] {
            let out = replace_resources(broken, &mut |_| None);
            assert_eq!(out, broken);
        }
    }

    #[test]
    fn no_markup_makes_the_scanner_panic() {
        // Every string over a small alphabet of markup pieces and multi-byte characters, up to length 4.
        let pieces = [
            "<", ">", "\"", "'", "=", " ", "a", "img", "src", "script", "!--", "-->", "é", "😀", "/",
        ];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let mut longer = Vec::new();
            for text in &texts {
                for piece in pieces {
                    longer.push(format!("{text}{piece}"));
                }
            }
            texts.extend(longer);
            texts.dedup();
        }
        for text in &texts {
            let out = replace_resources(text, &mut |r| Some(format!("x{r}")));
            assert!(out.len() >= text.len().saturating_sub(4), "{text:?} -> {out:?}");
            let _ = inject_shim(text, text);
            let _ = resolve_reference(text, text);
            let _ = split_url(text);
        }
    }

    #[test]
    fn the_shim_goes_after_the_doctype() {
        let page = inject_shim("<!DOCTYPE html>\n<html><head></head></html>", "http://b/\"x");
        assert!(
            page.starts_with("<!DOCTYPE html><meta http-equiv=\"Content-Security-Policy\""),
            "{page}"
        );
        assert!(page.contains("<script data-page-url=\"http://b/&quot;x\">"), "{page}");
        assert!(page.ends_with("</script>\n<html><head></head></html>"));
        assert!(inject_shim("<p>hi", "u").ends_with("</script><p>hi"));
        assert!(!SHIM.to_ascii_lowercase().contains("</script"));
    }

    #[test]
    fn page_messages_are_validated() {
        let fetch = json!({"channel": CHANNEL, "kind": "fetch", "id": 3, "method": "POST", "url": "https://a/b",
            "headers": [["content-type", "text/plain"]], "body": "x"});
        assert_eq!(
            parse_page_message(&fetch),
            Ok(PageMessage::Fetch {
                id: 3,
                method: "POST".into(),
                url: "https://a/b".into(),
                headers: vec![("content-type".into(), "text/plain".into())],
                body: "x".into()
            })
        );
        let mut bad = fetch.clone();
        bad["method"] = json!("GET /x HTTP/1.1");
        assert!(parse_page_message(&bad).is_err());
        let mut bad = fetch.clone();
        bad["headers"] = json!([["a"]]);
        assert!(parse_page_message(&bad).is_err());
        let mut bad = fetch.clone();
        bad["id"] = json!(-1);
        assert!(parse_page_message(&bad).is_err());
        let mut bad = fetch.clone();
        bad["url"] = json!("x".repeat(MAX_URL_CHARS + 1));
        assert!(parse_page_message(&bad).is_err());
        assert!(parse_page_message(&json!("hello")).is_err());
        assert!(parse_page_message(&json!({"channel": CHANNEL, "kind": "navigate", "url": 7})).is_err());
        assert_eq!(
            parse_page_message(&json!({"channel": CHANNEL, "kind": "navigate", "url": "http://x/"})),
            Ok(PageMessage::Navigate {
                url: "http://x/".into()
            })
        );
    }

    #[test]
    fn only_safelisted_and_exposed_headers_reach_a_cross_origin_page() {
        let response = HttpResponse {
            status_code: 200,
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("x-amzn-RequestId".into(), "r".into()),
                ("X-Custom".into(), "c".into()),
                ("Access-Control-Expose-Headers".into(), "x-custom".into()),
            ],
            body: String::new(),
            is_base64_encoded: false,
        };
        assert_eq!(
            exposed_headers(&response),
            vec![
                ("content-type".to_string(), "application/json".to_string()),
                ("x-custom".to_string(), "c".to_string())
            ]
        );
    }

    #[test]
    fn invoke_hosts_name_their_api() {
        let cloud = Cloud::default();
        assert_eq!(
            api_of_host(&cloud, "abc123.execute-api.us-east-1.amazonaws.com"),
            Some("abc123".into())
        );
        assert_eq!(api_of_host(&cloud, "abc.execute-api.eu-west-1.amazonaws.com"), None);
        assert_eq!(api_of_host(&cloud, "example.com"), None);
        assert_eq!(
            split_url("https://h.example:443?q=1#f"),
            Some(("https", "h.example:443", "/?q=1".to_string()))
        );
        assert_eq!(split_url("ftp://h/x"), None);
    }
}
