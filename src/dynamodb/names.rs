//! ExpressionAttributeNames and ExpressionAttributeValues: parsing the maps, checking every placeholder an
//! expression uses, the reserved words and function placement, and reporting the unused ones.
//!
//! Source: "Expression attribute names" and "Expression attribute values", DynamoDB developer guide; the messages are
//! DynamoDB's as recorded by moto 5.2.1 and quoted on AWS re:Post, e.g. `Value provided in ExpressionAttributeValues
//! unused in expressions: keys: {:w}`, `Invalid UpdateExpression: An expression attribute value used in expression
//! is not defined; attribute value: :v`, `Invalid UpdateExpression: Attribute name is a reserved keyword; reserved
//! keyword: status`.

use super::errors::validation;
use super::parser::{self, Condition, ExprError, Ident, Operand, Path, PathElem, Update};
use super::reserved::is_reserved;
use super::value::AttributeValue;
use crate::api::AwsError;
use indexmap::IndexMap;
use serde_json::Value as Json;
use std::cell::RefCell;

/// A document path with its names resolved.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// A map key or the top-level attribute name.
    Key(String),
    /// A list index.
    Index(usize),
}

/// A resolved document path.
pub type DocPath = Vec<Step>;

/// The placeholders of one request and which of them its expressions used.
#[derive(Debug, Default)]
pub struct Placeholders {
    names: Option<IndexMap<String, String>>,
    values: Option<IndexMap<String, AttributeValue>>,
    used_names: RefCell<Vec<String>>,
    used_values: RefCell<Vec<String>>,
    expressions: usize,
}

/// Where a function appears: its allowed set differs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Condition,
    Operand,
    Update,
}

impl Placeholders {
    /// Reads `ExpressionAttributeNames` and `ExpressionAttributeValues` from an operation's input.
    ///
    /// Errors: an empty map (`ExpressionAttributeValues must not be empty`), a key without its `#` / `:`, a value
    /// that is not a valid AttributeValue (`ExpressionAttributeValues contains invalid value: <why> for key <key>`).
    pub fn from_input(input: &Json) -> Result<Placeholders, AwsError> {
        let mut p = Placeholders::default();
        if let Some(names) = input.get("ExpressionAttributeNames").filter(|v| !v.is_null()) {
            let map = names
                .as_object()
                .ok_or_else(|| super::errors::serialization("ExpressionAttributeNames must be a JSON object"))?;
            if map.is_empty() {
                return Err(validation("ExpressionAttributeNames must not be empty"));
            }
            let mut out = IndexMap::new();
            for (k, v) in map {
                if !k.starts_with('#') {
                    return Err(validation(format!(
                        "ExpressionAttributeNames contains invalid key: Syntax error; key: \"{k}\""
                    )));
                }
                let v = v
                    .as_str()
                    .ok_or_else(|| super::errors::serialization("ExpressionAttributeNames values must be strings"))?;
                out.insert(k.clone(), v.to_string());
            }
            p.names = Some(out);
        }
        if let Some(values) = input.get("ExpressionAttributeValues").filter(|v| !v.is_null()) {
            let map = values
                .as_object()
                .ok_or_else(|| super::errors::serialization("ExpressionAttributeValues must be a JSON object"))?;
            if map.is_empty() {
                return Err(validation("ExpressionAttributeValues must not be empty"));
            }
            let mut out = IndexMap::new();
            for (k, v) in map {
                if !k.starts_with(':') {
                    return Err(validation(format!(
                        "ExpressionAttributeValues contains invalid key: Syntax error; key: \"{k}\""
                    )));
                }
                let value = AttributeValue::from_json(v).map_err(|e| {
                    validation(format!(
                        "ExpressionAttributeValues contains invalid value: {} for key {k}",
                        e.message
                    ))
                })?;
                out.insert(k.clone(), value);
            }
            p.values = Some(out);
        }
        Ok(p)
    }

    /// Parses and checks a condition (or filter / key condition) expression named `kind`
    /// (`ConditionExpression`, `FilterExpression`, `KeyConditionExpression`).
    pub fn condition(&mut self, text: &str, kind: &str) -> Result<Condition, AwsError> {
        self.expressions += 1;
        let c = parser::parse_condition(text).map_err(|e| validation(e.message(kind)))?;
        self.check_condition(&c).map_err(|e| validation(e.message(kind)))?;
        Ok(c)
    }

    /// Parses and checks an update expression.
    pub fn update(&mut self, text: &str) -> Result<Update, AwsError> {
        self.expressions += 1;
        let kind = "UpdateExpression";
        let u = parser::parse_update(text).map_err(|e| validation(e.message(kind)))?;
        let check = || -> Result<(), ExprError> {
            for (path, value) in &u.set {
                self.check_path(path)?;
                self.check_operand(value, Place::Update)?;
            }
            for path in &u.remove {
                self.check_path(path)?;
            }
            for (path, value) in u.add.iter().chain(&u.delete) {
                self.check_path(path)?;
                self.check_operand(value, Place::Update)?;
            }
            Ok(())
        };
        check().map_err(|e| validation(e.message(kind)))?;
        Ok(u)
    }

