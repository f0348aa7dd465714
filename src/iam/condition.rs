//! The `Condition` element: operators, `...IfExists`, the `ForAnyValue:` / `ForAllValues:` set operators, and how
//! keys and values combine.
//!
//! Source: IAM user guide, "IAM JSON policy elements: Condition operators", "Creating a condition with multiple
//! context keys or values" and "Set operators for multivalued context keys":
//! - every operator in the block must hold, and every key under an operator (AND);
//! - several values for one key: any may match (OR), except negated operators (`StringNotEquals`, ...), which hold
//!   only when the request value matches none of them;
//! - a key missing from the request makes the condition false, except for negated operators (true), `...IfExists`
//!   (true) and `Null`;
//! - `ForAllValues:` holds when every request value matches some policy value, and also when the key is missing or
//!   empty; `ForAnyValue:` holds when some request value matches some policy value, never when the key is missing.
//!
//! Operators IAM has that are not listed in [`Operator`] are refused when the policy is read, as "not simulated".

use super::context::{ContextValue, RequestContext};
use super::matching::{arn_like, glob};
use super::policy::PolicyError;
use serde_json::Value as Json;
use std::net::IpAddr;

/// A condition operator, without its set prefix and `IfExists` suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    /// Exact, case-sensitive.
    StringEquals,
    /// Negated `StringEquals`.
    StringNotEquals,
    /// Exact, ignoring case.
    StringEqualsIgnoreCase,
    /// Negated `StringEqualsIgnoreCase`.
    StringNotEqualsIgnoreCase,
    /// Case-sensitive glob with `*` and `?`.
    StringLike,
    /// Negated `StringLike`.
    StringNotLike,
    /// Numbers equal.
    NumericEquals,
    /// Negated `NumericEquals`.
    NumericNotEquals,
    /// Request value < policy value.
    NumericLessThan,
    /// Request value <= policy value.
    NumericLessThanEquals,
    /// Request value > policy value.
    NumericGreaterThan,
    /// Request value >= policy value.
    NumericGreaterThanEquals,
    /// Same instant (ISO 8601 or epoch seconds).
    DateEquals,
    /// Negated `DateEquals`.
    DateNotEquals,
    /// Request date before policy date.
    DateLessThan,
    /// At or before.
    DateLessThanEquals,
    /// After.
    DateGreaterThan,
    /// At or after.
    DateGreaterThanEquals,
    /// `true` / `false`, ignoring case.
    Bool,
    /// Base64 text, compared exactly.
    BinaryEquals,
    /// The request's address is in one of the CIDR ranges.
    IpAddress,
    /// Negated `IpAddress`.
    NotIpAddress,
    /// ARN segments compared as globs (same as `ArnLike`, per the docs).
    ArnEquals,
    /// ARN segments compared as globs.
    ArnLike,
    /// Negated `ArnEquals`.
    ArnNotEquals,
    /// Negated `ArnLike`.
    ArnNotLike,
    /// `true`: the key is absent; `false`: it is present.
    Null,
}

const OPERATORS: &[(&str, Operator)] = &[
    ("StringEquals", Operator::StringEquals),
    ("StringNotEquals", Operator::StringNotEquals),
    ("StringEqualsIgnoreCase", Operator::StringEqualsIgnoreCase),
    ("StringNotEqualsIgnoreCase", Operator::StringNotEqualsIgnoreCase),
    ("StringLike", Operator::StringLike),
    ("StringNotLike", Operator::StringNotLike),
    ("NumericEquals", Operator::NumericEquals),
    ("NumericNotEquals", Operator::NumericNotEquals),
    ("NumericLessThan", Operator::NumericLessThan),
    ("NumericLessThanEquals", Operator::NumericLessThanEquals),
    ("NumericGreaterThan", Operator::NumericGreaterThan),
    ("NumericGreaterThanEquals", Operator::NumericGreaterThanEquals),
    ("DateEquals", Operator::DateEquals),
    ("DateNotEquals", Operator::DateNotEquals),
    ("DateLessThan", Operator::DateLessThan),
    ("DateLessThanEquals", Operator::DateLessThanEquals),
    ("DateGreaterThan", Operator::DateGreaterThan),
    ("DateGreaterThanEquals", Operator::DateGreaterThanEquals),
    ("Bool", Operator::Bool),
    ("BinaryEquals", Operator::BinaryEquals),
    ("IpAddress", Operator::IpAddress),
    ("NotIpAddress", Operator::NotIpAddress),
    ("ArnEquals", Operator::ArnEquals),
    ("ArnLike", Operator::ArnLike),
    ("ArnNotEquals", Operator::ArnNotEquals),
    ("ArnNotLike", Operator::ArnNotLike),
    ("Null", Operator::Null),
];

