//! What is drawn over the panes: the victim view, a contact entry, a form, the help and
//! notices.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::{Theme, day};
use crate::domain::enums::InformationLevel;
use crate::domain::model::{Case, Contact, ContactDetails, Victim};
use crate::domain::text::{first_line, visible};
use crate::tui::app::{App, Overlay};
use crate::tui::form::Form;
use crate::tui::keymap::Context;

/// A rectangle centred in `area`, `w`% wide and `h`% high.
fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let width = (area.width.saturating_mul(w) / 100).max(area.width.min(24));
    let height = (area.height.saturating_mul(h) / 100).max(area.height.min(6));
    Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    }
}

/// An overlay laid out: its title, its text, where it stands, how far it is scrolled.
struct Laid {
    title: String,
    text: Text<'static>,
    rect: Rect,
    scroll: u16,
}

/// Overlays that scroll by the user's keys (`App::overlay_scroll`).
fn scrolled_by_keys(overlay: &Overlay) -> bool {
    matches!(
        overlay,
        Overlay::Victim { .. }
            | Overlay::Entry(_)
            | Overlay::Letter(_)
            | Overlay::Admin(_)
            | Overlay::Help
    )
}

/// The furthest the top overlay can be scrolled in `area` (the screen's body) before its
/// last line leaves the bottom of its box: scrolled further, it would show blank space.
/// `None`: it does not scroll by keys.
pub fn scroll_limit(app: &App, overlay: &Overlay, area: Rect) -> Option<u16> {
    if !scrolled_by_keys(overlay) {
        return None;
    }
    let theme = Theme {
        colour: app.settings().colour,
        ascii: app.settings().ascii,
    };
    let laid = laid_out(app, &theme, overlay, area)?;
    let lines = Paragraph::new(laid.text)
        .wrap(Wrap { trim: false })
        .line_count(laid.rect.width.saturating_sub(2));
    let room = usize::from(laid.rect.height.saturating_sub(2));
    Some(u16::try_from(lines.saturating_sub(room)).unwrap_or(u16::MAX))
}

pub(super) fn draw_overlay(
    frame: &mut Frame,
    app: &App,
    theme: &Theme,
    overlay: &Overlay,
    area: Rect,
) {
    if let Overlay::Report(view) = overlay {
        super::report::draw_report(frame, app, theme, view, area);
        return;
    }
    let limit = scroll_limit(app, overlay, area);
    let Some(Laid {
        title,
        text,
        rect,
        scroll,
    }) = laid_out(app, theme, overlay, area)
    else {
        return;
    };
    // Never past the last line, however far the keys asked.
    let scroll = limit.map_or(scroll, |l| scroll.min(l));
    frame.render_widget(Clear, rect);
    let mut block = theme.block().title(Span::styled(title, theme.title()));
    // A form's own problem (a failed save, "throw away what was typed?") stays in sight
    // however far a long form is scrolled.
    if let Overlay::Form(Form {
        problem: Some(p), ..
    }) = overlay
    {
        block = block.title_bottom(Span::styled(format!(" {} ", visible(p)), theme.problem()));
    }
    frame.render_widget(
        Paragraph::new(text)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        rect,
    );
}

