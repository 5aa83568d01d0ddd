//! An import: a caseload file read twice and never held — first checked whole against the
//! store's ids (every problem found, nothing written), then, in the unit's turn, written as it
//! is read again, all or nothing. The second read must have the SHA-256 the first had: what is
//! written is what was checked. The command line and the unit service share it.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Deserializer;
use sha2::{Digest as _, Sha256};

use crate::domain::validate::{
    KnownIds, NotRead, Problem, check_caseload, check_caseload_quickly, read_records,
    read_records_quickly,
};
use crate::error::Error;
use crate::store::{ImportSummary, Store, StoreError};

/// Where a caseload file is read from, once for each pass: a file (read again from its
/// start), or bytes in memory (what cannot be read twice: standard input, an age file once
/// decrypted, a spreadsheet's rows made a caseload).
pub enum Source {
    Disk(File),
    Memory(Vec<u8>),
}

/// Counts the bytes a pass has read, for a progress bar.
pub type Progress<'a> = &'a (dyn Fn(u64) + Sync);

/// A file that was checked: the SHA-256 of what was checked, and whether the quick read
/// took it (the write then reads it quickly too; else as a stream, as it was checked).
pub struct Checked {
    hash: [u8; 32],
    quick: bool,
}

impl Source {
    /// How many bytes there are to read.
    pub fn size(&self) -> io::Result<u64> {
        match self {
            Source::Disk(file) => Ok(file.metadata()?.len()),
            Source::Memory(bytes) => Ok(bytes.len() as u64),
        }
    }

    /// The source from its start.
    ///
    /// # Errors
    /// A file that cannot be read from its start.
    pub fn reader(&mut self) -> io::Result<Box<dyn Read + Send + '_>> {
        Ok(match self {
            Source::Disk(file) => {
                file.rewind()?;
                Box::new(&*file)
            }
            Source::Memory(bytes) => Box::new(&bytes[..]),
        })
    }

    /// A pass over the source from its start: the reader for `serde_json`, and what the
    /// pass saw of it.
    fn pass<'a>(
        &'a mut self,
        progress: Progress<'a>,
    ) -> io::Result<(impl io::BufRead + Send + 'a, Pass)> {
        let inner = self.reader()?;
        let seen = Arc::new(Mutex::new(Seen::default()));
        let reader = Watched {
            inner,
            seen: Arc::clone(&seen),
            progress,
        };
        Ok((BufReader::with_capacity(BUFFER, reader), Pass { seen }))
    }
}

/// The first pass: the file checked against the ids `known` (the store's), nothing written.
/// Its problems, or its hash for [`write`].
///
/// # Errors
/// The source cannot be read.
pub fn check(
    source: &mut Source,
    known: &KnownIds,
    replace: bool,
    progress: Progress<'_>,
) -> Result<Result<Checked, Vec<Problem>>, io::Error> {
    let (reader, pass) = source.pass(progress)?;
    let quickly = check_caseload_quickly(reader, known, replace);
    if let Some(checked) = quickly {
        if let Some(failed) = pass.failure()? {
            return Ok(Err(failed));
        }
        return Ok(checked.map(|()| Checked {
            hash: pass.hash(),
            quick: true,
        }));
    }
    // Not in the plain shape: read as a stream for what is wrong (the bytes read a second
    // time not counted twice).
    let shown = AtomicU64::new(pass.read());
    let again = |n: u64| {
        let left = shown.load(Relaxed);
        let skip = n.min(left);
        shown.store(left - skip, Relaxed);
        progress(n - skip);
    };
    let (reader, pass) = source.pass(&again)?;
    let checked = check_caseload(Deserializer::from_reader(reader), known, replace);
    if let Some(failed) = pass.failure()? {
        return Ok(Err(failed));
    }
    Ok(checked.map(|()| Checked {
        hash: pass.hash(),
        quick: false,
    }))
}

/// The second pass: the checked file written into `store` as it is read again, all or
/// nothing. Refused, with nothing written, if it is no longer what was checked.
///
/// # Errors
/// The store's failure; the file's problems are `Ok(Err(..))`.
pub fn write(
    store: &Store,
    source: &mut Source,
    checked: &Checked,
    replace: bool,
    progress: Progress<'_>,
) -> Result<Result<ImportSummary, Vec<Problem>>, Error> {
    let unreadable = |e: &io::Error| {
        NotRead::File(vec![Problem {
            path: String::new(),
            message: format!("the file could not be read again ({e}); nothing was imported"),
        }])
    };
    Ok(store.import_records(replace, |each| {
        let (reader, pass) = source.pass(progress).map_err(|e| unreadable(&e))?;
        let read = if checked.quick {
            read_records_quickly(reader, each)
        } else {
            read_records(Deserializer::from_reader(reader), each)
        };
        if let Err(NotRead::Stopped(e)) = read {
            // The store stopped the read (a full disk): its reason, not the file's.
            return Err(NotRead::Stopped(e));
        }
        match pass.failure() {
            Err(e) => return Err(unreadable(&e)),
            Ok(Some(problems)) => return Err(NotRead::File(problems)),
            Ok(None) => {}
        }
        if pass.hash() != checked.hash {
            return Err(NotRead::File(vec![Problem {
                path: String::new(),
                message: "the file changed while it was being imported; nothing was \
                          imported: import it again"
                    .into(),
            }]));
        }
        read
    })?)
}

