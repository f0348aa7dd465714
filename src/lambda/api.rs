//! The Lambda API as handlers and the CLI's `sdk` line call it ([`crate::Cloud::call`], signing name `lambda`):
//! `Invoke`, `GetFunction`, `GetFunctionConfiguration`, `ListFunctions`.
//!
//! Sources: Lambda API reference (`Invoke`: `FunctionName`, `InvocationType`, `LogType`, `Qualifier`, `Payload`;
//! the output's `StatusCode`, `FunctionError`, `LogResult`, `ExecutedVersion`, `Payload`; `GetFunction`,
//! `FunctionConfiguration`, `ListFunctions`), and the IAM reference for Lambda (`lambda:InvokeFunction` on the
//! function's ARN, qualified when the call names a qualifier; `lambda:GetFunction`, `lambda:ListFunctions` on
//! `*`). A refused call is `AccessDeniedException` (403) with IAM's message ([`crate::iam::denial_message`]).
//!
//! Blobs travel as base64 in the call's JSON (the SDK modules turn `Payload` into bytes: a `Uint8Array` in v3, a
//! `Buffer` in v2). A function invoking another synchronously waits for it on the virtual clock
//! ([`crate::js::SdkAnswer::answered_ms`]); recursion is bounded by [`super::recursion`].

use super::invoke::{InvocationType, InvokeError};
use super::{FunctionConfiguration, Lambda};
use crate::api::{ApiRequest, AwsError};
use crate::iam::Decision;
use crate::Cloud;
use base64::Engine as _;
use serde_json::{json, Value as Json};

/// Answers one Lambda API call. The service lends itself back to the Cloud while a function runs, so the
/// function's own SDK calls (and nested invokes) find it.
pub fn call(lambda: &mut Lambda, request: &ApiRequest<'_>, cloud: &mut Cloud) -> Result<Json, AwsError> {
    match request.operation {
        "Invoke" => cloud.lend(lambda, |cloud| invoke(cloud, request)),
        // `Code.Location` has the shape of AWS's presigned snapshot URL (bucket `awslambda-<region>-tasks`) without
        // its query: the simulator keeps no zip to download.
        "GetFunction" => {
            authorize(cloud, request, "lambda:GetFunction", &function_arn(cloud, request)?)?;
            let config = configuration(lambda, cloud, request)?;
            Ok(json!({
                "Configuration": configuration_json(config),
                "Code": {"RepositoryType": "S3", "Location": format!(
                    "https://awslambda-{}-tasks.s3.{}.amazonaws.com/snapshots/{}/{}",
                    cloud.region, cloud.region, cloud.account_id, config.function_name
                )},
            }))
        }
        "GetFunctionConfiguration" => {
            authorize(
                cloud,
                request,
                "lambda:GetFunctionConfiguration",
                &function_arn(cloud, request)?,
            )?;
            let config = configuration(lambda, cloud, request)?;
            Ok(configuration_json(config))
        }
        // In creation order: AWS documents no order for ListFunctions.
        "ListFunctions" => {
            authorize(cloud, request, "lambda:ListFunctions", "*")?;
            if request.input.get("Marker").is_some_and(|m| !m.is_null()) {
                return Err(AwsError::not_simulated("ListFunctions pagination (Marker)"));
            }
            let functions: Vec<Json> = lambda
                .functions
                .values()
                .map(|f| configuration_json(&f.latest))
                .collect();
            Ok(json!({"Functions": functions}))
        }
        other => Err(AwsError::not_simulated(format!("Lambda operation {other}"))),
    }
}

fn authorize(cloud: &Cloud, request: &ApiRequest<'_>, action: &str, resource: &str) -> Result<(), AwsError> {
    let decision = crate::iam::authorize(cloud, request.caller, action, resource);
    if decision == Decision::Allow {
        return Ok(());
    }
    Err(AwsError::with_status(
        "AccessDeniedException",
        crate::iam::denial_message(request.caller, action, resource, decision),
        403,
    ))
}

