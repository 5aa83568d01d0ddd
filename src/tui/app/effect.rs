//! What the screens ask the loop to do with the store: each change to save, each thing to
//! be audited before it is shown, each read an administrator asks for.

use crate::domain::letter::LetterRequest;
use crate::domain::model::Contact;
use crate::letters::Letter;
use crate::unit::command::Command;

/// A change for the loop to save.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// A change to the casework, for the store to make as it is.
    Save(Command),
    /// Someone asked to see a victim's contact details: audited before they are shown.
    Reveal { victim: String },
    /// A victim's record was opened: audited as a consultation before it is drawn (the
    /// loop performs every effect before it draws again).
    Consult { victim: String },
    /// Make a letter to read: the store audits it first.
    PreviewLetter {
        victim: String,
        request: LetterRequest,
    },
    /// Write a letter to a file (audited).
    SaveLetter {
        letter: Box<Letter>,
        path: std::path::PathBuf,
        format: crate::letters::Format,
    },
    /// Log a letter as sent: one more outbound entry in the victim's log, as a logged contact.
    RecordLetter { victim: String, contact: Contact },
    /// The monitoring return to ask of the store (which writes nothing but its audit).
    Report(Box<crate::store::ReportAsk>),
    /// Erase a victim, or a case with its victims, for good (administrators).
    Erase {
        target: crate::domain::retention::Target,
        reason: crate::domain::retention::Reason,
    },
    /// Everything held about a victim (administrators; the store records the disclosure).
    SubjectAccess { victim: String },
    /// The audit trail's entries a query asks for (administrators).
    Audit(crate::store::AuditQuery),
}

impl Effect {
    /// The change, made from version `base` of its record: the version its form was opened
    /// on, so that a change someone saved meanwhile is not silently overwritten.
    #[must_use]
    pub fn made_from(self, from: u64) -> Self {
        match self {
            Effect::Save(command) => Effect::Save(command.made_from(from)),
            other => other,
        }
    }
}
