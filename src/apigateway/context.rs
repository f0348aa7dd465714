//! `$context`: the request's context variables, as mapping templates and parameter mappings see them.
//!
//! Source: "Variables for data transformations" / "$context Variables for data models, authorizers, mapping
//! templates, and CloudWatch access logging"
//! (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html).
//! `requestTime` is `dd/MMM/yyyy:HH:mm:ss +0000` and `requestTimeEpoch` milliseconds (same page). The caller
//! identity of an unsigned request has null fields except `sourceIp` and `userAgent`; the simulator's client is
//! `127.0.0.1`.

use serde_json::{json, Value as Json};

/// The ids AWS assigns to one request, drawn from the Cloud's seeded generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestIds {
    /// `x-amzn-RequestId` / `$context.requestId`: a UUID.
    pub request_id: String,
    /// `x-amz-apigw-id` / `$context.extendedRequestId`.
    pub extended_request_id: String,
    /// `X-Amzn-Trace-Id`: `Root=1-<8 hex time>-<24 hex>`.
    pub trace_id: String,
}

impl RequestIds {
    /// Fresh ids from `ids`, the trace id stamped with `now_millis`.
    pub fn draw(ids: &mut crate::cloud::IdGenerator, now_millis: u64) -> RequestIds {
        let request_id = uuid(ids);
        let extended_request_id = format!("{}=", ids.string(15, crate::cloud::MIXED_ALPHANUMERIC));
        let trace_id = format!(
            "Root=1-{:08x}-{}",
            now_millis / 1000,
            ids.string(24, b"0123456789abcdef")
        );
        RequestIds {
            request_id,
            extended_request_id,
            trace_id,
        }
    }
}

/// A version 4 UUID, lowercase and hyphenated, formatted without per-byte allocations.
fn uuid(ids: &mut crate::cloud::IdGenerator) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&ids.next_u64().to_le_bytes());
    bytes[8..].copy_from_slice(&ids.next_u64().to_le_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0x0f)] as char);
    }
    out
}

/// Everything `$context` is built from.
#[derive(Debug, Clone, Copy)]
pub struct ContextInput<'a> {
    /// The account id.
    pub account_id: &'a str,
    /// The region (for `domainName`).
    pub region: &'a str,
    /// The API id.
    pub api_id: &'a str,
    /// The stage name (`test-invoke-stage` in test invoke).
    pub stage: &'a str,
    /// The deployment id (empty in test invoke).
    pub deployment_id: &'a str,
    /// The ids of this request.
    pub ids: &'a RequestIds,
    /// The resource's id.
    pub resource_id: &'a str,
    /// The resource's path template, e.g. `/pets/{petId}`.
    pub resource_path: &'a str,
    /// The request's HTTP method.
    pub http_method: &'a str,
    /// The path as requested, with the stage prefix: `/test/pets/1`.
    pub path: &'a str,
    /// The request time, milliseconds since the epoch.
    pub now_millis: u64,
    /// The `User-Agent` header, if any.
    pub user_agent: Option<&'a str>,
}

/// `$context` as a JSON object.
pub fn context_json(input: &ContextInput<'_>) -> Json {
    let domain_name = format!("{}.execute-api.{}.amazonaws.com", input.api_id, input.region);
    json!({
        "accountId": input.account_id,
        "apiId": input.api_id,
        "deploymentId": input.deployment_id,
        "domainName": domain_name,
        "domainPrefix": input.api_id,
        "extendedRequestId": input.ids.extended_request_id,
        "httpMethod": input.http_method,
        "identity": {
            "accountId": null, "apiKey": null, "apiKeyId": null, "caller": null, "cognitoAuthenticationProvider": null,
            "cognitoAuthenticationType": null, "cognitoIdentityId": null, "cognitoIdentityPoolId": null,
            "principalOrgId": null, "sourceIp": "127.0.0.1", "user": null, "userAgent": input.user_agent,
            "userArn": null
        },
        "path": input.path,
        "protocol": "HTTP/1.1",
        "requestId": input.ids.request_id,
        "requestTime": request_time(input.now_millis),
        "requestTimeEpoch": input.now_millis,
        "resourceId": input.resource_id,
        "resourcePath": input.resource_path,
        "stage": input.stage,
    })
}

/// `dd/MMM/yyyy:HH:mm:ss +0000`, e.g. `01/Jan/2026:00:00:00 +0000`.
pub fn request_time(millis: u64) -> String {
    let format = time::macros::format_description!("[day]/[month repr:short]/[year]:[hour]:[minute]:[second] +0000");
    format_millis(millis, format)
}

/// Formats `millis` since the epoch with `format`, or an empty string for a time out of range.
pub fn format_millis(millis: u64, format: &[time::format_description::BorrowedFormatItem<'_>]) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(millis as i128 * 1_000_000)
        .ok()
        .and_then(|t| t.format(format).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_time_has_aws_format() {
        assert_eq!(request_time(1_767_225_600_000), "01/Jan/2026:00:00:00 +0000");
    }

    #[test]
    fn ids_are_shaped_like_aws_ids() {
        let mut g = crate::cloud::IdGenerator::from_seed(0);
        let ids = RequestIds::draw(&mut g, 1_767_225_600_000);
        assert_eq!(ids.request_id.len(), 36);
        let parts: Vec<usize> = ids.request_id.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12]);
        assert_eq!(&ids.request_id[14..15], "4");
        assert_eq!(ids.extended_request_id.len(), 16);
        assert!(ids.trace_id.starts_with("Root=1-6955b900-"), "{}", ids.trace_id);
    }
}
