//! Lambda's writes: every line of an invocation (init lines, START, the function's lines, END, REPORT, in the
//! function's log format) becomes an event of the stream of the execution environment that ran it, in the group
//! `/aws/lambda/<function name>`.
//!
//! Lambda writes as the function's execution role (Lambda developer guide "Sending Lambda function logs to
//! CloudWatch Logs": logs are sent "provided your function's execution role has the necessary permissions",
//! `logs:CreateLogGroup`, `logs:CreateLogStream` and `logs:PutLogEvents`, as `AWSLambdaBasicExecutionRole` grants;
//! AWS Lambda Operator Guide "Access to CloudWatch Logs": "If the role is missing these permissions, the function
//! still runs but it is unable to log any output to the CloudWatch service"; lambda-facts §6). The group is created
//! on the first invoke when it does not exist, as AWS does; a denied step writes nothing and the invocation is
//! unaffected. The IAM resources are the ones AWS's AccessDenied messages name: `log-group:<group>:log-stream:`
//! for CreateLogGroup, `log-group:<group>:log-stream:<stream>` for the stream (so the operator guide's policy on
//! `log-group:/aws/lambda/<function>:*` allows them).
//!
//! Timestamps: a line that starts with its own time (the runtime's `<ISO time>\t<request id>\t...` lines, the
//! JSON `timestamp` / `time` members) keeps it; START takes the invoke's start; END and REPORT the invoke's end;
//! other lines the last time seen before them. Events are ingested when the invoke ends.

use super::{log_group_arn, log_stream_arn, Logs};
use crate::api::Caller;
use crate::cloud::Cloud;
use crate::iam::Decision;
use crate::lambda::FunctionConfiguration;

/// The virtual times of one invocation, in ms since the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvocationTimes {
    /// When the environment started (cold start) or the invoke began (warm).
    pub start_ms: u64,
    /// When the handler was called (the START line).
    pub invoke_start_ms: u64,
    /// When the invoke ended (END, REPORT; ingestion time).
    pub end_ms: u64,
}

/// The group of a function: `/aws/lambda/<function name>`.
pub fn function_log_group(function_name: &str) -> String {
    format!("/aws/lambda/{function_name}")
}

/// Writes one invocation's text-format `lines` to the function's group, stream `log_stream` (JSON-format
/// functions get the JSON lines, [`crate::lambda::logging::to_json_lines`]). Does nothing without the Logs
/// service or when the execution role may not write (module docs).
pub fn deliver(
    cloud: &mut Cloud,
    config: &FunctionConfiguration,
    log_stream: &str,
    lines: &[String],
    times: InvocationTimes,
) {
    if lines.is_empty() || cloud.service::<Logs>().is_none() {
        return;
    }
    let group = function_log_group(&config.function_name);
    let caller = Caller::assumed_role(&config.role, &config.function_name);
    let allowed = |cloud: &Cloud, action: &str, resource: &str| {
        crate::iam::authorize(cloud, &caller, action, resource) == Decision::Allow
    };
    let stream_arn = log_stream_arn(cloud, &group, log_stream);
    let group_exists = cloud.service::<Logs>().is_some_and(|l| l.groups.contains_key(&group));
    if !group_exists
        && !allowed(
            cloud,
            "logs:CreateLogGroup",
            &format!("{}:log-stream:", log_group_arn(cloud, &group)),
        )
    {
        return;
    }
    let stream_exists = cloud
        .service::<Logs>()
        .and_then(|l| l.groups.get(&group))
        .is_some_and(|g| g.streams.contains_key(log_stream));
    if !stream_exists && !allowed(cloud, "logs:CreateLogStream", &stream_arn) {
        return;
    }
    if !allowed(cloud, "logs:PutLogEvents", &stream_arn) {
        // The stream is created (CreateLogStream was allowed), but nothing is written.
        create(cloud, &group, log_stream, times.end_ms);
        return;
    }
    let lines = crate::lambda::logging::to_json_lines(&config.logging, lines.to_vec(), times.end_ms);
    let events = stamp(lines, times);
    create(cloud, &group, log_stream, times.end_ms);
    if let Some(logs) = cloud.service_mut::<Logs>() {
        if let Some(g) = logs.groups.get_mut(&group) {
            g.put(log_stream, events, times.end_ms);
        }
    }
}

