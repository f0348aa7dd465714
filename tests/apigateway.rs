//! API Gateway through the engine: templates in, requests and test invokes out, with AWS's exact answers.

use serde_json::{json, Value};
use serverless_playground::apigateway::http::HttpRequest;
use serverless_playground::apigateway::invoke::{self, NotSimulated};
use serverless_playground::apigateway::model::{
    Integration, IntegrationResponse, IntegrationType, Method, MethodResponse,
};
use serverless_playground::apigateway::openapi;
use serverless_playground::apigateway::test_invoke::{test_invoke_method, TestInvokeMethodRequest};
use serverless_playground::apigateway::ApiGateway;
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

/// The seed's Hello World API: `GET /message`, MOCK, a JSON response template, deployed to `test`.
const HELLO: &str = include_str!("fixtures/hello-world-mock.yaml");

fn deploy(text: &str) -> Result<(Cloud, String), String> {
    let mut cloud = Cloud::default();
    let stack = template::load("t.yaml", text, &LoadOptions::default(), &mut cloud).map_err(|e| e.to_string())?;
    cloud.deploy(&stack).map_err(|e| e.to_string())?;
    let api = stack
        .resources
        .iter()
        .find(|r| r.resource_type == "AWS::ApiGateway::RestApi")
        .map(|r| r.physical_id.clone())
        .unwrap_or_default();
    Ok((cloud, api))
}

