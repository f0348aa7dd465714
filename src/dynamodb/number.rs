//! DynamoDB numbers: up to 38 significant digits, magnitudes from 1E-130 to 9.9999999999999999999999999999999999999E+125,
//! held exactly as decimals (never floats) and printed the way DynamoDB returns them.
//!
//! Source: "Supported data types and naming rules in Amazon DynamoDB" (Number: "Numbers can have up to 38 digits of
//! precision ... Positive range: 1E-130 to 9.9999999999999999999999999999999999999E+125 ... Leading and trailing
//! zeroes are trimmed"). DynamoDB returns the trimmed number in plain notation (`"3.0"` comes back as `"3"`,
//! `"1e2"` as `"100"`); moto 5.2.1 echoes the input instead, which AWS does not.

use bigdecimal::num_bigint::BigInt;
use bigdecimal::BigDecimal;
use std::fmt;

/// Most significant digits a number may have.
pub const MAX_PRECISION: usize = 38;
/// Largest decimal exponent of the leading digit.
pub const MAX_EXPONENT: i64 = 125;
/// Smallest decimal exponent of the leading digit.
pub const MIN_EXPONENT: i64 = -130;

/// An exact DynamoDB number (ordering and equality by value: `1.0 == 1`), held in canonical form: sign,
/// significant digits (no leading or trailing zeros) and the decimal exponent of the first digit, plus its
/// canonical text. Comparing two numbers compares these directly (no arithmetic, no allocation: key lookups in
/// sorted tables stay cheap); `+` and `-` go through `bigdecimal`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Number {
    negative: bool,
    adjusted: i32,
    /// ASCII digits; empty for zero.
    digits: Box<str>,
    text: Box<str>,
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> std::cmp::Ordering {
        let class = |n: &Number| -> i8 {
            if n.digits.is_empty() {
                0
            } else if n.negative {
                -1
            } else {
                1
            }
        };
        let (a, b) = (class(self), class(other));
        if a != b || a == 0 {
            return a.cmp(&b);
        }
        // Same sign: a larger leading exponent, then larger digits (a prefix is smaller), mean a larger magnitude.
        let magnitude = self
            .adjusted
            .cmp(&other.adjusted)
            .then_with(|| self.digits.as_bytes().cmp(other.digits.as_bytes()));
        if a < 0 {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Why a string is not a DynamoDB number; [`NumberError::message`] gives DynamoDB's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    /// Not a decimal number at all.
    NotANumber(String),
    /// More than 38 significant digits.
    Precision,
    /// Magnitude above 9.99..E+125.
    Overflow,
    /// Magnitude below 1E-130.
    Underflow,
}

impl NumberError {
    /// DynamoDB's ValidationException message. Sources: `Number overflow ...`, `Number underflow ...` and the
    /// precision text are DynamoDB's (quoted in AWS re:Post answers and the SDK issue trackers); the
    /// not-a-number text is the one moto 5.2.1 gives (AWS's own wording for it is not documented).
    pub fn message(&self) -> String {
        match self {
            NumberError::NotANumber(s) => format!("The parameter cannot be converted to a numeric value: {s}"),
            NumberError::Precision => "Attempting to store more than 38 significant digits in a Number".to_string(),
            NumberError::Overflow => {
                "Number overflow. Attempting to store a number with magnitude larger than supported range".to_string()
            }
            NumberError::Underflow => {
                "Number underflow. Attempting to store a number with magnitude smaller than supported range".to_string()
            }
        }
    }
}

impl Number {
    /// Zero.
    pub fn zero() -> Number {
        Number {
            negative: false,
            adjusted: 0,
            digits: "".into(),
            text: "0".into(),
        }
    }

    /// Parses DynamoDB's number text: an optional sign, digits with an optional point, an optional exponent.
    /// The text is checked before any arithmetic, so a huge exponent costs nothing.
    pub fn parse(text: &str) -> Result<Number, NumberError> {
        let bad = || NumberError::NotANumber(text.to_string());
        let (negative, rest) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int_part.len() + frac_part.len() == 0 || !all_digits(int_part) || !all_digits(frac_part) {
            return Err(bad());
        }
        let exponent = match exponent {
            None => 0i64,
            Some(e) => parse_exponent(e).ok_or_else(bad)?,
        };
        let digits: Vec<u8> = int_part.bytes().chain(frac_part.bytes()).collect();
        let Some(first) = digits.iter().position(|&d| d != b'0') else {
            return Ok(Number::zero());
        };
        let last = digits.iter().rposition(|&d| d != b'0').unwrap_or(first);
        let significant = &digits[first..=last];
        // The exponent of the leading significant digit; the range is checked before the precision.
        let adjusted = (int_part.len() as i64 - first as i64 - 1).saturating_add(exponent);
        if adjusted > MAX_EXPONENT {
            return Err(NumberError::Overflow);
        }
        if adjusted < MIN_EXPONENT {
            return Err(NumberError::Underflow);
        }
        if significant.len() > MAX_PRECISION {
            return Err(NumberError::Precision);
        }
        Ok(Number {
            negative,
            adjusted: adjusted as i32,
            digits: String::from_utf8_lossy(significant).into(),
            text: plain_text(negative, significant, adjusted).into(),
        })
    }

    /// The exact decimal value, for arithmetic.
    fn decimal(&self) -> BigDecimal {
        let Some(mut int) = BigInt::parse_bytes(self.digits.as_bytes(), 10) else {
            return BigDecimal::from(0);
        };
        if self.negative {
            int = -int;
        }
        BigDecimal::new(int, self.digits.len() as i64 - 1 - i64::from(self.adjusted))
    }

    /// `self + other`, checked against DynamoDB's precision and range (as a SET `a + b` or an ADD is).
    pub fn add(&self, other: &Number) -> Result<Number, NumberError> {
        Number::parse(&plain(&(self.decimal() + other.decimal())))
    }

    /// `self - other`, checked like [`Number::add`].
    pub fn sub(&self, other: &Number) -> Result<Number, NumberError> {
        Number::parse(&plain(&(self.decimal() - other.decimal())))
    }

    /// Bytes DynamoDB counts for the number: "approximately (1 byte per two significant digits) + (1 byte)"
    /// (source: "Item sizes and formats", DynamoDB developer guide).
    pub fn size(&self) -> usize {
        self.digits.len().max(1).div_ceil(2) + 1
    }

    /// The canonical text (what [`fmt::Display`] writes).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

fn parse_exponent(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Saturate: anything beyond i32 is out of range anyway.
    let magnitude = digits.trim_start_matches('0');
    let value = if magnitude.len() > 12 {
        1_000_000_000_000
    } else {
        magnitude.parse::<i64>().unwrap_or(0)
    };
    Some(if negative { -value } else { value })
}

impl fmt::Display for Number {
    /// Plain notation with leading and trailing zeros trimmed, as DynamoDB returns numbers.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The plain text of significant digits `digits` whose first digit has decimal exponent `adjusted`.
fn plain_text(negative: bool, digits: &[u8], adjusted: i64) -> String {
    let mut out = String::with_capacity(digits.len() + 4);
    if negative {
        out.push('-');
    }
    let digits = String::from_utf8_lossy(digits);
    let last = adjusted - (digits.len() as i64 - 1);
    if last >= 0 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', last as usize));
    } else if adjusted >= 0 {
        let (whole, frac) = digits.split_at(adjusted as usize + 1);
        out.push_str(whole);
        out.push('.');
        out.push_str(frac);
    } else {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-adjusted - 1) as usize));
        out.push_str(&digits);
    }
    out
}

