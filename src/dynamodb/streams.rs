//! DynamoDB Streams: the change log of a table whose `StreamSpecification` is enabled.
//!
//! Sources: "Change data capture for DynamoDB Streams" (DynamoDB developer guide): a stream record is written for
//! each item created, updated or deleted, in the order of the modifications; "If you perform a PutItem or
//! UpdateItem operation that does not change any data in an item, DynamoDB Streams does not write a stream record
//! for that operation"; records are kept 24 hours; a disabled stream stays readable for those 24 hours and enabling
//! streams again makes a new stream (a new label). "StreamRecord" and "Record" (DynamoDB Streams API reference):
//! `eventID`, `eventName` (`INSERT` | `MODIFY` | `REMOVE`), `eventVersion`, `eventSource` `aws:dynamodb`,
//! `awsRegion`, `dynamodb` {`ApproximateCreationDateTime` (epoch seconds), `Keys`, `NewImage`, `OldImage`,
//! `SequenceNumber`, `SizeBytes`, `StreamViewType`}. `eventVersion` is `1.1` as in the records Lambda delivers
//! (aws-sam-cli's `dynamodb update` sample event, lambda-facts §5.4).
//!
//! `SizeBytes` is the size of `Keys` plus the images the record carries, counted as item sizes: this reproduces
//! both records of the example event in "Using AWS Lambda with Amazon DynamoDB" (26 and 59 bytes).
//!
//! Simulator's readings where AWS does not say: each stream has one shard (AWS splits shards as a table grows);
//! its id is `shardId-<20-digit creation ms>-<8 hex digits>` like AWS's (`shardId-00000001573689847184-864758bb`
//! in "Retain discarded records for a DynamoDB event source in Lambda"), the hex digits derived from the stream
//! ARN. Sequence numbers are 21 digits, increasing across the account's streams; `eventID` is the hex MD5 of the
//! stream ARN and sequence number (AWS's are 32 hex digits of no documented meaning).

use super::table::PrimaryKey;
use super::value::{item_size, item_to_json, Item};
use super::DynamoDb;
use serde_json::{json, Map, Value as Json};
use std::collections::VecDeque;

/// How long records are kept: 24 hours ("DynamoDB Streams data retention").
pub const RETENTION_MS: u64 = 24 * 60 * 60 * 1000;

/// The first sequence number: 21 digits, as AWS's (`800000000003126276362`).
const FIRST_SEQUENCE: u128 = 100_000_000_000_000_000_000;

/// One stream record, as `GetRecords` returns it (Lambda adds `eventSourceARN`).
#[derive(Debug, Clone, PartialEq)]
pub struct StreamRecord {
    /// `SequenceNumber`, as a number (its text is the decimal digits).
    pub sequence: u128,
    /// When the change was made (virtual ms).
    pub created_ms: u64,
    /// The record's JSON (`eventID` ... `dynamodb`).
    pub json: Json,
}

/// One stream: a table's change log between enabling and disabling its stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    /// `StreamArn`: `<table ARN>/stream/<label>`.
    pub arn: String,
    /// `TableName`.
    pub table_name: String,
    /// `StreamLabel`: the creation time, `YYYY-MM-DDTHH:MM:SS.mmm`.
    pub label: String,
    /// `StreamViewType`.
    pub view_type: String,
    /// The one shard's `ShardId`.
    pub shard_id: String,
    /// Records still kept, oldest first.
    pub records: VecDeque<StreamRecord>,
}

impl Stream {
    /// Drops the records older than [`RETENTION_MS`] at `now_ms`.
    pub fn trim(&mut self, now_ms: u64) {
        while self
            .records
            .front()
            .is_some_and(|r| r.created_ms.saturating_add(RETENTION_MS) <= now_ms)
        {
            self.records.pop_front();
        }
    }
}

