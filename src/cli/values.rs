//! Values a shell can complete: a value parser that names the values it knows (for
//! `clap_complete`'s scripts) while parsing as the command always has.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, TypedValueParser};

/// Parses with `parse` (its sentence is the error, as before) and offers `names` to a
/// shell's completion: the kinds of letter, of key date, the built-in keymaps.
#[derive(Clone)]
pub(super) struct Known<T> {
    names: fn() -> Vec<&'static str>,
    parse: fn(&str) -> Result<T, String>,
}

impl<T> Known<T> {
    pub(super) fn new(
        names: fn() -> Vec<&'static str>,
        parse: fn(&str) -> Result<T, String>,
    ) -> Self {
        Self { names, parse }
    }
}

impl<T: Clone + Send + Sync + 'static> TypedValueParser for Known<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        self.parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new((self.names)().into_iter().map(PossibleValue::new)))
    }
}

/// The built-in keymaps' names (a keymap file's path is taken too).
pub(super) fn keymap_names() -> Vec<&'static str> {
    crate::tui::keymap::BUILTIN
        .iter()
        .map(|(name, _)| *name)
        .collect()
}

/// `--keymap`: a built-in keymap's name or a file's path, as typed.
pub(super) fn keymap() -> Known<String> {
    as_typed(keymap_names)
}

/// A value taken as typed (the command checks it and says what is wrong), with `names`
/// offered to a shell's completion.
pub(super) fn as_typed(names: fn() -> Vec<&'static str>) -> Known<String> {
    Known::new(names, |s| Ok(s.to_owned()))
}
