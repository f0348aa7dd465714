//! Step checks: predicates over the account a learner's template deploys to, and over the answers to the
//! requests and invokes they made (or that a check makes itself).
//!
//! Every evaluation starts from a fresh [`Cloud::default`] (fixed account, region and seed) and deploys the
//! attempt's template, so the same attempt always gets the same verdict. The checks about what the learner did
//! (`learner_requested`, `log_contains`, `learner_loaded`) then replay the learner's actions in order; the checks that make their
//! own request or invoke make it first, on an account that has seen nothing since the deploy, so that it draws
//! the same `Math.random` numbers as the learner's first call after their Deploy (the seeded stream is shared
//! by every call on the account: a check replaying the learner's calls first would answer with a later draw).

use crate::api::Caller;
use crate::apigateway::http::HttpRequest;
use crate::apigateway::ApiGateway;
use crate::iam::Decision;
use crate::lambda::invoke::{invoke, InvocationType};
use crate::lambda::Lambda;
use crate::simulation::load::{self, LoadReport, Traffic};
use crate::template::{self, LoadOptions};
use crate::Cloud;
use serde::Deserialize;
use serde_json::Value as Json;

/// What the learner did: the template they deployed, then their requests and invokes since.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attempt {
    /// The template text (YAML or JSON).
    pub template: String,
    /// The actions, in the order made.
    pub actions: Vec<Action>,
}

/// A request or invoke the learner made.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum Action {
    /// A call to the API's invoke URL: `path` starts with the stage (`/test/message`).
    Request {
        /// The HTTP method.
        method: String,
        /// The path after the host.
        path: String,
        /// The body (empty by default).
        #[serde(default)]
        body: String,
    },
    /// A Lambda invoke (the console's Test button).
    Invoke {
        /// The function's logical id or name.
        function: String,
        /// The event's JSON text.
        event: String,
    },
    /// A load test from the Load view (run on an account of its own, [`load::run_template`]).
    Load(Traffic),
}

/// What an action answered, kept for the checks that look at what the learner saw.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Response {
        method: String,
        path: String,
        status: u16,
        body: String,
    },
    Invoked {
        function: String,
        logs: Vec<String>,
    },
    Loaded(Box<LoadReport>),
}

