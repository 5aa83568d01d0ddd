//! A client of the unit service: the store, as the screens and the command line see it,
//! over the service's socket.

use std::io;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError};

use super::proto::{ChangedWire, PROTOCOL, Query, Reply, Request, receive, send, send_from};
use crate::domain::model::{Case, Victim};
use crate::domain::report::Report;
use crate::domain::retention::{Reason, Target};
use crate::store::{
    AuditEntry, AuditQuery, Changed, Digest, Disclosure, Erased, ImportSummary, Record, ReportAsk,
    Snooze, Stamp, StoreError, SubjectAccess,
};
use crate::unit::access::Role;
use crate::unit::api::{Fresh, News, Saved, UnitAdmin, UnitStore};
use crate::unit::command::Command;
use crate::unit::import::Source;

/// Makes sure a service is running on the store (starting one if need be).
pub type Restart = Arc<dyn Fn() -> Result<(), StoreError> + Send + Sync>;

/// A connection to the service.
pub struct Client {
    stream: Mutex<UnixStream>,
    dir: PathBuf,
    /// How to get a service again if this one goes away (none: the error is the caller's).
    restart: Option<Restart>,
    /// Who the service says we are.
    pub user: String,
    /// Who else was connected when we said hello.
    pub others: Vec<String>,
    /// What the service took us to be when we said hello.
    pub role: Role,
}

/// Connects and says hello; `Ok(None)` when no service answers on the store's socket.
/// A connection the service has welcomed, with what it said.
struct Hello {
    stream: UnixStream,
    user: String,
    others: Vec<String>,
    role: Role,
}

fn hello(dir: &Path) -> Result<Option<Hello>, StoreError> {
    let mut stream = match super::at_socket(dir, |socket| UnixStream::connect(socket)) {
        Ok(stream) => stream,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound
                    | io::ErrorKind::ConnectionRefused
                    | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None);
        }
        Err(source) => {
            return Err(StoreError::Io {
                action: "reach the unit service of",
                path: dir.to_owned(),
                source,
            });
        }
    };
    // Whom we are talking to is asked of the kernel before a word is sent: a service of
    // anyone but the store's owner (or root) is an impostor, told nothing. Either refusal
    // stays `Refused` (exit 2), not `Unavailable`: that one means "gone, try again" (exit 1,
    // and the screens reconnect), and trying again would meet the same answer.
    let uid = rustix::net::sockopt::socket_peercred(&stream)
        .map(|cred| cred.uid.as_raw())
        .map_err(|e| {
            StoreError::Refused(format!("could not tell who runs the unit service ({e})"))
        })?;
    super::identity::trust_service(dir, uid).map_err(StoreError::Refused)?;
    let lost = |source: io::Error| StoreError::Unavailable(source.to_string());
    let hello = Request::Hello {
        protocol: PROTOCOL,
        version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    // A service that turns this account away says so and hangs up without reading a word:
    // the hello may then meet a closed socket, and the refusal is still there to be read.
    let sent = send(&mut stream, &hello, &[]);
    let reply = match (sent, receive::<Reply>(&mut stream)) {
        (_, Ok(Some((Reply::Forbidden(why), _)))) => return Err(StoreError::Forbidden { why }),
        (Err(e), _) => return Err(lost(e)),
        (Ok(()), reply) => reply.map_err(lost)?,
    };
    match reply {
        Some((
            Reply::Welcome {
                user, others, role, ..
            },
            _,
        )) => Ok(Some(Hello {
            stream,
            user,
            others,
            role,
        })),
        Some((Reply::Refused(why), _)) => Err(StoreError::Refused(why)),
        Some((Reply::Forbidden(why), _)) => Err(StoreError::Forbidden { why }),
        _ => Err(lost(io::ErrorKind::InvalidData.into())),
    }
}

impl Client {
    /// A client of the service running on the store in `dir`, if one is.
    pub fn connect(dir: &Path) -> Result<Option<Self>, StoreError> {
        Ok(hello(dir)?.map(
            |Hello {
                 stream,
                 user,
                 others,
                 role,
             }| Self {
                stream: Mutex::new(stream),
                role,
                dir: dir.to_owned(),
                restart: None,
                user,
                others,
            },
        ))
    }

