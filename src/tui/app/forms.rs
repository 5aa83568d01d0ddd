//! The forms the screens open, and what saving each one asks of the store. Every form is
//! checked by the import's own rules before anything is saved.

use crate::unit::command::Command;
use serde_json::Value;

use super::{App, Effect, Overlay, records};
use crate::domain::enums::{
    ContactKind, ContactMethod, Direction, Eligibility, InformationLevel, KeyDateKind, Medium,
    OffenceCategory, SentenceKind, VictimRole, VictimStatus,
};
use crate::domain::model::{Contact, Victim};
use crate::domain::validate::{KnownIds, Problem, check_date, check_victim};
use crate::store::Record;
use crate::tui::form::{Field, Form, Purpose};

impl App {
    pub(super) fn open_contact_form(&mut self) {
        let Some(v) = self.selected_victim() else {
            self.screen.message = Some("Choose a victim first.".into());
            return;
        };
        let method = v
            .preferences
            .as_ref()
            .and_then(|p| p.method)
            .map_or("letter", ContactMethod::as_str);
        let form = Form::new(
            format!("Log a contact — {}", crate::domain::text::visible(&v.name)),
            Purpose::LogContact {
                victim: v.id.clone(),
            },
            vec![
                Field::line("on", "Date", self.settings.today.to_string()),
                Field::line("at", "Time (HH:MM)", ""),
                Field::pick::<ContactKind>("kind", "Kind", "update", false),
                Field::pick::<Medium>("method", "Method", method, false),
                Field::pick::<Direction>("direction", "Direction", "outbound", false),
                Field::pick::<KeyDateKind>("key_date", "About key date", "", true),
                Field::lines("summary", "Summary"),
                Field::line("follows", "Confirms call no.", ""),
                Field::line("to", "To / agency", ""),
            ],
        );
        self.open_form(form);
    }

    pub(super) fn open_status_form(&mut self, status: VictimStatus) {
        let Some(v) = self.selected_victim() else {
            return;
        };
        let mut fields = vec![Field::line(
            "status_since",
            "Date",
            self.settings.today.to_string(),
        )];
        if status == VictimStatus::OptedIn {
            let level = v
                .preferences
                .as_ref()
                .and_then(|p| p.information)
                .map_or("key_stages", InformationLevel::as_str);
            let method = v
                .preferences
                .as_ref()
                .and_then(|p| p.method)
                .map_or("letter", ContactMethod::as_str);
            fields.push(Field::pick::<InformationLevel>(
                "information",
                "Information",
                level,
                false,
            ));
            fields.push(Field::pick::<ContactMethod>(
                "method",
                "Contact by",
                method,
                false,
            ));
        }
        if matches!(status, VictimStatus::OptedIn | VictimStatus::Declined) {
            // How the answer came: a call is then confirmed in writing, as any call is.
            fields.push(Field::pick::<Medium>(
                "told_by",
                "They told us by",
                "letter",
                false,
            ));
        }
        fields.push(Field::lines("summary", "Note"));
        let title = format!(
            "Record {} — {}",
            status.label(),
            crate::domain::text::visible(&v.name)
        );
        self.open_form(Form::new(
            title,
            Purpose::Status {
                victim: v.id.clone(),
                status,
            },
            fields,
        ));
    }

    /// Adds a key date to the victim's case, or changes one: the first field picks "new" or
    /// an existing date, whose values then fill the form.
    pub(super) fn open_key_date_form(&mut self) {
        let Some(v) = self.selected_victim() else {
            return;
        };
        let existing = self.whole_case().map_or(Vec::new(), |c| {
            c.key_dates
                .iter()
                .enumerate()
                .map(|(i, k)| format!("{}: {} {}", i + 1, k.kind, k.date))
                .collect()
        });
        let form = Form::new(
            format!(
                "Add or change a key date — case {}",
                crate::domain::text::visible(&v.case_id)
            ),
            Purpose::AddKeyDate {
                case: v.case_id.clone(),
            },
            vec![
                Field::choice(
                    "which",
                    "Key date",
                    std::iter::once("new".to_owned()).chain(existing),
                    "new",
                ),
                Field::pick::<KeyDateKind>("kind", "Kind", "crd", false),
                Field::line("date", "Date", ""),
                Field::choice("confirmed", "Confirmed", vec!["yes", "no"], "yes"),
                Field::line("note", "Note (source)", ""),
                Field::choice_labelled(
                    "remove",
                    "Remove it",
                    [("no", "no, keep it"), ("yes", "yes, remove this date")]
                        .map(|(id, words)| (id.to_owned(), words.to_owned())),
                    "no",
                ),
                Field::line("why", "Why (a change or removal)", ""),
            ],
        );
        self.open_form(form);
    }

