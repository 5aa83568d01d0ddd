use chrono::NaiveDate;

use super::*;
use crate::domain::facts::LogFacts;
use crate::domain::model::{Case, Contact, Victim};
use engine::{EngineFailure, Scan};
use staged::Stage;

/// The engine under the rules' feet, for a test to write what damage or an older layout
/// would leave: each write applied at once, durably.
struct Raw<'s>(&'s Store);

impl Store {
    fn raw(&self) -> Raw<'_> {
        Raw(self)
    }
}

impl Raw<'_> {
    fn apply_batch(&self, batch: Batch) -> Result<(), EngineFailure> {
        match self.0.core.engine.apply(batch, true) {
            Ok(_) => Ok(()),
            Err(engine::Unapplied::Failed(e)) => Err(e),
            Err(engine::Unapplied::Conflict(_)) => panic!("a test's batch expects nothing"),
        }
    }

    fn insert(&self, k: impl Into<Vec<u8>>, v: impl Into<Vec<u8>>) -> Result<(), EngineFailure> {
        let mut batch = Batch::default();
        batch.insert(k, v);
        self.apply_batch(batch)
    }

    fn remove(&self, k: impl Into<Vec<u8>>) -> Result<(), EngineFailure> {
        let mut batch = Batch::default();
        batch.remove(k);
        self.apply_batch(batch)
    }

    fn get(&self, k: impl AsRef<[u8]>) -> Result<Option<Vec<u8>>, EngineFailure> {
        self.0.core.engine.get(k.as_ref())
    }

    fn contains_key(&self, k: impl AsRef<[u8]>) -> Result<bool, EngineFailure> {
        self.0.core.engine.contains(k.as_ref())
    }

    fn scan_prefix(&self, prefix: &[u8]) -> Scan<'_> {
        self.0.core.engine.scan(prefix)
    }

    fn keys(&self, prefix: &[u8]) -> impl Iterator<Item = Result<Vec<u8>, EngineFailure>> + '_ {
        self.0.core.engine.keys(prefix)
    }

    fn iter(&self) -> Scan<'_> {
        self.0.core.engine.scan(b"")
    }

    fn len(&self) -> usize {
        self.0.core.engine.scan(b"").count()
    }
}
use crate::domain::enums::{ContactKind, Direction, Medium, VictimStatus};
use crate::domain::model::Caseload;
use crate::domain::validate::{KnownIds, parse_caseload};

const SAMPLE: &str = r#"{
  "format": "vlu-caseload", "version": 1,
  "unit": { "name": "Test Unit" },
  "officers": [ { "id": "sahmed", "name": "Sara Ahmed", "role": "vlo" } ],
  "extra_non_working_days": [ "2026-12-24" ],
  "cases": [ { "id": "C-1", "offender": { "name": "Daniel Reeve" }, "offence": { "category": "violent" },
               "sentence": { "kind": "sds", "imposed_on": "2025-03-14" } } ],
  "victims": [ { "id": "V-1", "case_id": "C-1", "name": "Joan Mercer", "role": "victim",
                 "eligibility": "statutory", "referred_on": "2025-03-20", "status": "opted_in",
                 "status_since": "2025-05-02", "allocated_to": "sahmed",
                 "contact_details": { "phone": "07700 900123" },
                 "contacts": [ { "on": "2025-04-02", "kind": "initial_offer", "method": "letter", "direction": "outbound" },
                               { "on": "2025-05-02", "kind": "opt_in", "method": "phone", "direction": "inbound" } ] } ]
}"#;

fn sample() -> Caseload {
    parse_caseload(SAMPLE, &KnownIds::default(), false).unwrap()
}

fn open(dir: &Path) -> Store {
    Store::open(dir, "tester").unwrap()
}

fn note(on: &str) -> Contact {
    Contact {
        on: NaiveDate::parse_from_str(on, "%Y-%m-%d").unwrap(),
        at: None,
        kind: ContactKind::Note,
        method: Medium::None,
        direction: Direction::Internal,
        summary: Some("checked the file".into()),
        by: Some("sahmed".into()),
        key_date: None,
        corrects: None,
        follows: None,
        to: None,
    }
}

#[test]
fn an_import_loads_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let summary = store.import(&sample(), false).unwrap();
    assert_eq!(
        (summary.victims, summary.contacts, summary.replaced),
        (1, 2, 0)
    );
    assert_eq!(store.load().unwrap(), sample());
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn contacts_survive_a_reopen_in_order() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path());
        store.import(&sample(), false).unwrap();
        store.append_contact("V-1", &note("2026-01-01")).unwrap();
        store.append_contact("V-1", &note("2025-12-01")).unwrap();
    }
    let store = open(dir.path());
    let v = store.victim("V-1").unwrap().unwrap();
    let dates: Vec<String> = v.contacts.iter().map(|c| c.on.to_string()).collect();
    assert_eq!(
        dates,
        ["2025-04-02", "2025-05-02", "2026-01-01", "2025-12-01"]
    );
}

#[test]
fn a_second_process_is_kept_out() {
    let dir = tempfile::tempdir().unwrap();
    let _first = open(dir.path());
    match Store::open(dir.path(), "other") {
        Err(StoreError::InUse(d)) => assert_eq!(d, dir.path()),
        Err(e) => panic!("expected InUse, got {e}"),
        Ok(_) => panic!("expected InUse, got a store"),
    }
}

#[cfg(unix)]
#[test]
fn the_data_directory_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nested/vlu");
    let _store = open(&data);
    let mode = std::fs::metadata(&data).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700);
}

#[test]
fn replace_overwrites_a_victim_with_its_contacts_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store.import(&sample(), false).unwrap();
    let mut again = sample();
    again.victims[0].name = "Joan Mercer-Hale".into();
    again.victims[0].contacts.truncate(1);
    again.cases.clear();
    again.officers.clear();
    let summary = store.import(&again, true).unwrap();
    assert_eq!(summary.replaced, 1);
    let loaded = store.load().unwrap();
    assert_eq!(loaded.victims[0].name, "Joan Mercer-Hale");
    assert_eq!(loaded.victims[0].contacts.len(), 1);
    assert_eq!(loaded.cases, sample().cases);
    assert_eq!(loaded.officers, sample().officers);
}

