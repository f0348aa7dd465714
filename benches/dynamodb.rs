//! DynamoDB speed: `cargo bench --bench dynamodb`.
//!
//! PutItem, GetItem and a filtered Query over a 100,000-item partition, each measured two ways: through
//! `Cloud::call` (service dispatch, IAM seam, JSON input parsed into AttributeValues and the answer written back
//! as JSON) and directly on the service (`DynamoDb::handle`, no registry lookup). GetItem is also measured at the
//! storage level (`Table::get` with a prepared key). The Query reads the whole partition page by page (1 MB pages,
//! `ExclusiveStartKey`), filtering on a non-key attribute.
//!
//! With `DDB_RATES=1` it skips criterion and prints `name operations_per_second` for each case (two seconds each).

use criterion::{criterion_group, Criterion};
use serde_json::{json, Value};
use serverless_playground::api::{ApiRequest, Caller};
use serverless_playground::dynamodb::table::KeyValue;
use serverless_playground::dynamodb::DynamoDb;
use serverless_playground::Cloud;
use std::hint::black_box;
use std::time::{Duration, Instant};

const PARTITION_ITEMS: usize = 100_000;

fn create_table(cloud: &mut Cloud, db: Option<&mut DynamoDb>) {
    let input = json!({"TableName": "Bench", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]});
    run(cloud, db, "CreateTable", &input);
}

fn run(cloud: &mut Cloud, db: Option<&mut DynamoDb>, operation: &str, input: &Value) -> Value {
    let caller = Caller::root("123456789012");
    let request = ApiRequest {
        service: "dynamodb",
        operation,
        input,
        caller: &caller,
    };
    match db {
        Some(db) => db.handle(&request, cloud),
        None => cloud.call(&request),
    }
    .unwrap_or_else(|e| panic!("{operation}: {e}"))
}

fn item(i: usize) -> Value {
    json!({"TableName": "Bench", "Item": {"pk": {"S": "p"}, "sk": {"N": i.to_string()},
        "kind": {"S": if i.is_multiple_of(100) { "rare" } else { "common" }}, "count": {"N": (i % 7).to_string()},
        "title": {"S": "a note of moderate length"}}})
}

/// A cloud (and, for the direct cases, a standalone service) holding the 100,000-item partition.
fn filled(direct: bool) -> (Cloud, Option<DynamoDb>) {
    let mut cloud = Cloud::default();
    let mut db = direct.then(DynamoDb::default);
    create_table(&mut cloud, db.as_mut());
    for i in 0..PARTITION_ITEMS {
        run(&mut cloud, db.as_mut(), "PutItem", &item(i));
    }
    (cloud, db)
}

fn get_input(i: usize) -> Value {
    json!({"TableName": "Bench", "Key": {"pk": {"S": "p"}, "sk": {"N": (i % PARTITION_ITEMS).to_string()}}})
}

/// Reads the whole partition with a filter, page by page; returns the matching count.
fn query_all(cloud: &mut Cloud, mut db: Option<&mut DynamoDb>) -> u64 {
    let mut input = json!({"TableName": "Bench", "KeyConditionExpression": "pk = :p", "FilterExpression": "kind = :k",
        "ExpressionAttributeValues": {":p": {"S": "p"}, ":k": {"S": "rare"}}});
    let mut matched = 0;
    loop {
        let out = run(cloud, db.as_deref_mut(), "Query", &input);
        matched += out["Count"].as_u64().unwrap_or(0);
        match out.get("LastEvaluatedKey") {
            Some(k) => input["ExclusiveStartKey"] = k.clone(),
            None => return matched,
        }
    }
}

fn bench(c: &mut Criterion) {
    for direct in [false, true] {
        let label = if direct { "direct" } else { "cloud_call" };
        let (mut cloud, mut db) = filled(direct);
        let inputs: Vec<Value> = (0..1000).map(get_input).collect();
        let mut n = 0usize;
        c.bench_function(&format!("dynamodb/{label}/get_item"), |b| {
            b.iter(|| {
                n = (n + 1) % inputs.len();
                black_box(run(&mut cloud, db.as_mut(), "GetItem", &inputs[n]))
            })
        });
        let puts: Vec<Value> = (0..1000).map(item).collect();
        c.bench_function(&format!("dynamodb/{label}/put_item"), |b| {
            b.iter(|| {
                n = (n + 1) % puts.len();
                black_box(run(&mut cloud, db.as_mut(), "PutItem", &puts[n]))
            })
        });
        let mut group = c.benchmark_group(format!("dynamodb/{label}"));
        group.sample_size(10);
        group.bench_function("query_filter_100k", |b| {
            b.iter(|| black_box(query_all(&mut cloud, db.as_mut())))
        });
        group.finish();
    }
    let (_, db) = filled(true);
    let db = db.expect("direct service");
    let table = &db.tables["Bench"];
    let keys = prepared_keys();
    let mut n = 0usize;
    c.bench_function("dynamodb/storage/table_get", |b| {
        b.iter(|| {
            n = (n + 1) % keys.len();
            black_box(table.get(&keys[n]).is_some())
        })
    });
}

/// 1,000 primary keys of the partition, as the storage holds them.
fn prepared_keys() -> Vec<(KeyValue, KeyValue)> {
    (0..1000)
        .map(|i| {
            let n = serverless_playground::dynamodb::number::Number::parse(&i.to_string()).expect("number");
            (KeyValue::S("p".into()), KeyValue::N(n))
        })
        .collect()
}

/// Runs `f` for about two seconds and returns calls per second.
fn rate(mut f: impl FnMut(usize)) -> f64 {
    let start = Instant::now();
    let mut calls = 0usize;
    while start.elapsed() < Duration::from_secs(2) {
        for _ in 0..100 {
            f(calls);
            calls += 1;
        }
    }
    calls as f64 / start.elapsed().as_secs_f64()
}

fn rates() {
    for direct in [false, true] {
        let label = if direct { "direct" } else { "cloud_call" };
        let (mut cloud, mut db) = filled(direct);
        let inputs: Vec<Value> = (0..1000).map(get_input).collect();
        let get = rate(|i| {
            black_box(run(&mut cloud, db.as_mut(), "GetItem", &inputs[i % 1000]));
        });
        println!("{label}/get_item {get:.0}");
        let puts: Vec<Value> = (0..1000).map(item).collect();
        let put = rate(|i| {
            black_box(run(&mut cloud, db.as_mut(), "PutItem", &puts[i % 1000]));
        });
        println!("{label}/put_item {put:.0}");
        let start = Instant::now();
        let mut passes = 0;
        while start.elapsed() < Duration::from_secs(2) {
            assert_eq!(query_all(&mut cloud, db.as_mut()), 1000);
            passes += 1;
        }
        let per_second = passes as f64 / start.elapsed().as_secs_f64();
        println!(
            "{label}/query_filter_100k {per_second:.2} (items evaluated per second: {:.0})",
            per_second * PARTITION_ITEMS as f64
        );
        if let Some(db) = db.as_ref() {
            let table = &db.tables["Bench"];
            let keys = prepared_keys();
            let get = rate(|i| {
                black_box(table.get(&keys[i % 1000]).is_some());
            });
            println!("storage/table_get {get:.0}");
        }
    }
}

criterion_group!(benches, bench);

fn main() {
    if std::env::var_os("DDB_RATES").is_some() {
        rates();
        return;
    }
    benches();
    criterion::Criterion::default().configure_from_args().final_summary();
}