fn send(
    cloud: &mut Cloud,
    api: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<invoke::Invocation, NotSimulated> {
    let request = HttpRequest {
        method: method.into(),
        path: path.into(),
        headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        body: body.into(),
    };
    invoke::execute(cloud, api, &request)
}

#[test]
fn hello_world_answers_its_json_and_the_stage_root_is_missing_authentication_token() {
    let (mut cloud, api) = deploy(HELLO).unwrap();
    let ok = send(&mut cloud, &api, "GET", "/test/message", &[], "").unwrap();
    assert_eq!(ok.response.status_code, 200);
    assert_eq!(ok.response.body, "{\"message\": \"Hello World!\"}");
    assert_eq!(ok.response.header("Content-Type"), Some("application/json"));
    assert_eq!(ok.trace.route.as_ref().unwrap().resource_path, "/message");
    assert_eq!(ok.trace.endpoint_response.as_ref().unwrap().status, 200);
    for path in ["/test/", "/test", "/test/messages", "/prod/message"] {
        let denied = send(&mut cloud, &api, "GET", path, &[], "").unwrap().response;
        assert_eq!(denied.status_code, 403, "{path}");
        assert_eq!(denied.body, "{\"message\":\"Missing Authentication Token\"}");
        assert_eq!(
            denied.header("x-amzn-ErrorType"),
            Some("MissingAuthenticationTokenException")
        );
    }
    let post = send(&mut cloud, &api, "POST", "/test/message", &[], "")
        .unwrap()
        .response;
    assert_eq!(post.status_code, 403);
    let trailing = send(&mut cloud, &api, "GET", "/test/message/", &[], "")
        .unwrap()
        .response;
    assert_eq!(trailing.status_code, 200);
    let gateway = cloud.service::<ApiGateway>().unwrap();
    assert_eq!(gateway.rest_apis[&api].stages["test"].variables["env"], "dev");
    assert_eq!(
        ApiGateway::invoke_url(&api, "us-east-1", "amazonaws.com", "test"),
        format!("https://{api}.execute-api.us-east-1.amazonaws.com/test")
    );
}

#[test]
fn calls_see_the_deployed_snapshot_until_redeployed_while_test_invoke_sees_the_current_api() {
    let (mut cloud, api) = deploy(HELLO).unwrap();
    let gateway = cloud.service_mut::<ApiGateway>().unwrap();
    let rest_api = gateway.rest_apis.get_mut(&api).unwrap();
    let root = rest_api.definition.root_resource_id.clone();
    rest_api.create_resource("newres", &root, "hello").unwrap();
    rest_api
        .put_method(
            "newres",
            Method {
                http_method: "GET".into(),
                authorization_type: "NONE".into(),
                ..Method::default()
            },
        )
        .unwrap();
    rest_api
        .put_method_response(
            "newres",
            "GET",
            MethodResponse {
                status_code: "201".into(),
                ..MethodResponse::default()
            },
        )
        .unwrap();
    let mut integration = Integration::new(IntegrationType::Mock);
    integration
        .request_templates
        .insert("application/json".into(), "{ statusCode: 201 }".into());
    rest_api.put_integration("newres", "GET", integration).unwrap();
    rest_api
        .put_integration_response(
            "newres",
            "GET",
            IntegrationResponse {
                status_code: "201".into(),
                ..IntegrationResponse::default()
            },
        )
        .unwrap();
    assert_eq!(
        send(&mut cloud, &api, "GET", "/test/hello", &[], "")
            .unwrap()
            .response
            .status_code,
        403
    );
    let request = TestInvokeMethodRequest {
        resource_id: "newres".into(),
        http_method: "GET".into(),
        ..Default::default()
    };
    let tested = test_invoke_method(&mut cloud, &api, &request).unwrap();
    assert_eq!((tested.status, tested.body.as_str()), (201, ""));
    let rest_api = cloud
        .service_mut::<ApiGateway>()
        .unwrap()
        .rest_apis
        .get_mut(&api)
        .unwrap();
    rest_api.create_deployment("dep2", None, 0).unwrap();
    rest_api.update_stage_deployment("test", "dep2").unwrap();
    let redeployed = send(&mut cloud, &api, "GET", "/test/hello", &[], "").unwrap().response;
    assert_eq!((redeployed.status_code, redeployed.body.as_str()), (201, ""));
}

#[test]
fn test_invoke_writes_aws_execution_log() {
    let (mut cloud, api) = deploy(HELLO).unwrap();
    let resource_id = cloud.service::<ApiGateway>().unwrap().rest_apis[&api]
        .definition
        .resource_by_path("/message")
        .unwrap()
        .id
        .clone();
    let request = TestInvokeMethodRequest {
        resource_id,
        http_method: "GET".into(),
        path_with_query_string: Some("/message?foo=bar".into()),
        headers: vec![("Accept".into(), "application/json".into())],
        ..Default::default()
    };
    let r = test_invoke_method(&mut cloud, &api, &request).unwrap();
    let id = &r.trace.request_id;
    let ts = "Thu Jan 01 00:00:00 UTC 2026";
    let expected = format!(
        "Execution log for request {id}\n\
         {ts} : Starting execution for request: {id}\n\
         {ts} : HTTP Method: GET, Resource Path: /message\n\
         {ts} : Method request path: {{}}\n\
         {ts} : Method request query string: {{foo=bar}}\n\
         {ts} : Method request headers: {{Accept=application/json}}\n\
         {ts} : Method request body before transformations: \n\
         {ts} : Method response body after transformations: {{\"message\": \"Hello World!\"}}\n\
         {ts} : Method response headers: {{Content-Type=application/json}}\n\
         {ts} : Successfully completed execution\n\
         {ts} : Method completed with status: 200\n"
    );
    assert_eq!(r.log, expected);
    assert_eq!(
        r.to_json(),
        json!({"status": 200, "body": "{\"message\": \"Hello World!\"}", "headers": {"Content-Type": "application/json"},
               "multiValueHeaders": {"Content-Type": ["application/json"]}, "log": expected, "latency": 0})
    );
}

#[test]
fn a_mock_without_a_status_code_is_500_with_aws_log_line() {
    let text = HELLO.replace(r#"'{"statusCode": 200}'"#, r#"'{"status": 200}'"#);
    let (mut cloud, api) = deploy(&text).unwrap();
    let r = send(&mut cloud, &api, "GET", "/test/message", &[], "")
        .unwrap()
        .response;
    assert_eq!(
        (r.status_code, r.body.as_str()),
        (500, "{\"message\":\"Internal server error\"}")
    );
    assert_eq!(r.header("x-amzn-ErrorType"), Some("InternalServerErrorException"));
    let resource_id = cloud.service::<ApiGateway>().unwrap().rest_apis[&api]
        .definition
        .resource_by_path("/message")
        .unwrap()
        .id
        .clone();
    let request = TestInvokeMethodRequest {
        resource_id,
        http_method: "GET".into(),
        ..Default::default()
    };
    let t = test_invoke_method(&mut cloud, &api, &request).unwrap();
    assert_eq!(t.headers, json!({"x-amzn-ErrorType": "InternalServerErrorException"}));
    let lines: Vec<&str> = t
        .log
        .lines()
        .map(|l| l.split_once(" : ").map_or(l, |(_, t)| t))
        .collect();
    assert_eq!(
        lines[lines.len() - 2..],
        [
            "Execution failed due to configuration error: Unable to parse statusCode. It should be an integer that is defined in the request template.",
            "Method completed with status: 500"
        ]
    );
}

#[test]
fn bodies_over_10_mb_get_413_without_panicking() {
    let (mut cloud, api) = deploy(HELLO).unwrap();
    let body = "a".repeat(10 * 1024 * 1024 + 1);
    let r = send(&mut cloud, &api, "POST", "/test/message", &[], &body)
        .unwrap()
        .response;
    assert_eq!(
        (r.status_code, r.body.as_str()),
        (413, "HTTP content length exceeded 10485760 bytes.")
    );
    let exact = "a".repeat(10 * 1024 * 1024);
    assert_eq!(
        send(&mut cloud, &api, "GET", "/test/message", &[], &exact)
            .unwrap()
            .response
            .status_code,
        200
    );
    let long_path = format!("/test/{}", "%zz/".repeat(50_000));
    assert_eq!(
        send(&mut cloud, &api, "GET", &long_path, &[("X", &"h".repeat(100_000))], "")
            .unwrap()
            .response
            .status_code,
        403
    );
}

#[test]
fn model_errors_in_templates_get_aws_text_and_a_location() {
    let duplicate = HELLO.replace(
        "  MessageGet:",
        "  Again:\n    Type: AWS::ApiGateway::Resource\n    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: message}\n  MessageGet:",
    );
    assert_eq!(
        deploy(&duplicate).unwrap_err(),
        "t.yaml:10:9: [Again] Resource handler returned message: \"Another resource with the same parent already has this name: message (Service: ApiGateway, Status Code: 409)\" (HandlerErrorCode: AlreadyExists)"
    );
    let siblings = HELLO.replace("PathPart: message", "PathPart: '{a}'").replace(
        "  MessageGet:",
        "  B:\n    Type: AWS::ApiGateway::Resource\n    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: '{b}'}\n  MessageGet:",
    );
    assert!(deploy(&siblings)
        .unwrap_err()
        .contains("[B] Resource handler returned message: \"A sibling ({a}) of this resource already has a variable path part -- only one is allowed (Service: ApiGateway, Status Code: 400)\""));
    let greedy = HELLO.replace("PathPart: message", "PathPart: '{proxy+}'").replace(
        "  MessageGet:",
        "  Child:\n    Type: AWS::ApiGateway::Resource\n    Properties: {RestApiId: !Ref Api, ParentId: !Ref Message, PathPart: x}\n  MessageGet:",
    );
    assert!(deploy(&greedy)
        .unwrap_err()
        .contains("Cannot create a child of a resource with a greedy path variable: {proxy+}"));
    let bad_part = HELLO.replace("PathPart: message", "PathPart: 'a b'");
    assert!(deploy(&bad_part).unwrap_err().contains(
        "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace."
    ));
    let no_methods = "Resources:\n  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: x}}\n  D: {Type: AWS::ApiGateway::Deployment, Properties: {RestApiId: !Ref Api, StageName: s}}\n";
    assert!(deploy(no_methods).unwrap_err().contains("[D] Resource handler returned message: \"The REST API doesn't contain any methods (Service: ApiGateway, Status Code: 400)\""));
    let unmapped = HELLO.replace(
        "MethodResponses: [{StatusCode: '200'}]",
        "MethodResponses: [{StatusCode: '201'}]",
    );
    assert!(deploy(&unmapped)
        .unwrap_err()
        .contains("Invalid Response status code specified (Service: ApiGateway, Status Code: 404)"));
}

const VALIDATED: &str = r#"
Resources:
  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: v}}
  Pets:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: pets}
  PetModel:
    Type: AWS::ApiGateway::Model
    Properties:
      RestApiId: !Ref Api
      Name: Pet
      ContentType: application/json
      Schema: {"$schema": "http://json-schema.org/draft-04/schema#", type: object, required: [name], properties: {name: {type: string}, age: {type: integer, minimum: 0}}}
  Validator:
    Type: AWS::ApiGateway::RequestValidator
    Properties: {RestApiId: !Ref Api, Name: all, ValidateRequestBody: true, ValidateRequestParameters: true}
  Post:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Pets
      HttpMethod: POST
      AuthorizationType: NONE
      RequestValidatorId: !Ref Validator
      RequestParameters: {method.request.querystring.owner: true, method.request.header.X-Trace: true}
      RequestModels: {application/json: !Ref PetModel}
      Integration:
        Type: MOCK
        RequestTemplates: {application/json: '{"statusCode": 201}'}
        IntegrationResponses: [{StatusCode: '201', SelectionPattern: '2\d{2}', ResponseParameters: {method.response.header.Location: "'/pets/1'"}}]
      MethodResponses: [{StatusCode: '201', ResponseParameters: {method.response.header.Location: true}}]
  Keyed:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Pets
      HttpMethod: GET
      AuthorizationType: NONE
      ApiKeyRequired: true
      Integration: {Type: MOCK, RequestTemplates: {application/json: '{"statusCode": 200}'}, IntegrationResponses: [{StatusCode: '200'}]}
      MethodResponses: [{StatusCode: '200'}]
  Forbidden:
    Type: AWS::ApiGateway::GatewayResponse
    Properties:
      RestApiId: !Ref Api
      ResponseType: INVALID_API_KEY
      StatusCode: '401'
      ResponseParameters: {gatewayresponse.header.Access-Control-Allow-Origin: "'*'"}
      ResponseTemplates: {application/json: '{"error": "key"}'}
  Deployment:
    Type: AWS::ApiGateway::Deployment
    DependsOn: [Post, Keyed]
    Properties: {RestApiId: !Ref Api, StageName: v1}
