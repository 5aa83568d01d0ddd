//! The monitoring return on a small unit whose every figure is worked out by hand below.
//!
//! Calendar of 2026 used by hand: bank holidays 4 May, 25 May (Mondays) and 31 August (the
//! summer bank holiday, a Monday); `workdays(d, n)` counts from the day after `d`.
//! - Case C-A, sentenced Fri 29 May: initial offers due workdays(29 May, 40) = Fri 24 July
//!   (June has 22 working days to Fri 26 June = 20; 29 Jun–3 Jul 25; 6–10 Jul 30; 13–17 Jul
//!   35; 20–24 Jul 40).
//! - Case C-B, sentenced Mon 6 July: due workdays(6 Jul, 40) = Tue 1 September (7–10 Jul 4;
//!   then five full weeks to 28 Aug make 39; 31 Aug is a holiday; Tue 1 Sep is 40).
//! - Case C-D, sentenced 3 June 2024: its victims' offers fell due in 2024.

mod agreement;
mod steps;

use chrono::NaiveDate;
use serde_json::json;

use super::*;
use crate::domain::calendar::Calendar;
use crate::domain::model::{Caseload, Contact};
use crate::domain::reminders::{DiaryQuery, diary};
use crate::domain::rules::LeadTimes;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn contact(on: &str, kind: &str, method: &str, direction: &str) -> serde_json::Value {
    json!({ "on": on, "kind": kind, "method": method, "direction": direction })
}

