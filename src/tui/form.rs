//! Forms: fields a person types into, checked by the same rules as an import before
//! anything is saved. A failed check or a failed save keeps the form and what was typed.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea};

mod choice;
mod dates;
pub use choice::{ChoiceList, MANY};
pub use dates::{is_date, reworded};

/// What a field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of text.
    Line,
    /// Several lines; Enter starts a new one, ↑/↓ move between them.
    Lines,
    /// One of a list of identifiers, each with the words shown for it, changed with ←/→ or
    /// Space; the first may be "" (none). A long one also opens a list to type into
    /// ([`choice`]).
    Choice(Vec<(String, String)>),
}

/// One field of a form. Each key is applied by `ratatui-textarea` (word moves, Home/End,
/// line moves) to the field's text and cursor, which the field keeps itself: an editor
/// holds per-frame caches that may not cross threads, and the screens' state does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The record field it fills (the JSON key or path), used to place problems next to it.
    pub name: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    value: String,
    /// Line and character of the cursor.
    cursor: (usize, usize),
    pub problem: Option<String>,
    /// The list open on a long choice.
    list: Option<ChoiceList>,
}

/// Pasted or typed text as a field keeps it: Windows and old Mac line endings become plain
/// newlines; a one-line field gets spaces for them.
fn normalised(text: &str, kind: &FieldKind) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if *kind == FieldKind::Line {
        text.trim_end_matches('\n').replace('\n', " ")
    } else {
        text
    }
}

impl Field {
    pub fn line(name: &'static str, label: &'static str, value: impl Into<String>) -> Self {
        let mut field = Self {
            name,
            label,
            kind: FieldKind::Line,
            value: String::new(),
            cursor: (0, 0),
            problem: None,
            list: None,
        };
        field.set_text(&value.into());
        field
    }

    pub fn lines(name: &'static str, label: &'static str) -> Self {
        Self {
            kind: FieldKind::Lines,
            ..Self::line(name, label, "")
        }
    }

    /// A multi-line field holding `value`.
    pub fn lines_with(name: &'static str, label: &'static str, value: &str) -> Self {
        let mut field = Self::lines(name, label);
        field.set_text(value);
        field
    }

    /// A choice among identifiers, each shown as itself.
    pub fn choice<S: Into<String>>(
        name: &'static str,
        label: &'static str,
        options: impl IntoIterator<Item = S>,
        value: &str,
    ) -> Self {
        let options = options.into_iter().map(|o| {
            let o = o.into();
            (o.clone(), o)
        });
        Self::choice_labelled(name, label, options, value)
    }

    /// A choice among the values of an enumeration, each shown by its words (`ped` as
    /// "parole eligibility"); with `none`, an empty choice first.
    pub fn pick<E: crate::domain::enums::Identifier>(
        name: &'static str,
        label: &'static str,
        value: &str,
        none: bool,
    ) -> Self {
        let empty = none.then(|| (String::new(), "none".to_owned()));
        let options = empty.into_iter().chain(
            E::IDS
                .iter()
                .zip(E::LABELS)
                .map(|(id, words)| ((*id).to_owned(), (*words).to_owned())),
        );
        Self::choice_labelled(name, label, options, value)
    }

    /// Yes, no, or not recorded (`yes`, `no`, empty).
    pub fn yes_no(name: &'static str, label: &'static str, value: &str) -> Self {
        Self::choice_labelled(
            name,
            label,
            [("", "not recorded"), ("yes", "yes"), ("no", "no")]
                .map(|(id, words)| (id.to_owned(), words.to_owned())),
            value,
        )
    }

    /// A choice among identifiers, each shown by its words (`key_stages` as "every key
    /// stage").
    pub fn choice_labelled(
        name: &'static str,
        label: &'static str,
        options: impl IntoIterator<Item = (String, String)>,
        value: &str,
    ) -> Self {
        let options: Vec<(String, String)> = options.into_iter().collect();
        let value = if options.iter().any(|(id, _)| id == value) {
            value.to_owned()
        } else {
            options
                .first()
                .map(|(id, _)| id.clone())
                .unwrap_or_default()
        };
        Self {
            name,
            label,
            kind: FieldKind::Choice(options),
            value,
            cursor: (0, 0),
            problem: None,
            list: None,
        }
    }

