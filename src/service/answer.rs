//! A client's requests, answered: each read in bounded steps, decided by the one table of who
//! may do what ([`super::access`]) before anything it carries is read, and answered in the
//! name of the person the kernel says is speaking — passed with the request, never taken
//! from the request's body or left on shared state for the next one.

use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use super::door::FRAME_DEADLINE;
use super::identity;
use super::outputs;
use super::proto::{
    ChangedWire, MAX_IMPORT, MAX_REQUEST, Reply, Request, frame_start, receive_message,
    receive_tail_into, send, tail_length,
};
use super::shared::{BROKEN, STOPPING, Shared, broadcast, failure, lock, reply, stop, subscribed};
use crate::store::Store;
use crate::unit::access::{self, Action, Role};
use crate::unit::command::Actor;

/// The requests of one connection, until it goes (or subscribes to the news).
pub(super) fn requests(shared: &Arc<Shared>, stream: &mut UnixStream, user: &str) {
    loop {
        // Waiting for the next request has no deadline (a screen may sit for hours); a
        // request begun must arrive whole within [`FRAME_DEADLINE`].
        let _ = stream.set_read_timeout(None);
        let Ok(Some(len)) = frame_start(stream) else {
            return;
        };
        let _ = stream.set_read_timeout(Some(FRAME_DEADLINE));
        let request = match receive_message::<Request>(stream, len, MAX_REQUEST) {
            Ok(Some(request)) => request,
            Ok(None) => {
                let _ = send(stream, &Reply::Refused(too_large(len, MAX_REQUEST)), &[]);
                return;
            }
            Err(_) => return,
        };
        let Ok(tail) = tail_length(stream) else {
            return;
        };
        if request == Request::Subscribe && tail == 0 {
            if let Ok(stream) = stream.try_clone() {
                subscribed(shared, stream);
            }
            return;
        }
        let began = Instant::now();
        let kind = request.kind();
        // Who may do it is decided before anything the request carries is read.
        let acting = match shared.answering(|| decide(shared, user, &request)) {
            Ok(acting) => acting,
            Err(refusal) => {
                logged(kind, user, began, refusal.outcome());
                let sent = send(stream, &refusal, &[]);
                if sent.is_err() || tail > 0 {
                    return;
                }
                continue;
            }
        };
        let most = if matches!(request, Request::Import { .. }) {
            MAX_IMPORT
        } else {
            0
        };
        let tail = match spooled(stream, tail, most, &shared.dir) {
            Ok(tail) => tail,
            Err(refusal) => {
                logged(kind, user, began, "refused");
                let _ = send(stream, &refusal, &[]);
                return;
            }
        };
        let sent = shared.answering(|| answer_one(shared, &acting, stream, request, tail.as_ref()));
        logged(
            kind,
            user,
            began,
            sent.as_ref().map_or("not delivered", |outcome| outcome),
        );
        if sent.is_err() {
            return;
        }
    }
}

/// A request's tail of `len` bytes (an import's file), copied as it arrives into an unnamed
/// file beside the store: read from there twice, never held in memory, and gone once closed,
/// even after a crash. `None` when there is no tail; a refusal when it is over `most` (nothing
/// read) or could not be kept.
fn spooled(
    stream: &mut UnixStream,
    len: u32,
    most: u32,
    dir: &std::path::Path,
) -> Result<Option<std::fs::File>, Reply> {
    if len == 0 {
        return Ok(None);
    }
    if len > most {
        return Err(Reply::Refused(too_large(len, most)));
    }
    let not_kept = |why: String| {
        Reply::Failed(format!(
            "the unit service could not keep the file to import ({why}); nothing was imported"
        ))
    };
    // Room for the file, and for the import after it (a store takes about three times its
    // file): refused now, with the figures, rather than half-way.
    if let Err(e) = Store::ensure_room(dir, 4 * u64::from(len)) {
        // The file is read and let go, so that the client, still sending it, hears why.
        let _ = std::io::copy(
            &mut std::io::Read::take(&mut *stream, u64::from(len)),
            &mut std::io::sink(),
        );
        return Err(Reply::Failed(format!("{e}; nothing was imported")));
    }
    let mut file = tempfile::tempfile_in(dir).map_err(|e| not_kept(e.to_string()))?;
    match receive_tail_into(stream, len, most, &mut file) {
        Ok(_) => Ok(Some(file)),
        Err(e) => Err(not_kept(e.to_string())),
    }
}

