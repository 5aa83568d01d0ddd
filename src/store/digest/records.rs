//! The digest's records: what the diary and the caseload list need of one victim or one
//! case, made from the full record and back into a partial one, and the shard an id falls in.
//! Plain data: how they are kept in the store is the digest's (`super`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_with::serde_as;

use crate::domain::enums::{
    ByIndex, ContactMethod, DiscretionaryDecision, Eligibility, InformationLevel, KeyDateKind,
    LicenceCondition, LicenceOutcome, OffenceCategory, SentenceKind, TaskKind, VictimRole,
    VictimStatus,
};
use crate::domain::facts::{DayNumber, LogFacts};
use crate::domain::model::{
    Case, Child, Complaint, Discretionary, KeyDate, LicenceRequest, MovedAway, Offence, Offender,
    Preferences, Representative, RestrictedPatient, Risk, SensitiveDate, Sentence, Task, Transfer,
    Victim, Vps,
};

/// The shard (of 256) an id belongs to, by FNV-1a: a write rewrites one shard (about 400
/// victims at 100,000), a full read reads them all. Stable across versions: changing it
/// needs a migration.
pub fn shard_of(id: &str) -> u8 {
    let mut hash: u32 = 0x811c_9dc5;
    for b in id.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash.to_le_bytes()[0] ^ hash.to_le_bytes()[2]
}

/// A licence request without its free-text details: condition, asked on, outcome, on.
type LicenceDigest = (
    Option<LicenceCondition>,
    Option<NaiveDate>,
    Option<LicenceOutcome>,
    Option<NaiveDate>,
);

type PreferencesDigest = (
    Option<ContactMethod>,
    Option<InformationLevel>,
    Option<bool>,
);

/// A victim as the rules and the caseload list see it, with its log facts.
#[serde_as]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VictimDigest {
    pub(super) id: String,
    pub(super) case_id: String,
    name: String,
    #[serde_as(as = "ByIndex")]
    role: VictimRole,
    #[serde_as(as = "ByIndex")]
    eligibility: Eligibility,
    #[serde_as(as = "DayNumber")]
    referred_on: NaiveDate,
    #[serde_as(as = "ByIndex")]
    status: VictimStatus,
    #[serde_as(as = "DayNumber")]
    status_since: NaiveDate,
    allocated_to: Option<String>,
    #[serde_as(as = "Option<(Option<ByIndex>, Option<ByIndex>, _)>")]
    preferences: Option<PreferencesDigest>,
    /// Whether there is a representative, and their name (searched by).
    #[allow(
        clippy::option_option,
        reason = "a representative with no name on record is not no representative"
    )]
    representative: Option<Option<String>>,
    #[serde_as(
        as = "Vec<(Option<ByIndex>, Option<DayNumber>, Option<ByIndex>, Option<DayNumber>)>"
    )]
    licence_requests: Vec<LicenceDigest>,
    #[serde_as(as = "Vec<(Option<DayNumber>, _, _)>")]
    sensitive_dates: Vec<(Option<NaiveDate>, Option<String>, Option<bool>)>,
    pub(super) facts: LogFacts,
    /// vlu's own casework sections, where the victim has any (schema 6).
    casework: Option<Box<VictimCasework>>,
}

type Day = Option<NaiveDate>;

/// What the rules read of a victim's own casework sections (schema 6): the VPS's offer,
/// submission and refusal; each complaint's receipt, acknowledgement and answer; the move
/// away.
#[serde_as]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct VictimCasework {
    #[serde_as(as = "Option<(Option<DayNumber>, Option<DayNumber>, Option<DayNumber>)>")]
    vps: Option<(Day, Day, Day)>,
    /// A VPS's request for non-disclosure: when asked, and whether decided (schema 10).
    #[serde_as(as = "Option<(Option<DayNumber>, _)>")]
    non_disclosure: Option<(Day, bool)>,
    #[serde_as(as = "Vec<(Option<DayNumber>, Option<DayNumber>, Option<DayNumber>)>")]
    complaints: Vec<(Day, Day, Day)>,
    #[serde_as(as = "Option<Option<DayNumber>>")]
    #[allow(
        clippy::option_option,
        reason = "a move away with no date on record is still a move away"
    )]
    moved_away: Option<Day>,
    /// A risk on record, and the day it was recorded (the caseload marks the victim).
    #[serde_as(as = "Option<Option<DayNumber>>")]
    #[allow(
        clippy::option_option,
        reason = "a risk with no date on record is still a risk"
    )]
    risk: Option<Day>,
    /// Each task's kind, opened, due and done days, key date and answer (schema 10).
    #[serde_as(
        as = "Vec<(Option<ByIndex>, Option<DayNumber>, Option<DayNumber>, Option<DayNumber>, Option<ByIndex>, _)>"
    )]
    tasks: Vec<TaskDigest>,
    /// A discretionary request's decision and its day (schema 10).
    #[serde_as(as = "Option<(Option<ByIndex>, Option<DayNumber>)>")]
    discretionary: Option<(Option<DiscretionaryDecision>, Day)>,
    /// A child victim's birthday and the day they were offered the scheme at 18 (schema 10).
    #[serde_as(as = "Option<(Option<DayNumber>, Option<DayNumber>)>")]
    child: Option<(Day, Day)>,
}

