//! One victim as the records say they stood on a past day, for the reminder engine to run on:
//! the diary of that day, as nearly as the store can tell it.
//!
//! The store keeps each victim's present status and the day it was set, the contact log with
//! its dates, and the days a case closed and a licence request was decided. So on a day `d`:
//! - a victim referred after `d` was not yet known to the unit;
//! - the log is the entries dated on or before `d`;
//! - a status set after `d` is replaced by the one the log shows on `d`: the latest `opt_in`
//!   or `decline` (opted in or declined, since then), else the latest `initial_offer` (offer
//!   sent), else referred — unless the victim has moved on since and no offer was ever logged,
//!   when the log cannot say and the victim counts for nothing that day;
//! - a case closed after `d` was open, a licence request decided after `d` was pending
//!   (sent after `d`: not yet sent), a task done after `d` was open, and a discretionary
//!   request decided after `d` undecided.
//!
//! The rest of the record (allocation, preferences, key dates) is taken as it is now.

use chrono::NaiveDate;

use crate::domain::enums::{ContactKind, LicenceOutcome, ReminderKind, VictimStatus};
use crate::domain::facts::LogFacts;
use crate::domain::model::{Case, Contact, LicenceRequest, Victim};
use crate::domain::reminders::{Reminder, Rules, reminders_from_facts, under_the_rules};

pub(super) struct Past<'v> {
    victim: &'v Victim,
    case: &'v Case,
    /// The log in date order (entries of one day in the order logged).
    log: Vec<&'v Contact>,
    /// The facts of the log's first `folded` entries.
    facts: LogFacts,
    folded: usize,
    /// A copy of the record, set to how it stood on a day; made when first needed.
    then: Option<Victim>,
    /// The case still open, for days before it closed; made when first needed.
    open_case: Option<Case>,
}

impl<'v> Past<'v> {
    pub(super) fn new(victim: &'v Victim, case: &'v Case) -> Self {
        let mut log: Vec<&Contact> = victim.contacts.iter().collect();
        log.sort_by_key(|c| c.on);
        Self {
            victim,
            case,
            log,
            facts: LogFacts::default(),
            folded: 0,
            then: None,
            open_case: None,
        }
    }

    /// The reminders overdue on `day`, by the records as they stood on it.
    #[cfg(test)]
    pub(super) fn overdue_on(&mut self, day: NaiveDate, rules: Rules<'_>) -> Vec<Reminder> {
        self.on(day, |v, f, c| {
            crate::domain::reminders::overdue_reminders(v, f, c, day, rules)
        })
        .unwrap_or_default()
    }

    /// Every reminder the diary showed on `day`, by the records as they stood on it.
    pub(super) fn reminders_on(&mut self, day: NaiveDate, rules: Rules<'_>) -> Vec<Reminder> {
        self.on(day, |v, f, c| reminders_from_facts(v, f, c, day, rules))
            .unwrap_or_default()
    }

    /// The due date of the annual-letter reminder the diary showed on `day`, if it showed one.
    pub(super) fn annual_letter_due(
        &mut self,
        day: NaiveDate,
        rules: Rules<'_>,
    ) -> Option<NaiveDate> {
        self.on(day, |v, f, c| {
            reminders_from_facts(v, f, c, day, rules)
                .into_iter()
                .find(|r| r.kind == ReminderKind::AnnualLetter)
                .map(|r| r.due)
        })
        .flatten()
    }

    /// Whether the diary asked anything of the victim on `day`, by the records as they stood.
    pub(super) fn under_the_rules_on(&mut self, day: NaiveDate) -> bool {
        self.on(day, |v, _, c| under_the_rules(v, c))
            .unwrap_or(false)
    }

    /// The day the victim was referred: before it the unit did not know them.
    pub(super) fn referred_on(&self) -> NaiveDate {
        self.victim.referred_on
    }

    /// The first day after `day` on which the record as it stood could differ.
    pub(super) fn next_change_after(&self, day: NaiveDate) -> Option<NaiveDate> {
        let v = self.victim;
        self.log
            .iter()
            .map(|c| c.on)
            .chain([v.referred_on, v.status_since])
            .chain(v.licence_requests.iter().filter_map(|r| r.outcome_on))
            .filter(|d| *d > day)
            .min()
    }

