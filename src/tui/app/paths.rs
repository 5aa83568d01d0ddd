//! A record's JSON, field by path — `representative.contact_details.phone`,
//! `complaints[1].outcome` — as the screens' record forms read and change it (`edit`,
//! `casework`), and the record made from it again.

use crate::unit::command::Command;
use serde_json::{Map, Value};

use super::Effect;
use crate::domain::model::Victim;
use crate::domain::validate::{KnownIds, Problem, check_victim};

/// A path's steps: `complaints[1].outcome` → key `complaints`, entry 1, key `outcome`.
pub(super) enum Step<'a> {
    Key(&'a str),
    Entry(usize),
}

pub(super) fn steps(path: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        match part.split_once('[') {
            Some((key, rest)) => {
                out.push(Step::Key(key));
                if let Ok(i) = rest.trim_end_matches(']').parse() {
                    out.push(Step::Entry(i));
                }
            }
            None => out.push(Step::Key(part)),
        }
    }
    out
}

/// The value at a path of a record.
pub(super) fn at<'a>(record: &'a Value, path: &str) -> Option<&'a Value> {
    steps(path).iter().try_fold(record, |v, step| match step {
        Step::Key(k) => v.get(k),
        Step::Entry(i) => v.get(i),
    })
}

/// A field's text for a value of the record.
pub(super) fn shown(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(true)) => "yes".into(),
        Some(Value::Bool(false)) => "no".into(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

/// Puts `value` at `path`, making the objects and list entries on the way; `None` takes
/// the field out.
pub(super) fn put(record: &mut Value, path: &str, value: Option<Value>) {
    let steps = steps(path);
    let Some((Step::Key(last), parents)) = steps.split_last() else {
        return;
    };
    let mut here = &mut *record;
    for (n, step) in parents.iter().enumerate() {
        // What the next step needs to find here: a list for an entry, else an object.
        let empty = || match parents.get(n + 1) {
            Some(Step::Entry(_)) => Value::Array(Vec::new()),
            _ => Value::Object(Map::new()),
        };
        here = match (step, here) {
            (Step::Key(k), Value::Object(map)) => map.entry(*k).or_insert_with(empty),
            (Step::Entry(i), Value::Array(entries)) => {
                while entries.len() <= *i {
                    entries.push(Value::Object(Map::new()));
                }
                &mut entries[*i]
            }
            _ => return,
        };
    }
    if let Value::Object(map) = here {
        match value {
            Some(v) => {
                map.insert((*last).to_owned(), v);
            }
            None => {
                map.remove(*last);
            }
        }
    }
}

/// Takes out what holds nothing: empty objects (a `vps` with every date cleared), list
/// entries with every field cleared, and lists left empty.
pub(super) fn prune(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for v in map.values_mut() {
                prune(v);
            }
            map.retain(|_, v| match v {
                Value::Object(m) => !m.is_empty(),
                Value::Array(l) => !l.is_empty(),
                _ => true,
            });
        }
        Value::Array(list) => {
            for v in list.iter_mut() {
                prune(v);
            }
            list.retain(|v| !matches!(v, Value::Object(m) if m.is_empty()));
        }
        _ => {}
    }
}

/// The record made from its JSON once the validator found no problem.
pub(super) fn made<T: serde::de::DeserializeOwned>(
    value: Value,
    problems: Vec<Problem>,
) -> Result<T, Vec<Problem>> {
    if !problems.is_empty() {
        return Err(problems);
    }
    serde_json::from_value(value).map_err(|e| {
        vec![Problem {
            path: String::new(),
            message: format!(
                "the record could not be made ({})",
                crate::domain::text::json_problem(&e)
            ),
        }]
    })
}

/// A victim's record as a form edits it: its JSON, without the log (which only grows by
/// entries).
pub(super) fn victim_json(current: &Victim) -> Value {
    serde_json::to_value(Victim {
        contacts: Vec::new(),
        ..current.clone()
    })
    .unwrap_or(Value::Null)
}

/// The save of a victim's record edited as JSON, once the validator finds no problem in it.
pub(super) fn victim_saved(value: Value, known: &KnownIds) -> Result<Effect, Vec<Problem>> {
    let problems = check_victim(&value, known, false);
    let mut victim: Victim = made(value, problems)?;
    victim.contacts = Vec::new();
    Ok(Effect::Save(Command::SaveVictim {
        victim: Box::new(victim),
        base: 0,
        contact: None,
    }))
}
