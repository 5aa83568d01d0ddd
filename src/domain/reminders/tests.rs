use chrono::NaiveDate;

use super::*;
use crate::domain::enums::{
    ContactKind, Direction, Medium, OffenceCategory, SentenceKind, VictimRole,
};
use crate::domain::model::{
    Contact, KeyDate, LicenceRequest, Offence, Offender, Preferences, SensitiveDate, Sentence,
};

pub(super) fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub(super) fn case(imposed_on: &str, key_dates: &[(KeyDateKind, &str)]) -> Case {
    Case {
        id: "C-1".into(),
        offender: Offender {
            name: "Daniel Reeve".into(),
            aliases: vec![],
            dob: None,
            prison_number: None,
            location: None,
        },
        offence: Offence {
            description: None,
            category: OffenceCategory::Violent,
            specified: None,
        },
        sentence: Sentence {
            kind: SentenceKind::Sds,
            imposed_on: d(imposed_on),
            custodial_months: None,
            court: None,
        },
        responsible_officer: None,
        mappa: None,
        sex_offender_notification: None,
        key_dates: key_dates
            .iter()
            .map(|&(kind, date)| KeyDate {
                kind,
                date: d(date),
                confirmed: None,
                note: None,
            })
            .collect(),
        closed_on: None,
        restricted_patient: None,
        transferred: None,
    }
}

pub(super) fn victim(status: VictimStatus, since: &str) -> Victim {
    Victim {
        id: "V-1".into(),
        case_id: "C-1".into(),
        name: "Joan Mercer".into(),
        role: VictimRole::Victim,
        eligibility: Eligibility::Statutory,
        referred_on: d("2020-01-01"),
        status,
        status_since: d(since),
        allocated_to: Some("sahmed".into()),
        contact_details: None,
        preferences: None,
        needs: None,
        representative: None,
        equality: None,
        licence_requests: vec![],
        sensitive_dates: vec![],
        contacts: vec![],
        vps: None,
        complaints: vec![],
        moved_away: None,
        risk: None,
        tasks: Vec::new(),
        discretionary: None,
        child: None,
    }
}

pub(super) fn with_level(mut v: Victim, level: InformationLevel) -> Victim {
    v.preferences = Some(Preferences {
        method: None,
        information: Some(level),
        written_follow_up: None,
    });
    v
}

pub(super) fn contact(
    on: &str,
    kind: ContactKind,
    method: Medium,
    direction: Direction,
) -> Contact {
    Contact {
        on: d(on),
        at: None,
        kind,
        method,
        direction,
        summary: None,
        by: None,
        key_date: None,
        corrects: None,
        follows: None,
        to: None,
    }
}

pub(super) fn letter(on: &str, kind: ContactKind) -> Contact {
    contact(on, kind, Medium::Letter, Direction::Outbound)
}

pub(super) fn about(on: &str, kind: KeyDateKind) -> Contact {
    Contact {
        key_date: Some(kind),
        ..letter(on, ContactKind::Update)
    }
}

fn run_with(v: &Victim, c: &Case, today: &str, calendar: &Calendar) -> Vec<Reminder> {
    let lead = LeadTimes::default();
    victim_reminders(
        v,
        c,
        d(today),
        Rules {
            calendar,
            lead: &lead,
        },
    )
}

pub(super) fn run(v: &Victim, c: &Case, today: &str) -> Vec<Reminder> {
    run_with(v, c, today, &Calendar::new([]))
}

/// (kind, due, key date) of each reminder, in the engine's order.
pub(super) fn summary(rs: &[Reminder]) -> Vec<(ReminderKind, NaiveDate, Option<KeyDateKind>)> {
    rs.iter().map(|r| (r.kind, r.due, r.key_date)).collect()
}

pub(super) fn of(rs: &[Reminder], kind: ReminderKind) -> Vec<NaiveDate> {
    rs.iter()
        .filter(|r| r.kind == kind)
        .map(|r| r.due)
        .collect()
}

#[test]
fn initial_offer_is_due_forty_working_days_after_a_sentence_before_easter() {
    // Friday 27 March 2026; Good Friday 3 April and Easter Monday 6 April and the
    // early May and spring bank holidays fall inside the 40 working days.
    let c = case("2026-03-27", &[]);
    let v = victim(VictimStatus::Referred, "2026-04-01");
    assert_eq!(
        summary(&run(&v, &c, "2026-04-01")),
        [(ReminderKind::InitialOffer, d("2026-05-28"), None)]
    );
}

