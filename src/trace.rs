//! Request traces: what one request did across the account, as a tree of timed spans on the virtual clock.
//!
//! The model mirrors AWS X-Ray's segments and subsegments (docs: "AWS X-Ray concepts" and "AWS X-Ray segment
//! documents"), which is what the console's trace map and timeline draw:
//!
//! - a [`RequestTrace`] is an X-Ray *trace*: everything one request caused, under one id;
//! - a [`Span`] without a parent is the trace's first *segment* (the API Gateway stage that received the request,
//!   or the Lambda service for a direct `Invoke`); every other span is a *subsegment* of its parent. X-Ray keeps
//!   the Lambda function's segments (`AWS::Lambda`, `AWS::Lambda::Function`) as separate segments linked by
//!   `parent_id`; here they are spans under the span that called them, which draws the same timeline;
//! - span kinds follow X-Ray's names: API Gateway's stages, Lambda's `Initialization` and `Invocation`
//!   subsegments, and one `aws` namespace subsegment per SDK call named after the service, with the operation
//!   (`DynamoDB PutItem`, X-Ray's `aws.operation`).
//!
//! Times are virtual milliseconds since the epoch ([`crate::cloud::VirtualClock`]), so a trace is as reproducible
//! as the rest of a run. Recording is off by default ([`Tracer::set_enabled`]): a Cloud nobody reads traces from
//! (the CLI, tests, load simulations) pays one branch per span and builds nothing.
//!
//! Not simulated: sampling rules (every request is traced while recording is on), annotations and metadata, and
//! X-Ray's own API (`GetTraceSummaries`, `BatchGetTraces`). API Gateway authorizers are not simulated (see
//! [`crate::apigateway::invoke::method_request`]), so no trace has an authorizer span.

use std::collections::VecDeque;

/// How many finished traces a [`Tracer`] keeps (older ones are dropped first); a playground limit.
pub const MAX_TRACES: usize = 20;

/// The most spans one trace records; later spans are dropped (a playground limit that keeps a runaway handler
/// making SDK calls in a loop from growing the trace without bound).
pub const MAX_SPANS: usize = 1_000;

/// A stage of API Gateway's request chain (design: `method request -> integration request -> integration ->
/// integration response -> method response`), each an X-Ray subsegment of the API Gateway segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatewayStage {
    /// Method request: authorization type, API key, request validation.
    MethodRequest,
    /// Integration request: parameter mapping and the request template.
    IntegrationRequest,
    /// The integration: MOCK, Lambda, HTTP or AWS service.
    Integration,
    /// Integration response: selection and the response template (a Lambda proxy integration has none: source
    /// "Set up Lambda proxy integrations in API Gateway").
    IntegrationResponse,
    /// Method response.
    MethodResponse,
}

impl GatewayStage {
    /// The stage's name as the API Gateway console's Method Execution view writes it.
    pub fn label(self) -> &'static str {
        match self {
            GatewayStage::MethodRequest => "Method request",
            GatewayStage::IntegrationRequest => "Integration request",
            GatewayStage::Integration => "Integration",
            GatewayStage::IntegrationResponse => "Integration response",
            GatewayStage::MethodResponse => "Method response",
        }
    }
}

