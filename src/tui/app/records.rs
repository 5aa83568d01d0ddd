//! Forms that add records: each builds the record as JSON from what was typed, checks it by
//! the import's rules, and only then turns it into the effect to save.

use crate::unit::command::Command;
use serde_json::{Map, Value, json};

use super::Effect;
use crate::domain::enums::ContactKind;
use crate::domain::model::{Case, Contact, Corrects, Victim};
use crate::domain::validate::{KnownIds, Problem, check_case, check_date, check_victim};
use crate::tui::form::Form;

type Outcome = (Option<Effect>, Vec<Problem>);

/// A form field as JSON: text, or absent when empty.
fn text(form: &Form, name: &str) -> Value {
    form.value(name)
        .map_or(Value::Null, |v| Value::String(v.to_owned()))
}

fn yes(form: &Form, name: &str) -> bool {
    form.value(name) == Some("yes")
}

fn finish<T: serde::de::DeserializeOwned>(
    value: Value,
    problems: Vec<Problem>,
    wrap: fn(Box<T>) -> Effect,
) -> Outcome {
    if !problems.is_empty() {
        return (None, problems);
    }
    match serde_json::from_value::<T>(value) {
        Ok(record) => (Some(wrap(Box::new(record))), problems),
        Err(e) => (
            None,
            vec![Problem {
                path: String::new(),
                // Never serde_json's message: it quotes what was typed.
                message: format!(
                    "the record could not be made ({})",
                    crate::domain::text::json_problem(&e)
                ),
            }],
        ),
    }
}

/// Drops nulls, so that an empty optional field is simply absent.
fn compact(map: Map<String, Value>) -> Value {
    Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).collect())
}

/// The index of the existing key date the form changes (`None`: a new one).
pub(super) fn key_date_index(form: &Form) -> Option<usize> {
    form.value("which")?
        .split(':')
        .next()?
        .parse::<usize>()
        .ok()?
        .checked_sub(1)
}

pub(super) fn key_date(form: &Form, case: &Case, known: &KnownIds) -> Outcome {
    let mut value = serde_json::to_value(case).unwrap_or(Value::Null);
    let mut entry = Map::new();
    entry.insert("kind".into(), text(form, "kind"));
    entry.insert("date".into(), text(form, "date"));
    entry.insert("confirmed".into(), Value::Bool(yes(form, "confirmed")));
    entry.insert("note".into(), text(form, "note"));
    let entry = compact(entry);
    let existing = key_date_index(form).filter(|&i| i < case.key_dates.len());
    let remove = form.value("remove") == Some("yes");
    let why = form.value("why").map(str::to_owned);
    let mut problems = Vec::new();
    match existing {
        // A date already recorded is corrected or removed only with a reason, kept in the
        // audit trail.
        Some(_) if why.is_none() => problems.push(Problem {
            path: "why".into(),
            message: "say why this date is changed or removed".into(),
        }),
        None if remove => problems.push(Problem {
            path: "remove".into(),
            message: "choose a recorded date to remove it".into(),
        }),
        _ => {}
    }
    match (
        value.get_mut("key_dates").and_then(Value::as_array_mut),
        existing,
    ) {
        (Some(list), Some(i)) if remove => {
            list.remove(i);
        }
        (Some(list), Some(i)) => list[i] = entry,
        (Some(list), None) => list.push(entry),
        (None, _) => value["key_dates"] = json!([entry]),
    }
    problems.extend(check_case(&value, known, false));
    match finish(value, problems, |case| {
        Effect::Save(Command::SaveCase {
            case,
            base: 0,
            why: None,
        })
    }) {
        (Some(Effect::Save(Command::SaveCase { case, base, .. })), problems) => (
            Some(Effect::Save(Command::SaveCase { case, base, why })),
            problems,
        ),
        outcome => outcome,
    }
}

pub(super) fn sensitive_date(form: &Form, victim: &Victim, known: &KnownIds) -> Outcome {
    let stored = Victim {
        contacts: Vec::new(),
        ..victim.clone()
    };
    let mut value = serde_json::to_value(&stored).unwrap_or(Value::Null);
    let mut entry = Map::new();
    entry.insert("date".into(), text(form, "date"));
    entry.insert("label".into(), text(form, "label"));
    entry.insert("yearly".into(), Value::Bool(yes(form, "yearly")));
    let mut problems = Vec::new();
    if form.value("date").is_none() {
        problems.push(Problem {
            path: "date".into(),
            message: "a sensitive date needs its date".into(),
        });
    }
    let entry = compact(entry);
    match value
        .get_mut("sensitive_dates")
        .and_then(Value::as_array_mut)
    {
        Some(list) => list.push(entry),
        None => value["sensitive_dates"] = json!([entry]),
    }
    problems.extend(check_victim(&value, known, false));
    finish(value, problems, |victim| {
        Effect::Save(Command::SaveVictim {
            victim,
            base: 0,
            contact: None,
        })
    })
}

