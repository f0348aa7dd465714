//! DynamoDB Streams to Lambda: 10,000 stream records through an event source mapping (batch size 100) to a
//! trivial handler, in virtual time. `cargo bench --bench dynamodb_streams`.
//!
//! Each sample starts from a fresh account whose table took 10,000 PutItems (not timed; each appends a stream
//! record) and times `dynamodb::stream_source::poll_event_sources` draining the stream: 100 warm synchronous
//! invokes. Records per second of real time = 10,000 / the reported time; cost per record = time / 10,000.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use serde_json::json;
use serverless_playground::api::{ApiRequest, Caller};
use serverless_playground::dynamodb::stream_source;
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;
use std::time::Duration;

const RECORDS: usize = 10_000;

const TEMPLATE: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Items:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: items
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: worker
      Runtime: nodejs20.x
      Handler: index.handler
      Events:
        Changes:
          Type: DynamoDB
          Properties: {Stream: !GetAtt Items.StreamArn, StartingPosition: TRIM_HORIZON, BatchSize: 100}
      InlineCode: |
        exports.handler = async (event) => event.Records.length;
"#;

/// A fresh account whose `items` stream holds [`RECORDS`] records.
fn loaded_account() -> Cloud {
    let mut cloud = Cloud::default();
    let stack = template::load("bench.yaml", TEMPLATE, &LoadOptions::default(), &mut cloud).expect("template loads");
    cloud.deploy(&stack).expect("template deploys");
    let caller = Caller::root(&cloud.account_id);
    for i in 0..RECORDS {
        let input =
            json!({"TableName": "items", "Item": {"id": {"S": format!("item-{i}")}, "n": {"N": i.to_string()}}});
        let request = ApiRequest {
            service: "dynamodb",
            operation: "PutItem",
            input: &input,
            caller: &caller,
        };
        cloud.call(&request).expect("items are written");
    }
    cloud
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("dynamodb_streams");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function("drain_10000_records_batch_100", |b| {
        b.iter_batched(
            loaded_account,
            |mut cloud| {
                let batches = stream_source::poll_event_sources(&mut cloud);
                assert_eq!(batches, RECORDS / 100, "every record is delivered once");
                cloud
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
