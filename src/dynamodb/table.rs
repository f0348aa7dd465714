//! Tables and their secondary indexes: key schema, the items stored in key order, and the description
//! DescribeTable returns.
//!
//! Storage: partitions in a `BTreeMap` keyed by partition key value, each a `BTreeMap` keyed by sort key value,
//! so GetItem is two ordered-map lookups and Query walks one partition in sort-key order (source for the order:
//! "Query" API reference: "Query results are always sorted by the sort key value ... by UTF-8 bytes ...
//! numerically"). A secondary index keeps, per index partition key, the ordered set of (index sort key, table
//! partition key, table sort key): items with equal index keys come in table key order (AWS leaves that order
//! unspecified). Scan walks partitions in partition key order (AWS orders by an internal hash; this order is the
//! simulator's documented deterministic choice).

use super::errors::{invalid_parameter, key_mismatch, validation};
use super::number::Number;
use super::value::{item_to_json, AttributeValue, Item};
use crate::api::AwsError;
use serde_json::{json, Value as Json};
use std::collections::{BTreeMap, BTreeSet};

/// A key attribute's value, ordered as DynamoDB orders keys. `Absent` (no sort key) sorts first and `Max` last;
/// neither is ever stored as a real value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyValue {
    /// No value (tables or indexes without a sort key).
    Absent,
    /// A string, ordered by UTF-8 bytes.
    S(String),
    /// A number, ordered by value.
    N(Number),
    /// A binary, ordered by bytes.
    B(Vec<u8>),
    /// Above every value (range bounds only).
    Max,
}

impl KeyValue {
    /// The key value of an S, N or B attribute value.
    pub fn from_attribute(v: &AttributeValue) -> Option<KeyValue> {
        match v {
            AttributeValue::S(s) => Some(KeyValue::S(s.clone())),
            AttributeValue::N(n) => Some(KeyValue::N(n.clone())),
            AttributeValue::B(b) => Some(KeyValue::B(b.clone())),
            _ => None,
        }
    }

    /// Back to an attribute value (`None` for the sentinels).
    pub fn to_attribute(&self) -> Option<AttributeValue> {
        match self {
            KeyValue::S(s) => Some(AttributeValue::S(s.clone())),
            KeyValue::N(n) => Some(AttributeValue::N(n.clone())),
            KeyValue::B(b) => Some(AttributeValue::B(b.clone())),
            _ => None,
        }
    }

    /// `S`, `N` or `B` (empty for the sentinels).
    pub fn type_name(&self) -> &'static str {
        match self {
            KeyValue::S(_) => "S",
            KeyValue::N(_) => "N",
            KeyValue::B(_) => "B",
            _ => "",
        }
    }

    /// As DynamoDB shows a value in messages: `S:abc`.
    pub fn show(&self) -> String {
        match self {
            KeyValue::S(s) => format!("S:{s}"),
            KeyValue::N(n) => format!("N:{n}"),
            KeyValue::B(b) => format!("B:{}", b.len()),
            _ => String::new(),
        }
    }
}

/// The primary key of an item: partition and sort values (`Absent` without a sort key).
pub type PrimaryKey = (KeyValue, KeyValue);

/// A key schema: the partition (HASH) key and the optional sort (RANGE) key, with their types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySchema {
    /// The partition key attribute and its type (`S`, `N`, `B`).
    pub hash: (String, String),
    /// The sort key attribute and its type.
    pub range: Option<(String, String)>,
}

impl KeySchema {
    /// The `KeySchema` JSON list.
    pub fn to_json(&self) -> Json {
        let mut list = vec![json!({"AttributeName": self.hash.0, "KeyType": "HASH"})];
        if let Some((name, _)) = &self.range {
            list.push(json!({"AttributeName": name, "KeyType": "RANGE"}));
        }
        Json::Array(list)
    }

    /// The key attribute names.
    pub fn names(&self) -> Vec<&str> {
        let mut names = vec![self.hash.0.as_str()];
        if let Some((r, _)) = &self.range {
            names.push(r);
        }
        names
    }
}

