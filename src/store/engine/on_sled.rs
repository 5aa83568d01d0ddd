//! The engine on sled, embedded in the one process that holds the store's lock.
//!
//! One sled tree holds every key. A batch without expectations is one sled batch; one with
//! expectations is a sled transaction that reads each expected key before it writes. A
//! durable batch is flushed, then its log file synced: on Linux sled's flush ends in
//! `sync_file_range`, which neither commits the file's size nor asks the disk to empty its
//! cache; `fdatasync` does both. Log numbers are kept here, one past the last stored entry
//! of each log (sled's own id generator lives outside the records, so a store restored from
//! a backup would start it again and write over the log).

use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::sync::Mutex;

use sled::transaction::{ConflictableTransactionError, TransactionError};

use super::{Batch, Engine, EngineFailure, Op, Scan, Unapplied, log_key, log_number};
use crate::store::StoreError;

pub(super) struct Sled {
    db: sled::Db,
    /// sled's log file, synced after each durable batch.
    log: Option<File>,
    /// The next number of each log appended to so far; held while a batch is applied, so
    /// that logs are written in the order of their numbers.
    next: Mutex<HashMap<&'static [u8], u64>>,
}

/// Whether `files` holds sled's files.
pub(super) fn has_files(files: &Path) -> bool {
    files.join("db").exists()
}

impl Sled {
    /// Opens the store's sled files in `dir/db` under the store's lock. Holding the lock
    /// file means no other vlu has the store, so if sled still finds its own file locked, it
    /// is a thread of a store this process has just dropped, finishing its flush: wait for
    /// it, briefly.
    pub(super) fn open(dir: &Path, cache: u64) -> Result<Self, StoreError> {
        let mut tries = 0;
        let db = loop {
            match config(&dir.join("db"), cache).open() {
                Ok(db) => break db,
                Err(sled::Error::Io(io))
                    if io.kind() == std::io::ErrorKind::Other
                        && io.to_string().contains("lock") =>
                {
                    tries += 1;
                    if tries > 40 {
                        return Err(StoreError::InUse(dir.to_owned()));
                    }
                    std::thread::sleep(std::time::Duration::from_millis(25));
                }
                Err(e) => return Err(failure(&e).into()),
            }
        };
        let log = File::open(dir.join("db").join("db")).map_err(|source| StoreError::Io {
            action: "open the store's log in",
            path: dir.to_owned(),
            source,
        })?;
        Ok(Self {
            db,
            log: Some(log),
            next: Mutex::default(),
        })
    }

    /// Opens (or makes) sled's files in `files`, with no lock of the store's.
    pub(super) fn open_files(files: &Path, cache: u64) -> Result<Self, StoreError> {
        let db = config(files, cache).open().map_err(|e| failure(&e))?;
        Ok(Self {
            db,
            log: None,
            next: Mutex::default(),
        })
    }

    /// The next number of the log under `log`, the first time it is appended to.
    fn first_number(&self, log: &[u8]) -> Result<u64, EngineFailure> {
        let last = self.db.scan_prefix(log).keys().next_back().transpose();
        match last.map_err(|e| failure(&e))? {
            None => Ok(1),
            Some(k) => log_number(log, &k).map(|n| n + 1).ok_or_else(|| {
                EngineFailure::new("a log entry's key cannot be read; run vlu check")
            }),
        }
    }

    /// The batch's appended values under their numbers, after `next`; returns the writes,
    /// the last number taken, and each log's next number once they are written.
    fn numbered(
        &self,
        batch: Batch,
        next: &HashMap<&'static [u8], u64>,
    ) -> Result<Numbered, EngineFailure> {
        let mut after: HashMap<&'static [u8], u64> = HashMap::new();
        let mut last = None;
        let mut ops = batch.ops;
        for (log, value) in batch.appended {
            let n = match after.get(log).or_else(|| next.get(log)) {
                Some(&n) => n,
                None => self.first_number(log)?,
            };
            ops.push(Op::Put(log_key(log, n), value));
            after.insert(log, n + 1);
            last = Some(n);
        }
        Ok(Numbered { ops, last, after })
    }

    fn durable(&self) -> Result<(), EngineFailure> {
        self.db.flush().map_err(|e| failure(&e))?;
        if let Some(log) = &self.log {
            log.sync_data().map_err(|e| failure(&sled::Error::Io(e)))?;
        }
        Ok(())
    }
}

