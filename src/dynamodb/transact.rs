//! TransactWriteItems and TransactGetItems: all or nothing.
//!
//! Source: "TransactWriteItems" and "TransactGetItems", DynamoDB API reference: up to 100 actions, no two on one
//! item (`Transaction request cannot include multiple operations on one item`); when any condition fails, nothing
//! is written and the answer is `TransactionCanceledException: Transaction cancelled, please refer cancellation
//! reasons for specific reasons [ConditionalCheckFailed, None]` with one `CancellationReasons` entry per action
//! (`{"Code": "None"}` for the others; `Item` with `ReturnValuesOnConditionCheckFailure: ALL_OLD`). The message text
//! is DynamoDB's (moto 5.2.1 records the same).

use super::errors::{missing_member, validation};
use super::items::{check_condition, item_member, return_values, writable_key};
use super::names::Placeholders;
use super::parser::{Condition, Update};
use super::table::PrimaryKey;
use super::value::{item_to_json, Item};
use super::{authorize, table_arn, table_name, DynamoDb};
use crate::api::{AwsError, Caller};
use crate::cloud::Cloud;
use serde_json::{json, Value as Json};

enum Action {
    ConditionCheck,
    Put(Item),
    Delete,
    Update(Option<Update>, Item),
}

struct Step {
    table: String,
    key: PrimaryKey,
    action: Action,
    condition: Option<Condition>,
    names: Placeholders,
    on_failure: String,
}

fn transact_items(input: &Json) -> Result<&Vec<Json>, AwsError> {
    let items = input
        .get("TransactItems")
        .and_then(Json::as_array)
        .ok_or_else(|| missing_member("transactItems"))?;
    if items.is_empty() || items.len() > 100 {
        return Err(validation(format!(
            "1 validation error detected: Value '{}' at 'transactItems' failed to satisfy constraint: Member must have length {}",
            items.len(),
            if items.is_empty() { "greater than or equal to 1" } else { "less than or equal to 100" }
        )));
    }
    Ok(items)
}

fn parse_step(db: &DynamoDb, cloud: &Cloud, caller: &Caller, entry: &Json) -> Result<Step, AwsError> {
    let (kind, body) = ["ConditionCheck", "Put", "Delete", "Update"]
        .into_iter()
        .find_map(|k| entry.get(k).filter(|v| !v.is_null()).map(|b| (k, b)))
        .ok_or_else(|| validation("TransactItems can only contain one of Check, Put, Update or Delete"))?;
    let name = table_name(body)?;
    let operation = match kind {
        "ConditionCheck" => "ConditionCheckItem",
        "Put" => "PutItem",
        "Delete" => "DeleteItem",
        _ => "UpdateItem",
    };
    authorize(cloud, caller, operation, &table_arn(cloud, name))?;
    let mut names = Placeholders::from_input(body)?;
    let update = match (kind, body.get("UpdateExpression").and_then(Json::as_str)) {
        ("Update", Some(text)) => Some(names.update(text)?),
        _ => None,
    };
    let condition = match body.get("ConditionExpression").and_then(Json::as_str) {
        Some(text) => Some(names.condition(text, "ConditionExpression")?),
        None if kind == "ConditionCheck" => return Err(missing_member("conditionExpression")),
        None => None,
    };
    names.finish()?;
    let on_failure = return_values(body, "ReturnValuesOnConditionCheckFailure", &["NONE", "ALL_OLD"])?.to_string();
    let table = db.table(name)?;
    let (key, action) = match kind {
        "Put" => {
            let item = item_member(body, "Item", "item")?;
            (writable_key(table, &item)?, Action::Put(item))
        }
        _ => {
            let key_item = item_member(body, "Key", "key")?;
            let key = table.lookup_key(&key_item)?;
            let action = match kind {
                "ConditionCheck" => Action::ConditionCheck,
                "Delete" => Action::Delete,
                _ => {
                    if let Some(u) = &update {
                        super::update::check(u, &names, &table.key.names())?;
                    }
                    Action::Update(update, key_item)
                }
            };
            (key, action)
        }
    };
    Ok(Step {
        table: name.to_string(),
        key,
        action,
        condition,
        names,
        on_failure,
    })
}

