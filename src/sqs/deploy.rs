//! Creating queues from a stack's `AWS::SQS::Queue` resources.
//!
//! Source: "AWS::SQS::Queue", CloudFormation user guide: `QueueName`, `FifoQueue`, `ContentBasedDeduplication`,
//! `VisibilityTimeout`, `DelaySeconds`, `MessageRetentionPeriod`, `MaximumMessageSize`,
//! `ReceiveMessageWaitTimeSeconds`, `RedrivePolicy` (an object with `deadLetterTargetArn`, `maxReceiveCount`).
//! `AWS::SQS::QueuePolicy` (`PolicyDocument`, `Queues`: queue URLs) sets the queues' `Policy`.
//! The queue URL is the resource's physical id (`template::physical`), its name the `QueueName` attribute.

use super::queue::{apply_attributes, Queue, QueueConfig};
use super::{queue_arn, Sqs};
use crate::cloud::Cloud;
use crate::template::{Stack, TemplateError};
use serde_json::{Map, Value as Json};

const ATTRIBUTES: &[&str] = &[
    "FifoQueue",
    "ContentBasedDeduplication",
    "VisibilityTimeout",
    "DelaySeconds",
    "MessageRetentionPeriod",
    "MaximumMessageSize",
    "ReceiveMessageWaitTimeSeconds",
    "RedrivePolicy",
];

/// Creates every `AWS::SQS::Queue` of `stack`.
///
/// Errors: an attribute CreateQueue would refuse, or a name already taken, located at the resource.
pub fn deploy(sqs: &mut Sqs, stack: &Stack, cloud: &mut Cloud) -> Result<(), TemplateError> {
    for resource in stack.resources.iter().filter(|r| r.resource_type == "AWS::SQS::Queue") {
        let fail = |message: String| TemplateError {
            file: stack.file_name.clone(),
            span: resource.span,
            logical_id: Some(resource.logical_id.clone()),
            message,
        };
        let name = resource
            .attributes
            .get("QueueName")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string();
        let attributes: Map<String, Json> = ATTRIBUTES
            .iter()
            .filter_map(|k| {
                resource
                    .properties
                    .get(*k)
                    .filter(|v| !v.is_null())
                    .map(|v| (k.to_string(), v.clone()))
            })
            .collect();
        let mut config = QueueConfig::default();
        apply_attributes(&mut config, &Json::Object(attributes), true)
            .map_err(|e| fail(format!("{}: {}", e.code, e.message)))?;
        if sqs.queues.contains_key(&name) {
            return Err(fail(format!("{name} already exists")));
        }
        let now = cloud.clock.now_millis();
        let queue = Queue {
            arn: queue_arn(cloud, &name),
            url: resource.physical_id.clone(),
            name: name.clone(),
            config,
            created_ms: now,
            modified_ms: now,
            messages: Vec::new(),
            deduplication: Default::default(),
            sequence: 0,
            tags: Default::default(),
        };
        sqs.queues.insert(name, queue);
    }
    // AWS::SQS::QueuePolicy: `PolicyDocument` becomes the `Policy` attribute of each queue URL in `Queues`.
    for resource in stack
        .resources
        .iter()
        .filter(|r| r.resource_type == "AWS::SQS::QueuePolicy")
    {
        let document = resource.properties.get("PolicyDocument").map(Json::to_string);
        for url in resource
            .properties
            .get("Queues")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            let queue = url.as_str().and_then(|u| sqs.queue_by_url(u).ok());
            match queue {
                Some(queue) => queue.config.policy = document.clone(),
                None => {
                    return Err(TemplateError {
                        file: stack.file_name.clone(),
                        span: resource.span,
                        logical_id: Some(resource.logical_id.clone()),
                        message: format!("Queues: {url} is not a queue of this account"),
                    })
                }
            }
        }
    }
    sqs.event_source_mappings.extend(
        stack
            .resources
            .iter()
            .filter(|r| r.resource_type == "AWS::Lambda::EventSourceMapping")
            .filter_map(super::event_source::from_resource),
    );
    Ok(())
}
