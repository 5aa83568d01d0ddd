//! The working-day calendar of England and Wales (reference: domain-research.md §1.1–§1.5).
//!
//! A working day is a Monday to Friday that is neither an England & Wales bank holiday nor one
//! of the unit's extra non-working days. Counting convention (§1.1): the trigger day itself
//! never counts — the first working day *after* it is day 1, so "+10 working days" from a
//! Friday is the second Friday after it when no holiday intervenes.
//!
//! Pure code: no I/O and no clock. The bank holidays of 1900–2101 are computed once per
//! process into a bit set shared by every [`Calendar`]; other years are computed on demand.

use std::fmt;
use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Easter Sunday (Gregorian), Meeus/Jones/Butcher (§1.3), with the algorithm's own names.
///
/// Years outside chrono's range saturate to [`NaiveDate::MIN`] / [`NaiveDate::MAX`].
#[must_use]
#[allow(clippy::many_single_char_names)]
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let (d, e) = (b.div_euclid(4), b.rem_euclid(4));
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = (h + l - 7 * m + 114).unsigned_abs(); // 107..=149: the month is 3 or 4
    let saturated = if year < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    };
    NaiveDate::from_ymd_opt(year, n / 31, n % 31 + 1).unwrap_or(saturated)
}

const FUNERAL: &str = "Bank holiday for the State Funeral of Queen Elizabeth II";
type OneOff = (i32, Option<(u32, u32)>, u32, u32, &'static str);
/// The one-off changes proclaimed for single years (§1.4): the year, the standard day the
/// change replaces (if any, as month and day), the new holiday's month and day, and its name.
const ONE_OFFS: [OneOff; 12] = [
    (1995, Some((5, 1)), 5, 8, "Early May bank holiday (VE Day)"),
    (1999, None, 12, 31, "Millennium Celebrations"),
    (2002, Some((5, 27)), 6, 4, "Spring bank holiday"),
    (2002, None, 6, 3, "Golden Jubilee bank holiday"),
    (2011, None, 4, 29, "Royal wedding"),
    (2012, Some((5, 28)), 6, 4, "Spring bank holiday"),
    (2012, None, 6, 5, "Queen's Diamond Jubilee"),
    (2020, Some((5, 4)), 5, 8, "Early May bank holiday (VE Day)"),
    (2022, Some((5, 30)), 6, 2, "Spring bank holiday"),
    (2022, None, 6, 3, "Platinum Jubilee bank holiday"),
    (2022, None, 9, 19, FUNERAL),
    (2023, None, 5, 8, "Coronation of King Charles III"),
];

/// The England & Wales bank holidays of a year, in date order, each with its name.
///
/// The standard rules of §1.2 (substitute days keep the holiday's name with
/// " (substitute day)" appended), Easter by §1.3 and the one-off changes of §1.4 (1995–2023).
/// The modern rules are applied to every year: early May (first Monday) from 1978, spring and
/// summer on the last Mondays of May and August. Years before 1978 are approximated with the
/// same rules minus early May (before 1971 the real holidays were Whit Monday and the first
/// Monday of August). Years outside chrono's range give an empty list.
#[must_use]
pub fn bank_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    const NEW_YEAR_SUB: &str = "New Year's Day (substitute day)";
    const XMAS_SUB: &str = "Christmas Day (substitute day)";
    const BOXING_SUB: &str = "Boxing Day (substitute day)";
    let ymd = |month, day| NaiveDate::from_ymd_opt(year, month, day);
    let Some(new_year) = ymd(1, 1) else {
        return Vec::new();
    };
    let mut out: Vec<(NaiveDate, &'static str)> = Vec::with_capacity(10);
    let mut push = |date: Option<NaiveDate>, name| out.extend(date.map(|d| (d, name)));
    let last_monday =
        |month| ymd(month, 31).and_then(|d| d.checked_sub_days(Days::new(days_from_monday(d))));

    match new_year.weekday() {
        Weekday::Sat => push(ymd(1, 3), NEW_YEAR_SUB),
        Weekday::Sun => push(ymd(1, 2), NEW_YEAR_SUB),
        _ => push(Some(new_year), "New Year's Day"),
    }
    let easter = easter_sunday(year);
    push(easter.checked_sub_days(Days::new(2)), "Good Friday");
    push(easter.checked_add_days(Days::new(1)), "Easter Monday");
    if year >= 1978 {
        let early_may = NaiveDate::from_weekday_of_month_opt(year, 5, Weekday::Mon, 1);
        push(early_may, "Early May bank holiday");
    }
    push(last_monday(5), "Spring bank holiday");
    push(last_monday(8), "Summer bank holiday");
    // Christmas and Boxing Day as (day of December, name), by the weekday of the 25th.
    let (christmas, boxing) = match ymd(12, 25).map(|d| d.weekday()) {
        Some(Weekday::Fri) => ((25, "Christmas Day"), (28, BOXING_SUB)),
        Some(Weekday::Sat) => ((27, XMAS_SUB), (28, BOXING_SUB)),
        Some(Weekday::Sun) => ((27, XMAS_SUB), (26, "Boxing Day")),
        _ => ((25, "Christmas Day"), (26, "Boxing Day")),
    };
    push(ymd(12, christmas.0), christmas.1);
    push(ymd(12, boxing.0), boxing.1);

    for &(y, replaces, month, day, name) in ONE_OFFS.iter().filter(|c| c.0 == year) {
        if let Some((m, d)) = replaces {
            out.retain(|&(date, _)| Some(date) != NaiveDate::from_ymd_opt(y, m, d));
        }
        out.extend(NaiveDate::from_ymd_opt(y, month, day).map(|d| (d, name)));
    }
    out.sort_by_key(|&(date, _)| date);
    out
}

fn days_from_monday(date: NaiveDate) -> u64 {
    u64::from(date.weekday().num_days_from_monday())
}

fn is_weekday(date: NaiveDate) -> bool {
    days_from_monday(date) < 5
}

/// `num_days_from_ce` of 1900-01-01 (a Monday), the first day of the precomputed table.
const FIRST_CE: i32 = 693_596;
/// Days in the precomputed range 1900-01-01..=2101-12-31.
const DAYS: usize = 73_779;
const WORDS: usize = DAYS.div_ceil(64);

/// The precomputed years, one bit a day (bit `i % 64` of word `i / 64` is day `i` after
/// 1900-01-01). Bits past the last day are zero.
struct Table {
    bank: Vec<u64>,
    working: Vec<u64>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut bank = vec![0; WORDS];
        for i in (1900..=2101)
            .flat_map(bank_holidays)
            .filter_map(|(d, _)| index(d))
        {
            bank[i / 64] |= 1 << (i % 64);
        }
        let working = (0..WORDS)
            .map(|w| {
                let weekdays = (0..64)
                    .filter(|b| w * 64 + b < DAYS && (w * 64 + b) % 7 < 5)
                    .fold(0u64, |word, b| word | 1 << b);
                weekdays & !bank[w]
            })
            .collect();
        Table { bank, working }
    })
}

