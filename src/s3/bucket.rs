//! Buckets: what a bucket holds, the bucket operations (CreateBucket, HeadBucket, DeleteBucket, ListBuckets) and
//! bucket policies (PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy).
//!
//! Sources: the operations' pages in the Amazon S3 API reference; "General purpose bucket naming rules" (S3 user
//! guide) for names.

use super::notification::LambdaConfiguration;
use super::website::WebsiteConfiguration;
use super::{authorize, authorized_bucket, bucket_arn, errors, required, S3};
use crate::api::{AwsError, Caller};
use crate::cloud::Cloud;
use crate::iam::{PolicyDocument, PolicyKind, RequestContext};
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;

/// One object: its bytes and the metadata S3 returns with them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    /// The data.
    pub body: Vec<u8>,
    /// `"<md5 hex>"`, quotes included: S3's ETag for an object uploaded in one part without SSE-KMS
    /// ("Checking object integrity", S3 user guide; Object API reference, ETag).
    pub etag: String,
    /// When it was written, virtual milliseconds since the epoch (S3 reports whole seconds).
    pub last_modified_millis: u64,
    /// `Content-Type`; `binary/octet-stream` when the upload gave none (PutObject API reference).
    pub content_type: String,
    /// User metadata (`x-amz-meta-*`), names lowercased as S3 returns them.
    pub metadata: BTreeMap<String, String>,
    /// The other stored headers given on upload (`CacheControl`, `ContentDisposition`, `ContentEncoding`,
    /// `ContentLanguage`, `WebsiteRedirectLocation`), by output member name.
    pub headers: BTreeMap<String, String>,
}

impl Object {
    /// An object holding `body`, its ETag computed from the bytes.
    pub fn new(body: Vec<u8>, now_millis: u64, content_type: Option<&str>) -> Object {
        Object {
            etag: etag(&body),
            body,
            last_modified_millis: now_millis,
            content_type: content_type.unwrap_or("binary/octet-stream").to_string(),
            metadata: BTreeMap::new(),
            headers: BTreeMap::new(),
        }
    }

    /// `LastModified` in whole epoch seconds (the HTTP date S3 sends has second precision).
    pub fn last_modified_seconds(&self) -> u64 {
        self.last_modified_millis / 1000
    }
}

/// The ETag of a single-part upload: the MD5 of the data in lowercase hex, in double quotes.
pub fn etag(body: &[u8]) -> String {
    use md5::{Digest, Md5};
    let digest = Md5::digest(body);
    let mut out = String::with_capacity(34);
    out.push('"');
    for byte in digest {
        out.push_str(&format!("{byte:02x}"));
    }
    out.push('"');
    out
}

/// A bucket policy: the text as given (GetBucketPolicy returns it) and its parsed form.
#[derive(Debug, Clone)]
pub struct BucketPolicy {
    /// The policy JSON as put.
    pub text: String,
    /// The parsed document IAM evaluates.
    pub document: PolicyDocument,
}

/// The bucket's Block Public Access settings that the simulator evaluates. New buckets have every setting on
/// (since April 2023: "Blocking public access to your Amazon S3 storage", S3 user guide).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicAccessBlock {
    /// `BlockPublicPolicy`: PutBucketPolicy refuses a public policy.
    pub block_public_policy: bool,
    /// `RestrictPublicBuckets`: a public policy grants anonymous and cross-account principals nothing.
    pub restrict_public_buckets: bool,
}

impl Default for PublicAccessBlock {
    fn default() -> Self {
        PublicAccessBlock {
            block_public_policy: true,
            restrict_public_buckets: true,
        }
    }
}

impl PublicAccessBlock {
    /// From `PublicAccessBlockConfiguration` (API or CloudFormation; booleans or `"true"`/`"false"`); an absent
    /// setting is off, as in the API.
    pub fn from_json(value: &Json) -> PublicAccessBlock {
        let flag = |name: &str| match value.get(name) {
            Some(Json::Bool(b)) => *b,
            Some(Json::String(s)) => s.eq_ignore_ascii_case("true"),
            _ => false,
        };
        PublicAccessBlock {
            block_public_policy: flag("BlockPublicPolicy"),
            restrict_public_buckets: flag("RestrictPublicBuckets"),
        }
    }
}

