//! SAM policy templates (`Policies: [{DynamoDBCrudPolicy: {TableName: !Ref T}}]`) and the policy documents SAM
//! writes for them.
//!
//! Source: the AWS SAM developer guide, "AWS SAM policy template list" (each template's parameters, actions and
//! resources), checked statement by statement against the definitions the SAM transform applies (its policy
//! templates data, version 0.0.1, read May 2026). Like SAM, each resource is an `Fn::Sub` whose variables are the
//! template's parameters with the first letter lowercased (`${tableName}`), so intrinsic functions in parameter
//! values are evaluated later with the rest of the template. A template outside this list is "not simulated".

use super::error::{Located, Span};
use super::node::{Key, Node};
use super::sam::At;

/// One statement of a policy template: `Effect: Allow`, its actions and resources.
struct TemplateStatement {
    /// The actions, in SAM's order.
    actions: &'static [&'static str],
    /// Whether SAM writes `Action` as a list (all but `EventBridgePutEventsPolicy`).
    action_list: bool,
    /// The resources: `*` as is, anything else as an `Fn::Sub` text.
    resources: &'static [&'static str],
    /// Whether SAM writes `Resource` as a list.
    resource_list: bool,
}

/// A policy template: its parameters and statements.
struct PolicyTemplate {
    name: &'static str,
    parameters: &'static [&'static str],
    statements: &'static [TemplateStatement],
}

const fn statement(
    actions: &'static [&'static str],
    resources: &'static [&'static str],
    resource_list: bool,
) -> TemplateStatement {
    TemplateStatement {
        actions,
        action_list: true,
        resources,
        resource_list,
    }
}

const TABLE: &str = "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}";
const TABLE_INDEXES: &str =
    "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}/index/*";
const BUCKET: &str = "arn:${AWS::Partition}:s3:::${bucketName}";
const BUCKET_OBJECTS: &str = "arn:${AWS::Partition}:s3:::${bucketName}/*";
const QUEUE: &str = "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${queueName}";

