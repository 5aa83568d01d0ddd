//! The screens' sense of the date: what day it is, and how long until it may not be.
//!
//! The loop sleeps until a key or the next local midnight, whichever comes first, so a screen
//! left open overnight opens the morning on the new day's diary with no key pressed. The
//! midnight is found in the local time zone, as an instant, so a day of 23 or 25 hours (the
//! clocks going forward or back) is measured as it is. The sleep is never longer than
//! [`LONGEST_SLEEP`]: a machine suspended overnight, whose monotonic clock stood still, wakes
//! to the right day within that time (at once, if a key is pressed).

use std::time::Duration;

use chrono::{DateTime, Local, NaiveDate, TimeZone};

/// The longest the loop sleeps without looking at the date: one wake a minute is no polling.
pub const LONGEST_SLEEP: Duration = Duration::from_secs(60);

/// Where the screens read the time. The system's clock, or one a test moves.
pub trait Clock: Sync {
    fn now(&self) -> DateTime<Local>;

    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Local> {
        Local::now()
    }
}

/// The system clock set back by whole days: the demo's, so that its screens open on the
/// sample unit's own weekday whatever day it is run (the sample is moved by whole weeks).
pub struct SetBack(pub chrono::Days);

impl Clock for SetBack {
    fn now(&self) -> DateTime<Local> {
        let now = Local::now();
        now.checked_sub_days(self.0).unwrap_or(now)
    }
}

/// How long to sleep from `now` before the date must be looked at again: until the next
/// local midnight, at most [`LONGEST_SLEEP`].
pub fn until_the_date_may_change<Tz: TimeZone>(now: &DateTime<Tz>) -> Duration {
    let zone = now.timezone();
    let tomorrow = now.date_naive().succ_opt().unwrap_or(NaiveDate::MAX);
    // Where a zone skips midnight (some move their clocks then), the day begins at the first
    // instant after it; an hour later is a safe bound.
    let midnight = tomorrow.and_hms_opt(0, 0, 0).and_then(|m| {
        zone.from_local_datetime(&m).earliest().or_else(|| {
            zone.from_local_datetime(&(m + chrono::Duration::hours(1)))
                .earliest()
        })
    });
    midnight
        .and_then(|m| (m - now.clone()).to_std().ok())
        .map_or(LONGEST_SLEEP, |d| d.min(LONGEST_SLEEP))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, Utc};

    #[test]
    fn the_sleep_ends_at_midnight_or_within_a_minute() {
        let at = |h, m, s| {
            Utc.with_ymd_and_hms(2026, 11, 30, h, m, s)
                .single()
                .unwrap()
        };
        assert_eq!(
            until_the_date_may_change(&at(23, 59, 58)),
            Duration::from_secs(2)
        );
        assert_eq!(
            until_the_date_may_change(&at(23, 59, 0)),
            Duration::from_secs(60)
        );
        assert_eq!(until_the_date_may_change(&at(9, 0, 0)), LONGEST_SLEEP);
        // Midnight is the zone's own, not UTC's.
        let london_summer = FixedOffset::east_opt(3600).unwrap();
        let late = london_summer
            .with_ymd_and_hms(2026, 6, 30, 23, 59, 30)
            .single()
            .unwrap();
        assert_eq!(until_the_date_may_change(&late), Duration::from_secs(30));
    }
}
