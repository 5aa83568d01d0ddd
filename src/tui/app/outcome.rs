//! What comes back to the screens from the store: one message type for everything the loop
//! (or the unit service's news) hands over. The loop makes an [`Outcome`] of each result and
//! gives it to [`App::on_outcome`]; no other way of telling the screens what the store did
//! is used by the loop.

use std::path::PathBuf;

use super::{AdminView, App, Effect};
use crate::domain::model::{Case, Victim};
use crate::domain::report::Report;
use crate::letters::Letter;
use crate::store::{Changed, Digest, Erased, Record, Snooze};
use crate::unit::api::Fresh;

/// A result of an effect, or news of someone else's change.
#[derive(Debug)]
pub enum Outcome {
    /// A save went through: what it changed, and those records as they now are.
    Saved {
        effect: Box<Effect>,
        changed: Changed,
        fresh: Box<Fresh>,
    },
    /// Someone else's change, read back from the store.
    ChangedBy {
        fresh: Box<Fresh>,
        by: String,
    },
    /// The caseload and the snoozes read again (missed news, a reconnect).
    Reloaded {
        digest: Box<Digest>,
        snoozes: Vec<Snooze>,
    },
    /// An erasure made, and the caseload read again after it (`None`: thin screens, which
    /// ask for what they show again).
    Erased {
        erased: Box<Erased>,
        digest: Option<Box<Digest>>,
        snoozes: Vec<Snooze>,
    },
    /// What thin screens show, as the unit service sent it.
    Window(Box<crate::unit::window::Window>),
    /// A victim's whole record, its case, and the versions read with them.
    RecordLoaded {
        victim: Box<Victim>,
        case: Option<Box<Case>>,
        versions: Vec<(Record, String, u64)>,
    },
    /// A victim's record could not be read: why.
    RecordUnreadable {
        victim: String,
        why: String,
    },
    /// A letter made for the person to read before it is saved (or why it could not be).
    LetterPreviewed(Result<Box<Letter>, String>),
    /// A letter saved, where.
    LetterSaved(PathBuf),
    /// Opening a victim could not be recorded as a consultation: why.
    ConsultationFailed(String),
    /// The monitoring return as the store worked it out.
    ReportLoaded(Box<Report>),
    ReportFailed(String),
    /// An administrator's view: the audit trail or a subject access.
    AdminLoaded(AdminView),
    /// Anything else that failed: its sentence.
    Failed(String),
}

impl App {
    /// What the store did, told to the screens.
    pub fn on_outcome(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Saved {
                effect,
                changed,
                fresh,
            } => {
                self.store_changed(*fresh);
                self.saved(&effect, &changed);
            }
            Outcome::ChangedBy { fresh, by } => self.changed_by(*fresh, &by),
            Outcome::Window(window) => self.window_loaded(*window),
            Outcome::Reloaded { digest, snoozes } => self.reload(*digest, snoozes),
            Outcome::Erased {
                erased,
                digest,
                snoozes,
            } => {
                match digest {
                    Some(digest) => self.reload(*digest, snoozes),
                    None => {
                        self.reread();
                    }
                }
                self.erased(&erased);
            }
            Outcome::RecordLoaded {
                victim,
                case,
                versions,
            } => {
                self.record_loaded(*victim, case.map(|c| *c));
                self.versions_read(versions);
            }
            Outcome::RecordUnreadable { victim, why } => self.record_unreadable(&victim, &why),
            Outcome::LetterPreviewed(made) => self.letter_previewed(made.map(|l| *l)),
            Outcome::LetterSaved(path) => self.letter_saved(path),
            Outcome::ConsultationFailed(why) => self.consultation_failed(&why),
            Outcome::ReportLoaded(report) => self.report_loaded(*report),
            Outcome::ReportFailed(why) => self.report_failed(&why),
            Outcome::AdminLoaded(view) => self.admin_loaded(view),
            Outcome::Failed(why) => self.failed(&why),
        }
    }
}
