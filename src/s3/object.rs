//! The object operations: PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects, CopyObject.
//!
//! Sources: each operation's page in the Amazon S3 API reference. Every object is stored with the default
//! encryption (SSE-S3), so outputs carry `ServerSideEncryption: "AES256"` ("Setting default server-side encryption
//! behavior for Amazon S3 buckets": since January 5, 2023 all new uploads are encrypted).

use super::bucket::Object;
use super::{authorize, bucket_arn, conditional, errors, notification, object_arn, optional, range, required, S3};
use crate::api::{AwsError, Caller};
use crate::cloud::Cloud;
use crate::iam::RequestContext;
use base64::Engine;
use serde_json::{json, Map, Value as Json};
use std::collections::BTreeMap;

/// The longest key, in UTF-8 bytes ("Naming Amazon S3 objects", S3 user guide).
pub const MAX_KEY_BYTES: usize = 1024;
/// The most keys one DeleteObjects request names (DeleteObjects API reference).
pub const MAX_DELETE_KEYS: usize = 1000;

/// The stored headers an upload may set, by member name.
const STORED_HEADERS: [&str; 5] = [
    "CacheControl",
    "ContentDisposition",
    "ContentEncoding",
    "ContentLanguage",
    "WebsiteRedirectLocation",
];

/// The members the simulator refuses rather than ignores.
const NOT_SIMULATED: [&str; 7] = [
    "SSECustomerAlgorithm",
    "SSEKMSKeyId",
    "ObjectLockMode",
    "Tagging",
    "ACL",
    "VersionId",
    "ChecksumAlgorithm",
];

fn refuse_unsimulated(input: &Json) -> Result<(), AwsError> {
    for member in NOT_SIMULATED {
        if input.get(member).is_some_and(|v| !v.is_null()) {
            return Err(AwsError::not_simulated(format!("the S3 member {member}")));
        }
    }
    Ok(())
}

/// The key, checked for length: `KeyTooLongError` (400) "Your key is too long" past [`MAX_KEY_BYTES`] (Error
/// responses, List of error codes).
fn key(input: &Json) -> Result<&str, AwsError> {
    let key = required(input, "Key")?;
    if key.len() > MAX_KEY_BYTES {
        return Err(AwsError::client("KeyTooLongError", "Your key is too long"));
    }
    Ok(key)
}

/// The `Body` member: base64 text (the SDK bridge's encoding of a blob); absent means empty.
fn body(input: &Json) -> Result<Vec<u8>, AwsError> {
    match input.get("Body") {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(Json::String(text)) => base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|_| errors::invalid_argument("Body must be base64-encoded bytes")),
        Some(_) => Err(AwsError::not_simulated(
            "a streaming Body (give a string, a Buffer or a Uint8Array)",
        )),
    }
}

/// `Metadata`: a map of strings; names lowercased, as S3 stores `x-amz-meta-*` headers.
fn metadata(input: &Json) -> Result<BTreeMap<String, String>, AwsError> {
    match input.get("Metadata") {
        None | Some(Json::Null) => Ok(BTreeMap::new()),
        Some(Json::Object(map)) => map
            .iter()
            .map(|(k, v)| match v {
                Json::String(s) => Ok((k.to_ascii_lowercase(), s.clone())),
                _ => Err(errors::invalid_argument("Metadata values must be strings")),
            })
            .collect(),
        Some(_) => Err(errors::invalid_argument("Metadata must be a map of strings")),
    }
}

fn stored_headers(input: &Json) -> Result<BTreeMap<String, String>, AwsError> {
    let mut headers = BTreeMap::new();
    for member in STORED_HEADERS {
        if let Some(value) = optional(input, member)? {
            headers.insert(member.to_string(), value.to_string());
        }
    }
    Ok(headers)
}