    /// When the key-date form's first field picks an existing date, fill the form with it.
    pub(super) fn prefill_key_date(&mut self) {
        let Some(Overlay::Form(form)) = self.screen.overlays.last() else {
            return;
        };
        let Purpose::AddKeyDate { case } = &form.purpose else {
            return;
        };
        if form
            .fields
            .get(form.focus)
            .is_none_or(|f| f.name != "which")
        {
            return;
        }
        let chosen = records::key_date_index(form);
        let entry = chosen
            .and_then(|i| {
                self.whole_case()
                    .filter(|c| &c.id == case)
                    .and_then(|c| c.key_dates.get(i))
            })
            .cloned();
        let Some(Overlay::Form(form)) = self.screen.overlays.last_mut() else {
            return;
        };
        let Some(k) = entry else { return };
        for f in &mut form.fields {
            let value = match f.name {
                "kind" => k.kind.as_str().to_owned(),
                "date" => k.date.to_string(),
                "confirmed" => if k.confirmed == Some(false) {
                    "no"
                } else {
                    "yes"
                }
                .to_owned(),
                "note" => k.note.clone().unwrap_or_default(),
                _ => continue,
            };
            f.set_text(&value);
        }
    }

    /// Corrects an entry of the log: the log is append-only, so the correction is a new entry
    /// that names the one it corrects.
    pub(super) fn open_correction_form(&mut self, index: usize) {
        let Some(v) = self.whole_victim() else {
            return;
        };
        let Some(entry) = v.contacts.get(index) else {
            return;
        };
        let title = format!(
            "Correct the entry of {} ({}, {})",
            entry.on,
            entry.kind.label(),
            entry.method.label()
        );
        let form = Form::new(
            title,
            Purpose::Correct {
                victim: v.id.clone(),
                index,
            },
            vec![
                Field::line("on", "Date", self.settings.today.to_string()),
                Field::lines("summary", "What was wrong"),
                Field::pick::<ContactKind>(
                    "was_kind",
                    "It was in fact",
                    entry.kind.as_str(),
                    false,
                ),
                Field::line("was_on", "On the day", entry.on.to_string()),
            ],
        );
        self.open_form(form);
    }

    pub(super) fn open_sensitive_date_form(&mut self) {
        let Some(v) = self.selected_victim() else {
            return;
        };
        let form = Form::new(
            format!(
                "Add a sensitive date — {}",
                crate::domain::text::visible(&v.name)
            ),
            Purpose::AddSensitiveDate {
                victim: v.id.clone(),
            },
            vec![
                Field::line("date", "Date", ""),
                Field::line("label", "What it is", ""),
                Field::choice("yearly", "Every year", vec!["yes", "no"], "yes"),
            ],
        );
        self.open_form(form);
    }

    /// Closing the selected victim's case: its victims are closed with it.
    pub(super) fn open_close_case_form(&mut self) {
        let Some(v) = self.selected_victim() else {
            return;
        };
        let Some(case) = self.case_of(v) else {
            return;
        };
        if let Some(on) = case.closed_on {
            self.screen.message = Some(format!("Case {} was closed on {on}.", case.id));
            return;
        }
        let form = Form::new(
            format!(
                "Close case {} — its victims are closed with it",
                crate::domain::text::visible(&case.id)
            ),
            Purpose::CloseCase {
                case: case.id.clone(),
            },
            vec![
                Field::line("on", "Closed on", self.settings.today.to_string()),
                Field::lines("reason", "Why"),
            ],
        );
        self.open_form(form);
    }

    pub(super) fn open_new_victim_form(&mut self) {
        let case = self
            .selected_victim()
            .map_or(String::new(), |v| v.case_id.clone());
        let officer = self.by().unwrap_or_default();
        let form = Form::new(
            "Add a victim",
            Purpose::NewVictim,
            vec![
                Field::line("id", "Id (empty: the next)", ""),
                self.case_field(&case),
                Field::line("name", "Name", ""),
                Field::pick::<VictimRole>("role", "Role", "victim", false),
                Field::pick::<Eligibility>("eligibility", "Eligibility", "statutory", false),
                Field::line(
                    "referred_on",
                    "Referred on",
                    self.settings.today.to_string(),
                ),
                self.officer_field(&officer),
            ],
        );
        self.open_form(form);
    }

    pub(super) fn open_new_case_form(&mut self) {
        let form = Form::new(
            "Add a case",
            Purpose::NewCase,
            vec![
                Field::line("id", "Id (empty: the next)", ""),
                Field::line("name", "Offender", ""),
                Field::line("aliases", "Aliases (a, b)", ""),
                Field::line("prison_number", "Prison number", ""),
                Field::line("description", "Offence", ""),
                Field::pick::<OffenceCategory>("category", "Category", "violent", false),
                Field::pick::<SentenceKind>("kind", "Sentence", "sds", false),
                Field::line("imposed_on", "Sentenced on", ""),
            ],
        );
        self.open_form(form);
    }

