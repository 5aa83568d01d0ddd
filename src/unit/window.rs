//! What a screen shows of the unit, asked of the one who holds it whole (the unit service's
//! [`Lens`]): the caseload's rows around the selected one, through the screen's filters and
//! search; the diary's groups with their counts and the items around the selected one; the
//! key dates ahead; and the records of every victim and case those name. A screen keeps
//! nothing else, so what it holds follows what it shows, not the size of the unit.

use std::collections::{BTreeSet, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::lens::{Filter, Lens};
use crate::domain::calendar::DayChanges;
use crate::domain::enums::{DiaryStatus, KeyDateKind, VictimStatus};
use crate::domain::facts::LogFacts;
use crate::domain::model::{Case, Caseload, Victim};
use crate::domain::reminders::{DiaryItem, Reminder};
use crate::domain::rules::LeadTimes;
use crate::store::Snooze;

/// What a screen asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ask {
    /// The screen's day and rules (its configuration's lead times and days off).
    pub today: NaiveDate,
    pub lead: LeadTimes,
    pub days: DayChanges,
    /// Which victims the caseload shows, and whose diary.
    pub filter: Filter,
    /// The victim to keep selected, if the filter shows them.
    pub keep: Option<String>,
    /// Else the row selected, by its place in the list (held to the list's end).
    pub at: usize,
    /// Rows sent each side of the selected one (and a diary group's items each side of the
    /// selected one).
    pub reach: usize,
    /// The most lines a pane shows: another diary group's first items sent, and the first
    /// key dates.
    pub lines: usize,
    /// How many days ahead the diary looks.
    pub horizon: u32,
    /// The diary's selected item: its group, and its place in the group.
    pub diary_at: (DiaryStatus, usize),
    /// Cases to send whether or not a row names them (those this screen added).
    pub cases: Vec<String>,
    /// Each officer's workload too (the workload view is open).
    pub workload: bool,
}

/// What a screen is sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Window {
    /// The unit's record, its officers and extra days off: no victims, no cases.
    pub head: Caseload,
    /// How many victims the unit holds.
    pub victims_in_unit: usize,
    /// How many rows the filter shows.
    pub total: usize,
    /// The place of the first row sent, and the rows sent (victim ids), in order.
    pub start: usize,
    pub rows: Vec<String>,
    /// The place of the selected row.
    pub selected: usize,
    /// The diary, group by group.
    pub groups: Vec<Group>,
    /// The first key dates of open cases within the horizon (date, case id, kind), and how
    /// many there are in all.
    pub key_dates: Vec<(NaiveDate, String, KeyDateKind)>,
    pub key_dates_total: usize,
    /// Every victim a row or a diary item names (the digest's summaries), with its log's
    /// facts, and their cases.
    pub victims: Vec<Victim>,
    pub facts: Vec<LogFacts>,
    pub cases: Vec<Case>,
    /// The snoozes of those victims.
    pub snoozes: Vec<Snooze>,
    /// Each officer's workload, when asked.
    pub workload: Option<Vec<Workload>>,
    /// Every urgent item of the unit, whatever the filters (their victims are in `victims`).
    pub urgent: Vec<DiaryItem>,
}

/// One of the diary's groups (overdue, due today, this week, later).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub status: DiaryStatus,
    /// How many items the group has, and how many of them are snoozed.
    pub len: usize,
    pub snoozed: usize,
    /// The place in the group of the first item sent, and the items sent.
    pub from: usize,
    pub items: Vec<DiaryItem>,
}

/// One officer's line of the workload view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workload {
    /// The officer's id (empty: victims allocated to no one).
    pub officer: String,
    pub name: String,
    pub victims: usize,
    pub overdue: usize,
    pub this_week: usize,
    pub opted_in: usize,
}

