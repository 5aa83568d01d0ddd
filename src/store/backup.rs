//! Rolling backups and `vlu restore`: whatever happens to the store — a damage nobody foresaw,
//! a disk that failed — costs at most a day's work, never the caseload.
//!
//! A backup is every record of the store (audit trail, snoozes and digest included), as they
//! are stored, in one gzip file:
//!
//! ```text
//! {"format":"vlu-backup","version":1,"schema":4,"taken":"…","by":"…"}\n
//! ( u32 key length, key, u32 value length, value )*      big-endian lengths
//! u32 0xFFFF_FFFF, u64 record count, u32 CRC-32 of every record frame before it
//! ```
//!
//! It is compact (only live records, compressed; the engine's files hold free segments too) and
//! verified: read back whole, its count and checksum compared, before it counts as taken.
//! Files are `vlu-YYYYMMDDTHHMMSSZ.backup`, mode 0600, in a 0700 folder; the newest `keep`
//! are kept.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};

use super::engine::space;
use super::lock::{self, create_private_dir};
use super::{SCHEMA_VERSION, Store, StoreError};

const FORMAT: &str = "vlu-backup";
const VERSION: u32 = 1;
const END: u32 = u32::MAX;
const PREFIX: &str = "vlu-";
const SUFFIX: &str = ".backup";

/// A backup's first line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub schema: u32,
    pub taken: DateTime<Utc>,
    pub by: String,
    /// The unit whose store it was ([`super::seal::Key::unit`]); none in a backup taken
    /// before backups were signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// A backup file, as `vlu restore --list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub header: Header,
    pub bytes: u64,
}

/// A backup read back whole: how many records, all of them sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    pub records: u64,
}

fn damaged(path: &Path, what: &str) -> StoreError {
    StoreError::Corrupt(format!("the backup {} {what}", path.display()))
}

/// Bytes framed before they are handed on to be compressed.
const CHUNK: usize = 1 << 18;

/// Every record of `engine`, framed, handed to `send` a chunk at a time: how many, and their
/// checksum (or why the store could not be read). A send that fails (the compressing
/// stopped) ends it early, its count then unused.
fn frames(
    engine: &dyn super::engine::Engine,
    send: &std::sync::mpsc::SyncSender<Vec<u8>>,
) -> io::Result<Result<(u64, u32), super::engine::EngineFailure>> {
    let mut crc = crc32fast::Hasher::new();
    let mut count = 0u64;
    let mut chunk = Vec::with_capacity(CHUNK);
    for item in engine.scan(b"") {
        let (k, v) = match item {
            Ok(kv) => kv,
            Err(e) => return Ok(Err(e)),
        };
        frame(&mut chunk, &mut crc, &k, &v)?;
        count += 1;
        if chunk.len() >= CHUNK
            && send
                .send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))
                .is_err()
        {
            break;
        }
    }
    let _ = send.send(chunk);
    Ok(Ok((count, crc.finalize())))
}

/// Writes one record frame, adding it to the checksum.
fn frame(out: &mut impl Write, crc: &mut crc32fast::Hasher, k: &[u8], v: &[u8]) -> io::Result<()> {
    for part in [k, v] {
        let len = u32::try_from(part.len()).map_err(io::Error::other)?;
        let len = len.to_be_bytes();
        crc.update(&len);
        crc.update(part);
        out.write_all(&len)?;
        out.write_all(part)?;
    }
    Ok(())
}

