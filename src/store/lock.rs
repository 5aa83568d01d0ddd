//! One process at a time: the data directory (mode 0700) holds a lock file that the open
//! store keeps locked. The OS drops the lock when the process ends, even on kill -9.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use super::StoreError;

pub(super) fn acquire(dir: &Path) -> Result<File, StoreError> {
    let io = |action, source| StoreError::Io {
        action,
        path: dir.to_owned(),
        source,
    };
    create_private_dir(dir).map_err(|e| io("create the data directory", e))?;
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("lock"))
        .map_err(|e| io("open the lock file in", e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(StoreError::InUse(dir.to_owned())),
        Err(TryLockError::Error(e)) => Err(io("lock the store in", e)),
    }
}

/// Creates the directory if need be and makes it readable by its owner only.
#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}
