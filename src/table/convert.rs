//! One cell into the caseload format's value for its field: the unit's words translated, a
//! date read by the mapping's format, yes and no, whole numbers. What cannot be read is said
//! in a sentence, without the cell's value (the caller adds it where it may be shown).

use chrono::NaiveDate;
use serde_json::Value;

use super::cells::Cell;
use super::fields::{Field, Kind, simplified};

/// How a column's cells are read: the mapping's date format and its words for the field.
#[derive(Debug, Clone, Copy)]
pub struct Reading<'m> {
    pub date_format: &'m str,
    /// `[values."field"]`: the unit's word → the value vlu stores.
    pub words: &'m [(String, String)],
}

/// The cell's text as a person reads it in the spreadsheet (`None` when empty). A leading
/// apostrophe before `=`, `+`, `-` or `@` (how vlu's CSV exports keep Excel from running a
/// cell as a formula) is dropped.
pub fn text_of(cell: &Cell) -> Result<Option<String>, String> {
    let text = match cell {
        Cell::Empty => return Ok(None),
        Cell::Text(s) => {
            let s = s.trim();
            let s = match s.strip_prefix('\'') {
                Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
                _ => s,
            };
            s.to_owned()
        }
        Cell::Number(n) => number_text(*n),
        Cell::YesNo(b) => if *b { "yes" } else { "no" }.to_owned(),
        Cell::Date(d) => d.to_string(),
        Cell::Error(e) => return Err(format!("the cell holds the spreadsheet error {e}")),
    };
    Ok((!text.is_empty()).then_some(text))
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        #[allow(clippy::cast_possible_truncation)]
        let whole = n as i64;
        whole.to_string()
    } else {
        n.to_string()
    }
}

/// The unit's word for a value, as vlu stores it: the `[values]` entry written exactly as the
/// cell, else one that differs only in case, spaces and punctuation.
fn translated(text: String, words: &[(String, String)]) -> String {
    if let Some((_, to)) = words.iter().find(|(from, _)| from.trim() == text) {
        return to.clone();
    }
    let simple = simplified(&text);
    match words.iter().find(|(from, _)| simplified(from) == simple) {
        Some((_, to)) => to.clone(),
        None => text,
    }
}

/// An identifier for a choice: itself, or one whose identifier or label it is but for case,
/// spaces and punctuation (`Opted in` → `opted_in`). Anything else is passed on, for the
/// caseload's validation to refuse with the list of identifiers.
pub fn choice_of(text: &str, ids: &[&str], labels: &[&str]) -> String {
    if ids.contains(&text) {
        return text.to_owned();
    }
    let simple = simplified(text);
    ids.iter()
        .zip(labels)
        .find(|(id, label)| simplified(id) == simple || simplified(label) == simple)
        .map_or_else(|| text.to_owned(), |(id, _)| (*id).to_owned())
}

/// A date in a cell's text: the mapping's format, else `YYYY-MM-DD`; a time after it (as
/// some spreadsheets write dates in CSV) is ignored.
pub fn date_in(text: &str, format: &str) -> Option<NaiveDate> {
    let parse = |s: &str| {
        NaiveDate::parse_from_str(s, format)
            .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
            .ok()
    };
    parse(text).or_else(|| parse(text.split_whitespace().next()?))
}

