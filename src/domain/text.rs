//! Plain text: what may be stored, and how stored text is shown safely.

use std::borrow::Cow;

/// The first character that plain text may not hold: any control character except newline
/// and tab (FORMAT.md §2). Escape codes start with one, so this refuses them.
pub fn forbidden_char(s: &str) -> Option<char> {
    s.chars()
        .find(|&c| c.is_control() && c != '\n' && c != '\t')
}

/// Text as it may be sent to a terminal: every control character (newline and tab included)
/// becomes a visible placeholder, so stored text can never move the cursor or change colours.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\n' | '\t' => ' ',
                c if c.is_control() => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

/// The first line of a text, made visible, for one-line lists.
pub fn first_line(s: &str) -> Cow<'_, str> {
    match s.split_once('\n') {
        Some((first, _)) => Cow::Owned(visible(first).into_owned()),
        None => visible(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_codes_are_forbidden_but_newlines_and_tabs_are_not() {
        assert_eq!(forbidden_char("Joan\u{1b}[31mMercer"), Some('\u{1b}'));
        assert_eq!(forbidden_char("bell\u{7}"), Some('\u{7}'));
        assert_eq!(forbidden_char("C1 \u{9b}"), Some('\u{9b}'));
        assert_eq!(forbidden_char("line one\nline two\tend"), None);
        assert_eq!(forbidden_char("Zoë Ó Súilleabháin"), None);
    }

    #[test]
    fn visible_replaces_every_control_character() {
        assert_eq!(visible("a\u{1b}[2Jb"), "a\u{fffd}[2Jb");
        assert_eq!(visible("two\nlines"), "two lines");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
        assert_eq!(first_line("first\nsecond"), "first");
    }
}
