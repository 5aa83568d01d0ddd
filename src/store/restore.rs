//! `vlu restore`: the store rebuilt from a backup, the store it replaces kept beside it.
//!
//! The backup is read into `db.restoring` and flushed; then `restore.ready` is written, the
//! old `db` moved aside and `db.restoring` moved into its place, and the marker removed. A
//! crash at any point leaves either the old store (the marker not yet written: the half-made
//! `db.restoring` is removed on the next open) or a restore that the next open finishes (the
//! marker written). Nothing in between ever reads as "no store".

use std::path::{Path, PathBuf};

use chrono::Utc;
use sled::Batch;

use super::backup::{self, Header};
use super::lock::{self, create_private_dir};
use super::staged::CHUNK_BYTES;
use super::{CACHE_BYTES, Store, StoreError, space};

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub header: Header,
    pub records: u64,
    /// Where the store as it was before is kept (none if there was none).
    pub kept: Option<PathBuf>,
    /// Ids erased from the store as it was that the backup held: erased again.
    pub erased_again: Vec<String>,
}

/// How much larger than its backup a restored store may be on disk: records compress to a
/// fifth or less, and sled's file holds them with room to spare.
const GROWTH: u64 = 10;

const STAGING: &str = "db.restoring";
const READY: &str = "restore.ready";

impl Store {
    /// Rebuilds the store in `dir` from `backup`, with no other vlu using it. The backup is
    /// read into a new store beside the old one and checked whole (count and checksum)
    /// before anything is swapped: a damaged backup changes nothing. The old store is kept
    /// as `db.before-restore-…`, and the restore is recorded in the audit trail, all under
    /// one hold of the lock.
    pub fn restore(dir: &Path, backup: &Path, user: &str) -> Result<Restored, StoreError> {
        let io = |action, path: &Path, source| StoreError::Io {
            action,
            path: path.to_owned(),
            source,
        };
        let lock = lock::acquire(dir)?;
        finish_interrupted(dir)?;
        let size = std::fs::metadata(backup)
            .map_err(|e| io("read the backup", backup, e))?
            .len();
        space::ensure_room(dir, size.saturating_mul(GROWTH), "restore this backup")?;
        let staging = dir.join(STAGING);
        create_private_dir(&staging).map_err(|e| io("create", &staging, e))?;
        let (header, records) = match rebuild(&staging, backup) {
            Ok(done) => done,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&staging);
                return Err(e);
            }
        };
        // What was erased from the store being replaced stays erased in the one restored.
        let erased = super::dpa::tombstones_in(&dir.join("db"));
        let kept = swap(dir).map_err(|e| io("put the restored store in", dir, e))?;
        // Opened as any store is, under the same lock: an older schema is migrated, and the
        // restore audited, before any other vlu can open it.
        let store = Store::open_locked(dir, user, lock)?;
        let detail = vec![format!(
            "backup taken {} by {} ({records} records)",
            header.taken.format("%Y-%m-%d %H:%M UTC"),
            header.by
        )];
        store.commit(Batch::default(), &store.record("restore", None, detail))?;
        let erased_again = store.erase_again(&erased)?;
        Ok(Restored {
            header,
            records,
            kept,
            erased_again,
        })
    }
}

/// Reads every record of the backup into a new sled store at `staging`, durably.
fn rebuild(staging: &Path, backup: &Path) -> Result<(Header, u64), StoreError> {
    let db = sled::Config::new()
        .path(staging)
        .cache_capacity(CACHE_BYTES)
        .open()?;
    let mut batch = Batch::default();
    let mut bytes = 0;
    let (header, verified) = backup::read(backup, |k, v| {
        bytes += k.len() + v.len();
        batch.insert(k, v);
        if bytes >= CHUNK_BYTES {
            db.apply_batch(std::mem::take(&mut batch))?;
            bytes = 0;
        }
        Ok(())
    })?;
    db.apply_batch(batch)?;
    db.flush()?;
    Ok((header, verified.records))
}

/// Whether a restore was stopped after its store was made whole: the next open finishes it.
pub(super) fn interrupted(dir: &Path) -> bool {
    dir.join(READY).exists()
}

/// Finishes a restore stopped after its marker was written, or clears away one stopped
/// before it (a half-made store that only takes space).
pub(super) fn finish_interrupted(dir: &Path) -> Result<(), StoreError> {
    let io = |source| StoreError::Io {
        action: "finish the restore begun in",
        path: dir.to_owned(),
        source,
    };
    if interrupted(dir) {
        swap(dir).map_err(io)?;
    } else if dir.join(STAGING).exists() {
        std::fs::remove_dir_all(dir.join(STAGING)).map_err(io)?;
    }
    Ok(())
}

/// With the marker written: the old store aside (kept, unless it holds nothing), the restored
/// one in its place, the marker gone; each step durable, and each skipped if already done.
fn swap(dir: &Path) -> std::io::Result<Option<PathBuf>> {
    let sync = || std::fs::File::open(dir)?.sync_all();
    let ready = dir.join(READY);
    let staging = dir.join(STAGING);
    let db = dir.join("db");
    if !ready.exists() {
        std::fs::File::create(&ready)?.sync_all()?;
        sync()?;
    }
    let mut kept = None;
    if staging.exists() {
        if db.join("db").exists() {
            let aside = dir.join(format!(
                "db.before-restore-{}",
                Utc::now().format("%Y%m%dT%H%M%SZ")
            ));
            std::fs::rename(&db, &aside)?;
            kept = Some(aside);
        } else if db.exists() {
            // A folder made for a store that was never written: nothing to keep.
            std::fs::remove_dir_all(&db)?;
        }
        std::fs::rename(&staging, &db)?;
        sync()?;
    }
    std::fs::remove_file(&ready)?;
    sync()?;
    Ok(kept)
}