#[test]
fn initial_offer_is_resolved_by_the_letter_or_a_status_change() {
    let c = case("2026-03-27", &[]);
    let mut v = victim(VictimStatus::Referred, "2026-04-01");
    v.contacts
        .push(letter("2026-04-10", ContactKind::InitialOffer));
    assert!(of(&run(&v, &c, "2026-06-01"), ReminderKind::InitialOffer).is_empty());
    let mut v = victim(VictimStatus::OfferSent, "2026-04-10");
    v.contacts.clear();
    assert!(of(&run(&v, &c, "2026-06-01"), ReminderKind::InitialOffer).is_empty());
}

#[test]
fn discretionary_request_is_decided_within_two_weeks_of_referral() {
    let c = case("2026-01-05", &[]);
    let mut v = victim(VictimStatus::Referred, "2026-11-10");
    v.eligibility = Eligibility::Discretionary;
    v.referred_on = d("2026-11-10");
    assert_eq!(
        summary(&run(&v, &c, "2026-11-24")),
        [(ReminderKind::DiscretionaryDecision, d("2026-11-24"), None)]
    );
    v.status = VictimStatus::OfferSent;
    assert!(
        of(
            &run(&v, &c, "2026-11-24"),
            ReminderKind::DiscretionaryDecision
        )
        .is_empty()
    );
}

#[test]
fn second_offer_follows_the_latest_initial_offer_by_three_clamped_months() {
    let c = case("2025-06-02", &[]);
    let mut v = victim(VictimStatus::OfferSent, "2025-09-15");
    assert_eq!(
        of(&run(&v, &c, "2026-01-01"), ReminderKind::SecondOffer),
        [d("2025-12-15")]
    );
    v.contacts
        .push(letter("2025-07-01", ContactKind::InitialOffer));
    v.contacts
        .push(letter("2025-08-31", ContactKind::InitialOffer));
    assert_eq!(
        of(&run(&v, &c, "2026-01-01"), ReminderKind::SecondOffer),
        [d("2025-11-30")]
    );
    v.contacts
        .push(letter("2025-12-01", ContactKind::SecondOffer));
    assert!(of(&run(&v, &c, "2026-01-01"), ReminderKind::SecondOffer).is_empty());
}

#[test]
fn annual_letter_rolls_forward_with_outbound_contact_from_29_february() {
    let c = case("2023-01-10", &[]);
    let mut v = with_level(
        victim(VictimStatus::OptedIn, "2024-02-29"),
        InformationLevel::Annual,
    );
    assert_eq!(
        of(&run(&v, &c, "2025-01-01"), ReminderKind::AnnualLetter),
        [d("2025-02-28")]
    );
    // Contact before opting in and inbound contact do not count.
    v.contacts
        .push(letter("2024-01-15", ContactKind::InitialOffer));
    v.contacts.push(contact(
        "2024-06-01",
        ContactKind::Note,
        Medium::Phone,
        Direction::Inbound,
    ));
    assert_eq!(
        of(&run(&v, &c, "2025-01-01"), ReminderKind::AnnualLetter),
        [d("2025-02-28")]
    );
    v.contacts.push(letter("2024-08-31", ContactKind::Update));
    assert_eq!(
        of(&run(&v, &c, "2025-01-01"), ReminderKind::AnnualLetter),
        [d("2025-08-31")]
    );
    let v = with_level(v, InformationLevel::ReleaseMonth);
    assert!(of(&run(&v, &c, "2025-01-01"), ReminderKind::AnnualLetter).is_empty());
}

