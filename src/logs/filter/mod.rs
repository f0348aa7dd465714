//! CloudWatch Logs filter patterns, as `FilterLogEvents` (and metric / subscription filters) read them.
//!
//! Source: "Filter pattern syntax for metric filters, subscription filters, filter log events, and Live Tail"
//! (CloudWatch Logs user guide, `FilterAndPatternSyntax.html`). A pattern is one of:
//!
//! - empty: every event matches;
//! - terms ([`terms`]): `ERROR`, `"exact phrase"`, `ERROR -Exiting` (exclusion), `?ERROR ?WARN` (OR);
//! - a JSON pattern ([`json`]): `{ $.level = "ERROR" && $.latency > 500 }`, `{ $.x IS NULL }`, `{ $.x NOT EXISTS }`;
//! - a space-delimited pattern ([`delimited`]): `[ip, user, ..., status_code = 4*, bytes > 1000]`;
//! - a regular expression between `%` signs: `%ERR(OR)?%` is refused, `%ERR[A-Z]*%` is accepted.
//!
//! Invalid patterns are `InvalidParameterException`s with the messages AWS gives, as seen in recorded answers:
//! `Invalid filter pattern` (aws-toolkit-jetbrains#3219, FilterLogEvents, 2022),
//! `Invalid filter pattern: Invalid character(s) in term '<term>'` (DefangLabs/defang#1008, FilterLogEvents, 2025)
//! and `If a filter pattern starts with '{' it must end with '}'` (jorgebastida/awslogs#210, FilterLogEvents).

pub mod delimited;
pub mod json;
pub mod terms;
pub mod value;

use crate::api::AwsError;

/// The longest pattern: 1024 characters (API reference `FilterLogEvents`, `filterPattern` length constraint).
pub const MAX_PATTERN_LENGTH: usize = 1024;

/// A parsed filter pattern.
#[derive(Debug, Clone)]
pub enum FilterPattern {
    /// The empty pattern: everything matches.
    All,
    /// Unstructured terms.
    Terms(terms::Terms),
    /// `{ ... }`.
    Json(json::JsonExpr),
    /// `[ ... ]`.
    Delimited(delimited::Delimited),
    /// `%regex%`.
    Regex(regex::Regex),
}

/// `InvalidParameterException: Invalid filter pattern` (module docs).
pub fn invalid() -> AwsError {
    AwsError::client("InvalidParameterException", "Invalid filter pattern")
}

/// `InvalidParameterException: Invalid filter pattern: Invalid character(s) in term '<term>'` (module docs).
pub fn invalid_term(term: &str) -> AwsError {
    AwsError::client(
        "InvalidParameterException",
        format!("Invalid filter pattern: Invalid character(s) in term '{term}'"),
    )
}

impl FilterPattern {
    /// Parses `pattern`.
    ///
    /// Errors: `InvalidParameterException` (module docs) for a pattern AWS refuses; a pattern longer than
    /// [`MAX_PATTERN_LENGTH`] gets the API's length validation message.
    pub fn parse(pattern: &str) -> Result<FilterPattern, AwsError> {
        if pattern.chars().count() > MAX_PATTERN_LENGTH {
            return Err(AwsError::client(
                "InvalidParameterException",
                format!(
                    "1 validation error detected: Value '{pattern}' at 'filterPattern' failed to satisfy constraint: Member must have length less than or equal to {MAX_PATTERN_LENGTH}"
                ),
            ));
        }
        let trimmed = pattern.trim();
        if trimmed.is_empty() {
            return Ok(FilterPattern::All);
        }
        if let Some(inner) = trimmed.strip_prefix('{') {
            let inner = inner.strip_suffix('}').ok_or_else(|| {
                AwsError::client(
                    "InvalidParameterException",
                    "If a filter pattern starts with '{' it must end with '}'",
                )
            })?;
            return json::parse(inner).map(FilterPattern::Json);
        }
        if let Some(inner) = trimmed.strip_prefix('[') {
            let inner = inner.strip_suffix(']').ok_or_else(invalid)?;
            return delimited::parse(inner).map(FilterPattern::Delimited);
        }
        if trimmed.len() >= 2 && trimmed.starts_with('%') && trimmed.ends_with('%') {
            return regex_pattern(&trimmed[1..trimmed.len() - 1]).map(FilterPattern::Regex);
        }
        terms::parse(trimmed).map(FilterPattern::Terms)
    }

    /// Whether the event `message` matches.
    pub fn matches(&self, message: &str) -> bool {
        match self {
            FilterPattern::All => true,
            FilterPattern::Terms(t) => t.matches(message),
            FilterPattern::Json(expr) => json::matches(expr, message),
            FilterPattern::Delimited(d) => d.matches(message),
            FilterPattern::Regex(re) => re.is_match(message),
        }
    }
}

/// A `%regex%` body: only the characters the user guide lists ("Supported regular expressions (regex) syntax":
/// letters, digits, `: _ # = @ / ; , -` (`:` appears in one revision of the list) and the operators
/// `^ $ ? [ ] { } | \ * + .`; no parentheses, no spaces, no multi-byte characters), compiled with the `regex` crate.
pub fn regex_pattern(body: &str) -> Result<regex::Regex, AwsError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || ":_#=@/;,-^$?[]{}|\\*+.".contains(c);
    if body.is_empty() || !body.chars().all(allowed) {
        return Err(invalid());
    }
    regex::RegexBuilder::new(body)
        .size_limit(1 << 20)
        .build()
        .map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pattern: &str) -> FilterPattern {
        FilterPattern::parse(pattern).unwrap()
    }

    #[test]
    fn the_empty_pattern_matches_everything() {
        assert!(p("").matches("anything"));
        assert!(p("   ").matches(""));
    }

    #[test]
    fn regex_patterns_match_and_parentheses_are_refused() {
        assert!(p("%AUTHORIZED%").matches("[SUCCESS 200] AUTHORIZED REQUEST"));
        assert!(p("%colou?r%").matches("the color"));
        assert!(!p("%^ERROR%").matches("an ERROR"));
        assert_eq!(
            FilterPattern::parse("%(a)%").unwrap_err().message,
            "Invalid filter pattern"
        );
        assert_eq!(
            FilterPattern::parse("%a!%").unwrap_err().message,
            "Invalid filter pattern"
        );
    }

    #[test]
    fn unbalanced_braces_get_awss_message() {
        let err = FilterPattern::parse("{ $.a = 1").unwrap_err();
        assert_eq!(err.code, "InvalidParameterException");
        assert_eq!(err.message, "If a filter pattern starts with '{' it must end with '}'");
        assert_eq!(
            FilterPattern::parse("[a, b").unwrap_err().message,
            "Invalid filter pattern"
        );
    }
}
