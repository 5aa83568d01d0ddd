//! What the panes show of the unit, worked out again as it changes: the caseload's rows
//! through the filters and the search, and the diary within the horizon. The unit and
//! what follows from it are the [`Lens`](crate::unit::lens::Lens)'s.

use super::App;
use crate::domain::search;
use crate::unit::lens::Filter;

impl App {
    /// Re-derives the rows and the diary after a change to the unit.
    pub(super) fn refresh(&mut self) {
        self.refresh_rows(false);
        self.refresh_diary();
    }

    /// The victims the caseload pane shows, as its filters and search say.
    pub(super) fn filter(&self) -> Filter {
        Filter {
            officer: self.officer_shown(),
            status: self.list.status_filter,
            unanswered: self.list.unanswered_only,
            words: self.list.query_words.clone(),
        }
    }

    /// Whose victims are shown: all, unless the screens show only the signed-in officer's
    /// (`mine_only`) or one officer's (`officer_filter`).
    fn officer_shown(&self) -> Option<String> {
        match (&self.list.officer_filter, self.list.mine_only) {
            (Some(only), _) => Some(only.clone()),
            (None, true) => Some(self.settings.officer.clone()),
            (None, false) => None,
        }
    }

    /// One slice of the work that can wait for an idle screen (the search's haystacks).
    /// The loop calls it, between frames, while no key is waiting. Whether any is left.
    pub fn idle_work(&mut self) -> bool {
        self.lens.idle_work()
    }

    /// Re-derives the caseload rows, keeping the selected victim selected where it is still
    /// shown. A search that only grew (`narrowing`) filters the rows it already has.
    pub(super) fn refresh_rows(&mut self, narrowing: bool) {
        self.list.query_words = search::words(&self.list.query);
        if self.is_thin() {
            self.want_window();
            return;
        }
        let keep = self.selected_victim_index();
        let filter = self.filter();
        self.list.rows = if narrowing {
            let rows = std::mem::take(&mut self.list.rows);
            self.lens.rows(&filter, Some(&rows))
        } else {
            self.lens.rows(&filter, None)
        };
        self.list.selected = keep
            .and_then(|k| self.list.rows.iter().position(|&i| i == k))
            .unwrap_or(0)
            .min(self.list.rows.len().saturating_sub(1));
        self.screen.contacts_selected = self
            .screen
            .contacts_selected
            .min(self.selected_contacts_len().saturating_sub(1));
    }

    /// Re-derives the diary pane: the reminders within the horizon, and the key dates in it.
    pub(super) fn refresh_diary(&mut self) {
        if self.is_thin() {
            self.want_window();
            return;
        }
        let officer = self.officer_shown();
        self.diary.items = self.lens.diary(officer.as_deref(), self.diary.horizon);
        self.diary.selected = self
            .diary
            .selected
            .min(self.diary.items.len().saturating_sub(1));
        self.diary.key_dates_ahead = self.lens.key_dates_ahead(self.diary.horizon);
        self.diary.urgent = self.lens.urgent().to_vec();
    }
}
