//! Lambda: functions, versions, aliases and permissions from stacks, and the `Invoke` API ([`invoke`]).
//!
//! A function ([`FunctionConfiguration`]) is what `CreateFunction` stores: name, runtime, handler, code files,
//! memory, timeout, environment and role. Its execution environments ([`invoke::ExecutionEnvironment`], one Node.js
//! process in [`crate::js::Engine`]) stay warm between invokes, keyed by function and version, and are discarded
//! after a timeout or a crash, as Lambda does (docs: "Lambda execution environment lifecycle").

pub mod api;
pub mod async_queue;
pub mod concurrency;
pub mod destinations;
pub mod invoke;
pub mod logging;
pub mod permissions;
pub mod recursion;

use crate::cloud::{Cloud, Service};
use crate::template::code::CodeFiles;
use crate::template::{Stack, StackResource, TemplateError};
use indexmap::IndexMap;
use serde_json::Value as Json;
use std::any::Any;
use std::collections::BTreeMap;

pub use invoke::{invoke, InvocationType, InvokeError, InvokeOutput};

/// The CloudFormation types this service creates.
pub const RESOURCE_TYPES: &[&str] = &[
    "AWS::Lambda::Function",
    "AWS::Lambda::Version",
    "AWS::Lambda::Alias",
    "AWS::Lambda::Permission",
    "AWS::Lambda::EventInvokeConfig",
];

/// The Node.js runtimes simulated (docs: "Lambda runtimes", supported Node.js identifiers).
pub const NODEJS_RUNTIMES: &[&str] = &["nodejs16.x", "nodejs18.x", "nodejs20.x", "nodejs22.x", "nodejs24.x"];

/// The default `Timeout`, in seconds (docs: "Configure Lambda function timeout": 3 seconds by default).
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 3;
/// The largest `Timeout` (900 seconds, same page).
pub const MAX_TIMEOUT_SECONDS: u64 = 900;
/// The default `MemorySize` in MB (docs: "Configure Lambda function memory": 128 MB by default).
pub const DEFAULT_MEMORY_MB: u64 = 128;
/// The handler when none is given: `index.handler` (RIC `UserFunction.js` default).
pub const DEFAULT_HANDLER: &str = "index.handler";

/// Environment variable names a function may not set (docs: "Defined runtime environment variables", reserved
/// keys; `CreateFunction` answers `InvalidParameterValueException` when one is used).
pub const RESERVED_VARIABLES: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
];

/// A function's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FunctionCode {
    /// Files by path inside the package (`Code.ZipFile` becomes `index.js`; `CodeUri` folders keep their paths).
    Files(CodeFiles),
    /// Code the simulator cannot read (an S3 object or a container image): named for the "not simulated" error.
    Unreadable(String),
}

/// What `GetFunctionConfiguration` returns, as far as the simulator uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionConfiguration {
    /// `FunctionName`.
    pub function_name: String,
    /// `FunctionArn` (unqualified).
    pub function_arn: String,
    /// `Runtime`, e.g. `nodejs20.x`.
    pub runtime: String,
    /// `Handler`, e.g. `index.handler`.
    pub handler: String,
    /// The code.
    pub code: FunctionCode,
    /// `MemorySize` in MB.
    pub memory_size: u64,
    /// `Timeout` in seconds.
    pub timeout: u64,
    /// `Environment.Variables`, in template order.
    pub environment: IndexMap<String, String>,
    /// `Role` (the execution role's ARN).
    pub role: String,
    /// `Version`: `$LATEST` or a published number.
    pub version: String,
    /// `LoggingConfig` (see [`logging`]).
    pub logging: logging::LoggingConfig,
    /// `DeadLetterConfig.TargetArn`: the SQS queue or SNS topic that receives events the asynchronous queue gives
    /// up on (see [`destinations`]); part of the version's configuration, as on AWS.
    pub dead_letter_target: Option<String>,
    /// `LastModified`, virtual ms (when the function was created).
    pub last_modified_ms: u64,
    /// `Architectures`' one entry: `x86_64` (the default) or `arm64` (docs: "Selecting and configuring an
    /// instruction set architecture for your Lambda function"); it only changes the price here.
    pub architecture: String,
}

