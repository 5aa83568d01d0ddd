//! The engine on PostgreSQL: a unit's records in a database the organisation already runs,
//! shared by every service of the unit and kept apart from other units' by the database.
//!
//! Each prefix of the store's keys is a table of its own ([`TABLES`]): the key's remainder is
//! the table's key columns, the value a `jsonb` record (or `bytea` where the store keeps
//! bytes), so a DBA reads, indexes and constrains the records as SQL. The engine connects as
//! its unit's role and never names the unit: every table fills `unit_id` in from the role and
//! row-level security shows the role its own unit's rows only. It refuses a superuser or a
//! role that bypasses row security, which would see every unit.
//!
//! A batch is one transaction at READ COMMITTED. Its first statement takes the unit's write
//! counter row, so a unit's writes are made one at a time and each statement after it reads
//! everything committed before; an expectation is then a plain comparison in that
//! transaction, and an appended value takes the log's next number from its counter row —
//! numbers without gaps, in the order the changes committed.

use std::collections::VecDeque;
use std::sync::Mutex;

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::{Client, GenericClient, NoTls, Row};

use super::{Batch, Engine, EngineFailure, LongWrite, Op, Others, Pair, Scan, Turn, Unapplied};

pub(crate) mod load;

/// The SQL migrations this build knows, in order: `vlu.schema_migrations` holds the last
/// applied.
pub(crate) const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../postgres/0001_units.sql")),
    (2, include_str!("../postgres/0002_contacts.sql")),
    (3, include_str!("../postgres/0003_national.sql")),
];

/// Rows written per statement from arrays.
const ROWS: usize = 5000;

/// Rows read per query by a scan.
const PAGE: i64 = 1000;

/// How the part of a key after its table's prefix is held in the table's key columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
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
struct Table {
    prefix: &'static [u8],
    name: &'static str,
    /// The key columns, in the key's order.
    key: &'static [&'static str],
    shape: Shape,
    value: &'static str,
    /// The value is a `jsonb` record (else `bytea`).
    json: bool,
    /// The value is a list kept a row per item in `vlu.contacts`, which a unit's role may
    /// only add to; `name` is the view that reads each key's items back as one list.
    spread: bool,
}

/// Every table, in the order of their prefixes (so a scan of every key reads them in turn).
const TABLES: &[Table] = &[
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

const fn table(
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
enum Param {
    Text(String),
    Small(i16),
    Big(i64),
    Bytes(Vec<u8>),
}

/// A column of many rows' values, as one array parameter.
#[derive(Debug)]
enum Array {
    Text(Vec<String>),
    Small(Vec<i16>),
    Big(Vec<i64>),
    Bytes(Vec<Vec<u8>>),
}

impl Array {
    fn push(&mut self, value: Param) {
        match (self, value) {
            (Self::Text(a), Param::Text(v)) => a.push(v),
            (Self::Small(a), Param::Small(v)) => a.push(v),
            (Self::Big(a), Param::Big(v)) => a.push(v),
            (Self::Bytes(a), Param::Bytes(v)) => a.push(v),
            _ => unreachable!("a table's key columns are of its shape"),
        }
    }

    fn sql_type(&self) -> &'static str {
        match self {
            Self::Text(_) => "text[]",
            Self::Small(_) => "smallint[]",
            Self::Big(_) => "bigint[]",
            Self::Bytes(_) => "bytea[]",
        }
    }

    fn sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            Self::Text(a) => a,
            Self::Small(a) => a,
            Self::Big(a) => a,
            Self::Bytes(a) => a,
        }
    }
}