#[test]
fn a_call_is_confirmed_in_writing_within_five_working_days() {
    let c = case("2023-01-10", &[]);
    let mut v = victim(VictimStatus::OfferSent, "2026-11-01");
    v.contacts
        .push(letter("2026-11-01", ContactKind::InitialOffer));
    v.contacts.push(letter("2026-11-19", ContactKind::Update));
    v.contacts.push(contact(
        "2026-11-20",
        ContactKind::Update,
        Medium::Phone,
        Direction::Outbound,
    ));
    v.contacts.push(contact(
        "2026-11-20",
        ContactKind::Note,
        Medium::Visit,
        Direction::Inbound,
    ));
    assert_eq!(
        of(&run(&v, &c, "2026-11-24"), ReminderKind::WrittenFollowUp),
        [d("2026-11-27")]
    );
    // A same-day email resolves it.
    v.contacts.push(contact(
        "2026-11-20",
        ContactKind::WrittenFollowUp,
        Medium::Email,
        Direction::Outbound,
    ));
    assert!(of(&run(&v, &c, "2026-11-24"), ReminderKind::WrittenFollowUp).is_empty());
    // A victim who does not want written confirmation gets none.
    v.contacts.pop();
    v.preferences = Some(Preferences {
        written_follow_up: Some(false),
        ..Preferences::default()
    });
    assert!(of(&run(&v, &c, "2026-11-24"), ReminderKind::WrittenFollowUp).is_empty());
}

#[test]
fn an_escape_is_told_at_once_at_every_level_and_in_full() {
    // Recorded on Saturday 5 December for an escape on Thursday 3 December 2026.
    let c = case("2020-01-10", &[(KeyDateKind::Escape, "2026-12-03")]);
    let v = with_level(
        victim(VictimStatus::OptedIn, "2026-01-05"),
        InformationLevel::ReleaseMonth,
    );
    let rs = run(&v, &c, "2026-12-05");
    let escape: Vec<&Reminder> = rs
        .iter()
        .filter(|r| r.kind == ReminderKind::KeyDate)
        .collect();
    assert_eq!(escape.len(), 1);
    assert_eq!(
        (escape[0].due, escape[0].key_date, escape[0].month_only),
        (d("2026-12-03"), Some(KeyDateKind::Escape), false)
    );
    assert_eq!(
        escape[0].action(),
        "URGENT: the offender escaped or absconded on 3 Dec 2026: speak to the police liaison \
         officer, then call the victim now"
    );
    // A call about it the day before it happened does not count; one on the day does.
    let mut told = v.clone();
    let about = |on| Contact {
        key_date: Some(KeyDateKind::Escape),
        ..contact(on, ContactKind::Update, Medium::Phone, Direction::Outbound)
    };
    told.contacts.push(about("2026-12-02"));
    assert!(
        run(&told, &c, "2026-12-05")
            .iter()
            .any(|r| r.kind == ReminderKind::KeyDate)
    );
    told.contacts.push(about("2026-12-03"));
    assert!(
        !run(&told, &c, "2026-12-05")
            .iter()
            .any(|r| r.kind == ReminderKind::KeyDate)
    );
}

#[test]
fn vlu_s_own_key_events_belong_to_the_levels_they_concern() {
    let c = case(
        "2020-01-10",
        &[
            (KeyDateKind::CompassionateRelease, "2027-03-01"),
            (KeyDateKind::MappaMeeting, "2027-03-01"),
            (KeyDateKind::OffenderDeath, "2026-12-01"),
        ],
    );
    let kinds = |level| {
        let v = with_level(victim(VictimStatus::OptedIn, "2026-11-01"), level);
        let mut told: Vec<(KeyDateKind, NaiveDate)> = run(&v, &c, "2026-12-05")
            .iter()
            .filter(|r| r.kind == ReminderKind::KeyDate)
            .map(|r| (r.key_date.unwrap(), r.due))
            .collect();
        told.sort();
        told
    };
    // 1 March 2027 − 28 days is 1 February; the death is told from its day.
    let release = (KeyDateKind::CompassionateRelease, d("2027-02-01"));
    let death = (KeyDateKind::OffenderDeath, d("2026-12-01"));
    let mappa = (KeyDateKind::MappaMeeting, d("2027-02-01"));
    let sorted = |mut v: Vec<(KeyDateKind, NaiveDate)>| {
        v.sort();
        v
    };
    assert_eq!(
        kinds(InformationLevel::ReleaseMonth),
        sorted(vec![release, death])
    );
    assert_eq!(
        kinds(InformationLevel::Annual),
        sorted(vec![release, death])
    );
    assert_eq!(
        kinds(InformationLevel::KeyStages),
        sorted(vec![release, death, mappa])
    );
}

