//! `vlu report`: the monitoring return for a period, as text for a manager to read, CSV with
//! one row per figure, or JSON (docs/REPORT.md). The figures are worked out where the
//! records are (the unit service, `Store::report`); this only renders them.

use std::fmt::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::ValueEnum;

use super::{Env, write_out};
use crate::domain::calendar::Calendar;
use crate::domain::reminders::Rules;
use crate::domain::report::{NO_RESPONSE_MONTHS, Report, ReportQuery, Tenths, report};
use crate::domain::rules::LeadTimes;
use crate::domain::text::plural;
use crate::domain::text::{shortened, visible};
use crate::error::Error;
use crate::store::ReportAsk;
use crate::unit::api::UnitStore;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Csv,
    Json,
}

/// `vlu report`'s options.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The period's first day. E.g. --from 2026-07-01
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    from: NaiveDate,
    /// The period's last day (included). E.g. --to 2026-09-30
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    to: NaiveDate,
    /// Only the victims allocated to this officer. E.g. --officer sahmed
    #[arg(long, value_name = "ID")]
    officer: Option<String>,
    /// How to write it: text for a manager, csv (one row per figure), json for programs.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
    /// Write to this file (atomically, readable by you only) instead of standard output.
    /// E.g. --out q2-return.txt
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

impl ReportArgs {
    /// The query asked, made today; a period that ends before it starts is refused.
    fn query(&self) -> Result<ReportQuery, Error> {
        if self.from > self.to {
            return Err(Error::Usage(format!(
                "the period starts ({}) after it ends ({}): give --from on or before --to",
                self.from, self.to
            )));
        }
        Ok(ReportQuery {
            from: self.from,
            to: self.to,
            officer: self.officer.clone(),
            made_on: chrono::Local::now().date_naive(),
            weeks: 0,
        })
    }
}

pub(super) fn run(env: &Env, asked: &ReportArgs) -> Result<(), Error> {
    let ask = ReportAsk {
        query: asked.query()?,
        lead: env.config.lead_times,
        calendar: env.config.days.clone(),
    };
    let made = if let Some(made) = env.with_service(|service| service.report(&ask))? {
        made
    } else {
        // No store yet: the return of an empty caseload.
        let caseload = env.read_caseload()?;
        if let Some(o) = &asked.officer {
            return Err(Error::Usage(format!(
                "there is no officer \"{o}\" in the store"
            )));
        }
        let calendar = Calendar::with_changes(
            ask.calendar.non_working.iter().copied(),
            ask.calendar.working.iter().copied(),
        );
        let rules = Rules {
            calendar: &calendar,
            lead: &ask.lead,
        };
        report(&caseload.cases, &caseload.victims, &ask.query, rules, None)
            .with_officer_names(&caseload.officers)
    };
    put_out(env, &made, asked)
}