/// Eleven victims over three cases, the period being 1 July to 30 September 2026.
fn unit() -> Caseload {
    let c = contact;
    let value = json!({
        "format": "vlu-caseload", "version": 1,
        "unit": { "name": "Test Unit" },
        "officers": [ { "id": "sahmed", "name": "Sara Ahmed", "role": "vlo" },
                      { "id": "jokafor", "name": "James Okafor", "role": "vlo" } ],
        "cases": [
            { "id": "C-A", "offender": { "name": "A" }, "offence": { "category": "violent" },
              "sentence": { "kind": "sds", "imposed_on": "2026-05-29" } },
            { "id": "C-B", "offender": { "name": "B" }, "offence": { "category": "violent" },
              "sentence": { "kind": "sds", "imposed_on": "2026-07-06" } },
            { "id": "C-D", "offender": { "name": "D" }, "offence": { "category": "sexual" },
              "sentence": { "kind": "sds", "imposed_on": "2024-06-03" } }
        ],
        "victims": [
            { "id": "V1", "case_id": "C-A", "name": "One", "role": "victim",
              "eligibility": "statutory", "referred_on": "2026-06-10", "status": "opted_in",
              "status_since": "2026-08-10", "allocated_to": "sahmed",
              "equality": { "sex": "female", "age": "35-44" },
              "contacts": [ c("2026-07-20", "initial_offer", "letter", "outbound"),
                            c("2026-08-10", "opt_in", "phone", "inbound"),
                            c("2026-08-12", "update", "phone", "outbound"),
                            c("2026-08-14", "written_follow_up", "letter", "outbound") ] },
            { "id": "V2", "case_id": "C-A", "name": "Two", "role": "victim",
              "eligibility": "statutory", "referred_on": "2026-06-15", "status": "offer_sent",
              "status_since": "2026-07-28", "allocated_to": "sahmed",
              "equality": { "sex": "female", "age": "35-44" },
              "contacts": [ c("2026-06-26", "note", "phone", "outbound"),
                            c("2026-07-28", "initial_offer", "letter", "outbound") ] },
            { "id": "V3", "case_id": "C-B", "name": "Three", "role": "victim",
              "eligibility": "statutory", "referred_on": "2026-07-08", "status": "referred",
              "status_since": "2026-07-08", "allocated_to": "jokafor",
              "equality": { "sex": "male", "race": "white  british" } },
            { "id": "V4", "case_id": "C-B", "name": "Four", "role": "victim",
              "eligibility": "statutory", "referred_on": "2026-07-08", "status": "declined",
              "status_since": "2026-08-03", "allocated_to": "jokafor",
              "equality": { "sex": "Male ", "race": "White British" },
              "contacts": [ c("2026-07-15", "initial_offer", "letter", "outbound"),
                            c("2026-08-03", "decline", "letter", "inbound") ] },
            { "id": "V5", "case_id": "C-D", "name": "Five", "role": "victim",
              "eligibility": "statutory", "referred_on": "2024-06-10", "status": "opted_in",
              "status_since": "2024-08-01", "allocated_to": "sahmed",
              "preferences": { "information": "annual", "written_follow_up": false },
              "contacts": [ c("2024-06-20", "initial_offer", "letter", "outbound"),
                            c("2024-08-01", "opt_in", "letter", "inbound"),
                            c("2025-07-20", "annual_letter", "letter", "outbound"),
                            c("2026-07-15", "annual_letter", "letter", "outbound"),
                            c("2026-08-03", "update", "phone", "outbound") ] },
            { "id": "V6", "case_id": "C-D", "name": "Six", "role": "victim",
              "eligibility": "statutory", "referred_on": "2024-06-10", "status": "opted_in",
              "status_since": "2024-08-01", "allocated_to": "jokafor",
              "preferences": { "information": "key_stages" },
              "contacts": [ c("2024-06-20", "initial_offer", "letter", "outbound"),
                            c("2024-08-01", "opt_in", "letter", "inbound"),
                            c("2025-08-10", "update", "letter", "outbound"),
                            c("2026-09-14", "update", "phone", "outbound"),
                            c("2026-09-28", "meeting_record", "visit", "outbound") ] },
            { "id": "V7", "case_id": "C-D", "name": "Seven", "role": "victim",
              "eligibility": "discretionary", "referred_on": "2026-09-10", "status": "referred",
              "status_since": "2026-09-10",
              "equality": { "sex": "Not stated" } },
            { "id": "V8", "case_id": "C-D", "name": "Eight", "role": "victim",
              "eligibility": "statutory", "referred_on": "2024-06-10", "status": "offer_sent",
              "status_since": "2024-06-20", "allocated_to": "sahmed",
              "contacts": [ c("2024-06-20", "initial_offer", "letter", "outbound"),
                            c("2026-07-31", "second_offer", "letter", "outbound") ] },
            { "id": "V9", "case_id": "C-D", "name": "Nine", "role": "victim",
              "eligibility": "statutory", "referred_on": "2024-06-10", "status": "opted_in",
              "status_since": "2026-09-05", "allocated_to": "sahmed",
              "contacts": [ c("2024-06-20", "initial_offer", "letter", "outbound"),
                            c("2026-08-20", "second_offer", "letter", "outbound"),
                            c("2026-09-05", "opt_in", "phone", "inbound") ] },
            { "id": "V10", "case_id": "C-D", "name": "Ten", "role": "victim",
              "eligibility": "statutory", "referred_on": "2024-06-10", "status": "opted_out",
              "status_since": "2026-09-10", "allocated_to": "jokafor",
              "equality": { "sex": "female", "race": "white british" },
              "contacts": [ c("2024-06-20", "initial_offer", "letter", "outbound"),
                            c("2024-07-01", "opt_in", "letter", "inbound"),
                            c("2026-07-02", "complaint", "email", "inbound"),
                            c("2026-07-16", "complaint_ack", "letter", "outbound"),
                            c("2026-09-22", "complaint", "email", "inbound") ] },
            { "id": "V11", "case_id": "C-A", "name": "Eleven", "role": "victim",
              "eligibility": "statutory", "referred_on": "2026-06-12", "status": "offer_sent",
              "status_since": "2026-07-21", "allocated_to": "sahmed",
              "contacts": [ c("2026-07-21", "initial_offer", "letter", "outbound"),
                            c("2026-09-01", "complaint", "letter", "inbound") ] }
        ]
    });
    serde_json::from_value(value).unwrap()
}

