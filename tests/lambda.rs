//! Lambda through the engine: handler contract, error payloads, logs, timeouts, warm and cold environments.
//! Every expected value is AWS's exact text (sources in `src/lambda/invoke.rs` and `src/js/bootstrap.js`).

use serde_json::{json, Value};
use serverless_playground::lambda::{self, InvocationType, InvokeError, InvokeOutput};
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

/// A cloud with one function `Fn` (name `fn`) running `code` as `index.js`, plus extra properties.
fn deploy(code: &str, extra: &str) -> Cloud {
    let indented: String = code.lines().map(|l| format!("          {l}\n")).collect();
    let text = format!(
        "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      FunctionName: fn\n      Runtime: nodejs20.x\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/r\n{extra}      Code:\n        ZipFile: |\n{indented}"
    );
    let mut cloud = Cloud::default();
    let stack = template::load("t.yaml", &text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    cloud
}

fn call(cloud: &mut Cloud, event: &str) -> InvokeOutput {
    lambda::invoke(cloud, "fn", InvocationType::RequestResponse, event).unwrap()
}

fn payload(out: &InvokeOutput) -> Value {
    serde_json::from_str(&out.payload).unwrap()
}

#[test]
fn handler_results_follow_the_runtime_contract() {
    // (code, event, FunctionError, payload)
    let cases: &[(&str, &str, Option<&str>, Value)] = &[
        (
            "exports.handler = async (e) => ({ got: e.x });",
            r#"{"x":1}"#,
            None,
            json!({"got": 1}),
        ),
        ("exports.handler = async () => {};", "{}", None, Value::Null),
        (
            "exports.handler = (e, c, cb) => cb(null, 'hi');",
            "{}",
            None,
            json!("hi"),
        ),
        (
            "exports.handler = (e, c, cb) => { cb(null, 1); cb(null, 2); };",
            "{}",
            None,
            json!(1),
        ),
        (
            "exports.handler = (e, c) => { c.succeed({ a: 1 }); c.fail(new Error('x')); };",
            "{}",
            None,
            json!({"a": 1}),
        ),
        (
            "exports.handler = (e, c) => c.done(null, 'done');",
            "{}",
            None,
            json!("done"),
        ),
        ("exports.handler = () => 42;", "{}", None, Value::Null),
        (
            "exports.handler = (e, c, cb) => { setTimeout(() => cb(null, 'late'), 100); };",
            "{}",
            None,
            json!("late"),
        ),
        (
            "exports.handler = async () => { throw 'boom'; };",
            "{}",
            Some("Unhandled"),
            json!({"errorType": "string", "errorMessage": "boom", "trace": []}),
        ),
        (
            "exports.handler = (e, c) => c.fail();",
            "{}",
            Some("Unhandled"),
            json!({"errorType": "string", "errorMessage": "handled", "trace": []}),
        ),
        (
            "exports.handler = async () => Promise.reject({ a: 1 });",
            "{}",
            Some("Unhandled"),
            json!({"errorType": "object", "errorMessage": "[object Object]", "trace": []}),
        ),
        (
            "exports.handler = async () => { throw new TypeError('bad'); };",
            "{}",
            Some("Unhandled"),
            json!({"errorType": "TypeError", "errorMessage": "bad", "trace": ["TypeError: bad", "    at <main> (/var/task/index.js:1:101)"]}),
        ),
        (
            "class NotFound extends Error {}\nexports.handler = (e, c, cb) => cb(new NotFound('gone'));",
            "{}",
            Some("Unhandled"),
            json!({"errorType": "Error", "errorMessage": "gone", "trace": ["Error: gone", "    at NotFound (/var/task/index.js:?:?)", "    at <main> (/var/task/index.js:2:36)"]}),
        ),
        (
            "exports.handler = async () => new Promise(() => {});",
            "{}",
            Some("Unhandled"),
            json!({"errorType": "Runtime.NodeJsExit", "errorMessage": lambda::invoke::NODEJS_EXIT_MESSAGE, "trace": [format!("Runtime.NodeJsExit: {}", lambda::invoke::NODEJS_EXIT_MESSAGE)]}),
        ),
        (
            "exports.handler = async () => { const o = {}; o.self = o; return o; };",
            "{}",
            Some("Unhandled"),
            json!({"errorType": "Error", "errorMessage": "Unable to stringify response body", "trace": ["Error: Unable to stringify response body"]}),
        ),
    ];
    for (code, event, error, want) in cases {
        let mut cloud = deploy(code, "");
        let out = call(&mut cloud, event);
        assert_eq!(out.status_code, 200, "{code}");
        assert_eq!(out.function_error.as_deref(), *error, "{code}: {}", out.payload);
        assert_eq!(out.executed_version, "$LATEST");
        assert_eq!(&payload(&out), want, "{code}");
    }
}

#[test]
fn init_errors_are_runtime_errors_with_aws_messages() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("exports.other = () => 1;", "index.handler", "Runtime.HandlerNotFound", "index.handler is undefined or not exported"),
        ("exports.handler = 5;", "index.handler", "Runtime.HandlerNotFound", "index.handler is not a function"),
        ("exports.handler = () => 1;", "index", "Runtime.MalformedHandlerName", "Bad handler"),
        (
            "exports.handler = () => 1;",
            "../index.handler",
            "Runtime.MalformedHandlerName",
            "'../index.handler' is not a valid handler name. Use absolute paths when specifying root directories in handler names.",
        ),
        (
            "exports.handler = () => 1;",
            "app.handler",
            "Runtime.ImportModuleError",
            "Error: Cannot find module 'app'\nRequire stack:\n- /var/runtime/index.mjs",
        ),
        (
            "const x = require('./missing');\nexports.handler = () => 1;",
            "index.handler",
            "Runtime.ImportModuleError",
            "Error: Cannot find module './missing'\nRequire stack:\n- /var/task/index.js\n- /var/runtime/index.mjs",
        ),
        (
            "const AWS = require('aws-sdk');\nexports.handler = () => 1;",
            "index.handler",
            "Runtime.ImportModuleError",
            "Error: Cannot find module 'aws-sdk'\nRequire stack:\n- /var/task/index.js\n- /var/runtime/index.mjs",
        ),
        ("throw new Error('init failed');", "index.handler", "Error", "init failed"),
    ];
    for (code, handler, error_type, message) in cases {
        let mut cloud = deploy(code, "");
        if let Some(l) = cloud.service_mut::<lambda::Lambda>() {
            if let Some(f) = l.functions.get_mut("fn") {
                f.latest.handler = handler.to_string();
            }
        }
        let out = call(&mut cloud, "{}");
        assert_eq!(out.function_error.as_deref(), Some("Unhandled"), "{code}");
        let p = payload(&out);
        assert_eq!(p["errorType"], *error_type, "{code}: {p}");
        assert_eq!(p["errorMessage"], *message, "{code}: {p}");
        let init_report = format!("Phase: init\tStatus: error\tError Type: {error_type}");
        assert!(
            out.logs
                .iter()
                .any(|l| l.starts_with("INIT_REPORT Init Duration: 0.00 ms\t") && l.ends_with(&init_report)),
            "{:?}",
            out.logs
        );
        assert!(
            out.logs[0].starts_with("2026-01-01T00:00:00.000Z\tundefined\tERROR\tUncaught Exception \t{\"errorType\":")
        );
    }
}

