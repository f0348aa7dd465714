//! Message operations: SendMessage, SendMessageBatch, ReceiveMessage, DeleteMessage, DeleteMessageBatch,
//! ChangeMessageVisibility (SQS API reference, one section each), with the lifecycle the SQS developer guide
//! describes: delay queues, visibility timeout, retention, dead-letter redrive after `maxReceiveCount`, FIFO
//! ordering per message group and 5-minute deduplication.

use super::digest::{md5_hex, message_attributes_md5, sha256_hex};
use super::queue::{Message, Queue, DEDUPLICATION_WINDOW_MS};
use super::{authorize, errors, required_str, Sqs};
use crate::api::{AwsError, Caller};
use crate::cloud::Cloud;
use base64::Engine;
use serde_json::{json, Map, Value as Json};
use std::collections::BTreeSet;

/// What a message is sent with, once read from a request (or built by SNS delivery).
#[derive(Debug, Clone, Default)]
pub struct Outgoing {
    /// `MessageBody`.
    pub body: String,
    /// `MessageAttributes` (`{name: {DataType, StringValue | BinaryValue}}`).
    pub attributes: Json,
    /// `DelaySeconds`, when given (else the queue's).
    pub delay_seconds: Option<u64>,
    /// `MessageGroupId` (FIFO).
    pub group_id: Option<String>,
    /// `MessageDeduplicationId` (FIFO).
    pub deduplication_id: Option<String>,
}

/// `SenderId` for `caller`: `<RoleId>:<session>` for a role session, the account id for the root user (the
/// `aws:userid` value; SQS developer guide, `ReceiveMessage` `SenderId`).
pub fn sender_id(cloud: &Cloud, caller: &Caller) -> String {
    crate::iam::base_context(cloud, caller)
        .get("aws:userid")
        .and_then(|v| match v {
            crate::iam::context::ContextValue::Single(s) => Some(s.clone()),
            crate::iam::context::ContextValue::Multi(_) => None,
        })
        .unwrap_or_else(|| cloud.account_id.clone())
}

