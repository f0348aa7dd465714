//! Single-item operations: PutItem, GetItem, UpdateItem, DeleteItem.
//!
//! Source: the operations' pages in the DynamoDB API reference: `ConditionExpression` (a failed condition is
//! `ConditionalCheckFailedException: The conditional request failed`, carrying the old item as `Item` when
//! `ReturnValuesOnConditionCheckFailure` is `ALL_OLD`), `ReturnValues` (PutItem and DeleteItem: `NONE` | `ALL_OLD`;
//! UpdateItem also `UPDATED_OLD` | `ALL_NEW` | `UPDATED_NEW`), `ProjectionExpression` on GetItem,
//! `ReturnConsumedCapacity`. Output members are absent when empty (`{}` for a PutItem without ReturnValues, no
//! `Item` for a GetItem that finds nothing).

use super::condition::evaluate;
use super::errors::{conditional_check_failed, missing_member, serialization, validation};
use super::names::{DocPath, Placeholders};
use super::parser::Condition;
use super::table::{PrimaryKey, Table, MAX_ITEM_BYTES};
use super::value::{item_from_json, item_size, item_to_json, Item};
use super::{authorize, table_arn, table_name, DynamoDb};
use crate::api::{AwsError, Caller};
use crate::cloud::Cloud;
use serde_json::{json, Map, Value as Json};

/// An item-valued member (`Item`, `Key`), required.
pub fn item_member(input: &Json, member: &str, wire: &str) -> Result<Item, AwsError> {
    match input.get(member) {
        None | Some(Json::Null) => Err(missing_member(wire)),
        Some(v) => item_from_json(v),
    }
}

/// A `ReturnValues` member among `allowed` (default `NONE`). Anything else is `Return values set to invalid value`
/// (moto 5.2.1's text, which matches DynamoDB's answer to PutItem with `ALL_NEW`).
pub fn return_values<'a>(input: &'a Json, member: &str, allowed: &[&str]) -> Result<&'a str, AwsError> {
    match input.get(member) {
        None | Some(Json::Null) => Ok("NONE"),
        Some(Json::String(s)) if allowed.contains(&s.as_str()) => Ok(s),
        Some(Json::String(s)) if member == "ReturnValues" => {
            let all = ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"];
            if all.contains(&s.as_str()) {
                Err(validation("Return values set to invalid value"))
            } else {
                Err(validation(format!(
                    "1 validation error detected: Value '{s}' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"
                )))
            }
        }
        Some(Json::String(s)) => Err(validation(format!(
            "1 validation error detected: Value '{s}' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]"
        ))),
        Some(_) => Err(serialization(format!("{member} must be a string"))),
    }
}

/// The optional `ConditionExpression` of a write.
pub fn condition_member(input: &Json, names: &mut Placeholders) -> Result<Option<Condition>, AwsError> {
    match input.get("ConditionExpression").and_then(Json::as_str) {
        Some(text) => Ok(Some(names.condition(text, "ConditionExpression")?)),
        None => Ok(None),
    }
}

/// Checks a write's condition against the current item; a failure is ConditionalCheckFailedException, with the
/// old item as `Item` when `ReturnValuesOnConditionCheckFailure` is `ALL_OLD` and the item exists.
pub fn check_condition(
    condition: Option<&Condition>,
    old: Option<&Item>,
    names: &Placeholders,
    on_failure: &str,
) -> Result<(), AwsError> {
    let Some(c) = condition else { return Ok(()) };
    if evaluate(c, old, names, "ConditionExpression")? {
        return Ok(());
    }
    let error = conditional_check_failed();
    Err(match (on_failure, old) {
        ("ALL_OLD", Some(item)) => error.with_extra(json!({"Item": item_to_json(item)})),
        _ => error,
    })
}

