//! Drawing: a pure function of the state. Nothing here changes state or touches the store;
//! every string from the data passes through `text::visible`.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Tabs, Wrap};

use super::action::Action;
use super::app::{App, Pane};
use super::keymap::Context;
use crate::domain::enums::{DiaryStatus, InformationLevel, VictimRole, VictimStatus};
use crate::domain::model::Victim;
use crate::domain::text::{first_line, visible};

/// Below this, one line says the terminal is too small.
pub const MIN_WIDTH: u16 = 30;
pub const MIN_HEIGHT: u16 = 8;
/// From this width the three panes stand side by side.
pub const WIDE: u16 = 100;

const MASK: &str = "•••";

/// Styles that read on dark and light terminals, or none at all under `NO_COLOR`; borders
/// and masks in ASCII where the terminal is not UTF-8.
struct Theme {
    colour: bool,
    ascii: bool,
}

#[allow(
    clippy::unused_self,
    reason = "every style is asked of the theme, coloured or not"
)]
impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.colour {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    fn status(&self, s: DiaryStatus) -> Style {
        match s {
            DiaryStatus::Overdue => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            DiaryStatus::DueToday => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            DiaryStatus::DueSoon => self.fg(Color::Cyan),
            DiaryStatus::Upcoming => Style::new(),
        }
    }

    fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    fn warn(&self) -> Style {
        self.fg(Color::Magenta).add_modifier(Modifier::BOLD)
    }

    fn problem(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// A bordered block, in ASCII where the terminal wants it.
    fn block(&self) -> Block<'static> {
        if self.ascii {
            Block::bordered().border_set(super::glyphs::ASCII_BORDER)
        } else {
            Block::bordered()
        }
    }

    /// What stands for a contact detail until it is revealed.
    fn mask(&self) -> &'static str {
        if self.ascii {
            super::glyphs::ASCII_MASK
        } else {
            MASK
        }
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// Draws the whole screen; on a terminal that is not UTF-8, every cell in ASCII.
pub fn draw(frame: &mut Frame, app: &App) {
    draw_screen(frame, app);
    if app.settings().ascii {
        super::glyphs::asciify(frame.buffer_mut());
    }
}

/// The furthest the overlay on top can be scrolled on a screen of `area` before it would
/// show blank space below its last line (`None`: nothing on top scrolls by keys). Read
/// from the state, as drawing is: the loop hands it to [`App::clamp_scroll`].
pub fn scroll_limit(app: &App, area: Rect) -> Option<u16> {
    let body = Rect {
        y: area.y.saturating_add(1),
        height: area.height.saturating_sub(2),
        ..area
    };
    overlays::scroll_limit(app, app.screen().overlays.last()?, body)
}

fn draw_screen(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let theme = Theme {
        colour: app.settings().colour,
        ascii: app.settings().ascii,
    };
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!("Terminal too small: vlu needs {MIN_WIDTH}×{MIN_HEIGHT}.");
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(frame, app, &theme, header);
    if app.screen().zoomed {
        draw_pane(frame, app, &theme, app.screen().focus, body);
    } else if area.width >= WIDE {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(body);
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(right);
        draw_pane(frame, app, &theme, Pane::Caseload, left);
        draw_pane(frame, app, &theme, Pane::Diary, top);
        draw_pane(frame, app, &theme, Pane::Contacts, bottom);
    } else {
        let [tabs, pane] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
        let titles: Vec<&str> = Pane::ALL.iter().map(|p| p.title()).collect();
        let index = Pane::ALL
            .iter()
            .position(|p| *p == app.screen().focus)
            .unwrap_or(0);
        frame.render_widget(
            Tabs::new(titles)
                .select(index)
                .highlight_style(theme.selected()),
            tabs,
        );
        draw_pane(frame, app, &theme, app.screen().focus, pane);
    }
    draw_footer(frame, app, &theme, footer);
    // A pop-up stands on a cleared body: the panes' words, cut off by its border, would
    // otherwise show through beside it.
    if !app.screen().overlays.is_empty() {
        frame.render_widget(ratatui::widgets::Clear, body);
    }
    for overlay in &app.screen().overlays {
        draw_overlay(frame, app, &theme, overlay, body);
    }
}

/// Unit, officer and date on the left; the counts on the right, where a narrow terminal
/// cuts the left first.
fn draw_header(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let unit = app
        .caseload()
        .unit
        .as_ref()
        .and_then(|u| u.name.as_deref())
        .unwrap_or("vlu");
    let (overdue, today, soon) = app.counts();
    let urgent = app.diary().urgent.len();
    let mut counts = Line::from(vec![
        Span::styled(
            format!("{overdue} overdue"),
            theme.status(DiaryStatus::Overdue),
        ),
        Span::raw(" · "),
        Span::styled(
            format!("{today} today"),
            theme.status(DiaryStatus::DueToday),
        ),
        Span::raw(" · "),
        Span::styled(
            format!("{soon} this week"),
            theme.status(DiaryStatus::DueSoon),
        ),
    ]);
    if urgent > 0 {
        // An escape not yet told comes first, whatever the filters.
        counts.spans.insert(0, Span::raw(" · "));
        counts.spans.insert(
            0,
            Span::styled(
                format!("{urgent} URGENT"),
                theme.status(DiaryStatus::Overdue),
            ),
        );
    }
    let width = u16::try_from(counts.width()).unwrap_or(u16::MAX);
    let room = usize::from(area.width.saturating_sub(width.saturating_add(1)));
    let who = who_line(app, theme, unit, room);
    let width = u16::try_from(counts.width()).unwrap_or(u16::MAX);
    let [left, right] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(width.saturating_add(1)),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(who), left);
    frame.render_widget(Paragraph::new(counts).right_aligned(), right);
}

