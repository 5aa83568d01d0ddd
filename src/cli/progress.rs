//! Progress for long work (import, export, generate): a bar on a terminal, nothing at all
//! when stderr is piped or redirected.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

pub struct Progress(Option<ProgressBar>);

/// What a bar and a spinner are drawn with (indicatif's `progress_chars`, `tick_chars`: the
/// spinner's last is its finished state).
struct Marks {
    bar: &'static str,
    spinner: &'static str,
}

/// The marks for a UTF-8 terminal, or ASCII ones where the locale is not UTF-8.
fn marks(ascii: bool) -> Marks {
    if ascii {
        Marks {
            bar: "#>-",
            spinner: "|/-\\ ",
        }
    } else {
        Marks {
            bar: "█▓░",
            spinner: "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏ ",
        }
    }
}

impl Progress {
    /// A bar of `len` steps, labelled, if stderr is a terminal.
    pub fn bar(len: u64, label: &str) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self(None);
        }
        let bar = ProgressBar::new(len).with_message(label.to_owned());
        if let Ok(style) = ProgressStyle::with_template("{msg:12} {wide_bar} {pos}/{len} ({eta})") {
            bar.set_style(style.progress_chars(marks(super::plain::ascii_wanted()).bar));
        }
        Self(Some(bar))
    }

    /// A bar of a file's `len` bytes, labelled, if stderr is a terminal.
    pub fn file(len: u64, label: &str) -> Self {
        let progress = Self::bar(len, label);
        if let (Some(bar), Ok(style)) = (
            &progress.0,
            ProgressStyle::with_template("{msg:12} {wide_bar} {bytes}/{total_bytes} ({eta})"),
        ) {
            bar.set_style(style.progress_chars(marks(super::plain::ascii_wanted()).bar));
        }
        progress
    }

    /// A spinner for work of unknown length.
    pub fn spinner(label: &str) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self(None);
        }
        let bar = ProgressBar::new_spinner().with_message(label.to_owned());
        bar.set_style(
            ProgressStyle::default_spinner()
                .tick_chars(marks(super::plain::ascii_wanted()).spinner),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Self(Some(bar))
    }

    /// A running count of work of unknown length, if stderr is a terminal.
    pub fn counter(label: &str) -> Self {
        let progress = Self::spinner(label);
        if let (Some(bar), Ok(style)) = (
            &progress.0,
            ProgressStyle::with_template("{spinner} {msg:12} {human_pos}"),
        ) {
            bar.set_style(style.tick_chars(marks(super::plain::ascii_wanted()).spinner));
        }
        progress
    }

    /// A running count of bytes, for work whose records cannot be counted as they pass (an
    /// export streamed from the unit service), if stderr is a terminal.
    pub fn bytes(label: &str) -> Self {
        let progress = Self::spinner(label);
        if let (Some(bar), Ok(style)) = (
            &progress.0,
            ProgressStyle::with_template("{spinner} {msg:12} {bytes}"),
        ) {
            bar.set_style(style.tick_chars(marks(super::plain::ascii_wanted()).spinner));
        }
        progress
    }

    /// No progress shown.
    pub fn hidden() -> Self {
        Self(None)
    }

    pub fn inc(&self) {
        if let Some(b) = &self.0 {
            b.inc(1);
        }
    }

    pub fn inc_by(&self, n: u64) {
        if let Some(b) = &self.0 {
            b.inc(n);
        }
    }

    pub fn finish(self) {
        if let Some(b) = self.0 {
            b.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::marks;

    #[test]
    fn an_ascii_terminal_gets_an_ascii_bar_and_spinner() {
        let ascii = marks(true);
        assert!(ascii.bar.is_ascii() && ascii.spinner.is_ascii());
        let utf8 = marks(false);
        assert!(!utf8.bar.is_ascii());
        // indicatif wants the same width of every mark: one column each.
        for m in [ascii.bar, ascii.spinner, utf8.bar, utf8.spinner] {
            assert!(m.chars().count() >= 3, "{m}");
        }
        indicatif::ProgressStyle::default_bar().progress_chars(ascii.bar);
        indicatif::ProgressStyle::default_spinner().tick_chars(ascii.spinner);
    }
}
