//! What one victim gives the monitoring return, whatever the period: the days things fell due
//! and whether they were done in time, and the items overdue on every day as a step function.
//!
//! The return's figures ask of each victim only "which of these days lie in the period?" and
//! "what was overdue on that day?". Both answers are fixed by the records and the rules, not
//! by the period, so they are worked out once per victim ([`ReportFacts::of`]), kept by the
//! store beside the records and made again whenever the victim, its log or its case changes;
//! a return is then a fold over these facts and reads no log.
//!
//! Overdue items: the records as they stood on a day change only on the days the records name
//! (a contact's day, a status set, a case closed, a key date …) or the day after, and a
//! reminder turns overdue the day after it is due; between two such days the overdue items
//! stay the same. So the reminders are worked out on each of those days, and the overdue
//! items kept as steps: from this day on, these items, until the next step.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_with::serde_as;

use super::equality;
use super::past::Past;
use crate::domain::calendar::add_months;
use crate::domain::enums::{ByIndex, ContactKind, Direction, Eligibility, ReminderKind, TaskKind};
use crate::domain::enums::{DiscretionaryDecision, EQUALITY_KEYS, VictimStatus};
use crate::domain::facts::DayNumber;
use crate::domain::model::{Case, Victim};
use crate::domain::reminders::Rules;

/// A day something fell due, and whether it was done by then.
#[serde_as]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    #[serde_as(as = "DayNumber")]
    pub on: NaiveDate,
    pub in_time: bool,
}

/// From `from` on (until the next step), the victim's overdue items: each reminder kind with
/// how many of its items were overdue.
#[serde_as]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    #[serde_as(as = "DayNumber")]
    pub from: NaiveDate,
    #[serde_as(as = "Vec<(ByIndex, _)>")]
    pub items: Vec<(ReminderKind, u32)>,
}

/// One victim's part in any return (docs/REPORT.md defines each figure).
#[serde_as]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFacts {
    pub victim: String,
    pub officer: Option<String>,
    #[serde_as(as = "DayNumber")]
    pub referred_on: NaiveDate,
    /// Statutory victims: the initial offer's due day, in time if an offer was dated by it.
    pub offer: Option<Due>,
    /// Statutory victims: the first initial offer's day and the working days from sentence.
    #[serde_as(as = "Option<(DayNumber, _)>")]
    pub first_offer: Option<(NaiveDate, u32)>,
    /// Days the victim opted in: `opt_in` contacts, and the status's day if opted in now.
    #[serde_as(as = "Vec<DayNumber>")]
    pub opted_in: Vec<NaiveDate>,
    /// Days the victim declined, likewise.
    #[serde_as(as = "Vec<DayNumber>")]
    pub declined: Vec<NaiveDate>,
    #[serde_as(as = "Option<DayNumber>")]
    pub opted_out: Option<NaiveDate>,
    /// Second offers never answered: the offer's day and the last day of its three months.
    #[serde_as(as = "Vec<(DayNumber, DayNumber)>")]
    pub unanswered: Vec<(NaiveDate, NaiveDate)>,
    /// Written follow-ups the diary asked for: due day, confirmed in writing by then.
    pub follow_ups: Vec<Due>,
    /// Complaints by their day, acknowledged in time.
    pub complaints: Vec<Due>,
    /// Annual letters by the day each fell due, on time.
    pub annual_letters: Vec<Due>,
    /// The overdue items, a step each day they change (none before the first).
    pub overdue: Vec<Step>,
    /// The nine equality characteristics as the victim gave them (`EQUALITY_KEYS`' order).
    pub equality: Vec<Option<String>>,
    /// Each referral to Victim Support or another service (a `referral` contact): its day.
    #[serde_as(as = "Vec<DayNumber>")]
    pub referrals: Vec<NaiveDate>,
    /// Each task with its kind and opening day: opened, due, done, and its yes-or-no answer.
    #[serde_as(as = "Vec<(ByIndex, DayNumber, DayNumber, Option<DayNumber>, _)>")]
    pub tasks: Vec<TaskFact>,
    /// A discretionary request decided: its day, accepted or not, and whether within the
    /// decision's days of the referral.
    #[serde_as(as = "Option<(DayNumber, _, _)>")]
    pub discretionary: Option<(NaiveDate, bool, bool)>,
}