#[test]
fn every_change_is_audited_without_contact_details() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store.import(&sample(), false).unwrap();
    let mut v = store.victim("V-1").unwrap().unwrap();
    v.contact_details.as_mut().unwrap().phone = Some("07700 900999".into());
    store.save_victim(&v).unwrap();
    store.append_contact("V-1", &note("2026-01-01")).unwrap();
    store.record_reveal("V-1").unwrap();
    let audit = store.audit().unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "import",
            "update-victim",
            "log-contact",
            "reveal-contact-details"
        ]
    );
    assert_eq!(audit[1].fields, ["contact_details.phone"]);
    assert!(audit.iter().all(|a| a.user == "tester"));
    let all = format!("{audit:?}");
    assert!(!all.contains("900999") && !all.contains("900123"), "{all}");
    // Saving a victim leaves its contact log alone.
    assert_eq!(store.victim("V-1").unwrap().unwrap().contacts.len(), 3);
}

#[test]
fn references_are_refused_when_they_do_not_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store.import(&sample(), false).unwrap();
    let mut v = store.victim("V-1").unwrap().unwrap();
    v.case_id = "C-404".into();
    let missing = store.save_victim(&v).unwrap_err();
    assert!(
        matches!(&missing, StoreError::NotFound { noun: Noun::Case, id } if id == "C-404"),
        "{missing:?}"
    );
    assert_eq!(missing.to_string(), "there is no case C-404");
    assert!(matches!(
        store.append_contact("V-404", &note("2026-01-01")),
        Err(StoreError::NotFound {
            noun: Noun::Victim,
            ..
        })
    ));
    assert_eq!(store.audit().unwrap().len(), 1);
}

#[test]
fn a_store_from_a_newer_vlu_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path());
        store
            .raw()
            .insert(key(META, "schema"), encode(&(SCHEMA_VERSION + 1)))
            .unwrap();
    }
    assert!(
        matches!(Store::open(dir.path(), "t"), Err(StoreError::NewerSchema { found, .. }) if found == SCHEMA_VERSION + 1)
    );
}

#[test]
fn check_finds_orphans_and_unreadable_records() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store.import(&sample(), false).unwrap();
    store
        .raw()
        .insert(key(CASE, "C-bad"), b"{not json".to_vec())
        .unwrap();
    store
        .raw()
        .insert(key(CONTACT, "V-ghost"), encode(&vec![note("2026-01-01")]))
        .unwrap();
    let findings = store.check().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f.contains("c/C-bad cannot be read")),
        "{findings:?}"
    );
    assert!(
        findings.iter().any(|f| f.contains("victim V-ghost")),
        "{findings:?}"
    );
}

#[test]
fn each_victim_is_read_with_its_own_log_and_orphaned_logs_are_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let mut caseload = sample();
    let joan = caseload.victims[0].clone();
    // V-1 has a log; V-3 has none; logs of victims that are gone sort before, between
    // and after them.
    caseload.victims.push(Victim {
        id: "V-3".into(),
        contacts: Vec::new(),
        ..joan.clone()
    });
    store.import(&caseload, false).unwrap();
    for ghost in ["V-0", "V-2", "V-9"] {
        store
            .raw()
            .insert(key(CONTACT, ghost), encode(&vec![note("2026-01-01")]))
            .unwrap();
    }
    let read: Vec<Victim> = store.victims_with_logs().map(Result::unwrap).collect();
    assert_eq!(read, [joan, caseload.victims[1].clone()]);
    assert_eq!(read[0].contacts.len(), 2);
    assert!(read[1].contacts.is_empty());
}

#[test]
fn a_streamed_caseload_is_written_as_the_same_bytes_as_one_held_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store.import(&sample(), false).unwrap();
    let whole = serde_json::to_string_pretty(&store.load().unwrap()).unwrap();
    // Lists written from any serialisable source, as `vlu export` does.
    let cases: Vec<Case> = store.cases().map(Result::unwrap).collect();
    let victims: Vec<Victim> = store.victims_with_logs().map(Result::unwrap).collect();
    let head = store.load_head().unwrap();
    let streamed =
        serde_json::to_string_pretty(&head.out(cases.iter().collect::<Vec<_>>(), &victims))
            .unwrap();
    assert_eq!(streamed, whole);
    assert!(whole.contains("\"contacts\""), "the logs are in it");
}

#[test]
fn snoozes_are_kept_with_their_reason() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let s = Snooze {
        reminder: "annual_letter/V-1/-/2026-12-10".into(),
        until: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        reason: "victim in hospital".into(),
        by: "sahmed".into(),
    };
    store.snooze(&s).unwrap();
    assert_eq!(store.snoozes().unwrap(), [s]);
    assert_eq!(store.audit().unwrap()[0].action, "snooze");
    // Ended early: gone, audited, and the victim's screens told.
    let woken = store.unsnooze("annual_letter/V-1/-/2026-12-10").unwrap();
    assert!(woken.snoozes);
    assert_eq!(woken.victims, ["V-1"]);
    assert!(store.snoozes().unwrap().is_empty());
    let audit = store.audit().unwrap();
    assert_eq!(audit[1].action, "unsnooze");
    assert_eq!(audit[1].fields, ["was until 2026-12-01"]);
    let again = store
        .unsnooze("annual_letter/V-1/-/2026-12-10")
        .unwrap_err();
    assert!(again.to_string().contains("not snoozed"), "{again}");
    assert_eq!(store.audit().unwrap().len(), 2, "a refusal writes nothing");
}

