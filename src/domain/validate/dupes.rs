//! Reading JSON as untyped values, refusing a key that appears twice in one object.
//!
//! `serde_json` keeps the last of two equal keys and says nothing, so a file with two
//! `"status"` fields for one victim would import whichever came last. Values are read here
//! instead, exactly as `serde_json::Value` reads them; each object's keys go in through one
//! map entry, which finds a repeat at no extra cost. The place of a value is a chain on the
//! stack, written out as a path only when a repeat is found.

use std::cell::RefCell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

use super::{Problem, child, looks_like_a_field, unquoted};

/// Where a value is, from the top of the file.
#[derive(Clone, Copy)]
pub(super) enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    pub(super) fn path(&self) -> String {
        match self {
            At::Root => String::new(),
            // A key that is no field name (an address pasted as one) is not repeated.
            At::Key(parent, key) if looks_like_a_field(key) => child(&parent.path(), key),
            At::Key(parent, key) => child(
                &parent.path(),
                &format!("<a key of {} characters>", key.chars().count()),
            ),
            At::Index(parent, i) => format!("{}[{i}]", parent.path()),
        }
    }
}

/// The problem of a key found twice in the object at `at`.
pub(super) fn twice(at: &At<'_>, key: &str) -> Problem {
    Problem {
        path: at.path(),
        message: if looks_like_a_field(key) {
            format!("the field \"{key}\" appears twice")
        } else {
            format!("a field appears twice ({})", unquoted(key))
        },
    }
}

/// Reads one value at `at`; every repeated key is added to `found`.
pub(super) struct Read<'a> {
    pub at: At<'a>,
    pub found: &'a RefCell<Vec<Problem>>,
}

impl<'de> DeserializeSeed<'de> for Read<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Read<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Number::from_f64(n).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            let at = At::Index(&self.at, items.len());
            match seq.next_element_seed(Read {
                at,
                found: self.found,
            })? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            let value = access.next_value_seed(Read {
                at: At::Key(&self.at, &key),
                found: self.found,
            })?;
            match map.entry(key) {
                Entry::Vacant(entry) => {
                    entry.insert(value);
                }
                Entry::Occupied(entry) => {
                    self.found.borrow_mut().push(twice(&self.at, entry.key()));
                }
            }
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Value, Vec<String>) {
        let found = RefCell::new(Vec::new());
        let mut de = serde_json::Deserializer::from_str(text);
        let value = Read {
            at: At::Root,
            found: &found,
        }
        .deserialize(&mut de)
        .unwrap();
        let problems = found.into_inner().iter().map(ToString::to_string).collect();
        (value, problems)
    }

    #[test]
    fn values_read_as_serde_json_reads_them() {
        let text = r#"{"a": [1, -2, 3.5, true, null, "x\u00e9"], "b": {"c": {}}, "d": []}"#;
        let (value, problems) = read(text);
        assert!(problems.is_empty());
        assert_eq!(value, serde_json::from_str::<Value>(text).unwrap());
    }

    #[test]
    fn a_key_twice_in_one_object_is_found_with_its_path() {
        let (_, problems) = read(
            r#"{"v": [{"id": 1}, {"name": "a", "x": {"k": 1, "k": 2}, "name": "b"}], "vv": 1, "vv": 2}"#,
        );
        assert_eq!(
            problems,
            [
                "v[1].x: the field \"k\" appears twice",
                "v[1]: the field \"name\" appears twice",
                "the field \"vv\" appears twice",
            ]
        );
    }

    #[test]
    fn a_path_never_repeats_a_key_that_is_no_field_name() {
        let (_, problems) = read(
            r#"{"victims":[{"contact_details":{"14 Cranmore Road, Northtown":{"a":1,"a":2}}}]}"#,
        );
        assert_eq!(problems.len(), 1);
        assert!(!problems[0].contains("Cranmore"), "{}", problems[0]);
        assert!(
            problems[0].contains("<a key of 27 characters>"),
            "{}",
            problems[0]
        );
    }
}
