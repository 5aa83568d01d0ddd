//! Driving the screens without a terminal.

use chrono::NaiveDate;
use vlu::domain::validate::{KnownIds, parse_caseload};
use vlu::tui::app::{App, Effect, Setup};
use vlu::tui::keymap::Key;

pub const ANCHOR: &str = "2026-11-24";

pub fn anchor() -> NaiveDate {
    NaiveDate::parse_from_str(ANCHOR, "%Y-%m-%d").unwrap()
}

pub fn sample_caseload() -> vlu::domain::model::Caseload {
    parse_caseload(
        &std::fs::read_to_string(super::sample_path()).unwrap(),
        &KnownIds::default(),
        false,
    )
    .unwrap()
}

pub fn app_with(
    caseload: vlu::domain::model::Caseload,
    snoozes: Vec<vlu::store::Snooze>,
    colour: bool,
) -> App {
    App::new(Setup {
        snoozes,
        colour,
        ..Setup::new(caseload, anchor(), "sahmed")
    })
}

/// Presses keys written as in a keymap, space-separated ("/", "enter", "ctrl-s").
pub fn press(app: &mut App, script: &str) -> Vec<Effect> {
    script
        .split(' ')
        .filter_map(|k| app.on_key(&Key::parse(k).unwrap().to_event()))
        .collect()
}

/// Types text character by character (newlines as Enter).
pub fn type_text(app: &mut App, text: &str) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    for c in text.chars() {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        app.on_key(&KeyEvent::new(code, KeyModifiers::NONE));
    }
}

/// What a test terminal shows, as lines of text.
pub fn text_of(t: &ratatui::Terminal<ratatui::backend::TestBackend>) -> String {
    let buffer = t.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
