//! How long a unit keeps what it holds about a person, and what falls due for erasure on a
//! date: a pure function of the caseload's digest, the unit's rules and the date.
//!
//! A rule runs from the later of the event it names (the victim's decline, opt-out or
//! closure; the case's closure) and the last contact the log shows, so that a victim who
//! got in touch again is not erased a few weeks later. A closed case falls due whole, with
//! every victim of it; a victim falls due alone only where the case does not.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::add_months;
use super::enums::VictimStatus;
use super::facts::LogFacts;
use super::model::{Case, Victim};

/// The longest period a rule may give, in years.
pub const MAX_YEARS: u32 = 100;

/// The unit's retention rules (`[retention]`): each a number of years, or absent for no
/// rule (then nothing falls due under it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionRules {
    /// A victim who declined or opted out: years after that (or their last contact).
    pub declined_years: Option<u32>,
    /// A victim whose status is `closed`: years after that (or their last contact).
    pub closed_victim_years: Option<u32>,
    /// A case with `closed_on` set: years after it (or the last contact of any of its
    /// victims); the case falls due with all its victims.
    pub closed_case_years: Option<u32>,
}

impl RetentionRules {
    /// Whether any rule is configured.
    pub fn any(&self) -> bool {
        self.declined_years.is_some()
            || self.closed_victim_years.is_some()
            || self.closed_case_years.is_some()
    }

    /// The first rule outside 1 to [`MAX_YEARS`] years: its key and value.
    pub fn out_of_range(&self) -> Option<(&'static str, u32)> {
        [
            ("declined_years", self.declined_years),
            ("closed_victim_years", self.closed_victim_years),
            ("closed_case_years", self.closed_case_years),
        ]
        .into_iter()
        .find_map(|(key, years)| {
            years
                .filter(|y| !(1..=MAX_YEARS).contains(y))
                .map(|y| (key, y))
        })
    }
}

/// Which rule made something fall due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The victim declined or opted out (`declined_years`).
    Declined,
    /// The victim's status is closed (`closed_victim_years`).
    ClosedVictim,
    /// The case is closed (`closed_case_years`).
    ClosedCase,
}

impl Rule {
    /// The configuration key that sets it.
    pub fn key(self) -> &'static str {
        match self {
            Rule::Declined => "declined_years",
            Rule::ClosedVictim => "closed_victim_years",
            Rule::ClosedCase => "closed_case_years",
        }
    }

    /// The rule in words, for `vlu retention` and the audit entry of an erasure.
    pub fn describe(self, years: u32) -> String {
        let what = match self {
            Rule::Declined => "declined or opted out",
            Rule::ClosedVictim => "victim closed",
            Rule::ClosedCase => "case closed",
        };
        let unit = if years == 1 { "year" } else { "years" };
        format!("{what}: kept {years} {unit}")
    }
}

/// What is to be erased: one victim, or a case with all its victims.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Target {
    Victim(String),
    Case(String),
}

impl Target {
    pub fn id(&self) -> &str {
        match self {
            Target::Victim(id) | Target::Case(id) => id,
        }
    }

    pub fn noun(&self) -> &'static str {
        match self {
            Target::Victim(_) => "victim",
            Target::Case(_) => "case",
        }
    }
}

/// Why something is erased: recorded in the audit trail as these words, never free text
/// (which could name someone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A retention rule made it fall due.
    Retention { rule: Rule, years: u32 },
    /// The person asked for their data to be erased (and the unit agreed).
    Request,
    /// It was recorded in error (a wrong referral, a duplicate).
    Error,
    /// It had been erased, and a restored backup older than the erasure held it again.
    Restored,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Retention { rule, years } => {
                write!(
                    f,
                    "retention rule {} ({})",
                    rule.key(),
                    rule.describe(*years)
                )
            }
            Reason::Request => f.write_str("the person asked for erasure"),
            Reason::Error => f.write_str("recorded in error"),
            Reason::Restored => {
                f.write_str("erased before; brought back by the restore of an older backup")
            }
        }
    }
}

/// One thing that has fallen due for erasure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    #[serde(flatten)]
    pub target: Target,
    pub rule: Rule,
    pub years: u32,
    /// The date the period runs from: the event, or the last contact after it.
    pub since: NaiveDate,
    /// The date it fell due.
    pub due: NaiveDate,
    /// The victims erased with it (a victim: itself).
    pub victims: Vec<String>,
}

