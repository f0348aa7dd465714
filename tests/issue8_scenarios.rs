//! Issue #8's end-to-end scenarios on SAM templates (`Transform: AWS::Serverless-2016-10-31`), driven through the
//! CLI's script lines (`{"sdk": ...}`, `{"advance": ...}`) where they fit:
//! (a) an S3 upload triggers a handler (SAM `S3` event) that writes to DynamoDB with `@aws-sdk/lib-dynamodb` under
//! a `DynamoDBCrudPolicy`; the item is read back with GetItem;
//! (b) a SAM `Schedule` event `rate(5 minutes)` runs its function every 5 minutes of virtual time with
//! EventBridge's scheduled event (EventBridge user guide, scheduled events).
//! (The SNS fan-out + SQS mapping + DLQ scenario is in tests/sqs_sns.rs.)

use serde_json::{json, Value};
use serverless_playground::cli;
use serverless_playground::events::{self, Events};
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

fn deploy(file: &str, text: &str) -> Cloud {
    let mut cloud = Cloud::default();
    let stack = template::load(file, text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    cloud
}

/// Runs script `lines` and answers each printed line as JSON, and the log lines.
fn run(cloud: &mut Cloud, lines: &[Value]) -> (Vec<Value>, Vec<String>) {
    let script: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let (out, logs) = cli::request_script(cloud, None, &script).unwrap();
    let printed: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(printed.len(), lines.len(), "one JSON line per script line: {out}");
    (printed, logs)
}

const UPLOADS: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: uploads-bucket
  Files:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: files
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {AttributeName: key, AttributeType: S}
      KeySchema:
        - {AttributeName: key, KeyType: HASH}
  Index:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: index-upload
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
        const { DynamoDBDocumentClient, PutCommand } = require('@aws-sdk/lib-dynamodb');
        const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
        exports.handler = async (event) => {
          for (const record of event.Records) {
            await db.send(new PutCommand({ TableName: 'files', Item: {
              key: decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')),
              bucket: record.s3.bucket.name,
              size: record.s3.object.size,
              eventName: record.eventName,
              at: record.eventTime,
            } }));
          }
        };
      Policies:
        - DynamoDBCrudPolicy:
            TableName: files
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
"#;

#[test]
fn an_upload_is_indexed_in_dynamodb() {
    let mut cloud = deploy("uploads.yaml", UPLOADS);
    let (printed, _) = run(
        &mut cloud,
        &[
            json!({"advance": "90s"}),
            // "hello!" in base64.
            json!({"sdk": {"service": "s3", "operation": "PutObject",
                "input": {"Bucket": "uploads-bucket", "Key": "docs/my report.txt", "Body": "aGVsbG8h"}}}),
            json!({"sdk": {"service": "dynamodb", "operation": "GetItem",
                "input": {"TableName": "files", "Key": {"key": {"S": "docs/my report.txt"}}}}}),
            json!({"sdk": {"service": "dynamodb", "operation": "GetItem",
                "input": {"TableName": "nope", "Key": {"key": {"S": "x"}}}}}),
        ],
    );
    assert_eq!(printed[0], json!({"now": "2026-01-01T00:01:30.000Z"}));
    assert_eq!(printed[1]["ETag"], json!("\"5a8dd3ad0756a93ded72b823b19dd877\""));
    assert_eq!(
        printed[2],
        json!({"Item": {
            "key": {"S": "docs/my report.txt"},
            "bucket": {"S": "uploads-bucket"},
            "size": {"N": "6"},
            "eventName": {"S": "ObjectCreated:Put"},
            "at": {"S": "2026-01-01T00:01:30.000Z"},
        }})
    );
    assert_eq!(
        printed[3],
        json!({"error": {"code": "ResourceNotFoundException", "message": "Requested resource not found"}})
    );
}

const TICKER: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Tick:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: tick
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        exports.handler = async (event) => { console.log('EVENT ' + JSON.stringify(event)); };
      Events:
        Every5:
          Type: Schedule
          Properties:
            Schedule: rate(5 minutes)
"#;

#[test]
fn a_schedule_runs_every_five_minutes() {
    let mut cloud = deploy("ticker.yaml", TICKER);
    let rule_arn = cloud.service::<Events>().unwrap().rules[0].arn.clone();
    assert!(
        rule_arn.starts_with("arn:aws:events:us-east-1:123456789012:rule/"),
        "{rule_arn}"
    );
    let (printed, logs) = run(&mut cloud, &[json!({"advance": "30m"})]);
    assert_eq!(printed, vec![json!({"now": "2026-01-01T00:30:00.000Z"})]);
    let logged: Vec<Value> = logs
        .iter()
        .filter_map(|l| {
            l.split_once("EVENT ")
                .map(|(_, e)| serde_json::from_str(e.trim_end()).unwrap())
        })
        .collect();
    assert_eq!(logged.len(), 6, "{logs:?}");
    for (n, event) in logged.iter().enumerate() {
        let id = event["id"].as_str().unwrap();
        assert_eq!(id.len(), 36);
        assert_eq!(
            *event,
            json!({
                "version": "0",
                "id": id,
                "detail-type": "Scheduled Event",
                "source": "aws.events",
                "account": "123456789012",
                "time": format!("2026-01-01T00:{:02}:00Z", (n + 1) * 5),
                "region": "us-east-1",
                "resources": [rule_arn],
                "detail": {}
            })
        );
    }
    // Six more in the next half hour, none before its time.
    assert_eq!(events::advance(&mut cloud, 4 * 60_000).unwrap().len(), 0);
    assert_eq!(events::advance(&mut cloud, 26 * 60_000).unwrap().len(), 6);
}

#[test]
fn script_durations() {
    assert_eq!(cli::parse_duration("250ms"), Ok(250));
    assert_eq!(cli::parse_duration("90s"), Ok(90_000));
    assert_eq!(cli::parse_duration("5m"), Ok(300_000));
    assert_eq!(cli::parse_duration("2h"), Ok(7_200_000));
    for bad in ["", "5", "m", "1.5s", "-1s", "5 m", "5d"] {
        assert!(cli::parse_duration(bad).is_err(), "{bad}");
    }
    let mut cloud = deploy("ticker.yaml", TICKER);
    let error = cli::request_script(&mut cloud, None, "{\"advance\": \"soon\"}\n").unwrap_err();
    assert_eq!(
        error,
        "line 1: \"advance\" takes a duration such as 90s, 5m, 1h or 250ms, not \"soon\""
    );
    let error = cli::request_script(&mut cloud, None, "{\"sdk\": {\"service\": \"s3\"}}\n").unwrap_err();
    assert_eq!(error, "line 1: \"sdk\" needs \"service\" and \"operation\" strings");
}

#[test]
fn sam_schedule_input_and_enabled() {
    let with_input = TICKER.replace(
        "Schedule: rate(5 minutes)",
        "Schedule: cron(0/10 * * * ? *)\n            Input: '{\"job\": \"report\"}'",
    );
    let mut cloud = deploy("ticker.yaml", &with_input);
    let firings = events::advance(&mut cloud, 30 * 60_000).unwrap();
    let times: Vec<u64> = firings.iter().map(|f| f.scheduled_ms).collect();
    let start = 1_767_225_600_000;
    assert_eq!(times, vec![start + 600_000, start + 1_200_000, start + 1_800_000]);
    assert!(firings
        .iter()
        .all(|f| f.delivered && f.payload == "{\"job\": \"report\"}"));

    let disabled = TICKER.replace(
        "Schedule: rate(5 minutes)",
        "Schedule: rate(5 minutes)\n            Enabled: false",
    );
    let mut cloud = deploy("ticker.yaml", &disabled);
    assert!(events::advance(&mut cloud, 30 * 60_000).unwrap().is_empty());
}