    /// This client, reconnecting through `restart` when its service goes away.
    #[must_use]
    pub fn with_restart(mut self, restart: Restart) -> Self {
        self.restart = Some(restart);
        self
    }

    /// The store this client's service serves.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What `restart` says to do, if there is one.
    pub fn restart(&self) -> Option<Restart> {
        self.restart.clone()
    }

    /// A second connection that receives the news of every change (and who is connected),
    /// read by a thread of its own; `map` turns each piece of news into what the receiver
    /// wants (the screens' wake-ups).
    /// With `restart`, a subscription whose service goes away says so (a
    /// [`Reply::Failed`] "reconnecting…"), gets a service again, and asks the screen to read
    /// everything again ([`Reply::Reload`]): the news of changes missed meanwhile is gone.
    pub fn subscribe<T: Send + 'static>(
        dir: &Path,
        tx: Sender<T>,
        map: impl Fn(News) -> T + Send + 'static,
        restart: Option<Restart>,
    ) -> Result<(), StoreError> {
        let (mut stream, first) = subscription(dir)?;
        if let Some(first) = news_of(first)
            && tx.send(map(first)).is_err()
        {
            return Ok(());
        }
        let store_dir = dir.to_owned();
        std::thread::Builder::new()
            .name("vlu-news".into())
            .spawn(move || {
                loop {
                    while let Ok(Some((reply, _))) = receive::<Reply>(&mut stream) {
                        if let Some(news) = news_of(reply)
                            && tx.send(map(news)).is_err()
                        {
                            return;
                        }
                    }
                    let Some(restart) = &restart else { return };
                    let gone = News::Lost("The unit service went away: reconnecting…".into());
                    if tx.send(map(gone)).is_err() {
                        return;
                    }
                    let first;
                    (stream, first) = loop {
                        std::thread::sleep(std::time::Duration::from_millis(250));
                        if let Ok(found) = restart().and_then(|()| subscription(&store_dir)) {
                            break found;
                        }
                    };
                    // Who is in with the new service, then everything read again.
                    let present = news_of(first).map_or(Ok(()), |first| tx.send(map(first)));
                    if present.is_err() || tx.send(map(News::Reload)).is_err() {
                        return;
                    }
                }
            })
            .map_err(|source| StoreError::Io {
                action: "listen to the unit service of",
                path: dir.to_owned(),
                source,
            })?;
        Ok(())
    }

    /// One request and its reply (with the reply's tail).
    fn call(&self, request: &Request) -> Result<(Reply, Vec<u8>), StoreError> {
        self.call_with(request, &[])
    }

    /// One request with a tail, and its reply. If the service went away before answering
    /// and there is a way to get another, asked once more of the next one.
    /// A change is never sent twice: if the service went away after it was sent, it may
    /// have been saved, and the asker is told so instead (a log entry sent again would be
    /// logged twice).
    fn call_with(&self, request: &Request, tail: &[u8]) -> Result<(Reply, Vec<u8>), StoreError> {
        match self.call_once(request, tail) {
            Err(StoreError::Unavailable(_)) if request.is_change() => Err(StoreError::Remote(
                "the unit service stopped before saying whether this was saved: look at the \
                 record as it is now before making the change again"
                    .into(),
            )),
            Err(StoreError::Unavailable(why)) => {
                let Some(restart) = &self.restart else {
                    return Err(StoreError::Unavailable(why));
                };
                restart()?;
                let Some(Hello { stream, .. }) = hello(&self.dir)? else {
                    return Err(StoreError::Unavailable(why));
                };
                *self.stream.lock().unwrap_or_else(PoisonError::into_inner) = stream;
                self.call_once(request, tail)
            }
            other => other,
        }
    }

    fn call_once(&self, request: &Request, tail: &[u8]) -> Result<(Reply, Vec<u8>), StoreError> {
        let mut stream = self.stream.lock().unwrap_or_else(PoisonError::into_inner);
        let lost = |source: io::Error| StoreError::Unavailable(source.to_string());
        let began = std::time::Instant::now();
        send(&mut *stream, request, tail).map_err(lost)?;
        let answer = receive::<Reply>(&mut *stream).map_err(lost)?;
        tracing::debug!(
            request = %request.kind(),
            ms = %format!("{:.1}", began.elapsed().as_secs_f64() * 1000.0),
            outcome = %answer.as_ref().map_or("no answer", |(reply, _)| reply.outcome()),
            "the unit service answered"
        );
        match answer {
            Some((Reply::Conflict { record, id, since }, _)) => {
                Err(StoreError::Conflict { record, id, since })
            }
            Some((Reply::Failed(why), _)) if why == super::shared::STOPPING => {
                Err(StoreError::Unavailable(why))
            }
            Some((Reply::Failed(why), _)) => Err(StoreError::Remote(why)),
            Some(answer) => refusal(&answer.0).map_or(Ok(answer), Err),
            None => Err(lost(io::ErrorKind::UnexpectedEof.into())),
        }
    }

    /// `vlu diary`'s text, worked out by the service.
    pub fn diary(&self, query: Query, format: &str, colour: bool) -> Result<String, StoreError> {
        let request = Request::Diary {
            query,
            format: format.to_owned(),
            colour,
        };
        match self.call(&request)? {
            (Reply::Text(text), _) => Ok(text),
            _ => Err(unexpected()),
        }
    }

    /// `vlu status`'s counts: overdue, today, this week.
    pub fn status(&self, query: Query) -> Result<(usize, usize, usize), StoreError> {
        match self.call(&Request::Status(query))? {
            (Reply::Counts(overdue, today, week), _) => Ok((overdue, today, week)),
            _ => Err(unexpected()),
        }
    }
}

