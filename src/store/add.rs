//! New records: the store gives their ids. Only one writer runs at a time (the unit service
//! holds the store for one request at once), so the id chosen here is still free when the
//! record is written, and two people adding a victim at the same moment get two ids.

use chrono::Datelike;

use super::{CASE, Changed, Store, StoreError, VICTIM};
use crate::domain::ids;
use crate::domain::model::{Case, Victim};

impl Store {
    /// A new victim, under the id it carries or, if that is empty, the next free `V-NNNN`;
    /// refused if the id is taken. The change names the id it was saved under.
    pub fn add_victim(&self, victim: &Victim) -> Result<Changed, StoreError> {
        let mut victim = victim.clone();
        if victim.id.is_empty() {
            victim.id =
                self.next_id(&[VICTIM, super::dpa::ERASED_VICTIM], ids::VICTIM_PREFIX, 4)?;
        } else if self.core.engine.contains(&super::key(VICTIM, &victim.id))? {
            return Err(StoreError::Refused(format!(
                "there is already a victim {}, so nothing was saved",
                victim.id
            )));
        }
        self.save_victim(&victim)
    }

    /// A new case, under the id it carries or, if that is empty, the next free
    /// `C-YYYY-NNN` of this year; refused if the id is taken.
    pub fn add_case(&self, case: &Case) -> Result<Changed, StoreError> {
        let mut case = case.clone();
        if case.id.is_empty() {
            let year = chrono::Local::now().year();
            case.id = self.next_id(&[CASE, super::dpa::ERASED_CASE], &ids::case_prefix(year), 3)?;
        } else if self.core.engine.contains(&super::key(CASE, &case.id))? {
            return Err(StoreError::Refused(format!(
                "there is already a case {}, so nothing was saved",
                case.id
            )));
        }
        self.save_case(&case)
    }

    /// The next id of the shape `id_prefix` + number among the ids under `prefixes` (the
    /// records, and those erased: an erased person's id is never given to someone else).
    fn next_id(
        &self,
        prefixes: &[&[u8]],
        id_prefix: &str,
        width: usize,
    ) -> Result<String, StoreError> {
        self.usable()?;
        let mut taken = Vec::new();
        for prefix in prefixes {
            for k in self
                .core
                .engine
                .keys(&[*prefix, id_prefix.as_bytes()].concat())
            {
                let k = k?;
                if let Ok(id) = std::str::from_utf8(&k[prefix.len()..]) {
                    taken.push(id.to_owned());
                }
            }
        }
        Ok(ids::next_after(
            id_prefix,
            width,
            taken.iter().map(String::as_str),
        ))
    }
}
