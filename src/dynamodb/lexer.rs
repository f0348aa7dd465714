//! The tokens of DynamoDB expressions (condition, filter, key condition, update and projection expressions).
//!
//! Source: "Condition and filter expressions, operators, and functions", "Update expressions" and "Expression
//! attribute names" in the DynamoDB developer guide: names are letters, digits and underscores; placeholders are
//! `#name` and `:value`; list indexes are `[n]`.

/// A token's kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// A bare word: an attribute name, a keyword (`AND`, `SET`...) or a function name.
    Word,
    /// `#name`.
    NamePlaceholder,
    /// `:value`.
    ValuePlaceholder,
    /// Digits (list indexes).
    Integer,
    /// `(` `)` `[` `]` `,` `.` `=` `<>` `<` `<=` `>` `>=` `+` `-`.
    Symbol,
    /// A character no expression uses.
    Unknown,
    /// The end of the text.
    Eof,
}

/// One token and where it is in the text (byte offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The kind.
    pub tok: Tok,
    /// The text as written (`"<EOF>"` for the end).
    pub text: String,
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset after the last character.
    pub end: usize,
}

fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Splits `text` into tokens, ending with [`Tok::Eof`]. Never fails: characters no expression uses become
/// [`Tok::Unknown`] tokens, which the parser reports as DynamoDB's syntax error.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut take_while = |end: &mut usize, f: fn(char) -> bool| {
            while let Some(&(i, d)) = chars.peek() {
                if !f(d) {
                    break;
                }
                *end = i + d.len_utf8();
                chars.next();
            }
        };
        let tok = match c {
            '#' | ':' => {
                take_while(&mut end, word_char);
                if end == start + 1 {
                    Tok::Unknown
                } else if c == '#' {
                    Tok::NamePlaceholder
                } else {
                    Tok::ValuePlaceholder
                }
            }
            c if c.is_ascii_digit() => {
                take_while(&mut end, |d| d.is_ascii_digit());
                Tok::Integer
            }
            c if word_char(c) => {
                take_while(&mut end, word_char);
                Tok::Word
            }
            '<' | '>' => {
                if let Some(&(i, d)) = chars.peek() {
                    if d == '=' || (c == '<' && d == '>') {
                        end = i + 1;
                        chars.next();
                    }
                }
                Tok::Symbol
            }
            '(' | ')' | '[' | ']' | ',' | '.' | '=' | '+' | '-' => Tok::Symbol,
            _ => Tok::Unknown,
        };
        tokens.push(Token {
            tok,
            text: text[start..end].to_string(),
            start,
            end,
        });
    }
    tokens.push(Token {
        tok: Tok::Eof,
        text: "<EOF>".to_string(),
        start: text.len(),
        end: text.len(),
    });
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn splits_every_kind() {
        assert_eq!(
            texts("#a.b[12] <> :v AND size(x)>=:w"),
            ["#a", ".", "b", "[", "12", "]", "<>", ":v", "AND", "size", "(", "x", ")", ">=", ":w", "<EOF>"]
        );
        assert_eq!(tokenize("a ! b")[1].tok, Tok::Unknown);
        assert_eq!(tokenize("#")[0].tok, Tok::Unknown);
        assert_eq!(tokenize("é")[0].text, "é");
    }
}
