//! The SDK modules handlers require (v3 `@aws-sdk/*` from nodejs18.x, v2 `aws-sdk` on nodejs16.x), end to end through
//! `lambda::invoke`, against a small fake DynamoDB registered as the `dynamodb` service. The fake answers like
//! DynamoDB does for the few cases used here (the real service is `src/dynamodb/`); what these tests check is the SDK
//! side: the JSON 1.0 bodies the calls carry, the caller, outputs with `$metadata`, errors, marshalling, and the
//! modules each runtime ships.

use serde_json::{json, Value};
use serverless_playground::api::{ApiRequest, AwsError};
use serverless_playground::cloud::Service;
use serverless_playground::lambda::{self, InvocationType, InvokeOutput, Lambda};
use serverless_playground::template::{self, LoadOptions, Stack, TemplateError};
use serverless_playground::Cloud;
use std::any::Any;
use std::collections::BTreeMap;

/// One call the fake received: operation, input, principal.
type Seen = (String, Value, String);

/// A fake DynamoDB with one table, `Notes` (hash key `id`, a string).
#[derive(Debug, Default)]
struct FakeDynamoDb {
    items: BTreeMap<String, Value>,
    calls: Vec<Seen>,
}

impl FakeDynamoDb {
    fn table(input: &Value) -> Result<(), AwsError> {
        if input["TableName"] == "Notes" {
            Ok(())
        } else {
            // DynamoDB's message for a missing table (API reference, common errors).
            Err(AwsError::client(
                "ResourceNotFoundException",
                "Requested resource not found",
            ))
        }
    }
}

