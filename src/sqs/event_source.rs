//! Lambda event source mappings for SQS ("Using Lambda with Amazon SQS", Lambda developer guide; lambda-facts
//! §5.1): a poller receives batches from the queue, invokes the function synchronously with the SQS event, and
//! deletes the batch when the function succeeds. When it fails the batch stays in flight and returns after the
//! queue's visibility timeout (and, with a redrive policy, ends in the dead-letter queue after
//! `maxReceiveCount`). With `FunctionResponseTypes: [ReportBatchItemFailures]` a successful response's
//! `batchItemFailures[].itemIdentifier` names the messages to keep; the rest are deleted.
//!
//! The poller runs when the engine drives it: [`poll_event_sources`] drains the mapped queues at the current
//! virtual time, [`advance`] moves the clock forward and polls at each moment a message becomes visible.
//! `MaximumBatchingWindowInSeconds` is recorded but batches are not held back to fill (the poller takes what is
//! visible). The poller acts for the account (no IAM check of the execution role's `sqs:ReceiveMessage`).

use super::Sqs;
use crate::api::{ApiRequest, Caller};
use crate::cloud::Cloud;
use crate::lambda::{self, InvocationType};
use crate::template::StackResource;
use serde_json::{json, Map, Value as Json};

/// Default `BatchSize` for SQS (CreateEventSourceMapping, `BatchSize`: "Amazon SQS – Default 10").
pub const DEFAULT_BATCH_SIZE: u64 = 10;
/// Rounds one [`poll_event_sources`] call makes at most, so a function that always fails cannot spin forever.
pub const MAX_ROUNDS: usize = 10_000;

/// An SQS event source mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct EventSourceMapping {
    /// `UUID` (the resource's physical id).
    pub uuid: String,
    /// `FunctionName` (name or ARN).
    pub function_name: String,
    /// `EventSourceArn`: the queue's ARN.
    pub queue_arn: String,
    /// `BatchSize` (1..=10000).
    pub batch_size: u64,
    /// `Enabled`.
    pub enabled: bool,
    /// `FunctionResponseTypes` contains `ReportBatchItemFailures`.
    pub report_batch_item_failures: bool,
    /// `MaximumBatchingWindowInSeconds`.
    pub batching_window_seconds: u64,
}

/// The mapping an `AWS::Lambda::EventSourceMapping` resource describes, when its source is an SQS queue (other
/// sources are left to the services that own them).
pub fn from_resource(resource: &StackResource) -> Option<EventSourceMapping> {
    let p = &resource.properties;
    let text = |k: &str| p.get(k).and_then(super::queue::text);
    let queue_arn = text("EventSourceArn").filter(|a| a.contains(":sqs:"))?;
    let number = |k: &str| text(k).and_then(|s| s.trim().parse::<u64>().ok());
    Some(EventSourceMapping {
        uuid: resource.physical_id.clone(),
        function_name: text("FunctionName").unwrap_or_default(),
        queue_arn,
        batch_size: number("BatchSize").unwrap_or(DEFAULT_BATCH_SIZE),
        enabled: text("Enabled").is_none_or(|s| s != "false"),
        report_batch_item_failures: p
            .get("FunctionResponseTypes")
            .and_then(Json::as_array)
            .is_some_and(|a| a.iter().any(|t| t == "ReportBatchItemFailures")),
        batching_window_seconds: number("MaximumBatchingWindowInSeconds").unwrap_or(0),
    })
}

/// A received message as the SQS event carries it (lambda-facts §5.1, `sam local generate-event sqs
/// receive-message`): `{messageId, receiptHandle, body, attributes, messageAttributes, md5OfBody, eventSource,
/// eventSourceARN, awsRegion}`; message attributes in camelCase (`stringValue`, `stringListValues`,
/// `binaryListValues`, `dataType`).
pub fn record(message: &Json, queue_arn: &str, region: &str) -> Json {
    let attributes: Map<String, Json> = message
        .get("MessageAttributes")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
        .map(|(name, v)| {
            let mut out = Map::new();
            if let Some(s) = v.get("StringValue") {
                out.insert("stringValue".into(), s.clone());
            }
            if let Some(b) = v.get("BinaryValue") {
                out.insert("binaryValue".into(), b.clone());
            }
            out.insert("stringListValues".into(), json!([]));
            out.insert("binaryListValues".into(), json!([]));
            out.insert("dataType".into(), v.get("DataType").cloned().unwrap_or(Json::Null));
            (name.clone(), Json::Object(out))
        })
        .collect();
    let mut record = json!({
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes").cloned().unwrap_or(json!({})),
        "messageAttributes": attributes,
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    });
    if let Some(md5) = message.get("MD5OfMessageAttributes") {
        record["md5OfMessageAttributes"] = md5.clone();
    }
    record
}

