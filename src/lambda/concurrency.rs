//! Reserved concurrency and throttling (docs: "Configuring reserved concurrency", "Lambda scaling behavior";
//! lambda-facts §3.3).
//!
//! `ReservedConcurrentExecutions` caps how many requests a function serves at once. Invokes in this simulator run
//! one after another on the virtual clock, except when a handler invokes a function and waits for it: the
//! invocations in progress are the chain of [`super::recursion`], so a function's concurrency is the number of its
//! invocations running in one another. When that reaches the reservation (always, for `0`), a synchronous invoke is
//! throttled with `TooManyRequestsException` (HTTP 429, message `Rate Exceeded.`, `Reason`
//! `ReservedFunctionConcurrentInvocationLimitExceeded`), and an asynchronous one is accepted (202) but never runs:
//! AWS sends such events straight to the DLQ / on-failure destination without retries (docs: "Capturing records of
//! Lambda asynchronous invocations", note on reserved concurrency 0), which [`super::async_queue`] does.

use serde_json::Value as Json;

/// The `Reason` of a throttle by the function's reserved concurrency (API reference `Invoke`,
/// `TooManyRequestsException`; lambda-facts §3.3).
pub const RESERVED_LIMIT_REASON: &str = "ReservedFunctionConcurrentInvocationLimitExceeded";
/// The message of every Lambda throttle (lambda-facts §3.3, §11).
pub const RATE_EXCEEDED: &str = "Rate Exceeded.";
/// The account's concurrency quota (docs: "Lambda quotas", 1,000 by default); reserved concurrency may take all
/// but 100 of it (docs: "Configuring reserved concurrency").
pub const ACCOUNT_CONCURRENCY: u64 = 1000;

/// `ReservedConcurrentExecutions` of an `AWS::Lambda::Function` (SAM passes it through): `None` when absent.
/// Errors: not a whole number, or more than the account's unreserved concurrency allows (900), with the
/// message `PutFunctionConcurrency` gives (`InvalidParameterValueException`; the text as AWS error reports quote
/// it, not in lambda-facts: unverified here). Only this function's reservation is checked, not the account's sum.
pub fn reserved_concurrent_executions(props: &Json) -> Result<Option<u64>, String> {
    let value = match props.get("ReservedConcurrentExecutions") {
        None | Some(Json::Null) => return Ok(None),
        Some(Json::Number(n)) => n.as_u64(),
        Some(Json::String(s)) => s.trim().parse().ok(),
        Some(_) => None,
    };
    let Some(value) = value else {
        return Err("ReservedConcurrentExecutions must be a whole number".to_string());
    };
    if value > ACCOUNT_CONCURRENCY - 100 {
        return Err("Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].".to_string());
    }
    Ok(Some(value))
}

/// Whether an invoke is throttled now: `running` invocations of the function already use its `reserved`
/// concurrency.
pub fn throttled(reserved: Option<u64>, running: u64) -> bool {
    reserved.is_some_and(|r| running >= r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reservations_parse_and_validate() {
        let cases = [
            (json!({}), Ok(None)),
            (json!({"ReservedConcurrentExecutions": 0}), Ok(Some(0))),
            (json!({"ReservedConcurrentExecutions": "5"}), Ok(Some(5))),
            (json!({"ReservedConcurrentExecutions": 900}), Ok(Some(900))),
            (
                json!({"ReservedConcurrentExecutions": 901}),
                Err("Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].".to_string()),
            ),
            (json!({"ReservedConcurrentExecutions": -1}), Err("ReservedConcurrentExecutions must be a whole number".to_string())),
        ];
        for (props, want) in cases {
            assert_eq!(reserved_concurrent_executions(&props), want, "{props}");
        }
        assert!(throttled(Some(0), 0));
        assert!(!throttled(Some(1), 0));
        assert!(throttled(Some(1), 1));
        assert!(!throttled(None, 900));
    }
}
