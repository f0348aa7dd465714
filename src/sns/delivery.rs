//! Delivering a notification to a subscription: the JSON envelope an SQS queue receives (or the raw message), and
//! the event record a Lambda function is invoked with, as the SNS developer guide ("Amazon SNS message and JSON
//! formats", "Fanout to Lambda functions") and the Lambda developer guide ("Using Lambda with Amazon SNS") show
//! them.
//!
//! The simulator signs nothing: `Signature` is a seeded base64 string of a real signature's length (256 bytes)
//! and `SigningCertURL` names a certificate that does not exist. Deliveries that fail (a deleted queue, a queue whose
//! policy does not let the topic send, a function without a permission for `sns.amazonaws.com`) are dropped, as SNS drops them after its retries; delivery status
//! logs are not simulated.

use super::topic::Subscription;
use crate::cloud::Cloud;
use crate::lambda::{self, InvocationType};
use crate::sqs::messages::{enqueue, Outgoing};
use crate::sqs::Sqs;
use base64::Engine;
use serde_json::{json, Map, Value as Json};

/// One published message, as every subscription of the topic sees it.
#[derive(Debug, Clone)]
pub struct Notification {
    /// `MessageId` (a UUID).
    pub message_id: String,
    /// `TopicArn`.
    pub topic_arn: String,
    /// `Subject`, when given.
    pub subject: Option<String>,
    /// The message text when no protocol-specific text applies.
    pub message: String,
    /// `MessageStructure: json` messages: the per-protocol texts (`sqs`, `lambda`, ...).
    pub per_protocol: Option<Map<String, Json>>,
    /// `Timestamp`, virtual ms.
    pub timestamp_ms: u64,
    /// `MessageAttributes` as published (`{name: {DataType, StringValue | BinaryValue}}`).
    pub attributes: Json,
    /// `Signature` (see the module docs).
    pub signature: String,
    /// FIFO topics: `MessageGroupId`, `MessageDeduplicationId`, `SequenceNumber`.
    pub group_id: Option<String>,
    /// FIFO deduplication id.
    pub deduplication_id: Option<String>,
}

impl Notification {
    /// The text `protocol` receives: its own entry of a `json` structure, else the default.
    pub fn text_for(&self, protocol: &str) -> &str {
        self.per_protocol
            .as_ref()
            .and_then(|m| m.get(protocol))
            .and_then(Json::as_str)
            .unwrap_or(&self.message)
    }
}

/// A seeded stand-in for a signature: 256 bytes, base64 (module docs).
pub fn signature(cloud: &mut Cloud) -> String {
    let bytes: Vec<u8> = (0..32).flat_map(|_| cloud.ids.next_u64().to_be_bytes()).collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `Timestamp`: ISO 8601 with milliseconds, UTC (`2026-01-01T00:00:00.000Z`).
pub fn timestamp(millis: u64) -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

fn signing_cert_url(cloud: &Cloud) -> String {
    format!(
        "https://sns.{}.{}/SimpleNotificationService-{}.pem",
        cloud.region,
        cloud.url_suffix(),
        crate::sqs::digest::md5_hex(b"SimpleNotificationService")
    )
}

fn unsubscribe_url(cloud: &Cloud, subscription_arn: &str) -> String {
    format!(
        "https://sns.{}.{}/?Action=Unsubscribe&SubscriptionArn={subscription_arn}",
        cloud.region,
        cloud.url_suffix()
    )
}

/// Message attributes as SNS writes them in envelopes and Lambda records: `{name: {Type, Value}}` (binary values
/// stay base64).
pub fn typed_attributes(attributes: &Json) -> Map<String, Json> {
    attributes
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, v)| {
            let value = v
                .get("StringValue")
                .or_else(|| v.get("BinaryValue"))
                .cloned()
                .unwrap_or(Json::Null);
            (
                name.clone(),
                json!({"Type": v.get("DataType").cloned().unwrap_or(Json::Null), "Value": value}),
            )
        })
        .collect()
}

/// The body an SQS subscription without raw delivery receives: SNS's JSON envelope, written as SNS writes it
/// (two-space indentation, ` : ` between names and values, attributes one per line). `Subject` appears only when
/// one was published; `MessageAttributes` only when there are attributes (same source).
pub fn sqs_envelope(cloud: &Cloud, subscription: &Subscription, n: &Notification) -> String {
    let s = |v: &str| Json::String(v.to_string()).to_string();
    let mut fields = vec![("Type", s("Notification")), ("MessageId", s(&n.message_id))];
    if n.group_id.is_some() {
        if let Some(seq) = &n.deduplication_id {
            fields.push(("MessageDeduplicationId", s(seq)));
        }
    }
    fields.push(("TopicArn", s(&n.topic_arn)));
    if let Some(subject) = &n.subject {
        fields.push(("Subject", s(subject)));
    }
    fields.push(("Message", s(n.text_for("sqs"))));
    fields.push(("Timestamp", s(&timestamp(n.timestamp_ms))));
    fields.push(("SignatureVersion", s("1")));
    fields.push(("Signature", s(&n.signature)));
    fields.push(("SigningCertURL", s(&signing_cert_url(cloud))));
    fields.push(("UnsubscribeURL", s(&unsubscribe_url(cloud, &subscription.arn))));
    let attributes = typed_attributes(&n.attributes);
    if !attributes.is_empty() {
        let lines: Vec<String> = attributes.iter().map(|(k, v)| format!("    {} : {v}", s(k))).collect();
        fields.push(("MessageAttributes", format!("{{\n{}\n  }}", lines.join(",\n"))));
    }
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("  \"{k}\" : {v}")).collect();
    format!("{{\n{}\n}}", body.join(",\n"))
}