/// The predicates a check may state (YAML: `check: <snake_case name>` and the fields).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "check", rename_all = "snake_case")]
pub enum CheckKind {
    /// The first REST API has a resource whose full path is `path` (in its current definition).
    ResourceExists {
        /// E.g. `/message`.
        path: String,
    },
    /// The resource at `path` has method `method`, with an integration of `integration_type` when given.
    MethodExists {
        /// E.g. `/message`.
        path: String,
        /// E.g. `GET`.
        method: String,
        /// `MOCK`, `AWS`, `AWS_PROXY`, `HTTP` or `HTTP_PROXY`.
        #[serde(default)]
        integration_type: Option<String>,
    },
    /// The function exists, with this runtime when given.
    FunctionExists {
        /// Logical id or name.
        function: String,
        /// E.g. `nodejs20.x`.
        #[serde(default)]
        runtime: Option<String>,
    },
    /// The check sends this request to the first API's invoke URL and looks at the answer.
    Request {
        /// The HTTP method.
        method: String,
        /// The path, starting with the stage.
        path: String,
        /// The body.
        #[serde(default)]
        body: String,
        /// The status code expected.
        expect_status: u16,
        /// A top-level field the JSON body must have.
        #[serde(default)]
        expect_json_field: Option<String>,
        /// The value that field must have, when given.
        #[serde(default)]
        expect_json_value: Option<Json>,
        /// The exact body, when given.
        #[serde(default)]
        expect_body: Option<String>,
        /// The body must be exactly one of these, when not empty.
        #[serde(default)]
        expect_body_one_of: Vec<String>,
    },
    /// The check invokes the function and looks at the answer.
    Invoke {
        /// Logical id or name.
        function: String,
        /// The event's JSON text.
        #[serde(default)]
        event: String,
        /// The payload must be JSON with this top-level field.
        #[serde(default)]
        expect_payload_field: Option<String>,
        /// The payload must be (JSON-equal to) one of these.
        #[serde(default)]
        expect_payload_one_of: Vec<Json>,
        /// The function must fail (`FunctionError`) or not.
        #[serde(default)]
        expect_error: Option<bool>,
        /// A text the log lines must contain.
        #[serde(default)]
        expect_log: Option<String>,
    },
    /// The function's execution role allows `action` on `resource`, through [`crate::iam::authorize`] with the
    /// role as an assumed-role caller (what the function's SDK calls are authorized as).
    RoleAllows {
        /// Logical id or name.
        function: String,
        /// E.g. `dynamodb:PutItem`.
        action: String,
        /// An ARN; `${LogicalId}` is replaced by that resource's physical id.
        resource: String,
    },
    /// The learner sent a request to `method path` (replayed from their actions) and it answered `status`.
    LearnerRequested {
        /// The HTTP method.
        method: String,
        /// The path, starting with the stage.
        path: String,
        /// The status the answer must have had.
        status: u16,
    },
    /// The check invokes the function asynchronously (`InvocationType: Event`), lets `wait_seconds` of virtual
    /// time pass (Lambda's retries run on the way), and looks at the answer and at every attempt.
    InvokeAsync {
        /// Logical id or name.
        function: String,
        /// The event's JSON text.
        #[serde(default)]
        event: String,
        /// Virtual seconds to let pass after the invoke.
        #[serde(default)]
        wait_seconds: u64,
        /// The status code the invoke must answer (202 for an accepted event).
        expect_status: u16,
        /// How many attempts the function must have had (1, or 3 when it failed and was retried twice).
        #[serde(default)]
        expect_attempts: Option<usize>,
        /// A text one attempt's log lines must contain.
        #[serde(default)]
        expect_log: Option<String>,
    },
    /// The check uploads an object (`PutObject` as the account's root user) and looks at the logs of the
    /// asynchronous invocations of `function` that followed (S3 invokes notified functions asynchronously).
    Upload {
        /// The bucket's name.
        bucket: String,
        /// The object's key.
        key: String,
        /// The object's text.
        #[serde(default)]
        body: String,
        /// Logical id or name of the function that must have been invoked.
        function: String,
        /// A text one of its attempts' log lines must contain.
        expect_log: String,
    },
    /// The check sends each of `bodies` to the queue (`SendMessage` as the account's root user), lets
    /// `wait_seconds` of virtual time pass while the event source mappings poll, and counts the batches.
    SendMessages {
        /// The queue's name.
        queue: String,
        /// The message bodies, in order.
        bodies: Vec<String>,
        /// Virtual seconds to let pass.
        #[serde(default)]
        wait_seconds: u64,
        /// The number of batches the mappings must have delivered.
        expect_batches: usize,
        /// The queue must then be empty.
        #[serde(default)]
        expect_drained: bool,
    },
    /// The check uploads `put_objects` to the bucket (as the root user) and asks its website endpoint for `path`,
    /// as a browser with no credentials does ([`crate::s3::website::get`]).
    Website {
        /// The bucket's name.
        bucket: String,
        /// Objects to upload first (what the learner uploads by hand in the console).
        #[serde(default)]
        put_objects: Vec<PutObject>,
        /// The path asked for, e.g. `/`.
        path: String,
        /// The status code expected.
        expect_status: u16,
        /// A text the body must contain.
        #[serde(default)]
        expect_contains: Option<String>,
    },
    /// The check makes `calls` to the first API as a page served from the website endpoint of `origin_bucket`
    /// does with `fetch` (preflight when needed, then the request, [`crate::apigateway::cors::fetch`]), and looks
    /// at what the page can read of the last one.
    BrowserFetch {
        /// The bucket whose website endpoint is the page's origin.
        origin_bucket: String,
        /// The calls, in order.
        calls: Vec<FetchCall>,
        /// The status code of the last call's response, which the page must be allowed to read.
        expect_status: u16,
        /// A text the last body must contain.
        #[serde(default)]
        expect_contains: Option<String>,
    },
    /// The check runs a load test ([`load::run_template`]) on the attempt's template and looks at the report and
    /// at the run's bill ([`crate::pricing::bill`]).
    Load {
        /// The traffic.
        traffic: Traffic,
        /// Whether some requests must be throttled (or none).
        #[serde(default)]
        expect_throttles: Option<bool>,
        /// The highest concurrency allowed.
        #[serde(default)]
        expect_max_concurrency: Option<u64>,
        /// The fewest cold starts.
        #[serde(default)]
        expect_min_cold_starts: Option<u64>,
        /// The Lambda duration lines of the run's bill must cost at least this (USD, decimal text).
        #[serde(default)]
        expect_duration_usd_min: Option<String>,
        /// ... and at most this.
        #[serde(default)]
        expect_duration_usd_max: Option<String>,
    },
    /// The learner ran a load test (from the Load view) of at least `min_requests` requests.
    LearnerLoaded {
        /// The fewest requests.
        min_requests: u64,
        /// Whether that test must have had throttles (or none).
        #[serde(default)]
        expect_throttles: Option<bool>,
    },
    /// The learner invoked the function and one of its invocations logged `text`.
    LogContains {
        /// Logical id or name.
        function: String,
        /// The text.
        text: String,
    },
}