/// `ConsumedCapacity` for `ReturnConsumedCapacity` `TOTAL` / `INDEXES`: reads cost 1 unit per 4 KB (half when
/// eventually consistent), writes 1 per KB (source: "Read/write capacity mode", DynamoDB developer guide).
pub fn consumed(input: &Json, table: &str, units: f64) -> Option<Json> {
    match input.get("ReturnConsumedCapacity").and_then(Json::as_str) {
        Some("TOTAL") => Some(json!({"TableName": table, "CapacityUnits": units})),
        Some("INDEXES") => Some(json!({"TableName": table, "CapacityUnits": units, "Table": {"CapacityUnits": units}})),
        _ => None,
    }
}

/// Read units for `bytes` read.
pub fn read_units(bytes: usize, consistent: bool) -> f64 {
    let units = bytes.div_ceil(4096).max(1) as f64;
    if consistent {
        units
    } else {
        units / 2.0
    }
}

/// Write units for an item of `bytes`.
pub fn write_units(bytes: usize) -> f64 {
    bytes.div_ceil(1024).max(1) as f64
}

fn output(attributes: Option<Item>, consumed: Option<Json>) -> Json {
    let mut out = Map::new();
    if let Some(a) = attributes {
        out.insert("Attributes".into(), item_to_json(&a));
    }
    if let Some(c) = consumed {
        out.insert("ConsumedCapacity".into(), c);
    }
    Json::Object(out)
}

/// Checks an item to write and returns its key. Errors: the key errors of [`Table::item_key`]; `Item size has
/// exceeded the maximum allowed size` over 400 KB (source: PutItem API reference, ValidationException).
pub fn writable_key(table: &Table, item: &Item) -> Result<PrimaryKey, AwsError> {
    let key = table.item_key(item)?;
    if item_size(item) > MAX_ITEM_BYTES {
        return Err(validation("Item size has exceeded the maximum allowed size"));
    }
    Ok(key)
}

/// PutItem.
pub fn put_item(db: &mut DynamoDb, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = table_name(input)?;
    authorize(cloud, caller, "PutItem", &table_arn(cloud, name))?;
    let item = item_member(input, "Item", "item")?;
    let returns = return_values(input, "ReturnValues", &["NONE", "ALL_OLD"])?;
    let on_failure = return_values(input, "ReturnValuesOnConditionCheckFailure", &["NONE", "ALL_OLD"])?;
    let mut names = Placeholders::from_input(input)?;
    let condition = condition_member(input, &mut names)?;
    names.finish()?;
    let table = db.table_mut(name)?;
    let key = writable_key(table, &item)?;
    check_condition(condition.as_ref(), table.get(&key), &names, on_failure)?;
    let units = write_units(item_size(&item));
    let old = super::streams::write(db, cloud.clock.now_millis(), &cloud.region, name, key, Some(item));
    let attributes = if returns == "ALL_OLD" { old } else { None };
    Ok(output(attributes, consumed(input, name, units)))
}

/// GetItem.
pub fn get_item(db: &mut DynamoDb, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = table_name(input)?;
    authorize(cloud, caller, "GetItem", &table_arn(cloud, name))?;
    // A plain key is read straight from the JSON; any other goes the general way, which gives the exact errors.
    let fast = match input.get("Key") {
        Some(key) => db.tables.get(name).and_then(|t| t.key_from_json(key)),
        None => None,
    };
    let key = match fast {
        Some(key) => Ok(key),
        None => Err(item_member(input, "Key", "key")?),
    };
    let mut names = Placeholders::from_input(input)?;
    let projection = match input.get("ProjectionExpression").and_then(Json::as_str) {
        Some(text) => Some(names.projection(text)?),
        None => None,
    };
    names.finish()?;
    let table = db.table(name)?;
    let key = match key {
        Ok(key) => key,
        Err(item) => table.lookup_key(&item)?,
    };
    let consistent = input.get("ConsistentRead").and_then(Json::as_bool).unwrap_or(false);
    let found = table.get(&key);
    let units = read_units(found.map_or(0, item_size), consistent);
    let mut out = Map::new();
    if let Some(item) = found {
        let shown = match &projection {
            Some(paths) => item_to_json(&super::projection::project(item, paths)),
            None => item_to_json(item),
        };
        out.insert("Item".into(), shown);
    }
    if let Some(c) = consumed(input, name, units) {
        out.insert("ConsumedCapacity".into(), c);
    }
    Ok(Json::Object(out))
}

