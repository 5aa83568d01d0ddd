//! The unit seen whole, and kept up to date: each victim's open reminders, the caseload's
//! order (most urgent first), the haystacks a search looks through, the diary within a
//! horizon. None of it is stored; all of it follows from the caseload (the store's digest,
//! or a caseload handed over whole), the log facts, the snoozes, the rules and the day.
//!
//! The screens work on one when they hold the unit themselves (a store opened in their own
//! process, a test); the unit service keeps one for every screen it serves, and answers
//! each with the window it shows ([`super::window`]). Pure: no I/O.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::domain::calendar::{Calendar, DayChanges};
use crate::domain::enums::{DiaryStatus, KeyDateKind, VictimStatus};
use crate::domain::facts::LogFacts;
use crate::domain::model::{Case, Caseload, Victim};
use crate::domain::reminders::{
    DiaryItem, Reminder, Rules, diary_status, reminders_from_facts, sort_key,
    unanswered_release_within_a_year,
};
use crate::domain::rules::LeadTimes;
use crate::domain::search;
use crate::store::{Digest, Snooze};

/// Lists kept between asks (the unit service's screens: a few filters and diaries each).
const KEPT: usize = 8;

/// Victims whose haystacks one call of [`Lens::idle_work`] builds: about a millisecond, the
/// most a key pressed meanwhile waits.
const IDLE_SLICE: usize = 2_000;

/// The reminders put off, found without building a reminder's identity for every victim:
/// most victims have no snooze, and the caseload asks after each of them on every change.
#[derive(Debug, Default, Clone)]
pub struct Snoozes {
    by_identity: HashMap<String, Snooze>,
    /// The victims with any snooze, however old.
    victims: HashSet<String>,
}

impl Snoozes {
    pub fn insert(&mut self, snooze: Snooze) {
        if let Some(victim) = Reminder::victim_in_identity(&snooze.reminder) {
            self.victims.insert(victim.to_owned());
        }
        self.by_identity.insert(snooze.reminder.clone(), snooze);
    }

    /// The snooze of a reminder, whatever its date.
    pub fn of(&self, r: &Reminder) -> Option<&Snooze> {
        if !self.victims.contains(r.victim_id.as_str()) {
            return None;
        }
        self.by_identity.get(&r.identity())
    }

    /// Every snooze, however old.
    pub fn all(&self) -> impl Iterator<Item = &Snooze> {
        self.by_identity.values()
    }
}

impl FromIterator<Snooze> for Snoozes {
    fn from_iter<I: IntoIterator<Item = Snooze>>(snoozes: I) -> Self {
        let mut all = Self::default();
        for s in snoozes {
            all.insert(s);
        }
        all
    }
}

/// A key date of a case: its date, the case's index, its kind.
pub type KeyDate = (NaiveDate, usize, KeyDateKind);

/// A diary kept: whose (`None`: everyone's), and how many days ahead.
type DiaryKey = (Option<String>, u32);

/// A diary worked out for a screen, with its groups counted once.
#[derive(Debug)]
pub struct KeptDiary {
    pub items: Vec<DiaryItem>,
    /// Each group: its status, where its items are, and how many of them are snoozed.
    pub groups: Vec<(DiaryStatus, std::ops::Range<usize>, usize)>,
}

/// Which victims a list or a diary shows: one officer's (or all), of one status, only
/// those never answering with a release within a year, and those a search's words find.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Filter {
    /// Only victims allocated to this officer (`None`: everyone's).
    pub officer: Option<String>,
    pub status: Option<VictimStatus>,
    /// Only victims who never answered the offer, with a release within 12 months.
    pub unanswered: bool,
    /// The search's words, folded ([`search::words`]); none: no search.
    pub words: Vec<String>,
}

