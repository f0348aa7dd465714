//! S3 through an `AWS` integration: `path/<bucket>/<key>` (usually `path/{bucket}/{key}` with
//! `requestParameters` mapping `integration.request.path.bucket` / `.key` from the method's path parameters),
//! with the integration's `httpMethod`: `GET` is GetObject, `PUT` PutObject (the request body, the mapped
//! `Content-Type`), `DELETE` DeleteObject (source: "Tutorial: Create a REST API as an Amazon S3 proxy").
//!
//! The answer is S3's REST answer: GET 200 with the object's bytes and `Content-Type`, PUT 200 with an empty body
//! and the `ETag`, DELETE 204; errors as S3's XML error document (S3 API reference "Error responses": `<Error>`
//! with `Code`, `Message`, the resource element some codes carry (`Key` for `NoSuchKey`, `BucketName` for
//! `NoSuchBucket`), `RequestId`, `HostId`). The endpoint URL is the regional path-style URL
//! `https://s3.<region>.amazonaws.com/<bucket>/<key>` (our reading: API Gateway does not document the host it
//! logs for S3). Objects whose bytes are not UTF-8 are not simulated here (binary media types are not simulated).

use super::{endpoint_host, xml_escape, EndpointRequest, ServiceAnswer, ServiceApi, ServiceCall};
use crate::api::AwsError;
use crate::apigateway::invoke::NotSimulated;
use crate::cloud::Cloud;
use base64::Engine as _;
use indexmap::IndexMap;
use serde_json::{json, Value as Json};

/// The bucket and key of the URI's path.
fn bucket_and_key(call: &ServiceCall<'_>) -> Result<(String, String), NotSimulated> {
    let ServiceApi::Path(path) = &call.uri.api else {
        return Err(NotSimulated(
            "S3 integration action/... (use path/{bucket}/{key})".into(),
        ));
    };
    match path.split_once('/') {
        Some((bucket, key)) if !bucket.is_empty() && !key.is_empty() => Ok((bucket.to_string(), key.to_string())),
        _ => Err(NotSimulated(format!(
            "S3 integration path/{path} (only object paths path/<bucket>/<key> are simulated)"
        ))),
    }
}

fn operation(call: &ServiceCall<'_>) -> Result<&'static str, NotSimulated> {
    match call
        .integration
        .http_method
        .as_deref()
        .unwrap_or("GET")
        .to_ascii_uppercase()
        .as_str()
    {
        "GET" => Ok("GetObject"),
        "PUT" => Ok("PutObject"),
        "DELETE" => Ok("DeleteObject"),
        other => Err(NotSimulated(format!(
            "S3 integration httpMethod {other} (simulated: GET, PUT, DELETE on objects)"
        ))),
    }
}

/// The endpoint request: the path-style object URL.
pub fn endpoint(call: &ServiceCall<'_>) -> Result<EndpointRequest, NotSimulated> {
    let (bucket, key) = bucket_and_key(call)?;
    operation(call)?;
    Ok(EndpointRequest {
        url: format!("{}/{bucket}/{key}", endpoint_host("s3", &call.uri.region)),
        headers: IndexMap::new(),
    })
}

/// Sends the object operation to the simulated S3 as the role.
pub fn send(cloud: &mut Cloud, call: &ServiceCall<'_>) -> Result<ServiceAnswer, NotSimulated> {
    let (bucket, key) = bucket_and_key(call)?;
    let operation = operation(call)?;
    let mut input = json!({"Bucket": bucket, "Key": key});
    if operation == "PutObject" {
        input["Body"] = json!(base64::engine::general_purpose::STANDARD.encode(&call.request.body));
        if let Some(content_type) = call.header("Content-Type") {
            input["ContentType"] = json!(content_type);
        }
    }
    let request_id = crate::js::sdk::request_id("s3", &mut cloud.ids);
    let host_id =
        base64::engine::general_purpose::STANDARD.encode(cloud.ids.string(57, crate::cloud::MIXED_ALPHANUMERIC));
    let mut headers = IndexMap::new();
    headers.insert("x-amz-id-2".to_string(), host_id.clone());
    headers.insert("x-amz-request-id".to_string(), request_id.clone());
    let (status, body) = match call.api(cloud, "s3", operation, &input)? {
        Ok(output) => success(operation, &output, &mut headers)?,
        Err(error) => {
            headers.insert("Content-Type".to_string(), "application/xml".to_string());
            (error.status, error_body(&error, &bucket, &key, &request_id, &host_id))
        }
    };
    headers.insert("Server".to_string(), "AmazonS3".to_string());
    Ok(ServiceAnswer { status, headers, body })
}

fn success(
    operation: &str,
    output: &Json,
    headers: &mut IndexMap<String, String>,
) -> Result<(u16, String), NotSimulated> {
    let text = |name: &str| output.get(name).and_then(Json::as_str).map(str::to_string);
    if let Some(etag) = text("ETag") {
        headers.insert("ETag".to_string(), etag);
    }
    match operation {
        "GetObject" => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text("Body").unwrap_or_default())
                .unwrap_or_default();
            let body = String::from_utf8(bytes).map_err(|_| {
                NotSimulated("an S3 object whose bytes are not UTF-8 through an AWS integration".into())
            })?;
            headers.insert(
                "Content-Type".to_string(),
                text("ContentType").unwrap_or_else(|| "binary/octet-stream".to_string()),
            );
            Ok((200, body))
        }
        "DeleteObject" => Ok((204, String::new())),
        _ => Ok((200, String::new())),
    }
}

/// S3's XML error document for `error` (module docs).
pub fn error_body(error: &AwsError, bucket: &str, key: &str, request_id: &str, host_id: &str) -> String {
    let resource = match error.code.as_str() {
        "NoSuchKey" => format!("<Key>{}</Key>", xml_escape(key)),
        "NoSuchBucket" => format!("<BucketName>{}</BucketName>", xml_escape(bucket)),
        _ => String::new(),
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message>{resource}<RequestId>{request_id}</RequestId><HostId>{host_id}</HostId></Error>",
        xml_escape(&error.code),
        xml_escape(&error.message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_keys_name_the_key() {
        let error = crate::s3::errors::no_such_key();
        assert_eq!(
            error_body(&error, "b", "a&b.txt", "R", "H"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a&amp;b.txt</Key><RequestId>R</RequestId><HostId>H</HostId></Error>"
        );
    }
}
