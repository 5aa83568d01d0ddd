//! `vlu restore`: the store rebuilt from a backup, the store it replaces kept beside it.

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
}

/// How much larger than its backup a restored store may be on disk: records compress to a
/// fifth or less, and sled's file holds them with room to spare.
const GROWTH: u64 = 10;

impl Store {
    /// Rebuilds the store in `dir` from `backup`, with no other vlu using it. The backup is
    /// read into a new store beside the old one and checked whole (count and checksum)
    /// before anything is swapped: a damaged backup changes nothing. The old store is kept
    /// as `db.before-restore-…`, and the restore is recorded in the audit trail.
    pub fn restore(dir: &Path, backup: &Path, user: &str) -> Result<Restored, StoreError> {
        let io = |action, path: &Path, source| StoreError::Io {
            action,
            path: path.to_owned(),
            source,
        };
        let lock = lock::acquire(dir)?;
        let size = std::fs::metadata(backup)
            .map_err(|e| io("read the backup", backup, e))?
            .len();
        space::ensure_room(dir, size.saturating_mul(GROWTH), "restore this backup")?;
        let staging = dir.join("db.restoring");
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(|e| io("remove", &staging, e))?;
        }
        create_private_dir(&staging).map_err(|e| io("create", &staging, e))?;
        let rebuilt = rebuild(&staging, backup);
        let (header, records) = match rebuilt {
            Ok(done) => done,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&staging);
                return Err(e);
            }
        };
        let kept = swap(dir, &staging).map_err(|e| io("put the restored store in", dir, e))?;
        drop(lock);
        // Opened as any store is: an older schema is migrated, and the restore audited.
        let store = Store::open(dir, user)?;
        let detail = vec![format!(
            "backup taken {} by {} ({records} records)",
            header.taken.format("%Y-%m-%d %H:%M UTC"),
            header.by
        )];
        store.commit(Batch::default(), &store.record("restore", None, detail))?;
        Ok(Restored {
            header,
            records,
            kept,
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

/// Moves the old store aside (kept) and the restored one into its place; both renames are
/// made durable.
fn swap(dir: &Path, staging: &Path) -> std::io::Result<Option<PathBuf>> {
    let db = dir.join("db");
    let kept = if db.exists() {
        let aside = dir.join(format!(
            "db.before-restore-{}",
            Utc::now().format("%Y%m%dT%H%M%SZ")
        ));
        std::fs::rename(&db, &aside)?;
        Some(aside)
    } else {
        None
    };
    std::fs::rename(staging, &db)?;
    std::fs::File::open(dir)?.sync_all()?;
    Ok(kept)
}
