//! An import into a store this process holds (the unit service's): the caseload file
//! checked against the store's ids, then written as it is read a second time, all or
//! nothing. Neither pass holds the file's records: only the text is in memory.

use serde_json::Deserializer;

use crate::domain::validate::{Problem, check_caseload, read_records};
use crate::error::Error;
use crate::store::{ImportSummary, Store};

/// An import into a store this process holds (the unit service's): the text checked
/// against the store's ids, then written, all or nothing.
pub fn import_text(
    store: &Store,
    text: &str,
    replace: bool,
) -> Result<Result<ImportSummary, Vec<Problem>>, Error> {
    // A byte-order mark is how some Windows editors start a UTF-8 file: not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let known = store.known_ids()?;
    if let Err(problems) = check_caseload(Deserializer::from_str(text), &known, replace) {
        return Ok(Err(problems));
    }
    Store::ensure_room(store.dir(), 3 * text.len() as u64)?;
    Ok(store.import_records(replace, |each| {
        read_records(Deserializer::from_str(text), each)
    })?)
}