    /// `f` of the record, the log's facts and the case as they stood on `day`; `None` when
    /// the victim was not yet referred, or the log cannot say where they stood.
    fn on<R>(
        &mut self,
        day: NaiveDate,
        f: impl FnOnce(&Victim, &LogFacts, &Case) -> R,
    ) -> Option<R> {
        let v = self.victim;
        if v.referred_on > day {
            return None;
        }
        let upto = self.log.partition_point(|c| c.on <= day);
        if upto < self.folded {
            self.facts = LogFacts::default();
            self.folded = 0;
        }
        for c in &self.log[self.folded..upto] {
            self.facts.add(c, &v.contacts);
        }
        self.folded = upto;
        let case = if self.case.closed_on.is_some_and(|closed| closed > day) {
            &*self.open_case.get_or_insert_with(|| Case {
                closed_on: None,
                ..self.case.clone()
            })
        } else {
            self.case
        };
        let status_later = v.status_since > day;
        let decided_later = v.licence_requests.iter().any(|r| {
            r.outcome_on.is_some_and(|d| d > day) || r.submitted_on.is_some_and(|d| d > day)
        }) || v.tasks.iter().any(|t| t.done_on.is_some_and(|d| d > day))
            || v.discretionary_decided().is_some_and(|(_, d)| d > day)
            || v.child
                .as_ref()
                .and_then(|c| c.offered_on)
                .is_some_and(|d| d > day);
        if !status_later && !decided_later {
            return Some(f(v, &self.facts, case));
        }
        let (status, since) = if status_later {
            status_from_log(v, &self.log[..upto], &self.log)?
        } else {
            (v.status, v.status_since)
        };
        let then = self.then.get_or_insert_with(|| Victim {
            contacts: Vec::new(),
            ..v.clone()
        });
        then.status = status;
        then.status_since = since;
        then.licence_requests = v
            .licence_requests
            .iter()
            .map(|r| pending_on(r, day))
            .collect();
        for (t, now) in then.tasks.iter_mut().zip(&v.tasks) {
            t.done_on = now.done_on.filter(|d| *d <= day);
        }
        then.discretionary = v
            .discretionary
            .clone()
            .filter(|_| v.discretionary_decided().is_none_or(|(_, d)| d <= day));
        if let (Some(then), Some(now)) = (then.child.as_deref_mut(), v.child.as_deref()) {
            then.offered_on = now.offered_on.filter(|d| *d <= day);
        }
        Some(f(then, &self.facts, case))
    }
}

/// The status the log shows on a day (`before`: the entries up to it; `log`: all of them).
fn status_from_log(
    v: &Victim,
    before: &[&Contact],
    log: &[&Contact],
) -> Option<(VictimStatus, NaiveDate)> {
    let latest = |kinds: &[ContactKind]| before.iter().rev().find(|c| kinds.contains(&c.kind));
    if let Some(c) = latest(&[ContactKind::OptIn, ContactKind::Decline]) {
        let status = if c.kind == ContactKind::OptIn {
            VictimStatus::OptedIn
        } else {
            VictimStatus::Declined
        };
        return Some((status, c.on));
    }
    if let Some(c) = latest(&[ContactKind::InitialOffer]) {
        return Some((VictimStatus::OfferSent, c.on));
    }
    let offered_later = log.iter().any(|c| c.kind == ContactKind::InitialOffer);
    (offered_later || v.status == VictimStatus::Referred)
        .then_some((VictimStatus::Referred, v.referred_on))
}

/// A licence request as it stood on `day`: pending if it was decided later, not yet sent if
/// it was sent later.
fn pending_on(r: &LicenceRequest, day: NaiveDate) -> LicenceRequest {
    let mut then = r.clone();
    if r.outcome_on.is_some_and(|d| d > day) {
        then.outcome = Some(LicenceOutcome::Pending);
        then.outcome_on = None;
    }
    if r.submitted_on.is_some_and(|d| d > day) {
        then.submitted_on = None;
    }
    then
}
