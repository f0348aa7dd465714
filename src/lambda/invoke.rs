//! The `Invoke` API: resolve function and qualifier -> pick or start an execution environment (cold: load the
//! module, run init) -> call the handler -> settle (report, event loop drained, timeout, crash) -> START / END /
//! REPORT log lines.
//!
//! Sources: API reference `Invoke` (status codes 200 / 202 / 204, `X-Amz-Function-Error`, `X-Amz-Executed-Version`),
//! the runtime interface client (`aws-lambda-nodejs-runtime-interface-client`, `src/Runtime.js`,
//! `CallbackContext.js`, `Errors.js`), the runtime interface emulator (`internal/lambda/rie/handlers.go`: the
//! START / END / REPORT formats) and docs "Configure Lambda function timeout". Durations are virtual time: code
//! runs in zero virtual time and waits (timers) advance the clock, so REPORT lines are reproducible. Spinning code
//! times out on an instruction budget instead ([`crate::js::budget`]). `Max Memory Used` is a Node.js baseline plus
//! the environment's measured heap ([`max_memory_used_mb`], [`crate::js::heap`]); a heap beyond the memory size
//! kills the environment (`Runtime.ExitError`, `signal: killed`).

use super::{FunctionCode, FunctionConfiguration, Lambda};
use crate::api::{ApiRequest, Caller};
use crate::cloud::Cloud;
use crate::js::{iso_millis, Engine, LoopEnd, SdkAnswer, SdkCall, SDK_CALL_LATENCY_MS};
use crate::trace::{SpanKind, SpanStatus};
use serde_json::json;

/// `X-Amz-Invocation-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvocationType {
    /// Synchronous: 200 with the function's response.
    RequestResponse,
    /// Asynchronous: 202, empty payload.
    Event,
    /// Validate parameters and permissions only: 204.
    DryRun,
}

impl std::str::FromStr for InvocationType {
    type Err = InvokeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "RequestResponse" => Ok(InvocationType::RequestResponse),
            "Event" => Ok(InvocationType::Event),
            "DryRun" => Ok(InvocationType::DryRun),
            // The AWS CLI's wording for a bad enum value (botocore parameter validation).
            other => Err(InvokeError::InvalidParameterValue(format!(
                "1 validation error detected: Value '{other}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"
            ))),
        }
    }
}

/// What `Invoke` answers (the AWS CLI's output fields), plus the log lines the invocation wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvokeOutput {
    /// `StatusCode`: 200, 202 or 204.
    pub status_code: u16,
    /// `FunctionError`: `Unhandled` when the function or its runtime failed.
    pub function_error: Option<String>,
    /// `ExecutedVersion`: `$LATEST` or a version number.
    pub executed_version: String,
    /// `Payload`: the response's JSON text (empty for `Event` and `DryRun`).
    pub payload: String,
    /// The request id.
    pub request_id: String,
    /// The CloudWatch Logs lines of this invocation (init lines, START, function lines, END, REPORT).
    pub logs: Vec<String>,
}

impl InvokeOutput {
    /// `LogResult` (`X-Amz-Log-Result`, asked for with `LogType: Tail`): the last 4 KB of the execution log,
    /// base64-encoded (API reference `Invoke`). Lines end with `\n`; the cut is on bytes, as AWS's is.
    pub fn log_result(&self) -> String {
        use base64::Engine as _;
        let text: String = self.logs.iter().map(|l| format!("{l}\n")).collect();
        let bytes = text.as_bytes();
        let tail = bytes.get(bytes.len().saturating_sub(4096)..).unwrap_or_default();
        base64::engine::general_purpose::STANDARD.encode(tail)
    }

    /// `{"StatusCode":..,"FunctionError":..,"ExecutedVersion":..,"Payload":..}` as the CLI prints it.
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "StatusCode": self.status_code,
            "FunctionError": self.function_error,
            "ExecutedVersion": self.executed_version,
            "Payload": self.payload,
        })
    }
}

/// An `Invoke` call Lambda refuses (the service errors of the API reference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvokeError {
    /// 404 `ResourceNotFoundException`.
    ResourceNotFound(String),
    /// 400 `InvalidRequestContentException`.
    InvalidRequestContent(String),
    /// 400 `InvalidParameterValueException`.
    InvalidParameterValue(String),
    /// 413 `RequestEntityTooLargeException`.
    RequestEntityTooLarge(String),
    /// 429 `TooManyRequestsException` with its `Reason` (message `Rate Exceeded.`, see [`super::concurrency`]).
    TooManyRequests {
        /// `Reason`, e.g. `ReservedFunctionConcurrentInvocationLimitExceeded`.
        reason: String,
    },
    /// 400 `RecursiveInvocationException`: Lambda's recursive loop detection stopped the invocation (see
    /// [`super::recursion`]).
    RecursiveInvocation(String),
    /// A feature the simulator does not model (design rule 5).
    NotSimulated(String),
}

