//! CloudWatch Logs: log groups, log streams and events, answering the CloudWatch Logs JSON API
//! ([`crate::Cloud::call`] with signing name `logs`) on the virtual clock.
//!
//! Lambda writes every invocation's lines here ([`lambda`]): the group `/aws/lambda/<function>`, one stream per
//! execution environment, as the function's execution role allows. Modules: [`group`] (groups, streams, events),
//! [`operations`] (the API), [`filter`] (filter pattern syntax), [`lambda`] (Lambda's writes), [`errors`].
//!
//! Not simulated (answered loudly): metric filters, subscription filters, Logs Insights queries, exports, KMS keys,
//! tags, log group classes other than `STANDARD`, data protection.

pub mod errors;
pub mod filter;
pub mod group;
pub mod lambda;
pub mod operations;

use crate::api::{ApiRequest, AwsError, Caller};
use crate::cloud::{Cloud, Service};
use crate::iam::Decision;
use crate::template::{Stack, TemplateError};
use group::LogGroup;
use serde_json::Value as Json;
use std::any::Any;
use std::collections::BTreeMap;

/// The CloudFormation types this service creates.
pub const RESOURCE_TYPES: &[&str] = &["AWS::Logs::LogGroup"];

/// The CloudWatch Logs service of one account and region: log groups by name.
#[derive(Debug, Default)]
pub struct Logs {
    /// Log groups by name (name order, as DescribeLogGroups lists them).
    pub groups: BTreeMap<String, LogGroup>,
}

/// `arn:<partition>:logs:<region>:<account>:log-group:<name>`: the group's ARN without the `:*` suffix (the
/// `logGroupArn` member; IAM resource type `log-group`, Service Authorization Reference "Amazon CloudWatch Logs").
pub fn log_group_arn(cloud: &Cloud, name: &str) -> String {
    format!(
        "arn:{}:logs:{}:{}:log-group:{name}",
        cloud.partition(),
        cloud.region,
        cloud.account_id
    )
}

/// `<group ARN>:log-stream:<stream>`: the IAM resource of stream operations (`log-stream` resource type).
pub fn log_stream_arn(cloud: &Cloud, group: &str, stream: &str) -> String {
    format!("{}:log-stream:{stream}", log_group_arn(cloud, group))
}

/// Asks IAM whether `caller` may perform `action` (`logs:PutLogEvents`) on `resource`; anything but Allow is
/// `AccessDeniedException` with IAM's message.
pub fn authorize(cloud: &Cloud, caller: &Caller, action: &str, resource: &str) -> Result<(), AwsError> {
    match crate::iam::authorize(cloud, caller, action, resource) {
        Decision::Allow => Ok(()),
        decision => Err(errors::access_denied(crate::iam::denial_message(
            caller, action, resource, decision,
        ))),
    }
}

impl Logs {
    /// Answers one CloudWatch Logs operation with its JSON output.
    pub fn handle(&mut self, request: &ApiRequest<'_>, cloud: &mut Cloud) -> Result<Json, AwsError> {
        let (input, caller) = (request.input, request.caller);
        match request.operation {
            "CreateLogGroup" => operations::create_log_group(self, cloud, caller, input),
            "DeleteLogGroup" => operations::delete_log_group(self, cloud, caller, input),
            "DescribeLogGroups" => operations::describe_log_groups(self, cloud, caller, input),
            "CreateLogStream" => operations::create_log_stream(self, cloud, caller, input),
            "DeleteLogStream" => operations::delete_log_stream(self, cloud, caller, input),
            "DescribeLogStreams" => operations::describe_log_streams(self, cloud, caller, input),
            "PutLogEvents" => operations::put_log_events(self, cloud, caller, input),
            "GetLogEvents" => operations::get_log_events(self, cloud, caller, input),
            "FilterLogEvents" => operations::filter_log_events(self, cloud, caller, input),
            "PutRetentionPolicy" => operations::put_retention_policy(self, cloud, caller, input),
            "DeleteRetentionPolicy" => operations::delete_retention_policy(self, cloud, caller, input),
            other => Err(AwsError::not_simulated(format!(
                "the CloudWatch Logs operation {other}"
            ))),
        }
    }

    /// Creates the stack's `AWS::Logs::LogGroup`s (`LogGroupName`, `RetentionInDays`).
    fn deploy_stack(&mut self, stack: &Stack, cloud: &Cloud) -> Result<(), TemplateError> {
        for resource in stack
            .resources
            .iter()
            .filter(|r| r.resource_type == "AWS::Logs::LogGroup")
        {
            let at = |message: String| TemplateError {
                file: stack.file_name.clone(),
                span: resource.span,
                logical_id: Some(resource.logical_id.clone()),
                message,
            };
            let props = &resource.properties;
            for unsupported in ["KmsKeyId", "DataProtectionPolicy", "FieldIndexPolicies"] {
                if props.get(unsupported).is_some() {
                    return Err(at(format!("not simulated: AWS::Logs::LogGroup {unsupported}")));
                }
            }
            if let Some(class) = props.get("LogGroupClass").and_then(Json::as_str) {
                if class != "STANDARD" {
                    return Err(at(format!("not simulated: AWS::Logs::LogGroup LogGroupClass {class}")));
                }
            }
            let retention = match props.get("RetentionInDays") {
                None | Some(Json::Null) => None,
                Some(value) => Some(operations::retention_days(value).map_err(|e| at(e.message))?),
            };
            let name = resource.physical_id.clone();
            let group = self.groups.entry(name.clone()).or_insert_with(|| LogGroup {
                name,
                creation_time: cloud.clock.now_millis(),
                ..LogGroup::default()
            });
            group.retention_in_days = retention;
        }
        Ok(())
    }
}

impl Service for Logs {
    fn name(&self) -> &'static str {
        "CloudWatch Logs"
    }

    fn resource_types(&self) -> &'static [&'static str] {
        RESOURCE_TYPES
    }

    fn deploy(&mut self, stack: &Stack, cloud: &mut Cloud) -> Result<(), TemplateError> {
        self.deploy_stack(stack, cloud)
    }

    fn signing_name(&self) -> Option<&'static str> {
        Some("logs")
    }

    fn call(&mut self, request: &ApiRequest<'_>, cloud: &mut Cloud) -> Result<Json, AwsError> {
        self.handle(request, cloud)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
