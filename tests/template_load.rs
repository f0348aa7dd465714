//! Template loading through the public API: every intrinsic function, the SAM transform, and a located error for
//! each kind of mistake. Expected values are CloudFormation's (for intrinsics, "Intrinsic function reference")
//! and SAM's (generated logical ids, "Generated AWS CloudFormation resources for AWS SAM").

use serde_json::json;
use serverless_playground::template::{self, FolderCodeLoader, LoadOptions, Stack, TemplateError};
use serverless_playground::Cloud;

fn load(text: &str) -> Result<Stack, TemplateError> {
    load_with(text, &[])
}

fn load_with(text: &str, overrides: &[(&str, &str)]) -> Result<Stack, TemplateError> {
    let options = LoadOptions {
        parameter_overrides: overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..LoadOptions::default()
    };
    template::load("template.yaml", text, &options, &mut Cloud::default())
}

fn output(stack: &Stack, name: &str) -> serde_json::Value {
    stack
        .outputs
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("no output {name}"))
        .value
        .clone()
}

fn resource<'a>(stack: &'a Stack, id: &str) -> &'a template::StackResource {
    stack
        .resources
        .iter()
        .find(|r| r.logical_id == id)
        .unwrap_or_else(|| panic!("no resource {id}"))
}

const INTRINSICS: &str = include_str!("fixtures/intrinsics.yaml");

#[test]
fn every_intrinsic_function_evaluates_as_cloudformation_documents() {
    let stack = load(INTRINSICS).unwrap();
    assert_eq!(
        output(&stack, "Sub"),
        json!("arn:aws:s3:::${Literal}/arn:aws:lambda:us-east-1:123456789012:function:fn-dev")
    );
    assert_eq!(output(&stack, "SubList"), json!("fn-dev.amazonaws.com"));
    assert_eq!(output(&stack, "Select"), json!("s-2"));
    assert_eq!(output(&stack, "SelectSplit"), json!("c"));
    assert_eq!(output(&stack, "Split"), json!("x|y|z"));
    assert_eq!(output(&stack, "Base64"), json!("aGVsbG8gd29ybGQ="));
    assert_eq!(
        output(&stack, "Azs"),
        json!("us-east-1a,us-east-1b,us-east-1c,us-east-1d,us-east-1e,us-east-1f")
    );
    assert_eq!(output(&stack, "FirstAz"), json!("us-east-1a"));
    assert_eq!(
        output(&stack, "Pseudo"),
        json!("123456789012 us-east-1 sam-app aws amazonaws.com")
    );
    assert_eq!(output(&stack, "Conditions"), json!("dev,east,either"));
    assert_eq!(
        output(&stack, "LongForm"),
        json!("devarn:aws:iam::123456789012:role/app-role")
    );
    assert!(
        stack.outputs.iter().all(|o| o.name != "Prod"),
        "an output whose condition is false is left out"
    );
    assert!(
        stack.resources.iter().all(|r| r.logical_id != "ProdOnly"),
        "so is a resource"
    );

    let function = resource(&stack, "Fn");
    assert_eq!(
        function.properties,
        json!({
            "FunctionName": "fn-dev",
            "MemorySize": 128,
            "Role": "arn:aws:iam::123456789012:role/app-role",
            "Environment": {"Variables": {"TABLE": "sam-app-dev-items", "TABLE_ARN": "arn:aws:dynamodb:us-east-1:123456789012:table/sam-app-dev-items"}}
        }),
        "AWS::NoValue removes Description"
    );
    let order: Vec<&str> = stack.resources.iter().map(|r| r.logical_id.as_str()).collect();
    assert_eq!(
        order,
        ["Table", "Role", "Fn"],
        "dependencies first, then template order"
    );
}

#[test]
fn parameter_overrides_flow_into_conditions_and_outputs() {
    let stack = load_with(INTRINSICS, &[("Env", "prod")]).unwrap();
    assert_eq!(resource(&stack, "Fn").properties["Description"], json!("production"));
    assert_eq!(resource(&stack, "Fn").properties["MemorySize"], json!(1024));
    assert_eq!(
        output(&stack, "Prod"),
        json!(format!(
            "arn:aws:sns:us-east-1:123456789012:{}",
            resource(&stack, "ProdOnly").attributes["TopicName"].as_str().unwrap()
        ))
    );
}