/// What a span timed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpanKind {
    /// A request received by an API Gateway stage (X-Ray's API Gateway segment, named `<api id>/<stage>`); test
    /// invoke's stage is `test-invoke-stage`.
    ApiRequest {
        /// The REST API id.
        api_id: String,
        /// The stage name.
        stage: String,
        /// The request's HTTP method.
        http_method: String,
        /// The path after the stage (test invoke: the path tested).
        path: String,
    },
    /// One stage of the request chain.
    Gateway(GatewayStage),
    /// The Lambda service handling a synchronous invocation of `function` (X-Ray's `AWS::Lambda` segment): a
    /// throttle ends here, with no function spans under it.
    Lambda {
        /// The function's name.
        function: String,
    },
    /// A cold start's init phase (X-Ray's `Initialization` subsegment of `AWS::Lambda::Function`).
    LambdaInit {
        /// The function's name.
        function: String,
    },
    /// The handler's run, from the call to settling (X-Ray's `Invocation` subsegment).
    LambdaInvoke {
        /// The function's name.
        function: String,
    },
    /// An AWS API call: an SDK call from a handler, or an API Gateway AWS service integration's call (X-Ray's
    /// `aws` namespace subsegment, named after the service, with `aws.operation`).
    SdkCall {
        /// The signing name (`dynamodb`).
        service: String,
        /// The operation (`PutItem`).
        operation: String,
        /// The resource the call addressed, when the input names one: a table, bucket, topic, queue or
        /// function name.
        resource: Option<String>,
    },
}

/// How a span ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanStatus {
    /// It succeeded.
    Ok,
    /// It failed (X-Ray's `error` and `fault` flags: a 4XX or 5XX, a function error, a service error).
    Error,
    /// It was refused for a rate or concurrency limit (X-Ray's `throttle` flag, a 429).
    Throttled,
    /// It ran out of time (a Lambda timeout, API Gateway's integration timeout).
    Timeout,
}

impl SpanStatus {
    /// `ok`, `error`, `throttled` or `timeout`.
    pub fn label(self) -> &'static str {
        match self {
            SpanStatus::Ok => "ok",
            SpanStatus::Error => "error",
            SpanStatus::Throttled => "throttled",
            SpanStatus::Timeout => "timeout",
        }
    }

    /// The status of an HTTP response: 429 throttled, 504 timeout (API Gateway's integration timeout), any other
    /// 4XX or 5XX an error.
    pub fn of_http(status: u16) -> SpanStatus {
        match status {
            429 => SpanStatus::Throttled,
            504 => SpanStatus::Timeout,
            400.. => SpanStatus::Error,
            _ => SpanStatus::Ok,
        }
    }

    /// The status of an AWS error code: the throttling codes of the services (`ThrottlingException`,
    /// `TooManyRequestsException`, DynamoDB's `ProvisionedThroughputExceededException` and
    /// `RequestLimitExceeded`) are throttles, any other code an error.
    pub fn of_error_code(code: &str) -> SpanStatus {
        match code {
            "ThrottlingException"
            | "Throttling"
            | "TooManyRequestsException"
            | "ProvisionedThroughputExceededException"
            | "RequestLimitExceeded" => SpanStatus::Throttled,
            _ => SpanStatus::Error,
        }
    }
}

/// One timed step of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// What it timed.
    pub kind: SpanKind,
    /// The index of its parent in [`RequestTrace::spans`]; `None` for the trace's root segment.
    pub parent: Option<usize>,
    /// When it began (virtual ms since the epoch).
    pub start_ms: u64,
    /// When it ended (virtual ms since the epoch, never before `start_ms`).
    pub end_ms: u64,
    /// How it ended.
    pub status: SpanStatus,
}

impl Span {
    /// Its duration in virtual milliseconds.
    pub fn duration_ms(&self) -> u64 {
        self.end_ms.saturating_sub(self.start_ms)
    }

    /// Its name as a trace timeline shows it: `API Gateway abc123/prod`, `Method request`, `Lambda hello`,
    /// `Initialization`, `Invocation`, `DynamoDB PutItem`.
    pub fn name(&self) -> String {
        match &self.kind {
            SpanKind::ApiRequest { api_id, stage, .. } => format!("API Gateway {api_id}/{stage}"),
            SpanKind::Gateway(stage) => stage.label().to_string(),
            SpanKind::Lambda { function } => format!("Lambda {function}"),
            SpanKind::LambdaInit { .. } => "Initialization".to_string(),
            SpanKind::LambdaInvoke { .. } => "Invocation".to_string(),
            SpanKind::SdkCall { service, operation, .. } => format!("{} {operation}", service_name(service)),
        }
    }

