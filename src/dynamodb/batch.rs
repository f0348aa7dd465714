//! BatchGetItem and BatchWriteItem.
//!
//! Source: "BatchGetItem" and "BatchWriteItem", DynamoDB API reference: up to 100 keys / 25 write requests over
//! all tables, no duplicate keys within a table (`Provided list of item keys contains duplicates`), and every
//! request is checked before any write. The simulator never throttles, so `UnprocessedKeys` / `UnprocessedItems`
//! are always empty. Responses list a table's items in request order (AWS gives no order).

use super::errors::{missing_member, serialization, validation};
use super::items::{item_member, writable_key};
use super::names::Placeholders;
use super::table::PrimaryKey;
use super::value::{item_from_json, item_to_json, Item};
use super::{authorize, table_arn, DynamoDb};
use crate::api::{AwsError, Caller};
use crate::cloud::Cloud;
use serde_json::{json, Map, Value as Json};

fn request_items(input: &Json) -> Result<&Map<String, Json>, AwsError> {
    match input.get("RequestItems") {
        None | Some(Json::Null) => Err(missing_member("requestItems")),
        Some(Json::Object(m)) => Ok(m),
        Some(_) => Err(serialization("RequestItems must be a map")),
    }
}

fn duplicates() -> AwsError {
    validation("Provided list of item keys contains duplicates")
}

/// BatchGetItem: `{"Responses": {"<table>": [items]}, "UnprocessedKeys": {}}`.
pub fn batch_get_item(db: &mut DynamoDb, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let requests = request_items(input)?;
    let total: usize = requests
        .values()
        .map(|r| r.get("Keys").and_then(Json::as_array).map_or(0, Vec::len))
        .sum();
    if total > 100 {
        return Err(validation("Too many items requested for the BatchGetItem call"));
    }
    let mut responses = Map::new();
    for (name, request) in requests {
        authorize(cloud, caller, "BatchGetItem", &table_arn(cloud, name))?;
        let keys = request
            .get("Keys")
            .and_then(Json::as_array)
            .ok_or_else(|| missing_member("keys"))?;
        let mut names = Placeholders::from_input(request)?;
        let projection = match request.get("ProjectionExpression").and_then(Json::as_str) {
            Some(text) => Some(names.projection(text)?),
            None => None,
        };
        names.finish()?;
        let table = db.table(name)?;
        let mut seen: Vec<PrimaryKey> = Vec::new();
        let mut found = Vec::new();
        for key in keys {
            let key = table.lookup_key(&item_from_json(key)?)?;
            if seen.contains(&key) {
                return Err(duplicates());
            }
            if let Some(item) = table.get(&key) {
                found.push(match &projection {
                    Some(paths) => item_to_json(&super::projection::project(item, paths)),
                    None => item_to_json(item),
                });
            }
            seen.push(key);
        }
        responses.insert(name.clone(), Json::Array(found));
    }
    Ok(json!({"Responses": responses, "UnprocessedKeys": {}}))
}

enum Write {
    Put(PrimaryKey, Item),
    Delete(PrimaryKey),
}

/// BatchWriteItem: `{"UnprocessedItems": {}}`.
pub fn batch_write_item(db: &mut DynamoDb, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let requests = request_items(input)?;
    let total: usize = requests.values().map(|r| r.as_array().map_or(0, Vec::len)).sum();
    if total > 25 {
        return Err(validation("Too many items requested for the BatchWriteItem call"));
    }
    let mut plan: Vec<(String, Vec<Write>)> = Vec::new();
    for (name, list) in requests {
        authorize(cloud, caller, "BatchWriteItem", &table_arn(cloud, name))?;
        let list = list
            .as_array()
            .ok_or_else(|| serialization("RequestItems values must be lists"))?;
        let table = db.table(name)?;
        let mut writes = Vec::new();
        let mut seen: Vec<PrimaryKey> = Vec::new();
        for request in list {
            let write = if let Some(put) = request.get("PutRequest") {
                let item = item_member(put, "Item", "item")?;
                Write::Put(writable_key(table, &item)?, item)
            } else if let Some(delete) = request.get("DeleteRequest") {
                Write::Delete(table.lookup_key(&item_member(delete, "Key", "key")?)?)
            } else {
                return Err(validation(
                    "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null",
                ));
            };
            let key = match &write {
                Write::Put(k, _) | Write::Delete(k) => k.clone(),
            };
            if seen.contains(&key) {
                return Err(duplicates());
            }
            seen.push(key);
            writes.push(write);
        }
        plan.push((name.clone(), writes));
    }
    let now = cloud.clock.now_millis();
    for (name, writes) in plan {
        for w in writes {
            let (key, new) = match w {
                Write::Put(k, item) => (k, Some(item)),
                Write::Delete(k) => (k, None),
            };
            super::streams::write(db, now, &cloud.region, &name, key, new);
        }
    }
    Ok(json!({"UnprocessedItems": {}}))
}
