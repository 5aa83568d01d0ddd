//! The monitoring return (service specification row 34): how the unit did on timeliness in a
//! period, and which groups of victims are not taking up the scheme.
//!
//! A pure function of the caseload, the period and the calendar: every figure is defined in
//! docs/REPORT.md, and each due date comes from the reminder rules themselves (`Rules`, the
//! reminder engine run on the caseload as it stood on a day), never worked out a second way.
//! The figures are a fold over victims ([`Tally`]), so that a store can hand them over one at a
//! time and a large unit is never held whole.

mod equality;
mod facts;
mod numbers;
mod past;

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::enums::{ReminderKind, TaskKind};
use super::model::{Case, Victim};
use super::reminders::Rules;
pub use equality::{Cell, Characteristic, Group, NOT_STATED, suppress};
pub use facts::{Due, ReportFacts, Step};
pub use numbers::{Tenths, median, percent};

/// Months a victim has to answer a second offer before they count as `no_response`.
pub const NO_RESPONSE_MONTHS: u32 = 3;

/// What a report is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportQuery {
    /// The period, both days included.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Only the victims allocated to this officer.
    pub officer: Option<String>,
    /// The day the report is made: a second offer's three months must have run out by it to
    /// count as unanswered, and the weekly history of overdue items ends on it.
    pub made_on: NaiveDate,
    /// Weeks of history of overdue items, ending on `made_on` (0: none).
    pub weeks: u32,
}

/// Reminders of one kind overdue on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCount {
    pub kind: ReminderKind,
    pub items: u32,
}

/// Reminders of one officer's victims overdue on a day (`None`: victims not allocated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficerCount {
    pub officer: Option<String>,
    pub items: u32,
}

/// The open overdue items on the period's last day, as the diary counts them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overdue {
    pub date: NaiveDate,
    pub total: u32,
    /// Every reminder kind, in the diary's order of kinds, with 0 where there is none.
    pub by_kind: Vec<KindCount>,
    /// Each officer with overdue items, by officer id; victims not allocated last.
    pub by_officer: Vec<OfficerCount>,
}

/// Overdue items on one day of the weekly history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekCount {
    pub week_ending: NaiveDate,
    pub items: u32,
}

/// The monitoring return. Its JSON is `vlu report --format json` (docs/REPORT.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub unit: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub officer: Option<String>,
    pub made_on: NaiveDate,
    pub referred: u32,
    pub offers_due: u32,
    pub offers_in_time: u32,
    pub offers_in_time_percent: Option<Tenths>,
    pub median_working_days_to_offer: Option<Tenths>,
    /// How many first offers the median is taken over.
    pub first_offers: u32,
    pub opted_in: u32,
    pub declined: u32,
    pub opted_out: u32,
    pub no_response: u32,
    pub annual_letters_due: u32,
    pub annual_letters_on_time: u32,
    pub follow_ups_due: u32,
    pub follow_ups_on_time: u32,
    pub complaints: u32,
    pub complaints_acknowledged_in_time: u32,
    /// Referrals to Victim Support or another service logged in the period.
    #[serde(default)]
    pub referrals: u32,
    /// Each kind of task opened or done in the period: opened, done, done by its due day.
    #[serde(default)]
    pub tasks: Vec<TaskCount>,
    /// Satisfaction surveys answered in the period, and of those, satisfied.
    #[serde(default)]
    pub surveys_answered: u32,
    #[serde(default)]
    pub surveys_satisfied: u32,
    /// Discretionary requests decided in the period (vlu's own decision record); of those,
    /// accepted; and decided within `discretionary_decision_days` of the referral.
    #[serde(default)]
    pub discretionary_decided: u32,
    #[serde(default)]
    pub discretionary_accepted: u32,
    #[serde(default)]
    pub discretionary_decided_in_time: u32,
    pub overdue: Overdue,
    pub equality: Vec<Characteristic>,
    /// Why the equality breakdown is not given for this return (none: it is, or nothing is
    /// recorded): only the whole unit's return for a calendar quarter that has ended has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equality_withheld: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overdue_by_week: Vec<WeekCount>,
    /// The officers the return names (`officer`, `overdue.by_officer`), id to name, for the
    /// text a manager reads.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub officer_names: BTreeMap<String, String>,
}

impl Report {
    /// The return naming each officer it mentions by name, from the unit's `officers`.
    #[must_use]
    pub fn with_officer_names(mut self, officers: &[crate::domain::model::Officer]) -> Self {
        let named = self.officer.iter().chain(
            self.overdue
                .by_officer
                .iter()
                .filter_map(|o| o.officer.as_ref()),
        );
        for id in named {
            if let Some(o) = officers.iter().find(|o| &o.id == id) {
                self.officer_names.insert(id.clone(), o.name.clone());
            }
        }
        self
    }

