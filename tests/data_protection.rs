//! Data protection from the command line: retention, erasure (and what it leaves), subject
//! access, the audit trail read back, and who may do each.

mod common;

use std::io::Read;
use std::path::Path;

use common::{Sandbox, minimal, note};
use serde_json::{Value, json};
use vlu::domain::retention::{Reason, Target};

/// The unit's retention rules in the sandbox's configuration.
fn with_rules(s: &Sandbox, rules: &str) {
    let dir = s.root.path().join("config/vlu");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), format!("[retention]\n{rules}")).unwrap();
}

fn stdout(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn stderr(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

/// Every record the store holds, as the bytes of a backup taken now (a backup is every
/// live record of the store, compressed): what a search of the store itself finds.
fn every_record(s: &Sandbox) -> String {
    s.vlu().args(["backup"]).assert().success();
    let dir = s.data_dir().join("backups");
    let newest = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .max()
        .unwrap();
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&newest).unwrap())
        .read_to_end(&mut bytes)
        .unwrap();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn retention_lists_what_falls_due_with_its_rule_and_nothing_without_rules() {
    let s = Sandbox::with_sample();
    let out = s
        .vlu()
        .args(["retention", "--date", "2026-11-24"])
        .assert()
        .success();
    assert!(
        stdout(&out).starts_with("No retention rules are configured"),
        "{}",
        stdout(&out)
    );
    with_rules(&s, "declined_years = 6\nclosed_case_years = 5\n");
    let out = s
        .vlu()
        .args(["retention", "--date", "2026-11-24", "--format", "json"])
        .assert()
        .success();
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let due = v["due"].as_array().unwrap();
    let listed: Vec<(&str, &str, &str)> = due
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap(),
                d["rule"].as_str().unwrap(),
                d["due"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("V-0004", "declined", "2021-06-01"),
            ("V-0036", "declined", "2025-05-01"),
            ("C-2017-009", "closed_case", "2026-01-20"),
        ]
    );
    assert_eq!(due[2]["kind"], "case");
    assert_eq!(due[2]["victims"], json!(["V-0022"]));
    // The text says which rule, from when.
    let out = s
        .vlu()
        .args(["retention", "--date", "2026-11-24"])
        .assert()
        .success();
    let text = stdout(&out);
    assert!(
        text.contains("V-0004")
            && text.contains("declined or opted out: kept 6 years from 2015-06-01"),
        "{text}"
    );
    // A victim not due is not erased "for retention".
    let out = s
        .vlu()
        .args(["erase", "--victim", "V-0001", "--yes"])
        .assert()
        .code(2);
    assert!(
        stderr(&out).contains("not due for erasure"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_erased_victim_leaves_nothing_but_the_audit_entry_and_the_store_stays_sound() {
    let s = Sandbox::with_sample();
    {
        // Something of V-0004's in every place a victim leaves a trace: a snooze, a reveal,
        // a consultation, a log entry.
        let store = s.store_as("sara");
        store
            .append_contact("V-0004", &note("Chloe rang: moving house soon."))
            .unwrap();
        store
            .snooze(&vlu::store::Snooze {
                reminder: "annual_letter/V-0004/-/-".into(),
                until: chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
                reason: "Chloe asked for quiet until the new year".into(),
                by: "sahmed".into(),
            })
            .unwrap();
        store.record_reveal("V-0004").unwrap();
        store.record_consultation("V-0004").unwrap();
    }
    assert!(every_record(&s).contains("Chloe"));
    // Without a terminal and without --yes, nothing happens.
    let out = s
        .vlu()
        .args(["erase", "--victim", "V-0004", "--reason", "request"])
        .assert()
        .code(2);
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    assert!(s.export().contains("V-0004"));
    let out = s
        .vlu()
        .args([
            "erase", "--victim", "V-0004", "--reason", "request", "--yes",
        ])
        .assert()
        .success();
    assert!(
        stdout(&out).contains("Erased victim V-0004"),
        "{}",
        stdout(&out)
    );
    let export = s.export();
    for trace in ["V-0004", "Chloe", "moving house", "quiet until"] {
        assert!(!export.contains(trace), "the export still holds {trace:?}");
    }
    let held = every_record(&s);
    for trace in ["Chloe", "moving house", "quiet until"] {
        assert!(!held.contains(trace), "the store still holds {trace:?}");
    }
    // Of the keys named by the victim (record, log, version), only the erased id is left.
    assert_eq!(held.matches("\0V-0004").count(), 1);
    assert!(held.contains("x\0v\0V-0004"));
    s.vlu().arg("check").assert().success();
    let store = s.store();
    assert!(store.victim("V-0004").unwrap().is_none());
    assert!(
        store
            .snoozes()
            .unwrap()
            .iter()
            .all(|x| !x.reminder.contains("V-0004"))
    );
    let digest = store.load_digest().unwrap();
    assert!(digest.caseload.victims.iter().all(|v| v.id != "V-0004"));
    let erase = store
        .audit()
        .unwrap()
        .into_iter()
        .rfind(|a| a.action == "erase")
        .unwrap();
    assert_eq!(erase.action, "erase");
    assert_eq!(erase.subject.as_deref(), Some("V-0004"));
    assert_eq!(erase.victims, ["V-0004"]);
    let said = serde_json::to_string(&erase).unwrap();
    assert!(said.contains("the person asked for erasure"), "{said}");
    assert!(!said.contains("Chloe") && !said.contains("Marsh"), "{said}");
    assert!(
        store
            .erase(&Target::Victim("V-0004".into()), Reason::Error)
            .is_err(),
        "nothing left to erase"
    );
    // An erased id is not given to a new record by mistake.
    let mut new = store.victim("V-0001").unwrap().unwrap();
    new.id = "V-0004".into();
    new.contacts.clear();
    let refused = store.save_victim_from(&new, 0).unwrap_err().to_string();
    assert!(refused.contains("erased"), "{refused}");
}

#[test]
fn a_case_goes_with_its_victims_and_an_older_export_does_not_bring_them_back_unasked() {
    let s = Sandbox::with_sample();
    let older = s.file("older.json", s.export());
    with_rules(&s, "closed_case_years = 5\n");
    s.vlu()
        .args(["erase", "--case", "C-2017-009", "--yes"])
        .assert()
        .success();
    let export = s.export();
    assert!(!export.contains("C-2017-009") && !export.contains("V-0022"));
    assert!(!export.contains("Irene Carver"));
    s.vlu().arg("check").assert().success();
    // The older export, into a store that has everything else (its other ids taken):
    // the erased ones are named as erased, path by path, and nothing is imported.
    let out = s.vlu().arg("import").arg(&older).assert().code(2);
    let said = stderr(&out);
    assert!(
        said.contains("victims[21].id: victim \"V-0022\" was erased from this store"),
        "{said}"
    );
    assert!(said.contains("case \"C-2017-009\" was erased"), "{said}");
    // Into a fresh store the same file goes in whole; into this one only with --replace,
    // and with a warning for each erased id it brings back.
    let out = s
        .vlu()
        .arg("import")
        .arg(&older)
        .arg("--replace")
        .assert()
        .success();
    let said = stderr(&out);
    assert!(
        said.contains("warning: C-2017-009 had been erased"),
        "{said}"
    );
    assert!(said.contains("warning: V-0022 had been erased"), "{said}");
    assert!(s.export().contains("Irene Carver"));
    s.vlu().arg("check").assert().success();
    // Brought back, it is an ordinary record again: a later plain import is refused for
    // being in the store, not for being erased.
    let out = s.vlu().arg("import").arg(&older).assert().code(2);
    assert!(!stderr(&out).contains("was erased"), "{}", stderr(&out));
}

#[test]
fn a_subject_access_response_holds_the_whole_log_and_nobody_elses_details() {
    let s = Sandbox::new();
    let mut unit = minimal();
    // Peter (V-2) shares Joan's case; his details are in the store, and Joan's own log
    // mentions his phone number and email.
    unit["victims"][1]["contact_details"] = json!({ "address": "9 Other Lane, Southtown ST9 9ZZ", "phone": "07700 900456", "email": "peter.m@example.org" });
    unit["victims"][0]["representative"] = json!({ "name": "Anna Mercer", "relationship": "sister",
        "contact_details": { "phone": "07700 900789", "address": null, "email": null } });
    unit["victims"][0]["contacts"] = json!([
        { "on": "2026-09-20", "kind": "initial_offer", "method": "letter", "direction": "outbound", "by": "sahmed",
          "summary": "Offer sent to Joan." },
        { "on": "2026-10-02", "kind": "note", "method": "phone", "direction": "inbound", "by": "sahmed",
          "summary": "Joan asked us to ring her brother-in-law on 07700900456 or peter.m@EXAMPLE.org, or her sister on 07700 900 789." }
    ]);
    s.import_value(&unit);
    s.store_as("sara").record_consultation("V-1").unwrap();
    let out = s.root.path().join("sar-V-1.md");
    s.vlu()
        .args(["sar", "--victim", "V-1", "--out"])
        .arg(&out)
        .assert()
        .success();
    let doc = std::fs::read_to_string(&out).unwrap();
    let json_path = Path::new(&format!("{}.json", out.display())).to_owned();
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    for file in [&out, &json_path] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
    // Her whole log, her own details, her open reminder, and who consulted her record.
    assert_eq!(json["contacts"].as_array().unwrap().len(), 2);
    assert!(doc.contains("Offer sent to Joan.") && doc.contains("Joan asked us to ring"));
    assert_eq!(json["record"]["contact_details"]["phone"], "07700 900123");
    assert!(doc.contains("07700 900123") && doc.contains("1 Fictional Row"));
    assert!(
        json["audit"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "consult-victim" && e["user"] == "sara")
    );
    assert!(doc.contains("consult-victim"));
    // Nobody else's: not Peter's, nor her sister's, in either file, however written.
    for file in [&doc, &json.to_string()] {
        for other in [
            "900456",
            "peter.m@",
            "9 Other Lane",
            "Peter Mercer",
            "V-2",
            "900 789",
            "900789",
        ] {
            assert!(
                !file.to_lowercase().contains(&other.to_lowercase()),
                "{other:?} in the response"
            );
        }
    }
    assert!(doc.contains("withheld: another person's contact details"));
    assert!(
        json["contacts"][1]["summary"]
            .as_str()
            .unwrap()
            .contains("[withheld: another person's contact details]")
    );
    assert!(json["withheld"].to_string().contains("representative"));
    // The response is itself a disclosure in the audit trail.
    let last = s.store().audit().unwrap().pop().unwrap();
    assert_eq!(
        (last.action.as_str(), last.victims.as_slice()),
        ("disclose", &["V-1".to_owned()][..])
    );
    // No file for a victim who is not there.
    s.vlu()
        .args(["sar", "--victim", "V-9", "--out"])
        .arg(s.root.path().join("none.md"))
        .assert()
        .code(2);
    assert!(!s.root.path().join("none.md").exists());
}

#[test]
fn the_audit_trail_reads_back_filtered_by_victim_user_and_day() {
    let s = Sandbox::with_sample();
    {
        let store = s.store_as("sara");
        store.record_consultation("V-0001").unwrap();
        store
            .append_contact("V-0002", &note("A note about V-0002."))
            .unwrap();
        let james = store.acting_as("james");
        james.record_consultation("V-0001").unwrap();
        james.record_reveal("V-0003").unwrap();
    }
    s.export();
    let entries = |args: &[&str]| -> Vec<Value> {
        let out = s
            .vlu()
            .arg("audit")
            .args(args)
            .args(["--format", "json"])
            .assert()
            .success();
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        v["entries"].as_array().unwrap().clone()
    };
    let about_one = entries(&["--victim", "V-0001"]);
    let actions: Vec<(&str, &str)> = about_one
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["user"].as_str().unwrap()))
        .collect();
    // The two consultations and the export (everyone's data); not the others' entries.
    assert_eq!(
        actions[..2],
        [("consult-victim", "sara"), ("consult-victim", "james")]
    );
    assert_eq!(actions[2].0, "disclose");
    assert_eq!(actions.len(), 3, "{actions:?}");
    let by_james = entries(&["--user", "james"]);
    assert_eq!(by_james.len(), 2);
    assert!(by_james.iter().all(|e| e["user"] == "james"));
    let both = entries(&["--user", "james", "--victim", "V-0003"]);
    assert_eq!(both.len(), 1);
    assert_eq!(both[0]["action"], "reveal-contact-details");
    assert!(entries(&["--since", "2099-01-01"]).is_empty());
    let today = chrono::Local::now().date_naive().to_string();
    assert!(entries(&["--since", &today]).len() >= 6);
    // Numbers rise with the order of the trail.
    let all = entries(&[]);
    assert!(
        all.windows(2)
            .all(|w| w[0]["seq"].as_u64() < w[1]["seq"].as_u64())
    );
    // And as text, one line each.
    let out = s
        .vlu()
        .args(["audit", "--victim", "V-0001"])
        .assert()
        .success();
    assert_eq!(stdout(&out).lines().count(), 3);
    let out = s
        .vlu()
        .args(["audit", "--since", "2026-02-30"])
        .assert()
        .code(2);
    assert!(stderr(&out).contains("2026-02-30"));
}

#[test]
fn the_calendar_file_is_a_disclosure_of_the_victims_it_names() {
    let s = Sandbox::with_sample();
    s.vlu()
        .args([
            "diary",
            "--date",
            "2026-11-24",
            "--officer",
            "sahmed",
            "--format",
            "ics",
        ])
        .assert()
        .success();
    let last = s.store().audit().unwrap().pop().unwrap();
    assert_eq!(last.action, "disclose");
    assert!(
        last.fields[0].starts_with("calendar file: diary of officer sahmed"),
        "{:?}",
        last.fields
    );
    assert!(
        last.victims.contains(&"V-0001".to_owned()),
        "{:?}",
        last.victims
    );
    // A diary read on screen or as JSON discloses nothing.
    let before = s.store().audit().unwrap().len();
    s.vlu()
        .args(["diary", "--date", "2026-11-24", "--format", "json"])
        .assert()
        .success();
    assert_eq!(s.store().audit().unwrap().len(), before);
}

/// Erasing, reading the audit trail and answering a subject access request are refused by
/// the service to anyone who is not an administrator, whatever the command line does.
#[test]
fn only_administrators_erase_read_the_trail_or_answer_a_request() {
    // The store belongs to someone else; this user is the VLO sahmed.
    let Some(s) = Sandbox::sample_owned_by_someone_else("sahmed") else {
        return;
    };
    let sar = s.root.path().join("sar.md");
    for args in [
        vec!["erase", "--victim", "V-0004", "--reason", "error", "--yes"],
        vec!["audit"],
        vec!["sar", "--victim", "V-0001", "--out", sar.to_str().unwrap()],
    ] {
        let out = s.vlu().args(&args).assert().code(2);
        assert!(
            stderr(&out).contains("for the unit's administrators"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert!(!sar.exists());
    // The unit's administrator may. (A VLO cannot stop the service either: it stops on its
    // own, idle, and the next one reads the new configuration.)
    s.wait_for_the_service_to_go();
    s.sign_in_as("tgreen");
    s.vlu()
        .args(["erase", "--victim", "V-0004", "--reason", "error", "--yes"])
        .assert()
        .success();
    let out = s
        .vlu()
        .args(["audit", "--victim", "V-0004"])
        .assert()
        .success();
    assert!(stdout(&out).contains("erase"), "{}", stdout(&out));
}
