//! Spreadsheets in and out: a unit's existing records, one row a victim, read through a
//! mapping into the caseload format (`vlu import-table`), and the caseload, diary and
//! contact log written as spreadsheets for managers (`vlu export --format csv`).
//!
//! A sheet becomes the same caseload document that `vlu import` reads, and goes through the
//! same validation and the same all-or-nothing import; only the problems are said
//! differently, by the row and column a person will find them in.

mod ambiguous;
pub mod build;
pub mod cells;
pub mod convert;
pub mod export;
pub mod fields;
pub mod mapping;
pub mod places;
pub mod suggest;

use std::collections::HashSet;

use crate::domain::model::Caseload;
use crate::domain::validate::{KnownIds, Problem, parse_caseload};
use places::Places;

/// A sheet read through its mapping and passed by the caseload's rules.
#[derive(Debug)]
pub struct Checked {
    /// The caseload document, as `vlu import` reads it.
    pub text: String,
    pub caseload: Caseload,
    /// Where each of its values came from.
    pub places: Places,
    /// The first and last data rows, and how many there were.
    pub rows: (usize, usize, usize),
    /// The sheet's headers that no field reads.
    pub unread: Vec<String>,
    /// What the unit should check before it imports (ambiguous dates).
    pub warnings: Vec<String>,
}

/// Reads `sheet` by `mapping` and checks the caseload it makes as an import would, against
/// the ids already `known` to the store. Every problem, by row and column, in the sheet's
/// order.
pub fn check(
    sheet: &cells::Sheet,
    mapping: &mapping::Mapping,
    known: &KnownIds,
    replace: bool,
) -> Result<Checked, Vec<Problem>> {
    let converted = build::convert(sheet, mapping, &known.officers, &|| {})?;
    check_converted(converted, known, replace)
}

/// [`check`] in two steps, for a command that shows each: the sheet read by its mapping
/// (`build::convert`), then the caseload it makes checked as an import would.
pub fn check_converted(
    converted: build::Converted,
    known: &KnownIds,
    replace: bool,
) -> Result<Checked, Vec<Problem>> {
    let text = serde_json::to_string(&converted.document).expect("JSON values serialise");
    let parsed = parse_caseload(&text, known, replace);
    let mut problems = converted.problems;
    if let Err(found) = &parsed {
        problems = located(&converted.places, found, problems);
    }
    if !problems.is_empty() {
        problems.sort_by_key(|(key, _)| *key);
        return Err(problems.into_iter().map(|(_, p)| p).collect());
    }
    Ok(Checked {
        text,
        caseload: parsed?,
        places: converted.places,
        rows: converted.rows,
        unread: converted.unread,
        warnings: converted.warnings,
    })
}

/// The caseload's problems by their places, added to those of the cells (`said`). A field
/// that is missing where its cell has already been found wrong is not said twice.
pub fn located(
    places: &Places,
    found: &[Problem],
    mut said: Vec<((usize, usize), Problem)>,
) -> Vec<((usize, usize), Problem)> {
    let mut at: HashSet<String> = said.iter().map(|(_, p)| p.path.clone()).collect();
    for problem in found {
        let (key, there) = places.locate(problem);
        let missing = problem.message == "missing required field";
        if missing && at.contains(&there.path) {
            continue;
        }
        at.insert(there.path.clone());
        said.push((key, there));
    }
    said
}

/// A caseload's problems from a later check (the import itself) by row and column.
pub fn locate_all(places: &Places, found: &[Problem]) -> Vec<Problem> {
    let mut located = located(places, found, Vec::new());
    located.sort_by_key(|(key, _)| *key);
    located.into_iter().map(|(_, p)| p).collect()
}
