//! CORS (issue #6): the console's "Enable CORS" and a browser's check of what a page may read.

use serverless_playground::apigateway::cors::{self, CorsOptions, CrossOriginRequest, FetchOutcome};
use serverless_playground::apigateway::http::HttpRequest;
use serverless_playground::apigateway::invoke;
use serverless_playground::apigateway::ApiGateway;
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

const HELLO: &str = include_str!("fixtures/hello-world-mock.yaml");
const ORIGIN: &str = "http://site.s3-website-us-east-1.amazonaws.com";

fn deploy() -> (Cloud, String) {
    let mut cloud = Cloud::default();
    let stack = template::load("t.yaml", HELLO, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    (cloud, stack.resources[0].physical_id.clone())
}

fn enable_and_redeploy(cloud: &mut Cloud, api: &str, options: &CorsOptions) {
    let rest_api = cloud
        .service_mut::<ApiGateway>()
        .unwrap()
        .rest_apis
        .get_mut(api)
        .unwrap();
    let resource = rest_api.definition.resource_by_path("/message").unwrap().id.clone();
    cors::enable_cors(rest_api, &resource, options).unwrap();
    let id = format!("cors{}", rest_api.deployments.len());
    rest_api.create_deployment(&id, None, 0).unwrap();
    rest_api.update_stage_deployment("test", &id).unwrap();
}

fn request(method: &str, headers: &[(&str, &str)]) -> HttpRequest {
    HttpRequest {
        method: method.into(),
        path: "/test/message".into(),
        headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        body: String::new(),
    }
}

fn fetch(cloud: &mut Cloud, api: &str, request: &HttpRequest) -> FetchOutcome {
    let url = format!("https://{api}.execute-api.us-east-1.amazonaws.com/test/message");
    let call = CrossOriginRequest {
        origin: ORIGIN,
        url: &url,
        request,
    };
    cors::fetch(cloud, api, &call).unwrap()
}

fn blocked_reason(outcome: FetchOutcome) -> String {
    match outcome {
        FetchOutcome::Blocked { reason, .. } => reason,
        FetchOutcome::Readable(r) => panic!("readable: {r:?}"),
    }
}

#[test]
fn enable_cors_adds_the_options_mock_and_the_origin_header() {
    let (mut cloud, api) = deploy();
    enable_and_redeploy(&mut cloud, &api, &CorsOptions::console_defaults(&["GET"]));
    let pre = invoke::execute(&mut cloud, &api, &request("OPTIONS", &[]))
        .unwrap()
        .response;
    assert_eq!(pre.status_code, 200);
    assert_eq!(pre.body, "");
    assert_eq!(
        pre.header("Access-Control-Allow-Headers"),
        Some("Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token")
    );
    assert_eq!(pre.header("Access-Control-Allow-Methods"), Some("GET,OPTIONS"));
    assert_eq!(pre.header("Access-Control-Allow-Origin"), Some("*"));
    let get = invoke::execute(&mut cloud, &api, &request("GET", &[]))
        .unwrap()
        .response;
    assert_eq!(get.header("Access-Control-Allow-Origin"), Some("*"));
    assert_eq!(get.body, "{\"message\": \"Hello World!\"}");
    let mut any = CorsOptions::console_defaults(&["ANY"]);
    any.allow_origin = ORIGIN.to_string();
    any.gateway_responses = true;
    enable_and_redeploy(&mut cloud, &api, &any);
    let pre = invoke::execute(&mut cloud, &api, &request("OPTIONS", &[]))
        .unwrap()
        .response;
    assert_eq!(
        pre.header("Access-Control-Allow-Methods"),
        Some("DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT")
    );
    let mut missing = request("GET", &[]);
    missing.path = "/test/nowhere".into();
    let denied = invoke::execute(&mut cloud, &api, &missing).unwrap().response;
    assert_eq!(denied.status_code, 403);
    assert_eq!(denied.header("Access-Control-Allow-Origin"), Some(ORIGIN));
}

#[test]
fn the_browser_check_decides_like_chrome() {
    let (mut cloud, api) = deploy();
    let url = format!("https://{api}.execute-api.us-east-1.amazonaws.com/test/message");
    let blocked = format!("Access to fetch at '{url}' from origin '{ORIGIN}' has been blocked by CORS policy: ");
    // Without CORS: a simple GET reaches the API but cannot be read; a JSON POST fails its preflight.
    assert_eq!(
        blocked_reason(fetch(&mut cloud, &api, &request("GET", &[]))),
        format!("{blocked}No 'Access-Control-Allow-Origin' header is present on the requested resource.")
    );
    assert_eq!(
        blocked_reason(fetch(&mut cloud, &api, &request("POST", &[("Content-Type", "application/json")]))),
        format!("{blocked}Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.")
    );
    enable_and_redeploy(&mut cloud, &api, &CorsOptions::console_defaults(&["GET"]));
    match fetch(&mut cloud, &api, &request("GET", &[("Accept", "application/json")])) {
        FetchOutcome::Readable(r) => assert_eq!(r.body, "{\"message\": \"Hello World!\"}"),
        other => panic!("{other:?}"),
    }
    // A header the preflight does not allow, then a method it does not allow.
    assert_eq!(
        blocked_reason(fetch(&mut cloud, &api, &request("GET", &[("X-Custom", "1")]))),
        format!("{blocked}Request header field x-custom is not allowed by Access-Control-Allow-Headers in preflight response.")
    );
    assert_eq!(
        blocked_reason(fetch(
            &mut cloud,
            &api,
            &request("PUT", &[("Content-Type", "application/json")])
        )),
        format!("{blocked}Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.")
    );
    assert!(cors::needs_preflight(&request(
        "GET",
        &[("Content-Type", "application/json")]
    )));
    assert!(!cors::needs_preflight(&request(
        "POST",
        &[("Content-Type", "text/plain; charset=utf-8")]
    )));
}

/// SAM's `Cors` (here in `Globals.Api`, for the implicit `ServerlessRestApi`) adds an `OPTIONS` MOCK to each path
/// answering the `Access-Control-*` headers; the function still returns its own headers for other methods.
#[test]
fn sam_cors_adds_options_methods() {
    let text = r#"
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    Cors:
      AllowOrigin: "'https://example.com'"
      AllowHeaders: "'Content-Type'"
      MaxAge: "'600'"
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        exports.handler = async () => ({ statusCode: 200, headers: { 'Access-Control-Allow-Origin': 'https://example.com' }, body: 'ok' });
      Events:
        Get: {Type: Api, Properties: {Path: /items, Method: get}}
        Post: {Type: Api, Properties: {Path: /items, Method: post}}
        Any: {Type: Api, Properties: {Path: /all, Method: any}}
"#;
    let mut cloud = Cloud::default();
    let stack = template::load("t.yaml", text, &LoadOptions::default(), &mut cloud).unwrap_or_else(|e| panic!("{e}"));
    cloud.deploy(&stack).unwrap();
    let api = stack
        .resources
        .iter()
        .find(|r| r.logical_id == "ServerlessRestApi")
        .unwrap()
        .physical_id
        .clone();
    let mut pre = request("OPTIONS", &[]);
    pre.path = "/Prod/items".into();
    let r = invoke::execute(&mut cloud, &api, &pre).unwrap().response;
    assert_eq!(r.status_code, 200);
    assert_eq!(r.header("Access-Control-Allow-Origin"), Some("https://example.com"));
    assert_eq!(r.header("Access-Control-Allow-Headers"), Some("Content-Type"));
    assert_eq!(r.header("Access-Control-Allow-Methods"), Some("GET,OPTIONS,POST"));
    assert_eq!(r.header("Access-Control-Max-Age"), Some("600"));
    pre.path = "/Prod/all".into();
    let r = invoke::execute(&mut cloud, &api, &pre).unwrap().response;
    assert_eq!(
        r.header("Access-Control-Allow-Methods"),
        Some("DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT")
    );
    let mut post = request("POST", &[("Content-Type", "application/json")]);
    post.path = "/Prod/items".into();
    let url = format!("https://{api}.execute-api.us-east-1.amazonaws.com/Prod/items");
    let call = CrossOriginRequest {
        origin: "https://example.com",
        url: &url,
        request: &post,
    };
    match cors::fetch(&mut cloud, &api, &call).unwrap() {
        FetchOutcome::Readable(r) => assert_eq!(r.body, "ok"),
        other => panic!("{other:?}"),
    }
}
