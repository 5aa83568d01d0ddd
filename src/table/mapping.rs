//! The mapping a unit writes once for its spreadsheet (TOML): which column fills which field
//! of the caseload format, the unit's words for vlu's values, values for fields the sheet
//! does not have, and the officers the sheet names.
//!
//! ```toml
//! date_format = "%d/%m/%Y"
//! [columns]
//! "victim.id" = "Ref"
//! "victim.name" = ["Forename", "Surname"]   # several columns joined with a space
//! [values."victim.status"]
//! "Opted in" = "opted_in"
//! [defaults]
//! "victim.eligibility" = "statutory"
//! [officers]
//! sahmed = "Sara Ahmed"
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use super::cells::Cell;
use super::convert::{Reading, value_of};
use super::fields::{Field, Kind, by_path, simplified};
use crate::domain::date_format;
use crate::domain::validate::Problem;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    date_format: Option<String>,
    header_row: Option<usize>,
    /// A header, or a list of headers whose cells are joined (checked in `parse`).
    #[serde(default)]
    columns: BTreeMap<String, toml::Value>,
    #[serde(default)]
    values: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    defaults: BTreeMap<String, String>,
    #[serde(default)]
    officers: BTreeMap<String, String>,
}

/// A column of the sheet named for a field, with the mapping's line that names it; or
/// several, whose cells are joined with a space (`["Forename", "Surname"]`).
#[derive(Debug, Clone)]
pub struct Column {
    pub field: &'static Field,
    /// The column's header; for a field joined from several columns, each one's, in order.
    pub headers: Vec<String>,
    pub line: usize,
}

impl Column {
    /// How a message names the column: `Ref`, or `Forename + Surname`.
    pub fn header(&self) -> String {
        self.headers.join(" + ")
    }
}

/// A value the mapping gives a field in every row whose cell is empty or missing.
#[derive(Debug, Clone)]
pub struct Default {
    pub field: &'static Field,
    pub value: serde_json::Value,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct Mapping {
    pub date_format: String,
    /// The row holding the headers (default: the sheet's first row that is not empty).
    pub header_row: Option<usize>,
    pub columns: Vec<Column>,
    /// `[values."field"]`, by field path.
    pub words: BTreeMap<String, Vec<(String, String)>>,
    pub defaults: Vec<Default>,
    /// Officer id → name, and the mapping's line.
    pub officers: Vec<(String, String, usize)>,
}

impl Mapping {
    /// How `field`'s cells are read.
    pub fn reading(&self, field: &Field) -> Reading<'_> {
        Reading {
            date_format: &self.date_format,
            words: self.words.get(&field.path).map_or(&[], Vec::as_slice),
        }
    }

    pub fn default_of(&self, field: &Field) -> Option<&Default> {
        self.defaults.iter().find(|d| d.field.path == field.path)
    }
}

/// Reads a mapping; `date_format` is the unit's (the configuration's) when the mapping has
/// none. Every problem is found, each with its line.
pub fn parse(text: &str, date_format: &str) -> Result<Mapping, Vec<Problem>> {
    let file: MappingFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        });
        vec![at(line, e.message().replace('\n', " ").trim())]
    })?;
    let mut problems = Vec::new();
    let date_format = file.date_format.unwrap_or_else(|| date_format.to_owned());
    if let Some(p) = date_format::problem(&date_format) {
        problems.push(at(line_of(text, None, "date_format"), &p));
    }
    let field_of = |section: &str, path: &str, problems: &mut Vec<Problem>| {
        field_named(text, section, path, problems)
    };
    let mut columns = Vec::new();
    for (path, named) in &file.columns {
        let line = line_of(text, Some("columns"), path);
        let Some(field) = field_of("columns", path, &mut problems) else {
            continue;
        };
        match headers_of(field, named) {
            Ok(headers) => columns.push(Column {
                field,
                headers,
                line,
            }),
            Err(why) => problems.push(at(line, &format!("[columns] \"{path}\" {why}"))),
        }
    }
    let words = words_of(text, &file.values, &mut problems);
    let mut mapping = Mapping {
        date_format,
        header_row: file.header_row,
        columns,
        words,
        defaults: Vec::new(),
        officers: Vec::new(),
    };
    for (path, value) in &file.defaults {
        let line = line_of(text, Some("defaults"), path);
        let Some(field) = field_of("defaults", path, &mut problems) else {
            continue;
        };
        match default_value(field, value, &mapping) {
            Ok(value) => mapping.defaults.push(Default { field, value, line }),
            Err(why) => problems.push(at(line, &format!("[defaults] \"{path}\": {why}"))),
        }
    }
    for (id, name) in &file.officers {
        let line = line_of(text, Some("officers"), id);
        mapping.officers.push((id.clone(), name.clone(), line));
    }
    // A field named under [columns] with a problem of its own is not said to be missing.
    let named: Vec<&str> = file.columns.keys().map(String::as_str).collect();
    problems.extend(missing_required(&named, &file.defaults));
    if problems.is_empty() {
        Ok(mapping)
    } else {
        Err(problems)
    }
}

