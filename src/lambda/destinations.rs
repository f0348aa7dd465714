//! Where the asynchronous queue sends what it is done with: invocation records to `OnSuccess` / `OnFailure`
//! destinations, and discarded events to the function's dead-letter queue.
//!
//! Sources: Lambda developer guide, "Capturing records of Lambda asynchronous invocations" (destination types,
//! the invocation record: `version`, `timestamp`, `requestContext` {`requestId`, `functionArn`, `condition`,
//! `approximateInvokeCount`}, `requestPayload`, `responseContext` {`statusCode`, `executedVersion`,
//! `functionError`}, `responsePayload`; the execution role needs `sqs:SendMessage`, `sns:Publish` or
//! `lambda:InvokeFunction` on the destination) and "Dead-letter queues" (the body is the event unchanged; message
//! attributes `RequestID` String, `ErrorCode` Number (the 3-digit HTTP status), `ErrorMessage` String truncated to
//! 1 KB); lambda-facts §3.4.
//!
//! Deliveries are made as the function's execution role through the services' own APIs
//! ([`crate::Cloud::call`]), so IAM decides exactly as for a handler's SDK call; a refused or failed delivery is
//! recorded ([`Delivery::error`], with the service's message) where AWS would count a `DestinationDeliveryFailures`
//! / `DeadLetterErrors` metric. A Lambda destination receives the record as an asynchronous invocation. Each
//! delivery belongs to the source function's chain ([`super::recursion`]), so a function that is its own
//! destination stops after 16 rounds as AWS's loop detection would.

use super::invoke::{InvocationType, InvokeError};
use super::Lambda;
use crate::api::{ApiRequest, Caller};
use crate::iam::Decision;
use crate::js::iso_millis;
use crate::Cloud;
use serde_json::{json, Value as Json};

/// `ErrorMessage` is truncated to 1 KB (docs: "Dead-letter queues").
pub const MAX_ERROR_MESSAGE_BYTES: usize = 1024;

/// Which configuration a delivery follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryKind {
    /// `DestinationConfig.OnSuccess`.
    OnSuccess,
    /// `DestinationConfig.OnFailure`.
    OnFailure,
    /// `DeadLetterConfig`.
    DeadLetterQueue,
}

/// One delivery the queue made (or tried).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The source function's name.
    pub function_name: String,
    /// The event's request id.
    pub request_id: String,
    /// Which configuration it follows.
    pub kind: DeliveryKind,
    /// The destination's ARN.
    pub destination: String,
    /// What was sent: the invocation record, or the event for a dead-letter queue (JSON text).
    pub body: String,
    /// Why it failed (the service's or IAM's message), `None` when delivered.
    pub error: Option<String>,
}

/// What the last attempt answered, for the record's `responseContext` and `responsePayload`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptResponse {
    /// `statusCode` (200 for an invocation that ran, function errors included).
    pub status_code: u16,
    /// `executedVersion`.
    pub executed_version: String,
    /// `functionError` (`Unhandled`), when the function failed.
    pub function_error: Option<String>,
    /// The response payload (JSON text).
    pub payload: String,
}

/// The invocation record (docs: "Capturing records of Lambda asynchronous invocations", example record).
/// `functionArn` is qualified (`:$LATEST`, a version or an alias); `condition` is `Success`, `RetriesExhausted`
/// or `EventAgeExceeded`; a payload that is not JSON is carried as a string. Without a response (an event that
/// never ran) `responseContext` and `responsePayload` are left out (AWS's record for that case is not documented:
/// our reading).
pub fn invocation_record(
    timestamp_ms: u64,
    request_id: &str,
    function_arn: &str,
    condition: &str,
    approximate_invoke_count: u64,
    request_payload: &str,
    response: Option<&AttemptResponse>,
) -> Json {
    let parse = |text: &str| serde_json::from_str::<Json>(text).unwrap_or_else(|_| Json::String(text.to_string()));
    let mut record = json!({
        "version": "1.0",
        "timestamp": iso_millis(timestamp_ms),
        "requestContext": {
            "requestId": request_id,
            "functionArn": function_arn,
            "condition": condition,
            "approximateInvokeCount": approximate_invoke_count,
        },
        "requestPayload": parse(request_payload),
    });
    if let (Some(response), Json::Object(map)) = (response, &mut record) {
        let mut context = json!({
            "statusCode": response.status_code,
            "executedVersion": response.executed_version,
        });
        if let (Some(error), Json::Object(c)) = (&response.function_error, &mut context) {
            c.insert("functionError".into(), Json::String(error.clone()));
        }
        map.insert("responseContext".into(), context);
        map.insert("responsePayload".into(), parse(&response.payload));
    }
    record
}

