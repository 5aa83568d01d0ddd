//! A unit's records brought into the database whole, with `COPY` (`vlu db load`): every key
//! of a unit built in memory by the store's own code, streamed a table at a time into the
//! unit's rows in one transaction, so a unit is loaded whole or not at all. PostgreSQL
//! refuses `COPY` into a table whose row-level security applies to the role copying, so the
//! administrator copies (a superuser or a role that bypasses row security) and every row
//! names its unit; the unit must hold nothing yet.

use std::collections::BTreeMap;
use std::io::Write;

use postgres::NoTls;

use super::{EngineFailure, Param, TABLES, Table, failure};
use crate::store::StoreError;

/// Rows of each kind a load wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Rows {
    pub(crate) records: u64,
    pub(crate) contacts: u64,
}

/// Loads `keys` — every key and value of one unit's store — into unit `unit` of the
/// database at `url`, connected to as its administrator. The unit must hold no records yet.
pub(crate) fn load_unit(
    url: &str,
    unit: &str,
    keys: &BTreeMap<Vec<u8>, Vec<u8>>,
) -> Result<Rows, StoreError> {
    let config: postgres::Config = url.parse().map_err(|_| {
        EngineFailure::new("the database's address is not a PostgreSQL URL (postgresql://…)")
    })?;
    let mut client = config.connect(NoTls).map_err(|e| failure(&e))?;
    let mut tx = client.transaction().map_err(|e| failure(&e))?;
    // `COPY` is refused into a table whose row-level security applies to the role copying:
    // the administrator's role bypasses it, and every row names its unit.
    let sees_all: Option<bool> = tx
        .query_opt(
            "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user",
            &[],
        )
        .map_err(|e| failure(&e))?
        .map(|row| row.get(0));
    if sees_all != Some(true) {
        return Err(StoreError::Refused(
            "vlu db load copies into every unit's rows, which only a superuser or a role that bypasses row security may: connect as the database's administrator".into(),
        ));
    }
    let known: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT FROM vlu.units WHERE id = $1)",
            &[&unit],
        )
        .map_err(|e| failure(&e))?
        .get(0);
    if !known {
        return Err(StoreError::Refused(format!(
            "the database has no unit {unit}: add it first with vlu db add-unit"
        )));
    }
    let holds: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT FROM vlu.meta WHERE unit_id = $1) \
             OR EXISTS (SELECT FROM vlu.audit WHERE unit_id = $1)",
            &[&unit],
        )
        .map_err(|e| failure(&e))?
        .get(0);
    if holds {
        return Err(StoreError::Refused(format!(
            "unit {unit} holds records already: vlu db load brings in units that hold none"
        )));
    }
    let mut rows = Rows::default();
    for table in TABLES {
        let mine = keys
            .range(table.prefix.to_vec()..)
            .take_while(|(k, _)| k.starts_with(table.prefix));
        let copied = copy_table(&mut tx, unit, table, mine)?;
        if table.spread {
            rows.contacts += copied;
        } else {
            rows.records += copied;
        }
    }
    if let Some(k) = keys
        .keys()
        .find(|k| !TABLES.iter().any(|t| k.starts_with(t.prefix)))
    {
        return Err(EngineFailure::new(format!(
            "the unit has a key no table holds ({} bytes)",
            k.len()
        ))
        .into());
    }
    tx.commit().map_err(|e| failure(&e))?;
    Ok(rows)
}

/// `COPY`s `pairs` into `table`'s rows; returns how many rows.
fn copy_table<'k>(
    tx: &mut postgres::Transaction<'_>,
    unit: &str,
    table: &Table,
    pairs: impl Iterator<Item = (&'k Vec<u8>, &'k Vec<u8>)>,
) -> Result<u64, EngineFailure> {
    let mut pairs = pairs.peekable();
    if pairs.peek().is_none() {
        return Ok(0);
    }
    let sql = if table.spread {
        "COPY vlu.contacts (unit_id, victim_id, n, contact) FROM STDIN".to_owned()
    } else {
        format!(
            "COPY vlu.{} (unit_id, {}, {}) FROM STDIN",
            table.name,
            table.key.join(", "),
            table.value
        )
    };
    let mut writer = tx.copy_in(sql.as_str()).map_err(|e| failure(&e))?;
    let mut line = Vec::new();
    let mut unit_col = Vec::new();
    text(&mut unit_col, unit.as_bytes());
    unit_col.push(b'\t');
    let mut count = 0;
    let lost = |e: std::io::Error| EngineFailure::new(format!("a COPY was cut short ({e})"));
    for (k, v) in pairs {
        let cols = table
            .columns_of(&k[table.prefix.len()..])
            .ok_or_else(|| EngineFailure::new(format!("a key of {} cannot be read", table.name)))?;
        if table.spread {
            let items: Vec<&serde_json::value::RawValue> = serde_json::from_slice(v)
                .map_err(|_| EngineFailure::new("a contact log is not a list"))?;
            for (n, item) in items.iter().enumerate() {
                line.clone_from(&unit_col);
                columns(&mut line, &cols);
                line.extend_from_slice(format!("{}\t", n + 1).as_bytes());
                text(&mut line, item.get().as_bytes());
                line.push(b'\n');
                writer.write_all(&line).map_err(lost)?;
                count += 1;
            }
            continue;
        }
        line.clone_from(&unit_col);
        columns(&mut line, &cols);
        if table.json {
            text(&mut line, v);
        } else {
            bytes(&mut line, v);
        }
        line.push(b'\n');
        writer.write_all(&line).map_err(lost)?;
        count += 1;
    }
    writer.finish().map_err(|e| failure(&e))?;
    Ok(count)
}

/// The key columns, each followed by a tab, in `COPY`'s text format.
fn columns(line: &mut Vec<u8>, cols: &[Param]) {
    for col in cols {
        match col {
            Param::Text(s) => text(line, s.as_bytes()),
            Param::Small(n) => line.extend_from_slice(n.to_string().as_bytes()),
            Param::Big(n) => line.extend_from_slice(n.to_string().as_bytes()),
            Param::Bytes(b) => bytes(line, b),
        }
        line.push(b'\t');
    }
}

/// Text in `COPY`'s text format: a backslash, tab, newline and carriage return escaped.
fn text(line: &mut Vec<u8>, s: &[u8]) {
    for &b in s {
        match b {
            b'\\' => line.extend_from_slice(b"\\\\"),
            b'\t' => line.extend_from_slice(b"\\t"),
            b'\n' => line.extend_from_slice(b"\\n"),
            b'\r' => line.extend_from_slice(b"\\r"),
            _ => line.push(b),
        }
    }
}

/// Bytes as `bytea`'s hex input (`\x…`), its backslash escaped for `COPY`.
fn bytes(line: &mut Vec<u8>, b: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    line.extend_from_slice(b"\\\\x");
    for &byte in b {
        line.push(HEX[usize::from(byte >> 4)]);
        line.push(HEX[usize::from(byte & 15)]);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn copy_text_escapes_what_copy_reads_as_special() {
        let mut line = Vec::new();
        super::text(&mut line, b"a\\b\tc\nd\re");
        assert_eq!(line, b"a\\\\b\\tc\\nd\\re");
        line.clear();
        super::bytes(&mut line, &[0, 0xab, 0x10]);
        assert_eq!(line, b"\\\\x00ab10");
    }
}
