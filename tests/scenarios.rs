//! Hand-made scenarios: a small caseload, a date, and the diary a VLO would expect, worked
//! out by hand from FORMAT.md §3 and checked against the real binary (import, then
//! `diary --format json`). Each file in tests/scenarios/ says what it is about.

mod common;

use common::Sandbox;
use serde_json::Value;

#[test]
fn every_scenario_gives_the_expected_diary() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 5);
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let scenario: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let s = Sandbox::new();
        s.import_value(&scenario["caseload"]);
        let date = scenario["date"].as_str().unwrap();
        let days = scenario["days"].to_string();
        let out = s
            .vlu()
            .args(["diary", "--format", "json", "--date", date, "--days", &days])
            .assert()
            .success();
        let diary: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        assert_eq!(
            diary["items"], scenario["expect"],
            "{name}: {}",
            scenario["about"]
        );
    }
}
