//! IAM: who may do what. Every service calls [`authorize`] before acting for a [`Caller`]; Lambda calls
//! [`evaluate_resource_policy`] for its function policies.
//!
//! - [`policy`]: policy documents and IAM's `MalformedPolicyDocument` errors;
//! - [`matching`]: action and resource wildcards; [`condition`]: the `Condition` element; [`context`]: the request's
//!   condition keys and policy variables;
//! - [`evaluate`]: AWS's evaluation logic within one account;
//! - [`roles`]: roles and customer managed policies from templates; [`managed_policies`]: AWS managed policies;
//! - [`Iam`]: the service that holds them in a [`Cloud`].
//!
//! A caller whose role the IAM service does not know (a role ARN typed into a template, a role of another stack
//! never deployed here) is implicitly denied everything: IAM would not find a policy that allows it.

pub mod condition;
pub mod context;
pub mod evaluate;
pub mod managed_policies;
pub mod matching;
pub mod policy;
pub mod roles;

pub use context::RequestContext;
pub use evaluate::{add_permission_statement, evaluate_resource_policy, Outcome, PolicyType, Principal};
pub use policy::{PolicyDocument, PolicyError, PolicyKind};

use crate::api::Caller;
use crate::cloud::{Cloud, Service};
use crate::template::{Stack, TemplateError};
use std::any::Any;

/// The outcome of evaluating a request (docs: "Policy evaluation logic").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Some policy allows and none denies.
    Allow,
    /// No policy allows: the default deny.
    ImplicitDeny,
    /// A policy denies explicitly.
    ExplicitDeny,
}

/// The CloudFormation types the IAM service creates.
pub const RESOURCE_TYPES: &[&str] = &["AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"];

/// The IAM service of a Cloud: its roles and customer managed policies.
#[derive(Debug, Default)]
pub struct Iam {
    /// Roles and customer managed policies.
    pub directory: roles::Directory,
}

