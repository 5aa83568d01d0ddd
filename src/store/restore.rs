//! `vlu restore`: the store rebuilt from a backup, the store it replaces kept beside it.
//!
//! Only a backup this unit's store signed is taken ([`super::seal`]), from a file and a
//! folder that are the store's account's alone — unless an administrator says it may not be
//! (`--unverified`: a backup from before backups were signed, or one whose key was lost
//! with the store), which the audit trail records.
//!
//! The whole restore is made on a store of its own in a private folder beside the old one,
//! before anything is swapped: the backup's records, then every entry the old store's audit
//! trail gained since the backup was taken, then the restore's own entry, then every erasure
//! the old store holds made again. Only that finished store is moved to `db.restoring`; then
//! `restore.ready` is written, the old `db` moved aside and `db.restoring` moved into its
//! place, and the marker removed. A crash at any point leaves either the old store (the
//! marker not yet written: the half-made folders are removed on the next open) or a restore
//! that the next open finishes (the marker written) — and what it finishes already holds the
//! erasures and the whole trail. Nothing in between ever reads as "no store".

use std::path::{Path, PathBuf};

use super::engine::Batch;
use chrono::{DateTime, Utc};

use super::audit::AuditRecord;
use super::backup::{self, Header};
use super::engine::{self, space};
use super::lock::{self, READY, interrupted};
use super::seal::{Key, Signature};
use super::staged::CHUNK_BYTES;
use super::{AUDIT, CACHE_BYTES, Store, StoreError, decode};

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub header: Header,
    pub records: u64,
    /// Where the store as it was before is kept (none if there was none).
    pub kept: Option<PathBuf>,
    /// Ids erased from the store as it was that the backup held: erased again.
    pub erased_again: Vec<String>,
    /// Entries of the old store's audit trail made since the backup, carried over.
    pub carried: usize,
}

/// Whether a backup must carry this unit's signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// Only a backup this unit's store signed (the default).
    Signed,
    /// An administrator takes a backup no signature vouches for (audited).
    Unverified,
}

/// How much larger than its backup a restored store may be on disk: records compress to a
/// fifth or less, and the engine's files hold them with room to spare.
const GROWTH: u64 = 10;

const STAGING: &str = "db.restoring";
/// The private folders restores are made in (a name of its own each).
const MAKING: &str = ".restoring-";

impl Store {
    /// Rebuilds the store in `dir` from `backup`, with no other vlu using it, all under one
    /// hold of the lock. A backup that is not this unit's, or is damaged, changes nothing.
    /// The old store is kept as `db.before-restore-…`.
    pub fn restore(
        dir: &Path,
        backup: &Path,
        user: &str,
        trust: Trust,
    ) -> Result<Restored, StoreError> {
        let io = |action, path: &Path, source| StoreError::Io {
            action,
            path: path.to_owned(),
            source,
        };
        let lock = lock::acquire(dir)?;
        finish_interrupted(dir)?;
        let signature = vouched_for(dir, backup, trust)?;
        let size = std::fs::metadata(backup)
            .map_err(|e| io("read the backup", backup, e))?
            .len();
        space::ensure_room(dir, size.saturating_mul(GROWTH), "restore this backup")?;
        let making = tempfile::Builder::new()
            .prefix(MAKING)
            .tempdir_in(dir)
            .map_err(|e| io("make a folder for the restore in", dir, e))?;
        let (header, records) = rebuild(&making.path().join("db"), backup)?;
        // The old store's erasures and its trail since the backup, read before it goes.
        let old = dir.join("db");
        let erased = super::dpa::tombstones_in(&old);
        let trail = trail_since(&old, header.taken);
        let lock_too = lock
            .try_clone()
            .map_err(|e| io("hold the lock of", dir, e))?;
        let staged = Store::open_locked(making.path(), &super::Place::Embedded, user, lock_too)?;
        let carried = staged.carry(trail.as_deref().unwrap_or_default())?;
        let mut detail = vec![format!(
            "backup taken {} by {} ({records} records)",
            header.taken.format("%Y-%m-%d %H:%M UTC"),
            header.by
        )];
        if signature != Signature::Ours {
            detail.push("unverified: no signature of this unit's vouched for it".into());
        }
        detail.push(match trail {
            Ok(_) => format!("{carried} audit entries made since it carried over"),
            Err(()) => "the audit trail of the store it replaced could not be read".into(),
        });
        staged.commit(Batch::default(), &staged.record("restore", None, detail))?;
        let erased_again = staged.erase_again(&erased)?;
        drop(staged);
        std::fs::rename(making.path().join("db"), dir.join(STAGING))
            .map_err(|e| io("put the restored store in", dir, e))?;
        let kept = swap(dir).map_err(|e| io("put the restored store in", dir, e))?;
        drop(making);
        // Opened as any store is, under the same lock: an older schema is migrated before
        // any other vlu can open it.
        drop(Store::open_locked(
            dir,
            &super::Place::Embedded,
            user,
            lock,
        )?);
        Ok(Restored {
            header,
            records,
            kept,
            erased_again,
            carried,
        })
    }

