//! The reminder engine: a pure function of the caseload, a date and the lead times
//! (FORMAT.md §3). Nothing here is typed in by a user; logging the contact a rule asks for
//! is what resolves its reminder.

use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate};

use super::calendar::{Calendar, add_months};
use super::enums::{
    DiaryStatus, DiscretionaryDecision, Eligibility, InformationLevel, KeyDateKind,
    LicenceCondition, LicenceOutcome, ReminderKind, TaskKind, VictimStatus,
};
use super::facts::LogFacts;
use super::model::{Case, Victim};
use super::rules::LeadTimes;

/// One thing an officer must do for a victim, and by when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reminder {
    pub kind: ReminderKind,
    pub victim_id: String,
    pub case_id: String,
    pub officer: Option<String>,
    pub due: NaiveDate,
    /// The key date's kind, for `key_date`, `vps_offer`, `licence_conditions`, `case_closure`,
    /// `release_reoffer`.
    pub key_date: Option<KeyDateKind>,
    /// The date the reminder is about: the key date, the call, the complaint, the outcome.
    pub about: Option<NaiveDate>,
    /// The label of a sensitive date within the margin of `due`.
    pub sensitive: Option<String>,
    /// The victim chose to hear only the month of release.
    pub month_only: bool,
    /// For `release_reoffer`: the day an agency was asked to trace the victim, while no
    /// contact with the victim has been logged since ("tracing").
    pub tracing: Option<NaiveDate>,
    /// What `about` is for a second offer or an annual letter: a contact of the log, or,
    /// where the log has none to count from, the victim's referral or status date.
    pub counted_from: CountedFrom,
    /// Which entry of its list the reminder comes from, where one list can give several
    /// reminders alike in everything else: the licence request's place among the victim's
    /// (two decided on one day).
    pub entry: Option<usize>,
    /// For a reminder about a licence request: the condition asked for.
    pub condition: Option<LicenceCondition>,
    /// For a `task`: its kind.
    pub task: Option<TaskKind>,
}

/// What a reminder counts from where the contact log holds nothing to count from: a victim
/// brought in from a spreadsheet has no log, and their second offer or annual letter counts
/// from the day their status began (their referral, when the sheet gave no status date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CountedFrom {
    /// The date is a contact of the log (or, for any other kind, what `about` says it is).
    Log,
    /// Nothing of the kind is logged, and the status dates from the referral.
    Referral,
    /// Nothing of the kind is logged: the date is the status's.
    Status,
}

/// What the rules need besides the caseload.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    pub calendar: &'a Calendar,
    pub lead: &'a LeadTimes,
}

impl Rules<'_> {
    /// When a statutory victim's initial offer is due: `workdays(sentence.imposed_on, 40)`.
    pub fn initial_offer_due(&self, case: &Case) -> NaiveDate {
        self.calendar.add_working_days(
            case.sentence.imposed_on,
            self.lead.initial_offer_working_days,
        )
    }

    /// When a call, visit, meeting or video on `call` must be confirmed in writing.
    pub fn written_follow_up_due(&self, call: NaiveDate) -> NaiveDate {
        self.calendar
            .add_working_days(call, self.lead.written_follow_up_working_days)
    }

    /// When a complaint received on `complaint` must be acknowledged.
    pub fn complaint_ack_due(&self, complaint: NaiveDate) -> NaiveDate {
        self.calendar
            .add_working_days(complaint, self.lead.complaint_ack_working_days)
    }
}

fn minus_days(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_sub_days(Days::new(n.into()))
        .unwrap_or(NaiveDate::MIN)
}

fn plus_days(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_days(Days::new(n.into()))
        .unwrap_or(NaiveDate::MAX)
}

