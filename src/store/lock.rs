//! The data directory: found or made, private, and locked.
//!
//! One process at a time: the data directory holds a lock file that the open store keeps
//! locked. The OS drops the lock when the process ends, even on kill -9.
//!
//! vlu sets modes only on what it creates. A directory that already exists keeps its mode —
//! an administrator's shared or read-only directory is theirs — but one that any user may
//! write to is refused: anyone could replace the store. The store's own folder (`db/`) is made
//! 0700 before the engine creates anything in it, so its files, whatever their mode, are reached
//! only by the directory's owner.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::ErrorKind;
use std::path::Path;

use super::StoreError;

/// The marker a restore writes once its store is whole, before it swaps it in.
pub(super) const READY: &str = "restore.ready";

/// Whether a restore was stopped after its store was made whole: the next open finishes it.
pub(super) fn interrupted(dir: &Path) -> bool {
    dir.join(READY).exists()
}

/// Whether `dir` holds a store, without creating anything. Only a directory that does not
/// exist means "no store yet": one that cannot be read, or is not a directory, is an error.
pub(super) fn probe(dir: &Path) -> Result<bool, StoreError> {
    let io = |action, source| StoreError::Io {
        action,
        path: dir.to_owned(),
        source,
    };
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(io("read the data directory", e)),
        Ok(meta) if !meta.is_dir() => return Err(StoreError::NotADirectory(dir.to_owned())),
        Ok(_) => {}
    }
    // A directory that cannot be listed is not an empty one.
    std::fs::read_dir(dir).map_err(|e| io("read the data directory", e))?;
    // A restore stopped between its two renames: the store is there, and opening finishes it.
    if interrupted(dir) {
        return Ok(true);
    }
    match std::fs::metadata(dir.join("db")) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io("read the store in", e)),
    }
}

pub(super) fn acquire(dir: &Path) -> Result<File, StoreError> {
    let io = |action, source| StoreError::Io {
        action,
        path: dir.to_owned(),
        source,
    };
    prepare(dir)?;
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options
        .open(dir.join("lock"))
        .map_err(|e| io("open the lock file in", e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(StoreError::InUse(dir.to_owned())),
        Err(TryLockError::Error(e)) => Err(io("lock the store in", e)),
    }
}

/// Makes the data directory if need be (0700), and refuses one others may write to.
fn prepare(dir: &Path) -> Result<(), StoreError> {
    let io = |action, source| StoreError::Io {
        action,
        path: dir.to_owned(),
        source,
    };
    match std::fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => return Err(StoreError::NotADirectory(dir.to_owned())),
        Ok(meta) => refuse_exposed(dir, &meta)?,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            create_private_dir(dir).map_err(|e| io("create the data directory", e))?;
        }
        Err(e) => return Err(io("read the data directory", e)),
    }
    Ok(())
}

/// Makes the store's own folder (`db/`) if need be, 0700, before the engine makes anything in it;
/// one made by an older vlu is made private.
pub(super) fn private_store_dir(dir: &Path) -> Result<(), StoreError> {
    let io = |action, source| StoreError::Io {
        action,
        path: dir.to_owned(),
        source,
    };
    let db = dir.join("db");
    match std::fs::metadata(&db) {
        Err(e) if e.kind() == ErrorKind::NotFound => {
            create_private_dir(&db).map_err(|e| io("create the store in", e))
        }
        Err(e) => Err(io("read the store in", e)),
        Ok(_) => make_private(&db).map_err(|e| io("make private the store in", e)),
    }
}

/// Refuses a directory any user may write to (a backup folder, say): anyone could replace
/// what vlu reads back from it.
pub(super) fn refuse_exposed_dir(dir: &Path) -> Result<(), StoreError> {
    let meta = std::fs::metadata(dir).map_err(|source| StoreError::Io {
        action: "read",
        path: dir.to_owned(),
        source,
    })?;
    refuse_exposed(dir, &meta)
}

#[cfg(unix)]
fn refuse_exposed(dir: &Path, meta: &std::fs::Metadata) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode();
    if mode & 0o002 != 0 {
        return Err(StoreError::Exposed {
            dir: dir.to_owned(),
            mode: mode & 0o7777,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_exposed(_dir: &Path, _meta: &std::fs::Metadata) -> Result<(), StoreError> {
    Ok(())
}

/// Creates the directory (and any missing parent) readable by its owner only.
#[cfg(unix)]
pub(super) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
pub(super) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// The store's folder 0700 and its files 0600: a store made by an older vlu had the engine's
/// defaults (0755, 0644). The folder is vlu's own, so setting its modes takes nothing from
/// anyone.
#[cfg(unix)]
fn make_private(db: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let private = |path: &Path, mode: u32| -> std::io::Result<()> {
        let meta = std::fs::symlink_metadata(path)?;
        if meta.permissions().mode() & 0o777 != mode && !meta.file_type().is_symlink() {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
        }
        Ok(())
    };
    private(db, 0o700)?;
    for entry in std::fs::read_dir(db)? {
        let entry = entry?;
        let mode = if entry.file_type()?.is_dir() {
            0o700
        } else {
            0o600
        };
        private(&entry.path(), mode)?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn make_private(_db: &Path) -> std::io::Result<()> {
    Ok(())
}
