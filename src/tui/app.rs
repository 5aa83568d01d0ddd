//! The screens' state and what each action does to it. Nothing here draws or touches the
//! store: a change to save comes back as an [`Effect`] for the loop to perform; the loop
//! hands back the records the store says changed ([`App::store_changed`]) and how the save
//! went ([`App::saved`], [`App::failed`]).

use std::collections::HashMap;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};

use super::action::Action;
use super::form::Form;
use super::keymap::{Context, Key, Keymap};
use crate::domain::calendar::Calendar;
use crate::domain::enums::{DiaryStatus, KeyDateKind, VictimStatus};
use crate::domain::facts::LogFacts;
use crate::domain::model::{Case, Caseload, Contact, Victim};
use crate::domain::reminders::{DiaryItem, Reminder, diary_status};
use crate::domain::rules::LeadTimes;
use crate::domain::search;
use crate::domain::validate::KnownIds;
use crate::store::Snooze;
use crate::unit::access::Role;

/// The furthest the diary pane looks ahead, in days.
pub const MAX_HORIZON: u32 = 91;

/// Victims whose haystacks one call of [`App::idle_work`] builds: about a millisecond, the
/// most a key pressed meanwhile waits.
const IDLE_SLICE: usize = 2_000;

/// The three panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Caseload,
    Diary,
    Contacts,
}

impl Pane {
    pub const ALL: [Pane; 3] = [Pane::Caseload, Pane::Diary, Pane::Contacts];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Caseload => "Caseload",
            Pane::Diary => "Diary",
            Pane::Contacts => "Contact log",
        }
    }

    /// The keymap context of the pane's own keys.
    pub fn context(self) -> Context {
        match self {
            Pane::Caseload => Context::Caseload,
            Pane::Diary => Context::Diary,
            Pane::Contacts => Context::Contacts,
        }
    }
}

/// Views laid over the panes, innermost last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help,
    /// Everything about the selected victim; contact details shown only once revealed.
    Victim {
        revealed: bool,
    },
    /// One contact-log entry in full (its index in the victim's log).
    Entry(usize),
    Form(Form),
    /// Problems to read before going on (a broken keymap).
    Notice(Vec<String>),
    /// The letters the selected victim can be sent.
    LetterPicker(LetterPicker),
    /// Each officer's workload.
    Workload(workload::WorkloadView),
    /// A letter in full, before it is saved and recorded.
    Letter(Box<LetterView>),
    /// The monitoring return, as the store worked it out.
    Report(Box<ReportView>),
    /// The audit trail or a subject access, for an administrator.
    Admin(Box<AdminView>),
}

/// The selected victim's whole record, as the store gave it when the victim was selected
/// (and again whenever the store says it changed): all that the victim view, the contact
/// log and every form show and change. The caseload list and the diary work from the
/// digest's summary of every victim, which is never shown in full nor saved.
#[derive(Debug, Clone)]
enum Opened {
    Whole {
        victim: Box<Victim>,
        case: Option<Box<Case>>,
    },
    /// The store could not give it: the screens go on with the summary; nothing is saved.
    Unreadable(String),
}

/// Where the app starts.
pub struct Setup {
    pub caseload: Caseload,
    pub snoozes: Vec<Snooze>,
    pub today: NaiveDate,
    pub officer: String,
    pub lead: LeadTimes,
    /// The configuration's working-day changes (the store's extra days are added).
    pub days: crate::domain::calendar::DayChanges,
    pub keymap: Keymap,
    pub colour: bool,
    /// Draw in ASCII only (borders `+-|`, masks `***`): the locale is not UTF-8.
    pub ascii: bool,
    /// Each victim's log facts (same order as `caseload.victims`) when the caseload is the
    /// store's digest: partial records without their logs (`Store::load_digest`). Each
    /// victim's full record, its case and its log are then read when it is first selected,
    /// and nothing is saved from a partial record. `None`: the caseload is whole.
    pub facts: Option<Vec<LogFacts>>,
    /// What the signed-in user is to the unit: the unit service's word (its welcome), or an
    /// administrator when the screens run on the store in this process (only the store's
    /// owner can open it). The one rule for what the screens offer (`access::allowed`).
    pub role: Role,
    /// How the unit writes dates (`date_format`, as `import-table` reads them): forms take
    /// dates written so as well as `YYYY-MM-DD`.
    pub date_format: String,
    /// The unit's retention rules, for an erasure's reason (`[retention]`).
    pub retention: crate::domain::retention::RetentionRules,
}