/// `FunctionName` with `Qualifier` appended when given.
fn qualified_name(request: &ApiRequest<'_>) -> Result<String, AwsError> {
    let name = request
        .input
        .get("FunctionName")
        .and_then(Json::as_str)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| {
            // The validation message of a missing required member (AWS's `ValidationException` wording).
            AwsError::client(
                "ValidationException",
                "1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null",
            )
        })?;
    match request.input.get("Qualifier").and_then(Json::as_str) {
        Some(q) if !q.is_empty() => Ok(format!("{name}:{q}")),
        _ => Ok(name.to_string()),
    }
}

/// The ARN IAM checks: the function's ARN in this account, with the qualifier the call names.
fn function_arn(cloud: &Cloud, request: &ApiRequest<'_>) -> Result<String, AwsError> {
    let named = qualified_name(request)?;
    let after = named.rsplit_once(":function:").map_or(named.as_str(), |(_, rest)| rest);
    Ok(format!(
        "arn:{}:lambda:{}:{}:function:{after}",
        cloud.partition(),
        cloud.region,
        cloud.account_id
    ))
}

/// The configuration a `FunctionName` (and `Qualifier`) selects. Errors: 404 as `Invoke` answers it.
fn configuration<'a>(
    lambda: &'a Lambda,
    cloud: &Cloud,
    request: &ApiRequest<'_>,
) -> Result<&'a FunctionConfiguration, AwsError> {
    let named = qualified_name(request)?;
    let (name, qualifier) = lambda.resolve_name(&named);
    let function = lambda.functions.get(&name);
    let config = match (function, qualifier.as_deref()) {
        (Some(f), None | Some("$LATEST")) => Some(&f.latest),
        (Some(f), Some(q)) => match q.parse::<u64>() {
            Ok(n) => f.versions.get(&n),
            Err(_) => f
                .aliases
                .get(q)
                .and_then(|a| a.function_version.parse::<u64>().ok())
                .and_then(|n| f.versions.get(&n)),
        },
        (None, _) => None,
    };
    // Source: the message `Invoke` answers for an unknown function (lambda-facts §11).
    let arn = function_arn(cloud, request)?;
    config.ok_or_else(|| AwsError::with_status("ResourceNotFoundException", format!("Function not found: {arn}"), 404))
}

/// `FunctionConfiguration` as `GetFunctionConfiguration` answers it, for what the simulator stores. `CodeSize` is
/// the size of the code's files (AWS counts the zip: a different number); `CodeSha256` is not given.
fn configuration_json(config: &FunctionConfiguration) -> Json {
    let code_size: usize = match &config.code {
        super::FunctionCode::Files(files) => files.values().map(String::len).sum(),
        super::FunctionCode::Unreadable(_) => 0,
    };
    let arn = if config.version == "$LATEST" {
        config.function_arn.clone()
    } else {
        format!("{}:{}", config.function_arn, config.version)
    };
    let mut out = json!({
        "FunctionName": config.function_name,
        "FunctionArn": arn,
        "Runtime": config.runtime,
        "Role": config.role,
        "Handler": config.handler,
        "CodeSize": code_size,
        "Description": "",
        "Timeout": config.timeout,
        "MemorySize": config.memory_size,
        "LastModified": last_modified(config.last_modified_ms),
        "Version": config.version,
        "TracingConfig": {"Mode": "PassThrough"},
        "State": "Active",
        "LastUpdateStatus": "Successful",
        "PackageType": "Zip",
        "Architectures": ["x86_64"],
        "EphemeralStorage": {"Size": 512},
    });
    if let Json::Object(map) = &mut out {
        if !config.environment.is_empty() {
            let variables: serde_json::Map<String, Json> = config
                .environment
                .iter()
                .map(|(k, v)| (k.clone(), Json::String(v.clone())))
                .collect();
            map.insert("Environment".into(), json!({ "Variables": variables }));
        }
        if let Some(target) = &config.dead_letter_target {
            map.insert("DeadLetterConfig".into(), json!({"TargetArn": target}));
        }
    }
    out
}