impl Service for Iam {
    fn name(&self) -> &'static str {
        "IAM"
    }

    fn resource_types(&self) -> &'static [&'static str] {
        RESOURCE_TYPES
    }

    /// Creates roles and policies in stack order (CloudFormation orders a policy after the roles it names, and a
    /// role after the managed policies it references).
    ///
    /// Errors: IAM's `MalformedPolicyDocument` / `NoSuchEntity` texts, or "not simulated: AWS managed policy <name>"
    /// for an AWS managed policy outside [`managed_policies`], located at the resource.
    fn deploy(&mut self, stack: &Stack, _cloud: &mut Cloud) -> Result<(), TemplateError> {
        for resource in &stack.resources {
            self.directory.create(resource).map_err(|message| TemplateError {
                file: stack.file_name.clone(),
                span: resource.span,
                logical_id: Some(resource.logical_id.clone()),
                message,
            })?;
        }
        Ok(())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// Whether `caller` may perform `action` (`dynamodb:PutItem`) on `resource` (an ARN), by the caller's role's
/// identity-based policies and permissions boundary, with the request context of [`base_context`].
///
/// The root user (`role_arn: None`) is allowed. A role the IAM service does not know gets
/// [`Decision::ImplicitDeny`] (module docs).
pub fn authorize(cloud: &Cloud, caller: &Caller, action: &str, resource: &str) -> Decision {
    authorize_request(cloud, caller, action, resource, &RequestContext::new(), None).decision
}

/// [`authorize`] with service-specific condition keys (`extra`, e.g. `dynamodb:LeadingKeys`, added over
/// [`base_context`]) and the resource's resource-based policy, if it has one (an SQS queue policy, a bucket
/// policy). The [`Outcome`] names the policy type for [`denial_message_for`].
pub fn authorize_request(
    cloud: &Cloud,
    caller: &Caller,
    action: &str,
    resource: &str,
    extra: &RequestContext,
    resource_policy: Option<&PolicyDocument>,
) -> Outcome {
    let directory = cloud.service::<Iam>().map(|iam| &iam.directory);
    let role = caller
        .role_arn
        .as_deref()
        .and_then(|arn| directory.and_then(|d| d.role_by_arn(arn)));
    let identity: Vec<&PolicyDocument> = match (directory, role) {
        (Some(d), Some(r)) => d.identity_policies(r),
        _ => Vec::new(),
    };
    let boundary = match (directory, role) {
        (Some(d), Some(r)) => r.permissions_boundary.as_deref().and_then(|b| d.managed_document(b)),
        _ => None,
    };
    let policies = evaluate::Policies {
        identity: &identity,
        resource: resource_policy,
        boundary,
        is_root: caller.role_arn.is_none(),
    };
    // Most policies have no condition and no variable: the context (a dozen strings and a formatted date) is only
    // built when some policy reads it, which keeps an SDK call's IAM check to a few string comparisons.
    let reads_context = identity
        .iter()
        .chain(resource_policy.iter())
        .chain(boundary.iter())
        .any(|p| p.reads_context());
    let context = if reads_context {
        let mut context = base_context(cloud, caller);
        context.extend(extra);
        context
    } else {
        RequestContext::new()
    };
    let principal = Principal::from_caller(caller);
    let request = evaluate::Request {
        principal: &principal,
        action,
        resource,
        context: &context,
    };
    evaluate::evaluate(&policies, &request)
}

/// Whether the service principal `service` (`lambda.amazonaws.com`) may assume the role `role_arn` by the role's
/// trust policy (`sts:AssumeRole`, evaluated as a resource-based policy, "How IAM roles differ from resource-based
/// policies"); `None` when the IAM service does not know the role. Lambda's `CreateFunction` answers
/// `InvalidParameterValueException` "The role defined for the function cannot be assumed by Lambda." when this is
/// false (Lambda API reference, CreateFunction errors).
pub fn role_trusts_service(cloud: &Cloud, role_arn: &str, service: &str) -> Option<bool> {
    let role = cloud.service::<Iam>()?.directory.role_by_arn(role_arn)?;
    let principal = Principal::service(service);
    let context = RequestContext::new();
    let request = evaluate::Request {
        principal: &principal,
        action: "sts:AssumeRole",
        resource: role_arn,
        context: &context,
    };
    let policies = evaluate::Policies {
        resource: Some(&role.assume_role_policy),
        ..evaluate::Policies::default()
    };
    Some(evaluate::evaluate(&policies, &request).decision == Decision::Allow)
}

/// The global condition keys every request from `caller` carries ("AWS global condition context keys"):
/// `aws:CurrentTime` (ISO 8601, from the virtual clock), `aws:EpochTime`, `aws:PrincipalArn` (the role's ARN for a
/// role session, as the docs specify), `aws:PrincipalAccount`, `aws:PrincipalType` (`AssumedRole` or `Account`),
/// `aws:userid` (`<RoleId>:<session>` for a role session, the account id for the root user),
/// `aws:RequestedRegion`, `aws:SecureTransport` (`true`: SDK calls use HTTPS) and `aws:ViaAWSService` (`false`).
/// Keys AWS adds only in some requests (`aws:SourceIp`, `aws:SourceArn`, tags, ...) are left to the caller.
/// `aws:username` is absent for roles, as in AWS.
pub fn base_context(cloud: &Cloud, caller: &Caller) -> RequestContext {
    let millis = cloud.clock.now_millis();
    let mut context = RequestContext::new();
    context
        .set("aws:CurrentTime", iso8601(millis))
        .set("aws:EpochTime", (millis / 1000).to_string())
        .set("aws:PrincipalAccount", cloud.account_id.clone())
        .set("aws:RequestedRegion", cloud.region.clone())
        .set("aws:SecureTransport", "true")
        .set("aws:ViaAWSService", "false");
    match caller.role_arn.as_deref() {
        Some(role_arn) => {
            let session = caller.principal_arn.rsplit('/').next().unwrap_or_default();
            let role_id = cloud
                .service::<Iam>()
                .and_then(|iam| iam.directory.role_by_arn(role_arn))
                .map(|r| r.role_id.clone())
                .unwrap_or_default();
            context
                .set("aws:PrincipalArn", role_arn)
                .set("aws:PrincipalType", "AssumedRole")
                .set("aws:userid", format!("{role_id}:{session}"));
        }
        None => {
            context
                .set("aws:PrincipalArn", caller.principal_arn.clone())
                .set("aws:PrincipalType", "Account")
                .set("aws:userid", cloud.account_id.clone());
        }
    }
    context
}

/// `YYYY-MM-DDTHH:MM:SSZ` for milliseconds since the epoch.
fn iso8601(millis: u64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

/// The message services put in their AccessDenied errors (`AccessDeniedException` in DynamoDB, `AccessDenied` in
/// S3), in the form AWS has used since 2021 ("AWS IAM: access denied error messages", IAM user guide):
///
/// - implicit deny: `User: <principal> is not authorized to perform: <action> on resource: <resource> because no
///   identity-based policy allows the <action> action`
/// - explicit deny: `User: <principal> is not authorized to perform: <action> on resource: <resource> with an
///   explicit deny in an identity-based policy`
pub fn denial_message(caller: &Caller, action: &str, resource: &str, decision: Decision) -> String {
    denial_message_for(caller, action, resource, decision, PolicyType::IdentityBased)
}

/// [`denial_message`] naming another policy type (`resource-based`, `permissions boundary`), as
/// [`authorize_request`]'s [`Outcome`] reports it. Same source: the message names one policy type even when
/// several deny. `resource` is printed as given: S3 quotes it (`on resource: "arn:aws:s3:::bucket/key"`), so S3
/// passes it quoted.
pub fn denial_message_for(
    caller: &Caller,
    action: &str,
    resource: &str,
    decision: Decision,
    policy_type: PolicyType,
) -> String {
    let head = format!(
        "User: {} is not authorized to perform: {action} on resource: {resource}",
        caller.principal_arn
    );
    let words = policy_type.words();
    let article = if words.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    match decision {
        Decision::ExplicitDeny => format!("{head} with an explicit deny in {article} {words} policy"),
        _ => format!("{head} because no {words} policy allows the {action} action"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn denial_messages_have_aws_words() {
        let caller = Caller::assumed_role("arn:aws:iam::123456789012:role/R", "f");
        let table = "arn:aws:dynamodb:us-east-1:123456789012:table/Notes";
        assert_eq!(
            denial_message(&caller, "dynamodb:PutItem", table, Decision::ImplicitDeny),
            "User: arn:aws:sts::123456789012:assumed-role/R/f is not authorized to perform: dynamodb:PutItem on \
             resource: arn:aws:dynamodb:us-east-1:123456789012:table/Notes because no identity-based policy allows \
             the dynamodb:PutItem action"
        );
        assert!(
            denial_message(&caller, "dynamodb:PutItem", table, Decision::ExplicitDeny)
                .ends_with("table/Notes with an explicit deny in an identity-based policy")
        );
        assert!(denial_message_for(
            &caller,
            "sqs:SendMessage",
            "arn:aws:sqs:us-east-1:123456789012:q",
            Decision::ExplicitDeny,
            PolicyType::ResourceBased
        )
        .ends_with(":q with an explicit deny in a resource-based policy"));
        assert!(denial_message_for(
            &caller,
            "s3:GetObject",
            "x",
            Decision::ImplicitDeny,
            PolicyType::PermissionsBoundary
        )
        .ends_with("because no permissions boundary policy allows the s3:GetObject action"));
    }

    #[test]
    fn the_root_user_is_allowed_and_unknown_roles_are_not() {
        let cloud = Cloud::default();
        let root = Caller::root(&cloud.account_id);
        assert_eq!(authorize(&cloud, &root, "dynamodb:PutItem", "*"), Decision::Allow);
        let stranger = Caller::assumed_role("arn:aws:iam::123456789012:role/Nobody", "f");
        assert_eq!(
            authorize(&cloud, &stranger, "dynamodb:PutItem", "*"),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn trust_policies_say_who_may_assume_a_role() {
        let text = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: r\n      AssumeRolePolicyDocument:\n        Statement: [{Effect: Allow, Principal: {Service: [lambda.amazonaws.com]}, Action: ['sts:AssumeRole']}]\n";
        let mut cloud = Cloud::default();
        let stack = crate::template::load("t.yaml", text, &Default::default(), &mut cloud).unwrap();
        cloud.deploy(&stack).unwrap();
        let arn = "arn:aws:iam::123456789012:role/r";
        assert_eq!(role_trusts_service(&cloud, arn, "lambda.amazonaws.com"), Some(true));
        assert_eq!(role_trusts_service(&cloud, arn, "ec2.amazonaws.com"), Some(false));
        assert_eq!(
            role_trusts_service(&cloud, "arn:aws:iam::123456789012:role/x", "lambda.amazonaws.com"),
            None
        );
    }

    #[test]
    fn the_base_context_reads_the_virtual_clock() {
        let cloud = Cloud::default();
        let caller = Caller::assumed_role("arn:aws:iam::123456789012:role/R", "f");
        let ctx = base_context(&cloud, &caller);
        let get = |k: &str| ctx.get(k).map(|v| v.values().join(","));
        assert_eq!(get("aws:CurrentTime").as_deref(), Some("2026-01-01T00:00:00Z"));
        assert_eq!(get("aws:EpochTime").as_deref(), Some("1767225600"));
        assert_eq!(
            get("aws:PrincipalArn").as_deref(),
            Some("arn:aws:iam::123456789012:role/R")
        );
        assert_eq!(get("aws:PrincipalAccount").as_deref(), Some("123456789012"));
        assert_eq!(get("aws:username"), None);
    }
}
