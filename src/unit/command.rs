//! Every change a person can make to the unit's casework, as one value: the screens' effect,
//! the wire's request and the service's dispatch all carry a [`Command`] as it is, and
//! [`Command::run`] is the one place each is carried out. A new kind of change is a variant
//! here and an arm in `run` (and, for the screens, the key that makes it).
//!
//! Who may make it is decided from what it does ([`Command::action`]), and it is made in
//! its speaker's name ([`Command::in_name_of`]): what they log, close or snooze is theirs,
//! whatever officer the command names.

use serde::{Deserialize, Serialize};

use super::access::Action;
use crate::domain::model::{Case, Contact, Victim};
use crate::store::{Changed, Closing, Reallocation, Snooze, Store, StoreError};

/// A change to the unit's casework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// One more entry in a victim's log (the log is append-only).
    LogContact { victim: String, contact: Contact },
    /// A changed victim record (its log untouched), made from version `base` of it; with
    /// `contact`, the log entry that records the change (a new status), saved together.
    SaveVictim {
        victim: Box<Victim>,
        base: u64,
        contact: Option<Contact>,
    },
    /// A changed case record, made from version `base`; `why`, for the audit trail (a key
    /// date corrected or removed).
    SaveCase {
        case: Box<Case>,
        base: u64,
        why: Option<String>,
    },
    /// A new victim; the store gives the id when it is empty.
    AddVictim(Box<Victim>),
    /// A new case; the store gives the id when it is empty.
    AddCase(Box<Case>),
    /// A case closed, and each of its victims, with an entry in each log.
    CloseCase(Closing),
    /// Victims given to other officers in one write.
    Reallocate(Reallocation),
    /// A reminder put off.
    Snooze(Snooze),
    /// A reminder's snooze ended before its date (by its identity).
    Unsnooze { reminder: String },
}

/// Who is making a change: the account (from the kernel, never the client's word) and the
/// unit's officer it is, if it is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: String,
    pub officer: Option<String>,
}

impl Command {
    /// The command's name, for the service's log: never anything it carries.
    pub fn kind(&self) -> &'static str {
        match self {
            Command::LogContact { .. } => "log-contact",
            Command::SaveVictim { .. } => "save-victim",
            Command::SaveCase { .. } => "save-case",
            Command::AddVictim(_) => "add-victim",
            Command::AddCase(_) => "add-case",
            Command::CloseCase(_) => "close-case",
            Command::Reallocate(_) => "reallocate",
            Command::Snooze(_) => "snooze",
            Command::Unsnooze { .. } => "unsnooze",
        }
    }

    /// What the change does, as far as who may make it goes: a save that gives a victim to
    /// another officer is a reallocation, and one that marks a case transferred a transfer,
    /// whichever command carries it.
    pub fn action(&self, store: &Store) -> Action {
        match self {
            Command::LogContact { .. }
            | Command::AddVictim(_)
            | Command::AddCase(_)
            | Command::CloseCase(_)
            | Command::Snooze(_)
            | Command::Unsnooze { .. } => Action::Work,
            Command::SaveVictim { victim, .. } => {
                let moves = store
                    .victim(&victim.id)
                    .ok()
                    .flatten()
                    .is_some_and(|before| before.allocated_to != victim.allocated_to);
                if moves {
                    Action::Reallocate
                } else {
                    Action::Work
                }
            }
            Command::SaveCase { case, .. } => {
                let before = store.case(&case.id).ok().flatten();
                if before.is_some_and(|b| b.transferred != case.transferred) {
                    Action::Transfer
                } else {
                    Action::Work
                }
            }
            Command::Reallocate(_) => Action::Reallocate,
        }
    }

    /// The command as `actor` may make it: the entries they log, the case they close and
    /// the reminder they snooze are theirs.
    #[must_use]
    pub fn in_name_of(self, actor: &Actor) -> Self {
        let by = actor.officer.clone();
        match self {
            Command::LogContact {
                victim,
                mut contact,
            } => {
                contact.by = by;
                Command::LogContact { victim, contact }
            }
            Command::SaveVictim {
                victim,
                base,
                contact,
            } => Command::SaveVictim {
                victim,
                base,
                contact: contact.map(|c| Contact { by, ..c }),
            },
            Command::CloseCase(closing) => Command::CloseCase(Closing { by, ..closing }),
            Command::Snooze(snooze) => Command::Snooze(Snooze {
                by: by.unwrap_or_else(|| actor.user.clone()),
                ..snooze
            }),
            other => other,
        }
    }

    /// The change, made from version `base` of its record: the version its form was opened
    /// on, so that a change someone saved meanwhile is not silently overwritten.
    #[must_use]
    pub fn made_from(self, base: u64) -> Self {
        match self {
            Command::SaveVictim {
                victim, contact, ..
            } => Command::SaveVictim {
                victim,
                base,
                contact,
            },
            Command::SaveCase { case, why, .. } => Command::SaveCase { case, base, why },
            Command::CloseCase(closing) => Command::CloseCase(Closing { base, ..closing }),
            other => other,
        }
    }

    /// The change made in the store: the one handler of each command. (Made in the name
    /// the store acts in: the unit service sets it to the speaker's, under its lock.)
    pub fn run(&self, store: &Store) -> Result<Changed, StoreError> {
        store.in_turn(|| self.run_in_turn(store))
    }

    fn run_in_turn(&self, store: &Store) -> Result<Changed, StoreError> {
        match self {
            Command::LogContact { victim, contact } => store.append_contact(victim, contact),
            Command::SaveVictim {
                victim,
                base,
                contact: None,
            } => store.save_victim_from(victim, *base),
            Command::SaveVictim {
                victim,
                base,
                contact: Some(contact),
            } => store.save_victim_with_contact_from(victim, contact, *base),
            Command::SaveCase { case, base, why } => {
                store.save_case_from(case, *base, why.as_deref())
            }
            Command::AddVictim(victim) => store.add_victim(victim),
            Command::AddCase(case) => store.add_case(case),
            Command::CloseCase(closing) => store.close_case(closing),
            Command::Reallocate(r) => store.reallocate(r),
            Command::Snooze(snooze) => store.snooze(snooze),
            Command::Unsnooze { reminder } => store.unsnooze(reminder),
        }
    }
}