"#;

#[test]
fn request_validation_answers_aws_400s_and_gateway_responses_are_customised() {
    let (mut cloud, api) = deploy(VALIDATED).unwrap();
    let mut post = |query: &str, headers: &[(&str, &str)], body: &str| {
        send(&mut cloud, &api, "POST", &format!("/v1/pets{query}"), headers, body)
            .unwrap()
            .response
    };
    let missing = post("", &[], "{\"name\":\"rex\"}");
    assert_eq!(missing.status_code, 400);
    assert_eq!(
        missing.body,
        "{\"message\":\"Missing required request parameters: [X-Trace, owner]\"}"
    );
    assert_eq!(missing.header("x-amzn-ErrorType"), Some("BadRequestException"));
    let trace = [("X-Trace", "t")];
    let invalid = post("?owner=me", &trace, "{\"age\": -1}");
    assert_eq!(
        (invalid.status_code, invalid.body.as_str()),
        (400, "{\"message\":\"Invalid request body\"}")
    );
    let created = post("?owner=me", &trace, "{\"name\": \"rex\", \"age\": 3}");
    assert_eq!(
        (created.status_code, created.header("Location")),
        (201, Some("/pets/1"))
    );
    let keyed = send(&mut cloud, &api, "GET", "/v1/pets", &[("x-api-key", "anything")], "")
        .unwrap()
        .response;
    assert_eq!((keyed.status_code, keyed.body.as_str()), (401, "{\"error\": \"key\"}"));
    assert_eq!(keyed.header("Access-Control-Allow-Origin"), Some("*"));
    assert_eq!(keyed.header("x-amzn-ErrorType"), Some("ForbiddenException"));
}

