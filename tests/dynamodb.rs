//! DynamoDB through the engine: tables deployed from templates, then the JSON 1.0 API through `Cloud::call`,
//! compared with the exact JSON DynamoDB answers (sources in `src/dynamodb/`).

use serde_json::{json, Value};
use serverless_playground::api::{ApiRequest, AwsError, Caller};
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

const TEMPLATE: &str = r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Notes:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: Notes
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {AttributeName: userId, AttributeType: S}
        - {AttributeName: noteId, AttributeType: N}
        - {AttributeName: tag, AttributeType: S}
      KeySchema:
        - {AttributeName: userId, KeyType: HASH}
        - {AttributeName: noteId, KeyType: RANGE}
      GlobalSecondaryIndexes:
        - IndexName: byTag
          KeySchema:
            - {AttributeName: tag, KeyType: HASH}
          Projection: {ProjectionType: KEYS_ONLY}
  Simple:
    Type: AWS::Serverless::SimpleTable
    Properties:
      TableName: Simple
"#;

fn deploy() -> Cloud {
    let mut cloud = Cloud::default();
    let stack = template::load("t.yaml", TEMPLATE, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    cloud
}

fn call(cloud: &mut Cloud, operation: &str, input: Value) -> Result<Value, AwsError> {
    let caller = Caller::root(&cloud.account_id.clone());
    cloud.call(&ApiRequest {
        service: "dynamodb",
        operation,
        input: &input,
        caller: &caller,
    })
}

fn ok(cloud: &mut Cloud, operation: &str, input: Value) -> Value {
    call(cloud, operation, input).unwrap_or_else(|e| panic!("{operation}: {e}"))
}

#[test]
fn put_get_update_query_and_a_failed_condition() {
    let mut cloud = deploy();
    for (id, tag, stars) in [("2", "b", "5.0"), ("1", "a", "3"), ("10", "a", "1e1")] {
        let put = json!({"TableName": "Notes", "Item": {"userId": {"S": "u1"}, "noteId": {"N": id},
            "tag": {"S": tag}, "stars": {"N": stars}}});
        assert_eq!(ok(&mut cloud, "PutItem", put), json!({}));
    }
    let got = ok(
        &mut cloud,
        "GetItem",
        json!({"TableName": "Notes", "Key": {"userId": {"S": "u1"}, "noteId": {"N": "2"}}}),
    );
    assert_eq!(
        got,
        json!({"Item": {"userId": {"S": "u1"}, "noteId": {"N": "2"}, "tag": {"S": "b"}, "stars": {"N": "5"}}})
    );
    let updated = ok(
        &mut cloud,
        "UpdateItem",
        json!({"TableName": "Notes", "Key": {"userId": {"S": "u1"}, "noteId": {"N": "2"}},
            "UpdateExpression": "SET stars = stars + :one, #t = :t ADD hits :one",
            "ExpressionAttributeNames": {"#t": "text"},
            "ExpressionAttributeValues": {":one": {"N": "1"}, ":t": {"S": "hi"}},
            "ReturnValues": "UPDATED_NEW"}),
    );
    assert_eq!(
        updated,
        json!({"Attributes": {"stars": {"N": "6"}, "text": {"S": "hi"}, "hits": {"N": "1"}}})
    );
    let page = ok(
        &mut cloud,
        "Query",
        json!({"TableName": "Notes", "KeyConditionExpression": "userId = :u AND noteId >= :n",
            "FilterExpression": "stars > :s", "ProjectionExpression": "noteId, stars",
            "ExpressionAttributeValues": {":u": {"S": "u1"}, ":n": {"N": "1"}, ":s": {"N": "3"}}}),
    );
    assert_eq!(
        page,
        json!({"Items": [{"noteId": {"N": "2"}, "stars": {"N": "6"}}, {"noteId": {"N": "10"}, "stars": {"N": "10"}}],
            "Count": 2, "ScannedCount": 3})
    );
    let err = call(
        &mut cloud,
        "PutItem",
        json!({"TableName": "Notes", "Item": {"userId": {"S": "u1"}, "noteId": {"N": "1"}},
            "ConditionExpression": "attribute_not_exists(noteId)", "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}),
    )
    .unwrap_err();
    assert_eq!(
        err.to_json(),
        json!({"code": "ConditionalCheckFailedException", "message": "The conditional request failed",
            "statusCode": 400, "fault": "client",
            "Item": {"userId": {"S": "u1"}, "noteId": {"N": "1"}, "tag": {"S": "a"}, "stars": {"N": "3"}}})
    );
}

#[test]
fn limits_paginate_before_the_filter_and_indexes_project_keys() {
    let mut cloud = deploy();
    for i in 1..=5u32 {
        let put = json!({"TableName": "Notes", "Item": {"userId": {"S": "u"}, "noteId": {"N": i.to_string()},
            "tag": {"S": if i.is_multiple_of(2) { "even" } else { "odd" }}, "body": {"S": "x"}}});
        ok(&mut cloud, "PutItem", put);
    }
    let first = ok(
        &mut cloud,
        "Query",
        json!({"TableName": "Notes", "KeyConditionExpression": "userId = :u", "FilterExpression": "tag = :e",
            "ExpressionAttributeValues": {":u": {"S": "u"}, ":e": {"S": "even"}}, "Limit": 2,
            "ScanIndexForward": false, "Select": "COUNT"}),
    );
    assert_eq!(
        first,
        json!({"Count": 1, "ScannedCount": 2, "LastEvaluatedKey": {"userId": {"S": "u"}, "noteId": {"N": "4"}}})
    );
    let next = ok(
        &mut cloud,
        "Query",
        json!({"TableName": "Notes", "KeyConditionExpression": "userId = :u", "ExpressionAttributeValues": {":u": {"S": "u"}},
            "ScanIndexForward": false, "ExclusiveStartKey": first["LastEvaluatedKey"]}),
    );
    let ids: Vec<&str> = next["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["noteId"]["N"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["3", "2", "1"]);
    let by_tag = ok(
        &mut cloud,
        "Query",
        json!({"TableName": "Notes", "IndexName": "byTag", "KeyConditionExpression": "tag = :t",
            "ExpressionAttributeValues": {":t": {"S": "even"}}}),
    );
    assert_eq!(
        by_tag,
        json!({"Items": [{"userId": {"S": "u"}, "noteId": {"N": "2"}, "tag": {"S": "even"}},
                          {"userId": {"S": "u"}, "noteId": {"N": "4"}, "tag": {"S": "even"}}],
            "Count": 2, "ScannedCount": 2})
    );
}

#[test]
fn tables_from_templates_are_described_as_dynamodb_does() {
    let mut cloud = deploy();
    assert_eq!(
        ok(&mut cloud, "ListTables", json!({})),
        json!({"TableNames": ["Notes", "Simple"]})
    );
    let simple = ok(&mut cloud, "DescribeTable", json!({"TableName": "Simple"}));
    assert_eq!(
        simple["Table"]["KeySchema"],
        json!([{"AttributeName": "id", "KeyType": "HASH"}])
    );
    assert_eq!(simple["Table"]["TableStatus"], "ACTIVE");
    assert_eq!(simple["Table"]["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST");
    assert_eq!(
        simple["Table"]["TableArn"],
        "arn:aws:dynamodb:us-east-1:123456789012:table/Simple"
    );
    let err = call(&mut cloud, "DescribeTable", json!({"TableName": "Nope"})).unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        (
            "ResourceNotFoundException",
            "Requested resource not found: Table: Nope not found"
        )
    );
    let err = call(
        &mut cloud,
        "GetItem",
        json!({"TableName": "Nope", "Key": {"id": {"S": "x"}}}),
    )
    .unwrap_err();
    assert_eq!(err.message, "Requested resource not found");
    let err = call(
        &mut cloud,
        "CreateTable",
        json!({"TableName": "Simple", "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}),
    )
    .unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        ("ResourceInUseException", "Table already exists: Simple")
    );
}

#[test]
fn transactions_are_all_or_nothing() {
    let mut cloud = deploy();
    ok(
        &mut cloud,
        "PutItem",
        json!({"TableName": "Simple", "Item": {"id": {"S": "a"}}}),
    );
    let err = call(
        &mut cloud,
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Put": {"TableName": "Simple", "Item": {"id": {"S": "b"}}}},
            {"Put": {"TableName": "Simple", "Item": {"id": {"S": "a"}}, "ConditionExpression": "attribute_not_exists(id)"}}
        ]}),
    )
    .unwrap_err();
    assert_eq!(err.code, "TransactionCanceledException");
    assert_eq!(
        err.message,
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]"
    );
    assert_eq!(
        err.extra.as_deref(),
        Some(&json!({"CancellationReasons": [{"Code": "None"},
            {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}]}))
    );
    let scan = ok(&mut cloud, "Scan", json!({"TableName": "Simple"}));
    assert_eq!(
        scan,
        json!({"Items": [{"id": {"S": "a"}}], "Count": 1, "ScannedCount": 1})
    );
}

#[test]
fn malformed_expressions_get_dynamodbs_validation_messages() {
    let mut cloud = deploy();
    let err = call(
        &mut cloud,
        "UpdateItem",
        json!({"TableName": "Simple", "Key": {"id": {"S": "a"}}, "UpdateExpression": "SET a b"}),
    )
    .unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        (
            "ValidationException",
            "Invalid UpdateExpression: Syntax error; token: \"b\", near: \"a b\""
        )
    );
    let err = call(
        &mut cloud,
        "Query",
        json!({"TableName": "Notes", "KeyConditionExpression": "noteId = :n", "ExpressionAttributeValues": {":n": {"N": "1"}}}),
    )
    .unwrap_err();
    assert_eq!(err.message, "Query condition missed key schema element: userId");
}

