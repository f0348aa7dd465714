//! ListObjectsV2: keys in UTF-8 binary order, `Prefix`, `Delimiter` (rolling keys up into `CommonPrefixes`),
//! `MaxKeys` (default and maximum 1,000, counting keys and common prefixes), `StartAfter` and
//! `ContinuationToken` (ListObjectsV2 API reference).
//!
//! The continuation token is opaque in S3; here it is the base64 of the last key or prefix the page returned.

use super::{authorize, bucket_arn, errors, optional, required, S3};
use crate::api::{AwsError, Caller};
use crate::cloud::Cloud;
use crate::iam::RequestContext;
use base64::Engine;
use serde_json::{json, Map, Value as Json};

/// The most keys one page returns.
pub const MAX_KEYS: u64 = 1000;

fn max_keys(input: &Json) -> Result<u64, AwsError> {
    match input.get("MaxKeys") {
        None | Some(Json::Null) => Ok(MAX_KEYS),
        Some(Json::Number(n)) => match n.as_u64() {
            Some(n) => Ok(n.min(MAX_KEYS)),
            // S3's message for a negative max-keys (Error responses, InvalidArgument).
            None => Err(errors::invalid_argument(
                "Argument maxKeys must be an integer between 0 and 2147483647",
            )),
        },
        Some(_) => Err(errors::invalid_argument("MaxKeys must be a number")),
    }
}

/// ListObjectsV2: `{Bucket, Prefix?, Delimiter?, MaxKeys?, ContinuationToken?, StartAfter?, EncodingType?}` ->
/// `{IsTruncated, Contents?: [{Key, LastModified, ETag, Size, StorageClass}], Name, Prefix, Delimiter?, MaxKeys,
/// CommonPrefixes?: [{Prefix}], KeyCount, ContinuationToken?, NextContinuationToken?, StartAfter?}`;
/// `s3:ListBucket` on the bucket, with the `s3:prefix`, `s3:delimiter` and `s3:max-keys` condition keys
/// ("Actions, resources, and condition keys for Amazon S3").
///
/// Errors: `NoSuchBucket`, `AccessDenied`, `InvalidArgument` ("The continuation token provided is incorrect" for a
/// token this bucket did not give).
pub fn list_objects_v2(s3: &mut S3, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = required(input, "Bucket")?;
    let bucket = s3.bucket(name)?;
    let prefix = optional(input, "Prefix")?.unwrap_or("");
    let delimiter = optional(input, "Delimiter")?.filter(|d| !d.is_empty());
    let max_keys = max_keys(input)?;
    if let Some(encoding) = optional(input, "EncodingType")? {
        return Err(AwsError::not_simulated(format!(
            "ListObjectsV2 EncodingType {encoding}"
        )));
    }
    let mut context = RequestContext::new();
    context
        .set("s3:prefix", prefix)
        .set("s3:max-keys", max_keys.to_string());
    if let Some(d) = delimiter {
        context.set("s3:delimiter", d);
    }
    authorize(
        cloud,
        Some(bucket),
        caller,
        "s3:ListBucket",
        &bucket_arn(cloud, name),
        &context,
    )?;
    let token = optional(input, "ContinuationToken")?;
    let start_after = optional(input, "StartAfter")?;
    let after: Option<String> = match token {
        Some(t) => Some(
            base64::engine::general_purpose::STANDARD
                .decode(t)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| errors::invalid_argument("The continuation token provided is incorrect"))?,
        ),
        None => start_after.map(str::to_string),
    };
    let mut contents = Vec::new();
    let mut common: Vec<String> = Vec::new();
    let mut last_returned: Option<String> = None;
    let mut truncated = false;
    let range = match &after {
        Some(a) => bucket
            .objects
            .range::<str, _>((std::ops::Bound::Excluded(a.as_str()), std::ops::Bound::Unbounded)),
        None => bucket.objects.range::<str, _>(..),
    };
    for (key, object) in range {
        let Some(rest) = key.strip_prefix(prefix) else {
            if key.as_str() > prefix {
                break;
            }
            continue;
        };
        let rolled = delimiter.and_then(|d| rest.find(d).map(|i| format!("{prefix}{}", &rest[..i + d.len()])));
        if let Some(p) = &rolled {
            if common.last() == Some(p) {
                continue;
            }
            // A token pointing into a prefix's keys (the prefix the last page ended with) resumes after the whole
            // prefix; a StartAfter inside a prefix still lists that prefix.
            if token.is_some() && after.as_deref().is_some_and(|a| a.starts_with(p.as_str())) {
                continue;
            }
        }
        if (contents.len() + common.len()) as u64 >= max_keys {
            truncated = true;
            break;
        }
        match rolled {
            Some(p) => {
                last_returned = Some(p.clone());
                common.push(p);
            }
            None => {
                last_returned = Some(key.clone());
                contents.push(json!({
                    "Key": key,
                    "LastModified": object.last_modified_seconds(),
                    "ETag": object.etag,
                    "Size": object.body.len(),
                    "StorageClass": "STANDARD",
                }));
            }
        }
    }
    let mut out = Map::new();
    out.insert("IsTruncated".into(), json!(truncated));
    let key_count = contents.len() + common.len();
    if !contents.is_empty() {
        out.insert("Contents".into(), Json::Array(contents));
    }
    out.insert("Name".into(), json!(name));
    out.insert("Prefix".into(), json!(prefix));
    if let Some(d) = delimiter {
        out.insert("Delimiter".into(), json!(d));
    }
    out.insert("MaxKeys".into(), json!(max_keys));
    if !common.is_empty() {
        let prefixes: Vec<Json> = common.iter().map(|p| json!({ "Prefix": p })).collect();
        out.insert("CommonPrefixes".into(), Json::Array(prefixes));
    }
    out.insert("KeyCount".into(), json!(key_count));
    if let Some(t) = token {
        out.insert("ContinuationToken".into(), json!(t));
    }
    if truncated {
        if let Some(last) = last_returned {
            let next = base64::engine::general_purpose::STANDARD.encode(last.as_bytes());
            out.insert("NextContinuationToken".into(), json!(next));
        }
    }
    if let Some(s) = start_after {
        out.insert("StartAfter".into(), json!(s));
    }
    Ok(Json::Object(out))
}
