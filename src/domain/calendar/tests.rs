use super::*;
use std::collections::HashSet;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn ds(s: &str) -> Vec<NaiveDate> {
    s.split_whitespace().map(d).collect()
}

fn dates(year: i32) -> Vec<NaiveDate> {
    bank_holidays(year).into_iter().map(|(x, _)| x).collect()
}

/// The exact England & Wales list for 2015–2030 (domain-research.md §1.5).
const PUBLISHED: &str = "
2015-01-01 2015-04-03 2015-04-06 2015-05-04 2015-05-25 2015-08-31 2015-12-25 2015-12-28
2016-01-01 2016-03-25 2016-03-28 2016-05-02 2016-05-30 2016-08-29 2016-12-26 2016-12-27
2017-01-02 2017-04-14 2017-04-17 2017-05-01 2017-05-29 2017-08-28 2017-12-25 2017-12-26
2018-01-01 2018-03-30 2018-04-02 2018-05-07 2018-05-28 2018-08-27 2018-12-25 2018-12-26
2019-01-01 2019-04-19 2019-04-22 2019-05-06 2019-05-27 2019-08-26 2019-12-25 2019-12-26
2020-01-01 2020-04-10 2020-04-13 2020-05-08 2020-05-25 2020-08-31 2020-12-25 2020-12-28
2021-01-01 2021-04-02 2021-04-05 2021-05-03 2021-05-31 2021-08-30 2021-12-27 2021-12-28
2022-01-03 2022-04-15 2022-04-18 2022-05-02 2022-06-02 2022-06-03 2022-08-29 2022-09-19 2022-12-26 2022-12-27
2023-01-02 2023-04-07 2023-04-10 2023-05-01 2023-05-08 2023-05-29 2023-08-28 2023-12-25 2023-12-26
2024-01-01 2024-03-29 2024-04-01 2024-05-06 2024-05-27 2024-08-26 2024-12-25 2024-12-26
2025-01-01 2025-04-18 2025-04-21 2025-05-05 2025-05-26 2025-08-25 2025-12-25 2025-12-26
2026-01-01 2026-04-03 2026-04-06 2026-05-04 2026-05-25 2026-08-31 2026-12-25 2026-12-28
2027-01-01 2027-03-26 2027-03-29 2027-05-03 2027-05-31 2027-08-30 2027-12-27 2027-12-28
2028-01-03 2028-04-14 2028-04-17 2028-05-01 2028-05-29 2028-08-28 2028-12-25 2028-12-26
2029-01-01 2029-03-30 2029-04-02 2029-05-07 2029-05-28 2029-08-27 2029-12-25 2029-12-26
2030-01-01 2030-04-19 2030-04-22 2030-05-06 2030-05-27 2030-08-26 2030-12-25 2030-12-26
";

/// "date|name" lines: each must be in `bank_holidays` of its year with that name.
const NAMED: &str = "
1995-05-08|Early May bank holiday (VE Day)
1999-12-31|Millennium Celebrations
2002-06-03|Golden Jubilee bank holiday
2002-06-04|Spring bank holiday
2011-04-29|Royal wedding
2012-06-04|Spring bank holiday
2012-06-05|Queen's Diamond Jubilee
2020-05-08|Early May bank holiday (VE Day)
2022-06-02|Spring bank holiday
2022-06-03|Platinum Jubilee bank holiday
2022-09-19|Bank holiday for the State Funeral of Queen Elizabeth II
2023-05-08|Coronation of King Charles III
2015-12-28|Boxing Day (substitute day)
2016-12-26|Boxing Day
2016-12-27|Christmas Day (substitute day)
2017-01-02|New Year's Day (substitute day)
2021-12-27|Christmas Day (substitute day)
2021-12-28|Boxing Day (substitute day)
2022-01-03|New Year's Day (substitute day)
2022-12-26|Boxing Day
2022-12-27|Christmas Day (substitute day)
2025-01-01|New Year's Day
2025-12-25|Christmas Day
1978-05-01|Early May bank holiday
";

