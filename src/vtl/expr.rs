//! Expressions and references: what appears after `$`, inside directive parentheses and in method arguments.
//!
//! Grammar (Apache Velocity 1.7 user guide, "VTL: References", "Formal Reference Notation", "Quiet Reference
//! Notation", "Relational and Logical Operators", "Math", "Range Operator", "String Literals", "Maps", "Lists"):
//!
//! ```text
//! reference  = "$" ["!"] ( ident accessors | "{" ident accessors "}" )
//! accessors  = ( "." ident [ "(" args ")" ] | "[" expr "]" )*
//! expr       = or ; or = and (("||" | "or") and)* ; and = eq (("&&" | "and") eq)*
//! eq         = rel (("==" | "!=" | "eq" | "ne") rel)* ; rel = add (("<" | ">" | "<=" | ">=" | "lt" ...) add)*
//! add        = mul (("+" | "-") mul)* ; mul = unary (("*" | "/" | "%") unary)*
//! unary      = ("!" | "not") unary | "-" unary | primary
//! primary    = reference | string | number | "true" | "false" | list | range | map | "(" expr ")"
//! ```
//!
//! String literals keep their backslashes (Velocity does not unescape `\n` or `\\`; this is why API Gateway's
//! well-known `.replaceAll("\\'", "'")` idiom works). `""` inside a double-quoted string and `''` inside a
//! single-quoted one stand for one quote (Velocity 1.7). Double-quoted strings with `$` or `#` are templates.

use super::ast::{Accessor, BinOp, Expr, Reference};
use super::parser::{is_ident_char, is_ident_start, ParseError, Parser};

impl Parser<'_, '_> {
    /// A reference at `$`; `None` (cursor unchanged) when `$` does not start one. `in_expr` makes a malformed
    /// `[index]` an error instead of text.
    pub fn reference(&mut self, in_expr: bool) -> Result<Option<Reference>, ParseError> {
        let start = self.pos;
        let mut p = start + 1;
        let bytes = self.src.as_bytes();
        let quiet = bytes.get(p) == Some(&b'!');
        if quiet {
            p += 1;
        }
        let braced = bytes.get(p) == Some(&b'{');
        if braced {
            p += 1;
        }
        if !bytes.get(p).copied().is_some_and(is_ident_start) {
            return Ok(None);
        }
        self.pos = p;
        let root = self.identifier().unwrap_or_default();
        let slot = self.defs.slot(&root);
        let parts = self.accessors(in_expr)?;
        if braced {
            if self.peek_at(0) == Some(b'}') {
                self.pos += 1;
            } else {
                return Err(self.error_at(self.pos, "expected } to close ${"));
            }
        }
        Ok(Some(Reference {
            quiet,
            root,
            slot,
            parts,
            pos: self.base + start,
        }))
    }

    /// `.name`, `.name(args)` and `[index]` accessors after a reference's root.
    fn accessors(&mut self, in_expr: bool) -> Result<Vec<Accessor>, ParseError> {
        let mut parts = Vec::new();
        loop {
            match self.peek_at(0) {
                Some(b'.') if self.peek_at(1).is_some_and(is_ident_start) => {
                    let at = self.base + self.pos;
                    self.pos += 1;
                    let name = self.identifier().unwrap_or_default();
                    if self.peek_at(0) == Some(b'(') {
                        self.pos += 1;
                        let args = self.call_args()?;
                        parts.push(Accessor::Method(name, args, at));
                    } else {
                        parts.push(Accessor::Property(name, at));
                    }
                }
                Some(b'[') => {
                    let save = self.pos;
                    let at = self.base + self.pos;
                    self.pos += 1;
                    let index = self
                        .expression()
                        .and_then(|e| self.expect(b']', "] to close the index").map(|()| e));
                    match index {
                        Ok(e) => parts.push(Accessor::Index(e, at)),
                        Err(e) if in_expr => return Err(e),
                        Err(_) => {
                            self.pos = save;
                            return Ok(parts);
                        }
                    }
                }
                _ => return Ok(parts),
            }
        }
    }

    /// Method arguments through `)`.
    fn call_args(&mut self) -> Result<Vec<Expr>, ParseError> {
        self.enter()?;
        let mut args = Vec::new();
        self.skip_space();
        if self.peek_at(0) == Some(b')') {
            self.pos += 1;
            self.leave();
            return Ok(args);
        }
        loop {
            args.push(self.expression()?);
            self.skip_space();
            match self.peek_at(0) {
                Some(b',') => self.pos += 1,
                Some(b')') => {
                    self.pos += 1;
                    self.leave();
                    return Ok(args);
                }
                _ => return Err(self.error_at(self.pos, "expected , or ) in the method arguments")),
            }
        }
    }