#[test]
fn a_schema_1_store_is_migrated_to_one_key_per_log_with_facts() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path());
        store.import(&sample(), false).unwrap();
        // Lay the store out as schema 1 had it: one key per contact, no facts.
        let log = store.log("V-1").unwrap();
        store.raw().remove(key(CONTACT, "V-1")).unwrap();
        store.raw().remove(key(FACTS, "V-1")).unwrap();
        for (seq, c) in log.iter().enumerate() {
            let k = [CONTACT, b"V-1\0", &(seq as u64).to_be_bytes()].concat();
            store.raw().insert(k, encode(c)).unwrap();
        }
        store
            .raw()
            .insert(key(META, "schema"), encode(&1u32))
            .unwrap();
    }
    let store = open(dir.path());
    assert_eq!(store.load().unwrap(), sample());
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    let facts = store.load_digest().unwrap().facts;
    assert_eq!(
        facts[0],
        crate::domain::facts::LogFacts::of(&sample().victims[0].contacts)
    );
}

#[test]
fn the_facts_follow_every_appended_contact() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store.import(&sample(), false).unwrap();
    store.append_contact("V-1", &note("2026-01-01")).unwrap();
    let super::Digest {
        caseload, facts, ..
    } = store.load_digest().unwrap();
    assert!(
        caseload.victims[0].contacts.is_empty(),
        "the diary reads no log"
    );
    assert_eq!(
        facts[0],
        crate::domain::facts::LogFacts::of(&store.victim("V-1").unwrap().unwrap().contacts)
    );
    // A digest that disagrees with the log is found.
    let mut batch = super::engine::Batch::default();
    store
        .stage_digest(
            &mut batch,
            vec![super::digest::Edit::Facts {
                case: "C-1",
                victim: "V-1",
                facts: Box::default(),
            }],
        )
        .unwrap();
    store.raw().apply_batch(batch).unwrap();
    assert_eq!(
        store.check().unwrap(),
        [format!(
            "the digest shard {} does not match the records",
            super::digest::shard_of("C-1")
        )]
    );
}

#[test]
fn the_digest_follows_every_change_of_a_record() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store.import(&sample(), false).unwrap();
    let mut v = store.victim("V-1").unwrap().unwrap();
    v.status = VictimStatus::OptedOut;
    v.name = "Joan Re-named".into();
    store
        .save_victim_with_contact(&v, &note("2026-02-01"))
        .unwrap();
    let mut case = store.case(&v.case_id).unwrap().unwrap();
    case.closed_on = Some(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
    store.save_case(&case).unwrap();
    let super::Digest {
        caseload, facts, ..
    } = store.load_digest().unwrap();
    let digest = caseload.victims.iter().find(|d| d.id == "V-1").unwrap();
    assert_eq!(digest.name, "Joan Re-named");
    assert_eq!(digest.status, VictimStatus::OptedOut);
    assert_eq!(
        digest.contact_details, None,
        "the digest keeps no contact details"
    );
    assert_eq!(
        facts[0],
        crate::domain::facts::LogFacts::of(&store.log("V-1").unwrap())
    );
    assert_eq!(caseload.cases[0].closed_on, case.closed_on);
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
}

#[test]
fn an_import_cut_off_between_its_batches_is_undone_on_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let before = {
        let store = open(dir.path());
        store.import(&sample(), false).unwrap();
        let before = store.load().unwrap();
        // A large import, cut off after some of its batches were applied (a kill -9).
        let mut changed = sample();
        changed.victims[0].name = "Someone Else".into();
        changed.victims[0].contacts.clear();
        let mut staged = super::staged::Staged::with_chunk(&store, 1).unwrap();
        staged
            .put(key(VICTIM, "V-1"), encode(&changed.victims[0]))
            .unwrap();
        Store::stage_log(&mut staged, "V-1", &[]).unwrap();
        staged
            .put(key(VICTIM, "V-2"), encode(&changed.victims[0]))
            .unwrap();
        assert!(store.raw().contains_key(key(VICTIM, "V-2")).unwrap());
        drop(staged);
        before
    };
    let store = open(dir.path());
    assert_eq!(store.load().unwrap(), before);
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    assert_eq!(store.raw().scan_prefix(super::staged::UNDO).count(), 0);
    assert!(!store.raw().contains_key(key(META, "import")).unwrap());
}

#[test]
fn a_first_import_cut_off_leaves_an_empty_store() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path());
        let mut staged = super::staged::Staged::with_chunk(&store, 1).unwrap();
        staged
            .put(key(VICTIM, "V-1"), encode(&sample().victims[0]))
            .unwrap();
        staged
            .put(key(CASE, "C-1"), encode(&sample().cases[0]))
            .unwrap();
        assert_eq!(store.raw().scan_prefix(super::staged::UNDO).count(), 0);
    }
    let store = open(dir.path());
    assert_eq!(store.load().unwrap(), Caseload::default());
    assert_eq!(store.raw().len(), 1, "only the schema version is left");
}

/// The sample in a new store at `dir`, then imported again with V-1 renamed "Joan
/// Mercer-Hale" (`--replace`): an import into a store with records, which keeps undo records.
fn reimported(dir: &Path) -> Store {
    let store = open(dir);
    store.import(&sample(), false).unwrap();
    let mut again = sample();
    again.victims[0].name = "Joan Mercer-Hale".into();
    store.import(&again, true).unwrap();
    store
}

#[test]
fn a_finished_import_leaves_no_undo_records() {
    let dir = tempfile::tempdir().unwrap();
    let store = reimported(dir.path());
    assert_eq!(store.load().unwrap().victims[0].name, "Joan Mercer-Hale");
    assert_eq!(store.raw().scan_prefix(super::staged::UNDO).count(), 0);
    assert!(!store.raw().contains_key(key(META, "import")).unwrap());
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
}

/// The sample unit (45 victims, 33 cases) in a new store.
fn northshire(dir: &Path) -> (Store, Caseload) {
    let store = open(dir);
    let sample = include_str!("../../sample-data/northshire.json");
    let caseload = parse_caseload(sample, &KnownIds::default(), false).unwrap();
    store.import(&caseload, false).unwrap();
    (store, caseload)
}

/// Imports one victim of `caseload` again, replacing the stored one; the store is then sound.
fn reimport(store: &Store, caseload: &Caseload, victim: &str) {
    let mut file = caseload.clone();
    file.officers.clear();
    file.cases.clear();
    file.victims.retain(|x| x.id == victim);
    store.import(&file, true).unwrap();
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
}

