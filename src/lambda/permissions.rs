//! The function's resource-based policy, as far as a service calling `Invoke` needs it: whether an
//! `AddPermission` statement (an `AWS::Lambda::Permission`) lets a service principal invoke the function from a
//! given source.
//!
//! Sources: Lambda developer guide, "Using resource-based policies for Lambda" (a statement names `Action`,
//! `Principal`, optionally `SourceArn` and `SourceAccount`; API Gateway's source ARN is
//! `arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path>`), CloudFormation's
//! `AWS::Lambda::Permission` reference (a permission on a qualified `FunctionName` applies to that version or
//! alias only), and the IAM reference for `ArnLike` (each of the six colon-separated parts of the ARN is matched
//! on its own; `*` matches any run of characters and `?` one character; case-sensitive) and for action names
//! (`service:Action`, case-insensitive, with the same wildcards). lambda-facts §6.1-§6.2.
//!
//! The decision is IAM's: each permission becomes the statement `AddPermission` stores
//! ([`crate::iam::add_permission_statement`]) and the function's policy is evaluated by
//! [`crate::iam::evaluate_resource_policy`], the same evaluator every other policy goes through.

use super::Lambda;
use crate::iam::context::RequestContext;
use crate::iam::evaluate::{add_permission_statement, evaluate_resource_policy, Principal};
use crate::iam::Decision;
use serde_json::Value as Json;

/// Who calls `Invoke`, and from where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvokeSource<'a> {
    /// The service principal, e.g. `apigateway.amazonaws.com`.
    pub principal: &'a str,
    /// `aws:SourceArn`, e.g. `arn:aws:execute-api:us-east-1:123456789012:abc123/test/GET/pets`.
    pub source_arn: &'a str,
    /// `aws:SourceAccount`.
    pub source_account: &'a str,
}

/// Whether the resource-based policy of `function_name` (a name, ARN, or `name:qualifier`) allows
/// `lambda:InvokeFunction` for `source`. An unknown function allows nothing.
pub fn allows_invoke(lambda: &Lambda, function_name: &str, source: &InvokeSource<'_>) -> bool {
    let (name, qualifier) = lambda.resolve_name(function_name);
    let Some(function) = lambda.functions.get(&name) else {
        return false;
    };
    let base_arn = &function.latest.function_arn;
    let statements: Vec<Json> = function
        .permissions
        .iter()
        .enumerate()
        .map(|(index, permission)| stored_statement(lambda, base_arn, index, permission))
        .collect();
    let context = RequestContext::new()
        .with("aws:SourceArn", source.source_arn)
        .with("aws:SourceAccount", source.source_account);
    let decision = evaluate_resource_policy(
        &Json::Array(statements),
        &Principal::service(source.principal),
        "lambda:InvokeFunction",
        &qualified(base_arn, qualifier.as_deref()),
        &context,
    );
    decision == Decision::Allow
}

/// The statement an `AWS::Lambda::Permission` stores: its resource is the function's ARN with the qualifier the
/// permission's `FunctionName` carries, so a permission on an alias covers that alias only (CloudFormation's
/// `AWS::Lambda::Permission` reference).
fn stored_statement(lambda: &Lambda, base_arn: &str, index: usize, permission: &Json) -> Json {
    let text = |key: &str| permission.get(key).and_then(Json::as_str);
    let (_, granted_qualifier) = lambda.resolve_name(text("FunctionName").unwrap_or_default());
    add_permission_statement(
        &format!("permission-{index}"),
        &qualified(base_arn, granted_qualifier.as_deref()),
        text("Action").unwrap_or_default(),
        text("Principal").unwrap_or_default(),
        text("SourceArn"),
        text("SourceAccount"),
    )
}

/// `arn` with `:qualifier` appended, when there is one.
fn qualified(arn: &str, qualifier: Option<&str>) -> String {
    match qualifier {
        Some(q) => format!("{arn}:{q}"),
        None => arn.to_string(),
    }
}
