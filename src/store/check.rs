//! `vlu check`: every record readable, every reference resolved, the digest true to the
//! records, the schema known.

use std::collections::BTreeMap;

use crate::domain::facts::LogFacts;
use crate::domain::model::Caseload;
use crate::domain::report::{ReportFacts, facts_of};
use crate::domain::validate::{KnownIds, parse_caseload};

use super::digest::{self, Shard};
use super::dpa::ERASED;
use super::return_facts::TALLY;
use super::stamp::STAMP;
use super::{
    AUDIT, CASE, CONTACT, DIGEST, META, OFFICER, SNOOZE, Store, StoreError, VICTIM, key, owner,
};

/// One integrity problem.
pub type Finding = String;

fn shown(k: &[u8]) -> String {
    String::from_utf8_lossy(k).replace('\0', "/")
}

impl Store {
    /// Every integrity problem in the store (none means it is sound).
    pub fn check(&self) -> Result<Vec<Finding>, StoreError> {
        let mut findings = self.core.engine.guarded()?;
        let (each, stored_digest) = self.check_each_record()?;
        findings.extend(each);
        findings.extend(self.erased_but_here()?);
        if !findings.is_empty() {
            return Ok(findings);
        }
        let caseload = match self.load() {
            Ok(c) => c,
            Err(StoreError::Corrupt(what)) => return Ok(vec![what]),
            Err(e) => return Err(e),
        };
        // The digest must say what the records and logs say.
        let expected = digest::build(
            &caseload.cases,
            caseload
                .victims
                .iter()
                .map(|v| (v, LogFacts::of(&v.contacts))),
        )
        .map_err(StoreError::Corrupt)?;
        for n in 0..=u8::MAX {
            if expected.get(&n) != stored_digest.get(&n) {
                findings.push(format!("the digest shard {n} does not match the records"));
            }
        }
        findings.extend(self.check_return_facts(&caseload)?);
        // The loaded caseload must pass the same validation as an import.
        let text = serde_json::to_string(&caseload).expect("records always serialise");
        if let Err(problems) = parse_caseload(&text, &KnownIds::default(), false) {
            findings.extend(problems.iter().map(ToString::to_string));
        }
        Ok(findings)
    }

    /// Every key read once: a record of a known kind that can be read, a log whose victim
    /// is here. Returns the findings and the digest's shards as stored.
    fn check_each_record(&self) -> Result<(Vec<Finding>, BTreeMap<u8, Shard>), StoreError> {
        let mut findings = Vec::new();
        let mut stored_digest = BTreeMap::new();
        // Whose logs there are, and which victims: matched after the one pass (a lookup for
        // each log is a round trip to a database server).
        let mut log_owners: Vec<String> = Vec::new();
        let mut victims: std::collections::HashSet<String> = std::collections::HashSet::new();
        for item in self.core.engine.scan(b"") {
            let (k, v) = item?;
            let readable = match k.get(..2) {
                Some(p) if p == DIGEST => match (k.get(2), k.len(), Shard::decode(&v)) {
                    (Some(&n), 3, Ok(shard)) => {
                        stored_digest.insert(n, shard);
                        true
                    }
                    _ => false,
                },
                Some(p) if p == TALLY => {
                    postcard::from_bytes::<crate::domain::report::ReportFacts>(&v).is_ok()
                }
                Some(p)
                    if [
                        OFFICER, CASE, VICTIM, CONTACT, SNOOZE, AUDIT, META, STAMP, ERASED,
                    ]
                    .contains(&p) =>
                {
                    serde_json::from_slice::<serde_json::Value>(&v).is_ok()
                }
                _ => {
                    findings.push(format!("unknown record {}", shown(&k)));
                    continue;
                }
            };
            if !readable {
                findings.push(format!("record {} cannot be read", shown(&k)));
            }
            if let Some(victim) = owner(CONTACT, &k) {
                log_owners.push(victim.to_owned());
            } else if let Some(victim) = owner(VICTIM, &k) {
                victims.insert(victim.to_owned());
            }
        }
        findings.extend(
            log_owners
                .iter()
                .filter(|v| !victims.contains(*v))
                .map(|v| format!("contacts of victim {v}, who is not in the store")),
        );
        findings.dedup();
        Ok((findings, stored_digest))
    }

    /// The monitoring return's kept facts, if any are kept, must be those the records give by
    /// the rules they are kept by: one for each victim, and no other.
    fn check_return_facts(&self, caseload: &Caseload) -> Result<Vec<Finding>, StoreError> {
        let Some(basis) = self.return_basis()? else {
            return Ok(Vec::new());
        };
        let mut expected: BTreeMap<String, ReportFacts> = basis
            .with_rules(|rules| facts_of(&caseload.cases, &caseload.victims, rules))
            .into_iter()
            .map(|f| (f.victim.clone(), f))
            .collect();
        let mut findings = Vec::new();
        for item in self.core.engine.scan(TALLY) {
            let (k, v) = item?;
            let victim = shown(&k[TALLY.len()..]);
            let kept = postcard::from_bytes::<ReportFacts>(&v).ok();
            if expected.remove(&victim) != kept {
                findings.push(format!(
                    "the monitoring return's facts of victim {victim} do not match the records"
                ));
            }
        }
        findings.extend(
            expected
                .keys()
                .map(|v| format!("the monitoring return's facts of victim {v} are missing")),
        );
        Ok(findings)
    }

    /// Records under an id the store marks erased.
    fn erased_but_here(&self) -> Result<Vec<Finding>, StoreError> {
        let erased = self.tombstones()?;
        let mut findings = Vec::new();
        for (noun, ids, prefix) in [
            ("victim", &erased.victims, VICTIM),
            ("case", &erased.cases, CASE),
        ] {
            let mut back: Vec<&String> = ids
                .iter()
                .filter(|id| self.core.engine.contains(&key(prefix, id)).unwrap_or(false))
                .collect();
            back.sort();
            findings.extend(
                back.into_iter()
                    .map(|id| format!("{noun} {id} is in the store but marked erased")),
            );
        }
        Ok(findings)
    }
}
