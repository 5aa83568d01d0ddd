//! What each kind of letter adds to the facts every letter has: the dates, the licence
//! decisions, the complaint or the conversation it is about.

use chrono::NaiveDate;

use super::facts::{
    ComplaintFact, ConversationFact, Facts, covers, date_fact, dates_ahead, day, licence_fact,
    month, pick_date, release_ahead,
};
use super::{LetterError, LetterInput, LetterRequest, guard, how, spoken};
use crate::domain::enums::{ContactKind, Direction, InformationLevel, KeyDateKind, LetterKind};
use crate::domain::model::{Case, Contact, Victim};

/// A letter being made: its facts, the warnings for the officer, and the key date its log
/// entry will name.
pub(super) struct Draft {
    pub(super) facts: Facts,
    pub(super) warnings: Vec<String>,
    pub(super) key_date: Option<KeyDateKind>,
    /// For a written follow-up: the call it confirms, by its number in the log (from 1).
    pub(super) follows: Option<usize>,
}

/// The facts of the letter's own kind; returns the log entry's summary.
pub(super) fn kind_facts(
    input: &LetterInput<'_>,
    req: &LetterRequest,
    draft: &mut Draft,
) -> Result<String, LetterError> {
    let v = input.victim;
    let case = input.case;
    let level = v.information();
    let on = req.date;
    let summary = match req.kind {
        // An offer says nothing of dates: the first letter about a sentence is not where a
        // family should learn when the offender may be released (inspection §3.4).
        LetterKind::InitialOffer => "Initial offer letter sent.".to_owned(),
        LetterKind::SecondOffer => {
            draft.facts.first_offer = v
                .contacts
                .iter()
                .filter(|c| c.kind == ContactKind::InitialOffer && c.on <= on)
                .map(|c| c.on)
                .max()
                .map(day);
            if draft.facts.first_offer.is_none() {
                draft.warnings.push("No first offer is logged.".to_owned());
            }
            "Second offer letter sent.".to_owned()
        }
        LetterKind::AnnualLetter => {
            draft.facts.dates = dates_ahead(case, level, on);
            draft.facts.release = release_ahead(case, level, on);
            if level == InformationLevel::ReleaseMonth {
                draft.warnings.push(format!(
                    "{} chose to hear only the month of release; an annual letter is not among what they asked for.",
                    v.id
                ));
            }
            "Annual letter sent.".to_owned()
        }
        LetterKind::KeyDate => key_date_facts(input, req, draft)?,
        LetterKind::VpsOffer => vps_facts(input, req, draft),
        LetterKind::LicenceConditions => {
            draft.facts.release = release_ahead(case, level, on);
            draft.facts.licence = v.licence_requests.iter().map(licence_fact).collect();
            draft.facts.notification = case.sex_offender_notification == Some(true);
            "Letter about asking for licence conditions.".to_owned()
        }
        LetterKind::LicenceOutcome => licence_outcome_facts(input, req, draft),
        LetterKind::ComplaintAck => {
            let complaint = pick_entry(v, req, |c| {
                c.kind == ContactKind::Complaint && c.direction == Direction::Inbound
            })?;
            draft.facts.complaint = complaint.map(|c| ComplaintFact {
                received_on: day(c.on),
            });
            if complaint.is_none() {
                draft
                    .warnings
                    .push("No complaint is logged: the letter gives no date for it.".to_owned());
            }
            "Letter acknowledging the complaint.".to_owned()
        }
        LetterKind::WrittenFollowUp => {
            let (conversation, entry) = conversation(input, req)?;
            let said = format!(
                "Letter confirming the {} of {}.",
                conversation.how, conversation.on
            );
            draft.facts.conversation = Some(conversation);
            // It answers that call, not every earlier one; a call in the victim's direction
            // asks no follow-up of the rules, and is confirmed as a plain letter is.
            draft.follows = entry
                .checked_sub(1)
                .and_then(|i| input.victim.contacts.get(i))
                .filter(|call| call.asks_written_follow_up())
                .map(|_| entry);
            said
        }
        LetterKind::ViewsRequest => {
            let task = v.views_sought();
            draft.facts.views = Some(super::facts::ViewsFact {
                about: task
                    .and_then(|t| t.about.as_deref())
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned),
                by: task.and_then(|t| t.due_on).map(day),
                said_no: v.status.said_no(),
            });
            "Letter asking for the victim's views.".to_owned()
        }
        LetterKind::CaseClosure => {
            draft.facts.ending = [KeyDateKind::Led, KeyDateKind::Sed]
                .into_iter()
                .flat_map(|k| case.dates_of(k).map(move |d| (d, k)))
                .max()
                .map(|(d, k)| date_fact(case, level, k, d, on));
            "Letter closing contact at the end of the sentence.".to_owned()
        }
    };
    Ok(summary)
}

/// A `key_date` letter: the date of the kind asked for, if the level covers it.
fn key_date_facts(
    input: &LetterInput<'_>,
    req: &LetterRequest,
    draft: &mut Draft,
) -> Result<String, LetterError> {
    let (v, case, on) = (input.victim, input.case, req.date);
    let level = v.information();
    let kind = req.key_date.ok_or(LetterError::KeyDateNeeded)?;
    // Beyond the level only by a decision on record (spec row 12): who decided, the advice.
    if !covers(level, kind) && !v.disclosure_approved(kind) {
        return Err(LetterError::NotCovered {
            victim: v.id.clone(),
            level: level.label(),
            kind: kind.label(),
        });
    }
    let date = pick_date(case, kind, req.about, on).ok_or_else(|| LetterError::NoKeyDate {
        victim: v.id.clone(),
        case: case.id.clone(),
        kind: kind.label(),
    })?;
    let fact = date_fact(case, level, kind, date, on);
    if fact.month_only && !kind.is_release() {
        draft.warnings.push(format!(
            "{} hears only months: the letter gives {}.",
            v.id,
            month(date)
        ));
    }
    let said = format!("Letter telling of the {}: {}.", kind.label(), fact.when);
    draft.facts.notification =
        case.sex_offender_notification == Some(true) && kind.is_release() && !fact.past;
    draft.facts.key_date = Some(fact);
    draft.facts.release = release_ahead(case, level, on);
    draft.key_date = Some(kind);
    Ok(said)
}

