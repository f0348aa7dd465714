//! DynamoDB Streams to Lambda on SAM templates: item writes from the CLI's `sdk` script lines become stream
//! records, and a SAM `DynamoDB` event's mapping delivers them in order when the virtual clock advances.
//! Sources: "Using AWS Lambda with Amazon DynamoDB" (the event), "Change data capture for DynamoDB Streams"
//! (no record for a write that changes nothing), "Configuring partial batch response with DynamoDB and Lambda",
//! "Retain discarded records for a DynamoDB event source in Lambda" (bisecting, retries, the on-failure record).

use serde_json::{json, Value};
use serverless_playground::cli;
use serverless_playground::dynamodb::DynamoDb;
use serverless_playground::sqs::digest::md5_hex;
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

const STREAM_ARN: &str = "arn:aws:dynamodb:us-east-1:123456789012:table/items/stream/2026-01-01T00:00:00.000";

fn deploy(text: &str) -> Cloud {
    let mut cloud = Cloud::default();
    let stack = template::load("streams.yaml", text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    cloud
}

/// Runs script `lines`, answering each printed line as JSON.
fn run(cloud: &mut Cloud, lines: &[Value]) -> Vec<Value> {
    let script: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let (out, _) = cli::request_script(cloud, None, &script).unwrap();
    out.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn sdk(operation: &str, input: Value) -> Value {
    json!({"sdk": {"service": "dynamodb", "operation": operation, "input": input}})
}

/// The events the mappings sent, as the handler logged them (`console.log(JSON.stringify(event))`).
fn logged_events(cloud: &Cloud) -> Vec<Value> {
    let db = cloud.service::<DynamoDb>().unwrap();
    db.stream_invocations
        .iter()
        .map(|i| {
            let line = i
                .logs
                .iter()
                .find(|l| l.contains("\tINFO\t"))
                .expect("the handler logs its event");
            let text = line.rsplit('\t').next().unwrap();
            let event: Value = serde_json::from_str(text).unwrap();
            assert_eq!(event, serde_json::from_str::<Value>(&i.payload).unwrap());
            event
        })
        .collect()
}

fn template(view: &str, mapping: &str, code: &str) -> String {
    format!(
        r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Items:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: items
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {{AttributeName: id, AttributeType: S}}
      KeySchema:
        - {{AttributeName: id, KeyType: HASH}}
      StreamSpecification:
        StreamViewType: {view}
  Failures:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: stream-failures
  Consumer:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: consumer
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
{code}
      Events:
        Changes:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Items.StreamArn
{mapping}
Outputs:
  Stream:
    Value: !GetAtt Items.StreamArn
"#
    )
}

const ECHO: &str = "        exports.handler = async (event) => { console.log(JSON.stringify(event)); };";

/// The record AWS sends for a change: `sequence` counts the account's records from 1.
fn record(
    event: &str,
    sequence: u128,
    view: &str,
    size: u64,
    keys: Value,
    new: Option<Value>,
    old: Option<Value>,
) -> Value {
    let number = (100_000_000_000_000_000_000u128 + sequence).to_string();
    let mut dynamodb = json!({"ApproximateCreationDateTime": 1_767_225_600, "Keys": keys});
    if let Some(n) = new {
        dynamodb["NewImage"] = n;
    }
    if let Some(o) = old {
        dynamodb["OldImage"] = o;
    }
    dynamodb["SequenceNumber"] = json!(number);
    dynamodb["SizeBytes"] = json!(size);
    dynamodb["StreamViewType"] = json!(view);
    json!({
        "eventID": md5_hex(format!("{STREAM_ARN}/{number}").as_bytes()),
        "eventName": event,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": dynamodb,
        "eventSourceARN": STREAM_ARN,
    })
}

/// Put, identical put, update, delete, delete of a missing item; then one advance delivers one batch.
fn changes(view: &str) -> Vec<Value> {
    let mut cloud = deploy(&template(view, "            StartingPosition: TRIM_HORIZON", ECHO));
    let item = json!({"id": {"S": "a"}, "n": {"N": "1"}});
    let printed = run(
        &mut cloud,
        &[
            sdk("PutItem", json!({"TableName": "items", "Item": item})),
            sdk("PutItem", json!({"TableName": "items", "Item": item})),
            sdk(
                "UpdateItem",
                json!({"TableName": "items", "Key": {"id": {"S": "a"}}, "UpdateExpression": "SET n = n + :one",
                       "ExpressionAttributeValues": {":one": {"N": "1"}}}),
            ),
            sdk("DeleteItem", json!({"TableName": "items", "Key": {"id": {"S": "a"}}})),
            sdk("DeleteItem", json!({"TableName": "items", "Key": {"id": {"S": "a"}}})),
            json!({"advance": "1s"}),
        ],
    );
    assert_eq!(printed[5], json!({"now": "2026-01-01T00:00:01.000Z"}));
    let events = logged_events(&cloud);
    assert_eq!(events.len(), 1, "one batch: {events:?}");
    events[0]["Records"].as_array().unwrap().clone()
}

#[test]
fn new_and_old_images() {
    let keys = json!({"id": {"S": "a"}});
    let one = json!({"id": {"S": "a"}, "n": {"N": "1"}});
    let two = json!({"id": {"S": "a"}, "n": {"N": "2"}});
    // Sizes: keys "id"+"a" = 3; each image "id"+"a" + "n"+1 digit (2 bytes) = 6.
    let v = "NEW_AND_OLD_IMAGES";
    assert_eq!(
        changes(v),
        [
            record("INSERT", 1, v, 9, keys.clone(), Some(one.clone()), None),
            record("MODIFY", 2, v, 15, keys.clone(), Some(two.clone()), Some(one)),
            record("REMOVE", 3, v, 9, keys, None, Some(two)),
        ]
    );
}

#[test]
fn keys_only_new_image_and_old_image() {
    let keys = json!({"id": {"S": "a"}});
    let one = json!({"id": {"S": "a"}, "n": {"N": "1"}});
    let two = json!({"id": {"S": "a"}, "n": {"N": "2"}});
    let v = "KEYS_ONLY";
    assert_eq!(
        changes(v),
        [
            record("INSERT", 1, v, 3, keys.clone(), None, None),
            record("MODIFY", 2, v, 3, keys.clone(), None, None),
            record("REMOVE", 3, v, 3, keys.clone(), None, None),
        ]
    );
    let v = "NEW_IMAGE";
    assert_eq!(
        changes(v),
        [
            record("INSERT", 1, v, 9, keys.clone(), Some(one.clone()), None),
            record("MODIFY", 2, v, 9, keys.clone(), Some(two.clone()), None),
            record("REMOVE", 3, v, 3, keys.clone(), None, None),
        ]
    );
    let v = "OLD_IMAGE";
    assert_eq!(
        changes(v),
        [
            record("INSERT", 1, v, 3, keys.clone(), None, None),
            record("MODIFY", 2, v, 9, keys.clone(), None, Some(one)),
            record("REMOVE", 3, v, 9, keys, None, Some(two)),
        ]
    );
}

#[test]
fn the_table_describes_its_stream_and_the_template_output_names_it() {
    let mut cloud = Cloud::default();
    let text = template("NEW_IMAGE", "            StartingPosition: LATEST", ECHO);
    let stack = template::load("streams.yaml", &text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    assert_eq!(stack.outputs[0].value, json!(STREAM_ARN));
    let printed = run(&mut cloud, &[sdk("DescribeTable", json!({"TableName": "items"}))]);
    let table = &printed[0]["Table"];
    assert_eq!(
        table["StreamSpecification"],
        json!({"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"})
    );
    assert_eq!(table["LatestStreamArn"], json!(STREAM_ARN));
    assert_eq!(table["LatestStreamLabel"], json!("2026-01-01T00:00:00.000"));
}

#[test]
fn batches_writes_from_batch_write_and_transactions_in_order() {
    let mut cloud = deploy(&template(
        "KEYS_ONLY",
        "            StartingPosition: LATEST\n            BatchSize: 2",
        ECHO,
    ));
    let put = |id: &str| json!({"PutRequest": {"Item": {"id": {"S": id}}}});
    run(
        &mut cloud,
        &[
            sdk(
                "BatchWriteItem",
                json!({"RequestItems": {"items": [put("a"), put("b"), put("c")]}}),
            ),
            sdk(
                "TransactWriteItems",
                json!({"TransactItems": [
                    {"Delete": {"TableName": "items", "Key": {"id": {"S": "a"}}}},
                    {"Put": {"TableName": "items", "Item": {"id": {"S": "d"}}}},
                ]}),
            ),
            json!({"advance": "1s"}),
        ],
    );
    let events = logged_events(&cloud);
    let names: Vec<Vec<(String, String)>> = events
        .iter()
        .map(|e| {
            e["Records"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r["eventName"].as_str().unwrap().to_string(),
                        r["dynamodb"]["Keys"]["id"]["S"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .collect();
    let pair = |e: &str, id: &str| (e.to_string(), id.to_string());
    assert_eq!(
        names,
        [
            vec![pair("INSERT", "a"), pair("INSERT", "b")],
            vec![pair("INSERT", "c"), pair("REMOVE", "a")],
            vec![pair("INSERT", "d")],
        ]
    );
}

const FAILS_ON_BAD: &str = r#"        exports.handler = async (event) => {
          console.log(JSON.stringify(event));
          if (event.Records.some((r) => r.dynamodb.Keys.id.S === 'bad')) throw new Error('bad record');
        };"#;

#[test]
fn bisecting_isolates_a_bad_record_which_ends_in_the_on_failure_queue() {
    let mapping = "            StartingPosition: TRIM_HORIZON
            BatchSize: 3
            BisectBatchOnFunctionError: true
            MaximumRetryAttempts: 1
            DestinationConfig:
              OnFailure:
                Type: SQS
                Destination: !GetAtt Failures.Arn";
    let mut cloud = Cloud::default();
    let text = template("KEYS_ONLY", mapping, FAILS_ON_BAD);
    let stack = template::load("streams.yaml", &text, &LoadOptions::default(), &mut cloud).unwrap();
    // SAM removes its `Type` member and lets the execution role send to the queue.
    let resource = |id: &str| stack.resources.iter().find(|r| r.logical_id == id).unwrap();
    assert_eq!(
        resource("ConsumerChanges").properties["DestinationConfig"],
        json!({"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:123456789012:stream-failures"}})
    );
    assert_eq!(
        resource("ConsumerRole").properties["Policies"],
        json!([{"PolicyName": "ConsumerChangesSQSPolicy", "PolicyDocument": {"Statement": [
            {"Action": "sqs:SendMessage", "Effect": "Allow", "Resource": "arn:aws:sqs:us-east-1:123456789012:stream-failures"}]}}])
    );
    cloud.deploy(&stack).unwrap();
    let put = |id: &str| sdk("PutItem", json!({"TableName": "items", "Item": {"id": {"S": id}}}));
    let queue = "https://sqs.us-east-1.amazonaws.com/123456789012/stream-failures";
    let printed = run(
        &mut cloud,
        &[
            put("a"),
            put("bad"),
            put("c"),
            json!({"advance": "10s"}),
            json!({"sdk": {"service": "sqs", "operation": "ReceiveMessage", "input": {"QueueUrl": queue}}}),
        ],
    );
    let ids = |e: &Value| -> Vec<String> {
        e["Records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["dynamodb"]["Keys"]["id"]["S"].as_str().unwrap().to_string())
            .collect()
    };
    let batches: Vec<Vec<String>> = logged_events(&cloud).iter().map(ids).collect();
    // [a bad c] fails and splits into [a bad] and [c]; [a bad] splits into [a] and [bad]; [bad] is retried once
    // (MaximumRetryAttempts 1), then discarded; [c] follows.
    assert_eq!(
        batches,
        [
            vec!["a", "bad", "c"],
            vec!["a", "bad"],
            vec!["a"],
            vec!["bad"],
            vec!["bad"],
            vec!["c"]
        ]
    );
    let db = cloud.service::<DynamoDb>().unwrap();
    let last_bad = &db.stream_invocations[4];
    assert_eq!(last_bad.error.as_deref(), Some("Unhandled"));
    // The retry waited one polling interval (250 ms) after the first failure of [bad].
    let first_bad = &db.stream_invocations[3];
    assert!(
        last_bad.at_ms >= first_bad.at_ms + 250,
        "{} {}",
        first_bad.at_ms,
        last_bad.at_ms
    );
    let messages = printed[4]["Messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1);
    let body: Value = serde_json::from_str(messages[0]["Body"].as_str().unwrap()).unwrap();
    let bad_sequence = "100000000000000000002";
    let shard = body["DDBStreamBatchInfo"]["shardId"].as_str().unwrap().to_string();
    assert_eq!(
        body,
        json!({
            "requestContext": {
                "requestId": last_bad.request_id,
                "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:consumer",
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": 2,
            },
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
            "version": "1.0",
            "timestamp": body["timestamp"],
            "DDBStreamBatchInfo": {
                "shardId": shard,
                "startSequenceNumber": bad_sequence,
                "endSequenceNumber": bad_sequence,
                "approximateArrivalOfFirstRecord": "2026-01-01T00:00:00Z",
                "approximateArrivalOfLastRecord": "2026-01-01T00:00:00Z",
                "batchSize": 1,
                "streamArn": STREAM_ARN,
            }
        })
    );
    assert!(shard.starts_with("shardId-00000001767225600000-"), "{shard}");
    assert_eq!(shard.len(), "shardId-00000001573689847184-864758bb".len());
    let timestamp = body["timestamp"].as_str().unwrap();
    assert!(
        timestamp.starts_with("2026-01-01T00:00:0") && timestamp.ends_with('Z'),
        "{timestamp}"
    );
}

const FAILS_B_ONCE: &str = r#"        let seen = 0;
        exports.handler = async (event) => {
          console.log(JSON.stringify(event));
          seen += 1;
          const b = event.Records.find((r) => r.dynamodb.Keys.id.S === 'b');
          if (b && seen === 1) return { batchItemFailures: [{ itemIdentifier: b.dynamodb.SequenceNumber }] };
          return { batchItemFailures: [] };
        };"#;

#[test]
fn a_reported_item_failure_checkpoints_before_it() {
    let mapping = "            StartingPosition: TRIM_HORIZON
            FunctionResponseTypes: [ReportBatchItemFailures]";
    let mut cloud = deploy(&template("KEYS_ONLY", mapping, FAILS_B_ONCE));
    let put = |id: &str| sdk("PutItem", json!({"TableName": "items", "Item": {"id": {"S": id}}}));
    run(&mut cloud, &[put("a"), put("b"), put("c"), json!({"advance": "5s"})]);
    let sequences: Vec<Vec<String>> = logged_events(&cloud)
        .iter()
        .map(|e| {
            e["Records"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["dynamodb"]["SequenceNumber"].as_str().unwrap().to_string())
                .collect()
        })
        .collect();
    let s = |n: u128| (100_000_000_000_000_000_000u128 + n).to_string();
    assert_eq!(sequences, [vec![s(1), s(2), s(3)], vec![s(2), s(3)]]);
}

#[test]
fn a_failing_batch_blocks_the_shard_and_is_dropped_without_a_destination() {
    let mapping = "            StartingPosition: TRIM_HORIZON
            MaximumRetryAttempts: 2";
    let mut cloud = deploy(&template("KEYS_ONLY", mapping, FAILS_ON_BAD));
    let put = |id: &str| sdk("PutItem", json!({"TableName": "items", "Item": {"id": {"S": id}}}));
    run(
        &mut cloud,
        &[
            put("bad"),
            json!({"advance": "1s"}),
            put("next"),
            json!({"advance": "1s"}),
        ],
    );
    let batches: Vec<usize> = logged_events(&cloud)
        .iter()
        .map(|e| e["Records"].as_array().unwrap().len())
        .collect();
    // The first invocation, two retries (after 250 ms and 500 ms), then the batch is dropped and `next` runs.
    assert_eq!(batches, [1, 1, 1, 1]);
    let db = cloud.service::<DynamoDb>().unwrap();
    let errors: Vec<Option<&str>> = db.stream_invocations.iter().map(|i| i.error.as_deref()).collect();
    assert_eq!(errors, [Some("Unhandled"), Some("Unhandled"), Some("Unhandled"), None]);
}

#[test]
fn bad_mappings_are_refused_at_deploy() {
    for (mapping, message) in [
        ("            BatchSize: 10", "StartingPosition is required for a DynamoDB Streams event source"),
        (
            "            StartingPosition: TRIM_HORIZON\n            BatchSize: 10001",
            "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000",
        ),
        (
            "            StartingPosition: TRIM_HORIZON\n            ParallelizationFactor: 2",
            "not simulated: ParallelizationFactor above 1 (the simulated stream has one shard)",
        ),
    ] {
        let mut cloud = Cloud::default();
        let text = template("KEYS_ONLY", mapping, ECHO);
        let stack = template::load("streams.yaml", &text, &LoadOptions::default(), &mut cloud).unwrap();
        let error = cloud.deploy(&stack).unwrap_err();
        assert_eq!(error.message, message);
    }
}

#[test]
fn the_streams_api_lists_describes_and_reads_the_stream() {
    let mut cloud = deploy(&template("KEYS_ONLY", "            StartingPosition: LATEST", ECHO));
    let put = |id: &str| sdk("PutItem", json!({"TableName": "items", "Item": {"id": {"S": id}}}));
    let printed = run(
        &mut cloud,
        &[
            sdk("ListStreams", json!({})),
            put("a"),
            put("b"),
            sdk("DescribeStream", json!({"StreamArn": STREAM_ARN})),
        ],
    );
    assert_eq!(
        printed[0],
        json!({"Streams": [{"StreamArn": STREAM_ARN, "TableName": "items", "StreamLabel": "2026-01-01T00:00:00.000"}]})
    );
    let description = &printed[3]["StreamDescription"];
    let shard = description["Shards"][0]["ShardId"].as_str().unwrap().to_string();
    assert_eq!(
        description,
        &json!({
            "StreamArn": STREAM_ARN,
            "StreamLabel": "2026-01-01T00:00:00.000",
            "StreamStatus": "ENABLED",
            "StreamViewType": "KEYS_ONLY",
            "CreationRequestDateTime": 1_767_225_600.0,
            "TableName": "items",
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "Shards": [{"ShardId": shard, "SequenceNumberRange": {"StartingSequenceNumber": "100000000000000000001"}}],
        })
    );
    let printed = run(
        &mut cloud,
        &[sdk(
            "GetShardIterator",
            json!({"StreamArn": STREAM_ARN, "ShardId": shard, "ShardIteratorType": "AFTER_SEQUENCE_NUMBER",
                   "SequenceNumber": "100000000000000000001"}),
        )],
    );
    let iterator = printed[0]["ShardIterator"].as_str().unwrap().to_string();
    let printed = run(&mut cloud, &[sdk("GetRecords", json!({"ShardIterator": iterator}))]);
    let records = printed[0]["Records"].as_array().unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["dynamodb"]["Keys"], json!({"id": {"S": "b"}}));
    assert_eq!(records[0]["eventName"], "INSERT");
    assert!(records[0].get("eventSourceARN").is_none());
    let next = printed[0]["NextShardIterator"].as_str().unwrap().to_string();
    // Disabling the stream closes its shard: what is left can still be read, then the iterator ends.
    let printed = run(
        &mut cloud,
        &[
            sdk(
                "UpdateTable",
                json!({"TableName": "items", "StreamSpecification": {"StreamEnabled": false}}),
            ),
            sdk("GetRecords", json!({"ShardIterator": next})),
            sdk("DescribeStream", json!({"StreamArn": STREAM_ARN})),
            sdk("GetRecords", json!({"ShardIterator": "nonsense"})),
        ],
    );
    assert_eq!(printed[1], json!({"Records": []}));
    assert_eq!(printed[2]["StreamDescription"]["StreamStatus"], "DISABLED");
    assert_eq!(
        printed[2]["StreamDescription"]["Shards"][0]["SequenceNumberRange"],
        json!({"StartingSequenceNumber": "100000000000000000001", "EndingSequenceNumber": "100000000000000000002"})
    );
    assert_eq!(
        printed[3],
        json!({"error": {"code": "ValidationException", "message": "Invalid ShardIterator"}})
    );
}

#[test]
fn without_sams_type_the_role_may_not_send_to_the_destination() {
    // "Your execution role must have permissions for the destination": without `Type`, SAM adds no policy and
    // the invocation record is refused by IAM (and dropped).
    let mapping = "            StartingPosition: TRIM_HORIZON
            MaximumRetryAttempts: 0
            DestinationConfig:
              OnFailure:
                Destination: !GetAtt Failures.Arn";
    let mut cloud = deploy(&template("KEYS_ONLY", mapping, FAILS_ON_BAD));
    let queue = "https://sqs.us-east-1.amazonaws.com/123456789012/stream-failures";
    let printed = run(
        &mut cloud,
        &[
            sdk("PutItem", json!({"TableName": "items", "Item": {"id": {"S": "bad"}}})),
            json!({"advance": "1s"}),
            json!({"sdk": {"service": "sqs", "operation": "ReceiveMessage", "input": {"QueueUrl": queue}}}),
        ],
    );
    assert_eq!(logged_events(&cloud).len(), 1);
    assert_eq!(printed[2], json!({}));
}

const RAW_MAPPING: &str = r#"Resources:
  Items:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: items
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: ghost
      EventSourceArn: !GetAtt Items.StreamArn
      StartingPosition: LATEST
"#;

#[test]
fn a_mapping_to_a_missing_function_backs_off_without_spending_retries() {
    let mut cloud = deploy(RAW_MAPPING);
    run(
        &mut cloud,
        &[
            sdk("PutItem", json!({"TableName": "items", "Item": {"id": {"S": "a"}}})),
            json!({"advance": "10s"}),
        ],
    );
    let db = cloud.service::<DynamoDb>().unwrap();
    let times: Vec<u64> = db
        .stream_invocations
        .iter()
        .map(|i| i.at_ms - 1_767_225_600_000)
        .collect();
    // Refused invokes are retried after 250 ms, doubling (the simulator's reading of "retries until the records
    // expire").
    assert_eq!(times, [0, 250, 750, 1750, 3750, 7750]);
    assert!(db
        .stream_invocations
        .iter()
        .all(|i| i.request_id.is_empty() && i.error.is_some()));
    assert_eq!(db.event_source_mappings[0].state.retries, 0);
}
