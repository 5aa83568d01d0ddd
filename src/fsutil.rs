//! Writing files that hold victims' data: readable by their owner only, and never left
//! half-written (a full disk leaves the old file, or none, in place).

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// Writes to `path` whatever `write` writes (buffered), through a temporary file in the same
/// directory, synced and then renamed over the target, with mode 0600: a large file is
/// written as it is made, never held whole. If `write` fails, or the process is told to stop
/// (Ctrl-C, a closed SSH session, `kill`), the temporary file goes and the target is left as
/// it was. (A `kill -9` cannot be caught: the `.NAME.vlu-tmp-PID` file, readable by its
/// owner only, is then left behind.)
pub fn write_private_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let tmp = Pending::new(dir.join(format!(
        ".{}.vlu-tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    )));
    let mut out = BufWriter::new(private_file(&tmp.0)?);
    write(&mut out)?;
    out.into_inner()
        .map_err(io::IntoInnerError::into_error)?
        .sync_all()?;
    std::fs::rename(&tmp.0, path)?;
    // Make the rename itself durable.
    File::open(dir)?.sync_all()
}

/// Temporary files being written, for the signal watcher to remove.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A temporary file, removed when dropped (a failed write, a panic) and by the signal
/// watcher; once renamed into place there is nothing at its path to remove.
struct Pending(PathBuf);

impl Pending {
    fn new(path: PathBuf) -> Self {
        watch_signals();
        pending().push(path.clone());
        Self(path)
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        pending().retain(|p| *p != self.0);
        let _ = std::fs::remove_file(&self.0);
    }
}

/// On the first temporary file, a thread that waits for SIGINT, SIGTERM or SIGHUP, removes
/// every temporary file being written, and ends the process as the signal would have.
fn watch_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        static WATCHING: std::sync::Once = std::sync::Once::new();
        WATCHING.call_once(|| {
            if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            {
                std::thread::spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        for path in pending().drain(..) {
                            let _ = std::fs::remove_file(path);
                        }
                        std::process::exit(128 + signal);
                    }
                });
            }
        });
    }
}

fn private_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_the_file_and_leave_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write_private_atomically(&path, |w| w.write_all(b"one")).unwrap();
        write_private_atomically(&path, |w| w.write_all(b"two")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write_private_atomically(&path, |w| w.write_all(b"old")).unwrap();
        let failed = write_private_atomically(&path, |w| {
            w.write_all(b"half of a new")?;
            Err(io::Error::other("the store could not be read"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_directory_is_an_error_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/out.json");
        assert!(write_private_atomically(&path, |w| w.write_all(b"x")).is_err());
    }
}
