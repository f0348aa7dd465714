//! The playground's scenario file: what the user wrote, and nothing the engine computes.
//!
//! A scenario is versioned JSON (`{"version": 1, ...}`). Reading one runs the migration chain (version N to N+1,
//! one function per step) up to [`CURRENT_VERSION`], then parses the result strictly: an unknown field, a missing
//! field or a value of the wrong type is an error naming the place, never a silent default, so that a scenario
//! round-trips exactly. The file is the same in local storage, in an exported download and inside a share URL
//! ([`share`]).
//!
//! Version 1 (the first released version):
//!
//! ```json
//! {
//!   "version": 1,
//!   "template": { "fileName": "template.yaml", "body": "AWSTemplateFormatVersion: ..." },
//!   "testEvents": [ { "function": "HelloWorldFunction", "name": "apigw", "event": "{\"path\": \"/\"}" } ]
//! }
//! ```
//!
//! `template.body` is the SAM / CloudFormation template as typed (YAML or JSON); `testEvents` are the Lambda test
//! events the user saved, each for a function named by its logical id, with the event kept as typed (it need not
//! be valid JSON: the user may save work in progress).
//!
//! Version 2 adds an optional `tutorial` field: the lesson step the user was on when the file (or share link) was
//! made, so that opening it restores the work and opens that step. Absent when no step was open; a version-1 file
//! becomes a version-2 file without it ([`migrations`]).
//!
//! ```json
//! { "version": 2, "template": { ... }, "testEvents": [], "tutorial": { "lesson": "permissions", "step": 3 } }
//! ```
//!
//! Version 3 adds an optional `code` field: the files of the functions' `CodeUri` folders, which the browser has
//! no file system to read them from. Each folder is keyed by the path `CodeUri` names, normalised by
//! [`crate::template::code::folder_key`] (`CodeUri: src/` is `src`; no `CodeUri` is `.`), and holds its files by
//! path inside the folder (checked by [`crate::template::code::check_file_name`]). Absent when no function has a
//! folder; a version-2 file becomes a version-3 file without it.
//!
//! ```json
//! { "version": 3, "template": { ... }, "testEvents": [],
//!   "code": { "src": { "index.mjs": "import { hi } from './lib/util.mjs'; ...", "lib/util.mjs": "..." } } }
//! ```

pub mod migrations;
pub mod share;

use crate::template::code::{check_file_name, folder_key, CodeFolders, MAX_CODE_FILES};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::fmt;

/// The version this build writes. Every earlier version is read through [`migrations::MIGRATIONS`].
pub const CURRENT_VERSION: u32 = 3;

/// The largest scenario file read, in bytes of JSON (1 MB, the CloudFormation template limit, which bounds the
/// largest useful scenario too; a share link decompresses to at most this much).
pub const MAX_SCENARIO_BYTES: usize = 1024 * 1024;

/// The most saved test events a scenario holds (the Lambda console keeps at most 10 per function; a scenario has
/// several functions, so the bound is generous and only there to keep a hostile file from growing the page).
pub const MAX_TEST_EVENTS: usize = 1000;

/// A scenario, as the current version holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Scenario {
    /// The template.
    pub template: TemplateFile,
    /// The saved Lambda test events, in the order saved.
    pub test_events: Vec<TestEvent>,
    /// The tutorial step open when the scenario was saved or shared (version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tutorial: Option<TutorialPosition>,
    /// The files of the functions' `CodeUri` folders, by folder key then path (version 3; see the module docs).
    #[serde(default, skip_serializing_if = "CodeFolders::is_empty")]
    pub code: CodeFolders,
}

/// A tutorial step: the lesson's id and the step's number, from 1 (the deep link `#/tutorial/<lesson>/<step>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TutorialPosition {
    /// The lesson's id, e.g. `why-serverless`.
    pub lesson: String,
    /// The step's number, from 1.
    pub step: usize,
}

/// The template the user wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TemplateFile {
    /// Its file name (shown in error locations; `.json` or `.yaml`/`.yml`).
    pub file_name: String,
    /// Its text, YAML or JSON.
    pub body: String,
}

/// A saved Lambda test event (the console's "saved event").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TestEvent {
    /// The function's logical id in the template.
    pub function: String,
    /// The event's name.
    pub name: String,
    /// The event's JSON text, as typed.
    pub event: String,
}

