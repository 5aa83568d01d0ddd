//! A batch written: the unit's turn in its counter row, the expectations compared, every
//! key's final state written a table at a time from arrays, appended entries numbered.

use postgres::GenericClient;
use postgres::types::ToSql;

use super::tables::{Array, Param, Shape, TABLES, Table};
use super::{Batch, EngineFailure, Op, Postgres, ROWS, Unapplied, failure};

impl Postgres {
    pub(super) fn apply_in(
        &self,
        tx: &mut impl GenericClient,
        batch: &Batch,
        durable: bool,
    ) -> Result<Option<u64>, Unapplied> {
        if !durable {
            tx.batch_execute("SET LOCAL synchronous_commit = off")
                .map_err(|e| failure(&e))?;
        }
        // The unit's write counter: taking its row makes the unit's writes one at a time.
        // The write is announced with it, to the unit's other services, when (and only if)
        // it commits.
        let writes: i64 = tx
            .query_one(
                "INSERT INTO vlu.counters (log, last) VALUES ('', 1) \
                 ON CONFLICT (unit_id, log) DO UPDATE SET last = vlu.counters.last + 1 \
                 RETURNING last",
                &[],
            )
            .map_err(|e| failure(&e))?
            .get(0);
        tx.execute(
            "SELECT pg_notify($1, $2)",
            &[&self.channel, &format!("{} {writes}", self.writer)],
        )
        .map_err(|e| failure(&e))?;
        for (key, wanted) in &batch.expected {
            if !Self::holds(tx, key, wanted.as_deref())? {
                return Err(Unapplied::Conflict(key.clone()));
            }
        }
        Self::write_many(tx, &batch.ops)?;
        let mut last = None;
        for (log, value) in &batch.appended {
            let n = Self::next_number(tx, log)?;
            let (table, cols) = Table::of(&[log, &n.to_be_bytes()[..]].concat())?;
            Self::put_rows(tx, table, &[(cols, value.as_slice())])?;
            last = Some(n);
        }
        Ok(last)
    }

    /// A batch's puts and removals: what each key ends as, written a table at a time, `ROWS`
    /// rows a statement, from arrays (`unnest`) — a statement for thousands
    /// of rows rather than a statement each.
    pub(super) fn write_many(tx: &mut impl GenericClient, ops: &[Op]) -> Result<(), EngineFailure> {
        // The last op on a key is what it ends as, as when they are applied in turn.
        let mut last: std::collections::BTreeMap<&[u8], Option<&[u8]>> =
            std::collections::BTreeMap::new();
        for op in ops {
            match op {
                Op::Put(k, v) => last.insert(k, Some(v)),
                Op::Remove(k) => last.insert(k, None),
            };
        }
        for table in TABLES {
            let mut puts: Vec<(Vec<Param>, &[u8])> = Vec::new();
            let mut removals: Vec<Vec<Param>> = Vec::new();
            for (k, v) in last
                .range(table.prefix..)
                .take_while(|(k, _)| k.starts_with(table.prefix))
            {
                let cols = table.columns_of(&k[table.prefix.len()..]).ok_or_else(|| {
                    EngineFailure::new(format!("a key of {} cannot be read", table.name))
                })?;
                match v {
                    Some(v) => puts.push((cols, v)),
                    None => removals.push(cols),
                }
            }
            for rows in puts.chunks(ROWS) {
                if table.spread {
                    Self::extend_lists(tx, rows)?;
                } else {
                    Self::put_rows(tx, table, rows)?;
                }
            }
            for rows in removals.chunks(ROWS) {
                if table.spread {
                    Self::remove_lists(tx, rows.iter().map(|cols| &cols[..]), "removed")?;
                } else {
                    Self::remove_rows(tx, table, rows)?;
                }
            }
        }
        if last
            .keys()
            .any(|k| !TABLES.iter().any(|t| k.starts_with(t.prefix)))
        {
            return Err(EngineFailure::new(
                "the store asked for a key no table holds",
            ));
        }
        Ok(())
    }

