//! The unit's way of writing a date (`date_format` in the configuration, `20/08/2027` by
//! default): checked once when it is read, then used to write dates for people and read
//! them back.

use std::fmt::Write as _;

use chrono::NaiveDate;

/// Why a date format cannot be used, if it cannot: it must write and read back every date
/// from 1900 to 2100 (so `%y`, two-digit years, is refused), and hold no time.
pub fn problem(format: &str) -> Option<String> {
    let samples = [(1900, 1, 1), (1950, 6, 15), (2026, 11, 24), (2100, 12, 31)];
    for (y, m, d) in samples {
        let date = NaiveDate::from_ymd_opt(y, m, d).expect("a real date");
        let mut written = String::new();
        if write!(written, "{}", date.format(format)).is_err() {
            return Some(format!(
                "date_format \"{}\" is not a date format (write it as %d/%m/%Y, %Y-%m-%d …)",
                crate::domain::text::shortened(format, 40)
            ));
        }
        if NaiveDate::parse_from_str(&written, format).ok() != Some(date) {
            return Some(format!(
                "date_format \"{}\" does not read back the dates it writes ({date} becomes \
                 \"{written}\"): it needs the day, the month and a four-digit year (%Y)",
                crate::domain::text::shortened(format, 40)
            ));
        }
    }
    None
}

/// A date as `format` writes it.
pub fn write(date: NaiveDate, format: &str) -> String {
    let mut out = String::new();
    // A format is checked when it is read ([`problem`]); ISO if it ever were not.
    if write!(out, "{}", date.format(format)).is_err() {
        out = date.to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_format_must_read_back_every_date() {
        assert_eq!(problem("%d/%m/%Y"), None);
        assert_eq!(problem("%Y-%m-%d"), None);
        assert_eq!(problem("%d %B %Y"), None);
        assert!(problem("%d/%m/%y").unwrap().contains("%Y"));
        assert!(problem("%m/%Y").is_some());
        assert!(problem("%Q").is_some());
    }
}
