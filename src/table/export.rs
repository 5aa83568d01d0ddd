//! Spreadsheets out: the caseload (a row a victim), the diary (a row a reminder) and the
//! contact log (a row a contact), as CSV that Excel opens as it is — UTF-8 with a byte-order
//! mark, CRLF line ends, dates in the unit's format. The caseload's columns are the fields
//! of `fields.rs` under their headers, so that `import-table --suggest` reads one back.

use std::collections::HashMap;
use std::io::Write;

use chrono::NaiveDate;
use serde_json::Value;

use super::fields::{FIELDS, Field, Kind, Owner};
use crate::domain::date_format;
use crate::domain::model::{Case, Caseload};
use crate::domain::reminders::DiaryItem;
use crate::domain::snooze::Snooze;

/// What goes into a spreadsheet and how its dates are written.
#[derive(Debug, Clone, Copy)]
pub struct Sheet<'a> {
    pub date_format: &'a str,
    /// Addresses, phone numbers and emails, and the free text that may hold them (needs
    /// notes, contact summaries): left out unless asked for.
    pub contact_details: bool,
}

impl Sheet<'_> {
    fn date(&self, d: NaiveDate) -> String {
        date_format::write(d, self.date_format)
    }

    fn opt_date(&self, d: Option<NaiveDate>) -> String {
        d.map(|d| self.date(d)).unwrap_or_default()
    }
}

/// One row a victim: every field of the victim and its case, the key dates the unit has,
/// and how many contacts are logged and when the last was.
pub fn caseload_rows(caseload: &Caseload, sheet: Sheet<'_>) -> Vec<Vec<String>> {
    let cases: HashMap<&str, &Case> = caseload.cases.iter().map(|c| (c.id.as_str(), c)).collect();
    let columns: Vec<&Field> = FIELDS
        .iter()
        .filter(|f| sheet.contact_details || !f.is_private_text())
        .filter(|f| match f.kind {
            Kind::KeyDate(kind) => caseload
                .cases
                .iter()
                .any(|c| c.dates_of(kind).next().is_some()),
            _ => true,
        })
        .collect();
    let mut header: Vec<String> = columns.iter().map(|f| f.header.clone()).collect();
    header.extend(["Contacts logged".to_owned(), "Last contact".to_owned()]);
    let mut rows = vec![header];
    for victim in &caseload.victims {
        let case = cases.get(victim.case_id.as_str());
        let v = serde_json::to_value(victim).unwrap_or_default();
        let c = case.map(|c| serde_json::to_value(c).unwrap_or_default());
        let mut row: Vec<String> = columns
            .iter()
            .map(|f| match (f.owner(), f.kind) {
                (Owner::Case, Kind::KeyDate(kind)) => case.map_or_else(String::new, |c| {
                    c.dates_of(kind)
                        .map(|d| sheet.date(d))
                        .collect::<Vec<_>>()
                        .join("; ")
                }),
                (Owner::Case, _) if f.path == "case.id" => victim.case_id.clone(),
                (Owner::Case, _) => c.as_ref().map_or_else(String::new, |c| cell(c, f, sheet)),
                (Owner::Victim, _) => cell(&v, f, sheet),
            })
            .collect();
        row.push(victim.contacts.len().to_string());
        row.push(sheet.opt_date(victim.contacts.iter().map(|c| c.on).max()));
        rows.push(row);
    }
    rows
}

/// A field's value in a record (as JSON), as the spreadsheet shows it.
fn cell(record: &Value, field: &Field, sheet: Sheet<'_>) -> String {
    let mut at = record;
    for part in field.inner().split('.') {
        match at.get(part) {
            Some(next) => at = next,
            None => return String::new(),
        }
    }
    match (field.kind, at) {
        (Kind::Date, Value::String(s)) => s
            .parse::<NaiveDate>()
            .map_or_else(|_| s.clone(), |d| sheet.date(d)),
        (Kind::YesNo, Value::Bool(b)) => if *b { "yes" } else { "no" }.to_owned(),
        (Kind::Aliases, Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("; "),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Null) => String::new(),
        (_, other) => other.to_string(),
    }
}

