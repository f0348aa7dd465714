//! Lambda event source mappings for DynamoDB Streams, shaped like the SQS ones ([`crate::sqs::event_source`]):
//! [`from_resource`] reads an `AWS::Lambda::EventSourceMapping` (or a SAM `DynamoDB` event) whose
//! `EventSourceArn` is a stream, [`poll_event_sources`] delivers what is due at the current virtual time, and
//! [`next_due_ms`] tells [`crate::events::advance`] when to poll next.
//!
//! Sources: "Using AWS Lambda with Amazon DynamoDB", "Lambda parameters for Amazon DynamoDB event source
//! mappings" (`BatchSize` default 100, at most 10,000; `MaximumBatchingWindowInSeconds` 0..=300;
//! `MaximumRetryAttempts` -1 (until the records expire) or 0..=10,000; `MaximumRecordAgeInSeconds` -1 or
//! 60..=604,800; `ParallelizationFactor` 1..=10; `StartingPosition` `TRIM_HORIZON` | `LATEST`, required),
//! "Configuring partial batch response with DynamoDB and Lambda" (`batchItemFailures[].itemIdentifier` is a
//! record's `SequenceNumber`; Lambda checkpoints before the lowest one and retries from there; an empty or null
//! list or response is a success; an empty, null or unknown identifier fails the whole batch), and "Retain
//! discarded records for a DynamoDB event source in Lambda" (retries until the records expire, exceed
//! `MaximumRecordAgeInSeconds` or reach `MaximumRetryAttempts`; `BisectBatchOnFunctionError` splits a failed
//! batch in two without consuming the retry quota; discarded batches are described to the `OnFailure` SQS queue
//! or SNS topic by the invocation record [`on_failure_record`], sent with the execution role).
//!
//! Lambda invokes the function synchronously, one batch per shard at a time, in order; a failing batch blocks
//! the shard. The simulator's readings where AWS does not say: one shard per stream (so
//! `ParallelizationFactor` above 1 is refused as not simulated); a failed batch is retried after 250 ms (the
//! documented polling rate, 4 per second) doubling with each retry up to 60 s; records too old for
//! `MaximumRecordAgeInSeconds` are discarded with the condition `MaximumRecordAgeExceeded` (AWS's documents show
//! only `RetryAttemptsExhausted`). The 6 MB payload cap, `FilterCriteria`, `TumblingWindowInSeconds` and
//! `StartingPositionTimestamp` are not simulated (refused at deploy).

use super::streams::StreamRecord;
use super::DynamoDb;
use crate::api::{ApiRequest, Caller};
use crate::cloud::Cloud;
use crate::lambda::{self, InvocationType, Lambda};
use crate::template::StackResource;
use serde_json::{json, Value as Json};
use std::collections::VecDeque;

/// Default `BatchSize` for streams.
pub const DEFAULT_BATCH_SIZE: usize = 100;
/// The first retry delay: one polling interval (Lambda polls DynamoDB shards 4 times per second).
pub const POLL_INTERVAL_MS: u64 = 250;
/// The longest retry delay (the simulator's choice).
pub const MAX_RETRY_DELAY_MS: u64 = 60_000;
/// Batches one [`poll_event_sources`] call delivers at most, so a function that always fails cannot spin.
pub const MAX_ROUNDS: usize = 10_000;

/// Most invocations kept in [`DynamoDb::stream_invocations`].
pub const MAX_INVOCATIONS: usize = 10_000;

/// One synchronous invocation a stream mapping made, kept with its logs (oldest dropped past
/// [`MAX_INVOCATIONS`]).
#[derive(Debug, Clone, PartialEq)]
pub struct StreamInvocation {
    /// The mapping's `UUID`.
    pub uuid: String,
    /// When it started (virtual ms).
    pub at_ms: u64,
    /// The event sent (JSON text).
    pub payload: String,
    /// The invocation's request id; empty when Lambda refused the invoke.
    pub request_id: String,
    /// `FunctionError`, or the invoke error's text when Lambda refused it.
    pub error: Option<String>,
    /// The function's response (JSON text).
    pub response: String,
    /// The invocation's log lines (START ... REPORT).
    pub logs: Vec<String>,
}