/// Any decimal in plain notation (for results of arithmetic, parsed again to be checked).
fn plain(value: &BigDecimal) -> String {
    let (int, scale) = value.normalized().into_bigint_and_exponent();
    let negative = int.sign() == bigdecimal::num_bigint::Sign::Minus;
    let digits = int.magnitude().to_string();
    if digits == "0" {
        return "0".to_string();
    }
    let adjusted = digits.len() as i64 - 1 - scale;
    plain_text(negative, digits.as_bytes(), adjusted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        Number::parse(s).unwrap().to_string()
    }

    #[test]
    fn numbers_come_back_trimmed_in_plain_notation() {
        assert_eq!(n("3.0"), "3");
        assert_eq!(n("1e2"), "100");
        assert_eq!(n("0.10"), "0.1");
        assert_eq!(n("-0"), "0");
        assert_eq!(n("-007.50"), "-7.5");
        assert_eq!(n(".5"), "0.5");
        assert_eq!(n("5."), "5");
        assert_eq!(n("1.5E-3"), "0.0015");
        assert_eq!(n("+12"), "12");
    }

    #[test]
    fn the_range_and_precision_are_dynamodbs() {
        assert_eq!(Number::parse(&"1".repeat(39)), Err(NumberError::Precision));
        assert!(Number::parse(&"1".repeat(38)).is_ok());
        assert!(Number::parse(&format!("{}000", "1".repeat(38))).is_ok());
        assert_eq!(Number::parse("1e126"), Err(NumberError::Overflow));
        assert!(Number::parse("9.9999999999999999999999999999999999999E+125").is_ok());
        assert_eq!(Number::parse("1e-131"), Err(NumberError::Underflow));
        assert!(Number::parse("1e-130").is_ok());
        assert_eq!(Number::parse("1e99999999999999999999"), Err(NumberError::Overflow));
        assert_eq!(Number::parse("0e99999999999999999999").unwrap().to_string(), "0");
    }

    #[test]
    fn not_numbers_are_refused_with_the_text() {
        for bad in [
            "", "abc", "1.2.3", "1e", "e5", "-", ".", "1 ", "NaN", "Infinity", "0x10",
        ] {
            assert_eq!(Number::parse(bad), Err(NumberError::NotANumber(bad.into())), "{bad}");
        }
        assert_eq!(
            NumberError::NotANumber("abc".into()).message(),
            "The parameter cannot be converted to a numeric value: abc"
        );
    }

    #[test]
    fn arithmetic_is_exact_and_checked() {
        let a = Number::parse("0.1").unwrap();
        let b = Number::parse("0.2").unwrap();
        assert_eq!(a.add(&b).unwrap().to_string(), "0.3");
        assert_eq!(a.sub(&b).unwrap().to_string(), "-0.1");
        let big = Number::parse("9.9999999999999999999999999999999999999E+125").unwrap();
        assert_eq!(big.add(&big), Err(NumberError::Overflow));
        let wide = Number::parse("1e30").unwrap();
        let small = Number::parse("1e-30").unwrap();
        assert_eq!(wide.add(&small), Err(NumberError::Precision));
        assert!(Number::parse("1.0").unwrap() == Number::parse("1").unwrap());
        let sorted: Vec<String> = {
            let mut v: Vec<Number> = ["10", "-1", "0", "2", "-10.5", "1e-5", "-0.001", "9.99", "100"]
                .iter()
                .map(|t| Number::parse(t).unwrap())
                .collect();
            v.sort();
            v.iter().map(|n| n.to_string()).collect()
        };
        assert_eq!(
            sorted,
            ["-10.5", "-1", "-0.001", "0", "0.00001", "2", "9.99", "10", "100"]
        );
    }

    #[test]
    fn sizes_follow_the_digit_count() {
        assert_eq!(Number::parse("1").unwrap().size(), 2);
        assert_eq!(Number::parse("123").unwrap().size(), 3);
        assert_eq!(Number::parse("1000000").unwrap().size(), 2);
        assert_eq!(Number::parse("-1234.5600").unwrap().as_str(), "-1234.56");
        assert_eq!(Number::parse("0.000123e2").unwrap().as_str(), "0.0123");
    }
}