/// The unit, and what follows from it on a day.
#[derive(Debug)]
pub struct Lens {
    caseload: Caseload,
    /// What the rules need of each victim's log (same order as `caseload.victims`).
    facts: Vec<LogFacts>,
    cases: HashMap<String, usize>,
    victim_index: HashMap<String, usize>,
    /// Open reminders of each victim (same order).
    reminders: Vec<Vec<Reminder>>,
    /// Each victim's first unsnoozed due date (same order), for the order.
    next_due: Vec<NaiveDate>,
    /// Every victim, most urgent first: the caseload's order before any filter.
    order: Vec<usize>,
    haystacks: search::Haystacks,
    snoozes: Snoozes,
    lead: LeadTimes,
    calendar: Calendar,
    /// The configuration's days off and days worked (the store adds its own days off).
    days: DayChanges,
    today: NaiveDate,
    /// Whether the victims are the digest's summaries (no logs): a victim changed is kept
    /// so too, its log's facts worked out first.
    summaries: bool,
    /// The rows of the filters last asked for, and the diaries (whose, how far ahead), the
    /// latest last: a screen that moves or narrows its search asks again at once.
    /// Forgotten at every change.
    kept_rows: Vec<(Filter, Vec<usize>)>,
    kept_diaries: Vec<(DiaryKey, KeptDiary)>,
    /// The key dates ahead, by how far ahead.
    kept_dates: Vec<(u32, Vec<KeyDate>)>,
    /// The unit's urgent items, once asked for.
    kept_urgent: Option<Vec<DiaryItem>>,
}

impl Lens {
    /// The unit `caseload` on `today`. `facts`: each victim's log facts (same order) when
    /// the caseload is the store's digest (partial records without their logs); `None`: the
    /// logs are in the caseload.
    pub fn new(
        caseload: Caseload,
        facts: Option<Vec<LogFacts>>,
        snoozes: Snoozes,
        today: NaiveDate,
        lead: LeadTimes,
        days: DayChanges,
    ) -> Self {
        let calendar = calendar_of(&caseload, &days);
        let mut lens = Self {
            kept_rows: Vec::new(),
            kept_diaries: Vec::new(),
            kept_dates: Vec::new(),
            kept_urgent: None,
            summaries: facts.is_some(),
            caseload,
            facts: facts.unwrap_or_default(),
            cases: HashMap::new(),
            victim_index: HashMap::new(),
            reminders: Vec::new(),
            next_due: Vec::new(),
            order: Vec::new(),
            haystacks: search::Haystacks::default(),
            snoozes,
            lead,
            calendar,
            days,
            today,
        };
        lens.rebuild();
        lens
    }

    pub fn caseload(&self) -> &Caseload {
        &self.caseload
    }

    /// Each victim's log facts (same order as the caseload's victims).
    pub fn facts(&self) -> &[LogFacts] {
        &self.facts
    }

    pub fn today(&self) -> NaiveDate {
        self.today
    }

    pub fn lead(&self) -> &LeadTimes {
        &self.lead
    }

    /// The configuration's working-day changes (the store's extra days are added).
    pub fn days(&self) -> &DayChanges {
        &self.days
    }

    pub fn snoozes(&self) -> &Snoozes {
        &self.snoozes
    }

    /// Every victim, most urgent first.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// A case's index by id.
    pub fn case_index(&self, id: &str) -> Option<usize> {
        self.cases.get(id).copied()
    }

    /// A victim's index by id.
    pub fn victim_by_id(&self, id: &str) -> Option<usize> {
        self.victim_index.get(id).copied()
    }

    pub fn case_of(&self, v: &Victim) -> Option<&Case> {
        self.cases.get(&v.case_id).map(|&i| &self.caseload.cases[i])
    }

    /// A victim's open reminders, snoozed or not.
    pub fn reminders(&self, victim: usize) -> &[Reminder] {
        self.reminders.get(victim).map_or(&[], Vec::as_slice)
    }

    /// The victim's most urgent open reminder that is not snoozed.
    pub fn next_reminder(&self, victim: usize) -> Option<&Reminder> {
        self.reminders(victim)
            .iter()
            .filter(|r| self.snoozed(r).is_none())
            .min_by_key(|r| r.due)
    }

    /// Every urgent reminder of the unit (an escape not yet told), whoever's victim, in the
    /// diary's order; kept until the next change (a window asks for it at every key).
    pub fn urgent(&mut self) -> &[DiaryItem] {
        if self.kept_urgent.is_none() {
            self.kept_urgent = Some(self.find_urgent());
        }
        self.kept_urgent.as_deref().unwrap_or_default()
    }

    fn find_urgent(&self) -> Vec<DiaryItem> {
        let mut items: Vec<DiaryItem> = self
            .reminders
            .iter()
            .flatten()
            .filter(|r| r.is_urgent())
            .map(|r| DiaryItem {
                status: self.status_of(r.due),
                reminder: r.clone(),
            })
            .collect();
        items.sort_by(|a, b| sort_key(&a.reminder).cmp(&sort_key(&b.reminder)));
        items
    }

    /// The snooze in force for a reminder, if any.
    pub fn snoozed(&self, r: &Reminder) -> Option<&Snooze> {
        self.snoozes.of(r).filter(|s| s.holds_on(self.today))
    }

