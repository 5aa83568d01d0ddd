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

use crate::domain::model::{Case, Caseload, Contact, Victim};
use crate::domain::report::Report;
use crate::domain::retention::{Reason, Target};
use crate::domain::rules::LeadTimes;
use crate::store::{
    AuditEntry, AuditQuery, Changed, Closing, Disclosure, Erased, Reallocation, Record, ReportAsk,
    Snooze, Stamp, SubjectAccess,
};

/// This build's protocol. A client and a service of different protocols say so and stop.
/// 2: the digest's shards carry schema 5's log facts; erasure, consultations, disclosures,
/// the audit trail and subject access; the ids in the store, for a spreadsheet's check.
/// 3: new records' ids are given by the service (`add_victim`, `add_case`), cases are
/// closed whole, a case's change says why, reallocation. 4: the monitoring return
/// (`Report`).
pub const PROTOCOL: u32 = 4;

/// The largest frame either side reads (an import of 100,000 victims is about 300 MB).
pub const MAX_FRAME: u32 = 1 << 30;

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
    Snoozes,
    Victim(String),
    Case(String),
    AppendContact {
        victim: String,
        contact: Contact,
    },
    /// A record's stamp.
    Stamp(Record, String),
    SaveVictim {
        victim: Box<Victim>,
        base: u64,
    },
    SaveVictimWithContact {
        victim: Box<Victim>,
        contact: Contact,
        base: u64,
    },
    SaveCase {
        case: Box<Case>,
        base: u64,
        #[serde(default)]
        why: Option<String>,
    },
    /// A new victim; the service gives the id when it is empty.
    AddVictim(Box<Victim>),
    /// A new case; the service gives the id when it is empty.
    AddCase(Box<Case>),
    CloseCase(Closing),
    Reallocate(Reallocation),
    Snooze(Snooze),
    Reveal(String),
    /// Someone opened a victim's record.
    Consult(String),
    /// Victims' data left the store.
    Disclose(Disclosure),
    /// Erase a victim or a case (administrators only).
    Erase {
        target: Target,
        reason: Reason,
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
    },
    /// One sentence: why not.
    Refused(String),
    Failed(String),
    Head(Box<Caseload>),
    Snoozes(Vec<Snooze>),
    Victim(Option<Box<Victim>>),
    Case(Option<Box<Case>>),
    Stamp(Stamp),
    Changed(ChangedWire),
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
        matches!(
            self,
            Request::AppendContact { .. }
                | Request::SaveVictim { .. }
                | Request::SaveVictimWithContact { .. }
                | Request::SaveCase { .. }
                | Request::AddVictim(_)
                | Request::AddCase(_)
                | Request::CloseCase(_)
                | Request::Reallocate(_)
                | Request::Snooze(_)
                | Request::Import { .. }
        )
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
    let mut len = [0u8; 4];
    match input.read_exact(&mut len) {
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        other => other?,
    }
    let json = read_part(input, len)?;
    input.read_exact(&mut len)?;
    let tail = read_part(input, len)?;
    let message = serde_json::from_slice(&json)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "a frame did not parse"))?;
    Ok(Some((message, tail)))
}

fn read_part(input: &mut impl Read, len: [u8; 4]) -> io::Result<Vec<u8>> {
    let n = u32::from_be_bytes(len);
    if n > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "a frame is too large",
        ));
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