fn months(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Every open reminder of one victim on `today`, whatever its due date. `case` is the
/// victim's case; the victim's contact log is read from `victim.contacts`.
pub fn victim_reminders(
    victim: &Victim,
    case: &Case,
    today: NaiveDate,
    rules: Rules<'_>,
) -> Vec<Reminder> {
    reminders_from_facts(victim, &LogFacts::of(&victim.contacts), case, today, rules)
}

/// `victim_reminders` with the log already folded into its facts (so that the log itself
/// need not be read).
pub fn reminders_from_facts(
    victim: &Victim,
    facts: &LogFacts,
    case: &Case,
    today: NaiveDate,
    rules: Rules<'_>,
) -> Vec<Reminder> {
    reminders_due_by(victim, facts, case, today, rules, NaiveDate::MAX)
}

/// The reminders overdue on `day` (due before it): the diary's overdue group for one victim,
/// with the log already folded into its facts.
pub fn overdue_reminders(
    victim: &Victim,
    facts: &LogFacts,
    case: &Case,
    day: NaiveDate,
    rules: Rules<'_>,
) -> Vec<Reminder> {
    match day.pred_opt() {
        Some(before) => reminders_due_by(victim, facts, case, day, rules, before),
        None => Vec::new(),
    }
}

/// `reminders_from_facts`, keeping only the reminders due on or before `until` (the others
/// are never built: most of a large unit's reminders lie beyond a diary's horizon).
fn reminders_due_by(
    victim: &Victim,
    facts: &LogFacts,
    case: &Case,
    today: NaiveDate,
    rules: Rules<'_>,
    until: NaiveDate,
) -> Vec<Reminder> {
    if !under_the_rules(victim, case) {
        return Vec::new();
    }
    let mut scan = Scan {
        victim,
        facts,
        case,
        rules,
        until,
        out: Vec::new(),
    };
    scan.offers();
    scan.written_follow_ups();
    scan.complaints();
    if victim.status == VictimStatus::OptedIn {
        scan.annual_letter();
        scan.key_dates();
        scan.licence_conditions(today);
        scan.licence_outcomes();
        scan.licence_requests(today);
        scan.closure();
    }
    scan.release_reoffer(today);
    scan.casework();
    scan.risk();
    scan.outcomes();
    scan.tasks();
    scan.out
}

/// Whether any reminder is asked of the victim at all: not when they said no or their
/// record is closed, nor when their case closed or moved to another area. A victim who
/// moved out of England and Wales keeps them: contact goes on, abroad.
pub fn under_the_rules(victim: &Victim, case: &Case) -> bool {
    !(victim.status.is_inactive()
        || case.closed_on.is_some()
        || case.transferred.is_some()
        || refused(victim))
}

/// A discretionary request the unit refused, the victim not taken into the scheme since: the
/// unit's decision, not the victim's, yet nothing more is asked for them.
fn refused(victim: &Victim) -> bool {
    victim.status == VictimStatus::Referred
        && victim
            .discretionary_decided()
            .is_some_and(|(d, _)| d == DiscretionaryDecision::Refused)
}

/// What a rule counting from `logged`, else from the victim's status date, counts from.
fn counted_from(v: &Victim, logged: Option<NaiveDate>) -> CountedFrom {
    match logged {
        Some(_) => CountedFrom::Log,
        None if v.status_since == v.referred_on => CountedFrom::Referral,
        None => CountedFrom::Status,
    }
}

/// One victim's rules, each adding the reminders still open.
struct Scan<'a> {
    victim: &'a Victim,
    facts: &'a LogFacts,
    case: &'a Case,
    rules: Rules<'a>,
    until: NaiveDate,
    out: Vec<Reminder>,
}

