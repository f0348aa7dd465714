//! AWS API calls made inside the simulated account: what a handler's SDK call becomes once it leaves the
//! interpreter. A call names the service by its signing name (`dynamodb`, `s3`, `sqs`), the operation by its AWS
//! name (`PutItem`), carries its input as the JSON the AWS protocol carries (the DynamoDB JSON 1.0 body, for
//! example), and is made by a [`Caller`]. [`crate::Cloud::call`] hands it to the service whose
//! [`crate::cloud::Service::signing_name`] matches; the service checks the caller against IAM
//! ([`crate::iam::authorize`]) and answers JSON or an [`AwsError`].

use serde_json::Value as Json;
use std::fmt;

/// An AWS API error as the SDKs see it: the error code (`ConditionalCheckFailedException`), the message, the
/// HTTP status, and whether the caller (4xx) or the service (5xx) is at fault.
///
/// The v3 SDK exposes these as `name`, `message`, `$metadata.httpStatusCode` and `$fault`; the v2 SDK as `code`,
/// `message` and `statusCode` (docs: "Error handling" in the AWS SDK for JavaScript v3 developer guide).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsError {
    /// The error code, e.g. `ResourceNotFoundException`.
    pub code: String,
    /// The message, to the character as the service writes it.
    pub message: String,
    /// The HTTP status code of the response.
    pub status: u16,
    /// Further members of the error body some errors carry, as a JSON object (DynamoDB's `Item` on a
    /// `ConditionalCheckFailedException` with `ReturnValuesOnConditionCheckFailure`, its `CancellationReasons` on a
    /// `TransactionCanceledException`); `None` for most errors.
    pub extra: Option<Box<Json>>,
}

impl AwsError {
    /// A 400 error (the caller's fault).
    pub fn client(code: &str, message: impl Into<String>) -> AwsError {
        AwsError {
            code: code.to_string(),
            message: message.into(),
            status: 400,
            extra: None,
        }
    }

    /// An error with an explicit status.
    pub fn with_status(code: &str, message: impl Into<String>, status: u16) -> AwsError {
        AwsError {
            code: code.to_string(),
            message: message.into(),
            status,
            extra: None,
        }
    }

    /// A feature the simulator does not model (design rule 5), answered as a 501 `NotSimulated` error whose message
    /// starts with `not simulated: `.
    pub fn not_simulated(what: impl fmt::Display) -> AwsError {
        AwsError::with_status("NotSimulated", format!("not simulated: {what}"), 501)
    }

    /// The error with `extra` members in its body (a JSON object, see [`AwsError::extra`]).
    pub fn with_extra(mut self, extra: Json) -> AwsError {
        self.extra = Some(Box::new(extra));
        self
    }

    /// `"client"` for 4xx, `"server"` otherwise: the v3 SDK's `$fault`.
    pub fn fault(&self) -> &'static str {
        if (400..500).contains(&self.status) {
            "client"
        } else {
            "server"
        }
    }

    /// The error as JSON: `{"code", "message", "statusCode", "fault"}`, the shape the SDK modules read, plus the
    /// [`AwsError::extra`] members when there are any.
    pub fn to_json(&self) -> Json {
        let mut json = serde_json::json!({
            "code": self.code,
            "message": self.message,
            "statusCode": self.status,
            "fault": self.fault(),
        });
        if let (Some(Json::Object(extra)), Json::Object(out)) = (self.extra.as_deref(), &mut json) {
            for (k, v) in extra {
                out.insert(k.clone(), v.clone());
            }
        }
        json
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for AwsError {}

/// Who makes a call: the principal IAM evaluates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The principal's ARN as services print it in AccessDenied messages, e.g.
    /// `arn:aws:sts::123456789012:assumed-role/MyRole/my-function` for a Lambda function.
    pub principal_arn: String,
    /// The IAM role whose policies apply (`arn:aws:iam::123456789012:role/MyRole`); `None` for the account's root
    /// user, which every identity-based check allows (the CLI and the UI act as the root user).
    pub role_arn: Option<String>,
}

impl Caller {
    /// The account's root user: `arn:aws:iam::<account>:root`, allowed everything in its account.
    pub fn root(account_id: &str) -> Caller {
        Caller {
            principal_arn: format!("arn:aws:iam::{account_id}:root"),
            role_arn: None,
        }
    }

    /// A Lambda function running with its execution role: the session name is the function name, so the
    /// principal is `arn:<partition>:sts::<account>:assumed-role/<role name>/<function name>` (docs: "Lambda
    /// execution role"; the ARN AccessDenied messages print).
    pub fn assumed_role(role_arn: &str, session_name: &str) -> Caller {
        let (prefix, role_path) = role_arn.split_once(":role/").unwrap_or((role_arn, ""));
        let role_name = role_path.rsplit('/').next().unwrap_or(role_path);
        let sts_prefix = prefix.replacen(":iam:", ":sts:", 1);
        Caller {
            principal_arn: format!("{sts_prefix}:assumed-role/{role_name}/{session_name}"),
            role_arn: Some(role_arn.to_string()),
        }
    }
}

/// One API call.
#[derive(Debug, Clone, Copy)]
pub struct ApiRequest<'a> {
    /// The service's signing name, e.g. `dynamodb`.
    pub service: &'a str,
    /// The operation, e.g. `PutItem`.
    pub operation: &'a str,
    /// The operation's input, as the AWS protocol's JSON.
    pub input: &'a Json,
    /// Who calls.
    pub caller: &'a Caller,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_execution_role_session_is_named_after_the_function() {
        let caller = Caller::assumed_role("arn:aws:iam::123456789012:role/service-role/NotesRole", "notes-fn");
        assert_eq!(
            caller.principal_arn,
            "arn:aws:sts::123456789012:assumed-role/NotesRole/notes-fn"
        );
        assert_eq!(
            caller.role_arn.as_deref(),
            Some("arn:aws:iam::123456789012:role/service-role/NotesRole")
        );
    }

    #[test]
    fn faults_follow_the_status() {
        assert_eq!(AwsError::client("ValidationException", "x").fault(), "client");
        assert_eq!(AwsError::with_status("InternalServerError", "x", 500).fault(), "server");
        assert_eq!(AwsError::not_simulated("the x API").message, "not simulated: the x API");
    }
}
