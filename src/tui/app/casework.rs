//! The casework of a victim and of a case, each in one form: a victim's personal statement,
//! complaints, licence-condition requests, a move out of England and Wales, a risk and the
//! victim's tasks; a case's
//! restricted-patient casework and its transfer to another unit. Like the record's other
//! forms (`edit`), each field is a path into the record's JSON — here with list entries,
//! `complaints[1].answered_on` — checked by the import's validator, so a problem lands
//! beside its field. Each list shows its entries and one empty entry to add; an entry with
//! every field cleared goes.

use crate::unit::command::Command;
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

use super::{App, Effect};
use crate::domain::enums::{
    ComplaintOutcome, DiscretionaryDecision, Identifier, KeyDateKind, LicenceCondition,
    LicenceOutcome, NonDisclosure, TaskKind,
};
use crate::domain::model::{Case, Victim};
use crate::domain::validate::{KnownIds, Problem, check_case};
use crate::tui::form::{Field, Form, Purpose};

use super::paths::{at, made, prune, put, shown, victim_json, victim_saved};

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
    /// Yes, no, or not recorded.
    YesNo,
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

/// The victim's casework fields: each list with its entries and one more, empty, to add.
fn victim_specs(v: &Victim) -> Vec<Spec> {
    let mut out = vec![
        spec(
            "discretionary.decision",
            "Discretionary request",
            Kind::Pick(maybe::<DiscretionaryDecision>),
        ),
        spec("discretionary.decided_on", "  decided on", Kind::Text),
        spec("discretionary.by", "  decided by (officer id)", Kind::Text),
        spec("discretionary.ground", "  ground", Kind::Text),
        spec(
            "discretionary.reason",
            "  reason for the decision",
            Kind::Text,
        ),
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
        spec("risk.reason", "Risk to the victim", Kind::Text),
        spec("risk.recorded_on", "  recorded on", Kind::Text),
        spec("risk.by", "  recorded by (officer id)", Kind::Text),
    ]);
    for i in 0..=v.tasks.len() {
        out.extend(task_specs(i));
    }
    out
}

/// The fields of task `i` of the victim's list (from 0).
fn task_specs(i: usize) -> [Spec; 10] {
    let p = |key: &str| format!("tasks[{i}].{key}");
    [
        spec(
            &p("kind"),
            &format!("Task {}", i + 1),
            Kind::Pick(maybe::<TaskKind>),
        ),
        spec(&p("opened_on"), "  opened on", Kind::Text),
        spec(&p("due_on"), "  due on (else the kind's)", Kind::Text),
        spec(&p("done_on"), "  done on", Kind::Text),
        spec(
            &p("key_date"),
            "  about key date",
            Kind::Pick(maybe::<KeyDateKind>),
        ),
        spec(&p("about"), "  about (the purpose)", Kind::Text),
        spec(&p("to"), "  to (who)", Kind::Text),
        spec(&p("by"), "  by (officer id)", Kind::Text),
        spec(&p("outcome"), "  outcome", Kind::Text),
        spec(&p("agreed"), "  answer: yes or no", Kind::YesNo),
    ]
}

fn case_specs() -> Vec<Spec> {
    vec![
        spec(
            "restricted_patient.known_on",
            "Restricted patient known on",
            Kind::Text,
        ),
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
                Kind::YesNo => Field::yes_no(s.path, s.label, &value),
            }
        })
        .collect()
}

/// The record's casework sections, the only parts these forms change.
const SECTIONS: &[&str] = &[
    "discretionary",
    "child",
    "vps",
    "complaints",
    "licence_requests",
    "moved_away",
    "risk",
    "tasks",
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
        let value = (!text.is_empty()).then(|| match s.kind {
            Kind::YesNo => Value::Bool(text == "yes"),
            _ => Value::String(text.to_owned()),
        });
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

/// A victim's casework changed by the form: the change to save, or the problems.
pub(super) fn victim_casework_edited(
    form: &Form,
    current: &Victim,
    known: &KnownIds,
) -> Result<Effect, Vec<Problem>> {
    let value = edited(form, &victim_json(current), &victim_specs(current));
    victim_saved(value, known)
}

/// A case's casework changed by the form; a transfer newly marked says so in the audit.
pub(super) fn case_casework_edited(
    form: &Form,
    current: &Case,
    known: &KnownIds,
    today: chrono::NaiveDate,
) -> Result<Effect, Vec<Problem>> {
    let record = serde_json::to_value(current).unwrap_or(Value::Null);
    let mut value = edited(form, &record, &case_specs());
    // A restricted-patient record added now is known from today, unless the form says when.
    if current.restricted_patient.is_none()
        && let Some(rp) = value.get_mut("restricted_patient")
        && let Some(map) = rp.as_object_mut()
    {
        map.entry("known_on")
            .or_insert_with(|| Value::String(today.to_string()));
    }
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
    Ok(Effect::Save(Command::SaveCase {
        case: Box::new(case),
        base: 0,
        why,
    }))
}

impl App {
    /// The selected victim's casework in one form.
    pub(super) fn open_victim_casework_form(&mut self) {
        let Some(v) = self.whole_victim() else {
            return;
        };
        let record = serde_json::to_value(v).unwrap_or(Value::Null);
        let fields = fields(&victim_specs(v), &record);
        let title = format!(
            "Casework of {}: personal statement, complaints, licence requests, move, risk, tasks",
            crate::domain::text::visible(&v.name)
        );
        let purpose = Purpose::EditVictimCasework {
            victim: v.id.clone(),
        };
        self.open_form(Form::new(title, purpose, fields));
    }

    /// The selected victim's case's casework in one form.
    pub(super) fn open_case_casework_form(&mut self) {
        let Some(case) = self.whole_case() else {
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
