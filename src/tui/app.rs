//! The screens' state and what each action does to it. Nothing here draws or touches the
//! store: a change to save comes back as an [`Effect`] for the loop to perform; the loop
//! hands back what the store answered as one message, an [`Outcome`] ([`App::on_outcome`]).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::form::Form;
use super::keymap::{Context, Keymap};
use crate::domain::enums::{DiaryStatus, KeyDateKind, VictimStatus};
use crate::domain::facts::LogFacts;
use crate::domain::model::{Case, Caseload, Contact, Victim};
use crate::domain::reminders::{DiaryItem, Reminder};
use crate::domain::rules::LeadTimes;

use crate::store::Snooze;
use crate::unit::access::Role;
use crate::unit::lens::Lens;

/// The furthest the diary pane looks ahead, in days.
pub const MAX_HORIZON: u32 = 91;

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
    /// The unit service holds the unit: the screens ask it for what they show
    /// (`caseload` is then empty, and `facts` too).
    pub thin: bool,
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
            thin: false,
        }
    }
}

/// Who is at the screen, on what day, and how the unit and this terminal want things: set
/// when the screens start (and when the unit service says who the user is), read by every
/// pane.
pub struct Settings {
    pub today: NaiveDate,
    pub officer: String,
    /// The OS user at this screen, as the store knows them.
    pub signed_in_user: String,
    /// What the signed-in user is to the unit (see [`Setup::role`]).
    pub role: Role,
    pub keymap: Keymap,
    pub colour: bool,
    /// Draw in ASCII only: the terminal's locale is not UTF-8 (`glyphs::utf8_terminal`).
    pub ascii: bool,
    /// How the unit writes dates (see [`Setup::date_format`]).
    pub date_format: String,
    /// The unit's retention rules (see [`Setup::retention`]).
    pub retention: crate::domain::retention::RetentionRules,
    /// Templates and folders for letters.
    pub letters: LetterSetup,
}

/// The caseload pane's state: the search as typed, the filters, and the rows they leave.
#[derive(Debug, Default)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "independent filters of the list"
)]
pub struct CaseloadPane {
    pub query: String,
    /// The search's words, folded once per keystroke.
    query_words: Vec<String>,
    pub searching: bool,
    pub mine_only: bool,
    pub status_filter: Option<VictimStatus>,
    /// Only victims who never answered the offer, with a release within 12 months: the
    /// tracing work to plan (`release_reoffer`).
    pub unanswered_only: bool,
    /// One officer's caseload, chosen in the workload view (`None`: as `mine_only` says).
    pub officer_filter: Option<String>,
    /// The rows: victim indices, most urgent first.
    pub rows: Vec<usize>,
    pub selected: usize,
}

/// What is in front of the person: the focused pane (zoomed or not), the views laid over
/// the panes, the status line's message, who else is here, and whether to quit.
#[derive(Debug)]
pub struct Screen {
    pub focus: Pane,
    /// The contact log pane's selected entry.
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
    /// The focused pane takes the whole screen.
    pub zoomed: bool,
    /// Why the screen cannot reach the unit's records just now (the unit service went
    /// away, or its database): said in the footer until everything has been read again.
    pub cut_off: Option<String>,
}

/// The diary pane's state: the reminders within the horizon, the key dates coming up, and
/// the selected item.
#[derive(Debug, Default)]
pub struct DiaryPane {
    pub items: Vec<DiaryItem>,
    /// The unit's urgent items (an escape not yet told), whatever the filters: above the
    /// diary and in the header.
    pub urgent: Vec<DiaryItem>,
    pub selected: usize,
    /// How far ahead it looks, in days (at most [`MAX_HORIZON`]).
    pub horizon: u32,
    /// Key dates of open cases within the horizon: date, case index, kind.
    pub key_dates_ahead: Vec<(NaiveDate, usize, KeyDateKind)>,
}

#[allow(
    clippy::struct_excessive_bools,
    reason = "independent switches of the screen's state"
)]
pub struct App {
    /// Who is at the screen, on what day, and how the unit and this terminal want things.
    settings: Settings,
    /// What is in front: the focused pane, the overlays, the status line.
    screen: Screen,
    /// The caseload pane: its search, its filters, its rows and the selected one.
    list: CaseloadPane,
    /// The diary pane: its items, the selected one, how far it looks ahead.
    diary: DiaryPane,
    /// The unit, and what the panes work out from it: reminders, order, the search's
    /// haystacks.
    lens: Lens,
    /// Whether the caseload was handed over whole (tests, benchmarks), so that each record
    /// in it is also the whole record; from the store it is the digest's summaries.
    whole_list: bool,
    /// The selected victim's whole record, as last read.
    opened: Option<Opened>,
    /// Where thin screens stand (`None`: the screens hold the unit).
    thin: Option<thin::Thin>,
    /// The version of each record as last read (`Record`, id).
    versions: HashMap<(crate::store::Record, String), u64>,
}

impl App {
    pub fn new(setup: Setup) -> Self {
        let mut app = Self {
            settings: Settings {
                today: setup.today,
                officer: setup.officer,
                signed_in_user: String::new(),
                role: setup.role,
                keymap: setup.keymap,
                colour: setup.colour,
                ascii: setup.ascii,
                date_format: setup.date_format,
                retention: setup.retention,
                letters: LetterSetup::default(),
            },
            screen: Screen {
                focus: Pane::Caseload,
                contacts_selected: 0,
                overlays: Vec::new(),
                message: None,
                page: 10,
                overlay_scroll: 0,
                quit: false,
                present: Vec::new(),
                zoomed: false,
                cut_off: None,
            },
            list: CaseloadPane::default(),
            diary: DiaryPane {
                horizon: 14,
                ..DiaryPane::default()
            },
            whole_list: setup.facts.is_none(),
            opened: None,
            thin: setup.thin.then(thin::Thin::default),
            lens: Lens::new(
                setup.caseload,
                setup.facts,
                setup.snoozes.into_iter().collect(),
                setup.today,
                setup.lead,
                setup.days,
            ),
            versions: HashMap::new(),
        };
        // Thin screens: this asks for the first window.
        app.refresh();
        app
    }

