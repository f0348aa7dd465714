//! The conformance cases of `shared/cases/` (format: that folder's README), run through the CLI.
//!
//! Every case folder is checked: its template must `validate`, and its requests, run with
//! `serverless-playground request -t template.yaml --script requests.jsonl`, must answer what `expected.jsonl`
//! says AWS answers. Cases whose features are not built yet are listed in [`PENDING`] with the issue that will make
//! them pass; for those, the run must fail loudly with a "not simulated" error. A pending case that starts to pass
//! fails this test until it is taken off the list, so the list only shrinks.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Cases not passing yet, and the issue that delivers what they need.
const PENDING: &[(&str, &str)] = &[];

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/cases")
}

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_serverless-playground"))
}

fn case_folders() -> Vec<PathBuf> {
    let dir = cases_dir();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("template.yaml").is_file())
        .collect();
    folders.sort();
    folders
}

#[test]
fn every_case_runs_as_aws_answers_or_is_pending_loudly() {
    let folders = case_folders();
    assert!(
        folders.len() >= 11,
        "expected the shared cases, found {}",
        folders.len()
    );
    let mut failures = Vec::new();
    for folder in &folders {
        let name = folder.file_name().unwrap().to_string_lossy().to_string();
        if let Err(why) = run_case(folder, &name) {
            failures.push(format!("{name}: {why}"));
        }
    }
    for (pending, _) in PENDING {
        assert!(
            folders.iter().any(|f| f.ends_with(pending)),
            "PENDING names a case that does not exist: {pending}"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn run_case(folder: &Path, name: &str) -> Result<(), String> {
    let template = folder.join("template.yaml");
    let validate = cli()
        .args(["validate", "-t"])
        .arg(&template)
        .output()
        .map_err(|e| e.to_string())?;
    if !validate.status.success() {
        return Err(format!(
            "validate failed: {}",
            String::from_utf8_lossy(&validate.stderr)
        ));
    }
    let run = cli()
        .args(["request", "-t"])
        .arg(&template)
        .arg("--script")
        .arg(folder.join("requests.jsonl"))
        .output()
        .map_err(|e| e.to_string())?;
    let outcome = if run.status.success() {
        compare_all(&String::from_utf8_lossy(&run.stdout), &read(folder, "expected.jsonl")?)
    } else {
        Err(String::from_utf8_lossy(&run.stderr).trim().to_string())
    };
    match (PENDING.iter().find(|(case, _)| *case == name), outcome) {
        (None, outcome) => outcome,
        (Some(_), Ok(())) => Err("passes now: take it off PENDING".to_string()),
        (Some(_), Err(why)) if why.contains("not simulated") => Ok(()),
        (Some((_, issue)), Err(why)) => Err(format!(
            "pending on {issue}, but fails without saying what is not simulated: {why}"
        )),
    }
}

fn read(folder: &Path, file: &str) -> Result<String, String> {
    std::fs::read_to_string(folder.join(file)).map_err(|e| format!("{file}: {e}"))
}

/// Compares the CLI's output lines with `expected.jsonl`, line by line.
fn compare_all(actual: &str, expected: &str) -> Result<(), String> {
    let actual: Vec<&str> = actual.lines().filter(|l| !l.trim().is_empty()).collect();
    let expected: Vec<&str> = expected.lines().filter(|l| !l.trim().is_empty()).collect();
    if actual.len() != expected.len() {
        return Err(format!(
            "{} responses for {} expected lines",
            actual.len(),
            expected.len()
        ));
    }
    for (i, (a, e)) in actual.iter().zip(&expected).enumerate() {
        let a: Value = serde_json::from_str(a).map_err(|err| format!("line {}: output is not JSON: {err}", i + 1))?;
        let e: Value = serde_json::from_str(e).map_err(|err| format!("line {}: expected is not JSON: {err}", i + 1))?;
        compare(&a, &e).map_err(|why| format!("line {}: {why}", i + 1))?;
    }
    Ok(())
}

/// One response against one expected line, field by field, as the cases README defines them.
fn compare(actual: &Value, expected: &Value) -> Result<(), String> {
    let fields = expected.as_object().ok_or("expected line is not an object")?;
    for (field, want) in fields {
        match field.as_str() {
            "statusCode" | "StatusCode" | "body" | "FunctionError" => {
                let got = actual.get(field).unwrap_or(&Value::Null);
                if got != want {
                    return Err(format!("{field}: got {got}, want {want}"));
                }
            }
            "bodyJson" => {
                let body = actual.get("body").and_then(Value::as_str).unwrap_or_default();
                let got: Value = serde_json::from_str(body).map_err(|_| format!("body is not JSON: {body}"))?;
                if &got != want {
                    return Err(format!("bodyJson: got {got}, want {want}"));
                }
            }
            "bodyContains" => {
                let body = actual.get("body").and_then(Value::as_str).unwrap_or_default();
                for part in want.as_array().into_iter().flatten().filter_map(Value::as_str) {
                    if !body.contains(part) {
                        return Err(format!("body {body:?} does not contain {part:?}"));
                    }
                }
            }
            "headers" => {
                for (name, value) in want.as_object().into_iter().flatten() {
                    let got = header(actual, name);
                    if got.as_deref() != value.as_str() {
                        return Err(format!("header {name}: got {got:?}, want {value}"));
                    }
                }
            }
            "Payload" | "PayloadSubset" => {
                let payload = actual.get("Payload").and_then(Value::as_str).unwrap_or("null");
                let got: Value =
                    serde_json::from_str(payload).map_err(|_| format!("Payload is not JSON: {payload}"))?;
                let ok = if field == "Payload" {
                    &got == want
                } else {
                    want.as_object()
                        .into_iter()
                        .flatten()
                        .all(|(k, v)| got.get(k) == Some(v))
                };
                if !ok {
                    return Err(format!("{field}: got {got}, want {want}"));
                }
            }
            other => return Err(format!("unknown expected field {other}")),
        }
    }
    Ok(())
}

/// A header's value, case-insensitively, with several values joined by `", "` (the cases README's rule).
fn header(response: &Value, name: &str) -> Option<String> {
    if let Some(values) = response.get("multiValueHeaders").and_then(Value::as_object) {
        if let Some((_, v)) = values.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
            let parts: Vec<&str> = v.as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            return Some(parts.join(", "));
        }
    }
    let headers = response.get("headers")?.as_object()?;
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str())
        .map(str::to_string)
}

#[test]
fn the_comparison_follows_the_cases_readme() {
    let response = serde_json::json!({
        "statusCode": 403,
        "headers": {"X-Amzn-ErrorType": "MissingAuthenticationTokenException"},
        "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]},
        "body": "{\"message\": \"Missing Authentication Token\"}",
        "isBase64Encoded": false
    });
    let ok = serde_json::json!({
        "statusCode": 403,
        "bodyJson": {"message": "Missing Authentication Token"},
        "headers": {"x-amzn-errortype": "MissingAuthenticationTokenException", "set-cookie": "a=1, b=2"}
    });
    assert_eq!(compare(&response, &ok), Ok(()));
    assert!(compare(&response, &serde_json::json!({"statusCode": 200})).is_err());
    assert!(compare(
        &response,
        &serde_json::json!({"body": "{\"message\":\"Missing Authentication Token\"}"})
    )
    .is_err());
    assert_eq!(
        compare(&response, &serde_json::json!({"bodyContains": ["Missing", "Token"]})),
        Ok(())
    );
    let invoke = serde_json::json!({"StatusCode": 200, "FunctionError": null, "Payload": "{\"a\":1,\"b\":2}"});
    assert_eq!(
        compare(
            &invoke,
            &serde_json::json!({"FunctionError": null, "PayloadSubset": {"a": 1}})
        ),
        Ok(())
    );
    assert!(compare(&invoke, &serde_json::json!({"Payload": {"a": 1}})).is_err());
    assert!(compare(&invoke, &serde_json::json!({"FunctionError": "Unhandled"})).is_err());
}

#[test]
fn validate_lists_resources_and_outputs() {
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sam-hello-world/template.yaml");
    let out = cli().args(["validate", "-t"]).arg(&template).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Resources (6):");
    assert_eq!(
        lines[1].split_whitespace().collect::<Vec<_>>(),
        ["HelloWorldFunctionRole", "AWS::IAM::Role", "simulated"]
    );
    assert_eq!(lines[7], "Outputs (3):");
    assert!(lines[8].starts_with("  HelloWorldApi = https://"), "{}", lines[8]);
    assert!(
        lines[8].ends_with(".execute-api.us-east-1.amazonaws.com/Prod/hello/"),
        "{}",
        lines[8]
    );
}

#[test]
fn validate_evaluates_every_intrinsic_function() {
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/intrinsics.yaml");
    let out = cli().args(["validate", "-t"]).arg(&template).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for line in [
        "  SelectSplit = c",
        "  Base64 = aGVsbG8gd29ybGQ=",
        "  Pseudo = 123456789012 us-east-1 sam-app aws amazonaws.com",
        "  Conditions = dev,east,either",
        "  Sub = arn:aws:s3:::${Literal}/arn:aws:lambda:us-east-1:123456789012:function:fn-dev",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
    }
    let out = cli()
        .args(["validate", "-t"])
        .arg(&template)
        .args(["--parameter-overrides", "Env=prod"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l == "  Conditions = x,x,either"));
}

#[test]
fn validate_reports_errors_with_their_location_and_exit_status_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.yaml");
    std::fs::write(
        &path,
        "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: !GetAtt Missing.Arn\n",
    )
    .unwrap();
    let out = cli().args(["validate", "-t"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        format!(
            "{}:5:21: [Fn] Template error: instance of Fn::GetAtt references undefined resource Missing",
            path.display()
        )
    );
    let out = cli()
        .args(["validate", "-t"])
        .arg(dir.path().join("absent.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn parameter_overrides_reach_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.yaml");
    std::fs::write(&path, "Parameters:\n  Env: {Type: String}\nResources:\n  T: {Type: AWS::SNS::Topic, Properties: {TopicName: !Ref Env}}\nOutputs:\n  Name: {Value: !GetAtt T.TopicName}\n").unwrap();
    let out = cli()
        .args(["validate", "-t"])
        .arg(&path)
        .args(["--parameter-overrides", "Env=prod"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("  Name = prod\n"),
        "{out:?}"
    );
    let out = cli().args(["validate", "-t"]).arg(&path).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("Parameters: [Env] must have values"));
}
