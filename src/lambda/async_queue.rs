//! Asynchronous invocation (`InvocationType: Event`): the event queue, retries on the virtual clock, and
//! `AWS::Lambda::EventInvokeConfig` (docs: "Asynchronous invocation", "Error handling and automatic retries in
//! Lambda"; lambda-facts §3.4).
//!
//! [`invoke_event`] accepts an event (202) and makes its first attempt at once, in the same call, so a caller sees
//! the first attempt's logs as before. A failed attempt (function error, timeout, crash) is queued again: the second
//! attempt 1 minute after the first failed, the third 2 minutes after the second, as far as the function's
//! `MaximumRetryAttempts` (0 to 2, default 2) and `MaximumEventAgeInSeconds` (60 to 21600, default 21600) allow.
//! [`advance`] moves the virtual clock forward and runs the attempts that fall due on the way; nothing else runs
//! queued events, so a caller that wants retries to happen calls it.
//!
//! Events that exhaust their attempts or grow too old are recorded in [`AsyncQueue::discarded`] with AWS's
//! `condition` (`RetriesExhausted`, `EventAgeExceeded`). Delivering them to an on-failure destination or a
//! dead-letter queue is not simulated yet (SQS / SNS are being written): such a record says so in its `note`.
//! Known difference: each attempt gets a fresh request id, where AWS keeps the first one for the retries.

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
    /// Whether `DestinationConfig` names destinations (their delivery is not simulated yet).
    pub has_destinations: bool,
}

impl Default for EventInvokeConfig {
    fn default() -> Self {
        EventInvokeConfig {
            maximum_retry_attempts: DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
            maximum_event_age_seconds: DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
            has_destinations: false,
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
    /// AWS's destination-record `condition`: `RetriesExhausted`, `EventAgeExceeded`, or `ZeroReservedConcurrency`
    /// (LocalStack's name for a function with reserved concurrency 0; AWS's record for that case is not documented).
    pub condition: String,
    /// Attempts made.
    pub attempts: u64,
    /// `not simulated: ...` when the function has an on-failure destination or a dead-letter queue.
    pub note: Option<String>,
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
    let config = EventInvokeConfig {
        maximum_retry_attempts: retries,
        maximum_event_age_seconds: age,
        has_destinations: props.get("DestinationConfig").is_some_and(|d| !d.is_null()),
    };
    lambda.async_queue.configs.insert((name, qualifier), config);
    Ok(())
}

/// The config that applies to an invoke of `function_name` (its qualifier's, else the defaults).
/// A dead-letter queue (`DeadLetterConfig`) is not read by the simulator yet.
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

fn push_bounded<T>(list: &mut Vec<T>, item: T) {
    if list.len() >= MAX_RECORDS {
        list.remove(0);
    }
    list.push(item);
}

fn discard(cloud: &mut Cloud, event: &QueuedEvent, condition: &str) {
    let Some(lambda) = cloud.service_mut::<Lambda>() else {
        return;
    };
    let config = config_for(lambda, &event.function_name);
    let note = config
        .has_destinations
        .then(|| "not simulated: delivery to the on-failure destination (DestinationConfig)".to_string());
    push_bounded(
        &mut lambda.async_queue.discarded,
        Discarded {
            function_name: event.function_name.clone(),
            payload: event.payload.clone(),
            condition: condition.to_string(),
            attempts: event.attempts,
            note,
        },
    );
}

/// Runs one attempt of `event` now and queues its retry or records it as discarded. Returns the attempt's output.
fn attempt(cloud: &mut Cloud, mut event: QueuedEvent) -> Result<InvokeOutput, InvokeError> {
    let output = super::invoke::invoke(
        cloud,
        &event.function_name,
        InvocationType::RequestResponse,
        &event.payload,
    );
    let output = match output {
        Ok(output) => output,
        Err(InvokeError::TooManyRequests { .. }) => {
            // Reserved concurrency 0: AWS sends the event to the on-failure destination without retries.
            discard(cloud, &event, "ZeroReservedConcurrency");
            return Ok(accepted(String::new(), String::new(), Vec::new()));
        }
        Err(e) => return Err(e),
    };
    event.attempts += 1;
    let now = cloud.clock.now_millis();
    let failed = output.function_error.is_some();
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
    if failed {
        let config = config_for(lambda, &event.function_name);
        let retries_made = event.attempts - 1;
        let delay = usize::try_from(retries_made)
            .ok()
            .and_then(|i| RETRY_DELAYS_MS.get(i))
            .copied();
        match delay {
            Some(delay) if retries_made < config.maximum_retry_attempts => {
                let due = now.saturating_add(delay);
                if due.saturating_sub(event.enqueued_ms) > config.maximum_event_age_seconds.saturating_mul(1000) {
                    discard(cloud, &event, "EventAgeExceeded");
                } else {
                    event.due_ms = due;
                    lambda.async_queue.pending.push(event);
                }
            }
            _ => discard(cloud, &event, "RetriesExhausted"),
        }
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
            Err(_) => discard(cloud, &event, "RetriesExhausted"),
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
