//! Caseload files that leave the unit encrypted, in the `age` format (age-encryption.org/v1):
//! `vlu export --encrypt-to RECIPIENT` or `--passphrase`, and `vlu import` reading such a
//! file back. A passphrase is never taken from the command line, where every user of the
//! machine can read it (`ps`): it comes from the terminal, a file, or `VLU_PASSPHRASE`.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use clap::Args;

use crate::error::{Error, shown};

/// The variable a script may give a passphrase in.
const PASSPHRASE_VAR: &str = "VLU_PASSPHRASE";

/// `vlu export`'s encryption options. (The doc comments are the options' help text, written
/// for the person at the terminal, not for rustdoc.)
#[allow(clippy::doc_markdown)]
#[derive(Debug, Clone, Default, Args)]
pub struct EncryptArgs {
    /// Encrypt the export to this age recipient: a public key (age1…) or a file of them, one
    /// a line. Repeat it for several; any one of their identity files then opens the file.
    /// E.g. --encrypt-to age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p,
    /// --encrypt-to /etc/vlu/recipients.txt
    #[arg(long, value_name = "RECIPIENT", help_heading = "Encryption")]
    pub encrypt_to: Vec<String>,
    /// Encrypt the export with a passphrase: asked on the terminal (twice), or read from
    /// --passphrase-file or VLU_PASSPHRASE. E.g. vlu export --passphrase caseload.json.age
    #[arg(long, conflicts_with = "encrypt_to", help_heading = "Encryption")]
    pub passphrase: bool,
    /// Read the passphrase from the first line of this file (for scripts; keep it 0600).
    /// Implies --passphrase. E.g. --passphrase-file ~/.config/vlu/transfer.pass
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "encrypt_to",
        help_heading = "Encryption"
    )]
    pub passphrase_file: Option<PathBuf>,
    /// Write the encrypted file as ASCII text (PEM-style armour) rather than binary, e.g. to
    /// paste it into a message body. E.g. --encrypt-to age1… --armor
    #[arg(long, help_heading = "Encryption")]
    pub armor: bool,
}

impl EncryptArgs {
    /// Whether the export is to be encrypted at all.
    pub fn wanted(&self) -> bool {
        !self.encrypt_to.is_empty() || self.passphrase || self.passphrase_file.is_some()
    }
}

/// `vlu import`'s options for an encrypted file.
#[allow(clippy::doc_markdown)]
#[derive(Debug, Clone, Default, Args)]
pub struct DecryptArgs {
    /// For a file encrypted to a recipient: the age identity file holding its secret key
    /// (AGE-SECRET-KEY-1…), as age-keygen writes it. Repeat it to try several.
    /// E.g. --identity ~/.config/vlu/unit.key
    #[arg(
        long,
        value_name = "FILE",
        env = "VLU_IDENTITY",
        help_heading = "Encrypted files"
    )]
    pub identity: Vec<PathBuf>,
    /// For a file encrypted with a passphrase: read it from the first line of this file
    /// instead of asking on the terminal (VLU_PASSPHRASE also does).
    /// E.g. --passphrase-file ~/.config/vlu/transfer.pass
    #[arg(long, value_name = "FILE", help_heading = "Encrypted files")]
    pub passphrase_file: Option<PathBuf>,
}

/// How an export is sealed: built before anything is written, so that a bad recipient or
/// a passphrase not given stops the command with nothing written.
pub struct Sealer {
    encryptor: age::Encryptor,
    armor: bool,
}

impl Sealer {
    /// The sealer `args` ask for (`None`: a plain export).
    pub fn from_args(args: &EncryptArgs) -> Result<Option<Self>, Error> {
        if !args.wanted() {
            return Ok(None);
        }
        let encryptor = if args.encrypt_to.is_empty() {
            let passphrase = passphrase(args.passphrase_file.as_deref(), true)?;
            age::Encryptor::with_user_passphrase(passphrase)
        } else {
            let recipients = recipients(&args.encrypt_to)?;
            age::Encryptor::with_recipients(recipients.iter().map(|r| &**r as _))
                .map_err(|e| Error::Usage(format!("cannot encrypt to those recipients: {e}")))?
        };
        Ok(Some(Self {
            encryptor,
            armor: args.armor,
        }))
    }

