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

mod days;
pub mod facts;
pub mod guard;
mod kinds;
pub mod names;

use chrono::NaiveDate;

use self::facts::{
    Facts, LetterFacts, NeedsFacts, OffenderFacts, OfficerFacts, RecipientFacts, SentenceFacts,
    UnitFacts, day,
};
pub use self::guard::{Forbidden, Guard, address_lines, same_name};
use self::kinds::{Draft, kind_facts};
pub use self::kinds::{names_release_day, release_day_forms};
use crate::domain::enums::{
    Direction, KeyDateKind, LetterKind, Medium, OfficerRole, VictimRole, VictimStatus,
};
use crate::domain::model::{Case, Contact, Officer, Victim};

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
    #[error(
        "a key_date letter needs the key date's kind: --key-date KIND (crd, parole_hearing, …)"
    )]
    KeyDateNeeded,
    #[error(
        "{victim} has no open views_sought task: a request for views goes only for the purpose a task records (the casework form, v)"
    )]
    NoViewsSought { victim: String },
    #[error("case {case} has no {kind} date to tell {victim} of")]
    NoKeyDate {
        victim: String,
        case: String,
        kind: &'static str,
    },
    #[error(
        "{victim} chose to hear {level}; the {kind} is not among what they asked to be told (unless a disclosure_decision task about it is done and approved)"
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
        let own = v
            .contact_details
            .as_ref()
            .and_then(|d| d.address.as_deref());
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
            letterhead: facts::Letterhead::default(),
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
        notification: false,
        views: None,
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
    // A views request goes only where views are being sought, and, for that purpose alone,
    // may go to a victim who said no to the scheme (spec row 29).
    if req.kind == LetterKind::ViewsRequest && v.views_sought().is_none() {
        return Err(LetterError::NoViewsSought {
            victim: v.id.clone(),
        });
    }
    if v.status.said_no() && !req.kind.to_one_who_said_no() {
        return Err(LetterError::SaidNo {
            victim: v.id.clone(),
            status: if v.status == VictimStatus::Declined {
                "declined"
            } else {
                "opted out of"
            },
        });
    }
    let mut draft = Draft {
        facts: common(input, req, &recipient),
        warnings: Vec::new(),
        key_date: None,
        follows: None,
    };
    let summary = kind_facts(input, req, &mut draft)?;
    draft
        .warnings
        .extend(general_warnings(input, req, &recipient));
    let record = Contact {
        on: req.date,
        at: None,
        kind: req.kind.contact_kind(),
        method: Medium::Letter,
        direction: Direction::Outbound,
        summary: Some(summary),
        by: by.map(str::to_owned),
        key_date: draft.key_date,
        corrects: None,
        follows: draft.follows,
        to: None,
    };
    let mut guard = Guard::new(
        v,
        case,
        input.others,
        input.officer,
        &recipient.name,
        &recipient.address,
    );
    guard.allow_days(
        [req.date, case.sentence.imposed_on]
            .into_iter()
            .chain(v.contacts.iter().map(|c| c.on))
            .chain(v.licence_requests.iter().filter_map(|r| r.requested_on))
            .chain(v.licence_requests.iter().filter_map(|r| r.outcome_on))
            .chain(
                case.key_dates
                    .iter()
                    .filter(|k| !k.kind.is_release())
                    .map(|k| k.date),
            ),
    );
    Ok(Composed {
        kind: req.kind,
        victim: v.id.clone(),
        facts: draft.facts,
        warnings: draft.warnings,
        record,
        guard,
    })
}

/// What the officer should know before sending any letter.
fn general_warnings(
    input: &LetterInput<'_>,
    req: &LetterRequest,
    recipient: &Recipient,
) -> Vec<String> {
    let v = input.victim;
    let mut out = Vec::new();
    let offer = matches!(req.kind, LetterKind::InitialOffer | LetterKind::SecondOffer);
    let for_opted_in = !offer
        && !matches!(
            req.kind,
            LetterKind::ComplaintAck
                | LetterKind::WrittenFollowUp
                | LetterKind::CaseClosure
                | LetterKind::ViewsRequest
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
        out.push(format!(
            "Case {} was closed on {}.",
            input.case.id,
            day(closed)
        ));
    }
    if recipient.address.is_empty() {
        out.push(
            "No postal address is recorded for the recipient: send it by email or by hand."
                .to_owned(),
        );
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
