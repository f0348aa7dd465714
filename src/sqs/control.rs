//! Queue operations: CreateQueue, GetQueueUrl, GetQueueAttributes, SetQueueAttributes, DeleteQueue, ListQueues,
//! PurgeQueue (SQS API reference, one section each).

use super::queue::{apply_attributes, Queue, QueueConfig, ATTRIBUTE_NAMES};
use super::{authorize, errors, queue_arn, queue_url, required_str, Sqs};
use crate::api::{AwsError, Caller};
use crate::cloud::Cloud;
use serde_json::{json, Map, Value as Json};

/// Queue names: 1 to 80 alphanumerics, hyphens and underscores; FIFO names end in `.fifo` (CreateQueue,
/// `QueueName`). The error text is AWS's.
fn check_name(name: &str, fifo: bool) -> Result<(), AwsError> {
    let base = if fifo { name.strip_suffix(".fifo") } else { Some(name) };
    let valid = base.is_some_and(|b| {
        !b.is_empty() && name.len() <= 80 && b.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    if valid {
        Ok(())
    } else if !fifo && name.ends_with(".fifo") {
        Err(errors::invalid_parameter(
            "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.",
        ))
    } else {
        Err(errors::invalid_parameter(
            "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
        ))
    }
}

/// `CreateQueue`: `{QueueName, Attributes?, tags?}` -> `{QueueUrl}`. Creating a queue that exists with the same
/// attributes answers its URL; with other values, `QueueNameExists`.
pub fn create_queue(sqs: &mut Sqs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = required_str(input, "QueueName")?;
    authorize(cloud, caller, "sqs:CreateQueue", &queue_arn(cloud, name))?;
    let attributes = input.get("Attributes").cloned().unwrap_or(Json::Null);
    let mut config = QueueConfig::default();
    // A `.fifo` name implies nothing: FifoQueue must be set (API reference, CreateQueue `FifoQueue`).
    apply_attributes(&mut config, &attributes, true)?;
    check_name(name, config.fifo)?;
    if let Some(existing) = sqs.queues.get(name) {
        if existing.config != config {
            return Err(errors::queue_name_exists(first_difference(&existing.config, &config)));
        }
        return Ok(json!({ "QueueUrl": existing.url }));
    }
    let now = cloud.clock.now_millis();
    let tags = input
        .get("tags")
        .and_then(Json::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let queue = Queue {
        name: name.to_string(),
        url: queue_url(cloud, name),
        arn: queue_arn(cloud, name),
        config,
        created_ms: now,
        modified_ms: now,
        messages: Vec::new(),
        deduplication: Default::default(),
        sequence: 0,
        tags,
    };
    let url = queue.url.clone();
    sqs.queues.insert(name.to_string(), queue);
    Ok(json!({ "QueueUrl": url }))
}

fn first_difference(a: &QueueConfig, b: &QueueConfig) -> &'static str {
    if a.visibility_timeout != b.visibility_timeout {
        "VisibilityTimeout"
    } else if a.delay_seconds != b.delay_seconds {
        "DelaySeconds"
    } else if a.retention != b.retention {
        "MessageRetentionPeriod"
    } else if a.maximum_message_size != b.maximum_message_size {
        "MaximumMessageSize"
    } else if a.wait_time != b.wait_time {
        "ReceiveMessageWaitTimeSeconds"
    } else if a.fifo != b.fifo {
        "FifoQueue"
    } else if a.content_based_deduplication != b.content_based_deduplication {
        "ContentBasedDeduplication"
    } else if a.redrive != b.redrive {
        "RedrivePolicy"
    } else {
        "Policy"
    }
}

/// `GetQueueUrl`: `{QueueName}` -> `{QueueUrl}`, or `QueueDoesNotExist`.
pub fn get_queue_url(sqs: &mut Sqs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = required_str(input, "QueueName")?;
    authorize(cloud, caller, "sqs:GetQueueUrl", &queue_arn(cloud, name))?;
    let queue = sqs.queues.get(name).ok_or_else(errors::queue_does_not_exist)?;
    Ok(json!({ "QueueUrl": queue.url }))
}

/// The queue `QueueUrl` names, after checking `action` on it.
fn authorized_queue<'a>(
    sqs: &'a mut Sqs,
    cloud: &Cloud,
    caller: &Caller,
    input: &Json,
    action: &str,
) -> Result<&'a mut Queue, AwsError> {
    let url = required_str(input, "QueueUrl")?;
    let queue = sqs.queue_by_url(url)?;
    authorize(cloud, caller, action, &queue.arn)?;
    Ok(queue)
}

