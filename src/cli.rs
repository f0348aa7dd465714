//! What the command-line program does, kept in the library so tests can call it without a process.
//! (Argument parsing stays in `main.rs`.)

use crate::apigateway::http::HttpRequest;
use crate::apigateway::model::RestApi;
use crate::apigateway::test_invoke::{test_invoke_method, TestInvokeMethodRequest};
use crate::apigateway::{invoke, ApiGateway};
use crate::cloud::Cloud;
use crate::lambda::{self, InvocationType, InvokeError};
use crate::template::{self, FolderCodeLoader, LoadOptions, Stack};
use std::fmt::Write as _;
use std::path::Path;

/// Reads the template at `path` (a file of at most [`template::node::MAX_TEMPLATE_BYTES`]) and loads it into a
/// fresh [`Cloud`], reading `CodeUri` folders relative to the template's folder.
///
/// Errors: the file cannot be read, or the template is wrong (`file:line:column: [LogicalId] message`).
pub fn load_template_file(path: &Path, parameter_overrides: Vec<(String, String)>) -> Result<(Stack, Cloud), String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    if size > template::node::MAX_TEMPLATE_BYTES as u64 {
        return Err(format!(
            "{}: the template is {size} bytes; the largest template CloudFormation accepts is {} bytes (1 MB)",
            path.display(),
            template::node::MAX_TEMPLATE_BYTES
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let code = FolderCodeLoader { base };
    let options = LoadOptions {
        parameter_overrides,
        code: &code,
        ..LoadOptions::default()
    };
    let mut cloud = Cloud::default();
    let stack = template::load(&path.display().to_string(), &text, &options, &mut cloud).map_err(|e| e.to_string())?;
    cloud.deploy(&stack).map_err(|e| e.to_string())?;
    Ok((stack, cloud))
}

/// Splits `Key=Value` arguments (as `sam --parameter-overrides` takes them; `ParameterKey=K,ParameterValue=V` too).
///
/// Errors: an argument with no `=`.
pub fn parse_parameter_overrides(args: &[String]) -> Result<Vec<(String, String)>, String> {
    args.iter()
        .flat_map(|a| a.split_whitespace())
        .map(|arg| {
            if let Some(rest) = arg.strip_prefix("ParameterKey=") {
                if let Some((key, value)) = rest.split_once(",ParameterValue=") {
                    return Ok((key.to_string(), value.to_string()));
                }
            }
            arg.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| format!("--parameter-overrides: expected Key=Value, got '{arg}'"))
        })
        .collect()
}

/// The `validate` report: one line per resource (logical id, type, `simulated` or `not simulated`), then the
/// outputs as `Name = value` (strings bare, other values as JSON).
pub fn validate_report(stack: &Stack, cloud: &Cloud) -> String {
    let id_width = stack.resources.iter().map(|r| r.logical_id.len()).max().unwrap_or(0);
    let type_width = stack.resources.iter().map(|r| r.resource_type.len()).max().unwrap_or(0);
    let mut out = format!("Resources ({}):\n", stack.resources.len());
    for r in &stack.resources {
        let state = if cloud.services().simulates(&r.resource_type) {
            "simulated"
        } else {
            "not simulated"
        };
        let _ = writeln!(
            out,
            "  {:id_width$}  {:type_width$}  {state}",
            r.logical_id, r.resource_type
        );
    }
    let _ = writeln!(out, "Outputs ({}):", stack.outputs.len());
    for o in &stack.outputs {
        let value = match &o.value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let _ = writeln!(out, "  {} = {value}", o.name);
    }
    out
}

/// The error for a subcommand whose feature is not simulated yet (design rule 5: unsupported is loud).
pub fn not_simulated(feature: &str) -> String {
    format!("not simulated: {feature}")
}

/// The id of the REST API a request names: the one created from `logical_id`, or the template's only API.
///
/// Errors: no API, an unknown logical id, or several APIs and none named.
pub fn select_api(cloud: &Cloud, logical_id: Option<&str>) -> Result<String, String> {
    let gateway = cloud
        .service::<ApiGateway>()
        .ok_or_else(|| "the API Gateway service is not registered".to_string())?;
    if let Some(logical) = logical_id {
        return gateway
            .api_by_logical_id(logical)
            .map(|api| api.id.clone())
            .ok_or_else(|| {
                format!("--api {logical}: the template has no AWS::ApiGateway::RestApi with that logical id")
            });
    }
    let apis: Vec<&RestApi> = gateway.rest_apis.values().collect();
    match apis.as_slice() {
        [only] => Ok(only.id.clone()),
        [] => Err(
            "the template defines no AWS::ApiGateway::RestApi (nor an AWS::Serverless::Api or Api event)".to_string(),
        ),
        many => {
            let names: Vec<&str> = many
                .iter()
                .filter_map(|api| gateway.logical_ids.get(&api.id).map(String::as_str))
                .collect();
            Err(format!(
                "the template defines {} REST APIs ({}); name one with --api LOGICAL_ID",
                many.len(),
                names.join(", ")
            ))
        }
    }
}

/// Parses `Name: value` header arguments.
///
/// Errors: an argument without `:` or with an empty name.
pub fn parse_headers(args: &[String]) -> Result<Vec<(String, String)>, String> {
    args.iter()
        .map(|h| match h.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() => {
                Ok((name.trim().to_string(), value.trim_start().to_string()))
            }
            _ => Err(format!("-H: expected 'Name: value', got '{h}'")),
        })
        .collect()
}