    pub fn status_of(&self, due: NaiveDate) -> DiaryStatus {
        diary_status(due, self.today, &self.lead)
    }

    /// Forgets the lists kept: the unit, the day or the rules changed.
    fn forget(&mut self) {
        self.kept_rows.clear();
        self.kept_diaries.clear();
        self.kept_dates.clear();
        self.kept_urgent = None;
    }

    /// Recomputes everything derived from the caseload.
    pub fn rebuild(&mut self) {
        self.forget();
        // Victims whose facts are not known yet have their whole log in memory.
        let known = self.facts.len().min(self.caseload.victims.len());
        for v in &self.caseload.victims[known..] {
            self.facts.push(LogFacts::of(&v.contacts));
        }
        self.cases = places(&self.caseload.cases, |c| &c.id);
        self.victim_index = places(&self.caseload.victims, |v| &v.id);
        self.reminders = self.all_reminders();
        // Built while the screen is idle (`idle_work`), not before the first frame.
        self.haystacks.clear();
        self.reorder_all();
    }

    /// Every victim's reminders; a large unit's shared out over the cores.
    fn all_reminders(&self) -> Vec<Vec<Reminder>> {
        let victims: Vec<usize> = (0..self.caseload.victims.len()).collect();
        crate::par::map_chunks(&victims, 5_000, |part| {
            part.iter().map(|&i| self.compute_reminders(i)).collect()
        })
    }

    fn compute_reminders(&self, victim: usize) -> Vec<Reminder> {
        let v = &self.caseload.victims[victim];
        let rules = Rules {
            calendar: &self.calendar,
            lead: &self.lead,
        };
        self.case_of(v)
            .map(|c| reminders_from_facts(v, &self.facts[victim], c, self.today, rules))
            .unwrap_or_default()
    }

    fn first_due(&self, victim: usize) -> NaiveDate {
        self.next_reminder(victim).map_or(NaiveDate::MAX, |r| r.due)
    }

    /// The order worked out again for every victim.
    fn reorder_all(&mut self) {
        self.forget();
        self.next_due = (0..self.caseload.victims.len())
            .map(|i| self.first_due(i))
            .collect();
        let mut order: Vec<usize> = (0..self.caseload.victims.len()).collect();
        order.sort_unstable_by(|&a, &b| self.urgency(a).cmp(&self.urgency(b)));
        self.order = order;
    }

    /// After a change to one victim: its reminders, and its place in the order. At 100,000
    /// victims this spares a change the full sort.
    fn recompute(&mut self, victim: usize) {
        self.forget();
        self.reminders[victim] = self.compute_reminders(victim);
        self.next_due[victim] = self.first_due(victim);
        if let Some(at) = self.order.iter().position(|&i| i == victim) {
            self.order.remove(at);
        }
        let at = self
            .order
            .partition_point(|&i| self.urgency(i) < self.urgency(victim));
        self.order.insert(at, victim);
    }

    /// The caseload's order: the next due date, then the name, then the record's place (so
    /// that the order is total and one victim can be put back into it).
    fn urgency(&self, victim: usize) -> (NaiveDate, &str, usize) {
        (
            self.next_due[victim],
            &self.caseload.victims[victim].name,
            victim,
        )
    }

    /// The lens on `today` by `lead` and `days` (another screen's day or rules): everything
    /// worked out again if any of them differ.
    pub fn on(&mut self, today: NaiveDate, lead: LeadTimes, days: &DayChanges) {
        if lead == self.lead && *days == self.days {
            self.new_day(today);
            return;
        }
        self.calendar = calendar_of(&self.caseload, days);
        self.lead = lead;
        self.days = days.clone();
        self.today = today;
        self.reminders = self.all_reminders();
        self.reorder_all();
    }

    /// Each victim with its facts and its case (victims whose case is missing left out).
    pub fn joined(&self) -> impl Iterator<Item = (&Victim, &LogFacts, &Case)> {
        self.caseload
            .victims
            .iter()
            .zip(&self.facts)
            .filter_map(|(v, f)| Some((v, f, self.case_of(v)?)))
    }

    /// The date moved on: every reminder and the order worked out again. Whether it had.
    pub fn new_day(&mut self, today: NaiveDate) -> bool {
        if today == self.today {
            return false;
        }
        self.today = today;
        self.reminders = self.all_reminders();
        self.reorder_all();
        true
    }

