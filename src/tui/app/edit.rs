//! Every part of a victim's or a case's record, edited in one form each: the record's own
//! JSON, field by field (a path like `representative.contact_details.phone`), checked by the
//! import's validator, so a problem lands beside the field it is about. Contact details are
//! in the victim's form only once they have been revealed (and the reveal audited).

use crate::unit::command::Command;
use serde_json::Value;

use super::paths::{at, made, prune, put, shown, victim_json, victim_saved};

use super::{App, Effect, Overlay};
use crate::domain::enums::{
    ContactMethod, Eligibility, InformationLevel, OffenceCategory, SentenceKind, VictimRole,
};
use crate::domain::model::{Case, Victim};
use crate::domain::validate::{KnownIds, Problem, check_case};
use crate::tui::form::Purpose;
use crate::tui::form::{Field, Form};

/// How a record's field is typed into a form.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Lines,
    /// Yes, no, or not recorded.
    YesNo,
    /// A comma-separated list.
    List,
    Number,
    Pick(fn(&'static str, &'static str, &str) -> Field),
}

/// One field of a record: where it is in the record's JSON, its label, its kind.
struct Spec(&'static str, &'static str, Kind);

/// One of an enumeration's values.
fn one_of<E: crate::domain::enums::Identifier>(
    name: &'static str,
    label: &'static str,
    value: &str,
) -> Field {
    Field::pick::<E>(name, label, value, false)
}

/// One of an enumeration's values, or none.
fn maybe<E: crate::domain::enums::Identifier>(
    name: &'static str,
    label: &'static str,
    value: &str,
) -> Field {
    Field::pick::<E>(name, label, value, true)
}

/// The victim's fields, contact details apart (see [`CONTACT_DETAILS`]). The status has its
/// own forms (opt-in, decline, opt-out, closure), which log why it changed.
const VICTIM: &[Spec] = &[
    Spec("name", "Name", Kind::Text),
    Spec("role", "Role", Kind::Pick(one_of::<VictimRole>)),
    Spec(
        "eligibility",
        "Eligibility",
        Kind::Pick(one_of::<Eligibility>),
    ),
    Spec("case_id", "Case", Kind::Text),
    Spec("referred_on", "Referred on", Kind::Text),
    Spec("allocated_to", "Officer", Kind::Text),
    Spec(
        "preferences.method",
        "Contact by",
        Kind::Pick(maybe::<ContactMethod>),
    ),
    Spec(
        "preferences.information",
        "Information",
        Kind::Pick(maybe::<InformationLevel>),
    ),
    Spec(
        "preferences.written_follow_up",
        "Calls confirmed in writing",
        Kind::YesNo,
    ),
    Spec("needs.language", "Language", Kind::Text),
    Spec("needs.interpreter", "Interpreter", Kind::YesNo),
    Spec("needs.notes", "Needs", Kind::Lines),
    Spec("representative.name", "Representative", Kind::Text),
    Spec("representative.relationship", "Relationship", Kind::Text),
    Spec("equality.age", "Age", Kind::Text),
    Spec("equality.disability", "Disability", Kind::Text),
    Spec(
        "equality.gender_reassignment",
        "Gender reassignment",
        Kind::Text,
    ),
    Spec(
        "equality.marriage_civil_partnership",
        "Marriage/civil partn.",
        Kind::Text,
    ),
    Spec(
        "equality.pregnancy_maternity",
        "Pregnancy/maternity",
        Kind::Text,
    ),
    Spec("equality.race", "Race", Kind::Text),
    Spec("equality.religion_belief", "Religion or belief", Kind::Text),
    Spec("equality.sex", "Sex", Kind::Text),
    Spec(
        "equality.sexual_orientation",
        "Sexual orientation",
        Kind::Text,
    ),
];

/// The victim's and their representative's contact details: in the form only once shown.
const CONTACT_DETAILS: &[Spec] = &[
    Spec("contact_details.address", "Address", Kind::Lines),
    Spec("contact_details.phone", "Phone", Kind::Text),
    Spec("contact_details.email", "Email", Kind::Text),
    Spec(
        "representative.contact_details.address",
        "Rep. address",
        Kind::Lines,
    ),
    Spec(
        "representative.contact_details.phone",
        "Rep. phone",
        Kind::Text,
    ),
    Spec(
        "representative.contact_details.email",
        "Rep. email",
        Kind::Text,
    ),
];

/// The case's fields; key dates and closing have their own forms.
const CASE: &[Spec] = &[
    Spec("offender.name", "Offender", Kind::Text),
    Spec("offender.aliases", "Aliases (a, b)", Kind::List),
    Spec("offender.dob", "Date of birth", Kind::Text),
    Spec("offender.prison_number", "Prison number", Kind::Text),
    Spec("offender.location", "Location", Kind::Text),
    Spec("offence.description", "Offence", Kind::Text),
    Spec(
        "offence.category",
        "Category",
        Kind::Pick(one_of::<OffenceCategory>),
    ),
    Spec("offence.specified", "Specified offence", Kind::YesNo),
    Spec(
        "sentence.kind",
        "Sentence",
        Kind::Pick(one_of::<SentenceKind>),
    ),
    Spec("sentence.imposed_on", "Sentenced on", Kind::Text),
    Spec(
        "sentence.custodial_months",
        "Custody (months)",
        Kind::Number,
    ),
    Spec("sentence.court", "Court", Kind::Text),
    Spec("responsible_officer.name", "Probation officer", Kind::Text),
    Spec("responsible_officer.team", "PO team", Kind::Text),
    Spec("responsible_officer.phone", "PO phone", Kind::Text),
    Spec("responsible_officer.email", "PO email", Kind::Text),
    Spec("mappa.category", "MAPPA category", Kind::Number),
    Spec("mappa.level", "MAPPA level", Kind::Number),
    Spec(
        "sex_offender_notification",
        "Sex offender notif.",
        Kind::YesNo,
    ),
];

