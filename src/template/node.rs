//! The template as a tree of located nodes, read from YAML or JSON.
//!
//! JSON is read by the same YAML parser (YAML 1.2 flow style is a superset of JSON), so both formats get the same
//! line and column numbers. Short-form intrinsic tags (`!Ref X`, `!GetAtt A.B`, `!Sub ...`) are rewritten to their
//! long form (`{"Ref": "X"}`, `{"Fn::GetAtt": ["A", "B"]}`) here, so nothing after this module knows about tags.
//!
//! Limits protect the page and the CLI from hostile input: CloudFormation accepts a template body of at most
//! 1 MB (the "CloudFormation quotas" page: "Template body size in an S3 object: 1 MB"); we refuse larger
//! texts, nesting deeper than [`MAX_DEPTH`], and YAML aliases, which CloudFormation does not support either
//! ("Template format" page: "CloudFormation doesn't support ... Aliases, Hash merges").

use super::error::{Located, Span};
use std::collections::HashSet;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// The largest template text accepted, in bytes (CloudFormation's quota for a template in S3).
pub const MAX_TEMPLATE_BYTES: usize = 1024 * 1024;
/// The deepest nesting of maps and lists accepted. Real templates stay under 20.
pub const MAX_DEPTH: usize = 100;

/// A value in the template with the position it starts at.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it starts in the file.
    pub span: Span,
}

/// A template value. Map entries keep their order and their keys' positions.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~` or an empty value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, kept as written (`1`, `0.5`, `1e3`) so nothing is lost before it is used.
    Number(String),
    /// A string.
    String(String),
    /// A sequence.
    List(Vec<Node>),
    /// A mapping, in file order.
    Map(Vec<(Key, Node)>),
}

/// A map key and its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key text.
    pub name: String,
    /// Where the key starts.
    pub span: Span,
}

impl Node {
    /// A node at `span`.
    pub fn new(value: Value, span: Span) -> Node {
        Node { value, span }
    }

    /// A string node at `span`.
    pub fn string(s: impl Into<String>, span: Span) -> Node {
        Node::new(Value::String(s.into()), span)
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The entries, if this is a map.
    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items, if this is a list.
    pub fn as_list(&self) -> Option<&[Node]> {
        match &self.value {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    /// The value under `key`, if this is a map that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?.iter().find(|(k, _)| k.name == key).map(|(_, v)| v)
    }

    /// The key and value under `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.value {
            Value::Map(entries) => entries.iter_mut().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// If this node is a one-key map whose key is an intrinsic function name (`Ref`, `Condition` or `Fn::*`),
    /// that name and its argument.
    pub fn as_intrinsic(&self) -> Option<(&str, &Node)> {
        match self.as_map()? {
            [(key, arg)] if key.name == "Ref" || key.name == "Condition" || key.name.starts_with("Fn::") => {
                Some((key.name.as_str(), arg))
            }
            _ => None,
        }
    }

    /// A short description of the node's kind for error messages (`a string`, `a list`, ...).
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::List(_) => "a list",
            Value::Map(_) => "a map",
        }
    }
    /// The node as plain JSON, intrinsic functions left as written (`{"Ref": "X"}`); numbers that JSON cannot
    /// hold stay strings.
    pub fn to_raw_json(&self) -> serde_json::Value {
        use serde_json::Value as Json;
        match &self.value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => serde_json::from_str(n).unwrap_or_else(|_| Json::String(n.clone())),
            Value::String(s) => Json::String(s.clone()),
            Value::List(items) => Json::Array(items.iter().map(Node::to_raw_json).collect()),
            Value::Map(entries) => {
                Json::Object(entries.iter().map(|(k, v)| (k.name.clone(), v.to_raw_json())).collect())
            }
        }
    }
}

