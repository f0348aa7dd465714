//! API Gateway to Lambda (issue #6): custom (`AWS`) and proxy (`AWS_PROXY`) integrations, permissions, timeouts,
//! test-invoke logs, through templates and requests, with AWS's exact answers.

use serde_json::{json, Value};
use serverless_playground::apigateway::http::HttpRequest;
use serverless_playground::apigateway::invoke::{self, Invocation};
use serverless_playground::apigateway::test_invoke::{test_invoke_method, TestInvokeMethodRequest};
use serverless_playground::apigateway::ApiGateway;
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

/// One API with one method on `path_part` calling one function. `integration` is the YAML of the method's
/// `Integration` block (indented by 8); `permission` the `SourceArn` of the function's permission (none when
/// empty).
fn template(code: &str, path_part: &str, http_method: &str, integration: &str, source_arn: &str) -> String {
    let code: String = code.lines().map(|l| format!("          {l}\n")).collect();
    let permission = if source_arn.is_empty() {
        String::new()
    } else {
        format!(
            "  FnPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !GetAtt Fn.Arn
      Principal: apigateway.amazonaws.com
      SourceArn: !Sub {source_arn}
"
        )
    };
    format!(
        "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: lambda-api
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/r
      Timeout: 60
      Code:
        ZipFile: |
{code}
{permission}
  Res:
    Type: AWS::ApiGateway::Resource
    Properties:
      RestApiId: !Ref Api
      ParentId: !GetAtt Api.RootResourceId
      PathPart: '{path_part}'
  Meth:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Res
      HttpMethod: {http_method}
      AuthorizationType: NONE
      Integration:
{integration}
      MethodResponses:
        - StatusCode: '200'
        - StatusCode: '400'
        - StatusCode: '404'
  Deployment:
    Type: AWS::ApiGateway::Deployment
    DependsOn: [Meth]
    Properties:
      RestApiId: !Ref Api
      StageName: test
"
    )
}

const ALL_OF_API: &str = "arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*";

fn proxy_integration() -> String {
    "        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations"
        .to_string()
}

fn deploy(text: &str) -> (Cloud, String) {
    let mut cloud = Cloud::default();
    let stack = template::load("t.yaml", text, &LoadOptions::default(), &mut cloud).unwrap_or_else(|e| panic!("{e}"));
    cloud.deploy(&stack).unwrap_or_else(|e| panic!("{e}"));
    let api = stack
        .resources
        .iter()
        .find(|r| r.resource_type == "AWS::ApiGateway::RestApi")
        .map(|r| r.physical_id.clone())
        .unwrap();
    (cloud, api)
}

