//! `vlu check`: every record readable, every reference resolved, the schema known.

use crate::domain::facts::LogFacts;
use crate::domain::model::Contact;
use crate::domain::validate::{KnownIds, parse_caseload};

use super::{
    AUDIT, CASE, CONTACT, FACTS, META, OFFICER, SNOOZE, Store, StoreError, VICTIM, key, owner,
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
                        || p == FACTS
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
            for prefix in [CONTACT, FACTS] {
                if let Some(victim) = owner(prefix, &k)
                    && !self.db.contains_key(key(VICTIM, victim))?
                {
                    let what = if prefix == CONTACT {
                        "contacts"
                    } else {
                        "log facts"
                    };
                    findings.push(format!(
                        "{what} of victim {victim}, who is not in the store"
                    ));
                }
            }
            // The facts kept beside a log must be the facts of that log.
            if let (Some(victim), true) = (owner(CONTACT, &k), readable) {
                let log: Vec<Contact> = serde_json::from_slice(&v).unwrap_or_default();
                let kept = self.db.get(key(FACTS, victim))?;
                let kept: Option<LogFacts> = kept.and_then(|f| serde_json::from_slice(&f).ok());
                if kept.as_ref() != Some(&LogFacts::of(&log)) {
                    findings.push(format!(
                        "the log facts of victim {victim} do not match its log"
                    ));
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
