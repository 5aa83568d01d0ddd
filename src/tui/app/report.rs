//! The monitoring return on the screens: asked of the store for a quarter (key → effect →
//! the store works it out → the view shows what it said), laid over the panes with its
//! charts; `[` and `]` step a quarter back and forward.

use chrono::{Datelike, NaiveDate};

use super::{App, Effect, Overlay};
use crate::domain::calendar::add_months;
use crate::domain::report::{Report, ReportQuery};
use crate::store::ReportAsk;

/// Weeks of overdue items the view charts, ending today.
pub const HISTORY_WEEKS: u32 = 52;

/// The return on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportView {
    pub report: Report,
}

/// The first day of the quarter (January, April, July or October) that holds `day`.
pub fn quarter_start(day: NaiveDate) -> NaiveDate {
    let month = (day.month0() / 3) * 3 + 1;
    NaiveDate::from_ymd_opt(day.year(), month, 1).unwrap_or(day)
}

/// The quarter `steps` quarters from the one holding `today` (negative: earlier): its first
/// day, and its last day or today, whichever comes first.
pub fn quarter(today: NaiveDate, steps: i32) -> (NaiveDate, NaiveDate) {
    let from = add_months(quarter_start(today), steps.saturating_mul(3));
    let end = add_months(from, 3).pred_opt().unwrap_or(from);
    (from, end.min(today))
}

impl App {
    /// The store's return for the quarter `steps` from the current one, the whole unit's,
    /// with the weekly history of overdue items to today.
    fn ask_report(&self, steps: i32) -> Effect {
        let (from, to) = quarter(self.settings.today, steps);
        Effect::Report(Box::new(ReportAsk {
            query: ReportQuery {
                from,
                to,
                officer: None,
                made_on: self.settings.today,
                weeks: HISTORY_WEEKS,
            },
            lead: *self.lens.lead(),
            calendar: self.lens.days().clone(),
        }))
    }

    /// `report`, `previous-period`, `next-period`: the return to ask the store for.
    pub(super) fn report_action(&mut self, step: i32) -> Option<Effect> {
        if !self.may(crate::unit::access::Action::Report) {
            self.screen.message =
                Some("The monitoring return is for the unit's managers and administrators.".into());
            return None;
        }
        let shown = match self.screen.overlays.last() {
            Some(Overlay::Report(view)) => {
                let this = quarter_start(self.settings.today);
                let months = (view.report.from.year() - this.year()) * 12
                    + i32::try_from(view.report.from.month()).unwrap_or(1)
                    - i32::try_from(this.month()).unwrap_or(1);
                months.div_euclid(3)
            }
            _ => 0,
        };
        let steps = shown.saturating_add(step);
        if steps > 0 {
            self.screen.message = Some("That quarter has not begun.".into());
            return None;
        }
        Some(self.ask_report(steps))
    }

    /// The store's return: shown, in place of the one on screen if there is one.
    pub(crate) fn report_loaded(&mut self, report: Report) {
        self.screen.overlay_scroll = 0;
        let view = Box::new(ReportView { report });
        match self.screen.overlays.last_mut() {
            Some(Overlay::Report(shown)) => *shown = view,
            _ => self.screen.overlays.push(Overlay::Report(view)),
        }
    }

