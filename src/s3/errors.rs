//! S3's errors: codes, messages and statuses as the "Error responses" page of the Amazon S3 API reference lists
//! them ("List of error codes"), to the character.

use crate::api::AwsError;

/// `NoSuchBucket` (404): "The specified bucket does not exist".
pub fn no_such_bucket() -> AwsError {
    AwsError::with_status("NoSuchBucket", "The specified bucket does not exist", 404)
}

/// `NoSuchKey` (404): "The specified key does not exist.".
pub fn no_such_key() -> AwsError {
    AwsError::with_status("NoSuchKey", "The specified key does not exist.", 404)
}

/// `BucketAlreadyOwnedByYou` (409): CreateBucket on a bucket the account owns (outside us-east-1; in us-east-1
/// S3 answers 200 for legacy reasons, see [`super::bucket::create_bucket`]).
pub fn bucket_already_owned_by_you() -> AwsError {
    AwsError::with_status(
        "BucketAlreadyOwnedByYou",
        "Your previous request to create the named bucket succeeded and you already own it.",
        409,
    )
}

/// `BucketNotEmpty` (409): "The bucket that you tried to delete is not empty.".
pub fn bucket_not_empty() -> AwsError {
    AwsError::with_status(
        "BucketNotEmpty",
        "The bucket that you tried to delete is not empty.",
        409,
    )
}

/// `InvalidBucketName` (400): "The specified bucket is not valid.".
pub fn invalid_bucket_name() -> AwsError {
    AwsError::client("InvalidBucketName", "The specified bucket is not valid.")
}

/// `InvalidRange` (416): "The requested range cannot be satisfied.".
pub fn invalid_range() -> AwsError {
    AwsError::with_status("InvalidRange", "The requested range cannot be satisfied.", 416)
}

/// `PreconditionFailed` (412): "At least one of the preconditions that you specified did not hold.".
pub fn precondition_failed() -> AwsError {
    AwsError::with_status(
        "PreconditionFailed",
        "At least one of the preconditions that you specified did not hold.",
        412,
    )
}

/// 304 Not Modified. S3 answers it without a body (RFC 7232 section 4.1; GetObject API reference, "If-None-Match"),
/// so the v3 SDK names the error after the status: `name` `"304"`, `message` `"UnknownError"` (the smithy
/// default error deserializer when the body has no code; aws/aws-sdk-js-v3 issue 6597 shows the same for a 403).
pub fn not_modified() -> AwsError {
    AwsError::with_status("304", "UnknownError", 304)
}

/// `NoSuchBucketPolicy` (404): "The specified bucket does not have a bucket policy.".
pub fn no_such_bucket_policy() -> AwsError {
    AwsError::with_status(
        "NoSuchBucketPolicy",
        "The specified bucket does not have a bucket policy.",
        404,
    )
}

/// `NoSuchWebsiteConfiguration` (404): "The specified bucket does not have a website configuration.".
pub fn no_such_website_configuration() -> AwsError {
    AwsError::with_status(
        "NoSuchWebsiteConfiguration",
        "The specified bucket does not have a website configuration.",
        404,
    )
}

/// `MalformedPolicy` (400) with the policy parser's message.
pub fn malformed_policy(message: &str) -> AwsError {
    AwsError::client("MalformedPolicy", message.to_string())
}

/// `InvalidArgument` (400) with a message naming the argument.
pub fn invalid_argument(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidArgument", message)
}

/// `AccessDenied` (403) with `message` (IAM's enhanced message, see [`super::authorize`]).
pub fn access_denied(message: impl Into<String>) -> AwsError {
    AwsError::with_status("AccessDenied", message, 403)
}

/// A HEAD request's error: S3 sends no body for HEAD (HeadObject API reference: "it returns a generic 404 Not Found
/// or 403 Forbidden code"), so the v3 SDK reports 404 as `NotFound` and any other status by its number, each with
/// the message `UnknownError` (aws/aws-sdk-js-v3 issues 1596 and 6597).
pub fn for_head(error: AwsError) -> AwsError {
    if error.code == "NotSimulated" {
        return error;
    }
    let code = if error.status == 404 {
        "NotFound".to_string()
    } else {
        error.status.to_string()
    };
    AwsError::with_status(&code, "UnknownError", error.status)
}