#[test]
fn the_same_template_loads_to_the_same_ids() {
    let a = load(INTRINSICS).unwrap();
    let b = load(INTRINSICS).unwrap();
    assert_eq!(a, b);
}

#[test]
fn json_templates_load_too() {
    let text = r#"{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "jobs"}}},
                   "Outputs": {"Url": {"Value": {"Ref": "Q"}}, "Arn": {"Value": {"Fn::GetAtt": "Q.Arn"}}}}"#;
    let stack = load(text).unwrap();
    assert_eq!(
        output(&stack, "Url"),
        json!("https://sqs.us-east-1.amazonaws.com/123456789012/jobs")
    );
    assert_eq!(output(&stack, "Arn"), json!("arn:aws:sqs:us-east-1:123456789012:jobs"));
}

#[test]
fn the_sam_hello_world_layout_expands_as_sam_does() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sam-hello-world");
    let text = std::fs::read_to_string(format!("{dir}/template.yaml")).unwrap();
    let code = FolderCodeLoader { base: dir.into() };
    let options = LoadOptions {
        code: &code,
        ..LoadOptions::default()
    };
    let stack = template::load("template.yaml", &text, &options, &mut Cloud::default()).unwrap();

    let ids: Vec<(&str, &str)> = stack
        .resources
        .iter()
        .map(|r| (r.logical_id.as_str(), r.resource_type.as_str()))
        .collect();
    let deployment = ids
        .iter()
        .find(|(id, _)| id.starts_with("ServerlessRestApiDeployment"))
        .unwrap()
        .0;
    assert_eq!(deployment.len(), "ServerlessRestApiDeployment".len() + 10);
    assert_eq!(
        ids,
        [
            ("HelloWorldFunctionRole", "AWS::IAM::Role"),
            ("HelloWorldFunction", "AWS::Lambda::Function"),
            ("ServerlessRestApi", "AWS::ApiGateway::RestApi"),
            ("HelloWorldFunctionHelloWorldPermissionProd", "AWS::Lambda::Permission"),
            (deployment, "AWS::ApiGateway::Deployment"),
            ("ServerlessRestApiProdStage", "AWS::ApiGateway::Stage"),
        ]
    );
    let function = resource(&stack, "HelloWorldFunction");
    assert_eq!(function.generated_by.as_deref(), Some("HelloWorldFunction"));
    let props = &function.properties;
    assert_eq!(props["Handler"], json!("app.lambdaHandler"));
    assert_eq!(props["Timeout"], json!(3), "from Globals");
    assert_eq!(
        props["Environment"]["Variables"],
        json!({"STAGE": "prod", "GREETING": "hello"}),
        "maps merge"
    );
    assert_eq!(
        props["Role"],
        resource(&stack, "HelloWorldFunctionRole").attributes["Arn"]
    );
    assert_eq!(props["Tags"], json!([{"Key": "lambda:createdBy", "Value": "SAM"}]));
    let files = props["Code"]["LocalFiles"].as_object().unwrap();
    assert_eq!(files.keys().collect::<Vec<_>>(), ["app.mjs", "package.json"]);
    assert!(files["app.mjs"]
        .as_str()
        .unwrap()
        .contains("export const lambdaHandler"));

    let role = &resource(&stack, "HelloWorldFunctionRole").properties;
    assert_eq!(
        role["ManagedPolicyArns"],
        json!(["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"])
    );
    assert_eq!(
        role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": ["lambda.amazonaws.com"]})
    );

    let api = resource(&stack, "ServerlessRestApi");
    let integration = &api.properties["Body"]["paths"]["/hello"]["get"]["x-amazon-apigateway-integration"];
    assert_eq!(integration["type"], json!("aws_proxy"));
    assert_eq!(integration["httpMethod"], json!("POST"));
    let function_arn = function.attributes["Arn"].as_str().unwrap();
    assert_eq!(
        integration["uri"],
        json!(format!(
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{function_arn}/invocations"
        ))
    );
    let permission = &resource(&stack, "HelloWorldFunctionHelloWorldPermissionProd").properties;
    assert_eq!(permission["Principal"], json!("apigateway.amazonaws.com"));
    assert_eq!(
        permission["SourceArn"],
        json!(format!(
            "arn:aws:execute-api:us-east-1:123456789012:{}/*/GET/hello",
            api.physical_id
        ))
    );
    let stage = resource(&stack, "ServerlessRestApiProdStage");
    assert_eq!(stage.physical_id, "Prod");
    assert_eq!(
        stage.properties["DeploymentId"],
        json!(resource(&stack, deployment).physical_id)
    );

    assert_eq!(
        output(&stack, "HelloWorldApi"),
        json!(format!(
            "https://{}.execute-api.us-east-1.amazonaws.com/Prod/hello/",
            api.physical_id
        ))
    );
    assert_eq!(output(&stack, "HelloWorldFunction"), json!(function_arn));
}