    /// Who is at the screen, on what day, and how things are wanted.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The settings, to change (the loop sets who the unit service says the user is; a
    /// test, another day or role).
    pub fn settings_mut(&mut self) -> &mut Settings {
        &mut self.settings
    }

    /// The caseload as the store gave it (the digest's summaries, or a whole caseload).
    pub fn caseload(&self) -> &Caseload {
        self.lens.caseload()
    }

    /// Every snoozed reminder, as the store says.
    pub fn snoozes(&self) -> &Snoozes {
        self.lens.snoozes()
    }

    /// What is in front: focus, overlays, message.
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// Says `message` in the status line.
    pub fn say(&mut self, message: String) {
        self.screen.message = Some(message);
    }

    /// The unit's records cannot be reached for now, and why: the footer says so (under
    /// any other message) until everything is read again.
    pub fn cut_off(&mut self, why: String) {
        self.screen.cut_off = Some(why);
    }

    /// Rows a page moves: the loop sets it from the terminal's height.
    pub fn set_page(&mut self, rows: usize) {
        self.screen.page = rows;
    }

    /// Who else has the store open, as the unit service says.
    pub fn set_present(&mut self, users: Vec<String>) {
        self.screen.present = users;
    }

    /// The caseload pane's search, filters and rows.
    pub fn list(&self) -> &CaseloadPane {
        &self.list
    }

    /// The diary pane's items, selection and horizon.
    pub fn diary(&self) -> &DiaryPane {
        &self.diary
    }

    /// The caseload pane's row showing the victim `id` (`None`: the filters hide them).
    fn row_of(&self, id: &str) -> Option<usize> {
        self.list
            .rows
            .iter()
            .position(|&i| self.caseload().victims[i].id == id)
    }

    /// A victim's index by id.
    pub fn victim_by_id(&self, id: &str) -> Option<usize> {
        self.lens.victim_by_id(id)
    }

    pub fn case_of(&self, v: &Victim) -> Option<&Case> {
        self.lens.case_of(v)
    }

    /// The victim's most urgent open reminder that is not snoozed.
    pub fn next_reminder(&self, victim: usize) -> Option<&Reminder> {
        self.lens.next_reminder(victim)
    }

    /// A victim's open reminders, soonest first.
    pub fn open_reminders(&self, victim: usize) -> Vec<&Reminder> {
        let mut list: Vec<&Reminder> = self.lens.reminders(victim).iter().collect();
        list.sort_by_key(|r| r.due);
        list
    }

    /// The snooze in force for a reminder, if any.
    pub fn snoozed(&self, r: &Reminder) -> Option<&Snooze> {
        self.lens.snoozed(r)
    }

    /// The lead times the screens work with.
    pub fn lead(&self) -> &LeadTimes {
        self.lens.lead()
    }

    pub fn status_of(&self, due: NaiveDate) -> DiaryStatus {
        self.lens.status_of(due)
    }

    /// Counts for the header: overdue, due today, due this week (snoozed ones left out).
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for span in self.diary_spans() {
            let due = span.len - span.snoozed;
            match span.status {
                DiaryStatus::Overdue => counts.0 += due,
                DiaryStatus::DueToday => counts.1 += due,
                DiaryStatus::DueSoon => counts.2 += due,
                DiaryStatus::Upcoming => {}
            }
        }
        counts
    }

    pub fn selected_victim_index(&self) -> Option<usize> {
        self.list.rows.get(self.list.selected).copied()
    }

    pub fn selected_victim(&self) -> Option<&Victim> {
        self.selected_victim_index()
            .map(|i| &self.caseload().victims[i])
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

    /// The store refused or failed: the form stays open with what was typed.
    pub(crate) fn failed(&mut self, message: &str) {
        match self.screen.overlays.last_mut() {
            Some(Overlay::Form(form)) => form.problem = Some(format!("Not saved: {message}")),
            _ => self.screen.message = Some(format!("Not saved: {message}")),
        }
    }

    /// Holds the overlay's scroll at `limit` (from `draw::scroll_limit`): scrolled past its
    /// last line it would show blank space, and the keys back up would seem to do nothing.
    pub fn clamp_scroll(&mut self, limit: Option<u16>) {
        if let Some(limit) = limit {
            self.screen.overlay_scroll = self.screen.overlay_scroll.min(limit);
        }
    }

    /// Shows problems (a broken keymap) before anything else.
    pub fn notice(&mut self, lines: Vec<String>) {
        if !lines.is_empty() {
            self.screen.overlays.push(Overlay::Notice(lines));
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
mod keys;
mod letters;
mod outcome;
mod paths;
mod records;
mod report;
mod snoozes;
mod thin;
mod workload;

pub use crate::unit::lens::Snoozes;
pub use crate::unit::window::Workload;
pub use admin::{AUDIT_DAYS, AdminView};
pub use effect::Effect;
pub use letters::{LetterChoice, LetterPicker, LetterSetup, LetterView};
pub use outcome::Outcome;
pub use report::{HISTORY_WEEKS, ReportView, quarter, quarter_start};
pub use thin::Span;
pub use workload::{WorkloadSort, WorkloadView};

#[cfg(test)]
mod tests;
