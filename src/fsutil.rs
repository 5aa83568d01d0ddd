//! Writing files that hold victims' data: readable by their owner only, and never left
//! half-written (a full disk leaves the old file, or none, in place). What is at the path
//! decides how: a file is replaced atomically, a pipe or a device is written straight to and
//! never replaced, and anything else is refused.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Where an output goes, decided by what is at its path when the command starts.
#[derive(Debug, PartialEq, Eq)]
pub enum Destination {
    /// `-`, `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`: standard output itself.
    Stdout,
    /// A FIFO, a character device (`/dev/null`, a terminal), or a file named through
    /// `/proc` or `/dev/fd` (`/dev/stderr`): opened for appending and written straight to;
    /// never replaced, never created, its mode untouched.
    Straight(PathBuf),
    /// A regular file or nothing yet: written atomically ([`write_private_atomically`]). A
    /// symbolic link to a regular file is followed: the file it names is replaced and the
    /// link is kept.
    Atomic(PathBuf),
}

/// Why a path cannot take an output: what is there ("a directory", "a socket", ...).
#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub &'static str);

/// Names that mean standard output, as the shell and `/dev` spell it.
const STDOUT_NAMES: [&str; 4] = ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"];

/// How to write to `path`, by its metadata (`symlink_metadata`, then `metadata` through a
/// link). A path that cannot be examined for another reason (a directory that cannot be
/// read) is taken as a file: the write then says why it failed.
pub fn destination(path: &Path) -> Result<Destination, Refused> {
    let hops = link_chain(path);
    if hops
        .iter()
        .any(|p| STDOUT_NAMES.iter().any(|n| p == Path::new(n)))
    {
        return Ok(Destination::Stdout);
    }
    let Ok(link) = std::fs::symlink_metadata(path) else {
        return Ok(Destination::Atomic(path.to_owned()));
    };
    let meta = if link.file_type().is_symlink() {
        std::fs::metadata(path).map_err(|_| Refused("a symbolic link to nothing"))?
    } else {
        link.clone()
    };
    let through_descriptor = hops
        .iter()
        .any(|p| p.starts_with("/proc") || p.starts_with("/dev/fd"));
    if meta.is_file() && !through_descriptor {
        if !link.file_type().is_symlink() {
            return Ok(Destination::Atomic(path.to_owned()));
        }
        return std::fs::canonicalize(path)
            .map(Destination::Atomic)
            .map_err(|_| Refused("a symbolic link that cannot be followed"));
    }
    if meta.is_file() || is_pipe_or_character_device(&meta) {
        return Ok(Destination::Straight(path.to_owned()));
    }
    Err(Refused(what_it_is(&meta)))
}

/// `path` and each path its symbolic links lead to, up to the first under `/proc` (whose
/// links name open files, not paths).
fn link_chain(path: &Path) -> Vec<PathBuf> {
    let mut hops = vec![path.to_owned()];
    while hops.len() < 40 {
        let last = &hops[hops.len() - 1];
        if last.starts_with("/proc") {
            break;
        }
        let Ok(next) = std::fs::read_link(last) else {
            break;
        };
        let next = match last.parent() {
            Some(dir) if next.is_relative() => dir.join(next),
            _ => next,
        };
        hops.push(next);
    }
    hops
}

#[cfg(unix)]
fn is_pipe_or_character_device(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo() || meta.file_type().is_char_device()
}

#[cfg(not(unix))]
fn is_pipe_or_character_device(_: &std::fs::Metadata) -> bool {
    false
}

fn what_it_is(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if meta.file_type().is_socket() {
            return "a socket";
        }
        if meta.file_type().is_block_device() {
            return "a block device";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "neither a file, a pipe nor a character device"
    }
}

/// Writes to an existing FIFO or device whatever `write` writes (buffered): no temporary
/// file, no rename, no change of mode. A FIFO with no reader waits for one, as `cat > FIFO`
/// does.
pub fn write_straight(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut out = BufWriter::new(OpenOptions::new().append(true).open(path)?);
    write(&mut out)?;
    out.flush()
}

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

/// A temporary file, removed when dropped (a failed write, a panic) and by the signal
/// watcher; once renamed into place there is nothing at its path to remove.
struct Pending(PathBuf);

impl Pending {
    fn new(path: PathBuf) -> Self {
        crate::signals::pending(path.clone());
        Self(path)
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        crate::signals::written(&self.0);
        let _ = std::fs::remove_file(&self.0);
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
    fn what_is_at_the_path_decides_how_it_is_written() {
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
            let null = Path::new("/dev/null");
            assert_eq!(destination(null), Ok(Destination::Straight(null.into())));
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            let resolved = std::fs::canonicalize(&file).unwrap();
            assert_eq!(destination(&link), Ok(Destination::Atomic(resolved)));
            let dangling = dir.path().join("dangling.json");
            std::os::unix::fs::symlink(dir.path().join("nothing"), &dangling).unwrap();
            assert_eq!(
                destination(&dangling),
                Err(Refused("a symbolic link to nothing"))
            );
            let socket = dir.path().join("socket");
            let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
            assert_eq!(destination(&socket), Err(Refused("a socket")));
            let fifo = dir.path().join("fifo");
            mkfifo(&fifo);
            assert_eq!(destination(&fifo), Ok(Destination::Straight(fifo.clone())));
        }
    }

    /// The crate has no unsafe code, so no libc: the `mkfifo` command makes one.
    #[cfg(unix)]
    fn mkfifo(path: &Path) {
        let made = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap();
        assert!(made.success());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_straight_to_and_stays_a_fifo() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        mkfifo(&fifo);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write_straight(&fifo, |w| w.write_all(b"through the pipe")).unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_directory_is_an_error_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/out.json");
        assert!(write_private_atomically(&path, |w| w.write_all(b"x")).is_err());
    }
}