impl Param {
    fn sql(&self) -> &(dyn ToSql + Sync) {
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
    fn of(key: &[u8]) -> Result<(&'static Self, Vec<Param>), EngineFailure> {
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
    fn columns_of(&self, rest: &[u8]) -> Option<Vec<Param>> {
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
    fn key_of(&self, row: &Row) -> Result<Vec<u8>, EngineFailure> {
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
    fn value_sql(&self) -> String {
        if self.json {
            format!("{}::text", self.value)
        } else {
            self.value.to_owned()
        }
    }

    /// A parameter as the value column takes it.
    fn value_param(&self, n: usize) -> String {
        if self.json {
            format!("${n}::text::jsonb")
        } else {
            format!("${n}")
        }
    }

    fn value_of(&self, row: &Row, at: usize) -> Result<Vec<u8>, EngineFailure> {
        if self.json {
            let text: String = row.try_get(at).map_err(|e| failure(&e))?;
            Ok(text.into_bytes())
        } else {
            row.try_get(at).map_err(|e| failure(&e))
        }
    }

    /// `a = $1 AND b = $2`, from parameter `from`.
    fn key_equals(&self, from: usize) -> String {
        self.key
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ${}", from + i))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// `(a, b) > ($1, $2)` (or `<`), from parameter `from`.
    fn key_beyond(&self, op: &str, from: usize) -> String {
        let params: Vec<String> = (0..self.key.len())
            .map(|i| format!("${}", from + i))
            .collect();
        format!("({}) {op} ({})", self.key.join(", "), params.join(", "))
    }

    fn order(&self, descending: bool) -> String {
        let dir = if descending { " DESC" } else { "" };
        self.key
            .iter()
            .map(|c| format!("{c}{dir}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// This process's name for an engine in the unit's announcements.
fn writer_name() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    )
}

/// The engine on one unit's role in one database.
pub(crate) struct Postgres {
    config: postgres::Config,
    /// The channel the unit's writes are announced on (`vlu:` and the unit's id).
    channel: String,
    /// This engine's name in those announcements, so that its own writes are not news to it.
    writer: String,
    /// Connections not in use.
    idle: std::sync::Arc<Mutex<Vec<Conn>>>,
    /// The engine works inside a transaction another opened, on its one connection, as this
    /// role (set on it before each use): see [`Postgres::within`].
    within: Option<String>,
}

/// A connection and the statements prepared on it (a point read is then one round trip).
struct Conn {
    client: Client,
    statements: std::collections::HashMap<String, postgres::Statement>,
    /// The role set on it (`SET ROLE`) by an engine working within a transaction.
    role: Option<String>,
}

impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Postgres").finish_non_exhaustive()
    }
}

/// A connection taken from the engine's idle ones, given back when dropped.
struct Pooled<'e> {
    engine: &'e Postgres,
    conn: Option<Conn>,
}

impl std::ops::Deref for Pooled<'_> {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self
            .conn
            .as_ref()
            .expect("a pooled connection is held until dropped")
            .client
    }
}

impl std::ops::DerefMut for Pooled<'_> {
    fn deref_mut(&mut self) -> &mut Client {
        &mut self
            .conn
            .as_mut()
            .expect("a pooled connection is held until dropped")
            .client
    }
}

impl Pooled<'_> {
    /// Closes the connection rather than keeping it (it failed), and the idle ones with it:
    /// a lost connection most often means the server restarted, and they went with it.
    fn discard(&mut self) {
        self.conn.take();
        if let Ok(mut idle) = self.engine.idle.lock() {
            idle.clear();
        }
    }

    /// `sql` prepared on this connection, once.
    fn statement(&mut self, sql: &str) -> Result<postgres::Statement, EngineFailure> {
        let conn = self
            .conn
            .as_mut()
            .expect("a pooled connection is held until dropped");
        if let Some(statement) = conn.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = conn.client.prepare(sql).map_err(|e| failure(&e))?;
        conn.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take()
            && !conn.client.is_closed()
            && let Ok(mut idle) = self.engine.idle.lock()
        {
            idle.push(conn);
        }
    }
}

impl Postgres {
    /// Connects to the database at `url` as a unit's role, and checks that it may keep the
    /// unit's records there: a schema this build knows, and a role that is a unit's and sees
    /// only that unit's rows.
    pub(crate) fn open(url: &str) -> Result<Self, EngineFailure> {
        let config: postgres::Config = url.parse().map_err(|_| {
            EngineFailure::new("the store's address is not a PostgreSQL URL (postgresql://…)")
        })?;
        Self {
            config,
            channel: String::new(),
            writer: writer_name(),
            idle: std::sync::Arc::default(),
            within: None,
        }
        .checked()
    }

