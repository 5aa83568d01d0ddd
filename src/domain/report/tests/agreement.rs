//! The return agrees with the diary, over generated units: every figure read from the log as
//! its corrections say (as the diary reads it), each acknowledgement and written follow-up
//! counted late exactly when the diary still showed it on its due day, and a return over any
//! period the sum of the returns over its parts.

use chrono::{Months, NaiveDate};
use serde_json::json;

use crate::domain::calendar::Calendar;
use crate::domain::enums::ContactKind;
use crate::domain::facts::corrected;
use crate::domain::model::{Caseload, Contact, Corrects};
use crate::domain::report::past::Past;
use crate::domain::report::*;
use crate::domain::rules::LeadTimes;

const MADE_ON: (i32, u32, u32) = (2026, 11, 24);

fn made_on() -> NaiveDate {
    NaiveDate::from_ymd_opt(MADE_ON.0, MADE_ON.1, MADE_ON.2).unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn with_rules<R>(f: impl FnOnce(Rules<'_>) -> R) -> R {
    let calendar = Calendar::default();
    let lead = LeadTimes::default();
    f(Rules {
        calendar: &calendar,
        lead: &lead,
    })
}

fn query(from: NaiveDate, to: NaiveDate, officer: Option<&str>) -> ReportQuery {
    ReportQuery {
        from,
        to,
        officer: officer.map(str::to_owned),
        made_on: made_on(),
        weeks: 0,
    }
}

fn run(unit: &Caseload, q: &ReportQuery) -> Report {
    with_rules(|rules| report(&unit.cases, &unit.victims, q, rules, None))
}

/// The unit's facts, worked out once for many returns.
fn facts(unit: &Caseload) -> Vec<ReportFacts> {
    with_rules(|rules| facts_of(&unit.cases, &unit.victims, rules))
}

/// A generated unit, with every third complaint acknowledgement corrected afterwards to a
/// note (as an officer who logged the wrong kind does): the diary no longer counts it.
fn unit(seed: u64) -> Caseload {
    let mut unit = crate::generate::generate(300, seed, made_on());
    let mut n = 0;
    for v in &mut unit.victims {
        let acks: Vec<(usize, NaiveDate)> = v
            .contacts
            .iter()
            .enumerate()
            .filter(|(_, c)| c.kind == ContactKind::ComplaintAck)
            .map(|(i, c)| (i + 1, c.on))
            .collect();
        for (entry, on) in acks {
            n += 1;
            if n % 3 == 0 {
                let mut fix = Contact::correction(&v.contacts[entry - 1], on, None, "a note");
                fix.corrects = Some(Corrects {
                    entry,
                    kind: Some(ContactKind::Note),
                    on: None,
                });
                v.contacts.push(fix);
            }
        }
    }
    assert!(n >= 3, "the generated unit has acknowledgements to correct");
    unit
}

/// The figures a return over two periods must have as the sum of its parts.
fn additive(r: &Report) -> [u32; 9] {
    [
        r.referred,
        r.offers_due,
        r.offers_in_time,
        r.annual_letters_due,
        r.annual_letters_on_time,
        r.follow_ups_due,
        r.follow_ups_on_time,
        r.complaints,
        r.complaints_acknowledged_in_time,
    ]
}

fn sum(a: [u32; 9], b: [u32; 9]) -> [u32; 9] {
    std::array::from_fn(|i| a[i] + b[i])
}

#[test]
fn a_return_over_any_period_is_the_sum_of_its_parts() {
    for seed in [3, 11] {
        let unit = unit(seed);
        let facts = facts(&unit);
        let run = |_: &Caseload, q: &ReportQuery| report_from_facts(&facts, q, None);
        let officers: Vec<Option<&str>> = std::iter::once(None)
            .chain(unit.officers.iter().map(|o| Some(o.id.as_str())))
            .collect();
        for officer in officers {
            let months: Vec<(NaiveDate, NaiveDate)> = (0..23)
                .map(|k| {
                    let from = d("2025-01-01") + Months::new(k);
                    (from, (from + Months::new(1)).pred_opt().unwrap())
                })
                .collect();
            let whole = additive(&run(&unit, &query(months[0].0, months[22].1, officer)));
            let mut parts = [0; 9];
            for &(from, to) in &months {
                parts = sum(parts, additive(&run(&unit, &query(from, to, officer))));
            }
            assert_eq!(
                whole, parts,
                "seed {seed}, {officer:?}: the months sum to the whole"
            );
            // Any split point: [a, c] = [a, b] + [b + 1, c].
            for split in [d("2025-03-31"), d("2025-09-14"), d("2026-02-28")] {
                let a = run(&unit, &query(months[0].0, split, officer));
                let b = run(
                    &unit,
                    &query(split.succ_opt().unwrap(), months[22].1, officer),
                );
                assert_eq!(whole, sum(additive(&a), additive(&b)), "split at {split}");
            }
        }
    }
}

/// Per victim: on the due day of each complaint's acknowledgement and each call's written
/// follow-up, the diary (the records as they stood that day, the log as its corrections say)
/// still shows it exactly when the return counts it late.
#[test]
fn late_in_the_return_exactly_when_the_diary_still_showed_it_on_its_due_day() {
    let mut checked = (0, 0, 0);
    for seed in [3, 11, 23] {
        let unit = unit(seed);
        for v in &unit.victims {
            let Some(case) = unit.cases.iter().find(|c| c.id == v.case_id) else {
                continue;
            };
            let log = corrected(&v.contacts).into_owned();
            let read = Victim {
                contacts: log.clone(),
                ..v.clone()
            };
            with_rules(|rules| {
                let mut past = Past::new(&read, case);
                let shown = |past: &mut Past<'_>, kind: ReminderKind, due, about| {
                    past.reminders_on(due, rules)
                        .iter()
                        .any(|r| r.kind == kind && r.about == Some(about))
                };
                let one = |from: NaiveDate, to: NaiveDate| {
                    let mut t = Tally::new(&query(from, to, None));
                    t.add(v, case, rules);
                    t.finish(None)
                };
                for c in log.iter().filter(|c| c.is_complaint()) {
                    let due = rules.complaint_ack_due(c.on);
                    // A complaint is counted whatever the victim's status (one who said no is
                    // still answered); the diary asks nothing of such a victim (DECISIONS.md).
                    if due > made_on() || !past.under_the_rules_on(due) {
                        continue;
                    }
                    let r = one(c.on, c.on);
                    let late = r.complaints > r.complaints_acknowledged_in_time;
                    let still = shown(&mut past, ReminderKind::ComplaintAck, due, c.on);
                    assert_eq!(late, still, "{} complaint of {}: {r:?}", v.id, c.on);
                    checked.0 += 1;
                    checked.2 += u32::from(late);
                }
                if !v.wants_written_follow_up() {
                    return;
                }
                for c in log.iter().filter(|c| c.asks_written_follow_up()) {
                    let due = rules.written_follow_up_due(c.on);
                    if due > made_on() {
                        continue;
                    }
                    let calls = log
                        .iter()
                        .filter(|o| o.asks_written_follow_up() && o.on == c.on);
                    if calls.count() > 1 {
                        continue;
                    }
                    let r = one(due, due);
                    let others_due = log
                        .iter()
                        .filter(|o| o.asks_written_follow_up() && o.on != c.on)
                        .any(|o| rules.written_follow_up_due(o.on) == due);
                    if others_due {
                        continue;
                    }
                    let late = r.follow_ups_due > r.follow_ups_on_time;
                    let still = shown(&mut past, ReminderKind::WrittenFollowUp, due, c.on);
                    assert_eq!(late, still, "{} call of {}: {r:?}", v.id, c.on);
                    checked.1 += 1;
                }
            });
        }
    }
    assert!(
        checked.0 >= 20 && checked.1 >= 20,
        "enough cases were compared: {checked:?}"
    );
    assert!(
        checked.2 >= 3,
        "some acknowledgements were late: {checked:?}"
    );
}

/// The two cases found by hand: an acknowledgement corrected to a note afterwards is late in
/// the return as it is overdue in the diary; and a new opt-in after a decline starts the
/// annual letter's clock again, so that 2025 and 2026 together count what each counts alone.
#[test]
fn a_corrected_acknowledgement_and_an_opt_in_after_a_decline_as_the_diary_reads_them() {
    let c = |on: &str, kind: &str, method: &str, direction: &str| json!({ "on": on, "kind": kind, "method": method, "direction": direction });
    let mut unit: Caseload = serde_json::from_value(json!({
        "format": "vlu-caseload", "version": 1,
        "officers": [ { "id": "sahmed", "name": "Sara Ahmed", "role": "vlo" } ],
        "cases": [ { "id": "C-1", "offender": { "name": "A" }, "offence": { "category": "violent" },
                     "sentence": { "kind": "sds", "imposed_on": "2023-11-01" } } ],
        "victims": [
            { "id": "V1", "case_id": "C-1", "name": "One", "role": "victim",
              "eligibility": "statutory", "referred_on": "2023-11-20", "status": "opted_in",
              "status_since": "2024-01-10", "allocated_to": "sahmed",
              "preferences": { "information": "annual" },
              "contacts": [ c("2023-12-01", "initial_offer", "letter", "outbound"),
                            c("2024-01-10", "opt_in", "phone", "inbound"),
                            c("2025-02-03", "complaint", "letter", "inbound"),
                            c("2025-02-04", "complaint_ack", "letter", "outbound") ] },
            { "id": "V2", "case_id": "C-1", "name": "Two", "role": "victim",
              "eligibility": "statutory", "referred_on": "2024-03-01", "status": "opted_in",
              "status_since": "2025-05-01", "allocated_to": "sahmed",
              "preferences": { "information": "annual" },
              "contacts": [ c("2024-03-10", "initial_offer", "letter", "outbound"),
                            c("2024-04-01", "opt_in", "phone", "inbound"),
                            c("2025-04-15", "decline", "phone", "inbound"),
                            c("2025-05-01", "opt_in", "phone", "inbound") ] }
        ]
    }))
    .unwrap();
    let in_time = |unit: &Caseload| {
        run(unit, &query(d("2025-01-01"), d("2025-06-30"), None)).complaints_acknowledged_in_time
    };
    assert_eq!(in_time(&unit), 1, "acknowledged the next day");
    let ack = unit.victims[0].contacts[3].clone();
    let mut fix = Contact::correction(&ack, d("2025-03-01"), None, "was a note");
    fix.corrects = Some(Corrects {
        entry: 4,
        kind: Some(ContactKind::Note),
        on: None,
    });
    unit.victims[0].contacts.push(fix);
    assert_eq!(in_time(&unit), 0, "corrected to a note: never acknowledged");
    let overdue = run(&unit, &query(d("2025-01-01"), d("2025-06-30"), None)).overdue;
    let acks = overdue
        .by_kind
        .iter()
        .find(|k| k.kind == ReminderKind::ComplaintAck)
        .unwrap();
    assert_eq!(
        acks.items, 1,
        "and overdue on the period's last day, as in the diary"
    );

    let only_two = Caseload {
        victims: vec![unit.victims[1].clone()],
        ..unit.clone()
    };
    let due =
        |from: &str, to: &str| run(&only_two, &query(d(from), d(to), None)).annual_letters_due;
    let (y2025, y2026) = (
        due("2025-01-01", "2025-12-31"),
        due("2026-01-01", "2026-12-31"),
    );
    assert_eq!((y2025, y2026), (1, 1), "one letter due in each year");
    assert_eq!(
        due("2025-01-01", "2026-12-31"),
        y2025 + y2026,
        "and two in both"
    );
}