/// What one invocation used, as Lambda's CloudWatch metrics count it (docs: "Types of metrics for Lambda
/// functions": `Invocations`, `Duration`, `Throttles`, `Errors`, `ConcurrentExecutions`) and as it is billed.
#[derive(Debug, Clone, PartialEq)]
pub struct InvocationRecord {
    /// The function's name.
    pub function_name: String,
    /// When the invoke arrived (virtual ms since the epoch).
    pub start_ms: u64,
    /// The handler's duration (virtual ms), 0 for a throttle.
    pub duration_ms: f64,
    /// The init duration on a cold start.
    pub init_ms: Option<f64>,
    /// The billed duration in ms ([`invoke::billed_duration`]), 0 for a throttle.
    pub billed_ms: u64,
    /// `MemorySize` in MB.
    pub memory_mb: u64,
    /// `x86_64` or `arm64`.
    pub architecture: String,
    /// The throttle's `Reason` when the invoke was throttled (429).
    pub throttled: Option<String>,
    /// Whether the function failed (`FunctionError`).
    pub failed: bool,
}

/// The most invocation records kept ([`Lambda::take_records`] empties them); older ones are dropped, so a long
/// session cannot grow the page without bound.
pub const MAX_RECORDS: usize = 100_000;

/// An `AWS::Lambda::Alias`: a name pointing at a version.
#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    /// `Name`.
    pub name: String,
    /// `FunctionVersion`.
    pub function_version: String,
    /// `RoutingConfig.AdditionalVersionWeights`: one more version and the share of invokes it receives (0 to 1).
    pub additional_version: Option<(String, f64)>,
}

/// One function with its published versions, aliases and resource-policy statements.
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    /// `$LATEST`.
    pub latest: FunctionConfiguration,
    /// Published versions by number.
    pub versions: BTreeMap<u64, FunctionConfiguration>,
    /// Aliases by name.
    pub aliases: IndexMap<String, Alias>,
    /// `AddPermission` statements (resource-based policy), as the template wrote them.
    pub permissions: Vec<Json>,
    /// `ReservedConcurrentExecutions` (function-wide, all versions; see [`concurrency`]).
    pub reserved_concurrent_executions: Option<u64>,
}

/// The Lambda service of a Cloud.
#[derive(Debug, Default)]
pub struct Lambda {
    /// Functions by name, in creation order.
    pub functions: IndexMap<String, Function>,
    /// The function name each logical id was created as (for the CLI's `invoke FUNCTION`).
    pub logical_ids: IndexMap<String, String>,
    /// Execution environments, by function name and executed version: each serves one request at a time and is
    /// busy until its `busy_until` (virtual ms); a request that finds them all busy starts another (a cold start).
    environments: BTreeMap<(String, String), Vec<invoke::ExecutionEnvironment>>,
    /// Limits that keep handler code from hanging the host.
    pub limits: crate::js::EngineLimits,
    /// Asynchronous invocation: queued retries and `EventInvokeConfig`s (see [`async_queue`]).
    pub async_queue: async_queue::AsyncQueue,
    /// The invocations in progress and the deliveries made on their behalf, outermost first (see [`recursion`]).
    pub chain: Vec<recursion::Link>,
    /// What each invocation used, oldest first, at most [`MAX_RECORDS`].
    records: std::collections::VecDeque<InvocationRecord>,
}

impl Lambda {
    /// The function a name, a partial ARN or an ARN names, with the qualifier it carries (`name:qualifier`).
    pub fn resolve_name(&self, function_name: &str) -> (String, Option<String>) {
        let text = function_name;
        let after = text.rsplit_once(":function:").map_or(text, |(_, rest)| rest);
        match after.split_once(':') {
            Some((name, qualifier)) => (name.to_string(), Some(qualifier.to_string())),
            None => {
                let name = self
                    .logical_ids
                    .get(after)
                    .cloned()
                    .unwrap_or_else(|| after.to_string());
                (name, None)
            }
        }
    }

