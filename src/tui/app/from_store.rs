//! What the store says: the records a change touched, read back after every save (ours
//! today, anyone's once the unit service sends them), a victim's full record when it is
//! first shown, and the date moving on.

use crate::unit::api::Fresh;
use crate::unit::command::Command;
use chrono::NaiveDate;

use super::{App, Effect, Opened, Overlay};
use crate::domain::model::{Case, Victim};
use crate::store::{Changed, Digest, Record, Snooze};

impl App {
    /// The store's records after a change replace what the screens held: each victim's
    /// reminders are worked out again from its record and log as stored, and a new record,
    /// a victim moved to another case or a changed case rebuilds the caseload's order.
    pub(crate) fn store_changed(&mut self, fresh: Fresh) {
        if let Some(Opened::Whole { victim, case }) = &mut self.opened {
            if let Some(new) = fresh.victims.iter().find(|v| v.id == victim.id) {
                **victim = new.clone();
            }
            if let Some(open) = case
                && let Some(new) = fresh.cases.iter().find(|c| c.id == open.id)
            {
                **open = new.clone();
            }
        }
        self.versions_read(fresh.versions);
        self.lens.apply(fresh.victims, fresh.cases, fresh.snoozes);
        self.refresh();
    }

    /// The whole caseload read again (the unit service said this screen missed changes).
    pub(crate) fn reload(&mut self, digest: Digest, snoozes: Vec<Snooze>) {
        let selected = self.selected_victim().map(|v| v.id.clone());
        if self.screen.cut_off.take().is_some() {
            self.screen.message = Some("Reconnected: everything was read again.".into());
        }
        self.lens
            .reload(digest.caseload, digest.facts, snoozes.into_iter().collect());
        // Read again, as everything else.
        self.opened = None;
        self.refresh();
        let Some(id) = selected else { return };
        if let Some(pos) = self.row_of(&id) {
            self.list.selected = pos;
        } else if self.victim_by_id(&id).is_none() {
            // Erased meanwhile: its record and log are no longer shown. (A form stays open,
            // with what was typed; saving it says the victim is gone.)
            self.screen
                .overlays
                .retain(|o| !matches!(o, Overlay::Victim { .. } | Overlay::Entry(_)));
            self.screen.message = Some(format!("{id} is no longer in the store."));
        }
    }

    /// Everything to be read again (the service said this screen missed changes): true if
    /// the screens are thin, and will ask for what they show; false if the loop is to read
    /// the whole unit again ([`App::reload`]).
    pub fn reread(&mut self) -> bool {
        if !self.is_thin() {
            return false;
        }
        self.opened = None;
        self.want_window();
        true
    }

    /// Someone else's change, read back from the store: shown as ours are, and said.
    pub(crate) fn changed_by(&mut self, fresh: Fresh, who: &str) {
        self.store_changed(fresh);
        self.screen.message = Some(format!("Updated: a change by {who}."));
    }

    /// The versions of records as they were read: a save names the version it was made from,
    /// and the store refuses it if someone has changed the record since.
    pub fn versions_read(&mut self, versions: Vec<(Record, String, u64)>) {
        for (record, id, version) in versions {
            self.versions.insert((record, id), version);
        }
    }