/// An import into a store this process holds (the unit service's): checked against the
/// store's ids, then written, all or nothing.
///
/// # Errors
/// The source cannot be read, or the store fails.
pub fn import(
    store: &Store,
    source: &mut Source,
    replace: bool,
) -> Result<Result<ImportSummary, Vec<Problem>>, Error> {
    let known = store.known_ids()?;
    let read = |e| StoreError::Io {
        action: "read the file to import",
        path: store.dir().to_owned(),
        source: e,
    };
    let checked = match check(source, &known, replace, &|_| {}).map_err(read)? {
        Ok(checked) => checked,
        Err(problems) => return Ok(Err(problems)),
    };
    Store::ensure_room(store.dir(), 3 * source.size().map_err(read)?)?;
    write(store, source, &checked, replace, &|_| {})
}

/// What a pass saw of the bytes it read: their hash, whether they were UTF-8, and any
/// failure to read them (`serde_json` only says it stopped).
#[derive(Default)]
struct Seen {
    hash: Sha256,
    /// Bytes read so far.
    read: u64,
    /// The last bytes of a read that may begin a character the next read ends.
    partial: Vec<u8>,
    started: bool,
    not_utf8: bool,
    failed: Option<io::Error>,
}

/// One pass over a file: what it read, as it read it.
struct Pass {
    seen: Arc<Mutex<Seen>>,
}

impl Pass {
    /// How many bytes the pass has read.
    fn read(&self) -> u64 {
        lock(&self.seen).read
    }

    /// The SHA-256 of the bytes the pass read.
    fn hash(&self) -> [u8; 32] {
        lock(&self.seen).hash.clone().finalize().into()
    }

    /// Why the pass's reading failed, if it was the reading and not the JSON: the file
    /// could not be read (an error), or it is not UTF-8 text (its one problem).
    fn failure(&self) -> io::Result<Option<Vec<Problem>>> {
        let mut seen = lock(&self.seen);
        if let Some(e) = seen.failed.take() {
            return Err(e);
        }
        Ok(seen.not_utf8.then(|| {
            vec![Problem {
                path: String::new(),
                message: "the file is not UTF-8 text".into(),
            }]
        }))
    }
}

fn lock(seen: &Mutex<Seen>) -> std::sync::MutexGuard<'_, Seen> {
    seen.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Bytes read at a time.
const BUFFER: usize = 256 * 1024;

/// A byte-order mark: how some Windows editors begin a UTF-8 file; not part of the JSON.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A file's bytes on their way to `serde_json`: hashed, checked to be UTF-8, counted, a
/// byte-order mark at the start left out.
struct Watched<'a> {
    inner: Box<dyn Read + Send + 'a>,
    seen: Arc<Mutex<Seen>>,
    progress: Progress<'a>,
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
        (self.progress)(n as u64);
        let mut seen = lock(&self.seen);
        seen.hash.update(&buf[..n]);
        seen.read += n as u64;
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
        // Cut short at the end of this read: the rest comes with the next.
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
        let mut source = Source::Memory(bytes.to_vec());
        let (mut reader, pass) = source.pass(&|_| {}).unwrap();
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
        (result, pass.failure().unwrap().is_some())
    }

    fn hash(source: &mut Source) -> [u8; 32] {
        let (mut reader, pass) = source.pass(&|_| {}).unwrap();
        io::copy(&mut reader, &mut io::sink()).unwrap();
        drop(reader);
        pass.hash()
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
        let a = hash(&mut Source::Memory(b"{\"a\": 1}".to_vec()));
        assert_eq!(a, hash(&mut Source::Memory(b"{\"a\": 1}".to_vec())));
        assert_ne!(a, hash(&mut Source::Memory(b"{\"a\": 2}".to_vec())));
    }

    #[test]
    fn a_file_on_disk_read_again_is_found_changed_if_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("unit.json");
        std::fs::write(&path, b"{\"format\": \"vlu-caseload\", \"version\": 1}").unwrap();
        let mut source = Source::Disk(File::open(&path).unwrap());
        let first = hash(&mut source);
        assert_eq!(
            hash(&mut source),
            first,
            "read again from its start, unchanged"
        );
        // Another program writes the file between the two reads (the same length).
        std::fs::write(&path, b"{\"format\": \"vlu-caseload\", \"version\": 2}").unwrap();
        assert_ne!(hash(&mut source), first);
    }

    /// The whole import over a file changed between its two reads: refused, nothing
    /// written, the store as it was.
    #[test]
    fn a_file_changed_after_it_was_checked_is_not_imported() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("data"), "admin").unwrap();
        let sample = include_str!("../../sample-data/northshire.json");
        let path = dir.path().join("unit.json");
        std::fs::write(&path, sample).unwrap();
        let mut source = Source::Disk(File::open(&path).unwrap());
        let known = store.known_ids().unwrap();
        let checked = check(&mut source, &known, false, &|_| {})
            .unwrap()
            .unwrap_or_else(|p| panic!("{p:?}"));
        // Between the reads, a name is changed to one the check would refuse.
        let changed = sample.replacen("\"Joan Mercer\"", "\"Joan\u{1b}[2J Me\"", 1);
        assert_ne!(changed, sample);
        std::fs::write(&path, changed).unwrap();
        let written = write(&store, &mut source, &checked, false, &|_| {}).unwrap();
        let problems = written.unwrap_err();
        assert!(
            problems[0]
                .message
                .starts_with("the file changed while it was being imported"),
            "{problems:?}"
        );
        assert_eq!(
            store.load().unwrap(),
            crate::domain::model::Caseload::default()
        );
        // Unchanged, it goes in.
        std::fs::write(&path, sample).unwrap();
        let checked = check(&mut source, &known, false, &|_| {}).unwrap().unwrap();
        let summary = write(&store, &mut source, &checked, false, &|_| {})
            .unwrap()
            .unwrap();
        assert_eq!(summary.victims, 45);
    }
}
