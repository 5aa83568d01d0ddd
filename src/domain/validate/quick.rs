//! The quick read of a caseload file: the file's own bytes cut into its records without
//! parsing them (only strings and brackets are followed), each record then parsed from its
//! bytes. `serde_json` reading a stream goes a byte at a time, keeping the line and column
//! for its messages, and a large file spent most of an import there; from a record's bytes
//! it reads several times as fast.
//!
//! The quick read takes only the plain shape of a caseload: an object whose keys each
//! appear once, its `cases` and `victims` lists (or null), every part valid JSON. Anything
//! else — a file cut short, a key twice, a list that is not one, a byte out of place — and it
//! gives up, saying nothing: the file is then read as a stream (`stream.rs`), whose messages
//! say what is wrong and where. Every byte of a file the quick read takes is either one it
//! checked itself (the object's braces, colons and commas, whitespace between them) or part
//! of a piece `serde_json` parsed whole, so it takes no file the stream would refuse.

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::BufRead;

use super::Problem;
use super::dupes::{At, Read};
use super::stream::{Found, Item, List, Rest, on_a_thread};
use serde::de::DeserializeSeed as _;

/// The quick read gave up: the file is not in the plain shape (or could not be read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct NotPlain;

/// Reads `reader`'s file quickly (see the module), on a thread of its own: hands each case
/// and victim (read as `how` says) to `each`, in order, on this thread. `each` returning
/// false stops the read.
pub(super) fn read<P: Item>(
    reader: impl BufRead + Send,
    how: P,
    each: &mut dyn FnMut(Found<P::Case, P::Victim>) -> bool,
) -> Result<Rest, NotPlain> {
    on_a_thread(
        move |found| {
            let mut scan = Scan {
                r: reader,
                broken: false,
            };
            let twice = RefCell::new(Vec::new());
            let read = top(
                &mut scan,
                &how,
                &mut |item| found.send(item).is_ok(),
                &twice,
            );
            // Nothing but whitespace after the object, and every byte read.
            if read.is_none() || scan.peek().is_some() || scan.broken {
                return Err(NotPlain);
            }
            Ok(Rest {
                other: None,
                twice: twice.into_inner(),
            })
        },
        each,
    )
}

/// The object at the top of the file, each record handed to `send` as it is read.
fn top<R: BufRead, P: Item>(
    scan: &mut Scan<R>,
    how: &P,
    send: &mut dyn FnMut(Found<P::Case, P::Victim>) -> bool,
    twice: &RefCell<Vec<Problem>>,
) -> Option<()> {
    let mut raw = Vec::new();
    scan.eat(b'{').then_some(())?;
    if scan.eat(b'}') {
        return Some(());
    }
    let mut keys = HashSet::new();
    loop {
        (scan.peek()? == b'"').then_some(())?;
        scan.value(&mut raw).then_some(())?;
        let key: String = serde_json::from_slice(&raw).ok()?;
        keys.insert(key.clone()).then_some(())?;
        scan.eat(b':').then_some(())?;
        if let Some(list) = List::of(&key) {
            items(scan, how, list, send, twice, &mut raw)?;
        } else {
            scan.value(&mut raw).then_some(())?;
            let mut de = serde_json::Deserializer::from_slice(&raw);
            let value = Read {
                at: At::Key(&At::Root, &key),
                found: twice,
            }
            .deserialize(&mut de)
            .ok()?;
            de.end().ok()?;
            send(Found::Field(key, value)).then_some(())?;
        }
        if scan.eat(b',') {
            continue;
        }
        return scan.eat(b'}').then_some(());
    }
}

/// A list of cases or of victims, each item parsed from its own bytes and handed on; null
/// is an empty list.
fn items<R: BufRead, P: Item>(
    scan: &mut Scan<R>,
    how: &P,
    list: List,
    send: &mut dyn FnMut(Found<P::Case, P::Victim>) -> bool,
    twice: &RefCell<Vec<Problem>>,
    raw: &mut Vec<u8>,
) -> Option<()> {
    if scan.peek()? == b'n' {
        scan.value(raw).then_some(())?;
        return (raw.as_slice() == b"null").then_some(());
    }
    scan.eat(b'[').then_some(())?;
    if scan.eat(b']') {
        return Some(());
    }
    for i in 0.. {
        scan.value(raw).then_some(())?;
        let mut de = serde_json::Deserializer::from_slice(raw);
        let item = how.one(list, &mut de, i, twice).ok()?;
        de.end().ok()?;
        send(item).then_some(())?;
        if !scan.eat(b',') {
            break;
        }
    }
    scan.eat(b']').then_some(())
}

/// The file's bytes, cut into values.
struct Scan<R> {
    r: R,
    /// The file could not be read (the reader has said why to whoever watches it).
    broken: bool,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

impl<R: BufRead> Scan<R> {
    /// The bytes read next, or none at the end of the file (or on a failure to read it).
    fn buffer(&mut self) -> Option<&[u8]> {
        match self.r.fill_buf() {
            Ok([]) => None,
            Ok(buf) => Some(buf),
            Err(_) => {
                self.broken = true;
                None
            }
        }
    }

    /// The next byte that is not whitespace, not consumed; none at the end.
    fn peek(&mut self) -> Option<u8> {
        loop {
            let buf = self.buffer()?;
            if let Some(i) = buf.iter().position(|&b| !is_space(b)) {
                let b = buf[i];
                self.r.consume(i);
                return Some(b);
            }
            let n = buf.len();
            self.r.consume(n);
        }
    }