fn query(officer: Option<&str>) -> ReportQuery {
    ReportQuery {
        from: d("2026-07-01"),
        to: d("2026-09-30"),
        officer: officer.map(str::to_owned),
        made_on: d("2026-11-24"),
        weeks: 0,
    }
}

fn run(c: &Caseload, q: &ReportQuery) -> Report {
    let calendar = Calendar::default();
    let lead = LeadTimes::default();
    let rules = Rules {
        calendar: &calendar,
        lead: &lead,
    };
    report(&c.cases, &c.victims, q, rules, Some("Test Unit"))
}

fn overdue_count(r: &Report, kind: ReminderKind) -> u32 {
    r.overdue
        .by_kind
        .iter()
        .find(|k| k.kind == kind)
        .unwrap()
        .items
}

#[test]
fn every_figure_of_a_quarter_as_worked_out_by_hand() {
    let r = run(&unit(), &query(None));

    // referred: referred_on in July–September: V3 and V4 (8 July), V7 (10 September).
    assert_eq!(r.referred, 3);

    // offers_due: statutory victims whose offer fell due in the period: V1, V2, V11 (C-A,
    // 24 July) and V3, V4 (C-B, 1 September). C-D's fell due in 2024; V7 is discretionary.
    // offers_in_time: an initial_offer on or before the due day: V1 (20 July), V11 (21
    // July), V4 (15 July). V2's came on 28 July, four days late; V3 has none.
    assert_eq!((r.offers_due, r.offers_in_time), (5, 3));
    assert_eq!(r.offers_in_time_percent, Some(Tenths(600)), "3 of 5: 60.0%");

    // First offers in the period and the working days from sentence to them:
    // V4 6 Jul -> 15 Jul: 7 (7, 8, 9, 10, 13, 14, 15 July);
    // V1 29 May -> 20 Jul: 36 (35 to 17 July, then Monday 20th);
    // V11 29 May -> 21 Jul: 37; V2 29 May -> 28 Jul: 42 (40 on the 24th, 27th, 28th).
    // Four values, 7 36 37 42: the median is the mean of 36 and 37.
    assert_eq!(r.first_offers, 4);
    assert_eq!(r.median_working_days_to_offer, Some(Tenths(365)));

    // opted_in: an opt_in dated in the period or the status set in it: V1 (10 Aug), V9
    // (5 Sep). V5, V6, V10 opted in in 2024. declined: V4 (3 Aug). opted_out: V10 (status
    // since 10 Sep).
    assert_eq!((r.opted_in, r.declined, r.opted_out), (2, 1, 1));

    // no_response: V8's second offer of 31 July had no answer by 31 October, which has
    // passed by 24 November. V9 answered hers of 20 August on 5 September.
    assert_eq!(r.no_response, 1);

    // Annual letters. V5 (annual): on 30 June the diary showed it due 20 July (a year from
    // the letter of 20 July 2025); the letter of 15 July moved it to 15 July 2027: due,
    // on time. V6 (key stages): due 10 August (a year from 10 August 2025); nothing went out
    // until the call of 14 September: due, late; next due September 2027. V10 was overdue
    // before the period began (July 2025), so nothing of it falls due in the period. V1,
    // V9 opted in during the period: their first letters are due in 2027.
    assert_eq!((r.annual_letters_due, r.annual_letters_on_time), (2, 1));

    // Written follow-ups due in the period (workdays(call, 5)):
    // V2's call of Fri 26 June, due Fri 3 July: the next letter was 28 July, late.
    // V1's call of Wed 12 August, due Wed 19 August: letter on the 14th, on time.
    // V6's call of Mon 14 September, due Mon 21 September: nothing written, late.
    // Not counted: V6's visit of 28 September (due 5 October), V5's call of 3 August (she
    // asked for no written follow-up), inbound calls (V1, V9).
    assert_eq!((r.follow_ups_due, r.follow_ups_on_time), (3, 1));

    // Complaints received in the period: V10 on Thu 2 July (due workdays(2 Jul, 10) =
    // Thu 16 July, acknowledged that day: in time) and Tue 22 September (due 6 October, not
    // acknowledged), V11 on Tue 1 September (due 15 September, not acknowledged).
    assert_eq!((r.complaints, r.complaints_acknowledged_in_time), (3, 1));

    // Overdue on 30 September: V3's initial offer (due 1 Sep), V6's written follow-up (due
    // 21 Sep), V11's complaint acknowledgement (due 15 Sep), V7's discretionary decision
    // (referred 10 Sep, due 24 Sep; not allocated). V10 has opted out; V2's second offer is
    // due 28 October, V11's 21 October.
    assert_eq!(r.overdue.date, d("2026-09-30"));
    assert_eq!(r.overdue.total, 4);
    assert_eq!(overdue_count(&r, ReminderKind::InitialOffer), 1);
    assert_eq!(overdue_count(&r, ReminderKind::WrittenFollowUp), 1);
    assert_eq!(overdue_count(&r, ReminderKind::ComplaintAck), 1);
    assert_eq!(overdue_count(&r, ReminderKind::DiscretionaryDecision), 1);
    assert_eq!(overdue_count(&r, ReminderKind::AnnualLetter), 0);
    let by_officer: Vec<(Option<&str>, u32)> = r
        .overdue
        .by_officer
        .iter()
        .map(|o| (o.officer.as_deref(), o.items))
        .collect();
    assert_eq!(
        by_officer,
        [(Some("jokafor"), 2), (Some("sahmed"), 1), (None, 1)]
    );
}

