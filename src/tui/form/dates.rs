//! Dates in forms: `YYYY-MM-DD`, or as the unit writes them (`date_format`, 20/08/2027 by
//! default), as `import-table` reads a spreadsheet's. A form's dates are made ISO before its
//! checks, which know only ISO; the form on screen keeps what was typed.

use chrono::{Datelike, NaiveDate};

use super::{FieldKind, Form};
use crate::domain::validate::Problem;

/// Whether a field holds a date, by the record field it fills: `on`, `until`, `date`, `dob`,
/// `referred_on`, `vps.offered_on`, `status_since`, `representations_due`…
pub fn is_date(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    let last = last.split('[').next().unwrap_or(last);
    matches!(
        last,
        "on" | "until" | "date" | "dob" | "representations_due"
    ) || last.ends_with("_on")
        || last.ends_with("_since")
}

/// `text` as ISO when it is a date written in `format` (and not already ISO); else `None`.
pub fn iso(text: &str, format: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() || NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok() {
        return None;
    }
    // A year written short ("27") is not taken for the year 27: the checks then say how
    // to write the date.
    NaiveDate::parse_from_str(text, format)
        .ok()
        .filter(|d| (1900..=2100).contains(&d.year()))
        .map(|d| d.format("%Y-%m-%d").to_string())
}

/// An example date written in `format`, for a problem's words.
fn example(format: &str) -> String {
    let day = NaiveDate::from_ymd_opt(2027, 8, 20).unwrap_or_default();
    let mut out = String::new();
    if std::fmt::Write::write_fmt(&mut out, format_args!("{}", day.format(format))).is_err() {
        out.clear();
    }
    out
}

impl Form {
    /// The form with each date typed in the unit's `format` made ISO, for the checks.
    #[must_use]
    pub fn with_iso_dates(&self, format: &str) -> Form {
        let mut form = self.clone();
        for f in &mut form.fields {
            if f.kind == FieldKind::Line
                && is_date(f.name)
                && let Some(iso) = iso(f.value(), format)
            {
                f.set_text(&iso);
            }
        }
        form
    }
}

/// A bad date's problem says both ways a date may be written: "invalid date "32/13/2027"
/// (expected 20/08/2027 or 2027-08-20)".
pub fn reworded(problems: &mut [Problem], format: &str) {
    let example = example(format);
    if example.is_empty() || example == "2027-08-20" {
        return;
    }
    for p in problems {
        if p.message.ends_with("(expected YYYY-MM-DD)") {
            p.message = p.message.replace(
                "(expected YYYY-MM-DD)",
                &format!("(expected {example} or 2027-08-20)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_known_by_their_record_fields() {
        for name in [
            "on",
            "until",
            "date",
            "referred_on",
            "status_since",
            "offender.dob",
            "vps.offered_on",
            "complaints[1].received_on",
            "restricted_patient.representations_due",
        ] {
            assert!(is_date(name), "{name}");
        }
        for name in ["name", "summary", "note", "online", "moved_away.to", "kind"] {
            assert!(!is_date(name), "{name}");
        }
    }

    #[test]
    fn the_units_format_becomes_iso_and_nothing_else_is_touched() {
        assert_eq!(iso("20/08/2027", "%d/%m/%Y").as_deref(), Some("2027-08-20"));
        assert_eq!(iso(" 5/1/2027 ", "%d/%m/%Y").as_deref(), Some("2027-01-05"));
        assert_eq!(iso("2027-08-20", "%d/%m/%Y"), None, "ISO stays as it is");
        for bad in ["", "32/13/2027", "20/08/27", "tomorrow", "20/08/2027 x"] {
            assert_eq!(iso(bad, "%d/%m/%Y"), None, "{bad}");
        }
        assert_eq!(iso("08/20/2027", "%m/%d/%Y").as_deref(), Some("2027-08-20"));
    }
}
