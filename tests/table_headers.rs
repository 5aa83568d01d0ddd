//! A sheet as a unit's case system exports it, brought in through `vlu import-table
//! --suggest`: a title above the headers, first names and surnames in columns of their own,
//! the case's CRN, an opt-in question and the person's relationship; then the diary of
//! victims who came with no contact log.

mod common;

use common::Sandbox;

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