/// Where a mapping starts reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartingPosition {
    /// The oldest record kept.
    TrimHorizon,
    /// Records written after the mapping was created.
    Latest,
}

/// The poller's place in the shard and the state of a failing batch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShardState {
    /// Sequence number of the last record done with (delivered or discarded); later records are pending.
    pub checkpoint: u128,
    /// Invocations of the current batch.
    pub attempts: u64,
    /// Retries of the current batch (bisecting does not count).
    pub retries: u64,
    /// No poll before this virtual time (a retry's delay).
    pub retry_at_ms: u64,
    /// Invokes Lambda refused in a row (throttled, missing function): they back off but are not retries.
    pub refusals: u64,
    /// Sizes of the batches a bisection left to deliver, first first.
    pub bisected: VecDeque<usize>,
    /// The last invocation of the current batch: request id, executed version, function error.
    pub last_invoke: Option<(String, String, Option<String>)>,
}

/// A DynamoDB Streams event source mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamEventSourceMapping {
    /// `UUID` (the resource's physical id).
    pub uuid: String,
    /// `FunctionName` (name or ARN).
    pub function_name: String,
    /// `EventSourceArn`: the stream's ARN.
    pub stream_arn: String,
    /// `BatchSize` (1..=10000).
    pub batch_size: usize,
    /// `Enabled`.
    pub enabled: bool,
    /// `StartingPosition`.
    pub starting_position: StartingPosition,
    /// `FunctionResponseTypes` contains `ReportBatchItemFailures`.
    pub report_batch_item_failures: bool,
    /// `MaximumBatchingWindowInSeconds`.
    pub batching_window_seconds: u64,
    /// `MaximumRetryAttempts` (-1: until the records expire).
    pub maximum_retry_attempts: i64,
    /// `MaximumRecordAgeInSeconds` (-1: until the records expire).
    pub maximum_record_age_seconds: i64,
    /// `BisectBatchOnFunctionError`.
    pub bisect_batch_on_function_error: bool,
    /// `DestinationConfig.OnFailure.Destination`: an SQS queue or SNS topic ARN.
    pub on_failure: Option<String>,
    /// Where the poller stands.
    pub state: ShardState,
}

/// Whether `arn` is a DynamoDB stream ARN (`arn:<partition>:dynamodb:<region>:<account>:table/<t>/stream/<label>`).
pub fn is_stream_arn(arn: &str) -> bool {
    arn.contains(":dynamodb:") && arn.contains("/stream/")
}

fn text(p: &Json, key: &str) -> Option<String> {
    p.get(key).and_then(crate::sqs::queue::text)
}

