//! The workload view: for each officer, how many victims they hold, what is overdue and due
//! this week, and how many have opted in — sortable, and the way into that officer's
//! caseload. A view for the unit's managers and administrators (the service's rule).

use super::{App, Overlay, Workload};
use crate::tui::action::Action;
use crate::unit::access;

/// What the lines are sorted by (most first, but for the officer's name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkloadSort {
    Officer,
    Victims,
    Overdue,
    ThisWeek,
    OptedIn,
}

impl WorkloadSort {
    const ALL: [Self; 5] = [
        Self::Overdue,
        Self::ThisWeek,
        Self::Victims,
        Self::OptedIn,
        Self::Officer,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Officer => "officer",
            Self::Victims => "victims",
            Self::Overdue => "overdue",
            Self::ThisWeek => "due this week",
            Self::OptedIn => "opted in",
        }
    }

    fn next(self) -> Self {
        let at = Self::ALL.iter().position(|&s| s == self).unwrap_or(0);
        Self::ALL[(at + 1) % Self::ALL.len()]
    }
}

/// The view's state: the sort, and the line chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadView {
    pub sort: WorkloadSort,
    pub selected: usize,
}

impl App {
    /// Each officer's workload on the screens' date (snoozed reminders left out, as in the
    /// header), sorted. Victims allocated to no one are a line of their own, last.
    pub fn workload(&self, sort: WorkloadSort) -> Vec<Workload> {
        let mut lines = self.workload_lines();
        let nobody = lines
            .iter()
            .position(|l| l.officer.is_empty())
            .map(|at| lines.remove(at));
        lines.sort_by(|a, b| match sort {
            WorkloadSort::Officer => a.name.cmp(&b.name),
            WorkloadSort::Victims => b.victims.cmp(&a.victims).then(a.name.cmp(&b.name)),
            WorkloadSort::Overdue => b.overdue.cmp(&a.overdue).then(a.name.cmp(&b.name)),
            WorkloadSort::ThisWeek => b.this_week.cmp(&a.this_week).then(a.name.cmp(&b.name)),
            WorkloadSort::OptedIn => b.opted_in.cmp(&a.opted_in).then(a.name.cmp(&b.name)),
        });
        lines.extend(nobody);
        lines
    }

    /// Whether the signed-in user may do `action`, by the service's own rule: what the
    /// screens offer is what the service would allow (it refuses the rest anyway).
    pub fn may(&self, action: access::Action) -> bool {
        access::allowed(action, self.settings.role)
    }

    pub(super) fn open_workload(&mut self) {
        // The whole unit's workload is a manager's view, as the monitoring return is.
        if !self.may(access::Action::Report) {
            self.screen.message =
                Some("The workload view is for the unit's managers and administrators.".into());
            return;
        }
        self.screen.overlays.push(Overlay::Workload(WorkloadView {
            sort: WorkloadSort::Overdue,
            selected: 0,
        }));
        // Thin screens ask the service for the unit's workload.
        self.want_window();
    }

    pub(super) fn workload_action(&mut self, action: Action) {
        let Some(Overlay::Workload(view)) = self.screen.overlays.last() else {
            return;
        };
        let (sort, selected) = (view.sort, view.selected);
        let lines = self.workload(sort);
        let last = lines.len().saturating_sub(1);
        let (sort, selected) = match action {
            Action::Up => (sort, selected.saturating_sub(1)),
            Action::Down => (sort, (selected + 1).min(last)),
            Action::Top => (sort, 0),
            Action::Bottom => (sort, last),
            Action::SortWorkload => (sort.next(), 0),
            Action::Open => {
                // Into that officer's caseload: the caseload and the diary show only theirs.
                let officer = lines.get(selected).map(|l| l.officer.clone());
                self.screen.overlays.pop();
                self.list.officer_filter = officer.filter(|o| !o.is_empty());
                self.list.mine_only = false;
                self.list.selected = 0;
                self.refresh_rows(false);
                self.refresh_diary();
                return;
            }
            _ => return,
        };
        if let Some(Overlay::Workload(view)) = self.screen.overlays.last_mut() {
            view.sort = sort;
            view.selected = selected;
        }
    }
}