#[test]
fn a_letter_that_follows_one_call_answers_that_call_only() {
    // Calls on Monday 2 and Tuesday 3 November 2026; the letter of Wednesday 4 November
    // follows the first (entry 2 of the log). The second's stays: workdays(3 Nov, 5) is
    // Tuesday 10 November.
    let c = case("2023-01-10", &[]);
    let mut v = victim(VictimStatus::OptedIn, "2026-01-05");
    let call = |on| contact(on, ContactKind::Update, Medium::Phone, Direction::Outbound);
    v.contacts = vec![
        letter("2026-01-05", ContactKind::OptIn),
        call("2026-11-02"),
        call("2026-11-03"),
        Contact {
            follows: Some(2),
            ..letter("2026-11-04", ContactKind::WrittenFollowUp)
        },
    ];
    assert_eq!(
        of(&run(&v, &c, "2026-11-05"), ReminderKind::WrittenFollowUp),
        [d("2026-11-10")]
    );
    // Naming the second instead leaves the first's: workdays(2 Nov, 5) is Monday 9 November.
    v.contacts[3].follows = Some(3);
    assert_eq!(
        of(&run(&v, &c, "2026-11-05"), ReminderKind::WrittenFollowUp),
        [d("2026-11-09")]
    );
    // A number naming no call (the opt-in letter, or no entry): a plain letter, which
    // answers every earlier call as the base format says.
    for none in [1, 4, 99] {
        v.contacts[3].follows = Some(none);
        assert!(of(&run(&v, &c, "2026-11-05"), ReminderKind::WrittenFollowUp).is_empty());
    }
    v.contacts[3].follows = None;
    assert!(of(&run(&v, &c, "2026-11-05"), ReminderKind::WrittenFollowUp).is_empty());
}

#[test]
fn a_complaint_is_acknowledged_within_ten_working_days_across_christmas() {
    let c = case("2023-01-10", &[]);
    let mut v = victim(VictimStatus::OptedIn, "2023-03-01");
    v.contacts.push(contact(
        "2026-12-17",
        ContactKind::Complaint,
        Medium::Letter,
        Direction::Inbound,
    ));
    assert_eq!(
        of(&run(&v, &c, "2026-12-18"), ReminderKind::ComplaintAck),
        [d("2027-01-05")]
    );
    let unit_closed = Calendar::new([d("2026-12-24")]);
    assert_eq!(
        of(
            &run_with(&v, &c, "2026-12-18", &unit_closed),
            ReminderKind::ComplaintAck
        ),
        [d("2027-01-06")]
    );
    v.contacts
        .push(letter("2026-12-18", ContactKind::ComplaintAck));
    assert!(of(&run(&v, &c, "2026-12-18"), ReminderKind::ComplaintAck).is_empty());
}

#[test]
fn key_dates_follow_the_victims_level() {
    let c = case(
        "2023-01-10",
        &[
            (KeyDateKind::OpenConditions, "2027-01-10"),
            (KeyDateKind::Crd, "2027-06-30"),
            (KeyDateKind::Led, "2029-06-30"),
        ],
    );
    let mut v = with_level(
        victim(VictimStatus::OptedIn, "2026-10-01"),
        InformationLevel::KeyStages,
    );
    v.contacts.push(letter("2026-10-01", ContactKind::OptIn));
    let rs = run(&v, &c, "2026-11-24");
    assert_eq!(
        rs.iter()
            .filter(|r| r.kind == ReminderKind::KeyDate)
            .map(|r| (r.key_date.unwrap(), r.due))
            .collect::<Vec<_>>(),
        [
            (KeyDateKind::OpenConditions, d("2026-12-13")),
            (KeyDateKind::Crd, d("2027-06-02")),
            (KeyDateKind::Led, d("2029-06-02")),
        ]
    );
    assert!(rs.iter().all(|r| !r.month_only));

    // Annual and release-month victims hear only of release; the latter only its month.
    for level in [InformationLevel::Annual, InformationLevel::ReleaseMonth] {
        let v = with_level(v.clone(), level);
        let rs: Vec<_> = run(&v, &c, "2026-11-24")
            .into_iter()
            .filter(|r| r.kind == ReminderKind::KeyDate)
            .collect();
        assert_eq!(
            summary(&rs),
            [(
                ReminderKind::KeyDate,
                d("2027-06-02"),
                Some(KeyDateKind::Crd)
            )]
        );
        assert_eq!(rs[0].month_only, level == InformationLevel::ReleaseMonth);
        let month_only = rs[0]
            .action()
            .contains("June 2027 only, never the exact date");
        assert_eq!(
            month_only,
            level == InformationLevel::ReleaseMonth,
            "{}",
            rs[0].action()
        );
    }
}

