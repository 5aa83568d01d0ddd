//! Forms: fields a person types into, checked by the same rules as an import before
//! anything is saved. A failed check or a failed save keeps the form and what was typed.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of text.
    Line,
    /// Several lines; Enter starts a new one.
    Lines,
    /// One of a list of identifiers, changed with ←/→ or Space; the first may be "" (none).
    Choice(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The record field it fills (the JSON key), used to place problems next to it.
    pub name: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    pub value: String,
    /// Cursor position, in characters.
    pub cursor: usize,
    pub problem: Option<String>,
}

impl Field {
    pub fn line(name: &'static str, label: &'static str, value: impl Into<String>) -> Self {
        let value = value.into();
        let cursor = value.chars().count();
        Self {
            name,
            label,
            kind: FieldKind::Line,
            value,
            cursor,
            problem: None,
        }
    }

    pub fn lines(name: &'static str, label: &'static str) -> Self {
        Self {
            kind: FieldKind::Lines,
            ..Self::line(name, label, "")
        }
    }

    pub fn choice<S: Into<String>>(
        name: &'static str,
        label: &'static str,
        options: impl IntoIterator<Item = S>,
        value: &str,
    ) -> Self {
        let options: Vec<String> = options.into_iter().map(Into::into).collect();
        let value = if options.iter().any(|o| o == value) {
            value.to_owned()
        } else {
            options.first().cloned().unwrap_or_default()
        };
        Self {
            kind: FieldKind::Choice(options),
            ..Self::line(name, label, value)
        }
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.value
            .char_indices()
            .nth(chars)
            .map_or(self.value.len(), |(i, _)| i)
    }

    /// Types a key into the field. Returns false if the field does not take it.
    pub fn input(&mut self, key: &KeyEvent) -> bool {
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return false;
        }
        if let FieldKind::Choice(options) = &self.kind {
            let i = options.iter().position(|o| *o == self.value).unwrap_or(0);
            let n = options.len().max(1);
            let next = match key.code {
                KeyCode::Right | KeyCode::Char(' ') => (i + 1) % n,
                KeyCode::Left => (i + n - 1) % n,
                _ => return false,
            };
            self.value = options.get(next).cloned().unwrap_or_default();
            return true;
        }
        match key.code {
            KeyCode::Char(c) => {
                let at = self.byte_at(self.cursor);
                self.value.insert(at, c);
                self.cursor += 1;
            }
            KeyCode::Enter if self.kind == FieldKind::Lines => {
                let at = self.byte_at(self.cursor);
                self.value.insert(at, '\n');
                self.cursor += 1;
            }
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
            }
            KeyCode::Delete if self.cursor < self.value.chars().count() => {
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.value.chars().count()),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.value.chars().count(),
            _ => return false,
        }
        true
    }
}

/// What a form is for; it decides what saving it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// Log a contact for the victim with this id.
    LogContact {
        victim: String,
    },
    /// Record a change of status (opt-in, decline, opt-out) for the victim with this id.
    Status {
        victim: String,
        status: crate::domain::enums::VictimStatus,
    },
    /// Correct entry `index` of the log of the victim with this id.
    Correct {
        victim: String,
        index: usize,
    },
    /// Put off the reminder with this identity.
    Snooze {
        reminder: String,
    },
    /// Add a key date to the case with this id.
    AddKeyDate {
        case: String,
    },
    /// Add a sensitive date to the victim with this id.
    AddSensitiveDate {
        victim: String,
    },
    NewVictim,
    NewCase,
    /// Save the letter shown beneath the form to a file.
    SaveLetter,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub title: String,
    pub purpose: Purpose,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// A problem that belongs to no one field, or a failed save.
    pub problem: Option<String>,
    /// The version of the record it changes, when it was opened (0: a new record).
    pub base: u64,
}

impl Form {
    pub fn new(title: impl Into<String>, purpose: Purpose, fields: Vec<Field>) -> Self {
        Self {
            title: title.into(),
            purpose,
            fields,
            focus: 0,
            problem: None,
            base: 0,
        }
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len().max(1);
    }

    pub fn prev_field(&mut self) {
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
    }

    pub fn input(&mut self, key: &KeyEvent) -> bool {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return false;
        };
        if key.code == KeyCode::Enter && field.kind != FieldKind::Lines {
            self.next_field();
            return true;
        }
        field.input(key)
    }

    /// A field's value, trimmed; `None` when empty.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.trim())
            .filter(|v| !v.is_empty())
    }

    /// Clears old problems, then places each new one next to its field (by path), or on
    /// the form. Returns whether there were none.
    pub fn show_problems(&mut self, problems: &[crate::domain::validate::Problem]) -> bool {
        self.problem = None;
        for f in &mut self.fields {
            f.problem = None;
        }
        for p in problems {
            // The field is the path's last name: "key_dates[3].date" → "date".
            let last = p.path.rsplit('.').next().unwrap_or("");
            let name = last.split('[').next().unwrap_or("");
            match self.fields.iter_mut().find(|f| f.name == name) {
                Some(f) if f.problem.is_none() => f.problem = Some(p.message.clone()),
                Some(_) => {}
                None => self.problem = Some(p.to_string()),
            }
        }
        if let Some(i) = self.fields.iter().position(|f| f.problem.is_some()) {
            self.focus = i;
        }
        problems.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn text_is_edited_at_the_cursor() {
        let mut f = Field::line("on", "Date", "2026-11-24");
        f.input(&press(KeyCode::Backspace));
        f.input(&press(KeyCode::Char('5')));
        assert_eq!(f.value, "2026-11-25");
        f.input(&press(KeyCode::Home));
        f.input(&press(KeyCode::Delete));
        f.input(&press(KeyCode::Char('3')));
        assert_eq!(f.value, "3026-11-25");
        let mut m = Field::lines("summary", "Summary");
        for c in "é\nx".chars() {
            m.input(&press(if c == '\n' {
                KeyCode::Enter
            } else {
                KeyCode::Char(c)
            }));
        }
        assert_eq!(m.value, "é\nx");
    }

    #[test]
    fn choices_cycle_both_ways() {
        let mut f = Field::choice(
            "method",
            "Method",
            vec!["letter", "phone", "email"],
            "letter",
        );
        f.input(&press(KeyCode::Left));
        assert_eq!(f.value, "email");
        f.input(&press(KeyCode::Right));
        f.input(&press(KeyCode::Char(' ')));
        assert_eq!(f.value, "phone");
        assert!(!f.input(&press(KeyCode::Char('x'))));
    }

    #[test]
    fn problems_land_next_to_their_fields() {
        let mut form = Form::new(
            "t",
            Purpose::Snooze {
                reminder: "r".into(),
            },
            vec![
                Field::line("on", "Date", "x"),
                Field::line("summary", "Summary", ""),
            ],
        );
        let p = |path: &str, message: &str| crate::domain::validate::Problem {
            path: path.into(),
            message: message.into(),
        };
        assert!(!form.show_problems(&[p("summary", "bad"), p("by", "no officer")]));
        assert_eq!(form.fields[1].problem.as_deref(), Some("bad"));
        assert_eq!(form.focus, 1);
        assert_eq!(form.problem.as_deref(), Some("by: no officer"));
        assert!(form.show_problems(&[]));
        assert_eq!(form.fields[1].problem, None);
    }
}
