//! Rendering: walks the syntax tree with a variable scope and writes the output.
//!
//! Semantics follow the Apache Velocity 1.7 user guide, with API Gateway's one documented change: a null or
//! undefined reference renders as nothing (not as its source text). Bounds from [`super::limits`] turn a
//! runaway template into an error.
//!
//! - `#set($a = x)`: when `x` is null the assignment is skipped (Velocity 1.7 guide, "#set": "If the RHS is a
//!   property or method reference that evaluates to null, it will not be assigned to the LHS").
//! - `#foreach` iterates a list, a map's values, or nothing for null; `$foreach.index` (0-based),
//!   `$foreach.count` and `$velocityCount` (1-based), `$foreach.hasNext` / `$velocityHasNext`, `$foreach.first`,
//!   `$foreach.last`. The loop variable and `$foreach` are restored after the loop.
//! - Arithmetic uses Java semantics: integer division truncates toward zero, `%` takes the sign of the dividend,
//!   a division by zero gives null (Velocity 1.7 `MathUtils`), `+` with a string operand concatenates.
//! - Comparisons `< > <= >=` need two numbers; `==` follows [`Value::velocity_eq`].

use super::apigateway::{util_call, Gateway};
use super::ast::{Accessor, BinOp, Expr, Node, Reference};
use super::limits::{
    MAX_COLLECTION, MAX_EVAL_DEPTH, MAX_FOREACH_ITERATIONS, MAX_MACRO_DEPTH, MAX_OUTPUT_BYTES, MAX_STEPS,
};
use super::methods;
use super::parser::{SLOT_FOREACH, SLOT_VELOCITY_COUNT, SLOT_VELOCITY_HAS_NEXT};
use super::value::{JMap, LoopState, Value};
use super::Template;

/// The variables, indexed by slot ([`super::parser::Defs::names`]); null is "not set".
pub type Scope = Vec<Value>;

/// A runtime error at byte offset `pos` of the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    /// Byte offset.
    pub pos: usize,
    /// What went wrong.
    pub message: String,
}

/// How a block ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    /// Ran to its end.
    Normal,
    /// `#break`.
    Break,
    /// `#stop`.
    Stop,
}

/// Result of evaluation.
type Eval<T> = Result<T, Box<RenderError>>;

/// One rendering of a template.
pub struct Renderer<'t> {
    tpl: &'t Template,
    gateway: Gateway<'t>,
    /// Variables (`#set`, loop variables, `$context`, `$stageVariables`, ...).
    pub vars: Scope,
    /// Output so far.
    pub out: String,
    steps: u64,
    macro_depth: usize,
    depth: usize,
    /// Spare buffers for string interpolation, kept with their capacity.
    scratch: Vec<String>,
}

impl<'t> Renderer<'t> {
    /// A renderer of `tpl` with the API Gateway bindings of `gateway`.
    pub fn new(tpl: &'t Template, gateway: Gateway<'t>, vars: Scope) -> Self {
        Renderer {
            tpl,
            gateway,
            vars,
            out: String::with_capacity(1024),
            steps: 0,
            macro_depth: 0,
            depth: 0,
            scratch: Vec::new(),
        }
    }

    /// Renders the whole template into `self.out`.
    pub fn run(&mut self) -> Eval<()> {
        let nodes = &self.tpl.nodes;
        self.nodes(nodes).map(|_| ())
    }

