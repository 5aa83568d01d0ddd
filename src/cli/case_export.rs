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

use std::path::Path;

use super::crypt::{Sealer, maybe_sealed};
use super::{Env, write_out};
use crate::domain::model::Transfer;
use crate::domain::text::forbidden_char;
use crate::error::Error;
use crate::unit::api::UnitStore;
use crate::unit::command::Command;

/// The most an area's name may be.
const MAX_AREA: usize = 200;

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
    to_stdout: bool,
) -> Result<(), Error> {
    let transfer_to = transfer_to.map(area).transpose()?;
    let no_case = || Error::Usage(format!("there is no case {id} in the store"));
    let found = env.with_service(|service| service.export_case(id, transfer_to))?;
    let Some((caseload, version)) = found.flatten() else {
        return Err(no_case());
    };
    write_out(file, |w| {
        maybe_sealed(sealer, w, |w| {
            serde_json::to_writer_pretty(&mut *w, &caseload)?;
            w.write_all(b"\n")
        })
    })?;
    let what = format!(
        "case {} with {}",
        crate::domain::text::visible(id),
        crate::domain::text::plural(caseload.victims.len(), "victim")
    );
    super::output::say_exported(&what, file, to_stdout);
    let Some(to_area) = transfer_to else {
        return Ok(());
    };
    let mut case = caseload.cases[0].clone();
    let on = chrono::Local::now().date_naive();
    case.transferred = Some(Box::new(Transfer {
        on: Some(on),
        to_area: Some(to_area.to_owned()),
    }));
    let transfer = Command::SaveCase {
        case: Box::new(case),
        base: version,
        why: Some(format!("transferred to {to_area}")),
    };
    env.with_service(|service| service.execute(&transfer))?;
    eprintln!(
        "vlu: case {} marked transferred to {} on {on}; its records stay here, without reminders",
        crate::domain::text::visible(id),
        crate::domain::text::visible(to_area)
    );
    Ok(())
}