    /// Parses and checks a projection expression into resolved paths.
    pub fn projection(&mut self, text: &str) -> Result<Vec<DocPath>, AwsError> {
        self.expressions += 1;
        let kind = "ProjectionExpression";
        let paths = parser::parse_projection(text).map_err(|e| validation(e.message(kind)))?;
        for p in &paths {
            self.check_path(p).map_err(|e| validation(e.message(kind)))?;
        }
        let resolved: Vec<DocPath> = paths.iter().map(|p| self.resolve(p)).collect();
        if let Some(message) = super::path::overlap(&resolved) {
            return Err(validation(format!("Invalid {kind}: {message}")));
        }
        Ok(resolved)
    }

    /// After every expression of the request: names or values given but never used are refused, and so are the
    /// maps when the request has no expression at all.
    pub fn finish(&self) -> Result<(), AwsError> {
        if self.expressions == 0 {
            // Source: DynamoDB's answer when the maps come without expressions (re:Post); exact tail unknown.
            if self.names.is_some() {
                return Err(validation(
                    "ExpressionAttributeNames can only be specified when using expressions",
                ));
            }
            if self.values.is_some() {
                return Err(validation(
                    "ExpressionAttributeValues can only be specified when using expressions",
                ));
            }
        }
        let unused = |keys: Vec<&String>, used: &RefCell<Vec<String>>| -> Vec<String> {
            let used = used.borrow();
            keys.into_iter().filter(|k| !used.contains(k)).cloned().collect()
        };
        if let Some(values) = &self.values {
            let left = unused(values.keys().collect(), &self.used_values);
            if !left.is_empty() {
                return Err(validation(format!(
                    "Value provided in ExpressionAttributeValues unused in expressions: keys: {{{}}}",
                    left.join(", ")
                )));
            }
        }
        if let Some(names) = &self.names {
            let left = unused(names.keys().collect(), &self.used_names);
            if !left.is_empty() {
                return Err(validation(format!(
                    "Value provided in ExpressionAttributeNames unused in expressions: keys: {{{}}}",
                    left.join(", ")
                )));
            }
        }
        Ok(())
    }

    /// The value a `:placeholder` stands for (checked when the expression was parsed).
    pub fn value(&self, placeholder: &str) -> Option<&AttributeValue> {
        self.values.as_ref()?.get(placeholder)
    }

    /// The attribute name an identifier stands for.
    pub fn name<'a>(&'a self, ident: &'a Ident) -> &'a str {
        if ident.placeholder {
            self.names
                .as_ref()
                .and_then(|n| n.get(&ident.text))
                .map_or(ident.text.as_str(), String::as_str)
        } else {
            &ident.text
        }
    }

    /// A path with its names resolved.
    pub fn resolve(&self, path: &Path) -> DocPath {
        path.0
            .iter()
            .map(|e| match e {
                PathElem::Name(i) => Step::Key(self.name(i).to_string()),
                PathElem::Index(n) => Step::Index(*n),
            })
            .collect()
    }

    fn check_path(&self, path: &Path) -> Result<(), ExprError> {
        if path.0.len() > super::value::MAX_NESTING + 1 {
            return Err(ExprError::Other(
                "The document path has too many nesting levels; nesting levels: 33".to_string(),
            ));
        }
        for elem in &path.0 {
            let PathElem::Name(ident) = elem else { continue };
            if ident.placeholder {
                let defined = self.names.as_ref().is_some_and(|n| n.contains_key(&ident.text));
                if !defined {
                    return Err(ExprError::Other(format!(
                        "An expression attribute name used in the document path is not defined; attribute name: {}",
                        ident.text
                    )));
                }
                let mut used = self.used_names.borrow_mut();
                if !used.contains(&ident.text) {
                    used.push(ident.text.clone());
                }
            } else if is_reserved(&ident.text) {
                return Err(ExprError::Other(format!(
                    "Attribute name is a reserved keyword; reserved keyword: {}",
                    ident.text
                )));
            }
        }
        Ok(())
    }

    fn check_condition(&self, c: &Condition) -> Result<(), ExprError> {
        match c {
            Condition::Compare(a, _, b) => {
                self.check_operand(a, Place::Operand)?;
                self.check_operand(b, Place::Operand)
            }
            Condition::Between(a, b, c) => {
                for o in [a, b, c] {
                    self.check_operand(o, Place::Operand)?;
                }
                Ok(())
            }
            Condition::In(a, list) => {
                if list.len() > 100 {
                    // Source: "Comparison operator and function reference": IN takes up to 100 values.
                    return Err(ExprError::Other(format!(
                        "Too many operands for the IN operator; number of operands: {}",
                        list.len()
                    )));
                }
                self.check_operand(a, Place::Operand)?;
                list.iter().try_for_each(|o| self.check_operand(o, Place::Operand))
            }
            Condition::Call(name, args) => self.check_call(name, args, Place::Condition),
            Condition::And(a, b) | Condition::Or(a, b) => {
                self.check_condition(a)?;
                self.check_condition(b)
            }
            Condition::Not(a) => self.check_condition(a),
        }
    }

