//! Recursive loop detection: the chain of invocations a triggering event causes, and where Lambda stops it.
//!
//! Sources: Lambda developer guide, "Use Lambda recursive loop detection to prevent infinite loops", and the
//! launch post "Detecting and stopping recursive loops in AWS Lambda functions" (AWS Compute Blog, July 2023):
//! Lambda tracks how many times one event has invoked a function across Lambda, SQS and SNS (and direct
//! `Invoke` calls); when a function would be invoked by the same chain more than 16 times, Lambda stops that
//! invocation: a synchronous caller gets `RecursiveInvocationException`, an asynchronous event goes to the
//! function's dead-letter queue or on-failure destination. The exception's message is the one the Lambda API
//! reference gives for `RecursiveInvocationException`.
//!
//! In the simulator a chain is the stack of invocations in progress: a handler's SDK call that invokes a function
//! (an `Invoke`, an SNS `Publish` to a subscribed function, an asynchronous event's first attempt) runs inside the
//! caller's invocation, so the stack holds the whole chain. Known difference: chains through an SQS queue polled
//! by an event source mapping, or through retries, start a new stack (the SQS message does not carry the chain),
//! so such loops are bounded only by the clock advances that drive them.
//!
//! The stack is also what keeps nested invocations from overflowing the host's stack: beyond
//! [`MAX_NESTED_INVOCATIONS`] invocations in progress (distinct functions calling each other), an invoke answers
//! `not simulated`. Natively each nested invocation also runs on a fresh stack segment when less than
//! [`RED_ZONE_BYTES`] remain ([`with_stack`], the `stacker` crate; the outermost one runs on the caller's stack): a cold start parses the SDK modules, which takes far more stack in
//! a debug build than a 2 MB test thread leaves after a few nested invocations. In WebAssembly (no segments) the
//! depth limits alone apply.

use super::invoke::InvokeError;
use super::Lambda;
use crate::Cloud;

/// Invocations of one function one chain may make; the next is stopped (docs: "more than 16 times").
pub const MAX_INVOCATIONS_PER_CHAIN: usize = 16;
/// Invocations in progress at once, across functions (a playground limit: each holds an interpreter on the
/// host's stack).
pub const MAX_NESTED_INVOCATIONS: usize = 24;
/// The message of `RecursiveInvocationException` (Lambda API reference, `Invoke` errors).
pub const RECURSIVE_INVOCATION_MESSAGE: &str = "Lambda has detected your function being invoked in a recursive loop with other AWS resources and stopped your function's invocation.";

/// One link of a chain: a function's invocation in progress, or a delivery made on its behalf (a destination
/// record or dead-letter message, which counts for the chain but does not run the function).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The function's name.
    pub function_name: String,
    /// Whether the function is running (an invocation), as opposed to a delivery made for it.
    pub running: bool,
}

/// Below this much stack left, a nested invocation runs on a new segment (native builds): more than one
/// invocation's peak (a cold start parsing the SDK modules in a debug build).
pub const RED_ZONE_BYTES: usize = 4 * 1024 * 1024;
/// The size of such a segment.
pub const SEGMENT_BYTES: usize = 8 * 1024 * 1024;

/// Runs `work` (one invocation) with at least [`RED_ZONE_BYTES`] of stack when it is `nested` in another
/// invocation (module docs).
pub fn with_stack<R>(nested: bool, work: impl FnOnce() -> R) -> R {
    #[cfg(not(target_arch = "wasm32"))]
    {
        if nested {
            return stacker::maybe_grow(RED_ZONE_BYTES, SEGMENT_BYTES, work);
        }
        work()
    }
    #[cfg(target_arch = "wasm32")]
    {
        let _ = nested;
        work()
    }
}

/// Whether an invocation is in progress (a new one would be nested in it).
pub fn nested(cloud: &Cloud) -> bool {
    cloud.service::<Lambda>().is_some_and(|l| !l.chain.is_empty())
}

/// Whether `function_name` may start another invocation in the current chain. Errors: the function already ran
/// [`MAX_INVOCATIONS_PER_CHAIN`] times in it (`RecursiveInvocationException`), or the chain is deeper than
/// [`MAX_NESTED_INVOCATIONS`] (not simulated).
pub fn check(cloud: &Cloud, function_name: &str) -> Result<(), InvokeError> {
    let Some(lambda) = cloud.service::<Lambda>() else {
        return Ok(());
    };
    let same = lambda.chain.iter().filter(|l| l.function_name == function_name).count();
    if same >= MAX_INVOCATIONS_PER_CHAIN {
        return Err(InvokeError::RecursiveInvocation(
            RECURSIVE_INVOCATION_MESSAGE.to_string(),
        ));
    }
    if lambda.chain.len() >= MAX_NESTED_INVOCATIONS {
        return Err(InvokeError::NotSimulated(format!(
            "more than {MAX_NESTED_INVOCATIONS} function invocations nested in one another"
        )));
    }
    Ok(())
}

/// Records that an invocation of `function_name` runs (`running`) or that a delivery is made for it, until
/// [`leave`].
pub fn enter(cloud: &mut Cloud, function_name: &str, running: bool) {
    if let Some(lambda) = cloud.service_mut::<Lambda>() {
        lambda.chain.push(Link {
            function_name: function_name.to_string(),
            running,
        });
    }
}

/// How many invocations of `function_name` are running now (its concurrency, [`super::concurrency`]).
pub fn running(cloud: &Cloud, function_name: &str) -> u64 {
    cloud.service::<Lambda>().map_or(0, |l| {
        l.chain
            .iter()
            .filter(|link| link.running && link.function_name == function_name)
            .count() as u64
    })
}

/// Records that the innermost invocation ended.
pub fn leave(cloud: &mut Cloud) {
    if let Some(lambda) = cloud.service_mut::<Lambda>() {
        lambda.chain.pop();
    }
}
