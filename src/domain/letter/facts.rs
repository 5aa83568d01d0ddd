//! What a letter may say: the disclosable facts, built only from the fields a letter is
//! allowed to carry, at the precision the recipient's chosen level allows.
//!
//! This struct is everything a template can see. It has no field for the offender's
//! location or prison number, another victim, a phone number or an email address, and a
//! release date in it is a month and a year: so no template, ours or a unit's, can put one
//! of those in a letter. The one piece of free text, a conversation's summary, is checked
//! before it gets here ([`super::compose`]) and the finished letter again ([`super::Guard`]).

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::enums::{InformationLevel, KeyDateKind, LicenceOutcome};
use crate::domain::model::{Case, LicenceRequest};

/// Everything a letter template may use. Every field is always present (absent facts are
/// `none` or an empty list), so a template that names a field that is not here fails when it
/// is loaded or rendered, never as a blank in a posted letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facts {
    pub letter: LetterFacts,
    pub unit: UnitFacts,
    pub recipient: RecipientFacts,
    pub needs: NeedsFacts,
    pub officer: OfficerFacts,
    pub offender: OffenderFacts,
    pub sentence: SentenceFacts,
    /// `release_month`, `annual` or `key_stages`.
    pub level: &'static str,
    /// The key date a `key_date` letter tells of.
    pub key_date: Option<DateFact>,
    /// The key dates ahead that the level covers, soonest first (never in an offer).
    pub dates: Vec<DateFact>,
    /// The first date ahead from which the offender could be released, if the level covers it.
    pub release: Option<DateFact>,
    /// The next parole hearing.
    pub hearing: Option<DateFact>,
    /// The licence conditions asked for, and what was decided.
    pub licence: Vec<LicenceFact>,
    /// The complaint a `complaint_ack` letter acknowledges.
    pub complaint: Option<ComplaintFact>,
    /// The call, visit or meeting a `written_follow_up` letter confirms.
    pub conversation: Option<ConversationFact>,
    /// The date of the first offer (for a second offer).
    pub first_offer: Option<String>,
    /// When the licence or sentence ends (for a closure letter).
    pub ending: Option<DateFact>,
    /// The letter explains the notification requirements for sexual offences: one about
    /// licence conditions, or about a release ahead, where the case has them
    /// (`sex_offender_notification`).
    pub notification: bool,
    /// What a `views_request` asks about, and by when.
    pub views: Option<ViewsFact>,
}

/// The purpose views are sought for (the task's `about`), and the day they are asked by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ViewsFact {
    pub about: Option<String>,
    pub by: Option<String>,
    /// The victim declined the scheme or opted out of it.
    pub said_no: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterFacts {
    /// The letter's kind (`initial_offer`, …).
    pub kind: &'static str,
    /// "24 November 2026".
    pub date: String,
    /// The unit's reference: the victim record's id.
    pub reference: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitFacts {
    /// The unit's name (the store's).
    pub name: String,
    /// Where a victim answers the unit (the configuration's): filled in as the letter is
    /// rendered.
    #[serde(flatten)]
    pub letterhead: Letterhead,
}

/// Where a victim answers the unit, from the configuration's `[unit]`: its return address,
/// phone and email, and where it points victims for support. Each is absent until the unit
/// sets it, so a template that names one the unit has not set is refused when it is loaded,
/// never a letter posted without a way to reply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Letterhead {
    /// The return address, a line each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Who else helps, and how to reach them: "Victim Support (0808 168 9111,
    /// victimsupport.org.uk), free and confidential".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support: Option<String>,
}

impl Letterhead {
    /// The template fields it gives (`unit.phone`), each with its key under `[unit]`.
    pub const FIELDS: [&'static str; 4] = ["address", "phone", "email", "support"];

    /// What `field` is, in words.
    pub fn what(field: &str) -> &'static str {
        match field {
            "address" => "return address (a list of lines)",
            "phone" => "phone number",
            "email" => "email address",
            _ => "support line (who else helps victims, and how to reach them)",
        }
    }

