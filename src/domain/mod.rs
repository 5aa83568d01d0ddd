//! The domain: pure types and rules. No I/O and no clock: "today" is always a parameter.

pub mod calendar;
pub mod casework;
pub mod changes;
pub mod date_format;
pub mod enums;
pub mod facts;
pub mod ids;
pub mod letter;
pub mod model;
pub mod redact;
pub mod reminders;
pub mod report;
pub mod retention;
pub mod rules;
pub mod search;
pub mod snooze;
pub mod text;
pub mod validate;