#[test]
fn sam_policies_events_and_tables_expand() {
    let text = r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Items:
    Type: AWS::Serverless::SimpleTable
  Jobs:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "exports.handler = async () => 1;"
      Handler: index.handler
      Runtime: nodejs20.x
      Policies:
        - AmazonS3ReadOnlyAccess
        - DynamoDBCrudPolicy: {TableName: !Ref Items}
        - Statement: [{Effect: Allow, Action: "sns:Publish", Resource: "*"}]
      Events:
        Queue:
          Type: SQS
          Properties: {Queue: !GetAtt Jobs.Arn, BatchSize: 5}
"#;
    let stack = load(text).unwrap();
    let table = resource(&stack, "Items");
    assert_eq!(table.resource_type, "AWS::DynamoDB::Table");
    assert_eq!(
        table.properties["KeySchema"],
        json!([{"AttributeName": "id", "KeyType": "HASH"}])
    );
    assert_eq!(table.properties["BillingMode"], json!("PAY_PER_REQUEST"));
    assert_eq!(
        resource(&stack, "Worker").properties["Code"],
        json!({"ZipFile": "exports.handler = async () => 1;"})
    );
    let role = &resource(&stack, "WorkerRole").properties;
    assert_eq!(
        role["ManagedPolicyArns"],
        json!([
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
            "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
        ])
    );
    let crud = &role["Policies"][0];
    assert_eq!(crud["PolicyName"], json!("WorkerRolePolicy0"));
    let table_name = table.physical_id.as_str();
    assert_eq!(
        crud["PolicyDocument"]["Statement"][0]["Resource"],
        json!([
            format!("arn:aws:dynamodb:us-east-1:123456789012:table/{table_name}"),
            format!("arn:aws:dynamodb:us-east-1:123456789012:table/{table_name}/index/*")
        ])
    );
    assert_eq!(role["Policies"][1]["PolicyName"], json!("WorkerRolePolicy1"));
    let mapping = &resource(&stack, "WorkerQueue").properties;
    assert_eq!(mapping["BatchSize"], json!(5));
    assert_eq!(mapping["FunctionName"], json!(resource(&stack, "Worker").physical_id));
    assert_eq!(mapping["EventSourceArn"], resource(&stack, "Jobs").attributes["Arn"]);
}

