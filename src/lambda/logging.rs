//! `LoggingConfig` (docs: "Configuring JSON and plain text log formats", "Log-level filtering"; telemetry API
//! "Event schema reference" for the platform records; lambda-facts §2).
//!
//! With `LogFormat: JSON` the runtime gets `AWS_LAMBDA_LOG_FORMAT=JSON` and `AWS_LAMBDA_LOG_LEVEL=<application
//! level>`; its console (src/js/bootstrap.js, after RIC `LogPatch.js`) then writes the fields of a JSON record
//! (`message`, and `errorType` / `errorMessage` / `stackTrace` for errors) and drops calls below the level. The
//! invoke's text log lines are turned into JSON afterwards by [`to_json_lines`]:
//!
//! - console line `<iso>\t<id>\t<LEVEL>\t{fields}` becomes
//!   `{"timestamp":"<iso>","level":"<LEVEL>","requestId":"<id>",<fields>}`;
//! - `START` becomes `{"time":…,"type":"platform.start","record":{"requestId":…,"version":…}}`;
//! - `REPORT` becomes `{"time":…,"type":"platform.report","record":{"requestId":…,"metrics":{"durationMs":…,
//!   "billedDurationMs":…,"memorySizeMB":…,"maxMemoryUsedMB":…[,"initDurationMs":…]},"status":"success|error|
//!   timeout"[,"errorType":…]}}`;
//! - `INIT_REPORT` becomes `platform.initReport` (`initializationType`, `phase`, `status`, `errorType`,
//!   `metrics.durationMs`).
//!
//! System log level: `START` / `REPORT` / init reports are INFO events (docs: at the default INFO, Lambda sends
//! the "start" and "report" messages), so `SystemLogLevel: WARN` drops them. The `END` line has no JSON
//! counterpart at INFO and is dropped; the DEBUG-level events (`platform.runtimeDone` ...) are not simulated.
//! Other runtime lines (timeouts, exit errors) stay text: AWS's JSON form of them is not documented.

use serde_json::{json, Map, Value as Json};

/// Application log levels, most verbose first (docs: "Log-level filtering").
pub const APPLICATION_LOG_LEVELS: [&str; 6] = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
/// System log levels, most verbose first.
pub const SYSTEM_LOG_LEVELS: [&str; 3] = ["DEBUG", "INFO", "WARN"];

/// A function's `LoggingConfig`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LoggingConfig {
    /// `LogFormat: JSON` (the default is `Text`).
    pub json: bool,
    /// `ApplicationLogLevel` (default `INFO`).
    pub application_log_level: String,
    /// `SystemLogLevel` (default `INFO`).
    pub system_log_level: String,
}

/// Reads `LoggingConfig` from an `AWS::Lambda::Function`'s properties (SAM copies its own `LoggingConfig` there).
/// Errors: a `LogFormat` other than `Text` / `JSON`, a level outside the lists above (the validation message
/// CreateFunction gives for an enum), `LogGroup` (a custom log group is not simulated).
pub fn logging_config(props: &Json) -> Result<LoggingConfig, String> {
    let config = props.get("LoggingConfig").cloned().unwrap_or(Json::Null);
    let field = |key: &str| config.get(key).and_then(Json::as_str).map(str::to_string);
    if config.get("LogGroup").is_some() {
        return Err("not simulated: LoggingConfig.LogGroup (logs go to /aws/lambda/<function name>)".to_string());
    }
    let json = match field("LogFormat").as_deref() {
        None | Some("Text") => false,
        Some("JSON") => true,
        Some(other) => return Err(enum_error(other, "loggingConfig.logFormat", &["JSON", "Text"])),
    };
    let level = |key: &str, path: &str, allowed: &[&str]| -> Result<String, String> {
        match field(key) {
            None => Ok("INFO".to_string()),
            Some(v) if allowed.contains(&v.as_str()) => Ok(v),
            Some(v) => Err(enum_error(&v, path, allowed)),
        }
    };
    // AWS's answer to a level with the Text format is not documented here; the levels only apply to JSON logs
    // (docs: "To use log-level filtering, your function must be configured to use the JSON log format").
    Ok(LoggingConfig {
        json,
        application_log_level: level(
            "ApplicationLogLevel",
            "loggingConfig.applicationLogLevel",
            &APPLICATION_LOG_LEVELS,
        )?,
        system_log_level: level("SystemLogLevel", "loggingConfig.systemLogLevel", &SYSTEM_LOG_LEVELS)?,
    })
}

/// The AWS validation message for a value outside an enum.
fn enum_error(value: &str, path: &str, allowed: &[&str]) -> String {
    format!(
        "1 validation error detected: Value '{value}' at '{path}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
        allowed.join(", ")
    )
}

/// The variables the runtime reads for JSON logs (`AWS_LAMBDA_LOG_FORMAT`, `AWS_LAMBDA_LOG_LEVEL`); none for text.
pub fn variables(config: &LoggingConfig) -> Vec<(String, String)> {
    if !config.json {
        return Vec::new();
    }
    vec![
        ("AWS_LAMBDA_LOG_FORMAT".to_string(), "JSON".to_string()),
        ("AWS_LAMBDA_LOG_LEVEL".to_string(), config.application_log_level.clone()),
    ]
}