/// Reads a backup: its header, then each record to `each`, then checks count and checksum.
pub fn read(
    path: &Path,
    mut each: impl FnMut(Vec<u8>, Vec<u8>) -> Result<(), StoreError>,
) -> Result<(Header, Verified), StoreError> {
    let file = File::open(path).map_err(|source| StoreError::Io {
        action: "read the backup",
        path: path.to_owned(),
        source,
    })?;
    let mut input = BufReader::new(GzDecoder::new(BufReader::new(file)));
    let header = read_header(path, &mut input)?;
    let bad = |_| damaged(path, "is cut short or damaged");
    let mut crc = crc32fast::Hasher::new();
    let mut records = 0u64;
    loop {
        let mut len = [0u8; 4];
        input.read_exact(&mut len).map_err(bad)?;
        if u32::from_be_bytes(len) == END {
            break;
        }
        let key = read_part(&mut input, len, &mut crc).map_err(bad)?;
        input.read_exact(&mut len).map_err(bad)?;
        let value = read_part(&mut input, len, &mut crc).map_err(bad)?;
        each(key, value)?;
        records += 1;
    }
    let mut count = [0u8; 8];
    let mut sum = [0u8; 4];
    input.read_exact(&mut count).map_err(bad)?;
    input.read_exact(&mut sum).map_err(bad)?;
    if u64::from_be_bytes(count) != records || u32::from_be_bytes(sum) != crc.finalize() {
        return Err(damaged(path, "does not match its own checksum"));
    }
    Ok((header, Verified { records }))
}

fn read_part(
    input: &mut impl Read,
    len: [u8; 4],
    crc: &mut crc32fast::Hasher,
) -> io::Result<Vec<u8>> {
    crc.update(&len);
    // The length is read from the file: memory grows with what is really there, never with
    // what a damaged length claims.
    let wanted = u64::from(u32::from_be_bytes(len));
    let mut part = Vec::new();
    input.take(wanted).read_to_end(&mut part)?;
    if part.len() as u64 != wanted {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    crc.update(&part);
    Ok(part)
}

fn read_header(path: &Path, input: &mut impl BufRead) -> Result<Header, StoreError> {
    let mut line = Vec::new();
    input
        .by_ref()
        .take(4096)
        .read_until(b'\n', &mut line)
        .map_err(|_| damaged(path, "is not a vlu backup (it cannot be decompressed)"))?;
    let header: Header = serde_json::from_slice(&line)
        .map_err(|_| damaged(path, "is not a vlu backup (no header)"))?;
    if header.format != FORMAT || header.version != VERSION {
        return Err(damaged(
            path,
            "is not a vlu backup of a version this vlu reads",
        ));
    }
    if header.schema > SCHEMA_VERSION {
        return Err(StoreError::Refused(format!(
            "the backup {} was taken by a newer vlu (schema {}); restore it with that vlu",
            path.display(),
            header.schema
        )));
    }
    Ok(header)
}

/// The header of the backup at `path`, if it has one that reads.
pub fn list_one(path: &Path) -> Option<Header> {
    let file = File::open(path).ok()?;
    let mut input = BufReader::new(GzDecoder::new(BufReader::new(file)));
    read_header(path, &mut input).ok()
}

/// Every backup in `dir`, newest first (an unreadable one is left out).
pub fn list(dir: &Path) -> Result<Vec<BackupInfo>, StoreError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(StoreError::Io {
                action: "read the backups in",
                path: dir.to_owned(),
                source,
            });
        }
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(PREFIX) && name.ends_with(SUFFIX)) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = File::open(&path) else {
            continue;
        };
        let mut input = BufReader::new(GzDecoder::new(BufReader::new(file)));
        if let Ok(header) = read_header(&path, &mut input) {
            let bytes = entry.metadata().map_or(0, |m| m.len());
            found.push(BackupInfo {
                path,
                header,
                bytes,
            });
        }
    }
    found.sort_by_key(|b| std::cmp::Reverse(b.header.taken));
    Ok(found)
}

