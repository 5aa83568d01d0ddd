//! Versions against lost updates: each victim and case record carries a stamp — its version,
//! who made it and when — written in the same atomic batch as the record. A save names the
//! version it was made from; one made from an older version is refused, naming who changed
//! the record since, and when. (Appending to a contact log never conflicts: the log only
//! grows.)

use super::staged::Stage;
use super::{Store, StoreError, encode, key};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The stamps' prefix: `r\0v\0{victim}`, `r\0c\0{case}`.
pub(super) const STAMP: &[u8] = b"r\0";

/// Which kind of record a stamp is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Record {
    Victim,
    Case,
}

/// A record's version, and who made it when (version 0: never saved since stamps began).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub version: u64,
    pub by: String,
    pub at: Option<DateTime<Utc>>,
}

/// A stamp's key prefix: `r\0v\0` or `r\0c\0`, then the record's id.
pub(super) fn prefix(record: Record) -> &'static [u8] {
    match record {
        Record::Victim => b"r\0v\0",
        Record::Case => b"r\0c\0",
    }
}

impl Store {
    /// A record's stamp.
    pub fn stamp(&self, record: Record, id: &str) -> Result<Stamp, StoreError> {
        Ok(self.get(prefix(record), id)?.unwrap_or_default())
    }

    /// Stages the record's next stamp, in this store's user's name.
    pub(super) fn stage_stamp(
        &self,
        stage: &mut impl Stage,
        record: Record,
        id: &str,
    ) -> Result<(), StoreError> {
        self.stage_stamp_after(stage, record, id, true)
    }

    /// [`Store::stage_stamp`]; `stored` says whether the record may have a stamp already (an
    /// import of new records need not look).
    pub(super) fn stage_stamp_after(
        &self,
        stage: &mut impl Stage,
        record: Record,
        id: &str,
        stored: bool,
    ) -> Result<(), StoreError> {
        let before = if stored {
            self.stamp(record, id)?.version
        } else {
            0
        };
        let next = Stamp {
            version: before + 1,
            by: self.user(),
            at: Some(Utc::now()),
        };
        stage.put(key(prefix(record), id), encode(&next))
    }

    /// Refuses a save made from version `base` of a record that has moved on since.
    pub(super) fn check_base(&self, record: Record, id: &str, base: u64) -> Result<(), StoreError> {
        let now = self.stamp(record, id)?;
        if now.version == base {
            return Ok(());
        }
        Err(StoreError::Conflict {
            record,
            id: id.to_owned(),
            since: now,
        })
    }
}