/// Every victim matched with its own case by the digest, once.
fn assert_joined(store: &Store, victims: usize) {
    let digest = store.load_digest().unwrap();
    let joined: Vec<(&str, &str)> = digest
        .joined()
        .map(|(v, _, c)| (v.case_id.as_str(), c.id.as_str()))
        .collect();
    assert_eq!(joined.len(), victims);
    assert!(joined.iter().all(|(want, got)| want == got), "{joined:?}");
}

#[test]
fn a_victim_moved_to_another_case_goes_with_its_facts() {
    let dir = tempfile::tempdir().unwrap();
    let (store, caseload) = northshire(dir.path());
    let mut v = store.victim("V-0001").unwrap().unwrap();
    let facts = LogFacts::of(&v.contacts);
    assert!(facts != LogFacts::default(), "a victim with a log");
    let to = caseload
        .cases
        .iter()
        .find(|c| digest::shard_of(&c.id) != digest::shard_of(&v.case_id))
        .unwrap();
    v.case_id = to.id.clone();
    store.save_victim(&v).unwrap();
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    assert_joined(&store, caseload.victims.len());
    let digest = store.load_digest().unwrap();
    let (_, moved, case) = digest.joined().find(|(d, ..)| d.id == "V-0001").unwrap();
    assert_eq!((moved, case.id.as_str()), (&facts, to.id.as_str()));

    // And back, by an import that replaces it.
    reimport(&store, &caseload, "V-0001");
    assert_joined(&store, caseload.victims.len());
}

#[test]
fn a_schema_3_digest_is_laid_out_again_by_case() {
    let dir = tempfile::tempdir().unwrap();
    let victims = {
        let (store, caseload) = northshire(dir.path());
        // Lay the digest out as schema 3 had it: each victim in its own id's shard.
        let mut shards = std::collections::BTreeMap::<u8, digest::Shard>::new();
        for c in &caseload.cases {
            let shard = shards.entry(digest::shard_of(&c.id)).or_default();
            shard.apply(digest::Edit::Case(c)).unwrap();
        }
        for v in &caseload.victims {
            let shard = shards.entry(digest::shard_of(&v.id)).or_default();
            shard.apply(digest::Edit::Victim(v)).unwrap();
            let facts = LogFacts::of(&v.contacts);
            let (case, victim) = (v.case_id.as_str(), v.id.as_str());
            shard
                .apply(digest::Edit::Facts {
                    case,
                    victim,
                    facts: Box::new(facts),
                })
                .unwrap();
        }
        for k in store.raw().keys(DIGEST) {
            store.raw().remove(k.unwrap()).unwrap();
        }
        for (n, shard) in shards {
            store
                .raw()
                .insert([DIGEST, &[n]].concat(), shard.encode())
                .unwrap();
        }
        store
            .raw()
            .insert(key(META, "schema"), encode(&3u32))
            .unwrap();
        assert!(
            !store.check().unwrap().is_empty(),
            "the old layout is not this one"
        );
        caseload.victims.len()
    };
    let store = open(dir.path());
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    assert_joined(&store, victims);
}

#[test]
fn a_schema_4_digest_gains_the_facts_of_the_release_re_offer() {
    let dir = tempfile::tempdir().unwrap();
    {
        let (store, caseload) = northshire(dir.path());
        // Schema 4's facts knew nothing of the second offer's date, inbound or agency
        // contacts: stage them so, as a store written by that build holds them.
        let mut batch = Batch::default();
        for v in &caseload.victims {
            let facts = LogFacts {
                second_offer: None,
                last_inbound: None,
                last_agency: None,
                ..LogFacts::of(&v.contacts)
            };
            store
                .stage_digest(
                    &mut batch,
                    Store::victim_edits(v, Some(&v.case_id), Some(facts)),
                )
                .unwrap();
        }
        batch.insert(key(META, "schema"), encode(&4u32));
        store.raw().apply_batch(batch).unwrap();
        assert!(!store.check().unwrap().is_empty(), "the old facts differ");
    }
    let store = open(dir.path());
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    let digest = store.load_digest().unwrap();
    let (_, facts, _) = digest.joined().find(|(v, _, _)| v.id == "V-0045").unwrap();
    let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert_eq!(
        (facts.second_offer, facts.last_agency),
        (Some(d("2021-03-29")), Some(d("2026-11-10")))
    );
}