impl Service for FakeDynamoDb {
    fn name(&self) -> &'static str {
        "DynamoDB (test fake)"
    }
    fn resource_types(&self) -> &'static [&'static str] {
        &[]
    }
    fn deploy(&mut self, _stack: &Stack, _cloud: &mut Cloud) -> Result<(), TemplateError> {
        Ok(())
    }
    fn signing_name(&self) -> Option<&'static str> {
        Some("dynamodb")
    }
    fn call(&mut self, request: &ApiRequest<'_>, _cloud: &mut Cloud) -> Result<Value, AwsError> {
        let input = request.input.clone();
        self.calls.push((
            request.operation.to_string(),
            input.clone(),
            request.caller.principal_arn.clone(),
        ));
        match request.operation {
            "PutItem" => {
                Self::table(&input)?;
                let key = input["Item"]["id"]["S"].as_str().unwrap_or_default().to_string();
                if input["ConditionExpression"] == "attribute_not_exists(id)" && self.items.contains_key(&key) {
                    return Err(AwsError::client(
                        "ConditionalCheckFailedException",
                        "The conditional request failed",
                    ));
                }
                self.items.insert(key, input["Item"].clone());
                Ok(json!({}))
            }
            "GetItem" => {
                Self::table(&input)?;
                let key = input["Key"]["id"]["S"].as_str().unwrap_or_default();
                Ok(self.items.get(key).map_or(json!({}), |item| json!({ "Item": item })))
            }
            "Query" | "Scan" => {
                Self::table(&input)?;
                // One item per page, to exercise LastEvaluatedKey / ExclusiveStartKey.
                let after = input["ExclusiveStartKey"]["id"]["S"].as_str().map(str::to_string);
                let mut rest = self.items.iter().filter(|(k, _)| after.as_ref().is_none_or(|a| *k > a));
                let page: Vec<Value> = rest.next().map(|(_, item)| item.clone()).into_iter().collect();
                let mut out = json!({"Items": page, "Count": page.len(), "ScannedCount": page.len()});
                if rest.next().is_some() {
                    out["LastEvaluatedKey"] = json!({"id": page[0]["id"]});
                }
                Ok(out)
            }
            "DescribeTable" => Err(AwsError::client(
                "ValidationException",
                "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
            )),
            other => Err(AwsError::not_simulated(format!("DynamoDB operation {other} in the test fake"))),
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A cloud with Lambda and the fake DynamoDB, and one function `fn` running `code` (index.js) on `runtime`.
fn deploy(runtime: &str, code: &str) -> Cloud {
    deploy_file(runtime, "index.js", code)
}

fn deploy_file(runtime: &str, file: &str, code: &str) -> Cloud {
    let mut cloud = Cloud::without_services("123456789012", "us-east-1", 0);
    cloud.register_service(Box::<Lambda>::default());
    cloud.register_service(Box::<FakeDynamoDb>::default());
    let text = format!(
        "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      FunctionName: fn\n      Runtime: {runtime}\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/NotesRole\n      Code:\n        LocalFiles: {{}}\n"
    );
    let stack = template::load("t.yaml", &text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    let lambda = cloud.service_mut::<Lambda>().unwrap();
    let function = lambda.functions.get_mut("fn").unwrap();
    function.latest.code = lambda::FunctionCode::Files([(file.to_string(), code.to_string())].into());
    cloud
}

fn call(cloud: &mut Cloud, event: Value) -> InvokeOutput {
    lambda::invoke(cloud, "fn", InvocationType::RequestResponse, &event.to_string()).unwrap()
}

fn payload(out: &InvokeOutput) -> Value {
    serde_json::from_str(&out.payload).unwrap()
}

fn calls(cloud: &Cloud) -> &[Seen] {
    &cloud.service::<FakeDynamoDb>().unwrap().calls
}

const V3_PUT_GET: &str = r#"
const { DynamoDBClient, PutItemCommand, GetItemCommand } = require('@aws-sdk/client-dynamodb');
const client = new DynamoDBClient({});
exports.handler = async (event) => {
  const put = await client.send(new PutItemCommand({ TableName: 'Notes', Item: { id: { S: event.id }, text: { S: 'hi' } } }));
  const got = await client.send(new GetItemCommand({ TableName: 'Notes', Key: { id: { S: event.id } } }));
  const missing = await client.send(new GetItemCommand({ TableName: 'Notes', Key: { id: { S: 'nope' } } }));
  return { put, got, missing: Object.keys(missing), now: Date.now() };
};
"#;

#[test]
fn v3_client_calls_become_cloud_calls_with_metadata() {
    let mut cloud = deploy("nodejs20.x", V3_PUT_GET);
    let start = cloud.clock.now_millis();
    let out = call(&mut cloud, json!({"id": "n1"}));
    let p = payload(&out);
    assert_eq!(out.function_error, None, "{p}");
    let metadata = &p["put"]["$metadata"];
    assert_eq!(metadata["httpStatusCode"], 200);
    assert_eq!(
        (metadata["attempts"].clone(), metadata["totalRetryDelay"].clone()),
        (json!(1), json!(0))
    );
    let id = metadata["requestId"].as_str().unwrap();
    assert_eq!(id.len(), 52);
    assert!(id.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()), "{id}");
    assert_eq!(
        p["put"].as_object().unwrap().len(),
        1,
        "PutItem answers only $metadata: {p}"
    );
    assert_eq!(p["got"]["Item"], json!({"id": {"S": "n1"}, "text": {"S": "hi"}}));
    assert_eq!(p["missing"], json!(["$metadata"]));
    // Three calls, each SDK_CALL_LATENCY_MS of virtual time.
    assert_eq!(p["now"], json!(start + 15));
    let report = out.logs.iter().find(|l| l.starts_with("REPORT")).unwrap();
    assert!(report.contains("\tDuration: 15.00 ms\t"), "{report}");
    let seen = calls(&cloud);
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].0, "PutItem");
    assert_eq!(
        seen[0].1,
        json!({"TableName": "Notes", "Item": {"id": {"S": "n1"}, "text": {"S": "hi"}}})
    );
    assert_eq!(seen[0].2, "arn:aws:sts::123456789012:assumed-role/NotesRole/fn");
    assert_eq!(cloud.clock.now_millis(), start + 15);
}