/// Each overlay's title, text, place and scroll. Long because it is one match with an arm
/// for each kind of overlay; each arm's text is worked out elsewhere.
fn laid_out(app: &App, theme: &Theme, overlay: &Overlay, area: Rect) -> Option<Laid> {
    let mut scroll = if scrolled_by_keys(overlay) {
        app.screen().overlay_scroll
    } else {
        0
    };
    let (title, text, rect) = match overlay {
        Overlay::Report(_) => return None,
        Overlay::Help => (
            " Keys ".to_owned(),
            help_text(app, theme),
            centred(area, 80, 90),
        ),
        Overlay::Notice(lines) => {
            let mut text: Vec<Line> = vec![Line::from(
                "The keymap has problems; vlu runs on the defaults:",
            )];
            text.extend(
                lines
                    .iter()
                    .map(|l| Line::from(Span::styled(visible(l).into_owned(), theme.problem()))),
            );
            text.push(Line::from("Press any key to go on."));
            (
                " Keymap ".to_owned(),
                Text::from(text),
                centred(area, 80, 60),
            )
        }
        // The whole record, once the store has given it; until then (or if it cannot) the
        // summary the list holds.
        Overlay::Victim { revealed } => match app.whole_victim().or(app.selected_victim()) {
            Some(v) => (
                format!(" {} ", visible(&v.name)),
                victim_text(app, theme, v, *revealed),
                centred(area, 94, 96),
            ),
            None => return None,
        },
        Overlay::Entry(index) => match app.whole_victim().and_then(|v| v.contacts.get(*index)) {
            Some(c) => (" Contact ".to_owned(), entry_text(c), centred(area, 80, 70)),
            None => return None,
        },
        Overlay::Form(form) => {
            let (text, focus_line) = super::form::form_text(app, theme, form);
            let rect = centred(area, 80, 90);
            // A long form (a whole record) scrolls to keep the focused field in sight.
            let inner = usize::from(rect.height.saturating_sub(2)).max(1);
            let below = 3.min(inner / 3);
            scroll = u16::try_from((focus_line + 1 + below).saturating_sub(inner)).unwrap_or(0);
            (format!(" {} ", form.title), text, rect)
        }
        Overlay::Workload(view) => {
            let rect = centred(area, 80, 70);
            let room = usize::from(rect.height.saturating_sub(5)).max(1);
            scroll = u16::try_from((view.selected + 1).saturating_sub(room)).unwrap_or(0);
            (
                format!(" Workload — sorted by {} ", view.sort.label()),
                workload_text(app, theme, view),
                rect,
            )
        }
        Overlay::LetterPicker(picker) => {
            let rect = centred(area, 70, 90);
            // The chosen line kept in the box: two lines of heading, two of border.
            let room = usize::from(rect.height.saturating_sub(4)).max(1);
            scroll = u16::try_from((picker.selected + 1).saturating_sub(room)).unwrap_or(0);
            (
                format!(" Write a letter — {} ", visible(&picker.victim)),
                super::letters::picker_text(app, theme, picker),
                rect,
            )
        }
        Overlay::Admin(view) => {
            let (title, text) = super::admin::admin_text(app, theme, view);
            (title, text, centred(area, 94, 96))
        }
        Overlay::Letter(view) => (
            format!(
                " {} — {} ",
                letter_title(view.letter.kind),
                visible(&view.letter.victim)
            ),
            super::letters::letter_text(app, theme, view),
            centred(area, 94, 96),
        ),
    };
    Some(Laid {
        title,
        text,
        rect,
        scroll,
    })
}

/// A letter's kind as a title: "Annual letter", "Initial offer letter" (never "Annual
/// letter letter").
pub(super) fn letter_title(kind: crate::domain::enums::LetterKind) -> String {
    let words = crate::domain::text::upper_first(kind.label());
    if words.ends_with("letter") {
        words
    } else {
        format!("{words} letter")
    }
}

/// One contact-log entry in full.
fn entry_text(c: &Contact) -> Text<'static> {
    let mut lines = vec![
        Line::from(format!(
            "{} {}",
            c.on,
            c.at.as_deref()
                .map_or(String::new(), |t| visible(t).into_owned())
        )),
        Line::from(format!(
            "{} by {}, {}",
            c.kind.label(),
            c.method.label(),
            c.direction.label()
        )),
        Line::from(format!(
            "Logged by {}",
            c.by.as_deref().map_or("—".into(), visible)
        )),
    ];
    if let Some(k) = c.key_date {
        lines.push(Line::from(format!("About the {}", k.label())));
    }
    lines.push(Line::from(""));
    for l in c.summary.as_deref().unwrap_or("").split('\n') {
        lines.push(Line::from(visible(l).into_owned()));
    }
    Text::from(lines)
}

/// Every binding of the live keymap, a paragraph per context so that it fits small terminals.
fn help_text(app: &App, theme: &Theme) -> Text<'static> {
    let mut lines = Vec::new();
    for context in Context::ALL {
        // Only what is offered to this user: an administrator's keys to administrators.
        let bindings: Vec<_> = app
            .settings()
            .keymap
            .bindings(*context)
            .iter()
            .filter(|b| app.offers(b.action))
            .collect();
        if bindings.is_empty() {
            continue;
        }
        let mut spans = vec![Span::styled(format!("{}: ", context.name()), theme.title())];
        for (i, b) in bindings.iter().enumerate() {
            if i > 0 {
                spans.push(Span::raw(" · "));
            }
            spans.push(Span::styled(
                b.key.to_string(),
                Style::new().add_modifier(Modifier::BOLD),
            ));
            spans.push(Span::raw(format!(" {}", visible(&b.desc))));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from("↑/↓ scroll · any other key closes this."));
    Text::from(lines)
}

