//! Roles and customer managed policies, created from `AWS::IAM::Role`, `AWS::IAM::Policy` and
//! `AWS::IAM::ManagedPolicy` resources.
//!
//! Sources: the CloudFormation resource reference pages of the three types (properties `RoleName`, `Path`,
//! `AssumeRolePolicyDocument`, `Policies`, `ManagedPolicyArns`, `PermissionsBoundary`; `PolicyName`,
//! `PolicyDocument`, `Roles`; `ManagedPolicyName`, `Roles`) and the IAM API errors they surface: `NoSuchEntity`
//! `The role with name <name> cannot be found.` (PutRolePolicy) and `Policy <arn> does not exist or is not
//! attachable.` (AttachRolePolicy). IAM users and groups are not simulated: `Users` / `Groups` are refused loudly.

use super::managed_policies;
use super::policy::{PolicyDocument, PolicyError, PolicyKind};
use crate::template::StackResource;
use indexmap::IndexMap;
use serde_json::Value as Json;

/// An IAM role.
#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    /// `RoleName`.
    pub role_name: String,
    /// `Path`, `/` by default.
    pub path: String,
    /// `arn:<partition>:iam::<account>:role<path><name>`.
    pub arn: String,
    /// `RoleId` (`AROA...`).
    pub role_id: String,
    /// `AssumeRolePolicyDocument`: who may assume the role.
    pub assume_role_policy: PolicyDocument,
    /// Inline policies by name (`Policies` of the role, then `AWS::IAM::Policy` resources naming it).
    pub inline_policies: IndexMap<String, PolicyDocument>,
    /// Attached managed policy ARNs (AWS managed or customer managed), in attachment order.
    pub managed_policy_arns: Vec<String>,
    /// `PermissionsBoundary`: a managed policy ARN.
    pub permissions_boundary: Option<String>,
}

/// A customer managed policy.
#[derive(Debug, Clone, PartialEq)]
pub struct ManagedPolicy {
    /// `ManagedPolicyName`.
    pub policy_name: String,
    /// Its ARN.
    pub arn: String,
    /// Its document (the default version).
    pub document: PolicyDocument,
}

/// The IAM entities of an account.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Directory {
    /// Roles by name.
    pub roles: IndexMap<String, Role>,
    /// Customer managed policies by ARN.
    pub policies: IndexMap<String, ManagedPolicy>,
}

/// Why a resource could not be created: IAM's error code and message.
pub type CreateError = String;

/// CloudFormation's schema validation answer for a missing required property. The wording is CloudFormation's
/// early validation as shown in stack events ("Properties validation failed for resource <id> with message: #:
/// required key [<property>] not found"); recalled, not recorded, so treat it as the documented reading.
fn required(logical_id: &str, property: &str) -> CreateError {
    format!(
        "Properties validation failed for resource {logical_id} with message: #: required key [{property}] not found"
    )
}

fn text(props: &Json, key: &str) -> Option<String> {
    props.get(key).and_then(Json::as_str).map(str::to_string)
}

fn strings(props: &Json, key: &str) -> Result<Vec<String>, CreateError> {
    match props.get(key) {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(Json::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("{key} must be a list of strings"))
            })
            .collect(),
        Some(_) => Err(format!("{key} must be a list of strings")),
    }
}

/// A policy error as the deploy reports it: `MalformedPolicyDocument: <IAM's message>` or the "not simulated" text.
fn policy_error(e: PolicyError) -> CreateError {
    match e {
        PolicyError::Malformed(_) => e.to_string(),
        PolicyError::NotSimulated(m) => m,
    }
}

fn refuse_users_and_groups(props: &Json) -> Result<(), CreateError> {
    for key in ["Users", "Groups"] {
        if props.get(key).and_then(Json::as_array).is_some_and(|a| !a.is_empty()) {
            return Err(format!(
                "not simulated: IAM {} (only roles are simulated)",
                key.to_lowercase()
            ));
        }
    }
    Ok(())
}

impl Directory {
    /// The role with ARN `arn`.
    pub fn role_by_arn(&self, arn: &str) -> Option<&Role> {
        let name = arn.rsplit('/').next()?;
        self.roles.get(name).filter(|r| r.arn == arn)
    }

    /// The document of a managed policy: AWS managed (from [`managed_policies`]) or customer managed.
    pub fn managed_document(&self, arn: &str) -> Option<&PolicyDocument> {
        match managed_policies::by_arn(arn) {
            Some(aws) => Some(&aws.document),
            None => self.policies.get(arn).map(|p| &p.document),
        }
    }

