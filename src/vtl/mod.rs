//! VTL (Apache Velocity 1.7) mapping templates with API Gateway's `$input`, `$util`, `$context` and
//! `$stageVariables`.
//!
//! The gateway calls [`render_mapping_template`] with a [`MappingInput`] and gets a [`MappingOutput`]: the text,
//! and what the template wrote into `$context.requestOverride` / `$context.responseOverride`. To parse once and
//! render many times, use [`Template::parse`] and [`Template::render`].
//!
//! Modules, in the order a template flows through them:
//! - [`parser`] (text, directives, comments, escapes, whitespace rule) and [`expr`] (references, expressions,
//!   literals) build the [`ast`];
//! - [`eval`] renders it over Java-like [`value`]s, calling [`methods`] (Java `String` / `List` / `Map`),
//!   [`javaregex`] and the API Gateway bindings in [`apigateway`] (with [`jsonpath`]);
//! - [`limits`] bounds size, loops, recursion and output; [`source`] turns offsets into line, column and excerpt.
//!
//! Sources: "API Gateway mapping template and access logging variable reference" and the Apache Velocity 1.7
//! user guide; each module names the parts it follows.

pub mod apigateway;
pub mod ast;
pub mod eval;
pub mod expr;
pub mod javaregex;
pub mod jsonpath;
pub mod limits;
pub mod methods;
pub mod parser;
pub mod source;
pub mod value;

#[cfg(test)]
mod aws_doc_tests;
#[cfg(test)]
mod tests;

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

impl VtlError {
    /// An error at byte `offset` of `source`.
    pub fn at(source: &str, offset: usize, message: impl Into<String>) -> VtlError {
        let (line, column, excerpt) = source::locate(source, offset);
        VtlError {
            line,
            column,
            message: message.into(),
            excerpt,
        }
    }
}

/// A parsed template, ready to render any number of times.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    source: String,
    nodes: Vec<ast::Node>,
    defs: parser::Defs,
}

impl Template {
    /// Parses `source`. Errors: larger than [`limits::MAX_TEMPLATE_BYTES`] (API Gateway's 300 KB template quota),
    /// or the first syntax error, with line, column and excerpt.
    pub fn parse(source: &str) -> Result<Template, VtlError> {
        if source.len() > limits::MAX_TEMPLATE_BYTES {
            return Err(VtlError::at(
                source,
                0,
                format!(
                    "mapping template is {} bytes; API Gateway allows {} bytes",
                    source.len(),
                    limits::MAX_TEMPLATE_BYTES
                ),
            ));
        }
        let mut defs = parser::Defs::with_builtins();
        let nodes = parser::parse_template(source, &mut defs).map_err(|e| VtlError::at(source, e.pos, e.message))?;
        Ok(Template {
            source: source.to_string(),
            nodes,
            defs,
        })
    }

    /// Renders against `input`. Errors: runtime errors (unknown method, type error, limit reached) with the
    /// position of the expression that failed.
    pub fn render(&self, input: &MappingInput<'_>) -> Result<MappingOutput, VtlError> {
        let mut vars = self.empty_scope();
        set_slot(
            &mut vars,
            parser::SLOT_CONTEXT,
            apigateway::context_value(&input.context),
        );
        set_slot(
            &mut vars,
            parser::SLOT_STAGE_VARIABLES,
            apigateway::stage_variables_value(&input.stage_variables),
        );
        let mut renderer = eval::Renderer::new(self, apigateway::Gateway::new(input), vars);
        renderer
            .run()
            .map_err(|e| VtlError::at(&self.source, e.pos, e.message))?;
        let mut output = MappingOutput {
            body: std::mem::take(&mut renderer.out),
            ..MappingOutput::default()
        };
        if let Some(context) = renderer.vars.get(parser::SLOT_CONTEXT) {
            apigateway::read_overrides(context, &mut output);
        }
        Ok(output)
    }

    /// Renders with extra top-level variables given as JSON (objects become maps, arrays lists), on top of an
    /// empty API Gateway request. Used by tests of the plain Velocity language.
    pub fn render_with_vars(&self, vars: &serde_json::Map<String, Json>) -> Result<String, VtlError> {
        self.render_vars(&Vars::from_json(vars))
    }

    /// Renders with prepared top-level variables (see [`Vars`]), on top of an empty API Gateway request.
    /// Lists and maps are shared with `vars`, as Java objects would be: a template that modifies them
    /// modifies them for later renders too.
    pub fn render_vars(&self, vars: &Vars) -> Result<String, VtlError> {
        let input = MappingInput::default();
        let mut scope = self.empty_scope();
        for (name, value) in &vars.0 {
            if let Some(&slot) = self.defs.names.get(name) {
                set_slot(&mut scope, slot, value.clone());
            }
        }
        let mut renderer = eval::Renderer::new(self, apigateway::Gateway::new(&input), scope);
        renderer
            .run()
            .map_err(|e| VtlError::at(&self.source, e.pos, e.message))?;
        Ok(std::mem::take(&mut renderer.out))
    }
}

/// Sets `slot` of `scope`.
fn set_slot(scope: &mut eval::Scope, slot: usize, value: value::Value) {
    if let Some(s) = scope.get_mut(slot) {
        *s = value;
    }
}

impl Template {
    /// A scope with every variable unset except `$input` and `$util`.
    fn empty_scope(&self) -> eval::Scope {
        let mut scope = vec![value::Value::Null; self.defs.names.len()];
        set_slot(&mut scope, parser::SLOT_INPUT, value::Value::Input);
        set_slot(&mut scope, parser::SLOT_UTIL, value::Value::Util);
        scope
    }
}

/// Top-level variables prepared once for many renders ([`Template::render_vars`]).
#[derive(Debug, Clone, Default)]
pub struct Vars(Vec<(String, value::Value)>);

impl Vars {
    /// Variables from a JSON object: each key a variable, objects become maps, arrays lists.
    pub fn from_json(vars: &serde_json::Map<String, Json>) -> Vars {
        Vars(
            vars.iter()
                .map(|(k, v)| (k.clone(), value::Value::from_json(v)))
                .collect(),
        )
    }
}

/// Renders `template` against `input`: [`Template::parse`] then [`Template::render`].
///
/// Errors: see [`VtlError`]; parse errors and runtime errors both carry line, column and an excerpt.
pub fn render_mapping_template(template: &str, input: &MappingInput<'_>) -> Result<MappingOutput, VtlError> {
    Template::parse(template)?.render(input)
}