/// The largest synchronous request payload: 6 MB (docs: "Lambda quotas", invocation payload).
pub const MAX_SYNC_PAYLOAD_BYTES: usize = 6_291_456;
/// The largest asynchronous request payload: 1 MB (API reference `Invoke`, since 2025; lambda-facts §3.2).
pub const MAX_ASYNC_PAYLOAD_BYTES: usize = 1_048_576;
/// The largest response payload AWS reports in `Function.ResponseSizeTooLarge` (6291556, AWS's own number).
pub const MAX_RESPONSE_BYTES: usize = 6_291_556;

impl std::fmt::Display for InvokeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InvokeError::ResourceNotFound(m) => write!(f, "ResourceNotFoundException: {m}"),
            InvokeError::InvalidRequestContent(m) => write!(f, "InvalidRequestContentException: {m}"),
            InvokeError::InvalidParameterValue(m) => write!(f, "InvalidParameterValueException: {m}"),
            InvokeError::RequestEntityTooLarge(m) => write!(f, "RequestEntityTooLargeException: {m}"),
            InvokeError::TooManyRequests { reason } => {
                write!(
                    f,
                    "TooManyRequestsException: {} (Reason: {reason})",
                    super::concurrency::RATE_EXCEEDED
                )
            }
            InvokeError::RecursiveInvocation(m) => write!(f, "RecursiveInvocationException: {m}"),
            InvokeError::NotSimulated(m) => write!(f, "not simulated: {m}"),
        }
    }
}

impl std::error::Error for InvokeError {}

impl InvokeError {
    /// The HTTP status Lambda answers with.
    pub fn status_code(&self) -> u16 {
        match self {
            InvokeError::ResourceNotFound(_) => 404,
            InvokeError::InvalidRequestContent(_)
            | InvokeError::InvalidParameterValue(_)
            | InvokeError::RecursiveInvocation(_) => 400,
            InvokeError::RequestEntityTooLarge(_) => 413,
            InvokeError::TooManyRequests { .. } => 429,
            InvokeError::NotSimulated(_) => 501,
        }
    }
}

/// A warm execution environment: a Node.js process with the function loaded.
#[derive(Debug)]
pub struct ExecutionEnvironment {
    engine: Engine,
    log_stream_name: String,
    /// When its current request ends (virtual ms): it serves nothing else before.
    busy_until: u64,
}

impl ExecutionEnvironment {
    /// When its current request ends (virtual ms since the epoch); in the past when it is idle.
    pub fn busy_until(&self) -> u64 {
        self.busy_until
    }
}

/// Logged before the timeout line when the instruction budget ([`crate::js::budget`]), not the virtual clock, ended
/// the invocation: code runs in no virtual time, so a long computation is cut at the playground's budget.
pub const BUDGET_SPENT_LINE: &str = "not simulated: the handler ran past the playground's instruction budget for one invocation (JavaScript runs in no virtual time); it ends as a timeout";

/// The message of a timeout: `Task timed out after 3.00 seconds` (RIE `invoke/utils.go`, `%.2f` seconds).
pub fn timed_out_message(timeout_seconds: u64) -> String {
    format!("Task timed out after {timeout_seconds}.00 seconds")
}

/// The payload of a timed-out synchronous invoke:
/// `{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: <id> Error: Task timed out after 3.00 seconds"}`
/// (AWS CLI output quoted in lambda-facts §1.4).
pub fn timeout_payload(request_id: &str, timeout_seconds: u64) -> String {
    json!({
        "errorType": "Sandbox.Timedout",
        "errorMessage": format!("RequestId: {request_id} Error: {}", timed_out_message(timeout_seconds)),
    })
    .to_string()
}

/// The message of `Runtime.NodeJsExit` (RIC `Runtime.js`: an async handler whose promise never settled).
pub const NODEJS_EXIT_MESSAGE: &str = "The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes";

fn runtime_error_payload(error_type: &str, message: &str) -> String {
    let trace: Vec<String> = format!("{error_type}: {message}")
        .split('\n')
        .map(str::to_string)
        .collect();
    json!({"errorType": error_type, "errorMessage": message, "trace": trace}).to_string()
}

/// `START RequestId: <id> Version: <version>` (RIE `handlers.go`).
pub fn start_line(request_id: &str, version: &str) -> String {
    format!("START RequestId: {request_id} Version: {version}")
}

/// `END RequestId: <id>` (RIE `handlers.go`).
pub fn end_line(request_id: &str) -> String {
    format!("END RequestId: {request_id}")
}

/// Billed duration in ms: the duration rounded up to the next millisecond (docs: "Lambda pricing", 1 ms
/// granularity since Dec 2020), with the init phase included on a cold start (billed since 1 Aug 2025 for
/// on-demand functions on managed runtimes). At least 1 ms: a duration is never billed as zero (inferred).
pub fn billed_duration(duration_ms: f64, init_ms: Option<f64>) -> u64 {
    let total = duration_ms + init_ms.unwrap_or(0.0);
    (total.ceil() as u64).max(1)
}

/// The memory a Node.js Lambda process uses before the function's own data: 74 MB, the `Max Memory Used` of the
/// Node.js logging example in the Lambda developer guide (lambda-facts §2.2, DG-archive; our reading: a small
/// handler's figure, AWS publishes no baseline). The engine's measured heap ([`crate::js::heap`]) comes on top.
pub const NODEJS_BASELINE_MB: u64 = 74;

