//! Issue 5: the limits that keep a handler from freezing the host. Runaway code of every shape ends in Lambda's
//! timeout (the instruction budget, src/js/budget.rs); a heap beyond the function's memory ends the environment
//! with the out-of-memory kill (src/js/heap.rs). Expected values are AWS's exact texts (sources in
//! src/lambda/invoke.rs).

use serde_json::{json, Value};
use serverless_playground::lambda::{self, InvocationType, InvokeOutput};
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

/// A cloud with one function `fn` running `code` as `index.js`, plus extra properties.
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

/// A small instruction budget, so that runaway code stops fast in a debug build: 200 000 instructions a second of
/// timeout, at most 1 000 000 an invocation (a 3 s timeout gets 600 000).
fn small_budget(cloud: &mut Cloud) {
    let lambda = cloud.service_mut::<lambda::Lambda>().unwrap();
    lambda.limits.instructions_per_second = 200_000;
    lambda.limits.max_instructions = 1_000_000;
}

fn call(cloud: &mut Cloud, event: &str) -> InvokeOutput {
    lambda::invoke(cloud, "fn", InvocationType::RequestResponse, event).unwrap()
}

fn payload(out: &InvokeOutput) -> Value {
    serde_json::from_str(&out.payload).unwrap()
}

#[test]
fn runaway_code_of_every_shape_times_out_with_aws_payload_and_logs() {
    let cases: &[(&str, &str)] = &[
        ("sync loop", "exports.handler = async () => { for (;;) {} };"),
        (
            "loops nested through calls",
            "function f() { for (let i = 0; i < 1e7; i++) {} }\nexports.handler = async () => { for (;;) f(); };",
        ),
        (
            "exponential recursion",
            "function f(n) { if (n) { f(n - 1); f(n - 1); } }\nexports.handler = async () => f(60);",
        ),
        (
            "nested callbacks",
            "exports.handler = async () => { for (;;) [1].forEach(() => [1, 2].forEach(() => { for (let i = 0; i < 1e5; i++) {} })); };",
        ),
        ("after await", "exports.handler = async () => { await null; for (;;) {} };"),
        (
            "in setTimeout",
            "exports.handler = (e, c, cb) => { setTimeout(() => { for (;;) {} }, 100); };",
        ),
        (
            "in a promise job",
            "exports.handler = async () => { await Promise.resolve().then(() => { for (;;) {} }); };",
        ),
        (
            "in a sort comparator",
            "exports.handler = async () => [3, 1, 2].sort(() => { for (;;) {} });",
        ),
        (
            "in a getter",
            "const o = { get x() { for (;;) {} } };\nexports.handler = async () => o.x;",
        ),
        (
            "caught and retried",
            "exports.handler = async () => { for (;;) { try { for (;;) {} } catch (e) {} } };",
        ),
        (
            "logging in a loop",
            "exports.handler = async () => { let i = 0; for (;;) { for (let j = 0; j < 1000; j++) {} console.log(i++); } };",
        ),
    ];
    for (shape, code) in cases {
        let mut cloud = deploy(code, "");
        small_budget(&mut cloud);
        let out = call(&mut cloud, "{}");
        let id = out.request_id.clone();
        assert_eq!(out.function_error.as_deref(), Some("Unhandled"), "{shape}");
        assert_eq!(
            out.payload,
            format!("{{\"errorType\":\"Sandbox.Timedout\",\"errorMessage\":\"RequestId: {id} Error: Task timed out after 3.00 seconds\"}}"),
            "{shape}"
        );
        let tail = out.logs.get(out.logs.len() - 4..).unwrap();
        assert_eq!(
            tail,
            [
                lambda::invoke::BUDGET_SPENT_LINE.to_string(),
                format!("2026-01-01T00:00:03.000Z {id} Task timed out after 3.00 seconds"),
                format!("END RequestId: {id}"),
                format!("REPORT RequestId: {id}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 0.00 ms\tStatus: timeout"),
            ],
            "{shape}"
        );
        assert_eq!(
            out.logs[0],
            format!("START RequestId: {id} Version: $LATEST"),
            "{shape}"
        );
        // The environment is discarded: the next invocation is a cold start.
        let again = call(&mut cloud, "{}");
        assert!(again.logs.last().unwrap().contains("\tInit Duration: "), "{shape}");
        assert_eq!(cloud.clock.now_millis(), 1_767_225_606_000, "{shape}");
    }
}

