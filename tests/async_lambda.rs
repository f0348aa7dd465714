//! Asynchronous Lambda completed (issues #5 and #8) on a SAM template: retries on the virtual clock under one
//! request id, the on-failure SQS destination's invocation record, the SNS dead-letter queue's message attributes,
//! an on-success Lambda destination, and a handler invoking another function through the v3 SDK.
//!
//! Expected values are AWS's: the invocation record of "Capturing records of Lambda asynchronous invocations"
//! (version 1.0, requestContext, requestPayload, responseContext, responsePayload), the dead-letter attributes of
//! "Dead-letter queues" (RequestID String, ErrorCode Number, ErrorMessage String), and the retry schedule of
//! "Error handling and automatic retries" (1 minute, then 2 minutes).

use serde_json::{json, Value};
use serverless_playground::api::{ApiRequest, AwsError, Caller};
use serverless_playground::lambda::destinations::DeliveryKind;
use serverless_playground::lambda::{self, InvocationType, Lambda};
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::{events, Cloud};

const TEMPLATE: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Failures:
    Type: AWS::SQS::Queue
    Properties: {QueueName: failures}
  DeadLetters:
    Type: AWS::SNS::Topic
    Properties: {TopicName: dead-letters}
  DeadCopy:
    Type: AWS::SQS::Queue
    Properties: {QueueName: dead-copy}
  DeadCopyPolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref DeadCopy]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: sns.amazonaws.com}
            Action: sqs:SendMessage
            Resource: !GetAtt DeadCopy.Arn
  DeadCopySubscription:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !Ref DeadLetters, Protocol: sqs, Endpoint: !GetAtt DeadCopy.Arn, RawMessageDelivery: true}
  Failing:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: failing
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        exports.handler = async (event) => { throw new Error('boom ' + event.n); };
      DeadLetterQueue: {Type: SNS, TargetArn: !Ref DeadLetters}
      EventInvokeConfig:
        MaximumRetryAttempts: 2
        DestinationConfig:
          OnFailure: {Type: SQS, Destination: !GetAtt Failures.Arn}
  Doubler:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: doubler
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        exports.handler = async (event) => ({ doubled: event.n * 2 });
      EventInvokeConfig:
        DestinationConfig:
          OnSuccess: {Type: Lambda, Destination: !GetAtt Recorder.Arn}
  Recorder:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: recorder
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        exports.handler = async (event) => { console.log('RECORD ' + JSON.stringify(event)); };
  Caller:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: caller
      Runtime: nodejs20.x
      Handler: index.handler
      Timeout: 10
      Policies:
        - LambdaInvokePolicy: {FunctionName: doubler}
      InlineCode: |
        const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
        const client = new LambdaClient({});
        exports.handler = async (event) => {
          const before = Date.now();
          const out = await client.send(new InvokeCommand({
            FunctionName: event.target, Payload: JSON.stringify({ n: 21 }), LogType: 'Tail' }));
          return {
            status: out.StatusCode,
            version: out.ExecutedVersion,
            functionError: out.FunctionError === undefined ? 'none' : out.FunctionError,
            isBytes: out.Payload instanceof Uint8Array,
            payload: JSON.parse(Buffer.from(out.Payload).toString()),
            text: out.Payload.transformToString(),
            tail: Buffer.from(out.LogResult, 'base64').toString().split('\n')[0],
            waitedAtLeastSdkLatency: Date.now() - before >= 5,
          };
        };
"#;

