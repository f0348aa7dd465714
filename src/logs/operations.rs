//! The CloudWatch Logs operations (API reference, one function per operation, input and output members as the
//! JSON protocol carries them).
//!
//! IAM: each operation is checked as `logs:<Operation>` on the resource AWS names in its AccessDenied messages:
//! `arn:aws:logs:<region>:<account>:log-group:<group>:log-stream:<stream>` for stream operations, the same with
//! an empty stream name for group operations, and `log-group::log-stream:` (empty group) for DescribeLogGroups.
//! (AccessDenied texts reported by users, e.g. "not authorized to perform: logs:DescribeLogGroups on resource:
//! arn:aws:logs:us-east-1:123456789012:log-group::log-stream:"; a policy on `log-group:<group>:*` matches them.)

use super::errors::{self, invalid_parameter, log_group_not_found, log_stream_not_found, validation};
use super::filter::FilterPattern;
use super::group::{LogGroup, LogStream, RETENTION_DAYS};
use super::{authorize, log_group_arn, Logs};
use crate::api::{AwsError, Caller};
use crate::cloud::Cloud;
use base64::Engine as _;
use serde_json::{json, Map, Value as Json};

/// The most events `GetLogEvents` / `FilterLogEvents` return, and their default (API reference: 10,000).
pub const MAX_EVENTS: usize = 10_000;
/// The most events in one `PutLogEvents` (API reference: 10,000).
pub const MAX_PUT_EVENTS: usize = 10_000;
/// How far back `PutLogEvents` accepts timestamps: 14 days (API reference `PutLogEvents`).
pub const TOO_OLD_MS: u64 = 14 * 86_400_000;
/// How far ahead: 2 hours.
pub const TOO_NEW_MS: u64 = 2 * 3_600_000;

fn member<'a>(input: &'a Json, name: &str) -> Result<Option<&'a str>, AwsError> {
    match input.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s)),
        Some(other) => Err(validation(&other.to_string(), name, "Member must be a string")),
    }
}

fn required<'a>(input: &'a Json, name: &str) -> Result<&'a str, AwsError> {
    member(input, name)?.ok_or_else(|| validation("null", name, "Member must not be null"))
}

fn number(input: &Json, name: &str) -> Result<Option<u64>, AwsError> {
    match input.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            validation(
                &v.to_string(),
                name,
                "Member must have value greater than or equal to 0",
            )
        }),
    }
}

fn flag(input: &Json, name: &str) -> bool {
    input.get(name).and_then(Json::as_bool).unwrap_or(false)
}

/// `limit` within `1..=max` (default `max`).
fn limit(input: &Json, max: usize) -> Result<usize, AwsError> {
    match number(input, "limit")? {
        None => Ok(max),
        Some(0) => Err(validation(
            "0",
            "limit",
            "Member must have value greater than or equal to 1",
        )),
        Some(n) if n as usize > max => Err(validation(
            &n.to_string(),
            "limit",
            &format!("Member must have value less than or equal to {max}"),
        )),
        Some(n) => Ok(n as usize),
    }
}

/// The group an input names by `logGroupName`, or by `logGroupIdentifier` (a name or an ARN).
fn group_name(input: &Json) -> Result<String, AwsError> {
    if let Some(name) = member(input, "logGroupName")? {
        return Ok(name.to_string());
    }
    let identifier = required(input, "logGroupIdentifier")?;
    let name = identifier
        .split_once(":log-group:")
        .map_or(identifier, |(_, rest)| rest.trim_end_matches(":*"));
    Ok(name.to_string())
}

fn iam_resource(cloud: &Cloud, group: &str, stream: &str) -> String {
    super::log_stream_arn(cloud, group, stream)
}

fn group_mut<'a>(logs: &'a mut Logs, name: &str) -> Result<&'a mut LogGroup, AwsError> {
    logs.groups.get_mut(name).ok_or_else(log_group_not_found)
}

