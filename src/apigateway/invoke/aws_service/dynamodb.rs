//! DynamoDB through an `AWS` integration: `action/<Operation>` (`PutItem`, `GetItem`, `Query`, `Scan`,
//! `UpdateItem`, `DeleteItem`, and the other operations the simulated DynamoDB answers). The rendered request
//! template is the operation's JSON input, sent as DynamoDB's JSON 1.0 protocol does: `POST` to
//! `https://dynamodb.<region>.amazonaws.com/?Action=<Operation>` with `X-Amz-Target: DynamoDB_20120810.<Operation>`
//! (API Gateway's DynamoDB tutorial logs the endpoint request URI with `?Action=`; the target header is the JSON
//! protocol's, DynamoDB developer guide "Low-level API").
//!
//! The answer is DynamoDB's: 200 with the output JSON, or the error status with the protocol's error body
//! `{"__type":"com.amazonaws.dynamodb.v20120810#<Code>","message":"..."}`; the errors DynamoDB's front end raises
//! use the coral namespaces: `com.amazon.coral.validate#ValidationException` (`message`) and
//! `com.amazon.coral.service#AccessDeniedException` with `Message` (bodies as DynamoDB returns them, seen in SDK
//! debug output). A body that is not JSON is DynamoDB's `SerializationException`
//! (`{"__type":"com.amazon.coral.service#SerializationException"}`; AWS's exact body for this case is our reading).

use super::{endpoint_host, EndpointRequest, ServiceAnswer, ServiceApi, ServiceCall};
use crate::api::AwsError;
use crate::apigateway::invoke::NotSimulated;
use crate::cloud::Cloud;
use indexmap::IndexMap;
use serde_json::{json, Value as Json};

fn operation<'a>(call: &'a ServiceCall<'_>) -> Result<&'a str, NotSimulated> {
    match &call.uri.api {
        ServiceApi::Action(action) => Ok(action),
        ServiceApi::Path(path) => Err(NotSimulated(format!(
            "DynamoDB integration path/{path} (use action/<Operation>)"
        ))),
    }
}

/// The endpoint request: the `?Action=` URL and `X-Amz-Target`.
pub fn endpoint(call: &ServiceCall<'_>) -> Result<EndpointRequest, NotSimulated> {
    let operation = operation(call)?;
    let mut headers = IndexMap::new();
    headers.insert("X-Amz-Target".to_string(), format!("DynamoDB_20120810.{operation}"));
    Ok(EndpointRequest {
        url: format!("{}/?Action={operation}", endpoint_host("dynamodb", &call.uri.region)),
        headers,
    })
}

/// The error body of `error` in DynamoDB's JSON protocol (module docs).
pub fn error_body(error: &AwsError) -> String {
    match error.code.as_str() {
        "AccessDeniedException" => json!({
            "__type": "com.amazon.coral.service#AccessDeniedException",
            "Message": error.message,
        }),
        "ValidationException" => json!({
            "__type": "com.amazon.coral.validate#ValidationException",
            "message": error.message,
        }),
        code => {
            let mut body = json!({
                "__type": format!("com.amazonaws.dynamodb.v20120810#{code}"),
                "message": error.message,
            });
            if let (Some(Json::Object(extra)), Json::Object(out)) = (error.extra.as_deref(), &mut body) {
                out.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            body
        }
    }
    .to_string()
}

/// Sends the operation to the simulated DynamoDB as the role.
pub fn send(cloud: &mut Cloud, call: &ServiceCall<'_>) -> Result<ServiceAnswer, NotSimulated> {
    let operation = operation(call)?;
    let request_id = crate::js::sdk::request_id("dynamodb", &mut cloud.ids);
    let (status, body) = match serde_json::from_str::<Json>(&call.request.body) {
        Err(_) => (
            400,
            json!({"__type": "com.amazon.coral.service#SerializationException"}).to_string(),
        ),
        Ok(input) => match call.api(cloud, "dynamodb", operation, &input)? {
            Ok(output) => (200, output.to_string()),
            Err(error) => (error.status, error_body(&error)),
        },
    };
    let mut headers = IndexMap::new();
    headers.insert("Server".to_string(), "Server".to_string());
    headers.insert("Content-Type".to_string(), "application/x-amz-json-1.0".to_string());
    headers.insert("Connection".to_string(), "keep-alive".to_string());
    headers.insert("x-amzn-RequestId".to_string(), request_id);
    headers.insert("x-amz-crc32".to_string(), crc32(body.as_bytes()).to_string());
    Ok(ServiceAnswer { status, headers, body })
}

/// CRC-32 (IEEE 802.3, reflected, the checksum DynamoDB sends in `x-amz-crc32`).
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_is_the_ieee_checksum() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b"{}"), 2_745_614_147);
    }

    #[test]
    fn error_bodies_use_the_protocols_namespaces() {
        let denied = AwsError::client("AccessDeniedException", "User: x is not authorized");
        assert_eq!(
            error_body(&denied),
            r#"{"__type":"com.amazon.coral.service#AccessDeniedException","Message":"User: x is not authorized"}"#
        );
        let missing = AwsError::client("ResourceNotFoundException", "Requested resource not found");
        assert_eq!(
            error_body(&missing),
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}"#
        );
    }
}
