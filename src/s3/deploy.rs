//! Buckets and bucket policies from a stack: `AWS::S3::Bucket` (`BucketName`, `WebsiteConfiguration`,
//! `NotificationConfiguration.LambdaConfigurations`, `PublicAccessBlockConfiguration`) and
//! `AWS::S3::BucketPolicy` (`Bucket`, `PolicyDocument`). SAM's `S3` events arrive as `LambdaConfigurations`
//! already (`template::sam`).
//!
//! Sources: "AWS::S3::Bucket", "AWS::S3::Bucket WebsiteConfiguration", "AWS::S3::Bucket
//! NotificationConfiguration", "AWS::S3::BucketPolicy" (CloudFormation user guide). Errors are the texts
//! CloudFormation shows for the failed resource: `API: s3:PutBucketPolicy Access Denied` for a public policy on a bucket whose Block Public Access settings are
//! on (the default since April 2023).

use super::bucket::{is_public_policy, set_policy, Bucket, PublicAccessBlock};
use super::notification::LambdaConfiguration;
use super::website::WebsiteConfiguration;
use super::S3;
use crate::cloud::Cloud;
use crate::template::{Stack, StackResource, TemplateError};
use serde_json::Value as Json;

/// Creates the stack's buckets and bucket policies, in stack order.
///
/// Errors: the first resource S3 would refuse, located at it in the template.
pub fn deploy(s3: &mut S3, stack: &Stack, cloud: &mut Cloud) -> Result<(), TemplateError> {
    for resource in &stack.resources {
        let result = match resource.resource_type.as_str() {
            "AWS::S3::Bucket" => create_bucket(s3, resource, cloud),
            "AWS::S3::BucketPolicy" => put_policy(s3, resource),
            _ => Ok(()),
        };
        result.map_err(|message| TemplateError {
            file: stack.file_name.clone(),
            span: resource.span,
            logical_id: Some(resource.logical_id.clone()),
            message,
        })?;
    }
    Ok(())
}

fn create_bucket(s3: &mut S3, resource: &StackResource, cloud: &mut Cloud) -> Result<(), String> {
    let name = resource.physical_id.clone();
    if !super::bucket::valid_name(&name) {
        return Err(format!(
            "Bucket name should not contain uppercase characters or be invalid: {name}"
        ));
    }
    if s3.buckets.contains_key(&name) {
        return Err(format!("{name} already exists"));
    }
    let props = &resource.properties;
    let mut bucket = Bucket::new(&name, cloud.clock.now_millis());
    if let Some(config) = props.get("PublicAccessBlockConfiguration") {
        bucket.public_access_block = PublicAccessBlock::from_json(config);
    }
    if let Some(website) = props.get("WebsiteConfiguration") {
        bucket.website =
            Some(WebsiteConfiguration::from_json(website).map_err(|e| format!("{}: {}", e.code, e.message))?);
    }
    let configs = props
        .pointer("/NotificationConfiguration/LambdaConfigurations")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    for (index, config) in configs.iter().enumerate() {
        // S3 validates that it may invoke the function when the configuration is put; during a deploy the other
        // services are out of the Cloud, so the permission is checked at each delivery instead
        // (notification::notify invokes only functions whose policy allows it).
        bucket
            .lambda_configurations
            .push(LambdaConfiguration::from_json(config, index)?);
    }
    for other in [
        "NotificationConfiguration/QueueConfigurations",
        "NotificationConfiguration/TopicConfigurations",
    ] {
        if props.pointer(&format!("/{other}")).is_some() {
            return Err(format!("not simulated: S3 {}", other.replace('/', " ")));
        }
    }
    s3.buckets.insert(name, bucket);
    Ok(())
}

fn put_policy(s3: &mut S3, resource: &StackResource) -> Result<(), String> {
    let props = &resource.properties;
    let name = props
        .get("Bucket")
        .and_then(Json::as_str)
        .ok_or("an AWS::S3::BucketPolicy needs a Bucket")?;
    let document = props
        .get("PolicyDocument")
        .ok_or("an AWS::S3::BucketPolicy needs a PolicyDocument")?;
    let bucket = s3
        .buckets
        .get_mut(name)
        .ok_or_else(|| format!("not simulated: a policy for bucket {name}, which this stack does not create"))?;
    let text = match document {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    };
    let parsed: Json = serde_json::from_str(&text).unwrap_or(Json::Null);
    if is_public_policy(&parsed) && bucket.public_access_block.block_public_policy {
        return Err("API: s3:PutBucketPolicy Access Denied".to_string());
    }
    set_policy(bucket, &text).map_err(|e| format!("{}: {}", e.code, e.message))
}
