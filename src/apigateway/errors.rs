//! Control-plane errors, named after API Gateway's error codes, with AWS's messages.
//!
//! Source of the codes: API Gateway API reference, "Common Errors" and each operation's "Errors" section. The
//! messages are AWS's own text where it is known (each constructor says where it comes from); where AWS's exact
//! text is not known to us, the constructor says so.

use std::fmt;

/// The error codes the control plane answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// 400: the request is invalid.
    BadRequestException,
    /// 404: a named resource does not exist.
    NotFoundException,
    /// 409: the resource already exists.
    ConflictException,
}

/// An API Gateway control-plane error: code, operation and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiGatewayError {
    /// The error code.
    pub code: ErrorCode,
    /// The operation that failed, as AWS names it (`CreateResource`, `PutMethod`, ...).
    pub operation: &'static str,
    /// AWS's message.
    pub message: String,
}

impl fmt::Display for ApiGatewayError {
    /// The AWS CLI's wording: `An error occurred (Code) when calling the Operation operation: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "An error occurred ({:?}) when calling the {} operation: {}",
            self.code, self.operation, self.message
        )
    }
}

impl std::error::Error for ApiGatewayError {}

impl ApiGatewayError {
    /// A `BadRequestException`.
    pub fn bad_request(operation: &'static str, message: impl Into<String>) -> ApiGatewayError {
        ApiGatewayError {
            code: ErrorCode::BadRequestException,
            operation,
            message: message.into(),
        }
    }

    /// A `NotFoundException`.
    pub fn not_found(operation: &'static str, message: impl Into<String>) -> ApiGatewayError {
        ApiGatewayError {
            code: ErrorCode::NotFoundException,
            operation,
            message: message.into(),
        }
    }

    /// A `ConflictException`.
    pub fn conflict(operation: &'static str, message: impl Into<String>) -> ApiGatewayError {
        ApiGatewayError {
            code: ErrorCode::ConflictException,
            operation,
            message: message.into(),
        }
    }
}

/// `Invalid API identifier specified <account>:<id>`. Source: AWS responses quoted in LocalStack's parity
/// snapshots (`test_apigateway_api.snapshot.json`).
pub fn invalid_rest_api(operation: &'static str, account: &str, id: &str) -> ApiGatewayError {
    ApiGatewayError::not_found(operation, format!("Invalid API identifier specified {account}:{id}"))
}

/// `Invalid Resource identifier specified`. Source: LocalStack parity snapshots (AWS-recorded).
pub fn invalid_resource(operation: &'static str) -> ApiGatewayError {
    ApiGatewayError::not_found(operation, "Invalid Resource identifier specified")
}

/// `Invalid Method identifier specified`. Source: LocalStack parity snapshots (AWS-recorded).
pub fn invalid_method(operation: &'static str) -> ApiGatewayError {
    ApiGatewayError::not_found(operation, "Invalid Method identifier specified")
}

/// `Invalid Integration identifier specified`. Source: LocalStack parity snapshots (AWS-recorded).
pub fn invalid_integration(operation: &'static str) -> ApiGatewayError {
    ApiGatewayError::not_found(operation, "Invalid Integration identifier specified")
}

/// `Invalid Response status code specified` (no method response for the status). Source: LocalStack parity
/// snapshots (AWS-recorded, `test_put_integration_response_*`).
pub fn invalid_response_status_code(operation: &'static str) -> ApiGatewayError {
    ApiGatewayError::not_found(operation, "Invalid Response status code specified")
}
