//! `vlu diary --format ics` read back by a real iCalendar parser: one UID per reminder, never
//! shared and the same from one diary to the next; no text from a victim's record; free
//! time; vlu's own product id.

mod common;

use std::collections::HashSet;

use common::Sandbox;
use serde_json::json;

/// One opted-in victim whose record gives look-alike reminders: two licence requests
/// decided on the same day, two calls on the same day (each wanting a letter), and a
/// sensitive date whose label names a person, right by the reminders' due dates.
fn caseload() -> serde_json::Value {
    json!({
        "format": "vlu-caseload", "version": 1,
        "officers": [ { "id": "sahmed", "name": "Sara Ahmed", "role": "vlo" } ],
        "cases": [ {
            "id": "C-7",
            "offender": { "name": "Daniel Reeve" },
            "offence": { "category": "violent" },
            "sentence": { "kind": "sds", "imposed_on": "2025-03-14" },
            "key_dates": [ { "kind": "crd", "date": "2028-03-13" } ]
        } ],
        "victims": [ {
            "id": "V-7", "case_id": "C-7", "name": "Joan Mercer", "role": "victim",
            "eligibility": "statutory", "referred_on": "2025-03-20", "status": "opted_in",
            "status_since": "2025-05-02", "allocated_to": "sahmed",
            "preferences": { "information": "key_stages" },
            "licence_requests": [
                { "condition": "no_contact", "requested_on": "2026-09-01",
                  "outcome": "granted", "outcome_on": "2026-11-16" },
                { "condition": "exclusion_zone", "details": "Northtown centre",
                  "requested_on": "2026-09-01", "outcome": "refused", "outcome_on": "2026-11-16" }
            ],
            "sensitive_dates": [
                { "date": "2019-11-23", "label": "anniversary of John's death", "yearly": true }
            ],
            "contacts": [
                { "on": "2026-11-17", "at": "09:00", "kind": "update", "method": "phone", "direction": "outbound" },
                { "on": "2026-11-17", "at": "15:00", "kind": "update", "method": "phone", "direction": "outbound" }
            ]
        } ]
    })
}

/// Every physical line ends in CRLF and is at most 75 octets without it (RFC 5545 §3.1), and
/// a fold never splits a UTF-8 character (each line is UTF-8 on its own).
fn assert_lines_fit(text: &str) {
    assert!(text.ends_with("\r\n"), "{text}");
    let bytes = text.as_bytes();
    let mut lines = 0;
    for line in bytes.split(|b| *b == b'\n') {
        if line.is_empty() {
            continue;
        }
        let line = line.strip_suffix(b"\r").expect("every line ends in CRLF");
        assert!(
            line.len() <= 75,
            "{} octets: {}",
            line.len(),
            String::from_utf8_lossy(line)
        );
        assert!(
            std::str::from_utf8(line).is_ok(),
            "a fold split a character"
        );
        lines += 1;
    }
    assert!(lines > 10);
}

struct Parsed {
    text: String,
    uids: Vec<String>,
}

fn diary_ics(s: &Sandbox, date: &str) -> Parsed {
    let out = s
        .vlu()
        .args(["diary", "--date", date, "--days", "3650", "--format", "ics"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_lines_fit(&text);
    let unfolded = icalendar::parser::unfold(&text);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar file");
    let prodid = calendar
        .properties
        .iter()
        .find(|p| p.name == "PRODID")
        .map(|p| p.val.to_string());
    assert_eq!(
        prodid.as_deref(),
        Some(concat!(
            "-//vlu//vlu diary ",
            env!("CARGO_PKG_VERSION"),
            "//EN"
        )),
        "vlu's own PRODID"
    );
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    let mut uids = Vec::new();
    for e in &events {
        let value = |name: &str| {
            e.properties
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.val.to_string())
        };
        assert_eq!(value("TRANSP").as_deref(), Some("TRANSPARENT"), "free time");
        assert_eq!(value("CLASS").as_deref(), Some("PRIVATE"), "private");
        uids.push(value("UID").expect("every event has a UID"));
    }
    Parsed { text, uids }
}

#[test]
fn every_reminder_has_its_own_stable_uid_and_no_label_travels() {
    let s = Sandbox::new();
    s.import_value(&caseload());
    let first = diary_ics(&s, "2026-11-24");
    // Two licence outcomes and two follow-ups alike in all but their source, an annual
    // letter, a key date, licence conditions, ...
    assert!(first.uids.len() >= 6, "{}", first.text);
    let distinct: HashSet<&String> = first.uids.iter().collect();
    assert_eq!(
        distinct.len(),
        first.uids.len(),
        "UIDs never collide: {:?}",
        first.uids
    );
    for uid in &first.uids {
        let (hash, domain) = uid.split_once('@').unwrap();
        assert_eq!(domain, "vlu");
        assert!(
            hash.len() == 32 && hash.chars().all(|c| c.is_ascii_hexdigit()),
            "{uid}"
        );
        assert!(!uid.contains("V-7"), "the UID names no victim: {uid}");
    }
    // The flagged reminders say only that they are near a sensitive date.
    let unfolded = icalendar::parser::unfold(&first.text);
    assert!(unfolded.contains("sensitive date"), "{unfolded}");
    for secret in [
        "John",
        "death",
        "anniversary",
        "Joan",
        "Mercer",
        "Northtown",
    ] {
        assert!(!unfolded.contains(secret), "{secret} in the calendar");
    }
    // The next day's diary (and a second run) gives each reminder the UID it had.
    let again = diary_ics(&s, "2026-11-24");
    assert_eq!(again.uids, first.uids);
    let next_day = diary_ics(&s, "2026-11-25");
    let before: HashSet<&String> = first.uids.iter().collect();
    let after: HashSet<&String> = next_day.uids.iter().collect();
    assert_eq!(before, after, "the same reminders keep their UIDs");
}

#[test]
fn lines_fold_at_75_octets_between_characters_and_every_event_is_private() {
    // The sample unit's diary had lines of 76 octets; ids of two-octet letters fold where a
    // character count would not.
    let s = Sandbox::new();
    s.vlu()
        .arg("import")
        .arg(common::sample_path())
        .assert()
        .success();
    let sample = diary_ics(&s, "2026-11-24");
    assert!(sample.uids.len() > 20);
    let s = Sandbox::new();
    let mut unit = caseload();
    let officer = "ØØØØØØØØØØØØØØØØØØØØØØØØØØØØØØØØØØØØØØØØ";
    unit["officers"][0]["id"] = json!(officer);
    unit["victims"][0]["allocated_to"] = json!(officer);
    s.import_value(&unit);
    let parsed = diary_ics(&s, "2026-11-24");
    let unfolded = icalendar::parser::unfold(&parsed.text);
    assert!(
        unfolded.contains(&format!("officer {officer}")),
        "{unfolded}"
    );
    assert!(
        parsed.text.lines().any(|l| l.len() >= 74 && !l.is_ascii()),
        "a line of two-octet letters filled to the limit: {}",
        parsed.text
    );
}
