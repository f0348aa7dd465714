//! Gateway responses: what API Gateway answers when a request fails before or around the integration.
//!
//! Source of the types and default status codes: "Gateway response types for API Gateway"
//! (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html); the same
//! table is in LocalStack's `gateway_response.py`. The default template for every type is
//! `{"message":$context.error.messageString}` with `Content-Type: application/json` (same page, and AWS's
//! recorded `{"message":"Missing Authentication Token"}`). A type without a custom response inherits a custom
//! `DEFAULT_4XX` / `DEFAULT_5XX` ("Set up gateway responses to customize error responses").

use crate::apigateway::model::{ApiDefinition, GatewayResponse};
use std::fmt;

/// The gateway response types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(non_camel_case_types, missing_docs)]
pub enum GatewayResponseType {
    ACCESS_DENIED,
    API_CONFIGURATION_ERROR,
    AUTHORIZER_CONFIGURATION_ERROR,
    AUTHORIZER_FAILURE,
    BAD_REQUEST_PARAMETERS,
    BAD_REQUEST_BODY,
    DEFAULT_4XX,
    DEFAULT_5XX,
    EXPIRED_TOKEN,
    INTEGRATION_FAILURE,
    INTEGRATION_TIMEOUT,
    INVALID_API_KEY,
    INVALID_SIGNATURE,
    MISSING_AUTHENTICATION_TOKEN,
    QUOTA_EXCEEDED,
    REQUEST_TOO_LARGE,
    RESOURCE_NOT_FOUND,
    THROTTLED,
    UNAUTHORIZED,
    UNSUPPORTED_MEDIA_TYPE,
    WAF_FILTERED,
}

/// Every type, in the documentation's order.
pub const ALL_TYPES: [GatewayResponseType; 21] = {
    use GatewayResponseType::*;
    [
        ACCESS_DENIED,
        API_CONFIGURATION_ERROR,
        AUTHORIZER_CONFIGURATION_ERROR,
        AUTHORIZER_FAILURE,
        BAD_REQUEST_PARAMETERS,
        BAD_REQUEST_BODY,
        DEFAULT_4XX,
        DEFAULT_5XX,
        EXPIRED_TOKEN,
        INTEGRATION_FAILURE,
        INTEGRATION_TIMEOUT,
        INVALID_API_KEY,
        INVALID_SIGNATURE,
        MISSING_AUTHENTICATION_TOKEN,
        QUOTA_EXCEEDED,
        REQUEST_TOO_LARGE,
        RESOURCE_NOT_FOUND,
        THROTTLED,
        UNAUTHORIZED,
        UNSUPPORTED_MEDIA_TYPE,
        WAF_FILTERED,
    ]
};

/// The default template of every gateway response.
pub const DEFAULT_TEMPLATE: &str = "{\"message\":$context.error.messageString}";

impl GatewayResponseType {
    /// Parses AWS's spelling.
    pub fn parse(s: &str) -> Option<GatewayResponseType> {
        ALL_TYPES.iter().copied().find(|t| t.as_str() == s)
    }

