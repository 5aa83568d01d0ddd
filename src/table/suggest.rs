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
fn distinct(data: &[(usize, Vec<Cell>)], column: usize) -> Vec<String> {
    let mut seen = BTreeSet::new();
    data.iter()
        .filter_map(|(_, cells)| text_of(Sheet::cell(cells, column)).ok().flatten())
        .filter(|t| seen.insert(t.clone()))
        .collect()
}

/// The first format that reads every date written as text in the date columns.
fn date_format(data: &[(usize, Vec<Cell>)], columns: &[(usize, &Field)], fallback: &str) -> String {
    let texts: Vec<&str> = data
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

/// How many rows from the top of a sheet its header row is looked for in.
const HEADER_SEARCH_ROWS: usize = 10;

/// Headers of a column of first names and of one of surnames, which `--suggest` joins into
/// `victim.name` (as they are simplified: lower case, punctuation as spaces).
const GIVEN_NAMES: &[&str] = &[
    "forename",
    "forenames",
    "first name",
    "first names",
    "given name",
    "given names",
    "christian name",
    "victim forename",
    "victim first name",
];
const FAMILY_NAMES: &[&str] = &[
    "surname",
    "last name",
    "family name",
    "victim surname",
    "victim last name",
];

/// The texts of a row's cells, as headers.
fn texts(cells: &[Cell]) -> Vec<String> {
    cells
        .iter()
        .map(|c| text_of(c).ok().flatten().unwrap_or_default())
        .collect()
}

/// The columns of a first name and a surname, in that order (either may be missing).
fn name_parts(headers: &[String]) -> Vec<usize> {
    let find = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.contains(&simplified(h).as_str()))
    };
    [find(GIVEN_NAMES), find(FAMILY_NAMES)]
        .into_iter()
        .flatten()
        .collect()
}

/// The index in `sheet.rows` of the row that looks most like headers: of the first few, the
/// one with the most cells that name a field, then the most cells of text; the earliest on
/// a tie. A title above the headers ("Northshire VLU caseload — exported 3 Nov") names none.
fn header_at(sheet: &Sheet) -> usize {
    let score = |cells: &[Cell]| {
        let headers = texts(cells);
        let known = matched(&headers).iter().flatten().count() + name_parts(&headers).len();
        let text = headers.iter().filter(|h| !h.is_empty()).count();
        (known, text)
    };
    sheet
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .max_by_key(|(i, (_, cells))| (score(cells), std::cmp::Reverse(*i)))
        .map_or(0, |(i, _)| i)
}

/// The suggested mapping for `sheet`, its headers found among its first rows.
pub fn suggest(sheet: &Sheet, source: &str, fallback_date_format: &str) -> String {
    let mut out = String::new();
    if sheet.rows.is_empty() {
        return "# The sheet is empty: there are no headers to map.\n".to_owned();
    }
    let at = header_at(sheet);
    let (header_row, header_cells) = &sheet.rows[at];
    let data = &sheet.rows[at + 1..];
    let headers = texts(header_cells);
    let fields = matched(&headers);
    let columns: Vec<(usize, &Field)> = fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.map(|f| (i, f)))
        .collect();
    let name = if columns.iter().any(|(_, f)| f.path == "victim.name") {
        Vec::new()
    } else {
        name_parts(&headers)
    };
    let _ = writeln!(
        out,
        "# A mapping for {source}, guessed by vlu import-table --suggest from its headers \
         (row {header_row}).\n# Check every line, then: vlu import-table {source} --map THIS.toml --dry-run\n"
    );
    if at > 0 {
        let above: Vec<String> = sheet.rows[..at]
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        let _ = writeln!(
            out,
            "# The headers are in row {header_row}. {} above it ({}) did not look like headers \
             and {} not read.\n",
            if at == 1 { "The row" } else { "The rows" },
            above.join(", "),
            if at == 1 { "is" } else { "are" },
        );
    }
    let format = date_format(data, &columns, fallback_date_format);
    let _ = writeln!(out, "date_format = {}", quoted(&format));
    if *header_row != 1 {
        let _ = writeln!(out, "header_row = {header_row}");
    }
    columns_section(&mut out, &headers, &columns, &name);
    values(&mut out, data, &columns);
    officers(&mut out, data, &columns);
    defaults(&mut out, &columns, !name.is_empty());
    out
}

