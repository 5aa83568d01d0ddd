//! `vlu serve`: one process owns the store; every vlu on the unit's machine is its client.
//!
//! The embedded engine admits one process per store, so the shape is tmux's server or `PostgreSQL`'s local
//! socket: the service opens the store (and holds its lock), listens on a Unix socket in the
//! data directory, and serves each client on a thread of its own. Requests that write are
//! made one at a time, under the store's mutex, each in the name of the client's OS user —
//! who comes from the kernel (`SO_PEERCRED`), never from the environment. After each durable
//! write every subscribed screen is sent what changed, through a bounded queue of its own: a
//! frozen terminal never holds up the service or anyone else; when its queue overflows it is
//! told to read everything again.
//!
//! The socket lives in the data directory, which only the service's account may create
//! entries in (a directory its group may write to is refused, unless it is sticky): no one
//! else can put a socket of their own in its place. Or systemd listens for it (socket
//! activation, `contrib/systemd/`), and the service takes the socket it is given.

use std::collections::BTreeMap;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::door::{self, Door};
use super::identity;
use super::proto::{PROTOCOL, Reply, Request, receive_message, send};
use super::shared::{Shared, announce_present, broadcast, lock, present_others, stop};
use crate::config::Config;
use crate::error::Error;
use crate::store::Store;

/// What `vlu serve` is told.
#[derive(Debug, Clone)]
pub struct Options {
    /// Stop after this long with no client (never, if `None`).
    pub idle: Option<Duration>,
    /// Leave the terminal's session: started by a vlu in the background, the service must
    /// not end when that terminal closes.
    pub detach: bool,
}

/// Runs the service on the store in `dir` until SIGTERM (or SIGINT, SIGHUP), or until it
/// has had no client for `options.idle`.
pub fn serve(dir: &Path, config: Config, options: &Options) -> Result<(), Error> {
    if options.detach {
        // Its own session: no controlling terminal, so no hang-up when that terminal goes.
        let _ = rustix::process::setsid();
    }
    private_enough(dir)?;
    let place = crate::store::Place::configured(&config.store)?;
    let store = Store::open_at(dir, &place, &identity::current_user())?;
    daily_backup(&store, dir, &config);
    let others = store.others_writes()?;
    let socket = super::socket_path(dir);
    let (listener, activated) = match activated()? {
        Some(listener) => (listener, true),
        None => (bind(dir)?, false),
    };
    let owner = identity::owner_of(dir).map_err(|source| Error::Read {
        path: dir.to_owned(),
        source,
    })?;
    let shared = Arc::new(Shared {
        dir: dir.to_owned(),
        listener: Mutex::new(listener.try_clone().ok()),
        lens: Mutex::new(None),
        head: Mutex::new(None),
        diaries: Mutex::default(),
        seen: Mutex::default(),
        store: Mutex::new(Some(store)),
        config,
        socket: socket.clone(),
        activated,
        owner,
        subscribers: Mutex::new(Vec::new()),
        present: Mutex::new(BTreeMap::new()),
        next_connection: AtomicU64::new(0),
        last_left: Mutex::new(Instant::now()),
        answering: AtomicUsize::new(0),
        stopping: AtomicBool::new(false),
        door: Arc::new(Door::default()),
    });
    stop_on_signals(&shared);
    if let Some(others) = others {
        hear_other_services(&shared, others);
    }
    tracing::info!(
        dir = %dir.display(),
        socket_activated = activated,
        idle_seconds = options.idle.map_or(0, |d| d.as_secs()),
        "serving"
    );
    if let Some(idle) = options.idle {
        watch_idle(&shared, idle);
    }
    accept(&shared, &listener);
    close(&shared);
    tracing::info!("stopped");
    Ok(())
}

/// The day's backup, as the screens took it when they owned the store: a failure is
/// logged, and the service serves all the same.
fn daily_backup(store: &Store, dir: &Path, config: &Config) {
    if !store.embedded() {
        // A database's records are backed up by the organisation's tools.
        return;
    }
    let backups = config.backup.dir_for(dir);
    let taken = Store::backup_due(&backups).and_then(|due| {
        if due {
            store.backup(&backups, config.backup.keep).map(drop)
        } else {
            Ok(())
        }
    });
    if let Err(e) = taken {
        tracing::warn!("the daily backup was not taken: {e}");
    }
}

