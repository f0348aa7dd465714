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

/// The message services put in their AccessDenied errors (`AccessDeniedException` in DynamoDB, `AccessDenied` in
/// S3), in the form AWS has used since 2021 ("AWS IAM: access denied error messages", IAM user guide):
///
/// - implicit deny: `User: <principal> is not authorized to perform: <action> on resource: <resource> because no
///   identity-based policy allows the <action> action`
/// - explicit deny: `User: <principal> is not authorized to perform: <action> on resource: <resource> with an
///   explicit deny in an identity-based policy`
pub fn denial_message(caller: &Caller, action: &str, resource: &str, decision: Decision) -> String {
    let head = format!(
        "User: {} is not authorized to perform: {action} on resource: {resource}",
        caller.principal_arn
    );
    match decision {
        Decision::ExplicitDeny => format!("{head} with an explicit deny in an identity-based policy"),
        _ => format!("{head} because no identity-based policy allows the {action} action"),
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
    }
}