/// `[columns]`: each header's field, the name joined from its parts, and the headers left
/// unread as comments.
fn columns_section(
    out: &mut String,
    headers: &[String],
    columns: &[(usize, &Field)],
    name: &[usize],
) {
    out.push_str("\n[columns]                              # field = the column's header\n");
    match name {
        [] => {}
        [one] => {
            let _ = writeln!(out, "\"victim.name\" = {}", quoted(&headers[*one]));
        }
        parts => {
            let list: Vec<String> = parts.iter().map(|i| quoted(&headers[*i])).collect();
            let _ = writeln!(
                out,
                "\"victim.name\" = [{}]   # joined with a space",
                list.join(", ")
            );
        }
    }
    for (i, f) in columns {
        let _ = writeln!(out, "{} = {}", quoted(&f.path), quoted(&headers[*i]));
    }
    for (i, h) in headers.iter().enumerate() {
        let read = columns.iter().any(|(c, _)| c == &i) || name.contains(&i);
        if !h.is_empty() && !read {
            let _ = writeln!(
                out,
                "# \"?\" = {}   # not read: name its field to read it",
                quoted(h)
            );
        }
    }
}

/// `[values]` for each choice column whose words are not vlu's.
fn values(out: &mut String, data: &[(usize, Vec<Cell>)], columns: &[(usize, &Field)]) {
    for (i, f) in columns {
        let Kind::Choice { ids, labels } = f.kind else {
            continue;
        };
        let unknown: Vec<String> = distinct(data, *i)
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
            // An opt-in column (`Opt in?`) answers yes or no: a yes is an opt-in; a no may
            // be a refusal or no answer yet, which only the unit knows.
            let said = match (f.path.as_str(), simplified(&word).as_str()) {
                ("victim.status", "yes" | "y") => "\"opted_in\"",
                ("victim.status", "no" | "n") => {
                    "\"\"   # declined, or offer_sent if the victim has not answered"
                }
                _ => "\"\"",
            };
            let _ = writeln!(out, "{} = {said}", quoted(&word));
        }
    }
}