    /// Writes what `emit` writes, encrypted, into `out`.
    pub fn seal(
        self,
        out: &mut dyn Write,
        emit: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        use age::armor::{ArmoredWriter, Format};
        let format = if self.armor {
            Format::AsciiArmor
        } else {
            Format::Binary
        };
        let armored = ArmoredWriter::wrap_output(out, format)?;
        let mut sealed = self.encryptor.wrap_output(armored)?;
        emit(&mut sealed)?;
        sealed.finish()?.finish()?;
        Ok(())
    }
}

/// Writes what `emit` writes into `out`, sealed if `sealer` is given.
pub fn maybe_sealed(
    sealer: Option<Sealer>,
    out: &mut dyn Write,
    emit: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    match sealer {
        Some(s) => s.seal(out, emit),
        None => emit(out),
    }
}

/// Each `--encrypt-to`: a public key, or a file of them (one a line, `#` comments).
fn recipients(given: &[String]) -> Result<Vec<Box<dyn age::Recipient + Send>>, Error> {
    let mut out = Vec::new();
    for g in given {
        if let Some(r) = recipient(g.trim()) {
            out.push(r);
            continue;
        }
        let path = Path::new(g);
        let text = std::fs::read_to_string(path).map_err(|_| {
            Error::Usage(format!(
                "--encrypt-to {}: neither an age public key (age1…) nor a file of them that can be read",
                crate::domain::text::shortened(g, 80)
            ))
        })?;
        let before = out.len();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            out.push(recipient(line).ok_or_else(|| {
                Error::Usage(format!(
                    "{}, line {}: not an age public key (age1…)",
                    path.display(),
                    i + 1
                ))
            })?);
        }
        if out.len() == before {
            return Err(Error::Usage(format!(
                "{}: no age public key in it",
                path.display()
            )));
        }
    }
    Ok(out)
}

/// An age public key: X25519 (`age1…`) or post-quantum (`age1pq1…`).
fn recipient(text: &str) -> Option<Box<dyn age::Recipient + Send>> {
    if let Ok(r) = text.parse::<age::x25519::Recipient>() {
        return Some(Box::new(r));
    }
    text.parse::<age::tagpq::Recipient>()
        .ok()
        .map(|r| Box::new(r) as _)
}

/// The passphrase: from `file` (its first line), else `VLU_PASSPHRASE`, else asked on the
/// terminal (twice when `confirm`, for a new file). Never empty.
fn passphrase(file: Option<&Path>, confirm: bool) -> Result<SecretString, Error> {
    let given = if let Some(file) = file {
        let text = std::fs::read_to_string(file).map_err(|source| Error::Read {
            path: file.to_owned(),
            source,
        })?;
        text.lines().next().unwrap_or_default().to_owned()
    } else if let Some(v) = std::env::var_os(PASSPHRASE_VAR) {
        v.into_string()
            .map_err(|_| Error::Usage(format!("{PASSPHRASE_VAR} is not UTF-8 text")))?
    } else {
        ask(confirm)?
    };
    if given.is_empty() {
        return Err(Error::Usage("the passphrase is empty".into()));
    }
    Ok(SecretString::from(given))
}

/// The passphrase, typed on the terminal without echo (`/dev/tty`: standard input may be
/// the file itself).
fn ask(confirm: bool) -> Result<String, Error> {
    let no_terminal = |_| {
        Error::Usage(format!(
            "a passphrase is needed and there is no terminal to ask on: give it in a file with --passphrase-file FILE, or in {PASSPHRASE_VAR}"
        ))
    };
    let first = rpassword::prompt_password("Passphrase: ").map_err(no_terminal)?;
    if confirm {
        let again =
            rpassword::prompt_password("The same passphrase again: ").map_err(no_terminal)?;
        if again != first {
            return Err(Error::Usage(
                "the two passphrases differ; nothing was written".into(),
            ));
        }
    }
    Ok(first)
}

/// Whether `bytes` is an age file, binary or armoured.
pub fn is_age(bytes: &[u8]) -> bool {
    bytes.starts_with(b"age-encryption.org/")
        || bytes
            .trim_ascii_start()
            .starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----")
}

