//! Query and Scan: reading pages of items in key order, with filters, projections, `Select`, `Limit` and
//! `ExclusiveStartKey` / `LastEvaluatedKey`.
//!
//! Source: "Query" and "Scan" in the DynamoDB API reference and "Paginating table query results" in the developer
//! guide: `Limit` caps the items *evaluated*, before `FilterExpression` applies; a page stops at 1 MB of items read;
//! `ScannedCount` counts the evaluated items and `Count` those that passed the filter; `LastEvaluatedKey` (the table's
//! key attributes, plus the index's for an index read) is returned whenever the page stopped early, even if nothing
//! follows. Query walks one partition in sort key order (`ScanIndexForward: false` reverses it); Scan walks the
//! partitions in key order (the simulator's deterministic stand-in for AWS's hash order) and a segment holds the
//! partitions whose key hashes (FNV-1a of the key's wire JSON) to it modulo `TotalSegments`.

use super::condition::evaluate;
use super::errors::validation;
use super::items::{consumed, read_units};
use super::key_condition::{key_condition, SortCondition};
use super::names::{DocPath, Placeholders};
use super::parser::{Comparator, Condition, Operand, PathElem};
use super::table::{Index, KeyValue, Table};
use super::value::{item_from_json, item_size, item_to_json, Item};
use super::{authorize, table_arn, table_name, DynamoDb};
use crate::api::{AwsError, Caller};
use crate::cloud::Cloud;
use serde_json::{Map, Value as Json};
use std::borrow::Cow;
use std::ops::Bound;

/// Most bytes of items one page reads (source: Query API reference, "up to 1 MB of data").
pub const PAGE_BYTES: usize = 1024 * 1024;

/// The parts of a read request shared by Query and Scan.
struct ReadRequest<'a> {
    table: &'a Table,
    index: Option<&'a Index>,
    names: Placeholders,
    filter: Option<Condition>,
    projection: Option<Vec<DocPath>>,
    count_only: bool,
    all_attributes: bool,
    limit: Option<usize>,
    start: Option<Item>,
}

fn limit(input: &Json) -> Result<Option<usize>, AwsError> {
    match input.get("Limit") {
        None | Some(Json::Null) => Ok(None),
        Some(v) => {
            let n = v.as_i64().unwrap_or(0);
            if n < 1 {
                return Err(validation(format!(
                    "1 validation error detected: Value '{n}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
                )));
            }
            Ok(Some(n as usize))
        }
    }
}

/// Reads the members Query and Scan share, checking `Select`, the index and the expressions.
fn read_request<'a>(
    db: &'a DynamoDb,
    input: &Json,
    operation: &str,
    key_condition: bool,
) -> Result<(ReadRequest<'a>, Option<Condition>), AwsError> {
    let name = table_name(input)?;
    let mut names = Placeholders::from_input(input)?;
    let key_cond = match input.get("KeyConditionExpression").and_then(Json::as_str) {
        Some(text) if key_condition => Some(names.condition(text, "KeyConditionExpression")?),
        _ if key_condition => {
            return Err(validation(
                "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
            ))
        }
        _ => None,
    };
    let filter = match input.get("FilterExpression").and_then(Json::as_str) {
        Some(text) => Some(names.condition(text, "FilterExpression")?),
        None => None,
    };
    let projection = match input.get("ProjectionExpression").and_then(Json::as_str) {
        Some(text) => Some(names.projection(text)?),
        None => None,
    };
    names.finish()?;
    let limit = limit(input)?;
    let table = db.table(name)?;
    let index = match input.get("IndexName").and_then(Json::as_str) {
        Some(i) => Some(
            table
                .index(i)
                .ok_or_else(|| validation(format!("The table does not have the specified index: {i}")))?,
        ),
        None => None,
    };
    if index.is_some_and(|i| i.global) && input.get("ConsistentRead").and_then(Json::as_bool) == Some(true) {
        return Err(validation(
            "Consistent reads are not supported on global secondary indexes",
        ));
    }
    let select = input.get("Select").and_then(Json::as_str);
    let count_only = select == Some("COUNT");
    if select == Some("SPECIFIC_ATTRIBUTES") && projection.is_none() {
        return Err(validation(
            "1 validation error detected: Value 'SPECIFIC_ATTRIBUTES' at 'select' failed to satisfy constraint: ProjectionExpression must be specified",
        ));
    }
    if count_only && projection.is_some() {
        return Err(validation(
            "Cannot specify the AttributesToGet or ProjectionExpression when choosing to get only the Count",
        ));
    }
    let mut all_attributes = false;
    if select == Some("ALL_ATTRIBUTES") {
        if let Some(i) = index.filter(|i| i.projection_type != "ALL") {
            if i.global {
                return Err(validation(format!(
                    "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index {} because its projection type is not ALL",
                    i.name
                )));
            }
            // An LSI read with ALL_ATTRIBUTES fetches the rest from the table (Query API reference, Select).
            all_attributes = true;
        }
    }
    let start = match input.get("ExclusiveStartKey").filter(|v| !v.is_null()) {
        Some(v) => Some(item_from_json(v)?),
        None => None,
    };
    let _ = operation;
    Ok((
        ReadRequest {
            table,
            index,
            names,
            filter,
            projection,
            count_only,
            all_attributes,
            limit,
            start,
        },
        key_cond,
    ))
}

