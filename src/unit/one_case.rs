//! One case with its victims, their logs and the officers they name, in the caseload
//! format: what `vlu export --case` writes for the unit a case moves to. Made by the unit
//! service, for managers and administrators (the service records the disclosure).

use std::collections::BTreeSet;

use super::api::UnitStore;
use crate::domain::model::Caseload;
use crate::store::StoreError;

/// The case `id` of `store` with its victims, their logs and the officers they name; `None`
/// when there is no such case.
pub fn one_case(store: &dyn UnitStore, id: &str) -> Result<Option<Caseload>, StoreError> {
    let Some(mut case) = store.case(id)? else {
        return Ok(None);
    };
    case.transferred = None;
    let digest = store.load_digest()?;
    let head = digest.caseload;
    let mut victims = Vec::new();
    for v in head.victims.iter().filter(|v| v.case_id == id) {
        if let Some(whole) = store.victim(&v.id)? {
            victims.push(whole);
        }
    }
    victims.sort_by(|a, b| a.id.cmp(&b.id));
    let named: BTreeSet<&str> = victims
        .iter()
        .flat_map(|v| {
            v.allocated_to
                .as_deref()
                .into_iter()
                .chain(v.contacts.iter().filter_map(|c| c.by.as_deref()))
        })
        .collect();
    let officers = head
        .officers
        .iter()
        .filter(|o| named.contains(o.id.as_str()))
        .cloned()
        .collect();
    Ok(Some(Caseload {
        unit: head.unit.clone(),
        officers,
        extra_non_working_days: head.extra_non_working_days.clone(),
        cases: vec![case],
        victims,
        ..Caseload::default()
    }))
}