/// The file as written: the version, then the fields of [`Scenario`].
#[derive(Serialize)]
struct Versioned<'a> {
    version: u32,
    #[serde(flatten)]
    scenario: &'a Scenario,
}

/// Why a scenario file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScenarioError {
    /// The text is larger than [`MAX_SCENARIO_BYTES`].
    TooLarge(usize),
    /// The text is not JSON (serde_json's message, with line and column).
    NotJson(String),
    /// The JSON is not an object with a numeric `version`.
    NoVersion,
    /// A version this build does not know: newer than [`CURRENT_VERSION`], or below 1.
    UnknownVersion(u64),
    /// A migration step refused the file.
    Migration {
        /// The version the step starts from.
        from: u32,
        /// Why.
        message: String,
    },
    /// The JSON does not have the shape of the current version (serde's message names the field).
    Invalid(String),
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::TooLarge(n) => write!(
                f,
                "the scenario is {n} bytes; the largest the playground reads is {MAX_SCENARIO_BYTES} bytes (1 MB)"
            ),
            ScenarioError::NotJson(m) => write!(f, "the scenario is not JSON: {m}"),
            ScenarioError::NoVersion => {
                f.write_str("this is not a playground scenario: it has no numeric \"version\" field")
            }
            ScenarioError::UnknownVersion(v) if *v > u64::from(CURRENT_VERSION) => write!(
                f,
                "the scenario has version {v}, made by a newer playground; this one reads versions 1 to \
                 {CURRENT_VERSION}"
            ),
            ScenarioError::UnknownVersion(v) => write!(f, "the scenario has version {v}, which never existed"),
            ScenarioError::Migration { from, message } => {
                write!(f, "the scenario could not be upgraded from version {from}: {message}")
            }
            ScenarioError::Invalid(m) => write!(f, "the scenario is not valid: {m}"),
        }
    }
}

impl std::error::Error for ScenarioError {}

impl Scenario {
    /// A scenario holding one template and no test events.
    pub fn with_template(file_name: &str, body: &str) -> Scenario {
        Scenario {
            template: TemplateFile {
                file_name: file_name.to_string(),
                body: body.to_string(),
            },
            test_events: Vec::new(),
            tutorial: None,
            code: CodeFolders::new(),
        }
    }

    /// The scenario file's JSON text at [`CURRENT_VERSION`] (compact; `version` first).
    pub fn to_json(&self) -> String {
        let versioned = Versioned {
            version: CURRENT_VERSION,
            scenario: self,
        };
        // Serialising plain strings and vectors cannot fail.
        serde_json::to_string(&versioned).unwrap_or_default()
    }

    /// Reads a scenario file of any released version.
    ///
    /// Errors: see [`ScenarioError`]; the text is never partly applied.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        if text.len() > MAX_SCENARIO_BYTES {
            return Err(ScenarioError::TooLarge(text.len()));
        }
        let value: Json = serde_json::from_str(text).map_err(|e| ScenarioError::NotJson(e.to_string()))?;
        Scenario::from_value(value)
    }

    /// As [`Scenario::from_json`], from parsed JSON.
    pub fn from_value(value: Json) -> Result<Scenario, ScenarioError> {
        let version = version_of(&value)?;
        let current = migrations::migrate(value, version, migrations::MIGRATIONS)?;
        Scenario::from_current(current)
    }

    /// Parses JSON already at [`CURRENT_VERSION`], strictly.
    fn from_current(mut value: Json) -> Result<Scenario, ScenarioError> {
        if let Some(object) = value.as_object_mut() {
            object.remove("version");
        }
        let scenario: Scenario = serde_json::from_value(value).map_err(|e| ScenarioError::Invalid(e.to_string()))?;
        if let Some(position) = &scenario.tutorial {
            // A lesson id is short and URL-safe; a hostile link must not carry a page of text in it.
            if position.lesson.len() > 100 || position.step == 0 {
                return Err(ScenarioError::Invalid(
                    "its tutorial step must name a lesson id (at most 100 characters) and a step from 1".into(),
                ));
            }
        }
        check_code(&scenario.code)?;
        if scenario.test_events.len() > MAX_TEST_EVENTS {
            return Err(ScenarioError::Invalid(format!(
                "it has {} test events; at most {MAX_TEST_EVENTS} are kept",
                scenario.test_events.len()
            )));
        }
        Ok(scenario)
    }
}

