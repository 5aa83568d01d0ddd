//! The diary pane: its groups, each with a fair share of the lines, the selection kept in
//! sight, and the selected item spelt out in full when the pane has the focus.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Theme, day, pane_block, window_start};
use crate::domain::enums::DiaryStatus;
use crate::domain::text::{first_line, visible};
use crate::tui::app::{App, Pane};

/// One line of the diary pane, before it is drawn.
enum DiaryLine {
    /// A group's heading: its status, how many are due, how many of it are snoozed (counted
    /// apart, as the header counts), and how many of its items are not held (thin screens
    /// hold those around the selection), above and below those that are.
    Heading(DiaryStatus, usize, usize, Unheld),
    Item(usize),
    /// The key dates' heading, and how many of them are not held.
    DatesHeading(Unheld),
    Date(usize),
    Empty,
    /// The unit's urgent items, above everything whatever the filters: the heading, and
    /// each item (its place in `urgent`).
    UrgentHeading(usize),
    Urgent(usize),
}

/// A section's lines not held, above and below those that are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Unheld(usize, usize);

pub(super) fn draw_diary(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let block = pane_block(
        app,
        theme,
        Pane::Diary,
        &format!(" — next {} days", app.diary().horizon),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // The outline of every line is cheap; spans are built only for the lines on screen.
    let mut outline =
        Vec::with_capacity(app.diary().items.len() + app.diary().key_dates_ahead.len() + 8);
    let mut selected_line = 0;
    let mut pos = 0;
    let urgent = app.diary().urgent.len();
    if urgent > 0 {
        outline.push(DiaryLine::UrgentHeading(urgent));
        outline.extend((0..urgent).map(DiaryLine::Urgent));
    }
    for span in app.diary_spans() {
        outline.push(DiaryLine::Heading(
            span.status,
            span.len - span.snoozed,
            span.snoozed,
            Unheld(span.before, span.after()),
        ));
        for _ in 0..span.held {
            if pos == app.diary().selected {
                selected_line = outline.len();
            }
            outline.push(DiaryLine::Item(pos));
            pos += 1;
        }
    }
    if app.diary().items.is_empty() {
        outline.push(DiaryLine::Empty);
    }
    let dates = app.diary().key_dates_ahead.len();
    if dates > 0 {
        outline.push(DiaryLine::DatesHeading(Unheld(
            0,
            app.key_dates_total().saturating_sub(dates),
        )));
        outline.extend((0..dates).map(DiaryLine::Date));
    }
    // When the pane has the focus, its last two lines spell out the selected item in full:
    // a narrow pane cuts the list's lines, and the sensitive-date label matters most.
    let focused =
        app.screen().focus == Pane::Diary && app.screen().overlays.is_empty() && inner.height > 4;
    let [list_area, detail_area] = if focused {
        Layout::vertical([Constraint::Min(1), Constraint::Length(2)]).areas(inner)
    } else {
        [inner, Rect::default()]
    };
    let height = list_area.height as usize;
    let lines: Vec<Line> = fit(&outline, selected_line, height)
        .into_iter()
        .map(|row| match row {
            Shown::More(0, below) => Line::from(format!("   … and {below} more")),
            Shown::More(above, 0) => Line::from(format!("   … and {above} more above")),
            Shown::More(above, below) => {
                Line::from(format!("   … {above} more above, {below} below"))
            }
            Shown::Line(at) => outline_line(app, theme, &outline[at]),
        })
        .collect();
    frame.render_widget(Paragraph::new(Text::from(lines)), list_area);
    draw_diary_detail(frame, app, theme, focused, detail_area);
}

/// What the diary pane draws on one of its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// A line of the outline.
    Line(usize),
    /// "… and N more" for a group's items that do not fit: how many are above the ones
    /// shown (the selection has moved down the group), and how many below.
    More(usize, usize),
}

/// The outline's lines that fit in `height`, the selected one among them. When everything
/// does not fit, each group keeps its heading and a fair share of its items (the selected
/// one's share around the selection), with a line saying how many more there are: a long
/// overdue list no longer hides what is due today and this week.
fn fit(outline: &[DiaryLine], selected: usize, height: usize) -> Vec<Shown> {
    // Sections: a heading's place, the places of the lines under it, and its lines not held.
    let mut sections: Vec<(usize, Vec<usize>, Unheld)> = Vec::new();
    for (at, line) in outline.iter().enumerate() {
        match line {
            DiaryLine::Heading(.., unheld) | DiaryLine::DatesHeading(unheld) => {
                sections.push((at, Vec::new(), *unheld));
            }
            DiaryLine::UrgentHeading(_) | DiaryLine::Empty => {
                sections.push((at, Vec::new(), Unheld::default()));
            }
            _ => match sections.last_mut() {
                Some((_, lines, _)) => lines.push(at),
                None => sections.push((at, Vec::new(), Unheld::default())),
            },
        }
    }
    let all_held = sections.iter().all(|(.., u)| *u == Unheld::default());
    if outline.len() <= height && all_held {
        return (0..outline.len()).map(Shown::Line).collect();
    }
    let rows_for = |share: usize| -> usize {
        sections
            .iter()
            .map(|(_, lines, unheld)| {
                1 + lines.len().min(share)
                    + usize::from(lines.len() > share || *unheld != Unheld::default())
            })
            .sum()
    };
    if rows_for(0) > height {
        // Not even the headings fit: a window that keeps the selection in sight.
        let start = window_start(selected, height);
        return (start..outline.len().min(start + height))
            .map(Shown::Line)
            .collect();
    }
    let mut share = 0;
    while rows_for(share + 1) <= height && share < outline.len() {
        share += 1;
    }
    // Rows the even share leaves over go to the groups in order (the most urgent first); a
    // group shown whole needs no "more" line, which frees that row too.
    let mut left_over = height - rows_for(share);
    let mut rows = Vec::with_capacity(height);
    for (heading, lines, unheld) in &sections {
        rows.push(Shown::Line(*heading));
        let mut shown = lines.len().min(share);
        let hidden = lines.len() - shown;
        // Showing the rest frees the "more" line, unless lines not held still need it.
        let freed = usize::from(*unheld == Unheld::default());
        if hidden > 0 && hidden <= left_over + freed {
            left_over -= hidden - freed;
            shown = lines.len();
        } else if hidden > 0 {
            shown += left_over;
            left_over = 0;
        }
        let from = match lines.iter().position(|&l| l == selected) {
            Some(at) if at >= shown => at + 1 - shown,
            _ => 0,
        };
        rows.extend(lines[from..from + shown].iter().map(|&l| Shown::Line(l)));
        let (above, below) = (from + unheld.0, lines.len() - shown - from + unheld.1);
        if above + below > 0 {
            rows.push(Shown::More(above, below));
        }
    }
    rows
}

