//! The caseload: cases, victims and their contact logs (FORMAT.md §2).
//!
//! These types are the interchange format and the stored format alike. Optional fields are
//! omitted when empty (`skip_serializing_none`), so an export is exactly what an import of
//! it will read back; a missing or `null` optional field reads as `None`.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use serde_with::skip_serializing_none;

use super::enums::{
    ComplaintOutcome, ContactKind, ContactMethod, Direction, DiscretionaryDecision, Eligibility,
    InformationLevel, KeyDateKind, LicenceCondition, LicenceOutcome, Medium, NonDisclosure,
    OffenceCategory, OfficerRole, SentenceKind, TaskKind, VictimRole, VictimStatus,
};

pub const FORMAT_NAME: &str = "vlu-caseload";
pub const FORMAT_VERSION: u32 = 1;

/// Lists may be omitted or `null` for empty.
fn nullable_list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A caseload file. It is written through [`CaseloadOut`], so that a caseload held in memory
/// and one streamed from the store come out byte for byte the same.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Caseload {
    pub format: String,
    pub version: u32,
    pub unit: Option<Unit>,
    #[serde(default, deserialize_with = "nullable_list")]
    pub officers: Vec<Officer>,
    #[serde(default, deserialize_with = "nullable_list")]
    pub extra_non_working_days: Vec<NaiveDate>,
    #[serde(default, deserialize_with = "nullable_list")]
    pub cases: Vec<Case>,
    #[serde(default, deserialize_with = "nullable_list")]
    pub victims: Vec<Victim>,
}

/// A caseload as written: its small parts borrowed, its cases and victims any list that
/// serialises (a slice, or records read from the store one at a time). Field for field the
/// format of [`Caseload`].
#[skip_serializing_none]
#[derive(Serialize)]
pub struct CaseloadOut<'a, C, V> {
    pub format: &'a str,
    pub version: u32,
    pub unit: Option<&'a Unit>,
    pub officers: &'a [Officer],
    pub extra_non_working_days: &'a [NaiveDate],
    pub cases: C,
    pub victims: V,
}

impl Serialize for Caseload {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.out(&self.cases, &self.victims).serialize(s)
    }
}

impl Caseload {
    /// This caseload's unit, officers and non-working days, with `cases` and `victims` in
    /// place of its own.
    pub fn out<C: Serialize, V: Serialize>(&self, cases: C, victims: V) -> CaseloadOut<'_, C, V> {
        CaseloadOut {
            format: &self.format,
            version: self.version,
            unit: self.unit.as_ref(),
            officers: &self.officers,
            extra_non_working_days: &self.extra_non_working_days,
            cases,
            victims,
        }
    }

    /// Its victims and its cases, each found by id.
    pub fn by_id(
        &self,
    ) -> (
        std::collections::HashMap<&str, &Victim>,
        std::collections::HashMap<&str, &Case>,
    ) {
        let victims = self.victims.iter().map(|v| (v.id.as_str(), v)).collect();
        let cases = self.cases.iter().map(|c| (c.id.as_str(), c)).collect();
        (victims, cases)
    }

    /// The same caseload with every date moved by `days` (for a demonstration that looks
    /// the same whatever day it is run). Dates inside free text are left alone.
    #[must_use]
    pub fn shifted(&self, days: i64) -> Caseload {
        fn walk(v: &mut serde_json::Value, days: i64) {
            match v {
                serde_json::Value::String(s) if s.len() == 10 => {
                    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d")
                        && let Some(moved) = d.checked_add_signed(chrono::TimeDelta::days(days))
                    {
                        *s = moved.to_string();
                    }
                }
                serde_json::Value::Array(items) => items.iter_mut().for_each(|i| walk(i, days)),
                serde_json::Value::Object(map) => {
                    for (key, value) in map.iter_mut() {
                        if key != "summary" && key != "note" && key != "notes" && key != "details" {
                            walk(value, days);
                        }
                    }
                }
                _ => {}
            }
        }
        let mut value = serde_json::to_value(self).expect("records always serialise");
        walk(&mut value, days);
        serde_json::from_value(value).expect("shifting dates keeps the shape")
    }
}