#[test]
fn a_victim_whose_case_was_lost_can_be_put_right_and_check_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let (store, caseload) = northshire(dir.path());
    // A damaged store: a victim whose case has gone, alone in its shard.
    let used: std::collections::HashSet<u8> = caseload
        .cases
        .iter()
        .map(|c| digest::shard_of(&c.id))
        .collect();
    let lost = (0..10_000)
        .map(|n| format!("C-LOST-{n}"))
        .find(|c| !used.contains(&digest::shard_of(c)))
        .unwrap();
    let mut v = store.victim("V-0001").unwrap().unwrap();
    v.case_id.clone_from(&lost);
    let mut batch = Batch::default();
    batch.insert(
        key(VICTIM, &v.id),
        encode(&Victim {
            contacts: Vec::new(),
            ..v.clone()
        }),
    );
    let facts = LogFacts::of(&v.contacts);
    let was = caseload.victims[0].case_id.as_str();
    store
        .stage_digest(&mut batch, Store::victim_edits(&v, Some(was), Some(facts)))
        .unwrap();
    store.raw().apply_batch(batch).unwrap();
    assert!(!store.check().unwrap().is_empty(), "the lost case is found");
    // The victim put back under a real case: the emptied shard goes, and all is sound.
    reimport(&store, &caseload, "V-0001");
    assert!(
        store
            .raw()
            .get([DIGEST, &[digest::shard_of(&lost)]].concat())
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_backup_holds_every_record_and_restores_the_store_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let backups = dir.path().join("backups");
    let store = open(&data);
    store.import(&sample(), false).unwrap();
    store.append_contact("V-1", &note("2026-11-02")).unwrap();
    assert!(Store::backup_due(&backups).unwrap(), "no backup yet");
    let info = store.backup(&backups, 3).unwrap();
    assert!(!Store::backup_due(&backups).unwrap(), "one was just taken");
    let records: Vec<(Vec<u8>, Vec<u8>)> = store.raw().iter().collect::<Result<_, _>>().unwrap();
    let mut read_back = Vec::new();
    let (header, verified) = backup::read(&info.path, |k, v| {
        read_back.push((k, v));
        Ok(())
    })
    .unwrap();
    assert_eq!(read_back, records, "every record, in order, as stored");
    assert_eq!(verified.records, records.len() as u64);
    assert_eq!(header.by, "tester");

    store.append_contact("V-1", &note("2026-11-03")).unwrap();
    drop(store);
    let restored = Store::restore(&data, &info.path, "admin", Trust::Signed).unwrap();
    assert!(restored.kept.is_some());
    let store = open(&data);
    assert_eq!(
        store.log("V-1").unwrap().len(),
        3,
        "the log as it was at the backup"
    );
    let audit = store.audit().unwrap();
    assert_eq!(audit.last().unwrap().action, "restore");
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn a_backup_with_a_changed_byte_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("data"));
    store.import(&sample(), false).unwrap();
    let info = store.backup(&dir.path().join("backups"), 3).unwrap();
    let mut bytes = std::fs::read(&info.path).unwrap();
    // Decompressed, the whole file is checked; compressed, gzip's own CRC catches it too.
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(&info.path, &bytes).unwrap();
    let read = backup::read(&info.path, |_, _| Ok(()));
    assert!(matches!(read, Err(StoreError::Corrupt(_))), "{read:?}");
}

#[test]
fn an_import_of_ids_already_stored_is_refused_without_replace_even_if_validation_missed_them() {
    // Validation read the store before a second import filled it: the write checks again.
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store.import(&sample(), false).unwrap();
    let again = store.import(&sample(), false);
    match again {
        Err(StoreError::Refused(why)) => assert!(why.contains("already in the store"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(store.load().unwrap().victims.len(), 1);
}

#[test]
fn a_restored_store_adds_to_its_audit_trail_and_overwrites_none_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let backups = dir.path().join("backups");
    open(&data).import(&sample(), false).unwrap();
    // Several sessions, as a unit has: each open numbers the trail on from its last entry.
    for day in 2..6 {
        let store = open(&data);
        store
            .append_contact("V-1", &note(&format!("2026-11-0{day}")))
            .unwrap();
    }
    let store = open(&data);
    let info = store.backup(&backups, 3).unwrap();
    let before = store.audit().unwrap();
    drop(store);
    Store::restore(&data, &info.path, "admin", Trust::Signed).unwrap();
    for _ in 0..3 {
        let store = open(&data);
        store.record_reveal("V-1").unwrap();
    }
    let after = open(&data).audit().unwrap();
    assert_eq!(after[..before.len()], before[..], "no record overwritten");
    let actions: Vec<&str> = after[before.len()..]
        .iter()
        .map(|a| a.action.as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "restore",
            "reveal-contact-details",
            "reveal-contact-details",
            "reveal-contact-details"
        ]
    );
}

#[test]
fn after_a_write_stalls_the_store_refuses_everything_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    store.import(&sample(), false).unwrap();
    store.deadline = std::time::Duration::ZERO;
    let started = std::time::Instant::now();
    let first = store.append_contact("V-1", &note("2026-11-02"));
    assert!(
        matches!(first, Err(StoreError::Stalled { .. })),
        "{first:?}"
    );
    store.deadline = write::DEADLINE;
    for refused in [
        store.append_contact("V-1", &note("2026-11-03")).err(),
        store.victim("V-1").err(),
        store.log("V-1").err(),
    ] {
        assert!(
            matches!(refused, Some(StoreError::Stalled { .. })),
            "{refused:?}"
        );
    }
    // Dropping it asks nothing of the engine (whose last handle is kept, never flushed on
    // drop): the process can end. (The engine's own lock stays held until it does, so the store is
    // reopened by the next process, not this one.)
    drop(store);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn logging_an_offer_moves_the_status_in_the_same_write_and_the_digest_follows() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let mut caseload = sample();
    let v = &mut caseload.victims[0];
    v.status = VictimStatus::Referred;
    v.status_since = v.referred_on;
    v.contacts.clear();
    store.import(&caseload, false).unwrap();
    let before = store.stamp(Record::Victim, "V-1").unwrap().version;
    let offer = Contact {
        kind: ContactKind::InitialOffer,
        method: Medium::Letter,
        direction: Direction::Outbound,
        ..note("2025-04-02")
    };
    store.append_contact("V-1", &offer).unwrap();
    let v = store.victim("V-1").unwrap().unwrap();
    assert_eq!(v.status, VictimStatus::OfferSent);
    assert_eq!(v.status_since.to_string(), "2025-04-02");
    assert_eq!(v.contacts, [offer]);
    assert_eq!(
        store.stamp(Record::Victim, "V-1").unwrap().version,
        before + 1
    );
    let digest = store.load_digest().unwrap();
    assert_eq!(digest.caseload.victims[0].status, VictimStatus::OfferSent);
    let last = store.audit().unwrap().pop().unwrap();
    assert_eq!(last.action, "log-contact");
    assert!(
        last.fields
            .iter()
            .any(|f| f == "status offer_sent since 2025-04-02"),
        "{last:?}"
    );
    assert!(store.check().unwrap().is_empty());

    // A note moves nothing, and leaves the version alone.
    store.append_contact("V-1", &note("2025-04-03")).unwrap();
    assert_eq!(
        store.stamp(Record::Victim, "V-1").unwrap().version,
        before + 1
    );
}