fn encode_token(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

fn decode_index(token: &str, prefix: &str) -> Result<usize, AwsError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token)
        .map_err(|_| errors::invalid_token())?;
    String::from_utf8(bytes)
        .ok()
        .and_then(|t| t.strip_prefix(prefix).and_then(|n| n.parse().ok()))
        .ok_or_else(errors::invalid_token)
}

/// Validates a group name: 1 to 512 characters of `[\.\-_/#A-Za-z0-9]` (API reference `CreateLogGroup`).
fn check_group_name(name: &str) -> Result<(), AwsError> {
    let ok = |c: char| c.is_ascii_alphanumeric() || "._-/#".contains(c);
    if name.is_empty() || name.len() > 512 || !name.chars().all(ok) {
        return Err(validation(
            name,
            "logGroupName",
            "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
        ));
    }
    Ok(())
}

/// `retentionInDays` as `PutRetentionPolicy` and `AWS::Logs::LogGroup` accept it ([`RETENTION_DAYS`]).
///
/// Errors: the enum validation message for any other value.
pub fn retention_days(value: &Json) -> Result<u32, AwsError> {
    let days = value
        .as_u64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
        .and_then(|d| u32::try_from(d).ok());
    match days {
        Some(d) if RETENTION_DAYS.contains(&d) => Ok(d),
        _ => {
            let shown = value.as_str().map_or_else(|| value.to_string(), str::to_string);
            let set: Vec<String> = RETENTION_DAYS.iter().map(u32::to_string).collect();
            Err(validation(
                &shown,
                "retentionInDays",
                &format!("Member must satisfy enum value set: [{}]", set.join(", ")),
            ))
        }
    }
}

/// `CreateLogGroup`: an empty group, created now.
///
/// Errors: `ResourceAlreadyExistsException`; an invalid name; `kmsKeyId` and classes other than `STANDARD` are
/// not simulated.
pub fn create_log_group(logs: &mut Logs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = required(input, "logGroupName")?;
    check_group_name(name)?;
    authorize(cloud, caller, "logs:CreateLogGroup", &iam_resource(cloud, name, ""))?;
    if input.get("kmsKeyId").is_some() {
        return Err(AwsError::not_simulated("CreateLogGroup kmsKeyId"));
    }
    if let Some(class) = member(input, "logGroupClass")?.filter(|c| *c != "STANDARD") {
        return Err(AwsError::not_simulated(format!("log group class {class}")));
    }
    if logs.groups.contains_key(name) {
        return Err(errors::log_group_exists());
    }
    create_group(logs, name, cloud.clock.now_millis());
    Ok(json!({}))
}

/// Creates group `name` at `now` (no check).
pub fn create_group(logs: &mut Logs, name: &str, now: u64) {
    logs.groups.insert(
        name.to_string(),
        LogGroup {
            name: name.to_string(),
            creation_time: now,
            ..LogGroup::default()
        },
    );
}

/// `DeleteLogGroup`: the group and its events.
pub fn delete_log_group(logs: &mut Logs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = required(input, "logGroupName")?;
    authorize(cloud, caller, "logs:DeleteLogGroup", &iam_resource(cloud, name, ""))?;
    logs.groups.remove(name).ok_or_else(log_group_not_found)?;
    Ok(json!({}))
}

/// The `LogGroup` shape, members in the order the AWS CLI prints them.
fn describe_group(cloud: &Cloud, group: &LogGroup) -> Json {
    let arn = log_group_arn(cloud, &group.name);
    let mut out = Map::new();
    out.insert("logGroupName".into(), json!(group.name));
    out.insert("creationTime".into(), json!(group.creation_time));
    if let Some(days) = group.retention_in_days {
        out.insert("retentionInDays".into(), json!(days));
    }
    out.insert("metricFilterCount".into(), json!(0));
    out.insert("arn".into(), json!(format!("{arn}:*")));
    // storedBytes: AWS updates it hours after ingestion; a playground without that delay reports 0 (unknown).
    out.insert("storedBytes".into(), json!(0));
    out.insert("logGroupClass".into(), json!("STANDARD"));
    out.insert("logGroupArn".into(), json!(arn));
    Json::Object(out)
}