/// A VPS offer: the next parole hearing, or word that none is set yet.
fn vps_facts(input: &LetterInput<'_>, req: &LetterRequest, draft: &mut Draft) -> String {
    let (case, on) = (input.case, req.date);
    let hearing = pick_date(case, KeyDateKind::ParoleHearing, req.about, on)
        .filter(|d| *d >= on || req.about == Some(*d));
    draft.facts.hearing = hearing.map(|d| {
        date_fact(
            case,
            input.victim.information(),
            KeyDateKind::ParoleHearing,
            d,
            on,
        )
    });
    if hearing.is_none() {
        draft.warnings.push(format!(
            "Case {} has no parole hearing ahead: the letter says a date has not been set.",
            case.id
        ));
    } else {
        draft.key_date = Some(KeyDateKind::ParoleHearing);
    }
    "Letter offering the chance to write a victim personal statement.".to_owned()
}

/// The outcome of each licence condition asked for (none yet decided is said so).
fn licence_outcome_facts(
    input: &LetterInput<'_>,
    req: &LetterRequest,
    draft: &mut Draft,
) -> String {
    let v = input.victim;
    draft.facts.licence = v.licence_requests.iter().map(licence_fact).collect();
    draft.facts.release = release_ahead(input.case, v.information(), req.date);
    if v.licence_requests.is_empty() {
        draft.warnings.push(format!(
            "No licence conditions are recorded as asked for by {}: the letter says no decision has been made yet.",
            v.id
        ));
    } else if draft.facts.licence.iter().all(|l| l.outcome == "pending") {
        draft.warnings.push(
            "No decision is recorded yet: the letter says the requests are still being considered."
                .to_owned(),
        );
    }
    "Letter telling the outcome of the licence conditions asked for.".to_owned()
}

/// The entry of the log a letter answers: the one named (by index), else the latest that
/// `fits` on the reminder's date, else the latest that fits on or before the letter's date.
fn pick_entry<'v>(
    v: &'v Victim,
    req: &LetterRequest,
    fits: impl Fn(&Contact) -> bool,
) -> Result<Option<&'v Contact>, LetterError> {
    if let Some(i) = req.contact {
        return v.contacts.get(i).map(Some).ok_or(LetterError::NoSuchEntry {
            victim: v.id.clone(),
            entry: i + 1,
        });
    }
    let latest = |on: &dyn Fn(NaiveDate) -> bool| {
        v.contacts
            .iter()
            .filter(|c| fits(c) && on(c.on))
            .max_by(|a, b| (a.on, &a.at).cmp(&(b.on, &b.at)))
    };
    Ok(req
        .about
        .and_then(|a| latest(&|d| d == a))
        .or_else(|| latest(&|d| d <= req.date)))
}

/// The call, visit or meeting a written follow-up confirms, with its summary checked, and its
/// number in the log (from 1).
fn conversation(
    input: &LetterInput<'_>,
    req: &LetterRequest,
) -> Result<(ConversationFact, usize), LetterError> {
    let v = input.victim;
    let Some(c) = pick_entry(v, req, spoken)? else {
        return Err(LetterError::NoConversation {
            victim: v.id.clone(),
        });
    };
    if !spoken(c) {
        return Err(LetterError::NotSpoken {
            victim: v.id.clone(),
            entry: req.contact.map_or(0, |i| i + 1),
            what: format!("a {} ({})", how(c.method), c.direction.label()),
        });
    }
    let summary = c.summary.as_deref().map(str::trim).unwrap_or_default();
    if summary.is_empty() {
        return Err(LetterError::NoSummary {
            victim: v.id.clone(),
            how: how(c.method),
            on: c.on,
        });
    }
    if names_release_day(summary, input.case) {
        return Err(LetterError::ReleaseDayInSummary {
            how: how(c.method),
            on: c.on,
        });
    }
    let entry = v
        .contacts
        .iter()
        .position(|x| std::ptr::eq(x, c))
        .map_or(0, |i| i + 1);
    Ok((
        ConversationFact {
            on: day(c.on),
            how: how(c.method),
            summary: summary.to_owned(),
        },
        entry,
    ))
}

/// Whether free text gives the exact day of one of the case's release dates, in any common
/// way of writing a date ([`super::days::gives_day`]).
pub fn names_release_day(text: &str, case: &Case) -> bool {
    case.key_dates
        .iter()
        .filter(|k| k.kind.is_release())
        .any(|k| super::days::gives_day(text, k.date))
}

/// The ways the exact day of a date is written, folded.
pub fn release_day_forms(d: NaiveDate) -> Vec<String> {
    let suffix = match d.format("%-d").to_string().as_str() {
        "1" | "21" | "31" => "st",
        "2" | "22" => "nd",
        "3" | "23" => "rd",
        _ => "th",
    };
    [
        d.format("%-d %B %Y").to_string(),
        d.format(&format!("%-d{suffix} %B")).to_string(),
        d.format("%d/%m/%Y").to_string(),
        d.format("%-d/%-m/%Y").to_string(),
        d.format("%Y-%m-%d").to_string(),
    ]
    .iter()
    .map(|s| guard::fold(s))
    .collect()
}