/// A task as the return counts it: kind, opened, due, done, answer.
pub type TaskFact = (
    TaskKind,
    NaiveDate,
    NaiveDate,
    Option<NaiveDate>,
    Option<bool>,
);

impl ReportFacts {
    /// The facts of `victim` (with its whole log) under `case`, by `rules`.
    pub fn of(victim: &Victim, case: &Case, rules: Rules<'_>) -> Self {
        // The log as its corrections say it reads, as the diary reads it: an acknowledgement
        // corrected to a note acknowledged nothing.
        let corrected;
        let victim = match crate::domain::facts::corrected(&victim.contacts) {
            std::borrow::Cow::Borrowed(_) => victim,
            std::borrow::Cow::Owned(contacts) => {
                corrected = Victim {
                    contacts,
                    ..victim.clone()
                };
                &corrected
            }
        };
        let log = &victim.contacts;
        let mut past = Past::new(victim, case);
        let statutory = victim.eligibility == Eligibility::Statutory;
        let offers = || log.iter().filter(|c| c.kind == ContactKind::InitialOffer);
        let offer = statutory.then(|| {
            let on = rules.initial_offer_due(case);
            Due {
                on,
                in_time: offers().any(|c| c.on <= on),
            }
        });
        let first_offer = offers()
            .map(|c| c.on)
            .min()
            .filter(|_| statutory)
            .map(|first| {
                let days = rules
                    .calendar
                    .working_days_between(case.sentence.imposed_on, first);
                (first, days)
            });
        let said = |kind: ContactKind, status: VictimStatus| {
            let mut days: Vec<NaiveDate> = log
                .iter()
                .filter(|c| c.kind == kind)
                .map(|c| c.on)
                .chain((victim.status == status).then_some(victim.status_since))
                .collect();
            days.sort_unstable();
            days.dedup();
            days
        };
        Self {
            victim: victim.id.clone(),
            officer: victim.allocated_to.clone(),
            referred_on: victim.referred_on,
            offer,
            first_offer,
            opted_in: said(ContactKind::OptIn, VictimStatus::OptedIn),
            declined: said(ContactKind::Decline, VictimStatus::Declined),
            opted_out: (victim.status == VictimStatus::OptedOut).then_some(victim.status_since),
            unanswered: unanswered(victim),
            follow_ups: follow_ups(victim, &mut past, rules),
            complaints: complaints(victim, rules),
            annual_letters: annual_letters(&mut past, rules),
            overdue: overdue(victim, case, &mut past, rules),
            equality: EQUALITY_KEYS
                .iter()
                .map(|key| {
                    let e = victim.equality.as_ref()?;
                    e.get(key).map(str::to_owned)
                })
                .collect(),
            referrals: log
                .iter()
                .filter(|c| c.kind == ContactKind::Referral)
                .map(|c| c.on)
                .collect(),
            tasks: victim
                .tasks
                .iter()
                .filter_map(|t| {
                    let (kind, opened) = (t.kind?, t.opened_on?);
                    let due = t.due_on.unwrap_or_else(|| {
                        rules.calendar.add_working_days(opened, kind.working_days())
                    });
                    Some((kind, opened, due, t.done_on, t.agreed))
                })
                .collect(),
            discretionary: victim.discretionary_decided().map(|(decision, on)| {
                let by = victim
                    .referred_on
                    .checked_add_days(Days::new(rules.lead.discretionary_decision_days.into()));
                (
                    on,
                    decision == DiscretionaryDecision::Accepted,
                    by.is_none_or(|by| on <= by),
                )
            }),
        }
    }