/// A connection that has said hello and asked for the news.
/// A connection subscribed to the news, once the service has it on its list: its first
/// word (who is in, sent to every subscriber as one joins) says so, and is returned with it.
/// A change made after this returns is never missed.
/// What a reply on a subscription says, as the unit's news (`None`: nothing a screen
/// listens for).
fn news_of(reply: Reply) -> Option<News> {
    Some(match reply {
        Reply::News(change) => News::Changed {
            changed: change.changed(),
            by: change.by,
        },
        Reply::Present(users) => News::Present(users),
        Reply::Reload => News::Reload,
        Reply::Failed(said) => News::Lost(said),
        _ => return None,
    })
}

fn subscription(dir: &Path) -> Result<(UnixStream, Reply), StoreError> {
    let Some(Hello { mut stream, .. }) = hello(dir)? else {
        return Err(StoreError::Unavailable("no unit service is running".into()));
    };
    let gone = |e: io::Error| StoreError::Unavailable(e.to_string());
    send(&mut stream, &Request::Subscribe, &[]).map_err(gone)?;
    match receive::<Reply>(&mut stream).map_err(gone)? {
        Some((first, _)) => Ok((stream, first)),
        None => Err(gone(io::ErrorKind::UnexpectedEof.into())),
    }
}

/// Why an import through the service did not happen.
#[derive(Debug)]
pub enum ImportFailed {
    /// The file's problems: nothing was imported.
    Invalid(Vec<crate::domain::validate::Problem>),
    Store(StoreError),
}

impl Client {
    /// A caseload file into the store, all or nothing: sent as it is read, never held.
    pub fn import(&self, mut file: Source, replace: bool) -> Result<ImportSummary, ImportFailed> {
        let request = Request::Import { replace };
        let unreadable = |e: io::Error| {
            ImportFailed::Store(StoreError::Io {
                action: "read the file to import",
                path: self.dir.clone(),
                source: e,
            })
        };
        let len = file.size().map_err(unreadable)?;
        let mut reader = file.reader().map_err(unreadable)?;
        let mut stream = self.stream.lock().unwrap_or_else(PoisonError::into_inner);
        let lost = |source: io::Error| StoreError::Unavailable(source.to_string());
        let sent = send_from(&mut *stream, &request, &mut reader, len);
        // A service that refused the file before reading it all has said why, even if the
        // rest could not be sent.
        let answer = match (sent, receive::<Reply>(&mut *stream)) {
            (_, Ok(Some(answer))) => Some(answer),
            (Err(e), _) | (Ok(()), Err(e)) => return Err(ImportFailed::Store(lost(e))),
            (Ok(()), Ok(None)) => None,
        };
        match answer {
            Some((Reply::Imported(summary), _)) => Ok(summary),
            Some((Reply::Invalid(problems), _)) => Err(ImportFailed::Invalid(problems)),
            Some((Reply::Failed(why), _)) => Err(ImportFailed::Store(StoreError::Remote(why))),
            Some((other, _)) => Err(ImportFailed::Store(
                refusal(&other).unwrap_or_else(unexpected),
            )),
            None => Err(ImportFailed::Store(lost(
                io::ErrorKind::UnexpectedEof.into(),
            ))),
        }
    }

