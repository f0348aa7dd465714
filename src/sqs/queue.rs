//! A queue and its messages: configuration attributes (SQS API reference, `SetQueueAttributes`), the message
//! lifecycle (delay, visibility timeout, retention, receive count, redrive) and FIFO bookkeeping.
//!
//! Times are virtual milliseconds ([`crate::cloud::VirtualClock`]); attribute values are seconds, as SQS writes
//! them.

use super::errors;
use crate::api::AwsError;
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;

/// Defaults and limits from the API reference (`SetQueueAttributes`): visibility 30 s (0..=43200), delay 0
/// (0..=900), retention 345600 s = 4 days (60..=1209600), maximum size 262144 bytes (1024..=262144), wait 0
/// (0..=20).
pub const DEFAULT_VISIBILITY_TIMEOUT: u64 = 30;
/// Default `MessageRetentionPeriod`, seconds.
pub const DEFAULT_RETENTION: u64 = 345_600;
/// Default and largest `MaximumMessageSize`, bytes.
pub const MAX_MESSAGE_SIZE: u64 = 262_144;
/// The FIFO deduplication interval: 5 minutes ("Exactly-once processing in Amazon SQS").
pub const DEDUPLICATION_WINDOW_MS: u64 = 300_000;

/// A queue's configuration (the settable attributes).
#[derive(Debug, Clone, PartialEq)]
pub struct QueueConfig {
    /// `VisibilityTimeout`, seconds.
    pub visibility_timeout: u64,
    /// `DelaySeconds`.
    pub delay_seconds: u64,
    /// `MessageRetentionPeriod`, seconds.
    pub retention: u64,
    /// `MaximumMessageSize`, bytes.
    pub maximum_message_size: u64,
    /// `ReceiveMessageWaitTimeSeconds`.
    pub wait_time: u64,
    /// `FifoQueue`.
    pub fifo: bool,
    /// `ContentBasedDeduplication` (FIFO only).
    pub content_based_deduplication: bool,
    /// `RedrivePolicy`: the dead-letter queue's ARN and `maxReceiveCount`.
    pub redrive: Option<(String, u64)>,
    /// `Policy` (kept as given; the simulator does not evaluate queue policies yet).
    pub policy: Option<String>,
}

impl Default for QueueConfig {
    fn default() -> Self {
        QueueConfig {
            visibility_timeout: DEFAULT_VISIBILITY_TIMEOUT,
            delay_seconds: 0,
            retention: DEFAULT_RETENTION,
            maximum_message_size: MAX_MESSAGE_SIZE,
            wait_time: 0,
            fifo: false,
            content_based_deduplication: false,
            redrive: None,
            policy: None,
        }
    }
}

/// One message in a queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// `MessageId` (a UUID).
    pub id: String,
    /// `Body`.
    pub body: String,
    /// `MD5OfBody`.
    pub md5_of_body: String,
    /// `MessageAttributes` as sent (`{name: {DataType, StringValue | BinaryValue}}`).
    pub attributes: Json,
    /// `MD5OfMessageAttributes`, when there are attributes.
    pub md5_of_attributes: Option<String>,
    /// `SentTimestamp`, virtual ms.
    pub sent_ms: u64,
    /// When it is next visible (after its delay, or when its visibility timeout ends).
    pub visible_at_ms: u64,
    /// `ApproximateReceiveCount`.
    pub receive_count: u64,
    /// `ApproximateFirstReceiveTimestamp`.
    pub first_receive_ms: Option<u64>,
    /// The receipt handle of the latest receive.
    pub receipt_handle: Option<String>,
    /// `SenderId`.
    pub sender_id: String,
    /// FIFO: `MessageGroupId`, `MessageDeduplicationId`, `SequenceNumber`.
    pub group_id: Option<String>,
    /// FIFO deduplication id.
    pub deduplication_id: Option<String>,
    /// FIFO sequence number.
    pub sequence_number: Option<String>,
    /// `DeadLetterQueueSourceArn`, once redriven.
    pub dead_letter_source: Option<String>,
}

/// A queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Queue {
    /// `QueueName`.
    pub name: String,
    /// `QueueUrl`: `https://sqs.<region>.amazonaws.com/<account>/<name>`.
    pub url: String,
    /// `QueueArn`.
    pub arn: String,
    /// The settable attributes.
    pub config: QueueConfig,
    /// `CreatedTimestamp`, virtual ms.
    pub created_ms: u64,
    /// `LastModifiedTimestamp`, virtual ms.
    pub modified_ms: u64,
    /// Messages in send order (FIFO order for FIFO queues).
    pub messages: Vec<Message>,
    /// FIFO deduplication ids seen: id -> (expiry ms, message id).
    pub deduplication: BTreeMap<String, (u64, String)>,
    /// The last FIFO sequence number given.
    pub sequence: u64,
    /// Tags.
    pub tags: BTreeMap<String, String>,
}