#[test]
fn v3_errors_are_instances_of_the_exported_classes() {
    let code = r#"
const ddb = require('@aws-sdk/client-dynamodb');
const client = new ddb.DynamoDBClient({ region: 'us-east-1' });
const put = (id) => client.send(new ddb.PutItemCommand({ TableName: 'Notes', Item: { id: { S: id } }, ConditionExpression: 'attribute_not_exists(id)' }));
const describe = (e) => ({
  name: e.name, message: e.message, fault: e.$fault, status: e.$metadata.httpStatusCode, attempts: e.$metadata.attempts,
  type: e.__type, keys: Object.keys(e),
  conditional: e instanceof ddb.ConditionalCheckFailedException, service: e instanceof ddb.DynamoDBServiceException,
  error: e instanceof Error, className: e.constructor.name,
});
exports.handler = async () => {
  await put('a');
  const out = {};
  try { await put('a'); } catch (e) { out.conditional = describe(e); }
  try { await client.send(new ddb.GetItemCommand({ TableName: 'Other', Key: { id: { S: 'a' } } })); } catch (e) { out.missing = describe(e); }
  try { await client.send(new ddb.DescribeTableCommand({})); } catch (e) { out.unmodelled = describe(e); }
  out.names = [ddb.PutItemCommand.name, ddb.DynamoDBClient.name, ddb.ResourceNotFoundException.name];
  return out;
};
"#;
    let mut cloud = deploy("nodejs18.x", code);
    let p = payload(&call(&mut cloud, json!({})));
    assert_eq!(
        p["conditional"],
        json!({
            "name": "ConditionalCheckFailedException", "message": "The conditional request failed", "fault": "client",
            "status": 400, "attempts": 1, "type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
            "keys": ["name", "$fault", "$metadata", "__type"],
            "conditional": true, "service": true, "error": true, "className": "ConditionalCheckFailedException"
        }),
        "{p}"
    );
    assert_eq!(p["missing"]["name"], "ResourceNotFoundException");
    assert_eq!(p["missing"]["message"], "Requested resource not found");
    assert_eq!(p["missing"]["className"], "ResourceNotFoundException");
    // ValidationException is not a modelled DynamoDB exception: the service's base class carries its name.
    assert_eq!(p["unmodelled"]["name"], "ValidationException");
    assert_eq!(p["unmodelled"]["className"], "DynamoDBServiceException");
    assert_eq!(p["unmodelled"]["service"], true);
    assert_eq!(p["unmodelled"]["conditional"], false);
    assert_eq!(
        p["names"],
        json!(["PutItemCommand", "DynamoDBClient", "ResourceNotFoundException"])
    );
}

#[test]
fn an_sdk_error_a_handler_does_not_catch_is_its_error_payload() {
    let code = r#"
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const client = new DynamoDBClient({});
exports.handler = async () => {
  const input = { TableName: 'Notes', Item: { id: { S: 'x' } }, ConditionExpression: 'attribute_not_exists(id)' };
  await client.send(new PutItemCommand(input));
  await client.send(new PutItemCommand(input));
};
"#;
    let mut cloud = deploy("nodejs20.x", code);
    let out = call(&mut cloud, json!({}));
    assert_eq!(out.function_error.as_deref(), Some("Unhandled"));
    let p = payload(&out);
    assert_eq!(p["errorType"], "ConditionalCheckFailedException");
    assert_eq!(p["errorMessage"], "The conditional request failed");
}

#[test]
fn the_document_client_marshalls_numbers_sets_and_nested_maps() {
    let code = r#"
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, PutCommand, GetCommand } = require('@aws-sdk/lib-dynamodb');
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
exports.handler = async () => {
  await doc.send(new PutCommand({
    TableName: 'Notes',
    Item: { id: 'n1', count: 42, price: 1.5, tags: new Set(['a', 'b']), scores: new Set([1, 2]), gone: undefined,
            meta: { author: { name: 'Ann', age: 30 }, list: [1, 'two', null, true] } },
  }));
  const { Item, $metadata } = await doc.send(new GetCommand({ TableName: 'Notes', Key: { id: 'n1' } }));
  return { Item: { ...Item, tags: [...Item.tags], scores: [...Item.scores] }, isSet: Item.tags instanceof Set,
           status: $metadata.httpStatusCode, countType: typeof Item.count };
};
"#;
    let mut cloud = deploy("nodejs20.x", code);
    let p = payload(&call(&mut cloud, json!({})));
    assert_eq!(
        calls(&cloud)[0].1,
        json!({"TableName": "Notes", "Item": {
            "id": {"S": "n1"}, "count": {"N": "42"}, "price": {"N": "1.5"}, "tags": {"SS": ["a", "b"]},
            "scores": {"NS": ["1", "2"]},
            "meta": {"M": {"author": {"M": {"name": {"S": "Ann"}, "age": {"N": "30"}}},
                           "list": {"L": [{"N": "1"}, {"S": "two"}, {"NULL": true}, {"BOOL": true}]}}}
        }})
    );
    assert_eq!(
        calls(&cloud)[1].1,
        json!({"TableName": "Notes", "Key": {"id": {"S": "n1"}}})
    );
    assert_eq!(
        p,
        json!({"Item": {"id": "n1", "count": 42, "price": 1.5, "tags": ["a", "b"], "scores": [1, 2],
                        "meta": {"author": {"name": "Ann", "age": 30}, "list": [1, "two", null, true]}},
               "isSet": true, "status": 200, "countType": "number"})
    );
}