/// The `ErrorMessage` of a dead-letter message: the `errorMessage` of a function error's payload (else the whole
/// payload), cut to [`MAX_ERROR_MESSAGE_BYTES`] on a character boundary. Which text AWS puts there for function
/// errors is not documented beyond "Error message": this is our reading.
pub fn error_message(payload: &str) -> String {
    let message = serde_json::from_str::<Json>(payload)
        .ok()
        .and_then(|v| v.get("errorMessage").and_then(Json::as_str).map(str::to_string))
        .unwrap_or_else(|| payload.to_string());
    let mut end = message.len().min(MAX_ERROR_MESSAGE_BYTES);
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    message.get(..end).unwrap_or_default().to_string()
}

/// The service an ARN names (`sqs`, `sns`, `lambda`, `events`, `s3`), its third field.
pub fn service_of(arn: &str) -> &str {
    arn.split(':').nth(2).unwrap_or_default()
}

/// Checks a destination ARN of `DestinationConfig`: SQS, SNS and Lambda are simulated; EventBridge and S3
/// destinations answer `not simulated`; anything else is AWS's validation error (wording ours).
pub fn check_destination(arn: &str) -> Result<(), String> {
    match service_of(arn) {
        "sqs" | "sns" | "lambda" => Ok(()),
        "events" => Err(format!(
            "not simulated: EventBridge destinations of asynchronous invocations ({arn})"
        )),
        "s3" => Err(format!("not simulated: S3 destinations of asynchronous invocations ({arn})")),
        _ => Err(format!(
            "The destination ARN {arn} is invalid: it must be an SQS queue, SNS topic, Lambda function or EventBridge event bus"
        )),
    }
}

/// Sends `body` (with `attributes`, SQS/SNS message attributes) to `destination` as `caller`. Errors: the
/// service's or IAM's answer, as text.
fn send(cloud: &mut Cloud, caller: &Caller, destination: &str, body: &str, attributes: &Json) -> Result<(), String> {
    let (service, operation, input) = match service_of(destination) {
        "sqs" => {
            let name = destination.rsplit(':').next().unwrap_or_default();
            let mut input = json!({"QueueUrl": crate::sqs::queue_url(cloud, name), "MessageBody": body});
            if let (Json::Object(map), Some(false)) = (&mut input, attributes.as_object().map(|a| a.is_empty())) {
                map.insert("MessageAttributes".into(), attributes.clone());
            }
            ("sqs", "SendMessage", input)
        }
        "sns" => {
            let mut input = json!({"TopicArn": destination, "Message": body});
            if let (Json::Object(map), Some(false)) = (&mut input, attributes.as_object().map(|a| a.is_empty())) {
                map.insert("MessageAttributes".into(), attributes.clone());
            }
            ("sns", "Publish", input)
        }
        "lambda" => return invoke_destination(cloud, caller, destination, body),
        other => return Err(format!("not simulated: destinations of type '{other}' ({destination})")),
    };
    let request = ApiRequest {
        service,
        operation,
        input: &input,
        caller,
    };
    cloud.call(&request).map(|_| ()).map_err(|e| e.to_string())
}

/// A Lambda destination: `lambda:InvokeFunction` for the execution role, then an asynchronous invoke with the
/// record as its event.
fn invoke_destination(cloud: &mut Cloud, caller: &Caller, function_arn: &str, body: &str) -> Result<(), String> {
    let decision = crate::iam::authorize(cloud, caller, "lambda:InvokeFunction", function_arn);
    if decision != Decision::Allow {
        let message = crate::iam::denial_message(caller, "lambda:InvokeFunction", function_arn, decision);
        return Err(format!("AccessDeniedException: {message}"));
    }
    super::invoke::invoke(cloud, function_arn, InvocationType::Event, body)
        .map(|_| ())
        .map_err(|e: InvokeError| e.to_string())
}

