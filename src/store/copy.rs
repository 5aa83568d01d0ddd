//! Moving a unit between engines (`vlu db copy`): every record of one store written into
//! another that holds none yet, in one atomic batch — all or nothing.

use super::engine::Batch;
use super::{AUDIT, CASE, META, OFFICER, Store, StoreError, VICTIM, key};

/// What a copy wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Copied {
    pub officers: usize,
    pub cases: usize,
    pub victims: usize,
    /// Audit entries.
    pub audit: usize,
}

impl Store {
    /// Copies every record of `self` into `to`, which must hold no records yet (a store
    /// just made: its schema version only). One batch: a copy that fails leaves `to` as it
    /// was. The audit trail is copied entry for entry, with its numbers, and `to` goes on
    /// numbering after them.
    pub fn copy_into(&self, to: &Store) -> Result<Copied, StoreError> {
        self.usable()?;
        let schema = key(META, "schema");
        for prefix in [OFFICER, CASE, VICTIM, AUDIT] {
            if to.core.engine.scan(prefix).next().is_some() {
                return Err(StoreError::Refused(format!(
                    "the store in {} already holds records: a copy goes only into an empty one",
                    to.kept_in()
                )));
            }
        }
        let mut batch = Batch::default();
        let mut copied = Copied::default();
        for item in self.core.engine.scan(b"") {
            let (k, v) = item?;
            // An unfinished import's marker or undo records are never copied (a sound store
            // holds none: `vlu check` first).
            if k == key(META, "import") || k.starts_with(super::staged::UNDO) {
                return Err(StoreError::Refused(
                    "the store holds an unfinished import: open it with vlu check first".into(),
                ));
            }
            for (prefix, count) in [
                (OFFICER, &mut copied.officers),
                (CASE, &mut copied.cases),
                (VICTIM, &mut copied.victims),
                (AUDIT, &mut copied.audit),
            ] {
                if k.starts_with(prefix) {
                    *count += 1;
                }
            }
            if k != schema {
                batch.insert(k, v);
            }
        }
        to.write_doing(
            batch,
            self.core.engine.size_on_disk()?,
            true,
            "copy the unit",
        )?;
        // Then the copy's own entry, after the trail it brought (a second write: the engine
        // numbers an appended entry from the entries already written).
        let record = to.record(
            "copy-in",
            None,
            vec![format!(
                "copied in from {}: {} officers, {} cases, {} victims, {} audit entries",
                self.kept_in(),
                copied.officers,
                copied.cases,
                copied.victims,
                copied.audit
            )],
        );
        to.commit(Batch::default(), &record)?;
        Ok(copied)
    }
}
