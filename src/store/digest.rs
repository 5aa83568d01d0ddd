//! The digest: what the diary and the screens' first frame need of every victim and case,
//! kept in [`SHARDS`] values in a compact binary encoding (postcard) and changed in the same
//! batch as the records it is made from.
//!
//! Reading a whole unit is then a few hundred values, not hundreds of thousands of JSON
//! records. A digest leaves out what neither the rules nor the caseload list use — contact
//! details, needs, equality data, free-text notes, the offence, the court — so a record built
//! from it is partial: the screens read the full record from the store before they show it
//! or change it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_with::serde_as;

use crate::domain::enums::{
    ByIndex, ContactMethod, Eligibility, InformationLevel, KeyDateKind, LicenceCondition,
    LicenceOutcome, OffenceCategory, SentenceKind, VictimRole, VictimStatus,
};
use crate::domain::facts::{DayNumber, LogFacts};
use crate::domain::model::{
    Case, KeyDate, LicenceRequest, Offence, Offender, Preferences, Representative, SensitiveDate,
    Sentence, Victim,
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
    id: String,
    case_id: String,
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
    facts: LogFacts,
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
        }
    }

    /// The partial victim (no contact details, needs, equality data or log) and its facts.
    pub fn into_parts(self) -> (Victim, LogFacts) {
        let victim = Victim {
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
        };
        (victim, self.facts)
    }
}

/// A case as the rules and the caseload list see it.
#[serde_as]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseDigest {
    id: String,
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
        }
    }
}

/// One shard: its victims and cases, each list in id order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    pub victims: Vec<VictimDigest>,
    pub cases: Vec<CaseDigest>,
}

/// A change to the digest.
pub enum Edit<'a> {
    /// A victim's record, new or changed (its facts are kept).
    Victim(&'a Victim),
    /// The facts of a victim's log (the victim is already in the digest, or earlier in the
    /// same list of edits).
    Facts(&'a str, LogFacts),
    Case(&'a Case),
}

impl Edit<'_> {
    pub fn shard(&self) -> u8 {
        match self {
            Edit::Victim(v) => shard_of(&v.id),
            Edit::Facts(id, _) => shard_of(id),
            Edit::Case(c) => shard_of(&c.id),
        }
    }
}

/// Where an id is, or would go, in a list kept in id order.
fn place<T>(list: &[T], id: &str, id_of: fn(&T) -> &str) -> Result<usize, usize> {
    list.binary_search_by(|x| id_of(x).cmp(id))
}

impl Shard {
    pub fn decode(bytes: &[u8]) -> Result<Self, String> {
        postcard::from_bytes(bytes).map_err(|e| e.to_string())
    }

    pub fn encode(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("digests always serialise")
    }

    /// Applies one edit. Fails only when facts name a victim the digest does not hold.
    pub fn apply(&mut self, edit: Edit<'_>) -> Result<(), String> {
        match edit {
            Edit::Victim(v) => match place(&self.victims, &v.id, |d| &d.id) {
                Ok(i) => {
                    let facts = std::mem::take(&mut self.victims[i].facts);
                    self.victims[i] = VictimDigest::of(v, facts);
                }
                Err(i) => self
                    .victims
                    .insert(i, VictimDigest::of(v, LogFacts::default())),
            },
            Edit::Facts(id, facts) => match place(&self.victims, id, |d| &d.id) {
                Ok(i) => self.victims[i].facts = facts,
                Err(_) => return Err(format!("victim {id} is missing from the digest")),
            },
            Edit::Case(c) => match place(&self.cases, &c.id, |d| &d.id) {
                Ok(i) => self.cases[i] = CaseDigest::of(c),
                Err(i) => self.cases.insert(i, CaseDigest::of(c)),
            },
        }
        Ok(())
    }
}

/// Groups edits by shard, keeping their order within each.
pub fn by_shard(edits: Vec<Edit<'_>>) -> BTreeMap<u8, Vec<Edit<'_>>> {
    let mut groups: BTreeMap<u8, Vec<Edit<'_>>> = BTreeMap::new();
    for edit in edits {
        groups.entry(edit.shard()).or_default().push(edit);
    }
    groups
}

/// The whole digest of these records, shard by shard.
pub fn build<'a>(
    cases: &'a [Case],
    victims: impl IntoIterator<Item = (&'a Victim, LogFacts)>,
) -> Result<BTreeMap<u8, Shard>, String> {
    let mut edits: Vec<Edit<'_>> = cases.iter().map(Edit::Case).collect();
    for (v, facts) in victims {
        edits.push(Edit::Victim(v));
        edits.push(Edit::Facts(&v.id, facts));
    }
    by_shard(edits)
        .into_iter()
        .map(|(n, edits)| {
            let mut shard = Shard::default();
            for edit in edits {
                shard.apply(edit)?;
            }
            Ok((n, shard))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_spread_ids_and_never_change() {
        // Fixed values: a change here would strand every stored digest.
        assert_eq!(
            [shard_of(""), shard_of("V-1"), shard_of("V000123")],
            [217, 65, 131]
        );
        let mut counts = [0usize; 256];
        for n in 0..100_000 {
            counts[usize::from(shard_of(&format!("V{n:06}")))] += 1;
        }
        let (min, max) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
        assert!(*min > 250 && *max < 550, "uneven shards: {min}..{max}");
    }
}
