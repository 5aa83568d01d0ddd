//! Letters, as a model: who a letter goes to, what the recipient's chosen level allows it
//! to say, and the contact that records it as sent. Pure: the records and the date come in,
//! the facts a template may use come out (rendering is `crate::letters`).
//!
//! Who the letter goes to follows the record's role: the victim; the next of kin of a victim
//! who died (about their loss, never addressed to the person who died); the parent or carer
//! of a child victim; the representative the victim nominated (addressed to the
//! representative, about the person who nominated them). The greeting's name is always the
//! recipient's own, and a letter whose recipient has the offender's name, or one of their
//! aliases, is refused.

pub mod facts;
pub mod guard;

use chrono::NaiveDate;

use self::facts::{
    ComplaintFact, ConversationFact, Facts, LetterFacts, NeedsFacts, OffenderFacts,
    OfficerFacts, RecipientFacts, SentenceFacts, UnitFacts, covers, date_fact, day, dates_ahead,
    licence_fact, month, pick_date, release_ahead,
};
pub use self::guard::{Forbidden, Guard, address_lines, same_name};
use crate::domain::enums::{
    ContactKind, Direction, InformationLevel, KeyDateKind, LetterKind, Medium, OfficerRole,
    VictimRole, VictimStatus,
};
use crate::domain::model::{Case, Contact, ContactDetails, Officer, Victim};

/// Days either side of a sensitive date within which a letter's date is warned about.
const SENSITIVE_MARGIN: u32 = 3;

/// What is asked for: a kind of letter, dated `date`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterRequest {
    pub kind: LetterKind,
    pub date: NaiveDate,
    /// The key date a `key_date` letter is about (required for that kind).
    pub key_date: Option<KeyDateKind>,
    /// The date the letter answers, from a diary reminder: which key date, call or complaint.
    pub about: Option<NaiveDate>,
    /// Which entry of the log (its index) a follow-up confirms or an acknowledgement answers.
    pub contact: Option<usize>,
}

impl LetterRequest {
    pub fn new(kind: LetterKind, date: NaiveDate) -> Self {
        Self {
            kind,
            date,
            key_date: None,
            about: None,
            contact: None,
        }
    }
}

/// The records a letter is made from.
#[derive(Debug, Clone, Copy)]
pub struct LetterInput<'a> {
    /// The victim's record, whole, with its log.
    pub victim: &'a Victim,
    pub case: &'a Case,
    /// The case's other victims, whole: none of them may be named or reachable from the letter.
    pub others: &'a [Victim],
    /// The officer who signs the letter.
    pub officer: Option<&'a Officer>,
    pub unit: Option<&'a str>,
}

/// A letter ready to render: its facts, what the officer should know before sending it, the
/// log entry that records it as sent, and the guard its text must pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub kind: LetterKind,
    pub victim: String,
    pub facts: Facts,
    /// Sentences for the officer (never in the letter): "no postal address is recorded", …
    pub warnings: Vec<String>,
    /// The outbound letter to log when it is sent.
    pub record: Contact,
    pub guard: Guard,
}

/// Why a letter cannot be written. Messages name records by id, never by an address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LetterError {
    #[error(
        "the letter for {victim} would be addressed to the offender: the recipient's name is the offender's name or one of their aliases in case {case}; correct the record first"
    )]
    OffenderName { victim: String, case: String },
    #[error(
        "{victim} {status} contact; nobody who said no is written to again unless they ask (only a complaint is acknowledged)"
    )]
    SaidNo {
        victim: String,
        status: &'static str,
    },
    #[error("a key_date letter needs the key date's kind: --key-date KIND (crd, parole_hearing, …)")]
    KeyDateNeeded,
    #[error("case {case} has no {kind} date to tell {victim} of")]
    NoKeyDate {
        victim: String,
        case: String,
        kind: &'static str,
    },
    #[error(
        "{victim} chose to hear {level}; the {kind} is not among what they asked to be told"
    )]
    NotCovered {
        victim: String,
        level: &'static str,
        kind: &'static str,
    },
    #[error(
        "{victim}'s log has no call, visit or meeting to confirm in writing; log it first, or name an entry with --contact"
    )]
    NoConversation { victim: String },
    #[error("{victim}'s log has no entry {entry}")]
    NoSuchEntry { victim: String, entry: usize },
    #[error(
        "entry {entry} of {victim}'s log is {what}, not a call, visit or meeting to confirm in writing"
    )]
    NotSpoken {
        victim: String,
        entry: usize,
        what: String,
    },
    #[error("the {how} of {on} with {victim} has no summary to confirm in writing")]
    NoSummary {
        victim: String,
        how: &'static str,
        on: NaiveDate,
    },
    #[error(
        "the summary of the {how} of {on} gives the exact day of a release, which no letter says (only its month); write this letter by hand"
    )]
    ReleaseDayInSummary { how: &'static str, on: NaiveDate },
    #[error(
        "the {kind} letter for {victim} would give {}; it was not made (write this one by hand, or correct the record it comes from)",
        .what.what()
    )]
    Forbidden {
        kind: &'static str,
        victim: String,
        what: Forbidden,
    },
}