/// The field of the caseload format at `path`, named in `[section]`; a problem where there
/// is none.
fn field_named(
    text: &str,
    section: &str,
    path: &str,
    problems: &mut Vec<Problem>,
) -> Option<&'static Field> {
    let found = by_path(path);
    if found.is_none() {
        problems.push(at(
            line_of(text, Some(section), path),
            &format!(
                "[{section}] \"{}\" is not a field of the caseload format \
                 (the fields are listed in docs/FORMAT.md, section 7)",
                crate::domain::text::shortened(path, 60)
            ),
        ));
    }
    found
}

/// The `[values."field"]` tables: the sheet's words for each of vlu's values, each checked
/// to name one of the field's values.
fn words_of(
    text: &str,
    values: &BTreeMap<String, BTreeMap<String, String>>,
    problems: &mut Vec<Problem>,
) -> BTreeMap<String, Vec<(String, String)>> {
    let mut words = BTreeMap::new();
    for (path, table) in values {
        let section = format!("values.\"{path}\"");
        let Some(field) = field_named(text, &section, path, problems) else {
            continue;
        };
        if let Kind::Choice { ids, .. } = field.kind {
            for (from, to) in table {
                if !ids.contains(&to.as_str()) {
                    problems.push(at(
                        line_of(text, Some(&section), from),
                        &format!(
                            "[{section}] \"{}\" = \"{}\": vlu's value must be one of: {}",
                            crate::domain::text::shortened(from, 40),
                            crate::domain::text::shortened(to, 40),
                            ids.join(", ")
                        ),
                    ));
                }
            }
        }
        words.insert(
            path.clone(),
            table.iter().map(|(a, b)| (a.clone(), b.clone())).collect(),
        );
    }
    words
}

/// The headers a `[columns]` entry names: one (`"Ref"`), or a list whose cells are joined
/// (`["Forename", "Surname"]`), which only a text field can take.
fn headers_of(field: &Field, named: &toml::Value) -> Result<Vec<String>, String> {
    let headers = match named {
        toml::Value::String(one) => vec![one.clone()],
        toml::Value::Array(list) if list.len() > 1 && field.kind != Kind::Text => {
            return Err(format!(
                "is not text, so it cannot be joined from {} columns: name one",
                list.len()
            ));
        }
        toml::Value::Array(list) => list
            .iter()
            .map(|h| h.as_str().map(str::to_owned))
            .collect::<Option<Vec<String>>>()
            .ok_or("names its columns by their headers, each in quotes")?,
        _ => {
            return Err(
                "must be a column's header (\"Ref\") or a list of headers to join \
                        ([\"Forename\", \"Surname\"])"
                    .into(),
            );
        }
    };
    if headers.is_empty() || headers.iter().any(|h| h.trim().is_empty()) {
        return Err("names no column".into());
    }
    Ok(headers)
}

/// A default, read as a cell holding it would be.
fn default_value(
    field: &Field,
    value: &str,
    mapping: &Mapping,
) -> Result<serde_json::Value, String> {
    if field.path == "case.id" || field.path == "victim.id" {
        return Err("an id cannot be the same in every row".into());
    }
    let read = value_of(field, &Cell::Text(value.to_owned()), mapping.reading(field))?;
    let Some(read) = read else {
        return Err("the value is empty".into());
    };
    if let (Kind::Choice { ids, .. }, Some(s)) = (field.kind, read.as_str())
        && !ids.contains(&s)
    {
        return Err(format!("expected one of: {}", ids.join(", ")));
    }
    Ok(read)
}

/// A field every victim or case needs, with neither a column nor a default (a default
/// that cannot be read is a problem of its own).
fn missing_required(columns: &[&str], defaults: &BTreeMap<String, String>) -> Vec<Problem> {
    super::fields::FIELDS
        .iter()
        .filter(|f| f.is_required())
        .filter(|f| !columns.contains(&f.path.as_str()) && !defaults.contains_key(&f.path))
        .map(|f| {
            let whose = match f.owner() {
                super::fields::Owner::Victim => "every victim",
                super::fields::Owner::Case => "every case",
            };
            let example = match f.kind {
                Kind::Choice { ids, .. } => format!(
                    "; or give every row one value under [defaults], such as \"{}\" = \"{}\"",
                    f.path, ids[0]
                ),
                _ => String::new(),
            };
            Problem {
                path: String::new(),
                message: format!(
                    "no column for \"{}\", which {whose} needs: name its column under \
                     [columns]{example}",
                    f.path
                ),
            }
        })
        .collect()
}

