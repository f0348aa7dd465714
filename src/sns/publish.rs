//! `Publish` and `PublishBatch` (SNS API reference): validation, FIFO topics, filter policies, and delivery to
//! every matching subscription ([`super::delivery`]).

use super::delivery::{deliver, signature, Notification};
use super::{authorize, errors, filter, required_str, Sns};
use crate::api::{AwsError, Caller};
use crate::cloud::Cloud;
use serde_json::{json, Value as Json};
use std::collections::BTreeSet;

/// Reads and checks one message (a Publish input or a PublishBatch entry) for `topic_arn`.
fn notification(sns: &mut Sns, cloud: &mut Cloud, topic_arn: &str, input: &Json) -> Result<Notification, AwsError> {
    let topic = sns.topics.get_mut(topic_arn).ok_or_else(errors::topic_not_found)?;
    let message = match input.get("Message") {
        Some(Json::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(errors::invalid_parameter("Empty message")),
    };
    // 256 KB, counting the message and its attributes (Publish, `Message`).
    if message.len() > 262_144 {
        return Err(errors::invalid_parameter("Message too long"));
    }
    let subject = input.get("Subject").and_then(Json::as_str).map(str::to_string);
    // Subjects: ASCII, no line breaks or control characters, up to 100 characters (Publish, `Subject`).
    if subject
        .as_deref()
        .is_some_and(|s| s.is_empty() || s.len() > 100 || s.chars().any(|c| !c.is_ascii() || c.is_ascii_control()))
    {
        return Err(errors::invalid_parameter("Subject"));
    }
    let per_protocol = match input.get("MessageStructure").and_then(Json::as_str) {
        None => None,
        Some("json") => {
            let parsed: Json = serde_json::from_str(&message)
                .map_err(|_| errors::invalid_parameter("Message Structure - JSON message body failed to parse"))?;
            let map = parsed.as_object().cloned().unwrap_or_default();
            if !map.get("default").is_some_and(Json::is_string) {
                return Err(errors::invalid_parameter(
                    "Message Structure - No default entry in JSON message body",
                ));
            }
            Some(map)
        }
        Some(_) => return Err(errors::invalid_parameter("MessageStructure")),
    };
    let message = match &per_protocol {
        Some(map) => map
            .get("default")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string(),
        None => message,
    };
    let attributes = input.get("MessageAttributes").cloned().unwrap_or(Json::Null);
    for (name, value) in attributes.as_object().into_iter().flatten() {
        let data_type = value.get("DataType").and_then(Json::as_str).unwrap_or_default();
        if data_type.is_empty() {
            return Err(errors::invalid_parameter(&format!(
                "The message attribute '{name}' must contain non-empty message attribute type."
            )));
        }
    }
    let (mut group_id, mut deduplication_id) = (None, None);
    if topic.fifo {
        group_id = Some(
            input
                .get("MessageGroupId")
                .and_then(Json::as_str)
                .ok_or_else(|| errors::invalid_parameter("The MessageGroupId parameter is required for FIFO topics"))?
                .to_string(),
        );
        deduplication_id = match (input.get("MessageDeduplicationId").and_then(Json::as_str), topic.content_based_deduplication) {
            (Some(id), _) => Some(id.to_string()),
            (None, true) => Some(crate::sqs::digest::sha256_hex(message.as_bytes())),
            (None, false) => {
                return Err(errors::invalid_parameter(
                    "The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
                ))
            }
        };
        topic.sequence += 1;
    }
    Ok(Notification {
        message_id: cloud.ids.uuid(),
        topic_arn: topic_arn.to_string(),
        subject,
        message,
        per_protocol,
        timestamp_ms: cloud.clock.now_millis(),
        attributes,
        signature: signature(cloud),
        group_id,
        deduplication_id,
    })
}

/// Delivers `n` to every subscription of its topic whose filter policy matches (no policy matches everything;
/// a body-scoped policy needs a JSON body).
fn fan_out(sns: &Sns, cloud: &mut Cloud, n: &Notification) {
    let subscriptions: Vec<_> = sns
        .subscriptions
        .iter()
        .filter(|s| s.topic_arn == n.topic_arn)
        .cloned()
        .collect();
    for subscription in subscriptions {
        let matched = match &subscription.filter_policy {
            None => true,
            Some(policy) if subscription.filter_on_body => {
                serde_json::from_str::<Json>(n.text_for(&subscription.protocol))
                    .is_ok_and(|body| filter::matches(policy, &body))
            }
            Some(policy) => filter::matches(policy, &filter::attributes_document(&n.attributes)),
        };
        if matched {
            deliver(cloud, &subscription, n);
        }
    }
}

fn output(n: &Notification, sequence: Option<u64>) -> Json {
    let mut out = json!({ "MessageId": n.message_id });
    if let (Some(seq), Some(_)) = (sequence, &n.group_id) {
        out["SequenceNumber"] = json!(format!("{:020}", 10_000_000_000_000_000_000u128 + u128::from(seq)));
    }
    out
}

/// `Publish`: `{TopicArn | TargetArn, Message, Subject?, MessageAttributes?, MessageStructure?, MessageGroupId?,
/// MessageDeduplicationId?}` -> `{MessageId, SequenceNumber?}`. IAM: `sns:Publish` on the topic.
pub fn publish(sns: &mut Sns, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    if input.get("PhoneNumber").is_some_and(|v| !v.is_null()) {
        return Err(AwsError::not_simulated("SNS SMS messages (PhoneNumber)"));
    }
    let topic_arn = input
        .get("TopicArn")
        .or_else(|| input.get("TargetArn"))
        .and_then(Json::as_str)
        .ok_or_else(|| errors::invalid_parameter("TopicArn or TargetArn Reason: no value for required parameter"))?;
    authorize(cloud, caller, "sns:Publish", topic_arn)?;
    let n = notification(sns, cloud, topic_arn, input)?;
    let sequence = sns.topics.get(topic_arn).map(|t| t.sequence);
    fan_out(sns, cloud, &n);
    Ok(output(&n, sequence))
}

/// `PublishBatch`: `{TopicArn, PublishBatchRequestEntries: [{Id, Message, ...}]}` -> `{Successful: [{Id,
/// MessageId}], Failed: [{Id, Code, Message, SenderFault}]}`; 1 to 10 entries with distinct ids (errors:
/// `EmptyBatchRequest`, `TooManyEntriesInBatchRequest`, `BatchEntryIdsNotDistinct`, with the API reference's
/// descriptions as messages).
pub fn publish_batch(sns: &mut Sns, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let topic_arn = required_str(input, "TopicArn")?.to_string();
    authorize(cloud, caller, "sns:Publish", &topic_arn)?;
    if !sns.topics.contains_key(&topic_arn) {
        return Err(errors::topic_not_found());
    }
    let entries = input
        .get("PublishBatchRequestEntries")
        .and_then(Json::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if entries.is_empty() {
        return Err(AwsError::client(
            "EmptyBatchRequest",
            "The batch request doesn't contain any entries.",
        ));
    }
    if entries.len() > 10 {
        return Err(AwsError::client(
            "TooManyEntriesInBatchRequest",
            "The batch request contains more entries than permissible.",
        ));
    }
    let mut ids = BTreeSet::new();
    if !entries
        .iter()
        .all(|e| ids.insert(e.get("Id").and_then(Json::as_str).unwrap_or_default()))
    {
        return Err(AwsError::client(
            "BatchEntryIdsNotDistinct",
            "Two or more batch entries in the request have the same Id.",
        ));
    }
    let (mut successful, mut failed) = (Vec::new(), Vec::new());
    for entry in entries {
        let id = entry.get("Id").and_then(Json::as_str).unwrap_or_default();
        match notification(sns, cloud, &topic_arn, entry) {
            Ok(n) => {
                let sequence = sns.topics.get(&topic_arn).map(|t| t.sequence);
                fan_out(sns, cloud, &n);
                let mut out = output(&n, sequence);
                out["Id"] = json!(id);
                successful.push(out);
            }
            Err(e) => failed.push(json!({"Id": id, "Code": e.code, "Message": e.message, "SenderFault": true})),
        }
    }
    Ok(json!({"Successful": successful, "Failed": failed}))
}