#[test]
fn closing_a_case_closes_its_victims_with_a_log_entry_each_in_one_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let mut caseload = sample();
    let mut second = caseload.victims[0].clone();
    second.id = "V-2".into();
    second.name = "Ann Mercer".into();
    second.status = VictimStatus::Declined;
    second.contacts.clear();
    caseload.victims.push(second);
    store.import(&caseload, false).unwrap();
    let closing = Closing {
        case: "C-1".into(),
        on: "2026-11-30".parse().unwrap(),
        reason: "sentence expired".into(),
        by: Some("sahmed".into()),
        base: store.stamp(Record::Case, "C-1").unwrap().version,
    };
    let changed = store.close_case(&closing).unwrap();
    assert_eq!(changed.cases, ["C-1"]);
    assert_eq!(changed.victims, ["V-1", "V-2"]);
    assert_eq!(
        store.case("C-1").unwrap().unwrap().closed_on,
        Some(closing.on)
    );
    for id in ["V-1", "V-2"] {
        let v = store.victim(id).unwrap().unwrap();
        assert_eq!(
            (v.status, v.status_since),
            (VictimStatus::Closed, closing.on),
            "{id}"
        );
        let last = v.contacts.last().unwrap();
        assert_eq!(last.kind, ContactKind::Closure);
        assert_eq!(
            last.summary.as_deref(),
            Some("Case C-1 closed: sentence expired")
        );
    }
    let digest = store.load_digest().unwrap();
    assert!(
        digest
            .caseload
            .victims
            .iter()
            .all(|v| v.status == VictimStatus::Closed)
    );
    assert!(store.check().unwrap().is_empty());
    let audit = store.audit().unwrap().pop().unwrap();
    assert_eq!(
        (audit.action.as_str(), audit.subject.as_deref()),
        ("close-case", Some("C-1"))
    );

    // Twice is refused, and a stale version too.
    let again = Closing {
        base: store.stamp(Record::Case, "C-1").unwrap().version,
        ..closing.clone()
    };
    assert!(
        store
            .close_case(&again)
            .unwrap_err()
            .to_string()
            .contains("closed on 2026-11-30 already")
    );
    assert!(store.close_case(&closing).is_err());
}

#[test]
fn the_store_gives_new_victims_the_next_id_never_an_erased_one() {
    use crate::domain::retention::{Reason, Target};
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let mut caseload = sample();
    caseload.victims[0].id = "V-0007".into();
    store.import(&caseload, false).unwrap();
    let mut new = caseload.victims[0].clone();
    new.id = String::new();
    new.contacts.clear();
    let changed = store.add_victim(&new).unwrap();
    assert_eq!(changed.victims, ["V-0008"]);
    store
        .erase(&Target::Victim("V-0008".into()), Reason::Error)
        .unwrap();
    let changed = store.add_victim(&new).unwrap();
    assert_eq!(
        changed.victims,
        ["V-0009"],
        "V-0008 was erased: never given again"
    );
    new.id = "V-0009".into();
    let taken = store.add_victim(&new).unwrap_err().to_string();
    assert!(
        taken.contains("there is already a victim V-0009"),
        "{taken}"
    );
}

/// The sample unit with casework in vlu's own sections: a VPS offered, a complaint open, a
/// victim moved away, a restricted patient's case, a transferred case.
fn with_casework(mut caseload: Caseload) -> Caseload {
    use crate::domain::model::{Complaint, MovedAway, RestrictedPatient, Transfer, Vps};
    let d = |s: &str| Some(s.parse::<NaiveDate>().unwrap());
    for v in &mut caseload.victims {
        match v.id.as_str() {
            "V-0005" => {
                v.vps = Some(Box::new(Vps {
                    offered_on: d("2026-11-02"),
                    ..Vps::default()
                }));
                v.complaints.push(Complaint {
                    received_on: d("2026-11-20"),
                    summary: Some("not in the digest".into()),
                    ..Complaint::default()
                });
            }
            "V-0002" => {
                v.moved_away = Some(Box::new(MovedAway {
                    on: d("2026-10-01"),
                    to: Some("Scotland".into()),
                }));
            }
            _ => {}
        }
    }
    for c in &mut caseload.cases {
        match c.id.as_str() {
            "C-2019-112" => {
                c.restricted_patient = Some(Box::new(RestrictedPatient {
                    tribunal_on: d("2027-03-09"),
                    ..RestrictedPatient::default()
                }));
            }
            "C-2024-031" => {
                c.transferred = Some(Box::new(Transfer {
                    on: d("2026-11-01"),
                    to_area: Some("Southshire VLU".into()),
                }));
            }
            _ => {}
        }
    }
    caseload
}

/// The diary of the digest and that of the whole caseload, on the sample's anchor day.
fn both_diaries(
    store: &Store,
    caseload: &Caseload,
) -> (
    Vec<crate::domain::reminders::Reminder>,
    Vec<crate::domain::reminders::Reminder>,
) {
    use crate::domain::calendar::Calendar;
    use crate::domain::reminders::{DiaryQuery, Rules, diary, diary_from_facts};
    use crate::domain::rules::LeadTimes;
    let (calendar, lead) = (Calendar::new([]), LeadTimes::default());
    let rules = Rules {
        calendar: &calendar,
        lead: &lead,
    };
    let query = DiaryQuery {
        date: "2026-11-24".parse().unwrap(),
        days: 3650,
        officer: None,
    };
    let digest = store.load_digest().unwrap();
    let strip = |items: Vec<crate::domain::reminders::DiaryItem>| {
        items.into_iter().map(|i| i.reminder).collect::<Vec<_>>()
    };
    (
        strip(diary_from_facts(digest.joined(), &query, rules)),
        strip(diary(&caseload.cases, &caseload.victims, &query, rules)),
    )
}