#[test]
fn a_key_date_is_resolved_only_by_contact_within_its_window() {
    let c = case("2023-01-10", &[(KeyDateKind::OpenConditions, "2027-01-10")]);
    let mut v = with_level(
        victim(VictimStatus::OptedIn, "2026-01-01"),
        InformationLevel::KeyStages,
    );
    // 182 days before 10 January 2027 is 12 July 2026.
    v.contacts
        .push(about("2026-07-11", KeyDateKind::OpenConditions));
    assert_eq!(
        of(&run(&v, &c, "2026-11-24"), ReminderKind::KeyDate),
        [d("2026-12-13")]
    );
    v.contacts
        .push(about("2026-07-12", KeyDateKind::OpenConditions));
    assert!(of(&run(&v, &c, "2026-11-24"), ReminderKind::KeyDate).is_empty());
}

#[test]
fn a_parole_hearing_brings_a_vps_offer_twelve_weeks_ahead() {
    let c = case("2010-01-10", &[(KeyDateKind::ParoleHearing, "2027-02-16")]);
    let mut v = with_level(
        victim(VictimStatus::OptedIn, "2026-06-01"),
        InformationLevel::ReleaseMonth,
    );
    assert_eq!(
        summary(&run(&v, &c, "2026-11-24")),
        [(
            ReminderKind::VpsOffer,
            d("2026-11-24"),
            Some(KeyDateKind::ParoleHearing)
        )]
    );
    v.contacts.push(Contact {
        kind: ContactKind::Vps,
        ..letter("2026-09-01", ContactKind::Vps)
    });
    assert!(run(&v, &c, "2026-11-24").is_empty());
}

#[test]
fn licence_conditions_follow_the_earliest_release_point_still_to_come() {
    let c = case(
        "2024-01-10",
        &[
            (KeyDateKind::Ped, "2026-12-01"),
            (KeyDateKind::Crd, "2027-06-01"),
        ],
    );
    let v = with_level(
        victim(VictimStatus::OptedIn, "2026-11-01"),
        InformationLevel::ReleaseMonth,
    );
    let lc = |c: &Case, today: &str| {
        run(&v, c, today)
            .into_iter()
            .filter(|r| r.kind == ReminderKind::LicenceConditions)
            .map(|r| (r.key_date.unwrap(), r.due))
            .collect::<Vec<_>>()
    };
    assert_eq!(lc(&c, "2026-11-24"), [(KeyDateKind::Ped, d("2026-06-02"))]);
    // The PED passed and the offender is still inside: it still counts.
    assert_eq!(lc(&c, "2027-01-04"), [(KeyDateKind::Ped, d("2026-06-02"))]);
    // Released on 15 December: the next release point is the CRD.
    let mut released = c.clone();
    released.key_dates.push(KeyDate {
        kind: KeyDateKind::Release,
        date: d("2026-12-15"),
        confirmed: None,
        note: None,
    });
    assert_eq!(
        lc(&released, "2027-01-04"),
        [(KeyDateKind::Crd, d("2026-12-01"))]
    );
    // A planned release still to come does not end the PED's claim.
    assert_eq!(
        lc(&released, "2026-12-10"),
        [(KeyDateKind::Ped, d("2026-06-02"))]
    );
    // Contact within 365 days of the date resolves it.
    let mut told = v.clone();
    told.contacts
        .push(letter("2025-12-01", ContactKind::LicenceConditions));
    assert!(
        run(&told, &c, "2026-11-24")
            .iter()
            .all(|r| r.kind != ReminderKind::LicenceConditions)
    );
    told.contacts[0].on = d("2025-11-30");
    assert!(
        run(&told, &c, "2026-11-24")
            .iter()
            .any(|r| r.kind == ReminderKind::LicenceConditions)
    );
}