/// One broken template per kind of mistake: the message, the line, and the logical id.
#[test]
fn each_kind_of_mistake_gets_a_located_error() {
    let cases: &[(&str, &str, usize, Option<&str>)] = &[
        ("Resources:\n  A:\n    Type: T\n     Bad: [\n", "Template format error: YAML not well-formed.", 4, None),
        (
            "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Fn::Bogus x\n",
            "unknown tag !Fn::Bogus",
            5,
            None,
        ),
        (
            "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: {\"Fn::Bogus\": x}\n",
            "Template format error: Encountered unsupported function: Fn::Bogus",
            5,
            Some("A"),
        ),
        (
            "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Ref Nothing\n",
            "Template format error: Unresolved resource dependencies [Nothing] in the Resources block of the template",
            5,
            Some("A"),
        ),
        (
            "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !GetAtt B.TopicName\n  B:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !GetAtt A.TopicName\n",
            "Template format error: Circular dependency between resources: [A, B]",
            3,
            Some("A"),
        ),
        (
            "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Join [\"-\"]\n",
            "Template error: every Fn::Join object requires two parameters",
            5,
            Some("A"),
        ),
        (
            "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Select [5, [a, b]]\n",
            "Template error: Fn::Select cannot select nonexistent value at index 5",
            5,
            Some("A"),
        ),
        (
            "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !GetAtt B\n  B: {Type: X}\n",
            "Template error: every Fn::GetAtt object requires two non-empty parameters",
            5,
            Some("A"),
        ),
        (
            "Mappings:\n  M: {a: {b: c}}\nResources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !FindInMap [M, a, z]\n",
            "Template error: Unable to get mapping for M::a::z",
            7,
            Some("A"),
        ),
        (
            "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !If [Missing, a, b]\n",
            "Template error: unresolved condition dependency Missing in Fn::If",
            5,
            Some("A"),
        ),
        (
            "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Sub '${Nope.Arn}'\n",
            "Template error: instance of Fn::GetAtt references undefined resource Nope",
            5,
            Some("A"),
        ),
        ("Resources:\n  A:\n    Properties: {}\n", "Template format error: Every Resources object must contain a Type member.", 3, Some("A")),
        ("Resources:\n  A:\n    Type: X\n    Propertes: {}\n", "Template format error: Invalid template resource property 'Propertes'", 4, Some("A")),
        ("Outputs:\n  O: {Value: 1}\n", "Template format error: At least one Resources member must be defined.", 1, None),
        ("Resourcs:\n  A: {Type: X}\n", "Template format error: Invalid template property or properties [Resourcs]", 1, None),
        (
            "Resources:\n  A: {Type: X}\nOutputs:\n  O:\n    Value: !Ref Ghost\n",
            "Template format error: Unresolved resource dependencies [Ghost] in the Outputs block of the template",
            5,
            Some("O"),
        ),
        (
            "Parameters:\n  P:\n    Type: String\nResources:\n  A: {Type: X}\n",
            "Parameters: [P] must have values",
            3,
            Some("P"),
        ),
        (
            "Conditions:\n  C: !Equals [!Ref A, x]\nResources:\n  A: {Type: X}\n",
            "Template format error: Unresolved dependencies [A]. Cannot reference resources in the Conditions block of the template",
            2,
            Some("C"),
        ),
        (
            "Conditions:\n  C: !Equals [a]\nResources:\n  A: {Type: X}\n",
            "Template error: Fn::Equals requires a list of two values",
            2,
            Some("C"),
        ),
        (
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: a.b\n      Runtime: nodejs20.x\n",
            "CodeUri 'src/' names a local folder, which cannot be read here; use InlineCode instead",
            6,
            Some("F"),
        ),
        (
            "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Functon: {Timeout: 3}\nResources:\n  A: {Type: X}\n",
            "'Globals' section is invalid. 'Functon' is not a supported resource type in the Globals section.",
            3,
            None,
        ),
    ];
    for (text, message, line, logical_id) in cases {
        let err = load(text).expect_err(text);
        assert!(
            err.message.starts_with(message),
            "for {text:?}\n got: {}\nwant: {message}",
            err.message
        );
        assert_eq!(err.span.line, *line, "line for {text:?}: {err}");
        assert_eq!(err.logical_id.as_deref(), *logical_id, "logical id for {text:?}: {err}");
        assert_eq!(err.file, "template.yaml");
    }
}

#[test]
fn errors_print_as_file_line_column_logical_id_message() {
    let err = load("Resources:\n  A:\n    Type: X\n    Properties:\n      P: !Ref Nothing\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "template.yaml:5:15: [A] Template format error: Unresolved resource dependencies [Nothing] in the Resources block of the template"
    );
}

