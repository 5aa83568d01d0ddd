//! Key bindings as data: `keymaps/*.toml`, compiled in, overridable key by key by a user
//! file. Every problem in a keymap is reported with its file and line; vlu then runs on the
//! defaults.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use toml::Spanned;

use super::action::Action;
use crate::domain::text::is_invisible;

/// The built-in keymaps, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../keymaps/default.toml")),
    ("vim", include_str!("../../keymaps/vim.toml")),
];

/// Where a binding applies. Keys are looked up in the focused context, then in `global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    Caseload,
    Diary,
    Contacts,
    Victim,
    /// The letter picker and a letter's preview.
    Letter,
    /// Each officer's workload.
    Workload,
    /// The monitoring return.
    Report,
    Form,
}

impl Context {
    pub const ALL: &'static [Context] = &[
        Context::Global,
        Context::Caseload,
        Context::Diary,
        Context::Contacts,
        Context::Victim,
        Context::Letter,
        Context::Workload,
        Context::Report,
        Context::Form,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Caseload => "caseload",
            Context::Diary => "diary",
            Context::Contacts => "contacts",
            Context::Victim => "victim",
            Context::Letter => "letter",
            Context::Workload => "workload",
            Context::Report => "report",
            Context::Form => "form",
        }
    }

    fn from_name(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.name() == s)
    }
}

/// One key with its modifiers, as written in a keymap (`ctrl-s`, `shift-tab`, `G`, `enter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn new(code: KeyCode, mods: KeyModifiers) -> Self {
        Self { code, mods }
    }

    /// The key of a terminal event. Shift is part of a character (`G`), not a modifier.
    pub fn from_event(e: &KeyEvent) -> Self {
        let mut mods =
            e.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match e.code {
            KeyCode::BackTab => {
                mods |= KeyModifiers::SHIFT;
                KeyCode::Tab
            }
            c => c,
        };
        if matches!(code, KeyCode::Char(_)) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Self { code, mods }
    }

    /// The terminal event this key arrives as (the inverse of `from_event`).
    pub fn to_event(self) -> KeyEvent {
        let mut mods = self.mods;
        let code = match self.code {
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            KeyCode::Char(c) if c.is_uppercase() => {
                mods |= KeyModifiers::SHIFT;
                KeyCode::Char(c)
            }
            c => c,
        };
        KeyEvent::new(code, mods)
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        // A lone "-" is the minus key, not a separator.
        while let Some((m, tail)) = rest.split_once('-').filter(|(_, t)| !t.is_empty()) {
            match m.to_ascii_lowercase().as_str() {
                "ctrl" | "c" => mods |= KeyModifiers::CONTROL,
                "alt" | "a" | "m" => mods |= KeyModifiers::ALT,
                "shift" | "s" => mods |= KeyModifiers::SHIFT,
                _ => return Err(format!("unknown modifier \"{m}\" in key \"{text}\"")),
            }
            rest = tail;
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => {
                mods |= KeyModifiers::SHIFT;
                KeyCode::Tab
            }
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "insert" => KeyCode::Insert,
            f if f.len() > 1
                && f.starts_with('f')
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
            {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if !c.is_control() && !is_invisible(c) => KeyCode::Char(c),
                    _ => return Err(format!("\"{text}\" is not a key")),
                }
            }
        };
        if matches!(code, KeyCode::Char(_)) && mods.contains(KeyModifiers::SHIFT) {
            return Err(format!(
                "write \"{text}\" as the shifted character itself (for example \"G\")"
            ));
        }
        Ok(Self { code, mods })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One binding, in the order the keymap gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub key: Key,
    pub action: Action,
    pub desc: String,
}

/// A problem in a keymap file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.file.is_empty(), self.line) {
            (true, _) => f.write_str(&self.message),
            (false, 0) => write!(f, "{}: {}", self.file, self.message),
            (false, line) => write!(f, "{}, line {line}: {}", self.file, self.message),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Keymap {
    bindings: BTreeMap<Context, Vec<Binding>>,
    /// Keys bound to "none": removed from any keymap this one is laid over.
    removed: Vec<(Context, Key)>,
}

/// A keymap as TOML: sections of keys, each bound to a value that `spec` reads.
type RawSection = BTreeMap<Spanned<String>, toml::Value>;
type RawKeymap = BTreeMap<Spanned<String>, RawSection>;

/// What a binding may be, for the message when it is something else.
const SPEC_SHAPE: &str = "a binding is an action name (\"quit\") or a table such as { action = \"quit\", desc = \"leave vlu\" }";

