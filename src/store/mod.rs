//! The store: the unit's records and the rules that keep them — audit, versions, the
//! digest, the status that follows the work, erasure, retention, the return's reading of
//! the records, an import's checks — written once, above a storage engine of primitives
//! ([`engine`]: keys and values, atomic batches with expectations, logs, scans).
//!
//! Every record lives under a one-letter prefix, so that every change — the record and its
//! audit entry together — is one atomic batch, durable before the change is reported saved.
//! A lock file keeps a second process out.
//!
//! | key | value |
//! | --- | --- |
//! | `m\0schema`, `m\0unit`, `m\0extra_days` | the schema version, the unit, the extra non-working days |
//! | `o\0{officer}` / `c\0{case}` / `v\0{victim}` | officer, case, victim (without contacts), JSON |
//! | `k\0{victim}` | the victim's contact log, a JSON list in the order it was logged |
//! | `d\0{n}` | shard `n` (one byte) of the digest: what the diary and the caseload list need of each case and of its victims and their logs, postcard ([`digest`]) |
//! | `s\0{reminder}` | a snoozed reminder |
//! | `a\0{seq}` | one audit record |
//! | `r\0v\0{victim}` / `r\0c\0{case}` | a record's version ([`stamp`]) |
//! | `x\0v\0{victim}` / `x\0c\0{case}` | an erased id, with the day it was erased ([`dpa`]) |

mod add;
mod api;
mod audit;
pub mod backup;
mod casework;
mod check;
mod checked;
mod codec;
mod copy;
pub mod database;
mod digest;
mod dpa;
mod engine;
mod error;
mod import;
pub mod load;
mod lock;
mod migrate;
pub mod national;
#[doc(hidden)]
pub mod pg_testing;
mod purge;
mod read;
mod report;
mod restore;
mod return_facts;
mod save;
pub mod seal;
mod snooze;
mod staged;
mod stamp;
pub mod transfer;
mod write;

use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::Utc;
use serde::Serialize;

pub use crate::domain::snooze::Snooze;
pub use api::Changed;
pub use audit::{AuditEntry, AuditQuery, AuditRecord, changed_fields};
pub use backup::BackupInfo;
pub use casework::{Closing, Moving, Reallocation};
pub use check::Finding;
use codec::{decode, encode, joined, key, owner, records, values};
pub use copy::Copied;
pub use digest::Digest;
pub use dpa::{CONSULTATION_WINDOW, Disclosure, Erased, SubjectAccess, Tombstones};
pub use engine::EngineFailure;
pub use engine::space::{Shortfall, megabytes};
use engine::{Batch, Engine, space};
pub use error::{Noun, StoreError};
pub use import::planned;
pub use purge::Purged;
pub use report::ReportAsk;
pub use restore::{Restored, Trust};
pub use stamp::{Record, Stamp};

/// The store layout this build writes. Older stores are migrated on open.
pub const SCHEMA_VERSION: u32 = 10;

/// The engine's page cache: far less than the embedded engine's default (1 GiB), and more
/// than a unit needs to read. 32 MiB, not 64: at 100,000 victims the unit service rests at
/// about 300 MB instead of 315, a return from kept facts peaks at about 330 MB instead of 350,
/// and an import at 360–385 MB instead of 395–415; `vlu status --all` is a few milliseconds
/// slower (PERFORMANCE.md, "The engine's cache halved").
const CACHE_BYTES: u64 = 32 * 1024 * 1024;

/// Migrations, indexed by the version they upgrade from (`MIGRATIONS[0]`: 1 → 2, …).
const MIGRATIONS: &[Migration] = &[
    migrate::one_key_per_log,
    migrate::digest,
    migrate::digest,
    migrate::digest,
    migrate::digest,
    migrate::return_facts,
    migrate::digest,
    migrate::digest,
    migrate::digest,
];

type Migration = fn(&dyn Engine, &mut Batch) -> Result<(), StoreError>;

/// What an import changed.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ImportSummary {
    pub officers: usize,
    pub cases: usize,
    pub victims: usize,
    pub contacts: usize,
    pub replaced: usize,
    /// Erased ids brought back (with `--replace`): the command line warns of each.
    #[serde(default)]
    pub unerased: Vec<String>,
}

