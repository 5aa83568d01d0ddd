//! The audit trail as people read it: one entry a line, the same in `vlu audit`, a subject
//! access response and the administrator's screen.

use chrono::Local;

use crate::domain::text::visible;
use crate::store::AuditEntry;

/// How much of an entry's time a line gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// To the second, the action in 24 columns (the command line's, and a response's).
    Full,
    /// To the minute, the action in 20 columns (the screens').
    Narrow,
}

/// One entry as a line: number, local time, user, action, subject, details.
pub fn line(e: &AuditEntry, width: Width) -> String {
    let r = &e.record;
    let (time, action) = match width {
        Width::Full => ("%Y-%m-%d %H:%M:%S", 24),
        Width::Narrow => ("%Y-%m-%d %H:%M", 20),
    };
    format!(
        "#{:<6} {}  {:<10} {:<action$} {:<12} {}",
        e.seq,
        r.at.with_timezone(&Local).format(time),
        visible(&r.user),
        visible(&r.action),
        visible(r.subject.as_deref().unwrap_or("-")),
        visible(&r.details())
    )
    .trim_end()
    .to_owned()
}
