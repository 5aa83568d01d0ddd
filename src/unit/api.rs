//! The unit as the screens see it: the seam between them and whatever keeps the records —
//! the [`Store`] in this process, or a client of the unit service that owns it. It
//! speaks in records, ids and [`Command`]s, never in an engine's terms, and every change
//! answers with what it [`Changed`]: the screens read those records back, never re-do a
//! write in their own memory, which is also how a change made by someone else reaches them.

use serde::{Deserialize, Serialize};

use super::command::Command;
use crate::domain::model::{Case, Victim};
use crate::domain::report::Report;
use crate::domain::retention::{Reason, Target};
use crate::store::{
    AuditEntry, AuditQuery, Changed, Digest, Disclosure, Erased, Record, ReportAsk, Snooze, Stamp,
    Store, StoreError, SubjectAccess,
};

/// The records a change touched, as the store holds them now, with their versions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Fresh {
    pub victims: Vec<Victim>,
    pub cases: Vec<Case>,
    /// Every snooze, when they changed.
    pub snoozes: Option<Vec<Snooze>>,
    /// The version of each record read back.
    pub versions: Vec<(Record, String, u64)>,
}

impl Fresh {
    /// Keeps `victim` as read, with its version read from `store`.
    fn keep_victim<S: UnitStore + ?Sized>(
        &mut self,
        store: &S,
        victim: Victim,
    ) -> Result<(), StoreError> {
        let version = store.stamp(Record::Victim, &victim.id)?.version;
        self.versions
            .push((Record::Victim, victim.id.clone(), version));
        self.victims.push(victim);
        Ok(())
    }

    /// Keeps `case` as read, with its version read from `store`.
    fn keep_case<S: UnitStore + ?Sized>(
        &mut self,
        store: &S,
        case: Case,
    ) -> Result<(), StoreError> {
        let version = store.stamp(Record::Case, &case.id)?.version;
        self.versions.push((Record::Case, case.id.clone(), version));
        self.cases.push(case);
        Ok(())
    }
}

/// What the unit tells a screen that listens: a change someone made (and who), who is here
/// now, that everything must be read again (news was missed), or that the unit service
/// went away (the screen says so while it reconnects).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum News {
    Changed { changed: Changed, by: String },
    Present(Vec<String>),
    Reload,
    Lost(String),
}

/// A change made: what it touched, and those records as they now are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Saved {
    pub changed: Changed,
    pub fresh: Fresh,
}

use super::lens::Lens;
use super::window::{Ask, Window};

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
    /// A change to the casework ([`Command`]), made from the version it names: refused if
    /// its record changed since, or if the speaker may not make it. It answers with what it
    /// changed and those records as they now are, in one reply.
    fn execute(&self, command: &Command) -> Result<Saved, StoreError>;
    /// What a screen shows of the unit ([`Window`]): worked out here from the whole digest;
    /// the unit service, which keeps the unit worked out, answers its screens at once.
    fn window(&self, ask: &Ask) -> Result<Window, StoreError> {
        let digest = self.load_digest()?;
        let mut lens = Lens::new(
            digest.caseload,
            Some(digest.facts),
            self.snoozes()?.into_iter().collect(),
            ask.today,
            ask.lead,
            ask.days.clone(),
        );
        Ok(lens.window(ask))
    }

    /// The records a change touched, as the store holds them now (a change someone else
    /// made, heard of in the news).
    fn fresh(&self, changed: &Changed) -> Result<Fresh, StoreError> {
        let mut fresh = Fresh::default();
        for id in &changed.victims {
            if let Some(victim) = self.victim(id)? {
                fresh.keep_victim(self, victim)?;
            }
        }
        for id in &changed.cases {
            if let Some(case) = self.case(id)? {
                fresh.keep_case(self, case)?;
            }
        }
        if changed.snoozes {
            fresh.snoozes = Some(self.snoozes()?);
        }
        Ok(fresh)
    }
    /// A victim's whole record with its log, its case, and the versions of both: what the
    /// screens show of a victim and save from (`None`: no such victim). One request through
    /// the unit service, not four.
    fn whole_victim(&self, id: &str) -> Result<Option<Fresh>, StoreError> {
        let Some(victim) = self.victim(id)? else {
            return Ok(None);
        };
        let case = self.case(&victim.case_id)?;
        let mut fresh = Fresh::default();
        fresh.keep_victim(self, victim)?;
        if let Some(case) = case {
            fresh.keep_case(self, case)?;
        }
        Ok(Some(fresh))
    }
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

    /// A victim's whole record, its reading recorded as a consultation (once in a while
    /// for the same person and record: the screens read a record again after each change).
    fn victim(&self, id: &str) -> Result<Option<Victim>, StoreError> {
        let found = Store::victim(self, id)?;
        if found.is_some() {
            Store::record_consultation(self, id)?;
        }
        Ok(found)
    }

    fn case(&self, id: &str) -> Result<Option<Case>, StoreError> {
        Store::case(self, id)
    }

    fn stamp(&self, record: Record, id: &str) -> Result<Stamp, StoreError> {
        Store::stamp(self, record, id)
    }

    fn execute(&self, command: &Command) -> Result<Saved, StoreError> {
        let changed = command.run(self)?;
        let fresh = self.fresh(&changed)?;
        Ok(Saved { changed, fresh })
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
