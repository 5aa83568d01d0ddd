//! The working-day calendar of England and Wales (reference: domain-research.md §1.2–§1.5).
//!
//! Working days are Monday to Friday less the bank holidays of England and Wales, less a
//! unit's extra non-working days. Counting convention: the trigger day itself never counts —
//! the first working day *after* it is day 1.

use std::collections::HashSet;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// Easter Sunday (Gregorian calendar), by the anonymous Meeus/Jones/Butcher algorithm,
/// with the algorithm's own names.
#[allow(clippy::many_single_char_names)]
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    #[allow(clippy::cast_sign_loss)] // month is 3 or 4, day 1 to 31
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or(NaiveDate::MIN)
}

fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The first given weekday of a month.
fn first(year: i32, month: u32, weekday: Weekday) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, 1)
}

/// The last given weekday of a month.
fn last(year: i32, month: u32, weekday: Weekday) -> Option<NaiveDate> {
    let mut d = if month == 12 {
        ymd(year + 1, 1, 1)?
    } else {
        ymd(year, month + 1, 1)?
    }
    .pred_opt()?;
    while d.weekday() != weekday {
        d = d.pred_opt()?;
    }
    Some(d)
}

/// The bank holidays of England and Wales in a year, in date order, with their names.
///
/// The standard rules (§1.2) with Easter computed (§1.3) and the one-off changes proclaimed
/// since 1995 (§1.4). Years before 1978 are approximated by the same rules without the early
/// May holiday, which began that year; vlu counts only from sentences, long after.
pub fn bank_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let mut out: Vec<(NaiveDate, &'static str)> = Vec::new();
    let mut push = |d: Option<NaiveDate>, name: &'static str| {
        if let Some(d) = d {
            out.push((d, name));
        }
    };

    // New Year's Day, moved to Monday from a weekend.
    let new_year = ymd(year, 1, 1);
    match new_year.map(|d| d.weekday()) {
        Some(Weekday::Sat) => push(ymd(year, 1, 3), "New Year's Day (substitute day)"),
        Some(Weekday::Sun) => push(ymd(year, 1, 2), "New Year's Day (substitute day)"),
        _ => push(new_year, "New Year's Day"),
    }
    let easter = easter_sunday(year);
    push(easter.checked_sub_days(Days::new(2)), "Good Friday");
    push(easter.checked_add_days(Days::new(1)), "Easter Monday");

    // Early May: first Monday, from 1978; moved for VE Day in 1995 and 2020.
    match year {
        ..1978 => {}
        1995 => push(ymd(1995, 5, 8), "Early May bank holiday (VE Day)"),
        2020 => push(ymd(2020, 5, 8), "Early May bank holiday (VE Day)"),
        _ => push(first(year, 5, Weekday::Mon), "Early May bank holiday"),
    }
    // Spring: last Monday of May; moved for the jubilees, with an extra day beside it.
    match year {
        2002 => {
            push(ymd(2002, 6, 3), "Golden Jubilee bank holiday");
            push(ymd(2002, 6, 4), "Spring bank holiday");
        }
        2012 => {
            push(ymd(2012, 6, 4), "Spring bank holiday");
            push(ymd(2012, 6, 5), "Queen's Diamond Jubilee");
        }
        2022 => {
            push(ymd(2022, 6, 2), "Spring bank holiday");
            push(ymd(2022, 6, 3), "Platinum Jubilee bank holiday");
        }
        _ => push(last(year, 5, Weekday::Mon), "Spring bank holiday"),
    }
    push(last(year, 8, Weekday::Mon), "Summer bank holiday");

    // Christmas and Boxing Day, with substitutes when either falls at a weekend.
    match ymd(year, 12, 25).map(|d| d.weekday()) {
        Some(Weekday::Fri) => {
            push(ymd(year, 12, 25), "Christmas Day");
            push(ymd(year, 12, 28), "Boxing Day (substitute day)");
        }
        Some(Weekday::Sat) => {
            push(ymd(year, 12, 27), "Christmas Day (substitute day)");
            push(ymd(year, 12, 28), "Boxing Day (substitute day)");
        }
        Some(Weekday::Sun) => {
            push(ymd(year, 12, 26), "Boxing Day");
            push(ymd(year, 12, 27), "Christmas Day (substitute day)");
        }
        _ => {
            push(ymd(year, 12, 25), "Christmas Day");
            push(ymd(year, 12, 26), "Boxing Day");
        }
    }

    // One-off extra days.
    match year {
        1999 => push(ymd(1999, 12, 31), "Millennium Celebrations"),
        2011 => push(ymd(2011, 4, 29), "Royal wedding"),
        2022 => push(
            ymd(2022, 9, 19),
            "Bank holiday for the State Funeral of Queen Elizabeth II",
        ),
        2023 => push(ymd(2023, 5, 8), "Coronation of King Charles III"),
        _ => {}
    }
    out.sort_by_key(|&(d, _)| d);
    out
}

/// Years whose bank holidays are computed once, when a calendar is made.
const CACHED_YEARS: std::ops::RangeInclusive<i32> = 1900..=2101;

/// A working-day calendar: Monday–Friday less E&W bank holidays less a unit's extra days.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    holidays: HashSet<NaiveDate>,
    extra: HashSet<NaiveDate>,
}

impl Calendar {
    /// A calendar with the unit's extra non-working days (e.g. Christmas Eve).
    pub fn new(extra: impl IntoIterator<Item = NaiveDate>) -> Self {
        let holidays = CACHED_YEARS
            .flat_map(bank_holidays)
            .map(|(d, _)| d)
            .collect();
        Self {
            holidays,
            extra: extra.into_iter().collect(),
        }
    }

    pub fn is_bank_holiday(&self, date: NaiveDate) -> bool {
        if CACHED_YEARS.contains(&date.year()) {
            self.holidays.contains(&date)
        } else {
            bank_holidays(date.year()).iter().any(|&(d, _)| d == date)
        }
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
            && !self.is_bank_holiday(date)
            && !self.extra.contains(&date)
    }

    /// The n-th working day after `date` (the day itself never counts; n = 0 is `date`).
    /// Saturates at the end of the calendar.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut d = date;
        let mut left = n;
        while left > 0 {
            let Some(next) = d.succ_opt() else {
                return NaiveDate::MAX;
            };
            d = next;
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }
}

/// `date` plus `months` calendar months, clamped to the end of a shorter month
/// (31 August + 3 = 30 November; 29 February + 12 = 28 February). Saturates at the ends
/// of the calendar.
pub fn add_months(date: NaiveDate, months: i32) -> NaiveDate {
    let m = Months::new(months.unsigned_abs());
    let moved = if months >= 0 {
        date.checked_add_months(m)
    } else {
        date.checked_sub_months(m)
    };
    moved.unwrap_or(if months >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}

#[cfg(test)]
mod tests;