/// A binding's action and description: `"quit"` or `{ action = "quit", desc = "…" }`.
fn spec(value: toml::Value) -> Result<(String, Option<String>), String> {
    let mut table = match value {
        toml::Value::String(action) => return Ok((action, None)),
        toml::Value::Table(table) => table,
        other => return Err(format!("{SPEC_SHAPE}, not {}", other.type_str())),
    };
    if let Some(unknown) = table
        .keys()
        .find(|k| !["action", "desc"].contains(&k.as_str()))
    {
        return Err(format!(
            "unknown field \"{unknown}\" in a binding; {SPEC_SHAPE}"
        ));
    }
    let desc = match table.remove("desc") {
        None => None,
        Some(toml::Value::String(desc)) => Some(desc),
        Some(_) => return Err(format!("desc must be text; {SPEC_SHAPE}")),
    };
    match table.remove("action") {
        Some(toml::Value::String(action)) => Ok((action, desc)),
        Some(_) => Err(format!("action must be text; {SPEC_SHAPE}")),
        None => Err(format!("the binding names no action; {SPEC_SHAPE}")),
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Keymap {
    /// The built-in default keymap.
    pub fn default_keymap() -> Self {
        let (map, problems) = Self::parse(BUILTIN[0].1, "keymaps/default.toml");
        debug_assert!(problems.is_empty(), "{problems:?}");
        map
    }

    /// Parses a keymap file. Bindings with problems are left out; the problems say why.
    pub fn parse(text: &str, file: &str) -> (Self, Vec<Problem>) {
        let mut problems = Vec::new();
        let mut report = |offset: usize, message: String| {
            problems.push(Problem {
                file: file.to_owned(),
                line: line_of(text, offset),
                message,
            });
        };
        let raw: RawKeymap = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                report(
                    e.span().map_or(0, |s| s.start),
                    e.message().replace('\n', " ").trim().to_owned(),
                );
                return (Self::default(), problems);
            }
        };
        let mut map = Self::default();
        // (context, key) -> how the key was written and where.
        let mut seen: HashMap<(Context, Key), (String, usize)> = HashMap::new();
        // In file order, so that "bound twice" points at the second one.
        let mut sections: Vec<_> = raw.into_iter().collect();
        sections.sort_by_key(|(name, _)| name.span().start);
        for (context_name, entries) in sections {
            let Some(context) = Context::from_name(context_name.get_ref()) else {
                let names: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
                report(
                    context_name.span().start,
                    format!(
                        "unknown section [{}] (expected one of: {})",
                        context_name.get_ref(),
                        names.join(", ")
                    ),
                );
                continue;
            };
            map.bind_section(context, entries, &mut seen, &mut report);
        }
        for (offset, message) in map.shadows(seen.iter().map(|(&ck, (_, offset))| (ck, *offset))) {
            report(offset, message);
        }
        problems.sort_by_key(|p| p.line);
        (map, problems)
    }

    /// One section's bindings, in file order, each checked: a key bound twice, an unknown
    /// action, a key or value that cannot be read is a problem, and is left out.
    fn bind_section(
        &mut self,
        context: Context,
        entries: RawSection,
        seen: &mut HashMap<(Context, Key), (String, usize)>,
        report: &mut dyn FnMut(usize, String),
    ) {
        let mut entries: Vec<_> = entries.into_iter().collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        for (key_text, value) in entries {
            let offset = key_text.span().start;
            let key = match Key::parse(key_text.get_ref()) {
                Ok(k) => k,
                Err(message) => {
                    report(offset, message);
                    continue;
                }
            };
            let (action_name, desc) = match spec(value) {
                Ok(found) => found,
                Err(message) => {
                    report(offset, format!("{key}: {message}"));
                    continue;
                }
            };
            if let Some((earlier, _)) = seen.get(&(context, key)) {
                report(
                    offset,
                    format!(
                        "{key} is bound twice in [{}] (also as \"{earlier}\")",
                        context.name()
                    ),
                );
                continue;
            }
            seen.insert((context, key), (key_text.get_ref().clone(), offset));
            if action_name == "none" {
                self.removed.push((context, key));
                continue;
            }
            let Some(action) = Action::from_name(&action_name) else {
                report(
                    offset,
                    format!("unknown action \"{action_name}\" for {key}"),
                );
                continue;
            };
            let desc = desc.unwrap_or_else(|| action.describe().to_owned());
            self.bind(context, Binding { key, action, desc });
        }
    }

    /// A pane's key that is also a global key hides the global one in that pane: one
    /// problem for each, at the offset of the pane's key.
    fn shadows(&self, keys: impl Iterator<Item = ((Context, Key), usize)>) -> Vec<(usize, String)> {
        keys.filter(|((context, key), _)| {
            !matches!(context, Context::Global | Context::Form)
                && self.get(Context::Global, *key).is_some()
                && self.get(*context, *key).is_some()
        })
        .map(|((context, key), offset)| {
            let message = format!(
                "{key} in [{}] shadows the global binding of {key}",
                context.name()
            );
            (offset, message)
        })
        .collect()
    }

    fn bind(&mut self, context: Context, binding: Binding) {
        let list = self.bindings.entry(context).or_default();
        list.retain(|b| b.key != binding.key);
        list.push(binding);
    }

    fn unbind(&mut self, context: Context, key: Key) {
        if let Some(list) = self.bindings.get_mut(&context) {
            list.retain(|b| b.key != key);
        }
    }

    /// This keymap with `other`'s bindings laid over it, key by key.
    #[must_use]
    pub fn merged(mut self, other: &Keymap) -> Self {
        for (context, key) in &other.removed {
            self.unbind(*context, *key);
        }
        for (context, list) in &other.bindings {
            for b in list {
                self.bind(*context, b.clone());
            }
        }
        self
    }

    fn get(&self, context: Context, key: Key) -> Option<&Binding> {
        self.bindings.get(&context)?.iter().find(|b| b.key == key)
    }

    /// The action of a key in a context, falling back to the global bindings.
    pub fn action(&self, context: Context, key: Key) -> Option<Action> {
        self.get(context, key)
            .or_else(|| self.get(Context::Global, key))
            .map(|b| b.action)
    }

    /// The bindings of a context, in keymap order.
    pub fn bindings(&self, context: Context) -> &[Binding] {
        self.bindings.get(&context).map_or(&[], Vec::as_slice)
    }

    /// The first key bound to an action in a context (or globally), for hints.
    pub fn key_for(&self, context: Context, action: Action) -> Option<Key> {
        self.bindings(context)
            .iter()
            .chain(self.bindings(Context::Global))
            .find(|b| b.action == action)
            .map(|b| b.key)
    }
}

