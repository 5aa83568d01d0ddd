//! Letters, made: the records read from the store, composed by the domain
//! (`domain::letter`), rendered through the unit's templates, checked once more, and
//! written as text or a Word document — atomically, readable by their owner only, never into
//! the store's data directory. Making one is audited before it is shown or written.

pub mod docx;
pub mod sample;
pub mod templates;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

pub use self::templates::{Problem, Templates};
use crate::domain::enums::LetterKind;
use crate::domain::letter::{Composed, LetterError, LetterInput, LetterRequest, compose};
use crate::domain::model::{Contact, Officer, Victim};
use crate::error::Error;
use crate::unit::api::UnitStore;

/// A letter ready to read, save and record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub kind: LetterKind,
    /// The victim record it was made for.
    pub victim: String,
    pub date: NaiveDate,
    /// Paragraphs separated by a blank line; a paragraph's lines kept (an address, a list).
    pub text: String,
    pub large_print: bool,
    /// The outbound letter to log once it is sent.
    pub record: Contact,
    /// For the officer, never in the letter.
    pub warnings: Vec<String>,
}

/// The two forms a letter is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Docx,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Docx => "docx",
        }
    }

    pub fn bytes(self, letter: &Letter) -> Vec<u8> {
        match self {
            Format::Text => letter.text.clone().into_bytes(),
            Format::Docx => docx::to_docx(letter),
        }
    }
}

/// What a template wrote, tidied: no spaces at the ends of lines, one blank line between
/// paragraphs, none at the start, one newline at the end.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for line in text.lines().map(str::trim_end) {
        if line.is_empty() {
            gap = !out.is_empty();
            continue;
        }
        if gap {
            out.push('\n');
            gap = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A composed letter through the templates; refused if the text would say anything no
/// letter may.
pub fn render(templates: &Templates, composed: &Composed) -> Result<Letter, Error> {
    let text = templates.render(composed).map_err(|e| {
        let p = templates::Problem {
            file: templates
                .dir
                .as_ref()
                .map_or_else(String::new, |d| format!("{}/", d.display()))
                + e.name().unwrap_or(&templates::file_of(composed.kind)),
            line: e.line(),
            message: e.to_string(),
        };
        Error::Template(p.to_string())
    })?;
    let text = tidy(&text);
    let mut guard = composed.guard.clone();
    guard.allow_letterhead(templates.letterhead());
    if let Some(what) = guard.check(&text) {
        return Err(Error::Usage(
            LetterError::Forbidden {
                kind: composed.kind.as_str(),
                victim: composed.victim.clone(),
                what,
            }
            .to_string(),
        ));
    }
    Ok(Letter {
        kind: composed.kind,
        victim: composed.victim.clone(),
        date: composed.record.on,
        text,
        large_print: composed.facts.needs.large_print,
        record: composed.record.clone(),
        warnings: composed.warnings.clone(),
    })
}

/// What a letter is made from besides the victim's own record.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The unit's officers (the one who signs is among them).
    pub officers: Vec<Officer>,
    pub unit: Option<String>,
    /// The ids of the case's other victims.
    pub others: Vec<String>,
    /// The signed-in officer, if an officer of the unit: signs the letter and is logged as `by`.
    pub signer: Option<String>,
}