    fn check_operand(&self, o: &Operand, place: Place) -> Result<(), ExprError> {
        match o {
            Operand::Path(p) => self.check_path(p),
            Operand::Value(v) => {
                let defined = self.values.as_ref().is_some_and(|m| m.contains_key(v));
                if !defined {
                    return Err(ExprError::Other(format!(
                        "An expression attribute value used in expression is not defined; attribute value: {v}"
                    )));
                }
                let mut used = self.used_values.borrow_mut();
                if !used.contains(v) {
                    used.push(v.clone());
                }
                Ok(())
            }
            Operand::Call(name, args) => self.check_call(name, args, place),
            Operand::Arith(a, _, b) => {
                self.check_operand(a, place)?;
                self.check_operand(b, place)
            }
        }
    }

    /// Function names, arity and placement. Source: "Comparison operator and function reference" (which
    /// functions exist and what they take); the messages are DynamoDB's (`Invalid function name; function: x`,
    /// `Incorrect number of operands for operator or function; operator or function: x, number of operands: n`,
    /// `Operator or function requires a document path; operator or function: x`, `The function is not allowed to
    /// be used this way in an expression; function: x`).
    fn check_call(&self, name: &str, args: &[Operand], place: Place) -> Result<(), ExprError> {
        let (arity, path_first, allowed) = match name {
            "attribute_exists" | "attribute_not_exists" => (1, true, place == Place::Condition),
            "attribute_type" | "begins_with" | "contains" => (2, true, place == Place::Condition),
            "size" => (1, true, place == Place::Operand),
            "if_not_exists" => (2, true, place == Place::Update),
            "list_append" => (2, false, place == Place::Update),
            _ => return Err(ExprError::Other(format!("Invalid function name; function: {name}"))),
        };
        if !allowed {
            return Err(ExprError::Other(format!(
                "The function is not allowed to be used this way in an expression; function: {name}"
            )));
        }
        if args.len() != arity {
            return Err(ExprError::Other(format!(
                "Incorrect number of operands for operator or function; operator or function: {name}, number of operands: {}",
                args.len()
            )));
        }
        if path_first && !matches!(args.first(), Some(Operand::Path(_))) {
            return Err(ExprError::Other(format!(
                "Operator or function requires a document path; operator or function: {name}"
            )));
        }
        let inner = if place == Place::Update {
            Place::Update
        } else {
            Place::Operand
        };
        args.iter().try_for_each(|a| self.check_operand(a, inner))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn placeholders(input: Json) -> Placeholders {
        Placeholders::from_input(&input).unwrap()
    }

    #[test]
    fn unused_and_missing_placeholders_are_refused_in_dynamodbs_words() {
        let mut p = placeholders(json!({"ExpressionAttributeValues": {":v": {"S": "x"}, ":w": {"S": "y"}}}));
        p.update("SET a = :v").unwrap();
        assert_eq!(
            p.finish().unwrap_err().message,
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"
        );
        let mut p = placeholders(json!({}));
        assert_eq!(
            p.update("SET a = :v").unwrap_err().message,
            "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v"
        );
        assert_eq!(
            p.condition("#a = :v", "ConditionExpression").unwrap_err().message,
            "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #a"
        );
        let mut p = placeholders(
            json!({"ExpressionAttributeNames": {"#n": "x"}, "ExpressionAttributeValues": {":v": {"S": "x"}}}),
        );
        p.update("SET a = :v").unwrap();
        assert_eq!(
            p.finish().unwrap_err().message,
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}"
        );
        assert_eq!(
            Placeholders::from_input(&json!({"ExpressionAttributeValues": {}}))
                .unwrap_err()
                .message,
            "ExpressionAttributeValues must not be empty"
        );
    }

    #[test]
    fn projections_may_not_overlap() {
        let mut p = placeholders(json!({}));
        assert_eq!(
            p.projection("a, b, a.c").unwrap_err().message,
            "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, c]"
        );
    }

    #[test]
    fn reserved_words_and_functions_are_checked() {
        let mut p = placeholders(json!({"ExpressionAttributeValues": {":v": {"S": "x"}}}));
        assert_eq!(
            p.update("SET status = :v").unwrap_err().message,
            "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status"
        );
        assert_eq!(
            p.condition("foo(a)", "ConditionExpression").unwrap_err().message,
            "Invalid ConditionExpression: Invalid function name; function: foo"
        );
        assert_eq!(
            p.condition("begins_with(a)", "ConditionExpression").unwrap_err().message,
            "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1"
        );
        assert_eq!(
            p.condition("size(a)", "ConditionExpression").unwrap_err().message,
            "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size"
        );
        assert_eq!(
            p.condition("attribute_exists(:v)", "ConditionExpression").unwrap_err().message,
            "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists"
        );
    }
}