/// The person a letter goes to: their name, and their postal address as lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub name: String,
    pub address: Vec<String>,
}

impl Recipient {
    /// Who a record's letters go to. For a nominated representative, the representative's
    /// own name and address where recorded; for every other role, the person the record names.
    pub fn of(v: &Victim) -> Self {
        let own = v.contact_details.as_ref().and_then(|d| d.address.as_deref());
        let (name, address) = match (v.role, v.representative.as_deref()) {
            (VictimRole::Representative, Some(r)) => (
                r.name
                    .as_deref()
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or(&v.name),
                r.contact_details
                    .as_ref()
                    .and_then(|d| d.address.as_deref())
                    .or(own),
            ),
            _ => (v.name.as_str(), own),
        };
        Self {
            name: name.trim().to_owned(),
            address: address.map(address_lines).unwrap_or_default(),
        }
    }
}

/// Whether a name is the offender's name or one of their aliases.
pub fn is_offender(name: &str, case: &Case) -> bool {
    std::iter::once(&case.offender.name)
        .chain(&case.offender.aliases)
        .any(|n| same_name(n, name))
}

/// A spoken contact: one that is confirmed in writing.
fn spoken(c: &Contact) -> bool {
    c.method.needs_written_follow_up() && c.direction != Direction::Internal
}

fn how(m: Medium) -> &'static str {
    match m {
        Medium::Phone => "phone call",
        Medium::Visit => "visit",
        Medium::Meeting => "meeting",
        Medium::Video => "video call",
        Medium::Letter => "letter",
        Medium::Email => "email",
        Medium::None => "note",
    }
}

/// The facts every letter has, before its kind adds its own.
fn common(input: &LetterInput<'_>, req: &LetterRequest, recipient: &Recipient) -> Facts {
    let v = input.victim;
    let needs = v.needs.as_deref();
    let language = needs
        .and_then(|n| n.language.as_deref())
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.eq_ignore_ascii_case("english"))
        .map(str::to_owned);
    let large_print = needs
        .and_then(|n| n.notes.as_deref())
        .is_some_and(asks_large_print);
    let officer = input.officer.map_or_else(
        || OfficerFacts {
            name: String::new(),
            title: String::new(),
        },
        |o| OfficerFacts {
            name: o.name.clone(),
            title: match o.role {
                Some(OfficerRole::Manager) => "Victim Liaison Unit Manager",
                Some(OfficerRole::Admin) => "Victim Liaison Unit",
                _ => "Victim Liaison Officer",
            }
            .to_owned(),
        },
    );
    Facts {
        letter: LetterFacts {
            kind: req.kind.as_str(),
            date: day(req.date),
            reference: v.id.clone(),
        },
        unit: UnitFacts {
            name: input
                .unit
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .unwrap_or("Victim Liaison Unit")
                .to_owned(),
        },
        recipient: RecipientFacts {
            name: recipient.name.clone(),
            role: v.role.as_str(),
            address: recipient.address.clone(),
        },
        needs: NeedsFacts {
            language,
            large_print,
        },
        officer,
        offender: OffenderFacts {
            name: input.case.offender.name.trim().to_owned(),
        },
        sentence: SentenceFacts {
            kind: input.case.sentence.kind.label(),
            imposed_on: day(input.case.sentence.imposed_on),
        },
        level: v.information().as_str(),
        key_date: None,
        dates: Vec::new(),
        release: None,
        hearing: None,
        licence: Vec::new(),
        complaint: None,
        conversation: None,
        first_offer: None,
        ending: None,
    }
}

/// Whether a needs note asks for large print ("large print", "large-print", "large type").
pub fn asks_large_print(notes: &str) -> bool {
    let n = notes.to_lowercase().replace('-', " ");
    let n = guard::fold(&n);
    n.contains("large print") || n.contains("large type")
}