impl Scan<'_> {
    fn add(
        &mut self,
        kind: ReminderKind,
        due: NaiveDate,
        key_date: Option<KeyDateKind>,
        about: NaiveDate,
    ) -> Option<&mut Reminder> {
        self.add_entry(kind, due, key_date, about, None)
    }

    /// [`Scan::add`] for a reminder that comes from entry `entry` of a list.
    fn add_entry(
        &mut self,
        kind: ReminderKind,
        due: NaiveDate,
        key_date: Option<KeyDateKind>,
        about: NaiveDate,
        entry: Option<usize>,
    ) -> Option<&mut Reminder> {
        if due > self.until {
            return None;
        }
        let v = self.victim;
        self.out.push(Reminder {
            kind,
            victim_id: v.id.clone(),
            case_id: self.case.id.clone(),
            officer: v.allocated_to.clone(),
            due,
            key_date,
            about: Some(about),
            sensitive: sensitive_label(v, due, self.rules.lead.sensitive_margin_days),
            // Only a release's day is kept back; an escape or a death is told in full.
            month_only: kind == ReminderKind::KeyDate
                && v.information() == InformationLevel::ReleaseMonth
                && key_date.is_some_and(KeyDateKind::is_release),
            tracing: None,
            counted_from: CountedFrom::Log,
            entry,
            condition: None,
            task: None,
        });
        self.out.last_mut()
    }

    fn workdays(&self, from: NaiveDate, n: u32) -> NaiveDate {
        self.rules.calendar.add_working_days(from, n)
    }

    /// `initial_offer`, `discretionary_decision`, `second_offer`.
    fn offers(&mut self) {
        let (v, lead) = (self.victim, self.rules.lead);
        match (v.status, v.eligibility) {
            (VictimStatus::Referred, Eligibility::Statutory)
                if self.facts.initial_offer.is_none() =>
            {
                let sentenced = self.case.sentence.imposed_on;
                let due = self.rules.initial_offer_due(self.case);
                self.add(ReminderKind::InitialOffer, due, None, sentenced);
            }
            // vlu's own decision record ends the decision's clock; an acceptance starts the
            // offer's, counted from the decision as a statutory offer is from the sentence.
            (VictimStatus::Referred, Eligibility::Discretionary) => {
                match v.discretionary_decided() {
                    None => {
                        let due = plus_days(v.referred_on, lead.discretionary_decision_days);
                        self.add(
                            ReminderKind::DiscretionaryDecision,
                            due,
                            None,
                            v.referred_on,
                        );
                    }
                    Some((DiscretionaryDecision::Accepted, on))
                        if self.facts.initial_offer.is_none() =>
                    {
                        let due = self.workdays(on, lead.initial_offer_working_days);
                        self.add(ReminderKind::DiscretionaryOffer, due, None, on);
                    }
                    Some(_) => {}
                }
            }
            (VictimStatus::OfferSent, _) if self.facts.second_offer.is_none() => {
                let offered = self.facts.initial_offer.unwrap_or(v.status_since);
                let due = add_months(offered, months(lead.second_offer_months));
                let from = counted_from(v, self.facts.initial_offer);
                if let Some(r) = self.add(ReminderKind::SecondOffer, due, None, offered) {
                    r.counted_from = from;
                }
            }
            _ => {}
        }
    }

    /// Every call, visit or meeting confirmed by a letter or email on or after its day.
    fn written_follow_ups(&mut self) {
        if !self.victim.wants_written_follow_up() {
            return;
        }
        for &call in &self.facts.unconfirmed {
            let due = self.rules.written_follow_up_due(call);
            self.add(ReminderKind::WrittenFollowUp, due, None, call);
        }
    }

    /// Every complaint acknowledged on or after its day: by a `complaint_ack` contact, or, for
    /// a complaint also recorded in vlu's own casework (the same day), on the record — one
    /// complaint, one clock, ended from either place.
    fn complaints(&mut self) {
        for &complaint in &self.facts.open_complaints {
            if self.victim.record_acknowledged(complaint).is_some() {
                continue;
            }
            let due = self.rules.complaint_ack_due(complaint);
            self.add(ReminderKind::ComplaintAck, due, None, complaint);
        }
    }

    /// A letter a year after the last outbound contact since opting in.
    fn annual_letter(&mut self) {
        let v = self.victim;
        if v.information() == InformationLevel::ReleaseMonth {
            return;
        }
        let since = |d: &NaiveDate| *d >= v.status_since;
        let outbound = self.facts.last_outbound.filter(since);
        let last = outbound.unwrap_or(v.status_since);
        let due = add_months(last, months(self.rules.lead.annual_letter_months));
        // The opt-in itself, logged, is a contact on the status's day.
        let from = counted_from(v, outbound.or(self.facts.last_inbound.filter(since)));
        if let Some(r) = self.add(ReminderKind::AnnualLetter, due, None, last) {
            r.counted_from = from;
        }
    }

    /// Each key date the victim's level covers, and a VPS offer before each parole hearing.
    fn key_dates(&mut self) {
        let lead = self.rules.lead;
        for kd in &self.case.key_dates {
            if self.victim.told_of(kd.kind) {
                // Something that happened (vlu's own escape, death, transfer, decision) is
                // told at once, by a contact about it from its day on.
                let (from, due) = if KeyDateKind::EVENTS.contains(&kd.kind) {
                    (kd.date, kd.date)
                } else {
                    (
                        minus_days(kd.date, lead.key_date_window_days),
                        minus_days(kd.date, lead.key_date_notice_days),
                    )
                };
                if self.facts.told_about(kd.kind).is_none_or(|d| d < from) {
                    self.add(ReminderKind::KeyDate, due, Some(kd.kind), kd.date);
                }
            }
            if kd.kind == KeyDateKind::ParoleHearing {
                let from = minus_days(kd.date, lead.vps_window_days);
                // vlu's own: an offer recorded on the VPS record is the offer too (a base-format
                // record has none).
                let offered = self.victim.vps.as_ref().and_then(|v| v.offered_on);
                if self.facts.last_vps.max(offered).is_none_or(|d| d < from) {
                    let due = minus_days(kd.date, lead.vps_notice_days);
                    self.add(ReminderKind::VpsOffer, due, Some(kd.kind), kd.date);
                }
            }
        }
    }

    /// Licence conditions asked about ahead of the first possible release.
    fn licence_conditions(&mut self, today: NaiveDate) {
        let lead = self.rules.lead;
        if let Some((kind, date)) = licence_trigger(self.case, today) {
            let from = minus_days(date, lead.licence_conditions_window_days);
            if self.facts.last_licence_conditions.is_none_or(|d| d < from) {
                let due = minus_days(date, lead.licence_conditions_notice_days);
                self.add(ReminderKind::LicenceConditions, due, Some(kind), date);
            }
        }
    }

    /// The outcome of each decided licence request passed on.
    fn licence_outcomes(&mut self) {
        for (i, request) in self.victim.licence_requests.iter().enumerate() {
            let decided = request
                .outcome
                .is_some_and(|o| o != LicenceOutcome::Pending);
            let Some(on) = request.outcome_on.filter(|_| decided) else {
                continue;
            };
            if self.facts.last_licence_conditions.is_none_or(|d| d < on) {
                let due = self.workdays(on, self.rules.lead.licence_outcome_working_days);
                if let Some(r) =
                    self.add_entry(ReminderKind::LicenceOutcome, due, None, on, Some(i))
                {
                    r.condition = request.condition;
                }
            }
        }
    }

    /// Contact closed at the later of licence and sentence expiry (on a tie, the SED).
    fn closure(&mut self) {
        let end = self
            .case
            .key_dates
            .iter()
            .filter(|k| matches!(k.kind, KeyDateKind::Led | KeyDateKind::Sed))
            .max_by_key(|k| (k.date, k.kind == KeyDateKind::Sed));
        if let Some(end) = end
            && !self.facts.closure
        {
            self.add(
                ReminderKind::CaseClosure,
                end.date,
                Some(end.kind),
                end.date,
            );
        }
    }
}