#[test]
fn table_constants() {
    assert_eq!(d("1900-01-01").num_days_from_ce(), FIRST_CE);
    assert_eq!(d("1900-01-01").weekday(), Weekday::Mon);
    assert_eq!(index(d("2101-12-31")), Some(DAYS - 1));
    assert!(index(d("2102-01-01")).is_none() && index(d("1899-12-31")).is_none());
    assert_eq!(date_at(DAYS - 1), d("2101-12-31"));
}

#[test]
fn easter_sundays() {
    // §1.3's list, then dates checked against python-dateutil's independent algorithm.
    let known = "2019-04-21 2024-03-31 2025-04-20 2026-04-05 2027-03-28 2028-04-16 2029-04-01
        2030-04-21 1818-03-22 1900-04-15 1943-04-25 2000-04-23 2008-03-23 2011-04-24
        2016-03-27 2038-04-25 2100-03-28 2285-03-22";
    for easter in ds(known) {
        assert_eq!(easter_sunday(easter.year()), easter);
    }
    assert_eq!(easter_sunday(i32::MAX), NaiveDate::MAX);
    assert_eq!(easter_sunday(i32::MIN), NaiveDate::MIN);
}

#[test]
fn every_year_2015_to_2030_matches_the_published_list() {
    let published = ds(PUBLISHED);
    assert_eq!(published.len(), 131);
    for year in 2015..=2030 {
        let expected = published.iter().filter(|x| x.year() == year);
        assert_eq!(dates(year), expected.copied().collect::<Vec<_>>(), "{year}");
    }
}

#[test]
fn day_by_day_2018_to_2027() {
    let published: HashSet<NaiveDate> = ds(PUBLISHED).into_iter().collect();
    for cal in [Calendar::new([]), Calendar::default()] {
        let mut day = d("2018-01-01");
        while day <= d("2027-12-31") {
            let holiday = published.contains(&day);
            assert_eq!(cal.is_bank_holiday(day), holiday, "{day}");
            let weekday = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            assert_eq!(cal.is_working_day(day), weekday && !holiday, "{day}");
            day = day.succ_opt().unwrap();
        }
    }
}

#[test]
fn names_one_offs_and_substitutes() {
    let cal = Calendar::new([]);
    for (date, name) in NAMED.trim().lines().filter_map(|l| l.split_once('|')) {
        let (date, year) = (d(date), d(date).year());
        assert!(bank_holidays(year).contains(&(date, name)), "{date} {name}");
        assert!(cal.is_bank_holiday(date) && !cal.is_working_day(date));
    }
    // The standard days the one-offs replaced are ordinary working days, and weekend
    // days with a substitute are not holidays themselves.
    for day in ds("1995-05-01 2002-05-27 2012-05-28 2020-05-04 2022-05-30") {
        assert!(
            !cal.is_bank_holiday(day) && cal.is_working_day(day),
            "{day}"
        );
    }
    for date in ds("2021-12-25 2021-12-26 2017-01-01 2022-01-01 2022-12-25") {
        assert!(!cal.is_bank_holiday(date), "{date}");
    }
    let y2012 = "2012-01-02 2012-04-06 2012-04-09 2012-05-07 2012-06-04 2012-06-05 2012-08-27
        2012-12-25 2012-12-26";
    assert_eq!(dates(2012), ds(y2012));
    assert_eq!((dates(2002).len(), dates(2011).len()), (9, 9));
    assert_eq!(dates(2000)[0], d("2000-01-03")); // 1 Jan 2000 was a Saturday
}

#[test]
fn years_before_1978_have_no_early_may() {
    let y1970 = bank_holidays(1970);
    assert_eq!(y1970.len(), 7);
    assert!(y1970.iter().all(|(_, name)| !name.starts_with("Early May")));
    for year in 1900..=2101 {
        let list = bank_holidays(year);
        assert!(list.windows(2).all(|w| w[0].0 < w[1].0), "{year} in order");
        assert!(list.iter().all(|(x, _)| x.year() == year && is_weekday(*x)));
    }
}

