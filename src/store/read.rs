//! Reading the store: records by id, the whole caseload or its head, and the ids it holds.

use serde::de::DeserializeOwned;

use super::digest::Edit;
use super::{
    CASE, CONTACT, META, OFFICER, Store, StoreError, VICTIM, decode, key, records, values,
};
use crate::domain::facts::LogFacts;
use crate::domain::model::{Case, Caseload, Victim};
use crate::domain::validate::KnownIds;

impl Store {
    pub(super) fn values<T: DeserializeOwned>(&self, prefix: &[u8]) -> Result<Vec<T>, StoreError> {
        values(&*self.core.engine, prefix)
    }

    pub(super) fn meta<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, StoreError> {
        self.get(META, name)
    }

    pub(super) fn ids(
        &self,
        prefix: &[u8],
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        self.core
            .engine
            .keys(prefix)
            .map(|k| Ok(String::from_utf8_lossy(&k?[prefix.len()..]).into_owned()))
            .collect()
    }

    /// The ids already in the store, for validating a file against it.
    pub fn known_ids(&self) -> Result<KnownIds, StoreError> {
        let erased = self.tombstones()?;
        Ok(KnownIds {
            officers: self.ids(OFFICER)?,
            cases: self.ids(CASE)?,
            victims: self.ids(VICTIM)?,
            erased_cases: erased.cases,
            erased_victims: erased.victims,
        })
    }

    /// The caseload's unit, officers and extra non-working days, without cases or victims.
    pub fn load_head(&self) -> Result<Caseload, StoreError> {
        Ok(Caseload {
            unit: self.meta("unit")?,
            officers: self.values(OFFICER)?,
            extra_non_working_days: self.meta("extra_days")?.unwrap_or_default(),
            ..Caseload::default()
        })
    }

    /// Every case, in id order, read one at a time.
    pub fn cases(&self) -> impl Iterator<Item = Result<Case, StoreError>> + '_ {
        records(&*self.core.engine, CASE)
    }

    /// Every victim with its contact log, in id order, read one at a time (an export of a
    /// large unit never holds it whole). Records and logs are both kept in victim-id order,
    /// so each log is found by walking the two side by side.
    pub fn victims_with_logs(&self) -> impl Iterator<Item = Result<Victim, StoreError>> + '_ {
        let mut logs = self.core.engine.scan(CONTACT).peekable();
        self.core.engine.scan(VICTIM).map(move |item| {
            let (k, v) = item?;
            let mut victim: Victim = decode(&k, &v)?;
            let id = &k[VICTIM.len()..];
            loop {
                match logs.peek() {
                    // A log whose victim is gone (`vlu check` reports it): not exported.
                    Some(Ok((lk, _))) if &lk[CONTACT.len()..] < id => {
                        logs.next();
                    }
                    Some(Ok((lk, _))) if &lk[CONTACT.len()..] == id => {
                        if let Some(Ok((lk, lv))) = logs.next() {
                            victim.contacts = decode(&lk, &lv)?;
                        }
                        break;
                    }
                    Some(Err(_)) => {
                        if let Some(Err(e)) = logs.next() {
                            return Err(e.into());
                        }
                    }
                    _ => break,
                }
            }
            Ok(victim)
        })
    }

    /// The whole caseload, ordered by id, each victim with its contact log.
    pub fn load(&self) -> Result<Caseload, StoreError> {
        Ok(Caseload {
            cases: self.cases().collect::<Result<_, _>>()?,
            victims: self.victims_with_logs().collect::<Result<_, _>>()?,
            ..self.load_head()?
        })
    }

    /// One victim with its contact log.
    pub fn victim(&self, id: &str) -> Result<Option<Victim>, StoreError> {
        let Some(mut victim) = self.victim_record(id)? else {
            return Ok(None);
        };
        victim.contacts = self.log(id)?;
        Ok(Some(victim))
    }

    /// One victim's record as stored, without its log.
    pub(super) fn victim_record(&self, id: &str) -> Result<Option<Victim>, StoreError> {
        self.get(VICTIM, id)
    }

    /// The record stored under `prefix` and `id`, if any.
    pub(super) fn get<T: DeserializeOwned>(
        &self,
        prefix: &[u8],
        id: &str,
    ) -> Result<Option<T>, StoreError> {
        self.usable()?;
        let k = key(prefix, id);
        self.core
            .engine
            .get(&k)?
            .map(|v| decode(&k, &v))
            .transpose()
    }

    /// The digest's edits for a victim saved (with the facts of its log, when they changed
    /// or it moved): one that was under another case (`was`) leaves it.
    pub(super) fn victim_edits<'a>(
        victim: &'a Victim,
        was: Option<&'a str>,
        facts: Option<LogFacts>,
    ) -> Vec<Edit<'a>> {
        let mut edits = Vec::with_capacity(3);
        if let Some(was) = was.filter(|c| *c != victim.case_id) {
            edits.push(Edit::Leave {
                case: was,
                victim: &victim.id,
            });
        }
        edits.push(Edit::Victim(victim));
        if let Some(facts) = facts {
            edits.push(Edit::Facts {
                case: &victim.case_id,
                victim: &victim.id,
                facts: Box::new(facts),
            });
        }
        edits
    }

    pub fn case(&self, id: &str) -> Result<Option<Case>, StoreError> {
        self.get(CASE, id)
    }

    pub(super) fn officer_exists(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.core.engine.contains(&key(OFFICER, id))?)
    }
}
