//! The `Range` header of GetObject: one byte range (RFC 9110 section 14.1.2). S3 serves a single range; a header
//! it cannot parse, or with several ranges, is ignored and the whole object is returned (GetObject API reference,
//! Range: "Amazon S3 doesn't support retrieving multiple ranges of data per GET request").

use super::errors;
use crate::api::AwsError;

/// The inclusive byte range `first..=last` to serve from an object of `len` bytes, or `None` for the whole object.
///
/// Errors: `InvalidRange` (416) for a syntactically valid range no byte of the object satisfies (a first byte at
/// or past the end, a suffix of zero bytes, any range of an empty object).
pub fn resolve(header: &str, len: u64) -> Result<Option<(u64, u64)>, AwsError> {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Ok(None);
    };
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // An absurdly long number is still a valid (huge) position: saturate.
        Some(s.parse::<u64>().unwrap_or(u64::MAX))
    };
    match (first.trim().is_empty(), number(first), number(last)) {
        // bytes=-N: the last N bytes.
        (true, _, Some(suffix)) => {
            if suffix == 0 || len == 0 {
                return Err(errors::invalid_range());
            }
            Ok(Some((len.saturating_sub(suffix), len - 1)))
        }
        (false, Some(start), end) if last.trim().is_empty() || end.is_some() => {
            if let Some(end) = end {
                if end < start {
                    return Ok(None);
                }
            }
            if start >= len {
                return Err(errors::invalid_range());
            }
            let end = end.map_or(len - 1, |e| e.min(len - 1));
            Ok(Some((start, end)))
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_resolve_as_http_specifies() {
        assert_eq!(resolve("bytes=0-4", 11).unwrap(), Some((0, 4)));
        assert_eq!(resolve("bytes=6-", 11).unwrap(), Some((6, 10)));
        assert_eq!(resolve("bytes=-3", 11).unwrap(), Some((8, 10)));
        assert_eq!(resolve("bytes=-30", 11).unwrap(), Some((0, 10)));
        assert_eq!(resolve("bytes=5-100", 11).unwrap(), Some((5, 10)));
        assert_eq!(resolve("bytes=0-1,3-4", 11).unwrap(), None);
        assert_eq!(resolve("items=0-1", 11).unwrap(), None);
        assert_eq!(resolve("bytes=4-2", 11).unwrap(), None);
        assert_eq!(resolve("bytes=x-2", 11).unwrap(), None);
        assert_eq!(
            resolve("bytes=99999999999999999999999-", 11).unwrap_err().code,
            "InvalidRange"
        );
        assert_eq!(resolve("bytes=11-", 11).unwrap_err().status, 416);
        assert_eq!(resolve("bytes=-0", 11).unwrap_err().code, "InvalidRange");
        assert_eq!(resolve("bytes=0-0", 0).unwrap_err().code, "InvalidRange");
    }
}
