//! Issue #8's measure: 10,000 SQS messages through an event source mapping (batch size 10) to a trivial handler,
//! in virtual time. `cargo bench --bench sqs_event_source`.
//!
//! Each sample starts from a fresh account holding the 10,000 messages (sent with `SendMessageBatch`, not timed)
//! and times `sqs::event_source::poll_event_sources` draining the queue: 1,000 warm invokes, each receive and
//! delete included. Messages per second of real time = 10,000 / the reported time; cost per message = time /
//! 10,000.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use serde_json::json;
use serverless_playground::api::{ApiRequest, Caller};
use serverless_playground::sqs::event_source;
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;
use std::time::Duration;

const MESSAGES: usize = 10_000;
const QUEUE_URL: &str = "https://sqs.us-east-1.amazonaws.com/123456789012/work";

const TEMPLATE: &str = r#"Transform: AWS::Serverless-2016-10-31
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
        exports.handler = async (event) => event.Records.length;
"#;

/// A fresh account whose `work` queue holds [`MESSAGES`] messages.
fn loaded_account() -> Cloud {
    let mut cloud = Cloud::default();
    let stack = template::load("bench.yaml", TEMPLATE, &LoadOptions::default(), &mut cloud).expect("template loads");
    cloud.deploy(&stack).expect("template deploys");
    let caller = Caller::root(&cloud.account_id);
    for batch in 0..MESSAGES / 10 {
        let entries: Vec<_> = (0..10)
            .map(|i| json!({"Id": format!("m{i}"), "MessageBody": format!("message {batch}-{i}")}))
            .collect();
        let input = json!({"QueueUrl": QUEUE_URL, "Entries": entries});
        let request = ApiRequest {
            service: "sqs",
            operation: "SendMessageBatch",
            input: &input,
            caller: &caller,
        };
        cloud.call(&request).expect("messages are sent");
    }
    cloud
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("sqs_event_source");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function("drain_10000_messages_batch_10", |b| {
        b.iter_batched(
            loaded_account,
            |mut cloud| {
                let batches = event_source::poll_event_sources(&mut cloud);
                assert_eq!(batches, MESSAGES / 10, "every message is delivered once");
                cloud
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
