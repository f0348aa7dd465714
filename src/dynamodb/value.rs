//! `AttributeValue`: the ten DynamoDB data types, read from and written to the JSON 1.0 wire shape
//! (`{"S": "x"}`, `{"N": "1"}`, `{"B": "<base64>"}`, `{"BOOL": true}`, `{"NULL": true}`, `{"M": {...}}`,
//! `{"L": [...]}`, `{"SS": [...]}`, `{"NS": [...]}`, `{"BS": [...]}`).
//!
//! Source: "AttributeValue", DynamoDB API reference; "Supported data types and naming rules" and "Item sizes and
//! formats", DynamoDB developer guide.

use super::errors::{invalid_parameter, serialization, validation};
use super::number::Number;
use crate::api::AwsError;
use base64::Engine;
use indexmap::IndexMap;
use serde_json::{Map, Value as Json};
use std::cmp::Ordering;
use std::hash::{BuildHasherDefault, Hasher};

/// An item or a map's entries: attribute names to values, in the order they were written. Hashed with FNV-1a:
/// attribute names are short, and SipHash's resistance to chosen keys buys nothing inside one account's engine.
pub type Item = IndexMap<String, AttributeValue, BuildHasherDefault<Fnv>>;

/// The FNV-1a hasher of [`Item`] keys.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// An empty item with room for `n` attributes.
pub fn item_with_capacity(n: usize) -> Item {
    Item::with_capacity_and_hasher(n, BuildHasherDefault::default())
}

/// Nesting deeper than this is refused: "DynamoDB supports nested attributes up to 32 levels deep" (source:
/// "Supported data types and naming rules", Document types).
pub const MAX_NESTING: usize = 32;

/// One DynamoDB value.
#[derive(Debug, Clone, PartialEq)]
pub enum AttributeValue {
    /// String (UTF-8).
    S(String),
    /// Number, exact.
    N(Number),
    /// Binary (decoded bytes; base64 on the wire).
    B(Vec<u8>),
    /// Boolean.
    Bool(bool),
    /// Null (always `true` on the wire).
    Null,
    /// Map of names to values.
    M(Item),
    /// List.
    L(Vec<AttributeValue>),
    /// String set (non-empty, no duplicates).
    SS(Vec<String>),
    /// Number set.
    NS(Vec<Number>),
    /// Binary set.
    BS(Vec<Vec<u8>>),
}