fn deploy() -> Cloud {
    let mut cloud = Cloud::default();
    let stack = template::load("async.yaml", TEMPLATE, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    cloud
}

fn sqs(cloud: &mut Cloud, operation: &str, input: Value) -> Result<Value, AwsError> {
    let caller = Caller::root("123456789012");
    cloud.call(&ApiRequest {
        service: "sqs",
        operation,
        input: &input,
        caller: &caller,
    })
}

fn receive(cloud: &mut Cloud, queue: &str) -> Vec<Value> {
    let url = format!("https://sqs.us-east-1.amazonaws.com/123456789012/{queue}");
    let out = sqs(
        cloud,
        "ReceiveMessage",
        json!({"QueueUrl": url, "MaxNumberOfMessages": 10, "MessageAttributeNames": ["All"]}),
    )
    .unwrap();
    out.get("Messages")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn lambda_state(cloud: &Cloud) -> &Lambda {
    cloud.service::<Lambda>().unwrap()
}

#[test]
fn a_failing_event_retries_then_reaches_the_on_failure_queue_and_the_sns_dead_letter_queue() {
    let mut cloud = deploy();
    let start = cloud.clock.now_millis();
    let accepted = lambda::invoke(&mut cloud, "failing", InvocationType::Event, r#"{"n":7}"#).unwrap();
    assert_eq!(accepted.status_code, 202);
    let request_id = accepted.request_id.clone();
    // Nothing settled yet: two retries wait on the clock.
    assert!(receive(&mut cloud, "failures").is_empty());
    events::advance(&mut cloud, 59_999).unwrap();
    assert_eq!(lambda_state(&cloud).async_queue.attempts.len(), 1);
    events::advance(&mut cloud, 1).unwrap();
    assert_eq!(lambda_state(&cloud).async_queue.attempts.len(), 2);
    events::advance(&mut cloud, 120_000).unwrap();
    let attempts = &lambda_state(&cloud).async_queue.attempts;
    assert_eq!(
        attempts
            .iter()
            .map(|a| (a.attempt, a.at_ms - start))
            .collect::<Vec<_>>(),
        vec![(1, 0), (2, 60_000), (3, 180_000)]
    );
    // Retries keep the event's request id (AWS: "the same request ID" across attempts).
    assert!(attempts.iter().all(|a| a.request_id == request_id));
    assert!(attempts[2]
        .logs
        .iter()
        .any(|l| l == &format!("START RequestId: {request_id} Version: $LATEST")));

    let failures = receive(&mut cloud, "failures");
    assert_eq!(failures.len(), 1);
    let record: Value = serde_json::from_str(failures[0]["Body"].as_str().unwrap()).unwrap();
    let error_payload: Value = serde_json::from_str::<Value>(&lambda_state(&cloud).async_queue.deliveries[0].body)
        .unwrap()["responsePayload"]
        .clone();
    assert_eq!(error_payload["errorType"], "Error");
    assert_eq!(
        record,
        json!({
            "version": "1.0",
            "timestamp": "2026-01-01T00:03:00.000Z",
            "requestContext": {
                "requestId": request_id,
                "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:failing:$LATEST",
                "condition": "RetriesExhausted",
                "approximateInvokeCount": 3
            },
            "requestPayload": {"n": 7},
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
            "responsePayload": error_payload
        })
    );
    assert_eq!(record["responsePayload"]["errorMessage"], "boom 7");

    // The SNS dead-letter queue got the event unchanged with Lambda's attributes (raw delivery keeps them).
    let dead = receive(&mut cloud, "dead-copy");
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0]["Body"], r#"{"n":7}"#);
    assert_eq!(
        dead[0]["MessageAttributes"],
        json!({
            "RequestID": {"DataType": "String", "StringValue": request_id},
            "ErrorCode": {"DataType": "Number", "StringValue": "200"},
            "ErrorMessage": {"DataType": "String", "StringValue": "boom 7"}
        })
    );
    let kinds: Vec<_> = lambda_state(&cloud)
        .async_queue
        .deliveries
        .iter()
        .map(|d| (d.kind, d.error.clone()))
        .collect();
    assert_eq!(
        kinds,
        vec![(DeliveryKind::OnFailure, None), (DeliveryKind::DeadLetterQueue, None)]
    );
}

#[test]
fn sam_adds_the_destination_and_dead_letter_policies_to_the_role() {
    let cloud = deploy();
    let lambda = lambda_state(&cloud);
    assert_eq!(
        lambda.functions["failing"].latest.dead_letter_target.as_deref(),
        Some("arn:aws:sns:us-east-1:123456789012:dead-letters")
    );
    let config = &lambda.async_queue.configs[&("failing".to_string(), "$LATEST".to_string())];
    assert_eq!(
        config.on_failure.as_deref(),
        Some("arn:aws:sqs:us-east-1:123456789012:failures")
    );
    assert_eq!(config.maximum_retry_attempts, 2);
}

#[test]
fn a_role_without_send_message_means_no_delivery_and_says_why() {
    let text = TEMPLATE.replace(
        "      DeadLetterQueue: {Type: SNS, TargetArn: !Ref DeadLetters}\n",
        "      Role: !GetAtt BareRole.Arn\n",
    ) + r#"  BareRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: bare-role
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
"#;
    let mut cloud = Cloud::default();
    let stack = template::load("bare.yaml", &text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    lambda::invoke(&mut cloud, "failing", InvocationType::Event, r#"{"n":1}"#).unwrap();
    events::advance(&mut cloud, 180_000).unwrap();
    assert!(receive(&mut cloud, "failures").is_empty());
    let delivery = &lambda_state(&cloud).async_queue.deliveries[0];
    assert_eq!(delivery.kind, DeliveryKind::OnFailure);
    assert_eq!(
        delivery.error.as_deref(),
        Some(
            "AccessDenied: User: arn:aws:sts::123456789012:assumed-role/bare-role/failing is not authorized to \
             perform: sqs:sendmessage on resource: arn:aws:sqs:us-east-1:123456789012:failures because no \
             identity-based policy allows the sqs:sendmessage action"
        )
    );
}

#[test]
fn a_success_goes_to_the_on_success_function_as_its_event() {
    let mut cloud = deploy();
    let accepted = lambda::invoke(&mut cloud, "doubler", InvocationType::Event, r#"{"n":4}"#).unwrap();
    let recorder = lambda_state(&cloud)
        .async_queue
        .attempts
        .iter()
        .find(|a| a.function_name.ends_with("recorder"))
        .cloned()
        .expect("the recorder ran");
    let line = recorder.logs.iter().find_map(|l| l.split_once("RECORD ")).unwrap().1;
    let record: Value = serde_json::from_str(line).unwrap();
    assert_eq!(
        record,
        json!({
            "version": "1.0",
            "timestamp": "2026-01-01T00:00:00.000Z",
            "requestContext": {
                "requestId": accepted.request_id,
                "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:doubler:$LATEST",
                "condition": "Success",
                "approximateInvokeCount": 1
            },
            "requestPayload": {"n": 4},
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
            "responsePayload": {"doubled": 8}
        })
    );
}

#[test]
fn a_handler_invokes_another_function_through_the_v3_sdk_and_waits_for_it() {
    let mut cloud = deploy();
    let out = lambda::invoke(
        &mut cloud,
        "caller",
        InvocationType::RequestResponse,
        r#"{"target":"doubler"}"#,
    )
    .unwrap();
    assert_eq!(out.function_error, None, "{}", out.payload);
    let payload: Value = serde_json::from_str(&out.payload).unwrap();
    assert_eq!(payload["status"], 200);
    assert_eq!(payload["version"], "$LATEST");
    assert_eq!(payload["functionError"], "none");
    assert_eq!(payload["isBytes"], true);
    assert_eq!(payload["payload"], json!({"doubled": 42}));
    assert_eq!(payload["text"], r#"{"doubled":42}"#);
    assert!(
        payload["tail"].as_str().unwrap().starts_with("START RequestId: "),
        "{payload}"
    );
    assert_eq!(payload["waitedAtLeastSdkLatency"], true);
}

#[test]
fn invoking_without_lambda_invoke_function_is_access_denied() {
    let mut cloud = deploy();
    let out = lambda::invoke(
        &mut cloud,
        "caller",
        InvocationType::RequestResponse,
        r#"{"target":"recorder"}"#,
    )
    .unwrap();
    assert_eq!(out.function_error.as_deref(), Some("Unhandled"));
    let payload: Value = serde_json::from_str(&out.payload).unwrap();
    assert_eq!(payload["errorType"], "AccessDeniedException");
    assert_eq!(
        payload["errorMessage"],
        "User: arn:aws:sts::123456789012:assumed-role/sam-app-CallerRole-SCQGNNZ60SQTZ/caller is not authorized to perform: \
         lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:123456789012:function:recorder because no \
         identity-based policy allows the lambda:InvokeFunction action"
    );
}

/// The handler of `loop` and `capped`: it invokes itself with the v2 SDK and reports how deep the chain went.
const LOOP_CODE: &str = r#"        const AWS = require('aws-sdk');
        const lambda = new AWS.Lambda();
        exports.handler = async (event) => {
          const depth = (event.depth || 0) + 1;
          const out = await lambda.invoke({ FunctionName: process.env.AWS_LAMBDA_FUNCTION_NAME, InvocationType: event.type,
            Payload: JSON.stringify({ depth, type: event.type }) }).promise();
          if (event.type === 'Event') return { depth, status: out.StatusCode };
          const inner = JSON.parse(out.Payload.toString());
          return { depth, deepest: inner.deepest || depth, error: inner.error || inner.errorType,
            message: inner.message || inner.errorMessage, functionError: inner.functionError || out.FunctionError,
            buffers: (inner.buffers || 0) + (Buffer.isBuffer(out.Payload) ? 1 : 0) };
        };
"#;

const RECURSIVE: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Stopped:
    Type: AWS::SQS::Queue
    Properties: {QueueName: stopped}
  Loop:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: loop
      Runtime: nodejs16.x
      Handler: index.handler
      Timeout: 30
      Policies:
        - LambdaInvokePolicy: {FunctionName: loop}
      DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt Stopped.Arn}
      InlineCode: |
LOOP_CODE  Capped:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: capped
      Runtime: nodejs16.x
      Handler: index.handler
      Timeout: 30
      ReservedConcurrentExecutions: 2
      Policies:
        - LambdaInvokePolicy: {FunctionName: capped}
      InlineCode: |
LOOP_CODE  Zero:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: zero
      Runtime: nodejs20.x
      Handler: index.handler
      ReservedConcurrentExecutions: 0
      DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt Stopped.Arn}
      InlineCode: |
        exports.handler = async () => 'never';
"#;

fn deploy_recursive() -> Cloud {
    let mut cloud = Cloud::default();
    let text = RECURSIVE.replace("LOOP_CODE", LOOP_CODE);
    let stack = template::load("loop.yaml", &text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    cloud
}

#[test]
fn a_function_invoking_itself_synchronously_is_stopped_after_16_invocations() {
    let mut cloud = deploy_recursive();
    let out = lambda::invoke(
        &mut cloud,
        "loop",
        InvocationType::RequestResponse,
        r#"{"type":"RequestResponse"}"#,
    )
    .unwrap();
    // The 16th invocation's own Invoke is refused; its v2 SDK call throws, so that invocation fails, and each
    // caller above it reports what it got.
    let payload: Value = serde_json::from_str(&out.payload).unwrap();
    assert_eq!(
        payload,
        json!({
            "depth": 1,
            "deepest": 15,
            "error": "RecursiveInvocationException",
            "message": "Lambda has detected your function being invoked in a recursive loop with other AWS resources \
                        and stopped your function's invocation.",
            "functionError": "Unhandled",
            "buffers": 15
        })
    );
    assert!(lambda_state(&cloud).chain.is_empty());
}

#[test]
fn a_function_invoking_itself_asynchronously_is_stopped_and_the_event_goes_to_its_dead_letter_queue() {
    let mut cloud = deploy_recursive();
    let accepted = lambda::invoke(&mut cloud, "loop", InvocationType::Event, r#"{"type":"Event"}"#).unwrap();
    assert_eq!(accepted.status_code, 202);
    let ran = lambda_state(&cloud)
        .async_queue
        .attempts
        .iter()
        .filter(|a| a.function_name == "loop")
        .count();
    assert_eq!(ran, 16);
    let stopped = receive(&mut cloud, "stopped");
    assert_eq!(stopped.len(), 1);
    assert_eq!(stopped[0]["Body"], r#"{"depth":16,"type":"Event"}"#);
    assert_eq!(stopped[0]["MessageAttributes"]["ErrorCode"]["StringValue"], "400");
    assert_eq!(
        stopped[0]["MessageAttributes"]["ErrorMessage"]["StringValue"],
        "Lambda has detected your function being invoked in a recursive loop with other AWS resources and stopped \
         your function's invocation."
    );
    assert_eq!(
        lambda_state(&cloud).async_queue.discarded[0].condition,
        "RecursiveInvocationException"
    );
}

#[test]
fn events_for_a_function_with_reserved_concurrency_zero_go_straight_to_the_dead_letter_queue() {
    let mut cloud = deploy_recursive();
    let accepted = lambda::invoke(&mut cloud, "zero", InvocationType::Event, r#"{"k":1}"#).unwrap();
    assert_eq!(accepted.status_code, 202);
    let stopped = receive(&mut cloud, "stopped");
    assert_eq!(stopped.len(), 1);
    assert_eq!(stopped[0]["Body"], r#"{"k":1}"#);
    assert_eq!(
        stopped[0]["MessageAttributes"],
        json!({
            "RequestID": {"DataType": "String", "StringValue": accepted.request_id},
            "ErrorCode": {"DataType": "Number", "StringValue": "429"},
            "ErrorMessage": {"DataType": "String", "StringValue": "Rate Exceeded."}
        })
    );
    assert!(lambda_state(&cloud).async_queue.attempts.is_empty());
}

#[test]
fn the_cli_sdk_line_invokes_and_lists_functions() {
    let mut cloud = deploy();
    let script = [
        json!({"sdk": {"service": "lambda", "operation": "Invoke", "input": {
            "FunctionName": "doubler", "Payload": "eyJuIjozfQ=="}}}),
        json!({"sdk": {"service": "lambda", "operation": "Invoke", "input": {
            "FunctionName": "doubler", "InvocationType": "DryRun"}}}),
        json!({"sdk": {"service": "lambda", "operation": "GetFunctionConfiguration", "input": {
            "FunctionName": "nope"}}}),
    ]
    .iter()
    .map(|l| format!("{l}\n"))
    .collect::<String>();
    let (out, _) = serverless_playground::cli::request_script(&mut cloud, None, &script).unwrap();
    let lines: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // Payload {"doubled":6}, base64.
    assert_eq!(
        lines[0],
        json!({"StatusCode": 200, "ExecutedVersion": "$LATEST", "Payload": "eyJkb3VibGVkIjo2fQ=="})
    );
    assert_eq!(
        lines[1],
        json!({"StatusCode": 204, "ExecutedVersion": "$LATEST", "Payload": ""})
    );
    assert_eq!(
        lines[2],
        json!({"error": {"code": "ResourceNotFoundException",
            "message": "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope"}})
    );
}

const TIMING: &str = r#"Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    Handler: index.handler
Resources:
  Slow:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: slow
      Timeout: 10
      InlineCode: |
        exports.handler = async (event) => {
          await new Promise((r) => setTimeout(r, event.ms));
          return 'slept ' + event.ms;
        };
  Waiter:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: waiter
      Timeout: 3
      Policies:
        - LambdaInvokePolicy: {FunctionName: slow}
      InlineCode: |
        const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
        const client = new LambdaClient({});
        exports.handler = async (event) => {
          const before = Date.now();
          const out = await client.send(new InvokeCommand({ FunctionName: 'slow',
            InvocationType: event.type, Payload: JSON.stringify({ ms: event.ms }) }));
          return { waited: Date.now() - before, status: out.StatusCode, bytes: out.Payload.length,
            version: out.ExecutedVersion === undefined ? 'none' : out.ExecutedVersion };
        };
"#;

fn deploy_timing() -> Cloud {
    let mut cloud = Cloud::default();
    let stack = template::load("timing.yaml", TIMING, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    cloud
}

#[test]
fn a_synchronous_invoke_waits_for_the_callee_on_the_virtual_clock() {
    let mut cloud = deploy_timing();
    let out = lambda::invoke(
        &mut cloud,
        "waiter",
        InvocationType::RequestResponse,
        r#"{"type":"RequestResponse","ms":1500}"#,
    )
    .unwrap();
    // The call is due 5 ms after it was made (the SDK latency); the callee then sleeps 1500 ms. `"slept 1500"`
    // is 12 bytes.
    assert_eq!(
        serde_json::from_str::<Value>(&out.payload).unwrap(),
        json!({"waited": 1505, "status": 200, "bytes": 12, "version": "$LATEST"})
    );
    let report = out.logs.iter().find(|l| l.starts_with("REPORT")).unwrap();
    assert!(report.contains("\tDuration: 1505.00 ms\t"), "{report}");
}

#[test]
fn an_event_invoke_does_not_hold_the_caller() {
    let mut cloud = deploy_timing();
    let out = lambda::invoke(
        &mut cloud,
        "waiter",
        InvocationType::RequestResponse,
        r#"{"type":"Event","ms":1500}"#,
    )
    .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&out.payload).unwrap(),
        json!({"waited": 5, "status": 202, "bytes": 0, "version": "none"})
    );
}

#[test]
fn a_caller_whose_deadline_passes_while_waiting_times_out() {
    let mut cloud = deploy_timing();
    let out = lambda::invoke(
        &mut cloud,
        "waiter",
        InvocationType::RequestResponse,
        r#"{"type":"RequestResponse","ms":5000}"#,
    )
    .unwrap();
    assert_eq!(out.function_error.as_deref(), Some("Unhandled"));
    let payload: Value = serde_json::from_str(&out.payload).unwrap();
    assert_eq!(payload["errorType"], "Sandbox.Timedout");
    assert!(
        out.logs
            .iter()
            .any(|l| l.ends_with("Task timed out after 3.00 seconds")),
        "{:?}",
        out.logs
    );
}

#[test]
fn sam_dead_letter_queue_and_destination_types_are_checked() {
    let cases = [
        ("DeadLetterQueue: {Type: SQS}", "'DeadLetterQueue' requires Type and TargetArn properties to be specified."),
        (
            "DeadLetterQueue: {Type: Kinesis, TargetArn: arn:aws:kinesis:us-east-1:123456789012:stream/s}",
            "'DeadLetterQueue' requires Type of ['SQS', 'SNS']",
        ),
        (
            "EventInvokeConfig: {DestinationConfig: {OnFailure: {Type: S3, Destination: arn:aws:s3:::b}}}",
            "'Type: S3' must be one of ['SQS', 'SNS', 'EventBridge', 'Lambda']",
        ),
        (
            "EventInvokeConfig: {DestinationConfig: {OnFailure: {Type: Lambda}}}",
            "Destination is required if Type is not ['SQS', 'SNS']",
        ),
        (
            "EventInvokeConfig: {DestinationConfig: {OnSuccess: {Type: EventBridge, Destination: arn:aws:events:us-east-1:123456789012:event-bus/default}}}",
            "not simulated: EventBridge destinations of asynchronous invocations (arn:aws:events:us-east-1:123456789012:event-bus/default)",
        ),
    ];
    for (property, want) in cases {
        let text = format!(
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n      InlineCode: exports.handler = async () => 1;\n      {property}\n"
        );
        let mut cloud = Cloud::default();
        let err = match template::load("t.yaml", &text, &LoadOptions::default(), &mut cloud) {
            Err(e) => format!("{e}"),
            Ok(stack) => format!("{}", cloud.deploy(&stack).unwrap_err()),
        };
        assert!(err.contains(want), "{property}: {err}");
    }
}

#[test]
fn sam_makes_a_queue_for_an_sqs_destination_without_one_and_lets_the_role_send_to_it() {
    let text = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionName: fn\n      Runtime: nodejs20.x\n      Handler: index.handler\n      InlineCode: \"exports.handler = async () => { throw new Error('no'); };\"\n      EventInvokeConfig:\n        MaximumRetryAttempts: 0\n        DestinationConfig:\n          OnFailure: {Type: SQS}\n";
    let mut cloud = Cloud::default();
    let stack = template::load("t.yaml", text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    lambda::invoke(&mut cloud, "fn", InvocationType::Event, "{}").unwrap();
    let delivery = lambda_state(&cloud).async_queue.deliveries[0].clone();
    assert_eq!(delivery.kind, DeliveryKind::OnFailure);
    assert_eq!(delivery.error, None);
    assert!(
        delivery.destination.starts_with("arn:aws:sqs:us-east-1:123456789012:"),
        "{}",
        delivery.destination
    );
    let queue = delivery.destination.rsplit(':').next().unwrap().to_string();
    assert!(queue.contains("FnEventInvokeConfigOnFailureQueue"), "{queue}");
    let got = receive(&mut cloud, &queue);
    assert_eq!(got.len(), 1);
    let record: Value = serde_json::from_str(got[0]["Body"].as_str().unwrap()).unwrap();
    assert_eq!(record["requestContext"]["condition"], "RetriesExhausted");
    assert_eq!(record["requestContext"]["approximateInvokeCount"], 1);
}

#[test]
fn get_function_and_list_functions_answer_the_configuration() {
    let mut cloud = deploy();
    let caller = Caller::root("123456789012");
    let mut call = |operation: &str, input: Value| {
        cloud.call(&ApiRequest {
            service: "lambda",
            operation,
            input: &input,
            caller: &caller,
        })
    };
    let listed = call("ListFunctions", json!({})).unwrap();
    let names: Vec<&str> = listed["Functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["FunctionName"].as_str().unwrap())
        .collect();
    // Creation order (the recorder before the doubler whose destination it is); AWS documents no order.
    assert_eq!(names, ["failing", "recorder", "doubler", "caller"]);
    let got = call("GetFunction", json!({"FunctionName": "failing"})).unwrap();
    let config = &got["Configuration"];
    assert_eq!(
        config["FunctionArn"],
        "arn:aws:lambda:us-east-1:123456789012:function:failing"
    );
    assert_eq!(config["Runtime"], "nodejs20.x");
    assert_eq!(config["Handler"], "index.handler");
    assert_eq!(config["Timeout"], 3);
    assert_eq!(config["MemorySize"], 128);
    assert_eq!(config["Version"], "$LATEST");
    assert_eq!(config["LastModified"], "2026-01-01T00:00:00.000+0000");
    assert_eq!(
        config["DeadLetterConfig"],
        json!({"TargetArn": "arn:aws:sns:us-east-1:123456789012:dead-letters"})
    );
    assert_eq!(got["Code"]["RepositoryType"], "S3");
    let err = call("GetFunction", json!({"FunctionName": "failing", "Qualifier": "9"})).unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.status, err.message.as_str()),
        (
            "ResourceNotFoundException",
            404,
            "Function not found: arn:aws:lambda:us-east-1:123456789012:function:failing:9"
        )
    );
}

#[test]
fn nested_invocations_use_the_reserved_concurrency() {
    let mut cloud = deploy_recursive();
    let out = lambda::invoke(
        &mut cloud,
        "capped",
        InvocationType::RequestResponse,
        r#"{"type":"RequestResponse"}"#,
    )
    .unwrap();
    // Two invocations run in one another; the third is throttled and the second's v2 SDK call throws.
    let payload: Value = serde_json::from_str(&out.payload).unwrap();
    assert_eq!(
        payload,
        json!({
            "depth": 1,
            "deepest": 1,
            "error": "TooManyRequestsException",
            "message": "Rate Exceeded.",
            "functionError": "Unhandled",
            "buffers": 1
        })
    );
}

#[test]
fn an_alias_event_invoke_config_names_the_alias_and_the_executed_version() {
    let text = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Records:
    Type: AWS::SQS::Queue
    Properties: {QueueName: records}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: aliased
      Runtime: nodejs20.x
      Handler: index.handler
      AutoPublishAlias: live
      InlineCode: "exports.handler = async (event) => ({ seen: event.k });"
      EventInvokeConfig:
        DestinationConfig:
          OnSuccess: {Type: SQS, Destination: !GetAtt Records.Arn}
"#;
    let mut cloud = Cloud::default();
    let stack = template::load("alias.yaml", text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    // The config is the alias's: an unqualified invoke has none.
    lambda::invoke(&mut cloud, "aliased", InvocationType::Event, r#"{"k":0}"#).unwrap();
    assert!(receive(&mut cloud, "records").is_empty());
    let accepted = lambda::invoke(&mut cloud, "aliased:live", InvocationType::Event, r#"{"k":1}"#).unwrap();
    let got = receive(&mut cloud, "records");
    assert_eq!(got.len(), 1);
    let record: Value = serde_json::from_str(got[0]["Body"].as_str().unwrap()).unwrap();
    assert_eq!(
        record,
        json!({
            "version": "1.0",
            "timestamp": "2026-01-01T00:00:00.000Z",
            "requestContext": {
                "requestId": accepted.request_id,
                "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:aliased:live",
                "condition": "Success",
                "approximateInvokeCount": 1
            },
            "requestPayload": {"k": 1},
            "responseContext": {"statusCode": 200, "executedVersion": "1"},
            "responsePayload": {"seen": 1}
        })
    );
}
