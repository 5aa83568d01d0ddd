//! Data protection in the store: erasure, with the ids it leaves behind (tombstones); the
//! consultations and disclosures the audit trail records; reading the trail back; and what
//! a subject access request gathers about one person.
//!
//! | key | value |
//! | --- | --- |
//! | `x\0v\0{victim}` / `x\0c\0{case}` | an erased id: the day it was erased (nothing else) |

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use super::engine::Batch;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::audit::{AuditEntry, AuditQuery, AuditRecord};
use super::digest::Edit;
use super::stamp::{self, Record};
use super::{
    AUDIT, CASE, CONTACT, OFFICER, SNOOZE, Snooze, Store, StoreError, VICTIM, decode, key,
};
use crate::domain::model::{Case, ContactDetails, Officer, Victim};
use crate::domain::redact::Withheld;
use crate::domain::reminders::Reminder;
use crate::domain::retention::{Reason, Target};
use crate::domain::text::{counted, plural};

/// The tombstones' prefix.
pub(super) const ERASED: &[u8] = b"x\0";
pub(super) const ERASED_VICTIM: &[u8] = b"x\0v\0";
pub(super) const ERASED_CASE: &[u8] = b"x\0c\0";

/// Repeated openings of one victim's record by one user within this long are one
/// consultation in the audit trail.
pub const CONSULTATION_WINDOW: Duration = Duration::from_secs(60);

/// What an erasure removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erased {
    /// The erasure's number in the audit trail.
    pub seq: u64,
    pub cases: Vec<String>,
    pub victims: Vec<String>,
    /// Contact-log entries removed with the victims.
    pub contacts: usize,
    pub snoozes: usize,
    /// What `--purge-backups` did to the backups (none: they were not asked about).
    #[serde(default)]
    pub purged: Option<super::Purged>,
}

/// A disclosure: something that took victims' data out of the store (an export, a
/// calendar file, a report, a letter, a subject access response).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disclosure {
    /// What was disclosed, in a few words with no personal data: `export`, `calendar file`.
    pub what: String,
    /// Whose data, by id.
    pub victims: Vec<String>,
    /// Everyone's: the whole store (then `victims` is empty).
    pub everyone: bool,
}

impl Disclosure {
    pub fn of(what: &str, victims: Vec<String>) -> Self {
        Self {
            what: what.to_owned(),
            victims,
            everyone: false,
        }
    }

    pub fn of_everyone(what: &str) -> Self {
        Self {
            what: what.to_owned(),
            victims: Vec::new(),
            everyone: true,
        }
    }
}

/// Everything the store holds about one victim, with other people's contact details taken
/// out: the answer to a subject access request, before it is written as a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubjectAccess {
    /// The record and its whole contact log.
    pub victim: Victim,
    /// Their reminders put off, with the reasons.
    pub snoozes: Vec<Snooze>,
    /// Every audit entry about them, oldest first.
    pub audit: Vec<AuditEntry>,
    /// What was left out, and why, in words.
    pub withheld: Vec<String>,
}

/// The ids erased from a store: an import does not bring them back without `--replace`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tombstones {
    pub cases: HashSet<String>,
    pub victims: HashSet<String>,
}

impl Store {
    /// Erases a victim — or a case with every victim of it — for `reason`: the records,
    /// contact logs, versions, snoozes and their places in the digest, in one atomic write
    /// together with the audit entry that says what was erased (by id), by whom and why.
    /// The ids are kept, alone, so that an import does not bring them back unasked.
    pub fn erase(&self, target: &Target, reason: Reason) -> Result<Erased, StoreError> {
        self.in_turn(|| self.erase_in_turn(target, reason))
    }