/// `DescribeLogGroups`: groups in name order, filtered by `logGroupNamePrefix` (or `logGroupNamePattern`, a
/// case-insensitive substring), `limit` up to 50, `nextToken`.
pub fn describe_log_groups(
    logs: &mut Logs,
    cloud: &mut Cloud,
    caller: &Caller,
    input: &Json,
) -> Result<Json, AwsError> {
    authorize(cloud, caller, "logs:DescribeLogGroups", &iam_resource(cloud, "", ""))?;
    let prefix = member(input, "logGroupNamePrefix")?.unwrap_or("");
    let pattern = member(input, "logGroupNamePattern")?.map(str::to_ascii_lowercase);
    if !prefix.is_empty() && pattern.is_some() {
        // Source: API reference DescribeLogGroups ("logGroupNamePattern and logGroupNamePrefix are mutually
        // exclusive"); the exact message AWS gives is unknown.
        return Err(invalid_parameter(
            "logGroupNamePattern and logGroupNamePrefix are mutually exclusive.",
        ));
    }
    let limit = limit(input, 50)?;
    let start = match member(input, "nextToken")? {
        Some(token) => decode_index(token, "g:")?,
        None => 0,
    };
    let matching: Vec<&LogGroup> = logs
        .groups
        .values()
        .filter(|g| g.name.starts_with(prefix))
        .filter(|g| pattern.as_ref().is_none_or(|p| g.name.to_ascii_lowercase().contains(p)))
        .collect();
    let page: Vec<Json> = matching
        .iter()
        .skip(start)
        .take(limit)
        .map(|g| describe_group(cloud, g))
        .collect();
    let mut out = json!({ "logGroups": page });
    if start + limit < matching.len() {
        out["nextToken"] = json!(encode_token(&format!("g:{}", start + limit)));
    }
    Ok(out)
}

/// `CreateLogStream`.
///
/// Errors: unknown group, existing stream, a name with `:` or `*` (API reference: `[^:*]*`, 1 to 512).
pub fn create_log_stream(logs: &mut Logs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let group = required(input, "logGroupName")?;
    let stream = required(input, "logStreamName")?;
    if stream.is_empty() || stream.len() > 512 || stream.contains([':', '*']) {
        return Err(validation(
            stream,
            "logStreamName",
            "Member must satisfy regular expression pattern: [^:*]*",
        ));
    }
    authorize(
        cloud,
        caller,
        "logs:CreateLogStream",
        &iam_resource(cloud, group, stream),
    )?;
    let now = cloud.clock.now_millis();
    let group = group_mut(logs, group)?;
    if group.streams.contains_key(stream) {
        return Err(errors::log_stream_exists());
    }
    group.streams.insert(
        stream.to_string(),
        LogStream {
            name: stream.to_string(),
            creation_time: now,
            ..LogStream::default()
        },
    );
    Ok(json!({}))
}

/// `DeleteLogStream`.
pub fn delete_log_stream(logs: &mut Logs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let group = required(input, "logGroupName")?;
    let stream = required(input, "logStreamName")?;
    authorize(
        cloud,
        caller,
        "logs:DeleteLogStream",
        &iam_resource(cloud, group, stream),
    )?;
    group_mut(logs, group)?
        .streams
        .remove(stream)
        .ok_or_else(log_stream_not_found)?;
    Ok(json!({}))
}