#[test]
fn huge_and_deep_templates_are_refused_not_crashed() {
    let huge = format!(
        "Resources:\n  A: {{Type: X, Properties: {{P: '{}'}}}}\n",
        "x".repeat(1024 * 1024)
    );
    assert!(load(&huge)
        .unwrap_err()
        .message
        .contains("largest template CloudFormation accepts"));
    let deep = format!(
        "Resources:\n  A: {{Type: X, Properties: {{P: {}1{}}}}}\n",
        "[".repeat(150),
        "]".repeat(150)
    );
    assert!(load(&deep).unwrap_err().message.contains("nests deeper than"));
    let wide: String = (0..501).map(|i| format!("  R{i}: {{Type: X}}\n")).collect();
    let err = load(&format!("Resources:\n{wide}")).unwrap_err();
    assert_eq!(
        err.message,
        "Template format error: Number of resources, 501, is greater than maximum allowed, 500"
    );
    let conditions: String = (0..1000).map(|i| format!("  C{i}: !Condition C{}\n", i + 1)).collect();
    let err = load(&format!(
        "Conditions:\n{conditions}  C1000: !Equals [a, a]\nResources:\n  A: {{Type: X}}\n"
    ))
    .unwrap_err();
    assert!(err.message.contains("more than 64 levels deep"), "{}", err.message);
    let chain: String = (0..500)
        .map(|i| format!("  R{i}: {{Type: X, DependsOn: R{}}}\n", (i + 1) % 500))
        .collect();
    let err = load(&format!("Resources:\n{chain}")).unwrap_err();
    assert!(err
        .message
        .starts_with("Template format error: Circular dependency between resources: [R0, R1,"));
}

#[test]
fn explicit_apis_and_push_event_sources_expand() {
    let text = r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "exports.handler = async () => 1;"
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        Get:
          Type: Api
          Properties: {Path: "/pets/{id}", Method: ANY, RestApiId: !Ref PetsApi}
        Upload:
          Type: S3
          Properties: {Bucket: !Ref Uploads, Events: "s3:ObjectCreated:*", Filter: {S3Key: {Rules: [{Name: prefix, Value: in/}]}}}
        Alerts:
          Type: SNS
          Properties: {Topic: !Ref Topic}
        Nightly:
          Type: Schedule
          Properties: {Schedule: "rate(1 day)"}
  PetsApi:
    Type: AWS::Serverless::Api
    Properties: {StageName: v1-beta}
  Uploads:
    Type: AWS::S3::Bucket
  Topic:
    Type: AWS::SNS::Topic
"#;
    let stack = load(text).unwrap();
    let api = resource(&stack, "PetsApi");
    assert_eq!(api.resource_type, "AWS::ApiGateway::RestApi");
    let any = &api.properties["Body"]["paths"]["/pets/{id}"]["x-amazon-apigateway-any-method"];
    assert_eq!(any["x-amazon-apigateway-integration"]["type"], json!("aws_proxy"));
    assert_eq!(
        resource(&stack, "PetsApiv1betaStage").properties["StageName"],
        json!("v1-beta")
    );
    assert!(
        stack.resources.iter().all(|r| r.logical_id != "ServerlessRestApi"),
        "no implicit API"
    );
    let permission = &resource(&stack, "FnGetPermissionv1beta").properties;
    assert_eq!(
        permission["SourceArn"],
        json!(format!(
            "arn:aws:execute-api:us-east-1:123456789012:{}/*/*/pets/*",
            api.physical_id
        ))
    );

    let fn_arn = resource(&stack, "Fn").attributes["Arn"].clone();
    let bucket = resource(&stack, "Uploads");
    assert_eq!(
        bucket.properties["NotificationConfiguration"]["LambdaConfigurations"],
        json!([{"Event": "s3:ObjectCreated:*", "Function": fn_arn, "Filter": {"S3Key": {"Rules": [{"Name": "prefix", "Value": "in/"}]}}}])
    );
    let s3_permission = &resource(&stack, "FnUploadPermission").properties;
    assert_eq!(s3_permission["Principal"], json!("s3.amazonaws.com"));
    assert_eq!(s3_permission["SourceAccount"], json!("123456789012"));
    let order: Vec<&str> = stack.resources.iter().map(|r| r.logical_id.as_str()).collect();
    let position = |id: &str| order.iter().position(|r| *r == id).unwrap();
    assert!(
        position("FnUploadPermission") < position("Uploads"),
        "the bucket waits for the permission: {order:?}"
    );

    let subscription = &resource(&stack, "FnAlerts").properties;
    assert_eq!(subscription["Protocol"], json!("lambda"));
    assert_eq!(subscription["Endpoint"], fn_arn);
    assert_eq!(subscription["TopicArn"], json!(resource(&stack, "Topic").physical_id));
    assert_eq!(
        resource(&stack, "FnAlertsPermission").properties["Principal"],
        json!("sns.amazonaws.com")
    );

    let rule = resource(&stack, "FnNightly");
    assert_eq!(rule.resource_type, "AWS::Events::Rule");
    assert_eq!(rule.properties["ScheduleExpression"], json!("rate(1 day)"));
    assert_eq!(
        rule.properties["Targets"],
        json!([{"Arn": fn_arn, "Id": "FnNightlyLambdaTarget"}])
    );
    assert_eq!(
        resource(&stack, "FnNightlyPermission").properties["SourceArn"],
        rule.attributes["Arn"]
    );
}

