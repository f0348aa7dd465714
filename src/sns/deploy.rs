//! Creating topics and subscriptions from a stack: `AWS::SNS::Topic` (`TopicName`, `FifoTopic`,
//! `ContentBasedDeduplication`, `Subscription: [{Endpoint, Protocol}]`) and `AWS::SNS::Subscription` (`TopicArn`,
//! `Protocol`, `Endpoint`, `FilterPolicy`, `FilterPolicyScope`, `RawMessageDelivery`), as the CloudFormation user
//! guide describes them. A topic's ARN is its physical id; a subscription's ARN is its physical id.

use super::control::{add_subscription, ensure_topic};
use super::Sns;
use crate::cloud::Cloud;
use crate::template::{Stack, StackResource, TemplateError};
use serde_json::{json, Value as Json};

/// Creates the stack's topics, then its subscriptions.
///
/// Errors: a topic or subscription SNS would refuse (bad name, unknown topic, malformed filter policy, a protocol
/// not simulated), located at its resource.
pub fn deploy(sns: &mut Sns, stack: &Stack, cloud: &mut Cloud) -> Result<(), TemplateError> {
    let fail = |resource: &StackResource, message: String| TemplateError {
        file: stack.file_name.clone(),
        span: resource.span,
        logical_id: Some(resource.logical_id.clone()),
        message,
    };
    for resource in stack.resources.iter().filter(|r| r.resource_type == "AWS::SNS::Topic") {
        let name = resource
            .attributes
            .get("TopicName")
            .and_then(Json::as_str)
            .unwrap_or_default();
        let attributes = json!({
            "FifoTopic": resource.properties.get("FifoTopic").cloned().unwrap_or(Json::Null),
            "ContentBasedDeduplication": resource.properties.get("ContentBasedDeduplication").cloned().unwrap_or(Json::Null),
        });
        let arn = ensure_topic(sns, cloud, name, Some(&attributes)).map_err(|e| fail(resource, e.to_string()))?;
        for inline in resource
            .properties
            .get("Subscription")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            let text = |k: &str| inline.get(k).and_then(Json::as_str).unwrap_or_default().to_string();
            add_subscription(sns, cloud, &arn, &text("Protocol"), &text("Endpoint"), None, None)
                .map_err(|e| fail(resource, e.to_string()))?;
        }
    }
    for resource in stack
        .resources
        .iter()
        .filter(|r| r.resource_type == "AWS::SNS::Subscription")
    {
        let props = &resource.properties;
        let text = |k: &str| props.get(k).and_then(Json::as_str).unwrap_or_default().to_string();
        let attributes = json!({
            "FilterPolicy": props.get("FilterPolicy").cloned().unwrap_or(Json::Null),
            "FilterPolicyScope": props.get("FilterPolicyScope").cloned().unwrap_or(Json::Null),
            "RawMessageDelivery": props.get("RawMessageDelivery").cloned().unwrap_or(Json::Null),
        });
        add_subscription(
            sns,
            cloud,
            &text("TopicArn"),
            &text("Protocol"),
            &text("Endpoint"),
            Some(&attributes),
            Some(resource.physical_id.clone()),
        )
        .map_err(|e| fail(resource, e.to_string()))?;
    }
    Ok(())
}