#[test]
fn the_equality_breakdown_as_worked_out_by_hand() {
    use Cell::{Shown, Small, Withheld};
    let r = run(&unit(), &query(None));
    // Recorded by some victim of the unit: age, race, sex (in the format's order). Referred
    // in the period: V3, V4, V7. Opted in: V1, V9.
    let names: Vec<&str> = r
        .equality
        .iter()
        .map(|c| c.characteristic.as_str())
        .collect();
    assert_eq!(names, ["age", "race", "sex"]);
    let rows = |i: usize| -> Vec<(String, Cell, Cell)> {
        r.equality[i]
            .groups
            .iter()
            .map(|g| (g.value.clone(), g.referred, g.opted_in))
            .collect()
    };
    // age: "35-44" referred 0, opted in 1 (V1); not stated referred 3, opted in 1 (V9).
    // referred [0, 3]: the 3 is <5 and alone, so the 0 is withheld too.
    // opted in [1, 1]: two <5 that can only be 1 and 1: both withheld.
    assert_eq!(
        rows(0),
        [
            ("35-44".to_owned(), Withheld, Withheld),
            (NOT_STATED.to_owned(), Small, Withheld)
        ]
    );
    // race: V3 "white  british" and V4 "White British" are one group, named by the first
    // of the two equally common spellings in alphabetical order; V7 not stated. (V10's
    // "white british" is not in the period.) referred [2, 1]: two <5 summing to 3, which
    // could be 2+1 or 1+2: enough. opted in [0, 2]: the 0 is withheld beside the <5.
    assert_eq!(
        rows(1),
        [
            ("White British".to_owned(), Small, Withheld),
            (NOT_STATED.to_owned(), Small, Small)
        ]
    );
    // sex: female referred 0, opted in 1 (V1); male ("male", "Male ") referred 2;
    // not stated (V7's "Not stated", V9 nothing) referred 1, opted in 1.
    // referred [0, 2, 1]: two <5 summing to 3: enough; the 0 stays.
    // opted in [1, 0, 1]: two <5 summing to 2 (1 and 1), and withholding the 0 cannot
    // help: every <5 becomes *.
    assert_eq!(
        rows(2),
        [
            ("female".to_owned(), Shown(0), Withheld),
            ("Male".to_owned(), Small, Withheld),
            (NOT_STATED.to_owned(), Small, Withheld)
        ]
    );
}