/// The last day the log shows a contact with or about the victim (as far as the facts the
/// store keeps of each log tell: every outbound contact, offer, complaint and
/// acknowledgement).
pub fn last_contact(f: &LogFacts) -> Option<NaiveDate> {
    [
        f.initial_offer,
        f.last_outbound,
        f.last_written,
        f.last_complaint_ack,
        f.last_vps,
        f.last_licence_conditions,
        f.open_complaints.last().copied(),
        f.unconfirmed.last().copied(),
    ]
    .into_iter()
    .flatten()
    .chain(f.told.iter().map(|(_, d)| *d))
    .max()
}

fn years_after(date: NaiveDate, years: u32) -> NaiveDate {
    add_months(
        date,
        i32::try_from(years.saturating_mul(12)).unwrap_or(i32::MAX),
    )
}

/// Everything due for erasure on `today` under `rules`: each victim with its facts and
/// case, and every case (a case may have no victims left). Sorted by due date, then id.
pub fn falling_due<'v>(
    victims: impl IntoIterator<Item = (&'v Victim, &'v LogFacts, &'v Case)>,
    cases: &[Case],
    rules: &RetentionRules,
    today: NaiveDate,
) -> Vec<Due> {
    let victims: Vec<(&Victim, &LogFacts, &Case)> = victims.into_iter().collect();
    let mut of_case: HashMap<&str, Vec<(&Victim, Option<NaiveDate>)>> = HashMap::new();
    for (v, f, c) in &victims {
        of_case
            .entry(c.id.as_str())
            .or_default()
            .push((v, last_contact(f)));
    }
    let mut out = Vec::new();
    let mut covered: HashSet<&str> = HashSet::new();
    if let Some(years) = rules.closed_case_years {
        for case in cases {
            let Some(closed) = case.closed_on else {
                continue;
            };
            let members = of_case.get(case.id.as_str()).map_or(&[][..], Vec::as_slice);
            let since = members
                .iter()
                .filter_map(|(_, last)| *last)
                .fold(closed, NaiveDate::max);
            let due = years_after(since, years);
            if due <= today {
                covered.extend(members.iter().map(|(v, _)| v.id.as_str()));
                let mut ids: Vec<String> = members.iter().map(|(v, _)| v.id.clone()).collect();
                ids.sort();
                out.push(Due {
                    target: Target::Case(case.id.clone()),
                    rule: Rule::ClosedCase,
                    years,
                    since,
                    due,
                    victims: ids,
                });
            }
        }
    }
    for (v, f, _) in &victims {
        if covered.contains(v.id.as_str()) {
            continue;
        }
        let (rule, years) = match v.status {
            VictimStatus::Declined | VictimStatus::OptedOut => {
                (Rule::Declined, rules.declined_years)
            }
            VictimStatus::Closed => (Rule::ClosedVictim, rules.closed_victim_years),
            _ => continue,
        };
        let Some(years) = years else { continue };
        let since = last_contact(f).map_or(v.status_since, |d| d.max(v.status_since));
        let due = years_after(since, years);
        if due <= today {
            out.push(Due {
                target: Target::Victim(v.id.clone()),
                rule,
                years,
                since,
                due,
                victims: vec![v.id.clone()],
            });
        }
    }
    out.sort_by(|a, b| (a.due, a.target.id()).cmp(&(b.due, b.target.id())));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validate::{KnownIds, parse_caseload};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// C-1 closed on 2020-01-10 with V-1 (opted in) and V-2 (declined 2019, wrote in 2020-06);
    /// C-2 open with V-3 (declined 2018-03-01) and V-4 (closed 2024-05-01) and V-5 (opted in).
    fn unit() -> crate::domain::model::Caseload {
        let text = r#"{ "format": "vlu-caseload", "version": 1,
          "cases": [
            { "id": "C-1", "offender": { "name": "A B" }, "offence": { "category": "violent" },
              "sentence": { "kind": "sds", "imposed_on": "2015-03-14" }, "closed_on": "2020-01-10" },
            { "id": "C-2", "offender": { "name": "E F" }, "offence": { "category": "violent" },
              "sentence": { "kind": "sds", "imposed_on": "2016-03-14" } } ],
          "victims": [
            { "id": "V-1", "case_id": "C-1", "name": "C D", "role": "victim", "eligibility": "statutory",
              "referred_on": "2015-03-20", "status": "opted_in", "status_since": "2015-05-01" },
            { "id": "V-2", "case_id": "C-1", "name": "C E", "role": "victim", "eligibility": "statutory",
              "referred_on": "2015-03-20", "status": "declined", "status_since": "2019-01-01",
              "contacts": [ { "on": "2020-06-01", "kind": "update", "method": "letter", "direction": "outbound" } ] },
            { "id": "V-3", "case_id": "C-2", "name": "G H", "role": "victim", "eligibility": "statutory",
              "referred_on": "2016-03-20", "status": "declined", "status_since": "2018-03-01" },
            { "id": "V-4", "case_id": "C-2", "name": "G I", "role": "victim", "eligibility": "statutory",
              "referred_on": "2016-03-20", "status": "closed", "status_since": "2024-05-01" },
            { "id": "V-5", "case_id": "C-2", "name": "G J", "role": "victim", "eligibility": "statutory",
              "referred_on": "2016-03-20", "status": "opted_in", "status_since": "2016-05-01" } ] }"#;
        parse_caseload(text, &KnownIds::default(), false).unwrap()
    }

    fn due(rules: RetentionRules, today: &str) -> Vec<Due> {
        let c = unit();
        let facts: Vec<LogFacts> = c
            .victims
            .iter()
            .map(|v| LogFacts::of(&v.contacts))
            .collect();
        let joined = c.victims.iter().zip(&facts).map(|(v, f)| {
            let case = c.cases.iter().find(|x| x.id == v.case_id).unwrap();
            (v, f, case)
        });
        falling_due(joined, &c.cases, &rules, day(today))
    }

    #[test]
    fn no_rule_means_nothing_falls_due() {
        assert!(due(RetentionRules::default(), "2099-01-01").is_empty());
        assert!(!RetentionRules::default().any());
    }

    #[test]
    fn a_declined_victim_falls_due_years_after_the_later_of_the_decline_and_the_last_contact() {
        let rules = RetentionRules {
            declined_years: Some(6),
            ..RetentionRules::default()
        };
        assert!(due(rules, "2024-02-29").is_empty());
        let listed = due(rules, "2024-03-01");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].target, Target::Victim("V-3".into()));
        assert_eq!(listed[0].rule, Rule::Declined);
        assert_eq!(listed[0].due, day("2024-03-01"));
        // V-2 declined in 2019 but was written to in June 2020: due six years after that.
        let later = due(rules, "2026-06-01");
        let v2 = later.iter().find(|d| d.target.id() == "V-2").unwrap();
        assert_eq!((v2.since, v2.due), (day("2020-06-01"), day("2026-06-01")));
        assert!(
            due(rules, "2026-05-31")
                .iter()
                .all(|d| d.target.id() != "V-2")
        );
    }

    #[test]
    fn a_closed_case_falls_due_whole_and_its_victims_are_not_listed_again() {
        let rules = RetentionRules {
            declined_years: Some(1),
            closed_case_years: Some(5),
            closed_victim_years: Some(1),
        };
        let listed = due(rules, "2026-01-01");
        let ids: Vec<&str> = listed.iter().map(|d| d.target.id()).collect();
        assert_eq!(ids, ["V-3", "V-4", "C-1"]);
        let case = &listed[2];
        assert_eq!(case.rule, Rule::ClosedCase);
        // From the last contact of any of its victims (2020-06-01), not the closure.
        assert_eq!(case.due, day("2025-06-01"));
        assert_eq!(case.victims, ["V-1", "V-2"]);
        assert_eq!(listed[1].rule, Rule::ClosedVictim);
        assert_eq!(listed[1].due, day("2025-05-01"));
    }

    #[test]
    fn a_rule_outside_its_range_is_named() {
        let bad = RetentionRules {
            closed_case_years: Some(0),
            ..RetentionRules::default()
        };
        assert_eq!(bad.out_of_range(), Some(("closed_case_years", 0)));
        assert_eq!(
            Rule::Declined.describe(1),
            "declined or opted out: kept 1 year"
        );
    }
}
