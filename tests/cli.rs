//! The command line, run as a process: every command, its output and its exit status.

mod common;

use common::{Sandbox, minimal, sample_path};
use icalendar::Component;
use predicates::prelude::*;
use serde_json::{Value, json};

fn stdout(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn stderr(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

#[test]
fn export_import_export_is_byte_identical() {
    let first = Sandbox::new();
    first
        .vlu()
        .arg("import")
        .arg(sample_path())
        .assert()
        .success();
    let exported = first.export();
    let second = Sandbox::new();
    let file = second.file("exported.json", &exported);
    second.vlu().arg("import").arg(&file).assert().success();
    assert_eq!(second.export(), exported);
    // And the export holds what was imported.
    let original: Value =
        serde_json::from_str(&std::fs::read_to_string(sample_path()).unwrap()).unwrap();
    let back: Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(
        back["victims"].as_array().unwrap().len(),
        original["victims"].as_array().unwrap().len()
    );
}

#[test]
fn export_to_a_file_is_private_and_complete() {
    let s = Sandbox::new();
    s.import_value(&minimal());
    let path = s.root.path().join("out.json");
    s.vlu()
        .arg("export")
        .arg(&path)
        .assert()
        .success()
        .stdout("");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), s.export());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

/// Bad caseload files: what is wrong, the file, and the message expected.
fn bad_files() -> Vec<(&'static str, String, &'static str)> {
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut v = minimal();
        // Fresh ids, so that only the planted problem is wrong.
        v["officers"] = json!([]);
        v["cases"][0]["id"] = json!("C-2");
        v["victims"].as_array_mut().unwrap().truncate(1);
        v["victims"][0]["id"] = json!("V-9");
        v["victims"][0]["case_id"] = json!("C-2");
        f(&mut v);
        v.to_string()
    };
    vec![
        (
            "impossible date",
            edit(&|v| v["victims"][0]["referred_on"] = json!("2025-02-30")),
            "victims[0].referred_on: invalid date \"2025-02-30\"",
        ),
        (
            "unknown field",
            edit(&|v| v["victims"][0]["nmae"] = json!("x")),
            "victims[0].nmae: unknown field",
        ),
        (
            "missing field",
            edit(&|v| {
                v["cases"][0]["sentence"]
                    .as_object_mut()
                    .unwrap()
                    .remove("kind");
            }),
            "cases[0].sentence.kind: missing required field",
        ),
        (
            "unknown enum",
            edit(&|v| v["victims"][0]["status"] = json!("opted-in")),
            "victims[0].status: unknown value \"opted-in\"",
        ),
        (
            "escape codes",
            edit(&|v| v["victims"][0]["name"] = json!("Joan\u{1b}[31m Mercer")),
            "victims[0].name: contains the control character U+001B",
        ),
        (
            "dangling case",
            edit(&|v| v["victims"][0]["case_id"] = json!("C-404")),
            "victims[0].case_id: no case \"C-404\"",
        ),
        (
            "duplicate id",
            edit(&|v| {
                let c = v["cases"][0].clone();
                v["cases"].as_array_mut().unwrap().push(c);
            }),
            "cases[1].id: case id \"C-2\" appears twice",
        ),
        (
            "id in store",
            edit(&|v| v["victims"][0]["id"] = json!("V-1")),
            "victims[0].id: victim \"V-1\" is already in the store",
        ),
        (
            "year 1899",
            edit(&|v| v["cases"][0]["sentence"]["imposed_on"] = json!("1899-12-31")),
            "cases[0].sentence.imposed_on: date \"1899-12-31\" is outside",
        ),
        (
            "status before referral",
            edit(&|v| v["victims"][0]["status_since"] = json!("2026-09-01")),
            "victims[0].status_since: status_since 2026-09-01 is before referred_on",
        ),
        (
            "bad time",
            edit(
                &|v| v["victims"][0]["contacts"] = json!([{ "on": "2026-10-01", "at": "9.30", "kind": "note", "method": "none", "direction": "internal" }]),
            ),
            "victims[0].contacts[0].at: invalid time",
        ),
        (
            "wrong format",
            edit(&|v| v["format"] = json!("csv")),
            "format: expected \"vlu-caseload\"",
        ),
        (
            "truncated JSON",
            "{\"format\": \"vlu-caseload\", \"victims\": [".to_owned(),
            "the file is not valid JSON",
        ),
        (
            "not an object",
            "[1, 2, 3]".to_owned(),
            "expected an object, found a list",
        ),
    ]
}

/// Each bad file: exit 2, its problem named with the JSON path, a closing sentence, and the
/// store exactly as it was.
#[test]
fn bad_files_are_refused_and_change_nothing() {
    let s = Sandbox::new();
    s.import_value(&minimal());
    let before = s.export();
    let cases = bad_files();
    assert!(cases.len() >= 10);
    for (what, contents, expected) in cases {
        let file = s.file("bad.json", contents);
        let out = s.vlu().arg("import").arg(&file).assert().code(2);
        let err = stderr(&out);
        assert!(
            err.contains(expected),
            "{what}: expected {expected:?} in\n{err}"
        );
        let last = err.lines().last().unwrap();
        assert!(
            last.starts_with("vlu: ") && last.ends_with("nothing was imported"),
            "{what}: {last}"
        );
        assert!(
            !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
            "{what}: {err}"
        );
        assert_eq!(s.export(), before, "{what} changed the store");
    }
}

#[test]
fn several_problems_are_all_listed() {
    let s = Sandbox::new();
    let mut v = minimal();
    v["victims"][0]["contacts"] =
        json!([{ "on": "2025-02-30", "kind": "call", "method": "phone", "direction": "outbound" }]);
    v["victims"][1]["allocated_to"] = json!("nobody");
    let file = s.file("bad.json", v.to_string());
    let out = s.vlu().arg("import").arg(&file).assert().code(2);
    let err = stderr(&out);
    assert!(
        err.contains("victims[0].contacts[0].on: invalid date \"2025-02-30\""),
        "{err}"
    );
    assert!(
        err.contains("victims[0].contacts[0].kind: unknown value \"call\""),
        "{err}"
    );
    assert!(
        err.contains("victims[1].allocated_to: no officer \"nobody\""),
        "{err}"
    );
    assert!(err.lines().last().unwrap().contains("3 problems"), "{err}");
    assert!(
        !s.data_dir().exists(),
        "a refused first import creates no store"
    );
}