fn at(line: usize, message: &str) -> Problem {
    Problem {
        path: format!("line {line}"),
        message: message.to_owned(),
    }
}

/// A problem of the mapping against the sheet, reported among the sheet's.
fn at_mapping(line: usize, message: &str) -> Problem {
    Problem {
        path: format!("mapping line {line}"),
        message: message.to_owned(),
    }
}

/// The line (from 1) on which `key` is given, in `section` (a table's name, such as
/// `columns` or `values."victim.status"`) if it is named; 1 if it cannot be found.
pub fn line_of(text: &str, section: Option<&str>, key: &str) -> usize {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let start = section.map_or(Some(0), |name| {
        let header = format!("[{}]", squeeze(name));
        // A table's line may end in a comment (`[columns]   # field = the column's header`).
        let bare = |l: &str| squeeze(l.split_once('#').map_or(l, |(before, _)| before));
        text.lines().position(|l| bare(l) == header)
    });
    let Some(start) = start else { return 1 };
    text.lines()
        .enumerate()
        .skip(start)
        .find(|(_, l)| {
            let l = l.trim_start();
            let rest = l
                .strip_prefix(&format!("\"{key}\""))
                .or_else(|| l.strip_prefix(&format!("'{key}'")))
                .or_else(|| l.strip_prefix(key));
            rest.is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map_or(start + 1, |(i, _)| i + 1)
}

/// Which column of the header row each mapped field reads (the columns, for a field joined
/// from several), or what is wrong.
pub fn bind(
    mapping: &Mapping,
    headers: &[Cell],
) -> Result<Vec<(Column, Vec<usize>)>, Vec<Problem>> {
    let names: Vec<String> = headers
        .iter()
        .map(|c| {
            super::convert::text_of(c)
                .ok()
                .flatten()
                .unwrap_or_default()
        })
        .collect();
    let mut problems = Vec::new();
    let mut bound = Vec::new();
    for column in &mapping.columns {
        let mut at = Vec::with_capacity(column.headers.len());
        for header in &column.headers {
            match find(&names, header) {
                Ok(i) => at.push(i),
                Err(why) => problems.push(at_mapping(
                    column.line,
                    &format!(
                        "[columns] \"{}\" = \"{}\": {why}",
                        column.field.path,
                        crate::domain::text::shortened(header, 60),
                    ),
                )),
            }
        }
        if at.len() == column.headers.len() {
            bound.push((column.clone(), at));
        }
    }
    if problems.is_empty() {
        Ok(bound)
    } else {
        Err(problems)
    }
}

/// The one column whose header is `header`, ignoring case, spaces and punctuation.
fn find(names: &[String], header: &str) -> Result<usize, String> {
    let wanted = simplified(header);
    let found: Vec<usize> = names
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.is_empty() && simplified(n) == wanted)
        .map(|(i, _)| i)
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!(
            "the sheet has no such column; its columns are {}",
            header_list(names)
        )),
        _ => Err(format!(
            "{} columns of the sheet have that header; rename one",
            found.len()
        )),
    }
}