fn outgoing(input: &Json) -> Result<Outgoing, AwsError> {
    let body = match input.get("MessageBody") {
        Some(Json::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(errors::missing_parameter("MessageBody")),
    };
    let delay_seconds = match input.get("DelaySeconds") {
        None | Some(Json::Null) => None,
        Some(v) => Some(v.as_u64().filter(|n| *n <= 900).ok_or_else(|| {
            errors::invalid_parameter_value(v, "DelaySeconds", "DelaySeconds must be >= 0 and <= 900.")
        })?),
    };
    let text = |k: &str| input.get(k).and_then(Json::as_str).map(str::to_string);
    Ok(Outgoing {
        body,
        attributes: input.get("MessageAttributes").cloned().unwrap_or(Json::Null),
        delay_seconds,
        group_id: text("MessageGroupId"),
        deduplication_id: text("MessageDeduplicationId"),
    })
}

/// Puts one message on `queue` at virtual time `now`; answers SendMessage's output
/// (`{MessageId, MD5OfMessageBody, MD5OfMessageAttributes?, SequenceNumber?}`).
///
/// Errors: a body over `MaximumMessageSize` or with characters outside SQS's allowed set, FIFO messages without
/// `MessageGroupId` or deduplication id, a per-message delay on a FIFO queue (SendMessage Errors).
pub fn enqueue(queue: &mut Queue, cloud: &mut Cloud, sender: &str, message: Outgoing) -> Result<Json, AwsError> {
    let now = cloud.clock.now_millis();
    queue.expire(now);
    if message.body.len() as u64 > queue.config.maximum_message_size {
        return Err(errors::invalid_parameter(format!(
            "One or more parameters are invalid. Reason: Message must be shorter than {} bytes.",
            queue.config.maximum_message_size
        )));
    }
    // Allowed characters: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF
    // (SendMessage, MessageBody).
    if message
        .body
        .chars()
        .any(|c| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
    {
        return Err(AwsError::client(
            "InvalidMessageContents",
            "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
        ));
    }
    let md5_of_attributes = message_attributes_md5(&message.attributes)?;
    let md5_of_body = md5_hex(message.body.as_bytes());
    let (mut group_id, mut deduplication_id, mut sequence_number) = (None, None, None);
    if queue.config.fifo {
        if message.delay_seconds.is_some_and(|d| d > 0) {
            return Err(errors::invalid_parameter_value(
                message.delay_seconds.unwrap_or_default(),
                "DelaySeconds",
                "The request include parameter that is not valid for this queue type.",
            ));
        }
        group_id = Some(
            message
                .group_id
                .clone()
                .ok_or_else(|| errors::missing_parameter("MessageGroupId"))?,
        );
        let dedup = match (&message.deduplication_id, queue.config.content_based_deduplication) {
            (Some(id), _) => id.clone(),
            (None, true) => sha256_hex(message.body.as_bytes()),
            (None, false) => {
                return Err(errors::invalid_parameter(
                    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
                ))
            }
        };
        // A duplicate within the window is accepted and not delivered again ("Exactly-once processing"); SQS
        // answers the first message's id.
        if let Some((_, first_id)) = queue.deduplication.get(&dedup) {
            let mut out = json!({"MessageId": first_id, "MD5OfMessageBody": md5_of_body});
            add_optional(&mut out, "MD5OfMessageAttributes", md5_of_attributes);
            queue.sequence += 1;
            out["SequenceNumber"] = json!(sequence_text(queue.sequence));
            return Ok(out);
        }
        queue.sequence += 1;
        sequence_number = Some(sequence_text(queue.sequence));
        deduplication_id = Some(dedup);
    }
    let id = cloud.ids.uuid();
    if let Some(dedup) = &deduplication_id {
        queue
            .deduplication
            .insert(dedup.clone(), (now + DEDUPLICATION_WINDOW_MS, id.clone()));
    }
    let delay = message.delay_seconds.unwrap_or(queue.config.delay_seconds);
    let mut out = json!({"MessageId": id, "MD5OfMessageBody": md5_of_body});
    add_optional(&mut out, "MD5OfMessageAttributes", md5_of_attributes.clone());
    add_optional(&mut out, "SequenceNumber", sequence_number.clone());
    queue.messages.push(Message {
        id,
        body: message.body,
        md5_of_body,
        attributes: message.attributes,
        md5_of_attributes,
        sent_ms: now,
        visible_at_ms: now + delay * 1000,
        receive_count: 0,
        first_receive_ms: None,
        receipt_handle: None,
        sender_id: sender.to_string(),
        group_id,
        deduplication_id,
        sequence_number,
        dead_letter_source: None,
    });
    Ok(out)
}

/// FIFO sequence numbers are 20-digit strings (SendMessage, `SequenceNumber`: "The length of SequenceNumber is
/// 128 bits").
fn sequence_text(n: u64) -> String {
    format!("{:020}", 18_000_000_000_000_000_000u128 + u128::from(n))
}

fn add_optional(out: &mut Json, key: &str, value: Option<String>) {
    if let Some(v) = value {
        out[key] = json!(v);
    }
}

/// `SendMessage`: `{QueueUrl, MessageBody, DelaySeconds?, MessageAttributes?, MessageGroupId?,
/// MessageDeduplicationId?}`. IAM: `sqs:SendMessage` on the queue.
pub fn send_message(sqs: &mut Sqs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let url = required_str(input, "QueueUrl")?;
    let queue = sqs.queue_by_url(url)?;
    authorize(cloud, caller, "sqs:SendMessage", &queue.arn)?;
    let message = outgoing(input)?;
    let sender = sender_id(cloud, caller);
    enqueue(queue, cloud, &sender, message)
}

/// The entries of a batch request: 1 to 10, with distinct `Id`s (batch operations' Errors).
fn batch_entries<'a>(input: &'a Json, entry_type: &str) -> Result<&'a [Json], AwsError> {
    let entries = input
        .get("Entries")
        .and_then(Json::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if entries.is_empty() {
        return Err(errors::empty_batch_request(entry_type));
    }
    if entries.len() > 10 {
        return Err(errors::too_many_entries(entries.len()));
    }
    let mut seen = BTreeSet::new();
    for entry in entries {
        let id = entry.get("Id").and_then(Json::as_str).unwrap_or_default();
        if id.is_empty() || id.len() > 80 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(errors::invalid_batch_entry_id());
        }
        if !seen.insert(id) {
            return Err(errors::batch_entry_ids_not_distinct(id));
        }
    }
    Ok(entries)
}

