//! SQS from handlers and from the API: a nodejs20.x handler with the v3 `@aws-sdk/client-sqs` sends, receives and
//! deletes messages and sees SQS's outputs; visibility timeout and redrive to a dead-letter queue on the virtual
//! clock; FIFO deduplication. Expected values are SQS's (API reference: SendMessage, ReceiveMessage,
//! DeleteMessage; developer guide: visibility timeout, dead-letter queues, exactly-once processing). Digests were
//! checked against moto 5.2.1.

use serde_json::{json, Value};
use serverless_playground::api::{ApiRequest, AwsError, Caller};
use serverless_playground::lambda::{self, InvocationType};
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

const URL: &str = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs";

fn deploy(actions: &[&str], code: &str) -> Cloud {
    let actions: String = actions.iter().map(|a| format!("                  - {a}\n")).collect();
    let code: String = code.lines().map(|l| format!("          {l}\n")).collect();
    let text = format!(
        r#"Resources:
  Dlq:
    Type: AWS::SQS::Queue
    Properties: {{QueueName: jobs-dlq}}
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: jobs
      VisibilityTimeout: 30
      RedrivePolicy: {{deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 2}}
  Orders:
    Type: AWS::SQS::Queue
    Properties: {{QueueName: orders.fifo, FifoQueue: true, ContentBasedDeduplication: true}}
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: jobs-role
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: sts:AssumeRole}}
      Policies:
        - PolicyName: jobs
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action:
{actions}                Resource: !GetAtt Jobs.Arn
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: jobs-fn
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: |
{code}"#
    );
    let mut cloud = Cloud::default();
    let stack = template::load("jobs.yaml", &text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    cloud
}

fn call(cloud: &mut Cloud, operation: &str, input: Value) -> Result<Value, AwsError> {
    let caller = Caller::root("123456789012");
    cloud.call(&ApiRequest {
        service: "sqs",
        operation,
        input: &input,
        caller: &caller,
    })
}

fn run(cloud: &mut Cloud) -> Value {
    let out = lambda::invoke(cloud, "jobs-fn", InvocationType::RequestResponse, "{}").unwrap();
    assert_eq!(out.function_error, None, "{}", out.payload);
    serde_json::from_str(&out.payload).unwrap()
}

const HANDLER: &str = r#"
const { SQSClient, SendMessageCommand, ReceiveMessageCommand, DeleteMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
const QueueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs';
exports.handler = async () => {
  const out = {};
  const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello',
    MessageAttributes: { City: { DataType: 'String', StringValue: 'Any City' } } }));
  out.sent = { md5: sent.MD5OfMessageBody, md5Attributes: sent.MD5OfMessageAttributes, id: typeof sent.MessageId,
               status: sent.$metadata.httpStatusCode };
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10,
    MessageSystemAttributeNames: ['ApproximateReceiveCount'], MessageAttributeNames: ['All'] }));
  const m = got.Messages[0];
  out.received = { count: got.Messages.length, body: m.Body, md5: m.MD5OfBody, attributes: m.Attributes,
                   messageAttributes: m.MessageAttributes, sameId: m.MessageId === sent.MessageId };
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
  try {
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'nonsense' }));
  } catch (e) {
    out.invalid = { name: e.name, message: e.message, status: e.$metadata.httpStatusCode };
  }
  try {
    await sqs.send(new SendMessageCommand({ QueueUrl: QueueUrl + '-nope', MessageBody: 'x' }));
  } catch (e) {
    out.missing = { name: e.name, message: e.message };
  }
  return out;
};
"#;

const ALL: &[&str] = &["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"];

#[test]
fn a_v3_handler_sends_receives_and_deletes_with_sqs_outputs() {
    let mut cloud = deploy(ALL, HANDLER);
    assert_eq!(
        run(&mut cloud),
        json!({
            "sent": {"md5": "5d41402abc4b2a76b9719d911017c592", "md5Attributes": "0c32cb5c844c01fbd5b6b434b52cf670",
                     "id": "string", "status": 200},
            "received": {"count": 1, "body": "hello", "md5": "5d41402abc4b2a76b9719d911017c592",
                         "attributes": {"ApproximateReceiveCount": "1"},
                         "messageAttributes": {"City": {"DataType": "String", "StringValue": "Any City"}},
                         "sameId": true},
            "invalid": {"name": "ReceiptHandleIsInvalid", "status": 400,
                        "message": "The input receipt handle \"nonsense\" is not a valid receipt handle."},
            "missing": {"name": "QueueDoesNotExist", "message": "The specified queue does not exist."},
        })
    );
    let left = call(
        &mut cloud,
        "GetQueueAttributes",
        json!({"QueueUrl": URL, "AttributeNames": ["ApproximateNumberOfMessages"]}),
    );
    assert_eq!(
        left.unwrap(),
        json!({"Attributes": {"ApproximateNumberOfMessages": "0"}})
    );
}

