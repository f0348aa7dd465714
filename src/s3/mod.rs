//! S3: buckets and objects, bucket policies, static website hosting and event notifications, answering the S3 API
//! ([`crate::Cloud::call`] with signing name `s3`) with AWS's shapes, error codes and messages.
//!
//! The call's JSON is the SDK's input and output shapes (the members of `PutObjectCommandInput`,
//! `GetObjectCommandOutput`, ...), with blobs (`Body`) in base64 and timestamps (`LastModified`, `CreationDate`)
//! in epoch seconds, the contract of `src/js/sdk/services.js`.
//!
//! Modules, one concept each: [`errors`], [`bucket`] (buckets, their operations and policies), [`object`] (the
//! object operations), [`range`] (the `Range` header), [`conditional`] (`If-Match` and friends), [`list`]
//! (ListObjectsV2), [`website`] (static website hosting), [`notification`] (event notifications to Lambda),
//! [`deploy`] (buckets from templates).
//!
//! Not simulated (answered loudly): versioning, multipart uploads, ACLs, tagging, CORS, checksums, encryption
//! other than the default SSE-S3, other regions' location constraints.

pub mod bucket;
pub mod conditional;
pub mod deploy;
pub mod errors;
pub mod list;
pub mod notification;
pub mod object;
pub mod range;
pub mod website;

use crate::api::{ApiRequest, AwsError, Caller};
use crate::cloud::{Cloud, Service};
use crate::iam::{Decision, RequestContext};
use crate::template::{Stack, TemplateError};
use bucket::Bucket;
use serde_json::Value as Json;
use std::any::Any;
use std::collections::BTreeMap;

/// The S3 service of one account: its buckets by name.
#[derive(Debug, Default)]
pub struct S3 {
    /// Buckets by name (a `BTreeMap`: ListBuckets answers in name order, as S3 does).
    pub buckets: BTreeMap<String, Bucket>,
    /// The account's canonical user id (64 hex digits), drawn from the seeded ids when first needed.
    pub owner_id: Option<String>,
    /// The owner's principal id in event records (`A` and 13 capitals or digits), drawn when first needed.
    pub owner_principal_id: Option<String>,
    /// Events sent so far: the low digits of each record's `sequencer`, which grows per event.
    pub sequence: u64,
    /// How many notifications deep the current call is (a function writing to the bucket that invokes it).
    pub chain_depth: u32,
}

/// `arn:<partition>:s3:::<bucket>`: bucket ARNs have no region and no account (S3 user guide, "Policy resources
/// for Amazon S3").
pub fn bucket_arn(cloud: &Cloud, bucket: &str) -> String {
    format!("arn:{}:s3:::{bucket}", cloud.partition())
}

/// `arn:<partition>:s3:::<bucket>/<key>`, the object's ARN (same source).
pub fn object_arn(cloud: &Cloud, bucket: &str, key: &str) -> String {
    format!("arn:{}:s3:::{bucket}/{key}", cloud.partition())
}

/// The bucket an operation on a bucket's own settings names (`input.Bucket`), once `caller` may perform `action`
/// on `arn:aws:s3:::<bucket>` with no condition keys (the bucket's policy taking part).
///
/// Errors: no `Bucket` member, `NoSuchBucket`, or [`authorize`]'s `AccessDenied`.
pub fn authorized_bucket<'s, 'i>(
    s3: &'s S3,
    cloud: &Cloud,
    caller: &Caller,
    input: &'i Json,
    action: &str,
) -> Result<(&'i str, &'s bucket::Bucket), AwsError> {
    let name = required(input, "Bucket")?;
    let bucket = s3.bucket(name)?;
    authorize(
        cloud,
        Some(bucket),
        caller,
        action,
        &bucket_arn(cloud, name),
        &RequestContext::new(),
    )?;
    Ok((name, bucket))
}

