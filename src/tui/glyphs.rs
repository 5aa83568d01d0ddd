//! The screens on a terminal that is not UTF-8: plain ASCII borders and masks, and every
//! other character drawn as its nearest ASCII, so that a `C` locale or a Latin-1 console
//! shows `+--+` and `***` rather than mojibake. Decided once at start from the locale.

use ratatui::buffer::Buffer;
use ratatui::symbols::border;
use unicode_normalization::UnicodeNormalization;

/// Whether the locale's character set is UTF-8, by the variables the C library reads, in
/// its order: the first of `LC_ALL`, `LC_CTYPE`, `LANG` that is set and not empty decides.
/// None set is the `C` locale: ASCII.
pub fn utf8_locale(var: impl Fn(&str) -> Option<String>) -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|name| var(name).filter(|v| !v.is_empty()))
        .is_some_and(|locale| {
            let set = locale.to_ascii_lowercase();
            set.contains("utf-8") || set.contains("utf8")
        })
}

/// [`utf8_locale`] of this process's environment.
pub fn utf8_terminal() -> bool {
    utf8_locale(|name| std::env::var(name).ok())
}

/// Borders of `+`, `-` and `|`.
pub const ASCII_BORDER: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// The mask over contact details on an ASCII terminal.
pub const ASCII_MASK: &str = "***";

/// Every cell of `buffer` in ASCII: what the drawing put there in its nearest ASCII, one
/// column for one (a wide character becomes `?` and the column it covered shows blank).
pub fn asciify(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        let symbol = cell.symbol();
        if !symbol.is_ascii() {
            let ascii = ascii_of(symbol);
            cell.set_char(ascii);
        }
    }
}

/// The nearest ASCII character to a grapheme drawn in one cell.
pub(crate) fn ascii_of(symbol: &str) -> char {
    let Some(c) = symbol.chars().next() else {
        return ' ';
    };
    match c {
        '─' | '━' | '═' | '┄' | '┅' | '┈' | '┉' | '╌' | '╍' | '—' | '–' | '‒' | '―' | '−' | '·' => {
            '-'
        }
        '│' | '┃' | '║' | '┆' | '┇' | '┊' | '┋' | '╎' | '╏' | '▏' | '▕' | '¦' => {
            '|'
        }
        '\u{2500}'..='\u{257f}' => '+', // the other box-drawing pieces: corners, tees, crosses
        '•' | '●' | '∙' | '⋅' | '◦' => '*',
        '▸' | '▶' | '►' | '›' | '»' | '→' | '⟶' => '>',
        '◂' | '◀' | '◄' | '‹' | '«' | '←' | '⟵' => '<',
        '↑' | '▲' | '▴' => '^',
        '↓' | '▼' | '▾' | '✓' | '✔' => 'v',
        '⚠' | '❗' | '‼' => '!',
        '“' | '”' | '„' | '″' => '"',
        '‘' | '’' | '‚' | '′' => '\'',
        '…' => '.',
        '×' => 'x',
        '÷' => '/',
        '█' | '▓' | '▒' | '░' | '▀' | '▄' | '▌' | '▐' => '#',
        '\u{a0}' | '\u{2000}'..='\u{200a}' => ' ',
        'ß' => 's',
        'æ' => 'a',
        'Æ' => 'A',
        'ø' => 'o',
        'Ø' => 'O',
        'đ' => 'd',
        'Đ' => 'D',
        'ł' => 'l',
        'Ł' | '£' => 'L',
        // A letter with accents: the letter ("Zoë" is "Zoe").
        _ => symbol
            .nfd()
            .find(char::is_ascii_alphanumeric)
            .unwrap_or('?'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_locale_variable_set_decides() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert!(utf8_locale(env(&[("LANG", "en_GB.UTF-8")])));
        assert!(utf8_locale(env(&[("LC_CTYPE", "C.utf8"), ("LANG", "C")])));
        assert!(!utf8_locale(env(&[
            ("LC_ALL", "C"),
            ("LANG", "en_GB.UTF-8")
        ])));
        assert!(!utf8_locale(env(&[("LANG", "en_GB.ISO-8859-1")])));
        assert!(utf8_locale(env(&[("LC_ALL", ""), ("LANG", "en_GB.UTF-8")])));
        assert!(!utf8_locale(env(&[])), "no locale is the C locale");
    }

    #[test]
    fn every_cell_becomes_its_nearest_ascii() {
        use ratatui::layout::Rect;
        let mut buffer = Buffer::empty(Rect::new(0, 0, 24, 1));
        buffer.set_string(0, 0, "┌─│• — ⚠ Zoë Ó ▸‹日›", ratatui::style::Style::new());
        asciify(&mut buffer);
        let line: String = buffer
            .content
            .iter()
            .map(ratatui::buffer::Cell::symbol)
            .collect();
        assert_eq!(line, "+-|* - ! Zoe O ><? >    ");
        assert!(line.is_ascii());
    }
}