fn invalid_start() -> AwsError {
    validation("The provided starting key is invalid: The provided key element does not match the schema")
}

/// The value of key attribute `name` in an ExclusiveStartKey.
fn start_value(start: &Item, attr: Option<&(String, String)>) -> Result<KeyValue, AwsError> {
    let Some((name, kind)) = attr else {
        return Ok(KeyValue::Absent);
    };
    let v = start.get(name).ok_or_else(invalid_start)?;
    if v.type_name() != kind {
        return Err(invalid_start());
    }
    KeyValue::from_attribute(v).ok_or_else(invalid_start)
}

/// Runs the page over `items` (in read order) and builds the output.
fn page<'i>(
    req: &ReadRequest<'_>,
    items: impl Iterator<Item = &'i Item>,
    input: &Json,
    name: &str,
) -> Result<Json, AwsError> {
    let mut scanned = 0usize;
    let mut bytes = 0usize;
    let mut out_items = Vec::new();
    let mut count = 0usize;
    let mut last: Option<Cow<'i, Item>> = None;
    let mut stopped = false;
    for stored in items {
        scanned += 1;
        bytes += item_size(stored);
        let visible: Cow<'i, Item> = match req.index {
            Some(i) if !req.all_attributes => Cow::Owned(i.project(stored, &req.table.key)),
            _ => Cow::Borrowed(stored),
        };
        let passes = match &req.filter {
            Some(f) => evaluate(f, Some(&visible), &req.names, "FilterExpression")?,
            None => true,
        };
        if passes {
            count += 1;
            if !req.count_only {
                out_items.push(match &req.projection {
                    Some(paths) => item_to_json(&super::projection::project(&visible, paths)),
                    None => item_to_json(&visible),
                });
            }
        }
        if req.limit.is_some_and(|l| scanned >= l) || bytes >= PAGE_BYTES {
            last = Some(Cow::Borrowed(stored));
            stopped = true;
            break;
        }
    }
    let mut out = Map::new();
    if !req.count_only {
        out.insert("Items".into(), Json::Array(out_items));
    }
    out.insert("Count".into(), count.into());
    out.insert("ScannedCount".into(), scanned.into());
    if let (true, Some(item)) = (stopped, last) {
        out.insert("LastEvaluatedKey".into(), req.table.key_json(&item, req.index));
    }
    let consistent = input.get("ConsistentRead").and_then(Json::as_bool).unwrap_or(false);
    if let Some(c) = consumed(input, name, read_units(bytes, consistent)) {
        out.insert("ConsumedCapacity".into(), c);
    }
    Ok(Json::Object(out))
}