/// One request in the service's log: its kind, who asked, how long it took, how it ended.
fn logged(kind: &str, user: &str, began: Instant, outcome: &str) {
    let ms = began.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(request = %kind, user = %user, ms = %format!("{ms:.1}"), outcome = %outcome, "answered");
}

/// The sentence refusing a request or a tail of `len` bytes, over `most`.
fn too_large(len: u32, most: u32) -> String {
    let mib = |n: u32| f64::from(n) / f64::from(1u32 << 20);
    if most == 0 {
        return "that request carries data it has no use for, so it was not read".into();
    }
    format!(
        "that request is {:.1} MiB, more than the {:.0} MiB the unit service reads, so it was \
         not read (an import's file may be up to {:.0} MiB)",
        mib(len),
        mib(most),
        mib(MAX_IMPORT)
    )
}

/// Who is asking, and whether they may: the one decision of the table ([`access`]); a
/// refusal is `Reply::Forbidden`.
fn decide(shared: &Shared, user: &str, request: &Request) -> Result<Actor, Reply> {
    let guard = lock(&shared.store);
    let Some(store) = guard.as_ref() else {
        return Err(Reply::Failed(STOPPING.into()));
    };
    let head = shared.head(store).map_err(|e| failure(&e))?;
    let role = role_in(shared, user, &head.officers);
    let action = action_of(store, request);
    if !access::allowed(action, role) {
        return Err(Reply::Forbidden(access::refusal(user, role, action)));
    }
    let officer = shared.config.officer_for(user);
    let officer = head
        .officers
        .iter()
        .any(|o| o.id == officer)
        .then(|| officer.to_owned());
    Ok(Actor {
        user: user.to_owned(),
        officer,
    })
}

/// What `user` is to the unit, as the caseload says now.
pub(super) fn role(shared: &Shared, user: &str) -> Result<Role, String> {
    let guard = lock(&shared.store);
    let Some(store) = guard.as_ref() else {
        return Err(STOPPING.into());
    };
    let head = shared.head(store).map_err(|e| e.to_string())?;
    Ok(role_in(shared, user, &head.officers))
}

fn role_in(shared: &Shared, user: &str, officers: &[crate::domain::model::Officer]) -> Role {
    let is_owner = identity::user_name(shared.owner).as_deref() == Some(user);
    let mapped = shared.config.officers.get(user).map(String::as_str);
    identity::role_of(is_owner, mapped.or(is_owner.then_some(user)), officers)
}

/// What a request does, for the table: a save that gives a victim to another officer is a
/// reallocation, and one that marks a case transferred a transfer, whichever request
/// carries it.
fn action_of(store: &Store, request: &Request) -> Action {
    match request {
        Request::Hello { .. }
        | Request::Subscribe
        | Request::LoadDigest
        | Request::Window(_)
        | Request::Snoozes
        | Request::Stamp(..)
        | Request::Diary { .. }
        | Request::Status(_) => Action::ReadUnit,
        Request::Victim(_) | Request::Case(_) | Request::Fresh(_) | Request::WholeVictim(_) => {
            Action::ReadRecord
        }
        Request::Command(command) => command.action(store),
        Request::Reveal(_) | Request::Consult(_) | Request::Disclose(_) => Action::Note,
        Request::ExportCase { .. } => Action::ExportCase,
        Request::Report(_) => Action::Report,
        Request::Import { .. }
        | Request::KnownIds
        | Request::Export
        | Request::Check
        | Request::Backup
        | Request::Stop
        | Request::Erase { .. }
        | Request::Audit(_)
        | Request::SubjectAccess(_) => Action::Administer,
    }
}