impl Default for Caseload {
    fn default() -> Self {
        Self {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            unit: None,
            officers: Vec::new(),
            extra_non_working_days: Vec::new(),
            cases: Vec::new(),
            victims: Vec::new(),
        }
    }
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub name: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Officer {
    pub id: String,
    pub name: String,
    pub role: Option<OfficerRole>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub id: String,
    pub offender: Offender,
    pub offence: Offence,
    pub sentence: Sentence,
    pub responsible_officer: Option<Box<ResponsibleOfficer>>,
    pub mappa: Option<Mappa>,
    pub sex_offender_notification: Option<bool>,
    #[serde(
        default,
        deserialize_with = "nullable_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub key_dates: Vec<KeyDate>,
    pub closed_on: Option<NaiveDate>,
    /// vlu's own (beyond the interchange contract): a restricted patient's casework with the
    /// Mental Health Casework Section and the tribunal.
    pub restricted_patient: Option<Box<RestrictedPatient>>,
    /// vlu's own: the case was sent to another unit, which now holds it. Kept, never deleted.
    pub transferred: Option<Box<Transfer>>,
}

impl Case {
    /// Whether the sentence gives the victims a statutory right to the scheme: a violent or
    /// sexual offence with 12 months' custody or more, a life or indeterminate sentence, or a
    /// hospital order (or a transfer to hospital) for one. `None` when the record cannot say
    /// (a determinate sentence with no length recorded).
    pub fn statutory(&self) -> Option<bool> {
        use super::enums::{OffenceCategory as O, SentenceKind as S};
        if self.offence.category == O::Other {
            return Some(false);
        }
        match self.sentence.kind {
            S::Life
            | S::Ipp
            | S::HospitalOrder
            | S::RestrictedHospitalOrder
            | S::TransferDirection => Some(true),
            _ => self.sentence.custodial_months.map(|m| m >= 12),
        }
    }

