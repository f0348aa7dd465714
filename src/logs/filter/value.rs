//! What the JSON and space-delimited patterns compare with: an operator, a literal (text with `*` wildcards, or a
//! number), and the comparison itself (user guide "Filter pattern syntax": "Using the wildcard `*`", numeric
//! values with `=`, `!=`, `<`, `>`, `<=`, `>=`).

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `>=`
    Ge,
}

impl Op {
    /// Reads an operator at the start of `text`: the operator and the rest.
    pub fn read(text: &str) -> Option<(Op, &str)> {
        for (token, op) in [
            ("!=", Op::Ne),
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("=", Op::Eq),
            ("<", Op::Lt),
            (">", Op::Gt),
        ] {
            if let Some(rest) = text.strip_prefix(token) {
                return Some((op, rest));
            }
        }
        None
    }

    fn is_equality(self) -> bool {
        matches!(self, Op::Eq | Op::Ne)
    }
}

/// A literal on the right of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A string (quoted or bare); `*` matches any run of characters.
    Text(String),
    /// A number (`75`, `-1.5`, `1e3`).
    Number(f64),
}

impl Literal {
    /// A bare token: a number when it reads as one, text otherwise.
    pub fn bare(token: &str) -> Literal {
        match number(token) {
            Some(n) => Literal::Number(n),
            None => Literal::Text(token.to_string()),
        }
    }

    /// Whether `op` can compare with this literal: text only with `=` / `!=`.
    pub fn accepts(&self, op: Op) -> bool {
        matches!(self, Literal::Number(_)) || op.is_equality()
    }
}

/// A decimal number as the patterns write them (optional sign, fraction, exponent); `None` otherwise.
pub fn number(token: &str) -> Option<f64> {
    let looks_numeric = token
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
        && token.chars().any(|c| c.is_ascii_digit());
    if !looks_numeric {
        return None;
    }
    token.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// `text` against a glob where `*` matches any run of characters (iterative, linear in practice).
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// A number field against a numeric literal.
pub fn compare_numbers(value: f64, op: Op, literal: f64) -> bool {
    match op {
        Op::Eq => value == literal,
        Op::Ne => value != literal,
        Op::Lt => value < literal,
        Op::Gt => value > literal,
        Op::Le => value <= literal,
        Op::Ge => value >= literal,
    }
}

/// A text field against a literal: a text literal is a glob (`=` matches, `!=` does not); a numeric literal
/// compares the field read as a number (a field that is not a number never matches).
pub fn compare_text(value: &str, op: Op, literal: &Literal) -> bool {
    match literal {
        Literal::Text(pattern) => match op {
            Op::Eq => glob(pattern, value),
            Op::Ne => !glob(pattern, value),
            _ => false,
        },
        Literal::Number(n) => number(value).is_some_and(|v| compare_numbers(v, op, *n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_runs_of_characters() {
        assert!(glob("4*", "404"));
        assert!(glob("*.jpg", "cat.jpg"));
        assert!(glob("a*b*c", "aXXbYYc"));
        assert!(!glob("a*b*c", "aXXbYY"));
        assert!(glob("exact", "exact"));
        assert!(!glob("exact", "exactly"));
        assert!(glob("*", ""));
    }

    #[test]
    fn numbers_read_like_the_patterns_write_them() {
        assert_eq!(number("75"), Some(75.0));
        assert_eq!(number("-1.5"), Some(-1.5));
        assert_eq!(number("1e3"), Some(1000.0));
        assert_eq!(number("4*"), None);
        assert_eq!(number("e"), None);
        assert_eq!(Literal::bare("200"), Literal::Number(200.0));
        assert_eq!(Literal::bare("GET"), Literal::Text("GET".into()));
    }

    #[test]
    fn text_compares_by_glob_and_numbers_numerically() {
        assert!(compare_text("404", Op::Eq, &Literal::Text("4*".into())));
        assert!(compare_text("500", Op::Ne, &Literal::Text("4*".into())));
        assert!(compare_text("1500", Op::Gt, &Literal::Number(1000.0)));
        assert!(!compare_text("-", Op::Gt, &Literal::Number(1000.0)));
    }
}
