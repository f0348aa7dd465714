//! DynamoDB's errors: the codes and the fixed messages, each with its source.

use crate::api::AwsError;

/// A `ValidationException` (400) with `message` as given.
pub fn validation(message: impl Into<String>) -> AwsError {
    AwsError::client("ValidationException", message)
}

/// `One or more parameter values were invalid: <detail>`, the prefix DynamoDB puts on item and key validation
/// (source: recorded DynamoDB responses quoted in the developer guide's troubleshooting pages and moto 5.2.1).
pub fn invalid_parameter(detail: impl std::fmt::Display) -> AwsError {
    validation(format!("One or more parameter values were invalid: {detail}"))
}

/// A `SerializationException` (400): the JSON does not have the shape the operation expects.
pub fn serialization(message: impl Into<String>) -> AwsError {
    AwsError::client("SerializationException", message)
}

/// `ResourceNotFoundException: Requested resource not found`, the data plane's answer for an unknown table
/// (source: DynamoDB API reference, Common errors; moto 5.2.1 agrees).
pub fn resource_not_found() -> AwsError {
    AwsError::client("ResourceNotFoundException", "Requested resource not found")
}

/// `Requested resource not found: Table: <name> not found`, DescribeTable's answer (moto 5.2.1 and recorded
/// `aws dynamodb describe-table` output agree).
pub fn table_not_found(name: &str) -> AwsError {
    AwsError::client(
        "ResourceNotFoundException",
        format!("Requested resource not found: Table: {name} not found"),
    )
}

/// `ConditionalCheckFailedException: The conditional request failed` (source: PutItem API reference, Errors).
pub fn conditional_check_failed() -> AwsError {
    AwsError::client("ConditionalCheckFailedException", "The conditional request failed")
}

/// `1 validation error detected: Value null at '<member>' failed to satisfy constraint: Member must not be null`,
/// the service's model validation for a missing required member (source: AWS JSON protocol validation errors).
pub fn missing_member(member: &str) -> AwsError {
    validation(format!(
        "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
    ))
}

/// `The provided key element does not match the schema` (source: GetItem API reference examples and
/// re:Post threads quoting DynamoDB).
pub fn key_mismatch() -> AwsError {
    validation("The provided key element does not match the schema")
}