fn send(cloud: &mut Cloud, api: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Invocation {
    let request = HttpRequest {
        method: method.into(),
        path: path.into(),
        headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        body: body.into(),
    };
    invoke::execute(cloud, api, &request).unwrap_or_else(|e| panic!("{e}"))
}

fn proxy_api(code: &str) -> (Cloud, String) {
    deploy(&template(code, "{item}", "ANY", &proxy_integration(), ALL_OF_API))
}

#[test]
fn the_proxy_event_has_every_field_aws_sends() {
    let (mut cloud, api) =
        proxy_api("exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });");
    let r = send(
        &mut cloud,
        &api,
        "POST",
        "/test/a%20b?x=1&x=2&y=%C3%A9+z",
        &[("Content-Type", "text/plain"), ("X-Multi", "1"), ("x-multi", "2")],
        "raw body",
    );
    assert_eq!(r.response.status_code, 200);
    let e: Value = serde_json::from_str(&r.response.body).unwrap();
    assert_eq!(e["resource"], "/{item}");
    assert_eq!(e["path"], "/a b");
    assert_eq!(e["httpMethod"], "POST");
    assert_eq!(e["pathParameters"], json!({"item": "a%20b"}));
    assert_eq!(e["queryStringParameters"], json!({"x": "2", "y": "é z"}));
    assert_eq!(
        e["multiValueQueryStringParameters"],
        json!({"x": ["1", "2"], "y": ["é z"]})
    );
    assert_eq!(e["headers"]["X-Multi"], "2");
    assert_eq!(e["multiValueHeaders"]["X-Multi"], json!(["1", "2"]));
    assert_eq!(e["headers"]["Content-Type"], "text/plain");
    assert_eq!(
        e["headers"]["Host"],
        format!("{api}.execute-api.us-east-1.amazonaws.com")
    );
    assert_eq!(e["headers"]["X-Forwarded-Proto"], "https");
    assert_eq!(e["stageVariables"], Value::Null);
    assert_eq!(e["body"], "raw body");
    assert_eq!(e["isBase64Encoded"], false);
    let rc = &e["requestContext"];
    let keys: Vec<&str> = rc.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "resourceId",
            "resourcePath",
            "httpMethod",
            "extendedRequestId",
            "requestTime",
            "path",
            "accountId",
            "protocol",
            "stage",
            "domainPrefix",
            "requestTimeEpoch",
            "requestId",
            "identity",
            "domainName",
            "deploymentId",
            "apiId"
        ]
    );
    assert_eq!(rc["path"], "/test/a%20b");
    assert_eq!(rc["resourcePath"], "/{item}");
    assert_eq!(rc["httpMethod"], "POST");
    assert_eq!(rc["accountId"], "123456789012");
    assert_eq!(rc["apiId"], api.as_str());
    assert_eq!(rc["protocol"], "HTTP/1.1");
    assert_eq!(rc["requestId"], r.trace.request_id.as_str());
    assert_eq!(rc["identity"]["sourceIp"], "127.0.0.1");
    assert_eq!(rc["identity"].as_object().unwrap().len(), 12);
    assert_eq!(r.response.header("x-amzn-RequestId"), Some(r.trace.request_id.as_str()));
}

#[test]
fn whatever_a_proxy_handler_returns_gets_awss_answer() {
    let (mut cloud, api) = proxy_api(
        "exports.handler = async (event) => {
  switch (event.pathParameters.item) {
    case 'nothing': return;
    case 'null': return null;
    case 'string': return 'hello';
    case 'number': return 42;
    case 'cyclic': { const o = { statusCode: 200 }; o.self = o; return o; }
    case 'huge': return { statusCode: 200, body: 'x'.repeat(7000000) };
    case 'throws': throw new Error('boom\\nsecond line');
    case 'body-object': return { statusCode: 200, body: { a: 1 } };
    case 'multi': return { statusCode: 200, headers: { 'X-A': 'h', 'Set-Cookie': 'ignored' },
      multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, body: '' };
    case 'no-status': return { body: 'fine' };
    case 'text': return { statusCode: 418, headers: { 'Content-Type': 'text/plain' }, body: 'teapot' };
  }
};",
    );
    for item in [
        "nothing",
        "null",
        "string",
        "number",
        "cyclic",
        "huge",
        "throws",
        "body-object",
    ] {
        let r = send(&mut cloud, &api, "GET", &format!("/test/{item}"), &[], "");
        assert_eq!(r.response.status_code, 502, "{item}");
        assert_eq!(r.response.body, "{\"message\":\"Internal server error\"}", "{item}");
        assert_eq!(
            r.response.header("x-amzn-ErrorType"),
            Some("InternalServerErrorException"),
            "{item}"
        );
    }
    let thrown = send(&mut cloud, &api, "GET", "/test/throws", &[], "");
    let log = thrown.trace.failure.unwrap().log.unwrap();
    assert!(
        log.starts_with("Lambda execution failed with status 200 due to customer function error: boom\nsecond line. Lambda request id: "),
        "{log}"
    );
    let malformed = send(&mut cloud, &api, "GET", "/test/body-object", &[], "");
    assert_eq!(
        malformed.trace.failure.unwrap().log.unwrap(),
        "Execution failed due to configuration error: Malformed Lambda proxy response"
    );
    let multi = send(&mut cloud, &api, "GET", "/test/multi", &[], "").response;
    assert_eq!(multi.status_code, 200);
    let cookies: Vec<&str> = multi
        .headers
        .iter()
        .filter(|(k, _)| k == "Set-Cookie")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(cookies, ["a=1", "b=2"]);
    assert_eq!(multi.header("X-A"), Some("h"));
    assert_eq!(multi.header("Content-Type"), Some("application/json"));
    let r = send(&mut cloud, &api, "GET", "/test/no-status", &[], "").response;
    assert_eq!((r.status_code, r.body.as_str()), (200, "fine"));
    let r = send(&mut cloud, &api, "GET", "/test/text", &[], "").response;
    assert_eq!((r.status_code, r.body.as_str()), (418, "teapot"));
    assert_eq!(r.header("Content-Type"), Some("text/plain"));
}