#[test]
fn the_digest_carries_what_the_casework_clocks_need_and_a_schema_5_store_is_rebuilt() {
    use crate::domain::enums::ReminderKind;
    let dir = tempfile::tempdir().unwrap();
    let caseload = {
        let (store, plain) = northshire(dir.path());
        let caseload = with_casework(plain);
        store.import(&caseload, true).unwrap();
        let (from_digest, from_records) = both_diaries(&store, &caseload);
        assert_eq!(from_digest, from_records);
        for kind in [
            ReminderKind::VpsSubmit,
            ReminderKind::ComplaintAnswer,
            ReminderKind::MhcsRegister,
            ReminderKind::TribunalRepresentations,
        ] {
            assert!(from_digest.iter().any(|r| r.kind == kind), "{kind:?}");
        }
        assert!(
            !from_digest.iter().any(|r| r.victim_id == "V-0001"),
            "in a transferred case"
        );
        assert!(
            from_digest.iter().any(|r| r.victim_id == "V-0002"),
            "moved away: contact goes on"
        );
        // A schema 5 store: its digest had no casework; opening it lays the digest out anew.
        as_schema(&store, 5);
        caseload
    };
    let store = open(dir.path());
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    let (from_digest, from_records) = both_diaries(&store, &caseload);
    assert_eq!(from_digest, from_records);
    assert!(
        from_digest
            .iter()
            .any(|r| r.kind == ReminderKind::VpsSubmit)
    );
}

/// The digest's summary of a victim keeps that a risk is on record (the caseload marks the
/// name on screens that hold only summaries); the reason stays in the record.
#[test]
fn the_digest_knows_a_risk_is_on_record_but_not_why() {
    use crate::domain::model::Risk;
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let mut unit = sample();
    unit.victims[0].risk = Some(Box::new(Risk {
        reason: Some("threats from the offender's family".into()),
        recorded_on: "2026-11-20".parse().ok(),
        by: Some("sahmed".into()),
    }));
    store.import(&unit, false).unwrap();
    let digest = store.load_digest().unwrap();
    let summary = digest.caseload.victims[0].risk.as_deref().unwrap();
    assert_eq!(summary.recorded_on, "2026-11-20".parse().ok());
    assert_eq!(summary.reason, None);
    let whole = store.load().unwrap();
    assert_eq!(whole.victims[0].risk, unit.victims[0].risk);
}

/// The store as one of schema `n` whose digest no longer reads: without its digest, and
/// marked `n` (the next open migrates it).
fn as_schema(store: &Store, n: u32) {
    for k in store.raw().keys(DIGEST) {
        store.raw().remove(k.unwrap()).unwrap();
    }
    store.raw().insert(key(META, "schema"), encode(&n)).unwrap();
}

/// The diary of V-1, from the digest, once a store of schema `n` holding the sample with
/// `logged` in V-1's log is opened (and laid out anew); checked against the records' diary.
fn diary_after_upgrade_from(n: u32, logged: &Contact) -> Vec<crate::domain::reminders::Reminder> {
    upgraded_diary(n, &sample(), Some(logged))
}

/// [`diary_after_upgrade_from`] of any caseload, with or without a contact logged.
fn upgraded_diary(
    n: u32,
    unit: &Caseload,
    logged: Option<&Contact>,
) -> Vec<crate::domain::reminders::Reminder> {
    let dir = tempfile::tempdir().unwrap();
    let caseload = {
        let store = open(dir.path());
        store.import(unit, false).unwrap();
        if let Some(logged) = logged {
            store.append_contact("V-1", logged).unwrap();
        }
        let caseload = store.load().unwrap();
        as_schema(&store, n);
        caseload
    };
    let store = open(dir.path());
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    let (from_digest, from_records) = both_diaries(&store, &caseload);
    assert_eq!(from_digest, from_records);
    from_digest
        .into_iter()
        .filter(|r| r.victim_id == "V-1")
        .collect()
}

/// A schema 9 store: its digest kept no tasks and no VPS non-disclosure request; opening it
/// lays the digest out anew, and the diary from the digest has their clocks.
#[test]
fn a_schema_9_store_is_upgraded_and_its_digest_knows_tasks_and_non_disclosure() {
    use crate::domain::enums::{ReminderKind, TaskKind};
    use crate::domain::model::{Task, Vps};
    let day = |s: &str| s.parse().unwrap();
    let mut unit = sample();
    unit.victims[0].tasks = vec![
        Task {
            kind: Some(TaskKind::SfoReport),
            opened_on: Some(day("2026-11-20")),
            ..Task::default()
        },
        Task {
            kind: Some(TaskKind::MediaEnquiry),
            opened_on: Some(day("2026-11-20")),
            done_on: Some(day("2026-11-20")),
            ..Task::default()
        },
    ];
    unit.victims[0].vps = Some(Box::new(Vps {
        non_disclosure_asked_on: Some(day("2026-11-02")),
        ..Vps::default()
    }));
    unit.victims[0].child = Some(Box::new(crate::domain::model::Child {
        born_on: Some(day("2008-12-01")),
        offered_on: None,
    }));
    // An annual-only victim told of a category review by a decision on record: the digest
    // keeps the decision's answer.
    unit.victims[0].preferences = Some(crate::domain::model::Preferences {
        information: Some(crate::domain::enums::InformationLevel::Annual),
        ..Default::default()
    });
    unit.cases[0].key_dates.push(crate::domain::model::KeyDate {
        kind: crate::domain::enums::KeyDateKind::CategoryReview,
        date: day("2026-12-10"),
        confirmed: None,
        note: None,
    });
    unit.victims[0].tasks.push(Task {
        kind: Some(TaskKind::DisclosureDecision),
        opened_on: Some(day("2026-11-02")),
        done_on: Some(day("2026-11-03")),
        key_date: Some(crate::domain::enums::KeyDateKind::CategoryReview),
        by: Some("sahmed".into()),
        agreed: Some(true),
        ..Task::default()
    });
    let diary = upgraded_diary(9, &unit, None);
    let kinds: Vec<(ReminderKind, Option<TaskKind>)> =
        diary.iter().map(|r| (r.kind, r.task)).collect();
    assert!(
        kinds.contains(&(ReminderKind::Task, Some(TaskKind::SfoReport))),
        "{kinds:?}"
    );
    assert!(!kinds.contains(&(ReminderKind::Task, Some(TaskKind::MediaEnquiry))));
    assert!(
        kinds.contains(&(ReminderKind::VpsNonDisclosure, None)),
        "{kinds:?}"
    );
}

