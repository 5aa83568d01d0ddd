//! `vlu check`: the store's integrity, and what it holds — the same sentence whether the
//! command line or the unit service holds the store.

use crate::domain::text::plural;
use crate::error::Error;
use crate::store::Store;

/// The store's integrity: a sentence saying it is sound and what it holds, or the findings.
pub fn check_store(store: &Store) -> Result<Result<String, Vec<String>>, Error> {
    let findings = store.check()?;
    if !findings.is_empty() {
        return Ok(Err(findings));
    }
    let c = store.load()?;
    let contacts: usize = c.victims.iter().map(|v| v.contacts.len()).sum();
    Ok(Ok(format!(
        "The store in {} is sound: schema {}, {}, {}, {}, {}.",
        store.kept_in(),
        crate::store::SCHEMA_VERSION,
        plural(c.officers.len(), "officer"),
        plural(c.cases.len(), "case"),
        plural(c.victims.len(), "victim"),
        plural(contacts, "contact"),
    )))
}