    /// Counts one evaluation step. Errors: the step budget is spent.
    fn step(&mut self, pos: usize) -> Eval<()> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(err(pos, format!("template evaluation exceeded {MAX_STEPS} steps")));
        }
        Ok(())
    }

    /// Charges the work a value took to build (string bytes, collection sizes) to the step budget, and bounds
    /// string size. Errors: budget spent, or a string larger than the output quota.
    fn charge(&mut self, value: &Value, pos: usize) -> Eval<()> {
        if let Value::Str(s) = value {
            if s.len() > MAX_OUTPUT_BYTES {
                return Err(err(pos, format!("string larger than {MAX_OUTPUT_BYTES} bytes")));
            }
        }
        self.steps += value.weight();
        self.step(pos)
    }

    /// Appends text. Errors: output larger than the payload quota.
    fn write(&mut self, text: &str, pos: usize) -> Eval<()> {
        write_out(&mut self.out, &mut self.steps, text, pos)
    }

    /// Renders a list of nodes. Errors: evaluation nested deeper than [`MAX_EVAL_DEPTH`] (macros and blocks
    /// inside each other), which would otherwise exhaust the stack (1 MB in the browser).
    fn nodes(&mut self, nodes: &[Node]) -> Eval<Flow> {
        self.depth += 1;
        let result = self.nodes_inner(nodes);
        self.depth -= 1;
        result
    }

    /// [`Self::nodes`] without the depth accounting.
    fn nodes_inner(&mut self, nodes: &[Node]) -> Eval<Flow> {
        if self.depth > MAX_EVAL_DEPTH {
            return Err(err(
                0,
                format!("template evaluation nested deeper than {MAX_EVAL_DEPTH} levels"),
            ));
        }
        for node in nodes {
            let flow = self.node(node)?;
            if flow != Flow::Normal {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    /// Renders one node.
    fn node(&mut self, node: &Node) -> Eval<Flow> {
        self.step(0)?;
        match node {
            Node::Text(text) => self.write(text, 0)?,
            Node::Ref(r) => self.print_reference(r)?,
            Node::EscapedRef {
                backslashes,
                reference,
                raw,
            } => self.escaped(*backslashes, reference, raw)?,
            Node::Set { target, value, pos } => self.set(target, value, *pos)?,
            Node::If { branches, otherwise } => return self.if_node(branches, otherwise.as_deref()),
            Node::Foreach {
                slot,
                iterable,
                body,
                pos,
                ..
            } => return self.foreach(*slot, iterable, body, *pos),
            Node::Break => return Ok(Flow::Break),
            Node::Stop => return Ok(Flow::Stop),
            Node::Define { slot, block, .. } => self.set_var(*slot, Value::Block(*block)),
            Node::MacroCall { name, args, raw, pos } => return self.macro_call(name, args, raw, *pos),
        }
        Ok(Flow::Normal)
    }

    /// Evaluates and prints a reference. A chain of map keys (`$a.b.c`) prints straight from the variables,
    /// without copying the value; anything else goes through [`Self::walk_parts`] and [`Self::print`].
    fn print_reference(&mut self, r: &Reference) -> Eval<()> {
        if r.parts.is_empty() {
            let value = self.reference(r)?;
            return self.print(&value, r.pos);
        }
        self.step(r.pos)?;
        let Renderer { vars, out, steps, .. } = self;
        let printed = vars
            .get(r.slot)
            .and_then(|root| plain_lookup(root, &r.parts, |v| print_plain(out, steps, v, r.pos)));
        match printed {
            Some(Ok(None)) => Ok(()),
            Some(Ok(Some(block))) => self.print(&block, r.pos),
            Some(Err(e)) => Err(e),
            None => {
                let value = self.walk_parts(r, &r.parts)?;
                self.print(&value, r.pos)
            }
        }
    }

    /// Prints a value: null prints nothing, a `#define` block renders, anything else prints its `toString`.
    fn print(&mut self, value: &Value, pos: usize) -> Eval<()> {
        match value {
            Value::Null => Ok(()),
            Value::Block(i) => {
                let tpl = self.tpl;
                let body = tpl.defs.blocks.get(*i).map(Vec::as_slice).unwrap_or_default();
                self.enter_macro(pos)?;
                let result = self.nodes(body);
                self.macro_depth -= 1;
                result.map(|_| ())
            }
            Value::Str(s) => self.write(s, pos),
            Value::Int(i) => {
                let mut buf = [0u8; 24];
                let text = format_int(*i, &mut buf);
                self.write(text, pos)
            }
            other => {
                let text = other.java_string();
                self.write(&text, pos)
            }
        }
    }

    /// `\$a` / `\\$a` (Velocity 1.7 "Escaping Valid VTL References"): for a defined reference, each pair of
    /// backslashes prints one and an odd one prints the reference literally; an undefined reference prints
    /// as written.
    fn escaped(&mut self, backslashes: usize, reference: &Reference, raw: &str) -> Eval<()> {
        let value = self.reference(reference)?;
        if matches!(value, Value::Null) {
            return self.write(&format!("{}{raw}", "\\".repeat(backslashes)), reference.pos);
        }
        self.write(&"\\".repeat(backslashes / 2), reference.pos)?;
        if backslashes % 2 == 1 {
            self.write(raw, reference.pos)
        } else {
            self.print(&value, reference.pos)
        }
    }

    /// `#if` / `#elseif` / `#else`.
    fn if_node(&mut self, branches: &[(Expr, Vec<Node>)], otherwise: Option<&[Node]>) -> Eval<Flow> {
        for (cond, body) in branches {
            if self.expr(cond)?.truthy() {
                return self.nodes(body);
            }
        }
        match otherwise {
            Some(body) => self.nodes(body),
            None => Ok(Flow::Normal),
        }
    }

    /// `#foreach`. Errors: more than [`MAX_FOREACH_ITERATIONS`] iterations.
    fn foreach(&mut self, var: usize, iterable: &Expr, body: &[Node], pos: usize) -> Eval<Flow> {
        let items: Vec<Value> = match self.expr(iterable)? {
            Value::List(list) => list.borrow().items.clone(),
            Value::Map(map) => map.borrow().values().cloned().collect(),
            _ => Vec::new(),
        };
        self.steps += items.len() as u64;
        if items.len() > MAX_FOREACH_ITERATIONS {
            return Err(err(
                pos,
                format!(
                    "#foreach over {} items: API Gateway limits a loop to {MAX_FOREACH_ITERATIONS} iterations",
                    items.len()
                ),
            ));
        }
        let slots = [var, SLOT_FOREACH, SLOT_VELOCITY_COUNT, SLOT_VELOCITY_HAS_NEXT];
        let saved = slots.map(|k| self.get_var(k));
        let total = items.len();
        let mut result = Ok(Flow::Normal);
        for (index, item) in items.into_iter().enumerate() {
            let has_next = index + 1 < total;
            self.step(pos)?;
            self.set_var(var, item);
            self.set_var(SLOT_FOREACH, Value::Loop(LoopState { index, has_next }));
            self.set_var(SLOT_VELOCITY_COUNT, Value::Int(index as i64 + 1));
            self.set_var(SLOT_VELOCITY_HAS_NEXT, Value::Bool(has_next));
            match self.nodes(body) {
                Ok(Flow::Normal) => {}
                Ok(Flow::Break) => break,
                other => {
                    result = other;
                    break;
                }
            }
        }
        for (k, v) in slots.into_iter().zip(saved) {
            self.set_var(k, v);
        }
        result
    }

    /// Sets the variable in `slot`.
    fn set_var(&mut self, slot: usize, value: Value) {
        if let Some(s) = self.vars.get_mut(slot) {
            *s = value;
        }
    }

    /// The variable in `slot` (null when unset).
    fn get_var(&self, slot: usize) -> Value {
        self.vars.get(slot).cloned().unwrap_or_default()
    }

    /// A velocimacro call; an unknown name prints the call as written (Velocity).
    fn macro_call(&mut self, name: &str, args: &[Expr], raw: &str, pos: usize) -> Eval<Flow> {
        let tpl = self.tpl;
        let Some(def) = tpl.defs.macros.get(name) else {
            self.write(raw, pos)?;
            return Ok(Flow::Normal);
        };
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            values.push(self.expr(a)?);
        }
        self.enter_macro(pos)?;
        let saved: Vec<Value> = def.param_slots.iter().map(|&p| self.get_var(p)).collect();
        for (i, &p) in def.param_slots.iter().enumerate() {
            self.set_var(p, values.get(i).cloned().unwrap_or_default());
        }
        let result = self.nodes(&def.body);
        for (&p, v) in def.param_slots.iter().zip(saved) {
            self.set_var(p, v);
        }
        self.macro_depth -= 1;
        match result? {
            Flow::Stop => Ok(Flow::Stop),
            _ => Ok(Flow::Normal),
        }
    }

    /// Enters a macro or block. Errors: deeper than Velocity's `velocimacro.max.depth`.
    fn enter_macro(&mut self, pos: usize) -> Eval<()> {
        if self.macro_depth >= MAX_MACRO_DEPTH {
            return Err(err(
                pos,
                format!("macro recursion deeper than {MAX_MACRO_DEPTH} (Velocity's velocimacro.max.depth)"),
            ));
        }
        self.macro_depth += 1;
        Ok(())
    }

    /// `#set`.
    fn set(&mut self, target: &Reference, value: &Expr, pos: usize) -> Eval<()> {
        let value = self.expr(value)?;
        if matches!(value, Value::Null) {
            return Ok(());
        }
        let Some((last, init)) = target.parts.split_last() else {
            self.set_var(target.slot, value);
            return Ok(());
        };
        let container = self.walk(target, init)?;
        match (last, &container) {
            (Accessor::Property(name, _), Value::Map(map)) => {
                map.borrow_mut().insert(name.clone(), value);
                Ok(())
            }
            (Accessor::Index(index, at), Value::Map(map)) => {
                let key = self.expr(index)?.java_string();
                let _ = at;
                map.borrow_mut().insert(key, value);
                Ok(())
            }
            (Accessor::Index(index, at), Value::List(list)) => {
                let i = self.expr(index)?;
                let len = list.borrow().items.len();
                let slot = list_index(&i, len)
                    .ok_or_else(|| err(*at, format!("index {} out of bounds for length {len}", i.java_string())))?;
                if let Some(s) = list.borrow_mut().items.get_mut(slot) {
                    *s = value;
                }
                Ok(())
            }
            (Accessor::Method(name, _, at), _) => {
                Err(err(*at, format!("#set cannot assign to the method call {name}()")))
            }
            (_, Value::Null) => Err(err(pos, "#set: the left-hand side's object is null")),
            (Accessor::Property(name, at), other) => Err(err(
                *at,
                format!("#set: cannot set property {name} on a {}", other.type_name()),
            )),
            (Accessor::Index(_, at), other) => Err(err(*at, format!("#set: cannot index a {}", other.type_name()))),
        }
    }

    /// Evaluates a reference.
    fn reference(&mut self, r: &Reference) -> Eval<Value> {
        // Fast path for `$name`, the most common reference.
        if r.parts.is_empty() {
            self.step(r.pos)?;
            return Ok(self.get_var(r.slot));
        }
        self.walk(r, &r.parts)
    }

    /// Evaluates a reference's root and the given accessors (one step). A chain of map keys is looked up in
    /// place, copying only the value found ([`plain_lookup`]).
    fn walk(&mut self, r: &Reference, parts: &[Accessor]) -> Eval<Value> {
        self.step(r.pos)?;
        if let Some(value) = self
            .vars
            .get(r.slot)
            .and_then(|root| plain_lookup(root, parts, Value::clone))
        {
            return Ok(value);
        }
        self.walk_parts(r, parts)
    }

    /// [`Self::walk`] without the step and the in-place lookup: evaluates each accessor in turn.
    fn walk_parts(&mut self, r: &Reference, parts: &[Accessor]) -> Eval<Value> {
        let mut value = self.get_var(r.slot);
        for part in parts {
            if matches!(value, Value::Null) {
                return Ok(Value::Null);
            }
            value = match part {
                Accessor::Property(name, at) => self.property(&value, name, *at)?,
                Accessor::Method(name, args, at) => {
                    let mut values = Vec::with_capacity(args.len());
                    for a in args {
                        values.push(self.expr(a)?);
                    }
                    self.method(&value, name, &values, *at)?
                }
                Accessor::Index(index, at) => {
                    let i = self.expr(index)?;
                    self.index(&value, &i, *at)?
                }
            };
        }
        Ok(value)
    }

    /// `.name`: a map key, an entry's key/value, `$foreach` fields, or a `getName()` / `isName()` getter.
    fn property(&mut self, value: &Value, name: &str, at: usize) -> Eval<Value> {
        match value {
            Value::Map(map) => Ok(map_get(&map.borrow(), name)),
            Value::Entry(e) if name == "key" => Ok(Value::str(&e.0)),
            Value::Entry(e) if name == "value" => Ok(e.1.clone()),
            Value::Input => self.gateway.input_call(name, &[]).map_err(|m| err(at, m)),
            Value::Loop(state) => match name {
                "hasNext" => Ok(Value::Bool(state.has_next)),
                "index" => Ok(Value::Int(state.index as i64)),
                "count" => Ok(Value::Int(state.index as i64 + 1)),
                _ => methods::call(value, name, &[]).map_err(|m| err(at, m)),
            },
            _ => {
                let cap = capitalize(name);
                methods::call(value, &format!("get{cap}"), &[])
                    .or_else(|_| methods::call(value, &format!("is{cap}"), &[]))
                    .map_err(|_| err(at, format!("{} has no property {name}", value.type_name())))
            }
        }
    }

    /// `.name(args)`.
    fn method(&mut self, value: &Value, name: &str, args: &[Value], at: usize) -> Eval<Value> {
        self.step(at)?;
        let result = match value {
            Value::Input => self.gateway.input_call(name, args),
            Value::Util => util_call(name, args),
            _ => methods::call(value, name, args),
        };
        let result = result.map_err(|m| err(at, m))?;
        self.charge(&result, at)?;
        Ok(result)
    }

    /// `[index]` on a list (negative counts from the end, Velocity 1.7) or a map.
    fn index(&mut self, value: &Value, index: &Value, at: usize) -> Eval<Value> {
        match value {
            Value::List(list) => {
                let list = list.borrow();
                let len = list.items.len();
                list_index(index, len)
                    .and_then(|i| list.items.get(i).cloned())
                    .ok_or_else(|| {
                        err(
                            at,
                            format!("index {} out of bounds for length {len}", index.java_string()),
                        )
                    })
            }
            Value::Map(map) => Ok(map.borrow().get(&index.java_string()).cloned().unwrap_or_default()),
            other => Err(err(at, format!("cannot index a {} with [ ]", other.type_name()))),
        }
    }

    /// Evaluates an expression.
    fn expr(&mut self, e: &Expr) -> Eval<Value> {
        self.depth += 1;
        let result = if self.depth > MAX_EVAL_DEPTH {
            Err(err(
                0,
                format!("template evaluation nested deeper than {MAX_EVAL_DEPTH} levels"),
            ))
        } else {
            self.expr_inner(e)
        };
        self.depth -= 1;
        result
    }

    /// [`Self::expr`] without the depth accounting.
    fn expr_inner(&mut self, e: &Expr) -> Eval<Value> {
        match e {
            Expr::Ref(r) => self.reference(r),
            Expr::Bool(b) => Ok(Value::Bool(*b)),
            Expr::Int(i) => Ok(Value::Int(*i)),
            Expr::Float(f) => Ok(Value::Float(*f)),
            Expr::Str(s) => Ok(Value::str(s)),
            Expr::Binary(op, left, right, at) => self.binary(*op, left, right, *at),
            _ => self.expr_compound(e),
        }
    }

    /// The less common expressions (literals of collections, strings with references, unary operators), kept
    /// out of [`Self::expr_inner`] so the hot path stays small.
    #[inline(never)]
    fn expr_compound(&mut self, e: &Expr) -> Eval<Value> {
        match e {
            Expr::Interpolated(nodes) => self.interpolate(nodes),
            Expr::List(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    values.push(self.expr(item)?);
                }
                Ok(Value::list(values))
            }
            Expr::Map(entries) => {
                let mut map = JMap::with_capacity_and_hasher(entries.len(), Default::default());
                for (k, v) in entries {
                    let key = self.expr(k)?.java_string();
                    let value = self.expr(v)?;
                    map.insert(key, value);
                }
                Ok(Value::map(map))
            }
            Expr::Range(from, to, at) => self.range(from, to, *at),
            Expr::Not(inner) => Ok(Value::Bool(!self.expr(inner)?.truthy())),
            Expr::Neg(inner, at) => match self.expr(inner)? {
                Value::Int(i) => i
                    .checked_neg()
                    .map(Value::Int)
                    .ok_or_else(|| err(*at, "integer overflow")),
                Value::Float(f) => Ok(Value::Float(-f)),
                other => Err(err(*at, format!("cannot negate a {}", other.type_name()))),
            },
            Expr::Ref(_) | Expr::Bool(_) | Expr::Int(_) | Expr::Float(_) | Expr::Str(_) | Expr::Binary(..) => {
                self.expr_inner(e)
            }
        }
    }

    /// A double-quoted string with references: rendered into a string (a `#break` or `#stop` inside it ends
    /// only the string).
    fn interpolate(&mut self, nodes: &[Node]) -> Eval<Value> {
        let buffer = self.scratch.pop().unwrap_or_default();
        let saved = std::mem::replace(&mut self.out, buffer);
        let result = self.nodes(nodes);
        let mut text = std::mem::replace(&mut self.out, saved);
        let value = Value::str(&text);
        text.clear();
        if self.scratch.len() < 8 {
            self.scratch.push(text);
        }
        result?;
        Ok(value)
    }

    /// `[from..to]`. Errors: non-integer bounds, more than [`MAX_COLLECTION`] elements.
    fn range(&mut self, from: &Expr, to: &Expr, at: usize) -> Eval<Value> {
        let bound = |v: Value| match v {
            Value::Int(i) => Some(i),
            Value::Str(s) => s.trim().parse().ok(),
            _ => None,
        };
        let (a, b) = (self.expr(from)?, self.expr(to)?);
        let (Some(a), Some(b)) = (bound(a), bound(b)) else {
            return Err(err(at, "range bounds must be integers"));
        };
        let len = a.abs_diff(b).saturating_add(1);
        if len > MAX_COLLECTION as u64 {
            return Err(err(
                at,
                format!("range of {len} elements is larger than {MAX_COLLECTION}"),
            ));
        }
        self.steps += len;
        self.step(at)?;
        let items: Vec<Value> = if a <= b {
            (a..=b).map(Value::Int).collect()
        } else {
            (b..=a).rev().map(Value::Int).collect()
        };
        Ok(Value::list(items))
    }

    /// A binary operator.
    fn binary(&mut self, op: BinOp, left: &Expr, right: &Expr, at: usize) -> Eval<Value> {
        self.step(at)?;
        match op {
            BinOp::And => {
                return Ok(Value::Bool(self.expr(left)?.truthy() && self.expr(right)?.truthy()));
            }
            BinOp::Or => {
                return Ok(Value::Bool(self.expr(left)?.truthy() || self.expr(right)?.truthy()));
            }
            _ => {}
        }
        let (l, r) = (self.expr(left)?, self.expr(right)?);
        match op {
            BinOp::Eq => Ok(Value::Bool(l.velocity_eq(&r))),
            BinOp::Ne => Ok(Value::Bool(!l.velocity_eq(&r))),
            BinOp::Lt | BinOp::Gt | BinOp::Le | BinOp::Ge => compare(op, &l, &r).map_err(|m| err(at, m)),
            _ => {
                let v = arithmetic(op, &l, &r).map_err(|m| err(at, m))?;
                if matches!(v, Value::Str(_)) {
                    self.charge(&v, at)?;
                }
                Ok(v)
            }
        }
    }
}