/// The templates simulated.
const TEMPLATES: &[PolicyTemplate] = &[
    PolicyTemplate {
        name: "DynamoDBCrudPolicy",
        parameters: &["TableName"],
        statements: &[statement(
            &[
                "dynamodb:GetItem",
                "dynamodb:DeleteItem",
                "dynamodb:PutItem",
                "dynamodb:Scan",
                "dynamodb:Query",
                "dynamodb:UpdateItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:BatchGetItem",
                "dynamodb:DescribeTable",
                "dynamodb:ConditionCheckItem",
            ],
            &[TABLE, TABLE_INDEXES],
            true,
        )],
    },
    PolicyTemplate {
        name: "DynamoDBReadPolicy",
        parameters: &["TableName"],
        statements: &[statement(
            &[
                "dynamodb:GetItem",
                "dynamodb:Scan",
                "dynamodb:Query",
                "dynamodb:BatchGetItem",
                "dynamodb:DescribeTable",
            ],
            &[TABLE, TABLE_INDEXES],
            true,
        )],
    },
    PolicyTemplate {
        name: "DynamoDBWritePolicy",
        parameters: &["TableName"],
        statements: &[statement(
            &["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"],
            &[TABLE, TABLE_INDEXES],
            true,
        )],
    },
    PolicyTemplate {
        name: "DynamoDBReconfigurePolicy",
        parameters: &["TableName"],
        statements: &[statement(&["dynamodb:UpdateTable"], &[TABLE], false)],
    },
    PolicyTemplate {
        name: "DynamoDBStreamReadPolicy",
        parameters: &["StreamName", "TableName"],
        statements: &[
            statement(
                &["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
                &["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}/stream/${streamName}"],
                false,
            ),
            statement(
                &["dynamodb:ListStreams"],
                &["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}/stream/*"],
                false,
            ),
        ],
    },
    PolicyTemplate {
        name: "S3ReadPolicy",
        parameters: &["BucketName"],
        statements: &[statement(
            &[
                "s3:GetObject",
                "s3:ListBucket",
                "s3:GetBucketLocation",
                "s3:GetObjectVersion",
                "s3:GetLifecycleConfiguration",
            ],
            &[BUCKET, BUCKET_OBJECTS],
            true,
        )],
    },
    PolicyTemplate {
        name: "S3WritePolicy",
        parameters: &["BucketName"],
        statements: &[statement(
            &["s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"],
            &[BUCKET, BUCKET_OBJECTS],
            true,
        )],
    },
    PolicyTemplate {
        name: "S3CrudPolicy",
        parameters: &["BucketName"],
        statements: &[statement(
            &[
                "s3:GetObject",
                "s3:ListBucket",
                "s3:GetBucketLocation",
                "s3:GetObjectVersion",
                "s3:PutObject",
                "s3:PutObjectAcl",
                "s3:GetLifecycleConfiguration",
                "s3:PutLifecycleConfiguration",
                "s3:DeleteObject",
            ],
            &[BUCKET, BUCKET_OBJECTS],
            true,
        )],
    },
    PolicyTemplate {
        name: "S3FullAccessPolicy",
        parameters: &["BucketName"],
        statements: &[
            statement(
                &[
                    "s3:GetObject",
                    "s3:GetObjectAcl",
                    "s3:GetObjectVersion",
                    "s3:PutObject",
                    "s3:PutObjectAcl",
                    "s3:DeleteObject",
                    "s3:DeleteObjectTagging",
                    "s3:DeleteObjectVersionTagging",
                    "s3:GetObjectTagging",
                    "s3:GetObjectVersionTagging",
                    "s3:PutObjectTagging",
                    "s3:PutObjectVersionTagging",
                ],
                &[BUCKET_OBJECTS],
                true,
            ),
            statement(
                &[
                    "s3:ListBucket",
                    "s3:GetBucketLocation",
                    "s3:GetLifecycleConfiguration",
                    "s3:PutLifecycleConfiguration",
                ],
                &[BUCKET],
                true,
            ),
        ],
    },
    PolicyTemplate {
        name: "SQSSendMessagePolicy",
        parameters: &["QueueName"],
        statements: &[statement(&["sqs:SendMessage*"], &[QUEUE], false)],
    },
    PolicyTemplate {
        name: "SQSPollerPolicy",
        parameters: &["QueueName"],
        statements: &[statement(
            &[
                "sqs:ChangeMessageVisibility",
                "sqs:ChangeMessageVisibilityBatch",
                "sqs:DeleteMessage",
                "sqs:DeleteMessageBatch",
                "sqs:GetQueueAttributes",
                "sqs:ReceiveMessage",
            ],
            &[QUEUE],
            false,
        )],
    },
    PolicyTemplate {
        name: "SNSPublishMessagePolicy",
        parameters: &["TopicName"],
        statements: &[statement(
            &["sns:Publish"],
            &["arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${topicName}"],
            false,
        )],
    },
    PolicyTemplate {
        name: "SNSCrudPolicy",
        parameters: &["TopicName"],
        statements: &[statement(
            &[
                "sns:ListSubscriptionsByTopic",
                "sns:CreateTopic",
                "sns:SetTopicAttributes",
                "sns:Subscribe",
                "sns:Publish",
            ],
            &["arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${topicName}*"],
            false,
        )],
    },
    PolicyTemplate {
        name: "LambdaInvokePolicy",
        parameters: &["FunctionName"],
        statements: &[statement(
            &["lambda:InvokeFunction"],
            &["arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${functionName}*"],
            false,
        )],
    },
    PolicyTemplate {
        name: "CloudWatchPutMetricPolicy",
        parameters: &[],
        statements: &[statement(&["cloudwatch:PutMetricData"], &["*"], false)],
    },
    PolicyTemplate {
        name: "AWSSecretsManagerGetSecretValuePolicy",
        parameters: &["SecretArn"],
        statements: &[statement(&["secretsmanager:GetSecretValue"], &["${secretArn}"], false)],
    },
    PolicyTemplate {
        name: "SSMParameterReadPolicy",
        parameters: &["ParameterName"],
        statements: &[
            statement(&["ssm:DescribeParameters"], &["*"], false),
            statement(
                &["ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"],
                &["arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${parameterName}"],
                false,
            ),
        ],
    },
    PolicyTemplate {
        name: "StepFunctionsExecutionPolicy",
        parameters: &["StateMachineName"],
        statements: &[statement(
            &["states:StartExecution"],
            &["arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${stateMachineName}"],
            false,
        )],
    },
    PolicyTemplate {
        name: "EventBridgePutEventsPolicy",
        parameters: &["EventBusName"],
        statements: &[TemplateStatement {
            actions: &["events:PutEvents"],
            action_list: false,
            resources: &["arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${eventBusName}"],
            resource_list: false,
        }],
    },
];

/// The names of the simulated templates.
pub fn template_names() -> impl Iterator<Item = &'static str> {
    TEMPLATES.iter().map(|t| t.name)
}