/// `DescribeLogStreams`: by name (default) or by `LastEventTime`, `descending`, `logStreamNamePrefix`, `limit`
/// up to 50, `nextToken`.
///
/// Errors: unknown group; `orderBy` outside the enum; `LastEventTime` with a prefix (message as moto 5.2.1 gives
/// it, which reproduces AWS's).
pub fn describe_log_streams(
    logs: &mut Logs,
    cloud: &mut Cloud,
    caller: &Caller,
    input: &Json,
) -> Result<Json, AwsError> {
    let name = group_name(input)?;
    authorize(
        cloud,
        caller,
        "logs:DescribeLogStreams",
        &iam_resource(cloud, &name, ""),
    )?;
    let prefix = member(input, "logStreamNamePrefix")?.unwrap_or("");
    let by_time = match member(input, "orderBy")?.unwrap_or("LogStreamName") {
        "LogStreamName" => false,
        "LastEventTime" => true,
        other => {
            return Err(validation(
                other,
                "orderBy",
                "Member must satisfy enum value set: [LogStreamName, LastEventTime]",
            ))
        }
    };
    if by_time && !prefix.is_empty() {
        return Err(invalid_parameter(
            "Cannot order by LastEventTime with a logStreamNamePrefix.",
        ));
    }
    let limit = limit(input, 50)?;
    let start = match member(input, "nextToken")? {
        Some(token) => decode_index(token, "s:")?,
        None => 0,
    };
    let now = cloud.clock.now_millis();
    let group = logs.groups.get(&name).ok_or_else(log_group_not_found)?;
    let cutoff = group.cutoff(now);
    let mut streams: Vec<&LogStream> = group.streams.values().filter(|s| s.name.starts_with(prefix)).collect();
    if by_time {
        let last = |s: &LogStream| s.live(cutoff).map(|e| e.timestamp).max().unwrap_or(0);
        streams.sort_by_key(|s| last(s));
    }
    if flag(input, "descending") {
        streams.reverse();
    }
    let arn = log_group_arn(cloud, &name);
    let page: Vec<Json> = streams
        .iter()
        .skip(start)
        .take(limit)
        .map(|s| s.describe(&arn, cutoff))
        .collect();
    let mut out = json!({ "logStreams": page });
    if start + limit < streams.len() {
        out["nextToken"] = json!(encode_token(&format!("s:{}", start + limit)));
    }
    Ok(out)
}

/// `PutLogEvents`: appends `logEvents` (`timestamp`, `message`) to a stream. Events more than 14 days old, more
/// than 2 hours ahead, or older than the retention period are rejected and reported in `rejectedLogEventsInfo`
/// (`tooOldLogEventEndIndex`, `tooNewLogEventStartIndex`, `expiredLogEventEndIndex`). The sequence token is
/// ignored, as AWS has done since January 2023 (API reference `PutLogEvents`); `nextSequenceToken` is still
/// answered.
///
/// Errors: unknown group or stream; no events, more than 10,000, or events out of chronological order
/// ("Log events in a single PutLogEvents request must be in chronological order.").
pub fn put_log_events(logs: &mut Logs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let group_name = required(input, "logGroupName")?;
    let stream = required(input, "logStreamName")?;
    authorize(
        cloud,
        caller,
        "logs:PutLogEvents",
        &iam_resource(cloud, group_name, stream),
    )?;
    let events = match input.get("logEvents") {
        Some(Json::Array(events)) => events,
        _ => return Err(validation("null", "logEvents", "Member must not be null")),
    };
    if events.is_empty() || events.len() > MAX_PUT_EVENTS {
        let constraint = if events.is_empty() {
            "Member must have length greater than or equal to 1".to_string()
        } else {
            format!("Member must have length less than or equal to {MAX_PUT_EVENTS}")
        };
        return Err(validation("[...]", "logEvents", &constraint));
    }
    let mut parsed = Vec::with_capacity(events.len());
    for event in events {
        let timestamp = event
            .get("timestamp")
            .and_then(Json::as_u64)
            .ok_or_else(|| validation("null", "logEvents.member.timestamp", "Member must not be null"))?;
        let message = event
            .get("message")
            .and_then(Json::as_str)
            .ok_or_else(|| validation("null", "logEvents.member.message", "Member must not be null"))?;
        if parsed.last().is_some_and(|(t, _)| *t > timestamp) {
            return Err(invalid_parameter(
                "Log events in a single PutLogEvents request must be in chronological order.",
            ));
        }
        parsed.push((timestamp, message.to_string()));
    }
    let now = cloud.clock.now_millis();
    let group = group_mut(logs, group_name)?;
    if !group.streams.contains_key(stream) {
        return Err(log_stream_not_found());
    }
    let (cutoff, oldest, newest) = (
        group.cutoff(now),
        now.saturating_sub(TOO_OLD_MS),
        now.saturating_add(TOO_NEW_MS),
    );
    let mut rejected = Map::new();
    let mut accepted = Vec::new();
    for (index, (timestamp, message)) in parsed.into_iter().enumerate() {
        if timestamp < cutoff {
            rejected.insert("expiredLogEventEndIndex".into(), json!(index));
        } else if timestamp < oldest {
            rejected.insert("tooOldLogEventEndIndex".into(), json!(index));
        } else if timestamp > newest {
            rejected
                .entry("tooNewLogEventStartIndex")
                .or_insert_with(|| json!(index));
        } else {
            accepted.push((timestamp, message));
        }
    }
    group.put(stream, accepted, now);
    let mut out = json!({ "nextSequenceToken": format!("{:056}", group.next_sequence) });
    if !rejected.is_empty() {
        out["rejectedLogEventsInfo"] = Json::Object(rejected);
    }
    Ok(out)
}

