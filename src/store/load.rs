//! `vlu db load`: a unit brought into a PostgreSQL database whole — built in memory by the
//! store's own import (records, logs, versions, digest, the audit entry), then copied into
//! the unit's rows with `COPY` in one transaction.

use std::sync::Arc;

use super::engine::Engine;
use super::engine::in_memory::InMemory;
use super::engine::on_postgres::load::load_unit;
use super::{ImportSummary, Store, StoreError};
use crate::domain::calendar::DayChanges;
use crate::domain::model::Caseload;
use crate::domain::rules::LeadTimes;

/// What a load brought in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub summary: ImportSummary,
    /// Rows written: records (every kind but contacts), and contacts.
    pub rows: u64,
    pub contact_rows: u64,
}

/// Loads `caseload` (validated) into unit `unit` of the database at `url`, as its
/// administrator, by `user`, with the return's facts by `rules` (lead times, days changed);
/// the unit must hold no records.
pub fn load(
    url: &str,
    unit: &str,
    caseload: Caseload,
    user: &str,
    rules: (LeadTimes, &DayChanges),
) -> Result<Loaded, StoreError> {
    let memory = Arc::new(InMemory::default());
    let store = Store::over(Arc::clone(&memory) as Arc<dyn Engine>, user)?;
    let summary = store.import_with_progress(caseload, false, &mut || {})?;
    // The monitoring return's facts go with the records, by the loader's rules.
    store.keep_return_facts(rules.0, rules.1)?;
    drop(store);
    let keys = memory.take();
    let rows = load_unit(url, unit, &keys)?;
    Ok(Loaded {
        summary,
        rows: rows.records,
        contact_rows: rows.contacts,
    })
}