    /// An engine on the unit whose role is `role`, working inside the transaction that
    /// `shared` holds open on its one connection (an administrator's): what it writes is
    /// committed, or not, with everything else that transaction does — a case moved from
    /// one unit to another is both units' writes in one transaction. Row-level security
    /// applies as to the unit's own services: the role is set on the connection for each
    /// use.
    pub(crate) fn within(shared: &Shared, role: &str) -> Result<Self, EngineFailure> {
        Self {
            config: postgres::Config::new(),
            channel: String::new(),
            writer: writer_name(),
            idle: std::sync::Arc::clone(&shared.idle),
            within: Some(role.to_owned()),
        }
        .checked()
    }

    /// This engine, if its role may keep a unit's records: a schema this build knows, a
    /// role that is a unit's and sees only that unit's rows.
    fn checked(mut self) -> Result<Self, EngineFailure> {
        let engine = &mut self;
        let unit = {
            let mut client = engine.client()?;
            check_schema(&mut client)?;
            let row = client
                .query_one(
                    "SELECT current_user::text, vlu.current_unit(), r.rolsuper OR r.rolbypassrls \
                     OR pg_has_role(r.oid, 'vlu_national', 'MEMBER') \
                     FROM pg_roles r WHERE r.rolname = current_user",
                    &[],
                )
                .map_err(|e| failure(&e))?;
            let role: String = row.get(0);
            let unit: Option<String> = row.get(1);
            let sees_all: bool = row.get(2);
            if sees_all {
                return Err(EngineFailure::new(format!(
                    "the database role {role} is a superuser, bypasses row security or reads every unit (national), so it would see every unit's victims: connect as the unit's own role"
                )));
            }
            unit.ok_or_else(|| {
                EngineFailure::new(format!(
                    "the database role {role} is not a unit's: an administrator adds it with vlu db add-unit"
                ))
            })?
        };
        engine.channel = format!("vlu:{unit}");
        Ok(self)
    }

    /// `read` on a connection; once more on a new one if the first had gone (a server
    /// restarted since it was kept), for a read can be asked twice.
    fn reading<T>(
        &self,
        read: impl Fn(&mut Pooled<'_>) -> Result<T, EngineFailure>,
    ) -> Result<T, EngineFailure> {
        let mut client = self.client()?;
        match read(&mut client) {
            Err(e) if e.is_passing() => {
                client.discard();
                read(&mut self.client()?)
            }
            done => done,
        }
    }

    /// A connection for a write. One kept from before a restart of the server fails at
    /// once: checked first (nothing sent yet), it is replaced rather than failing the write.
    fn live_client(&self) -> Result<Pooled<'_>, EngineFailure> {
        let mut client = self.client()?;
        if client.is_valid(std::time::Duration::from_secs(5)).is_err() {
            client.discard();
            client = self.client()?;
        }
        Ok(client)
    }