/// Makes the facts of a letter, and the log entry that records it, signed by `by` (an
/// officer id) when it is logged.
pub fn compose(
    input: &LetterInput<'_>,
    req: &LetterRequest,
    by: Option<&str>,
) -> Result<Composed, LetterError> {
    let v = input.victim;
    let case = input.case;
    let recipient = Recipient::of(v);
    if is_offender(&recipient.name, case) || is_offender(&v.name, case) {
        return Err(LetterError::OffenderName {
            victim: v.id.clone(),
            case: case.id.clone(),
        });
    }
    if matches!(v.status, VictimStatus::Declined | VictimStatus::OptedOut)
        && req.kind != LetterKind::ComplaintAck
    {
        return Err(LetterError::SaidNo {
            victim: v.id.clone(),
            status: if v.status == VictimStatus::Declined {
                "declined"
            } else {
                "opted out of"
            },
        });
    }
    let mut facts = common(input, req, &recipient);
    let mut warnings = Vec::new();
    let mut record_key_date = None;
    let summary = kind_facts(input, req, &mut facts, &mut warnings, &mut record_key_date)?;
    warnings.extend(general_warnings(input, req, &recipient));
    let record = Contact {
        on: req.date,
        at: None,
        kind: req.kind.contact_kind(),
        method: Medium::Letter,
        direction: Direction::Outbound,
        summary: Some(summary),
        by: by.map(str::to_owned),
        key_date: record_key_date,
    };
    let officer_details = input.officer.map(|o| ContactDetails {
        address: None,
        phone: o.phone.clone(),
        email: o.email.clone(),
    });
    let guard = Guard::new(
        v,
        case,
        input.others,
        officer_details.as_ref(),
        &recipient.name,
        &recipient.address,
    );
    Ok(Composed {
        kind: req.kind,
        victim: v.id.clone(),
        facts,
        warnings,
        record,
        guard,
    })
}

/// The facts of the letter's own kind; returns the log entry's summary.
fn kind_facts(
    input: &LetterInput<'_>,
    req: &LetterRequest,
    facts: &mut Facts,
    warnings: &mut Vec<String>,
    record_key_date: &mut Option<KeyDateKind>,
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
            facts.first_offer = v
                .contacts
                .iter()
                .filter(|c| c.kind == ContactKind::InitialOffer && c.on <= on)
                .map(|c| c.on)
                .max()
                .map(day);
            if facts.first_offer.is_none() {
                warnings.push("No first offer is logged.".to_owned());
            }
            "Second offer letter sent.".to_owned()
        }
        LetterKind::AnnualLetter => {
            facts.dates = dates_ahead(case, level, on);
            facts.release = release_ahead(case, level, on);
            if level == InformationLevel::ReleaseMonth {
                warnings.push(format!(
                    "{} chose to hear only the month of release; an annual letter is not among what they asked for.",
                    v.id
                ));
            }
            "Annual letter sent.".to_owned()
        }
        LetterKind::KeyDate => {
            let kind = req.key_date.ok_or(LetterError::KeyDateNeeded)?;
            if !covers(level, kind) {
                return Err(LetterError::NotCovered {
                    victim: v.id.clone(),
                    level: level.label(),
                    kind: kind.label(),
                });
            }
            let date = pick_date(case, kind, req.about, on).ok_or_else(|| {
                LetterError::NoKeyDate {
                    victim: v.id.clone(),
                    case: case.id.clone(),
                    kind: kind.label(),
                }
            })?;
            let fact = date_fact(level, kind, date, on);
            if fact.month_only && !kind.is_release() {
                warnings.push(format!("{} hears only months: the letter gives {}.", v.id, month(date)));
            }
            let said = format!("Letter telling of the {}: {}.", kind.label(), fact.when);
            facts.key_date = Some(fact);
            facts.release = release_ahead(case, level, on);
            *record_key_date = Some(kind);
            said
        }
        LetterKind::VpsOffer => {
            let hearing = pick_date(case, KeyDateKind::ParoleHearing, req.about, on)
                .filter(|d| *d >= on || req.about == Some(*d));
            facts.hearing =
                hearing.map(|d| date_fact(level, KeyDateKind::ParoleHearing, d, on));
            if hearing.is_none() {
                warnings.push(format!(
                    "Case {} has no parole hearing ahead: the letter says a date has not been set.",
                    case.id
                ));
            } else {
                *record_key_date = Some(KeyDateKind::ParoleHearing);
            }
            "Letter offering the chance to write a victim personal statement.".to_owned()
        }
        LetterKind::LicenceConditions => {
            facts.release = release_ahead(case, level, on);
            facts.licence = v.licence_requests.iter().map(licence_fact).collect();
            "Letter about asking for licence conditions.".to_owned()
        }
        LetterKind::LicenceOutcome => {
            facts.licence = v.licence_requests.iter().map(licence_fact).collect();
            facts.release = release_ahead(case, level, on);
            if v.licence_requests.is_empty() {
                warnings.push(format!(
                    "No licence conditions are recorded as asked for by {}: the letter says no decision has been made yet.",
                    v.id
                ));
            } else if facts.licence.iter().all(|l| l.outcome == "pending") {
                warnings.push(
                    "No decision is recorded yet: the letter says the requests are still being considered."
                        .to_owned(),
                );
            }
            "Letter telling the outcome of the licence conditions asked for.".to_owned()
        }
        LetterKind::ComplaintAck => {
            let complaint = pick_entry(v, req, |c| {
                c.kind == ContactKind::Complaint && c.direction == Direction::Inbound
            })?;
            facts.complaint = complaint.map(|c| ComplaintFact {
                received_on: day(c.on),
            });
            if complaint.is_none() {
                warnings.push("No complaint is logged: the letter gives no date for it.".to_owned());
            }
            "Letter acknowledging the complaint.".to_owned()
        }
        LetterKind::WrittenFollowUp => {
            let conversation = conversation(input, req)?;
            let said = format!(
                "Letter confirming the {} of {}.",
                conversation.how, conversation.on
            );
            facts.conversation = Some(conversation);
            said
        }
        LetterKind::CaseClosure => {
            facts.ending = [KeyDateKind::Led, KeyDateKind::Sed]
                .into_iter()
                .flat_map(|k| case.dates_of(k).map(move |d| (d, k)))
                .max()
                .map(|(d, k)| date_fact(level, k, d, on));
            "Letter closing contact at the end of the sentence.".to_owned()
        }
    };
    Ok(summary)
}

