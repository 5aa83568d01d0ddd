//! Every write to the engine: checked for room first, and never waited on for ever.
//!
//! On a disk filling up under it, an import once waited on the engine for ever (a futex, no CPU)
//! while holding the store's lock, so every other vlu was told the store was in use. A write
//! now runs on its own thread and the caller waits a bounded time: a write that cannot finish
//! becomes an error the user reads, and the process can end and let the lock go.

use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use super::engine::{Batch, Unapplied, space};
use super::{Store, StoreError};

/// How long a write may take before vlu stops waiting. A flush of a 1 MiB batch takes
/// milliseconds; a minute is for a disk that is slow, not one that is stuck.
pub(super) const DEADLINE: Duration = Duration::from_secs(60);

/// Room an ordinary save (a victim, a case, a log entry) asks for: a victim's record with a
/// long log is tens of kilobytes, and the embedded engine writes each to its log and may
/// start a segment (512 KiB) for it.
pub(super) const SAVE_ROOM: u64 = 1024 * 1024;

/// How many times its own size a staged batch asks for: the engine writes each value to its log,
/// and a page it rewrites goes to a new segment before the old one is freed.
pub(super) const BATCH_FACTOR: u64 = 4;

/// How a write waited for did not finish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unfinished {
    /// Not within the deadline: it is left to finish, or not, on its own.
    TimedOut,
    /// Its thread could not start, or ended without an answer (a panic inside the engine).
    Lost,
}

/// Runs `work` on its own thread and waits for it at most `deadline`.
pub(super) fn within<T: Send + 'static>(
    deadline: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Unfinished> {
    let (tx, rx) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("vlu-write".into())
        .spawn(move || {
            let _ = tx.send(work());
        })
        .map_err(|_| Unfinished::Lost)?;
    rx.recv_timeout(deadline).map_err(|e| match e {
        RecvTimeoutError::Timeout => Unfinished::TimedOut,
        RecvTimeoutError::Disconnected => Unfinished::Lost,
    })
}

impl Store {
    /// Applies `batch` (and makes it durable when `flush`), once the disk has `room` for
    /// it and the store can still be opened after: the one way records reach the engine.
    pub(super) fn write(&self, batch: Batch, room: u64, flush: bool) -> Result<(), StoreError> {
        self.write_doing(batch, room, flush, "save").map(drop)
    }

    /// Runs `change` in the unit's turn: a change reads what it is made from (a log, a
    /// digest shard) and writes it back, so with the records in a database other hosts'
    /// services wait for it, as this one's requests wait for each other.
    pub fn in_turn<T>(
        &self,
        change: impl FnOnce() -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let _turn = self.core.engine.turn()?;
        change()
    }

    /// [`Store::write`], saying what the write is for if the disk has no room for it;
    /// returns the number the batch's last appended value took.
    pub(super) fn write_doing(
        &self,
        mut batch: Batch,
        room: u64,
        flush: bool,
        doing: &'static str,
    ) -> Result<Option<u64>, StoreError> {
        self.usable()?;
        self.keep_facts_up(&mut batch)?;
        if self.core.embedded {
            space::ensure_room(&self.core.dir, room, doing)?;
        }
        let engine = std::sync::Arc::clone(&self.core.engine);
        match within(self.deadline, move || engine.apply(batch, flush)) {
            Ok(Ok(last)) => Ok(last),
            Ok(Err(unapplied)) => Err(self.unapplied(unapplied)),
            Err(Unfinished::Lost) => Err(StoreError::Corrupt(
                "a write to the store ended without an answer; run vlu check".into(),
            )),
            Err(Unfinished::TimedOut) => {
                // The engine may be stuck holding its own locks: nothing more is asked of it,
                // not even the flush it would do when the last handle is dropped at exit.
                self.core.stalled.store(true, Ordering::SeqCst);
                std::mem::forget(std::sync::Arc::clone(&self.core.engine));
                self.usable().map(|()| None)
            }
        }
    }

    /// Why a batch was not applied, as the store's error.
    pub(super) fn unapplied(&self, why: Unapplied) -> StoreError {
        match why {
            Unapplied::Failed(e) => e.into(),
            Unapplied::Conflict(k) => self.conflict_at(&k),
        }
    }

    /// Refuses once a write has stalled: the engine may be stuck, and a read could wait for ever.
    pub(super) fn usable(&self) -> Result<(), StoreError> {
        if self.core.stalled.load(Ordering::SeqCst) {
            return Err(StoreError::Stalled {
                dir: self.core.dir.clone(),
                secs: self.deadline.as_secs(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_that_does_not_finish_in_time_is_given_up() {
        let slow = within(Duration::from_millis(50), || {
            std::thread::sleep(Duration::from_secs(5));
        });
        assert_eq!(slow, Err(Unfinished::TimedOut));
        assert_eq!(within(Duration::from_secs(5), || 7), Ok(7));
    }
}
