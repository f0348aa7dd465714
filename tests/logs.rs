//! CloudWatch Logs: Lambda's invocation lines land in `/aws/lambda/<function>`, one stream per execution
//! environment, whatever invoked the function (here an SQS event source mapping); `FilterLogEvents` reads them with
//! AWS's filter pattern syntax; the API's operations and errors; a role without `logs:*` writes nothing.
//! Expected values: CloudWatch Logs API reference (FilterLogEvents, GetLogEvents, DescribeLogStreams, PutLogEvents,
//! PutRetentionPolicy), user guide "Filter pattern syntax for metric filters, subscription filters, filter log
//! events, and Live Tail", Lambda developer guide "Sending Lambda function logs to CloudWatch Logs".

use serde_json::{json, Value};
use serverless_playground::api::{ApiRequest, AwsError, Caller};
use serverless_playground::lambda::{self, InvocationType};
use serverless_playground::sqs::event_source;
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

fn call(cloud: &mut Cloud, service: &str, operation: &str, input: Value) -> Result<Value, AwsError> {
    let caller = Caller::root("123456789012");
    cloud.call(&ApiRequest {
        service,
        operation,
        input: &input,
        caller: &caller,
    })
}

fn logs(cloud: &mut Cloud, operation: &str, input: Value) -> Result<Value, AwsError> {
    call(cloud, "logs", operation, input)
}