/// Asks IAM whether `caller` may perform `action` (`s3:GetObject`) on `resource` (an S3 ARN), with the bucket's
/// policy as the resource-based policy (a bucket policy can grant a principal of the account access that its
/// role's policies do not: "Policy evaluation logic", IAM user guide, same-account requests) and `context`'s S3
/// condition keys (`s3:prefix`, ...).
///
/// A denial is S3's `AccessDenied` (403) with the message IAM's "Access denied error messages" page gives and S3
/// has sent since 2023 for requests within one account: `User: <principal> is not authorized to perform:
/// s3:GetObject on resource: "arn:aws:s3:::bucket/key" because no identity-based policy allows the s3:GetObject
/// action` (S3 quotes the resource; see [`crate::iam::denial_message_for`]).
pub fn authorize(
    cloud: &Cloud,
    bucket: Option<&Bucket>,
    caller: &Caller,
    action: &str,
    resource: &str,
    context: &RequestContext,
) -> Result<(), AwsError> {
    let policy = bucket.and_then(|b| b.policy.as_ref()).map(|p| &p.document);
    let outcome = crate::iam::authorize_request(cloud, caller, action, resource, context, policy);
    match outcome.decision {
        Decision::Allow => Ok(()),
        decision => Err(errors::access_denied(crate::iam::denial_message_for(
            caller,
            action,
            &format!("\"{resource}\""),
            decision,
            outcome.policy_type,
        ))),
    }
}

/// A required string member (`Bucket`, `Key`). The v3 SDK refuses a missing HTTP label before sending, with
/// `No value provided for input HTTP label: <member>.` (smithy's request path resolution); it is reported here as
/// a 400 with that message.
pub fn required<'a>(input: &'a Json, member: &str) -> Result<&'a str, AwsError> {
    match input.get(member) {
        Some(Json::String(s)) if !s.is_empty() => Ok(s),
        Some(Json::String(_)) | None | Some(Json::Null) => Err(AwsError::client(
            "InvalidRequest",
            format!("No value provided for input HTTP label: {member}."),
        )),
        Some(_) => Err(errors::invalid_argument(format!("{member} must be a string"))),
    }
}

/// An optional string member.
pub fn optional<'a>(input: &'a Json, member: &str) -> Result<Option<&'a str>, AwsError> {
    match input.get(member) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s)),
        Some(_) => Err(errors::invalid_argument(format!("{member} must be a string"))),
    }
}

impl S3 {
    /// The bucket named `name`, or `NoSuchBucket`.
    pub fn bucket(&self, name: &str) -> Result<&Bucket, AwsError> {
        self.buckets.get(name).ok_or_else(errors::no_such_bucket)
    }

    /// The bucket named `name`, mutably, or `NoSuchBucket`.
    pub fn bucket_mut(&mut self, name: &str) -> Result<&mut Bucket, AwsError> {
        self.buckets.get_mut(name).ok_or_else(errors::no_such_bucket)
    }

    /// The account's canonical user id, drawn once from the seeded ids.
    pub fn owner_id(&mut self, cloud: &mut Cloud) -> String {
        self.owner_id
            .get_or_insert_with(|| cloud.ids.string(64, b"0123456789abcdef"))
            .clone()
    }

    /// Answers one S3 operation (`request.operation`) with its JSON output.
    pub fn handle(&mut self, request: &ApiRequest<'_>, cloud: &mut Cloud) -> Result<Json, AwsError> {
        let input = request.input;
        if !input.is_object() {
            return Err(errors::invalid_argument("the input must be a JSON object"));
        }
        let caller = request.caller;
        match request.operation {
            "CreateBucket" => bucket::create_bucket(self, cloud, caller, input),
            "HeadBucket" => bucket::head_bucket(self, cloud, caller, input).map_err(errors::for_head),
            "DeleteBucket" => bucket::delete_bucket(self, cloud, caller, input),
            "ListBuckets" => bucket::list_buckets(self, cloud, caller, input),
            "PutBucketPolicy" => bucket::put_bucket_policy(self, cloud, caller, input),
            "GetBucketPolicy" => bucket::get_bucket_policy(self, cloud, caller, input),
            "DeleteBucketPolicy" => bucket::delete_bucket_policy(self, cloud, caller, input),
            "PutPublicAccessBlock" => bucket::put_public_access_block(self, cloud, caller, input),
            "GetPublicAccessBlock" => bucket::get_public_access_block(self, cloud, caller, input),
            "PutBucketWebsite" => website::put_bucket_website(self, cloud, caller, input),
            "GetBucketWebsite" => website::get_bucket_website(self, cloud, caller, input),
            "DeleteBucketWebsite" => website::delete_bucket_website(self, cloud, caller, input),
            "PutObject" => object::put_object(self, cloud, caller, input),
            "GetObject" => object::get_object(self, cloud, caller, input, true),
            "HeadObject" => object::get_object(self, cloud, caller, input, false).map_err(errors::for_head),
            "DeleteObject" => object::delete_object(self, cloud, caller, input),
            "DeleteObjects" => object::delete_objects(self, cloud, caller, input),
            "CopyObject" => object::copy_object(self, cloud, caller, input),
            "ListObjectsV2" => list::list_objects_v2(self, cloud, caller, input),
            other => Err(AwsError::not_simulated(format!("the S3 operation {other}"))),
        }
    }
}

