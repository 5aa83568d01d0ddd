//! `vlu erase --purge-backups`: an erasure that must reach the unit's backups too. Each
//! backup that holds an erased victim or case is rebuilt on a store of its own, the erasure
//! made again there, and written back in its place under its own header and this unit's
//! signature; a backup no signature of this unit's vouches for cannot be rewritten as the
//! unit's, so it is removed instead. Backups that hold none of them are left as they are.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::backup::{self, BackupInfo};
use super::seal::{Key, Signature};
use super::{CASE, Store, StoreError, Tombstones, VICTIM, key, lock};

/// What a purge did to the backups.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purged {
    /// Rewritten without the erased records.
    pub rewritten: usize,
    /// Removed: they held the erased records and were not this unit's signed backups.
    pub removed: usize,
    /// Holding none of them: left as they were.
    pub untouched: usize,
}

impl Store {
    /// Takes the ids `erased` out of every backup in `dir`, audited.
    pub fn purge_backups(&self, dir: &Path, erased: &Tombstones) -> Result<Purged, StoreError> {
        self.embedded_only("purged of erased records")?;
        let key = Key::of_store(&self.core.dir)?;
        let mut purged = Purged::default();
        for b in backup::list(dir)? {
            if !holds_any(&b.path, erased)? {
                purged.untouched += 1;
            } else if key.check(&b.path)? == Signature::Ours {
                self.rewrite_without(&b, erased, &key)?;
                purged.rewritten += 1;
            } else {
                std::fs::remove_file(&b.path).map_err(|source| StoreError::Io {
                    action: "remove the backup",
                    path: b.path.clone(),
                    source,
                })?;
                purged.removed += 1;
            }
        }
        let mut ids: Vec<&String> = erased.cases.iter().chain(&erased.victims).collect();
        ids.sort();
        let fields = vec![
            format!(
                "erased from backups: {}",
                ids.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!(
                "{} rewritten, {} removed, {} holding none left",
                purged.rewritten, purged.removed, purged.untouched
            ),
        ];
        let record = self.record("purge-backups", None, fields);
        self.commit(super::engine::Batch::default(), &record)?;
        Ok(purged)
    }

    /// The backup `b` rebuilt on a store of its own, `erased` erased again there, and written
    /// back in its place (atomically) under its own header, signed.
    fn rewrite_without(
        &self,
        b: &BackupInfo,
        erased: &Tombstones,
        key: &Key,
    ) -> Result<(), StoreError> {
        let io = |source| StoreError::Io {
            action: "rewrite the backup",
            path: b.path.clone(),
            source,
        };
        let making = tempfile::Builder::new()
            .prefix(".purging-")
            .tempdir_in(&self.core.dir)
            .map_err(io)?;
        let held = lock::acquire(making.path())?;
        super::restore::rebuild(&making.path().join("db"), &b.path)?;
        let copy = Store::open_locked(making.path(), &super::Place::Embedded, &self.user(), held)?;
        copy.erase_again(erased)?;
        copy.write_backup(&b.path, &b.header, key)?;
        Ok(())
    }
}

/// Whether the backup at `path` holds a record of any id in `erased`.
fn holds_any(path: &Path, erased: &Tombstones) -> Result<bool, StoreError> {
    let wanted: std::collections::HashSet<Vec<u8>> = erased
        .cases
        .iter()
        .map(|id| key(CASE, id))
        .chain(erased.victims.iter().map(|id| key(VICTIM, id)))
        .collect();
    let mut found = false;
    backup::read(path, |k, _| {
        found |= wanted.contains(&k);
        Ok(())
    })?;
    Ok(found)
}
