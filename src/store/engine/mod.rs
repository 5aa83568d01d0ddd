//! The storage engine: the few primitives the store's rules are written on, and nothing
//! more. Every rule of the unit — audit, versions, the digest, the status that follows the
//! work, erasure, retention, the return, an import's checks — is written above this trait,
//! once; an engine only keeps bytes under keys.
//!
//! What an engine gives:
//!
//! - **reads** of one key, and **scans** of a key prefix in key order, lazily (an export or
//!   the audit trail of a large unit is read a page at a time, never held whole);
//! - **one atomic write** ([`Batch`]) per change: puts and removals, values **appended to a
//!   log** under the next number of that log, and **expectations** — a key must still hold
//!   the value it was read with, or the whole batch is refused ([`Unapplied::Conflict`]).
//!   That compare-and-set is how a stale save is refused by the engine itself, whatever else
//!   writes meanwhile; no long-held lock is needed above it;
//! - durability on request: a batch applied with `durable` is on disk when `apply` returns.
//!
//! One engine today, sled, embedded in the process that holds the store's lock
//! ([`on_sled`]). A networked, transactional database fits the same shape: a batch is one
//! transaction, an expectation a `WHERE version = …`, an appended value a sequence's next
//! number, a scan a keyset-paged query; the change feed is the log read from a number on.

pub(crate) mod in_memory;
pub(crate) mod on_postgres;
mod on_sled;
pub(super) mod space;

use std::path::Path;

use super::StoreError;

/// A key and its value, as a scan yields them.
pub(super) type Pair = (Vec<u8>, Vec<u8>);

/// A scan of a prefix, in key order; from either end.
pub(super) type Scan<'a> = Box<dyn DoubleEndedIterator<Item = Result<Pair, EngineFailure>> + 'a>;

/// The primitives of a storage engine (see the module's head).
pub(super) trait Engine: Send + Sync {
    /// The value under `key`.
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, EngineFailure>;

    /// Every key under `prefix` and its value, in key order (`b""`: every key).
    fn scan(&self, prefix: &[u8]) -> Scan<'_>;

    /// Applies `batch` atomically — all of it or none — and, if `durable`, makes it durable
    /// before returning. Returns the number the batch's last appended value took.
    fn apply(&self, batch: Batch, durable: bool) -> Result<Option<u64>, Unapplied>;

    /// Bytes the engine's files take on disk.
    fn size_on_disk(&self) -> Result<u64, EngineFailure>;

    /// A write too large to hold as one batch, made atomic by the engine itself: batches
    /// applied as they come and seen by nobody until the last commits them all (`None`: the
    /// engine cannot, and the store stages such a write with undo records of its own).
    fn long_write(&self) -> Result<Option<Box<dyn LongWrite + '_>>, EngineFailure> {
        Ok(None)
    }

    /// The writes other processes make to the records, as they are made (`None`: only this
    /// process writes them).
    fn others(&self) -> Result<Option<Box<dyn Others>>, EngineFailure> {
        Ok(None)
    }

    /// The unit's turn to change its records, taken before reading what a change is made
    /// from and held until the guard is dropped: the store reads a log or a digest shard,
    /// changes it and writes it back, so two processes must not do that at once (`None`:
    /// only this process writes the records, one change at a time under the store's lock).
    fn turn(&self) -> Result<Option<Box<dyn Turn + '_>>, EngineFailure> {
        Ok(None)
    }

    /// How many writes the engine has taken, counted where every process that writes it
    /// sees the count (`None`: only this process writes it, under the store's lock). A
    /// process that keeps what it read between requests reads it again when this moves.
    fn changes(&self) -> Result<Option<u64>, EngineFailure> {
        Ok(None)
    }

    /// What is wrong with how the engine guards the records (an engine shared with other
    /// units: their separation and the audit trail's protection); empty when sound.
    fn guarded(&self) -> Result<Vec<String>, EngineFailure> {
        Ok(Vec::new())
    }

    /// Whether `key` holds a value.
    fn contains(&self, key: &[u8]) -> Result<bool, EngineFailure> {
        Ok(self.get(key)?.is_some())
    }

    /// The keys under `prefix`, in key order.
    fn keys(&self, prefix: &[u8]) -> Box<dyn Iterator<Item = Result<Vec<u8>, EngineFailure>> + '_> {
        Box::new(self.scan(prefix).map(|item| item.map(|(k, _)| k)))
    }

    /// Whether the engine holds no key at all.
    fn is_empty(&self) -> Result<bool, EngineFailure> {
        Ok(self.scan(b"").next().transpose()?.is_none())
    }
}

/// One atomic write applied a batch at a time ([`Engine::long_write`]); dropped unfinished,
/// none of it is written.
pub(super) trait LongWrite {
    /// Applies `batch` within the write.
    fn add(&mut self, batch: Batch) -> Result<(), Unapplied>;
    /// Applies `last` and makes the whole write durable and seen; returns the number the
    /// last appended value took.
    fn finish(self: Box<Self>, last: Batch) -> Result<Option<u64>, Unapplied>;
}