/// PutObject: `{Bucket, Key, Body?, ContentType?, Metadata?, CacheControl?, ..., IfNoneMatch?: "*", IfMatch?}` ->
/// `{ETag, ServerSideEncryption}`; `s3:PutObject` on the object. A write replaces any object at the key and
/// sends the bucket's `s3:ObjectCreated:Put` notifications ([`notification`]).
///
/// Errors: `NoSuchBucket`, `AccessDenied`, `KeyTooLongError`; conditional writes: `PreconditionFailed` (412) for
/// `IfNoneMatch: "*"` on an existing key or an `IfMatch` that does not match, `NoSuchKey` for `IfMatch` on a
/// missing key (PutObject API reference, "Conditional writes").
pub fn put_object(s3: &mut S3, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    refuse_unsimulated(input)?;
    let name = required(input, "Bucket")?;
    let key = key(input)?;
    let bucket = s3.bucket(name)?;
    authorize(
        cloud,
        Some(bucket),
        caller,
        "s3:PutObject",
        &object_arn(cloud, name, key),
        &RequestContext::new(),
    )?;
    let existing = bucket.objects.get(key);
    match optional(input, "IfNoneMatch")? {
        Some("*") if existing.is_some() => return Err(errors::precondition_failed()),
        Some("*") | None => {}
        Some(_) => return Err(AwsError::not_simulated("IfNoneMatch on PutObject other than \"*\"")),
    }
    if let Some(tags) = optional(input, "IfMatch")? {
        let existing = existing.ok_or_else(errors::no_such_key)?;
        if tags.trim_matches('"') != existing.etag.trim_matches('"') {
            return Err(errors::precondition_failed());
        }
    }
    let mut object = Object::new(body(input)?, cloud.clock.now_millis(), optional(input, "ContentType")?);
    object.metadata = metadata(input)?;
    object.headers = stored_headers(input)?;
    let output = json!({ "ETag": object.etag, "ServerSideEncryption": "AES256" });
    let event = notification::ObjectEvent::created("Put", key, &object);
    s3.bucket_mut(name)?.objects.insert(key.to_string(), object);
    notification::notify(s3, cloud, caller, name, &event);
    Ok(output)
}

/// The members GetObject and HeadObject share: `{AcceptRanges, LastModified, ContentLength, ETag, ContentType,
/// ServerSideEncryption, Metadata, <stored headers>}`.
fn object_output(object: &Object, length: usize) -> Map<String, Json> {
    let mut out = Map::new();
    out.insert("AcceptRanges".into(), json!("bytes"));
    out.insert("LastModified".into(), json!(object.last_modified_seconds()));
    out.insert("ContentLength".into(), json!(length));
    out.insert("ETag".into(), json!(object.etag));
    for (member, value) in &object.headers {
        out.insert(member.clone(), json!(value));
    }
    out.insert("ContentType".into(), json!(object.content_type));
    out.insert("ServerSideEncryption".into(), json!("AES256"));
    out.insert("Metadata".into(), json!(object.metadata));
    out
}

/// GetObject (`with_body`) and HeadObject: `{Bucket, Key, Range?, IfMatch?, IfNoneMatch?, IfModifiedSince?,
/// IfUnmodifiedSince?}` -> the object's members ([`object_output`]) and, for GetObject, `Body` (base64); a
/// satisfiable `Range` gives the bytes asked for and `ContentRange: "bytes <first>-<last>/<size>"`.
/// `s3:GetObject` on the object.
///
/// Errors: `NoSuchBucket`; `NoSuchKey` (404) when the caller may `s3:ListBucket` the bucket, `AccessDenied`
/// ("Access Denied") otherwise (GetObject API reference, Permissions: "If you don't have the s3:ListBucket
/// permission, Amazon S3 returns an HTTP status code 403 Access Denied error"); `InvalidRange` (416);
/// `PreconditionFailed` (412); 304 ([`conditional`]). HeadObject's errors have no body ([`errors::for_head`]).
pub fn get_object(
    s3: &mut S3,
    cloud: &mut Cloud,
    caller: &Caller,
    input: &Json,
    with_body: bool,
) -> Result<Json, AwsError> {
    refuse_unsimulated(input)?;
    let name = required(input, "Bucket")?;
    let key = key(input)?;
    let bucket = s3.bucket(name)?;
    let context = RequestContext::new();
    authorize(
        cloud,
        Some(bucket),
        caller,
        "s3:GetObject",
        &object_arn(cloud, name, key),
        &context,
    )?;
    let Some(object) = bucket.objects.get(key) else {
        let listable = authorize(
            cloud,
            Some(bucket),
            caller,
            "s3:ListBucket",
            &bucket_arn(cloud, name),
            &context,
        );
        return Err(match listable {
            Ok(()) => errors::no_such_key(),
            // The message for this case is not documented beyond "403 Access Denied"; S3's generic text is used.
            Err(_) => errors::access_denied("Access Denied"),
        });
    };
    conditional::check(input, object)?;
    let size = object.body.len() as u64;
    let range = match optional(input, "Range")? {
        Some(header) => range::resolve(header, size)?,
        None => None,
    };
    let bytes: &[u8] = match range {
        Some((first, last)) => object.body.get(first as usize..=last as usize).unwrap_or_default(),
        None => &object.body,
    };
    let mut out = object_output(object, bytes.len());
    if let Some((first, last)) = range {
        out.insert("ContentRange".into(), json!(format!("bytes {first}-{last}/{size}")));
    }
    if with_body {
        out.insert(
            "Body".into(),
            json!(base64::engine::general_purpose::STANDARD.encode(bytes)),
        );
    }
    Ok(Json::Object(out))
}