#[test]
fn one_officers_return_counts_only_their_victims() {
    // sahmed has V1, V2, V5, V8, V9, V11.
    let r = run(&unit(), &query(Some("sahmed")));
    assert_eq!(r.referred, 0);
    // V1, V11 in time; V2 late: 2 of 3 = 66.666…, rounded to 66.7.
    assert_eq!((r.offers_due, r.offers_in_time), (3, 2));
    assert_eq!(r.offers_in_time_percent, Some(Tenths(667)));
    // 36, 37, 42: the middle one.
    assert_eq!(r.median_working_days_to_offer, Some(Tenths(370)));
    assert_eq!(
        (r.opted_in, r.declined, r.opted_out, r.no_response),
        (2, 0, 0, 1)
    );
    assert_eq!((r.annual_letters_due, r.annual_letters_on_time), (1, 1));
    assert_eq!((r.follow_ups_due, r.follow_ups_on_time), (2, 1));
    assert_eq!((r.complaints, r.complaints_acknowledged_in_time), (1, 0));
    assert_eq!(r.overdue.total, 1);
    assert_eq!(r.overdue.by_officer.len(), 1);
    // No equality breakdown in an officer's return: set beside the unit's, it would single
    // out small groups (REPORT.md).
    assert!(r.equality.is_empty());
    assert!(
        r.equality_withheld
            .as_deref()
            .is_some_and(|why| why.contains("whole unit only")),
        "{:?}",
        r.equality_withheld
    );
}

#[test]
fn overdue_on_the_last_day_is_the_diarys_overdue_group() {
    // Nothing in the unit is dated after 30 September, so the caseload as it stood that
    // day is the caseload as it is, and the report's count is the diary's.
    let c = unit();
    let r = run(&c, &query(None));
    let calendar = Calendar::default();
    let lead = LeadTimes::default();
    let rules = Rules {
        calendar: &calendar,
        lead: &lead,
    };
    let q = DiaryQuery {
        date: d("2026-09-30"),
        days: 0,
        officer: None,
    };
    let items = diary(&c.cases, &c.victims, &q, rules);
    let overdue = items
        .iter()
        .filter(|i| i.status == crate::domain::enums::DiaryStatus::Overdue)
        .count();
    assert_eq!(r.overdue.total as usize, overdue);
}

#[test]
fn the_weekly_history_runs_the_diary_on_the_caseload_as_it_stood() {
    // H1 (C-A, offer due Fri 24 July) was offered on Mon 3 August, late, and opted in on
    // 5 August: her status now, opted in, was set after the earlier weeks. H2 was referred
    // on 20 July. H3 is opted in since 6 August with no log at all: the log cannot say
    // where she stood before, so she counts for nothing then.
    let c = contact;
    let value = json!({
        "format": "vlu-caseload", "version": 1,
        "cases": [
            { "id": "C-A", "offender": { "name": "A" }, "offence": { "category": "violent" },
              "sentence": { "kind": "sds", "imposed_on": "2026-05-29" } },
            { "id": "C-B", "offender": { "name": "B" }, "offence": { "category": "violent" },
              "sentence": { "kind": "sds", "imposed_on": "2026-07-06" } }
        ],
        "victims": [
            { "id": "H1", "case_id": "C-A", "name": "H1", "role": "victim",
              "eligibility": "statutory", "referred_on": "2026-06-10", "status": "opted_in",
              "status_since": "2026-08-05",
              "contacts": [ c("2026-08-03", "initial_offer", "letter", "outbound"),
                            c("2026-08-05", "opt_in", "letter", "inbound") ] },
            { "id": "H2", "case_id": "C-B", "name": "H2", "role": "victim",
              "eligibility": "statutory", "referred_on": "2026-07-20", "status": "referred",
              "status_since": "2026-07-20" },
            { "id": "H3", "case_id": "C-A", "name": "H3", "role": "victim",
              "eligibility": "statutory", "referred_on": "2026-06-10", "status": "opted_in",
              "status_since": "2026-08-06" }
        ]
    });
    let caseload: Caseload = serde_json::from_value(value).unwrap();
    let q = ReportQuery {
        made_on: d("2026-08-07"),
        weeks: 4,
        ..query(None)
    };
    let r = run(&caseload, &q);
    let weeks: Vec<(NaiveDate, u32)> = r
        .overdue_by_week
        .iter()
        .map(|w| (w.week_ending, w.items))
        .collect();
    // 17 July: H1 referred, her offer not yet due; H2 not yet referred.
    // 24 July: H1's offer due that day, not yet overdue.
    // 31 July: H1's offer overdue (she had not been offered: the offer is dated 3 August).
    // 7 August: H1 opted in, her first annual letter due next August. H2's offer is due
    // 1 September throughout.
    assert_eq!(
        weeks,
        [
            (d("2026-07-17"), 0),
            (d("2026-07-24"), 0),
            (d("2026-07-31"), 1),
            (d("2026-08-07"), 0)
        ]
    );
}