#[test]
fn a_role_without_send_message_gets_sqs_access_denied() {
    let mut cloud = deploy(&["sqs:ReceiveMessage"], HANDLER);
    let out = lambda::invoke(&mut cloud, "jobs-fn", InvocationType::RequestResponse, "{}").unwrap();
    let payload: Value = serde_json::from_str(&out.payload).unwrap();
    assert_eq!(payload["errorType"], "AccessDenied");
    assert_eq!(
        payload["errorMessage"],
        "User: arn:aws:sts::123456789012:assumed-role/jobs-role/jobs-fn is not authorized to perform: \
         sqs:sendmessage on resource: arn:aws:sqs:us-east-1:123456789012:jobs because no identity-based policy \
         allows the sqs:sendmessage action"
    );
}

fn receive(cloud: &mut Cloud, url: &str) -> Vec<Value> {
    let out = call(
        cloud,
        "ReceiveMessage",
        json!({"QueueUrl": url, "MaxNumberOfMessages": 10, "AttributeNames": ["All"]}),
    )
    .unwrap();
    out.get("Messages")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

#[test]
fn visibility_timeout_and_redrive_run_on_the_virtual_clock() {
    let mut cloud = deploy(ALL, "exports.handler = async () => ({});");
    call(
        &mut cloud,
        "SendMessage",
        json!({"QueueUrl": URL, "MessageBody": "job"}),
    )
    .unwrap();
    let first = receive(&mut cloud, URL);
    assert_eq!(first[0]["Attributes"]["ApproximateReceiveCount"], "1");
    // In flight for the 30-second visibility timeout.
    cloud.clock.advance(29_999);
    assert!(receive(&mut cloud, URL).is_empty());
    cloud.clock.advance(1);
    let second = receive(&mut cloud, URL);
    assert_eq!(second[0]["Attributes"]["ApproximateReceiveCount"], "2");
    assert_ne!(second[0]["ReceiptHandle"], first[0]["ReceiptHandle"]);
    // The old handle no longer changes visibility.
    let err = call(
        &mut cloud,
        "ChangeMessageVisibility",
        json!({"QueueUrl": URL, "ReceiptHandle": first[0]["ReceiptHandle"], "VisibilityTimeout": 0}),
    )
    .unwrap_err();
    assert_eq!(err.code, "InvalidParameterValue");
    // maxReceiveCount is 2: the third receive moves it to the dead-letter queue instead.
    cloud.clock.advance(30_000);
    assert!(receive(&mut cloud, URL).is_empty());
    let dlq = receive(&mut cloud, "https://sqs.us-east-1.amazonaws.com/123456789012/jobs-dlq");
    assert_eq!(dlq.len(), 1);
    assert_eq!(dlq[0]["Body"], "job");
    assert_eq!(dlq[0]["MessageId"], first[0]["MessageId"]);
    assert_eq!(
        dlq[0]["Attributes"]["DeadLetterQueueSourceArn"],
        "arn:aws:sqs:us-east-1:123456789012:jobs"
    );
}

#[test]
fn long_polling_waits_on_the_virtual_clock() {
    let mut cloud = deploy(ALL, "exports.handler = async () => ({});");
    call(
        &mut cloud,
        "SendMessage",
        json!({"QueueUrl": URL, "MessageBody": "later", "DelaySeconds": 5}),
    )
    .unwrap();
    let start = cloud.clock.now_millis();
    assert!(receive(&mut cloud, URL).is_empty(), "delayed");
    let out = call(
        &mut cloud,
        "ReceiveMessage",
        json!({"QueueUrl": URL, "WaitTimeSeconds": 20}),
    )
    .unwrap();
    assert_eq!(out["Messages"][0]["Body"], "later");
    assert_eq!(cloud.clock.now_millis() - start, 5_000);
    let out = call(
        &mut cloud,
        "ReceiveMessage",
        json!({"QueueUrl": URL, "WaitTimeSeconds": 3}),
    )
    .unwrap();
    assert_eq!(out, json!({}));
    assert_eq!(cloud.clock.now_millis() - start, 8_000);
    let err = call(
        &mut cloud,
        "ReceiveMessage",
        json!({"QueueUrl": URL, "MaxNumberOfMessages": 11}),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided."
    );
}

#[test]
fn fifo_queues_deduplicate_and_keep_group_order() {
    let fifo = "https://sqs.us-east-1.amazonaws.com/123456789012/orders.fifo";
    let mut cloud = deploy(ALL, "exports.handler = async () => ({});");
    let send = |cloud: &mut Cloud, body: &str, group: &str| {
        call(
            cloud,
            "SendMessage",
            json!({"QueueUrl": fifo, "MessageBody": body, "MessageGroupId": group}),
        )
        .unwrap()
    };
    let a = send(&mut cloud, "a1", "a");
    let dup = send(&mut cloud, "a1", "a");
    assert_eq!(a["MessageId"], dup["MessageId"]);
    send(&mut cloud, "a2", "a");
    send(&mut cloud, "b1", "b");
    let bodies: Vec<Value> = receive(&mut cloud, fifo).iter().map(|m| m["Body"].clone()).collect();
    assert_eq!(bodies, [json!("a1"), json!("a2"), json!("b1")]);
    // After the 5-minute window the same body is a new message.
    cloud.clock.advance(300_000);
    let later = send(&mut cloud, "a1", "a");
    assert_ne!(later["MessageId"], a["MessageId"]);
    let err = call(&mut cloud, "SendMessage", json!({"QueueUrl": fifo, "MessageBody": "x"})).unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        (
            "MissingParameter",
            "The request must contain the parameter MessageGroupId."
        )
    );
}