/// DeleteObject: `{Bucket, Key}` -> `{}` (204), whether or not the key exists; `s3:DeleteObject`. Deleting an
/// existing object sends the bucket's `s3:ObjectRemoved:Delete` notifications.
///
/// Errors: `NoSuchBucket`, `AccessDenied`.
pub fn delete_object(s3: &mut S3, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    refuse_unsimulated(input)?;
    let name = required(input, "Bucket")?;
    let key = key(input)?;
    let bucket = s3.bucket(name)?;
    authorize(
        cloud,
        Some(bucket),
        caller,
        "s3:DeleteObject",
        &object_arn(cloud, name, key),
        &RequestContext::new(),
    )?;
    remove(s3, cloud, caller, name, key)?;
    Ok(json!({}))
}

fn remove(s3: &mut S3, cloud: &mut Cloud, caller: &Caller, bucket: &str, key: &str) -> Result<(), AwsError> {
    if s3.bucket_mut(bucket)?.objects.remove(key).is_some() {
        let event = notification::ObjectEvent::removed(key);
        notification::notify(s3, cloud, caller, bucket, &event);
    }
    Ok(())
}

/// DeleteObjects: `{Bucket, Delete: {Objects: [{Key}], Quiet?}}` -> `{Deleted: [{Key}], Errors: [{Key, Code,
/// Message}]}`; each key is authorized alone (`s3:DeleteObject`) and a refused key is an `AccessDenied` entry in
/// `Errors`, not a failed request. `Quiet` leaves out `Deleted`. Empty lists are absent, as the SDK shows them.
///
/// Errors: `NoSuchBucket`; `MalformedXML` (400) for no keys or more than [`MAX_DELETE_KEYS`] (DeleteObjects API
/// reference; message from Error responses: "The XML you provided was not well-formed or did not validate
/// against our published schema.").
pub fn delete_objects(s3: &mut S3, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = required(input, "Bucket")?;
    s3.bucket(name)?;
    let malformed = || {
        AwsError::client(
            "MalformedXML",
            "The XML you provided was not well-formed or did not validate against our published schema.",
        )
    };
    let objects = input
        .pointer("/Delete/Objects")
        .and_then(Json::as_array)
        .ok_or_else(malformed)?;
    if objects.is_empty() || objects.len() > MAX_DELETE_KEYS {
        return Err(malformed());
    }
    let quiet = input.pointer("/Delete/Quiet").and_then(Json::as_bool).unwrap_or(false);
    let (mut deleted, mut failed) = (Vec::new(), Vec::new());
    for entry in objects {
        let key = key(entry)?;
        if entry.get("VersionId").is_some_and(|v| !v.is_null()) {
            return Err(AwsError::not_simulated("the S3 member VersionId"));
        }
        let bucket = s3.bucket(name)?;
        let allowed = authorize(
            cloud,
            Some(bucket),
            caller,
            "s3:DeleteObject",
            &object_arn(cloud, name, key),
            &RequestContext::new(),
        );
        match allowed {
            Ok(()) => {
                remove(s3, cloud, caller, name, key)?;
                deleted.push(json!({ "Key": key }));
            }
            Err(_) => failed.push(json!({ "Key": key, "Code": "AccessDenied", "Message": "Access Denied" })),
        }
    }
    let mut out = Map::new();
    if !quiet && !deleted.is_empty() {
        out.insert("Deleted".into(), Json::Array(deleted));
    }
    if !failed.is_empty() {
        out.insert("Errors".into(), Json::Array(failed));
    }
    Ok(Json::Object(out))
}

