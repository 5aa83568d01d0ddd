//! The administrator's views: the audit trail, and everything held about one victim (a
//! subject access), as the store gave them. Contact details stay masked here: the victim
//! view shows them once revealed, and `vlu sar` writes them in the response.

use ratatui::text::{Line, Span, Text};
use serde_json::Value;

use super::Theme;
use crate::domain::text::visible;
use crate::store::{AuditEntry, SubjectAccess};
use crate::tui::app::{AUDIT_DAYS, AdminView, App};

/// One entry as a line ([`crate::unit::audit::line`]).
pub(super) fn audit_line(e: &AuditEntry) -> String {
    crate::unit::audit::line(e, crate::unit::audit::Width::Narrow)
}

/// The record's fields, one a line by their paths; contact details masked.
fn fields(theme: &Theme, value: &Value, out: &mut Vec<Line<'static>>) {
    for (path, leaf) in crate::domain::text::leaves(value) {
        let text = match leaf {
            _ if path.contains("contact_details.") => theme.mask().to_owned(),
            Value::String(s) => visible(s).replace('\n', " / "),
            v => v.to_string(),
        };
        out.push(Line::from(format!("  {path}: {text}")));
    }
}

/// A subject access response on screen: its title and its lines.
fn subject_access_text(app: &App, theme: &Theme, sar: &SubjectAccess) -> (String, Text<'static>) {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let heading = |s: String| Line::from(Span::styled(s, theme.title()));
    let v = &sar.victim;
    let title = format!(
        " Subject access — {} ({}) ",
        visible(&v.name),
        visible(&v.id)
    );
    lines.push(Line::from(format!(
        "Everything {} holds about this person, on {}. Recorded in the audit trail.",
        app.caseload()
            .unit
            .as_ref()
            .and_then(|u| u.name.as_deref())
            .map_or("the unit".into(), visible),
        app.settings().today
    )));
    lines.push(Line::from(format!(
        "To send it: vlu sar --victim {} --out FILE writes it as a document (and JSON).",
        visible(&v.id)
    )));
    lines.push(heading("Left out, and why".into()));
    for w in &sar.withheld {
        lines.push(Line::from(format!("  {}", visible(w))));
    }
    lines.push(heading("The record (contact details masked)".into()));
    let mut record = serde_json::to_value(v).unwrap_or(Value::Null);
    if let Some(map) = record.as_object_mut() {
        map.remove("contacts");
    }
    fields(theme, &record, &mut lines);
    lines.push(heading(format!(
        "The contact log ({}, oldest first)",
        crate::domain::text::counted(v.contacts.len(), "entry", "entries")
    )));
    for (i, c) in v.contacts.iter().enumerate() {
        lines.push(Line::from(format!(
            "  {}. {} {} — {}, {}, {}{}",
            i + 1,
            c.on,
            c.at.as_deref()
                .map_or(String::new(), |t| visible(t).into_owned()),
            c.kind.label(),
            c.method.label(),
            c.direction.label(),
            c.by.as_deref()
                .map_or(String::new(), |b| format!(" (by {})", visible(b)))
        )));
        for l in c.summary.as_deref().unwrap_or("").lines() {
            lines.push(Line::from(format!("     {}", visible(l))));
        }
    }
    lines.push(heading("Reminders put off".into()));
    if sar.snoozes.is_empty() {
        lines.push(Line::from("  None."));
    }
    for s in &sar.snoozes {
        lines.push(Line::from(format!(
            "  {} until {}, by {}: {}",
            visible(&s.reminder),
            s.until,
            visible(&s.by),
            visible(&s.reason)
        )));
    }
    lines.push(heading(format!(
        "Who opened, changed or disclosed this record ({})",
        crate::domain::text::counted(sar.audit.len(), "entry", "entries")
    )));
    lines.extend(
        sar.audit
            .iter()
            .map(|e| Line::from(format!("  {}", audit_line(e)))),
    );
    (title, Text::from(lines))
}

/// The view's title and its lines.
pub(super) fn admin_text(app: &App, theme: &Theme, view: &AdminView) -> (String, Text<'static>) {
    let mut lines: Vec<Line<'static>> = Vec::new();
    match view {
        AdminView::Audit { about, entries } => {
            let title = match about {
                Some(v) => format!(" Audit trail — about {} ", visible(v)),
                None => format!(" Audit trail — the last {AUDIT_DAYS} days "),
            };
            if entries.is_empty() {
                lines.push(Line::from("No audit entries match."));
            }
            lines.extend(entries.iter().map(|e| Line::from(audit_line(e))));
            lines.push(Line::from(""));
            lines.push(Line::from(
                "vlu audit lists the whole trail, filtered by --victim, --user or --since.",
            ));
            (title, Text::from(lines))
        }
        AdminView::SubjectAccess(sar) => subject_access_text(app, theme, sar),
    }
}
