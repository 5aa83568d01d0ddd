//! The unit service's wire: frames of JSON, each with an optional binary tail.
//!
//! A frame is `u32` length of the JSON, the JSON, `u32` length of the tail, the tail (all
//! lengths big-endian). JSON because the records already travel as JSON (the caseload
//! format) and a person can read a captured frame; the binary tail carries the digest's
//! shards as stored, which JSON would triple. A frame over [`MAX_FRAME`] bytes, or one that
//! does not parse, closes that connection only. No async runtime: a local socket served by
//! a thread a client is plenty for a unit of twenty people.

use std::io::{self, Read, Write};

use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use crate::domain::model::{Case, Caseload, Victim};
use crate::domain::report::Report;
use crate::domain::retention::{Reason, Target};
use crate::domain::rules::LeadTimes;
use crate::store::{
    AuditEntry, AuditQuery, Changed, Disclosure, Erased, Record, ReportAsk, Snooze, Stamp,
    SubjectAccess,
};
use crate::unit::api::Fresh;
use crate::unit::command::Command;

/// This build's protocol. A client and a service of different protocols say so and stop.
/// 2: the digest's shards carry schema 5's log facts; erasure, consultations, disclosures,
/// the audit trail and subject access; the ids in the store, for a spreadsheet's check.
/// 3: new records' ids are given by the service (`add_victim`, `add_case`), cases are
/// closed whole, a case's change says why, reallocation. 4: the monitoring return
/// (`Report`). 5: a case's export is the service's (`ExportCase`), for managers; the
/// service checks whom it is talking to, and reads a request in bounded steps. 6: every
/// change to the casework is one `Command`, carried as it is. 7: refusals are typed
/// (`Forbidden`, `NotFound`, `InvalidRecord`; `Refused` for the rest). 8: a victim's whole
/// record, with its case and their versions, in one request (`WholeVictim`). 9: what a
/// screen shows, worked out by the service (`Window`).
pub const PROTOCOL: u32 = 9;

/// The largest frame a client reads of its service (an export is sent in chunks; the
/// digest of 100,000 victims is well under this).
pub const MAX_FRAME: u32 = 1 << 30;

/// The largest request the service reads (a victim's whole record with a long log is a few
/// hundred kilobytes).
pub const MAX_REQUEST: u32 = 16 << 20;