    fn client(&self) -> Result<Pooled<'_>, EngineFailure> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match (idle, &self.within) {
            (Some(conn), None) => conn,
            (None, None) => Conn {
                client: self.config.connect(NoTls).map_err(|e| failure(&e))?,
                statements: std::collections::HashMap::new(),
                role: None,
            },
            (Some(mut conn), Some(role)) => {
                if conn.role.as_ref() != Some(role) {
                    // A unit's role is a plain identifier (`vlu db add-unit` checks).
                    conn.client
                        .batch_execute(&format!("SET ROLE \"{}\"", role.replace('"', "")))
                        .map_err(|e| failure(&e))?;
                    conn.role = Some(role.clone());
                }
                conn
            }
            (None, Some(_)) => {
                return Err(EngineFailure::new(
                    "the transaction's connection is in use (one step at a time)",
                ));
            }
        };
        Ok(Pooled {
            engine: self,
            conn: Some(conn),
        })
    }

    /// `key`'s value.
    fn get_with(client: &mut Pooled<'_>, key: &[u8]) -> Result<Option<Vec<u8>>, EngineFailure> {
        let (table, params) = Table::of(key)?;
        let sql = format!(
            "SELECT {} FROM vlu.{} WHERE {}",
            table.value_sql(),
            table.name,
            table.key_equals(1)
        );
        let statement = client.statement(&sql)?;
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(Param::sql).collect();
        let row = client
            .query_opt(&statement, &refs)
            .map_err(|e| failure(&e))?;
        row.map(|row| table.value_of(&row, 0)).transpose()
    }

    fn apply_in(
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
    fn write_many(tx: &mut impl GenericClient, ops: &[Op]) -> Result<(), EngineFailure> {
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
    fn key_arrays<'r>(table: &Table, rows: impl Iterator<Item = &'r [Param]>) -> Vec<Array> {
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

    fn put_rows(
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
    fn extend_lists(
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
    fn remove_lists<'c>(
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

    fn remove_rows(
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
    fn holds(
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
    fn next_number(tx: &mut impl GenericClient, log: &[u8]) -> Result<u64, EngineFailure> {
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

    /// Up to a page of `table`'s rows under `filter`, beyond `after` and before `before`, in
    /// key order (or reversed).
    fn page(
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

/// Refuses a database whose vlu schema is missing or newer than this build knows.
fn check_schema(client: &mut Client) -> Result<(), EngineFailure> {
    let found = schema_version(client)?;
    let known = known_version();
    match found {
        0 => Err(EngineFailure::new(
            "the database has no vlu schema yet: run vlu db migrate",
        )),
        n if n > known => Err(EngineFailure::new(format!(
            "the database's vlu schema is version {n}, newer than this vlu knows ({known}): upgrade vlu"
        ))),
        n if n < known => Err(EngineFailure::new(format!(
            "the database's vlu schema is version {n} and this vlu needs {known}: run vlu db migrate"
        ))),
        _ => Ok(()),
    }
}

/// The last SQL migration applied to the database (0: none).
pub(crate) fn schema_version(client: &mut impl GenericClient) -> Result<u32, EngineFailure> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('vlu.schema_migrations') IS NOT NULL",
            &[],
        )
        .map_err(|e| failure(&e))?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let n: Option<i32> = client
        .query_one("SELECT max(version) FROM vlu.schema_migrations", &[])
        .map_err(|e| failure(&e))?
        .get(0);
    Ok(n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0))
}

pub(crate) fn known_version() -> u32 {
    MIGRATIONS.last().map_or(0, |(n, _)| *n)
}

impl Engine for Postgres {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, EngineFailure> {
        self.reading(|client| Self::get_with(client, key))
    }

    fn scan(&self, prefix: &[u8]) -> Scan<'_> {
        let mut parts: Vec<TableScan<'_>> = Vec::new();
        for table in TABLES {
            if table.prefix.starts_with(prefix) {
                parts.push(TableScan::new(self, table, Filter::default()));
            } else if let Some(rest) = prefix.strip_prefix(table.prefix) {
                match scan_filter(table, rest) {
                    Ok(filter) => parts.push(TableScan::new(self, table, filter)),
                    Err(e) => return Box::new(std::iter::once(Err(e))),
                }
            }
        }
        parts
            .into_iter()
            .fold(Box::new(std::iter::empty()) as Scan<'_>, |scan, part| {
                Box::new(scan.chain(part))
            })
    }

    fn apply(&self, batch: Batch, durable: bool) -> Result<Option<u64>, Unapplied> {
        if self.within.is_some() {
            // Committed with the transaction it is within.
            return self.apply_in(&mut *self.client()?, &batch, durable);
        }
        let mut client = self.live_client()?;
        let mut tx = client.transaction().map_err(|e| failure(&e))?;
        let last = self.apply_in(&mut tx, &batch, durable)?;
        tx.commit().map_err(|e| failure(&e))?;
        Ok(last)
    }

    fn long_write(&self) -> Result<Option<Box<dyn LongWrite + '_>>, EngineFailure> {
        if self.within.is_some() {
            return Ok(Some(Box::new(WithinTransaction { engine: self })));
        }
        let mut client = self.live_client()?;
        client.batch_execute("BEGIN").map_err(|e| failure(&e))?;
        Ok(Some(Box::new(OneTransaction {
            engine: self,
            client,
            open: true,
        })))
    }

    fn others(&self) -> Result<Option<Box<dyn Others>>, EngineFailure> {
        if self.within.is_some() {
            return Ok(None);
        }
        Ok(Some(Box::new(Listening {
            config: self.config.clone(),
            channel: self.channel.clone(),
            writer: self.writer.clone(),
            client: None,
        })))
    }

    fn turn(&self) -> Result<Option<Box<dyn Turn + '_>>, EngineFailure> {
        let mut client = self.live_client()?;
        // A session's advisory lock, on a connection of its own: the reads and the write
        // that follow use others. Released when given up, or when the connection ends with
        // the process that held it. (Within another's transaction, on its one connection,
        // given back between uses; a session takes its own lock again at once.)
        client
            .execute(
                "SELECT pg_advisory_lock($1, hashtext(vlu.current_unit()))",
                &[&TURN_LOCK],
            )
            .map_err(|e| failure(&e))?;
        let client = if self.within.is_some() {
            drop(client);
            None
        } else {
            Some(client)
        };
        Ok(Some(Box::new(UnitTurn {
            engine: self,
            client,
        })))
    }

    fn changes(&self) -> Result<Option<u64>, EngineFailure> {
        // Asked before most requests a service answers: prepared once per connection.
        let n: Option<i64> = self.reading(|client| {
            let statement = client.statement("SELECT last FROM vlu.counters WHERE log = ''")?;
            Ok(client
                .query_opt(&statement, &[])
                .map_err(|e| failure(&e))?
                .map(|row| row.get(0)))
        })?;
        Ok(Some(n.unwrap_or(0).cast_unsigned()))
    }

    fn guarded(&self) -> Result<Vec<String>, EngineFailure> {
        let mut client = self.client()?;
        check_schema(&mut client)?;
        let mut findings = Vec::new();
        let tables = TABLES
            .iter()
            .map(|t| if t.spread { "contacts" } else { t.name })
            .chain(["counters", "contact_removals"]);
        for table in tables {
            let row = client
                .query_opt(
                    "SELECT c.relrowsecurity AND c.relforcerowsecurity, \
                     EXISTS (SELECT FROM pg_policy p WHERE p.polrelid = c.oid) \
                     FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace \
                     WHERE s.nspname = 'vlu' AND c.relname = $1",
                    &[&table],
                )
                .map_err(|e| failure(&e))?;
            match row.map(|r| (r.get::<_, bool>(0), r.get::<_, bool>(1))) {
                None => findings.push(format!("the table vlu.{table} is missing")),
                Some((false, _)) => findings.push(format!(
                    "row-level security is not forced on vlu.{table}: another unit's role could read it"
                )),
                Some((true, false)) => {
                    findings.push(format!("vlu.{table} has no row-level security policy"));
                }
                Some((true, true)) => {}
            }
        }
        let added_to_only = [
            ("audit", "the audit trail"),
            ("contacts", "the contact logs"),
            ("contact_removals", "the record of contacts removed"),
        ];
        for (table, what) in added_to_only {
            for right in ["UPDATE", "DELETE", "TRUNCATE"] {
                let may: bool = client
                    .query_one(
                        "SELECT has_table_privilege($1, $2)",
                        &[&format!("vlu.{table}"), &right],
                    )
                    .map_err(|e| failure(&e))?
                    .get(0);
                if may {
                    findings.push(format!(
                        "the unit's role may {right} {what}, which must only be added to"
                    ));
                }
            }
        }
        let national_writes: Vec<String> = client
            .query(
                "SELECT c.relname::text FROM pg_class c \
                 JOIN pg_namespace s ON s.oid = c.relnamespace \
                 WHERE s.nspname = 'vlu' AND c.relkind = 'r' \
                 AND has_table_privilege('vlu_national', c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE') \
                 ORDER BY 1",
                &[],
            )
            .map_err(|e| failure(&e))?
            .iter()
            .map(|row| row.get(0))
            .collect();
        for table in national_writes {
            findings.push(format!(
                "the national role may change vlu.{table}, where it must only read"
            ));
        }
        Ok(findings)
    }

    fn size_on_disk(&self) -> Result<u64, EngineFailure> {
        let n: i64 = self
            .client()?
            .query_one(
                "SELECT COALESCE(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c \
                 JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'vlu' AND c.relkind = 'r'",
                &[],
            )
            .map_err(|e| failure(&e))?
            .get(0);
        Ok(n.cast_unsigned())
    }
}

/// Which of a table's rows a scan reads: those of one kind (a `KindText` table), and those whose
/// last key column starts with a text.
#[derive(Debug, Default)]
struct Filter {
    kind: Option<String>,
    start: Option<String>,
}

/// A scan's filter within `table` for the prefix's remainder `rest`.
fn scan_filter(table: &Table, rest: &[u8]) -> Result<Filter, EngineFailure> {
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
struct TableScan<'e> {
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
    fn new(engine: &'e Postgres, table: &'static Table, filter: Filter) -> Self {
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

/// A long write as one transaction: each batch applied in it as it comes, committed by the
/// last. Rolled back if dropped before (a failed import leaves nothing; so does a crash,
/// the server's own doing).
struct OneTransaction<'e> {
    engine: &'e Postgres,
    client: Pooled<'e>,
    open: bool,
}

impl LongWrite for OneTransaction<'_> {
    fn add(&mut self, batch: Batch) -> Result<(), Unapplied> {
        self.engine
            .apply_in(&mut *self.client, &batch, true)
            .map(drop)
    }

    fn finish(mut self: Box<Self>, last: Batch) -> Result<Option<u64>, Unapplied> {
        let n = self.engine.apply_in(&mut *self.client, &last, true)?;
        self.open = false;
        self.client
            .batch_execute("COMMIT")
            .map_err(|e| failure(&e))?;
        Ok(n)
    }
}

impl Drop for OneTransaction<'_> {
    fn drop(&mut self) {
        if self.open && self.client.batch_execute("ROLLBACK").is_err() {
            self.client.discard();
        }
    }
}

