//! Load tests on virtual time (issue #10, lesson 8): requests overlap, Lambda scales out with cold starts,
//! reserved concurrency throttles, and the bill follows the usage.

use serverless_playground::pricing::{self, WhatIf};
use serverless_playground::simulation::load::{self, Shape, Traffic};
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

fn template(reserved: Option<u64>, work_ms: u64) -> String {
    let reserved = reserved.map_or(String::new(), |r| format!("      ReservedConcurrentExecutions: {r}\n"));
    format!(
        r#"Transform: AWS::Serverless-2016-10-31
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: hello-load
      Runtime: nodejs20.x
      Handler: index.handler
      MemorySize: 128
{reserved}      Environment:
        Variables:
          WORK_MS: '{work_ms}'
      InlineCode: |
        const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
        exports.handler = async (event) => {{
          await sleep(Number(process.env.WORK_MS));
          return {{ statusCode: 200, body: JSON.stringify({{ message: 'Hello from Lambda' }}) }};
        }};
      Events:
        Hello:
          Type: Api
          Properties:
            Path: /hello
            Method: get
"#
    )
}

fn deployed(text: &str) -> Cloud {
    let mut cloud = Cloud::default();
    let stack = template::load("template.yaml", text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    cloud
}

fn constant(rps: u32, seconds: u32) -> Traffic {
    Traffic {
        shape: Shape::Constant { rps },
        seconds,
        method: "GET".into(),
        path: "/Prod/hello".into(),
        body: String::new(),
    }
}

#[test]
fn lambda_scales_out_to_the_rate_times_the_duration() {
    let mut cloud = deployed(&template(None, 100));
    let started = std::time::Instant::now();
    let report = load::run(&mut cloud, &constant(100, 10)).unwrap();
    eprintln!("1000 requests in {:?}", started.elapsed());
    assert_eq!(report.requests, 1000);
    assert_eq!(report.statuses.get(&200), Some(&1000));
    // 100 requests a second, each busy 100 ms: 10 at once, each environment one cold start.
    assert_eq!(report.peak_concurrency, 10);
    assert_eq!(report.cold_starts, 10);
    assert_eq!(report.throttles, 0);
    let latency = report.latency.unwrap();
    assert_eq!((latency.p50, latency.p99), (100, 100));
    assert_eq!(report.seconds[0].cold_starts, 10);
    assert_eq!(report.seconds[1].cold_starts, 0);
    assert_eq!(report.functions[0].invocations, 1000);
    assert_eq!(report.functions[0].billed_ms, 100_000);
}

#[test]
fn a_reserved_concurrency_of_5_throttles_the_rest() {
    let mut cloud = deployed(&template(Some(5), 100));
    let report = load::run(&mut cloud, &constant(100, 5)).unwrap();
    assert_eq!(report.requests, 500);
    assert_eq!(report.peak_concurrency, 5);
    assert_eq!(report.cold_starts, 5);
    // Each 100 ms window admits 5 of its 10 arrivals; API Gateway answers the throttled ones 500.
    assert_eq!(report.throttles, 250);
    assert_eq!(report.statuses.get(&500), Some(&250));
    assert_eq!(report.statuses.get(&200), Some(&250));
    assert_eq!(report.seconds[2].throttles, 50);
    // Only what ran is billed by Lambda; API Gateway bills every call.
    let bill = pricing::bill(&report, &WhatIf::default(), 1);
    assert_eq!(bill.lines[0].quantity, bigdecimal::BigDecimal::from(250));
    assert_eq!(bill.lines[2].quantity, bigdecimal::BigDecimal::from(500));
}

#[test]
fn a_spike_starts_new_environments_and_the_run_is_deterministic() {
    let traffic = Traffic {
        shape: Shape::Spike {
            base_rps: 20,
            peak_rps: 400,
            peak_at: 3,
            peak_seconds: 2,
        },
        ..constant(0, 8)
    };
    let first = load::run(&mut deployed(&template(None, 50)), &traffic).unwrap();
    assert_eq!(first.requests, 20 * 6 + 800);
    assert_eq!(first.seconds[2].concurrency, 1);
    assert_eq!(first.seconds[3].concurrency, 20);
    assert_eq!(first.cold_starts, 20);
    let second = load::run(&mut deployed(&template(None, 50)), &traffic).unwrap();
    assert_eq!(first, second);
}

#[test]
fn more_memory_costs_more_for_the_same_load() {
    let report = load::run(&mut deployed(&template(None, 100)), &constant(50, 4)).unwrap();
    let small = pricing::bill(&report, &WhatIf::default(), 1);
    let big = pricing::bill(
        &report,
        &WhatIf {
            memory_mb: Some(1024),
            architecture: None,
        },
        1,
    );
    assert_eq!(pricing::format_usd(&small.lines[1].cost), "$0.000042");
    assert_eq!(pricing::format_usd(&big.lines[1].cost), "$0.000333");
}

#[test]
fn an_overlapping_invoke_past_the_reservation_is_throttled_with_its_reason() {
    use serverless_playground::cloud::VirtualClock;
    use serverless_playground::lambda::{invoke, InvocationType, InvokeError};
    let mut cloud = deployed(&template(Some(1), 100));
    let start = cloud.clock.now_millis();
    invoke(&mut cloud, "hello-load", InvocationType::RequestResponse, "{}").unwrap();
    // A second request arriving 50 ms after the first, while its only environment is still busy.
    cloud.clock = VirtualClock::starting_at(start + 50);
    let throttled = invoke(&mut cloud, "hello-load", InvocationType::RequestResponse, "{}").unwrap_err();
    assert_eq!(
        throttled,
        InvokeError::TooManyRequests {
            reason: "ReservedFunctionConcurrentInvocationLimitExceeded".into()
        }
    );
    assert_eq!(throttled.status_code(), 429);
    // At 100 ms the environment is free again: a warm invoke, no new environment.
    cloud.clock = VirtualClock::starting_at(start + 100);
    let warm = invoke(&mut cloud, "hello-load", InvocationType::RequestResponse, "{}").unwrap();
    assert!(
        !warm.logs.iter().any(|l| l.contains("Init Duration")),
        "{:?}",
        warm.logs
    );
}

#[test]
#[ignore]
fn timing_breakdown() {
    use serverless_playground::lambda::{invoke, InvocationType};
    let mut cloud = deployed(&template(None, 100));
    let t = std::time::Instant::now();
    for _ in 0..1000 {
        invoke(&mut cloud, "hello-load", InvocationType::RequestResponse, "{}").unwrap();
    }
    eprintln!("1000 direct invokes with a 100 ms sleep: {:?}", t.elapsed());
    let mut cloud = deployed(&template(None, 0));
    let t = std::time::Instant::now();
    for _ in 0..1000 {
        invoke(&mut cloud, "hello-load", InvocationType::RequestResponse, "{}").unwrap();
    }
    eprintln!("1000 direct invokes, no sleep: {:?}", t.elapsed());
    let mut cloud = deployed(&template(None, 0));
    let api = cloud
        .service::<serverless_playground::apigateway::ApiGateway>()
        .unwrap()
        .rest_apis
        .keys()
        .next()
        .unwrap()
        .clone();
    let request = serverless_playground::apigateway::http::HttpRequest {
        method: "GET".into(),
        path: "/Prod/hello".into(),
        headers: vec![],
        body: String::new(),
    };
    let t = std::time::Instant::now();
    for _ in 0..1000 {
        serverless_playground::apigateway::invoke::execute(&mut cloud, &api, &request).unwrap();
    }
    eprintln!("1000 API requests, no sleep: {:?}", t.elapsed());
    let mut cloud = deployed(&template(None, 100));
    let t = std::time::Instant::now();
    let report = load::run(&mut cloud, &constant(2000, 1)).unwrap();
    eprintln!(
        "2000 requests in 1 s, {} cold starts: {:?}",
        report.cold_starts,
        t.elapsed()
    );
}