fn sqs_call(cloud: &mut Cloud, operation: &str, input: Json) -> Option<Json> {
    let caller = Caller::root(&cloud.account_id.clone());
    cloud
        .call(&ApiRequest {
            service: "sqs",
            operation,
            input: &input,
            caller: &caller,
        })
        .ok()
}

/// One poll of one mapping: receive a batch, invoke, delete what succeeded. Answers whether a batch was taken.
fn poll_once(cloud: &mut Cloud, mapping: &EventSourceMapping) -> bool {
    let Some(url) = cloud
        .service_mut::<Sqs>()
        .and_then(|s| s.queue_by_arn(&mapping.queue_arn))
        .map(|q| q.url.clone())
    else {
        return false;
    };
    let mut messages = Vec::new();
    // ReceiveMessage answers at most 10; larger batch sizes take several receives.
    while (messages.len() as u64) < mapping.batch_size {
        let want = (mapping.batch_size - messages.len() as u64).min(10);
        let input = json!({"QueueUrl": url, "MaxNumberOfMessages": want, "WaitTimeSeconds": 0,
                           "MessageSystemAttributeNames": ["All"], "MessageAttributeNames": ["All"]});
        let got = sqs_call(cloud, "ReceiveMessage", input)
            .and_then(|o| o.get("Messages").and_then(Json::as_array).cloned())
            .unwrap_or_default();
        if got.is_empty() {
            break;
        }
        messages.extend(got);
    }
    if messages.is_empty() {
        return false;
    }
    let records: Vec<Json> = messages
        .iter()
        .map(|m| record(m, &mapping.queue_arn, &cloud.region))
        .collect();
    let event = json!({ "Records": records }).to_string();
    let keep: Vec<String> = match lambda::invoke(cloud, &mapping.function_name, InvocationType::RequestResponse, &event)
    {
        Ok(out) if out.function_error.is_none() => failures(mapping, &out.payload, &messages),
        // A failed invocation keeps the whole batch: it returns after the visibility timeout.
        _ => return true,
    };
    let delete: Vec<Json> = messages
        .iter()
        .filter(|m| !keep.iter().any(|id| m["MessageId"] == id.as_str()))
        .collect::<Vec<_>>()
        .chunks(10)
        .flat_map(|chunk| {
            let entries: Vec<Json> = chunk
                .iter()
                .enumerate()
                .map(|(i, m)| json!({"Id": i.to_string(), "ReceiptHandle": m["ReceiptHandle"]}))
                .collect();
            vec![json!({"QueueUrl": url, "Entries": entries})]
        })
        .collect();
    for input in delete {
        sqs_call(cloud, "DeleteMessageBatch", input);
    }
    true
}

/// The message ids a successful response asks to keep (`{"batchItemFailures": [{"itemIdentifier": id}]}`), when
/// the mapping reports item failures. A malformed response, or an identifier that is not in the batch, fails the
/// whole batch ("Implementing partial batch responses").
fn failures(mapping: &EventSourceMapping, payload: &str, messages: &[Json]) -> Vec<String> {
    if !mapping.report_batch_item_failures {
        return Vec::new();
    }
    let all = || {
        messages
            .iter()
            .filter_map(|m| m["MessageId"].as_str().map(str::to_string))
            .collect()
    };
    let Ok(response) = serde_json::from_str::<Json>(payload) else {
        return Vec::new();
    };
    let Some(items) = response.get("batchItemFailures") else {
        return Vec::new();
    };
    let Some(items) = items.as_array() else {
        return all();
    };
    let mut ids = Vec::new();
    for item in items {
        match item.get("itemIdentifier").and_then(Json::as_str) {
            Some(id) if messages.iter().any(|m| m["MessageId"] == id) => ids.push(id.to_string()),
            _ => return all(),
        }
    }
    ids
}

