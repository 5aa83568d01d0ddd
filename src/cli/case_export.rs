//! `vlu export --case ID [FILE]`: one case with its victims and their logs, in the caseload
//! format, for the unit the case moves to (whose `vlu import` takes it as any caseload
//! file). The officers the records name come too, so that every reference resolves; the
//! unit's name and extra non-working days come as the whole export has them. The file is a
//! disclosure of those victims, and is recorded as one.
//!
//! With `--transfer-to AREA` the case is then marked transferred here — a save of the case,
//! audited like any other, never a deletion: the records stay, and the diary stops raising
//! reminders for them. The file itself never carries the mark: the receiving unit holds the
//! case live.

use std::collections::BTreeSet;
use std::path::Path;

use super::crypt::{Sealer, maybe_sealed};
use super::{Env, write_out};
use crate::domain::model::{Caseload, Transfer};
use crate::domain::text::forbidden_char;
use crate::error::Error;
use crate::store::{Disclosure, Record, StoreError, UnitStore};

/// The most an area's name may be.
const MAX_AREA: usize = 200;

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

/// The area a case is transferred to, as typed: plain text, not blank.
fn area(typed: &str) -> Result<&str, Error> {
    let area = typed.trim();
    if area.is_empty() {
        return Err(Error::Usage(
            "--transfer-to needs the area or unit the case goes to, e.g. --transfer-to \"Southshire VLU\"".into(),
        ));
    }
    if forbidden_char(area).is_some() || area.contains('\n') || area.chars().count() > MAX_AREA {
        return Err(Error::Usage(format!(
            "--transfer-to must be one line of plain text of at most {MAX_AREA} characters"
        )));
    }
    Ok(area)
}

/// `vlu export --case ID [--transfer-to AREA] [FILE]`.
pub(super) fn export_case(
    env: &Env,
    file: Option<&Path>,
    id: &str,
    transfer_to: Option<&str>,
    sealer: Option<Sealer>,
) -> Result<(), Error> {
    let transfer_to = transfer_to.map(area).transpose()?;
    let no_case = || Error::Usage(format!("there is no case {id} in the store"));
    let found = env.with_service(|service| {
        let Some(caseload) = one_case(service, id)? else {
            return Ok(None);
        };
        let case = &caseload.cases[0];
        if transfer_to.is_some()
            && let Some(t) = service.case(id)?.and_then(|c| c.transferred)
        {
            return Err(StoreError::Refused(format!(
                "case {id} was transferred already ({}{}), so nothing was written",
                t.on.map_or_else(|| "no date".to_owned(), |d| d.to_string()),
                t.to_area
                    .as_deref()
                    .map_or_else(String::new, |a| format!(" to {a}"))
            )));
        }
        let victims = caseload.victims.iter().map(|v| v.id.clone()).collect();
        let what = if transfer_to.is_some() {
            "case transfer"
        } else {
            "case export"
        };
        service.record_disclosure(&Disclosure::of(what, victims))?;
        let version = service.stamp(Record::Case, &case.id)?.version;
        Ok(Some((caseload, version)))
    })?;
    let Some((caseload, version)) = found.flatten() else {
        return Err(no_case());
    };
    write_out(file, |w| {
        maybe_sealed(sealer, w, |w| {
            serde_json::to_writer_pretty(&mut *w, &caseload)?;
            w.write_all(b"\n")
        })
    })?;
    let Some(to_area) = transfer_to else {
        return Ok(());
    };
    let mut case = caseload.cases[0].clone();
    let on = chrono::Local::now().date_naive();
    case.transferred = Some(Box::new(Transfer {
        on: Some(on),
        to_area: Some(to_area.to_owned()),
    }));
    let why = format!("transferred to {to_area}");
    env.with_service(|service| service.save_case(&case, version, Some(&why)))?;
    eprintln!(
        "vlu: case {} marked transferred to {} on {on}; its records stay here, without reminders",
        crate::domain::text::visible(id),
        crate::domain::text::visible(to_area)
    );
    Ok(())
}