    /// One case with its victims and their logs, for the unit it moves to, and the case's
    /// version (a manager's or administrator's; the service records the disclosure).
    /// `None` where there is no such case.
    pub fn export_case(
        &self,
        case: &str,
        transfer_to: Option<&str>,
    ) -> Result<Option<(crate::domain::model::Caseload, u64)>, StoreError> {
        let request = Request::ExportCase {
            case: case.to_owned(),
            transfer_to: transfer_to.map(str::to_owned),
        };
        match self.call(&request)? {
            (Reply::CaseExport(found), _) => Ok(found.map(|b| *b)),
            _ => Err(unexpected()),
        }
    }

    /// The ids already in the store, against which a file to import is checked.
    pub fn known_ids(&self) -> Result<crate::domain::validate::KnownIds, StoreError> {
        match self.call(&Request::KnownIds)? {
            (Reply::KnownIds(known), _) => Ok(*known),
            _ => Err(unexpected()),
        }
    }

    /// The whole store as a caseload file, written to `out` as it arrives.
    pub fn export(&self, out: &mut dyn std::io::Write) -> Result<(), StoreError> {
        let mut stream = self.stream.lock().unwrap_or_else(PoisonError::into_inner);
        let lost = |source| StoreError::Io {
            action: "talk to the unit service",
            path: "its socket".into(),
            source,
        };
        send(&mut *stream, &Request::Export, &[]).map_err(lost)?;
        loop {
            match receive::<Reply>(&mut *stream).map_err(lost)? {
                Some((Reply::Chunk, bytes)) => out.write_all(&bytes).map_err(lost)?,
                Some((Reply::Done, _)) => return Ok(()),
                Some((Reply::Failed(why), _)) => return Err(StoreError::Remote(why)),
                Some((reply, _)) => return Err(refusal(&reply).unwrap_or_else(unexpected)),
                None => return Err(unexpected()),
            }
        }
    }

    /// `vlu check` by the service: the sentence saying the store is sound, or its problems.
    pub fn check(&self) -> Result<Result<String, Vec<String>>, StoreError> {
        match self.call(&Request::Check)? {
            (Reply::Checked(checked), _) => Ok(checked),
            _ => Err(unexpected()),
        }
    }

    /// A backup now; where it was written.
    pub fn backup(&self) -> Result<String, StoreError> {
        match self.call(&Request::Backup)? {
            (Reply::Text(path), _) => Ok(path),
            _ => Err(unexpected()),
        }
    }

    /// Stops the service.
    pub fn stop(&self) -> Result<(), StoreError> {
        self.call(&Request::Stop).map(drop)
    }
}

/// A refusal as the store in this process would have said it: the same error, typed.
fn refusal(reply: &Reply) -> Option<StoreError> {
    Some(match reply {
        Reply::Refused(why) => StoreError::Refused(why.clone()),
        Reply::Forbidden(why) => StoreError::Forbidden { why: why.clone() },
        Reply::NotFound { noun, id } => StoreError::not_found(*noun, id),
        Reply::InvalidRecord(problems) => StoreError::Invalid(problems.clone()),
        _ => return None,
    })
}

fn unexpected() -> StoreError {
    StoreError::Remote("the unit service answered something else".into())
}

impl UnitStore for Client {
    /// What a screen shows of the unit, as the service (which keeps it worked out) says.
    fn window(
        &self,
        ask: &crate::unit::window::Ask,
    ) -> Result<crate::unit::window::Window, StoreError> {
        match self.call(&Request::Window(Box::new(ask.clone())))? {
            (Reply::Window(window), _) => Ok(*window),
            (reply, _) => Err(refusal(&reply).unwrap_or_else(unexpected)),
        }
    }

    fn load_digest(&self) -> Result<Digest, StoreError> {
        match self.call(&Request::LoadDigest)? {
            (Reply::Head(head), tail) => Digest::unpack(*head, &tail),
            _ => Err(unexpected()),
        }
    }