#[test]
fn working_days_count_from_the_day_after_the_trigger() {
    let cal = Calendar::new([]);
    // The worked examples of §1.1: trigger, n, due.
    let examples = "2025-12-19 40 2026-02-18  2025-12-19 10 2026-01-07  2025-12-24 10 2026-01-12
        2026-03-27 40 2026-05-28  2022-05-27 10 2022-06-14  2023-04-28 10 2023-05-16";
    let words: Vec<&str> = examples.split_whitespace().collect();
    for w in words.chunks(3) {
        let due = cal.add_working_days(d(w[0]), w[1].parse().unwrap());
        assert_eq!(due, d(w[2]), "{w:?}");
    }
    // A Saturday trigger counts from Monday; n = 0 is the day itself.
    assert_eq!(cal.add_working_days(d("2026-11-21"), 1), d("2026-11-23"));
    assert_eq!(cal.add_working_days(d("2026-11-21"), 0), d("2026-11-21"));
    assert_eq!(cal.add_working_days(d("2026-11-20"), 1), d("2026-11-23"));
    // A unit's own closure is skipped; duplicates and order do not matter.
    let unit = Calendar::new(ds("2026-12-24 2026-12-24 2026-12-23"));
    assert!(!unit.is_working_day(d("2026-12-24")) && !unit.is_bank_holiday(d("2026-12-24")));
    assert_eq!(cal.add_working_days(d("2026-12-22"), 2), d("2026-12-24"));
    assert_eq!(unit.add_working_days(d("2026-12-22"), 2), d("2026-12-30"));
    assert!(cal.is_working_day(d("2026-12-24"))); // other calendars are unchanged
}

/// Day-by-day reference, straight from the definitions.
fn naive_add(extra: &[NaiveDate], date: NaiveDate, n: u32) -> NaiveDate {
    let mut day = date;
    for _ in 0..n {
        loop {
            let Some(next) = day.succ_opt() else {
                return NaiveDate::MAX;
            };
            day = next;
            let holiday = bank_holidays(day.year()).iter().any(|&(x, _)| x == day);
            if is_weekday(day) && !holiday && !extra.contains(&day) {
                break;
            }
        }
    }
    day
}

#[test]
fn the_fast_path_agrees_with_the_definition() {
    let extra = ds("1899-12-28 1950-06-01 2026-12-24 2101-12-30 2102-01-03");
    let cal = Calendar::new(extra.iter().copied());
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |m: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) % m
    };
    let edges = ds("1899-12-20 2101-12-20 2101-12-31");
    let mut cases: Vec<(NaiveDate, u32)> = edges.into_iter().map(|x| (x, 30)).collect();
    for _ in 0..1500 {
        let date = d("1895-01-01") + Days::new(next(76_700));
        cases.push((date, u32::try_from(next(300)).unwrap()));
    }
    cases.push((d("2100-12-01"), 10_000));
    for (date, n) in cases {
        let want = naive_add(&extra, date, n);
        assert_eq!(cal.add_working_days(date, n), want, "{date} + {n}");
        let holiday = bank_holidays(date.year()).iter().any(|&(x, _)| x == date);
        assert_eq!(cal.is_bank_holiday(date), holiday, "{date}");
        let working = is_weekday(date) && !holiday && !extra.contains(&date);
        assert_eq!(cal.is_working_day(date), working, "{date}");
    }
}

#[test]
fn the_ends_of_time_do_not_panic() {
    let cal = Calendar::new([NaiveDate::MAX, NaiveDate::MIN]);
    assert_eq!(cal.add_working_days(NaiveDate::MAX, 5), NaiveDate::MAX);
    let late = NaiveDate::MAX - Days::new(30);
    assert_eq!(cal.add_working_days(late, 10_000), NaiveDate::MAX);
    let early = cal.add_working_days(NaiveDate::MIN, 10_000);
    assert_eq!(early, naive_add(&[NaiveDate::MIN], NaiveDate::MIN, 10_000));
    for date in [NaiveDate::MIN, NaiveDate::MAX] {
        let _ = (cal.is_bank_holiday(date), cal.is_working_day(date));
        assert!(!bank_holidays(date.year()).is_empty());
    }
    assert!(bank_holidays(i32::MAX).is_empty() && bank_holidays(i32::MIN).is_empty());
}