    /// AWS's spelling, e.g. `MISSING_AUTHENTICATION_TOKEN`.
    pub fn as_str(self) -> &'static str {
        use GatewayResponseType::*;
        match self {
            ACCESS_DENIED => "ACCESS_DENIED",
            API_CONFIGURATION_ERROR => "API_CONFIGURATION_ERROR",
            AUTHORIZER_CONFIGURATION_ERROR => "AUTHORIZER_CONFIGURATION_ERROR",
            AUTHORIZER_FAILURE => "AUTHORIZER_FAILURE",
            BAD_REQUEST_PARAMETERS => "BAD_REQUEST_PARAMETERS",
            BAD_REQUEST_BODY => "BAD_REQUEST_BODY",
            DEFAULT_4XX => "DEFAULT_4XX",
            DEFAULT_5XX => "DEFAULT_5XX",
            EXPIRED_TOKEN => "EXPIRED_TOKEN",
            INTEGRATION_FAILURE => "INTEGRATION_FAILURE",
            INTEGRATION_TIMEOUT => "INTEGRATION_TIMEOUT",
            INVALID_API_KEY => "INVALID_API_KEY",
            INVALID_SIGNATURE => "INVALID_SIGNATURE",
            MISSING_AUTHENTICATION_TOKEN => "MISSING_AUTHENTICATION_TOKEN",
            QUOTA_EXCEEDED => "QUOTA_EXCEEDED",
            REQUEST_TOO_LARGE => "REQUEST_TOO_LARGE",
            RESOURCE_NOT_FOUND => "RESOURCE_NOT_FOUND",
            THROTTLED => "THROTTLED",
            UNAUTHORIZED => "UNAUTHORIZED",
            UNSUPPORTED_MEDIA_TYPE => "UNSUPPORTED_MEDIA_TYPE",
            WAF_FILTERED => "WAF_FILTERED",
        }
    }

    /// The default status code; `None` for `DEFAULT_4XX` / `DEFAULT_5XX`, which have none.
    pub fn default_status(self) -> Option<u16> {
        use GatewayResponseType::*;
        Some(match self {
            ACCESS_DENIED
            | EXPIRED_TOKEN
            | INVALID_API_KEY
            | INVALID_SIGNATURE
            | MISSING_AUTHENTICATION_TOKEN
            | WAF_FILTERED => 403,
            API_CONFIGURATION_ERROR | AUTHORIZER_CONFIGURATION_ERROR | AUTHORIZER_FAILURE => 500,
            BAD_REQUEST_PARAMETERS | BAD_REQUEST_BODY => 400,
            INTEGRATION_FAILURE | INTEGRATION_TIMEOUT => 504,
            QUOTA_EXCEEDED | THROTTLED => 429,
            REQUEST_TOO_LARGE => 413,
            RESOURCE_NOT_FOUND => 404,
            UNAUTHORIZED => 401,
            UNSUPPORTED_MEDIA_TYPE => 415,
            DEFAULT_4XX | DEFAULT_5XX => return None,
        })
    }

    /// The `x-amzn-ErrorType` header value. Sources: AWS responses as recorded in user reports and LocalStack's
    /// parity snapshots (`MissingAuthenticationTokenException`, `ForbiddenException`, `BadRequestException`,
    /// `UnsupportedMediaTypeException`, `InternalServerErrorException`, `UnauthorizedException`,
    /// `AccessDeniedException`, `LimitExceededException`, `TooManyRequestsException`). The values for
    /// `EXPIRED_TOKEN`, `INVALID_SIGNATURE` and `RESOURCE_NOT_FOUND` are our reading (not recorded).
    pub fn error_type(self) -> &'static str {
        use GatewayResponseType::*;
        match self {
            ACCESS_DENIED => "AccessDeniedException",
            API_CONFIGURATION_ERROR
            | AUTHORIZER_CONFIGURATION_ERROR
            | AUTHORIZER_FAILURE
            | INTEGRATION_FAILURE
            | INTEGRATION_TIMEOUT
            | DEFAULT_5XX => "InternalServerErrorException",
            BAD_REQUEST_PARAMETERS | BAD_REQUEST_BODY | REQUEST_TOO_LARGE | DEFAULT_4XX => "BadRequestException",
            EXPIRED_TOKEN => "ExpiredTokenException",
            INVALID_API_KEY | WAF_FILTERED => "ForbiddenException",
            INVALID_SIGNATURE => "InvalidSignatureException",
            MISSING_AUTHENTICATION_TOKEN => "MissingAuthenticationTokenException",
            QUOTA_EXCEEDED => "LimitExceededException",
            RESOURCE_NOT_FOUND => "NotFoundException",
            THROTTLED => "TooManyRequestsException",
            UNAUTHORIZED => "UnauthorizedException",
            UNSUPPORTED_MEDIA_TYPE => "UnsupportedMediaTypeException",
        }
    }

    /// The default `$context.error.message`. Sources as for [`GatewayResponseType::error_type`]:
    /// `Missing Authentication Token`, `Forbidden`, `Invalid request body`, `Unsupported Media Type`,
    /// `Internal server error`, `Unauthorized`, `Limit Exceeded`, `Too Many Requests`, `Endpoint request timed
    /// out` and `Request Too Long` are AWS-recorded; the others are our reading.
    pub fn default_message(self) -> &'static str {
        use GatewayResponseType::*;
        match self {
            ACCESS_DENIED => "User is not authorized to access this resource",
            API_CONFIGURATION_ERROR
            | AUTHORIZER_CONFIGURATION_ERROR
            | AUTHORIZER_FAILURE
            | INTEGRATION_FAILURE
            | DEFAULT_5XX => "Internal server error",
            INTEGRATION_TIMEOUT => "Endpoint request timed out",
            BAD_REQUEST_PARAMETERS => "Missing required request parameters",
            BAD_REQUEST_BODY => "Invalid request body",
            DEFAULT_4XX => "Bad Request",
            EXPIRED_TOKEN => "The security token included in the request is expired",
            INVALID_API_KEY | WAF_FILTERED => "Forbidden",
            INVALID_SIGNATURE => "The request signature we calculated does not match the signature you provided",
            MISSING_AUTHENTICATION_TOKEN => "Missing Authentication Token",
            QUOTA_EXCEEDED => "Limit Exceeded",
            REQUEST_TOO_LARGE => "Request Too Long",
            RESOURCE_NOT_FOUND => "Not Found",
            THROTTLED => "Too Many Requests",
            UNAUTHORIZED => "Unauthorized",
            UNSUPPORTED_MEDIA_TYPE => "Unsupported Media Type",
        }
    }

    /// Whether the type is a 5XX one (for the `DEFAULT_5XX` fallback).
    fn is_5xx(self) -> bool {
        self.default_status().is_some_and(|s| s >= 500) || self == GatewayResponseType::DEFAULT_5XX
    }
}

