//! The guided tutorial (issue #10): lessons that follow the course in `shared/seed`, each a list of steps whose
//! checks run against the simulated account after every change the learner makes.
//!
//! # Lesson format
//!
//! One YAML file per lesson under `src/tutorial/lessons/`, compiled in with `include_str!`:
//!
//! ```yaml
//! id: hello-world-mock            # the lesson's id (deep link `#/tutorial/<id>/<step number>`)
//! title: Hello World API with a Mock integration
//! summary: one line for the lesson list
//! learned:                        # what the closing note lists
//!   - ...
//! steps:
//!   - title: Create the /message resource
//!     instructions: |             # the markdown subset of [`markdown`]
//!       ...
//!     start: previous             # or `start: {template: "..."}`; the first step must give a template
//!     hint: ...
//!     checks:                     # see [`checks::CheckKind`]; every check has a `missing` message
//!       - check: resource_exists
//!         path: /message
//!         missing: There is no /message resource yet.
//!     solution:                   # the reference solution: the template after the step, and the actions
//!       template: |               # (requests, invokes) the learner is expected to make; `template: previous`
//!         ...                     # keeps the start template
//!       actions:
//!         - request: {method: GET, path: /test}
//! ```
//!
//! A step is checked against an [`Attempt`]: the template the learner deployed and the actions they took since
//! (replayed in order, on a fresh account with the default seed, so that a check's answer depends only on the
//! attempt).

pub mod checks;
pub mod markdown;

use serde::Deserialize;
use serde_json::Value as Json;

pub use checks::{evaluate, Action, Attempt, CheckKind, CheckResult};

/// The deepest nesting read from a lesson file (lessons are ours, but the bound keeps the converter honest).
const MAX_DEPTH: usize = 64;

/// A lesson.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Its id (URL-safe).
    pub id: String,
    /// Its title.
    pub title: String,
    /// One line for the lesson list.
    pub summary: String,
    /// What the learner has learned, shown when the lesson is finished.
    #[serde(default)]
    pub learned: Vec<String>,
    /// Its steps, in order.
    pub steps: Vec<Step>,
}

/// A step of a lesson.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Its title.
    pub title: String,
    /// The instructions (the markdown subset of [`markdown`]).
    pub instructions: String,
    /// Where the step starts.
    pub start: Start,
    /// A hint, shown on demand.
    pub hint: String,
    /// What must hold once the step is done.
    pub checks: Vec<Check>,
    /// The reference solution.
    pub solution: Solution,
}

/// Where a step starts.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Start {
    /// The previous step's reference solution (`start: previous`).
    Previous,
    /// This template (`start: {template: ...}`).
    Template(String),
}

/// A step's reference solution.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Solution {
    /// The template after the step; the literal `previous` keeps the step's start template.
    pub template: String,
    /// What the learner does after deploying it.
    #[serde(default)]
    pub actions: Vec<Action>,
}

/// One check of a step: what must hold, and what to tell the learner while it does not.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Check {
    /// The predicate.
    #[serde(flatten)]
    pub kind: CheckKind,
    /// Plain words for what is still missing.
    pub missing: String,
}

/// An entry of the lesson list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A lesson, as its YAML text.
    Available(&'static str),
    /// A lesson of the course not written yet: its title and why.
    Coming {
        /// The lesson's title.
        title: &'static str,
        /// What it waits on.
        waits_on: &'static str,
    },
}

/// The course, in order (the seed's sections).
pub const INDEX: &[Entry] = &[
    Entry::Available(include_str!("lessons/01-hello-world-mock.yaml")),
    Entry::Available(include_str!("lessons/02-first-lambda.yaml")),
    Entry::Available(include_str!("lessons/03-lambda-api-gateway.yaml")),
    Entry::Available(include_str!("lessons/04-handler-syntax.yaml")),
    Entry::Available(include_str!("lessons/05-event-object.yaml")),
    Entry::Available(include_str!("lessons/06-permissions.yaml")),
    Entry::Available(include_str!("lessons/07-application-backend.yaml")),
    Entry::Available(include_str!("lessons/08-why-serverless.yaml")),
];

/// Every available lesson, parsed, in course order.
///
/// Errors: a lesson file that does not parse (a bug in this crate, caught by `tests/tutorial.rs`).
pub fn lessons() -> Result<Vec<Lesson>, String> {
    INDEX
        .iter()
        .filter_map(|e| match e {
            Entry::Available(text) => Some(parse_lesson(text)),
            Entry::Coming { .. } => None,
        })
        .collect()
}

/// Parses a lesson file.
///
/// Errors: YAML syntax, a missing or unknown field, a first step starting from `previous`.
pub fn parse_lesson(text: &str) -> Result<Lesson, String> {
    let docs = yaml_rust2::YamlLoader::load_from_str(text).map_err(|e| e.to_string())?;
    let doc = docs.first().ok_or("an empty lesson file")?;
    let json = to_json(doc, 0)?;
    let id = json.get("id").and_then(Json::as_str).unwrap_or("?").to_string();
    let lesson: Lesson = serde_json::from_value(json).map_err(|e| format!("lesson {id}: {e}"))?;
    if matches!(lesson.steps.first().map(|s| &s.start), Some(Start::Previous)) {
        return Err(format!("{}: the first step cannot start from `previous`", lesson.id));
    }
    if lesson.steps.is_empty() {
        return Err(format!("{}: a lesson needs at least one step", lesson.id));
    }
    Ok(lesson)
}

impl Lesson {
    /// The template step `index` starts from (following `previous` back), or `None` past the last step.
    pub fn start_template(&self, index: usize) -> Option<String> {
        let step = self.steps.get(index)?;
        match &step.start {
            Start::Template(t) => Some(t.clone()),
            Start::Previous => self.solution_template(index.checked_sub(1)?),
        }
    }

    /// The template of step `index`'s reference solution.
    pub fn solution_template(&self, index: usize) -> Option<String> {
        let step = self.steps.get(index)?;
        if step.solution.template == "previous" {
            self.start_template(index)
        } else {
            Some(step.solution.template.clone())
        }
    }
}

/// Converts a YAML document to JSON (strings, numbers, booleans, null, sequences, string-keyed maps).
fn to_json(yaml: &yaml_rust2::Yaml, depth: usize) -> Result<Json, String> {
    use yaml_rust2::Yaml;
    if depth > MAX_DEPTH {
        return Err("a lesson file nested too deeply".into());
    }
    Ok(match yaml {
        Yaml::String(s) => Json::String(s.clone()),
        Yaml::Integer(i) => Json::from(*i),
        Yaml::Real(r) => r.parse::<f64>().map(Json::from).map_err(|e| e.to_string())?,
        Yaml::Boolean(b) => Json::Bool(*b),
        Yaml::Null => Json::Null,
        Yaml::Array(items) => Json::Array(items.iter().map(|i| to_json(i, depth + 1)).collect::<Result<_, _>>()?),
        Yaml::Hash(map) => {
            let mut object = serde_json::Map::new();
            for (k, v) in map {
                let key = match k {
                    Yaml::String(s) => s.clone(),
                    Yaml::Integer(i) => i.to_string(),
                    other => return Err(format!("a map key that is not a string: {other:?}")),
                };
                object.insert(key, to_json(v, depth + 1)?);
            }
            Json::Object(object)
        }
        Yaml::Alias(_) | Yaml::BadValue => return Err("an alias or bad value in a lesson file".into()),
    })
}
