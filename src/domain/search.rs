//! Matching as a person expects: case and accents ignored, across every name a victim's
//! record is known by (the offender's aliases included) and every number.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::model::{Case, Victim};

/// Lower case with accents removed: "Zoë Ó Súilleabháin" → "zoe o suilleabhain".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(&mut out, s);
    out
}

/// `fold(s)` added to `out`. Text that is all ASCII (most names, every id) has no accents to
/// take off, so it is only lowered: a hundred thousand haystacks are built at a search's
/// first keystroke.
fn fold_into(out: &mut String, s: &str) {
    if s.is_ascii() {
        out.extend(s.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        out.extend(
            s.nfd()
                .filter(|c| !is_combining_mark(*c))
                .flat_map(char::to_lowercase),
        );
    }
}

/// Everything a victim can be found by, folded, in one string (a line each).
pub fn haystack(victim: &Victim, case: Option<&Case>) -> String {
    let mut out = String::new();
    haystack_into(&mut out, victim, case);
    out
}

/// `haystack` added to `out`.
fn haystack_into(out: &mut String, victim: &Victim, case: Option<&Case>) {
    let representative = victim
        .representative
        .as_ref()
        .and_then(|r| r.name.as_deref());
    let offender = case.into_iter().flat_map(|c| {
        std::iter::once(c.offender.name.as_str())
            .chain(c.offender.aliases.iter().map(String::as_str))
            .chain(c.offender.prison_number.as_deref())
    });
    let start = out.len();
    for part in [victim.name.as_str(), &victim.id, &victim.case_id]
        .into_iter()
        .chain(representative)
        .chain(offender)
    {
        if out.len() > start {
            out.push('\n');
        }
        fold_into(out, part);
    }
}

/// Every victim's haystack, one after another in one buffer, in the victims' order: a
/// search reads them as one stretch of memory, not as a hundred thousand strings scattered
/// through it (at 100,000 victims the first search keystroke took three times the next).
#[derive(Debug, Default, Clone)]
pub struct Haystacks {
    text: String,
    /// Where each haystack ends in `text`.
    ends: Vec<usize>,
}

impl Haystacks {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The haystack of the `i`th victim.
    pub fn get(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |j| self.ends[j]);
        &self.text[start..self.ends[i]]
    }

    /// Room for `victims` more haystacks of a usual length (names, ids and an offender's,
    /// about 64 bytes), so that building them does not copy the buffer as it grows.
    pub fn reserve(&mut self, victims: usize) {
        self.text.reserve(victims.saturating_mul(64));
        self.ends.reserve(victims);
    }

    /// The next victim's haystack.
    pub fn push(&mut self, victim: &Victim, case: Option<&Case>) {
        haystack_into(&mut self.text, victim, case);
        self.ends.push(self.text.len());
    }

    /// Another list's haystacks after these.
    pub fn append(&mut self, other: &Haystacks) {
        let base = self.text.len();
        self.text.push_str(&other.text);
        self.ends.extend(other.ends.iter().map(|end| base + end));
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    /// Keeps the first `n` haystacks only (those after are built again).
    pub fn truncate(&mut self, n: usize) {
        if n < self.ends.len() {
            self.text
                .truncate(n.checked_sub(1).map_or(0, |j| self.ends[j]));
            self.ends.truncate(n);
        }
    }

    /// Whether the `i`th haystack is what `victim` of `case` would have now.
    pub fn holds(&self, i: usize, victim: &Victim, case: Option<&Case>) -> bool {
        i < self.len() && self.get(i) == haystack(victim, case)
    }
}

/// The folded words of a query, to match many haystacks against.
pub fn words(query: &str) -> Vec<String> {
    fold(query).split_whitespace().map(str::to_owned).collect()
}

/// Whether every word is in the haystack.
pub fn has_words(haystack: &str, words: &[String]) -> bool {
    words.iter().all(|word| haystack.contains(word.as_str()))
}

/// Whether every word of the query is in the haystack.
pub fn matches(haystack: &str, query: &str) -> bool {
    has_words(haystack, &words(query))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_and_other_text_fold_alike() {
        for s in [
            "DANIEL Reeve",
            "C-2025-014",
            "Zoë Ó Súilleabháin",
            "ÆSIR ß İ",
            "",
        ] {
            let slow: String = s
                .nfd()
                .filter(|c| !is_combining_mark(*c))
                .flat_map(char::to_lowercase)
                .collect();
            assert_eq!(fold(s), slow, "{s}");
        }
    }

    fn northshire() -> crate::domain::model::Caseload {
        let text = include_str!("../../sample-data/northshire.json");
        let known = crate::domain::validate::KnownIds::default();
        crate::domain::validate::parse_caseload(text, &known, false).unwrap()
    }

    #[test]
    fn a_victim_is_found_by_every_name_and_number_of_the_record() {
        let caseload = northshire();
        let v = caseload
            .victims
            .iter()
            .find(|v| v.representative.as_ref().is_some_and(|r| r.name.is_some()))
            .expect("the sample has a representative");
        let c = caseload
            .cases
            .iter()
            .find(|c| !c.offender.aliases.is_empty() && c.offender.prison_number.is_some())
            .expect("the sample has an offender with aliases and a prison number");
        let hay = haystack(v, Some(c));
        let mut expected = vec![v.name.clone(), v.id.clone(), v.case_id.clone()];
        expected.extend(v.representative.as_ref().and_then(|r| r.name.clone()));
        expected.push(c.offender.name.clone());
        expected.extend(c.offender.aliases.iter().cloned());
        expected.extend(c.offender.prison_number.clone());
        assert_eq!(hay, fold(&expected.join("\n")));
        assert_eq!(haystack(v, None).lines().count(), 4, "no case, no offender");
    }

    #[test]
    fn haystacks_kept_in_one_buffer_are_each_victim_s_own() {
        let caseload = northshire();
        let case_of = |v: &Victim| caseload.cases.iter().find(|c| c.id == v.case_id);
        let (first, rest) = caseload.victims.split_at(10);
        let (mut all, mut more) = (Haystacks::default(), Haystacks::default());
        for v in first {
            all.push(v, case_of(v));
        }
        for v in rest {
            more.push(v, case_of(v));
        }
        all.append(&more);
        assert_eq!(all.len(), caseload.victims.len());
        for (i, v) in caseload.victims.iter().enumerate() {
            assert_eq!(all.get(i), haystack(v, case_of(v)), "{}", v.id);
        }
        all.clear();
        assert!(all.is_empty());
    }

    #[test]
    fn case_and_accents_are_ignored() {
        assert_eq!(fold("Zoë Ó Súilleabháin"), "zoe o suilleabhain");
        assert!(matches(&fold("Renée Dubois\nC-2025-014"), "renee"));
        assert!(matches(&fold("Renée Dubois\nC-2025-014"), "DUBOIS c-2025"));
        assert!(!matches(&fold("Renée Dubois"), "dubois smith"));
    }
}
