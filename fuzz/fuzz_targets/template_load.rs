//! Any text handed to the template loader ends in a stack or an error, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut cloud = Cloud::default();
    if let Ok(stack) = template::load("fuzz.yaml", &text, &LoadOptions::default(), &mut cloud) {
        let _ = cloud.deploy(&stack);
    }
});