/// A list position for `index` (negative counts from the end).
fn list_index(index: &Value, len: usize) -> Option<usize> {
    let Value::Int(i) = index else { return None };
    let i = if *i < 0 { i.checked_add(len as i64)? } else { *i };
    usize::try_from(i).ok().filter(|&i| i < len)
}

/// `< > <= >=` on numbers. Errors: a non-number operand.
fn compare(op: BinOp, l: &Value, r: &Value) -> Result<Value, String> {
    let ordering = match (l, r) {
        (Value::Int(a), Value::Int(b)) => a.partial_cmp(b),
        _ => match (l.as_f64(), r.as_f64()) {
            (Some(a), Some(b)) => a.partial_cmp(&b),
            _ => {
                return Err(format!(
                    "cannot compare {} with {} (only numbers can be ordered)",
                    l.type_name(),
                    r.type_name()
                ))
            }
        },
    };
    let Some(ord) = ordering else {
        return Ok(Value::Bool(false));
    };
    Ok(Value::Bool(match op {
        BinOp::Lt => ord.is_lt(),
        BinOp::Gt => ord.is_gt(),
        BinOp::Le => ord.is_le(),
        _ => ord.is_ge(),
    }))
}

/// `+ - * / %` with Java semantics.
fn arithmetic(op: BinOp, l: &Value, r: &Value) -> Result<Value, String> {
    if op == BinOp::Add && (matches!(l, Value::Str(_)) || matches!(r, Value::Str(_))) {
        return Ok(Value::str(&format!("{}{}", l.java_string(), r.java_string())));
    }
    if let (Value::Int(a), Value::Int(b)) = (l, r) {
        let (a, b) = (*a, *b);
        let result = match op {
            BinOp::Add => a.checked_add(b),
            BinOp::Sub => a.checked_sub(b),
            BinOp::Mul => a.checked_mul(b),
            BinOp::Div if b == 0 => return Ok(Value::Null),
            BinOp::Div => a.checked_div(b),
            BinOp::Rem if b == 0 => return Ok(Value::Null),
            _ => a.checked_rem(b),
        };
        return result.map(Value::Int).ok_or_else(|| "integer overflow".to_string());
    }
    let (Some(a), Some(b)) = (l.as_f64(), r.as_f64()) else {
        return Err(format!(
            "arithmetic needs numbers, got {} and {}",
            l.type_name(),
            r.type_name()
        ));
    };
    Ok(match op {
        BinOp::Add => Value::Float(a + b),
        BinOp::Sub => Value::Float(a - b),
        BinOp::Mul => Value::Float(a * b),
        BinOp::Div if b == 0.0 => Value::Null,
        BinOp::Div => Value::Float(a / b),
        BinOp::Rem if b == 0.0 => Value::Null,
        _ => Value::Float(a % b),
    })
}