/// Whether a bucket policy is public: some `Allow` statement names the principal `*` (or `{"AWS": "*"}`)
/// without a condition. ("The meaning of public", S3 user guide, counts a statement with a wildcard principal
/// as public unless conditions pin it to fixed values; the simulator treats any condition as pinning, a
/// simplification.)
pub fn is_public_policy(policy: &Json) -> bool {
    let statements = match policy.get("Statement") {
        Some(Json::Array(list)) => list.iter().collect::<Vec<_>>(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    let wildcard = |p: &Json| match p {
        Json::String(s) => s == "*",
        Json::Array(list) => list.iter().any(|v| v.as_str() == Some("*")),
        _ => false,
    };
    statements.iter().any(|s| {
        s.get("Effect").and_then(Json::as_str) == Some("Allow")
            && s.get("Condition").is_none()
            && s.get("Principal")
                .is_some_and(|p| wildcard(p) || p.get("AWS").is_some_and(wildcard))
    })
}

/// One bucket.
#[derive(Debug, Clone)]
pub struct Bucket {
    /// The bucket's name.
    pub name: String,
    /// When it was created, virtual milliseconds.
    pub creation_millis: u64,
    /// Objects by key (a `BTreeMap`: listings are in UTF-8 binary order of keys, as S3's are).
    pub objects: BTreeMap<String, Object>,
    /// The bucket policy, if any.
    pub policy: Option<BucketPolicy>,
    /// The website configuration, if any.
    pub website: Option<WebsiteConfiguration>,
    /// Event notifications to Lambda functions.
    pub lambda_configurations: Vec<LambdaConfiguration>,
    /// Block Public Access.
    pub public_access_block: PublicAccessBlock,
}

impl Bucket {
    /// An empty bucket.
    pub fn new(name: &str, now_millis: u64) -> Bucket {
        Bucket {
            name: name.to_string(),
            creation_millis: now_millis,
            objects: BTreeMap::new(),
            policy: None,
            website: None,
            lambda_configurations: Vec::new(),
            public_access_block: PublicAccessBlock::default(),
        }
    }
}

/// Whether `name` follows the general purpose bucket naming rules: 3 to 63 characters of lowercase letters,
/// digits, dots and hyphens; beginning and ending with a letter or digit; no two adjacent dots; not formatted as
/// an IP address; not starting with `xn--`, `sthree-` or `amzn-s3-demo-`, not ending with `-s3alias`,
/// `--ol-s3`, `.mrap` or `--x-s3`.
pub fn valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let edge = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    (3..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'.' || *b == b'-')
        && edge(bytes.first())
        && edge(bytes.last())
        && !name.contains("..")
        && name.parse::<std::net::Ipv4Addr>().is_err()
        && !["xn--", "sthree-", "amzn-s3-demo-"].iter().any(|p| name.starts_with(p))
        && !["-s3alias", "--ol-s3", ".mrap", "--x-s3"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// Parses and stores `text` as `bucket`'s policy.
///
/// Errors: `MalformedPolicy` (400) with IAM's parser message for a document that does not parse as a
/// resource-based policy.
pub fn set_policy(bucket: &mut Bucket, text: &str) -> Result<(), AwsError> {
    let document = PolicyDocument::parse(&Json::String(text.to_string()), PolicyKind::Resource).map_err(|e| {
        if e.message().starts_with("not simulated") {
            e.to_aws_error()
        } else {
            errors::malformed_policy(e.message())
        }
    })?;
    bucket.policy = Some(BucketPolicy {
        text: text.to_string(),
        document,
    });
    Ok(())
}

/// CreateBucket: `{Bucket, CreateBucketConfiguration?}` -> `{Location}` (`/<bucket>` in us-east-1).
///
/// Errors: `InvalidBucketName`; `BucketAlreadyOwnedByYou` (409) outside us-east-1 (in us-east-1 S3 answers 200
/// for a bucket the account owns: CreateBucket API reference, Errors); `AccessDenied` without `s3:CreateBucket`.
pub fn create_bucket(s3: &mut S3, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = required(input, "Bucket")?;
    if let Some(constraint) = input
        .pointer("/CreateBucketConfiguration/LocationConstraint")
        .and_then(Json::as_str)
    {
        if constraint != cloud.region {
            return Err(AwsError::not_simulated(format!(
                "buckets in region {constraint} (the simulated account is in {})",
                cloud.region
            )));
        }
    }
    if !valid_name(name) {
        return Err(errors::invalid_bucket_name());
    }
    authorize(
        cloud,
        None,
        caller,
        "s3:CreateBucket",
        &bucket_arn(cloud, name),
        &RequestContext::new(),
    )?;
    let location = if cloud.region == "us-east-1" {
        format!("/{name}")
    } else {
        format!("http://{name}.s3.{}/", cloud.url_suffix())
    };
    if s3.buckets.contains_key(name) {
        if cloud.region == "us-east-1" {
            return Ok(json!({ "Location": location }));
        }
        return Err(errors::bucket_already_owned_by_you());
    }
    s3.buckets
        .insert(name.to_string(), Bucket::new(name, cloud.clock.now_millis()));
    Ok(json!({ "Location": location }))
}

/// HeadBucket: `{Bucket}` -> `{BucketRegion, AccessPointAlias: false}`; `s3:ListBucket` on the bucket
/// (HeadBucket API reference, Permissions).
pub fn head_bucket(s3: &mut S3, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    authorized_bucket(s3, cloud, caller, input, "s3:ListBucket")?;
    Ok(json!({ "BucketRegion": cloud.region, "AccessPointAlias": false }))
}

/// DeleteBucket: `{Bucket}` -> `{}` (204).
///
/// Errors: `NoSuchBucket`; `BucketNotEmpty` (409) while it holds objects; `AccessDenied` without
/// `s3:DeleteBucket`.
pub fn delete_bucket(s3: &mut S3, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let (name, bucket) = authorized_bucket(s3, cloud, caller, input, "s3:DeleteBucket")?;
    if !bucket.objects.is_empty() {
        return Err(errors::bucket_not_empty());
    }
    s3.buckets.remove(name);
    Ok(json!({}))
}

/// ListBuckets: `{}` -> `{Buckets: [{Name, CreationDate}], Owner: {ID}}`, in name order; `s3:ListAllMyBuckets`
/// on `*`. The owner's `DisplayName` is left out (S3 stopped returning it in 2025, ListBuckets API reference).
pub fn list_buckets(s3: &mut S3, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let _ = input;
    authorize(cloud, None, caller, "s3:ListAllMyBuckets", "*", &RequestContext::new())?;
    let owner = s3.owner_id(cloud);
    let buckets: Vec<Json> = s3
        .buckets
        .values()
        .map(|b| json!({ "Name": b.name, "CreationDate": b.creation_millis / 1000 }))
        .collect();
    Ok(json!({ "Buckets": buckets, "Owner": { "ID": owner } }))
}

/// PutBucketPolicy: `{Bucket, Policy}` -> `{}` (204); `s3:PutBucketPolicy`.
///
/// Errors: `NoSuchBucket`, `MalformedPolicy`, `AccessDenied`.
pub fn put_bucket_policy(s3: &mut S3, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = required(input, "Bucket")?;
    let text = required(input, "Policy")?;
    let bucket = s3.bucket(name)?;
    authorize(
        cloud,
        Some(bucket),
        caller,
        "s3:PutBucketPolicy",
        &bucket_arn(cloud, name),
        &RequestContext::new(),
    )?;
    let public = serde_json::from_str::<Json>(text).is_ok_and(|p| is_public_policy(&p));
    if public && bucket.public_access_block.block_public_policy {
        // The message S3 sends since 2024 when Block Public Access refuses a policy (IAM user guide, "Access
        // denied error messages", the S3 Block Public Access form).
        return Err(errors::access_denied(format!(
            "User: {} is not authorized to perform: s3:PutBucketPolicy on resource: \"{}\" because public policies are blocked by the BlockPublicPolicy block public access setting.",
            caller.principal_arn,
            bucket_arn(cloud, name)
        )));
    }
    set_policy(s3.bucket_mut(name)?, text)?;
    Ok(json!({}))
}

/// PutPublicAccessBlock: `{Bucket, PublicAccessBlockConfiguration}` -> `{}`; `s3:PutBucketPublicAccessBlock`.
pub fn put_public_access_block(
    s3: &mut S3,
    cloud: &mut Cloud,
    caller: &Caller,
    input: &Json,
) -> Result<Json, AwsError> {
    let (name, _) = authorized_bucket(s3, cloud, caller, input, "s3:PutBucketPublicAccessBlock")?;
    let config = input.get("PublicAccessBlockConfiguration").unwrap_or(&Json::Null);
    s3.bucket_mut(name)?.public_access_block = PublicAccessBlock::from_json(config);
    Ok(json!({}))
}

/// GetPublicAccessBlock: `{Bucket}` -> `{PublicAccessBlockConfiguration}` (the two settings the simulator
/// evaluates, and the ACL settings reported as on); `s3:GetBucketPublicAccessBlock`.
pub fn get_public_access_block(
    s3: &mut S3,
    cloud: &mut Cloud,
    caller: &Caller,
    input: &Json,
) -> Result<Json, AwsError> {
    let (_, bucket) = authorized_bucket(s3, cloud, caller, input, "s3:GetBucketPublicAccessBlock")?;
    let block = bucket.public_access_block;
    Ok(json!({ "PublicAccessBlockConfiguration": {
        "BlockPublicAcls": true,
        "IgnorePublicAcls": true,
        "BlockPublicPolicy": block.block_public_policy,
        "RestrictPublicBuckets": block.restrict_public_buckets,
    }}))
}

/// GetBucketPolicy: `{Bucket}` -> `{Policy}` (the text as put); `s3:GetBucketPolicy`.
///
/// Errors: `NoSuchBucket`, `NoSuchBucketPolicy`, `AccessDenied`.
pub fn get_bucket_policy(s3: &mut S3, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = required(input, "Bucket")?;
    let bucket = s3.bucket(name)?;
    authorize(
        cloud,
        Some(bucket),
        caller,
        "s3:GetBucketPolicy",
        &bucket_arn(cloud, name),
        &RequestContext::new(),
    )?;
    let policy = bucket.policy.as_ref().ok_or_else(errors::no_such_bucket_policy)?;
    Ok(json!({ "Policy": policy.text }))
}

/// DeleteBucketPolicy: `{Bucket}` -> `{}` (204); `s3:DeleteBucketPolicy`.
pub fn delete_bucket_policy(s3: &mut S3, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = required(input, "Bucket")?;
    let bucket = s3.bucket(name)?;
    authorize(
        cloud,
        Some(bucket),
        caller,
        "s3:DeleteBucketPolicy",
        &bucket_arn(cloud, name),
        &RequestContext::new(),
    )?;
    s3.bucket_mut(name)?.policy = None;
    Ok(json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_are_the_quoted_md5() {
        assert_eq!(etag(b""), "\"d41d8cd98f00b204e9800998ecf8427e\"");
        assert_eq!(etag(b"hello"), "\"5d41402abc4b2a76b9719d911017c592\"");
    }

    #[test]
    fn bucket_names_follow_the_rules() {
        for ok in ["abc", "my-bucket.example", "a1b2", &"a".repeat(63)] {
            assert!(valid_name(ok), "{ok}");
        }
        for bad in [
            "ab",
            "My-Bucket",
            "-abc",
            "abc-",
            "a..b",
            "192.168.5.4",
            "xn--abc",
            "abc-s3alias",
            "under_score",
            &"a".repeat(64),
        ] {
            assert!(!valid_name(bad), "{bad}");
        }
    }
}
