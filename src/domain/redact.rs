//! Withholding other people's contact details from free text (a subject access response):
//! every address, phone number and email of someone else that the store holds is cut out of
//! the text wherever it appears, however it is written there.
//!
//! - **Phone numbers** are compared as their national number: `+44 7700 900123`,
//!   `0044 7700 900123`, `+44 (0)7700 900123`, `07700-900-123` and `07700.900.123` are one
//!   number, whatever spaces, hyphens, dots or brackets stand between the digits.
//! - **Addresses** are compared word by word, ignoring case, punctuation and line breaks,
//!   with the usual abbreviations read as the words (`Rd` as `Road`, `St` as `Street`, …)
//!   and a postcode the same with or without its space. The whole address, each of its
//!   lines, and its postcode alone are each withheld.
//! - **Emails** ignoring case.

/// What replaces a withheld detail.
pub const WITHHELD: &str = "[withheld: another person's contact details]";

/// Contact details to withhold, ready to search for.
#[derive(Debug, Default, Clone)]
pub struct Withheld {
    /// Emails (and other details as text), lower-cased.
    texts: Vec<String>,
    /// Addresses, their lines and postcodes, as their words ([`words`]).
    places: Vec<Vec<String>>,
    /// Phone numbers, as their national numbers ([`national`]).
    phones: Vec<String>,
}

/// The national number of a phone number written in any common way: the digits, with a
/// UK country code (`+44`, `0044`) and its trunk `0` or `(0)` dropped, or a leading `0`
/// dropped; another country's number keeps its code after a `+`. `None` for one too short
/// to look for safely (fewer than 6 digits would match dates and ids).
fn national(phone: &str) -> Option<String> {
    let trimmed = phone.trim_start();
    let plus = trimmed.starts_with('+');
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let (international, digits) = if plus {
        (true, digits.as_str())
    } else if let Some(rest) = digits.strip_prefix("00") {
        (true, rest)
    } else {
        (false, digits.as_str())
    };
    let number = if international {
        match digits.strip_prefix("44") {
            Some(uk) => uk.strip_prefix('0').unwrap_or(uk).to_owned(),
            None => format!("+{digits}"),
        }
    } else {
        digits.strip_prefix('0').unwrap_or(digits).to_owned()
    };
    (number.chars().filter(char::is_ascii_digit).count() >= 6).then_some(number)
}

/// Whether `text` holds anything written as a phone number: a `0` or `+` and then at least
/// nine more digits, with spaces, hyphens, dots or brackets between them.
pub fn has_phone_number(text: &str) -> bool {
    let mut digits = 0;
    let mut started = false;
    let mut previous = ' ';
    for c in text.chars() {
        if started && c.is_ascii_digit() {
            digits += 1;
            if digits >= 10 {
                return true;
            }
        } else if started && matches!(c, ' ' | '-' | '.' | '(' | ')') {
        } else if (c == '0' || c == '+') && !previous.is_ascii_digit() {
            started = true;
            digits = usize::from(c == '0');
        } else {
            started = false;
            digits = 0;
        }
        previous = c;
    }
    false
}

/// Whether `text` holds anything written as an email address (`name@host.domain`).
pub fn has_email(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | ',' | ';'))
        .map(|w| w.trim_end_matches(['.', '!', '?', ':', '"', '\'']))
        .any(|w| {
            w.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty() && host.contains('.') && !host.ends_with('.')
            })
        })
}

/// A word as addresses are compared: lower case, the usual abbreviations read as the word.
fn word(w: &str) -> String {
    let lower = w.to_lowercase();
    let whole = match lower.as_str() {
        "rd" => "road",
        "st" => "street",
        "ave" | "av" => "avenue",
        "ln" => "lane",
        "dr" => "drive",
        "cl" => "close",
        "ct" => "court",
        "pl" => "place",
        "sq" => "square",
        "cres" => "crescent",
        "gdns" => "gardens",
        "tce" => "terrace",
        "hse" => "house",
        "apt" => "flat",
        _ => return lower,
    };
    whole.to_owned()
}

/// The words of `text` with where each is (byte ranges); a postcode written with its space
/// (`NS2 4QT`) is one word, as it is without (`NS24QT`).
fn words(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut found: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                found.push((word(&text[s..i]), s..i));
                start = None;
            }
            _ => {}
        }
    }
    // An outward code followed by an inward code (a digit and two letters) is one postcode.
    let mut joined: Vec<(String, std::ops::Range<usize>)> = Vec::with_capacity(found.len());
    for (w, range) in found {
        if let Some((prev, prev_range)) = joined.last_mut()
            && is_outward(prev)
            && is_inward(&w)
        {
            prev.push_str(&w);
            prev_range.end = range.end;
            continue;
        }
        joined.push((w, range));
    }
    joined
}