#[test]
fn percentages_and_medians_have_one_decimal() {
    assert_eq!(percent(1, 3), Some(Tenths(333)));
    assert_eq!(percent(2, 3), Some(Tenths(667)));
    assert_eq!(percent(1, 8), Some(Tenths(125)), "12.5 exactly");
    assert_eq!(
        percent(1, 16),
        Some(Tenths(63)),
        "6.25 rounds half up to 6.3"
    );
    assert_eq!(percent(0, 0), None);
    assert_eq!(Tenths(667).to_string(), "66.7");
    assert_eq!(serde_json::to_string(&Tenths(600)).unwrap(), "60.0");
    assert_eq!(median(&mut [5, 1, 3]), Some(Tenths(30)));
    assert_eq!(median(&mut [4, 1, 3, 2]), Some(Tenths(25)));
    assert_eq!(median(&mut []), None);
}

#[test]
fn a_report_reads_back_from_its_json() {
    let r = run(&unit(), &query(None));
    let json = serde_json::to_string(&r).unwrap();
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
}

/// Every return a manager could ask of generated units — quarters, years, halves, runs of
/// quarters, arbitrary spans, quarters to date, the whole unit and each officer — and every
/// one that carries an equality breakdown: no two of them overlap unless they are the same
/// return, so no cell can be worked out by taking one from another.
#[test]
fn no_two_returns_with_equality_tables_can_be_differenced() {
    use crate::domain::model::Equality;
    let made_on = d("2026-11-24");
    let mut periods = Vec::new();
    for year in 2023..=2026 {
        for q in 0..4u32 {
            let from = NaiveDate::from_ymd_opt(year, q * 3 + 1, 1).unwrap();
            let end = from
                .checked_add_months(chrono::Months::new(3))
                .unwrap()
                .pred_opt()
                .unwrap();
            periods.push((from, end));
            periods.push((from, end.min(made_on)));
            periods.push((from + chrono::Days::new(7), end));
            periods.push((
                from,
                from.checked_add_months(chrono::Months::new(9)).unwrap(),
            ));
        }
        periods.push((d(&format!("{year}-01-01")), d(&format!("{year}-12-31"))));
        periods.push((d(&format!("{year}-01-01")), d(&format!("{year}-06-30"))));
        periods.push((
            d(&format!("{year}-04-01")),
            d(&format!("{}-03-31", year + 1)),
        ));
    }
    periods.push((d("2026-08-25"), d("2026-11-24")));
    for seed in [3, 11] {
        let mut unit = crate::generate::generate(400, seed, made_on);
        let races = [
            "White British",
            "Asian, Indian",
            "Black Caribbean",
            "Mixed",
            "Other",
        ];
        for (i, v) in unit.victims.iter_mut().enumerate() {
            v.equality = Some(Box::new(Equality {
                race: Some(races[(i * 7 + i / 3) % races.len()].into()),
                ..Equality::default()
            }));
        }
        let facts = {
            let calendar = Calendar::default();
            let lead = LeadTimes::default();
            let rules = Rules {
                calendar: &calendar,
                lead: &lead,
            };
            facts_of(&unit.cases, &unit.victims, rules)
        };
        let officers: Vec<Option<String>> = std::iter::once(None)
            .chain(unit.officers.iter().map(|o| Some(o.id.clone())))
            .collect();
        let mut published = Vec::new();
        for &(from, to) in &periods {
            for officer in &officers {
                let q = ReportQuery {
                    from,
                    to,
                    officer: officer.clone(),
                    made_on,
                    weeks: 0,
                };
                let r = report_from_facts(&facts, &q, None);
                if r.equality.is_empty() {
                    assert!(r.equality_withheld.is_some(), "{from} to {to}: said why");
                } else {
                    assert!(officer.is_none(), "an officer's return: {from} to {to}");
                    published.push((from, to, r.equality));
                }
            }
        }
        assert!(published.len() >= 12, "ended quarters carry tables");
        for (i, a) in published.iter().enumerate() {
            for b in &published[i + 1..] {
                let same = (a.0, a.1) == (b.0, b.1);
                let apart = a.1 < b.0 || b.1 < a.0;
                assert!(
                    same || apart,
                    "{} to {} overlaps {} to {}",
                    a.0,
                    a.1,
                    b.0,
                    b.1
                );
                if same {
                    assert_eq!(a.2, b.2, "one quarter, one table");
                }
            }
        }
    }
}