/// A whole-number property within `min..=max` (CloudFormation often writes numbers as strings). Errors: the
/// CreateEventSourceMapping validation message for the member.
fn number(p: &Json, key: &str, default: i64, min: i64, max: i64) -> Result<i64, String> {
    let Some(raw) = text(p, key) else {
        return Ok(default);
    };
    let member = lower_first(key);
    let n = raw
        .trim()
        .parse::<i64>()
        .map_err(|_| format!("1 validation error detected: Value '{raw}' at '{member}' failed to satisfy constraint: Member must be a number"))?;
    if n < min {
        return Err(format!(
            "1 validation error detected: Value '{n}' at '{member}' failed to satisfy constraint: Member must have value greater than or equal to {min}"
        ));
    }
    if n > max {
        return Err(format!(
            "1 validation error detected: Value '{n}' at '{member}' failed to satisfy constraint: Member must have value less than or equal to {max}"
        ));
    }
    Ok(n)
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// The mapping an `AWS::Lambda::EventSourceMapping` resource describes, when its source is a DynamoDB stream
/// (`Ok(None)` for other sources, left to the services that own them). `next_sequence` is the sequence number
/// the next stream record will get, where `LATEST` starts.
///
/// Errors (CreateEventSourceMapping's validation, located at the resource by the caller): a missing or unknown
/// `StartingPosition`, numbers out of range, `MaximumRecordAgeInSeconds` between -1 and 60, a destination that is
/// not an SQS queue or SNS topic; `not simulated: ...` for the parameters the poller does not model.
pub fn from_resource(
    resource: &StackResource,
    next_sequence: u128,
) -> Result<Option<StreamEventSourceMapping>, String> {
    let p = &resource.properties;
    let Some(stream_arn) = text(p, "EventSourceArn").filter(|a| is_stream_arn(a)) else {
        return Ok(None);
    };
    for unsupported in ["FilterCriteria", "TumblingWindowInSeconds", "StartingPositionTimestamp"] {
        if p.get(unsupported).is_some_and(|v| !v.is_null()) {
            return Err(format!(
                "not simulated: {unsupported} on a DynamoDB Streams event source mapping"
            ));
        }
    }
    if number(p, "ParallelizationFactor", 1, 1, 10)? > 1 {
        return Err("not simulated: ParallelizationFactor above 1 (the simulated stream has one shard)".to_string());
    }
    // Source: CreateEventSourceMapping, StartingPosition ("Required if the event source is a stream").
    let starting_position = match text(p, "StartingPosition").as_deref() {
        Some("TRIM_HORIZON") => StartingPosition::TrimHorizon,
        Some("LATEST") => StartingPosition::Latest,
        Some("AT_TIMESTAMP") => {
            return Err("not simulated: StartingPosition AT_TIMESTAMP (Kinesis only)".to_string());
        }
        Some(other) => {
            return Err(format!(
                "1 validation error detected: Value '{other}' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]"
            ))
        }
        // AWS's exact text for this case is not documented; this names the rule its page states.
        None => return Err("StartingPosition is required for a DynamoDB Streams event source".to_string()),
    };
    let maximum_record_age_seconds = number(p, "MaximumRecordAgeInSeconds", -1, -1, 604_800)?;
    if (0..60).contains(&maximum_record_age_seconds) {
        return Err(format!(
            "1 validation error detected: Value '{maximum_record_age_seconds}' at 'maximumRecordAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60"
        ));
    }
    let on_failure = p
        .pointer("/DestinationConfig/OnFailure/Destination")
        .and_then(Json::as_str)
        .map(str::to_string);
    if let Some(arn) = &on_failure {
        if !arn.contains(":sqs:") && !arn.contains(":sns:") {
            return Err(format!(
                "not simulated: the on-failure destination {arn} (only SQS queues and SNS topics)"
            ));
        }
    }
    let state = ShardState {
        checkpoint: match starting_position {
            StartingPosition::TrimHorizon => 0,
            StartingPosition::Latest => next_sequence.saturating_sub(1),
        },
        ..ShardState::default()
    };
    Ok(Some(StreamEventSourceMapping {
        uuid: resource.physical_id.clone(),
        function_name: text(p, "FunctionName").unwrap_or_default(),
        stream_arn,
        batch_size: number(p, "BatchSize", DEFAULT_BATCH_SIZE as i64, 1, 10_000)? as usize,
        enabled: text(p, "Enabled").is_none_or(|s| s != "false"),
        starting_position,
        report_batch_item_failures: p
            .get("FunctionResponseTypes")
            .and_then(Json::as_array)
            .is_some_and(|a| a.iter().any(|t| t == "ReportBatchItemFailures")),
        batching_window_seconds: number(p, "MaximumBatchingWindowInSeconds", 0, 0, 300)? as u64,
        maximum_retry_attempts: number(p, "MaximumRetryAttempts", -1, -1, 10_000)?,
        maximum_record_age_seconds,
        bisect_batch_on_function_error: text(p, "BisectBatchOnFunctionError").is_some_and(|s| s == "true"),
        on_failure,
        state,
    }))
}

/// The record as Lambda delivers it: the stream record plus `eventSourceARN`.
pub fn lambda_record(record: &StreamRecord, stream_arn: &str) -> Json {
    let mut json = record.json.clone();
    if let Json::Object(map) = &mut json {
        map.insert("eventSourceARN".into(), json!(stream_arn));
    }
    json
}

/// What the function's answer says about a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every record is done.
    Success,
    /// The records before index `n` are done; the rest are retried.
    FailedFrom(usize),
}

