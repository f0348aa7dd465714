//! The `request` and `test-invoke` subcommands, as a user runs them.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_serverless-playground"))
}

fn hello() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/cases/01-hello-world-mock/template.yaml")
}

fn json_stdout(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn request_prints_one_proxy_shaped_json_line() {
    let out = cli()
        .args(["request", "-t"])
        .arg(hello())
        .args(["GET", "/test/message", "-H", "Accept: application/json"])
        .output()
        .unwrap();
    let v = json_stdout(&out);
    assert_eq!(v["statusCode"], 200);
    assert_eq!(v["body"], "{\"message\": \"Hello World!\"}");
    assert_eq!(v["headers"]["Content-Type"], "application/json");
    assert_eq!(v["multiValueHeaders"]["Content-Type"][0], "application/json");
    assert_eq!(v["isBase64Encoded"], false);
    let out = cli()
        .args(["request", "-t"])
        .arg(hello())
        .args(["--api", "Api", "GET", "/test/"])
        .output()
        .unwrap();
    assert_eq!(
        json_stdout(&out)["body"],
        "{\"message\":\"Missing Authentication Token\"}"
    );
}

#[test]
fn request_errors_exit_1_with_a_message() {
    let out = cli()
        .args(["request", "-t"])
        .arg(hello())
        .args(["--api", "Nope", "GET", "/test/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "--api Nope: the template has no AWS::ApiGateway::RestApi with that logical id"
    );
    let out = cli()
        .args(["request", "-t"])
        .arg(hello())
        .args(["GET", "/test/", "-H", "no-colon"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "-H: expected 'Name: value', got 'no-colon'"
    );
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("r.jsonl");
    std::fs::write(
        &script,
        "{\"method\": \"GET\", \"path\": \"/test/message\"}\n{\"invoke\": \"Fn\", \"event\": {}}\n",
    )
    .unwrap();
    let out = cli()
        .args(["request", "-t"])
        .arg(hello())
        .arg("--script")
        .arg(&script)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "line 2: ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:123456789012:function:Fn"
    );
}

#[test]
fn test_invoke_prints_status_body_headers_log_latency() {
    let out = cli()
        .args(["test-invoke", "-t"])
        .arg(hello())
        .args([
            "--resource-path",
            "/message",
            "--http-method",
            "GET",
            "--path-with-query-string",
            "/message?a=1",
        ])
        .output()
        .unwrap();
    let v = json_stdout(&out);
    assert_eq!(v["status"], 200);
    assert_eq!(v["latency"], 0);
    let log = v["log"].as_str().unwrap();
    assert!(log.starts_with("Execution log for request "), "{log}");
    assert!(log.contains(" : Method request query string: {a=1}\n"), "{log}");
    assert!(log.ends_with(" : Method completed with status: 200\n"), "{log}");
    let out = cli()
        .args(["test-invoke", "-t"])
        .arg(hello())
        .args(["--resource-path", "/message", "--http-method", "POST"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "An error occurred (NotFoundException) when calling the TestInvokeMethod operation: Invalid Method identifier specified"
    );
}

/// The `sam init` Node.js Hello World app (`CodeUri` folder, implicit `ServerlessRestApi`, proxy event) answers
/// `GET /Prod/hello` as on AWS: 200, `{"message":"hello world"}` as the handler wrote it, `Content-Type:
/// application/json` added by API Gateway, and the request-id headers. SAM's other stage, `Stage`, serves it too.
#[test]
fn the_sam_hello_world_answers_get_prod_hello() {
    let template = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sam-hello-world/template.yaml");
    let out = cli()
        .args(["request", "-t"])
        .arg(&template)
        .args(["GET", "/Prod/hello"])
        .output()
        .unwrap();
    let v = json_stdout(&out);
    assert_eq!(v["statusCode"], 200);
    assert_eq!(v["body"], "{\"message\":\"hello world\"}");
    let headers = v["headers"].as_object().unwrap();
    let names: Vec<&str> = headers.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ["Content-Type", "x-amzn-RequestId", "x-amz-apigw-id", "X-Amzn-Trace-Id"]
    );
    assert_eq!(headers["Content-Type"], "application/json");
    assert_eq!(v["isBase64Encoded"], false);
    for (path, status) in [("/Stage/hello", 200), ("/Prod/hello/", 200), ("/Prod/bye", 403)] {
        let out = cli()
            .args(["request", "-t"])
            .arg(&template)
            .args(["GET", path])
            .output()
            .unwrap();
        assert_eq!(json_stdout(&out)["statusCode"], status, "{path}");
    }
    let out = cli()
        .args(["request", "-t"])
        .arg(&template)
        .args(["POST", "/Prod/hello"])
        .output()
        .unwrap();
    assert_eq!(
        json_stdout(&out)["body"],
        "{\"message\":\"Missing Authentication Token\"}"
    );
}
