//! The Lambda code editor and configuration editor.
//!
//! A function's inline code (`InlineCode` of an `AWS::Serverless::Function`, `Code.ZipFile` of an
//! `AWS::Lambda::Function`) is edited in a textarea laid over its highlighted copy. Highlighting comes from Boa's
//! own JavaScript lexer ([`boa_engine::parser::Lexer`]), the one that will run the code, not from regular
//! expressions; syntax errors come from Boa's parser, with the line and column it reports, before anything is
//! saved. Saving writes the code into the template and redeploys the scenario, as every console edit does. Code
//! from a `CodeUri` folder is not in the template: it is shown read-only, and the view says so.
//!
//! Configuration (memory, timeout, runtime, environment variables) is edited the same way: template properties,
//! then a redeploy.

use super::{App, Msg};
use crate::template::edit::Document;
use boa_engine::parser::lexer::token::TokenKind;
use boa_engine::parser::source::ReadChar;
use boa_engine::parser::{Lexer, Parser, Source};
use serde_json::{json, Map, Value as Json};
use wasm_bindgen::JsCast as _;
use yew::html::Scope;
use yew::prelude::*;

/// The largest code highlighted (larger code is shown plain: lexing it on every key press would lag).
const MAX_HIGHLIGHT_BYTES: usize = 200 * 1024;
/// The deepest bracket nesting handed to the parser (Boa's parser recurses; deeper code is refused here, before
/// it can exhaust the page's stack).
const MAX_CHECK_NESTING: usize = 200;

/// Where a function's code lives in the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeSource {
    /// Inline code at `path` (`Resources.<id>.Properties.InlineCode` or `...Code.ZipFile`).
    Inline {
        /// The path of the string in the template.
        path: Vec<String>,
        /// The code.
        code: String,
    },
    /// Not editable here, and why.
    ReadOnly(String),
}

/// Where the code of the function of logical id `logical_id` is.
pub fn code_source(doc: &Document, logical_id: &str) -> CodeSource {
    let Some(resource) = doc.resource(logical_id) else {
        return CodeSource::ReadOnly(format!(
            "The function {logical_id} is not written in the template (it is generated): its code is read-only here."
        ));
    };
    let path = |rest: &[&str]| -> Vec<String> {
        ["Resources", logical_id, "Properties"]
            .iter()
            .chain(rest)
            .map(|s| s.to_string())
            .collect()
    };
    let properties = resource.get("Properties");
    match resource.get("Type").and_then(Json::as_str) {
        Some("AWS::Serverless::Function") => match properties.and_then(|p| p.get("InlineCode")) {
            Some(Json::String(code)) => CodeSource::Inline {
                path: path(&["InlineCode"]),
                code: code.clone(),
            },
            _ => CodeSource::ReadOnly(format!(
                "The code of {logical_id} comes from its CodeUri folder, which is not part of the template: it is read-only here. Use InlineCode to edit it in the playground."
            )),
        },
        Some("AWS::Lambda::Function") => match properties.and_then(|p| p.get("Code")).and_then(|c| c.get("ZipFile")) {
            Some(Json::String(code)) => CodeSource::Inline {
                path: path(&["Code", "ZipFile"]),
                code: code.clone(),
            },
            _ => CodeSource::ReadOnly(format!(
                "The code of {logical_id} is not inline (Code.ZipFile): it is read-only here."
            )),
        },
        _ => CodeSource::ReadOnly(format!("{logical_id} is not a function resource: its code is read-only here.")),
    }
}

/// A syntax error as Boa's parser reports it: 1-based line and column, and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// Boa's message.
    pub message: String,
}

