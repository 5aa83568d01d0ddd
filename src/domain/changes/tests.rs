//! What an annual letter reports, and re-categorisation as the key stage it is.

use serde_json::json;

use super::*;
use crate::domain::calendar::Calendar;
use crate::domain::enums::ReminderKind;
use crate::domain::reminders::{Rules, victim_reminders};
use crate::domain::rules::LeadTimes;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A life sentence: category review in March 2026, open conditions in September, a first
/// ROTL in October, the parole hearing and the tariff's end in 2027.
fn life() -> Case {
    serde_json::from_value(json!({
        "id": "C-1",
        "offender": { "name": "Gareth Thorne" },
        "offence": { "category": "violent" },
        "sentence": { "kind": "life", "imposed_on": "2009-05-01" },
        "key_dates": [
            { "kind": "tariff_expiry", "date": "2027-06-01" },
            { "kind": "category_review", "date": "2026-03-10" },
            { "kind": "open_conditions", "date": "2026-09-01" },
            { "kind": "rotl", "date": "2026-10-15" },
            { "kind": "parole_hearing", "date": "2027-02-16" },
            { "kind": "crd", "date": "2027-08-01" },
            { "kind": "category_review", "date": "2025-12-01" }
        ]
    }))
    .unwrap()
}

/// Opted in for every key stage in 2020; the last annual letter on 1 December 2025; told of
/// the move to open conditions by letter on 1 August 2026.
fn helen(level: &str) -> Victim {
    serde_json::from_value(json!({
        "id": "V-1", "case_id": "C-1", "name": "Helen Marsh", "role": "next_of_kin",
        "eligibility": "statutory", "referred_on": "2009-05-10",
        "status": "opted_in", "status_since": "2020-01-06",
        "preferences": { "information": level },
        "contacts": [
            { "on": "2024-11-20", "kind": "annual_letter", "method": "letter", "direction": "outbound" },
            { "on": "2025-12-01", "kind": "annual_letter", "method": "letter", "direction": "outbound" },
            { "on": "2026-02-01", "kind": "annual_letter", "method": "letter", "direction": "inbound" },
            { "on": "2026-08-01", "kind": "update", "method": "letter", "direction": "outbound",
              "key_date": "open_conditions" }
        ]
    }))
    .unwrap()
}

fn kinds<'a>(stages: impl IntoIterator<Item = &'a KeyDate>) -> Vec<(KeyDateKind, NaiveDate)> {
    stages.into_iter().map(|k| (k.kind, k.date)).collect()
}

#[test]
fn a_key_stages_letter_reports_the_re_categorisation_since_the_last_one() {
    let case = life();
    let v = helen("key_stages");
    let report = since_last_letter(&v, &case, d("2026-12-01"));
    assert_eq!(
        report.since,
        d("2025-12-01"),
        "the latest outbound annual letter"
    );
    assert_eq!(
        kinds(report.reached.iter().copied()),
        [
            (KeyDateKind::CategoryReview, d("2026-03-10")),
            (KeyDateKind::OpenConditions, d("2026-09-01")),
            (KeyDateKind::Rotl, d("2026-10-15")),
        ],
        "the review on the last letter's own day was in that letter"
    );
    assert!(report.recategorised());
    let ahead: Vec<(KeyDateKind, bool)> = report.ahead.iter().map(|(k, t)| (k.kind, *t)).collect();
    assert_eq!(
        ahead,
        [
            (KeyDateKind::ParoleHearing, false),
            (KeyDateKind::TariffExpiry, false),
            (KeyDateKind::Crd, false),
        ]
    );
}

#[test]
fn an_annual_level_letter_reports_release_kinds_only() {
    let case = life();
    let v = helen("annual");
    let report = since_last_letter(&v, &case, d("2026-12-01"));
    assert!(report.reached.is_empty());
    assert!(
        !report.recategorised(),
        "not a stage this victim is told of"
    );
    assert_eq!(
        kinds(report.ahead.iter().map(|(k, _)| *k)),
        [(KeyDateKind::Crd, d("2027-08-01"))]
    );
}

#[test]
fn the_count_starts_at_opting_in_and_a_stage_told_since_is_marked() {
    let case = life();
    let mut v = helen("key_stages");
    // Opted in again in 2026: letters before that are not this victim's last letter.
    v.status_since = d("2026-06-01");
    let report = since_last_letter(&v, &case, d("2026-12-01"));
    assert_eq!(report.since, d("2026-06-01"));
    assert_eq!(
        kinds(report.reached.iter().copied()),
        [
            (KeyDateKind::OpenConditions, d("2026-09-01")),
            (KeyDateKind::Rotl, d("2026-10-15")),
        ]
    );
    // A letter about the parole hearing after the last annual letter: told.
    let mut v = helen("key_stages");
    v.contacts.push(
        serde_json::from_value(
            json!({ "on": "2026-11-02", "kind": "update", "method": "letter",
            "direction": "outbound", "key_date": "parole_hearing" }),
        )
        .unwrap(),
    );
    let report = since_last_letter(&v, &case, d("2026-12-01"));
    assert_eq!(report.ahead[0].0.kind, KeyDateKind::ParoleHearing);
    assert!(report.ahead[0].1);
    // A letter on the day of the last one but not before it: nothing reached yet.
    let report = since_last_letter(&v, &case, d("2025-12-02"));
    assert_eq!(report.since, d("2025-12-01"));
    assert!(report.reached.is_empty());
    assert!(!report.is_empty(), "stages ahead are still to say");
}

#[test]
fn re_categorisation_is_a_key_stage_for_the_key_date_reminders() {
    let case = life();
    let calendar = Calendar::new([]);
    let lead = LeadTimes::default();
    let rules = Rules {
        calendar: &calendar,
        lead: &lead,
    };
    let mut v = helen("key_stages");
    v.contacts.clear();
    let key_dates = |v: &Victim| -> Vec<KeyDateKind> {
        victim_reminders(v, &case, d("2026-01-15"), rules)
            .iter()
            .filter(|r| r.kind == ReminderKind::KeyDate)
            .filter_map(|r| r.key_date)
            .collect()
    };
    let told = key_dates(&v);
    for kind in KeyDateKind::RECATEGORISATION {
        assert!(
            told.contains(kind),
            "{kind} for a key_stages victim: {told:?}"
        );
    }
    let annual = helen("annual");
    assert!(
        !key_dates(&annual)
            .iter()
            .any(|k| KeyDateKind::RECATEGORISATION.contains(k)),
        "not for an annual victim"
    );
    // Telling her of the category review is the outbound contact the annual letter rolls from.
    v.contacts.push(
        serde_json::from_value(
            json!({ "on": "2026-02-10", "kind": "update", "method": "letter",
            "direction": "outbound", "key_date": "category_review" }),
        )
        .unwrap(),
    );
    let annual_letter: Vec<NaiveDate> = victim_reminders(&v, &case, d("2026-03-01"), rules)
        .iter()
        .filter(|r| r.kind == ReminderKind::AnnualLetter)
        .map(|r| r.due)
        .collect();
    assert_eq!(annual_letter, [d("2027-02-10")]);
}