    /// The whole unit read again (the store's digest, and every snooze).
    pub fn reload(&mut self, caseload: Caseload, facts: Vec<LogFacts>, snoozes: Snoozes) {
        self.facts = facts;
        self.calendar = calendar_of(&caseload, &self.days);
        self.caseload = caseload;
        self.snoozes = snoozes;
        self.rebuild();
    }

    /// The store's records after a change replace what was held: each victim's reminders
    /// are worked out again from its record and log as stored, and a new record, a victim
    /// moved to another case or a changed case rebuilds the order.
    pub fn apply(&mut self, victims: Vec<Victim>, cases: Vec<Case>, snoozes: Option<Vec<Snooze>>) {
        self.forget();
        let mut rebuild = !cases.is_empty();
        for case in cases {
            // Kept as the digest keeps it: the rest stays in the store.
            let case = if self.summaries {
                Digest::summary_of_case(&case)
            } else {
                case
            };
            match self.cases.get(&case.id) {
                Some(&c) => self.caseload.cases[c] = case,
                None => self.caseload.cases.push(case),
            }
        }
        let mut touched = Vec::new();
        for victim in victims {
            let Some(i) = self.victim_by_id(&victim.id) else {
                self.facts.truncate(self.caseload.victims.len());
                self.facts.push(LogFacts::of(&victim.contacts));
                let victim = self.kept(victim);
                self.caseload.victims.push(victim);
                rebuild = true;
                continue;
            };
            rebuild |= self.caseload.victims[i].case_id != victim.case_id;
            self.facts[i] = LogFacts::of(&victim.contacts);
            self.caseload.victims[i] = self.kept(victim);
            touched.push(i);
        }
        if let Some(snoozes) = snoozes {
            self.snoozes = snoozes.into_iter().collect();
        }
        if rebuild {
            self.rebuild();
        } else {
            for i in touched {
                self.recompute(i);
                // A name or an alias changed: the search finds the victim by it from now on
                // (the haystacks from theirs on are built again).
                let v = &self.caseload.victims[i];
                if i < self.haystacks.len() && !self.haystacks.holds(i, v, self.case_of(v)) {
                    self.haystacks.truncate(i);
                }
            }
        }
    }

    /// A victim as the lens keeps it: as the digest keeps it (no log, no contact details,
    /// needs or notes) when it keeps the digest's summaries.
    fn kept(&self, victim: Victim) -> Victim {
        if self.summaries {
            Digest::summary_of(&victim)
        } else {
            victim
        }
    }

    /// Whether victim `i` passes `filter`. The search's haystacks must be built
    /// ([`Lens::search_ready`]) for a filter with words.
    pub fn shown(&self, i: usize, filter: &Filter) -> bool {
        let v = &self.caseload.victims[i];
        filter
            .officer
            .as_deref()
            .is_none_or(|o| v.allocated_to.as_deref() == Some(o))
            && filter.status.is_none_or(|s| v.status == s)
            && (!filter.unanswered || self.unanswered_release_soon(i))
            && (filter.words.is_empty() || search::has_words(self.haystacks.get(i), &filter.words))
    }

    /// Whether a victim never answered the offer and the offender may be released within 12
    /// months (the caseload's filter for planning the tracing work).
    pub fn unanswered_release_soon(&self, i: usize) -> bool {
        let v = &self.caseload.victims[i];
        self.case_of(v).is_some_and(|c| {
            unanswered_release_within_a_year(v, &self.facts[i], c, self.today, &self.lead)
        })
    }

    /// The victims `filter` shows, in order; `within`: only among these (a search that only
    /// grew filters the rows it already has). On one core: at 100,000 victims, sharing a
    /// keystroke's scan out over two threads gave each new thread fresh memory to fault in,
    /// and some keystrokes took 15-20 ms instead of 5.
    pub fn rows(&mut self, filter: &Filter, within: Option<&[usize]>) -> Vec<usize> {
        if !filter.words.is_empty() {
            self.search_ready();
        }
        let from = within.unwrap_or(&self.order);
        from.iter()
            .copied()
            .filter(|&i| self.shown(i, filter))
            .collect()
    }