    /// Key dates of one kind.
    pub fn dates_of(&self, kind: KeyDateKind) -> impl Iterator<Item = NaiveDate> + '_ {
        self.key_dates
            .iter()
            .filter(move |k| k.kind == kind)
            .map(|k| k.date)
    }
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offender {
    pub name: String,
    #[serde(
        default,
        deserialize_with = "nullable_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub aliases: Vec<String>,
    pub dob: Option<NaiveDate>,
    pub prison_number: Option<String>,
    pub location: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offence {
    pub description: Option<String>,
    pub category: OffenceCategory,
    pub specified: Option<bool>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sentence {
    pub kind: SentenceKind,
    pub imposed_on: NaiveDate,
    pub custodial_months: Option<u32>,
    pub court: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponsibleOfficer {
    pub name: Option<String>,
    pub team: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mappa {
    pub category: Option<u8>,
    pub level: Option<u8>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyDate {
    pub kind: KeyDateKind,
    pub date: NaiveDate,
    pub confirmed: Option<bool>,
    pub note: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Victim {
    pub id: String,
    pub case_id: String,
    pub name: String,
    pub role: VictimRole,
    pub eligibility: Eligibility,
    pub referred_on: NaiveDate,
    pub status: VictimStatus,
    pub status_since: NaiveDate,
    pub allocated_to: Option<String>,
    // The rarely filled parts are boxed: a unit holds 100,000 victims in memory.
    pub contact_details: Option<Box<ContactDetails>>,
    pub preferences: Option<Preferences>,
    pub needs: Option<Box<Needs>>,
    pub representative: Option<Box<Representative>>,
    pub equality: Option<Box<Equality>>,
    #[serde(
        default,
        deserialize_with = "nullable_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub licence_requests: Vec<LicenceRequest>,
    #[serde(
        default,
        deserialize_with = "nullable_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub sensitive_dates: Vec<SensitiveDate>,
    #[serde(
        default,
        deserialize_with = "nullable_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub contacts: Vec<Contact>,
    /// vlu's own (beyond the interchange contract): the victim personal statement for the
    /// Parole Board.
    pub vps: Option<Box<Vps>>,
    /// vlu's own: the victim's complaints about the service, each with its clock.
    #[serde(
        default,
        deserialize_with = "nullable_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub complaints: Vec<Complaint>,
    /// vlu's own: the victim moved out of England and Wales (contact goes on, abroad).
    pub moved_away: Option<Box<MovedAway>>,
    /// vlu's own: a risk to the victim the unit knows of (spec rows 9, 22, 27).
    pub risk: Option<Box<Risk>>,
    /// vlu's own: casework with a deadline that no kind of contact covers (a MAPPA
    /// contribution, a media enquiry, an SFO report), each with its clock.
    #[serde(
        default,
        deserialize_with = "nullable_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tasks: Vec<Task>,
    /// vlu's own: the unit's decision on a discretionary request (spec rows 3, 4).
    pub discretionary: Option<Box<Discretionary>>,
    /// vlu's own: a child victim (the record a parent's or carer's, or the victim's own while
    /// a child), who at 18 is offered the scheme in their own right (spec row 2).
    pub child: Option<Box<Child>>,
}

impl Victim {
    /// The day vlu's own record of the complaint received on `received` was acknowledged
    /// (or answered in full, if earlier), if it was.
    pub fn record_acknowledged(&self, received: NaiveDate) -> Option<NaiveDate> {
        self.complaints
            .iter()
            .filter(|c| c.received_on == Some(received))
            .filter_map(|c| match (c.acknowledged_on, c.answered_on) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            })
            .min()
    }

    /// The level of information the victim chose. An opted-in victim with no recorded level
    /// is treated as wanting every key stage, so that nothing is missed (docs/DECISIONS.md).
    pub fn information(&self) -> InformationLevel {
        self.preferences
            .as_ref()
            .and_then(|p| p.information)
            .unwrap_or(InformationLevel::KeyStages)
    }

    /// Whether spoken contact must be confirmed in writing: yes unless the victim said no
    /// (service specification rows 6 and 11; docs/DECISIONS.md).
    pub fn wants_written_follow_up(&self) -> bool {
        self.preferences
            .as_ref()
            .and_then(|p| p.written_follow_up)
            .unwrap_or(true)
    }
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactDetails {
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    pub method: Option<ContactMethod>,
    pub information: Option<InformationLevel>,
    pub written_follow_up: Option<bool>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Needs {
    pub language: Option<String>,
    pub interpreter: Option<bool>,
    pub notes: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Representative {
    pub name: Option<String>,
    pub relationship: Option<String>,
    pub contact_details: Option<ContactDetails>,
}

/// Equality monitoring: the nine protected characteristics, in the victim's own words.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Equality {
    pub age: Option<String>,
    pub disability: Option<String>,
    pub gender_reassignment: Option<String>,
    pub marriage_civil_partnership: Option<String>,
    pub pregnancy_maternity: Option<String>,
    pub race: Option<String>,
    pub religion_belief: Option<String>,
    pub sex: Option<String>,
    pub sexual_orientation: Option<String>,
}

impl Equality {
    /// The value recorded for one of the nine characteristics (`EQUALITY_KEYS`), by its key.
    pub fn get(&self, key: &str) -> Option<&str> {
        match key {
            "age" => self.age.as_deref(),
            "disability" => self.disability.as_deref(),
            "gender_reassignment" => self.gender_reassignment.as_deref(),
            "marriage_civil_partnership" => self.marriage_civil_partnership.as_deref(),
            "pregnancy_maternity" => self.pregnancy_maternity.as_deref(),
            "race" => self.race.as_deref(),
            "religion_belief" => self.religion_belief.as_deref(),
            "sex" => self.sex.as_deref(),
            "sexual_orientation" => self.sexual_orientation.as_deref(),
            _ => None,
        }
    }
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicenceRequest {
    pub condition: Option<LicenceCondition>,
    pub details: Option<String>,
    pub requested_on: Option<NaiveDate>,
    pub outcome: Option<LicenceOutcome>,
    pub outcome_on: Option<NaiveDate>,
    /// vlu's own: the day the request went to the decision maker (prison or Parole Board).
    pub submitted_on: Option<NaiveDate>,
    /// vlu's own: the conditions as granted, in the decision's words.
    pub granted: Option<String>,
    /// vlu's own: where the exclusion zone's map is kept (a file path, never read by vlu).
    pub map_file: Option<String>,
}

/// A victim personal statement (vlu's own, beyond the contract): offered, then made and
/// sent, then heard at the hearing; or declined. Non-disclosure to the offender may be asked
/// of the Parole Board, which decides.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vps {
    pub offered_on: Option<NaiveDate>,
    /// The victim chose not to make one.
    pub declined_on: Option<NaiveDate>,
    pub submitted_on: Option<NaiveDate>,
    pub heard_on: Option<NaiveDate>,
    pub non_disclosure_asked_on: Option<NaiveDate>,
    pub non_disclosure_decision: Option<NonDisclosure>,
    pub non_disclosure_decided_on: Option<NaiveDate>,
}

/// A complaint about the service (vlu's own): received, acknowledged, answered.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Complaint {
    pub received_on: Option<NaiveDate>,
    pub acknowledged_on: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    pub outcome: Option<ComplaintOutcome>,
    pub summary: Option<String>,
}

/// A restricted patient's casework (vlu's own): the unit's registration with the Mental
/// Health Casework Section, and the victim's representations to a tribunal.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestrictedPatient {
    /// The day the unit knew the offender was a restricted patient: the MHCS registration's
    /// clock starts no earlier (a record added to an old case is not years overdue).
    pub known_on: Option<NaiveDate>,
    pub mhcs_registered_on: Option<NaiveDate>,
    pub tribunal_on: Option<NaiveDate>,
    pub representations_due: Option<NaiveDate>,
    pub representations_sent_on: Option<NaiveDate>,
}

/// A case sent to another unit (vlu's own).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    pub on: Option<NaiveDate>,
    pub to_area: Option<String>,
}

/// A risk to the victim (vlu's own): why, when it was recorded and by whom. Shown atop the
/// victim's record and beside their name in the caseload; never in a letter.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    pub reason: Option<String>,
    pub recorded_on: Option<NaiveDate>,
    pub by: Option<String>,
}

/// A piece of casework with a deadline (vlu's own): opened on a day, due on its own day or
/// the kind's number of working days later, done on a day. Who it went to, who did or
/// decided it, and what came of it are the officer's words; a yes-or-no answer (the survey's
/// "satisfied", the notes "agreed", the disclosure "approved") is `agreed`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    pub kind: Option<TaskKind>,
    pub opened_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    /// The key date it is about (a disclosure beyond the level, views before a decision).
    pub key_date: Option<KeyDateKind>,
    /// What it is about, in the officer's words: the purpose views are sought for (which a
    /// `views_request` letter names), the enquiry's subject, the conference's.
    pub about: Option<String>,
    pub to: Option<String>,
    pub by: Option<String>,
    pub outcome: Option<String>,
    pub agreed: Option<bool>,
}

/// The unit's decision on a discretionary request (vlu's own): accepted or refused, on a
/// day, by whom, on what ground the request was made and why it was decided so. A refusal is
/// the unit's, not the victim's: it is not `declined`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Discretionary {
    pub decision: Option<DiscretionaryDecision>,
    pub decided_on: Option<NaiveDate>,
    pub by: Option<String>,
    pub ground: Option<String>,
    pub reason: Option<String>,
}

impl Victim {
    /// The victim's open `views_sought` task, the latest opened: what a `views_request` letter
    /// asks about.
    pub fn views_sought(&self) -> Option<&Task> {
        self.tasks
            .iter()
            .filter(|t| t.kind == Some(TaskKind::ViewsSought) && t.done_on.is_none())
            .max_by_key(|t| t.opened_on)
    }

    /// Whether the unit decided, on record, to tell this victim of key dates of `kind` beyond
    /// the level they chose: a `disclosure_decision` task about that kind, done and approved.
    pub fn disclosure_approved(&self, kind: KeyDateKind) -> bool {
        self.tasks.iter().any(|t| {
            t.kind == Some(TaskKind::DisclosureDecision)
                && t.key_date == Some(kind)
                && t.done_on.is_some()
                && t.agreed == Some(true)
        })
    }

    /// Whether the diary tells this victim of key dates of `kind`: their level covers it, or
    /// the unit decided on record to tell them beyond it.
    pub fn told_of(&self, kind: KeyDateKind) -> bool {
        self.information().covers(kind) || self.disclosure_approved(kind)
    }

    /// The unit's decision on the victim's discretionary request, and its day, if made.
    pub fn discretionary_decided(&self) -> Option<(DiscretionaryDecision, NaiveDate)> {
        let d = self.discretionary.as_deref()?;
        Some((d.decision?, d.decided_on?))
    }
}

/// A child victim (vlu's own): born on a day; offered the scheme in their own right, on
/// a day, once they turn 18.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Child {
    pub born_on: Option<NaiveDate>,
    pub offered_on: Option<NaiveDate>,
}

impl Child {
    /// The day the child turns 18 (a 29 February birthday: 28 February in a common year).
    pub fn eighteen(&self) -> Option<NaiveDate> {
        self.born_on
            .map(|b| super::calendar::add_months(b, 18 * 12))
    }
}

/// A victim who moved out of England and Wales (vlu's own): when, and where to.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MovedAway {
    pub on: Option<NaiveDate>,
    pub to: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SensitiveDate {
    pub date: Option<NaiveDate>,
    pub label: Option<String>,
    pub yearly: Option<bool>,
}

/// One entry of a victim's contact log. The log is append-only: a correction is a new entry.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub on: NaiveDate,
    /// `HH:MM`, UK local time.
    pub at: Option<String>,
    pub kind: ContactKind,
    pub method: Medium,
    pub direction: Direction,
    pub summary: Option<String>,
    pub by: Option<String>,
    pub key_date: Option<KeyDateKind>,
    /// vlu's own, on a correction: the entry of the log it corrects and what that entry
    /// should have said. The log's facts read the corrected entry so, and the reminders
    /// follow.
    pub corrects: Option<Corrects>,
    /// vlu's own, on a letter or email: the call, visit, meeting or video of the log it
    /// confirms in writing (its number in the log, from 1). Such a letter answers that one
    /// call; one without it answers every earlier call, as the base format says.
    pub follows: Option<usize>,
    /// vlu's own: who a report went to (the Responsible Officer, the prison, the police,
    /// children's services), on a `risk_report` above all.
    pub to: Option<String>,
}

