//! Conditional reads: `IfMatch`, `IfNoneMatch`, `IfModifiedSince`, `IfUnmodifiedSince` on GetObject and
//! HeadObject, evaluated as the GetObject API reference describes (after RFC 7232 section 6):
//!
//! - `If-Match` false, or `If-Match` absent and `If-Unmodified-Since` false: 412 `PreconditionFailed`;
//! - `If-None-Match` false (the ETag matches), or `If-None-Match` absent and `If-Modified-Since` false: 304;
//! - so `If-Match` true with `If-Unmodified-Since` false is a 200, and `If-None-Match` false with
//!   `If-Modified-Since` true is a 304, the API reference's two examples.

use super::bucket::Object;
use super::errors;
use crate::api::AwsError;
use serde_json::Value as Json;

/// Whether the entity tag list `header` (`"abc"`, `abc`, `"a", "b"` or `*`) matches `etag` (quoted).
fn etag_matches(header: &str, etag: &str) -> bool {
    let bare = etag.trim_matches('"');
    header.split(',').map(str::trim).any(|t| {
        let t = t.strip_prefix("W/").unwrap_or(t);
        t == "*" || t.trim_matches('"') == bare
    })
}

/// A date member: epoch seconds as the SDK sends a `Date` (number), or an ISO 8601 / HTTP date string is not
/// simulated.
fn seconds(input: &Json, member: &str) -> Result<Option<f64>, AwsError> {
    match input.get(member) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Number(n)) => Ok(n.as_f64()),
        Some(_) => Err(AwsError::not_simulated(format!(
            "{member} given as text (give a Date, sent as epoch seconds)"
        ))),
    }
}

/// Checks `input`'s conditions against `object`.
///
/// Errors: `PreconditionFailed` (412) or the 304 of [`errors::not_modified`].
pub fn check(input: &Json, object: &Object) -> Result<(), AwsError> {
    let modified = object.last_modified_seconds() as f64;
    let if_match = input.get("IfMatch").and_then(Json::as_str);
    let if_none_match = input.get("IfNoneMatch").and_then(Json::as_str);
    let if_modified_since = seconds(input, "IfModifiedSince")?;
    let if_unmodified_since = seconds(input, "IfUnmodifiedSince")?;
    match if_match {
        Some(tags) if !etag_matches(tags, &object.etag) => return Err(errors::precondition_failed()),
        Some(_) => {}
        None => {
            if if_unmodified_since.is_some_and(|since| modified > since) {
                return Err(errors::precondition_failed());
            }
        }
    }
    match if_none_match {
        Some(tags) if etag_matches(tags, &object.etag) => Err(errors::not_modified()),
        Some(_) => Ok(()),
        None => {
            if if_modified_since.is_some_and(|since| modified <= since) {
                Err(errors::not_modified())
            } else {
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object() -> Object {
        // Written at 1000 s.
        Object::new(b"hello".to_vec(), 1_000_500, None)
    }
    const TAG: &str = "\"5d41402abc4b2a76b9719d911017c592\"";

    #[test]
    fn if_match_and_if_unmodified_since() {
        assert!(check(&json!({"IfMatch": TAG}), &object()).is_ok());
        assert!(check(&json!({"IfMatch": "5d41402abc4b2a76b9719d911017c592"}), &object()).is_ok());
        assert!(check(&json!({"IfMatch": "*"}), &object()).is_ok());
        assert_eq!(check(&json!({"IfMatch": "\"x\""}), &object()).unwrap_err().status, 412);
        assert_eq!(
            check(&json!({"IfUnmodifiedSince": 999}), &object()).unwrap_err().code,
            "PreconditionFailed"
        );
        assert!(check(&json!({"IfUnmodifiedSince": 1000}), &object()).is_ok());
        // If-Match true wins over If-Unmodified-Since false.
        assert!(check(&json!({"IfMatch": TAG, "IfUnmodifiedSince": 999}), &object()).is_ok());
    }

    #[test]
    fn if_none_match_and_if_modified_since() {
        assert_eq!(check(&json!({"IfNoneMatch": TAG}), &object()).unwrap_err().status, 304);
        assert!(check(&json!({"IfNoneMatch": "\"other\""}), &object()).is_ok());
        assert_eq!(
            check(&json!({"IfModifiedSince": 1000}), &object()).unwrap_err().status,
            304
        );
        assert!(check(&json!({"IfModifiedSince": 999}), &object()).is_ok());
        // If-None-Match true (no tag matches) decides alone: If-Modified-Since (false here) is not read.
        assert!(check(&json!({"IfNoneMatch": "\"other\"", "IfModifiedSince": 2000}), &object()).is_ok());
        assert!(check(&json!({"IfModifiedSince": "yesterday"}), &object()).is_err());
    }
}