/// The unit's records, as one person acts on them: every change is made in the handle's
/// user's name ([`Store::acting_as`] gives another person's handle on the same store).
pub struct Store {
    core: std::sync::Arc<Core>,
    /// Who the changes are made by, for the audit trail.
    user: String,
    /// How long a write is waited for ([`write::DEADLINE`]).
    deadline: std::time::Duration,
}

/// What every handle on one open store shares.
struct Core {
    engine: std::sync::Arc<dyn Engine>,
    /// The records are in the data directory (else in a database server).
    embedded: bool,
    dir: PathBuf,
    /// A write did not finish in time: the engine may be stuck, and nothing more is asked
    /// of it.
    stalled: std::sync::atomic::AtomicBool,
    /// When each (user, victim) consultation was last recorded ([`dpa::CONSULTATION_WINDOW`]).
    consulted: std::sync::Mutex<std::collections::HashMap<(String, String), std::time::Instant>>,
    /// The data directory's lock (`None`: a store opened within another's transaction,
    /// which has no data directory of its own).
    _lock: Option<File>,
}

const META: &[u8] = b"m\0";
const OFFICER: &[u8] = b"o\0";
const CASE: &[u8] = b"c\0";
const VICTIM: &[u8] = b"v\0";
const CONTACT: &[u8] = b"k\0";
/// Schema 2 kept each log's facts here; they are in the digest since schema 3.
const FACTS: &[u8] = b"f\0";
const DIGEST: &[u8] = b"d\0";
const SNOOZE: &[u8] = b"s\0";
const AUDIT: &[u8] = b"a\0";

/// The writes the unit's other services make to its records ([`Store::others_writes`]).
pub struct OtherWrites(Box<dyn engine::Others>);

impl OtherWrites {
    /// Waits at most `timeout`; answers the records' write count after the writes heard
    /// (`None`: none came).
    pub fn wait(&mut self, timeout: std::time::Duration) -> Result<Option<u64>, StoreError> {
        Ok(self.0.wait(timeout)?)
    }
}

/// Where a unit's records are kept.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Place {
    /// In the data directory, in the embedded engine (the default: one unit on one host).
    #[default]
    Embedded,
    /// In a PostgreSQL database, connected to as the unit's role (a `postgresql://` URL or
    /// a libpq keyword string); the data directory keeps the service's socket and logs.
    Postgres(String),
}

impl Place {
    /// Where the configuration (`[store]`, or `--store` laid over it) keeps the records.
    pub fn configured(store: &crate::config::StoreConfig) -> Result<Self, StoreError> {
        store
            .url
            .as_deref()
            .map_or(Ok(Self::Embedded), Self::of_address)
    }
    /// Where the records are, as a sentence says it ("into …", "the store in …").
    pub fn describe(&self, dir: &Path) -> String {
        match self {
            Self::Embedded => dir.display().to_string(),
            Self::Postgres(_) => "the unit's PostgreSQL database".to_owned(),
        }
    }

    /// The place a configured address names: a PostgreSQL URL or keyword string.
    pub fn of_address(address: &str) -> Result<Self, StoreError> {
        if address.parse::<postgres::Config>().is_err() {
            return Err(StoreError::Refused(
                "the store's address is not a PostgreSQL URL (postgresql://…) or keyword string (host=… dbname=…)".into(),
            ));
        }
        Ok(Self::Postgres(address.to_owned()))
    }
}

impl Store {
    /// Opens (creating if need be) the store in `dir`, as the OS user `user`.
    pub fn open(dir: &Path, user: &str) -> Result<Self, StoreError> {
        Self::open_at(dir, &Place::Embedded, user)
    }

    /// Opens the unit's records kept at `place`, with `dir` as the data directory (whose lock
    /// this process takes), as the OS user `user`.
    pub fn open_at(dir: &Path, place: &Place, user: &str) -> Result<Self, StoreError> {
        Self::open_locked(dir, place, user, lock::acquire(dir)?)
    }