fn event_times(input: &Json) -> Result<(u64, u64), AwsError> {
    Ok((
        number(input, "startTime")?.unwrap_or(0),
        number(input, "endTime")?.unwrap_or(u64::MAX),
    ))
}

/// `GetLogEvents`: one stream's events in timestamp order within `[startTime, endTime)`; from the head with
/// `startFromHead`, else the newest `limit`; `nextForwardToken` / `nextBackwardToken` as `f/<56 digits>` /
/// `b/<56 digits>` (AWS's token shape; at the end of the stream the forward token comes back unchanged).
pub fn get_log_events(logs: &mut Logs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = group_name(input)?;
    let stream = required(input, "logStreamName")?;
    authorize(cloud, caller, "logs:GetLogEvents", &iam_resource(cloud, &name, stream))?;
    let limit = limit(input, MAX_EVENTS)?;
    let (start_time, end_time) = event_times(input)?;
    let group = logs.groups.get(&name).ok_or_else(log_group_not_found)?;
    let cutoff = group.cutoff(cloud.clock.now_millis());
    let stream = group.streams.get(stream).ok_or_else(log_stream_not_found)?;
    let mut events: Vec<_> = stream
        .live(cutoff)
        .filter(|e| e.timestamp >= start_time && e.timestamp < end_time)
        .collect();
    events.sort_by_key(|e| e.timestamp);
    let n = events.len();
    let (from, to) = match member(input, "nextToken")? {
        Some(token) => {
            let (direction, index) = token.split_once('/').ok_or_else(errors::invalid_token)?;
            let index: usize = index.parse().map_err(|_| errors::invalid_token())?;
            match direction {
                "f" => (index.min(n), index.saturating_add(limit).min(n)),
                "b" => (index.min(n).saturating_sub(limit), index.min(n)),
                _ => return Err(errors::invalid_token()),
            }
        }
        None if flag(input, "startFromHead") => (0, limit.min(n)),
        None => (n.saturating_sub(limit), n),
    };
    let page: Vec<Json> = events[from..to]
        .iter()
        .map(|e| json!({"timestamp": e.timestamp, "message": e.message, "ingestionTime": e.ingestion_time}))
        .collect();
    Ok(json!({
        "events": page,
        "nextForwardToken": format!("f/{to:056}"),
        "nextBackwardToken": format!("b/{from:056}"),
    }))
}

