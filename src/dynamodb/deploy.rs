//! Creating tables from a stack's `AWS::DynamoDB::Table` resources (SAM's `AWS::Serverless::SimpleTable` arrives
//! here already transformed into one, by `template::sam`).
//!
//! Source: "AWS::DynamoDB::Table", CloudFormation user guide: the properties carry CreateTable's members
//! (`AttributeDefinitions`, `KeySchema`, `BillingMode`, `ProvisionedThroughput`, `GlobalSecondaryIndexes`,
//! `LocalSecondaryIndexes`, `DeletionProtectionEnabled`) plus `StreamSpecification` (only a `StreamViewType`: a
//! present specification enables the stream) and `TimeToLiveSpecification`. The table name is the resource's
//! physical id; the stream label is the one in its `StreamArn` attribute.

use super::control::table_from_input;
use super::DynamoDb;
use crate::cloud::Cloud;
use crate::template::{Stack, StackResource, TemplateError};
use serde_json::{json, Value as Json};

/// Creates every `AWS::DynamoDB::Table` of `stack`.
///
/// Errors: the first table whose properties CreateTable would refuse, or whose name is taken, located at its
/// resource in the template.
pub fn deploy(db: &mut DynamoDb, stack: &Stack, cloud: &mut Cloud) -> Result<(), TemplateError> {
    for resource in stack
        .resources
        .iter()
        .filter(|r| r.resource_type == "AWS::DynamoDB::Table")
    {
        create(db, resource, cloud).map_err(|message| TemplateError {
            file: stack.file_name.clone(),
            span: resource.span,
            logical_id: Some(resource.logical_id.clone()),
            message,
        })?;
    }
    // Event source mappings reading a stream (the SQS service takes those reading a queue).
    for resource in stack
        .resources
        .iter()
        .filter(|r| r.resource_type == "AWS::Lambda::EventSourceMapping")
    {
        let mapping =
            super::stream_source::from_resource(resource, super::streams::next_sequence(db)).map_err(|message| {
                TemplateError {
                    file: stack.file_name.clone(),
                    span: resource.span,
                    logical_id: Some(resource.logical_id.clone()),
                    message,
                }
            })?;
        db.event_source_mappings.extend(mapping);
    }
    Ok(())
}

/// CloudFormation writes numbers and booleans as strings as often as not; CreateTable wants JSON types.
fn normalise(value: &Json) -> Json {
    match value {
        Json::Object(m) => Json::Object(
            m.iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), v) {
                        ("ReadCapacityUnits" | "WriteCapacityUnits", Json::String(s)) => {
                            s.trim().parse::<u64>().map_or_else(|_| v.clone(), |n| json!(n))
                        }
                        ("Enabled" | "DeletionProtectionEnabled" | "StreamEnabled", Json::String(s)) => {
                            json!(s.eq_ignore_ascii_case("true"))
                        }
                        _ => normalise(v),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Json::Array(a) => Json::Array(a.iter().map(normalise).collect()),
        other => other.clone(),
    }
}

fn create(db: &mut DynamoDb, resource: &StackResource, cloud: &mut Cloud) -> Result<(), String> {
    let props = normalise(&resource.properties);
    let mut input = props.clone();
    input["TableName"] = json!(resource.physical_id);
    if let Some(spec) = props.get("StreamSpecification").filter(|v| !v.is_null()) {
        input["StreamSpecification"] = json!({
            "StreamEnabled": true,
            "StreamViewType": spec.get("StreamViewType").cloned().unwrap_or(json!("NEW_AND_OLD_IMAGES")),
        });
    }
    if db.tables.contains_key(&resource.physical_id) {
        return Err(format!("Table already exists: {}", resource.physical_id));
    }
    let mut table = table_from_input(cloud, &input).map_err(|e| format!("{}: {}", e.code, e.message))?;
    if let (Some((view, _)), Some(arn)) = (
        table.stream.clone(),
        resource.attributes.get("StreamArn").and_then(Json::as_str),
    ) {
        if let Some((_, label)) = arn.rsplit_once("/stream/") {
            table.stream = Some((view, label.to_string()));
        }
    }
    if let Some(ttl) = props.get("TimeToLiveSpecification") {
        if let Some(attribute) = ttl.get("AttributeName").and_then(Json::as_str) {
            let enabled = ttl.get("Enabled").and_then(Json::as_bool).unwrap_or(false);
            table.ttl = Some((attribute.to_string(), enabled));
        }
    }
    db.tables.insert(table.name.clone(), table);
    Ok(())
}
