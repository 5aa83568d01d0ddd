//! The event loop: block on input or the date changing, handle everything queued, draw once.
//! Work that can wait (`App::idle_work`) is done in slices between a frame and the next key;
//! then an idle vlu sleeps on its channel and uses no CPU.
//!
//! A thread reads the terminal and sends each event down a channel; the loop waits on that
//! channel until the next local midnight at most ([`clock`](super::clock)), so the screens
//! move to the new day with no key pressed. (The unit service's news will come down the same
//! channel.)

use crate::unit::command::Command;
use std::io;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::time::Duration;

use crossterm::event::{self, Event, KeyEventKind};
use ratatui::Terminal;
use ratatui::backend::Backend;

use super::app::{App, Effect, Outcome};
use super::clock::{Clock, until_the_date_may_change};
use super::draw::draw;
use crate::domain::model::{Case, Victim};
use crate::service::client::Client;
use crate::signals;
use crate::store::{Record, StoreError};
use crate::unit::api::{News, Saved, UnitAdmin, UnitStore};

/// What the screens work on: the unit's records, and for its administrators the erasures,
/// the audit trail and subject access (the unit service refuses them to anyone else).
pub trait UnitAccess: UnitStore + UnitAdmin {}

impl<T: UnitStore + UnitAdmin + ?Sized> UnitAccess for T {}

/// What wakes the loop.
#[derive(Debug)]
pub enum Wake {
    /// A key, a resize, a paste.
    Input(Event),
    /// Look at the clock again (a test moving its clock says so).
    Tick,
    /// The unit's news: a change someone made, who is connected, "reload", or that the
    /// service went away.
    News(News),
}

/// Runs the screens until the user quits. The terminal is restored on the way out, on an
/// error, (by ratatui's hook) on a panic, and (by `signals`) on SIGTERM, SIGHUP, SIGINT and
/// SIGQUIT.
pub fn run(
    store: &dyn UnitAccess,
    app: &mut App,
    service: Option<&Client>,
    clock: &dyn Clock,
) -> io::Result<()> {
    signals::watch();
    signals::screen_up(true);
    let mut terminal = ratatui::init();
    // A paste arrives as one piece of text, not as keys that might save or close a form.
    let _ = crossterm::execute!(io::stdout(), crossterm::event::EnableBracketedPaste);
    let (tx, wakes) = mpsc::channel();
    let started = read_terminal(tx.clone()).and_then(|()| match service {
        Some(client) => {
            let news = |news| Ok(Wake::News(news));
            Client::subscribe(client.dir(), tx, news, client.restart()).map_err(io::Error::other)
        }
        None => Ok(()),
    });
    let result = started.and_then(|()| event_loop(&mut terminal, store, app, &wakes, clock));
    let _busy = signals::busy();
    let _ = crossterm::execute!(io::stdout(), crossterm::event::DisableBracketedPaste);
    ratatui::restore();
    signals::screen_up(false);
    result
}

/// A thread that sends every terminal event down the channel it returns. It ends when the
/// loop is gone (or the terminal is), and with the process.
fn read_terminal(tx: Sender<io::Result<Wake>>) -> io::Result<()> {
    std::thread::Builder::new()
        .name("vlu-input".into())
        .spawn(move || {
            loop {
                let read = event::read().map(Wake::Input);
                let failed = read.is_err();
                if tx.send(read).is_err() || failed {
                    return;
                }
            }
        })?;
    Ok(())
}

/// A signal is dealt with only while the loop waits (`signals::busy`): never in the middle
/// of a frame or a save.
pub fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    store: &dyn UnitAccess,
    app: &mut App,
    wakes: &Receiver<io::Result<Wake>>,
    clock: &dyn Clock,
) -> io::Result<()>
where
    B::Error: std::error::Error + Send + Sync + 'static,
{
    let mut pending = None;
    // The numbers of this screen's own changes: their news needs no reading back.
    let mut own = std::collections::HashSet::new();
    // Everything must be read again, and the last try failed: tried again each second.
    let mut reread = false;
    loop {
        let busy = signals::busy();
        app.new_day(clock.today());
        if !load_window(store, app) {
            reread = true;
        }
        load_records(store, app);
        let size = terminal.size().map_err(io::Error::other)?;
        app.set_page(usize::from(size.height.saturating_sub(8)).max(1));
        app.clamp_scroll(super::draw::scroll_limit(app, size.into()));
        terminal
            .draw(|frame| draw(frame, app))
            .map_err(io::Error::other)?;
        drop(busy);
        while pending.is_none() && app.idle_work() {
            pending = match wakes.try_recv() {
                Ok(wake) => Some(wake),
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) => return Ok(()),
            };
        }
        let mut next = match pending.take() {
            Some(wake) => wake?,
            None => match wakes.recv_timeout(if reread {
                Duration::from_secs(1).min(until_the_date_may_change(&clock.now()))
            } else {
                until_the_date_may_change(&clock.now())
            }) {
                Ok(wake) => wake?,
                Err(RecvTimeoutError::Timeout) => Wake::Tick,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            },
        };
        let _busy = signals::busy();
        loop {
            match next {
                Wake::Input(event) => {
                    if let Some(seq) = handle(&event, store, app) {
                        own.insert(seq);
                    }
                }
                Wake::News(news) => reread = !hear(store, app, news, &mut own),
                Wake::Tick if reread => reread = !hear(store, app, News::Reload, &mut own),
                Wake::Tick => {}
            }
            if app.screen().quit {
                return Ok(());
            }
            match wakes.try_recv() {
                Ok(wake) => next = wake?,
                Err(_) => break,
            }
        }
    }
}

