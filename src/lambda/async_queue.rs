//! Asynchronous invocation (`InvocationType: Event`): the event queue, retries on the virtual clock,
//! `AWS::Lambda::EventInvokeConfig`, destinations and dead-letter queues (docs: "Asynchronous invocation", "Error
//! handling and automatic retries in Lambda", "Capturing records of Lambda asynchronous invocations",
//! "Dead-letter queues"; lambda-facts §3.3, §3.4).
//!
//! [`invoke_event`] accepts an event (202) and makes its first attempt at once, in the same call, so a caller sees
//! the first attempt's logs as before. A failed attempt (function error, timeout, crash) is queued again: the second
//! attempt 1 minute after the first failed, the third 2 minutes after the second, as far as the function's
//! `MaximumRetryAttempts` (0 to 2, default 2) and `MaximumEventAgeInSeconds` (60 to 21600, default 21600) allow.
//! Every attempt runs under the event's request id (AWS keeps it across retries). [`advance`] moves the virtual
//! clock forward and runs the attempts that fall due on the way; nothing else runs queued events, so a caller that
//! wants retries to happen calls it.
//!
//! A settled event goes where its configuration says ([`super::destinations`]): a success to `OnSuccess` with
//! condition `Success`; an event given up on (`RetriesExhausted`, `EventAgeExceeded`) to `OnFailure` and to the
//! function's dead-letter queue (`DeadLetterConfig`, `ErrorCode` 200 for a function error). An event that never
//! runs because the function's reserved concurrency is 0 goes to both at once without retries (docs: "Capturing
//! records", note on reserved concurrency), with LocalStack's condition name `ZeroReservedConcurrency` and the
//! throttle's status 429 (AWS's record for that case is not documented); one stopped by recursive loop detection
//! likewise, with condition `RecursiveInvocationException` and status 400 (same: our reading).

use super::destinations::{deliver, error_message, invocation_record, AttemptResponse, DeliveryKind, Outgoing};
use super::invoke::{InvocationType, InvokeError, InvokeOutput};
use super::Lambda;
use crate::Cloud;
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// Retries when `MaximumRetryAttempts` is not configured (docs: "Lambda retries the function twice").
pub const DEFAULT_MAXIMUM_RETRY_ATTEMPTS: u64 = 2;
/// The oldest an event may get, in seconds, when `MaximumEventAgeInSeconds` is not configured (6 hours).
pub const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS: u64 = 21_600;
/// The waits before the second and the third attempt, in ms (docs: "1 minute before the second attempt and 2
/// minutes before the third").
pub const RETRY_DELAYS_MS: [u64; 2] = [60_000, 120_000];
/// The most attempts and discarded events kept for inspection; older ones are dropped (a playground limit).
pub const MAX_RECORDS: usize = 10_000;

/// An `AWS::Lambda::EventInvokeConfig` (one per function and qualifier).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventInvokeConfig {
    /// `MaximumRetryAttempts` (0 to 2).
    pub maximum_retry_attempts: u64,
    /// `MaximumEventAgeInSeconds` (60 to 21600).
    pub maximum_event_age_seconds: u64,
    /// `DestinationConfig.OnSuccess.Destination` (an SQS queue, SNS topic or Lambda function ARN).
    pub on_success: Option<String>,
    /// `DestinationConfig.OnFailure.Destination`.
    pub on_failure: Option<String>,
}

impl Default for EventInvokeConfig {
    fn default() -> Self {
        EventInvokeConfig {
            maximum_retry_attempts: DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
            maximum_event_age_seconds: DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
            on_success: None,
            on_failure: None,
        }
    }
}

/// An event waiting for its next attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedEvent {
    /// The function as the caller named it (name, `name:qualifier` or ARN).
    pub function_name: String,
    /// The event (JSON text).
    pub payload: String,
    /// When the event was accepted (virtual ms).
    pub enqueued_ms: u64,
    /// When the next attempt runs (virtual ms).
    pub due_ms: u64,
    /// Attempts made so far.
    pub attempts: u64,
    /// The request id every attempt runs under (empty until the first attempt draws it).
    pub request_id: String,
}

/// One attempt at an event, as its logs show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The function as the caller named it.
    pub function_name: String,
    /// 1 for the first attempt, 2 and 3 for the retries.
    pub attempt: u64,
    /// When it ran (virtual ms).
    pub at_ms: u64,
    /// The attempt's request id.
    pub request_id: String,
    /// Whether the function failed.
    pub failed: bool,
    /// Its log lines.
    pub logs: Vec<String>,
}

