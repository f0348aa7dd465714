//! Java methods that templates call on strings, lists, maps and map entries.
//!
//! Sources: Java SE `java.lang.String`, `java.util.List`, `java.util.Map`, `java.util.Map.Entry`. Indexes and
//! lengths count UTF-16 code units, as in Java. A method that does not exist for the value's type, or arguments
//! of the wrong type, give an error naming the method (Velocity would log it and print the reference literally;
//! the simulator says what went wrong instead).

use super::javaregex;
use super::limits::MAX_COLLECTION;
use super::value::{List, Value};
use std::cell::RefCell;
use std::rc::Rc;

/// Calls `name(args)` on `recv`. Errors: unknown method, wrong arguments, Java exceptions (index out of range).
pub fn call(recv: &Value, name: &str, args: &[Value]) -> Result<Value, String> {
    let universal = match (name, args) {
        ("toString", []) => Some(Value::str(&recv.java_string())),
        ("equals", [other]) => Some(Value::Bool(recv.java_equals(other))),
        _ => None,
    };
    if let Some(v) = universal {
        return Ok(v);
    }
    let found = match recv {
        Value::Str(s) => string_method(s, name, args)?,
        Value::List(list) => list_method(list, name, args)?,
        Value::Map(map) => map_method(map, name, args)?,
        Value::Entry(entry) => match (name, args) {
            ("getKey", []) => Some(Value::str(&entry.0)),
            ("getValue", []) => Some(entry.1.clone()),
            _ => None,
        },
        Value::Loop(state) => loop_method(*state, name, args),
        Value::Int(i) => match (name, args) {
            ("intValue" | "longValue", []) => Some(Value::Int(*i)),
            ("doubleValue", []) => Some(Value::Float(*i as f64)),
            _ => None,
        },
        Value::Float(f) => match (name, args) {
            ("intValue" | "longValue", []) => Some(Value::Int(*f as i64)),
            ("doubleValue", []) => Some(Value::Float(*f)),
            _ => None,
        },
        Value::Bool(b) => match (name, args) {
            ("booleanValue", []) => Some(Value::Bool(*b)),
            _ => None,
        },
        _ => None,
    };
    found.ok_or_else(|| no_method(recv, name, args.len()))
}

/// The "no such method" message.
fn no_method(recv: &Value, name: &str, arity: usize) -> String {
    format!("{} has no method {name} with {arity} argument(s)", recv.type_name())
}

/// `$foreach` methods (Velocity 1.7 `ForeachScope`).
fn loop_method(state: super::value::LoopState, name: &str, args: &[Value]) -> Option<Value> {
    if !args.is_empty() {
        return None;
    }
    let index = i64::try_from(state.index).unwrap_or(i64::MAX);
    match name {
        "getIndex" | "index" => Some(Value::Int(index)),
        "getCount" | "count" => Some(Value::Int(index.saturating_add(1))),
        "hasNext" | "getHasNext" | "isHasNext" => Some(Value::Bool(state.has_next)),
        "isFirst" | "getFirst" | "first" => Some(Value::Bool(state.index == 0)),
        "isLast" | "getLast" | "last" => Some(Value::Bool(!state.has_next)),
        _ => None,
    }
}

/// A string argument (Velocity converts nothing; any value's `toString` is accepted, null is an error).
fn arg_str(args: &[Value], i: usize, method: &str) -> Result<String, String> {
    match args.get(i) {
        Some(Value::Null) | None => Err(format!("{method}: argument {} is null", i + 1)),
        Some(v) => Ok(v.java_string()),
    }
}

/// An int argument.
fn arg_int(args: &[Value], i: usize, method: &str) -> Result<i64, String> {
    match args.get(i) {
        Some(Value::Int(n)) => Ok(*n),
        Some(v) => Err(format!(
            "{method}: argument {} must be an integer, not {}",
            i + 1,
            v.type_name()
        )),
        None => Err(format!("{method}: missing argument {}", i + 1)),
    }
}

/// UTF-16 length of `s`.
fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Byte offset of UTF-16 index `idx` in `s` (rounded up to a character boundary); `None` past the end.
fn byte_at_utf16(s: &str, idx: usize) -> Option<usize> {
    let mut units = 0;
    for (b, c) in s.char_indices() {
        if units >= idx {
            return Some(b);
        }
        units += c.len_utf16();
    }
    (units >= idx).then_some(s.len())
}

/// UTF-16 index of byte offset `b` in `s`.
fn utf16_at_byte(s: &str, b: usize) -> usize {
    utf16_len(s.get(..b).unwrap_or_default())
}