/// `ns2`, `ec1a`, `m1`: letters then a digit, at most four characters.
fn is_outward(w: &str) -> bool {
    let b = w.as_bytes();
    (2..=4).contains(&b.len())
        && b[0].is_ascii_alphabetic()
        && b.iter().any(u8::is_ascii_digit)
        && b.iter().all(u8::is_ascii_alphanumeric)
}

/// `4qt`: a digit and two letters.
fn is_inward(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 3
        && b[0].is_ascii_digit()
        && b[1].is_ascii_alphabetic()
        && b[2].is_ascii_alphabetic()
}

impl Withheld {
    /// One more email (or other detail compared as text).
    pub fn text(&mut self, detail: &str) {
        let detail = detail.trim().to_lowercase();
        // Shorter than this, a "detail" would cut ordinary words out of the text.
        if detail.chars().count() >= 6 && !self.texts.contains(&detail) {
            self.texts.push(detail);
        }
    }

    /// One more address: the whole of it, each of its lines, and its postcode.
    pub fn address(&mut self, address: &str) {
        let mut add = |part: &str| {
            let ws: Vec<String> = words(part).into_iter().map(|(w, _)| w).collect();
            // One short word alone ("Flat") would cut ordinary text.
            let enough = ws.len() >= 2 || ws.first().is_some_and(|w| is_postcode(w));
            if enough && !self.places.contains(&ws) {
                self.places.push(ws);
            }
        };
        add(address);
        for line in address.split([',', '\n', ';']) {
            add(line);
        }
        for (w, _) in words(address) {
            if is_postcode(&w) {
                add(&w);
            }
        }
    }

    /// One more phone number.
    pub fn phone(&mut self, phone: &str) {
        if let Some(n) = national(phone)
            && !self.phones.contains(&n)
        {
            self.phones.push(n);
        }
    }

    /// These details less those in `own` (a detail the subject shares is theirs too).
    #[must_use]
    pub fn without(mut self, own: &Withheld) -> Self {
        self.texts.retain(|t| !own.texts.contains(t));
        self.places.retain(|p| !own.places.contains(p));
        self.phones.retain(|p| !own.phones.contains(p));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty() && self.places.is_empty() && self.phones.is_empty()
    }

    /// `text` with every withheld detail replaced by [`WITHHELD`], and how many were.
    pub fn redact(&self, text: &str) -> (String, usize) {
        let mut out = text.to_owned();
        let mut count = 0;
        // Longest first, so that an address is cut whole before a part of it could be.
        let mut texts: Vec<&String> = self.texts.iter().collect();
        texts.sort_by_key(|t| std::cmp::Reverse(t.len()));
        for t in texts {
            count += replace_ignoring_case(&mut out, t);
        }
        let mut places: Vec<&Vec<String>> = self.places.iter().collect();
        places.sort_by_key(|p| std::cmp::Reverse(p.len()));
        for p in places {
            count += replace_words(&mut out, p);
        }
        count += replace_phones(&mut out, &self.phones);
        (out, count)
    }
}

fn is_postcode(w: &str) -> bool {
    w.len() >= 5 && w.len() <= 7 && is_inward(&w[w.len() - 3..]) && is_outward(&w[..w.len() - 3])
}

/// Replaces every occurrence of `lower` (lower case) in `text`, ignoring case.
fn replace_ignoring_case(text: &mut String, lower: &str) -> usize {
    let mut count = 0;
    let mut from = 0;
    loop {
        let folded = text[from..].to_lowercase();
        // Lower-casing may change byte lengths; only an exact-length match is cut.
        let Some(at) = folded.find(lower) else {
            return count;
        };
        let start = from + at;
        let end = start + lower.len();
        if folded.len() != text.len() - from
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            // Text whose case folding changes its length: fall back to an exact search.
            return count + replace_exact(text, from, lower);
        }
        text.replace_range(start..end, WITHHELD);
        from = start + WITHHELD.len();
        count += 1;
    }
}

fn replace_exact(text: &mut String, from: usize, needle: &str) -> usize {
    let tail = text[from..].to_owned();
    let n = tail.matches(needle).count();
    if n > 0 {
        text.replace_range(from.., &tail.replace(needle, WITHHELD));
    }
    n
}

/// Replaces every run of words of `text` that reads as `wanted`, whatever the case,
/// punctuation or line breaks between them.
fn replace_words(text: &mut String, wanted: &[String]) -> usize {
    let mut count = 0;
    loop {
        let ws = words(text);
        let hit = ws.windows(wanted.len()).find(|run| {
            run.iter().zip(wanted).all(|((w, _), want)| w == want)
                && !text[run[0].1.start..run[run.len() - 1].1.end].contains(WITHHELD)
        });
        let Some(run) = hit else {
            return count;
        };
        let range = run[0].1.start..run[run.len() - 1].1.end;
        text.replace_range(range, WITHHELD);
        count += 1;
    }
}