/// The header's left side in `room` columns: the unit, who is signed in, the date, who
/// else is in. Narrow, the unit's name gives way first (shortened, then gone), then the
/// officer's name (the id stays), then the weekday: who and which day always show.
fn who_line(app: &App, theme: &Theme, unit: &str, room: usize) -> Line<'static> {
    let w = |s: &str| Span::raw(s).width();
    let also = if app.screen().present.is_empty() {
        String::new()
    } else {
        format!(" · also in: {}", visible(&app.screen().present.join(", ")))
    };
    let label = visible(&officer_label(app)).into_owned();
    let date = app.settings().today.format("%a %-d %b %Y").to_string();
    let tail = format!(" · {label} · {date}{also}");
    let unit = visible(unit).into_owned();
    if w(&unit) + w(&tail) <= room {
        return Line::from(vec![Span::styled(unit, theme.title()), Span::raw(tail)]);
    }
    if w(&tail) + 6 <= room {
        let keep = room - w(&tail) - 1;
        let short: String = unit.chars().take(keep).collect();
        return Line::from(vec![
            Span::styled(format!("{short}…"), theme.title()),
            Span::raw(tail),
        ]);
    }
    let id = visible(&officer_id(app)).into_owned();
    for short in [
        format!("{label} · {date}"),
        format!("{id} · {date}"),
        format!("{id} · {}", app.settings().today.format("%-d %b %Y")),
    ] {
        if w(&short) <= room {
            return Line::from(short);
        }
    }
    Line::from(id)
}

/// What a user who is no officer of the unit (the store's owner, `root`) is called
/// wherever an officer's name would stand.
pub const NOT_AN_OFFICER: &str = "not an officer of this unit";

/// "Sara Ahmed (sahmed)" for an officer of the unit, else "root (not an officer of this
/// unit)".
fn officer_label(app: &App) -> String {
    match app
        .caseload()
        .officers
        .iter()
        .find(|o| o.id == app.settings().officer)
    {
        Some(o) => format!("{} ({})", o.name, o.id),
        None => format!("{} ({NOT_AN_OFFICER})", app.settings().officer),
    }
}

/// "sahmed" for an officer of the unit, else "root (not an officer of this unit)": never
/// a bare account name where an officer's would be.
fn officer_id(app: &App) -> String {
    if app
        .caseload()
        .officers
        .iter()
        .any(|o| o.id == app.settings().officer)
    {
        app.settings().officer.clone()
    } else {
        format!("{} ({NOT_AN_OFFICER})", app.settings().officer)
    }
}

fn draw_footer(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let line = if app.list().searching {
        Line::from(vec![
            Span::styled("Search: ", theme.title()),
            Span::raw(visible(&app.list().query).into_owned()),
            Span::raw("▏  Enter keep · Esc clear"),
        ])
    } else if let Some(m) = &app.screen().message {
        Line::from(Span::styled(visible(m).into_owned(), theme.title()))
    } else if let Some(why) = &app.screen().cut_off {
        Line::from(Span::styled(visible(why).into_owned(), theme.problem()))
    } else {
        footer_hints(app, area.width)
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The keys that work now, from the live keymap: the context's own first, then global.
fn hints(app: &App) -> Line<'static> {
    hint_line(&hint_entries(app))
}

/// The footer's hints in `width` columns. When they are cut before the help key, the help
/// key goes first: a narrow terminal still says where every key is listed.
fn footer_hints(app: &App, width: u16) -> Line<'static> {
    let mut entries = hint_entries(app);
    if let Some(at) = entries.iter().position(|(_, _, a)| *a == Action::Help)
        && hint_line(&entries[..=at]).width() > usize::from(width)
    {
        let help = entries.remove(at);
        entries.insert(0, help);
    }
    hint_line(&entries)
}