/// Parses `code` with Boa (as a module when `module`, else as a CommonJS script): `None` when it parses.
pub fn check_syntax(code: &str, module: bool) -> Option<SyntaxError> {
    if let Some((line, column)) = too_deep(code) {
        return Some(SyntaxError {
            line,
            column,
            message: format!("brackets nested deeper than {MAX_CHECK_NESTING} levels are not checked here"),
        });
    }
    use boa_engine::parser::Error;
    let mut interner = boa_engine::interner::Interner::default();
    let scope = boa_engine::ast::scope::Scope::new_global();
    let mut parser = Parser::new(Source::from_bytes(code));
    let error = if module {
        parser.parse_module(&scope, &mut interner).err()?
    } else {
        parser.parse_script(&scope, &mut interner).err()?
    };
    let position = match &error {
        Error::Expected { span, .. } | Error::Unexpected { span, .. } => Some(span.start()),
        Error::General { position, .. } => Some(*position),
        Error::Lex {
            err: boa_engine::parser::lexer::Error::Syntax(_, position),
        } => Some(*position),
        _ => None,
    };
    let (line, column) = match position {
        Some(p) => (p.line_number() as usize, p.column_number() as usize),
        None => {
            // An abrupt end is at the end of the code.
            let line = code.split('\n').count();
            let column = code.rsplit('\n').next().map(|l| l.chars().count() + 1).unwrap_or(1);
            (line, column)
        }
    };
    Some(SyntaxError {
        line,
        column,
        message: error.to_string(),
    })
}

/// The line and column of the first bracket nested deeper than [`MAX_CHECK_NESTING`], if any (strings and
/// comments are not skipped: this errs towards refusing).
fn too_deep(code: &str) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    for c in code.chars() {
        column += 1;
        match c {
            '\n' => {
                line += 1;
                column = 0;
            }
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_CHECK_NESTING {
                    return Some((line, column));
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Feeds Boa's lexer the code points of a string.
struct CharReader<'a>(std::str::Chars<'a>);

impl ReadChar for CharReader<'_> {
    fn next_char(&mut self) -> std::io::Result<Option<u32>> {
        Ok(self.0.next().map(u32::from))
    }
}

/// The highlighting class of a token kind (`None`: plain text).
fn class_of(kind: &TokenKind) -> Option<&'static str> {
    match kind {
        TokenKind::Keyword(_) => Some("tok-keyword"),
        TokenKind::BooleanLiteral(_) | TokenKind::NullLiteral(_) | TokenKind::NumericLiteral(_) => Some("tok-literal"),
        TokenKind::StringLiteral(_) | TokenKind::TemplateNoSubstitution(_) | TokenKind::TemplateMiddle(_) => {
            Some("tok-string")
        }
        TokenKind::RegularExpressionLiteral(..) => Some("tok-regex"),
        TokenKind::Comment => Some("tok-comment"),
        TokenKind::Punctuator(_) => Some("tok-punct"),
        _ => None,
    }
}

/// `code` cut into highlighted pieces: the class (empty for plain text) and the text. The pieces put together
/// are `code` exactly. Lexing stops at the first lexical error; the rest is plain.
pub fn highlight(code: &str) -> Vec<(&'static str, String)> {
    if code.len() > MAX_HIGHLIGHT_BYTES {
        return vec![("", code.to_string())];
    }
    // Boa's linear positions count UTF-16 units.
    let units: Vec<u16> = code.encode_utf16().collect();
    let mut interner = boa_engine::interner::Interner::default();
    let mut lexer = Lexer::new(CharReader(code.chars()));
    let mut pieces: Vec<(&'static str, String)> = Vec::new();
    let mut at = 0usize;
    let text = |from: usize, to: usize| String::from_utf16_lossy(units.get(from..to).unwrap_or_default());
    // Every token consumes input, so the loop ends; the bound is a second guard.
    for _ in 0..=units.len() {
        let Ok(Some(token)) = lexer.next(&mut interner) else {
            break;
        };
        let span = token.linear_span();
        let (start, end) = (span.start().pos(), span.end().pos());
        if start < at || end > units.len() || end < start {
            break;
        }
        if start > at {
            pieces.push(gap(text(at, start)));
        }
        if end > start {
            pieces.push((class_of(token.kind()).unwrap_or(""), text(start, end)));
        }
        at = end;
    }
    if at < units.len() {
        pieces.push(("", text(at, units.len())));
    }
    pieces
}

/// Text between two tokens: white space, or comments (Boa's lexer skips comments without a token, so what is
/// not white space between tokens is a comment or a hashbang line).
fn gap(text: String) -> (&'static str, String) {
    if text.chars().all(char::is_whitespace) {
        ("", text)
    } else {
        ("tok-comment", text)
    }
}

/// The configuration form's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigForm {
    /// `MemorySize`, MB.
    pub memory: String,
    /// `Timeout`, seconds.
    pub timeout: String,
    /// `Runtime`.
    pub runtime: String,
    /// `Environment.Variables`, `NAME=value` lines.
    pub environment: String,
}