    /// Opens a form, noting the version of the record it changes as it stands now.
    pub(super) fn open_form(&mut self, mut form: Form) {
        form.base = form
            .purpose
            .record()
            .map_or(0, |(record, id)| self.version(record, id));
        self.screen.overlays.push(Overlay::Form(form));
    }

    /// The change the form describes, or its problems, by its purpose (`None`: the record
    /// it changes is not open whole).
    fn change_from(
        &self,
        form: &Form,
        known: &KnownIds,
        by: Option<&str>,
        today: chrono::NaiveDate,
    ) -> Option<(Option<Effect>, Vec<Problem>)> {
        Some(match &form.purpose {
            Purpose::LogContact { victim } => contact_from(form, by, known, victim),
            Purpose::Status { status, .. } => {
                let current = self.whole_victim()?;
                status_change(form, current, *status, by, known)
            }
            Purpose::Correct { index, .. } => {
                let v = self.whole_victim()?;
                records::correction(form, v, *index, by, known)
            }
            Purpose::Snooze { reminder } => {
                super::snoozes::snooze_from(form, today, reminder, self.settings.officer.clone())
            }
            Purpose::AddKeyDate { .. } => {
                let current = self.whole_case()?;
                records::key_date(form, current, known)
            }
            Purpose::AddSensitiveDate { .. } => {
                let current = self.whole_victim()?;
                records::sensitive_date(form, current, known)
            }
            Purpose::EditVictim { revealed, .. } => {
                let current = self.whole_victim()?;
                split(super::edit::victim_edited(form, current, *revealed, known))
            }
            Purpose::EditCase { .. } => {
                let current = self.whole_case()?;
                split(super::edit::case_edited(form, current, known))
            }
            Purpose::CloseCase { case } => closing_from(form, case, by.map(str::to_owned)),
            Purpose::SaveLetter => match self.save_letter_effect(form) {
                Ok(effect) => (Some(effect), Vec::new()),
                Err(message) => (
                    None,
                    vec![Problem {
                        path: "path".into(),
                        message,
                    }],
                ),
            },
            Purpose::Erase { victim, case } => self.erasure_from(form, victim, case),
            Purpose::NewVictim => records::new_victim(form, known),
            Purpose::NewCase => records::new_case(form, known),
            Purpose::EditVictimCasework { .. } => {
                let current = self.whole_victim()?;
                split(super::casework::victim_casework_edited(
                    form, current, known,
                ))
            }
            Purpose::EditCaseCasework { .. } => {
                let current = self.whole_case()?;
                split(super::casework::case_casework_edited(
                    form,
                    current,
                    known,
                    self.settings.today,
                ))
            }
        })
    }

    /// Checks the open form by the import rules; if it is sound, the change to save.
    pub(super) fn save_form(&mut self) -> Option<Effect> {
        let today = self.settings.today;
        let known = self.known_ids();
        let by = self.by();
        let Some(Overlay::Form(typed)) = self.screen.overlays.last() else {
            return None;
        };
        // Dates as the unit writes them (20/08/2027) are checked and saved as ISO.
        let dated = typed.with_iso_dates(&self.settings.date_format);
        let form = &dated;
        // A record is changed only from its whole self, as the store gave it.
        let partial = match form.purpose.record() {
            Some((Record::Victim, victim)) => self.whole_victim().is_none_or(|v| v.id != victim),
            Some((Record::Case, case)) => self.whole_case().is_none_or(|c| c.id != case),
            None => false,
        };
        if partial {
            // Only part of the record is in memory: saving it would lose the rest.
            if let Some(Overlay::Form(form)) = self.screen.overlays.last_mut() {
                form.problem = Some("Not saved: the full record could not be read.".into());
            }
            return None;
        }
        if let Some(problem) = self.refused_by_role(form) {
            if let Some(Overlay::Form(form)) = self.screen.overlays.last_mut() {
                form.show_problems(&[problem]);
            }
            return None;
        }
        let (effect, problems) = self.change_from(form, &known, by.as_deref(), today)?;
        let base = form.base;
        let mut problems = problems;
        crate::tui::form::reworded(&mut problems, &self.settings.date_format);
        if let Some(Overlay::Form(form)) = self.screen.overlays.last_mut()
            && !form.show_problems(&problems)
        {
            return None;
        }
        effect.map(|e| e.made_from(base))
    }
}

/// A change or its problems, as a form's save has them.
fn split(outcome: Result<Effect, Vec<Problem>>) -> (Option<Effect>, Vec<Problem>) {
    match outcome {
        Ok(effect) => (Some(effect), Vec::new()),
        Err(problems) => (None, problems),
    }
}

