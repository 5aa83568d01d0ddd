//! Every write to sled: checked for room first, and never waited on for ever.
//!
//! On a disk filling up under it, an import once waited on sled for ever (a futex, no CPU)
//! while holding the store's lock, so every other vlu was told the store was in use. A write
//! now runs on its own thread and the caller waits a bounded time: a write that cannot finish
//! becomes an error the user reads, and the process can end and let the lock go.

use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use sled::Batch;

use super::{Store, StoreError, space};

/// How long a write may take before vlu stops waiting. A flush of a 1 MiB batch takes
/// milliseconds; a minute is for a disk that is slow, not one that is stuck.
pub(super) const DEADLINE: Duration = Duration::from_secs(60);

/// Room an ordinary save (a victim, a case, a log entry) asks for: a victim's record with a
/// long log is tens of kilobytes, and sled writes each to its log and may start a segment
/// (512 KiB) for it.
pub(super) const SAVE_ROOM: u64 = 1024 * 1024;

/// How many times its own size a staged batch asks for: sled writes each value to its log,
/// and a page it rewrites goes to a new segment before the old one is freed.
pub(super) const BATCH_FACTOR: u64 = 4;

/// How a write waited for did not finish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unfinished {
    /// Not within the deadline: it is left to finish, or not, on its own.
    TimedOut,
    /// Its thread could not start, or ended without an answer (a panic inside sled).
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
    /// Applies `batch` (and flushes it to disk when `flush`), once the disk has `room` for
    /// it and the store can still be opened after: the one way records reach sled.
    pub(super) fn write(&self, batch: Batch, room: u64, flush: bool) -> Result<(), StoreError> {
        self.write_doing(batch, room, flush, "save")
    }

    /// [`Store::write`], saying what the write is for if the disk has no room for it.
    pub(super) fn write_doing(
        &self,
        batch: Batch,
        room: u64,
        flush: bool,
        doing: &'static str,
    ) -> Result<(), StoreError> {
        self.usable()?;
        space::ensure_room(&self.dir, room, doing)?;
        let db = self.db.clone();
        let log = std::sync::Arc::clone(&self.log);
        let done = within(self.deadline, move || {
            db.apply_batch(batch)?;
            if flush {
                db.flush()?;
                // On Linux sled's flush ends in sync_file_range, which neither commits the
                // file's size nor asks the disk to empty its cache; fdatasync does both.
                log.sync_data()?;
            }
            Ok::<(), sled::Error>(())
        });
        match done {
            Ok(result) => Ok(result?),
            Err(Unfinished::Lost) => Err(StoreError::Corrupt(
                "a write to the store ended without an answer; run vlu check".into(),
            )),
            Err(Unfinished::TimedOut) => {
                // sled may be stuck holding its own locks: nothing more is asked of it, not
                // even the flush it would do when the last handle is dropped at exit.
                self.stalled.store(true, Ordering::SeqCst);
                std::mem::forget(self.db.clone());
                self.usable()
            }
        }
    }

    /// Refuses once a write has stalled: sled may be stuck, and a read could wait for ever.
    pub(super) fn usable(&self) -> Result<(), StoreError> {
        if self.stalled.load(Ordering::SeqCst) {
            return Err(StoreError::Stalled {
                dir: self.dir.clone(),
                secs: self.deadline.as_secs(),
            });
        }
        Ok(())
    }
}

/// sled's error as a person reads it: what failed and what to do, without sled's internals
/// (a backtrace, a Rust debug dump).
pub(super) fn sled_cause(e: &sled::Error) -> String {
    match e {
        sled::Error::Io(io) if io.kind() == std::io::ErrorKind::StorageFull => {
            "its disk is full; free some space and try again".to_owned()
        }
        sled::Error::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
            "permission denied; run vlu as the user who owns the store".to_owned()
        }
        sled::Error::Io(io) => format!(
            "{} (check the disk, then run vlu check)",
            io.kind().to_string().to_lowercase()
        ),
        sled::Error::Corruption { .. } => "its files are damaged; `vlu restore` brings back the \
             latest backup (`vlu restore --list` shows them)"
            .to_owned(),
        sled::Error::CollectionNotFound(_)
        | sled::Error::Unsupported(_)
        | sled::Error::ReportableBug(_) => {
            "sled, the storage engine, refused the operation; run vlu check".to_owned()
        }
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

    #[test]
    fn sled_errors_read_as_sentences_without_internals() {
        let full = sled::Error::Io(std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert_eq!(
            sled_cause(&full),
            "its disk is full; free some space and try again"
        );
        let damaged = sled::Error::Corruption { at: None, bt: () };
        let said = sled_cause(&damaged);
        assert!(said.contains("vlu restore"), "{said}");
        assert!(!said.contains("backtrace"), "{said}");
    }
}