#[test]
fn a_licence_decision_is_passed_on_within_five_working_days() {
    let c = case("2024-01-10", &[]);
    let mut v = with_level(
        victim(VictimStatus::OptedIn, "2026-11-01"),
        InformationLevel::ReleaseMonth,
    );
    let request = |outcome, on: Option<&str>| LicenceRequest {
        outcome: Some(outcome),
        outcome_on: on.map(d),
        ..LicenceRequest::default()
    };
    v.licence_requests = vec![
        request(LicenceOutcome::Pending, None),
        request(LicenceOutcome::Granted, Some("2026-11-20")),
    ];
    assert_eq!(
        summary(&run(&v, &c, "2026-11-24")),
        [(ReminderKind::LicenceOutcome, d("2026-11-27"), None)]
    );
    v.contacts
        .push(letter("2026-11-20", ContactKind::LicenceConditions));
    assert!(run(&v, &c, "2026-11-24").is_empty());
}

#[test]
fn contact_closes_at_the_later_of_licence_and_sentence_expiry() {
    let c = case(
        "2024-01-10",
        &[
            (KeyDateKind::Led, "2030-01-01"),
            (KeyDateKind::Sed, "2031-01-01"),
        ],
    );
    let mut v = with_level(
        victim(VictimStatus::OptedIn, "2026-11-01"),
        InformationLevel::ReleaseMonth,
    );
    assert_eq!(
        summary(&run(&v, &c, "2026-11-24")),
        [(
            ReminderKind::CaseClosure,
            d("2031-01-01"),
            Some(KeyDateKind::Sed)
        )]
    );
    v.contacts.push(contact(
        "2026-11-24",
        ContactKind::Closure,
        Medium::None,
        Direction::Internal,
    ));
    assert!(run(&v, &c, "2026-11-24").is_empty());
}

#[test]
fn a_victim_who_said_no_or_a_closed_case_gets_nothing() {
    let c = case("2026-03-27", &[(KeyDateKind::Crd, "2027-06-30")]);
    let mut v = victim(VictimStatus::Declined, "2026-04-01");
    v.contacts.push(contact(
        "2026-04-02",
        ContactKind::Complaint,
        Medium::Phone,
        Direction::Inbound,
    ));
    v.contacts.push(contact(
        "2026-04-02",
        ContactKind::Update,
        Medium::Phone,
        Direction::Outbound,
    ));
    for status in [
        VictimStatus::Declined,
        VictimStatus::OptedOut,
        VictimStatus::Closed,
    ] {
        v.status = status;
        assert!(run(&v, &c, "2026-11-24").is_empty(), "{status}");
    }
    v.status = VictimStatus::OptedIn;
    assert!(!run(&v, &c, "2026-11-24").is_empty());
    let mut closed = c.clone();
    closed.closed_on = Some(d("2026-10-01"));
    assert!(run(&v, &closed, "2026-11-24").is_empty());
}

#[test]
fn an_anniversary_on_new_years_day_flags_a_reminder_due_on_30_december() {
    let mut v = victim(VictimStatus::OptedIn, "2026-01-01");
    let yearly = |date: &str, label: &str| SensitiveDate {
        date: Some(d(date)),
        label: Some(label.into()),
        yearly: Some(true),
    };
    v.sensitive_dates = vec![yearly("2019-01-01", "anniversary of the offence")];
    assert_eq!(
        sensitive_label(&v, d("2026-12-30"), 3).as_deref(),
        Some("anniversary of the offence")
    );
    assert_eq!(sensitive_label(&v, d("2026-12-28"), 3), None);
    assert_eq!(
        sensitive_label(&v, d("2027-01-04"), 3).as_deref(),
        Some("anniversary of the offence")
    );
    // Not before the date itself happened.
    assert_eq!(sensitive_label(&v, d("2017-12-30"), 3), None);
    // A one-off date flags only itself; the nearest of two wins.
    v.sensitive_dates = vec![
        SensitiveDate {
            date: Some(d("2026-12-01")),
            label: Some("trial of co-defendant".into()),
            yearly: None,
        },
        yearly("2000-02-29", "birthday"),
    ];
    assert_eq!(sensitive_label(&v, d("2027-12-02"), 3), None);
    assert_eq!(
        sensitive_label(&v, d("2026-12-03"), 3).as_deref(),
        Some("trial of co-defendant")
    );
    assert_eq!(
        sensitive_label(&v, d("2027-03-02"), 3).as_deref(),
        Some("birthday")
    );
}

