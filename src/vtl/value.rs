//! Java-like runtime values and their `toString`.
//!
//! Velocity works on Java objects; API Gateway hands templates `String`s, numbers, `Boolean`s, `java.util`
//! lists and maps, and JSON values from its JSONPath engine. Printing follows Java's `toString`: a map prints
//! `{k=v, k2=v2}` (`AbstractMap.toString`), a list built in VTL prints `[a, b]` (`AbstractCollection.toString`),
//! while a JSON array produced by `$input.path` / `$util.parseJson` prints as compact JSON (API Gateway's
//! JSON-smart `JSONArray`; see `shared/reference/apigateway-facts.md`, `$input.path` row). Null prints as
//! nothing when rendered (API Gateway) and as `null` inside a collection (Java).

use indexmap::IndexMap;
use serde_json::Value as Json;
use std::cell::RefCell;
use std::fmt::Write as _;
use std::rc::Rc;

/// FNV-1a, a fast hasher for the short keys templates use (variable names, JSON keys). Keys come from the
/// template author and the request; a hostile key set can only slow its own render, which the step budget bounds.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Builds [`Fnv`] hashers.
pub type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

/// A Java `LinkedHashMap<String, Object>`: insertion-ordered.
pub type JMap = IndexMap<String, Value, FnvBuild>;

/// Values [`Value::to_json`] visits at most.
const JSON_BUDGET: usize = 1_000_000;

/// Element pairs one equality test compares at most.
const EQ_BUDGET: usize = 100_000;

/// A list, and whether it came from JSON (prints as JSON) or from VTL (prints Java-style).
#[derive(Debug, Clone, Default)]
pub struct List {
    /// Elements.
    pub items: Vec<Value>,
    /// Came from a JSON document.
    pub json: bool,
}

/// State of the innermost `#foreach`, seen as `$foreach`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoopState {
    /// 0-based index (`$foreach.index`).
    pub index: usize,
    /// Whether more items follow (`$foreach.hasNext`).
    pub has_next: bool,
}

/// A runtime value.
///
/// `repr(u64)` puts every payload 8-byte aligned after a full-word tag (the size stays 24 bytes). With the
/// default layout a `bool` payload sits at byte 1, so each move of a `Value` copied bytes 1..8 with two
/// overlapping unaligned loads, which stall on store forwarding right after the value was written; `perf`
/// showed those stalls as the hottest instructions of the renderer.
#[derive(Debug, Clone, Default)]
#[repr(u64)]
pub enum Value {
    /// Java `null`; also what an undefined reference evaluates to.
    #[default]
    Null,
    /// `java.lang.Boolean`.
    Bool(bool),
    /// `java.lang.Integer` / `Long`.
    Int(i64),
    /// `java.lang.Double`.
    Float(f64),
    /// `java.lang.String`.
    Str(Rc<str>),
    /// `java.util.List` (shared and mutable, like a Java reference).
    List(Rc<RefCell<List>>),
    /// `java.util.LinkedHashMap` with string keys (shared and mutable).
    Map(Rc<RefCell<JMap>>),
    /// `Map.Entry` from `entrySet()`.
    Entry(Rc<(String, Value)>),
    /// A `#define` block, rendered where referenced.
    Block(usize),
    /// `$foreach`.
    Loop(LoopState),
    /// `$input`.
    Input,
    /// `$util`.
    Util,
}

