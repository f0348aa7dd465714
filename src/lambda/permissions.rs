//! The function's resource-based policy, as far as a service calling `Invoke` needs it: whether an
//! `AddPermission` statement (an `AWS::Lambda::Permission`) lets a service principal invoke the function from a
//! given source.
//!
//! Sources: Lambda developer guide, "Using resource-based policies for Lambda" (a statement names `Action`,
//! `Principal`, optionally `SourceArn` and `SourceAccount`; API Gateway's source ARN is
//! `arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path>`), CloudFormation's
//! `AWS::Lambda::Permission` reference (a permission on a qualified `FunctionName` applies to that version or
//! alias only), and the IAM reference for `ArnLike` (each of the six colon-separated parts of the ARN is matched
//! on its own; `*` matches any run of characters and `?` one character; case-sensitive) and for action names
//! (`service:Action`, case-insensitive, with the same wildcards). lambda-facts §6.1-§6.2.
//!
//! This is deliberately one small matcher, [`allows_invoke`], so that the IAM evaluator can replace it.

use super::Lambda;
use serde_json::Value as Json;

/// Who calls `Invoke`, and from where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvokeSource<'a> {
    /// The service principal, e.g. `apigateway.amazonaws.com`.
    pub principal: &'a str,
    /// `aws:SourceArn`, e.g. `arn:aws:execute-api:us-east-1:123456789012:abc123/test/GET/pets`.
    pub source_arn: &'a str,
    /// `aws:SourceAccount`.
    pub source_account: &'a str,
}

/// Whether the resource-based policy of `function_name` (a name, ARN, or `name:qualifier`) allows
/// `lambda:InvokeFunction` for `source`. An unknown function allows nothing.
pub fn allows_invoke(lambda: &Lambda, function_name: &str, source: &InvokeSource<'_>) -> bool {
    let (name, qualifier) = lambda.resolve_name(function_name);
    let Some(function) = lambda.functions.get(&name) else {
        return false;
    };
    function
        .permissions
        .iter()
        .any(|statement| statement_allows(lambda, statement, qualifier.as_deref(), source))
}

/// One `AWS::Lambda::Permission`'s properties against the call.
fn statement_allows(lambda: &Lambda, statement: &Json, qualifier: Option<&str>, source: &InvokeSource<'_>) -> bool {
    let text = |key: &str| statement.get(key).and_then(Json::as_str);
    let (_, granted_qualifier) = lambda.resolve_name(text("FunctionName").unwrap_or_default());
    if granted_qualifier.as_deref() != qualifier {
        return false;
    }
    let action_ok = text("Action").is_some_and(|a| wildcard_match(&a.to_ascii_lowercase(), "lambda:invokefunction"));
    let principal_ok = matches!(text("Principal"), Some(p) if p == "*" || p == source.principal);
    let arn_ok = text("SourceArn").is_none_or(|pattern| arn_like(pattern, source.source_arn));
    let account_ok = text("SourceAccount").is_none_or(|account| account == source.source_account);
    action_ok && principal_ok && arn_ok && account_ok
}

/// IAM's `ArnLike`: the six colon-separated parts are matched one by one with [`wildcard_match`]; the last part
/// (the resource) keeps any further colons.
pub fn arn_like(pattern: &str, arn: &str) -> bool {
    let patterns: Vec<&str> = pattern.splitn(6, ':').collect();
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    patterns.len() == 6 && parts.len() == 6 && patterns.iter().zip(&parts).all(|(p, v)| wildcard_match(p, v))
}

/// `*` matches any run of characters (also none), `?` exactly one; everything else matches itself. Linear
/// backtracking on the last `*`, so no input can make it slow or deep.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_as_iam_does() {
        assert!(wildcard_match("abc/*", "abc/test/GET/pets/1"));
        assert!(wildcard_match("a?c", "abc"));
        assert!(!wildcard_match("a?c", "ac"));
        assert!(wildcard_match("*", ""));
        assert!(!wildcard_match("abc", "abcd"));
        assert!(wildcard_match("*/GET/*", "x/test/GET/a"));
        assert!(!wildcard_match("*/POST/*", "x/test/GET/a"));
        assert!(wildcard_match(&"*a".repeat(50), &"a".repeat(200)));
    }

    #[test]
    fn arn_like_matches_part_by_part() {
        let arn = "arn:aws:execute-api:us-east-1:123456789012:abc123/test/GET/pets/7";
        assert!(arn_like("arn:aws:execute-api:us-east-1:123456789012:abc123/*", arn));
        assert!(arn_like("arn:aws:execute-api:*:*:abc123/*/GET/pets/*", arn));
        assert!(!arn_like("arn:aws:execute-api:us-east-1:123456789012:other/*", arn));
        assert!(!arn_like("arn:aws:execute-api:us-east-1:999999999999:abc123/*", arn));
        // A `*` in one part does not reach into the next.
        assert!(!arn_like("arn:aws:execute-api:us-east-1*", arn));
        assert!(!arn_like("not an arn", arn));
    }
}