/// The first key of the advisory lock that is a unit's turn to change its records (the
/// second is the unit's id, hashed).
const TURN_LOCK: i32 = 7_675_118;

/// A unit's turn, held by a connection of the engine's (`None`: the one connection of a
/// transaction the engine works within, taken again to give it up).
struct UnitTurn<'e> {
    engine: &'e Postgres,
    client: Option<Pooled<'e>>,
}

impl Turn for UnitTurn<'_> {}

impl Drop for UnitTurn<'_> {
    fn drop(&mut self) {
        let Some(mut client) = self.client.take().or_else(|| self.engine.client().ok()) else {
            return;
        };
        let given_up = client.execute(
            "SELECT pg_advisory_unlock($1, hashtext(vlu.current_unit()))",
            &[&TURN_LOCK],
        );
        if given_up.is_err() {
            // Closing the connection gives the turn up too.
            client.discard();
        }
    }
}

/// A long write within another's transaction: each batch applied in it as it comes, to be
/// committed with it.
struct WithinTransaction<'e> {
    engine: &'e Postgres,
}

impl LongWrite for WithinTransaction<'_> {
    fn add(&mut self, batch: Batch) -> Result<(), Unapplied> {
        self.engine
            .apply_in(&mut *self.engine.client()?, &batch, true)
            .map(drop)
    }

    fn finish(self: Box<Self>, last: Batch) -> Result<Option<u64>, Unapplied> {
        self.engine
            .apply_in(&mut *self.engine.client()?, &last, true)
    }
}