impl Store {
    /// Takes a backup into `dir` (made 0700 if need be), verifies it, and keeps the newest
    /// `keep`. The disk must have room for it and still for opening the store: a backup never
    /// takes the space the store needs.
    pub fn backup(&self, dir: &Path, keep: usize) -> Result<BackupInfo, StoreError> {
        self.embedded_only("backed up")?;
        let io = |action, source| StoreError::Io {
            action,
            path: dir.to_owned(),
            source,
        };
        create_private_dir(dir).map_err(|e| io("create the backup folder", e))?;
        lock::refuse_exposed_dir(dir)?;
        // Compressed records are a fraction of the engine's files; the newest backup is the best
        // guess of the next, and a third of the store's size a safe one for the first.
        let guess = list(dir)?
            .first()
            .map_or(self.core.engine.size_on_disk()? / 3, |b| b.bytes * 2);
        space::ensure_room(&self.core.dir, guess, "take a backup")?;
        let key = super::seal::Key::of_store(&self.core.dir)?;
        let taken = Utc::now();
        let header = Header {
            format: FORMAT.into(),
            version: VERSION,
            schema: SCHEMA_VERSION,
            taken,
            by: self.user(),
            unit: Some(key.unit()),
        };
        let path = dir.join(format!(
            "{PREFIX}{}{SUFFIX}",
            taken.format("%Y%m%dT%H%M%S%.3fZ")
        ));
        let written = self.write_backup(&path, &header, &key)?;
        // Read back and its signature checked, each on a core.
        let (verified, signed) = std::thread::scope(|scope| {
            let signed = scope.spawn(|| key.check(&path));
            let verified = read(&path, |_, _| Ok(()));
            let signed = signed
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            (verified, signed)
        });
        let (_, verified) = verified?;
        if verified.records != written || signed? != super::seal::Signature::Ours {
            let _ = std::fs::remove_file(&path);
            return Err(damaged(
                &path,
                "read back differently from what was written",
            ));
        }
        prune(dir, keep).map_err(|e| io("remove old backups in", e))?;
        let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
        Ok(BackupInfo {
            path,
            header,
            bytes,
        })
    }

    /// Writes every record of the store to `path`, signed with `key`. The records are read
    /// and framed on this thread while another compresses and signs what is framed (each is
    /// about half the work).
    pub(super) fn write_backup(
        &self,
        path: &Path,
        header: &Header,
        key: &super::seal::Key,
    ) -> Result<u64, StoreError> {
        let mut count = 0u64;
        let mut failed = None;
        let engine = &*self.core.engine;
        let written = crate::fsutil::write_private_atomically(path, |out| {
            let mut gz = GzEncoder::new(key.signing(out), Compression::fast());
            serde_json::to_writer(&mut gz, header)?;
            gz.write_all(b"\n")?;
            let (send, framed) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
            let (read, compressed) = std::thread::scope(|scope| {
                // Should compressing fail, the reader's next send fails and it stops.
                let compressor = scope.spawn(move || {
                    framed.iter().try_for_each(|chunk| gz.write_all(&chunk))?;
                    Ok::<_, io::Error>(gz)
                });
                let read = frames(engine, &send);
                drop(send);
                let compressed = compressor
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e));
                (read, compressed)
            });
            let mut gz = compressed?;
            let crc = match read? {
                Ok((n, crc)) => {
                    count = n;
                    crc
                }
                Err(e) => {
                    failed = Some(e);
                    return Err(io::Error::other("the store could not be read"));
                }
            };
            gz.write_all(&END.to_be_bytes())?;
            gz.write_all(&count.to_be_bytes())?;
            gz.write_all(&crc.to_be_bytes())?;
            gz.finish()?.finish()?;
            Ok(())
        });
        if let Some(e) = failed {
            return Err(e.into());
        }
        written.map_err(|source| StoreError::Io {
            action: "write the backup",
            path: path.to_owned(),
            source,
        })?;
        Ok(count)
    }

    /// Whether the newest backup in `dir` is a day old (or there is none).
    pub fn backup_due(dir: &Path) -> Result<bool, StoreError> {
        let newest = list(dir)?.into_iter().next();
        let now = Utc::now();
        // One stamped in the future (a clock that ran ahead) must not stop the daily backups.
        Ok(newest.is_none_or(|b| {
            now - b.header.taken >= chrono::Duration::days(1) || b.header.taken > now
        }))
    }
}

/// Removes all but the newest `keep` backups (at least one is always kept).
fn prune(dir: &Path, keep: usize) -> io::Result<()> {
    let all = list(dir).map_err(io::Error::other)?;
    for old in all.iter().skip(keep.max(1)) {
        std::fs::remove_file(&old.path)?;
    }
    Ok(())
}