/// One row a reminder of the diary, in the diary's order, with the victim's and offender's
/// names for the officer reading it.
pub fn diary_rows(
    caseload: &Caseload,
    snoozes: &[Snooze],
    items: &[DiaryItem],
    sheet: Sheet<'_>,
) -> Vec<Vec<String>> {
    let (victims, cases) = caseload.by_id();
    let put_off: HashMap<&str, &Snooze> =
        snoozes.iter().map(|s| (s.reminder.as_str(), s)).collect();
    let mut rows = vec![
        [
            "Due",
            "Status",
            "Reminder",
            "What to do",
            "Victim",
            "Victim id",
            "Case",
            "Offender",
            "Officer",
            "Key date",
            "Near sensitive date",
            "Snoozed until",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for item in items {
        let r = &item.reminder;
        rows.push(vec![
            sheet.date(r.due),
            item.status.label().to_owned(),
            r.kind.label().to_owned(),
            r.action(),
            victims
                .get(r.victim_id.as_str())
                .map(|v| v.name.clone())
                .unwrap_or_default(),
            r.victim_id.clone(),
            r.case_id.clone(),
            cases
                .get(r.case_id.as_str())
                .map(|c| c.offender.name.clone())
                .unwrap_or_default(),
            r.officer.clone().unwrap_or_default(),
            r.key_date
                .map(|k| k.as_str().to_owned())
                .unwrap_or_default(),
            r.sensitive.clone().unwrap_or_default(),
            sheet.opt_date(put_off.get(r.identity().as_str()).map(|s| s.until)),
        ]);
    }
    rows
}

/// One row a contact, victim by victim, each log in the order it was written.
pub fn contact_rows(caseload: &Caseload, sheet: Sheet<'_>) -> Vec<Vec<String>> {
    let mut header: Vec<String> = [
        "Victim id",
        "Victim name",
        "Case",
        "Date",
        "Time",
        "Kind",
        "Method",
        "Direction",
        "By",
        "Key date",
    ]
    .map(str::to_owned)
    .to_vec();
    if sheet.contact_details {
        header.push("Summary".into());
    }
    let mut rows = vec![header];
    for v in &caseload.victims {
        for c in &v.contacts {
            let mut row = vec![
                v.id.clone(),
                v.name.clone(),
                v.case_id.clone(),
                sheet.date(c.on),
                c.at.clone().unwrap_or_default(),
                c.kind.as_str().to_owned(),
                c.method.as_str().to_owned(),
                c.direction.as_str().to_owned(),
                c.by.clone().unwrap_or_default(),
                c.key_date
                    .map(|k| k.as_str().to_owned())
                    .unwrap_or_default(),
            ];
            if sheet.contact_details {
                row.push(c.summary.clone().unwrap_or_default());
            }
            rows.push(row);
        }
    }
    rows
}

/// A cell Excel would run as a formula (`=`, `+`, `-`, `@` first, or a tab or carriage
/// return) is written after an apostrophe, which `import-table` drops again.
fn defused(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Writes rows as CSV for Excel: a UTF-8 byte-order mark, CRLF line ends, every field
/// quoted where it needs to be.
pub fn write_csv(rows: &[Vec<String>], out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    for row in rows {
        writer.write_record(row.iter().map(|c| defused(c).into_owned()))?;
    }
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_for_excel_has_a_bom_crlf_and_no_formulas() {
        let rows = vec![
            vec!["Name".to_owned(), "Note".to_owned()],
            vec![
                "=HYPERLINK(\"x\")".to_owned(),
                "two\nlines, and a comma".to_owned(),
            ],
        ];
        let mut out = Vec::new();
        write_csv(&rows, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "\u{feff}Name,Note\r\n\"'=HYPERLINK(\"\"x\"\")\",\"two\nlines, and a comma\"\r\n"
        );
    }
}