impl Queue {
    /// Drops messages older than the retention period at `now` (API reference, `MessageRetentionPeriod`).
    pub fn expire(&mut self, now: u64) {
        let retention_ms = self.config.retention.saturating_mul(1000);
        self.messages.retain(|m| m.sent_ms.saturating_add(retention_ms) > now);
        self.deduplication.retain(|_, (expiry, _)| *expiry > now);
    }

    /// `ApproximateNumberOfMessages`, `...NotVisible` (in flight) and `...Delayed` at `now`.
    pub fn counts(&self, now: u64) -> (usize, usize, usize) {
        let mut visible = 0;
        let mut in_flight = 0;
        let mut delayed = 0;
        for m in &self.messages {
            if m.visible_at_ms <= now {
                visible += 1;
            } else if m.receive_count > 0 {
                in_flight += 1;
            } else {
                delayed += 1;
            }
        }
        (visible, in_flight, delayed)
    }

    /// Every attribute of the queue as GetQueueAttributes names them (API reference, `GetQueueAttributes`).
    pub fn all_attributes(&self, now: u64) -> BTreeMap<&'static str, String> {
        let (visible, in_flight, delayed) = self.counts(now);
        let c = &self.config;
        let mut out = BTreeMap::new();
        out.insert("QueueArn", self.arn.clone());
        out.insert("ApproximateNumberOfMessages", visible.to_string());
        out.insert("ApproximateNumberOfMessagesNotVisible", in_flight.to_string());
        out.insert("ApproximateNumberOfMessagesDelayed", delayed.to_string());
        out.insert("CreatedTimestamp", (self.created_ms / 1000).to_string());
        out.insert("LastModifiedTimestamp", (self.modified_ms / 1000).to_string());
        out.insert("VisibilityTimeout", c.visibility_timeout.to_string());
        out.insert("MaximumMessageSize", c.maximum_message_size.to_string());
        out.insert("MessageRetentionPeriod", c.retention.to_string());
        out.insert("DelaySeconds", c.delay_seconds.to_string());
        out.insert("ReceiveMessageWaitTimeSeconds", c.wait_time.to_string());
        // New queues use SSE-SQS by default since 2022 ("Encryption at rest", SQS developer guide).
        out.insert("SqsManagedSseEnabled", "true".to_string());
        if let Some((arn, max)) = &c.redrive {
            out.insert(
                "RedrivePolicy",
                json!({"deadLetterTargetArn": arn, "maxReceiveCount": max}).to_string(),
            );
        }
        if let Some(policy) = &c.policy {
            out.insert("Policy", policy.clone());
        }
        if c.fifo {
            out.insert("FifoQueue", "true".to_string());
            out.insert("ContentBasedDeduplication", c.content_based_deduplication.to_string());
            out.insert("DeduplicationScope", "queue".to_string());
            out.insert("FifoThroughputLimit", "perQueue".to_string());
        }
        out
    }
}

/// The attribute names GetQueueAttributes knows.
pub const ATTRIBUTE_NAMES: &[&str] = &[
    "All",
    "Policy",
    "VisibilityTimeout",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "QueueArn",
    "ApproximateNumberOfMessagesDelayed",
    "DelaySeconds",
    "ReceiveMessageWaitTimeSeconds",
    "RedrivePolicy",
    "FifoQueue",
    "ContentBasedDeduplication",
    "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds",
    "DeduplicationScope",
    "FifoThroughputLimit",
    "RedriveAllowPolicy",
    "SqsManagedSseEnabled",
];