/// A task without its words: kind, opened, due, done, key date, answer.
type TaskDigest = (
    Option<TaskKind>,
    Day,
    Day,
    Day,
    Option<KeyDateKind>,
    Option<bool>,
);

impl VictimCasework {
    fn of(v: &Victim) -> Option<Box<Self>> {
        if v.vps.is_none()
            && v.complaints.is_empty()
            && v.moved_away.is_none()
            && v.risk.is_none()
            && v.tasks.is_empty()
            && v.discretionary.is_none()
            && v.child.is_none()
        {
            return None;
        }
        Some(Box::new(Self {
            vps: v
                .vps
                .as_deref()
                .map(|p| (p.offered_on, p.submitted_on, p.declined_on)),
            non_disclosure: v.vps.as_deref().map(|p| {
                let decided =
                    p.non_disclosure_decided_on.is_some() || p.non_disclosure_decision.is_some();
                (p.non_disclosure_asked_on, decided)
            }),
            complaints: v
                .complaints
                .iter()
                .map(|c| (c.received_on, c.acknowledged_on, c.answered_on))
                .collect(),
            moved_away: v.moved_away.as_deref().map(|m| m.on),
            risk: v.risk.as_deref().map(|r| r.recorded_on),
            tasks: v
                .tasks
                .iter()
                .map(|t| {
                    (
                        t.kind,
                        t.opened_on,
                        t.due_on,
                        t.done_on,
                        t.key_date,
                        t.agreed,
                    )
                })
                .collect(),
            discretionary: v
                .discretionary
                .as_deref()
                .map(|d| (d.decision, d.decided_on)),
            child: v.child.as_deref().map(|c| (c.born_on, c.offered_on)),
        }))
    }

    /// Puts the sections back into a partial victim.
    fn into_victim(self, v: &mut Victim) {
        let (asked, decided) = self.non_disclosure.unwrap_or_default();
        v.vps = self.vps.map(|(offered_on, submitted_on, declined_on)| {
            Box::new(Vps {
                offered_on,
                declined_on,
                submitted_on,
                non_disclosure_asked_on: asked,
                // Decided, on a day the rules need not know: the chase has ended.
                non_disclosure_decided_on: if decided { asked } else { None },
                ..Vps::default()
            })
        });
        v.tasks = self
            .tasks
            .into_iter()
            .map(
                |(kind, opened_on, due_on, done_on, key_date, agreed)| Task {
                    kind,
                    opened_on,
                    due_on,
                    done_on,
                    key_date,
                    agreed,
                    ..Task::default()
                },
            )
            .collect();
        v.discretionary = self.discretionary.map(|(decision, decided_on)| {
            Box::new(Discretionary {
                decision,
                decided_on,
                ..Discretionary::default()
            })
        });
        v.child = self.child.map(|(born_on, offered_on)| {
            Box::new(Child {
                born_on,
                offered_on,
            })
        });
        v.complaints = self
            .complaints
            .into_iter()
            .map(|(received_on, acknowledged_on, answered_on)| Complaint {
                received_on,
                acknowledged_on,
                answered_on,
                ..Complaint::default()
            })
            .collect();
        v.moved_away = self
            .moved_away
            .map(|on| Box::new(MovedAway { on, to: None }));
        v.risk = self.risk.map(|recorded_on| {
            Box::new(Risk {
                recorded_on,
                ..Risk::default()
            })
        });
    }
}

impl VictimDigest {
    pub fn of(v: &Victim, facts: LogFacts) -> Self {
        Self {
            id: v.id.clone(),
            case_id: v.case_id.clone(),
            name: v.name.clone(),
            role: v.role,
            eligibility: v.eligibility,
            referred_on: v.referred_on,
            status: v.status,
            status_since: v.status_since,
            allocated_to: v.allocated_to.clone(),
            preferences: v
                .preferences
                .as_ref()
                .map(|p| (p.method, p.information, p.written_follow_up)),
            representative: v.representative.as_ref().map(|r| r.name.clone()),
            licence_requests: v
                .licence_requests
                .iter()
                .map(|r| (r.condition, r.requested_on, r.outcome, r.outcome_on))
                .collect(),
            sensitive_dates: v
                .sensitive_dates
                .iter()
                .map(|s| (s.date, s.label.clone(), s.yearly))
                .collect(),
            facts,
            casework: VictimCasework::of(v),
        }
    }