/// `BTreeMap::range` / `BTreeSet::range` panic on inverted bounds; this says whether a range is empty instead.
fn empty_range<T: Ord>(lo: &Bound<T>, hi: &Bound<T>) -> bool {
    match (lo, hi) {
        (Bound::Included(a), Bound::Included(b)) => a > b,
        (Bound::Included(a), Bound::Excluded(b)) | (Bound::Excluded(a), Bound::Included(b)) => a >= b,
        (Bound::Excluded(a), Bound::Excluded(b)) => a >= b,
        _ => false,
    }
}

fn sort_bounds(sort: Option<&SortCondition>) -> (Bound<KeyValue>, Bound<KeyValue>) {
    use Bound::*;
    match sort {
        None => (Unbounded, Unbounded),
        Some(SortCondition::Compare(op, v)) => match op {
            Comparator::Eq => (Included(v.clone()), Included(v.clone())),
            Comparator::Lt => (Unbounded, Excluded(v.clone())),
            Comparator::Le => (Unbounded, Included(v.clone())),
            Comparator::Gt => (Excluded(v.clone()), Unbounded),
            Comparator::Ge => (Included(v.clone()), Unbounded),
            Comparator::Ne => (Unbounded, Unbounded),
        },
        Some(SortCondition::Between(a, b)) => (Included(a.clone()), Included(b.clone())),
        Some(SortCondition::BeginsWith(p)) => (Included(p.clone()), Unbounded),
    }
}

/// Top-level attribute names a condition reads.
fn condition_attributes<'c>(c: &'c Condition, names: &'c Placeholders, out: &mut Vec<&'c str>) {
    let operand = |o: &'c Operand, out: &mut Vec<&'c str>| {
        fn walk<'c>(o: &'c Operand, names: &'c Placeholders, out: &mut Vec<&'c str>) {
            match o {
                Operand::Path(p) => {
                    if let Some(PathElem::Name(i)) = p.0.first() {
                        out.push(names.name(i));
                    }
                }
                Operand::Call(_, args) => args.iter().for_each(|a| walk(a, names, out)),
                Operand::Arith(a, _, b) => {
                    walk(a, names, out);
                    walk(b, names, out);
                }
                Operand::Value(_) => {}
            }
        }
        walk(o, names, out)
    };
    match c {
        Condition::Compare(a, _, b) => {
            operand(a, out);
            operand(b, out);
        }
        Condition::Between(a, b, d) => [a, b, d].into_iter().for_each(|o| operand(o, out)),
        Condition::In(a, l) => std::iter::once(a).chain(l).for_each(|o| operand(o, out)),
        Condition::Call(_, args) => args.iter().for_each(|o| operand(o, out)),
        Condition::And(a, b) | Condition::Or(a, b) => {
            condition_attributes(a, names, out);
            condition_attributes(b, names, out);
        }
        Condition::Not(a) => condition_attributes(a, names, out),
    }
}

