//! The store as the screens see it: the seam between them and whatever keeps the records.
//!
//! Today one implementation: the sled [`Store`] in this process. Next, a client of the unit
//! service (one process owns the sled store, every vlu asks it over a socket), then a
//! networked database. So the seam speaks in records and ids, never in sled's terms, and
//! every write answers with what it [`Changed`]: the screens read those records back from
//! the store, never re-do a write in their own memory, which is also how a change made by
//! someone else will reach them.

use super::{
    AuditEntry, AuditQuery, Closing, Digest, Disclosure, Erased, Reallocation, Record, ReportAsk,
    Snooze, Stamp, Store, StoreError, SubjectAccess,
};
use crate::domain::model::{Case, Contact, Victim};
use crate::domain::report::Report;
use crate::domain::retention::{Reason, Target};

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
    /// The number (from 1) of the entry a contact appended has in its victim's log.
    pub entry: Option<usize>,
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
    /// A changed case record, made from version `base` of it; `why`, when given, is kept
    /// in the audit trail (a key date corrected or removed).
    fn save_case(&self, case: &Case, base: u64, why: Option<&str>) -> Result<Changed, StoreError>;
    /// A new victim. The store gives its id when `victim.id` is empty (the change names
    /// it); one that is taken is refused.
    fn add_victim(&self, victim: &Victim) -> Result<Changed, StoreError>;
    /// A new case, its id given by the store when `case.id` is empty.
    fn add_case(&self, case: &Case) -> Result<Changed, StoreError>;
    /// Closes a case and each of its victims, with an entry in each victim's log: all or
    /// nothing.
    fn close_case(&self, closing: &Closing) -> Result<Changed, StoreError>;
    /// Moves a victim, a case or an officer's whole caseload to other officers, in one
    /// write (a manager's, where roles are set).
    fn reallocate(&self, reallocation: &Reallocation) -> Result<Changed, StoreError>;
    fn snooze(&self, snooze: &Snooze) -> Result<Changed, StoreError>;
    /// Records, before anything is shown, that someone looked at a victim's contact details.
    fn record_reveal(&self, victim: &str) -> Result<(), StoreError>;
    /// The monitoring return (a manager's or administrator's), recorded as a disclosure.
    fn report(&self, ask: &ReportAsk) -> Result<Report, StoreError>;
    /// Records that someone opened a victim's record (a consultation; repeated openings by
    /// the same user within a minute are one).
    fn record_consultation(&self, victim: &str) -> Result<(), StoreError>;
    /// Records that victims' data left the store: an export, a calendar file, a report, a
    /// letter. What a report or letter calls before it writes anything.
    fn record_disclosure(&self, disclosure: &Disclosure) -> Result<(), StoreError>;
}

/// What only the unit's administrators may do (the unit service refuses anyone else):
/// erase, read the audit trail, answer a subject access request.
pub trait UnitAdmin {
    /// Erases a victim, or a case with all its victims, for `reason`, leaving only the
    /// audit entry and the ids.
    fn erase(&self, target: &Target, reason: Reason) -> Result<Erased, StoreError>;
    /// The audit trail's entries that `query` asks for, oldest first.
    fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError>;
    /// Everything held about one victim (recorded as a disclosure); `None`: no such victim.
    fn subject_access(&self, victim: &str) -> Result<Option<SubjectAccess>, StoreError>;
}

impl UnitAdmin for Store {
    fn erase(&self, target: &Target, reason: Reason) -> Result<Erased, StoreError> {
        Store::erase(self, target, reason)
    }

    fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        Store::audit_entries(self, query)
    }

    fn subject_access(&self, victim: &str) -> Result<Option<SubjectAccess>, StoreError> {
        Store::subject_access(self, victim)
    }
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

    fn save_case(&self, case: &Case, base: u64, why: Option<&str>) -> Result<Changed, StoreError> {
        Store::save_case_from(self, case, base, why)
    }

    fn add_victim(&self, victim: &Victim) -> Result<Changed, StoreError> {
        Store::add_victim(self, victim)
    }

    fn add_case(&self, case: &Case) -> Result<Changed, StoreError> {
        Store::add_case(self, case)
    }

    fn close_case(&self, closing: &Closing) -> Result<Changed, StoreError> {
        Store::close_case(self, closing)
    }

    fn reallocate(&self, reallocation: &Reallocation) -> Result<Changed, StoreError> {
        Store::reallocate(self, reallocation)
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

    fn record_consultation(&self, victim: &str) -> Result<(), StoreError> {
        Store::record_consultation(self, victim)
    }

    fn record_disclosure(&self, disclosure: &Disclosure) -> Result<(), StoreError> {
        Store::record_disclosure(self, disclosure)
    }
}
