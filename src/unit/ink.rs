//! Colour for text written to a terminal: `anstyle`'s styles, never escape codes by hand.
//! Whether a terminal shows colour is the command line's to decide (`cli::plain`).

use anstyle::{AnsiColor, Style};

/// What text is painted with.
#[derive(Debug, Clone, Copy)]
pub enum Ink {
    Bold,
    Red,
    Yellow,
    Cyan,
    Magenta,
}

/// `text` in `ink` where `colour` says so, else as it is.
pub fn paint(colour: bool, ink: Ink, text: &str) -> String {
    if !colour {
        return text.to_owned();
    }
    let coloured = |c: AnsiColor| Style::new().bold().fg_color(Some(c.into()));
    let style = match ink {
        Ink::Bold => Style::new().bold(),
        Ink::Red => coloured(AnsiColor::Red),
        Ink::Yellow => coloured(AnsiColor::Yellow),
        Ink::Cyan => coloured(AnsiColor::Cyan),
        Ink::Magenta => coloured(AnsiColor::Magenta),
    };
    format!("{style}{text}{style:#}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paint_is_plain_without_colour_and_closed_with_it() {
        assert_eq!(paint(false, Ink::Red, "Overdue"), "Overdue");
        let red = paint(true, Ink::Red, "Overdue");
        assert!(
            red.starts_with('\u{1b}') && red.contains("Overdue") && red.ends_with("\u{1b}[0m"),
            "{red:?}"
        );
    }
}
