//! Progress for long work (import, export, generate): a bar on a terminal, nothing at all
//! when stderr is piped or redirected.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// A bar of `len` steps, labelled, if stderr is a terminal.
    pub fn bar(len: u64, label: &str) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self(None);
        }
        let bar = ProgressBar::new(len).with_message(label.to_owned());
        if let Ok(style) = ProgressStyle::with_template("{msg:12} {wide_bar} {pos}/{len} ({eta})") {
            bar.set_style(style);
        }
        Self(Some(bar))
    }

    /// A spinner for work of unknown length.
    pub fn spinner(label: &str) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self(None);
        }
        let bar = ProgressBar::new_spinner().with_message(label.to_owned());
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
            bar.set_style(style);
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

    pub fn finish(self) {
        if let Some(b) = self.0 {
            b.finish_and_clear();
        }
    }
}
