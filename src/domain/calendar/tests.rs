use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The published list for England and Wales, 2015–2030 (domain-research.md §1.5).
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

fn published() -> HashSet<NaiveDate> {
    PUBLISHED.split_whitespace().map(d).collect()
}

#[test]
fn easter_sundays() {
    for s in [
        "2000-04-23",
        "2019-04-21",
        "2024-03-31",
        "2025-04-20",
        "2026-04-05",
        "2027-03-28",
        "2028-04-16",
        "2029-04-01",
        "2030-04-21",
        "2038-04-25",
    ] {
        let date = d(s);
        assert_eq!(easter_sunday(date.year()), date);
    }
}

#[test]
fn every_year_2015_to_2030_matches_the_published_list() {
    let published = published();
    for year in 2015..=2030 {
        let mut expected: Vec<NaiveDate> = published
            .iter()
            .copied()
            .filter(|x| x.year() == year)
            .collect();
        expected.sort();
        let got: Vec<NaiveDate> = bank_holidays(year).into_iter().map(|(x, _)| x).collect();
        assert_eq!(got, expected, "{year}");
    }
}

#[test]
fn day_by_day_2018_to_2027() {
    let published = published();
    let cal = Calendar::new([]);
    let mut day = d("2018-01-01");
    while day <= d("2027-12-31") {
        let holiday = published.contains(&day);
        assert_eq!(cal.is_bank_holiday(day), holiday, "{day}");
        let weekday = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        assert_eq!(cal.is_working_day(day), weekday && !holiday, "{day}");
        day = day.succ_opt().unwrap();
    }
}

#[test]
fn one_off_changes_before_2015() {
    let cal = Calendar::new([]);
    for s in [
        "1995-05-08",
        "1999-12-31",
        "2002-06-03",
        "2002-06-04",
        "2011-04-29",
        "2012-06-04",
        "2012-06-05",
    ] {
        assert!(cal.is_bank_holiday(d(s)), "{s}");
    }
    // The days they replaced are ordinary working days.
    for s in ["1995-05-01", "2002-05-27", "2012-05-28"] {
        assert!(cal.is_working_day(d(s)), "{s}");
    }
}

#[test]
fn substitute_days_and_names() {
    let names = |y| {
        bank_holidays(y)
            .into_iter()
            .map(|(x, n)| (x.to_string(), n))
            .collect::<Vec<_>>()
    };
    let y2021 = names(2021);
    assert!(y2021.contains(&("2021-12-27".into(), "Christmas Day (substitute day)")));
    assert!(y2021.contains(&("2021-12-28".into(), "Boxing Day (substitute day)")));
    assert!(names(2022).contains(&("2022-12-27".into(), "Christmas Day (substitute day)")));
    assert!(names(2017).contains(&("2017-01-02".into(), "New Year's Day (substitute day)")));
    assert!(names(2022).contains(&("2022-01-03".into(), "New Year's Day (substitute day)")));
    assert!(names(2016).contains(&("2016-12-27".into(), "Christmas Day (substitute day)")));
}

#[test]
fn working_days_count_from_the_day_after_the_trigger() {
    let cal = Calendar::new([]);
    // The worked examples of domain-research.md §1.1.
    assert_eq!(cal.add_working_days(d("2025-12-19"), 40), d("2026-02-18"));
    assert_eq!(cal.add_working_days(d("2025-12-19"), 10), d("2026-01-07"));
    assert_eq!(cal.add_working_days(d("2025-12-24"), 10), d("2026-01-12"));
    assert_eq!(cal.add_working_days(d("2026-03-27"), 40), d("2026-05-28"));
    assert_eq!(cal.add_working_days(d("2022-05-27"), 10), d("2022-06-14"));
    assert_eq!(cal.add_working_days(d("2023-04-28"), 10), d("2023-05-16"));
    // A Saturday trigger counts from Monday; n = 0 is the day itself.
    assert_eq!(cal.add_working_days(d("2026-11-21"), 1), d("2026-11-23"));
    assert_eq!(cal.add_working_days(d("2026-11-21"), 0), d("2026-11-21"));
    // A unit's own closure is skipped.
    let unit = Calendar::new([d("2026-12-24")]);
    assert_eq!(cal.add_working_days(d("2026-12-23"), 1), d("2026-12-24"));
    assert_eq!(unit.add_working_days(d("2026-12-23"), 1), d("2026-12-29"));
}

#[test]
fn the_ends_of_time_do_not_panic() {
    let cal = Calendar::new([]);
    assert_eq!(cal.add_working_days(NaiveDate::MAX, 5), NaiveDate::MAX);
    assert!(cal.add_working_days(d("2100-12-01"), 10_000) > d("2130-01-01"));
    let _ = bank_holidays(NaiveDate::MAX.year());
    let _ = bank_holidays(NaiveDate::MIN.year());
}

#[test]
fn months_are_clamped_to_the_end_of_a_shorter_month() {
    assert_eq!(add_months(d("2025-08-31"), 3), d("2025-11-30"));
    assert_eq!(add_months(d("2024-02-29"), 12), d("2025-02-28"));
    assert_eq!(add_months(d("2024-01-31"), 1), d("2024-02-29"));
    assert_eq!(add_months(d("2023-01-31"), 1), d("2023-02-28"));
    assert_eq!(add_months(d("2025-11-30"), 3), d("2026-02-28"));
    assert_eq!(add_months(d("2025-05-31"), -3), d("2025-02-28"));
    assert_eq!(add_months(NaiveDate::MAX, 12), NaiveDate::MAX);
    assert_eq!(add_months(NaiveDate::MIN, -12), NaiveDate::MIN);
}
