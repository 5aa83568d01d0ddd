//! `release_reoffer`: a statutory victim who never answered the offer of contact is offered
//! it again before the offender may be released, so that they can still ask for licence
//! conditions (Victims' Commissioner: units should trace victims who had not opted in as
//! the offender approaches release). A victim who declined or opted out never gets it.
//!
//! Read as a VLO would (docs/DECISIONS.md, "The release re-offer"):
//! - "never answered": no inbound contact on or after the second offer's day, once the
//!   second offer is more than 3 months old; or, with no second offer, none on or after
//!   `status_since` once the offer has been out for more than 6 months;
//! - the release: the earliest `crd`, `ard`, `ped`, `hdced`, `tariff_expiry` or
//!   `parole_hearing` on or after the diary's date; a date already passed starts nothing;
//! - resolved by an outbound contact on or after release − 365 days, unless an `agency`
//!   contact (a trace request to the police or MAPPA) came after it, on a later day, within
//!   that window: the letter did not reach the victim, who is now being traced, and the
//!   reminder stays, marked "tracing", until a contact with the victim is logged. A letter on
//!   the day of an agency contact counts as after it (the police's answer, then the letter
//!   to the address they gave).

use chrono::NaiveDate;

use super::{Scan, minus_days};
use crate::domain::calendar::add_months;
use crate::domain::enums::{Eligibility, KeyDateKind, ReminderKind, VictimStatus};
use crate::domain::facts::LogFacts;
use crate::domain::model::{Case, Victim};
use crate::domain::rules::LeadTimes;

/// How far ahead the caseload's "never answered, release within 12 months" filter looks.
pub const UNANSWERED_FILTER_MONTHS: i32 = 12;

/// Whether `victim` has left the offer of contact unanswered as of `today`: more than
/// `release_reoffer_after_second_offer_months` since the latest second offer with nothing
/// inbound since its day, or — no second offer — more than
/// `release_reoffer_after_offer_months` with status `offer_sent` and nothing inbound since.
pub fn never_answered(
    victim: &Victim,
    facts: &LogFacts,
    today: NaiveDate,
    lead: &LeadTimes,
) -> bool {
    let (offered, wait) = match facts.second_offer {
        Some(second) => (second, lead.release_reoffer_after_second_offer_months),
        None => (victim.status_since, lead.release_reoffer_after_offer_months),
    };
    let waited = add_months(offered, i32::try_from(wait).unwrap_or(i32::MAX)) < today;
    waited && facts.last_inbound.is_none_or(|d| d < offered)
}

/// The release a victim is offered contact again before: the earliest of
/// [`KeyDateKind::REOFFER_TRIGGERS`] on or after `today` (on a tie, the first in that list).
pub fn release_ahead(case: &Case, today: NaiveDate) -> Option<(KeyDateKind, NaiveDate)> {
    let rank = |k: KeyDateKind| KeyDateKind::REOFFER_TRIGGERS.iter().position(|t| *t == k);
    case.key_dates
        .iter()
        .filter(|k| k.date >= today)
        .filter_map(|k| Some((k.date, rank(k.kind)?, k.kind)))
        .min()
        .map(|(date, _, kind)| (kind, date))
}

/// The release ahead of a statutory victim of an open case whose status is `offer_sent` and
/// who never answered: the victims `release_reoffer` applies to, resolved or not.
pub fn unanswered_release(
    victim: &Victim,
    facts: &LogFacts,
    case: &Case,
    today: NaiveDate,
    lead: &LeadTimes,
) -> Option<(KeyDateKind, NaiveDate)> {
    let applies = victim.eligibility == Eligibility::Statutory
        && victim.status == VictimStatus::OfferSent
        && case.closed_on.is_none()
        && case.transferred.is_none();
    if !applies || !never_answered(victim, facts, today, lead) {
        return None;
    }
    release_ahead(case, today)
}

/// The caseload's filter: a victim who never answered, with the release within
/// [`UNANSWERED_FILTER_MONTHS`] of `today` — the tracing work to plan.
pub fn unanswered_release_within_a_year(
    victim: &Victim,
    facts: &LogFacts,
    case: &Case,
    today: NaiveDate,
    lead: &LeadTimes,
) -> bool {
    let horizon = add_months(today, UNANSWERED_FILTER_MONTHS);
    unanswered_release(victim, facts, case, today, lead).is_some_and(|(_, date)| date <= horizon)
}

/// A re-offer still to make.
struct Open {
    /// The day of the trace request, while one is in hand.
    tracing: Option<NaiveDate>,
}

/// The re-offer before a release on `release`, unless a contact resolved it.
fn open_reoffer(facts: &LogFacts, release: NaiveDate, lead: &LeadTimes) -> Option<Open> {
    let from = minus_days(release, lead.release_reoffer_window_days);
    let tracing = facts
        .last_agency
        .filter(|a| *a >= from && facts.last_outbound.is_none_or(|o| o < *a));
    let reached = facts.last_outbound.is_some_and(|o| o >= from);
    (tracing.is_some() || !reached).then_some(Open { tracing })
}

impl Scan<'_> {
    /// A victim who never answered, offered contact again before the release.
    pub(super) fn release_reoffer(&mut self, today: NaiveDate) {
        let lead = self.rules.lead;
        let Some((kind, date)) =
            unanswered_release(self.victim, self.facts, self.case, today, lead)
        else {
            return;
        };
        if let Some(Open { tracing }) = open_reoffer(self.facts, date, lead) {
            let due = minus_days(date, lead.release_reoffer_notice_days);
            if let Some(r) = self.add(ReminderKind::ReleaseReoffer, due, Some(kind), date) {
                r.tracing = tracing;
            }
        }
    }
}

#[cfg(test)]
mod tests;