/// The event a Lambda subscription is invoked with (Lambda developer guide, "Using Lambda with Amazon SNS"; the
/// `sam local generate-event sns notification` shape): `Subject` is `null` when none was published, and the URL
/// members are spelt `SigningCertUrl` / `UnsubscribeUrl` here.
pub fn lambda_event(cloud: &Cloud, subscription: &Subscription, n: &Notification) -> Json {
    json!({"Records": [{
        "EventSource": "aws:sns",
        "EventVersion": "1.0",
        "EventSubscriptionArn": subscription.arn,
        "Sns": {
            "Type": "Notification",
            "MessageId": n.message_id,
            "TopicArn": n.topic_arn,
            "Subject": n.subject,
            "Message": n.text_for("lambda"),
            "Timestamp": timestamp(n.timestamp_ms),
            "SignatureVersion": "1",
            "Signature": n.signature,
            "SigningCertUrl": signing_cert_url(cloud),
            "UnsubscribeUrl": unsubscribe_url(cloud, &subscription.arn),
            "MessageAttributes": typed_attributes(&n.attributes),
        }
    }]})
}

/// Delivers `n` to `subscription`: an SQS message (envelope or raw, sent by SNS) or an asynchronous Lambda
/// invocation as `sns.amazonaws.com` from the topic, which the function's resource policy must allow.
pub fn deliver(cloud: &mut Cloud, subscription: &Subscription, n: &Notification) {
    match subscription.protocol.as_str() {
        "sqs" => deliver_to_queue(cloud, subscription, n),
        "lambda" => {
            let allowed = cloud.service::<lambda::Lambda>().is_some_and(|l| {
                lambda::permissions::allows_invoke(
                    l,
                    &subscription.endpoint,
                    &lambda::permissions::InvokeSource {
                        principal: "sns.amazonaws.com",
                        source_arn: &n.topic_arn,
                        source_account: &cloud.account_id,
                    },
                )
            });
            if allowed {
                let event = lambda_event(cloud, subscription, n).to_string();
                // An asynchronous invoke: its outcome is the function's, not the publisher's.
                let _ = lambda::invoke(cloud, &subscription.endpoint, InvocationType::Event, &event);
            }
        }
        _ => {}
    }
}

/// The `SenderId` of messages SNS sends to queues. AWS does not document SNS's sender id; this placeholder is
/// moto's default sender id (unknown on AWS).
pub const SNS_SENDER_ID: &str = "AIDAIT2UOQQY3AUEKVGXU";

fn deliver_to_queue(cloud: &mut Cloud, subscription: &Subscription, n: &Notification) {
    let account = cloud.account_id.clone();
    // The queue's policy must let the topic send (crate::sqs::policy); otherwise SNS's delivery fails.
    let Some(name) = cloud
        .service_mut::<Sqs>()
        .and_then(|sqs| sqs.queue_by_arn(&subscription.endpoint))
        .filter(|q| {
            crate::sqs::policy::allows_service(q, "sns.amazonaws.com", "sqs:SendMessage", &n.topic_arn, &account)
        })
        .map(|q| q.name.clone())
    else {
        return;
    };
    // Taken out while the message is added, so that the clock and ids stay at hand.
    let Some(mut queue) = cloud.service_mut::<Sqs>().and_then(|sqs| sqs.queues.remove(&name)) else {
        return;
    };
    let message = if subscription.raw {
        Outgoing {
            body: n.text_for("sqs").to_string(),
            attributes: n.attributes.clone(),
            ..Outgoing::default()
        }
    } else {
        Outgoing {
            body: sqs_envelope(cloud, subscription, n),
            ..Outgoing::default()
        }
    };
    let message = Outgoing {
        group_id: n.group_id.clone(),
        deduplication_id: n.deduplication_id.clone(),
        ..message
    };
    let _ = enqueue(&mut queue, cloud, SNS_SENDER_ID, message);
    if let Some(sqs) = cloud.service_mut::<Sqs>() {
        sqs.queues.insert(name, queue);
    }
}