#[test]
fn sam_features_not_simulated_say_so() {
    let function = |extra: &str| {
        format!(
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      InlineCode: x\n      Handler: a.b\n      Runtime: nodejs20.x\n{extra}"
        )
    };
    let err = load(&function("      Events:\n        E:\n          Type: HttpApi\n")).unwrap_err();
    assert_eq!(
        err.message,
        "not simulated: SAM event type 'HttpApi' (event E of function Fn)"
    );
    assert_eq!((err.span.line, err.logical_id.as_deref()), (11, Some("Fn")));
    let err = load(&function("      Policies:\n        - VPCAccessPolicy: {}\n")).unwrap_err();
    assert_eq!(err.message, "not simulated: SAM policy template VPCAccessPolicy");
    let err = load(&function("      FunctionUrlConfig: {AuthType: NONE}\n")).unwrap_err();
    assert_eq!(
        err.message,
        "not simulated: property FunctionUrlConfig of AWS::Serverless::Function"
    );
    let err = load("Transform: AWS::LanguageExtensions\nResources:\n  A: {Type: X}\n").unwrap_err();
    assert_eq!(
        err.message,
        "not simulated: transform AWS::LanguageExtensions (only AWS::Serverless-2016-10-31 is)"
    );
    let other =
        load("Transform: AWS::Serverless-2016-10-31\nResources:\n  M:\n    Type: AWS::Serverless::StateMachine\n")
            .unwrap();
    assert_eq!(
        other.resources[0].resource_type, "AWS::Serverless::StateMachine",
        "kept, and reported as not simulated"
    );
}