fn petstore() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/petstore/petstore-swagger.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn with_body(body: &Value) -> String {
    json!({"Resources": {
        "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Body": body}},
        "Deployment": {"Type": "AWS::ApiGateway::Deployment", "Properties": {"RestApiId": {"Ref": "Api"}, "StageName": "test"}}
    }})
    .to_string()
}

#[test]
fn petstore_imports_answers_its_mock_routes_and_round_trips_through_openapi_3() {
    let (mut cloud, api) = deploy(&with_body(&petstore())).unwrap();
    let definition = cloud.service::<ApiGateway>().unwrap().rest_apis[&api]
        .definition
        .clone();
    assert_eq!(cloud.service::<ApiGateway>().unwrap().rest_apis[&api].name, "PetStore");
    let paths: Vec<&str> = definition.resources.values().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, ["/", "/pets", "/pets/{petId}"]);
    assert_eq!(definition.models.len(), 6);
    let options = send(&mut cloud, &api, "OPTIONS", "/test/pets/42", &[], "")
        .unwrap()
        .response;
    assert_eq!((options.status_code, options.body.as_str()), (200, ""));
    assert_eq!(options.header("Access-Control-Allow-Methods"), Some("GET,OPTIONS"));
    assert_eq!(
        options.header("Access-Control-Allow-Headers"),
        Some("Content-Type,X-Amz-Date,Authorization,X-Api-Key")
    );
    let http = send(&mut cloud, &api, "GET", "/test/pets", &[], "").unwrap_err();
    assert_eq!(
        http.to_string(),
        "not simulated: HTTP integration to petstore.execute-api.us-east-1.amazonaws.com (only the invoke URLs of this account's APIs are simulated)"
    );
    // The root page is a MOCK whose response template links to the stage (`$context.stage`).
    let page = send(&mut cloud, &api, "GET", "/test/", &[], "").unwrap().response;
    assert_eq!(page.status_code, 200);
    assert_eq!(page.header("Content-Type"), Some("text/html"));
    assert!(page.body.contains("Welcome to your Pet Store API"), "{}", page.body);
    assert!(
        page.body.contains("/test/pets"),
        "the stage is rendered into the links: {}",
        page.body
    );
    assert!(!page.body.contains("$context"), "{}", page.body);
    let rest_api = &cloud.service::<ApiGateway>().unwrap().rest_apis[&api];
    let exported = openapi::export(&rest_api.name, rest_api.description.as_deref(), &definition);
    assert_eq!(exported["openapi"], "3.0.1");
    assert_eq!(
        exported["paths"]["/pets"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/NewPet"
    );
    let (cloud2, api2) = deploy(&with_body(&exported)).unwrap();
    let again = cloud2.service::<ApiGateway>().unwrap().rest_apis[&api2]
        .definition
        .clone();
    assert_eq!(comparable(&again, &api2), comparable(&definition, &api));
    assert_eq!(
        openapi::export("PetStore", rest_api.description.as_deref(), &again),
        exported
    );
}

