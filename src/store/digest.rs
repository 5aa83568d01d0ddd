//! The digest: what the diary and the screens' first frame need of every victim and case,
//! kept in [`SHARDS`] values in a compact binary encoding (postcard) and changed in the same
//! batch as the records it is made from.
//!
//! Reading a whole unit is then a few hundred values, not hundreds of thousands of JSON
//! records. A digest leaves out what neither the rules nor the caseload list use — contact
//! details, needs, equality data, free-text notes, the offence, the court — so a record built
//! from it is partial: the screens read the full record from the store before they show it
//! or change it.
//!
//! A victim is kept in its case's shard, after the case (schema 4): a shard read back puts
//! each case's victims together in memory and in the order of the cases, so each victim is
//! matched with its case by walking the two lists, and the rules then read memory in order.
//! (With victims placed by their own id, the rules at 100,000 victims spent twice as long
//! per victim as at 10,000, waiting for memory.)
//!
//! Here too: reading the digest back ([`Store::load_digest`]) and staging changes to it in a
//! write's batch.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::facts::LogFacts;
use crate::domain::model::{Case, Caseload, Victim};

use super::engine::Batch;

use super::{DIGEST, Store, StoreError, joined};

mod records;

pub use records::{CaseDigest, VictimDigest, shard_of};

/// One shard: the cases whose ids fall in it, in id order, and their victims, in order of
/// case id, then victim id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    pub victims: Vec<VictimDigest>,
    pub cases: Vec<CaseDigest>,
}

