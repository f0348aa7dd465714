//! JSON patterns: `{ <selector> <op> <value> }` joined by `&&` / `||`, grouped by parentheses (user guide "Filter
//! pattern syntax", "Using filter patterns to match terms in JSON log events"):
//!
//! - selectors `$.a.b`, `$.list[0]`, `$.list[*]` / `$.*` (any element: the comparison holds for one of them);
//! - strings with `=` / `!=`, quoted or bare, `*` a wildcard (`{ $.ip != 123.123.* }`);
//! - numbers with `=`, `!=`, `<`, `>`, `<=`, `>=` (`{ $.latency > 500 }`, `{ $.bytes = 1e3 }`);
//! - `{ $.x IS NULL }` (present and null), `{ $.x NOT EXISTS }` (absent), `{ $.x IS TRUE }` / `IS FALSE`.
//!
//! A message that is not JSON never matches. A message with text before its JSON object (Lambda's text format,
//! `<time>\t<request id>\tINFO\t{...}`) is read from its first `{`: the guide does not say how AWS treats such
//! prefixes; this reading keeps `{ $.level = "x" }` useful on text-format function logs. A string compared with a
//! number literal does not match (numeric comparisons apply to numbers).

use super::invalid;
use super::value::{compare_numbers, compare_text, glob, Literal, Op};
use crate::api::AwsError;
use serde_json::Value as Json;

/// The deepest nesting of parentheses accepted (a playground limit; no recursion on user input beyond it).
const MAX_DEPTH: usize = 32;

/// One step of a selector.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// `.name`
    Key(String),
    /// `[n]`
    Index(usize),
    /// `[*]` or `.*`
    Any,
}

/// A test on one selector.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// `<op> <literal>`
    Compare(Op, Literal),
    /// `IS NULL`
    IsNull,
    /// `NOT EXISTS`
    NotExists,
    /// `IS TRUE` / `IS FALSE`
    IsBool(bool),
}

/// A JSON pattern's expression.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonExpr {
    /// `a && b`
    And(Box<JsonExpr>, Box<JsonExpr>),
    /// `a || b`
    Or(Box<JsonExpr>, Box<JsonExpr>),
    /// A selector and its test.
    Condition(Vec<Step>, Test),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    And,
    Or,
    Op(Op),
    Quoted(String),
    Word(String),
}

fn lex(text: &str) -> Result<Vec<Token>, AwsError> {
    let mut tokens = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        let Some(c) = rest.chars().next() else {
            return Ok(tokens);
        };
        let (token, len) = match c {
            '(' => (Token::Open, 1),
            ')' => (Token::Close, 1),
            '&' if rest.starts_with("&&") => (Token::And, 2),
            '|' if rest.starts_with("||") => (Token::Or, 2),
            '"' => {
                let end = rest[1..].find('"').ok_or_else(invalid)?;
                (Token::Quoted(rest[1..1 + end].to_string()), end + 2)
            }
            '=' | '!' | '<' | '>' => {
                let (op, after) = Op::read(rest).ok_or_else(invalid)?;
                (Token::Op(op), rest.len() - after.len())
            }
            _ => {
                let end = rest
                    .find(|c: char| c.is_whitespace() || "()&|=!<>\"".contains(c))
                    .unwrap_or(rest.len());
                if end == 0 {
                    return Err(invalid());
                }
                (Token::Word(rest[..end].to_string()), end)
            }
        };
        tokens.push(token);
        rest = &rest[len..];
    }
}