fn level_plain(v: &Victim) -> &'static str {
    match v.preferences.as_ref().and_then(|p| p.information) {
        Some(InformationLevel::ReleaseMonth) => "release month only — never give the exact date",
        Some(InformationLevel::Annual) => "an annual letter, and told of release",
        Some(InformationLevel::KeyStages) => "every key stage",
        None => "not recorded — treated as every key stage",
    }
}

fn details(theme: &Theme, d: Option<&ContactDetails>, revealed: bool) -> String {
    let Some(d) = d else {
        return "none recorded".into();
    };
    let show = |v: &Option<String>| match (v, revealed) {
        (None, _) => "—".to_owned(),
        (Some(_), false) => theme.mask().to_owned(),
        (Some(s), true) => visible(s).replace('\n', ", "),
    };
    format!(
        "address {} · phone {} · email {}",
        show(&d.address),
        show(&d.phone),
        show(&d.email)
    )
}

fn victim_text(app: &App, theme: &Theme, v: &Victim, revealed: bool) -> Text<'static> {
    let mut l: Vec<Line> = Vec::new();
    // A risk on record comes before anything else.
    if let Some(r) = v.risk.as_deref() {
        l.push(Line::from(Span::styled(
            format!(
                "⚠ RISK: {}{}{}",
                r.reason
                    .as_deref()
                    .map_or(String::new(), |x| first_line(x).into_owned()),
                r.by.as_deref()
                    .map_or(String::new(), |b| format!(" — recorded by {}", visible(b))),
                r.recorded_on
                    .map_or(String::new(), |d| format!(" on {}", day(d))),
            ),
            theme.status(crate::domain::enums::DiaryStatus::Overdue),
        )));
    }
    l.push(Line::from(format!(
        "{} · {} · {} · referred {} · {} since {}",
        visible(&v.id),
        v.role.label(),
        v.eligibility.label(),
        day(v.referred_on),
        v.status.label(),
        day(v.status_since)
    )));
    l.push(Line::from(format!(
        "Officer: {}",
        v.allocated_to
            .as_deref()
            .map_or("unallocated".into(), visible)
    )));
    l.push(Line::from(vec![
        Span::styled("Information: ", theme.title()),
        Span::raw(level_plain(v)),
    ]));
    let prefs = v.preferences.clone().unwrap_or_default();
    l.push(Line::from(format!(
        "Contact by {} · written follow-up of calls: {}",
        prefs.method.map_or("—", |m| m.label()),
        if v.wants_written_follow_up() {
            "yes"
        } else {
            "no"
        }
    )));
    let reveal_hint = if revealed {
        ""
    } else {
        "  (r to reveal; audited)"
    };
    l.push(Line::from(format!(
        "Contact details: {}{reveal_hint}",
        details(theme, v.contact_details.as_deref(), revealed)
    )));
    needs_and_dates(theme, v, revealed, &mut l);
    super::casework::victim_lines(theme, v, &mut l);
    todo_lines(app, theme, v, &mut l);
    if let Some(c) = app.whole_case().or_else(|| app.case_of(v)) {
        case_lines(app, theme, c, &mut l);
    }
    Text::from(l)
}

/// The victim's needs, representative and sensitive dates.
fn needs_and_dates(theme: &Theme, v: &Victim, revealed: bool, l: &mut Vec<Line<'static>>) {
    if let Some(n) = &v.needs {
        l.push(Line::from(format!(
            "Needs: {}{}{}",
            n.language
                .as_deref()
                .map_or(String::new(), |x| format!("language {} ", visible(x))),
            if n.interpreter == Some(true) {
                "· interpreter "
            } else {
                ""
            },
            n.notes
                .as_deref()
                .map_or(String::new(), |x| format!("· {}", first_line(x)))
        )));
    }
    if let Some(r) = &v.representative {
        l.push(Line::from(format!(
            "Representative: {} ({}) — {}",
            r.name.as_deref().map_or("—".into(), visible),
            r.relationship.as_deref().map_or("—".into(), visible),
            details(theme, r.contact_details.as_ref(), revealed)
        )));
    }
    for s in &v.sensitive_dates {
        l.push(Line::from(Span::styled(
            format!(
                "⚠ {} {}{}",
                s.date.map_or("—".into(), day),
                s.label.as_deref().map_or("sensitive date".into(), visible),
                if s.yearly == Some(true) {
                    " (every year)"
                } else {
                    ""
                }
            ),
            theme.warn(),
        )));
    }
}

