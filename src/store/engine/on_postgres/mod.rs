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

use std::sync::Mutex;

use postgres::types::ToSql;
use postgres::{Client, GenericClient, NoTls};

use super::{Batch, Engine, EngineFailure, LongWrite, Op, Others, Pair, Scan, Turn, Unapplied};

mod listen;
pub(crate) mod load;
mod scan;
mod tables;
mod transactions;
mod write;

use listen::Listening;
use scan::{Filter, TableScan, scan_filter};
use tables::{Param, TABLES, Table};
pub(crate) use transactions::Shared;
use transactions::{OneTransaction, TURN_LOCK, UnitTurn, WithinTransaction};

/// The SQL migrations this build knows, in order: `vlu.schema_migrations` holds the last
/// applied.
pub(crate) const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../postgres/0001_units.sql")),
    (2, include_str!("../postgres/0002_contacts.sql")),
    (3, include_str!("../postgres/0003_national.sql")),
    (4, include_str!("../postgres/0004_return_facts.sql")),
    (5, include_str!("../postgres/0005_contact_kinds.sql")),
    (6, include_str!("../postgres/0006_outcome.sql")),
];

/// Rows written per statement from arrays.
const ROWS: usize = 5000;

/// Rows read per query by a scan.
const PAGE: i64 = 1000;

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