impl Operator {
    /// The operator named `name` (exact spelling, as IAM writes it).
    pub fn from_name(name: &str) -> Option<Operator> {
        OPERATORS.iter().find(|(n, _)| *n == name).map(|(_, op)| *op)
    }

    /// Negated operators hold when the request value matches none of the policy values, and when the key is
    /// missing.
    pub fn is_negated(self) -> bool {
        matches!(
            self,
            Operator::StringNotEquals
                | Operator::StringNotEqualsIgnoreCase
                | Operator::StringNotLike
                | Operator::NumericNotEquals
                | Operator::DateNotEquals
                | Operator::NotIpAddress
                | Operator::ArnNotEquals
                | Operator::ArnNotLike
        )
    }

    /// Whether one request value matches one policy value under the operator's positive form.
    fn matches(self, policy: &str, request: &str) -> bool {
        use Operator::*;
        match self {
            StringEquals | StringNotEquals | BinaryEquals => policy == request,
            StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => policy.to_lowercase() == request.to_lowercase(),
            StringLike | StringNotLike => glob(policy, request),
            NumericEquals | NumericNotEquals => compare_numbers(policy, request, |r, p| r == p),
            NumericLessThan => compare_numbers(policy, request, |r, p| r < p),
            NumericLessThanEquals => compare_numbers(policy, request, |r, p| r <= p),
            NumericGreaterThan => compare_numbers(policy, request, |r, p| r > p),
            NumericGreaterThanEquals => compare_numbers(policy, request, |r, p| r >= p),
            DateEquals | DateNotEquals => compare_dates(policy, request, |r, p| r == p),
            DateLessThan => compare_dates(policy, request, |r, p| r < p),
            DateLessThanEquals => compare_dates(policy, request, |r, p| r <= p),
            DateGreaterThan => compare_dates(policy, request, |r, p| r > p),
            DateGreaterThanEquals => compare_dates(policy, request, |r, p| r >= p),
            Bool => policy.eq_ignore_ascii_case(request),
            IpAddress | NotIpAddress => ip_in_range(policy, request),
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => arn_like(policy, request),
            Null => false,
        }
    }
}

/// `ForAnyValue:` or `ForAllValues:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOperator {
    /// Some request value matches.
    ForAnyValue,
    /// Every request value matches (vacuously true for a missing key).
    ForAllValues,
}

/// One key test: `"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", "b"]}` gives one clause per key.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// The operator as written (for messages).
    pub written: String,
    /// The base operator.
    pub operator: Operator,
    /// The set prefix, if any.
    pub set: Option<SetOperator>,
    /// Whether `IfExists` was appended.
    pub if_exists: bool,
    /// The context key, as written.
    pub key: String,
    /// The policy values, as strings (JSON booleans and numbers written as text).
    pub values: Vec<String>,
}

/// A statement's `Condition` block: every clause must hold.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Condition {
    /// The clauses, in document order.
    pub clauses: Vec<Clause>,
}