pub(super) fn correction(
    form: &Form,
    victim: &Victim,
    index: usize,
    by: Option<&str>,
    known: &KnownIds,
) -> Outcome {
    let Some(wrong) = victim.contacts.get(index) else {
        return (
            None,
            vec![Problem {
                path: String::new(),
                message: "that entry is gone".into(),
            }],
        );
    };
    let what = form.value("summary").unwrap_or("");
    let mut problems = Vec::new();
    if what.is_empty() {
        problems.push(Problem {
            path: "summary".into(),
            message: "say what was wrong".into(),
        });
    }
    let on = match crate::domain::validate::check_date(form.value("on").unwrap_or("")) {
        Ok(d) => Some(d),
        Err(message) => {
            problems.push(Problem {
                path: "on".into(),
                message,
            });
            None
        }
    };
    // What the entry should have said: its kind and its day, when they differ.
    let kind = form.value("was_kind").and_then(ContactKind::parse);
    let day = match form.value("was_on").map(check_date) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(message)) => {
            problems.push(Problem {
                path: "was_on".into(),
                message,
            });
            None
        }
    };
    let (Some(on), true) = (on, problems.is_empty()) else {
        return (None, problems);
    };
    let mut contact = Contact::correction(wrong, on, by.map(str::to_owned), what);
    let kind = kind.filter(|k| *k != wrong.kind);
    let day = day.filter(|d| *d != wrong.on);
    if kind.is_some() || day.is_some() {
        contact.corrects = Some(Corrects {
            entry: index + 1,
            kind,
            on: day,
        });
    }
    let problems = crate::domain::validate::check_contact(
        &serde_json::to_value(&contact).unwrap_or(Value::Null),
        known,
    );
    if !problems.is_empty() {
        return (None, problems);
    }
    (
        Some(Effect::Save(Command::LogContact {
            victim: victim.id.clone(),
            contact,
        })),
        problems,
    )
}

pub(super) fn new_victim(form: &Form, known: &KnownIds) -> Outcome {
    let mut map = Map::new();
    for key in [
        "id",
        "case_id",
        "name",
        "role",
        "eligibility",
        "referred_on",
        "allocated_to",
    ] {
        map.insert(key.into(), text(form, key));
    }
    map.insert("status".into(), json!("referred"));
    map.insert("status_since".into(), text(form, "referred_on"));
    let given = id_left_to_store(form, &mut map);
    let value = compact(map);
    let problems = check_victim(&value, known, true);
    match finish(value, problems, |x| Effect::Save(Command::AddVictim(x))) {
        (Some(Effect::Save(Command::AddVictim(mut victim))), problems) if given => {
            victim.id.clear();
            (Some(Effect::Save(Command::AddVictim(victim))), problems)
        }
        outcome => outcome,
    }
}

/// What a new record's form checks in place of an id left empty, for the store to give.
const PROVISIONAL_ID: &str = "(new)";

/// Whether the form left the record's id to the store; if so, the record is checked under
/// a provisional id, and saved with none.
fn id_left_to_store(form: &Form, map: &mut Map<String, Value>) -> bool {
    let empty = form.value("id").is_none_or(|id| id.trim().is_empty());
    if empty {
        map.insert("id".into(), json!(PROVISIONAL_ID));
    }
    empty
}

pub(super) fn new_case(form: &Form, known: &KnownIds) -> Outcome {
    let aliases: Vec<Value> = form
        .value("aliases")
        .map(|a| {
            a.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| json!(s))
                .collect()
        })
        .unwrap_or_default();
    let mut offender = Map::new();
    offender.insert("name".into(), text(form, "name"));
    offender.insert(
        "aliases".into(),
        if aliases.is_empty() {
            Value::Null
        } else {
            Value::Array(aliases)
        },
    );
    offender.insert("prison_number".into(), text(form, "prison_number"));
    let mut offence = Map::new();
    offence.insert("description".into(), text(form, "description"));
    offence.insert("category".into(), text(form, "category"));
    let mut sentence = Map::new();
    sentence.insert("kind".into(), text(form, "kind"));
    sentence.insert("imposed_on".into(), text(form, "imposed_on"));
    let mut map = Map::new();
    map.insert("id".into(), text(form, "id"));
    let given = id_left_to_store(form, &mut map);
    map.insert("offender".into(), compact(offender));
    map.insert("offence".into(), compact(offence));
    map.insert("sentence".into(), compact(sentence));
    let value = Value::Object(map);
    let problems = check_case(&value, known, true);
    match finish(value, problems, |x| Effect::Save(Command::AddCase(x))) {
        (Some(Effect::Save(Command::AddCase(mut case))), problems) if given => {
            case.id.clear();
            (Some(Effect::Save(Command::AddCase(case))), problems)
        }
        outcome => outcome,
    }
}