/// `request METHOD PATH`: sends one request and returns its response as one JSON line.
///
/// Errors: a wrong API selection or a request that reaches a feature not simulated.
pub fn request(cloud: &mut Cloud, api: Option<&str>, request: &HttpRequest) -> Result<String, String> {
    let api_id = select_api(cloud, api)?;
    let invocation = invoke::execute(cloud, &api_id, request).map_err(|e| e.to_string())?;
    Ok(format!("{}\n", invocation.response.to_json()))
}

/// The bucket a `website` command names: a bucket's logical id in the stack, or a bucket name.
pub fn select_bucket(stack: &Stack, bucket: &str) -> String {
    stack
        .resources
        .iter()
        .find(|r| r.resource_type == "AWS::S3::Bucket" && r.logical_id == bucket)
        .map_or_else(|| bucket.to_string(), |r| r.physical_id.clone())
}

/// The `Content-Type` `aws s3 sync` would give a file, by its extension (Python's `mimetypes` table, which the
/// AWS CLI uses); `None` for other extensions (S3 then stores `binary/octet-stream`).
pub fn guess_content_type(path: &Path) -> Option<&'static str> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match extension.as_str() {
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "json" => "application/json",
        "txt" => "text/plain",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/vnd.microsoft.icon",
        "xml" => "text/xml",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => return None,
    })
}

/// `website --upload DIR`: puts every file under `dir` into `bucket` as the account's root user, keyed by its
/// path relative to `dir` with `/` separators (as `aws s3 sync DIR s3://BUCKET` does), at most 1,000 files.
///
/// Errors: an unreadable folder or file, too many files, or S3's error for a put.
pub fn upload_folder(cloud: &mut Cloud, bucket: &str, dir: &Path) -> Result<usize, String> {
    use base64::Engine;
    const MAX_FILES: usize = 1000;
    let mut pending = vec![dir.to_path_buf()];
    let mut files = Vec::new();
    while let Some(folder) = pending.pop() {
        let entries = std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", folder.display()))?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
            if files.len() > MAX_FILES {
                return Err(format!("{}: more than {MAX_FILES} files to upload", dir.display()));
            }
        }
    }
    files.sort();
    let caller = crate::api::Caller::root(&cloud.account_id);
    for path in &files {
        let key = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut input = serde_json::json!({
            "Bucket": bucket,
            "Key": key,
            "Body": base64::engine::general_purpose::STANDARD.encode(bytes),
        });
        if let Some(content_type) = guess_content_type(path) {
            input["ContentType"] = content_type.into();
        }
        let request = crate::api::ApiRequest {
            service: "s3",
            operation: "PutObject",
            input: &input,
            caller: &caller,
        };
        cloud.call(&request).map_err(|e| format!("{key}: {e}"))?;
    }
    Ok(files.len())
}

/// `website BUCKET PATH`: a GET on the bucket's website endpoint ([`crate::s3::website::get`]), printed as one
/// JSON line in the shape `request` prints (`statusCode`, `headers`, `multiValueHeaders`, `body`,
/// `isBase64Encoded`).
pub fn website(cloud: &mut Cloud, stack: &Stack, bucket: &str, path: &str, headers: &[(String, String)]) -> String {
    let name = select_bucket(stack, bucket);
    let response = crate::s3::website::get(cloud, &name, path, headers);
    format!("{}\n", response.to_json())
}

