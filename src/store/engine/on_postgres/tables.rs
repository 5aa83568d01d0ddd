//! The tables a unit's keys are kept in: each key prefix a table of its own, the rest of
//! the key its key columns, the value a `jsonb` record or `bytea` ([`TABLES`]).

use postgres::Row;
use postgres::types::ToSql;

use super::{EngineFailure, failure};

/// How the part of a key after its table's prefix is held in the table's key columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// One text column: an id.
    Text,
    /// A one-letter kind, `\0`, then an id: two text columns.
    KindText,
    /// One byte: a `smallint`.
    Shard,
    /// Eight bytes, big-endian: a `bigint` (a log's number).
    Seq,
    /// Any bytes: a `bytea`.
    Bytes,
}

/// A table and the keys it holds.
#[derive(Debug)]
pub(super) struct Table {
    pub(super) prefix: &'static [u8],
    pub(super) name: &'static str,
    /// The key columns, in the key's order.
    pub(super) key: &'static [&'static str],
    pub(super) shape: Shape,
    pub(super) value: &'static str,
    /// The value is a `jsonb` record (else `bytea`).
    pub(super) json: bool,
    /// The value is a list kept a row per item in `vlu.contacts`, which a unit's role may
    /// only add to; `name` is the view that reads each key's items back as one list.
    pub(super) spread: bool,
}

/// Every table, in the order of their prefixes (so a scan of every key reads them in turn).
pub(super) const TABLES: &[Table] = &[
    table(b"a\0", "audit", &["seq"], Shape::Seq, "entry", true),
    table(b"c\0", "cases", &["id"], Shape::Text, "record", true),
    table(
        b"d\0",
        "digest_shards",
        &["shard"],
        Shape::Shard,
        "body",
        false,
    ),
    Table {
        spread: true,
        ..table(
            b"k\0",
            "contact_logs",
            &["victim_id"],
            Shape::Text,
            "contacts",
            true,
        )
    },
    table(b"m\0", "meta", &["key"], Shape::Text, "value", false),
    table(b"o\0", "officers", &["id"], Shape::Text, "record", true),
    table(
        b"r\0",
        "versions",
        &["kind", "id"],
        Shape::KindText,
        "stamp",
        true,
    ),
    table(
        b"s\0",
        "snoozes",
        &["reminder"],
        Shape::Text,
        "snooze",
        true,
    ),
    table(
        b"t\0",
        "return_facts",
        &["victim_id"],
        Shape::Text,
        "facts",
        false,
    ),
    table(b"u\0", "undo", &["key"], Shape::Bytes, "value", false),
    table(b"v\0", "victims", &["id"], Shape::Text, "record", true),
    table(
        b"x\0",
        "erased",
        &["kind", "id"],
        Shape::KindText,
        "erased",
        true,
    ),
];

pub(super) const fn table(
    prefix: &'static [u8],
    name: &'static str,
    key: &'static [&'static str],
    shape: Shape,
    value: &'static str,
    json: bool,
) -> Table {
    Table {
        prefix,
        name,
        key,
        shape,
        value,
        json,
        spread: false,
    }
}

/// A key column's value, as a query's parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Param {
    Text(String),
    Small(i16),
    Big(i64),
    Bytes(Vec<u8>),
}

/// A column of many rows' values, as one array parameter.
#[derive(Debug)]
pub(super) enum Array {
    Text(Vec<String>),
    Small(Vec<i16>),
    Big(Vec<i64>),
    Bytes(Vec<Vec<u8>>),
}

impl Array {
    pub(super) fn push(&mut self, value: Param) {
        match (self, value) {
            (Self::Text(a), Param::Text(v)) => a.push(v),
            (Self::Small(a), Param::Small(v)) => a.push(v),
            (Self::Big(a), Param::Big(v)) => a.push(v),
            (Self::Bytes(a), Param::Bytes(v)) => a.push(v),
            _ => unreachable!("a table's key columns are of its shape"),
        }
    }

    pub(super) fn sql_type(&self) -> &'static str {
        match self {
            Self::Text(_) => "text[]",
            Self::Small(_) => "smallint[]",
            Self::Big(_) => "bigint[]",
            Self::Bytes(_) => "bytea[]",
        }
    }

    pub(super) fn sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            Self::Text(a) => a,
            Self::Small(a) => a,
            Self::Big(a) => a,
            Self::Bytes(a) => a,
        }
    }
}