    /// Entries of another store's audit trail, added after this one's under new numbers.
    fn carry(&self, trail: &[AuditRecord]) -> Result<usize, StoreError> {
        let mut batch = Batch::default();
        for record in trail {
            batch.append(AUDIT, super::encode(record));
        }
        self.write(batch, super::write::SAVE_ROOM, true)?;
        Ok(trail.len())
    }
}

/// Whether the backup at `path` may be restored into the store in `dir`: a file and a folder
/// of the store's account's that no one else may write, signed by this unit — or, with
/// [`Trust::Unverified`], whatever its signature says. Each refusal is one sentence.
fn vouched_for(dir: &Path, path: &Path, trust: Trust) -> Result<Signature, StoreError> {
    use std::os::unix::fs::MetadataExt;
    let owner = std::fs::metadata(dir)
        .map_err(|source| StoreError::Io {
            action: "read",
            path: dir.to_owned(),
            source,
        })?
        .uid();
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    for (what, at) in [("backup", path), ("folder of the backup", folder)] {
        let meta = std::fs::symlink_metadata(at).map_err(|source| StoreError::Io {
            action: "read",
            path: at.to_owned(),
            source,
        })?;
        let theirs = meta.uid() != owner && meta.uid() != 0;
        if theirs || meta.mode() & 0o022 != 0 || meta.file_type().is_symlink() {
            return Err(StoreError::Refused(format!(
                "the {what} {} is not the store's own (it belongs to another account, is a \
                 link, or others may write to it), so it was not restored",
                at.display()
            )));
        }
    }
    let key = Key::of_store(dir)?;
    let signature = key.check(path)?;
    if signature == Signature::Ours || trust == Trust::Unverified {
        return Ok(signature);
    }
    let header = backup::list_one(path);
    let another = header
        .as_ref()
        .and_then(|h| h.unit.as_deref())
        .filter(|unit| *unit != key.unit());
    Err(StoreError::Corrupt(match (signature, another) {
        (Signature::Unsigned, _) => format!(
            "the backup {} is not signed, so nothing vouches that it is this unit's and \
             unchanged: it was not restored (an administrator who knows where it came from \
             may restore it with --unverified)",
            path.display()
        ),
        (_, Some(unit)) => format!(
            "the backup {} was taken by another unit ({unit}), not this one: it was not \
             restored",
            path.display()
        ),
        _ => format!(
            "the backup {} was not made by this unit's store, or was changed since: it was \
             not restored",
            path.display()
        ),
    }))
}

/// The audit entries of the store in `db` made after `since`, oldest first; `Err` where
/// that store cannot be read (a damaged store is what a restore is often for).
fn trail_since(db: &Path, since: DateTime<Utc>) -> Result<Vec<AuditRecord>, ()> {
    if !engine::has_files(db) {
        return Ok(Vec::new());
    }
    let engine = engine::open_files(db, 1024 * 1024).map_err(drop)?;
    let mut trail = Vec::new();
    for item in engine.scan(AUDIT) {
        let (k, v) = item.map_err(drop)?;
        let record: AuditRecord = decode(&k, &v).map_err(drop)?;
        if record.at > since {
            trail.push(record);
        }
    }
    Ok(trail)
}

/// Reads every record of the backup into a new store's engine at `staging`, durably.
pub(super) fn rebuild(staging: &Path, backup: &Path) -> Result<(Header, u64), StoreError> {
    let engine = engine::open_files(staging, CACHE_BYTES)?;
    let apply = |batch, durable| engine.apply(batch, durable).map(drop).map_err(unapplied);
    let mut batch = Batch::default();
    let mut bytes = 0;
    let (header, verified) = backup::read(backup, |k, v| {
        bytes += k.len() + v.len();
        batch.insert(k, v);
        if bytes >= CHUNK_BYTES {
            apply(std::mem::take(&mut batch), false)?;
            bytes = 0;
        }
        Ok(())
    })?;
    apply(batch, true)?;
    Ok((header, verified.records))
}

/// A batch of a new store's not applied: it expects nothing, so only a failure.
fn unapplied(e: engine::Unapplied) -> StoreError {
    match e {
        engine::Unapplied::Failed(e) => e.into(),
        engine::Unapplied::Conflict(_) => {
            StoreError::Corrupt("a store being made changed under the restore".into())
        }
    }
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
    // Restores stopped while they were being made: never swapped, only taking space.
    for entry in std::fs::read_dir(dir).map_err(io)?.flatten() {
        if entry.file_name().to_string_lossy().starts_with(MAKING) {
            std::fs::remove_dir_all(entry.path()).map_err(io)?;
        }
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
            let aside = aside_name(dir);
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

/// A name for the store a restore replaces, of its own even for two restores in one second.
fn aside_name(dir: &Path) -> PathBuf {
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
    let first = dir.join(format!("db.before-restore-{stamp}"));
    if !first.exists() {
        return first;
    }
    let mut n = 2u64;
    loop {
        let next = dir.join(format!("db.before-restore-{stamp}-{n}"));
        if !next.exists() {
            return next;
        }
        n += 1;
    }
}