    /// The overdue items on `day`.
    pub fn overdue_on(&self, day: NaiveDate) -> &[(ReminderKind, u32)] {
        let upto = self.overdue.partition_point(|s| s.from <= day);
        upto.checked_sub(1)
            .map_or(&[], |i| self.overdue[i].items.as_slice())
    }

    /// The equality values, as the equality tally reads them.
    pub(super) fn equality_values(&self) -> equality::Values<'_> {
        equality::Values(&self.equality)
    }
}

/// Second offers no answer followed within their three months: no `opt_in` or `decline`, no
/// inbound contact, and no status of opted in, declined or opted out set in that time.
fn unanswered(victim: &Victim) -> Vec<(NaiveDate, NaiveDate)> {
    let log = &victim.contacts;
    log.iter()
        .filter(|c| c.kind == ContactKind::SecondOffer)
        .filter_map(|offer| {
            let window = add_months(offer.on, super::months(super::NO_RESPONSE_MONTHS));
            let within = |d: NaiveDate| offer.on <= d && d <= window;
            let answered = log.iter().any(|c| {
                within(c.on)
                    && (matches!(c.kind, ContactKind::OptIn | ContactKind::Decline)
                        || c.direction == Direction::Inbound)
            }) || (matches!(
                victim.status,
                VictimStatus::OptedIn | VictimStatus::Declined | VictimStatus::OptedOut
            ) && within(victim.status_since));
            (!answered).then_some((offer.on, window))
        })
        .collect()
}

/// Each call's written follow-up the diary asked for (the victim under the rules on its due
/// day), in time if an outbound letter or email went from the call's day to the due day.
fn follow_ups(victim: &Victim, past: &mut Past<'_>, rules: Rules<'_>) -> Vec<Due> {
    if !victim.wants_written_follow_up() {
        return Vec::new();
    }
    let log = &victim.contacts;
    log.iter()
        .enumerate()
        .filter(|(_, c)| c.asks_written_follow_up())
        .filter_map(|(i, call)| {
            let due = rules.written_follow_up_due(call.on);
            past.under_the_rules_on(due).then(|| Due {
                on: due,
                in_time: log
                    .iter()
                    .any(|c| c.on <= due && c.confirms(log, i + 1, call.on)),
            })
        })
        .collect()
}

/// Each inbound complaint, acknowledged in time if a `complaint_ack` is dated from its day to
/// its due day, or vlu's own record of the same complaint says it was acknowledged by then.
fn complaints(victim: &Victim, rules: Rules<'_>) -> Vec<Due> {
    let log = &victim.contacts;
    log.iter()
        .filter(|c| c.is_complaint())
        .map(|complaint| {
            let due = rules.complaint_ack_due(complaint.on);
            let logged = log.iter().any(|c| {
                c.kind == ContactKind::ComplaintAck && complaint.on <= c.on && c.on <= due
            });
            let recorded = victim
                .record_acknowledged(complaint.on)
                .is_some_and(|on| on <= due);
            Due {
                on: complaint.on,
                in_time: logged || recorded,
            }
        })
        .collect()
}

/// Enough annual letters for any victim's lifetime: a guard, never reached by a sound record.
const MOST_LETTERS: usize = 1_000;

