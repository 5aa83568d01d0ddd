//! The errors a user can meet, each one plain sentence with an exit status (FORMAT.md §1).

use std::path::{Path, PathBuf};

use crate::config::ConfigError;
use crate::domain::text::plural;
use crate::domain::validate::Problem;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line is wrong.
    #[error("{0}")]
    Usage(String),
    /// A caseload file has problems; every one is listed.
    #[error("{} in {}; nothing was imported", plural(.problems.len(), "problem"), shown(.file))]
    Invalid {
        file: PathBuf,
        problems: Vec<Problem>,
    },
    /// A keymap file has problems (`vlu keymap check`); every one is listed.
    #[error(
        "{} in the keymap {}; the screens would run without it until it is fixed",
        plural(.problems.len(), "problem"),
        .file.display()
    )]
    BadKeymap {
        file: PathBuf,
        problems: Vec<String>,
    },
    /// A unit's letter templates have problems; every one is listed.
    #[error(
        "{} in the letter templates {}; no letter is made from them until they are fixed",
        plural(.problems.len(), "problem"),
        if .dir.as_os_str().is_empty() { "built into vlu".to_owned() } else { .dir.display().to_string() }
    )]
    BadTemplates { dir: PathBuf, problems: Vec<String> },
    /// An input could not be read.
    #[error("cannot read {}: {source}", shown(.path))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// An output could not be written.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Integrity problems found by `vlu check`.
    #[error("the store in {} has {}", .dir.display(), plural(.findings.len(), "problem"))]
    Unsound { dir: PathBuf, findings: Vec<String> },
    /// A letter template that could not be used (a unit's own, named in the configuration).
    #[error("the letter template {0}")]
    Template(String),
    /// Something that is not built yet.
    #[error("{0}")]
    NotYet(String),
    /// `vlu status` asked for the officer of an account the configuration maps to none: the
    /// count cannot be made (exit 1; a shell prompt runs `vlu status 2>/dev/null || true`).
    #[error(
        "{} is not an officer of the unit in {}: map the user to one under [officers] in the \
         configuration, or count the whole unit with vlu status --all",
        crate::domain::text::visible(.user),
        .dir.display()
    )]
    NotAnOfficer { user: String, dir: PathBuf },
    /// The unit service could not start: its own sentence and exit status.
    #[error("{said}")]
    Service { code: i32, said: String },
}

/// A file as messages name it: `-` is standard input.
pub fn shown(path: &Path) -> String {
    if path == Path::new("-") {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    }
}

/// The most problems of a file printed: a sheet with a million bad rows is not listed whole.
pub const MOST_LISTED: usize = 1000;

impl Error {
    /// The exit status: 2 bad input, usage or a refusal ("… may not …"), 3 store in use, 1
    /// anything else (as `--help` and the manual page say: `cli::docs::EXIT_STATUS`).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_)
            | Error::Invalid { .. }
            | Error::BadKeymap { .. }
            | Error::BadTemplates { .. }
            | Error::Read { .. }
            | Error::Config(_)
            | Error::Template(_)
            | Error::Store(
                StoreError::Refused(_)
                | StoreError::Forbidden { .. }
                | StoreError::NotFound { .. }
                | StoreError::Invalid(_)
                | StoreError::Conflict { .. }
                | StoreError::NotADirectory(_)
                | StoreError::Exposed { .. },
            ) => 2,
            Error::Store(StoreError::InUse(_)) => 3,
            Error::Service { code, .. } => *code,
            Error::Store(_)
            | Error::Write { .. }
            | Error::Unsound { .. }
            | Error::NotYet(_)
            | Error::NotAnOfficer { .. } => 1,
        }
    }

    /// The error with the store's directory named where the store could not say it itself
    /// (the engine's errors do not know where the store is).
    #[must_use]
    pub fn in_store(self, dir: &std::path::Path) -> Self {
        match self {
            Error::Store(StoreError::Engine(source)) => Error::Store(StoreError::Failed {
                dir: dir.to_owned(),
                source,
            }),
            other => other,
        }
    }

    /// Lines to print before the sentence itself (each problem of a file or a store).
    pub fn details(&self) -> Vec<String> {
        match self {
            Error::Invalid { problems, .. } => {
                let mut lines: Vec<String> = problems
                    .iter()
                    .take(MOST_LISTED)
                    .map(ToString::to_string)
                    .collect();
                if problems.len() > MOST_LISTED {
                    lines.push(format!(
                        "… and {} more problems, not listed (the first {MOST_LISTED} are)",
                        problems.len() - MOST_LISTED
                    ));
                }
                lines
            }
            Error::Unsound { findings, .. }
            | Error::BadKeymap {
                problems: findings, ..
            }
            | Error::BadTemplates {
                problems: findings, ..
            } => findings.clone(),
            _ => Vec::new(),
        }
    }
}
