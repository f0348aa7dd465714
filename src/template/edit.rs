//! Edits of a template document given as text: what the console's actions write (add, replace or remove a
//! resource; set or remove a property at a path), keeping the file's format.
//!
//! A JSON template stays JSON (pretty-printed with two spaces, keys in file order). A YAML template is read into a
//! tree and written again in block style: keys keep their order, multi-line strings (inline code, mapping
//! templates) become literal blocks, and `Ref`, `Fn::GetAtt` and `Fn::Sub` with a scalar argument are written in
//! their short form (`!Ref Api`, `!GetAtt Api.RootResourceId`, `!Sub ...`), the form the course uses. YAML comments
//! cannot be kept by a re-emission: [`Document::comment_lines`] counts them so that the UI can say so.
//!
//! Nothing here panics on user input: a text that does not parse is an [`EditError`] with its line and column, a
//! path that runs into a scalar or a missing list index is an [`EditError`] naming the path.

use super::error::Span;
use super::node;
use serde_json::{Map, Value as Json};
use std::fmt;

/// The file format of a template text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A JSON object.
    Json,
    /// YAML (block style).
    Yaml,
}

/// Why an edit could not be made: a message, and the position in the original text when the text itself is at
/// fault (a syntax error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError {
    /// Where, in the original text, when known.
    pub span: Option<Span>,
    /// What is wrong.
    pub message: String,
}

