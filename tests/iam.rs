//! IAM through templates: roles, inline and managed policies, SAM policy templates, and the AccessDenied text a
//! denied call gets. Expected texts are AWS's (sources in `src/iam/`).

use serverless_playground::api::Caller;
use serverless_playground::iam::{self, Decision, PolicyType, RequestContext};
use serverless_playground::template::{self, LoadOptions, Stack};
use serverless_playground::Cloud;

const TABLE_ARN: &str = "arn:aws:dynamodb:us-east-1:123456789012:table/Notes";

fn deploy(text: &str) -> Result<(Cloud, Stack), String> {
    let mut cloud = Cloud::default();
    let stack = template::load("t.yaml", text, &LoadOptions::default(), &mut cloud).map_err(|e| e.to_string())?;
    cloud.deploy(&stack).map_err(|e| e.message.clone())?;
    Ok((cloud, stack))
}

/// A table `Notes` and a role `notes-role` with the given extra role properties.
fn role_template(role_properties: &str) -> String {
    format!(
        r#"
Resources:
  Notes:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: Notes
      AttributeDefinitions: [{{AttributeName: id, AttributeType: S}}]
      KeySchema: [{{AttributeName: id, KeyType: HASH}}]
      BillingMode: PAY_PER_REQUEST
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: notes-role
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {{Service: lambda.amazonaws.com}}
            Action: sts:AssumeRole
{role_properties}"#
    )
}

fn caller() -> Caller {
    Caller::assumed_role("arn:aws:iam::123456789012:role/notes-role", "notes-fn")
}

#[test]
fn a_role_without_put_item_is_denied_with_aws_text_and_the_policy_fixes_it() {
    let read_only = role_template(
        r#"      Policies:
        - PolicyName: read
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: [dynamodb:GetItem, dynamodb:Query]
                Resource: !GetAtt Notes.Arn
"#,
    );
    let (cloud, _) = deploy(&read_only).unwrap();
    let caller = caller();
    let decision = iam::authorize(&cloud, &caller, "dynamodb:PutItem", TABLE_ARN);
    assert_eq!(decision, Decision::ImplicitDeny);
    assert_eq!(
        iam::denial_message(&caller, "dynamodb:PutItem", TABLE_ARN, decision),
        "User: arn:aws:sts::123456789012:assumed-role/notes-role/notes-fn is not authorized to perform: \
         dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/Notes because no \
         identity-based policy allows the dynamodb:PutItem action"
    );
    assert_eq!(
        iam::authorize(&cloud, &caller, "dynamodb:GetItem", TABLE_ARN),
        Decision::Allow
    );

    let read_write = read_only.replace(
        "[dynamodb:GetItem, dynamodb:Query]",
        "[dynamodb:GetItem, dynamodb:Query, dynamodb:PutItem]",
    );
    let (cloud, _) = deploy(&read_write).unwrap();
    assert_eq!(
        iam::authorize(&cloud, &caller, "dynamodb:PutItem", TABLE_ARN),
        Decision::Allow
    );
    // Another table stays out of reach.
    let other = "arn:aws:dynamodb:us-east-1:123456789012:table/Other";
    assert_eq!(
        iam::authorize(&cloud, &caller, "dynamodb:PutItem", other),
        Decision::ImplicitDeny
    );
}

#[test]
fn an_explicit_deny_in_a_separate_policy_wins() {
    let text = role_template(
        r#"      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess]
  NoDeletes:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: no-deletes
      Roles: [!Ref Role]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          Effect: Deny
          Action: dynamodb:Delete*
          Resource: '*'
"#,
    );
    let (cloud, _) = deploy(&text).unwrap();
    let caller = caller();
    assert_eq!(
        iam::authorize(&cloud, &caller, "dynamodb:PutItem", TABLE_ARN),
        Decision::Allow
    );
    let decision = iam::authorize(&cloud, &caller, "dynamodb:DeleteItem", TABLE_ARN);
    assert_eq!(decision, Decision::ExplicitDeny);
    assert_eq!(
        iam::denial_message(&caller, "dynamodb:DeleteItem", TABLE_ARN, decision),
        "User: arn:aws:sts::123456789012:assumed-role/notes-role/notes-fn is not authorized to perform: \
         dynamodb:DeleteItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/Notes with an explicit \
         deny in an identity-based policy"
    );
}