#[test]
fn permissions_must_allow_api_gateway_from_the_calling_arn() {
    let code = "exports.handler = async () => ({ statusCode: 200, body: 'ok' });";
    for (source_arn, allowed) in [
        (ALL_OF_API, true),
        (
            "arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/test/GET/*",
            true,
        ),
        (
            "arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/t?st/GET/{?tem}",
            true,
        ),
        // The resource path template, not the path as sent.
        (
            "arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/test/GET/item",
            false,
        ),
        ("arn:aws:execute-api:*:*:${Api}/*/*/*", true),
        (
            "arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/prod/*",
            false,
        ),
        (
            "arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/test/POST/*",
            false,
        ),
        ("arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:other/*", false),
        ("arn:aws:execute-api:${AWS::Region}:999999999999:${Api}/*", false),
        ("", false),
    ] {
        let (mut cloud, api) = deploy(&template(code, "{item}", "ANY", &proxy_integration(), source_arn));
        let r = send(&mut cloud, &api, "GET", "/test/item", &[], "");
        if allowed {
            assert_eq!(r.response.status_code, 200, "{source_arn}");
        } else {
            assert_eq!(r.response.status_code, 500, "{source_arn}");
            assert_eq!(r.response.body, "{\"message\":\"Internal server error\"}");
            assert_eq!(
                r.trace.failure.unwrap().log.unwrap(),
                "Execution failed due to configuration error: Invalid permissions on Lambda function"
            );
        }
    }
}

fn custom_integration(extra: &str) -> String {
    format!(
        "        Type: AWS
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{Fn.Arn}}/invocations
        PassthroughBehavior: WHEN_NO_MATCH
{extra}"
    )
}