impl CheckKind {
    /// What the check found, in plain words, for a check that passed (`GET /test/message answered 200`).
    /// Functions are named as the check names them (their `FunctionName`, as the learner knows them).
    pub fn describe(&self) -> String {
        match self {
            CheckKind::ResourceExists { path } => format!("The API has a {path} resource."),
            CheckKind::MethodExists {
                path,
                method,
                integration_type,
            } => match integration_type {
                Some(t) => format!("{path} has a {method} method with a {t} integration."),
                None => format!("{path} has a {method} method."),
            },
            CheckKind::FunctionExists { function, runtime } => match runtime {
                Some(r) => format!("The function {function} exists, on {r}."),
                None => format!("The function {function} exists."),
            },
            CheckKind::Request {
                method,
                path,
                expect_status,
                ..
            } => format!("The check's own {method} {path} answered {expect_status} as expected."),
            CheckKind::Invoke { function, .. } => format!("The check's own invoke of {function} answered as expected."),
            CheckKind::RoleAllows { function, action, .. } => {
                format!("The execution role of {function} allows {action}.")
            }
            CheckKind::LearnerRequested { method, path, status } => {
                format!("You called {method} {path} and it answered {status}.")
            }
            CheckKind::InvokeAsync { function, .. } => {
                format!("The check's own asynchronous invoke of {function} ran as expected.")
            }
            CheckKind::Upload { bucket, function, .. } => {
                format!("An upload to {bucket} invoked {function}, which logged the expected text.")
            }
            CheckKind::SendMessages {
                queue, expect_batches, ..
            } => format!("Messages sent to {queue} reached the function in {expect_batches} batch(es)."),
            CheckKind::Website {
                bucket,
                path,
                expect_status,
                ..
            } => format!("The website of {bucket} answered {path} with {expect_status}."),
            CheckKind::BrowserFetch { origin_bucket, .. } => {
                format!("A page served from {origin_bucket} can call the API and read the answer.")
            }
            CheckKind::LogContains { function, text } => format!("Your invoke of {function} logged {text}."),
            // Check kinds added later describe themselves here; until then they say only that they hold.
            #[allow(unreachable_patterns)]
            _ => "This check holds.".into(),
        }
    }
}

/// An object a check uploads.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PutObject {
    /// Its key.
    pub key: String,
    /// Its text.
    pub body: String,
    /// Its `Content-Type`.
    #[serde(default)]
    pub content_type: Option<String>,
}

