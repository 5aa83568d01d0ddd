//! Every record a write carries is checked by the rules of an import before it is staged:
//! a form, the command line, the unit service and a raw client all meet the same checks, so
//! nothing reaches the store — and from it a terminal, a letter or an export — that an
//! import would refuse (control characters, escape codes, impossible dates).

use super::StoreError;
use crate::domain::model::{Case, Contact, Victim};
use crate::domain::text::forbidden_char;
use crate::domain::validate::{self, Problem};

pub(super) fn victim(victim: &Victim) -> Result<(), StoreError> {
    refuse(&validate::victim_fields(victim))
}

pub(super) fn case(case: &Case) -> Result<(), StoreError> {
    refuse(&validate::case_fields(case))
}

pub(super) fn contact(contact: &Contact) -> Result<(), StoreError> {
    refuse(&validate::contact_fields(contact))
}

/// A line of free text a write carries (a snooze's reason, a closing's): no control
/// characters.
pub(super) fn text(what: &str, text: &str) -> Result<(), StoreError> {
    match forbidden_char(text) {
        None => Ok(()),
        Some(c) => Err(StoreError::Invalid(vec![format!(
            "{what} holds a control character (U+{:04X})",
            u32::from(c)
        )])),
    }
}

fn refuse(problems: &[Problem]) -> Result<(), StoreError> {
    if problems.is_empty() {
        return Ok(());
    }
    Err(StoreError::Invalid(
        problems.iter().map(ToString::to_string).collect(),
    ))
}

#[cfg(test)]
mod tests {
    //! An escape sequence sent by any writer — a form, the command line, the unit service
    //! on behalf of a raw client — is refused by the store itself, and nothing is written.
    use super::super::{Closing, Snooze, Store};
    use crate::domain::model::Caseload;
    use crate::domain::validate::{KnownIds, parse_caseload};

    const ESC: &str = "\u{1b}[2J\u{1b}]0;pwned\u{7}";

    fn store(dir: &std::path::Path) -> (Store, Caseload) {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/sample-data/northshire.json"
        ))
        .unwrap();
        let unit = parse_caseload(&text, &KnownIds::default(), false).unwrap();
        let store = Store::open(dir, "tester").unwrap();
        store.import(&unit, false).unwrap();
        (store, unit)
    }

    fn refused(said: Result<super::super::Changed, super::StoreError>) -> String {
        match said {
            Err(e @ super::StoreError::Invalid(_)) => e.to_string(),
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn every_write_is_checked_as_an_import_is_and_writes_nothing_when_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (store, unit) = store(dir.path());
        let before = store.audit().unwrap().len();
        let victim = unit.victims[0].clone();
        let mut renamed = victim.clone();
        renamed.name = format!("Joan{ESC}");
        let said = refused(store.save_victim(&renamed));
        assert!(
            said.contains("name") && said.ends_with("so nothing was saved"),
            "{said}"
        );
        assert!(!said.contains('\u{1b}'), "{said}");
        let mut entry = unit.victims[0].contacts[0].clone();
        entry.summary = Some(format!("called{ESC}"));
        refused(store.append_contact(&victim.id, &entry));
        refused(store.save_victim_with_contact(&victim, &entry));
        let mut case = unit.cases[0].clone();
        case.offender.name = format!("Reeve{ESC}");
        refused(store.save_case(&case));
        let mut new = victim.clone();
        new.id = String::new();
        new.name = format!("New{ESC}");
        refused(store.add_victim(&new));
        refused(store.snooze(&Snooze {
            reminder: format!("{}:annual", victim.id),
            until: chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            reason: format!("away{ESC}"),
            by: "sahmed".into(),
        }));
        let stamp = store
            .stamp(super::super::Record::Case, &unit.cases[0].id)
            .unwrap();
        refused(store.close_case(&Closing {
            case: unit.cases[0].id.clone(),
            on: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            reason: format!("done{ESC}"),
            by: None,
            base: stamp.version,
        }));
        assert_eq!(store.audit().unwrap().len(), before, "nothing written");
        assert_eq!(store.victim(&victim.id).unwrap().unwrap(), victim);
        assert_eq!(
            store.case(&unit.cases[0].id).unwrap().unwrap(),
            unit.cases[0]
        );
    }
}