fn field(spec: &Spec, record: &Value) -> Field {
    let &Spec(path, label, kind) = spec;
    let value = shown(at(record, path));
    match kind {
        Kind::Text | Kind::List | Kind::Number => Field::line(path, label, value),
        Kind::Lines => Field::lines_with(path, label, &value),
        Kind::YesNo => Field::yes_no(path, label, &value),
        Kind::Pick(make) => make(path, label, &value),
    }
}

/// A field's text as the record's JSON value; `None`: the field is left out.
fn typed(kind: Kind, text: &str) -> Option<Value> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(match kind {
        Kind::YesNo => Value::Bool(text == "yes"),
        Kind::List => Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_owned()))
                .collect(),
        ),
        // Not a number: left as typed, for the validator to say so beside the field.
        Kind::Number => text
            .parse::<u64>()
            .map_or_else(|_| Value::String(text.to_owned()), Value::from),
        Kind::Text | Kind::Lines | Kind::Pick(_) => Value::String(text.to_owned()),
    })
}

/// The record with the form's fields put in, and the problems the validator finds.
fn edited(form: &Form, record: &Value, specs: &[&Spec]) -> Value {
    let mut out = record.clone();
    for &&Spec(path, _, kind) in specs {
        let text = form
            .fields
            .iter()
            .find(|f| f.name == path)
            .map_or("", |f| f.value());
        put(&mut out, path, typed(kind, text));
    }
    // An object left empty goes, as an absent part of a record does.
    prune(&mut out);
    out
}

fn victim_specs(revealed: bool) -> Vec<&'static Spec> {
    let details = if revealed { CONTACT_DETAILS } else { &[] };
    VICTIM.iter().chain(details).collect()
}

/// A victim's record changed by the form: the change to save, or the problems.
pub(super) fn victim_edited(
    form: &Form,
    current: &Victim,
    revealed: bool,
    known: &KnownIds,
) -> Result<Effect, Vec<Problem>> {
    let value = edited(form, &victim_json(current), &victim_specs(revealed));
    victim_saved(value, known)
}

/// A case's record changed by the form.
pub(super) fn case_edited(
    form: &Form,
    current: &Case,
    known: &KnownIds,
) -> Result<Effect, Vec<Problem>> {
    let record = serde_json::to_value(current).unwrap_or(Value::Null);
    let value = edited(form, &record, &CASE.iter().collect::<Vec<_>>());
    let problems = check_case(&value, known, false);
    let case: Case = made(value, problems)?;
    Ok(Effect::Save(Command::SaveCase {
        case: Box::new(case),
        base: 0,
        why: None,
    }))
}

impl App {
    /// Every part of the selected victim's record in one form; contact details too when
    /// the victim view shows them.
    pub(super) fn open_edit_victim_form(&mut self) {
        let revealed = matches!(
            self.screen.overlays.last(),
            Some(Overlay::Victim { revealed: true })
        );
        let Some(v) = self.whole_victim() else {
            return;
        };
        let record = serde_json::to_value(v).unwrap_or(Value::Null);
        let fields = victim_specs(revealed)
            .into_iter()
            .map(|s| match s.0 {
                // One of the unit's officers, not free text.
                "allocated_to" => self.officer_field(v.allocated_to.as_deref().unwrap_or("")),
                _ => field(s, &record),
            })
            .collect();
        let title = format!(
            "Change {}{}",
            crate::domain::text::visible(&v.name),
            if revealed {
                ""
            } else {
                " (reveal first to change contact details)"
            }
        );
        let purpose = Purpose::EditVictim {
            victim: v.id.clone(),
            revealed,
        };
        self.open_form(Form::new(title, purpose, fields));
    }

    /// Every part of the selected victim's case in one form.
    pub(super) fn open_edit_case_form(&mut self) {
        let Some(case) = self.whole_case() else {
            return;
        };
        let record = serde_json::to_value(case).unwrap_or(Value::Null);
        let fields = CASE.iter().map(|s| field(s, &record)).collect();
        let title = format!("Change case {}", crate::domain::text::visible(&case.id));
        let purpose = Purpose::EditCase {
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
    fn put_makes_the_objects_on_the_way_and_prune_takes_out_the_empty_ones() {
        let mut v = json!({"name": "Joan", "needs": {"language": "Polish"}});
        put(
            &mut v,
            "representative.contact_details.phone",
            Some(json!("01632 960000")),
        );
        assert_eq!(
            v["representative"]["contact_details"]["phone"],
            "01632 960000"
        );
        put(&mut v, "representative.contact_details.phone", None);
        put(&mut v, "needs.language", None);
        prune(&mut v);
        assert_eq!(v, json!({"name": "Joan"}));
    }

    #[test]
    fn typed_values_take_the_record_s_shape() {
        assert_eq!(typed(Kind::YesNo, "no"), Some(json!(false)));
        assert_eq!(
            typed(Kind::List, " Danny, , D. Reeves "),
            Some(json!(["Danny", "D. Reeves"]))
        );
        assert_eq!(typed(Kind::Number, "72"), Some(json!(72)));
        assert_eq!(typed(Kind::Number, "six"), Some(json!("six")));
        assert_eq!(typed(Kind::Text, "   "), None);
    }
}