    /// The rows `filter` shows, kept for the next ask: the same filter is answered from
    /// them, and one that only narrows a search kept (its every word is in one of the new
    /// words) filters their rows rather than the whole unit's.
    pub fn kept_rows(&mut self, filter: &Filter) -> &[usize] {
        if let Some(at) = self.kept_rows.iter().rposition(|(f, _)| f == filter) {
            // The latest last.
            let kept = self.kept_rows.remove(at);
            self.kept_rows.push(kept);
        } else {
            let wider = self.kept_rows.iter().rposition(|(f, _)| narrows(filter, f));
            let rows = if let Some(w) = wider {
                let kept = std::mem::take(&mut self.kept_rows[w].1);
                let rows = self.rows(filter, Some(&kept));
                self.kept_rows[w].1 = kept;
                rows
            } else {
                self.rows(filter, None)
            };
            remember(&mut self.kept_rows, filter.clone(), rows);
        }
        self.kept_rows
            .last()
            .map_or(&[], |(_, rows)| rows.as_slice())
    }

    /// [`Lens::diary`], kept for the next ask: where it is kept ([`Lens::kept_diary`]).
    pub fn keep_diary(&mut self, officer: Option<&str>, horizon: u32) -> usize {
        let key = (officer.map(str::to_owned), horizon);
        if let Some(at) = self.kept_diaries.iter().position(|(k, _)| *k == key) {
            return at;
        }
        let items = self.diary(officer, horizon);
        let mut groups = Vec::new();
        let mut start = 0;
        for group in items.chunk_by(|a, b| a.status == b.status) {
            let snoozed = group
                .iter()
                .filter(|i| self.snoozed(&i.reminder).is_some())
                .count();
            groups.push((group[0].status, start..start + group.len(), snoozed));
            start += group.len();
        }
        remember(&mut self.kept_diaries, key, KeptDiary { items, groups })
    }

    /// [`Lens::key_dates_ahead`], kept for the next ask.
    pub fn kept_key_dates(&mut self, horizon: u32) -> &[KeyDate] {
        let at = if let Some(at) = self.kept_dates.iter().position(|(h, _)| *h == horizon) {
            at
        } else {
            let dates = self.key_dates_ahead(horizon);
            remember(&mut self.kept_dates, horizon, dates)
        };
        &self.kept_dates[at].1
    }

    /// A diary kept ([`Lens::keep_diary`]).
    pub fn kept_diary(&self, at: usize) -> &KeptDiary {
        &self.kept_diaries[at].1
    }

    /// Builds every haystack not built yet, on every core: a search before the idle work
    /// has built them all.
    pub fn search_ready(&mut self) {
        if self.haystacks.len() >= self.caseload.victims.len() {
            return;
        }
        let rest = &self.caseload.victims[self.haystacks.len()..];
        let built = crate::par::map_chunks(rest, 5_000, |part| {
            let mut built = search::Haystacks::default();
            for v in part {
                built.push(v, self.case_of(v));
            }
            vec![built]
        });
        for part in &built {
            self.haystacks.append(part);
        }
    }

    /// One slice of the work that can wait for an idle screen: what a search looks through
    /// (at 100,000 victims 20-50 ms in all, which with its scan would be too long for the
    /// first keystroke of a search). Whether any is left.
    pub fn idle_work(&mut self) -> bool {
        let from = self.haystacks.len();
        let to = (from + IDLE_SLICE).min(self.caseload.victims.len());
        if from == 0 {
            self.haystacks.reserve(self.caseload.victims.len());
        }
        let (cases, all) = (&self.cases, &self.caseload.cases);
        for v in &self.caseload.victims[from..to] {
            let case = cases.get(&v.case_id).map(|&c| &all[c]);
            self.haystacks.push(v, case);
        }
        to < self.caseload.victims.len()
    }

    /// The last day of a horizon of `days` from today.
    pub fn until(&self, days: u32) -> NaiveDate {
        self.today
            .checked_add_days(chrono::Days::new(days.into()))
            .unwrap_or(NaiveDate::MAX)
    }

    /// The reminders due within `horizon` days of the victims of `officer` (`None`:
    /// everyone's), in the diary's order, snoozed ones among them.
    pub fn diary(&self, officer: Option<&str>, horizon: u32) -> Vec<DiaryItem> {
        let until = self.until(horizon);
        let mine = |i: usize| {
            officer.is_none_or(|o| self.caseload.victims[i].allocated_to.as_deref() == Some(o))
        };
        let mut diary: Vec<DiaryItem> = self
            .reminders
            .iter()
            .enumerate()
            .filter(|(i, _)| mine(*i))
            .flat_map(|(_, rs)| rs.iter())
            .filter(|r| r.due <= until)
            .map(|r| DiaryItem {
                status: self.status_of(r.due),
                reminder: r.clone(),
            })
            .collect();
        diary.sort_by(|a, b| sort_key(&a.reminder).cmp(&sort_key(&b.reminder)));
        diary
    }