/// Each key that works now with its description and action, once per action.
fn hint_entries(app: &App) -> Vec<(String, String, Action)> {
    let context = app.context();
    let mut entries: Vec<(String, String, Action)> = Vec::new();
    let own = app.settings().keymap.bindings(context).iter();
    let global = if context == Context::Form {
        [].iter()
    } else {
        app.settings().keymap.bindings(Context::Global).iter()
    };
    for b in own.chain(global) {
        if entries.iter().any(|(_, _, a)| *a == b.action)
            || !app.offers(b.action)
            || matches!(
                b.key.code,
                crossterm::event::KeyCode::Up | crossterm::event::KeyCode::Down
            )
        {
            continue;
        }
        entries.push((b.key.to_string(), visible(&b.desc).into_owned(), b.action));
    }
    entries
}

fn hint_line(entries: &[(String, String, Action)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (key, desc, _) in entries {
        if !spans.is_empty() {
            spans.push(Span::raw(" · "));
        }
        spans.push(Span::styled(
            key.clone(),
            Style::new().add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw(format!(" {desc}")));
    }
    Line::from(spans)
}

fn pane_block(app: &App, theme: &Theme, pane: Pane, extra: &str) -> Block<'static> {
    let focused = app.screen().focus == pane && app.screen().overlays.is_empty();
    let style = if focused {
        theme.title().add_modifier(Modifier::REVERSED)
    } else {
        theme.title()
    };
    let block = theme.block().title(Line::from(Span::styled(
        format!(" {}{extra} ", pane.title()),
        style,
    )));
    // A zoomed pane says how to go back to the three.
    match app.settings().keymap.key_for(pane.context(), Action::Zoom) {
        Some(key) if app.screen().zoomed => {
            block.title(Line::from(format!(" {key}: all panes ")).right_aligned())
        }
        _ => block,
    }
}

fn draw_pane(frame: &mut Frame, app: &App, theme: &Theme, pane: Pane, area: Rect) {
    match pane {
        Pane::Caseload => draw_caseload(frame, app, theme, area),
        Pane::Diary => diary::draw_diary(frame, app, theme, area),
        Pane::Contacts => draw_contacts(frame, app, theme, area),
    }
}

/// The first row to show so that `selected` is on screen.
fn window_start(selected: usize, height: usize) -> usize {
    if height == 0 || selected < height {
        0
    } else {
        selected + 1 - height
    }
}

/// The caseload's columns; fewer on a narrow pane.
#[derive(Clone, Copy)]
enum Column {
    Victim,
    Role,
    Case,
    Status,
    Level,
    Next,
    Due,
}

impl Column {
    fn for_width(width: u16) -> &'static [Column] {
        use Column::{Case, Due, Level, Next, Role, Status, Victim};
        match width {
            100.. => &[Victim, Role, Case, Status, Level, Next, Due],
            77.. => &[Victim, Case, Status, Next, Due],
            58.. => &[Victim, Status, Next, Due],
            _ => &[Victim, Due],
        }
    }

    fn title(self) -> &'static str {
        match self {
            Column::Victim => "Victim",
            Column::Role => "Role",
            Column::Case => "Case · offender",
            Column::Status => "Status",
            Column::Level => "Level",
            Column::Next => "Next",
            Column::Due => "Due",
        }
    }

    fn width(self) -> Constraint {
        match self {
            Column::Victim => Constraint::Min(16),
            Column::Role | Column::Due => Constraint::Length(11),
            Column::Case => Constraint::Min(18),
            Column::Status | Column::Level => Constraint::Length(10),
            Column::Next => Constraint::Length(18),
        }
    }
}

fn status_short(s: VictimStatus) -> &'static str {
    match s {
        VictimStatus::Referred => "referred",
        VictimStatus::OfferSent => "offer sent",
        VictimStatus::OptedIn => "opted in",
        VictimStatus::Declined => "declined",
        VictimStatus::OptedOut => "opted out",
        VictimStatus::Closed => "closed",
    }
}