/// An event Lambda gave up on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discarded {
    /// The function as the caller named it.
    pub function_name: String,
    /// The event (JSON text).
    pub payload: String,
    /// AWS's destination-record `condition`: `RetriesExhausted`, `EventAgeExceeded`, or for events that never ran
    /// `ZeroReservedConcurrency` / `RecursiveInvocationException` (see the module docs).
    pub condition: String,
    /// Attempts made.
    pub attempts: u64,
    /// The event's request id.
    pub request_id: String,
}

/// The asynchronous-invocation state of the Lambda service.
#[derive(Debug, Default)]
pub struct AsyncQueue {
    /// `EventInvokeConfig`s by (function name, qualifier: `$LATEST`, a version or an alias).
    pub configs: BTreeMap<(String, String), EventInvokeConfig>,
    /// Events waiting for a retry.
    pub pending: Vec<QueuedEvent>,
    /// Attempts made, oldest first (at most [`MAX_RECORDS`]).
    pub attempts: Vec<Attempt>,
    /// Events given up on, oldest first (at most [`MAX_RECORDS`]).
    pub discarded: Vec<Discarded>,
    /// Deliveries to destinations and dead-letter queues, oldest first (at most [`MAX_RECORDS`]).
    pub deliveries: Vec<super::destinations::Delivery>,
}

fn whole(props: &Json, key: &str) -> Result<Option<u64>, String> {
    match props.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Number(n)) => n
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("{key} must be a whole number")),
        Some(Json::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| format!("{key} must be a whole number")),
        Some(_) => Err(format!("{key} must be a whole number")),
    }
}

/// The AWS validation message for a number out of range (`PutFunctionEventInvokeConfig`).
fn range_error(value: u64, path: &str, min: u64, max: u64) -> String {
    if value < min {
        format!("1 validation error detected: Value '{value}' at '{path}' failed to satisfy constraint: Member must have value greater than or equal to {min}")
    } else {
        format!("1 validation error detected: Value '{value}' at '{path}' failed to satisfy constraint: Member must have value less than or equal to {max}")
    }
}

/// Stores an `AWS::Lambda::EventInvokeConfig` (`FunctionName`, `Qualifier`, `MaximumRetryAttempts`,
/// `MaximumEventAgeInSeconds`, `DestinationConfig`). Errors: values out of range, with AWS's validation message.
pub fn configure(lambda: &mut Lambda, props: &Json) -> Result<(), String> {
    let text = |key: &str| props.get(key).and_then(Json::as_str).unwrap_or_default().to_string();
    let (name, _) = lambda.resolve_name(&text("FunctionName"));
    let qualifier = match text("Qualifier") {
        q if q.is_empty() => "$LATEST".to_string(),
        q => q,
    };
    let retries = whole(props, "MaximumRetryAttempts")?.unwrap_or(DEFAULT_MAXIMUM_RETRY_ATTEMPTS);
    if retries > 2 {
        return Err(range_error(retries, "maximumRetryAttempts", 0, 2));
    }
    let age = whole(props, "MaximumEventAgeInSeconds")?.unwrap_or(DEFAULT_MAXIMUM_EVENT_AGE_SECONDS);
    if !(60..=21_600).contains(&age) {
        return Err(range_error(age, "maximumEventAgeInSeconds", 60, 21_600));
    }
    let destination = |key: &str| -> Result<Option<String>, String> {
        let arn = props
            .get("DestinationConfig")
            .and_then(|d| d.get(key))
            .and_then(|d| d.get("Destination"))
            .and_then(Json::as_str)
            .filter(|a| !a.is_empty());
        match arn {
            None => Ok(None),
            Some(arn) => super::destinations::check_destination(arn).map(|()| Some(arn.to_string())),
        }
    };
    let config = EventInvokeConfig {
        maximum_retry_attempts: retries,
        maximum_event_age_seconds: age,
        on_success: destination("OnSuccess")?,
        on_failure: destination("OnFailure")?,
    };
    lambda.async_queue.configs.insert((name, qualifier), config);
    Ok(())
}

/// The config that applies to an invoke of `function_name` (its qualifier's, else the defaults).
fn config_for(lambda: &Lambda, function_name: &str) -> EventInvokeConfig {
    let (name, qualifier) = lambda.resolve_name(function_name);
    let qualifier = qualifier.unwrap_or_else(|| "$LATEST".to_string());
    lambda
        .async_queue
        .configs
        .get(&(name, qualifier))
        .cloned()
        .unwrap_or_default()
}

/// Appends `item`, dropping the oldest past [`MAX_RECORDS`].
pub(crate) fn push_bounded<T>(list: &mut Vec<T>, item: T) {
    if list.len() >= MAX_RECORDS {
        list.remove(0);
    }
    list.push(item);
}

