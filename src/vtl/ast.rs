//! The syntax tree of a parsed template.
//!
//! Shapes follow the Apache Velocity 1.7 user guide ("VTL: References", "Directives", "Velocimacros"): a template
//! is a list of [`Node`]s; expressions ([`Expr`]) appear in directive parentheses, method arguments and
//! `#set` right-hand sides. Every node that can fail at render time carries `pos`, the byte offset of its first
//! character in the template source, so errors can name line and column.

/// One piece of template output.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Literal text, emitted as is.
    Text(String),
    /// `$a`, `$!a`, `${a.b(1)}`: evaluated and printed (null prints nothing, as in API Gateway).
    Ref(Reference),
    /// `\$a` (odd number of backslashes) or `\\$a` (even): Velocity's escaped reference. `backslashes` is how many
    /// backslashes precede the `$`, `raw` the reference's source text.
    EscapedRef {
        /// Number of backslashes before `$`.
        backslashes: usize,
        /// The reference.
        reference: Reference,
        /// The reference's source text (printed literally when escaped).
        raw: String,
    },
    /// `#set($target = value)`.
    Set {
        /// Left-hand side.
        target: Reference,
        /// Right-hand side.
        value: Expr,
        /// Offset of `#set`.
        pos: usize,
    },
    /// `#if / #elseif / #else / #end`.
    If {
        /// `(condition, body)` of the `#if` and every `#elseif`, in order.
        branches: Vec<(Expr, Vec<Node>)>,
        /// The `#else` body.
        otherwise: Option<Vec<Node>>,
    },
    /// `#foreach($var in iterable) body #end`.
    Foreach {
        /// Loop variable name, without `$`.
        var: String,
        /// Its slot.
        slot: usize,
        /// What is iterated.
        iterable: Expr,
        /// Loop body.
        body: Vec<Node>,
        /// Offset of `#foreach`.
        pos: usize,
    },
    /// `#break`: leaves the innermost `#foreach`.
    Break,
    /// `#stop`: ends rendering; output so far is kept.
    Stop,
    /// `#define($name) body #end`: binds `$name` to a block rendered when referenced.
    Define {
        /// Variable name, without `$`.
        name: String,
        /// Its slot.
        slot: usize,
        /// Index of the body in [`crate::vtl::Template`]'s block table.
        block: usize,
    },
    /// `#name(args)`: a velocimacro call. `raw` is printed if no macro of that name exists (Velocity prints
    /// an unknown directive literally).
    MacroCall {
        /// Macro name.
        name: String,
        /// Arguments.
        args: Vec<Expr>,
        /// Source text of the call.
        raw: String,
        /// Offset of `#`.
        pos: usize,
    },
}

/// A reference: `$root` followed by property, method and index accessors.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// `$!` (quiet) form.
    pub quiet: bool,
    /// Variable name, without `$`.
    pub root: String,
    /// The variable's slot (see [`crate::vtl::parser::Defs::names`]).
    pub slot: usize,
    /// Accessors, left to right.
    pub parts: Vec<Accessor>,
    /// Offset of `$`.
    pub pos: usize,
}

/// One step after the root of a reference.
#[derive(Debug, Clone, PartialEq)]
pub enum Accessor {
    /// `.name`: a map key, or a `getName()` / `isName()` getter.
    Property(String, usize),
    /// `.name(args)`: a method call.
    Method(String, Vec<Expr>, usize),
    /// `[expr]`: list index or map key.
    Index(Expr, usize),
}

/// Binary operators, with Velocity's word aliases (`and`, `eq`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `||`, `or`
    Or,
    /// `&&`, `and`
    And,
    /// `==`, `eq`
    Eq,
    /// `!=`, `ne`
    Ne,
    /// `<`, `lt`
    Lt,
    /// `>`, `gt`
    Gt,
    /// `<=`, `le`
    Le,
    /// `>=`, `ge`
    Ge,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A reference.
    Ref(Reference),
    /// `true` / `false`.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A floating-point literal.
    Float(f64),
    /// A single-quoted string, or a double-quoted one without `$` or `#`.
    Str(String),
    /// A double-quoted string with references or directives in it, rendered as a template.
    Interpolated(Vec<Node>),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `{k: v}`.
    Map(Vec<(Expr, Expr)>),
    /// `[from..to]`, inclusive, counting down when `from > to`.
    Range(Box<Expr>, Box<Expr>, usize),
    /// `!x`, `not x`.
    Not(Box<Expr>),
    /// `-x`.
    Neg(Box<Expr>, usize),
    /// `a op b`.
    Binary(BinOp, Box<Expr>, Box<Expr>, usize),
}