/// UpdateItem. Without an item under the key, the update starts from the key attributes alone (an "upsert").
pub fn update_item(db: &mut DynamoDb, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = table_name(input)?;
    authorize(cloud, caller, "UpdateItem", &table_arn(cloud, name))?;
    let key_item = item_member(input, "Key", "key")?;
    let returns = return_values(
        input,
        "ReturnValues",
        &["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"],
    )?;
    let on_failure = return_values(input, "ReturnValuesOnConditionCheckFailure", &["NONE", "ALL_OLD"])?;
    let mut names = Placeholders::from_input(input)?;
    let update = match input.get("UpdateExpression").and_then(Json::as_str) {
        Some(text) => Some(names.update(text)?),
        None => None,
    };
    let condition = condition_member(input, &mut names)?;
    names.finish()?;
    let table = db.table_mut(name)?;
    let key = table.lookup_key(&key_item)?;
    let key_names: Vec<String> = table.key.names().iter().map(|s| s.to_string()).collect();
    let key_refs: Vec<&str> = key_names.iter().map(String::as_str).collect();
    let paths: Vec<DocPath> = match &update {
        Some(u) => super::update::check(u, &names, &key_refs)?,
        None => Vec::new(),
    };
    let old = table.get(&key).cloned();
    check_condition(condition.as_ref(), old.as_ref(), &names, on_failure)?;
    let mut new = old.clone().unwrap_or_else(|| key_item.clone());
    if let Some(u) = &update {
        super::update::apply(u, &mut new, &names)?;
    }
    if item_size(&new) > MAX_ITEM_BYTES {
        return Err(validation("Item size to update has exceeded the maximum allowed size"));
    }
    table.item_key(&new)?;
    let units = write_units(item_size(&new));
    let attributes = match returns {
        "ALL_OLD" => old.clone(),
        "UPDATED_OLD" => old.as_ref().map(|o| super::projection::project(o, &paths)),
        "ALL_NEW" => Some(new.clone()),
        "UPDATED_NEW" => Some(super::projection::project(&new, &paths)),
        _ => None,
    }
    .filter(|a| !a.is_empty());
    super::streams::write(db, cloud.clock.now_millis(), &cloud.region, name, key, Some(new));
    Ok(output(attributes, consumed(input, name, units)))
}

/// DeleteItem (deleting a missing item succeeds).
pub fn delete_item(db: &mut DynamoDb, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = table_name(input)?;
    authorize(cloud, caller, "DeleteItem", &table_arn(cloud, name))?;
    let key = item_member(input, "Key", "key")?;
    let returns = return_values(input, "ReturnValues", &["NONE", "ALL_OLD"])?;
    let on_failure = return_values(input, "ReturnValuesOnConditionCheckFailure", &["NONE", "ALL_OLD"])?;
    let mut names = Placeholders::from_input(input)?;
    let condition = condition_member(input, &mut names)?;
    names.finish()?;
    let table = db.table_mut(name)?;
    let key = table.lookup_key(&key)?;
    check_condition(condition.as_ref(), table.get(&key), &names, on_failure)?;
    let old = super::streams::write(db, cloud.clock.now_millis(), &cloud.region, name, key, None);
    let units = write_units(old.as_ref().map_or(0, item_size));
    let attributes = if returns == "ALL_OLD" { old } else { None };
    Ok(output(attributes, consumed(input, name, units)))
}