#[test]
fn custom_integrations_select_on_the_whole_error_message() {
    let code = "exports.handler = async (event) => {
  if (event.fail) { const e = new Error(event.fail); e.name = 'Oops'; throw e; }
  return { got: event };
};";
    let responses = "        IntegrationResponses:
          - StatusCode: '200'
          - StatusCode: '400'
            SelectionPattern: 'Bad.*'
            ResponseTemplates:
              application/json: '{\"type\": \"$input.path(''$.errorType'')\", \"msg\": \"$input.path(''$.errorMessage'')\"}'
          - StatusCode: '404'
            SelectionPattern: 'Missing'
            ResponseTemplates:
              application/json: |-
                #set($context.responseOverride.status = 410)
                #set($context.responseOverride.header.X-Why = \"gone\")
                gone";
    let (mut cloud, api) = deploy(&template(
        code,
        "op",
        "POST",
        &custom_integration(responses),
        ALL_OF_API,
    ));
    let post = |cloud: &mut Cloud, body: &str| send(cloud, &api, "POST", "/test/op", &[], body).response;
    let r = post(&mut cloud, "{\"a\": 1}");
    assert_eq!((r.status_code, r.body.as_str()), (200, "{\"got\":{\"a\":1}}"));
    let r = post(&mut cloud, "{\"fail\": \"Bad input\"}");
    assert_eq!(
        (r.status_code, r.body.as_str()),
        (400, "{\"type\": \"Oops\", \"msg\": \"Bad input\"}")
    );
    // `.` does not cross a line break, and the pattern must match the whole message: the default answers,
    // with the error object as the body.
    let r = post(&mut cloud, "{\"fail\": \"Bad\\ninput\"}");
    assert_eq!(r.status_code, 200);
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body["errorType"], "Oops");
    assert_eq!(body["errorMessage"], "Bad\ninput");
    let r = post(&mut cloud, "{\"fail\": \"Missing thing\"}");
    assert_eq!(r.status_code, 200);
    let r = post(&mut cloud, "{\"fail\": \"Missing\"}");
    assert_eq!((r.status_code, r.body.as_str()), (410, "gone"));
    assert_eq!(r.header("X-Why"), Some("gone"));
    // Not JSON after transformation: Lambda's 400, passed on.
    let r = post(&mut cloud, "name=ada");
    assert_eq!(r.status_code, 400);
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("Could not parse request body into json: "),
        "{body}"
    );
    // An empty body is the event `{}`.
    let r = post(&mut cloud, "");
    assert_eq!(r.body, "{\"got\":{}}");
}

#[test]
fn an_integration_timeout_is_504_endpoint_request_timed_out() {
    let code = "exports.handler = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, JSON.parse(event.body).ms));
  return { statusCode: 200, body: 'done' };
};";
    let mut integration = proxy_integration();
    integration.push_str("\n        TimeoutInMillis: 1000");
    let (mut cloud, api) = deploy(&template(code, "wait", "POST", &integration, ALL_OF_API));
    let r = send(&mut cloud, &api, "POST", "/test/wait", &[], "{\"ms\": 999}");
    assert_eq!((r.response.status_code, r.response.body.as_str()), (200, "done"));
    assert_eq!(r.trace.endpoint_response.unwrap().latency_millis, 999);
    let r = send(&mut cloud, &api, "POST", "/test/wait", &[], "{\"ms\": 1500}");
    assert_eq!(r.response.status_code, 504);
    assert_eq!(r.response.body, "{\"message\":\"Endpoint request timed out\"}");
    assert_eq!(
        r.response.header("x-amzn-ErrorType"),
        Some("InternalServerErrorException")
    );
    assert_eq!(
        r.trace.failure.unwrap().log.as_deref(),
        Some("Execution failed due to a timeout error")
    );
    // The default is 29 seconds.
    let (mut cloud, api) = deploy(&template(code, "wait", "POST", &proxy_integration(), ALL_OF_API));
    let r = send(&mut cloud, &api, "POST", "/test/wait", &[], "{\"ms\": 29000}");
    assert_eq!(r.response.status_code, 200);
    let r = send(&mut cloud, &api, "POST", "/test/wait", &[], "{\"ms\": 29001}");
    assert_eq!(r.response.status_code, 504);
}

