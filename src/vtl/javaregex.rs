//! Java regular expressions (`String.replaceAll`, `replaceFirst`, `matches`, `split`) on the `regex` crate.
//!
//! Java's `java.util.regex` and the `regex` crate share the common syntax (classes, quantifiers, groups, named
//! groups `(?<n>...)`, flags `(?i)`, escapes of punctuation such as `\'`). Where the dialects differ:
//! - not supported here, reported as "not simulated": look-ahead / look-behind, backreferences `\1`,
//!   possessive quantifiers `a*+`, atomic groups, and Java's `\p{javaLowerCase}` / POSIX `\p{Alpha}` classes;
//! - `.` and `\s`, `\w`, `\d` are Unicode-aware in the `regex` crate but ASCII-only in Java by default;
//! - matching is linear-time, so no pattern can hang the page (Java backtracks).
//!
//! Replacement strings follow `java.util.regex.Matcher.appendReplacement`: `$n` and `${name}` insert groups,
//! `\x` inserts `x` literally. `split` follows `String.split(regex, limit)`, Java 8+ (no leading empty string
//! for a zero-width match at the start; trailing empty strings removed when `limit` is 0).

use regex::{Captures, Regex, RegexBuilder};
use std::cell::RefCell;
use std::collections::HashMap;

/// Longest pattern accepted.
const MAX_PATTERN: usize = 4096;

thread_local! {
    static CACHE: RefCell<HashMap<String, Regex>> = RefCell::new(HashMap::new());
}

/// Compiles a Java pattern (cached per thread). Errors: a message naming the pattern.
pub fn compile(pattern: &str) -> Result<Regex, String> {
    if let Some(re) = CACHE.with(|c| c.borrow().get(pattern).cloned()) {
        return Ok(re);
    }
    if pattern.len() > MAX_PATTERN {
        return Err(format!("regular expression longer than {MAX_PATTERN} bytes"));
    }
    let re = RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 20)
        .build()
        .map_err(|e| describe(pattern, &e))?;
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= 64 {
            cache.clear();
        }
        cache.insert(pattern.to_string(), re.clone());
    });
    Ok(re)
}

/// An error message for a pattern the `regex` crate rejects.
fn describe(pattern: &str, err: &regex::Error) -> String {
    let unsupported = [
        "(?=",
        "(?!",
        "(?<=",
        "(?<!",
        "(?>",
        "*+",
        "++",
        "?+",
        "\\p{java",
        "\\p{Alpha",
        "\\p{Punct",
    ];
    let backref = pattern
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'\\' && w[1].is_ascii_digit() && w[1] != b'0');
    if backref || unsupported.iter().any(|u| pattern.contains(u)) {
        format!("not simulated: Java regex feature in \"{pattern}\" (look-around, backreferences, possessive quantifiers and Java character classes are not available)")
    } else {
        format!(
            "invalid regular expression \"{pattern}\": {}",
            err.to_string().lines().last().unwrap_or("")
        )
    }
}

/// `String.replaceAll(regex, replacement)` / `replaceFirst`.
pub fn replace(subject: &str, pattern: &str, replacement: &str, all: bool) -> Result<String, String> {
    let re = compile(pattern)?;
    check_replacement(&re, replacement)?;
    let mut out = String::with_capacity(subject.len());
    let mut last = 0;
    for caps in re.captures_iter(subject) {
        let Some(m) = caps.get(0) else { continue };
        out.push_str(subject.get(last..m.start()).unwrap_or_default());
        expand(&caps, replacement, &mut out);
        last = m.end();
        if !all {
            break;
        }
    }
    out.push_str(subject.get(last..).unwrap_or_default());
    Ok(out)
}

/// Java rejects a replacement that names a missing group or ends in a lone `\` or `$`.
fn check_replacement(re: &Regex, replacement: &str) -> Result<(), String> {
    let bytes = replacement.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' if i + 1 >= bytes.len() => return Err("character to be escaped is missing".into()),
            b'\\' => i += 2,
            b'$' => {
                let next = bytes.get(i + 1).copied();
                match next {
                    Some(d) if d.is_ascii_digit() => {
                        if usize::from(d - b'0') >= re.captures_len() {
                            return Err(format!("No group {}", char::from(d)));
                        }
                        i += 2;
                    }
                    Some(b'{') => {
                        let end = replacement.get(i + 2..).and_then(|r| r.find('}'));
                        let name = end.and_then(|e| replacement.get(i + 2..i + 2 + e)).unwrap_or("");
                        if end.is_none() || !re.capture_names().flatten().any(|n| n == name) {
                            return Err(format!("No group with name {{{name}}}"));
                        }
                        i += 3 + name.len();
                    }
                    _ => return Err("Illegal group reference".into()),
                }
            }
            _ => i += 1,
        }
    }
    Ok(())
}

