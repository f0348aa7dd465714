//! CloudWatch Logs errors (API reference "Common errors" and each operation's "Errors"; messages as AWS answers
//! them, seen in SDK error output and, as a second opinion, in moto 5.2.1's `moto/logs/exceptions.py`).

use crate::api::AwsError;

/// `ResourceNotFoundException: The specified log group does not exist.`
pub fn log_group_not_found() -> AwsError {
    AwsError::client("ResourceNotFoundException", "The specified log group does not exist.")
}

/// `ResourceNotFoundException: The specified log stream does not exist.`
pub fn log_stream_not_found() -> AwsError {
    AwsError::client("ResourceNotFoundException", "The specified log stream does not exist.")
}

/// `ResourceAlreadyExistsException: The specified log group already exists`
pub fn log_group_exists() -> AwsError {
    AwsError::client(
        "ResourceAlreadyExistsException",
        "The specified log group already exists",
    )
}

/// `ResourceAlreadyExistsException: The specified log stream already exists`
pub fn log_stream_exists() -> AwsError {
    AwsError::client(
        "ResourceAlreadyExistsException",
        "The specified log stream already exists",
    )
}

/// `InvalidParameterException` with `message`.
pub fn invalid_parameter(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidParameterException", message)
}

/// The validation message of a member outside its constraint (`1 validation error detected: Value '<v>' at
/// '<member>' failed to satisfy constraint: <constraint>`), an `InvalidParameterException` in CloudWatch Logs.
pub fn validation(value: &str, member: &str, constraint: &str) -> AwsError {
    invalid_parameter(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"
    ))
}

/// `AccessDeniedException` (400) with IAM's denial message.
pub fn access_denied(message: String) -> AwsError {
    AwsError::client("AccessDeniedException", message)
}

/// `InvalidParameterException: The specified nextToken is invalid.`
pub fn invalid_token() -> AwsError {
    invalid_parameter("The specified nextToken is invalid.")
}
