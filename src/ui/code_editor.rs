//! The Lambda code editor and configuration editor.
//!
//! A function's inline code (`InlineCode` of an `AWS::Serverless::Function`, `Code.ZipFile` of an
//! `AWS::Lambda::Function`) is edited in a textarea laid over its highlighted copy. Highlighting comes from Boa's
//! own JavaScript lexer ([`boa_engine::parser::Lexer`]), the one that will run the code, not from regular
//! expressions; syntax errors come from Boa's parser, with the line and column it reports, before anything is
//! saved. Saving writes the code into the template and redeploys the scenario, as every console edit does.
//!
//! A function's code is a set of files ([`super::code_files`]): inline code is the one file `index.js`; a
//! `CodeUri` folder's files are kept in the scenario (its `code` field, keyed by the folder's path) and shown as
//! tabs, each edited the same way, JSON files checked as JSON. Files are added, renamed and deleted in a draft;
//! Save checks every file, stores the folder in the scenario and redeploys. Adding a second file to inline
//! `InlineCode` moves the code to a `CodeUri: <LogicalId>/` folder on Save (inline code is one file); the
//! `Code.ZipFile` of an `AWS::Lambda::Function` stays one file.
//!
//! Configuration (memory, timeout, runtime, environment variables) is edited the same way: template properties,
//! then a redeploy.

use super::code_files::{self, INLINE_FILE};
use super::{App, Msg};
use crate::template::code::{folder_key, CodeFiles, CodeFolders};
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
    /// The files of a `CodeUri` folder (or of the template's folder when there is no `CodeUri`), kept in the
    /// scenario under `key` ([`folder_key`]).
    Folder {
        /// The folder's key in [`crate::scenario::Scenario::code`].
        key: String,
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
            _ => folder_source(doc, logical_id, properties),
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
        _ => CodeSource::ReadOnly(format!(
            "{logical_id} is not a function resource: its code is read-only here."
        )),
    }
}