const MIB: u64 = 1_048_576;

/// `Max Memory Used` in MB: [`NODEJS_BASELINE_MB`] plus the environment's peak heap during the invocation (init
/// included on a cold start) rounded to the nearest MB, at most the memory size (AWS kills the process beyond it).
pub fn max_memory_used_mb(peak_heap_bytes: u64, memory_mb: u64) -> u64 {
    let heap_mb = peak_heap_bytes.saturating_add(MIB / 2) / MIB;
    NODEJS_BASELINE_MB.saturating_add(heap_mb).min(memory_mb)
}

/// The heap (bytes) beyond which a function with `memory_mb` of memory is killed: the memory size less the
/// Node.js baseline ([`NODEJS_BASELINE_MB`]).
pub fn heap_limit_bytes(memory_mb: u64) -> i64 {
    let bytes = memory_mb.saturating_sub(NODEJS_BASELINE_MB).saturating_mul(MIB);
    i64::try_from(bytes).unwrap_or(i64::MAX)
}

/// The runtime process ended mid-invoke (`process.exit`, or killed for its memory): logs `<message>` and
/// `Runtime.ExitError` as one record, and answers `(failed, payload, keep the environment, REPORT status)` with the
/// `Runtime.ExitError` payload and `Status: error\tError Type: <report_error_type>`.
fn runtime_exited(
    engine: &crate::js::Engine,
    message: String,
    report_error_type: &str,
) -> (bool, String, bool, Option<String>) {
    engine.push_log(format!("{message}\nRuntime.ExitError").replace('\n', "\r"));
    (
        true,
        json!({"errorType": "Runtime.ExitError", "errorMessage": message}).to_string(),
        false,
        Some(format!("Status: error\tError Type: {report_error_type}")),
    )
}

/// `RequestId: <id> Error: Runtime exited with error: signal: killed`: the process was killed for going over its
/// memory. Source: AWS answers as quoted in public reports, not yet in lambda-facts.md: the sync payload
/// `{"errorType":"Runtime.ExitError","errorMessage":"RequestId: <id> Error: Runtime exited with error: signal: killed"}`
/// (awslabs/amazon-s3-find-and-forget pull request 283) and the log lines `... signal: killed` then
/// `Runtime.ExitError` (aws-solutions-library-samples/cloud-intelligence-dashboards-data-collection issue 201); the
/// wording is Go's `exec.ExitError` text for a signal, as `exit status N` is for `process.exit` (RIE `fatalerror.go`).
pub fn killed_message(request_id: &str) -> String {
    format!("RequestId: {request_id} Error: Runtime exited with error: signal: killed")
}

/// The REPORT line in CloudWatch's order (lambda-facts §2.2, §11):
/// `REPORT RequestId: <id>\tDuration: 12.00 ms\tBilled Duration: 12 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\t`
/// then `Init Duration: 0.00 ms\t` on a cold start, then `Status: timeout` after a timeout. `max_used_mb` is
/// [`max_memory_used_mb`].
pub fn report_line(
    request_id: &str,
    duration_ms: f64,
    init_ms: Option<f64>,
    (memory_mb, max_used_mb): (u64, u64),
    status: Option<&str>,
) -> String {
    let mut line = format!(
        "REPORT RequestId: {request_id}\tDuration: {duration_ms:.2} ms\tBilled Duration: {} ms\tMemory Size: {memory_mb} MB\tMax Memory Used: {max_used_mb} MB\t",
        billed_duration(duration_ms, init_ms)
    );
    if let Some(init) = init_ms {
        line.push_str(&format!("Init Duration: {init:.2} ms\t"));
    }
    if let Some(status) = status {
        line.push_str(status);
    }
    line
}

/// `Invoke`: calls `function_name` (a name, a logical id of the deployed stack, `name:qualifier`, or an ARN)
/// with `payload` (JSON text; empty means `{}` as with `aws lambda invoke` without `--payload`).
///
/// Errors: an unknown function or qualifier (404), a payload that is not JSON (400), or code the simulator cannot
/// run (not simulated). Function failures are not errors: they answer 200 with `FunctionError: Unhandled`.
pub fn invoke(
    cloud: &mut Cloud,
    function_name: &str,
    invocation_type: InvocationType,
    payload: &str,
) -> Result<InvokeOutput, InvokeError> {
    if invocation_type == InvocationType::Event {
        let event = if payload.trim().is_empty() { "{}" } else { payload };
        return super::async_queue::invoke_event(cloud, function_name, event);
    }
    invoke_with_request_id(cloud, function_name, invocation_type, payload, None)
}