/// The seed's Lambda lesson: a custom integration whose request template is `{"message": $input.body}`, changed
/// and redeployed; the stage keeps serving its deployment until then.
#[test]
fn the_courses_lambda_integration_works_and_needs_a_redeploy() {
    let code = "exports.handler = async (event) => ({ received: event });";
    let templates = "        RequestTemplates:
          application/json: |-
            {\"message\": $input.body}
        IntegrationResponses:
          - StatusCode: '200'";
    let (mut cloud, api) = deploy(&template(
        code,
        "message",
        "POST",
        &custom_integration(templates),
        ALL_OF_API,
    ));
    let r = send(
        &mut cloud,
        &api,
        "POST",
        "/test/message",
        &[("Content-Type", "application/json")],
        "\"hi\"",
    );
    assert_eq!(r.response.body, "{\"received\":{\"message\":\"hi\"}}");
    // Change the template on the current definition: the stage still serves the old deployment.
    let gw = cloud.service_mut::<ApiGateway>().unwrap();
    let rest_api = gw.rest_apis.get_mut(&api).unwrap();
    let resource = rest_api.definition.resource_by_path("/message").unwrap().id.clone();
    let integration = rest_api
        .definition
        .resources
        .get_mut(&resource)
        .unwrap()
        .resource_methods
        .get_mut("POST")
        .unwrap()
        .method_integration
        .as_mut()
        .unwrap();
    integration
        .request_templates
        .insert("application/json".into(), "{\"greeting\": $input.body}".into());
    let r = send(
        &mut cloud,
        &api,
        "POST",
        "/test/message",
        &[("Content-Type", "application/json")],
        "\"hi\"",
    );
    assert_eq!(r.response.body, "{\"received\":{\"message\":\"hi\"}}");
    // Test invoke runs the current definition.
    let t = test_invoke_method(
        &mut cloud,
        &api,
        &TestInvokeMethodRequest {
            resource_id: resource.clone(),
            http_method: "POST".into(),
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: "\"hi\"".into(),
            ..TestInvokeMethodRequest::default()
        },
    )
    .unwrap();
    assert_eq!(t.body, "{\"received\":{\"greeting\":\"hi\"}}");
    let gw = cloud.service_mut::<ApiGateway>().unwrap();
    let rest_api = gw.rest_apis.get_mut(&api).unwrap();
    rest_api.create_deployment("redeploy1", None, 0).unwrap();
    rest_api.update_stage_deployment("test", "redeploy1").unwrap();
    let r = send(
        &mut cloud,
        &api,
        "POST",
        "/test/message",
        &[("Content-Type", "application/json")],
        "\"hi\"",
    );
    assert_eq!(r.response.body, "{\"received\":{\"greeting\":\"hi\"}}");
}

fn log_lines(log: &str) -> Vec<&str> {
    log.lines()
        .skip(1)
        .map(|l| l.split_once(" : ").map_or(l, |(_, t)| t))
        .collect()
}

#[test]
fn test_invoke_logs_lambda_calls_as_aws_does() {
    let code = "exports.handler = async (event) => {
  if (event.fail || (event.body && JSON.parse(event.body).fail)) throw new Error('nope');
  return { statusCode: 200, body: 'hi' };
};";
    let responses = "        IntegrationResponses:\n          - StatusCode: '200'";
    let (mut cloud, api) = deploy(&template(
        code,
        "op",
        "POST",
        &custom_integration(responses),
        ALL_OF_API,
    ));
    let resource = cloud.service::<ApiGateway>().unwrap().rest_apis[&api]
        .definition
        .resource_by_path("/op")
        .unwrap()
        .id
        .clone();
    let request = TestInvokeMethodRequest {
        resource_id: resource,
        http_method: "POST".into(),
        body: "{\"a\": 1}".into(),
        ..TestInvokeMethodRequest::default()
    };
    let t = test_invoke_method(&mut cloud, &api, &request).unwrap();
    assert_eq!(t.status, 200, "{}", t.log);
    let lines = log_lines(&t.log);
    let function_arn = "arn:aws:lambda:us-east-1:123456789012:function:";
    let url_prefix = format!("https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/{function_arn}");
    let at = |prefix: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line {prefix}:\n{}", t.log))
    };
    assert!(at("Endpoint request URI: ").starts_with(&format!("Endpoint request URI: {url_prefix}")));
    assert!(at("Endpoint request URI: ").ends_with("/invocations"));
    let headers = at("Endpoint request headers: ");
    assert!(
        headers.starts_with(&format!(
            "Endpoint request headers: {{x-amzn-lambda-integration-tag={}, Authorization=*",
            t.trace.request_id
        )),
        "{headers}"
    );
    assert!(headers.contains(&format!(
        "X-Amz-Date=20260101T000000Z, x-amzn-apigateway-api-id={api}, Accept=application/json, User-Agent=AmazonAPIGateway_{api}, X-Amz-Security-Token="
    )));
    assert!(headers.ends_with(" [TRUNCATED]"));
    assert_eq!(
        at("Endpoint request body after transformations: "),
        &"Endpoint request body after transformations: {\"a\": 1}"
    );
    assert!(at("Sending request to ").starts_with(&format!("Sending request to {url_prefix}")));
    assert_eq!(
        at("Received response."),
        &"Received response. Status: 200, Integration latency: 0 ms"
    );
    let response_headers = at("Endpoint response headers: ");
    assert!(response_headers.starts_with(
        "Endpoint response headers: {Date=Thu, 01 Jan 2026 00:00:00 GMT, Content-Type=application/json, Content-Length=30, Connection=keep-alive, x-amzn-RequestId="
    ), "{response_headers}");
    assert!(response_headers
        .contains(", x-amzn-Remapped-Content-Length=0, X-Amz-Executed-Version=$LATEST, X-Amzn-Trace-Id="));
    assert_eq!(
        at("Endpoint response body before transformations: "),
        &"Endpoint response body before transformations: {\"statusCode\":200,\"body\":\"hi\"}"
    );
    assert_eq!(lines[lines.len() - 2], "Successfully completed execution");
    assert_eq!(lines[lines.len() - 1], "Method completed with status: 200");

    // A proxy integration whose function fails.
    let (mut cloud, api) = deploy(&template(code, "op", "POST", &proxy_integration(), ALL_OF_API));
    let resource = cloud.service::<ApiGateway>().unwrap().rest_apis[&api]
        .definition
        .resource_by_path("/op")
        .unwrap()
        .id
        .clone();
    let request = TestInvokeMethodRequest {
        resource_id: resource,
        http_method: "POST".into(),
        body: "{\"fail\": true}".into(),
        ..request
    };
    let t = test_invoke_method(&mut cloud, &api, &request).unwrap();
    assert_eq!(t.status, 502);
    let lines = log_lines(&t.log);
    let body_line = lines
        .iter()
        .find(|l| l.starts_with("Endpoint request body after transformations: "))
        .unwrap();
    let event: Value =
        serde_json::from_str(body_line.trim_start_matches("Endpoint request body after transformations: ")).unwrap();
    assert_eq!(event["requestContext"]["stage"], "test-invoke-stage");
    assert_eq!(event["body"], "{\"fail\": true}");
    let n = lines.len();
    assert!(lines[n - 3].starts_with(
        "Endpoint response body before transformations: {\"errorType\":\"Error\",\"errorMessage\":\"nope\""
    ));
    assert!(lines[n - 2].starts_with(
        "Lambda execution failed with status 200 due to customer function error: nope. Lambda request id: "
    ));
    assert_eq!(lines[n - 1], "Method completed with status: 502");

    // No permission: the failure line after the request lines, status 500.
    let (mut cloud, api) = deploy(&template(code, "op", "POST", &proxy_integration(), ""));
    let resource = cloud.service::<ApiGateway>().unwrap().rest_apis[&api]
        .definition
        .resource_by_path("/op")
        .unwrap()
        .id
        .clone();
    let t = test_invoke_method(
        &mut cloud,
        &api,
        &TestInvokeMethodRequest {
            resource_id: resource,
            ..request
        },
    )
    .unwrap();
    let lines = log_lines(&t.log);
    let n = lines.len();
    assert!(lines[n - 3].starts_with("Sending request to https://lambda.us-east-1.amazonaws.com/"));
    assert_eq!(
        lines[n - 2],
        "Execution failed due to configuration error: Invalid permissions on Lambda function"
    );
    assert_eq!(lines[n - 1], "Method completed with status: 500");
    assert_eq!(t.headers, json!({"x-amzn-ErrorType": "InternalServerErrorException"}));
}
