//! What the reminder rules need to know of a contact log, kept small. Every rule of
//! FORMAT.md §3 asks of the log only "is there such a contact on or after a date?", and for
//! each such question the latest date of that kind of contact is the whole answer. So a
//! victim's log folds into these facts, which the store keeps beside the log and updates on
//! every entry; the diary then never reads a log.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_with::{DeserializeAs, SerializeAs, serde_as};

use super::enums::{ByIndex, ContactKind, Direction, KeyDateKind};
use super::model::Contact;

/// A date as its day number (days from 1 January of year 1), for compact stored records:
/// four bytes to read instead of ten characters to parse.
pub struct DayNumber;

impl SerializeAs<NaiveDate> for DayNumber {
    fn serialize_as<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(date.num_days_from_ce())
    }
}

impl<'de> DeserializeAs<'de, NaiveDate> for DayNumber {
    fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let n = i32::deserialize(d)?;
        NaiveDate::from_num_days_from_ce_opt(n)
            .ok_or_else(|| serde::de::Error::custom(format!("day number {n} is out of range")))
    }
}

#[serde_as]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogFacts {
    /// The latest contact of kind `initial_offer`, in any direction.
    #[serde_as(as = "Option<DayNumber>")]
    pub initial_offer: Option<NaiveDate>,
    /// The latest `second_offer` contact, in any direction.
    #[serde_as(as = "Option<DayNumber>")]
    pub second_offer: Option<NaiveDate>,
    /// The latest outbound contact.
    #[serde_as(as = "Option<DayNumber>")]
    pub last_outbound: Option<NaiveDate>,
    /// The latest outbound letter or email.
    #[serde_as(as = "Option<DayNumber>")]
    pub last_written: Option<NaiveDate>,
    /// Outbound calls, visits, meetings and videos after `last_written`, not yet confirmed.
    #[serde_as(as = "Vec<DayNumber>")]
    pub unconfirmed: Vec<NaiveDate>,
    /// The latest `complaint_ack`, in any direction.
    #[serde_as(as = "Option<DayNumber>")]
    pub last_complaint_ack: Option<NaiveDate>,
    /// Inbound complaints after `last_complaint_ack`.
    #[serde_as(as = "Vec<DayNumber>")]
    pub open_complaints: Vec<NaiveDate>,
    /// For each key-date kind, the latest outbound contact about it.
    #[serde_as(as = "Vec<(ByIndex, DayNumber)>")]
    pub told: Vec<(KeyDateKind, NaiveDate)>,
    /// The latest outbound `vps` contact.
    #[serde_as(as = "Option<DayNumber>")]
    pub last_vps: Option<NaiveDate>,
    /// The latest outbound `licence_conditions` contact.
    #[serde_as(as = "Option<DayNumber>")]
    pub last_licence_conditions: Option<NaiveDate>,
    /// Whether a `closure` contact was logged.
    pub closure: bool,
    /// The latest inbound contact (the victim's word, of any kind).
    #[serde_as(as = "Option<DayNumber>")]
    pub last_inbound: Option<NaiveDate>,
    /// The latest `agency` contact, in any direction (a trace request, for one).
    #[serde_as(as = "Option<DayNumber>")]
    pub last_agency: Option<NaiveDate>,
    /// vlu's own: unwanted contacts from the offender the victim told of, not yet reported
    /// to two agencies (the prison and the Responsible Officer: a `risk_report` to each, on
    /// or after their day), each with the one agency reported to so far, if any.
    #[serde_as(as = "Vec<(DayNumber, _)>")]
    pub unreported: Vec<(NaiveDate, Option<String>)>,
    /// vlu's own: each agency a `risk_report` went to (folded; "" where it named none), with
    /// the latest day.
    #[serde_as(as = "Vec<(DayNumber, _)>")]
    pub reported_to: Vec<(NaiveDate, String)>,
    /// The latest `risk_report`.
    #[serde_as(as = "Option<DayNumber>")]
    pub last_risk_report: Option<NaiveDate>,
    /// vlu's own: risk reports no agency has answered yet, each with the agency it went to
    /// (`to`, folded): an `agency` contact on or after their day is the answer — one naming
    /// an agency (`to`) answers only the reports to that agency.
    #[serde_as(as = "Vec<(DayNumber, _)>")]
    pub unanswered_reports: Vec<(NaiveDate, Option<String>)>,
    /// vlu's own: the latest `agency` contact naming no agency, which answers any report.
    #[serde_as(as = "Option<DayNumber>")]
    pub last_unnamed_agency: Option<NaiveDate>,
    /// vlu's own: each `agency` contact naming its agency (folded): its latest day.
    #[serde_as(as = "Vec<(DayNumber, _)>")]
    pub named_agency: Vec<(NaiveDate, String)>,
    /// vlu's own: outcomes of key dates the unit received (an `outcome` contact not sent to
    /// the victim, naming its key date) that no outbound contact about that key date has told
    /// since, each with the day it came.
    #[serde_as(as = "Vec<(ByIndex, DayNumber)>")]
    pub untold_outcomes: Vec<(KeyDateKind, NaiveDate)>,
}