/// Appends `replacement` with `$n` / `${name}` / `\x` expanded (Java `appendReplacement`). Java reads as many
/// digits after `$` as still name an existing group.
fn expand(caps: &Captures<'_>, replacement: &str, out: &mut String) {
    let mut chars = replacement.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, next)) = chars.next() {
                    out.push(next);
                }
            }
            '$' => {
                if replacement.get(i + 1..).is_some_and(|r| r.starts_with('{')) {
                    let rest = replacement.get(i + 2..).unwrap_or_default();
                    let name = rest.split('}').next().unwrap_or_default();
                    out.push_str(caps.name(name).map_or("", |m| m.as_str()));
                    for _ in 0..name.chars().count() + 2 {
                        chars.next();
                    }
                    continue;
                }
                let mut group = 0usize;
                while let Some(&(_, d)) = chars.peek() {
                    let Some(digit) = d.to_digit(10) else { break };
                    let candidate = group * 10 + digit as usize;
                    if group != 0 && candidate >= caps.len() {
                        break;
                    }
                    group = candidate;
                    chars.next();
                }
                out.push_str(caps.get(group).map_or("", |m| m.as_str()));
            }
            _ => out.push(c),
        }
    }
}

/// `String.matches(regex)`: the whole string must match.
pub fn matches(subject: &str, pattern: &str) -> Result<bool, String> {
    let anchored = format!("\\A(?:{pattern})\\z");
    Ok(compile(&anchored)?.is_match(subject))
}

/// `String.split(regex, limit)`.
pub fn split(subject: &str, pattern: &str, limit: i64) -> Result<Vec<String>, String> {
    if subject.is_empty() {
        return Ok(vec![String::new()]);
    }
    let re = compile(pattern)?;
    let mut parts = Vec::new();
    let mut last = 0;
    for m in re.find_iter(subject) {
        if limit > 0 && parts.len() as i64 >= limit - 1 {
            break;
        }
        if m.end() == 0 {
            continue;
        }
        parts.push(subject.get(last..m.start()).unwrap_or_default().to_string());
        last = m.end();
    }
    parts.push(subject.get(last..).unwrap_or_default().to_string());
    if limit == 0 {
        while parts.len() > 1 && parts.last().is_some_and(String::is_empty) {
            parts.pop();
        }
        if parts.len() == 1 && parts.first().is_some_and(String::is_empty) && !subject.is_empty() {
            // Java: "a".split("a") is an empty array.
            parts.clear();
        }
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_all_with_groups_and_escapes() {
        assert_eq!(replace("a1b22", "(\\d+)", "<$1>", true).unwrap(), "a<1>b<22>");
        assert_eq!(replace("it\\'s", "\\\\'", "'", true).unwrap(), "it's");
        assert_eq!(replace("a.b", "\\.", "\\$", true).unwrap(), "a$b");
        assert_eq!(replace("aaa", "a", "b", false).unwrap(), "baa");
        assert!(replace("a", "a", "$2", true).is_err());
    }

    #[test]
    fn split_like_java() {
        assert_eq!(split("a,b,,c,,", ",", 0).unwrap(), vec!["a", "b", "", "c"]);
        assert_eq!(split("a,b,c", ",", 2).unwrap(), vec!["a", "b,c"]);
        assert_eq!(split("abc", "", 0).unwrap(), vec!["a", "b", "c"]);
        assert_eq!(split("", ",", 0).unwrap(), vec![""]);
        assert!(split("a", "a", 0).unwrap().is_empty());
    }

    #[test]
    fn matches_whole_string_and_lookaround_is_loud() {
        assert!(matches("abc", "a.c").unwrap());
        assert!(!matches("abcd", "a.c").unwrap());
        assert!(matches("x", "(?=x)x").unwrap_err().starts_with("not simulated"));
    }
}
