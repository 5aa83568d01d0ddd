//! A victim's kept overdue steps say, for every day, what the records as they stood on that
//! day make overdue: checked day by day over generated units against the rules run afresh.

use chrono::{Days, NaiveDate};

use crate::domain::calendar::Calendar;
use crate::domain::enums::ReminderKind;
use crate::domain::reminders::Rules;
use crate::domain::report::ReportFacts;
use crate::domain::report::past::Past;
use crate::domain::rules::LeadTimes;

fn counts(items: impl IntoIterator<Item = (ReminderKind, u32)>) -> Vec<(ReminderKind, u32)> {
    let mut out: Vec<(ReminderKind, u32)> = Vec::new();
    for (kind, n) in items {
        match out.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, m)) => *m += n,
            None => out.push((kind, n)),
        }
    }
    out.sort_unstable();
    out
}

#[test]
fn the_overdue_steps_agree_with_the_rules_on_every_day() {
    let made_on = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let calendar = Calendar::default();
    let lead = LeadTimes::default();
    let rules = Rules {
        calendar: &calendar,
        lead: &lead,
    };
    let (mut days, mut overdue) = (0u32, 0u32);
    for seed in [5, 17] {
        let unit = crate::generate::generate(120, seed, made_on);
        for v in &unit.victims {
            let case = unit.cases.iter().find(|c| c.id == v.case_id).unwrap();
            let facts = ReportFacts::of(v, case, rules);
            let mut past = Past::new(v, case);
            let first = v.referred_on.checked_sub_days(Days::new(3)).unwrap();
            let last = made_on.checked_add_days(Days::new(800)).unwrap();
            for day in first.iter_days().take_while(|d| *d <= last) {
                let fresh = counts(past.overdue_on(day, rules).into_iter().map(|r| {
                    assert_eq!(r.officer, v.allocated_to, "{}: the victim's officer", v.id);
                    (r.kind, 1)
                }));
                assert_eq!(facts.overdue_on(day), fresh, "{} on {day}", v.id);
                days += 1;
                overdue += fresh.iter().map(|(_, n)| n).sum::<u32>();
            }
        }
    }
    assert!(days > 100_000, "{days} victim-days compared");
    assert!(overdue > 10_000, "{overdue} overdue items compared");
}
