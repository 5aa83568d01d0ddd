//! A form drawn: each field with its label, the cursor in the focused one, problems beside
//! their fields, and the list open on a long choice.

use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};

use super::{Theme, hints};
use crate::domain::text::visible;
use crate::tui::app::App;
use crate::tui::form::{FieldKind, Form};

/// The form's lines, and the line its focused field starts on.
pub(super) fn form_text(app: &App, theme: &Theme, form: &Form) -> (Text<'static>, usize) {
    let mut lines = Vec::new();
    let mut focus_line = 0;
    // The labels' column: as wide as the longest label and a space (16 at the least).
    let width = form
        .fields
        .iter()
        .map(|f| f.label.chars().count() + 1)
        .max()
        .unwrap_or(0)
        .max(16);
    let indent = width + 2;
    for (i, f) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        if focused {
            focus_line = lines.len();
        }
        let marker = if focused { "▸ " } else { "  " };
        let value = match &f.kind {
            FieldKind::Choice(_) if f.value().is_empty() => "‹ none ›".to_owned(),
            FieldKind::Choice(_) if focused && f.has_list() && f.list().is_none() => {
                format!("‹ {} ›  (type to search)", f.shown())
            }
            FieldKind::Choice(_) => format!("‹ {} ›", f.shown()),
            _ if focused => {
                // The cursor, drawn as a thin bar at its line and character.
                let (row, col) = f.cursor();
                let mut lines: Vec<String> = f.value().split('\n').map(str::to_owned).collect();
                if let Some(line) = lines.get_mut(row) {
                    let at = line.char_indices().nth(col).map_or(line.len(), |(b, _)| b);
                    line.insert(at, '▏');
                }
                lines.join("\n")
            }
            _ => f.value().to_owned(),
        };
        let mut value_lines = value.split('\n');
        let first = visible(value_lines.next().unwrap_or("")).into_owned();
        let label = Span::styled(
            format!("{marker}{:<width$}", f.label),
            if focused { theme.title() } else { Style::new() },
        );
        lines.push(Line::from(vec![label, Span::raw(first)]));
        for more in value_lines {
            lines.push(Line::from(format!("{:indent$}{}", "", visible(more))));
        }
        if let Some(p) = &f.problem {
            lines.push(Line::from(Span::styled(
                format!("{:indent$}{}", "", visible(p)),
                theme.problem(),
            )));
        }
        if focused && let Some(at) = choice_list(theme, f, indent, &mut lines) {
            focus_line = at;
        }
    }
    lines.push(Line::from(""));
    lines.push(hints(app));
    (Text::from(lines), focus_line)
}

/// The most matches a choice's list shows at once, around the chosen one.
const LISTED: usize = 8;

/// The list open on a long choice, under its field: what was typed, then the matches, the
/// chosen one highlighted. The line of the chosen one, to keep in sight.
fn choice_list(
    theme: &Theme,
    f: &crate::tui::form::Field,
    indent: usize,
    lines: &mut Vec<Line<'static>>,
) -> Option<usize> {
    let list = f.list()?;
    lines.push(Line::from(vec![
        Span::raw(format!("{:indent$}", "")),
        Span::styled("type to narrow: ", theme.dim()),
        Span::raw(format!("{}▏", visible(&list.typed))),
    ]));
    let matches = f.matches();
    if matches.is_empty() {
        lines.push(Line::from(format!(
            "{:indent$}nothing matches · Esc keeps {}",
            "",
            visible(f.shown())
        )));
        return Some(lines.len() - 1);
    }
    let start = super::window_start(list.selected, LISTED);
    let mut chosen = lines.len();
    for (i, (id, words)) in matches.iter().enumerate().skip(start).take(LISTED) {
        let text = if id == words || id.is_empty() {
            format!("{:indent$}{}", "", visible(words))
        } else {
            format!("{:indent$}{} ({})", "", visible(words), visible(id))
        };
        if i == list.selected {
            chosen = lines.len();
            lines.push(Line::from(Span::styled(text, theme.selected())));
        } else {
            lines.push(Line::from(text));
        }
    }
    let more = matches.len().saturating_sub(start + LISTED);
    if more > 0 {
        lines.push(Line::from(format!("{:indent$}… and {more} more", "")));
    }
    lines.push(Line::from(Span::styled(
        format!("{:indent$}↑/↓ · Enter pick · Esc keep", ""),
        theme.dim(),
    )));
    Some(chosen)
}