/// `LastModified`: `2026-01-01T00:00:00.000+0000` (the API's ISO 8601 form with a `+0000` offset).
fn last_modified(ms: u64) -> String {
    let iso = crate::js::iso_millis(ms);
    match iso.strip_suffix('Z') {
        Some(head) => format!("{head}+0000"),
        None => iso,
    }
}

/// An [`InvokeError`] as the API answers it.
pub fn to_aws_error(error: InvokeError) -> AwsError {
    match error {
        InvokeError::ResourceNotFound(m) => AwsError::with_status("ResourceNotFoundException", m, 404),
        InvokeError::InvalidRequestContent(m) => AwsError::client("InvalidRequestContentException", m),
        InvokeError::InvalidParameterValue(m) => AwsError::client("InvalidParameterValueException", m),
        InvokeError::RequestEntityTooLarge(m) => AwsError::with_status("RequestEntityTooLargeException", m, 413),
        InvokeError::TooManyRequests { reason } => {
            AwsError::with_status("TooManyRequestsException", super::concurrency::RATE_EXCEEDED, 429)
                .with_extra(json!({"Reason": reason, "Type": "User"}))
        }
        InvokeError::RecursiveInvocation(m) => AwsError::client("RecursiveInvocationException", m),
        InvokeError::NotSimulated(m) => AwsError::not_simulated(m),
    }
}

/// `Invoke`: IAM's `lambda:InvokeFunction` for the caller, then the invocation. Output members as the SDKs read
/// them: `StatusCode`, `FunctionError` (when the function failed), `LogResult` (with `LogType: Tail`, synchronous
/// only), `ExecutedVersion` (not for `Event`), `Payload` (base64; empty for `Event` and `DryRun`).
fn invoke(cloud: &mut Cloud, request: &ApiRequest<'_>) -> Result<Json, AwsError> {
    let arn = function_arn(cloud, request)?;
    authorize(cloud, request, "lambda:InvokeFunction", &arn)?;
    let named = qualified_name(request)?;
    let invocation_type: InvocationType = request
        .input
        .get("InvocationType")
        .and_then(Json::as_str)
        .unwrap_or("RequestResponse")
        .parse()
        .map_err(to_aws_error)?;
    let tail = match request.input.get("LogType").and_then(Json::as_str) {
        None | Some("None") => false,
        Some("Tail") => true,
        Some(other) => {
            return Err(AwsError::client(
                "ValidationException",
                format!("1 validation error detected: Value '{other}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]"),
            ))
        }
    };
    let payload = match request.input.get("Payload").and_then(Json::as_str) {
        None => String::new(),
        Some(encoded) => {
            let bytes = base64::engine::general_purpose::STANDARD.decode(encoded).map_err(|e| {
                AwsError::client(
                    "InvalidRequestContentException",
                    format!("Could not parse request body into json: {e}"),
                )
            })?;
            String::from_utf8(bytes).map_err(|_| {
                AwsError::client(
                    "InvalidRequestContentException",
                    "Could not parse request body into json: Invalid UTF-8 start byte",
                )
            })?
        }
    };
    let output = super::invoke(cloud, &named, invocation_type, &payload).map_err(to_aws_error)?;
    let encode = |text: &str| base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let mut out = serde_json::Map::new();
    out.insert("StatusCode".into(), json!(output.status_code));
    if let Some(error) = &output.function_error {
        out.insert("FunctionError".into(), json!(error));
    }
    if tail && invocation_type == InvocationType::RequestResponse {
        out.insert("LogResult".into(), json!(output.log_result()));
    }
    if invocation_type != InvocationType::Event {
        out.insert("ExecutedVersion".into(), json!(output.executed_version));
    }
    out.insert("Payload".into(), json!(encode(&output.payload)));
    Ok(Json::Object(out))
}
