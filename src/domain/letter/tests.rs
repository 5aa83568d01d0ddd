use chrono::NaiveDate;

use super::*;
use crate::domain::enums::{
    ContactKind, Eligibility, InformationLevel, OffenceCategory, SentenceKind,
};
use crate::domain::model::{
    ContactDetails, KeyDate, Needs, Offence, Offender, Preferences, Representative, Sentence,
};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn case() -> Case {
    Case {
        id: "C-1".into(),
        offender: Offender {
            name: "Daniel Reeve".into(),
            aliases: vec!["Danny Reeves".into()],
            dob: None,
            prison_number: Some("A1234BC".into()),
            location: Some("HMP Leeds".into()),
        },
        offence: Offence {
            description: Some("Wounding with intent".into()),
            category: OffenceCategory::Violent,
            specified: Some(true),
        },
        sentence: Sentence {
            kind: SentenceKind::Sds,
            imposed_on: d("2025-03-14"),
            custodial_months: Some(72),
            court: Some("Leeds Crown Court".into()),
        },
        responsible_officer: None,
        mappa: None,
        sex_offender_notification: None,
        key_dates: [
            (KeyDateKind::Crd, "2026-12-22"),
            (KeyDateKind::CategoryReview, "2026-12-10"),
            (KeyDateKind::ParoleHearing, "2027-02-16"),
            (KeyDateKind::Sed, "2029-06-13"),
        ]
        .iter()
        .map(|(kind, date)| KeyDate {
            kind: *kind,
            date: d(date),
            confirmed: None,
            note: Some("from the prison".into()),
        })
        .collect(),
        closed_on: None,
        restricted_patient: None,
        transferred: None,
    }
}

