//! Policy documents: reading the JSON (`Version`, `Id`, `Statement` as one object or a list; `Sid`, `Effect`,
//! `Action` / `NotAction`, `Resource` / `NotResource`, `Principal` / `NotPrincipal`, `Condition`) and the
//! `MalformedPolicyDocument` errors IAM gives for bad ones.
//!
//! Sources: IAM user guide, "IAM JSON policy element reference" and "Grammar of the IAM JSON policy language"; the
//! error messages are IAM's `MalformedPolicyDocument` texts as `CreatePolicy`, `PutRolePolicy` and `CreateRole`
//! return them (cross-checked with moto 5.2.1's recorded messages): `Syntax errors in policy.`, `Policy document
//! should not specify a principal.`, `Policy statement must contain actions.`, `Policy statement must contain
//! resources.`, `Has prohibited field Resource.`, `Missing required field Principal` (no full stop in IAM's CreateRole answer), `Actions/Conditions must be
//! prefaced by a vendor, e.g., iam, sdb, ec2, etc.`, `Resource <r> must be in ARN format or "*".`, `The policy
//! failed legacy parsing`, `Statement IDs (SID) in a single policy must be unique.`.
//!
//! A document without `Version` is read as `2008-10-17`, where `${...}` is plain text ("IAM JSON policy elements:
//! Version"). Documents arrive as JSON values (templates, after intrinsic functions) or as JSON text.

use super::condition::Condition;
use crate::api::AwsError;
use serde_json::Value as Json;
use std::fmt;

/// Why a policy document was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyError {
    /// IAM's `MalformedPolicyDocument` (HTTP 400), with IAM's message.
    Malformed(String),
    /// A policy feature the simulator does not evaluate (design rule 5); the message starts `not simulated: `.
    NotSimulated(String),
}

impl PolicyError {
    /// A `MalformedPolicyDocument` error.
    pub fn malformed(message: impl Into<String>) -> PolicyError {
        PolicyError::Malformed(message.into())
    }

    /// A "not simulated" error about `what`.
    pub fn not_simulated(what: impl fmt::Display) -> PolicyError {
        PolicyError::NotSimulated(format!("not simulated: {what}"))
    }

    /// The message alone.
    pub fn message(&self) -> &str {
        match self {
            PolicyError::Malformed(m) | PolicyError::NotSimulated(m) => m,
        }
    }

    /// As the IAM API answers it: `MalformedPolicyDocument` 400, or `NotSimulated` 501.
    pub fn to_aws_error(&self) -> AwsError {
        match self {
            PolicyError::Malformed(m) => AwsError::client("MalformedPolicyDocument", m.clone()),
            PolicyError::NotSimulated(m) => AwsError::with_status("NotSimulated", m.clone(), 501),
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyError::Malformed(m) => write!(f, "MalformedPolicyDocument: {m}"),
            PolicyError::NotSimulated(m) => write!(f, "NotSimulated: {m}"),
        }
    }
}

impl std::error::Error for PolicyError {}

/// Where a document is used, which decides the elements it must and must not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// Identity-based (inline or managed, attached to a role): `Resource` required, no `Principal`.
    Identity,
    /// Resource-based (a Lambda function policy, a bucket policy): `Principal` required.
    Resource,
    /// A role trust policy (`AssumeRolePolicyDocument`): `Principal` required, no `Resource`.
    Trust,
}

/// `Allow` or `Deny` (case-sensitive, as IAM reads it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Grants.
    Allow,
    /// Denies, overriding every allow.
    Deny,
}

/// A list of patterns, or its negation (`NotAction`, `NotResource`, `NotPrincipal`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Patterns<T> {
    /// The element as written (`Action`): the statement applies to what matches.
    Listed(Vec<T>),
    /// The negated element (`NotAction`): the statement applies to what matches none.
    Not(Vec<T>),
}