/// The largest tail the service reads: an import's file (100,000 victims with their logs
/// are about 300 MB). Only an administrator's import has a tail at all.
pub const MAX_IMPORT: u32 = 512 << 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// The first frame of every connection.
    Hello {
        protocol: u32,
        version: String,
    },
    /// This connection only receives news of changes from now on.
    Subscribe,
    /// The digest's shards in the tail, the unit, officers and extra days in the reply.
    LoadDigest,
    /// What a screen shows of the unit: answered with [`Reply::Window`].
    Window(Box<crate::unit::window::Ask>),
    Snoozes,
    Victim(String),
    Case(String),
    /// A victim with its log, its case, and their versions: answered with [`Reply::Fresh`]
    /// (no victims in it: there is no such victim).
    WholeVictim(String),
    /// A change to the casework, carried as it is: answered with [`Reply::Saved`].
    Command(Command),
    /// The records a change (someone else's, heard in the news) touched, as they are now.
    Fresh(ChangedWire),
    /// A record's stamp.
    Stamp(Record, String),
    /// One case with its victims and their logs, as a caseload file for the unit it moves
    /// to (managers and administrators; a disclosure, audited). With `transfer_to`, the
    /// case is then marked transferred to that area.
    ExportCase {
        case: String,
        transfer_to: Option<String>,
    },
    Reveal(String),
    /// Someone opened a victim's record.
    Consult(String),
    /// Victims' data left the store.
    Disclose(Disclosure),
    /// Erase a victim or a case (administrators only).
    Erase {
        target: Target,
        reason: Reason,
        /// Take it out of every backup too (`vlu erase --purge-backups`).
        #[serde(default)]
        purge_backups: bool,
    },
    /// The audit trail's entries a query asks for (administrators only).
    Audit(AuditQuery),
    /// Everything held about one victim (administrators only).
    SubjectAccess(String),
    /// `vlu diary`'s output, worked out by the service from the digest it keeps.
    Diary {
        query: Query,
        /// `text`, `json` or `ics`.
        format: String,
        colour: bool,
    },
    /// `vlu status`'s counts: (overdue, today, this week).
    Status(Query),
    /// The ids of the store's officers, cases and victims, against which a file about to
    /// be imported is checked (`import-table`: a dry run, the sheet's problems by row).
    KnownIds,
    /// The monitoring return (a manager's or administrator's).
    Report(Box<ReportAsk>),
    /// A caseload file's text (in the tail) into the store, all or nothing.
    Import {
        replace: bool,
    },
    /// The whole store as a caseload file, in [`Reply::Chunk`]s, then [`Reply::Done`].
    Export,
    /// `vlu check`.
    Check,
    /// A backup now, in the store's backup folder.
    Backup,
    /// Stop the service (for `vlu restore`, which needs the store to itself).
    Stop,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    Welcome {
        /// Who the service says you are (from the socket, never the environment).
        user: String,
        /// Who else is connected.
        others: Vec<String>,
        /// What the service takes them to be, as the caseload says now (what the screens
        /// offer follows it; the service decides each request again all the same).
        role: crate::unit::access::Role,
    },
    /// One sentence: why not.
    Refused(String),
    /// The speaker may not: why (the unit's table, or an account the service does not serve).
    Forbidden(String),
    /// A record the request names is not in the store.
    NotFound {
        noun: crate::store::Noun,
        id: String,
    },
    /// A record or entry the request carries breaks the rules: each problem.
    InvalidRecord(Vec<String>),
    /// A save made from an older version of its record: who changed it since, and when.
    Conflict {
        record: Record,
        id: String,
        since: Stamp,
    },
    Failed(String),
    Head(Box<Caseload>),
    Window(Box<crate::unit::window::Window>),
    Snoozes(Vec<Snooze>),
    Victim(Option<Box<Victim>>),
    Case(Option<Box<Case>>),
    Stamp(Stamp),
    /// A change made, and the records it touched as they now are.
    Saved(ChangedWire, Box<Fresh>),
    Fresh(Box<Fresh>),
    Done,
    /// Text to print as it is (the diary).
    Text(String),
    /// Overdue, due today, due this week.
    Counts(usize, usize, usize),
    /// The monitoring return.
    Report(Box<Report>),
    Imported(crate::store::ImportSummary),
    KnownIds(Box<crate::domain::validate::KnownIds>),
    /// The file's problems, each with its place: nothing was imported.
    Invalid(Vec<crate::domain::validate::Problem>),
    /// Part of an export, in the tail.
    Chunk,
    /// One case's export (`ExportCase`) and the case's version; `None`: no such case.
    CaseExport(Option<Box<(Caseload, u64)>>),
    /// `vlu check`: the sentence saying the store is sound, or its problems.
    Checked(Result<String, Vec<String>>),
    Erased(Erased),
    Audit(Vec<AuditEntry>),
    SubjectAccess(Option<Box<SubjectAccess>>),
    /// Pushed to subscribers after each durable change.
    News(ChangedWire),
    /// Pushed to subscribers when who is connected changes.
    Present(Vec<String>),
    /// Pushed to a subscriber whose queue overflowed: read everything again.
    Reload,
}

/// A diary's question, with the asker's lead times and working-day changes (their
/// configuration, which may not be the service's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    pub date: NaiveDate,
    pub days: u32,
    pub officer: Option<String>,
    pub lead: LeadTimes,
    pub calendar: crate::domain::calendar::DayChanges,
}

impl Request {
    /// Whether the request changes the store (so must never be sent twice).
    pub fn is_change(&self) -> bool {
        matches!(self, Request::Command(_) | Request::Import { .. })
    }