/// A change to the digest. A victim is placed by its case: one that moves to another case
/// leaves the old one's place (`Leave`), and its facts are given again in the new
/// (`Facts`).
pub enum Edit<'a> {
    /// A victim's record, new or changed (its facts are kept if it stays in its case).
    Victim(&'a Victim),
    /// The facts of a victim's log (the victim is already in the digest, or earlier in the
    /// same list of edits).
    Facts {
        case: &'a str,
        victim: &'a str,
        facts: Box<LogFacts>,
    },
    /// A victim no longer of this case.
    Leave {
        case: &'a str,
        victim: &'a str,
    },
    Case(&'a Case),
    /// A victim's digest made already, facts and all (an import's, made as each victim is
    /// read, the record itself not kept).
    Made(Box<VictimDigest>),
    /// A case's digest made already (an import's).
    MadeCase(Box<CaseDigest>),
    /// A case erased (its victims leave by `Leave`).
    RemoveCase(&'a str),
}

impl Edit<'_> {
    pub fn shard(&self) -> u8 {
        match self {
            Edit::Victim(v) => shard_of(&v.case_id),
            Edit::Facts { case, .. } | Edit::Leave { case, .. } | Edit::RemoveCase(case) => {
                shard_of(case)
            }
            Edit::Case(c) => shard_of(&c.id),
            Edit::Made(d) => shard_of(&d.case_id),
            Edit::MadeCase(d) => shard_of(&d.id),
        }
    }
}

/// Where a victim is, or would go, in a shard's victims.
fn victim_place(list: &[VictimDigest], case: &str, victim: &str) -> Result<usize, usize> {
    list.binary_search_by(|d| (d.case_id.as_str(), d.id.as_str()).cmp(&(case, victim)))
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
            Edit::Victim(v) => match victim_place(&self.victims, &v.case_id, &v.id) {
                Ok(i) => {
                    let facts = std::mem::take(&mut self.victims[i].facts);
                    self.victims[i] = VictimDigest::of(v, facts);
                }
                Err(i) => self
                    .victims
                    .insert(i, VictimDigest::of(v, LogFacts::default())),
            },
            Edit::Made(d) => match victim_place(&self.victims, &d.case_id, &d.id) {
                Ok(i) => self.victims[i] = *d,
                Err(i) => self.victims.insert(i, *d),
            },
            Edit::Facts {
                case,
                victim,
                facts,
            } => match victim_place(&self.victims, case, victim) {
                Ok(i) => self.victims[i].facts = *facts,
                Err(_) => return Err(format!("victim {victim} is missing from the digest")),
            },
            Edit::Leave { case, victim } => {
                if let Ok(i) = victim_place(&self.victims, case, victim) {
                    self.victims.remove(i);
                }
            }
            Edit::Case(c) => self.put_case(CaseDigest::of(c)),
            Edit::MadeCase(d) => self.put_case(*d),
            Edit::RemoveCase(id) => {
                if let Ok(i) = self.cases.binary_search_by(|d| d.id.as_str().cmp(id)) {
                    self.cases.remove(i);
                }
            }
        }
        Ok(())
    }

    fn put_case(&mut self, d: CaseDigest) {
        match self.cases.binary_search_by(|c| c.id.cmp(&d.id)) {
            Ok(i) => self.cases[i] = d,
            Err(i) => self.cases.insert(i, d),
        }
    }

    /// For each victim, in order, the place of its case in `cases` (`None` if the case is
    /// not in the shard: a victim whose case is missing, which `vlu check` reports). Both
    /// lists are in case order, so one walk matches them.
    pub fn case_places(&self) -> Vec<Option<usize>> {
        let mut at = 0;
        self.victims
            .iter()
            .map(|v| {
                while self.cases.get(at).is_some_and(|c| c.id < v.case_id) {
                    at += 1;
                }
                self.cases.get(at).filter(|c| c.id == v.case_id).map(|_| at)
            })
            .collect()
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
        edits.push(Edit::Facts {
            case: &v.case_id,
            victim: &v.id,
            facts: Box::new(facts),
        });
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

/// The digest read back: every victim and case in part, each victim's log facts, and the
/// place of its case in `caseload.cases` (the last two in the order of `caseload.victims`).
#[derive(Debug, Default)]
pub struct Digest {
    pub caseload: Caseload,
    pub facts: Vec<LogFacts>,
    pub case_of: Vec<Option<usize>>,
}

impl Digest {
    /// A victim as the digest holds it: no log, no contact details, needs or notes.
    pub fn summary_of(victim: &Victim) -> Victim {
        VictimDigest::of(victim, LogFacts::default()).into_parts().0
    }

    /// A case as the digest holds it.
    pub fn summary_of_case(case: &Case) -> Case {
        CaseDigest::of(case).into_case()
    }

    /// Each victim with its facts and its case (victims whose case is missing left out).
    pub fn joined(&self) -> impl Iterator<Item = (&Victim, &LogFacts, &Case)> {
        let c = &self.caseload;
        c.victims
            .iter()
            .zip(&self.facts)
            .zip(&self.case_of)
            .filter_map(|((v, f), at)| Some((v, f, c.cases.get((*at)?)?)))
    }

    /// A shard's records added at the end.
    fn push(&mut self, shard: Shard) {
        let base = self.caseload.cases.len();
        self.case_of.extend(
            shard
                .case_places()
                .into_iter()
                .map(|at| at.map(|i| base + i)),
        );
        for d in shard.victims {
            let (victim, facts) = d.into_parts();
            self.caseload.victims.push(victim);
            self.facts.push(facts);
        }
        self.caseload
            .cases
            .extend(shard.cases.into_iter().map(CaseDigest::into_case));
    }

    /// The digest from its shards (each with a key whose last byte is its number) and the
    /// caseload's unit, officers and extra days.
    /// The digest [`Store::digest_packed`] packed, with its head.
    pub fn unpack(head: Caseload, packed: &[u8]) -> Result<Self, StoreError> {
        let cut = || StoreError::Remote("the digest arrived cut short".into());
        let mut shards = Vec::new();
        let mut rest = packed;
        while let [n, a, b, c, d, more @ ..] = rest {
            let len = u32::from_be_bytes([*a, *b, *c, *d]) as usize;
            let (shard, after) = more.split_at_checked(len).ok_or_else(cut)?;
            shards.push(([*n], shard));
            rest = after;
        }
        if !rest.is_empty() {
            return Err(cut());
        }
        Self::from_shards(head, &shards)
    }

    fn from_shards<K, V>(head: Caseload, raw: &[(K, V)]) -> Result<Self, StoreError>
    where
        K: AsRef<[u8]> + Sync,
        V: AsRef<[u8]> + Sync,
    {
        // Each shard is decoded and turned into records before the next, so that its
        // memory is reused rather than a whole unit's digest being held at once.
        let read = |part: &[(K, V)]| -> Result<Digest, StoreError> {
            let mut out = Digest::default();
            for (k, v) in part {
                out.push(Shard::decode(v.as_ref()).map_err(|e| {
                    StoreError::Corrupt(format!(
                        "the digest shard {} cannot be read ({e})",
                        k.as_ref().last().copied().unwrap_or_default()
                    ))
                })?);
            }
            Ok(out)
        };
        // Two halves on two threads: decoding is the cost.
        let (first, second) = raw.split_at(raw.len() / 2);
        let (a, b) = std::thread::scope(|scope| {
            let b = scope.spawn(|| read(second));
            (read(first), joined(b))
        });
        let mut digest = a?;
        digest.append(b?);
        digest.caseload = Caseload {
            cases: std::mem::take(&mut digest.caseload.cases),
            victims: std::mem::take(&mut digest.caseload.victims),
            ..head
        };
        Ok(digest)
    }

    /// Another part's records added at the end.
    fn append(&mut self, other: Digest) {
        let base = self.caseload.cases.len();
        self.case_of
            .extend(other.case_of.into_iter().map(|at| at.map(|i| base + i)));
        self.caseload.victims.extend(other.caseload.victims);
        self.facts.extend(other.facts);
        self.caseload.cases.extend(other.caseload.cases);
    }
}

/// Reading the digest back, and staging changes to it.
impl Store {
    /// The caseload as the digest holds it, with each victim's log facts and case: all the
    /// diary and the caseload list need, read from a few hundred values. The records are
    /// partial (see [`digest`]): read a victim or case in full with [`Store::victim`] and
    /// [`Store::case`] before showing or changing it.
    pub fn load_digest(&self) -> Result<Digest, StoreError> {
        let raw: Vec<(Vec<u8>, Vec<u8>)> =
            self.core.engine.scan(DIGEST).collect::<Result<_, _>>()?;
        Digest::from_shards(self.load_head()?, &raw)
    }

    /// The digest packed for another process (a client of the unit service): the head,
    /// and the shards as stored, one after another — `u8` number, `u32` length, bytes —
    /// which [`Digest::unpack`] reads.
    pub fn digest_packed(&self) -> Result<(Caseload, Vec<u8>), StoreError> {
        let head = self.load_head()?;
        let mut packed = Vec::new();
        for shard in self.core.engine.scan(DIGEST) {
            let (k, v) = shard?;
            let len = u32::try_from(v.len())
                .map_err(|_| StoreError::Corrupt("a digest shard is too large".into()))?;
            packed.push(k.last().copied().unwrap_or_default());
            packed.extend_from_slice(&len.to_be_bytes());
            packed.extend_from_slice(&v);
        }
        Ok((head, packed))
    }

    /// The ids of a case's victims, from its digest shard (they are kept beside it).
    pub fn victims_of(&self, case: &str) -> Result<Vec<String>, StoreError> {
        self.usable()?;
        self.victims_of_case(case)
    }

    /// The ids of a case's victims, as its digest shard lists them (the shard is written in
    /// the same batch as every victim record, and `vlu check` holds it to them).
    pub(super) fn victims_of_case(&self, case: &str) -> Result<Vec<String>, StoreError> {
        let n = shard_of(case);
        let Some(bytes) = self.core.engine.get(&[DIGEST, &[n]].concat())? else {
            return Ok(Vec::new());
        };
        let shard = Shard::decode(&bytes).map_err(|e| {
            StoreError::Corrupt(format!("the digest shard {n} cannot be read ({e})"))
        })?;
        Ok(shard
            .victims
            .into_iter()
            .filter(|v| v.case_id == case)
            .map(|v| v.id)
            .collect())
    }

    /// Stages changes to the digest: each shard touched is read once, changed and rewritten.
    /// All of one write's edits go in one call: a shard is read from the store, not from
    /// the batch.
    pub(super) fn stage_digest(
        &self,
        batch: &mut Batch,
        edits: Vec<Edit<'_>>,
    ) -> Result<(), StoreError> {
        for (n, edits) in by_shard(edits) {
            let k = [DIGEST, &[n]].concat();
            let mut shard = match self.core.engine.get(&k)? {
                Some(bytes) => Shard::decode(&bytes).map_err(|e| {
                    StoreError::Corrupt(format!("the digest shard {n} cannot be read ({e})"))
                })?,
                None => Shard::default(),
            };
            for edit in edits {
                shard.apply(edit).map_err(StoreError::Corrupt)?;
            }
            // As `build` has it: a shard with nothing in it is no shard.
            if shard == Shard::default() {
                batch.remove(k);
            } else {
                batch.insert(k, shard.encode());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validate::{KnownIds, parse_caseload};
    use chrono::NaiveDate;

    /// Cases C-1 and C-3; victims of C-3, C-1 and C-1, given out of order.
    fn unit() -> (Vec<Case>, Vec<Victim>) {
        let case = |id: &str| {
            format!(
                r#"{{ "id": "{id}", "offender": {{ "name": "A B" }}, "offence": {{ "category": "violent" }},
                     "sentence": {{ "kind": "sds", "imposed_on": "2025-03-14" }} }}"#
            )
        };
        let victim = |id: &str, case: &str| {
            format!(
                r#"{{ "id": "{id}", "case_id": "{case}", "name": "C D", "role": "victim",
                     "eligibility": "statutory", "referred_on": "2025-03-20", "status": "referred",
                     "status_since": "2025-03-20" }}"#
            )
        };
        let text = format!(
            r#"{{ "format": "vlu-caseload", "version": 1, "cases": [{}, {}], "victims": [{}, {}, {}] }}"#,
            case("C-3"),
            case("C-1"),
            victim("V-1", "C-3"),
            victim("V-9", "C-1"),
            victim("V-2", "C-1"),
        );
        let c = parse_caseload(&text, &KnownIds::default(), false).unwrap();
        (c.cases, c.victims)
    }

    fn one_shard(cases: &[Case], victims: &[Victim]) -> Shard {
        let mut shard = Shard::default();
        for c in cases {
            shard.apply(Edit::Case(c)).unwrap();
        }
        for v in victims {
            shard.apply(Edit::Victim(v)).unwrap();
        }
        shard
    }

    fn listed(shard: &Shard) -> Vec<(&str, &str)> {
        shard
            .victims
            .iter()
            .map(|v| (v.case_id.as_str(), v.id.as_str()))
            .collect()
    }

    #[test]
    fn a_case_and_its_victims_are_kept_together_and_matched_in_one_walk() {
        let (cases, victims) = unit();
        let shard = one_shard(&cases, &victims);
        assert_eq!(
            listed(&shard),
            [("C-1", "V-2"), ("C-1", "V-9"), ("C-3", "V-1")]
        );
        assert_eq!(shard.case_places(), [Some(0), Some(0), Some(1)]);
        let ids: Vec<&str> = shard.cases.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["C-1", "C-3"]);
        // A victim whose case is not there has none.
        let mut orphan = victims[0].clone();
        orphan.case_id = "C-2".into();
        let mut shard = shard;
        shard.apply(Edit::Victim(&orphan)).unwrap();
        assert_eq!(shard.case_places(), [Some(0), Some(0), None, Some(1)]);
    }

    #[test]
    fn a_victim_moved_to_another_case_leaves_the_old_place_with_its_facts_given_again() {
        let (cases, victims) = unit();
        let mut shard = one_shard(&cases, &victims);
        let facts = LogFacts {
            second_offer: NaiveDate::from_ymd_opt(2026, 3, 2),
            ..LogFacts::default()
        };
        let mut moved = victims[1].clone(); // V-9, of C-1
        moved.case_id = "C-3".into();
        for edit in [
            Edit::Leave {
                case: "C-1",
                victim: "V-9",
            },
            Edit::Victim(&moved),
            Edit::Facts {
                case: "C-3",
                victim: "V-9",
                facts: Box::new(facts.clone()),
            },
        ] {
            shard.apply(edit).unwrap();
        }
        assert_eq!(
            listed(&shard),
            [("C-1", "V-2"), ("C-3", "V-1"), ("C-3", "V-9")]
        );
        assert_eq!(shard.victims[2].facts, facts);
        assert!(
            shard
                .apply(Edit::Facts {
                    case: "C-1",
                    victim: "V-9",
                    facts: Box::new(facts),
                })
                .is_err(),
            "no longer under its old case"
        );
    }

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