    fn erase_in_turn(&self, target: &Target, reason: Reason) -> Result<Erased, StoreError> {
        let (case, victims) = match target {
            Target::Victim(id) => {
                let Some(v) = self.get::<Victim>(VICTIM, id)? else {
                    return Err(StoreError::not_found(super::Noun::Victim, id));
                };
                (None, vec![(v.id, v.case_id)])
            }
            Target::Case(id) => {
                if self.case(id)?.is_none() {
                    return Err(StoreError::not_found(super::Noun::Case, id));
                }
                let of_case = self.victims_of_case(id)?;
                (
                    Some(id.as_str()),
                    of_case.into_iter().map(|v| (v, id.clone())).collect(),
                )
            }
        };
        let mut batch = Batch::default();
        let mut erased = Erased::default();
        let today = encode_today();
        let mut edits = Vec::new();
        for (v, c) in &victims {
            erased.contacts += self.log(v)?.len();
            batch.remove(key(VICTIM, v));
            batch.remove(key(CONTACT, v));
            batch.remove(key(stamp::prefix(Record::Victim), v));
            batch.insert(key(ERASED_VICTIM, v), today.clone());
            edits.push(Edit::Leave { case: c, victim: v });
            erased.victims.push(v.clone());
        }
        for (k, s) in self.snooze_keys()? {
            if Reminder::victim_in_identity(&s.reminder)
                .is_some_and(|v| erased.victims.iter().any(|e| e == v))
            {
                batch.remove(k);
                erased.snoozes += 1;
            }
        }
        if let Some(c) = case {
            batch.remove(key(CASE, c));
            batch.remove(key(stamp::prefix(Record::Case), c));
            batch.insert(key(ERASED_CASE, c), today.clone());
            edits.push(Edit::RemoveCase(c));
            erased.cases.push(c.to_owned());
        }
        self.stage_digest(&mut batch, edits)?;
        let mut record = self.record(
            "erase",
            Some(target.id()),
            vec![
                format!(
                    "erased {} {}: {}, {} of contact log, {}",
                    target.noun(),
                    target.id(),
                    plural(erased.victims.len(), "victim"),
                    counted(erased.contacts, "entry", "entries"),
                    plural(erased.snoozes, "snooze")
                ),
                format!("reason: {reason}"),
            ],
        );
        record.victims.clone_from(&erased.victims);
        erased.seq = self.commit(batch, &record)?;
        self.forget_consultations(&erased.victims);
        Ok(erased)
    }

    /// Every snooze with its key.
    fn snooze_keys(&self) -> Result<Vec<(Vec<u8>, Snooze)>, StoreError> {
        self.core
            .engine
            .scan(SNOOZE)
            .map(|item| {
                let (k, v) = item?;
                let s = decode(&k, &v)?;
                Ok((k, s))
            })
            .collect()
    }

    /// The ids erased from this store.
    pub fn tombstones(&self) -> Result<Tombstones, StoreError> {
        Ok(Tombstones {
            cases: self.ids(ERASED_CASE)?,
            victims: self.ids(ERASED_VICTIM)?,
        })
    }

    /// Erases again what a restored backup brought back of the ids erased from the store
    /// it replaced (`before`), and keeps those ids: a restore never undoes an erasure.
    /// Returns the ids erased again.
    pub(super) fn erase_again(&self, before: &Tombstones) -> Result<Vec<String>, StoreError> {
        let mut again = Vec::new();
        let mut cases: Vec<&String> = before.cases.iter().collect();
        cases.sort();
        for id in cases {
            if self.case(id)?.is_some() {
                self.erase(&Target::Case(id.clone()), Reason::Restored)?;
                again.push(id.clone());
            }
        }
        let mut victims: Vec<&String> = before.victims.iter().collect();
        victims.sort();
        for id in victims {
            if self.get::<Victim>(VICTIM, id)?.is_some() {
                self.erase(&Target::Victim(id.clone()), Reason::Restored)?;
                again.push(id.clone());
            }
        }
        let mut batch = Batch::default();
        let today = encode_today();
        for (prefix, ids) in [
            (ERASED_CASE, &before.cases),
            (ERASED_VICTIM, &before.victims),
        ] {
            for id in ids {
                let k = key(prefix, id);
                if !self.core.engine.contains(&k)? {
                    batch.insert(k, today.clone());
                }
            }
        }
        self.write(batch, super::write::SAVE_ROOM, true)?;
        Ok(again)
    }

    /// Refuses a new record under an id that was erased (an id brought back by an import
    /// with `--replace` is no longer erased).
    pub(super) fn refuse_erased(&self, record: Record, id: &str) -> Result<(), StoreError> {
        let prefix = match record {
            Record::Victim => ERASED_VICTIM,
            Record::Case => ERASED_CASE,
        };
        if self.core.engine.contains(&key(prefix, id))? {
            return Err(StoreError::Refused(format!(
                "{id} is the id of a record that was erased; give the new one another id"
            )));
        }
        Ok(())
    }

