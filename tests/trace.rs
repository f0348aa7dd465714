//! Issue 9's request traces: a SAM API (Lambda proxy) whose function writes to DynamoDB gives the span tree
//! X-Ray would draw, on the virtual clock: the API Gateway segment, its stages (a proxy integration has no
//! integration response stage: "Set up Lambda proxy integrations in API Gateway"), Lambda's segment with
//! `Initialization` on a cold start and `Invocation`, and the handler's `DynamoDB PutItem`, which takes
//! `SDK_CALL_LATENCY_MS` (5 ms).

use serverless_playground::apigateway::http::HttpRequest;
use serverless_playground::apigateway::invoke::execute;
use serverless_playground::apigateway::test_invoke::{test_invoke_method, TestInvokeMethodRequest};
use serverless_playground::apigateway::ApiGateway;
use serverless_playground::lambda::{self, InvocationType};
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::trace::{RequestTrace, SpanStatus};
use serverless_playground::Cloud;

const TEMPLATE: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Items:
    Type: AWS::Serverless::SimpleTable
    Properties:
      TableName: items
      PrimaryKey: {Name: id, Type: String}
  PutFn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: put-item
      Runtime: nodejs20.x
      Handler: index.handler
      Timeout: 1
      InlineCode: |
        const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
        const db = new DynamoDBClient({});
        exports.handler = async (event) => {
          if (event.path === '/slow') { await new Promise((r) => setTimeout(r, 5000)); }
          await db.send(new PutItemCommand({ TableName: 'items', Item: { id: { S: event.body || 'x' } } }));
          return { statusCode: 201, body: 'stored' };
        };
      Policies:
        - DynamoDBCrudPolicy:
            TableName: items
      Events:
        Put:
          Type: Api
          Properties:
            Path: /items
            Method: post
        Slow:
          Type: Api
          Properties:
            Path: /slow
            Method: get
"#;