/// A schema 7 store: its digest's log facts had no unwanted contacts or risk reports;
/// opening it lays the digest out anew, and the diary from the digest has their clocks.
#[test]
fn a_schema_7_store_is_upgraded_and_its_digest_knows_the_risk_clocks() {
    let told = Contact {
        kind: ContactKind::UnwantedContact,
        direction: Direction::Inbound,
        method: Medium::Phone,
        ..note("2026-11-20")
    };
    let diary = diary_after_upgrade_from(7, &told);
    assert!(
        diary
            .iter()
            .any(|r| r.kind == crate::domain::enums::ReminderKind::UnwantedContactReport)
    );
}

/// A schema 8 store: its digest's log facts had no outcomes received; opening it lays the
/// digest out anew, and the diary from the digest asks for the outcome to be told.
#[test]
fn a_schema_8_store_is_upgraded_and_its_digest_knows_the_outcomes_to_tell() {
    let received = Contact {
        kind: ContactKind::Outcome,
        direction: Direction::Internal,
        method: Medium::Email,
        key_date: Some(crate::domain::enums::KeyDateKind::ParoleHearing),
        ..note("2026-11-20")
    };
    let diary = diary_after_upgrade_from(8, &received);
    assert!(
        diary
            .iter()
            .any(|r| r.kind == crate::domain::enums::ReminderKind::OutcomeTell)
    );
}

mod return_facts;

/// An import whose file is found unreadable after many of its records were written (its
/// second read found the file changed, say): everything it wrote is undone, into a store
/// with records and into a new one alike.
#[test]
fn an_import_found_unreadable_part_way_leaves_the_store_as_it_was() {
    use crate::domain::validate::{Incoming, NotRead, Problem};
    let unit = crate::generate::generate(2000, 5, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
    let halfway = |store: &Store, replace: bool| {
        let written_before = store.raw().len();
        let outcome = store.import_records(replace, |each| {
            for c in unit.cases.iter().cloned() {
                each(Incoming::Case(c)).map_err(NotRead::Stopped)?;
            }
            for v in unit.victims.iter().take(1500).cloned() {
                each(Incoming::Victim(v)).map_err(NotRead::Stopped)?;
            }
            // More than a staged batch's worth was applied on the way.
            assert!(store.raw().len() > written_before + 1000);
            Err(NotRead::File(vec![Problem {
                path: String::new(),
                message: "the file changed while it was being imported".into(),
            }]))
        });
        let problems = outcome.unwrap().unwrap_err();
        assert_eq!(
            problems[0].message,
            "the file changed while it was being imported"
        );
        assert_eq!(store.raw().scan_prefix(super::staged::UNDO).count(), 0);
        assert!(!store.raw().contains_key(key(META, "import")).unwrap());
    };
    // A new store: left empty.
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    halfway(&store, false);
    assert_eq!(store.load().unwrap(), Caseload::default());
    assert_eq!(store.raw().len(), 1, "only the schema version is left");
    // A store with the sample unit, the generated one replacing what it shares.
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = northshire(dir.path());
    let before = store.load().unwrap();
    let audit = store.audit().unwrap().len();
    halfway(&store, true);
    assert_eq!(store.load().unwrap(), before);
    assert_eq!(
        store.audit().unwrap().len(),
        audit,
        "no import was recorded"
    );
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
}

/// The cases and the victims of a file come one at a time, and the digest, the return's
/// facts and the audit record of the import come out as they did when the whole caseload
/// was handed over at once.
#[test]
fn an_import_read_a_record_at_a_time_writes_what_the_whole_caseload_writes() {
    use crate::domain::validate::{Incoming, NotRead};
    let unit = crate::generate::generate(300, 6, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
    let whole = tempfile::tempdir().unwrap();
    let whole = open(whole.path());
    whole.import(&unit, false).unwrap();
    let streamed = tempfile::tempdir().unwrap();
    let streamed = open(streamed.path());
    let mut rest = unit.clone();
    let (cases, victims) = (
        std::mem::take(&mut rest.cases),
        std::mem::take(&mut rest.victims),
    );
    let summary = streamed
        .import_records(false, |each| {
            // Victims before their cases, as a file may have them.
            for v in victims {
                each(Incoming::Victim(v)).map_err(NotRead::Stopped)?;
            }
            for c in cases {
                each(Incoming::Case(c)).map_err(NotRead::Stopped)?;
            }
            Ok(rest)
        })
        .unwrap()
        .unwrap();
    assert_eq!(summary.victims, 300);
    assert_eq!(
        summary.contacts,
        unit.victims.iter().map(|v| v.contacts.len()).sum::<usize>()
    );
    assert_eq!(streamed.load().unwrap(), whole.load().unwrap());
    let (a, b) = (
        streamed.load_digest().unwrap(),
        whole.load_digest().unwrap(),
    );
    assert_eq!(
        (a.caseload, a.facts, a.case_of),
        (b.caseload, b.facts, b.case_of)
    );
    assert!(
        streamed.check().unwrap().is_empty(),
        "{:?}",
        streamed.check()
    );
    let detail = |s: &Store| s.audit().unwrap().last().unwrap().fields.clone();
    assert_eq!(detail(&streamed), detail(&whole));
}

/// A crash just after an import's last batch leaves its undo records (they go after it, a
/// batch at a time): on the next open they are removed, and undo nothing.
#[test]
fn undo_records_a_finished_import_left_behind_undo_nothing() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = reimported(dir.path());
        // What the finished import's undo record for the victim said: the name before.
        let before = [&[1u8][..], &encode(&sample().victims[0])].concat();
        store
            .raw()
            .insert([super::staged::UNDO, &key(VICTIM, "V-1")].concat(), before)
            .unwrap();
    }
    let store = open(dir.path());
    assert_eq!(store.load().unwrap().victims[0].name, "Joan Mercer-Hale");
    assert_eq!(store.raw().scan_prefix(super::staged::UNDO).count(), 0);
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
}