/// Parses a template text (YAML or JSON) into a [`Node`] tree.
///
/// Errors: a text over [`MAX_TEMPLATE_BYTES`]; YAML syntax errors (with the parser's position); nesting over
/// [`MAX_DEPTH`]; aliases; unknown tags; duplicate keys; non-scalar keys; an empty document.
pub fn parse(text: &str) -> Result<Node, Located> {
    if text.len() > MAX_TEMPLATE_BYTES {
        return Err(Located::new(
            Span { line: 1, column: 1 },
            format!(
                "the template is {} bytes; the largest template CloudFormation accepts is {} bytes (1 MB)",
                text.len(),
                MAX_TEMPLATE_BYTES
            ),
        ));
    }
    // A UTF-8 byte-order mark (as some Windows editors write) is not part of the first key.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut builder = TreeBuilder::default();
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, true) {
        let m = e.marker();
        // CloudFormation answers "Template format error: YAML not well-formed. (line L, column C)"; we add the reason.
        return Err(Located::new(
            span_of(m),
            format!("Template format error: YAML not well-formed. {}", e.info()),
        ));
    }
    if let Some(err) = builder.error {
        return Err(err);
    }
    match builder.root {
        Some(root) if root.value != Value::Null => Ok(root),
        _ => Err(Located::new(Span { line: 1, column: 1 }, "the template is empty")),
    }
}

fn span_of(m: &Marker) -> Span {
    // yaml-rust2 counts lines from 1 and columns from 0.
    Span {
        line: m.line(),
        column: m.col() + 1,
    }
}

/// A container being filled while events arrive.
enum Open {
    List(Vec<Node>, Span, Option<String>),
    /// Entries, the key waiting for its value, position, tag, and the keys seen (for duplicates in O(1)).
    Map(Vec<(Key, Node)>, Option<Key>, Span, Option<String>, HashSet<String>),
}

/// Receives the parser's events and builds the tree with an explicit stack (no recursion, so depth is only
/// limited by [`MAX_DEPTH`]). After the first error it ignores the rest.
#[derive(Default)]
struct TreeBuilder {
    stack: Vec<Open>,
    root: Option<Node>,
    error: Option<Located>,
    documents: usize,
}

impl MarkedEventReceiver for TreeBuilder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        if let Err(e) = self.handle(event, span_of(&mark)) {
            self.error = Some(e);
        }
    }
}

impl TreeBuilder {
    fn handle(&mut self, event: Event, span: Span) -> Result<(), Located> {
        match event {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(Located::new(
                        span,
                        "a template holds one YAML document; found a second one",
                    ));
                }
                Ok(())
            }
            Event::Alias(_) => Err(Located::new(
                span,
                "YAML aliases (*name) are not supported: CloudFormation does not support them either",
            )),
            Event::Scalar(text, style, _, tag) => {
                let node = scalar(text, style, tag.as_ref(), span)?;
                self.push(node)
            }
            Event::SequenceStart(_, tag) => {
                self.open_depth(span)?;
                let tag = tag.map(|t| tag_name(&t, span)).transpose()?;
                self.stack.push(Open::List(Vec::new(), span, tag));
                Ok(())
            }
            Event::MappingStart(_, tag) => {
                self.open_depth(span)?;
                let tag = tag.map(|t| tag_name(&t, span)).transpose()?;
                self.stack.push(Open::Map(Vec::new(), None, span, tag, HashSet::new()));
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Open::List(items, span, tag)) => apply_tag(tag, Node::new(Value::List(items), span))?,
                    Some(Open::Map(entries, _, span, tag, _)) => apply_tag(tag, Node::new(Value::Map(entries), span))?,
                    None => return Ok(()),
                };
                self.push(node)
            }
            _ => Ok(()),
        }
    }

    fn open_depth(&self, span: Span) -> Result<(), Located> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(Located::new(
                span,
                format!("the template nests deeper than {MAX_DEPTH} levels; refusing to read it"),
            ));
        }
        Ok(())
    }

    /// Adds a finished node to the container on top of the stack (as a key or a value), or makes it the root.
    fn push(&mut self, node: Node) -> Result<(), Located> {
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                Ok(())
            }
            Some(Open::List(items, _, _)) => {
                items.push(node);
                Ok(())
            }
            Some(Open::Map(entries, pending, _, _, seen)) => match pending.take() {
                Some(key) => {
                    entries.push((key, node));
                    Ok(())
                }
                None => {
                    let name = match node.value {
                        Value::String(s) | Value::Number(s) => s,
                        Value::Bool(b) => b.to_string(),
                        Value::Null => String::new(),
                        _ => return Err(Located::new(node.span, "a map key must be a plain value")),
                    };
                    if !seen.insert(name.clone()) {
                        return Err(Located::new(node.span, format!("duplicate key \"{name}\" in this map")));
                    }
                    *pending = Some(Key { name, span: node.span });
                    Ok(())
                }
            },
        }
    }
}