/// `GetQueueAttributes`: `{QueueUrl, AttributeNames?}` -> `{Attributes}` (only the names asked for; `All` for
/// every one; no `Attributes` member when none are asked for).
pub fn get_queue_attributes(sqs: &mut Sqs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let now = cloud.clock.now_millis();
    let queue = authorized_queue(sqs, cloud, caller, input, "sqs:GetQueueAttributes")?;
    queue.expire(now);
    let names: Vec<&str> = input
        .get("AttributeNames")
        .and_then(Json::as_array)
        .map(|a| a.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    if let Some(unknown) = names.iter().find(|n| !ATTRIBUTE_NAMES.contains(n)) {
        return Err(errors::invalid_attribute_name(unknown));
    }
    let all = queue.all_attributes(now);
    let selected: Map<String, Json> = all
        .into_iter()
        .filter(|(k, _)| names.contains(&"All") || names.contains(k))
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    if selected.is_empty() {
        return Ok(json!({}));
    }
    Ok(json!({ "Attributes": selected }))
}

/// `SetQueueAttributes`: `{QueueUrl, Attributes}` -> `{}`.
pub fn set_queue_attributes(sqs: &mut Sqs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let now = cloud.clock.now_millis();
    let queue = authorized_queue(sqs, cloud, caller, input, "sqs:SetQueueAttributes")?;
    let attributes = input
        .get("Attributes")
        .ok_or_else(|| errors::missing_parameter("Attributes"))?;
    let mut config = queue.config.clone();
    apply_attributes(&mut config, attributes, false)?;
    queue.config = config;
    queue.modified_ms = now;
    Ok(json!({}))
}

/// `DeleteQueue`: `{QueueUrl}` -> `{}`; its messages go with it.
pub fn delete_queue(sqs: &mut Sqs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = authorized_queue(sqs, cloud, caller, input, "sqs:DeleteQueue")?
        .name
        .clone();
    sqs.queues.remove(&name);
    Ok(json!({}))
}

/// `ListQueues`: `{QueueNamePrefix?, MaxResults?}` -> `{QueueUrls}` (no member when there are none). IAM resource:
/// the account's queues (`arn:...:sqs:<region>:<account>:*`, Service Authorization Reference).
pub fn list_queues(sqs: &mut Sqs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    authorize(cloud, caller, "sqs:ListQueues", &queue_arn(cloud, "*"))?;
    let prefix = input.get("QueueNamePrefix").and_then(Json::as_str).unwrap_or_default();
    if input.get("NextToken").is_some_and(|t| !t.is_null()) {
        return Err(AwsError::not_simulated("ListQueues pagination (NextToken)"));
    }
    let max = match input.get("MaxResults") {
        None | Some(Json::Null) => 1000,
        Some(v) => v.as_u64().filter(|n| (1..=1000).contains(n)).ok_or_else(|| {
            errors::invalid_parameter_value(v, "MaxResults", "Must be between 1 and 1000, if provided.")
        })? as usize,
    };
    let urls: Vec<&String> = sqs
        .queues
        .values()
        .filter(|q| q.name.starts_with(prefix))
        .take(max)
        .map(|q| &q.url)
        .collect();
    if urls.is_empty() {
        return Ok(json!({}));
    }
    Ok(json!({ "QueueUrls": urls }))
}

/// `PurgeQueue`: `{QueueUrl}` -> `{}`: every message goes. SQS allows one purge per 60 seconds
/// (`PurgeQueueInProgress`); the simulator does not model that limit.
pub fn purge_queue(sqs: &mut Sqs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let queue = authorized_queue(sqs, cloud, caller, input, "sqs:PurgeQueue")?;
    queue.messages.clear();
    Ok(json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_documented_pattern() {
        assert!(check_name("orders-1_a", false).is_ok());
        assert!(check_name("orders.fifo", true).is_ok());
        assert_eq!(
            check_name("bad name", false).unwrap_err().message,
            "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"
        );
        assert!(check_name(&"a".repeat(81), false).is_err());
        assert!(check_name("orders", true).is_err());
    }
}