/// Closing a case: on a real date, for a reason.
fn closing_from(form: &Form, case: &str, by: Option<String>) -> (Option<Effect>, Vec<Problem>) {
    let mut problems = Vec::new();
    let on = match check_date(form.value("on").unwrap_or("")) {
        Ok(on) => Some(on),
        Err(message) => {
            problems.push(Problem {
                path: "on".into(),
                message,
            });
            None
        }
    };
    let reason = form.text("reason").unwrap_or("");
    if reason.trim().is_empty() {
        problems.push(Problem {
            path: "reason".into(),
            message: "say why the case is closed".into(),
        });
    } else if let Some(c) = crate::domain::text::forbidden_char(reason) {
        problems.push(Problem {
            path: "reason".into(),
            message: format!("contains the control character U+{:04X}", u32::from(c)),
        });
    }
    match on {
        Some(on) if problems.is_empty() => (
            Some(Effect::Save(Command::CloseCase(crate::store::Closing {
                case: case.to_owned(),
                on,
                reason: reason.trim().to_owned(),
                by,
                base: 0,
            }))),
            problems,
        ),
        _ => (None, problems),
    }
}

fn contact_from(
    form: &Form,
    by: Option<&str>,
    known: &KnownIds,
    victim: &str,
) -> (Option<Effect>, Vec<Problem>) {
    let summary = form.text("summary");
    let typed =
        ["on", "at", "kind", "method", "direction", "key_date"].map(|key| (key, form.value(key)));
    let fields = typed.into_iter().chain([("summary", summary), ("by", by)]);
    // The call a letter confirms in writing, by its number in the log (shown beside each
    // entry); the store checks that it names a call.
    let follows = form
        .value("follows")
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let follows = match follows.map(str::parse::<usize>) {
        None => Ok(None),
        Some(Ok(n)) if n >= 1 => Ok(Some(n)),
        Some(_) => Err(Problem {
            path: "follows".into(),
            message: "a number of an entry of the log, from 1".into(),
        }),
    };
    match (
        crate::domain::validate::contact_from_text(fields, known),
        follows,
    ) {
        (Ok(contact), Ok(follows)) => (
            Some(Effect::Save(Command::LogContact {
                victim: victim.to_owned(),
                contact: Contact {
                    follows,
                    to: form
                        .value("to")
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned),
                    ..contact
                },
            })),
            Vec::new(),
        ),
        (contact, follows) => (
            None,
            contact
                .err()
                .unwrap_or_default()
                .into_iter()
                .chain(follows.err())
                .collect(),
        ),
    }
}

fn status_change(
    form: &Form,
    current: &Victim,
    status: VictimStatus,
    by: Option<&str>,
    known: &KnownIds,
) -> (Option<Effect>, Vec<Problem>) {
    let mut updated = Victim {
        contacts: Vec::new(),
        ..current.clone()
    };
    updated.status = status;
    let mut value = serde_json::to_value(&updated).unwrap_or(Value::Null);
    value["status_since"] = Value::String(form.value("status_since").unwrap_or("").to_owned());
    if status == VictimStatus::OptedIn {
        let prefs = updated.preferences.clone().unwrap_or_default();
        let mut p = serde_json::to_value(&prefs).unwrap_or(Value::Null);
        p["information"] = Value::String(form.value("information").unwrap_or("").to_owned());
        p["method"] = Value::String(form.value("method").unwrap_or("").to_owned());
        value["preferences"] = p;
    }
    let mut problems = check_victim(&value, known, false);
    let summary = form.text("summary").unwrap_or("");
    if let Some(c) = crate::domain::text::forbidden_char(summary) {
        problems.push(Problem {
            path: "summary".into(),
            message: format!("contains the control character U+{:04X}", u32::from(c)),
        });
    }
    if !problems.is_empty() {
        return (None, problems);
    }
    let Ok(victim) = serde_json::from_value::<Victim>(value) else {
        return (None, problems);
    };
    let (kind, direction) = match status {
        VictimStatus::OptedIn => (ContactKind::OptIn, Direction::Inbound),
        VictimStatus::Declined => (ContactKind::Decline, Direction::Inbound),
        _ => (ContactKind::Note, Direction::Internal),
    };
    let default_note = format!("Status recorded: {}.", status.label());
    let method = form
        .value("told_by")
        .and_then(Medium::parse)
        .unwrap_or(Medium::None);
    let contact = Contact {
        on: victim.status_since,
        at: None,
        kind,
        method,
        direction,
        summary: Some(if summary.is_empty() {
            default_note
        } else {
            summary.to_owned()
        }),
        by: by.map(str::to_owned),
        key_date: None,
        corrects: None,
        follows: None,
        to: None,
    };
    (
        Some(Effect::Save(Command::SaveVictim {
            victim: Box::new(victim),
            contact: Some(contact),
            base: 0,
        })),
        problems,
    )
}