#[test]
fn util_dynamodb_keeps_the_sdk_rules_and_messages() {
    let code = r#"
const { marshall, unmarshall, convertToAttr, NumberValue } = require('@aws-sdk/util-dynamodb');
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, PutCommand } = require('@aws-sdk/lib-dynamodb');
const attempt = (f) => { try { return f(); } catch (e) { return e.message; } };
exports.handler = async () => {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  let putError;
  try { await doc.send(new PutCommand({ TableName: 'Notes', Item: { id: 'x', a: undefined } })); } catch (e) { putError = e.message; }
  return {
    undef: attempt(() => marshall({ a: undefined })),
    removed: marshall({ a: undefined, b: 1 }, { removeUndefinedValues: true }),
    emptySet: attempt(() => convertToAttr(new Set())),
    emptySetNull: convertToAttr(new Set(), { convertEmptyValues: true }),
    emptyString: convertToAttr('', { convertEmptyValues: true }),
    mixedSet: attempt(() => convertToAttr(new Set([{}]))),
    big: attempt(() => convertToAttr(2 ** 60)),
    nan: attempt(() => convertToAttr(NaN)),
    klass: attempt(() => convertToAttr(new (class Thing {})())),
    numberValue: convertToAttr(NumberValue.from('123456789012345678901234567890')),
    wrapped: unmarshall({ n: { N: '1.10' } }, { wrapNumbers: true }).n.toString(),
    bigint: String(unmarshall({ n: { N: '123456789012345678901' } }).n),
    badBig: attempt(() => unmarshall({ n: { N: '9007199254740993.5' } })),
    scalar: marshall('s'),
    top: marshall({ a: 1 }, { convertTopLevelContainer: true }),
    noValue: attempt(() => unmarshall({ a: {} })),
    unsupported: attempt(() => unmarshall({ a: { X: 1 } })),
    imprecise: attempt(() => new NumberValue(2 ** 60)),
    putError,
  };
};
"#;
    let mut cloud = deploy("nodejs22.x", code);
    let p = payload(&call(&mut cloud, json!({})));
    let undefined = "Pass options.removeUndefinedValues=true to remove undefined values from map/array/set.";
    assert_eq!(
        p,
        json!({
            "undef": undefined,
            "removed": {"b": {"N": "1"}},
            "emptySet": "Pass a non-empty set, or options.convertEmptyValues=true.",
            "emptySetNull": {"NULL": true},
            "emptyString": {"NULL": true},
            "mixedSet": "Only Number Set (NS), Binary Set (BS) or String Set (SS) are allowed.",
            "big": "Number 1152921504606847000 is greater than Number.MAX_SAFE_INTEGER. Use NumberValue from @aws-sdk/lib-dynamodb.",
            "nan": "Special numeric value NaN is not allowed",
            "klass": "Unsupported type passed: [object Object]. Pass options.convertClassInstanceToMap=true to marshall typeof object as map attribute.",
            "numberValue": {"N": "123456789012345678901234567890"},
            "wrapped": "1.10",
            "bigint": "123456789012345678901",
            "badBig": "9007199254740993.5 can't be converted to BigInt. Set options.wrapNumbers to get string value.",
            "scalar": {"S": "s"},
            "top": {"M": {"a": {"N": "1"}}},
            "noValue": "No value defined: {}",
            "unsupported": "Unsupported type passed: X",
            "imprecise": "NumberValue should not be initialized with an imprecise number=1152921504606847000. Use a string instead.",
            "putError": undefined,
        })
    );
    assert!(calls(&cloud).is_empty(), "a marshalling error sends nothing");
}

