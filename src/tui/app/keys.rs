//! Keys into actions, and what each action does to the screens' state: the one match of
//! the screens' actions, the panes' own keys, and moving and opening in the panes.

use crossterm::event::{KeyCode, KeyEvent};

use super::{App, Effect, MAX_HORIZON, Overlay, Pane};
use crate::domain::enums::VictimStatus;
use crate::domain::validate::KnownIds;
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Key};

/// Whether a handler took a key (and what it asks of the store), or passed it on.
enum Handled {
    Taken(Option<Effect>),
    Passed,
}

impl App {
    /// The context whose keys apply now.
    pub fn context(&self) -> Context {
        match self.screen.overlays.last() {
            Some(Overlay::Form(_)) => Context::Form,
            Some(Overlay::Victim { .. }) => Context::Victim,
            Some(Overlay::Entry(_)) => Context::Contacts,
            Some(Overlay::LetterPicker(_) | Overlay::Letter(_)) => Context::Letter,
            Some(Overlay::Workload(_)) => Context::Workload,
            Some(Overlay::Report(_)) => Context::Report,
            Some(_) => Context::Global,
            None => self.screen.focus.context(),
        }
    }

    /// A key press: the open form or the search line takes it first, then the keymap.
    pub fn on_key(&mut self, event: &KeyEvent) -> Option<Effect> {
        let key = Key::from_event(event);
        let action = self.settings.keymap.action(self.context(), key);
        if let Some(Overlay::Form(form)) = self.screen.overlays.last_mut() {
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
        if self.list.searching && self.screen.overlays.is_empty() {
            let narrowing = match event.code {
                KeyCode::Esc => {
                    self.list.searching = false;
                    self.list.query.clear();
                    false
                }
                KeyCode::Enter => {
                    self.list.searching = false;
                    return None;
                }
                KeyCode::Backspace => {
                    self.list.query.pop();
                    false
                }
                KeyCode::Char(c)
                    if !event
                        .modifiers
                        .intersects(crossterm::event::KeyModifiers::CONTROL) =>
                {
                    self.list.query.push(c);
                    true
                }
                KeyCode::Up | KeyCode::Down => return self.update(action?),
                _ => return action.and_then(|a| self.update(a)),
            };
            self.list.selected = 0;
            self.refresh_rows(narrowing);
            return None;
        }
        self.update(action?)
    }

    /// Pasted text: into the open form's field, or the search line.
    pub fn on_paste(&mut self, text: &str) {
        if let Some(Overlay::Form(form)) = self.screen.overlays.last_mut() {
            form.paste(text);
        } else if self.list.searching && self.screen.overlays.is_empty() {
            let line = text.replace(['\r', '\n', '\t'], " ");
            self.list
                .query
                .extend(line.chars().filter(|c| !c.is_control()));
            self.list.selected = 0;
            self.refresh_rows(true);
        }
    }

    /// Esc on a form: closed at once if nothing was typed; otherwise asked first, and a
    /// second Esc throws what was typed away.
    fn leave_form(&mut self) {
        let Some(Overlay::Form(form)) = self.screen.overlays.last_mut() else {
            return;
        };
        if form.changed() && !form.discarding {
            form.discarding = true;
            form.problem = Some(
                "Throw away what was typed? Esc again to discard; any other key to go on.".into(),
            );
            return;
        }
        self.screen.overlays.pop();
    }

    /// Does what an action asks: the view in front has it first, then the focused pane,
    /// then the keys that work everywhere. Each handler says whether it took the key.
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        self.screen.message = None;
        if let Handled::Taken(effect) = self.overlay_key(action) {
            return effect;
        }
        if self.screen.overlays.is_empty()
            && let Handled::Taken(effect) = self.pane_key(action)
        {
            return effect;
        }
        self.global_key(action)
    }

