//! An import into a store this process holds (the unit service's, or the command line's
//! when no service runs): the caseload file checked against the store's ids, then written,
//! all or nothing.

use crate::domain::validate::{Problem, parse_caseload};
use crate::error::Error;
use crate::store::{ImportSummary, Store};

/// An import into a store this process holds (the unit service's): the text checked
/// against the store's ids, then written, all or nothing.
pub fn import_text(
    store: &Store,
    text: &str,
    replace: bool,
) -> Result<Result<ImportSummary, Vec<Problem>>, Error> {
    let known = store.known_ids()?;
    let caseload = match parse_caseload(text, &known, replace) {
        Ok(caseload) => caseload,
        Err(problems) => return Ok(Err(problems)),
    };
    Store::ensure_room(store.dir(), 3 * text.len() as u64)?;
    Ok(Ok(store.import_with_progress(
        caseload,
        replace,
        &mut || {},
    )?))
}