#[test]
fn aws_managed_policies_carry_their_real_documents() {
    let text = role_template(
        "      ManagedPolicyArns:\n        - arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess\n        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n",
    );
    let (cloud, _) = deploy(&text).unwrap();
    let caller = caller();
    let allowed = |action: &str, resource: &str| iam::authorize(&cloud, &caller, action, resource);
    assert_eq!(allowed("dynamodb:GetItem", TABLE_ARN), Decision::Allow);
    assert_eq!(allowed("dynamodb:Scan", TABLE_ARN), Decision::Allow);
    assert_eq!(allowed("dynamodb:PutItem", TABLE_ARN), Decision::ImplicitDeny);
    let log_group = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/notes-fn";
    assert_eq!(allowed("logs:CreateLogGroup", log_group), Decision::Allow);
    assert_eq!(allowed("logs:DeleteLogGroup", log_group), Decision::ImplicitDeny);
}

#[test]
fn customer_managed_policies_attach_both_ways() {
    let text = role_template(
        r#"      ManagedPolicyArns: [!Ref Writer]
  Writer:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement: [{Effect: Allow, Action: dynamodb:PutItem, Resource: !GetAtt Notes.Arn}]
  Reader:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref Role]
      PolicyDocument:
        Version: '2012-10-17'
        Statement: [{Effect: Allow, Action: dynamodb:GetItem, Resource: !GetAtt Notes.Arn}]
"#,
    );
    let (cloud, _) = deploy(&text).unwrap();
    let caller = caller();
    assert_eq!(
        iam::authorize(&cloud, &caller, "dynamodb:PutItem", TABLE_ARN),
        Decision::Allow
    );
    assert_eq!(
        iam::authorize(&cloud, &caller, "dynamodb:GetItem", TABLE_ARN),
        Decision::Allow
    );
    assert_eq!(
        iam::authorize(&cloud, &caller, "dynamodb:Query", TABLE_ARN),
        Decision::ImplicitDeny
    );
}

#[test]
fn a_permissions_boundary_caps_the_role() {
    let text = role_template(
        r#"      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess]
      PermissionsBoundary: arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess
"#,
    );
    let (cloud, _) = deploy(&text).unwrap();
    let caller = caller();
    assert_eq!(
        iam::authorize(&cloud, &caller, "dynamodb:GetItem", TABLE_ARN),
        Decision::Allow
    );
    let outcome = iam::authorize_request(
        &cloud,
        &caller,
        "dynamodb:PutItem",
        TABLE_ARN,
        &RequestContext::new(),
        None,
    );
    assert_eq!(outcome.decision, Decision::ImplicitDeny);
    assert_eq!(
        iam::denial_message_for(
            &caller,
            "dynamodb:PutItem",
            TABLE_ARN,
            outcome.decision,
            outcome.policy_type
        ),
        "User: arn:aws:sts::123456789012:assumed-role/notes-role/notes-fn is not authorized to perform: \
         dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/Notes because no \
         permissions boundary policy allows the dynamodb:PutItem action"
    );
    assert_eq!(outcome.policy_type, PolicyType::PermissionsBoundary);
}

#[test]
fn sam_functions_get_their_policy_templates() {
    let text = r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Notes:
    Type: AWS::Serverless::SimpleTable
    Properties:
      TableName: Notes
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: reader
      InlineCode: "exports.handler = async () => 1;"
      Handler: index.handler
      Runtime: nodejs20.x
      Policies:
        - DynamoDBReadPolicy: {TableName: !Ref Notes}
        - SQSSendMessagePolicy: {QueueName: jobs}
"#;
    let (cloud, stack) = deploy(text).unwrap();
    let role = stack.resources.iter().find(|r| r.logical_id == "ReaderRole").unwrap();
    let role_arn = role.attributes["Arn"].as_str().unwrap();
    let caller = Caller::assumed_role(role_arn, "reader");
    let decide = |action: &str, resource: &str| iam::authorize(&cloud, &caller, action, resource);
    assert_eq!(decide("dynamodb:Query", TABLE_ARN), Decision::Allow);
    assert_eq!(
        decide("dynamodb:Query", &format!("{TABLE_ARN}/index/byDate")),
        Decision::Allow
    );
    assert_eq!(decide("dynamodb:PutItem", TABLE_ARN), Decision::ImplicitDeny);
    let queue = "arn:aws:sqs:us-east-1:123456789012:jobs";
    assert_eq!(decide("sqs:SendMessage", queue), Decision::Allow);
    assert_eq!(decide("sqs:SendMessageBatch", queue), Decision::Allow);
    assert_eq!(decide("sqs:ReceiveMessage", queue), Decision::ImplicitDeny);
    // AWSLambdaBasicExecutionRole comes with every SAM function.
    assert_eq!(
        decide(
            "logs:PutLogEvents",
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/reader:*"
        ),
        Decision::Allow
    );
}