/// One transaction, open on an administrator's connection, that engines on several units
/// work within ([`Postgres::within`]); rolled back unless committed.
pub(crate) struct Shared {
    idle: std::sync::Arc<Mutex<Vec<Conn>>>,
}

impl Shared {
    /// Connects to `url` (as a role that may act as each unit's: their member, or a
    /// superuser) and begins the transaction.
    pub(crate) fn begin(url: &str) -> Result<Self, EngineFailure> {
        let config: postgres::Config = url.parse().map_err(|_| {
            EngineFailure::new("the database's address is not a PostgreSQL URL (postgresql://…)")
        })?;
        let mut client = config.connect(NoTls).map_err(|e| failure(&e))?;
        client.batch_execute("BEGIN").map_err(|e| failure(&e))?;
        Ok(Self {
            idle: std::sync::Arc::new(Mutex::new(vec![Conn {
                client,
                statements: std::collections::HashMap::new(),
                role: None,
            }])),
        })
    }

    /// The database role of unit `unit` (`None`: the database has no such unit).
    pub(crate) fn role_of(&self, unit: &str) -> Result<Option<String>, EngineFailure> {
        let mut idle = self
            .idle
            .lock()
            .map_err(|_| EngineFailure::new("the transaction's connection was lost"))?;
        let conn = idle
            .last_mut()
            .ok_or_else(|| EngineFailure::new("the transaction's connection is in use"))?;
        conn.client
            .query_opt(
                "SELECT db_role::text FROM vlu.units WHERE id = $1",
                &[&unit],
            )
            .map_err(|e| failure(&e))
            .map(|row| row.map(|row| row.get(0)))
    }