    /// Opens the store whose data directory is `dir`, whose lock this process holds.
    fn open_locked(dir: &Path, place: &Place, user: &str, lock: File) -> Result<Self, StoreError> {
        let engine = match place {
            Place::Embedded => {
                restore::finish_interrupted(dir)?;
                // Opening writes: on a disk without room for that, it would damage the store.
                space::ensure_room(dir, 0, "open the store")?;
                lock::private_store_dir(dir)?;
                engine::open(dir, CACHE_BYTES)?
            }
            Place::Postgres(url) => {
                lock::private_store_dir(dir)?;
                engine::open_database(url)?
            }
        };
        let store = Self {
            core: std::sync::Arc::new(Core {
                engine,
                embedded: *place == Place::Embedded,
                dir: dir.to_owned(),
                stalled: std::sync::atomic::AtomicBool::new(false),
                consulted: std::sync::Mutex::default(),
                _lock: Some(lock),
            }),
            user: user.to_owned(),
            deadline: write::DEADLINE,
        };
        store.undo_unfinished()?;
        store.migrate()?;
        Ok(store)
    }

    /// A store on `engine` with no data directory of its own (a unit built in memory, or
    /// one within another's transaction), brought to this build's schema.
    fn over(engine: std::sync::Arc<dyn Engine>, user: &str) -> Result<Self, StoreError> {
        let store = Self {
            core: std::sync::Arc::new(Core {
                engine,
                embedded: false,
                dir: PathBuf::new(),
                stalled: std::sync::atomic::AtomicBool::new(false),
                consulted: std::sync::Mutex::default(),
                _lock: None,
            }),
            user: user.to_owned(),
            deadline: write::DEADLINE,
        };
        store.migrate()?;
        Ok(store)
    }

    /// Whether `dir` holds a store (without opening or creating one). Only a directory that
    /// does not exist, or has no store in it, is "no store": one that cannot be read is an
    /// error, never an empty caseload.
    pub fn exists(dir: &Path) -> Result<bool, StoreError> {
        lock::probe(dir)
    }

    /// Makes the data directory (private to its owner) if it is not there: a unit whose
    /// records are in a database still keeps the service's socket and logs in it.
    pub fn make_data_dir(dir: &Path) -> Result<(), StoreError> {
        lock::create_private_dir(dir).map_err(|source| StoreError::Io {
            action: "create the data directory",
            path: dir.to_owned(),
            source,
        })?;
        lock::private_store_dir(dir)
    }

    pub fn dir(&self) -> &Path {
        &self.core.dir
    }

    /// How many writes the records have taken from every service of the unit (`None`: the
    /// records are this process's alone, so it sees every change it makes).
    pub fn changes_anywhere(&self) -> Result<Option<u64>, StoreError> {
        Ok(self.core.engine.changes()?)
    }

    /// The writes the unit's other services make to its records, as they commit (`None`:
    /// the records are this process's alone).
    pub fn others_writes(&self) -> Result<Option<OtherWrites>, StoreError> {
        Ok(self.core.engine.others()?.map(OtherWrites))
    }

    /// Where the records are, as a sentence says it.
    pub fn kept_in(&self) -> String {
        if self.core.embedded {
            Place::Embedded.describe(&self.core.dir)
        } else {
            Place::Postgres(String::new()).describe(&self.core.dir)
        }
    }

    /// Whether the records are in the data directory (not in a database server).
    pub fn embedded(&self) -> bool {
        self.core.embedded
    }

    /// Refuses what only vlu's own files can have done to them (their backups): a database
    /// server's records are backed up by the organisation's tools, not by vlu.
    pub(crate) fn embedded_only(&self, done: &str) -> Result<(), StoreError> {
        if self.core.embedded {
            return Ok(());
        }
        Err(StoreError::Refused(format!(
            "the unit's records are kept in PostgreSQL, so they are {done} with the database's own tools (pg_dump, base backups, replication), not by vlu"
        )))
    }

    fn migrate(&self) -> Result<(), StoreError> {
        self.in_turn(|| self.migrate_in_turn())
    }

