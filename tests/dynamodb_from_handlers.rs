//! Issue #7's end-to-end sequence: a handler using the v3 `@aws-sdk/lib-dynamodb` client (nodejs20.x) and one using
//! the v2 `aws-sdk` DocumentClient (nodejs16.x) each put, get, update, query and fail a condition against the
//! simulated DynamoDB, as their execution role; a role without `dynamodb:PutItem` gets DynamoDB's AccessDenied text,
//! and granting the action fixes it. Expected values are what DynamoDB answers (API reference: PutItem, GetItem,
//! UpdateItem `ReturnValues`, Query `Count`/`ScannedCount` with a filter, `ConditionalCheckFailedException`
//! "The conditional request failed"; IAM user guide, "Access denied error messages").

use serde_json::{json, Value};
use serverless_playground::lambda::{self, InvocationType};
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

/// A `Posts` table (`userId` / `postId`), a role allowed `actions` on it, and a function `posts-fn` on `runtime`.
fn deploy(runtime: &str, actions: &[&str], code: &str) -> Cloud {
    let actions: String = actions.iter().map(|a| format!("                  - {a}\n")).collect();
    let code: String = code.lines().map(|l| format!("          {l}\n")).collect();
    let text = format!(
        r#"Resources:
  Posts:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: Posts
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {{AttributeName: userId, AttributeType: S}}
        - {{AttributeName: postId, AttributeType: S}}
      KeySchema:
        - {{AttributeName: userId, KeyType: HASH}}
        - {{AttributeName: postId, KeyType: RANGE}}
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: posts-role
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: sts:AssumeRole}}
      Policies:
        - PolicyName: posts
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action:
{actions}                Resource: !GetAtt Posts.Arn
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: posts-fn
      Runtime: {runtime}
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: |
{code}"#
    );
    let mut cloud = Cloud::default();
    let stack = template::load("posts.yaml", &text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    cloud
}

fn run(cloud: &mut Cloud) -> Value {
    let out = lambda::invoke(cloud, "posts-fn", InvocationType::RequestResponse, "{}").unwrap();
    assert_eq!(out.function_error, None, "{}", out.payload);
    serde_json::from_str(&out.payload).unwrap()
}

const ALL: &[&str] = &[
    "dynamodb:PutItem",
    "dynamodb:GetItem",
    "dynamodb:UpdateItem",
    "dynamodb:Query",
];

/// What both SDKs must see: DynamoDB's answers, unmarshalled.
fn expected_sequence(error: Value) -> Value {
    json!({
        "get": {"userId": "u1", "postId": "p1", "likes": 1, "tags": ["a", "b"]},
        "update": {"likes": 2},
        "query": {"Items": [{"userId": "u1", "postId": "p2", "likes": 5}], "Count": 1, "ScannedCount": 2},
        "error": error,
    })
}

const V3_SEQUENCE: &str = r#"
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, PutCommand, GetCommand, UpdateCommand, QueryCommand } = require('@aws-sdk/lib-dynamodb');
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const key = { userId: 'u1', postId: 'p1' };
exports.handler = async () => {
  const out = {};
  await doc.send(new PutCommand({ TableName: 'Posts', Item: { ...key, likes: 1, tags: ['a', 'b'] } }));
  await doc.send(new PutCommand({ TableName: 'Posts', Item: { userId: 'u1', postId: 'p2', likes: 5 } }));
  out.get = (await doc.send(new GetCommand({ TableName: 'Posts', Key: key }))).Item;
  out.update = (await doc.send(new UpdateCommand({
    TableName: 'Posts', Key: key, UpdateExpression: 'SET likes = likes + :one',
    ExpressionAttributeValues: { ':one': 1 }, ReturnValues: 'UPDATED_NEW' }))).Attributes;
  const q = await doc.send(new QueryCommand({
    TableName: 'Posts', KeyConditionExpression: 'userId = :u', FilterExpression: 'likes > :min',
    ExpressionAttributeValues: { ':u': 'u1', ':min': 2 } }));
  out.query = { Items: q.Items, Count: q.Count, ScannedCount: q.ScannedCount };
  try {
    await doc.send(new PutCommand({ TableName: 'Posts', Item: key, ConditionExpression: 'attribute_not_exists(postId)' }));
  } catch (e) {
    out.error = { name: e.name, message: e.message, fault: e.$fault, status: e.$metadata.httpStatusCode };
  }
  return out;
};
"#;

