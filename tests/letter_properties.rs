//! Properties of every letter over generated units: no letter gives the exact day of a
//! release, names the offender's location or prison number or another victim, or holds a
//! contact detail other than the recipient's own address block; and no letter is addressed
//! to the offender. Checked here with this file's own string tests, not the guard's code.

use chrono::NaiveDate;
use proptest::prelude::*;
use vlu::domain::enums::{
    ContactKind, Direction, InformationLevel, KeyDateKind, LetterKind, Medium, VictimRole,
    VictimStatus,
};
use vlu::domain::letter::facts::{day, month};
use vlu::domain::letter::{LetterError, LetterInput, LetterRequest, Recipient, compose, same_name};
use vlu::domain::model::{Case, Caseload, Contact, ContactDetails, KeyDate, Officer, Victim};
use vlu::letters::{Letter, Templates, render};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// How often `needle` is in `text` as whole words (not "6 rowan avenue" in "16 rowan
/// avenue", not "2 march 2028" in "12 march 2028").
fn count(text: &str, needle: &str) -> usize {
    let edge = |c: Option<char>| !c.is_some_and(char::is_alphanumeric);
    text.match_indices(needle)
        .filter(|(at, _)| {
            edge(text[..*at].chars().next_back()) && edge(text[at + needle.len()..].chars().next())
        })
        .count()
}

fn has(text: &str, needle: &str) -> bool {
    count(text, needle) > 0
}

/// Lower case, spacing folded.
fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Every way a day is written that a letter could use.
fn day_forms(date: NaiveDate) -> Vec<String> {
    vec![
        fold(&day(date)),
        date.format("%d/%m/%Y").to_string(),
        date.format("%Y-%m-%d").to_string(),
    ]
}

/// The days a letter may legitimately name (its own date, the sentence, the contacts and
/// decisions it is about, key dates given in full): a release falling on one of them
/// cannot be told apart by a string test, so it is checked through the facts instead.
fn legit_days(case: &Case, v: &Victim, on: NaiveDate) -> Vec<NaiveDate> {
    let mut days = vec![on, case.sentence.imposed_on];
    days.extend(v.contacts.iter().map(|c| c.on));
    days.extend(v.licence_requests.iter().filter_map(|r| r.outcome_on));
    days.extend(v.licence_requests.iter().filter_map(|r| r.requested_on));
    days.extend(
        case.key_dates
            .iter()
            .filter(|k| !k.kind.is_release())
            .map(|k| k.date),
    );
    days
}

/// Everything a letter must not say, checked on its text.
fn assert_clean(letter: &Letter, case: &Case, v: &Victim, others: &[Victim], officer: &Officer) {
    let text = &letter.text;
    let folded = fold(text);
    let recipient = Recipient::of(v);
    // The recipient's name is in the greeting, and it is never the offender's.
    assert!(
        text.contains(&format!("Dear {},", recipient.name)),
        "{text}"
    );
    for name in std::iter::once(&case.offender.name).chain(&case.offender.aliases) {
        assert!(!same_name(name, &recipient.name));
    }
    // No release day, for anyone (victims are told the month); above all not to a
    // release_month victim.
    let legit = legit_days(case, v, letter.date);
    for k in case.key_dates.iter().filter(|k| k.kind.is_release()) {
        if legit.contains(&k.date) {
            continue;
        }
        for form in day_forms(k.date) {
            assert!(!has(&folded, &form), "release day {form} in:\n{text}");
        }
    }
    if v.information() == InformationLevel::ReleaseMonth {
        for k in &case.key_dates {
            if !legit.contains(&k.date) {
                assert!(!has(&folded, &fold(&day(k.date))), "{text}");
            }
        }
    }
    // Not the prison, not the prison number.
    for secret in case
        .offender
        .location
        .iter()
        .chain(&case.offender.prison_number)
    {
        assert!(!has(&folded, &fold(secret)), "{secret} in:\n{text}");
    }
    // No other victim's name (one with the recipient's, the offender's or the officer's
    // own name aside: a letter may name those).
    for o in others.iter().filter(|o| o.id != v.id) {
        let named_anyway = [&recipient.name, &case.offender.name, &officer.name];
        if !named_anyway.iter().any(|n| same_name(&o.name, n)) {
            assert!(!has(&folded, &fold(&o.name)), "{} in:\n{text}", o.name);
        }
    }
    // Contact details: only the recipient's address, once, in the block.
    let numbers = digits(text);
    let mut details: Vec<&ContactDetails> = others
        .iter()
        .chain(std::iter::once(v))
        .filter_map(|x| x.contact_details.as_deref())
        .collect();
    let officer_details = ContactDetails {
        address: None,
        phone: officer.phone.clone(),
        email: officer.email.clone(),
    };
    details.push(&officer_details);
    for cd in details {
        if let Some(phone) = &cd.phone {
            assert!(!numbers.contains(&digits(phone)), "{phone} in:\n{text}");
        }
        if let Some(email) = &cd.email {
            assert!(!has(&folded, &fold(email)), "{email} in:\n{text}");
        }
        if let Some(address) = &cd.address {
            let first = fold(address.split(',').next().unwrap_or(address));
            let own = recipient.address.first().map(|l| fold(l)) == Some(first.clone());
            assert_eq!(
                count(&folded, &first),
                usize::from(own),
                "address {first} in:\n{text}"
            );
        }
    }
    // Every release date the letter was given is a month and a year.
    assert!(!text.contains("{{") && !text.contains("}}"));
}