impl Condition {
    /// Reads a `Condition` element.
    ///
    /// Errors: a block that is not an object of objects of strings, booleans, numbers or lists of them is
    /// `Syntax errors in policy.` (MalformedPolicyDocument); an operator outside [`Operator`] is
    /// `not simulated: IAM condition operator <name>`.
    pub fn parse(block: &Json) -> Result<Condition, PolicyError> {
        let syntax = || PolicyError::malformed("Syntax errors in policy.");
        let operators = block.as_object().ok_or_else(syntax)?;
        let mut clauses = Vec::new();
        for (written, keys) in operators {
            let keys = keys.as_object().ok_or_else(syntax)?;
            let (set, rest) = if let Some(rest) = written.strip_prefix("ForAnyValue:") {
                (Some(SetOperator::ForAnyValue), rest)
            } else if let Some(rest) = written.strip_prefix("ForAllValues:") {
                (Some(SetOperator::ForAllValues), rest)
            } else {
                (None, written.as_str())
            };
            let (base, if_exists) = match rest.strip_suffix("IfExists") {
                Some(base) => (base, true),
                None => (rest, false),
            };
            let operator = Operator::from_name(base)
                .ok_or_else(|| PolicyError::not_simulated(format!("IAM condition operator {written}")))?;
            for (key, value) in keys {
                clauses.push(Clause {
                    written: written.clone(),
                    operator,
                    set,
                    if_exists,
                    key: key.clone(),
                    values: condition_values(value).ok_or_else(syntax)?,
                });
            }
        }
        Ok(Condition { clauses })
    }

    /// Whether every clause holds for `context`. `substitute_variables` is true for `Version: 2012-10-17`
    /// policies, whose values may use `${...}` policy variables.
    pub fn holds(&self, context: &RequestContext, substitute_variables: bool) -> bool {
        self.clauses
            .iter()
            .all(|clause| clause.holds(context, substitute_variables))
    }
}

/// The values of one key: a scalar or a list of scalars, as strings.
fn condition_values(value: &Json) -> Option<Vec<String>> {
    let scalar = |v: &Json| match v {
        Json::String(s) => Some(s.clone()),
        Json::Bool(b) => Some(b.to_string()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match value {
        Json::Array(items) => items.iter().map(scalar).collect(),
        other => scalar(other).map(|v| vec![v]),
    }
}

impl Clause {
    /// Whether this clause holds (rules in the module docs).
    pub fn holds(&self, context: &RequestContext, substitute_variables: bool) -> bool {
        let present = context.get(&self.key);
        if self.operator == Operator::Null {
            // `Null: true` asks for absence; any value present answers `false`.
            let absent = present.is_none();
            return self.values.iter().any(|v| v.eq_ignore_ascii_case("true") == absent);
        }
        let policy_values: Vec<String> = self
            .values
            .iter()
            .filter_map(|v| {
                if substitute_variables {
                    context.substitute(v)
                } else {
                    Some(v.clone())
                }
            })
            .collect();
        let negated = self.operator.is_negated();
        // Positive form: does this request value match any policy value?
        let matches_any = |request: &str| policy_values.iter().any(|p| self.operator.matches(p, request));
        // The operator's own answer for one request value.
        let holds_for = |request: &str| matches_any(request) != negated;
        let values: Vec<&str> = match present {
            None => Vec::new(),
            Some(ContextValue::Single(v)) => vec![v.as_str()],
            Some(ContextValue::Multi(vs)) => vs.iter().map(String::as_str).collect(),
        };
        match self.set {
            Some(SetOperator::ForAllValues) => values.iter().all(|v| holds_for(v)),
            Some(SetOperator::ForAnyValue) => {
                if present.is_none() {
                    self.if_exists
                } else {
                    values.iter().any(|v| holds_for(v))
                }
            }
            None => match present {
                None => self.if_exists || negated,
                // A multivalued key under a single-value operator: read as "some value" for positive operators and
                // "no value" for negated ones (AWS advises set operators here; its exact reading is undocumented).
                Some(_) if negated => values.iter().all(|v| holds_for(v)),
                Some(_) => values.iter().any(|v| holds_for(v)),
            },
        }
    }
}

/// Compares two numbers written as text (integers or decimals); text that is not a number matches nothing.
fn compare_numbers(policy: &str, request: &str, test: impl Fn(f64, f64) -> bool) -> bool {
    match (request.trim().parse::<f64>(), policy.trim().parse::<f64>()) {
        (Ok(r), Ok(p)) if r.is_finite() && p.is_finite() => test(r, p),
        _ => false,
    }
}

/// Compares two dates (ISO 8601 or epoch seconds); text that is not a date matches nothing.
fn compare_dates(policy: &str, request: &str, test: impl Fn(i128, i128) -> bool) -> bool {
    match (parse_date_millis(request), parse_date_millis(policy)) {
        (Some(r), Some(p)) => test(r, p),
        _ => false,
    }
}

/// A date condition value as milliseconds since the epoch: epoch seconds (`1767225600`), or the W3C profile of ISO
/// 8601 the IAM docs use (`2026-01-01`, `2026-01-01T12:00:00Z`, `2026-01-01T12:00:00.123+01:00`).
/// Source: IAM user guide, "Date condition operators" (dates in ISO 8601 or epoch time).
pub fn parse_date_millis(text: &str) -> Option<i128> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<i64>().ok().map(|s| i128::from(s) * 1000);
    }
    let (date, time) = match text.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next().map_or(Some(1), |m| m.parse().ok())?;
    let day: u32 = parts.next().map_or(Some(1), |d| d.parse().ok())?;
    // IAM's date range is that of a Java millisecond timestamp; outside it the text is not a date.
    let years = -292_275_054..=292_278_993;
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) || !years.contains(&year) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let mut millis = i128::from(days) * 86_400_000;
    if let Some(time) = time {
        let (clock, offset_minutes) = split_offset(time)?;
        let mut fields = clock.split(':');
        let hours: i128 = fields.next()?.parse().ok()?;
        let minutes: i128 = fields.next().map_or(Some(0), |m| m.parse().ok())?;
        let (seconds, fraction) = match fields.next() {
            Some(s) => match s.split_once('.') {
                Some((whole, frac)) => (whole.parse::<i128>().ok()?, fraction_millis(frac)?),
                None => (s.parse::<i128>().ok()?, 0),
            },
            None => (0, 0),
        };
        let in_range = (0..=23).contains(&hours) && (0..=59).contains(&minutes) && (0..=60).contains(&seconds);
        if fields.next().is_some() || !in_range {
            return None;
        }
        millis += ((hours * 60 + minutes - offset_minutes) * 60 + seconds) * 1000 + fraction;
    }
    Some(millis)
}