/// `map.get(key)`, null when absent.
fn map_get(map: &JMap, key: &str) -> Value {
    map_find(map, key).cloned().unwrap_or_default()
}

/// The value under `key`, if any. Small maps (most JSON objects) are scanned, which is faster than hashing.
fn map_find<'m>(map: &'m JMap, key: &str) -> Option<&'m Value> {
    if map.len() <= 8 {
        return map.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v);
    }
    map.get(key)
}

/// Looks up `root` followed by `parts` in place when every accessor is a property of a map (or `$foreach`'s
/// `hasNext` / `index` / `count`), and calls `f` on what it finds; `None` (without calling `f`) for any other
/// shape, which the caller then evaluates step by step. Gives the same value as [`Renderer::walk_parts`]: a
/// missing key is null, and a null before any accessor ends the chain with null (its arguments unevaluated).
fn plain_lookup<R>(root: &Value, parts: &[Accessor], f: impl FnOnce(&Value) -> R) -> Option<R> {
    let Some((part, rest)) = parts.split_first() else {
        return Some(f(root));
    };
    let Accessor::Property(name, _) = part else {
        return None;
    };
    match root {
        Value::Null => Some(f(&Value::Null)),
        Value::Map(map) => {
            let map = map.borrow();
            match map_find(&map, name) {
                Some(child) => plain_lookup(child, rest, f),
                None => Some(f(&Value::Null)),
            }
        }
        Value::Loop(state) if rest.is_empty() => {
            let value = match name.as_str() {
                "hasNext" => Value::Bool(state.has_next),
                "index" => Value::Int(state.index as i64),
                "count" => Value::Int(state.index as i64 + 1),
                _ => return None,
            };
            Some(f(&value))
        }
        _ => None,
    }
}

