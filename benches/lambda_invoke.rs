//! A hello-world handler through `Invoke`: warm (the environment kept between invokes) and cold (a fresh Boa
//! context, the prelude, module load and init every time), a warm handler making one SDK `GetItem` through a
//! fake `dynamodb` service (the SDK layer and the bridge, not DynamoDB itself), and a warm handler doing a JSON round
//! trip of a 100 KB event: `cargo bench --bench lambda_invoke`. `scripts/bench-lambda-node.sh --engine` runs the
//! same handlers in this machine's Node.js and prints the ratios.
//! Measured on the 2-core dev machine (2026-11-30, shared, load 3-10, so +-20%): hello warm 74 us, cold 6.6 ms per
//! invoke; with one SDK GetItem (lib-dynamodb GetCommand) warm 198 us, cold 15.9 ms (the SDK modules are evaluated
//! on the first require). The same hello handler awaited in a loop by Node.js 20.20 takes 1.0 us.
//! The 100 KB round trip (load 8-10): 46.6 ms with Boa's own `JSON.parse`, 32.9 ms with the native one
//! (src/js/json.rs); Node.js 20.20 takes 1.25 ms.

use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::{json, Value};
use serverless_playground::api::{ApiRequest, AwsError};
use serverless_playground::cloud::Service;
use serverless_playground::lambda::{self, InvocationType, Lambda};
use serverless_playground::template::{self, LoadOptions, Stack, TemplateError};
use serverless_playground::Cloud;
use std::any::Any;
use std::hint::black_box;

const HELLO: &str = r#"
Resources:
  Hello:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: hello
      Runtime: nodejs20.x
      Handler: index.handler
      Code:
        ZipFile: |
          exports.handler = async (event) => {
            console.log('event', event);
            return { statusCode: 200, body: JSON.stringify({ message: 'Hello ' + event.name }) };
          };
"#;

/// Issue 5's third measure: a JSON round trip of a 100 KB event (parse what the runtime gave, serialise it back).
const JSON_ROUND_TRIP: &str = r#"
Resources:
  Echo:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: echo
      Runtime: nodejs20.x
      Handler: index.handler
      Code:
        ZipFile: |
          exports.handler = async (event) => {
            const copy = JSON.parse(JSON.stringify(event));
            return { count: copy.items.length, last: copy.items[copy.items.length - 1].id };
          };
"#;

/// The 100 KB event: `{"items": [{"id", "name", "tags", "n", "active"}, ...]}` (880 items, 102 KB), the same one
/// `scripts/bench-lambda-node.sh` builds for Node.js (keep the two in step).
fn event_100kb() -> String {
    let items: Vec<Value> = (0..880)
        .map(|i| {
            json!({
                "id": format!("item-{i:05}"),
                "name": format!("Item number {i} of the bench event"),
                "tags": ["alpha", "beta", format!("t{}", i % 7)],
                "n": i * 3,
                "active": i % 2 == 0
            })
        })
        .collect();
    json!({ "items": items }).to_string()
}

const GET_ITEM: &str = r#"
Resources:
  Reader:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: reader
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/ReaderRole
      Code:
        ZipFile: |
          const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
          const { DynamoDBDocumentClient, GetCommand } = require('@aws-sdk/lib-dynamodb');
          const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
          exports.handler = async (event) => {
            const { Item } = await doc.send(new GetCommand({ TableName: 'Notes', Key: { id: event.id } }));
            return { statusCode: 200, body: JSON.stringify(Item) };
          };
"#;

/// A `dynamodb` service answering every `GetItem` with one fixed item.
#[derive(Debug)]
struct FixedItem;