/// A call a page makes with `fetch`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FetchCall {
    /// The HTTP method.
    pub method: String,
    /// The path, starting with the stage.
    pub path: String,
    /// The body.
    #[serde(default)]
    pub body: String,
    /// The `Content-Type` header the page sets (`application/json` needs a preflight).
    #[serde(default)]
    pub content_type: Option<String>,
}

/// A check's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckResult {
    /// It holds.
    Pass,
    /// It does not: why, in plain words (the check's `missing` message, with details when there are some).
    Fail(String),
}

impl CheckResult {
    /// Whether it holds.
    pub fn passed(&self) -> bool {
        matches!(self, CheckResult::Pass)
    }
}

/// Evaluates every check of `checks` against `attempt`, each `(kind, missing message)`, in order.
pub fn evaluate<'a>(checks: impl IntoIterator<Item = (&'a CheckKind, &'a str)>, attempt: &Attempt) -> Vec<CheckResult> {
    checks
        .into_iter()
        .map(|(kind, missing)| evaluate_one(kind, missing, attempt))
        .collect()
}

/// Deploys the attempt on a fresh account and, when `with_actions`, replays its actions.
fn replay(attempt: &Attempt, with_actions: bool) -> Result<(Cloud, template::Stack, Vec<Outcome>), String> {
    let mut cloud = Cloud::default();
    let stack = template::load("template.yaml", &attempt.template, &LoadOptions::default(), &mut cloud)
        .map_err(|e| e.to_string())?;
    cloud.deploy(&stack).map_err(|e| e.to_string())?;
    let mut outcomes = Vec::new();
    let actions = if with_actions { attempt.actions.as_slice() } else { &[] };
    for action in actions {
        match action {
            Action::Request { method, path, body } => {
                if let Some((status, body)) = send(&mut cloud, method, path, body) {
                    outcomes.push(Outcome::Response {
                        method: method.clone(),
                        path: path.clone(),
                        status,
                        body,
                    });
                }
            }
            Action::Invoke { function, event } => {
                if let Ok(out) = invoke(&mut cloud, function, InvocationType::RequestResponse, event) {
                    outcomes.push(Outcome::Invoked {
                        function: function_name(&cloud, function),
                        logs: out.logs,
                    });
                }
            }
            Action::Load(traffic) => {
                if let Ok(report) = load::run_template(&attempt.template, traffic) {
                    outcomes.push(Outcome::Loaded(Box::new(report)));
                }
            }
        }
    }
    Ok((cloud, stack, outcomes))
}

/// Sends a request to the first REST API; `None` when there is none or the request is not simulated.
fn send(cloud: &mut Cloud, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    let api = cloud.service::<ApiGateway>()?.rest_apis.keys().next()?.clone();
    let request = HttpRequest {
        method: method.into(),
        path: path.into(),
        headers: Vec::new(),
        body: body.into(),
    };
    let r = crate::apigateway::invoke::execute(cloud, &api, &request).ok()?;
    Some((r.response.status_code, r.response.body))
}

