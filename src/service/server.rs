//! `vlu serve`: one process owns the store; every vlu on the unit's machine is its client.
//!
//! sled admits one process per store, so the shape is tmux's server or `PostgreSQL`'s local
//! socket: the service opens the store (and holds its lock), listens on a Unix socket in the
//! data directory, and serves each client on a thread of its own. Requests that write are
//! made one at a time, under the store's mutex, each in the name of the client's OS user —
//! who comes from the kernel (`SO_PEERCRED`), never from the environment. After each durable
//! write every subscribed screen is sent what changed, through a bounded queue of its own: a
//! frozen terminal never holds up the service or anyone else; when its queue overflows it is
//! told to read everything again.

use std::collections::BTreeMap;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::proto::{ChangedWire, PROTOCOL, Query, Reply, Request, receive, send};
use super::{identity, socket_path};
use crate::cli::status::Counts;
use crate::cli::{Format, items_of, render};
use crate::config::Config;
use crate::domain::reminders::{DiaryItem, DiaryQuery};
use crate::error::Error;
use crate::store::{Digest, Disclosure, Store, StoreError};

/// What a request meets once the service is stopping.
pub const STOPPING: &str = "the unit service is stopping; try again in a moment";

/// How many changes wait for a slow screen before it is told to reload instead.
const QUEUE: usize = 256;

/// What `vlu serve` is told.
#[derive(Debug, Clone)]
pub struct Options {
    /// Stop after this long with no client (never, if `None`).
    pub idle: Option<Duration>,
    /// Leave the terminal's session: started by a vlu in the background, the service must
    /// not end when that terminal closes.
    pub detach: bool,
}

/// A subscribed screen: its queue, and whether it overflowed.
struct Subscriber {
    queue: SyncSender<Reply>,
    lagging: Arc<AtomicBool>,
}

struct Shared {
    dir: PathBuf,
    /// The listening socket (a second handle), for `stop` to shut down.
    listener: Mutex<Option<UnixListener>>,
    /// The digest as last read, for the diary and status: read again after any change.
    digest: Mutex<Option<Arc<Digest>>>,
    /// The store, until the service stops (then `None`: the store closed and its lock let
    /// go before the socket goes, so that a new service can open it at once).
    store: Mutex<Option<Store>>,
    config: Config,
    socket: PathBuf,
    /// The OS user who owns the data directory: its admin when no users are mapped.
    owner: u32,
    subscribers: Mutex<Vec<Subscriber>>,
    /// Who is connected, by connection.
    present: Mutex<BTreeMap<u64, String>>,
    next_connection: AtomicU64,
    /// Requests being answered now.
    answering: std::sync::atomic::AtomicUsize,
    stopping: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs the service on the store in `dir` until SIGTERM (or SIGINT, SIGHUP), or until it
/// has had no client for `options.idle`.
pub fn serve(dir: &Path, config: Config, options: &Options) -> Result<(), Error> {
    if options.detach {
        // Its own session: no controlling terminal, so no hang-up when that terminal goes.
        let _ = rustix::process::setsid();
    }
    let store = Store::open(dir, &crate::service::identity::current_user())?;
    // The day's backup, as the screens took it when they owned the store.
    let backups = config.backup.dir_for(dir);
    let taken = Store::backup_due(&backups).and_then(|due| {
        if due {
            store.backup(&backups, config.backup.keep).map(drop)
        } else {
            Ok(())
        }
    });
    if let Err(e) = taken {
        eprintln!("vlu: warning: the daily backup was not taken: {e}");
    }
    let socket = socket_path(dir);
    let listener = bind(&socket)?;
    let owner = identity::owner_of(dir).map_err(|source| Error::Read {
        path: dir.to_owned(),
        source,
    })?;
    let shared = Arc::new(Shared {
        dir: dir.to_owned(),
        listener: Mutex::new(listener.try_clone().ok()),
        digest: Mutex::new(None),
        store: Mutex::new(Some(store)),
        config,
        socket: socket.clone(),
        owner,
        subscribers: Mutex::new(Vec::new()),
        present: Mutex::new(BTreeMap::new()),
        next_connection: AtomicU64::new(0),
        answering: std::sync::atomic::AtomicUsize::new(0),
        stopping: AtomicBool::new(false),
    });
    stop_on_signals(&shared);
    let idle = options.idle;
    if let Some(idle) = idle {
        stop_if_idle(&shared, idle);
    }
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else {
            // (An accept that failed for a passing reason is tried again; a shut down
            // listener fails every time, and `stopping` is set.)
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        // Counted here, as it is accepted: an idle stop that was about to happen sees it.
        let id = shared.next_connection.fetch_add(1, Ordering::SeqCst);
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            serve_client(&shared, stream, id);
            lock(&shared.present).remove(&id);
            announce_present(&shared);
            if let Some(idle) = idle {
                stop_if_idle(&shared, idle);
            }
        });
    }
    // Requests in hand are answered before the store closes (at most half a minute).
    let start = std::time::Instant::now();
    while shared.answering.load(Ordering::SeqCst) > 0 && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(10));
    }
    // The store is flushed after every write; closing it here ends sled cleanly and lets
    // go of its lock. Then the socket goes: once it has, the store is free. (sled's close
    // waits for its own threads; one seen stuck for ever after a failure is given five
    // seconds, and then the process ends anyway, which frees the lock: nothing unsaved is
    // lost, every write having been flushed before it was acknowledged.)
    if let Some(store) = lock(&shared.store).take() {
        let (closed, done) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            drop(store);
            let _ = closed.send(());
        });
        let _ = done.recv_timeout(Duration::from_secs(5));
    }
    let _ = std::fs::remove_file(&socket);
    Ok(())
}

