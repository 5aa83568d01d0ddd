//! The store's records in sled: keys made of a prefix and an id, records as JSON (read back
//! without ever quoting a value in an error), scans of a prefix, and opening sled itself.

use std::path::Path;

use serde::{Serialize, de::DeserializeOwned};
use sled::Tree;

use super::{CACHE_BYTES, StoreError};

pub(super) fn key(prefix: &[u8], id: &str) -> Vec<u8> {
    [prefix, id.as_bytes()].concat()
}

/// A scoped thread's result (a panic in it goes on in the caller, as if it had run there).
pub(super) fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// Opens sled under our lock. Holding the lock file means no other vlu has the store, so
/// if sled still finds its own file locked, it is a thread of a store this process has just
/// dropped, finishing its flush: wait for it, briefly.
pub(super) fn open_sled(dir: &Path) -> Result<sled::Db, StoreError> {
    let mut tries = 0;
    loop {
        match sled::Config::new()
            .path(dir.join("db"))
            .cache_capacity(CACHE_BYTES)
            .open()
        {
            Ok(db) => return Ok(db),
            Err(sled::Error::Io(io))
                if io.kind() == std::io::ErrorKind::Other && io.to_string().contains("lock") =>
            {
                tries += 1;
                if tries > 40 {
                    return Err(StoreError::InUse(dir.to_owned()));
                }
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            Err(e) => return Err(StoreError::Sled(e)),
        }
    }
}

/// The victim id in a key of the form `{prefix}{victim}`.
pub(super) fn owner<'k>(prefix: &[u8], k: &'k [u8]) -> Option<&'k str> {
    std::str::from_utf8(k.strip_prefix(prefix)?).ok()
}

pub(super) fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("records always serialise")
}

pub(super) fn decode<T: DeserializeOwned>(key: &[u8], bytes: &[u8]) -> Result<T, StoreError> {
    // Never serde_json's own message: it quotes the value, which may be an address.
    serde_json::from_slice(bytes).map_err(|e| {
        StoreError::Corrupt(format!(
            "the record {} cannot be read ({})",
            String::from_utf8_lossy(key).replace('\0', "/"),
            crate::domain::text::json_problem(&e)
        ))
    })
}

/// Every record under a prefix, in key order, read one at a time.
pub(super) fn records<T: DeserializeOwned>(
    tree: &Tree,
    prefix: &[u8],
) -> impl Iterator<Item = Result<T, StoreError>> {
    tree.scan_prefix(prefix).map(|item| {
        let (k, v) = item?;
        decode(&k, &v)
    })
}

/// Every record under a prefix, in key order.
pub(super) fn values<T: DeserializeOwned>(
    tree: &Tree,
    prefix: &[u8],
) -> Result<Vec<T>, StoreError> {
    records(tree, prefix).collect()
}