/// One entry of `Principal`: `"*"` or `{"AWS": ..., "Service": ..., "Federated": ..., "CanonicalUser": ...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalEntry {
    /// `"*"` or `{"AWS": "*"}`: everyone.
    Anyone,
    /// An AWS principal: an account id, an account root, a role, user or assumed-role session ARN.
    Aws(String),
    /// A service principal such as `apigateway.amazonaws.com`.
    Service(String),
    /// A federated identity provider (read, never matched by the simulator's callers).
    Federated(String),
    /// An S3 canonical user id (read, never matched).
    CanonicalUser(String),
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// `Sid`, if given.
    pub sid: Option<String>,
    /// `Effect`.
    pub effect: Effect,
    /// `Action` or `NotAction`.
    pub actions: Patterns<String>,
    /// `Resource` or `NotResource`; `None` in trust policies, and in resource policies that leave it out.
    pub resources: Option<Patterns<String>>,
    /// `Principal` or `NotPrincipal` (resource and trust policies only).
    pub principals: Option<Patterns<PrincipalEntry>>,
    /// `Condition` (empty when absent).
    pub condition: Condition,
}

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDocument {
    /// `Version`: `2012-10-17` or `2008-10-17` (the default when absent).
    pub version: String,
    /// `Id`, if given.
    pub id: Option<String>,
    /// The statements, in document order.
    pub statements: Vec<Statement>,
}

/// The statement elements IAM knows ("IAM JSON policy element reference").
const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// `Syntax errors in policy.`: IAM's answer to JSON that is not the policy grammar.
fn syntax() -> PolicyError {
    PolicyError::malformed("Syntax errors in policy.")
}

impl PolicyDocument {
    /// Whether `${...}` policy variables are substituted (`Version: 2012-10-17` only).
    pub fn uses_variables(&self) -> bool {
        self.version == "2012-10-17"
    }

    /// Whether evaluating this document can read the request context: some statement has a `Condition`, or a
    /// resource with a `${...}` variable. Callers skip building the context when no policy reads it.
    pub fn reads_context(&self) -> bool {
        self.statements.iter().any(|s| {
            !s.condition.clauses.is_empty()
                || (self.uses_variables()
                    && matches!(&s.resources, Some(Patterns::Listed(r) | Patterns::Not(r)) if r.iter().any(|r| r.contains("${"))))
        })
    }

    /// Reads a policy document used as `kind`. `document` is the JSON value, or a JSON string holding the document
    /// (CloudFormation accepts both for `PolicyDocument`).
    ///
    /// Errors: IAM's `MalformedPolicyDocument` messages (module docs); an unknown condition operator is "not
    /// simulated".
    pub fn parse(document: &Json, kind: PolicyKind) -> Result<PolicyDocument, PolicyError> {
        if let Json::String(text) = document {
            let value: Json = serde_json::from_str(text).map_err(|_| syntax())?;
            if value.is_string() {
                return Err(syntax());
            }
            return PolicyDocument::parse(&value, kind);
        }
        let top = document.as_object().ok_or_else(syntax)?;
        if top
            .keys()
            .any(|k| !matches!(k.as_str(), "Version" | "Id" | "Statement"))
        {
            return Err(syntax());
        }
        let version = match top.get("Version") {
            None => "2008-10-17".to_string(),
            Some(Json::String(v)) if v == "2012-10-17" || v == "2008-10-17" => v.clone(),
            Some(_) => return Err(syntax()),
        };
        let id = match top.get("Id") {
            None => None,
            Some(Json::String(id)) => Some(id.clone()),
            Some(_) => return Err(syntax()),
        };
        let raw: Vec<&Json> = match top.get("Statement") {
            Some(Json::Array(items)) if !items.is_empty() => items.iter().collect(),
            Some(single @ Json::Object(_)) => vec![single],
            _ => return Err(syntax()),
        };
        let statements = raw
            .into_iter()
            .map(|s| parse_statement(s, kind))
            .collect::<Result<Vec<_>, _>>()?;
        check_semantics(&statements, kind)?;
        let mut sids: Vec<&str> = statements.iter().filter_map(|s| s.sid.as_deref()).collect();
        sids.sort_unstable();
        if sids.windows(2).any(|w| w[0] == w[1] && !w[0].is_empty()) {
            return Err(PolicyError::malformed(
                "Statement IDs (SID) in a single policy must be unique.",
            ));
        }
        Ok(PolicyDocument {
            version,
            id,
            statements,
        })
    }
}