/// Parses the text between the braces.
///
/// Errors: `InvalidParameterException: Invalid filter pattern` for anything outside the grammar above.
pub fn parse(inner: &str) -> Result<JsonExpr, AwsError> {
    let tokens = lex(inner)?;
    let mut parser = Parser { tokens, at: 0 };
    let expr = parser.or(0)?;
    if parser.at != parser.tokens.len() {
        return Err(invalid());
    }
    Ok(expr)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn or(&mut self, depth: usize) -> Result<JsonExpr, AwsError> {
        let mut left = self.and(depth)?;
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            left = JsonExpr::Or(Box::new(left), Box::new(self.and(depth)?));
        }
        Ok(left)
    }

    fn and(&mut self, depth: usize) -> Result<JsonExpr, AwsError> {
        let mut left = self.primary(depth)?;
        while self.peek() == Some(&Token::And) {
            self.at += 1;
            left = JsonExpr::And(Box::new(left), Box::new(self.primary(depth)?));
        }
        Ok(left)
    }

    fn primary(&mut self, depth: usize) -> Result<JsonExpr, AwsError> {
        match self.next() {
            Some(Token::Open) => {
                if depth >= MAX_DEPTH {
                    return Err(invalid());
                }
                let inner = self.or(depth + 1)?;
                match self.next() {
                    Some(Token::Close) => Ok(inner),
                    _ => Err(invalid()),
                }
            }
            Some(Token::Word(selector)) => {
                let steps = parse_selector(&selector)?;
                let test = self.test()?;
                Ok(JsonExpr::Condition(steps, test))
            }
            _ => Err(invalid()),
        }
    }

    fn test(&mut self) -> Result<Test, AwsError> {
        match self.next() {
            Some(Token::Op(op)) => {
                let literal = match self.next() {
                    Some(Token::Quoted(text)) => Literal::Text(text),
                    Some(Token::Word(word)) => Literal::bare(&word),
                    _ => return Err(invalid()),
                };
                if !literal.accepts(op) {
                    return Err(invalid());
                }
                Ok(Test::Compare(op, literal))
            }
            Some(Token::Word(w)) if w == "IS" => match self.next() {
                Some(Token::Word(w)) if w == "NULL" => Ok(Test::IsNull),
                Some(Token::Word(w)) if w == "TRUE" => Ok(Test::IsBool(true)),
                Some(Token::Word(w)) if w == "FALSE" => Ok(Test::IsBool(false)),
                _ => Err(invalid()),
            },
            Some(Token::Word(w)) if w == "NOT" => match self.next() {
                Some(Token::Word(w)) if w == "EXISTS" => Ok(Test::NotExists),
                _ => Err(invalid()),
            },
            _ => Err(invalid()),
        }
    }
}

/// `$.a.b[0][*].*` into steps.
fn parse_selector(text: &str) -> Result<Vec<Step>, AwsError> {
    let mut rest = text.strip_prefix('$').ok_or_else(invalid)?;
    let mut steps = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let key = &after[..end];
            if key.is_empty() {
                return Err(invalid());
            }
            steps.push(if key == "*" {
                Step::Any
            } else {
                Step::Key(key.to_string())
            });
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']').ok_or_else(invalid)?;
            let index = &after[..end];
            steps.push(if index == "*" {
                Step::Any
            } else {
                Step::Index(index.parse().map_err(|_| invalid())?)
            });
            rest = &after[end + 1..];
        } else {
            return Err(invalid());
        }
    }
    if steps.is_empty() {
        return Err(invalid());
    }
    Ok(steps)
}

/// The values a selector reaches in `root` (several when it has wildcards).
fn select<'a>(root: &'a Json, steps: &[Step]) -> Vec<&'a Json> {
    let mut current = vec![root];
    for step in steps {
        let mut next = Vec::new();
        for value in current {
            match (step, value) {
                (Step::Key(k), Json::Object(map)) => next.extend(map.get(k)),
                (Step::Index(i), Json::Array(items)) => next.extend(items.get(*i)),
                (Step::Any, Json::Array(items)) => next.extend(items.iter()),
                (Step::Any, Json::Object(map)) => next.extend(map.values()),
                _ => {}
            }
        }
        current = next;
    }
    current
}

fn test_value(value: &Json, test: &Test) -> bool {
    match (test, value) {
        (Test::IsNull, v) => v.is_null(),
        (Test::IsBool(b), Json::Bool(v)) => v == b,
        (Test::Compare(op, Literal::Number(n)), Json::Number(v)) => {
            v.as_f64().is_some_and(|v| compare_numbers(v, *op, *n))
        }
        (Test::Compare(op, literal @ Literal::Text(_)), Json::String(s)) => compare_text(s, *op, literal),
        (Test::Compare(op, Literal::Text(pattern)), Json::Number(v)) => {
            let text = v.to_string();
            match op {
                Op::Eq => glob(pattern, &text),
                Op::Ne => !glob(pattern, &text),
                _ => false,
            }
        }
        _ => false,
    }
}