fn evaluate_one(kind: &CheckKind, missing: &str, attempt: &Attempt) -> CheckResult {
    let looks_at_actions = matches!(
        kind,
        CheckKind::LearnerRequested { .. } | CheckKind::LogContains { .. } | CheckKind::LearnerLoaded { .. }
    );
    let (mut cloud, stack, outcomes) = match replay(attempt, looks_at_actions) {
        Ok(r) => r,
        Err(e) => return CheckResult::Fail(format!("{missing} (The template does not deploy: {e})")),
    };
    let fail = |detail: String| {
        if detail.is_empty() {
            CheckResult::Fail(missing.to_string())
        } else {
            CheckResult::Fail(format!("{missing} ({detail})"))
        }
    };
    match kind {
        CheckKind::ResourceExists { path } => match first_api(&cloud) {
            Some(api) if api.definition.resource_by_path(path).is_some() => CheckResult::Pass,
            Some(_) => fail(String::new()),
            None => fail("the template has no AWS::ApiGateway::RestApi".into()),
        },
        CheckKind::MethodExists {
            path,
            method,
            integration_type,
        } => {
            let found = first_api(&cloud)
                .and_then(|api| api.definition.resource_by_path(path))
                .and_then(|r| r.resource_methods.get(method.as_str()));
            match (found, integration_type) {
                (None, _) => fail(String::new()),
                (Some(_), None) => CheckResult::Pass,
                (Some(m), Some(wanted)) => match &m.method_integration {
                    Some(i) if i.integration_type.as_str() == wanted => CheckResult::Pass,
                    Some(i) => fail(format!(
                        "its integration is {}, not {wanted}",
                        i.integration_type.as_str()
                    )),
                    None => fail("the method has no integration".into()),
                },
            }
        }
        CheckKind::FunctionExists { function, runtime } => match function_config(&cloud, function) {
            None => fail(String::new()),
            Some(c) => match runtime {
                Some(r) if &c.runtime != r => fail(format!("its runtime is {}", c.runtime)),
                _ => CheckResult::Pass,
            },
        },
        CheckKind::Request {
            method,
            path,
            body,
            expect_status,
            expect_json_field,
            expect_json_value,
            expect_body,
            expect_body_one_of,
        } => {
            let Some((status, answer)) = send(&mut cloud, method, path, body) else {
                return fail("there is no API to call".into());
            };
            if status != *expect_status {
                return fail(format!("the check's own {method} {path} answered {status} {answer}"));
            }
            if let Some(expected) = expect_body {
                if &answer != expected {
                    return fail(format!("the check's own {method} {path} answered {answer}"));
                }
            }
            if !expect_body_one_of.is_empty() && !expect_body_one_of.contains(&answer) {
                return fail(format!("the check's own {method} {path} answered {answer}"));
            }
            if let Some(field) = expect_json_field {
                let value = serde_json::from_str::<Json>(&answer)
                    .ok()
                    .and_then(|j| j.get(field).cloned());
                match (value, expect_json_value) {
                    (None, _) => return fail(format!("the check's own {method} {path} answered {answer}")),
                    (Some(v), Some(wanted)) if &v != wanted => {
                        return fail(format!("the check's own {method} {path} answered {answer}"))
                    }
                    _ => {}
                }
            }
            CheckResult::Pass
        }
        CheckKind::Invoke {
            function,
            event,
            expect_payload_field,
            expect_payload_one_of,
            expect_error,
            expect_log,
        } => {
            let out = match invoke(&mut cloud, function, InvocationType::RequestResponse, event) {
                Ok(out) => out,
                Err(e) => return fail(e.to_string()),
            };
            let payload: Option<Json> = serde_json::from_str(&out.payload).ok();
            if let Some(wanted) = expect_error {
                if out.function_error.is_some() != *wanted {
                    return fail(format!("the check's own invoke returned {}", out.payload));
                }
            }
            if let Some(field) = expect_payload_field {
                if payload.as_ref().and_then(|p| p.get(field)).is_none() {
                    return fail(format!("the check's own invoke returned {}", out.payload));
                }
            }
            if !expect_payload_one_of.is_empty() && !payload.as_ref().is_some_and(|p| expect_payload_one_of.contains(p))
            {
                return fail(format!("the check's own invoke returned {}", out.payload));
            }
            if let Some(text) = expect_log {
                if !out.logs.iter().any(|l| l.contains(text.as_str())) {
                    return fail(String::new());
                }
            }
            CheckResult::Pass
        }
        CheckKind::RoleAllows {
            function,
            action,
            resource,
        } => {
            let Some(config) = function_config(&cloud, function) else {
                return fail(format!("there is no function {function}"));
            };
            let resource = substitute(resource, &stack);
            let caller = Caller::assumed_role(&config.role, function);
            match crate::iam::authorize(&cloud, &caller, action, &resource) {
                Decision::Allow => CheckResult::Pass,
                _ => fail(String::new()),
            }
        }
        CheckKind::LearnerRequested { method, path, status } => {
            let seen = outcomes.iter().any(|o| {
                matches!(o, Outcome::Response { method: m, path: p, status: s, .. }
                    if m.eq_ignore_ascii_case(method) && same_path(p, path) && s == status)
            });
            if seen {
                CheckResult::Pass
            } else {
                fail(String::new())
            }
        }
        CheckKind::InvokeAsync {
            function,
            event,
            wait_seconds,
            expect_status,
            expect_attempts,
            expect_log,
        } => {
            let out = match invoke(&mut cloud, function, InvocationType::Event, event) {
                Ok(out) => out,
                Err(e) => return fail(e.to_string()),
            };
            crate::lambda::async_queue::advance(&mut cloud, wait_seconds.saturating_mul(1000));
            if out.status_code != *expect_status {
                return fail(format!("the invoke answered {}", out.status_code));
            }
            let attempts = async_attempts(&cloud, function);
            if let Some(wanted) = expect_attempts {
                if attempts.len() != *wanted {
                    return fail(format!("the function ran {} time(s)", attempts.len()));
                }
            }
            if let Some(text) = expect_log {
                if !attempts.iter().flat_map(|a| &a.logs).any(|l| l.contains(text.as_str())) {
                    return fail(String::new());
                }
            }
            CheckResult::Pass
        }
        CheckKind::Upload {
            bucket,
            key,
            body,
            function,
            expect_log,
        } => {
            use base64::Engine as _;
            let input = serde_json::json!({
                "Bucket": bucket,
                "Key": key,
                "Body": base64::engine::general_purpose::STANDARD.encode(body),
            });
            if let Err(e) = root_call(&mut cloud, "s3", "PutObject", &input) {
                return fail(format!("{}: {}", e.code, e.message));
            }
            let attempts = async_attempts(&cloud, function);
            if attempts.is_empty() {
                return fail(format!("the upload did not invoke {function}"));
            }
            if !attempts
                .iter()
                .flat_map(|a| &a.logs)
                .any(|l| l.contains(expect_log.as_str()))
            {
                return fail(String::new());
            }
            CheckResult::Pass
        }
        CheckKind::SendMessages {
            queue,
            bodies,
            wait_seconds,
            expect_batches,
            expect_drained,
        } => {
            let url = format!(
                "https://sqs.{}.amazonaws.com/{}/{queue}",
                cloud.region, cloud.account_id
            );
            for body in bodies {
                let input = serde_json::json!({"QueueUrl": url, "MessageBody": body});
                if let Err(e) = root_call(&mut cloud, "sqs", "SendMessage", &input) {
                    return fail(format!("{}: {}", e.code, e.message));
                }
            }
            let batches = crate::sqs::event_source::advance(&mut cloud, wait_seconds.saturating_mul(1000));
            if batches != *expect_batches {
                return fail(format!("{batches} batch(es) were delivered"));
            }
            let left = cloud
                .service::<crate::sqs::Sqs>()
                .and_then(|s| s.queues.values().find(|q| &q.name == queue))
                .map_or(0, |q| q.messages.len());
            if *expect_drained && left > 0 {
                return fail(format!("{left} message(s) are still in the queue"));
            }
            CheckResult::Pass
        }
        CheckKind::Website {
            bucket,
            put_objects,
            path,
            expect_status,
            expect_contains,
        } => {
            use base64::Engine as _;
            for object in put_objects {
                let mut input = serde_json::json!({
                    "Bucket": bucket,
                    "Key": object.key,
                    "Body": base64::engine::general_purpose::STANDARD.encode(&object.body),
                });
                if let Some(t) = &object.content_type {
                    input["ContentType"] = Json::String(t.clone());
                }
                if let Err(e) = root_call(&mut cloud, "s3", "PutObject", &input) {
                    return fail(format!("{}: {}", e.code, e.message));
                }
            }
            let page = crate::s3::website::get(&mut cloud, bucket, path, &[]);
            if page.status_code != *expect_status {
                return fail(format!("GET {path} answered {}", page.status_code));
            }
            if let Some(text) = expect_contains {
                if !page.body.contains(text.as_str()) {
                    return fail(format!("GET {path} answered {}", page.body));
                }
            }
            CheckResult::Pass
        }
        CheckKind::BrowserFetch {
            origin_bucket,
            calls,
            expect_status,
            expect_contains,
        } => browser_fetch(
            &mut cloud,
            origin_bucket,
            calls,
            *expect_status,
            expect_contains.as_deref(),
        )
        .map_or_else(fail, |()| CheckResult::Pass),
        CheckKind::Load {
            traffic,
            expect_throttles,
            expect_max_concurrency,
            expect_min_cold_starts,
            expect_duration_usd_min,
            expect_duration_usd_max,
        } => {
            let report = match load::run_template(&attempt.template, traffic) {
                Ok(report) => report,
                Err(e) => return fail(format!("the load test did not run: {e}")),
            };
            let expected = LoadExpectations {
                throttles: *expect_throttles,
                max_concurrency: *expect_max_concurrency,
                min_cold_starts: *expect_min_cold_starts,
                duration_usd_min: expect_duration_usd_min.as_deref(),
                duration_usd_max: expect_duration_usd_max.as_deref(),
            };
            expected.check(&report).map_or_else(fail, |()| CheckResult::Pass)
        }
        CheckKind::LearnerLoaded {
            min_requests,
            expect_throttles,
        } => {
            let mut loads = outcomes.iter().filter_map(|o| match o {
                Outcome::Loaded(report) => Some(report),
                _ => None,
            });
            let seen =
                loads.any(|r| r.requests >= *min_requests && expect_throttles.is_none_or(|t| (r.throttles > 0) == t));
            if seen {
                CheckResult::Pass
            } else {
                fail(String::new())
            }
        }
        CheckKind::LogContains { function, text } => {
            let function = &function_name(&cloud, function);
            let seen = outcomes.iter().any(|o| {
                matches!(o, Outcome::Invoked { function: f, logs, .. }
                    if f == function && logs.iter().any(|l| l.contains(text.as_str())))
            });
            if seen {
                CheckResult::Pass
            } else {
                fail(String::new())
            }
        }
    }
}

