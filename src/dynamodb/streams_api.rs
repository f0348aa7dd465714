//! The DynamoDB Streams API: ListStreams, DescribeStream, GetShardIterator, GetRecords.
//!
//! Source: DynamoDB Streams API reference (`DynamoDBStreams_20120810`; its clients sign with `dynamodb`, as
//! DynamoDB's do, at the endpoint `streams.dynamodb.<region>.amazonaws.com`, so [`crate::Cloud::call`] hands these
//! operations to the DynamoDB service): `ListStreams` {`TableName`, `Limit` 1..=100, `ExclusiveStartStreamArn`}
//! answers `Streams` [{`StreamArn`, `TableName`, `StreamLabel`}] and `LastEvaluatedStreamArn` when cut;
//! `DescribeStream` answers `StreamDescription` {`StreamArn`, `StreamLabel`, `StreamStatus` (`ENABLED` |
//! `DISABLED`), `StreamViewType`, `CreationRequestDateTime`, `TableName`, `KeySchema`, `Shards` [{`ShardId`,
//! `SequenceNumberRange` {`StartingSequenceNumber`, `EndingSequenceNumber` once the shard is closed}}]};
//! `GetShardIterator` {`StreamArn`, `ShardId`, `ShardIteratorType` `TRIM_HORIZON` | `LATEST` |
//! `AT_SEQUENCE_NUMBER` | `AFTER_SEQUENCE_NUMBER`, `SequenceNumber`} answers `ShardIterator`; `GetRecords`
//! {`ShardIterator`, `Limit` 1..=1000} answers `Records` and `NextShardIterator` (absent once a closed shard is
//! read to its end). Each is authorised as `dynamodb:<operation>` on the stream ARN (`*` for ListStreams).
//!
//! The simulator's readings: a shard iterator is `<stream ARN>|1|<sequence number read up to>` (AWS's are opaque
//! text starting with the stream ARN); iterators do not expire after 15 minutes and reading trimmed data is not
//! refused with `TrimmedDataAccessException` (records past 24 hours are simply gone). The texts of the
//! `ResourceNotFoundException` and `ValidationException` messages below are DynamoDB's generic ones.

use super::errors::{resource_not_found, validation};
use super::streams::{ensure_streams, next_sequence, Stream};
use super::{authorize, DynamoDb};
use crate::api::{AwsError, Caller};
use crate::cloud::Cloud;
use serde_json::{json, Map, Value as Json};

fn text<'a>(input: &'a Json, member: &str) -> Option<&'a str> {
    input.get(member).and_then(Json::as_str)
}

fn limit(input: &Json, max: u64, default: u64) -> Result<usize, AwsError> {
    match input.get("Limit") {
        None | Some(Json::Null) => Ok(default as usize),
        Some(v) => match v.as_u64() {
            Some(n) if (1..=max).contains(&n) => Ok(n as usize),
            _ => Err(validation(format!(
                "1 validation error detected: Value '{v}' at 'limit' failed to satisfy constraint: Member must have value between 1 and {max}"
            ))),
        },
    }
}

fn stream<'a>(db: &'a DynamoDb, arn: Option<&str>) -> Result<&'a Stream, AwsError> {
    let arn = arn.ok_or_else(|| super::errors::missing_member("streamArn"))?;
    db.streams.get(arn).ok_or_else(resource_not_found)
}

/// Whether the stream is its table's current one.
fn enabled(db: &DynamoDb, stream: &Stream) -> bool {
    db.tables
        .get(&stream.table_name)
        .and_then(|t| t.stream.as_ref())
        .is_some_and(|(_, label)| *label == stream.label && stream.arn.ends_with(label.as_str()))
}

/// ListStreams.
pub fn list_streams(db: &mut DynamoDb, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    authorize(cloud, caller, "ListStreams", "*")?;
    ensure_streams(db, cloud.clock.now_millis());
    let limit = limit(input, 100, 100)?;
    let table = text(input, "TableName");
    let start = text(input, "ExclusiveStartStreamArn");
    let matching: Vec<&Stream> = db
        .streams
        .values()
        .filter(|s| table.is_none_or(|t| s.table_name == t))
        .filter(|s| start.is_none_or(|a| s.arn.as_str() > a))
        .collect();
    let streams: Vec<Json> = matching
        .iter()
        .take(limit)
        .map(|s| json!({"StreamArn": s.arn, "TableName": s.table_name, "StreamLabel": s.label}))
        .collect();
    let mut out = Map::new();
    out.insert("Streams".into(), Json::Array(streams));
    if matching.len() > limit {
        if let Some(last) = matching.get(limit - 1) {
            out.insert("LastEvaluatedStreamArn".into(), json!(last.arn));
        }
    }
    Ok(Json::Object(out))
}