    /// A key for the view in front, if there is one: it takes every key but quitting (a
    /// form keeps even that, so nothing typed is lost), the help, and — from a form — a
    /// new contact.
    fn overlay_key(&mut self, action: Action) -> Handled {
        let Some(top) = self.screen.overlays.last() else {
            return Handled::Passed;
        };
        let form = matches!(top, Overlay::Form(_));
        match (top, action) {
            (_, Action::Quit) if !form => return Handled::Passed,
            (Overlay::Form(_), Action::Save) => return Handled::Taken(self.save_form()),
            (Overlay::Form(_), Action::NextField | Action::PrevField) => {
                if let Some(Overlay::Form(f)) = self.screen.overlays.last_mut() {
                    if action == Action::NextField {
                        f.next_field();
                    } else {
                        f.prev_field();
                    }
                }
            }
            (Overlay::Entry(index), Action::Correct) => {
                let index = *index;
                self.open_correction_form(index);
            }
            (Overlay::Report(_), Action::Report) => return Handled::Taken(self.report_action(0)),
            (Overlay::Report(_), Action::PrevPeriod) => {
                return Handled::Taken(self.report_action(-1));
            }
            (Overlay::Report(_), Action::NextPeriod) => {
                return Handled::Taken(self.report_action(1));
            }
            (
                Overlay::Victim { .. }
                | Overlay::Entry(_)
                | Overlay::Letter(_)
                | Overlay::Report(_)
                | Overlay::Admin(_)
                | Overlay::Help,
                Action::Up | Action::PageUp | Action::Top | Action::Down | Action::PageDown,
            ) => self.scroll_overlay(action),
            (_, Action::Back) | (Overlay::Help | Overlay::Notice(_) | Overlay::Entry(_), _) => {
                self.screen.overlays.pop();
            }
            (_, Action::Help) | (Overlay::Form(_), Action::LogContact) => return Handled::Passed,
            (Overlay::LetterPicker(_) | Overlay::Letter(_), _) => {
                return Handled::Taken(self.letter_action(action));
            }
            (Overlay::Workload(_), _) => self.workload_action(action),
            (Overlay::Victim { revealed }, _) => {
                let revealed = *revealed;
                return Handled::Taken(self.victim_view_action(action, revealed));
            }
            // Any other key is the view's, and does nothing there.
            _ => {}
        }
        Handled::Taken(None)
    }

    /// A key that works wherever the person is: quit, the help, a new contact, and — with
    /// no view in front — the return, the audit trail, a new victim or case, the workload.
    fn global_key(&mut self, action: Action) -> Option<Effect> {
        let bare = self.screen.overlays.is_empty();
        match action {
            Action::Quit => self.screen.quit = true,
            Action::Help => {
                self.screen.overlay_scroll = 0;
                self.screen.overlays.push(Overlay::Help);
            }
            Action::LogContact => self.open_contact_form(),
            Action::Report if bare => return self.report_action(0),
            Action::AuditTrail if bare => return self.admin_action(action),
            Action::NewVictim if bare => self.open_new_victim_form(),
            Action::Workload if bare => self.open_workload(),
            Action::NewCase if bare => self.open_new_case_form(),
            _ => {}
        }
        None
    }

    /// Scrolls the overlay in front: a line, a page, or to the top.
    fn scroll_overlay(&mut self, action: Action) {
        let step = match action {
            Action::Up | Action::Down => 1,
            Action::PageUp | Action::PageDown => self.screen.page,
            _ => usize::MAX,
        };
        let step = u16::try_from(step).unwrap_or(u16::MAX);
        let scroll = self.screen.overlay_scroll;
        self.screen.overlay_scroll = if matches!(action, Action::Down | Action::PageDown) {
            scroll.saturating_add(step)
        } else {
            scroll.saturating_sub(step)
        };
    }

