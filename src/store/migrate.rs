//! Migrations of the store's layout, each staged in the same batch as the new schema
//! version, so that a store is either wholly migrated or not at all.

use std::collections::BTreeMap;

use super::digest;
use super::engine::{Batch, Engine};
use super::{CASE, CONTACT, DIGEST, FACTS, Store, StoreError, VICTIM, decode, owner, values};
use crate::domain::facts::LogFacts;
use crate::domain::model::{Case, Contact, Victim};

/// Schema 1 → 2: one key per contact (`k\0{victim}\0{seq}`) becomes one key per log
/// (`k\0{victim}`). (Schema 2 also kept each log's facts under `f\0{victim}`; the next
/// step computes them from the logs.)
pub(super) fn one_key_per_log(db: &dyn Engine, batch: &mut Batch) -> Result<(), StoreError> {
    let mut logs: BTreeMap<String, Vec<Contact>> = BTreeMap::new();
    for item in db.scan(CONTACT) {
        let (k, v) = item?;
        let rest = &k[CONTACT.len()..];
        let Some(end) = rest.iter().position(|&b| b == 0) else {
            continue;
        };
        let victim = String::from_utf8_lossy(&rest[..end]).into_owned();
        logs.entry(victim).or_default().push(decode(&k, &v)?);
        batch.remove(k);
    }
    for item in db.keys(VICTIM) {
        let k = item?;
        if let Some(victim) = owner(VICTIM, &k) {
            let log = logs.remove(victim).unwrap_or_default();
            Store::stage_log(batch, victim, &log)?;
        }
    }
    if let Some(victim) = logs.keys().next() {
        return Err(StoreError::Corrupt(format!(
            "contacts of victim {victim}, who is not in the store"
        )));
    }
    Ok(())
}

/// Schema 2 → 3, 3 → 4, 4 → 5, 5 → 6, 7 → 8, 8 → 9 and 9 → 10: the digest (`d\0{n}`) is built anew from every victim,
/// log and case, in this build's layout, in place of any there was (schema 4 keeps each
/// victim in its case's shard, where schema 3 kept it in its own; schema 5's log facts hold
/// the date of the second offer and of the latest inbound and agency contacts, for
/// `release_reoffer`; schema 6's digest holds the dates of vlu's own casework sections —
/// VPS, complaints, licence submissions, restricted patients, transfers, moves away;
/// schema 8's log facts hold the unwanted contacts not yet reported and the risk reports not
/// yet answered, and its summaries whether a risk is on record; schema 9's log facts hold the
/// outcomes received and not yet told; schema 10's summaries hold each task's kind and
/// dates, and when a VPS's non-disclosure was asked and whether it is decided). The facts schema 2 kept beside each log (`f\0{victim}`) go: they are in
/// the digest.
pub(super) fn digest(db: &dyn Engine, batch: &mut Batch) -> Result<(), StoreError> {
    for k in db.keys(DIGEST) {
        batch.remove(k?);
    }
    let victims: Vec<Victim> = values(db, VICTIM)?;
    let cases: Vec<Case> = values(db, CASE)?;
    let mut facts = Vec::with_capacity(victims.len());
    for v in &victims {
        let k = [CONTACT, v.id.as_bytes()].concat();
        let log: Vec<Contact> = match db.get(&k)? {
            Some(bytes) => decode(&k, &bytes)?,
            None => Vec::new(),
        };
        facts.push(LogFacts::of(&log));
    }
    let shards = digest::build(&cases, victims.iter().zip(facts)).map_err(StoreError::Corrupt)?;
    for (n, shard) in shards {
        batch.insert([DIGEST, &[n]].concat(), shard.encode());
    }
    for k in db.keys(FACTS) {
        batch.remove(k?);
    }
    Ok(())
}

/// Schema 6 → 7: the monitoring return's facts (`t\0{victim}`, with their basis in the
/// meta), which a store of schema 6 has none of: nothing to write, for a store keeping none
/// works them out at its first return. The step is there so that an older vlu, which would
/// write records without keeping their facts up, refuses a store that keeps them.
#[expect(
    clippy::unnecessary_wraps,
    reason = "every migration step has this signature"
)]
pub(super) fn return_facts(_: &dyn Engine, _: &mut Batch) -> Result<(), StoreError> {
    Ok(())
}
