//! Queue policies (the `Policy` attribute, `AWS::SQS::QueuePolicy`): the resource-based policy that lets another
//! service send to a queue. An SNS subscription delivers to a queue only when the queue's policy allows
//! `sqs:SendMessage` for `sns.amazonaws.com` (usually with an `aws:SourceArn` condition naming the topic):
//! "Subscribing an Amazon SQS queue to an Amazon SNS topic" (SNS developer guide, step 2: "Give permission to the
//! Amazon SNS topic to send messages to the Amazon SQS queue"). The evaluation is IAM's
//! ([`crate::iam::evaluate::evaluate_resource_policy`]).

use super::queue::Queue;
use crate::iam::context::RequestContext;
use crate::iam::evaluate::{evaluate_resource_policy, Principal};
use crate::iam::Decision;
use serde_json::Value as Json;

/// Whether `queue`'s policy allows the service principal `service` (`sns.amazonaws.com`) to perform `action`
/// (`sqs:SendMessage`) on the queue from `source_arn` in `source_account`. No policy (or one that does not parse)
/// allows nothing.
pub fn allows_service(queue: &Queue, service: &str, action: &str, source_arn: &str, source_account: &str) -> bool {
    let Some(policy) = queue
        .config
        .policy
        .as_deref()
        .and_then(|p| serde_json::from_str::<Json>(p).ok())
    else {
        return false;
    };
    let context = RequestContext::new()
        .with("aws:SourceArn", source_arn)
        .with("aws:SourceAccount", source_account);
    evaluate_resource_policy(&policy, &Principal::service(service), action, &queue.arn, &context) == Decision::Allow
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sqs::queue::QueueConfig;
    use serde_json::json;

    fn queue(policy: Option<Json>) -> Queue {
        Queue {
            name: "q".into(),
            url: "https://sqs.us-east-1.amazonaws.com/123456789012/q".into(),
            arn: "arn:aws:sqs:us-east-1:123456789012:q".into(),
            config: QueueConfig {
                policy: policy.map(|p| p.to_string()),
                ..QueueConfig::default()
            },
            created_ms: 0,
            modified_ms: 0,
            messages: Vec::new(),
            deduplication: Default::default(),
            sequence: 0,
            tags: Default::default(),
        }
    }

    #[test]
    fn a_topic_may_send_only_when_the_policy_says_so() {
        let topic = "arn:aws:sns:us-east-1:123456789012:t";
        let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
            "Resource": "arn:aws:sqs:us-east-1:123456789012:q",
            "Condition": {"ArnEquals": {"aws:SourceArn": topic}}}]});
        let q = queue(Some(policy));
        assert!(allows_service(
            &q,
            "sns.amazonaws.com",
            "sqs:SendMessage",
            topic,
            "123456789012"
        ));
        assert!(!allows_service(
            &q,
            "sns.amazonaws.com",
            "sqs:SendMessage",
            "arn:aws:sns:us-east-1:123456789012:other",
            "123456789012"
        ));
        assert!(!allows_service(
            &queue(None),
            "sns.amazonaws.com",
            "sqs:SendMessage",
            topic,
            "123456789012"
        ));
    }
}