    fn migrate_in_turn(&self) -> Result<(), StoreError> {
        let schema_key = key(META, "schema");
        let found = match self.core.engine.get(&schema_key)? {
            Some(v) => decode::<u32>(&schema_key, &v)?,
            None if self.core.engine.is_empty()? => {
                let mut batch = Batch::default();
                batch.insert(schema_key, encode(&SCHEMA_VERSION));
                return self.write(batch, write::SAVE_ROOM, true);
            }
            None => {
                return Err(StoreError::Corrupt(
                    "it has records but no schema version".into(),
                ));
            }
        };
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                dir: self.core.dir.clone(),
                found,
            });
        }
        for version in found..SCHEMA_VERSION {
            let step = MIGRATIONS.get(version as usize - 1).ok_or_else(|| {
                StoreError::Corrupt(format!("no migration from schema {version}"))
            })?;
            let mut batch = Batch::default();
            step(&*self.core.engine, &mut batch)?;
            batch.insert(schema_key.clone(), encode(&(version + 1)));
            // A migration rewrites at most the digest and the logs: the store's size is ample.
            self.write_doing(
                batch,
                self.core.engine.size_on_disk()?,
                true,
                "upgrade the store",
            )?;
        }
        Ok(())
    }

    /// Applies one batch with its audit record, and makes it durable; returns the change's
    /// number (its audit record's).
    fn commit(&self, mut batch: Batch, record: &AuditRecord) -> Result<u64, StoreError> {
        batch.append(AUDIT, encode(record));
        self.write_doing(batch, write::SAVE_ROOM, true, "save")?
            .ok_or_else(|| StoreError::Corrupt("a change was saved without its number".into()))
    }

    /// Who the changes are made by.
    pub fn user(&self) -> String {
        self.user.clone()
    }

    /// A handle on this store that makes its changes in `user`'s name: the unit service
    /// takes one for each request, with the speaker the kernel names. Nothing is shared
    /// between two people's handles but the records.
    #[must_use]
    pub fn acting_as(&self, user: &str) -> Self {
        Self {
            core: std::sync::Arc::clone(&self.core),
            user: user.to_owned(),
            deadline: self.deadline,
        }
    }

    fn record(&self, action: &str, subject: Option<&str>, fields: Vec<String>) -> AuditRecord {
        AuditRecord {
            at: Utc::now(),
            user: self.user(),
            action: action.to_owned(),
            subject: subject.map(str::to_owned),
            fields,
            victims: Vec::new(),
            everyone: false,
        }
    }

    /// Records that someone looked at a victim's contact details.
    pub fn record_reveal(&self, victim_id: &str) -> Result<(), StoreError> {
        let record = self.record("reveal-contact-details", Some(victim_id), Vec::new());
        self.commit(Batch::default(), &record).map(drop)
    }

    /// Records that the unit service refused someone (the sentence names who, and why).
    pub fn record_refusal(&self, why: &str) -> Result<(), StoreError> {
        let record = self.record("refused-user", None, vec![why.to_owned()]);
        self.commit(Batch::default(), &record).map(drop)
    }

    /// The audit trail, oldest first.
    pub fn audit(&self) -> Result<Vec<AuditRecord>, StoreError> {
        self.values(AUDIT)
    }

    /// Refuses, with the figures, when the store in `dir` could not be opened safely for
    /// lack of room (before a process is started to open it).
    pub fn ensure_openable(dir: &Path) -> Result<(), StoreError> {
        space::ensure_room(dir, 0, "open the store")
    }

    /// Refuses, with the figures, unless the disk of the store in `dir` (made or not yet) has
    /// room to write `bytes` and still open the store afterwards (an import checks before it
    /// starts, and before a new store is made).
    pub fn ensure_room(dir: &Path, bytes: u64) -> Result<(), StoreError> {
        space::ensure_room(dir, bytes, "import this file")
    }

    /// Bytes the store takes on disk.
    pub fn size_on_disk(&self) -> Result<u64, StoreError> {
        Ok(self.core.engine.size_on_disk()?)
    }
}

#[cfg(test)]
mod tests;