/// The outcome of a successful invocation's response, when the mapping reports item failures ("Configuring
/// partial batch response with DynamoDB and Lambda"): the lowest failed sequence number is the checkpoint; an
/// empty, null or unknown `itemIdentifier` fails the whole batch.
pub fn outcome(mapping: &StreamEventSourceMapping, payload: &str, batch: &[StreamRecord]) -> Outcome {
    if !mapping.report_batch_item_failures {
        return Outcome::Success;
    }
    let Ok(response) = serde_json::from_str::<Json>(payload) else {
        return Outcome::Success;
    };
    let items = match response.get("batchItemFailures") {
        None | Some(Json::Null) => return Outcome::Success,
        Some(Json::Array(items)) => items,
        Some(_) => return Outcome::FailedFrom(0),
    };
    let mut lowest: Option<usize> = None;
    for item in items {
        let id = item.get("itemIdentifier").and_then(Json::as_str).unwrap_or_default();
        let Some(index) = batch.iter().position(|r| r.sequence.to_string() == id) else {
            return Outcome::FailedFrom(0);
        };
        lowest = Some(lowest.map_or(index, |l| l.min(index)));
    }
    lowest.map_or(Outcome::Success, Outcome::FailedFrom)
}

/// The invocation record sent to the on-failure destination ("Retain discarded records for a DynamoDB event
/// source in Lambda", example invocation record): `requestContext` {`requestId`, `functionArn`, `condition`,
/// `approximateInvokeCount`}, `responseContext` {`statusCode`, `executedVersion`, `functionError`}, `version`
/// `1.0`, `timestamp` (ISO 8601 with milliseconds), `DDBStreamBatchInfo` {`shardId`, `startSequenceNumber`,
/// `endSequenceNumber`, `approximateArrivalOfFirstRecord`, `approximateArrivalOfLastRecord` (ISO 8601 seconds),
/// `batchSize`, `streamArn`}. The records themselves are not included.
#[allow(clippy::too_many_arguments)]
pub fn on_failure_record(
    request_id: &str,
    function_arn: &str,
    condition: &str,
    invoke_count: u64,
    response: Json,
    now_ms: u64,
    shard_id: &str,
    stream_arn: &str,
    batch: &[StreamRecord],
) -> Json {
    let first = batch.first();
    let last = batch.last();
    let seq = |r: Option<&StreamRecord>| r.map(|r| r.sequence.to_string()).unwrap_or_default();
    let arrival = |r: Option<&StreamRecord>| {
        r.map(|r| crate::events::schedule::iso_seconds(r.created_ms))
            .unwrap_or_default()
    };
    json!({
        "requestContext": {
            "requestId": request_id,
            "functionArn": function_arn,
            "condition": condition,
            "approximateInvokeCount": invoke_count,
        },
        "responseContext": response,
        "version": "1.0",
        "timestamp": crate::js::iso_millis(now_ms),
        "DDBStreamBatchInfo": {
            "shardId": shard_id,
            "startSequenceNumber": seq(first),
            "endSequenceNumber": seq(last),
            "approximateArrivalOfFirstRecord": arrival(first),
            "approximateArrivalOfLastRecord": arrival(last),
            "batchSize": batch.len(),
            "streamArn": stream_arn,
        },
    })
}