/// `invoke FUNCTION`: calls a function as `aws lambda invoke` does. Returns the output line
/// `{"StatusCode":..,"FunctionError":..,"ExecutedVersion":..,"Payload":..}` and the invocation's log lines.
///
/// Errors: Lambda's service errors (unknown function, payload not JSON) and features not simulated.
pub fn invoke(
    cloud: &mut Cloud,
    function: &str,
    invocation_type: &str,
    payload: &str,
) -> Result<(String, Vec<String>), String> {
    invoke_with_log_type(cloud, function, invocation_type, payload, "None")
}

/// `invoke FUNCTION --log-type Tail`: as [`invoke`], with `LogResult` (the last 4 KB of the log, base64) added to
/// the output line as the AWS CLI prints it.
///
/// Errors: as [`invoke`], and a log type other than `None` or `Tail`.
pub fn invoke_with_log_type(
    cloud: &mut Cloud,
    function: &str,
    invocation_type: &str,
    payload: &str,
    log_type: &str,
) -> Result<(String, Vec<String>), String> {
    let invocation_type: InvocationType = invocation_type.parse().map_err(|e: InvokeError| e.to_string())?;
    if log_type != "None" && log_type != "Tail" {
        return Err(format!(
            "InvalidParameterValueException: 1 validation error detected: Value '{log_type}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]"
        ));
    }
    let output = lambda::invoke(cloud, function, invocation_type, payload).map_err(|e| e.to_string())?;
    let mut json = output.to_json();
    if log_type == "Tail" {
        if let Some(object) = json.as_object_mut() {
            object.insert("LogResult".into(), output.log_result().into());
        }
    }
    Ok((format!("{json}\n"), output.logs))
}

/// `request --script FILE`: runs each line of a requests file (the conformance-case format) in order and
/// returns one JSON line per response, and the log lines of the Lambda invocations.
///
/// Errors: a malformed line, or a request that reaches a feature not simulated; the error names the line.
pub fn request_script(
    cloud: &mut Cloud,
    default_api: Option<&str>,
    script: &str,
) -> Result<(String, Vec<String>), String> {
    let mut out = String::new();
    let mut logs = Vec::new();
    for (index, line) in script.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let at = index + 1;
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("line {at}: not a JSON object: {e}"))?;
        if let Some(duration) = value.get("advance") {
            let (line, mut lines) = advance_line(cloud, duration).map_err(|e| format!("line {at}: {e}"))?;
            out.push_str(&line);
            logs.append(&mut lines);
            continue;
        }
        if let Some(call) = value.get("sdk") {
            out.push_str(&sdk_line(cloud, call).map_err(|e| format!("line {at}: {e}"))?);
            continue;
        }
        if let Some(function) = value.get("invoke") {
            let function = function
                .as_str()
                .ok_or_else(|| format!("line {at}: \"invoke\" must name a function"))?;
            let event = value.get("event").map_or_else(|| "{}".to_string(), |e| e.to_string());
            let kind = value
                .get("invocationType")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("RequestResponse");
            let (line, mut lines) = invoke(cloud, function, kind, &event).map_err(|e| format!("line {at}: {e}"))?;
            out.push_str(&line);
            logs.append(&mut lines);
            continue;
        }
        let text = |name: &str| value.get(name).and_then(serde_json::Value::as_str);
        let (Some(method), Some(path)) = (text("method"), text("path")) else {
            return Err(format!("line {at}: a request needs \"method\" and \"path\" strings"));
        };
        let headers = value
            .get("headers")
            .and_then(serde_json::Value::as_object)
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string)))
            .collect();
        let http = HttpRequest {
            method: method.to_string(),
            path: path.to_string(),
            headers,
            body: text("body").unwrap_or_default().to_string(),
        };
        let api = text("api").or(default_api);
        out.push_str(&request(cloud, api, &http).map_err(|e| format!("line {at}: {e}"))?);
    }
    Ok((out, logs))
}

/// A script's duration, `<whole number><unit>` with unit `ms`, `s`, `m` or `h` (e.g. `90s`), in milliseconds.
///
/// Errors: any other text.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = text.split_at(digits);
    let factor = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => {
            return Err(format!(
                "\"advance\" takes a duration such as 90s, 5m, 1h or 250ms, not {text:?}"
            ))
        }
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .ok_or_else(|| format!("\"advance\" takes a duration such as 90s, 5m, 1h or 250ms, not {text:?}"))
}

