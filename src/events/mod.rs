//! EventBridge scheduled rules: `AWS::Events::Rule` with a `ScheduleExpression` and Lambda targets, fired on the
//! virtual clock by [`advance`].
//!
//! Sources: CloudFormation `AWS::Events::Rule` reference (`Name`, `ScheduleExpression`, `State` ENABLED or
//! DISABLED, `Targets` with `Arn`, `Id`, `Input`: constant JSON text); EventBridge user guide, "Amazon EventBridge
//! events" / scheduled events: the event a schedule sends is `{"version":"0","id":...,"detail-type":"Scheduled
//! Event","source":"aws.events","account":...,"time":"<scheduled time, ISO 8601 UTC, no milliseconds>","region":
//! ...,"resources":["<rule ARN>"],"detail":{}}`; a target's `Input` replaces that event. EventBridge invokes a
//! Lambda target asynchronously, and only when the function's resource-based policy allows
//! `events.amazonaws.com` from the rule's ARN (EventBridge user guide, "Using resource-based policies for
//! Amazon EventBridge"); a refused invocation counts as a failed invocation and nothing runs.

pub mod schedule;

use crate::cloud::{Cloud, Service};
use crate::lambda::invoke::InvocationType;
use crate::lambda::permissions::{allows_invoke, InvokeSource};
use crate::lambda::Lambda;
use crate::template::{Stack, StackResource, TemplateError};
use schedule::Schedule;
use serde_json::{json, Value as Json};
use std::any::Any;

/// A rule's Lambda target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The target's `Id`.
    pub id: String,
    /// The function's ARN.
    pub arn: String,
    /// `Input`: constant JSON text sent instead of the scheduled event.
    pub input: Option<String>,
}

/// One scheduled rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The rule's name.
    pub name: String,
    /// `arn:aws:events:<region>:<account>:rule/<name>`.
    pub arn: String,
    /// The parsed `ScheduleExpression`.
    pub schedule: Schedule,
    /// `State: ENABLED` (the default) or `DISABLED`.
    pub enabled: bool,
    /// Its targets.
    pub targets: Vec<Target>,
    /// When it was created (virtual ms).
    pub created_ms: u64,
    /// When it fires next (virtual ms), `None` when never.
    pub next_ms: Option<u64>,
}

/// One delivery of a scheduled event to a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Firing {
    /// The rule's name.
    pub rule: String,
    /// The target function's ARN.
    pub target: String,
    /// The scheduled time (virtual ms).
    pub scheduled_ms: u64,
    /// The event sent (JSON text).
    pub payload: String,
    /// Whether Lambda accepted it: `false` when the function's policy refused EventBridge or the invoke failed
    /// (EventBridge's `FailedInvocations`).
    pub delivered: bool,
}

/// Most firings kept in [`Events::firings`].
pub const MAX_FIRINGS: usize = 10_000;

/// The EventBridge service: scheduled rules.
#[derive(Debug, Default)]
pub struct Events {
    /// Rules in deployment order.
    pub rules: Vec<Rule>,
    /// Deliveries made, oldest first (at most [`MAX_FIRINGS`]).
    pub firings: Vec<Firing>,
}

