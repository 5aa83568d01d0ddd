//! Screens that hold only what they show: when the unit service holds the unit, the
//! caseload's rows around the selection, the diary's groups and the records they name are
//! asked of it ([`Ask`]) and what it sends ([`Window`]) replaces what was held. A key, a
//! filter, a search or a change heard in the news says what is wanted; the loop asks
//! before it draws.

use super::{App, Opened, Overlay, Pane};
use crate::domain::enums::DiaryStatus;
use crate::domain::model::Caseload;
use crate::tui::action::Action;
use crate::unit::window::{Ask, Window, Workload};

/// Rows asked for each side of the selected one, beyond two pages: a page's move stays
/// within what is held.
const MARGIN: usize = 8;

/// What the screens were last sent, and what they want next.
#[derive(Debug, Default)]
pub(super) struct Thin {
    /// Rows of the caseload above the first one held, and how many the filters show.
    before: usize,
    total: usize,
    victims_in_unit: usize,
    /// Each diary group as the service counted it, and its items held.
    groups: Vec<Span>,
    key_dates_total: usize,
    workload: Option<Vec<Workload>>,
    /// Cases this screen added (sent whether or not a row names them: a new case has no
    /// victim yet).
    added_cases: Vec<String>,
    wanted: Option<Want>,
}

/// A diary group: its status, its count and how many of it are snoozed, and where the
/// items held stand in it.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub status: DiaryStatus,
    pub len: usize,
    pub snoozed: usize,
    /// Items of the group above those held, and how many are held.
    pub before: usize,
    pub held: usize,
}

impl Span {
    /// Items of the group below those held.
    pub fn after(&self) -> usize {
        self.len - self.before - self.held
    }
}

/// Where the selections are to be once the window comes.
#[derive(Debug, Clone)]
struct Want {
    /// The victim to keep selected (if the filters still show them), else the row's place.
    keep: Option<String>,
    at: usize,
    /// The diary's selected item: its group, and its place in the group.
    diary_at: (DiaryStatus, usize),
}

impl App {
    /// Whether the unit service holds the unit and the screens only what they show.
    pub fn is_thin(&self) -> bool {
        self.thin.is_some()
    }

    /// What to ask of the service before the next frame, if anything.
    pub fn window_wanted(&self) -> Option<Ask> {
        let want = self.thin.as_ref()?.wanted.as_ref()?;
        Some(Ask {
            today: self.settings.today,
            lead: *self.lens.lead(),
            days: self.lens.days().clone(),
            filter: self.filter(),
            keep: want.keep.clone(),
            at: want.at,
            reach: self.reach(),
            lines: self.screen.page.max(1) + MARGIN,
            horizon: self.diary.horizon,
            diary_at: want.diary_at,
            cases: self.thin.as_ref()?.added_cases.clone(),
            workload: self
                .screen
                .overlays
                .iter()
                .any(|o| matches!(o, Overlay::Workload(_))),
        })
    }

    /// Rows asked for each side of the selected one.
    fn reach(&self) -> usize {
        2 * self.screen.page.max(1) + MARGIN
    }

    /// Everything shown is to be asked for again, the selected victim kept selected.
    pub(super) fn want_window(&mut self) {
        let keep = self.selected_victim().map(|v| v.id.clone());
        let at = self.list_place();
        self.want(keep, at, self.diary_place());
    }

    fn want(&mut self, keep: Option<String>, at: usize, diary_at: (DiaryStatus, usize)) {
        if let Some(thin) = &mut self.thin {
            thin.wanted = Some(Want { keep, at, diary_at });
        }
    }

    /// The selected row's place in the whole list.
    fn list_place(&self) -> usize {
        self.thin.as_ref().map_or(0, |t| t.before) + self.list.selected
    }

    /// The selected diary item's group and its place in the group.
    fn diary_place(&self) -> (DiaryStatus, usize) {
        let mut first = 0;
        for span in self.diary_spans() {
            if self.diary.selected < first + span.held {
                return (span.status, span.before + self.diary.selected - first);
            }
            first += span.held;
        }
        (DiaryStatus::Overdue, 0)
    }

    /// Each diary group, as the service counted it (thin), else as held.
    pub fn diary_spans(&self) -> Vec<Span> {
        if let Some(thin) = &self.thin {
            return thin.groups.clone();
        }
        let mut spans: Vec<Span> = Vec::new();
        for items in self.diary.items.chunk_by(|a, b| a.status == b.status) {
            spans.push(Span {
                status: items[0].status,
                len: items.len(),
                snoozed: items
                    .iter()
                    .filter(|i| self.snoozed(&i.reminder).is_some())
                    .count(),
                before: 0,
                held: items.len(),
            });
        }
        spans
    }

    /// Rows of the caseload above those held, and how many the filters show in all.
    pub fn list_span(&self) -> (usize, usize) {
        match &self.thin {
            Some(thin) => (thin.before, thin.total),
            None => (0, self.list.rows.len()),
        }
    }

    /// How many victims the unit holds.
    pub fn victims_in_unit(&self) -> usize {
        self.thin
            .as_ref()
            .map_or(self.caseload().victims.len(), |t| t.victims_in_unit)
    }

    /// How many key dates fall within the horizon (some may not be held).
    pub fn key_dates_total(&self) -> usize {
        self.thin
            .as_ref()
            .map_or(self.diary.key_dates_ahead.len(), |t| t.key_dates_total)
    }

    /// Each officer's workload as the service worked it out (thin), else from what is held.
    pub(super) fn workload_lines(&self) -> Vec<Workload> {
        match &self.thin {
            Some(thin) => thin.workload.clone().unwrap_or_default(),
            None => self.lens.workload(),
        }
    }