#[test]
fn months_are_clamped_to_the_end_of_a_shorter_month() {
    // date, months, result.
    let table = "2025-08-31 3 2025-11-30  2024-02-29 12 2025-02-28  2024-01-31 1 2024-02-29
        2023-01-31 1 2023-02-28  2025-11-30 3 2026-02-28  2025-05-31 -3 2025-02-28
        2025-03-31 -1 2025-02-28  2024-02-29 -12 2023-02-28  2025-01-15 -13 2023-12-15
        2025-01-15 0 2025-01-15";
    let words: Vec<&str> = table.split_whitespace().collect();
    for w in words.chunks(3) {
        assert_eq!(add_months(d(w[0]), w[1].parse().unwrap()), d(w[2]), "{w:?}");
    }
    assert_eq!(add_months(NaiveDate::MAX, 12), NaiveDate::MAX);
    assert_eq!(add_months(NaiveDate::MIN, -12), NaiveDate::MIN);
    assert_eq!(add_months(d("2025-01-01"), i32::MAX), NaiveDate::MAX);
    assert_eq!(add_months(d("2025-01-01"), i32::MIN), NaiveDate::MIN);
}

#[test]
fn working_days_between_counts_what_add_working_days_adds() {
    let cal = Calendar::new([d("2026-12-24")]);
    // Fri 2026-12-18 to Tue 2026-12-29: Mon 21, Tue 22, Wed 23 (24 extra, 25-26 Christmas,
    // 28 Boxing Day substitute), Tue 29: four.
    assert_eq!(
        cal.working_days_between(d("2026-12-18"), d("2026-12-29")),
        4
    );
    assert_eq!(cal.add_working_days(d("2026-12-18"), 4), d("2026-12-29"));
    for n in [0, 1, 5, 40, 260] {
        let from = d("2025-03-14");
        assert_eq!(
            cal.working_days_between(from, cal.add_working_days(from, n)),
            n
        );
    }
    // A weekend end counts the working days before it; an end before the start is 0.
    assert_eq!(
        cal.working_days_between(d("2026-11-20"), d("2026-11-22")),
        0
    );
    assert_eq!(
        cal.working_days_between(d("2026-11-24"), d("2026-11-01")),
        0
    );
    assert_eq!(cal.working_days_between(NaiveDate::MAX, NaiveDate::MAX), 0);
}

#[test]
fn a_unit_may_work_a_bank_holiday_and_the_count_takes_it() {
    let plain = Calendar::default();
    let worked = Calendar::with_changes([], [d("2026-12-28"), d("2026-12-26")]);
    // Boxing Day's substitute (a Monday) becomes a working day; a Saturday never does.
    assert!(!plain.is_working_day(d("2026-12-28")));
    assert!(worked.is_working_day(d("2026-12-28")));
    assert!(!worked.is_working_day(d("2026-12-26")));
    assert!(
        worked.is_bank_holiday(d("2026-12-28")),
        "still a bank holiday"
    );
    assert_eq!(plain.add_working_days(d("2026-12-24"), 1), d("2026-12-29"));
    assert_eq!(worked.add_working_days(d("2026-12-24"), 1), d("2026-12-28"));
    // A day in both lists is worked; the others are untouched.
    let both = Calendar::with_changes([d("2026-12-24"), d("2026-12-31")], [d("2026-12-24")]);
    assert!(both.is_working_day(d("2026-12-24")));
    assert!(!both.is_working_day(d("2026-12-31")));
    // Beyond the precomputed years, day by day, the same answers.
    let far = Calendar::with_changes([], [d("2150-12-25")]);
    assert!(!Calendar::default().is_working_day(d("2150-12-25")));
    assert!(far.is_working_day(d("2150-12-25")));
    assert_eq!(
        far.add_working_days(d("2150-12-24"), 1),
        d("2150-12-25"),
        "{:?}",
        bank_holidays(2150)
    );
}