fn failed_entry(id: &str, error: &AwsError) -> Json {
    json!({"Id": id, "SenderFault": error.status < 500, "Code": error.code, "Message": error.message})
}

fn batch_output(successful: Vec<Json>, failed: Vec<Json>) -> Json {
    json!({"Successful": successful, "Failed": failed})
}

/// `SendMessageBatch`: `{QueueUrl, Entries: [{Id, MessageBody, ...}]}` -> `{Successful: [{Id, MessageId,
/// MD5OfMessageBody, ...}], Failed: [{Id, SenderFault, Code, Message}]}`. IAM: `sqs:SendMessage` (batch actions
/// are authorized as their single action, SQS developer guide "Amazon SQS API permissions").
pub fn send_message_batch(sqs: &mut Sqs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let url = required_str(input, "QueueUrl")?;
    let queue = sqs.queue_by_url(url)?;
    authorize(cloud, caller, "sqs:SendMessage", &queue.arn)?;
    let entries = batch_entries(input, "SendMessageBatchRequestEntry")?;
    let sender = sender_id(cloud, caller);
    let (mut successful, mut failed) = (Vec::new(), Vec::new());
    for entry in entries {
        let id = entry.get("Id").and_then(Json::as_str).unwrap_or_default();
        match outgoing(entry).and_then(|m| enqueue(queue, cloud, &sender, m)) {
            Ok(mut out) => {
                out["Id"] = json!(id);
                successful.push(out);
            }
            Err(e) => failed.push(failed_entry(id, &e)),
        }
    }
    Ok(batch_output(successful, failed))
}