/// The agency a report went to, or an agency contact was with (`to`), folded: lower case,
/// one space between words.
fn agency(c: &Contact) -> Option<String> {
    let folded = super::text::fold_words(c.to.as_deref()?);
    (!folded.is_empty()).then_some(folded)
}

/// Whether an agency contact with `from` answers a report sent `to`: one naming no agency
/// answers any report, and any contact answers a report that named none.
fn answers(from: Option<&str>, to: Option<&str>) -> bool {
    match (from, to) {
        (Some(from), Some(to)) => from == to,
        _ => true,
    }
}

/// `name`'s latest day in `list`, kept as `on` if later (or added).
fn latest(list: &mut Vec<(NaiveDate, String)>, on: NaiveDate, name: String) {
    match list.iter_mut().find(|(_, n)| *n == name) {
        Some((d, _)) => *d = (*d).max(on),
        None => sorted_in(list, (on, name)),
    }
}

/// `item` put into `list` where its order says (the facts' lists are kept sorted).
fn sorted_in<T: Ord>(list: &mut Vec<T>, item: T) {
    let at = list.partition_point(|x| *x <= item);
    list.insert(at, item);
}

fn later(slot: &mut Option<NaiveDate>, on: NaiveDate) {
    if slot.is_none_or(|d| on > d) {
        *slot = Some(on);
    }
}

impl LogFacts {
    /// The facts of a whole log.
    pub fn of(contacts: &[Contact]) -> Self {
        let mut facts = Self::default();
        let log = corrected(contacts);
        for c in log.iter() {
            facts.add(c, &log);
        }
        facts
    }

