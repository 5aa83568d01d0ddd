//! What the screens derive from the caseload, and keep up to date as it changes: each
//! victim's reminders, the urgency order, the caseload rows, the diary pane, and the
//! haystacks a search looks through. None of it is stored; all of it follows from the
//! caseload, the log facts, the snoozes and the day.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{App, IDLE_SLICE};
use crate::domain::enums::KeyDateKind;
use crate::domain::facts::LogFacts;
use crate::domain::reminders::{
    DiaryItem, Reminder, Rules, diary_status, reminders_from_facts, sort_key,
    unanswered_release_within_a_year,
};
use crate::domain::search;

/// Each record's place in `records`, by id.
fn places<T>(records: &[T], id: impl Fn(&T) -> &String) -> HashMap<String, usize> {
    records
        .iter()
        .enumerate()
        .map(|(i, r)| (id(r).clone(), i))
        .collect()
}

impl App {
    /// Recomputes everything derived from the caseload.
    pub(super) fn rebuild(&mut self) {
        // Victims whose facts are not known yet have their whole log in memory.
        for v in &self.caseload.victims[self.held.facts.len().min(self.caseload.victims.len())..] {
            self.held.facts.push(LogFacts::of(&v.contacts));
        }
        self.held.cases = places(&self.caseload.cases, |c| &c.id);
        self.held.victim_index = places(&self.caseload.victims, |v| &v.id);
        self.held.reminders = self.all_reminders();
        // Built while the screen is idle (`idle_work`), not before the first frame.
        self.held.haystacks.clear();
        self.refresh();
    }

    /// Every victim's reminders; a large unit's shared out over the cores.
    pub(super) fn all_reminders(&self) -> Vec<Vec<Reminder>> {
        let victims: Vec<usize> = (0..self.caseload.victims.len()).collect();
        crate::par::map_chunks(&victims, 5_000, |part| {
            part.iter().map(|&i| self.compute_reminders(i)).collect()
        })
    }

    /// Recomputes one victim's reminders after a change to it.
    pub(super) fn recompute(&mut self, victim: usize) {
        self.held.reminders[victim] = self.compute_reminders(victim);
        self.held.next_due[victim] = self.first_due(victim);
    }

    fn compute_reminders(&self, victim: usize) -> Vec<Reminder> {
        let v = &self.caseload.victims[victim];
        let rules = Rules {
            calendar: &self.held.calendar,
            lead: &self.held.lead,
        };
        self.case_of(v)
            .map(|c| {
                reminders_from_facts(v, &self.held.facts[victim], c, self.settings.today, rules)
            })
            .unwrap_or_default()
    }

    pub(super) fn first_due(&self, victim: usize) -> NaiveDate {
        self.next_reminder(victim).map_or(NaiveDate::MAX, |r| r.due)
    }

    /// Re-derives the order, the rows and the diary after a change to the whole caseload.
    pub(super) fn refresh(&mut self) {
        self.held.next_due = (0..self.caseload.victims.len())
            .map(|i| self.first_due(i))
            .collect();
        let mut order: Vec<usize> = (0..self.caseload.victims.len()).collect();
        order.sort_unstable_by(|&a, &b| self.urgency(a).cmp(&self.urgency(b)));
        self.held.order = order;
        self.refresh_rows(false);
        self.refresh_diary();
    }

    /// After a change to one victim (its next due date recomputed): its place in the order,
    /// then the rows and the diary. At 100,000 victims this spares a save the full sort.
    pub(super) fn reorder(&mut self, victim: usize) {
        if let Some(at) = self.held.order.iter().position(|&i| i == victim) {
            self.held.order.remove(at);
        }
        let at = self
            .held
            .order
            .partition_point(|&i| self.urgency(i) < self.urgency(victim));
        self.held.order.insert(at, victim);
        self.refresh_rows(false);
        self.refresh_diary();
    }

    /// The caseload's order: the next due date, then the name, then the record's place (so
    /// that the order is total and one victim can be put back into it).
    fn urgency(&self, victim: usize) -> (NaiveDate, &str, usize) {
        (
            self.held.next_due[victim],
            &self.caseload.victims[victim].name,
            victim,
        )
    }

    fn shown(&self, i: usize) -> bool {
        let v = &self.caseload.victims[i];
        self.officer_shown(v.allocated_to.as_deref())
            && self.list.status_filter.is_none_or(|s| v.status == s)
            && (!self.list.unanswered_only || self.unanswered_release_soon(i))
            && (self.list.query_words.is_empty()
                || search::has_words(self.held.haystacks.get(i), &self.list.query_words))
    }

