//! The AWS SDKs a handler `require`s / `import`s, and the bridge that turns their calls into [`Cloud::call`]s.
//!
//! The SDK modules are JavaScript (this folder): a generic v3 client/command factory ([`V3`]), the v2 `aws-sdk`
//! ([`V2`]), the service definitions ([`SERVICES`]: a service is a list of operation and error names), and the
//! DynamoDB helpers (`@aws-sdk/util-dynamodb`, `@aws-sdk/lib-dynamodb`). They are evaluated lazily, the first time
//! a handler requires one, so a cold start that does not use the SDK pays nothing for them.
//!
//! A call leaves the interpreter through `__host.sdkCall(service, operation, inputJson)`, which records a
//! [`PendingSdkCall`] and returns a promise. The engine's event loop ([`super::Engine::run_event_loop`]) answers
//! pending calls in the order they fall due, when the microtask queue is empty: each call is due
//! [`SDK_CALL_LATENCY_MS`] of virtual time after it was made, competes with timers by due time, and is answered by
//! the invoke path's [`SdkBridge`] (which holds `&mut Cloud`, free while the execution environment is out of the
//! Lambda service). The promise then resolves with `{requestId, output}` or `{requestId, error}`; the JavaScript
//! side turns an error into the SDK's own error object.
//!
//! [`Cloud::call`]: crate::Cloud::call

use super::{host_of, next_seq, string_arg};
use crate::api::AwsError;
use crate::cloud::IdGenerator;
use boa_engine::object::builtins::{JsFunction, JsPromise};
use boa_engine::{Context, JsNativeError, JsResult, JsValue};
use serde_json::Value as Json;

/// The virtual time one SDK call takes, in milliseconds: the request, the service's work and the response
/// (a playground constant: DynamoDB documents "single-digit millisecond" latency; a fixed figure keeps REPORT
/// durations reproducible). Retries are not simulated: every call makes one attempt.
pub const SDK_CALL_LATENCY_MS: u64 = 5;
/// The most SDK calls pending at once; one more throws (a playground limit, like the timers').
pub const MAX_PENDING_SDK_CALLS: usize = 10_000;

/// The generic v3 client and command factory (`@aws-sdk/client-*`).
pub const V3: &str = include_str!("v3.js");
/// The v2 SDK (`aws-sdk`).
pub const V2: &str = include_str!("v2.js");
/// Service definitions: signing name, operations, modelled errors.
pub const SERVICES: &str = include_str!("services.js");
/// `@aws-sdk/util-dynamodb`.
pub const UTIL_DYNAMODB: &str = include_str!("util_dynamodb.js");
/// `@aws-sdk/lib-dynamodb`.
pub const LIB_DYNAMODB: &str = include_str!("lib_dynamodb.js");

/// One SDK call as it leaves the interpreter.
#[derive(Debug, Clone, PartialEq)]
pub struct SdkCall {
    /// The service's signing name (`dynamodb`).
    pub service: String,
    /// The operation (`PutItem`).
    pub operation: String,
    /// The input as the protocol's JSON (DynamoDB: the JSON 1.0 body; blobs base64, timestamps epoch seconds).
    pub input: Json,
}

/// The answer to an [`SdkCall`]: the request id the service's response carries, and its output or error.
#[derive(Debug, Clone, PartialEq)]
pub struct SdkAnswer {
    /// `x-amzn-RequestId` (v3 `$metadata.requestId`, v2 `requestId`).
    pub request_id: String,
    /// The output JSON or the service error.
    pub result: Result<Json, AwsError>,
    /// When the answer reached the caller (virtual ms), if later than the call's due time: a synchronous Lambda
    /// `Invoke` answers when the callee has finished, so the caller's clock waits until then. `None` for calls
    /// answered in [`SDK_CALL_LATENCY_MS`].
    pub answered_ms: Option<u64>,
}

/// What answers SDK calls during an invoke: `(call, virtual time in ms) -> answer`.
pub type SdkBridge<'a> = dyn FnMut(&SdkCall, u64) -> SdkAnswer + 'a;

/// A bridge that answers every call "not simulated" (engines run without a Cloud: tests, the console).
pub fn no_services(call: &SdkCall, _now_ms: u64) -> SdkAnswer {
    SdkAnswer {
        request_id: String::new(),
        result: Err(AwsError::not_simulated(format!("the {} API", call.service))),
        answered_ms: None,
    }
}

/// A call waiting for its answer.
#[derive(Debug)]
pub struct PendingSdkCall {
    pub(super) call: SdkCall,
    pub(super) due: u64,
    pub(super) seq: u64,
    resolve: JsFunction,
}

/// The request id a service's response carries, in that service's format: DynamoDB 52 upper-case letters and
/// digits, S3 16 upper-case hex digits, the others (SNS, SQS, Lambda) a UUID (formats of `x-amzn-RequestId` /
/// `x-amz-request-id` in AWS responses).
pub fn request_id(service: &str, ids: &mut IdGenerator) -> String {
    match service {
        "dynamodb" => ids.string(52, crate::cloud::UPPER_ALPHANUMERIC),
        "s3" => ids.string(16, b"0123456789ABCDEF"),
        _ => ids.uuid(),
    }
}

/// `__host.sdkCall(service, operation, inputJson)`: records the call and returns the promise its answer settles.
pub(super) fn native_sdk_call(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let host = host_of(context)?;
    let service = string_arg(args, 0, context)?;
    let operation = string_arg(args, 1, context)?;
    let text = string_arg(args, 2, context)?;
    let input: Json = serde_json::from_str(&text)
        .map_err(|e| JsNativeError::typ().with_message(format!("the SDK input is not JSON: {e}")))?;
    if host.sdk_calls.borrow().len() >= MAX_PENDING_SDK_CALLS {
        return Err(JsNativeError::range()
            .with_message(format!(
                "not simulated: more than {MAX_PENDING_SDK_CALLS} pending SDK calls"
            ))
            .into());
    }
    let (promise, resolvers) = JsPromise::new_pending(context);
    let pending = PendingSdkCall {
        call: SdkCall {
            service,
            operation,
            input,
        },
        due: host.now_millis().saturating_add(SDK_CALL_LATENCY_MS),
        seq: next_seq(&host),
        resolve: resolvers.resolve,
    };
    host.sdk_calls.borrow_mut().push(pending);
    Ok(promise.into())
}

/// The source of one SDK module by its internal name (`sdk/v3`, `sdk/v2`, `sdk/services`, `sdk/util-dynamodb`,
/// `sdk/lib-dynamodb`).
pub fn source(name: &str) -> Option<&'static str> {
    Some(match name {
        "sdk/v3" => V3,
        "sdk/v2" => V2,
        "sdk/services" => SERVICES,
        "sdk/util-dynamodb" => UTIL_DYNAMODB,
        "sdk/lib-dynamodb" => LIB_DYNAMODB,
        _ => return None,
    })
}

/// Resolves a pending call's promise with `{requestId, output}` or `{requestId, error: {code, message,
/// statusCode, fault}}`.
pub(super) fn settle(call: PendingSdkCall, answer: SdkAnswer, context: &mut Context) -> JsResult<()> {
    let value = match answer.result {
        Ok(output) => serde_json::json!({"requestId": answer.request_id, "output": output}),
        Err(error) => serde_json::json!({"requestId": answer.request_id, "error": error.to_json()}),
    };
    let value = JsValue::from_json(&value, context)?;
    call.resolve.call(&JsValue::undefined(), &[value], context)?;
    Ok(())
}
