//! `vlu import-table --suggest`: a starting mapping guessed from a sheet's headers — each
//! header matched to the field whose name or usual header it is, the date format its dates
//! are written in, the unit's words that need saying in vlu's terms, and the officers it
//! names. What it could not guess is written as a comment to fill in. It never repeats a
//! contact detail: only the headers and the values of choice and officer columns are read.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::cells::{Cell, Sheet};
use super::convert::{choice_of, date_in, text_of};
use super::fields::{FIELDS, Field, Kind, simplified};

/// Date formats a unit's sheet may use, most likely first.
const DATE_FORMATS: &[&str] = &[
    "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y", "%m/%d/%Y",
];

/// The field each header names, by position (`None`: no field).
fn matched(headers: &[String]) -> Vec<Option<&'static Field>> {
    let mut taken = BTreeSet::new();
    headers
        .iter()
        .map(|h| {
            let h = simplified(h);
            if h.is_empty() {
                return None;
            }
            let found = FIELDS.iter().find(|f| {
                !taken.contains(&f.path)
                    && (simplified(&f.header) == h
                        || simplified(&f.path) == h
                        || f.also.iter().any(|a| simplified(a) == h))
            })?;
            taken.insert(found.path.clone());
            Some(found)
        })
        .collect()
}

/// A TOML string.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// The distinct texts of a column, in the order met.
fn distinct(sheet: &Sheet, column: usize) -> Vec<String> {
    let mut seen = BTreeSet::new();
    sheet.rows[1..]
        .iter()
        .filter_map(|(_, cells)| text_of(Sheet::cell(cells, column)).ok().flatten())
        .filter(|t| seen.insert(t.clone()))
        .collect()
}

/// The first format that reads every date written as text in the date columns.
fn date_format(sheet: &Sheet, columns: &[(usize, &Field)], fallback: &str) -> String {
    let texts: Vec<&str> = sheet.rows[1..]
        .iter()
        .flat_map(|(_, cells)| {
            columns
                .iter()
                .filter(|(_, f)| matches!(f.kind, Kind::Date | Kind::KeyDate(_)))
                .filter_map(|(i, _)| match Sheet::cell(cells, *i) {
                    Cell::Text(t) => Some(t.as_str()),
                    _ => None,
                })
        })
        .flat_map(|t| t.split(';').map(str::trim))
        .filter(|t| !t.is_empty())
        .collect();
    if texts.is_empty() {
        return fallback.to_owned();
    }
    // The format that reads the most of them (a mistyped date reads in none); the likelier
    // on a tie.
    let read = |f: &str| texts.iter().filter(|t| date_in(t, f).is_some()).count();
    DATE_FORMATS
        .iter()
        .rev()
        .max_by_key(|f| read(f))
        .filter(|f| read(f) > 0)
        .map_or_else(|| fallback.to_owned(), |f| (*f).to_owned())
}

/// An officer id for a name: its first initial and surname (`Sara Ahmed` → `sahmed`); a name
/// that is one word is its own id.
fn officer_id(name: &str) -> String {
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        [] => "officer".to_owned(),
        [one] => one.clone(),
        [first, .., last] => format!("{}{}", &first[..1], last).to_lowercase(),
    }
}

/// The suggested mapping for `sheet` (its first row the headers).
pub fn suggest(sheet: &Sheet, source: &str, fallback_date_format: &str) -> String {
    let mut out = String::new();
    let Some((header_row, header_cells)) = sheet.rows.first() else {
        return "# The sheet is empty: there are no headers to map.\n".to_owned();
    };
    let headers: Vec<String> = header_cells
        .iter()
        .map(|c| text_of(c).ok().flatten().unwrap_or_default())
        .collect();
    let fields = matched(&headers);
    let columns: Vec<(usize, &Field)> = fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.map(|f| (i, f)))
        .collect();
    let _ = writeln!(
        out,
        "# A mapping for {source}, guessed by vlu import-table --suggest from its headers \
         (row {header_row}).\n# Check every line, then: vlu import-table {source} --map THIS.toml --dry-run\n"
    );
    let format = date_format(sheet, &columns, fallback_date_format);
    let _ = writeln!(out, "date_format = {}", quoted(&format));
    if *header_row != 1 {
        let _ = writeln!(out, "header_row = {header_row}");
    }
    out.push_str("\n[columns]                              # field = the column's header\n");
    for (i, f) in &columns {
        let _ = writeln!(out, "{} = {}", quoted(&f.path), quoted(&headers[*i]));
    }
    for (i, h) in headers.iter().enumerate() {
        if !h.is_empty() && fields[i].is_none() {
            let _ = writeln!(
                out,
                "# \"?\" = {}   # not read: name its field to read it",
                quoted(h)
            );
        }
    }
    values(&mut out, sheet, &columns);
    officers(&mut out, sheet, &columns);
    defaults(&mut out, &columns);
    out
}

