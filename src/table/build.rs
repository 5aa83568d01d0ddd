//! A sheet's rows into a caseload document — the same JSON `vlu import` reads — with the
//! place in the sheet of every value put in it, so that the caseload's own validation can be
//! reported by row and column.
//!
//! One row is one victim. Rows with the same case id are one case: its details come from the
//! first row that gives each, and a later row that gives a different one is a problem.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value, json};

use super::cells::{Cell, Sheet};
use super::convert::{text_of, value_of};
use super::fields::{Field, Kind, Owner};
use super::mapping::{Column, Mapping, bind};
use super::places::{Place, Places};
use crate::domain::model::{FORMAT_NAME, FORMAT_VERSION};
use crate::domain::validate::Problem;

/// A sheet read through a mapping.
#[derive(Debug)]
pub struct Converted {
    /// The caseload document.
    pub document: Value,
    pub places: Places,
    /// Cells that could not be read, and rows of a case that disagree, each with its place's
    /// order in the sheet.
    pub problems: Vec<((usize, usize), Problem)>,
    /// The first and last data rows, and how many rows there were.
    pub rows: (usize, usize, usize),
    /// Headers of the sheet that no field reads.
    pub unread: Vec<String>,
    /// Date columns that cannot show which way round they are written.
    pub warnings: Vec<String>,
}

/// Reads `sheet` by `mapping`, calling `step` after each row (for a progress bar). Officers
/// named in the mapping are added unless the store has them (`stored_officers`). A problem
/// of the mapping against the sheet (a column not there) stops it here.
pub fn convert<S: std::hash::BuildHasher>(
    sheet: &Sheet,
    mapping: &Mapping,
    stored_officers: &HashSet<String, S>,
    step: &dyn Fn(),
) -> Result<Converted, Vec<Problem>> {
    let no_rows = |message: String| {
        vec![Problem {
            path: String::new(),
            message,
        }]
    };
    let header_at = match mapping.header_row {
        Some(n) => sheet
            .rows
            .iter()
            .position(|(row, _)| *row == n)
            .ok_or_else(|| {
                no_rows(format!(
                    "header_row {n} of the mapping is empty or past the sheet's end"
                ))
            })?,
        None if sheet.rows.is_empty() => return Err(no_rows("the sheet is empty".into())),
        None => 0,
    };
    let headers = &sheet.rows[header_at].1;
    let bound = bind(mapping, headers)?;
    let data = &sheet.rows[header_at + 1..];
    let (Some((first, _)), Some((last, _))) = (data.first(), data.last()) else {
        return Err(no_rows(format!(
            "the sheet has no rows below its header row ({})",
            sheet.rows[header_at].0
        )));
    };
    let names: Vec<String> = headers
        .iter()
        .map(|c| text_of(c).ok().flatten().unwrap_or_default())
        .collect();
    let mut b = Builder {
        mapping,
        bound: &bound,
        names: &names,
        victims: Vec::with_capacity(data.len()),
        cases: Vec::new(),
        case_index: HashMap::new(),
        places: Places::default(),
        problems: Vec::new(),
    };
    for (row, cells) in data {
        b.row(*row, cells);
        step();
    }
    let read: HashSet<usize> = bound
        .iter()
        .flat_map(|(_, at)| at.iter().copied())
        .collect();
    let unread = names
        .iter()
        .enumerate()
        .filter(|(i, n)| !n.is_empty() && !read.contains(i))
        .map(|(_, n)| n.clone())
        .collect();
    let warnings = super::ambiguous::warnings(mapping, &bound, data);
    let officers = b.officers(stored_officers);
    let cases = b.finish_cases();
    Ok(Converted {
        document: json!({
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "officers": officers,
            "cases": cases,
            "victims": b.victims,
        }),
        places: b.places,
        problems: b.problems,
        rows: (*first, *last, data.len()),
        unread,
        warnings,
    })
}

/// A case as its rows build it.
#[derive(Default)]
struct CaseRows {
    record: Map<String, Value>,
    /// The place each field was taken from.
    from: HashMap<String, Place>,
    first_row: usize,
    /// Per key-date column: its dates, and the row and place they came from.
    key_dates: Vec<(&'static Field, Vec<Value>, Place)>,
}

struct Builder<'m> {
    mapping: &'m Mapping,
    bound: &'m [(Column, Vec<usize>)],
    names: &'m [String],
    victims: Vec<Value>,
    cases: Vec<CaseRows>,
    case_index: HashMap<String, usize>,
    places: Places,
    problems: Vec<((usize, usize), Problem)>,
}