    /// Stages taking ids off the erased list (an import with `--replace` brings them back);
    /// returns the ids that were on it.
    pub(super) fn stage_unerase<'a>(
        &self,
        batch: &mut Batch,
        record: Record,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<String>, StoreError> {
        let prefix = match record {
            Record::Victim => ERASED_VICTIM,
            Record::Case => ERASED_CASE,
        };
        let mut back = Vec::new();
        for id in ids {
            let k = key(prefix, id);
            if self.core.engine.contains(&k)? {
                batch.remove(k);
                back.push(id.to_owned());
            }
        }
        Ok(back)
    }

    /// Records that someone opened a victim's record on screen (a consultation). Openings
    /// of the same record by the same user within [`CONSULTATION_WINDOW`] are recorded once.
    pub fn record_consultation(&self, victim: &str) -> Result<(), StoreError> {
        let user = self.user();
        let now = Instant::now();
        {
            let seen = self.consulted();
            if seen
                .get(&(user.clone(), victim.to_owned()))
                .is_some_and(|at| now.duration_since(*at) < CONSULTATION_WINDOW)
            {
                return Ok(());
            }
        }
        let record = self.record("consult-victim", Some(victim), Vec::new());
        self.commit(Batch::default(), &record)?;
        let mut seen = self.consulted();
        seen.retain(|_, at| now.duration_since(*at) < CONSULTATION_WINDOW);
        seen.insert((user, victim.to_owned()), now);
        Ok(())
    }

    fn consulted(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), Instant>> {
        self.core
            .consulted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn forget_consultations(&self, victims: &[String]) {
        self.consulted().retain(|(_, v), _| !victims.contains(v));
    }

    /// Records that victims' data left the store (an export, a calendar file, a report, a
    /// letter, a subject access response): what, and whose, by id.
    pub fn record_disclosure(&self, disclosure: &Disclosure) -> Result<(), StoreError> {
        super::checked::text("the disclosure", &disclosure.what)?;
        let mut record = self.record("disclose", None, vec![disclosure.what.clone()]);
        record.victims.clone_from(&disclosure.victims);
        record.everyone = disclosure.everyone;
        self.commit(Batch::default(), &record).map(drop)
    }

    /// The audit trail's entries that `query` asks for, oldest first.
    pub fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        let mut out = Vec::new();
        for item in self.core.engine.scan(AUDIT) {
            let (k, v) = item?;
            let record: AuditRecord = decode(&k, &v)?;
            if !query.matches(&record) {
                continue;
            }
            let seq = k[AUDIT.len()..]
                .try_into()
                .map(u64::from_be_bytes)
                .map_err(|_| StoreError::Corrupt("an audit record's key cannot be read".into()))?;
            out.push(AuditEntry { seq, record });
        }
        Ok(out)
    }

    /// Everything held about one victim, for a subject access request (`None`: no such
    /// victim). Recorded as a disclosure first, so that the answer shows its own making.
    pub fn subject_access(&self, id: &str) -> Result<Option<SubjectAccess>, StoreError> {
        let Some(victim) = self.victim(id)? else {
            return Ok(None);
        };
        self.record_disclosure(&Disclosure::of(
            "subject access request",
            vec![id.to_owned()],
        ))?;
        let others = self.others_contact_details(&victim)?;
        let mut withheld = Vec::new();
        let mut shown = serde_json::to_value(&victim).expect("records always serialise");
        if let Some(rep) = shown
            .get_mut("representative")
            .and_then(Value::as_object_mut)
            && rep.get("contact_details").is_some_and(|d| !d.is_null())
        {
            rep.insert("contact_details".into(), Value::Null);
            withheld.push(
                "The representative's address, phone number and email: another person's \
                 contact details."
                    .to_owned(),
            );
        }
        let mut cut = 0;
        redact_strings(&mut shown, &others, &mut cut);
        let victim: Victim = serde_json::from_value(shown)
            .map_err(|e| StoreError::Corrupt(format!("the record {id} cannot be shown ({e})")))?;
        let mut snoozes: Vec<Snooze> = self
            .snoozes()?
            .into_iter()
            .filter(|s| Reminder::victim_in_identity(&s.reminder) == Some(id))
            .collect();
        for s in &mut snoozes {
            let (reason, n) = others.redact(&s.reason);
            s.reason = reason;
            cut += n;
        }
        withheld.push(
            "The case record (the offender, the sentence and its dates) and the other victims \
             of the same case: other people's personal data. What the victim was told of the \
             case is in the contact log."
                .to_owned(),
        );
        let audit = self
            .audit_entries(&AuditQuery {
                victim: Some(id.to_owned()),
                ..AuditQuery::default()
            })?
            .into_iter()
            .map(|e| {
                let mut record = e.record.as_seen_by(id);
                // The trail's words are free text too (a snooze's reason, a change's why).
                for field in &mut record.fields {
                    let (out, n) = others.redact(field);
                    *field = out;
                    cut += n;
                }
                AuditEntry { seq: e.seq, record }
            })
            .collect();
        if cut > 0 {
            withheld.push(format!(
                "{cut} mention(s) of other people's addresses, phone numbers or emails in the \
                 text of the record, log and audit trail, each replaced by \"{}\".",
                crate::domain::redact::WITHHELD
            ));
        }
        Ok(Some(SubjectAccess {
            victim,
            snoozes,
            audit,
            withheld,
        }))
    }