/// `[values]` for each choice column whose words are not vlu's.
fn values(out: &mut String, sheet: &Sheet, columns: &[(usize, &Field)]) {
    for (i, f) in columns {
        let Kind::Choice { ids, labels } = f.kind else {
            continue;
        };
        let unknown: Vec<String> = distinct(sheet, *i)
            .into_iter()
            .filter(|w| !ids.contains(&choice_of(w, ids, labels).as_str()))
            .collect();
        if unknown.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n[values.{}]   # the unit's words: one of {}",
            quoted(&f.path),
            ids.join(", ")
        );
        for word in unknown {
            let _ = writeln!(out, "{} = \"\"", quoted(&word));
        }
    }
}

/// `[officers]` and their `[values]` from the officer column, unless it already holds ids.
fn officers(out: &mut String, sheet: &Sheet, columns: &[(usize, &Field)]) {
    let Some((i, _)) = columns
        .iter()
        .find(|(_, f)| f.path == "victim.allocated_to")
    else {
        return;
    };
    let names = distinct(sheet, *i);
    if names.is_empty() {
        return;
    }
    out.push_str(
        "\n[officers]                             # id = \"name\": added unless the store has them\n",
    );
    let ids: Vec<String> = names.iter().map(|n| officer_id(n)).collect();
    for (id, name) in ids.iter().zip(&names) {
        let _ = writeln!(out, "{} = {}", quoted(id), quoted(name));
    }
    if ids.iter().zip(&names).any(|(id, name)| id != name) {
        out.push_str(
            "\n[values.\"victim.allocated_to\"]        # the sheet's name -> the officer's id\n",
        );
        for (id, name) in ids.iter().zip(&names) {
            let _ = writeln!(out, "{} = {}", quoted(name), quoted(id));
        }
    }
}

/// `[defaults]` for the fields every record needs that the sheet has no column for.
fn defaults(out: &mut String, columns: &[(usize, &Field)]) {
    let missing: Vec<&Field> = FIELDS
        .iter()
        .filter(|f| f.is_required() && !columns.iter().any(|(_, c)| c.path == f.path))
        .collect();
    if missing.is_empty() {
        return;
    }
    out.push_str("\n[defaults]                             # one value for every row\n");
    for f in missing {
        let likely = match f.path.as_str() {
            "victim.role" => Some("victim"),
            "victim.eligibility" => Some("statutory"),
            _ => None,
        };
        let choices = match f.kind {
            Kind::Choice { ids, .. } => ids.join(", "),
            _ => "a column is needed".to_owned(),
        };
        match likely {
            Some(value) => {
                let _ = writeln!(
                    out,
                    "{} = \"{value}\"   # no column found; one of {choices}",
                    quoted(&f.path)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "# {} = \"\"   # no column found: {choices}",
                    quoted(&f.path)
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::cells::csv_sheet;
    use crate::table::mapping;

    #[test]
    fn a_suggestion_maps_the_headers_and_reads_back_as_a_mapping() {
        let sheet = csv_sheet(
            "Ref,Victim name,Date referred,Status,VLO,Address,Case no,Offender,Sentenced,Sentence,Offence category,CRD,Notes\r\n\
             V-1,Ann Lee,14/03/2025,Opted in,Sara Ahmed,1 Long Road,C-1,Dan Reeve,01/03/2025,SDS,violent,13/03/2028,x\r\n\
             V-2,Bo Diaz,15/03/2025,Active,Sara Ahmed,2 Long Road,C-1,Dan Reeve,01/03/2025,SDS,violent,13/03/2028,y\r\n"
                .as_bytes(),
            b',',
        );
        let text = suggest(&sheet, "victims.csv", "%Y-%m-%d");
        assert!(text.contains("date_format = \"%d/%m/%Y\""), "{text}");
        assert!(text.contains("\"victim.id\" = \"Ref\""), "{text}");
        assert!(text.contains("\"case.key_dates.crd\" = \"CRD\""), "{text}");
        assert!(text.contains("\"case.id\" = \"Case no\""), "{text}");
        assert!(text.contains("# \"?\" = \"Notes\""), "{text}");
        assert!(text.contains("\"Active\" = \"\""), "{text}");
        assert!(
            !text.contains("\"Opted in\""),
            "vlu's own words need no entry: {text}"
        );
        assert!(text.contains("\"sahmed\" = \"Sara Ahmed\""), "{text}");
        assert!(
            text.contains("\"victim.eligibility\" = \"statutory\""),
            "{text}"
        );
        assert!(!text.contains("Long Road"), "an address is never repeated");
        // Filled in, it is a mapping.
        let filled = text.replace("\"Active\" = \"\"", "\"Active\" = \"opted_in\"");
        let m = mapping::parse(&filled, "%Y-%m-%d").unwrap();
        assert_eq!(m.columns.len(), 12);
    }
}