#[test]
fn a_bad_phone_number_is_never_echoed() {
    let s = Sandbox::new();
    let mut v = minimal();
    v["victims"][0]["contact_details"]["phone"] = json!("07700\u{7}900555");
    let file = s.file("bad.json", v.to_string());
    let out = s.vlu().arg("import").arg(&file).assert().code(2);
    let err = stderr(&out);
    assert!(err.contains("victims[0].contact_details.phone"), "{err}");
    assert!(!err.contains("900555"), "{err}");
}

#[test]
fn other_bad_input_is_refused_with_exit_2() {
    let s = Sandbox::new();
    s.import_value(&minimal());
    // vlu's own refusals: one sentence.
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["diary", "--officer", "nobody"],
            "there is no officer \"nobody\"",
        ),
        (
            vec!["import", "/nonexistent/caseload.json"],
            "cannot read /nonexistent/caseload.json",
        ),
    ];
    for (args, expected) in cases {
        let out = s.vlu().args(&args).assert().code(2);
        let err = stderr(&out);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: one line, got {err}");
    }
    // A command line clap cannot read: its whole message, starting "vlu: ", to its end.
    let usage: Vec<(Vec<&str>, &str)> = vec![
        (vec!["diary", "--date", "2026-02-30"], "is not a real date"),
        (vec!["diary", "--days", "-3"], "-3"),
        (vec!["diary", "--format", "pdf"], "pdf"),
        (vec!["frobnicate"], "frobnicate"),
    ];
    for (args, expected) in usage {
        let out = s.vlu().args(&args).assert().code(2);
        let err = stderr(&out);
        assert!(
            err.starts_with("vlu: ") && err.contains(expected),
            "{args:?}: {err}"
        );
        assert!(err.contains("try '--help'"), "{args:?}: {err}");
    }
    let latin1 = s.file(
        "latin1.json",
        b"{\"format\": \"vlu-caseload\", \"unit\": {\"name\": \"Caf\xe9\"}}",
    );
    s.vlu()
        .arg("import")
        .arg(latin1)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not UTF-8"));
}

#[test]
fn a_bad_config_file_names_the_file_and_line() {
    let s = Sandbox::new();
    let config = s.file(
        "vlu.toml",
        "[lead_times]\ninitial_offer_working_days = 20\nannual_leter_months = 6\n",
    );
    let out = s
        .vlu()
        .arg("--config")
        .arg(&config)
        .arg("diary")
        .assert()
        .code(2);
    let err = stderr(&out);
    assert!(err.contains("vlu.toml, line 3"), "{err}");
    assert!(err.contains("annual_leter_months"), "{err}");
}

#[test]
fn the_config_changes_lead_times() {
    let s = Sandbox::new();
    s.import_value(&minimal());
    let diary = |cfg: Option<&std::path::Path>| {
        let mut cmd = s.vlu();
        if let Some(c) = cfg {
            cmd.env("VLU_CONFIG", c);
        }
        let out = cmd
            .args([
                "diary",
                "--date",
                "2026-09-15",
                "--format",
                "json",
                "--days",
                "60",
            ])
            .assert()
            .success();
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["kind"] == "initial_offer")
            .unwrap()["due"]
            .clone()
    };
    assert_eq!(diary(None), json!("2026-10-27"));
    let config = s.file(
        "vlu.toml",
        "[lead_times]\ninitial_offer_working_days = 20\n",
    );
    assert_eq!(diary(Some(&config)), json!("2026-09-29"));
}

#[test]
fn a_store_in_use_gives_exit_3_naming_the_directory() {
    let s = Sandbox::new();
    s.import_value(&minimal());
    let file = s.file("more.json", minimal().to_string());
    let file = file.to_str().unwrap();
    let _held = vlu::store::Store::open(&s.data_dir(), "other").unwrap();
    for args in [
        vec!["diary"],
        vec!["export"],
        vec!["check"],
        vec!["import", file],
    ] {
        let out = s.vlu().args(&args).assert().code(3);
        let err = stderr(&out);
        assert!(
            err.contains("in use by another vlu process"),
            "{args:?}: {err}"
        );
        assert!(
            err.contains(&s.data_dir().display().to_string()),
            "{args:?}: {err}"
        );
        assert_eq!(err.lines().count(), 1);
    }
}

#[test]
fn diary_json_is_the_contract() {
    let s = Sandbox::new();
    s.import_value(&minimal());
    let out = s
        .vlu()
        .args(["diary", "--date", "2026-11-24", "--format", "json"])
        .assert()
        .success();
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["date"], "2026-11-24");
    assert_eq!(v["days"], 14);
    let items = v["items"].as_array().unwrap();
    let got: Vec<(&str, &str, &str, &str)> = items
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap(),
                i["victim_id"].as_str().unwrap(),
                i["due"].as_str().unwrap(),
                i["status"].as_str().unwrap(),
            )
        })
        .collect();
    // V-1: sentenced Tue 1 Sep 2026, 40 working days → Tue 27 Oct 2026 (overdue).
    // V-2: VPS offer 84 days before the hearing on 16 Feb 2027 → 24 Nov 2026 (today);
    //      told of the CRD (5 Jan 2027) 28 days before → 8 Dec 2026 (upcoming).
    assert_eq!(
        got,
        [
            ("initial_offer", "V-1", "2026-10-27", "overdue"),
            ("vps_offer", "V-2", "2026-11-24", "due_today"),
            ("key_date", "V-2", "2026-12-08", "upcoming"),
        ]
    );
    let first = items[0].as_object().unwrap();
    let keys: Vec<&str> = first.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "kind",
            "victim_id",
            "case_id",
            "officer",
            "due",
            "status",
            "key_date",
            "sensitive"
        ]
    );
    assert_eq!(items[0]["officer"], "sahmed");
    assert_eq!(items[0]["key_date"], Value::Null);
    assert_eq!(items[1]["key_date"], "parole_hearing");
    assert_eq!(items[1]["sensitive"], "anniversary of the offence");
    assert_eq!(items[2]["key_date"], "crd");

    let mine = s
        .vlu()
        .args([
            "diary",
            "--date",
            "2026-11-24",
            "--format",
            "json",
            "--officer",
            "sahmed",
        ])
        .assert()
        .success();
    let v: Value = serde_json::from_str(&stdout(&mine)).unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
}