/// TransactWriteItems: `{}` on success.
pub fn transact_write_items(
    db: &mut DynamoDb,
    cloud: &mut Cloud,
    caller: &Caller,
    input: &Json,
) -> Result<Json, AwsError> {
    let entries = transact_items(input)?;
    let steps: Vec<Step> = entries
        .iter()
        .map(|e| parse_step(db, cloud, caller, e))
        .collect::<Result<_, _>>()?;
    for (i, a) in steps.iter().enumerate() {
        if steps[..i].iter().any(|b| b.table == a.table && b.key == a.key) {
            return Err(validation(
                "Transaction request cannot include multiple operations on one item",
            ));
        }
    }
    // Decide every action against the current state before writing anything.
    let mut reasons = Vec::with_capacity(steps.len());
    let mut writes: Vec<(String, PrimaryKey, Option<Item>)> = Vec::new();
    let mut failed = false;
    for step in &steps {
        let table = db.table(&step.table)?;
        let old = table.get(&step.key);
        match check_condition(step.condition.as_ref(), old, &step.names, &step.on_failure) {
            Ok(()) => {}
            Err(e) if e.code == "ConditionalCheckFailedException" => {
                failed = true;
                let mut reason = json!({"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"});
                if let Some(item) = e.extra.as_ref().and_then(|x| x.get("Item")) {
                    reason["Item"] = item.clone();
                }
                reasons.push(reason);
                continue;
            }
            Err(e) => return Err(e),
        }
        let outcome = match &step.action {
            Action::ConditionCheck => None,
            Action::Put(item) => Some(Some(item.clone())),
            Action::Delete => Some(None),
            Action::Update(update, key_item) => {
                let mut new = old.cloned().unwrap_or_else(|| key_item.clone());
                if let Some(u) = update {
                    if let Err(e) = super::update::apply(u, &mut new, &step.names) {
                        failed = true;
                        reasons.push(json!({"Code": "ValidationError", "Message": e.message}));
                        continue;
                    }
                }
                Some(Some(new))
            }
        };
        reasons.push(json!({"Code": "None"}));
        if let Some(new) = outcome {
            writes.push((step.table.clone(), step.key.clone(), new));
        }
    }
    if failed {
        let codes: Vec<&str> = reasons.iter().map(|r| r["Code"].as_str().unwrap_or("None")).collect();
        return Err(AwsError::client(
            "TransactionCanceledException",
            format!(
                "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
                codes.join(", ")
            ),
        )
        .with_extra(json!({"CancellationReasons": reasons})));
    }
    let now = cloud.clock.now_millis();
    for (name, key, new) in writes {
        db.table(&name)?;
        super::streams::write(db, now, &cloud.region, &name, key, new);
    }
    Ok(json!({}))
}

/// TransactGetItems: `{"Responses": [{"Item": {...}} | {}, ...]}` in request order.
pub fn transact_get_items(
    db: &mut DynamoDb,
    cloud: &mut Cloud,
    caller: &Caller,
    input: &Json,
) -> Result<Json, AwsError> {
    let entries = transact_items(input)?;
    let mut responses = Vec::with_capacity(entries.len());
    for entry in entries {
        let body = entry
            .get("Get")
            .ok_or_else(|| missing_member("transactItems.member.get"))?;
        let name = table_name(body)?;
        authorize(cloud, caller, "GetItem", &table_arn(cloud, name))?;
        let mut names = Placeholders::from_input(body)?;
        let projection = match body.get("ProjectionExpression").and_then(Json::as_str) {
            Some(text) => Some(names.projection(text)?),
            None => None,
        };
        names.finish()?;
        let table = db.table(name)?;
        let key = table.lookup_key(&item_member(body, "Key", "key")?)?;
        responses.push(match table.get(&key) {
            Some(item) => {
                let shown = match &projection {
                    Some(paths) => super::projection::project(item, paths),
                    None => item.clone(),
                };
                json!({"Item": item_to_json(&shown)})
            }
            None => json!({}),
        });
    }
    Ok(json!({"Responses": responses}))
}