/// Creates the group and the stream when missing, at `now`.
fn create(cloud: &mut Cloud, group: &str, stream: &str, now: u64) {
    let Some(logs) = cloud.service_mut::<Logs>() else {
        return;
    };
    if !logs.groups.contains_key(group) {
        super::operations::create_group(logs, group, now);
    }
    if let Some(g) = logs.groups.get_mut(group) {
        g.streams
            .entry(stream.to_string())
            .or_insert_with(|| super::group::LogStream {
                name: stream.to_string(),
                creation_time: now,
                ..Default::default()
            });
    }
}

/// Each line with its timestamp (module docs).
pub fn stamp(lines: Vec<String>, times: InvocationTimes) -> Vec<(u64, String)> {
    let mut current = times.start_ms;
    lines
        .into_iter()
        .map(|line| {
            let at = if is_platform(&line, &["START RequestId: ", "\"platform.start\""]) {
                times.invoke_start_ms
            } else if is_platform(&line, &["END RequestId: ", "REPORT RequestId: ", "\"platform.report\""]) {
                times.end_ms
            } else {
                own_time(&line).unwrap_or(current)
            };
            current = at;
            (at, line)
        })
        .collect()
}

fn is_platform(line: &str, markers: &[&str]) -> bool {
    markers.iter().any(|m| {
        if m.starts_with('"') {
            line.starts_with("{\"time\"") && line.contains(m)
        } else {
            line.starts_with(m)
        }
    })
}

/// The time a line carries: a leading ISO 8601 time, or a JSON record's `timestamp` / `time`.
fn own_time(line: &str) -> Option<u64> {
    if let Some(t) = line.get(..24).and_then(parse_iso_millis) {
        return Some(t);
    }
    if line.starts_with('{') {
        let json: serde_json::Value = serde_json::from_str(line).ok()?;
        let text = json.get("timestamp").or_else(|| json.get("time"))?.as_str()?;
        return parse_iso_millis(text);
    }
    None
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` as ms since the epoch (the runtime's `toISOString()` form).
pub fn parse_iso_millis(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() != 24 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if b[19] != b'.' || b[23] != b'Z' {
        return None;
    }
    let num = |from: usize, to: usize| text.get(from..to)?.parse::<i64>().ok();
    let (year, month, day) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (hour, minute, second, millis) = (num(11, 13)?, num(14, 16)?, num(17, 19)?, num(20, 23)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Days from the civil date (H. Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let ms = ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis;
    u64::try_from(ms).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_times_read_back_what_the_runtime_writes() {
        for ms in [0, 1_767_225_600_000, 1_767_225_600_123, 1_709_251_199_999] {
            assert_eq!(parse_iso_millis(&crate::js::iso_millis(ms)), Some(ms));
        }
        assert_eq!(parse_iso_millis("2026-13-01T00:00:00.000Z"), None);
        assert_eq!(parse_iso_millis("not a time at all, no...."), None);
    }

    #[test]
    fn lines_take_their_own_time_or_the_invokes() {
        let times = InvocationTimes {
            start_ms: 1_000,
            invoke_start_ms: 1_500,
            end_ms: 9_000,
        };
        let at = crate::js::iso_millis(2_000);
        let lines = vec![
            "INIT_START Runtime Version: nodejs:20".to_string(),
            "START RequestId: r Version: $LATEST".to_string(),
            format!("{at}\tr\tINFO\thello"),
            "multi-line continuation".to_string(),
            "END RequestId: r".to_string(),
            "REPORT RequestId: r\tDuration: 1.00 ms".to_string(),
        ];
        let stamped: Vec<u64> = stamp(lines, times).into_iter().map(|(t, _)| t).collect();
        assert_eq!(stamped, [1_000, 1_500, 2_000, 2_000, 9_000, 9_000]);
    }
}
