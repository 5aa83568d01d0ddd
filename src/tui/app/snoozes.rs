//! Putting a reminder off from the diary, and ending a snooze early: the form, and the
//! command it saves. The snoozes themselves are the lens's ([`crate::unit::lens::Snoozes`]).

use crate::unit::command::Command;
use chrono::NaiveDate;

use super::Effect;
use crate::domain::validate::{Problem, check_date};
use crate::store::Snooze;
use crate::tui::form::{Field, Form, Purpose};

/// A snooze from its form: a date after today, and a reason.
pub(super) fn snooze_from(
    form: &Form,
    today: NaiveDate,
    reminder: &str,
    by: String,
) -> (Option<Effect>, Vec<Problem>) {
    let mut problems = Vec::new();
    let until = match check_date(form.value("until").unwrap_or("")) {
        Ok(d) if d <= today => {
            problems.push(Problem {
                path: "until".into(),
                message: "must be after today".into(),
            });
            None
        }
        Ok(d) => Some(d),
        Err(message) => {
            problems.push(Problem {
                path: "until".into(),
                message,
            });
            None
        }
    };
    let reason = form.value("reason").unwrap_or("");
    if reason.is_empty() {
        problems.push(Problem {
            path: "reason".into(),
            message: "say why the reminder can wait".into(),
        });
    } else if let Some(c) = crate::domain::text::forbidden_char(reason) {
        problems.push(Problem {
            path: "reason".into(),
            message: format!("contains the control character U+{:04X}", u32::from(c)),
        });
    }
    match until {
        Some(until) if problems.is_empty() => {
            let s = Snooze {
                reminder: reminder.to_owned(),
                until,
                reason: reason.to_owned(),
                by,
            };
            (Some(Effect::Save(Command::Snooze(s))), problems)
        }
        _ => (None, problems),
    }
}

/// Snoozing from the diary, and ending a snooze.
impl super::App {
    pub(super) fn open_snooze_form(&mut self) {
        let Some(item) = self.diary.items.get(self.diary.selected) else {
            return;
        };
        let until = self
            .settings
            .today
            .checked_add_days(chrono::Days::new(7))
            .unwrap_or(self.settings.today);
        let form = Form::new(
            format!("Snooze: {}", item.reminder.action()),
            Purpose::Snooze {
                reminder: item.reminder.identity(),
            },
            vec![
                Field::line("until", "Until", until.to_string()),
                Field::lines("reason", "Reason"),
            ],
        );
        self.open_form(form);
    }

    /// Ends the selected reminder's snooze (the store's to do): nothing if it has none.
    pub(super) fn unsnooze_selected(&mut self) -> Option<Effect> {
        let item = self.diary.items.get(self.diary.selected)?;
        if self.snoozed(&item.reminder).is_none() {
            self.screen.message = Some("That reminder is not snoozed.".into());
            return None;
        }
        Some(Effect::Save(Command::Unsnooze {
            reminder: item.reminder.identity(),
        }))
    }
}