#[test]
fn a_v3_lib_dynamodb_handler_runs_the_sequence_with_dynamodbs_answers() {
    let mut cloud = deploy("nodejs20.x", ALL, V3_SEQUENCE);
    let error = json!({"name": "ConditionalCheckFailedException", "message": "The conditional request failed",
                       "fault": "client", "status": 400});
    assert_eq!(run(&mut cloud), expected_sequence(error));
}

const V2_SEQUENCE: &str = r#"
const AWS = require('aws-sdk');
const doc = new AWS.DynamoDB.DocumentClient();
const key = { userId: 'u1', postId: 'p1' };
exports.handler = async () => {
  const out = {};
  await doc.put({ TableName: 'Posts', Item: { ...key, likes: 1, tags: ['a', 'b'] } }).promise();
  await doc.put({ TableName: 'Posts', Item: { userId: 'u1', postId: 'p2', likes: 5 } }).promise();
  out.get = (await doc.get({ TableName: 'Posts', Key: key }).promise()).Item;
  out.update = (await doc.update({
    TableName: 'Posts', Key: key, UpdateExpression: 'SET likes = likes + :one',
    ExpressionAttributeValues: { ':one': 1 }, ReturnValues: 'UPDATED_NEW' }).promise()).Attributes;
  const q = await doc.query({
    TableName: 'Posts', KeyConditionExpression: 'userId = :u', FilterExpression: 'likes > :min',
    ExpressionAttributeValues: { ':u': 'u1', ':min': 2 } }).promise();
  out.query = { Items: q.Items, Count: q.Count, ScannedCount: q.ScannedCount };
  try {
    await doc.put({ TableName: 'Posts', Item: key, ConditionExpression: 'attribute_not_exists(postId)' }).promise();
  } catch (e) {
    out.error = { code: e.code, message: e.message, statusCode: e.statusCode };
  }
  return out;
};
"#;

#[test]
fn a_v2_document_client_handler_runs_the_sequence_with_dynamodbs_answers() {
    let mut cloud = deploy("nodejs16.x", ALL, V2_SEQUENCE);
    let error = json!({"code": "ConditionalCheckFailedException", "message": "The conditional request failed",
                       "statusCode": 400});
    assert_eq!(run(&mut cloud), expected_sequence(error));
}

const PUT_ONE: &str = r#"
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const client = new DynamoDBClient({});
exports.handler = async () => {
  try {
    await client.send(new PutItemCommand({ TableName: 'Posts', Item: { userId: { S: 'u1' }, postId: { S: 'p1' } } }));
    return { saved: true };
  } catch (e) {
    return { name: e.name, message: e.message, status: e.$metadata.httpStatusCode };
  }
};
"#;

#[test]
fn a_role_without_put_item_is_denied_with_dynamodbs_words_until_granted() {
    let mut denied = deploy("nodejs20.x", &["dynamodb:GetItem"], PUT_ONE);
    assert_eq!(
        run(&mut denied),
        json!({
            "name": "AccessDeniedException",
            "message": "User: arn:aws:sts::123456789012:assumed-role/posts-role/posts-fn is not authorized to perform: \
                        dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/Posts because no \
                        identity-based policy allows the dynamodb:PutItem action",
            "status": 400
        })
    );
    let mut granted = deploy("nodejs20.x", &["dynamodb:GetItem", "dynamodb:PutItem"], PUT_ONE);
    assert_eq!(run(&mut granted), json!({"saved": true}));
}
