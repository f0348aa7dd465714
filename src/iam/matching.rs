//! Wildcard matching of actions and resources, as the IAM user guide describes it.
//!
//! - Actions ("IAM JSON policy elements: Action"): `service:Action`, prefix and name case-insensitive; `*` matches
//!   any run of characters and `?` any one character, anywhere in the text.
//! - Resources ("IAM JSON policy elements: Resource"): ARNs, case-sensitive; `*` and `?` within each of the six
//!   colon-separated segments (`arn:partition:service:region:account:resource`). The resource segment is the rest of
//!   the ARN, colons included, so `arn:aws:logs:*:*:*` covers `...:log-group:/aws/lambda/f:*`. A pattern with fewer
//!   segments whose last one ends in `*` covers the remaining segments too (`arn:aws:s3:::*`, `arn:aws:dynamodb:*`),
//!   which is how IAM reads a trailing wildcard across colons (inferred from the docs' `arn:aws:iam::*` examples).
//!
//! No regular expressions: the matcher walks the text once per `*`-separated piece of the pattern, keeping only the
//! position after the last `*` (greedy leftmost matching of each piece is exact for `*`/`?` globs), so it costs at
//! most `O(pattern × text)` steps and never backtracks exponentially, whatever the input.

/// Whether `text` matches the glob `pattern` (`*` any run, `?` one character), comparing characters with `eq`.
fn glob_with(pattern: &str, text: &str, eq: impl Fn(char, char) -> bool) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let pieces: Vec<&[char]> = pattern.split(|c| *c == '*').collect();
    let piece_matches = |piece: &[char], at: &[char]| {
        piece.len() <= at.len() && piece.iter().zip(at).all(|(p, t)| *p == '?' || eq(*p, *t))
    };
    if pieces.len() == 1 {
        return pattern.len() == text.len() && piece_matches(&pattern, &text);
    }
    let (first, rest) = match pieces.split_first() {
        Some(split) => split,
        None => return text.is_empty(),
    };
    let (last, middle) = match rest.split_last() {
        Some(split) => split,
        None => return false,
    };
    if !piece_matches(first, &text) {
        return false;
    }
    let mut position = first.len();
    let end = match text.len().checked_sub(last.len()) {
        Some(end) if end >= position => end,
        _ => return false,
    };
    if !piece_matches(last, &text[end..]) {
        return false;
    }
    // Each middle piece is placed at its leftmost fit before the suffix: any later fit leaves less room for the
    // pieces after it, so the leftmost one never loses a match.
    for piece in middle {
        let mut found = None;
        let mut start = position;
        while start + piece.len() <= end {
            if piece_matches(piece, &text[start..end]) {
                found = Some(start);
                break;
            }
            start += 1;
        }
        match found {
            Some(at) => position = at + piece.len(),
            None => return false,
        }
    }
    true
}

/// Case-sensitive glob match: `*` any run of characters (also none), `?` exactly one.
/// Used by `StringLike` and resource segments (IAM user guide, "Condition operators": StringLike is case-sensitive).
pub fn glob(pattern: &str, text: &str) -> bool {
    glob_with(pattern, text, |a, b| a == b)
}

/// Case-insensitive glob match (ASCII and Unicode simple lowercase).
pub fn glob_ignore_case(pattern: &str, text: &str) -> bool {
    glob_with(pattern, text, |a, b| a == b || a.to_lowercase().eq(b.to_lowercase()))
}

/// Whether a policy's `Action` entry (`s3:Get*`, `*`, `dynamodb:PutItem`) covers the requested `action`.
/// Source: "IAM JSON policy elements: Action": service prefixes and action names are case-insensitive.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    glob_ignore_case(pattern, action)
}

/// Whether a policy's `Resource` entry covers the requested resource ARN (segment rules in the module docs).
/// `*` alone covers everything, including resources that are not ARNs.
pub fn resource_matches(pattern: &str, resource: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    arn_like(pattern, resource)
}