    /// The contact details of everyone but `victim` that the store holds: other victims,
    /// every representative, the officers and responsible officers (less any detail the
    /// victim shares, which is theirs too).
    fn others_contact_details(&self, victim: &Victim) -> Result<Withheld, StoreError> {
        let mut own = Withheld::default();
        add_details(&mut own, victim.contact_details.as_deref());
        let mut others = Withheld::default();
        for item in self.core.engine.scan(VICTIM) {
            let (k, v) = item?;
            let other: Victim = decode(&k, &v)?;
            if other.id != victim.id {
                add_details(&mut others, other.contact_details.as_deref());
            }
            if let Some(rep) = &other.representative {
                add_details(&mut others, rep.contact_details.as_ref());
            }
        }
        for item in self.core.engine.scan(CASE) {
            let (k, v) = item?;
            let case: Case = decode(&k, &v)?;
            if let Some(ro) = &case.responsible_officer {
                add_phone_email(&mut others, ro.phone.as_deref(), ro.email.as_deref());
            }
        }
        for item in self.core.engine.scan(OFFICER) {
            let (k, v) = item?;
            let o: Officer = decode(&k, &v)?;
            add_phone_email(&mut others, o.phone.as_deref(), o.email.as_deref());
        }
        Ok(others.without(&own))
    }
}

fn add_details(w: &mut Withheld, details: Option<&ContactDetails>) {
    let Some(d) = details else { return };
    if let Some(a) = &d.address {
        w.address(a);
    }
    add_phone_email(w, d.phone.as_deref(), d.email.as_deref());
}

fn add_phone_email(w: &mut Withheld, phone: Option<&str>, email: Option<&str>) {
    if let Some(p) = phone {
        w.phone(p);
    }
    if let Some(e) = email {
        w.text(e);
    }
}

/// Every string in `value` but the subject's own contact details, with others' details cut.
fn redact_strings(value: &mut Value, others: &Withheld, cut: &mut usize) {
    match value {
        Value::String(s) => {
            let (out, n) = others.redact(s);
            if n > 0 {
                *s = out;
                *cut += n;
            }
        }
        Value::Array(items) => {
            for item in items {
                redact_strings(item, others, cut);
            }
        }
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k != "contact_details" {
                    redact_strings(v, others, cut);
                }
            }
        }
        _ => {}
    }
}

/// The ids erased from the store whose engine's files are in `db` (a store about to be
/// replaced by a restore), read without the store being open. Best effort: a store too
/// damaged to open has none to give.
pub(super) fn tombstones_in(db: &std::path::Path) -> Tombstones {
    let read = || -> Result<Tombstones, StoreError> {
        let engine = super::engine::open_files(db, 1024 * 1024)?;
        let ids = |prefix: &[u8]| -> Result<HashSet<String>, StoreError> {
            engine
                .keys(prefix)
                .map(|k| Ok(String::from_utf8_lossy(&k?[prefix.len()..]).into_owned()))
                .collect()
        };
        Ok(Tombstones {
            cases: ids(ERASED_CASE)?,
            victims: ids(ERASED_VICTIM)?,
        })
    };
    if super::engine::has_files(db) {
        read().unwrap_or_default()
    } else {
        Tombstones::default()
    }
}

/// Today's date (UTC), as a tombstone's value.
fn encode_today() -> Vec<u8> {
    serde_json::to_vec(&Utc::now().date_naive()).expect("dates always serialise")
}

#[cfg(test)]
mod tests;