    /// A case this screen added: asked for with every window from now on.
    pub(super) fn case_added(&mut self, id: &str) {
        if let Some(thin) = &mut self.thin {
            thin.added_cases.push(id.to_owned());
            self.want_window();
        }
    }

    /// A victim to select, shown or not (the filters are cleared if they hide them).
    pub(super) fn select_victim(&mut self, id: &str) {
        let at = self.list_place();
        self.want(Some(id.to_owned()), at, self.diary_place());
    }

    /// What the service sent: it replaces everything held but the open record.
    pub(crate) fn window_loaded(&mut self, window: Window) {
        let Some(thin) = &mut self.thin else { return };
        let want = thin.wanted.take();
        let diary_at = want
            .as_ref()
            .map_or((DiaryStatus::Overdue, 0), |w| w.diary_at);
        if self.screen.cut_off.take().is_some() {
            self.screen.message = Some("Reconnected: everything was read again.".into());
        }
        thin.before = window.start;
        thin.total = window.total;
        thin.victims_in_unit = window.victims_in_unit;
        thin.key_dates_total = window.key_dates_total;
        thin.workload = window.workload;
        thin.groups = window
            .groups
            .iter()
            .map(|g| Span {
                status: g.status,
                len: g.len,
                snoozed: g.snoozed,
                before: g.from,
                held: g.items.len(),
            })
            .collect();
        let caseload = Caseload {
            victims: window.victims,
            cases: window.cases,
            ..window.head
        };
        self.lens
            .reload(caseload, window.facts, window.snoozes.into_iter().collect());
        self.list.rows = window
            .rows
            .iter()
            .filter_map(|id| self.lens.victim_by_id(id))
            .collect();
        self.list.selected = window.selected.saturating_sub(window.start);
        self.diary.items = window.groups.into_iter().flat_map(|g| g.items).collect();
        self.diary.urgent = window.urgent;
        self.diary.selected = self.diary_index(diary_at);
        self.diary.key_dates_ahead = window
            .key_dates
            .iter()
            .filter_map(|(d, case, kind)| Some((*d, self.lens.case_index(case)?, *kind)))
            .collect();
        if let Some(Opened::Unreadable(_)) = &self.opened {
            self.opened = None;
        }
        self.screen.contacts_selected = self
            .screen
            .contacts_selected
            .min(self.selected_contacts_len().saturating_sub(1));
    }

    /// The held item at `(status, place in its group)`, or the nearest held.
    fn diary_index(&self, (status, at): (DiaryStatus, usize)) -> usize {
        let mut first = 0;
        for span in self.diary_spans() {
            if span.status == status {
                let within = at.saturating_sub(span.before);
                return first + within.min(span.held.saturating_sub(1));
            }
            first += span.held;
        }
        self.diary
            .selected
            .min(self.diary.items.len().saturating_sub(1))
    }

    /// A move of the selection on thin screens: within what is held, else asked for.
    /// Whether it was handled here (false: the screens hold the unit).
    pub(super) fn move_thin(&mut self, action: Action) -> bool {
        let Some(thin) = &self.thin else { return false };
        let page = self.screen.page.max(1);
        match self.screen.focus {
            // Nothing shown, nothing to move to (nor to ask for).
            Pane::Caseload if thin.total == 0 => {}
            Pane::Caseload => {
                let (before, total) = (thin.before, thin.total);
                let now = before + self.list.selected;
                let last = total.saturating_sub(1);
                let to = match action {
                    Action::Up => now.saturating_sub(1),
                    Action::Down => (now + 1).min(last),
                    Action::PageUp => now.saturating_sub(page),
                    Action::PageDown => (now + page).min(last),
                    Action::Top => 0,
                    _ => last,
                };
                let held = before..before + self.list.rows.len();
                if held.contains(&to) {
                    self.list.selected = to - before;
                }
                // Near the edge of what is held (or past it): the rows around it are asked for.
                let short_above = to < before + page && before > 0;
                let short_below = to + page >= held.end && held.end < total;
                if !held.contains(&to) || short_above || short_below {
                    let diary_at = self.diary_place();
                    self.want(None, to, diary_at);
                }
                self.screen.contacts_selected = 0;
            }
            Pane::Diary => {
                let spans = self.diary_spans();
                let (status, at) = self.diary_place();
                let Some(g) = spans.iter().position(|s| s.status == status) else {
                    return true;
                };
                let to = match action {
                    Action::Up if at == 0 => g
                        .checked_sub(1)
                        .map_or((status, 0), |p| (spans[p].status, spans[p].len - 1)),
                    Action::Up => (status, at - 1),
                    Action::Down if at + 1 >= spans[g].len => spans
                        .get(g + 1)
                        .map_or((status, at), |next| (next.status, 0)),
                    Action::Down => (status, at + 1),
                    Action::PageUp => (status, at.saturating_sub(page)),
                    Action::PageDown => (status, (at + page).min(spans[g].len - 1)),
                    Action::Top => (spans[0].status, 0),
                    _ => {
                        let last = spans[spans.len() - 1];
                        (last.status, last.len - 1)
                    }
                };
                let span = spans.iter().find(|s| s.status == to.0).copied();
                match span {
                    Some(s) if (s.before..s.before + s.held).contains(&to.1) => {
                        self.diary.selected = self.diary_index(to);
                    }
                    _ => {
                        let (keep, at) = (
                            self.selected_victim().map(|v| v.id.clone()),
                            self.list_place(),
                        );
                        self.want(keep, at, to);
                    }
                }
            }
            Pane::Contacts => return false,
        }
        true
    }
}