    /// Takes the invocation records made since the last call, oldest first.
    pub fn take_records(&mut self) -> Vec<InvocationRecord> {
        self.records.drain(..).collect()
    }

    /// Records an invocation (dropping the oldest past [`MAX_RECORDS`]).
    pub(crate) fn record(&mut self, record: InvocationRecord) {
        if self.records.len() >= MAX_RECORDS {
            self.records.pop_front();
        }
        self.records.push_back(record);
    }

    /// How many execution environments exist (warm, busy or idle).
    pub fn warm_environments(&self) -> usize {
        self.environments.values().map(Vec::len).sum()
    }

    /// How many requests `function_name` (a function name) is serving at virtual time `now_ms`: its environments
    /// still busy then (the function's concurrency, docs: "Understanding Lambda function scaling").
    pub fn concurrency(&self, function_name: &str, now_ms: u64) -> u64 {
        self.environments
            .iter()
            .filter(|((name, _), _)| name == function_name)
            .flat_map(|(_, envs)| envs)
            .filter(|e| e.busy_until() > now_ms)
            .count() as u64
    }

    /// How many requests every function of the account is serving at `now_ms`.
    pub fn account_concurrency(&self, now_ms: u64) -> u64 {
        self.environments
            .values()
            .flatten()
            .filter(|e| e.busy_until() > now_ms)
            .count() as u64
    }

    /// How many requests the functions without a reservation serve at `now_ms` (the unreserved pool's use).
    pub fn unreserved_concurrency(&self, now_ms: u64) -> u64 {
        self.environments
            .iter()
            .filter(|((name, _), _)| {
                self.functions
                    .get(name)
                    .is_none_or(|f| f.reserved_concurrent_executions.is_none())
            })
            .flat_map(|(_, envs)| envs)
            .filter(|e| e.busy_until() > now_ms)
            .count() as u64
    }

    /// The sum of every function's reserved concurrency (what the unreserved pool loses).
    pub fn reserved_total(&self) -> u64 {
        self.functions
            .values()
            .filter_map(|f| f.reserved_concurrent_executions)
            .sum()
    }
}

