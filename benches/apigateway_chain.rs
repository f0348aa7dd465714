//! One MOCK request with a small response template through the whole chain (route, method request,
//! integration request, MOCK, integration response, method response): `cargo bench --bench apigateway_chain`.
//! Target: 5 us or less per request natively.

use criterion::{criterion_group, criterion_main, Criterion};
use serverless_playground::apigateway::http::HttpRequest;
use serverless_playground::apigateway::invoke;
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;
use std::hint::black_box;

/// The seed's Hello World API, shared with the integration tests.
const HELLO: &str = include_str!("../tests/fixtures/hello-world-mock.yaml");

fn chain(c: &mut Criterion) {
    let mut cloud = Cloud::default();
    let stack = template::load("bench.yaml", HELLO, &LoadOptions::default(), &mut cloud).expect("loads");
    cloud.deploy(&stack).expect("deploys");
    let api = stack.resources[0].physical_id.clone();
    let request = HttpRequest {
        method: "GET".into(),
        path: "/test/message?x=1".into(),
        headers: vec![("Accept".into(), "application/json".into())],
        body: String::new(),
    };
    c.bench_function("mock_request_whole_chain", |b| {
        b.iter(|| black_box(invoke::execute(&mut cloud, &api, black_box(&request)).expect("MOCK is simulated")))
    });
}

criterion_group!(benches, chain);
criterion_main!(benches);
