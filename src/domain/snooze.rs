//! A reminder put off: the officer's decision to come back to it on a later date, and why.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A reminder put off to a later date, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snooze {
    /// The reminder's identity (`Reminder::identity`).
    pub reminder: String,
    pub until: NaiveDate,
    pub reason: String,
    pub by: String,
}

impl Snooze {
    /// Whether the reminder is still put off on `date` (until the snooze date itself).
    pub fn holds_on(&self, date: NaiveDate) -> bool {
        self.until > date
    }
}
