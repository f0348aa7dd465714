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
    deploy_on("nodejs20.x", actions, code)
}

/// Queues `jobs` (redrive to `jobs-dlq` after 2 receives), `jobs-dlq`, `orders.fifo`, and `jobs-fn` on `runtime`
/// whose role may perform `actions` on `jobs`.
fn deploy_on(runtime: &str, actions: &[&str], code: &str) -> Cloud {
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
      Runtime: {runtime}
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

// ---- SNS ----

const FANOUT: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties: {TopicName: orders}
  Inbox:
    Type: AWS::SQS::Queue
    Properties: {QueueName: inbox}
  Seen:
    Type: AWS::SQS::Queue
    Properties: {QueueName: seen}
  InboxSubscription:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Topic
      Protocol: sqs
      Endpoint: !GetAtt Inbox.Arn
  InboxPolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Inbox]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: sns.amazonaws.com}
            Action: sqs:SendMessage
            Resource: !GetAtt Inbox.Arn
            Condition: {ArnEquals: {aws:SourceArn: !Ref Topic}}
  Closed:
    Type: AWS::SQS::Queue
    Properties: {QueueName: closed}
  ClosedSubscription:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !Ref Topic, Protocol: sqs, Endpoint: !GetAtt Closed.Arn}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: orders-fn
      Runtime: nodejs20.x
      Handler: index.handler
      Policies:
        - SQSSendMessagePolicy: {QueueName: seen}
      Events:
        Orders:
          Type: SNS
          Properties:
            Topic: !Ref Topic
            FilterPolicy: {kind: [{prefix: book}], price: [{numeric: ['>=', 10]}]}
      InlineCode: |
        const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
        const sqs = new SQSClient({});
        exports.handler = async (event) => {
          await sqs.send(new SendMessageCommand({
            QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/seen', MessageBody: JSON.stringify(event) }));
        };
"#;

fn sns_call(cloud: &mut Cloud, operation: &str, input: Value) -> Result<Value, AwsError> {
    let caller = Caller::root("123456789012");
    cloud.call(&ApiRequest {
        service: "sns",
        operation,
        input: &input,
        caller: &caller,
    })
}

fn bodies(cloud: &mut Cloud, name: &str) -> Vec<String> {
    let url = format!("https://sqs.us-east-1.amazonaws.com/123456789012/{name}");
    receive(cloud, &url)
        .iter()
        .map(|m| m["Body"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_publish_fans_out_to_a_queue_envelope_and_a_filtered_function_record() {
    let mut cloud = Cloud::default();
    let stack = template::load("fanout.yaml", FANOUT, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    let topic = "arn:aws:sns:us-east-1:123456789012:orders";
    let attrs = |kind: &str, price: &str| {
        json!({"kind": {"DataType": "String", "StringValue": kind},
                                                  "price": {"DataType": "Number", "StringValue": price}})
    };
    // Filtered out for the function (price < 10), delivered to the queue.
    sns_call(
        &mut cloud,
        "Publish",
        json!({"TopicArn": topic, "Message": "cheap", "MessageAttributes": attrs("book", "5")}),
    )
    .unwrap();
    let published = sns_call(&mut cloud, "Publish",
        json!({"TopicArn": topic, "Message": "hello", "Subject": "New order", "MessageAttributes": attrs("books", "12")})).unwrap();
    let id = published["MessageId"].as_str().unwrap().to_string();

    let inbox = bodies(&mut cloud, "inbox");
    assert_eq!(inbox.len(), 2);
    let sub_arn = sns_call(&mut cloud, "ListSubscriptionsByTopic", json!({"TopicArn": topic})).unwrap()
        ["Subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Protocol"] == "sqs")
        .unwrap()["SubscriptionArn"]
        .as_str()
        .unwrap()
        .to_string();
    let envelope: Value = serde_json::from_str(&inbox[1]).unwrap();
    let keys: Vec<&str> = envelope.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "Type",
            "MessageId",
            "TopicArn",
            "Subject",
            "Message",
            "Timestamp",
            "SignatureVersion",
            "Signature",
            "SigningCertURL",
            "UnsubscribeURL",
            "MessageAttributes"
        ]
    );
    assert_eq!(envelope["Type"], "Notification");
    assert_eq!(envelope["MessageId"], id);
    assert_eq!(envelope["Message"], "hello");
    assert_eq!(envelope["Subject"], "New order");
    assert_eq!(envelope["Timestamp"], "2026-01-01T00:00:00.000Z");
    assert_eq!(
        envelope["UnsubscribeURL"],
        format!("https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={sub_arn}")
    );
    assert_eq!(
        envelope["MessageAttributes"],
        json!({"kind": {"Type": "String", "Value": "books"},
                                                     "price": {"Type": "Number", "Value": "12"}})
    );
    assert!(
        inbox[1].starts_with("{\n  \"Type\" : \"Notification\",\n  \"MessageId\" : "),
        "{}",
        inbox[1]
    );

    // Without a queue policy letting the topic send, SNS cannot deliver.
    assert!(bodies(&mut cloud, "closed").is_empty());

    // The function saw only the matching message, as the exact SNS record.
    let seen = bodies(&mut cloud, "seen");
    assert_eq!(seen.len(), 1, "{seen:?}");
    let event: Value = serde_json::from_str(&seen[0]).unwrap();
    let record = &event["Records"][0];
    assert_eq!(record["EventSource"], "aws:sns");
    assert_eq!(record["EventVersion"], "1.0");
    assert!(record["EventSubscriptionArn"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:sns:us-east-1:123456789012:orders:"));
    let sns = &record["Sns"];
    let keys: Vec<&str> = sns.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "Type",
            "MessageId",
            "TopicArn",
            "Subject",
            "Message",
            "Timestamp",
            "SignatureVersion",
            "Signature",
            "SigningCertUrl",
            "UnsubscribeUrl",
            "MessageAttributes"
        ]
    );
    assert_eq!(sns["MessageId"], id);
    assert_eq!(sns["Message"], "hello");
    assert_eq!(sns["Signature"], envelope["Signature"]);
    assert_eq!(
        sns["MessageAttributes"]["price"],
        json!({"Type": "Number", "Value": "12"})
    );
}

#[test]
fn sns_errors_are_snss() {
    let mut cloud = Cloud::default();
    let err = sns_call(
        &mut cloud,
        "Publish",
        json!({"TopicArn": "arn:aws:sns:us-east-1:123456789012:nope", "Message": "x"}),
    )
    .unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.message.as_str(), err.status),
        ("NotFound", "Topic does not exist", 404)
    );
    let topic = sns_call(&mut cloud, "CreateTopic", json!({"Name": "t"})).unwrap()["TopicArn"].clone();
    let err = sns_call(
        &mut cloud,
        "Publish",
        json!({"TopicArn": topic, "Message": "{}", "MessageStructure": "json"}),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "Invalid parameter: Message Structure - No default entry in JSON message body"
    );
    let err = sns_call(
        &mut cloud,
        "Subscribe",
        json!({"TopicArn": topic, "Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q",
        "Attributes": {"FilterPolicy": "{\"a\": [{\"prefixx\": \"b\"}]}"}}),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "Invalid parameter: FilterPolicy: Unrecognized match type prefixx"
    );
}

const SNS_HANDLER_TEMPLATE: &str = r#"Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: alerts
      Subscription:
        - {Protocol: sqs, Endpoint: !GetAtt Alerts.Arn}
  Alerts:
    Type: AWS::SQS::Queue
    Properties: {QueueName: alerts}
  AlertsPolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Alerts]
      PolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: sns.amazonaws.com}, Action: sqs:SendMessage, Resource: '*'}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: publish
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - {Effect: Allow, Action: sns:Publish, Resource: !Ref Topic}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: alerts-fn
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: |
          const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');
          const sns = new SNSClient({});
          exports.handler = async () => {
            const out = await sns.send(new PublishCommand({
              TopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts', Message: 'raw?', Subject: 'Alert' }));
            const errors = [];
            for (const TopicArn of ['arn:aws:sns:us-east-1:123456789012:nope', 'arn:aws:sns:us-east-1:123456789012:other']) {
              try { await sns.send(new PublishCommand({ TopicArn, Message: 'x' })); }
              catch (e) { errors.push({ name: e.name, message: e.message, status: e.$metadata.httpStatusCode }); }
            }
            return { id: typeof out.MessageId, status: out.$metadata.httpStatusCode, errors };
          };
"#;

#[test]
fn a_v3_sns_handler_publishes_and_sees_snss_errors() {
    let mut cloud = Cloud::default();
    let stack = template::load("alerts.yaml", SNS_HANDLER_TEMPLATE, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    let out = lambda::invoke(&mut cloud, "alerts-fn", InvocationType::RequestResponse, "{}").unwrap();
    let payload: Value = serde_json::from_str(&out.payload).unwrap();
    let role = stack
        .resources
        .iter()
        .find(|r| r.logical_id == "Role")
        .unwrap()
        .physical_id
        .clone();
    assert_eq!(
        payload,
        json!({"id": "string", "status": 200, "errors": [
            // IAM is asked first: the role may publish only to `alerts`.
            {"name": "AuthorizationErrorException", "status": 403, "message": format!(
                "User: arn:aws:sts::123456789012:assumed-role/{role}/alerts-fn is not authorized to perform: \
                 SNS:Publish on resource: arn:aws:sns:us-east-1:123456789012:nope because no identity-based policy \
                 allows the SNS:Publish action")},
            {"name": "AuthorizationErrorException", "status": 403, "message": format!(
                "User: arn:aws:sts::123456789012:assumed-role/{role}/alerts-fn is not authorized to perform: \
                 SNS:Publish on resource: arn:aws:sns:us-east-1:123456789012:other because no identity-based policy \
                 allows the SNS:Publish action")},
        ]})
    );
    let inbox = bodies(&mut cloud, "alerts");
    let envelope: Value = serde_json::from_str(&inbox[0]).unwrap();
    assert_eq!(
        (envelope["Message"].as_str(), envelope["Subject"].as_str()),
        (Some("raw?"), Some("Alert"))
    );
    assert!(envelope.get("MessageAttributes").is_none());
}

// ---- Lambda event source mapping ----

const MAPPING: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Dlq:
    Type: AWS::SQS::Queue
    Properties: {QueueName: work-dlq}
  Work:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: work
      VisibilityTimeout: 30
      RedrivePolicy: {deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 2}
  Done:
    Type: AWS::SQS::Queue
    Properties: {QueueName: done}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: worker
      Runtime: nodejs20.x
      Handler: index.handler
      Policies:
        - SQSSendMessagePolicy: {QueueName: done}
      Events:
        Work:
          Type: SQS
          Properties:
            Queue: !GetAtt Work.Arn
            BatchSize: 10
            FunctionResponseTypes: [ReportBatchItemFailures]
      InlineCode: |
        const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
        const sqs = new SQSClient({});
        exports.handler = async (event) => {
          const batchItemFailures = [];
          for (const record of event.Records) {
            if (record.body === 'bad') { batchItemFailures.push({ itemIdentifier: record.messageId }); continue; }
            await sqs.send(new SendMessageCommand({
              QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/done', MessageBody: JSON.stringify(record) }));
          }
          return { batchItemFailures };
        };
"#;

#[test]
fn a_mapping_drains_the_queue_and_redrives_a_partial_failure_to_the_dlq() {
    use serverless_playground::sqs::event_source;
    let mut cloud = Cloud::default();
    let stack = template::load("work.yaml", MAPPING, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    let work = "https://sqs.us-east-1.amazonaws.com/123456789012/work";
    let sent: Vec<Value> = ["a", "bad", "c"]
        .iter()
        .map(|b| {
            call(
                &mut cloud,
                "SendMessage",
                json!({"QueueUrl": work, "MessageBody": b,
            "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}}),
            )
            .unwrap()
        })
        .collect();
    let start = cloud.clock.now_millis();
    assert_eq!(event_source::advance(&mut cloud, 0), 1);
    let done = bodies(&mut cloud, "done");
    assert_eq!(done.len(), 2);
    let record: Value = serde_json::from_str(&done[0]).unwrap();
    let keys: Vec<&str> = record.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "messageId",
            "receiptHandle",
            "body",
            "attributes",
            "messageAttributes",
            "md5OfBody",
            "eventSource",
            "eventSourceARN",
            "awsRegion",
            "md5OfMessageAttributes"
        ]
    );
    assert_eq!(record["messageId"], sent[0]["MessageId"]);
    assert_eq!(record["body"], "a");
    assert_eq!(record["md5OfBody"], "0cc175b9c0f1b6a831c399e269772661");
    assert_eq!(record["eventSource"], "aws:sqs");
    assert_eq!(record["eventSourceARN"], "arn:aws:sqs:us-east-1:123456789012:work");
    assert_eq!(record["awsRegion"], "us-east-1");
    assert_eq!(
        record["attributes"],
        json!({"ApproximateReceiveCount": "1", "SentTimestamp": start.to_string(),
        "SenderId": "123456789012", "ApproximateFirstReceiveTimestamp": start.to_string()})
    );
    assert_eq!(
        record["messageAttributes"],
        json!({"k": {"stringValue": "v", "stringListValues": [],
        "binaryListValues": [], "dataType": "String"}})
    );
    // `bad` stays in flight for the visibility timeout (from its receive at `start`; running the function moved
    // the clock a little), fails again, then goes to the DLQ (maxReceiveCount 2).
    let until = |cloud: &Cloud, at: u64| at - cloud.clock.now_millis();
    let wait = until(&cloud, start + 29_999);
    assert_eq!(event_source::advance(&mut cloud, wait), 0);
    assert_eq!(event_source::advance(&mut cloud, 1), 1);
    assert!(bodies(&mut cloud, "work-dlq").is_empty());
    assert_eq!(event_source::advance(&mut cloud, 60_000), 0);
    assert_eq!(bodies(&mut cloud, "work-dlq"), ["bad"]);
    let left = call(
        &mut cloud,
        "GetQueueAttributes",
        json!({"QueueUrl": work, "AttributeNames": ["All"]}),
    )
    .unwrap();
    assert_eq!(left["Attributes"]["ApproximateNumberOfMessages"], "0");
    assert_eq!(left["Attributes"]["ApproximateNumberOfMessagesNotVisible"], "0");
}

#[test]
fn batches_answer_per_entry_and_bad_input_gets_sqs_errors() {
    let mut cloud = deploy(ALL, "exports.handler = async () => ({});");
    let out = call(
        &mut cloud,
        "SendMessageBatch",
        json!({"QueueUrl": URL, "Entries": [
        {"Id": "one", "MessageBody": "1"}, {"Id": "two", "MessageBody": ""}]}),
    )
    .unwrap();
    assert_eq!(out["Successful"][0]["Id"], "one");
    assert_eq!(
        out["Successful"][0]["MD5OfMessageBody"],
        "c4ca4238a0b923820dcc509a6f75849b"
    );
    assert_eq!(
        out["Failed"],
        json!([{"Id": "two", "SenderFault": true, "Code": "MissingParameter",
                                      "Message": "The request must contain the parameter MessageBody."}])
    );
    let err = call(
        &mut cloud,
        "SendMessageBatch",
        json!({"QueueUrl": URL, "Entries": [{"Id": "a b", "MessageBody": "x"}]}),
    )
    .unwrap_err();
    assert_eq!(err.code, "InvalidBatchEntryId");
    let err = call(&mut cloud, "SendMessageBatch", json!({"QueueUrl": URL, "Entries": []})).unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        (
            "EmptyBatchRequest",
            "There should be at least one SendMessageBatchRequestEntry in the request."
        )
    );
    let got = receive(&mut cloud, URL);
    let handle = got[0]["ReceiptHandle"].clone();
    let out = call(
        &mut cloud,
        "ChangeMessageVisibilityBatch",
        json!({"QueueUrl": URL, "Entries": [
        {"Id": "h", "ReceiptHandle": handle, "VisibilityTimeout": 0}]}),
    )
    .unwrap();
    assert_eq!(out, json!({"Successful": [{"Id": "h"}], "Failed": []}));
    let handle = receive(&mut cloud, URL)[0]["ReceiptHandle"].clone();
    let out = call(
        &mut cloud,
        "DeleteMessageBatch",
        json!({"QueueUrl": URL, "Entries": [{"Id": "d", "ReceiptHandle": handle}]}),
    )
    .unwrap();
    assert_eq!(out, json!({"Successful": [{"Id": "d"}], "Failed": []}));
    assert!(receive(&mut cloud, URL).is_empty());

    let err = call(
        &mut cloud,
        "SendMessage",
        json!({"QueueUrl": URL, "MessageBody": "x".repeat(262_145)}),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes."
    );
    let err = call(
        &mut cloud,
        "SendMessage",
        json!({"QueueUrl": URL, "MessageBody": "\u{1}"}),
    )
    .unwrap_err();
    assert_eq!(err.code, "InvalidMessageContents");
    let err = call(
        &mut cloud,
        "CreateQueue",
        json!({"QueueName": "q", "Attributes": {"RedrivePolicy": "{not json"}}),
    )
    .unwrap_err();
    assert_eq!(err.code, "InvalidAttributeValue");
    let err = call(&mut cloud, "GetQueueUrl", json!({"QueueName": "nope"})).unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        ("QueueDoesNotExist", "The specified queue does not exist.")
    );
    let err = call(
        &mut cloud,
        "CreateQueue",
        json!({"QueueName": "jobs", "Attributes": {"VisibilityTimeout": "31"}}),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "A queue already exists with the same name and a different value for attribute VisibilityTimeout"
    );
    assert_eq!(
        call(
            &mut cloud,
            "CreateQueue",
            json!({"QueueName": "jobs", "Attributes": {"VisibilityTimeout": "30",
        "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:jobs-dlq", "maxReceiveCount": 2}}})
        )
        .unwrap(),
        json!({"QueueUrl": URL})
    );
    let listed = call(&mut cloud, "ListQueues", json!({"QueueNamePrefix": "jobs"})).unwrap();
    assert_eq!(
        listed["QueueUrls"],
        json!([URL, "https://sqs.us-east-1.amazonaws.com/123456789012/jobs-dlq"])
    );
    call(&mut cloud, "DeleteQueue", json!({"QueueUrl": URL})).unwrap();
    let err = call(&mut cloud, "ReceiveMessage", json!({"QueueUrl": URL})).unwrap_err();
    assert_eq!(err.code, "QueueDoesNotExist");
}

const V2_HANDLER: &str = r#"
const AWS = require('aws-sdk');
const sqs = new AWS.SQS();
const QueueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs';
exports.handler = async () => {
  const sent = await sqs.sendMessage({ QueueUrl, MessageBody: 'hello' }).promise();
  const got = await sqs.receiveMessage({ QueueUrl }).promise();
  await sqs.deleteMessage({ QueueUrl, ReceiptHandle: got.Messages[0].ReceiptHandle }).promise();
  let error;
  try { await sqs.getQueueUrl({ QueueName: 'nope' }).promise(); }
  catch (e) { error = { code: e.code, message: e.message, statusCode: e.statusCode }; }
  return { md5: sent.MD5OfMessageBody, body: got.Messages[0].Body, error };
};
"#;

#[test]
fn a_v2_handler_sends_receives_and_deletes() {
    let actions = [
        "sqs:SendMessage",
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueUrl",
    ];
    // aws-sdk (v2) ships with the nodejs16.x runtime and earlier only.
    let mut cloud = deploy_on("nodejs16.x", &actions, V2_HANDLER);
    let out = lambda::invoke(&mut cloud, "jobs-fn", InvocationType::RequestResponse, "{}").unwrap();
    assert_eq!(out.function_error, None, "{}", out.payload);
    let payload: Value = serde_json::from_str(&out.payload).unwrap();
    // GetQueueUrl on `nope` is authorized against arn:...:nope, which the role's policy (on `jobs`) does not
    // cover: IAM answers before SQS looks for the queue.
    assert_eq!(payload["md5"], "5d41402abc4b2a76b9719d911017c592");
    assert_eq!(payload["body"], "hello");
    assert_eq!(payload["error"]["code"], "AccessDenied");
    assert_eq!(payload["error"]["statusCode"], 403);
}

const DONE_WHEN: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties: {TopicName: events}
  Work:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: work
      VisibilityTimeout: 30
      RedrivePolicy: {deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 1}
  Dlq:
    Type: AWS::SQS::Queue
    Properties: {QueueName: work-dlq}
  Out:
    Type: AWS::SQS::Queue
    Properties: {QueueName: out}
  WorkPolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Work]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: sns.amazonaws.com}
            Action: sqs:SendMessage
            Resource: !GetAtt Work.Arn
            Condition: {ArnEquals: {aws:SourceArn: !Ref Topic}}
  WorkSubscription:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !Ref Topic, Protocol: sqs, Endpoint: !GetAtt Work.Arn, RawMessageDelivery: true}
  Notifier:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Policies:
        - SQSSendMessagePolicy: {QueueName: out}
      Events:
        Events: {Type: SNS, Properties: {Topic: !Ref Topic}}
      InlineCode: |
        const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
        const sqs = new SQSClient({});
        exports.handler = async (event) => {
          await sqs.send(new SendMessageCommand({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/out',
            MessageBody: 'notified:' + event.Records[0].Sns.Message }));
        };
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Policies:
        - SQSSendMessagePolicy: {QueueName: out}
      Events:
        Work: {Type: SQS, Properties: {Queue: !GetAtt Work.Arn, FunctionResponseTypes: [ReportBatchItemFailures]}}
      InlineCode: |
        const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
        const sqs = new SQSClient({});
        exports.handler = async (event) => {
          const batchItemFailures = [];
          for (const r of event.Records) {
            if (r.body === 'bad') batchItemFailures.push({ itemIdentifier: r.messageId });
            else await sqs.send(new SendMessageCommand({
              QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/out', MessageBody: 'worked:' + r.body }));
          }
          return { batchItemFailures };
        };
"#;

/// Issue #8's "done when": an SNS publish fans out to a Lambda and an SQS queue whose mapping drains it, with one
/// partial failure redriven to the DLQ.
#[test]
fn a_publish_fans_out_and_the_queue_is_drained_with_one_failure_redriven() {
    use serverless_playground::sqs::event_source;
    let mut cloud = Cloud::default();
    let stack = template::load("done.yaml", DONE_WHEN, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    let topic = "arn:aws:sns:us-east-1:123456789012:events";
    for message in ["ok", "bad"] {
        sns_call(&mut cloud, "Publish", json!({"TopicArn": topic, "Message": message})).unwrap();
    }
    assert_eq!(event_source::advance(&mut cloud, 0), 1);
    assert_eq!(
        event_source::advance(&mut cloud, 60_000),
        0,
        "the second receive goes to the DLQ"
    );
    let mut out = bodies(&mut cloud, "out");
    out.sort();
    assert_eq!(out, ["notified:bad", "notified:ok", "worked:ok"]);
    assert_eq!(bodies(&mut cloud, "work-dlq"), ["bad"]);
    assert!(bodies(&mut cloud, "work").is_empty());
}