    fn snoozes(&self) -> Result<Vec<Snooze>, StoreError> {
        match self.call(&Request::Snoozes)? {
            (Reply::Snoozes(s), _) => Ok(s),
            _ => Err(unexpected()),
        }
    }

    fn victim(&self, id: &str) -> Result<Option<Victim>, StoreError> {
        match self.call(&Request::Victim(id.to_owned()))? {
            (Reply::Victim(v), _) => Ok(v.map(|v| *v)),
            _ => Err(unexpected()),
        }
    }

    fn case(&self, id: &str) -> Result<Option<Case>, StoreError> {
        match self.call(&Request::Case(id.to_owned()))? {
            (Reply::Case(c), _) => Ok(c.map(|c| *c)),
            _ => Err(unexpected()),
        }
    }

    fn execute(&self, command: &Command) -> Result<Saved, StoreError> {
        match self.call(&Request::Command(command.clone()))? {
            (Reply::Saved(wire, fresh), _) => Ok(Saved {
                changed: wire.changed(),
                fresh: *fresh,
            }),
            _ => Err(unexpected()),
        }
    }

    fn fresh(&self, changed: &Changed) -> Result<Fresh, StoreError> {
        match self.call(&Request::Fresh(ChangedWire::of(changed, "")))? {
            (Reply::Fresh(fresh), _) => Ok(*fresh),
            _ => Err(unexpected()),
        }
    }

    fn whole_victim(&self, id: &str) -> Result<Option<Fresh>, StoreError> {
        match self.call(&Request::WholeVictim(id.to_owned()))? {
            (Reply::Fresh(fresh), _) if fresh.victims.is_empty() => Ok(None),
            (Reply::Fresh(fresh), _) => Ok(Some(*fresh)),
            _ => Err(unexpected()),
        }
    }

    fn stamp(&self, record: Record, id: &str) -> Result<Stamp, StoreError> {
        match self.call(&Request::Stamp(record, id.to_owned()))? {
            (Reply::Stamp(stamp), _) => Ok(stamp),
            _ => Err(unexpected()),
        }
    }

    fn record_reveal(&self, victim: &str) -> Result<(), StoreError> {
        self.done(&Request::Reveal(victim.to_owned()))
    }

    fn record_consultation(&self, victim: &str) -> Result<(), StoreError> {
        self.done(&Request::Consult(victim.to_owned()))
    }

    fn record_disclosure(&self, disclosure: &Disclosure) -> Result<(), StoreError> {
        self.done(&Request::Disclose(disclosure.clone()))
    }
    fn report(&self, ask: &ReportAsk) -> Result<Report, StoreError> {
        match self.call(&Request::Report(Box::new(ask.clone())))? {
            (Reply::Report(report), _) => Ok(*report),
            _ => Err(unexpected()),
        }
    }
}

impl Client {
    /// A request answered with [`Reply::Done`].
    fn done(&self, request: &Request) -> Result<(), StoreError> {
        match self.call(request)? {
            (Reply::Done, _) => Ok(()),
            _ => Err(unexpected()),
        }
    }
}

impl Client {
    /// An erasure, and with `purge_backups` the same taken out of every backup.
    pub fn erase_everywhere(
        &self,
        target: &Target,
        reason: Reason,
        purge_backups: bool,
    ) -> Result<Erased, StoreError> {
        let request = Request::Erase {
            target: target.clone(),
            reason,
            purge_backups,
        };
        match self.call(&request)? {
            (Reply::Erased(erased), _) => Ok(erased),
            _ => Err(unexpected()),
        }
    }
}

impl UnitAdmin for Client {
    fn erase(&self, target: &Target, reason: Reason) -> Result<Erased, StoreError> {
        self.erase_everywhere(target, reason, false)
    }

    fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        match self.call(&Request::Audit(query.clone()))? {
            (Reply::Audit(entries), _) => Ok(entries),
            _ => Err(unexpected()),
        }
    }

    fn subject_access(&self, victim: &str) -> Result<Option<SubjectAccess>, StoreError> {
        match self.call(&Request::SubjectAccess(victim.to_owned()))? {
            (Reply::SubjectAccess(found), _) => Ok(found.map(|s| *s)),
            _ => Err(unexpected()),
        }
    }
}