    /// An officer as the text return names them: "Sara Ahmed (sahmed)", or the id alone.
    pub fn officer_called(&self, id: &str) -> String {
        match self.officer_names.get(id) {
            Some(name) => format!("{name} ({id})"),
            None => id.to_owned(),
        }
    }
}

/// One kind of task in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskCount {
    pub kind: TaskKind,
    pub opened: u32,
    pub done: u32,
    pub done_in_time: u32,
}

/// The figures so far, victim by victim. Two tallies of the same query merge into one.
#[derive(Debug, Clone)]
pub struct Tally {
    query: ReportQuery,
    referred: u32,
    offers_due: u32,
    offers_in_time: u32,
    days_to_offer: Vec<u32>,
    opted_in: u32,
    declined: u32,
    opted_out: u32,
    no_response: u32,
    annual_letters_due: u32,
    annual_letters_on_time: u32,
    follow_ups_due: u32,
    follow_ups_on_time: u32,
    complaints: u32,
    complaints_acknowledged_in_time: u32,
    referrals: u32,
    /// Each kind of task: opened, done, done by its due day.
    tasks: BTreeMap<TaskKind, [u32; 3]>,
    surveys_answered: u32,
    surveys_satisfied: u32,
    /// Discretionary requests decided, accepted, decided in time.
    discretionary: [u32; 3],
    overdue_by_kind: BTreeMap<ReminderKind, u32>,
    overdue_by_officer: BTreeMap<Option<String>, u32>,
    week_endings: Vec<NaiveDate>,
    weeks: Vec<u32>,
    equality: equality::Tally,
    /// Victims who count in at least one figure: whose records the report discloses.
    counted: Vec<String>,
}

impl Tally {
    pub fn new(query: &ReportQuery) -> Self {
        let week_endings: Vec<NaiveDate> = (0..query.weeks)
            .rev()
            .filter_map(|k| query.made_on.checked_sub_days(Days::new(7 * u64::from(k))))
            .collect();
        Self {
            query: query.clone(),
            referred: 0,
            offers_due: 0,
            offers_in_time: 0,
            days_to_offer: Vec::new(),
            opted_in: 0,
            declined: 0,
            opted_out: 0,
            no_response: 0,
            annual_letters_due: 0,
            annual_letters_on_time: 0,
            follow_ups_due: 0,
            follow_ups_on_time: 0,
            complaints: 0,
            complaints_acknowledged_in_time: 0,
            referrals: 0,
            tasks: BTreeMap::new(),
            surveys_answered: 0,
            surveys_satisfied: 0,
            discretionary: [0; 3],
            overdue_by_kind: BTreeMap::new(),
            overdue_by_officer: BTreeMap::new(),
            weeks: vec![0; week_endings.len()],
            week_endings,
            equality: equality::Tally::default(),
            counted: Vec::new(),
        }
    }

    fn in_period(&self, day: NaiveDate) -> bool {
        self.query.from <= day && day <= self.query.to
    }

    /// One victim and their case: their facts worked out and added.
    pub fn add(&mut self, victim: &Victim, case: &Case, rules: Rules<'_>) {
        self.add_facts(&ReportFacts::of(victim, case, rules));
    }