#[test]
fn diary_text_is_grouped_and_uncoloured_when_piped() {
    let s = Sandbox::new();
    s.import_value(&minimal());
    let out = s
        .vlu()
        .args(["diary", "--date", "2026-11-24"])
        .assert()
        .success();
    let text = stdout(&out);
    assert!(!text.contains('\u{1b}'), "{text}");
    let overdue = text.find("Overdue (1)").expect(&text);
    let today = text.find("Today (1)").expect(&text);
    let later = text.find("Later (1)").expect(&text);
    assert!(overdue < today && today < later);
    assert!(text.contains("Joan Mercer (V-1)"), "{text}");
    assert!(text.contains("Send the initial offer letter"), "{text}");
    assert!(
        text.contains("⚠ near a sensitive date: anniversary of the offence"),
        "{text}"
    );
    // No address or phone number in the diary.
    assert!(!text.contains("900123") && !text.contains("Fictional Row"));
}

#[test]
fn diary_ics_parses_back_with_every_item() {
    let s = Sandbox::new();
    s.import_value(&minimal());
    let out = s
        .vlu()
        .args(["diary", "--date", "2026-11-24", "--format", "ics"])
        .assert()
        .success();
    let text = stdout(&out);
    let calendar: icalendar::Calendar = text.parse().expect("valid iCalendar");
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    assert_eq!(events.len(), 3);
    let starts: Vec<String> = events
        .iter()
        .map(|e| format!("{:?}", e.get_start().unwrap()))
        .collect();
    assert!(starts[0].contains("2026-10-27"), "{starts:?}");
    let ends: Vec<String> = events
        .iter()
        .map(|e| format!("{:?}", e.get_end().unwrap()))
        .collect();
    assert!(
        ends[0].contains("2026-10-28"),
        "all-day events end the next day: {ends:?}"
    );
    assert_eq!(
        events[0].get_summary(),
        Some("Overdue: initial offer for V-1")
    );
    assert!(
        events
            .iter()
            .all(|e| e.get_uid().is_some_and(|u| u.ends_with("@vlu")))
    );
    // Calendars travel: no victim names in them.
    assert!(!text.contains("Joan") && !text.contains("Mercer"), "{text}");
}

#[test]
fn check_says_a_sound_store_is_sound() {
    let s = Sandbox::with_sample();
    s.vlu()
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("is sound"));
}

#[test]
fn check_names_a_victim_every_rule_has_let_go_without_failing() {
    // Arthur Voss (V-0041): referred, his offer logged, the status never moved on.
    let s = Sandbox::with_sample();
    let out = s.vlu().arg("check").assert().success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let line = said
        .lines()
        .find(|l| l.trim_start().starts_with("V-0041 "))
        .unwrap_or_else(|| panic!("{said}"));
    assert_eq!(
        line.trim(),
        "V-0041 (statutory, case C-2025-150): status referred since 15 Dec 2025, last heard of \
         or written to 19 Jan 2026; officer lmcbride"
    );
    assert!(said.contains("nothing due under any rule"), "{said}");
    // Sandra Greaves's case, a restricted hospital order, has no restricted-patient record:
    // named, so that someone adds it and the MHCS and tribunal clocks start.
    assert!(said.contains("no restricted-patient record"), "{said}");
    assert!(
        said.lines()
            .any(|l| l.trim() == "case C-2018-044 (restricted hospital order): opted in V-0011"),
        "{said}"
    );
    // Joan Mercer's exclusion zone has no map; V-0024's case has no Responsible Officer.
    assert!(
        said.lines()
            .any(|l| l.trim() == "V-0001: licence request 2, asked 2 Mar 2026"),
        "{said}"
    );
    assert!(
        said.lines()
            .any(|l| l.trim() == "case C-2020-052: opted in V-0024"),
        "{said}"
    );
    // Ids only: the output may go to a log.
    assert!(!said.contains("Arthur") && !said.contains("Voss"), "{said}");
    // An offer logged through vlu moves his status on, and the second offer's rule has him.
    s.vlu()
        .args(["log", "--victim", "V-0041", "--kind", "initial_offer"])
        .args(["--method", "letter", "--direction", "outbound"])
        .assert()
        .success();
    let out = s.vlu().arg("check").assert().success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(!said.contains("V-0041"), "{said}");
}

#[test]
fn replace_overwrites_only_what_the_file_names() {
    let s = Sandbox::new();
    s.import_value(&minimal());
    let mut v = minimal();
    v["officers"] = json!([]);
    v["cases"] = json!([]);
    v["victims"].as_array_mut().unwrap().remove(0);
    v["victims"][0]["name"] = json!("Peter Mercer-Hale");
    v["victims"][0]["contacts"] = json!([]);
    let file = s.file("update.json", v.to_string());
    s.vlu()
        .arg("import")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--replace"));
    s.vlu()
        .arg("import")
        .arg("--replace")
        .arg(&file)
        .assert()
        .success();
    let after: Value = serde_json::from_str(&s.export()).unwrap();
    assert_eq!(after["victims"][0]["name"], "Joan Mercer");
    assert_eq!(after["victims"][1]["name"], "Peter Mercer-Hale");
    assert!(after["victims"][1].get("contacts").is_none());
    assert_eq!(after["cases"].as_array().unwrap().len(), 1);
}