/// `ArnLike` / `ArnEquals` and resource matching: the six segments compared one by one, case-sensitive, each a glob.
/// Source: IAM user guide, "Condition operators", ARN condition operators: "Each of the six colon-delimited
/// components of the ARN is checked separately and each can include multi-character match wildcards (*) or
/// single-character match wildcards (?)".
pub fn arn_like(pattern: &str, arn: &str) -> bool {
    let pattern_segments: Vec<&str> = pattern.splitn(6, ':').collect();
    let arn_segments: Vec<&str> = arn.splitn(6, ':').collect();
    for (i, p) in pattern_segments.iter().enumerate() {
        let is_last_pattern = i + 1 == pattern_segments.len();
        if is_last_pattern && pattern_segments.len() < 6 && p.ends_with('*') {
            // A trailing wildcard on a short pattern covers the remaining segments, colons included.
            let rest = arn_segments.get(i..).map(|s| s.join(":")).unwrap_or_default();
            return arn_segments.len() > i && glob(p, &rest);
        }
        match arn_segments.get(i) {
            Some(a) if glob(p, a) => {}
            _ => return false,
        }
    }
    pattern_segments.len() == arn_segments.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_follow_star_and_question_mark() {
        assert!(glob("*", ""));
        assert!(glob("a*c", "abbbc"));
        assert!(glob("a*c", "ac"));
        assert!(!glob("a*c", "ab"));
        assert!(glob("a?c", "abc"));
        assert!(!glob("a?c", "ac"));
        assert!(glob("*b*b*", "abxbx"));
        assert!(!glob("*b*b*", "abx"));
        assert!(glob("a*b*c", "abbbbbc"));
        assert!(!glob("ABC", "abc"));
        assert!(glob_ignore_case("ABC", "abc"));
        assert!(glob("", ""));
        assert!(!glob("", "a"));
        assert!(glob("**", "anything"));
        assert!(glob("a*?", "ab"));
        assert!(!glob("a*?", "a"));
    }

    #[test]
    fn actions_are_case_insensitive() {
        assert!(action_matches("dynamodb:putitem", "dynamodb:PutItem"));
        assert!(action_matches("DynamoDB:Get*", "dynamodb:GetItem"));
        assert!(action_matches("*", "s3:GetObject"));
        assert!(action_matches("s3:*Object", "s3:GetObject"));
        assert!(action_matches("sqs:SendMessage*", "sqs:SendMessageBatch"));
        assert!(!action_matches("s3:Get*", "s3:PutObject"));
        assert!(!action_matches("dynamodb:Get?tem", "dynamodb:GetItems"));
    }

    #[test]
    fn resources_match_segment_by_segment() {
        let table = "arn:aws:dynamodb:us-east-1:123456789012:table/Notes";
        assert!(resource_matches("*", table));
        assert!(resource_matches("arn:aws:dynamodb:*:*:table/Notes", table));
        assert!(resource_matches(
            "arn:aws:dynamodb:us-east-1:123456789012:table/*",
            table
        ));
        assert!(!resource_matches(
            "arn:aws:dynamodb:us-east-1:123456789012:table/notes",
            table
        ));
        assert!(!resource_matches(
            "arn:aws:dynamodb:us-east-1:123456789012:table/Notes/index/*",
            table
        ));
        assert!(resource_matches(
            "arn:aws:dynamodb:us-east-1:123456789012:table/Notes/index/*",
            "arn:aws:dynamodb:us-east-1:123456789012:table/Notes/index/byDate"
        ));
        // The resource segment keeps its colons.
        assert!(resource_matches(
            "arn:aws:logs:*:*:*",
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:*"
        ));
        assert!(resource_matches("arn:aws:s3:::*", "arn:aws:s3:::site/index.html"));
        // A trailing wildcard on a short pattern reaches across the remaining colons.
        assert!(resource_matches("arn:aws:dynamodb:us-*", table));
        assert!(!resource_matches("arn:aws:dynamodb:eu-*", table));
        assert!(resource_matches("arn:aws:dynamodb:*", table));
        assert!(!resource_matches("arn:aws:s3:::a", "arn:aws:s3:::a:b"));
        assert!(!resource_matches(
            "arn:aws:sqs:us-east-1:123456789012:q",
            "arn:aws:sqs:us-east-1:123456789012"
        ));
    }

    #[test]
    fn long_inputs_stay_fast() {
        let text = "a".repeat(20_000);
        let pattern = format!("{}b", "*a".repeat(200));
        assert!(!glob(&pattern, &text));
    }
}
