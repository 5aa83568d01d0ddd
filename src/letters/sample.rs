//! A fictional unit that every letter template is rendered against before it is used: every
//! kind of letter for every role, with every fact there and with as few as a letter can
//! have, so that each branch of a template meets the data it may meet.

use chrono::NaiveDate;

use crate::domain::enums::{
    ContactKind, Direction, Eligibility, InformationLevel, KeyDateKind, LetterKind,
    LicenceCondition, LicenceOutcome, Medium, OffenceCategory, SentenceKind, VictimRole,
    VictimStatus,
};
use crate::domain::letter::facts::Letterhead;
use crate::domain::letter::{Composed, LetterInput, LetterRequest, compose};
use crate::domain::model::{
    Case, Contact, ContactDetails, KeyDate, LicenceRequest, Needs, Offence, Offender, Officer,
    Preferences, Representative, Sentence, Victim,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

/// The day the sample letters are dated.
pub fn letter_date() -> NaiveDate {
    date(2026, 11, 24)
}

fn case(id: &str, key_dates: &[(KeyDateKind, NaiveDate)]) -> Case {
    Case {
        id: id.to_owned(),
        offender: Offender {
            name: "Alex Example".into(),
            aliases: vec!["Al Example".into()],
            dob: None,
            prison_number: Some("Z9999ZZ".into()),
            location: Some("HMP Nowhere".into()),
        },
        offence: Offence {
            description: None,
            category: OffenceCategory::Violent,
            specified: Some(true),
        },
        sentence: Sentence {
            kind: SentenceKind::Sds,
            imposed_on: date(2025, 3, 14),
            custodial_months: Some(48),
            court: None,
        },
        responsible_officer: None,
        mappa: None,
        sex_offender_notification: None,
        key_dates: key_dates
            .iter()
            .map(|&(kind, date)| KeyDate {
                kind,
                date,
                confirmed: Some(true),
                note: None,
            })
            .collect(),
        closed_on: None,
        restricted_patient: None,
        transferred: None,
    }
}

fn contact(on: NaiveDate, kind: ContactKind, method: Medium, direction: Direction) -> Contact {
    Contact {
        on,
        at: None,
        kind,
        method,
        direction,
        summary: Some("Talked through the sentence and what happens next.".into()),
        by: None,
        key_date: None,
        corrects: None,
        follows: None,
        to: None,
    }
}

/// A victim of `role` with every part of the record filled in. (Longer than a function
/// should be: it is one record literal, every field of a victim, and reads best whole.)
fn full(id: &str, role: VictimRole, level: InformationLevel) -> Victim {
    let details = ContactDetails {
        address: Some("1 Sample Street, Sampletown, NS0 0AA".into()),
        phone: Some("07700 900000".into()),
        email: Some("sample@example.org".into()),
    };
    let request = |condition, outcome, outcome_on| LicenceRequest {
        condition: Some(condition),
        details: None,
        requested_on: Some(date(2026, 3, 2)),
        outcome: Some(outcome),
        outcome_on,
        submitted_on: None,
        granted: None,
        map_file: None,
    };
    Victim {
        id: id.to_owned(),
        case_id: "C-FULL".into(),
        name: "Sam Sample".into(),
        role,
        eligibility: Eligibility::Statutory,
        referred_on: date(2025, 3, 20),
        status: VictimStatus::OptedIn,
        status_since: date(2025, 5, 2),
        allocated_to: Some("vlo".into()),
        contact_details: Some(Box::new(details.clone())),
        preferences: Some(Preferences {
            method: None,
            information: Some(level),
            written_follow_up: Some(true),
        }),
        needs: Some(Box::new(Needs {
            language: Some("Polish".into()),
            interpreter: Some(true),
            notes: Some("Large print, please.".into()),
        })),
        representative: (role == VictimRole::Representative).then(|| {
            Box::new(Representative {
                name: Some("Sam Sample".into()),
                relationship: Some("friend".into()),
                contact_details: Some(details),
            })
        }),
        equality: None,
        licence_requests: vec![
            request(
                LicenceCondition::NoContact,
                LicenceOutcome::Granted,
                Some(date(2026, 11, 19)),
            ),
            request(
                LicenceCondition::ExclusionZone,
                LicenceOutcome::Amended,
                Some(date(2026, 11, 19)),
            ),
            request(
                LicenceCondition::NonAssociation,
                LicenceOutcome::Refused,
                Some(date(2026, 11, 19)),
            ),
            request(LicenceCondition::Residence, LicenceOutcome::Withdrawn, None),
            request(LicenceCondition::Other, LicenceOutcome::Pending, None),
        ],
        sensitive_dates: Vec::new(),
        vps: None,
        complaints: Vec::new(),
        moved_away: None,
        risk: None,
        tasks: vec![crate::domain::model::Task {
            kind: Some(crate::domain::enums::TaskKind::ViewsSought),
            opened_on: Some(date(2026, 11, 20)),
            due_on: Some(date(2026, 12, 18)),
            about: Some("how the unit's letters could be clearer".into()),
            ..crate::domain::model::Task::default()
        }],
        discretionary: None,
        child: None,
        contacts: vec![
            contact(
                date(2025, 4, 2),
                ContactKind::InitialOffer,
                Medium::Letter,
                Direction::Outbound,
            ),
            contact(
                date(2026, 11, 6),
                ContactKind::Complaint,
                Medium::Letter,
                Direction::Inbound,
            ),
            contact(
                date(2026, 11, 20),
                ContactKind::Update,
                Medium::Phone,
                Direction::Outbound,
            ),
        ],
    }
}

/// A victim of `role` with only what the format requires, on a case with no dates.
fn sparse(id: &str, role: VictimRole) -> Victim {
    Victim {
        id: id.to_owned(),
        case_id: "C-BARE".into(),
        name: "Jo Sparse".into(),
        role,
        eligibility: Eligibility::Statutory,
        referred_on: date(2026, 10, 1),
        status: VictimStatus::Referred,
        status_since: date(2026, 10, 1),
        allocated_to: None,
        contact_details: None,
        preferences: None,
        needs: None,
        representative: None,
        equality: None,
        licence_requests: vec![LicenceRequest::default()],
        sensitive_dates: Vec::new(),
        vps: None,
        complaints: Vec::new(),
        moved_away: None,
        risk: None,
        tasks: Vec::new(),
        discretionary: None,
        child: None,
        contacts: Vec::new(),
    }
}

/// The fictional unit's letterhead: where its victims answer it (the demo's, and what the
/// templates are checked against in tests).
pub fn letterhead() -> Letterhead {
    Letterhead {
        address: vec![
            "PO Box 4120".into(),
            "Northtown NT1 4ZZ".into(),
        ],
        phone: Some("0113 496 0458".into()),
        email: Some("victim.liaison@northshire-probation.example".into()),
        support: Some(
            "the Northshire Victims' Hub (0113 496 0792, victimshub.example), free and confidential"
                .into(),
        ),
    }
}

/// Every letter the fictional unit can have: each kind, for each role, with every fact and
/// with few (a kind that cannot be written from the few, such as a follow-up with no call to
/// confirm, is left out), and a key-date letter for each kind of date, past and ahead.
pub fn every_letter() -> Vec<Composed> {
    let on = letter_date();
    let dated = [
        (KeyDateKind::Ped, date(2026, 6, 5)),
        (KeyDateKind::CategoryReview, date(2026, 12, 10)),
        (KeyDateKind::ParoleHearing, date(2027, 2, 16)),
        (KeyDateKind::Crd, date(2027, 3, 14)),
        (KeyDateKind::Release, date(2025, 1, 10)),
        (KeyDateKind::Led, date(2029, 6, 13)),
        (KeyDateKind::Sed, date(2029, 6, 13)),
    ];
    let full_case = case("C-FULL", &dated);
    let bare_case = case("C-BARE", &[]);
    let officer = Officer {
        id: "vlo".into(),
        name: "Pat Officer".into(),
        role: None,
        phone: None,
        email: None,
    };
    let mut out = Vec::new();
    for (n, role) in VictimRole::ALL.iter().enumerate() {
        let victims = [
            (
                full(&format!("V-{n}1"), *role, InformationLevel::KeyStages),
                &full_case,
            ),
            (
                full(&format!("V-{n}2"), *role, InformationLevel::ReleaseMonth),
                &full_case,
            ),
            (
                full(&format!("V-{n}3"), *role, InformationLevel::Annual),
                &full_case,
            ),
            (sparse(&format!("V-{n}4"), *role), &bare_case),
        ];
        for (victim, case) in &victims {
            let input = LetterInput {
                victim,
                case,
                others: &[],
                officer: victim.allocated_to.as_ref().map(|_| &officer),
                unit: victim
                    .allocated_to
                    .as_ref()
                    .map(|_| "Sample Victim Liaison Unit"),
            };
            for kind in LetterKind::ALL {
                let mut requests = vec![LetterRequest::new(*kind, on)];
                if *kind == LetterKind::KeyDate {
                    requests = dated
                        .iter()
                        .map(|(k, _)| LetterRequest {
                            key_date: Some(*k),
                            ..LetterRequest::new(*kind, on)
                        })
                        .collect();
                }
                out.extend(
                    requests
                        .iter()
                        .filter_map(|r| compose(&input, r, None).ok()),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_has_every_kind_for_every_role() {
        let letters = every_letter();
        for role in VictimRole::ALL {
            for kind in LetterKind::ALL {
                assert!(
                    letters
                        .iter()
                        .any(|c| c.kind == *kind && c.facts.recipient.role == role.as_str()),
                    "{kind} for {role}"
                );
            }
        }
    }
}
