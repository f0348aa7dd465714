//! Policy evaluation within one account, as the IAM user guide's "Policy evaluation logic" describes it:
//!
//! 1. By default every request is denied (implicit deny), except the account's root user.
//! 2. An explicit `Deny` in any applicable policy (identity-based, resource-based, permissions boundary) wins.
//! 3. Otherwise the request is allowed when a resource-based policy allows it, or when an identity-based policy
//!    allows it and the permissions boundary (if the role has one) allows it too.
//! 4. Otherwise it is implicitly denied.
//!
//! Not modelled (none exists in a single simulated account): SCPs and RCPs, session policies, VPC endpoint
//! policies, cross-account requests. A resource-based policy that allows a role ARN is read as allowing its sessions
//! even with a boundary (AWS applies the boundary when the role ARN, not the session ARN, is named; see "Policy
//! evaluation logic", resource-based policies and permissions boundaries: a known simplification).

use super::context::RequestContext;
use super::matching::{action_matches, resource_matches};
use super::policy::{Effect, Patterns, PolicyDocument, PolicyKind, PrincipalEntry, Statement};
use super::Decision;
use crate::api::Caller;
use serde_json::{json, Value as Json};

/// Who makes a request, as resource-based policies name principals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// An AWS service acting on its own (`apigateway.amazonaws.com` invoking a function).
    Service(String),
    /// An IAM identity.
    Aws {
        /// The principal's ARN: `arn:aws:sts::<account>:assumed-role/<role>/<session>` or
        /// `arn:aws:iam::<account>:root`.
        arn: String,
        /// The role an assumed-role session belongs to (`arn:aws:iam::<account>:role/<path><name>`).
        role_arn: Option<String>,
        /// The 12-digit account id.
        account_id: String,
    },
}

impl Principal {
    /// The principal a [`Caller`] is.
    pub fn from_caller(caller: &Caller) -> Principal {
        Principal::Aws {
            arn: caller.principal_arn.clone(),
            role_arn: caller.role_arn.clone(),
            account_id: caller.principal_arn.split(':').nth(4).unwrap_or_default().to_string(),
        }
    }

    /// A service principal such as `apigateway.amazonaws.com`.
    pub fn service(name: &str) -> Principal {
        Principal::Service(name.to_string())
    }
}

/// The kind of policy an AccessDenied message names ("Access denied error messages", IAM user guide).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyType {
    /// `identity-based`.
    IdentityBased,
    /// `resource-based`.
    ResourceBased,
    /// `permissions boundary`.
    PermissionsBoundary,
}

impl PolicyType {
    /// The words AWS's messages use for it.
    pub fn words(self) -> &'static str {
        match self {
            PolicyType::IdentityBased => "identity-based",
            PolicyType::ResourceBased => "resource-based",
            PolicyType::PermissionsBoundary => "permissions boundary",
        }
    }
}

/// A decision and the policy type a denial message names (for an allow, the type that allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Allow, implicit or explicit deny.
    pub decision: Decision,
    /// Which policy type decided.
    pub policy_type: PolicyType,
}

/// One request to evaluate.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Who asks.
    pub principal: &'a Principal,
    /// `service:Action`, e.g. `dynamodb:PutItem`.
    pub action: &'a str,
    /// The resource ARN (or `*` for actions that take none).
    pub resource: &'a str,
    /// The condition keys.
    pub context: &'a RequestContext,
}

/// The policies that apply to one request.
#[derive(Debug, Clone, Copy, Default)]
pub struct Policies<'a> {
    /// The identity-based policies of the principal (inline and attached managed policies).
    pub identity: &'a [&'a PolicyDocument],
    /// The resource's resource-based policy, if it has one.
    pub resource: Option<&'a PolicyDocument>,
    /// The principal's permissions boundary, if it has one.
    pub boundary: Option<&'a PolicyDocument>,
    /// The root user: allowed unless a resource-based policy denies it explicitly.
    pub is_root: bool,
}