/// Lets each client in, on a thread of its own, until the service stops.
fn accept(shared: &Arc<Shared>, listener: &UnixListener) {
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
        let Some((user, ticket)) = at_the_door(shared, &stream) else {
            continue;
        };
        // Counted here, as it is let in: an idle stop about to happen sees it.
        let id = shared.next_connection.fetch_add(1, Ordering::SeqCst);
        let shared = Arc::clone(shared);
        std::thread::spawn(move || {
            serve_client(&shared, stream, id, &user);
            drop(ticket);
            lock(&shared.present).remove(&id);
            *lock(&shared.last_left) = Instant::now();
            announce_present(&shared);
        });
    }
}

/// The end: requests in hand answered (at most half a minute), the store closed, the socket
/// removed.
fn close(shared: &Shared) {
    let start = Instant::now();
    while shared.answering.load(Ordering::SeqCst) > 0 && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(10));
    }
    // The store is flushed after every write; closing it here ends the engine cleanly and
    // lets go of its lock. Then the socket goes: once it has, the store is free. (The engine's close
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
    if !shared.activated {
        let _ = std::fs::remove_file(&shared.socket);
    }
}

/// Refuses a data directory that others could put a socket of their own in: one its group
/// (or anyone) may write to, unless it is sticky (then only an entry's owner may remove or
/// rename it). A unit shares its directory as `2750`: the group may enter and connect.
fn private_enough(dir: &Path) -> Result<(), Error> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir)
        .map_err(|source| Error::Read {
            path: dir.to_owned(),
            source,
        })?
        .permissions()
        .mode();
    let sticky = mode & 0o1000 != 0;
    if mode & 0o022 != 0 && !sticky {
        return Err(Error::Usage(format!(
            "the data directory {} may be written to by others (mode {:04o}), who could put \
             a unit service of their own in its place: make it 2750 (chmod g-w,o-w {})",
            dir.display(),
            mode & 0o7777,
            dir.display()
        )));
    }
    Ok(())
}

/// The socket systemd is listening on for us (socket activation: `LISTEN_FDS`), if any.
fn activated() -> Result<Option<UnixListener>, Error> {
    let mut fds = listenfd::ListenFd::from_env();
    if fds.len() == 0 {
        return Ok(None);
    }
    let listener = fds.take_unix_listener(0).map_err(|source| Error::Read {
        path: "the socket systemd passed (LISTEN_FDS)".into(),
        source,
    })?;
    listener
        .ok_or_else(|| {
            Error::Usage(
                "systemd passed a socket that is not a Unix stream socket (LISTEN_FDS)".into(),
            )
        })
        .map(Some)
}

/// Binds the socket in the data directory, replacing a stale one (a file no service
/// answers on).
fn bind(dir: &Path) -> Result<UnixListener, Error> {
    let socket = super::socket_path(dir);
    let write = |source| Error::Write {
        path: socket.clone(),
        source,
    };
    if super::at_socket(dir, |at| UnixStream::connect(at)).is_ok() {
        return Err(Error::Usage(format!(
            "a vlu service is already running on {}",
            socket.display()
        )));
    }
    let _ = std::fs::remove_file(&socket);
    let listener = super::at_socket(dir, |at| UnixListener::bind(at)).map_err(write)?;
    share_with_group(dir, &socket).map_err(write)?;
    Ok(listener)
}