/// Checks the code folders: every key is a normalised folder key, every path a valid code file name, and no
/// folder holds more than [`MAX_CODE_FILES`] files (a hostile file or link must not smuggle `..` paths in).
fn check_code(code: &CodeFolders) -> Result<(), ScenarioError> {
    for (key, files) in code {
        if folder_key(key).as_deref() != Ok(key.as_str()) {
            return Err(ScenarioError::Invalid(format!(
                "its code folder {key:?} is not a folder key (a relative path without ., .. or trailing /)"
            )));
        }
        if files.len() > MAX_CODE_FILES {
            return Err(ScenarioError::Invalid(format!(
                "its code folder {key:?} has {} files; at most {MAX_CODE_FILES} are kept",
                files.len()
            )));
        }
        for path in files.keys() {
            check_file_name(path).map_err(|e| ScenarioError::Invalid(format!("in its code folder {key:?}: {e}")))?;
        }
    }
    Ok(())
}

/// The `version` field of a scenario file.
fn version_of(value: &Json) -> Result<u32, ScenarioError> {
    let version = value
        .as_object()
        .and_then(|o| o.get("version"))
        .and_then(Json::as_u64)
        .ok_or(ScenarioError::NoVersion)?;
    match u32::try_from(version) {
        Ok(v) if (1..=CURRENT_VERSION).contains(&v) => Ok(v),
        _ => Err(ScenarioError::UnknownVersion(version)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Scenario {
        Scenario {
            template: TemplateFile {
                file_name: "template.yaml".into(),
                body: "Resources: {}\n".into(),
            },
            test_events: vec![TestEvent {
                function: "Fn".into(),
                name: "first".into(),
                event: "{\"a\": 1".into(),
            }],
            tutorial: None,
            code: CodeFolders::new(),
        }
    }

    #[test]
    fn the_file_starts_with_its_version_and_round_trips() {
        let text = sample().to_json();
        assert_eq!(
            text,
            r#"{"version":3,"template":{"fileName":"template.yaml","body":"Resources: {}\n"},"testEvents":[{"function":"Fn","name":"first","event":"{\"a\": 1"}]}"#
        );
        assert_eq!(Scenario::from_json(&text), Ok(sample()));
        let mut at_step = sample();
        at_step.tutorial = Some(TutorialPosition {
            lesson: "permissions".into(),
            step: 3,
        });
        let text = at_step.to_json();
        assert!(
            text.ends_with(r#","tutorial":{"lesson":"permissions","step":3}}"#),
            "{text}"
        );
        assert_eq!(Scenario::from_json(&text), Ok(at_step));
    }

    #[test]
    fn code_folders_round_trip_after_the_other_fields() {
        let mut with_code = sample();
        with_code.code.insert(
            "src".into(),
            [("index.mjs", "export const handler = 1;"), ("lib/util.mjs", "")]
                .into_iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
        );
        let text = with_code.to_json();
        assert!(
            text.ends_with(r#","code":{"src":{"index.mjs":"export const handler = 1;","lib/util.mjs":""}}}"#),
            "{text}"
        );
        assert_eq!(Scenario::from_json(&text), Ok(with_code));
    }

    #[test]
    fn code_folders_and_file_names_are_checked() {
        let base = r#"{"version":3,"template":{"fileName":"t.yaml","body":""},"testEvents":[],"code":"#;
        let read = |code: &str| Scenario::from_json(&format!("{base}{code}}}")).map_err(|e| e.to_string());
        assert_eq!(
            read(r#"{"src":{"../escape.js":""}}"#).unwrap_err(),
            "the scenario is not valid: in its code folder \"src\": The file name \"../escape.js\" is refused: it may \
             not use . or .. (files stay inside the function's folder)."
        );
        assert_eq!(
            read(r#"{"src/":{"a.js":""}}"#).unwrap_err(),
            "the scenario is not valid: its code folder \"src/\" is not a folder key (a relative path without ., .. or \
             trailing /)"
        );
        assert!(read(r#"{"../up":{"a.js":""}}"#).is_err());
        assert!(read(r#"{"src":{"a.exe":""}}"#).is_err());
        assert!(read(r#"{".":{"a.js":""}}"#).is_ok());
        // Version 2 had no code field: a v2 file holding one is refused, as it always was.
        let v2 = r#"{"version":2,"template":{"fileName":"t.yaml","body":""},"testEvents":[],"code":{}}"#;
        assert!(Scenario::from_json(v2).is_err());
        let v2 = r#"{"version":2,"template":{"fileName":"t.yaml","body":""},"testEvents":[]}"#;
        assert_eq!(Scenario::from_json(v2), Ok(Scenario::with_template("t.yaml", "")));
    }

    #[test]
    fn a_version_1_file_reads_as_version_2_without_a_step() {
        let v1 = r#"{"version":1,"template":{"fileName":"t.yaml","body":""},"testEvents":[]}"#;
        assert_eq!(Scenario::from_json(v1), Ok(Scenario::with_template("t.yaml", "")));
        // Version 1 had no tutorial field: a v1 file holding one is refused, as it always was.
        let v1_with = r#"{"version":1,"template":{"fileName":"t.yaml","body":""},"testEvents":[],"tutorial":null}"#;
        assert!(Scenario::from_json(v1_with).is_err());
    }

    #[test]
    fn a_tutorial_step_is_bounded() {
        let zero = r#"{"version":2,"template":{"fileName":"t.yaml","body":""},"testEvents":[],"tutorial":{"lesson":"x","step":0}}"#;
        assert_eq!(
            Scenario::from_json(zero).unwrap_err().to_string(),
            "the scenario is not valid: its tutorial step must name a lesson id (at most 100 characters) and a step from 1"
        );
    }

    #[test]
    fn an_unknown_field_is_an_error_naming_it() {
        let text = r#"{"version":1,"template":{"fileName":"t.yaml","body":""},"testEvents":[],"extra":true}"#;
        assert_eq!(
            Scenario::from_json(text).unwrap_err().to_string(),
            "the scenario is not valid: unknown field `extra`, expected one of `template`, `testEvents`, `tutorial`, \
             `code`"
        );
    }

    #[test]
    fn a_missing_field_is_an_error_naming_it() {
        let text = r#"{"version":1,"template":{"fileName":"t.yaml"},"testEvents":[]}"#;
        assert_eq!(
            Scenario::from_json(text).unwrap_err().to_string(),
            "the scenario is not valid: missing field `body`"
        );
    }

    #[test]
    fn a_wrong_type_is_an_error() {
        let text = r#"{"version":1,"template":{"fileName":"t.yaml","body":3},"testEvents":[]}"#;
        assert_eq!(
            Scenario::from_json(text).unwrap_err().to_string(),
            "the scenario is not valid: invalid type: integer `3`, expected a string"
        );
    }

    #[test]
    fn versions_are_checked() {
        assert_eq!(Scenario::from_json("{}"), Err(ScenarioError::NoVersion));
        assert_eq!(Scenario::from_json("[1]"), Err(ScenarioError::NoVersion));
        assert_eq!(Scenario::from_json(r#"{"version":"1"}"#), Err(ScenarioError::NoVersion));
        assert_eq!(
            Scenario::from_json(r#"{"version":0}"#),
            Err(ScenarioError::UnknownVersion(0))
        );
        let newer = Scenario::from_json(r#"{"version":4}"#).unwrap_err();
        assert_eq!(
            newer.to_string(),
            "the scenario has version 4, made by a newer playground; this one reads versions 1 to 3"
        );
        assert_eq!(
            Scenario::from_json(r#"{"version":18446744073709551615}"#),
            Err(ScenarioError::UnknownVersion(u64::MAX))
        );
    }

    #[test]
    fn text_that_is_not_json_says_where() {
        assert_eq!(
            Scenario::from_json("{\"version\": 1,\n  oops").unwrap_err().to_string(),
            "the scenario is not JSON: key must be a string at line 2 column 3"
        );
    }

    #[test]
    fn size_and_event_count_are_bounded() {
        let big = " ".repeat(MAX_SCENARIO_BYTES + 1);
        assert_eq!(
            Scenario::from_json(&big),
            Err(ScenarioError::TooLarge(MAX_SCENARIO_BYTES + 1))
        );
        let mut many = sample();
        many.test_events = vec![many.test_events[0].clone(); MAX_TEST_EVENTS + 1];
        assert_eq!(
            Scenario::from_json(&many.to_json()).unwrap_err().to_string(),
            "the scenario is not valid: it has 1001 test events; at most 1000 are kept"
        );
    }
}