    /// What it worked on, when its name does not say: the request line of an API request (`GET /items`), the
    /// resource of an SDK call (`Table1`).
    pub fn detail(&self) -> Option<String> {
        match &self.kind {
            SpanKind::ApiRequest { http_method, path, .. } => Some(format!("{http_method} {path}")),
            SpanKind::SdkCall { resource, .. } => resource.clone(),
            _ => None,
        }
    }

    /// The resource it ran in, as `(signing name, resource name)`: `("apigateway", <api id>)`,
    /// `("lambda", <function>)`, or an SDK call's `(service, resource)`. Stages and Lambda's phases have none
    /// (they run in their parent's resource).
    pub fn resource(&self) -> Option<ResourceKey<'_>> {
        match &self.kind {
            SpanKind::ApiRequest { api_id, .. } => Some(("apigateway", api_id)),
            SpanKind::Lambda { function } => Some(("lambda", function)),
            SpanKind::SdkCall {
                service,
                resource: Some(resource),
                ..
            } => Some((service, resource)),
            _ => None,
        }
    }
}

/// The name X-Ray gives an AWS SDK subsegment: the service's name (`DynamoDB`, `S3`, `SNS`, `SQS`, `Lambda`).
/// An unknown signing name is shown as it is.
pub fn service_name(signing_name: &str) -> &str {
    match signing_name {
        "dynamodb" => "DynamoDB",
        "s3" => "S3",
        "sns" => "SNS",
        "sqs" => "SQS",
        "lambda" => "Lambda",
        "logs" => "CloudWatch Logs",
        "iam" => "IAM",
        "sts" => "STS",
        "events" => "EventBridge",
        "apigateway" => "API Gateway",
        other => other,
    }
}

/// The resource an AWS API call addresses, read from its input: `TableName` (DynamoDB), `Bucket` (S3), the last
/// part of `TopicArn` / `TargetArn` (SNS) or of `QueueUrl` (SQS), `FunctionName` (Lambda). `None` when the input
/// names none (e.g. `ListTables`, `BatchWriteItem`).
pub fn resource_of(service: &str, input: &serde_json::Value) -> Option<String> {
    let field = |name: &str| input.get(name).and_then(serde_json::Value::as_str);
    let name = match service {
        "dynamodb" => field("TableName")?,
        "s3" => field("Bucket")?,
        "sns" => field("TopicArn").or_else(|| field("TargetArn"))?.rsplit(':').next()?,
        "sqs" => field("QueueUrl")?.trim_end_matches('/').rsplit('/').next()?,
        "lambda" => field("FunctionName")?,
        _ => return None,
    };
    (!name.is_empty()).then(|| name.to_string())
}

/// A resource as `(signing name, name)`: `("lambda", "hello")`, `("dynamodb", "items")`.
pub type ResourceKey<'a> = (&'a str, &'a str);

/// A request's trace: its spans, parents before their children, in the order they began.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestTrace {
    /// Its number in this Cloud's session (1 for the first trace recorded).
    pub number: u64,
    /// The spans; the first is the root segment.
    pub spans: Vec<Span>,
}

impl RequestTrace {
    /// The root segment.
    pub fn root(&self) -> Option<&Span> {
        self.spans.first()
    }

    /// How deep span `index` is nested (0 for the root).
    pub fn depth(&self, index: usize) -> usize {
        let mut depth = 0;
        let mut at = self.spans.get(index).and_then(|s| s.parent);
        // Parents always come first, so the walk ends; the bound guards a malformed trace all the same.
        while let Some(parent) = at.filter(|_| depth < self.spans.len()) {
            depth += 1;
            at = self.spans.get(parent).and_then(|s| s.parent);
        }
        depth
    }

