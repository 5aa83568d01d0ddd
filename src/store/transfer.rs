//! Two units of one PostgreSQL database changed in one transaction: a case moved from one
//! to the other is written to both, or to neither. An administrator's connection opens the
//! transaction and acts as each unit's role in turn, so row-level security confines each
//! unit's part to its own rows as it confines the unit's own services.

use std::sync::Arc;

use super::engine::Engine;
use super::engine::on_postgres::{Postgres, Shared};
use super::{Store, StoreError};

/// Two units' stores within one transaction, opened by [`Between::begin`]; nothing they
/// write is kept unless [`Between::commit`] is called.
pub struct Between {
    shared: Shared,
    /// The units' ids.
    pub from_unit: String,
    pub to_unit: String,
    pub from: Store,
    pub to: Store,
}

impl Between {
    /// Opens the units `from` and `to` of the database at `url`, as an administrator whose
    /// role may act as each unit's (a member of both units' roles, or a superuser); `user`
    /// is who the changes are made by.
    pub fn begin(url: &str, from: &str, to: &str, user: &str) -> Result<Self, StoreError> {
        if from == to {
            return Err(StoreError::Refused(format!(
                "the case is in unit {from} already: name another unit to move it to"
            )));
        }
        let shared = Shared::begin(url)?;
        let role_of = |unit: &str| {
            shared.role_of(unit)?.ok_or_else(|| {
                StoreError::Refused(format!(
                    "the database has no unit {unit} (vlu db add-unit adds one)"
                ))
            })
        };
        let from_role = role_of(from)?;
        let to_role = role_of(to)?;
        let open = |role: &str| -> Result<Store, StoreError> {
            let engine: Arc<dyn Engine> = Arc::new(Postgres::within(&shared, role)?);
            Store::over(engine, user)
        };
        let from_store = open(&from_role)?;
        let to_store = open(&to_role)?;
        Ok(Self {
            shared,
            from_unit: from.to_owned(),
            to_unit: to.to_owned(),
            from: from_store,
            to: to_store,
        })
    }

    /// Runs `change` in both units' turns (taken in the order of their ids, so that two
    /// moves between the same units cannot wait for each other).
    pub fn in_turns<T>(
        &self,
        change: impl FnOnce(&Store, &Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let (first, second) = if self.from_unit < self.to_unit {
            (&self.from, &self.to)
        } else {
            (&self.to, &self.from)
        };
        first.in_turn(|| second.in_turn(|| change(&self.from, &self.to)))
    }

    /// Keeps everything both units' stores wrote.
    pub fn commit(self) -> Result<(), StoreError> {
        let Self {
            shared, from, to, ..
        } = self;
        drop((from, to));
        shared.commit().map_err(StoreError::from)
    }
}

impl Store {
    /// Records in the audit trail that case `case` came in from unit `from`, with its
    /// victims (by id); returns the entry's number.
    pub fn record_moved_in(
        &self,
        case: &str,
        from: &str,
        victims: &[String],
    ) -> Result<u64, StoreError> {
        let mut record = self.record("move-in", Some(case), vec![format!("from unit {from}")]);
        record.victims = victims.to_vec();
        self.commit(super::engine::Batch::default(), &record)
    }
}