/// `{"advance": "90s"}`: moves the virtual clock with [`crate::events::advance`] (scheduled rules, Lambda's
/// asynchronous retries and SQS event source mappings due on the way run) and returns `{"now": "<ISO 8601>"}`
/// as one JSON line, and the log lines of the asynchronous invocations that ran.
///
/// Errors: a malformed duration; a span with too many scheduled runs ([`crate::events::advance`]).
pub fn advance_line(cloud: &mut Cloud, duration: &serde_json::Value) -> Result<(String, Vec<String>), String> {
    let millis = parse_duration(duration.as_str().unwrap_or_default())?;
    let attempts_before = async_attempts(cloud).len();
    crate::events::advance(cloud, millis)?;
    let logs = async_attempts(cloud)
        .into_iter()
        .skip(attempts_before)
        .flat_map(|a| a.logs)
        .collect();
    let now = crate::js::iso_millis(cloud.clock.now_millis());
    Ok((format!("{}\n", serde_json::json!({ "now": now })), logs))
}

fn async_attempts(cloud: &Cloud) -> Vec<crate::lambda::async_queue::Attempt> {
    cloud
        .service::<crate::lambda::Lambda>()
        .map(|l| l.async_queue.attempts.clone())
        .unwrap_or_default()
}

/// `{"sdk": {"service": "s3", "operation": "PutObject", "input": {...}}}`: one API call as the account's root
/// ([`crate::api::Caller::root`]); returns the output as one JSON line, or `{"error": {"code", "message"}}`
/// with the service's code and message.
///
/// Errors: a line without `service` and `operation` strings.
pub fn sdk_line(cloud: &mut Cloud, call: &serde_json::Value) -> Result<String, String> {
    let text = |name: &str| call.get(name).and_then(serde_json::Value::as_str);
    let (Some(service), Some(operation)) = (text("service"), text("operation")) else {
        return Err("\"sdk\" needs \"service\" and \"operation\" strings".to_string());
    };
    let input = call.get("input").cloned().unwrap_or_else(|| serde_json::json!({}));
    let caller = crate::api::Caller::root(&cloud.account_id);
    let request = crate::api::ApiRequest {
        service,
        operation,
        input: &input,
        caller: &caller,
    };
    let output = match cloud.call(&request) {
        Ok(output) => output,
        Err(e) => serde_json::json!({ "error": { "code": e.code, "message": e.message } }),
    };
    Ok(format!("{output}\n"))
}

/// What `test-invoke` is asked to call.
#[derive(Debug, Clone, Default)]
pub struct TestInvokeArgs {
    /// `--api`: the API's logical id.
    pub api: Option<String>,
    /// `--resource-path`, e.g. `/pets/{id}`.
    pub resource_path: String,
    /// `--http-method`.
    pub http_method: String,
    /// `--path-with-query-string`.
    pub path_with_query_string: Option<String>,
    /// `-H` headers.
    pub headers: Vec<(String, String)>,
    /// `-d` body.
    pub body: String,
}

/// `test-invoke`: the console's Test button on the current definition; returns
/// `{"status","body","headers","multiValueHeaders","log","latency"}` as one JSON line.
///
/// Errors: AWS's errors for an unknown resource or method, or a feature not simulated.
pub fn test_invoke(cloud: &mut Cloud, args: &TestInvokeArgs) -> Result<String, String> {
    let api_id = select_api(cloud, args.api.as_deref())?;
    let resource_id = cloud
        .service::<ApiGateway>()
        .and_then(|gw| gw.rest_apis.get(&api_id))
        .and_then(|api| api.definition.resource_by_path(&args.resource_path))
        .map(|r| r.id.clone())
        .ok_or_else(|| crate::apigateway::errors::invalid_resource("TestInvokeMethod").to_string())?;
    let request = TestInvokeMethodRequest {
        resource_id,
        http_method: args.http_method.clone(),
        path_with_query_string: args.path_with_query_string.clone(),
        headers: args.headers.clone(),
        body: args.body.clone(),
        stage_variables: Default::default(),
    };
    let response = test_invoke_method(cloud, &api_id, &request).map_err(|e| e.to_string())?;
    Ok(format!("{}\n", response.to_json()))
}