/// The value of `field` in `cell`, `None` when it is empty.
pub fn value_of(field: &Field, cell: &Cell, how: Reading<'_>) -> Result<Option<Value>, String> {
    let Some(text) = text_of(cell)? else {
        return Ok(None);
    };
    let words_given = !how.words.is_empty();
    let text = translated(text, how.words);
    let value = match field.kind {
        Kind::Text => Value::String(text),
        Kind::Choice { ids, labels } => Value::String(choice_of(&text, ids, labels)),
        Kind::Date => match cell {
            Cell::Date(d) if !words_given => Value::String(d.to_string()),
            _ => Value::String(date(&text, cell, how.date_format)?.to_string()),
        },
        Kind::KeyDate(_) => Value::Array(
            text.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| date(s, cell, how.date_format).map(|d| Value::String(d.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        Kind::YesNo => Value::Bool(yes_no(&text)?),
        Kind::Whole => match text.trim().parse::<u64>() {
            Ok(n) => Value::from(n),
            Err(_) => return Err("expected a whole number".into()),
        },
        Kind::Aliases => Value::Array(
            text.split([';', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_owned()))
                .collect(),
        ),
    };
    Ok(Some(value))
}

fn date(text: &str, cell: &Cell, format: &str) -> Result<NaiveDate, String> {
    if let Some(d) = date_in(text, format) {
        return Ok(d);
    }
    let example = crate::domain::date_format::write(
        NaiveDate::from_ymd_opt(2025, 3, 14).expect("a date"),
        format,
    );
    Err(if matches!(cell, Cell::Number(_)) {
        format!(
            "a number, not a date: format the column as dates, or write them as {example} \
             (date_format \"{format}\")"
        )
    } else {
        format!(
            "not a date: expected a date such as {example} (date_format \"{format}\") or 2025-03-14"
        )
    })
}

fn yes_no(text: &str) -> Result<bool, String> {
    match simplified(text).as_str() {
        "yes" | "y" | "true" | "1" => Ok(true),
        "no" | "n" | "false" | "0" => Ok(false),
        _ => Err("expected yes or no".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::fields::by_path;

    const UK: Reading<'static> = Reading {
        date_format: "%d/%m/%Y",
        words: &[],
    };

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    #[test]
    fn dates_are_read_by_the_format_then_iso_then_as_date_cells() {
        let f = by_path("victim.referred_on").unwrap();
        let read = |c: &Cell| value_of(f, c, UK);
        assert_eq!(read(&text("14/03/2025")), Ok(Some("2025-03-14".into())));
        assert_eq!(read(&text("4/3/2025")), Ok(Some("2025-03-04".into())));
        assert_eq!(read(&text("2025-03-14")), Ok(Some("2025-03-14".into())));
        assert_eq!(
            read(&text("14/03/2025 00:00")),
            Ok(Some("2025-03-14".into()))
        );
        let d = NaiveDate::from_ymd_opt(2025, 3, 14).unwrap();
        assert_eq!(read(&Cell::Date(d)), Ok(Some("2025-03-14".into())));
        assert_eq!(read(&Cell::Empty), Ok(None));
        let bad = read(&text("31/02/2025")).unwrap_err();
        assert!(bad.contains("14/03/2025"), "{bad}");
        assert!(
            read(&Cell::Number(45000.0))
                .unwrap_err()
                .starts_with("a number")
        );
    }

    #[test]
    fn the_units_words_become_identifiers() {
        let f = by_path("victim.status").unwrap();
        let words = [("Yes - opted in".to_owned(), "opted_in".to_owned())];
        let how = Reading {
            date_format: "%d/%m/%Y",
            words: &words,
        };
        let read = |s: &str| value_of(f, &text(s), how).unwrap().unwrap();
        assert_eq!(read("Yes - opted in"), "opted_in");
        assert_eq!(read("yes opted IN"), "opted_in");
        assert_eq!(read("Offer sent"), "offer_sent");
        assert_eq!(read("referred, no offer yet"), "referred");
        assert_eq!(read("Maybe"), "Maybe", "left for validation to refuse");
    }

    #[test]
    fn numbers_yes_no_aliases_and_key_dates() {
        let id = by_path("victim.id").unwrap();
        assert_eq!(
            value_of(id, &Cell::Number(1042.0), UK),
            Ok(Some("1042".into()))
        );
        let yes = by_path("case.offence.specified").unwrap();
        assert_eq!(value_of(yes, &text("Y"), UK), Ok(Some(true.into())));
        assert_eq!(
            value_of(yes, &Cell::YesNo(false), UK),
            Ok(Some(false.into()))
        );
        assert!(value_of(yes, &text("perhaps"), UK).is_err());
        let months = by_path("case.sentence.custodial_months").unwrap();
        assert_eq!(
            value_of(months, &Cell::Number(72.0), UK),
            Ok(Some(72.into()))
        );
        assert!(value_of(months, &text("six years"), UK).is_err());
        let aliases = by_path("case.offender.aliases").unwrap();
        assert_eq!(
            value_of(aliases, &text("Danny; D. Reeve"), UK),
            Ok(Some(serde_json::json!(["Danny", "D. Reeve"])))
        );
        let hearing = by_path("case.key_dates.parole_hearing").unwrap();
        assert_eq!(
            value_of(hearing, &text("01/02/2027; 2028-02-01"), UK),
            Ok(Some(serde_json::json!(["2027-02-01", "2028-02-01"])))
        );
        assert_eq!(
            text_of(&text("'+44 7700 900418")),
            Ok(Some("+44 7700 900418".into()))
        );
        assert!(text_of(&Cell::Error("#N/A".into())).is_err());
    }
}