    /// The store refused the return (it is for managers and administrators) or failed.
    pub(crate) fn report_failed(&mut self, why: &str) {
        self.screen.message = Some(format!("No monitoring return: {why}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::app::tests::{sample_app, sample_store_for};
    use crate::tui::keymap::Key;

    fn keys(app: &mut App, script: &str) -> Vec<Effect> {
        script
            .split(' ')
            .filter_map(|k| app.on_key(&Key::parse(k).unwrap().to_event()))
            .collect()
    }

    fn shown(app: &App) -> Option<(NaiveDate, NaiveDate)> {
        match app.screen.overlays.last() {
            Some(Overlay::Report(view)) => Some((view.report.from, view.report.to)),
            _ => None,
        }
    }

    #[test]
    fn r_asks_the_store_for_the_quarter_to_date_and_brackets_step_through_quarters() {
        let mut app = sample_app();
        let effects = keys(&mut app, "R");
        let [Effect::Report(ask)] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        assert_eq!(ask.query.from, d("2026-10-01"));
        assert_eq!(ask.query.to, d("2026-11-24"));
        assert_eq!(ask.query.made_on, d("2026-11-24"));
        assert_eq!(ask.query.weeks, HISTORY_WEEKS);
        assert_eq!(ask.query.officer, None, "the whole unit");
        assert!(
            app.screen.overlays.is_empty(),
            "nothing shown until the store answers"
        );

        // Through the store, as the loop does: the view shows what it said.
        let store = sample_store_for(&mut app);
        store.save(&mut app, &effects[0]);
        assert_eq!(shown(&app), Some((d("2026-10-01"), d("2026-11-24"))));
        assert_eq!(app.context(), crate::tui::keymap::Context::Report);
        // Each key's return is asked for and shown before the next key, as in the loop.
        let step = |app: &mut App, key: &str| {
            for effect in keys(app, key) {
                store.save(app, &effect);
            }
        };
        step(&mut app, "[");
        assert_eq!(shown(&app), Some((d("2026-07-01"), d("2026-09-30"))));
        assert_eq!(
            app.screen.overlays.len(),
            1,
            "the view is replaced, not stacked"
        );
        for key in ["[", "[", "[", "]"] {
            step(&mut app, key);
        }
        assert_eq!(shown(&app), Some((d("2026-01-01"), d("2026-03-31"))));
        step(&mut app, "]");
        step(&mut app, "]");
        assert_eq!(shown(&app), Some((d("2026-07-01"), d("2026-09-30"))));
        step(&mut app, "]");
        assert_eq!(shown(&app), Some((d("2026-10-01"), d("2026-11-24"))));
        assert!(keys(&mut app, "]").is_empty(), "no quarter after this one");
        assert_eq!(
            app.screen.message.as_deref(),
            Some("That quarter has not begun.")
        );
        // Keys of the panes do nothing here; Esc closes the view.
        assert!(keys(&mut app, "a n").is_empty());
        assert_eq!(app.screen.overlays.len(), 1);
        keys(&mut app, "esc");
        assert!(app.screen.overlays.is_empty());
        // Every return made is recorded as a disclosure.
        let made = store
            .store
            .audit()
            .unwrap()
            .iter()
            .filter(|r| r.action == "disclose" && r.fields[0].starts_with("monitoring return"))
            .count();
        assert_eq!(made, 9);
    }

    #[test]
    fn a_refusal_is_said_in_the_status_line() {
        let mut app = sample_app();
        app.report_failed("sahmed may not make the monitoring return");
        assert_eq!(
            app.screen.message.as_deref(),
            Some("No monitoring return: sahmed may not make the monitoring return")
        );
        assert!(app.screen.overlays.is_empty());
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn quarters_run_from_the_first_of_january_april_july_and_october() {
        assert_eq!(
            quarter(d("2026-11-24"), 0),
            (d("2026-10-01"), d("2026-11-24"))
        );
        assert_eq!(
            quarter(d("2026-11-24"), -1),
            (d("2026-07-01"), d("2026-09-30"))
        );
        assert_eq!(
            quarter(d("2026-11-24"), -4),
            (d("2025-10-01"), d("2025-12-31"))
        );
        assert_eq!(
            quarter(d("2026-01-01"), -1),
            (d("2025-10-01"), d("2025-12-31"))
        );
        assert_eq!(
            quarter(d("2026-03-31"), 0),
            (d("2026-01-01"), d("2026-03-31"))
        );
        assert_eq!(
            quarter(d("2026-04-01"), -1),
            (d("2026-01-01"), d("2026-03-31"))
        );
    }
}
