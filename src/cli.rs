//! What the command-line program does, kept in the library so tests can call it without a process.
//! (Argument parsing stays in `main.rs`.)

use crate::cloud::Cloud;
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
