//! The casework of a victim and of a case, each in one form: a victim's personal statement,
//! complaints, licence-condition requests and a move out of England and Wales; a case's
//! restricted-patient casework and its transfer to another unit. Like the record's other
//! forms (`edit`), each field is a path into the record's JSON — here with list entries,
//! `complaints[1].answered_on` — checked by the import's validator, so a problem lands
//! beside its field. Each list shows its entries and one empty entry to add; an entry with
//! every field cleared goes.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use serde_json::{Map, Value};

use super::{App, Effect};
use crate::domain::enums::{
    ComplaintOutcome, Identifier, LicenceCondition, LicenceOutcome, NonDisclosure,
};
use crate::domain::model::{Case, Victim};
use crate::domain::validate::{KnownIds, Problem, check_case, check_victim};
use crate::tui::form::{Field, Form, Purpose};

/// A field's name and label live as long as the screens: a form's fields name them by
/// `&'static str`. The few made here for list entries (`complaints[3].outcome`) are kept
/// once each, however often a form is opened.
fn interned(s: String) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(|| Mutex::new(HashSet::new()))
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(&name) = names.get(s.as_str()) {
        return name;
    }
    let name: &'static str = Box::leak(s.into_boxed_str());
    names.insert(name);
    name
}

/// How a field is typed.
#[derive(Clone, Copy)]
enum Kind {
    /// A date or a line of text.
    Text,
    /// One of an enumeration's values, or none.
    Pick(fn(&'static str, &'static str, &str) -> Field),
}

fn maybe<E: Identifier>(name: &'static str, label: &'static str, value: &str) -> Field {
    Field::pick::<E>(name, label, value, true)
}

/// One field: its path in the record's JSON, its label, its kind.
struct Spec {
    path: &'static str,
    label: &'static str,
    kind: Kind,
}

fn spec(path: &str, label: &str, kind: Kind) -> Spec {
    Spec {
        path: interned(path.to_owned()),
        label: interned(label.to_owned()),
        kind,
    }
}

/// A path's steps: `complaints[1].outcome` → key `complaints`, entry 1, key `outcome`.
enum Step<'a> {
    Key(&'a str),
    Entry(usize),
}

fn steps(path: &str) -> Vec<Step<'_>> {
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

fn at<'a>(record: &'a Value, path: &str) -> Option<&'a Value> {
    steps(path).iter().try_fold(record, |v, step| match step {
        Step::Key(k) => v.get(k),
        Step::Entry(i) => v.get(i),
    })
}