    /// The key columns of `rows` as arrays, one a column, for `unnest`.
    pub(super) fn key_arrays<'r>(
        table: &Table,
        rows: impl Iterator<Item = &'r [Param]>,
    ) -> Vec<Array> {
        let mut arrays: Vec<Array> = table
            .key
            .iter()
            .map(|_| match table.shape {
                Shape::Text | Shape::KindText => Array::Text(Vec::new()),
                Shape::Shard => Array::Small(Vec::new()),
                Shape::Seq => Array::Big(Vec::new()),
                Shape::Bytes => Array::Bytes(Vec::new()),
            })
            .collect();
        for cols in rows {
            for (array, col) in arrays.iter_mut().zip(cols) {
                array.push(col.clone());
            }
        }
        arrays
    }

    pub(super) fn put_rows(
        tx: &mut impl GenericClient,
        table: &Table,
        rows: &[(Vec<Param>, &[u8])],
    ) -> Result<(), EngineFailure> {
        let mut arrays = Self::key_arrays(table, rows.iter().map(|(cols, _)| cols.as_slice()));
        let values = if table.json {
            Array::Text(
                rows.iter()
                    .map(|(_, v)| {
                        String::from_utf8(v.to_vec())
                            .map_err(|_| EngineFailure::new("a record is not text"))
                    })
                    .collect::<Result<_, _>>()?,
            )
        } else {
            Array::Bytes(rows.iter().map(|(_, v)| v.to_vec()).collect())
        };
        arrays.push(values);
        let n = table.key.len();
        let unnest: Vec<String> = arrays
            .iter()
            .enumerate()
            .map(|(i, a)| format!("${}::{}", i + 1, a.sql_type()))
            .collect();
        let names: Vec<String> = (0..=n).map(|i| format!("c{i}")).collect();
        let value = if table.json {
            format!("c{n}::jsonb")
        } else {
            format!("c{n}")
        };
        let upsert = if table.shape == Shape::Seq {
            String::new()
        } else {
            format!(
                " ON CONFLICT (unit_id, {}) DO UPDATE SET {v} = EXCLUDED.{v}",
                table.key.join(", "),
                v = table.value
            )
        };
        let sql = format!(
            "INSERT INTO vlu.{t} ({cols}, {v}) SELECT {keys}, {value} FROM unnest({unnest}) AS u({names}){upsert}",
            t = table.name,
            cols = table.key.join(", "),
            v = table.value,
            keys = names[..n].join(", "),
            unnest = unnest.join(", "),
            names = names.join(", "),
        );
        let refs: Vec<&(dyn ToSql + Sync)> = arrays.iter().map(Array::sql).collect();
        tx.execute(&sql, &refs).map_err(|e| failure(&e))?;
        Ok(())
    }

    /// Lists (contact logs) written as their keys' whole values: a list that goes on from
    /// the one kept gets its new items added as rows; one that does not (an import that
    /// replaces a log) is removed through the audited function first, then added whole.
    pub(super) fn extend_lists(
        tx: &mut impl GenericClient,
        rows: &[(Vec<Param>, &[u8])],
    ) -> Result<(), EngineFailure> {
        let mut ids = Vec::with_capacity(rows.len());
        let mut lists = Vec::with_capacity(rows.len());
        for (cols, list) in rows {
            let [Param::Text(id)] = cols.as_slice() else {
                return Err(EngineFailure::new("a contact log's key cannot be read"));
            };
            ids.push(id.as_str());
            lists.push(
                std::str::from_utf8(list)
                    .map_err(|_| EngineFailure::new("a record is not text"))?,
            );
        }
        // A kept item that the new list does not have at its place (or at all).
        let rewritten: Vec<String> = tx
            .query(
                "SELECT DISTINCT c.victim_id::text FROM vlu.contacts c                  JOIN unnest($1::text[], $2::text[]) AS u(victim_id, list)                    ON c.victim_id = u.victim_id                  WHERE c.contact IS DISTINCT FROM (u.list::jsonb -> (c.n - 1))",
                &[&ids, &lists],
            )
            .map_err(|e| failure(&e))?
            .iter()
            .map(|row| row.get(0))
            .collect();
        if !rewritten.is_empty() {
            let cols: Vec<[Param; 1]> = rewritten.into_iter().map(|id| [Param::Text(id)]).collect();
            Self::remove_lists(tx, cols.iter().map(|c| &c[..]), "rewritten")?;
        }
        tx.execute(
            "INSERT INTO vlu.contacts (victim_id, n, contact)              SELECT u.victim_id, e.n, e.contact              FROM unnest($1::text[], $2::text[]) AS u(victim_id, list)              CROSS JOIN LATERAL jsonb_array_elements(u.list::jsonb) WITH ORDINALITY AS e(contact, n)              WHERE e.n > COALESCE((SELECT max(c.n) FROM vlu.contacts c                                    WHERE c.victim_id = u.victim_id), 0)",
            &[&ids, &lists],
        )
        .map_err(|e| failure(&e))?;
        Ok(())
    }

    /// Removes whole lists (contact logs), through the function that records why.
    pub(super) fn remove_lists<'c>(
        tx: &mut impl GenericClient,
        keys: impl Iterator<Item = &'c [Param]>,
        why: &str,
    ) -> Result<(), EngineFailure> {
        let ids: Vec<&str> = keys
            .filter_map(|cols| match cols {
                [Param::Text(id)] => Some(id.as_str()),
                _ => None,
            })
            .collect();
        tx.execute("SELECT vlu.remove_contacts($1::text[], $2)", &[&ids, &why])
            .map_err(|e| failure(&e))?;
        Ok(())
    }

    pub(super) fn remove_rows(
        tx: &mut impl GenericClient,
        table: &Table,
        rows: &[Vec<Param>],
    ) -> Result<(), EngineFailure> {
        let arrays = Self::key_arrays(table, rows.iter().map(Vec::as_slice));
        let unnest: Vec<String> = arrays
            .iter()
            .enumerate()
            .map(|(i, a)| format!("${}::{}", i + 1, a.sql_type()))
            .collect();
        let sql = format!(
            "DELETE FROM vlu.{t} WHERE ({cols}) IN (SELECT * FROM unnest({unnest}))",
            t = table.name,
            cols = table.key.join(", "),
            unnest = unnest.join(", "),
        );
        let refs: Vec<&(dyn ToSql + Sync)> = arrays.iter().map(Array::sql).collect();
        tx.execute(&sql, &refs).map_err(|e| failure(&e))?;
        Ok(())
    }

    /// Whether `key` holds `wanted` (`None`: nothing); records compare as JSON.
    pub(super) fn holds(
        tx: &mut impl GenericClient,
        key: &[u8],
        wanted: Option<&[u8]>,
    ) -> Result<bool, EngineFailure> {
        let (table, mut params) = Table::of(key)?;
        let n = params.len();
        let (compare, value) = match wanted {
            Some(v) if table.json => (
                format!("{} = {}", table.value, table.value_param(n + 1)),
                Some(Param::Text(
                    String::from_utf8(v.to_vec())
                        .map_err(|_| EngineFailure::new("a record is not text"))?,
                )),
            ),
            Some(v) => (
                format!("{} = ${}", table.value, n + 1),
                Some(Param::Bytes(v.to_vec())),
            ),
            None => ("true".to_owned(), None),
        };
        params.extend(value);
        let sql = format!(
            "SELECT {compare} FROM vlu.{} WHERE {}",
            table.name,
            table.key_equals(1)
        );
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(Param::sql).collect();
        let found: Option<bool> = tx
            .query_opt(&sql, &refs)
            .map_err(|e| failure(&e))?
            .map(|row| row.get(0));
        Ok(match (wanted, found) {
            (None, found) => found.is_none(),
            (Some(_), found) => found == Some(true),
        })
    }

    /// The next number of the log under `log`: one more than its counter (or than its last
    /// entry, the first time).
    pub(super) fn next_number(
        tx: &mut impl GenericClient,
        log: &[u8],
    ) -> Result<u64, EngineFailure> {
        let table = TABLES
            .iter()
            .find(|t| t.prefix == log)
            .ok_or_else(|| EngineFailure::new("the store appended to a log no table holds"))?;
        if table.shape != Shape::Seq {
            return Err(EngineFailure::new(
                "the store appended to a table that is not a log",
            ));
        }
        let name = std::str::from_utf8(&log[..1])
            .map_err(|_| EngineFailure::new("a log's name is not text"))?;
        let sql = format!(
            "INSERT INTO vlu.counters (log, last) \
             VALUES ($1, (SELECT COALESCE(max(seq), 0) + 1 FROM vlu.{})) \
             ON CONFLICT (unit_id, log) DO UPDATE SET last = vlu.counters.last + 1 RETURNING last",
            table.name
        );
        let n: i64 = tx
            .query_one(&sql, &[&name])
            .map_err(|e| failure(&e))?
            .get(0);
        Ok(n.cast_unsigned())
    }
}