#[test]
fn a_shorter_timeout_gets_a_smaller_budget() {
    let code = "exports.handler = async (e) => { let s = 0; for (let i = 0; i < e.n; i++) { s += i; } return s; };";
    // 1 s of timeout: 200 000 instructions; 3 s: 600 000. A 50 000-iteration loop (about 400 000) fits the second
    // only.
    let mut cloud = deploy(code, "      Timeout: 1\n");
    small_budget(&mut cloud);
    let out = call(&mut cloud, r#"{"n":50000}"#);
    assert_eq!(payload(&out)["errorType"], "Sandbox.Timedout");
    assert!(out.logs.last().unwrap().ends_with("\tDuration: 1000.00 ms\tBilled Duration: 1000 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 0.00 ms\tStatus: timeout"));
    let mut cloud = deploy(code, "      Timeout: 3\n");
    small_budget(&mut cloud);
    let out = call(&mut cloud, r#"{"n":50000}"#);
    assert_eq!(payload(&out), json!(1_249_975_000u64));
}

#[test]
fn runaway_init_code_times_out() {
    let mut cloud = deploy(
        "function f() { for (let i = 0; i < 1e7; i++) {} }\nfor (;;) f();\nexports.handler = async () => 1;",
        "",
    );
    small_budget(&mut cloud);
    let out = call(&mut cloud, "{}");
    let id = out.request_id.clone();
    assert_eq!(
        out.payload,
        format!("{{\"errorType\":\"Sandbox.Timedout\",\"errorMessage\":\"RequestId: {id} Error: Task timed out after 3.00 seconds\"}}")
    );
    assert_eq!(
        out.logs,
        [
            "INIT_REPORT Init Duration: 0.00 ms\tPhase: init\tStatus: error\tError Type: Sandbox.Timedout".to_string(),
            format!("START RequestId: {id} Version: $LATEST"),
            format!("END RequestId: {id}"),
            format!("REPORT RequestId: {id}\tDuration: 0.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tStatus: error\tError Type: Sandbox.Timedout"),
        ]
    );
}

#[test]
fn a_warm_environment_keeps_its_globals_across_many_invocations() {
    // The default budget: a small handler is served by one environment for hundreds of invocations.
    let mut cloud = deploy("let n = 0;\nexports.handler = async () => ++n;", "");
    let mut used_mb = Vec::new();
    for i in 1..=300u64 {
        let out = call(&mut cloud, "{}");
        assert_eq!(payload(&out), json!(i));
        let report = out.logs.last().unwrap();
        assert_eq!(report.contains("\tInit Duration: "), i == 1, "{i}: {report}");
        let used = report
            .split("\tMax Memory Used: ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .unwrap();
        used_mb.push(used.parse::<u64>().unwrap());
    }
    // The baseline, plus the garbage Boa's collector lets pile up between collections (a few KB an invocation).
    assert_eq!(used_mb[..10], [74; 10]);
    assert!(used_mb.iter().all(|mb| (74..=76).contains(mb)), "{used_mb:?}");
}

#[test]
fn an_environment_that_has_spent_its_budget_is_retired_before_an_invocation() {
    // Each invocation runs about 80 000 instructions; the environment's life is its init budget (1 000 000) plus
    // twice the invocation budget (600 000), so some invocation finds less than 600 000 left and starts afresh.
    let mut cloud = deploy(
        "let n = 0;\nexports.handler = async () => { for (let i = 0; i < 20000; i++) {} return ++n; };",
        "",
    );
    small_budget(&mut cloud);
    let mut counts = Vec::new();
    for _ in 0..40 {
        let out = call(&mut cloud, "{}");
        assert_eq!(out.function_error, None);
        let cold = out.logs.last().unwrap().contains("\tInit Duration: ");
        counts.push((payload(&out).as_u64().unwrap(), cold));
    }
    let retired = counts.iter().skip(1).position(|(_, cold)| *cold).map(|i| i + 1);
    let Some(retired) = retired else {
        panic!("never retired: {counts:?}")
    };
    assert!(retired > 2, "{counts:?}");
    assert_eq!(counts[retired], (1, true), "{counts:?}");
    assert_eq!(counts[retired - 1], (retired as u64, false), "{counts:?}");
}

#[test]
fn memory_beyond_the_memory_size_kills_the_environment() {
    // 40 MB more on every warm invocation: 74 MB (the Node.js baseline) + 40 = 114 MB fits 128 MB, + 80 does not.
    let code = "const keep = [];\nexports.handler = async () => { keep.push(new Uint8Array(40 * 1024 * 1024)); return keep.length; };";
    let mut cloud = deploy(code, "      MemorySize: 128\n");
    let out = call(&mut cloud, "{}");
    assert_eq!(payload(&out), json!(1));
    let id = out.request_id.clone();
    assert_eq!(
        out.logs.last().unwrap(),
        &format!("REPORT RequestId: {id}\tDuration: 0.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 114 MB\tInit Duration: 0.00 ms\t")
    );
    let out = call(&mut cloud, "{}");
    let id = out.request_id.clone();
    assert_eq!(out.function_error.as_deref(), Some("Unhandled"));
    assert_eq!(
        out.payload,
        format!("{{\"errorType\":\"Runtime.ExitError\",\"errorMessage\":\"RequestId: {id} Error: Runtime exited with error: signal: killed\"}}")
    );
    assert_eq!(
        out.logs,
        [
            format!("START RequestId: {id} Version: $LATEST"),
            format!("RequestId: {id} Error: Runtime exited with error: signal: killed\rRuntime.ExitError"),
            format!("END RequestId: {id}"),
            format!("REPORT RequestId: {id}\tDuration: 0.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory"),
        ]
    );
    // The next invocation is a cold start with fresh globals.
    let out = call(&mut cloud, "{}");
    assert_eq!(payload(&out), json!(1));
    assert!(out
        .logs
        .last()
        .unwrap()
        .contains("\tMax Memory Used: 114 MB\tInit Duration: 0.00 ms\t"));
    // A bigger function holds more.
    let mut cloud = deploy(code, "      MemorySize: 256\n");
    for expected in 1..=4 {
        assert_eq!(payload(&call(&mut cloud, "{}")), json!(expected));
    }
    assert_eq!(payload(&call(&mut cloud, "{}"))["errorType"], "Runtime.ExitError");
}

#[test]
fn the_memory_limit_is_checked_at_native_calls_and_cannot_be_caught() {
    let code = "const keep = [];\nexports.handler = async () => {\n  try {\n    for (;;) { keep.push(new Uint8Array(1024 * 1024)); console.log(keep.length); }\n  } catch (e) {\n    return 'caught';\n  }\n};";
    let mut cloud = deploy(code, "");
    let out = call(&mut cloud, "{}");
    let id = out.request_id.clone();
    assert_eq!(
        out.payload,
        format!("{{\"errorType\":\"Runtime.ExitError\",\"errorMessage\":\"RequestId: {id} Error: Runtime exited with error: signal: killed\"}}")
    );
    // 54 MB of heap fit beside the 74 MB baseline: with the handler's own bytes, the 54th 1 MB array goes over, and
    // the console.log after it is the checkpoint that kills.
    let logged: Vec<&String> = out.logs.iter().filter(|l| l.contains("\tINFO\t")).collect();
    assert_eq!(logged.len(), 53, "{:?}", out.logs.last());
    assert!(logged[52].ends_with("\tINFO\t53"));
    assert!(out
        .logs
        .last()
        .unwrap()
        .ends_with("\tStatus: error\tError Type: Runtime.OutOfMemory"));
}

#[test]
fn array_buffers_beyond_the_memory_size_throw_a_range_error() {
    let code = "exports.handler = async (e) => {\n  try { return new ArrayBuffer(e.mb * 1024 * 1024).byteLength; } catch (err) { return err.name + ': ' + err.message; }\n};";
    let mut cloud = deploy(code, "");
    assert_eq!(
        payload(&call(&mut cloud, r#"{"mb":129}"#)),
        json!("RangeError: cannot allocate a buffer that exceeds the maximum buffer size")
    );
    assert_eq!(payload(&call(&mut cloud, r#"{"mb":1}"#)), json!(1_048_576));
}

#[test]
fn memory_beyond_the_memory_size_during_init_kills_the_environment() {
    let code = "const keep = [];\nfor (let i = 0; i < 100; i++) keep.push(new Uint8Array(1024 * 1024));\nexports.handler = async () => keep.length;";
    let mut cloud = deploy(code, "");
    let out = call(&mut cloud, "{}");
    let id = out.request_id.clone();
    assert_eq!(out.function_error.as_deref(), Some("Unhandled"));
    assert_eq!(
        out.payload,
        format!("{{\"errorType\":\"Runtime.ExitError\",\"errorMessage\":\"RequestId: {id} Error: Runtime exited with error: signal: killed\"}}")
    );
    assert_eq!(
        out.logs,
        [
            format!("RequestId: {id} Error: Runtime exited with error: signal: killed\rRuntime.ExitError"),
            "INIT_REPORT Init Duration: 0.00 ms\tPhase: init\tStatus: error\tError Type: Runtime.OutOfMemory".to_string(),
            format!("START RequestId: {id} Version: $LATEST"),
            format!("END RequestId: {id}"),
            format!("REPORT RequestId: {id}\tDuration: 0.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory"),
        ]
    );
}

/// Work that is long but finite runs to its end under the default budget: a 3-million-iteration loop, and builtins
/// that loop inside (Boa's per-frame loop count used to trip in `'y'.repeat(1e7)`). A timeout from the virtual clock
/// has no budget line.
#[test]
fn long_finite_work_completes_under_the_default_budget() {
    let code = "exports.handler = async (e) => {\n  if (e.k === 'loop') { let s = 0; for (let i = 0; i < 3e6; i++) s += i; return s; }\n  if (e.k === 'repeat') return 'y'.repeat(10485760).length;\n  await new Promise((r) => setTimeout(r, 5000));\n};";
    let mut cloud = deploy(code, "");
    assert_eq!(
        payload(&call(&mut cloud, r#"{"k":"loop"}"#)),
        json!(4_499_998_500_000u64)
    );
    assert_eq!(payload(&call(&mut cloud, r#"{"k":"repeat"}"#)), json!(10_485_760));
    let out = call(&mut cloud, r#"{"k":"wait"}"#);
    assert_eq!(payload(&out)["errorType"], json!("Sandbox.Timedout"));
    assert!(
        !out.logs.iter().any(|l| l == lambda::invoke::BUDGET_SPENT_LINE),
        "{:#?}",
        out.logs
    );
}

/// V8's longest string is 2**29 - 24 characters: Node answers `RangeError: Invalid string length` beyond it, and
/// so does the runtime before Boa tries an allocation the browser's 32-bit memory cannot hold. The guarded builtins
/// keep their names and lengths.
#[test]
fn strings_longer_than_v8_allows_are_a_range_error() {
    let code = "const tryIt = (f) => { try { return f(); } catch (e) { return e.name + ': ' + e.message; } };\nexports.handler = async () => [\n  tryIt(() => 'x'.repeat(1e9).length),\n  tryIt(() => 'ab'.repeat(2 ** 28).length),\n  tryIt(() => ''.padStart(2 ** 30, 'x').length),\n  tryIt(() => 'a'.padEnd(2 ** 30, '').length),\n  tryIt(() => 'ab'.repeat(3)),\n  [String.prototype.repeat.name, String.prototype.repeat.length, String.prototype.padStart.name, String.prototype.padEnd.length],\n];";
    let mut cloud = deploy(code, "");
    assert_eq!(
        payload(&call(&mut cloud, "{}")),
        json!([
            "RangeError: Invalid string length",
            "RangeError: Invalid string length",
            "RangeError: Invalid string length",
            1,
            "ababab",
            ["repeat", 1, "padStart", 1]
        ])
    );
}