    /// Whether the unit has set `field` (one of [`Letterhead::FIELDS`]).
    pub fn has(&self, field: &str) -> bool {
        match field {
            "address" => !self.address.is_empty(),
            "phone" => self.phone.is_some(),
            "email" => self.email.is_some(),
            "support" => self.support.is_some(),
            _ => false,
        }
    }

    /// Every text of it a letter may carry: the one place a phone number, an email or an
    /// address other than the recipient's belongs in a letter.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.address
            .iter()
            .chain(&self.phone)
            .chain(&self.email)
            .chain(&self.support)
            .map(String::as_str)
    }

    /// What is wrong with it as the configuration sets it, if anything, with the key: a line
    /// each, of plain visible text; a phone number that is one; an email that is one.
    pub fn problem(&self) -> Option<(&'static str, String)> {
        if self.address.len() > 6 {
            return Some(("address", "[unit] address: at most 6 lines".into()));
        }
        for (key, text) in self
            .address
            .iter()
            .map(|l| ("address", l))
            .chain(self.phone.iter().map(|t| ("phone", t)))
            .chain(self.email.iter().map(|t| ("email", t)))
            .chain(self.support.iter().map(|t| ("support", t)))
        {
            if text.trim().is_empty() {
                return Some((key, format!("[unit] {key}: empty; leave it out instead")));
            }
            if text.chars().any(char::is_control) {
                return Some((
                    key,
                    format!(
                        "[unit] {key}: a control character (a line break, a terminal code); one line of plain text"
                    ),
                ));
            }
            if text.chars().count() > 200 {
                return Some((key, format!("[unit] {key}: longer than 200 characters")));
            }
        }
        if let Some(phone) = &self.phone {
            let digits = phone.chars().filter(char::is_ascii_digit).count();
            let plain = phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +()-".contains(c));
            if digits < 6 || !plain {
                return Some((
                    "phone",
                    "[unit] phone: not a phone number (digits, spaces, + ( ) - only)".into(),
                ));
            }
        }
        if let Some(email) = &self.email {
            let parts: Vec<&str> = email.split('@').collect();
            if parts.len() != 2
                || parts.iter().any(|p| p.is_empty())
                || email.contains(char::is_whitespace)
                || !parts[1].contains('.')
            {
                return Some(("email", "[unit] email: not an email address".into()));
            }
        }
        None
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecipientFacts {
    /// The name the letter is addressed to: always the recipient's own.
    pub name: String,
    /// `victim`, `next_of_kin`, `parent_carer` or `representative`.
    pub role: &'static str,
    /// The recipient's postal address, a line each (empty when none is recorded).
    pub address: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NeedsFacts {
    /// A language other than English the recipient needs: the letter offers a translation.
    pub language: Option<String>,
    pub large_print: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfficerFacts {
    pub name: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OffenderFacts {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentenceFacts {
    /// "standard determinate sentence".
    pub kind: &'static str,
    /// The day of sentence: said in open court.
    pub imposed_on: String,
}

/// A key date as the recipient may be told it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateFact {
    pub kind: &'static str,
    /// "conditional release date".
    pub label: &'static str,
    /// "March 2027" where only the month may be said, else "14 March 2027".
    pub when: String,
    pub month_only: bool,
    /// Before the letter's date.
    pub past: bool,
    /// The case records the date as not yet confirmed (`confirmed: false`): a letter says
    /// so, rather than give it as fixed.
    pub provisional: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenceFact {
    /// "no contact", "exclusion zone", …
    pub condition: &'static str,
    /// `pending`, `granted`, `refused`, `amended` or `withdrawn`.
    pub outcome: &'static str,
    pub requested_on: Option<String>,
    pub outcome_on: Option<String>,
    /// The condition as granted, in the decision's words (vlu's own `granted`), for a
    /// request granted or amended.
    pub granted: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintFact {
    pub received_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConversationFact {
    pub on: String,
    /// "phone call", "visit", "meeting" or "video call".
    pub how: &'static str,
    /// What was said, as the officer logged it.
    pub summary: String,
}

/// "14 March 2027".
pub fn day(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// "March 2027".
pub fn month(d: NaiveDate) -> String {
    d.format("%B %Y").to_string()
}

/// Whether a level covers a kind of key date: every kind for `key_stages`; the release
/// kinds for `release_month` and `annual` (FORMAT.md §3, `key_date`).
pub fn covers(level: InformationLevel, kind: KeyDateKind) -> bool {
    level == InformationLevel::KeyStages || kind.is_release()
}

/// Whether only the month of a date may be said: always for a release (victims are told the
/// month of release, not the day), and for every date to a `release_month` victim.
pub fn month_only(level: InformationLevel, kind: KeyDateKind) -> bool {
    level == InformationLevel::ReleaseMonth || kind.is_release()
}

/// A key date of `case` at the precision the level allows.
pub fn date_fact(
    case: &Case,
    level: InformationLevel,
    kind: KeyDateKind,
    date: NaiveDate,
    on: NaiveDate,
) -> DateFact {
    let month_only = month_only(level, kind);
    DateFact {
        kind: kind.as_str(),
        label: kind.label(),
        when: if month_only { month(date) } else { day(date) },
        month_only,
        past: date < on,
        provisional: case
            .key_dates
            .iter()
            .any(|k| k.kind == kind && k.date == date && k.confirmed == Some(false)),
    }
}

/// The key dates of a case that the level covers, from `on` onwards, soonest first
/// (`other` dates, which say nothing without their note, left out).
pub fn dates_ahead(case: &Case, level: InformationLevel, on: NaiveDate) -> Vec<DateFact> {
    let mut ahead: Vec<_> = case
        .key_dates
        .iter()
        .filter(|k| k.date >= on && k.kind != KeyDateKind::Other && covers(level, k.kind))
        .map(|k| (k.date, k.kind))
        .collect();
    ahead.sort();
    ahead.dedup();
    ahead
        .into_iter()
        .map(|(date, kind)| date_fact(case, level, kind, date, on))
        .collect()
}

/// The first date from `on` from which the offender could leave custody — a release date or
/// a date that licence conditions are asked for ahead of — among those the level covers.
pub fn release_ahead(case: &Case, level: InformationLevel, on: NaiveDate) -> Option<DateFact> {
    case.key_dates
        .iter()
        .filter(|k| {
            (k.kind.is_release() || KeyDateKind::LICENCE_TRIGGERS.contains(&k.kind))
                && k.kind != KeyDateKind::Release
                && k.date >= on
                && covers(level, k.kind)
        })
        .map(|k| (k.date, k.kind))
        .min()
        .map(|(date, kind)| date_fact(case, level, kind, date, on))
}

/// The first date of `kind` from `on`, else the last before it; `about` if the case has it.
pub fn pick_date(
    case: &Case,
    kind: KeyDateKind,
    about: Option<NaiveDate>,
    on: NaiveDate,
) -> Option<NaiveDate> {
    let dates: Vec<NaiveDate> = case.dates_of(kind).collect();
    if let Some(a) = about.filter(|a| dates.contains(a)) {
        return Some(a);
    }
    dates
        .iter()
        .filter(|d| **d >= on)
        .min()
        .or_else(|| dates.iter().max())
        .copied()
}

/// A licence request without its free-text details (which may name places and people).
pub fn licence_fact(r: &LicenceRequest) -> LicenceFact {
    LicenceFact {
        condition: r.condition.map_or("licence condition", |c| c.label()),
        outcome: r.outcome.unwrap_or(LicenceOutcome::Pending).as_str(),
        requested_on: r.requested_on.map(day),
        outcome_on: r.outcome_on.map(day),
        granted: r
            .granted
            .as_deref()
            .map(str::trim)
            .filter(|g| {
                !g.is_empty()
                    && matches!(
                        r.outcome,
                        Some(LicenceOutcome::Granted | LicenceOutcome::Amended)
                    )
            })
            .map(str::to_owned),
    }
}
