//! What changed for a victim since their last annual letter: the key stages of the sentence
//! reached since then that the victim's level covers — re-categorisation and moves to open
//! conditions among them for a `key_stages` victim — and those still ahead, each with
//! whether the victim has been told of its kind since. For the annual letter's wording
//! ("since our last letter, Mr Reeve's category was reviewed on …"); nothing here writes a
//! letter.
//!
//! The store keeps each key date as it now stands, not its history, so "what changed" is read
//! from the dates themselves: a stage whose date fell between the last letter and the new
//! one has happened since (docs/DECISIONS.md, "What an annual letter reports").

use chrono::NaiveDate;

use super::enums::{ContactKind, Direction, InformationLevel, KeyDateKind};
use super::model::{Case, Contact, KeyDate, Victim};

/// What an annual letter written on a day has to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinceLastLetter<'c> {
    /// The day counted from: the latest outbound `annual_letter` contact on or after
    /// `status_since` and before the letter's day, else `status_since` (opting in).
    pub since: NaiveDate,
    /// The key stages the level covers dated after `since` and on or before the letter's
    /// day, in date order: what has happened since the last letter.
    pub reached: Vec<&'c KeyDate>,
    /// The key stages the level covers dated after the letter's day, in date order, each with
    /// whether the victim was told of its kind (an outbound contact naming it) after `since`.
    pub ahead: Vec<(&'c KeyDate, bool)>,
}

impl SinceLastLetter<'_> {
    /// Whether the offender was re-categorised or moved to open conditions since the last
    /// letter.
    pub fn recategorised(&self) -> bool {
        self.reached
            .iter()
            .any(|k| KeyDateKind::RECATEGORISATION.contains(&k.kind))
    }

    /// Whether there is anything to say beyond "no change".
    pub fn is_empty(&self) -> bool {
        self.reached.is_empty() && self.ahead.is_empty()
    }
}

/// The key dates of `case` a victim at `level` is told of, dated after `after` and on or
/// before `until`, in date order (then in the order of the kinds).
pub fn key_stages_between(
    case: &Case,
    level: InformationLevel,
    after: NaiveDate,
    until: NaiveDate,
) -> Vec<&KeyDate> {
    let mut stages: Vec<&KeyDate> = case
        .key_dates
        .iter()
        .filter(|k| level.covers(k.kind) && k.date > after && k.date <= until)
        .collect();
    stages.sort_by_key(|k| (k.date, k.kind));
    stages
}

/// The day the last annual letter before `on` went out (outbound, on or after opting in),
/// else the day the victim opted in.
pub fn last_annual_letter(victim: &Victim, on: NaiveDate) -> NaiveDate {
    victim
        .contacts
        .iter()
        .filter(|c| is_annual_letter(c) && c.on >= victim.status_since && c.on < on)
        .map(|c| c.on)
        .max()
        .unwrap_or(victim.status_since)
}

fn is_annual_letter(c: &Contact) -> bool {
    c.kind == ContactKind::AnnualLetter && c.direction == Direction::Outbound
}

/// What an annual letter to `victim` written on `on` reports since the last one.
pub fn since_last_letter<'c>(
    victim: &Victim,
    case: &'c Case,
    on: NaiveDate,
) -> SinceLastLetter<'c> {
    let level = victim.information();
    let since = last_annual_letter(victim, on);
    let reached = key_stages_between(case, level, since, on);
    let ahead = key_stages_between(case, level, on, NaiveDate::MAX)
        .into_iter()
        .map(|k| {
            let told = victim.contacts.iter().any(|c| {
                c.direction == Direction::Outbound
                    && c.key_date == Some(k.kind)
                    && c.on > since
                    && c.on <= on
            });
            (k, told)
        })
        .collect();
    SinceLastLetter {
        since,
        reached,
        ahead,
    }
}

#[cfg(test)]
mod tests;