#[test]
fn the_screens_need_a_terminal_and_say_so() {
    let s = Sandbox::new();
    for args in [vec![], vec!["demo"]] {
        let out = s.vlu().args(&args).assert().code(2);
        assert!(
            stderr(&out).contains("the screens need a terminal"),
            "{args:?}"
        );
        assert!(
            !s.data_dir().exists(),
            "{args:?}: nothing made in the data directory for screens that never opened"
        );
    }
}

#[test]
fn the_screens_refuse_a_store_in_use_before_touching_the_terminal() {
    let s = Sandbox::new();
    s.import_value(&minimal());
    let _held = vlu::store::Store::open(&s.data_dir(), "other").unwrap();
    let out = s.vlu().assert().code(3);
    assert!(stderr(&out).contains("in use by another vlu process"));
    assert!(
        out.get_output().stdout.is_empty(),
        "nothing sent to the terminal"
    );
}

#[test]
fn keymap_check_reports_problems_and_passes_the_shipped_ones() {
    let s = Sandbox::new();
    for name in ["default", "vim"] {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("keymaps/{name}.toml"));
        s.vlu()
            .args(["keymap", "check"])
            .arg(&path)
            .assert()
            .success();
    }
    let bad = s.file(
        "bad.toml",
        "[global]\n\"q\" = \"quit\"\n\"x\" = \"launch\"\n[caseload]\n\"q\" = \"help\"\n",
    );
    let out = s.vlu().args(["keymap", "check"]).arg(&bad).assert().code(2);
    let err = stderr(&out);
    assert!(
        err.contains("bad.toml, line 3: unknown action \"launch\""),
        "{err}"
    );
    assert!(
        err.contains("bad.toml, line 5: q in [caseload] shadows the global binding of q"),
        "{err}"
    );
}

#[test]
fn reading_a_missing_store_creates_nothing() {
    let s = Sandbox::new();
    let out = s
        .vlu()
        .args(["diary", "--format", "json"])
        .assert()
        .success();
    assert!(stdout(&out).contains("\"items\": []"));
    assert!(!s.data_dir().exists());
    s.vlu().arg("check").assert().code(2);
}

#[test]
fn help_and_version_exit_0() {
    let s = Sandbox::new();
    s.vlu()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("diary"));
    s.vlu().arg("--version").assert().success();
}

#[test]
fn generate_is_the_same_for_a_seed_imports_cleanly_and_is_quiet_when_piped() {
    let s = Sandbox::new();
    let a = s.root.path().join("a.json");
    let out = s
        .vlu()
        .args(["generate", "--victims", "1000", "--seed", "3", "--out"])
        .arg(&a)
        .assert()
        .success();
    assert!(
        out.get_output().stderr.is_empty(),
        "no progress bar when not on a terminal"
    );
    let piped = s
        .vlu()
        .args(["generate", "--victims", "1000", "--seed", "3"])
        .assert()
        .success();
    assert_eq!(piped.get_output().stdout, std::fs::read(&a).unwrap());
    let out = s.vlu().arg("import").arg(&a).assert().success();
    assert!(
        stderr(&out).starts_with("Imported "),
        "only the summary line: {}",
        stderr(&out)
    );
    s.vlu().arg("check").assert().success();
    let other = s
        .vlu()
        .args(["generate", "--victims", "1000", "--seed", "4"])
        .assert()
        .success();
    assert_ne!(other.get_output().stdout, piped.get_output().stdout);
}

#[test]
fn a_write_stopped_by_a_signal_leaves_no_part_of_the_file_behind() {
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("unit.json");
    let listing = || -> Vec<String> {
        std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vlu"))
        .env("VLU_IDLE_SECONDS", common::IDLE)
        .args(["generate", "--victims", "20000", "--out"])
        .arg(&out)
        .spawn()
        .unwrap();
    // Once the file is being written, hang up, as a closed SSH session does.
    let start = Instant::now();
    while !listing().iter().any(|n| n.contains(".vlu-tmp-")) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "it ended before it was stopped"
        );
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no file was written"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let kill = std::process::Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    assert_eq!(
        child.wait().unwrap().code(),
        Some(128 + 1),
        "ended as SIGHUP would"
    );
    assert_eq!(
        listing(),
        Vec::<String>::new(),
        "neither the file nor a part of it"
    );
}

#[test]
fn status_is_one_line_for_an_officer_or_the_unit_and_nothing_when_nothing() {
    let s = Sandbox::with_sample();
    let status = |args: &[&str], officer: &str| {
        s.sign_in_as(officer);
        let out = s.vlu().arg("status").args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let anchor = ["--date", "2026-11-24"];
    assert_eq!(
        status(&anchor, "sahmed"),
        "5 overdue · 1 today · 3 this week\n"
    );
    // The unit's counts are the screens' header's on the same day.
    let all = ["--date", "2026-11-24", "--all"];
    assert_eq!(
        status(&all, "sahmed"),
        "17 overdue · 4 today · 15 this week\n"
    );
    let json: serde_json::Value = serde_json::from_str(&status(
        &["--date", "2026-11-24", "--format", "json"],
        "sahmed",
    ))
    .unwrap();
    assert_eq!(
        json,
        serde_json::json!({"date": "2026-11-24", "officer": "sahmed", "overdue": 5, "today": 1, "this_week": 3})
    );
    assert_eq!(
        status(&["--date", "2000-01-03"], "sahmed"),
        "",
        "nothing to say"
    );
    // Someone who is no officer: nothing on standard output, a sentence on standard error,
    // and a failure (a prompt writes `vlu status 2>/dev/null || true`).
    s.sign_in_as("visitor");
    let out = s.vlu().arg("status").assert().code(1);
    assert!(out.get_output().stdout.is_empty());
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("is not an officer"), "{err}");
}

