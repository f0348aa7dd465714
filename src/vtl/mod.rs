//! VTL (Apache Velocity 1.7) mapping templates with API Gateway's `$input`, `$util`, `$context` and
//! `$stageVariables`.
//!
//! The gateway calls [`render_mapping_template`] with a [`MappingInput`] and gets a [`MappingOutput`]: the text,
//! and what the template wrote into `$context.requestOverride` / `$context.responseOverride`.
//!
//! This first version renders only templates with no VTL in them (no `$` and no `#`), verbatim; any other
//! template fails loudly with a "not simulated" error until the engine lands (issue #4).

use indexmap::IndexMap;
use serde_json::Value as Json;
use std::fmt;

/// What a mapping template can see. Source: "API Gateway mapping template and access logging variable
/// reference".
#[derive(Debug, Clone, Default)]
pub struct MappingInput<'a> {
    /// The body (`$input.body`): the method request body for a request template, the integration response body
    /// for a response template.
    pub body: &'a str,
    /// Path parameters (`$input.params().path`), in declaration order.
    pub path: IndexMap<String, String>,
    /// Query string parameters (`$input.params().querystring`), last value of each name.
    pub querystring: IndexMap<String, String>,
    /// Headers (`$input.params().header`), names as sent.
    pub header: IndexMap<String, String>,
    /// `$context`, as a JSON object (`identity`, `authorizer`, `error` are nested objects).
    pub context: Json,
    /// `$stageVariables`.
    pub stage_variables: IndexMap<String, String>,
}

/// What rendering produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MappingOutput {
    /// The rendered text.
    pub body: String,
    /// `$context.requestOverride.header.*`, `.querystring.*`, `.path.*` set by the template.
    pub request_override: Overrides,
    /// `$context.responseOverride.status` and `.header.*` set by the template.
    pub response_override: ResponseOverride,
}

/// Request overrides (`$context.requestOverride`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `header.<name>` values.
    pub header: IndexMap<String, String>,
    /// `querystring.<name>` values.
    pub querystring: IndexMap<String, String>,
    /// `path.<name>` values.
    pub path: IndexMap<String, String>,
}

/// Response overrides (`$context.responseOverride`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseOverride {
    /// `status`, when set.
    pub status: Option<u16>,
    /// `header.<name>` values.
    pub header: IndexMap<String, String>,
}

/// A template that cannot be parsed or rendered: the 1-based line and column, what is wrong, and the offending
/// line with a caret under the column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VtlError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// The template line and a caret line.
    pub excerpt: String,
}

impl fmt::Display for VtlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}\n{}",
            self.line, self.column, self.message, self.excerpt
        )
    }
}

impl std::error::Error for VtlError {}

/// Renders `template` against `input`.
///
/// Errors: see [`VtlError`]; until the engine lands, any `$` or `#` in the template is "not simulated".
pub fn render_mapping_template(template: &str, input: &MappingInput<'_>) -> Result<MappingOutput, VtlError> {
    let _ = input;
    if let Some(offset) = template.find(['$', '#']) {
        let line_start = template[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line = template[..offset].matches('\n').count() + 1;
        let column = template[line_start..offset].chars().count() + 1;
        let text = template[line_start..].lines().next().unwrap_or_default();
        return Err(VtlError {
            line,
            column,
            message: "not simulated: VTL references and directives (the VTL engine is issue #4)".to_string(),
            excerpt: format!("{text}\n{}^", " ".repeat(column - 1)),
        });
    }
    Ok(MappingOutput {
        body: template.to_string(),
        ..MappingOutput::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_renders_verbatim() {
        let out = render_mapping_template("{\"statusCode\": 200}", &MappingInput::default()).unwrap();
        assert_eq!(out.body, "{\"statusCode\": 200}");
    }

    #[test]
    fn vtl_is_not_simulated_yet_and_says_where() {
        let err = render_mapping_template("{\n  \"a\": \"$input.body\"\n}", &MappingInput::default()).unwrap_err();
        assert_eq!((err.line, err.column), (2, 9));
        assert!(err.message.starts_with("not simulated"));
        assert_eq!(err.excerpt, "  \"a\": \"$input.body\"\n        ^");
    }
}
