//! Unstructured patterns: terms and quoted phrases (user guide "Filter pattern syntax", "Matching terms in
//! unstructured log events"):
//!
//! - `ERROR` matches events containing `ERROR` (case sensitive); `ERROR ARGUMENTEXCEPTION` needs both;
//! - `"ERROR 400"` matches the exact phrase; terms with non-alphanumeric characters must be quoted;
//! - `ERROR -Exiting` matches events with `ERROR` and without `Exiting`;
//! - `?ERROR ?WARN` matches events with either.
//!
//! A term matches where its text appears in the message. Whether AWS also requires word boundaries is not
//! documented; the guide's wording ("messages contain the word") is read as containment. Mixing `?` terms with
//! plain ones is not documented either: the event must then contain every plain term and one of the `?` terms.
//! Which bare characters AWS accepts is not listed; letters, digits, `_` and `.` are accepted here (the guide's
//! "numeric values" such as `3.00`), anything else must be quoted, or is AWS's "Invalid character(s) in term".

use super::invalid_term;
use crate::api::AwsError;

/// The most terms in one pattern (a playground limit well above what the 1024-character pattern can hold).
const MAX_TERMS: usize = 512;

/// How a term takes part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Must appear.
    Required,
    /// `-term`: must not appear.
    Excluded,
    /// `?term`: one of these must appear.
    Any,
}

/// A parsed unstructured pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    /// The terms in pattern order: role and text.
    pub terms: Vec<(Role, String)>,
}

/// Parses space-separated terms.
///
/// Errors: an unterminated quote or a bare term with characters that need quoting (module docs).
pub fn parse(pattern: &str) -> Result<Terms, AwsError> {
    let mut terms = Vec::new();
    let mut rest = pattern.trim_start();
    while !rest.is_empty() {
        if terms.len() >= MAX_TERMS {
            return Err(super::invalid());
        }
        let (role, after) = match rest.as_bytes().first() {
            Some(b'-') => (Role::Excluded, &rest[1..]),
            Some(b'?') => (Role::Any, &rest[1..]),
            _ => (Role::Required, rest),
        };
        let (text, after) = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted.find('"').ok_or_else(super::invalid)?;
            let phrase = &quoted[..end];
            if phrase.is_empty() {
                return Err(invalid_term("\"\""));
            }
            (phrase.to_string(), &quoted[end + 1..])
        } else {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            let word = &after[..end];
            let bare_ok = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
            if word.is_empty() || !word.chars().all(bare_ok) {
                return Err(invalid_term(
                    &rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())],
                ));
            }
            (word.to_string(), &after[end..])
        };
        terms.push((role, text));
        rest = after.trim_start();
    }
    Ok(Terms { terms })
}

impl Terms {
    /// Whether `message` contains every required term, no excluded one, and one `?` term if there are any.
    pub fn matches(&self, message: &str) -> bool {
        let mut any_seen = false;
        let mut any_found = false;
        for (role, text) in &self.terms {
            let found = message.contains(text.as_str());
            match role {
                Role::Required if !found => return false,
                Role::Excluded if found => return false,
                Role::Any => {
                    any_seen = true;
                    any_found |= found;
                }
                _ => {}
            }
        }
        !any_seen || any_found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, message: &str) -> bool {
        parse(pattern).unwrap().matches(message)
    }

    #[test]
    fn the_user_guides_examples() {
        assert!(m("ERROR", "[ERROR 400] BAD REQUEST"));
        assert!(!m("ERROR", "[INFO] fine"));
        assert!(m("ERROR ARGUMENTEXCEPTION", "[ERROR 401] ARGUMENTEXCEPTION"));
        assert!(!m("ERROR ARGUMENTEXCEPTION", "[ERROR 401] UNAUTHORIZED"));
        assert!(m("\"INTERNAL SERVER ERROR\"", "[ERROR 500] INTERNAL SERVER ERROR"));
        assert!(!m("\"INTERNAL SERVER ERROR\"", "INTERNAL ERROR SERVER"));
        assert!(m("ERROR -ARGUMENTEXCEPTION", "[ERROR 400] BAD REQUEST"));
        assert!(!m("ERROR -ARGUMENTEXCEPTION", "[ERROR 401] ARGUMENTEXCEPTION"));
        assert!(m("?ERROR ?WARN", "[WARN] slow"));
        assert!(!m("?ERROR ?WARN", "[INFO] fine"));
        assert!(!m("error", "ERROR"), "case sensitive");
    }

    #[test]
    fn unquoted_special_characters_are_refused_with_awss_message() {
        let err = parse("user@example.com").unwrap_err();
        assert_eq!(
            err.message,
            "Invalid filter pattern: Invalid character(s) in term 'user@example.com'"
        );
        assert_eq!(
            parse("\"\"").unwrap_err().message,
            "Invalid filter pattern: Invalid character(s) in term '\"\"'"
        );
        assert_eq!(parse("\"open").unwrap_err().message, "Invalid filter pattern");
        assert!(parse("\"user@example.com\"").is_ok());
    }
}