impl Builder<'_> {
    /// Where a cell is, for a message: its row, its column's header (the headers joined, for
    /// a field read from several columns), and what it holds unless it is a contact detail.
    fn place(&self, row: usize, at: &[usize], field: &'static Field, cell: &Cell) -> Place {
        let shown = if field.is_contact_detail() {
            None
        } else {
            Some(match text_of(cell) {
                Ok(Some(text)) => text,
                Ok(None) => String::new(),
                Err(_) => match cell {
                    Cell::Error(e) => e.clone(),
                    _ => String::new(),
                },
            })
        };
        let header = match at {
            [one] => Cow::Borrowed(self.names[*one].as_str()),
            several => Cow::Owned(
                several
                    .iter()
                    .map(|i| self.names[*i].as_str())
                    .collect::<Vec<_>>()
                    .join(" + "),
            ),
        };
        Place::cell(row, at[0], &header, shown, field)
    }

    fn row(&mut self, row: usize, cells: &[Cell]) {
        let i = self.victims.len();
        let mut victim = Map::new();
        let mut case_id = None;
        self.places.insert(format!("victims[{i}]"), Place::row(row));
        for (column, at) in self.bound {
            let field = column.field;
            if field.owner() != Owner::Victim && field.path != "case.id" {
                continue;
            }
            let cell = joined(cells, at);
            let place = self.place(row, at, field, &cell);
            let inner = if field.path == "case.id" {
                "case_id"
            } else {
                field.inner()
            };
            let path = format!("victims[{i}].{inner}");
            match value_of(field, &cell, self.mapping.reading(field)) {
                Ok(Some(value)) => {
                    if field.path == "case.id" {
                        case_id = value.as_str().map(str::to_owned);
                    }
                    put(&mut victim, inner, value);
                }
                Ok(None) => {}
                Err(why) => self.problems.push((place.key(), place.problem(&why))),
            }
            self.places.insert(path, place);
        }
        for default in &self.mapping.defaults {
            let inner = default.field.inner();
            if default.field.owner() == Owner::Victim && get(&victim, inner).is_none() {
                put(&mut victim, inner, default.value.clone());
                let path = format!("victims[{i}].{inner}");
                self.places.entry(path).or_insert_with(|| {
                    Place::default_value(row, &default.field.path, default.line)
                });
            }
        }
        // No status date in the sheet: the status is taken to hold since the referral (and
        // a problem of the referral date is one of the status date too).
        if get(&victim, "status_since").is_none() {
            if let Some(referred) = get(&victim, "referred_on").cloned() {
                put(&mut victim, "status_since", referred);
            }
            if let Some(place) = self
                .places
                .get(&format!("victims[{i}].referred_on"))
                .cloned()
            {
                self.places
                    .insert(format!("victims[{i}].status_since"), place);
            }
        }
        self.victims.push(Value::Object(victim));
        if let Some(id) = case_id {
            self.case_row(&id, row, cells);
        }
    }

    /// A row's case fields, into the case of that id.
    fn case_row(&mut self, id: &str, row: usize, cells: &[Cell]) {
        let j = *self.case_index.entry(id.to_owned()).or_insert_with(|| {
            self.cases.push(CaseRows {
                first_row: row,
                ..CaseRows::default()
            });
            self.places
                .insert(format!("cases[{}]", self.cases.len() - 1), Place::row(row));
            self.cases.len() - 1
        });
        for (column, at) in self.bound {
            let field = column.field;
            if field.owner() != Owner::Case {
                continue;
            }
            let cell = joined(cells, at);
            let place = self.place(row, at, field, &cell);
            let path = format!("cases[{j}].{}", field.inner());
            let value = match value_of(field, &cell, self.mapping.reading(field)) {
                Ok(value) => value,
                Err(why) => {
                    self.problems.push((place.key(), place.problem(&why)));
                    self.places.entry(path).or_insert(place);
                    continue;
                }
            };
            if let Kind::KeyDate(_) = field.kind {
                self.key_dates_row(j, id, field, value, place);
                continue;
            }
            let case = &mut self.cases[j];
            let Some(value) = value else {
                self.places.entry(path).or_insert(place);
                continue;
            };
            match get(&case.record, field.inner()) {
                None => {
                    put(&mut case.record, field.inner(), value);
                    case.from.insert(field.path.clone(), place.clone());
                    self.places.insert(path, place);
                }
                Some(had) if *had != value => {
                    let why = disagreement(case.from.get(&field.path), case.first_row, id);
                    self.problems.push((place.key(), place.problem(&why)));
                }
                Some(_) => {}
            }
        }
    }

    fn key_dates_row(
        &mut self,
        j: usize,
        id: &str,
        field: &'static Field,
        value: Option<Value>,
        place: Place,
    ) {
        let Some(Value::Array(dates)) = value else {
            return;
        };
        let case = &mut self.cases[j];
        match case.key_dates.iter().find(|(f, ..)| f.path == field.path) {
            None => {
                case.from.insert(field.path.clone(), place.clone());
                case.key_dates.push((field, dates, place));
            }
            Some((_, had, _)) if *had != dates => {
                let why = disagreement(case.from.get(&field.path), case.first_row, id);
                self.problems.push((place.key(), place.problem(&why)));
            }
            Some(_) => {}
        }
    }

    /// Each case's record, with the mapping's defaults where its rows gave nothing, and its
    /// key dates, each in the place it came from.
    fn finish_cases(&mut self) -> Vec<Value> {
        let mapping = self.mapping;
        let mut out = Vec::with_capacity(self.cases.len());
        for (j, case) in self.cases.iter_mut().enumerate() {
            for default in &mapping.defaults {
                let inner = default.field.inner();
                if default.field.owner() == Owner::Case && get(&case.record, inner).is_none() {
                    put(&mut case.record, inner, default.value.clone());
                    self.places
                        .entry(format!("cases[{j}].{inner}"))
                        .or_insert_with(|| {
                            Place::default_value(case.first_row, &default.field.path, default.line)
                        });
                }
            }
            let mut key_dates = Vec::new();
            for (field, dates, place) in &case.key_dates {
                let Kind::KeyDate(kind) = field.kind else {
                    continue;
                };
                for date in dates {
                    let k = key_dates.len();
                    for part in ["", ".date", ".kind"] {
                        self.places
                            .insert(format!("cases[{j}].key_dates[{k}]{part}"), place.clone());
                    }
                    key_dates.push(json!({ "kind": kind, "date": date }));
                }
            }
            if !key_dates.is_empty() {
                case.record
                    .insert("key_dates".into(), Value::Array(key_dates));
            }
            out.push(Value::Object(std::mem::take(&mut case.record)));
        }
        out
    }

    /// The mapping's officers that the store does not have yet.
    fn officers<S: std::hash::BuildHasher>(&mut self, stored: &HashSet<String, S>) -> Vec<Value> {
        let mut out = Vec::new();
        for (id, name, line) in &self.mapping.officers {
            if stored.contains(id) {
                continue;
            }
            let k = out.len();
            for part in ["", ".id", ".name"] {
                self.places
                    .insert(format!("officers[{k}]{part}"), Place::mapping(*line));
            }
            out.push(json!({ "id": id, "name": name }));
        }
        out
    }
}

