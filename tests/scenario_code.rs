//! A scenario's `CodeUri` folders (scenario version 3): the files the browser keeps in place of a file system are
//! loaded by `ScenarioCodeLoader`, survive a share link unchanged, and run the same after the round trip.

use serde_json::{json, Value};
use serverless_playground::lambda::{self, InvocationType};
use serverless_playground::scenario::{share, Scenario};
use serverless_playground::template::{self, LoadOptions, ScenarioCodeLoader};
use serverless_playground::Cloud;

/// A SAM template with one function `fn` per (logical id, CodeUri) pair, all with handler `index.handler`.
fn template(functions: &[(&str, &str)]) -> String {
    let mut text = String::from("Transform: AWS::Serverless-2016-10-31\nResources:\n");
    for (id, code_uri) in functions {
        text.push_str(&format!(
            "  {id}:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionName: {}\n      Handler: index.handler\n      Runtime: nodejs20.x\n      CodeUri: {code_uri}\n",
            id.to_lowercase()
        ));
    }
    text
}

fn files(entries: &[(&str, &str)]) -> std::collections::BTreeMap<String, String> {
    entries.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
}

/// The scenario: an ES module importing a file in a subfolder, a CommonJS handler requiring JSON, and a `.js`
/// handler that is an ES module because its `package.json` says `"type": "module"` (`import.meta` parses only
/// in a module).
fn scenario() -> Scenario {
    let mut scenario = Scenario::with_template(
        "template.yaml",
        &template(&[
            ("Esm", "esm/"),
            ("Cjs", "./cjs"),
            ("Typed", "typed"),
            ("Empty", "nothing/"),
        ]),
    );
    scenario.code.insert(
        "esm".into(),
        files(&[
            (
                "index.mjs",
                "import { greet } from './lib/util.mjs';\nexport const handler = async (e) => ({ said: greet(e.who) });\n",
            ),
            ("lib/util.mjs", "export const greet = (who) => `hello ${who}`;\n"),
        ]),
    );
    scenario.code.insert(
        "cjs".into(),
        files(&[
            (
                "index.js",
                "const data = require('./data.json');\nexports.handler = async (e) => ({ colour: data.colours[e.i] });\n",
            ),
            ("data.json", "{ \"colours\": [\"red\", \"green\"] }\n"),
        ]),
    );
    scenario.code.insert(
        "typed".into(),
        files(&[
            ("package.json", "{ \"type\": \"module\" }"),
            ("index.js", "export const handler = async () => typeof import.meta;\n"),
        ]),
    );
    scenario
}

/// Deploys `scenario` as the browser does (its folders through `ScenarioCodeLoader`).
fn deploy(scenario: &Scenario) -> Cloud {
    let loader = ScenarioCodeLoader {
        folders: &scenario.code,
    };
    let options = LoadOptions {
        code: &loader,
        ..LoadOptions::default()
    };
    let mut cloud = Cloud::default();
    let stack = template::load(
        &scenario.template.file_name,
        &scenario.template.body,
        &options,
        &mut cloud,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    cloud.deploy(&stack).unwrap_or_else(|e| panic!("{e}"));
    cloud
}

/// The payload and `FunctionError` of a synchronous invoke.
fn invoke(cloud: &mut Cloud, name: &str, event: &str) -> (Value, Option<String>) {
    let out = lambda::invoke(cloud, name, InvocationType::RequestResponse, event).unwrap();
    (serde_json::from_str(&out.payload).unwrap(), out.function_error)
}

/// Every answer the scenario's functions give.
fn answers(cloud: &mut Cloud) -> Vec<(Value, Option<String>)> {
    vec![
        invoke(cloud, "esm", r#"{"who": "files"}"#),
        invoke(cloud, "cjs", r#"{"i": 1}"#),
        invoke(cloud, "typed", "{}"),
    ]
}

#[test]
fn folders_run_from_the_scenario_and_the_same_after_a_share_link() {
    let scenario = scenario();
    let expected = vec![
        (json!({"said": "hello files"}), None),
        (json!({"colour": "green"}), None),
        (json!("object"), None),
    ];
    assert_eq!(answers(&mut deploy(&scenario)), expected);

    let link = share::encode(&scenario);
    assert!(link.starts_with("#s=3.d."), "{link}");
    let opened = share::decode(&link).unwrap();
    assert_eq!(opened.code, scenario.code);
    assert_eq!(opened, scenario);
    assert_eq!(answers(&mut deploy(&opened)), expected);

    // The scenario file (local storage, export) round-trips the same way.
    assert_eq!(Scenario::from_json(&scenario.to_json()).unwrap(), scenario);
}

#[test]
fn a_folder_without_files_deploys_and_its_invoke_fails_as_a_missing_handler_file() {
    let mut cloud = deploy(&scenario());
    let (payload, error) = invoke(&mut cloud, "empty", "{}");
    assert_eq!(error.as_deref(), Some("Unhandled"));
    assert_eq!(payload["errorType"], json!("Runtime.ImportModuleError"), "{payload}");
}

#[test]
fn an_edited_file_runs_after_the_next_deploy() {
    let mut scenario = scenario();
    scenario.code.get_mut("esm").unwrap().insert(
        "lib/util.mjs".into(),
        "export const greet = (who) => `bye ${who}`;\n".into(),
    );
    let mut cloud = deploy(&scenario);
    assert_eq!(
        invoke(&mut cloud, "esm", r#"{"who": "files"}"#),
        (json!({"said": "bye files"}), None)
    );
}

#[test]
fn a_code_uri_leaving_the_template_folder_is_refused_with_its_place() {
    let scenario = Scenario::with_template("template.yaml", &template(&[("Up", "../up")]));
    let loader = ScenarioCodeLoader {
        folders: &scenario.code,
    };
    let options = LoadOptions {
        code: &loader,
        ..LoadOptions::default()
    };
    let error = template::load(
        "template.yaml",
        &scenario.template.body,
        &options,
        &mut Cloud::default(),
    )
    .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "template.yaml:9:16: [Up] CodeUri '../up' leaves the template's folder (..), which the playground's \
         scenario cannot hold"
    );
}

#[test]
fn a_load_test_runs_a_folder_s_code() {
    use serverless_playground::simulation::load::{run_template, run_template_with_code, Shape, Traffic};
    let body = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      Runtime: nodejs20.x\n      CodeUri: api/\n      Events:\n        Get:\n          Type: Api\n          Properties:\n            Path: /hello\n            Method: get\n";
    let mut code = serverless_playground::template::CodeFolders::new();
    code.insert(
        "api".into(),
        files(&[
            (
                "index.mjs",
                "import { status } from './status.mjs';\nexport const handler = async () => ({ statusCode: status, body: 'ok' });\n",
            ),
            ("status.mjs", "export const status = 201;\n"),
        ]),
    );
    let traffic = Traffic {
        shape: Shape::Constant { rps: 5 },
        seconds: 2,
        method: "GET".into(),
        path: "/Prod/hello".into(),
        body: String::new(),
    };
    let report = run_template_with_code(body, &code, &traffic).unwrap();
    assert_eq!(report.statuses, [(201, 10)].into_iter().collect());
    // Without the scenario's folders the template reads no folder, as before, and says so.
    let error = run_template(body, &traffic).unwrap_err().to_string();
    assert!(
        error.contains("names a local folder, which cannot be read here"),
        "{error}"
    );
}
