//! `vlu import-table`: a unit's spreadsheet into the store through its mapping — read into
//! the caseload document, checked by the caseload's rules with every problem said by row and
//! column, then imported as `vlu import` imports, all or nothing. `--suggest` prints a
//! starting mapping; `--dry-run` says what would be imported and writes nothing.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use super::Env;
use super::import::{import_document, known_ids};
use super::progress::Progress;
use crate::domain::model::Caseload;
use crate::domain::text::plural;
use crate::domain::text::visible;
use crate::domain::validate::{KnownIds, Problem};
use crate::error::Error;
use crate::table::{cells, mapping, suggest};

/// What `vlu import-table` was asked.
#[derive(Debug, clap::Args)]
pub struct Asked {
    /// The spreadsheet. E.g. victims.xlsx, victims.csv
    file: PathBuf,
    /// The mapping: which column is which field, the unit's words for vlu's values.
    /// E.g. --map mapping.toml
    #[arg(long, value_name = "MAP.toml")]
    map: Option<PathBuf>,
    /// The workbook's sheet (default: the first). E.g. --sheet Victims
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// Check everything and say what would be imported; write nothing. E.g. --dry-run
    #[arg(long)]
    dry_run: bool,
    /// Overwrite records whose ids are already in the store. E.g. --replace
    #[arg(long)]
    replace: bool,
    /// Print a starting mapping guessed from the sheet's headers instead. E.g. vlu
    /// import-table --suggest victims.xlsx > mapping.toml
    #[arg(long, conflicts_with_all = ["map", "dry_run", "replace"])]
    suggest: bool,
}

pub(super) fn import_table(env: &Env, asked: &Asked) -> Result<(), Error> {
    let reading = Progress::spinner("reading");
    let sheet = cells::read(&asked.file, asked.sheet.as_deref());
    reading.finish();
    let sheet = sheet?;
    let source = asked.file.file_name().map_or_else(
        || asked.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    if asked.suggest {
        let text = suggest::suggest(&sheet, &source, &env.config.date_format.0);
        return super::write_stdout(|w| {
            text.lines()
                .try_for_each(|line| writeln!(w, "{}", visible(line)))
        });
    }
    let Some(map) = asked.map.as_deref() else {
        return Err(Error::Usage(
            "name the mapping with --map MAP.toml (vlu import-table --suggest FILE prints one \
             to start from)"
                .into(),
        ));
    };
    let map_text = std::fs::read_to_string(map).map_err(|source| Error::Read {
        path: map.to_owned(),
        source,
    })?;
    let mapping = mapping::parse(&map_text, &env.config.date_format.0).map_err(|problems| {
        Error::Invalid {
            file: map.to_owned(),
            problems,
        }
    })?;
    let known = known_ids(env)?;
    let invalid = |problems| Error::Invalid {
        file: asked.file.clone(),
        problems,
    };
    let checked = checked(&sheet, &mapping, &known, asked.replace).map_err(invalid)?;
    let report = report(&sheet, &source, &checked, &mapping);
    if asked.dry_run {
        let (summary, replaced) = crate::store::planned(&checked.caseload, &known);
        let replaced = if replaced.is_empty() {
            String::new()
        } else {
            format!(
                " ({} replaced: {})",
                plural(replaced.len(), "record"),
                replaced.join(" ")
            )
        };
        let text = format!(
            "{report}Would import {}, {}, {} and {} into {}{replaced}.\n\
             Nothing was written (a dry run).\n",
            plural(summary.officers, "officer"),
            plural(summary.cases, "case"),
            plural(summary.victims, "victim"),
            plural(summary.contacts, "contact"),
            env.data_dir.display(),
        );
        return super::write_stdout(|w| {
            text.lines()
                .try_for_each(|line| writeln!(w, "{}", visible(line)))
        });
    }
    for line in report.lines() {
        eprintln!("{}", visible(line));
    }
    let places = checked.places;
    import_document(env, checked.text, asked.replace)?
        .map(drop)
        .map_err(|problems| invalid(crate::table::locate_all(&places, &problems)))
}

/// The sheet read by its mapping and checked, with progress as `vlu import` shows it: a bar
/// over the rows, then the caseload's checks.
fn checked(
    sheet: &cells::Sheet,
    mapping: &mapping::Mapping,
    known: &KnownIds,
    replace: bool,
) -> Result<crate::table::Checked, Vec<Problem>> {
    let bar = Progress::bar(sheet.rows.len().saturating_sub(1) as u64, "reading rows");
    let converted = crate::table::build::convert(sheet, mapping, &known.officers, &|| bar.inc());
    bar.finish();
    let checking = Progress::spinner("checking");
    let checked = crate::table::check_converted(converted?, known, replace);
    checking.finish();
    checked
}

/// What was read: the sheet and its rows, the columns left out, how the statuses and the
/// officers came out (the check that a unit's words were understood).
fn report(
    sheet: &cells::Sheet,
    source: &str,
    checked: &crate::table::Checked,
    mapping: &mapping::Mapping,
) -> String {
    let (first, last, count) = checked.rows;
    let mut out = source.to_owned();
    if let Some(name) = &sheet.name {
        let _ = write!(out, ", sheet \"{name}\"");
    }
    let _ = writeln!(out, ": {} (rows {first} to {last}).", plural(count, "row"));
    if let Some(encoding) = sheet.encoding {
        let _ = writeln!(out, "Read as {encoding}: the file is not UTF-8.");
    }
    if !checked.unread.is_empty() {
        let names: Vec<String> = checked.unread.iter().map(|h| format!("\"{h}\"")).collect();
        let _ = writeln!(out, "Columns not read: {}.", names.join(", "));
    }
    let has_status_date = mapping
        .columns
        .iter()
        .any(|c| c.field.path == "victim.status_since")
        || mapping
            .defaults
            .iter()
            .any(|d| d.field.path == "victim.status_since");
    if !has_status_date {
        out.push_str(
            "Status dates: none in the sheet; each victim's status is taken to hold since \
             the referral.\n",
        );
    }
    for warning in &checked.warnings {
        let _ = writeln!(out, "{warning}");
    }
    let _ = writeln!(
        out,
        "By status: {}.",
        tally(&checked.caseload, |v| v.status.as_str().to_owned())
    );
    let _ = writeln!(
        out,
        "By officer: {}.",
        tally(&checked.caseload, |v| v
            .allocated_to
            .clone()
            .unwrap_or_else(|| "(none)".into()))
    );
    out
}

/// `12 opted_in, 3 declined`: how many victims have each value, most first.
fn tally(caseload: &Caseload, of: impl Fn(&crate::domain::model::Victim) -> String) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for v in &caseload.victims {
        *counts.entry(of(v)).or_default() += 1;
    }
    let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
        .iter()
        .map(|(value, n)| format!("{n} {value}"))
        .collect::<Vec<_>>()
        .join(", ")
}
