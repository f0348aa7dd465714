//! IAM policy documents from arbitrary bytes, evaluated against an arbitrary request: must never panic or hang.
//!
//! Input layout: the bytes up to the first NUL are the policy document (JSON text); the rest is split on NUL into
//! the action, the resource, a context key and its value, and a glob pattern and text for the matcher.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serverless_playground::api::Caller;
use serverless_playground::iam::evaluate::{evaluate, Policies, Request};
use serverless_playground::iam::{evaluate_resource_policy, matching, PolicyDocument, PolicyKind, Principal, RequestContext};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\0');
    let document = parts.next().unwrap_or_default();
    let action = parts.next().unwrap_or("dynamodb:PutItem");
    let resource = parts.next().unwrap_or("arn:aws:dynamodb:us-east-1:123456789012:table/T");
    let mut context = RequestContext::new();
    if let (Some(key), Some(value)) = (parts.next(), parts.next()) {
        context.set(key, value);
        context.set_values(&format!("{key}s"), value.split(',').map(str::to_string).collect());
    }
    if let (Some(pattern), Some(subject)) = (parts.next(), parts.next()) {
        let _ = matching::glob(pattern, subject);
        let _ = matching::action_matches(pattern, subject);
        let _ = matching::arn_like(pattern, subject);
    }
    let Ok(json) = serde_json::from_str::<serde_json::Value>(document) else {
        return;
    };
    let caller = Caller::assumed_role("arn:aws:iam::123456789012:role/R", "f");
    let principal = Principal::from_caller(&caller);
    let _ = evaluate_resource_policy(&json, &Principal::service("apigateway.amazonaws.com"), action, resource, &context);
    for kind in [PolicyKind::Identity, PolicyKind::Resource, PolicyKind::Trust] {
        if let Ok(policy) = PolicyDocument::parse(&json, kind) {
            let identity = [&policy];
            let request = Request { principal: &principal, action, resource, context: &context };
            let _ = evaluate(&Policies { identity: &identity, resource: Some(&policy), boundary: Some(&policy), is_root: false }, &request);
        }
    }
});