/// Binds the socket, replacing a stale one (a file no service answers on).
fn bind(socket: &Path) -> Result<UnixListener, Error> {
    if UnixStream::connect(socket).is_ok() {
        return Err(Error::Usage(format!(
            "a vlu service is already running on {}",
            socket.display()
        )));
    }
    let _ = std::fs::remove_file(socket);
    let listener = UnixListener::bind(socket).map_err(|source| Error::Write {
        path: socket.to_owned(),
        source,
    })?;
    share_with_group(socket).map_err(|source| Error::Write {
        path: socket.to_owned(),
        source,
    })?;
    Ok(listener)
}

/// A data directory the unit's group may enter (`2770`): the socket is opened to the group
/// too, so its members can connect (who they are is still asked of the kernel). Otherwise
/// it stays its owner's alone.
fn share_with_group(socket: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let Some(dir) = socket.parent() else {
        return Ok(());
    };
    let shared = std::fs::metadata(dir)?.permissions().mode() & 0o070 == 0o070;
    let mode = if shared { 0o660 } else { 0o600 };
    std::fs::set_permissions(socket, std::fs::Permissions::from_mode(mode))
}

/// Stops the service on SIGTERM, SIGINT or SIGHUP: no new client, the write in hand
/// finished, the socket removed, exit 0.
fn stop_on_signals(shared: &Arc<Shared>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP]) else {
        return;
    };
    let shared = Arc::clone(shared);
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            stop(&shared);
        }
    });
}

/// Wakes the accept loop so that it sees `stopping`.
fn stop(shared: &Shared) {
    shared.stopping.store(true, Ordering::SeqCst);
    // Shutting the listening socket down wakes the accept loop even when its socket file is
    // gone (a data directory removed under the service): it then ends, rather than waiting
    // for ever for a client that can no longer come.
    if let Some(listener) = lock(&shared.listener).as_ref() {
        let _ = rustix::net::shutdown(listener, rustix::net::Shutdown::Read);
    }
    let _ = UnixStream::connect(&shared.socket);
}

/// After `idle` with nobody connected, stops the service.
fn stop_if_idle(shared: &Arc<Shared>, idle: Duration) {
    if !lock(&shared.present).is_empty() {
        return;
    }
    let shared = Arc::clone(shared);
    let seen = shared.next_connection.load(Ordering::SeqCst);
    std::thread::spawn(move || {
        std::thread::sleep(idle);
        let nobody_came = shared.next_connection.load(Ordering::SeqCst) == seen;
        if nobody_came && lock(&shared.present).is_empty() {
            stop(&shared);
        }
    });
}

