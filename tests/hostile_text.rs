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
    let out = s
        .vlu()
        .args(["keymap", "check"])
        .arg(&file)
        .assert()
        .code(2);
    let err = stderr(&out);
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
    let out = s
        .vlu()
        .args(["keymap", "check"])
        .arg(&file)
        .assert()
        .code(2);
    let err = stderr(&out);
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