fn shown(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// Puts `value` at `path`, making the objects and list entries on the way; `None` takes
/// the field out.
fn put(record: &mut Value, path: &str, value: Option<Value>) {
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
fn prune(value: &mut Value) {
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

/// The victim's casework fields: each list with its entries and one more, empty, to add.
fn victim_specs(v: &Victim) -> Vec<Spec> {
    let mut out = vec![
        spec("vps.offered_on", "VPS offered on", Kind::Text),
        spec("vps.declined_on", "VPS declined on", Kind::Text),
        spec("vps.submitted_on", "VPS sent on", Kind::Text),
        spec("vps.heard_on", "VPS heard on", Kind::Text),
        spec(
            "vps.non_disclosure_asked_on",
            "Non-disclosure asked",
            Kind::Text,
        ),
        spec(
            "vps.non_disclosure_decision",
            "Non-disclosure decision",
            Kind::Pick(maybe::<NonDisclosure>),
        ),
        spec(
            "vps.non_disclosure_decided_on",
            "Non-disclosure decided",
            Kind::Text,
        ),
    ];
    for i in 0..=v.complaints.len() {
        let n = i + 1;
        let p = |key: &str| format!("complaints[{i}].{key}");
        out.extend([
            spec(
                &p("received_on"),
                &format!("Complaint {n} received"),
                Kind::Text,
            ),
            spec(&p("acknowledged_on"), "  acknowledged", Kind::Text),
            spec(&p("answered_on"), "  answered", Kind::Text),
            spec(
                &p("outcome"),
                "  outcome",
                Kind::Pick(maybe::<ComplaintOutcome>),
            ),
            spec(&p("summary"), "  about", Kind::Text),
        ]);
    }
    for i in 0..=v.licence_requests.len() {
        let n = i + 1;
        let p = |key: &str| format!("licence_requests[{i}].{key}");
        out.extend([
            spec(
                &p("condition"),
                &format!("Licence request {n}"),
                Kind::Pick(maybe::<LicenceCondition>),
            ),
            spec(&p("details"), "  details", Kind::Text),
            spec(&p("map_file"), "  map file", Kind::Text),
            spec(&p("requested_on"), "  requested on", Kind::Text),
            spec(&p("submitted_on"), "  submitted on", Kind::Text),
            spec(
                &p("outcome"),
                "  outcome",
                Kind::Pick(maybe::<LicenceOutcome>),
            ),
            spec(&p("outcome_on"), "  decided on", Kind::Text),
            spec(&p("granted"), "  conditions granted", Kind::Text),
        ]);
    }
    out.extend([
        spec("moved_away.on", "Moved out of E&W on", Kind::Text),
        spec("moved_away.to", "  to", Kind::Text),
    ]);
    out
}

fn case_specs() -> Vec<Spec> {
    vec![
        spec(
            "restricted_patient.mhcs_registered_on",
            "Registered with MHCS",
            Kind::Text,
        ),
        spec("restricted_patient.tribunal_on", "Tribunal on", Kind::Text),
        spec(
            "restricted_patient.representations_due",
            "Representations due",
            Kind::Text,
        ),
        spec(
            "restricted_patient.representations_sent_on",
            "Representations sent",
            Kind::Text,
        ),
        spec("transferred.on", "Transferred on", Kind::Text),
        spec("transferred.to_area", "  to (area or unit)", Kind::Text),
    ]
}

fn fields(specs: &[Spec], record: &Value) -> Vec<Field> {
    specs
        .iter()
        .map(|s| {
            let value = shown(at(record, s.path));
            match s.kind {
                Kind::Text => Field::line(s.path, s.label, value),
                Kind::Pick(make) => make(s.path, s.label, &value),
            }
        })
        .collect()
}

/// The record's casework sections, the only parts these forms change.
const SECTIONS: &[&str] = &[
    "vps",
    "complaints",
    "licence_requests",
    "moved_away",
    "restricted_patient",
    "transferred",
];

/// The record with the form's fields put in.
fn edited(form: &Form, record: &Value, specs: &[Spec]) -> Value {
    let mut out = record.clone();
    for s in specs {
        let text = form
            .fields
            .iter()
            .find(|f| f.name == s.path)
            .map_or("", |f| f.value())
            .trim();
        let value = (!text.is_empty()).then(|| Value::String(text.to_owned()));
        put(&mut out, s.path, value);
    }
    if let Value::Object(map) = &mut out {
        for key in SECTIONS {
            if let Some(section) = map.get_mut(*key) {
                prune(section);
                if matches!(section, Value::Object(m) if m.is_empty())
                    || matches!(section, Value::Array(l) if l.is_empty())
                {
                    map.remove(*key);
                }
            }
        }
    }
    out
}

fn made<T: serde::de::DeserializeOwned>(
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

/// A victim's casework changed by the form: the change to save, or the problems.
pub(super) fn victim_casework_edited(
    form: &Form,
    current: &Victim,
    known: &KnownIds,
) -> Result<Effect, Vec<Problem>> {
    let record = serde_json::to_value(Victim {
        contacts: Vec::new(),
        ..current.clone()
    })
    .unwrap_or(Value::Null);
    let value = edited(form, &record, &victim_specs(current));
    let problems = check_victim(&value, known, false);
    let mut victim: Victim = made(value, problems)?;
    victim.contacts = Vec::new();
    Ok(Effect::SaveVictim {
        victim: Box::new(victim),
        base: 0,
    })
}

/// A case's casework changed by the form; a transfer newly marked says so in the audit.
pub(super) fn case_casework_edited(
    form: &Form,
    current: &Case,
    known: &KnownIds,
) -> Result<Effect, Vec<Problem>> {
    let record = serde_json::to_value(current).unwrap_or(Value::Null);
    let value = edited(form, &record, &case_specs());
    let problems = check_case(&value, known, false);
    let case: Case = made(value, problems)?;
    let why = match (&current.transferred, &case.transferred) {
        (None, Some(t)) => Some(format!(
            "transferred to {}",
            t.to_area.as_deref().unwrap_or("another unit")
        )),
        (Some(_), None) => Some("transfer taken back".to_owned()),
        _ => None,
    };
    Ok(Effect::SaveCase {
        case: Box::new(case),
        base: 0,
        why,
    })
}

impl App {
    /// The selected victim's casework in one form.
    pub(super) fn open_victim_casework_form(&mut self) {
        let Some(v) = self.selected_victim() else {
            return;
        };
        let record = serde_json::to_value(v).unwrap_or(Value::Null);
        let fields = fields(&victim_specs(v), &record);
        let title = format!(
            "Casework of {}: personal statement, complaints, licence requests",
            crate::domain::text::visible(&v.name)
        );
        let purpose = Purpose::EditVictimCasework {
            victim: v.id.clone(),
        };
        self.open_form(Form::new(title, purpose, fields));
    }

    /// The selected victim's case's casework in one form.
    pub(super) fn open_case_casework_form(&mut self) {
        let Some(case) = self.selected_victim().and_then(|v| self.case_of(v)) else {
            return;
        };
        let record = serde_json::to_value(case).unwrap_or(Value::Null);
        let fields = fields(&case_specs(), &record);
        let title = format!(
            "Casework of case {}: restricted patient, transfer",
            crate::domain::text::visible(&case.id)
        );
        let purpose = Purpose::EditCaseCasework {
            case: case.id.clone(),
        };
        self.open_form(Form::new(title, purpose, fields));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn put_makes_list_entries_and_prune_drops_the_empty_ones() {
        let mut v = json!({"name": "Joan"});
        put(
            &mut v,
            "complaints[0].received_on",
            Some(json!("2026-03-02")),
        );
        put(&mut v, "complaints[1].summary", None);
        put(&mut v, "vps.offered_on", None);
        prune(&mut v);
        assert_eq!(
            v,
            json!({"name": "Joan", "complaints": [{"received_on": "2026-03-02"}]})
        );
        assert_eq!(
            at(&v, "complaints[0].received_on"),
            Some(&json!("2026-03-02"))
        );
        put(&mut v, "complaints[0].received_on", None);
        prune(&mut v);
        assert_eq!(v, json!({"name": "Joan"}));
    }

    #[test]
    fn a_name_is_kept_once() {
        let a = interned("complaints[7].outcome".to_owned());
        let b = interned("complaints[7].outcome".to_owned());
        assert!(std::ptr::eq(a, b));
    }
}