/// One client: who it is, its hello, then its requests until it goes.
fn serve_client(shared: &Arc<Shared>, mut stream: UnixStream, id: u64) {
    if shared.stopping.load(Ordering::SeqCst) {
        return;
    }
    // Who is speaking is asked of the kernel before any request is read.
    let user = match identity::peer(&stream)
        .and_then(|uid| identity::admit(uid, shared.owner, &shared.config))
    {
        Ok(user) => user,
        Err(sentence) => {
            if let Some(store) = lock(&shared.store).as_ref() {
                let _ = store.record_refusal(&sentence);
            }
            let _ = send(&mut stream, &Reply::Refused(sentence), &[]);
            return;
        }
    };
    match receive::<Request>(&mut stream) {
        Ok(Some((Request::Hello { protocol, version }, _))) if protocol == PROTOCOL => {
            let _ = version;
        }
        Ok(Some((Request::Hello { protocol, version }, _))) => {
            let sentence = format!(
                "this vlu ({version}) speaks protocol {protocol}, but the running service \
                 (vlu {}) speaks {PROTOCOL}: stop the service (vlu serve --stop, or close \
                 every vlu and wait a minute) and start vlu again",
                env!("CARGO_PKG_VERSION")
            );
            let _ = send(&mut stream, &Reply::Refused(sentence), &[]);
            return;
        }
        _ => return,
    }
    lock(&shared.present).insert(id, user.clone());
    let others = present_others(shared, id);
    if send(
        &mut stream,
        &Reply::Welcome {
            user: user.clone(),
            others,
        },
        &[],
    )
    .is_err()
    {
        return;
    }
    announce_present(shared);
    while let Ok(Some((request, tail))) = receive::<Request>(&mut stream) {
        if request == Request::Subscribe {
            subscribed(shared, stream);
            return;
        }
        shared.answering.fetch_add(1, Ordering::SeqCst);
        let sent = answer_one(shared, &user, &mut stream, request, &tail);
        shared.answering.fetch_sub(1, Ordering::SeqCst);
        if sent.is_err() {
            return;
        }
    }
}

/// Answers one request on a client's connection.
fn answer_one(
    shared: &Arc<Shared>,
    user: &str,
    stream: &mut UnixStream,
    request: Request,
    tail: &[u8],
) -> std::io::Result<()> {
    match request {
        Request::Import { .. }
        | Request::KnownIds
        | Request::Export
        | Request::Check
        | Request::Backup
        | Request::Stop
        | Request::Erase { .. }
        | Request::Audit(_)
        | Request::SubjectAccess(_)
            if !is_admin(shared, user) =>
        {
            let why = format!(
                "{user} may not do that: importing, exporting, checking, backing up, erasing, \
                 reading the audit trail, answering a subject access request and stopping \
                 the service are for the unit's administrators"
            );
            send(stream, &Reply::Refused(why), &[])
        }
        Request::Report(_) if !may_report(shared, user) => {
            let why = format!(
                "{user} may not make the monitoring return: it is for the unit's managers and \
                 administrators"
            );
            send(stream, &Reply::Refused(why), &[])
        }
        Request::Reallocate(_) if !may_manage(shared, user) => {
            send(stream, &Reply::Refused(not_a_manager(user)), &[])
        }
        Request::SaveVictim { ref victim, .. }
            if moves_allocation(shared, victim) && !may_manage(shared, user) =>
        {
            send(stream, &Reply::Refused(not_a_manager(user)), &[])
        }
        Request::Export => export(shared, stream),
        Request::Stop => {
            let sent = send(stream, &Reply::Done, &[]);
            stop(shared);
            sent
        }
        request => {
            let (reply, tail) = answer_or_recover(shared, user, request, tail);
            send(stream, &reply, &tail)
        }
    }
}