impl Setup {
    /// A start on `caseload` as `officer` on `today`, with the default lead times and keymap,
    /// colours on and nothing snoozed, as the store's owner on a store in this process: an
    /// administrator.
    pub fn new(caseload: Caseload, today: NaiveDate, officer: impl Into<String>) -> Self {
        Self {
            caseload,
            snoozes: Vec::new(),
            today,
            officer: officer.into(),
            lead: LeadTimes::default(),
            days: crate::domain::calendar::DayChanges::default(),
            keymap: Keymap::default_keymap(),
            colour: true,
            ascii: false,
            facts: None,
            role: Role::Admin,
            date_format: crate::config::DateFormat::default().0,
            retention: crate::domain::retention::RetentionRules::default(),
        }
    }
}

#[allow(
    clippy::struct_excessive_bools,
    reason = "independent switches of the screen's state"
)]
pub struct App {
    pub caseload: Caseload,
    pub today: NaiveDate,
    pub officer: String,
    pub keymap: Keymap,
    pub colour: bool,
    /// Draw in ASCII only: the terminal's locale is not UTF-8 (`glyphs::utf8_terminal`).
    pub ascii: bool,
    pub horizon: u32,
    lead: LeadTimes,
    calendar: Calendar,
    /// The configuration's days off and days worked (the store adds its own days off).
    days: crate::domain::calendar::DayChanges,
    cases: HashMap<String, usize>,
    /// Open reminders of each victim (same order as `caseload.victims`).
    reminders: Vec<Vec<Reminder>>,
    /// What the rules need of each victim's log (same order).
    facts: Vec<LogFacts>,
    /// How much of each victim's record is in memory (same order).
    /// Whether the caseload was handed over whole (tests, benchmarks), so that each record
    /// in it is also the whole record; from the store it is the digest's summaries.
    whole_list: bool,
    opened: Option<Opened>,
    /// Each victim's first unsnoozed due date (same order), for sorting the caseload.
    next_due: Vec<NaiveDate>,
    /// Every victim, most urgent first: the caseload's order before any filter.
    order: Vec<usize>,
    victim_index: HashMap<String, usize>,
    /// Key dates of open cases within the horizon: date, case index, kind.
    pub key_dates_ahead: Vec<(NaiveDate, usize, KeyDateKind)>,
    haystacks: search::Haystacks,
    /// The search's words, folded once per keystroke.
    query_words: Vec<String>,
    pub snoozes: Snoozes,
    pub focus: Pane,
    pub mine_only: bool,
    pub status_filter: Option<VictimStatus>,
    /// Only victims who never answered the offer, with a release within 12 months: the
    /// tracing work to plan (`release_reoffer`).
    pub unanswered_only: bool,
    /// One officer's caseload, chosen in the workload view (`None`: as `mine_only` says).
    pub officer_filter: Option<String>,
    pub query: String,
    pub searching: bool,
    /// The caseload pane's rows: victim indices, most urgent first.
    pub rows: Vec<usize>,
    pub selected: usize,
    pub diary: Vec<DiaryItem>,
    pub diary_selected: usize,
    pub contacts_selected: usize,
    pub overlays: Vec<Overlay>,
    pub message: Option<String>,
    /// Rows a page moves (set by the loop from the terminal's height).
    pub page: usize,
    /// How far the victim view or the contact entry is scrolled down, in lines.
    pub overlay_scroll: u16,
    pub quit: bool,
    /// Who else has the store open (from the unit service), for the header.
    pub present: Vec<String>,
    /// The OS user at this screen, as the store knows them.
    pub signed_in_user: String,
    /// The version of each record as last read (`Record`, id).
    pub versions: HashMap<(crate::store::Record, String), u64>,
    /// Templates and folders for letters.
    pub letters: LetterSetup,
    /// What the signed-in user is to the unit (see [`Setup::role`]).
    pub role: Role,
    /// How the unit writes dates (see [`Setup::date_format`]).
    pub date_format: String,
    /// The focused pane takes the whole screen.
    pub zoomed: bool,
    /// The unit's retention rules (see [`Setup::retention`]).
    pub retention: crate::domain::retention::RetentionRules,
}

