//! Topics and subscriptions as SNS stores them (SNS API reference: CreateTopic, Subscribe,
//! GetSubscriptionAttributes).

use serde_json::Value as Json;

/// A topic.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    /// `TopicArn`: `arn:<partition>:sns:<region>:<account>:<name>`.
    pub arn: String,
    /// The topic name.
    pub name: String,
    /// `FifoTopic`.
    pub fifo: bool,
    /// `ContentBasedDeduplication` (FIFO topics).
    pub content_based_deduplication: bool,
    /// The last FIFO sequence number given.
    pub sequence: u64,
}

/// A confirmed subscription (`sqs` and `lambda` subscriptions need no confirmation: "Subscribe", API reference).
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    /// `SubscriptionArn`: the topic ARN, `:`, a UUID.
    pub arn: String,
    /// `TopicArn`.
    pub topic_arn: String,
    /// `Protocol`: `sqs` or `lambda`.
    pub protocol: String,
    /// `Endpoint`: the queue or function ARN.
    pub endpoint: String,
    /// `FilterPolicy`, parsed.
    pub filter_policy: Option<Json>,
    /// `FilterPolicyScope`: `MessageAttributes` (default) or `MessageBody`.
    pub filter_on_body: bool,
    /// `RawMessageDelivery`.
    pub raw: bool,
    /// The account that owns it.
    pub owner: String,
}