/// The date licence conditions must be ready for: the earliest of CRD, ARD, PED, HDCED and
/// tariff expiry that is still ahead of `today`, or has passed while the offender is still
/// inside (no `release` key date on or before `today`).
fn licence_trigger(case: &Case, today: NaiveDate) -> Option<(KeyDateKind, NaiveDate)> {
    let released = case.dates_of(KeyDateKind::Release).any(|d| d <= today);
    case.key_dates
        .iter()
        .filter(|k| KeyDateKind::LICENCE_TRIGGERS.contains(&k.kind))
        .filter(|k| k.date >= today || !released)
        .map(|k| (k.date, k.kind))
        .min()
        .map(|(date, kind)| (kind, date))
}

/// The label of the victim's sensitive date nearest to `due`, if one is within `margin` days
/// either side. A yearly date recurs on its anniversary (29 February on 28 February), from its
/// own year on.
pub fn sensitive_label(victim: &Victim, due: NaiveDate, margin: u32) -> Option<String> {
    let margin = i64::from(margin);
    let mut best: Option<(i64, &str)> = None;
    for s in &victim.sensitive_dates {
        let Some(date) = s.date else { continue };
        let label = s.label.as_deref().unwrap_or("sensitive date");
        let candidates: Vec<NaiveDate> = if s.yearly == Some(true) {
            (due.year() - 1..=due.year() + 1)
                .filter(|&y| y >= date.year())
                .filter_map(|y| anniversary(date, y))
                .collect()
        } else {
            vec![date]
        };
        for c in candidates {
            let distance = (c - due).num_days().abs();
            if distance <= margin && best.is_none_or(|(d, _)| distance < d) {
                best = Some((distance, label));
            }
        }
    }
    best.map(|(_, label)| label.to_owned())
}

fn anniversary(date: NaiveDate, year: i32) -> Option<NaiveDate> {
    date.with_year(year)
        .or_else(|| NaiveDate::from_ymd_opt(year, date.month(), 28))
}

/// Where a reminder due on `due` stands on `today`.
pub fn diary_status(due: NaiveDate, today: NaiveDate, lead: &LeadTimes) -> DiaryStatus {
    if due < today {
        DiaryStatus::Overdue
    } else if due == today {
        DiaryStatus::DueToday
    } else if due <= plus_days(today, lead.due_soon_days) {
        DiaryStatus::DueSoon
    } else {
        DiaryStatus::Upcoming
    }
}

/// One line of the diary.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DiaryItem {
    pub reminder: Reminder,
    pub status: DiaryStatus,
}

/// Which reminders a diary shows.
#[derive(Debug, Clone)]
pub struct DiaryQuery<'q> {
    pub date: NaiveDate,
    /// The horizon: reminders due up to this many days after `date` (overdue ones always).
    pub days: u32,
    /// Only victims allocated to this officer.
    pub officer: Option<&'q str>,
}

