//! The monitoring return over the panes: the headline figures (scrolled with the arrows), a
//! bar chart of the items overdue at each week's end over the last year, and one of the
//! items overdue per officer on the period's last day — the trend at a glance.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, Clear, Paragraph};

use super::{Theme, WIDE, day};
use crate::domain::report::{NO_RESPONSE_MONTHS, Report};
use crate::domain::rules::LeadTimes;
use crate::domain::text::{shortened, visible};
use crate::tui::app::{App, ReportView};

/// Bars in ASCII, for a terminal that is not UTF-8: `#` from five eighths up, `=` from three,
/// `_` below.
const ASCII_BARS: symbols::bar::Set<'static> = symbols::bar::Set {
    full: "#",
    seven_eighths: "#",
    three_quarters: "#",
    five_eighths: "#",
    half: "=",
    three_eighths: "=",
    one_quarter: "_",
    one_eighth: "_",
    empty: " ",
};

/// The bar set for the terminal.
fn bar_set(theme: &Theme) -> symbols::bar::Set<'static> {
    if theme.ascii {
        ASCII_BARS
    } else {
        symbols::bar::NINE_LEVELS
    }
}

/// Columns the figures take beside the charts on a wide screen.
const FIGURES_WIDTH: u16 = 58;

pub(super) fn draw_report(
    frame: &mut Frame,
    app: &App,
    theme: &Theme,
    view: &ReportView,
    area: Rect,
) {
    let r = &view.report;
    // The whole body: the charts need the width, and nothing of the panes should show.
    let rect = area;
    frame.render_widget(Clear, rect);
    let whose = r.officer.as_deref().map_or_else(
        || "all officers".to_owned(),
        |o| format!("officer {}", visible(o)),
    );
    let title = format!(
        " Monitoring return · {} to {} · {whose} ",
        day(r.from),
        day(r.to)
    );
    let block = theme.block().title(Span::styled(title, theme.title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let officers = u16::try_from(r.overdue.by_officer.len()).unwrap_or(u16::MAX);
    let (figures, weekly, by_officer) = if inner.width >= WIDE {
        let [left, right] =
            Layout::horizontal([Constraint::Length(FIGURES_WIDTH), Constraint::Min(10)])
                .areas(inner);
        let officer_height = officers.saturating_add(2).clamp(3, right.height / 2);
        let [weekly, by_officer] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(officer_height)]).areas(right);
        (left, weekly, by_officer)
    } else {
        // Narrow: the charts above the figures, smaller as the terminal is lower, and gone
        // when there is no room for them and the figures.
        let chart = match inner.height {
            24.. => 9,
            16.. => 6,
            _ => 0,
        };
        let officer_height = if chart == 0 {
            0
        } else {
            officers.saturating_add(2).clamp(3, chart)
        };
        let [weekly, by_officer, figures] = Layout::vertical([
            Constraint::Length(chart),
            Constraint::Length(officer_height),
            Constraint::Min(1),
        ])
        .areas(inner);
        (figures, weekly, by_officer)
    };
    frame.render_widget(
        Paragraph::new(figure_lines(r, app.lead(), theme)).scroll((app.screen().overlay_scroll, 0)),
        figures,
    );
    draw_weekly(frame, theme, r, weekly);
    draw_by_officer(frame, theme, r, by_officer);
}

/// Overdue items at each week's end: one bar a week, as many of the latest weeks as fit.
fn draw_weekly(frame: &mut Frame, theme: &Theme, r: &Report, area: Rect) {
    if area.height < 3 || r.overdue_by_week.is_empty() {
        return;
    }
    let room = usize::from(area.width.saturating_sub(2)).max(1);
    let weeks = &r.overdue_by_week[r.overdue_by_week.len().saturating_sub(room)..];
    let n = u16::try_from(weeks.len()).unwrap_or(u16::MAX).max(1);
    let width = area.width.saturating_sub(2);
    let gap = u16::from(width >= n.saturating_mul(2).saturating_sub(1));
    let bar_width = (width.saturating_sub(n.saturating_sub(1) * gap) / n).max(1);
    let most = weeks.iter().map(|w| w.items).max().unwrap_or(0);
    let (first, last) = (weeks[0].week_ending, weeks[weeks.len() - 1].week_ending);
    let now = weeks[weeks.len() - 1].items;
    let bars: Vec<Bar> = weeks
        .iter()
        .map(|w| {
            let bar = Bar::new(u64::from(w.items));
            // A figure shows on its bar only where the bar is wide enough to hold it.
            if bar_width < 4 {
                bar.text_value(String::new())
            } else {
                bar
            }
        })
        .collect();
    let title = format!(
        " Overdue at each week's end: now {now}, at most {most} · {} to {} ",
        day(first),
        day(last)
    );
    let chart = BarChart::new(bars)
        .block(theme.block().title(Span::styled(title, theme.title())))
        .bar_width(bar_width)
        .bar_gap(gap)
        .bar_set(bar_set(theme))
        .bar_style(theme.fg(Color::Red))
        .value_style(theme.fg(Color::Red).add_modifier(Modifier::REVERSED));
    frame.render_widget(chart, area);
}

