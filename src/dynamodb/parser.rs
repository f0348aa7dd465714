//! The grammar of DynamoDB expressions and their syntax trees.
//!
//! Source: "Comparison operator and function reference" (condition and filter syntax, precedence `= <> < <= > >=`,
//! `IN`, `BETWEEN`, functions, parentheses, `NOT`, `AND`, `OR`), "Update expressions" (`SET`, `REMOVE`, `ADD`,
//! `DELETE`, `+`, `-`, `if_not_exists`, `list_append`) and "Projection expressions", DynamoDB developer guide.
//! Placeholders stay unresolved here; [`super::names`] checks them against ExpressionAttributeNames/Values.

use super::lexer::{tokenize, Tok, Token};

/// Deepest nesting of parentheses, `NOT`s and function calls the parser follows (untrusted input must not
/// exhaust the stack). DynamoDB's own limit is not documented; expressions are at most 4 KB anyway.
pub const MAX_DEPTH: usize = 64;

/// Longest expression DynamoDB accepts, in bytes (source: "Expression parameters" limits, "Service, account, and
/// table quotas": "The maximum length of any expression string is 4 KB").
pub const MAX_EXPRESSION_BYTES: usize = 4096;

/// A name in a document path: a bare word or a `#placeholder` (kept with its `#`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    /// The text as written.
    pub text: String,
    /// Whether it is a `#placeholder`.
    pub placeholder: bool,
}

/// One step of a document path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathElem {
    /// A map key (or the top-level attribute name).
    Name(Ident),
    /// A list index.
    Index(usize),
}

/// A document path: `a.b[2].#c`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path(pub Vec<PathElem>);

/// An operand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    /// A document path.
    Path(Path),
    /// A `:value` placeholder (with its `:`).
    Value(String),
    /// A function call: `size(a)`, `if_not_exists(a, :v)`, `list_append(a, :l)`.
    Call(String, Vec<Operand>),
    /// `a + b` or `a - b` (update SET values only).
    Arith(Box<Operand>, char, Box<Operand>),
}

/// A comparator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// A condition (also filter and key condition) expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// `a <op> b`.
    Compare(Operand, Comparator, Operand),
    /// `a BETWEEN b AND c`.
    Between(Operand, Operand, Operand),
    /// `a IN (b, c, ...)`.
    In(Operand, Vec<Operand>),
    /// A function used as a condition: `attribute_exists(a)`, `begins_with(a, :p)`...
    Call(String, Vec<Operand>),
    /// `a AND b`.
    And(Box<Condition>, Box<Condition>),
    /// `a OR b`.
    Or(Box<Condition>, Box<Condition>),
    /// `NOT a`.
    Not(Box<Condition>),
}

/// An update expression: its four clauses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Update {
    /// `SET path = value`.
    pub set: Vec<(Path, Operand)>,
    /// `REMOVE path`.
    pub remove: Vec<Path>,
    /// `ADD path :value`.
    pub add: Vec<(Path, Operand)>,
    /// `DELETE path :value`.
    pub delete: Vec<(Path, Operand)>,
}

/// Why an expression does not parse or is not allowed; [`ExprError::message`] is DynamoDB's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExprError {
    /// `Syntax error; token: "<token>", near: "<near>"`.
    Syntax {
        /// The offending token (`<EOF>` at the end).
        token: String,
        /// The text from the previous token to the offending one.
        near: String,
    },
    /// Any other message, after the `Invalid <Kind>Expression: ` prefix.
    Other(String),
}