/// [`invoke`] of a synchronous type with a given request id (`None`: a fresh one), as the asynchronous queue
/// runs every attempt at an event under the event's first request id (docs: "Asynchronous invocation", the
/// request id stays the same across retries).
///
/// The invocation is traced as X-Ray's `AWS::Lambda` segment ([`crate::trace::SpanKind::Lambda`]), with the
/// function's `Initialization` and `Invocation` subsegments under it.
pub(crate) fn invoke_with_request_id(
    cloud: &mut Cloud,
    function_name: &str,
    invocation_type: InvocationType,
    payload: &str,
    request_id: Option<String>,
) -> Result<InvokeOutput, InvokeError> {
    if !cloud.traces.is_enabled() {
        return invoke_untraced(cloud, function_name, invocation_type, payload, request_id);
    }
    let function = cloud
        .service::<Lambda>()
        .map_or_else(|| function_name.to_string(), |l| l.resolve_name(function_name).0);
    crate::trace::traced(
        cloud,
        || SpanKind::Lambda { function },
        |cloud| invoke_untraced(cloud, function_name, invocation_type, payload, request_id),
        invoke_status,
    )
}

/// The status of an invocation's trace span: a throttle, a timeout (the `Sandbox.Timedout` payload), a function
/// or service error.
fn invoke_status(result: &Result<InvokeOutput, InvokeError>) -> SpanStatus {
    match result {
        Ok(output) if output.function_error.is_none() => SpanStatus::Ok,
        Ok(output) => {
            let error_type = serde_json::from_str::<serde_json::Value>(&output.payload)
                .ok()
                .and_then(|p| p.get("errorType").and_then(|t| t.as_str()).map(str::to_string));
            if error_type.as_deref() == Some("Sandbox.Timedout") {
                SpanStatus::Timeout
            } else {
                SpanStatus::Error
            }
        }
        Err(InvokeError::TooManyRequests { .. }) => SpanStatus::Throttled,
        Err(_) => SpanStatus::Error,
    }
}

fn invoke_untraced(
    cloud: &mut Cloud,
    function_name: &str,
    invocation_type: InvocationType,
    payload: &str,
    request_id: Option<String>,
) -> Result<InvokeOutput, InvokeError> {
    let nested = super::recursion::nested(cloud);
    let mut output = super::recursion::with_stack(nested, || {
        invoke_text_logs(cloud, function_name, invocation_type, payload, request_id)
    })?;
    let logging = cloud.service::<Lambda>().and_then(|lambda| {
        let (name, _) = lambda.resolve_name(function_name);
        let function = lambda.functions.get(&name)?;
        let config = match output.executed_version.parse::<u64>() {
            Ok(n) => function.versions.get(&n)?,
            Err(_) => &function.latest,
        };
        Some(config.logging.clone())
    });
    if let Some(logging) = logging {
        let lines = std::mem::take(&mut output.logs);
        output.logs = super::logging::to_json_lines(&logging, lines, cloud.clock.now_millis());
    }
    Ok(output)
}