/// `TableName` -> `tableName`: SAM's `Fn::Sub` variable for a parameter.
fn variable_name(parameter: &str) -> String {
    let mut chars = parameter.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The policy document SAM writes for the template `name` with parameter values `params`, every node located at
/// `span`: `{"Statement": [{"Action": [...], "Effect": "Allow", "Resource": ...}]}` (no `Version`, as SAM writes it).
///
/// Errors: a template outside the list is `not simulated: SAM policy template <name>`; a missing parameter is
/// SAM's `Following required parameters of template '<name>' don't have values: ['<Parameter>']`.
pub fn policy_template(name: &Key, params: &Node, span: Span) -> Result<Node, Located> {
    let at = At(span);
    let template = TEMPLATES
        .iter()
        .find(|t| t.name == name.name)
        .ok_or_else(|| Located::new(name.span, format!("not simulated: SAM policy template {}", name.name)))?;
    let missing: Vec<String> = template
        .parameters
        .iter()
        .filter(|p| params.get(p).is_none())
        .map(|p| format!("'{p}'"))
        .collect();
    if !missing.is_empty() {
        return Err(Located::new(
            params.span,
            format!(
                "Following required parameters of template '{}' don't have values: [{}]",
                template.name,
                missing.join(", ")
            ),
        ));
    }
    let resource = |text: &str| -> Node {
        if text == "*" {
            return at.s(text);
        }
        let variables: Vec<(String, Node)> = template
            .parameters
            .iter()
            .filter_map(|p| {
                let variable = variable_name(p);
                let value = params.get(p)?;
                text.contains(&format!("${{{variable}}}"))
                    .then(|| (variable, value.clone()))
            })
            .collect();
        if variables.is_empty() {
            return at.map(vec![("Fn::Sub", at.s(text))]);
        }
        let variables = at.map(variables.iter().map(|(k, v)| (k.as_str(), v.clone())).collect());
        at.map(vec![("Fn::Sub", at.list(vec![at.s(text), variables]))])
    };
    let statements = template
        .statements
        .iter()
        .map(|s| {
            let actions = if s.action_list {
                at.list(s.actions.iter().map(|a| at.s(a)).collect())
            } else {
                at.s(s.actions.first().copied().unwrap_or_default())
            };
            let resources: Vec<Node> = s.resources.iter().map(|r| resource(r)).collect();
            let resources = if s.resource_list {
                at.list(resources)
            } else {
                resources.into_iter().next().unwrap_or_else(|| at.s("*"))
            };
            at.map(vec![
                ("Action", actions),
                ("Effect", at.s("Allow")),
                ("Resource", resources),
            ])
        })
        .collect();
    Ok(at.map(vec![("Statement", at.list(statements))]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(name: &str, params: serde_json::Value) -> Result<serde_json::Value, String> {
        let span = Span::default();
        let key = Key {
            name: name.to_string(),
            span,
        };
        let params_text = params.to_string();
        let params = super::super::node::parse(&params_text).map_err(|e| e.message.clone())?;
        policy_template(&key, &params, span)
            .map(|n| n.to_raw_json())
            .map_err(|e| e.message)
    }

    #[test]
    fn dynamodb_crud_is_samss_document() {
        assert_eq!(
            render("DynamoDBCrudPolicy", json!({"TableName": {"Ref": "T"}})).unwrap(),
            json!({"Statement": [{"Action": ["dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Scan",
                "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem",
                "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem"], "Effect": "Allow", "Resource": [
                {"Fn::Sub": ["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}", {"tableName": {"Ref": "T"}}]},
                {"Fn::Sub": ["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}/index/*", {"tableName": {"Ref": "T"}}]}]}]})
        );
    }

    #[test]
    fn stream_read_uses_both_parameters_and_two_statements() {
        assert_eq!(
            render("DynamoDBStreamReadPolicy", json!({"TableName": "t", "StreamName": "s"})).unwrap(),
            json!({"Statement": [
                {"Action": ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"], "Effect": "Allow",
                 "Resource": {"Fn::Sub": ["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}/stream/${streamName}", {"streamName": "s", "tableName": "t"}]}},
                {"Action": ["dynamodb:ListStreams"], "Effect": "Allow",
                 "Resource": {"Fn::Sub": ["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}/stream/*", {"tableName": "t"}]}}]})
        );
    }

    #[test]
    fn single_resources_stay_single_and_star_stays_plain() {
        assert_eq!(
            render("SQSSendMessagePolicy", json!({"QueueName": "q"})).unwrap(),
            json!({"Statement": [{"Action": ["sqs:SendMessage*"], "Effect": "Allow",
                "Resource": {"Fn::Sub": ["arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${queueName}", {"queueName": "q"}]}}]})
        );
        assert_eq!(
            render("CloudWatchPutMetricPolicy", json!({})).unwrap(),
            json!({"Statement": [{"Action": ["cloudwatch:PutMetricData"], "Effect": "Allow", "Resource": "*"}]})
        );
        assert_eq!(
            render(
                "AWSSecretsManagerGetSecretValuePolicy",
                json!({"SecretArn": "arn:aws:secretsmanager:us-east-1:1:secret:s"})
            )
            .unwrap(),
            json!({"Statement": [{"Action": ["secretsmanager:GetSecretValue"], "Effect": "Allow",
                "Resource": {"Fn::Sub": ["${secretArn}", {"secretArn": "arn:aws:secretsmanager:us-east-1:1:secret:s"}]}}]})
        );
        assert_eq!(
            render("EventBridgePutEventsPolicy", json!({"EventBusName": "default"})).unwrap()["Statement"][0]["Action"],
            json!("events:PutEvents")
        );
    }

    #[test]
    fn s3_templates_cover_bucket_and_objects() {
        let crud = render("S3CrudPolicy", json!({"BucketName": "b"})).unwrap();
        assert_eq!(crud["Statement"][0]["Action"].as_array().unwrap().len(), 9);
        assert_eq!(
            crud["Statement"][0]["Resource"][1],
            json!({"Fn::Sub": ["arn:${AWS::Partition}:s3:::${bucketName}/*", {"bucketName": "b"}]})
        );
        let read = render("S3ReadPolicy", json!({"BucketName": "b"})).unwrap();
        assert_eq!(
            read["Statement"][0]["Action"],
            json!([
                "s3:GetObject",
                "s3:ListBucket",
                "s3:GetBucketLocation",
                "s3:GetObjectVersion",
                "s3:GetLifecycleConfiguration"
            ])
        );
        let write = render("S3WritePolicy", json!({"BucketName": "b"})).unwrap();
        assert_eq!(
            write["Statement"][0]["Action"],
            json!(["s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"])
        );
    }

    #[test]
    fn other_common_templates() {
        let poller = render("SQSPollerPolicy", json!({"QueueName": "q"})).unwrap();
        assert_eq!(poller["Statement"][0]["Action"].as_array().unwrap().len(), 6);
        let sns = render("SNSPublishMessagePolicy", json!({"TopicName": "t"})).unwrap();
        assert_eq!(
            sns["Statement"][0]["Resource"],
            json!({"Fn::Sub": ["arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${topicName}", {"topicName": "t"}]})
        );
        let invoke = render("LambdaInvokePolicy", json!({"FunctionName": "f"})).unwrap();
        assert_eq!(
            invoke["Statement"][0]["Resource"]["Fn::Sub"][0],
            json!("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${functionName}*")
        );
        let read = render("DynamoDBReadPolicy", json!({"TableName": "t"})).unwrap();
        assert_eq!(
            read["Statement"][0]["Action"],
            json!([
                "dynamodb:GetItem",
                "dynamodb:Scan",
                "dynamodb:Query",
                "dynamodb:BatchGetItem",
                "dynamodb:DescribeTable"
            ])
        );
        let write = render("DynamoDBWritePolicy", json!({"TableName": "t"})).unwrap();
        assert_eq!(
            write["Statement"][0]["Action"],
            json!(["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"])
        );
    }

    #[test]
    fn unknown_templates_and_missing_parameters_are_refused() {
        assert_eq!(
            render("VPCAccessPolicy", json!({})).unwrap_err(),
            "not simulated: SAM policy template VPCAccessPolicy"
        );
        assert_eq!(
            render("DynamoDBStreamReadPolicy", json!({"TableName": "t"})).unwrap_err(),
            "Following required parameters of template 'DynamoDBStreamReadPolicy' don't have values: ['StreamName']"
        );
        assert_eq!(variable_name("SecretArn"), "secretArn");
    }
}
