//! The digests SQS returns: `MD5OfMessageBody` (the hex MD5 of the body's UTF-8 bytes),
//! `MD5OfMessageAttributes` (the hex MD5 of the attributes encoded as the SQS developer guide describes in
//! "Calculating the MD5 message digest for message attributes"), and the SHA-256 content-based deduplication id
//! of FIFO queues ("Using the message deduplication ID": the SHA-256 hash of the body, hex).

use super::errors;
use crate::api::AwsError;
use base64::Engine;
use md5::{Digest, Md5};
use serde_json::Value as Json;

/// The lowercase hex MD5 of `bytes`.
pub fn md5_hex(bytes: &[u8]) -> String {
    hex(&Md5::digest(bytes))
}

/// The lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&sha2::Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `MD5OfMessageAttributes` of a `MessageAttributes` map (`{name: {DataType, StringValue | BinaryValue}}`, the
/// binary value base64 as the JSON protocol carries it): for each attribute in name order, the 4-byte big-endian
/// length and UTF-8 bytes of the name, of the data type, then one transport byte (1 for String and Number types,
/// 2 for Binary types) and the length and bytes of the value. `None` when there are no attributes.
///
/// Errors: an attribute without a value, or a binary value that is not base64 (`InvalidParameterValue`).
pub fn message_attributes_md5(attributes: &Json) -> Result<Option<String>, AwsError> {
    let Some(map) = attributes.as_object().filter(|m| !m.is_empty()) else {
        return Ok(None);
    };
    let mut names: Vec<&String> = map.keys().collect();
    names.sort();
    let mut buffer = Vec::new();
    for name in names {
        let value = &map[name];
        let data_type = value.get("DataType").and_then(Json::as_str).unwrap_or_default();
        push(&mut buffer, name.as_bytes());
        push(&mut buffer, data_type.as_bytes());
        if data_type.starts_with("Binary") {
            let text = value.get("BinaryValue").and_then(Json::as_str).unwrap_or_default();
            let bytes = base64::engine::general_purpose::STANDARD.decode(text).map_err(|_| {
                errors::invalid_parameter(format!("The message attribute '{name}' has an invalid binary value."))
            })?;
            buffer.push(2);
            push(&mut buffer, &bytes);
        } else {
            let text = value.get("StringValue").and_then(Json::as_str).unwrap_or_default();
            buffer.push(1);
            push(&mut buffer, text.as_bytes());
        }
    }
    Ok(Some(md5_hex(&buffer)))
}

fn push(buffer: &mut Vec<u8>, bytes: &[u8]) {
    buffer.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    buffer.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn body_digest_is_the_md5_of_the_text() {
        // `echo -n "Hello from SQS!" | md5sum`
        assert_eq!(md5_hex(b"hello"), "5d41402abc4b2a76b9719d911017c592");
    }

    #[test]
    fn attribute_digest_follows_the_documented_encoding() {
        // Values answered by moto 5.2.1, which implements the same documented algorithm.
        let one = json!({"City": {"DataType": "String", "StringValue": "Any City"}});
        assert_eq!(
            message_attributes_md5(&one).unwrap().as_deref(),
            Some("0c32cb5c844c01fbd5b6b434b52cf670")
        );
        let two = json!({"N": {"DataType": "Number", "StringValue": "3"},
                         "City": {"DataType": "String", "StringValue": "Any City"}});
        assert_eq!(
            message_attributes_md5(&two).unwrap().as_deref(),
            Some("7c3d9058d40377d766ee251afda245f2")
        );
        assert_eq!(message_attributes_md5(&json!({})).unwrap(), None);
    }

    #[test]
    fn content_deduplication_uses_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
