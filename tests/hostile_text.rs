//! Text from a file or a damaged store that would fool a terminal or a reader: control
//! sequences, invisible characters, contact details in error messages (issue 8, items 5, 6,
//! 10 and 11). Each test runs the real binary and reads what a person would see.

mod common;

use common::{Sandbox, minimal};
use serde_json::json;

fn stderr(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

fn stdout(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// Nothing a terminal would act on or hide: no control character but newline, and nothing
/// invisible.
fn assert_inert(what: &str, text: &str) {
    let bad = text
        .chars()
        .find(|&c| (c.is_control() && c != '\n') || vlu::domain::text::is_invisible(c));
    assert!(
        bad.is_none(),
        "{what}: {bad:?} reaches the terminal in\n{text}"
    );
}

#[test]
fn an_unknown_key_cannot_write_to_the_terminal() {
    let s = Sandbox::new();
    let file = s.file(
        "evil.json",
        r#"{"format":"vlu-caseload","version":1,"\u001b]52;c;cHduZWQ=\u0007":1}"#,
    );
    let out = s.vlu().arg("import").arg(&file).assert().code(2);
    let err = stderr(&out);
    assert_inert("import", &err);
    assert!(err.contains("unknown field"), "{err}");
}

#[test]
fn keymap_check_cannot_write_to_the_terminal() {
    let s = Sandbox::new();
    let file = s.file(
        "evil.toml",
        "[\"\\u001b[2J\"]\n\"q\" = \"quit\"\n[global]\n\"\\u001b]52;c;eA==\\u0007\" = \"quit\"\n\"x\" = \"\\u001b[31mred\"\n\"y\" = \"\\u202ehelp\"\n",
    );
    let err = keymap_refused(&s, &file);
    assert_inert("keymap check", &err);
    assert!(err.contains("unknown section"), "{err}");
    assert!(err.contains("unknown action"), "{err}");
    assert!(err.contains("<U+202E>help"), "{err}");
}

#[test]
fn keymap_check_says_what_the_file_is_and_what_to_do() {
    let s = Sandbox::new();
    let file = s.file(
        "mine.toml",
        "[global]\n\"q\" = \"quit\"\n\"x\" = { action = \"help\", descr = \"typo\" }\n\"y\" = 3\n",
    );
    let err = keymap_refused(&s, &file);
    let last = err.lines().last().unwrap();
    assert!(!err.contains("imported"), "{err}");
    assert!(!err.contains("untagged"), "{err}");
    assert!(last.contains("2 problems in the keymap"), "{last}");
    assert!(last.contains("mine.toml"), "{last}");
    assert!(err.contains("line 3: x: unknown field \"descr\""), "{err}");
    // A keymap that leaves no way to quit is not sound.
    let file = s.file(
        "noquit.toml",
        "[global]\n\"q\" = \"none\"\n\"ctrl-c\" = \"none\"\n",
    );
    let out = s
        .vlu()
        .args(["keymap", "check"])
        .arg(&file)
        .assert()
        .code(2);
    assert!(stderr(&out).contains("no key in [global] quits vlu"));
    let out = s
        .vlu()
        .args(["keymap", "check"])
        .arg(s.file("ok.toml", "[diary]\n\"S\" = \"snooze\"\n"))
        .assert()
        .success();
    assert!(stdout(&out).contains("is a sound keymap"));
}

/// Writes `value` as the stored record of victim `id`, as a damaged store might hold it.
fn damage_victim(s: &Sandbox, id: &str, edit: impl FnOnce(&mut serde_json::Value)) {
    let db = sled::open(s.data_dir().join("db")).unwrap();
    let key = [b"v\0".as_slice(), id.as_bytes()].concat();
    let mut record: serde_json::Value =
        serde_json::from_slice(&db.get(&key).unwrap().unwrap()).unwrap();
    edit(&mut record);
    db.insert(key, serde_json::to_vec(&record).unwrap())
        .unwrap();
    db.flush().unwrap();
}

#[test]
fn a_damaged_record_is_named_but_its_contents_never_shown() {
    let s = Sandbox::new();
    s.import_value(&minimal());
    let address = "1 Fictional Row, Northtown NS1 1AA";
    damage_victim(&s, "V-1", |v| v["contact_details"] = json!(address));
    for command in ["check", "export"] {
        let out = s.vlu().arg(command).assert().code(1);
        let err = stderr(&out);
        assert!(!err.contains("Fictional"), "{command}: {err}");
        assert!(err.contains("v/V-1"), "{command}: {err}");
        assert!(
            err.contains("invalid type at line 1 column"),
            "{command}: {err}"
        );
    }
    // The screens, on merely selecting the victim.
    let store = s.store_as("tester");
    let digest = store.load_digest().unwrap();
    let mut app = vlu::tui::app::App::new(vlu::tui::app::Setup {
        facts: Some(digest.facts),
        ..vlu::tui::app::Setup::new(digest.caseload, common::screens::anchor(), "sahmed")
    });
    while app.record_needed() != Some("V-1") {
        assert!(app.record_needed().is_some(), "V-1 is never selected");
        common::screens::press(&mut app, "down");
        vlu::tui::run::load_records(&store, &mut app);
    }
    vlu::tui::run::load_records(&store, &mut app);
    let message = app.screen().message.clone().unwrap_or_default();
    assert!(message.contains("V-1"), "{message}");
    assert!(!message.contains("Fictional"), "{message}");
}

#[test]
fn an_address_as_an_unknown_key_is_not_echoed() {
    let s = Sandbox::new();
    let mut v = minimal();
    v["victims"][0]["contact_details"]["14 Cranmore Road, Leeds LS6 2AB"] = json!(null);
    let out = s
        .vlu()
        .arg("import")
        .arg(s.file("bad.json", v.to_string()))
        .assert()
        .code(2);
    let err = stderr(&out);
    assert!(!err.contains("Cranmore"), "{err}");
    assert!(
        err.contains("victims[0].contact_details: unknown field (its name, 31 characters"),
        "{err}"
    );
}

#[test]
fn a_key_twice_in_one_object_is_refused() {
    let s = Sandbox::new();
    let text = minimal().to_string().replacen(
        "\"status\":\"referred\"",
        "\"status\":\"referred\",\"status\":\"declined\"",
        1,
    );
    let out = s
        .vlu()
        .arg("import")
        .arg(s.file("twice.json", text))
        .assert()
        .code(2);
    let err = stderr(&out);
    assert!(
        err.contains("victims[0]: the field \"status\" appears twice"),
        "{err}"
    );
    assert!(!s.data_dir().exists(), "nothing was written");
}

#[test]
fn an_invisible_character_in_an_id_is_refused() {
    let s = Sandbox::new();
    let mut v = minimal();
    v["victims"][1]["id"] = json!("V-\u{200b}1");
    let out = s
        .vlu()
        .arg("import")
        .arg(s.file("zw.json", v.to_string()))
        .assert()
        .code(2);
    let err = stderr(&out);
    assert_inert("import", &err);
    assert!(
        err.contains(
            "victims[1].id: an id may not contain invisible characters (this one has U+200B)"
        ),
        "{err}"
    );
}

#[test]
fn a_byte_order_mark_is_accepted_and_standard_input_is_named() {
    let s = Sandbox::new();
    let with_bom = format!("\u{feff}{}", minimal());
    s.vlu()
        .arg("import")
        .arg(s.file("bom.json", with_bom))
        .assert()
        .success();
    let out = s
        .vlu()
        .args(["import", "-"])
        .write_stdin("{\"format\": 1")
        .assert()
        .code(2);
    let err = stderr(&out);
    let last = err.lines().last().unwrap();
    assert!(last.contains("in standard input;"), "{err}");
    assert!(!last.contains(" - "), "{err}");
}

/// `vlu keymap check FILE`, which must refuse the file (exit 2): what it said.
fn keymap_refused(s: &Sandbox, file: &std::path::Path) -> String {
    let out = s.vlu().args(["keymap", "check"]).arg(file).assert().code(2);
    stderr(&out)
}
