//! Versions against lost updates: each victim and case record carries a stamp — its version,
//! who made it and when — written in the same atomic batch as the record. A save names the
//! version it was made from; one made from an older version is refused, naming who changed
//! the record since, and when. The batch that writes a record's next stamp expects the
//! stamp it was made from to be there still, so the engine itself refuses a save that
//! another overtook between its read and its write. (Appending to a contact log never
//! conflicts: the log only grows.)

use super::engine::Batch;
use super::staged::Stage;
use super::{Store, StoreError, decode, encode, key};
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

    /// Stages the record's next stamp, in this store's user's name, made from version
    /// `base` (`None`: from whatever version the store holds): refused at once if the record
    /// has moved on since `base`, and by the engine if it moves on before the batch is
    /// written.
    pub(super) fn stage_stamp(
        &self,
        batch: &mut Batch,
        record: Record,
        id: &str,
        base: Option<u64>,
    ) -> Result<(), StoreError> {
        let k = key(prefix(record), id);
        let raw = self.core.engine.get(&k)?;
        let now: Stamp = raw
            .as_deref()
            .map(|v| decode(&k, v))
            .transpose()?
            .unwrap_or_default();
        if base.is_some_and(|base| base != now.version) {
            return Err(StoreError::Conflict {
                record,
                id: id.to_owned(),
                since: now,
            });
        }
        let next = Stamp {
            version: now.version + 1,
            by: self.user(),
            at: Some(Utc::now()),
        };
        batch.expect(k.clone(), raw);
        batch.insert(k, encode(&next));
        Ok(())
    }

    /// A record's next stamp staged by an import, which replaces records wholesale as the
    /// store's one writer: `stored` says whether the record may have a stamp already (an
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

    /// The refusal of a batch whose expectation of `key` no longer held: a record changed
    /// since it was read, by whom and when.
    pub(super) fn conflict_at(&self, key: &[u8]) -> StoreError {
        for record in [Record::Victim, Record::Case] {
            if let Some(id) = super::owner(prefix(record), key) {
                return match self.stamp(record, id) {
                    Ok(since) => StoreError::Conflict {
                        record,
                        id: id.to_owned(),
                        since,
                    },
                    Err(e) => e,
                };
            }
        }
        StoreError::Refused(
            "the store changed while this was being saved, so nothing was saved; try again".into(),
        )
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
