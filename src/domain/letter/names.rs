//! People's names as a letter's checks compare them: one person's name however it is
//! written — titles, "Surname, Forename", accents, case, punctuation, invisible characters,
//! letters of other alphabets that look Latin, Unicode's compatibility forms.

use unicode_normalization::UnicodeNormalization;

/// Titles and honorifics, dropped before names are compared (not `Jr` or `Sr`: a father and
/// son are two people).
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "sir",
    "dame",
    "lady",
    "lord",
    "rev",
    "revd",
    "reverend",
    "prof",
    "professor",
    "master",
    "fr",
    "father",
];

/// Words that tell one generation from the next: never dropped, never taken as a middle name.
const SUFFIXES: &[&str] = &["jr", "junior", "sr", "senior", "ii", "iii", "iv"];

/// A letter of another alphabet that looks like a Latin one, as that letter (lower case).
fn latin_look_alike(c: char) -> char {
    match c {
        'а' | 'α' => 'a',
        'в' | 'β' => 'b',
        'с' | 'ϲ' => 'c',
        'е' | 'ё' | 'ε' => 'e',
        'і' | 'ї' | 'ι' => 'i',
        'ј' => 'j',
        'к' | 'κ' => 'k',
        'м' | 'μ' => 'm',
        'һ' | 'н' | 'η' => 'h',
        'о' | 'ο' | 'σ' => 'o',
        'р' | 'ρ' => 'p',
        'ѕ' => 's',
        'т' | 'τ' => 't',
        'у' | 'υ' | 'γ' => 'y',
        'х' | 'χ' => 'x',
        'ԁ' => 'd',
        'ѡ' | 'ω' => 'w',
        'ν' => 'v',
        'ζ' => 'z',
        other => other,
    }
}

/// The words of a name as compared: compatibility forms unified (NFKC), accents and other
/// marks taken off, invisible characters dropped, look-alike letters read as Latin, lower
/// case, punctuation a space, titles dropped.
pub fn words(name: &str) -> Vec<String> {
    let plain: String = name
        .nfkc()
        .collect::<String>()
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .filter(|c| !crate::domain::text::is_invisible(*c))
        .flat_map(char::to_lowercase)
        .map(latin_look_alike)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    plain
        .split_whitespace()
        .filter(|w| !TITLES.contains(w))
        .map(str::to_owned)
        .collect()
}

/// Whether two names are one person's: the same words in any order ("Reeve, Daniel" is
/// "Mr Daniel Reeve"), or all of the shorter name's words (two at least) among the
/// longer's ("Daniel Reeve" is "Daniel James Reeve").
pub fn same_person(a: &str, b: &str) -> bool {
    let (mut a, mut b) = (words(a), words(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    a.sort();
    b.sort();
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    // A middle name more is the same person; a "Jr" more is the next generation.
    let generation =
        |ws: &Vec<String>| ws.iter().filter(|w| SUFFIXES.contains(&w.as_str())).count();
    short.len() >= 2
        && short.iter().all(|w| long.contains(w))
        && generation(short) == generation(long)
}

/// Whether `text` names the person `name` (two words at least): its words side by side in
/// the text, in the name's order or surname first.
pub fn named_in(text: &[String], name: &str) -> bool {
    let name = words(name);
    if name.len() < 2 {
        return false;
    }
    let mut surname_first = name.clone();
    surname_first.rotate_right(1);
    text.windows(name.len())
        .any(|run| run == name.as_slice() || run == surname_first.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Twenty-four ways a letter's recipient might be written that are the offender, Daniel
    /// Reeve, all caught; and names that are not him, none.
    #[test]
    fn every_way_of_writing_a_name_is_the_same_person() {
        for written in [
            "Daniel Reeve",
            "daniel reeve",
            "DANIEL REEVE",
            "  Daniel   Reeve ",
            "Mr Daniel Reeve",
            "Mr. Daniel Reeve",
            "Dr Daniel Reeve",
            "Reeve, Daniel",
            "REEVE, Daniel",
            "Reeve Daniel",
            "Daniel James Reeve",
            "Mr D. J. Reeve, Daniel",
            "Dániel Reevé",
            "Daniel Rééve",
            "Dani\u{200b}el Reeve",
            "Daniel\u{00a0}Reeve",
            "Dan\u{00ad}iel Reeve",
            "\u{202e}Daniel Reeve",
            "Dаniel Reeve",
            "Daniеl Rееve",
            "Ｄａｎｉｅｌ Ｒｅｅｖｅ",
            "Daniel-Reeve",
            "daniel.reeve",
            "Daniel  Reeve.",
        ] {
            assert!(same_person(written, "Daniel Reeve"), "{written:?}");
        }
        for other in [
            "Danielle Reeves",
            "Daniel Rees",
            "Reeve",
            "Dana Reeve",
            "Daniel Reeve Jr",
            "",
        ] {
            assert!(!same_person(other, "Daniel Reeve"), "{other:?}");
        }
    }

    #[test]
    fn a_name_is_found_in_text_in_either_order() {
        let text = words("We spoke with MERCER, Tom about the hearing.");
        assert!(named_in(&text, "Tom Mercer"));
        assert!(named_in(&words("tóm mercer called"), "Tom Mercer"));
        assert!(!named_in(&text, "Ann Mercer"));
    }
}
