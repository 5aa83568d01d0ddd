//! The monitoring return's facts kept beside the records: held to the records by `vlu
//! check`, and kept up by every kind of write.

use chrono::NaiveDate;

use super::{Raw, northshire, note, open};
use crate::domain::calendar::{Calendar, DayChanges};
use crate::domain::enums::{ContactKind, Direction, KeyDateKind, Medium};
use crate::domain::model::{Caseload, Contact, KeyDate};
use crate::domain::reminders::Rules;
use crate::domain::report::{ReportQuery, report};
use crate::domain::retention::{Reason, Target};
use crate::domain::rules::LeadTimes;
use crate::store::return_facts::TALLY;
use crate::store::{Closing, Record, ReportAsk, Store};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn ask(weeks: u32) -> ReportAsk {
    ReportAsk {
        query: ReportQuery {
            from: day("2025-10-01"),
            to: day("2026-12-31"),
            officer: None,
            made_on: day("2027-01-04"),
            weeks,
        },
        lead: LeadTimes::default(),
        calendar: DayChanges::default(),
    }
}

/// `vlu check` holds the monitoring return's kept facts to the records: a victim's facts
/// that say something else, or that are missing, are found.
#[test]
fn check_holds_the_returns_kept_facts_to_the_records() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = northshire(dir.path());
    store.report(&ask(0)).unwrap();
    assert_eq!(
        store.check().unwrap(),
        Vec::<String>::new(),
        "kept and sound"
    );
    let raw: Raw<'_> = store.raw();
    let kept: Vec<(Vec<u8>, Vec<u8>)> = raw.scan_prefix(TALLY).map(Result::unwrap).collect();
    let id = |k: &[u8]| String::from_utf8(k[TALLY.len()..].to_vec()).unwrap();
    let (first, third) = (id(&kept[0].0), id(&kept[2].0));
    raw.insert(kept[0].0.clone(), kept[1].1.clone()).unwrap();
    raw.remove(kept[2].0.clone()).unwrap();
    let found = store.check().unwrap();
    let said = |s: String| found.contains(&s);
    assert!(
        said(format!(
            "the monitoring return's facts of victim {first} do not match the records"
        )) && said(format!(
            "the monitoring return's facts of victim {third} are missing"
        )),
        "{found:?}"
    );
}

/// Some of the figures, worked out from the records as they are now.
type Figures = (
    u32,
    u32,
    u32,
    crate::domain::report::Overdue,
    Vec<crate::domain::report::WeekCount>,
);

fn figures(r: crate::domain::report::Report) -> Figures {
    (
        r.referred,
        r.annual_letters_due,
        r.follow_ups_due,
        r.overdue,
        r.overdue_by_week,
    )
}

fn from_records(store: &Store) -> Figures {
    let caseload = store.load().unwrap();
    let calendar = Calendar::with_changes(caseload.extra_non_working_days.clone(), []);
    let lead = LeadTimes::default();
    let rules = Rules {
        calendar: &calendar,
        lead: &lead,
    };
    let q = ask(52).query;
    figures(report(&caseload.cases, &caseload.victims, &q, rules, None))
}

fn kept(store: &Store) -> Figures {
    figures(store.report(&ask(52)).unwrap())
}

/// On a generated unit, after a return keeps every victim's facts: contacts of every kind
/// logged, key dates added, cases closed, a victim erased — and then a whole import again.
/// After each, the kept facts are those the records give (`check` works them out afresh and
/// compares), and the return read from them is the one worked out from the records.
#[test]
fn the_kept_facts_agree_with_the_records_on_a_generated_unit_after_every_kind_of_change() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let unit = crate::generate::generate(300, 9, day("2026-11-24"));
    store.import(&unit, false).unwrap();
    assert_eq!(
        kept(&store),
        from_records(&store),
        "kept by the first return"
    );
    change_every_kind(&store, &unit);
    assert_eq!(
        store.check().unwrap(),
        Vec::<String>::new(),
        "kept up by each write"
    );
    assert_eq!(kept(&store), from_records(&store), "after the changes");
    // An import replaces the unit: on sled its batches keep the facts up as they go.
    let again = crate::generate::generate(200, 10, day("2026-11-24"));
    store.import(&again, true).unwrap();
    assert_eq!(
        store.check().unwrap(),
        Vec::<String>::new(),
        "after an import"
    );
    assert_eq!(kept(&store), from_records(&store), "after an import");
}

/// Contacts of five kinds logged, key dates added and cases closed over `unit`, and one
/// victim erased.
fn change_every_kind(store: &Store, unit: &Caseload) {
    let kinds = [
        (ContactKind::OptIn, Direction::Inbound, Medium::Phone),
        (ContactKind::Decline, Direction::Inbound, Medium::Letter),
        (ContactKind::Complaint, Direction::Inbound, Medium::Email),
        (ContactKind::Update, Direction::Outbound, Medium::Phone),
        (
            ContactKind::WrittenFollowUp,
            Direction::Outbound,
            Medium::Letter,
        ),
    ];
    for (i, v) in unit.victims.iter().enumerate().step_by(7) {
        let (kind, direction, method) = kinds[i % kinds.len()];
        let contact = Contact {
            on: day("2026-03-02") + chrono::Days::new((i % 200) as u64),
            kind,
            direction,
            method,
            by: None,
            ..note("2026-01-01")
        };
        store.append_contact(&v.id, &contact).unwrap();
    }
    for (i, c) in unit.cases.iter().enumerate().step_by(11) {
        let mut case = store.case(&c.id).unwrap().unwrap();
        if i % 2 == 0 {
            case.key_dates.push(KeyDate {
                kind: KeyDateKind::ParoleHearing,
                date: day("2026-08-17"),
                confirmed: Some(true),
                note: None,
            });
            store.save_case(&case).unwrap();
        } else if case.closed_on.is_none() {
            let base = store.stamp(Record::Case, &c.id).unwrap().version;
            store
                .close_case(&Closing {
                    case: c.id.clone(),
                    on: day("2026-06-30"),
                    reason: "sentence ended".into(),
                    by: None,
                    base,
                })
                .unwrap();
        }
    }
    store
        .erase(&Target::Victim(unit.victims[1].id.clone()), Reason::Error)
        .unwrap();
}
