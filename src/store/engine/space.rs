//! Free space: sled must never meet a full disk.
//!
//! sled 0.34 writes when it opens a store — a new snapshot of its page table, the log padded
//! to a segment, and zeros over every free segment — and a store opened while its disk was
//! full came back unreadable ("Read corrupted data at file offset None"), every victim gone.
//! Writes that fail for lack of space are recovered on the next open, *if* that open has room.
//! So vlu asks the file system first: a store is opened only when the free space can take
//! what opening may write, and a write is started only when, after it, the store could still
//! be opened. A store that is refused stays exactly as it was, and opens once space is freed.

use std::path::Path;

use super::StoreError;

const MIB: u64 = 1024 * 1024;

/// What opening writes beyond its snapshot and the holes it fills: sled pads its log to a
/// 512 KiB segment, may start new segments while it recovers, and rewrites its small
/// configuration. Measured: an open of a 20,000-victim unit grew its log by 0.25 MiB and
/// wrote a 0.2 MiB snapshot. Three segments' worth covers that with room to spare, and still
/// lets the sample unit live on a 4 MiB disk.
const OPEN_SLACK: u64 = 3 * MIB / 2;

/// Bytes free to an unprivileged writer on the file system that holds `path`.
#[cfg(unix)]
pub(in crate::store) fn free_bytes(path: &Path) -> std::io::Result<u64> {
    let st = rustix::fs::statvfs(path)?;
    Ok(st.f_bavail.saturating_mul(st.f_frsize))
}

#[cfg(not(unix))]
pub(in crate::store) fn free_bytes(_path: &Path) -> std::io::Result<u64> {
    Ok(u64::MAX)
}

/// Bytes of disk a file takes now (its allocated blocks), which for a sparse file is less
/// than its length.
#[cfg(unix)]
fn allocated(meta: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.blocks().saturating_mul(512)
}

#[cfg(not(unix))]
fn allocated(meta: &std::fs::Metadata) -> u64 {
    meta.len()
}

/// What opening the sled store in `db` may write: the holes of its log file that zeroing
/// free segments fills in, twice its newest snapshot (the new one is written before the old
/// one goes), and [`OPEN_SLACK`].
pub(in crate::store) fn open_needs(db: &Path) -> std::io::Result<u64> {
    let mut needs = OPEN_SLACK;
    let entries = match std::fs::read_dir(db) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(needs),
        Err(e) => return Err(e),
    };
    let mut snapshot = 0;
    for entry in entries {
        let entry = entry?;
        let meta = entry.metadata()?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name == "db" {
            needs += meta.len().saturating_sub(allocated(&meta));
        } else if name.starts_with("snap.") {
            snapshot = snapshot.max(meta.len());
        }
    }
    Ok(needs + 2 * snapshot)
}

/// What the disk has and what an operation on the store needs, for the refusal's sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortfall {
    pub needed: u64,
    pub free: u64,
}

/// A size as a person reads it: megabytes to one decimal place ("4.2 MB"), kilobytes
/// below one.
pub fn megabytes(bytes: u64) -> String {
    if bytes < MIB {
        return format!("{} KB", bytes.div_ceil(1024));
    }
    let tenths = bytes.saturating_mul(10) / MIB;
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

/// The directory itself, or the nearest parent that exists (a store not made yet).
fn existing(dir: &Path) -> &Path {
    dir.ancestors()
        .find(|p| p.exists())
        .unwrap_or(Path::new("."))
}

/// Refuses, with what is needed and what is free, unless the disk of the store in `dir`
/// could take `extra` bytes written now and still leave room to open it again afterwards.
/// `extra` is the caller's bound on what its write may take on disk.
pub(in crate::store) fn ensure_room(
    dir: &Path,
    extra: u64,
    doing: &'static str,
) -> Result<(), StoreError> {
    let io = |source| StoreError::Io {
        action: "measure the free space of",
        path: dir.to_owned(),
        source,
    };
    let db = dir.join("db");
    let needed = open_needs(&db).map_err(io)?.saturating_add(extra);
    let free = free_bytes(existing(dir)).map_err(io)?;
    if free < needed {
        return Err(StoreError::NoRoom {
            dir: dir.to_owned(),
            doing,
            short: Shortfall { needed, free },
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn megabytes_read_to_one_decimal_place() {
        assert_eq!(megabytes(0), "0 KB");
        assert_eq!(megabytes(18_173), "18 KB");
        assert_eq!(megabytes(MIB * 42 / 10 + 1), "4.2 MB");
        assert_eq!(megabytes(5 * MIB - 1), "4.9 MB");
    }

    #[test]
    fn a_store_not_yet_made_needs_only_the_slack() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(open_needs(&dir.path().join("db")).unwrap(), OPEN_SLACK);
    }

    #[cfg(unix)]
    #[test]
    fn holes_and_snapshots_count_towards_what_opening_needs() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path();
        // A 3 MiB log of which nothing is allocated yet (all hole), and a 1 MiB snapshot.
        std::fs::File::create(db.join("db"))
            .unwrap()
            .set_len(3 * MIB)
            .unwrap();
        std::fs::write(db.join("snap.0000000000000001"), vec![1u8; 1024 * 1024]).unwrap();
        let needs = open_needs(db).unwrap();
        assert_eq!(needs, OPEN_SLACK + 3 * MIB + 2 * MIB);
    }

    #[test]
    fn a_disk_without_room_refuses_with_the_figures() {
        let dir = tempfile::tempdir().unwrap();
        let free = free_bytes(dir.path()).unwrap();
        let err = ensure_room(dir.path(), free, "save").unwrap_err();
        match err {
            StoreError::NoRoom { short, doing, .. } => {
                assert_eq!(doing, "save");
                assert!(short.needed > short.free);
            }
            other => panic!("expected NoRoom, got {other}"),
        }
        assert!(ensure_room(dir.path(), 0, "open").is_ok());
    }
}