/// A data directory the unit's group may enter (`2750`): the socket is opened to the group
/// too, so its members can connect (who they are is still asked of the kernel). Otherwise
/// it stays its owner's alone.
fn share_with_group(dir: &Path, socket: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let shared = std::fs::metadata(dir)?.permissions().mode() & 0o050 == 0o050;
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

/// Where the unit's other services write the same records (a unit's database, several
/// hosts): each of their writes, heard as it commits, makes this service forget what it
/// kept and tells its screens to read again — within a second of the commit.
fn hear_other_services(shared: &Arc<Shared>, mut others: crate::store::OtherWrites) {
    let shared = Arc::clone(shared);
    let _ = std::thread::Builder::new()
        .name("vlu-others".into())
        .spawn(move || {
            // Whether the screens have been told the database cannot be reached.
            let mut cut_off = false;
            while !shared.stopping.load(Ordering::SeqCst) {
                match others.wait(Duration::from_millis(500)) {
                    Ok(None) => {}
                    Ok(Some(writes)) => {
                        let mut seen = lock(&shared.seen);
                        if *seen != Some(writes) || cut_off {
                            shared.forget_digest();
                            *seen = Some(writes);
                            drop(seen);
                            tracing::info!(writes, cut_off, "reading the unit again");
                            cut_off = false;
                            broadcast(&shared, &Reply::Reload);
                        }
                    }
                    Err(e) => {
                        tracing::warn!("not hearing the unit's other services: {e}");
                        if !cut_off {
                            cut_off = true;
                            broadcast(&shared, &Reply::Failed(DATABASE_LOST.into()));
                        }
                        std::thread::sleep(Duration::from_secs(1));
                    }
                }
            }
        });
}

/// What the screens say while the service cannot reach the unit's database; they read
/// everything again once it can ([`Reply::Reload`]).
pub const DATABASE_LOST: &str = "The unit's database cannot be reached: reconnecting…";

/// One watcher for the whole service: once nobody has been connected for `idle`, it stops
/// the service. (Never a sleeping thread a connection: a flood of connections costs none.)
fn watch_idle(shared: &Arc<Shared>, idle: Duration) {
    let shared = Arc::clone(shared);
    std::thread::spawn(move || {
        while !shared.stopping.load(Ordering::SeqCst) {
            std::thread::sleep(idle.min(Duration::from_millis(500)));
            let quiet = lock(&shared.present).is_empty()
                && shared.answering.load(Ordering::SeqCst) == 0
                && lock(&shared.last_left).elapsed() >= idle;
            if quiet {
                stop(&shared);
            }
        }
    });
}

/// Who is knocking, and whether they come in: an account the unit has not admitted is
/// refused (audited at most once a minute an account, the rest counted), as is one more
/// connection than an account may hold. Every connection let in lives under deadlines.
fn at_the_door(shared: &Shared, stream: &UnixStream) -> Option<(String, door::Ticket)> {
    if shared.stopping.load(Ordering::SeqCst) {
        return None;
    }
    let mut stream = stream;
    if door::set_deadlines(stream).is_err() {
        return None;
    }
    let uid = identity::peer(stream).ok()?;
    let admitted = identity::admit(uid, shared.owner, &shared.config);
    let let_in = admitted.and_then(|user| {
        let ticket = shared.door.let_in(uid, &user)?;
        Ok((user, ticket))
    });
    match let_in {
        Ok(let_in) => Some(let_in),
        Err(sentence) => {
            let audited = shared.door.audit_refusal(uid);
            if let Some(more) = audited {
                // As rarely as the audit trail hears of it, so a flood cannot fill the log.
                tracing::warn!(uid, more, "a connection was refused");
            }
            if let Some(more) = audited
                && let Some(store) = lock(&shared.store).as_ref()
            {
                let said = if more == 0 {
                    sentence.clone()
                } else {
                    format!("{sentence} (and {more} more refusals of this account since)")
                };
                // In the refused account's name, under the store's lock as every entry is.
                let refused = identity::user_name(uid).unwrap_or_else(|| format!("uid {uid}"));
                let _ = store.acting_as(&refused).record_refusal(&said);
            }
            // (A fresh socket's buffer takes a sentence without waiting.)
            let _ = send(&mut stream, &Reply::Forbidden(sentence), &[]);
            None
        }
    }
}

/// One client: its hello (within [`door::FIRST_WORD`]), then its requests until it goes.
fn serve_client(shared: &Arc<Shared>, mut stream: UnixStream, id: u64, user: &str) {
    let hello = super::proto::frame_start(&mut stream)
        .ok()
        .flatten()
        .and_then(|len| {
            receive_message::<Request>(&mut stream, len, 4096)
                .ok()
                .flatten()
        })
        .filter(|_| super::proto::tail_length(&mut stream).is_ok_and(|n| n == 0));
    match hello {
        Some(Request::Hello { protocol, .. }) if protocol == PROTOCOL => {}
        Some(Request::Hello { protocol, version }) => {
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
    lock(&shared.present).insert(id, user.to_owned());
    let others = present_others(shared, id);
    let welcome = Reply::Welcome {
        user: user.to_owned(),
        others,
        role: super::answer::role(shared, user).unwrap_or(crate::unit::access::Role::Unmapped),
    };
    if send(&mut stream, &welcome, &[]).is_err() {
        return;
    }
    announce_present(shared);
    super::answer::requests(shared, &mut stream, user);
}