/// The syntax of one statement: known elements of the right JSON types, never both an element and its negation.
fn parse_statement(statement: &Json, kind: PolicyKind) -> Result<Statement, PolicyError> {
    let map = statement.as_object().ok_or_else(syntax)?;
    if map.keys().any(|k| !STATEMENT_ELEMENTS.contains(&k.as_str())) {
        return Err(syntax());
    }
    let both = |a: &str, b: &str| map.contains_key(a) && map.contains_key(b);
    if both("Action", "NotAction") || both("Resource", "NotResource") || both("Principal", "NotPrincipal") {
        return Err(syntax());
    }
    let sid = match map.get("Sid") {
        None => None,
        Some(Json::String(s)) => Some(s.clone()),
        Some(_) => return Err(syntax()),
    };
    let effect = match map.get("Effect") {
        Some(Json::String(e)) if e == "Allow" => Effect::Allow,
        Some(Json::String(e)) if e == "Deny" => Effect::Deny,
        // IAM accepts other casings syntactically, then refuses them in its second ("legacy") parse.
        Some(Json::String(e)) if e.eq_ignore_ascii_case("allow") || e.eq_ignore_ascii_case("deny") => {
            return Err(PolicyError::malformed("The policy failed legacy parsing"))
        }
        _ => return Err(syntax()),
    };
    let actions = match (map.get("Action"), map.get("NotAction")) {
        (Some(a), _) => Patterns::Listed(string_list(a)?),
        (None, Some(a)) => Patterns::Not(string_list(a)?),
        (None, None) => Patterns::Listed(Vec::new()),
    };
    let resources = match (map.get("Resource"), map.get("NotResource")) {
        (Some(r), _) => Some(Patterns::Listed(string_list(r)?)),
        (None, Some(r)) => Some(Patterns::Not(string_list(r)?)),
        (None, None) => None,
    };
    let principals = match (map.get("Principal"), map.get("NotPrincipal")) {
        (Some(p), _) => Some(Patterns::Listed(principal_entries(p)?)),
        (None, Some(p)) => Some(Patterns::Not(principal_entries(p)?)),
        (None, None) => None,
    };
    let condition = match map.get("Condition") {
        Some(block) => Condition::parse(block)?,
        None => Condition::default(),
    };
    let _ = kind;
    Ok(Statement {
        sid,
        effect,
        actions,
        resources,
        principals,
        condition,
    })
}

