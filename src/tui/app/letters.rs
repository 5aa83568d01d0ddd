//! Letters from the screens: pick a kind on a victim (or the letter a diary reminder asks
//! for), read it in a preview, save it to a file, and on confirmation record it in the
//! contact log as an outbound letter — through the same store write as a logged contact.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;

use super::{App, Effect, Overlay, Pane};
use crate::domain::enums::{KeyDateKind, LetterKind};
use crate::domain::letter::LetterRequest;
use crate::domain::letter::facts::covers;
use crate::domain::text::upper_first;
use crate::letters::{Format, Letter, Templates};
use crate::tui::action::Action;
use crate::tui::form::{Field, Form, Purpose};

/// What the screens need to make letters: the unit's templates (or why they cannot be
/// used), where letters are saved by default, and the data directory they are kept out of.
#[derive(Debug, Clone)]
pub struct LetterSetup {
    pub templates: Result<Arc<Templates>, Vec<String>>,
    pub out_dir: PathBuf,
    pub data_dir: Option<PathBuf>,
}

impl Default for LetterSetup {
    fn default() -> Self {
        Self {
            // The fictional unit's letterhead: the screens' own tests, which set none.
            templates: Templates::load(None, &crate::letters::sample::letterhead())
                .map(Arc::new)
                .map_err(|problems| problems.iter().map(ToString::to_string).collect()),
            out_dir: PathBuf::from("."),
            data_dir: None,
        }
    }
}

/// One line of the picker: a kind of letter, and for a key date which one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterChoice {
    pub kind: LetterKind,
    pub key_date: Option<KeyDateKind>,
    /// The date it answers (a key date, a call, a complaint).
    pub about: Option<NaiveDate>,
    pub label: String,
}

/// The letters that can be written to the selected victim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterPicker {
    pub victim: String,
    pub choices: Vec<LetterChoice>,
    pub selected: usize,
}

/// A letter shown in full before it is saved; once saved, where, and the question whether
/// to record it as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterView {
    pub letter: Letter,
    pub saved: Option<PathBuf>,
}

impl App {
    /// The letters the selected victim can be sent, the one answering `wanted` (a reminder's
    /// letter, key date and date) chosen.
    fn letter_choices(
        &self,
        wanted: Option<(LetterKind, Option<KeyDateKind>, Option<NaiveDate>)>,
    ) -> Option<LetterPicker> {
        let v = self.selected_victim()?;
        let said_no = v.status.said_no();
        let level = v.information();
        let mut choices = Vec::new();
        for kind in LetterKind::ALL.iter().copied() {
            if said_no && !kind.to_one_who_said_no() {
                continue;
            }
            if kind != LetterKind::KeyDate {
                choices.push(LetterChoice {
                    kind,
                    key_date: None,
                    about: None,
                    label: upper_first(kind.label()),
                });
                continue;
            }
            let mut dates: Vec<(NaiveDate, KeyDateKind)> = self
                .case_of(v)
                .map(|c| c.key_dates.iter().map(|k| (k.date, k.kind)).collect())
                .unwrap_or_default();
            dates.retain(|(_, k)| {
                (covers(level, *k) || v.disclosure_approved(*k)) && *k != KeyDateKind::Other
            });
            dates.sort();
            for (date, k) in dates {
                choices.push(LetterChoice {
                    kind,
                    key_date: Some(k),
                    about: Some(date),
                    label: format!("Key date: {} ({})", k.label(), date.format("%-d %b %Y")),
                });
            }
        }
        let mut selected = 0;
        if let Some((kind, key_date, about)) = wanted {
            let found = choices.iter().position(|c| {
                c.kind == kind
                    && (kind != LetterKind::KeyDate
                        || (c.key_date == key_date && (about.is_none() || c.about == about)))
            });
            if let Some(i) = found {
                if kind != LetterKind::KeyDate {
                    choices[i].about = about;
                }
                selected = i;
            }
        }
        Some(LetterPicker {
            victim: v.id.clone(),
            choices,
            selected,
        })
    }

    /// `write-letter` on the victim view: the letter for the victim's most urgent reminder that
    /// a letter answers chosen.
    pub(super) fn open_letter_picker(&mut self) {
        // The most urgent reminder (not snoozed) a letter answers: sending a request to the decision
        // maker, say, is no letter to the victim.
        let wanted = self.selected_victim_index().and_then(|i| {
            let open = self.open_reminders(i).into_iter();
            open.filter(|r| self.snoozed(r).is_none())
                .find_map(|r| Some((LetterKind::answering(r.kind)?, r.key_date, r.about)))
        });
        self.push_picker(wanted);
    }

    /// `write-letter` on a diary item: its victim selected, and the letter it asks for.
    pub(super) fn open_letter_picker_from_diary(&mut self) {
        let Some(item) = self.diary.items.get(self.diary.selected) else {
            return;
        };
        let r = &item.reminder;
        let Some(kind) = LetterKind::answering(r.kind) else {
            self.screen.message = Some(format!("No letter answers \"{}\".", r.action()));
            return;
        };
        let wanted = Some((
            kind,
            if kind == LetterKind::KeyDate {
                r.key_date
            } else {
                None
            },
            r.about,
        ));
        self.screen.focus = Pane::Diary;
        self.open();
        if matches!(self.screen.overlays.last(), Some(Overlay::Victim { .. })) {
            self.push_picker(wanted);
        }
    }

