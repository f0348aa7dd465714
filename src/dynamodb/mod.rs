//! DynamoDB: tables, items, expressions, queries, batches and transactions, answering the DynamoDB JSON 1.0 API
//! ([`crate::Cloud::call`] with signing name `dynamodb`) with AWS's shapes, error codes and messages.
//!
//! Modules, one concept each: [`number`] and [`value`] (data types), [`lexer`], [`parser`], [`reserved`] and
//! [`names`] (expressions and their placeholders), [`path`], [`condition`], [`update`], [`projection`],
//! [`key_condition`] (evaluation), [`table`] (storage and indexes), [`errors`], and one module per operation group:
//! [`control`] (CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTable, TTL), [`items`] (PutItem,
//! GetItem, UpdateItem, DeleteItem), [`read`] (Query, Scan), [`batch`] (BatchGetItem, BatchWriteItem),
//! [`transact`] (TransactWriteItems, TransactGetItems); [`deploy`] creates tables from templates. Streams:
//! [`streams`] (the change log every write feeds), [`streams_api`] (ListStreams, DescribeStream,
//! GetShardIterator, GetRecords), [`stream_source`] (Lambda event source mappings reading a stream).
//!
//! Not simulated (answered loudly): PartiQL, backups, global tables, imports/exports, Kinesis destinations,
//! the legacy parameters (`KeyConditions`, `QueryFilter`, `ScanFilter`, `Expected`, `AttributesToGet`,
//! `AttributeUpdates`). Time to live is recorded but items do not expire (AWS deletes expired items "within a few
//! days", a time the simulator cannot pick faithfully).

pub mod batch;
pub mod condition;
pub mod control;
pub mod deploy;
pub mod errors;
pub mod items;
pub mod key_condition;
pub mod lexer;
pub mod names;
pub mod number;
pub mod parser;
pub mod path;
pub mod projection;
pub mod read;
pub mod reserved;
pub mod stream_source;
pub mod streams;
pub mod streams_api;
pub mod table;
pub mod transact;
pub mod update;
pub mod value;

use crate::api::{ApiRequest, AwsError, Caller};
use crate::cloud::{Cloud, Service};
use crate::iam::Decision;
use crate::template::{Stack, TemplateError};
use serde_json::Value as Json;
use std::any::Any;
use std::collections::BTreeMap;
use table::Table;

/// The DynamoDB service of one account and region: its tables by name.
#[derive(Debug, Default)]
pub struct DynamoDb {
    /// Tables by name (a `BTreeMap`, so ListTables answers in name order as DynamoDB does).
    pub tables: BTreeMap<String, Table>,
    /// Streams by ARN, the disabled ones included while they keep records (see [`streams`]).
    pub streams: BTreeMap<String, streams::Stream>,
    /// The last stream sequence number given (counted from the first, see [`streams`]).
    pub stream_sequence: u128,
    /// Lambda event source mappings reading the streams (see [`stream_source`]).
    pub event_source_mappings: Vec<stream_source::StreamEventSourceMapping>,
    /// The invocations those mappings made, oldest first (see [`stream_source::MAX_INVOCATIONS`]).
    pub stream_invocations: Vec<stream_source::StreamInvocation>,
}

/// The ARN of table `name` in `cloud`'s account and region.
pub fn table_arn(cloud: &Cloud, name: &str) -> String {
    format!(
        "arn:{}:dynamodb:{}:{}:table/{name}",
        cloud.partition(),
        cloud.region,
        cloud.account_id
    )
}

/// Asks IAM whether `caller` may perform `dynamodb:<operation>` on `resource`; anything but Allow is DynamoDB's
/// `AccessDeniedException` (400) with IAM's message (source: "Troubleshooting access denied error messages", IAM
/// user guide; DynamoDB API reference, Common errors).
pub fn authorize(cloud: &Cloud, caller: &Caller, operation: &str, resource: &str) -> Result<(), AwsError> {
    let action = match operation {
        // The hot operations without an allocation.
        "GetItem" => std::borrow::Cow::Borrowed("dynamodb:GetItem"),
        "PutItem" => std::borrow::Cow::Borrowed("dynamodb:PutItem"),
        "Query" => std::borrow::Cow::Borrowed("dynamodb:Query"),
        other => std::borrow::Cow::Owned(format!("dynamodb:{other}")),
    };
    match crate::iam::authorize(cloud, caller, &action, resource) {
        Decision::Allow => Ok(()),
        decision => Err(AwsError::client(
            "AccessDeniedException",
            crate::iam::denial_message(caller, &action, resource, decision),
        )),
    }
}