#[test]
fn a_syntax_error_is_a_user_code_syntax_error() {
    let mut cloud = deploy("exports.handler = () => {", "");
    let out = call(&mut cloud, "{}");
    let p = payload(&out);
    assert_eq!(p["errorType"], "Runtime.UserCodeSyntaxError");
    assert!(p["errorMessage"].as_str().unwrap().starts_with("SyntaxError: "), "{p}");
}

#[test]
fn logs_have_aws_format() {
    let code = "console.log('loading');\nexports.handler = async (e, c) => {\n  console.log('event %j', e);\n  console.warn({ a: [1, 'x'] }, 'two\\nlines');\n  console.error(new RangeError('r'));\n  return 1;\n};";
    let mut cloud = deploy(code, "");
    let out = call(&mut cloud, r#"{"k":true}"#);
    let id = out.request_id.clone();
    assert_eq!(
        out.logs,
        vec![
            "2026-01-01T00:00:00.000Z\tundefined\tINFO\tloading".to_string(),
            format!("START RequestId: {id} Version: $LATEST"),
            format!("2026-01-01T00:00:00.000Z\t{id}\tINFO\tevent {{\"k\":true}}"),
            format!("2026-01-01T00:00:00.000Z\t{id}\tWARN\t{{ a: [ 1, 'x' ] }} two\rlines"),
            format!("2026-01-01T00:00:00.000Z\t{id}\tERROR\tRangeError: r\r    at <main> (/var/task/index.js:5:17)"),
            format!("END RequestId: {id}"),
            format!("REPORT RequestId: {id}\tDuration: 0.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 0.00 ms\t"),
        ]
    );
    // Warm: no init line, no Init Duration.
    let out = call(&mut cloud, "{}");
    let id = out.request_id.clone();
    assert_eq!(
        out.logs.last().unwrap(),
        &format!("REPORT RequestId: {id}\tDuration: 0.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\t")
    );
}

#[test]
fn virtual_time_makes_waits_free_and_timeouts_exact() {
    let code = "let calls = 0;\nexports.handler = async (e) => {\n  calls++;\n  const t0 = Date.now();\n  await new Promise((r) => setTimeout(r, e.ms));\n  return { calls, waited: Date.now() - t0, now: new Date().toISOString() };\n};";
    let mut cloud = deploy(code, "      Timeout: 5\n");
    let out = call(&mut cloud, r#"{"ms":4000}"#);
    assert_eq!(
        payload(&out),
        json!({"calls": 1, "waited": 4000, "now": "2026-01-01T00:00:04.000Z"})
    );
    let report = out.logs.last().unwrap();
    assert!(
        report.contains("\tDuration: 4000.00 ms\tBilled Duration: 4000 ms\t"),
        "{report}"
    );
    assert_eq!(cloud.clock.now_millis(), 1_767_225_604_000);
    // Warm: globals persist.
    let out = call(&mut cloud, r#"{"ms":10}"#);
    assert_eq!(payload(&out)["calls"], 2);
    // Timeout: AWS's payload and log lines; the environment is discarded.
    let out = call(&mut cloud, r#"{"ms":6000}"#);
    let id = out.request_id.clone();
    assert_eq!(out.function_error.as_deref(), Some("Unhandled"));
    assert_eq!(
        out.payload,
        format!("{{\"errorType\":\"Sandbox.Timedout\",\"errorMessage\":\"RequestId: {id} Error: Task timed out after 5.00 seconds\"}}")
    );
    assert_eq!(
        out.logs[1..],
        [
            format!("2026-01-01T00:00:09.010Z {id} Task timed out after 5.00 seconds"),
            format!("END RequestId: {id}"),
            format!("REPORT RequestId: {id}\tDuration: 5000.00 ms\tBilled Duration: 5000 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tStatus: timeout"),
        ]
    );
    let out = call(&mut cloud, r#"{"ms":1}"#);
    assert_eq!(payload(&out)["calls"], 1, "a timeout discards the environment");
    assert!(out.logs.last().unwrap().contains("\tInit Duration: 0.00 ms\t"));
}

#[test]
fn runaway_code_times_out_instead_of_hanging() {
    for code in [
        "exports.handler = async () => { while (true) {} };",
        "exports.handler = async () => { for (;;) { for (let i = 0; i < 10; i++) {} } };",
        "exports.handler = () => { setInterval(() => {}, 100); };",
        "exports.handler = (e, c, cb) => { const spin = () => Promise.resolve().then(spin); spin(); };",
    ] {
        let mut cloud = deploy(code, "");
        if let Some(l) = cloud.service_mut::<lambda::Lambda>() {
            l.limits.loop_iterations = 100_000;
            l.limits.microtasks = 10_000;
        }
        let out = call(&mut cloud, "{}");
        assert_eq!(payload(&out)["errorType"], "Sandbox.Timedout", "{code}");
        assert!(out.logs.last().unwrap().ends_with("\tStatus: timeout"), "{code}");
    }
    let mut cloud = deploy("const f = () => f();\nexports.handler = async () => f();", "");
    let out = call(&mut cloud, "{}");
    assert_eq!(
        payload(&out),
        json!({"errorType": "RangeError", "errorMessage": "Maximum call stack size exceeded", "trace": ["RangeError: Maximum call stack size exceeded"]})
    );
}

#[test]
fn callback_waits_for_the_event_loop_unless_told_not_to() {
    let code = "let ticks = 0;\nexports.handler = (e, c, cb) => {\n  c.callbackWaitsForEmptyEventLoop = e.wait;\n  setTimeout(() => { ticks++; }, 1000);\n  cb(null, ticks);\n};";
    let mut cloud = deploy(code, "");
    let out = call(&mut cloud, r#"{"wait":true}"#);
    assert_eq!(payload(&out), json!(0));
    assert!(out.logs.last().unwrap().contains("\tDuration: 1000.00 ms\t"));
    let out = call(&mut cloud, r#"{"wait":false}"#);
    assert_eq!(payload(&out), json!(1));
    assert!(out.logs.last().unwrap().contains("\tDuration: 0.00 ms\t"));
}

#[test]
fn the_context_object_and_environment_are_lambdas() {
    let code = "exports.handler = async (e, c) => ({\n  name: c.functionName, version: c.functionVersion, arn: c.invokedFunctionArn,\n  memory: c.memoryLimitInMB, id: c.awsRequestId, group: c.logGroupName,\n  remaining: c.getRemainingTimeInMillis(), waits: c.callbackWaitsForEmptyEventLoop,\n  region: process.env.AWS_REGION, handler: process.env._HANDLER, exec: process.env.AWS_EXECUTION_ENV,\n  mine: process.env.STAGE, root: process.env.LAMBDA_TASK_ROOT, mem: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,\n});";
    let mut cloud = deploy(
        code,
        "      MemorySize: 256\n      Environment:\n        Variables:\n          STAGE: prod\n",
    );
    let out = call(&mut cloud, "{}");
    assert_eq!(
        payload(&out),
        json!({
            "name": "fn", "version": "$LATEST", "arn": "arn:aws:lambda:us-east-1:123456789012:function:fn",
            "memory": "256", "id": out.request_id, "group": "/aws/lambda/fn", "remaining": 3000, "waits": true,
            "region": "us-east-1", "handler": "index.handler", "exec": "AWS_Lambda_nodejs20.x", "mine": "prod",
            "root": "/var/task", "mem": "256",
        })
    );
}

#[test]
fn commonjs_modules_load_relative_files_and_json() {
    let text = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionName: fn\n      Runtime: nodejs20.x\n      Handler: src/app.handler\n      CodeUri: code\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("code/src/lib")).unwrap();
    std::fs::write(
        dir.path().join("code/src/app.js"),
        "const { greet } = require('./lib');\nconst cfg = require('../config.json');\nconst again = require('./lib/index.js');\nmodule.exports.handler = async () => greet(cfg.name) + (again === require('./lib') ? ' (cached)' : '');",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("code/src/lib/index.js"),
        "exports.greet = (n) => 'hello ' + n;",
    )
    .unwrap();
    std::fs::write(dir.path().join("code/config.json"), "{\"name\": \"world\"}").unwrap();
    let path = dir.path().join("template.yaml");
    std::fs::write(&path, text).unwrap();
    let (_, mut cloud) = serverless_playground::cli::load_template_file(&path, Vec::new()).unwrap();
    let out = call(&mut cloud, "{}");
    assert_eq!(payload(&out), json!("hello world (cached)"));
}

#[test]
fn invocation_types_and_service_errors() {
    let mut cloud = deploy("exports.handler = async () => { console.log('ran'); return 1; };", "");
    let out = lambda::invoke(&mut cloud, "fn", InvocationType::Event, "{}").unwrap();
    assert_eq!(
        (out.status_code, out.payload.as_str(), out.function_error),
        (202, "", None)
    );
    assert!(out.logs.iter().any(|l| l.ends_with("\tINFO\tran")));
    let out = lambda::invoke(&mut cloud, "fn", InvocationType::DryRun, "{}").unwrap();
    assert_eq!((out.status_code, out.payload.as_str(), out.logs.len()), (204, "", 0));
    assert_eq!(
        lambda::invoke(&mut cloud, "nope", InvocationType::RequestResponse, "{}").unwrap_err(),
        InvokeError::ResourceNotFound("Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope".into())
    );
    assert_eq!(
        lambda::invoke(&mut cloud, "fn:7", InvocationType::RequestResponse, "{}").unwrap_err(),
        InvokeError::ResourceNotFound("Function not found: arn:aws:lambda:us-east-1:123456789012:function:fn:7".into())
    );
    let err = lambda::invoke(&mut cloud, "fn", InvocationType::RequestResponse, "{oops").unwrap_err();
    assert!(
        matches!(&err, InvokeError::InvalidRequestContent(m) if m.starts_with("Could not parse request body into json: "))
    );
    assert_eq!(err.status_code(), 400);
    // The logical id works too, and an empty payload is `{}`.
    let out = lambda::invoke(&mut cloud, "Fn", InvocationType::RequestResponse, "").unwrap();
    assert_eq!(out.payload, "1");
}

#[test]
fn versions_and_aliases_run_their_snapshot() {
    let text = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      FunctionName: fn\n      Runtime: nodejs20.x\n      Handler: index.handler\n      Code:\n        ZipFile: \"exports.handler = async (e, c) => [c.functionVersion, c.invokedFunctionArn];\"\n  V1:\n    Type: AWS::Lambda::Version\n    Properties:\n      FunctionName: !Ref Fn\n  Live:\n    Type: AWS::Lambda::Alias\n    Properties:\n      FunctionName: !Ref Fn\n      FunctionVersion: !GetAtt V1.Version\n      Name: live\n";
    let mut cloud = Cloud::default();
    let stack = template::load("t.yaml", text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    let out = lambda::invoke(&mut cloud, "fn:live", InvocationType::RequestResponse, "{}").unwrap();
    assert_eq!(out.executed_version, "1");
    assert_eq!(
        payload(&out),
        json!(["1", "arn:aws:lambda:us-east-1:123456789012:function:fn:live"])
    );
    assert!(out.logs.iter().any(|l| l.ends_with(" Version: 1")));
}

#[test]
fn the_seed_handlers_run_unmodified() {
    let random = "var messages = [\n  'Hello World!',\n  'Hello Serverless!',\n  \"It's a great day today!\",\n  \"Yay, I'm learning something new today!\",\n  'On cloud nine!',\n  'Over the moon!',\n  'Shooting for the stars!',\n  'On top of the World!',\n  'World at my feet!',\n  'Doing everything I love!',\n];\n\nexports.handler = (event, context, callback) => {\n  let message = messages[Math.floor(Math.random() * 10)];\n  callback(null, message);\n};";
    let mut a = deploy(random, "");
    let mut b = deploy(random, "");
    let first: Vec<String> = (0..3).map(|_| call(&mut a, "{}").payload).collect();
    let second: Vec<String> = (0..3).map(|_| call(&mut b, "{}").payload).collect();
    assert_eq!(first, second, "Math.random is seeded");
    assert!(first.iter().all(|p| p.starts_with('"')), "{first:?}");
    let resize = "exports.handler = async (event, context) => {\n  const data = event.data;\n\n  let newImage = await resizeImage();\n\n  return newImage;\n};\n\nconst resizeImage = (data) =>\n  new Promise((resolve, reject) => {\n    // code goes here\n\n    if (error) {\n      reject(error);\n    } else {\n      resolve(result);\n    }\n  });";
    let mut cloud = deploy(resize, "");
    let out = call(&mut cloud, "{}");
    let p = payload(&out);
    assert_eq!(
        (&p["errorType"], &p["errorMessage"]),
        (&json!("ReferenceError"), &json!("error is not defined"))
    );
}

#[test]
fn node24_refuses_callback_handlers_at_init() {
    let mut cloud = deploy("exports.handler = (e, c, cb) => cb(null, 1);", "");
    if let Some(l) = cloud.service_mut::<lambda::Lambda>() {
        if let Some(f) = l.functions.get_mut("fn") {
            f.latest.runtime = "nodejs24.x".into();
        }
    }
    let p = payload(&call(&mut cloud, "{}"));
    assert_eq!(p["errorType"], "Runtime.CallbackHandlerDeprecated");
}

#[test]
fn unsupported_runtimes_and_reserved_variables_are_loud() {
    let mut cloud = deploy("exports.handler = () => 1;", "");
    if let Some(l) = cloud.service_mut::<lambda::Lambda>() {
        if let Some(f) = l.functions.get_mut("fn") {
            f.latest.runtime = "python3.12".into();
        }
    }
    let err = lambda::invoke(&mut cloud, "fn", InvocationType::RequestResponse, "{}").unwrap_err();
    assert!(
        err.to_string().starts_with("not simulated: the runtime 'python3.12'"),
        "{err}"
    );
    let text = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: nodejs20.x\n      Environment:\n        Variables:\n          AWS_REGION: x\n      Code:\n        ZipFile: x\n";
    let mut cloud = Cloud::default();
    let stack = template::load("t.yaml", text, &LoadOptions::default(), &mut cloud).unwrap();
    let err = cloud.deploy(&stack).unwrap_err();
    assert_eq!(err.message, "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION");
}

#[test]
fn the_cli_invoke_prints_the_aws_cli_fields_and_logs_to_stderr() {
    let template = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/cases/11-lambda-custom-error-type/template.yaml");
    let dir = tempfile::tempdir().unwrap();
    let event = dir.path().join("event.json");
    std::fs::write(&event, "{\"id\": 1}").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_serverless-playground"))
        .args(["invoke", "-t"])
        .arg(&template)
        .arg("LookupFn")
        .arg("-e")
        .arg(&event)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "{\"StatusCode\":200,\"FunctionError\":null,\"ExecutedVersion\":\"$LATEST\",\"Payload\":\"{\\\"id\\\":1,\\\"name\\\":\\\"first\\\"}\"}\n"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(lines[0].starts_with("START RequestId: ") && lines[0].ends_with(" Version: $LATEST"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_serverless-playground"))
        .args(["invoke", "-t"])
        .arg(&template)
        .args(["LookupFn", "--invocation-type", "DryRun"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "{\"StatusCode\":204,\"FunctionError\":null,\"ExecutedVersion\":\"$LATEST\",\"Payload\":\"\"}\n"
    );
}

/// A cloud with one SAM function `fn` whose `CodeUri` folder holds `files`.
fn deploy_folder(handler: &str, files: &[(&str, &str)]) -> (tempfile::TempDir, Cloud) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let full = dir.path().join("code").join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    let template = format!("Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionName: fn\n      Runtime: nodejs20.x\n      Handler: {handler}\n      CodeUri: code\n");
    let path = dir.path().join("template.yaml");
    std::fs::write(&path, template).unwrap();
    let (_, cloud) = serverless_playground::cli::load_template_file(&path, Vec::new()).unwrap();
    (dir, cloud)
}

#[test]
fn es_modules_import_modules_and_commonjs() {
    let (_dir, mut cloud) = deploy_folder(
        "app.handler",
        &[
            ("app.mjs", "import { twice } from './lib/math.mjs';\nimport cfg, { name } from './cfg.cjs';\nconst ready = await Promise.resolve('ready');\nexport const handler = async (e) => ({ v: twice(e.n), name, same: cfg.name === name, ready, require: typeof require, cjsRequire: cfg.require });"),
            ("lib/math.mjs", "export const twice = (n) => n * 2;"),
            ("cfg.cjs", "module.exports = { name: 'cfg', require: typeof require };"),
        ],
    );
    let out = call(&mut cloud, r#"{"n":21}"#);
    // An ES module has no `require` (Node: "require is not defined in ES module scope"); a CommonJS file has its own.
    assert_eq!(
        payload(&out),
        json!({"v": 42, "name": "cfg", "same": true, "ready": "ready", "require": "undefined", "cjsRequire": "function"})
    );
    // `.js` under `"type": "module"` is an ES module too.
    let (_dir, mut cloud) = deploy_folder(
        "index.handler",
        &[
            ("index.js", "export const handler = async () => 'esm';"),
            ("package.json", "{\"type\": \"module\"}"),
        ],
    );
    assert_eq!(payload(&call(&mut cloud, "{}")), json!("esm"));
}

/// Code files: path and text.
type Files<'a> = &'a [(&'a str, &'a str)];

#[test]
fn es_module_errors_are_nodes() {
    let cases: &[(Files, &str, &str)] = &[
        (
            &[(
                "index.mjs",
                "import { x } from './nope.mjs';\nexport const handler = async () => x;",
            )],
            "Runtime.ImportModuleError",
            "Error: Cannot find module '/var/task/nope.mjs' imported from /var/task/index.mjs",
        ),
        (
            &[(
                "index.mjs",
                "import x from 'left-pad';\nexport const handler = async () => x;",
            )],
            "Runtime.ImportModuleError",
            "Error: Cannot find package 'left-pad' imported from /var/task/index.mjs",
        ),
        (
            &[("index.mjs", "export const handler = async () => {")],
            "Runtime.UserCodeSyntaxError",
            "",
        ),
        (
            &[("index.mjs", "export const other = 1;")],
            "Runtime.HandlerNotFound",
            "index.handler is undefined or not exported",
        ),
    ];
    for (files, error_type, message) in cases {
        let (_dir, mut cloud) = deploy_folder("index.handler", files);
        let p = payload(&call(&mut cloud, "{}"));
        assert_eq!(p["errorType"], *error_type, "{p}");
        if !message.is_empty() {
            assert_eq!(p["errorMessage"], *message, "{p}");
        }
    }
}

#[test]
fn an_unhandled_rejection_fails_the_invocation_and_resets_the_environment() {
    let code = "let n = 0;\nexports.handler = (e, c, cb) => {\n  n++;\n  if (e.fail) Promise.reject(new Error('floating'));\n  setTimeout(() => cb(null, n), 10);\n};";
    let mut cloud = deploy(code, "");
    assert_eq!(payload(&call(&mut cloud, "{}")), json!(1));
    let out = call(&mut cloud, r#"{"fail":true}"#);
    assert_eq!(out.function_error.as_deref(), Some("Unhandled"));
    assert_eq!(
        payload(&out),
        json!({"errorType": "Runtime.UnhandledPromiseRejection", "errorMessage": "Error: floating", "trace": ["Runtime.UnhandledPromiseRejection: Error: floating"]})
    );
    assert!(
        out.logs.iter().any(|l| l
            .contains("\tERROR\tUnhandled Promise Rejection \t{\"errorType\":\"Runtime.UnhandledPromiseRejection\"")),
        "{:?}",
        out.logs
    );
    assert_eq!(
        payload(&call(&mut cloud, "{}")),
        json!(1),
        "the process exited: a fresh environment"
    );
}

#[test]
fn common_node_builtins_work_and_others_are_loud() {
    let code = "const path = require('path');\nconst { randomUUID } = require('node:crypto');\nconst util = require('util');\nexports.handler = async () => [\n  path.join('/var/task', 'a', '../b.js'), path.basename('/x/y.json', '.json'), path.extname('f.tar.gz'),\n  path.dirname('/a/b/c'), path.resolve('x'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(randomUUID()),\n  crypto.randomUUID().length, util.format('%s=%d', 'n', 5),\n];";
    let mut cloud = deploy(code, "");
    assert_eq!(
        payload(&call(&mut cloud, "{}")),
        json!(["/var/task/b.js", "y", ".gz", "/a/b", "/var/task/x", true, 36, "n=5"])
    );
    let mut cloud = deploy("const fs = require('fs');\nexports.handler = async () => 1;", "");
    let p = payload(&call(&mut cloud, "{}"));
    assert_eq!(p["errorMessage"], "not simulated: the Node.js module 'fs'");
}

#[test]
fn payload_limits_are_aws() {
    let mut cloud = deploy("exports.handler = async (e) => 'x'.repeat(e.n);", "");
    let big = format!("{{\"pad\":\"{}\"}}", "a".repeat(6_291_456));
    let err = lambda::invoke(&mut cloud, "fn", InvocationType::RequestResponse, &big).unwrap_err();
    assert_eq!(
        err.to_string(),
        "RequestEntityTooLargeException: Request must be smaller than 6291456 bytes for the InvokeFunction operation"
    );
    assert_eq!(err.status_code(), 413);
    let out = call(&mut cloud, r#"{"n":6291556}"#);
    assert_eq!(out.function_error.as_deref(), Some("Unhandled"));
    assert_eq!(
        out.payload,
        "{\"errorMessage\":\"Response payload size exceeded maximum allowed payload size (6291556 bytes).\",\"errorType\":\"Function.ResponseSizeTooLarge\"}"
    );
}

#[test]
fn weighted_aliases_split_invokes_by_a_seeded_draw() {
    let text = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      FunctionName: fn\n      Runtime: nodejs20.x\n      Code:\n        ZipFile: \"exports.handler = async (e, c) => c.functionVersion;\"\n  V1:\n    Type: AWS::Lambda::Version\n    Properties: {FunctionName: !Ref Fn}\n  V2:\n    Type: AWS::Lambda::Version\n    Properties: {FunctionName: !Ref Fn}\n  Live:\n    Type: AWS::Lambda::Alias\n    Properties:\n      FunctionName: !Ref Fn\n      FunctionVersion: !GetAtt V1.Version\n      Name: live\n      RoutingConfig:\n        AdditionalVersionWeights:\n          - {FunctionVersion: !GetAtt V2.Version, FunctionWeight: 0.25}\n";
    let run = || {
        let mut cloud = Cloud::default();
        let stack = template::load("t.yaml", text, &LoadOptions::default(), &mut cloud).unwrap();
        cloud.deploy(&stack).unwrap();
        (0..200)
            .map(|_| {
                let out = lambda::invoke(&mut cloud, "fn:live", InvocationType::RequestResponse, "{}").unwrap();
                assert_eq!(out.payload, format!("\"{}\"", out.executed_version));
                out.executed_version
            })
            .collect::<Vec<_>>()
    };
    let first = run();
    assert_eq!(first, run(), "the draw is seeded");
    let twos = first.iter().filter(|v| *v == "2").count();
    assert!((30..=70).contains(&twos), "about a quarter go to version 2: {twos}");
}

#[test]
fn a_handler_that_clobbers_json_cannot_break_the_runtime() {
    let mut cloud = deploy(
        "exports.handler = async () => { JSON.stringify = () => 'hacked'; return { ok: true }; };",
        "",
    );
    assert_eq!(payload(&call(&mut cloud, "{}")), json!({"ok": true}));
}

#[test]
fn timer_floods_are_refused_loudly() {
    let mut cloud = deploy(
        "exports.handler = async () => { for (let i = 0; i < 100001; i++) setTimeout(() => {}, 1); };",
        "",
    );
    let p = payload(&call(&mut cloud, "{}"));
    assert_eq!(
        (&p["errorType"], &p["errorMessage"]),
        (
            &json!("RangeError"),
            &json!("not simulated: more than 100000 pending timers")
        )
    );
}

#[test]
fn bundled_sdk_packages_not_simulated_are_loud() {
    let mut cloud = deploy(
        "const { KinesisClient } = require('@aws-sdk/client-kinesis');\nexports.handler = async () => 1;",
        "",
    );
    let p = payload(&call(&mut cloud, "{}"));
    assert!(
        p["errorMessage"]
            .as_str()
            .unwrap()
            .starts_with("not simulated: the AWS SDK module '@aws-sdk/client-kinesis' (simulated: "),
        "{p}"
    );
    let (_dir, mut cloud) = deploy_folder(
        "index.handler",
        &[(
            "index.mjs",
            "import { KinesisClient } from '@aws-sdk/client-kinesis';\nexport const handler = async () => 1;",
        )],
    );
    let p = payload(&call(&mut cloud, "{}"));
    assert!(
        p["errorMessage"]
            .as_str()
            .unwrap()
            .starts_with("not simulated: the AWS SDK module '@aws-sdk/client-kinesis' (simulated: "),
        "{p}"
    );
}

#[test]
fn process_exit_ends_the_runtime_with_an_exit_error() {
    let code = "let n = 0;\nexports.handler = async (e) => { n++; if (e.exit !== undefined) { try { process.exit(e.exit); } catch (_) {} } return n; };";
    let mut cloud = deploy(code, "");
    assert_eq!(payload(&call(&mut cloud, "{}")), json!(1));
    let out = call(&mut cloud, r#"{"exit":1}"#);
    let id = out.request_id.clone();
    assert_eq!(
        out.payload,
        format!("{{\"errorType\":\"Runtime.ExitError\",\"errorMessage\":\"RequestId: {id} Error: Runtime exited with error: exit status 1\"}}")
    );
    assert!(out
        .logs
        .last()
        .unwrap()
        .ends_with("\tStatus: error\tError Type: Runtime.ExitError"));
    let out = call(&mut cloud, r#"{"exit":0}"#);
    assert_eq!(
        payload(&out)["errorMessage"],
        format!(
            "RequestId: {} Error: Runtime exited without providing a reason",
            out.request_id
        )
    );
    assert_eq!(
        payload(&call(&mut cloud, "{}")),
        json!(1),
        "a fresh environment after the exit"
    );
}

#[test]
fn log_type_tail_returns_the_last_4_kb_base64() {
    use base64::Engine as _;
    let mut cloud = deploy(
        "exports.handler = async () => { for (let i = 0; i < 200; i++) console.log('line ' + i); return 1; };",
        "",
    );
    let out = call(&mut cloud, "{}");
    let tail = base64::engine::general_purpose::STANDARD
        .decode(out.log_result())
        .unwrap();
    let text: String = out.logs.iter().map(|l| format!("{l}\n")).collect();
    assert_eq!(tail.len(), 4096);
    assert!(text.ends_with(std::str::from_utf8(&tail).unwrap()));
    let (line, _) =
        serverless_playground::cli::invoke_with_log_type(&mut cloud, "fn", "RequestResponse", "{}", "Tail").unwrap();
    let json: Value = serde_json::from_str(&line).unwrap();
    assert!(json["LogResult"].as_str().is_some_and(|s| !s.is_empty()));
}

#[test]
fn buffer_converts_as_node_does() {
    let code = "exports.handler = async (e) => {\n  const b = Buffer.from(e.body, 'base64');\n  console.log(Buffer.from('hi'));\n  return [b.toString(), Buffer.from('héllo ✓').toString('base64'), Buffer.from('ff00', 'hex').toString('hex'),\n    Buffer.byteLength('✓'), Buffer.from('a').toJSON(), Buffer.isBuffer(b), Buffer.concat([Buffer.from('a'), Buffer.from('b')]).toString()];\n};";
    let mut cloud = deploy(code, "");
    let out = call(&mut cloud, r#"{"body":"eyJhIjoxfQ=="}"#);
    assert_eq!(
        payload(&out),
        json!(["{\"a\":1}", "aMOpbGxvIOKckw==", "ff00", 3, {"type": "Buffer", "data": [97]}, true, "ab"])
    );
    assert!(
        out.logs.iter().any(|l| l.ends_with("\tINFO\t<Buffer 68 69>")),
        "{:?}",
        out.logs
    );
}

#[test]
fn reserved_concurrency_zero_throttles_every_invoke() {
    let mut cloud = deploy(
        "exports.handler = async () => 'ran';",
        "      ReservedConcurrentExecutions: 0\n",
    );
    let err = lambda::invoke(&mut cloud, "fn", InvocationType::RequestResponse, "{}").unwrap_err();
    assert_eq!(
        err,
        InvokeError::TooManyRequests {
            reason: "ReservedFunctionConcurrentInvocationLimitExceeded".into()
        }
    );
    assert_eq!(err.status_code(), 429);
    assert_eq!(
        err.to_string(),
        "TooManyRequestsException: Rate Exceeded. (Reason: ReservedFunctionConcurrentInvocationLimitExceeded)"
    );
    // An Event invoke is accepted and never runs (no logs, no environment).
    let out = lambda::invoke(&mut cloud, "fn", InvocationType::Event, "{}").unwrap();
    assert_eq!((out.status_code, out.logs.len()), (202, 0));
    // DryRun only validates.
    let out = lambda::invoke(&mut cloud, "fn", InvocationType::DryRun, "{}").unwrap();
    assert_eq!(out.status_code, 204);
    let mut cloud = deploy(
        "exports.handler = async () => 'ran';",
        "      ReservedConcurrentExecutions: 5\n",
    );
    assert_eq!(payload(&call(&mut cloud, "{}")), json!("ran"));
}

#[test]
fn json_log_format_writes_records_and_filters_levels() {
    let code = "exports.handler = async () => {\n  console.log('plain %d', 5);\n  console.info({ a: [1, 'x'] });\n  console.debug('hidden');\n  console.warn('with', new TypeError('bad'));\n  console.error(new RangeError('r'));\n  await new Promise((r) => setTimeout(r, 100));\n  return 1;\n};";
    let config = "      LoggingConfig:\n        LogFormat: JSON\n        ApplicationLogLevel: INFO\n";
    let mut cloud = deploy(code, config);
    let t0 = cloud.clock.now_millis();
    let out = call(&mut cloud, "{}");
    let id = out.request_id.clone();
    let lines: Vec<Value> = out.logs.iter().map(|l| serde_json::from_str(l).unwrap()).collect();
    let iso = |ms: u64| serverless_playground::js::iso_millis(ms);
    assert_eq!(lines.len(), 6, "{:#?}", out.logs);
    assert_eq!(
        lines[0],
        json!({"time": iso(t0), "type": "platform.start", "record": {"requestId": id, "version": "$LATEST"}})
    );
    assert_eq!(
        lines[1],
        json!({"timestamp": iso(t0), "level": "INFO", "requestId": id, "message": "plain 5"})
    );
    assert_eq!(
        lines[2],
        json!({"timestamp": iso(t0), "level": "INFO", "requestId": id, "message": {"a": [1, "x"]}})
    );
    // Several arguments: util.format-ted, and the first Error adds its fields.
    assert_eq!(lines[3]["level"], "WARN");
    assert!(
        lines[3]["message"]
            .as_str()
            .unwrap()
            .starts_with("with TypeError: bad\n    at "),
        "{}",
        lines[3]
    );
    assert_eq!(
        (lines[3]["errorType"].as_str(), lines[3]["errorMessage"].as_str()),
        (Some("TypeError"), Some("bad"))
    );
    // One Error argument: embedded as errorType / errorMessage / stackTrace.
    assert_eq!(lines[4]["level"], "ERROR");
    assert_eq!(lines[4]["message"]["errorType"], "RangeError");
    assert_eq!(lines[4]["message"]["errorMessage"], "r");
    assert_eq!(lines[4]["message"]["stackTrace"][0], "RangeError: r");
    assert_eq!(
        lines[5],
        json!({"time": iso(t0 + 100), "type": "platform.report", "record": {"requestId": id, "metrics": {
            "durationMs": 100, "billedDurationMs": 100, "memorySizeMB": 128, "maxMemoryUsedMB": 74, "initDurationMs": 0},
            "status": "success"}})
    );
    // Levels: ApplicationLogLevel ERROR keeps only errors; SystemLogLevel WARN drops START and REPORT.
    let config = "      LoggingConfig:\n        LogFormat: JSON\n        ApplicationLogLevel: ERROR\n        SystemLogLevel: WARN\n";
    let mut cloud = deploy(code, config);
    let out = call(&mut cloud, "{}");
    let levels: Vec<Value> = out
        .logs
        .iter()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["level"].clone())
        .collect();
    assert_eq!(levels, vec![json!("ERROR")]);
    // Text stays the default.
    let mut cloud = deploy(code, "");
    assert!(call(&mut cloud, "{}").logs[0].starts_with("START RequestId: "));
}

#[test]
fn logging_config_values_are_validated() {
    let cases = [
        (
            "      LoggingConfig:\n        LogFormat: XML\n",
            "1 validation error detected: Value 'XML' at 'loggingConfig.logFormat' failed to satisfy constraint: Member must satisfy enum value set: [JSON, Text]",
        ),
        (
            "      LoggingConfig:\n        LogFormat: JSON\n        SystemLogLevel: TRACE\n",
            "1 validation error detected: Value 'TRACE' at 'loggingConfig.systemLogLevel' failed to satisfy constraint: Member must satisfy enum value set: [DEBUG, INFO, WARN]",
        ),
    ];
    for (extra, want) in cases {
        let text = format!(
            "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      FunctionName: fn\n      Runtime: nodejs20.x\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/r\n{extra}      Code:\n        ZipFile: exports.handler = async () => 1;\n"
        );
        let mut cloud = Cloud::default();
        let stack = template::load("t.yaml", &text, &LoadOptions::default(), &mut cloud).unwrap();
        let err = cloud.deploy(&stack).unwrap_err();
        assert!(format!("{err:?}").contains(want), "{err:?}");
    }
}

/// A function whose every attempt fails.
fn failing(extra: &str) -> Cloud {
    deploy(
        "exports.handler = async () => { console.log('attempt'); throw new Error('boom'); };",
        extra,
    )
}

#[test]
fn async_events_are_retried_twice_after_one_and_two_minutes() {
    use serverless_playground::lambda::async_queue;
    let mut cloud = failing("");
    let t0 = cloud.clock.now_millis();
    let out = lambda::invoke(&mut cloud, "fn", InvocationType::Event, "{}").unwrap();
    assert_eq!(
        (out.status_code, out.payload.as_str(), out.function_error),
        (202, "", None)
    );
    assert!(out.logs.iter().any(|l| l.ends_with("\tINFO\tattempt")));
    // Nothing more runs until virtual time passes: the first retry 1 minute after the first attempt ended.
    let first_end = cloud.clock.now_millis();
    assert!(async_queue::advance(&mut cloud, 59_999).is_empty());
    let ran = async_queue::advance(&mut cloud, 1);
    assert_eq!(
        ran.iter()
            .map(|a| (a.attempt, a.at_ms - first_end, a.failed))
            .collect::<Vec<_>>(),
        vec![(2, 60_000, true)]
    );
    let second_end = cloud.clock.now_millis();
    let ran = async_queue::advance(&mut cloud, 10 * 60_000);
    assert_eq!(
        ran.iter()
            .map(|a| (a.attempt, a.at_ms - second_end))
            .collect::<Vec<_>>(),
        vec![(3, 120_000)]
    );
    assert!(async_queue::advance(&mut cloud, 60 * 60_000).is_empty());
    let lambda = cloud.service::<lambda::Lambda>().unwrap();
    let discarded = &lambda.async_queue.discarded;
    assert_eq!(
        discarded
            .iter()
            .map(|d| (d.condition.as_str(), d.attempts, d.request_id == out.request_id))
            .collect::<Vec<_>>(),
        vec![("RetriesExhausted", 3, true)]
    );
    // Without a destination or dead-letter queue, nothing is delivered.
    assert!(lambda.async_queue.deliveries.is_empty());
    assert!(t0 <= first_end);
}

#[test]
fn event_invoke_config_limits_retries_and_event_age() {
    use serverless_playground::lambda::async_queue;
    let config = |props: &str| {
        format!("  Cfg:\n    Type: AWS::Lambda::EventInvokeConfig\n    Properties:\n      FunctionName: !Ref Fn\n      Qualifier: $LATEST\n{props}")
    };
    // (EventInvokeConfig properties, attempts made, condition, the on-failure delivery's error)
    let cases: &[(&str, u64, &str, Option<&str>)] = &[
        ("      MaximumRetryAttempts: 0\n", 1, "RetriesExhausted", None),
        ("      MaximumRetryAttempts: 1\n", 2, "RetriesExhausted", None),
        // 60 s: the first retry would start 60 s after the event plus the first attempt's duration.
        ("      MaximumEventAgeInSeconds: 60\n", 1, "EventAgeExceeded", None),
        // The queue does not exist: SQS refuses the delivery, and the record says why.
        (
            "      MaximumRetryAttempts: 0\n      DestinationConfig:\n        OnFailure:\n          Destination: arn:aws:sqs:us-east-1:123456789012:dlq\n",
            1,
            "RetriesExhausted",
            Some("QueueDoesNotExist: The specified queue does not exist."),
        ),
    ];
    for (props, attempts, condition, note) in cases {
        let text = format!(
            "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      FunctionName: fn\n      Runtime: nodejs20.x\n      Handler: index.handler\n      Timeout: 1\n      Role: arn:aws:iam::123456789012:role/r\n      Code:\n        ZipFile: \"exports.handler = async () => {{ await new Promise((r) => setTimeout(r, 10)); throw new Error('boom'); }};\"\n{}",
            config(props)
        );
        let mut cloud = Cloud::default();
        let stack = template::load("t.yaml", &text, &LoadOptions::default(), &mut cloud).unwrap();
        cloud.deploy(&stack).unwrap();
        lambda::invoke(&mut cloud, "fn", InvocationType::Event, "{}").unwrap();
        async_queue::advance(&mut cloud, 24 * 3_600_000);
        let lambda = cloud.service::<lambda::Lambda>().unwrap();
        let got: Vec<_> = lambda
            .async_queue
            .discarded
            .iter()
            .map(|d| (d.attempts, d.condition.as_str()))
            .collect();
        assert_eq!(got, vec![(*attempts, *condition)], "{props}");
        let errors: Vec<_> = lambda
            .async_queue
            .deliveries
            .iter()
            .map(|d| d.error.as_deref())
            .collect();
        let want: Vec<Option<&str>> = note.iter().map(|n| Some(*n)).collect();
        assert_eq!(errors, want, "{props}");
        assert!(lambda.async_queue.pending.is_empty());
    }
    let text = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      FunctionName: fn\n      Runtime: nodejs20.x\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/r\n      Code:\n        ZipFile: exports.handler = async () => 1;\n".to_string()
        + &config("      MaximumRetryAttempts: 3\n");
    let mut cloud = Cloud::default();
    let stack = template::load("t.yaml", &text, &LoadOptions::default(), &mut cloud).unwrap();
    let err = format!("{:?}", cloud.deploy(&stack).unwrap_err());
    assert!(
        err.contains("1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2"),
        "{err}"
    );
}

#[test]
fn es_modules_import_node_builtins() {
    let (_dir, mut cloud) = deploy_folder(
        "app.handler",
        &[(
            "app.mjs",
            "import { createHash } from 'node:crypto';\nimport EventEmitter from 'events';\nimport { setTimeout as sleep } from 'node:timers/promises';\nimport qs from 'querystring';\nexport const handler = async () => { await sleep(5); return [createHash('md5').update('abc').digest('hex'), typeof EventEmitter, qs.stringify({ a: 1 })]; };",
        )],
    );
    assert_eq!(
        payload(&call(&mut cloud, "{}")),
        json!(["900150983cd24fb0d6963f7d28e17f72", "function", "a=1"])
    );
}
