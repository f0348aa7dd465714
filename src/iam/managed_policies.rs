//! The AWS managed policies the course, SAM and its event sources attach, with their real documents.
//!
//! `managed_policies.json` holds, for each policy, what IAM's `ListPolicies` and `GetPolicyVersion` answer
//! (`PolicyName`, `Arn`, `Path`, `DefaultVersionId`, `UpdateDate`, `Document`) as of March 2026, taken from the
//! public record of AWS managed policy versions (the MAMIP project's snapshot of IAM, which polls IAM itself).
//! `ReadOnlyAccess` is included in full (version v178, some 85 KB), so nothing here is simplified.
//!
//! An AWS managed policy ARN (`arn:<partition>:iam::aws:policy/...`) not in this list is refused when a stack
//! attaches it ("not simulated: AWS managed policy <name>", raised by [`super::Iam`] at deploy time), so a role
//! never silently lacks or gains permissions.

use super::policy::{PolicyDocument, PolicyKind};
use serde::Deserialize;
use std::sync::OnceLock;

/// One AWS managed policy.
#[derive(Debug, Clone)]
pub struct AwsManagedPolicy {
    /// `PolicyName`, e.g. `AWSLambdaBasicExecutionRole`.
    pub name: String,
    /// `Arn` in the `aws` partition, e.g. `arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`.
    pub arn: String,
    /// `Path`, e.g. `/service-role/`.
    pub path: String,
    /// `DefaultVersionId`, e.g. `v1`.
    pub version_id: String,
    /// The default version's document.
    pub document: PolicyDocument,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Record {
    policy_name: String,
    arn: String,
    path: String,
    default_version_id: String,
    document: serde_json::Value,
}

/// Every AWS managed policy simulated, parsed once.
pub fn all() -> &'static [AwsManagedPolicy] {
    static POLICIES: OnceLock<Vec<AwsManagedPolicy>> = OnceLock::new();
    POLICIES.get_or_init(|| {
        let records: Vec<Record> = serde_json::from_str(include_str!("managed_policies.json")).unwrap_or_default();
        records
            .into_iter()
            .filter_map(|r| {
                // The data ships with the crate and a test parses every entry, so a failure here is a build mistake.
                let document = PolicyDocument::parse(&r.document, PolicyKind::Identity).ok()?;
                Some(AwsManagedPolicy {
                    name: r.policy_name,
                    arn: r.arn,
                    path: r.path,
                    version_id: r.default_version_id,
                    document,
                })
            })
            .collect()
    })
}

/// The part of an AWS managed policy ARN after the account (`policy/service-role/AWSLambdaRole`), if `arn` is one
/// (`arn:<any partition>:iam::aws:policy/...`).
pub fn aws_managed_path(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some("arn"), Some(_), Some("iam"), Some(""), Some("aws"), Some(rest)) if rest.starts_with("policy/") => {
            Some(rest)
        }
        _ => None,
    }
}

/// `name` with the path of the AWS managed policy so named (`AWSLambdaRole` -> `service-role/AWSLambdaRole`), as
/// SAM resolves a bare policy name in a function's `Policies`; names outside this list are returned as given.
pub fn name_with_path(name: &str) -> String {
    match all().iter().find(|p| p.name == name) {
        Some(p) => format!("{}{}", p.path.trim_start_matches('/'), p.name),
        None => name.to_string(),
    }
}

/// The AWS managed policy an ARN names, in any partition.
pub fn by_arn(arn: &str) -> Option<&'static AwsManagedPolicy> {
    let path = aws_managed_path(arn)?;
    // Every listed ARN is `arn:aws:iam::aws:<path>`: compare the tails without parsing them again.
    all()
        .iter()
        .find(|p| p.arn.strip_prefix("arn:aws:iam::aws:") == Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_policy_parses() {
        let raw: Vec<serde_json::Value> = serde_json::from_str(include_str!("managed_policies.json")).unwrap();
        assert_eq!(raw.len(), 21);
        assert_eq!(all().len(), raw.len(), "an AWS managed policy document did not parse");
    }

    #[test]
    fn lookups_accept_any_partition_and_need_the_path() {
        let basic = by_arn("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole").unwrap();
        assert_eq!(basic.name, "AWSLambdaBasicExecutionRole");
        assert_eq!(basic.path, "/service-role/");
        assert!(by_arn("arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole").is_some());
        assert!(by_arn("arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole").is_none());
        assert!(by_arn("arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess").is_some());
        assert!(by_arn("arn:aws:iam::123456789012:policy/AmazonDynamoDBFullAccess").is_none());
        assert!(by_arn("arn:aws:iam::aws:policy/AmazonKinesisFullAccess").is_none());
        assert_eq!(name_with_path("AWSLambdaRole"), "service-role/AWSLambdaRole");
        assert_eq!(name_with_path("AmazonS3ReadOnlyAccess"), "AmazonS3ReadOnlyAccess");
        assert_eq!(name_with_path("SomethingElse"), "SomethingElse");
    }
}