/// One line of the diary's outline, drawn.
fn outline_line(app: &App, theme: &Theme, line: &DiaryLine) -> Line<'static> {
    match line {
        DiaryLine::Heading(status, due, snoozed, _) => Line::from(Span::styled(
            if *snoozed == 0 {
                format!("{} ({due})", status.label())
            } else {
                format!("{} ({due}; {snoozed} snoozed)", status.label())
            },
            theme.status(*status),
        )),
        DiaryLine::Item(pos) => diary_item_line(app, theme, *pos),
        DiaryLine::UrgentHeading(n) => Line::from(Span::styled(
            format!("URGENT ({n}): call now, whoever's victim"),
            theme.status(DiaryStatus::Overdue),
        )),
        DiaryLine::Urgent(i) => {
            let r = &app.diary().urgent[*i].reminder;
            let name = app
                .victim_by_id(&r.victim_id)
                .map_or("", |v| app.caseload().victims[v].name.as_str());
            Line::from(Span::styled(
                format!(
                    " {:>11}   {} ({}) — {}",
                    day(r.due),
                    visible(name),
                    visible(&r.victim_id),
                    r.action()
                ),
                theme.status(DiaryStatus::Overdue),
            ))
        }
        DiaryLine::Empty => Line::from("Nothing overdue or due in this horizon."),
        DiaryLine::DatesHeading(_) => Line::from(Span::styled("Key sentence dates", theme.title())),
        DiaryLine::Date(i) => {
            let (d, case, kind) = app.diary().key_dates_ahead[*i];
            let c = &app.caseload().cases[case];
            Line::from(format!(
                " {:>11}   {} ({}) — {}",
                day(d),
                visible(&c.id),
                visible(&c.offender.name),
                kind.label()
            ))
        }
    }
}

/// The focused diary's last two lines: the selected item in full.
fn draw_diary_detail(frame: &mut Frame, app: &App, theme: &Theme, focused: bool, area: Rect) {
    if let (true, Some(item)) = (focused, app.diary().items.get(app.diary().selected)) {
        let r = &item.reminder;
        let name = app
            .victim_by_id(&r.victim_id)
            .map_or("", |i| app.caseload().victims[i].name.as_str());
        let mut spans = Vec::new();
        if let Some(label) = &r.sensitive {
            spans.push(Span::styled(
                format!("⚠ near {} · ", visible(label)),
                theme.warn(),
            ));
        }
        spans.push(Span::styled(
            format!("{} ({}): ", visible(name), visible(&r.victim_id)),
            theme.title(),
        ));
        spans.push(Span::raw(format!("{} — due {}", r.action(), day(r.due))));
        frame.render_widget(
            Paragraph::new(Line::from(spans)).wrap(Wrap { trim: true }),
            area,
        );
    }
}

fn diary_item_line(app: &App, theme: &Theme, pos: usize) -> Line<'static> {
    let item = &app.diary().items[pos];
    let r = &item.reminder;
    let name = app
        .victim_by_id(&r.victim_id)
        .map_or("", |i| app.caseload().victims[i].name.as_str());
    let mut spans = vec![
        Span::styled(format!(" {:>11} ", day(r.due)), theme.status(item.status)),
        Span::raw(if r.sensitive.is_some() { "⚠ " } else { "  " }),
        Span::raw(format!("{} — {}", visible(name), r.action())),
    ];
    let snoozed = app.snoozed(r);
    if let Some(s) = snoozed {
        spans.push(Span::raw(format!(
            " (snoozed to {}: {})",
            day(s.until),
            first_line(&s.reason)
        )));
    }
    if pos == app.diary().selected
        && let Some(label) = &r.sensitive
    {
        spans.push(Span::styled(
            format!(" near: {}", visible(label)),
            theme.warn(),
        ));
    }
    let mut line = Line::from(spans);
    if snoozed.is_some() {
        line = line.style(theme.dim());
    }
    if pos == app.diary().selected {
        line = line.patch_style(theme.selected());
    }
    line
}