    /// One victim's facts. Victims outside the query's officer count only towards which
    /// characteristics the unit records.
    pub fn add_facts(&mut self, facts: &ReportFacts) {
        let values = facts.equality_values();
        self.equality.seen(values);
        if let Some(officer) = &self.query.officer
            && facts.officer.as_ref() != Some(officer)
        {
            return;
        }
        let before = self.figures_sum();
        let referred = self.in_period(facts.referred_on);
        self.referred += u32::from(referred);
        if let Some(offer) = facts.offer.filter(|o| self.in_period(o.on)) {
            self.offers_due += 1;
            self.offers_in_time += u32::from(offer.in_time);
        }
        if let Some((_, days)) = facts.first_offer.filter(|(on, _)| self.in_period(*on)) {
            self.days_to_offer.push(days);
        }
        let said = |days: &[NaiveDate]| days.iter().any(|d| self.in_period(*d));
        let opted_in = said(&facts.opted_in);
        let declined = said(&facts.declined);
        let opted_out = facts.opted_out.is_some_and(|d| self.in_period(d));
        self.opted_in += u32::from(opted_in);
        self.declined += u32::from(declined);
        self.opted_out += u32::from(opted_out);
        // A second offer's three months must have run out by the day the return is made.
        let unanswered = facts
            .unanswered
            .iter()
            .any(|(on, window)| self.in_period(*on) && *window < self.query.made_on);
        self.no_response += u32::from(unanswered);
        let (due, in_time) = self.dues(&facts.follow_ups);
        self.follow_ups_due += due;
        self.follow_ups_on_time += in_time;
        let (due, in_time) = self.dues(&facts.complaints);
        self.complaints += due;
        self.complaints_acknowledged_in_time += in_time;
        let (due, in_time) = self.dues(&facts.annual_letters);
        self.annual_letters_due += due;
        self.annual_letters_on_time += in_time;
        self.referrals += count(
            facts
                .referrals
                .iter()
                .filter(|d| self.in_period(**d))
                .count(),
        );
        for &(kind, opened, due, done, agreed) in &facts.tasks {
            let opened = self.in_period(opened);
            let done = done.filter(|d| self.in_period(*d));
            let counts = self.tasks.entry(kind).or_default();
            counts[0] += u32::from(opened);
            if let Some(done) = done {
                counts[1] += 1;
                counts[2] += u32::from(done <= due);
                if kind == TaskKind::Survey && agreed.is_some() {
                    self.surveys_answered += 1;
                    self.surveys_satisfied += u32::from(agreed == Some(true));
                }
            }
        }
        if let Some((on, accepted, in_time)) = facts.discretionary
            && self.in_period(on)
        {
            self.discretionary[0] += 1;
            self.discretionary[1] += u32::from(accepted);
            self.discretionary[2] += u32::from(in_time);
        }
        for (i, day) in self.week_endings.iter().enumerate() {
            self.weeks[i] += facts.overdue_on(*day).iter().map(|(_, n)| n).sum::<u32>();
        }
        for &(kind, n) in facts.overdue_on(self.query.to) {
            *self.overdue_by_kind.entry(kind).or_default() += n;
            *self
                .overdue_by_officer
                .entry(facts.officer.clone())
                .or_default() += n;
        }
        self.equality.add(values, referred, opted_in);
        if self.figures_sum() != before {
            self.counted.push(facts.victim.clone());
        }
    }

    /// Of things due on the days of `dues`, how many fell due in the period and how many of
    /// those were done in time.
    fn dues(&self, dues: &[Due]) -> (u32, u32) {
        dues.iter()
            .filter(|d| self.in_period(d.on))
            .fold((0, 0), |(n, t), d| (n + 1, t + u32::from(d.in_time)))
    }

    /// Every figure added up: a victim who changes it counts in the report.
    fn figures_sum(&self) -> u64 {
        [
            self.referred,
            self.offers_due,
            self.opted_in,
            self.declined,
            self.opted_out,
            self.no_response,
            self.annual_letters_due,
            self.follow_ups_due,
            self.complaints,
            self.referrals,
            self.discretionary[0],
        ]
        .iter()
        .map(|&n| u64::from(n))
        .sum::<u64>()
            + self.days_to_offer.len() as u64
            + self
                .overdue_by_kind
                .values()
                .map(|&n| u64::from(n))
                .sum::<u64>()
            + self.weeks.iter().map(|&n| u64::from(n)).sum::<u64>()
            + self
                .tasks
                .values()
                .map(|c| u64::from(c[0]) + u64::from(c[1]))
                .sum::<u64>()
    }

    /// Another tally of the same query, added in.
    pub fn merge(&mut self, other: Tally) {
        self.referred += other.referred;
        self.offers_due += other.offers_due;
        self.offers_in_time += other.offers_in_time;
        self.days_to_offer.extend(other.days_to_offer);
        self.opted_in += other.opted_in;
        self.declined += other.declined;
        self.opted_out += other.opted_out;
        self.no_response += other.no_response;
        self.annual_letters_due += other.annual_letters_due;
        self.annual_letters_on_time += other.annual_letters_on_time;
        self.follow_ups_due += other.follow_ups_due;
        self.follow_ups_on_time += other.follow_ups_on_time;
        self.complaints += other.complaints;
        self.complaints_acknowledged_in_time += other.complaints_acknowledged_in_time;
        self.referrals += other.referrals;
        for (k, theirs) in other.tasks {
            let mine = self.tasks.entry(k).or_default();
            for (m, t) in mine.iter_mut().zip(theirs) {
                *m += t;
            }
        }
        self.surveys_answered += other.surveys_answered;
        self.surveys_satisfied += other.surveys_satisfied;
        for (mine, theirs) in self.discretionary.iter_mut().zip(other.discretionary) {
            *mine += theirs;
        }
        for (k, n) in other.overdue_by_kind {
            *self.overdue_by_kind.entry(k).or_default() += n;
        }
        for (o, n) in other.overdue_by_officer {
            *self.overdue_by_officer.entry(o).or_default() += n;
        }
        for (mine, theirs) in self.weeks.iter_mut().zip(other.weeks) {
            *mine += theirs;
        }
        self.equality.merge(other.equality);
        self.counted.extend(other.counted);
    }

    /// The ids of the victims who count in at least one figure.
    pub fn counted(&self) -> &[String] {
        &self.counted
    }

