//! The store as the screens see it: the seam between them and whatever keeps the records.
//!
//! Today one implementation: the sled [`Store`] in this process. Next, a client of the unit
//! service (one process owns the sled store, every vlu asks it over a socket), then a
//! networked database. So the seam speaks in records and ids, never in sled's terms, and
//! every write answers with what it [`Changed`]: the screens read those records back from
//! the store, never re-do a write in their own memory, which is also how a change made by
//! someone else will reach them.

use super::{Digest, Record, ReportAsk, Snooze, Stamp, Store, StoreError};
use crate::domain::model::{Case, Contact, Victim};
use crate::domain::report::Report;

/// What a committed change touched: the records every screen reads back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changed {
    /// The change's number: changes are numbered in the order they were made durable.
    pub seq: u64,
    /// Victims whose record or log changed.
    pub victims: Vec<String>,
    /// Cases whose record changed.
    pub cases: Vec<String>,
    /// Whether the snoozes changed.
    pub snoozes: bool,
}

impl Changed {
    /// A change to one victim's record or log.
    pub fn victim(seq: u64, id: &str) -> Self {
        Self {
            seq,
            victims: vec![id.to_owned()],
            ..Self::default()
        }
    }
}

/// What the screens read and write.
pub trait UnitStore {
    /// What the caseload list, the diary and the search need of every case and victim.
    fn load_digest(&self) -> Result<Digest, StoreError>;
    fn snoozes(&self) -> Result<Vec<Snooze>, StoreError>;
    /// One victim's whole record with its contact log.
    fn victim(&self, id: &str) -> Result<Option<Victim>, StoreError>;
    fn case(&self, id: &str) -> Result<Option<Case>, StoreError>;
    /// A record's version, and who made it when: a save names the version it was made from.
    fn stamp(&self, record: Record, id: &str) -> Result<Stamp, StoreError>;
    /// One more entry in a victim's log (the log is append-only).
    fn append_contact(&self, victim: &str, contact: &Contact) -> Result<Changed, StoreError>;
    /// A new or changed victim record (its log untouched), made from version `base` of it
    /// (0 for a new one): refused if someone has changed it since.
    fn save_victim(&self, victim: &Victim, base: u64) -> Result<Changed, StoreError>;
    /// A victim's changed record with the log entry that records the change: both or neither.
    fn save_victim_with_contact(
        &self,
        victim: &Victim,
        contact: &Contact,
        base: u64,
    ) -> Result<Changed, StoreError>;
    /// A new or changed case record, made from version `base` of it.
    fn save_case(&self, case: &Case, base: u64) -> Result<Changed, StoreError>;
    fn snooze(&self, snooze: &Snooze) -> Result<Changed, StoreError>;
    /// Records, before anything is shown, that someone looked at a victim's contact details.
    fn record_reveal(&self, victim: &str) -> Result<(), StoreError>;
    /// The monitoring return (a manager's or administrator's), recorded as a disclosure.
    fn report(&self, ask: &ReportAsk) -> Result<Report, StoreError>;
}

impl UnitStore for Store {
    fn load_digest(&self) -> Result<Digest, StoreError> {
        Store::load_digest(self)
    }

    fn snoozes(&self) -> Result<Vec<Snooze>, StoreError> {
        Store::snoozes(self)
    }

    fn victim(&self, id: &str) -> Result<Option<Victim>, StoreError> {
        Store::victim(self, id)
    }

    fn case(&self, id: &str) -> Result<Option<Case>, StoreError> {
        Store::case(self, id)
    }

    fn stamp(&self, record: Record, id: &str) -> Result<Stamp, StoreError> {
        Store::stamp(self, record, id)
    }

    fn append_contact(&self, victim: &str, contact: &Contact) -> Result<Changed, StoreError> {
        Store::append_contact(self, victim, contact)
    }

    fn save_victim(&self, victim: &Victim, base: u64) -> Result<Changed, StoreError> {
        Store::save_victim_from(self, victim, base)
    }

    fn save_victim_with_contact(
        &self,
        victim: &Victim,
        contact: &Contact,
        base: u64,
    ) -> Result<Changed, StoreError> {
        Store::save_victim_with_contact_from(self, victim, contact, base)
    }

    fn save_case(&self, case: &Case, base: u64) -> Result<Changed, StoreError> {
        Store::save_case_from(self, case, base)
    }

    fn snooze(&self, snooze: &Snooze) -> Result<Changed, StoreError> {
        Store::snooze(self, snooze)
    }

    fn record_reveal(&self, victim: &str) -> Result<(), StoreError> {
        Store::record_reveal(self, victim)
    }

    fn report(&self, ask: &ReportAsk) -> Result<Report, StoreError> {
        Store::report(self, ask)
    }
}
