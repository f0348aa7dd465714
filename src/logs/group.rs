//! Log groups, log streams and events (API reference data types `LogGroup`, `LogStream`, `OutputLogEvent`,
//! `FilteredLogEvent`).

use serde_json::{json, Value as Json};
use std::collections::BTreeMap;

/// The most events a stream keeps; the oldest go first (a playground limit so that a long run stays in memory;
/// AWS keeps everything until the retention period ends).
pub const MAX_EVENTS_PER_STREAM: usize = 100_000;

/// The retention periods `PutRetentionPolicy` accepts, in days (API reference `PutRetentionPolicy`,
/// `retentionInDays`).
pub const RETENTION_DAYS: [u32; 22] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/// One stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEvent {
    /// `timestamp`: when it happened, in ms since the epoch (virtual time).
    pub timestamp: u64,
    /// `message`.
    pub message: String,
    /// `ingestionTime`: when CloudWatch Logs received it, in ms (virtual time).
    pub ingestion_time: u64,
    /// `eventId`: unique in the group (see [`event_id`]).
    pub event_id: String,
}

/// An `eventId`: AWS's ids are 56 decimal digits; here the event's timestamp (20 digits) then a group-wide
/// sequence number (36 digits), so ids are deterministic without drawing from the Cloud's generator (drawing
/// there would shift every later id of a scenario when logging is on).
pub fn event_id(timestamp: u64, sequence: u64) -> String {
    format!("{timestamp:020}{sequence:036}")
}

/// A log stream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogStream {
    /// `logStreamName`.
    pub name: String,
    /// `creationTime` (ms).
    pub creation_time: u64,
    /// The events, in the order they were put (timestamps do not decrease within one `PutLogEvents`).
    pub events: Vec<LogEvent>,
    /// `lastIngestionTime` (ms), once events arrived.
    pub last_ingestion_time: Option<u64>,
}

impl LogStream {
    /// Appends events, dropping the oldest past [`MAX_EVENTS_PER_STREAM`].
    pub fn append(&mut self, events: impl IntoIterator<Item = LogEvent>) {
        for event in events {
            self.last_ingestion_time = Some(event.ingestion_time);
            self.events.push(event);
        }
        if self.events.len() > MAX_EVENTS_PER_STREAM {
            let excess = self.events.len() - MAX_EVENTS_PER_STREAM;
            self.events.drain(..excess);
        }
    }

    /// The events still retained at `cutoff` (ms; events older than it have expired).
    pub fn live(&self, cutoff: u64) -> impl Iterator<Item = &LogEvent> {
        self.events.iter().filter(move |e| e.timestamp >= cutoff)
    }

    /// The `LogStream` shape of DescribeLogStreams: name, creation time, first / last event timestamps and last
    /// ingestion time once it has events, `arn`, and `storedBytes` 0 (deprecated member; AWS documents it as
    /// "always zero" since June 2019).
    pub fn describe(&self, group_arn_base: &str, cutoff: u64) -> Json {
        let mut out = json!({
            "logStreamName": self.name,
            "creationTime": self.creation_time,
        });
        let live: Vec<&LogEvent> = self.live(cutoff).collect();
        if let (Some(first), Some(last), Json::Object(map)) = (
            live.iter().map(|e| e.timestamp).min(),
            live.iter().map(|e| e.timestamp).max(),
            &mut out,
        ) {
            map.insert("firstEventTimestamp".into(), json!(first));
            map.insert("lastEventTimestamp".into(), json!(last));
            if let Some(t) = self.last_ingestion_time {
                map.insert("lastIngestionTime".into(), json!(t));
            }
        }
        if let Json::Object(map) = &mut out {
            map.insert(
                "arn".into(),
                json!(format!("{group_arn_base}:log-stream:{}", self.name)),
            );
            map.insert("storedBytes".into(), json!(0));
        }
        out
    }
}

/// A log group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogGroup {
    /// `logGroupName`.
    pub name: String,
    /// `creationTime` (ms).
    pub creation_time: u64,
    /// `retentionInDays`; `None` never expires.
    pub retention_in_days: Option<u32>,
    /// Streams by name (name order, DescribeLogStreams' default order).
    pub streams: BTreeMap<String, LogStream>,
    /// The next event's sequence number ([`event_id`]).
    pub next_sequence: u64,
}

impl LogGroup {
    /// The oldest timestamp still retained at `now_ms` (0 when the group never expires events). Retention counts
    /// from the event's timestamp (docs "Change log data retention in CloudWatch Logs": events older than the
    /// retention setting are deleted).
    pub fn cutoff(&self, now_ms: u64) -> u64 {
        self.retention_in_days
            .map_or(0, |days| now_ms.saturating_sub(u64::from(days) * 86_400_000))
    }

    /// Stamps events with ids and appends them to `stream` (which must exist).
    pub fn put(&mut self, stream: &str, events: Vec<(u64, String)>, ingestion_time: u64) -> bool {
        let first = self.next_sequence;
        self.next_sequence += events.len() as u64;
        let Some(target) = self.streams.get_mut(stream) else {
            return false;
        };
        target.append(
            events
                .into_iter()
                .enumerate()
                .map(|(i, (timestamp, message))| LogEvent {
                    timestamp,
                    message,
                    ingestion_time,
                    event_id: event_id(timestamp, first + i as u64),
                }),
        );
        true
    }
}