    /// The report, for the unit named `unit`.
    pub fn finish(mut self, unit: Option<&str>) -> Report {
        let by_kind: Vec<KindCount> = ReminderKind::ALL
            .iter()
            .map(|&kind| KindCount {
                kind,
                items: self.overdue_by_kind.get(&kind).copied().unwrap_or(0),
            })
            .collect();
        // `None` (not allocated) sorts first in the map; it is listed last.
        let mut by_officer: Vec<OfficerCount> = self
            .overdue_by_officer
            .into_iter()
            .map(|(officer, items)| OfficerCount { officer, items })
            .collect();
        let unallocated_first = by_officer.first().is_some_and(|o| o.officer.is_none());
        by_officer.rotate_left(usize::from(unallocated_first));
        let q = self.query;
        let equality_withheld = equality::why_not(&q);
        let equality = if equality_withheld.is_some() {
            Vec::new()
        } else {
            self.equality.finish()
        };
        Report {
            unit: unit.map(str::to_owned),
            from: q.from,
            to: q.to,
            officer: q.officer,
            made_on: q.made_on,
            referred: self.referred,
            offers_due: self.offers_due,
            offers_in_time: self.offers_in_time,
            offers_in_time_percent: percent(self.offers_in_time, self.offers_due),
            first_offers: count(self.days_to_offer.len()),
            median_working_days_to_offer: median(&mut self.days_to_offer),
            opted_in: self.opted_in,
            declined: self.declined,
            opted_out: self.opted_out,
            no_response: self.no_response,
            annual_letters_due: self.annual_letters_due,
            annual_letters_on_time: self.annual_letters_on_time,
            follow_ups_due: self.follow_ups_due,
            follow_ups_on_time: self.follow_ups_on_time,
            complaints: self.complaints,
            complaints_acknowledged_in_time: self.complaints_acknowledged_in_time,
            referrals: self.referrals,
            tasks: self
                .tasks
                .into_iter()
                .filter(|(_, c)| c[0] + c[1] > 0)
                .map(|(kind, [opened, done, done_in_time])| TaskCount {
                    kind,
                    opened,
                    done,
                    done_in_time,
                })
                .collect(),
            surveys_answered: self.surveys_answered,
            surveys_satisfied: self.surveys_satisfied,
            discretionary_decided: self.discretionary[0],
            discretionary_accepted: self.discretionary[1],
            discretionary_decided_in_time: self.discretionary[2],
            overdue: Overdue {
                date: q.to,
                total: by_kind.iter().map(|k| k.items).sum(),
                by_kind,
                by_officer,
            },
            equality,
            equality_withheld,
            overdue_by_week: self
                .week_endings
                .into_iter()
                .zip(self.weeks)
                .map(|(week_ending, items)| WeekCount { week_ending, items })
                .collect(),
            officer_names: BTreeMap::new(),
        }
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub(super) fn months(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The report on a caseload held in memory: each victim with its case (a victim whose case
/// is missing is left out, as the diary leaves it out).
pub fn report<'c>(
    cases: impl IntoIterator<Item = &'c Case>,
    victims: &[Victim],
    query: &ReportQuery,
    rules: Rules<'_>,
    unit: Option<&str>,
) -> Report {
    report_from_facts(&facts_of(cases, victims, rules), query, unit)
}

/// The report from its victims' facts.
pub fn report_from_facts(facts: &[ReportFacts], query: &ReportQuery, unit: Option<&str>) -> Report {
    tally_from_facts(facts, query).finish(unit)
}

/// The tally of victims' facts.
pub fn tally_from_facts(facts: &[ReportFacts], query: &ReportQuery) -> Tally {
    let mut t = Tally::new(query);
    for f in facts {
        t.add_facts(f);
    }
    t
}

/// The facts of a caseload held in memory, worked out over the cores for a large unit: each
/// victim's, with its case (a victim whose case is missing has none).
pub fn facts_of<'c>(
    cases: impl IntoIterator<Item = &'c Case>,
    victims: &[Victim],
    rules: Rules<'_>,
) -> Vec<ReportFacts> {
    let cases: std::collections::HashMap<&str, &Case> =
        cases.into_iter().map(|c| (c.id.as_str(), c)).collect();
    facts_with(victims, &|id| cases.get(id).copied(), rules)
}

/// The facts of `victims`, each with the case `case_of` finds for its `case_id` (a victim
/// whose case is missing has none), worked out over the cores for a large unit.
pub fn facts_with<'c>(
    victims: &[Victim],
    case_of: &(dyn Fn(&str) -> Option<&'c Case> + Sync),
    rules: Rules<'_>,
) -> Vec<ReportFacts> {
    crate::par::map_chunks(victims, 500, |part| {
        part.iter()
            .filter_map(|v| Some(ReportFacts::of(v, case_of(&v.case_id)?, rules)))
            .collect()
    })
}

#[cfg(test)]
mod tests;