/// Evaluates `request` against `policies` (steps in the module docs).
pub fn evaluate(policies: &Policies<'_>, request: &Request<'_>) -> Outcome {
    let identity = summary(policies.identity.iter().copied(), request, false);
    let resource = summary(policies.resource.into_iter(), request, true);
    let boundary = policies.boundary.map(|b| summary(std::iter::once(b), request, false));
    let outcome = |decision, policy_type| Outcome { decision, policy_type };
    if policies.is_root {
        return if resource.denies {
            outcome(Decision::ExplicitDeny, PolicyType::ResourceBased)
        } else {
            outcome(Decision::Allow, PolicyType::IdentityBased)
        };
    }
    if identity.denies {
        return outcome(Decision::ExplicitDeny, PolicyType::IdentityBased);
    }
    if resource.denies {
        return outcome(Decision::ExplicitDeny, PolicyType::ResourceBased);
    }
    if boundary.is_some_and(|b| b.denies) {
        return outcome(Decision::ExplicitDeny, PolicyType::PermissionsBoundary);
    }
    if resource.allows {
        return outcome(Decision::Allow, PolicyType::ResourceBased);
    }
    if !identity.allows {
        let named = if policies.resource.is_some() && policies.identity.is_empty() {
            PolicyType::ResourceBased
        } else {
            PolicyType::IdentityBased
        };
        return outcome(Decision::ImplicitDeny, named);
    }
    if boundary.is_some_and(|b| !b.allows) {
        return outcome(Decision::ImplicitDeny, PolicyType::PermissionsBoundary);
    }
    outcome(Decision::Allow, PolicyType::IdentityBased)
}

/// Whether some statement of `documents` allows, and whether some denies.
#[derive(Debug, Clone, Copy, Default)]
struct Summary {
    allows: bool,
    denies: bool,
}

fn summary<'d>(
    documents: impl Iterator<Item = &'d PolicyDocument>,
    request: &Request<'_>,
    resource_based: bool,
) -> Summary {
    let mut result = Summary::default();
    for document in documents {
        for statement in &document.statements {
            if applies(statement, document.uses_variables(), request, resource_based) {
                match statement.effect {
                    Effect::Allow => result.allows = true,
                    Effect::Deny => result.denies = true,
                }
            }
        }
    }
    result
}

/// Whether `statement` applies to `request`: its actions, resources, principals (resource-based policies only)
/// and condition all match.
pub fn applies(statement: &Statement, variables: bool, request: &Request<'_>, resource_based: bool) -> bool {
    let action_listed = |patterns: &[String]| patterns.iter().any(|p| action_matches(p, request.action));
    let actions_apply = match &statement.actions {
        Patterns::Listed(p) => action_listed(p),
        Patterns::Not(p) => !action_listed(p),
    };
    if !actions_apply {
        return false;
    }
    let resource_listed = |patterns: &[String]| {
        patterns.iter().any(|p| {
            let pattern = if variables {
                request.context.substitute(p)
            } else {
                Some(p.clone())
            };
            pattern.is_some_and(|p| resource_matches(&p, request.resource))
        })
    };
    let resources_apply = match &statement.resources {
        None => true,
        Some(Patterns::Listed(p)) => resource_listed(p),
        Some(Patterns::Not(p)) => !resource_listed(p),
    };
    if !resources_apply {
        return false;
    }
    if resource_based {
        let principal_listed = |entries: &[PrincipalEntry]| {
            entries
                .iter()
                .any(|e| principal_matches(e, request.principal, statement.effect))
        };
        let principals_apply = match &statement.principals {
            None => false,
            Some(Patterns::Listed(e)) => principal_listed(e),
            Some(Patterns::Not(e)) => !principal_listed(e),
        };
        if !principals_apply {
            return false;
        }
    }
    statement.condition.holds(request.context, variables)
}