/// Where an invoke of `function_name` that ran as `executed_version` sends its records: the qualified ARN the
/// record names, the execution role, and the version's dead-letter queue.
struct Source {
    function_name: String,
    qualified_arn: String,
    role: String,
    dead_letter: Option<String>,
}

fn source(cloud: &Cloud, function_name: &str, executed_version: Option<&str>) -> Option<Source> {
    let lambda = cloud.service::<Lambda>()?;
    let (name, qualifier) = lambda.resolve_name(function_name);
    let function = lambda.functions.get(&name)?;
    let config = match executed_version.and_then(|v| v.parse::<u64>().ok()) {
        Some(n) => function.versions.get(&n).unwrap_or(&function.latest),
        None => &function.latest,
    };
    Some(Source {
        function_name: name,
        qualified_arn: format!(
            "{}:{}",
            function.latest.function_arn,
            qualifier.as_deref().unwrap_or("$LATEST")
        ),
        role: config.role.clone(),
        dead_letter: config.dead_letter_target.clone(),
    })
}

/// Sends a settled event where its configuration says (module docs). `response` is the last attempt's answer;
/// `None` for events that never ran, whose dead-letter message carries `error` (status, message).
fn settle(
    cloud: &mut Cloud,
    event: &QueuedEvent,
    condition: &str,
    response: Option<&AttemptResponse>,
    error: Option<(u16, String)>,
) {
    let Some(source) = source(
        cloud,
        &event.function_name,
        response.map(|r| r.executed_version.as_str()),
    ) else {
        return;
    };
    let config = cloud
        .service::<Lambda>()
        .map(|l| config_for(l, &event.function_name))
        .unwrap_or_default();
    let success = condition == "Success";
    let target = if success { config.on_success } else { config.on_failure };
    let kind = if success {
        DeliveryKind::OnSuccess
    } else {
        DeliveryKind::OnFailure
    };
    let now = cloud.clock.now_millis();
    let destination = target.map(|arn| {
        let record = invocation_record(
            now,
            &event.request_id,
            &source.qualified_arn,
            condition,
            event.attempts,
            &event.payload,
            response,
        );
        (kind, arn, record)
    });
    let dead_letter = if success {
        None
    } else {
        source.dead_letter.clone().map(|arn| {
            let (code, message) = match (&error, response) {
                (Some((code, message)), _) => (*code, message.clone()),
                (None, Some(r)) => (r.status_code, error_message(&r.payload)),
                (None, None) => (200, String::new()),
            };
            (arn, code, message)
        })
    };
    if !success {
        if let Some(lambda) = cloud.service_mut::<Lambda>() {
            push_bounded(
                &mut lambda.async_queue.discarded,
                Discarded {
                    function_name: event.function_name.clone(),
                    payload: event.payload.clone(),
                    condition: condition.to_string(),
                    attempts: event.attempts,
                    request_id: event.request_id.clone(),
                },
            );
        }
    }
    deliver(
        cloud,
        Outgoing {
            function_name: &source.function_name,
            role: &source.role,
            request_id: &event.request_id,
            event: &event.payload,
            destination,
            dead_letter,
        },
    );
}

