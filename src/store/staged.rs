//! A write too large for one batch (a unit's import), made all-or-nothing all the same.
//!
//! The engine applies a batch atomically, but one batch of a large unit holds its whole store
//! in memory and, past the page cache, makes the embedded engine write and read back its own
//! pages. So a large
//! write goes in small batches of about [`CHUNK_BYTES`], each carrying, for every key it changes
//! for the first time, the key's value before (`u\0{key}`: `0` absent, `1` + bytes). The first
//! batch also sets the marker `m\0import`. The last batch — which the caller fills with what
//! must change at the commit point — removes the marker and every undo record. The engine recovers
//! batches in order, so after a crash the store holds some first batches and their undo
//! records: [`Store::undo_unfinished`] restores what was there, on the next open or at once
//! when the write fails. Into a store with no records yet (a unit's first import, the large
//! case) nothing needs recording: the marker says so, and undoing removes every record.

use std::collections::HashSet;

use super::engine::{Batch, LongWrite};
use super::{AUDIT, AuditRecord, META, Store, StoreError, encode, key};

/// The undo records' prefix.
pub(super) const UNDO: &[u8] = b"u\0";

/// Bytes staged before a batch is applied. Small on purpose: the embedded engine leaves the space a
/// large batch passes through as free segments, and rewrites every free segment with zeros
/// each time the store is opened. Importing 100,000 victims in batches of 32 MiB left 300 MB
/// of them (a 700 MB file for 290 MB of records) and every `vlu diary` wrote those 300 MB;
/// in batches of 1 MiB the file is 430 MB and an open writes 8 MB. See PERFORMANCE.md.
pub(super) const CHUNK_BYTES: usize = 1024 * 1024;

fn marker() -> Vec<u8> {
    key(META, "import")
}

/// The marker's value when the store had no records before the write.
const FRESH: &[u8] = b"fresh";
const UNDO_RECORDS: &[u8] = b"undo";

/// Somewhere to stage inserts and removals: a plain batch, or a staged write.
pub(super) trait Stage {
    fn put(&mut self, k: Vec<u8>, v: Vec<u8>) -> Result<(), StoreError>;
    fn delete(&mut self, k: Vec<u8>) -> Result<(), StoreError>;
}

impl Stage for Batch {
    fn put(&mut self, k: Vec<u8>, v: Vec<u8>) -> Result<(), StoreError> {
        self.insert(k, v);
        Ok(())
    }

    fn delete(&mut self, k: Vec<u8>) -> Result<(), StoreError> {
        self.remove(k);
        Ok(())
    }
}

pub(super) struct Staged<'s> {
    store: &'s Store,
    batch: Batch,
    bytes: usize,
    /// Bytes applied so far.
    applied: u64,
    chunk: usize,
    /// Keys whose value before is recorded.
    touched: HashSet<Vec<u8>>,
    /// The store had no records: nothing to record.
    fresh: bool,
    /// The engine makes the write atomic itself (a database transaction): no marker and no
    /// undo records, each batch applied into it.
    long: Option<Box<dyn LongWrite + 's>>,
}

impl<'s> Staged<'s> {
    pub fn new(store: &'s Store) -> Result<Self, StoreError> {
        Self::with_chunk(store, CHUNK_BYTES)
    }

    pub fn with_chunk(store: &'s Store, chunk: usize) -> Result<Self, StoreError> {
        if let Some(long) = store.core.engine.long_write()? {
            return Ok(Self {
                store,
                batch: Batch::default(),
                bytes: 0,
                applied: 0,
                chunk,
                touched: HashSet::new(),
                fresh: true,
                long: Some(long),
            });
        }
        let schema = key(META, "schema");
        let mut fresh = true;
        for k in store.core.engine.keys(b"") {
            if k? != schema {
                fresh = false;
                break;
            }
        }
        let mut batch = Batch::default();
        batch.insert(marker(), if fresh { FRESH } else { UNDO_RECORDS });
        Ok(Self {
            store,
            batch,
            bytes: 0,
            applied: 0,
            chunk,
            touched: HashSet::new(),
            fresh,
            long: None,
        })
    }

    fn remember(&mut self, k: &[u8]) -> Result<(), StoreError> {
        if self.fresh || self.touched.contains(k) {
            return Ok(());
        }
        let before = match self.store.core.engine.get(k)? {
            None => vec![0],
            Some(v) => [&[1u8][..], &v].concat(),
        };
        self.bytes += k.len() + before.len();
        self.batch.insert([UNDO, k].concat(), before);
        self.touched.insert(k.to_vec());
        Ok(())
    }

    fn maybe_apply(&mut self) -> Result<(), StoreError> {
        if self.bytes >= self.chunk {
            self.apply()?;
        }
        Ok(())
    }

    /// Applies what is staged, keeping room to undo everything applied so far: undoing
    /// writes back the values before, or removes what was new.
    fn apply(&mut self) -> Result<(), StoreError> {
        if let Some(long) = self.long.as_mut() {
            let batch = std::mem::take(&mut self.batch);
            self.bytes = 0;
            return long.add(batch).map_err(|e| self.store.unapplied(e));
        }
        self.applied += self.bytes as u64;
        let room = self.bytes as u64 * super::write::BATCH_FACTOR + self.applied / 2;
        self.store
            .write_doing(std::mem::take(&mut self.batch), room, false, "import")?;
        self.bytes = 0;
        Ok(())
    }