/// Whether a `Principal` entry names `principal` ("AWS JSON policy elements: Principal").
///
/// An account (`123456789012` or `arn:aws:iam::123456789012:root`) in an `Allow` names only the root user: it
/// delegates to the account, whose identity-based policies must then allow. In a `Deny` it names every principal
/// of the account. A role ARN names every session of the role.
fn principal_matches(entry: &PrincipalEntry, principal: &Principal, effect: Effect) -> bool {
    match (entry, principal) {
        (PrincipalEntry::Anyone, _) => true,
        (PrincipalEntry::Service(s), Principal::Service(p)) => s.eq_ignore_ascii_case(p),
        (
            PrincipalEntry::Aws(id),
            Principal::Aws {
                arn,
                role_arn,
                account_id,
            },
        ) => {
            let root = account_root(id);
            if let Some(root_account) = root.as_deref().and_then(|r| r.split(':').nth(4)) {
                return match effect {
                    Effect::Deny => root_account == account_id,
                    Effect::Allow => root.as_deref().is_some_and(|r| same_arn(r, arn)),
                };
            }
            same_arn(id, arn) || role_arn.as_deref().is_some_and(|r| same_arn(id, r))
        }
        _ => false,
    }
}

/// The root ARN an account entry stands for: `123456789012` or `arn:<p>:iam::123456789012:root`.
fn account_root(id: &str) -> Option<String> {
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("arn:aws:iam::{id}:root"));
    }
    let parts: Vec<&str> = id.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, "iam", "", account, "root"] => Some(format!("arn:aws:iam::{account}:root")),
        _ => None,
    }
}

/// ARNs equal up to the partition (a policy written with `aws` in another partition still names the same thing).
fn same_arn(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        let parts: Vec<&str> = s.splitn(3, ':').collect();
        match parts.as_slice() {
            ["arn", _, rest] => format!("arn::{rest}"),
            _ => s.to_string(),
        }
    };
    a == b || strip(a) == strip(b)
}

/// Evaluates a resource-based policy alone, as Lambda does for `lambda:InvokeFunction` by a service principal.
///
/// `policy` is a policy document, a list of statements, or one statement (Lambda stores `AddPermission`
/// statements, see [`add_permission_statement`]). Returns [`Decision::Allow`] when a statement allows and none
/// denies; a policy that does not parse allows nothing ([`Decision::ImplicitDeny`]), since Lambda never stores
/// one.
pub fn evaluate_resource_policy(
    policy: &Json,
    principal: &Principal,
    action: &str,
    resource: &str,
    context: &RequestContext,
) -> Decision {
    let document = match policy {
        Json::Array(statements) => json!({"Version": "2012-10-17", "Statement": statements}),
        Json::Object(map) if map.contains_key("Effect") => json!({"Version": "2012-10-17", "Statement": [policy]}),
        other => other.clone(),
    };
    let Ok(document) = PolicyDocument::parse(&document, PolicyKind::Resource) else {
        return Decision::ImplicitDeny;
    };
    let request = Request {
        principal,
        action,
        resource,
        context,
    };
    let policies = Policies {
        resource: Some(&document),
        ..Policies::default()
    };
    evaluate(&policies, &request).decision
}