/// The entry of the log a letter answers: the one named (by index), else the latest that
/// `fits` on the reminder's date, else the latest that fits on or before the letter's date.
fn pick_entry<'v>(
    v: &'v Victim,
    req: &LetterRequest,
    fits: impl Fn(&Contact) -> bool,
) -> Result<Option<&'v Contact>, LetterError> {
    if let Some(i) = req.contact {
        return v
            .contacts
            .get(i)
            .map(Some)
            .ok_or(LetterError::NoSuchEntry {
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

/// The call, visit or meeting a written follow-up confirms, with its summary checked.
fn conversation(input: &LetterInput<'_>, req: &LetterRequest) -> Result<ConversationFact, LetterError> {
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
    Ok(ConversationFact {
        on: day(c.on),
        how: how(c.method),
        summary: summary.to_owned(),
    })
}

/// Whether free text gives the exact day of one of the case's release dates, as a letter or
/// a person would write it ("22 December 2026", "22/12/2026", "2026-12-22", "22nd December").
pub fn names_release_day(text: &str, case: &Case) -> bool {
    let folded = guard::fold(text);
    case.key_dates
        .iter()
        .filter(|k| k.kind.is_release())
        .any(|k| {
            release_day_forms(k.date)
                .iter()
                .any(|f| folded.contains(f.as_str()))
        })
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

/// What the officer should know before sending any letter.
fn general_warnings(input: &LetterInput<'_>, req: &LetterRequest, recipient: &Recipient) -> Vec<String> {
    let v = input.victim;
    let mut out = Vec::new();
    let offer = matches!(req.kind, LetterKind::InitialOffer | LetterKind::SecondOffer);
    let for_opted_in = !offer
        && !matches!(
            req.kind,
            LetterKind::ComplaintAck | LetterKind::WrittenFollowUp | LetterKind::CaseClosure
        );
    if offer && !matches!(v.status, VictimStatus::Referred | VictimStatus::OfferSent) {
        out.push(format!(
            "{} is {}: an offer is usually sent before a reply.",
            v.id,
            v.status.label()
        ));
    }
    if for_opted_in && v.status != VictimStatus::OptedIn {
        out.push(format!(
            "{} is {}, not opted in: this letter is for someone who has opted in.",
            v.id,
            v.status.label()
        ));
    }
    if let Some(closed) = input.case.closed_on {
        out.push(format!("Case {} was closed on {}.", input.case.id, day(closed)));
    }
    if recipient.address.is_empty() {
        out.push("No postal address is recorded for the recipient: send it by email or by hand.".to_owned());
    }
    if let Some(label) = crate::domain::reminders::sensitive_label(v, req.date, SENSITIVE_MARGIN) {
        out.push(format!(
            "The letter is dated within {SENSITIVE_MARGIN} days of a sensitive date ({label})."
        ));
    }
    out
}

#[cfg(test)]
mod tests;
