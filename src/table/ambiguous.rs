//! A date column that cannot show which way round it is written: every date in it has a
//! day and a month of 12 or less (01/02/2026 is 1 February day-first, 2 January
//! month-first). The mapping's `date_format` decides, silently; the dry run says so, so that
//! a unit checks before it imports.

use chrono::{Datelike, NaiveDate};

use super::cells::{Cell, Sheet};
use super::fields::Kind;
use super::mapping::{Column, Mapping};

/// One sentence per date column whose every date reads both ways (and at least one reads
/// differently each way), naming the column and the order assumed.
pub fn warnings(
    mapping: &Mapping,
    bound: &[(Column, Vec<usize>)],
    data: &[(usize, Vec<Cell>)],
) -> Vec<String> {
    let format = mapping.date_format.as_str();
    let numeric = format.contains("%d") && format.contains("%m");
    if !numeric {
        return Vec::new();
    }
    let day_first = format.find("%d") < format.find("%m");
    let mut said = Vec::new();
    for (column, at) in bound {
        // A date field reads one column (only text is joined from several).
        let ([at], Kind::Date | Kind::KeyDate(_)) = (at.as_slice(), column.field.kind) else {
            continue;
        };
        let dates: Vec<NaiveDate> = data
            .iter()
            .filter_map(|(_, cells)| match Sheet::cell(cells, *at) {
                Cell::Text(text) => Some(text),
                _ => None,
            })
            .flat_map(|text| text.split(';'))
            .filter_map(|part| NaiveDate::parse_from_str(part.trim(), format).ok())
            .collect();
        let either_way = |d: &NaiveDate| d.day() <= 12;
        let differs = |d: &NaiveDate| d.day() != d.month();
        if !dates.is_empty() && dates.iter().all(either_way) && dates.iter().any(differs) {
            let example = dates
                .iter()
                .find(|d| differs(d))
                .map_or_else(String::new, |d| format!(" (such as {})", d.format(format)));
            let (assumed, other) = if day_first {
                ("day first", "month first")
            } else {
                ("month first", "day first")
            };
            said.push(format!(
                "Check the dates in \"{}\": every one{example} reads as a date both day first \
                 and month first, and they were read {assumed} ({format}). If the sheet writes \
                 them {other}, change date_format in the mapping.",
                column.header()
            ));
        }
    }
    said
}
