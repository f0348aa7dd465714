//! Event notifications to Lambda: a bucket's `LambdaConfigurations` (event types, key prefix and suffix
//! filters) and the event record S3 sends, invoking the function asynchronously (`InvocationType::Event`,
//! lambda-facts section 5: S3 invokes asynchronously).
//!
//! Sources: "Event notification types and destinations", "Event message structure" and "Configuring event
//! notifications using object key name filtering" (S3 user guide); lambda-facts section 5 (the SAM sample events
//! use `eventVersion` 2.0, real events 2.1; keys are URL-encoded with spaces as `+`).

use super::bucket::Object;
use super::{bucket_arn, S3};
use crate::api::Caller;
use crate::cloud::Cloud;
use crate::lambda::invoke::InvocationType;
use crate::lambda::permissions::{allows_invoke, InvokeSource};
use serde_json::{json, Value as Json};

/// One `LambdaConfiguration`: which events of which keys invoke which function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LambdaConfiguration {
    /// The configuration's `Id` (the record's `configurationId`).
    pub id: String,
    /// The function's ARN.
    pub function_arn: String,
    /// Event types, e.g. `s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`.
    pub events: Vec<String>,
    /// The `prefix` filter rule's value, if any.
    pub prefix: Option<String>,
    /// The `suffix` filter rule's value, if any.
    pub suffix: Option<String>,
}

impl LambdaConfiguration {
    /// Whether an event named `event_name` (`ObjectCreated:Put`) on `key` matches: one of the event types equals
    /// `s3:<event_name>` or is its category's wildcard (`s3:ObjectCreated:*`), and the key starts with the prefix
    /// and ends with the suffix (filters are case-sensitive and match the key as stored).
    pub fn matches(&self, event_name: &str, key: &str) -> bool {
        let category = event_name.split(':').next().unwrap_or_default();
        let event_ok = self.events.iter().any(|e| {
            e.strip_prefix("s3:")
                .is_some_and(|e| e == event_name || e.strip_suffix(":*") == Some(category))
        });
        event_ok
            && self.prefix.as_deref().is_none_or(|p| key.starts_with(p))
            && self.suffix.as_deref().is_none_or(|s| key.ends_with(s))
    }

    /// A configuration from CloudFormation's `LambdaConfiguration` (`Event`, `Function`, `Filter.S3Key.Rules`)
    /// or the API's (`Events`, `LambdaFunctionArn`, `Filter.Key.FilterRules`, `Id`). `index` names
    /// configurations without an `Id` (CloudFormation generates one; the form is not documented, so the simulator
    /// uses the configuration's position).
    ///
    /// Errors: a missing function or event, or a filter rule other than `prefix` / `suffix`, with S3's
    /// `InvalidArgument` message.
    pub fn from_json(value: &Json, index: usize) -> Result<LambdaConfiguration, String> {
        let function_arn = value
            .get("Function")
            .or_else(|| value.get("LambdaFunctionArn"))
            .and_then(Json::as_str)
            .ok_or("a LambdaConfiguration needs a Function")?
            .to_string();
        let events: Vec<String> = match value.get("Event").or_else(|| value.get("Events")) {
            Some(Json::String(e)) => vec![e.clone()],
            Some(Json::Array(list)) => list.iter().filter_map(Json::as_str).map(str::to_string).collect(),
            _ => return Err("a LambdaConfiguration needs an Event".to_string()),
        };
        const KNOWN: [&str; 2] = ["s3:ObjectCreated:", "s3:ObjectRemoved:"];
        if let Some(other) = events.iter().find(|e| !KNOWN.iter().any(|k| e.starts_with(k))) {
            return Err(format!("not simulated: S3 event type {other}"));
        }
        let rules = value
            .pointer("/Filter/S3Key/Rules")
            .or_else(|| value.pointer("/Filter/Key/FilterRules"))
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default();
        let (mut prefix, mut suffix) = (None, None);
        for rule in rules {
            let name = rule.get("Name").and_then(Json::as_str).unwrap_or_default();
            let value = rule.get("Value").and_then(Json::as_str).unwrap_or_default().to_string();
            match name.to_ascii_lowercase().as_str() {
                "prefix" => prefix = Some(value),
                "suffix" => suffix = Some(value),
                // S3's message for an unknown rule name (PutBucketNotificationConfiguration, InvalidArgument).
                _ => return Err(format!("filter rule name must be either prefix or suffix: {name}")),
            }
        }
        let id = value
            .get("Id")
            .and_then(Json::as_str)
            .map_or_else(|| format!("LambdaConfiguration{}", index + 1), str::to_string);
        Ok(LambdaConfiguration {
            id,
            function_arn,
            events,
            prefix,
            suffix,
        })
    }
}