/// `FilterLogEvents`: the events of a group (or of `logStreamNames` / `logStreamNamePrefix`) within
/// `[startTime, endTime)` that match `filterPattern` ([`FilterPattern`]), in timestamp order across streams,
/// at most `limit` (default 10,000) per page with a `nextToken` while more remain. `searchedLogStreams` is an
/// empty list (API reference: "As of May 15, 2020, this parameter is no longer supported").
///
/// Errors: unknown group, an invalid pattern (`InvalidParameterException`), both stream selectors.
pub fn filter_log_events(logs: &mut Logs, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = group_name(input)?;
    authorize(cloud, caller, "logs:FilterLogEvents", &iam_resource(cloud, &name, ""))?;
    let pattern = FilterPattern::parse(member(input, "filterPattern")?.unwrap_or(""))?;
    let limit = limit(input, MAX_EVENTS)?;
    let (start_time, end_time) = event_times(input)?;
    let names: Option<Vec<&str>> = match input.get("logStreamNames") {
        None | Some(Json::Null) => None,
        Some(Json::Array(items)) => Some(items.iter().filter_map(Json::as_str).collect()),
        Some(other) => {
            return Err(validation(
                &other.to_string(),
                "logStreamNames",
                "Member must be a list",
            ))
        }
    };
    let prefix = member(input, "logStreamNamePrefix")?;
    if names.is_some() && prefix.is_some() {
        // API reference: "If you specify a value for both logStreamNamePrefix and logStreamNames, the action
        // returns an InvalidParameterException error." The exact message is not documented.
        return Err(invalid_parameter(
            "logStreamNamePrefix and logStreamNames cannot both be specified.",
        ));
    }
    let start = match member(input, "nextToken")? {
        Some(token) => decode_index(token, "e:")?,
        None => 0,
    };
    let group = logs.groups.get(&name).ok_or_else(log_group_not_found)?;
    if let Some(names) = &names {
        if names.iter().any(|n| !group.streams.contains_key(*n)) {
            return Err(log_stream_not_found());
        }
    }
    let cutoff = group.cutoff(cloud.clock.now_millis());
    let mut matched = Vec::new();
    for stream in group.streams.values() {
        let selected = match (&names, prefix) {
            (Some(names), _) => names.contains(&stream.name.as_str()),
            (None, Some(prefix)) => stream.name.starts_with(prefix),
            (None, None) => true,
        };
        if !selected {
            continue;
        }
        matched.extend(
            stream
                .live(cutoff)
                .filter(|e| e.timestamp >= start_time && e.timestamp < end_time)
                .filter(|e| pattern.matches(&e.message))
                .map(|e| (stream.name.as_str(), e)),
        );
    }
    // Stable: ties keep stream order, then the order events were put.
    matched.sort_by_key(|(_, e)| e.timestamp);
    let page: Vec<Json> = matched
        .iter()
        .skip(start)
        .take(limit)
        .map(|(stream, e)| {
            json!({
                "logStreamName": stream,
                "timestamp": e.timestamp,
                "message": e.message,
                "ingestionTime": e.ingestion_time,
                "eventId": e.event_id,
            })
        })
        .collect();
    let mut out = json!({ "events": page, "searchedLogStreams": [] });
    if start + limit < matched.len() {
        out["nextToken"] = json!(encode_token(&format!("e:{}", start + limit)));
    }
    Ok(out)
}

/// `PutRetentionPolicy`: events older than `retentionInDays` (counted from each event's timestamp, on the
/// virtual clock) are no longer returned.
pub fn put_retention_policy(
    logs: &mut Logs,
    cloud: &mut Cloud,
    caller: &Caller,
    input: &Json,
) -> Result<Json, AwsError> {
    let name = required(input, "logGroupName")?;
    let days = retention_days(input.get("retentionInDays").unwrap_or(&Json::Null))?;
    authorize(cloud, caller, "logs:PutRetentionPolicy", &iam_resource(cloud, name, ""))?;
    group_mut(logs, name)?.retention_in_days = Some(days);
    Ok(json!({}))
}

/// `DeleteRetentionPolicy`: events never expire again.
pub fn delete_retention_policy(
    logs: &mut Logs,
    cloud: &mut Cloud,
    caller: &Caller,
    input: &Json,
) -> Result<Json, AwsError> {
    let name = required(input, "logGroupName")?;
    authorize(
        cloud,
        caller,
        "logs:DeleteRetentionPolicy",
        &iam_resource(cloud, name, ""),
    )?;
    group_mut(logs, name)?.retention_in_days = None;
    Ok(json!({}))
}
