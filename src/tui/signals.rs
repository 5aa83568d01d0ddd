//! Signals while the screens are up: SIGTERM, SIGHUP (an SSH session that drops), SIGINT
//! and SIGQUIT (`kill -INT`; at the keyboard, in raw mode, Ctrl-C is a key, not a signal).
//!
//! The loop waits in crossterm's `event::read`, which nothing can wake, so a watcher thread
//! does the cleaning up itself: it waits until the loop is neither drawing nor saving (the
//! [`busy`] lock), puts the terminal back (raw mode off, the cursor shown, the alternate
//! screen left), removes what it was told to remove (`vlu demo`'s throw-away copy), and ends
//! the process as the signal would have: exit status 128 + the signal's number.
//!
//! The store needs no flush of its own: every save is flushed before the screen says it is
//! saved (`Store::commit`), a save under way when the signal comes is finished first, and
//! the store's lock is the OS's, dropped when the process ends.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Held by the loop while it draws or saves.
static BUSY: Mutex<()> = Mutex::new(());
/// Whether the terminal is in raw mode on the alternate screen.
static SCREEN_UP: AtomicBool = AtomicBool::new(false);
/// Directories to remove, with all they hold, if a signal ends the process.
static REMOVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Waits for the watcher to let go of the terminal and the store, and keeps them until
/// dropped. A signal that comes meanwhile is dealt with once it is dropped.
pub fn busy() -> MutexGuard<'static, ()> {
    BUSY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Tells the watcher whether there is a terminal to put back.
pub fn screen_up(up: bool) {
    SCREEN_UP.store(up, Ordering::SeqCst);
}

/// Removes `dir`, and everything in it, if a signal ends the process.
pub fn remove_on_signal(dir: PathBuf) {
    watch();
    REMOVE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(dir);
}

/// Starts the watcher, once.
pub fn watch() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
        static WATCHING: std::sync::Once = std::sync::Once::new();
        WATCHING.call_once(|| {
            let Ok(mut signals) =
                signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])
            else {
                return;
            };
            std::thread::spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    let _busy = busy();
                    clean_up();
                    std::process::exit(128 + signal);
                }
            });
        });
    }
}

/// Each step is tried whatever the one before did: after SIGHUP the terminal may be gone.
fn clean_up() {
    use ratatui::crossterm::{cursor, execute, terminal};
    if SCREEN_UP.load(Ordering::SeqCst) {
        let _ = terminal::disable_raw_mode();
        let mut out = std::io::stdout();
        let _ = execute!(out, terminal::LeaveAlternateScreen, cursor::Show);
    }
    for dir in REMOVE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .drain(..)
    {
        let _ = std::fs::remove_dir_all(dir);
    }
}
