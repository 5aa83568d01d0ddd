//! A bank-holidays file in GOV.UK's format (the shape of `https://www.gov.uk/bank-holidays.json`),
//! read into the changes it makes to vlu's own list of England and Wales bank holidays.
//!
//! For every year the file covers, the file is the word: a day it lists that vlu's rules do
//! not is a day off (a new one-off holiday), and a day vlu's rules give that the file does
//! not list is a working day (a holiday moved away). Years the file does not cover keep
//! vlu's rules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::domain::calendar::bank_holidays;

/// The file: one object per division; vlu reads `england-and-wales` (its working days are
/// those of England and Wales) and ignores the others.
#[derive(Deserialize)]
struct GovUk {
    #[serde(rename = "england-and-wales")]
    england_and_wales: Option<Division>,
}

#[derive(Deserialize)]
struct Division {
    events: Vec<Event>,
}

/// One holiday; `title`, `notes` and `bunting` are read by people, not by vlu.
#[derive(Deserialize)]
struct Event {
    date: String,
}

/// A bank-holidays file read, and what it changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BankHolidayFile {
    /// The file, as found.
    pub path: PathBuf,
    /// The years it covers, first and last.
    pub years: Option<(i32, i32)>,
    /// How many England and Wales holidays it lists.
    pub listed: usize,
    /// Days it lists that vlu's rules do not: days off.
    pub added: Vec<NaiveDate>,
    /// Days vlu's rules give, in the years it covers, that it does not list: working days.
    pub removed: Vec<NaiveDate>,
}

/// Reads `path` (GOV.UK format). An error is one sentence, without the file's name.
pub fn load(path: &Path) -> Result<BankHolidayFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot be read: {e}"))?;
    read(path, &text)
}

fn read(path: &Path, text: &str) -> Result<BankHolidayFile, String> {
    let file: GovUk = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        format!(
            "is not a bank-holidays file in GOV.UK's format (line {}: {})",
            e.line(),
            crate::domain::text::shortened(&e.to_string(), 80)
        )
    })?;
    let events = file
        .england_and_wales
        .ok_or("has no \"england-and-wales\" division")?
        .events;
    let mut listed = BTreeSet::new();
    for (i, event) in events.iter().enumerate() {
        let date = NaiveDate::parse_from_str(&event.date, "%Y-%m-%d")
            .ok()
            .filter(|_| event.date.len() == 10)
            .ok_or_else(|| {
                format!(
                    "england-and-wales.events[{i}].date: invalid date \"{}\" (expected YYYY-MM-DD)",
                    crate::domain::text::shortened(&event.date, 20)
                )
            })?;
        listed.insert(date);
    }
    let mut by_year: BTreeMap<i32, BTreeSet<NaiveDate>> = BTreeMap::new();
    for d in &listed {
        by_year.entry(d.year()).or_default().insert(*d);
    }
    let mut added = Vec::new();
    let mut removed = Vec::new();
    for (&year, days) in &by_year {
        let rules: BTreeSet<NaiveDate> = bank_holidays(year).into_iter().map(|(d, _)| d).collect();
        added.extend(days.difference(&rules));
        removed.extend(rules.difference(days));
    }
    Ok(BankHolidayFile {
        path: path.to_owned(),
        years: by_year
            .keys()
            .next()
            .zip(by_year.keys().next_back())
            .map(|(a, b)| (*a, *b)),
        listed: listed.len(),
        added,
        removed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// GOV.UK's shape, with 2026 as vlu computes it but the summer holiday moved a week and
    /// one holiday added, and Scotland's list (ignored).
    const FILE: &str = r#"{
      "england-and-wales": { "division": "england-and-wales", "events": [
        {"title":"New Year’s Day","date":"2026-01-01","notes":"","bunting":true},
        {"title":"Good Friday","date":"2026-04-03","notes":"","bunting":false},
        {"title":"Easter Monday","date":"2026-04-06","notes":"","bunting":true},
        {"title":"Early May bank holiday","date":"2026-05-04","notes":"","bunting":true},
        {"title":"Spring bank holiday","date":"2026-05-25","notes":"","bunting":true},
        {"title":"Summer bank holiday","date":"2026-09-07","notes":"Moved","bunting":true},
        {"title":"A celebration","date":"2026-06-12","notes":"","bunting":true},
        {"title":"Christmas Day","date":"2026-12-25","notes":"","bunting":true},
        {"title":"Boxing Day","date":"2026-12-28","notes":"Substitute day","bunting":true}
      ]},
      "scotland": { "division": "scotland", "events": [
        {"title":"2nd January","date":"2026-01-02","notes":"","bunting":true}
      ]}
    }"#;

    #[test]
    fn the_file_is_the_word_for_the_years_it_covers() {
        let read = read(Path::new("bank-holidays.json"), FILE).unwrap();
        assert_eq!(read.years, Some((2026, 2026)));
        assert_eq!(read.listed, 9);
        assert_eq!(read.added, [d("2026-06-12"), d("2026-09-07")]);
        assert_eq!(read.removed, [d("2026-08-31")]);
    }

    #[test]
    fn a_file_of_another_shape_is_refused_in_one_sentence() {
        let p = Path::new("x.json");
        assert!(read(p, "[]").unwrap_err().contains("GOV.UK's format"));
        assert!(
            read(p, r#"{"scotland":{"division":"scotland","events":[]}}"#)
                .unwrap_err()
                .contains("england-and-wales")
        );
        let bad = r#"{"england-and-wales":{"events":[{"date":"2026-02-30"}]}}"#;
        assert!(read(p, bad).unwrap_err().contains("events[0].date"));
    }
}