impl Value {
    /// A string value.
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }

    /// A VTL (Java-printing) list.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(RefCell::new(List { items, json: false })))
    }

    /// A map.
    pub fn map(entries: JMap) -> Value {
        Value::Map(Rc::new(RefCell::new(entries)))
    }

    /// Java type name, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "Boolean",
            Value::Int(_) => "Integer",
            Value::Float(_) => "Double",
            Value::Str(_) => "String",
            Value::List(_) => "List",
            Value::Map(_) => "Map",
            Value::Entry(_) => "Map.Entry",
            Value::Block(_) => "Block",
            Value::Loop(_) => "ForeachScope",
            Value::Input => "$input",
            Value::Util => "$util",
        }
    }

    /// Velocity's `#if` truth: null and `false` are false, everything else is true (Velocity 1.7).
    pub fn truthy(&self) -> bool {
        !matches!(self, Value::Null | Value::Bool(false))
    }

    /// Java's `toString`, with null as `null` (how a collection prints an element).
    pub fn java_string(&self) -> String {
        let mut out = String::new();
        self.write_java(&mut out, 0);
        out
    }

    /// Appends Java's `toString` to `out`; `depth` stops self-containing collections.
    pub fn write_java(&self, out: &mut String, depth: usize) {
        if out.len() > super::limits::MAX_OUTPUT_BYTES {
            // A collection that contains itself would print forever; the renderer reports the size error.
            return;
        }
        if depth > 64 {
            out.push_str("(this Collection)");
            return;
        }
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Float(f) => out.push_str(&java_double(*f)),
            Value::Str(s) => out.push_str(s),
            Value::List(list) => {
                let list = list.borrow();
                if list.json {
                    let mut budget = JSON_BUDGET;
                    out.push_str(&self.to_json_bounded(depth, &mut budget).to_string());
                    return;
                }
                out.push('[');
                for (i, item) in list.items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_java(out, depth + 1);
                }
                out.push(']');
            }
            Value::Map(map) => {
                out.push('{');
                for (i, (k, v)) in map.borrow().iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(k);
                    out.push('=');
                    v.write_java(out, depth + 1);
                }
                out.push('}');
            }
            Value::Entry(entry) => {
                out.push_str(&entry.0);
                out.push('=');
                entry.1.write_java(out, depth + 1);
            }
            Value::Block(_) | Value::Input | Value::Util | Value::Loop(_) => {}
        }
    }

    /// The value as JSON (maps become objects, lists arrays; other objects null).
    pub fn to_json(&self) -> Json {
        let mut budget = JSON_BUDGET;
        self.to_json_bounded(0, &mut budget)
    }

    /// [`Value::to_json`] visiting at most `budget` values (a list that contains itself is cut off).
    fn to_json_bounded(&self, depth: usize, budget: &mut usize) -> Json {
        if depth > 64 || *budget == 0 {
            return Json::Null;
        }
        *budget -= 1;
        match self {
            Value::Null | Value::Block(_) | Value::Input | Value::Util | Value::Loop(_) => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
            Value::Str(s) => Json::String(s.to_string()),
            Value::List(list) => Json::Array(
                list.borrow()
                    .items
                    .iter()
                    .map(|v| v.to_json_bounded(depth + 1, budget))
                    .collect(),
            ),
            Value::Map(map) => Json::Object(
                map.borrow()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json_bounded(depth + 1, budget)))
                    .collect(),
            ),
            Value::Entry(entry) => {
                let mut obj = serde_json::Map::new();
                obj.insert(entry.0.clone(), entry.1.to_json_bounded(depth + 1, budget));
                Json::Object(obj)
            }
        }
    }

    /// A JSON document as values: objects become maps, arrays JSON lists, integers `Int`, other numbers `Float`.
    pub fn from_json(json: &Json) -> Value {
        match json {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => n
                .as_i64()
                .map_or_else(|| Value::Float(n.as_f64().unwrap_or(0.0)), Value::Int),
            Json::String(s) => Value::str(s),
            Json::Array(items) => Value::List(Rc::new(RefCell::new(List {
                items: items.iter().map(Value::from_json).collect(),
                json: true,
            }))),
            Json::Object(obj) => Value::map(obj.iter().map(|(k, v)| (k.clone(), Value::from_json(v))).collect()),
        }
    }

    /// The number as f64, if this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// Velocity 1.7 `==`: both null is true, one null false; numbers compare by value; values of the same class
    /// use `equals`; values of different classes compare their `toString`.
    pub fn velocity_eq(&self, other: &Value) -> bool {
        let mut budget = EQ_BUDGET;
        self.eq_bounded(other, &mut budget, 0)
    }

    /// [`Value::velocity_eq`] comparing at most `budget` pairs (self-containing collections compare unequal).
    fn eq_bounded(&self, other: &Value, budget: &mut usize, depth: usize) -> bool {
        if *budget == 0 || depth > 64 {
            return false;
        }
        *budget -= 1;
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Null, _) | (_, Value::Null) => false,
            (Value::Int(a), Value::Int(b)) => a == b,
            (a, b) if a.as_f64().is_some() && b.as_f64().is_some() => a.as_f64() == b.as_f64(),
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::List(a), Value::List(b)) if Rc::ptr_eq(a, b) => true,
            (Value::Map(a), Value::Map(b)) if Rc::ptr_eq(a, b) => true,
            (Value::List(a), Value::List(b)) => {
                let (a, b) = (a.borrow(), b.borrow());
                a.items.len() == b.items.len()
                    && a.items
                        .iter()
                        .zip(&b.items)
                        .all(|(x, y)| x.equals_bounded(y, budget, depth + 1))
            }
            (Value::Map(a), Value::Map(b)) => {
                let (a, b) = (a.borrow(), b.borrow());
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.get(k).is_some_and(|w| v.equals_bounded(w, budget, depth + 1)))
            }
            (a, b) => a.java_string() == b.java_string(),
        }
    }

    /// Java `equals` (no cross-type conversion; `Integer(1)` is not `Double(1.0)`).
    pub fn java_equals(&self, other: &Value) -> bool {
        let mut budget = EQ_BUDGET;
        self.equals_bounded(other, &mut budget, 0)
    }

    /// [`Value::java_equals`] within a comparison budget.
    fn equals_bounded(&self, other: &Value, budget: &mut usize, depth: usize) -> bool {
        match (self, other) {
            (Value::Int(_), Value::Float(_)) | (Value::Float(_), Value::Int(_)) => false,
            (Value::Null, Value::Null) => true,
            (a, b) if std::mem::discriminant(a) == std::mem::discriminant(b) => a.eq_bounded(b, budget, depth),
            _ => false,
        }
    }

    /// A rough size for the renderer's work budget: string bytes / 64, collection elements.
    pub fn weight(&self) -> u64 {
        match self {
            Value::Str(s) => s.len() as u64 / 64,
            Value::List(l) => l.borrow().items.len() as u64,
            Value::Map(m) => m.borrow().len() as u64,
            _ => 0,
        }
    }
}

