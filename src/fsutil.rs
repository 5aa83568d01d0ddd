//! Writing files that hold victims' data: readable by their owner only, and never left
//! half-written (a full disk leaves the old file, or none, in place). Only a regular file is
//! ever replaced: whatever else is at the path — a symbolic link, a FIFO, a device, a
//! directory, a socket — is refused, and `-` is standard output.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Where an output goes, decided by what is at its path when the command starts.
#[derive(Debug, PartialEq, Eq)]
pub enum Destination {
    /// `-` (and `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`, the names the shell and
    /// `/dev` give it): standard output itself.
    Stdout,
    /// A regular file, or nothing yet: written atomically ([`write_private_atomically`]).
    Atomic(PathBuf),
}

/// Why a path cannot take an output: what is there ("a directory", "a FIFO", ...).
#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub &'static str);

/// Names that mean standard output. Only these exact names: any other path is examined.
const STDOUT_NAMES: [&str; 4] = ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"];

/// How to write to `path`, by what is at it (`symlink_metadata`: a link is never followed).
/// Nothing there, or a regular file, is written atomically; anything else is refused, since
/// replacing it would change what it is — a link an administrator set up, a pipe a reader
/// waits on, a device — and writing through it would put a caseload where the name does not
/// say. A path that cannot be examined for another reason (a directory that cannot be read)
/// is taken as a file: the write then says why it failed.
pub fn destination(path: &Path) -> Result<Destination, Refused> {
    if STDOUT_NAMES.iter().any(|n| path == Path::new(n)) {
        return Ok(Destination::Stdout);
    }
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_file() => Ok(Destination::Atomic(path.to_owned())),
        Ok(meta) => Err(Refused(what_it_is(meta.file_type()))),
        Err(_) => Ok(Destination::Atomic(path.to_owned())),
    }
}

/// What is at a path that is not a regular file, as a sentence names it.
fn what_it_is(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (a named pipe)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// Writes to `path` whatever `write` writes (buffered), through a temporary file in the same
/// directory, synced and then renamed over the target, with mode 0600: a large file is
/// written as it is made, never held whole. If `write` fails, or the process is told to stop
/// (Ctrl-C, a closed SSH session, `kill`), the temporary file goes and the target is left as
/// it was. (A `kill -9` cannot be caught: the `.NAME.vlu-tmp-XXXXXX` file, readable by its
/// owner only, is then left behind; it never stands in the way of a later write.)
pub fn write_private_atomically(
    path: &Path,
    write: impl FnOnce(&mut (dyn Write + Send)) -> io::Result<()>,
) -> io::Result<()> {
    write_atomically(path, 0o600, write)
}

/// [`write_private_atomically`] for a file anyone may read (mode 0644, whatever the umask):
/// documentation such as the manual pages, which hold nothing of the unit's.
pub fn write_public_atomically(
    path: &Path,
    write: impl FnOnce(&mut (dyn Write + Send)) -> io::Result<()>,
) -> io::Result<()> {
    write_atomically(path, 0o644, write)
}

fn write_atomically(
    path: &Path,
    mode: u32,
    write: impl FnOnce(&mut (dyn Write + Send)) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    // A name no other writer has (tempfile's random part, made with O_EXCL, mode 0600): two
    // writes of one file at once, or a file left by a killed vlu, never collide. The name is
    // handed to the signal watcher before the file exists, so a signal at any moment after
    // finds it.
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{}.vlu-tmp-", name.to_string_lossy()))
        .make_in(dir, |path| {
            crate::signals::pending(path.to_owned());
            let opened = create_new_private(path);
            if opened.is_err() {
                crate::signals::written(path);
            }
            opened
        })?;
    let _pending = Pending(tmp.path().to_owned());
    #[cfg(unix)]
    if mode != 0o600 {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut out = BufWriter::new(tmp.as_file_mut());
    write(&mut out)?;
    out.into_inner()
        .map_err(io::IntoInnerError::into_error)?
        .sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable.
    File::open(dir)?.sync_all()
}

/// A new file at `path`, readable and writable by its owner only; an error if it exists.
fn create_new_private(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// A temporary file (already made known to the signal watcher), removed when dropped (a
/// failed write, a panic) and by the signal watcher; once renamed into place there is
/// nothing at its path to remove.
struct Pending(PathBuf);

impl Drop for Pending {
    fn drop(&mut self) {
        crate::signals::written(&self.0);
        let _ = std::fs::remove_file(&self.0);
    }
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
    fn writes_of_one_file_at_once_never_collide_on_their_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        let writers = 8;
        // How many writers have their temporary file open; each waits (a while) for all.
        let all_open = std::sync::atomic::AtomicUsize::new(0);
        let written: Vec<io::Result<()>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..writers)
                .map(|n| {
                    let (path, all_open) = (&path, &all_open);
                    scope.spawn(move || {
                        write_private_atomically(path, |w| {
                            // Every writer's temporary file exists at this point.
                            all_open.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            let start = std::time::Instant::now();
                            while all_open.load(std::sync::atomic::Ordering::SeqCst) < writers
                                && start.elapsed() < std::time::Duration::from_secs(5)
                            {
                                std::thread::yield_now();
                            }
                            write!(w, "writer {n}")
                        })
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for result in &written {
            assert!(result.is_ok(), "{result:?}");
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("writer "),
            "one writer's whole file: {text}"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary left"
        );
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
    fn only_nothing_or_a_regular_file_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("out.json");
        let missing = dir.path().join("new.json");
        assert_eq!(
            destination(&missing),
            Ok(Destination::Atomic(missing.clone()))
        );
        std::fs::write(&file, "old").unwrap();
        assert_eq!(destination(&file), Ok(Destination::Atomic(file.clone())));
        for name in ["-", "/dev/stdout", "/dev/fd/1"] {
            assert_eq!(
                destination(Path::new(name)),
                Ok(Destination::Stdout),
                "{name}"
            );
        }
        assert_eq!(destination(dir.path()), Err(Refused("a directory")));
        #[cfg(unix)]
        {
            for device in ["/dev/null", "/dev/full"] {
                assert_eq!(destination(Path::new(device)), Err(Refused("a device")));
            }
            assert_eq!(
                destination(Path::new("/dev/stderr")),
                Err(Refused("a symbolic link"))
            );
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert_eq!(destination(&link), Err(Refused("a symbolic link")));
            let dangling = dir.path().join("dangling.json");
            std::os::unix::fs::symlink(dir.path().join("nothing"), &dangling).unwrap();
            assert_eq!(destination(&dangling), Err(Refused("a symbolic link")));
            let socket = dir.path().join("socket");
            let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
            assert_eq!(destination(&socket), Err(Refused("a socket")));
            let fifo = dir.path().join("fifo");
            let made = std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap();
            assert!(made.success());
            assert_eq!(destination(&fifo), Err(Refused("a FIFO (a named pipe)")));
        }
    }

    #[test]
    fn a_missing_directory_is_an_error_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/out.json");
        assert!(write_private_atomically(&path, |w| w.write_all(b"x")).is_err());
    }
}
