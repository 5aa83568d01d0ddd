//! The casework rows of the victim view: licence-condition requests, the personal
//! statement, complaints, tasks, a move away; and the case's restricted-patient casework and
//! transfer. Each row says where the work stands; free text is shown by its first line.

use std::fmt::Write as _;

use chrono::NaiveDate;
use ratatui::text::{Line, Span};

use super::{Theme, day};
use crate::domain::enums::TaskKind;
use crate::domain::model::{Case, Discretionary, Task, Victim};
use crate::domain::text::first_line;

/// "label date" for each date recorded, joined with " · ".
fn stages(parts: &[(&str, Option<NaiveDate>)]) -> String {
    parts
        .iter()
        .filter_map(|(label, d)| d.map(|d| format!("{label} {}", day(d))))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn or_dash(s: String) -> String {
    if s.is_empty() { "—".to_owned() } else { s }
}

/// The victim's casework rows.
pub(super) fn victim_lines(theme: &Theme, v: &Victim, l: &mut Vec<Line<'static>>) {
    if let Some(d) = v.discretionary.as_deref() {
        l.push(Line::from(discretionary_line(d)));
    }
    if let Some(c) = v.child.as_deref() {
        l.push(Line::from(format!(
            "Child victim: {}",
            or_dash(stages(&[
                ("born", c.born_on),
                ("turns 18", c.eighteen()),
                ("offered the scheme in their own right", c.offered_on),
            ]))
        )));
    }
    for r in &v.licence_requests {
        let mut line = format!(
            "Licence request: {} — {}",
            r.condition.map_or("condition", |c| c.label()),
            r.outcome.map_or("pending", |o| o.label()),
        );
        let when = stages(&[
            ("requested", r.requested_on),
            ("submitted", r.submitted_on),
            ("decided", r.outcome_on),
        ]);
        if !when.is_empty() {
            let _ = write!(line, " · {when}");
        }
        if let Some(map) = &r.map_file {
            let _ = write!(line, " · map {}", first_line(map));
        }
        l.push(Line::from(line));
        if let Some(granted) = &r.granted {
            l.push(Line::from(format!("  granted: {}", first_line(granted))));
        }
    }
    if let Some(s) = v.vps.as_deref() {
        let mut line = format!(
            "Personal statement: {}",
            or_dash(stages(&[
                ("offered", s.offered_on),
                ("declined", s.declined_on),
                ("sent", s.submitted_on),
                ("heard", s.heard_on),
            ]))
        );
        if s.non_disclosure_asked_on.is_some() || s.non_disclosure_decision.is_some() {
            let _ = write!(
                line,
                " · non-disclosure {}: {}",
                stages(&[
                    ("asked", s.non_disclosure_asked_on),
                    ("decided", s.non_disclosure_decided_on),
                ]),
                s.non_disclosure_decision
                    .map_or("not decided", |d| d.label())
            );
        }
        l.push(Line::from(line));
    }
    for c in &v.complaints {
        let mut line = format!(
            "Complaint: {}",
            or_dash(stages(&[
                ("received", c.received_on),
                ("acknowledged", c.acknowledged_on),
                ("answered", c.answered_on),
            ]))
        );
        if let Some(o) = c.outcome {
            let _ = write!(line, ": {}", o.label());
        } else if c.answered_on.is_none() {
            line.push_str(" · open");
        }
        if let Some(s) = &c.summary {
            let _ = write!(line, " — {}", first_line(s));
        }
        l.push(Line::from(line));
    }
    l.extend(v.tasks.iter().map(|t| Line::from(task_line(t))));
    if let Some(m) = v.moved_away.as_deref() {
        l.push(Line::from(Span::styled(
            format!(
                "Moved out of England and Wales{}{}: contact goes on as chosen — letters to \
                 the address abroad, calls international",
                m.on.map_or(String::new(), |d| format!(" on {}", day(d))),
                m.to.as_deref()
                    .map_or(String::new(), |t| format!(" (to {})", first_line(t)))
            ),
            theme.warn(),
        )));
    }
}

/// The discretionary request's row: decided how, when, by whom, on what ground, why.
fn discretionary_line(d: &Discretionary) -> String {
    let mut line = format!(
        "Discretionary request: {}",
        d.decision.map_or("not yet decided", |x| x.label())
    );
    if let Some(on) = d.decided_on {
        let _ = write!(line, " on {}", day(on));
    }
    if let Some(by) = &d.by {
        let _ = write!(line, " by {}", first_line(by));
    }
    if let Some(g) = &d.ground {
        let _ = write!(line, " · ground: {}", first_line(g));
    }
    if let Some(r) = &d.reason {
        let _ = write!(line, " — {}", first_line(r));
    }
    line
}

/// A task's row: its kind, key date, days, whom it went to, its answer and outcome.
fn task_line(t: &Task) -> String {
    let mut line = format!("Task: {}", t.kind.map_or("task", TaskKind::label));
    if let Some(k) = t.key_date {
        let _ = write!(line, " ({})", k.label());
    }
    if let Some(about) = &t.about {
        let _ = write!(line, ": {}", first_line(about));
    }
    let when = stages(&[
        ("opened", t.opened_on),
        ("due", t.due_on),
        ("done", t.done_on),
    ]);
    let _ = write!(line, " — {}", or_dash(when));
    if t.done_on.is_none() {
        line.push_str(" · open");
    }
    if let Some(to) = &t.to {
        let _ = write!(line, " · to {}", first_line(to));
    }
    if let (Some((yes, no)), Some(agreed)) = (t.kind.and_then(TaskKind::answer), t.agreed) {
        let _ = write!(line, " · {}", if agreed { yes } else { no });
    }
    if let Some(o) = &t.outcome {
        let _ = write!(line, " — {}", first_line(o));
    }
    line
}

/// The case's casework rows.
pub(super) fn case_lines(theme: &Theme, c: &Case, l: &mut Vec<Line<'static>>) {
    if let Some(t) = c.transferred.as_deref() {
        l.push(Line::from(Span::styled(
            format!(
                "Transferred to {}{}: kept here, no reminders",
                t.to_area
                    .as_deref()
                    .map_or("another unit".into(), first_line),
                t.on.map_or(String::new(), |d| format!(" on {}", day(d)))
            ),
            theme.warn(),
        )));
    }
    if let Some(r) = c.restricted_patient.as_deref() {
        let mhcs = r
            .mhcs_registered_on
            .map_or("not registered with MHCS".to_owned(), |d| {
                format!("registered with MHCS {}", day(d))
            });
        let mut line = format!("Restricted patient: {mhcs}");
        if let Some(t) = r.tribunal_on {
            let _ = write!(line, " · tribunal {}", day(t));
        }
        let reps = stages(&[
            ("due", r.representations_due),
            ("sent", r.representations_sent_on),
        ]);
        if !reps.is_empty() {
            let _ = write!(line, " · representations {reps}");
        }
        l.push(Line::from(line));
    }
}