impl ExprError {
    /// The ValidationException message for an expression of `kind` (`ConditionExpression`, `UpdateExpression`...).
    /// Source: DynamoDB's responses as quoted in the developer guide and moto 5.2.1, e.g. `Invalid UpdateExpression:
    /// Syntax error; token: "b", near: "a b"`.
    pub fn message(&self, kind: &str) -> String {
        match self {
            ExprError::Syntax { token, near } => {
                format!("Invalid {kind}: Syntax error; token: \"{token}\", near: \"{near}\"")
            }
            ExprError::Other(text) => format!("Invalid {kind}: {text}"),
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    /// Whether `+` and `-` are operators (update expressions).
    arithmetic: bool,
}

type Parsed<T> = Result<T, ExprError>;

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Parser<'a> {
        Parser {
            text,
            tokens: tokenize(text),
            pos: 0,
            depth: 0,
            arithmetic: false,
        }
    }

    fn peek(&self) -> &Token {
        // `tokenize` always ends with Eof and `pos` never passes it.
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn advance(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn is_symbol(&self, s: &str) -> bool {
        let t = self.peek();
        t.tok == Tok::Symbol && t.text == s
    }

    fn is_keyword(&self, k: &str) -> bool {
        let t = self.peek();
        t.tok == Tok::Word && t.text.eq_ignore_ascii_case(k)
    }

    /// The syntax error at the current token: `near` is the text from the previous token's start to this one's end.
    fn error(&self) -> ExprError {
        let t = self.peek();
        let from = if self.pos > 0 {
            self.tokens[self.pos - 1].start
        } else {
            t.start
        };
        ExprError::Syntax {
            token: t.text.clone(),
            near: self.text.get(from..t.end).unwrap_or("").to_string(),
        }
    }

    fn expect_symbol(&mut self, s: &str) -> Parsed<()> {
        if self.is_symbol(s) {
            self.advance();
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn expect_eof(&self) -> Parsed<()> {
        if self.peek().tok == Tok::Eof {
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn enter(&mut self) -> Parsed<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ExprError::Other(
                "The expression has exceeded the maximum nesting depth".to_string(),
            ));
        }
        Ok(())
    }

    fn path(&mut self) -> Parsed<Path> {
        let mut elems = vec![self.path_name()?];
        loop {
            if self.is_symbol(".") {
                self.advance();
                elems.push(self.path_name()?);
            } else if self.is_symbol("[") {
                self.advance();
                let t = self.peek().clone();
                if t.tok != Tok::Integer {
                    return Err(self.error());
                }
                let index = t.text.parse::<usize>().map_err(|_| self.error())?;
                self.advance();
                self.expect_symbol("]")?;
                elems.push(PathElem::Index(index));
            } else {
                return Ok(Path(elems));
            }
        }
    }

    fn path_name(&mut self) -> Parsed<PathElem> {
        let t = self.peek().clone();
        match t.tok {
            Tok::Word | Tok::NamePlaceholder => {
                self.advance();
                Ok(PathElem::Name(Ident {
                    placeholder: t.tok == Tok::NamePlaceholder,
                    text: t.text,
                }))
            }
            _ => Err(self.error()),
        }
    }

    /// path | :value | function(args)
    fn operand(&mut self) -> Parsed<Operand> {
        let t = self.peek().clone();
        match t.tok {
            Tok::ValuePlaceholder => {
                self.advance();
                Ok(Operand::Value(t.text))
            }
            Tok::Word
                if self
                    .tokens
                    .get(self.pos + 1)
                    .is_some_and(|n| n.text == "(" && n.tok == Tok::Symbol) =>
            {
                self.advance();
                self.advance();
                self.enter()?;
                let mut args = Vec::new();
                if !self.is_symbol(")") {
                    args.push(self.value_operand()?);
                    while self.is_symbol(",") {
                        self.advance();
                        args.push(self.value_operand()?);
                    }
                }
                self.expect_symbol(")")?;
                self.depth -= 1;
                Ok(Operand::Call(t.text, args))
            }
            Tok::Word | Tok::NamePlaceholder => Ok(Operand::Path(self.path()?)),
            _ => Err(self.error()),
        }
    }

    /// The `:value` of an ADD or DELETE action.
    fn placeholder(&mut self) -> Parsed<Operand> {
        if self.peek().tok != Tok::ValuePlaceholder {
            return Err(self.error());
        }
        Ok(Operand::Value(self.advance().text))
    }

    /// An operand that may be `a + b` / `a - b` (SET values and function arguments in updates only).
    fn value_operand(&mut self) -> Parsed<Operand> {
        let left = self.operand()?;
        if self.arithmetic && (self.is_symbol("+") || self.is_symbol("-")) {
            let op = if self.advance().text == "+" { '+' } else { '-' };
            let right = self.operand()?;
            return Ok(Operand::Arith(Box::new(left), op, Box::new(right)));
        }
        Ok(left)
    }

    fn or(&mut self) -> Parsed<Condition> {
        let mut left = self.and()?;
        while self.is_keyword("OR") {
            self.advance();
            let right = self.and()?;
            left = Condition::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Parsed<Condition> {
        let mut left = self.not()?;
        while self.is_keyword("AND") {
            self.advance();
            let right = self.not()?;
            left = Condition::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not(&mut self) -> Parsed<Condition> {
        if self.is_keyword("NOT") {
            self.advance();
            self.enter()?;
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Condition::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Parsed<Condition> {
        if self.is_symbol("(") {
            self.advance();
            self.enter()?;
            let inner = self.or()?;
            self.expect_symbol(")")?;
            self.depth -= 1;
            return Ok(inner);
        }
        let left = self.operand()?;
        let t = self.peek().clone();
        let comparator = match (t.tok.clone(), t.text.as_str()) {
            (Tok::Symbol, "=") => Some(Comparator::Eq),
            (Tok::Symbol, "<>") => Some(Comparator::Ne),
            (Tok::Symbol, "<") => Some(Comparator::Lt),
            (Tok::Symbol, "<=") => Some(Comparator::Le),
            (Tok::Symbol, ">") => Some(Comparator::Gt),
            (Tok::Symbol, ">=") => Some(Comparator::Ge),
            _ => None,
        };
        if let Some(c) = comparator {
            self.advance();
            let right = self.operand()?;
            return Ok(Condition::Compare(left, c, right));
        }
        if self.is_keyword("BETWEEN") {
            self.advance();
            let low = self.operand()?;
            if !self.is_keyword("AND") {
                return Err(self.error());
            }
            self.advance();
            let high = self.operand()?;
            return Ok(Condition::Between(left, low, high));
        }
        if self.is_keyword("IN") {
            self.advance();
            self.expect_symbol("(")?;
            let mut list = vec![self.operand()?];
            while self.is_symbol(",") {
                self.advance();
                list.push(self.operand()?);
            }
            self.expect_symbol(")")?;
            return Ok(Condition::In(left, list));
        }
        match left {
            Operand::Call(name, args) => Ok(Condition::Call(name, args)),
            _ => Err(self.error()),
        }
    }

    fn update(&mut self) -> Parsed<Update> {
        let mut update = Update::default();
        let mut seen: Vec<String> = Vec::new();
        if self.peek().tok == Tok::Eof {
            return Err(self.error());
        }
        while self.peek().tok != Tok::Eof {
            let t = self.peek().clone();
            let clause = t.text.to_ascii_uppercase();
            if t.tok != Tok::Word || !matches!(clause.as_str(), "SET" | "REMOVE" | "ADD" | "DELETE") {
                return Err(self.error());
            }
            if seen.contains(&clause) {
                return Err(ExprError::Other(format!(
                    "The \"{clause}\" section can only be used once in an update expression;"
                )));
            }
            seen.push(clause.clone());
            self.advance();
            loop {
                match clause.as_str() {
                    "SET" => {
                        let path = self.path()?;
                        self.expect_symbol("=")?;
                        let value = self.value_operand()?;
                        update.set.push((path, value));
                    }
                    "REMOVE" => update.remove.push(self.path()?),
                    "ADD" => {
                        let path = self.path()?;
                        let value = self.placeholder()?;
                        update.add.push((path, value));
                    }
                    _ => {
                        let path = self.path()?;
                        let value = self.placeholder()?;
                        update.delete.push((path, value));
                    }
                }
                if !self.is_symbol(",") {
                    break;
                }
                self.advance();
            }
        }
        Ok(update)
    }
}

fn check_size(text: &str) -> Parsed<()> {
    if text.len() > MAX_EXPRESSION_BYTES {
        // DynamoDB's wording for an over-long expression is not documented; this names the limit.
        return Err(ExprError::Other(format!(
            "Expression size has exceeded the maximum allowed size; expression size: {}",
            text.len()
        )));
    }
    Ok(())
}

/// Parses a condition, filter or key condition expression.
pub fn parse_condition(text: &str) -> Result<Condition, ExprError> {
    check_size(text)?;
    let mut p = Parser::new(text);
    let c = p.or()?;
    p.expect_eof()?;
    Ok(c)
}

/// Parses an update expression.
pub fn parse_update(text: &str) -> Result<Update, ExprError> {
    check_size(text)?;
    let mut p = Parser::new(text);
    p.arithmetic = true;
    let u = p.update()?;
    p.expect_eof()?;
    Ok(u)
}

/// Parses a projection expression: document paths separated by commas.
pub fn parse_projection(text: &str) -> Result<Vec<Path>, ExprError> {
    check_size(text)?;
    let mut p = Parser::new(text);
    let mut paths = vec![p.path()?];
    while p.is_symbol(",") {
        p.advance();
        paths.push(p.path()?);
    }
    p.expect_eof()?;
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax(r: Result<impl std::fmt::Debug, ExprError>, kind: &str) -> String {
        r.unwrap_err().message(kind)
    }

    #[test]
    fn update_syntax_errors_name_the_token_and_its_neighbour() {
        assert_eq!(
            syntax(parse_update("SET a b"), "UpdateExpression"),
            "Invalid UpdateExpression: Syntax error; token: \"b\", near: \"a b\""
        );
        assert_eq!(
            syntax(parse_update("SET a ="), "UpdateExpression"),
            "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"=\""
        );
        assert_eq!(
            syntax(parse_update("SET a = :v SET b = :v"), "UpdateExpression"),
            "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;"
        );
    }

    #[test]
    fn conditions_follow_the_precedence() {
        let c = parse_condition("a = :x OR b = :y AND NOT c < :z").unwrap();
        let Condition::Or(_, right) = c else {
            panic!("OR binds loosest")
        };
        assert!(matches!(*right, Condition::And(_, _)));
        let c = parse_condition("a BETWEEN :l AND :h AND attribute_exists(b)").unwrap();
        assert!(matches!(c, Condition::And(_, _)));
        assert!(parse_condition("x IN (:a, :b, :c)").is_ok());
        assert!(parse_condition("size(a.b[3]) > :n").is_ok());
        assert_eq!(
            syntax(parse_condition("attribute_exists("), "ConditionExpression"),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"(\""
        );
        assert_eq!(
            syntax(parse_condition("a ! b"), "ConditionExpression"),
            "Invalid ConditionExpression: Syntax error; token: \"!\", near: \"a !\""
        );
    }

    #[test]
    fn updates_have_four_clauses() {
        let u = parse_update("set a = a + :one, b = list_append(b, :l) remove c[2] add d :n delete e :s").unwrap();
        assert_eq!((u.set.len(), u.remove.len(), u.add.len(), u.delete.len()), (2, 1, 1, 1));
        assert!(parse_projection("a, b.c[1], #d").is_ok());
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}a = :v{}", "(".repeat(1000), ")".repeat(1000));
        assert!(parse_condition(&deep).is_err());
        let nots = format!("{}a = :v", "NOT ".repeat(1000));
        assert!(parse_condition(&nots).is_err());
    }
}