/// A global or local secondary index.
#[derive(Debug, Clone)]
pub struct Index {
    /// `IndexName`.
    pub name: String,
    /// Global (own partition key) or local (the table's partition key).
    pub global: bool,
    /// The index's key schema.
    pub key: KeySchema,
    /// `ALL`, `KEYS_ONLY` or `INCLUDE`.
    pub projection_type: String,
    /// `NonKeyAttributes` of an `INCLUDE` projection.
    pub non_key_attributes: Vec<String>,
    /// Provisioned read and write capacity of a GSI (0 on demand).
    pub throughput: (u64, u64),
    /// Index partition key -> (index sort key, table partition key, table sort key).
    pub entries: BTreeMap<KeyValue, BTreeSet<(KeyValue, KeyValue, KeyValue)>>,
}

impl Index {
    /// The index's entry key for an item, if the item has the index's key attributes with the right types
    /// (items without them are not in the index: a sparse index).
    fn entry_key(&self, item: &Item) -> Option<(KeyValue, KeyValue)> {
        let hash = KeyValue::from_attribute(item.get(&self.key.hash.0)?)?;
        let range = match &self.key.range {
            Some((r, _)) => KeyValue::from_attribute(item.get(r)?)?,
            None => KeyValue::Absent,
        };
        Some((hash, range))
    }

