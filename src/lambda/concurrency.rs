//! Reserved concurrency and throttling (docs: "Configuring reserved concurrency", "Lambda scaling behavior";
//! lambda-facts §3.3).
//!
//! `ReservedConcurrentExecutions` caps how many requests a function serves at once. Invokes in this simulator run
//! one after another on the virtual clock, so only a cap of `0` can be reached: then every synchronous invoke is
//! throttled with `TooManyRequestsException` (HTTP 429, message `Rate Exceeded.`, `Reason`
//! `ReservedFunctionConcurrentInvocationLimitExceeded`), and an asynchronous one is accepted (202) but never runs
//! (AWS sends such events straight to the DLQ / on-failure destination without retries; [`super::async_queue`]
//! records them as discarded with condition `ZeroReservedConcurrency`, delivery is not simulated yet).

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

/// Whether an invoke is throttled now: with invokes running one at a time, only a reservation of 0 throttles.
pub fn throttled(reserved: Option<u64>) -> bool {
    reserved == Some(0)
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
        assert!(throttled(Some(0)));
        assert!(!throttled(Some(1)));
        assert!(!throttled(None));
    }
}