/// The intrinsic function a short-form tag stands for, e.g. `!Sub` -> `Fn::Sub`. `None` for the standard
/// `!!str`-style tags, which are resolved on the scalar.
fn tag_name(tag: &Tag, span: Span) -> Result<String, Located> {
    if tag.handle == "!" {
        return match tag.suffix.as_str() {
            "Ref" | "Condition" => Ok(tag.suffix.clone()),
            "GetAtt" | "Sub" | "Join" | "Select" | "Split" | "If" | "Equals" | "And" | "Or" | "Not" | "FindInMap"
            | "Base64" | "GetAZs" | "ImportValue" | "Cidr" | "Transform" | "ToJsonString" | "Length" => {
                Ok(format!("Fn::{}", tag.suffix))
            }
            other => Err(Located::new(span, format!("unknown tag !{other}"))),
        };
    }
    Ok(format!("{}{}", tag.handle, tag.suffix))
}

/// Wraps a node in the long form of its short-form tag: `!Sub x` -> `{"Fn::Sub": x}`. `!GetAtt A.B.C` becomes
/// `{"Fn::GetAtt": ["A", "B.C"]}` (the attribute keeps its dots, e.g. `Endpoint.Address`).
fn apply_tag(tag: Option<String>, node: Node) -> Result<Node, Located> {
    let Some(name) = tag else { return Ok(node) };
    if name.starts_with("!!") || name.starts_with("tag:yaml.org,2002:") {
        return Ok(node);
    }
    let span = node.span;
    let arg = match (&name[..], &node.value) {
        ("Fn::GetAtt", Value::String(s)) => match s.split_once('.') {
            Some((res, attr)) => Node::new(
                Value::List(vec![Node::string(res, span), Node::string(attr, span)]),
                span,
            ),
            None => node,
        },
        _ => node,
    };
    let key = Key { name, span };
    Ok(Node::new(Value::Map(vec![(key, arg)]), span))
}

/// A scalar's value: quoted scalars are strings; plain ones follow the YAML core schema (null, booleans, numbers).
fn scalar(text: String, style: TScalarStyle, tag: Option<&Tag>, span: Span) -> Result<Node, Located> {
    let tag_name = tag.map(|t| tag_name(t, span)).transpose()?;
    let standard = tag
        .map(|t| t.handle == "!!" || t.handle.starts_with("tag:"))
        .unwrap_or(false);
    let value = if style != TScalarStyle::Plain || (standard && tag.is_some_and(|t| t.suffix == "str")) {
        Value::String(text)
    } else {
        plain_scalar(text)
    };
    apply_tag(tag_name, Node::new(value, span))
}

fn plain_scalar(text: String) -> Value {
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ if is_number(&text) => Value::Number(text),
        _ => Value::String(text),
    }
}

