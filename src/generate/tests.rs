use std::collections::HashSet;

use super::*;
use crate::domain::calendar::Calendar;
use crate::domain::reminders::{DiaryQuery, Rules, diary};
use crate::domain::rules::LeadTimes;
use crate::domain::validate::{KnownIds, parse_caseload};

#[test]
fn the_same_seed_gives_the_same_caseload() {
    assert_eq!(
        generate(300, 7, DEFAULT_AS_OF),
        generate(300, 7, DEFAULT_AS_OF)
    );
    assert_ne!(
        generate(300, 7, DEFAULT_AS_OF),
        generate(300, 8, DEFAULT_AS_OF)
    );
}

#[test]
fn a_thousand_victims_import_cleanly_and_look_like_a_unit() {
    let c = generate(1000, 1, DEFAULT_AS_OF);
    let text = serde_json::to_string(&c).unwrap();
    let back = parse_caseload(&text, &KnownIds::default(), false)
        .unwrap_or_else(|p| panic!("{:?}", &p[..p.len().min(5)]));
    assert_eq!(back, c);

    assert_eq!(c.victims.len(), 1000);
    #[allow(clippy::cast_precision_loss)]
    let per_case = c.victims.len() as f64 / c.cases.len() as f64;
    assert!((1.4..=1.9).contains(&per_case), "{per_case} victims a case");
    let contacts: usize = c.victims.iter().map(|v| v.contacts.len()).sum();
    assert!((6_000..=14_000).contains(&contacts), "{contacts} contacts");
    assert!(c.victims.iter().all(|v| v.contacts.len() <= 40));
    assert!(
        c.cases
            .iter()
            .all(|k| (3..=11).contains(&k.key_dates.len())),
        "3 to 10 key dates, and a release"
    );

    let statuses: HashSet<_> = c.victims.iter().map(|v| v.status).collect();
    assert_eq!(statuses.len(), VictimStatus::ALL.len());
    let roles: HashSet<_> = c.victims.iter().map(|v| v.role).collect();
    assert_eq!(roles.len(), VictimRole::ALL.len());
    let kinds: HashSet<_> = c.cases.iter().map(|k| k.sentence.kind).collect();
    assert_eq!(kinds.len(), SentenceKind::ALL.len());

    // On the day, a few per cent of victims have something overdue or due within 14 days.
    let calendar = Calendar::new(c.extra_non_working_days.iter().copied());
    let lead = LeadTimes::default();
    let items = diary(
        &c.cases,
        &c.victims,
        &DiaryQuery {
            date: DEFAULT_AS_OF,
            days: 14,
            officer: None,
        },
        Rules {
            calendar: &calendar,
            lead: &lead,
        },
    );
    let with_items: HashSet<&str> = items
        .iter()
        .map(|i| i.reminder.victim_id.as_str())
        .collect();
    assert!(
        (20..=200).contains(&with_items.len()),
        "{} of 1000 victims have something due",
        with_items.len()
    );
}

#[test]
fn units_as_of_the_first_and_last_days_allowed_import_cleanly() {
    for as_of in [FIRST_AS_OF, LAST_AS_OF] {
        for seed in 1..=3 {
            let c = generate(400, seed, as_of);
            let text = serde_json::to_string(&c).unwrap();
            if let Err(p) = parse_caseload(&text, &KnownIds::default(), false) {
                panic!("as of {as_of}, seed {seed}: {:?}", &p[..p.len().min(3)]);
            }
        }
    }
}

#[test]
fn sizes_and_days_outside_the_bounds_are_refused_with_the_bounds() {
    assert_eq!(refusal(1, DEFAULT_AS_OF), None);
    assert_eq!(refusal(MAX_VICTIMS, DEFAULT_AS_OF), None);
    for victims in [0, MAX_VICTIMS + 1, usize::MAX] {
        let said = refusal(victims, DEFAULT_AS_OF).unwrap();
        assert!(said.contains("1 to 1000000"), "{said}");
    }
    let late = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
    let said = refusal(10, late).unwrap();
    assert!(said.contains("1975-01-01 to 2060-12-31"), "{said}");
    assert!(refusal(10, NaiveDate::from_ymd_opt(1974, 12, 31).unwrap()).is_some());
}

#[test]
fn a_few_victims_who_never_answered_are_to_be_offered_contact_again() {
    use crate::domain::enums::ReminderKind;
    let lead = LeadTimes::default();
    let (mut due, mut tracing, mut victims) = (0, 0, 0);
    for seed in 1..=5 {
        let c = generate(2000, seed, DEFAULT_AS_OF);
        let calendar = Calendar::new(c.extra_non_working_days.iter().copied());
        let items = diary(
            &c.cases,
            &c.victims,
            &DiaryQuery {
                date: DEFAULT_AS_OF,
                days: 14,
                officer: None,
            },
            Rules {
                calendar: &calendar,
                lead: &lead,
            },
        );
        let reoffers: Vec<_> = items
            .iter()
            .filter(|i| i.reminder.kind == ReminderKind::ReleaseReoffer)
            .collect();
        due += reoffers.len();
        tracing += reoffers
            .iter()
            .filter(|i| i.reminder.tracing.is_some())
            .count();
        victims += c.victims.len();
    }
    // A real unit's handful: missed re-offers and victims being traced, never most of them.
    assert!(
        (3..=victims / 200).contains(&due),
        "{due} re-offers due of {victims}"
    );
    assert!(tracing >= 1 && tracing < due, "{tracing} of {due} tracing");
}