/// Polls every enabled SQS mapping at the current virtual time until no mapped queue has a visible message (or
/// [`MAX_ROUNDS`] batches); answers the number of batches delivered.
pub fn poll_event_sources(cloud: &mut Cloud) -> usize {
    let mappings: Vec<EventSourceMapping> = cloud
        .service::<Sqs>()
        .map(|s| s.event_source_mappings.iter().filter(|m| m.enabled).cloned().collect())
        .unwrap_or_default();
    let mut batches = 0;
    while batches < MAX_ROUNDS {
        let before = batches;
        for mapping in &mappings {
            if poll_once(cloud, mapping) {
                batches += 1;
            }
        }
        if batches == before {
            break;
        }
    }
    batches
}

/// Advances the virtual clock by `millis`, polling the mappings now and at each moment within the span when a
/// message of a mapped queue becomes visible (after a delay or a visibility timeout); the clock ends exactly
/// `millis` later (or later still, when the invocations themselves took longer: a function's run moves the
/// clock). Answers the number of batches delivered.
pub fn advance(cloud: &mut Cloud, millis: u64) -> usize {
    let target = cloud.clock.now_millis().saturating_add(millis);
    let mut batches = poll_event_sources(cloud);
    loop {
        let now = cloud.clock.now_millis();
        let next = cloud.service::<Sqs>().and_then(|s| {
            let arns: Vec<&String> = s.event_source_mappings.iter().map(|m| &m.queue_arn).collect();
            s.queues
                .values()
                .filter(|q| arns.contains(&&q.arn))
                .flat_map(|q| q.messages.iter().map(|m| m.visible_at_ms))
                .filter(|t| *t > now && *t <= target)
                .min()
        });
        match next {
            Some(t) => {
                cloud.clock.advance(t - now);
                batches += poll_event_sources(cloud);
            }
            None => {
                cloud.clock.advance(target.saturating_sub(now));
                return batches;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(report: bool) -> EventSourceMapping {
        EventSourceMapping {
            uuid: "u".into(),
            function_name: "f".into(),
            queue_arn: "arn:aws:sqs:us-east-1:123456789012:q".into(),
            batch_size: 10,
            enabled: true,
            report_batch_item_failures: report,
            batching_window_seconds: 0,
        }
    }

    #[test]
    fn partial_batch_responses_keep_only_the_named_messages() {
        let batch = [json!({"MessageId": "m1"}), json!({"MessageId": "m2"})];
        let response = r#"{"batchItemFailures":[{"itemIdentifier":"m2"}]}"#;
        assert_eq!(failures(&mapping(true), response, &batch), ["m2"]);
        // Without ReportBatchItemFailures the response is ignored: the batch succeeded.
        assert!(failures(&mapping(false), response, &batch).is_empty());
        // An identifier outside the batch fails the whole batch; an empty list or null succeeds.
        let unknown = r#"{"batchItemFailures":[{"itemIdentifier":"zz"}]}"#;
        assert_eq!(failures(&mapping(true), unknown, &batch), ["m1", "m2"]);
        assert!(failures(&mapping(true), r#"{"batchItemFailures":[]}"#, &batch).is_empty());
        assert!(failures(&mapping(true), "null", &batch).is_empty());
    }

    #[test]
    fn records_use_the_lambda_event_casing() {
        let message = json!({"MessageId": "m", "ReceiptHandle": "h", "Body": "b", "MD5OfBody": "x",
                             "MessageAttributes": {"n": {"DataType": "Number", "StringValue": "1"}}});
        let r = record(&message, "arn:aws:sqs:us-east-1:123456789012:q", "us-east-1");
        assert_eq!(
            r["messageAttributes"],
            json!({"n": {"stringValue": "1", "stringListValues": [], "binaryListValues": [], "dataType": "Number"}})
        );
        assert_eq!(r["attributes"], json!({}));
        assert_eq!(r["eventSource"], "aws:sqs");
    }
}