/// The whole country's return (`vlu db report`), read as a national role from the database
/// at `url`: every unit that keeps its return's facts, summed.
pub(super) fn national(env: &Env, url: &str, asked: &ReportArgs) -> Result<(), Error> {
    let query = asked.query()?;
    let made = crate::store::national::national_return(url, &query)?;
    if !made.left_out.is_empty() {
        eprintln!(
            "note: not counted, for they keep no return facts yet (a return made in each keeps them): {}",
            made.left_out
                .iter()
                .map(|u| super::visible(u).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    put_out(env, &made.report, asked)
}

/// The return written as asked: its format, to its file or standard output.
fn put_out(env: &Env, made: &Report, asked: &ReportArgs) -> Result<(), Error> {
    let written = match asked.format {
        ReportFormat::Text => {
            super::plain::for_people(&text(made, &env.config.lead_times)).into_owned()
        }
        ReportFormat::Csv => csv(made, &env.config.date_format.0),
        ReportFormat::Json => json(made),
    };
    write_out(asked.out.as_deref(), |w| w.write_all(written.as_bytes()))
}

/// The return as JSON: the report's own fields, pretty-printed.
pub fn json(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(report).expect("a report always serialises");
    out.push('\n');
    out
}

fn tenths(t: Option<Tenths>) -> String {
    t.map(|t| t.to_string()).unwrap_or_default()
}

/// The figures, each with its JSON name, in the order the return gives them.
fn headline(r: &Report) -> Vec<(&'static str, String)> {
    vec![
        ("referred", r.referred.to_string()),
        ("offers_due", r.offers_due.to_string()),
        ("offers_in_time", r.offers_in_time.to_string()),
        ("offers_in_time_percent", tenths(r.offers_in_time_percent)),
        (
            "median_working_days_to_offer",
            tenths(r.median_working_days_to_offer),
        ),
        ("first_offers", r.first_offers.to_string()),
        ("opted_in", r.opted_in.to_string()),
        ("declined", r.declined.to_string()),
        ("opted_out", r.opted_out.to_string()),
        ("no_response", r.no_response.to_string()),
        ("annual_letters_due", r.annual_letters_due.to_string()),
        (
            "annual_letters_on_time",
            r.annual_letters_on_time.to_string(),
        ),
        ("follow_ups_due", r.follow_ups_due.to_string()),
        ("follow_ups_on_time", r.follow_ups_on_time.to_string()),
        ("complaints", r.complaints.to_string()),
        (
            "complaints_acknowledged_in_time",
            r.complaints_acknowledged_in_time.to_string(),
        ),
        ("discretionary_decided", r.discretionary_decided.to_string()),
        (
            "discretionary_accepted",
            r.discretionary_accepted.to_string(),
        ),
        (
            "discretionary_decided_in_time",
            r.discretionary_decided_in_time.to_string(),
        ),
        ("referrals", r.referrals.to_string()),
        ("surveys_answered", r.surveys_answered.to_string()),
        ("surveys_satisfied", r.surveys_satisfied.to_string()),
    ]
}

/// The return as CSV for Excel (as the exports write it: a byte-order mark, CRLF, quoted
/// where needed, no cell read as a formula): `figure,breakdown,group,value`, one row per
/// figure, days as the unit writes them (`date_format`). A figure of the whole period has no
/// breakdown; overdue items break down by `kind` and `officer` (an empty group: victims not
/// allocated), the equality figures by characteristic and value.
pub fn csv(r: &Report, date_format: &str) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = |figure: &str, breakdown: &str, group: &str, value: &str| {
        rows.push(vec![
            figure.into(),
            breakdown.into(),
            group.into(),
            value.into(),
        ]);
    };
    let day = |d: NaiveDate| crate::domain::date_format::write(d, date_format);
    row("figure", "breakdown", "group", "value");
    row("unit", "", "", r.unit.as_deref().unwrap_or(""));
    row("from", "", "", &day(r.from));
    row("to", "", "", &day(r.to));
    row("officer", "", "", r.officer.as_deref().unwrap_or(""));
    row("made_on", "", "", &day(r.made_on));
    for (name, value) in headline(r) {
        row(name, "", "", &value);
    }
    for t in &r.tasks {
        row(
            "tasks_opened",
            "kind",
            t.kind.as_str(),
            &t.opened.to_string(),
        );
        row("tasks_done", "kind", t.kind.as_str(), &t.done.to_string());
        let in_time = t.done_in_time.to_string();
        row("tasks_done_in_time", "kind", t.kind.as_str(), &in_time);
    }
    row("overdue", "", "", &r.overdue.total.to_string());
    for k in &r.overdue.by_kind {
        row("overdue", "kind", k.kind.as_str(), &k.items.to_string());
    }
    for o in &r.overdue.by_officer {
        let officer = o.officer.as_deref().unwrap_or("");
        row("overdue", "officer", officer, &o.items.to_string());
    }
    for c in &r.equality {
        for g in &c.groups {
            let n = g.referred.to_string();
            row("referred", &c.characteristic, &g.value, &n);
        }
        for g in &c.groups {
            let n = g.opted_in.to_string();
            row("opted_in", &c.characteristic, &g.value, &n);
        }
    }
    let mut out = Vec::new();
    crate::table::export::write_csv(&rows, &mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("the rows are UTF-8")
}

fn day(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// A line of the text return: a label and its figure, aligned.
fn line(out: &mut String, indent: usize, label: &str, value: &str) {
    let width = 58usize.saturating_sub(indent);
    let _ = writeln!(out, "{:indent$}{label:<width$} {value:>6}", "");
}

/// The return as a manager reads it.
pub fn text(r: &Report, lead: &LeadTimes) -> String {
    let unit = r.unit.as_deref().unwrap_or("vlu");
    let whose = r
        .officer
        .as_deref()
        .map_or_else(|| "all officers".to_owned(), |o| r.officer_called(o));
    let mut out = format!(
        "{} — monitoring return\n{} to {} · {} · made on {}\n",
        visible(unit),
        day(r.from),
        day(r.to),
        visible(&whose),
        day(r.made_on)
    );
    out.push_str("\nReferrals and offers\n");
    line(&mut out, 2, "Victims referred", &r.referred.to_string());
    line(
        &mut out,
        2,
        &format!(
            "Initial offers due ({} working days after sentence)",
            lead.initial_offer_working_days
        ),
        &r.offers_due.to_string(),
    );
    let percent = r
        .offers_in_time_percent
        .map_or_else(String::new, |p| format!("  ({p}%)"));
    let _ = writeln!(
        out,
        "    {:<54} {:>6}{percent}",
        "made in time", r.offers_in_time
    );
    let median = r
        .median_working_days_to_offer
        .map_or_else(|| "—".to_owned(), |m| m.to_string());
    let _ = writeln!(
        out,
        "  {:<56} {median:>6}  ({})",
        "Median working days from sentence to first offer",
        plural(r.first_offers as usize, "first offer")
    );
    out.push_str("\nVictims' decisions\n");
    line(&mut out, 2, "Opted in", &r.opted_in.to_string());
    line(&mut out, 2, "Declined", &r.declined.to_string());
    line(&mut out, 2, "Opted out", &r.opted_out.to_string());
    line(
        &mut out,
        2,
        &format!("No answer to a second offer within {NO_RESPONSE_MONTHS} months"),
        &r.no_response.to_string(),
    );
    keeping_in_touch(&mut out, r, lead);
    overdue(&mut out, r);
    equality(&mut out, r);
    out
}

fn keeping_in_touch(out: &mut String, r: &Report, lead: &LeadTimes) {
    out.push_str("\nKeeping in touch\n");
    line(
        out,
        2,
        "Annual letters due",
        &r.annual_letters_due.to_string(),
    );
    line(
        out,
        4,
        "sent on time",
        &r.annual_letters_on_time.to_string(),
    );
    line(
        out,
        2,
        &format!(
            "Written follow-ups due ({} working days after a call)",
            lead.written_follow_up_working_days
        ),
        &r.follow_ups_due.to_string(),
    );
    line(out, 4, "sent on time", &r.follow_ups_on_time.to_string());
    line(out, 2, "Complaints received", &r.complaints.to_string());
    line(
        out,
        4,
        &format!(
            "acknowledged within {} working days",
            lead.complaint_ack_working_days
        ),
        &r.complaints_acknowledged_in_time.to_string(),
    );
    line(
        out,
        2,
        "Discretionary requests decided",
        &r.discretionary_decided.to_string(),
    );
    line(out, 4, "accepted", &r.discretionary_accepted.to_string());
    line(
        out,
        4,
        &format!(
            "decided within {} days of the referral",
            lead.discretionary_decision_days
        ),
        &r.discretionary_decided_in_time.to_string(),
    );
    line(
        out,
        2,
        "Referrals to Victim Support or another service",
        &r.referrals.to_string(),
    );
    line(
        out,
        2,
        "Satisfaction surveys answered",
        &r.surveys_answered.to_string(),
    );
    line(out, 4, "satisfied", &r.surveys_satisfied.to_string());
    if !r.tasks.is_empty() {
        let _ = writeln!(
            out,
            "  {:<44} {:>6} {:>6} {:>6}",
            "Tasks", "opened", "done", "in time"
        );
        for t in &r.tasks {
            let _ = writeln!(
                out,
                "    {:<42} {:>6} {:>6} {:>6}",
                t.kind.label(),
                t.opened,
                t.done,
                t.done_in_time
            );
        }
    }
}

fn overdue(out: &mut String, r: &Report) {
    let _ = writeln!(out);
    line(
        out,
        0,
        &format!("Open overdue items on {}", day(r.overdue.date)),
        &r.overdue.total.to_string(),
    );
    if r.overdue.total == 0 {
        return;
    }
    out.push_str("  by kind\n");
    for k in r.overdue.by_kind.iter().filter(|k| k.items > 0) {
        line(out, 4, k.kind.label(), &k.items.to_string());
    }
    out.push_str("  by officer\n");
    for o in &r.overdue.by_officer {
        let who = o
            .officer
            .as_deref()
            .map_or_else(|| "not allocated".into(), |id| r.officer_called(id));
        line(out, 4, &visible(&who), &o.items.to_string());
    }
}

fn equality(out: &mut String, r: &Report) {
    if let Some(why) = &r.equality_withheld {
        let _ = writeln!(out, "\nEquality monitoring: not given. {why}");
        return;
    }
    if r.equality.is_empty() {
        out.push_str("\nEquality monitoring: no protected characteristic is recorded.\n");
        return;
    }
    out.push_str(
        "\nEquality monitoring: victims referred, and victims who opted in, in the period\n",
    );
    for c in &r.equality {
        let _ = writeln!(
            out,
            "  {:<42} {:>8} {:>8}",
            crate::domain::enums::equality_label(&c.characteristic),
            "referred",
            "opted in"
        );
        for g in &c.groups {
            let _ = writeln!(
                out,
                "    {:<40} {:>8} {:>8}",
                shortened(&g.value, 40),
                g.referred.to_string(),
                g.opted_in.to_string()
            );
        }
    }
    out.push_str(
        "\n<5: one to four victims. *: withheld, so that no small group can be worked out from \
         the totals.\n",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::Officer;
    use crate::domain::report::{Cell, Characteristic, Group, OfficerCount, Overdue};

    fn made() -> Report {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let officers: Vec<Officer> = serde_json::from_value(serde_json::json!([
            { "id": "sahmed", "name": "Sara Ahmed", "role": "vlo" }
        ]))
        .unwrap();
        let empty: Report = serde_json::from_value(serde_json::json!({
            "unit": "Test Unit", "from": "2026-07-01", "to": "2026-09-30", "officer": null,
            "made_on": "2026-11-24", "referred": 7, "offers_due": 0, "offers_in_time": 0,
            "offers_in_time_percent": null, "median_working_days_to_offer": null,
            "first_offers": 0, "opted_in": 0, "declined": 0, "opted_out": 0, "no_response": 0,
            "annual_letters_due": 0, "annual_letters_on_time": 0, "follow_ups_due": 0,
            "follow_ups_on_time": 0, "complaints": 0, "complaints_acknowledged_in_time": 0,
            "overdue": { "date": "2026-09-30", "total": 0, "by_kind": [], "by_officer": [] },
            "equality": []
        }))
        .unwrap();
        Report {
            overdue: Overdue {
                date: d("2026-09-30"),
                total: 3,
                by_kind: Vec::new(),
                by_officer: vec![OfficerCount {
                    officer: Some("sahmed".into()),
                    items: 3,
                }],
            },
            equality: vec![Characteristic {
                characteristic: "religion_belief".into(),
                groups: vec![Group {
                    value: "not stated".into(),
                    referred: Cell::Shown(7),
                    opted_in: Cell::Shown(0),
                }],
            }],
            ..empty
        }
        .with_officer_names(&officers)
    }

    #[test]
    fn the_text_names_officers_and_characteristics_as_people_say_them() {
        let said = text(&made(), &LeadTimes::default());
        assert!(said.contains("Sara Ahmed (sahmed)"), "{said}");
        assert!(said.contains("Religion or belief"), "{said}");
        assert!(!said.contains("religion belief"), "{said}");
    }

    #[test]
    fn the_csv_is_written_as_the_exports_write_it_with_the_units_dates() {
        let csv = csv(&made(), "%d/%m/%Y");
        assert!(
            csv.starts_with("\u{feff}figure,breakdown,group,value\r\n"),
            "{csv}"
        );
        assert!(csv.contains("\r\nfrom,,,01/07/2026\r\n"), "{csv}");
        assert!(
            csv.contains("\r\nreferred,religion_belief,not stated,7\r\n"),
            "{csv}"
        );
    }
}