fn victim(name: &str, role: VictimRole, level: InformationLevel) -> Victim {
    Victim {
        id: "V-1".into(),
        case_id: "C-1".into(),
        name: name.into(),
        role,
        eligibility: Eligibility::Statutory,
        referred_on: d("2025-03-20"),
        status: VictimStatus::OptedIn,
        status_since: d("2025-05-02"),
        allocated_to: None,
        contact_details: Some(Box::new(ContactDetails {
            address: Some("14 Cranmore Road, Northtown, NS1 4QT".into()),
            phone: Some("07700 900101".into()),
            email: None,
        })),
        preferences: Some(Preferences {
            method: None,
            information: Some(level),
            written_follow_up: None,
        }),
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
}

fn compose_one(v: &Victim, kind: LetterKind) -> Result<Composed, LetterError> {
    let c = case();
    let input = LetterInput {
        victim: v,
        case: &c,
        others: &[],
        officer: None,
        unit: None,
    };
    compose(
        &input,
        &LetterRequest::new(kind, d("2026-11-24")),
        Some("sahmed"),
    )
}

#[test]
fn a_letter_to_the_offender_or_an_alias_is_refused() {
    for name in ["Daniel Reeve", "danny  REEVES"] {
        let v = victim(name, VictimRole::Victim, InformationLevel::KeyStages);
        assert!(matches!(
            compose_one(&v, LetterKind::InitialOffer),
            Err(LetterError::OffenderName { .. })
        ));
    }
    let mut rep = victim(
        "Joan Mercer",
        VictimRole::Representative,
        InformationLevel::KeyStages,
    );
    rep.representative = Some(Box::new(Representative {
        name: Some("Daniel Reeve".into()),
        ..Representative::default()
    }));
    let refused = compose_one(&rep, LetterKind::AnnualLetter).unwrap_err();
    assert!(
        refused.to_string().contains("addressed to the offender"),
        "{refused}"
    );
}

#[test]
fn a_representative_is_addressed_by_their_own_name_and_address() {
    let mut rep = victim(
        "Joan Mercer",
        VictimRole::Representative,
        InformationLevel::KeyStages,
    );
    rep.representative = Some(Box::new(Representative {
        name: Some("Beth Collins".into()),
        relationship: Some("sister".into()),
        contact_details: Some(ContactDetails {
            address: Some("2 Other Street\nSouthby".into()),
            ..ContactDetails::default()
        }),
    }));
    let c = compose_one(&rep, LetterKind::AnnualLetter).unwrap();
    assert_eq!(c.facts.recipient.name, "Beth Collins");
    assert_eq!(c.facts.recipient.address, ["2 Other Street", "Southby"]);
    assert_eq!(c.facts.recipient.role, "representative");
    // The victim's own address is now someone else's: the guard keeps it out.
    assert_eq!(
        c.guard.check("Dear Beth Collins, … 14 Cranmore Road"),
        Some(Forbidden::ContactDetail)
    );
}

#[test]
fn who_said_no_gets_no_letter_but_a_complaint_is_acknowledged() {
    let mut v = victim("Owen Hart", VictimRole::Victim, InformationLevel::KeyStages);
    v.status = VictimStatus::Declined;
    assert!(matches!(
        compose_one(&v, LetterKind::AnnualLetter),
        Err(LetterError::SaidNo { .. })
    ));
    assert!(compose_one(&v, LetterKind::ComplaintAck).is_ok());
}

/// Views are asked only for a purpose on record, and for that purpose may be asked of a
/// victim who said no; the letter names the purpose and says it is the only one.
#[test]
fn a_request_for_views_goes_only_for_a_purpose_on_record() {
    let mut v = victim("Owen Hart", VictimRole::Victim, InformationLevel::KeyStages);
    v.status = VictimStatus::Declined;
    assert!(matches!(
        compose_one(&v, LetterKind::ViewsRequest),
        Err(LetterError::NoViewsSought { .. })
    ));
    let sought = crate::domain::model::Task {
        kind: Some(crate::domain::enums::TaskKind::ViewsSought),
        opened_on: Some(d("2026-11-20")),
        about: Some("the unit's leaflet".into()),
        ..Default::default()
    };
    v.tasks = vec![crate::domain::model::Task {
        done_on: Some(d("2026-11-21")),
        ..sought.clone()
    }];
    assert!(matches!(
        compose_one(&v, LetterKind::ViewsRequest),
        Err(LetterError::NoViewsSought { .. })
    ));
    v.tasks.push(sought);
    let c = compose_one(&v, LetterKind::ViewsRequest).unwrap();
    let views = c.facts.views.unwrap();
    assert_eq!(views.about.as_deref(), Some("the unit's leaflet"));
    assert!(views.said_no);
    assert_eq!(c.record.kind, ContactKind::Update);
    // Views are sought of anyone, in the scheme or not: no note that it is for the opted in.
    assert!(
        !c.warnings.iter().any(|w| w.contains("not opted in")),
        "{:?}",
        c.warnings
    );
    // Still no other letter.
    assert!(matches!(
        compose_one(&v, LetterKind::AnnualLetter),
        Err(LetterError::SaidNo { .. })
    ));
}

#[test]
fn an_offer_carries_no_dates_at_all() {
    let v = victim(
        "Joan Mercer",
        VictimRole::Victim,
        InformationLevel::KeyStages,
    );
    for kind in [LetterKind::InitialOffer, LetterKind::SecondOffer] {
        let c = compose_one(&v, kind).unwrap();
        assert!(c.facts.dates.is_empty() && c.facts.release.is_none());
        assert!(
            c.facts.key_date.is_none() && c.facts.hearing.is_none() && c.facts.ending.is_none()
        );
    }
}

#[test]
fn a_release_is_only_ever_a_month_and_other_dates_follow_the_level() {
    let v = victim(
        "Joan Mercer",
        VictimRole::Victim,
        InformationLevel::KeyStages,
    );
    let c = compose_one(&v, LetterKind::AnnualLetter).unwrap();
    let whens: Vec<(&str, &str)> = c
        .facts
        .dates
        .iter()
        .map(|f| (f.kind, f.when.as_str()))
        .collect();
    assert_eq!(
        whens,
        [
            ("category_review", "10 December 2026"),
            ("crd", "December 2026"),
            ("parole_hearing", "16 February 2027"),
            ("sed", "13 June 2029"),
        ]
    );
    let month = victim(
        "Robert Marsh",
        VictimRole::NextOfKin,
        InformationLevel::ReleaseMonth,
    );
    let c = compose_one(&month, LetterKind::AnnualLetter).unwrap();
    let whens: Vec<&str> = c.facts.dates.iter().map(|f| f.when.as_str()).collect();
    assert_eq!(whens, ["December 2026"], "only release kinds, as months");
    let c = compose_one(&month, LetterKind::VpsOffer).unwrap();
    assert_eq!(c.facts.hearing.unwrap().when, "February 2027");
}

#[test]
fn a_key_date_letter_names_its_kind_and_keeps_to_the_level() {
    let v = victim(
        "Robert Marsh",
        VictimRole::NextOfKin,
        InformationLevel::ReleaseMonth,
    );
    let c = case();
    let input = LetterInput {
        victim: &v,
        case: &c,
        others: &[],
        officer: None,
        unit: None,
    };
    let mut req = LetterRequest::new(LetterKind::KeyDate, d("2026-11-24"));
    assert_eq!(compose(&input, &req, None), Err(LetterError::KeyDateNeeded));
    req.key_date = Some(KeyDateKind::CategoryReview);
    assert!(matches!(
        compose(&input, &req, None),
        Err(LetterError::NotCovered { .. })
    ));
    // A decision on record to tell them beyond their level, approved, lets the letter go.
    let mut told = v.clone();
    let decision = crate::domain::model::Task {
        kind: Some(crate::domain::enums::TaskKind::DisclosureDecision),
        opened_on: Some(d("2026-11-02")),
        done_on: Some(d("2026-11-09")),
        key_date: Some(KeyDateKind::CategoryReview),
        by: Some("sahmed".into()),
        outcome: Some("Legal advice: disclosure proportionate to her safety.".into()),
        agreed: Some(false),
        ..Default::default()
    };
    told.tasks = vec![decision.clone()];
    let beyond = LetterInput {
        victim: &told,
        ..input
    };
    assert!(matches!(
        compose(&beyond, &req, None),
        Err(LetterError::NotCovered { .. })
    ));
    told.tasks = vec![crate::domain::model::Task {
        agreed: Some(true),
        ..decision
    }];
    let beyond = LetterInput {
        victim: &told,
        ..input
    };
    let composed = compose(&beyond, &req, None).unwrap();
    assert_eq!(composed.record.key_date, Some(KeyDateKind::CategoryReview));
    req.key_date = Some(KeyDateKind::Crd);
    let composed = compose(&input, &req, Some("jokafor")).unwrap();
    assert_eq!(composed.facts.key_date.unwrap().when, "December 2026");
    assert_eq!(composed.record.kind, ContactKind::Update);
    assert_eq!(composed.record.key_date, Some(KeyDateKind::Crd));
    assert_eq!(composed.record.method, Medium::Letter);
    assert_eq!(composed.record.direction, Direction::Outbound);
    assert_eq!(composed.record.by.as_deref(), Some("jokafor"));
    req.key_date = Some(KeyDateKind::Ard);
    assert!(matches!(
        compose(&input, &req, None),
        Err(LetterError::NoKeyDate { .. })
    ));
    // A date the case records as not yet confirmed is given as provisional.
    assert!(
        !compose(
            &input,
            &LetterRequest {
                key_date: Some(KeyDateKind::Crd),
                ..req.clone()
            },
            None
        )
        .unwrap()
        .facts
        .key_date
        .unwrap()
        .provisional
    );
    let mut unsure = c.clone();
    unsure.key_dates[0].confirmed = Some(false);
    let input = LetterInput {
        case: &unsure,
        ..input
    };
    req.key_date = Some(KeyDateKind::Crd);
    let composed = compose(&input, &req, None).unwrap();
    assert!(composed.facts.key_date.unwrap().provisional);
}

#[test]
fn a_follow_up_confirms_the_latest_call_and_refuses_a_summary_that_gives_a_release_day() {
    let mut v = victim(
        "Hannah Price",
        VictimRole::Victim,
        InformationLevel::KeyStages,
    );
    assert!(matches!(
        compose_one(&v, LetterKind::WrittenFollowUp),
        Err(LetterError::NoConversation { .. })
    ));
    let call = |on: &str, summary: &str| Contact {
        on: d(on),
        at: None,
        kind: ContactKind::Update,
        method: Medium::Phone,
        direction: Direction::Outbound,
        summary: Some(summary.into()),
        by: None,
        key_date: None,
        corrects: None,
        follows: None,
        to: None,
    };
    v.contacts
        .push(call("2026-11-09", "Explained how to report a breach."));
    v.contacts
        .push(call("2026-11-20", "Talked about the category review."));
    let c = compose_one(&v, LetterKind::WrittenFollowUp).unwrap();
    let conversation = c.facts.conversation.unwrap();
    assert_eq!(conversation.on, "20 November 2026");
    assert_eq!(conversation.how, "phone call");
    assert_eq!(c.record.kind, ContactKind::WrittenFollowUp);
    // Recorded as sent, it answers that call (entry 2) and leaves the one of 9 November owed.
    assert_eq!(c.record.follows, Some(2));
    v.contacts
        .push(call("2026-11-23", "Said he is out on the 22nd December."));
    assert!(matches!(
        compose_one(&v, LetterKind::WrittenFollowUp),
        Err(LetterError::ReleaseDayInSummary { .. })
    ));
}

#[test]
fn the_guard_finds_a_location_another_victim_and_a_phone_however_spaced() {
    let v = victim(
        "Helen Marsh",
        VictimRole::NextOfKin,
        InformationLevel::KeyStages,
    );
    let mut other = victim(
        "Robert Marsh",
        VictimRole::NextOfKin,
        InformationLevel::KeyStages,
    );
    other.id = "V-2".into();
    other.contact_details = Some(Box::new(ContactDetails {
        address: None,
        phone: Some("07700 900103".into()),
        email: Some("robert@example.org".into()),
    }));
    let c = case();
    let input = LetterInput {
        victim: &v,
        case: &c,
        others: std::slice::from_ref(&other),
        officer: None,
        unit: None,
    };
    let composed = compose(
        &input,
        &LetterRequest::new(LetterKind::AnnualLetter, d("2026-11-24")),
        None,
    )
    .unwrap();
    let g = &composed.guard;
    assert_eq!(
        g.check("He is at hmp  leeds now."),
        Some(Forbidden::Location)
    );
    assert_eq!(
        g.check("Robert Marsh was told."),
        Some(Forbidden::OtherVictim)
    );
    assert_eq!(
        g.check("Ring 07700-900-103."),
        Some(Forbidden::ContactDetail)
    );
    assert_eq!(
        g.check("Ring 0770 0900 101."),
        Some(Forbidden::ContactDetail),
        "her own phone too"
    );
    assert_eq!(
        g.check("Write to ROBERT@example.org"),
        Some(Forbidden::ContactDetail)
    );
    assert_eq!(
        g.check("Prison number A1234BC."),
        Some(Forbidden::PrisonNumber)
    );
    // Her own address, in the block, is where it belongs; anywhere else it is not.
    let block = "Helen Marsh\n14 Cranmore Road\nNorthtown\nNS1 4QT\n\nDear Helen Marsh,\n";
    assert_eq!(g.check(block), None);
    assert_eq!(
        g.check(&format!("{block}We will visit 14 Cranmore Road.")),
        Some(Forbidden::ContactDetail)
    );
    // Dates and references are not phone numbers.
    assert_eq!(
        g.check("On 24 November 2026, reference V-0001, 2026 07 70."),
        None
    );
}

#[test]
fn needs_give_a_translation_line_and_large_print() {
    let mut v = victim(
        "Nadia Kowalska",
        VictimRole::Victim,
        InformationLevel::Annual,
    );
    v.needs = Some(Box::new(Needs {
        language: Some("Polish".into()),
        interpreter: Some(true),
        notes: Some("Needs LARGE-PRINT letters.".into()),
    }));
    let c = compose_one(&v, LetterKind::AnnualLetter).unwrap();
    assert_eq!(c.facts.needs.language.as_deref(), Some("Polish"));
    assert!(c.facts.needs.large_print);
    v.needs = Some(Box::new(Needs {
        language: Some("English".into()),
        ..Needs::default()
    }));
    let c = compose_one(&v, LetterKind::AnnualLetter).unwrap();
    assert_eq!(c.facts.needs.language, None);
    assert!(!c.facts.needs.large_print);
}

#[test]
fn release_days_are_recognised_however_written() {
    let c = case();
    for text in [
        "out on 22 December 2026",
        "out on the 22nd December",
        "out 22/12/2026",
        "out 2026-12-22",
    ] {
        assert!(names_release_day(text, &c), "{text}");
    }
    assert!(!names_release_day("out in December 2026", &c));
    assert!(!names_release_day("review on 10 December 2026", &c));
}

#[test]
fn warnings_say_what_to_check_before_sending() {
    let mut v = victim(
        "Joan Mercer",
        VictimRole::Victim,
        InformationLevel::KeyStages,
    );
    v.contact_details = None;
    let c = compose_one(&v, LetterKind::InitialOffer).unwrap();
    assert!(
        c.warnings
            .iter()
            .any(|w| w.contains("already") || w.contains("opted in")),
        "{:?}",
        c.warnings
    );
    assert!(
        c.warnings.iter().any(|w| w.contains("No postal address")),
        "{:?}",
        c.warnings
    );
}