/// The first `limit` records after the mapping's checkpoint still kept at `now_ms`, and the shard id.
fn pending(cloud: &mut Cloud, arn: &str, checkpoint: u128, limit: usize) -> (Vec<StreamRecord>, String) {
    let now = cloud.clock.now_millis();
    let Some(stream) = cloud.service_mut::<DynamoDb>().and_then(|db| db.streams.get_mut(arn)) else {
        return (Vec::new(), String::new());
    };
    stream.trim(now);
    let records = stream
        .records
        .iter()
        .skip_while(|r| r.sequence <= checkpoint)
        .take(limit)
        .cloned()
        .collect();
    (records, stream.shard_id.clone())
}

/// Whether a batch is due: retries wait their delay; with a batching window a batch waits until it is full or
/// its first record has waited the window.
fn due_at(mapping: &StreamEventSourceMapping, records: &[StreamRecord]) -> Option<u64> {
    let first = records.first()?;
    let window = if records.len() >= mapping.batch_size || mapping.state.attempts > 0 {
        0
    } else {
        mapping.batching_window_seconds * 1000
    };
    Some(first.created_ms.saturating_add(window).max(mapping.state.retry_at_ms))
}

/// The function's ARN as the invocation record names it (qualified when the mapping names a qualifier), and the
/// execution role's caller for the destination.
fn function_identity(cloud: &Cloud, function_name: &str) -> (String, Option<Caller>) {
    let Some(lambda) = cloud.service::<Lambda>() else {
        return (function_name.to_string(), None);
    };
    let (name, qualifier) = lambda.resolve_name(function_name);
    let Some(function) = lambda.functions.get(&name) else {
        return (function_name.to_string(), None);
    };
    let arn = match qualifier {
        Some(q) => format!("{}:{q}", function.latest.function_arn),
        None => function.latest.function_arn.clone(),
    };
    let caller = Caller::assumed_role(&function.latest.role, &function.latest.function_name);
    (arn, Some(caller))
}

/// Sends the invocation record of a discarded batch to the mapping's on-failure destination, with the execution
/// role (an SQS `SendMessage` or SNS `Publish`). A refused delivery is dropped, as Lambda drops it.
fn discard(cloud: &mut Cloud, index: usize, condition: &str, batch: &[StreamRecord], shard_id: &str) {
    let Some(mapping) = mapping(cloud, index) else { return };
    let Some(destination) = mapping.on_failure.clone() else {
        return;
    };
    let (function_arn, caller) = function_identity(cloud, &mapping.function_name);
    let Some(caller) = caller else { return };
    let (request_id, response) = match &mapping.state.last_invoke {
        Some((id, version, error)) => {
            let mut response = json!({"statusCode": 200, "executedVersion": version});
            if let Some(e) = error {
                response["functionError"] = json!(e);
            }
            (id.clone(), response)
        }
        // Discarded before any invocation (too old): no response to describe.
        None => (cloud.ids.uuid(), json!({})),
    };
    let record = on_failure_record(
        &request_id,
        &function_arn,
        condition,
        mapping.state.attempts,
        response,
        cloud.clock.now_millis(),
        shard_id,
        &mapping.stream_arn,
        batch,
    )
    .to_string();
    let (service, operation, input) = if destination.contains(":sqs:") {
        let url = cloud
            .service_mut::<crate::sqs::Sqs>()
            .and_then(|s| s.queue_by_arn(&destination).map(|q| q.url.clone()));
        let Some(url) = url else { return };
        ("sqs", "SendMessage", json!({"QueueUrl": url, "MessageBody": record}))
    } else {
        ("sns", "Publish", json!({"TopicArn": destination, "Message": record}))
    };
    let _ = cloud.call(&ApiRequest {
        service,
        operation,
        input: &input,
        caller: &caller,
    });
}