/// `CopySource`: `bucket/key` or `/bucket/key`, URL-encoded (CopyObject API reference, x-amz-copy-source).
fn copy_source(input: &Json) -> Result<(String, String), AwsError> {
    let raw = required(input, "CopySource")?;
    if raw.contains("?versionId=") {
        return Err(AwsError::not_simulated("copying an object version"));
    }
    let decoded: String = form_urlencoded::parse(format!("x={}", raw.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let trimmed = decoded.strip_prefix('/').unwrap_or(&decoded);
    match trimmed.split_once('/') {
        Some((bucket, key)) if !bucket.is_empty() && !key.is_empty() => Ok((bucket.to_string(), key.to_string())),
        _ => Err(errors::invalid_argument("Invalid copy source object key")),
    }
}

/// CopyObject: `{Bucket, Key, CopySource, MetadataDirective?: COPY|REPLACE, ContentType?, Metadata?}` ->
/// `{CopyObjectResult: {ETag, LastModified}, ServerSideEncryption}`; `s3:GetObject` on the source and
/// `s3:PutObject` on the destination. `COPY` (the default) keeps the source's content type and metadata.
///
/// Errors: `NoSuchBucket` (either bucket), `NoSuchKey` (the source), `AccessDenied`; `InvalidRequest` for a copy
/// onto itself that changes nothing, with the CopyObject API reference's message.
pub fn copy_object(s3: &mut S3, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    refuse_unsimulated(input)?;
    let name = required(input, "Bucket")?;
    let key = key(input)?;
    let (source_bucket, source_key) = copy_source(input)?;
    let source = s3.bucket(&source_bucket)?;
    let context = RequestContext::new();
    let source_arn = object_arn(cloud, &source_bucket, &source_key);
    authorize(cloud, Some(source), caller, "s3:GetObject", &source_arn, &context)?;
    let original = source.objects.get(&source_key).ok_or_else(errors::no_such_key)?.clone();
    let destination = s3.bucket(name)?;
    authorize(
        cloud,
        Some(destination),
        caller,
        "s3:PutObject",
        &object_arn(cloud, name, key),
        &context,
    )?;
    let replace = match optional(input, "MetadataDirective")? {
        None | Some("COPY") => false,
        Some("REPLACE") => true,
        Some(other) => return Err(errors::invalid_argument(format!("Unknown metadata directive: {other}"))),
    };
    if !replace && source_bucket == name && source_key == key {
        return Err(AwsError::client(
            "InvalidRequest",
            "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        ));
    }
    let mut object = Object::new(original.body.clone(), cloud.clock.now_millis(), None);
    if replace {
        object.content_type = optional(input, "ContentType")?
            .unwrap_or("binary/octet-stream")
            .to_string();
        object.metadata = metadata(input)?;
        object.headers = stored_headers(input)?;
    } else {
        object.content_type = original.content_type.clone();
        object.metadata = original.metadata.clone();
        object.headers = original.headers.clone();
    }
    let output = json!({
        "CopyObjectResult": { "ETag": object.etag, "LastModified": object.last_modified_seconds() },
        "ServerSideEncryption": "AES256",
    });
    let event = notification::ObjectEvent::created("Copy", key, &object);
    s3.bucket_mut(name)?.objects.insert(key.to_string(), object);
    notification::notify(s3, cloud, caller, name, &event);
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_sources_are_url_decoded() {
        assert_eq!(
            copy_source(&json!({"CopySource": "/b/dir/a%20b.txt"})).unwrap(),
            ("b".to_string(), "dir/a b.txt".to_string())
        );
        assert_eq!(
            copy_source(&json!({"CopySource": "b/k+1"})).unwrap(),
            ("b".to_string(), "k+1".to_string())
        );
        assert!(copy_source(&json!({"CopySource": "b"})).is_err());
    }
}