#[test]
fn generated_resources_inherit_condition_and_policies_and_ids_never_collide_silently() {
    let text = r#"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Globals:
  Api:
    Variables: {mode: test}
Resources:
  Queue:
    Type: AWS::SQS::Queue
  AliasSync:
    Type: AWS::Serverless::Function
    Condition: IsProd
    DeletionPolicy: Retain
    DependsOn: Queue
    Metadata: {Owner: team-a}
    Properties:
      InlineCode: x
      Handler: a.b
      Runtime: nodejs20.x
      Events:
        Api:
          Type: Api
          Properties: {Path: /, Method: get}
  Live:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: y
      Handler: a.b
      Runtime: nodejs20.x
      AutoPublishAlias: live
      Events:
        Jobs:
          Type: SQS
          Properties: {Queue: !GetAtt Queue.Arn}
"#;
    let dev = load(text).unwrap();
    let ids: Vec<&str> = dev.resources.iter().map(|r| r.logical_id.as_str()).collect();
    assert!(
        !ids.iter().any(|id| id.starts_with("AliasSync")),
        "the condition reaches every generated resource: {ids:?}"
    );
    let alias = dev
        .resources
        .iter()
        .find(|r| r.resource_type == "AWS::Lambda::Alias")
        .unwrap();
    assert_eq!(alias.logical_id, "LiveAliaslive");
    let mapping = resource(&dev, "LiveJobs");
    assert_eq!(
        mapping.properties["FunctionName"],
        json!(alias.physical_id),
        "event sources call the alias"
    );

    let prod = load_with(text, &[("Env", "prod")]).unwrap();
    let function = resource(&prod, "AliasSync");
    assert_eq!(function.generated_by.as_deref(), Some("AliasSync"));
    let stage = resource(&prod, "ServerlessRestApiProdStage");
    assert_eq!(
        stage.properties["Variables"],
        json!({"mode": "test"}),
        "Globals.Api reaches the implicit API"
    );
    let permission = resource(&prod, "AliasSyncApiPermissionProd");
    assert_eq!(
        permission.properties["FunctionName"],
        json!(function.physical_id),
        "a function whose name contains 'Alias' is still a function"
    );

    let root = serverless_playground::template::node::parse(text).unwrap();
    let transformed = serverless_playground::template::sam::transform(root, &template::NoCodeLoader).unwrap();
    let declared = transformed.get("Resources").unwrap();
    let function = declared.get("AliasSync").unwrap();
    assert_eq!(function.get("DependsOn").unwrap().as_str(), Some("Queue"));
    assert_eq!(
        function.get("Metadata").unwrap().get("Owner").unwrap().as_str(),
        Some("team-a")
    );
    let role = declared.get("AliasSyncRole").unwrap();
    assert_eq!(role.get("Condition").unwrap().as_str(), Some("IsProd"));
    assert_eq!(role.get("DeletionPolicy").unwrap().as_str(), Some("Retain"));
    assert!(
        role.get("DependsOn").is_none(),
        "DependsOn stays on the resource keeping the SAM id"
    );

    let clash = "Transform: AWS::Serverless-2016-10-31\nResources:\n  FnRole: {Type: AWS::SNS::Topic}\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {InlineCode: x, Handler: a.b, Runtime: nodejs20.x}\n";
    let err = load(clash).unwrap_err();
    assert_eq!(
        err.message,
        "the SAM transform generates a resource FnRole, but the template already has a resource with that id; rename one of them"
    );
}

#[test]
fn sam_mistakes_are_refused_where_they_are_written() {
    let err = load("Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n").unwrap_err();
    assert_eq!(
        err.message,
        "Template format error: Unrecognized resource types: [AWS::Serverless::Function] (add `Transform: AWS::Serverless-2016-10-31`)"
    );
    assert_eq!(err.span.line, 2);
    let function = |events: &str| {
        format!("Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      InlineCode: x\n      Handler: a.b\n      Runtime: nodejs20.x\n      Events:\n{events}")
    };
    let err = load(&function("        - Type: Api\n")).unwrap_err();
    assert_eq!(
        err.message,
        "Events must be a map of event names to event sources, not a list"
    );
    assert_eq!((err.span.line, err.logical_id.as_deref()), (10, Some("Fn")));
    let err = load(&function(
        "        E:\n          Type: Api\n          Properties: {Path: /, Method: get, RestApiId: !Ref Fn}\n",
    ))
    .unwrap_err();
    assert_eq!(
        err.message,
        "RestApiId must be a !Ref to an AWS::Serverless::Api of this template; Fn is not one"
    );
    assert_eq!((err.span.line, err.logical_id.as_deref()), (12, Some("Fn")));
    let err = load(&function("        E:\n          Properties: {Path: /, Method: get}\n")).unwrap_err();
    assert_eq!(err.message, "event E of function Fn needs a Type");
    let err = load("Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Api:\n    Auth: {ApiKeyRequired: true}\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      InlineCode: x\n      Handler: a.b\n      Runtime: nodejs20.x\n      Events:\n        E: {Type: Api, Properties: {Path: /, Method: get}}\n").unwrap_err();
    assert_eq!(err.message, "not simulated: property Auth of Globals.Api");
    assert_eq!(err.span.line, 4);
}