/// The model without ids: resources by path with their methods, models with the API id taken out.
fn comparable(definition: &serverless_playground::apigateway::model::ApiDefinition, api_id: &str) -> String {
    let mut out = String::new();
    for r in definition.resources.values() {
        out.push_str(&format!("{} {:?}\n", r.path, r.resource_methods));
    }
    for m in definition.models.values() {
        out.push_str(&format!("{} {}\n", m.name, m.schema.to_string().replace(api_id, "API")));
    }
    out
}

#[test]
fn openapi_3_with_validators_gateway_responses_and_any_method_imports() {
    let doc = json!({
        "openapi": "3.0.1",
        "info": {"title": "oas3", "version": "1"},
        "x-amazon-apigateway-request-validators": {"params": {"validateRequestParameters": true, "validateRequestBody": false}},
        "x-amazon-apigateway-request-validator": "params",
        "x-amazon-apigateway-gateway-responses": {"MISSING_AUTHENTICATION_TOKEN": {"statusCode": 404, "responseTemplates": {"application/json": "{\"message\": \"no route\"}"}}},
        "paths": {
            "/items/{proxy+}": {"x-amazon-apigateway-any-method": {
                "parameters": [{"name": "q", "in": "query", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}},
                "x-amazon-apigateway-integration": {"type": "mock", "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
                    "responses": {"default": {"statusCode": "200", "responseTemplates": {"application/json": "{\"any\": true}"}}}}
            }}
        }
    });
    let (mut cloud, api) = deploy(&with_body(&doc)).unwrap();
    let ok = send(&mut cloud, &api, "DELETE", "/test/items/a/b?q=1", &[], "")
        .unwrap()
        .response;
    assert_eq!((ok.status_code, ok.body.as_str()), (200, "{\"any\": true}"));
    let bad = send(&mut cloud, &api, "PATCH", "/test/items/a", &[], "")
        .unwrap()
        .response;
    assert_eq!(
        (bad.status_code, bad.body.as_str()),
        (400, "{\"message\":\"Missing required request parameters: [q]\"}")
    );
    let none = send(&mut cloud, &api, "GET", "/test/items", &[], "").unwrap().response;
    assert_eq!(
        (none.status_code, none.body.as_str()),
        (404, "{\"message\": \"no route\"}")
    );
    let broken = json!({"swagger": "1.2", "paths": {}});
    assert!(deploy(&with_body(&broken))
        .unwrap_err()
        .contains("[Api] Errors found during import: Invalid OpenAPI input"));
}

