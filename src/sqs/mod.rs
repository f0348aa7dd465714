//! SQS: standard and FIFO queues answering the SQS JSON API ([`crate::Cloud::call`] with signing name `sqs`), with
//! SQS's shapes, error codes and messages (SQS API reference), on the virtual clock.
//!
//! Modules, one concept each: [`errors`], [`digest`] (MD5 and SHA-256 digests), [`queue`] (queues, attributes,
//! messages), [`control`] (CreateQueue, GetQueueUrl, Get/SetQueueAttributes, DeleteQueue, ListQueues, PurgeQueue),
//! [`messages`] (SendMessage(Batch), ReceiveMessage, DeleteMessage(Batch), ChangeMessageVisibility(Batch)), [`deploy`]
//! (`AWS::SQS::Queue`), [`event_source`] (Lambda event source mappings: [`event_source::advance`],
//! [`event_source::poll_event_sources`]).
//!
//! Queue policies ([`policy`]) decide what other services (SNS) may send; they are not evaluated for callers in
//! the account, whose identity policies decide.
//!
//! Not simulated (answered loudly): `AddPermission` / `RemovePermission`, tags operations,
//! dead-letter redrive tasks (`StartMessageMoveTask`), `ListDeadLetterSourceQueues`.

pub mod control;
pub mod deploy;
pub mod digest;
pub mod errors;
pub mod event_source;
pub mod messages;
pub mod policy;
pub mod queue;

use crate::api::{ApiRequest, AwsError, Caller};
use crate::cloud::{Cloud, Service};
use crate::iam::Decision;
use crate::template::{Stack, TemplateError};
use queue::Queue;
use serde_json::Value as Json;
use std::any::Any;
use std::collections::BTreeMap;

/// The SQS service of one account and region: queues by name (name order, as ListQueues answers).
#[derive(Debug, Default)]
pub struct Sqs {
    /// Queues by name.
    pub queues: BTreeMap<String, Queue>,
    /// Lambda event source mappings reading these queues ([`event_source`]).
    pub event_source_mappings: Vec<event_source::EventSourceMapping>,
}

/// The ARN of queue `name`: `arn:<partition>:sqs:<region>:<account>:<name>`.
pub fn queue_arn(cloud: &Cloud, name: &str) -> String {
    format!(
        "arn:{}:sqs:{}:{}:{name}",
        cloud.partition(),
        cloud.region,
        cloud.account_id
    )
}

/// The URL of queue `name`: `https://sqs.<region>.<url suffix>/<account>/<name>` (the form `CreateQueue`
/// answers and `template::physical` gives `AWS::SQS::Queue`).
pub fn queue_url(cloud: &Cloud, name: &str) -> String {
    format!(
        "https://sqs.{}.{}/{}/{name}",
        cloud.region,
        cloud.url_suffix(),
        cloud.account_id
    )
}

/// Asks IAM whether `caller` may perform `action` (`sqs:SendMessage`) on `resource` (a queue ARN); anything but
/// Allow is SQS's `AccessDenied` ([`errors::access_denied`], which lower-cases the action as SQS prints it).
pub fn authorize(cloud: &Cloud, caller: &Caller, action: &str, resource: &str) -> Result<(), AwsError> {
    match crate::iam::authorize(cloud, caller, action, resource) {
        Decision::Allow => Ok(()),
        decision => Err(errors::access_denied(crate::iam::denial_message(
            caller,
            &action.to_ascii_lowercase(),
            resource,
            decision,
        ))),
    }
}

/// A required string member, or `MissingParameter`.
pub fn required_str<'a>(input: &'a Json, member: &str) -> Result<&'a str, AwsError> {
    match input.get(member) {
        Some(Json::String(s)) => Ok(s),
        Some(Json::Null) | None => Err(errors::missing_parameter(member)),
        Some(other) => Err(errors::invalid_parameter_value(other, member, "Must be a string.")),
    }
}

impl Sqs {
    /// The name of the queue `url` points at, when it is one of this account's queue URLs (the last path segment;
    /// SQS also accepts the queue's name in the account's URL form only).
    pub fn name_from_url(url: &str) -> Option<&str> {
        url.rsplit('/').next().filter(|s| !s.is_empty())
    }

    /// The queue `QueueUrl` names, or `QueueDoesNotExist`.
    pub fn queue_by_url(&mut self, url: &str) -> Result<&mut Queue, AwsError> {
        Sqs::name_from_url(url)
            .and_then(|name| self.queues.get_mut(name))
            .filter(|q| q.url == url || !url.contains('/'))
            .ok_or_else(errors::queue_does_not_exist)
    }

    /// The queue whose ARN is `arn`.
    pub fn queue_by_arn(&mut self, arn: &str) -> Option<&mut Queue> {
        self.queues.values_mut().find(|q| q.arn == arn)
    }

    /// Answers one SQS API operation with its JSON output.
    pub fn handle(&mut self, request: &ApiRequest<'_>, cloud: &mut Cloud) -> Result<Json, AwsError> {
        let input = request.input;
        let caller = request.caller;
        match request.operation {
            "CreateQueue" => control::create_queue(self, cloud, caller, input),
            "GetQueueUrl" => control::get_queue_url(self, cloud, caller, input),
            "GetQueueAttributes" => control::get_queue_attributes(self, cloud, caller, input),
            "SetQueueAttributes" => control::set_queue_attributes(self, cloud, caller, input),
            "DeleteQueue" => control::delete_queue(self, cloud, caller, input),
            "ListQueues" => control::list_queues(self, cloud, caller, input),
            "PurgeQueue" => control::purge_queue(self, cloud, caller, input),
            "SendMessage" => messages::send_message(self, cloud, caller, input),
            "SendMessageBatch" => messages::send_message_batch(self, cloud, caller, input),
            "ReceiveMessage" => messages::receive_message(self, cloud, caller, input),
            "DeleteMessage" => messages::delete_message(self, cloud, caller, input),
            "DeleteMessageBatch" => messages::delete_message_batch(self, cloud, caller, input),
            "ChangeMessageVisibility" => messages::change_message_visibility(self, cloud, caller, input),
            "ChangeMessageVisibilityBatch" => messages::change_message_visibility_batch(self, cloud, caller, input),
            other => Err(AwsError::not_simulated(format!("the SQS operation {other}"))),
        }
    }
}

impl Service for Sqs {
    fn name(&self) -> &'static str {
        "SQS"
    }

    fn resource_types(&self) -> &'static [&'static str] {
        // Event source mappings whose source is a queue; others are skipped at deploy.
        &[
            "AWS::SQS::Queue",
            "AWS::SQS::QueuePolicy",
            "AWS::Lambda::EventSourceMapping",
        ]
    }

    fn deploy(&mut self, stack: &Stack, cloud: &mut Cloud) -> Result<(), TemplateError> {
        deploy::deploy(self, stack, cloud)
    }

    fn signing_name(&self) -> Option<&'static str> {
        Some("sqs")
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