impl Engine for Sled {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, EngineFailure> {
        Ok(self
            .db
            .get(key)
            .map_err(|e| failure(&e))?
            .map(|v| v.to_vec()))
    }

    fn scan(&self, prefix: &[u8]) -> Scan<'_> {
        Box::new(self.db.scan_prefix(prefix).map(|item| {
            item.map(|(k, v)| (k.to_vec(), v.to_vec()))
                .map_err(|e| failure(&e))
        }))
    }

    fn contains(&self, key: &[u8]) -> Result<bool, EngineFailure> {
        self.db.contains_key(key).map_err(|e| failure(&e))
    }

    fn apply(&self, mut batch: Batch, durable: bool) -> Result<Option<u64>, Unapplied> {
        let expected = std::mem::take(&mut batch.expected);
        let mut next = self
            .next
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let numbered = self.numbered(batch, &next)?;
        if expected.is_empty() {
            let mut writes = sled::Batch::default();
            for op in &numbered.ops {
                match op {
                    Op::Put(k, v) => writes.insert(k.as_slice(), v.as_slice()),
                    Op::Remove(k) => writes.remove(k.as_slice()),
                }
            }
            self.db.apply_batch(writes).map_err(|e| failure(&e))?;
        } else {
            transact(&self.db, &expected, &numbered.ops)?;
        }
        // Numbers are taken only by a batch written: a refused one leaves no gap.
        next.extend(numbered.after);
        drop(next);
        if durable {
            self.durable()?;
        }
        Ok(numbered.last)
    }

    fn size_on_disk(&self) -> Result<u64, EngineFailure> {
        self.db.size_on_disk().map_err(|e| failure(&e))
    }
}

/// A batch's writes with its appended values numbered.
struct Numbered {
    ops: Vec<Op>,
    last: Option<u64>,
    after: HashMap<&'static [u8], u64>,
}

/// Applies `ops` in one sled transaction, if every expected key holds what is expected.
fn transact(
    db: &sled::Db,
    expected: &[(Vec<u8>, Option<Vec<u8>>)],
    ops: &[Op],
) -> Result<(), Unapplied> {
    let done = db.transaction(|tx| {
        for (k, want) in expected {
            let now = tx.get(k.as_slice())?;
            if now.as_deref() != want.as_deref() {
                return Err(ConflictableTransactionError::Abort(k.clone()));
            }
        }
        for op in ops {
            match op {
                Op::Put(k, v) => {
                    tx.insert(k.as_slice(), v.as_slice())?;
                }
                Op::Remove(k) => {
                    tx.remove(k.as_slice())?;
                }
            }
        }
        Ok(())
    });
    match done {
        Ok(()) => Ok(()),
        Err(TransactionError::Abort(k)) => Err(Unapplied::Conflict(k)),
        Err(TransactionError::Storage(e)) => Err(Unapplied::Failed(failure(&e))),
    }
}

fn config(files: &Path, cache: u64) -> sled::Config {
    sled::Config::new().path(files).cache_capacity(cache)
}

/// sled's error as a person reads it: what failed and what to do, without sled's internals
/// (a backtrace, a Rust debug dump).
fn failure(e: &sled::Error) -> EngineFailure {
    EngineFailure::new(match e {
        sled::Error::Io(io) if io.kind() == std::io::ErrorKind::StorageFull => {
            "its disk is full; free some space and try again".to_owned()
        }
        sled::Error::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
            "permission denied; run vlu as the user who owns the store".to_owned()
        }
        sled::Error::Io(io) => format!(
            "{} (check the disk, then run vlu check)",
            io.kind().to_string().to_lowercase()
        ),
        sled::Error::Corruption { .. } => "its files are damaged; `vlu restore` brings back the \
             latest backup (`vlu restore --list` shows them)"
            .to_owned(),
        sled::Error::CollectionNotFound(_)
        | sled::Error::Unsupported(_)
        | sled::Error::ReportableBug(_) => {
            "sled, the storage engine, refused the operation; run vlu check".to_owned()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sled_errors_read_as_sentences_without_internals() {
        let full = sled::Error::Io(std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert_eq!(
            failure(&full).to_string(),
            "its disk is full; free some space and try again"
        );
        let damaged = sled::Error::Corruption { at: None, bt: () };
        let said = failure(&damaged).to_string();
        assert!(said.contains("vlu restore"), "{said}");
        assert!(!said.contains("backtrace"), "{said}");
    }
}