/// A letter for victim `id`, read from the store; the store records, before anything is
/// made, that it was (`what` says where it goes: "letter", "letter preview").
pub fn prepare(
    store: &dyn UnitStore,
    templates: &Templates,
    id: &str,
    request: &LetterRequest,
    context: &Context,
    what: &str,
) -> Result<Letter, Error> {
    let Some(victim) = store.victim(id)? else {
        return Err(Error::Usage(format!(
            "there is no victim \"{id}\" in the store"
        )));
    };
    let Some(case) = store.case(&victim.case_id)? else {
        return Err(Error::Usage(format!(
            "the case {} of {id} is not in the store",
            victim.case_id
        )));
    };
    let mut others: Vec<Victim> = Vec::new();
    for other in context.others.iter().filter(|o| *o != id) {
        others.extend(store.victim(other)?);
    }
    let signer = context
        .signer
        .as_deref()
        .or(victim.allocated_to.as_deref())
        .and_then(|s| context.officers.iter().find(|o| o.id == s));
    let input = LetterInput {
        victim: &victim,
        case: &case,
        others: &others,
        officer: signer,
        unit: context.unit.as_deref(),
    };
    let composed = compose(&input, request, context.signer.as_deref())
        .map_err(|e| Error::Usage(e.to_string()))?;
    store.record_disclosure(&crate::store::Disclosure::of(
        &format!("{what} {}", request.kind),
        vec![id.to_owned()],
    ))?;
    render(templates, &composed)
}

/// The file name a letter is saved under by default: ids and dates only, never a name.
pub fn file_name(letter: &Letter, format: Format) -> String {
    let id: String = letter
        .victim
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "{id}-{}-{}.{}",
        letter.kind,
        letter.date,
        format.extension()
    )
}

/// Where the screens save letters unless told otherwise: the configured folder, else
/// `letters` in the user's documents folder, else the current folder.
pub fn default_dir(configured: Option<&Path>) -> PathBuf {
    if let Some(dir) = configured {
        return dir.to_owned();
    }
    directories::UserDirs::new()
        .and_then(|u| u.document_dir().map(|d| d.join("letters")))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Whether `path` would put a file inside the store's data directory.
pub fn inside(path: &Path, data_dir: &Path) -> bool {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let folder = std::fs::canonicalize(folder).unwrap_or_else(|_| absolute(folder));
    let data = std::fs::canonicalize(data_dir).unwrap_or_else(|_| absolute(data_dir));
    folder.starts_with(data)
}

/// Writes a letter's bytes to `path` as an export is written: atomically and readable by
/// its owner only (straight into a FIFO or device), never over a directory, never into the
/// store's data directory. A missing folder is made (readable by its owner only).
pub fn save(path: &Path, bytes: &[u8], data_dir: Option<&Path>) -> Result<(), Error> {
    use crate::fsutil::{Destination, Refused, destination};
    if data_dir.is_some_and(|d| inside(path, d)) {
        return Err(Error::Usage(format!(
            "{} is inside the store's data directory, where letters are never kept; choose another folder",
            path.display()
        )));
    }
    let write = |w: &mut dyn std::io::Write| w.write_all(bytes);
    let written = match destination(path) {
        Ok(Destination::Stdout) => {
            return Err(Error::Usage("name a file for the letter".into()));
        }
        Ok(Destination::Atomic(to)) => {
            if let Some(folder) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
                make_private_dir(folder).map_err(|source| Error::Write {
                    path: folder.to_owned(),
                    source,
                })?;
            }
            crate::fsutil::write_private_atomically(&to, |w| write(w))
        }
        Err(Refused(what)) => {
            return Err(Error::Usage(format!(
                "{} is {what}, which vlu does not write over; name a file",
                path.display()
            )));
        }
    };
    written.map_err(|source| Error::Write {
        path: path.to_owned(),
        source,
    })
}

fn make_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidying_keeps_one_blank_line_between_paragraphs() {
        assert_eq!(
            tidy("\n\nDear Jo,  \n\n\n\nHello.\nThere.\n\n\n"),
            "Dear Jo,\n\nHello.\nThere.\n"
        );
    }

    #[test]
    fn a_letter_is_never_written_into_the_data_directory() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        let refused = save(&data.join("letter.txt"), b"x", Some(&data)).unwrap_err();
        assert_eq!(refused.exit_code(), 2);
        assert!(!data.join("letter.txt").exists());
        let out = dir.path().join("letters/a.txt");
        save(&out, b"Dear Jo,\n", Some(&data)).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"Dear Jo,\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&out), 0o600);
            assert_eq!(mode(&dir.path().join("letters")), 0o700);
        }
    }
}
