//! Space-delimited patterns: `[ip, user, username, timestamp, request = "*html*", status_code = 4*, bytes > 1000]`
//! (user guide "Filter pattern syntax", "Using filter patterns to match terms with space-delimited log events").
//!
//! The message is cut into fields at spaces; text between double quotes or square brackets is one field (the
//! quotes and brackets are not part of its value). Each pattern field names the message field at its place; a
//! name may carry conditions on that field (`status_code = 4*`, `bytes > 1000`, `status_code = 404 ||
//! status_code = 410`, `&&` too); `...` stands for any number of fields. Without `...` the message must have as many
//! fields as the pattern. Conditions name their own field; a condition on another field is refused, as AWS refused
//! the user guide's former example `[..., status_code = 4* && bytes > 1000]` (awsdocs/amazon-cloudwatch-logs-user-guide#21).

use super::invalid;
use super::value::{compare_text, Literal, Op};
use crate::api::AwsError;

/// The most fields in a pattern (a playground limit: the pattern has at most 1024 characters anyway).
const MAX_FIELDS: usize = 256;

/// One condition on a field.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The operator.
    pub op: Op,
    /// The literal.
    pub literal: Literal,
}

/// One pattern field.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// `...`
    Ellipsis,
    /// A named field with its conditions in disjunctive form: one of the groups must hold entirely (`&&` binds
    /// tighter than `||`); no groups means any value.
    Named {
        /// The field's name.
        name: String,
        /// `||` of `&&` groups.
        any_of: Vec<Vec<Condition>>,
    },
}

/// A parsed space-delimited pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Delimited {
    /// The fields in order.
    pub fields: Vec<Field>,
}

/// Cuts `text` at top-level commas (commas inside double quotes stay).
fn split_commas(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Reads `<op> <literal>` at the start of `text` (after the field name).
fn condition(text: &str) -> Result<(Condition, &str), AwsError> {
    let (op, rest) = Op::read(text.trim_start()).ok_or_else(invalid)?;
    let rest = rest.trim_start();
    let (literal, rest) = if let Some(quoted) = rest.strip_prefix('"') {
        let end = quoted.find('"').ok_or_else(invalid)?;
        (Literal::Text(quoted[..end].to_string()), &quoted[end + 1..])
    } else {
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '&' || c == '|')
            .unwrap_or(rest.len());
        if end == 0 {
            return Err(invalid());
        }
        (Literal::bare(&rest[..end]), &rest[end..])
    };
    if !literal.accepts(op) {
        return Err(invalid());
    }
    Ok((Condition { op, literal }, rest))
}

fn field(text: &str) -> Result<Field, AwsError> {
    let text = text.trim();
    if text == "..." {
        return Ok(Field::Ellipsis);
    }
    let end = text.find(|c: char| !is_name_char(c)).unwrap_or(text.len());
    let name = &text[..end];
    if name.is_empty() {
        return Err(invalid());
    }
    let mut rest = &text[end..];
    let mut any_of: Vec<Vec<Condition>> = Vec::new();
    if rest.trim().is_empty() {
        return Ok(Field::Named {
            name: name.to_string(),
            any_of,
        });
    }
    let mut group = Vec::new();
    loop {
        let (cond, after) = condition(rest)?;
        group.push(cond);
        let after = after.trim_start();
        let (joiner, after) = if let Some(a) = after.strip_prefix("&&") {
            ("&&", a)
        } else if let Some(a) = after.strip_prefix("||") {
            ("||", a)
        } else if after.is_empty() {
            any_of.push(group);
            return Ok(Field::Named {
                name: name.to_string(),
                any_of,
            });
        } else {
            return Err(invalid());
        };
        if joiner == "||" {
            any_of.push(std::mem::take(&mut group));
        }
        let after = after.trim_start();
        // The next condition names its field again; only this field's name is accepted (module docs).
        rest = after
            .strip_prefix(name)
            .filter(|r| !r.starts_with(is_name_char))
            .ok_or_else(invalid)?;
    }
}

