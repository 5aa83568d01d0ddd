//! Text for people on a terminal whose locale is not UTF-8 (a `C` locale, a Latin-1
//! console): written in ASCII, by the screens' own rule for when (`tui::glyphs`) and their
//! own nearest characters, so that `— · ⚠ ░` never arrive as mojibake. And colour only
//! where it can be shown (`anstream`'s rule: a terminal, `NO_COLOR` unset, `TERM` not dumb).

use std::borrow::Cow;

/// Whether text for people is written in ASCII here: the locale is not UTF-8.
pub(crate) fn ascii_wanted() -> bool {
    !crate::tui::glyphs::utf8_terminal()
}

/// `text` as written for people here: as it is, or in ASCII where the locale is not UTF-8.
pub(crate) fn for_people(text: &str) -> Cow<'_, str> {
    if ascii_wanted() {
        Cow::Owned(ascii(text))
    } else {
        Cow::Borrowed(text)
    }
}

/// `text` in ASCII: a few marks as the ASCII people type for them (`…` as `...`, `→` as
/// `->`), accents dropped, and every other character as the screens draw it on an ASCII
/// terminal (`—` and `·` as `-`, `⚠` as `!`, `░` as `#`).
pub(crate) fn ascii(text: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    let mut out = String::with_capacity(text.len());
    let mut buf = [0; 4];
    for c in text.chars() {
        match c {
            _ if c.is_ascii() => out.push(c),
            '…' => out.push_str("..."),
            '→' | '⟶' => out.push_str("->"),
            '←' | '⟵' => out.push_str("<-"),
            _ if is_combining_mark(c) => {}
            _ => out.push(crate::tui::glyphs::ascii_of(c.encode_utf8(&mut buf))),
        }
    }
    out
}

/// Whether standard output shows colour: a terminal that can, and no `NO_COLOR`.
pub(crate) fn colour_on_stdout() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outputs_marks_are_ascii_as_the_screens_draw_them() {
        assert_eq!(
            ascii("Northshire VLU — diary · ⚠ near … ░█ → Zoë Zoe\u{301} “x” 2026–27"),
            "Northshire VLU - diary - ! near ... ## -> Zoe Zoe \"x\" 2026-27"
        );
        assert!(ascii("名前 ✓ ★").is_ascii());
    }
}