/// What one settled event sends: an invocation record to a destination and/or the event to a dead-letter queue,
/// as the source function's execution role.
pub struct Outgoing<'a> {
    /// The source function's name.
    pub function_name: &'a str,
    /// Its execution role's ARN.
    pub role: &'a str,
    /// The event's request id.
    pub request_id: &'a str,
    /// The event (JSON text).
    pub event: &'a str,
    /// The destination and its kind, with the record to send.
    pub destination: Option<(DeliveryKind, String, Json)>,
    /// The dead-letter queue: (target ARN, `ErrorCode`, `ErrorMessage`).
    pub dead_letter: Option<(String, u16, String)>,
}

/// Delivers `outgoing` within the source function's chain and records every delivery in
/// [`super::async_queue::AsyncQueue::deliveries`].
pub fn deliver(cloud: &mut Cloud, outgoing: Outgoing<'_>) {
    if outgoing.destination.is_none() && outgoing.dead_letter.is_none() {
        return;
    }
    let caller = Caller::assumed_role(outgoing.role, outgoing.function_name);
    super::recursion::enter(cloud, outgoing.function_name, false);
    let mut made = Vec::new();
    if let Some((kind, arn, record)) = outgoing.destination {
        let body = record.to_string();
        let error = send(cloud, &caller, &arn, &body, &Json::Null).err();
        made.push((kind, arn, body, error));
    }
    if let Some((arn, code, message)) = outgoing.dead_letter {
        let attributes = json!({
            "RequestID": {"DataType": "String", "StringValue": outgoing.request_id},
            "ErrorCode": {"DataType": "Number", "StringValue": code.to_string()},
            "ErrorMessage": {"DataType": "String", "StringValue": message},
        });
        let error = send(cloud, &caller, &arn, outgoing.event, &attributes).err();
        made.push((DeliveryKind::DeadLetterQueue, arn, outgoing.event.to_string(), error));
    }
    super::recursion::leave(cloud);
    let Some(lambda) = cloud.service_mut::<Lambda>() else {
        return;
    };
    for (kind, destination, body, error) in made {
        super::async_queue::push_bounded(
            &mut lambda.async_queue.deliveries,
            Delivery {
                function_name: outgoing.function_name.to_string(),
                request_id: outgoing.request_id.to_string(),
                kind,
                destination,
                body,
                error,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_carry_the_response_only_when_there_is_one() {
        let failed = AttemptResponse {
            status_code: 200,
            executed_version: "$LATEST".into(),
            function_error: Some("Unhandled".into()),
            payload: r#"{"errorType":"Error","errorMessage":"boom"}"#.into(),
        };
        let record = invocation_record(
            0,
            "id-1",
            "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST",
            "RetriesExhausted",
            3,
            r#"{"a":1}"#,
            Some(&failed),
        );
        assert_eq!(
            record.to_string(),
            r#"{"version":"1.0","timestamp":"1970-01-01T00:00:00.000Z","requestContext":{"requestId":"id-1","functionArn":"arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST","condition":"RetriesExhausted","approximateInvokeCount":3},"requestPayload":{"a":1},"responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},"responsePayload":{"errorType":"Error","errorMessage":"boom"}}"#
        );
        let never_ran = invocation_record(0, "id-2", "arn", "ZeroReservedConcurrency", 0, "not json", None);
        assert_eq!(never_ran["requestPayload"], "not json");
        assert!(never_ran.get("responseContext").is_none());
    }

    #[test]
    fn error_messages_are_cut_at_one_kilobyte() {
        assert_eq!(error_message(r#"{"errorMessage":"boom"}"#), "boom");
        assert_eq!(error_message("Rate Exceeded."), "Rate Exceeded.");
        let long = format!(r#"{{"errorMessage":"{}"}}"#, "é".repeat(600));
        assert_eq!(error_message(&long), "é".repeat(512));
    }

    #[test]
    fn only_simulated_destination_types_are_accepted() {
        assert_eq!(check_destination("arn:aws:sqs:us-east-1:123456789012:q"), Ok(()));
        assert!(
            check_destination("arn:aws:events:us-east-1:123456789012:event-bus/default")
                .is_err_and(|e| e.starts_with("not simulated: EventBridge"))
        );
        assert!(check_destination("nonsense").is_err());
    }
}