    /// A full expression.
    pub fn expression(&mut self) -> Result<Expr, ParseError> {
        self.enter()?;
        let result = self.binary(0);
        self.leave();
        result
    }

    /// Precedence climbing over the binary operator levels (0 = `||` ... 5 = `*`).
    fn binary(&mut self, level: usize) -> Result<Expr, ParseError> {
        if level > 5 {
            return self.unary();
        }
        let mut left = self.binary(level + 1)?;
        loop {
            self.skip_space();
            let at = self.pos;
            let Some((op, len)) = self.operator(level) else {
                return Ok(left);
            };
            self.pos += len;
            let right = self.binary(level + 1)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right), self.base + at);
        }
    }

    /// The operator of precedence `level` at the cursor, with its length.
    fn operator(&self, level: usize) -> Option<(BinOp, usize)> {
        let table: &[(&str, BinOp)] = match level {
            0 => &[("||", BinOp::Or), ("or", BinOp::Or)],
            1 => &[("&&", BinOp::And), ("and", BinOp::And)],
            2 => &[
                ("==", BinOp::Eq),
                ("!=", BinOp::Ne),
                ("eq", BinOp::Eq),
                ("ne", BinOp::Ne),
            ],
            3 => &[
                ("<=", BinOp::Le),
                (">=", BinOp::Ge),
                ("<", BinOp::Lt),
                (">", BinOp::Gt),
                ("lt", BinOp::Lt),
                ("gt", BinOp::Gt),
                ("le", BinOp::Le),
                ("ge", BinOp::Ge),
            ],
            4 => &[("+", BinOp::Add), ("-", BinOp::Sub)],
            _ => &[("*", BinOp::Mul), ("/", BinOp::Div), ("%", BinOp::Rem)],
        };
        table.iter().find_map(|(text, op)| {
            let word = text.bytes().all(|b| b.is_ascii_alphabetic());
            let boundary = !word || !self.peek_at(text.len()).is_some_and(is_ident_char);
            (self.starts_with(text) && boundary).then_some((*op, text.len()))
        })
    }

    /// `!x`, `not x`, `-x`, or a primary.
    fn unary(&mut self) -> Result<Expr, ParseError> {
        self.skip_space();
        if self.peek_at(0) == Some(b'!') {
            self.pos += 1;
            self.enter()?;
            let inner = self.unary();
            self.leave();
            return Ok(Expr::Not(Box::new(inner?)));
        }
        if self.starts_with("not") && !self.peek_at(3).is_some_and(is_ident_char) {
            self.pos += 3;
            self.enter()?;
            let inner = self.unary();
            self.leave();
            return Ok(Expr::Not(Box::new(inner?)));
        }
        if self.peek_at(0) == Some(b'-') {
            let at = self.base + self.pos;
            self.pos += 1;
            if self.peek_at(0).is_some_and(|b| b.is_ascii_digit()) {
                return self.number(true);
            }
            self.enter()?;
            let inner = self.unary();
            self.leave();
            return Ok(Expr::Neg(Box::new(inner?), at));
        }
        self.primary()
    }

    /// A primary expression.
    fn primary(&mut self) -> Result<Expr, ParseError> {
        self.skip_space();
        let at = self.pos;
        match self.peek_at(0) {
            Some(b'$') => match self.reference(true)? {
                Some(r) => Ok(Expr::Ref(r)),
                None => Err(self.error_at(at, "expected a reference name after $")),
            },
            Some(b'"') => self.double_quoted(),
            Some(b'\'') => self.single_quoted(),
            Some(b) if b.is_ascii_digit() => self.number(false),
            Some(b'[') => self.list_or_range(),
            Some(b'{') => self.map_literal(),
            Some(b'(') => {
                self.pos += 1;
                let inner = self.expression()?;
                self.expect(b')', ")")?;
                Ok(inner)
            }
            Some(b) if is_ident_start(b) => {
                let word = self.identifier().unwrap_or_default();
                match word.as_str() {
                    "true" => Ok(Expr::Bool(true)),
                    "false" => Ok(Expr::Bool(false)),
                    _ => Err(self.error_at(at, format!("unexpected word `{word}` (references start with $)"))),
                }
            }
            Some(_) => Err(self.error_at(at, "expected a value")),
            None => Err(self.error_at(at, "unexpected end of template in an expression")),
        }
    }

    /// An integer or floating-point literal (the sign, if any, is already consumed).
    fn number(&mut self, negative: bool) -> Result<Expr, ParseError> {
        let start = self.pos;
        let rest = self.src.get(start..).unwrap_or_default();
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let frac = rest.as_bytes().get(int_len) == Some(&b'.')
            && rest.as_bytes().get(int_len + 1).is_some_and(u8::is_ascii_digit);
        let len = if frac {
            int_len
                + 1
                + rest
                    .get(int_len + 1..)
                    .unwrap_or_default()
                    .bytes()
                    .take_while(u8::is_ascii_digit)
                    .count()
        } else {
            int_len
        };
        let text = rest.get(..len).unwrap_or_default();
        self.pos += len;
        let signed = if negative { format!("-{text}") } else { text.to_string() };
        if frac {
            signed
                .parse()
                .map(Expr::Float)
                .map_err(|_| self.error_at(start, "malformed number"))
        } else {
            signed
                .parse()
                .map(Expr::Int)
                .map_err(|_| self.error_at(start, "integer literal out of range"))
        }
    }

    /// `"..."`: a plain string, or a template when it holds `$` or `#`.
    fn double_quoted(&mut self) -> Result<Expr, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let content_start = self.pos;
        let mut text = String::new();
        loop {
            let rest = self.src.get(self.pos..).unwrap_or_default();
            let Some(i) = rest.find(['"', '\\']) else {
                return Err(self.error_at(start, "string is not closed with \""));
            };
            text.push_str(rest.get(..i).unwrap_or_default());
            self.pos += i;
            match self.peek_at(0) {
                Some(b'\\') => {
                    let esc = rest.get(i..).unwrap_or_default().chars().take(2).collect::<String>();
                    text.push_str(&esc);
                    self.pos += esc.len();
                }
                _ if self.peek_at(1) == Some(b'"') => {
                    text.push('"');
                    self.pos += 2;
                }
                _ => {
                    self.pos += 1;
                    break;
                }
            }
        }
        if !text.contains(['$', '#']) {
            return Ok(Expr::Str(text));
        }
        self.enter()?;
        let base = self.base + content_start;
        let mut inner = Parser::new(&text, base, self.defs);
        inner.depth = self.depth;
        inner.at_line_start = false;
        let (nodes, term) = inner.parse_block()?;
        self.leave();
        match term {
            super::parser::Terminator::Eof => Ok(Expr::Interpolated(nodes)),
            _ => Err(self.error_at(start, "unbalanced #end / #else inside a string")),
        }
    }

    /// `'...'`: a literal string, `''` standing for one quote.
    fn single_quoted(&mut self) -> Result<Expr, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut text = String::new();
        loop {
            let rest = self.src.get(self.pos..).unwrap_or_default();
            let Some(i) = rest.find('\'') else {
                return Err(self.error_at(start, "string is not closed with '"));
            };
            text.push_str(rest.get(..i).unwrap_or_default());
            self.pos += i + 1;
            if self.peek_at(0) == Some(b'\'') {
                text.push('\'');
                self.pos += 1;
            } else {
                return Ok(Expr::Str(text));
            }
        }
    }

    /// `[a, b]`, `[]` or `[from..to]`.
    fn list_or_range(&mut self) -> Result<Expr, ParseError> {
        let at = self.base + self.pos;
        self.pos += 1;
        self.enter()?;
        self.skip_space();
        if self.peek_at(0) == Some(b']') {
            self.pos += 1;
            self.leave();
            return Ok(Expr::List(Vec::new()));
        }
        let first = self.expression()?;
        self.skip_space();
        if self.starts_with("..") {
            self.pos += 2;
            let last = self.expression()?;
            self.expect(b']', "] to close the range")?;
            self.leave();
            return Ok(Expr::Range(Box::new(first), Box::new(last), at));
        }
        let mut items = vec![first];
        loop {
            self.skip_space();
            match self.peek_at(0) {
                Some(b',') => {
                    self.pos += 1;
                    items.push(self.expression()?);
                }
                Some(b']') => {
                    self.pos += 1;
                    self.leave();
                    return Ok(Expr::List(items));
                }
                _ => return Err(self.error_at(self.pos, "expected , or ] in the list")),
            }
        }
    }

    /// `{k: v, ...}`.
    fn map_literal(&mut self) -> Result<Expr, ParseError> {
        self.pos += 1;
        self.enter()?;
        let mut entries = Vec::new();
        self.skip_space();
        if self.peek_at(0) == Some(b'}') {
            self.pos += 1;
            self.leave();
            return Ok(Expr::Map(entries));
        }
        loop {
            let key = self.expression()?;
            self.expect(b':', ": between a map key and its value")?;
            let value = self.expression()?;
            entries.push((key, value));
            self.skip_space();
            match self.peek_at(0) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    self.leave();
                    return Ok(Expr::Map(entries));
                }
                _ => return Err(self.error_at(self.pos, "expected , or } in the map")),
            }
        }
    }
}
