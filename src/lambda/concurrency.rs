//! Reserved concurrency and throttling (docs: "Configuring reserved concurrency", "Lambda scaling behavior";
//! lambda-facts §3.3).
//!
//! `ReservedConcurrentExecutions` caps how many requests a function serves at once. Each execution environment
//! serves one request at a time and stays busy until that request's virtual end; a function's concurrency at a
//! virtual instant is the number of its environments busy then ([`super::Lambda::concurrency`]). Invokes made one
//! after another never overlap, so one environment serves them all; overlapping requests (a load test,
//! `crate::simulation::load`, sends each at its own arrival time) need more environments, each a cold start.
//!
//! A synchronous invoke that would exceed the function's reservation is throttled with `TooManyRequestsException`
//! (HTTP 429, message `Rate Exceeded.`, `Reason` `ReservedFunctionConcurrentInvocationLimitExceeded`); a function
//! without a reservation shares the account's unreserved pool (the account quota minus every reservation) and is
//! throttled with `Reason` `ConcurrentInvocationLimitExceeded` when that is full (lambda-facts §3.3). With a
//! reservation of `0` every invoke is throttled, and an asynchronous one is accepted (202) but never runs (AWS
//! sends such events straight to the DLQ / on-failure destination without retries; [`super::async_queue`] records
//! them to [`super::destinations`]). Lambda's scaling
//! rate (1,000 new environments every 10 seconds per function, docs "Lambda scaling behavior") is not simulated:
//! below the account quota it never binds in the loads the playground runs.
//!
//! A handler that invokes a function and waits for it keeps its own environment busy (out of the pool while it
//! runs), so invocations nested in one another count too: they are the chain of [`super::recursion`], and a
//! function with 2 reserved that calls itself is throttled on its third level.

use serde_json::Value as Json;

/// The `Reason` of a throttle by the function's reserved concurrency (API reference `Invoke`,
/// `TooManyRequestsException`; lambda-facts §3.3).
pub const RESERVED_LIMIT_REASON: &str = "ReservedFunctionConcurrentInvocationLimitExceeded";
/// The message of every Lambda throttle (lambda-facts §3.3, §11).
pub const RATE_EXCEEDED: &str = "Rate Exceeded.";
/// The `Reason` of a throttle by the account's (unreserved) concurrency (lambda-facts §3.3).
pub const ACCOUNT_LIMIT_REASON: &str = "ConcurrentInvocationLimitExceeded";
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

/// Whether an invoke is throttled now, and the throttle's `Reason`: `reserved` is the function's reservation,
/// `in_flight` its busy environments, `account_in_flight` the account's busy environments of functions without a
/// reservation, `reserved_total` the sum of every reservation in the account.
pub fn throttle_reason(
    reserved: Option<u64>,
    in_flight: u64,
    account_in_flight: u64,
    reserved_total: u64,
) -> Option<&'static str> {
    match reserved {
        Some(limit) if in_flight >= limit => Some(RESERVED_LIMIT_REASON),
        Some(_) => None,
        None if account_in_flight >= ACCOUNT_CONCURRENCY.saturating_sub(reserved_total) => Some(ACCOUNT_LIMIT_REASON),
        None => None,
    }
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
        assert_eq!(throttle_reason(Some(0), 0, 0, 0), Some(RESERVED_LIMIT_REASON));
        assert_eq!(throttle_reason(Some(5), 4, 900, 5), None);
        assert_eq!(throttle_reason(Some(5), 5, 5, 5), Some(RESERVED_LIMIT_REASON));
        assert_eq!(throttle_reason(None, 0, 0, 0), None);
        assert_eq!(throttle_reason(None, 0, 994, 5), None);
        assert_eq!(throttle_reason(None, 0, 995, 5), Some(ACCOUNT_LIMIT_REASON));
    }
}