/// Applies the settable attributes in `attributes` (string values, as the API carries them) to `config`.
/// `creating` allows `FifoQueue` (it cannot be changed later).
///
/// Errors: an unknown name (`InvalidAttributeName`), a value out of its documented range
/// (`InvalidAttributeValue`), `FifoQueue` on an existing queue or a FIFO-only attribute on a standard queue.
pub fn apply_attributes(config: &mut QueueConfig, attributes: &Json, creating: bool) -> Result<(), AwsError> {
    let Some(map) = attributes.as_object() else {
        return Ok(());
    };
    // FifoQueue first: ContentBasedDeduplication depends on it.
    if let Some(value) = map.get("FifoQueue") {
        if !creating {
            return Err(errors::invalid_attribute_name("FifoQueue"));
        }
        config.fifo = parse_bool("FifoQueue", value)?;
    }
    for (name, value) in map {
        match name.as_str() {
            "FifoQueue" => {}
            "VisibilityTimeout" => config.visibility_timeout = parse_range(name, value, 0, 43_200)?,
            "DelaySeconds" => config.delay_seconds = parse_range(name, value, 0, 900)?,
            "MessageRetentionPeriod" => config.retention = parse_range(name, value, 60, 1_209_600)?,
            "MaximumMessageSize" => config.maximum_message_size = parse_range(name, value, 1024, MAX_MESSAGE_SIZE)?,
            "ReceiveMessageWaitTimeSeconds" => config.wait_time = parse_range(name, value, 0, 20)?,
            "ContentBasedDeduplication" => {
                if !config.fifo {
                    return Err(errors::invalid_attribute_name(name));
                }
                config.content_based_deduplication = parse_bool(name, value)?;
            }
            "RedrivePolicy" => config.redrive = parse_redrive(value)?,
            "Policy" => config.policy = text(value).filter(|s| !s.is_empty()),
            "SqsManagedSseEnabled"
            | "KmsMasterKeyId"
            | "KmsDataKeyReusePeriodSeconds"
            | "DeduplicationScope"
            | "FifoThroughputLimit"
            | "RedriveAllowPolicy" => {
                // Accepted and not modelled: encryption and throughput settings change no observable behaviour
                // here. Anything else below is refused.
            }
            other => return Err(errors::invalid_attribute_name(other)),
        }
    }
    Ok(())
}

/// A value as text: strings as they are, numbers and booleans written out (templates carry either).
pub fn text(value: &Json) -> Option<String> {
    match value {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        Json::Object(_) => Some(value.to_string()),
        _ => None,
    }
}

fn parse_range(name: &str, value: &Json, min: u64, max: u64) -> Result<u64, AwsError> {
    text(value)
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| errors::invalid_attribute_value(name))
}

fn parse_bool(name: &str, value: &Json) -> Result<bool, AwsError> {
    match text(value).as_deref() {
        Some("true") => Ok(true),
        Some("false") => Ok(false),
        _ => Err(errors::invalid_attribute_value(name)),
    }
}

/// `RedrivePolicy`: a JSON object (or its text) with `deadLetterTargetArn` and `maxReceiveCount` (1..=1000);
/// an empty string removes it (API reference, `SetQueueAttributes`).
fn parse_redrive(value: &Json) -> Result<Option<(String, u64)>, AwsError> {
    let parsed = match value {
        Json::String(s) if s.is_empty() => return Ok(None),
        Json::String(s) => {
            serde_json::from_str::<Json>(s).map_err(|_| errors::invalid_attribute_value("RedrivePolicy"))?
        }
        other => other.clone(),
    };
    let arn = parsed.get("deadLetterTargetArn").and_then(Json::as_str);
    let max = parsed
        .get("maxReceiveCount")
        .and_then(|v| text(v)?.trim().parse::<u64>().ok());
    match (arn, max) {
        (Some(arn), Some(max)) if (1..=1000).contains(&max) => Ok(Some((arn.to_string(), max))),
        _ => Err(errors::invalid_attribute_value("RedrivePolicy")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_checked_against_their_documented_ranges() {
        let mut c = QueueConfig::default();
        apply_attributes(&mut c, &json!({"VisibilityTimeout": "5", "DelaySeconds": 2}), true).unwrap();
        assert_eq!((c.visibility_timeout, c.delay_seconds), (5, 2));
        let err = apply_attributes(&mut c, &json!({"DelaySeconds": "901"}), false).unwrap_err();
        assert_eq!(err.code, "InvalidAttributeValue");
        assert_eq!(err.message, "Invalid value for the parameter DelaySeconds.");
        let err = apply_attributes(&mut c, &json!({"Colour": "red"}), false).unwrap_err();
        assert_eq!(
            (err.code.as_str(), err.message.as_str()),
            ("InvalidAttributeName", "Unknown Attribute Colour.")
        );
    }

    #[test]
    fn a_redrive_policy_is_json_text_or_an_object() {
        let mut c = QueueConfig::default();
        let policy = r#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":"2"}"#;
        apply_attributes(&mut c, &json!({ "RedrivePolicy": policy }), false).unwrap();
        assert_eq!(c.redrive, Some(("arn:aws:sqs:us-east-1:123456789012:dlq".into(), 2)));
        apply_attributes(&mut c, &json!({"RedrivePolicy": ""}), false).unwrap();
        assert_eq!(c.redrive, None);
        assert!(apply_attributes(&mut c, &json!({"RedrivePolicy": "{"}), false).is_err());
    }
}