/// What a load check expects of its report.
struct LoadExpectations<'a> {
    throttles: Option<bool>,
    max_concurrency: Option<u64>,
    min_cold_starts: Option<u64>,
    duration_usd_min: Option<&'a str>,
    duration_usd_max: Option<&'a str>,
}

impl LoadExpectations<'_> {
    /// `Err` with what the report shows instead, in plain words.
    fn check(&self, report: &LoadReport) -> Result<(), String> {
        use std::str::FromStr;
        let summary = format!(
            "{} requests: peak concurrency {}, {} cold start(s), {} throttled",
            report.requests, report.peak_concurrency, report.cold_starts, report.throttles
        );
        if self.throttles.is_some_and(|t| (report.throttles > 0) != t) {
            return Err(summary);
        }
        if self.max_concurrency.is_some_and(|m| report.peak_concurrency > m) {
            return Err(summary);
        }
        if self.min_cold_starts.is_some_and(|m| report.cold_starts < m) {
            return Err(summary);
        }
        let bill = crate::pricing::bill(report, &crate::pricing::WhatIf::default(), 1);
        let duration: bigdecimal::BigDecimal = bill
            .lines
            .iter()
            .filter(|l| l.unit == "GB-seconds")
            .map(|l| &l.cost)
            .sum();
        let shown = format!(
            "the duration of those {} requests costs {}",
            report.requests,
            crate::pricing::format_usd(&duration)
        );
        let bound = |text: &str| bigdecimal::BigDecimal::from_str(text).map_err(|e| format!("a bad bound {text}: {e}"));
        if let Some(min) = self.duration_usd_min {
            if duration < bound(min)? {
                return Err(shown);
            }
        }
        if let Some(max) = self.duration_usd_max {
            if duration > bound(max)? {
                return Err(shown);
            }
        }
        Ok(())
    }
}

