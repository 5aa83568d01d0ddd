//! `vlu check`: every record readable, every reference resolved, the schema known.

use crate::domain::validate::{KnownIds, parse_caseload};

use super::{
    AUDIT, CASE, CONTACT, META, OFFICER, SNOOZE, Store, StoreError, VICTIM, contact_owner, key,
};

/// One integrity problem.
pub type Finding = String;

impl Store {
    /// Every integrity problem in the store (none means it is sound).
    pub fn check(&self) -> Result<Vec<Finding>, StoreError> {
        let mut findings = Vec::new();
        for item in self.db.iter() {
            let (k, v) = item?;
            let readable = match k.get(..2) {
                Some(p)
                    if p == OFFICER
                        || p == CASE
                        || p == VICTIM
                        || p == CONTACT
                        || p == SNOOZE
                        || p == AUDIT
                        || p == META =>
                {
                    serde_json::from_slice::<serde_json::Value>(&v).is_ok()
                }
                _ => {
                    findings.push(format!(
                        "unknown record {}",
                        String::from_utf8_lossy(&k).replace('\0', "/")
                    ));
                    continue;
                }
            };
            if !readable {
                findings.push(format!(
                    "record {} cannot be read",
                    String::from_utf8_lossy(&k).replace('\0', "/")
                ));
            }
            if k.starts_with(CONTACT) {
                match contact_owner(&k) {
                    Some(victim) if self.db.contains_key(key(VICTIM, victim))? => {}
                    Some(victim) => findings.push(format!(
                        "contacts of victim {victim}, who is not in the store"
                    )),
                    None => findings.push("a contact with no victim".to_owned()),
                }
            }
        }
        findings.dedup();
        if !findings.is_empty() {
            return Ok(findings);
        }
        let caseload = match self.load() {
            Ok(c) => c,
            Err(StoreError::Corrupt(what)) => return Ok(vec![what]),
            Err(e) => return Err(e),
        };
        // The loaded caseload must pass the same validation as an import.
        let text = serde_json::to_string(&caseload).expect("records always serialise");
        if let Err(problems) = parse_caseload(&text, &KnownIds::default(), false) {
            findings.extend(problems.iter().map(ToString::to_string));
        }
        Ok(findings)
    }
}