/// The rules that depend on where the document is used, in the order IAM checks them.
fn check_semantics(statements: &[Statement], kind: PolicyKind) -> Result<(), PolicyError> {
    for s in statements {
        if let Some(Patterns::Listed(r) | Patterns::Not(r)) = &s.resources {
            if let Some(bad) = r.iter().find(|r| *r != "*" && !r.contains(':')) {
                return Err(PolicyError::malformed(format!(
                    "Resource {bad} must be in ARN format or \"*\"."
                )));
            }
        }
    }
    if statements
        .iter()
        .any(|s| matches!(&s.actions, Patterns::Listed(a) | Patterns::Not(a) if a.is_empty()))
    {
        return Err(PolicyError::malformed("Policy statement must contain actions."));
    }
    for s in statements {
        let (Patterns::Listed(actions) | Patterns::Not(actions)) = &s.actions;
        for action in actions {
            if action != "*" && !action.contains(':') {
                return Err(PolicyError::malformed(
                    "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
                ));
            }
            if action.matches(':').count() > 1 {
                return Err(PolicyError::malformed("Actions/Condition can contain only one colon."));
            }
        }
    }
    match kind {
        PolicyKind::Identity => {
            if statements.iter().any(|s| s.principals.is_some()) {
                return Err(PolicyError::malformed(
                    "Policy document should not specify a principal.",
                ));
            }
            let empty = |r: &Option<Patterns<String>>| match r {
                None => true,
                Some(Patterns::Listed(r) | Patterns::Not(r)) => r.is_empty(),
            };
            if statements.iter().any(|s| empty(&s.resources)) {
                return Err(PolicyError::malformed("Policy statement must contain resources."));
            }
        }
        PolicyKind::Trust => {
            if statements.iter().any(|s| s.resources.is_some()) {
                return Err(PolicyError::malformed("Has prohibited field Resource."));
            }
            if statements.iter().any(|s| s.principals.is_none()) {
                return Err(PolicyError::malformed("Missing required field Principal"));
            }
        }
        PolicyKind::Resource => {
            if statements.iter().any(|s| s.principals.is_none()) {
                return Err(PolicyError::malformed("Missing required field Principal"));
            }
        }
    }
    Ok(())
}

/// A string or a list of strings.
fn string_list(value: &Json) -> Result<Vec<String>, PolicyError> {
    match value {
        Json::String(s) => Ok(vec![s.clone()]),
        Json::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string).ok_or_else(syntax))
            .collect(),
        _ => Err(syntax()),
    }
}