#[test]
fn v2_document_client_with_promises_and_callbacks() {
    let code = r#"
const AWS = require('aws-sdk');
const doc = new AWS.DynamoDB.DocumentClient();
exports.handler = async (event) => {
  const put = await doc.put({ TableName: 'Notes', Item: { id: 'n1', n: 7, tags: doc.createSet(['x', 'y']), skip: undefined, m: { deep: [1, { k: 'v' }] } } }).promise();
  const got = await new Promise((resolve, reject) => doc.get({ TableName: 'Notes', Key: { id: 'n1' } }, (err, data) => (err ? reject(err) : resolve(data))));
  let error;
  try {
    await doc.put({ TableName: 'Notes', Item: { id: 'n1' }, ConditionExpression: 'attribute_not_exists(id)' }).promise();
  } catch (e) {
    error = { code: e.code, name: e.name, message: e.message, statusCode: e.statusCode, retryable: e.retryable,
              time: e.time instanceof Date, requestIdLength: e.requestId.length, keys: Object.keys(e), retryDelay: typeof e.retryDelay };
  }
  const low = await new AWS.DynamoDB().getItem({ TableName: 'Notes', Key: { id: { S: 'n1' } } }).promise();
  let emptySet;
  try { doc.createSet([]); } catch (e) { emptySet = [e.code, e.message]; }
  return { put, got: { ...got.Item, tags: got.Item.tags.values, type: got.Item.tags.type }, json: JSON.parse(JSON.stringify(got.Item.tags)),
           error, lowN: low.Item.n, emptySet };
};
"#;
    let mut cloud = deploy("nodejs16.x", code);
    let out = call(&mut cloud, json!({}));
    let p = payload(&out);
    assert_eq!(out.function_error, None, "{p}");
    assert_eq!(
        calls(&cloud)[0].1,
        json!({"TableName": "Notes", "Item": {"id": {"S": "n1"}, "n": {"N": "7"}, "tags": {"SS": ["x", "y"]},
               "m": {"M": {"deep": {"L": [{"N": "1"}, {"M": {"k": {"S": "v"}}}]}}}}})
    );
    assert_eq!(p["put"], json!({}));
    assert_eq!(
        p["got"],
        json!({"id": "n1", "n": 7, "tags": ["x", "y"], "type": "String", "m": {"deep": [1, {"k": "v"}]}})
    );
    assert_eq!(p["json"], json!(["x", "y"]));
    assert_eq!(
        p["error"],
        json!({"code": "ConditionalCheckFailedException", "name": "ConditionalCheckFailedException",
               "message": "The conditional request failed", "statusCode": 400, "retryable": false, "time": true,
               "requestIdLength": 52, "keys": ["code", "time", "requestId", "statusCode", "retryable", "retryDelay"],
               "retryDelay": "number"})
    );
    assert_eq!(p["lowN"], json!({"N": "7"}));
    assert_eq!(
        p["emptySet"],
        json!(["InvalidSetType", "Sets can contain string, number, or binary values"])
    );
}

#[test]
fn each_runtime_ships_its_own_sdk() {
    let cases = [
        (
            "nodejs18.x",
            "const AWS = require('aws-sdk');\nexports.handler = async () => 1;",
            "Error: Cannot find module 'aws-sdk'\nRequire stack:\n- /var/task/index.js\n- /var/runtime/index.mjs",
        ),
        (
            "nodejs24.x",
            "const { DynamoDB } = require('aws-sdk');\nexports.handler = async () => 1;",
            "Error: Cannot find module 'aws-sdk'\nRequire stack:\n- /var/task/index.js\n- /var/runtime/index.mjs",
        ),
        (
            "nodejs16.x",
            "const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');\nexports.handler = async () => 1;",
            "Error: Cannot find module '@aws-sdk/client-dynamodb'\nRequire stack:\n- /var/task/index.js\n- /var/runtime/index.mjs",
        ),
    ];
    for (runtime, code, message) in cases {
        let mut cloud = deploy(runtime, code);
        let p = payload(&call(&mut cloud, json!({})));
        assert_eq!(p["errorType"], "Runtime.ImportModuleError", "{runtime}: {p}");
        assert_eq!(p["errorMessage"], message, "{runtime}");
    }
    let mut cloud = deploy_file(
        "nodejs20.x",
        "index.mjs",
        "import AWS from 'aws-sdk';\nexport const handler = async () => 1;",
    );
    let p = payload(&call(&mut cloud, json!({})));
    assert_eq!(p["errorType"], "Runtime.ImportModuleError");
    assert_eq!(
        p["errorMessage"],
        "Error: Cannot find package 'aws-sdk' imported from /var/task/index.mjs"
    );
    let mut cloud = deploy(
        "nodejs16.x",
        "const DynamoDB = require('aws-sdk/clients/dynamodb');\nexports.handler = async () => typeof DynamoDB.DocumentClient;",
    );
    assert_eq!(payload(&call(&mut cloud, json!({}))), json!("function"));
}

#[test]
fn es_modules_import_the_sdk() {
    let code = r#"
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocument } from '@aws-sdk/lib-dynamodb';
const doc = DynamoDBDocument.from(new DynamoDBClient({}));
export const handler = async () => {
  await doc.put({ TableName: 'Notes', Item: { id: 'e', v: 1 } });
  const got = await doc.get({ TableName: 'Notes', Key: { id: 'e' } });
  return [got.Item, typeof GetItemCommand];
};
"#;
    let mut cloud = deploy_file("nodejs20.x", "index.mjs", code);
    let p = payload(&call(&mut cloud, json!({})));
    assert_eq!(p, json!([{"id": "e", "v": 1}, "function"]));
}

