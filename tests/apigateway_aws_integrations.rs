//! API Gateway `AWS` service integrations on a CloudFormation template: DynamoDB `action/PutItem` and `GetItem`
//! driven by mapping templates (the classic "API Gateway -> DynamoDB" pattern), SQS `path/<account>/<queue>` with
//! a form-encoded `SendMessage`, SNS `action/Publish` with query parameters, S3 `path/{bucket}/{key}`; the
//! credentials role checked by IAM (the service's AccessDenied through the integration responses) and by its trust
//! policy (500); test-invoke logs; an OpenAPI `x-amazon-apigateway-integration` with `type: aws`.
//! Expected values: the services' own answers (DynamoDB JSON protocol, SQS / SNS query protocol in JSON, S3 REST),
//! API Gateway's execution log format (apigateway-facts (d)).

use serde_json::{json, Value};
use serverless_playground::api::{ApiRequest, Caller};
use serverless_playground::apigateway::http::HttpRequest;
use serverless_playground::apigateway::invoke::{self, Invocation};
use serverless_playground::apigateway::test_invoke::{test_invoke_method, TestInvokeMethodRequest};
use serverless_playground::apigateway::ApiGateway;
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

const TEMPLATE: &str = r#"AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Notes:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: notes
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
  Jobs:
    Type: AWS::SQS::Queue
    Properties: {QueueName: jobs}
  Alerts:
    Type: AWS::SNS::Topic
    Properties: {TopicName: alerts}
  Files:
    Type: AWS::S3::Bucket
    Properties: {BucketName: my-files-bucket}
  ApiRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: api-role
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: apigateway.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: services
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - {Effect: Allow, Action: ['dynamodb:PutItem', 'dynamodb:GetItem'], Resource: !GetAtt Notes.Arn}
              - {Effect: Allow, Action: sqs:SendMessage, Resource: !GetAtt Jobs.Arn}
              - {Effect: Allow, Action: sns:Publish, Resource: !Ref Alerts}
              - {Effect: Allow, Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::my-files-bucket/*'}
              # Without s3:ListBucket, S3 answers a missing key with 403 AccessDenied instead of 404 NoSuchKey.
              - {Effect: Allow, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::my-files-bucket'}
  ReadOnlyRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: read-only-role
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: apigateway.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: read
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - {Effect: Allow, Action: dynamodb:GetItem, Resource: !GetAtt Notes.Arn}
  LambdaOnlyRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: lambda-only-role
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: all
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - {Effect: Allow, Action: 'dynamodb:*', Resource: '*'}
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: services-api}
  NotesRes:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: notes}
  NoteRes:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !Ref NotesRes, PathPart: '{id}'}
  PutNote:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref NotesRes
      HttpMethod: POST
      AuthorizationType: NONE
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:dynamodb:action/PutItem
        Credentials: !GetAtt ApiRole.Arn
        RequestTemplates:
          application/json: |
            {
              "TableName": "notes",
              "Item": {
                "id": {"S": "$input.path('$.id')"},
                "text": {"S": "$util.escapeJavaScript($input.path('$.text'))"}
              },
              "ConditionExpression": "attribute_not_exists(id)"
            }
        IntegrationResponses:
          - StatusCode: '200'
            ResponseTemplates:
              application/json: '{"saved": "$context.requestId"}'
          - StatusCode: '400'
            SelectionPattern: '4\d{2}'
            ResponseTemplates:
              application/json: |
                #set($error = $input.path('$'))
                {"error": "$error.__type.split('#')[1]", "message": "$util.escapeJavaScript($error.message)"}
      MethodResponses:
        - StatusCode: '200'
        - StatusCode: '400'
  GetNote:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref NoteRes
      HttpMethod: GET
      AuthorizationType: NONE
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:dynamodb:action/GetItem
        Credentials: !GetAtt ReadOnlyRole.Arn
        RequestTemplates:
          application/json: '{"TableName": "notes", "Key": {"id": {"S": "$input.params(''id'')"}}}'
        IntegrationResponses:
          - StatusCode: '200'
            ResponseTemplates:
              application/json: |
                #set($item = $input.path('$.Item'))
                #if($item == "")
                #set($context.responseOverride.status = 404)
                {"message": "no such note"}
                #else
                {"id": "$item.id.S", "text": "$item.text.S"}
                #end
      MethodResponses:
        - StatusCode: '200'
  DeleteNote:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref NoteRes
      HttpMethod: DELETE
      AuthorizationType: NONE
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:dynamodb:action/DeleteItem
        Credentials: !GetAtt ReadOnlyRole.Arn
        RequestTemplates:
          application/json: '{"TableName": "notes", "Key": {"id": {"S": "$input.params(''id'')"}}}'
        IntegrationResponses:
          - StatusCode: '200'
          - StatusCode: '403'
            SelectionPattern: '4\d{2}'
      MethodResponses:
        - StatusCode: '200'
        - StatusCode: '403'
  PatchNote:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref NoteRes
      HttpMethod: PATCH
      AuthorizationType: NONE
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:dynamodb:action/UpdateItem
        Credentials: !GetAtt LambdaOnlyRole.Arn
        RequestTemplates:
          application/json: '{"TableName": "notes"}'
        IntegrationResponses:
          - StatusCode: '200'
      MethodResponses:
        - StatusCode: '200'
  QueueRes:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: jobs}
  SendJob:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref QueueRes
      HttpMethod: POST
      AuthorizationType: NONE
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/jobs
        Credentials: !GetAtt ApiRole.Arn
        RequestParameters:
          integration.request.header.Content-Type: "'application/x-www-form-urlencoded'"
        RequestTemplates:
          application/json: Action=SendMessage&MessageBody=$util.urlEncode($input.body)&MessageAttribute.1.Name=source&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=api
        IntegrationResponses:
          - StatusCode: '200'
      MethodResponses:
        - StatusCode: '200'
  TopicRes:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: alerts}
  PublishAlert:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref TopicRes
      HttpMethod: POST
      AuthorizationType: NONE
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:sns:action/Publish
        Credentials: !GetAtt ApiRole.Arn
        RequestParameters:
          integration.request.querystring.TopicArn: !Sub "'${Alerts}'"
          integration.request.querystring.Message: method.request.body
          integration.request.header.Accept: "'application/xml'"
        IntegrationResponses:
          - StatusCode: '200'
      MethodResponses:
        - StatusCode: '200'
  FileRes:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: '{key}'}
  GetFile:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref FileRes
      HttpMethod: GET
      AuthorizationType: NONE
      RequestParameters: {method.request.path.key: true}
      Integration:
        Type: AWS
        IntegrationHttpMethod: GET
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:s3:path/{bucket}/{key}
        Credentials: !GetAtt ApiRole.Arn
        RequestParameters:
          integration.request.path.bucket: "'my-files-bucket'"
          integration.request.path.key: method.request.path.key
        IntegrationResponses:
          - StatusCode: '200'
            ResponseParameters: {method.response.header.Content-Type: integration.response.header.Content-Type}
          - StatusCode: '404'
            SelectionPattern: '404'
      MethodResponses:
        - StatusCode: '200'
          ResponseParameters: {method.response.header.Content-Type: true}
        - StatusCode: '404'
  PutFile:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref FileRes
      HttpMethod: PUT
      AuthorizationType: NONE
      RequestParameters: {method.request.path.key: true}
      Integration:
        Type: AWS
        IntegrationHttpMethod: PUT
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:s3:path/{bucket}/{key}
        Credentials: !GetAtt ApiRole.Arn
        PassthroughBehavior: WHEN_NO_TEMPLATES
        RequestParameters:
          integration.request.path.bucket: "'my-files-bucket'"
          integration.request.path.key: method.request.path.key
          integration.request.header.Content-Type: method.request.header.Content-Type
        IntegrationResponses:
          - StatusCode: '200'
      MethodResponses:
        - StatusCode: '200'
  Deployment:
    Type: AWS::ApiGateway::Deployment
    DependsOn: [PutNote, GetNote, DeleteNote, PatchNote, SendJob, PublishAlert, GetFile, PutFile]
    Properties: {RestApiId: !Ref Api, StageName: prod}
"#;

fn deploy(text: &str) -> (Cloud, String) {
    let mut cloud = Cloud::default();
    let stack = template::load("t.yaml", text, &LoadOptions::default(), &mut cloud).unwrap_or_else(|e| panic!("{e}"));
    cloud.deploy(&stack).unwrap_or_else(|e| panic!("{e}"));
    let api = cloud
        .service::<ApiGateway>()
        .unwrap()
        .rest_apis
        .keys()
        .next()
        .unwrap()
        .clone();
    (cloud, api)
}

fn send(cloud: &mut Cloud, api: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Invocation {
    let request = HttpRequest {
        method: method.into(),
        path: path.into(),
        headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        body: body.into(),
    };
    invoke::execute(cloud, api, &request).unwrap_or_else(|e| panic!("{e}"))
}

const JSON: [(&str, &str); 1] = [("Content-Type", "application/json")];

fn root_call(cloud: &mut Cloud, service: &str, operation: &str, input: Value) -> Value {
    let caller = Caller::root("123456789012");
    cloud
        .call(&ApiRequest {
            service,
            operation,
            input: &input,
            caller: &caller,
        })
        .unwrap()
}

#[test]
fn dynamodb_put_item_and_get_item_through_mapping_templates() {
    let (mut cloud, api) = deploy(TEMPLATE);
    let r = send(
        &mut cloud,
        &api,
        "POST",
        "/prod/notes",
        &JSON,
        r#"{"id": "n1", "text": "say \"hi\""}"#,
    );
    assert_eq!(r.response.status_code, 200);
    assert_eq!(r.response.body, format!("{{\"saved\": \"{}\"}}", r.trace.request_id));
    let stored = root_call(
        &mut cloud,
        "dynamodb",
        "GetItem",
        json!({"TableName": "notes", "Key": {"id": {"S": "n1"}}}),
    );
    assert_eq!(
        stored,
        json!({"Item": {"id": {"S": "n1"}, "text": {"S": "say \"hi\""}}})
    );
    let endpoint = r.trace.endpoint_response.as_ref().unwrap();
    assert_eq!(
        (endpoint.status, endpoint.body.as_str(), endpoint.latency_millis),
        (200, "{}", 5)
    );

    let r = send(&mut cloud, &api, "GET", "/prod/notes/n1", &[], "");
    assert_eq!(
        (r.response.status_code, r.response.body.as_str()),
        (200, "{\"id\": \"n1\", \"text\": \"say \"hi\"\"}\n")
    );
    let r = send(&mut cloud, &api, "GET", "/prod/notes/none", &[], "");
    assert_eq!(
        (r.response.status_code, r.response.body.as_str()),
        (404, "{\"message\": \"no such note\"}\n")
    );

    // The condition fails: DynamoDB's 400, selected by the `4\d{2}` integration response.
    let r = send(
        &mut cloud,
        &api,
        "POST",
        "/prod/notes",
        &JSON,
        r#"{"id": "n1", "text": "again"}"#,
    );
    assert_eq!(r.response.status_code, 400);
    assert_eq!(
        r.response.body,
        "{\"error\": \"ConditionalCheckFailedException\", \"message\": \"The conditional request failed\"}\n"
    );
}

#[test]
fn a_role_without_the_action_gets_the_services_access_denied_through_the_status_mapping() {
    let (mut cloud, api) = deploy(TEMPLATE);
    let r = send(&mut cloud, &api, "DELETE", "/prod/notes/n1", &[], "");
    assert_eq!(r.response.status_code, 403);
    assert_eq!(
        r.response.body,
        "{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"Message\":\"User: arn:aws:sts::123456789012:assumed-role/read-only-role/BackplaneAssumeRoleSession is not authorized to perform: dynamodb:DeleteItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/notes because no identity-based policy allows the dynamodb:DeleteItem action\"}"
    );
    // A role API Gateway may not assume: 500, and the configuration error in the log.
    let r = send(&mut cloud, &api, "PATCH", "/prod/notes/n1", &JSON, "{}");
    assert_eq!(
        (r.response.status_code, r.response.body.as_str()),
        (500, "{\"message\":\"Internal server error\"}")
    );
    assert_eq!(
        r.trace.failure.unwrap().log.unwrap(),
        "Execution failed due to configuration error: API Gateway does not have permission to assume the provided role arn:aws:iam::123456789012:role/lambda-only-role"
    );
}

fn log_lines(log: &str) -> Vec<String> {
    log.lines()
        .skip(1)
        .map(|l| l.split_once(" : ").map_or(l, |(_, t)| t).to_string())
        .collect()
}

#[test]
fn test_invoke_logs_the_dynamodb_call_as_aws_does() {
    let (mut cloud, api) = deploy(TEMPLATE);
    let resource = cloud.service::<ApiGateway>().unwrap().rest_apis[&api]
        .definition
        .resource_by_path("/notes")
        .unwrap()
        .id
        .clone();
    let request = TestInvokeMethodRequest {
        resource_id: resource,
        http_method: "POST".into(),
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: r#"{"id": "n2", "text": "x"}"#.into(),
        ..TestInvokeMethodRequest::default()
    };
    let t = test_invoke_method(&mut cloud, &api, &request).unwrap();
    assert_eq!(t.status, 200, "{}", t.log);
    let lines = log_lines(&t.log);
    let id = &t.trace.request_id;
    let find = |prefix: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(prefix))
            .cloned()
            .unwrap_or_default()
    };
    let headers = &find("Endpoint request headers: ");
    assert!(
        headers.starts_with("Endpoint request headers: {Authorization=*"),
        "{headers}"
    );
    assert!(headers.contains(&format!(
        ", X-Amz-Date=20260101T000000Z, x-amzn-apigateway-api-id={api}, Accept=application/json, User-Agent=AmazonAPIGateway_{api}, X-Amz-Security-Token=IQoJb3JpZ2luX2Vj"
    )), "{headers}");
    assert!(headers.ends_with(" [TRUNCATED]"), "{headers}");
    let rendered = "{\n  \"TableName\": \"notes\",\n  \"Item\": {\n    \"id\": {\"S\": \"n2\"},\n    \"text\": {\"S\": \"x\"}\n  },\n  \"ConditionExpression\": \"attribute_not_exists(id)\"\n}\n";
    let response_headers = &find("Endpoint response headers: ");
    let ddb_id = t.trace.endpoint_response.as_ref().unwrap().headers["x-amzn-RequestId"].clone();
    assert_eq!(ddb_id.len(), 52);
    assert_eq!(
        response_headers,
        &format!("Endpoint response headers: {{Date=Thu, 01 Jan 2026 00:00:00 GMT, Server=Server, Content-Type=application/x-amz-json-1.0, Content-Length=2, Connection=keep-alive, x-amzn-RequestId={ddb_id}, x-amz-crc32=2745614147}}")
    );
    let expected = [
        format!("Starting execution for request: {id}"),
        "HTTP Method: POST, Resource Path: /notes".to_string(),
        "Method request path: {}".to_string(),
        "Method request query string: {}".to_string(),
        "Method request headers: {Content-Type=application/json}".to_string(),
        r#"Method request body before transformations: {"id": "n2", "text": "x"}"#.to_string(),
        "Endpoint request URI: https://dynamodb.us-east-1.amazonaws.com/?Action=PutItem".to_string(),
        headers.clone(),
        format!("Endpoint request body after transformations: {rendered}"),
        "Sending request to https://dynamodb.us-east-1.amazonaws.com/?Action=PutItem".to_string(),
        "Received response. Status: 200, Integration latency: 5 ms".to_string(),
        response_headers.clone(),
        "Endpoint response body before transformations: {}".to_string(),
        format!("Method response body after transformations: {{\"saved\": \"{id}\"}}"),
    ];
    // The rendered body spans lines in the log, as it does in AWS's.
    let joined = lines.join("\n");
    let expected_joined = expected.join("\n");
    assert!(joined.starts_with(&expected_joined), "{joined}\n---\n{expected_joined}");
    assert!(
        joined.ends_with("Successfully completed execution\nMethod completed with status: 200"),
        "{joined}"
    );
}

#[test]
fn sqs_send_message_from_a_form_template_answers_the_query_apis_json() {
    let (mut cloud, api) = deploy(TEMPLATE);
    let r = send(
        &mut cloud,
        &api,
        "POST",
        "/prod/jobs",
        &JSON,
        r#"{"job": "resize & crop"}"#,
    );
    assert_eq!(r.response.status_code, 200, "{}", r.response.body);
    let received = root_call(
        &mut cloud,
        "sqs",
        "ReceiveMessage",
        json!({"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs", "MessageAttributeNames": ["All"]}),
    );
    let message = &received["Messages"][0];
    assert_eq!(message["Body"], r#"{"job": "resize & crop"}"#);
    assert_eq!(
        message["MessageAttributes"],
        json!({"source": {"StringValue": "api", "DataType": "String"}})
    );
    let request_id = r.trace.endpoint_response.as_ref().unwrap().headers["x-amzn-RequestId"].clone();
    assert_eq!(
        r.response.body,
        json!({"SendMessageResponse": {
            "ResponseMetadata": {"RequestId": request_id},
            "SendMessageResult": {
                "MD5OfMessageAttributes": message["MD5OfMessageAttributes"],
                "MD5OfMessageBody": "bfc772c459450e8099ed588239dddc48",
                "MD5OfMessageSystemAttributes": null,
                "MessageId": message["MessageId"],
                "SequenceNumber": null}}})
        .to_string()
    );
    assert_eq!(
        r.trace.integration_request.as_ref().unwrap().uri.as_deref(),
        Some("https://sqs.us-east-1.amazonaws.com/123456789012/jobs")
    );
}

#[test]
fn sns_publish_with_query_parameters_answers_xml_when_asked() {
    let (mut cloud, api) = deploy(TEMPLATE);
    let r = send(&mut cloud, &api, "POST", "/prod/alerts", &JSON, "disk full");
    assert_eq!(r.response.status_code, 200, "{}", r.response.body);
    let endpoint = r.trace.endpoint_response.as_ref().unwrap();
    let request_id = endpoint.headers["x-amzn-RequestId"].clone();
    assert_eq!(endpoint.headers["Content-Type"], "text/xml");
    let body = &r.response.body;
    let message_id = body
        .split("<MessageId>")
        .nth(1)
        .and_then(|s| s.split("</MessageId>").next())
        .unwrap();
    assert_eq!(message_id.len(), 36);
    assert_eq!(
        body,
        &format!("<?xml version=\"1.0\"?><PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>{message_id}</MessageId></PublishResult><ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></PublishResponse>")
    );
    assert_eq!(
        r.trace.integration_request.as_ref().unwrap().uri.as_deref(),
        Some("https://sns.us-east-1.amazonaws.com/?Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Aalerts&Message=disk+full")
    );
}

#[test]
fn s3_object_paths_map_path_parameters_and_the_http_method() {
    let (mut cloud, api) = deploy(TEMPLATE);
    let r = send(
        &mut cloud,
        &api,
        "PUT",
        "/prod/notes.txt",
        &[("Content-Type", "text/plain")],
        "hello s3",
    );
    assert_eq!((r.response.status_code, r.response.body.as_str()), (200, ""));
    let r = send(&mut cloud, &api, "GET", "/prod/notes.txt", &[], "");
    assert_eq!((r.response.status_code, r.response.body.as_str()), (200, "hello s3"));
    assert!(
        r.response
            .headers
            .contains(&("Content-Type".to_string(), "text/plain".to_string())),
        "{:?}",
        r.response.headers
    );
    assert_eq!(
        r.trace.integration_request.as_ref().unwrap().uri.as_deref(),
        Some("https://s3.us-east-1.amazonaws.com/my-files-bucket/notes.txt")
    );
    let r = send(&mut cloud, &api, "GET", "/prod/missing.txt", &[], "");
    assert_eq!(r.response.status_code, 404);
    let headers = &r.trace.endpoint_response.as_ref().unwrap().headers;
    assert_eq!(
        r.response.body,
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>missing.txt</Key><RequestId>{}</RequestId><HostId>{}</HostId></Error>",
            headers["x-amz-request-id"], headers["x-amz-id-2"]
        )
    );
}

const OPENAPI: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Notes:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: notes
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
  ApiRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: apigateway.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: put
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - {Effect: Allow, Action: dynamodb:PutItem, Resource: !GetAtt Notes.Arn}
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        openapi: '3.0.1'
        info: {title: notes, version: '1'}
        paths:
          /notes:
            post:
              responses:
                '200': {description: ok}
              x-amazon-apigateway-integration:
                type: aws
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:dynamodb:action/PutItem
                credentials: !GetAtt ApiRole.Arn
                requestTemplates:
                  application/json: '{"TableName": "notes", "Item": {"id": {"S": "$context.requestId"}, "body": {"S": "$util.escapeJavaScript($input.body)"}}}'
                responses:
                  default:
                    statusCode: '200'
                    responseTemplates:
                      application/json: '{"id": "$context.requestId"}'
"#;

#[test]
fn an_openapi_aws_integration_loads_and_calls_dynamodb() {
    let (mut cloud, api) = deploy(OPENAPI);
    let r = send(&mut cloud, &api, "POST", "/prod/notes", &JSON, "{\"n\": 1}");
    let id = r.trace.request_id.clone();
    assert_eq!(
        (r.response.status_code, r.response.body.clone()),
        (200, format!("{{\"id\": \"{id}\"}}"))
    );
    let stored = root_call(
        &mut cloud,
        "dynamodb",
        "GetItem",
        json!({"TableName": "notes", "Key": {"id": {"S": id}}}),
    );
    assert_eq!(stored["Item"]["body"], json!({"S": "{\"n\": 1}"}));
}

/// One `POST /go` method with an `AWS` integration: `uri`, `credentials` and extra YAML lines of the integration.
fn single(uri: &str, credentials: &str, extra: &str) -> String {
    format!(
        r#"AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties: {{QueueName: jobs}}
  Alerts:
    Type: AWS::SNS::Topic
    Properties: {{TopicName: alerts}}
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: api-role
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {{Effect: Allow, Principal: {{Service: apigateway.amazonaws.com}}, Action: sts:AssumeRole}}
      Policies:
        - PolicyName: publish
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - {{Effect: Allow, Action: sns:Publish, Resource: '*'}}
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {{Name: one}}
  Res:
    Type: AWS::ApiGateway::Resource
    Properties: {{RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: go}}
  Meth:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Res
      HttpMethod: POST
      AuthorizationType: NONE
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: {uri}
        Credentials: {credentials}
{extra}        IntegrationResponses:
          - StatusCode: '200'
          - StatusCode: '403'
            SelectionPattern: '403'
      MethodResponses:
        - StatusCode: '200'
        - StatusCode: '403'
  Deployment:
    Type: AWS::ApiGateway::Deployment
    DependsOn: [Meth]
    Properties: {{RestApiId: !Ref Api, StageName: prod}}
"#
    )
}

#[test]
fn caller_credentials_are_not_simulated_loudly() {
    let (mut cloud, api) = deploy(&single(
        "arn:aws:apigateway:us-east-1:sns:action/Publish",
        "arn:aws:iam::*:user/*",
        "",
    ));
    let request = HttpRequest {
        method: "POST".into(),
        path: "/prod/go".into(),
        headers: vec![],
        body: String::new(),
    };
    let err = invoke::execute(&mut cloud, &api, &request).unwrap_err();
    assert_eq!(
        err.to_string(),
        "not simulated: integration credentials arn:aws:iam::*:user/* (calling the service with the caller's own credentials)"
    );
}

#[test]
fn sqs_action_send_message_denied_answers_the_query_xml_error_when_accept_asks_for_xml() {
    let extra = "        RequestParameters:
          integration.request.querystring.QueueUrl: \"'https://sqs.us-east-1.amazonaws.com/123456789012/jobs'\"
          integration.request.querystring.MessageBody: method.request.body
          integration.request.header.Accept: \"'text/xml'\"
";
    let (mut cloud, api) = deploy(&single(
        "arn:aws:apigateway:us-east-1:sqs:action/SendMessage",
        "!GetAtt Role.Arn",
        extra,
    ));
    let r = send(&mut cloud, &api, "POST", "/prod/go", &JSON, "hello");
    assert_eq!(
        r.trace.integration_request.as_ref().unwrap().uri.as_deref(),
        Some("https://sqs.us-east-1.amazonaws.com/?Action=SendMessage&QueueUrl=https%3A%2F%2Fsqs.us-east-1.amazonaws.com%2F123456789012%2Fjobs&MessageBody=hello")
    );
    let request_id = r.trace.endpoint_response.as_ref().unwrap().headers["x-amzn-RequestId"].clone();
    assert_eq!(r.response.status_code, 403);
    assert_eq!(
        r.response.body,
        format!("<?xml version=\"1.0\"?><ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::123456789012:assumed-role/api-role/BackplaneAssumeRoleSession is not authorized to perform: sqs:sendmessage on resource: arn:aws:sqs:us-east-1:123456789012:jobs because no identity-based policy allows the sqs:sendmessage action</Message><Detail/></Error><RequestId>{request_id}</RequestId></ErrorResponse>")
    );
}

#[test]
fn sns_publish_answers_json_by_default() {
    let extra = "        RequestParameters:
          integration.request.querystring.TopicArn: \"'arn:aws:sns:us-east-1:123456789012:alerts'\"
          integration.request.querystring.Message: method.request.body
";
    let (mut cloud, api) = deploy(&single(
        "arn:aws:apigateway:us-east-1:sns:action/Publish",
        "!GetAtt Role.Arn",
        extra,
    ));
    let r = send(&mut cloud, &api, "POST", "/prod/go", &JSON, "ping");
    let body: Value = serde_json::from_str(&r.response.body).unwrap();
    let request_id = r.trace.endpoint_response.as_ref().unwrap().headers["x-amzn-RequestId"].clone();
    let message_id = body["PublishResponse"]["PublishResult"]["MessageId"].clone();
    assert_eq!(message_id.as_str().map(str::len), Some(36));
    assert_eq!(
        r.response.body,
        json!({"PublishResponse": {"PublishResult": {"MessageId": message_id, "SequenceNumber": null},
               "ResponseMetadata": {"RequestId": request_id}}})
        .to_string()
    );
}

#[test]
fn the_service_call_of_an_aws_integration_is_traced_under_the_integration() {
    let (mut cloud, api) = deploy(TEMPLATE);
    cloud.traces.set_enabled(true);
    let r = send(
        &mut cloud,
        &api,
        "POST",
        "/prod/notes",
        &JSON,
        r#"{"id": "n2", "text": "t"}"#,
    );
    assert_eq!(r.response.status_code, 200);
    let trace = cloud.traces.latest().unwrap();
    let t0 = trace.root().unwrap().start_ms;
    let rows: Vec<(usize, String, Option<String>, u64, u64)> = (0..trace.spans.len())
        .map(|i| {
            let s = &trace.spans[i];
            (trace.depth(i), s.name(), s.detail(), s.start_ms - t0, s.duration_ms())
        })
        .collect();
    let row = |depth, name: &str, detail: Option<&str>, at, took| {
        (depth, name.to_string(), detail.map(str::to_string), at, took)
    };
    assert_eq!(
        rows,
        [
            row(0, &format!("API Gateway {api}/prod"), Some("POST /notes"), 0, 5),
            row(1, "Method request", None, 0, 0),
            row(1, "Integration request", None, 0, 0),
            row(1, "Integration", None, 0, 5),
            row(2, "DynamoDB PutItem", Some("notes"), 0, 5),
            row(1, "Integration response", None, 5, 0),
            row(1, "Method response", None, 5, 0),
        ]
    );
    assert_eq!(trace.hops(), [(("apigateway", api.as_str()), ("dynamodb", "notes"))]);
}
