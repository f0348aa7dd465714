//! Template-level parsing: text, references, directives, comments, unparsed blocks and escapes.
//!
//! Grammar: Apache Velocity 1.7 user guide ("VTL: Directives", "Comments", "Escaping VTL Directives",
//! "Unparsed content"). Expressions and references are parsed in [`super::expr`].
//!
//! Whitespace: a line that holds only a directive (`#set`, `#if`, `#elseif`, `#else`, `#end`, `#foreach`,
//! `#break`, `#stop`, `#define`, `#macro`) and spaces or tabs around it is removed entirely, indentation and line
//! end included (Velocity's "lines" space gobbling, documented in the Velocity 2 configuration guide as the
//! rule for "lines holding only a directive"). Velocity 1.7's own gobbling differs in corner cases (it keeps the
//! indentation before `#if`); which of the two API Gateway applies to indented directives is not documented, so
//! the documented rule is used. A `##` comment ends at, and removes, its line end (Velocity 1.7).

use super::ast::{Expr, Node, Reference};
use super::limits::MAX_NESTING;
use std::collections::HashMap;

/// A velocimacro: parameter names (without `$`) and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Macro {
    /// Parameter names.
    pub params: Vec<String>,
    /// Their slots.
    pub param_slots: Vec<usize>,
    /// Body.
    pub body: Vec<Node>,
}

/// Definitions collected while parsing: macros (by name) and `#define` blocks (by index).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Defs {
    /// `#macro` definitions. Velocity registers them at parse time, so a macro may be called before the line
    /// that defines it.
    pub macros: HashMap<String, Macro>,
    /// `#define` bodies.
    pub blocks: Vec<Vec<Node>>,
    /// Every variable name the template uses, with its slot: variables live in a vector indexed by slot, so
    /// rendering never hashes a name. The first slots are the built-ins ([`SLOT_FOREACH`] ...).
    pub names: indexmap::IndexMap<String, usize>,
}

/// Slot of `$foreach`.
pub const SLOT_FOREACH: usize = 0;
/// Slot of `$velocityCount`.
pub const SLOT_VELOCITY_COUNT: usize = 1;
/// Slot of `$velocityHasNext`.
pub const SLOT_VELOCITY_HAS_NEXT: usize = 2;
/// Slot of `$context`.
pub const SLOT_CONTEXT: usize = 3;
/// Slot of `$stageVariables`.
pub const SLOT_STAGE_VARIABLES: usize = 4;
/// Slot of `$input`.
pub const SLOT_INPUT: usize = 5;
/// Slot of `$util`.
pub const SLOT_UTIL: usize = 6;

impl Defs {
    /// Definitions with the built-in variables in their fixed slots.
    pub fn with_builtins() -> Defs {
        let mut defs = Defs::default();
        for name in [
            "foreach",
            "velocityCount",
            "velocityHasNext",
            "context",
            "stageVariables",
            "input",
            "util",
        ] {
            defs.slot(name);
        }
        defs
    }

    /// The slot of variable `name`, allocating one on first use.
    pub fn slot(&mut self, name: &str) -> usize {
        if let Some(&slot) = self.names.get(name) {
            return slot;
        }
        let slot = self.names.len();
        self.names.insert(name.to_string(), slot);
        slot
    }
}

/// A syntax error at byte offset `pos` of the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset in the template.
    pub pos: usize,
    /// What is wrong.
    pub message: String,
}

/// What ended a block.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Terminator {
    /// End of input.
    Eof,
    /// `#end`.
    End,
    /// `#else`.
    Else,
    /// `#elseif(cond)`.
    ElseIf(Expr),
}

/// The parser state over one source text (the template, or the inside of a double-quoted string).
pub(super) struct Parser<'s, 'd> {
    /// Text being parsed.
    pub src: &'s str,
    /// Current byte offset in `src`.
    pub pos: usize,
    /// Offset of `src` in the whole template, added to every recorded position.
    pub base: usize,
    /// Current nesting depth (blocks, parentheses, literals), bounded by [`MAX_NESTING`].
    pub depth: usize,
    /// Whether the pending text starts at the beginning of a line.
    pub at_line_start: bool,
    /// Macros and blocks.
    pub defs: &'d mut Defs,
}