fn eval(expr: &JsonExpr, root: &Json) -> bool {
    match expr {
        JsonExpr::And(a, b) => eval(a, root) && eval(b, root),
        JsonExpr::Or(a, b) => eval(a, root) || eval(b, root),
        JsonExpr::Condition(steps, Test::NotExists) => select(root, steps).is_empty(),
        JsonExpr::Condition(steps, test) => select(root, steps).into_iter().any(|v| test_value(v, test)),
    }
}

/// The JSON document of a message: the whole message, else the text from its first `{` (module docs).
pub fn document(message: &str) -> Option<Json> {
    if let Ok(json) = serde_json::from_str::<Json>(message) {
        return json.is_object().then_some(json);
    }
    let start = message.find('{')?;
    serde_json::from_str::<Json>(message.get(start..)?.trim_end())
        .ok()
        .filter(Json::is_object)
}

/// Whether `message` is JSON that satisfies `expr`.
pub fn matches(expr: &JsonExpr, message: &str) -> bool {
    document(message).is_some_and(|json| eval(expr, &json))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, message: &str) -> bool {
        matches(&parse(pattern).unwrap(), message)
    }

    const EVENT: &str = r#"{"eventType":"UpdateTrail","sourceIPAddress":"123.123.1.1","latency":750,"user":{"id":1,"email":"John.Doe@example.com"},"users":[{"id":2},{"id":3}],"gone":null,"ok":true}"#;

    #[test]
    fn strings_numbers_and_wildcards() {
        assert!(m(r#" $.eventType = "UpdateTrail" "#, EVENT));
        assert!(m(" $.eventType = Update* ", EVENT));
        assert!(!m(r#" $.eventType != "UpdateTrail" "#, EVENT));
        assert!(m(" $.sourceIPAddress != 123.124.* ", EVENT));
        assert!(m(" $.latency > 500 ", EVENT));
        assert!(!m(" $.latency < 500 ", EVENT));
        assert!(m(" $.latency >= 750 && $.latency <= 750 ", EVENT));
        assert!(m(" $.latency = 7.5e2 ", EVENT));
        assert!(m(" $.users[1].id = 3 ", EVENT));
        assert!(m(" $.users[*].id = 3 ", EVENT));
        assert!(!m(" $.users[*].id = 4 ", EVENT));
        assert!(m(
            r#" ($.user.id = 1) && ($.user.email = "John.Doe@example.com") "#,
            EVENT
        ));
        assert!(m(r#" $.user.id = 2 || $.eventType = "UpdateTrail" "#, EVENT));
    }

    #[test]
    fn null_existence_and_booleans() {
        assert!(m(" $.gone IS NULL ", EVENT));
        assert!(!m(" $.latency IS NULL ", EVENT));
        assert!(!m(" $.missing IS NULL ", EVENT));
        assert!(m(" $.missing NOT EXISTS ", EVENT));
        assert!(!m(" $.gone NOT EXISTS ", EVENT));
        assert!(m(" $.ok IS TRUE ", EVENT));
        assert!(!m(" $.ok IS FALSE ", EVENT));
    }

    #[test]
    fn text_before_the_object_and_non_json_messages() {
        assert!(m(
            r#" $.level = "warn" "#,
            "2026-01-01T00:00:00.000Z\tid\tINFO\t{\"level\":\"warn\"}"
        ));
        assert!(!m(" $.a = 1 ", "not json"));
    }

    #[test]
    fn malformed_patterns_are_refused() {
        for bad in [
            " $.a = ",
            " a = 1 ",
            r#" $.a > "x" "#,
            " $.a = 1 && ",
            " ($.a = 1 ",
            " $.a IS ",
            " $. = 1 ",
        ] {
            assert_eq!(parse(bad).unwrap_err().message, "Invalid filter pattern", "{bad}");
        }
        let deep = format!("{}$.a = 1{}", "(".repeat(40), ")".repeat(40));
        assert!(parse(&deep).is_err());
    }
}