#[test]
fn diary_out_writes_the_file_privately_and_as_standard_output_would() {
    let s = Sandbox::with_sample();
    let args = [
        "diary",
        "--date",
        "2026-11-24",
        "--officer",
        "sahmed",
        "--format",
        "json",
    ];
    // (JSON, not iCalendar: a calendar carries the moment it was written.)
    let shown = s.vlu().args(args).assert().success();
    let file = s.root.path().join("sahmed.json");
    s.vlu()
        .args(args)
        .arg("--out")
        .arg(&file)
        .assert()
        .success();
    assert_eq!(std::fs::read(&file).unwrap(), shown.get_output().stdout);
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&file).unwrap().permissions())
            & 0o777;
    assert_eq!(mode, 0o600);
    s.vlu()
        .args(["diary", "--out"])
        .arg(s.root.path())
        .assert()
        .code(2);
}

/// The diary's items of one victim on a date: (kind, due).
/// One victim of the store's export.
fn exported_victim(s: &Sandbox, id: &str) -> Value {
    common::victim_in(&serde_json::from_str(&s.export()).unwrap(), id)
}

/// The JSON diary's items of one victim on `date`, 200 days ahead.
fn diary_items(s: &Sandbox, victim: &str, date: &str) -> Vec<Value> {
    let out = s
        .vlu()
        .args(["diary", "--days", "200", "--format", "json", "--date", date])
        .assert()
        .success();
    let diary: Value = serde_json::from_str(&stdout(&out)).unwrap();
    diary["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["victim_id"] == victim)
        .cloned()
        .collect()
}

fn items_of(s: &Sandbox, victim: &str, date: &str) -> Vec<(String, String)> {
    diary_items(s, victim, date)
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().into(),
                i["due"].as_str().unwrap().into(),
            )
        })
        .collect()
}

#[test]
fn log_records_a_contact_moves_the_status_and_the_diary_follows() {
    let s = Sandbox::with_sample();
    // V-0015 is referred, its initial offer overdue.
    assert_eq!(
        items_of(&s, "V-0015", "2026-11-30"),
        [("initial_offer".to_owned(), "2026-11-06".to_owned())]
    );
    let out = s
        .vlu()
        .args([
            "log",
            "--victim",
            "V-0015",
            "--kind",
            "initial_offer",
            "--method",
            "letter",
        ])
        .args([
            "--direction",
            "outbound",
            "--on",
            "2026-11-30",
            "--summary",
            "Offer posted",
        ])
        .assert()
        .success();
    assert_eq!(
        stdout(&out),
        "V-0015#1 (status: referred, no offer yet → offer sent)\n"
    );
    // The second offer is now due three months on: it used to be missed.
    assert_eq!(
        items_of(&s, "V-0015", "2026-11-30"),
        [("second_offer".to_owned(), "2027-02-28".to_owned())]
    );
    let v = exported_victim(&s, "V-0015");
    assert_eq!(
        (v["status"].as_str(), v["status_since"].as_str()),
        (Some("offer_sent"), Some("2026-11-30"))
    );
    assert_eq!(v["contacts"][0]["summary"], "Offer posted");

    // The summary from standard input, Windows line endings made plain.
    let out = s
        .vlu()
        .args([
            "log", "--victim", "V-0015", "--kind", "update", "--method", "phone",
        ])
        .args([
            "--direction",
            "outbound",
            "--on",
            "2026-11-30",
            "--summary",
            "-",
        ])
        .write_stdin("Called back.\r\nAll well.\r\n")
        .assert()
        .success();
    assert_eq!(stdout(&out), "V-0015#2\n");
    let v = exported_victim(&s, "V-0015");
    assert_eq!(v["contacts"][1]["summary"], "Called back.\nAll well.");
}

#[test]
fn a_letter_logged_as_following_one_call_answers_that_call_only() {
    let s = Sandbox::with_sample();
    // V-0015: an offer posted, then two calls on Monday 30 November and Tuesday 1 December.
    let log = |args: &str| {
        s.vlu()
            .args(["log", "--victim", "V-0015", "--direction", "outbound"])
            .args(args.split(' '))
            .assert()
    };
    log("--kind initial_offer --method letter --on 2026-11-27").success();
    log("--kind update --method phone --on 2026-11-30").success();
    log("--kind update --method phone --on 2026-12-01").success();
    let follow_ups = |s: &Sandbox| -> Vec<String> {
        items_of(s, "V-0015", "2026-12-02")
            .into_iter()
            .filter(|(kind, _)| kind == "written_follow_up")
            .map(|(_, due)| due)
            .collect()
    };
    assert_eq!(follow_ups(&s), ["2026-12-07", "2026-12-08"]);
    // Entry 1 is the offer letter, no call: refused, and nothing is written.
    let refused = log("--kind written_follow_up --method letter --follows 1").code(2);
    assert!(
        String::from_utf8_lossy(&refused.get_output().stderr).contains("follows: entry 1"),
        "{refused:?}"
    );
    assert_eq!(follow_ups(&s), ["2026-12-07", "2026-12-08"]);
    // Following the call of 30 November (entry 2): the call of 1 December is still owed.
    let out = log("--kind written_follow_up --method letter --on 2026-12-02 --follows 2").success();
    assert_eq!(stdout(&out), "V-0015#4\n");
    assert_eq!(follow_ups(&s), ["2026-12-08"]);
    let v = exported_victim(&s, "V-0015");
    assert_eq!(v["contacts"][3]["follows"], 2);
    assert!(
        v["contacts"][2].get("follows").is_none(),
        "absent, not null"
    );
}

#[test]
fn log_refuses_bad_input_with_exit_2_and_changes_nothing() {
    let s = Sandbox::with_sample();
    let before = s.export();
    let note = [
        "--victim",
        "V-0015",
        "--kind",
        "note",
        "--method",
        "none",
        "--direction",
        "internal",
    ];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        note.iter().chain(extra).copied().collect()
    };
    let mut nonsense = with(&[]);
    nonsense[3] = "nonsense";
    let mut nobody = with(&[]);
    nobody[1] = "V-9999";
    for (args, says) in [
        (nonsense, "--kind: unknown value \"nonsense\""),
        (with(&["--at", "25:00"]), "--at: invalid time"),
        (nobody, "there is no victim V-9999"),
        (with(&["--on", "2026-02-30"]), "not a real date"),
        (with(&["--summary", "bell \u{7} here"]), "control character"),
    ] {
        let out = s.vlu().arg("log").args(&args).assert().code(2);
        let err = stderr(&out);
        // The problem is said on the first line (clap adds a pointer to --help after it).
        assert!(
            err.lines().next().unwrap().contains(says),
            "{args:?}: {err}"
        );
    }
    assert_eq!(s.export(), before, "nothing changed");
}