/// What happened to an object, for the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectEvent {
    /// `ObjectCreated:Put`, `ObjectCreated:Copy`, `ObjectRemoved:Delete`.
    pub name: String,
    /// The key as stored.
    pub key: String,
    /// Size and ETag (unquoted) of a created object; removals carry neither.
    pub object: Option<(usize, String)>,
}

impl ObjectEvent {
    /// `ObjectCreated:<how>` (`Put`, `Copy`) of `object` at `key`.
    pub fn created(how: &str, key: &str, object: &Object) -> ObjectEvent {
        ObjectEvent {
            name: format!("ObjectCreated:{how}"),
            key: key.to_string(),
            object: Some((object.body.len(), object.etag.trim_matches('"').to_string())),
        }
    }

    /// `ObjectRemoved:Delete` of `key` (an unversioned bucket: no delete marker).
    pub fn removed(key: &str) -> ObjectEvent {
        ObjectEvent {
            name: "ObjectRemoved:Delete".to_string(),
            key: key.to_string(),
            object: None,
        }
    }
}

/// The key as event records carry it: URL-encoded as HTML forms encode (spaces as `+`), slashes kept.
pub fn encode_key(key: &str) -> String {
    form_urlencoded::byte_serialize(key.as_bytes())
        .collect::<String>()
        .replace("%2F", "/")
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` for virtual milliseconds.
fn event_time(millis: u64) -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

/// The caller as the record's `userIdentity.principalId`: `AWS:<role id>:<session>` for a role session (the
/// `aws:userid` of the request with S3's `AWS:` prefix, as recorded events show), the account id for the root
/// user (not documented; the simulator's reading).
fn principal_id(cloud: &Cloud, caller: &Caller) -> String {
    let context = crate::iam::base_context(cloud, caller);
    let userid = context
        .get("aws:userid")
        .and_then(|v| v.values().first().map(|s| s.to_string()))
        .unwrap_or_default();
    if caller.role_arn.is_some() {
        format!("AWS:{userid}")
    } else {
        userid
    }
}

/// The record for `event` as `configuration` sends it, in the "Event message structure" shape. Ids
/// (`x-amz-request-id`, `x-amz-id-2`, `sequencer`, the owner's principal id) come from the seeded ids and the
/// virtual clock; `sourceIPAddress` is `127.0.0.1` (the caller's address is not simulated).
pub fn record(
    s3: &mut S3,
    cloud: &mut Cloud,
    caller: &Caller,
    bucket: &str,
    configuration: &LambdaConfiguration,
    event: &ObjectEvent,
) -> Json {
    let owner = s3
        .owner_principal_id
        .get_or_insert_with(|| format!("A{}", cloud.ids.string(13, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")))
        .clone();
    let now = cloud.clock.now_millis();
    s3.sequence += 1;
    let sequencer = format!("{:012X}{:06X}", now, s3.sequence & 0xFF_FFFF);
    let request_id = cloud.ids.string(16, b"0123456789ABCDEF");
    let id_2 = cloud
        .ids
        .string(76, b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    let mut object = json!({ "key": encode_key(&event.key) });
    if let Some((size, etag)) = &event.object {
        object["size"] = json!(size);
        object["eTag"] = json!(etag);
    }
    object["sequencer"] = json!(sequencer);
    json!({
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": cloud.region,
        "eventTime": event_time(now),
        "eventName": event.name,
        "userIdentity": { "principalId": principal_id(cloud, caller) },
        "requestParameters": { "sourceIPAddress": "127.0.0.1" },
        "responseElements": { "x-amz-request-id": request_id, "x-amz-id-2": id_2 },
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": configuration.id,
            "bucket": {
                "name": bucket,
                "ownerIdentity": { "principalId": owner },
                "arn": bucket_arn(cloud, bucket),
            },
            "object": object,
        }
    })
}

/// How many invocations one chain of S3 events may make: Lambda's recursive loop detection stops a chain that
/// has invoked functions about 16 times and drops the event ("Use Lambda recursive loop detection to prevent
/// infinite loops", Lambda developer guide; S3 is a supported source). Here the 17th nested invocation is dropped.
pub const MAX_CHAIN: u32 = 16;

/// Sends `event` to every matching configuration of `bucket`: one asynchronous invoke per configuration, each
/// with a one-record `{"Records": [...]}` payload, with S3 lent to the Cloud ([`Cloud::lend`]) so the function
/// may call S3. A function whose policy does not let `s3.amazonaws.com` invoke it from this bucket is not
/// invoked: S3 would have refused such a configuration when it was put ("Unable to validate the following
/// destination configurations"), which the simulator cannot check during a deploy ([`super::deploy`]).
pub fn notify(s3: &mut S3, cloud: &mut Cloud, caller: &Caller, bucket: &str, event: &ObjectEvent) {
    let configurations: Vec<LambdaConfiguration> = match s3.buckets.get(bucket) {
        Some(b) => b
            .lambda_configurations
            .iter()
            .filter(|c| c.matches(&event.name, &event.key))
            .cloned()
            .collect(),
        None => return,
    };
    for configuration in configurations {
        let payload = json!({ "Records": [record(s3, cloud, caller, bucket, &configuration, event)] }).to_string();
        let source_arn = bucket_arn(cloud, bucket);
        let account = cloud.account_id.clone();
        let allowed = cloud.service::<crate::lambda::Lambda>().is_some_and(|lambda| {
            allows_invoke(
                lambda,
                &configuration.function_arn,
                &InvokeSource {
                    principal: "s3.amazonaws.com",
                    source_arn: &source_arn,
                    source_account: &account,
                },
            )
        });
        if !allowed {
            continue;
        }
        if s3.chain_depth >= MAX_CHAIN {
            continue;
        }
        s3.chain_depth += 1;
        // The invocation's own failures are the function's (asynchronous: S3 does not see them).
        let _ = cloud.lend(s3, |cloud| {
            crate::lambda::invoke::invoke(cloud, &configuration.function_arn, InvocationType::Event, &payload)
        });
        s3.chain_depth -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(events: &[&str], prefix: Option<&str>, suffix: Option<&str>) -> LambdaConfiguration {
        LambdaConfiguration {
            id: "c".into(),
            function_arn: "f".into(),
            events: events.iter().map(|s| s.to_string()).collect(),
            prefix: prefix.map(str::to_string),
            suffix: suffix.map(str::to_string),
        }
    }

    #[test]
    fn events_and_filters_match() {
        let c = config(&["s3:ObjectCreated:*"], Some("uploads/"), Some(".jpg"));
        assert!(c.matches("ObjectCreated:Put", "uploads/a.jpg"));
        assert!(c.matches("ObjectCreated:Copy", "uploads/a.jpg"));
        assert!(!c.matches("ObjectRemoved:Delete", "uploads/a.jpg"));
        assert!(!c.matches("ObjectCreated:Put", "other/a.jpg"));
        assert!(!c.matches("ObjectCreated:Put", "uploads/a.JPG"));
        let d = config(&["s3:ObjectRemoved:Delete"], None, None);
        assert!(d.matches("ObjectRemoved:Delete", "x"));
        assert!(!d.matches("ObjectCreated:Put", "x"));
    }

    #[test]
    fn keys_are_url_encoded_with_plus_for_space() {
        assert_eq!(encode_key("my photos/a b+c.jpg"), "my+photos/a+b%2Bc.jpg");
        assert_eq!(encode_key("é"), "%C3%A9");
    }

    #[test]
    fn configurations_read_both_shapes() {
        let cfn = json!({"Event": "s3:ObjectCreated:*", "Function": "arn:f",
            "Filter": {"S3Key": {"Rules": [{"Name": "prefix", "Value": "in/"}, {"Name": "Suffix", "Value": ".txt"}]}}});
        let c = LambdaConfiguration::from_json(&cfn, 0).unwrap();
        assert_eq!(c.prefix.as_deref(), Some("in/"));
        assert_eq!(c.suffix.as_deref(), Some(".txt"));
        let api = json!({"Id": "x", "Events": ["s3:ObjectRemoved:*"], "LambdaFunctionArn": "arn:f",
            "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "p"}]}}});
        assert_eq!(LambdaConfiguration::from_json(&api, 0).unwrap().id, "x");
        let bad = json!({"Event": "s3:ObjectCreated:*", "Function": "f",
            "Filter": {"S3Key": {"Rules": [{"Name": "middle", "Value": "p"}]}}});
        assert!(LambdaConfiguration::from_json(&bad, 0).is_err());
        assert_eq!(event_time(1_767_225_600_123), "2026-01-01T00:00:00.123Z");
    }
}