/// The folder of a SAM function without `InlineCode`: its `CodeUri` (or the `Globals` one), `.` when there is none
/// (SAM then packages the template's folder); S3 code and images are read-only.
fn folder_source(doc: &Document, logical_id: &str, properties: Option<&Json>) -> CodeSource {
    if properties.and_then(|p| p.get("ImageUri")).is_some() {
        return CodeSource::ReadOnly(format!(
            "{logical_id} runs a container image: its code is not readable here."
        ));
    }
    let uri = properties
        .and_then(|p| p.get("CodeUri"))
        .or_else(|| doc.get(&["Globals", "Function", "CodeUri"]));
    match uri {
        None => CodeSource::Folder { key: ".".to_string() },
        Some(Json::String(uri)) if !uri.starts_with("s3://") => match folder_key(uri) {
            Ok(key) => CodeSource::Folder { key },
            Err(e) => CodeSource::ReadOnly(e),
        },
        Some(_) => CodeSource::ReadOnly(format!(
            "The code of {logical_id} is in S3 (CodeUri), which the playground does not hold: it is read-only here."
        )),
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
    /// The function's files being edited (path to text), when they differ from the saved ones.
    pub draft: Option<CodeFiles>,
    /// The open file (when unset or gone: the handler's file, else the first).
    pub open: Option<String>,
    /// The file name field (Add file, Rename).
    pub file_name: String,
    /// Why the last file operation was refused.
    pub file_error: Option<String>,
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
    /// The code of a file (function name, path, text) changed.
    Edit(String, String, String),
    /// Open a file (path).
    OpenFile(String),
    /// The file name field changed.
    SetFileName(String),
    /// Add a file named as the field says.
    AddFile,
    /// Rename the open file as the field says.
    RenameFile,
    /// Delete the open file (path).
    DeleteFile(String),
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
        CodeMsg::Edit(function, path, code) => {
            let Some(mut files) = files_for(app, &function) else {
                return;
            };
            files.insert(path.clone(), code);
            app.code.function = function;
            app.code.draft = Some(files);
            app.code.open = Some(path);
            app.code.tab_moves_focus = false;
            app.code.notice = None;
        }
        CodeMsg::OpenFile(path) => {
            app.code.open = Some(path);
            app.code.file_error = None;
        }
        CodeMsg::SetFileName(name) => app.code.file_name = name,
        CodeMsg::AddFile => {
            let name = app.code.file_name.trim().to_string();
            let function = function_name(app).unwrap_or_default();
            if let Ok((source @ CodeSource::Inline { .. }, _)) = saved_files(app, &function) {
                if is_zip_file(&source) {
                    app.code.file_error = Some(format!(
                        "Code.ZipFile is one file ({INLINE_FILE}); several files need an AWS::Serverless::Function with a CodeUri folder."
                    ));
                    return;
                }
            }
            change_files(app, |files, _| {
                code_files::add_file(files, &name).map(|()| Some(name.clone()))
            });
        }
        CodeMsg::RenameFile => {
            let to = app.code.file_name.trim().to_string();
            let name = function_name(app).unwrap_or_default();
            let handler = handler_of(app, &name).unwrap_or_default();
            let from = files_for(app, &name).and_then(|files| open_file(app, &name, &files));
            if let Some(from) = from.filter(|f| {
                code_files::is_handler_file(f, &handler)
                    && !code_files::is_handler_file(&to, &handler)
                    && crate::template::code::check_file_name(&to).is_ok()
            }) {
                let question = format!(
                    "{from} is the handler's file ({handler}): renamed to {to}, every invoke fails with \
                     Runtime.ImportModuleError until the handler names it. Rename it anyway?"
                );
                if !super::browser::confirm(&question) {
                    return;
                }
            }
            change_files(app, |files, open| {
                let from = open.ok_or("Open the file to rename first.")?;
                code_files::rename_file(files, &from, &to).map(|()| Some(to.clone()))
            });
        }
        CodeMsg::DeleteFile(path) => {
            let handler = function_name(app)
                .and_then(|name| handler_of(app, &name))
                .unwrap_or_default();
            if code_files::is_handler_file(&path, &handler)
                && !super::browser::confirm(&format!(
                    "{path} is the handler's file ({handler}): without it, every invoke fails with \
                     Runtime.ImportModuleError. Delete it from the draft anyway?"
                ))
            {
                return;
            }
            change_files(app, |files, _| {
                files.remove(&path);
                Ok(None)
            });
        }
        CodeMsg::TabMovesFocus(on) => app.code.tab_moves_focus = on,
        CodeMsg::Revert => {
            app.code.draft = None;
            app.code.error = None;
            app.code.file_error = None;
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

/// The saved files of function `name` and where they live: inline code as [`INLINE_FILE`], a folder's files from
/// the scenario (none yet: empty).
///
/// Errors: the function is not in the stack, the template does not parse, or the code is read-only (why).
fn saved_files(app: &App, name: &str) -> Result<(CodeSource, CodeFiles), String> {
    let id = logical_id_of(app, name).ok_or_else(|| format!("The function {name} is not in the stack."))?;
    let doc = Document::parse(&app.scenario.template.body)
        .map_err(|e| format!("The template does not load ({e}): the code is read-only until it does."))?;
    let source = code_source(&doc, &id);
    let files = match &source {
        CodeSource::Inline { code, .. } => CodeFiles::from([(INLINE_FILE.to_string(), code.clone())]),
        CodeSource::Folder { key } => app.scenario.code.get(key).cloned().unwrap_or_default(),
        CodeSource::ReadOnly(reason) => return Err(reason.clone()),
    };
    Ok((source, files))
}

/// The files of function `name` as the editor shows them: the draft when it is this function's, else the saved ones.
fn files_for(app: &App, name: &str) -> Option<CodeFiles> {
    match &app.code.draft {
        Some(draft) if app.code.function == name => Some(draft.clone()),
        _ => saved_files(app, name).ok().map(|(_, files)| files),
    }
}

/// The deployed handler setting of function `name` (`index.handler`).
fn handler_of(app: &App, name: &str) -> Option<String> {
    let lambda = app.deployed.as_ref()?.cloud.service::<crate::lambda::Lambda>()?;
    Some(lambda.functions.get(name)?.latest.handler.clone())
}

/// The open file of `files`: the one chosen if it is there, else the handler's file, else the first.
fn open_file(app: &App, name: &str, files: &CodeFiles) -> Option<String> {
    if let Some(open) = app.code.open.as_ref().filter(|o| files.contains_key(*o)) {
        return Some(open.clone());
    }
    let handler = handler_of(app, name).unwrap_or_default();
    files
        .keys()
        .find(|p| code_files::is_handler_file(p, &handler))
        .or_else(|| files.keys().next())
        .cloned()
}

/// Applies a file operation to the current function's draft: `op` gets the files and the open file and returns
/// the file to open next (if it changes). A refusal is shown beside the file bar and changes nothing.
fn change_files(app: &mut App, op: impl FnOnce(&mut CodeFiles, Option<String>) -> Result<Option<String>, String>) {
    let Some(name) = function_name(app) else { return };
    let Some(mut files) = files_for(app, &name) else { return };
    let open = open_file(app, &name, &files);
    match op(&mut files, open) {
        Ok(next) => {
            app.code.function = name;
            app.code.draft = Some(files);
            if next.is_some() {
                app.code.open = next;
            }
            app.code.file_error = None;
            app.code.file_name.clear();
            app.code.notice = None;
            // The draft changed: the last refused save's reason no longer describes it.
            app.code.error = None;
        }
        Err(e) => app.code.file_error = Some(e),
    }
}

/// Whether `source` is the `Code.ZipFile` of an `AWS::Lambda::Function` (one file, which cannot become a folder).
fn is_zip_file(source: &CodeSource) -> bool {
    matches!(source, CodeSource::Inline { path, .. } if path.last().map(String::as_str) == Some("ZipFile"))
}

/// A key for a new folder of function `logical_id` that no folder of the scenario uses yet.
fn new_folder_key(logical_id: &str, folders: &CodeFolders) -> String {
    let mut key = logical_id.to_string();
    let mut n = 2;
    while folders.contains_key(&key) {
        key = format!("{logical_id}-{n}");
        n += 1;
    }
    key
}

/// Writes `files` as the code of function `logical_id`: into the template for inline code that is still the one
/// file `index.js`, else into the scenario's folders (moving `InlineCode` to a new `CodeUri` folder first).
/// Returns whether the template changed, and a note on a move.
///
/// Errors: read-only code, or several files for an `AWS::Lambda::Function`'s `Code.ZipFile` (one file on AWS).
fn write_files(
    doc: &mut Document,
    logical_id: &str,
    folders: &mut CodeFolders,
    files: CodeFiles,
) -> Result<(bool, Option<String>), String> {
    match code_source(doc, logical_id) {
        CodeSource::Inline { path, .. } if files.len() == 1 && files.contains_key(INLINE_FILE) => {
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            let code = files.get(INLINE_FILE).cloned().unwrap_or_default();
            doc.set(&path, json!(code)).map_err(|e| e.to_string())?;
            Ok((true, None))
        }
        CodeSource::Inline { path, .. } if path.last().map(String::as_str) == Some("InlineCode") => {
            let key = new_folder_key(logical_id, folders);
            let properties = ["Resources", logical_id, "Properties"];
            let at = |name: &'static str| -> Vec<&str> { properties.iter().copied().chain([name]).collect() };
            doc.remove(&at("InlineCode")).map_err(|e| e.to_string())?;
            doc.set(&at("CodeUri"), json!(format!("{key}/"))).map_err(|e| e.to_string())?;
            folders.insert(key.clone(), files);
            Ok((
                true,
                Some(format!(
                    " InlineCode holds one file, so the code moved to CodeUri: {key}/ (its files are kept in the scenario)."
                )),
            ))
        }
        CodeSource::Inline { .. } => Err(format!(
            "Not saved: the Code.ZipFile of {logical_id} is one file ({INLINE_FILE}); several files need an AWS::Serverless::Function with a CodeUri folder."
        )),
        CodeSource::Folder { key } => {
            folders.insert(key, files);
            Ok((false, None))
        }
        CodeSource::ReadOnly(reason) => Err(reason),
    }
}

fn save_code(app: &mut App) {
    let Some(name) = function_name(app) else { return };
    if app.code.function != name {
        return;
    }
    let Some(files) = app.code.draft.clone() else { return };
    if let Some((path, e)) = code_files::first_error(&files) {
        app.code.error = Some(format!(
            "Not saved: syntax error at line {}, column {} of {path}: {}",
            e.line, e.column, e.message
        ));
        app.code.open = Some(path);
        return;
    }
    let mut moved = None;
    edit_function_and_code(
        app,
        |doc, id, folders| {
            let (changed, note) = write_files(doc, id, folders, files)?;
            moved = note;
            Ok(changed)
        },
        "Saved and deployed. Test runs the new code.",
    );
    if app.code.error.is_none() {
        app.code.draft = None;
        if let (Some(note), Some(notice)) = (moved, app.code.notice.as_mut()) {
            notice.push_str(&note);
        }
    }
}

/// Applies `action` to the template for the current function and redeploys.
fn edit_function(app: &mut App, action: impl FnOnce(&mut Document, &str) -> Result<(), String>, done: &str) {
    edit_function_and_code(app, |doc, id, _| action(doc, id).map(|()| true), done);
}

/// Applies `action` to the template and the scenario's code folders for the current function, and redeploys both
/// together; `action` says whether it changed the template (an unchanged template is not rewritten, so a YAML
/// template keeps its comments). On any error nothing is saved and the error is shown.
fn edit_function_and_code(
    app: &mut App,
    action: impl FnOnce(&mut Document, &str, &mut CodeFolders) -> Result<bool, String>,
    done: &str,
) {
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
    let mut folders = app.scenario.code.clone();
    let changed = match action(&mut doc, &id, &mut folders) {
        Ok(changed) => changed,
        Err(e) => {
            app.code.error = Some(e);
            return;
        }
    };
    let comments = if changed { doc.comment_lines() } else { 0 };
    let text = if changed {
        doc.to_text()
    } else {
        app.scenario.template.body.clone()
    };
    // A scenario larger than the playground reads back would be saved and then be unreadable: refuse it here.
    let mut candidate = app.scenario.clone();
    candidate.template.body.clone_from(&text);
    candidate.code = folders;
    let size = candidate.to_json().len();
    if size > crate::scenario::MAX_SCENARIO_BYTES {
        app.code.error = Some(format!(
            "Not saved: the scenario would be {size} bytes; the playground keeps at most {} bytes (1 MB).",
            crate::scenario::MAX_SCENARIO_BYTES
        ));
        return;
    }
    let folders = candidate.code;
    match app.apply_template_and_code(text, folders) {
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

/// The code section of `#/lambda/<name>`: the file bar and the editor of the open file, else `Err` with the reason
/// shown by the caller above the read-only view.
pub(super) fn code_view(app: &App, link: &Scope<App>, name: &str) -> Result<Html, String> {
    let (source, saved) = saved_files(app, name)?;
    let state = &app.code;
    let draft = state.draft.as_ref().filter(|_| state.function == name);
    let files = draft.cloned().unwrap_or_else(|| saved.clone());
    let handler = handler_of(app, name).unwrap_or_default();
    let open = open_file(app, name, &files);
    let help = match &source {
        CodeSource::Folder { key } => format!(
            "The files of the CodeUri folder {key} (kept in the scenario). Tab indents; press Escape, then Tab, to move on. Save checks every file, stores them and deploys."
        ),
        source if is_zip_file(source) => format!(
            "Inline code ({INLINE_FILE}). Tab indents; press Escape, then Tab, to move on. Save writes it into the template and deploys."
        ),
        _ => format!(
            "Inline code ({INLINE_FILE}). Tab indents; press Escape, then Tab, to move on. Save writes it into the template and deploys; add a file to move the code to a CodeUri folder."
        ),
    };
    let on_name = link.callback(|e: InputEvent| Msg::Code(CodeMsg::SetFileName(super::event_value(&e))));
    let on_add = link.callback(|e: SubmitEvent| {
        e.prevent_default();
        Msg::Code(CodeMsg::AddFile)
    });
    let file_bar = html! {
        <>
            <div class="code-files row" role="tablist" aria-label="Code files" id="code-files">
                { for files.keys().map(|path| {
                    let selected = open.as_deref() == Some(path.as_str());
                    let changed = draft.is_some() && saved.get(path) != files.get(path);
                    let mut label = path.clone();
                    if code_files::is_handler_file(path, &handler) {
                        label.push_str(" (handler)");
                    }
                    if changed {
                        label.push_str(" *");
                    }
                    let target = path.clone();
                    html! {
                        <button type="button" role="tab" class={ if selected { "file-tab selected" } else { "file-tab" } }
                            data-file={ path.clone() } aria-selected={ selected.to_string() }
                            onclick={ link.callback(move |_| Msg::Code(CodeMsg::OpenFile(target.clone()))) }>{ label }</button>
                    }
                }) }
            </div>
            <form class="row code-file-actions" aria-label="Files" onsubmit={ on_add }>
                <label for="code-file-name">{ "File name" }</label>
                <input id="code-file-name" placeholder="lib/util.mjs" spellcheck="false" autocomplete="off"
                    value={ state.file_name.clone() } oninput={ on_name } />
                <button id="code-file-add" type="submit">{ "Add file" }</button>
                <button id="code-file-rename" type="button" disabled={ open.is_none() }
                    onclick={ link.callback(|_| Msg::Code(CodeMsg::RenameFile)) }>{ "Rename open file" }</button>
                if let Some(path) = open.clone() {
                    <button id="code-file-delete" type="button"
                        onclick={ link.callback(move |_| Msg::Code(CodeMsg::DeleteFile(path.clone()))) }>{ "Delete open file" }</button>
                }
            </form>
            if let Some(e) = &state.file_error {
                <div id="code-file-error" class="error" role="alert">{ e.clone() }</div>
            }
        </>
    };
    let editor = match &open {
        Some(path) => file_editor(
            link,
            name,
            path,
            files.get(path).map(String::as_str).unwrap_or_default(),
            &files,
            state.tab_moves_focus,
        ),
        None => html! {
            <p id="code-no-files" class="notice">{ format!(
                "This folder has no files yet: add the handler's file ({}.mjs or {}.js) to run {name}.",
                handler.rsplit_once('.').map_or("index", |(m, _)| m),
                handler.rsplit_once('.').map_or("index", |(m, _)| m)
            ) }</p>
        },
    };
    Ok(html! {
        <div class="code-edit-wrap">
            <p class="muted" id="code-help">{ help }</p>
            { file_bar }
            { editor }
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

/// The editor of one file: line numbers (the error's line marked), the highlighted copy under a textarea, and the
/// file's located syntax error.
fn file_editor(link: &Scope<App>, name: &str, path: &str, code: &str, files: &CodeFiles, escaped: bool) -> Html {
    let syntax = code_files::check_file(path, code, files);
    let error_line = syntax.as_ref().map(|e| e.line).unwrap_or(0);
    let lines = code.split('\n').count().max(1);
    let columns = code.split('\n').map(|l| l.chars().count()).max().unwrap_or(0) + 2;
    let (function, file) = (name.to_string(), path.to_string());
    let oninput = {
        let (function, file) = (function.clone(), file.clone());
        link.callback(move |e: InputEvent| {
            Msg::Code(CodeMsg::Edit(function.clone(), file.clone(), super::event_value(&e)))
        })
    };
    let onkeydown = link.batch_callback(move |e: KeyboardEvent| {
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
                Some(Msg::Code(CodeMsg::Edit(function.clone(), file.clone(), area.value())))
            }
            _ => None,
        }
    });
    html! {
        <>
            <div class="code-editor js-editor">
                <pre class="gutter" aria-hidden="true">
                    { for (1..=lines).map(|n| html! {
                        <span class={ if n == error_line { "error-line" } else { "" } }>{ format!("{n}\n") }</span>
                    }) }
                </pre>
                <div class="code-stack">
                    <pre class="code-highlight" aria-hidden="true">
                        { for highlight(code).into_iter().map(|(class, text)| if class.is_empty() {
                            html! { { text } }
                        } else {
                            html! { <span class={ class }>{ text }</span> }
                        }) }
                        { "\n" }
                    </pre>
                    <textarea id="code-editor" class="code-input" aria-label={ format!("Code of {name}: {path}") }
                        aria-describedby="code-help" spellcheck="false" autocapitalize="off" autocomplete="off" wrap="off"
                        rows={ (lines + 1).to_string() } cols={ columns.to_string() }
                        value={ code.to_string() } {oninput} {onkeydown} />
                </div>
            </div>
            if let Some(e) = &syntax {
                <div id="code-syntax-error" class="error" role="status">
                    { format!("Syntax error at line {}, column {} of {path}: {}", e.line, e.column, e.message) }
                </div>
            }
        </>
    }
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
    fn inline_code_is_editable_and_code_uri_is_a_folder() {
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
        assert_eq!(code_source(&doc, "B"), CodeSource::Folder { key: "src".into() });
        assert!(matches!(code_source(&doc, "C"), CodeSource::Inline { code, .. } if code == "y"));
        assert!(matches!(code_source(&doc, "Z"), CodeSource::ReadOnly(_)));
    }

    #[test]
    fn folders_come_from_code_uri_globals_or_the_template_folder() {
        let doc = Document::parse(
            "Globals:\n  Function:\n    CodeUri: ./shared/\nResources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties: {}\n  B:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: s3://b/k.zip\n  C:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: ../up\n  D:\n    Type: AWS::Serverless::Function\n    Properties:\n      ImageUri: x\n",
        )
        .unwrap();
        assert_eq!(code_source(&doc, "A"), CodeSource::Folder { key: "shared".into() });
        assert!(matches!(code_source(&doc, "B"), CodeSource::ReadOnly(r) if r.contains("S3")));
        assert!(
            matches!(code_source(&doc, "C"), CodeSource::ReadOnly(r) if r.contains("leaves the template's folder"))
        );
        assert!(matches!(code_source(&doc, "D"), CodeSource::ReadOnly(r) if r.contains("image")));
        let bare =
            Document::parse("Resources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties: {}\n").unwrap();
        assert_eq!(code_source(&bare, "A"), CodeSource::Folder { key: ".".into() });
    }

    fn files(entries: &[(&str, &str)]) -> CodeFiles {
        entries.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
    }

    #[test]
    fn saving_one_index_js_stays_inline_and_several_files_move_to_a_folder() {
        let template = "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      InlineCode: x\n";
        let mut doc = Document::parse(template).unwrap();
        let mut folders = CodeFolders::new();
        let one = files(&[("index.js", "exports.handler = 1;")]);
        assert_eq!(write_files(&mut doc, "Fn", &mut folders, one), Ok((true, None)));
        assert_eq!(
            doc.get(&["Resources", "Fn", "Properties", "InlineCode"]),
            Some(&json!("exports.handler = 1;"))
        );
        assert!(folders.is_empty());

        // A folder named after the function already exists: the new one takes the next free key.
        folders.insert("Fn".into(), files(&[("other.js", "")]));
        let two = files(&[("index.js", "require('./data.json')"), ("data.json", "{}")]);
        let (changed, note) = write_files(&mut doc, "Fn", &mut folders, two.clone()).unwrap();
        assert!(changed);
        assert!(note.unwrap().contains("CodeUri: Fn-2/"));
        assert_eq!(doc.get(&["Resources", "Fn", "Properties", "InlineCode"]), None);
        assert_eq!(
            doc.get(&["Resources", "Fn", "Properties", "CodeUri"]),
            Some(&json!("Fn-2/"))
        );
        assert_eq!(folders.get("Fn-2"), Some(&two));

        // From then on the function is a folder: saving leaves the template alone.
        let three = files(&[("index.js", ""), ("a.json", "[]"), ("b.json", "1")]);
        assert_eq!(
            write_files(&mut doc, "Fn", &mut folders, three.clone()),
            Ok((false, None))
        );
        assert_eq!(folders.get("Fn-2"), Some(&three));
        assert_eq!(folders.get("Fn").map(CodeFiles::len), Some(1));
    }

    #[test]
    fn a_zip_file_stays_one_file() {
        let mut doc = Document::parse(
            "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code:\n        ZipFile: x\n",
        )
        .unwrap();
        let mut folders = CodeFolders::new();
        let two = files(&[("index.js", ""), ("b.js", "")]);
        let e = write_files(&mut doc, "Fn", &mut folders, two).unwrap_err();
        assert!(
            e.starts_with("Not saved: the Code.ZipFile of Fn is one file (index.js)"),
            "{e}"
        );
        assert_eq!(
            doc.get(&["Resources", "Fn", "Properties", "Code", "ZipFile"]),
            Some(&json!("x"))
        );
        assert!(folders.is_empty());
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
