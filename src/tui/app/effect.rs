//! What the screens ask the loop to do with the store: each change to save, each thing to
//! be audited before it is shown, each read an administrator asks for.

use crate::domain::letter::LetterRequest;
use crate::domain::model::{Case, Contact, Victim};
use crate::letters::Letter;
use crate::store::Snooze;

/// A change for the loop to save.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    AppendContact {
        victim: String,
        contact: Contact,
    },
    /// A victim's new status, with the log entry that records it, saved together; made from
    /// version `base` of the record (the one its form was opened on).
    SetStatus {
        victim: Box<Victim>,
        contact: Contact,
        base: u64,
    },
    Snooze(Snooze),
    /// Someone asked to see a victim's contact details: audited before they are shown.
    Reveal {
        victim: String,
    },
    /// A new victim; the store gives its id when the form left it empty.
    AddVictim(Box<Victim>),
    /// A new case; the store gives its id when the form left it empty.
    AddCase(Box<Case>),
    /// A victim's record was opened: audited as a consultation before it is drawn (the
    /// loop performs every effect before it draws again).
    Consult {
        victim: String,
    },
    /// A changed victim record (its contact log untouched), made from version `base`.
    SaveVictim {
        victim: Box<Victim>,
        base: u64,
    },
    /// Close a case and its victims (made from the case's version in `Closing::base`).
    CloseCase(crate::store::Closing),
    /// A changed case record, made from version `base`; `why`, for the audit trail.
    SaveCase {
        case: Box<Case>,
        base: u64,
        why: Option<String>,
    },
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
    RecordLetter {
        victim: String,
        contact: Contact,
    },
    /// The monitoring return to ask of the store (which writes nothing but its audit).
    Report(Box<crate::store::ReportAsk>),
    /// Erase a victim, or a case with its victims, for good (administrators).
    Erase {
        target: crate::domain::retention::Target,
        reason: crate::domain::retention::Reason,
    },
    /// Everything held about a victim (administrators; the store records the disclosure).
    SubjectAccess {
        victim: String,
    },
    /// The audit trail's entries a query asks for (administrators).
    Audit(crate::store::AuditQuery),
}

impl Effect {
    /// The change, made from version `base` of its record: the version its form was opened
    /// on, so that a change someone saved meanwhile is not silently overwritten.
    #[must_use]
    pub fn made_from(self, from: u64) -> Self {
        match self {
            Effect::SetStatus {
                victim, contact, ..
            } => Effect::SetStatus {
                victim,
                contact,
                base: from,
            },
            Effect::SaveVictim { victim, .. } => Effect::SaveVictim { victim, base: from },
            Effect::SaveCase { case, why, .. } => Effect::SaveCase {
                case,
                base: from,
                why,
            },
            Effect::CloseCase(closing) => Effect::CloseCase(crate::store::Closing {
                base: from,
                ..closing
            }),
            other => other,
        }
    }
}