    /// The hops between resources the request made, as `((service, name), (service, name))` pairs in the order
    /// they began: each span with a [`Span::resource`] is reached from the nearest enclosing span with one
    /// (API → function, function → table, function → function). What a trace map's edges are; a hop within
    /// one resource is left out.
    pub fn hops(&self) -> Vec<(ResourceKey<'_>, ResourceKey<'_>)> {
        let mut hops = Vec::new();
        for span in &self.spans {
            let Some(to) = span.resource() else { continue };
            let mut at = span.parent;
            let mut steps = 0;
            while let Some(parent) = at.and_then(|i| self.spans.get(i)).filter(|_| steps < self.spans.len()) {
                if let Some(from) = parent.resource() {
                    if from != to && !hops.contains(&(from, to)) {
                        hops.push((from, to));
                    }
                    break;
                }
                at = parent.parent;
                steps += 1;
            }
        }
        hops
    }

    /// The resources the request touched, as `(service, name)`, in the order they were reached.
    pub fn resources(&self) -> Vec<ResourceKey<'_>> {
        let mut all: Vec<ResourceKey<'_>> = Vec::new();
        for r in self.spans.iter().filter_map(Span::resource) {
            if !all.contains(&r) {
                all.push(r);
            }
        }
        all
    }
}

/// A handle on an open span, from [`Tracer::begin`]; `None` when recording is off.
pub type SpanHandle = Option<usize>;

/// Records the traces of a Cloud's requests: the open one, and the last [`MAX_TRACES`] finished ones.
///
/// A span opened while no trace is open starts a new trace (it is the root segment); the trace is finished when
/// its root span ends. Spans opened while another is open nest under it, so a handler's SDK call lands under
/// the function's invocation, itself under the API Gateway integration that invoked it.
#[derive(Debug, Clone, Default)]
pub struct Tracer {
    enabled: bool,
    open: Option<RequestTrace>,
    /// The open spans, innermost last (indexes into `open`'s spans).
    stack: Vec<usize>,
    finished: VecDeque<RequestTrace>,
    count: u64,
}

impl Tracer {
    /// Turns recording on or off (off by default). Turning it off drops the open trace, if any.
    pub fn set_enabled(&mut self, enabled: bool) {
        self.enabled = enabled;
        if !enabled {
            self.open = None;
            self.stack.clear();
        }
    }

    /// Whether spans are recorded.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Opens a span of `kind` (built only when recording) at `start_ms`, under the innermost open span, or as the
    /// root of a new trace. Past [`MAX_SPANS`] the span is not recorded (and its handle is `None`).
    pub fn begin(&mut self, kind: impl FnOnce() -> SpanKind, start_ms: u64) -> SpanHandle {
        if !self.enabled {
            return None;
        }
        let trace = self.open.get_or_insert_with(|| RequestTrace {
            number: self.count + 1,
            spans: Vec::new(),
        });
        if trace.spans.len() >= MAX_SPANS {
            return None;
        }
        if trace.spans.is_empty() {
            self.count += 1;
        }
        let parent = self.stack.last().copied();
        trace.spans.push(Span {
            kind: kind(),
            parent,
            start_ms,
            end_ms: start_ms,
            status: SpanStatus::Ok,
        });
        let index = trace.spans.len() - 1;
        self.stack.push(index);
        Some(index)
    }

    /// Closes the span `handle` at `end_ms` with `status` (and any span still open inside it, at the same time).
    /// Closing the root finishes the trace.
    pub fn end(&mut self, handle: SpanHandle, end_ms: u64, status: SpanStatus) {
        let (Some(index), Some(trace)) = (handle, self.open.as_mut()) else {
            return;
        };
        let Some(position) = self.stack.iter().rposition(|i| *i == index) else {
            return;
        };
        for inner in self.stack.drain(position..) {
            if let Some(span) = trace.spans.get_mut(inner) {
                span.end_ms = end_ms.max(span.start_ms);
                if inner == index {
                    span.status = status;
                }
            }
        }
        if self.stack.is_empty() {
            if let Some(done) = self.open.take() {
                self.finished.push_back(done);
                if self.finished.len() > MAX_TRACES {
                    self.finished.pop_front();
                }
            }
        }
    }