/// Parses the text between the brackets.
///
/// Errors: `InvalidParameterException: Invalid filter pattern` for anything outside the grammar of the module docs.
pub fn parse(inner: &str) -> Result<Delimited, AwsError> {
    let parts = split_commas(inner);
    if parts.len() > MAX_FIELDS {
        return Err(invalid());
    }
    let fields = parts.into_iter().map(field).collect::<Result<Vec<_>, _>>()?;
    Ok(Delimited { fields })
}

/// The fields of a message (module docs).
pub fn message_fields(message: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = message.trim_start_matches(' ');
    while !rest.is_empty() {
        let closing = match rest.as_bytes().first() {
            Some(b'"') => Some('"'),
            Some(b'[') => Some(']'),
            _ => None,
        };
        let (value, len) = match closing.and_then(|c| rest[1..].find(c).map(|end| (c, end))) {
            Some((_, end)) => (&rest[1..1 + end], end + 2),
            None => {
                let end = rest.find(' ').unwrap_or(rest.len());
                (&rest[..end], end)
            }
        };
        out.push(value);
        rest = rest[len..].trim_start_matches(' ');
    }
    out
}

fn field_matches(field: &Field, value: &str) -> bool {
    match field {
        Field::Ellipsis => true,
        Field::Named { any_of, .. } => {
            any_of.is_empty()
                || any_of
                    .iter()
                    .any(|group| group.iter().all(|c| compare_text(value, c.op, &c.literal)))
        }
    }
}

impl Delimited {
    /// Whether the message's fields line up with the pattern's (a table over pattern and message positions, so
    /// several `...` cost no backtracking).
    pub fn matches(&self, message: &str) -> bool {
        let values = message_fields(message);
        let t = values.len();
        // reach[j]: the first i pattern fields can consume exactly the first j message fields.
        let mut reach = vec![false; t + 1];
        reach[0] = true;
        for field in &self.fields {
            let mut next = vec![false; t + 1];
            match field {
                Field::Ellipsis => {
                    let mut seen = false;
                    for j in 0..=t {
                        seen |= reach[j];
                        next[j] = seen;
                    }
                }
                named => {
                    for j in 0..t {
                        if reach[j] && field_matches(named, values[j]) {
                            next[j + 1] = true;
                        }
                    }
                }
            }
            reach = next;
        }
        reach[t]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = r#"127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 404 1534"#;

    fn m(pattern: &str, message: &str) -> bool {
        parse(pattern).unwrap().matches(message)
    }

    #[test]
    fn messages_split_at_spaces_quotes_and_brackets() {
        assert_eq!(
            message_fields(LOG),
            [
                "127.0.0.1",
                "-",
                "frank",
                "10/Oct/2000:13:25:15 -0700",
                "GET /apache_pb.gif HTTP/1.0",
                "404",
                "1534"
            ]
        );
    }

    #[test]
    fn the_user_guides_examples() {
        assert!(m("ip, user, username, timestamp, request, status_code, bytes", LOG));
        assert!(
            !m("ip, user, username, timestamp, request, status_code", LOG),
            "one field short"
        );
        assert!(m(
            "ip, user, username, timestamp, request = \"*gif*\", status_code = 4*, bytes > 1000",
            LOG
        ));
        assert!(!m(
            "ip, user, username, timestamp, request, status_code = 5*, bytes",
            LOG
        ));
        assert!(m("ip, ..., status_code = 404 || status_code = 410, bytes", LOG));
        assert!(m("..., status_code != 200, bytes >= 1534 && bytes < 2000", LOG));
        assert!(!m("..., bytes < 1000", LOG));
        assert!(m("ip = 127.0.0.*, ..., bytes", LOG));
        assert!(m("...", LOG));
    }

    #[test]
    fn malformed_fields_are_refused() {
        for bad in [
            "a, = 1",
            "a = ",
            "a > \"x\"",
            "status_code = 4* && bytes > 1000",
            "a = 1 b",
        ] {
            assert_eq!(parse(bad).unwrap_err().message, "Invalid filter pattern", "{bad}");
        }
    }
}