    /// The request's kind, for the service's log: never anything it carries.
    pub fn kind(&self) -> &'static str {
        // One arm a variant, nothing else: the list is the enum's.
        match self {
            Request::Hello { .. } => "hello",
            Request::Subscribe => "subscribe",
            Request::LoadDigest => "load-digest",
            Request::Window(_) => "window",
            Request::Snoozes => "snoozes",
            Request::Victim(_) => "victim",
            Request::Case(_) => "case",
            Request::Command(command) => command.kind(),
            Request::Fresh(_) => "fresh",
            Request::WholeVictim(_) => "whole-victim",
            Request::Stamp(..) => "stamp",
            Request::ExportCase { .. } => "export-case",
            Request::Reveal(_) => "reveal",
            Request::Consult(_) => "consult",
            Request::Disclose(_) => "disclose",
            Request::Erase { .. } => "erase",
            Request::Audit(_) => "audit",
            Request::SubjectAccess(_) => "subject-access",
            Request::Diary { .. } => "diary",
            Request::Status(_) => "status",
            Request::KnownIds => "known-ids",
            Request::Report(_) => "report",
            Request::Import { .. } => "import",
            Request::Export => "export",
            Request::Check => "check",
            Request::Backup => "backup",
            Request::Stop => "stop",
        }
    }
}

impl Reply {
    /// How a request ended, for the service's log: `ok`, `refused`, `invalid` or `failed`.
    pub fn outcome(&self) -> &'static str {
        match self {
            Reply::Refused(_) | Reply::Forbidden(_) | Reply::NotFound { .. } => "refused",
            Reply::Conflict { .. } => "conflict",
            Reply::Failed(_) => "failed",
            Reply::Invalid(_) | Reply::InvalidRecord(_) => "invalid",
            _ => "ok",
        }
    }
}

/// [`Changed`] on the wire.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedWire {
    pub seq: u64,
    pub victims: Vec<String>,
    pub cases: Vec<String>,
    pub snoozes: bool,
    /// Who made the change.
    pub by: String,
    #[serde(default)]
    pub entry: Option<usize>,
}

impl ChangedWire {
    pub fn of(changed: &Changed, by: &str) -> Self {
        Self {
            seq: changed.seq,
            victims: changed.victims.clone(),
            cases: changed.cases.clone(),
            snoozes: changed.snoozes,
            by: by.to_owned(),
            entry: changed.entry,
        }
    }

    pub fn changed(&self) -> Changed {
        Changed {
            seq: self.seq,
            victims: self.victims.clone(),
            cases: self.cases.clone(),
            snoozes: self.snoozes,
            entry: self.entry,
        }
    }
}

/// Writes one frame.
pub fn send(out: &mut impl Write, message: &impl Serialize, tail: &[u8]) -> io::Result<()> {
    let json = serde_json::to_vec(message).map_err(io::Error::other)?;
    let mut frame = Vec::with_capacity(8 + json.len());
    frame.extend_from_slice(&length(json.len())?.to_be_bytes());
    frame.extend_from_slice(&json);
    frame.extend_from_slice(&length(tail.len())?.to_be_bytes());
    out.write_all(&frame)?;
    out.write_all(tail)?;
    out.flush()
}

fn length(n: usize) -> io::Result<u32> {
    u32::try_from(n)
        .ok()
        .filter(|&n| n <= MAX_FRAME)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "a frame is too large"))
}

/// Reads one frame: the message and its tail. `None` at a clean end of the stream.
pub fn receive<T: for<'de> Deserialize<'de>>(
    input: &mut impl Read,
) -> io::Result<Option<(T, Vec<u8>)>> {
    let Some(len) = frame_start(input)? else {
        return Ok(None);
    };
    let Some(message) = receive_message(input, len, MAX_FRAME)? else {
        return Err(too_large());
    };
    let n = tail_length(input)?;
    let tail = receive_tail(input, n, MAX_FRAME)?.ok_or_else(too_large)?;
    Ok(Some((message, tail)))
}

/// The length of the next frame's message: `None` at a clean end of the stream (nothing of
/// a frame sent). The service reads a frame in steps, so that it can refuse a frame by its
/// length before reading it, and refuse a request before reading its tail.
pub fn frame_start(input: &mut impl Read) -> io::Result<Option<u32>> {
    let mut len = [0u8; 4];
    match input.read_exact(&mut len) {
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(e),
        Ok(()) => Ok(Some(u32::from_be_bytes(len))),
    }
}

