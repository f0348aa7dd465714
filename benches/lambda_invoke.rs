//! A hello-world handler through `Invoke`: warm (the environment kept between invokes) and cold (a fresh Boa
//! context, the prelude, module load and init every time), and a warm handler making one SDK `GetItem` through a
//! fake `dynamodb` service (the SDK layer and the bridge, not DynamoDB itself): `cargo bench --bench lambda_invoke`.
//! Measured on the 2-core dev machine (2026-11-30, shared, load 3-10, so +-20%): hello warm 74 us, cold 6.6 ms per
//! invoke; with one SDK GetItem (lib-dynamodb GetCommand) warm 198 us, cold 15.9 ms (the SDK modules are evaluated
//! on the first require). Back to back with the build before the SDK work, same load: warm 145 -> 107 us, cold
//! 9.7 -> 9.4 ms. The same hello handler awaited in a loop by Node.js 20.20 (console.log stubbed, JSON in and out)
//! takes 1.0 us.

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

criterion_group!(benches, invoke);
criterion_main!(benches);