/// What a correction says of the entry it corrects (vlu's own; absent from a contract file).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Corrects {
    /// The entry's number in the log, from 1.
    pub entry: usize,
    /// The kind it should have had.
    pub kind: Option<ContactKind>,
    /// The day it should have had.
    pub on: Option<NaiveDate>,
}

impl Contact {
    /// An outbound call, visit, meeting or video: the `written_follow_up` rule asks for it to
    /// be confirmed in writing (unless the victim said no).
    pub fn asks_written_follow_up(&self) -> bool {
        self.direction == Direction::Outbound && self.method.needs_written_follow_up()
    }

    /// An outbound letter or email: it confirms in writing every call of its day and before,
    /// or the one it follows.
    pub fn confirms_in_writing(&self) -> bool {
        self.direction == Direction::Outbound && self.method.is_written()
    }

    /// The call of `log` (this entry's own log) this letter follows, if it names one: its
    /// number in the log (from 1) and the entry. A number naming no call, or a call after
    /// the letter, names none, and the letter answers every earlier call.
    pub fn followed<'l>(&self, log: &'l [Contact]) -> Option<(usize, &'l Contact)> {
        let n = self.follows?;
        let call = log.get(n.checked_sub(1)?)?;
        (self.confirms_in_writing() && call.asks_written_follow_up() && call.on <= self.on)
            .then_some((n, call))
    }

    /// Whether this entry confirms in writing call number `entry` (from 1) of `log`, dated
    /// `call`: a letter or email on the call's day or later that follows it, or follows none.
    pub fn confirms(&self, log: &[Contact], entry: usize, call: NaiveDate) -> bool {
        self.confirms_in_writing()
            && call <= self.on
            && self.followed(log).is_none_or(|(n, _)| n == entry)
    }

    /// An inbound complaint: the `complaint_ack` rule asks for it to be acknowledged.
    pub fn is_complaint(&self) -> bool {
        self.kind == ContactKind::Complaint && self.direction == Direction::Inbound
    }

    /// A correction to an entry of the log, which is append-only: a new internal note, dated
    /// `on`, that names the entry it corrects and says what was wrong.
    pub fn correction(of: &Contact, on: NaiveDate, by: Option<String>, text: &str) -> Contact {
        let at = of
            .at
            .as_deref()
            .map(|t| format!(" {t}"))
            .unwrap_or_default();
        Contact {
            on,
            at: None,
            kind: ContactKind::Note,
            method: Medium::None,
            direction: Direction::Internal,
            summary: Some(format!(
                "Correction to the entry of {}{at} ({}, {}, {}): {text}",
                of.on, of.kind, of.method, of.direction
            )),
            by,
            key_date: None,
            corrects: None,
            follows: None,
            to: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_correction_names_what_it_corrects() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let wrong = Contact {
            on: d("2025-04-02"),
            at: Some("10:30".into()),
            kind: ContactKind::Update,
            method: Medium::Phone,
            direction: Direction::Outbound,
            summary: Some("Told her the CRD is in May.".into()),
            by: Some("sahmed".into()),
            key_date: Some(KeyDateKind::Crd),
            corrects: None,
            follows: None,
            to: None,
        };
        let fix = Contact::correction(
            &wrong,
            d("2025-04-03"),
            Some("sahmed".into()),
            "the CRD is in June.",
        );
        assert_eq!(fix.kind, ContactKind::Note);
        assert_eq!(fix.direction, Direction::Internal);
        assert_eq!(
            fix.summary.as_deref(),
            Some(
                "Correction to the entry of 2025-04-02 10:30 (update, phone, outbound): the CRD is in June."
            )
        );
    }
}
