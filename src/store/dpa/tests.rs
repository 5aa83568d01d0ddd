use std::path::Path;

use super::*;
use crate::domain::validate::{KnownIds, parse_caseload};

/// Two cases: C-1 with V-1 and V-2, C-2 with V-3.
const UNIT: &str = r#"{
  "format": "vlu-caseload", "version": 1,
  "officers": [ { "id": "sahmed", "name": "Sara Ahmed", "role": "vlo", "phone": "01632 960001" } ],
  "cases": [
    { "id": "C-1", "offender": { "name": "Daniel Reeve" }, "offence": { "category": "violent" },
      "sentence": { "kind": "sds", "imposed_on": "2025-03-14" } },
    { "id": "C-2", "offender": { "name": "Mark Stone" }, "offence": { "category": "violent" },
      "sentence": { "kind": "sds", "imposed_on": "2025-03-14" } } ],
  "victims": [
    { "id": "V-1", "case_id": "C-1", "name": "Joan Mercer", "role": "victim", "eligibility": "statutory",
      "referred_on": "2025-03-20", "status": "referred", "status_since": "2025-03-20",
      "contact_details": { "phone": "07700 900123" },
      "contacts": [ { "on": "2025-04-02", "kind": "note", "method": "none", "direction": "internal",
                      "summary": "Rang Sara on 01632 960001 and Tom on 07700 900333" } ] },
    { "id": "V-2", "case_id": "C-1", "name": "Tom Mercer", "role": "victim", "eligibility": "statutory",
      "referred_on": "2025-03-20", "status": "referred", "status_since": "2025-03-20",
      "contact_details": { "phone": "07700 900333" } },
    { "id": "V-3", "case_id": "C-2", "name": "Ann Stone", "role": "victim", "eligibility": "statutory",
      "referred_on": "2025-03-20", "status": "referred", "status_since": "2025-03-20" } ]
}"#;

fn store(dir: &Path) -> Store {
    let store = Store::open(dir, "tester").unwrap();
    let caseload = parse_caseload(UNIT, &KnownIds::default(), false).unwrap();
    store.import(&caseload, false).unwrap();
    store
}

#[test]
fn a_case_is_erased_with_its_victims_in_one_write_and_check_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let before = store.audit().unwrap().len();
    let erased = store
        .erase(&Target::Case("C-1".into()), Reason::Error)
        .unwrap();
    assert_eq!(erased.cases, ["C-1"]);
    assert_eq!(erased.victims, ["V-1", "V-2"]);
    assert_eq!(erased.contacts, 1);
    let audit = store.audit().unwrap();
    assert_eq!(audit.len(), before + 1, "one audit entry");
    assert_eq!(
        erased.seq,
        super::super::engine::log_number(
            super::AUDIT,
            &store
                .core
                .engine
                .keys(super::AUDIT)
                .last()
                .unwrap()
                .unwrap()
        )
        .unwrap()
    );
    let c = store.load().unwrap();
    assert_eq!(c.cases.len(), 1);
    assert_eq!(c.victims.len(), 1);
    assert_eq!(store.load_digest().unwrap().caseload.victims.len(), 1);
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    let t = store.tombstones().unwrap();
    assert!(t.cases.contains("C-1") && t.victims.contains("V-2") && !t.victims.contains("V-3"));
    let known = store.known_ids().unwrap();
    assert!(known.erased_victims.contains("V-1"));
}

#[test]
fn a_restore_of_an_older_backup_does_not_undo_an_erasure() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let store = store(&data);
    let backup = store.backup(&dir.path().join("backups"), 3).unwrap();
    store
        .erase(&Target::Victim("V-3".into()), Reason::Request)
        .unwrap();
    drop(store);
    let restored =
        Store::restore(&data, &backup.path, "admin", crate::store::Trust::Signed).unwrap();
    assert_eq!(restored.erased_again, ["V-3"]);
    let store = Store::open(&data, "tester").unwrap();
    assert!(store.victim("V-3").unwrap().is_none());
    assert!(store.tombstones().unwrap().victims.contains("V-3"));
    let last = store.audit().unwrap().pop().unwrap();
    assert_eq!(last.action, "erase");
    assert!(last.fields[1].contains("older backup"), "{:?}", last.fields);
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn consultations_are_one_a_minute_per_user_and_record() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let count = |s: &Store| {
        s.audit()
            .unwrap()
            .iter()
            .filter(|a| a.action == "consult-victim")
            .count()
    };
    store.record_consultation("V-1").unwrap();
    store.record_consultation("V-1").unwrap();
    assert_eq!(count(&store), 1);
    store.record_consultation("V-2").unwrap();
    store.acting_as("james").record_consultation("V-1").unwrap();
    assert_eq!(count(&store), 3);
}

#[test]
fn a_subject_access_answer_leaves_out_everyone_else_s_contact_details() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let sar = store.subject_access("V-1").unwrap().unwrap();
    let summary = sar.victim.contacts[0].summary.clone().unwrap();
    assert!(
        !summary.contains("960001") && !summary.contains("900333"),
        "{summary}"
    );
    assert_eq!(summary.matches(crate::domain::redact::WITHHELD).count(), 2);
    assert_eq!(
        sar.victim.contact_details.unwrap().phone.as_deref(),
        Some("07700 900123"),
        "their own details are theirs"
    );
    assert_eq!(sar.audit.last().unwrap().record.action, "disclose");
    assert!(store.subject_access("V-9").unwrap().is_none());
}

#[test]
fn the_audit_trail_in_a_subject_access_answer_is_redacted_too_in_every_phone_form() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    for written in ["+44 7700 900333", "0044 (0)7700 900333", "07700-900-333"] {
        store
            .record_disclosure(&Disclosure::of(
                &format!("letter to Tom on {written}"),
                vec!["V-1".into()],
            ))
            .unwrap();
    }
    let sar = store.subject_access("V-1").unwrap().unwrap();
    let trail: Vec<&String> = sar.audit.iter().flat_map(|e| &e.record.fields).collect();
    assert!(trail.iter().all(|f| !f.contains("900333")), "{trail:?}");
    let cut: usize = trail
        .iter()
        .map(|f| f.matches(crate::domain::redact::WITHHELD).count())
        .sum();
    assert_eq!(cut, 3, "{trail:?}");
    assert!(sar.withheld.iter().any(|w| w.contains("audit trail")));
}