#[test]
fn the_diary_sorts_filters_and_keeps_old_overdue_items() {
    let c = case("2010-01-10", &[(KeyDateKind::ParoleHearing, "2027-02-16")]);
    let mut a = with_level(
        victim(VictimStatus::OptedIn, "2020-01-01"),
        InformationLevel::ReleaseMonth,
    );
    a.id = "V-2".into();
    a.contacts.push(contact(
        "2021-03-01",
        ContactKind::Complaint,
        Medium::Email,
        Direction::Inbound,
    ));
    let mut b = a.clone();
    b.id = "V-1".into();
    b.allocated_to = Some("jbloggs".into());
    b.contacts.clear();
    let lead = LeadTimes::default();
    let calendar = Calendar::new([]);
    let rules = Rules {
        calendar: &calendar,
        lead: &lead,
    };
    let query = DiaryQuery {
        date: d("2026-11-20"),
        days: 14,
        officer: None,
    };
    let items = diary([&c], [&a, &b], &query, rules);
    let got: Vec<_> = items
        .iter()
        .map(|i| (i.reminder.victim_id.as_str(), i.reminder.kind, i.status))
        .collect();
    assert_eq!(
        got,
        [
            ("V-2", ReminderKind::ComplaintAck, DiaryStatus::Overdue),
            ("V-1", ReminderKind::VpsOffer, DiaryStatus::DueSoon),
            ("V-2", ReminderKind::VpsOffer, DiaryStatus::DueSoon),
        ]
    );
    let mine = diary(
        [&c],
        [&a, &b],
        &DiaryQuery {
            officer: Some("jbloggs"),
            ..query.clone()
        },
        rules,
    );
    assert_eq!(mine.len(), 1);
    let short = diary([&c], [&a, &b], &DiaryQuery { days: 3, ..query }, rules);
    assert_eq!(short.len(), 1, "only the overdue item is within 3 days");
    assert_eq!(
        diary_status(d("2026-11-27"), d("2026-11-20"), &lead),
        DiaryStatus::DueSoon
    );
    assert_eq!(
        diary_status(d("2026-11-28"), d("2026-11-20"), &lead),
        DiaryStatus::Upcoming
    );
}

#[test]
fn the_victim_is_found_again_in_an_identity_even_with_a_slash_in_its_id() {
    let mut v = with_level(
        victim(VictimStatus::OptedIn, "2025-01-01"),
        InformationLevel::KeyStages,
    );
    let c = case("2024-01-10", &[(KeyDateKind::ParoleHearing, "2027-06-01")]);
    for id in ["V-1", "V/2024/7", "/"] {
        v.id = id.into();
        let rs = run(&v, &c, "2026-11-24");
        assert!(rs.iter().any(|r| r.key_date.is_none()) && rs.iter().any(|r| r.key_date.is_some()));
        for r in rs {
            assert_eq!(
                Reminder::victim_in_identity(&r.identity()),
                Some(id),
                "{}",
                r.identity()
            );
        }
    }
    assert_eq!(Reminder::victim_in_identity("annual_letter"), None);
    assert_eq!(Reminder::victim_in_identity("annual_letter/V-1/-"), None);
}