#[test]
fn batches_ttl_and_segments() {
    let mut cloud = deploy();
    let puts: Vec<Value> = ["a", "b", "c", "d"]
        .iter()
        .map(|id| json!({"PutRequest": {"Item": {"id": {"S": id}, "n": {"N": "1.50"}}}}))
        .collect();
    assert_eq!(
        ok(&mut cloud, "BatchWriteItem", json!({"RequestItems": {"Simple": puts}})),
        json!({"UnprocessedItems": {}})
    );
    let got = ok(
        &mut cloud,
        "BatchGetItem",
        json!({"RequestItems": {"Simple": {"Keys": [{"id": {"S": "b"}}, {"id": {"S": "z"}}], "ProjectionExpression": "n"}}}),
    );
    assert_eq!(
        got,
        json!({"Responses": {"Simple": [{"n": {"N": "1.5"}}]}, "UnprocessedKeys": {}})
    );
    let dup = call(
        &mut cloud,
        "BatchGetItem",
        json!({"RequestItems": {"Simple": {"Keys": [{"id": {"S": "b"}}, {"id": {"S": "b"}}]}}}),
    )
    .unwrap_err();
    assert_eq!(dup.message, "Provided list of item keys contains duplicates");
    let mut seen = 0;
    for segment in 0..3 {
        let page = ok(
            &mut cloud,
            "Scan",
            json!({"TableName": "Simple", "Segment": segment, "TotalSegments": 3}),
        );
        seen += page["Count"].as_u64().unwrap();
    }
    assert_eq!(seen, 4, "the segments partition the table");
    assert_eq!(
        ok(
            &mut cloud,
            "UpdateTimeToLive",
            json!({"TableName": "Simple", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "expires"}})
        ),
        json!({"TimeToLiveSpecification": {"Enabled": true, "AttributeName": "expires"}})
    );
    assert_eq!(
        ok(&mut cloud, "DescribeTimeToLive", json!({"TableName": "Simple"})),
        json!({"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}})
    );
    let upsert = ok(
        &mut cloud,
        "UpdateItem",
        json!({"TableName": "Simple", "Key": {"id": {"S": "new"}}, "UpdateExpression": "SET tags = list_append(if_not_exists(tags, :e), :t)",
            "ExpressionAttributeValues": {":e": {"L": []}, ":t": {"L": [{"S": "x"}]}}, "ReturnValues": "ALL_NEW"}),
    );
    assert_eq!(
        upsert,
        json!({"Attributes": {"id": {"S": "new"}, "tags": {"L": [{"S": "x"}]}}})
    );
}