/// The table index of a date, if it lies in 1900..=2101.
fn index(date: NaiveDate) -> Option<usize> {
    usize::try_from(date.num_days_from_ce() - FIRST_CE)
        .ok()
        .filter(|&i| i < DAYS)
}

fn date_at(i: usize) -> NaiveDate {
    i32::try_from(i)
        .ok()
        .and_then(|i| NaiveDate::from_num_days_from_ce_opt(FIRST_CE + i))
        .unwrap_or(NaiveDate::MAX)
}

fn bit(words: &[u64], i: usize) -> bool {
    words.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1)
}

/// The index of the `n`-th (n ≥ 1) set bit at or after `start`, or the count still missing
/// when the table ends first.
fn scan(words: &[u64], start: usize, mut n: u32) -> Result<usize, u32> {
    let mut w = start / 64;
    let mut word = words.get(w).map_or(0, |x| x & (!0 << (start % 64)));
    loop {
        let ones = word.count_ones();
        if ones >= n {
            for _ in 1..n {
                word &= word - 1;
            }
            return Ok(w * 64 + word.trailing_zeros() as usize);
        }
        n -= ones;
        w += 1;
        word = *words.get(w).ok_or(n)?;
    }
}

/// Bits with a short `Debug`.
#[derive(Clone, Default)]
struct Bits(Vec<u64>);

impl fmt::Debug for Bits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bits({} words)", self.0.len())
    }
}

/// A unit's changes to the working-day calendar: days it does not work besides weekends and
/// bank holidays, and days it works although they are bank holidays (or one of its own days
/// off). A day in both lists is a working day: the list of days worked is the later word.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DayChanges {
    pub non_working: Vec<NaiveDate>,
    pub working: Vec<NaiveDate>,
}

/// A working-day calendar: Monday-Friday less E&W bank holidays less a unit's extra
/// non-working days, plus the weekdays the unit works anyway. `Calendar::default()` has no
/// changes.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    /// The unit's extra non-working days, sorted and without duplicates.
    extra: Vec<NaiveDate>,
    /// The weekdays the unit works whatever else says (a bank holiday it works), sorted.
    worked: Vec<NaiveDate>,
    /// The shared working-day bits with the changes of 1900–2101 applied; empty when no
    /// change falls in that range (the shared bits are then used as they are).
    working: Bits,
}

impl Calendar {
    /// `extra`: the unit's extra non-working days (e.g. 2026-12-24).
    pub fn new(extra: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self::with_changes(extra, [])
    }