/// A duration as AWS writes it in JSON metrics: whole numbers without a fraction.
fn ms(value: f64) -> Json {
    if value.fract() == 0.0 && (0.0..9.0e15).contains(&value) {
        json!(value as u64)
    } else {
        json!(value)
    }
}

/// The invoke's log lines in the JSON format; platform records are stamped with virtual time: `REPORT` and the
/// init report at `end_ms` (when the invoke ended), `START` at `end_ms` less the reported `Duration`. Text-format
/// configs keep the lines as they are.
pub fn to_json_lines(config: &LoggingConfig, lines: Vec<String>, end_ms: u64) -> Vec<String> {
    if !config.json {
        return lines;
    }
    let duration = lines
        .iter()
        .filter_map(|l| l.strip_prefix("REPORT RequestId: "))
        .flat_map(fields)
        .find(|(name, _)| *name == "Duration")
        .map_or(0.0, |(_, v)| number(v));
    let start_ms = end_ms.saturating_sub(duration as u64);
    let system_info = config.system_log_level != "WARN";
    let start = crate::js::iso_millis(start_ms);
    let end = crate::js::iso_millis(end_ms);
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(rest) = line.strip_prefix("START RequestId: ") {
            if system_info {
                let (id, version) = rest.split_once(" Version: ").unwrap_or((rest, "$LATEST"));
                out.push(platform(
                    &start,
                    "platform.start",
                    json!({"requestId": id, "version": version}),
                ));
            }
        } else if line.starts_with("END RequestId: ") {
            // No JSON counterpart at INFO (see the module docs).
        } else if let Some(rest) = line.strip_prefix("REPORT RequestId: ") {
            if system_info {
                out.push(platform(&end, "platform.report", report_record(rest)));
            }
        } else if let Some(rest) = line.strip_prefix("INIT_REPORT ") {
            if system_info {
                out.push(platform(&end, "platform.initReport", init_report_record(rest)));
            }
        } else {
            out.push(application_line(&line).unwrap_or(line));
        }
    }
    out
}

fn platform(time: &str, kind: &str, record: Json) -> String {
    json!({"time": time, "type": kind, "record": record}).to_string()
}

/// The `Name: value` fields of a tab-separated platform line.
fn fields(rest: &str) -> Vec<(&str, &str)> {
    rest.split('\t').filter_map(|f| f.split_once(": ")).collect()
}

fn number(text: &str) -> f64 {
    text.trim_end_matches(" ms")
        .trim_end_matches(" MB")
        .parse()
        .unwrap_or(0.0)
}

fn report_record(rest: &str) -> Json {
    let (id, rest) = rest.split_once('\t').unwrap_or((rest, ""));
    let mut metrics = Map::new();
    let mut status = "success".to_string();
    let mut error_type = None;
    for (name, value) in fields(rest) {
        let key = match name {
            "Duration" => "durationMs",
            "Billed Duration" => "billedDurationMs",
            "Memory Size" => "memorySizeMB",
            "Max Memory Used" => "maxMemoryUsedMB",
            "Init Duration" => "initDurationMs",
            "Status" => {
                status = value.to_string();
                continue;
            }
            "Error Type" => {
                error_type = Some(value.to_string());
                continue;
            }
            _ => continue,
        };
        metrics.insert(key.to_string(), ms(number(value)));
    }
    let mut record = json!({"requestId": id, "metrics": metrics, "status": status});
    if let (Some(e), Some(map)) = (error_type, record.as_object_mut()) {
        map.insert("errorType".to_string(), json!(e));
    }
    record
}

fn init_report_record(rest: &str) -> Json {
    let mut record = Map::new();
    record.insert("initializationType".to_string(), json!("on-demand"));
    let mut metrics = Map::new();
    for (name, value) in fields(rest) {
        match name {
            "Init Duration" => {
                metrics.insert("durationMs".to_string(), ms(number(value)));
            }
            "Phase" => {
                record.insert("phase".to_string(), json!(value));
            }
            "Status" => {
                record.insert("status".to_string(), json!(value));
            }
            "Error Type" => {
                record.insert("errorType".to_string(), json!(value));
            }
            _ => {}
        }
    }
    record.insert("metrics".to_string(), Json::Object(metrics));
    Json::Object(record)
}

/// `<iso>\t<id>\t<LEVEL>\t{fields}` as the JSON record RIC writes: timestamp, level, requestId, then the fields.
fn application_line(line: &str) -> Option<String> {
    let mut parts = line.splitn(4, '\t');
    let (timestamp, request_id, level, body) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if !APPLICATION_LOG_LEVELS.contains(&level) {
        return None;
    }
    let Ok(Json::Object(body)) = serde_json::from_str::<Json>(body) else {
        return None;
    };
    let mut record = Map::new();
    record.insert("timestamp".to_string(), json!(timestamp));
    record.insert("level".to_string(), json!(level));
    record.insert("requestId".to_string(), json!(request_id));
    record.extend(body);
    Some(Json::Object(record).to_string())
}