/// Answers one request on a client's connection.
fn answer_one(
    shared: &Arc<Shared>,
    acting: &Actor,
    stream: &mut UnixStream,
    request: Request,
    tail: Option<&std::fs::File>,
) -> std::io::Result<&'static str> {
    match request {
        Request::Export => outputs::export(shared, &acting.user, stream).map(|()| "ok"),
        Request::Stop => {
            let sent = send(stream, &Reply::Done, &[]);
            stop(shared);
            sent.map(|()| "ok")
        }
        request => {
            let (reply, tail) = answer_or_recover(shared, acting, request, tail);
            send(stream, &reply, &tail).map(|()| reply.outcome())
        }
    }
}

/// One request answered. If the engine itself failed — it keeps such a failure (a full disk met,
/// by this write or by its own background flush) for as long as the store is open — the
/// store is closed and opened again, which recovers it, and the request tried once more;
/// if the store cannot be opened again, the service stops, and the next vlu starts another.
fn answer_or_recover(
    shared: &Shared,
    acting: &Actor,
    request: Request,
    tail: Option<&std::fs::File>,
) -> (Reply, Vec<u8>) {
    let answered = answer(shared, acting, request.clone(), tail);
    if !BROKEN.swap(false, Ordering::SeqCst) {
        return answered;
    }
    let mut guard = lock(&shared.store);
    guard.take();
    let reopened = crate::store::Place::configured(&shared.config.store)
        .and_then(|place| Store::open_at(&shared.dir, &place, &identity::current_user()));
    match reopened {
        Ok(store) => {
            *guard = Some(store);
            shared.forget_digest();
        }
        Err(e) => {
            drop(guard);
            stop(shared);
            return (Reply::Failed(e.to_string()), Vec::new());
        }
    }
    drop(guard);
    let again = answer(shared, acting, request, tail);
    if BROKEN.swap(false, Ordering::SeqCst) {
        stop(shared);
    }
    again
}

/// One request, answered; a write's news sent to every screen once it is durable.
fn answer(
    shared: &Shared,
    acting: &Actor,
    request: Request,
    tail: Option<&std::fs::File>,
) -> (Reply, Vec<u8>) {
    let guard = lock(&shared.store);
    let Some(store) = guard.as_ref() else {
        return (Reply::Failed(STOPPING.into()), Vec::new());
    };
    // A handle in this person's name, for this request alone.
    let store = &store.acting_as(&acting.user);
    // An import that failed for lack of room is undone as soon as there is room again.
    if let Err(e) = store.settle() {
        return (failure(&e), Vec::new());
    }
    let written = match request {
        Request::Command(command) => command.in_name_of(acting).run(store),
        Request::Erase {
            target,
            reason,
            purge_backups,
        } => {
            let erased = store.erase(&target, reason).and_then(|mut erased| {
                if purge_backups {
                    let gone = crate::store::Tombstones {
                        cases: erased.cases.iter().cloned().collect(),
                        victims: erased.victims.iter().cloned().collect(),
                    };
                    let dir = shared.config.backup.dir_for(store.dir());
                    erased.purged = Some(store.purge_backups(&dir, &gone)?);
                }
                Ok(erased)
            });
            drop(guard);
            if erased.is_ok() {
                // Records went: every screen reads the caseload again.
                shared.forget_digest();
                broadcast(shared, &Reply::Reload);
            }
            return reply(erased.map(Reply::Erased));
        }
        read => return outputs::read(shared, store, acting, read, tail),
    };
    let changed = match written {
        Ok(changed) => changed,
        Err(e) => {
            shared.forget_digest();
            return (failure(&e), Vec::new());
        }
    };
    // The records as they now are: what is kept takes them in before any screen hears of
    // the change (its window would otherwise be worked out without it), and the writer has
    // them in its reply.
    let fresh = outputs::fresh(store, &changed);
    shared.changed(store, fresh.as_ref().ok());
    drop(guard);
    let wire = ChangedWire::of(&changed, &acting.user);
    broadcast(shared, &Reply::News(wire.clone()));
    reply(fresh.map(|f| Reply::Saved(wire, Box::new(f))))
}