/// Whether `user` may import, export, check, back up and stop the service: the owner of
/// the data directory (who owns the store's files, and so could anyway), and any officer
/// whose role is `admin`.
fn is_admin(shared: &Shared, user: &str) -> bool {
    if crate::service::identity::user_name(shared.owner).as_deref() == Some(user) {
        return true;
    }
    let Some(officer) = shared.config.officers.get(user) else {
        return false;
    };
    let store = lock(&shared.store);
    let Some(store) = store.as_ref() else {
        return false;
    };
    store.load_head().is_ok_and(|head| {
        head.officers
            .iter()
            .any(|o| &o.id == officer && o.role == Some(crate::domain::enums::OfficerRole::Admin))
    })
}

/// Whether `user` may make the monitoring return (`identity::may_report`).
fn may_report(shared: &Shared, user: &str) -> bool {
    let owner = crate::service::identity::user_name(shared.owner).as_deref() == Some(user);
    let officer = shared.config.officer_for(user);
    let store = lock(&shared.store);
    let Some(store) = store.as_ref() else {
        return false;
    };
    store
        .load_head()
        .is_ok_and(|head| identity::may_report(owner, officer, &head.officers))
}

fn not_a_manager(user: &str) -> String {
    format!("{user} may not reallocate victims: that is for the unit's managers")
}

/// Whether `user` may reallocate: an administrator, an officer whose role is `manager`, or
/// anyone while the unit has named no manager or administrator yet.
fn may_manage(shared: &Shared, user: &str) -> bool {
    use crate::domain::enums::OfficerRole;
    if is_admin(shared, user) {
        return true;
    }
    let store = lock(&shared.store);
    let Some(head) = store.as_ref().and_then(|s| s.load_head().ok()) else {
        return false;
    };
    let roles_set = head
        .officers
        .iter()
        .any(|o| matches!(o.role, Some(OfficerRole::Manager | OfficerRole::Admin)));
    let officer = shared.config.officers.get(user);
    !roles_set
        || head
            .officers
            .iter()
            .any(|o| Some(&o.id) == officer && o.role == Some(OfficerRole::Manager))
}

/// Whether a victim's save gives them to another officer.
fn moves_allocation(shared: &Shared, victim: &crate::domain::model::Victim) -> bool {
    let store = lock(&shared.store);
    store
        .as_ref()
        .and_then(|s| s.victim(&victim.id).ok().flatten())
        .is_some_and(|before| before.allocated_to != victim.allocated_to)
}

/// The export, streamed in chunks of a mebibyte: a large unit is never held whole.
fn export(shared: &Shared, stream: &mut UnixStream) -> std::io::Result<()> {
    let guard = lock(&shared.store);
    let Some(store) = guard.as_ref() else {
        return send(stream, &Reply::Failed(STOPPING.into()), &[]);
    };
    let mut chunks = Chunks {
        stream,
        buffer: Vec::with_capacity(CHUNK),
    };
    let written = crate::cli::export::write_export(store, &mut chunks, &|| {});
    drop(guard);
    match written {
        Ok(()) => {
            std::io::Write::flush(&mut chunks)?;
            send(chunks.stream, &Reply::Done, &[])
        }
        Err(e) => send(chunks.stream, &Reply::Failed(e.to_string()), &[]),
    }
}

const CHUNK: usize = 1024 * 1024;

/// A writer that sends what it is given as [`Reply::Chunk`] frames.
struct Chunks<'s> {
    stream: &'s mut UnixStream,
    buffer: Vec<u8>,
}

impl std::io::Write for Chunks<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.flush()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.buffer.is_empty() {
            send(self.stream, &Reply::Chunk, &self.buffer)?;
            self.buffer.clear();
        }
        Ok(())
    }
}

fn present_others(shared: &Shared, id: u64) -> Vec<String> {
    lock(&shared.present)
        .iter()
        .filter(|(other, _)| **other != id)
        .map(|(_, user)| user.clone())
        .collect()
}

/// Tells every screen who is connected now.
fn announce_present(shared: &Shared) {
    let everyone: Vec<String> = lock(&shared.present).values().cloned().collect();
    broadcast(shared, &Reply::Present(everyone));
}

/// Sends `news` to every subscribed screen without waiting for any: a full queue marks its
/// screen to reload; a closed one is dropped.
fn broadcast(shared: &Shared, news: &Reply) {
    lock(&shared.subscribers).retain(|s| match s.queue.try_send(news.clone()) {
        Ok(()) => true,
        Err(TrySendError::Full(_)) => {
            s.lagging.store(true, Ordering::SeqCst);
            true
        }
        Err(TrySendError::Disconnected(_)) => false,
    });
}