fn deploy(text: &str) -> Cloud {
    let mut cloud = Cloud::default();
    let stack = template::load("t.yaml", text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    cloud
}

const MAPPING: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Work:
    Type: AWS::SQS::Queue
    Properties: {QueueName: work}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: worker
      Runtime: nodejs20.x
      Handler: index.handler
      Events:
        Work:
          Type: SQS
          Properties: {Queue: !GetAtt Work.Arn, BatchSize: 10}
      InlineCode: |
        exports.handler = async (event) => {
          for (const record of event.Records) {
            console.log('processing order', record.body);
            console.log(JSON.stringify({ order: record.body, total: Number(record.body.slice(6)) }));
          }
          await new Promise((resolve) => setTimeout(resolve, 40));
          return {};
        };
"#;

fn iso(ms: u64) -> String {
    serverless_playground::js::iso_millis(ms)
}

#[test]
fn an_sqs_mapped_functions_lines_are_found_by_filter_log_events() {
    let mut cloud = deploy(MAPPING);
    let url = "https://sqs.us-east-1.amazonaws.com/123456789012/work";
    for body in ["order-7", "order-1200"] {
        call(
            &mut cloud,
            "sqs",
            "SendMessage",
            json!({"QueueUrl": url, "MessageBody": body}),
        )
        .unwrap();
    }
    let start = cloud.clock.now_millis();
    assert_eq!(event_source::advance(&mut cloud, 0), 1);
    let end = cloud.clock.now_millis();

    // One group, created on the first invoke; one stream for the environment, named as AWS names it.
    let groups = logs(&mut cloud, "DescribeLogGroups", json!({})).unwrap();
    assert_eq!(
        groups,
        json!({"logGroups": [{
            "logGroupName": "/aws/lambda/worker", "creationTime": end, "metricFilterCount": 0,
            "arn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/worker:*", "storedBytes": 0,
            "logGroupClass": "STANDARD", "logGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/worker"
        }]})
    );
    let streams = logs(
        &mut cloud,
        "DescribeLogStreams",
        json!({"logGroupName": "/aws/lambda/worker"}),
    )
    .unwrap();
    let streams = streams["logStreams"].as_array().unwrap();
    assert_eq!(streams.len(), 1);
    let stream = streams[0]["logStreamName"].as_str().unwrap().to_string();
    let hex = stream.strip_prefix("2026/01/01/[$LATEST]").unwrap();
    assert!(
        hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
        "{stream}"
    );
    assert_eq!(streams[0]["firstEventTimestamp"], json!(start));
    assert_eq!(streams[0]["lastEventTimestamp"], json!(end));
    assert_eq!(streams[0]["lastIngestionTime"], json!(end));
    assert_eq!(
        streams[0]["arn"],
        json!(format!(
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/worker:log-stream:{stream}"
        ))
    );

    // The whole invocation, in order, with virtual timestamps.
    let all = logs(
        &mut cloud,
        "GetLogEvents",
        json!({"logGroupName": "/aws/lambda/worker", "logStreamName": stream, "startFromHead": true}),
    )
    .unwrap();
    let events = all["events"].as_array().unwrap();
    let messages: Vec<&str> = events.iter().map(|e| e["message"].as_str().unwrap()).collect();
    let request_id = messages[0]
        .strip_prefix("START RequestId: ")
        .unwrap()
        .strip_suffix(" Version: $LATEST")
        .unwrap();
    let at = iso(start);
    assert_eq!(
        messages[..6],
        [
            format!("START RequestId: {request_id} Version: $LATEST"),
            format!("{at}\t{request_id}\tINFO\tprocessing order order-7"),
            format!("{at}\t{request_id}\tINFO\t{{\"order\":\"order-7\",\"total\":7}}"),
            format!("{at}\t{request_id}\tINFO\tprocessing order order-1200"),
            format!("{at}\t{request_id}\tINFO\t{{\"order\":\"order-1200\",\"total\":1200}}"),
            format!("END RequestId: {request_id}"),
        ]
    );
    assert!(
        messages[6].starts_with(&format!("REPORT RequestId: {request_id}\tDuration: 40.00 ms\t")),
        "{}",
        messages[6]
    );
    assert_eq!(messages.len(), 7);
    let stamps: Vec<u64> = events.iter().map(|e| e["timestamp"].as_u64().unwrap()).collect();
    assert_eq!(stamps, [start, start, start, start, start, end, end]);
    assert_eq!(end - start, 40);
    assert_eq!(all["nextForwardToken"], format!("f/{:056}", 7));
    assert_eq!(all["nextBackwardToken"], format!("b/{:056}", 0));

    // FilterLogEvents across the group: a term, then a JSON pattern on the text-format lines' JSON.
    let found = logs(
        &mut cloud,
        "FilterLogEvents",
        json!({"logGroupName": "/aws/lambda/worker", "filterPattern": "\"processing order\" -1200"}),
    )
    .unwrap();
    assert_eq!(
        found,
        json!({"events": [{
            "logStreamName": stream, "timestamp": start,
            "message": format!("{at}\t{request_id}\tINFO\tprocessing order order-7"),
            "ingestionTime": end, "eventId": format!("{start:020}{:036}", 1)
        }], "searchedLogStreams": []})
    );
    let big = logs(
        &mut cloud,
        "FilterLogEvents",
        json!({"logGroupName": "/aws/lambda/worker", "filterPattern": "{ $.total > 1000 }"}),
    )
    .unwrap();
    let big: Vec<&str> = big["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        big,
        [format!(
            "{at}\t{request_id}\tINFO\t{{\"order\":\"order-1200\",\"total\":1200}}"
        )]
    );
}

/// A group with one stream holding `messages`, one ms apart from the clock's start.
fn group_with(messages: &[&str]) -> Cloud {
    let mut cloud = Cloud::default();
    logs(&mut cloud, "CreateLogGroup", json!({"logGroupName": "app"})).unwrap();
    logs(
        &mut cloud,
        "CreateLogStream",
        json!({"logGroupName": "app", "logStreamName": "s1"}),
    )
    .unwrap();
    let now = cloud.clock.now_millis();
    let events: Vec<Value> = messages
        .iter()
        .enumerate()
        .map(|(i, m)| json!({"timestamp": now + i as u64, "message": m}))
        .collect();
    logs(
        &mut cloud,
        "PutLogEvents",
        json!({"logGroupName": "app", "logStreamName": "s1", "logEvents": events}),
    )
    .unwrap();
    cloud
}

fn filter(cloud: &mut Cloud, pattern: &str) -> Result<Vec<String>, AwsError> {
    let out = logs(
        cloud,
        "FilterLogEvents",
        json!({"logGroupName": "app", "filterPattern": pattern}),
    )?;
    Ok(out["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect())
}

const TEXT: [&str; 5] = [
    "[ERROR 400] BAD REQUEST",
    "[ERROR 401] UNAUTHORIZED REQUEST",
    "[ERROR 419] MISSING ARGUMENTS",
    "[WARN 429] TOO MANY REQUESTS",
    "[INFO 200] OK Exiting",
];

#[test]
fn unstructured_patterns_terms_phrases_exclusion_and_or() {
    let mut cloud = group_with(&TEXT);
    assert_eq!(filter(&mut cloud, "").unwrap(), TEXT);
    assert_eq!(filter(&mut cloud, "ERROR").unwrap(), TEXT[..3]);
    assert_eq!(filter(&mut cloud, "ERROR REQUEST").unwrap(), TEXT[..2]);
    assert_eq!(filter(&mut cloud, "\"BAD REQUEST\"").unwrap(), TEXT[..1]);
    assert_eq!(filter(&mut cloud, "ERROR -UNAUTHORIZED").unwrap(), [TEXT[0], TEXT[2]]);
    assert_eq!(filter(&mut cloud, "?WARN ?INFO").unwrap(), TEXT[3..]);
    assert_eq!(filter(&mut cloud, "%4[0-9]9%").unwrap(), [TEXT[2], TEXT[3]]);
    assert!(
        filter(&mut cloud, "error").unwrap().is_empty(),
        "terms are case sensitive"
    );
}

const JSON_EVENTS: [&str; 4] = [
    r#"{"eventType":"UpdateTrail","latency":750,"user":{"id":1},"ids":[1,2,3],"error":null,"ok":true}"#,
    r#"{"eventType":"CreateTrail","latency":20,"user":{"id":2},"ids":[4],"ok":false}"#,
    r#"{"eventType":"DeleteTrail","latency":1e3,"user":{"id":3,"email":"a@example.com"}}"#,
    "not json at all",
];

#[test]
fn json_patterns_compare_strings_numbers_and_existence() {
    let mut cloud = group_with(&JSON_EVENTS);
    let j = &JSON_EVENTS;
    assert_eq!(
        filter(&mut cloud, r#"{ $.eventType = "UpdateTrail" }"#).unwrap(),
        [j[0]]
    );
    assert_eq!(filter(&mut cloud, "{ $.eventType = *Trail }").unwrap(), j[..3]);
    assert_eq!(
        filter(&mut cloud, r#"{ $.eventType != "UpdateTrail" }"#).unwrap(),
        j[1..3]
    );
    assert_eq!(filter(&mut cloud, "{ $.latency > 500 }").unwrap(), [j[0], j[2]]);
    assert_eq!(
        filter(&mut cloud, "{ $.latency <= 750 && $.user.id >= 2 }").unwrap(),
        [j[1]]
    );
    assert_eq!(
        filter(&mut cloud, "{ $.user.id = 1 || $.user.id = 3 }").unwrap(),
        [j[0], j[2]]
    );
    assert_eq!(
        filter(&mut cloud, "{ ($.latency = 20) || ($.ids[2] = 3) }").unwrap(),
        j[..2]
    );
    assert_eq!(filter(&mut cloud, "{ $.ids[*] = 4 }").unwrap(), [j[1]]);
    assert_eq!(filter(&mut cloud, "{ $.error IS NULL }").unwrap(), [j[0]]);
    assert_eq!(filter(&mut cloud, "{ $.ids NOT EXISTS }").unwrap(), [j[2]]);
    assert_eq!(filter(&mut cloud, "{ $.ok IS FALSE }").unwrap(), [j[1]]);
    assert_eq!(
        filter(&mut cloud, r#"{ $.user.email = "*@example.com" }"#).unwrap(),
        [j[2]]
    );
}

const ACCESS: [&str; 4] = [
    r#"127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534"#,
    r#"127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /index.html HTTP/1.0" 404 2326"#,
    r#"10.0.0.2 - bob [10/Oct/2000:13:50:35 -0700] "POST /login HTTP/1.0" 403 512"#,
    "short line",
];

#[test]
fn space_delimited_patterns_name_fields_with_conditions_and_ellipses() {
    let mut cloud = group_with(&ACCESS);
    let a = &ACCESS;
    let all = "[ip, id, user, timestamp, request, status_code, bytes]";
    assert_eq!(filter(&mut cloud, all).unwrap(), a[..3]);
    assert_eq!(
        filter(
            &mut cloud,
            "[ip, id, user, timestamp, request, status_code = 4*, bytes]"
        )
        .unwrap(),
        a[1..3]
    );
    assert_eq!(
        filter(
            &mut cloud,
            "[ip, id, user, timestamp, request, status_code = 4*, bytes > 1000]"
        )
        .unwrap(),
        [a[1]]
    );
    assert_eq!(
        filter(&mut cloud, "[ip, ..., status_code = 200 || status_code = 403, bytes]").unwrap(),
        [a[0], a[2]]
    );
    assert_eq!(
        filter(&mut cloud, "[..., request = \"POST *\", status_code, bytes]").unwrap(),
        [a[2]]
    );
    assert_eq!(filter(&mut cloud, "[ip = 127.0.0.1, ...]").unwrap(), a[..2]);
    assert_eq!(filter(&mut cloud, "[w1, w2]").unwrap(), [a[3]]);
}

#[test]
fn invalid_patterns_are_awss_invalid_parameter_exceptions() {
    let mut cloud = group_with(&TEXT);
    let cases = [
        (
            "user@example.com",
            "Invalid filter pattern: Invalid character(s) in term 'user@example.com'",
        ),
        ("\"\"", "Invalid filter pattern: Invalid character(s) in term '\"\"'"),
        ("{ $.a = 1", "If a filter pattern starts with '{' it must end with '}'"),
        ("{ $.a > \"x\" }", "Invalid filter pattern"),
        ("{ a = 1 }", "Invalid filter pattern"),
        ("[a, b", "Invalid filter pattern"),
        ("[status_code = 4* && bytes > 1000]", "Invalid filter pattern"),
        ("%(a|b)%", "Invalid filter pattern"),
    ];
    for (pattern, message) in cases {
        let err = filter(&mut cloud, pattern).unwrap_err();
        assert_eq!(
            (err.code.as_str(), err.status, err.message.as_str()),
            ("InvalidParameterException", 400, message)
        );
    }
}

#[test]
fn the_apis_errors_and_retention_on_the_virtual_clock() {
    let mut cloud = group_with(&TEXT);
    let err = logs(&mut cloud, "CreateLogGroup", json!({"logGroupName": "app"})).unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        (
            "ResourceAlreadyExistsException",
            "The specified log group already exists"
        )
    );
    let err = logs(
        &mut cloud,
        "GetLogEvents",
        json!({"logGroupName": "nope", "logStreamName": "s1"}),
    )
    .unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        ("ResourceNotFoundException", "The specified log group does not exist.")
    );
    let err = logs(
        &mut cloud,
        "GetLogEvents",
        json!({"logGroupName": "app", "logStreamName": "s2"}),
    )
    .unwrap_err();
    assert_eq!(err.message, "The specified log stream does not exist.");
    let now = cloud.clock.now_millis();
    let err = logs(
        &mut cloud,
        "PutLogEvents",
        json!({"logGroupName": "app", "logStreamName": "s1",
               "logEvents": [{"timestamp": now + 5, "message": "b"}, {"timestamp": now, "message": "a"}]}),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "Log events in a single PutLogEvents request must be in chronological order."
    );
    let err = logs(
        &mut cloud,
        "PutRetentionPolicy",
        json!({"logGroupName": "app", "retentionInDays": 2}),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]"
    );
    // Old and future events are rejected, not stored.
    let put = logs(
        &mut cloud,
        "PutLogEvents",
        json!({"logGroupName": "app", "logStreamName": "s1", "logEvents": [
            {"timestamp": now - 15 * 86_400_000, "message": "ancient"},
            {"timestamp": now + 10, "message": "fresh"},
            {"timestamp": now + 3 * 3_600_000, "message": "future"}]}),
    )
    .unwrap();
    assert_eq!(
        put["rejectedLogEventsInfo"],
        json!({"tooOldLogEventEndIndex": 0, "tooNewLogEventStartIndex": 2})
    );
    assert_eq!(filter(&mut cloud, "?ancient ?fresh ?future").unwrap(), ["fresh"]);
    // One day of retention: two days later every event has expired.
    logs(
        &mut cloud,
        "PutRetentionPolicy",
        json!({"logGroupName": "app", "retentionInDays": 1}),
    )
    .unwrap();
    let described = logs(&mut cloud, "DescribeLogGroups", json!({"logGroupNamePrefix": "ap"})).unwrap();
    assert_eq!(described["logGroups"][0]["retentionInDays"], 1);
    cloud.clock.advance(86_400_000 - 10);
    assert_eq!(filter(&mut cloud, "").unwrap().len(), TEXT.len() + 1);
    cloud.clock.advance(86_400_000);
    assert!(filter(&mut cloud, "").unwrap().is_empty());
    logs(&mut cloud, "DeleteLogGroup", json!({"logGroupName": "app"})).unwrap();
    assert_eq!(
        logs(&mut cloud, "DescribeLogGroups", json!({})).unwrap(),
        json!({"logGroups": []})
    );
}

const NO_LOGS_ROLE: &str = r#"Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: quiet-role
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: quiet
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: |
          exports.handler = async () => { console.log('hello'); return 'ran'; };
"#;

#[test]
fn a_role_without_logs_permissions_runs_but_writes_nothing() {
    let mut cloud = deploy(NO_LOGS_ROLE);
    let out = lambda::invoke(&mut cloud, "quiet", InvocationType::RequestResponse, "{}").unwrap();
    assert_eq!((out.function_error, out.payload.as_str()), (None, "\"ran\""));
    assert_eq!(out.logs.len(), 4, "the invoke's own log tail is unaffected");
    assert_eq!(
        logs(&mut cloud, "DescribeLogGroups", json!({})).unwrap(),
        json!({"logGroups": []})
    );
}

const JSON_FORMAT: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: structured
      Runtime: nodejs20.x
      Handler: index.handler
      LoggingConfig: {LogFormat: JSON}
      InlineCode: |
        exports.handler = async () => { console.warn('slow', 42); return {}; };
"#;

#[test]
fn json_format_functions_store_their_json_records() {
    let mut cloud = deploy(JSON_FORMAT);
    let out = lambda::invoke(&mut cloud, "structured", InvocationType::RequestResponse, "{}").unwrap();
    let found = logs(
        &mut cloud,
        "FilterLogEvents",
        json!({"logGroupName": "/aws/lambda/structured", "filterPattern": "{ $.level = \"WARN\" || $.type = \"platform.start\" }"}),
    )
    .unwrap();
    let messages: Vec<&str> = found["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages, [out.logs[0].as_str(), out.logs[1].as_str()]);
    assert!(messages[0].starts_with("{\"time\":"), "{}", messages[0]);
    assert!(messages[1].contains("\"level\":\"WARN\""), "{}", messages[1]);
}

const READER: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: reader
      Runtime: RUNTIME
      Handler: index.handler
      Policies:
        - Statement:
            - {Effect: Allow, Action: ['logs:FilterLogEvents', 'logs:DescribeLogGroups'], Resource: '*'}
      InlineCode: |
        CODE
"#;

fn reader(runtime: &str, code: &str) -> Cloud {
    deploy(&READER.replace("RUNTIME", runtime).replace("CODE", code))
}

#[test]
fn handlers_read_logs_with_the_v3_and_v2_clients() {
    let v3 = "const { CloudWatchLogsClient, FilterLogEventsCommand } = require('@aws-sdk/client-cloudwatch-logs');\n        \
              exports.handler = async () => { console.log('marker-one'); const out = await new CloudWatchLogsClient({}).send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/reader', filterPattern: 'marker' })); try { await new CloudWatchLogsClient({}).send(new FilterLogEventsCommand({ logGroupName: 'missing' })); } catch (e) { return [out.events.length, e.name, e.message]; } };";
    let mut cloud = reader("nodejs20.x", v3);
    lambda::invoke(&mut cloud, "reader", InvocationType::RequestResponse, "{}").unwrap();
    let second = lambda::invoke(&mut cloud, "reader", InvocationType::RequestResponse, "{}").unwrap();
    // The second invoke sees the first invoke's line (its own is written when it ends).
    assert_eq!(
        second.payload,
        r#"[1,"ResourceNotFoundException","The specified log group does not exist."]"#
    );

    let v2 = "const AWS = require('aws-sdk');\n        \
              exports.handler = async () => { const out = await new AWS.CloudWatchLogs().describeLogGroups({}).promise(); return out.logGroups.map((g) => g.logGroupName); };";
    let mut cloud = reader("nodejs16.x", v2);
    lambda::invoke(&mut cloud, "reader", InvocationType::RequestResponse, "{}").unwrap();
    let out = lambda::invoke(&mut cloud, "reader", InvocationType::RequestResponse, "{}").unwrap();
    assert_eq!(out.payload, r#"["/aws/lambda/reader"]"#);
}

#[test]
fn the_cli_sdk_line_calls_logs() {
    let mut cloud = group_with(&TEXT);
    let line = serverless_playground::cli::sdk_line(
        &mut cloud,
        &json!({"service": "logs", "operation": "FilterLogEvents", "input": {"logGroupName": "app", "filterPattern": "WARN", "limit": 1}}),
    )
    .unwrap();
    let now = Cloud::default().clock.now_millis();
    assert_eq!(
        line,
        format!(
            "{}\n",
            json!({"events": [{"logStreamName": "s1", "timestamp": now + 3, "message": TEXT[3], "ingestionTime": now,
                   "eventId": format!("{:020}{:036}", now + 3, 3)}], "searchedLogStreams": []})
        )
    );
}