#[test]
fn a_follow_up_that_names_its_call_counts_for_that_call_only() {
    // Two calls in the quarter, on Thursday 6 and Friday 7 August 2026, and one letter on
    // Monday 10 August that follows the second: one of the two confirmed in time.
    let mut caseload = unit();
    let v = caseload.victims.iter_mut().find(|v| v.id == "V1").unwrap();
    let call: Contact =
        serde_json::from_value(contact("2026-08-06", "update", "phone", "outbound")).unwrap();
    v.contacts = vec![
        call.clone(),
        Contact {
            on: d("2026-08-07"),
            ..call
        },
    ];
    let letter: Contact = serde_json::from_value(contact(
        "2026-08-10",
        "written_follow_up",
        "letter",
        "outbound",
    ))
    .unwrap();
    v.contacts.push(Contact {
        follows: Some(2),
        ..letter.clone()
    });
    let r = run(&only_v1(&caseload), &query(None));
    assert_eq!((r.follow_ups_due, r.follow_ups_on_time), (2, 1));
    // Without the number it answers both, as the base format reads it.
    let v = caseload.victims.iter_mut().find(|v| v.id == "V1").unwrap();
    v.contacts[2] = letter;
    let r = run(&only_v1(&caseload), &query(None));
    assert_eq!((r.follow_ups_due, r.follow_ups_on_time), (2, 2));
}

#[test]
fn a_complaint_acknowledged_on_its_record_counts_as_acknowledged_in_time() {
    // A complaint logged on Monday 3 August 2026, acknowledged on vlu's own record of it
    // on Wednesday 5 August: the acknowledgement is in time (due workdays(3 Aug, 10)).
    let mut caseload = unit();
    let v = caseload.victims.iter_mut().find(|v| v.id == "V1").unwrap();
    v.contacts = vec![
        serde_json::from_value(contact("2026-08-03", "complaint", "letter", "inbound")).unwrap(),
    ];
    let r = run(&only_v1(&caseload), &query(None));
    assert_eq!((r.complaints, r.complaints_acknowledged_in_time), (1, 0));
    let v = caseload.victims.iter_mut().find(|v| v.id == "V1").unwrap();
    v.complaints = vec![crate::domain::model::Complaint {
        received_on: Some(d("2026-08-03")),
        acknowledged_on: Some(d("2026-08-05")),
        ..Default::default()
    }];
    let r = run(&only_v1(&caseload), &query(None));
    assert_eq!((r.complaints, r.complaints_acknowledged_in_time), (1, 1));
}