/// The unit's turn to change its records ([`Engine::turn`]), given up when dropped.
pub(super) trait Turn {}

/// Other processes' writes to the same records, heard as they commit.
pub trait Others: Send {
    /// Waits at most `timeout` for other processes' writes; answers the records' write count
    /// after the last one heard (`None`: none came). A lost connection is a failure (the
    /// records cannot be reached); the next wait listens again and answers the count then,
    /// for what was missed meanwhile is unknown.
    fn wait(&mut self, timeout: std::time::Duration) -> Result<Option<u64>, EngineFailure>;
}

/// One atomic write: what it expects to find, what it puts and removes, what it appends.
#[derive(Debug, Default)]
pub(super) struct Batch {
    pub(super) expected: Vec<(Vec<u8>, Option<Vec<u8>>)>,
    pub(super) ops: Vec<Op>,
    /// Values appended to a log, each under its log's prefix (see [`log_key`]).
    pub(super) appended: Vec<(&'static [u8], Vec<u8>)>,
}

/// A put or a removal.
#[derive(Debug)]
pub(super) enum Op {
    Put(Vec<u8>, Vec<u8>),
    Remove(Vec<u8>),
}

impl Batch {
    pub(super) fn insert(&mut self, key: impl Into<Vec<u8>>, value: impl Into<Vec<u8>>) {
        self.ops.push(Op::Put(key.into(), value.into()));
    }

    pub(super) fn remove(&mut self, key: impl Into<Vec<u8>>) {
        self.ops.push(Op::Remove(key.into()));
    }

    /// The batch applies only if `key` still holds `value` (`None`: no value) when it does.
    pub(super) fn expect(&mut self, key: impl Into<Vec<u8>>, value: Option<Vec<u8>>) {
        self.expected.push((key.into(), value));
    }

    /// Appends `value` to the log under `log`, under the log's next number.
    pub(super) fn append(&mut self, log: &'static [u8], value: Vec<u8>) {
        self.appended.push((log, value));
    }
}

/// The key of entry `n` of the log under `log`: its prefix, then the number in eight bytes,
/// big-endian, so that a scan of the prefix reads the log in order.
pub(super) fn log_key(log: &[u8], n: u64) -> Vec<u8> {
    [log, &n.to_be_bytes()[..]].concat()
}

/// The number in a log entry's key (`None`: not a log entry's key).
pub(super) fn log_number(log: &[u8], key: &[u8]) -> Option<u64> {
    key.strip_prefix(log)?
        .try_into()
        .ok()
        .map(u64::from_be_bytes)
}

/// The engine could not read or write: why, as a person reads it (never a value).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{cause}")]
pub struct EngineFailure {
    cause: String,
    /// The engine is a server that may answer again in a moment (a lost connection): the
    /// engine reconnects by itself, and nothing needs opening afresh.
    passing: bool,
}

impl EngineFailure {
    pub(super) fn new(cause: impl Into<String>) -> Self {
        Self {
            cause: cause.into(),
            passing: false,
        }
    }

    /// A failure that passes (see [`EngineFailure::is_passing`]).
    pub(super) fn passing(cause: impl Into<String>) -> Self {
        Self {
            cause: cause.into(),
            passing: true,
        }
    }

    /// Whether the engine may well answer the next request (a database server restarted, a
    /// connection lost): the store need not be opened again.
    pub fn is_passing(&self) -> bool {
        self.passing
    }
}

/// Why a batch was not applied.
#[derive(Debug)]
pub(super) enum Unapplied {
    Failed(EngineFailure),
    /// A key did not hold what the batch expected of it: this key.
    Conflict(Vec<u8>),
}

impl From<EngineFailure> for Unapplied {
    fn from(e: EngineFailure) -> Self {
        Self::Failed(e)
    }
}

/// Opens (creating if need be) the engine of the store in `dir`, whose lock this process
/// holds, with a page cache of `cache` bytes.
pub(super) fn open(dir: &Path, cache: u64) -> Result<std::sync::Arc<dyn Engine>, StoreError> {
    Ok(std::sync::Arc::new(on_sled::Sled::open(dir, cache)?))
}

/// Connects to the unit's records in the PostgreSQL database at `url` ([`on_postgres`]).
pub(super) fn open_database(url: &str) -> Result<std::sync::Arc<dyn Engine>, StoreError> {
    Ok(std::sync::Arc::new(on_postgres::Postgres::open(url)?))
}

/// Opens the engine whose files are in `files` (another store's, being replaced or made:
/// no lock is taken), creating it if need be.
pub(super) fn open_files(files: &Path, cache: u64) -> Result<Box<dyn Engine>, StoreError> {
    Ok(Box::new(on_sled::Sled::open_files(files, cache)?))
}

/// Whether `files` holds an engine's files.
pub(super) fn has_files(files: &Path) -> bool {
    on_sled::has_files(files)
}

#[cfg(test)]
mod tests;