/// A key: what it asks of the state, and of the store. The number of the change it made,
/// if it saved one.
fn handle(event: &Event, store: &dyn UnitAccess, app: &mut App) -> Option<u64> {
    if let Event::Paste(text) = event {
        app.on_paste(text);
        return None;
    }
    if let Event::Key(key) = event
        && key.kind == KeyEventKind::Press
        && let Some(effect) = app.on_key(key)
    {
        return perform(store, app, &effect);
    }
    None
}

/// The service's news: someone's change read back from the store (not this screen's own,
/// read back already), who is in, or everything read again after missed news. False if
/// everything was to be read again and could not be (the screen says so; to be tried again).
fn hear(
    store: &dyn UnitStore,
    app: &mut App,
    news: News,
    own: &mut std::collections::HashSet<u64>,
) -> bool {
    match news {
        News::Changed { changed, .. } if own.remove(&changed.seq) => {}
        News::Changed { changed, by } => match store.fresh(&changed) {
            Ok(fresh) => app.on_outcome(Outcome::ChangedBy {
                fresh: Box::new(fresh),
                by,
            }),
            Err(e) => app.on_outcome(Outcome::Failed(e.to_string())),
        },
        News::Present(mut users) => {
            // This screen's own two connections are not someone else.
            for _ in 0..2 {
                if let Some(me) = users
                    .iter()
                    .position(|u| *u == app.settings().signed_in_user)
                {
                    users.remove(me);
                }
            }
            users.dedup();
            app.set_present(users);
        }
        // Thin screens ask for what they show again before the next frame.
        News::Reload if app.reread() => {}
        News::Reload => match store.load_digest().and_then(|d| Ok((d, store.snoozes()?))) {
            Ok((digest, snoozes)) => app.on_outcome(Outcome::Reloaded {
                digest: Box::new(digest),
                snoozes,
            }),
            Err(e) => {
                app.cut_off(format!(
                    "The unit could not be read again ({e}): trying again…"
                ));
                return false;
            }
        },
        // The service went away, or its database: said until everything is read again.
        News::Lost(said) => app.cut_off(said),
    }
    true
}

/// Asks the unit service for what thin screens show, if they want anything. False if it
/// could not be asked (the screen says so; asked again each second).
pub fn load_window(store: &dyn UnitStore, app: &mut App) -> bool {
    let Some(ask) = app.window_wanted() else {
        return true;
    };
    match store.window(&ask) {
        Ok(window) => {
            app.on_outcome(Outcome::Window(Box::new(window)));
            true
        }
        Err(e) => {
            app.cut_off(format!("The unit could not be read ({e}): trying again…"));
            false
        }
    }
}

/// Reads from the store the full record of the victim the screen is about to show (with
/// its case and log), if only its digest is in memory.
pub fn load_records(store: &dyn UnitStore, app: &mut App) {
    while let Some(id) = app.record_needed().map(str::to_owned) {
        match read_victim(store, &id) {
            Ok(Some((victim, case, versions))) => app.on_outcome(Outcome::RecordLoaded {
                victim: Box::new(victim),
                case: case.map(Box::new),
                versions,
            }),
            Ok(None) => app.on_outcome(Outcome::RecordUnreadable {
                victim: id,
                why: "it is no longer in the store".into(),
            }),
            Err(e) => app.on_outcome(Outcome::RecordUnreadable {
                victim: id,
                why: e.to_string(),
            }),
        }
    }
}

/// A victim's whole record with its log, its case, and the versions of both.
fn read_victim(store: &dyn UnitStore, id: &str) -> Result<Option<ReadVictim>, StoreError> {
    let Some(mut whole) = store.whole_victim(id)? else {
        return Ok(None);
    };
    let Some(victim) = whole.victims.pop() else {
        return Ok(None);
    };
    Ok(Some((victim, whole.cases.pop(), whole.versions)))
}

/// A victim, its case, and the versions read with them.
type ReadVictim = (Victim, Option<Case>, Vec<(Record, String, u64)>);