fn role_short(r: VictimRole) -> &'static str {
    match r {
        VictimRole::Victim => "victim",
        VictimRole::NextOfKin => "next of kin",
        VictimRole::ParentCarer => "parent",
        VictimRole::Representative => "rep.",
    }
}

fn level_short(v: &Victim) -> &'static str {
    match v.preferences.as_ref().and_then(|p| p.information) {
        Some(InformationLevel::ReleaseMonth) => "month only",
        Some(InformationLevel::Annual) => "annual",
        Some(InformationLevel::KeyStages) => "key stages",
        None => "—",
    }
}

fn draw_caseload(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let mut filters = Vec::new();
    if app.list().mine_only {
        filters.push("mine".to_owned());
    }
    if let Some(o) = &app.list().officer_filter {
        filters.push(format!("{}'s", visible(o)));
    }
    if let Some(s) = app.list().status_filter {
        filters.push(s.label().to_owned());
    }
    if app.list().unanswered_only {
        filters.push("never answered, release within 12 months".to_owned());
    }
    if !app.list().query.is_empty() {
        filters.push(format!("“{}”", visible(&app.list().query)));
    }
    let (before, shown) = app.list_span();
    let extra = format!(
        " — {} of {}{}",
        shown,
        app.victims_in_unit(),
        if filters.is_empty() {
            String::new()
        } else {
            format!(" ({})", filters.join(", "))
        }
    );
    let block = pane_block(app, theme, Pane::Caseload, &extra);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = inner.height.saturating_sub(1) as usize;
    // Places in the whole list: thin screens hold only the rows around the selection.
    let start = window_start(before + app.list().selected, height).saturating_sub(before);
    let columns = Column::for_width(inner.width);
    let rows: Vec<Row> = app
        .list()
        .rows
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(pos, &i)| {
            let v = &app.caseload().victims[i];
            let case = app.case_of(v);
            let offender = case.map_or(String::new(), |c| visible(&c.offender.name).into_owned());
            let (next, due, style) = match app.next_reminder(i) {
                Some(r) => (r.label(), day(r.due), theme.status(app.status_of(r.due))),
                None => ("", String::new(), Style::new()),
            };
            let cells: Vec<Cell> = columns
                .iter()
                .map(|c| match c {
                    // A risk on record marks the name.
                    Column::Victim if v.risk.is_some() => {
                        Cell::from(format!("⚠ {}", visible(&v.name)))
                    }
                    Column::Victim => Cell::from(visible(&v.name).into_owned()),
                    Column::Role => Cell::from(role_short(v.role)),
                    Column::Case => Cell::from(format!("{} · {offender}", visible(&v.case_id))),
                    Column::Status => Cell::from(status_short(v.status)),
                    Column::Level => Cell::from(level_short(v)),
                    Column::Next => Cell::from(next),
                    Column::Due => Cell::from(Span::styled(due.clone(), style)),
                })
                .collect();
            let row = Row::new(cells);
            if pos == app.list().selected {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    let widths: Vec<Constraint> = columns.iter().map(|c| c.width()).collect();
    let header = Row::new(columns.iter().map(|c| c.title())).style(theme.title());
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        inner,
    );
}

fn draw_contacts(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let who = app
        .selected_victim()
        .map_or(String::new(), |v| format!(" — {}", visible(&v.name)));
    let block = pane_block(app, theme, Pane::Contacts, &who);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let list = app.contacts_newest_first();
    if list.is_empty() {
        frame.render_widget(Paragraph::new("No contacts logged."), inner);
        return;
    }
    let height = inner.height as usize;
    let start = window_start(app.screen().contacts_selected, height);
    let lines: Vec<Line> = list
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(pos, (i, c))| {
            // The entry's number in the log: what a letter names as the call it follows.
            let line = Line::from(format!(
                "{:<4}{} {:5} {:<18} {:<7} {:<8} {:<8} {}",
                format!("#{}", i + 1),
                c.on,
                c.at.as_deref()
                    .map_or(String::new(), |t| visible(t).into_owned()),
                c.kind.label(),
                c.method.as_str(),
                c.direction.as_str(),
                c.by.as_deref()
                    .map_or(String::new(), |b| visible(b).into_owned()),
                c.to.as_deref()
                    .map_or(String::new(), |t| format!("to {}: ", first_line(t)))
                    + &c.summary
                        .as_deref()
                        .map_or(String::new(), |s| first_line(s).into_owned()),
            ));
            if pos == app.screen().contacts_selected {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(Text::from(lines)), inner);
}

mod admin;
mod casework;
mod diary;
mod form;
mod letters;
mod overlays;
mod report;
use overlays::draw_overlay;