/// Every letter that can be asked of a victim: each kind, and a key-date letter for each
/// kind of date on the case.
fn requests(case: &Case, on: NaiveDate) -> Vec<LetterRequest> {
    let mut out = Vec::new();
    for kind in LetterKind::ALL {
        if *kind == LetterKind::KeyDate {
            for k in &case.key_dates {
                out.push(LetterRequest {
                    key_date: Some(k.kind),
                    ..LetterRequest::new(*kind, on)
                });
            }
        } else {
            out.push(LetterRequest::new(*kind, on));
        }
    }
    out
}

/// Refusals that are the record's doing, not a fault: the kind does not fit the record.
fn expected_refusal(e: &LetterError) -> bool {
    matches!(
        e,
        LetterError::SaidNo { .. }
            | LetterError::NotCovered { .. }
            | LetterError::NoKeyDate { .. }
            | LetterError::NoConversation { .. }
            | LetterError::NoSummary { .. }
            | LetterError::OffenderName { .. }
            | LetterError::NoViewsSought { .. }
    )
}

/// Writes every letter of a unit and checks each; returns how many were written.
fn check_unit(caseload: &Caseload, on: NaiveDate) -> usize {
    let templates = Templates::load(None, &vlu::letters::sample::letterhead()).unwrap();
    let officer = caseload.officers.first().cloned().unwrap_or(Officer {
        id: "o".into(),
        name: "An Officer".into(),
        role: None,
        phone: Some("01632 960000".into()),
        email: Some("officer@example.org".into()),
    });
    let mut written = 0;
    for case in &caseload.cases {
        let victims: Vec<Victim> = caseload
            .victims
            .iter()
            .filter(|v| v.case_id == case.id)
            .cloned()
            .collect();
        for v in &victims {
            let input = LetterInput {
                victim: v,
                case,
                others: &victims,
                officer: Some(&officer),
                unit: Some("Generated Victim Liaison Unit"),
            };
            for request in requests(case, on) {
                match compose(&input, &request, None) {
                    Ok(composed) => {
                        let letter = render(&templates, &composed).unwrap_or_else(|e| {
                            let names: Vec<&str> = victims.iter().map(|o| o.name.as_str()).collect();
                            panic!(
                                "{} for {} refused: {e}\nvictims of the case: {names:?}; officer {}; offender {}",
                                request.kind, v.id, officer.name, case.offender.name
                            )
                        });
                        for f in composed.facts.dates.iter().chain(&composed.facts.key_date) {
                            if KeyDateKind::parse(f.kind).is_some_and(KeyDateKind::is_release) {
                                assert!(f.month_only && f.when.split(' ').count() == 2, "{f:?}");
                            }
                        }
                        assert_clean(&letter, case, v, &victims, &officer);
                        written += 1;
                    }
                    Err(e) => assert!(expected_refusal(&e), "{} for {}: {e}", request.kind, v.id),
                }
            }
        }
    }
    written
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Units made by `vlu generate`: every letter for every victim is written or refused
    /// for a reason of the record, and every one written is clean.
    #[test]
    fn every_letter_of_a_generated_unit_is_clean(seed in any::<u64>(), size in 4usize..40) {
        let on = vlu::generate::DEFAULT_AS_OF;
        let caseload = vlu::generate::generate(size, seed, on);
        let written = check_unit(&caseload, on);
        prop_assert!(written >= size, "{written} letters for {size} victims");
    }
}