/// Writes the configuration of function `logical_id` into the template.
///
/// Errors (checked here so the form can say which field): memory outside 128..=10240 MB, timeout outside
/// 1..=900 s (the Lambda quotas page), an environment variable name that is not `[a-zA-Z][a-zA-Z0-9_]*` (the
/// `Environment` API reference's pattern), a function not written in the template.
pub fn set_configuration(doc: &mut Document, logical_id: &str, form: &ConfigForm) -> Result<(), String> {
    if doc.resource(logical_id).is_none() {
        return Err(format!(
            "The function {logical_id} is not written in the template: its configuration is read-only here."
        ));
    }
    let memory: u32 = form
        .memory
        .trim()
        .parse()
        .ok()
        .filter(|m| (128..=10240).contains(m))
        .ok_or("Memory must be a whole number of MB from 128 to 10240.")?;
    let timeout: u32 = form
        .timeout
        .trim()
        .parse()
        .ok()
        .filter(|t| (1..=900).contains(t))
        .ok_or("Timeout must be a whole number of seconds from 1 to 900.")?;
    let mut variables = Map::new();
    for (name, value) in super::console_edits::parse_pairs(&form.environment, "Environment variables")? {
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(format!(
                "Environment variables: {name:?} must start with a letter and hold only letters, digits and _."
            ));
        }
        variables.insert(name, json!(value));
    }
    let base = ["Resources", logical_id, "Properties"];
    let at = |key: &'static str| -> Vec<&str> { base.iter().copied().chain([key]).collect() };
    let err = |e: crate::template::edit::EditError| e.to_string();
    doc.set(&at("MemorySize"), json!(memory)).map_err(err)?;
    doc.set(&at("Timeout"), json!(timeout)).map_err(err)?;
    if !form.runtime.trim().is_empty() {
        doc.set(&at("Runtime"), json!(form.runtime.trim())).map_err(err)?;
    }
    if variables.is_empty() {
        doc.remove(&[&base[..], &["Environment", "Variables"]].concat())
            .map_err(err)?;
        if matches!(doc.get(&at("Environment")), Some(Json::Object(m)) if m.is_empty()) {
            doc.remove(&at("Environment")).map_err(err)?;
        }
    } else {
        doc.set(
            &[&base[..], &["Environment", "Variables"]].concat(),
            Json::Object(variables),
        )
        .map_err(err)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// State and messages
// ---------------------------------------------------------------------------------------------------------------

/// The code editor's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CodeState {
    /// The function the draft belongs to.
    pub function: String,
    /// The code being edited, when it differs from the deployed template's.
    pub draft: Option<String>,
    /// Why the last save failed.
    pub error: Option<String>,
    /// What the last save did.
    pub notice: Option<String>,
    /// After Escape, Tab moves the focus out instead of indenting.
    pub tab_moves_focus: bool,
    /// The configuration form, when open, and the function it belongs to.
    pub config: Option<(String, ConfigForm)>,
}