/// [`invoke`] with the logs in the text format.
fn invoke_text_logs(
    cloud: &mut Cloud,
    function_name: &str,
    invocation_type: InvocationType,
    payload: &str,
    given_request_id: Option<String>,
) -> Result<InvokeOutput, InvokeError> {
    let weighted = cloud.service::<Lambda>().and_then(|lambda| {
        let (name, qualifier) = lambda.resolve_name(function_name);
        let alias = lambda.functions.get(&name)?.aliases.get(qualifier.as_deref()?)?;
        alias.additional_version.clone()
    });
    // A weighted alias picks its version with a seeded draw (LocalStack: `random() < weight`, lambda-facts §4).
    let roll = weighted.map(|(version, weight)| {
        let draw = (cloud.ids.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        (version, draw < weight)
    });
    let lambda = cloud
        .service::<Lambda>()
        .ok_or_else(|| InvokeError::NotSimulated("the Lambda service is not registered".into()))?;
    let (config, invoked_arn) = resolve(lambda, cloud, function_name, roll)?;
    let limits = lambda.limits;
    let event = if payload.trim().is_empty() { "{}" } else { payload };
    // Source: the SDK error seen for oversized requests (lambda-facts §3.2, §11); the async API names itself.
    let (limit, operation) = match invocation_type {
        InvocationType::Event => (MAX_ASYNC_PAYLOAD_BYTES, "the InvokeAsync API"),
        _ => (MAX_SYNC_PAYLOAD_BYTES, "the InvokeFunction operation"),
    };
    if event.len() > limit {
        return Err(InvokeError::RequestEntityTooLarge(format!(
            "Request must be smaller than {limit} bytes for {operation}"
        )));
    }
    let parsed = match serde_json::from_str::<serde_json::Value>(event) {
        Ok(parsed) => parsed,
        // Source: LocalStack / SAM (`Could not parse request body into json: ...`), lambda-facts §3.1.
        Err(e) => {
            return Err(InvokeError::InvalidRequestContent(format!(
                "Could not parse request body into json: {e}"
            )))
        }
    };
    if invocation_type == InvocationType::DryRun {
        return Ok(InvokeOutput {
            status_code: 204,
            function_error: None,
            executed_version: config.version.clone(),
            payload: String::new(),
            request_id: cloud.ids.uuid(),
            logs: Vec::new(),
        });
    }
    if let Some(reason) = throttled(cloud, &config.function_name) {
        let now = cloud.clock.now_millis();
        if let Some(lambda) = cloud.service_mut::<Lambda>() {
            lambda.record(super::InvocationRecord {
                throttled: Some(reason.to_string()),
                billed_ms: 0,
                ..record(&config, now, 0.0, None, false)
            });
        }
        return Err(InvokeError::TooManyRequests {
            reason: reason.to_string(),
        });
    }
    if !super::NODEJS_RUNTIMES.contains(&config.runtime.as_str()) {
        return Err(InvokeError::NotSimulated(format!(
            "the runtime '{}' (only Node.js runtimes run: {})",
            config.runtime,
            super::NODEJS_RUNTIMES.join(", ")
        )));
    }
    // Borrowed: a warm invoke does not need the code (a clone per invoke cost a copy of every source file).
    let files = match &config.code {
        FunctionCode::Files(files) => files,
        FunctionCode::Unreadable(what) => return Err(InvokeError::NotSimulated(what.clone())),
    };
    super::recursion::check(cloud, &config.function_name)?;
    let request_id = given_request_id.unwrap_or_else(|| cloud.ids.uuid());
    let key = (config.function_name.clone(), config.version.clone());
    let start = cloud.clock.now_millis();
    let warm = cloud.service_mut::<Lambda>().and_then(|l| take_idle(l, &key, start));
    // An environment with less than one invocation's instruction budget left is retired and a fresh one started
    // (crate::js::budget): an extra cold start, which AWS may give at any time too (it recycles environments when
    // it likes; docs "Lambda execution environment lifecycle").
    let warm = warm.filter(|environment| environment.engine.can_serve());
    let mut logs = Vec::new();
    let (mut environment, init_ms) = match warm {
        Some(environment) => {
            environment.engine.set_now(start);
            (environment, None)
        }
        None => {
            let log_stream_name = format!(
                "{}/[{}]{}",
                iso_millis(start).get(..10).unwrap_or_default().replace('-', "/"),
                config.version,
                cloud.ids.string(32, b"0123456789abcdef")
            );
            let variables = environment_variables(cloud, &config, &log_stream_name);
            let seed = cloud.ids.next_u64();
            let mut engine = Engine::for_timeout(files, &variables, start, seed, limits, config.timeout)
                .map_err(|e| InvokeError::NotSimulated(e.to_string()))?;
            engine.set_memory_limit(
                heap_limit_bytes(config.memory_size),
                config.memory_size.saturating_mul(MIB),
            );
            let init = engine.init(&config.handler, &config.runtime);
            logs.extend(engine.take_logs());
            let init_ms = engine.host().now_millis().saturating_sub(start) as f64;
            let init_status = match &init {
                Ok(()) => SpanStatus::Ok,
                Err(Some(_)) => SpanStatus::Error,
                Err(None) => SpanStatus::Timeout,
            };
            let init_end = engine.host().now_millis();
            let function = || SpanKind::LambdaInit {
                function: config.function_name.clone(),
            };
            cloud.traces.record(function, start, init_end, init_status);
            if let Err(failure) = init {
                let (error_type, payload) = match failure {
                    // Inferred: the invoke-phase out-of-memory payload (AWS's for init is not recorded).
                    Some((error_type, _)) if error_type == "Runtime.OutOfMemory" => {
                        let message = killed_message(&request_id);
                        engine.push_log(format!("{message}\nRuntime.ExitError").replace('\n', "\r"));
                        logs.extend(engine.take_logs());
                        let payload = json!({"errorType": "Runtime.ExitError", "errorMessage": message});
                        (error_type, payload.to_string())
                    }
                    Some(pair) => pair,
                    None => (
                        "Sandbox.Timedout".to_string(),
                        timeout_payload(&request_id, config.timeout),
                    ),
                };
                // Sources: lambda-facts §1.1 (INIT_REPORT after a failed init; a sync caller gets 200 +
                // Unhandled + the error payload) and §2.2 (`Status: error\tError Type: ...`).
                logs.push(format!(
                    "INIT_REPORT Init Duration: {init_ms:.2} ms\tPhase: init\tStatus: error\tError Type: {error_type}"
                ));
                logs.push(start_line(&request_id, &config.version));
                logs.push(end_line(&request_id));
                let status = format!("Status: error\tError Type: {error_type}");
                let used = max_memory_used_mb(engine.peak_heap_bytes(), config.memory_size);
                logs.push(report_line(
                    &request_id,
                    0.0,
                    None,
                    (config.memory_size, used),
                    Some(&status),
                ));
                if let Some(lambda) = cloud.service_mut::<Lambda>() {
                    lambda.record(record(&config, start, 0.0, Some(init_ms), true));
                }
                let times = crate::logs::lambda::InvocationTimes {
                    start_ms: start,
                    invoke_start_ms: start,
                    end_ms: cloud.clock.now_millis(),
                };
                crate::logs::lambda::deliver(cloud, &config, &log_stream_name, &logs, times);
                return Ok(finish(invocation_type, &config, request_id, true, payload, logs));
            }
            (
                ExecutionEnvironment {
                    engine,
                    log_stream_name,
                    busy_until: start,
                },
                Some(init_ms),
            )
        }
    };
    let invoke_start = environment.engine.host().now_millis();
    logs.push(start_line(&request_id, &config.version));
    environment.engine.set_request_id(&request_id);
    let deadline = invoke_start.saturating_add(config.timeout.saturating_mul(1000));
    let info = json!({
        "functionName": config.function_name,
        "functionVersion": config.version,
        "invokedFunctionArn": invoked_arn,
        "memoryLimitInMB": config.memory_size.to_string(),
        "awsRequestId": request_id,
        "logGroupName": format!("/aws/lambda/{}", config.function_name),
        "logStreamName": environment.log_stream_name,
        "deadlineMs": deadline,
        "runtime": config.runtime,
        "traceId": trace_id(cloud, invoke_start),
    });
    let caller = Caller::assumed_role(&config.role, &config.function_name);
    super::recursion::enter(cloud, &config.function_name, true);
    let invocation = || SpanKind::LambdaInvoke {
        function: config.function_name.clone(),
    };
    let invocation = cloud.traces.begin(invocation, invoke_start);
    let end = {
        let mut bridge = |call: &SdkCall, now_ms: u64| sdk_call(cloud, &caller, call, now_ms);
        environment
            .engine
            .invoke(event, Some(&parsed), &info, deadline, &mut bridge)
    };
    super::recursion::leave(cloud);
    let (failed, payload, keep, status) = match end {
        LoopEnd::Reported { failed, payload } => (failed, payload, true, None),
        LoopEnd::Drained { is_async: false } => (false, "null".to_string(), true, None),
        LoopEnd::Drained { is_async: true } => (
            true,
            runtime_error_payload("Runtime.NodeJsExit", NODEJS_EXIT_MESSAGE),
            false,
            Some("Status: error\tError Type: Runtime.NodeJsExit".to_string()),
        ),
        LoopEnd::TimedOut => {
            environment.engine.set_now(deadline);
            if environment.engine.host().ran_out_of_instructions() {
                environment.engine.push_log(BUDGET_SPENT_LINE.to_string());
            }
            environment.engine.push_log(format!(
                "{} {request_id} {}",
                iso_millis(deadline),
                timed_out_message(config.timeout)
            ));
            (
                true,
                timeout_payload(&request_id, config.timeout),
                false,
                Some("Status: timeout".to_string()),
            )
        }
        LoopEnd::Uncaught { payload } => (
            true,
            payload,
            false,
            Some("Status: error\tError Type: Runtime.ExitError".to_string()),
        ),
        // Source: the Runtime.ExitError payload and REPORT status AWS gives when the runtime process exits
        // mid-invoke (lambda-facts §2.2 `Status: error\tError Type: Runtime.ExitError`; RIE `fatalerror.go`).
        LoopEnd::Exited { code } => {
            let message = if code == 0 {
                format!("RequestId: {request_id} Error: Runtime exited without providing a reason")
            } else {
                format!("RequestId: {request_id} Error: Runtime exited with error: exit status {code}")
            };
            runtime_exited(&environment.engine, message, "Runtime.ExitError")
        }
        // Source: a function killed for going over its memory (see `killed_message`); REPORT ends
        // `Status: error\tError Type: Runtime.OutOfMemory` (as quoted in nasa-gcn/gcn.nasa.gov pull request 3628;
        // the suffix shape is lambda-facts §2.2's).
        LoopEnd::OutOfMemory => runtime_exited(&environment.engine, killed_message(&request_id), "Runtime.OutOfMemory"),
        LoopEnd::StackOverflow => (
            true,
            runtime_error_payload("RangeError", "Maximum call stack size exceeded"),
            false,
            Some("Status: error\tError Type: Runtime.ExitError".to_string()),
        ),
    };
    // Source: `Function.ResponseSizeTooLarge` (lambda-facts §3.2: moto and aws-lambda-dotnet tests).
    let (failed, payload) = if payload.len() > MAX_RESPONSE_BYTES {
        let message =
            format!("Response payload size exceeded maximum allowed payload size ({MAX_RESPONSE_BYTES} bytes).");
        (
            true,
            json!({"errorMessage": message, "errorType": "Function.ResponseSizeTooLarge"}).to_string(),
        )
    } else {
        (failed, payload)
    };
    logs.extend(environment.engine.take_logs());
    let now = environment.engine.host().now_millis();
    let duration_ms = now.saturating_sub(invoke_start) as f64;
    let invocation_status = match status.as_deref() {
        Some("Status: timeout") => SpanStatus::Timeout,
        _ if failed => SpanStatus::Error,
        _ => SpanStatus::Ok,
    };
    cloud.traces.end(invocation, now, invocation_status);
    logs.push(end_line(&request_id));
    let used = max_memory_used_mb(environment.engine.peak_heap_bytes(), config.memory_size);
    logs.push(report_line(
        &request_id,
        duration_ms,
        init_ms,
        (config.memory_size, used),
        status.as_deref(),
    ));
    cloud.clock.advance(now.saturating_sub(cloud.clock.now_millis()));
    if let Some(lambda) = cloud.service_mut::<Lambda>() {
        lambda.record(record(&config, start, duration_ms, init_ms, failed));
    }
    let times = crate::logs::lambda::InvocationTimes {
        start_ms: start,
        invoke_start_ms: invoke_start,
        end_ms: cloud.clock.now_millis(),
    };
    crate::logs::lambda::deliver(cloud, &config, &environment.log_stream_name, &logs, times);
    if keep {
        if let Some(lambda) = cloud.service_mut::<Lambda>() {
            environment.engine.set_request_id("undefined");
            environment.busy_until = now;
            lambda.environments.entry(key).or_default().push(environment);
        }
    }
    Ok(finish(invocation_type, &config, request_id, failed, payload, logs))
}

/// Whether the function's reserved concurrency or the account's unreserved pool throttles an invoke now, with the
/// throttle's `Reason` ([`super::concurrency`]).
fn throttled(cloud: &Cloud, function_name: &str) -> Option<&'static str> {
    let lambda = cloud.service::<Lambda>()?;
    let now = cloud.clock.now_millis();
    let reserved = lambda
        .functions
        .get(function_name)
        .and_then(|f| f.reserved_concurrent_executions);
    // Environments busy until a later virtual instant, plus the invocations of the function running inside one
    // another right now (their environments are out of the pool while they run, so nothing is counted twice).
    let nested = super::recursion::running(cloud, function_name);
    let unreserved_nested = if reserved.is_none() { nested } else { 0 };
    super::concurrency::throttle_reason(
        reserved,
        lambda.concurrency(function_name, now) + nested,
        lambda.unreserved_concurrency(now) + unreserved_nested,
        lambda.reserved_total(),
    )
}