/// A discretionary request referred on Monday 2 November 2026: undecided, its decision is due
/// 14 days on (16 November). Accepted on 10 November, the offer is due 40 working days after
/// the decision, as a statutory offer is after sentence: Friday 8 January 2027 (11 Nov–24 Dec
/// are 32 working days, 29–31 Dec 3 more, 1 Jan a holiday, 4–8 Jan 5 more). Refused, nothing
/// more is asked.
#[test]
fn a_discretionary_decision_ends_its_clock_and_an_acceptance_starts_the_offers() {
    use crate::domain::enums::{DiscretionaryDecision, Eligibility};
    use crate::domain::model::Discretionary;
    let c = case("2026-09-01", &[]);
    let mut v = victim(VictimStatus::Referred, "2026-11-02");
    v.referred_on = d("2026-11-02");
    v.eligibility = Eligibility::Discretionary;
    let rs = run(&v, &c, "2026-11-03");
    assert_eq!(
        of(&rs, ReminderKind::DiscretionaryDecision),
        [d("2026-11-16")]
    );
    v.discretionary = Some(Box::new(Discretionary {
        decision: Some(DiscretionaryDecision::Accepted),
        decided_on: Some(d("2026-11-10")),
        by: Some("lmcbride".into()),
        ..Discretionary::default()
    }));
    let rs = run(&v, &c, "2026-11-11");
    assert!(of(&rs, ReminderKind::DiscretionaryDecision).is_empty());
    assert_eq!(of(&rs, ReminderKind::DiscretionaryOffer), [d("2027-01-08")]);
    let r = rs
        .iter()
        .find(|r| r.kind == ReminderKind::DiscretionaryOffer);
    assert_eq!(
        r.unwrap().action(),
        "Send the offer letter: the discretionary request was accepted on 10 Nov 2026"
    );
    v.discretionary.as_mut().unwrap().decision = Some(DiscretionaryDecision::Refused);
    assert!(run(&v, &c, "2026-11-11").is_empty());
}

/// A child born on 29 February 2012, referred in 2025 through her mother: she turns 18 on 28
/// February 2030 (no 29th that year), and is offered the scheme four weeks before, on 31
/// January 2030; once offered, nothing more. A victim already 18 when referred is not.
#[test]
fn a_child_victim_is_offered_the_scheme_in_their_own_right_before_turning_18() {
    use crate::domain::model::Child;
    let c = case("2024-09-01", &[]);
    let mut v = victim(VictimStatus::OptedIn, "2025-03-01");
    v.referred_on = d("2025-03-01");
    v.child = Some(Box::new(Child {
        born_on: Some(d("2012-02-29")),
        offered_on: None,
    }));
    let rs = run(&v, &c, "2030-01-02");
    assert_eq!(of(&rs, ReminderKind::ComesOfAge), [d("2030-01-31")]);
    assert_eq!(
        rs.iter()
            .find(|r| r.kind == ReminderKind::ComesOfAge)
            .unwrap()
            .action(),
        "Offer the child victim the scheme in their own right: they turn 18 on 28 Feb 2030"
    );
    v.child.as_mut().unwrap().offered_on = Some(d("2030-02-03"));
    assert!(of(&run(&v, &c, "2030-02-04"), ReminderKind::ComesOfAge).is_empty());
    v.child.as_mut().unwrap().offered_on = None;
    v.child.as_mut().unwrap().born_on = Some(d("2006-01-01"));
    assert!(of(&run(&v, &c, "2030-01-02"), ReminderKind::ComesOfAge).is_empty());
}

/// An annual-only victim is not told of a category review, until the unit decides, on
/// record, to tell them: an approved `disclosure_decision` about that kind brings the item
/// (28 days before the review on 10 December 2026: 12 November). Refused, or not yet done,
/// it does not.
#[test]
fn a_disclosure_decision_approved_brings_a_key_date_beyond_the_level() {
    use crate::domain::enums::TaskKind;
    use crate::domain::model::Task;
    let c = case("2020-01-10", &[(KeyDateKind::CategoryReview, "2026-12-10")]);
    let mut v = with_level(
        victim(VictimStatus::OptedIn, "2021-03-01"),
        InformationLevel::Annual,
    );
    let review = |v: &crate::domain::model::Victim| -> Vec<NaiveDate> {
        run(v, &c, "2026-11-02")
            .into_iter()
            .filter(|r| r.kind == ReminderKind::KeyDate)
            .map(|r| r.due)
            .collect()
    };
    assert_eq!(review(&v), []);
    let decision = Task {
        kind: Some(TaskKind::DisclosureDecision),
        opened_on: Some(d("2026-10-20")),
        key_date: Some(KeyDateKind::CategoryReview),
        by: Some("sahmed".into()),
        agreed: Some(true),
        ..Task::default()
    };
    v.tasks = vec![decision.clone()];
    assert_eq!(review(&v), []);
    v.tasks = vec![Task {
        done_on: Some(d("2026-10-30")),
        agreed: Some(false),
        ..decision.clone()
    }];
    assert_eq!(review(&v), []);
    v.tasks = vec![Task {
        done_on: Some(d("2026-10-30")),
        ..decision
    }];
    assert_eq!(review(&v), [d("2026-11-12")]);
}
