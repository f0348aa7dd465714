//! Fuzzes request parsing, routing and the MOCK chain: arbitrary bytes become a method, a path, headers and a
//! body sent to an API with literal, `{param}` and `{proxy+}` resources. Nothing may panic.
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
  Deployment:
    Type: AWS::ApiGateway::Deployment
    DependsOn: [PetGet, ProxyAny]
    Properties: {RestApiId: !Ref Api, StageName: test}
"#;

thread_local! {
    /// One deployed API for every input: requests do not change the API, only the clock and ids move.
    static CLOUD: RefCell<(Cloud, String)> = RefCell::new({
        let mut cloud = Cloud::default();
        let stack = template::load("fuzz.yaml", TEMPLATE, &LoadOptions::default(), &mut cloud).unwrap();
        cloud.deploy(&stack).unwrap();
        let api = stack.resources[0].physical_id.clone();
        (cloud, api)
    });
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