impl Param {
    pub(super) fn sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            Self::Text(s) => s,
            Self::Small(n) => n,
            Self::Big(n) => n,
            Self::Bytes(b) => b,
        }
    }
}

impl Table {
    /// The table holding `key`, and its key columns' values.
    pub(super) fn of(key: &[u8]) -> Result<(&'static Self, Vec<Param>), EngineFailure> {
        let table = TABLES
            .iter()
            .find(|t| key.starts_with(t.prefix))
            .ok_or_else(|| EngineFailure::new("the store asked for a key no table holds"))?;
        let rest = &key[table.prefix.len()..];
        let params = table
            .columns_of(rest)
            .ok_or_else(|| EngineFailure::new(format!("a key of {} cannot be read", table.name)))?;
        Ok((table, params))
    }

    /// The key columns' values for the key's remainder `rest`.
    pub(super) fn columns_of(&self, rest: &[u8]) -> Option<Vec<Param>> {
        let text = |b: &[u8]| {
            std::str::from_utf8(b)
                .ok()
                .filter(|s| !s.contains('\0'))
                .map(|s| Param::Text(s.to_owned()))
        };
        Some(match self.shape {
            Shape::Text => vec![text(rest)?],
            Shape::KindText => {
                let (kind, id) = (rest.get(..1)?, rest.get(2..)?);
                (rest.get(1) == Some(&0)).then_some(())?;
                vec![text(kind)?, text(id)?]
            }
            Shape::Shard => vec![Param::Small(i16::from(
                *<&[u8; 1]>::try_from(rest).ok()?.first()?,
            ))],
            Shape::Seq => vec![Param::Big(
                i64::try_from(u64::from_be_bytes(rest.try_into().ok()?)).ok()?,
            )],
            Shape::Bytes => vec![Param::Bytes(rest.to_vec())],
        })
    }

    /// The key of a row whose key columns come first in `row`.
    pub(super) fn key_of(&self, row: &Row) -> Result<Vec<u8>, EngineFailure> {
        let mut key = self.prefix.to_vec();
        let bad = |e: postgres::Error| failure(&e);
        match self.shape {
            Shape::Text => {
                key.extend_from_slice(row.try_get::<_, &str>(0).map_err(bad)?.as_bytes());
            }
            Shape::KindText => {
                key.extend_from_slice(row.try_get::<_, &str>(0).map_err(bad)?.as_bytes());
                key.push(0);
                key.extend_from_slice(row.try_get::<_, &str>(1).map_err(bad)?.as_bytes());
            }
            Shape::Shard => {
                let n: i16 = row.try_get(0).map_err(bad)?;
                key.push(
                    u8::try_from(n)
                        .map_err(|_| EngineFailure::new("a digest shard is out of range"))?,
                );
            }
            Shape::Seq => {
                let n: i64 = row.try_get(0).map_err(bad)?;
                key.extend_from_slice(&n.cast_unsigned().to_be_bytes());
            }
            Shape::Bytes => key.extend_from_slice(row.try_get::<_, &[u8]>(0).map_err(bad)?),
        }
        Ok(key)
    }

    /// The value column as the engine hands it back (a record as JSON text).
    pub(super) fn value_sql(&self) -> String {
        if self.json {
            format!("{}::text", self.value)
        } else {
            self.value.to_owned()
        }
    }

    /// A parameter as the value column takes it.
    pub(super) fn value_param(&self, n: usize) -> String {
        if self.json {
            format!("${n}::text::jsonb")
        } else {
            format!("${n}")
        }
    }

    pub(super) fn value_of(&self, row: &Row, at: usize) -> Result<Vec<u8>, EngineFailure> {
        if self.json {
            let text: String = row.try_get(at).map_err(|e| failure(&e))?;
            Ok(text.into_bytes())
        } else {
            row.try_get(at).map_err(|e| failure(&e))
        }
    }

    /// `a = $1 AND b = $2`, from parameter `from`.
    pub(super) fn key_equals(&self, from: usize) -> String {
        self.key
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ${}", from + i))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// `(a, b) > ($1, $2)` (or `<`), from parameter `from`.
    pub(super) fn key_beyond(&self, op: &str, from: usize) -> String {
        let params: Vec<String> = (0..self.key.len())
            .map(|i| format!("${}", from + i))
            .collect();
        format!("({}) {op} ({})", self.key.join(", "), params.join(", "))
    }

    pub(super) fn order(&self, descending: bool) -> String {
        let dir = if descending { " DESC" } else { "" };
        self.key
            .iter()
            .map(|c| format!("{c}{dir}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