impl Service for S3 {
    fn name(&self) -> &'static str {
        "S3"
    }

    fn resource_types(&self) -> &'static [&'static str] {
        &["AWS::S3::Bucket", "AWS::S3::BucketPolicy"]
    }

    fn deploy(&mut self, stack: &Stack, cloud: &mut Cloud) -> Result<(), TemplateError> {
        deploy::deploy(self, stack, cloud)
    }

    fn signing_name(&self) -> Option<&'static str> {
        Some("s3")
    }

    fn call(&mut self, request: &ApiRequest<'_>, cloud: &mut Cloud) -> Result<Json, AwsError> {
        self.handle(request, cloud)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call(cloud: &mut Cloud, operation: &str, input: Json) -> Result<Json, AwsError> {
        let caller = Caller::root(&cloud.account_id.clone());
        cloud.call(&ApiRequest {
            service: "s3",
            operation,
            input: &input,
            caller: &caller,
        })
    }

    #[test]
    fn bad_input_is_answered_with_s3_errors_not_panics() {
        let mut cloud = Cloud::default();
        call(&mut cloud, "CreateBucket", json!({"Bucket": "odd-bucket"})).unwrap();
        let odd_key = "ü/\u{0}/../%2F?#\\ \t\n😀".repeat(10);
        call(
            &mut cloud,
            "PutObject",
            json!({"Bucket": "odd-bucket", "Key": odd_key, "Body": "AAEC"}),
        )
        .unwrap();
        let got = call(&mut cloud, "GetObject", json!({"Bucket": "odd-bucket", "Key": odd_key})).unwrap();
        assert_eq!(got["Body"], json!("AAEC"));
        let code = |r: Result<Json, AwsError>| r.map_err(|e| e.code).err();
        let long = "k".repeat(1025);
        for (operation, input, expected) in [
            (
                "PutObject",
                json!({"Bucket": "odd-bucket", "Key": long}),
                "KeyTooLongError",
            ),
            (
                "PutObject",
                json!({"Bucket": "odd-bucket", "Key": "k", "Body": "not base64!"}),
                "InvalidArgument",
            ),
            ("PutObject", json!({"Bucket": 7, "Key": "k"}), "InvalidArgument"),
            ("PutObject", json!({"Bucket": "odd-bucket"}), "InvalidRequest"),
            (
                "PutObject",
                json!({"Bucket": "odd-bucket", "Key": "k", "Metadata": [1]}),
                "InvalidArgument",
            ),
            (
                "GetObject",
                json!({"Bucket": "odd-bucket", "Key": odd_key, "Range": "bytes=999999999999999999999-"}),
                "InvalidRange",
            ),
            (
                "ListObjectsV2",
                json!({"Bucket": "odd-bucket", "MaxKeys": -1}),
                "InvalidArgument",
            ),
            (
                "ListObjectsV2",
                json!({"Bucket": "odd-bucket", "ContinuationToken": "%%%"}),
                "InvalidArgument",
            ),
            (
                "DeleteObjects",
                json!({"Bucket": "odd-bucket", "Delete": {"Objects": []}}),
                "MalformedXML",
            ),
            (
                "PutBucketPolicy",
                json!({"Bucket": "odd-bucket", "Policy": "{not json"}),
                "MalformedPolicy",
            ),
            (
                "CopyObject",
                json!({"Bucket": "odd-bucket", "Key": "k", "CopySource": "%"}),
                "InvalidArgument",
            ),
            (
                "PutBucketWebsite",
                json!({"Bucket": "odd-bucket", "WebsiteConfiguration": {"IndexDocument": {"Suffix": "a/b"}}}),
                "InvalidArgument",
            ),
            ("SelectObjectContent", json!({}), "NotSimulated"),
            ("GetObject", json!("a string"), "InvalidArgument"),
        ] {
            assert_eq!(
                code(call(&mut cloud, operation, input)).as_deref(),
                Some(expected),
                "{operation}"
            );
        }
    }
}