/// What the code editor reacts to.
pub enum CodeMsg {
    /// The code of function (name) changed.
    Edit(String, String),
    /// Escape was pressed (true) or Tab used to leave (false).
    TabMovesFocus(bool),
    /// Save the draft and deploy.
    Save,
    /// Drop the draft.
    Revert,
    /// Open the configuration form.
    OpenConfig,
    /// A configuration field changed (`memory`, `timeout`, `runtime`, `environment`).
    SetConfig(&'static str, String),
    /// Save the configuration and deploy.
    SaveConfig,
    /// Close the configuration form.
    CancelConfig,
}

fn function_name(app: &App) -> Option<String> {
    match &app.route {
        super::Route::Function { name } => Some(name.clone()),
        _ => None,
    }
}

fn logical_id_of(app: &App, name: &str) -> Option<String> {
    let lambda = app.deployed.as_ref()?.cloud.service::<crate::lambda::Lambda>()?;
    lambda
        .logical_ids
        .iter()
        .find(|(_, n)| n.as_str() == name)
        .map(|(id, _)| id.clone())
}

/// Handles a code editor message.
pub(super) fn update(app: &mut App, msg: CodeMsg) {
    match msg {
        CodeMsg::Edit(function, code) => {
            app.code.function = function;
            app.code.draft = Some(code);
            app.code.tab_moves_focus = false;
            app.code.notice = None;
        }
        CodeMsg::TabMovesFocus(on) => app.code.tab_moves_focus = on,
        CodeMsg::Revert => {
            app.code.draft = None;
            app.code.error = None;
        }
        CodeMsg::Save => save_code(app),
        CodeMsg::OpenConfig => {
            let form = function_name(app).and_then(|name| {
                let lambda = app.deployed.as_ref()?.cloud.service::<crate::lambda::Lambda>()?;
                let c = &lambda.functions.get(&name)?.latest;
                let form = ConfigForm {
                    memory: c.memory_size.to_string(),
                    timeout: c.timeout.to_string(),
                    runtime: c.runtime.clone(),
                    environment: c.environment.iter().map(|(k, v)| format!("{k}={v}\n")).collect(),
                };
                Some((name, form))
            });
            app.code.config = form;
            app.code.error = None;
        }
        CodeMsg::SetConfig(name, value) => {
            if let Some((_, form)) = app.code.config.as_mut() {
                match name {
                    "memory" => form.memory = value,
                    "timeout" => form.timeout = value,
                    "runtime" => form.runtime = value,
                    _ => form.environment = value,
                }
            }
        }
        CodeMsg::CancelConfig => {
            app.code.config = None;
            app.code.error = None;
        }
        CodeMsg::SaveConfig => {
            let Some((function, form)) = app.code.config.clone() else {
                return;
            };
            if Some(&function) != function_name(app).as_ref() {
                app.code.config = None;
                return;
            }
            edit_function(
                app,
                |doc, id| set_configuration(doc, id, &form),
                "Configuration saved and deployed.",
            );
            if app.code.error.is_none() {
                app.code.config = None;
            }
        }
    }
}

fn save_code(app: &mut App) {
    let Some(name) = function_name(app) else { return };
    if app.code.function != name {
        return;
    }
    let Some(code) = app.code.draft.clone() else { return };
    if let Some(e) = check_syntax(&code, false) {
        app.code.error = Some(format!(
            "Not saved: syntax error at line {}, column {}: {}",
            e.line, e.column, e.message
        ));
        return;
    }
    edit_function(
        app,
        |doc, id| match code_source(doc, id) {
            CodeSource::Inline { path, .. } => {
                let path: Vec<&str> = path.iter().map(String::as_str).collect();
                doc.set(&path, json!(code)).map_err(|e| e.to_string())
            }
            CodeSource::ReadOnly(reason) => Err(reason),
        },
        "Saved and deployed. Test runs the new code.",
    );
    if app.code.error.is_none() {
        app.code.draft = None;
    }
}

/// Applies `action` to the template for the current function and redeploys.
fn edit_function(app: &mut App, action: impl FnOnce(&mut Document, &str) -> Result<(), String>, done: &str) {
    let Some(name) = function_name(app) else { return };
    let Some(id) = logical_id_of(app, &name) else {
        app.code.error = Some(format!("The function {name} is not in the deployed stack."));
        return;
    };
    let mut doc = match Document::parse(&app.scenario.template.body) {
        Ok(doc) => doc,
        Err(e) => {
            app.code.error = Some(format!(
                "The template does not load ({e}): fix it on the Template page."
            ));
            return;
        }
    };
    if let Err(e) = action(&mut doc, &id) {
        app.code.error = Some(e);
        return;
    }
    let comments = doc.comment_lines();
    match app.apply_template(doc.to_text()) {
        Ok(()) => {
            app.code.error = None;
            let mut notice = done.to_string();
            if comments > 0 && !app.console_edit.comments_told {
                app.console_edit.comments_told = true;
                notice.push_str(&format!(
                    " The YAML template was rewritten: its comments ({comments} lines) were not kept."
                ));
            }
            app.code.notice = Some(notice);
            // Names are drawn again at each deploy: follow the function if its name changed.
            if let Some(new_name) = app
                .deployed
                .as_ref()
                .and_then(|d| d.cloud.service::<crate::lambda::Lambda>())
                .and_then(|l| l.logical_ids.get(&id).cloned())
            {
                if new_name != name {
                    if let Some(window) = web_sys::window() {
                        let _ = window
                            .location()
                            .set_hash(&super::Route::Function { name: new_name }.href());
                    }
                }
            }
        }
        Err(e) => app.code.error = Some(format!("Not saved: the template does not deploy: {e}")),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------------------------

/// The code section of `#/lambda/<name>`: the editor for inline code, else `None` with the reason shown by the
/// caller above the read-only view.
pub(super) fn code_view(app: &App, link: &Scope<App>, name: &str) -> Result<Html, String> {
    let id = logical_id_of(app, name).ok_or_else(|| format!("The function {name} is not in the stack."))?;
    let doc = Document::parse(&app.scenario.template.body)
        .map_err(|e| format!("The template does not load ({e}): the code is read-only until it does."))?;
    let saved = match code_source(&doc, &id) {
        CodeSource::Inline { code, .. } => code,
        CodeSource::ReadOnly(reason) => return Err(reason),
    };
    let state = &app.code;
    let draft = state.draft.as_ref().filter(|_| state.function == name);
    let code = draft.cloned().unwrap_or(saved);
    let syntax = check_syntax(&code, false);
    let error_line = syntax.as_ref().map(|e| e.line).unwrap_or(0);
    let lines = code.split('\n').count().max(1);
    let columns = code.split('\n').map(|l| l.chars().count()).max().unwrap_or(0) + 2;
    let function = name.to_string();
    let oninput = {
        let function = function.clone();
        link.callback(move |e: InputEvent| Msg::Code(CodeMsg::Edit(function.clone(), super::event_value(&e))))
    };
    let escaped = state.tab_moves_focus;
    let onkeydown = {
        let function = function.clone();
        link.batch_callback(move |e: KeyboardEvent| {
            let plain = !(e.ctrl_key() || e.meta_key() || e.alt_key() || e.shift_key());
            match e.key().as_str() {
                "Escape" => Some(Msg::Code(CodeMsg::TabMovesFocus(true))),
                "Tab" if plain && escaped => Some(Msg::Code(CodeMsg::TabMovesFocus(false))),
                "Tab" if plain => {
                    e.prevent_default();
                    let area = e.target()?.dyn_into::<web_sys::HtmlTextAreaElement>().ok()?;
                    let start = area.selection_start().ok().flatten()?;
                    area.set_range_text("  ").ok()?;
                    let caret = start + 2;
                    let _ = area.set_selection_range(caret, caret);
                    Some(Msg::Code(CodeMsg::Edit(function.clone(), area.value())))
                }
                _ => None,
            }
        })
    };
    Ok(html! {
        <div class="code-edit-wrap">
            <p class="muted" id="code-help">{ "Inline code (index.js). Tab indents; press Escape, then Tab, to move on. Save writes it into the template and deploys." }</p>
            <div class="code-editor js-editor">
                <pre class="gutter" aria-hidden="true">
                    { for (1..=lines).map(|n| html! {
                        <span class={ if n == error_line { "error-line" } else { "" } }>{ format!("{n}\n") }</span>
                    }) }
                </pre>
                <div class="code-stack">
                    <pre class="code-highlight" aria-hidden="true">
                        { for highlight(&code).into_iter().map(|(class, text)| if class.is_empty() {
                            html! { { text } }
                        } else {
                            html! { <span class={ class }>{ text }</span> }
                        }) }
                        { "\n" }
                    </pre>
                    <textarea id="code-editor" class="code-input" aria-label={ format!("Code of {name}") }
                        aria-describedby="code-help" spellcheck="false" autocapitalize="off" autocomplete="off" wrap="off"
                        rows={ (lines + 1).to_string() } cols={ columns.to_string() }
                        value={ code.clone() } {oninput} {onkeydown} />
                </div>
            </div>
            if let Some(e) = &syntax {
                <div id="code-syntax-error" class="error" role="status">
                    { format!("Syntax error at line {}, column {}: {}", e.line, e.column, e.message) }
                </div>
            }
            if let Some(e) = &state.error {
                <div id="code-error" class="error" role="alert"><pre>{ e.clone() }</pre></div>
            }
            if let Some(n) = &state.notice {
                <p id="code-notice" class="notice" role="status">{ n.clone() }</p>
            }
            <div class="row">
                <button id="code-save" class="primary" disabled={ draft.is_none() }
                    onclick={ link.callback(|_| Msg::Code(CodeMsg::Save)) }>{ "Save and deploy" }</button>
                <button id="code-revert" disabled={ draft.is_none() }
                    onclick={ link.callback(|_| Msg::Code(CodeMsg::Revert)) }>{ "Revert" }</button>
            </div>
        </div>
    })
}

/// The configuration editor of `#/lambda/<name>` (under the read-only configuration).
pub(super) fn configuration_editor(app: &App, link: &Scope<App>) -> Html {
    let form = app
        .code
        .config
        .as_ref()
        .filter(|(function, _)| Some(function) == function_name(app).as_ref())
        .map(|(_, form)| form);
    let Some(form) = form else {
        return html! {
            <button id="config-edit" onclick={ link.callback(|_| Msg::Code(CodeMsg::OpenConfig)) }>{ "Edit configuration" }</button>
        };
    };
    let input = |name: &'static str| {
        link.callback(move |e: InputEvent| Msg::Code(CodeMsg::SetConfig(name, super::event_value(&e))))
    };
    let runtime_change = link.callback(|e: Event| Msg::Code(CodeMsg::SetConfig("runtime", super::event_value(&e))));
    let mut runtimes = vec!["nodejs18.x", "nodejs20.x", "nodejs22.x"];
    if !runtimes.contains(&form.runtime.as_str()) {
        runtimes.push(form.runtime.as_str());
    }
    html! {
        <form id="config-form" class="form" aria-label="Edit configuration"
            onsubmit={ link.callback(|e: SubmitEvent| { e.prevent_default(); Msg::Code(CodeMsg::SaveConfig) }) }>
            <div class="row">
                <div class="field">
                    <label for="config-memory">{ "Memory (MB)" }</label>
                    <input id="config-memory" type="number" min="128" max="10240" value={ form.memory.clone() } oninput={ input("memory") } />
                </div>
                <div class="field">
                    <label for="config-timeout">{ "Timeout (s)" }</label>
                    <input id="config-timeout" type="number" min="1" max="900" value={ form.timeout.clone() } oninput={ input("timeout") } />
                </div>
                <div class="field">
                    <label for="config-runtime">{ "Runtime" }</label>
                    <select id="config-runtime" onchange={ runtime_change }>
                        { for runtimes.iter().map(|r| html! { <option value={ r.to_string() } selected={ form.runtime == *r }>{ r.to_string() }</option> }) }
                    </select>
                </div>
            </div>
            <div class="field">
                <label for="config-environment">{ "Environment variables (one NAME=value per line)" }</label>
                <textarea id="config-environment" rows="3" value={ form.environment.clone() } oninput={ input("environment") } />
            </div>
            if let Some(e) = &app.code.error {
                <div id="config-error" class="error" role="alert"><pre>{ e.clone() }</pre></div>
            }
            <div class="row">
                <button id="config-save" class="primary" type="submit">{ "Save and deploy" }</button>
                <button type="button" onclick={ link.callback(|_| Msg::Code(CodeMsg::CancelConfig)) }>{ "Cancel" }</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighting_uses_boas_tokens_and_keeps_the_text() {
        let code = "// hi\nconst x = 'a' + 1; /* c */ return null;";
        let pieces = highlight(code);
        assert_eq!(pieces.iter().map(|(_, t)| t.as_str()).collect::<String>(), code);
        let class = |text: &str| pieces.iter().find(|(_, t)| t == text).map(|(c, _)| *c);
        assert_eq!(class("const"), Some("tok-keyword"));
        assert_eq!(class("'a'"), Some("tok-string"));
        assert_eq!(class("1"), Some("tok-literal"));
        assert_eq!(class("null"), Some("tok-literal"));
        assert_eq!(class("x"), Some(""));
        assert_eq!(class("// hi"), Some("tok-comment"));
        assert_eq!(class(" /* c */ "), Some("tok-comment"));
    }

    #[test]
    fn highlighting_survives_lexical_errors_and_non_ascii() {
        for code in ["'unterminated", "é😀 = `x${", "\u{0}\u{FEFF}", ""] {
            let pieces = highlight(code);
            assert_eq!(pieces.iter().map(|(_, t)| t.as_str()).collect::<String>(), code);
        }
    }

    #[test]
    fn syntax_errors_are_located_by_boa() {
        assert_eq!(check_syntax("exports.handler = async () => 1;\n", false), None);
        let e = check_syntax("const a = 1;\nconst b = ;\n", false).expect("an error");
        assert_eq!((e.line, e.column), (2, 11), "{e:?}");
        let e = check_syntax("function f() {\n", false).expect("an error");
        assert!(e.line >= 1, "{e:?}");
        let deep = "(".repeat(5000);
        let e = check_syntax(&deep, false).expect("refused");
        assert_eq!((e.line, e.column), (1, 201));
    }

    #[test]
    fn inline_code_is_editable_and_code_uri_is_read_only() {
        let doc = Document::parse(
            "Resources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties:\n      InlineCode: x\n  B:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n  C:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code:\n        ZipFile: y\n",
        )
        .unwrap();
        assert_eq!(
            code_source(&doc, "A"),
            CodeSource::Inline {
                path: vec!["Resources".into(), "A".into(), "Properties".into(), "InlineCode".into()],
                code: "x".into()
            }
        );
        assert!(matches!(code_source(&doc, "B"), CodeSource::ReadOnly(r) if r.contains("CodeUri")));
        assert!(matches!(code_source(&doc, "C"), CodeSource::Inline { code, .. } if code == "y"));
        assert!(matches!(code_source(&doc, "Z"), CodeSource::ReadOnly(_)));
    }

    #[test]
    fn configuration_is_checked_then_written() {
        let mut doc = Document::parse(
            "Resources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties:\n      InlineCode: x\n",
        )
        .unwrap();
        let mut form = ConfigForm {
            memory: "256".into(),
            timeout: "10".into(),
            runtime: "nodejs20.x".into(),
            environment: "TABLE=items\n".into(),
        };
        set_configuration(&mut doc, "A", &form).unwrap();
        assert_eq!(
            doc.get(&["Resources", "A", "Properties", "MemorySize"]),
            Some(&json!(256))
        );
        assert_eq!(
            doc.get(&["Resources", "A", "Properties", "Environment"]),
            Some(&json!({"Variables": {"TABLE": "items"}}))
        );
        form.environment = String::new();
        set_configuration(&mut doc, "A", &form).unwrap();
        assert_eq!(doc.get(&["Resources", "A", "Properties", "Environment"]), None);
        form.memory = "64".into();
        assert!(set_configuration(&mut doc, "A", &form)
            .unwrap_err()
            .starts_with("Memory"));
        form.memory = "128".into();
        form.environment = "1X=a".into();
        assert!(set_configuration(&mut doc, "A", &form)
            .unwrap_err()
            .contains("must start with a letter"));
    }
}
