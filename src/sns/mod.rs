//! SNS: topics, subscriptions of SQS queues and Lambda functions with filter policies, and `Publish` delivering
//! to them, answering the SNS API ([`crate::Cloud::call`] with signing name `sns`) with SNS's shapes and errors
//! (SNS API reference; "Amazon SNS message filtering", "Fanout to Lambda functions", "Amazon SNS message and
//! JSON formats", SNS developer guide).
//!
//! Modules: [`errors`], [`topic`] (model), [`filter`] (filter policies), [`control`] (CreateTopic, ListTopics,
//! DeleteTopic, Subscribe, Unsubscribe, ListSubscriptions(ByTopic)), [`publish`] (Publish, PublishBatch),
//! [`delivery`] (the SQS envelope and the Lambda event record), [`deploy`] (`AWS::SNS::Topic`,
//! `AWS::SNS::Subscription`).
//!
//! Not simulated (answered loudly): protocols other than `sqs` and `lambda`, topic attributes, tags, data
//! protection, delivery retries and delivery status logging. Delivery is immediate, in subscription order.

pub mod control;
pub mod delivery;
pub mod deploy;
pub mod errors;
pub mod filter;
pub mod publish;
pub mod topic;

use crate::api::{ApiRequest, AwsError, Caller};
use crate::cloud::{Cloud, Service};
use crate::iam::Decision;
use crate::template::{Stack, TemplateError};
use serde_json::Value as Json;
use std::any::Any;
use std::collections::BTreeMap;
use topic::{Subscription, Topic};

/// The SNS service of one account and region.
#[derive(Debug, Default)]
pub struct Sns {
    /// Topics by ARN.
    pub topics: BTreeMap<String, Topic>,
    /// Subscriptions in creation order.
    pub subscriptions: Vec<Subscription>,
}

/// The ARN of topic `name`.
pub fn topic_arn(cloud: &Cloud, name: &str) -> String {
    format!(
        "arn:{}:sns:{}:{}:{name}",
        cloud.partition(),
        cloud.region,
        cloud.account_id
    )
}

/// Asks IAM whether `caller` may perform `action` (`sns:Publish`) on `resource`; anything but Allow is SNS's
/// `AuthorizationError` naming the action with SNS's upper-case prefix (`SNS:Publish`).
pub fn authorize(cloud: &Cloud, caller: &Caller, action: &str, resource: &str) -> Result<(), AwsError> {
    match crate::iam::authorize(cloud, caller, action, resource) {
        Decision::Allow => Ok(()),
        decision => {
            let shown = action.replacen("sns:", "SNS:", 1);
            Err(errors::authorization_error(crate::iam::denial_message(
                caller, &shown, resource, decision,
            )))
        }
    }
}

/// A required string member, or `InvalidParameter` naming it.
pub fn required_str<'a>(input: &'a Json, member: &str) -> Result<&'a str, AwsError> {
    input
        .get(member)
        .and_then(Json::as_str)
        .ok_or_else(|| errors::invalid_parameter(member))
}

impl Sns {
    /// Answers one SNS API operation with its JSON output.
    pub fn handle(&mut self, request: &ApiRequest<'_>, cloud: &mut Cloud) -> Result<Json, AwsError> {
        let (input, caller) = (request.input, request.caller);
        match request.operation {
            "CreateTopic" => control::create_topic(self, cloud, caller, input),
            "ListTopics" => control::list_topics(self, cloud, caller, input),
            "DeleteTopic" => control::delete_topic(self, cloud, caller, input),
            "Subscribe" => control::subscribe(self, cloud, caller, input),
            "Unsubscribe" => control::unsubscribe(self, cloud, caller, input),
            "ListSubscriptions" => control::list_subscriptions(self, cloud, caller, input, None),
            "ListSubscriptionsByTopic" => {
                let topic = required_str(input, "TopicArn")?.to_string();
                control::list_subscriptions(self, cloud, caller, input, Some(&topic))
            }
            "Publish" => publish::publish(self, cloud, caller, input),
            "PublishBatch" => publish::publish_batch(self, cloud, caller, input),
            other => Err(AwsError::not_simulated(format!("the SNS operation {other}"))),
        }
    }
}

impl Service for Sns {
    fn name(&self) -> &'static str {
        "SNS"
    }

    fn resource_types(&self) -> &'static [&'static str] {
        &["AWS::SNS::Topic", "AWS::SNS::Subscription"]
    }

    fn deploy(&mut self, stack: &Stack, cloud: &mut Cloud) -> Result<(), TemplateError> {
        deploy::deploy(self, stack, cloud)
    }

    fn signing_name(&self) -> Option<&'static str> {
        Some("sns")
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
