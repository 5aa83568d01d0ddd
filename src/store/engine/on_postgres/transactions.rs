//! Transactions and turns: a long write as one transaction, a unit's turn to change its
//! records, and one transaction that engines on several units work within.

use std::sync::Mutex;

use postgres::NoTls;

use super::{Batch, Conn, EngineFailure, LongWrite, Pooled, Postgres, Turn, Unapplied, failure};

/// A long write as one transaction: each batch applied in it as it comes, committed by the
/// last. Rolled back if dropped before (a failed import leaves nothing; so does a crash,
/// the server's own doing).
pub(super) struct OneTransaction<'e> {
    pub(super) engine: &'e Postgres,
    pub(super) client: Pooled<'e>,
    pub(super) open: bool,
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
pub(super) const TURN_LOCK: i32 = 7_675_118;

/// A unit's turn, held by a connection of the engine's (`None`: the one connection of a
/// transaction the engine works within, taken again to give it up).
pub(super) struct UnitTurn<'e> {
    pub(super) engine: &'e Postgres,
    pub(super) client: Option<Pooled<'e>>,
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
pub(super) struct WithinTransaction<'e> {
    pub(super) engine: &'e Postgres,
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
    pub(super) idle: std::sync::Arc<Mutex<Vec<Conn>>>,
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