/// `INSERT`, `MODIFY` or `REMOVE` for a change from `old` to `new`; `None` when nothing changed (no item before
/// or after, or the same attributes with the same values: sets compare as sets).
pub fn event_name(old: Option<&Item>, new: Option<&Item>) -> Option<&'static str> {
    match (old, new) {
        (None, Some(_)) => Some("INSERT"),
        (Some(_), None) => Some("REMOVE"),
        (Some(o), Some(n)) if same_item(o, n) => None,
        (Some(_), Some(_)) => Some("MODIFY"),
        (None, None) => None,
    }
}

fn same_item(a: &Item, b: &Item) -> bool {
    a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| v.same_as(w)))
}

/// A new stream with no records. Its shard is named after the stream's creation time (read from the label,
/// `now_ms` if the label does not parse).
fn new_stream(arn: String, table_name: String, label: String, view_type: String, now_ms: u64) -> Stream {
    let created_ms = label_millis(&label).unwrap_or(now_ms);
    let hex = crate::sqs::digest::md5_hex(arn.as_bytes());
    Stream {
        shard_id: format!("shardId-{created_ms:020}-{}", hex.get(..8).unwrap_or_default()),
        arn,
        table_name,
        label,
        view_type,
        records: VecDeque::new(),
    }
}

/// The time a label (`YYYY-MM-DDTHH:MM:SS.mmm`, UTC) names, in ms since the epoch.
fn label_millis(label: &str) -> Option<u64> {
    let number = |range: std::ops::Range<usize>| label.get(range)?.parse::<u16>().ok();
    let month = time::Month::try_from(u8::try_from(number(5..7)?).ok()?).ok()?;
    let date =
        time::Date::from_calendar_date(i32::from(number(0..4)?), month, u8::try_from(number(8..10)?).ok()?).ok()?;
    let clock = time::Time::from_hms_milli(
        u8::try_from(number(11..13)?).ok()?,
        u8::try_from(number(14..16)?).ok()?,
        u8::try_from(number(17..19)?).ok()?,
        number(20..23)?,
    )
    .ok()?;
    let nanos = time::PrimitiveDateTime::new(date, clock)
        .assume_utc()
        .unix_timestamp_nanos();
    u64::try_from(nanos / 1_000_000).ok()
}

/// Registers the stream of every table whose stream is enabled and not yet known (a stream exists from the moment
/// it is enabled, before its first record), so the Streams API lists it.
pub fn ensure_streams(db: &mut DynamoDb, now_ms: u64) {
    for table in db.tables.values() {
        let Some((view, label)) = &table.stream else { continue };
        let arn = format!("{}/stream/{label}", table.arn);
        if let std::collections::btree_map::Entry::Vacant(entry) = db.streams.entry(arn.clone()) {
            entry.insert(new_stream(arn, table.name.clone(), label.clone(), view.clone(), now_ms));
        }
    }
}

/// The sequence number the next stream record of `db` will get.
pub fn next_sequence(db: &DynamoDb) -> u128 {
    FIRST_SEQUENCE + db.stream_sequence + 1
}