    /// The field's text, or the identifier chosen.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// What the field shows: the text, or the chosen option's words.
    pub fn shown(&self) -> &str {
        match &self.kind {
            FieldKind::Choice(options) => options
                .iter()
                .find(|(id, _)| *id == self.value)
                .map_or(self.value.as_str(), |(_, words)| words.as_str()),
            _ => &self.value,
        }
    }

    /// Replaces the text (or the choice), the cursor at its end.
    pub fn set_text(&mut self, text: &str) {
        if matches!(self.kind, FieldKind::Choice(_)) {
            text.clone_into(&mut self.value);
            return;
        }
        self.value = normalised(text, &self.kind);
        self.edit(|editor| {
            editor.move_cursor(CursorMove::Bottom);
            editor.move_cursor(CursorMove::End);
        });
    }

    /// The cursor: line and character in it.
    pub fn cursor(&self) -> (usize, usize) {
        self.cursor
    }

    /// Applies `change` to the text and cursor through an editor.
    fn edit<R>(&mut self, change: impl FnOnce(&mut TextArea<'static>) -> R) -> R {
        let mut editor = TextArea::new(self.value.split('\n').map(str::to_owned).collect());
        let clamp = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
        editor.move_cursor(CursorMove::Jump(clamp(self.cursor.0), clamp(self.cursor.1)));
        let result = change(&mut editor);
        self.value = editor.lines().join("\n");
        let at = editor.cursor();
        self.cursor = (at.0, at.1);
        result
    }

    /// Pasted text, put in at the cursor as it came (tabs kept; line endings made plain).
    pub fn paste(&mut self, text: &str) -> bool {
        if matches!(self.kind, FieldKind::Choice(_)) {
            return false;
        }
        let text = normalised(text, &self.kind);
        self.edit(|editor| editor.insert_str(text));
        true
    }

    /// Whether ↑ (or ↓) would leave the field: it has no line above (or below) the cursor.
    pub fn at_edge(&self, up: bool) -> bool {
        let (row, _) = self.cursor;
        self.kind != FieldKind::Lines
            || if up {
                row == 0
            } else {
                row + 1 >= self.value.split('\n').count()
            }
    }

    /// Types a key into the field. Returns false if the field does not take it.
    pub fn input(&mut self, key: &KeyEvent) -> bool {
        if matches!(self.kind, FieldKind::Choice(_)) {
            if key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            {
                return false;
            }
            if let Some(taken) = self.list_input(key) {
                return taken;
            }
            let FieldKind::Choice(options) = &self.kind else {
                return false;
            };
            let i = options
                .iter()
                .position(|(o, _)| *o == self.value)
                .unwrap_or(0);
            let n = options.len().max(1);
            let next = match key.code {
                KeyCode::Right | KeyCode::Char(' ') => (i + 1) % n,
                KeyCode::Left => (i + n - 1) % n,
                _ => return false,
            };
            self.value = options
                .get(next)
                .map(|(id, _)| id.clone())
                .unwrap_or_default();
            return true;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let newline = matches!(key.code, KeyCode::Enter)
            || (ctrl && matches!(key.code, KeyCode::Char('m' | 'j')));
        let vertical = matches!(key.code, KeyCode::Up | KeyCode::Down)
            || (ctrl && matches!(key.code, KeyCode::Char('n' | 'p')));
        if self.kind == FieldKind::Line && (newline || vertical) {
            return false;
        }
        if matches!(key.code, KeyCode::Tab | KeyCode::BackTab | KeyCode::Esc) {
            return false;
        }
        let taken = self.edit(|editor| editor.input(*key));
        taken
            || matches!(
                key.code,
                KeyCode::Left | KeyCode::Right | KeyCode::Home | KeyCode::End | KeyCode::Char(_)
            )
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
    /// Change any part of a victim's record (contact details too, when `revealed`).
    EditVictim {
        victim: String,
        revealed: bool,
    },
    /// Change any part of a case's record.
    EditCase {
        case: String,
    },
    /// Close a case and its victims.
    CloseCase {
        case: String,
    },
    NewVictim,
    NewCase,
    /// Save the letter shown beneath the form to a file.
    SaveLetter,
    /// Change a victim's casework: personal statement, complaints, licence requests, a move
    /// away, a risk.
    EditVictimCasework {
        victim: String,
    },
    /// Change a case's casework: restricted patient, transfer.
    EditCaseCasework {
        case: String,
    },
    /// Erase the victim with this id, or their case (administrators).
    Erase {
        victim: String,
        case: String,
    },
}

impl Purpose {
    /// The record the form changes, if it changes one that exists.
    pub fn record(&self) -> Option<(crate::store::Record, &str)> {
        use crate::store::Record;
        match self {
            Purpose::Status { victim, .. }
            | Purpose::AddSensitiveDate { victim }
            | Purpose::EditVictim { victim, .. }
            | Purpose::EditVictimCasework { victim } => Some((Record::Victim, victim)),
            Purpose::AddKeyDate { case }
            | Purpose::EditCase { case }
            | Purpose::CloseCase { case }
            | Purpose::EditCaseCasework { case } => Some((Record::Case, case)),
            _ => None,
        }
    }
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
    /// What the fields held when the form opened, to tell whether anything was typed.
    initial: Vec<String>,
    /// Esc was pressed once on a changed form: a second Esc throws the changes away.
    pub discarding: bool,
}

impl Form {
    pub fn new(title: impl Into<String>, purpose: Purpose, fields: Vec<Field>) -> Self {
        let initial = fields.iter().map(|f| f.value.clone()).collect();
        Self {
            title: title.into(),
            purpose,
            fields,
            focus: 0,
            problem: None,
            base: 0,
            initial,
            discarding: false,
        }
    }

    /// Whether anything differs from what the form opened with.
    pub fn changed(&self) -> bool {
        self.fields.len() != self.initial.len()
            || self
                .fields
                .iter()
                .zip(&self.initial)
                .any(|(f, was)| f.value != *was)
    }

    /// Whether the field called `name` differs from what the form opened with.
    pub fn changed_field(&self, name: &str) -> bool {
        self.fields
            .iter()
            .zip(&self.initial)
            .any(|(f, was)| f.name == name && f.value.trim() != was.trim())
    }

    /// Takes what the form opened with as its starting point (after filling it in).
    pub fn settle(&mut self) {
        self.initial = self.fields.iter().map(|f| f.value.clone()).collect();
    }

    /// Pasted text, into the focused field.
    pub fn paste(&mut self, text: &str) -> bool {
        self.discarding = false;
        self.fields
            .get_mut(self.focus)
            .is_some_and(|f| f.paste(text))
    }

    /// Whether the focused field has its list of choices open: it takes ↑/↓, Enter and Esc.
    pub fn listing(&self) -> bool {
        self.fields
            .get(self.focus)
            .is_some_and(|f| f.list().is_some())
    }

    /// Leaving a field takes the match chosen in its open list.
    fn leave_list(&mut self) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.pick_listed();
        }
    }

    pub fn next_field(&mut self) {
        self.leave_list();
        self.focus = (self.focus + 1) % self.fields.len().max(1);
    }

    pub fn prev_field(&mut self) {
        self.leave_list();
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
    }

    pub fn input(&mut self, key: &KeyEvent) -> bool {
        self.discarding = false;
        let Some(field) = self.fields.get_mut(self.focus) else {
            return false;
        };
        if key.code == KeyCode::Enter && field.kind != FieldKind::Lines && field.list().is_none() {
            self.next_field();
            return true;
        }
        field.input(key)
    }

    /// Whether ↑/↓ should move to another field rather than within the focused one.
    pub fn leaves_field(&self, up: bool) -> bool {
        self.fields.get(self.focus).is_none_or(|f| f.at_edge(up))
    }

    /// A field's value, trimmed; `None` when empty.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.trim())
            .filter(|v| !v.is_empty())
    }

    /// A field's value as typed (multi-line text keeps its inner spacing), trailing space
    /// removed; `None` when empty.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.trim_end())
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
            // The field named by the whole path ("offender.name"), else by its last name:
            // "key_dates[3].date" → "date".
            let last = p.path.rsplit('.').next().unwrap_or("");
            let name = last.split('[').next().unwrap_or("");
            let at = self
                .fields
                .iter()
                .position(|f| f.name == p.path)
                .or_else(|| self.fields.iter().position(|f| f.name == name));
            match at.map(|i| &mut self.fields[i]) {
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