    /// A key in the victim view: reveal, the status forms, and every form about the victim
    /// and their case.
    fn victim_view_action(&mut self, action: Action, revealed: bool) -> Option<Effect> {
        match action {
            Action::Reveal if revealed => {
                self.screen.overlays.pop();
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

    /// A key for the focused pane, with no view in front: moving, searching, filtering,
    /// opening, and the diary's own keys. Any other key is passed on.
    fn pane_key(&mut self, action: Action) -> Handled {
        match action {
            Action::NextPane | Action::PrevPane => {
                let i = Pane::ALL
                    .iter()
                    .position(|p| *p == self.screen.focus)
                    .unwrap_or(0);
                let step = if action == Action::NextPane { 1 } else { 2 };
                self.screen.focus = Pane::ALL[(i + step) % 3];
            }
            Action::Search => {
                // A new search: the last one's words do not linger to be added to.
                self.screen.focus = Pane::Caseload;
                self.list.searching = true;
                if !self.list.query.is_empty() {
                    self.list.query.clear();
                    self.list.selected = 0;
                    self.refresh_rows(false);
                }
            }
            Action::ToggleMine => {
                // From one officer's caseload (the workload view's) back to the whole unit.
                self.list.mine_only = self.list.officer_filter.is_none() && !self.list.mine_only;
                if self.list.mine_only && self.by().is_none() {
                    self.screen.message = Some(format!(
                        "{} is not an officer of this unit: no victims are theirs.",
                        crate::domain::text::visible(&self.settings.officer)
                    ));
                }
                self.list.officer_filter = None;
                self.refresh_rows(false);
                self.refresh_diary();
            }
            Action::ToggleUnanswered => {
                self.list.unanswered_only = !self.list.unanswered_only;
                self.refresh_rows(false);
            }
            Action::CycleStatus => {
                let all = VictimStatus::ALL;
                self.list.status_filter = match self.list.status_filter {
                    None => all.first().copied(),
                    Some(s) => all
                        .iter()
                        .position(|x| *x == s)
                        .and_then(|i| all.get(i + 1))
                        .copied(),
                };
                self.refresh_rows(false);
            }
            Action::Zoom => self.screen.zoomed = !self.screen.zoomed,
            Action::Open => return Handled::Taken(self.open()),
            Action::Snooze if self.screen.focus == Pane::Diary => self.open_snooze_form(),
            Action::Unsnooze if self.screen.focus == Pane::Diary => {
                return Handled::Taken(self.unsnooze_selected());
            }
            Action::WriteLetter if self.screen.focus == Pane::Diary => {
                self.open_letter_picker_from_diary();
            }
            Action::LongerHorizon | Action::ShorterHorizon => {
                self.diary.horizon = if action == Action::LongerHorizon {
                    (self.diary.horizon + 7).min(MAX_HORIZON)
                } else {
                    self.diary.horizon.saturating_sub(7)
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
            _ => return Handled::Passed,
        }
        Handled::Taken(None)
    }

    fn move_selection(&mut self, action: Action) {
        if self.move_thin(action) {
            return;
        }
        let (len, sel) = match self.screen.focus {
            Pane::Caseload => (self.list.rows.len(), &mut self.list.selected),
            Pane::Diary => (self.diary.items.len(), &mut self.diary.selected),
            Pane::Contacts => (
                self.selected_contacts_len(),
                &mut self.screen.contacts_selected,
            ),
        };
        let last = len.saturating_sub(1);
        *sel = match action {
            Action::Up => sel.saturating_sub(1),
            Action::Down => (*sel + 1).min(last),
            Action::PageUp => sel.saturating_sub(self.screen.page.max(1)),
            Action::PageDown => (*sel + self.screen.page.max(1)).min(last),
            Action::Top => 0,
            _ => last,
        };
        if self.screen.focus == Pane::Caseload {
            self.screen.contacts_selected = 0;
        }
    }

    /// Opens what is selected; a victim's record opened is a consultation, for the store.
    pub(super) fn open(&mut self) -> Option<Effect> {
        match self.screen.focus {
            Pane::Caseload if self.selected_victim().is_some() => {
                return self.consult();
            }
            Pane::Diary if self.is_thin() => {
                let item = self.diary.items.get(self.diary.selected)?;
                let id = item.reminder.victim_id.clone();
                let i = self.victim_by_id(&id)?;
                if self.lens.rows(&self.filter(), Some(&[i])).is_empty() {
                    // Jumping to a victim the filters hide: clear them.
                    self.clear_filters();
                }
                self.select_victim(&id);
                self.screen.contacts_selected = 0;
                self.open_victim_view();
                return Some(Effect::Consult { victim: id });
            }
            Pane::Diary => {
                let item = self.diary.items.get(self.diary.selected)?;
                let id = item.reminder.victim_id.clone();
                if !self
                    .list
                    .rows
                    .iter()
                    .any(|&i| self.caseload().victims[i].id == id)
                {
                    // Jumping to a victim the filters hide: clear them.
                    self.clear_filters();
                    self.refresh_rows(false);
                    self.refresh_diary();
                }
                if let Some(pos) = self.row_of(&id) {
                    self.list.selected = pos;
                    self.screen.contacts_selected = 0;
                    return self.consult();
                }
            }
            Pane::Contacts => {
                if let Some(&(index, _)) = self
                    .contacts_newest_first()
                    .get(self.screen.contacts_selected)
                {
                    self.screen.overlay_scroll = 0;
                    self.screen.overlays.push(Overlay::Entry(index));
                }
            }
            Pane::Caseload => {}
        }
        None
    }

    fn clear_filters(&mut self) {
        self.list.query.clear();
        self.list.query_words.clear();
        self.list.status_filter = None;
        self.list.unanswered_only = false;
        self.list.mine_only = false;
    }

    /// The selected victim's record opened, and the consultation to record.
    fn consult(&mut self) -> Option<Effect> {
        self.open_victim_view();
        Some(Effect::Consult {
            victim: self.selected_victim()?.id.clone(),
        })
    }

    fn open_victim_view(&mut self) {
        self.screen.overlay_scroll = 0;
        self.screen
            .overlays
            .push(Overlay::Victim { revealed: false });
    }

    pub(super) fn known_ids(&self) -> KnownIds {
        KnownIds {
            officers: self
                .caseload()
                .officers
                .iter()
                .map(|o| o.id.clone())
                .collect(),
            cases: self.caseload().cases.iter().map(|c| c.id.clone()).collect(),
            victims: self
                .caseload()
                .victims
                .iter()
                .map(|v| v.id.clone())
                .collect(),
            ..KnownIds::default()
        }
    }

    /// The officer id to record as `by`, if the signed-in user is an officer of the unit.
    pub(super) fn by(&self) -> Option<String> {
        self.caseload()
            .officers
            .iter()
            .any(|o| o.id == self.settings.officer)
            .then(|| self.settings.officer.clone())
    }
}
