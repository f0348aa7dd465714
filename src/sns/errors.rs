//! SNS's errors. SNS speaks the query protocol: the codes on the wire are `NotFound`, `InvalidParameter`,
//! `AuthorizationError` (the v3 SDK names them `NotFoundException`, ... through the aliases in
//! `src/js/sdk/services.js`). Codes, statuses and texts: SNS API reference (each operation's Errors section) and
//! the answers AWS gives.

use crate::api::AwsError;

/// `NotFound` (404): "Topic does not exist" (Publish / Subscribe Errors: "Indicates that the requested resource
/// does not exist").
pub fn topic_not_found() -> AwsError {
    AwsError::with_status("NotFound", "Topic does not exist", 404)
}

/// `NotFound` (404) for a subscription: "Subscription does not exist".
pub fn subscription_not_found() -> AwsError {
    AwsError::with_status("NotFound", "Subscription does not exist", 404)
}

/// `InvalidParameter` (400): "Invalid parameter: <what>" (SNS's form, e.g. `Invalid parameter: TopicArn`).
pub fn invalid_parameter(what: &str) -> AwsError {
    AwsError::client("InvalidParameter", format!("Invalid parameter: {what}"))
}

/// `AuthorizationError` (403) with IAM's message; SNS upper-cases the service prefix of the action
/// (`SNS:Publish`), as recorded from AWS (lambda-facts §6.3; form: IAM user guide "Access denied error messages").
pub fn authorization_error(message: String) -> AwsError {
    AwsError::with_status("AuthorizationError", message, 403)
}