/// `"*"`, or an object whose keys are `AWS`, `Service`, `Federated`, `CanonicalUser`.
fn principal_entries(value: &Json) -> Result<Vec<PrincipalEntry>, PolicyError> {
    match value {
        Json::String(s) if s == "*" => Ok(vec![PrincipalEntry::Anyone]),
        Json::Object(map) => {
            let mut entries = Vec::new();
            for (kind, ids) in map {
                for id in string_list(ids)? {
                    entries.push(match kind.as_str() {
                        "AWS" if id == "*" => PrincipalEntry::Anyone,
                        "AWS" => PrincipalEntry::Aws(id),
                        "Service" => PrincipalEntry::Service(id),
                        "Federated" => PrincipalEntry::Federated(id),
                        "CanonicalUser" => PrincipalEntry::CanonicalUser(id),
                        _ => return Err(syntax()),
                    });
                }
            }
            Ok(entries)
        }
        _ => Err(syntax()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(doc: Json, kind: PolicyKind) -> String {
        PolicyDocument::parse(&doc, kind).unwrap_err().message().to_string()
    }

    #[test]
    fn statements_may_be_one_object_or_a_list() {
        let one = json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}});
        let doc = PolicyDocument::parse(&one, PolicyKind::Identity).unwrap();
        assert_eq!(doc.statements.len(), 1);
        assert_eq!(
            doc.statements[0].actions,
            Patterns::Listed(vec!["s3:GetObject".to_string()])
        );
        assert!(doc.uses_variables());
        let text = json!(r#"{"Statement":[{"Effect":"Deny","NotAction":["iam:*"],"NotResource":"*"}]}"#);
        let doc = PolicyDocument::parse(&text, PolicyKind::Identity).unwrap();
        assert_eq!(doc.version, "2008-10-17");
        assert_eq!(doc.statements[0].effect, Effect::Deny);
        assert_eq!(doc.statements[0].resources, Some(Patterns::Not(vec!["*".to_string()])));
    }

    #[test]
    fn identity_policies_refuse_principals_and_need_resources() {
        let with_principal = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]});
        assert_eq!(
            err(with_principal, PolicyKind::Identity),
            "Policy document should not specify a principal."
        );
        let no_resource = json!({"Statement": [{"Effect": "Allow", "Action": "s3:*"}]});
        assert_eq!(
            err(no_resource, PolicyKind::Identity),
            "Policy statement must contain resources."
        );
        let no_action = json!({"Statement": [{"Effect": "Allow", "Resource": "*"}]});
        assert_eq!(
            err(no_action, PolicyKind::Identity),
            "Policy statement must contain actions."
        );
    }

    #[test]
    fn syntax_errors_use_iams_words() {
        for bad in [
            json!([]),
            json!({"Statement": []}),
            json!({"Version": "2012-10-18", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}),
            json!({"Statement": {"Effect": "Maybe", "Action": "*", "Resource": "*"}}),
            json!({"Statement": {"Effect": "Allow", "Action": 3, "Resource": "*"}}),
            json!({"Statement": {"Effect": "Allow", "Action": "*", "NotAction": "*", "Resource": "*"}}),
            json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Extra": 1}}),
            json!({"Statements": []}),
            json!("not json"),
        ] {
            assert_eq!(err(bad, PolicyKind::Identity), "Syntax errors in policy.");
        }
        let lower = json!({"Statement": {"Effect": "allow", "Action": "*", "Resource": "*"}});
        assert_eq!(err(lower, PolicyKind::Identity), "The policy failed legacy parsing");
        let vendorless = json!({"Statement": {"Effect": "Allow", "Action": "PutItem", "Resource": "*"}});
        assert_eq!(
            err(vendorless, PolicyKind::Identity),
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
        );
        let not_arn = json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "bucket"}});
        assert_eq!(
            err(not_arn, PolicyKind::Identity),
            "Resource bucket must be in ARN format or \"*\"."
        );
        let sids = json!({"Statement": [
            {"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Sid": "A", "Effect": "Deny", "Action": "s3:*", "Resource": "*"}]});
        assert_eq!(
            err(sids, PolicyKind::Identity),
            "Statement IDs (SID) in a single policy must be unique."
        );
    }

    #[test]
    fn trust_and_resource_policies_need_principals() {
        let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]}, "Action": "sts:AssumeRole"}]});
        let doc = PolicyDocument::parse(&trust, PolicyKind::Trust).unwrap();
        assert_eq!(
            doc.statements[0].principals,
            Some(Patterns::Listed(vec![PrincipalEntry::Service(
                "lambda.amazonaws.com".into()
            )]))
        );
        let with_resource =
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Resource": "*"}]});
        assert_eq!(err(with_resource, PolicyKind::Trust), "Has prohibited field Resource.");
        let no_principal =
            json!({"Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*"}]});
        assert_eq!(
            err(no_principal, PolicyKind::Resource),
            "Missing required field Principal"
        );
        let aws_star =
            json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:*", "Resource": "*"}]});
        let doc = PolicyDocument::parse(&aws_star, PolicyKind::Resource).unwrap();
        assert_eq!(
            doc.statements[0].principals,
            Some(Patterns::Listed(vec![PrincipalEntry::Anyone]))
        );
    }

    #[test]
    fn documents_know_whether_they_read_the_context() {
        let parse = |v: Json| PolicyDocument::parse(&v, PolicyKind::Identity).unwrap();
        let plain = parse(
            json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}),
        );
        assert!(!plain.reads_context());
        let variable = parse(
            json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::${aws:userid}"}}),
        );
        assert!(variable.reads_context());
        let old_version = parse(
            json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::${aws:userid}"}}),
        );
        assert!(!old_version.reads_context());
        let condition = parse(
            json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": true}}}}),
        );
        assert!(condition.reads_context());
    }

    #[test]
    fn malformed_maps_to_the_iam_error() {
        let e = PolicyError::malformed("Syntax errors in policy.").to_aws_error();
        assert_eq!((e.code.as_str(), e.status), ("MalformedPolicyDocument", 400));
    }
}
