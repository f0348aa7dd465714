//! The control plane: CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTable, UpdateTimeToLive and
//! DescribeTimeToLive.
//!
//! Source: the operations' pages in the DynamoDB API reference (inputs, outputs, errors). A table is usable as soon
//! as it is created (AWS takes seconds; the simulator has no reason to wait), but CreateTable answers
//! `TableStatus: CREATING`, UpdateTable `UPDATING` and DeleteTable `DELETING`, as AWS does.

use super::errors::{invalid_parameter, missing_member, table_not_found, validation};
use super::table::{Index, KeySchema, Table};
use super::{authorize, table_arn, table_name, DynamoDb};
use crate::api::{AwsError, Caller};
use crate::cloud::Cloud;
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;

/// `1 validation error detected: Value '<v>' at '<member>' failed to satisfy constraint: <constraint>`.
fn constraint(value: &str, member: &str, constraint: &str) -> AwsError {
    validation(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"
    ))
}

/// Table and index names: 3 to 255 characters of `[a-zA-Z0-9_.-]` (source: "Supported data types and naming
/// rules", Naming rules; the message is the service's model validation).
fn check_name(name: &str, member: &str) -> Result<(), AwsError> {
    if name.len() < 3 {
        return Err(constraint(
            name,
            member,
            "Member must have length greater than or equal to 3",
        ));
    }
    if name.len() > 255 {
        return Err(constraint(
            name,
            member,
            "Member must have length less than or equal to 255",
        ));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
    {
        return Err(constraint(
            name,
            member,
            "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
        ));
    }
    Ok(())
}

fn array<'a>(input: &'a Json, member: &str, wire: &str) -> Result<&'a Vec<Json>, AwsError> {
    match input.get(member) {
        None | Some(Json::Null) => Err(missing_member(wire)),
        Some(Json::Array(a)) => Ok(a),
        Some(_) => Err(super::errors::serialization(format!("{member} must be a list"))),
    }
}

fn text<'a>(v: &'a Json, member: &str) -> Option<&'a str> {
    v.get(member).and_then(Json::as_str)
}

/// A KeySchema list against the attribute definitions.
fn key_schema(list: &[Json], definitions: &[(String, String)]) -> Result<KeySchema, AwsError> {
    let element = |i: usize| -> Option<(&str, &str)> {
        let e = list.get(i)?;
        Some((text(e, "AttributeName")?, text(e, "KeyType")?))
    };
    let (hash, kind) = element(0)
        .ok_or_else(|| invalid_parameter("Invalid KeySchema: Some index key attribute have no definition"))?;
    if kind != "HASH" || list.len() > 2 {
        return Err(invalid_parameter(
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
        ));
    }
    let range = match element(1) {
        Some((name, "RANGE")) => Some(name),
        Some(_) => {
            return Err(invalid_parameter(
                "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type",
            ))
        }
        None => None,
    };
    let typed = |name: &str| -> Result<(String, String), AwsError> {
        let def = definitions.iter().find(|(n, _)| n == name).ok_or_else(|| {
            let keys: Vec<&str> = std::iter::once(hash).chain(range).collect();
            let defs: Vec<&str> = definitions.iter().map(|(n, _)| n.as_str()).collect();
            invalid_parameter(format!(
                "Some index key attributes are not defined in AttributeDefinitions. Keys: [{}], AttributeDefinitions: [{}]",
                keys.join(", "),
                defs.join(", ")
            ))
        })?;
        Ok(def.clone())
    };
    Ok(KeySchema {
        hash: typed(hash)?,
        range: range.map(typed).transpose()?,
    })
}