#[test]
fn bad_policies_fail_the_deploy_with_iam_words() {
    let with_principal = role_template(
        r#"      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: '2012-10-17'
            Statement: [{Effect: Allow, Principal: '*', Action: 's3:*', Resource: '*'}]
"#,
    );
    assert_eq!(
        deploy(&with_principal).unwrap_err(),
        "MalformedPolicyDocument: Policy document should not specify a principal."
    );
    let unknown_managed = role_template("      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonKinesisFullAccess]\n");
    assert_eq!(
        deploy(&unknown_managed).unwrap_err(),
        "not simulated: AWS managed policy AmazonKinesisFullAccess"
    );
    let missing_customer = role_template("      ManagedPolicyArns: [arn:aws:iam::123456789012:policy/nope]\n");
    assert_eq!(
        deploy(&missing_customer).unwrap_err(),
        "NoSuchEntity: Policy arn:aws:iam::123456789012:policy/nope does not exist or is not attachable."
    );
    let unknown_operator = role_template(
        r#"      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: '2012-10-17'
            Statement: [{Effect: Allow, Action: 's3:*', Resource: '*', Condition: {StringMatches: {'aws:SourceIp': x}}}]
"#,
    );
    assert_eq!(
        deploy(&unknown_operator).unwrap_err(),
        "not simulated: IAM condition operator StringMatches"
    );
}

#[test]
fn unknown_roles_are_denied_and_root_is_allowed() {
    let (cloud, _) = deploy(&role_template("")).unwrap();
    let stranger = Caller::assumed_role("arn:aws:iam::123456789012:role/not-in-any-stack", "fn");
    assert_eq!(
        iam::authorize(&cloud, &stranger, "dynamodb:GetItem", TABLE_ARN),
        Decision::ImplicitDeny
    );
    assert_eq!(
        iam::authorize(&cloud, &Caller::root("123456789012"), "dynamodb:DeleteTable", TABLE_ARN),
        Decision::Allow
    );
}

#[test]
fn conditions_read_the_virtual_clock() {
    let text = role_template(
        r#"      Policies:
        - PolicyName: until-february
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: dynamodb:GetItem
                Resource: '*'
                Condition: {DateLessThan: {'aws:CurrentTime': '2026-02-01T00:00:00Z'}}
"#,
    );
    let (mut cloud, _) = deploy(&text).unwrap();
    let caller = caller();
    assert_eq!(
        iam::authorize(&cloud, &caller, "dynamodb:GetItem", TABLE_ARN),
        Decision::Allow
    );
    cloud.clock.advance(31 * 24 * 3600 * 1000);
    assert_eq!(
        iam::authorize(&cloud, &caller, "dynamodb:GetItem", TABLE_ARN),
        Decision::ImplicitDeny
    );
}

#[test]
fn sam_resolves_managed_policy_names_with_their_paths_and_adds_tracing_policies() {
    let text = r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Invoker:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: invoker
      InlineCode: "exports.handler = async () => 1;"
      Handler: index.handler
      Runtime: nodejs20.x
      Tracing: Active
      Policies: [AWSLambdaRole]
"#;
    let (cloud, stack) = deploy(text).unwrap();
    let role = stack.resources.iter().find(|r| r.logical_id == "InvokerRole").unwrap();
    assert_eq!(
        role.properties["ManagedPolicyArns"],
        serde_json::json!([
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
            "arn:aws:iam::aws:policy/service-role/AWSLambdaRole"
        ])
    );
    let caller = Caller::assumed_role(role.attributes["Arn"].as_str().unwrap(), "invoker");
    let function = "arn:aws:lambda:us-east-1:123456789012:function:other";
    assert_eq!(
        iam::authorize(&cloud, &caller, "lambda:InvokeFunction", function),
        Decision::Allow
    );
    assert_eq!(
        iam::authorize(&cloud, &caller, "xray:PutTraceSegments", "*"),
        Decision::Allow
    );
    assert_eq!(
        iam::authorize(&cloud, &caller, "lambda:DeleteFunction", function),
        Decision::ImplicitDeny
    );
}