/// What a summary of a call may carry in.
#[derive(Debug, Clone, Copy)]
enum Summary {
    Clean,
    Location,
    OtherVictim,
    Phone,
    ReleaseDay,
}

fn summary_text(s: Summary, case: &Case, other: &Victim) -> String {
    match s {
        Summary::Clean => "Talked through what the hearing means.".into(),
        Summary::Location => format!(
            "Said he is still at {}.",
            case.offender.location.as_deref().unwrap_or_default()
        ),
        Summary::OtherVictim => format!("Said {} had been told too.", other.name),
        Summary::Phone => format!(
            "Gave her the number {}.",
            other
                .contact_details
                .as_ref()
                .and_then(|c| c.phone.clone())
                .unwrap_or_default()
        ),
        Summary::ReleaseDay => {
            let release = case.key_dates.iter().find(|k| k.kind.is_release()).unwrap();
            format!("He is out on {}.", release.date.format("%-d %B %Y"))
        }
    }
}

const NAMES: &[&str] = &[
    "Ann Lee", "Bo Grant", "Cy Ward", "Di Holt", "Ed Marsh", "Fay Cole",
];
const OFFENDERS: &[&str] = &["Gil Stone", "Hal Price"];
const PRISONS: &[&str] = &["HMP Leeds", "HMP Durham", "Rampton Hospital"];

fn level() -> impl Strategy<Value = InformationLevel> {
    prop::sample::select(InformationLevel::ALL.to_vec())
}

fn role() -> impl Strategy<Value = VictimRole> {
    prop::sample::select(VictimRole::ALL.to_vec())
}