/// The victim's open reminders, soonest first.
fn todo_lines(app: &App, theme: &Theme, v: &Victim, l: &mut Vec<Line<'static>>) {
    let head = |s: &str| Line::from(Span::styled(s.to_owned(), theme.title()));
    if let Some(index) = app.victim_by_id(&v.id) {
        let open = app.open_reminders(index);
        if !open.is_empty() {
            l.push(head("To do"));
        }
        for r in open {
            let status = app.status_of(r.due);
            l.push(Line::from(vec![
                Span::styled(format!("  {:>11}  ", day(r.due)), theme.status(status)),
                Span::raw(r.action()),
                Span::styled(
                    r.sensitive
                        .as_deref()
                        .map_or(String::new(), |s| format!("  ⚠ near {}", visible(s))),
                    theme.warn(),
                ),
            ]));
        }
    }
}

/// The case, and its key dates as a timeline with today marked.
fn case_lines(app: &App, theme: &Theme, c: &Case, l: &mut Vec<Line<'static>>) {
    let head = |s: &str| Line::from(Span::styled(s.to_owned(), theme.title()));
    l.push(head("Case"));
    let aliases = if c.offender.aliases.is_empty() {
        String::new()
    } else {
        format!(
            " (also known as {})",
            c.offender
                .aliases
                .iter()
                .map(|a| visible(a).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    l.push(Line::from(format!(
        "{} · {}{aliases} · {}",
        visible(&c.id),
        visible(&c.offender.name),
        c.offender
            .prison_number
            .as_deref()
            .map_or("—".into(), visible)
    )));
    l.push(Line::from(format!(
        "{} ({}) · {} imposed {}{}",
        c.offence
            .description
            .as_deref()
            .map_or("offence".into(), visible),
        c.offence.category.label(),
        c.sentence.kind.label(),
        day(c.sentence.imposed_on),
        c.sentence
            .court
            .as_deref()
            .map_or(String::new(), |x| format!(" at {}", visible(x)))
    )));
    if let Some(m) = &c.mappa {
        l.push(Line::from(format!(
            "MAPPA category {} level {}",
            m.category.map_or("—".into(), |x| x.to_string()),
            m.level.map_or("—".into(), |x| x.to_string())
        )));
    }
    // For the officer's eyes only (no letter names them): where the offender is held and
    // who supervises them, for reporting risk and unwanted contact.
    if let Some(at) = c.offender.location.as_deref() {
        l.push(Line::from(format!(
            "Held at {} (never in a letter)",
            visible(at)
        )));
    }
    if let Some(ro) = c.responsible_officer.as_deref() {
        let parts: Vec<String> = [&ro.name, &ro.team, &ro.phone, &ro.email]
            .into_iter()
            .filter_map(|x| x.as_deref().map(|s| visible(s).into_owned()))
            .collect();
        if !parts.is_empty() {
            l.push(Line::from(format!(
                "Responsible Officer: {} (never in a letter)",
                parts.join(" · ")
            )));
        }
    }
    super::casework::case_lines(theme, c, l);
    l.push(head("Key dates"));
    let mut dates: Vec<_> = c.key_dates.iter().collect();
    dates.sort_by_key(|k| k.date);
    let mut marked = false;
    for k in dates {
        if !marked && k.date >= app.settings().today {
            l.push(Line::from(Span::styled(
                format!("  ▸ today {}", day(app.settings().today)),
                theme.title(),
            )));
            marked = true;
        }
        let line = Line::from(format!("  {:>11}  {}", day(k.date), k.kind.label()));
        l.push(if k.date < app.settings().today {
            line.style(theme.dim())
        } else {
            line
        });
    }
}

/// Each officer's line of the workload view, the chosen one highlighted.
fn workload_text(app: &App, theme: &Theme, view: &crate::tui::app::WorkloadView) -> Text<'static> {
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{:<28} {:>8} {:>8} {:>10} {:>9}",
            "Officer", "Victims", "Overdue", "This week", "Opted in"
        ),
        theme.title(),
    ))];
    for (i, w) in app.workload(view.sort).iter().enumerate() {
        let who = if w.officer.is_empty() {
            visible(&w.name).into_owned()
        } else {
            format!("{} ({})", visible(&w.name), visible(&w.officer))
        };
        let text = format!(
            "{:<28} {:>8} {:>8} {:>10} {:>9}",
            crate::domain::text::shortened(&who, 28),
            w.victims,
            w.overdue,
            w.this_week,
            w.opted_in
        );
        let mut line = Line::from(text);
        if i == view.selected {
            line = line.patch_style(theme.selected());
        }
        lines.push(line);
    }
    lines.push(Line::from(""));
    lines.push(Line::from(
        "Enter: that officer's caseload · s: sort by the next column · Esc: back",
    ));
    Text::from(lines)
}