impl AttributeValue {
    /// The wire name of the type: `S`, `N`, `B`, `BOOL`, `NULL`, `M`, `L`, `SS`, `NS`, `BS`.
    pub fn type_name(&self) -> &'static str {
        match self {
            AttributeValue::S(_) => "S",
            AttributeValue::N(_) => "N",
            AttributeValue::B(_) => "B",
            AttributeValue::Bool(_) => "BOOL",
            AttributeValue::Null => "NULL",
            AttributeValue::M(_) => "M",
            AttributeValue::L(_) => "L",
            AttributeValue::SS(_) => "SS",
            AttributeValue::NS(_) => "NS",
            AttributeValue::BS(_) => "BS",
        }
    }

    /// Reads one value from its wire JSON. Errors are DynamoDB's ValidationException texts (the set, null and
    /// datatype messages as DynamoDB writes them; source: AWS re:Post threads quoting them, and moto 5.2.1 for
    /// the empty-set wording with its double space); a value of the wrong JSON type is a SerializationException,
    /// as the JSON 1.0 protocol answers (its exact text is not documented; ours names the member).
    pub fn from_json(json: &Json) -> Result<AttributeValue, AwsError> {
        AttributeValue::read(json, 0)
    }

    fn read(json: &Json, depth: usize) -> Result<AttributeValue, AwsError> {
        if depth > MAX_NESTING {
            return Err(validation("Nesting Levels have exceeded supported limits"));
        }
        let Some(object) = json.as_object() else {
            return Err(serialization("an AttributeValue must be a JSON object"));
        };
        let mut found: Option<(&str, &Json)> = None;
        for (key, value) in object {
            if matches!(
                key.as_str(),
                "S" | "N" | "B" | "BOOL" | "NULL" | "M" | "L" | "SS" | "NS" | "BS"
            ) {
                if found.is_some() {
                    return Err(invalid_parameter(
                        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
                    ));
                }
                found = Some((key, value));
            }
        }
        let Some((kind, value)) = found else {
            return Err(invalid_parameter(
                "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
            ));
        };
        match kind {
            "S" => Ok(AttributeValue::S(string(value, "S")?.to_string())),
            "N" => Ok(AttributeValue::N(number(string(value, "N")?)?)),
            "B" => Ok(AttributeValue::B(binary(value)?)),
            "BOOL" => value
                .as_bool()
                .map(AttributeValue::Bool)
                .ok_or_else(|| serialization("BOOL must be a JSON boolean")),
            "NULL" => match value.as_bool() {
                Some(true) => Ok(AttributeValue::Null),
                Some(false) => Err(invalid_parameter(
                    "Null attribute value types must have the value of true",
                )),
                None => Err(serialization("NULL must be a JSON boolean")),
            },
            "M" => {
                let map = value
                    .as_object()
                    .ok_or_else(|| serialization("M must be a JSON object"))?;
                let mut item = item_with_capacity(map.len());
                for (k, v) in map {
                    item.insert(k.clone(), AttributeValue::read(v, depth + 1)?);
                }
                Ok(AttributeValue::M(item))
            }
            "L" => {
                let list = value
                    .as_array()
                    .ok_or_else(|| serialization("L must be a JSON array"))?;
                let items = list.iter().map(|v| AttributeValue::read(v, depth + 1));
                Ok(AttributeValue::L(items.collect::<Result<_, _>>()?))
            }
            "SS" => {
                let members: Vec<String> = set_members(value, "SS", "An string set  may not be empty")?
                    .iter()
                    .map(|m| string(m, "SS").map(str::to_string))
                    .collect::<Result<_, _>>()?;
                no_duplicates(&members, |s| s.clone())?;
                Ok(AttributeValue::SS(members))
            }
            "NS" => {
                let texts: Vec<&str> = set_members(value, "NS", "An number set  may not be empty")?
                    .iter()
                    .map(|m| string(m, "NS"))
                    .collect::<Result<_, _>>()?;
                let members: Vec<Number> = texts.iter().map(|t| number(t)).collect::<Result<_, _>>()?;
                // Duplicates by value (`1` and `1.0` are one number); the message shows the numbers as sent.
                for (i, m) in members.iter().enumerate() {
                    if members[..i].contains(m) {
                        return Err(invalid_parameter(format!(
                            "Input collection [{}] contains duplicates.",
                            texts.join(", ")
                        )));
                    }
                }
                Ok(AttributeValue::NS(members))
            }
            _ => {
                let members: Vec<Vec<u8>> = set_members(value, "BS", "Binary sets should not be empty")?
                    .iter()
                    .map(binary)
                    .collect::<Result<_, _>>()?;
                no_duplicates(&members, |b| base64::engine::general_purpose::STANDARD.encode(b))?;
                Ok(AttributeValue::BS(members))
            }
        }
    }

    /// The wire JSON of the value.
    pub fn to_json(&self) -> Json {
        let (kind, value) = match self {
            AttributeValue::S(s) => ("S", Json::String(s.clone())),
            AttributeValue::N(n) => ("N", Json::String(n.as_str().to_string())),
            AttributeValue::B(b) => ("B", Json::String(base64::engine::general_purpose::STANDARD.encode(b))),
            AttributeValue::Bool(b) => ("BOOL", Json::Bool(*b)),
            AttributeValue::Null => ("NULL", Json::Bool(true)),
            AttributeValue::M(m) => ("M", item_to_json(m)),
            AttributeValue::L(l) => ("L", Json::Array(l.iter().map(AttributeValue::to_json).collect())),
            AttributeValue::SS(s) => ("SS", Json::Array(s.iter().map(|s| Json::String(s.clone())).collect())),
            AttributeValue::NS(n) => (
                "NS",
                Json::Array(n.iter().map(|n| Json::String(n.to_string())).collect()),
            ),
            AttributeValue::BS(b) => (
                "BS",
                Json::Array(
                    b.iter()
                        .map(|b| Json::String(base64::engine::general_purpose::STANDARD.encode(b)))
                        .collect(),
                ),
            ),
        };
        let mut map = Map::with_capacity(1);
        map.insert(kind.to_string(), value);
        Json::Object(map)
    }

    /// Bytes DynamoDB counts for the value (without its name). Source: "Item sizes and formats": strings and
    /// binaries by length, numbers by significant digits, BOOL and NULL 1 byte, lists and maps 3 bytes of overhead
    /// plus 1 byte per element (and a map element's name), sets the sum of their members.
    pub fn size(&self) -> usize {
        match self {
            AttributeValue::S(s) => s.len(),
            AttributeValue::N(n) => n.size(),
            AttributeValue::B(b) => b.len(),
            AttributeValue::Bool(_) | AttributeValue::Null => 1,
            AttributeValue::M(m) => 3 + m.iter().map(|(k, v)| k.len() + v.size() + 1).sum::<usize>(),
            AttributeValue::L(l) => 3 + l.iter().map(|v| v.size() + 1).sum::<usize>(),
            AttributeValue::SS(s) => s.iter().map(String::len).sum(),
            AttributeValue::NS(n) => n.iter().map(Number::size).sum(),
            AttributeValue::BS(b) => b.iter().map(Vec::len).sum(),
        }
    }

    /// How DynamoDB orders two values of the same scalar key type: strings and binaries by their UTF-8 / raw
    /// bytes, numbers by value (source: "Query", Key condition expressions: "sorted by sort key value ... in
    /// order of UTF-8 bytes ... numerically"). `None` for other types or mixed types.
    pub fn compare(&self, other: &AttributeValue) -> Option<Ordering> {
        match (self, other) {
            (AttributeValue::S(a), AttributeValue::S(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
            (AttributeValue::N(a), AttributeValue::N(b)) => Some(a.cmp(b)),
            (AttributeValue::B(a), AttributeValue::B(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }

    /// Equality as expressions see it: sets compare as sets (order does not matter), numbers by value.
    pub fn same_as(&self, other: &AttributeValue) -> bool {
        fn same_set<T: PartialEq>(a: &[T], b: &[T]) -> bool {
            a.len() == b.len() && a.iter().all(|x| b.contains(x))
        }
        match (self, other) {
            (AttributeValue::SS(a), AttributeValue::SS(b)) => same_set(a, b),
            (AttributeValue::NS(a), AttributeValue::NS(b)) => same_set(a, b),
            (AttributeValue::BS(a), AttributeValue::BS(b)) => same_set(a, b),
            (AttributeValue::M(a), AttributeValue::M(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| v.same_as(w)))
            }
            (AttributeValue::L(a), AttributeValue::L(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(v, w)| v.same_as(w))
            }
            _ => self == other,
        }
    }
}

/// The wire JSON of an item (`{"name": {"S": "x"}, ...}`).
pub fn item_to_json(item: &Item) -> Json {
    let mut map = Map::with_capacity(item.len());
    for (k, v) in item {
        map.insert(k.clone(), v.to_json());
    }
    Json::Object(map)
}

/// Reads an item (a JSON object of AttributeValues).
pub fn item_from_json(json: &Json) -> Result<Item, AwsError> {
    let map = json
        .as_object()
        .ok_or_else(|| serialization("an item must be a JSON object"))?;
    let mut item = item_with_capacity(map.len());
    for (k, v) in map {
        item.insert(k.clone(), AttributeValue::from_json(v)?);
    }
    Ok(item)
}

/// Bytes DynamoDB counts for an item: each attribute's name length plus its value's size.
pub fn item_size(item: &Item) -> usize {
    item.iter().map(|(k, v)| k.len() + v.size()).sum()
}

fn string<'a>(value: &'a Json, member: &str) -> Result<&'a str, AwsError> {
    value
        .as_str()
        .ok_or_else(|| serialization(format!("{member} must hold JSON strings")))
}

fn number(text: &str) -> Result<Number, AwsError> {
    Number::parse(text).map_err(|e| validation(e.message()))
}

fn binary(value: &Json) -> Result<Vec<u8>, AwsError> {
    let text = string(value, "B")?;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|_| serialization("Base64 encoded length is expected a multiple of 4 bytes but found: odd"))
}