/// The diary: every reminder overdue on the date, due on it, or due within the horizon,
/// sorted by due date, victim, kind and key date (FORMAT.md §3). Each victim's log is read
/// from `victim.contacts`.
pub fn diary<'c>(
    cases: impl IntoIterator<Item = &'c Case>,
    victims: impl IntoIterator<Item = &'c Victim>,
    query: &DiaryQuery<'_>,
    rules: Rules<'_>,
) -> Vec<DiaryItem> {
    let cases: HashMap<&str, &Case> = cases.into_iter().map(|c| (c.id.as_str(), c)).collect();
    let facts: Vec<(&Victim, LogFacts, &Case)> = victims
        .into_iter()
        .filter_map(|v| {
            Some((
                v,
                LogFacts::of(&v.contacts),
                *cases.get(v.case_id.as_str())?,
            ))
        })
        .collect();
    diary_from_facts(facts.iter().map(|(v, f, c)| (*v, f, *c)), query, rules)
}

/// `diary` with each victim's log already folded into its facts, and matched with its case
/// by the caller (the store's digest does it by walking victims and cases side by side).
pub fn diary_from_facts<'v>(
    victims: impl IntoIterator<Item = (&'v Victim, &'v LogFacts, &'v Case)>,
    query: &DiaryQuery<'_>,
    rules: Rules<'_>,
) -> Vec<DiaryItem> {
    let until = plus_days(query.date, query.days);
    let work: Vec<(&Victim, &LogFacts, &Case)> = victims
        .into_iter()
        .filter(|(v, ..)| {
            query
                .officer
                .is_none_or(|o| v.allocated_to.as_deref() == Some(o))
        })
        .collect();
    let run = |part: &[(&Victim, &LogFacts, &Case)]| -> Vec<DiaryItem> {
        part.iter()
            .flat_map(|(v, f, c)| reminders_due_by(v, f, c, query.date, rules, until))
            .map(|reminder| DiaryItem {
                status: diary_status(reminder.due, query.date, rules.lead),
                reminder,
            })
            .collect()
    };
    // Victims are independent: a large unit's are shared out over the cores.
    let mut items = crate::par::map_chunks(&work, 5_000, run);
    items.sort_by(|a, b| sort_key(&a.reminder).cmp(&sort_key(&b.reminder)));
    items
}

/// The diary's order: due date, victim, kind, key date (FORMAT.md §3), then the date the
/// reminder is about.
pub fn sort_key(r: &Reminder) -> (NaiveDate, &str, &str, Option<&str>, Option<NaiveDate>) {
    (
        r.due,
        &r.victim_id,
        r.kind.as_str(),
        r.key_date.map(KeyDateKind::as_str),
        r.about,
    )
}

impl Reminder {
    /// A stable name for this reminder (the same on every day it is open), for snoozing
    /// and calendar ids: `kind/victim/key date/date it is about`. A task's kind is its
    /// task's (`task.media_enquiry`): two tasks opened on one day are two reminders.
    pub fn identity(&self) -> String {
        let kind = match self.task {
            Some(task) => format!("{}.{task}", self.kind),
            None => self.kind.to_string(),
        };
        format!(
            "{}/{}/{}/{}",
            kind,
            self.victim_id,
            self.key_date.map_or("-", KeyDateKind::as_str),
            self.about.map_or_else(|| "-".to_owned(), |d| d.to_string())
        )
    }

    /// Whether the reminder is urgent: a victim not yet told that the offender escaped or
    /// absconded. The screens put it above everything, whatever their filters.
    pub fn is_urgent(&self) -> bool {
        self.kind == ReminderKind::KeyDate && self.key_date == Some(KeyDateKind::Escape)
    }

    /// The victim named in an `identity`. A victim id may itself hold a `/`; the kind, the
    /// key date and the date never do, so the victim is what lies between the first `/` and
    /// the last two.
    pub fn victim_in_identity(identity: &str) -> Option<&str> {
        let (_kind, rest) = identity.split_once('/')?;
        let mut back = rest.rsplitn(3, '/');
        let (_about, _key_date) = (back.next()?, back.next()?);
        back.next()
    }
}

mod action;
mod adrift;
mod casework;
mod licence;
mod outcome;
mod reoffer;
mod risk;
mod tasks;
pub use adrift::{adrift, last_heard};
pub use reoffer::{
    UNANSWERED_FILTER_MONTHS, never_answered, release_ahead, unanswered_release,
    unanswered_release_within_a_year,
};

#[cfg(test)]
mod tests;