impl Service for Lambda {
    fn name(&self) -> &'static str {
        "Lambda"
    }

    fn resource_types(&self) -> &'static [&'static str] {
        RESOURCE_TYPES
    }

    fn deploy(&mut self, stack: &Stack, cloud: &mut Cloud) -> Result<(), TemplateError> {
        for resource in &stack.resources {
            self.create(resource, cloud).map_err(|message| TemplateError {
                file: stack.file_name.clone(),
                span: resource.span,
                logical_id: Some(resource.logical_id.clone()),
                message,
            })?;
        }
        Ok(())
    }

    fn signing_name(&self) -> Option<&'static str> {
        Some("lambda")
    }

    fn call(&mut self, request: &crate::api::ApiRequest<'_>, cloud: &mut Cloud) -> Result<Json, crate::api::AwsError> {
        api::call(self, request, cloud)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

fn text(props: &Json, key: &str) -> Option<String> {
    match props.get(key)? {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn number(props: &Json, key: &str, default: u64) -> Result<u64, String> {
    match props.get(key) {
        None | Some(Json::Null) => Ok(default),
        Some(Json::Number(n)) => n
            .as_u64()
            .ok_or_else(|| format!("{key} must be a whole number, got {n}")),
        Some(Json::String(s)) => s
            .trim()
            .parse()
            .map_err(|_| format!("{key} must be a whole number, got '{s}'")),
        Some(other) => Err(format!("{key} must be a whole number, got {other}")),
    }
}

impl Lambda {
    fn create(&mut self, resource: &StackResource, cloud: &mut Cloud) -> Result<(), String> {
        let props = &resource.properties;
        match resource.resource_type.as_str() {
            "AWS::Lambda::Function" => {
                let config = function_configuration(resource, cloud)?;
                let reserved_concurrent_executions = concurrency::reserved_concurrent_executions(props)?;
                self.logical_ids
                    .insert(resource.logical_id.clone(), config.function_name.clone());
                self.functions.insert(
                    config.function_name.clone(),
                    Function {
                        latest: config,
                        versions: BTreeMap::new(),
                        aliases: IndexMap::new(),
                        permissions: Vec::new(),
                        reserved_concurrent_executions,
                    },
                );
            }
            "AWS::Lambda::Version" => {
                let (name, _) = self.resolve_name(&text(props, "FunctionName").unwrap_or_default());
                let function = self
                    .functions
                    .get_mut(&name)
                    .ok_or_else(|| format!("Function not found: {name}"))?;
                let number = resource
                    .attributes
                    .get("Version")
                    .and_then(Json::as_str)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(function.versions.len() as u64 + 1);
                let mut snapshot = function.latest.clone();
                snapshot.version = number.to_string();
                function.versions.insert(number, snapshot);
            }
            "AWS::Lambda::Alias" => {
                let (name, _) = self.resolve_name(&text(props, "FunctionName").unwrap_or_default());
                let function = self
                    .functions
                    .get_mut(&name)
                    .ok_or_else(|| format!("Function not found: {name}"))?;
                let weights = props
                    .get("RoutingConfig")
                    .and_then(|r| r.get("AdditionalVersionWeights"))
                    .and_then(Json::as_array)
                    .cloned()
                    .unwrap_or_default();
                // Source: docs "Create a routing configuration for an alias": one additional version, weight 0-1.
                let additional_version = match weights.as_slice() {
                    [] => None,
                    [one] => {
                        let version = text(one, "FunctionVersion").unwrap_or_default();
                        let weight = match one.get("FunctionWeight") {
                            Some(Json::Number(n)) => n.as_f64(),
                            Some(Json::String(s)) => s.trim().parse().ok(),
                            _ => None,
                        }
                        .filter(|w: &f64| (0.0..=1.0).contains(w))
                        .ok_or("RoutingConfig: FunctionWeight must be a number from 0.0 to 1.0")?;
                        Some((version, weight))
                    }
                    _ => return Err("RoutingConfig: an alias routes to at most one additional version".to_string()),
                };
                let alias = Alias {
                    name: text(props, "Name").unwrap_or_default(),
                    function_version: text(props, "FunctionVersion").unwrap_or_default(),
                    additional_version,
                };
                function.aliases.insert(alias.name.clone(), alias);
            }
            "AWS::Lambda::EventInvokeConfig" => async_queue::configure(self, props)?,
            "AWS::Lambda::Permission" => {
                let (name, _) = self.resolve_name(&text(props, "FunctionName").unwrap_or_default());
                if let Some(function) = self.functions.get_mut(&name) {
                    function.permissions.push(props.clone());
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// The configuration `CreateFunction` would store for an `AWS::Lambda::Function`.
fn function_configuration(resource: &StackResource, cloud: &Cloud) -> Result<FunctionConfiguration, String> {
    let props = &resource.properties;
    let function_name = resource.physical_id.clone();
    let timeout = number(props, "Timeout", DEFAULT_TIMEOUT_SECONDS)?;
    if !(1..=MAX_TIMEOUT_SECONDS).contains(&timeout) {
        return Err(format!(
            "1 validation error detected: Value '{timeout}' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"
        ));
    }
    let memory_size = number(props, "MemorySize", DEFAULT_MEMORY_MB)?;
    if !(128..=10240).contains(&memory_size) {
        return Err(format!(
            "1 validation error detected: Value '{memory_size}' at 'memorySize' failed to satisfy constraint: Member must have value between 128 and 10240"
        ));
    }
    let code = match props.get("Code") {
        Some(code) if code.get("ZipFile").is_some() => {
            let text = code.get("ZipFile").and_then(Json::as_str).unwrap_or_default();
            FunctionCode::Files(CodeFiles::from([("index.js".to_string(), text.to_string())]))
        }
        Some(code) if code.get("LocalFiles").is_some() => FunctionCode::Files(
            code.get("LocalFiles")
                .and_then(Json::as_object)
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect(),
        ),
        Some(code) if code.get("ImageUri").is_some() => {
            FunctionCode::Unreadable("container image code (Code.ImageUri)".into())
        }
        Some(code) if code.get("S3Bucket").is_some() => {
            FunctionCode::Unreadable("code in S3 (Code.S3Bucket/S3Key)".into())
        }
        _ => FunctionCode::Unreadable("a function without Code".into()),
    };
    let environment: IndexMap<String, String> = props
        .get("Environment")
        .and_then(|e| e.get("Variables"))
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string)))
        .collect();
    let reserved: Vec<&str> = environment
        .keys()
        .filter(|k| RESERVED_VARIABLES.contains(&k.as_str()))
        .map(String::as_str)
        .collect();
    if !reserved.is_empty() {
        // Source: the InvalidParameterValueException CreateFunction answers (docs: "Working with Lambda
        // environment variables", reserved keys).
        return Err(format!(
            "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: {}",
            reserved.join(", ")
        ));
    }
    let function_arn = resource
        .attributes
        .get("Arn")
        .and_then(Json::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| {
            format!(
                "arn:{}:lambda:{}:{}:function:{function_name}",
                cloud.partition(),
                cloud.region,
                cloud.account_id
            )
        });
    Ok(FunctionConfiguration {
        function_name,
        function_arn,
        runtime: text(props, "Runtime").unwrap_or_default(),
        handler: text(props, "Handler").unwrap_or_else(|| DEFAULT_HANDLER.to_string()),
        code,
        memory_size,
        timeout,
        environment,
        role: text(props, "Role").unwrap_or_default(),
        version: "$LATEST".to_string(),
        logging: logging::logging_config(props)?,
        dead_letter_target: dead_letter_target(props)?,
        last_modified_ms: cloud.clock.now_millis(),
        architecture: architecture(props)?,
    })
}

/// `DeadLetterConfig.TargetArn`: an SQS queue or SNS topic ARN (docs: "Dead-letter queues"; `CreateFunction`
/// answers `InvalidParameterValueException` for another kind of target, wording ours). An empty `TargetArn`
/// means no dead-letter queue, as `UpdateFunctionConfiguration` reads it.
fn dead_letter_target(props: &Json) -> Result<Option<String>, String> {
    let Some(config) = props.get("DeadLetterConfig").filter(|c| !c.is_null()) else {
        return Ok(None);
    };
    let target = config.get("TargetArn").and_then(Json::as_str).unwrap_or_default();
    if target.is_empty() {
        return Ok(None);
    }
    if target.starts_with("arn:") && (target.contains(":sqs:") || target.contains(":sns:")) {
        Ok(Some(target.to_string()))
    } else {
        Err(format!(
            "DeadLetterConfig.TargetArn must be the ARN of an SQS queue or an SNS topic, not '{target}'"
        ))
    }
}

/// The one entry of `Architectures` (`x86_64` when absent). Errors: another value or more than one entry, with
/// the validation message `CreateFunction` gives (its member constraint; the wording is our reading).
fn architecture(props: &Json) -> Result<String, String> {
    let Some(list) = props.get("Architectures") else {
        return Ok("x86_64".to_string());
    };
    match list.as_array().map(Vec::as_slice) {
        Some([Json::String(a)]) if a == "x86_64" || a == "arm64" => Ok(a.clone()),
        _ => Err(format!(
            "1 validation error detected: Value '{list}' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]"
        )),
    }
}