/// The asynchronous attempts Lambda made of `function` (logical id, name or ARN), in order.
fn async_attempts(cloud: &Cloud, function: &str) -> Vec<crate::lambda::async_queue::Attempt> {
    let name = function_name(cloud, function);
    cloud
        .service::<Lambda>()
        .map(|l| {
            l.async_queue
                .attempts
                .iter()
                .filter(|a| function_name(cloud, &a.function_name) == name)
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// A call as the account's root user (the console's identity).
fn root_call(cloud: &mut Cloud, service: &str, operation: &str, input: &Json) -> Result<Json, crate::api::AwsError> {
    let caller = Caller::root(&cloud.account_id.clone());
    cloud.call(&crate::api::ApiRequest {
        service,
        operation,
        input,
        caller: &caller,
    })
}

/// Makes `calls` as a page on `origin_bucket`'s website endpoint, stopping at the first the browser blocks; `Err`
/// with the browser's reason, or with what is wrong with the last answer.
fn browser_fetch(
    cloud: &mut Cloud,
    origin_bucket: &str,
    calls: &[FetchCall],
    expect_status: u16,
    expect_contains: Option<&str>,
) -> Result<(), String> {
    use crate::apigateway::cors::{fetch, CrossOriginRequest, FetchOutcome};
    let api = cloud
        .service::<ApiGateway>()
        .and_then(|g| g.rest_apis.keys().next().cloned())
        .ok_or("there is no API to call")?;
    let origin = format!(
        "http://{}",
        crate::s3::website::endpoint_host(origin_bucket, &cloud.region, cloud.url_suffix())
    );
    let mut last = None;
    for call in calls {
        let mut headers = Vec::new();
        if let Some(t) = &call.content_type {
            headers.push(("Content-Type".to_string(), t.clone()));
        }
        let request = HttpRequest {
            method: call.method.clone(),
            path: call.path.clone(),
            headers,
            body: call.body.clone(),
        };
        let url = format!("https://{api}.execute-api.{}.amazonaws.com{}", cloud.region, call.path);
        let cross = CrossOriginRequest {
            origin: &origin,
            url: &url,
            request: &request,
        };
        // A blocked call fails the page's script there (`TypeError: Failed to fetch`): the later calls are not made.
        match fetch(cloud, &api, &cross).map_err(|e| e.to_string())? {
            FetchOutcome::Blocked { reason, .. } => return Err(reason),
            readable => last = Some(readable),
        }
    }
    match last {
        None | Some(FetchOutcome::Blocked { .. }) => Err("no call was made".into()),
        Some(FetchOutcome::Readable(r)) if r.status_code != expect_status => {
            Err(format!("the call answered {} {}", r.status_code, r.body))
        }
        Some(FetchOutcome::Readable(r)) if expect_contains.is_some_and(|t| !r.body.contains(t)) => {
            Err(format!("the call answered {}", r.body))
        }
        Some(FetchOutcome::Readable(_)) => Ok(()),
    }
}

/// The function name a logical id, name or ARN resolves to (what the UI's Lambda page invokes by).
fn function_name(cloud: &Cloud, function: &str) -> String {
    cloud
        .service::<Lambda>()
        .map_or_else(|| function.to_string(), |l| l.resolve_name(function).0)
}

/// Whether two request paths name the same resource: `/test` and `/test/` are both the stage root.
fn same_path(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

fn first_api(cloud: &Cloud) -> Option<&crate::apigateway::model::RestApi> {
    cloud.service::<ApiGateway>()?.rest_apis.values().next()
}

fn function_config<'a>(cloud: &'a Cloud, function: &str) -> Option<&'a crate::lambda::FunctionConfiguration> {
    let lambda = cloud.service::<Lambda>()?;
    let (name, _) = lambda.resolve_name(function);
    lambda.functions.get(&name).map(|f| &f.latest)
}

/// Replaces each `${LogicalId}` in `text` by that resource's physical id (what `Ref` gives).
fn substitute(text: &str, stack: &template::Stack) -> String {
    let mut out = text.to_string();
    for r in &stack.resources {
        out = out.replace(&format!("${{{}}}", r.logical_id), &r.physical_id);
    }
    out
}
