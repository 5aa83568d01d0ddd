//! Who may do what: one decision per kind of request, in one table.
//!
//! The service asks what a request does (a save that gives a victim to
//! another officer is a reallocation, whatever request carried it; a save of a case that
//! marks it transferred is a transfer), then [`allowed`] whether the speaker's [`Role`] may
//! do it. Nothing else in the service decides who may do what.

use serde::{Deserialize, Serialize};

/// What the speaker is to the unit, from the kernel's word on who they are and the unit's
/// configuration and caseload — never from anything the client sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// An account the unit has not mapped to an officer (refused at the door).
    Unmapped,
    Vlo,
    Manager,
    /// An officer whose role is `admin`, or the account that owns the store.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Unmapped, Role::Vlo, Role::Manager, Role::Admin];

    /// A role's name in a sentence.
    pub fn name(self) -> &'static str {
        match self {
            Role::Unmapped => "an account not mapped to an officer",
            Role::Vlo => "a VLO",
            Role::Manager => "a manager",
            Role::Admin => "an administrator",
        }
    }
}

/// What a request does, as far as who may do it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// The caseload's summaries (no contact details), the diary, status, snoozes, stamps.
    ReadUnit,
    /// One victim's or case's whole record (a victim's contact details among it): audited.
    ReadRecord,
    /// A log entry, a save of a record, a new record, a snooze, a case closed.
    Work,
    /// That someone looked at contact details, opened a record, or took a letter or a
    /// diary spreadsheet away.
    Note,
    /// Victims given to another officer (a reallocation, or a save that moves one).
    Reallocate,
    /// A case marked transferred to another area (its reminders stop here).
    Transfer,
    /// One case's victims with their contact details, in a file for another unit.
    ExportCase,
    /// The monitoring return.
    Report,
    /// Import, export, check, backup, erasure, the audit trail, subject access, the ids
    /// in the store, stopping the service.
    Administer,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::ReadUnit,
        Action::ReadRecord,
        Action::Work,
        Action::Note,
        Action::Reallocate,
        Action::Transfer,
        Action::ExportCase,
        Action::Report,
        Action::Administer,
    ];

    /// The words a refusal uses.
    pub fn said(self) -> &'static str {
        match self {
            Action::ReadUnit => "read the caseload",
            Action::ReadRecord => "read a victim's or a case's record",
            Action::Work => "change the caseload",
            Action::Note => "record what was looked at or taken away",
            Action::Reallocate => "reallocate victims to another officer",
            Action::Transfer => "transfer a case to another area",
            Action::ExportCase => "export a case with its victims' contact details",
            Action::Report => "make the monitoring return",
            Action::Administer => {
                "import, export, check, back up, erase, read the audit trail, answer a \
                 subject access request or stop the service"
            }
        }
    }

    /// Who may: the lowest role allowed.
    fn least(self) -> Role {
        match self {
            Action::ReadUnit | Action::ReadRecord | Action::Work | Action::Note => Role::Vlo,
            Action::Reallocate | Action::Transfer | Action::ExportCase | Action::Report => {
                Role::Manager
            }
            Action::Administer => Role::Admin,
        }
    }
}

/// Whether `role` may do `action`: the one table (each role may do what the role below it
/// may, and more; an unmapped account nothing).
pub fn allowed(action: Action, role: Role) -> bool {
    role != Role::Unmapped && role >= action.least()
}

/// The sentence a refusal says.
pub fn refusal(user: &str, role: Role, action: Action) -> String {
    let who = match action.least() {
        Role::Admin => "the unit's administrators",
        Role::Manager => "the unit's managers and administrators",
        Role::Vlo | Role::Unmapped => "the unit's officers",
    };
    format!(
        "{user} may not {}: that is for {who} ({user} is {})",
        action.said(),
        role.name()
    )
}

/// Whether `what` is one of the disclosures a client reports, in the words vlu itself uses:
/// `diary spreadsheet`, or `letter [preview] KIND [saved]` for a letter kind vlu writes.
pub fn is_known_disclosure(what: &str) -> bool {
    if what == "diary spreadsheet" {
        return true;
    }
    let mut words = what.split(' ');
    if words.next() != Some("letter") {
        return false;
    }
    let mut kind = words.next();
    if kind == Some("preview") {
        kind = words.next();
    }
    let known = kind
        .and_then(crate::domain::enums::LetterKind::parse)
        .is_some();
    let rest: Vec<&str> = words.collect();
    known && (rest.is_empty() || rest == ["saved"])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole table, written out: every action against every role.
    #[test]
    fn every_action_against_every_role() {
        let expected: [(Action, [bool; 4]); 9] = [
            // unmapped, VLO, manager, admin
            (Action::ReadUnit, [false, true, true, true]),
            (Action::ReadRecord, [false, true, true, true]),
            (Action::Work, [false, true, true, true]),
            (Action::Note, [false, true, true, true]),
            (Action::Reallocate, [false, false, true, true]),
            (Action::Transfer, [false, false, true, true]),
            (Action::ExportCase, [false, false, true, true]),
            (Action::Report, [false, false, true, true]),
            (Action::Administer, [false, false, false, true]),
        ];
        assert_eq!(expected.len(), Action::ALL.len());
        for (action, row) in expected {
            for (role, want) in Role::ALL.into_iter().zip(row) {
                assert_eq!(allowed(action, role), want, "{action:?} by {role:?}");
            }
        }
    }

    #[test]
    fn only_the_disclosures_vlu_writes_are_taken_from_a_client() {
        for said in [
            "diary spreadsheet",
            "letter initial_offer",
            "letter preview annual_letter",
            "letter annual_letter saved",
        ] {
            assert!(is_known_disclosure(said), "{said}");
        }
        for said in [
            "",
            "export",
            "letter",
            "letter nonsense",
            "letter annual_letter sent to the offender",
            "subject access: all clear",
            "diary spreadsheet\u{1b}[2J",
            "letter  annual_letter",
        ] {
            assert!(!is_known_disclosure(said), "{said:?}");
        }
    }

    #[test]
    fn a_refusal_says_who_what_and_for_whom() {
        let said = refusal("james", Role::Vlo, Action::ExportCase);
        assert_eq!(
            said,
            "james may not export a case with its victims' contact details: that is for the \
             unit's managers and administrators (james is a VLO)"
        );
    }
}