/// The `TableName` member, required by the data and control operations.
pub fn table_name(input: &Json) -> Result<&str, AwsError> {
    match input.get("TableName") {
        None | Some(Json::Null) => Err(errors::missing_member("tableName")),
        Some(Json::String(s)) => Ok(s),
        Some(_) => Err(errors::serialization("TableName must be a string")),
    }
}

/// Refuses the legacy parameters the simulator does not model.
fn refuse_legacy(input: &Json) -> Result<(), AwsError> {
    const LEGACY: [&str; 7] = [
        "KeyConditions",
        "QueryFilter",
        "ScanFilter",
        "Expected",
        "AttributesToGet",
        "AttributeUpdates",
        "ConditionalOperator",
    ];
    // One pass over the members the request has (fewer than the legacy names), not seven map lookups.
    let Some(members) = input.as_object() else {
        return Ok(());
    };
    for (name, value) in members {
        if !value.is_null() && LEGACY.contains(&name.as_str()) {
            return Err(AwsError::not_simulated(format!(
                "the legacy DynamoDB parameter {name} (use expressions)"
            )));
        }
    }
    Ok(())
}

impl DynamoDb {
    /// Answers one DynamoDB API operation (`request.operation`) with its JSON output.
    pub fn handle(&mut self, request: &ApiRequest<'_>, cloud: &mut Cloud) -> Result<Json, AwsError> {
        let input = request.input;
        if !input.is_object() {
            return Err(errors::serialization("the request body must be a JSON object"));
        }
        refuse_legacy(input)?;
        let caller = request.caller;
        match request.operation {
            "CreateTable" => control::create_table(self, cloud, caller, input),
            "DescribeTable" => control::describe_table(self, cloud, caller, input),
            "ListTables" => control::list_tables(self, cloud, caller, input),
            "DeleteTable" => control::delete_table(self, cloud, caller, input),
            "UpdateTable" => control::update_table(self, cloud, caller, input),
            "UpdateTimeToLive" => control::update_time_to_live(self, cloud, caller, input),
            "DescribeTimeToLive" => control::describe_time_to_live(self, cloud, caller, input),
            "PutItem" => items::put_item(self, cloud, caller, input),
            "GetItem" => items::get_item(self, cloud, caller, input),
            "UpdateItem" => items::update_item(self, cloud, caller, input),
            "DeleteItem" => items::delete_item(self, cloud, caller, input),
            "Query" => read::query(self, cloud, caller, input),
            "Scan" => read::scan(self, cloud, caller, input),
            "BatchGetItem" => batch::batch_get_item(self, cloud, caller, input),
            "BatchWriteItem" => batch::batch_write_item(self, cloud, caller, input),
            "TransactWriteItems" => transact::transact_write_items(self, cloud, caller, input),
            "TransactGetItems" => transact::transact_get_items(self, cloud, caller, input),
            // The DynamoDB Streams API signs with `dynamodb` too (see `streams_api`).
            "ListStreams" => streams_api::list_streams(self, cloud, caller, input),
            "DescribeStream" => streams_api::describe_stream(self, cloud, caller, input),
            "GetShardIterator" => streams_api::get_shard_iterator(self, cloud, caller, input),
            "GetRecords" => streams_api::get_records(self, cloud, caller, input),
            other => Err(AwsError::not_simulated(format!("the DynamoDB operation {other}"))),
        }
    }

    /// The table named `name`, or `ResourceNotFoundException: Requested resource not found`.
    pub fn table(&self, name: &str) -> Result<&Table, AwsError> {
        self.tables.get(name).ok_or_else(errors::resource_not_found)
    }

    /// The table named `name`, mutably.
    pub fn table_mut(&mut self, name: &str) -> Result<&mut Table, AwsError> {
        self.tables.get_mut(name).ok_or_else(errors::resource_not_found)
    }
}

impl Service for DynamoDb {
    fn name(&self) -> &'static str {
        "DynamoDB"
    }

    fn resource_types(&self) -> &'static [&'static str] {
        // AWS::Serverless::SimpleTable becomes AWS::DynamoDB::Table in the SAM transform (template/sam.rs).
        &["AWS::DynamoDB::Table"]
    }

    fn deploy(&mut self, stack: &Stack, cloud: &mut Cloud) -> Result<(), TemplateError> {
        deploy::deploy(self, stack, cloud)
    }

    fn signing_name(&self) -> Option<&'static str> {
        Some("dynamodb")
    }

    fn call(&mut self, request: &ApiRequest<'_>, cloud: &mut Cloud) -> Result<Json, AwsError> {
        self.handle(request, cloud)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