fn header_list(names: &[String]) -> String {
    let listed: Vec<String> = names
        .iter()
        .filter(|n| !n.is_empty())
        .map(|n| format!("\"{}\"", crate::domain::text::shortened(n, 40)))
        .collect();
    if listed.is_empty() {
        "none (the header row is empty)".into()
    } else {
        listed.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::fields::by_path;

    const MAP: &str = r#"date_format = "%d/%m/%Y"
[columns]
"victim.id" = "Ref"
"victim.name" = "Victim name"
"victim.role" = "Role"
"victim.referred_on" = "Date referred"
"victim.status" = "Status"
"case.id" = "Case no"
"case.offender.name" = "Offender"
"case.sentence.imposed_on" = "Sentenced"
"case.sentence.kind" = "Sentence"
"case.key_dates.crd" = "CRD"
[values."victim.status"]
"Opted in" = "opted_in"
[defaults]
"victim.eligibility" = "statutory"
"case.offence.category" = "violent"
[officers]
sahmed = "Sara Ahmed"
"#;

    #[test]
    fn a_mapping_reads_with_its_lines() {
        let m = parse(MAP, "%Y-%m-%d").unwrap();
        assert_eq!(m.date_format, "%d/%m/%Y");
        assert_eq!(m.columns.len(), 10);
        let status = m
            .columns
            .iter()
            .find(|c| c.field.path == "victim.status")
            .unwrap();
        assert_eq!((status.header().as_str(), status.line), ("Status", 7));
        assert_eq!(
            m.words["victim.status"],
            [("Opted in".into(), "opted_in".into())]
        );
        let eligibility = m
            .default_of(by_path("victim.eligibility").unwrap())
            .unwrap();
        assert_eq!(
            (&eligibility.value, eligibility.line),
            (&"statutory".into(), 16)
        );
        assert_eq!(m.officers, [("sahmed".into(), "Sara Ahmed".into(), 19)]);
    }

    #[test]
    fn every_problem_of_a_mapping_is_found_with_its_line() {
        let bad = MAP
            .replace("\"victim.name\"", "\"victim.nmae\"")
            .replace("= \"opted_in\"", "= \"in\"")
            .replace(
                "\"case.offence.category\" = \"violent\"",
                "\"case.offence.category\" = \"nasty\"",
            )
            .replace("%d/%m/%Y", "%d/%m/%y");
        let problems = parse(&bad, "%Y-%m-%d").unwrap_err();
        let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(said.len(), 5, "{said:#?}");
        assert!(said[0].starts_with("line 1: date_format"), "{said:#?}");
        assert!(
            said.iter()
                .any(|s| s.starts_with("line 4: [columns] \"victim.nmae\""))
        );
        assert!(
            said.iter()
                .any(|s| s.starts_with("line 14:") && s.contains("opted_in"))
        );
        assert!(
            said.iter()
                .any(|s| s.starts_with("line 17:") && s.contains("violent"))
        );
        assert!(
            said.iter()
                .any(|s| s.contains("no column for \"victim.name\"")),
            "{said:#?}"
        );
    }

    #[test]
    fn columns_are_found_by_header_whatever_the_case_and_spacing() {
        let m = parse(MAP, "%Y-%m-%d").unwrap();
        let headers: Vec<Cell> = [
            "REF",
            "Victim  name",
            "role",
            "Date referred",
            "Status",
            "Case no.",
            "Offender",
            "Sentenced",
            "Sentence",
            "CRD",
            "Notes",
        ]
        .iter()
        .map(|h| Cell::Text((*h).into()))
        .collect();
        let bound = bind(&m, &headers).unwrap();
        assert_eq!(bound.len(), 10);
        let problems = bind(&m, &headers[..3]).unwrap_err();
        assert_eq!(problems.len(), 7);
        assert!(
            problems[0].message.contains("its columns are \"REF\""),
            "{:?}",
            problems[0]
        );
    }

    #[test]
    fn a_field_may_join_several_columns_and_only_a_text_field() {
        let joined = MAP.replace(
            "\"victim.name\" = \"Victim name\"",
            "\"victim.name\" = [\"Forename\", \"Surname\"]",
        );
        let m = parse(&joined, "%Y-%m-%d").unwrap();
        let name = m
            .columns
            .iter()
            .find(|c| c.field.path == "victim.name")
            .unwrap();
        assert_eq!(name.header(), "Forename + Surname");
        let headers: Vec<Cell> = [
            "Ref",
            "SURNAME",
            "Forename",
            "Role",
            "Date referred",
            "Status",
            "Case no",
            "Offender",
            "Sentenced",
            "Sentence",
            "CRD",
        ]
        .iter()
        .map(|h| Cell::Text((*h).into()))
        .collect();
        let bound = bind(&m, &headers).unwrap();
        let (_, at) = bound
            .iter()
            .find(|(c, _)| c.field.path == "victim.name")
            .unwrap();
        assert_eq!(at, &[2, 1], "in the mapping's order, not the sheet's");

        let dates = MAP.replace(
            "\"victim.referred_on\" = \"Date referred\"",
            "\"victim.referred_on\" = [\"Day\", \"Month\"]",
        );
        let said = parse(&dates, "%Y-%m-%d").unwrap_err();
        assert_eq!(said.len(), 1, "not also missing: {said:?}");
        assert!(
            said[0]
                .to_string()
                .starts_with("line 6: [columns] \"victim.referred_on\" is not text"),
            "{said:?}"
        );
        for bad in ["[]", "[\"Forename\", 3]", "3"] {
            let text = MAP.replace("\"Victim name\"", bad);
            let said = parse(&text, "%Y-%m-%d").unwrap_err();
            assert!(
                said[0]
                    .to_string()
                    .starts_with("line 4: [columns] \"victim.name\""),
                "{bad}: {said:?}"
            );
        }
    }

    #[test]
    fn a_tables_line_is_found_when_a_comment_follows_its_name() {
        let text =
            "date_format = \"%d/%m/%Y\"\n[columns]   # field = header\n\"victim.id\" = \"Ref\"\n";
        assert_eq!(line_of(text, Some("columns"), "victim.id"), 3);
    }
}