/// Parses a whole template. Errors: the first syntax error.
pub fn parse_template(src: &str, defs: &mut Defs) -> Result<Vec<Node>, ParseError> {
    let mut parser = Parser::new(src, 0, defs);
    let (nodes, end) = parser.parse_block()?;
    match end {
        Terminator::Eof => Ok(nodes),
        Terminator::End => Err(parser.error_at(parser.pos, "#end without a matching #if, #foreach, #macro or #define")),
        Terminator::Else | Terminator::ElseIf(_) => Err(parser.error_at(parser.pos, "#else or #elseif without #if")),
    }
}

/// Byte is a Velocity identifier's first character.
pub(super) fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

/// Byte may continue a Velocity 1.7 identifier (letters, digits, `_`, `-`).
pub(super) fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

impl<'s, 'd> Parser<'s, 'd> {
    /// A parser over `src`, whose first byte is at offset `base` of the template.
    pub fn new(src: &'s str, base: usize, defs: &'d mut Defs) -> Self {
        Parser {
            src,
            pos: 0,
            base,
            depth: 0,
            at_line_start: true,
            defs,
        }
    }

    /// A syntax error at local offset `pos`.
    pub fn error_at(&self, pos: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            pos: self.base + pos,
            message: message.into(),
        }
    }

    /// The byte at `pos + ahead`, if any.
    pub fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.src.as_bytes().get(self.pos + ahead).copied()
    }

    /// The rest of the input starts with `s`.
    pub fn starts_with(&self, s: &str) -> bool {
        self.src.get(self.pos..).is_some_and(|rest| rest.starts_with(s))
    }

    /// Enters one nesting level. Errors: deeper than [`MAX_NESTING`].
    pub fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error_at(self.pos, format!("nesting deeper than {MAX_NESTING} levels")));
        }
        Ok(())
    }

    /// Leaves one nesting level.
    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Parses nodes until `#end`, `#else`, `#elseif` or the end of input.
    pub fn parse_block(&mut self) -> Result<(Vec<Node>, Terminator), ParseError> {
        self.enter()?;
        let mut nodes = Vec::new();
        let mut pending = String::new();
        let result = loop {
            let Some(b) = self.peek_at(0) else {
                break Terminator::Eof;
            };
            match b {
                b'$' => self.dollar(&mut nodes, &mut pending)?,
                b'\\' => self.backslash(&mut nodes, &mut pending)?,
                b'#' => {
                    if let Some(term) = self.hash(&mut nodes, &mut pending)? {
                        break term;
                    }
                }
                _ => self.text_run(&mut pending),
            }
        };
        flush(&mut nodes, &mut pending);
        self.leave();
        Ok((nodes, result))
    }

    /// Copies plain text up to the next `$`, `#` or `\`.
    fn text_run(&mut self, pending: &mut String) {
        let rest = self.src.get(self.pos..).unwrap_or_default();
        let len = rest.find(['$', '#', '\\']).unwrap_or(rest.len());
        // `len` is 0 only when the run starts on a special byte, which callers never pass here.
        let len = len.max(rest.chars().next().map_or(0, char::len_utf8));
        pending.push_str(rest.get(..len).unwrap_or_default());
        self.pos += len;
    }

    /// `$...`: a reference, or a literal `$`.
    fn dollar(&mut self, nodes: &mut Vec<Node>, pending: &mut String) -> Result<(), ParseError> {
        let start = self.pos;
        match self.reference(false)? {
            Some(reference) => {
                flush(nodes, pending);
                self.at_line_start = false;
                nodes.push(Node::Ref(reference));
            }
            None => {
                self.pos = start + 1;
                pending.push('$');
            }
        }
        Ok(())
    }

    /// A run of backslashes: an escaped reference or directive, or literal backslashes.
    fn backslash(&mut self, nodes: &mut Vec<Node>, pending: &mut String) -> Result<(), ParseError> {
        let start = self.pos;
        let count = self
            .src
            .get(start..)
            .unwrap_or_default()
            .bytes()
            .take_while(|&b| b == b'\\')
            .count();
        self.pos = start + count;
        match self.peek_at(0) {
            Some(b'$') => {
                let ref_start = self.pos;
                match self.reference(false)? {
                    Some(reference) => {
                        flush(nodes, pending);
                        self.at_line_start = false;
                        let raw = self.src.get(ref_start..self.pos).unwrap_or_default().to_string();
                        nodes.push(Node::EscapedRef {
                            backslashes: count,
                            reference,
                            raw,
                        });
                    }
                    None => {
                        pending.push_str(&"\\".repeat(count));
                        self.pos = ref_start;
                        let _ = self.dollar(nodes, pending);
                    }
                }
            }
            Some(b'#') if self.directive_name_here().is_some_and(|n| is_known_directive(&n)) => {
                // Velocity: `\#if` prints `#if`; `\\#if` prints `\` and runs the directive.
                pending.push_str(&"\\".repeat(count / 2));
                if count % 2 == 1 {
                    let name_len = self.directive_token_len();
                    pending.push_str(self.src.get(self.pos..self.pos + name_len).unwrap_or_default());
                    self.pos += name_len;
                }
            }
            _ => pending.push_str(&"\\".repeat(count)),
        }
        Ok(())
    }

    /// The directive name at `#` (`#name` or `#{name}`), if any.
    fn directive_name_here(&self) -> Option<String> {
        let rest = self.src.get(self.pos + 1..)?;
        let rest = rest.strip_prefix('{').unwrap_or(rest);
        let len = rest
            .bytes()
            .take_while(|&b| b.is_ascii_alphanumeric() || b == b'_')
            .count();
        let first = rest.as_bytes().first().copied()?;
        if len == 0 || !first.is_ascii_alphabetic() {
            return None;
        }
        rest.get(..len).map(str::to_string)
    }

    /// Length of the `#name` / `#{name}` token at the cursor.
    fn directive_token_len(&self) -> usize {
        let braced = self.peek_at(1) == Some(b'{');
        let name_len = self.directive_name_here().map_or(0, |n| n.len());
        1 + name_len + if braced { 2 } else { 0 }
    }

    /// `#...`: comment, unparsed block, directive, macro call or literal `#`. Returns a terminator when the
    /// directive closes the current block.
    fn hash(&mut self, nodes: &mut Vec<Node>, pending: &mut String) -> Result<Option<Terminator>, ParseError> {
        let start = self.pos;
        if self.starts_with("##") {
            self.line_comment(pending);
            return Ok(None);
        }
        if self.starts_with("#*") {
            return self.block_comment(start).map(|()| None);
        }
        if self.starts_with("#[[") {
            return self.unparsed(start, pending).map(|()| None);
        }
        let Some(name) = self.directive_name_here() else {
            self.pos += 1;
            pending.push('#');
            return Ok(None);
        };
        let braced = self.peek_at(1) == Some(b'{');
        if braced && self.src.as_bytes().get(start + 2 + name.len()) != Some(&b'}') {
            self.pos += 1;
            pending.push('#');
            return Ok(None);
        }
        self.pos = start + self.directive_token_len();
        self.directive(&name, start, nodes, pending)
    }

    /// Dispatches on a directive name; the cursor is just past the name.
    fn directive(
        &mut self,
        name: &str,
        start: usize,
        nodes: &mut Vec<Node>,
        pending: &mut String,
    ) -> Result<Option<Terminator>, ParseError> {
        match name {
            "set" => {
                let (target, value) = self.set_args(start)?;
                self.finish_line(start, nodes, pending);
                nodes.push(Node::Set {
                    target,
                    value,
                    pos: self.base + start,
                });
            }
            "if" => {
                let cond = self.paren_condition(start)?;
                self.finish_line(start, nodes, pending);
                let node = self.if_chain(cond, start)?;
                nodes.push(node);
            }
            "elseif" => {
                let cond = self.paren_condition(start)?;
                self.finish_line(start, nodes, pending);
                return Ok(Some(Terminator::ElseIf(cond)));
            }
            "else" => {
                self.finish_line(start, nodes, pending);
                return Ok(Some(Terminator::Else));
            }
            "end" => {
                self.finish_line(start, nodes, pending);
                return Ok(Some(Terminator::End));
            }
            "foreach" => {
                let (var, iterable) = self.foreach_args(start)?;
                self.finish_line(start, nodes, pending);
                let body = self.block_to_end(start, "#foreach")?;
                let slot = self.defs.slot(&var);
                nodes.push(Node::Foreach {
                    var,
                    slot,
                    iterable,
                    body,
                    pos: self.base + start,
                });
            }
            "break" | "stop" => {
                self.optional_scope_arg()?;
                self.finish_line(start, nodes, pending);
                nodes.push(if name == "break" { Node::Break } else { Node::Stop });
            }
            "define" => {
                let var = self.define_args(start)?;
                self.finish_line(start, nodes, pending);
                let body = self.block_to_end(start, "#define")?;
                self.defs.blocks.push(body);
                let block = self.defs.blocks.len() - 1;
                let slot = self.defs.slot(&var);
                nodes.push(Node::Define { name: var, slot, block });
            }
            "macro" => {
                let (macro_name, params) = self.macro_args(start)?;
                self.finish_line(start, nodes, pending);
                let body = self.block_to_end(start, "#macro")?;
                let param_slots = params.iter().map(|p| self.defs.slot(p)).collect();
                self.defs.macros.insert(
                    macro_name,
                    super::parser::Macro {
                        param_slots,
                        params,
                        body,
                    },
                );
            }
            "include" | "parse" | "evaluate" => {
                return Err(self.error_at(
                    start,
                    format!("not simulated: #{name} (API Gateway mapping templates cannot load other templates)"),
                ));
            }
            _ => self.macro_call(name, start, nodes, pending)?,
        }
        Ok(None)
    }

    /// `#name(args)` for a name that is no built-in directive; without parentheses it is literal text.
    fn macro_call(
        &mut self,
        name: &str,
        start: usize,
        nodes: &mut Vec<Node>,
        pending: &mut String,
    ) -> Result<(), ParseError> {
        let after_name = self.pos;
        self.skip_inline_space();
        if self.peek_at(0) != Some(b'(') {
            self.pos = after_name;
            pending.push_str(self.src.get(start..after_name).unwrap_or_default());
            return Ok(());
        }
        self.pos += 1;
        let Ok(args) = self.macro_call_args() else {
            // Not a well-formed call: Velocity prints it as text.
            self.pos = after_name;
            pending.push_str(self.src.get(start..after_name).unwrap_or_default());
            return Ok(());
        };
        let raw = self.src.get(start..self.pos).unwrap_or_default().to_string();
        flush(nodes, pending);
        self.at_line_start = false;
        nodes.push(Node::MacroCall {
            name: name.to_string(),
            args,
            raw,
            pos: self.base + start,
        });
        Ok(())
    }

    /// Arguments of a macro call, separated by commas or whitespace, through `)`.
    fn macro_call_args(&mut self) -> Result<Vec<Expr>, ParseError> {
        let mut args = Vec::new();
        loop {
            self.skip_space();
            match self.peek_at(0) {
                Some(b')') => {
                    self.pos += 1;
                    return Ok(args);
                }
                Some(b',') => self.pos += 1,
                Some(_) => args.push(self.expression()?),
                None => return Err(self.error_at(self.pos, "unterminated macro call")),
            }
        }
    }

    /// The rest of an `#if`: its body and any `#elseif` / `#else` branches through `#end`.
    fn if_chain(&mut self, first: Expr, start: usize) -> Result<Node, ParseError> {
        let mut branches = Vec::new();
        let mut cond = first;
        loop {
            let (body, term) = self.parse_block()?;
            match term {
                Terminator::End => {
                    branches.push((cond, body));
                    return Ok(Node::If {
                        branches,
                        otherwise: None,
                    });
                }
                Terminator::ElseIf(next) => {
                    branches.push((cond, body));
                    cond = next;
                }
                Terminator::Else => {
                    branches.push((cond, body));
                    let otherwise = self.block_to_end(start, "#if")?;
                    return Ok(Node::If {
                        branches,
                        otherwise: Some(otherwise),
                    });
                }
                Terminator::Eof => return Err(self.error_at(start, "#if without #end")),
            }
        }
    }

    /// A block that must end with `#end`. Errors: end of input, or `#else` / `#elseif` in it.
    fn block_to_end(&mut self, start: usize, what: &str) -> Result<Vec<Node>, ParseError> {
        let (body, term) = self.parse_block()?;
        match term {
            Terminator::End => Ok(body),
            Terminator::Eof => Err(self.error_at(start, format!("{what} without #end"))),
            Terminator::Else | Terminator::ElseIf(_) => {
                Err(self.error_at(self.pos, format!("#else or #elseif inside {what} without #if")))
            }
        }
    }

    /// `## ...` through the line end (which it removes).
    fn line_comment(&mut self, pending: &mut String) {
        let rest = self.src.get(self.pos..).unwrap_or_default();
        let len = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let alone = line_is_blank_before(pending, self.at_line_start);
        if alone {
            strip_indent(pending);
        }
        self.pos += len;
        if alone && pending.is_empty() {
            self.at_line_start = true;
        }
    }

    /// `#* ... *#`. Errors: not closed.
    fn block_comment(&mut self, start: usize) -> Result<(), ParseError> {
        let rest = self.src.get(self.pos + 2..).unwrap_or_default();
        match rest.find("*#") {
            Some(i) => {
                self.pos += 2 + i + 2;
                Ok(())
            }
            None => Err(self.error_at(start, "block comment #* is not closed with *#")),
        }
    }

    /// `#[[ ... ]]#`, copied verbatim. Errors: not closed.
    fn unparsed(&mut self, start: usize, pending: &mut String) -> Result<(), ParseError> {
        let rest = self.src.get(self.pos + 3..).unwrap_or_default();
        match rest.find("]]#") {
            Some(i) => {
                pending.push_str(rest.get(..i).unwrap_or_default());
                self.pos += 3 + i + 3;
                Ok(())
            }
            None => Err(self.error_at(start, "unparsed block #[[ is not closed with ]]#")),
        }
    }

    /// After a directive token: applies the line rule (see the module docs) and flushes pending text.
    fn finish_line(&mut self, start: usize, nodes: &mut Vec<Node>, pending: &mut String) {
        let _ = start;
        let before_ok = line_is_blank_before(pending, self.at_line_start);
        let rest = self.src.get(self.pos..).unwrap_or_default();
        let spaces = rest.bytes().take_while(|&b| b == b' ' || b == b'\t').count();
        let after = rest.get(spaces..).unwrap_or_default();
        let newline = if after.starts_with("\r\n") {
            Some(2)
        } else if after.starts_with('\n') || after.starts_with('\r') {
            Some(1)
        } else if after.is_empty() {
            Some(0)
        } else {
            None
        };
        match (before_ok, newline) {
            (true, Some(n)) => {
                strip_indent(pending);
                self.pos += spaces + n;
                flush(nodes, pending);
                self.at_line_start = true;
            }
            _ => {
                flush(nodes, pending);
                self.at_line_start = false;
            }
        }
    }

    /// Skips spaces and tabs.
    pub fn skip_inline_space(&mut self) {
        while matches!(self.peek_at(0), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// Skips spaces, tabs and line ends.
    pub fn skip_space(&mut self) {
        while matches!(self.peek_at(0), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Expects `byte` (after optional whitespace). Errors: something else.
    pub fn expect(&mut self, byte: u8, what: &str) -> Result<(), ParseError> {
        self.skip_space();
        if self.peek_at(0) == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error_at(self.pos, format!("expected {what}")))
        }
    }

    /// `( expr )` of `#if` / `#elseif`.
    fn paren_condition(&mut self, start: usize) -> Result<Expr, ParseError> {
        self.skip_inline_space();
        if self.peek_at(0) != Some(b'(') {
            return Err(self.error_at(start, "expected ( after the directive"));
        }
        self.pos += 1;
        let expr = self.expression()?;
        self.expect(b')', ") to close the condition")?;
        Ok(expr)
    }

    /// `( $ref = expr )` of `#set`.
    fn set_args(&mut self, start: usize) -> Result<(Reference, Expr), ParseError> {
        self.skip_inline_space();
        if self.peek_at(0) != Some(b'(') {
            return Err(self.error_at(start, "expected ( after #set"));
        }
        self.pos += 1;
        self.skip_space();
        let target_pos = self.pos;
        let target = match self.reference(true)? {
            Some(r) => r,
            None => return Err(self.error_at(target_pos, "#set needs a reference such as $name on the left")),
        };
        self.expect(b'=', "= in #set")?;
        let value = self.expression()?;
        self.expect(b')', ") to close #set")?;
        Ok((target, value))
    }

    /// `( $var in expr )` of `#foreach`.
    fn foreach_args(&mut self, start: usize) -> Result<(String, Expr), ParseError> {
        self.skip_inline_space();
        if self.peek_at(0) != Some(b'(') {
            return Err(self.error_at(start, "expected ( after #foreach"));
        }
        self.pos += 1;
        self.skip_space();
        let var = self.simple_variable("#foreach needs a loop variable such as $item")?;
        self.skip_space();
        if !self.starts_with("in") || self.peek_at(2).is_some_and(is_ident_char) {
            return Err(self.error_at(self.pos, "expected `in` in #foreach"));
        }
        self.pos += 2;
        let iterable = self.expression()?;
        self.expect(b')', ") to close #foreach")?;
        Ok((var, iterable))
    }

    /// `( $name )` of `#define`.
    fn define_args(&mut self, start: usize) -> Result<String, ParseError> {
        self.skip_inline_space();
        if self.peek_at(0) != Some(b'(') {
            return Err(self.error_at(start, "expected ( after #define"));
        }
        self.pos += 1;
        self.skip_space();
        let var = self.simple_variable("#define needs a variable such as $block")?;
        self.expect(b')', ") to close #define")?;
        Ok(var)
    }

    /// `( name $a $b )` of `#macro` (commas between parameters are allowed).
    fn macro_args(&mut self, start: usize) -> Result<(String, Vec<String>), ParseError> {
        self.skip_inline_space();
        if self.peek_at(0) != Some(b'(') {
            return Err(self.error_at(start, "expected ( after #macro"));
        }
        self.pos += 1;
        self.skip_space();
        let name_start = self.pos;
        let name = self
            .identifier()
            .ok_or_else(|| self.error_at(name_start, "#macro needs a name"))?;
        let mut params = Vec::new();
        loop {
            self.skip_space();
            match self.peek_at(0) {
                Some(b')') => {
                    self.pos += 1;
                    return Ok((name, params));
                }
                Some(b',') => self.pos += 1,
                Some(b'$') => params.push(self.simple_variable("expected a parameter such as $arg")?),
                _ => return Err(self.error_at(self.pos, "expected a parameter such as $arg or )")),
            }
        }
    }

    /// `($foreach)`-style scope argument of `#break` / `#stop`, ignored.
    fn optional_scope_arg(&mut self) -> Result<(), ParseError> {
        let save = self.pos;
        self.skip_inline_space();
        if self.peek_at(0) == Some(b'(') {
            self.pos += 1;
            self.skip_space();
            if self.peek_at(0) == Some(b'$') {
                let _ = self.simple_variable("expected a scope such as $foreach")?;
            }
            self.expect(b')', ")")?;
        } else {
            self.pos = save;
        }
        Ok(())
    }

    /// `$name` or `${name}` with no accessors; returns the name.
    fn simple_variable(&mut self, message: &str) -> Result<String, ParseError> {
        let start = self.pos;
        if self.peek_at(0) != Some(b'$') {
            return Err(self.error_at(start, message));
        }
        self.pos += 1;
        let braced = self.peek_at(0) == Some(b'{');
        if braced {
            self.pos += 1;
        }
        let name = self.identifier().ok_or_else(|| self.error_at(start, message))?;
        if braced {
            self.expect(b'}', "}")?;
        }
        Ok(name)
    }

    /// A Velocity identifier at the cursor.
    pub fn identifier(&mut self) -> Option<String> {
        if !self.peek_at(0).is_some_and(is_ident_start) {
            return None;
        }
        let rest = self.src.get(self.pos..)?;
        let len = rest.bytes().take_while(|&b| is_ident_char(b)).count();
        self.pos += len;
        rest.get(..len).map(str::to_string)
    }
}

/// A directive name Velocity knows (used for `\#name` escapes).
fn is_known_directive(name: &str) -> bool {
    matches!(
        name,
        "set" | "if" | "elseif" | "else" | "end" | "foreach" | "break" | "stop" | "define" | "macro"
    )
}

/// The text since the last line end is only spaces or tabs, and that line began with this text or earlier.
fn line_is_blank_before(pending: &str, at_line_start: bool) -> bool {
    match pending.rfind('\n') {
        Some(i) => pending
            .get(i + 1..)
            .unwrap_or_default()
            .bytes()
            .all(|b| b == b' ' || b == b'\t'),
        None => at_line_start && pending.bytes().all(|b| b == b' ' || b == b'\t'),
    }
}

/// Removes the spaces and tabs after the last line end of `pending`.
fn strip_indent(pending: &mut String) {
    let keep = pending.rfind('\n').map_or(0, |i| i + 1);
    pending.truncate(keep);
}

/// Moves pending text into a text node.
fn flush(nodes: &mut Vec<Node>, pending: &mut String) {
    if !pending.is_empty() {
        nodes.push(Node::Text(std::mem::take(pending)));
    }
}