    /// Whether a victim allocated to `officer` is shown: all are, unless the screens show
    /// only the signed-in officer's (`mine_only`) or one officer's (`officer_filter`).
    fn officer_shown(&self, officer: Option<&str>) -> bool {
        match (&self.list.officer_filter, self.list.mine_only) {
            (Some(only), _) => officer == Some(only.as_str()),
            (None, true) => officer == Some(self.settings.officer.as_str()),
            (None, false) => true,
        }
    }

    /// Whether a victim never answered the offer and the offender may be released within 12
    /// months (the caseload's filter for planning the tracing work).
    fn unanswered_release_soon(&self, i: usize) -> bool {
        let v = &self.caseload.victims[i];
        self.case_of(v).is_some_and(|c| {
            unanswered_release_within_a_year(
                v,
                &self.held.facts[i],
                c,
                self.settings.today,
                &self.held.lead,
            )
        })
    }

    /// The victims of `from` that are shown, in order. On one core: at 100,000 victims,
    /// sharing a keystroke's scan out over two threads gave each new thread fresh memory to
    /// fault in, and some keystrokes took 15-20 ms instead of 5.
    fn filter_shown(&self, from: &[usize]) -> Vec<usize> {
        from.iter().copied().filter(|&i| self.shown(i)).collect()
    }

    /// One slice of the work that can wait for an idle screen: what a search looks through
    /// (at 100,000 victims 20-50 ms in all, which with its scan would be too long for the
    /// first keystroke of a search).
    /// The loop calls it, between frames, while no key is waiting. Whether any is left.
    pub fn idle_work(&mut self) -> bool {
        let from = self.held.haystacks.len();
        let to = (from + IDLE_SLICE).min(self.caseload.victims.len());
        if from == 0 {
            self.held.haystacks.reserve(self.caseload.victims.len());
        }
        let (cases, all) = (&self.held.cases, &self.caseload.cases);
        for v in &self.caseload.victims[from..to] {
            let case = cases.get(&v.case_id).map(|&c| &all[c]);
            self.held.haystacks.push(v, case);
        }
        to < self.caseload.victims.len()
    }

    /// Re-derives the caseload rows, keeping the selected victim selected where it is still
    /// shown. A search that only grew (`narrowing`) filters the rows it already has.
    pub(super) fn refresh_rows(&mut self, narrowing: bool) {
        let keep = self.selected_victim_index();
        self.list.query_words = search::words(&self.list.query);
        if !self.list.query_words.is_empty()
            && self.held.haystacks.len() < self.caseload.victims.len()
        {
            // A search before the idle work has built them all: the rest, on every core.
            let rest = &self.caseload.victims[self.held.haystacks.len()..];
            let built = crate::par::map_chunks(rest, 5_000, |part| {
                let mut built = search::Haystacks::default();
                for v in part {
                    built.push(v, self.case_of(v));
                }
                vec![built]
            });
            for part in &built {
                self.held.haystacks.append(part);
            }
        }
        self.list.rows = if narrowing {
            let rows = std::mem::take(&mut self.list.rows);
            self.filter_shown(&rows)
        } else {
            self.filter_shown(&self.held.order)
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
        let until = self
            .settings
            .today
            .checked_add_days(chrono::Days::new(self.diary.horizon.into()))
            .unwrap_or(NaiveDate::MAX);
        let mine = |i: usize| self.officer_shown(self.caseload.victims[i].allocated_to.as_deref());
        let mut diary: Vec<DiaryItem> = self
            .held
            .reminders
            .iter()
            .enumerate()
            .filter(|(i, _)| mine(*i))
            .flat_map(|(_, rs)| rs.iter())
            .filter(|r| r.due <= until)
            .map(|r| DiaryItem {
                status: diary_status(r.due, self.settings.today, &self.held.lead),
                reminder: r.clone(),
            })
            .collect();
        diary.sort_by(|a, b| sort_key(&a.reminder).cmp(&sort_key(&b.reminder)));
        self.diary.items = diary;
        self.diary.selected = self
            .diary
            .selected
            .min(self.diary.items.len().saturating_sub(1));
        let mut dates: Vec<(NaiveDate, usize, KeyDateKind)> = self
            .caseload
            .cases
            .iter()
            .enumerate()
            .filter(|(_, c)| c.closed_on.is_none() && c.transferred.is_none())
            .flat_map(|(i, c)| c.key_dates.iter().map(move |k| (k.date, i, k.kind)))
            .filter(|(d, ..)| *d >= self.settings.today && *d <= until)
            .collect();
        dates.sort();
        self.diary.key_dates_ahead = dates;
    }
}