fn bounded(input: &Json, member: &str, max: u64, reason: &str) -> Result<Option<u64>, AwsError> {
    match input.get(member) {
        None | Some(Json::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .filter(|n| *n <= max)
            .map(Some)
            .ok_or_else(|| errors::invalid_parameter_value(v, member, reason)),
    }
}

/// `ReceiveMessage`: `{QueueUrl, MaxNumberOfMessages? (1-10), VisibilityTimeout?, WaitTimeSeconds? (0-20),
/// AttributeNames?, MessageSystemAttributeNames?, MessageAttributeNames?}` -> `{Messages: [{MessageId,
/// ReceiptHandle, MD5OfBody, Body, Attributes?, MD5OfMessageAttributes?, MessageAttributes?}]}` (no `Messages`
/// member when none is received).
///
/// Long polling runs on the virtual clock: with nothing visible, the clock advances to the moment a message
/// becomes visible within the wait, or by the whole wait ("Amazon SQS short and long polling"). Messages whose
/// receive count has reached the redrive policy's `maxReceiveCount` move to the dead-letter queue instead of
/// being received ("Using dead-letter queues"). FIFO queues deliver in order within a group and hold a group
/// while one of its messages is in flight.
pub fn receive_message(sqs: &mut Sqs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let url = required_str(input, "QueueUrl")?;
    let queue = sqs.queue_by_url(url)?;
    authorize(cloud, caller, "sqs:ReceiveMessage", &queue.arn)?;
    let max = match input.get("MaxNumberOfMessages") {
        None | Some(Json::Null) => 1,
        Some(v) => v.as_u64().filter(|n| (1..=10).contains(n)).ok_or_else(|| {
            errors::invalid_parameter_value(v, "MaxNumberOfMessages", "Must be between 1 and 10, if provided.")
        })? as usize,
    };
    let visibility = bounded(
        input,
        "VisibilityTimeout",
        43_200,
        "Must be >= 0 and <= 43200, if provided.",
    )?;
    let wait = bounded(input, "WaitTimeSeconds", 20, "Must be >= 0 and <= 20, if provided.")?;
    let wait = wait.unwrap_or(queue.config.wait_time);
    let deadline = cloud.clock.now_millis() + wait * 1000;
    let received = loop {
        let received = receive_now(sqs, cloud, url, max, visibility)?;
        if !received.is_empty() {
            break received;
        }
        let now = cloud.clock.now_millis();
        let next = sqs
            .queue_by_url(url)?
            .messages
            .iter()
            .map(|m| m.visible_at_ms)
            .filter(|t| *t > now)
            .min();
        match next {
            Some(t) if t <= deadline => cloud.clock.advance(t - now),
            _ => {
                cloud.clock.advance(deadline.saturating_sub(now));
                break received;
            }
        }
    };
    if received.is_empty() {
        return Ok(json!({}));
    }
    let system = requested_names(input, &["AttributeNames", "MessageSystemAttributeNames"]);
    let custom = requested_names(input, &["MessageAttributeNames"]);
    let queue = sqs.queue_by_url(url)?;
    let messages: Vec<Json> = received
        .iter()
        .filter_map(|(id, handle)| {
            queue
                .messages
                .iter()
                .find(|m| &m.id == id)
                .map(|m| output(m, handle, &system, &custom))
        })
        .collect();
    Ok(json!({ "Messages": messages }))
}

fn requested_names(input: &Json, members: &[&str]) -> Vec<String> {
    members
        .iter()
        .filter_map(|m| input.get(*m).and_then(Json::as_array))
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// Receives up to `max` visible messages at the current time; answers `(message id, receipt handle)` pairs.
fn receive_now(
    sqs: &mut Sqs,
    cloud: &mut Cloud,
    url: &str,
    max: usize,
    visibility: Option<u64>,
) -> Result<Vec<(String, String)>, AwsError> {
    let now = cloud.clock.now_millis();
    let queue = sqs.queue_by_url(url)?;
    queue.expire(now);
    let redrive = queue.config.redrive.clone();
    let source_arn = queue.arn.clone();
    let visibility_ms = visibility.unwrap_or(queue.config.visibility_timeout) * 1000;
    let fifo = queue.config.fifo;
    // FIFO: a group with a message in flight is held back (FIFO delivery logic, SQS developer guide).
    let mut held: BTreeSet<String> = BTreeSet::new();
    if fifo {
        for m in queue
            .messages
            .iter()
            .filter(|m| m.visible_at_ms > now && m.receive_count > 0)
        {
            held.extend(m.group_id.clone());
        }
    }
    let mut dead = Vec::new();
    let mut received = Vec::new();
    let mut index = 0;
    while index < queue.messages.len() && received.len() < max {
        let m = &queue.messages[index];
        let group = m.group_id.clone().unwrap_or_default();
        if m.visible_at_ms > now || (fifo && held.contains(&group)) {
            if fifo {
                held.insert(group);
            }
            index += 1;
            continue;
        }
        if let Some((_, max_receives)) = &redrive {
            if m.receive_count >= *max_receives {
                dead.push(queue.messages.remove(index));
                continue;
            }
        }
        let handle = receipt_handle(cloud, &source_arn, &queue.messages[index].id);
        let m = &mut queue.messages[index];
        m.receive_count += 1;
        m.first_receive_ms.get_or_insert(now);
        m.visible_at_ms = now + visibility_ms;
        m.receipt_handle = Some(handle.clone());
        received.push((m.id.clone(), handle));
        index += 1;
    }
    if let (Some((dlq_arn, _)), false) = (redrive, dead.is_empty()) {
        // The dead-letter queue keeps the message id, body, attributes and sent time; its receive count starts
        // again (AWS does not document it; the reading moto shares) and it records its source queue.
        if let Some(dlq) = sqs.queue_by_arn(&dlq_arn) {
            for mut m in dead {
                m.receive_count = 0;
                m.first_receive_ms = None;
                m.receipt_handle = None;
                m.visible_at_ms = now;
                m.dead_letter_source = Some(source_arn.clone());
                dlq.messages.push(m);
            }
        }
    }
    Ok(received)
}

/// A receipt handle: base64 of the queue ARN, the message id and a seeded nonce, so that every receive gives a new
/// handle (SQS developer guide, "Amazon SQS queue and message identifiers").
fn receipt_handle(cloud: &mut Cloud, queue_arn: &str, message_id: &str) -> String {
    let nonce = cloud.ids.string(16, crate::cloud::MIXED_ALPHANUMERIC);
    base64::engine::general_purpose::STANDARD.encode(format!("{queue_arn} {message_id} {nonce}"))
}

/// The message id a receipt handle names, or `ReceiptHandleIsInvalid`.
fn handle_message_id(handle: &str) -> Result<String, AwsError> {
    base64::engine::general_purpose::STANDARD
        .decode(handle)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|text| {
            let mut parts = text.split(' ');
            let (_, id, _) = (parts.next()?, parts.next()?, parts.next()?);
            Some(id.to_string())
        })
        .ok_or_else(|| errors::receipt_handle_is_invalid(handle))
}

fn output(m: &Message, handle: &str, system: &[String], custom: &[String]) -> Json {
    let mut out = json!({
        "MessageId": m.id,
        "ReceiptHandle": handle,
        "MD5OfBody": m.md5_of_body,
        "Body": m.body,
    });
    let all = system.iter().any(|n| n == "All");
    let mut attributes = Map::new();
    let mut add = |name: &str, value: Option<String>| {
        if let Some(v) = value {
            if all || system.iter().any(|n| n == name) {
                attributes.insert(name.to_string(), json!(v));
            }
        }
    };
    // The order of the SQS event record sample (Lambda developer guide, "Using Lambda with Amazon SQS").
    add("ApproximateReceiveCount", Some(m.receive_count.to_string()));
    add("SentTimestamp", Some(m.sent_ms.to_string()));
    add("SequenceNumber", m.sequence_number.clone());
    add("MessageGroupId", m.group_id.clone());
    add("SenderId", Some(m.sender_id.clone()));
    add("MessageDeduplicationId", m.deduplication_id.clone());
    add(
        "ApproximateFirstReceiveTimestamp",
        m.first_receive_ms.map(|t| t.to_string()),
    );
    add("DeadLetterQueueSourceArn", m.dead_letter_source.clone());
    if !attributes.is_empty() {
        out["Attributes"] = Json::Object(attributes);
    }
    let wanted = |name: &str| {
        custom
            .iter()
            .any(|n| n == "All" || n == ".*" || n == name || n.strip_suffix(".*").is_some_and(|p| name.starts_with(p)))
    };
    if let Some(map) = m.attributes.as_object() {
        let selected: Map<String, Json> = map
            .iter()
            .filter(|(k, _)| wanted(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some(md5) = &m.md5_of_attributes {
            out["MD5OfMessageAttributes"] = json!(md5);
        }
        if !selected.is_empty() {
            out["MessageAttributes"] = Json::Object(selected);
        }
    }
    out
}

/// Deletes the message `handle` names when it is the message's latest receipt handle. An older handle or an
/// already deleted message succeeds without effect (DeleteMessage: "the request succeeds, but the message will
/// not be deleted").
fn delete_by_handle(queue: &mut Queue, handle: &str) -> Result<(), AwsError> {
    let id = handle_message_id(handle)?;
    // One search that stops at the message (usually near the front), not a pass over the whole queue.
    if let Some(index) = queue
        .messages
        .iter()
        .position(|m| m.id == id && m.receipt_handle.as_deref() == Some(handle))
    {
        queue.messages.remove(index);
    }
    Ok(())
}

/// `DeleteMessage`: `{QueueUrl, ReceiptHandle}` -> `{}`. IAM: `sqs:DeleteMessage`.
pub fn delete_message(sqs: &mut Sqs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let url = required_str(input, "QueueUrl")?;
    let queue = sqs.queue_by_url(url)?;
    authorize(cloud, caller, "sqs:DeleteMessage", &queue.arn)?;
    let handle = required_str(input, "ReceiptHandle")?;
    delete_by_handle(queue, handle)?;
    Ok(json!({}))
}

/// `DeleteMessageBatch`: `{QueueUrl, Entries: [{Id, ReceiptHandle}]}` -> `{Successful: [{Id}], Failed}`.
pub fn delete_message_batch(sqs: &mut Sqs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let url = required_str(input, "QueueUrl")?;
    let queue = sqs.queue_by_url(url)?;
    authorize(cloud, caller, "sqs:DeleteMessage", &queue.arn)?;
    let entries = batch_entries(input, "DeleteMessageBatchRequestEntry")?;
    let (mut successful, mut failed) = (Vec::new(), Vec::new());
    for entry in entries {
        let id = entry.get("Id").and_then(Json::as_str).unwrap_or_default();
        match required_str(entry, "ReceiptHandle").and_then(|h| delete_by_handle(queue, h)) {
            Ok(()) => successful.push(json!({ "Id": id })),
            Err(e) => failed.push(failed_entry(id, &e)),
        }
    }
    Ok(batch_output(successful, failed))
}

/// `ChangeMessageVisibility`: `{QueueUrl, ReceiptHandle, VisibilityTimeout}` -> `{}`: the message becomes visible
/// `VisibilityTimeout` seconds from now (0 makes it visible at once).
///
/// Errors: a handle that is not in flight: `InvalidParameterValue` "Value <handle> for parameter ReceiptHandle is
/// invalid. Reason: Message does not exist or is not available for visibility timeout change." (AWS's text).
pub fn change_message_visibility(
    sqs: &mut Sqs,
    cloud: &mut Cloud,
    caller: &Caller,
    input: &Json,
) -> Result<Json, AwsError> {
    let url = required_str(input, "QueueUrl")?;
    let queue = sqs.queue_by_url(url)?;
    authorize(cloud, caller, "sqs:ChangeMessageVisibility", &queue.arn)?;
    let now = cloud.clock.now_millis();
    change_visibility(queue, now, input)?;
    Ok(json!({}))
}

/// Changes the visibility of the message an entry (`{ReceiptHandle, VisibilityTimeout}`) names.
fn change_visibility(queue: &mut Queue, now: u64, input: &Json) -> Result<(), AwsError> {
    let handle = required_str(input, "ReceiptHandle")?;
    let timeout = bounded(input, "VisibilityTimeout", 43_200, "Must be >= 0 and <= 43200.")?
        .ok_or_else(|| errors::missing_parameter("VisibilityTimeout"))?;
    let id = handle_message_id(handle)?;
    let message = queue
        .messages
        .iter_mut()
        .find(|m| m.id == id && m.receipt_handle.as_deref() == Some(handle) && m.visible_at_ms > now)
        .ok_or_else(|| {
            errors::invalid_parameter_value(
                handle,
                "ReceiptHandle",
                "Message does not exist or is not available for visibility timeout change.",
            )
        })?;
    message.visible_at_ms = now + timeout * 1000;
    Ok(())
}

/// `ChangeMessageVisibilityBatch`: `{QueueUrl, Entries: [{Id, ReceiptHandle, VisibilityTimeout}]}` ->
/// `{Successful: [{Id}], Failed}`. IAM: `sqs:ChangeMessageVisibility`.
pub fn change_message_visibility_batch(
    sqs: &mut Sqs,
    cloud: &mut Cloud,
    caller: &Caller,
    input: &Json,
) -> Result<Json, AwsError> {
    let url = required_str(input, "QueueUrl")?;
    let queue = sqs.queue_by_url(url)?;
    authorize(cloud, caller, "sqs:ChangeMessageVisibility", &queue.arn)?;
    let entries = batch_entries(input, "ChangeMessageVisibilityBatchRequestEntry")?;
    let now = cloud.clock.now_millis();
    let (mut successful, mut failed) = (Vec::new(), Vec::new());
    for entry in entries {
        let id = entry.get("Id").and_then(Json::as_str).unwrap_or_default();
        match change_visibility(queue, now, entry) {
            Ok(()) => successful.push(json!({ "Id": id })),
            Err(e) => failed.push(failed_entry(id, &e)),
        }
    }
    Ok(batch_output(successful, failed))
}