#[test]
fn reallocate_moves_a_leavers_whole_caseload_keeping_cases_together() {
    let s = Sandbox::with_sample();
    let out = s
        .vlu()
        .args(["reallocate", "--from", "sahmed", "--to", "jokafor,lmcbride"])
        .assert()
        .success();
    assert!(
        stdout(&out).starts_with("Reallocated 14 victims: "),
        "{}",
        stdout(&out)
    );
    let export: Value = serde_json::from_str(&s.export()).unwrap();
    let victims = export["victims"].as_array().unwrap();
    assert!(
        victims.iter().all(|v| v["allocated_to"] != "sahmed"),
        "nothing left with the leaver"
    );
    let mut by_case: std::collections::HashMap<&str, std::collections::HashSet<&str>> =
        std::collections::HashMap::new();
    for v in victims {
        by_case
            .entry(v["case_id"].as_str().unwrap())
            .or_default()
            .insert(v["allocated_to"].as_str().unwrap_or(""));
    }
    // A case's victims were together before (the sample keeps them so): still together.
    assert!(
        by_case.values().all(|officers| officers.len() == 1),
        "{by_case:?}"
    );
    let count = |o: &str| victims.iter().filter(|v| v["allocated_to"] == o).count();
    assert_eq!(count("jokafor") + count("lmcbride"), 15 + 14 + 14);
    assert!(
        count("jokafor").abs_diff(count("lmcbride")) <= 3,
        "shared out evenly"
    );
    let out = s
        .vlu()
        .args(["reallocate", "--victim", "V-0001", "--to", "nobody"])
        .assert()
        .code(2);
    assert_eq!(stderr(&out), "vlu: there is no officer nobody\n");
}

#[test]
fn only_managers_reallocate_once_the_unit_has_named_them() {
    // The store belongs to someone else; this user is the VLO sahmed.
    let Some(s) = Sandbox::sample_owned_by_someone_else("sahmed") else {
        return;
    };
    let out = s
        .vlu()
        .args(["reallocate", "--victim", "V-0001", "--to", "jokafor"])
        .assert()
        .code(2);
    assert!(
        stderr(&out).contains("that is for the unit's managers"),
        "{}",
        stderr(&out)
    );
    // The service reads who is who when it starts: wait for this one to stop, idle.
    s.wait_for_the_service_to_go();
    s.sign_in_as("pdevi");
    s.vlu()
        .args(["reallocate", "--victim", "V-0001", "--to", "jokafor"])
        .assert()
        .success();
}

#[test]
fn an_export_refused_to_a_vlo_is_a_refusal_exit_2_with_nothing_written() {
    // The store belongs to someone else; this user is the VLO sahmed.
    let Some(s) = Sandbox::sample_owned_by_someone_else("sahmed") else {
        return;
    };
    let out_file = s.root.path().join("unit.json");
    let sheet = s.root.path().join("unit.csv");
    let case = s.root.path().join("case.json");
    let attempts: [Vec<&str>; 4] = [
        vec!["export", out_file.to_str().unwrap()],
        vec!["export"],
        vec!["export", "--format", "csv", sheet.to_str().unwrap()],
        vec!["export", "--case", "C-2024-031", case.to_str().unwrap()],
    ];
    let mut refused = 0;
    for args in &attempts {
        let out = s.vlu().args(args).assert().code(2);
        let said = stderr(&out);
        assert!(said.contains(" may not "), "{args:?}: {said}");
        assert!(out.get_output().stdout.is_empty(), "{args:?}");
        refused += 1;
    }
    assert_eq!(refused, attempts.len());
    for file in [&out_file, &sheet, &case] {
        assert!(!file.exists(), "{}", file.display());
    }
}

#[test]
fn the_diary_spreadsheet_withholds_sensitive_labels_unless_asked() {
    let s = Sandbox::with_sample();
    let sheet = |more: &[&str]| {
        let out = s
            .vlu()
            .args(["export", "--format", "csv", "--what", "diary"])
            .args(["--date", "2026-11-24", "--days", "28"])
            .args(more)
            .assert()
            .success();
        stdout(&out)
    };
    // The sample's labels that fall near a reminder in these four weeks.
    let labels = [
        "Amy's birthday",
        "anniversary of John's death",
        "anniversary of the attack",
    ];
    let plain = sheet(&[]);
    for label in labels {
        assert!(!plain.contains(label), "{label} in {plain}");
    }
    assert!(
        plain.contains("yes: see the victim's record"),
        "that there is one is said: {plain}"
    );
    let labelled = sheet(&["--with-sensitive-labels"]);
    for label in labels {
        assert!(labelled.contains(label), "{label} asked for: {labelled}");
    }
    assert_eq!(plain.lines().count(), labelled.lines().count());
    // The option is for the diary sheet only.
    for args in [
        vec!["export", "--with-sensitive-labels"],
        vec!["export", "--format", "csv", "--with-sensitive-labels"],
    ] {
        let out = s.vlu().args(&args).assert().code(2);
        assert!(stderr(&out).contains("--with-sensitive-labels"), "{args:?}");
    }
}

/// The sample case with the most victims: the one a transfer test moves.
fn busiest_sample_case() -> (String, Vec<Value>) {
    let sample: Value =
        serde_json::from_str(&std::fs::read_to_string(sample_path()).unwrap()).unwrap();
    let victims = sample["victims"].as_array().unwrap();
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for v in victims {
        *counts.entry(v["case_id"].as_str().unwrap()).or_default() += 1;
    }
    let (case, _) = counts
        .iter()
        .max_by_key(|(id, n)| (**n, std::cmp::Reverse(**id)))
        .unwrap();
    let mine = victims
        .iter()
        .filter(|v| v["case_id"] == *case)
        .cloned()
        .collect();
    (case.to_string(), mine)
}