impl fmt::Display for GatewayResponseType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The gateway response in force for `response_type`: the custom one, else a custom `DEFAULT_4XX`/`DEFAULT_5XX`
/// (keeping the type's status code unless the default sets one), else AWS's default.
pub fn effective(definition: &ApiDefinition, response_type: GatewayResponseType) -> (u16, GatewayResponse) {
    let fallback_status = response_type
        .default_status()
        .unwrap_or(if response_type.is_5xx() { 500 } else { 400 });
    let status_of = |r: &GatewayResponse, default: u16| {
        r.status_code
            .as_deref()
            .and_then(|s| s.parse::<u16>().ok())
            .filter(|s| (100..=599).contains(s))
            .unwrap_or(default)
    };
    if let Some(custom) = definition.gateway_responses.get(&response_type) {
        return (status_of(custom, fallback_status), custom.clone());
    }
    let family = if response_type.is_5xx() {
        GatewayResponseType::DEFAULT_5XX
    } else {
        GatewayResponseType::DEFAULT_4XX
    };
    match definition.gateway_responses.get(&family) {
        Some(default) => (status_of(default, fallback_status), default.clone()),
        None => (fallback_status, GatewayResponse::default()),
    }
}

/// `$context.error.messageString`: the message as a quoted JSON string.
pub fn message_string(message: &str) -> String {
    serde_json::Value::String(message.to_string()).to_string()
}

/// The default template rendered for `message`: `{"message":"<message>"}`. This one template is rendered
/// here rather than by the VTL engine because its output is fixed by the message alone.
pub fn default_body(message: &str) -> String {
    format!("{{\"message\":{}}}", message_string(message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use GatewayResponseType::*;

    #[test]
    fn the_table_has_aws_default_status_codes() {
        let expected = [
            (ACCESS_DENIED, Some(403)),
            (API_CONFIGURATION_ERROR, Some(500)),
            (AUTHORIZER_CONFIGURATION_ERROR, Some(500)),
            (AUTHORIZER_FAILURE, Some(500)),
            (BAD_REQUEST_PARAMETERS, Some(400)),
            (BAD_REQUEST_BODY, Some(400)),
            (DEFAULT_4XX, None),
            (DEFAULT_5XX, None),
            (EXPIRED_TOKEN, Some(403)),
            (INTEGRATION_FAILURE, Some(504)),
            (INTEGRATION_TIMEOUT, Some(504)),
            (INVALID_API_KEY, Some(403)),
            (INVALID_SIGNATURE, Some(403)),
            (MISSING_AUTHENTICATION_TOKEN, Some(403)),
            (QUOTA_EXCEEDED, Some(429)),
            (REQUEST_TOO_LARGE, Some(413)),
            (RESOURCE_NOT_FOUND, Some(404)),
            (THROTTLED, Some(429)),
            (UNAUTHORIZED, Some(401)),
            (UNSUPPORTED_MEDIA_TYPE, Some(415)),
            (WAF_FILTERED, Some(403)),
        ];
        for (t, status) in expected {
            assert_eq!(t.default_status(), status, "{t}");
            assert_eq!(GatewayResponseType::parse(t.as_str()), Some(t));
        }
    }

    #[test]
    fn the_default_body_is_the_message_as_json() {
        assert_eq!(
            default_body("Missing Authentication Token"),
            "{\"message\":\"Missing Authentication Token\"}"
        );
        assert_eq!(default_body("a \"q\""), "{\"message\":\"a \\\"q\\\"\"}");
    }

    #[test]
    fn a_custom_default_4xx_covers_4xx_types_and_keeps_their_status() {
        let mut def = ApiDefinition::default();
        let custom = GatewayResponse {
            response_templates: [("application/json".to_string(), "{}".to_string())]
                .into_iter()
                .collect(),
            ..GatewayResponse::default()
        };
        def.gateway_responses.insert(DEFAULT_4XX, custom.clone());
        assert_eq!(effective(&def, MISSING_AUTHENTICATION_TOKEN), (403, custom));
        assert_eq!(effective(&def, INTEGRATION_FAILURE), (504, GatewayResponse::default()));
        let teapot = GatewayResponse {
            status_code: Some("418".into()),
            ..GatewayResponse::default()
        };
        def.gateway_responses
            .insert(MISSING_AUTHENTICATION_TOKEN, teapot.clone());
        assert_eq!(effective(&def, MISSING_AUTHENTICATION_TOKEN), (418, teapot));
    }
}