impl Service for Events {
    fn name(&self) -> &'static str {
        "EventBridge"
    }

    fn resource_types(&self) -> &'static [&'static str] {
        &["AWS::Events::Rule"]
    }

    fn deploy(&mut self, stack: &Stack, cloud: &mut Cloud) -> Result<(), TemplateError> {
        for resource in stack
            .resources
            .iter()
            .filter(|r| r.resource_type == "AWS::Events::Rule")
        {
            let fail = |message: String| TemplateError {
                file: stack.file_name.clone(),
                span: resource.span,
                logical_id: Some(resource.logical_id.clone()),
                message,
            };
            let rule = rule_from(resource, cloud.clock.now_millis()).map_err(fail)?;
            self.rules.push(rule);
        }
        Ok(())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A rule from its resource. Errors: an invalid `ScheduleExpression` (AWS's text), or a feature not simulated
/// (event patterns, non-Lambda targets, input transformers).
fn rule_from(resource: &StackResource, now_ms: u64) -> Result<Rule, String> {
    let props = &resource.properties;
    if props.get("EventPattern").is_some() {
        return Err("not simulated: EventBridge event patterns (only ScheduleExpression rules)".to_string());
    }
    let Some(expression) = props.get("ScheduleExpression") else {
        return Err("not simulated: an AWS::Events::Rule without ScheduleExpression".to_string());
    };
    let schedule = schedule::parse(expression.as_str().unwrap_or_default())?;
    let enabled = match props.get("State").map(|s| s.as_str()) {
        None | Some(Some("ENABLED")) => true,
        Some(Some("DISABLED")) => false,
        Some(other) => {
            return Err(format!(
                "not simulated: rule State {}",
                other.unwrap_or("(not a string)")
            ))
        }
    };
    if props.get("EventBusName").is_some_and(|b| b != "default") {
        return Err("not simulated: schedules on a custom event bus".to_string());
    }
    let mut targets = Vec::new();
    for target in props.get("Targets").and_then(Json::as_array).into_iter().flatten() {
        targets.push(target_from(target)?);
    }
    Ok(Rule {
        name: resource.physical_id.clone(),
        arn: resource
            .attributes
            .get("Arn")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string(),
        next_ms: schedule.next_after(now_ms, now_ms),
        schedule,
        enabled,
        targets,
        created_ms: now_ms,
    })
}

fn target_from(target: &Json) -> Result<Target, String> {
    for unsupported in [
        "InputPath",
        "InputTransformer",
        "RoleArn",
        "DeadLetterConfig",
        "RetryPolicy",
    ] {
        if target.get(unsupported).is_some() {
            return Err(format!("not simulated: rule target {unsupported}"));
        }
    }
    let arn = target.get("Arn").and_then(Json::as_str).unwrap_or_default();
    if !arn.contains(":lambda:") || !arn.contains(":function:") {
        return Err(format!("not simulated: rule target {arn} (only Lambda functions)"));
    }
    let input = match target.get("Input") {
        None => None,
        Some(Json::String(text)) => {
            // CloudFormation: Input is "valid JSON text passed to the target".
            if serde_json::from_str::<Json>(text).is_err() {
                return Err(format!("Input {text} is not valid JSON"));
            }
            Some(text.clone())
        }
        Some(_) => return Err("not simulated: a rule target Input that is not a JSON string".to_string()),
    };
    Ok(Target {
        id: target.get("Id").and_then(Json::as_str).unwrap_or_default().to_string(),
        arn: arn.to_string(),
        input,
    })
}

/// The scheduled event for `rule` at `scheduled_ms` (EventBridge user guide, scheduled events; `id` from the
/// cloud's seeded ids).
pub fn scheduled_event(cloud: &mut Cloud, rule_arn: &str, scheduled_ms: u64) -> Json {
    json!({
        "version": "0",
        "id": cloud.ids.uuid(),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": cloud.account_id,
        "time": schedule::iso_seconds(scheduled_ms),
        "region": cloud.region,
        "resources": [rule_arn],
        "detail": {},
    })
}

/// Moves the virtual clock `millis` forward step by step: at each moment something falls due it fires the
/// enabled rules scheduled then (each target invoked asynchronously, `InvocationType: Event`), runs Lambda's
/// asynchronous retries ([`crate::lambda::async_queue::advance`]) and polls the SQS event source mappings
/// ([`crate::sqs::event_source::poll_event_sources`]) and the DynamoDB Streams ones
/// ([`crate::dynamodb::stream_source::poll_event_sources`]). The clock ends `millis` later (or later still when an
/// invocation itself took longer). Answers the deliveries made.
///
/// Errors: `not simulated: ...` when the span holds more than [`MAX_FIRINGS_PER_ADVANCE`] scheduled runs (the
/// clock does not move then): each run executes a handler, so such a span would not end in reasonable time.
pub fn advance(cloud: &mut Cloud, millis: u64) -> Result<Vec<Firing>, String> {
    let target = cloud.clock.now_millis().saturating_add(millis);
    let runs = scheduled_runs(cloud, target);
    if runs > MAX_FIRINGS_PER_ADVANCE {
        return Err(format!(
            "not simulated: advancing the clock past more than {MAX_FIRINGS_PER_ADVANCE} scheduled rule runs at once \
             (advance in shorter steps)"
        ));
    }
    let first = cloud.service::<Events>().map(|e| e.firings.len()).unwrap_or(0);
    crate::sqs::event_source::poll_event_sources(cloud);
    crate::dynamodb::stream_source::poll_event_sources(cloud);
    loop {
        let now = cloud.clock.now_millis();
        let next = [
            next_rule_time(cloud),
            next_retry_time(cloud),
            next_visible_time(cloud, now),
            crate::dynamodb::stream_source::next_due_ms(cloud, now),
        ]
        .into_iter()
        .flatten()
        .filter(|t| *t <= target)
        .min();
        let Some(next) = next else { break };
        // Retries due by `next` run on the way; the clock then stands at `next` (or later).
        crate::lambda::async_queue::advance(cloud, next.saturating_sub(now));
        fire_due_rules(cloud);
        crate::sqs::event_source::poll_event_sources(cloud);
        crate::dynamodb::stream_source::poll_event_sources(cloud);
    }
    let now = cloud.clock.now_millis();
    crate::lambda::async_queue::advance(cloud, target.saturating_sub(now));
    Ok(cloud
        .service::<Events>()
        .map(|e| e.firings.get(first..).unwrap_or_default().to_vec())
        .unwrap_or_default())
}

/// Most scheduled runs one [`advance`] may make.
pub const MAX_FIRINGS_PER_ADVANCE: usize = 10_000;

/// How many runs the enabled rules have scheduled up to `target` (counting stops past the limit).
fn scheduled_runs(cloud: &Cloud, target: u64) -> usize {
    let Some(events) = cloud.service::<Events>() else {
        return 0;
    };
    let mut runs = 0;
    for rule in events.rules.iter().filter(|r| r.enabled) {
        let mut next = rule.next_ms;
        while let Some(t) = next.filter(|t| *t <= target) {
            runs += rule.targets.len().max(1);
            if runs > MAX_FIRINGS_PER_ADVANCE {
                return runs;
            }
            next = rule.schedule.next_after(rule.created_ms, t);
        }
    }
    runs
}

fn next_rule_time(cloud: &Cloud) -> Option<u64> {
    let events = cloud.service::<Events>()?;
    events
        .rules
        .iter()
        .filter(|r| r.enabled)
        .filter_map(|r| r.next_ms)
        .min()
}

fn next_retry_time(cloud: &Cloud) -> Option<u64> {
    let lambda = cloud.service::<Lambda>()?;
    lambda.async_queue.pending.iter().map(|e| e.due_ms).min()
}

fn next_visible_time(cloud: &Cloud, now: u64) -> Option<u64> {
    let sqs = cloud.service::<crate::sqs::Sqs>()?;
    let arns: Vec<&String> = sqs
        .event_source_mappings
        .iter()
        .filter(|m| m.enabled)
        .map(|m| &m.queue_arn)
        .collect();
    sqs.queues
        .values()
        .filter(|q| arns.contains(&&q.arn))
        .flat_map(|q| q.messages.iter().map(|m| m.visible_at_ms))
        .filter(|t| *t > now)
        .min()
}

/// Fires every enabled rule whose next time has come, oldest schedule first.
fn fire_due_rules(cloud: &mut Cloud) {
    loop {
        let now = cloud.clock.now_millis();
        let due = cloud.service_mut::<Events>().and_then(|events| {
            let rule = events
                .rules
                .iter_mut()
                .filter(|r| r.enabled && r.next_ms.is_some_and(|t| t <= now))
                .min_by_key(|r| r.next_ms)?;
            let scheduled = rule.next_ms?;
            rule.next_ms = rule.schedule.next_after(rule.created_ms, scheduled);
            Some((rule.arn.clone(), rule.name.clone(), rule.targets.clone(), scheduled))
        });
        let Some((arn, name, targets, scheduled)) = due else {
            return;
        };
        for target in targets {
            deliver(cloud, &name, &arn, &target, scheduled);
        }
    }
}

fn deliver(cloud: &mut Cloud, rule_name: &str, rule_arn: &str, target: &Target, scheduled_ms: u64) {
    let payload = match &target.input {
        Some(input) => input.clone(),
        None => scheduled_event(cloud, rule_arn, scheduled_ms).to_string(),
    };
    let account = cloud.account_id.clone();
    let source = InvokeSource {
        principal: "events.amazonaws.com",
        source_arn: rule_arn,
        source_account: &account,
    };
    let allowed = cloud
        .service::<Lambda>()
        .is_some_and(|lambda| allows_invoke(lambda, &target.arn, &source));
    let delivered =
        allowed && crate::lambda::invoke::invoke(cloud, &target.arn, InvocationType::Event, &payload).is_ok();
    if let Some(events) = cloud.service_mut::<Events>() {
        if events.firings.len() >= MAX_FIRINGS {
            events.firings.remove(0);
        }
        events.firings.push(Firing {
            rule: rule_name.to_string(),
            target: target.arn.clone(),
            scheduled_ms,
            payload,
            delivered,
        });
    }
}
