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

/// An exact DynamoDB number (ordering and equality by value: `1.0 == 1`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Number(BigDecimal);

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
        Number(BigDecimal::from(0))
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
        let mut int = BigInt::parse_bytes(significant, 10).ok_or_else(bad)?;
        if negative {
            int = -int;
        }
        Ok(Number(BigDecimal::new(int, significant.len() as i64 - 1 - adjusted)))
    }

    /// `self + other`, checked against DynamoDB's precision and range (as a SET `a + b` or an ADD is).
    pub fn add(&self, other: &Number) -> Result<Number, NumberError> {
        Number::parse(&Number(&self.0 + &other.0).to_string())
    }

    /// `self - other`, checked like [`Number::add`].
    pub fn sub(&self, other: &Number) -> Result<Number, NumberError> {
        Number::parse(&Number(&self.0 - &other.0).to_string())
    }

    /// Bytes DynamoDB counts for the number: "approximately (1 byte per two significant digits) + (1 byte)"
    /// (source: "Item sizes and formats", DynamoDB developer guide).
    pub fn size(&self) -> usize {
        let (int, _) = self.0.normalized().into_bigint_and_exponent();
        let digits = int.magnitude().to_string();
        let significant = if digits == "0" { 1 } else { digits.len() };
        significant.div_ceil(2) + 1
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
        let (int, scale) = self.0.normalized().into_bigint_and_exponent();
        let negative = int.sign() == bigdecimal::num_bigint::Sign::Minus;
        let digits = int.magnitude().to_string();
        if digits == "0" {
            return f.write_str("0");
        }
        if negative {
            f.write_str("-")?;
        }
        if scale <= 0 {
            f.write_str(&digits)?;
            for _ in 0..(-scale) {
                f.write_str("0")?;
            }
            return Ok(());
        }
        let scale = scale as usize;
        if scale >= digits.len() {
            f.write_str("0.")?;
            for _ in 0..(scale - digits.len()) {
                f.write_str("0")?;
            }
            f.write_str(&digits)
        } else {
            let (whole, frac) = digits.split_at(digits.len() - scale);
            write!(f, "{whole}.{frac}")
        }
    }
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
        assert!(Number::parse("-2").unwrap() < Number::parse("1").unwrap());
    }

    #[test]
    fn sizes_follow_the_digit_count() {
        assert_eq!(Number::parse("1").unwrap().size(), 2);
        assert_eq!(Number::parse("123").unwrap().size(), 3);
        assert_eq!(Number::parse("1000000").unwrap().size(), 2);
    }
}