/// The cell a field reads in a row: its column's; for a field joined from several columns,
/// their texts joined with a space, empty ones left out (a cell that holds a spreadsheet
/// error is read as it is, to be said so).
fn joined<'c>(cells: &'c [Cell], at: &[usize]) -> Cow<'c, Cell> {
    if let [one] = at {
        return Cow::Borrowed(Sheet::cell(cells, *one));
    }
    let mut parts = Vec::with_capacity(at.len());
    for &i in at {
        let cell = Sheet::cell(cells, i);
        match text_of(cell) {
            Ok(Some(text)) => parts.push(text),
            Ok(None) => {}
            Err(_) => return Cow::Borrowed(cell),
        }
    }
    Cow::Owned(if parts.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(parts.join(" "))
    })
}

/// Why a row's value for its case is refused: an earlier row of the case gave another.
fn disagreement(earlier: Option<&Place>, first_row: usize, case: &str) -> String {
    let (row, cell) = earlier.map_or((first_row, String::new()), |p| {
        let cell = p
            .shown
            .as_ref()
            .map(|s| format!(", cell \"{}\"", crate::domain::text::shortened(s, 40)))
            .unwrap_or_default();
        (p.row, cell)
    });
    format!(
        "differs from row {row}{cell} of the same case \"{}\"; a case's details must \
         agree in all its rows (or be left empty after the first)",
        crate::domain::text::shortened(case, 40)
    )
}

fn get<'v>(record: &'v Map<String, Value>, inner: &str) -> Option<&'v Value> {
    let mut parts = inner.split('.');
    let mut at = record.get(parts.next()?)?;
    for part in parts {
        at = at.as_object()?.get(part)?;
    }
    Some(at)
}

fn put(record: &mut Map<String, Value>, inner: &str, value: Value) {
    match inner.split_once('.') {
        None => {
            record.insert(inner.to_owned(), value);
        }
        Some((head, rest)) => {
            let child = record
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(child) = child {
                put(child, rest, value);
            }
        }
    }
}
