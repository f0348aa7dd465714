//! `HTTP` and `HTTP_PROXY` integrations to another API of the simulated account (issue #6), and the loud
//! "not simulated" for any other host.

use serverless_playground::apigateway::http::HttpRequest;
use serverless_playground::apigateway::invoke;
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

const TEMPLATE: &str = r#"
Resources:
  Backend:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: backend}
  Pets:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Backend, ParentId: !GetAtt Backend.RootResourceId, PathPart: pets}
  Pet:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Backend, ParentId: !Ref Pets, PathPart: '{id}'}
  PetGet:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Backend
      ResourceId: !Ref Pet
      HttpMethod: GET
      AuthorizationType: NONE
      Integration:
        Type: MOCK
        RequestTemplates:
          application/json: |-
            #if($input.params('id') == "404") {"statusCode": 404} #else {"statusCode": 200} #end
        IntegrationResponses:
          - StatusCode: '200'
            ResponseTemplates: {application/json: '{"id": "$input.params(''id'')", "q": "$input.params(''q'')"}'}
            ResponseParameters: {method.response.header.X-Backend: "'yes'"}
          - StatusCode: '404'
            SelectionPattern: '404'
            ResponseTemplates: {application/json: '{"missing": true}'}
      MethodResponses:
        - {StatusCode: '200', ResponseParameters: {method.response.header.X-Backend: false}}
        - {StatusCode: '404'}
  BackendDeployment:
    Type: AWS::ApiGateway::Deployment
    DependsOn: [PetGet]
    Properties: {RestApiId: !Ref Backend, StageName: test}

  Front:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: front}
  Proxy:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Front, ParentId: !GetAtt Front.RootResourceId, PathPart: '{proxy+}'}
  ProxyAny:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Front
      ResourceId: !Ref Proxy
      HttpMethod: ANY
      AuthorizationType: NONE
      RequestParameters: {method.request.path.proxy: true}
      Integration:
        Type: HTTP_PROXY
        IntegrationHttpMethod: ANY
        Uri: !Sub https://${Backend}.execute-api.${AWS::Region}.amazonaws.com/test/{proxy}
        RequestParameters: {integration.request.path.proxy: method.request.path.proxy}
  Wrapped:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Front, ParentId: !GetAtt Front.RootResourceId, PathPart: wrapped}
  WrappedGet:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Front
      ResourceId: !Ref Wrapped
      HttpMethod: GET
      AuthorizationType: NONE
      Integration:
        Type: HTTP
        IntegrationHttpMethod: GET
        Uri: !Sub https://${Backend}.execute-api.${AWS::Region}.amazonaws.com/test/pets/{id}
        RequestParameters:
          integration.request.path.id: method.request.querystring.id
          integration.request.querystring.q: "'fixed'"
        IntegrationResponses:
          - StatusCode: '200'
            ResponseTemplates: {application/json: '{"wrapped": $input.json(''$'')}'}
          - StatusCode: '502'
            SelectionPattern: '4\d\d'
            ResponseTemplates: {application/json: '{"upstream": "failed"}'}
      MethodResponses: [{StatusCode: '200'}, {StatusCode: '502'}]
  Outside:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Front, ParentId: !GetAtt Front.RootResourceId, PathPart: outside}
  OutsideGet:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Front
      ResourceId: !Ref Outside
      HttpMethod: GET
      AuthorizationType: NONE
      Integration:
        Type: HTTP_PROXY
        IntegrationHttpMethod: GET
        Uri: https://example.com/things
  FrontDeployment:
    Type: AWS::ApiGateway::Deployment
    DependsOn: [ProxyAny, WrappedGet, OutsideGet]
    Properties: {RestApiId: !Ref Front, StageName: test}
"#;

fn deploy() -> (Cloud, String) {
    let mut cloud = Cloud::default();
    let stack =
        template::load("t.yaml", TEMPLATE, &LoadOptions::default(), &mut cloud).unwrap_or_else(|e| panic!("{e}"));
    cloud.deploy(&stack).unwrap_or_else(|e| panic!("{e}"));
    let front = stack
        .resources
        .iter()
        .find(|r| r.logical_id == "Front")
        .map(|r| r.physical_id.clone())
        .unwrap();
    (cloud, front)
}

fn get(cloud: &mut Cloud, api: &str, path: &str) -> Result<invoke::Invocation, invoke::NotSimulated> {
    let request = HttpRequest {
        method: "GET".into(),
        path: path.into(),
        headers: vec![],
        body: String::new(),
    };
    invoke::execute(cloud, api, &request)
}

#[test]
fn http_proxy_passes_the_request_and_response_through() {
    let (mut cloud, front) = deploy();
    let r = get(&mut cloud, &front, "/test/pets/7?q=dog").unwrap().response;
    assert_eq!(r.status_code, 200);
    assert_eq!(r.body, "{\"id\": \"7\", \"q\": \"dog\"}");
    assert_eq!(r.header("X-Backend"), Some("yes"));
    let ids: Vec<&str> = r
        .headers
        .iter()
        .filter(|(k, _)| k == "x-amzn-RequestId")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(ids.len(), 1);
    let r = get(&mut cloud, &front, "/test/pets/404").unwrap().response;
    assert_eq!((r.status_code, r.body.as_str()), (404, "{\"missing\": true}"));
    // The backend's own 403 for an unknown path passes through too.
    let r = get(&mut cloud, &front, "/test/nothing/here").unwrap().response;
    assert_eq!(r.status_code, 403);
    assert_eq!(r.body, "{\"message\":\"Missing Authentication Token\"}");
}

#[test]
fn http_integrations_map_the_request_and_select_on_the_status() {
    let (mut cloud, front) = deploy();
    let r = get(&mut cloud, &front, "/test/wrapped?id=3").unwrap().response;
    assert_eq!(r.status_code, 200);
    assert_eq!(r.body, "{\"wrapped\": {\"id\":\"3\",\"q\":\"fixed\"}}");
    let r = get(&mut cloud, &front, "/test/wrapped?id=404").unwrap().response;
    assert_eq!((r.status_code, r.body.as_str()), (502, "{\"upstream\": \"failed\"}"));
}

#[test]
fn other_hosts_are_loudly_not_simulated() {
    let (mut cloud, front) = deploy();
    let e = get(&mut cloud, &front, "/test/outside").unwrap_err();
    assert_eq!(
        e.to_string(),
        "not simulated: HTTP integration to example.com (only the invoke URLs of this account's APIs are simulated)"
    );
}
