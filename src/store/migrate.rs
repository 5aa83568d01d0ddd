//! Migrations of the store's layout, each staged in the same batch as the new schema
//! version, so that a store is either wholly migrated or not at all.

use std::collections::BTreeMap;

use sled::{Batch, Tree};

use super::{CONTACT, Store, StoreError, VICTIM, decode, owner};
use crate::domain::model::Contact;

/// Schema 1 → 2: one key per contact (`k\0{victim}\0{seq}`) becomes one key per log
/// (`k\0{victim}`), and each log gets its facts (`f\0{victim}`).
pub(super) fn one_key_per_log(db: &Tree, batch: &mut Batch) -> Result<(), StoreError> {
    let mut logs: BTreeMap<String, Vec<Contact>> = BTreeMap::new();
    for item in db.scan_prefix(CONTACT) {
        let (k, v) = item?;
        let rest = &k[CONTACT.len()..];
        let Some(end) = rest.iter().position(|&b| b == 0) else {
            continue;
        };
        let victim = String::from_utf8_lossy(&rest[..end]).into_owned();
        logs.entry(victim).or_default().push(decode(&k, &v)?);
        batch.remove(k);
    }
    for item in db.scan_prefix(VICTIM).keys() {
        let k = item?;
        if let Some(victim) = owner(VICTIM, &k) {
            let log = logs.remove(victim).unwrap_or_default();
            Store::stage_log(batch, victim, &log);
        }
    }
    if let Some(victim) = logs.keys().next() {
        return Err(StoreError::Corrupt(format!(
            "contacts of victim {victim}, who is not in the store"
        )));
    }
    Ok(())
}