#[test]
fn services_nobody_simulates_and_unknown_packages_are_loud() {
    let code = r#"
const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
exports.handler = async () => {
  try { await new S3Client({}).send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'hi' })); }
  catch (e) { return [e.name, e.message, e.$fault, e.$metadata.httpStatusCode, e.constructor.name]; }
};
"#;
    let mut cloud = deploy("nodejs20.x", code);
    assert_eq!(
        payload(&call(&mut cloud, json!({}))),
        json!([
            "NotSimulated",
            "not simulated: the s3 API",
            "server",
            501,
            "S3ServiceException"
        ])
    );
    let mut cloud = deploy(
        "nodejs20.x",
        "const { KinesisClient } = require('@aws-sdk/client-kinesis');\nexports.handler = async () => 1;",
    );
    let p = payload(&call(&mut cloud, json!({})));
    assert_eq!(
        p["errorMessage"],
        "not simulated: the AWS SDK module '@aws-sdk/client-kinesis' (simulated: @aws-sdk/client-dynamodb, @aws-sdk/client-s3, @aws-sdk/client-sns, @aws-sdk/client-sqs, @aws-sdk/client-lambda, @aws-sdk/client-cloudwatch-logs, @aws-sdk/lib-dynamodb, @aws-sdk/util-dynamodb, aws-sdk)"
    );
    let mut cloud = deploy(
        "nodejs20.x",
        "const { DynamoDBClient, ListTablesCommand } = require('@aws-sdk/client-dynamodb');\nexports.handler = async () => new DynamoDBClient({ region: 'eu-west-1' }).send(new ListTablesCommand({})).catch((e) => e.message);",
    );
    assert_eq!(
        payload(&call(&mut cloud, json!({}))),
        json!("not simulated: calls to region eu-west-1 (the simulated account is in us-east-1)")
    );
}

#[test]
fn sdk_calls_are_deterministic_and_warm_environments_keep_clients() {
    let run = || {
        let mut cloud = deploy("nodejs20.x", V3_PUT_GET);
        let first = call(&mut cloud, json!({"id": "a"}));
        let second = call(&mut cloud, json!({"id": "b"}));
        assert!(second.logs.iter().all(|l| !l.contains("Init Duration")), "warm");
        (first.payload, second.payload)
    };
    assert_eq!(run(), run());
}