    /// Whether a managed policy ARN can be attached; AWS managed policies outside the simulated list are loud.
    fn check_attachable(&self, arn: &str) -> Result<(), CreateError> {
        if managed_policies::aws_managed_path(arn).is_some() {
            if managed_policies::by_arn(arn).is_none() {
                let name = arn.rsplit('/').next().unwrap_or(arn);
                return Err(format!("not simulated: AWS managed policy {name}"));
            }
            return Ok(());
        }
        if self.policies.contains_key(arn) {
            Ok(())
        } else {
            Err(format!(
                "NoSuchEntity: Policy {arn} does not exist or is not attachable."
            ))
        }
    }

    /// Every identity-based policy of `role`: inline policies, then attached managed policies.
    pub fn identity_policies<'a>(&'a self, role: &'a Role) -> Vec<&'a PolicyDocument> {
        let mut documents: Vec<&PolicyDocument> = role.inline_policies.values().collect();
        documents.extend(role.managed_policy_arns.iter().filter_map(|a| self.managed_document(a)));
        documents
    }

    /// Creates one stack resource of an IAM type (others are ignored).
    ///
    /// Errors: `MalformedPolicyDocument: ...`, `NoSuchEntity: ...`, and "not simulated" texts.
    pub fn create(&mut self, resource: &StackResource) -> Result<(), CreateError> {
        let props = &resource.properties;
        match resource.resource_type.as_str() {
            "AWS::IAM::Role" => self.create_role(resource),
            "AWS::IAM::Policy" => {
                refuse_users_and_groups(props)?;
                let name = text(props, "PolicyName").ok_or_else(|| required(&resource.logical_id, "PolicyName"))?;
                let document = props
                    .get("PolicyDocument")
                    .ok_or_else(|| required(&resource.logical_id, "PolicyDocument"))?;
                let document = PolicyDocument::parse(document, PolicyKind::Identity).map_err(policy_error)?;
                for role_name in strings(props, "Roles")? {
                    let role = self
                        .roles
                        .get_mut(&role_name)
                        .ok_or_else(|| format!("NoSuchEntity: The role with name {role_name} cannot be found."))?;
                    role.inline_policies.insert(name.clone(), document.clone());
                }
                Ok(())
            }
            "AWS::IAM::ManagedPolicy" => {
                refuse_users_and_groups(props)?;
                let arn = resource.physical_id.clone();
                let document = props
                    .get("PolicyDocument")
                    .ok_or_else(|| required(&resource.logical_id, "PolicyDocument"))?;
                let document = PolicyDocument::parse(document, PolicyKind::Identity).map_err(policy_error)?;
                let policy_name = arn.rsplit('/').next().unwrap_or(&arn).to_string();
                self.policies.insert(
                    arn.clone(),
                    ManagedPolicy {
                        policy_name,
                        arn: arn.clone(),
                        document,
                    },
                );
                for role_name in strings(props, "Roles")? {
                    let role = self
                        .roles
                        .get_mut(&role_name)
                        .ok_or_else(|| format!("NoSuchEntity: The role with name {role_name} cannot be found."))?;
                    if !role.managed_policy_arns.contains(&arn) {
                        role.managed_policy_arns.push(arn.clone());
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn create_role(&mut self, resource: &StackResource) -> Result<(), CreateError> {
        let props = &resource.properties;
        let trust = props
            .get("AssumeRolePolicyDocument")
            .ok_or_else(|| required(&resource.logical_id, "AssumeRolePolicyDocument"))?;
        let assume_role_policy = PolicyDocument::parse(trust, PolicyKind::Trust).map_err(policy_error)?;
        let mut inline_policies = IndexMap::new();
        if let Some(policies) = props.get("Policies") {
            let policies = policies.as_array().ok_or("Policies must be a list")?;
            for policy in policies {
                let name = text(policy, "PolicyName").ok_or_else(|| required(&resource.logical_id, "PolicyName"))?;
                let document = policy
                    .get("PolicyDocument")
                    .ok_or_else(|| required(&resource.logical_id, "PolicyDocument"))?;
                let document = PolicyDocument::parse(document, PolicyKind::Identity).map_err(policy_error)?;
                inline_policies.insert(name, document);
            }
        }
        let managed_policy_arns = strings(props, "ManagedPolicyArns")?;
        for arn in &managed_policy_arns {
            self.check_attachable(arn)?;
        }
        let permissions_boundary = text(props, "PermissionsBoundary");
        if let Some(arn) = &permissions_boundary {
            self.check_attachable(arn)?;
        }
        let arn = resource
            .attributes
            .get("Arn")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string();
        let role = Role {
            role_name: resource.physical_id.clone(),
            path: text(props, "Path").unwrap_or_else(|| "/".into()),
            arn,
            role_id: resource
                .attributes
                .get("RoleId")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string(),
            assume_role_policy,
            inline_policies,
            managed_policy_arns,
            permissions_boundary,
        };
        self.roles.insert(role.role_name.clone(), role);
        Ok(())
    }
}
