//! The counts of `vlu status` and the screens' header: overdue, due today, due this week.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::enums::DiaryStatus;
use crate::domain::reminders::DiaryItem;
use crate::store::Snooze;

/// What is overdue, due today and due this week (snoozed reminders left out, as in the
/// screens' header).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub overdue: usize,
    pub today: usize,
    pub this_week: usize,
}

impl Counts {
    pub fn of(items: &[DiaryItem], snoozes: &[Snooze], date: NaiveDate) -> Self {
        let put_off: HashMap<&str, &Snooze> =
            snoozes.iter().map(|s| (s.reminder.as_str(), s)).collect();
        let mut counts = Self::default();
        for item in items {
            if put_off
                .get(item.reminder.identity().as_str())
                .is_some_and(|s| s.holds_on(date))
            {
                continue;
            }
            match item.status {
                DiaryStatus::Overdue => counts.overdue += 1,
                DiaryStatus::DueToday => counts.today += 1,
                DiaryStatus::DueSoon => counts.this_week += 1,
                DiaryStatus::Upcoming => {}
            }
        }
        counts
    }

    /// Nothing overdue, due today or this week.
    pub fn is_empty(self) -> bool {
        self == Self::default()
    }
}