/// A problem when no key in `[global]` quits: a keymap that cannot be left.
fn quit_problem(map: &Keymap, text: &str, file: &str) -> Option<Problem> {
    if map
        .bindings(Context::Global)
        .iter()
        .any(|b| b.action == Action::Quit)
    {
        return None;
    }
    let line = text
        .lines()
        .position(|l| l.trim().starts_with("[global]"))
        .map_or(1, |i| i + 1);
    Some(Problem {
        file: file.to_owned(),
        line,
        message: "no key in [global] quits vlu; bind one, for example \"q\" = \"quit\"".into(),
    })
}

/// `vlu keymap check`: every problem of a keymap file, read as the user's keymap is, laid
/// over the default keymap.
pub fn check(text: &str, file: &str) -> Vec<Problem> {
    let (map, mut problems) = Keymap::parse(text, file);
    if problems.is_empty() {
        let merged = Keymap::default_keymap().merged(&map);
        problems.extend(quit_problem(&merged, text, file));
    }
    problems
}

/// The chosen keymap, a built-in name or a file of its own; the default one if it is broken.
fn chosen(choice: &str) -> (Keymap, Vec<Problem>) {
    if let Some((name, text)) = BUILTIN.iter().find(|(n, _)| *n == choice) {
        return (
            Keymap::parse(text, &format!("keymaps/{name}.toml")).0,
            Vec::new(),
        );
    }
    let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
    let problem = |file: &str, message: String| Problem {
        file: file.to_owned(),
        line: 0,
        message,
    };
    let text = match std::fs::read_to_string(choice) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let message = format!(
                "no keymap \"{choice}\": name a built-in ({}) or a file that exists",
                names.join(", ")
            );
            return (Keymap::default_keymap(), vec![problem("", message)]);
        }
        Err(e) => {
            let message = format!("cannot read this keymap ({e}); check its permissions");
            return (Keymap::default_keymap(), vec![problem(choice, message)]);
        }
    };
    let (map, mut problems) = Keymap::parse(&text, choice);
    if problems.is_empty() {
        problems.extend(quit_problem(&map, &text, choice));
    }
    if problems.is_empty() {
        (map, problems)
    } else {
        (Keymap::default_keymap(), problems)
    }
}

/// The keymap to run with: the chosen one (a built-in name or a path; default "default"),
/// with the user's override file laid over it. Problems are returned, never fatal: a broken
/// chosen keymap falls back to the default, a broken override is ignored.
pub fn load(choice: Option<&str>, user_file: Option<&Path>) -> (Keymap, Vec<Problem>) {
    let (base, mut problems) = chosen(choice.unwrap_or("default"));
    let Some(file) = user_file.filter(|f| f.exists()) else {
        return (base, problems);
    };
    let label = file.display().to_string();
    match std::fs::read_to_string(file) {
        Ok(text) => {
            let (overlay, mut found) = Keymap::parse(&text, &label);
            let merged = base.clone().merged(&overlay);
            if found.is_empty() {
                found.extend(quit_problem(&merged, &text, &label));
            }
            if found.is_empty() {
                return (merged, problems);
            }
            problems.extend(found);
        }
        Err(e) => problems.push(Problem {
            file: label,
            line: 0,
            message: format!("cannot read this keymap ({e}); check its permissions"),
        }),
    }
    (base, problems)
}

#[cfg(test)]
mod tests;
