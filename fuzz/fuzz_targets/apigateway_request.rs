//! Fuzzes request parsing, routing and the MOCK, Lambda custom (`AWS`) and Lambda proxy (`AWS_PROXY`) chains:
//! arbitrary bytes become a method, a path, headers and a body sent to an API with literal, `{param}` and
//! `{proxy+}` resources. The function returns (or throws) whatever the body says, so handler results of any
//! shape reach the proxy validation and the custom integration's selection. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serverless_playground::apigateway::http::HttpRequest;
use serverless_playground::apigateway::invoke;
use serverless_playground::apigateway::router::bind_template;
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;
use std::cell::RefCell;

const TEMPLATE: &str = r#"
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: fuzz}
  Pets:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: pets}
  Pet:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !Ref Pets, PathPart: '{petId}'}
  Proxy:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !Ref Pet, PathPart: '{proxy+}'}
  PetGet:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Pet
      HttpMethod: GET
      AuthorizationType: NONE
      RequestParameters: {method.request.querystring.q: true}
      Integration:
        Type: MOCK
        RequestTemplates: {application/json: '{"statusCode": 200}'}
        IntegrationResponses:
          - StatusCode: '200'
            ResponseTemplates: {application/json: '{"ok": true}'}
            ResponseParameters: {method.response.header.X-Id: method.request.path.petId}
      MethodResponses: [{StatusCode: '200', ResponseParameters: {method.response.header.X-Id: false}}]
  ProxyAny:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Proxy
      HttpMethod: ANY
      AuthorizationType: NONE
      Integration:
        Type: MOCK
        PassthroughBehavior: NEVER
        RequestTemplates: {application/json: '{ statusCode: 404 }'}
        IntegrationResponses: [{StatusCode: '404', SelectionPattern: '4\d{2}'}]
      MethodResponses: [{StatusCode: '404'}]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fuzz
      Timeout: 1
      Code:
        ZipFile: |
          exports.handler = async (event) => {
            const raw = typeof event.body === 'string' ? event.body : JSON.stringify(event);
            let v;
            try { v = JSON.parse(raw); } catch (e) { v = raw; }
            if (v && v.message && v.message.throw !== undefined) throw new Error(String(v.message.throw));
            if (v && v.throw !== undefined) throw new Error(String(v.throw));
            if (v && v.wait) await new Promise((r) => setTimeout(r, Number(v.wait)));
            if (v && typeof v === 'object' && 'result' in v) return v.result;
            return v;
          };
  FnPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !GetAtt Fn.Arn
      Principal: apigateway.amazonaws.com
      SourceArn: !Sub arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/*/lambda/*
  Lambda:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: lambda}
  LambdaProxy:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !Ref Lambda, PathPart: '{proxy+}'}
  LambdaCustom:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !Ref Lambda, PathPart: custom}
  ProxyMethod:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref LambdaProxy
      HttpMethod: ANY
      AuthorizationType: NONE
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        TimeoutInMillis: 500
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
  CustomMethod:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref LambdaCustom
      HttpMethod: POST
      AuthorizationType: NONE
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
        PassthroughBehavior: WHEN_NO_MATCH
        RequestTemplates: {application/json: '{"message": $input.body}'}
        IntegrationResponses:
          - StatusCode: '200'
          - StatusCode: '400'
            SelectionPattern: 'Bad.*'
            ResponseTemplates: {application/json: '{"error": "$util.escapeJavaScript($input.path(''$.errorMessage''))"}'}
      MethodResponses: [{StatusCode: '200'}, {StatusCode: '400'}]
  Deployment:
    Type: AWS::ApiGateway::Deployment
    DependsOn: [PetGet, ProxyAny, ProxyMethod, CustomMethod]
    Properties: {RestApiId: !Ref Api, StageName: test}
"#;

thread_local! {
    /// One deployed API for every input: requests do not change the API, only the clock, ids and warm Lambda
    /// environments move. Leaked on purpose: dropping Boa contexts from a thread-local destructor, after Boa's
    /// own thread-local collector is gone, is a use after free at process exit.
    static CLOUD: &'static RefCell<(Cloud, String)> = Box::leak(Box::new(RefCell::new({
        let mut cloud = Cloud::default();
        let stack = template::load("fuzz.yaml", TEMPLATE, &LoadOptions::default(), &mut cloud).unwrap();
        cloud.deploy(&stack).unwrap();
        let api = stack.resources[0].physical_id.clone();
        (cloud, api)
    })));
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let method = lines.next().unwrap_or_default().to_string();
    let path = lines.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    let mut body = String::new();
    for line in lines.by_ref() {
        match line.split_once(':') {
            Some((k, v)) if !line.is_empty() => headers.push((k.to_string(), v.to_string())),
            _ => break,
        }
    }
    body.extend(lines.map(|l| format!("{l}\n")));
    let _ = bind_template("/pets/{petId}/{proxy+}", &path);
    let request = HttpRequest { method, path, headers, body };
    CLOUD.with(|c| {
        let (cloud, api) = &mut *c.borrow_mut();
        let _ = invoke::execute(cloud, api, &request);
    });
});
