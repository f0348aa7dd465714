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

/// Whether `text` matches the glob `pattern` (`*` any run, `?` one element), comparing elements with `eq`.
fn glob_slices<T: Copy + PartialEq>(pattern: &[T], text: &[T], star: T, any: T, eq: impl Fn(T, T) -> bool) -> bool {
    let piece_matches =
        |piece: &[T], at: &[T]| piece.len() <= at.len() && piece.iter().zip(at).all(|(p, t)| *p == any || eq(*p, *t));
    let mut pieces = pattern.split(|c| *c == star);
    let first = pieces.next().unwrap_or_default();
    let Some(last) = pieces.next_back() else {
        // No `*`: the lengths must agree.
        return pattern.len() == text.len() && piece_matches(pattern, text);
    };
    if !piece_matches(first, text) {
        return false;
    }
    let position = first.len();
    let end = match text.len().checked_sub(last.len()) {
        Some(end) if end >= position => end,
        _ => return false,
    };
    if !piece_matches(last, &text[end..]) {
        return false;
    }
    // Each middle piece is placed at its leftmost fit before the suffix: any later fit leaves less room for the
    // pieces after it, so the leftmost one never loses a match.
    let mut position = position;
    for piece in pieces {
        let fit = (position..=end.saturating_sub(piece.len()))
            .take_while(|start| start + piece.len() <= end)
            .find(|start| piece_matches(piece, &text[*start..end]));
        match fit {
            Some(at) => position = at + piece.len(),
            None => return false,
        }
    }
    true
}

/// [`glob_slices`] over bytes when both strings are ASCII (the usual case: ARNs and action names), else over chars.
fn glob_with(pattern: &str, text: &str, ignore_case: bool) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        return glob_slices(pattern.as_bytes(), text.as_bytes(), b'*', b'?', |a, b| {
            a == b || (ignore_case && a.eq_ignore_ascii_case(&b))
        });
    }
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    glob_slices(&pattern, &text, '*', '?', |a, b| {
        a == b || (ignore_case && a.to_lowercase().eq(b.to_lowercase()))
    })
}

/// Whether `pattern` has a wildcard at all (most policy entries do not: they are compared as they are).
fn has_wildcard(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

/// Case-sensitive glob match: `*` any run of characters (also none), `?` exactly one.
/// Used by `StringLike` and resource segments (IAM user guide, "Condition operators": StringLike is case-sensitive).
pub fn glob(pattern: &str, text: &str) -> bool {
    glob_with(pattern, text, false)
}

/// Case-insensitive glob match (ASCII and Unicode simple lowercase).
pub fn glob_ignore_case(pattern: &str, text: &str) -> bool {
    glob_with(pattern, text, true)
}

/// Whether a policy's `Action` entry (`s3:Get*`, `*`, `dynamodb:PutItem`) covers the requested `action`.
/// Source: "IAM JSON policy elements: Action": service prefixes and action names are case-insensitive.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    if !has_wildcard(pattern) {
        return pattern.eq_ignore_ascii_case(action) || (!pattern.is_ascii() && glob_ignore_case(pattern, action));
    }
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
    if !has_wildcard(pattern) {
        return pattern == arn;
    }
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

    /// The textbook dynamic-programming matcher, as a reference for every short pattern and text.
    fn reference(p: &[u8], t: &[u8]) -> bool {
        let mut table = vec![vec![false; t.len() + 1]; p.len() + 1];
        table[0][0] = true;
        for i in 1..=p.len() {
            table[i][0] = table[i - 1][0] && p[i - 1] == b'*';
            for j in 1..=t.len() {
                table[i][j] = match p[i - 1] {
                    b'*' => table[i - 1][j] || table[i][j - 1],
                    b'?' => table[i - 1][j - 1],
                    c => table[i - 1][j - 1] && c == t[j - 1],
                };
            }
        }
        table[p.len()][t.len()]
    }

    fn words(alphabet: &[u8], max: usize) -> Vec<Vec<u8>> {
        let mut all = vec![Vec::new()];
        let mut last = vec![Vec::new()];
        for _ in 0..max {
            last = last
                .iter()
                .flat_map(|w: &Vec<u8>| alphabet.iter().map(move |c| [w.as_slice(), &[*c]].concat()))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn glob_agrees_with_the_reference_on_every_short_input() {
        let patterns = words(b"ab*?", 5);
        let texts = words(b"ab", 5);
        for p in &patterns {
            for t in &texts {
                let (ps, ts) = (std::str::from_utf8(p).unwrap(), std::str::from_utf8(t).unwrap());
                assert_eq!(glob(ps, ts), reference(p, t), "pattern {ps:?} text {ts:?}");
            }
        }
    }

    #[test]
    fn long_inputs_stay_fast() {
        let text = "a".repeat(20_000);
        let pattern = format!("{}b", "*a".repeat(200));
        assert!(!glob(&pattern, &text));
    }
}
