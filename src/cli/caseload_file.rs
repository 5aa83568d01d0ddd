//! A caseload file to import, read twice — checked, then written — and never held whole: a
//! file on disk is read again from its start for the second pass, and its SHA-256 must be
//! the same both times (a file changed in between was not the file checked). What cannot be
//! read twice (standard input, an age file once decrypted) is held in memory instead.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use sha2::{Digest as _, Sha256};

use super::crypt::{self, DecryptArgs};
use super::progress::Progress;
use crate::domain::validate::Problem;
use crate::error::Error;

pub(super) struct CaseloadFile {
    path: PathBuf,
    from: From,
    len: u64,
}

enum From {
    Disk(File),
    Memory(Vec<u8>),
}

/// What a pass saw of the bytes it read: their hash, whether they were UTF-8, and any
/// failure to read them (the reader itself only says `serde_json` stopped).
#[derive(Default)]
struct Seen {
    hash: Sha256,
    /// The last bytes of a read that may begin a character the next read ends.
    partial: Vec<u8>,
    started: bool,
    not_utf8: bool,
    failed: Option<io::Error>,
}

/// One pass over the file: what it read, as it read it.
pub(super) struct Pass {
    seen: Arc<Mutex<Seen>>,
}

/// Bytes read at a time.
const BUFFER: usize = 256 * 1024;

/// A byte-order mark: how some Windows editors begin a UTF-8 file; not part of the JSON.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl CaseloadFile {
    /// The file at `path` (`-`: standard input); an age file (found by its header, binary or
    /// armoured) is decrypted first.
    pub fn open(path: &Path, decrypt: &DecryptArgs) -> Result<Self, Error> {
        let read = |source| Error::Read {
            path: path.to_owned(),
            source,
        };
        let from_memory = |bytes: Vec<u8>| -> Result<Self, Error> {
            let bytes = if crypt::is_age(&bytes) {
                crypt::open(&bytes, path, decrypt)?
            } else {
                bytes
            };
            Ok(Self {
                path: path.to_owned(),
                len: bytes.len() as u64,
                from: From::Memory(bytes),
            })
        };
        if path == Path::new("-") {
            let mut bytes = Vec::new();
            io::stdin().read_to_end(&mut bytes).map_err(read)?;
            return from_memory(bytes);
        }
        let mut file = File::open(path).map_err(read)?;
        let mut start = Vec::with_capacity(4096);
        (&mut file)
            .take(4096)
            .read_to_end(&mut start)
            .map_err(read)?;
        if crypt::is_age(&start) {
            file.rewind().map_err(read)?;
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).map_err(read)?;
            return from_memory(bytes);
        }
        let len = file.metadata().map_err(read)?.len();
        Ok(Self {
            path: path.to_owned(),
            from: From::Disk(file),
            len,
        })
    }

    /// Text already in memory (a spreadsheet's rows made a caseload).
    pub fn in_memory(bytes: Vec<u8>) -> Self {
        Self {
            path: PathBuf::from("-"),
            len: bytes.len() as u64,
            from: From::Memory(bytes),
        }
    }

    /// The whole file, for the unit service, which is sent it whole.
    pub fn into_bytes(self) -> Result<Vec<u8>, Error> {
        match self.from {
            From::Memory(bytes) => Ok(bytes),
            From::Disk(mut file) => {
                let mut bytes = Vec::new();
                file.rewind()
                    .and_then(|()| file.read_to_end(&mut bytes).map(drop))
                    .map_err(|source| Error::Read {
                        path: self.path,
                        source,
                    })?;
                Ok(bytes)
            }
        }
    }

    /// The file's length in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// A pass over the file from its start, `progress` moved on by the bytes read: the
    /// reader for `serde_json`, and what the pass saw.
    pub fn pass(&mut self, progress: &Progress) -> Result<(impl Read + Send + '_, Pass), Error> {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let inner: Box<dyn Read + Send + '_> = match &mut self.from {
            From::Disk(file) => {
                file.rewind().map_err(|source| Error::Read {
                    path: self.path.clone(),
                    source,
                })?;
                Box::new(&*file)
            }
            From::Memory(bytes) => Box::new(&bytes[..]),
        };
        let reader = Watched {
            inner,
            seen: Arc::clone(&seen),
            progress: progress.clone(),
        };
        Ok((BufReader::with_capacity(BUFFER, reader), Pass { seen }))
    }

    /// Why a pass's reading failed, if it was the reading and not the JSON: the file could
    /// not be read (an error), or it is not UTF-8 text (its one problem).
    pub fn failure(&self, pass: &Pass) -> Result<Option<Vec<Problem>>, Error> {
        let mut seen = lock(&pass.seen);
        if let Some(source) = seen.failed.take() {
            return Err(Error::Read {
                path: self.path.clone(),
                source,
            });
        }
        Ok(seen.not_utf8.then(|| {
            vec![Problem {
                path: String::new(),
                message: "the file is not UTF-8 text".into(),
            }]
        }))
    }
}

impl Pass {
    /// The SHA-256 of the bytes the pass read.
    pub fn hash(&self) -> [u8; 32] {
        lock(&self.seen).hash.clone().finalize().into()
    }
}

fn lock(seen: &Mutex<Seen>) -> std::sync::MutexGuard<'_, Seen> {
    seen.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The file's bytes on their way to `serde_json`: hashed, checked to be UTF-8, counted on