fn projection(index: &Json) -> Result<(String, Vec<String>), AwsError> {
    let p = index.get("Projection").unwrap_or(&Json::Null);
    let kind = text(p, "ProjectionType").unwrap_or("ALL").to_string();
    if !matches!(kind.as_str(), "ALL" | "KEYS_ONLY" | "INCLUDE") {
        return Err(constraint(
            &kind,
            "projection.projectionType",
            "Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]",
        ));
    }
    let non_key: Vec<String> = p
        .get("NonKeyAttributes")
        .and_then(Json::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    Ok((kind, non_key))
}

fn throughput(v: Option<&Json>) -> (u64, u64) {
    let read = |k: &str| v.and_then(|p| p.get(k)).and_then(Json::as_u64).unwrap_or(0);
    (read("ReadCapacityUnits"), read("WriteCapacityUnits"))
}

fn index(def: &Json, global: bool, definitions: &[(String, String)], billing: &str) -> Result<Index, AwsError> {
    let name = text(def, "IndexName").ok_or_else(|| missing_member("indexName"))?;
    check_name(name, "indexName")?;
    let key = key_schema(array(def, "KeySchema", "keySchema")?, definitions)?;
    let (projection_type, non_key_attributes) = projection(def)?;
    if global && billing == "PROVISIONED" && def.get("ProvisionedThroughput").is_none() {
        return Err(invalid_parameter(format!(
            "ProvisionedThroughput is not specified for index: {name}"
        )));
    }
    Ok(Index {
        name: name.to_string(),
        global,
        key,
        projection_type,
        non_key_attributes,
        throughput: throughput(def.get("ProvisionedThroughput")),
        entries: BTreeMap::new(),
    })
}

fn stream_label(cloud: &Cloud) -> String {
    let millis = cloud.clock.now_millis() as i128;
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]");
    time::OffsetDateTime::from_unix_timestamp_nanos(millis * 1_000_000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

/// Builds a table from a CreateTable input (also used by [`super::deploy`]), checking what CreateTable checks.
pub fn table_from_input(cloud: &mut Cloud, input: &Json) -> Result<Table, AwsError> {
    let name = table_name(input)?;
    check_name(name, "tableName")?;
    let defs_json = array(input, "AttributeDefinitions", "attributeDefinitions")?;
    let definitions: Vec<(String, String)> = defs_json
        .iter()
        .map(|d| {
            let n = text(d, "AttributeName").unwrap_or_default().to_string();
            let t = text(d, "AttributeType").unwrap_or_default().to_string();
            if !matches!(t.as_str(), "S" | "N" | "B") {
                return Err(constraint(
                    &t,
                    "attributeDefinitions.member.attributeType",
                    "Member must satisfy enum value set: [B, N, S]",
                ));
            }
            Ok((n, t))
        })
        .collect::<Result<_, _>>()?;
    let key = key_schema(array(input, "KeySchema", "keySchema")?, &definitions)?;
    let billing = text(input, "BillingMode").unwrap_or("PROVISIONED").to_string();
    let provisioned = input.get("ProvisionedThroughput").filter(|v| !v.is_null());
    match (billing.as_str(), provisioned) {
        ("PROVISIONED", None) => {
            return Err(invalid_parameter(
                "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
            ))
        }
        ("PAY_PER_REQUEST", Some(_)) => {
            return Err(invalid_parameter(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
            ))
        }
        ("PROVISIONED" | "PAY_PER_REQUEST", _) => {}
        (other, _) => {
            return Err(constraint(
                other,
                "billingMode",
                "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
            ))
        }
    }
    let arn = table_arn(cloud, name);
    let id = cloud.ids.uuid();
    let mut table = Table::new(name, arn, id, cloud.clock.now_millis(), key);
    table.attribute_definitions = definitions.clone();
    table.billing_mode = billing.clone();
    table.throughput = throughput(provisioned);
    for (member, global) in [("LocalSecondaryIndexes", false), ("GlobalSecondaryIndexes", true)] {
        let Some(list) = input.get(member).and_then(Json::as_array) else {
            continue;
        };
        for def in list {
            let i = index(def, global, &definitions, &billing)?;
            if !global {
                if table.key.range.is_none() {
                    return Err(invalid_parameter(
                        "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex",
                    ));
                }
                if i.key.hash != table.key.hash || i.key.range.is_none() {
                    return Err(invalid_parameter(
                        "Index KeySchema does not have the same leading hash key as table KeySchema for index: "
                            .to_string()
                            + &i.name
                            + ". index hash key: "
                            + &i.key.hash.0
                            + ", table hash key: "
                            + &table.key.hash.0,
                    ));
                }
            }
            if table.indexes.iter().any(|x| x.name == i.name) {
                return Err(invalid_parameter(format!("Duplicate index name: {}", i.name)));
            }
            table.indexes.push(i);
        }
    }
    // Every definition must be a key of the table or an index (source: CreateTable API reference).
    let used: Vec<&str> = table
        .key
        .names()
        .into_iter()
        .chain(table.indexes.iter().flat_map(|i| i.key.names()))
        .collect();
    if definitions.iter().any(|(n, _)| !used.contains(&n.as_str())) {
        return Err(invalid_parameter(
            "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
        ));
    }
    if let Some(spec) = input.get("StreamSpecification").filter(|v| !v.is_null()) {
        if spec.get("StreamEnabled").and_then(Json::as_bool).unwrap_or(false) {
            let view = text(spec, "StreamViewType").unwrap_or("NEW_AND_OLD_IMAGES").to_string();
            table.stream = Some((view, stream_label(cloud)));
        }
    }
    table.deletion_protection = input
        .get("DeletionProtectionEnabled")
        .and_then(Json::as_bool)
        .unwrap_or(false);
    Ok(table)
}

/// CreateTable: `{"TableDescription": {...}}` with `TableStatus: CREATING`.
/// Errors: `ResourceInUseException: Table already exists: <name>` (source: CreateTable API reference; moto 5.2.1
/// gives the same text), validation errors of the schema.
pub fn create_table(db: &mut DynamoDb, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = table_name(input)?;
    authorize(cloud, caller, "CreateTable", &table_arn(cloud, name))?;
    if db.tables.contains_key(name) {
        return Err(AwsError::client(
            "ResourceInUseException",
            format!("Table already exists: {name}"),
        ));
    }
    let table = table_from_input(cloud, input)?;
    let description = table.describe("CREATING");
    db.tables.insert(table.name.clone(), table);
    Ok(json!({"TableDescription": description}))
}

/// DescribeTable: `{"Table": {...}}`. Errors: `ResourceNotFoundException: Requested resource not found: Table:
/// <name> not found`.
pub fn describe_table(db: &mut DynamoDb, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = table_name(input)?;
    authorize(cloud, caller, "DescribeTable", &table_arn(cloud, name))?;
    let table = db.tables.get(name).ok_or_else(|| table_not_found(name))?;
    Ok(json!({"Table": table.describe("ACTIVE")}))
}

/// ListTables: `{"TableNames": [...], "LastEvaluatedTableName"?}` in name order, `Limit` 1 to 100 (default 100),
/// starting after `ExclusiveStartTableName`.
pub fn list_tables(db: &mut DynamoDb, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    authorize(cloud, caller, "ListTables", "*")?;
    let limit = match input.get("Limit") {
        None | Some(Json::Null) => 100,
        Some(v) => {
            let n = v.as_i64().unwrap_or(0);
            if n < 1 {
                return Err(constraint(
                    &n.to_string(),
                    "limit",
                    "Member must have value greater than or equal to 1",
                ));
            }
            if n > 100 {
                return Err(constraint(
                    &n.to_string(),
                    "limit",
                    "Member must have value less than or equal to 100",
                ));
            }
            n as usize
        }
    };
    let start = input.get("ExclusiveStartTableName").and_then(Json::as_str);
    let names: Vec<&String> = db
        .tables
        .keys()
        .filter(|n| start.is_none_or(|s| n.as_str() > s))
        .collect();
    let page: Vec<&String> = names.iter().take(limit).copied().collect();
    let mut out = json!({"TableNames": page});
    if names.len() > limit {
        if let Some(last) = page.last() {
            out["LastEvaluatedTableName"] = json!(last);
        }
    }
    Ok(out)
}

/// DeleteTable: `{"TableDescription": {...}}` with `TableStatus: DELETING`. Errors: `ResourceNotFoundException:
/// Requested resource not found` (moto 5.2.1; AWS's text for DeleteTable is the plain one too), deletion protection.
pub fn delete_table(db: &mut DynamoDb, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = table_name(input)?;
    authorize(cloud, caller, "DeleteTable", &table_arn(cloud, name))?;
    let table = db.table(name)?;
    if table.deletion_protection {
        // Source: DeleteTable API reference ("DeletionProtectionEnabled"); AWS's exact wording is not documented.
        return Err(validation(format!(
            "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first. Table: {name}"
        )));
    }
    let description = table.describe("DELETING");
    db.tables.remove(name);
    Ok(json!({"TableDescription": description}))
}

/// UpdateTable: billing mode, provisioned throughput, GSI creation and deletion, streams and deletion protection.
/// Answers `{"TableDescription": {...}}` with `TableStatus: UPDATING`.
pub fn update_table(db: &mut DynamoDb, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = table_name(input)?;
    authorize(cloud, caller, "UpdateTable", &table_arn(cloud, name))?;
    let label = stream_label(cloud);
    let table = db.table_mut(name)?;
    if let Some(defs) = input.get("AttributeDefinitions").and_then(Json::as_array) {
        for d in defs {
            let (Some(n), Some(t)) = (text(d, "AttributeName"), text(d, "AttributeType")) else {
                continue;
            };
            if !table.attribute_definitions.iter().any(|(x, _)| x == n) {
                table.attribute_definitions.push((n.to_string(), t.to_string()));
            }
        }
    }
    if let Some(mode) = text(input, "BillingMode") {
        table.billing_mode = mode.to_string();
        if mode == "PAY_PER_REQUEST" {
            table.throughput = (0, 0);
        }
    }
    if let Some(p) = input.get("ProvisionedThroughput").filter(|v| !v.is_null()) {
        table.throughput = throughput(Some(p));
    }
    if let Some(updates) = input.get("GlobalSecondaryIndexUpdates").and_then(Json::as_array) {
        for u in updates {
            if let Some(create) = u.get("Create") {
                let definitions = table.attribute_definitions.clone();
                let i = index(create, true, &definitions, &table.billing_mode.clone())?;
                if table.index(&i.name).is_some() {
                    return Err(invalid_parameter(format!(
                        "Attempting to create an index which already exists: {}",
                        i.name
                    )));
                }
                table.add_index(i);
            } else if let Some(delete) = u.get("Delete") {
                let n = text(delete, "IndexName").unwrap_or_default();
                let before = table.indexes.len();
                table.indexes.retain(|i| !(i.global && i.name == n));
                if table.indexes.len() == before {
                    return Err(AwsError::client(
                        "ResourceNotFoundException",
                        format!("Requested resource not found: Index: {n} not found"),
                    ));
                }
            } else if let Some(update) = u.get("Update") {
                let n = text(update, "IndexName").unwrap_or_default();
                let tp = throughput(update.get("ProvisionedThroughput"));
                let Some(i) = table.indexes.iter_mut().find(|i| i.global && i.name == n) else {
                    return Err(AwsError::client(
                        "ResourceNotFoundException",
                        format!("Requested resource not found: Index: {n} not found"),
                    ));
                };
                i.throughput = tp;
            }
        }
    }
    if let Some(spec) = input.get("StreamSpecification").filter(|v| !v.is_null()) {
        if spec.get("StreamEnabled").and_then(Json::as_bool).unwrap_or(false) {
            let view = text(spec, "StreamViewType").unwrap_or("NEW_AND_OLD_IMAGES").to_string();
            table.stream = Some((view, label));
        } else {
            table.stream = None;
        }
    }
    if let Some(p) = input.get("DeletionProtectionEnabled").and_then(Json::as_bool) {
        table.deletion_protection = p;
    }
    Ok(json!({"TableDescription": table.describe("UPDATING")}))
}

/// UpdateTimeToLive: records the TTL attribute; answers `{"TimeToLiveSpecification": <the input's>}`. Errors:
/// `TimeToLive is already enabled` / `TimeToLive is already disabled` (ValidationException; source: UpdateTimeToLive
/// API reference and DynamoDB's responses quoted on re:Post).
pub fn update_time_to_live(
    db: &mut DynamoDb,
    cloud: &mut Cloud,
    caller: &Caller,
    input: &Json,
) -> Result<Json, AwsError> {
    let name = table_name(input)?;
    authorize(cloud, caller, "UpdateTimeToLive", &table_arn(cloud, name))?;
    let spec = input
        .get("TimeToLiveSpecification")
        .filter(|v| !v.is_null())
        .ok_or_else(|| missing_member("timeToLiveSpecification"))?;
    let enabled = spec.get("Enabled").and_then(Json::as_bool).unwrap_or(false);
    let attribute =
        text(spec, "AttributeName").ok_or_else(|| missing_member("timeToLiveSpecification.attributeName"))?;
    let table = db.table_mut(name)?;
    let now_enabled = table.ttl.as_ref().is_some_and(|(_, e)| *e);
    if enabled && now_enabled {
        return Err(validation("TimeToLive is already enabled"));
    }
    if !enabled && !now_enabled {
        return Err(validation("TimeToLive is already disabled"));
    }
    table.ttl = Some((attribute.to_string(), enabled));
    Ok(json!({"TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attribute}}))
}

/// DescribeTimeToLive: `{"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"}}` or
/// `{"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}`.
pub fn describe_time_to_live(
    db: &mut DynamoDb,
    cloud: &mut Cloud,
    caller: &Caller,
    input: &Json,
) -> Result<Json, AwsError> {
    let name = table_name(input)?;
    authorize(cloud, caller, "DescribeTimeToLive", &table_arn(cloud, name))?;
    let table = db.table(name)?;
    Ok(match &table.ttl {
        Some((attribute, true)) => {
            json!({"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": attribute}})
        }
        _ => json!({"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}),
    })
}