impl EditError {
    fn new(message: impl Into<String>) -> EditError {
        EditError {
            span: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.span {
            Some(span) => write!(f, "line {}, column {}: {}", span.line, span.column, self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for EditError {}

/// A template read for editing: its format and its tree (intrinsic functions in long form, `{"Ref": "X"}`).
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The format the text was in (and will be written in).
    pub format: Format,
    /// The tree.
    pub root: Json,
    comment_lines: usize,
}

impl Document {
    /// Reads a template text. JSON when its first non-blank character is `{`, YAML otherwise.
    ///
    /// Errors: the template reader's syntax errors, with their line and column; a document that is not a map.
    pub fn parse(text: &str) -> Result<Document, EditError> {
        let root = node::parse(text).map_err(|e| EditError {
            span: Some(e.span),
            message: e.message,
        })?;
        let root = root.to_raw_json();
        if !root.is_object() {
            return Err(EditError {
                span: Some(Span { line: 1, column: 1 }),
                message: "the template is not a map of sections (Resources, Outputs, ...)".into(),
            });
        }
        let format = if text.trim_start_matches('\u{FEFF}').trim_start().starts_with('{') {
            Format::Json
        } else {
            Format::Yaml
        };
        let comment_lines = if format == Format::Yaml {
            count_comment_lines(text)
        } else {
            0
        };
        Ok(Document {
            format,
            root,
            comment_lines,
        })
    }

    /// How many lines of the original YAML text hold a comment (a re-emitted YAML text has none). A `#` inside a
    /// quoted string or a block scalar may be counted too: the count errs towards warning.
    pub fn comment_lines(&self) -> usize {
        self.comment_lines
    }

    /// The document as text, in its format.
    pub fn to_text(&self) -> String {
        match self.format {
            Format::Json => {
                let mut text = serde_json::to_string_pretty(&self.root).unwrap_or_else(|_| "{}".into());
                text.push('\n');
                text
            }
            Format::Yaml => to_yaml(&self.root),
        }
    }

    /// The value at `path` (map keys; list indexes as decimal numbers), if there is one.
    pub fn get(&self, path: &[&str]) -> Option<&Json> {
        let mut at = &self.root;
        for part in path {
            at = match at {
                Json::Object(map) => map.get(*part)?,
                Json::Array(items) => items.get(part.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(at)
    }

    /// Sets the value at `path`, creating the maps on the way that are missing (a list index must exist).
    ///
    /// Errors: an empty path; a part of the path that is a scalar; a list index that is not a number or not in the
    /// list.
    pub fn set(&mut self, path: &[&str], value: Json) -> Result<(), EditError> {
        let Some((last, parents)) = path.split_last() else {
            return Err(EditError::new("an edit needs a path"));
        };
        let parent = walk_creating(&mut self.root, parents)?;
        match parent {
            Json::Object(map) => {
                map.insert((*last).to_string(), value);
                Ok(())
            }
            Json::Array(items) => {
                let slot = last
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get_mut(i))
                    .ok_or_else(|| EditError::new(format!("{} has no item {last}", dotted(parents))))?;
                *slot = value;
                Ok(())
            }
            other => Err(not_a_container(parents, other)),
        }
    }

    /// Removes the value at `path` and returns it (`None` when there was nothing there).
    ///
    /// Errors: an empty path; a part of the path that is a scalar.
    pub fn remove(&mut self, path: &[&str]) -> Result<Option<Json>, EditError> {
        let Some((last, parents)) = path.split_last() else {
            return Err(EditError::new("an edit needs a path"));
        };
        let mut at = &mut self.root;
        for (depth, part) in parents.iter().enumerate() {
            at = match at {
                Json::Object(map) => match map.get_mut(*part) {
                    Some(next) => next,
                    None => return Ok(None),
                },
                Json::Array(items) => match part.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    Some(next) => next,
                    None => return Ok(None),
                },
                other => return Err(not_a_container(&parents[..depth], other)),
            };
        }
        match at {
            Json::Object(map) => Ok(map.shift_remove(*last)),
            Json::Array(items) => match last.parse::<usize>() {
                Ok(i) if i < items.len() => Ok(Some(items.remove(i))),
                _ => Ok(None),
            },
            other => Err(not_a_container(parents, other)),
        }
    }

    /// The resource `logical_id` (its `Type`, `Properties`, ...), if the template has it.
    pub fn resource(&self, logical_id: &str) -> Option<&Json> {
        self.get(&["Resources", logical_id])
    }

    /// Adds resource `logical_id` of `resource_type` with `properties` (a map; omitted when empty).
    ///
    /// Errors: a resource of that logical id exists already (CloudFormation's logical ids are unique);
    /// `Resources` is not a map.
    pub fn add_resource(&mut self, logical_id: &str, resource_type: &str, properties: Json) -> Result<(), EditError> {
        if self.resource(logical_id).is_some() {
            return Err(EditError::new(format!(
                "the template already has a resource {logical_id}"
            )));
        }
        self.put_resource(logical_id, resource(resource_type, properties))
    }

    /// Adds or replaces resource `logical_id` with `definition` (a map with `Type` and usually `Properties`). A
    /// replaced resource keeps its place in the file.
    ///
    /// Errors: `Resources` is not a map.
    pub fn put_resource(&mut self, logical_id: &str, definition: Json) -> Result<(), EditError> {
        self.set(&["Resources", logical_id], definition)
    }

    /// Removes resource `logical_id`, and its name from every other resource's `DependsOn`.
    ///
    /// Errors: the template has no such resource.
    pub fn remove_resource(&mut self, logical_id: &str) -> Result<Json, EditError> {
        let removed = self
            .remove(&["Resources", logical_id])?
            .ok_or_else(|| EditError::new(format!("the template has no resource {logical_id}")))?;
        if let Some(Json::Object(resources)) = self.root.get_mut("Resources") {
            for (_, definition) in resources.iter_mut() {
                drop_dependency(definition, logical_id);
            }
        }
        Ok(removed)
    }

    /// The logical ids of the resources, in file order.
    pub fn resource_ids(&self) -> Vec<String> {
        match self.root.get("Resources") {
            Some(Json::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    /// A logical id made of `base`'s letters and digits (CloudFormation allows only those, starting with a
    /// letter, at most 255 characters), with a number appended when the template already uses it.
    pub fn unique_logical_id(&self, base: &str) -> String {
        let mut stem = logical_id_stem(base);
        stem.truncate(240);
        if self.resource(&stem).is_none() {
            return stem;
        }
        (2..)
            .map(|n| format!("{stem}{n}"))
            .find(|id| self.resource(id).is_none())
            .unwrap_or(stem)
    }
}

/// A resource definition: `{"Type": .., "Properties": ..}` (no `Properties` when they are an empty map).
pub fn resource(resource_type: &str, properties: Json) -> Json {
    let mut map = Map::new();
    map.insert("Type".into(), Json::String(resource_type.to_string()));
    if !matches!(&properties, Json::Object(p) if p.is_empty()) {
        map.insert("Properties".into(), properties);
    }
    Json::Object(map)
}

/// `base`'s ASCII letters and digits, each word capitalised (`my-api` gives `MyApi`, `{proxy+}` gives `Proxy`),
/// starting with a letter (`Resource` when there is none).
pub fn logical_id_stem(base: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in base.chars() {
        if c.is_ascii_alphanumeric() {
            if out.is_empty() && c.is_ascii_digit() {
                out.push('R');
            }
            out.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = false;
        } else {
            upper = true;
        }
    }
    if out.is_empty() {
        "Resource".into()
    } else {
        out
    }
}

fn drop_dependency(definition: &mut Json, logical_id: &str) {
    let Json::Object(map) = definition else { return };
    let empty = match map.get_mut("DependsOn") {
        Some(Json::String(s)) => s == logical_id,
        Some(Json::Array(items)) => {
            items.retain(|i| i.as_str() != Some(logical_id));
            items.is_empty()
        }
        _ => false,
    };
    if empty {
        map.shift_remove("DependsOn");
    }
}

fn dotted(path: &[&str]) -> String {
    if path.is_empty() {
        "the template".into()
    } else {
        path.join(".")
    }
}

fn not_a_container(path: &[&str], value: &Json) -> EditError {
    let kind = match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "a map",
    };
    EditError::new(format!("{} is {kind}, not a map or a list", dotted(path)))
}

fn walk_creating<'a>(root: &'a mut Json, path: &[&str]) -> Result<&'a mut Json, EditError> {
    let mut at = root;
    for (depth, part) in path.iter().enumerate() {
        if at.is_null() {
            *at = Json::Object(Map::new());
        }
        at = match at {
            Json::Object(map) => map
                .entry((*part).to_string())
                .or_insert_with(|| Json::Object(Map::new())),
            Json::Array(items) => {
                let len = items.len();
                part.parse::<usize>()
                    .ok()
                    .and_then(|i| items.get_mut(i))
                    .ok_or_else(|| {
                        EditError::new(format!("{} has {len} items, no item {part}", dotted(&path[..depth])))
                    })?
            }
            other => return Err(not_a_container(&path[..depth], other)),
        };
    }
    Ok(at)
}

/// Counts the lines holding a `#` that starts a comment: at the start of the line's content, or after a space.
fn count_comment_lines(text: &str) -> usize {
    text.lines()
        .filter(|line| {
            let content = line.trim_start();
            content.starts_with('#') || content.contains(" #") || content.contains("\t#")
        })
        .count()
}

// ---------------------------------------------------------------------------------------------------------------
// The YAML writer
// ---------------------------------------------------------------------------------------------------------------

/// The largest nesting written; deeper values (which the reader refuses anyway) are written as JSON flow.
const MAX_WRITE_DEPTH: usize = node::MAX_DEPTH + 2;

/// `value` as a block-style YAML document (a map at the top).
pub fn to_yaml(value: &Json) -> String {
    let mut out = String::new();
    match value {
        Json::Object(map) if !map.is_empty() => write_map(map, 0, false, 0, &mut out),
        other => {
            out.push_str(&inline_scalar(other));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Writes the entries at column `col`; the first entry's key is already positioned when `first_inline`.
fn write_map(map: &Map<String, Json>, col: usize, first_inline: bool, depth: usize, out: &mut String) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 || !first_inline {
            indent(out, col);
        }
        out.push_str(&scalar_string(key));
        out.push(':');
        write_value_after_key(value, col, depth, out);
    }
}

/// Writes a value that follows `key:` (or `-`) on the current line, nested content at `col + 2`.
fn write_value_after_key(value: &Json, col: usize, depth: usize, out: &mut String) {
    if depth >= MAX_WRITE_DEPTH {
        out.push(' ');
        out.push_str(&serde_json::to_string(value).unwrap_or_default());
        out.push('\n');
        return;
    }
    if let Some((tag, argument)) = short_form(value) {
        out.push(' ');
        out.push_str(tag);
        write_string_after(&argument, col, out);
        return;
    }
    match value {
        Json::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_map(map, col + 2, false, depth + 1, out);
        }
        Json::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_list(items, col + 2, depth + 1, out);
        }
        Json::String(s) => write_string_after(s, col, out),
        other => {
            out.push(' ');
            out.push_str(&inline_scalar(other));
            out.push('\n');
        }
    }
}

fn write_list(items: &[Json], col: usize, depth: usize, out: &mut String) {
    for item in items {
        indent(out, col);
        out.push('-');
        match item {
            Json::Object(map) if !map.is_empty() && short_form(item).is_none() && depth < MAX_WRITE_DEPTH => {
                out.push(' ');
                write_map(map, col + 2, true, depth + 1, out);
            }
            _ => write_value_after_key(item, col, depth, out),
        }
    }
}

/// Writes a string after `key:` or a tag: a literal block for multi-line text, else a scalar on the line.
fn write_string_after(s: &str, col: usize, out: &mut String) {
    if let Some(block) = literal_block(s, col + 2) {
        out.push(' ');
        out.push_str(&block);
    } else {
        out.push(' ');
        out.push_str(&scalar_string(s));
        out.push('\n');
    }
}

/// `Ref`, `Fn::GetAtt` and `Fn::Sub` with a scalar argument, as a short-form tag and its text.
fn short_form(value: &Json) -> Option<(&'static str, String)> {
    let Json::Object(map) = value else { return None };
    if map.len() != 1 {
        return None;
    }
    let (key, argument) = map.iter().next()?;
    match (key.as_str(), argument) {
        ("Ref", Json::String(s)) => Some(("!Ref", s.clone())),
        ("Fn::Sub", Json::String(s)) => Some(("!Sub", s.clone())),
        ("Fn::GetAtt", Json::Array(parts)) => match parts.as_slice() {
            // `!GetAtt A.B` splits at the first dot, so the logical id must have none.
            [Json::String(id), Json::String(attribute)] if !id.contains('.') => {
                Some(("!GetAtt", format!("{id}.{attribute}")))
            }
            _ => None,
        },
        _ => None,
    }
}

/// A literal block (`|`, `|-` or `|+` and the lines at `col`), for strings with a line break that a block holds
/// exactly; `None` for the others (they are written double-quoted).
fn literal_block(s: &str, col: usize) -> Option<String> {
    if !s.contains('\n') || s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return None;
    }
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    // Leading spaces on the first line would set the block's indentation; blank lines made of spaces would lose
    // them; a body that is empty is better quoted.
    if body.is_empty()
        || body.starts_with(' ')
        || body.starts_with('\t')
        || body.split('\n').any(|l| !l.is_empty() && l.trim().is_empty())
    {
        return None;
    }
    let chomp = match trailing {
        0 => "|-",
        1 => "|",
        _ => "|+",
    };
    let mut out = format!("{chomp}\n");
    for line in body.split('\n') {
        if !line.is_empty() {
            out.extend(std::iter::repeat_n(' ', col));
            out.push_str(line);
        }
        out.push('\n');
    }
    // `|+` keeps the extra line breaks: one is already written after the last line.
    for _ in 1..trailing {
        out.push('\n');
    }
    Some(out)
}

fn inline_scalar(value: &Json) -> String {
    match value {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        Json::String(s) => scalar_string(s),
        Json::Object(map) if map.is_empty() => "{}".into(),
        Json::Array(items) if items.is_empty() => "[]".into(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// A string as a plain scalar when YAML reads it back as the same string, else single-quoted, else (control
/// characters, line breaks) double-quoted with JSON's escapes, which YAML shares.
fn scalar_string(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_string()
    } else if !s.chars().any(char::is_control) {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "''".into())
    }
}

fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if "-?:,[]{}#&*!|>'\"%@`<=~.+0123456789 \t".contains(first) {
        return false;
    }
    if s.ends_with([' ', '\t', ':']) || s.contains(": ") || s.contains(" #") || s.contains(":\t") {
        return false;
    }
    if s.chars().any(|c| c.is_control() || c == '\u{FEFF}') {
        return false;
    }
    // Words YAML 1.1 readers take for booleans or null.
    let lower = s.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "nan" | "inf"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip(doc: &Document) -> Json {
        Document::parse(&doc.to_text())
            .expect("the written text reads back")
            .root
    }

    #[test]
    fn adding_a_resource_to_yaml_writes_short_forms_and_reads_back() {
        let mut doc = Document::parse(
            "Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Name: hello-world\n",
        )
        .unwrap();
        doc.add_resource(
            "Message",
            "AWS::ApiGateway::Resource",
            json!({"RestApiId": {"Ref": "Api"}, "ParentId": {"Fn::GetAtt": ["Api", "RootResourceId"]}, "PathPart": "message"}),
        )
        .unwrap();
        assert_eq!(
            doc.to_text(),
            "Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Name: hello-world\n  \
             Message:\n    Type: AWS::ApiGateway::Resource\n    Properties:\n      RestApiId: !Ref Api\n      \
             ParentId: !GetAtt Api.RootResourceId\n      PathPart: message\n"
        );
        assert_eq!(round_trip(&doc), doc.root);
    }

    #[test]
    fn lists_of_maps_and_quoted_strings_are_written_as_the_course_writes_them() {
        let mut doc = Document::parse("Resources: {}").unwrap();
        doc.add_resource(
            "Get",
            "AWS::ApiGateway::Method",
            json!({"HttpMethod": "GET", "Integration": {"Type": "MOCK",
                "RequestTemplates": {"application/json": "{\"statusCode\": 200}"},
                "IntegrationResponses": [{"StatusCode": "200", "ResponseTemplates": {"application/json": "{\"message\": \"Hello World!\"}"}}]},
                "MethodResponses": [{"StatusCode": "200"}]}),
        )
        .unwrap();
        let text = doc.to_text();
        assert!(
            text.contains("        RequestTemplates:\n          application/json: '{\"statusCode\": 200}'\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "        IntegrationResponses:\n          - StatusCode: '200'\n            ResponseTemplates:\n"
            ),
            "{text}"
        );
        assert_eq!(round_trip(&doc), doc.root);
    }

    #[test]
    fn multi_line_code_becomes_a_literal_block_that_reads_back_exactly() {
        let mut doc = Document::parse("Resources:\n  F:\n    Type: AWS::Serverless::Function\n").unwrap();
        for code in [
            "exports.handler = async () => {\n  return 1;\n};\n",
            "a\n\n  b",
            "x\n\n\n",
            "  leading spaces\nx",
            "tab\tinside\n\tindented\n",
            "carriage\r\nreturn",
        ] {
            doc.set(&["Resources", "F", "Properties", "InlineCode"], json!(code))
                .unwrap();
            assert_eq!(
                round_trip(&doc)["Resources"]["F"]["Properties"]["InlineCode"],
                json!(code),
                "{}",
                doc.to_text()
            );
        }
        doc.set(&["Resources", "F", "Properties", "InlineCode"], json!("a\nb\n"))
            .unwrap();
        assert!(
            doc.to_text().ends_with("      InlineCode: |\n        a\n        b\n"),
            "{}",
            doc.to_text()
        );
    }

    #[test]
    fn strings_that_look_like_other_scalars_are_quoted() {
        let mut doc = Document::parse("Resources: {}").unwrap();
        let tricky = [
            "200",
            "true",
            "No",
            "null",
            "~",
            "",
            " x",
            "x ",
            "a: b",
            "a #b",
            "#x",
            "{proxy+}",
            "- x",
            "it's",
            "-1",
            ".5",
            "*",
            "!Ref",
            "@x",
            "%x",
            "a\u{1}b",
            "é ünïcode",
            "2015-03-31",
            "x:",
        ];
        for (i, s) in tricky.iter().enumerate() {
            doc.set(&["Resources", &format!("R{i}")], json!(s)).unwrap();
        }
        assert_eq!(round_trip(&doc), doc.root, "{}", doc.to_text());
    }

    #[test]
    fn json_stays_json() {
        let mut doc = Document::parse("{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\"}}}").unwrap();
        assert_eq!(doc.format, Format::Json);
        doc.set(&["Resources", "A", "Properties", "TopicName"], json!("t"))
            .unwrap();
        assert_eq!(
            doc.to_text(),
            "{\n  \"Resources\": {\n    \"A\": {\n      \"Type\": \"AWS::SNS::Topic\",\n      \"Properties\": {\n        \"TopicName\": \"t\"\n      }\n    }\n  }\n}\n"
        );
    }

    #[test]
    fn removing_a_resource_drops_it_from_depends_on() {
        let mut doc = Document::parse(
            "Resources:\n  A: {Type: X}\n  B: {Type: X}\n  D:\n    Type: X\n    DependsOn: [A, B]\n  E:\n    Type: X\n    DependsOn: A\n",
        )
        .unwrap();
        doc.remove_resource("A").unwrap();
        assert_eq!(doc.resource_ids(), ["B", "D", "E"]);
        assert_eq!(doc.get(&["Resources", "D", "DependsOn"]), Some(&json!(["B"])));
        assert_eq!(doc.get(&["Resources", "E", "DependsOn"]), None);
        assert_eq!(
            doc.remove_resource("A").unwrap_err().to_string(),
            "the template has no resource A"
        );
    }

    #[test]
    fn bad_paths_and_texts_are_errors_not_panics() {
        let mut doc = Document::parse("Resources:\n  A: text\n  L: [1]\n").unwrap();
        assert_eq!(
            doc.set(&["Resources", "A", "Properties"], json!(1))
                .unwrap_err()
                .to_string(),
            "Resources.A is a string, not a map or a list"
        );
        assert_eq!(
            doc.set(&["Resources", "L", "3"], json!(1)).unwrap_err().to_string(),
            "Resources.L has no item 3"
        );
        assert_eq!(doc.set(&[], json!(1)).unwrap_err().to_string(), "an edit needs a path");
        assert_eq!(
            doc.remove(&["Resources", "A", "x"]).unwrap_err().to_string(),
            "Resources.A is a string, not a map or a list"
        );
        assert_eq!(doc.remove(&["Nothing", "here"]).unwrap(), None);
        doc.set(&["Resources", "L", "0"], json!(2)).unwrap();
        assert_eq!(doc.get(&["Resources", "L", "0"]), Some(&json!(2)));
        let error = Document::parse("Resources:\n  A: [\n").unwrap_err();
        assert_eq!(error.span.map(|s| s.line), Some(3));
        assert!(Document::parse("- a list").unwrap_err().message.contains("not a map"));
        assert_eq!(
            doc.add_resource("A", "X", json!({})).unwrap_err().to_string(),
            "the template already has a resource A"
        );
    }

    #[test]
    fn logical_ids_are_alphanumeric_and_unique() {
        let doc = Document::parse("Resources:\n  Message: {Type: X}\n  Message2: {Type: X}\n").unwrap();
        assert_eq!(doc.unique_logical_id("message"), "Message3");
        assert_eq!(doc.unique_logical_id("{proxy+}"), "Proxy");
        assert_eq!(doc.unique_logical_id("my-api GET"), "MyApiGET");
        assert_eq!(doc.unique_logical_id("9lives"), "R9lives");
        assert_eq!(doc.unique_logical_id("/"), "Resource");
    }

    #[test]
    fn comments_are_counted_so_the_ui_can_say_they_are_lost() {
        let doc = Document::parse("# a template\nResources: # the resources\n  A: {Type: X}\n").unwrap();
        assert_eq!(doc.comment_lines(), 2);
        assert_eq!(Document::parse("Resources: {}").unwrap().comment_lines(), 0);
    }

    #[test]
    fn deep_values_are_written_without_recursing_forever() {
        let mut deep = json!("leaf");
        for _ in 0..150 {
            deep = json!({ "k": deep });
        }
        let doc = Document {
            format: Format::Yaml,
            root: json!({ "Resources": deep }),
            comment_lines: 0,
        };
        let text = doc.to_text();
        assert!(text.contains("\"leaf\""), "deep values end as JSON flow");
    }
}
