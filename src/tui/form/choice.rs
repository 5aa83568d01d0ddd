//! A choice with many values (a key date's kind has 26) is picked from a list filtered as
//! one types: "rotl" leaves the release on temporary licence; Enter picks it. A short choice
//! is still stepped through with ←/→ or Space.

use crossterm::event::{KeyCode, KeyEvent};

use super::{Field, FieldKind};

/// From this many values a choice opens a list to type into.
pub const MANY: usize = 6;

/// The list open on a choice: what was typed, and the match chosen in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChoiceList {
    pub typed: String,
    /// The chosen line among the matches.
    pub selected: usize,
}

/// Text folded for matching: lower case, so "ROTL" and "rotl" are one.
fn folded(s: &str) -> String {
    s.to_lowercase()
}

impl Field {
    /// Whether the field is a choice long enough to pick from a list.
    pub fn has_list(&self) -> bool {
        matches!(&self.kind, FieldKind::Choice(o) if o.len() > MANY)
    }

    /// The list open on this field, if one is.
    pub fn list(&self) -> Option<&ChoiceList> {
        self.list.as_ref()
    }

    /// The options the typed text matches (in the id or the words), as (id, words).
    pub fn matches(&self) -> Vec<(&str, &str)> {
        let FieldKind::Choice(options) = &self.kind else {
            return Vec::new();
        };
        let typed = self
            .list
            .as_ref()
            .map_or(String::new(), |l| folded(&l.typed));
        let typed = typed.trim();
        options
            .iter()
            .filter(|(id, words)| {
                typed.is_empty() || folded(id).contains(typed) || folded(words).contains(typed)
            })
            .map(|(id, words)| (id.as_str(), words.as_str()))
            .collect()
    }

    /// Takes the chosen match (if any) and closes the list.
    pub fn pick_listed(&mut self) {
        let Some(list) = &self.list else { return };
        let chosen = self
            .matches()
            .get(list.selected)
            .map(|(id, _)| (*id).to_owned());
        if let Some(id) = chosen {
            self.value = id;
        }
        self.list = None;
    }

    /// A key on a long choice: typing opens and narrows the list, ↑/↓ move in it, Enter
    /// (or Tab) picks, Esc closes it with the value as it was. `None`: not the list's key.
    pub(super) fn list_input(&mut self, key: &KeyEvent) -> Option<bool> {
        if !self.has_list() {
            return None;
        }
        let Some(list) = self.list.as_mut() else {
            return match key.code {
                KeyCode::Char(c) if c != ' ' => {
                    self.list = Some(ChoiceList {
                        typed: c.to_string(),
                        selected: 0,
                    });
                    Some(true)
                }
                _ => None,
            };
        };
        match key.code {
            KeyCode::Char(c) => {
                list.typed.push(c);
                list.selected = 0;
            }
            KeyCode::Backspace => {
                list.typed.pop();
                list.selected = 0;
            }
            KeyCode::Up => list.selected = list.selected.saturating_sub(1),
            KeyCode::Down => list.selected += 1,
            KeyCode::Esc => self.list = None,
            KeyCode::Enter => self.pick_listed(),
            _ => return Some(false),
        }
        let final_match = self.matches().len().saturating_sub(1);
        if let Some(list) = self.list.as_mut() {
            list.selected = list.selected.min(final_match);
        }
        Some(true)
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyModifiers;

    use super::*;
    use crate::domain::enums::KeyDateKind;
    use crate::tui::form::Form;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn a_long_choice_is_picked_by_typing_part_of_it() {
        let mut f = Field::pick::<KeyDateKind>("kind", "Kind", "crd", false);
        assert!(f.has_list());
        for c in "rotl".chars() {
            assert!(f.input(&press(KeyCode::Char(c))));
        }
        assert_eq!(f.matches(), vec![("rotl", "release on temporary licence")]);
        assert_eq!(f.value(), "crd", "nothing is chosen until Enter");
        assert!(f.input(&press(KeyCode::Enter)));
        assert_eq!(f.value(), "rotl");
        assert!(f.list().is_none());
    }

    #[test]
    fn the_list_narrows_by_the_words_too_and_esc_keeps_the_value() {
        let mut f = Field::pick::<KeyDateKind>("kind", "Kind", "crd", false);
        for c in "DTO".chars() {
            f.input(&press(KeyCode::Char(c)));
        }
        let ids: Vec<&str> = f.matches().iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, ["etd", "mtd", "ltd"]);
        f.input(&press(KeyCode::Down));
        f.input(&press(KeyCode::Down));
        f.input(&press(KeyCode::Down));
        assert_eq!(f.list().unwrap().selected, 2, "held at the last match");
        f.input(&press(KeyCode::Esc));
        assert_eq!(f.value(), "crd");
        // Nothing matches: Enter closes the list and changes nothing.
        for c in "zzz".chars() {
            f.input(&press(KeyCode::Char(c)));
        }
        assert!(f.matches().is_empty());
        f.input(&press(KeyCode::Enter));
        assert_eq!(f.value(), "crd");
    }

    #[test]
    fn tab_takes_the_match_and_a_short_choice_has_no_list() {
        let mut form = Form::new(
            "t",
            crate::tui::form::Purpose::NewCase,
            vec![
                Field::pick::<KeyDateKind>("kind", "Kind", "crd", false),
                Field::choice("yes", "Yes", vec!["yes", "no"], "yes"),
            ],
        );
        for c in "hdca".chars() {
            form.input(&press(KeyCode::Char(c)));
        }
        form.next_field();
        assert_eq!(form.fields[0].value(), "hdcad");
        assert!(form.fields[0].list().is_none());
        assert!(!form.fields[1].has_list());
        assert!(!form.input(&press(KeyCode::Char('n'))));
    }
}
