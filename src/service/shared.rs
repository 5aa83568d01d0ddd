//! What every connection of the service shares: the store and its digest, the screens
//! subscribed to the news, who is connected, who is acting in a request, and how a failure
//! is told. The accept loop (`server`) and the answers (`answer`, `outputs`) both stand on
//! it; it stands on neither.

use std::collections::{BTreeMap, HashMap};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::door::Door;
use super::proto::{Reply, send};
use crate::config::Config;
use crate::domain::model::Caseload;
use crate::store::{Disclosure, Store, StoreError};
use crate::unit::access;
use crate::unit::api::Fresh;
use crate::unit::lens::Lens;

/// What a request meets once the service is stopping.
pub const STOPPING: &str = "the unit service is stopping; try again in a moment";

/// How many changes wait for a slow screen before it is told to reload instead.
const QUEUE: usize = 256;

/// A subscribed screen: its queue, and whether it overflowed.
pub(super) struct Subscriber {
    pub queue: SyncSender<Reply>,
    pub lagging: Arc<AtomicBool>,
}

pub(super) struct Shared {
    pub dir: PathBuf,
    /// The listening socket (a second handle), for `stop` to shut down.
    pub listener: Mutex<Option<UnixListener>>,
    /// The unit seen whole (its digest, with each victim's reminders, the order and the
    /// search), for the diary, the status and every screen's window: read from the store
    /// once, then kept up to date with each change made through this service.
    pub lens: Mutex<Option<Lens>>,
    /// The unit's head (its record, officers and extra days off), which every request's
    /// decision reads: kept as the digest is.
    pub head: Mutex<Option<Arc<Caseload>>>,
    /// Diaries as last written, by what was asked (the day, the days, the officer, the
    /// rules, the format): a warm service answers the morning's repeated `vlu diary`
    /// without working it out again. Forgotten at every change.
    pub diaries: Mutex<HashMap<String, Arc<str>>>,
    /// The records' count of writes when the digest and diaries were kept, where other
    /// services write the same records (a unit's database): what they changed is read again.
    pub seen: Mutex<Option<u64>>,
    /// The store, until the service stops (then `None`: the store closed and its lock let
    /// go before the socket goes, so that a new service can open it at once).
    pub store: Mutex<Option<Store>>,
    pub config: Config,
    pub socket: PathBuf,
    /// Whether systemd made the socket (then it is systemd's to keep, not ours to remove).
    pub activated: bool,
    /// The OS user who owns the data directory: its admin when no users are mapped.
    pub owner: u32,
    pub subscribers: Mutex<Vec<Subscriber>>,
    /// Who is connected, by connection.
    pub present: Mutex<BTreeMap<u64, String>>,
    pub next_connection: AtomicU64,
    /// When the last client went (or the service started): the idle clock.
    pub last_left: Mutex<Instant>,
    /// Requests being answered now.
    pub answering: AtomicUsize,
    pub stopping: AtomicBool,
    pub door: Arc<Door>,
}

pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Wakes the accept loop so that it sees `stopping`.
pub(super) fn stop(shared: &Shared) {
    shared.stopping.store(true, Ordering::SeqCst);
    // Shutting the listening socket down wakes the accept loop even when its socket file is
    // gone (a data directory removed under the service): it then ends, rather than waiting
    // for ever for a client that can no longer come.
    if let Some(listener) = lock(&shared.listener).as_ref() {
        let _ = rustix::net::shutdown(listener, rustix::net::Shutdown::Read);
    }
    let _ = super::at_socket(&shared.dir, |at| UnixStream::connect(at));
}

impl Shared {
    /// Counts a request in hand while `answer` runs (the service's stop waits for it).
    pub(super) fn answering<T>(&self, answer: impl FnOnce() -> T) -> T {
        self.answering.fetch_add(1, Ordering::SeqCst);
        let answered = answer();
        self.answering.fetch_sub(1, Ordering::SeqCst);
        answered
    }

    /// `work` done on the unit seen whole: kept between requests (a warm service answers
    /// without reading the store), read from the store when nothing is kept (and let go
    /// after each request where `[service] keep_unit` is off).
    pub(super) fn with_lens<T>(
        &self,
        store: &Store,
        work: impl FnOnce(&mut Lens) -> T,
    ) -> Result<T, StoreError> {
        self.keep_current(store)?;
        let mut kept = lock(&self.lens);
        if kept.is_none() {
            let digest = store.load_digest()?;
            let snoozes = store.snoozes()?.into_iter().collect();
            let mut lens = Lens::new(
                digest.caseload,
                Some(digest.facts),
                snoozes,
                chrono::Local::now().date_naive(),
                self.config.lead_times,
                self.config.days.clone(),
            );
            // What a search looks through, built now: a screen's first keystroke would
            // otherwise wait for the whole unit's.
            lens.search_ready();
            *kept = Some(lens);
        }
        let done = work(kept.as_mut().expect("kept just now"));
        if !self.config.service.keep_unit {
            kept.take();
        }
        Ok(done)
    }