    /// Folds in one more entry of `log` (in any order, but for a letter that follows a call,
    /// which must come after it, as it does in the log and by date).
    pub fn add(&mut self, c: &Contact, log: &[Contact]) {
        let outbound = c.direction == Direction::Outbound;
        match c.kind {
            ContactKind::InitialOffer => later(&mut self.initial_offer, c.on),
            ContactKind::SecondOffer => later(&mut self.second_offer, c.on),
            ContactKind::Agency => {
                later(&mut self.last_agency, c.on);
                let from = agency(c);
                self.unanswered_reports
                    .retain(|(d, to)| *d > c.on || !answers(from.as_deref(), to.as_deref()));
                match from {
                    None => later(&mut self.last_unnamed_agency, c.on),
                    Some(name) => latest(&mut self.named_agency, c.on, name),
                }
            }
            ContactKind::RiskReport => {
                later(&mut self.last_risk_report, c.on);
                let to = agency(c);
                let name = to.clone().unwrap_or_default();
                self.unreported.retain_mut(|(d, first)| {
                    if *d > c.on {
                        return true;
                    }
                    match first {
                        None => {
                            *first = Some(name.clone());
                            true
                        }
                        Some(one) => *one == name,
                    }
                });
                latest(&mut self.reported_to, c.on, name);
                let answered = self.last_unnamed_agency.is_some_and(|a| a >= c.on)
                    || self
                        .named_agency
                        .iter()
                        .any(|(d, name)| *d >= c.on && answers(Some(name), to.as_deref()));
                if !answered {
                    sorted_in(&mut self.unanswered_reports, (c.on, to));
                }
            }
            ContactKind::Outcome if !outbound => {
                if let Some(kind) = c.key_date
                    && self.told_about(kind).is_none_or(|t| t < c.on)
                {
                    sorted_in(&mut self.untold_outcomes, (kind, c.on));
                }
            }
            ContactKind::UnwantedContact => {
                // Each agency is in `reported_to` once: two there since are two agencies.
                let mut since = self.reported_to.iter().filter(|(d, _)| *d >= c.on);
                let first = since.next().map(|(_, name)| name.clone());
                if since.next().is_none() {
                    sorted_in(&mut self.unreported, (c.on, first));
                }
            }
            ContactKind::Closure => self.closure = true,
            ContactKind::ComplaintAck => {
                later(&mut self.last_complaint_ack, c.on);
                self.open_complaints.retain(|d| *d > c.on);
            }
            ContactKind::Complaint
                if c.is_complaint() && self.last_complaint_ack.is_none_or(|a| a < c.on) =>
            {
                sorted_in(&mut self.open_complaints, c.on);
            }
            ContactKind::Vps if outbound => later(&mut self.last_vps, c.on),
            ContactKind::LicenceConditions if outbound => {
                later(&mut self.last_licence_conditions, c.on);
            }
            _ => {}
        }
        if c.direction == Direction::Inbound {
            later(&mut self.last_inbound, c.on);
        }
        if !outbound {
            return;
        }
        later(&mut self.last_outbound, c.on);
        if let Some(kind) = c.key_date {
            self.untold_outcomes
                .retain(|(k, on)| *k != kind || *on > c.on);
            match self.told.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, d)) if *d >= c.on => {}
                Some((_, d)) => *d = c.on,
                None => {
                    sorted_in(&mut self.told, (kind, c.on));
                }
            }
        }
        if let Some((_, call)) = c.followed(log) {
            // It answers the call it names, and no other.
            if let Some(i) = self.unconfirmed.iter().position(|d| *d == call.on) {
                self.unconfirmed.remove(i);
            }
        } else if c.confirms_in_writing() {
            later(&mut self.last_written, c.on);
            self.unconfirmed.retain(|d| *d > c.on);
        } else if c.asks_written_follow_up() && self.last_written.is_none_or(|w| w < c.on) {
            sorted_in(&mut self.unconfirmed, c.on);
        }
    }

    /// The latest outbound contact about a kind of key date.
    pub fn told_about(&self, kind: KeyDateKind) -> Option<NaiveDate> {
        self.told.iter().find(|(k, _)| *k == kind).map(|(_, d)| *d)
    }
}