/// Runs one attempt of `event` now and queues its retry or settles it. Returns the attempt's output.
fn attempt(cloud: &mut Cloud, mut event: QueuedEvent) -> Result<InvokeOutput, InvokeError> {
    let given = (!event.request_id.is_empty()).then(|| event.request_id.clone());
    let output = super::invoke::invoke_with_request_id(
        cloud,
        &event.function_name,
        InvocationType::RequestResponse,
        &event.payload,
        given,
    );
    let output = match output {
        Ok(output) => output,
        Err(e @ (InvokeError::TooManyRequests { .. } | InvokeError::RecursiveInvocation(_))) => {
            // Events that cannot run: straight to the on-failure destination / DLQ, without retries (module docs).
            if event.request_id.is_empty() {
                event.request_id = cloud.ids.uuid();
            }
            let (condition, message) = match &e {
                InvokeError::RecursiveInvocation(m) => ("RecursiveInvocationException", m.clone()),
                _ => ("ZeroReservedConcurrency", super::concurrency::RATE_EXCEEDED.to_string()),
            };
            settle(cloud, &event, condition, None, Some((e.status_code(), message)));
            return Ok(accepted(String::new(), event.request_id, Vec::new()));
        }
        Err(e) => return Err(e),
    };
    event.attempts += 1;
    event.request_id = output.request_id.clone();
    let now = cloud.clock.now_millis();
    let failed = output.function_error.is_some();
    let response = AttemptResponse {
        status_code: output.status_code,
        executed_version: output.executed_version.clone(),
        function_error: output.function_error.clone(),
        payload: output.payload.clone(),
    };
    let Some(lambda) = cloud.service_mut::<Lambda>() else {
        return Ok(output);
    };
    push_bounded(
        &mut lambda.async_queue.attempts,
        Attempt {
            function_name: event.function_name.clone(),
            attempt: event.attempts,
            at_ms: now,
            request_id: output.request_id.clone(),
            failed,
            logs: output.logs.clone(),
        },
    );
    if !failed {
        settle(cloud, &event, "Success", Some(&response), None);
        return Ok(output);
    }
    let config = cloud
        .service::<Lambda>()
        .map(|l| config_for(l, &event.function_name))
        .unwrap_or_default();
    let retries_made = event.attempts.saturating_sub(1);
    let delay = usize::try_from(retries_made)
        .ok()
        .and_then(|i| RETRY_DELAYS_MS.get(i))
        .copied();
    match delay {
        Some(delay) if retries_made < config.maximum_retry_attempts => {
            let due = now.saturating_add(delay);
            if due.saturating_sub(event.enqueued_ms) > config.maximum_event_age_seconds.saturating_mul(1000) {
                settle(cloud, &event, "EventAgeExceeded", Some(&response), None);
            } else {
                event.due_ms = due;
                if let Some(lambda) = cloud.service_mut::<Lambda>() {
                    lambda.async_queue.pending.push(event);
                }
            }
        }
        _ => settle(cloud, &event, "RetriesExhausted", Some(&response), None),
    }
    Ok(output)
}

fn accepted(version: String, request_id: String, logs: Vec<String>) -> InvokeOutput {
    InvokeOutput {
        status_code: 202,
        function_error: None,
        executed_version: version,
        payload: String::new(),
        request_id,
        logs,
    }
}

/// `Invoke` with `InvocationType: Event`: checks the 1 MB limit, accepts the event (202, empty body) and makes
/// its first attempt now; the output carries that attempt's request id and logs. Errors: as `invoke` (unknown
/// function 404, payload not JSON 400, over 1 MB 413, not simulated).
pub fn invoke_event(cloud: &mut Cloud, function_name: &str, payload: &str) -> Result<InvokeOutput, InvokeError> {
    let limit = super::invoke::MAX_ASYNC_PAYLOAD_BYTES;
    if payload.len() > limit {
        // Source: the async API's error for oversized events (lambda-facts §3.2).
        return Err(InvokeError::RequestEntityTooLarge(format!(
            "Request must be smaller than {limit} bytes for the InvokeAsync API"
        )));
    }
    let now = cloud.clock.now_millis();
    let event = QueuedEvent {
        function_name: function_name.to_string(),
        payload: payload.to_string(),
        enqueued_ms: now,
        due_ms: now,
        attempts: 0,
        request_id: String::new(),
    };
    let output = attempt(cloud, event)?;
    Ok(accepted(output.executed_version, output.request_id, output.logs))
}

/// Moves the virtual clock `millis` forward, running every queued retry that falls due on the way, in due order
/// (the clock stands at each one's due time when it starts; an attempt's own duration moves it further). Returns
/// the attempts run. Errors of an attempt (e.g. the function was deleted) discard its event.
pub fn advance(cloud: &mut Cloud, millis: u64) -> Vec<Attempt> {
    let target = cloud.clock.now_millis().saturating_add(millis);
    let mut ran = Vec::new();
    while let Some(event) = take_next_due(cloud, target) {
        let now = cloud.clock.now_millis();
        cloud.clock.advance(event.due_ms.saturating_sub(now));
        match attempt(cloud, event.clone()) {
            Ok(output) => ran.extend(
                cloud
                    .service::<Lambda>()
                    .and_then(|l| l.async_queue.attempts.last())
                    .filter(|a| a.request_id == output.request_id)
                    .cloned(),
            ),
            Err(_) => settle(cloud, &event, "RetriesExhausted", None, None),
        }
    }
    let now = cloud.clock.now_millis();
    cloud.clock.advance(target.saturating_sub(now));
    ran
}

/// Removes and returns the queued event due first, if it is due by `target`.
fn take_next_due(cloud: &mut Cloud, target: u64) -> Option<QueuedEvent> {
    let pending = &mut cloud.service_mut::<Lambda>()?.async_queue.pending;
    let (index, _) = pending
        .iter()
        .enumerate()
        .filter(|(_, e)| e.due_ms <= target)
        .min_by_key(|(_, e)| e.due_ms)?;
    Some(pending.remove(index))
}