/// The metrics record of an invocation of `config` that started at `start_ms`.
fn record(
    config: &FunctionConfiguration,
    start_ms: u64,
    duration_ms: f64,
    init_ms: Option<f64>,
    failed: bool,
) -> super::InvocationRecord {
    super::InvocationRecord {
        function_name: config.function_name.clone(),
        start_ms,
        duration_ms,
        init_ms,
        billed_ms: billed_duration(duration_ms, init_ms),
        memory_mb: config.memory_size,
        architecture: config.architecture.clone(),
        throttled: None,
        failed,
    }
}

/// Takes an idle environment of `key` at `now` out of the pool (the first one, so that reuse is deterministic);
/// `None` when every one is busy or there is none: the invoke is a cold start.
fn take_idle(lambda: &mut Lambda, key: &(String, String), now: u64) -> Option<ExecutionEnvironment> {
    let pool = lambda.environments.get_mut(key)?;
    let index = pool.iter().position(|e| e.busy_until <= now)?;
    Some(pool.remove(index))
}

/// Answers one SDK call a handler made: the Cloud's clock moves to the call's virtual time, the response gets its
/// service's request id, and the service answers as the function's execution role
/// (`arn:aws:sts::<account>:assumed-role/<role>/<function>`, lambda-facts §6.1).
///
/// The call is a span of the trace ([`crate::trace::SpanKind::SdkCall`]) from when the handler made it
/// ([`SDK_CALL_LATENCY_MS`] before it is due) to its answer.
fn sdk_call(cloud: &mut Cloud, caller: &Caller, call: &SdkCall, now_ms: u64) -> SdkAnswer {
    cloud.clock.advance(now_ms.saturating_sub(cloud.clock.now_millis()));
    let kind = || SpanKind::SdkCall {
        service: call.service.clone(),
        operation: call.operation.clone(),
        resource: crate::trace::resource_of(&call.service, &call.input),
    };
    let span = cloud.traces.begin(kind, now_ms.saturating_sub(SDK_CALL_LATENCY_MS));
    let request_id = crate::js::sdk::request_id(&call.service, &mut cloud.ids);
    let request = ApiRequest {
        service: &call.service,
        operation: &call.operation,
        input: &call.input,
        caller,
    };
    let result = cloud.call(&request);
    let status = match &result {
        Ok(_) => SpanStatus::Ok,
        Err(e) => SpanStatus::of_error_code(&e.code),
    };

    // A synchronous Invoke holds the caller until the callee has answered: its answer arrives when the callee's
    // invocation ended on the clock (the callee ran from the call's due time).
    let synchronous_invoke = call.service == "lambda"
        && call.operation == "Invoke"
        && matches!(
            call.input.get("InvocationType").and_then(serde_json::Value::as_str),
            None | Some("RequestResponse")
        );
    let answered_ms = synchronous_invoke.then(|| cloud.clock.now_millis());
    cloud
        .traces
        .end(span, answered_ms.unwrap_or(now_ms).max(now_ms), status);
    SdkAnswer {
        request_id,
        result,
        answered_ms,
    }
}