/// The rest of a subscribed connection's life: the news, as it comes.
fn subscribed(shared: &Shared, mut stream: UnixStream) {
    let (queue, news) = std::sync::mpsc::sync_channel(QUEUE);
    let lagging = Arc::new(AtomicBool::new(false));
    lock(&shared.subscribers).push(Subscriber {
        queue,
        lagging: Arc::clone(&lagging),
    });
    announce_present(shared);
    loop {
        let reply = match news.recv_timeout(Duration::from_secs(1)) {
            Ok(reply) => reply,
            // A screen that went quietly (nothing to tell it since) is noticed here: else it
            // would count as present for ever, and the service would never stop idle.
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) if gone(&stream) => return,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if send(&mut stream, &reply, &[]).is_err() {
            return;
        }
        if lagging.swap(false, Ordering::SeqCst) && send(&mut stream, &Reply::Reload, &[]).is_err()
        {
            return;
        }
    }
}

/// Whether a subscriber's end of the socket has closed (it never sends after subscribing):
/// a look at what waits to be read, without waiting.
fn gone(stream: &UnixStream) -> bool {
    use rustix::net::{RecvFlags, recv};
    let mut byte = [0u8; 1];
    match recv(stream, &mut byte, RecvFlags::PEEK | RecvFlags::DONTWAIT) {
        Ok((_, 0)) => true,
        Ok(_) => false,
        Err(e) => e != rustix::io::Errno::AGAIN && e != rustix::io::Errno::INTR,
    }
}

impl Shared {
    /// The digest the diary and status work from: kept between requests (a warm service
    /// answers without reading the store), forgotten at every change.
    fn digest(&self, store: &Store) -> Result<Arc<Digest>, StoreError> {
        let mut kept = lock(&self.digest);
        if let Some(digest) = kept.as_ref() {
            return Ok(Arc::clone(digest));
        }
        let digest = Arc::new(store.load_digest()?);
        *kept = Some(Arc::clone(&digest));
        Ok(digest)
    }

    fn forget_digest(&self) {
        lock(&self.digest).take();
    }
}

