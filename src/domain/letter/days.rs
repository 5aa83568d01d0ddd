//! Whether free text gives the exact day of a date, in any common way of writing it:
//! `4 January 2027`, `January 4th`, `4th of January`, `Jan 4`, `the fourth of January`,
//! `Monday 4 January`, `4/1/27`, `04/01/2027`, `1/4/27` (read month first), `4.1.27`,
//! `4-1-2027`, `2027-01-04`; and `the 4th` once the month is named anywhere in the text.

use chrono::{Datelike, NaiveDate};

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const ORDINALS: [&str; 31] = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "twentyfirst",
    "twentysecond",
    "twentythird",
    "twentyfourth",
    "twentyfifth",
    "twentysixth",
    "twentyseventh",
    "twentyeighth",
    "twentyninth",
    "thirtieth",
    "thirtyfirst",
];

/// The month a word names (`jan`, `january`, `sept`), from 1.
fn month_of(word: &str) -> Option<u32> {
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(word))
        .map(|i| u32::try_from(i + 1).unwrap_or(0))
}

/// The day of the month a word gives: `4`, `04`, `4th`, `fourth`; and whether it is an
/// ordinal (`4th`, `fourth`), which alone can name a day.
fn day_of(word: &str) -> Option<(u32, bool)> {
    let digits: String = word.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        let rest = &word[digits.len()..];
        let ordinal = matches!(rest, "st" | "nd" | "rd" | "th");
        if !(rest.is_empty() || ordinal) || digits.len() > 2 {
            return None;
        }
        let day: u32 = digits.parse().ok()?;
        return (1..=31).contains(&day).then_some((day, ordinal));
    }
    let i = ORDINALS.iter().position(|o| *o == word)?;
    Some((u32::try_from(i + 1).ok()?, true))
}

/// The words of `text`, lower case; `twenty-fourth` and `twenty fourth` made one word.
fn words(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut out: Vec<String> = Vec::new();
    for w in lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if let Some(last) = out.last_mut()
            && (last == "twenty" || last == "thirty")
            && ORDINALS.contains(&format!("{last}{w}").as_str())
        {
            last.push_str(w);
            continue;
        }
        out.push(w.to_owned());
    }
    out
}

/// Words that may stand between a day and its month: `4th of January`, `Monday, the 4th`.
fn filler(w: &str) -> bool {
    matches!(
        w,
        "of" | "the"
            | "on"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "mon"
            | "tue"
            | "tues"
            | "wed"
            | "thu"
            | "thur"
            | "thurs"
            | "fri"
            | "sat"
            | "sun"
    )
}

/// Whether `text` gives the day of `date` (its day and month; a year, where written, must
/// be the date's).
pub fn gives_day(text: &str, date: NaiveDate) -> bool {
    numeric(text, date) || in_words(text, date)
}

fn in_words(text: &str, date: NaiveDate) -> bool {
    let ws = words(text);
    let names_month = |w: &str| month_of(w) == Some(date.month());
    let mut month_named = false;
    for (i, w) in ws.iter().enumerate() {
        if !names_month(w) {
            continue;
        }
        month_named = true;
        // A day before the month (skipping "of", "the"), or after it; and a year written
        // just after them must be the date's ("5 September 2033" is not 5 September 2029).
        let is_day = |w: &&String| day_of(w).is_some_and(|(d, _)| d == date.day());
        let before = ws[..i].iter().rev().find(|w| !filler(w)).filter(is_day);
        let after_at = ws[i + 1..]
            .iter()
            .position(|w| !filler(w))
            .map(|p| i + 1 + p);
        let after = after_at.map(|p| &ws[p]).filter(is_day);
        let year_after = |from: usize| {
            ws.get(from)
                .filter(|w| w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()))
                .map(|w| w.parse::<i32>().ok() == Some(date.year()))
        };
        if before.is_some() && year_after(i + 1) != Some(false) {
            return true;
        }
        if let (Some(_), Some(p)) = (after, after_at)
            && year_after(p + 1) != Some(false)
        {
            return true;
        }
    }
    // "released in January … on the 4th": an ordinal in figures standing alone, not the
    // day of another month beside it (a word such as "first" alone is too common to read
    // as a day).
    let beside_a_month = |i: usize| {
        let before = ws[..i].iter().rev().find(|w| !filler(w));
        let after = ws[i + 1..].iter().find(|w| !filler(w));
        [before, after]
            .into_iter()
            .flatten()
            .any(|w| month_of(w).is_some())
    };
    month_named
        && ws.iter().enumerate().any(|(i, w)| {
            let numeric = w.starts_with(|c: char| c.is_ascii_digit());
            numeric
                && day_of(w).is_some_and(|(d, ordinal)| ordinal && d == date.day())
                && !beside_a_month(i)
        })
}

/// `4/1/27`, `04.01.2027`, `1-4-27` (month first), `2027-01-04`.
fn numeric(text: &str, date: NaiveDate) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let mut parts: Vec<&str> = Vec::new();
        let mut j = i;
        loop {
            let start = j;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            parts.push(&text[start..j]);
            let separated = j + 1 < bytes.len()
                && matches!(bytes[j], b'/' | b'.' | b'-')
                && bytes[j + 1].is_ascii_digit();
            if !separated || parts.len() == 3 {
                break;
            }
            j += 1;
        }
        if parts.len() >= 2 && names(&parts, date) {
            return true;
        }
        i = j.max(i + 1);
    }
    false
}

/// Whether groups of digits read as `date`: day and month either way round, or year first.
fn names(parts: &[&str], date: NaiveDate) -> bool {
    let number = |s: &str| s.parse::<u32>().ok();
    let year_is = |s: &str| match s.len() {
        2 => number(s) == u32::try_from(date.year() % 100).ok(),
        4 => number(s) == u32::try_from(date.year()).ok(),
        _ => false,
    };
    // Day and month, either way round (a reader of either habit sees the day).
    let day_and_month = |first: &str, second: &str| {
        let (first, second) = (number(first), number(second));
        let (day, month) = (Some(date.day()), Some(date.month()));
        (first == day && second == month) || (first == month && second == day)
    };
    match parts {
        [year, month, day] if year.len() == 4 => {
            year_is(year) && number(month) == Some(date.month()) && number(day) == Some(date.day())
        }
        [first, second, year] => year_is(year) && first.len() <= 2 && day_and_month(first, second),
        [first, second] => first.len() <= 2 && second.len() <= 2 && day_and_month(first, second),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_common_way_of_writing_the_day_is_found() {
        let release = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        for written in [
            "4 January 2027",
            "January 4th",
            "January 4",
            "4th of January",
            "Jan 4",
            "4 Jan",
            "the fourth of January",
            "Monday 4 January",
            "Monday, the 4th of January",
            "4/1/27",
            "04/01/2027",
            "1/4/27",
            "4.1.27",
            "4-1-2027",
            "2027-01-04",
            "released in January, on the 4th",
            "out on 4/1",
            "JANUARY 4TH",
        ] {
            assert!(gives_day(written, release), "{written:?}");
        }
        for month_only in [
            "January 2027",
            "in January",
            "early in the new year",
            "talk it over first, in January",
            "4 February 2027",
            "14 January",
            "4/1/26",
            "4 January 2033",
            "January 4th, 2031",
            "24/01/2027",
            "case C-2024-031",
            "4 people came",
        ] {
            assert!(!gives_day(month_only, release), "{month_only:?}");
        }
    }
}