    /// Commits everything done within it.
    pub(crate) fn commit(self) -> Result<(), EngineFailure> {
        let mut conn = self
            .idle
            .lock()
            .ok()
            .and_then(|mut idle| idle.pop())
            .ok_or_else(|| EngineFailure::new("the transaction's connection was lost"))?;
        conn.client.batch_execute("COMMIT").map_err(|e| failure(&e))
    }
}

/// The unit's writes by other engines (its other services), heard on the unit's channel.
struct Listening {
    config: postgres::Config,
    channel: String,
    writer: String,
    /// The connection that listens (`None`: not connected; the next wait connects).
    client: Option<Client>,
}

impl Listening {
    /// Connects and listens; returns the unit's write count then (what was missed while not
    /// listening is everything up to it).
    fn listen(&mut self) -> Result<u64, EngineFailure> {
        let mut client = self.config.connect(NoTls).map_err(|e| failure(&e))?;
        // The channel is the unit's id, which `vlu.units` keeps to plain characters.
        client
            .batch_execute(&format!("LISTEN \"{}\"", self.channel.replace('"', "")))
            .map_err(|e| failure(&e))?;
        let writes: Option<i64> = client
            .query_opt("SELECT last FROM vlu.counters WHERE log = ''", &[])
            .map_err(|e| failure(&e))?
            .map(|row| row.get(0));
        self.client = Some(client);
        Ok(writes.unwrap_or(0).cast_unsigned())
    }
}

impl Others for Listening {
    fn wait(&mut self, timeout: std::time::Duration) -> Result<Option<u64>, EngineFailure> {
        let Some(client) = self.client.as_mut() else {
            // Not listening: whatever happened meanwhile is news.
            return self.listen().map(Some);
        };
        let mut latest: Option<u64> = None;
        let mut heard = |payload: &str| {
            let mut words = payload.split(' ');
            let (Some(writer), Some(n)) = (words.next(), words.next().and_then(|n| n.parse().ok()))
            else {
                return;
            };
            if writer != self.writer {
                latest = Some(latest.map_or(n, |l: u64| l.max(n)));
            }
        };
        let first = client.notifications().timeout_iter(timeout).next();
        let lost = match first {
            Ok(None) => false,
            Ok(Some(note)) => {
                heard(note.payload());
                // And whatever else has come in already.
                let mut notes = client.notifications();
                let mut pending = notes.iter();
                loop {
                    match pending.next() {
                        Ok(Some(note)) => heard(note.payload()),
                        Ok(None) => break false,
                        Err(_) => break true,
                    }
                }
            }
            Err(_) => true,
        };
        if lost || client.is_closed() {
            // What was heard before is read again with everything else once listening again.
            self.client = None;
            return Err(EngineFailure::passing(
                "the connection to the database was lost",
            ));
        }
        Ok(latest)
    }
}

/// The database's error as a sentence: what went wrong, never a value it quotes.
fn failure(e: &postgres::Error) -> EngineFailure {
    if let Some(db) = e.as_db_error() {
        // The message names constraints and columns, never values (those are in the
        // detail, which is left out). Class 57 is the server shutting down or restarting,
        // 08 a connection failing: both pass.
        let code = db.code().code();
        let why = format!("the database refused: {}", db.message());
        return if code.starts_with("57") || code.starts_with("08") {
            EngineFailure::passing(why)
        } else {
            EngineFailure::new(why)
        };
    }
    if e.is_closed() {
        return EngineFailure::passing("the connection to the database was lost");
    }
    let text = e.to_string();
    if text.contains("connect") || text.contains("No such file") || text.contains("refused") {
        return EngineFailure::passing("the database could not be reached");
    }
    EngineFailure::passing("the database could not be read or written")
}
