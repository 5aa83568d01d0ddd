//! The unit service: one process owns the store, every vlu is its client (`vlu serve`).

pub mod client;
pub mod identity;
pub mod proto;
pub mod server;

use std::path::{Path, PathBuf};

/// The longest socket path the kernel binds (`sun_path` holds 108 bytes with its NUL).
const LONGEST_SOCKET_PATH: usize = 100;

/// Where the service of the store in `dir` listens: `vlu.sock` in the data directory, or,
/// where that path is too long to bind, a short one in the runtime (or temporary) directory
/// named by the user and a checksum of the data directory's full path — never a path cut
/// short.
pub fn socket_path(dir: &Path) -> PathBuf {
    let inside = dir.join("vlu.sock");
    if inside.as_os_str().len() <= LONGEST_SOCKET_PATH {
        return inside;
    }
    let full = std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned());
    let sum = crc32fast::hash(full.as_os_str().as_encoded_bytes());
    let uid = rustix::process::getuid().as_raw();
    let base = std::env::var_os("XDG_RUNTIME_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
    base.join(format!("vlu-{uid}-{sum:08x}.sock"))
}