fn mapping(cloud: &Cloud, index: usize) -> Option<StreamEventSourceMapping> {
    cloud
        .service::<DynamoDb>()
        .and_then(|db| db.event_source_mappings.get(index).cloned())
}

fn set_state(cloud: &mut Cloud, index: usize, state: ShardState) {
    if let Some(m) = cloud
        .service_mut::<DynamoDb>()
        .and_then(|db| db.event_source_mappings.get_mut(index))
    {
        m.state = state;
    }
}

/// Moves the checkpoint past `last` and starts a fresh batch.
fn advance_checkpoint(state: &mut ShardState, last: u128) {
    state.checkpoint = state.checkpoint.max(last);
    state.attempts = 0;
    state.retries = 0;
    state.retry_at_ms = 0;
    state.last_invoke = None;
}

/// One poll of one mapping: discard what is too old, take a due batch, invoke, checkpoint or schedule the retry.
/// Answers whether something happened.
fn poll_once(cloud: &mut Cloud, index: usize) -> bool {
    let Some(m) = mapping(cloud, index).filter(|m| m.enabled) else {
        return false;
    };
    let now = cloud.clock.now_millis();
    // A batch is at most `BatchSize` records: only those are read (and checked for age) at a time.
    let (records, shard_id) = pending(cloud, &m.stream_arn, m.state.checkpoint, m.batch_size);
    if m.maximum_record_age_seconds >= 0 {
        let max_age_ms = m.maximum_record_age_seconds as u64 * 1000;
        let old: Vec<StreamRecord> = records
            .iter()
            .take_while(|r| r.created_ms.saturating_add(max_age_ms) < now)
            .cloned()
            .collect();
        if let Some(last) = old.last() {
            discard(cloud, index, "MaximumRecordAgeExceeded", &old, &shard_id);
            let mut state = m.state.clone();
            advance_checkpoint(&mut state, last.sequence);
            state.bisected.clear();
            set_state(cloud, index, state);
            return true;
        }
    }
    if due_at(&m, &records).is_none_or(|t| t > now) {
        return false;
    }
    let size = m
        .state
        .bisected
        .front()
        .copied()
        .unwrap_or(m.batch_size)
        .min(records.len());
    let batch = records.get(..size).unwrap_or_default();
    let Some(last) = batch.last().map(|r| r.sequence) else {
        return false;
    };
    let event = json!({"Records": batch.iter().map(|r| lambda_record(r, &m.stream_arn)).collect::<Vec<_>>()});
    let payload = event.to_string();
    let result = lambda::invoke(cloud, &m.function_name, InvocationType::RequestResponse, &payload);
    keep_invocation(cloud, &m.uuid, now, payload, &result);
    let mut state = m.state.clone();
    let now = cloud.clock.now_millis();
    let failed_from = match &result {
        Ok(out) => {
            state.refusals = 0;
            state.attempts += 1;
            state.last_invoke = Some((
                out.request_id.clone(),
                out.executed_version.clone(),
                out.function_error.clone(),
            ));
            match out.function_error {
                Some(_) => {
                    if m.bisect_batch_on_function_error && batch.len() > 1 {
                        // Split in two; the halves are new batches and the split is not a retry.
                        let half = batch.len().div_ceil(2);
                        state.bisected.pop_front();
                        state.bisected.push_front(batch.len() - half);
                        state.bisected.push_front(half);
                        state.attempts = 0;
                        state.last_invoke = None;
                        set_state(cloud, index, state);
                        return true;
                    }
                    0
                }
                None => match outcome(&m, &out.payload, batch) {
                    Outcome::Success => {
                        advance_checkpoint(&mut state, last);
                        state.bisected.pop_front();
                        set_state(cloud, index, state);
                        return true;
                    }
                    Outcome::FailedFrom(n) => n,
                },
            }
        }
        // The function could not be invoked (throttled, missing): retried without counting, until the
        // records expire or grow too old.
        Err(_) => {
            state.retry_at_ms = now.saturating_add(retry_delay(state.refusals));
            state.refusals += 1;
            set_state(cloud, index, state);
            return true;
        }
    };
    if failed_from > 0 {
        // Checkpoint before the lowest failed record; the rest is retried as a new batch, once invoked.
        if let Some(done) = batch.get(failed_from - 1) {
            advance_checkpoint(&mut state, done.sequence);
            state.attempts = 1;
        }
        state.bisected.clear();
    }
    let remaining = batch.get(failed_from..).unwrap_or_default();
    state.retries += 1;
    let exhausted = m.maximum_retry_attempts >= 0 && state.retries > m.maximum_retry_attempts as u64;
    if exhausted {
        set_state(cloud, index, state.clone());
        discard(cloud, index, "RetryAttemptsExhausted", remaining, &shard_id);
        advance_checkpoint(&mut state, last);
        state.bisected.pop_front();
    } else {
        state.retry_at_ms = now.saturating_add(retry_delay(state.retries - 1));
    }
    set_state(cloud, index, state);
    true
}