/// The annual letters that fell due, by the diary's own annual-letter reminder followed from
/// the victim's referral: each due date reached counts once, on time when by that day an
/// outbound contact had moved the reminder on. Followed from the referral, the due dates are
/// the same whatever period is asked for, so any period is the sum of its parts.
fn annual_letters(past: &mut Past<'_>, rules: Rules<'_>) -> Vec<Due> {
    let mut out = Vec::new();
    let mut day = past.referred_on();
    // The latest due date reached: one still shown later is the same letter, late.
    let mut reached: Option<NaiveDate> = None;
    while out.len() < MOST_LETTERS {
        let shown = past.annual_letter_due(day, rules);
        let Some(due) = shown.filter(|due| reached.is_none_or(|r| *due > r)) else {
            // Not (yet) in the rule, or a late letter still owed: read again once the log or
            // the status changes.
            match past.next_change_after(day) {
                Some(next) => day = next,
                None => break,
            }
            continue;
        };
        reached = Some(due);
        let then = past.annual_letter_due(due, rules);
        let moved_on = then.is_some_and(|d| d != due);
        if then.is_some() {
            out.push(Due {
                on: due,
                in_time: moved_on,
            });
        }
        // On time: the next letter is due from this one's day. Late (or out of the rule): the
        // clock starts again at the next change — the letter sent late, or a new opt-in after
        // a decline — not only at the next letter.
        let next = if moved_on && due > day {
            Some(due)
        } else {
            past.next_change_after(due.max(day))
        };
        match next {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

/// The overdue items as steps. The rules are worked out on each day the records could stand
/// differently or a reminder could turn overdue (see the module's notes), from the referral
/// on; between two such days nothing changes.
fn overdue(victim: &Victim, case: &Case, past: &mut Past<'_>, rules: Rules<'_>) -> Vec<Step> {
    let mut days = turning_days(victim, case, rules);
    let mut steps: Vec<Step> = Vec::new();
    let start = victim.referred_on;
    let mut day = Some(start);
    while let Some(today) = day {
        let reminders = past.reminders_on(today, rules);
        let mut items: Vec<(ReminderKind, u32)> = Vec::new();
        for r in &reminders {
            if r.due < today {
                match items.iter_mut().find(|(k, _)| *k == r.kind) {
                    Some((_, n)) => *n += 1,
                    None => items.push((r.kind, 1)),
                }
            } else if let Some(after) = r.due.succ_opt() {
                days.insert(after);
            }
        }
        items.sort_unstable();
        let same = steps.last().map_or(items.is_empty(), |s| s.items == items);
        if !same {
            steps.push(Step { from: today, items });
        }
        let Some(after) = today.succ_opt() else { break };
        day = days.range(after..).next().copied();
    }
    steps
}

/// Every day the records as they stood, or the rules' reading of them, could change: each
/// date the victim's record (but its log) or the case holds and each contact's day (the
/// records as they stood turn on it), the day after each key date (a key date ahead is one
/// not yet passed), and the day after a wait for an answer runs out from any of them.
fn turning_days(victim: &Victim, case: &Case, rules: Rules<'_>) -> BTreeSet<NaiveDate> {
    let record = Victim {
        contacts: Vec::new(),
        ..victim.clone()
    };
    let mut named = Vec::new();
    dates_in(&serde_json::to_vec(&record).unwrap_or_default(), &mut named);
    dates_in(&serde_json::to_vec(case).unwrap_or_default(), &mut named);
    named.extend(victim.contacts.iter().map(|c| c.on));
    let waits = [
        rules.lead.release_reoffer_after_second_offer_months,
        rules.lead.release_reoffer_after_offer_months,
    ];
    let day_after = |d: NaiveDate| d.checked_add_days(Days::new(1));
    let mut days: BTreeSet<NaiveDate> = named.iter().copied().collect();
    let waited = named
        .iter()
        .flat_map(|&d| waits.iter().map(move |&m| add_months(d, super::months(m))));
    days.extend(waited.filter_map(day_after));
    days.extend(case.key_dates.iter().filter_map(|k| day_after(k.date)));
    days
}

/// Every date in a record's JSON, wherever the record holds it: each string of the form
/// `"YYYY-MM-DD"` that is a day.
fn dates_in(json: &[u8], out: &mut Vec<NaiveDate>) {
    let shaped = |w: &[u8]| {
        w[0] == b'"'
            && w[11] == b'"'
            && w[5] == b'-'
            && w[8] == b'-'
            && [1, 2, 3, 4, 6, 7, 9, 10]
                .iter()
                .all(|&i| w[i].is_ascii_digit())
    };
    for w in json.windows(12).filter(|w| shaped(w)) {
        let text = std::str::from_utf8(&w[1..11]).unwrap_or_default();
        out.extend(NaiveDate::parse_from_str(text, "%Y-%m-%d").ok());
    }
}
