//! Template loading speed: `cargo bench --bench template_load`.
//!
//! Three sizes: the conformance case with the most resources, the SAM hello world (transform included), and a
//! generated template with 400 resources chained by `Ref` and `Fn::Sub` (CloudFormation allows 500).

use criterion::{criterion_group, criterion_main, Criterion};
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;
use std::hint::black_box;

fn load(text: &str) {
    let stack = template::load("bench.yaml", text, &LoadOptions::default(), &mut Cloud::default());
    black_box(stack.expect("the bench templates load"));
}

fn large_template(resources: usize) -> String {
    let mut text = String::from("Parameters:\n  Env: {Type: String, Default: dev}\nResources:\n");
    for i in 0..resources {
        let previous = if i == 0 {
            "Env".to_string()
        } else {
            format!("Q{}", i - 1)
        };
        text.push_str(&format!(
            "  Q{i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '${{{previous}}}-q{i}'\n      Tags:\n        - {{Key: n, Value: !Join ['-', [a, !Ref Env]]}}\n"
        ));
    }
    text
}

fn bench(c: &mut Criterion) {
    let case = include_str!("../../shared/cases/05-ddb-put-get-roundtrip/template.yaml");
    c.bench_function("load conformance case 05", |b| b.iter(|| load(case)));
    let sam = include_str!("../static/examples/hello-world.yaml");
    c.bench_function("load SAM hello world (with transform)", |b| b.iter(|| load(sam)));
    let large = large_template(400);
    c.bench_function("load 400 chained resources", |b| b.iter(|| load(&large)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