fn keep_invocation(
    cloud: &mut Cloud,
    uuid: &str,
    at_ms: u64,
    payload: String,
    result: &Result<lambda::InvokeOutput, lambda::InvokeError>,
) {
    let invocation = match result {
        Ok(out) => StreamInvocation {
            uuid: uuid.to_string(),
            at_ms,
            payload,
            request_id: out.request_id.clone(),
            error: out.function_error.clone(),
            response: out.payload.clone(),
            logs: out.logs.clone(),
        },
        Err(e) => StreamInvocation {
            uuid: uuid.to_string(),
            at_ms,
            payload,
            request_id: String::new(),
            error: Some(format!("{e:?}")),
            response: String::new(),
            logs: Vec::new(),
        },
    };
    if let Some(db) = cloud.service_mut::<DynamoDb>() {
        if db.stream_invocations.len() >= MAX_INVOCATIONS {
            db.stream_invocations.remove(0);
        }
        db.stream_invocations.push(invocation);
    }
}

/// The delay before retry number `retries + 1`: 250 ms doubling, at most 60 s (the simulator's reading).
pub fn retry_delay(retries: u64) -> u64 {
    POLL_INTERVAL_MS
        .saturating_mul(1u64 << retries.min(16))
        .min(MAX_RETRY_DELAY_MS)
}

/// Polls every enabled stream mapping at the current virtual time until none has a due batch (or
/// [`MAX_ROUNDS`] polls made progress); answers the number of polls that did something.
pub fn poll_event_sources(cloud: &mut Cloud) -> usize {
    let count = cloud
        .service::<DynamoDb>()
        .map_or(0, |db| db.event_source_mappings.len());
    let mut rounds = 0;
    while rounds < MAX_ROUNDS {
        let before = rounds;
        for index in 0..count {
            if poll_once(cloud, index) {
                rounds += 1;
            }
        }
        if rounds == before {
            break;
        }
    }
    rounds
}