impl App {
    pub fn new(setup: Setup) -> Self {
        let calendar = Calendar::with_changes(
            setup
                .caseload
                .extra_non_working_days
                .iter()
                .chain(&setup.days.non_working)
                .copied(),
            setup.days.working.iter().copied(),
        );
        let mut app = Self {
            today: setup.today,
            officer: setup.officer,
            keymap: setup.keymap,
            colour: setup.colour,
            ascii: setup.ascii,
            horizon: 14,
            lead: setup.lead,
            calendar,
            days: setup.days.clone(),
            cases: HashMap::new(),
            reminders: Vec::new(),
            facts: Vec::new(),
            whole_list: setup.facts.is_none(),
            opened: None,
            next_due: Vec::new(),
            order: Vec::new(),
            victim_index: HashMap::new(),
            key_dates_ahead: Vec::new(),
            haystacks: search::Haystacks::default(),
            query_words: Vec::new(),
            snoozes: setup.snoozes.into_iter().collect(),
            focus: Pane::Caseload,
            mine_only: false,
            status_filter: None,
            unanswered_only: false,
            officer_filter: None,
            query: String::new(),
            searching: false,
            rows: Vec::new(),
            selected: 0,
            diary: Vec::new(),
            diary_selected: 0,
            contacts_selected: 0,
            overlays: Vec::new(),
            message: None,
            page: 10,
            overlay_scroll: 0,
            quit: false,
            present: Vec::new(),
            signed_in_user: String::new(),
            versions: HashMap::new(),
            letters: LetterSetup::default(),
            role: setup.role,
            date_format: setup.date_format,
            zoomed: false,
            retention: setup.retention,
            caseload: setup.caseload,
        };
        if let Some(facts) = setup.facts {
            app.facts = facts;
        }
        app.rebuild();
        app
    }

    /// A victim's index by id.
    pub fn victim_by_id(&self, id: &str) -> Option<usize> {
        self.victim_index.get(id).copied()
    }

    pub fn case_of(&self, v: &Victim) -> Option<&Case> {
        self.cases.get(&v.case_id).map(|&i| &self.caseload.cases[i])
    }

    /// The victim's most urgent open reminder that is not snoozed.
    pub fn next_reminder(&self, victim: usize) -> Option<&Reminder> {
        self.reminders
            .get(victim)?
            .iter()
            .filter(|r| self.snoozed(r).is_none())
            .min_by_key(|r| r.due)
    }

    /// A victim's open reminders, soonest first.
    pub fn open_reminders(&self, victim: usize) -> Vec<&Reminder> {
        let mut list: Vec<&Reminder> = self
            .reminders
            .get(victim)
            .map(|rs| rs.iter().collect())
            .unwrap_or_default();
        list.sort_by_key(|r| r.due);
        list
    }

    /// The snooze in force for a reminder, if any.
    pub fn snoozed(&self, r: &Reminder) -> Option<&Snooze> {
        self.snoozes.of(r).filter(|s| s.holds_on(self.today))
    }

    /// The lead times the screens work with.
    pub fn lead(&self) -> &LeadTimes {
        &self.lead
    }

    pub fn status_of(&self, due: NaiveDate) -> DiaryStatus {
        diary_status(due, self.today, &self.lead)
    }

