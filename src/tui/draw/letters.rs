//! The letter picker and a letter's preview. The preview shows the letter as it will be
//! printed, address block and all: making it was audited by the store before it was shown.

use ratatui::text::{Line, Span, Text};

use super::Theme;
use crate::domain::text::visible;
use crate::tui::action::Action;
use crate::tui::app::{App, LetterPicker, LetterView};
use crate::tui::keymap::Context;

/// The kinds of letter to choose from, the chosen one marked.
pub(super) fn picker_text(app: &App, theme: &Theme, picker: &LetterPicker) -> Text<'static> {
    let mut lines = vec![Line::from("Which letter?"), Line::from("")];
    for (i, choice) in picker.choices.iter().enumerate() {
        let label = visible(&choice.label).into_owned();
        lines.push(if i == picker.selected {
            Line::from(Span::styled(format!("▸ {label}"), theme.selected()))
        } else {
            Line::from(format!("  {label}"))
        });
    }
    lines.push(Line::from(""));
    lines.push(keys(
        app,
        &[(Action::Open, "read it"), (Action::Back, "back")],
    ));
    Text::from(lines)
}

/// The key for each action in the letter context (or globally), from the live keymap.
fn keys(app: &App, wanted: &[(Action, &str)]) -> Line<'static> {
    let said: Vec<String> = wanted
        .iter()
        .map(|(action, what)| {
            let key = app
                .settings()
                .keymap
                .key_for(Context::Letter, *action)
                .map_or_else(|| action.name().to_owned(), |k| k.to_string());
            format!("{key} {what}")
        })
        .collect();
    Line::from(said.join(" · "))
}

/// The letter in full, after what to check before sending it; once saved, the question
/// whether to record it as sent.
pub(super) fn letter_text(app: &App, theme: &Theme, view: &LetterView) -> Text<'static> {
    let mut lines = Vec::new();
    if let Some(path) = &view.saved {
        lines.push(Line::from(Span::styled(
            format!("Saved to {}.", visible(&path.display().to_string())),
            theme.title(),
        )));
        lines.push(Line::from(Span::styled(
            format!(
                "Record it in the contact log as an outbound letter ({}, {})?",
                view.letter.record.kind.label(),
                view.letter.record.on,
            ),
            theme.warn(),
        )));
        lines.push(keys(
            app,
            &[(Action::Save, "record it"), (Action::Back, "not now")],
        ));
        lines.push(Line::from(""));
    } else {
        lines.push(keys(
            app,
            &[
                (Action::Save, "save it"),
                (Action::PageDown, "read on"),
                (Action::Back, "back"),
            ],
        ));
        lines.push(Line::from(""));
    }
    if !view.letter.warnings.is_empty() {
        lines.push(Line::from(Span::styled("Before sending:", theme.title())));
        for w in &view.letter.warnings {
            lines.push(Line::from(Span::styled(
                format!("• {}", visible(w)),
                theme.warn(),
            )));
        }
        lines.push(Line::from(""));
    }
    if view.letter.large_print {
        lines.push(Line::from(Span::styled(
            "Large print: save it as a Word document (docx) to print it in 18 point.",
            theme.warn(),
        )));
        lines.push(Line::from(""));
    }
    lines.push(Line::from(Span::styled("─".repeat(60), theme.dim())));
    for l in view.letter.text.lines() {
        lines.push(Line::from(visible(l).into_owned()));
    }
    lines.push(Line::from(Span::styled("─".repeat(60), theme.dim())));
    Text::from(lines)
}