/// The clock part and the zone offset in minutes of `12:00:00Z` / `12:00+01:00` / `12:00:00` (UTC).
fn split_offset(time: &str) -> Option<(&str, i128)> {
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    if let Some(at) = time.rfind(['+', '-']) {
        let (clock, zone) = time.split_at(at);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let zone = &zone[1..];
        let (h, m) = zone.split_once(':').unwrap_or((zone, "0"));
        let (h, m): (i128, i128) = (h.parse().ok()?, m.parse().ok()?);
        if !(0..=23).contains(&h) || !(0..=59).contains(&m) {
            return None;
        }
        return Some((clock, sign * (h * 60 + m)));
    }
    Some((time, 0))
}

/// Up to three digits of a decimal fraction of a second, as milliseconds.
fn fraction_millis(frac: &str) -> Option<i128> {
    if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let padded: String = frac.chars().chain("000".chars()).take(3).collect();
    padded.parse().ok()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Whether the address `request` is in `range` (`203.0.113.0/24`, `2001:db8::/32`, or one address).
/// Source: IAM user guide, "IP address condition operators" (RFC 4632 CIDR notation).
fn ip_in_range(range: &str, request: &str) -> bool {
    let (network, bits) = match range.split_once('/') {
        Some((n, b)) => (n, b.parse::<u32>().ok()),
        None => (range, None),
    };
    let (Ok(network), Ok(address)) = (network.trim().parse::<IpAddr>(), request.trim().parse::<IpAddr>()) else {
        return false;
    };
    match (network, address) {
        (IpAddr::V4(n), IpAddr::V4(a)) => {
            let bits = bits.unwrap_or(32).min(32);
            let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
            u32::from(n) & mask == u32::from(a) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(a)) => {
            let bits = bits.unwrap_or(128).min(128);
            let mask = if bits == 0 { 0 } else { u128::MAX << (128 - bits) };
            u128::from(n) & mask == u128::from(a) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn holds(block: Json, ctx: &RequestContext) -> bool {
        Condition::parse(&block).unwrap().holds(ctx, true)
    }

    fn ctx(pairs: &[(&str, &str)]) -> RequestContext {
        let mut c = RequestContext::new();
        for (k, v) in pairs {
            c.set(k, *v);
        }
        c
    }

    #[test]
    fn string_operators() {
        let c = ctx(&[("aws:SourceAccount", "123456789012")]);
        assert!(holds(
            json!({"StringEquals": {"AWS:SourceAccount": "123456789012"}}),
            &c
        ));
        assert!(holds(
            json!({"StringEquals": {"aws:SourceAccount": ["1", "123456789012"]}}),
            &c
        ));
        assert!(!holds(json!({"StringEquals": {"aws:SourceAccount": "1"}}), &c));
        assert!(!holds(
            json!({"StringNotEquals": {"aws:SourceAccount": ["1", "123456789012"]}}),
            &c
        ));
        assert!(holds(json!({"StringNotEquals": {"aws:SourceAccount": ["1", "2"]}}), &c));
        assert!(holds(json!({"StringLike": {"aws:SourceAccount": "1234*"}}), &c));
        assert!(holds(json!({"StringNotLike": {"aws:SourceAccount": "9*"}}), &c));
        let named = ctx(&[("aws:PrincipalTag/team", "Blue")]);
        assert!(holds(
            json!({"StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "blue"}}),
            &named
        ));
        assert!(!holds(
            json!({"StringEquals": {"aws:PrincipalTag/team": "blue"}}),
            &named
        ));
        assert!(!holds(
            json!({"StringNotEqualsIgnoreCase": {"aws:PrincipalTag/team": "BLUE"}}),
            &named
        ));
    }

    #[test]
    fn missing_keys_fail_positive_operators_and_pass_negated_ones() {
        let c = RequestContext::new();
        assert!(!holds(json!({"StringEquals": {"aws:SourceArn": "x"}}), &c));
        assert!(holds(json!({"StringNotEquals": {"aws:SourceArn": "x"}}), &c));
        assert!(holds(json!({"ArnNotLike": {"aws:SourceArn": "x"}}), &c));
        assert!(holds(json!({"StringEqualsIfExists": {"aws:SourceArn": "x"}}), &c));
        let present = ctx(&[("aws:SourceArn", "y")]);
        assert!(!holds(
            json!({"StringEqualsIfExists": {"aws:SourceArn": "x"}}),
            &present
        ));
    }

    #[test]
    fn operators_and_keys_are_anded() {
        let c = ctx(&[("aws:SourceAccount", "1"), ("aws:SourceArn", "arn:aws:s3:::b")]);
        let both = json!({"StringEquals": {"aws:SourceAccount": "1"}, "ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}});
        assert!(holds(both, &c));
        let one_fails = json!({"StringEquals": {"aws:SourceAccount": "1", "aws:SourceArn": "arn:aws:s3:::c"}});
        assert!(!holds(one_fails, &c));
    }

    #[test]
    fn null_checks_presence() {
        let c = ctx(&[("aws:TokenIssueTime", "2026-01-01T00:00:00Z")]);
        assert!(holds(json!({"Null": {"aws:TokenIssueTime": "false"}}), &c));
        assert!(!holds(json!({"Null": {"aws:TokenIssueTime": "true"}}), &c));
        assert!(holds(json!({"Null": {"aws:MultiFactorAuthAge": true}}), &c));
    }

    #[test]
    fn numbers_dates_bools_and_addresses() {
        let c = ctx(&[
            ("s3:max-keys", "10"),
            ("aws:CurrentTime", "2026-01-01T00:00:00Z"),
            ("aws:SecureTransport", "true"),
            ("aws:SourceIp", "203.0.113.7"),
        ]);
        assert!(holds(json!({"NumericLessThanEquals": {"s3:max-keys": "10"}}), &c));
        assert!(!holds(json!({"NumericLessThan": {"s3:max-keys": 10}}), &c));
        assert!(holds(json!({"NumericGreaterThan": {"s3:max-keys": "9.5"}}), &c));
        assert!(!holds(json!({"NumericEquals": {"s3:max-keys": "ten"}}), &c));
        assert!(holds(json!({"DateGreaterThan": {"aws:CurrentTime": "2025-12-31"}}), &c));
        assert!(holds(
            json!({"DateLessThan": {"aws:CurrentTime": "2026-01-01T01:00:00+00:30"}}),
            &c
        ));
        assert!(holds(json!({"DateEquals": {"aws:CurrentTime": "1767225600"}}), &c));
        assert!(holds(json!({"Bool": {"aws:SecureTransport": "True"}}), &c));
        assert!(!holds(json!({"Bool": {"aws:SecureTransport": false}}), &c));
        assert!(holds(
            json!({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]}}),
            &c
        ));
        assert!(!holds(json!({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}), &c));
        assert!(holds(json!({"IpAddress": {"aws:SourceIp": "203.0.113.7"}}), &c));
    }

    #[test]
    fn set_operators() {
        let mut c = RequestContext::new();
        c.set_values("aws:TagKeys", vec!["env".into(), "team".into()]);
        let any = |v: Json| holds(json!({"ForAnyValue:StringEquals": {"aws:TagKeys": v}}), &c);
        let all = |v: Json| holds(json!({"ForAllValues:StringEquals": {"aws:TagKeys": v}}), &c);
        assert!(any(json!(["env", "x"])));
        assert!(!any(json!(["x"])));
        assert!(all(json!(["env", "team", "x"])));
        assert!(!all(json!(["env"])));
        let empty = RequestContext::new();
        assert!(holds(
            json!({"ForAllValues:StringEquals": {"aws:TagKeys": "env"}}),
            &empty
        ));
        assert!(!holds(
            json!({"ForAnyValue:StringEquals": {"aws:TagKeys": "env"}}),
            &empty
        ));
        assert!(holds(
            json!({"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": "env"}}),
            &empty
        ));
        // Negated with a set operator: every request value must avoid every policy value.
        assert!(!holds(
            json!({"ForAllValues:StringNotEquals": {"aws:TagKeys": "env"}}),
            &c
        ));
        assert!(holds(
            json!({"ForAnyValue:StringNotEquals": {"aws:TagKeys": "env"}}),
            &c
        ));
    }

    #[test]
    fn variables_in_values() {
        let c = ctx(&[("aws:PrincipalAccount", "123"), ("aws:SourceAccount", "123")]);
        let block = json!({"StringEquals": {"aws:SourceAccount": "${aws:PrincipalAccount}"}});
        assert!(Condition::parse(&block).unwrap().holds(&c, true));
        // Version 2008-10-17 reads variables as plain text.
        assert!(!Condition::parse(&block).unwrap().holds(&c, false));
    }

    #[test]
    fn bad_blocks_and_unknown_operators_are_refused() {
        let err = Condition::parse(&json!({"StringEquals": "x"})).unwrap_err();
        assert_eq!(err.to_string(), "MalformedPolicyDocument: Syntax errors in policy.");
        let err = Condition::parse(&json!({"StringEqualz": {"k": "v"}})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "NotSimulated: not simulated: IAM condition operator StringEqualz"
        );
        assert!(Condition::parse(&json!({"StringEquals": {"k": {"nested": 1}}})).is_err());
    }

    #[test]
    fn dates_parse_in_both_forms() {
        assert_eq!(parse_date_millis("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_date_millis("2026-01-01T00:00:00Z"), Some(1_767_225_600_000));
        assert_eq!(parse_date_millis("2026-01-01T01:00:00+01:00"), Some(1_767_225_600_000));
        assert_eq!(parse_date_millis("2026-01-01T00:00:00.5Z"), Some(1_767_225_600_500));
        assert_eq!(parse_date_millis("1767225600"), Some(1_767_225_600_000));
        assert_eq!(parse_date_millis("2026-13-01"), None);
        assert_eq!(parse_date_millis("yesterday"), None);
        assert_eq!(parse_date_millis("9223372036854775807-01-01"), None);
        assert_eq!(
            parse_date_millis("2026-01-01T00:00:00+99999999999999999999999999999999999999:00"),
            None
        );
        assert_eq!(parse_date_millis("2026-01-01T-5:00:00Z"), None);
        assert_eq!(parse_date_millis("99999999999999999999"), None);
    }
}