#[test]
fn every_document_command_marshalls_its_items_keys_and_values() {
    let code = r#"
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const lib = require('@aws-sdk/lib-dynamodb');
const doc = lib.DynamoDBDocumentClient.from(new DynamoDBClient({}));
const values = { ':v': 1, ':s': new Set(['a']) };
exports.handler = async () => {
  const commands = [
    new lib.UpdateCommand({ TableName: 'T', Key: { id: 'k' }, UpdateExpression: 'SET n = :v', ExpressionAttributeValues: values }),
    new lib.DeleteCommand({ TableName: 'T', Key: { id: 'k' }, ConditionExpression: 'n = :v', ExpressionAttributeValues: { ':v': 1 } }),
    new lib.QueryCommand({ TableName: 'T', KeyConditionExpression: 'id = :v', ExpressionAttributeValues: { ':v': 'k' }, ExclusiveStartKey: { id: 'j' } }),
    new lib.ScanCommand({ TableName: 'T', FilterExpression: 'n > :v', ExpressionAttributeValues: { ':v': 2 } }),
    new lib.BatchGetCommand({ RequestItems: { T: { Keys: [{ id: 'a' }, { id: 'b' }], ProjectionExpression: 'id' } } }),
    new lib.BatchWriteCommand({ RequestItems: { T: [{ PutRequest: { Item: { id: 'a', n: 1 } } }, { DeleteRequest: { Key: { id: 'b' } } }] } }),
    new lib.TransactWriteCommand({ TransactItems: [
      { Put: { TableName: 'T', Item: { id: 'a', l: [true] } } },
      { Update: { TableName: 'T', Key: { id: 'b' }, UpdateExpression: 'SET n = :v', ExpressionAttributeValues: { ':v': null } } },
      { Delete: { TableName: 'T', Key: { id: 'c' } } },
      { ConditionCheck: { TableName: 'T', Key: { id: 'd' }, ConditionExpression: 'attribute_exists(id)' } },
    ] }),
    new lib.TransactGetCommand({ TransactItems: [{ Get: { TableName: 'T', Key: { id: 'a' } } }] }),
  ];
  const names = [];
  for (const command of commands) {
    try { await doc.send(command); } catch (e) { names.push(e.name); }
  }
  return names;
};
"#;
    let mut cloud = deploy("nodejs20.x", code);
    let p = payload(&call(&mut cloud, json!({})));
    assert_eq!(
        p,
        json!([
            "NotSimulated",
            "NotSimulated",
            "ResourceNotFoundException",
            "ResourceNotFoundException",
            "NotSimulated",
            "NotSimulated",
            "NotSimulated",
            "NotSimulated"
        ])
    );
    let seen: Vec<(String, Value)> = calls(&cloud)
        .iter()
        .map(|(op, input, _)| (op.clone(), input.clone()))
        .collect();
    let k = json!({"id": {"S": "k"}});
    assert_eq!(
        seen,
        vec![
            (
                "UpdateItem".into(),
                json!({"TableName": "T", "Key": k, "UpdateExpression": "SET n = :v", "ExpressionAttributeValues": {":v": {"N": "1"}, ":s": {"SS": ["a"]}}})
            ),
            (
                "DeleteItem".into(),
                json!({"TableName": "T", "Key": k, "ConditionExpression": "n = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}})
            ),
            (
                "Query".into(),
                json!({"TableName": "T", "KeyConditionExpression": "id = :v", "ExpressionAttributeValues": {":v": {"S": "k"}}, "ExclusiveStartKey": {"id": {"S": "j"}}})
            ),
            (
                "Scan".into(),
                json!({"TableName": "T", "FilterExpression": "n > :v", "ExpressionAttributeValues": {":v": {"N": "2"}}})
            ),
            (
                "BatchGetItem".into(),
                json!({"RequestItems": {"T": {"Keys": [{"id": {"S": "a"}}, {"id": {"S": "b"}}], "ProjectionExpression": "id"}}})
            ),
            (
                "BatchWriteItem".into(),
                json!({"RequestItems": {"T": [{"PutRequest": {"Item": {"id": {"S": "a"}, "n": {"N": "1"}}}}, {"DeleteRequest": {"Key": {"id": {"S": "b"}}}}]}})
            ),
            (
                "TransactWriteItems".into(),
                json!({"TransactItems": [
                    {"Put": {"TableName": "T", "Item": {"id": {"S": "a"}, "l": {"L": [{"BOOL": true}]}}}},
                    {"Update": {"TableName": "T", "Key": {"id": {"S": "b"}}, "UpdateExpression": "SET n = :v", "ExpressionAttributeValues": {":v": {"NULL": true}}}},
                    {"Delete": {"TableName": "T", "Key": {"id": {"S": "c"}}}},
                    {"ConditionCheck": {"TableName": "T", "Key": {"id": {"S": "d"}}, "ConditionExpression": "attribute_exists(id)"}},
                ]})
            ),
            (
                "TransactGetItems".into(),
                json!({"TransactItems": [{"Get": {"TableName": "T", "Key": {"id": {"S": "a"}}}}]})
            ),
        ]
    );
}

#[test]
fn paginators_follow_last_evaluated_key() {
    let code = r#"
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, paginateScan } = require('@aws-sdk/lib-dynamodb');
const client = new DynamoDBClient({});
const doc = DynamoDBDocumentClient.from(client);
exports.handler = async () => {
  for (const id of ['a', 'b', 'c']) await client.send(new PutItemCommand({ TableName: 'Notes', Item: { id: { S: id } } }));
  const pages = [];
  for await (const page of paginateScan({ client: doc }, { TableName: 'Notes' })) pages.push([page.Items, page.LastEvaluatedKey]);
  return pages;
};
"#;
    let mut cloud = deploy("nodejs20.x", code);
    let p = payload(&call(&mut cloud, json!({})));
    assert_eq!(
        p,
        json!([[[{"id": "a"}], {"id": "a"}], [[{"id": "b"}], {"id": "b"}], [[{"id": "c"}], null]])
    );
}

#[test]
fn v2_requests_send_once_with_callbacks_or_promises() {
    let code = r#"
const AWS = require('aws-sdk');
const ddb = new AWS.DynamoDB({ apiVersion: '2012-08-10' });
exports.handler = (event, context, callback) => {
  const request = ddb.putItem({ TableName: 'Notes', Item: { id: { S: 'cb' } } }, (err, data) => {
    if (err) return callback(err);
    ddb.getItem({ TableName: 'Missing', Key: { id: { S: 'cb' } } }, (err2) => {
      callback(null, { data, isRequest: request instanceof AWS.Request, err: [err2.code, err2.statusCode, err2.message] });
    });
  });
};
"#;
    let mut cloud = deploy("nodejs16.x", code);
    let p = payload(&call(&mut cloud, json!({})));
    assert_eq!(
        p,
        json!({"data": {}, "isRequest": true, "err": ["ResourceNotFoundException", 400, "Requested resource not found"]})
    );
    let ops: Vec<&str> = calls(&cloud).iter().map(|(op, _, _)| op.as_str()).collect();
    assert_eq!(ops, ["PutItem", "GetItem"]);
}

#[test]
fn an_unhandled_v2_error_reports_its_code_as_the_error_type() {
    let code = r#"
const AWS = require('aws-sdk');
const doc = new AWS.DynamoDB.DocumentClient();
exports.handler = async () => doc.get({ TableName: 'Missing', Key: { id: 'x' } }).promise();
"#;
    let mut cloud = deploy("nodejs16.x", code);
    let p = payload(&call(&mut cloud, json!({})));
    assert_eq!(p["errorType"], "ResourceNotFoundException");
    assert_eq!(p["errorMessage"], "Requested resource not found");
}

#[test]
fn lazily_made_classes_and_buffer_stay_constructible() {
    let code = r#"
const ddb = require('@aws-sdk/client-dynamodb');
exports.handler = async () => {
  const made = [];
  for (let i = 0; i < 3; i++) {
    made.push(new ddb.GetItemCommand({ TableName: 'T' }).input.TableName);
    made.push(Buffer.from('hi').toString('hex') + new Buffer(2).length);
    made.push(new ddb.ResourceNotFoundException({ message: 'm', $metadata: {} }).name);
  }
  return made;
};
"#;
    let mut cloud = deploy("nodejs20.x", code);
    let p = payload(&call(&mut cloud, json!({})));
    assert_eq!(
        p,
        json!([
            "T",
            "68692",
            "ResourceNotFoundException",
            "T",
            "68692",
            "ResourceNotFoundException",
            "T",
            "68692",
            "ResourceNotFoundException"
        ])
    );
}

#[test]
fn binary_values_travel_base64_and_come_back_as_bytes() {
    let code = r#"
const { DynamoDBClient, PutItemCommand, GetItemCommand } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, GetCommand } = require('@aws-sdk/lib-dynamodb');
const client = new DynamoDBClient({});
exports.handler = async () => {
  await client.send(new PutItemCommand({ TableName: 'Notes', Item: { id: { S: 'b' }, data: { B: new Uint8Array([1, 2, 3]) }, set: { BS: [Buffer.from('hi')] } } }));
  const low = await client.send(new GetItemCommand({ TableName: 'Notes', Key: { id: { S: 'b' } } }));
  const doc = await DynamoDBDocumentClient.from(client).send(new GetCommand({ TableName: 'Notes', Key: { id: 'b' } }));
  return [low.Item.data.B instanceof Uint8Array, Array.from(low.Item.data.B), Array.from(doc.Item.data), [...doc.Item.set].map((b) => Buffer.from(b).toString())];
};
"#;
    let mut cloud = deploy("nodejs20.x", code);
    let p = payload(&call(&mut cloud, json!({})));
    assert_eq!(
        calls(&cloud)[0].1["Item"],
        json!({"id": {"S": "b"}, "data": {"B": "AQID"}, "set": {"BS": ["aGk="]}})
    );
    assert_eq!(p, json!([true, [1, 2, 3], [1, 2, 3], ["hi"]]));
    let code = r#"
const AWS = require('aws-sdk');
const doc = new AWS.DynamoDB.DocumentClient();
exports.handler = async () => {
  await doc.put({ TableName: 'Notes', Item: { id: 'b', data: Buffer.from('bytes') } }).promise();
  const { Item } = await doc.get({ TableName: 'Notes', Key: { id: 'b' } }).promise();
  return [Buffer.isBuffer(Item.data), Item.data.toString()];
};
"#;
    let mut cloud = deploy("nodejs16.x", code);
    let p = payload(&call(&mut cloud, json!({})));
    assert_eq!(calls(&cloud)[0].1["Item"]["data"], json!({"B": "Ynl0ZXM="}));
    assert_eq!(p, json!([true, "bytes"]));
}
