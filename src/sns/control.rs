//! Topic and subscription operations: CreateTopic, ListTopics, DeleteTopic, Subscribe, Unsubscribe,
//! ListSubscriptions, ListSubscriptionsByTopic (SNS API reference).

use super::topic::{Subscription, Topic};
use super::{authorize, errors, filter, required_str, topic_arn, Sns};
use crate::api::{AwsError, Caller};
use crate::cloud::Cloud;
use serde_json::{json, Value as Json};

/// Topic names: 1 to 256 alphanumerics, hyphens and underscores; FIFO topics end in `.fifo` (CreateTopic, `Name`).
fn valid_name(name: &str, fifo: bool) -> bool {
    let base = if fifo { name.strip_suffix(".fifo") } else { Some(name) };
    base.is_some_and(|b| {
        !b.is_empty() && name.len() <= 256 && b.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    })
}

fn flag(value: Option<&Json>) -> bool {
    match value {
        Some(Json::Bool(b)) => *b,
        Some(Json::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// Creates (or finds) a topic; shared by CreateTopic and deployment.
pub fn ensure_topic(sns: &mut Sns, cloud: &Cloud, name: &str, attributes: Option<&Json>) -> Result<String, AwsError> {
    let fifo = flag(attributes.and_then(|a| a.get("FifoTopic")));
    if !valid_name(name, fifo) {
        let what = if name.ends_with(".fifo") && !fifo {
            "Topic Name: Topic names ending in .fifo must be FIFO topics"
        } else {
            "Topic Name"
        };
        return Err(errors::invalid_parameter(what));
    }
    let arn = topic_arn(cloud, name);
    sns.topics.entry(arn.clone()).or_insert_with(|| Topic {
        arn: arn.clone(),
        name: name.to_string(),
        fifo,
        content_based_deduplication: flag(attributes.and_then(|a| a.get("ContentBasedDeduplication"))),
        sequence: 0,
    });
    Ok(arn)
}

/// `CreateTopic`: `{Name, Attributes?}` -> `{TopicArn}`; creating an existing topic answers its ARN.
pub fn create_topic(sns: &mut Sns, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let name = required_str(input, "Name")?;
    authorize(cloud, caller, "sns:CreateTopic", &topic_arn(cloud, name))?;
    let arn = ensure_topic(sns, cloud, name, input.get("Attributes"))?;
    Ok(json!({ "TopicArn": arn }))
}

/// `ListTopics` -> `{Topics: [{TopicArn}]}` in ARN order. IAM resource: `arn:...:sns:<region>:<account>:*`.
pub fn list_topics(sns: &mut Sns, cloud: &mut Cloud, caller: &Caller, _input: &Json) -> Result<Json, AwsError> {
    authorize(cloud, caller, "sns:ListTopics", &topic_arn(cloud, "*"))?;
    let topics: Vec<Json> = sns.topics.keys().map(|arn| json!({ "TopicArn": arn })).collect();
    Ok(json!({ "Topics": topics }))
}

/// `DeleteTopic`: `{TopicArn}` -> `{}`; its subscriptions go with it. Deleting a missing topic succeeds (the API
/// reference: "deleting a topic that does not exist does not result in an error").
pub fn delete_topic(sns: &mut Sns, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let arn = required_str(input, "TopicArn")?;
    authorize(cloud, caller, "sns:DeleteTopic", arn)?;
    sns.topics.remove(arn);
    sns.subscriptions.retain(|s| s.topic_arn != arn);
    Ok(json!({}))
}

/// Reads a subscription's attributes (`FilterPolicy`, `FilterPolicyScope`, `RawMessageDelivery`).
///
/// Errors: `Invalid parameter: FilterPolicy: <reason>`, or an unknown scope.
pub fn subscription_options(attributes: Option<&Json>) -> Result<(Option<Json>, bool, bool), AwsError> {
    let get = |k: &str| attributes.and_then(|a| a.get(k)).filter(|v| !v.is_null());
    let policy = match get("FilterPolicy") {
        None => None,
        Some(Json::String(s)) if s.is_empty() => None,
        Some(Json::String(s)) => Some(
            serde_json::from_str::<Json>(s)
                .map_err(|_| errors::invalid_parameter("FilterPolicy: failed to parse JSON."))?,
        ),
        Some(other) => Some(other.clone()),
    };
    if let Some(p) = &policy {
        filter::validate(p).map_err(|reason| errors::invalid_parameter(&format!("FilterPolicy: {reason}")))?;
    }
    let on_body = match get("FilterPolicyScope").and_then(Json::as_str) {
        None | Some("MessageAttributes") => false,
        Some("MessageBody") => true,
        Some(_) => {
            return Err(errors::invalid_parameter(
                "Attributes Reason: FilterPolicyScope: Invalid value",
            ))
        }
    };
    Ok((policy, on_body, flag(get("RawMessageDelivery"))))
}

/// Adds a confirmed subscription; shared by Subscribe and deployment. `arn` is given by deployment (the
/// resource's physical id), drawn otherwise.
pub fn add_subscription(
    sns: &mut Sns,
    cloud: &mut Cloud,
    topic: &str,
    protocol: &str,
    endpoint: &str,
    attributes: Option<&Json>,
    arn: Option<String>,
) -> Result<String, AwsError> {
    if !sns.topics.contains_key(topic) {
        return Err(errors::topic_not_found());
    }
    if !matches!(protocol, "sqs" | "lambda") {
        return Err(AwsError::not_simulated(format!(
            "SNS subscriptions with protocol {protocol}"
        )));
    }
    let (filter_policy, filter_on_body, raw) = subscription_options(attributes)?;
    let arn = arn.unwrap_or_else(|| format!("{topic}:{}", cloud.ids.uuid()));
    sns.subscriptions.push(Subscription {
        arn: arn.clone(),
        topic_arn: topic.to_string(),
        protocol: protocol.to_string(),
        endpoint: endpoint.to_string(),
        filter_policy,
        filter_on_body,
        raw,
        owner: cloud.account_id.clone(),
    });
    Ok(arn)
}

/// `Subscribe`: `{TopicArn, Protocol, Endpoint, Attributes?}` -> `{SubscriptionArn}`. `sqs` and `lambda`
/// subscriptions in the same account are confirmed at once. Subscribing the same endpoint again answers the
/// existing subscription.
pub fn subscribe(sns: &mut Sns, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let topic = required_str(input, "TopicArn")?;
    authorize(cloud, caller, "sns:Subscribe", topic)?;
    let protocol = required_str(input, "Protocol")?;
    let endpoint = required_str(input, "Endpoint")?;
    if let Some(existing) = sns
        .subscriptions
        .iter()
        .find(|s| s.topic_arn == topic && s.protocol == protocol && s.endpoint == endpoint)
    {
        return Ok(json!({ "SubscriptionArn": existing.arn }));
    }
    let arn = add_subscription(sns, cloud, topic, protocol, endpoint, input.get("Attributes"), None)?;
    Ok(json!({ "SubscriptionArn": arn }))
}

/// `Unsubscribe`: `{SubscriptionArn}` -> `{}`.
pub fn unsubscribe(sns: &mut Sns, cloud: &mut Cloud, caller: &Caller, input: &Json) -> Result<Json, AwsError> {
    let arn = required_str(input, "SubscriptionArn")?;
    let topic = sns
        .subscriptions
        .iter()
        .find(|s| s.arn == arn)
        .map(|s| s.topic_arn.clone())
        .ok_or_else(errors::subscription_not_found)?;
    authorize(cloud, caller, "sns:Unsubscribe", &topic)?;
    sns.subscriptions.retain(|s| s.arn != arn);
    Ok(json!({}))
}

/// `ListSubscriptions` / `ListSubscriptionsByTopic` -> `{Subscriptions: [{SubscriptionArn, Owner, Protocol,
/// Endpoint, TopicArn}]}`.
pub fn list_subscriptions(
    sns: &mut Sns,
    cloud: &mut Cloud,
    caller: &Caller,
    _input: &Json,
    topic: Option<&str>,
) -> Result<Json, AwsError> {
    match topic {
        Some(t) => {
            authorize(cloud, caller, "sns:ListSubscriptionsByTopic", t)?;
            if !sns.topics.contains_key(t) {
                return Err(errors::topic_not_found());
            }
        }
        None => authorize(cloud, caller, "sns:ListSubscriptions", &topic_arn(cloud, "*"))?,
    }
    let list: Vec<Json> = sns
        .subscriptions
        .iter()
        .filter(|s| topic.is_none_or(|t| s.topic_arn == t))
        .map(|s| {
            json!({"SubscriptionArn": s.arn, "Owner": s.owner, "Protocol": s.protocol, "Endpoint": s.endpoint,
                   "TopicArn": s.topic_arn})
        })
        .collect();
    Ok(json!({ "Subscriptions": list }))
}
