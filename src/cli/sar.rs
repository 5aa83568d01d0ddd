//! `vlu sar --victim ID --out FILE`: everything vlu holds about one person, for a subject
//! access request — the record, the whole contact log, the open reminders, the snoozes and
//! every audit entry about them — as a document a person reads (`FILE`, Markdown) and as
//! JSON (`FILE.json`), each written as an export is (0600, atomically). Other people's
//! contact details are taken out by the store before anything leaves it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;

use super::dpa::{audit_line, entries};
use super::{Env, write_out};
use crate::domain::calendar::Calendar;
use crate::domain::enums::DiaryStatus;
use crate::domain::model::Contact;
use crate::domain::reminders::{Reminder, Rules, diary_status, victim_reminders};
use crate::domain::text::visible;
use crate::error::Error;
use crate::store::{AuditEntry, Snooze, StoreError, SubjectAccess};
use crate::unit::api::{UnitAdmin, UnitStore};

/// `vlu sar`'s options.
#[derive(Debug, clap::Args)]
pub struct SarArgs {
    /// The victim. E.g. --victim V-0001
    #[arg(long, value_name = "ID")]
    pub victim: String,
    /// The document to write (Markdown); the same as JSON goes to FILE.json. E.g. --out
    /// sar-V-0001.md
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// One open reminder, as the response lists it.
#[derive(Debug, Serialize)]
struct ReminderOut {
    kind: String,
    due: NaiveDate,
    status: DiaryStatus,
    key_date: Option<String>,
    action: String,
}

/// The response as JSON (`FILE.json`).
#[derive(Serialize)]
struct Response<'a> {
    format: &'static str,
    version: u32,
    victim_id: &'a str,
    produced_at: DateTime<Utc>,
    produced_by: &'a str,
    /// The record, without its log.
    record: Value,
    /// The contact log, oldest first.
    contacts: &'a [Contact],
    reminders: &'a [ReminderOut],
    snoozes: &'a [Snooze],
    audit: &'a [AuditEntry],
    withheld: &'a [String],
}

/// `vlu sar`: both files, or nothing written (a bad `--out` or an unknown victim).
pub(super) fn sar(env: &Env, victim: &str, out: &Path) -> Result<(), Error> {
    if out == Path::new("-") {
        return Err(Error::Usage(
            "a subject access response is two files (FILE and FILE.json): name a file with --out"
                .into(),
        ));
    }
    let json_path = PathBuf::from(format!("{}.json", out.display()));
    let asked = env.with_service(|c| {
        let Some(sar) = c.subject_access(victim)? else {
            return Ok(None);
        };
        let case = c.case(&sar.victim.case_id)?;
        let digest = c.load_digest()?;
        Ok::<_, StoreError>(Some((sar, case, digest.caseload)))
    })?;
    let Some(Some((sar, case, head))) = asked else {
        return Err(Error::Usage(format!(
            "there is no victim {}",
            visible(victim)
        )));
    };
    let today = Local::now().date_naive();
    let calendar = Calendar::new(
        head.extra_non_working_days
            .iter()
            .chain(&env.config.extra_non_working_days)
            .copied(),
    );
    let rules = Rules {
        calendar: &calendar,
        lead: &env.config.lead_times,
    };
    let reminders: Vec<ReminderOut> = case
        .as_ref()
        .map(|c| victim_reminders(&sar.victim, c, today, rules))
        .unwrap_or_default()
        .into_iter()
        .map(|r| reminder_out(&r, today, env))
        .collect();
    let mut reminders = reminders;
    reminders.sort_by(|a, b| (a.due, &a.kind).cmp(&(b.due, &b.kind)));
    let produced_at = Utc::now();
    let mut record = serde_json::to_value(&sar.victim).expect("records always serialise");
    if let Some(map) = record.as_object_mut() {
        map.remove("contacts");
    }
    let response = Response {
        format: "vlu-subject-access",
        version: 1,
        victim_id: &sar.victim.id,
        produced_at,
        produced_by: &env.user,
        record,
        contacts: &sar.victim.contacts,
        reminders: &reminders,
        snoozes: &sar.snoozes,
        audit: &sar.audit,
        withheld: &sar.withheld,
    };
    let unit = head.unit.and_then(|u| u.name);
    let document = document(&response, &sar, unit.as_deref(), today);
    write_out(Some(&json_path), |w| {
        serde_json::to_writer_pretty(&mut *w, &response)?;
        w.write_all(b"\n")
    })?;
    write_out(Some(out), |w| w.write_all(document.as_bytes()))?;
    eprintln!(
        "Wrote the subject access response for {} to {} and {} (readable by you only). \
         Read it before it is sent: the store took other people's contact details out, but \
         free text may still name other people.",
        visible(victim),
        out.display(),
        json_path.display()
    );
    Ok(())
}

