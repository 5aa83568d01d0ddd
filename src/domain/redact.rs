//! Withholding other people's contact details from free text (a subject access response):
//! every address, phone number and email of someone else that the store holds is cut out of
//! the text wherever it appears, ignoring case, and phone numbers whatever their spacing.

/// What replaces a withheld detail.
pub const WITHHELD: &str = "[withheld: another person's contact details]";

/// Contact details to withhold, ready to search for.
#[derive(Debug, Default, Clone)]
pub struct Withheld {
    /// Addresses and emails, lower-cased.
    texts: Vec<String>,
    /// Phone numbers, as their digits (and a leading `+`).
    phones: Vec<String>,
}

/// The digits of a phone number (with a leading `+` kept), or `None` for one too short to
/// look for safely (fewer than 6 digits would match dates and ids).
fn phone_digits(phone: &str) -> Option<String> {
    let digits: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    (digits.chars().filter(char::is_ascii_digit).count() >= 6).then_some(digits)
}

impl Withheld {
    /// One more address or email.
    pub fn text(&mut self, detail: &str) {
        let detail = detail.trim().to_lowercase();
        // Shorter than this, a "detail" would cut ordinary words out of the text.
        if detail.chars().count() >= 6 && !self.texts.contains(&detail) {
            self.texts.push(detail);
        }
    }

    /// One more phone number.
    pub fn phone(&mut self, phone: &str) {
        if let Some(d) = phone_digits(phone)
            && !self.phones.contains(&d)
        {
            self.phones.push(d);
        }
        self.text(phone);
    }

    /// These details less those in `own` (a detail the subject shares is theirs too).
    #[must_use]
    pub fn without(mut self, own: &Withheld) -> Self {
        self.texts.retain(|t| !own.texts.contains(t));
        self.phones.retain(|p| !own.phones.contains(p));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty() && self.phones.is_empty()
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
        for p in &self.phones {
            count += replace_phone(&mut out, p);
        }
        (out, count)
    }
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

/// Replaces every run of the text that spells the phone number `digits`, with spaces,
/// hyphens, dots or brackets anywhere between its digits.
fn replace_phone(text: &mut String, digits: &str) -> usize {
    let want: Vec<char> = digits.chars().collect();
    let mut count = 0;
    let mut start = 0;
    while start < text.len() {
        let Some(first) = text[start..].find(want[0]) else {
            break;
        };
        let begin = start + first;
        match phone_at(&text[begin..], &want) {
            Some(len) => {
                text.replace_range(begin..begin + len, WITHHELD);
                start = begin + WITHHELD.len();
                count += 1;
            }
            None => start = begin + want[0].len_utf8(),
        }
    }
    count
}

/// The byte length of the phone number `want` at the start of `s`, if it is there and not
/// part of a longer number.
fn phone_at(s: &str, want: &[char]) -> Option<usize> {
    let mut i = 0;
    let mut len = 0;
    for c in s.chars() {
        if i == want.len() {
            break;
        }
        if c == want[i] {
            i += 1;
        } else if !(i > 0 && matches!(c, ' ' | '-' | '.' | '(' | ')')) {
            return None;
        }
        len += c.len_utf8();
    }
    let followed_by_digit = s[len..].chars().next().is_some_and(|c| c.is_ascii_digit());
    (i == want.len() && !followed_by_digit).then_some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn others_details_are_cut_out_however_written() {
        let mut w = Withheld::default();
        w.phone("07700 900123");
        w.text("Anna.Other@example.org");
        w.text("2 Elm Street, Northtown NS2 2BB");
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
    fn short_details_are_not_searched_for() {
        let mut w = Withheld::default();
        w.phone("123");
        w.text("a@b");
        assert!(w.is_empty());
        assert_eq!(w.redact("a@b 123").1, 0);
    }
}