/// DescribeStream.
pub fn describe_stream(db: &mut DynamoDb, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    ensure_streams(db, cloud.clock.now_millis());
    let s = stream(db, text(input, "StreamArn"))?;
    authorize(cloud, caller, "DescribeStream", &s.arn)?;
    let open = enabled(db, s);
    let mut range = Map::new();
    let first = s.records.front().map_or_else(|| next_sequence(db), |r| r.sequence);
    range.insert("StartingSequenceNumber".into(), json!(first.to_string()));
    if !open {
        if let Some(last) = s.records.back() {
            range.insert("EndingSequenceNumber".into(), json!(last.sequence.to_string()));
        }
    }
    let key_schema = db.tables.get(&s.table_name).map(|t| t.key.to_json());
    let mut d = Map::new();
    d.insert("StreamArn".into(), json!(s.arn));
    d.insert("StreamLabel".into(), json!(s.label));
    d.insert("StreamStatus".into(), json!(if open { "ENABLED" } else { "DISABLED" }));
    d.insert("StreamViewType".into(), json!(s.view_type));
    if let Some(created) = s
        .shard_id
        .strip_prefix("shardId-")
        .and_then(|r| r.get(..20))
        .and_then(|ms| ms.parse::<u64>().ok())
    {
        d.insert("CreationRequestDateTime".into(), json!(created as f64 / 1000.0));
    }
    d.insert("TableName".into(), json!(s.table_name));
    if let Some(k) = key_schema {
        d.insert("KeySchema".into(), k);
    }
    d.insert(
        "Shards".into(),
        json!([{"ShardId": s.shard_id, "SequenceNumberRange": Json::Object(range)}]),
    );
    Ok(json!({"StreamDescription": Json::Object(d)}))
}

fn sequence_member(input: &Json) -> Result<u128, AwsError> {
    text(input, "SequenceNumber")
        .and_then(|s| s.parse::<u128>().ok())
        .ok_or_else(|| validation("Invalid SequenceNumber"))
}

/// GetShardIterator.
pub fn get_shard_iterator(
    db: &mut DynamoDb,
    cloud: &mut Cloud,
    caller: &Caller,
    input: &Json,
) -> Result<Json, AwsError> {
    ensure_streams(db, cloud.clock.now_millis());
    let s = stream(db, text(input, "StreamArn"))?;
    authorize(cloud, caller, "GetShardIterator", &s.arn)?;
    if text(input, "ShardId") != Some(s.shard_id.as_str()) {
        return Err(resource_not_found());
    }
    let after = match text(input, "ShardIteratorType") {
        Some("TRIM_HORIZON") => 0,
        Some("LATEST") => next_sequence(db) - 1,
        Some("AT_SEQUENCE_NUMBER") => sequence_member(input)?.saturating_sub(1),
        Some("AFTER_SEQUENCE_NUMBER") => sequence_member(input)?,
        other => {
            return Err(validation(format!(
                "1 validation error detected: Value '{}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]",
                other.unwrap_or("null")
            )))
        }
    };
    Ok(json!({"ShardIterator": format!("{}|1|{after}", s.arn)}))
}

/// GetRecords.
pub fn get_records(db: &mut DynamoDb, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let now = cloud.clock.now_millis();
    let iterator = text(input, "ShardIterator").ok_or_else(|| super::errors::missing_member("shardIterator"))?;
    let limit = limit(input, 1000, 1000)?;
    let (arn, after) = iterator
        .rsplit_once("|1|")
        .and_then(|(arn, after)| Some((arn, after.parse::<u128>().ok()?)))
        .ok_or_else(|| validation("Invalid ShardIterator"))?;
    authorize(cloud, caller, "GetRecords", arn)?;
    let open = {
        let s = stream(db, Some(arn))?;
        enabled(db, s)
    };
    let s = db.streams.get_mut(arn).ok_or_else(resource_not_found)?;
    s.trim(now);
    let records: Vec<&super::streams::StreamRecord> =
        s.records.iter().filter(|r| r.sequence > after).take(limit).collect();
    let last = records.last().map_or(after, |r| r.sequence);
    let more = s.records.back().is_some_and(|r| r.sequence > last);
    let mut out = Map::new();
    out.insert(
        "Records".into(),
        Json::Array(records.iter().map(|r| r.json.clone()).collect()),
    );
    if open || more {
        out.insert("NextShardIterator".into(), json!(format!("{arn}|1|{last}")));
    }
    Ok(Json::Object(out))
}