impl Service for FixedItem {
    fn name(&self) -> &'static str {
        "DynamoDB (bench fake)"
    }
    fn resource_types(&self) -> &'static [&'static str] {
        &[]
    }
    fn deploy(&mut self, _: &Stack, _: &mut Cloud) -> Result<(), TemplateError> {
        Ok(())
    }
    fn signing_name(&self) -> Option<&'static str> {
        Some("dynamodb")
    }
    fn call(&mut self, request: &ApiRequest<'_>, _: &mut Cloud) -> Result<Value, AwsError> {
        Ok(json!({"Item": {"id": request.input["Key"]["id"], "text": {"S": "hello"}, "n": {"N": "7"}}}))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

fn cloud() -> Cloud {
    let mut cloud = Cloud::default();
    let stack = template::load("hello.yaml", HELLO, &LoadOptions::default(), &mut cloud).expect("template");
    cloud.deploy(&stack).expect("deploy");
    cloud
}

fn echo_cloud() -> Cloud {
    let mut cloud = Cloud::default();
    let stack = template::load("echo.yaml", JSON_ROUND_TRIP, &LoadOptions::default(), &mut cloud).expect("template");
    cloud.deploy(&stack).expect("deploy");
    cloud
}

fn sdk_cloud() -> Cloud {
    let mut cloud = Cloud::without_services("123456789012", "us-east-1", 0);
    cloud.register_service(Box::<Lambda>::default());
    cloud.register_service(Box::new(FixedItem));
    let stack = template::load("reader.yaml", GET_ITEM, &LoadOptions::default(), &mut cloud).expect("template");
    cloud.deploy(&stack).expect("deploy");
    cloud
}

fn invoke(c: &mut Criterion) {
    let event = r#"{"name":"world"}"#;
    let mut warm = cloud();
    lambda::invoke(&mut warm, "hello", InvocationType::RequestResponse, event).expect("first invoke");
    c.bench_function("lambda_invoke_warm", |b| {
        b.iter(|| {
            black_box(lambda::invoke(
                &mut warm,
                "hello",
                InvocationType::RequestResponse,
                event,
            ))
        })
    });
    c.bench_function("lambda_invoke_cold", |b| {
        b.iter_batched(
            cloud,
            |mut cold| {
                black_box(lambda::invoke(
                    &mut cold,
                    "hello",
                    InvocationType::RequestResponse,
                    event,
                ))
            },
            criterion::BatchSize::SmallInput,
        )
    });
    let mut reader = sdk_cloud();
    let get = r#"{"id":"n1"}"#;
    let first = lambda::invoke(&mut reader, "reader", InvocationType::RequestResponse, get).expect("first invoke");
    assert_eq!(first.function_error, None, "{}", first.payload);
    c.bench_function("lambda_invoke_warm_sdk_get_item", |b| {
        b.iter(|| {
            black_box(lambda::invoke(
                &mut reader,
                "reader",
                InvocationType::RequestResponse,
                get,
            ))
        })
    });
    c.bench_function("lambda_invoke_cold_sdk_get_item", |b| {
        b.iter_batched(
            sdk_cloud,
            |mut cold| {
                black_box(lambda::invoke(
                    &mut cold,
                    "reader",
                    InvocationType::RequestResponse,
                    get,
                ))
            },
            criterion::BatchSize::SmallInput,
        )
    });
}

fn json_round_trip(c: &mut Criterion) {
    let event = event_100kb();
    assert!(
        (95_000..=110_000).contains(&event.len()),
        "the event is {} bytes",
        event.len()
    );
    let mut echo = echo_cloud();
    let first = lambda::invoke(&mut echo, "echo", InvocationType::RequestResponse, &event).expect("first invoke");
    assert_eq!(first.payload, r#"{"count":880,"last":"item-00879"}"#);
    c.bench_function("lambda_invoke_warm_json_100kb", |b| {
        b.iter(|| {
            black_box(lambda::invoke(
                &mut echo,
                "echo",
                InvocationType::RequestResponse,
                &event,
            ))
        })
    });
}

criterion_group!(benches, invoke, json_round_trip);
criterion_main!(benches);