    /// The version of a record these screens last read (0: never read, or new).
    pub fn version(&self, record: Record, id: &str) -> u64 {
        self.versions
            .get(&(record, id.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    /// A save went through: what the person sees of it (the form closes, a word in the
    /// status line, a revealed record shown, a new victim selected). The records themselves
    /// come from the store, by [`App::store_changed`].
    pub(crate) fn saved(&mut self, effect: &Effect, changed: &Changed) {
        let said = match effect {
            Effect::Reveal { .. } => {
                if let Some(Overlay::Victim { revealed }) = self.screen.overlays.last_mut() {
                    *revealed = true;
                }
                return;
            }
            Effect::Save(Command::LogContact { .. }) => "Contact saved.",
            Effect::Save(Command::SaveVictim {
                contact: Some(_), ..
            }) => "Status saved.",
            Effect::Save(Command::Snooze(_)) => "Reminder snoozed.",
            Effect::Save(Command::Unsnooze { .. }) => "Snooze ended: the reminder is due again.",
            Effect::Save(Command::SaveVictim { contact: None, .. }) => "Victim saved.",
            Effect::Save(Command::Reallocate(_)) => "Reallocated.",
            Effect::Save(Command::AddVictim(_)) => {
                // The id is the store's: the change names it.
                let id = changed.victims.first().map_or("", String::as_str);
                if self.is_thin() {
                    self.select_victim(id);
                } else if let Some(pos) = self.row_of(id) {
                    self.list.selected = pos;
                }
                self.screen.message = Some(format!("Victim {id} added."));
                self.close_form();
                return;
            }
            Effect::Save(Command::SaveCase { .. }) => "Case saved.",
            Effect::Save(Command::CloseCase(_)) => "Case closed, and its victims with it.",
            Effect::Save(Command::AddCase(_)) => {
                let id = changed.cases.first().map_or("", String::as_str);
                self.case_added(id);
                self.screen.message = Some(format!("Case {id} added."));
                self.close_form();
                return;
            }
            Effect::RecordLetter { contact, .. } => {
                self.letter_recorded();
                self.screen.message = Some(format!(
                    "Recorded in the contact log: an outbound letter ({}) on {}.",
                    contact.kind.label(),
                    contact.on
                ));
                return;
            }
            // A consultation says nothing; `letter_previewed` and `letter_saved` say how
            // those went.
            Effect::Consult { .. }
            | Effect::Report(_)
            | Effect::PreviewLetter { .. }
            | Effect::SaveLetter { .. }
            | Effect::Erase { .. }
            | Effect::SubjectAccess { .. }
            | Effect::Audit(_) => {
                return;
            }
        };
        self.screen.message = Some(said.into());
        self.close_form();
    }

    fn close_form(&mut self) {
        if matches!(self.screen.overlays.last(), Some(Overlay::Form(_))) {
            self.screen.overlays.pop();
        }
    }

    /// The opening of a victim's record could not be recorded: the record is not shown.
    pub(crate) fn consultation_failed(&mut self, message: &str) {
        if matches!(self.screen.overlays.last(), Some(Overlay::Victim { .. })) {
            self.screen.overlays.pop();
        }
        self.screen.message = Some(format!(
            "Not opened: the opening could not be recorded ({message})."
        ));
    }

    /// The date moved on (local midnight passed, or a suspended machine woke on a later
    /// day): every reminder, diary group, order, colour and count is worked out again for
    /// `today`, and the selection stays on the same victim.
    pub fn new_day(&mut self, today: NaiveDate) {
        if today == self.settings.today {
            return;
        }
        self.settings.today = today;
        if self.lens.new_day(today) {
            self.refresh();
        }
    }

    /// The id of the selected victim if its whole record is not open yet (the loop reads the
    /// full record, its case and its log from the store and hands them over with
    /// `record_loaded`, or reports `record_unreadable`, before drawing).
    pub fn record_needed(&self) -> Option<&str> {
        if self.whole_list {
            return None;
        }
        let id = self.selected_victim()?.id.as_str();
        match &self.opened {
            Some(Opened::Whole { victim, .. }) if victim.id == id => None,
            Some(Opened::Unreadable(open)) if open == id => None,
            _ => Some(id),
        }
    }

    /// A victim's whole record with its log, and its case, read from the store: open, while
    /// that victim is the one selected.
    pub(crate) fn record_loaded(&mut self, victim: Victim, case: Option<Case>) {
        self.opened = Some(Opened::Whole {
            victim: Box::new(victim),
            case: case.map(Box::new),
        });
    }

    /// The store could not give a victim's full record: the screens go on with the digest,
    /// and nothing of that victim can be changed.
    pub(crate) fn record_unreadable(&mut self, victim: &str, why: &str) {
        self.opened = Some(Opened::Unreadable(victim.to_owned()));
        self.screen.message = Some(format!("The record of {victim} could not be read ({why})."));
    }

    /// The selected victim's whole record, when it is open: what is shown in full and
    /// changed. (A caseload handed over whole is its own whole record.)
    pub fn whole_victim(&self) -> Option<&Victim> {
        let selected = self.selected_victim()?;
        if self.whole_list {
            return Some(selected);
        }
        match &self.opened {
            Some(Opened::Whole { victim, .. }) if victim.id == selected.id => Some(victim),
            _ => None,
        }
    }

    /// The selected victim's case, whole, when the victim's record is open.
    pub fn whole_case(&self) -> Option<&Case> {
        let selected = self.selected_victim()?;
        if self.whole_list {
            return self.case_of(selected);
        }
        match &self.opened {
            Some(Opened::Whole { victim, case }) if victim.id == selected.id => case.as_deref(),
            _ => None,
        }
    }
}
