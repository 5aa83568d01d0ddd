//! One victim's or case's change, as the screens and the command line make it: checked
//! against the records it names and the version it was made from, staged with its log, its
//! digest and its audit entry, and written in one batch.

use super::checked;
use super::codec::{encode, key};
use super::digest::Edit;
use super::engine::Batch;
use super::staged::Stage;
use super::{
    CASE, CONTACT, Changed, Noun, OFFICER, Record, Store, StoreError, VICTIM, changed_fields,
};
use crate::domain::facts::LogFacts;
use crate::domain::model::{Case, Contact, Officer, Victim};

impl Store {
    /// A victim's contact log as stored (empty if none).
    pub fn log(&self, victim: &str) -> Result<Vec<Contact>, StoreError> {
        Ok(self.get(CONTACT, victim)?.unwrap_or_default())
    }

    /// Stages a victim's whole contact log (its facts go into the digest, by the caller).
    pub(super) fn stage_log(
        stage: &mut impl Stage,
        victim: &str,
        contacts: &[Contact],
    ) -> Result<(), StoreError> {
        if contacts.is_empty() {
            stage.delete(key(CONTACT, victim))
        } else {
            stage.put(key(CONTACT, victim), encode(&contacts))
        }
    }

    /// Stages one more entry of a victim's log; returns the facts of the longer log, for
    /// the digest, and the new entry's number in it (from 1).
    pub(super) fn stage_append(
        &self,
        batch: &mut Batch,
        victim: &str,
        contact: &Contact,
    ) -> Result<(LogFacts, usize), StoreError> {
        let mut log = self.log(victim)?;
        if let Some(n) = contact.follows
            && contact.followed(&log).is_none()
        {
            return Err(StoreError::Invalid(vec![format!(
                "follows: entry {n} of the log is no call, visit, meeting or video on or \
                 before the letter's day, or the entry is not a letter or email to the victim"
            )]));
        }
        log.push(contact.clone());
        Self::stage_log(batch, victim, &log)?;
        Ok((LogFacts::of(&log), log.len()))
    }

    /// Checks a victim's references and stages its record (without contacts) in `batch`;
    /// returns the audit action, the names of the fields that changed, and the case the
    /// victim was under before.
    pub(super) fn stage_victim(
        &self,
        batch: &mut Batch,
        victim: &Victim,
        base: Option<u64>,
    ) -> Result<(&'static str, Vec<String>, Option<String>), StoreError> {
        let stored = Victim {
            contacts: Vec::new(),
            ..victim.clone()
        };
        checked::victim(&stored)?;
        if self.case(&victim.case_id)?.is_none() {
            return Err(StoreError::not_found(Noun::Case, &victim.case_id));
        }
        if let Some(officer) = &victim.allocated_to
            && !self.officer_exists(officer)?
        {
            return Err(StoreError::not_found(Noun::Officer, officer));
        }
        let before = self.victim_record(&victim.id)?;
        if before.is_none() {
            self.refuse_erased(Record::Victim, &victim.id)?;
        }
        let fields = changed_fields(before.as_ref(), &stored);
        let action = if before.is_some() {
            "update-victim"
        } else {
            "add-victim"
        };
        batch.insert(key(VICTIM, &victim.id), encode(&stored));
        self.stage_stamp(batch, Record::Victim, &victim.id, base)?;
        Ok((action, fields, before.map(|b| b.case_id)))
    }

    /// [`Store::save_victim`], refused if the record has changed since version `base`.
    pub fn save_victim_from(&self, victim: &Victim, base: u64) -> Result<Changed, StoreError> {
        self.check_base(Record::Victim, &victim.id, base)?;
        self.save_victim_at(victim, Some(base))
    }

    /// [`Store::save_victim_with_contact`], refused if the record has changed since `base`.
    pub fn save_victim_with_contact_from(
        &self,
        victim: &Victim,
        contact: &Contact,
        base: u64,
    ) -> Result<Changed, StoreError> {
        self.check_base(Record::Victim, &victim.id, base)?;
        self.save_victim_with_contact_at(victim, contact, Some(base))
    }

    /// [`Store::save_case`], refused if the record has changed since version `base`; `why`
    /// the change was made, for the audit trail.
    pub fn save_case_from(
        &self,
        case: &Case,
        base: u64,
        why: Option<&str>,
    ) -> Result<Changed, StoreError> {
        self.check_base(Record::Case, &case.id, base)?;
        self.save_case_because(case, why, Some(base))
    }

    /// Saves a victim's record (not its contact log, which only grows by `append_contact`).
    pub fn save_victim(&self, victim: &Victim) -> Result<Changed, StoreError> {
        self.save_victim_at(victim, None)
    }

    /// [`Store::save_victim`], made from version `base` of the record (`None`: any).
    fn save_victim_at(&self, victim: &Victim, base: Option<u64>) -> Result<Changed, StoreError> {
        let mut batch = Batch::default();
        let (action, fields, was) = self.stage_victim(&mut batch, victim, base)?;
        // A victim that moves to another case takes its log's facts with it.
        let facts = match &was {
            Some(c) if *c != victim.case_id => Some(LogFacts::of(&self.log(&victim.id)?)),
            _ => None,
        };
        self.stage_digest(
            &mut batch,
            Self::victim_edits(victim, was.as_deref(), facts),
        )?;
        let seq = self.commit(batch, &self.record(action, Some(&victim.id), fields))?;
        Ok(Changed::victim(seq, &victim.id))
    }