/// [`Renderer::print`] for everything but a `#define` block, writing into `out`; a block is handed back to be
/// rendered.
fn print_plain(out: &mut String, steps: &mut u64, value: &Value, pos: usize) -> Eval<Option<Value>> {
    match value {
        Value::Null => {}
        Value::Block(_) => return Ok(Some(value.clone())),
        Value::Str(s) => write_out(out, steps, s, pos)?,
        Value::Int(i) => {
            let mut buf = [0u8; 24];
            write_out(out, steps, format_int(*i, &mut buf), pos)?;
        }
        other => write_out(out, steps, &other.java_string(), pos)?,
    }
    Ok(None)
}

/// Appends `text` to `out`, charging `steps`. Errors: output larger than the payload quota.
#[inline]
fn write_out(out: &mut String, steps: &mut u64, text: &str, pos: usize) -> Eval<()> {
    if out.len() + text.len() > MAX_OUTPUT_BYTES {
        return Err(err(pos, format!("template output exceeds {MAX_OUTPUT_BYTES} bytes")));
    }
    *steps += text.len() as u64 / 64;
    out.push_str(text);
    Ok(())
}

/// Formats an integer into `buf` without allocating.
fn format_int(i: i64, buf: &mut [u8; 24]) -> &str {
    let mut n = i.unsigned_abs();
    let mut at = buf.len();
    loop {
        at -= 1;
        if let Some(slot) = buf.get_mut(at) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        at -= 1;
        if let Some(slot) = buf.get_mut(at) {
            *slot = b'-';
        }
    }
    std::str::from_utf8(buf.get(at..).unwrap_or_default()).unwrap_or_default()
}

/// `name` with its first letter upper-cased (Java bean getter names).
fn capitalize(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// A render error.
fn err(pos: usize, message: impl Into<String>) -> Box<RenderError> {
    Box::new(RenderError {
        pos,
        message: message.into(),
    })
}
