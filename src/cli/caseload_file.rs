//! A caseload file to import, opened for its two reads (`unit::import`): a file on disk is
//! read again from its start; what cannot be — standard input, an age file once decrypted —
//! is held in memory instead.

use std::fs::File;
use std::io::{Read, Seek};
use std::path::Path;

use super::crypt::{self, DecryptArgs};
use crate::error::Error;
use crate::unit::import::Source;

/// The file at `path` (`-`: standard input); an age file (found by its header, binary or
/// armoured) is decrypted first.
pub(super) fn open(path: &Path, decrypt: &DecryptArgs) -> Result<Source, Error> {
    let read = |source| Error::Read {
        path: path.to_owned(),
        source,
    };
    let in_memory = |bytes: Vec<u8>| -> Result<Source, Error> {
        Ok(Source::Memory(if crypt::is_age(&bytes) {
            crypt::open(&bytes, path, decrypt)?
        } else {
            bytes
        }))
    };
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map_err(read)?;
        return in_memory(bytes);
    }
    let mut file = File::open(path).map_err(read)?;
    // The armour line may follow white space: the start is enough to tell.
    let mut start = Vec::with_capacity(4096);
    (&mut file)
        .take(4096)
        .read_to_end(&mut start)
        .map_err(read)?;
    if crypt::is_age(&start) {
        file.rewind().map_err(read)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(read)?;
        return in_memory(bytes);
    }
    Ok(Source::Disk(file))
}