/// Query.
pub fn query(db: &mut DynamoDb, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = table_name(input)?;
    let mut resource = table_arn(cloud, name);
    if let Some(i) = input.get("IndexName").and_then(Json::as_str) {
        resource = format!("{resource}/index/{i}");
    }
    authorize(cloud, caller, "Query", &resource)?;
    let (req, key_cond) = read_request(db, input, "Query", true)?;
    let Some(key_cond) = key_cond else {
        return Err(validation(
            "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
        ));
    };
    let key = req.index.map_or(&req.table.key, |i| &i.key);
    let kc = key_condition(
        &key_cond,
        &req.names,
        (&key.hash.0, &key.hash.1),
        key.range.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
    )?;
    if let Some(f) = &req.filter {
        let mut used = Vec::new();
        condition_attributes(f, &req.names, &mut used);
        if let Some(k) = used.iter().find(|u| key.names().contains(u)) {
            return Err(validation(format!(
                "Filter Expression can only contain non-primary key attributes: Primary key attribute: {k}"
            )));
        }
    }
    let forward = input.get("ScanIndexForward").and_then(Json::as_bool).unwrap_or(true);
    let (mut lo, mut hi) = sort_bounds(kc.sort.as_ref());
    let sort = kc.sort.clone();
    let prefix_ok = move |k: &KeyValue| match &sort {
        Some(s @ SortCondition::BeginsWith(_)) => s.matches(k),
        _ => true,
    };
    match req.index {
        None => {
            let table = req.table;
            if let Some(start) = &req.start {
                let sk = start_value(start, table.key.range.as_ref())?;
                start_value(start, Some(&table.key.hash))?;
                if forward {
                    lo = tighter_lo(lo, Bound::Excluded(sk));
                } else {
                    hi = tighter_hi(hi, Bound::Excluded(sk));
                }
            }
            let Some(partition) = table.items.get(&kc.partition).filter(|_| !empty_range(&lo, &hi)) else {
                return page(&req, std::iter::empty(), input, name);
            };
            let range = partition.range((lo, hi));
            if forward {
                page(
                    &req,
                    range.take_while(|(k, _)| prefix_ok(k)).map(|(_, v)| v),
                    input,
                    name,
                )
            } else {
                page(
                    &req,
                    range
                        .rev()
                        .skip_while(|(k, _)| !prefix_ok(k))
                        .take_while(|(k, _)| prefix_ok(k))
                        .map(|(_, v)| v),
                    input,
                    name,
                )
            }
        }
        Some(index) => {
            let table = req.table;
            let low = |b: Bound<KeyValue>| match b {
                Bound::Included(v) => Bound::Included((v, KeyValue::Absent, KeyValue::Absent)),
                Bound::Excluded(v) => Bound::Excluded((v, KeyValue::Max, KeyValue::Max)),
                Bound::Unbounded => Bound::Unbounded,
            };
            let high = |b: Bound<KeyValue>| match b {
                Bound::Included(v) => Bound::Included((v, KeyValue::Max, KeyValue::Max)),
                Bound::Excluded(v) => Bound::Excluded((v, KeyValue::Absent, KeyValue::Absent)),
                Bound::Unbounded => Bound::Unbounded,
            };
            let (mut lo, mut hi) = (low(lo), high(hi));
            if let Some(start) = &req.start {
                let at = (
                    start_value(start, index.key.range.as_ref())?,
                    start_value(start, Some(&table.key.hash))?,
                    start_value(start, table.key.range.as_ref())?,
                );
                if forward {
                    lo = tighter_lo(lo, Bound::Excluded(at));
                } else {
                    hi = tighter_hi(hi, Bound::Excluded(at));
                }
            }
            let Some(entries) = index.entries.get(&kc.partition).filter(|_| !empty_range(&lo, &hi)) else {
                return page(&req, std::iter::empty(), input, name);
            };
            let range = entries.range((lo, hi));
            let lookup = |(_, h, r): &(KeyValue, KeyValue, KeyValue)| table.get(&(h.clone(), r.clone()));
            if forward {
                page(
                    &req,
                    range.take_while(|e| prefix_ok(&e.0)).filter_map(lookup),
                    input,
                    name,
                )
            } else {
                page(
                    &req,
                    range
                        .rev()
                        .skip_while(|e| !prefix_ok(&e.0))
                        .take_while(|e| prefix_ok(&e.0))
                        .filter_map(lookup),
                    input,
                    name,
                )
            }
        }
    }
}

fn tighter_lo<T: Ord>(a: Bound<T>, b: Bound<T>) -> Bound<T> {
    match (&a, &b) {
        (Bound::Unbounded, _) => b,
        (_, Bound::Unbounded) => a,
        (Bound::Included(x) | Bound::Excluded(x), Bound::Included(y) | Bound::Excluded(y)) => {
            if y > x || (y == x && matches!(b, Bound::Excluded(_))) {
                b
            } else {
                a
            }
        }
    }
}

fn tighter_hi<T: Ord>(a: Bound<T>, b: Bound<T>) -> Bound<T> {
    match (&a, &b) {
        (Bound::Unbounded, _) => b,
        (_, Bound::Unbounded) => a,
        (Bound::Included(x) | Bound::Excluded(x), Bound::Included(y) | Bound::Excluded(y)) => {
            if y < x || (y == x && matches!(b, Bound::Excluded(_))) {
                b
            } else {
                a
            }
        }
    }
}