    /// Records a span that has already ended (a phase timed after the fact, such as Lambda's init).
    pub fn record(&mut self, kind: impl FnOnce() -> SpanKind, start_ms: u64, end_ms: u64, status: SpanStatus) {
        let handle = self.begin(kind, start_ms);
        self.end(handle, end_ms, status);
    }

    /// The finished traces, oldest first.
    pub fn finished(&self) -> impl DoubleEndedIterator<Item = &RequestTrace> {
        self.finished.iter()
    }

    /// The last finished trace.
    pub fn latest(&self) -> Option<&RequestTrace> {
        self.finished.back()
    }

    /// Forgets the finished traces.
    pub fn clear(&mut self) {
        self.finished.clear();
    }
}

/// Runs `work` inside a span of `kind` that starts at the clock's time and ends when `work` returns, with the
/// status `status` reads from its result. Every early return of `work` still closes the span.
pub fn traced<T>(
    cloud: &mut crate::Cloud,
    kind: impl FnOnce() -> SpanKind,
    work: impl FnOnce(&mut crate::Cloud) -> T,
    status: impl FnOnce(&T) -> SpanStatus,
) -> T {
    if !cloud.traces.is_enabled() {
        return work(cloud);
    }
    let handle = cloud.traces.begin(kind, cloud.clock.now_millis());
    let result = work(cloud);
    let now = cloud.clock.now_millis();
    cloud.traces.end(handle, now, status(&result));
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(s: GatewayStage) -> impl FnOnce() -> SpanKind {
        move || SpanKind::Gateway(s)
    }

    #[test]
    fn nothing_is_recorded_while_off() {
        let mut tracer = Tracer::default();
        let h = tracer.begin(stage(GatewayStage::Integration), 0);
        tracer.end(h, 5, SpanStatus::Ok);
        assert_eq!(h, None);
        assert!(tracer.latest().is_none());
    }

    #[test]
    fn spans_nest_and_the_root_closes_the_trace() {
        let mut tracer = Tracer::default();
        tracer.set_enabled(true);
        let root = tracer.begin(|| SpanKind::Lambda { function: "f".into() }, 10);
        tracer.record(|| SpanKind::LambdaInit { function: "f".into() }, 10, 12, SpanStatus::Ok);
        let invoke = tracer.begin(|| SpanKind::LambdaInvoke { function: "f".into() }, 12);
        let inner = tracer.begin(stage(GatewayStage::Integration), 13);
        // Closing the invocation closes what was left open inside it.
        tracer.end(invoke, 20, SpanStatus::Timeout);
        assert!(tracer.latest().is_none(), "the root is still open");
        tracer.end(root, 21, SpanStatus::Error);
        let _ = inner;
        let trace = tracer.latest().unwrap();
        let rows: Vec<(String, Option<usize>, u64, u64, SpanStatus)> = trace
            .spans
            .iter()
            .map(|s| (s.name(), s.parent, s.start_ms, s.end_ms, s.status))
            .collect();
        assert_eq!(
            rows,
            [
                ("Lambda f".to_string(), None, 10, 21, SpanStatus::Error),
                ("Initialization".to_string(), Some(0), 10, 12, SpanStatus::Ok),
                ("Invocation".to_string(), Some(0), 12, 20, SpanStatus::Timeout),
                ("Integration".to_string(), Some(2), 13, 20, SpanStatus::Ok),
            ]
        );
        assert_eq!(trace.number, 1);
        assert_eq!(trace.depth(3), 2);
    }

    #[test]
    fn only_the_last_traces_are_kept() {
        let mut tracer = Tracer::default();
        tracer.set_enabled(true);
        for t in 0..(MAX_TRACES as u64 + 3) {
            tracer.record(stage(GatewayStage::MethodRequest), t, t, SpanStatus::Ok);
        }
        assert_eq!(tracer.finished().count(), MAX_TRACES);
        assert_eq!(tracer.finished().next().unwrap().number, 4);
        assert_eq!(tracer.latest().unwrap().number, MAX_TRACES as u64 + 3);
    }

    #[test]
    fn a_trace_stops_growing_at_its_span_limit() {
        let mut tracer = Tracer::default();
        tracer.set_enabled(true);
        let root = tracer.begin(stage(GatewayStage::Integration), 0);
        for t in 0..(MAX_SPANS as u64 + 10) {
            tracer.record(stage(GatewayStage::MethodRequest), t, t, SpanStatus::Ok);
        }
        tracer.end(root, 1, SpanStatus::Ok);
        assert_eq!(tracer.latest().unwrap().spans.len(), MAX_SPANS);
    }

    #[test]
    fn hops_join_each_resource_to_the_nearest_resource_above_it() {
        let span = |kind, parent| Span {
            kind,
            parent,
            start_ms: 0,
            end_ms: 0,
            status: SpanStatus::Ok,
        };
        let sdk = |service: &str, resource: &str| SpanKind::SdkCall {
            service: service.into(),
            operation: "Op".into(),
            resource: Some(resource.into()),
        };
        let trace = RequestTrace {
            number: 1,
            spans: vec![
                span(
                    SpanKind::ApiRequest {
                        api_id: "abc".into(),
                        stage: "prod".into(),
                        http_method: "GET".into(),
                        path: "/".into(),
                    },
                    None,
                ),
                span(SpanKind::Gateway(GatewayStage::Integration), Some(0)),
                span(SpanKind::Lambda { function: "f".into() }, Some(1)),
                span(SpanKind::LambdaInvoke { function: "f".into() }, Some(2)),
                span(sdk("dynamodb", "T"), Some(3)),
                span(sdk("lambda", "g"), Some(3)),
                span(SpanKind::Lambda { function: "g".into() }, Some(5)),
                span(sdk("dynamodb", "T"), Some(3)),
            ],
        };
        assert_eq!(
            trace.hops(),
            [
                (("apigateway", "abc"), ("lambda", "f")),
                (("lambda", "f"), ("dynamodb", "T")),
                (("lambda", "f"), ("lambda", "g")),
            ]
        );
        assert_eq!(
            trace.resources(),
            [
                ("apigateway", "abc"),
                ("lambda", "f"),
                ("dynamodb", "T"),
                ("lambda", "g")
            ]
        );
    }

    #[test]
    fn resources_are_read_from_the_call_input() {
        let input = |v: serde_json::Value| v;
        assert_eq!(
            resource_of("dynamodb", &input(serde_json::json!({"TableName": "T"}))),
            Some("T".into())
        );
        assert_eq!(
            resource_of(
                "sns",
                &input(serde_json::json!({"TopicArn": "arn:aws:sns:us-east-1:123456789012:topic"}))
            ),
            Some("topic".into())
        );
        assert_eq!(
            resource_of(
                "sqs",
                &input(serde_json::json!({"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q"}))
            ),
            Some("q".into())
        );
        assert_eq!(resource_of("dynamodb", &input(serde_json::json!({}))), None);
        assert_eq!(
            resource_of("kinesis", &input(serde_json::json!({"StreamName": "s"}))),
            None
        );
    }

    #[test]
    fn statuses_follow_http_and_error_codes() {
        assert_eq!(SpanStatus::of_http(200), SpanStatus::Ok);
        assert_eq!(SpanStatus::of_http(302), SpanStatus::Ok);
        assert_eq!(SpanStatus::of_http(403), SpanStatus::Error);
        assert_eq!(SpanStatus::of_http(429), SpanStatus::Throttled);
        assert_eq!(SpanStatus::of_http(502), SpanStatus::Error);
        assert_eq!(SpanStatus::of_http(504), SpanStatus::Timeout);
        assert_eq!(
            SpanStatus::of_error_code("ProvisionedThroughputExceededException"),
            SpanStatus::Throttled
        );
        assert_eq!(
            SpanStatus::of_error_code("ConditionalCheckFailedException"),
            SpanStatus::Error
        );
    }
}