    /// Applies what is staged, then `last` with the marker removed, and `record` in the
    /// audit trail: the commit point. Returns the change's number. The undo records go after
    /// it, a batch at a time: in the last batch, a re-import of 100,000 victims removed some
    /// 400,000 of them at once, and the engine held 1.8 GB doing so. Left by a crash, they are
    /// removed on the next open ([`Store::undo_unfinished`]: without the marker they undo
    /// nothing).
    pub fn commit(mut self, mut last: Batch, record: &AuditRecord) -> Result<u64, StoreError> {
        self.apply()?;
        if let Some(long) = self.long.take() {
            last.append(AUDIT, encode(record));
            return long
                .finish(last)
                .map_err(|e| self.store.unapplied(e))?
                .ok_or_else(|| {
                    StoreError::Corrupt("a change was saved without its number".into())
                });
        }
        last.remove(marker());
        let number = self.store.commit(last, record)?;
        if !self.touched.is_empty()
            && let Err(e) = self.store.forget_undo_records()
        {
            // The write is in; the next open removes them.
            tracing::warn!(error = %e, "an import's undo records were not removed after it");
        }
        Ok(number)
    }
}

impl Stage for Staged<'_> {
    fn put(&mut self, k: Vec<u8>, v: Vec<u8>) -> Result<(), StoreError> {
        self.remember(&k)?;
        self.bytes += k.len() + v.len();
        self.batch.insert(k, v);
        self.maybe_apply()
    }

    fn delete(&mut self, k: Vec<u8>) -> Result<(), StoreError> {
        self.remember(&k)?;
        self.bytes += k.len();
        self.batch.remove(k);
        self.maybe_apply()
    }
}

impl Store {
    /// Undoes an import that did not finish, if one did not (a process that holds the store
    /// open calls it before each request: the undo waits for room, not for a restart).
    pub fn settle(&self) -> Result<(), StoreError> {
        if !self.core.embedded {
            // A database's large writes are one transaction (the engine's `long_write`): one
            // that did not finish was rolled back by the database, and left no marker to
            // look for.
            return Ok(());
        }
        self.undo_unfinished()
    }

    /// Undoes a staged write that did not finish (a crash, a full disk): every key it changed
    /// gets its value before back. Nothing to do when there was none. A large import is
    /// undone in batches of [`CHUNK_BYTES`], each asking for its own room, the marker removed
    /// last: a crash part-way leaves the rest to the next open, and redoing a step is harmless.
    pub(super) fn undo_unfinished(&self) -> Result<(), StoreError> {
        let Some(how) = self.core.engine.get(&marker())? else {
            // A write that finished, its undo records left by a crash just after: they undo
            // nothing now, and must not be taken for the next one's.
            return self.forget_undo_records();
        };
        let mut undo = Undo {
            store: self,
            batch: Batch::default(),
            bytes: 0,
            doing: UNDOING,
        };
        if how == FRESH {
            let keep = [key(META, "schema"), marker()];
            for k in self.core.engine.keys(b"") {
                let k = k?;
                if !keep.iter().any(|kept| *kept == *k) {
                    undo.remove(&k)?;
                }
            }
        }
        for item in self.core.engine.scan(UNDO) {
            let (k, before) = item?;
            let original = &k[UNDO.len()..];
            match before.split_first() {
                Some((1, value)) => undo.put(original, value)?,
                Some((0, [])) => undo.remove(original)?,
                _ => {
                    return Err(StoreError::Corrupt(
                        "an unfinished import left an unreadable undo record".into(),
                    ));
                }
            }
            undo.remove(&k)?;
        }
        undo.batch.remove(marker());
        let room = undo.room();
        self.write_doing(undo.batch, room, true, UNDOING).map(drop)
    }
}

const UNDOING: &str = "undo an import that did not finish";

impl Store {
    /// Removes the undo records of a staged write that finished, a batch at a time.
    fn forget_undo_records(&self) -> Result<(), StoreError> {
        let mut undo = Undo {
            store: self,
            batch: Batch::default(),
            bytes: 0,
            doing: "remove an import's undo records",
        };
        for item in self.core.engine.keys(UNDO) {
            undo.remove(&item?)?;
        }
        if undo.bytes == 0 {
            return Ok(());
        }
        let room = undo.room();
        self.write_doing(undo.batch, room, true, undo.doing)
            .map(drop)
    }
}

/// The undo's batches: each a bounded size, applied as it fills.
struct Undo<'s> {
    store: &'s Store,
    batch: Batch,
    bytes: usize,
    /// What the batches are for, should the disk have no room.
    doing: &'static str,
}

impl Undo<'_> {
    /// What a removal takes in the engine's log beyond its key.
    const TOMBSTONE: usize = 16;

    fn put(&mut self, k: &[u8], v: &[u8]) -> Result<(), StoreError> {
        self.bytes += k.len() + v.len();
        self.batch.insert(k, v);
        self.maybe_apply()
    }

    fn remove(&mut self, k: &[u8]) -> Result<(), StoreError> {
        self.bytes += k.len() + Self::TOMBSTONE;
        self.batch.remove(k);
        self.maybe_apply()
    }

    fn room(&self) -> u64 {
        (self.bytes as u64).saturating_mul(super::write::BATCH_FACTOR) + super::write::SAVE_ROOM
    }

    fn maybe_apply(&mut self) -> Result<(), StoreError> {
        if self.bytes >= CHUNK_BYTES {
            let room = self.room();
            let batch = std::mem::take(&mut self.batch);
            self.store.write_doing(batch, room, false, self.doing)?;
            self.bytes = 0;
        }
        Ok(())
    }
}