/// The log as its corrections say it should read: an entry a later correction names takes the
/// kind and the day the correction gives it (the latest correction of it, where there are
/// several). The log itself is never changed: the rules read it so.
pub fn corrected(contacts: &[Contact]) -> std::borrow::Cow<'_, [Contact]> {
    if contacts.iter().all(|c| c.corrects.is_none()) {
        return std::borrow::Cow::Borrowed(contacts);
    }
    let mut log = contacts.to_vec();
    for c in contacts {
        let Some(fix) = &c.corrects else { continue };
        let Some(entry) = fix.entry.checked_sub(1).and_then(|i| log.get_mut(i)) else {
            continue;
        };
        if let Some(kind) = fix.kind {
            entry.kind = kind;
        }
        if let Some(on) = fix.on {
            entry.on = on;
        }
    }
    std::borrow::Cow::Owned(log)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::Medium;

    fn c(on: &str, kind: ContactKind, method: Medium, direction: Direction) -> Contact {
        Contact {
            on: NaiveDate::parse_from_str(on, "%Y-%m-%d").unwrap(),
            at: None,
            kind,
            method,
            direction,
            summary: None,
            by: None,
            key_date: None,
            corrects: None,
            follows: None,
            to: None,
        }
    }

    #[test]
    fn a_correction_of_an_entrys_kind_reopens_what_it_answered() {
        let complaint = c(
            "2026-11-02",
            ContactKind::Complaint,
            Medium::Letter,
            Direction::Inbound,
        );
        let ack = c(
            "2026-11-04",
            ContactKind::ComplaintAck,
            Medium::Letter,
            Direction::Outbound,
        );
        let log = vec![complaint, ack];
        assert!(LogFacts::of(&log).open_complaints.is_empty());
        // The "acknowledgement" was in fact a note to file: the complaint is open again.
        let mut fix = c(
            "2026-11-05",
            ContactKind::Note,
            Medium::None,
            Direction::Internal,
        );
        fix.corrects = Some(crate::domain::model::Corrects {
            entry: 2,
            kind: Some(ContactKind::Note),
            on: None,
        });
        let corrected = [log.clone(), vec![fix]].concat();
        assert_eq!(
            LogFacts::of(&corrected).open_complaints,
            [NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()]
        );
        // A correction naming no entry of the log changes nothing.
        let mut stray = c(
            "2026-11-05",
            ContactKind::Note,
            Medium::None,
            Direction::Internal,
        );
        stray.corrects = Some(crate::domain::model::Corrects {
            entry: 9,
            kind: Some(ContactKind::Note),
            on: None,
        });
        assert!(
            LogFacts::of(&[log, vec![stray]].concat())
                .open_complaints
                .is_empty()
        );
    }

    #[test]
    fn the_order_of_entries_does_not_matter() {
        let log = vec![
            c(
                "2026-01-05",
                ContactKind::Update,
                Medium::Phone,
                Direction::Outbound,
            ),
            c(
                "2026-01-05",
                ContactKind::WrittenFollowUp,
                Medium::Letter,
                Direction::Outbound,
            ),
            c(
                "2026-02-01",
                ContactKind::Update,
                Medium::Visit,
                Direction::Outbound,
            ),
            c(
                "2026-02-10",
                ContactKind::Complaint,
                Medium::Email,
                Direction::Inbound,
            ),
            c(
                "2026-01-01",
                ContactKind::ComplaintAck,
                Medium::Letter,
                Direction::Outbound,
            ),
            Contact {
                key_date: Some(KeyDateKind::Crd),
                ..c(
                    "2025-12-01",
                    ContactKind::Update,
                    Medium::Email,
                    Direction::Outbound,
                )
            },
            Contact {
                key_date: Some(KeyDateKind::Crd),
                ..c(
                    "2025-11-01",
                    ContactKind::Update,
                    Medium::Email,
                    Direction::Outbound,
                )
            },
            c(
                "2025-10-01",
                ContactKind::SecondOffer,
                Medium::Letter,
                Direction::Outbound,
            ),
            c(
                "2025-06-01",
                ContactKind::SecondOffer,
                Medium::Letter,
                Direction::Outbound,
            ),
            c(
                "2026-01-20",
                ContactKind::Agency,
                Medium::Phone,
                Direction::Internal,
            ),
            c(
                "2025-12-20",
                ContactKind::Agency,
                Medium::Email,
                Direction::Internal,
            ),
        ];
        let facts = LogFacts::of(&log);
        let mut reversed = log.clone();
        reversed.reverse();
        assert_eq!(LogFacts::of(&reversed), facts);
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            facts.unconfirmed,
            [d("2026-02-01")],
            "the same-day letter confirms the January call"
        );
        assert_eq!(facts.open_complaints, [d("2026-02-10")]);
        assert_eq!(facts.told_about(KeyDateKind::Crd), Some(d("2025-12-01")));
        assert_eq!(facts.last_outbound, Some(d("2026-02-01")));
        assert_eq!(facts.second_offer, Some(d("2025-10-01")), "the latest");
        assert_eq!(facts.last_inbound, Some(d("2026-02-10")), "the complaint");
        assert_eq!(facts.last_agency, Some(d("2026-01-20")));
    }
}