/// Java `substring(begin, end)` in UTF-16 units. Errors: `StringIndexOutOfBoundsException`.
fn substring(s: &str, begin: i64, end: Option<i64>) -> Result<String, String> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let len = units.len() as i64;
    let end = end.unwrap_or(len);
    if begin < 0 || end > len || begin > end {
        return Err(format!(
            "StringIndexOutOfBoundsException: begin {begin}, end {end}, length {len}"
        ));
    }
    let slice = units.get(begin as usize..end as usize).unwrap_or_default();
    Ok(String::from_utf16_lossy(slice))
}

/// Java `String.trim`: strips characters up to U+0020 from both ends.
fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// `java.lang.String` methods.
fn string_method(s: &str, name: &str, args: &[Value]) -> Result<Option<Value>, String> {
    let v = match (name, args.len()) {
        ("length", 0) => Value::Int(utf16_len(s) as i64),
        ("isEmpty", 0) => Value::Bool(s.is_empty()),
        ("trim", 0) => Value::str(java_trim(s)),
        ("toLowerCase", 0) => Value::str(&s.to_lowercase()),
        ("toUpperCase", 0) => Value::str(&s.to_uppercase()),
        ("substring", 1 | 2) => {
            let end = if args.len() == 2 {
                Some(arg_int(args, 1, name)?)
            } else {
                None
            };
            Value::str(&substring(s, arg_int(args, 0, name)?, end)?)
        }
        ("charAt", 1) => {
            let i = arg_int(args, 0, name)?;
            let units: Vec<u16> = s.encode_utf16().collect();
            let unit = usize::try_from(i).ok().and_then(|i| units.get(i).copied());
            match unit {
                Some(u) => Value::str(&String::from_utf16_lossy(&[u])),
                None => {
                    return Err(format!(
                        "StringIndexOutOfBoundsException: index {i}, length {}",
                        units.len()
                    ))
                }
            }
        }
        ("indexOf", 1 | 2) => {
            let needle = arg_str(args, 0, name)?;
            let from = if args.len() == 2 {
                arg_int(args, 1, name)?.max(0) as usize
            } else {
                0
            };
            let start = byte_at_utf16(s, from);
            let found = start.and_then(|b| s.get(b..).and_then(|rest| rest.find(&needle)).map(|i| i + b));
            Value::Int(found.map_or(-1, |b| utf16_at_byte(s, b) as i64))
        }
        ("lastIndexOf", 1) => {
            let needle = arg_str(args, 0, name)?;
            Value::Int(s.rfind(&needle).map_or(-1, |b| utf16_at_byte(s, b) as i64))
        }
        ("contains", 1) => Value::Bool(s.contains(&arg_str(args, 0, name)?)),
        ("startsWith", 1) => Value::Bool(s.starts_with(&arg_str(args, 0, name)?)),
        ("startsWith", 2) => {
            let from = arg_int(args, 1, name)?;
            let rest = usize::try_from(from)
                .ok()
                .and_then(|f| byte_at_utf16(s, f))
                .and_then(|b| s.get(b..));
            Value::Bool(rest.is_some_and(|r| r.starts_with(&arg_str(args, 0, name).unwrap_or_default())))
        }
        ("endsWith", 1) => Value::Bool(s.ends_with(&arg_str(args, 0, name)?)),
        ("equalsIgnoreCase", 1) => Value::Bool(match args.first() {
            Some(Value::Str(o)) => s.to_lowercase() == o.to_lowercase(),
            _ => false,
        }),
        ("concat", 1) => Value::str(&format!("{s}{}", arg_str(args, 0, name)?)),
        ("replace", 2) => {
            let (from, to) = (arg_str(args, 0, name)?, arg_str(args, 1, name)?);
            let grown = from.is_empty() && (s.len() + 1).saturating_mul(to.len()) > super::limits::MAX_OUTPUT_BYTES;
            if grown {
                return Err("replace: result too large".into());
            }
            Value::str(&s.replace(&from, &to))
        }
        ("replaceAll" | "replaceFirst", 2) => {
            let all = name == "replaceAll";
            Value::str(&javaregex::replace(
                s,
                &arg_str(args, 0, name)?,
                &arg_str(args, 1, name)?,
                all,
            )?)
        }
        ("matches", 1) => Value::Bool(javaregex::matches(s, &arg_str(args, 0, name)?)?),
        ("split", 1 | 2) => {
            let limit = if args.len() == 2 { arg_int(args, 1, name)? } else { 0 };
            let parts = javaregex::split(s, &arg_str(args, 0, name)?, limit)?;
            Value::list(parts.iter().map(|p| Value::str(p)).collect())
        }
        ("getBytes", 0) => Value::list(s.bytes().map(|b| Value::Int(i64::from(b as i8))).collect()),
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// A list index argument. Errors: `IndexOutOfBoundsException`.
fn index(args: &[Value], i: usize, len: usize, method: &str, inclusive: bool) -> Result<usize, String> {
    let n = arg_int(args, i, method)?;
    let limit = if inclusive { len } else { len.saturating_sub(1) };
    match usize::try_from(n) {
        Ok(k) if k <= limit && (inclusive || len > 0) => Ok(k),
        _ => Err(format!(
            "IndexOutOfBoundsException: Index {n} out of bounds for length {len}"
        )),
    }
}

/// `java.util.List` methods.
fn list_method(list: &Rc<RefCell<List>>, name: &str, args: &[Value]) -> Result<Option<Value>, String> {
    let len = list.borrow().items.len();
    let grow = |extra: usize| {
        if len + extra > MAX_COLLECTION {
            Err(format!("{name}: list larger than {MAX_COLLECTION} elements"))
        } else {
            Ok(())
        }
    };
    let v = match (name, args) {
        ("size", []) => Value::Int(len as i64),
        ("isEmpty", []) => Value::Bool(len == 0),
        ("get", [_]) => {
            let i = index(args, 0, len, name, false)?;
            list.borrow().items.get(i).cloned().unwrap_or_default()
        }
        ("contains", [x]) => Value::Bool(list.borrow().items.iter().any(|v| v.java_equals(x))),
        ("indexOf", [x]) => Value::Int(
            list.borrow()
                .items
                .iter()
                .position(|v| v.java_equals(x))
                .map_or(-1, |i| i as i64),
        ),
        ("add", [x]) => {
            grow(1)?;
            list.borrow_mut().items.push(x.clone());
            Value::Bool(true)
        }
        ("add", [_, x]) => {
            grow(1)?;
            let i = index(args, 0, len, name, true)?;
            list.borrow_mut().items.insert(i, x.clone());
            Value::Null
        }
        ("addAll", [Value::List(other)]) => {
            let extra = other.borrow().items.clone();
            grow(extra.len())?;
            list.borrow_mut().items.extend(extra);
            Value::Bool(true)
        }
        ("set", [_, x]) => {
            let i = index(args, 0, len, name, false)?;
            let mut l = list.borrow_mut();
            match l.items.get_mut(i) {
                Some(slot) => std::mem::replace(slot, x.clone()),
                None => Value::Null,
            }
        }
        ("remove", [Value::Int(_)]) => {
            let i = index(args, 0, len, name, false)?;
            list.borrow_mut().items.remove(i)
        }
        ("clear", []) => {
            list.borrow_mut().items.clear();
            Value::Null
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// `java.util.Map` methods (keys are strings; a non-string key is converted with `toString`).
fn map_method(map: &Rc<RefCell<super::value::JMap>>, name: &str, args: &[Value]) -> Result<Option<Value>, String> {
    let key = |i: usize| arg_str(args, i, name);
    let v = match (name, args.len()) {
        ("size", 0) => Value::Int(map.borrow().len() as i64),
        ("isEmpty", 0) => Value::Bool(map.borrow().is_empty()),
        ("keySet", 0) => Value::list(map.borrow().keys().map(|k| Value::str(k)).collect()),
        ("values", 0) => Value::list(map.borrow().values().cloned().collect()),
        ("entrySet", 0) => Value::list(
            map.borrow()
                .iter()
                .map(|(k, v)| Value::Entry(Rc::new((k.clone(), v.clone()))))
                .collect(),
        ),
        ("get", 1) => {
            let k = key(0)?;
            map.borrow().get(&k).cloned().unwrap_or_default()
        }
        ("containsKey", 1) => {
            let k = key(0)?;
            Value::Bool(map.borrow().contains_key(&k))
        }
        ("containsValue", 1) => Value::Bool(
            map.borrow()
                .values()
                .any(|v| args.first().is_some_and(|a| v.java_equals(a))),
        ),
        ("put", 2) => {
            if map.borrow().len() >= MAX_COLLECTION {
                return Err(format!("put: map larger than {MAX_COLLECTION} entries"));
            }
            let value = args.get(1).cloned().unwrap_or_default();
            let k = key(0)?;
            map.borrow_mut().insert(k, value).unwrap_or_default()
        }
        ("remove", 1) => {
            let k = key(0)?;
            map.borrow_mut().shift_remove(&k).unwrap_or_default()
        }
        ("putAll", 1) => {
            if let Some(Value::Map(other)) = args.first() {
                let entries: Vec<_> = other.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                map.borrow_mut().extend(entries);
            }
            Value::Null
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}