    /// The partial victim (no contact details, needs, equality data or log) and its facts.
    pub fn into_parts(self) -> (Victim, LogFacts) {
        let mut victim = Victim {
            id: self.id,
            case_id: self.case_id,
            name: self.name,
            role: self.role,
            eligibility: self.eligibility,
            referred_on: self.referred_on,
            status: self.status,
            status_since: self.status_since,
            allocated_to: self.allocated_to,
            contact_details: None,
            preferences: self
                .preferences
                .map(|(method, information, written_follow_up)| Preferences {
                    method,
                    information,
                    written_follow_up,
                }),
            needs: None,
            representative: self.representative.map(|name| {
                Box::new(Representative {
                    name,
                    ..Representative::default()
                })
            }),
            equality: None,
            licence_requests: self
                .licence_requests
                .into_iter()
                .map(
                    |(condition, requested_on, outcome, outcome_on)| LicenceRequest {
                        condition,
                        details: None,
                        requested_on,
                        outcome,
                        outcome_on,
                        ..LicenceRequest::default()
                    },
                )
                .collect(),
            sensitive_dates: self
                .sensitive_dates
                .into_iter()
                .map(|(date, label, yearly)| SensitiveDate {
                    date,
                    label,
                    yearly,
                })
                .collect(),
            contacts: Vec::new(),
            vps: None,
            complaints: Vec::new(),
            moved_away: None,
            risk: None,
            tasks: Vec::new(),
            discretionary: None,
            child: None,
        };
        if let Some(casework) = self.casework {
            casework.into_victim(&mut victim);
        }
        (victim, self.facts)
    }
}

/// A case as the rules and the caseload list see it.
#[serde_as]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseDigest {
    pub(super) id: String,
    offender: String,
    aliases: Vec<String>,
    prison_number: Option<String>,
    #[serde_as(as = "ByIndex")]
    category: OffenceCategory,
    #[serde_as(as = "ByIndex")]
    sentence: SentenceKind,
    #[serde_as(as = "DayNumber")]
    imposed_on: NaiveDate,
    custodial_months: Option<u32>,
    #[serde_as(as = "Vec<(ByIndex, DayNumber, _)>")]
    key_dates: Vec<(KeyDateKind, NaiveDate, Option<bool>)>,
    #[serde_as(as = "Option<DayNumber>")]
    closed_on: Option<NaiveDate>,
    /// vlu's own: a restricted patient's known-on day (schema 10), MHCS registration,
    /// tribunal, representations due and sent (schema 6).
    #[serde_as(
        as = "Option<(Option<DayNumber>, Option<DayNumber>, Option<DayNumber>, Option<DayNumber>, Option<DayNumber>)>"
    )]
    restricted_patient: Option<(Day, Day, Day, Day, Day)>,
    /// vlu's own: the case went to another unit, on this day (schema 6).
    #[serde_as(as = "Option<Option<DayNumber>>")]
    #[allow(
        clippy::option_option,
        reason = "a transfer with no date on record is still a transfer"
    )]
    transferred: Option<Day>,
}

impl CaseDigest {
    pub fn of(c: &Case) -> Self {
        Self {
            id: c.id.clone(),
            offender: c.offender.name.clone(),
            aliases: c.offender.aliases.clone(),
            prison_number: c.offender.prison_number.clone(),
            category: c.offence.category,
            sentence: c.sentence.kind,
            imposed_on: c.sentence.imposed_on,
            custodial_months: c.sentence.custodial_months,
            key_dates: c
                .key_dates
                .iter()
                .map(|k| (k.kind, k.date, k.confirmed))
                .collect(),
            closed_on: c.closed_on,
            restricted_patient: c.restricted_patient.as_deref().map(|r| {
                (
                    r.known_on,
                    r.mhcs_registered_on,
                    r.tribunal_on,
                    r.representations_due,
                    r.representations_sent_on,
                )
            }),
            transferred: c.transferred.as_deref().map(|t| t.on),
        }
    }

    /// The partial case (no offence description, court, officer, MAPPA or notes).
    pub fn into_case(self) -> Case {
        Case {
            id: self.id,
            offender: Offender {
                name: self.offender,
                aliases: self.aliases,
                dob: None,
                prison_number: self.prison_number,
                location: None,
            },
            offence: Offence {
                description: None,
                category: self.category,
                specified: None,
            },
            sentence: Sentence {
                kind: self.sentence,
                imposed_on: self.imposed_on,
                custodial_months: self.custodial_months,
                court: None,
            },
            responsible_officer: None,
            mappa: None,
            sex_offender_notification: None,
            key_dates: self
                .key_dates
                .into_iter()
                .map(|(kind, date, confirmed)| KeyDate {
                    kind,
                    date,
                    confirmed,
                    note: None,
                })
                .collect(),
            closed_on: self.closed_on,
            restricted_patient: self.restricted_patient.map(
                |(
                    known_on,
                    mhcs_registered_on,
                    tribunal_on,
                    representations_due,
                    representations_sent_on,
                )| {
                    Box::new(RestrictedPatient {
                        known_on,
                        mhcs_registered_on,
                        tribunal_on,
                        representations_due,
                        representations_sent_on,
                    })
                },
            ),
            transferred: self
                .transferred
                .map(|on| Box::new(Transfer { on, to_area: None })),
        }
    }
}
