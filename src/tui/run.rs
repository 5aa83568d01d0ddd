//! The event loop: block on input, handle everything queued, draw once. Work that can wait
//! (`App::idle_work`) is done in slices between a frame and the next key; then an idle vlu
//! waits in `event::read` and uses no CPU.

use std::io;
use std::time::Duration;

use crossterm::event::{self, Event, KeyEventKind};
use ratatui::DefaultTerminal;

use super::app::{App, Effect};
use super::draw::draw;
use crate::signals;
use crate::store::Store;

/// Runs the screens until the user quits. The terminal is restored on the way out, on an
/// error, (by ratatui's hook) on a panic, and (by `signals`) on SIGTERM, SIGHUP, SIGINT and
/// SIGQUIT.
pub fn run(store: &Store, app: &mut App) -> io::Result<()> {
    signals::watch();
    signals::screen_up(true);
    let mut terminal = ratatui::init();
    let result = event_loop(&mut terminal, store, app);
    let _busy = signals::busy();
    ratatui::restore();
    signals::screen_up(false);
    result
}

/// A signal is dealt with only while the loop waits for a key (`signals::busy`): never in
/// the middle of a frame or a save.
fn event_loop(terminal: &mut DefaultTerminal, store: &Store, app: &mut App) -> io::Result<()> {
    loop {
        let busy = signals::busy();
        load_records(store, app);
        app.page = usize::from(terminal.size()?.height.saturating_sub(8)).max(1);
        terminal.draw(|frame| draw(frame, app))?;
        drop(busy);
        while !event::poll(Duration::ZERO)? && app.idle_work() {}
        let mut next = event::read()?;
        let _busy = signals::busy();
        loop {
            handle(&next, store, app);
            if app.quit {
                return Ok(());
            }
            if !event::poll(Duration::ZERO)? {
                break;
            }
            next = event::read()?;
        }
    }
}

fn handle(event: &Event, store: &Store, app: &mut App) {
    if let Event::Key(key) = event
        && key.kind == KeyEventKind::Press
        && let Some(effect) = app.on_key(key)
    {
        perform(store, app, effect);
    }
}

/// Reads from the store the full record of the victim the screen is about to show (with
/// its case and log), if only its digest is in memory.
pub fn load_records(store: &Store, app: &mut App) {
    while let Some(id) = app.record_needed().map(str::to_owned) {
        let read = store.victim(&id).and_then(|victim| {
            let case = match &victim {
                Some(v) => store.case(&v.case_id)?,
                None => None,
            };
            Ok((victim, case))
        });
        match read {
            Ok((Some(victim), case)) => app.record_loaded(victim, case),
            Ok((None, _)) => app.record_unreadable(&id, "it is no longer in the store"),
            Err(e) => app.record_unreadable(&id, &e.to_string()),
        }
    }
}

/// Saves what an action asked for, then tells the state whether it worked.
pub fn perform(store: &Store, app: &mut App, effect: Effect) {
    let result = match &effect {
        Effect::AppendContact { victim, contact } => store.append_contact(victim, contact),
        Effect::SetStatus { victim, contact } => store.save_victim_with_contact(victim, contact),
        Effect::Snooze(s) => store.snooze(s),
        Effect::Reveal { victim } => store.record_reveal(victim),
        Effect::SaveVictim(victim) => store.save_victim(victim),
        Effect::SaveCase(case) => store.save_case(case),
    };
    match result {
        Ok(()) => app.applied(effect),
        Err(e) => app.failed(&e.to_string()),
    }
}