/// FNV-1a over the partition key's wire JSON: which segment of a parallel Scan holds the partition.
fn segment_of(key: &KeyValue, total: u64) -> u64 {
    let text = key.to_attribute().map(|a| a.to_json().to_string()).unwrap_or_default();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash % total
}

fn segments(input: &Json) -> Result<Option<(u64, u64)>, AwsError> {
    let segment = input.get("Segment").and_then(Json::as_i64);
    let total = input.get("TotalSegments").and_then(Json::as_i64);
    match (segment, total) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(validation(
            "The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
        )),
        (None, Some(_)) => Err(validation(
            "The Segment parameter is required but was not present in the request when parameter TotalSegments is present",
        )),
        (Some(s), Some(t)) => {
            if !(1..=1_000_000).contains(&t) {
                return Err(validation(format!(
                    "1 validation error detected: Value '{t}' at 'totalSegments' failed to satisfy constraint: Member must have value {}",
                    if t < 1 { "greater than or equal to 1" } else { "less than or equal to 1000000" }
                )));
            }
            if s < 0 || s >= t {
                return Err(validation(format!(
                    "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {s} is not less than TotalSegments: {t}"
                )));
            }
            Ok(Some((s as u64, t as u64)))
        }
    }
}

/// Scan.
pub fn scan(db: &mut DynamoDb, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = table_name(input)?;
    let mut resource = table_arn(cloud, name);
    if let Some(i) = input.get("IndexName").and_then(Json::as_str) {
        resource = format!("{resource}/index/{i}");
    }
    authorize(cloud, caller, "Scan", &resource)?;
    let segment = segments(input)?;
    let (req, _) = read_request(db, input, "Scan", false)?;
    let in_segment = move |k: &KeyValue| segment.is_none_or(|(s, t)| segment_of(k, t) == s);
    let table = req.table;
    match req.index {
        None => {
            let (first, after) = match &req.start {
                Some(start) => (
                    Bound::Included(start_value(start, Some(&table.key.hash))?),
                    Some(start_value(start, table.key.range.as_ref())?),
                ),
                None => (Bound::Unbounded, None),
            };
            let first_key = match &first {
                Bound::Included(k) => Some(k.clone()),
                _ => None,
            };
            let items = table
                .items
                .range((first, Bound::Unbounded))
                .filter(|(pk, _)| in_segment(pk))
                .flat_map(move |(pk, partition)| {
                    let lower = match (&first_key, &after) {
                        (Some(f), Some(sk)) if f == pk => Bound::Excluded(sk.clone()),
                        _ => Bound::Unbounded,
                    };
                    partition.range((lower, Bound::Unbounded)).map(|(_, v)| v)
                });
            page(&req, items, input, name)
        }
        Some(index) => {
            let (first, after) = match &req.start {
                Some(start) => (
                    Bound::Included(start_value(start, Some(&index.key.hash))?),
                    Some((
                        start_value(start, index.key.range.as_ref())?,
                        start_value(start, Some(&table.key.hash))?,
                        start_value(start, table.key.range.as_ref())?,
                    )),
                ),
                None => (Bound::Unbounded, None),
            };
            let first_key = match &first {
                Bound::Included(k) => Some(k.clone()),
                _ => None,
            };
            let items = index
                .entries
                .range((first, Bound::Unbounded))
                .filter(|(pk, _)| in_segment(pk))
                .flat_map(move |(pk, entries)| {
                    let lower = match (&first_key, &after) {
                        (Some(f), Some(at)) if f == pk => Bound::Excluded(at.clone()),
                        _ => Bound::Unbounded,
                    };
                    entries.range((lower, Bound::Unbounded))
                })
                .filter_map(|(_, h, r)| table.get(&(h.clone(), r.clone())));
            page(&req, items, input, name)
        }
    }
}