/// Java's `Double.toString`: `1.0`, `0.001`, `1.0E7`, `1.0E-4`, `NaN`, `Infinity`.
pub fn java_double(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    let abs = f.abs();
    if abs == 0.0 || (1e-3..1e7).contains(&abs) {
        let s = format!("{f}");
        return if s.contains('.') { s } else { format!("{s}.0") };
    }
    let s = format!("{f:e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let mantissa = if mantissa.contains('.') {
        mantissa.to_string()
    } else {
        format!("{mantissa}.0")
    };
    format!("{mantissa}E{exp}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_double_forms() {
        assert_eq!(java_double(1.0), "1.0");
        assert_eq!(java_double(249.99), "249.99");
        assert_eq!(java_double(0.001), "0.001");
        assert_eq!(java_double(1e7), "1.0E7");
        assert_eq!(java_double(1.5e-4), "1.5E-4");
        assert_eq!(java_double(-0.0), "-0.0");
    }

    #[test]
    fn map_and_list_printing() {
        let json: Json = serde_json::from_str(r#"{"a":1,"b":[1,"x",{"c":null}],"d":{"e":true}}"#).unwrap();
        assert_eq!(
            Value::from_json(&json).java_string(),
            r#"{a=1, b=[1,"x",{"c":null}], d={e=true}}"#
        );
        let list = Value::list(vec![Value::Int(1), Value::str("a"), Value::Null]);
        assert_eq!(list.java_string(), "[1, a, null]");
    }
}
