//! IAM: who may do what. This module is the seam every service calls before acting for a [`Caller`]; issue #7
//! fills it with policy documents, roles from templates and AWS's evaluation logic.

use crate::api::Caller;
use crate::cloud::Cloud;

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

/// Whether `caller` may perform `action` (`dynamodb:PutItem`) on `resource` (an ARN).
///
/// Until the IAM issue lands this seam allows every call and the root user; its callers already build their
/// AccessDenied answers from the returned [`Decision`].
pub fn authorize(cloud: &Cloud, caller: &Caller, action: &str, resource: &str) -> Decision {
    let _ = (cloud, caller, action, resource);
    Decision::Allow
}
