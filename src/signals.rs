//! SIGTERM, SIGHUP (an SSH session that drops), SIGINT and SIGQUIT, for the whole process:
//! one watcher, so that two never race to end it half cleaned up.
//!
//! The screens' loop waits in crossterm's `event::read`, which nothing can wake, so the
//! watcher thread does the cleaning up itself: it waits (at most [`BUSY_WAIT`]) until the
//! loop is neither drawing nor saving (the [`busy`] lock), puts the terminal back (raw mode
//! off, the cursor shown, the alternate screen left), removes the temporary files being
//! written (an export, a backup) and what it was told to remove (`vlu demo`'s throw-away
//! copy), and ends the process as the signal would have: exit status 128 + the signal's
//! number. (At the keyboard, in raw mode, Ctrl-C is a key, not a signal.)
//!
//! The store needs no flush of its own: every save is flushed before the screen says it is
//! saved (`Store::commit`), a save under way when the signal comes is finished first, and
//! the store's lock is the OS's, dropped when the process ends.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Held by the loop while it draws or saves.
static BUSY: Mutex<()> = Mutex::new(());
/// How long the watcher waits for a save in hand before it ends the process anyway: a
/// write stalled on a failing disk must not keep a signal from being answered.
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(5);
/// Temporary files being written, removed if a signal ends the process.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
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

/// Removes the file at `path` if a signal ends the process (until [`written`]).
pub fn pending(path: PathBuf) {
    watch();
    PENDING
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(path);
}

/// The file at `path` is in place or gone: nothing to remove for it any more.
pub fn written(path: &std::path::Path) {
    PENDING
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .retain(|p| p != path);
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
                    let _busy = wait_until_idle();
                    clean_up();
                    std::process::exit(128 + signal);
                }
            });
        });
    }
}

/// The busy lock once the loop lets it go, or nothing after [`BUSY_WAIT`].
fn wait_until_idle() -> Option<MutexGuard<'static, ()>> {
    let start = std::time::Instant::now();
    loop {
        match BUSY.try_lock() {
            Ok(guard) => return Some(guard),
            Err(std::sync::TryLockError::Poisoned(p)) => return Some(p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) if start.elapsed() < BUSY_WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(std::sync::TryLockError::WouldBlock) => return None,
        }
    }
}

/// Each step is tried whatever the one before did: after SIGHUP the terminal may be gone.
fn clean_up() {
    use ratatui::crossterm::{cursor, execute, terminal};
    if SCREEN_UP.load(Ordering::SeqCst) {
        let _ = terminal::disable_raw_mode();
        let mut out = std::io::stdout();
        let _ = execute!(
            out,
            crossterm::event::DisableBracketedPaste,
            terminal::LeaveAlternateScreen,
            cursor::Show
        );
    }
    for file in PENDING
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .drain(..)
    {
        let _ = std::fs::remove_file(file);
    }
    for dir in REMOVE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .drain(..)
    {
        let _ = std::fs::remove_dir_all(dir);
    }
}