/// Replaces every phone number in `text` whose national number is one of `wanted`: a `+`
/// or digit, then digits with spaces, hyphens, dots or brackets between them, never part
/// of a longer number.
fn replace_phones(text: &mut String, wanted: &[String]) -> usize {
    if wanted.is_empty() {
        return 0;
    }
    let mut count = 0;
    let mut start = 0;
    'scan: while start < text.len() {
        let rest = &text[start..];
        let Some(first) = rest.find(|c: char| c.is_ascii_digit() || c == '+') else {
            break;
        };
        let begin = start + first;
        let preceded_by_digit = text[..begin]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit());
        // A number with no `0` or `+` before it, after another number's digits (`+1 7700
        // 900123`), is the tail of that number, not a number of its own.
        let bare = !text[begin..].starts_with(['0', '+']);
        let after_a_number = text[..begin]
            .trim_end_matches([' ', '-', '.', '(', ')'])
            .ends_with(|c: char| c.is_ascii_digit() || c == '+');
        let tail_of_another = bare && after_a_number;
        if !(preceded_by_digit || tail_of_another) {
            // Every end of a run of digits and separators from here, longest first.
            let mut ends = Vec::new();
            let mut digits = 0;
            for (i, c) in text[begin..].char_indices() {
                if c.is_ascii_digit() {
                    digits += 1;
                    ends.push(begin + i + 1);
                } else if !(matches!(c, ' ' | '-' | '.' | '(' | ')') || (i == 0 && c == '+')) {
                    break;
                }
                if digits > 16 {
                    break;
                }
            }
            for &end in ends.iter().rev() {
                let followed = text[end..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit());
                if followed {
                    continue;
                }
                if national(&text[begin..end]).is_some_and(|n| wanted.contains(&n)) {
                    text.replace_range(begin..end, WITHHELD);
                    start = begin + WITHHELD.len();
                    count += 1;
                    continue 'scan;
                }
            }
        }
        start = begin + 1;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn others_details_are_cut_out_however_written() {
        let mut w = Withheld::default();
        w.phone("07700 900123");
        w.text("Anna.Other@example.org");
        w.address("2 Elm Street, Northtown NS2 2BB");
        let (out, n) = w.redact(
            "Called her sister on 07700900123 (or 07700-900-123); email anna.other@EXAMPLE.org; \
             she lives at 2 elm street, northtown NS2 2BB. Ref 077009001234 is not it.",
        );
        assert_eq!(n, 4, "{out}");
        assert!(
            !out.contains("900123\"") && !out.contains("07700900123 "),
            "{out}"
        );
        assert!(!out.to_lowercase().contains("anna.other"), "{out}");
        assert!(!out.to_lowercase().contains("elm street"), "{out}");
        assert!(
            out.contains("077009001234"),
            "a longer number is another number: {out}"
        );
        assert_eq!(out.matches(WITHHELD).count(), 4);
    }

    #[test]
    fn a_phone_number_is_found_in_every_common_form() {
        let mut w = Withheld::default();
        w.phone("07700 900123");
        for written in [
            "07700 900123",
            "07700900123",
            "+44 7700 900123",
            "+447700900123",
            "0044 7700 900123",
            "+44 (0)7700 900123",
            "(07700) 900 123",
            "07700-900-123",
            "07700.900.123",
            "+44-7700-900-123",
        ] {
            let (out, n) = w.redact(&format!("ring her on {written} after six"));
            assert_eq!(n, 1, "{written}: {out}");
            assert!(!out.contains("900"), "{written}: {out}");
            assert!(out.ends_with(" after six"), "{written}: {out}");
        }
        for other in ["07700 900124", "+1 7700 900123", "17700900123"] {
            assert_eq!(w.redact(other).1, 0, "{other}");
        }
    }

    #[test]
    fn an_address_is_found_however_its_lines_and_words_are_written() {
        let mut w = Withheld::default();
        w.address("14 Orchard Road, Northby NS2 4QT");
        for written in [
            "14 Orchard Road, Northby NS2 4QT",
            "14 orchard rd northby ns24qt",
            "14 Orchard Rd.\nNorthby\nNS2 4QT",
            "14, ORCHARD ROAD, NORTHBY, NS2 4QT",
            "the postcode ns2 4qt",
            "at 14 Orchard Road",
        ] {
            let (out, n) = w.redact(written);
            assert!(n >= 1, "{written}: {out}");
            let lower = out.to_lowercase();
            assert!(
                !lower.contains("orchard") && !lower.contains("4qt"),
                "{written}: {out}"
            );
        }
        assert_eq!(w.redact("Northby police station").1, 0, "a town alone");
    }

    #[test]
    fn short_details_are_not_searched_for() {
        let mut w = Withheld::default();
        w.phone("123");
        w.text("a@b");
        w.address("Flat");
        assert!(w.is_empty());
        assert_eq!(w.redact("a@b 123 Flat").1, 0);
    }
}