    /// Saves a change of a victim's record together with the log entry that records it
    /// (an opt-in, a decline): both or neither.
    pub fn save_victim_with_contact(
        &self,
        victim: &Victim,
        contact: &Contact,
    ) -> Result<Changed, StoreError> {
        self.save_victim_with_contact_at(victim, contact, None)
    }

    /// [`Store::save_victim_with_contact`], made from version `base` (`None`: any).
    fn save_victim_with_contact_at(
        &self,
        victim: &Victim,
        contact: &Contact,
        base: Option<u64>,
    ) -> Result<Changed, StoreError> {
        let mut batch = Batch::default();
        let (_, mut fields, was) = self.stage_victim(&mut batch, victim, base)?;
        self.check_contact_refs(contact)?;
        let (facts, _) = self.stage_append(&mut batch, &victim.id, contact)?;
        self.stage_digest(
            &mut batch,
            Self::victim_edits(victim, was.as_deref(), Some(facts)),
        )?;
        fields.push(format!(
            "contact {} {} {}",
            contact.on, contact.kind, contact.method
        ));
        let record = self.record("update-victim", Some(&victim.id), fields);
        let seq = self.commit(batch, &record)?;
        Ok(Changed::victim(seq, &victim.id))
    }

    /// Saves a case record.
    pub fn save_case(&self, case: &Case) -> Result<Changed, StoreError> {
        self.save_case_because(case, None, None)
    }

    /// Saves a case record; `why` (a key date corrected or removed) goes in the audit entry.
    fn save_case_because(
        &self,
        case: &Case,
        why: Option<&str>,
        base: Option<u64>,
    ) -> Result<Changed, StoreError> {
        checked::case(case)?;
        if let Some(why) = why {
            checked::text("the reason for the change", why)?;
        }
        let before = self.case(&case.id)?;
        if before.is_none() {
            self.refuse_erased(Record::Case, &case.id)?;
        }
        let mut fields = changed_fields(before.as_ref(), case);
        if let Some(why) = why.map(str::trim).filter(|w| !w.is_empty()) {
            fields.push(format!("why: {why}"));
        }
        let action = if before.is_some() {
            "update-case"
        } else {
            "add-case"
        };
        let mut batch = Batch::default();
        batch.insert(key(CASE, &case.id), encode(case));
        self.stage_stamp(&mut batch, Record::Case, &case.id, base)?;
        self.stage_digest(&mut batch, vec![Edit::Case(case)])?;
        let seq = self.commit(batch, &self.record(action, Some(&case.id), fields))?;
        Ok(Changed {
            seq,
            cases: vec![case.id.clone()],
            ..Changed::default()
        })
    }

    /// Saves an officer record.
    pub fn save_officer(&self, officer: &Officer) -> Result<(), StoreError> {
        let before: Option<Officer> = self.get(OFFICER, &officer.id)?;
        let fields = changed_fields(before.as_ref(), officer);
        let mut batch = Batch::default();
        batch.insert(key(OFFICER, &officer.id), encode(officer));
        let record = self.record("save-officer", Some(&officer.id), fields);
        self.commit(batch, &record).map(drop)
    }

    fn check_contact_refs(&self, contact: &Contact) -> Result<(), StoreError> {
        checked::contact(contact)?;
        match &contact.by {
            Some(officer) if !self.officer_exists(officer)? => {
                Err(StoreError::not_found(Noun::Officer, officer))
            }
            _ => Ok(()),
        }
    }

    /// Appends one entry to a victim's contact log. Entries are never changed or removed:
    /// a correction is a new entry.
    pub fn append_contact(
        &self,
        victim_id: &str,
        contact: &Contact,
    ) -> Result<Changed, StoreError> {
        let Some(victim) = self.victim_record(victim_id)? else {
            return Err(StoreError::not_found(Noun::Victim, victim_id));
        };
        self.check_contact_refs(contact)?;
        let mut batch = Batch::default();
        let mut fields = vec![format!(
            "{} {} {}",
            contact.on, contact.kind, contact.method
        )];
        // The status follows the work: the entry and the move it makes (and the tasks it
        // opens or ends), in one write.
        let Some(case) = self.case(&victim.case_id)? else {
            return Err(StoreError::not_found(Noun::Case, &victim.case_id));
        };
        let moved = crate::domain::casework::after_logging(&victim, contact, &case);
        if let Some(moved) = &moved {
            self.stage_victim(&mut batch, moved, None)?;
            if (moved.status, moved.status_since) != (victim.status, victim.status_since) {
                fields.push(format!(
                    "status {} since {}",
                    moved.status, moved.status_since
                ));
            }
            for (i, t) in moved.tasks.iter().enumerate() {
                let before = victim.tasks.get(i);
                let kind = t.kind.map_or("task", |k| k.as_str());
                if before.is_none() {
                    fields.push(format!("task {kind} opened"));
                } else if before.is_some_and(|b| b.done_on != t.done_on) {
                    fields.push(format!("task {kind} done"));
                }
            }
        }
        let (facts, entry) = self.stage_append(&mut batch, victim_id, contact)?;
        let edits = match &moved {
            Some(moved) => Self::victim_edits(moved, None, Some(facts)),
            None => vec![Edit::Facts {
                case: &victim.case_id,
                victim: victim_id,
                facts: Box::new(facts),
            }],
        };
        self.stage_digest(&mut batch, edits)?;
        let seq = self.commit(batch, &self.record("log-contact", Some(victim_id), fields))?;
        Ok(Changed {
            entry: Some(entry),
            ..Changed::victim(seq, victim_id)
        })
    }
}