    /// `extra` as for [`Calendar::new`]; `worked`: days that are working days if they fall
    /// Monday to Friday, whatever the bank holidays and `extra` say (a weekend stays off).
    pub fn with_changes(
        extra: impl IntoIterator<Item = NaiveDate>,
        worked: impl IntoIterator<Item = NaiveDate>,
    ) -> Self {
        let sorted = |days: Vec<NaiveDate>| {
            let mut days = days;
            days.sort_unstable();
            days.dedup();
            days
        };
        let extra = sorted(extra.into_iter().collect());
        let worked = sorted(worked.into_iter().filter(|&d| is_weekday(d)).collect());
        let mut working = Bits::default();
        let in_table = |days: &[NaiveDate]| days.iter().any(|&d| index(d).is_some());
        if in_table(&extra) || in_table(&worked) {
            working.0.clone_from(&table().working);
            for i in extra.iter().filter_map(|&d| index(d)) {
                working.0[i / 64] &= !(1 << (i % 64));
            }
            for i in worked.iter().filter_map(|&d| index(d)) {
                working.0[i / 64] |= 1 << (i % 64);
            }
        }
        Self {
            extra,
            worked,
            working,
        }
    }

    fn working_bits(&self) -> &[u64] {
        if self.working.0.is_empty() {
            &table().working
        } else {
            &self.working.0
        }
    }

    /// Whether `date` is an England & Wales bank holiday (§1.2–§1.4).
    #[must_use]
    pub fn is_bank_holiday(&self, date: NaiveDate) -> bool {
        match index(date) {
            Some(i) => bit(&table().bank, i),
            None => bank_holidays(date.year()).iter().any(|&(d, _)| d == date),
        }
    }

    /// Whether `date` is Monday to Friday, not a bank holiday and not an extra day — or a
    /// weekday the unit works anyway.
    #[must_use]
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match index(date) {
            Some(i) => bit(self.working_bits(), i),
            None => {
                self.worked.binary_search(&date).is_ok()
                    || (is_weekday(date)
                        && self.extra.binary_search(&date).is_err()
                        && !self.is_bank_holiday(date))
            }
        }
    }

    /// The n-th working day after `date`: the trigger day itself never counts, the first
    /// working day after it is day 1 (§1.1); n = 0 returns `date`. A Saturday trigger counts
    /// from Monday. Saturates at [`NaiveDate::MAX`] when the count runs off chrono's range.
    #[must_use]
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut day = date;
        let mut left = n;
        let mut year_holidays: Option<(i32, Vec<(NaiveDate, &str)>)> = None;
        while left > 0 {
            let next = i64::from(day.num_days_from_ce()) - i64::from(FIRST_CE) + 1;
            if let Some(start) = usize::try_from(next).ok().filter(|&i| i < DAYS) {
                match scan(self.working_bits(), start, left) {
                    Ok(i) => return date_at(i),
                    Err(rest) => {
                        left = rest;
                        day = date_at(DAYS - 1);
                        continue;
                    }
                }
            }
            // Outside the table: day by day, the year's holidays computed once.
            let Some(next) = day.succ_opt() else {
                return NaiveDate::MAX;
            };
            day = next;
            if self.worked.binary_search(&day).is_ok() {
                left -= 1;
                continue;
            }
            if !is_weekday(day) || self.extra.binary_search(&day).is_ok() {
                continue;
            }
            let year = day.year();
            let holidays = match &mut year_holidays {
                Some((y, list)) if *y == year => list,
                slot => &slot.insert((year, bank_holidays(year))).1,
            };
            if holidays.iter().all(|&(d, _)| d != day) {
                left -= 1;
            }
        }
        day
    }
}

impl Calendar {
    /// How many working days lie after `from` up to and including `to` (0 when `to` is not
    /// after `from`): the count `add_working_days` would need to reach `to` from `from` when
    /// `to` is a working day.
    #[must_use]
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .skip(1)
            .take_while(|d| *d <= to)
            .fold(0, |n, d| n + u32::from(self.is_working_day(d)))
    }
}

/// `date` plus `months` calendar months, clamped to the end of a shorter month
/// (31 Aug + 3 = 30 Nov; 29 Feb + 12 = 28 Feb). Negative months go back. Saturates at
/// [`NaiveDate::MAX`] / [`NaiveDate::MIN`] at the ends of chrono's range.
#[must_use]
pub fn add_months(date: NaiveDate, months: i32) -> NaiveDate {
    let m = chrono::Months::new(months.unsigned_abs());
    if months >= 0 {
        date.checked_add_months(m).unwrap_or(NaiveDate::MAX)
    } else {
        date.checked_sub_months(m).unwrap_or(NaiveDate::MIN)
    }
}

#[cfg(test)]
mod tests;