    /// A change made through this service: the records it touched, as the store now holds
    /// them, put in what is kept. Where other services write the same records (a unit's
    /// database), what is kept is forgotten instead: their changes are read with ours.
    pub(super) fn changed(&self, store: &Store, fresh: Option<&Fresh>) {
        lock(&self.diaries).clear();
        let others = !matches!(store.changes_anywhere(), Ok(None));
        let mut kept = lock(&self.lens);
        match (fresh, kept.as_mut()) {
            (Some(fresh), Some(lens)) if !others => lens.apply(
                fresh.victims.clone(),
                fresh.cases.clone(),
                fresh.snoozes.clone(),
            ),
            _ => {
                kept.take();
                drop(kept);
                self.forget_digest();
            }
        }
    }

    /// The unit's head ([`Store::load_head`]): kept between requests, as the digest is.
    pub(super) fn head(&self, store: &Store) -> Result<Arc<Caseload>, StoreError> {
        self.kept(store, &self.head, Store::load_head)
    }

    /// What `slot` keeps if the records have not changed since, else `load`ed and kept.
    fn kept<T>(
        &self,
        store: &Store,
        slot: &Mutex<Option<Arc<T>>>,
        load: impl FnOnce(&Store) -> Result<T, StoreError>,
    ) -> Result<Arc<T>, StoreError> {
        self.keep_current(store)?;
        let mut kept = lock(slot);
        if let Some(value) = kept.as_ref() {
            return Ok(Arc::clone(value));
        }
        let value = Arc::new(load(store)?);
        *kept = Some(Arc::clone(&value));
        Ok(value)
    }

    /// Forgets what is kept if another service of the unit has written since it was kept.
    pub(super) fn keep_current(&self, store: &Store) -> Result<(), StoreError> {
        let Some(now) = store.changes_anywhere()? else {
            return Ok(());
        };
        let mut seen = lock(&self.seen);
        if *seen != Some(now) {
            self.forget_digest();
            *seen = Some(now);
        }
        Ok(())
    }

    /// Forgets the unit seen whole, its head and the diaries written: read again when next
    /// asked for.
    pub(super) fn forget_digest(&self) {
        lock(&self.lens).take();
        lock(&self.head).take();
        lock(&self.diaries).clear();
    }
}

pub(super) fn present_others(shared: &Shared, id: u64) -> Vec<String> {
    lock(&shared.present)
        .iter()
        .filter(|(other, _)| **other != id)
        .map(|(_, user)| user.clone())
        .collect()
}

/// Tells every screen who is connected now.
pub(super) fn announce_present(shared: &Shared) {
    let everyone: Vec<String> = lock(&shared.present).values().cloned().collect();
    broadcast(shared, &Reply::Present(everyone));
}

/// Sends `news` to every subscribed screen without waiting for any: a full queue marks its
/// screen to reload; a closed one is dropped.
pub(super) fn broadcast(shared: &Shared, news: &Reply) {
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
pub(super) fn subscribed(shared: &Shared, mut stream: UnixStream) {
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

/// Set when the engine itself failed (a full disk met, a write stalled): it keeps such an error
/// for as long as the store is open, so the service stops after answering, and the next
/// vlu starts a service that opens — and recovers — the store afresh.
pub(super) static BROKEN: AtomicBool = AtomicBool::new(false);

pub(super) fn reply(result: Result<Reply, StoreError>) -> (Reply, Vec<u8>) {
    match result {
        Ok(reply) => (reply, Vec::new()),
        Err(e) => (failure(&e), Vec::new()),
    }
}

pub(super) fn failure(e: &StoreError) -> Reply {
    let broken = match e {
        // A database that restarted or dropped a connection: the engine reconnects.
        StoreError::Engine(f) | StoreError::Failed { source: f, .. } => !f.is_passing(),
        StoreError::Stalled { .. } => true,
        _ => false,
    };
    if broken {
        BROKEN.store(true, Ordering::SeqCst);
    }
    match e {
        StoreError::Refused(why) => Reply::Refused(why.clone()),
        StoreError::Forbidden { why } => Reply::Forbidden(why.clone()),
        StoreError::NotFound { noun, id } => Reply::NotFound {
            noun: *noun,
            id: id.clone(),
        },
        StoreError::Invalid(problems) => Reply::InvalidRecord(problems.clone()),
        StoreError::Conflict { record, id, since } => Reply::Conflict {
            record: *record,
            id: id.clone(),
            since: since.clone(),
        },
        other => Reply::Failed(other.to_string()),
    }
}

/// A disclosure a client reports (a letter made, a diary spreadsheet written) is checked
/// before it enters the audit trail: one of the forms vlu itself writes, about victims the
/// store holds — never free text of the client's choosing.
pub(super) fn checked_disclosure(store: &Store, d: &Disclosure) -> Result<(), StoreError> {
    let refuse = |why: &str| {
        Err(StoreError::Refused(format!(
            "{why}, so nothing was recorded"
        )))
    };
    if !access::is_known_disclosure(&d.what) {
        return refuse("that is not a disclosure vlu records");
    }
    if d.everyone || d.victims.is_empty() {
        return refuse("a disclosure reported by a client names the victims it is about");
    }
    let known = store.known_ids()?;
    if let Some(stranger) = d.victims.iter().find(|v| !known.victims.contains(*v)) {
        return refuse(&format!(
            "there is no victim {} in the store",
            crate::domain::text::visible(stranger)
        ));
    }
    Ok(())
}