/// Writes `new` under `key` in table `name` (deletes the item when `new` is `None`) and, when the table's stream
/// is enabled and the item changed, appends the stream record. Answers the previous item. Every item write of
/// the service goes through here, so each one is captured once.
pub fn write(
    db: &mut DynamoDb,
    now_ms: u64,
    region: &str,
    name: &str,
    key: PrimaryKey,
    new: Option<Item>,
) -> Option<Item> {
    let table = db.tables.get_mut(name)?;
    let recorded = table.stream.is_some().then(|| key.clone());
    let old = match new {
        Some(item) => table.put(key, item),
        None => table.delete(&key),
    };
    let Some(key) = recorded else { return old };
    let table = db.tables.get(name)?;
    let new = table.get(&key);
    let Some(event) = event_name(old.as_ref(), new) else {
        return old;
    };
    let Some((view, label)) = table.stream.clone() else {
        return old;
    };
    let key_names = table.key.names();
    let keys: Item = old
        .as_ref()
        .or(new)
        .map(|item| {
            item.iter()
                .filter(|(k, _)| key_names.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    let new_image = matches!(view.as_str(), "NEW_IMAGE" | "NEW_AND_OLD_IMAGES")
        .then_some(new)
        .flatten();
    let old_image = matches!(view.as_str(), "OLD_IMAGE" | "NEW_AND_OLD_IMAGES")
        .then_some(old.as_ref())
        .flatten();
    let size = item_size(&keys) + new_image.map_or(0, item_size) + old_image.map_or(0, item_size);
    let mut dynamodb = Map::new();
    dynamodb.insert("ApproximateCreationDateTime".into(), json!(now_ms / 1000));
    dynamodb.insert("Keys".into(), item_to_json(&keys));
    if let Some(image) = new_image {
        dynamodb.insert("NewImage".into(), item_to_json(image));
    }
    if let Some(image) = old_image {
        dynamodb.insert("OldImage".into(), item_to_json(image));
    }
    let arn = format!("{}/stream/{label}", table.arn);
    let table_name = table.name.clone();
    db.stream_sequence += 1;
    let sequence = FIRST_SEQUENCE + db.stream_sequence;
    dynamodb.insert("SequenceNumber".into(), json!(sequence.to_string()));
    dynamodb.insert("SizeBytes".into(), json!(size));
    dynamodb.insert("StreamViewType".into(), json!(view));
    let record = json!({
        "eventID": crate::sqs::digest::md5_hex(format!("{arn}/{sequence}").as_bytes()),
        "eventName": event,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": region,
        "dynamodb": Json::Object(dynamodb),
    });
    let stream = db
        .streams
        .entry(arn.clone())
        .or_insert_with(|| new_stream(arn, table_name, label, view, now_ms));
    stream.trim(now_ms);
    stream.records.push_back(StreamRecord {
        sequence,
        created_ms: now_ms,
        json: record,
    });
    old
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamodb::value::item_from_json;

    fn item(j: Json) -> Item {
        item_from_json(&j).unwrap()
    }

    #[test]
    fn only_real_changes_are_events() {
        let a = item(json!({"id": {"S": "1"}, "tags": {"SS": ["x", "y"]}}));
        let same = item(json!({"tags": {"SS": ["y", "x"]}, "id": {"S": "1"}}));
        let other = item(json!({"id": {"S": "1"}, "tags": {"SS": ["x"]}}));
        assert_eq!(event_name(None, Some(&a)), Some("INSERT"));
        assert_eq!(event_name(Some(&a), Some(&same)), None);
        assert_eq!(event_name(Some(&a), Some(&other)), Some("MODIFY"));
        assert_eq!(event_name(Some(&a), None), Some("REMOVE"));
        assert_eq!(event_name(None, None), None);
    }

    #[test]
    fn labels_name_their_creation_time() {
        assert_eq!(label_millis("2026-01-01T00:00:00.000"), Some(1_767_225_600_000));
        assert_eq!(label_millis("2026-01-01T00:00:01.250"), Some(1_767_225_601_250));
        assert_eq!(label_millis("2026-13-01T00:00:00.000"), None);
        assert_eq!(label_millis("né"), None);
    }

    #[test]
    fn size_bytes_reproduces_the_documented_example() {
        // "Using AWS Lambda with Amazon DynamoDB", example event: INSERT 26 bytes, MODIFY 59 bytes.
        let keys = item(json!({"Id": {"N": "101"}}));
        let first = item(json!({"Message": {"S": "New item!"}, "Id": {"N": "101"}}));
        let second = item(json!({"Message": {"S": "This item has changed"}, "Id": {"N": "101"}}));
        assert_eq!(item_size(&keys) + item_size(&first), 26);
        assert_eq!(item_size(&keys) + item_size(&first) + item_size(&second), 59);
    }
}
