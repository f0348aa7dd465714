//! SQS's errors, with the codes and messages the SQS API reference lists (Common Errors and each operation's
//! Errors section) and the texts AWS returns for them. The v3 SDK exposes the code as the error's `name`; the
//! query-protocol aliases (`AWS.SimpleQueueService.NonExistentQueue`) are mapped in `src/js/sdk/services.js`.

use crate::api::AwsError;

/// `QueueDoesNotExist`: "The specified queue does not exist." (API reference, GetQueueUrl / SendMessage Errors).
pub fn queue_does_not_exist() -> AwsError {
    AwsError::client("QueueDoesNotExist", "The specified queue does not exist.")
}

/// `MissingParameter`: "The request must contain the parameter <name>." (Common Errors: "A required parameter for
/// the specified action is not supplied"; the text is AWS's answer for a missing `MessageBody`).
pub fn missing_parameter(name: &str) -> AwsError {
    AwsError::client(
        "MissingParameter",
        format!("The request must contain the parameter {name}."),
    )
}

/// `InvalidParameterValue`: "Value <v> for parameter <name> is invalid. Reason: <reason>" (Common Errors; the
/// form AWS answers, e.g. `Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and
/// 10, if provided.`).
pub fn invalid_parameter_value(value: impl std::fmt::Display, name: &str, reason: &str) -> AwsError {
    AwsError::client(
        "InvalidParameterValue",
        format!("Value {value} for parameter {name} is invalid. Reason: {reason}"),
    )
}

/// `InvalidParameterValue` with a free message (queue names, FIFO parameters).
pub fn invalid_parameter(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidParameterValue", message)
}

/// `ReceiptHandleIsInvalid`: `The input receipt handle "<h>" is not a valid receipt handle.` (DeleteMessage
/// Errors; the text AWS returns).
pub fn receipt_handle_is_invalid(handle: &str) -> AwsError {
    AwsError::client(
        "ReceiptHandleIsInvalid",
        format!("The input receipt handle \"{handle}\" is not a valid receipt handle."),
    )
}

/// `InvalidAttributeName`: "Unknown Attribute <name>." (GetQueueAttributes / SetQueueAttributes Errors).
pub fn invalid_attribute_name(name: &str) -> AwsError {
    AwsError::client("InvalidAttributeName", format!("Unknown Attribute {name}."))
}

/// `InvalidAttributeValue` for a queue attribute out of range ("Invalid value for the parameter <name>.").
pub fn invalid_attribute_value(name: &str) -> AwsError {
    AwsError::client(
        "InvalidAttributeValue",
        format!("Invalid value for the parameter {name}."),
    )
}

/// `QueueNameExists` (CreateQueue Errors): a queue with this name exists with other attribute values.
/// The text is AWS's: "A queue already exists with the same name and a different value for attribute <name>".
pub fn queue_name_exists(attribute: &str) -> AwsError {
    AwsError::client(
        "QueueNameExists",
        format!("A queue already exists with the same name and a different value for attribute {attribute}"),
    )
}

/// `EmptyBatchRequest`: "There should be at least one SendMessageBatchRequestEntry in the request." (batch
/// operations' Errors; `entry` names the operation's entry type).
pub fn empty_batch_request(entry: &str) -> AwsError {
    AwsError::client(
        "EmptyBatchRequest",
        format!("There should be at least one {entry} in the request."),
    )
}

/// `TooManyEntriesInBatchRequest`: "Maximum number of entries per request are 10. You have sent <n>."
pub fn too_many_entries(count: usize) -> AwsError {
    AwsError::client(
        "TooManyEntriesInBatchRequest",
        format!("Maximum number of entries per request are 10. You have sent {count}."),
    )
}

/// `BatchEntryIdsNotDistinct`: "Id <id> repeated." (batch operations' Errors).
pub fn batch_entry_ids_not_distinct(id: &str) -> AwsError {
    AwsError::client("BatchEntryIdsNotDistinct", format!("Id {id} repeated."))
}

/// `AccessDenied` (403) with IAM's message. SQS lower-cases the action in it, as recorded from AWS:
/// `User: arn:aws:iam::0123456789012:user/test is not authorized to perform: sqs:sendmessage on resource:
/// arn:aws:sqs:us-west-2:0123456789012:test because no identity-based policy allows the sqs:sendmessage action`
/// (aws/serverless-application-model issue 3633, 2024; form: IAM user guide, "Access denied error messages").
pub fn access_denied(message: String) -> AwsError {
    AwsError::with_status("AccessDenied", message, 403)
}

/// `InvalidBatchEntryId`: "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It
/// can be at most 80 letters long." (batch operations' Errors, `Id` constraints).
pub fn invalid_batch_entry_id() -> AwsError {
    AwsError::client(
        "InvalidBatchEntryId",
        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
    )
}