fn set_members<'a>(value: &'a Json, member: &str, empty: &str) -> Result<&'a Vec<Json>, AwsError> {
    let list = value
        .as_array()
        .ok_or_else(|| serialization(format!("{member} must be a JSON array")))?;
    if list.is_empty() {
        return Err(invalid_parameter(empty));
    }
    Ok(list)
}

/// "Input collection [a, a] contains duplicates." (DynamoDB's text, prefixed like every invalid parameter.)
fn no_duplicates<T: PartialEq>(members: &[T], show: impl Fn(&T) -> String) -> Result<(), AwsError> {
    for (i, m) in members.iter().enumerate() {
        if members[..i].contains(m) {
            let shown: Vec<String> = members.iter().map(show).collect();
            return Err(invalid_parameter(format!(
                "Input collection [{}] contains duplicates.",
                shown.join(", ")
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(j: Json) -> String {
        AttributeValue::from_json(&j).unwrap_err().message
    }

    #[test]
    fn every_type_round_trips() {
        let v = json!({"M": {"s": {"S": "x"}, "n": {"N": "1.50"}, "b": {"B": "AAE="}, "t": {"BOOL": true},
            "z": {"NULL": true}, "l": {"L": [{"S": "a"}]}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]},
            "bs": {"BS": ["AA=="]}}});
        let back = AttributeValue::from_json(&v).unwrap().to_json();
        assert_eq!(back["M"]["n"], json!({"N": "1.5"}));
        assert_eq!(back["M"]["b"], json!({"B": "AAE="}));
        assert_eq!(back["M"]["ss"], json!({"SS": ["a", "b"]}));
        assert_eq!(back["M"]["z"], json!({"NULL": true}));
    }

    #[test]
    fn malformed_values_get_dynamodbs_messages() {
        assert_eq!(
            err(json!({})),
            "One or more parameter values were invalid: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
        );
        assert_eq!(
            err(json!({"S": "a", "N": "1"})),
            "One or more parameter values were invalid: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
        );
        assert_eq!(
            err(json!({"SS": []})),
            "One or more parameter values were invalid: An string set  may not be empty"
        );
        assert_eq!(
            err(json!({"NS": []})),
            "One or more parameter values were invalid: An number set  may not be empty"
        );
        assert_eq!(
            err(json!({"SS": ["a", "a"]})),
            "One or more parameter values were invalid: Input collection [a, a] contains duplicates."
        );
        assert_eq!(
            err(json!({"NS": ["1", "1.0"]})),
            "One or more parameter values were invalid: Input collection [1, 1.0] contains duplicates."
        );
        assert_eq!(
            err(json!({"NULL": false})),
            "One or more parameter values were invalid: Null attribute value types must have the value of true"
        );
        assert_eq!(
            err(json!({"N": "x"})),
            "The parameter cannot be converted to a numeric value: x"
        );
        assert_eq!(
            AttributeValue::from_json(&json!({"S": 1})).unwrap_err().code,
            "SerializationException"
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let mut v = json!({"S": "leaf"});
        for _ in 0..40 {
            v = json!({"L": [v]});
        }
        assert_eq!(err(v), "Nesting Levels have exceeded supported limits");
    }

    #[test]
    fn sizes_follow_the_developer_guide() {
        let item =
            item_from_json(&json!({"id": {"S": "abc"}, "n": {"N": "12"}, "l": {"L": [{"BOOL": true}]}})).unwrap();
        // id: 2 + 3; n: 1 + 2; l: 1 + 3 + (1 + 1)
        assert_eq!(item_size(&item), 5 + 3 + 6);
    }

    #[test]
    fn sets_are_equal_in_any_order() {
        let a = AttributeValue::from_json(&json!({"SS": ["a", "b"]})).unwrap();
        let b = AttributeValue::from_json(&json!({"SS": ["b", "a"]})).unwrap();
        assert!(a.same_as(&b));
        assert_eq!(a.compare(&b), None);
    }
}