    /// Consumes `b` if it comes next (after whitespace).
    fn eat(&mut self, b: u8) -> bool {
        let next = self.peek() == Some(b);
        if next {
            self.r.consume(1);
        }
        next
    }

    /// The bytes of the value that comes next into `out`: a string, an object or a list to
    /// its closing quote or bracket, anything else to the next comma, bracket or space. Not
    /// checked here: whoever parses `out` checks it. False if the file ends first.
    fn value(&mut self, out: &mut Vec<u8>) -> bool {
        out.clear();
        match self.peek() {
            None => false,
            Some(b'{' | b'[' | b'"') => self.nested(out),
            Some(_) => self.scalar(out),
        }
    }

    fn nested(&mut self, out: &mut Vec<u8>) -> bool {
        let (mut depth, mut in_text, mut escaped) = (0_usize, false, false);
        loop {
            let Some(buf) = self.buffer() else {
                return false;
            };
            let mut i = 0;
            let mut end = None;
            while i < buf.len() {
                if escaped {
                    escaped = false;
                    i += 1;
                    continue;
                }
                if in_text {
                    // Most of a record is text: on to its next quote or backslash.
                    let Some(at) = memchr::memchr2(b'"', b'\\', &buf[i..]) else {
                        break;
                    };
                    i += at;
                    if buf[i] == b'\\' {
                        escaped = true;
                    } else {
                        in_text = false;
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    i += 1;
                    continue;
                }
                match buf[i] {
                    b'"' => in_text = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        // Never below one: the value ends where it comes back to none.
                        depth -= 1;
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            let n = end.unwrap_or(buf.len());
            out.extend_from_slice(&buf[..n]);
            self.r.consume(n);
            if end.is_some() {
                return true;
            }
        }
    }

    fn scalar(&mut self, out: &mut Vec<u8>) -> bool {
        loop {
            let Some(buf) = self.buffer() else {
                return !out.is_empty() && !self.broken;
            };
            let end = buf
                .iter()
                .position(|&b| is_space(b) || matches!(b, b',' | b']' | b'}'));
            let n = end.unwrap_or(buf.len());
            out.extend_from_slice(&buf[..n]);
            self.r.consume(n);
            if end.is_some() {
                return !out.is_empty();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::domain::validate::{KnownIds, check_caseload, check_caseload_quickly};

    /// A small caseload with every kind of thing the quick read cuts: nested objects and
    /// lists, escapes, numbers, nulls, a field after the lists.
    const FILE: &str = r#"{"format": "vlu-caseload", "version": 1,
      "officers": [{"id": "sahmed", "name": "Sara Ahmed", "role": "vlo"}],
      "cases": [{"id": "C-1", "offender": {"name": "Daniel \"Danny\" Reeve", "aliases": []},
        "offence": {"category": "violent"}, "sentence": {"kind": "sds", "imposed_on": "2025-03-14",
        "custodial_months": 30}, "key_dates": [{"kind": "crd", "date": "2028-03-13"}]}],
      "victims": [{"id": "V-1", "case_id": "C-1", "name": "Joan Mercer", "role": "victim",
        "eligibility": "statutory", "referred_on": "2025-03-20", "status": "opted_in",
        "status_since": "2025-05-02", "allocated_to": null,
        "contacts": [{"on": "2025-04-02", "kind": "initial_offer", "method": "letter",
          "direction": "outbound", "summary": "a \\ and a ] and a }"}]}],
      "extra_non_working_days": ["2025-12-29"]}"#;

    fn quick_agrees(bytes: &[u8]) -> Result<(), TestCaseError> {
        // The reader hands on only UTF-8 (`unit::import`); a file that is not stops there.
        if std::str::from_utf8(bytes).is_err() {
            return Ok(());
        }
        let known = KnownIds::default();
        let slow = check_caseload(serde_json::Deserializer::from_slice(bytes), &known, false);
        if let Some(quick) = check_caseload_quickly(bytes, &known, false) {
            prop_assert_eq!(quick, slow);
        }
        Ok(())
    }

    #[test]
    fn the_small_file_is_plain() {
        let known = KnownIds::default();
        assert_eq!(
            check_caseload_quickly(FILE.as_bytes(), &known, false),
            Some(Ok(()))
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// A byte changed, left out or added anywhere (a byte that matters to JSON more often
        /// than not): the quick read finds what the stream finds, or gives up.
        #[test]
        fn a_damaged_file_is_read_quickly_the_same_or_not_at_all(
            at in 0..FILE.len(),
            byte in prop::sample::select(b"{}[],:\"\\ 0-1an".to_vec()),
            how in 0..3_u8,
        ) {
            let mut bytes = FILE.as_bytes().to_vec();
            match how {
                0 => bytes[at] = byte,
                1 => { bytes.remove(at); }
                _ => bytes.insert(at, byte),
            }
            quick_agrees(&bytes)?;
        }

        /// Cut short anywhere.
        #[test]
        fn a_file_cut_short_is_never_taken(at in 0..FILE.len()) {
            let known = KnownIds::default();
            prop_assert_eq!(check_caseload_quickly(&FILE.as_bytes()[..at], &known, false), None);
        }
    }
}
