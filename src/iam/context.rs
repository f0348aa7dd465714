//! The request context: the condition keys a request carries (`aws:SourceArn`, `aws:CurrentTime`,
//! `dynamodb:LeadingKeys`, ...) and the policy variables (`${aws:PrincipalAccount}`) that read them.
//!
//! Source: IAM user guide, "AWS global condition context keys" (which keys exist and when they are present) and
//! "IAM policy elements: Variables and tags" (the `${key}` and `${key, 'default'}` syntax and the `${*}`, `${?}`,
//! `${$}` escapes). Key names are case-insensitive ("Condition element": "Condition key names are not
//! case-sensitive"), so they are stored lowercased.

use std::collections::BTreeMap;

/// The value of one context key: a single value, or a set (multivalued keys such as `aws:TagKeys` or
/// `dynamodb:Attributes`), always as the strings IAM compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValue {
    /// A single-valued key.
    Single(String),
    /// A multivalued key (a set; order kept as given).
    Multi(Vec<String>),
}

impl ContextValue {
    /// The values as a list (one element for a single-valued key).
    pub fn values(&self) -> Vec<&str> {
        match self {
            ContextValue::Single(v) => vec![v.as_str()],
            ContextValue::Multi(vs) => vs.iter().map(String::as_str).collect(),
        }
    }
}

/// The condition keys of one request, looked up case-insensitively.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    keys: BTreeMap<String, ContextValue>,
}

impl RequestContext {
    /// An empty context: every key is absent.
    pub fn new() -> RequestContext {
        RequestContext::default()
    }

    /// Sets the single-valued `key` (e.g. `aws:SourceArn`) to `value`, replacing any earlier value.
    pub fn set(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.keys
            .insert(key.to_ascii_lowercase(), ContextValue::Single(value.into()));
        self
    }

    /// Sets the multivalued `key` (e.g. `dynamodb:Attributes`) to `values`.
    pub fn set_values(&mut self, key: &str, values: Vec<String>) -> &mut Self {
        self.keys.insert(key.to_ascii_lowercase(), ContextValue::Multi(values));
        self
    }

    /// The builder form of [`RequestContext::set`].
    pub fn with(mut self, key: &str, value: impl Into<String>) -> RequestContext {
        self.set(key, value);
        self
    }

    /// The value of `key`, if the request has it.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.keys.get(&key.to_ascii_lowercase())
    }

    /// Removes `key`.
    pub fn remove(&mut self, key: &str) {
        self.keys.remove(&key.to_ascii_lowercase());
    }

    /// Copies every key of `other` into this context (`other` wins on conflicts).
    pub fn extend(&mut self, other: &RequestContext) {
        for (k, v) in &other.keys {
            self.keys.insert(k.clone(), v.clone());
        }
    }

    /// `text` with its policy variables replaced: `${key}` by the key's value, `${key, 'default'}` by the default
    /// when the key is absent, `${*}` `${?}` `${$}` by `*` `?` `$`.
    ///
    /// `None` when a variable names a key the request does not have and gives no default, or a multivalued key:
    /// IAM then treats the policy value as matching nothing ("IAM policy elements: Variables and tags", "Request
    /// information that you can use for policy variables": a variable with no value makes the element not match).
    /// The escapes are substituted as plain characters, so a resource pattern reads `${*}` as a wildcard again;
    /// AWS reads it as a literal asterisk (known gap, noted here so a test can show it).
    pub fn substitute(&self, text: &str) -> Option<String> {
        if !text.contains("${") {
            return Some(text.to_string());
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                // An unclosed `${` is text.
                out.push_str(&rest[start..]);
                return Some(out);
            };
            let inner = &after[..end];
            out.push_str(&self.variable(inner)?);
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Some(out)
    }

    /// The value of one `${...}` body.
    fn variable(&self, inner: &str) -> Option<String> {
        match inner {
            "*" => return Some("*".into()),
            "?" => return Some("?".into()),
            "$" => return Some("$".into()),
            _ => {}
        }
        let (key, default) = match inner.split_once(',') {
            Some((key, default)) => {
                let default = default.trim();
                let quoted = default
                    .strip_prefix('\'')
                    .and_then(|d| d.strip_suffix('\''))
                    .map(str::to_string);
                (key.trim(), quoted)
            }
            None => (inner.trim(), None),
        };
        match self.get(key) {
            Some(ContextValue::Single(v)) => Some(v.clone()),
            Some(ContextValue::Multi(_)) => None,
            None => default,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive() {
        let ctx = RequestContext::new().with("aws:SourceArn", "arn:aws:s3:::b");
        assert_eq!(
            ctx.get("AWS:SOURCEARN"),
            Some(&ContextValue::Single("arn:aws:s3:::b".into()))
        );
        assert_eq!(ctx.get("aws:SourceAccount"), None);
    }

    #[test]
    fn variables_are_substituted_or_make_the_value_unusable() {
        let ctx = RequestContext::new().with("aws:PrincipalAccount", "123456789012");
        assert_eq!(
            ctx.substitute("arn:aws:iam::${aws:PrincipalAccount}:root").as_deref(),
            Some("arn:aws:iam::123456789012:root")
        );
        assert_eq!(ctx.substitute("home/${aws:username}/*"), None);
        assert_eq!(
            ctx.substitute("home/${aws:username, 'anyone'}/x").as_deref(),
            Some("home/anyone/x")
        );
        assert_eq!(ctx.substitute("a${*}b${?}c${$}").as_deref(), Some("a*b?c$"));
        assert_eq!(ctx.substitute("open ${brace").as_deref(), Some("open ${brace"));
    }
}