/// The plaintext of the age file `bytes` read from `file`: with a passphrase if it was
/// encrypted with one, else with the identities of `args`.
pub fn open(bytes: &[u8], file: &Path, args: &DecryptArgs) -> Result<Vec<u8>, Error> {
    let name = shown(file);
    let damaged = |e: &dyn std::fmt::Display| {
        Error::Usage(format!(
            "{name} cannot be decrypted: it is damaged or not a whole age file ({e}); nothing was imported"
        ))
    };
    let reader = age::armor::ArmoredReader::new(bytes);
    let decryptor = age::Decryptor::new(reader).map_err(|e| damaged(&e))?;
    let plain = if decryptor.is_scrypt() {
        let identity =
            age::scrypt::Identity::new(passphrase(args.passphrase_file.as_deref(), false)?);
        decryptor.decrypt(std::iter::once(&identity as _))
    } else {
        let identities = identities(&name, &args.identity)?;
        decryptor.decrypt(identities.iter().map(|i| &**i as _))
    };
    let mut reader = plain.map_err(|e| match e {
        age::DecryptError::NoMatchingKeys | age::DecryptError::DecryptionFailed => {
            Error::Usage(if args.identity.is_empty() {
                format!("the passphrase does not open {name}; nothing was imported")
            } else {
                format!("none of the identities given opens {name}; nothing was imported")
            })
        }
        other => damaged(&other),
    })?;
    let mut out = Vec::with_capacity(bytes.len());
    reader.read_to_end(&mut out).map_err(|e| damaged(&e))?;
    Ok(out)
}

/// The identities in the files named by `--identity`; none named is an error.
fn identities(
    name: &str,
    files: &[PathBuf],
) -> Result<Vec<Box<dyn age::Identity + Send + Sync>>, Error> {
    if files.is_empty() {
        return Err(Error::Usage(format!(
            "{name} is encrypted to a key: name the identity file that opens it with --identity FILE (or VLU_IDENTITY)"
        )));
    }
    let mut out = Vec::new();
    for f in files {
        let read = age::IdentityFile::from_file(f.to_string_lossy().into_owned())
            .map_err(|source| Error::Read {
                path: f.clone(),
                source,
            })?
            .into_identities()
            .map_err(|e| {
                Error::Usage(format!("{}: not an age identity file ({e})", f.display()))
            })?;
        out.extend(read);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_export_opens_with_its_identity_only() {
        let key = age::x25519::Identity::generate();
        let seal = Sealer {
            encryptor: age::Encryptor::with_recipients(std::iter::once(&key.to_public() as _))
                .unwrap(),
            armor: true,
        };
        let mut sealed = Vec::new();
        seal.seal(&mut sealed, |w| w.write_all(b"12 Fernlea Close"))
            .unwrap();
        assert!(is_age(&sealed));
        assert!(!is_age(b"{\"format\": \"vlu-caseload\"}"));
        assert!(!sealed.windows(7).any(|w| w == b"Fernlea"));

        let dir = tempfile::tempdir().unwrap();
        let id = dir.path().join("unit.key");
        std::fs::write(
            &id,
            format!(
                "{}\n",
                age::secrecy::ExposeSecret::expose_secret(&key.to_string())
            ),
        )
        .unwrap();
        let args = DecryptArgs {
            identity: vec![id],
            passphrase_file: None,
        };
        assert_eq!(
            open(&sealed, Path::new("x.age"), &args).unwrap(),
            b"12 Fernlea Close"
        );
        let other = dir.path().join("other.key");
        let stranger = age::x25519::Identity::generate();
        std::fs::write(
            &other,
            age::secrecy::ExposeSecret::expose_secret(&stranger.to_string()).as_bytes(),
        )
        .unwrap();
        let wrong = DecryptArgs {
            identity: vec![other],
            passphrase_file: None,
        };
        let refused = open(&sealed, Path::new("x.age"), &wrong).unwrap_err();
        assert!(
            refused.to_string().contains("none of the identities"),
            "{refused}"
        );
        let truncated = &sealed[..sealed.len() - 60];
        assert!(open(truncated, Path::new("x.age"), &args).is_err());
    }
}