/// The next virtual time after `now` when some enabled mapping has something to do: a batch due (a retry's
/// delay over, a batching window closed) or a record reaching its maximum age.
pub fn next_due_ms(cloud: &Cloud, now: u64) -> Option<u64> {
    let db = cloud.service::<DynamoDb>()?;
    db.event_source_mappings
        .iter()
        .filter(|m| m.enabled)
        .filter_map(|m| {
            let stream = db.streams.get(&m.stream_arn)?;
            let records: Vec<StreamRecord> = stream
                .records
                .iter()
                .skip_while(|r| r.sequence <= m.state.checkpoint)
                .take(m.batch_size)
                .cloned()
                .collect();
            let due = due_at(m, &records);
            let aged = (m.maximum_record_age_seconds >= 0)
                .then(|| records.first())
                .flatten()
                .map(|r| {
                    r.created_ms
                        .saturating_add((m.maximum_record_age_seconds as u64).saturating_mul(1000))
                        .saturating_add(1)
                });
            [due, aged].into_iter().flatten().filter(|t| *t > now).min()
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(sequence: u128) -> StreamRecord {
        StreamRecord {
            sequence,
            created_ms: 0,
            json: json!({}),
        }
    }

    fn mapping(report: bool) -> StreamEventSourceMapping {
        StreamEventSourceMapping {
            uuid: "u".into(),
            function_name: "f".into(),
            stream_arn: "arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/2026-01-01T00:00:00.000".into(),
            batch_size: 100,
            enabled: true,
            starting_position: StartingPosition::TrimHorizon,
            report_batch_item_failures: report,
            batching_window_seconds: 0,
            maximum_retry_attempts: -1,
            maximum_record_age_seconds: -1,
            bisect_batch_on_function_error: false,
            on_failure: None,
            state: ShardState::default(),
        }
    }

    #[test]
    fn partial_responses_checkpoint_at_the_lowest_failure() {
        let batch = [record(11), record(12), record(13)];
        let m = mapping(true);
        let failures = r#"{"batchItemFailures":[{"itemIdentifier":"13"},{"itemIdentifier":"12"}]}"#;
        assert_eq!(outcome(&m, failures, &batch), Outcome::FailedFrom(1));
        assert_eq!(outcome(&mapping(false), failures, &batch), Outcome::Success);
        for success in [
            r#"{"batchItemFailures":[]}"#,
            r#"{"batchItemFailures":null}"#,
            "{}",
            "null",
        ] {
            assert_eq!(outcome(&m, success, &batch), Outcome::Success, "{success}");
        }
        for whole in [
            r#"{"batchItemFailures":[{"itemIdentifier":""}]}"#,
            r#"{"batchItemFailures":[{"itemIdentifier":null}]}"#,
            r#"{"batchItemFailures":[{"id":"12"}]}"#,
            r#"{"batchItemFailures":[{"itemIdentifier":"99"}]}"#,
        ] {
            assert_eq!(outcome(&m, whole, &batch), Outcome::FailedFrom(0), "{whole}");
        }
    }

    #[test]
    fn retries_back_off_from_the_polling_interval() {
        assert_eq!(retry_delay(0), 250);
        assert_eq!(retry_delay(1), 500);
        assert_eq!(retry_delay(3), 2000);
        assert_eq!(retry_delay(40), 60_000);
    }

    #[test]
    fn the_on_failure_record_has_the_documented_shape() {
        let mut first = record(100_000_000_000_000_000_001);
        first.created_ms = 1_767_225_600_000;
        let r = on_failure_record(
            "req",
            "arn:aws:lambda:us-east-1:123456789012:function:f",
            "RetryAttemptsExhausted",
            1,
            json!({"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"}),
            1_767_225_601_500,
            "shardId-00000001767225600000-abcdef01",
            "arn:s",
            &[first],
        );
        assert_eq!(
            r,
            json!({
                "requestContext": {"requestId": "req", "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:f",
                                   "condition": "RetryAttemptsExhausted", "approximateInvokeCount": 1},
                "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
                "version": "1.0",
                "timestamp": "2026-01-01T00:00:01.500Z",
                "DDBStreamBatchInfo": {
                    "shardId": "shardId-00000001767225600000-abcdef01",
                    "startSequenceNumber": "100000000000000000001",
                    "endSequenceNumber": "100000000000000000001",
                    "approximateArrivalOfFirstRecord": "2026-01-01T00:00:00Z",
                    "approximateArrivalOfLastRecord": "2026-01-01T00:00:00Z",
                    "batchSize": 1,
                    "streamArn": "arn:s"
                }
            })
        );
    }
}