/// YAML 1.2 core-schema integers and floats (decimal only), which is also JSON's number syntax plus a leading `+`.
fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exponent) = match digits.find(['e', 'E']) {
        Some(i) => (&digits[..i], Some(&digits[i + 1..])),
        None => (digits, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok =
        all_digits(int) && frac.is_none_or(all_digits) && (!int.is_empty() || frac.is_some_and(|f| !f.is_empty()));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> Span {
        Span { line, column }
    }

    #[test]
    fn short_form_tags_become_long_form_intrinsics() {
        let root = parse("A: !Ref B\nC: !GetAtt D.Arn\nE: !Sub 'x-${F}'\nG: !Join [',', [a, b]]\n").unwrap();
        let (name, arg) = root.get("A").unwrap().as_intrinsic().unwrap();
        assert_eq!((name, arg.as_str()), ("Ref", Some("B")));
        let (name, arg) = root.get("C").unwrap().as_intrinsic().unwrap();
        assert_eq!(name, "Fn::GetAtt");
        let parts: Vec<_> = arg.as_list().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
        assert_eq!(parts, ["D", "Arn"]);
        assert_eq!(root.get("E").unwrap().as_intrinsic().unwrap().0, "Fn::Sub");
        let (name, arg) = root.get("G").unwrap().as_intrinsic().unwrap();
        assert_eq!(name, "Fn::Join");
        assert_eq!(arg.as_list().unwrap().len(), 2);
    }

    #[test]
    fn get_att_keeps_dots_after_the_first_in_the_attribute() {
        let root = parse("A: !GetAtt Db.Endpoint.Address").unwrap();
        let arg = root.get("A").unwrap().as_intrinsic().unwrap().1;
        let parts: Vec<_> = arg.as_list().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
        assert_eq!(parts, ["Db", "Endpoint.Address"]);
    }

    #[test]
    fn scalars_follow_the_core_schema_and_quotes_make_strings() {
        let root = parse("a: 200\nb: '200'\nc: true\nd: ~\ne: 1.5e3\nf: 0x1F\ng: \"true\"\nh: -7\n").unwrap();
        assert_eq!(root.get("a").unwrap().value, Value::Number("200".into()));
        assert_eq!(root.get("b").unwrap().value, Value::String("200".into()));
        assert_eq!(root.get("c").unwrap().value, Value::Bool(true));
        assert_eq!(root.get("d").unwrap().value, Value::Null);
        assert_eq!(root.get("e").unwrap().value, Value::Number("1.5e3".into()));
        assert_eq!(root.get("f").unwrap().value, Value::String("0x1F".into()));
        assert_eq!(root.get("g").unwrap().value, Value::String("true".into()));
        assert_eq!(root.get("h").unwrap().value, Value::Number("-7".into()));
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let root = parse("\u{FEFF}Resources: {}\n").unwrap();
        assert!(root.get("Resources").is_some());
    }

    #[test]
    fn json_is_read_with_positions() {
        let root = parse("{\n  \"Resources\": {\n    \"A\": {\"Type\": \"X\"}\n  }\n}").unwrap();
        let a = root.get("Resources").unwrap().get("A").unwrap();
        assert_eq!(a.get("Type").unwrap().as_str(), Some("X"));
        assert_eq!(a.span.line, 3);
    }

    #[test]
    fn positions_are_one_based() {
        let root = parse("Resources:\n  Fn:\n    Type: X\n").unwrap();
        let ty = root.get("Resources").unwrap().get("Fn").unwrap().get("Type").unwrap();
        assert_eq!(ty.span, at(3, 11));
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = parse("a: b\nc: [1, 2\n").unwrap_err();
        assert!(
            err.message.starts_with("Template format error: YAML not well-formed."),
            "{}",
            err.message
        );
        assert!(err.span.line >= 2, "{:?}", err.span);
    }

    #[test]
    fn hostile_inputs_are_refused_with_a_reason() {
        let deep = format!("a: {}{}", "[".repeat(200), "]".repeat(200));
        let err = parse(&deep).unwrap_err();
        assert!(err.message.contains("nests deeper than 100"), "{}", err.message);
        let deep_blocks: String = (0..150).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        let err = parse(&deep_blocks).unwrap_err();
        assert!(err.message.contains("nests deeper than 100"), "{}", err.message);
        // Deeper flow nesting is stopped by the YAML scanner itself, still as an error.
        let deeper = format!("a: {}{}", "[".repeat(5000), "]".repeat(5000));
        assert!(parse(&deeper).is_err());

        let huge = format!("a: '{}'", "x".repeat(MAX_TEMPLATE_BYTES));
        assert!(parse(&huge).unwrap_err().message.contains("largest template"));

        let aliases = "a: &x [1, 2]\nb: *x\n";
        let err = parse(aliases).unwrap_err();
        assert!(err.message.contains("aliases"), "{}", err.message);
        assert_eq!(err.span, at(2, 4));

        let err = parse("a: !Bogus x").unwrap_err();
        assert_eq!(err.message, "unknown tag !Bogus");

        let err = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.message, "duplicate key \"a\" in this map");
        assert_eq!(err.span, at(3, 1));

        assert_eq!(parse("").unwrap_err().message, "the template is empty");
        let many_keys: String = (0..50_000).map(|i| format!("k{i}: 1\n")).collect();
        assert_eq!(parse(&many_keys).unwrap().as_map().unwrap().len(), 50_000);
        assert!(parse("a: 1\n---\nb: 2\n").unwrap_err().message.contains("second"));
    }
}