fn reminder_out(r: &Reminder, today: NaiveDate, env: &Env) -> ReminderOut {
    ReminderOut {
        kind: r.kind.as_str().to_owned(),
        due: r.due,
        status: diary_status(r.due, today, &env.config.lead_times),
        key_date: r.key_date.map(|k| k.as_str().to_owned()),
        action: r.action(),
    }
}

/// A line of text from the record: plain, on one line, with Markdown's own characters
/// escaped so that the text reads as it was written.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in visible(s).chars().enumerate() {
        // (A `_` within a word is never emphasis; `#` only starts a heading.)
        if matches!(c, '\\' | '`' | '*' | '[' | ']' | '<' | '>') || (i == 0 && c == '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The record's fields, one per line, by their paths (`preferences.method: letter`).
fn fields(value: &Value, out: &mut String) {
    for (path, leaf) in crate::domain::text::leaves(value) {
        let _ = match leaf {
            Value::String(s) => writeln!(out, "- `{path}`: {}", md(s).replace('\n', " / ")),
            other => writeln!(out, "- `{path}`: {other}"),
        };
    }
}

/// Entry `n` of the contact log, as the document shows it.
fn entry(d: &mut String, n: usize, c: &Contact) {
    let _ = writeln!(
        d,
        "### {}. {}{} — {}, {}, {}{}{}\n",
        n,
        c.on,
        c.at.as_deref()
            .map(|t| format!(" {}", md(t)))
            .unwrap_or_default(),
        c.kind.label(),
        c.method.label(),
        c.direction.label(),
        c.key_date
            .map(|k| format!(", about the {}", k.label()))
            .unwrap_or_default(),
        c.by.as_deref()
            .map(|b| format!(" (by {})", md(b)))
            .unwrap_or_default(),
    );
    if let Some(summary) = &c.summary {
        for line in summary.lines() {
            let _ = writeln!(d, "> {}", md(line));
        }
        d.push('\n');
    }
}

/// The document a person reads.
fn document(r: &Response<'_>, sar: &SubjectAccess, unit: Option<&str>, today: NaiveDate) -> String {
    let v = &sar.victim;
    let mut d = String::new();
    let _ = writeln!(
        d,
        "# Subject access request: {} ({})\n",
        md(&v.name),
        md(&v.id)
    );
    let _ = writeln!(
        d,
        "Everything{} holds about this person in vlu, produced on {} by {}.\n",
        unit.map_or_else(String::new, |u| format!(" {}", md(u))),
        r.produced_at
            .with_timezone(&Local)
            .format("%-d %B %Y at %H:%M"),
        md(r.produced_by)
    );
    d.push_str("## Left out, and why\n\n");
    for w in r.withheld {
        let _ = writeln!(d, "- {}", md(w));
    }
    d.push_str("\n## The record\n\n");
    fields(&r.record, &mut d);
    let _ = writeln!(
        d,
        "\n## The contact log ({}, oldest first)\n",
        entries(v.contacts.len())
    );
    for (i, c) in v.contacts.iter().enumerate() {
        entry(&mut d, i + 1, c);
    }
    let _ = writeln!(d, "## Open reminders on {today}\n");
    if r.reminders.is_empty() {
        d.push_str("None.\n");
    }
    for m in r.reminders {
        let _ = writeln!(
            d,
            "- due {} ({}): {}",
            m.due,
            m.status.as_str(),
            md(&m.action)
        );
    }
    d.push_str("\n## Reminders put off\n\n");
    if r.snoozes.is_empty() {
        d.push_str("None.\n");
    }
    for s in r.snoozes {
        let _ = writeln!(
            d,
            "- {} until {}, by {}: {}",
            md(&s.reminder),
            s.until,
            md(&s.by),
            md(&s.reason)
        );
    }
    let _ = writeln!(
        d,
        "\n## Who opened, changed or disclosed this record ({} of the audit trail)\n",
        entries(r.audit.len())
    );
    d.push_str("```text\n");
    for e in r.audit {
        let _ = writeln!(d, "{}", audit_line(e).replace("```", "'''"));
    }
    d.push_str("```\n");
    d
}
