//! The long commands' progress and closing lines: a bar only on a terminal, never in a pipe
//! or a file; then one line on stderr saying what was done, as `vlu import` says it.

mod common;

use common::Sandbox;

fn stderr(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

/// No bar was drawn: no carriage return and no escape sequence.
fn no_progress(said: &str) {
    assert!(!said.contains('\r') && !said.contains('\u{1b}'), "{said:?}");
}

#[test]
fn an_export_says_what_it_wrote_and_where_on_stderr_alone() {
    let s = Sandbox::with_sample();
    let file = s.root.path().join("caseload.json");
    let out = s.vlu().arg("export").arg(&file).assert().success();
    assert_eq!(
        stderr(&out),
        format!("Exported 45 victims to {}.\n", file.display())
    );
    let out = s.vlu().arg("export").assert().success();
    assert_eq!(stderr(&out), "Exported 45 victims to standard output.\n");
    let written: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(written["victims"].as_array().unwrap().len(), 45);

    let sheet = s.root.path().join("diary.csv");
    let out = s
        .vlu()
        .args(["export", "--format", "csv", "--what", "diary"])
        .args(["--date", "2026-11-24", "--days", "0"])
        .arg(&sheet)
        .assert()
        .success();
    let rows = std::fs::read_to_string(&sheet).unwrap().lines().count() - 1;
    assert_eq!(
        stderr(&out),
        format!("Exported {rows} reminders to {}.\n", sheet.display())
    );
    let out = s
        .vlu()
        .args(["export", "--case", "C-2024-031"])
        .assert()
        .success();
    assert!(
        stderr(&out).starts_with("Exported case C-2024-031 with 1 victim to standard output."),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_sheet_import_in_a_pipe_shows_no_progress_and_ends_as_an_import_does() {
    let s = Sandbox::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/spreadsheet");
    let out = s
        .vlu()
        .arg("import-table")
        .arg(dir.join("victims.csv"))
        .arg("--map")
        .arg(dir.join("mapping.toml"))
        .assert()
        .success();
    let said = stderr(&out);
    no_progress(&said);
    assert!(
        said.contains("\nImported 3 officers, 7 cases, 10 victims"),
        "{said}"
    );
    let out = s.vlu().arg("export").assert().success();
    no_progress(&stderr(&out));
}