/// `[officers]` and their `[values]` from the officer column, unless it already holds ids.
fn officers(out: &mut String, data: &[(usize, Vec<Cell>)], columns: &[(usize, &Field)]) {
    let Some((i, _)) = columns
        .iter()
        .find(|(_, f)| f.path == "victim.allocated_to")
    else {
        return;
    };
    let names = distinct(data, *i);
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
fn defaults(out: &mut String, columns: &[(usize, &Field)], has_name: bool) {
    let missing: Vec<&Field> = FIELDS
        .iter()
        .filter(|f| f.is_required() && !columns.iter().any(|(_, c)| c.path == f.path))
        .filter(|f| !(has_name && f.path == "victim.name"))
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

    /// A sheet as a unit's caseload system exports it: a title above the headers, first
    /// names and surnames apart, the case's CRN, an opt-in question.
    const EXPORTED: &str = "Northshire VLU caseload \u{2014} exported 3 Nov,,,,,,,,,\r\n\
        Surname,Forename,CRN,Opt in?,Relationship,Date referred,Offender,Sentenced,Sentence,Offence category\r\n\
        Lee,Ann,X123456,Yes,Victim,14/03/2025,Dan Reeve,01/03/2025,SDS,violent\r\n\
        Diaz,Bo,X123456,No,Mother,15/03/2025,Dan Reeve,01/03/2025,SDS,violent\r\n";

    #[test]
    fn a_title_above_the_headers_is_passed_over_and_the_header_row_said() {
        let sheet = csv_sheet(EXPORTED.as_bytes(), b',');
        let text = suggest(&sheet, "caseload.csv", "%Y-%m-%d");
        assert!(text.contains("from its headers (row 2)"), "{text}");
        assert!(text.contains("The headers are in row 2."), "{text}");
        assert!(text.contains("\nheader_row = 2\n"), "{text}");
        assert!(
            text.contains("\"victim.referred_on\" = \"Date referred\""),
            "{text}"
        );
        assert!(
            !text.contains("exported 3 Nov"),
            "the title is no header: {text}"
        );
        assert!(text.contains("date_format = \"%d/%m/%Y\""), "{text}");
        // Headers on the first row are still taken there, and said as before.
        let plain = EXPORTED.split_once("\r\n").unwrap().1;
        let text = suggest(&csv_sheet(plain.as_bytes(), b','), "c.csv", "%Y-%m-%d");
        assert!(
            text.contains("(row 1)") && !text.contains("header_row"),
            "{text}"
        );
    }

    #[test]
    fn a_caseload_systems_headers_name_their_fields() {
        let sheet = csv_sheet(EXPORTED.as_bytes(), b',');
        let text = suggest(&sheet, "caseload.csv", "%Y-%m-%d");
        for line in [
            "\"case.id\" = \"CRN\"",
            "\"victim.status\" = \"Opt in?\"",
            "\"victim.role\" = \"Relationship\"",
            "\"Yes\" = \"opted_in\"",
            "\"Mother\" = \"\"",
        ] {
            assert!(text.contains(line), "{line} in:\n{text}");
        }
        assert!(!text.contains("# \"?\""), "every header is read: {text}");
        let variants = "Family name,Given name,crn,Opted in,Relationship to offender\r\n\
                        Lee,Ann,X1,Yes,Partner\r\n";
        let text = suggest(&csv_sheet(variants.as_bytes(), b','), "v.csv", "%Y-%m-%d");
        for line in [
            "\"victim.name\" = [\"Given name\", \"Family name\"]",
            "\"case.id\" = \"crn\"",
            "\"victim.status\" = \"Opted in\"",
            "\"victim.role\" = \"Relationship to offender\"",
        ] {
            assert!(text.contains(line), "{line} in:\n{text}");
        }
    }

    #[test]
    fn first_names_and_surnames_are_joined_into_the_name() {
        let sheet = csv_sheet(EXPORTED.as_bytes(), b',');
        let text = suggest(&sheet, "caseload.csv", "%Y-%m-%d");
        assert!(
            text.contains("\"victim.name\" = [\"Forename\", \"Surname\"]"),
            "{text}"
        );
        assert!(
            !text.contains("\"victim.name\" = \"\""),
            "not a default: {text}"
        );
        // With a victim id column, filled in, it reads back as a mapping.
        let with_ids = EXPORTED
            .replace("Surname,", "Ref,Surname,")
            .replace("Lee,", "V-1,Lee,")
            .replace("Diaz,", "V-2,Diaz,");
        let text = suggest(&csv_sheet(with_ids.as_bytes(), b','), "c.csv", "%Y-%m-%d");
        let filled = text
            .replace("\"No\" = \"\"", "\"No\" = \"declined\"")
            .replace("\"Mother\" = \"\"", "\"Mother\" = \"parent_carer\"");
        let m = mapping::parse(&filled, "%Y-%m-%d").unwrap();
        let name = m.columns.iter().find(|c| c.field.path == "victim.name");
        assert_eq!(name.unwrap().headers, ["Forename", "Surname"]);
        let names = ["Last name", "First name", "Name"];
        let both = csv_sheet(
            format!("{}\r\nLee,Ann,Ann Lee\r\n", names.join(",")).as_bytes(),
            b',',
        );
        let text = suggest(&both, "b.csv", "%Y-%m-%d");
        assert!(
            text.contains("\"victim.name\" = \"Name\""),
            "a name column is the name: {text}"
        );
        assert!(text.contains("# \"?\" = \"First name\""), "{text}");
    }
}