impl Lens {
    /// What `ask` shows, on the lens's day and rules (the caller puts it on the ask's).
    pub fn window(&mut self, ask: &Ask) -> Window {
        let (total, selected, start, rows) = {
            let keep = ask.keep.as_deref().and_then(|id| self.victim_by_id(id));
            let rows = self.kept_rows(&ask.filter);
            let total = rows.len();
            let selected = keep
                .and_then(|k| rows.iter().position(|&i| i == k))
                .unwrap_or(ask.at)
                .min(total.saturating_sub(1));
            let start = selected.saturating_sub(ask.reach);
            let end = (selected + ask.reach + 1).min(total);
            (total, selected, start, rows[start..end].to_vec())
        };
        let mut named: BTreeSet<usize> = rows.iter().copied().collect();
        let groups = self.groups(ask, &mut named);
        let urgent = self.urgent().to_vec();
        named.extend(
            urgent
                .iter()
                .filter_map(|i| self.victim_by_id(&i.reminder.victim_id)),
        );
        let (firsts, key_dates_total) = {
            let ahead = self.kept_key_dates(ask.horizon);
            (ahead[..ahead.len().min(ask.lines)].to_vec(), ahead.len())
        };
        let victims = &self.caseload().victims;
        let cases = &self.caseload().cases;
        let key_dates: Vec<(NaiveDate, String, KeyDateKind)> = firsts
            .iter()
            .map(|&(d, c, kind)| (d, cases[c].id.clone(), kind))
            .collect();
        let mut case_ids: BTreeSet<&str> = key_dates.iter().map(|(_, c, _)| c.as_str()).collect();
        case_ids.extend(ask.cases.iter().map(String::as_str));
        case_ids.extend(named.iter().map(|&i| victims[i].case_id.as_str()));
        let ids: HashSet<&str> = named.iter().map(|&i| victims[i].id.as_str()).collect();
        let cases: Vec<Case> = case_ids
            .iter()
            .filter_map(|id| self.case_index(id))
            .map(|c| cases[c].clone())
            .collect();
        Window {
            head: Caseload {
                unit: self.caseload().unit.clone(),
                officers: self.caseload().officers.clone(),
                extra_non_working_days: self.caseload().extra_non_working_days.clone(),
                ..Caseload::default()
            },
            victims_in_unit: victims.len(),
            total,
            start,
            rows: rows.iter().map(|&i| victims[i].id.clone()).collect(),
            selected,
            groups,
            key_dates_total,
            key_dates,
            victims: named.iter().map(|&i| victims[i].clone()).collect(),
            facts: named.iter().map(|&i| self.facts()[i].clone()).collect(),
            cases,
            snoozes: self
                .snoozes()
                .all()
                .filter(|s| {
                    Reminder::victim_in_identity(&s.reminder).is_some_and(|v| ids.contains(v))
                })
                .cloned()
                .collect(),
            workload: ask.workload.then(|| self.workload()),
            urgent,
        }
    }

    /// The diary's groups: the selected one's items around the selection, every other's
    /// first; each item's victim added to `named`.
    fn groups(&mut self, ask: &Ask, named: &mut BTreeSet<usize>) -> Vec<Group> {
        let at = self.keep_diary(ask.filter.officer.as_deref(), ask.horizon);
        let diary = self.kept_diary(at);
        let mut groups = Vec::new();
        for (status, range, snoozed) in &diary.groups {
            let (status, items) = (*status, &diary.items[range.clone()]);
            let around = (ask.diary_at.0 == status).then(|| ask.diary_at.1.min(items.len() - 1));
            let from = around.map_or(0, |at| at.saturating_sub(ask.reach));
            // Another group shows its first items, as many as a pane has lines for.
            let to = around
                .map_or(ask.lines, |at| at + ask.reach + 1)
                .min(items.len());
            let sent = items[from..to].to_vec();
            named.extend(
                sent.iter()
                    .filter_map(|i| self.victim_by_id(&i.reminder.victim_id)),
            );
            groups.push(Group {
                status,
                len: items.len(),
                snoozed: *snoozed,
                from,
                items: sent,
            });
        }
        groups
    }

    /// Each officer's workload on the lens's day (snoozed reminders left out, as in the
    /// header), in the officers' order; victims allocated to no one a line of their own,
    /// last, if there are any.
    pub fn workload(&self) -> Vec<Workload> {
        let today = self.today();
        let week = today
            .checked_add_days(chrono::Days::new(7))
            .unwrap_or(today);
        let officers = &self.caseload().officers;
        let mut lines: Vec<Workload> = officers
            .iter()
            .map(|o| Workload {
                officer: o.id.clone(),
                name: o.name.clone(),
                victims: 0,
                overdue: 0,
                this_week: 0,
                opted_in: 0,
            })
            .chain(std::iter::once(Workload {
                officer: String::new(),
                name: "not allocated".into(),
                victims: 0,
                overdue: 0,
                this_week: 0,
                opted_in: 0,
            }))
            .collect();
        let nobody = officers.len();
        let place: std::collections::HashMap<&str, usize> = officers
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.as_str(), i))
            .collect();
        for (i, v) in self.caseload().victims.iter().enumerate() {
            let at = v
                .allocated_to
                .as_deref()
                .and_then(|o| place.get(o).copied())
                .unwrap_or(nobody);
            let line = &mut lines[at];
            line.victims += 1;
            line.opted_in += usize::from(v.status == VictimStatus::OptedIn);
            for r in self.reminders(i) {
                if self.snoozed(r).is_some() {
                    continue;
                }
                if r.due < today {
                    line.overdue += 1;
                } else if r.due <= week {
                    line.this_week += 1;
                }
            }
        }
        if lines[nobody].victims == 0 {
            lines.pop();
        }
        lines
    }
}