prop_compose! {
    /// A case with a release ahead (2027–2029), other dates later (2030–2034), and two or
    /// three victims, some sharing an address, one perhaps with the offender's alias as a
    /// name, each with a call whose summary may carry something a letter must not say.
    fn unit()(
        offender in prop::sample::select(OFFENDERS),
        location in prop::sample::select(PRISONS),
        release in (2027i32..=2029, 1u32..=12, 1u32..=28),
        release_kind in prop::sample::select(KeyDateKind::RELEASE_KINDS.to_vec()),
        other in (2030i32..=2034, 1u32..=12, 1u32..=28),
        other_kind in prop::sample::select(vec![KeyDateKind::ParoleHearing, KeyDateKind::Led, KeyDateKind::CategoryReview]),
        people in prop::collection::vec((0usize..NAMES.len() + 1, role(), level(), 0u8..5, any::<bool>()), 2..4),
    ) -> Caseload {
        let case = Case {
            id: "C-1".into(),
            offender: vlu::domain::model::Offender {
                name: offender.into(),
                aliases: vec![format!("{} Jr", offender)],
                dob: None,
                prison_number: Some("Q1234ZZ".into()),
                location: Some(location.into()),
            },
            offence: vlu::domain::model::Offence {
                description: None,
                category: vlu::domain::enums::OffenceCategory::Violent,
                specified: None,
            },
            sentence: vlu::domain::model::Sentence {
                kind: vlu::domain::enums::SentenceKind::Sds,
                imposed_on: d(2024, 2, 29),
                custodial_months: None,
                court: None,
            },
            responsible_officer: None,
            mappa: None,
            sex_offender_notification: None,
            key_dates: vec![
                KeyDate { kind: release_kind, date: d(release.0, release.1, release.2), confirmed: None, note: Some("HMP note".into()) },
                KeyDate { kind: other_kind, date: d(other.0, other.1, other.2), confirmed: None, note: None },
            ],
            closed_on: None,
            restricted_patient: None,
            transferred: None,
        };
        let mut victims: Vec<Victim> = people.iter().enumerate().map(|(i, (name, role, level, _, shared))| {
            let name = NAMES.get(*name).map_or_else(|| format!("{offender} Jr"), |n| (*n).to_owned());
            Victim {
                id: format!("V-{i}"),
                case_id: "C-1".into(),
                name,
                role: *role,
                eligibility: vlu::domain::enums::Eligibility::Statutory,
                referred_on: d(2024, 3, 1),
                status: VictimStatus::OptedIn,
                status_since: d(2024, 4, 1),
                allocated_to: None,
                contact_details: Some(Box::new(ContactDetails {
                    address: Some(if *shared { "1 Shared Row, Northtown, NS1 1AA".into() } else { format!("{} Own Lane, Southby, NS2 {i}BB", 10 + i) }),
                    phone: Some(format!("07700 90011{i}")),
                    email: Some(format!("person{i}@example.org")),
                })),
                preferences: Some(vlu::domain::model::Preferences { method: None, information: Some(*level), written_follow_up: None }),
                needs: None,
                representative: None,
                equality: None,
                licence_requests: Vec::new(),
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
        }).collect();
        let snapshot = victims.clone();
        for (i, v) in victims.iter_mut().enumerate() {
            let other = &snapshot[(i + 1) % snapshot.len()];
            let kind = [Summary::Clean, Summary::Location, Summary::OtherVictim, Summary::Phone, Summary::ReleaseDay][usize::from(people[i].3)];
            v.contacts.push(Contact {
                on: d(2025, 6, 2),
                at: None,
                kind: ContactKind::Update,
                method: Medium::Phone,
                direction: Direction::Outbound,
                summary: Some(summary_text(kind, &case, other)),
                by: None,
                key_date: None,
                corrects: None,
                follows: None,
                to: None,
            });
        }
        Caseload { cases: vec![case], victims, ..Caseload::default() }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Hostile units: what free text carries in is refused, a clean record always gives a
    /// letter, and every letter given is clean.
    #[test]
    fn a_letter_is_clean_or_refused_and_only_for_what_the_record_carries(unit in unit()) {
        let on = d(2026, 11, 24);
        let templates = Templates::load(None, &vlu::letters::sample::letterhead()).unwrap();
        let officer = Officer { id: "o".into(), name: "Pat Officer".into(), role: None, phone: Some("01632 960001".into()), email: Some("pat@example.org".into()) };
        let case = &unit.cases[0];
        for v in &unit.victims {
            let input = LetterInput { victim: v, case, others: &unit.victims, officer: Some(&officer), unit: None };
            let to_offender = Recipient::of(v).name == format!("{} Jr", case.offender.name);
            let dirty = !v.contacts[0].summary.as_deref().unwrap().starts_with("Talked");
            for request in requests(case, on) {
                let made = compose(&input, &request, None).map_err(|e| e.to_string()).and_then(|c| render(&templates, &c).map_err(|e| e.to_string()));
                match made {
                    Ok(letter) => {
                        prop_assert!(!to_offender);
                        assert_clean(&letter, case, v, &unit.victims, &officer);
                    }
                    Err(e) if to_offender => prop_assert!(e.contains("addressed to the offender"), "{e}"),
                    Err(e) if request.kind == LetterKind::WrittenFollowUp && dirty => {
                        prop_assert!(e.contains("would give") || e.contains("exact day"), "{e}");
                    }
                    Err(e) if request.kind == LetterKind::KeyDate => prop_assert!(e.contains("not among what they asked"), "{e}"),
                    Err(e) if request.kind == LetterKind::ViewsRequest => prop_assert!(e.contains("no open views_sought task"), "{e}"),
                    Err(e) => prop_assert!(false, "{} for {} refused: {e}", request.kind, v.id),
                }
            }
        }
    }
}

#[test]
fn the_sample_unit_letters_are_clean_too() {
    let caseload = vlu::cli::screens::sample_for(d(2026, 11, 24));
    assert!(check_unit(&caseload, d(2026, 11, 24)) > 200);
}

#[test]
fn a_month_is_a_month() {
    assert_eq!(month(d(2026, 12, 22)), "December 2026");
}
