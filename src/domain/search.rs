//! Matching as a person expects: case and accents ignored, across every name a victim's
//! record is known by (the offender's aliases included) and every number.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::model::{Case, Victim};

/// Lower case with accents removed: "Zoë Ó Súilleabháin" → "zoe o suilleabhain".
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Everything a victim can be found by, folded, in one string.
pub fn haystack(victim: &Victim, case: Option<&Case>) -> String {
    let mut parts: Vec<&str> = vec![&victim.name, &victim.id, &victim.case_id];
    if let Some(r) = victim
        .representative
        .as_ref()
        .and_then(|r| r.name.as_deref())
    {
        parts.push(r);
    }
    if let Some(c) = case {
        parts.push(&c.offender.name);
        parts.extend(c.offender.aliases.iter().map(String::as_str));
        if let Some(p) = &c.offender.prison_number {
            parts.push(p);
        }
    }
    fold(&parts.join("\n"))
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
    fn case_and_accents_are_ignored() {
        assert_eq!(fold("Zoë Ó Súilleabháin"), "zoe o suilleabhain");
        assert!(matches(&fold("Renée Dubois\nC-2025-014"), "renee"));
        assert!(matches(&fold("Renée Dubois\nC-2025-014"), "DUBOIS c-2025"));
        assert!(!matches(&fold("Renée Dubois"), "dubois smith"));
    }
}
