//! The unit service: one process owns the store, every vlu is its client (`vlu serve`).

mod answer;
pub mod client;
mod door;
pub mod identity;
mod outputs;
pub mod proto;
pub mod server;
mod shared;

use std::io;
use std::path::{Path, PathBuf};

/// The longest socket path the kernel binds (`sun_path` holds 108 bytes with its NUL).
const LONGEST_SOCKET_PATH: usize = 100;

/// The socket's name in the data directory.
const SOCKET: &str = "vlu.sock";

/// Where the service of the store in `dir` listens: `vlu.sock` in the data directory — a
/// directory only the service's account may create entries in (the service refuses any
/// other), never a predictable name in a shared place such as `/tmp`.
pub fn socket_path(dir: &Path) -> PathBuf {
    dir.join(SOCKET)
}

/// `reach` given a path to the socket of the store in `dir` that the kernel can bind and
/// connect to. A deep data directory makes `dir/vlu.sock` too long for `sun_path`; the
/// socket stays where it is, reached through the directory opened here
/// (`/proc/self/fd/N/vlu.sock`), never moved to a shorter, shared place.
pub fn at_socket<T>(dir: &Path, reach: impl FnOnce(&Path) -> io::Result<T>) -> io::Result<T> {
    let inside = socket_path(dir);
    if inside.as_os_str().len() <= LONGEST_SOCKET_PATH {
        return reach(&inside);
    }
    let opened = std::fs::File::open(dir)?;
    let fd = std::os::fd::AsRawFd::as_raw_fd(&opened);
    let short = PathBuf::from(format!("/proc/self/fd/{fd}/{SOCKET}"));
    let reached = reach(&short);
    drop(opened);
    reached
}