/// the progress bar, a byte-order mark at the start left out.
struct Watched<'a> {
    inner: Box<dyn Read + Send + 'a>,
    seen: Arc<Mutex<Seen>>,
    progress: Progress,
}

impl Read for Watched<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(e),
            Err(e) => {
                let said = io::Error::new(e.kind(), e.to_string());
                lock(&self.seen).failed = Some(e);
                return Err(said);
            }
        };
        self.progress.inc_by(n as u64);
        let mut seen = lock(&self.seen);
        seen.hash.update(&buf[..n]);
        let mut from = 0;
        if !seen.started && n > 0 {
            seen.started = true;
            // A mark split over two reads is not worth the code: reads are large.
            if buf[..n].starts_with(BOM) {
                from = BOM.len();
            }
        }
        if !utf8(&mut seen.partial, &buf[from..n], n == 0) {
            seen.not_utf8 = true;
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the file is not UTF-8 text",
            ));
        }
        drop(seen);
        if from > 0 {
            buf.copy_within(from..n, 0);
        }
        Ok(n - from)
    }
}

/// Whether `bytes`, after the `partial` character the last read ended with, are UTF-8 so
/// far (`end`: and nothing is left unfinished). Keeps in `partial` what the next read must
/// finish.
fn utf8(partial: &mut Vec<u8>, bytes: &[u8], end: bool) -> bool {
    let joined;
    let whole: &[u8] = if partial.is_empty() {
        bytes
    } else {
        joined = [&partial[..], bytes].concat();
        &joined
    };
    match std::str::from_utf8(whole) {
        Ok(_) => {
            partial.clear();
            true
        }
        // Cut short at the end: the rest comes with the next read.
        Err(e) if e.error_len().is_none() && !end => {
            let rest = whole[e.valid_up_to()..].to_vec();
            *partial = rest;
            true
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8], chunk: usize) -> (Result<Vec<u8>, io::ErrorKind>, bool) {
        let mut file = CaseloadFile {
            path: PathBuf::from("t"),
            len: bytes.len() as u64,
            from: From::Memory(bytes.to_vec()),
        };
        let progress = Progress::hidden();
        let (mut reader, pass) = file.pass(&progress).unwrap();
        let mut out = Vec::new();
        let mut buf = vec![0; chunk];
        let result = loop {
            match reader.read(&mut buf) {
                Ok(0) => break Ok(out),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) => break Err(e.kind()),
            }
        };
        drop(reader);
        let not_utf8 = file.failure(&pass).unwrap().is_some();
        (result, not_utf8)
    }

    #[test]
    fn a_byte_order_mark_is_left_out_and_the_rest_passes_whole() {
        let text = "\u{feff}{\"name\": \"Zoë Ødegård\"}";
        let (read, not_utf8) = read_all(text.as_bytes(), 3);
        assert_eq!(read.unwrap(), "{\"name\": \"Zoë Ødegård\"}".as_bytes());
        assert!(!not_utf8);
    }

    #[test]
    fn a_character_split_between_reads_is_utf8_and_a_broken_one_is_not() {
        let mut partial = Vec::new();
        let e_acute = "é".as_bytes();
        assert!(utf8(&mut partial, &[b'a', e_acute[0]], false));
        assert_eq!(partial, [e_acute[0]]);
        assert!(utf8(&mut partial, &[e_acute[1], b'b'], false));
        assert!(partial.is_empty());
        // Cut short at the very end of the file.
        assert!(!utf8(&mut vec![e_acute[0]], &[], true));
        // Latin-1, as an old spreadsheet saves it.
        assert!(!utf8(&mut Vec::new(), b"caf\xe9 ", false));
    }

    #[test]
    fn a_file_that_is_not_utf8_says_so() {
        let (read, not_utf8) = read_all(b"{\"name\": \"caf\xe9\"}", 1 << 16);
        assert_eq!(read.unwrap_err(), io::ErrorKind::InvalidData);
        assert!(not_utf8);
    }

    #[test]
    fn two_passes_over_the_same_bytes_hash_the_same_and_a_change_does_not() {
        let hash = |bytes: &[u8]| {
            let mut file = CaseloadFile {
                path: PathBuf::from("t"),
                len: 0,
                from: From::Memory(bytes.to_vec()),
            };
            let progress = Progress::hidden();
            let (mut reader, pass) = file.pass(&progress).unwrap();
            io::copy(&mut reader, &mut io::sink()).unwrap();
            drop(reader);
            pass.hash()
        };
        assert_eq!(hash(b"{\"a\": 1}"), hash(b"{\"a\": 1}"));
        assert_ne!(hash(b"{\"a\": 1}"), hash(b"{\"a\": 2}"));
    }

    #[test]
    fn a_file_on_disk_read_again_is_found_changed_if_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("unit.json");
        std::fs::write(&path, b"{\"format\": \"vlu-caseload\", \"version\": 1}").unwrap();
        let mut file = CaseloadFile {
            path: path.clone(),
            len: 0,
            from: From::Disk(File::open(&path).unwrap()),
        };
        let progress = Progress::hidden();
        let mut hash = || {
            let (mut reader, pass) = file.pass(&progress).unwrap();
            io::copy(&mut reader, &mut io::sink()).unwrap();
            drop(reader);
            pass.hash()
        };
        let first = hash();
        assert_eq!(hash(), first, "read again from its start, unchanged");
        // Another program writes the file between the two reads (the same length).
        std::fs::write(&path, b"{\"format\": \"vlu-caseload\", \"version\": 2}").unwrap();
        assert_ne!(hash(), first);
    }
}