#[test]
fn export_case_writes_one_case_that_another_unit_imports() {
    let s = Sandbox::with_sample();
    let (case, victims) = busiest_sample_case();
    assert!(victims.len() > 1, "the sample's busiest case has victims");
    // The records as the store holds them (an export: no nulls).
    let whole: Value = serde_json::from_str(&s.export()).unwrap();
    let victims: Vec<Value> = whole["victims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| victims.iter().any(|x| x["id"] == v["id"]))
        .cloned()
        .collect();
    let out = s.root.path().join("case.json");
    s.vlu()
        .args(["export", "--case", &case])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let text = std::fs::read_to_string(&out).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["format"], "vlu-caseload");
    let cases = file["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0]["id"], case.as_str());
    let got = file["victims"].as_array().unwrap();
    assert_eq!(got.len(), victims.len());
    for v in got {
        let sent = victims.iter().find(|x| x["id"] == v["id"]).unwrap();
        assert_eq!(v["case_id"], case.as_str());
        // The whole record, log and contact details too: the receiving unit takes over.
        assert_eq!(v, sent);
    }
    // Exactly the officers the records name.
    let mut named: Vec<&str> = got
        .iter()
        .flat_map(|v| {
            v["allocated_to"].as_str().into_iter().chain(
                v["contacts"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|c| c["by"].as_str()),
            )
        })
        .collect();
    named.sort_unstable();
    named.dedup();
    let mut officers: Vec<&str> = file["officers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    officers.sort_unstable();
    assert_eq!(officers, named);

    // Another unit imports it as any caseload file, and holds exactly it.
    let other = Sandbox::new();
    other.vlu().arg("import").arg(&out).assert().success();
    assert_eq!(other.export(), text);
}

#[test]
fn export_case_with_transfer_to_marks_the_case_here_and_stops_its_reminders() {
    let s = Sandbox::with_sample();
    let (case, victims) = busiest_sample_case();
    // The diary has work for the case before it goes, none after.
    let diary = |s: &Sandbox| -> Vec<Value> {
        let out = s
            .vlu()
            .args(["diary", "--format", "json", "--days", "3650"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["items"].as_array().unwrap().clone()
    };
    let of_case = |items: &[Value]| {
        items
            .iter()
            .filter(|i| i["case_id"] == case.as_str())
            .count()
    };
    assert!(
        of_case(&diary(&s)) > 0,
        "the case has reminders before it goes"
    );

    let moved = s.root.path().join("moved.json");
    s.vlu()
        .args(["export", "--case", &case, "--transfer-to", "Southshire VLU"])
        .arg(&moved)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "marked transferred to Southshire VLU",
        ));
    // The file carries no mark: the receiving unit holds the case live.
    let moved: Value = serde_json::from_str(&std::fs::read_to_string(&moved).unwrap()).unwrap();
    assert!(moved["cases"][0].get("transferred").is_none());
    // Here the case and its victims stay, marked, with no reminders.
    let here: Value = serde_json::from_str(&s.export()).unwrap();
    let kept = here["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == case.as_str())
        .unwrap();
    assert_eq!(kept["transferred"]["to_area"], "Southshire VLU");
    assert!(kept["transferred"]["on"].is_string());
    let still = here["victims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["case_id"] == case.as_str())
        .count();
    assert_eq!(still, victims.len());
    assert_eq!(of_case(&diary(&s)), 0);

    // Twice is refused; so are a missing case, a blank area, and a transfer with no case.
    s.vlu()
        .args(["export", "--case", &case, "--transfer-to", "Eastshire"])
        .arg(s.root.path().join("again.json"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("transferred already"));
    s.vlu()
        .args(["export", "--case", "C-NONE"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("there is no case C-NONE"));
    s.vlu()
        .args(["export", "--case", &case, "--transfer-to", "  "])
        .assert()
        .code(2);
    s.vlu()
        .args(["export", "--transfer-to", "Eastshire"])
        .assert()
        .code(2);
    assert!(!s.root.path().join("again.json").exists());
}

#[test]
fn urgent_lists_each_escape_with_who_to_call_and_audits_every_number_shown() {
    let s = Sandbox::new();
    let mut unit: Value =
        serde_json::from_str(&std::fs::read_to_string(sample_path()).unwrap()).unwrap();
    let calm = s.vlu().arg("urgent").assert().code(2);
    assert!(stdout(&calm).is_empty());
    s.import_value(&unit);
    let out = s.vlu().arg("urgent").assert().success();
    assert_eq!(
        stdout(&out),
        "No escape or abscond is waiting to be told to a victim.\n"
    );
    // Stephen Voss absconds; Nadia Kowalska and her nominated representative's record.
    let case = unit["cases"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["id"] == "C-2019-112")
        .unwrap();
    case["key_dates"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({ "kind": "escape", "date": "2026-12-04" }));
    // Beth's officer spoke to the police liaison officer the same day.
    let beth = unit["victims"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|v| v["id"] == "V-0006")
        .unwrap();
    beth["tasks"] = serde_json::json!([{ "kind": "police_liaison", "opened_on": "2026-12-04",
                                         "done_on": "2026-12-04" }]);
    let file = s.file("escape.json", unit.to_string());
    s.vlu()
        .arg("import")
        .arg("--replace")
        .arg(file)
        .assert()
        .success();
    let out = s.vlu().arg("urgent").assert().success();
    let page = stdout(&out);
    assert!(
        page.starts_with(
            "ESCAPE OR ABSCOND on 4 Dec 2026 — case C-2019-112 (Stephen Voss): speak to the \
             police liaison officer first (is the offender caught, what may be said), then \
             call each victim now\n  Nadia Kowalska (V-0005) · victim · phone 07700 900105 · \
             officer Lorna McBride (lmcbride)\n    language: Polish, interpreter needed\n    \
             police liaison: not on record (a police_liaison task, the casework form, v)\n"
        ),
        "{page}"
    );
    assert!(page.contains("Beth Collins (V-0006)"), "{page}");
    assert!(
        page.contains("police liaison: spoken to on 4 Dec 2026"),
        "{page}"
    );
    // Every number shown is a reveal in the audit trail.
    let audit = stdout(&s.vlu().arg("audit").assert().success());
    for id in ["V-0005", "V-0006"] {
        assert!(
            audit
                .lines()
                .any(|l| l.contains("reveal-contact-details") && l.ends_with(id)),
            "{audit}"
        );
    }
    // Nadia is told: she leaves the page, Beth stays.
    s.vlu()
        .args([
            "log", "--victim", "V-0005", "--kind", "update", "--method", "phone",
        ])
        .args(["--direction", "outbound", "--key-date", "escape"])
        .assert()
        .success();
    let page = stdout(&s.vlu().arg("urgent").assert().success());
    assert!(
        !page.contains("V-0005") && page.contains("V-0006"),
        "{page}"
    );
}

#[test]
fn unwanted_contact_is_reported_with_who_it_went_to_and_the_report_chased() {
    let s = Sandbox::with_sample();
    let log = |args: &str| {
        s.vlu()
            .args(["log", "--victim", "V-0015"])
            .args(args.split(' '))
            .assert()
    };
    let kinds = |s: &Sandbox| -> Vec<(String, String)> {
        items_of(s, "V-0015", "2026-12-02")
            .into_iter()
            .filter(|(kind, _)| kind == "unwanted_contact_report" || kind == "risk_ack")
            .collect()
    };
    // Tuesday 1 December: the victim rings to say the offender wrote to her.
    log("--kind unwanted_contact --method phone --direction inbound --on 2026-12-01").success();
    assert_eq!(
        kinds(&s),
        [(
            "unwanted_contact_report".to_owned(),
            "2026-12-02".to_owned()
        )]
    );
    // Reported the next day, to the prison and the Responsible Officer; a name with an
    // escape code is refused and nothing is written.
    let report = |to: &str| {
        s.vlu()
            .args(["log", "--victim", "V-0015", "--kind", "risk_report"])
            .args([
                "--method",
                "email",
                "--direction",
                "internal",
                "--on",
                "2026-12-02",
            ])
            .args(["--to", to])
            .assert()
    };
    let refused = report("HMP Leeds\u{1b}[31m").code(2);
    assert!(
        String::from_utf8_lossy(&refused.get_output().stderr)
            .contains("to: contains the control character U+001B"),
        "{refused:?}"
    );
    // One report to each: the prison first, which alone does not end the item.
    report("HMP Leeds").success();
    let ack = |n| vec![("risk_ack".to_owned(), "2026-12-09".to_owned()); n];
    let mut open = vec![(
        "unwanted_contact_report".to_owned(),
        "2026-12-02".to_owned(),
    )];
    // Wednesday 2 December + 5 working days: Wednesday 9 December.
    open.extend(ack(1));
    assert_eq!(kinds(&s), open);
    report("Responsible Officer").success();
    assert_eq!(kinds(&s), ack(2));
    let v = exported_victim(&s, "V-0015");
    let sent: Vec<&Value> = v["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "risk_report")
        .map(|c| &c["to"])
        .collect();
    assert_eq!(sent, ["HMP Leeds", "Responsible Officer"]);
    // The prison answers, naming itself: the Responsible Officer's answer is still chased.
    let answer = |to: &str| {
        s.vlu()
            .args([
                "log", "--victim", "V-0015", "--kind", "agency", "--method", "email",
            ])
            .args(["--direction", "inbound", "--on", "2026-12-03", "--to", to])
            .assert()
            .success();
    };
    answer("hmp leeds");
    assert_eq!(kinds(&s), ack(1));
    answer("Responsible Officer");
    assert!(kinds(&s).is_empty());
}

/// Opting in through vlu opens the first personal contact, with its clock; the call that
/// makes it ends it. (An imported opt-in is history and opens nothing.)
#[test]
fn an_opt_in_logged_asks_for_the_first_call_until_it_is_made() {
    let s = Sandbox::with_sample();
    let tasks = |date: &str| -> Vec<Value> {
        diary_items(&s, "V-0018", date)
            .into_iter()
            .filter(|i| i["kind"] == "task")
            .collect()
    };
    assert!(tasks("2026-12-01").is_empty());
    s.vlu()
        .args([
            "log", "--victim", "V-0018", "--kind", "opt_in", "--method", "letter",
        ])
        .args(["--direction", "inbound", "--on", "2026-12-01"])
        .assert()
        .success();
    // Ten working days after Tuesday 1 December 2026: Tuesday 15 December.
    let open = tasks("2026-12-01");
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(open[0]["task"], "first_contact");
    assert_eq!(open[0]["due"], "2026-12-15");
    let audit = stdout(&s.vlu().arg("audit").assert().success());
    assert!(audit.contains("task first_contact opened"), "{audit}");
    s.vlu()
        .args([
            "log", "--victim", "V-0018", "--kind", "update", "--method", "phone",
        ])
        .args(["--direction", "outbound", "--on", "2026-12-03"])
        .assert()
        .success();
    assert!(tasks("2026-12-03").is_empty());
}

/// Output to a reader that has gone (`vlu check | head -1`, the pager closed) ends quietly:
/// no panic, no backtrace, and the command's own exit status.
#[test]
fn output_to_a_reader_that_has_gone_ends_quietly() {
    let s = Sandbox::with_sample();
    for args in [
        &["check"][..],
        &["urgent"],
        &["restore", "--list"],
        &["diary"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = s
            .process()
            .args(args)
            .env("RUST_BACKTRACE", "1")
            .stdout(writer)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(out.status.success(), "{args:?}: {err}");
    }
}
