//! A sheet as a unit's case system exports it, brought in through `vlu import-table
//! --suggest`: a title above the headers, first names and surnames in columns of their own,
//! the case's CRN, an opt-in question and the person's relationship; then the diary of
//! victims who came with no contact log.

mod common;

use common::Sandbox;
use serde_json::Value;

/// Row 1 is the export's title; the headers are on row 2.
const EXPORTED: &str = "Northshire VLU caseload \u{2014} exported 3 Nov,,,,,,,,,,\r\n\
    Ref,Surname,Forename,CRN,Opt in?,Relationship,Date referred,Offender,Sentenced,Sentence,Offence category\r\n\
    V-1,Lee,Ann,X123456,Yes,Victim,14/03/2025,Dan Reeve,01/03/2025,SDS,violent\r\n\
    V-2,Diaz,,X123456,No,Mother,15/03/2025,Dan Reeve,01/03/2025,SDS,violent\r\n";

fn suggestion(s: &Sandbox, sheet: &str) -> String {
    let path = s.file("caseload.csv", sheet);
    let out = s
        .vlu()
        .args(["import-table", "--suggest"])
        .arg(path)
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn a_title_above_the_headers_is_passed_over_and_the_header_row_is_said() {
    let s = Sandbox::new();
    let text = suggestion(&s, EXPORTED);
    assert!(text.contains("The headers are in row 2."), "{text}");
    assert!(text.contains("\nheader_row = 2\n"), "{text}");
    assert!(
        text.contains("\"victim.referred_on\" = \"Date referred\""),
        "{text}"
    );
    assert!(!text.contains("exported 3 Nov"), "{text}");
}

#[test]
fn a_case_systems_headers_name_their_fields() {
    let s = Sandbox::new();
    let text = suggestion(&s, EXPORTED);
    for line in [
        "\"case.id\" = \"CRN\"",
        "\"victim.status\" = \"Opt in?\"",
        "\"victim.role\" = \"Relationship\"",
        "\"Yes\" = \"opted_in\"",
    ] {
        assert!(text.contains(line), "{line} in:\n{text}");
    }
    let variants = "Last name,First name,Case reference number,OPTED-IN,Relationship to offender\r\n\
                    Lee,Ann,X1,yes,Partner\r\n";
    let text = suggestion(&s, variants);
    for line in [
        "\"case.id\" = \"Case reference number\"",
        "\"victim.status\" = \"OPTED-IN\"",
        "\"victim.role\" = \"Relationship to offender\"",
    ] {
        assert!(text.contains(line), "{line} in:\n{text}");
    }
}

#[test]
fn forenames_and_surnames_are_joined_into_the_name() {
    let s = Sandbox::new();
    let text = suggestion(&s, EXPORTED);
    assert!(
        text.contains("\"victim.name\" = [\"Forename\", \"Surname\"]"),
        "{text}"
    );
    let map = s.file(
        "map.toml",
        text.replace("\"No\" = \"\"", "\"No\" = \"declined\"")
            .replace("\"Mother\" = \"\"", "\"Mother\" = \"parent_carer\""),
    );
    s.vlu()
        .arg("import-table")
        .arg(s.root.path().join("caseload.csv"))
        .arg("--map")
        .arg(map)
        .assert()
        .success();
    let exported: Value = serde_json::from_str(&s.export()).unwrap();
    let names: Vec<&str> = exported["victims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ann Lee", "Diaz"], "an empty part is left out");
}

#[test]
fn the_diary_of_victims_from_a_sheet_says_referred_on_and_never_a_contact() {
    let s = Sandbox::new();
    let sheet = "Ref,Name,Case,Status,Referred on,Offender,Sentenced,Sentence,Offence category\r\n\
                 V-1,Ann Lee,C-1,Opted in,14/03/2025,Dan Reeve,01/03/2025,SDS,violent\r\n\
                 V-2,Bo Diaz,C-1,Offer sent,15/03/2025,Dan Reeve,01/03/2025,SDS,violent\r\n";
    let text = suggestion(&s, sheet);
    let map = s.file("map.toml", text);
    s.vlu()
        .arg("import-table")
        .arg(s.root.path().join("caseload.csv"))
        .arg("--map")
        .arg(map)
        .assert()
        .success();
    let out = s
        .vlu()
        .args(["diary", "--date", "2026-06-01", "--days", "0"])
        .assert()
        .success();
    let diary = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        diary.contains("Send the annual letter (referred on 14 Mar 2025; no contact logged)"),
        "{diary}"
    );
    assert!(
        diary.contains("Send a second offer (referred on 15 Mar 2025; no first offer logged)"),
        "{diary}"
    );
    assert!(
        !diary.contains("last contact") && !diary.contains("first offer 15"),
        "{diary}"
    );
}