    fn push_picker(
        &mut self,
        wanted: Option<(LetterKind, Option<KeyDateKind>, Option<NaiveDate>)>,
    ) {
        if let Err(problems) = &self.settings.letters.templates {
            let mut lines = vec!["The unit's letter templates have problems; no letter is made until they are fixed:".to_owned()];
            lines.extend(problems.iter().cloned());
            self.screen.overlays.push(Overlay::Notice(lines));
            return;
        }
        match self.letter_choices(wanted) {
            Some(picker) => self.screen.overlays.push(Overlay::LetterPicker(picker)),
            None => self.screen.message = Some("Choose a victim first.".into()),
        }
    }

    /// An action while the picker or a letter is open.
    pub(super) fn letter_action(&mut self, action: Action) -> Option<Effect> {
        let today = self.settings.today;
        match self.screen.overlays.last_mut()? {
            Overlay::LetterPicker(picker) => match action {
                Action::Up => picker.selected = picker.selected.saturating_sub(1),
                Action::Down => {
                    picker.selected =
                        (picker.selected + 1).min(picker.choices.len().saturating_sub(1));
                }
                Action::Top => picker.selected = 0,
                Action::Bottom => picker.selected = picker.choices.len().saturating_sub(1),
                Action::Open | Action::Save => {
                    let choice = picker.choices.get(picker.selected)?;
                    let request = LetterRequest {
                        key_date: choice.key_date,
                        about: choice.about,
                        ..LetterRequest::new(choice.kind, today)
                    };
                    return Some(Effect::PreviewLetter {
                        victim: picker.victim.clone(),
                        request,
                    });
                }
                _ => {}
            },
            Overlay::Letter(view) => match action {
                Action::Save if view.saved.is_some() => {
                    return Some(Effect::RecordLetter {
                        victim: view.letter.victim.clone(),
                        contact: view.letter.record.clone(),
                    });
                }
                Action::Save => {
                    let name = crate::letters::file_name(&view.letter, Format::Text);
                    let path = self.settings.letters.out_dir.join(name);
                    let form = Form::new(
                        "Save the letter",
                        Purpose::SaveLetter,
                        vec![
                            Field::line("path", "File", path.display().to_string()),
                            Field::choice("format", "Format", vec!["text", "docx"], "text"),
                        ],
                    );
                    self.screen.overlays.push(Overlay::Form(form));
                }
                _ => {}
            },
            _ => {}
        }
        None
    }

    /// The save form's file and format, with the file's extension made to match.
    pub(super) fn save_letter_effect(&self, form: &Form) -> Result<Effect, String> {
        let Some(Overlay::Letter(view)) = self.screen.overlays.iter().rev().nth(1) else {
            return Err("the letter is no longer open".into());
        };
        let path = form.value("path").map(str::trim).unwrap_or_default();
        if path.is_empty() {
            return Err("name a file".into());
        }
        let format = if form.value("format") == Some("docx") {
            Format::Docx
        } else {
            Format::Text
        };
        let mut path = PathBuf::from(path);
        if path.extension().is_some_and(|e| e == "txt" || e == "docx") {
            path.set_extension(format.extension());
        }
        Ok(Effect::SaveLetter {
            letter: Box::new(view.letter.clone()),
            path,
            format,
        })
    }

    /// The letter the store made, shown in full; or why it could not be made.
    pub(crate) fn letter_previewed(&mut self, made: Result<Letter, String>) {
        match made {
            Ok(letter) => {
                self.screen.overlay_scroll = 0;
                self.screen
                    .overlays
                    .push(Overlay::Letter(Box::new(LetterView {
                        letter,
                        saved: None,
                    })));
            }
            Err(why) => self.screen.message = Some(format!("No letter: {why}")),
        }
    }

    /// The letter is in its file: the form closes, and the preview asks whether to record it.
    pub(crate) fn letter_saved(&mut self, path: PathBuf) {
        if matches!(self.screen.overlays.last(), Some(Overlay::Form(_))) {
            self.screen.overlays.pop();
        }
        if let Some(Overlay::Letter(view)) = self.screen.overlays.last_mut() {
            self.screen.message = Some(format!(
                "Saved to {}. Record it in the contact log as sent?",
                path.display()
            ));
            view.saved = Some(path);
        }
    }

    /// What a letter for `victim` is made from besides its record: the unit's officers and
    /// name, the case's other victims, and who signs (the signed-in officer).
    pub fn letter_context(&self, victim: &str) -> crate::letters::Context {
        let case = self
            .victim_by_id(victim)
            .map(|i| self.caseload().victims[i].case_id.clone());
        crate::letters::Context {
            officers: self.caseload().officers.clone(),
            unit: self.caseload().unit.as_ref().and_then(|u| u.name.clone()),
            others: self
                .caseload()
                .victims
                .iter()
                .filter(|v| Some(&v.case_id) == case.as_ref())
                .map(|v| v.id.clone())
                .collect(),
            signer: self.by(),
        }
    }

    /// The letter is in the log: the letter and the picker close.
    pub(super) fn letter_recorded(&mut self) {
        while matches!(
            self.screen.overlays.last(),
            Some(Overlay::Letter(_) | Overlay::LetterPicker(_))
        ) {
            self.screen.overlays.pop();
        }
    }
}