    /// The attributes of `item` the index projects, given the table's key attribute names.
    pub fn project(&self, item: &Item, table_key: &KeySchema) -> Item {
        if self.projection_type == "ALL" {
            return item.clone();
        }
        let mut keep: Vec<&str> = table_key.names();
        keep.extend(self.key.names());
        if self.projection_type == "INCLUDE" {
            keep.extend(self.non_key_attributes.iter().map(String::as_str));
        }
        item.iter()
            .filter(|(k, _)| keep.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    fn count(&self) -> usize {
        self.entries.values().map(BTreeSet::len).sum()
    }
}

/// A table.
#[derive(Debug, Clone)]
pub struct Table {
    /// `TableName`.
    pub name: String,
    /// `TableArn`: `arn:<partition>:dynamodb:<region>:<account>:table/<name>`.
    pub arn: String,
    /// `TableId` (a UUID drawn from the Cloud's seeded ids).
    pub id: String,
    /// Creation time, virtual milliseconds since the epoch.
    pub created_millis: u64,
    /// `AttributeDefinitions` as given: name and type.
    pub attribute_definitions: Vec<(String, String)>,
    /// The primary key.
    pub key: KeySchema,
    /// `PROVISIONED` or `PAY_PER_REQUEST`.
    pub billing_mode: String,
    /// Provisioned read and write capacity (0 on demand).
    pub throughput: (u64, u64),
    /// Secondary indexes, GSIs and LSIs, in creation order.
    pub indexes: Vec<Index>,
    /// `StreamViewType` when streams are enabled, and the stream label.
    pub stream: Option<(String, String)>,
    /// Time to live: attribute name and whether enabled.
    pub ttl: Option<(String, bool)>,
    /// `DeletionProtectionEnabled`.
    pub deletion_protection: bool,
    /// Partitions in key order, items in sort key order.
    pub items: BTreeMap<KeyValue, BTreeMap<KeyValue, Item>>,
    item_count: usize,
    size_bytes: usize,
}

/// Largest item DynamoDB stores: 400 KB (source: "Service, account, and table quotas": "The maximum item size in
/// DynamoDB is 400 KB, which includes both attribute name binary length (UTF-8 length) and attribute value
/// lengths").
pub const MAX_ITEM_BYTES: usize = 400 * 1024;

impl Table {
    /// An empty table.
    pub fn new(name: &str, arn: String, id: String, created_millis: u64, key: KeySchema) -> Table {
        Table {
            name: name.to_string(),
            arn,
            id,
            created_millis,
            attribute_definitions: Vec::new(),
            key,
            billing_mode: "PROVISIONED".to_string(),
            throughput: (0, 0),
            indexes: Vec::new(),
            stream: None,
            ttl: None,
            deletion_protection: false,
            items: BTreeMap::new(),
            item_count: 0,
            size_bytes: 0,
        }
    }

    /// The index named `name`.
    pub fn index(&self, name: &str) -> Option<&Index> {
        self.indexes.iter().find(|i| i.name == name)
    }

    /// The primary key of an item to be written, checked as PutItem checks it. Errors (DynamoDB's texts):
    /// `One or more parameter values were invalid: Missing the key <k> in the item`, `... Type mismatch for key <k>
    /// expected: <T> actual: <U>`, `One or more parameter values are not valid. The AttributeValue for a key
    /// attribute cannot contain an empty string value. Key: <k>` (source: "Supported data types and naming rules",
    /// empty values; moto 5.2.1 for the first two).
    pub fn item_key(&self, item: &Item) -> Result<PrimaryKey, AwsError> {
        let part = |(name, kind): &(String, String)| -> Result<KeyValue, AwsError> {
            let v = item
                .get(name)
                .ok_or_else(|| invalid_parameter(format!("Missing the key {name} in the item")))?;
            if v.type_name() != kind {
                return Err(invalid_parameter(format!(
                    "Type mismatch for key {name} expected: {kind} actual: {}",
                    v.type_name()
                )));
            }
            non_empty_key(v, name)?;
            KeyValue::from_attribute(v).ok_or_else(key_mismatch)
        };
        let hash = part(&self.key.hash)?;
        let range = match &self.key.range {
            Some(r) => part(r)?,
            None => KeyValue::Absent,
        };
        for index in &self.indexes {
            for (name, kind) in std::iter::once(&index.key.hash).chain(index.key.range.as_ref()) {
                let Some(v) = item.get(name) else { continue };
                if v.type_name() != kind {
                    return Err(invalid_parameter(format!(
                        "Type mismatch for Index Key {name} Expected: {kind} Actual: {} IndexName: {}",
                        v.type_name(),
                        index.name
                    )));
                }
                if matches!(v, AttributeValue::S(s) if s.is_empty())
                    || matches!(v, AttributeValue::B(b) if b.is_empty())
                {
                    return Err(validation(format!(
                        "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty {} value. IndexName: {}, IndexKey: {name}",
                        if kind == "S" { "string" } else { "binary" },
                        index.name
                    )));
                }
            }
        }
        Ok((hash, range))
    }

    /// The primary key named by a `Key` parameter: exactly the key attributes with their types, else `The
    /// provided key element does not match the schema`.
    pub fn lookup_key(&self, key: &Item) -> Result<PrimaryKey, AwsError> {
        let expected = if self.key.range.is_some() { 2 } else { 1 };
        if key.len() != expected {
            return Err(key_mismatch());
        }
        let part = |(name, kind): &(String, String)| -> Result<KeyValue, AwsError> {
            let v = key.get(name).ok_or_else(key_mismatch)?;
            if v.type_name() != kind {
                return Err(key_mismatch());
            }
            non_empty_key(v, name)?;
            KeyValue::from_attribute(v).ok_or_else(key_mismatch)
        };
        let hash = part(&self.key.hash)?;
        let range = match &self.key.range {
            Some(r) => part(r)?,
            None => KeyValue::Absent,
        };
        Ok((hash, range))
    }

    /// The primary key a `Key` parameter names, read straight from its wire JSON without building an [`Item`]
    /// (the hot path of GetItem). `Some` only when [`Table::lookup_key`] of the parsed key would answer the same
    /// key: exactly the key attributes, each `{"S"|"N"|"B": <non-empty string>}` of the schema's type; anything
    /// else is `None`, and the caller takes the general path with its exact errors.
    pub fn key_from_json(&self, key: &Json) -> Option<PrimaryKey> {
        let members = key.as_object()?;
        let expected = if self.key.range.is_some() { 2 } else { 1 };
        if members.len() != expected {
            return None;
        }
        let part = |(name, kind): &(String, String)| -> Option<KeyValue> {
            let value = members.get(name)?.as_object()?;
            if value.len() != 1 {
                return None;
            }
            let text = value.get(kind.as_str())?.as_str()?;
            if text.is_empty() {
                return None;
            }
            match kind.as_str() {
                "S" => Some(KeyValue::S(text.to_string())),
                "N" => Number::parse(text).ok().map(KeyValue::N),
                _ => None,
            }
        };
        let hash = part(&self.key.hash)?;
        let range = match &self.key.range {
            Some(r) => part(r)?,
            None => KeyValue::Absent,
        };
        Some((hash, range))
    }

    /// The item stored under `key`.
    pub fn get(&self, key: &PrimaryKey) -> Option<&Item> {
        self.items.get(&key.0)?.get(&key.1)
    }

    /// Stores `item` under `key`, replacing and returning the previous one; indexes follow.
    pub fn put(&mut self, key: PrimaryKey, item: Item) -> Option<Item> {
        let size = super::value::item_size(&item);
        let new_entries: Vec<Option<(KeyValue, KeyValue)>> = self.indexes.iter().map(|i| i.entry_key(&item)).collect();
        let old = self.items.entry(key.0.clone()).or_default().insert(key.1.clone(), item);
        for (index, new_entry) in self.indexes.iter_mut().zip(new_entries) {
            if let Some(old_entry) = old.as_ref().and_then(|o| index.entry_key(o)) {
                if new_entry.as_ref() == Some(&old_entry) {
                    continue;
                }
                let (h, r) = old_entry;
                remove_entry(index, &h, &(r, key.0.clone(), key.1.clone()));
            }
            if let Some((h, r)) = new_entry {
                index
                    .entries
                    .entry(h)
                    .or_default()
                    .insert((r, key.0.clone(), key.1.clone()));
            }
        }
        match &old {
            Some(old) => self.size_bytes -= super::value::item_size(old).min(self.size_bytes),
            None => self.item_count += 1,
        }
        self.size_bytes += size;
        old
    }

    /// Deletes and returns the item under `key`.
    pub fn delete(&mut self, key: &PrimaryKey) -> Option<Item> {
        let partition = self.items.get_mut(&key.0)?;
        let old = partition.remove(&key.1)?;
        if partition.is_empty() {
            self.items.remove(&key.0);
        }
        self.item_count -= 1;
        self.size_bytes -= super::value::item_size(&old).min(self.size_bytes);
        let table_key = key.clone();
        for index in &mut self.indexes {
            if let Some((h, r)) = index.entry_key(&old) {
                remove_entry(index, &h, &(r, table_key.0.clone(), table_key.1.clone()));
            }
        }
        Some(old)
    }

    /// Adds an index built from the items already stored (UpdateTable Create).
    pub fn add_index(&mut self, mut index: Index) {
        for (h, partition) in &self.items {
            for (r, item) in partition {
                if let Some((ih, ir)) = index.entry_key(item) {
                    index.entries.entry(ih).or_default().insert((ir, h.clone(), r.clone()));
                }
            }
        }
        self.indexes.push(index);
    }

    /// `ItemCount`.
    pub fn item_count(&self) -> usize {
        self.item_count
    }

    /// The `TableDescription` JSON with `status` as `TableStatus` (`CREATING` from CreateTable, `ACTIVE`,
    /// `DELETING` from DeleteTable). Source: "TableDescription", DynamoDB API reference (member order as the
    /// service writes it).
    pub fn describe(&self, status: &str) -> Json {
        let definitions: Vec<Json> = self
            .attribute_definitions
            .iter()
            .map(|(n, t)| json!({"AttributeName": n, "AttributeType": t}))
            .collect();
        let mut d = serde_json::Map::new();
        d.insert("AttributeDefinitions".into(), Json::Array(definitions));
        d.insert("TableName".into(), json!(self.name));
        d.insert("KeySchema".into(), self.key.to_json());
        d.insert("TableStatus".into(), json!(status));
        d.insert("CreationDateTime".into(), json!(self.created_millis as f64 / 1000.0));
        d.insert(
            "ProvisionedThroughput".into(),
            json!({"NumberOfDecreasesToday": 0, "ReadCapacityUnits": self.throughput.0, "WriteCapacityUnits": self.throughput.1}),
        );
        d.insert("TableSizeBytes".into(), json!(self.size_bytes));
        d.insert("ItemCount".into(), json!(self.item_count));
        d.insert("TableArn".into(), json!(self.arn));
        d.insert("TableId".into(), json!(self.id));
        if self.billing_mode == "PAY_PER_REQUEST" {
            d.insert(
                "BillingModeSummary".into(),
                json!({"BillingMode": "PAY_PER_REQUEST", "LastUpdateToPayPerRequestDateTime": self.created_millis as f64 / 1000.0}),
            );
        }
        let describe_index = |i: &Index| {
            let mut projection = json!({"ProjectionType": i.projection_type});
            if !i.non_key_attributes.is_empty() {
                projection["NonKeyAttributes"] = json!(i.non_key_attributes);
            }
            let mut j = serde_json::Map::new();
            j.insert("IndexName".into(), json!(i.name));
            j.insert("KeySchema".into(), i.key.to_json());
            j.insert("Projection".into(), projection);
            if i.global {
                j.insert("IndexStatus".into(), json!("ACTIVE"));
                j.insert(
                    "ProvisionedThroughput".into(),
                    json!({"NumberOfDecreasesToday": 0, "ReadCapacityUnits": i.throughput.0, "WriteCapacityUnits": i.throughput.1}),
                );
            }
            let size: usize = i
                .entries
                .values()
                .flatten()
                .filter_map(|(_, h, r)| self.get(&(h.clone(), r.clone())))
                .map(|item| super::value::item_size(&i.project(item, &self.key)))
                .sum();
            j.insert("IndexSizeBytes".into(), json!(size));
            j.insert("ItemCount".into(), json!(i.count()));
            j.insert("IndexArn".into(), json!(format!("{}/index/{}", self.arn, i.name)));
            Json::Object(j)
        };
        let lsis: Vec<Json> = self.indexes.iter().filter(|i| !i.global).map(describe_index).collect();
        let gsis: Vec<Json> = self.indexes.iter().filter(|i| i.global).map(describe_index).collect();
        if !lsis.is_empty() {
            d.insert("LocalSecondaryIndexes".into(), Json::Array(lsis));
        }
        if !gsis.is_empty() {
            d.insert("GlobalSecondaryIndexes".into(), Json::Array(gsis));
        }
        if let Some((view, label)) = &self.stream {
            d.insert(
                "StreamSpecification".into(),
                json!({"StreamEnabled": true, "StreamViewType": view}),
            );
            d.insert("LatestStreamLabel".into(), json!(label));
            d.insert("LatestStreamArn".into(), json!(format!("{}/stream/{label}", self.arn)));
        }
        d.insert("DeletionProtectionEnabled".into(), json!(self.deletion_protection));
        Json::Object(d)
    }

    /// The key attributes of an item, as the `LastEvaluatedKey` of a table read (plus the index's key attributes
    /// for an index read).
    pub fn key_json(&self, item: &Item, index: Option<&Index>) -> Json {
        let mut names = self.key.names();
        if let Some(i) = index {
            for n in i.key.names() {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
        let key: Item = names
            .into_iter()
            .filter_map(|n| item.get(n).map(|v| (n.to_string(), v.clone())))
            .collect();
        item_to_json(&key)
    }
}

fn remove_entry(index: &mut Index, hash: &KeyValue, entry: &(KeyValue, KeyValue, KeyValue)) {
    if let Some(set) = index.entries.get_mut(hash) {
        set.remove(entry);
        if set.is_empty() {
            index.entries.remove(hash);
        }
    }
}

fn non_empty_key(v: &AttributeValue, name: &str) -> Result<(), AwsError> {
    let what = match v {
        AttributeValue::S(s) if s.is_empty() => "string",
        AttributeValue::B(b) if b.is_empty() => "binary",
        _ => return Ok(()),
    };
    Err(validation(format!(
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty {what} value. Key: {name}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamodb::value::item_from_json;
    use serde_json::json;

    #[test]
    fn key_from_json_agrees_with_lookup_key_or_declines() {
        let t = table();
        let plain = json!({"pk": {"S": "a"}, "sk": {"N": "1.50"}});
        let general = t.lookup_key(&item_from_json(&plain).unwrap()).unwrap();
        assert_eq!(t.key_from_json(&plain), Some(general));
        // Everything unusual goes the general way (which gives the exact error or the same key).
        for declined in [
            json!({"pk": {"S": "a"}}),
            json!({"pk": {"S": "a"}, "sk": {"N": "1"}, "x": {"S": "b"}}),
            json!({"pk": {"S": ""}, "sk": {"N": "1"}}),
            json!({"pk": {"S": "a", "x": 1}, "sk": {"N": "1"}}),
            json!({"pk": {"N": "1"}, "sk": {"N": "1"}}),
            json!({"pk": {"S": "a"}, "sk": {"N": "one"}}),
            json!({"pk": {"S": 1}, "sk": {"N": "1"}}),
            json!(null),
        ] {
            assert_eq!(t.key_from_json(&declined), None, "{declined}");
        }
    }

    fn table() -> Table {
        let key = KeySchema {
            hash: ("pk".into(), "S".into()),
            range: Some(("sk".into(), "N".into())),
        };
        let mut t = Table::new(
            "T",
            "arn:aws:dynamodb:us-east-1:123456789012:table/T".into(),
            "id".into(),
            0,
            key,
        );
        t.add_index(Index {
            name: "byG".into(),
            global: true,
            key: KeySchema {
                hash: ("g".into(), "S".into()),
                range: None,
            },
            projection_type: "KEYS_ONLY".into(),
            non_key_attributes: vec![],
            throughput: (0, 0),
            entries: BTreeMap::new(),
        });
        t
    }

    #[test]
    fn items_are_kept_in_key_order_and_indexed() {
        let mut t = table();
        for (sk, g) in [("10", "a"), ("9", "b"), ("-1", "a")] {
            let item = item_from_json(&json!({"pk": {"S": "p"}, "sk": {"N": sk}, "g": {"S": g}})).unwrap();
            let key = t.item_key(&item).unwrap();
            t.put(key, item);
        }
        let order: Vec<String> = t.items[&KeyValue::S("p".into())]
            .keys()
            .map(|k| k.to_attribute().unwrap().to_json()["N"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(order, ["-1", "9", "10"]);
        assert_eq!(t.index("byG").unwrap().entries[&KeyValue::S("a".into())].len(), 2);
        let moved = item_from_json(&json!({"pk": {"S": "p"}, "sk": {"N": "10"}, "g": {"S": "b"}})).unwrap();
        t.put(t.item_key(&moved).unwrap(), moved);
        assert_eq!(t.index("byG").unwrap().entries[&KeyValue::S("a".into())].len(), 1);
        t.delete(&(KeyValue::S("p".into()), KeyValue::N(Number::parse("9").unwrap())));
        assert_eq!(t.item_count(), 2);
        assert_eq!(t.index("byG").unwrap().entries[&KeyValue::S("b".into())].len(), 1);
    }

    #[test]
    fn keys_are_checked_in_dynamodbs_words() {
        let t = table();
        let msg = |j| t.item_key(&item_from_json(&j).unwrap()).unwrap_err().message;
        assert_eq!(
            msg(json!({"pk": {"S": "p"}})),
            "One or more parameter values were invalid: Missing the key sk in the item"
        );
        assert_eq!(
            msg(json!({"pk": {"S": "p"}, "sk": {"S": "x"}})),
            "One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S"
        );
        assert_eq!(
            msg(json!({"pk": {"S": ""}, "sk": {"N": "1"}})),
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"
        );
        let k = item_from_json(&json!({"pk": {"S": "p"}})).unwrap();
        assert_eq!(
            t.lookup_key(&k).unwrap_err().message,
            "The provided key element does not match the schema"
        );
    }
}
