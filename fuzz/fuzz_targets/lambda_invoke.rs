//! Fuzzes the Lambda runtime: arbitrary bytes split into handler source (inline `index.js`) and an event, invoked
//! twice (cold, then warm). Nothing may panic or hang: failures must come back as function errors
//! (`Runtime.*`, `Sandbox.Timedout`, the code's own errors) or service errors.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serverless_playground::lambda::{self, InvocationType};
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (source, event) = text.split_once('\u{0}').unwrap_or((&text, "{}"));
    let code = serde_json::to_string(source).unwrap_or_default();
    let template = format!(
        "{{\"Resources\":{{\"Fn\":{{\"Type\":\"AWS::Lambda::Function\",\"Properties\":{{\"FunctionName\":\"fn\",\"Runtime\":\"nodejs20.x\",\"Handler\":\"index.handler\",\"Code\":{{\"ZipFile\":{code}}}}}}}}}}}"
    );
    let mut cloud = Cloud::default();
    let Ok(stack) = template::load("fuzz.json", &template, &LoadOptions::default(), &mut cloud) else {
        return;
    };
    if cloud.deploy(&stack).is_err() {
        return;
    }
    if let Some(l) = cloud.service_mut::<lambda::Lambda>() {
        l.limits.loop_iterations = 10_000;
        l.limits.microtasks = 10_000;
    }
    for _ in 0..2 {
        let _ = lambda::invoke(&mut cloud, "fn", InvocationType::RequestResponse, event);
    }
});
