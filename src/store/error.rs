//! What can go wrong in the store, each one plain sentence (the data directory named, never
//! a record's contents).

use std::path::PathBuf;

use super::SCHEMA_VERSION;
use super::engine::EngineFailure;
use super::engine::space::{Shortfall, megabytes};

/// A store operation that failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store in {} is in use by another vlu process; close it and try again", .0.display())]
    InUse(PathBuf),
    #[error("cannot {action} {}: {source}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the store could not be read or written: {0}")]
    Engine(#[from] EngineFailure),
    /// The engine's failure, with the directory it happened in (added where the command line
    /// reports it).
    #[error("the store in {} could not be read or written: {source}", .dir.display())]
    Failed { dir: PathBuf, source: EngineFailure },
    #[error("there is not enough free space on the disk of {} to {doing} safely: it needs {} free and has {}; free some space and try again (nothing was changed)", .dir.display(), megabytes(.short.needed), megabytes(.short.free))]
    NoRoom {
        dir: PathBuf,
        doing: &'static str,
        short: Shortfall,
    },
    #[error("a write to the store in {} did not finish within {secs} s (is the disk full or failing?); it may not have been saved: free some space or check the disk, then run vlu check", .dir.display())]
    Stalled { dir: PathBuf, secs: u64 },
    #[error("{} is not a directory: name a directory for the store with --data-dir", .0.display())]
    NotADirectory(PathBuf),
    #[error("the directory {} can be written by any user (mode {mode:o}), so anyone could replace what vlu keeps there; vlu keeps victims' data only in a directory others cannot write to: name another, or take away the others' write permission", .dir.display())]
    Exposed { dir: PathBuf, mode: u32 },
    #[error("the store in {} was written by a newer vlu (schema {found}; this one knows up to {SCHEMA_VERSION})", .dir.display())]
    NewerSchema { dir: PathBuf, found: u32 },
    #[error("the store is damaged: {0}")]
    Corrupt(String),
    /// The speaker may not do this (the unit's table of who may do what, or an account the
    /// service does not serve).
    #[error("{why}")]
    Forbidden { why: String },
    /// A record the change names is not in the store.
    #[error("there is no {noun} {id}")]
    NotFound { noun: Noun, id: String },
    /// What the change carries breaks the rules of a record (the import's): each problem.
    #[error("{}, so nothing was saved", .0.join("; "))]
    Invalid(Vec<String>),
    /// Any other refusal, in its sentence: nothing was changed.
    #[error("{0}")]
    Refused(String),
    /// A save made from an older version of its record than the store's: refused, naming
    /// who changed the record since, and when.
    #[error("{id} was changed by {}{} since this was opened, so nothing was saved: close it, look at the record as it is now, and make the change again", .since.by, changed_at(.since))]
    Conflict {
        record: super::Record,
        id: String,
        since: super::Stamp,
    },
    /// The unit service could not do what it was asked (its sentence).
    #[error("{0}")]
    Remote(String),
    /// The unit is unavailable: its service went away (it stopped, or was stopped) before
    /// it answered. The screens reconnect; a command says to try again.
    #[error("the unit service stopped before it answered ({0}); try again")]
    Unavailable(String),
}

/// The kinds of record a change can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Noun {
    Victim,
    Case,
    Officer,
}

impl std::fmt::Display for Noun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Noun::Victim => "victim",
            Noun::Case => "case",
            Noun::Officer => "officer",
        })
    }
}

impl StoreError {
    /// No `noun` with this id.
    pub fn not_found(noun: Noun, id: &str) -> Self {
        Self::NotFound {
            noun,
            id: id.to_owned(),
        }
    }
}

/// When a conflicting change was made, as the sentence says it (local time).
fn changed_at(since: &super::Stamp) -> String {
    since.at.map_or_else(String::new, |at| {
        format!(
            " at {}",
            at.with_timezone(&chrono::Local).format("%H:%M on %-d %b")
        )
    })
}
