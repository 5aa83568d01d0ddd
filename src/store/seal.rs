//! A unit's backups are signed: an HMAC-SHA256 over the whole file, with a key that only the
//! store's own account can read, made when the first backup is taken. A restore takes a
//! backup only if its signature is this unit's; a CRC, which anyone can recompute after
//! changing a file, is no longer what vouches for it.
//!
//! The key lives in `keys/backup.key` in the data directory (the folder 0700, the file 0600,
//! both the store's account's). The unit's identity — named in each backup's header — is
//! derived from the key, so another unit's backup is told apart from a tampered one by its
//! header and refused for its signature either way. A signed file is the backup as before
//! followed by [`MAGIC`] and the 32-byte signature.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::StoreError;
use super::lock::create_private_dir;

type Signer = Hmac<Sha256>;

/// What ends a signed backup, before its signature.
const MAGIC: &[u8; 8] = b"VLUSIG1\n";
const TRAILER_LEN: usize = 8 + 32;
const TRAILER: u64 = TRAILER_LEN as u64;

/// A unit's backup key and the identity derived from it.
#[derive(Clone)]
pub struct Key {
    bytes: [u8; 32],
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key(unit {})", self.unit())
    }
}

/// What a backup's signature says of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signature {
    /// Made by this unit's store, and unchanged since.
    Ours,
    /// Signed, but not with this unit's key: changed since, or another unit's.
    Foreign,
    /// Not signed at all (taken by a vlu from before backups were signed).
    Unsigned,
}

/// Where the store in `dir` keeps its key.
pub fn key_path(dir: &Path) -> PathBuf {
    dir.join("keys").join("backup.key")
}

impl Key {
    /// The unit's key, made (from the system's random source) if there is none yet. A key
    /// file anyone but its owner could read or change is refused.
    pub fn of_store(dir: &Path) -> Result<Self, StoreError> {
        let path = key_path(dir);
        let io = |action, source| StoreError::Io {
            action,
            path: path.clone(),
            source,
        };
        match std::fs::symlink_metadata(&path) {
            Ok(meta) => {
                use std::os::unix::fs::MetadataExt;
                if !meta.is_file() || meta.mode() & 0o077 != 0 {
                    return Err(StoreError::Refused(format!(
                        "the backup key {} is not a private file of the store's (mode 0600): \
                         backups cannot be signed or checked until it is",
                        path.display()
                    )));
                }
                let mut bytes = [0u8; 32];
                File::open(&path)
                    .and_then(|mut f| f.read_exact(&mut bytes))
                    .map_err(|e| io("read the backup key", e))?;
                Ok(Self { bytes })
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let folder = path.parent().unwrap_or(dir);
                create_private_dir(folder).map_err(|e| io("create the folder of", e))?;
                let mut bytes = [0u8; 32];
                File::open("/dev/urandom")
                    .and_then(|mut f| f.read_exact(&mut bytes))
                    .map_err(|e| io("make the backup key", e))?;
                crate::fsutil::write_private_atomically(&path, |out| out.write_all(&bytes))
                    .map_err(|e| io("write the backup key", e))?;
                Ok(Self { bytes })
            }
            Err(e) => Err(io("read the backup key", e)),
        }
    }

    /// The unit's identity, as a backup's header names it: 16 hex digits derived from the
    /// key (which it does not give away).
    pub fn unit(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"vlu unit identity\n");
        h.update(self.bytes);
        h.finalize()[..8]
            .iter()
            .fold(String::with_capacity(16), |mut hex, b| {
                use std::fmt::Write as _;
                let _ = write!(hex, "{b:02x}");
                hex
            })
    }

    fn signer(&self) -> Signer {
        Signer::new_from_slice(&self.bytes).expect("HMAC takes a key of any length")
    }

    /// A writer that signs everything written through it, to `out`; [`Signing::finish`]
    /// appends the signature.
    pub fn signing<W: Write>(&self, out: W) -> Signing<W> {
        Signing {
            out,
            mac: self.signer(),
        }
    }

    /// What the signature of the backup at `path` says, read in one pass.
    pub fn check(&self, path: &Path) -> Result<Signature, StoreError> {
        let io = |source| StoreError::Io {
            action: "read the backup",
            path: path.to_owned(),
            source,
        };
        let mut file = File::open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        if len < TRAILER {
            return Ok(Signature::Unsigned);
        }
        file.seek(SeekFrom::Start(len - TRAILER)).map_err(io)?;
        let mut trailer = [0u8; TRAILER_LEN];
        file.read_exact(&mut trailer).map_err(io)?;
        if &trailer[..8] != MAGIC {
            return Ok(Signature::Unsigned);
        }
        file.rewind().map_err(io)?;
        let mut mac = self.signer();
        let mut body = file.take(len - TRAILER);
        let mut buffer = vec![0u8; 1 << 16];
        loop {
            let n = body.read(&mut buffer).map_err(io)?;
            if n == 0 {
                break;
            }
            mac.update(&buffer[..n]);
        }
        Ok(if mac.verify_slice(&trailer[8..]).is_ok() {
            Signature::Ours
        } else {
            Signature::Foreign
        })
    }
}

/// A writer that signs what passes through it.
pub struct Signing<W: Write> {
    out: W,
    mac: Signer,
}

impl<W: Write> Signing<W> {
    /// Writes the signature after everything written, and gives the writer back.
    pub fn finish(mut self) -> io::Result<W> {
        let signature = self.mac.finalize().into_bytes();
        self.out.write_all(MAGIC)?;
        self.out.write_all(&signature)?;
        Ok(self.out)
    }
}

impl<W: Write> Write for Signing<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let n = self.out.write(bytes)?;
        self.mac.update(&bytes[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(key: &Key, body: &[u8], dir: &Path) -> PathBuf {
        let path = dir.join("signed.backup");
        let mut s = key.signing(File::create(&path).unwrap());
        s.write_all(body).unwrap();
        s.finish().unwrap();
        path
    }

    #[test]
    fn a_signature_holds_for_the_unit_and_the_file_it_was_made_for_only() {
        let dir = tempfile::tempdir().unwrap();
        let ours = Key::of_store(&dir.path().join("a")).unwrap();
        assert_eq!(
            Key::of_store(&dir.path().join("a")).unwrap().unit(),
            ours.unit(),
            "kept"
        );
        let theirs = Key::of_store(&dir.path().join("b")).unwrap();
        assert_ne!(ours.unit(), theirs.unit());
        let path = signed(&ours, b"every record", dir.path());
        assert_eq!(ours.check(&path).unwrap(), Signature::Ours);
        assert_eq!(theirs.check(&path).unwrap(), Signature::Foreign);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[3] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(ours.check(&path).unwrap(), Signature::Foreign, "changed");
        std::fs::write(&path, b"every record").unwrap();
        assert_eq!(ours.check(&path).unwrap(), Signature::Unsigned);
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(key_path(&dir.path().join("a")))
                .unwrap()
                .permissions(),
        );
        assert_eq!(mode & 0o777, 0o600);
    }
}