fn deploy(tracing: bool) -> (Cloud, String) {
    let mut cloud = Cloud::default();
    cloud.traces.set_enabled(tracing);
    let stack = template::load("items.yaml", TEMPLATE, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    let api_id = cloud
        .service::<ApiGateway>()
        .unwrap()
        .rest_apis
        .keys()
        .next()
        .unwrap()
        .clone();
    (cloud, api_id)
}

fn post(cloud: &mut Cloud, api_id: &str, path: &str, body: &str) -> u16 {
    let request = HttpRequest {
        method: if path == "/slow" { "GET" } else { "POST" }.into(),
        path: format!("/Prod{path}"),
        headers: Vec::new(),
        body: body.into(),
    };
    execute(cloud, api_id, &request).unwrap().response.status_code
}

/// `(depth, name, detail, start offset ms, duration ms, status)`.
type Row = (usize, String, Option<String>, u64, u64, &'static str);

/// A [`Row`] per span, times relative to the root's start.
fn rows(trace: &RequestTrace) -> Vec<Row> {
    let t0 = trace.root().unwrap().start_ms;
    (0..trace.spans.len())
        .map(|i| {
            let s = &trace.spans[i];
            (
                trace.depth(i),
                s.name(),
                s.detail(),
                s.start_ms - t0,
                s.duration_ms(),
                s.status.label(),
            )
        })
        .collect()
}

fn row(depth: usize, name: &str, detail: Option<&str>, at: u64, took: u64, status: &'static str) -> Row {
    (depth, name.to_string(), detail.map(str::to_string), at, took, status)
}

#[test]
fn a_proxy_request_whose_function_puts_an_item_is_traced_span_by_span() {
    let (mut cloud, api_id) = deploy(true);
    let start = cloud.clock.now_millis();
    assert_eq!(post(&mut cloud, &api_id, "/items", "a"), 201);
    let trace = cloud.traces.latest().unwrap();
    assert_eq!(trace.root().unwrap().start_ms, start);
    let segment = format!("API Gateway {api_id}/Prod");
    assert_eq!(
        rows(trace),
        [
            row(0, &segment, Some("POST /items"), 0, 5, "ok"),
            row(1, "Method request", None, 0, 0, "ok"),
            row(1, "Integration request", None, 0, 0, "ok"),
            row(1, "Integration", None, 0, 5, "ok"),
            row(2, "Lambda put-item", None, 0, 5, "ok"),
            row(3, "Initialization", None, 0, 0, "ok"),
            row(3, "Invocation", None, 0, 5, "ok"),
            row(4, "DynamoDB PutItem", Some("items"), 0, 5, "ok"),
            row(1, "Method response", None, 5, 0, "ok"),
        ]
    );
    assert_eq!(
        trace.hops(),
        [
            (("apigateway", api_id.as_str()), ("lambda", "put-item")),
            (("lambda", "put-item"), ("dynamodb", "items")),
        ]
    );
    // The second request finds the environment warm: no Initialization span.
    assert_eq!(post(&mut cloud, &api_id, "/items", "b"), 201);
    let warm = cloud.traces.latest().unwrap();
    assert_eq!(warm.number, 2);
    let names: Vec<String> = warm.spans.iter().map(|s| s.name()).collect();
    assert!(!names.contains(&"Initialization".to_string()), "{names:?}");
    assert_eq!(warm.spans.len(), 8);
}

#[test]
fn a_timed_out_function_marks_its_spans() {
    let (mut cloud, api_id) = deploy(true);
    assert_eq!(post(&mut cloud, &api_id, "/slow", ""), 502);
    let trace = cloud.traces.latest().unwrap();
    let segment = format!("API Gateway {api_id}/Prod");
    // A 1 s timeout: the handler's 5 s timer never fires; the proxy integration answers 502.
    assert_eq!(
        rows(trace),
        [
            row(0, &segment, Some("GET /slow"), 0, 1000, "error"),
            row(1, "Method request", None, 0, 0, "ok"),
            row(1, "Integration request", None, 0, 0, "ok"),
            row(1, "Integration", None, 0, 1000, "error"),
            row(2, "Lambda put-item", None, 0, 1000, "timeout"),
            row(3, "Initialization", None, 0, 0, "ok"),
            row(3, "Invocation", None, 0, 1000, "timeout"),
        ]
    );
}

#[test]
fn test_invoke_and_direct_invokes_start_their_own_traces() {
    let (mut cloud, api_id) = deploy(true);
    let resource_id = {
        let api = &cloud.service::<ApiGateway>().unwrap().rest_apis[&api_id];
        api.definition
            .resources
            .values()
            .find(|r| r.path == "/items")
            .unwrap()
            .id
            .clone()
    };
    let request = TestInvokeMethodRequest {
        resource_id,
        http_method: "POST".into(),
        body: "t".into(),
        ..Default::default()
    };
    assert_eq!(test_invoke_method(&mut cloud, &api_id, &request).unwrap().status, 201);
    let trace = cloud.traces.latest().unwrap();
    assert_eq!(
        trace.root().unwrap().name(),
        format!("API Gateway {api_id}/test-invoke-stage")
    );
    assert_eq!(trace.root().unwrap().detail().as_deref(), Some("POST /items"));
    let payload = r#"{"body":"direct"}"#;
    let out = lambda::invoke(&mut cloud, "put-item", InvocationType::RequestResponse, payload).unwrap();
    assert_eq!(out.function_error, None, "{}", out.payload);
    let trace = cloud.traces.latest().unwrap();
    assert_eq!(
        rows(trace),
        [
            row(0, "Lambda put-item", None, 0, 5, "ok"),
            row(1, "Invocation", None, 0, 5, "ok"),
            row(2, "DynamoDB PutItem", Some("items"), 0, 5, "ok"),
        ]
    );
    assert_eq!(trace.hops(), [(("lambda", "put-item"), ("dynamodb", "items"))]);
    assert_eq!(cloud.traces.finished().count(), 2);
}

#[test]
fn nothing_is_recorded_unless_tracing_is_on() {
    let (mut cloud, api_id) = deploy(false);
    assert_eq!(post(&mut cloud, &api_id, "/items", "a"), 201);
    assert!(cloud.traces.latest().is_none());
    assert_eq!(SpanStatus::of_http(201), SpanStatus::Ok);
}

const NESTED: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Callee:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: callee
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        exports.handler = async () => { await new Promise((r) => setTimeout(r, 20)); return 'done'; };
  Caller:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: caller
      Runtime: nodejs20.x
      Handler: index.handler
      Policies:
        - LambdaInvokePolicy: {FunctionName: callee}
      InlineCode: |
        const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
        const client = new LambdaClient({});
        exports.handler = async () => {
          const out = await client.send(new InvokeCommand({ FunctionName: 'callee' }));
          return Buffer.from(out.Payload).toString();
        };
  Closed:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: closed
      Runtime: nodejs20.x
      Handler: index.handler
      ReservedConcurrentExecutions: 0
      InlineCode: "exports.handler = async () => 1;"
"#;

#[test]
fn a_nested_invoke_runs_under_the_sdk_call_that_waits_for_it() {
    let mut cloud = Cloud::default();
    cloud.traces.set_enabled(true);
    let stack = template::load("nested.yaml", NESTED, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    let out = lambda::invoke(&mut cloud, "caller", InvocationType::RequestResponse, "{}").unwrap();
    assert_eq!((out.function_error, out.payload.as_str()), (None, r#""\"done\"""#));
    // The call is made at 0 and due at 5, when the callee starts; its 20 ms timer holds the caller until 25.
    assert_eq!(
        rows(cloud.traces.latest().unwrap()),
        [
            row(0, "Lambda caller", None, 0, 25, "ok"),
            row(1, "Initialization", None, 0, 0, "ok"),
            row(1, "Invocation", None, 0, 25, "ok"),
            row(2, "Lambda Invoke", Some("callee"), 0, 25, "ok"),
            row(3, "Lambda callee", None, 5, 20, "ok"),
            row(4, "Initialization", None, 5, 0, "ok"),
            row(4, "Invocation", None, 5, 20, "ok"),
        ]
    );
    assert_eq!(
        cloud.traces.latest().unwrap().hops(),
        [(("lambda", "caller"), ("lambda", "callee"))]
    );

    // A function with no concurrency is throttled: its segment ends at once, with no function spans.
    let throttled = lambda::invoke(&mut cloud, "closed", InvocationType::RequestResponse, "{}");
    assert!(throttled.is_err());
    assert_eq!(
        rows(cloud.traces.latest().unwrap()),
        [row(0, "Lambda closed", None, 0, 0, "throttled")]
    );
}