fn finish(
    invocation_type: InvocationType,
    config: &FunctionConfiguration,
    request_id: String,
    failed: bool,
    payload: String,
    logs: Vec<String>,
) -> InvokeOutput {
    match invocation_type {
        // An `Event` invoke answers 202 with an empty body whatever the function does ([`super::async_queue`]
        // retries and delivers the outcome).
        InvocationType::Event => InvokeOutput {
            status_code: 202,
            function_error: None,
            executed_version: config.version.clone(),
            payload: String::new(),
            request_id,
            logs,
        },
        _ => InvokeOutput {
            status_code: 200,
            function_error: failed.then(|| "Unhandled".to_string()),
            executed_version: config.version.clone(),
            payload,
            request_id,
            logs,
        },
    }
}

/// The configuration a name and qualifier select, and the ARN the caller invoked (qualified if it was).
fn resolve(
    lambda: &Lambda,
    cloud: &Cloud,
    function_name: &str,
    roll: Option<(String, bool)>,
) -> Result<(FunctionConfiguration, String), InvokeError> {
    let (name, qualifier) = lambda.resolve_name(function_name);
    let arn = format!(
        "arn:{}:lambda:{}:{}:function:{name}",
        cloud.partition(),
        cloud.region,
        cloud.account_id
    );
    // Source: LocalStack's message for an unknown function (lambda-facts §11).
    let not_found = |q: &str| InvokeError::ResourceNotFound(format!("Function not found: {arn}{q}"));
    let function = lambda.functions.get(&name).ok_or_else(|| not_found(""))?;
    match qualifier.as_deref() {
        None => Ok((function.latest.clone(), arn)),
        Some("$LATEST") => Ok((function.latest.clone(), format!("{arn}:$LATEST"))),
        Some(q) => {
            let version = match q.parse::<u64>() {
                Ok(n) => Some(n),
                Err(_) => match &roll {
                    Some((additional, true)) => additional.parse::<u64>().ok(),
                    _ => function
                        .aliases
                        .get(q)
                        .map(|a| a.function_version.as_str())
                        .and_then(|v| v.parse::<u64>().ok()),
                },
            };
            if let Some(alias) = function.aliases.get(q) {
                if alias.function_version == "$LATEST" {
                    return Ok((function.latest.clone(), format!("{arn}:{q}")));
                }
            }
            version
                .and_then(|n| function.versions.get(&n))
                .map(|c| (c.clone(), format!("{arn}:{q}")))
                .ok_or_else(|| not_found(&format!(":{q}")))
        }
    }
}