/// One request answered. If sled itself failed — it keeps such a failure (a full disk met,
/// by this write or by its own background flush) for as long as the store is open — the
/// store is closed and opened again, which recovers it, and the request tried once more;
/// if the store cannot be opened again, the service stops, and the next vlu starts another.
fn answer_or_recover(
    shared: &Shared,
    user: &str,
    request: Request,
    tail: &[u8],
) -> (Reply, Vec<u8>) {
    let answered = answer(shared, user, request.clone(), tail);
    if !BROKEN.swap(false, Ordering::SeqCst) {
        return answered;
    }
    let mut guard = lock(&shared.store);
    guard.take();
    match Store::open(&shared.dir, &crate::service::identity::current_user()) {
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
    let again = answer(shared, user, request, tail);
    if BROKEN.swap(false, Ordering::SeqCst) {
        stop(shared);
    }
    again
}

/// One request, answered; a write's news sent to every screen once it is durable.
fn answer(shared: &Shared, user: &str, request: Request, tail: &[u8]) -> (Reply, Vec<u8>) {
    let guard = lock(&shared.store);
    let Some(store) = guard.as_ref() else {
        return (Reply::Failed(STOPPING.into()), Vec::new());
    };
    store.act_as(user);
    // An import that failed for lack of room is undone as soon as there is room again.
    if let Err(e) = store.settle() {
        return (failure(&e), Vec::new());
    }
    let written = match request {
        Request::Hello { .. } | Request::Subscribe | Request::Export | Request::Stop => {
            return (
                Reply::Failed("that cannot be asked here".into()),
                Vec::new(),
            );
        }
        Request::Import { replace } => return import(shared, store, tail, replace),
        Request::Check => {
            return match crate::cli::check_store(store) {
                Ok(checked) => (Reply::Checked(checked), Vec::new()),
                Err(e) => (Reply::Failed(e.to_string()), Vec::new()),
            };
        }
        Request::Backup => {
            let dir = shared.config.backup.dir_for(store.dir());
            return reply(
                store
                    .backup(&dir, shared.config.backup.keep)
                    .map(|b| Reply::Text(b.path.display().to_string())),
            );
        }
        Request::LoadDigest => return digest(store),
        Request::KnownIds => {
            return reply(store.known_ids().map(|k| Reply::KnownIds(Box::new(k))));
        }
        Request::Snoozes => return reply(store.snoozes().map(Reply::Snoozes)),
        Request::Victim(id) => {
            return reply(store.victim(&id).map(|v| Reply::Victim(v.map(Box::new))));
        }
        Request::Case(id) => return reply(store.case(&id).map(|c| Reply::Case(c.map(Box::new)))),
        Request::Reveal(victim) => {
            return reply(store.record_reveal(&victim).map(|()| Reply::Done));
        }
        Request::Consult(victim) => {
            return reply(store.record_consultation(&victim).map(|()| Reply::Done));
        }
        Request::Disclose(disclosure) => {
            return reply(store.record_disclosure(&disclosure).map(|()| Reply::Done));
        }
        Request::Erase { target, reason } => {
            let erased = store.erase(&target, reason);
            drop(guard);
            if erased.is_ok() {
                // Records went: every screen reads the caseload again.
                shared.forget_digest();
                broadcast(shared, &Reply::Reload);
            }
            return reply(erased.map(Reply::Erased));
        }
        Request::Audit(query) => return reply(store.audit_entries(&query).map(Reply::Audit)),
        Request::SubjectAccess(victim) => {
            return reply(
                store
                    .subject_access(&victim)
                    .map(|s| Reply::SubjectAccess(s.map(Box::new))),
            );
        }
        Request::Diary {
            query,
            format,
            colour,
        } => return diary(shared, store, &query, &format, colour),
        Request::Status(query) => return status(shared, store, &query),
        Request::Report(ask) => {
            return reply(store.report(&ask).map(|r| Reply::Report(Box::new(r))));
        }
        Request::AppendContact { victim, contact } => store.append_contact(&victim, &contact),
        Request::Stamp(record, id) => return reply(store.stamp(record, &id).map(Reply::Stamp)),
        Request::SaveVictim { victim, base } => store.save_victim_from(&victim, base),
        Request::SaveVictimWithContact {
            victim,
            contact,
            base,
        } => store.save_victim_with_contact_from(&victim, &contact, base),
        Request::SaveCase { case, base, why } => store.save_case_from(&case, base, why.as_deref()),
        Request::AddVictim(victim) => store.add_victim(&victim),
        Request::AddCase(case) => store.add_case(&case),
        Request::CloseCase(closing) => store.close_case(&closing),
        Request::Reallocate(r) => store.reallocate(&r),
        Request::Snooze(snooze) => store.snooze(&snooze),
    };
    drop(guard);
    shared.forget_digest();
    match written {
        Ok(changed) => {
            let wire = ChangedWire::of(&changed, user);
            broadcast(shared, &Reply::News(wire.clone()));
            (Reply::Changed(wire), Vec::new())
        }
        Err(e) => (failure(&e), Vec::new()),
    }
}

/// An import's text, checked against the store and written; every screen told what changed
/// (everything, so each reloads).
fn import(shared: &Shared, store: &Store, tail: &[u8], replace: bool) -> (Reply, Vec<u8>) {
    let Ok(text) = std::str::from_utf8(tail) else {
        let problem = crate::domain::validate::Problem {
            path: String::new(),
            message: "the file is not UTF-8 text".into(),
        };
        return (Reply::Invalid(vec![problem]), Vec::new());
    };
    match crate::cli::import::import_text(store, text, replace) {
        Ok(Ok(summary)) => {
            shared.forget_digest();
            broadcast(shared, &Reply::Reload);
            (Reply::Imported(summary), Vec::new())
        }
        Ok(Err(problems)) => (Reply::Invalid(problems), Vec::new()),
        Err(Error::Store(e)) => (failure(&e), Vec::new()),
        Err(e) => (Reply::Failed(e.to_string()), Vec::new()),
    }
}

fn reply(result: Result<Reply, StoreError>) -> (Reply, Vec<u8>) {
    match result {
        Ok(reply) => (reply, Vec::new()),
        Err(e) => (failure(&e), Vec::new()),
    }
}

/// Set when sled itself failed (a full disk met, a write stalled): sled keeps such an error
/// for as long as the store is open, so the service stops after answering, and the next
/// vlu starts a service that opens — and recovers — the store afresh.
static BROKEN: AtomicBool = AtomicBool::new(false);

fn failure(e: &StoreError) -> Reply {
    if matches!(
        e,
        StoreError::Sled(_) | StoreError::Failed { .. } | StoreError::Stalled { .. }
    ) {
        BROKEN.store(true, Ordering::SeqCst);
    }
    match e {
        StoreError::Refused(why) => Reply::Refused(why.clone()),
        other => Reply::Failed(other.to_string()),
    }
}

/// The digest's head in the reply and its shards, packed by the store, in the tail.
fn digest(store: &Store) -> (Reply, Vec<u8>) {
    match store.digest_packed() {
        Ok((head, packed)) => (Reply::Head(Box::new(head)), packed),
        Err(e) => (failure(&e), Vec::new()),
    }
}

/// The unit's configuration with the asker's lead times and working-day changes.
fn asked(shared: &Shared, query: &Query) -> Config {
    Config {
        lead_times: query.lead,
        days: query.calendar.clone(),
        ..shared.config.clone()
    }
}

fn diary(
    shared: &Shared,
    store: &Store,
    asked_for: &Query,
    format: &str,
    colour: bool,
) -> (Reply, Vec<u8>) {
    let format = match format {
        "json" => Format::Json,
        "ics" => Format::Ics,
        _ => Format::Text,
    };
    let query = DiaryQuery {
        date: asked_for.date,
        days: asked_for.days,
        officer: asked_for.officer.as_deref(),
    };
    let config = asked(shared, asked_for);
    let worked = (|| -> Result<String, Error> {
        let digest = shared.digest(store)?;
        let snoozes = store.snoozes()?;
        let items = items_of(&digest, &config, &query)?;
        if format == Format::Ics {
            // A calendar file leaves the store for other programs: a disclosure.
            store.record_disclosure(&calendar_disclosure(&query, &items))?;
        }
        Ok(render(format, &digest, &snoozes, &query, &items, colour))
    })();
    match worked {
        Ok(text) => (Reply::Text(text), Vec::new()),
        Err(Error::Usage(why)) => (Reply::Refused(why), Vec::new()),
        Err(e) => (Reply::Failed(e.to_string()), Vec::new()),
    }
}

/// A calendar file's disclosure: the victims it names, by id.
fn calendar_disclosure(query: &DiaryQuery<'_>, items: &[DiaryItem]) -> Disclosure {
    let mut victims: Vec<String> = items.iter().map(|i| i.reminder.victim_id.clone()).collect();
    victims.sort();
    victims.dedup();
    let whose = query
        .officer
        .map_or_else(|| "the unit".to_owned(), |o| format!("officer {o}"));
    let what = format!(
        "calendar file: diary of {whose}, {} days from {}",
        query.days, query.date
    );
    Disclosure::of(&what, victims)
}

fn status(shared: &Shared, store: &Store, asked_for: &Query) -> (Reply, Vec<u8>) {
    let config = asked(shared, asked_for);
    let query = DiaryQuery {
        date: asked_for.date,
        days: config.lead_times.due_soon_days,
        officer: asked_for.officer.as_deref(),
    };
    let worked = (|| -> Result<Counts, Error> {
        let digest = shared.digest(store)?;
        let snoozes = store.snoozes()?;
        let items = items_of(&digest, &config, &query)?;
        Ok(Counts::of(&items, &snoozes, query.date))
    })();
    match worked {
        Ok(c) => (Reply::Counts(c.overdue, c.today, c.this_week), Vec::new()),
        Err(Error::Usage(why)) => (Reply::Refused(why), Vec::new()),
        Err(e) => (Reply::Failed(e.to_string()), Vec::new()),
    }
}