/// Saves what an action asked for; then the screens read back from the store the records
/// it says changed, and are told how the save went.
pub fn perform(store: &dyn UnitAccess, app: &mut App, effect: &Effect) -> Option<u64> {
    let result = match effect {
        Effect::Erase { .. } | Effect::SubjectAccess { .. } | Effect::Audit(_) => {
            return administer(store, app, effect);
        }
        Effect::PreviewLetter { victim, request } => {
            let made = preview_letter(store, app, victim, request);
            app.on_outcome(Outcome::LetterPreviewed(
                made.map(Box::new).map_err(|e| e.to_string()),
            ));
            return None;
        }
        Effect::SaveLetter {
            letter,
            path,
            format,
        } => {
            match save_letter(store, app, letter, path, *format) {
                Ok(()) => app.on_outcome(Outcome::LetterSaved(path.clone())),
                Err(e) => app.on_outcome(Outcome::Failed(e.to_string())),
            }
            return None;
        }
        Effect::Save(command) => store.execute(command),
        Effect::RecordLetter { victim, contact } => store.execute(&Command::LogContact {
            victim: victim.clone(),
            contact: contact.clone(),
        }),
        Effect::Reveal { victim } => store.record_reveal(victim).map(|()| Saved::default()),
        Effect::Consult { victim } => {
            return match store.record_consultation(victim) {
                Ok(()) => None,
                Err(e) => {
                    app.on_outcome(Outcome::ConsultationFailed(e.to_string()));
                    None
                }
            };
        }
        Effect::Report(ask) => {
            match store.report(ask) {
                Ok(report) => app.on_outcome(Outcome::ReportLoaded(Box::new(report))),
                Err(e) => app.on_outcome(Outcome::ReportFailed(e.to_string())),
            }
            return None;
        }
    };
    match result {
        Ok(Saved { changed, fresh }) => {
            let seq = changed.seq;
            app.on_outcome(Outcome::Saved {
                effect: Box::new(effect.clone()),
                changed,
                fresh: Box::new(fresh),
            });
            Some(seq)
        }
        Err(e) => {
            app.on_outcome(Outcome::Failed(e.to_string()));
            None
        }
    }
}

/// An administrator's erasure, subject access or audit trail, through the same calls as
/// the command line's. After an erasure the caseload is read again from the store.
fn administer(store: &dyn UnitAccess, app: &mut App, effect: &Effect) -> Option<u64> {
    use super::app::AdminView;
    let outcome = match effect {
        Effect::Erase { target, reason } => store.erase(target, *reason).and_then(|erased| {
            let (digest, snoozes) = if app.is_thin() {
                (None, Vec::new())
            } else {
                (Some(Box::new(store.load_digest()?)), store.snoozes()?)
            };
            app.on_outcome(Outcome::Erased {
                erased: Box::new(erased),
                digest,
                snoozes,
            });
            Ok(None)
        }),
        Effect::SubjectAccess { victim } => store.subject_access(victim).map(|sar| {
            match sar {
                Some(sar) => app.on_outcome(Outcome::AdminLoaded(AdminView::SubjectAccess(
                    Box::new(sar),
                ))),
                None => app.on_outcome(Outcome::Failed(format!(
                    "there is no victim {}",
                    crate::domain::text::visible(victim)
                ))),
            }
            None
        }),
        Effect::Audit(query) => store.audit(query).map(|entries| {
            app.on_outcome(Outcome::AdminLoaded(AdminView::Audit {
                about: query.victim.clone(),
                entries,
            }));
            None
        }),
        _ => Ok(None),
    };
    outcome.unwrap_or_else(|e| {
        app.on_outcome(Outcome::Failed(e.to_string()));
        None
    })
}

/// A letter to read, made from the store's records (the store audits it first).
fn preview_letter(
    store: &dyn UnitStore,
    app: &App,
    victim: &str,
    request: &crate::domain::letter::LetterRequest,
) -> Result<crate::letters::Letter, crate::error::Error> {
    let templates = app
        .settings()
        .letters
        .templates
        .clone()
        .map_err(|problems| {
            crate::error::Error::Usage(format!(
                "the unit's letter templates have {} problems",
                problems.len()
            ))
        })?;
    let context = app.letter_context(victim);
    crate::letters::prepare(
        store,
        &templates,
        victim,
        request,
        &context,
        "letter preview",
    )
}

/// A letter written to its file, audited first.
fn save_letter(
    store: &dyn UnitStore,
    app: &App,
    letter: &crate::letters::Letter,
    path: &std::path::Path,
    format: crate::letters::Format,
) -> Result<(), crate::error::Error> {
    let bytes = format.bytes(letter);
    store.record_disclosure(&crate::store::Disclosure::of(
        &format!("letter {} saved", letter.kind),
        vec![letter.victim.clone()],
    ))?;
    crate::letters::save(path, &bytes, app.settings().letters.data_dir.as_deref())
}