    /// Counts for the header: overdue, due today, due this week (snoozed ones left out).
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for item in self
            .diary
            .iter()
            .filter(|i| self.snoozed(&i.reminder).is_none())
        {
            match item.status {
                DiaryStatus::Overdue => counts.0 += 1,
                DiaryStatus::DueToday => counts.1 += 1,
                DiaryStatus::DueSoon => counts.2 += 1,
                DiaryStatus::Upcoming => {}
            }
        }
        counts
    }

    pub fn selected_victim_index(&self) -> Option<usize> {
        self.rows.get(self.selected).copied()
    }

    pub fn selected_victim(&self) -> Option<&Victim> {
        self.selected_victim_index()
            .map(|i| &self.caseload.victims[i])
    }

    fn selected_contacts_len(&self) -> usize {
        self.whole_victim().map_or(0, |v| v.contacts.len())
    }

    /// The selected victim's contacts, newest first, with their index in the log.
    pub fn contacts_newest_first(&self) -> Vec<(usize, &Contact)> {
        let Some(v) = self.whole_victim() else {
            return Vec::new();
        };
        let mut list: Vec<(usize, &Contact)> = v.contacts.iter().enumerate().collect();
        list.sort_by(|a, b| (b.1.on, &b.1.at, b.0).cmp(&(a.1.on, &a.1.at, a.0)));
        list
    }

    /// The context whose keys apply now.
    pub fn context(&self) -> Context {
        match self.overlays.last() {
            Some(Overlay::Form(_)) => Context::Form,
            Some(Overlay::Victim { .. }) => Context::Victim,
            Some(Overlay::Entry(_)) => Context::Contacts,
            Some(Overlay::LetterPicker(_) | Overlay::Letter(_)) => Context::Letter,
            Some(Overlay::Workload(_)) => Context::Workload,
            Some(Overlay::Report(_)) => Context::Report,
            Some(_) => Context::Global,
            None => self.focus.context(),
        }
    }

    /// A key press: the open form or the search line takes it first, then the keymap.
    pub fn on_key(&mut self, event: &KeyEvent) -> Option<Effect> {
        let key = Key::from_event(event);
        let action = self.keymap.action(self.context(), key);
        if let Some(Overlay::Form(form)) = self.overlays.last_mut() {
            // ↑/↓ move within a multi-line field, and leave it from its first or last line.
            // An open list of choices takes ↑/↓, Enter and Esc for itself.
            let listing = form.listing();
            let within = match action {
                Some(Action::PrevField) if event.code == KeyCode::Up => {
                    listing || !form.leaves_field(true)
                }
                Some(Action::NextField) if event.code == KeyCode::Down => {
                    listing || !form.leaves_field(false)
                }
                _ => false,
            };
            return match action {
                Some(Action::Back) if !listing => {
                    self.leave_form();
                    None
                }
                Some(Action::Save | Action::NextField | Action::PrevField) if !within => {
                    form.discarding = false;
                    self.update(action?)
                }
                _ => {
                    form.input(event);
                    self.prefill_key_date();
                    None
                }
            };
        }
        if self.searching && self.overlays.is_empty() {
            let narrowing = match event.code {
                KeyCode::Esc => {
                    self.searching = false;
                    self.query.clear();
                    false
                }
                KeyCode::Enter => {
                    self.searching = false;
                    return None;
                }
                KeyCode::Backspace => {
                    self.query.pop();
                    false
                }
                KeyCode::Char(c)
                    if !event
                        .modifiers
                        .intersects(crossterm::event::KeyModifiers::CONTROL) =>
                {
                    self.query.push(c);
                    true
                }
                KeyCode::Up | KeyCode::Down => return self.update(action?),
                _ => return action.and_then(|a| self.update(a)),
            };
            self.selected = 0;
            self.refresh_rows(narrowing);
            return None;
        }
        self.update(action?)
    }

    /// Pasted text: into the open form's field, or the search line.
    pub fn on_paste(&mut self, text: &str) {
        if let Some(Overlay::Form(form)) = self.overlays.last_mut() {
            form.paste(text);
        } else if self.searching && self.overlays.is_empty() {
            let line = text.replace(['\r', '\n', '\t'], " ");
            self.query.extend(line.chars().filter(|c| !c.is_control()));
            self.selected = 0;
            self.refresh_rows(true);
        }
    }

    /// Esc on a form: closed at once if nothing was typed; otherwise asked first, and a
    /// second Esc throws what was typed away.
    fn leave_form(&mut self) {
        let Some(Overlay::Form(form)) = self.overlays.last_mut() else {
            return;
        };
        if form.changed() && !form.discarding {
            form.discarding = true;
            form.problem = Some(
                "Throw away what was typed? Esc again to discard; any other key to go on.".into(),
            );
            return;
        }
        self.overlays.pop();
    }

    /// Does what an action asks.
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        self.message = None;
        match (self.overlays.last(), action) {
            (_, Action::Quit) if !matches!(self.overlays.last(), Some(Overlay::Form(_))) => {
                self.quit = true;
            }
            (Some(Overlay::Form(_)), Action::Save) => return self.save_form(),
            (Some(Overlay::Form(_)), Action::NextField | Action::PrevField) => {
                if let Some(Overlay::Form(f)) = self.overlays.last_mut() {
                    if action == Action::NextField {
                        f.next_field();
                    } else {
                        f.prev_field();
                    }
                }
            }
            (Some(Overlay::Entry(index)), Action::Correct) => {
                let index = *index;
                self.open_correction_form(index);
            }
            (None | Some(Overlay::Report(_)), Action::Report) => return self.report_action(0),
            (Some(Overlay::Report(_)), Action::PrevPeriod) => return self.report_action(-1),
            (Some(Overlay::Report(_)), Action::NextPeriod) => return self.report_action(1),
            (
                Some(
                    Overlay::Victim { .. }
                    | Overlay::Entry(_)
                    | Overlay::Letter(_)
                    | Overlay::Report(_)
                    | Overlay::Admin(_)
                    | Overlay::Help,
                ),
                Action::Up | Action::PageUp | Action::Top,
            ) => {
                let step = match action {
                    Action::Up => 1,
                    Action::PageUp => self.page,
                    _ => usize::MAX,
                };
                self.overlay_scroll = self
                    .overlay_scroll
                    .saturating_sub(u16::try_from(step).unwrap_or(u16::MAX));
            }
            (
                Some(
                    Overlay::Victim { .. }
                    | Overlay::Entry(_)
                    | Overlay::Letter(_)
                    | Overlay::Report(_)
                    | Overlay::Admin(_)
                    | Overlay::Help,
                ),
                Action::Down | Action::PageDown,
            ) => {
                let step = if action == Action::Down { 1 } else { self.page };
                self.overlay_scroll = self
                    .overlay_scroll
                    .saturating_add(u16::try_from(step).unwrap_or(u16::MAX));
            }
            (Some(_), Action::Back)
            | (Some(Overlay::Help | Overlay::Notice(_) | Overlay::Entry(_)), _) => {
                self.overlays.pop();
            }
            (Some(Overlay::LetterPicker(_) | Overlay::Letter(_)), _) if action != Action::Help => {
                return self.letter_action(action);
            }
            (Some(Overlay::Workload(_)), _) if action != Action::Help => {
                self.workload_action(action);
            }
            (Some(Overlay::Report(_) | Overlay::Admin(_)), action) if action != Action::Help => {}
            (Some(Overlay::Victim { revealed }), action) if action != Action::Help => {
                let revealed = *revealed;
                return self.victim_view_action(action, revealed);
            }
            (None, Action::AuditTrail) => return self.admin_action(action),
            (None, Action::NewVictim) => self.open_new_victim_form(),
            (None, Action::Workload) => self.open_workload(),
            (None, Action::NewCase) => self.open_new_case_form(),
            (_, Action::Help) => {
                self.overlay_scroll = 0;
                self.overlays.push(Overlay::Help);
            }
            (_, Action::LogContact) => self.open_contact_form(),
            (Some(_), _) => {}
            (None, action) => return self.pane_action(action),
        }
        None
    }

    /// A key in the victim view: reveal, the status forms, and every form about the victim
    /// and their case.
    fn victim_view_action(&mut self, action: Action, revealed: bool) -> Option<Effect> {
        match action {
            Action::Reveal if revealed => {
                self.overlays.pop();
                self.open_victim_view();
            }
            Action::Reveal => {
                return self.selected_victim().map(|v| Effect::Reveal {
                    victim: v.id.clone(),
                });
            }
            Action::OptIn => self.open_status_form(VictimStatus::OptedIn),
            Action::Decline => self.open_status_form(VictimStatus::Declined),
            Action::OptOut => self.open_status_form(VictimStatus::OptedOut),
            Action::AddKeyDate => self.open_key_date_form(),
            Action::AddSensitiveDate => self.open_sensitive_date_form(),
            Action::EditVictim => self.open_edit_victim_form(),
            Action::EditCase => self.open_edit_case_form(),
            Action::CloseCase => self.open_close_case_form(),
            Action::EditCasework => self.open_victim_casework_form(),
            Action::EditCaseCasework => self.open_case_casework_form(),
            Action::WriteLetter => self.open_letter_picker(),
            Action::LogContact => self.open_contact_form(),
            Action::Erase | Action::SubjectAccess | Action::AuditTrail => {
                return self.admin_action(action);
            }
            _ => {}
        }
        None
    }

    fn pane_action(&mut self, action: Action) -> Option<Effect> {
        match action {
            Action::NextPane | Action::PrevPane => {
                let i = Pane::ALL.iter().position(|p| *p == self.focus).unwrap_or(0);
                let step = if action == Action::NextPane { 1 } else { 2 };
                self.focus = Pane::ALL[(i + step) % 3];
            }
            Action::Search => {
                // A new search: the last one's words do not linger to be added to.
                self.focus = Pane::Caseload;
                self.searching = true;
                if !self.query.is_empty() {
                    self.query.clear();
                    self.selected = 0;
                    self.refresh_rows(false);
                }
            }
            Action::ToggleMine => {
                // From one officer's caseload (the workload view's) back to the whole unit.
                self.mine_only = self.officer_filter.is_none() && !self.mine_only;
                if self.mine_only && self.by().is_none() {
                    self.message = Some(format!(
                        "{} is not an officer of this unit: no victims are theirs.",
                        crate::domain::text::visible(&self.officer)
                    ));
                }
                self.officer_filter = None;
                self.refresh_rows(false);
                self.refresh_diary();
            }
            Action::ToggleUnanswered => {
                self.unanswered_only = !self.unanswered_only;
                self.refresh_rows(false);
            }
            Action::CycleStatus => {
                let all = VictimStatus::ALL;
                self.status_filter = match self.status_filter {
                    None => all.first().copied(),
                    Some(s) => all
                        .iter()
                        .position(|x| *x == s)
                        .and_then(|i| all.get(i + 1))
                        .copied(),
                };
                self.refresh_rows(false);
            }
            Action::Zoom => self.zoomed = !self.zoomed,
            Action::Open => return self.open(),
            Action::Snooze if self.focus == Pane::Diary => self.open_snooze_form(),
            Action::Unsnooze if self.focus == Pane::Diary => return self.unsnooze_selected(),
            Action::WriteLetter if self.focus == Pane::Diary => {
                self.open_letter_picker_from_diary();
            }
            Action::LongerHorizon | Action::ShorterHorizon => {
                self.horizon = if action == Action::LongerHorizon {
                    (self.horizon + 7).min(MAX_HORIZON)
                } else {
                    self.horizon.saturating_sub(7)
                };
                self.refresh_diary();
            }
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => {
                self.move_selection(action);
            }
            _ => {}
        }
        None
    }

    fn move_selection(&mut self, action: Action) {
        let (len, sel) = match self.focus {
            Pane::Caseload => (self.rows.len(), &mut self.selected),
            Pane::Diary => (self.diary.len(), &mut self.diary_selected),
            Pane::Contacts => (self.selected_contacts_len(), &mut self.contacts_selected),
        };
        let last = len.saturating_sub(1);
        *sel = match action {
            Action::Up => sel.saturating_sub(1),
            Action::Down => (*sel + 1).min(last),
            Action::PageUp => sel.saturating_sub(self.page.max(1)),
            Action::PageDown => (*sel + self.page.max(1)).min(last),
            Action::Top => 0,
            _ => last,
        };
        if self.focus == Pane::Caseload {
            self.contacts_selected = 0;
        }
    }

    /// Opens what is selected; a victim's record opened is a consultation, for the store.
    fn open(&mut self) -> Option<Effect> {
        match self.focus {
            Pane::Caseload if self.selected_victim().is_some() => {
                return self.consult();
            }
            Pane::Diary => {
                let item = self.diary.get(self.diary_selected)?;
                let id = item.reminder.victim_id.clone();
                if !self.rows.iter().any(|&i| self.caseload.victims[i].id == id) {
                    // Jumping to a victim the filters hide: clear them.
                    self.query.clear();
                    self.status_filter = None;
                    self.unanswered_only = false;
                    self.mine_only = false;
                    self.refresh_rows(false);
                    self.refresh_diary();
                }
                if let Some(pos) = self
                    .rows
                    .iter()
                    .position(|&i| self.caseload.victims[i].id == id)
                {
                    self.selected = pos;
                    self.contacts_selected = 0;
                    return self.consult();
                }
            }
            Pane::Contacts => {
                if let Some(&(index, _)) = self.contacts_newest_first().get(self.contacts_selected)
                {
                    self.overlay_scroll = 0;
                    self.overlays.push(Overlay::Entry(index));
                }
            }
            Pane::Caseload => {}
        }
        None
    }

    /// The selected victim's record opened, and the consultation to record.
    fn consult(&mut self) -> Option<Effect> {
        self.open_victim_view();
        Some(Effect::Consult {
            victim: self.selected_victim()?.id.clone(),
        })
    }

    fn open_victim_view(&mut self) {
        self.overlay_scroll = 0;
        self.overlays.push(Overlay::Victim { revealed: false });
    }

    pub(super) fn known_ids(&self) -> KnownIds {
        KnownIds {
            officers: self
                .caseload
                .officers
                .iter()
                .map(|o| o.id.clone())
                .collect(),
            cases: self.caseload.cases.iter().map(|c| c.id.clone()).collect(),
            victims: self.caseload.victims.iter().map(|v| v.id.clone()).collect(),
            ..KnownIds::default()
        }
    }

    /// The officer id to record as `by`, if the signed-in user is an officer of the unit.
    pub(super) fn by(&self) -> Option<String> {
        self.caseload
            .officers
            .iter()
            .any(|o| o.id == self.officer)
            .then(|| self.officer.clone())
    }

    /// The store refused or failed: the form stays open with what was typed.
    pub fn failed(&mut self, message: &str) {
        match self.overlays.last_mut() {
            Some(Overlay::Form(form)) => form.problem = Some(format!("Not saved: {message}")),
            _ => self.message = Some(format!("Not saved: {message}")),
        }
    }

    /// Holds the overlay's scroll at `limit` (from `draw::scroll_limit`): scrolled past its
    /// last line it would show blank space, and the keys back up would seem to do nothing.
    pub fn clamp_scroll(&mut self, limit: Option<u16>) {
        if let Some(limit) = limit {
            self.overlay_scroll = self.overlay_scroll.min(limit);
        }
    }

    /// Shows problems (a broken keymap) before anything else.
    pub fn notice(&mut self, lines: Vec<String>) {
        if !lines.is_empty() {
            self.overlays.push(Overlay::Notice(lines));
        }
    }
}

mod admin;
mod casework;
mod choices;
mod derived;
mod edit;
mod effect;
mod forms;
mod from_store;
mod letters;
mod paths;
mod records;
mod report;
mod snoozes;
mod workload;

pub use admin::{AUDIT_DAYS, AdminView};
pub use effect::Effect;
pub use letters::{LetterChoice, LetterPicker, LetterSetup, LetterView};
pub use report::{HISTORY_WEEKS, ReportView, quarter, quarter_start};
pub use snoozes::Snoozes;
pub use workload::{Workload, WorkloadSort, WorkloadView};

#[cfg(test)]
mod tests;