    /// Key dates of open cases within `horizon` days: date, case index, kind, soonest first.
    pub fn key_dates_ahead(&self, horizon: u32) -> Vec<KeyDate> {
        let until = self.until(horizon);
        let mut dates: Vec<KeyDate> = self
            .caseload
            .cases
            .iter()
            .enumerate()
            .filter(|(_, c)| c.closed_on.is_none() && c.transferred.is_none())
            .flat_map(|(i, c)| c.key_dates.iter().map(move |k| (k.date, i, k.kind)))
            .filter(|(d, ..)| *d >= self.today && *d <= until)
            .collect();
        dates.sort();
        dates
    }
}

/// Keeps `value` under `key` in `list` (the oldest let go when it is full); where it is.
fn remember<K, V>(list: &mut Vec<(K, V)>, key: K, value: V) -> usize {
    if list.len() >= KEPT {
        list.remove(0);
    }
    list.push((key, value));
    list.len() - 1
}

/// Whether `filter` shows only victims `wider` shows: the same but for a search whose every
/// word is in one of `filter`'s.
fn narrows(filter: &Filter, wider: &Filter) -> bool {
    filter.officer == wider.officer
        && filter.status == wider.status
        && filter.unanswered == wider.unanswered
        && wider
            .words
            .iter()
            .all(|w| filter.words.iter().any(|n| n.contains(w.as_str())))
}

/// The working days of a unit: the store's extra days off and the configuration's changes.
fn calendar_of(caseload: &Caseload, days: &DayChanges) -> Calendar {
    Calendar::with_changes(
        caseload
            .extra_non_working_days
            .iter()
            .chain(&days.non_working)
            .copied(),
        days.working.iter().copied(),
    )
}

/// Each record's place in `records`, by id.
fn places<T>(records: &[T], id: impl Fn(&T) -> &String) -> HashMap<String, usize> {
    records
        .iter()
        .enumerate()
        .map(|(i, r)| (id(r).clone(), i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validate::{KnownIds, parse_caseload};

    fn sample() -> Lens {
        let text = include_str!("../../sample-data/northshire.json");
        let caseload = parse_caseload(text, &KnownIds::default(), false).unwrap();
        Lens::new(
            caseload,
            None,
            Snoozes::default(),
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            LeadTimes::default(),
            DayChanges::default(),
        )
    }

    fn searching(words: &[&str]) -> Filter {
        Filter {
            words: words.iter().map(|w| (*w).to_owned()).collect(),
            ..Filter::default()
        }
    }

    #[test]
    fn a_victim_renamed_is_found_by_the_new_name_and_not_the_old() {
        let mut lens = sample();
        lens.search_ready();
        let i = lens.order()[3];
        let mut victim = lens.caseload().victims[i].clone();
        let old = search::words(&victim.name);
        assert!(lens.kept_rows(&searching(&["quillfeather"])).is_empty());
        victim.name = "Orla Quillfeather".into();
        lens.apply(vec![victim], Vec::new(), None);
        assert_eq!(lens.kept_rows(&searching(&["quillfeather"])), [i]);
        let old: Vec<&str> = old.iter().map(String::as_str).collect();
        assert!(!lens.kept_rows(&searching(&old)).contains(&i));
    }

    #[test]
    fn a_narrowed_search_kept_finds_what_a_search_of_the_whole_unit_finds() {
        let mut lens = sample();
        for words in [
            &["m"][..],
            &["ma"],
            &["mar"],
            &["mar", "v-00"],
            &["ar"],
            &["m"],
        ] {
            let kept = lens.kept_rows(&searching(words)).to_vec();
            assert_eq!(kept, lens.rows(&searching(words), None), "{words:?}");
        }
    }

    #[test]
    fn a_change_is_in_the_next_rows_and_diary_asked_for() {
        let mut lens = sample();
        let all = Filter::default();
        let first = lens.kept_rows(&all)[0];
        let before = lens.keep_diary(None, 14);
        let items = lens.kept_diary(before).items.len();
        // The most urgent victim declines: nothing is due for them any more.
        let mut victim = lens.caseload().victims[first].clone();
        victim.status = VictimStatus::Declined;
        lens.apply(vec![victim], Vec::new(), None);
        assert_ne!(lens.kept_rows(&all)[0], first);
        let after = lens.keep_diary(None, 14);
        assert!(lens.kept_diary(after).items.len() < items);
        assert_eq!(lens.kept_diary(after).items, lens.diary(None, 14));
    }
}