/// Tasks by kind, surveys and referrals, worked by hand for the quarter July to September
/// 2026. The SFO report opened Monday 3 August is due 15 working days on: Monday 24 August
/// (4–7 Aug 4; 10–14 Aug 9; 17–21 Aug 14; 24 Aug 15); done on 26 August, it is late. The media
/// enquiry opened in June and done on 1 July counts as done (in time: due a working day after
/// 30 June), not as opened. The survey answered "not satisfied" counts as answered.
#[test]
fn tasks_surveys_and_referrals_are_counted_in_their_quarter() {
    use crate::domain::enums::TaskKind;
    use crate::domain::model::Task;
    let mut caseload = unit();
    let v = caseload.victims.iter_mut().find(|v| v.id == "V1").unwrap();
    let task = |kind, opened: &str, done: Option<&str>, agreed| Task {
        kind: Some(kind),
        opened_on: Some(d(opened)),
        done_on: done.map(d),
        agreed,
        ..Task::default()
    };
    v.tasks = vec![
        task(TaskKind::SfoReport, "2026-08-03", Some("2026-08-26"), None),
        task(
            TaskKind::MediaEnquiry,
            "2026-06-30",
            Some("2026-07-01"),
            None,
        ),
        task(
            TaskKind::Survey,
            "2026-09-01",
            Some("2026-09-20"),
            Some(false),
        ),
        task(
            TaskKind::Survey,
            "2026-09-01",
            Some("2026-09-21"),
            Some(true),
        ),
        task(TaskKind::Survey, "2026-09-25", None, None),
    ];
    v.contacts.push(
        serde_json::from_value(contact("2026-08-20", "referral", "email", "internal")).unwrap(),
    );
    v.contacts.push(
        serde_json::from_value(contact("2026-10-02", "referral", "email", "internal")).unwrap(),
    );
    let r = run(&only_v1(&caseload), &query(None));
    let counts: Vec<(TaskKind, u32, u32, u32)> = r
        .tasks
        .iter()
        .map(|t| (t.kind, t.opened, t.done, t.done_in_time))
        .collect();
    assert_eq!(
        counts,
        [
            (TaskKind::MediaEnquiry, 0, 1, 1),
            (TaskKind::Survey, 3, 2, 2),
            (TaskKind::SfoReport, 1, 1, 0),
        ]
    );
    assert_eq!((r.surveys_answered, r.surveys_satisfied), (2, 1));
    assert_eq!(r.referrals, 1);
    // V1, referred on 10 June, decided on 20 August: accepted, but long after 14 days.
    let v = caseload.victims.iter_mut().find(|v| v.id == "V1").unwrap();
    v.discretionary = Some(Box::new(crate::domain::model::Discretionary {
        decision: Some(crate::domain::enums::DiscretionaryDecision::Accepted),
        decided_on: Some(d("2026-08-20")),
        by: Some("sahmed".into()),
        ..Default::default()
    }));
    let r = run(&only_v1(&caseload), &query(None));
    assert_eq!(
        (
            r.discretionary_decided,
            r.discretionary_accepted,
            r.discretionary_decided_in_time
        ),
        (1, 1, 0)
    );
}

/// The unit with V1 alone, for a figure worked out on one victim.
fn only_v1(c: &Caseload) -> Caseload {
    Caseload {
        victims: c.victims.iter().filter(|v| v.id == "V1").cloned().collect(),
        ..c.clone()
    }
}
