//! A scan of a key prefix: one table's rows in key order, a page at a time from either end.

use std::collections::VecDeque;

use super::tables::{Param, Shape, Table};
use postgres::types::ToSql;

use super::{EngineFailure, PAGE, Pair, Postgres, failure};

/// Which of a table's rows a scan reads: those of one kind (a `KindText` table), and those whose
/// last key column starts with a text.
#[derive(Debug, Default)]
pub(super) struct Filter {
    pub(super) kind: Option<String>,
    pub(super) start: Option<String>,
}

/// A scan's filter within `table` for the prefix's remainder `rest`.
pub(super) fn scan_filter(table: &Table, rest: &[u8]) -> Result<Filter, EngineFailure> {
    let unsupported = || {
        EngineFailure::new(format!(
            "a scan of part of a key of {} is not supported",
            table.name
        ))
    };
    let text = |b: &[u8]| {
        std::str::from_utf8(b)
            .map(str::to_owned)
            .map_err(|_| unsupported())
    };
    match table.shape {
        _ if rest.is_empty() => Ok(Filter::default()),
        Shape::Text => Ok(Filter {
            kind: None,
            start: Some(text(rest)?),
        }),
        // "v\0" or "v\0ab": the kind, then the start of the id.
        Shape::KindText if rest.len() >= 2 && rest[1] == 0 => Ok(Filter {
            kind: Some(text(&rest[..1])?),
            start: Some(text(&rest[2..])?).filter(|s| !s.is_empty()),
        }),
        _ => Err(unsupported()),
    }
}

/// One table's rows in key order, a page at a time from either end.
pub(super) struct TableScan<'e> {
    engine: &'e Postgres,
    table: &'static Table,
    filter: Filter,
    /// Rows fetched from the front and not yet yielded, in key order; and the last fetched.
    front: VecDeque<(Vec<Param>, Pair)>,
    front_to: Option<Vec<Param>>,
    /// Rows fetched from the back, in key order; and the first fetched.
    back: VecDeque<(Vec<Param>, Pair)>,
    back_to: Option<Vec<Param>>,
    /// No row is left between what the two ends have fetched.
    met: bool,
    failed: bool,
}

impl<'e> TableScan<'e> {
    pub(super) fn new(engine: &'e Postgres, table: &'static Table, filter: Filter) -> Self {
        Self {
            engine,
            table,
            filter,
            front: VecDeque::new(),
            front_to: None,
            back: VecDeque::new(),
            back_to: None,
            met: false,
            failed: false,
        }
    }

    /// Fetches the next page from one end into its buffer.
    fn fetch(&mut self, from_back: bool) -> Result<(), EngineFailure> {
        let rows = self.engine.page(
            self.table,
            &self.filter,
            self.front_to.as_deref(),
            self.back_to.as_deref(),
            from_back,
        )?;
        if i64::try_from(rows.len()).unwrap_or(i64::MAX) < PAGE {
            self.met = true;
        }
        for (cols, pair) in rows {
            if from_back {
                self.back_to = Some(cols.clone());
                self.back.push_front((cols, pair));
            } else {
                self.front_to = Some(cols.clone());
                self.front.push_back((cols, pair));
            }
        }
        Ok(())
    }

    fn step(&mut self, from_back: bool) -> Option<Result<Pair, EngineFailure>> {
        loop {
            if self.failed {
                return None;
            }
            let own = if from_back {
                &mut self.back
            } else {
                &mut self.front
            };
            let taken = if from_back {
                own.pop_back()
            } else {
                own.pop_front()
            };
            if let Some((_, pair)) = taken {
                return Some(Ok(pair));
            }
            if self.met {
                let other = if from_back {
                    &mut self.front
                } else {
                    &mut self.back
                };
                let taken = if from_back {
                    other.pop_back()
                } else {
                    other.pop_front()
                };
                return taken.map(|(_, pair)| Ok(pair));
            }
            if let Err(e) = self.fetch(from_back) {
                self.failed = true;
                return Some(Err(e));
            }
        }
    }
}

impl Iterator for TableScan<'_> {
    type Item = Result<Pair, EngineFailure>;

    fn next(&mut self) -> Option<Self::Item> {
        self.step(false)
    }
}

impl DoubleEndedIterator for TableScan<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.step(true)
    }
}

impl Postgres {
    /// Up to a page of `table`'s rows under `filter`, beyond `after` and before `before`, in
    /// key order (or reversed).
    pub(super) fn page(
        &self,
        table: &Table,
        filter: &Filter,
        after: Option<&[Param]>,
        before: Option<&[Param]>,
        descending: bool,
    ) -> Result<Vec<(Vec<Param>, Pair)>, EngineFailure> {
        let mut wheres = Vec::new();
        let mut params: Vec<Param> = Vec::new();
        if let Some(kind) = &filter.kind {
            params.push(Param::Text(kind.clone()));
            wheres.push(format!("{} = ${}", table.key[0], params.len()));
        }
        if let Some(start) = &filter.start {
            params.push(Param::Text(start.clone()));
            wheres.push(format!(
                "starts_with({}, ${})",
                table.key[table.key.len() - 1],
                params.len()
            ));
        }
        for (bound, op) in [(after, ">"), (before, "<")] {
            if let Some(b) = bound {
                wheres.push(table.key_beyond(op, params.len() + 1));
                params.extend(b.iter().cloned());
            }
        }
        let sql = format!(
            "SELECT {keys}, {value} FROM vlu.{t} {w} ORDER BY {order} LIMIT {PAGE}",
            keys = table.key.join(", "),
            value = table.value_sql(),
            t = table.name,
            w = if wheres.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", wheres.join(" AND "))
            },
            order = table.order(descending),
        );
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(Param::sql).collect();
        // Not a statement kept prepared: a generic plan for it knows neither the unit nor where
        // the page starts, and read and sorted the whole table for each page (an export of
        // 100,000 victims took 21 s, 5 s on sled). Planned for its values each time, it keeps
        // to the index. (Setting `plan_cache_mode = force_custom_plan` for the connection
        // did the same for pages, but made each of an import's foreign-key checks plan
        // afresh at its commit, which at 100,000 victims ran for many minutes.)
        let rows =
            self.reading(|client| client.query(sql.as_str(), &refs).map_err(|e| failure(&e)))?;
        rows.iter()
            .map(|row| {
                let key = table.key_of(row)?;
                let cols = table
                    .columns_of(&key[table.prefix.len()..])
                    .ok_or_else(|| EngineFailure::new("a row's key cannot be read"))?;
                Ok((cols, (key, table.value_of(row, table.key.len())?)))
            })
            .collect()
    }
}