/// The message of `len` bytes that [`frame_start`] announced; `None`, with nothing read,
/// when `len` is over `most`.
pub fn receive_message<T: for<'de> Deserialize<'de>>(
    input: &mut impl Read,
    len: u32,
    most: u32,
) -> io::Result<Option<T>> {
    if len > most {
        return Ok(None);
    }
    let json = read_part(input, len)?;
    serde_json::from_slice(&json)
        .map(Some)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "a frame did not parse"))
}

/// The length of the frame's tail, after its message.
pub fn tail_length(input: &mut impl Read) -> io::Result<u32> {
    let mut len = [0u8; 4];
    input.read_exact(&mut len)?;
    Ok(u32::from_be_bytes(len))
}

/// The frame's tail of `n` bytes ([`tail_length`]), copied into `file` as it arrives (an
/// import's file, never held in memory); `false`, with nothing read, when `n` is over `most`.
/// Should `file` fail (a full disk), the rest is still read — the sender hears why — and the
/// failure returned.
pub fn receive_tail_into(
    input: &mut impl Read,
    n: u32,
    most: u32,
    file: &mut impl Write,
) -> io::Result<bool> {
    if n > most {
        return Ok(false);
    }
    let mut left = u64::from(n);
    let mut buf = vec![0; 64 * 1024];
    let mut failed = None;
    while left > 0 {
        let want = usize::try_from(left.min(buf.len() as u64)).unwrap_or(buf.len());
        let got = input.read(&mut buf[..want])?;
        if got == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        left -= got as u64;
        if failed.is_none()
            && let Err(e) = file.write_all(&buf[..got])
        {
            failed = Some(e);
        }
    }
    match failed {
        Some(e) => Err(e),
        None => file.flush().map(|()| true),
    }
}

/// Sends one frame whose tail, `len` bytes, is read from `tail` as it goes (an import's
/// file, never held in memory).
pub fn send_from(
    out: &mut impl Write,
    message: &impl Serialize,
    tail: &mut dyn Read,
    len: u64,
) -> io::Result<()> {
    let json = serde_json::to_vec(message).map_err(io::Error::other)?;
    let too_large = || io::Error::new(io::ErrorKind::InvalidData, "a frame is too large");
    let len32 = usize::try_from(len).map_err(|_| too_large())?;
    let mut head = Vec::with_capacity(12 + json.len());
    head.extend_from_slice(&length(json.len())?.to_be_bytes());
    head.extend_from_slice(&json);
    head.extend_from_slice(&length(len32)?.to_be_bytes());
    out.write_all(&head)?;
    if io::copy(&mut tail.take(len), out)? != len {
        // The file grew shorter as it was sent: the other end waits for bytes that will not
        // come, so the connection must go.
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    out.flush()
}

/// The frame's tail of `n` bytes ([`tail_length`]); `None`, with nothing read, when `n` is
/// over `most`.
pub fn receive_tail(input: &mut impl Read, n: u32, most: u32) -> io::Result<Option<Vec<u8>>> {
    if n > most {
        return Ok(None);
    }
    read_part(input, n).map(Some)
}

fn too_large() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "a frame is too large")
}

fn read_part(input: &mut impl Read, n: u32) -> io::Result<Vec<u8>> {
    if n > MAX_FRAME {
        return Err(too_large());
    }
    // Memory grows with what arrives, never with what a length claims.
    let mut part = Vec::new();
    input.take(u64::from(n)).read_to_end(&mut part)?;
    if part.len() as u64 != u64::from(n) {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_reads_back_as_written_and_a_bad_one_is_refused() {
        let mut wire = Vec::new();
        send(&mut wire, &Request::Victim("V-1".into()), b"tail").unwrap();
        let (back, tail): (Request, _) = receive(&mut wire.as_slice()).unwrap().unwrap();
        assert_eq!(back, Request::Victim("V-1".into()));
        assert_eq!(tail, b"tail");
        assert!(receive::<Request>(&mut &[][..]).unwrap().is_none());
        let huge = (MAX_FRAME + 1).to_be_bytes();
        assert!(receive::<Request>(&mut &huge[..]).is_err());
        let mut garbage = Vec::new();
        garbage.extend_from_slice(&3u32.to_be_bytes());
        garbage.extend_from_slice(b"{{{");
        garbage.extend_from_slice(&0u32.to_be_bytes());
        assert!(receive::<Request>(&mut garbage.as_slice()).is_err());
    }
}
