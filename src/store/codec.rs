//! The store's records in the engine: keys made of a prefix and an id, records as JSON (read
//! back without ever quoting a value in an error), scans of a prefix.

use serde::{Serialize, de::DeserializeOwned};

use super::StoreError;
use super::engine::Engine;

pub(super) fn key(prefix: &[u8], id: &str) -> Vec<u8> {
    [prefix, id.as_bytes()].concat()
}

/// A scoped thread's result (a panic in it goes on in the caller, as if it had run there).
pub(super) fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
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
    engine: &dyn Engine,
    prefix: &[u8],
) -> impl Iterator<Item = Result<T, StoreError>> {
    engine.scan(prefix).map(|item| {
        let (k, v) = item?;
        decode(&k, &v)
    })
}

/// Every record under a prefix, in key order.
pub(super) fn values<T: DeserializeOwned>(
    engine: &dyn Engine,
    prefix: &[u8],
) -> Result<Vec<T>, StoreError> {
    records(engine, prefix).collect()
}