/// `_X_AMZN_TRACE_ID` for one invocation: `Root=1-<8 hex seconds>-<24 hex>;Parent=<16 hex>;Sampled=0` (X-Ray
/// trace header format, docs "Tracing header").
fn trace_id(cloud: &mut Cloud, now_ms: u64) -> String {
    let hex = b"0123456789abcdef";
    format!(
        "Root=1-{:08x}-{};Parent={};Sampled=0",
        now_ms / 1000,
        cloud.ids.string(24, hex),
        cloud.ids.string(16, hex)
    )
}

/// The environment of a function's process: the reserved variables Lambda defines (docs: "Defined runtime
/// environment variables"), then the function's own.
fn environment_variables(cloud: &mut Cloud, config: &FunctionConfiguration, log_stream: &str) -> Vec<(String, String)> {
    let access_key = format!("ASIA{}", cloud.ids.string(16, crate::cloud::UPPER_ALPHANUMERIC));
    let secret = cloud.ids.string(40, crate::cloud::MIXED_ALPHANUMERIC);
    let token = cloud.ids.string(64, crate::cloud::MIXED_ALPHANUMERIC);
    let node_major = config.runtime.trim_start_matches("nodejs").trim_end_matches(".x");
    let mut vars: Vec<(String, String)> = [
        ("AWS_LAMBDA_FUNCTION_VERSION", config.version.clone()),
        ("AWS_SESSION_TOKEN", token),
        ("LAMBDA_TASK_ROOT", crate::js::TASK_ROOT.to_string()),
        ("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{}", config.function_name)),
        ("LD_LIBRARY_PATH", "/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib".to_string()),
        ("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001".to_string()),
        ("AWS_LAMBDA_LOG_STREAM_NAME", log_stream.to_string()),
        ("AWS_EXECUTION_ENV", format!("AWS_Lambda_{}", config.runtime)),
        ("AWS_LAMBDA_FUNCTION_NAME", config.function_name.clone()),
        ("AWS_XRAY_DAEMON_ADDRESS", "169.254.79.129:2000".to_string()),
        ("PATH", "/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin".to_string()),
        ("AWS_DEFAULT_REGION", cloud.region.clone()),
        ("PWD", crate::js::TASK_ROOT.to_string()),
        ("AWS_SECRET_ACCESS_KEY", secret),
        ("LAMBDA_RUNTIME_DIR", "/var/runtime".to_string()),
        ("LANG", "en_US.UTF-8".to_string()),
        ("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand".to_string()),
        ("NODE_PATH", format!("/opt/nodejs/node{node_major}/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task")),
        ("AWS_REGION", cloud.region.clone()),
        ("TZ", ":UTC".to_string()),
        ("AWS_ACCESS_KEY_ID", access_key),
        ("SHLVL", "0".to_string()),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", config.memory_size.to_string()),
        ("_HANDLER", config.handler.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    vars.extend(super::logging::variables(&config.logging));
    vars.extend(config.environment.iter().map(|(k, v)| (k.clone(), v.clone())));
    vars
}