/// Overdue items on the period's last day, an officer a line.
fn draw_by_officer(frame: &mut Frame, theme: &Theme, r: &Report, area: Rect) {
    if area.height < 3 {
        return;
    }
    let title = format!(" Overdue on {}, by officer ", day(r.overdue.date));
    let block = theme.block().title(Span::styled(title, theme.title()));
    if r.overdue.by_officer.is_empty() {
        frame.render_widget(Paragraph::new("Nothing is overdue.").block(block), area);
        return;
    }
    let bars: Vec<Bar> = r
        .overdue
        .by_officer
        .iter()
        .map(|o| {
            let who = o
                .officer
                .as_deref()
                .map_or_else(|| "not allocated".to_owned(), |id| shortened(id, 16));
            Bar::with_label(who, u64::from(o.items))
                .text_value(o.items.to_string())
                .value_style(Style::new().add_modifier(Modifier::BOLD))
        })
        .collect();
    let chart = BarChart::horizontal(bars)
        .block(block)
        .bar_width(1)
        .bar_gap(0)
        .bar_set(bar_set(theme))
        .bar_style(theme.fg(Color::Red))
        .direction(Direction::Horizontal);
    frame.render_widget(chart, area);
}

/// A figure and its label, aligned for the figures' column.
fn figure(label: &str, value: impl std::fmt::Display) -> Line<'static> {
    Line::from(format!("  {label:<44} {value:>7}"))
}

fn heading(text: &str, theme: &Theme) -> Line<'static> {
    Line::from(Span::styled(text.to_owned(), theme.title()))
}

/// The headline figures and the equality breakdown, as the text return words them.
fn figure_lines(r: &Report, lead: &LeadTimes, theme: &Theme) -> Vec<Line<'static>> {
    let percent = r
        .offers_in_time_percent
        .map_or_else(|| "—".to_owned(), |p| format!("{p}%"));
    let median = r
        .median_working_days_to_offer
        .map_or_else(|| "—".to_owned(), |m| m.to_string());
    let mut l = vec![
        heading("Referrals and offers", theme),
        figure("Victims referred", r.referred),
        figure(
            &format!(
                "Initial offers due ({} working days)",
                lead.initial_offer_working_days
            ),
            r.offers_due,
        ),
        figure("  made in time", r.offers_in_time),
        figure("  in time", percent),
        figure(
            &format!("Median working days to offer ({})", r.first_offers),
            median,
        ),
        Line::from(""),
        heading("Victims' decisions", theme),
        figure("Opted in", r.opted_in),
        figure("Declined", r.declined),
        figure("Opted out", r.opted_out),
        figure(
            &format!("No answer to a second offer ({NO_RESPONSE_MONTHS} months)"),
            r.no_response,
        ),
        Line::from(""),
        heading("Keeping in touch", theme),
        figure("Annual letters due", r.annual_letters_due),
        figure("  sent on time", r.annual_letters_on_time),
        figure(
            &format!(
                "Written follow-ups due ({} working days)",
                lead.written_follow_up_working_days
            ),
            r.follow_ups_due,
        ),
        figure("  sent on time", r.follow_ups_on_time),
        figure("Complaints received", r.complaints),
        figure(
            &format!(
                "  acknowledged in {} working days",
                lead.complaint_ack_working_days
            ),
            r.complaints_acknowledged_in_time,
        ),
        Line::from(""),
        heading(
            &format!("Overdue on {}: {}", day(r.overdue.date), r.overdue.total),
            theme,
        ),
    ];
    l.extend(
        r.overdue
            .by_kind
            .iter()
            .filter(|k| k.items > 0)
            .map(|k| figure(k.kind.label(), k.items)),
    );
    l.push(Line::from(""));
    l.push(heading("Equality: referred / opted in", theme));
    l.extend(equality_lines(r));
    l.push(Line::from(""));
    l.push(Line::from(Span::styled(
        "<5: one to four victims. *: withheld so that no small group can be worked out.",
        theme.dim(),
    )));
    l
}

/// The equality breakdown's lines, or why the return gives none.
fn equality_lines(r: &Report) -> Vec<Line<'static>> {
    let mut l = Vec::new();
    if let Some(why) = &r.equality_withheld {
        // In lines that fit the pane beside the charts.
        let mut line = String::from("  Not given.");
        for word in why.split(' ') {
            if line.len() + word.len() > 54 {
                l.push(Line::from(std::mem::replace(&mut line, "  ".into())));
            }
            line.push(' ');
            line.push_str(word);
        }
        l.push(Line::from(line));
    } else if r.equality.is_empty() {
        l.push(Line::from("  No protected characteristic is recorded."));
    }
    for c in &r.equality {
        l.push(Line::from(format!(
            "  {:<38} {:>7} {:>7}",
            c.characteristic.replace('_', " "),
            "referred",
            "opted in"
        )));
        for g in &c.groups {
            l.push(Line::from(format!(
                "    {:<36} {:>7} {:>7}",
                shortened(&g.value, 36),
                g.referred.to_string(),
                g.opted_in.to_string()
            )));
        }
    }
    l
}