#[test]
fn a_sam_api_with_a_definition_body_and_variables_serves_its_stage() {
    let text = r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
      Variables: {color: blue}
      DefinitionBody:
        swagger: '2.0'
        info: {title: sam-mock, version: '1'}
        paths:
          /ping:
            get:
              responses: {'200': {description: ok}}
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates: {application/json: '{"statusCode": 200}'}
                responses: {default: {statusCode: '200', responseTemplates: {application/json: 'pong'}, responseParameters: {method.response.header.X-Color: stageVariables.color}}}
"#;
    let (mut cloud, api) = deploy(text).unwrap();
    let r = send(&mut cloud, &api, "GET", "/dev/ping", &[], "").unwrap().response;
    assert_eq!((r.status_code, r.body.as_str()), (200, "pong"));
    assert_eq!(r.header("X-Color"), Some("blue"));
    // SAM's deployment also names the stage `Stage`, which AWS creates (SAM's well-known extra stage).
    let stages: Vec<String> = cloud.service::<ApiGateway>().unwrap().rest_apis[&api]
        .stages
        .keys()
        .cloned()
        .collect();
    assert_eq!(stages, ["Stage", "dev"]);
}

#[test]
fn the_sam_hello_world_answers_through_lambda_proxy_and_templates_see_the_context() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/sam-hello-world/template.yaml"
    );
    let mut cloud = Cloud::default();
    let code = template::FolderCodeLoader {
        base: std::path::Path::new(path).parent().unwrap().to_path_buf(),
    };
    let options = LoadOptions {
        code: &code,
        ..LoadOptions::default()
    };
    let stack = template::load("t.yaml", &std::fs::read_to_string(path).unwrap(), &options, &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    let api = stack
        .resources
        .iter()
        .find(|r| r.logical_id == "ServerlessRestApi")
        .unwrap()
        .physical_id
        .clone();
    let hello = send(&mut cloud, &api, "GET", "/Prod/hello", &[], "").unwrap().response;
    assert_eq!(hello.status_code, 200);
    assert_eq!(hello.body, "{\"message\":\"hello world\"}");
    assert_eq!(hello.header("Content-Type"), Some("application/json"));
    let vtl = HELLO.replace(r#"'{"message": "Hello World!"}'"#, r#"'{"id": "$context.requestId"}'"#);
    let (mut cloud, api) = deploy(&vtl).unwrap();
    let response = send(&mut cloud, &api, "GET", "/test/message", &[], "")
        .unwrap()
        .response;
    let request_id = response
        .headers
        .iter()
        .find(|(name, _)| name == "x-amzn-RequestId")
        .map(|(_, value)| value.clone())
        .unwrap();
    assert_eq!(response.body, format!("{{\"id\": \"{request_id}\"}}"));
}