/// The statement `AddPermission` stores in a function's policy (Lambda developer guide, "Working with
/// resource-based IAM policies in Lambda"; shape recorded in ../shared/reference/lambda-facts.md section 6.1):
/// `principal` becomes `{"Service": p}` for a service (`*.amazonaws.com`), `{"AWS": "arn:aws:iam::<id>:root"}` for
/// an account id, `{"AWS": arn}` for an ARN and `"*"` for `*`; `source_account` and `source_arn` become
/// `StringEquals AWS:SourceAccount` and `ArnLike AWS:SourceArn` conditions.
pub fn add_permission_statement(
    sid: &str,
    function_arn: &str,
    action: &str,
    principal: &str,
    source_arn: Option<&str>,
    source_account: Option<&str>,
) -> Json {
    let principal = if principal == "*" {
        json!("*")
    } else if principal.len() == 12 && principal.bytes().all(|b| b.is_ascii_digit()) {
        let partition = function_arn.split(':').nth(1).unwrap_or("aws");
        json!({"AWS": format!("arn:{partition}:iam::{principal}:root")})
    } else if principal.starts_with("arn:") {
        json!({"AWS": principal})
    } else {
        json!({"Service": principal})
    };
    let mut statement = json!({
        "Sid": sid,
        "Effect": "Allow",
        "Principal": principal,
        "Action": action,
        "Resource": function_arn,
    });
    let mut condition = serde_json::Map::new();
    if let Some(account) = source_account {
        condition.insert("StringEquals".into(), json!({"AWS:SourceAccount": account}));
    }
    if let Some(arn) = source_arn {
        condition.insert("ArnLike".into(), json!({"AWS:SourceArn": arn}));
    }
    if !condition.is_empty() {
        statement["Condition"] = Json::Object(condition);
    }
    statement
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(v: Json) -> PolicyDocument {
        PolicyDocument::parse(&v, PolicyKind::Identity).unwrap()
    }

    const TABLE: &str = "arn:aws:dynamodb:us-east-1:123456789012:table/Notes";

    fn role_principal() -> Principal {
        Principal::from_caller(&Caller::assumed_role("arn:aws:iam::123456789012:role/R", "fn"))
    }

    fn decide(identity: &[&PolicyDocument], action: &str, resource: &str) -> Decision {
        let principal = role_principal();
        let context = RequestContext::new();
        let request = Request {
            principal: &principal,
            action,
            resource,
            context: &context,
        };
        let policies = Policies {
            identity,
            ..Policies::default()
        };
        evaluate(&policies, &request).decision
    }

    fn allow(action: Json, resource: Json) -> PolicyDocument {
        doc(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}),
        )
    }

    fn deny(action: Json, resource: Json) -> PolicyDocument {
        doc(json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": action, "Resource": resource}]}))
    }

    #[test]
    fn no_policy_is_an_implicit_deny() {
        assert_eq!(decide(&[], "dynamodb:PutItem", TABLE), Decision::ImplicitDeny);
    }

    #[test]
    fn an_allow_allows_and_a_deny_anywhere_wins() {
        let a = allow(json!("dynamodb:*"), json!("*"));
        let d = deny(json!("dynamodb:PutItem"), json!(TABLE));
        assert_eq!(decide(&[&a], "dynamodb:PutItem", TABLE), Decision::Allow);
        assert_eq!(decide(&[&a, &d], "dynamodb:PutItem", TABLE), Decision::ExplicitDeny);
        assert_eq!(decide(&[&d, &a], "dynamodb:PutItem", TABLE), Decision::ExplicitDeny);
        assert_eq!(decide(&[&a, &d], "dynamodb:GetItem", TABLE), Decision::Allow);
        // A deny alone is still an explicit deny, not an implicit one.
        assert_eq!(decide(&[&d], "dynamodb:PutItem", TABLE), Decision::ExplicitDeny);
        assert_eq!(decide(&[&d], "dynamodb:GetItem", TABLE), Decision::ImplicitDeny);
    }

    #[test]
    fn not_action_and_not_resource_invert() {
        // "Allow everything except IAM" (the IAM docs' NotAction example).
        let all_but_iam = doc(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}),
        );
        assert_eq!(
            decide(&[&all_but_iam], "s3:GetObject", "arn:aws:s3:::b/k"),
            Decision::Allow
        );
        assert_eq!(decide(&[&all_but_iam], "iam:CreateUser", "*"), Decision::ImplicitDeny);
        // "Deny everything outside this table".
        let a = allow(json!("dynamodb:*"), json!("*"));
        let fence = doc(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "dynamodb:*", "NotResource": TABLE}]}),
        );
        assert_eq!(decide(&[&a, &fence], "dynamodb:GetItem", TABLE), Decision::Allow);
        assert_eq!(
            decide(
                &[&a, &fence],
                "dynamodb:GetItem",
                "arn:aws:dynamodb:us-east-1:123456789012:table/Other"
            ),
            Decision::ExplicitDeny
        );
    }

    #[test]
    fn wildcards_in_actions_and_resources() {
        let p = allow(
            json!(["dynamodb:Get*", "DYNAMODB:query"]),
            json!("arn:aws:dynamodb:*:*:table/No?es"),
        );
        assert_eq!(decide(&[&p], "dynamodb:GetItem", TABLE), Decision::Allow);
        assert_eq!(decide(&[&p], "dynamodb:Query", TABLE), Decision::Allow);
        assert_eq!(decide(&[&p], "dynamodb:PutItem", TABLE), Decision::ImplicitDeny);
        assert_eq!(
            decide(
                &[&p],
                "dynamodb:GetItem",
                "arn:aws:dynamodb:us-east-1:123456789012:table/notes"
            ),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn conditions_gate_statements() {
        let p = doc(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:SecureTransport": "true"}}}]}),
        );
        let principal = role_principal();
        let run = |context: &RequestContext| {
            let request = Request {
                principal: &principal,
                action: "s3:GetObject",
                resource: "arn:aws:s3:::b/k",
                context,
            };
            let identity = [&p];
            evaluate(
                &Policies {
                    identity: &identity,
                    ..Policies::default()
                },
                &request,
            )
            .decision
        };
        assert_eq!(run(&RequestContext::new()), Decision::Allow);
        assert_eq!(
            run(&RequestContext::new().with("aws:SecureTransport", "true")),
            Decision::Allow
        );
        assert_eq!(
            run(&RequestContext::new().with("aws:SecureTransport", "false")),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn policy_variables_in_resources() {
        let p = allow(
            json!("s3:GetObject"),
            json!("arn:aws:s3:::home/${aws:PrincipalAccount}/*"),
        );
        let principal = role_principal();
        let context = RequestContext::new().with("aws:PrincipalAccount", "123456789012");
        let request = Request {
            principal: &principal,
            action: "s3:GetObject",
            resource: "arn:aws:s3:::home/123456789012/a.txt",
            context: &context,
        };
        let identity = [&p];
        let policies = Policies {
            identity: &identity,
            ..Policies::default()
        };
        assert_eq!(evaluate(&policies, &request).decision, Decision::Allow);
        let other = Request {
            resource: "arn:aws:s3:::home/999999999999/a.txt",
            ..request
        };
        assert_eq!(evaluate(&policies, &other).decision, Decision::ImplicitDeny);
    }

    #[test]
    fn resource_policies_allow_alone_within_the_account_and_their_denies_win() {
        let function = "arn:aws:lambda:us-east-1:123456789012:function:f";
        let statement = add_permission_statement(
            "apigw",
            function,
            "lambda:InvokeFunction",
            "apigateway.amazonaws.com",
            Some("arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/hello"),
            Some("123456789012"),
        );
        let policy = json!([statement]);
        let apigw = Principal::service("apigateway.amazonaws.com");
        let context = RequestContext::new()
            .with(
                "aws:SourceArn",
                "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/hello",
            )
            .with("aws:SourceAccount", "123456789012");
        let decide = |principal: &Principal, action: &str, ctx: &RequestContext| {
            evaluate_resource_policy(&policy, principal, action, function, ctx)
        };
        assert_eq!(decide(&apigw, "lambda:InvokeFunction", &context), Decision::Allow);
        assert_eq!(decide(&apigw, "lambda:GetFunction", &context), Decision::ImplicitDeny);
        assert_eq!(
            decide(
                &Principal::service("s3.amazonaws.com"),
                "lambda:InvokeFunction",
                &context
            ),
            Decision::ImplicitDeny
        );
        let wrong_route = context.clone().with(
            "aws:SourceArn",
            "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/hello",
        );
        assert_eq!(
            decide(&apigw, "lambda:InvokeFunction", &wrong_route),
            Decision::ImplicitDeny
        );
        let no_source = RequestContext::new();
        assert_eq!(
            decide(&apigw, "lambda:InvokeFunction", &no_source),
            Decision::ImplicitDeny
        );
        // Identity allow + resource deny: the deny wins.
        let resource_deny = PolicyDocument::parse(
            &json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": {"AWS": "123456789012"}, "Action": "lambda:*", "Resource": "*"}]}),
            PolicyKind::Resource,
        )
        .unwrap();
        let a = allow(json!("lambda:*"), json!("*"));
        let principal = role_principal();
        let request = Request {
            principal: &principal,
            action: "lambda:InvokeFunction",
            resource: function,
            context: &no_source,
        };
        let identity = [&a];
        let outcome = evaluate(
            &Policies {
                identity: &identity,
                resource: Some(&resource_deny),
                ..Policies::default()
            },
            &request,
        );
        assert_eq!(
            (outcome.decision, outcome.policy_type),
            (Decision::ExplicitDeny, PolicyType::ResourceBased)
        );
    }

    #[test]
    fn a_resource_policy_naming_the_role_allows_without_identity_policies() {
        let resource = PolicyDocument::parse(
            &json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/R"}, "Action": "sqs:SendMessage", "Resource": "*"}]}),
            PolicyKind::Resource,
        )
        .unwrap();
        let principal = role_principal();
        let context = RequestContext::new();
        let request = Request {
            principal: &principal,
            action: "sqs:SendMessage",
            resource: "arn:aws:sqs:us-east-1:123456789012:q",
            context: &context,
        };
        let policies = Policies {
            resource: Some(&resource),
            ..Policies::default()
        };
        assert_eq!(evaluate(&policies, &request).decision, Decision::Allow);
        // The account as principal in an Allow delegates to identity policies: not an allow by itself.
        let account = PolicyDocument::parse(
            &json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "sqs:*", "Resource": "*"}]}),
            PolicyKind::Resource,
        )
        .unwrap();
        let policies = Policies {
            resource: Some(&account),
            ..Policies::default()
        };
        assert_eq!(evaluate(&policies, &request).decision, Decision::ImplicitDeny);
    }

    #[test]
    fn a_boundary_limits_identity_allows() {
        let a = allow(json!("dynamodb:*"), json!("*"));
        let boundary = allow(json!("dynamodb:GetItem"), json!("*"));
        let principal = role_principal();
        let context = RequestContext::new();
        let identity = [&a];
        let policies = Policies {
            identity: &identity,
            boundary: Some(&boundary),
            ..Policies::default()
        };
        let run = |action| {
            evaluate(
                &policies,
                &Request {
                    principal: &principal,
                    action,
                    resource: TABLE,
                    context: &context,
                },
            )
        };
        assert_eq!(run("dynamodb:GetItem").decision, Decision::Allow);
        let put = run("dynamodb:PutItem");
        assert_eq!(
            (put.decision, put.policy_type),
            (Decision::ImplicitDeny, PolicyType::PermissionsBoundary)
        );
    }

    #[test]
    fn add_permission_renders_principals_like_lambda() {
        let f = "arn:aws:lambda:us-east-1:123456789012:function:f";
        let s = add_permission_statement("a", f, "lambda:InvokeFunction", "111122223333", None, None);
        assert_eq!(s["Principal"], json!({"AWS": "arn:aws:iam::111122223333:root"}));
        assert!(s.get("Condition").is_none());
        let s = add_permission_statement(
            "b",
            f,
            "lambda:InvokeFunction",
            "s3.amazonaws.com",
            Some("arn:aws:s3:::b"),
            Some("123456789012"),
        );
        assert_eq!(
            s,
            json!({"Sid": "b", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
                "Resource": f, "Condition": {"StringEquals": {"AWS:SourceAccount": "123456789012"}, "ArnLike": {"AWS:SourceArn": "arn:aws:s3:::b"}}})
        );
    }
}
