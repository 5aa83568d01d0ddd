use serde_json::json;

use super::*;

fn minimal() -> Value {
    json!({
        "format": "vlu-caseload",
        "version": 1,
        "unit": { "name": "Northshire Victim Liaison Unit" },
        "officers": [ { "id": "sahmed", "name": "Sara Ahmed", "role": "vlo" } ],
        "cases": [ {
            "id": "C-1",
            "offender": { "name": "Daniel Reeve", "aliases": ["Danny Reeves"] },
            "offence": { "category": "violent" },
            "sentence": { "kind": "sds", "imposed_on": "2025-03-14" },
            "key_dates": [ { "kind": "crd", "date": "2028-03-13" } ]
        } ],
        "victims": [ {
            "id": "V-1", "case_id": "C-1", "name": "Joan Mercer", "role": "victim",
            "eligibility": "statutory", "referred_on": "2025-03-20", "status": "opted_in",
            "status_since": "2025-05-02", "allocated_to": "sahmed",
            "contact_details": { "address": "1 Any Street", "phone": "07700 900123", "email": null },
            "contacts": [ { "on": "2025-04-02", "at": "10:30", "kind": "initial_offer",
                            "method": "letter", "direction": "outbound", "by": "sahmed" } ]
        } ]
    })
}

/// [`super::parse_caseload`], with the quick read (`quick.rs`) asked the same of the file: it
/// finds the same problems and reads the same records, or gives up. Every test here holds it.
fn parse_caseload(text: &str, known: &KnownIds, replace: bool) -> Result<Caseload, Vec<Problem>> {
    let found = super::parse_caseload(text, known, replace);
    let body = text.strip_prefix('\u{feff}').unwrap_or(text).as_bytes();
    if let Some(quick) = check_caseload_quickly(body, known, replace) {
        assert_eq!(quick.err(), found.as_ref().err().cloned(), "{text}");
    }
    if let Ok(caseload) = &found {
        let (mut cases, mut victims) = (Vec::new(), Vec::new());
        let mut rest = read_records_quickly(body, &mut |incoming| {
            match incoming {
                Incoming::Case(c) => cases.push(c),
                Incoming::Victim(v) => victims.push(v),
            }
            Ok::<(), std::convert::Infallible>(())
        })
        .unwrap_or_else(|e| panic!("{e:?}: {text}"));
        rest.cases = cases;
        rest.victims = victims;
        assert_eq!(&rest, caseload);
    }
    found
}

#[test]
fn the_quick_read_takes_a_plain_file_however_it_is_laid_out() {
    let sample = include_str!("../../../sample-data/northshire.json");
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<Value>(sample).unwrap()).unwrap();
    let compact = minimal().to_string();
    let spaced = format!(
        " \n{}\r\n\t",
        compact.replace(',', " ,\n ").replace("\":", "\" :\t")
    );
    for text in [sample, &pretty, &compact, &spaced] {
        assert_eq!(
            check_caseload_quickly(text.as_bytes(), &KnownIds::default(), false),
            Some(Ok(())),
            "{text}"
        );
        assert!(parse_caseload(text, &KnownIds::default(), false).is_ok());
    }
    // Escaped quotes, backslashes and brackets in text do not end a record early.
    let mut v = minimal();
    v["victims"][0]["contacts"][0]["summary"] = json!("said \"no]}\" \\ then {[\\\"");
    let text = v.to_string();
    let read = parse_caseload(&text, &KnownIds::default(), false).unwrap();
    assert_eq!(
        read.victims[0].contacts[0].summary.as_deref(),
        Some("said \"no]}\" \\ then {[\\\"")
    );
    assert!(check_caseload_quickly(text.as_bytes(), &KnownIds::default(), false).is_some());
}

#[test]
fn the_quick_read_gives_up_on_what_is_not_plain() {
    let m = minimal().to_string();
    let gives_up = |text: &str| {
        assert_eq!(
            check_caseload_quickly(text.as_bytes(), &KnownIds::default(), false),
            None,
            "{text}"
        );
        // The stream read says what is wrong.
        assert!(parse_caseload(text, &KnownIds::default(), false).is_err());
    };
    gives_up("");
    gives_up("[1, 2]");
    gives_up(&m[..m.len() - 1]);
    gives_up(&format!("{m} x"));
    gives_up(&format!("{m}{{}}"));
    gives_up(&m.replacen("\"version\":1", "\"version\":1,\"version\":1", 1));
    gives_up(&m.replacen("\"victims\":[", "\"victims\":5,\"x\":[", 1));
    gives_up(&m.replacen("}]}", "}]]}", 1));
    gives_up(&m.replacen(",\"cases\"", ",,\"cases\"", 1));
}

fn problems(v: &Value) -> Vec<String> {
    problems_with(v, &KnownIds::default(), false)
}

fn problems_with(v: &Value, known: &KnownIds, replace: bool) -> Vec<String> {
    match parse_caseload(&v.to_string(), known, replace) {
        Ok(_) => Vec::new(),
        Err(ps) => ps.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn a_valid_file_reads() {
    let c = parse_caseload(&minimal().to_string(), &KnownIds::default(), false).unwrap();
    assert_eq!(c.victims[0].contacts.len(), 1);
    assert_eq!(c.cases[0].offender.aliases, ["Danny Reeves"]);
}

#[test]
fn nulls_and_omitted_lists_are_empty() {
    let mut v = minimal();
    v["cases"][0]["key_dates"] = Value::Null;
    v["victims"][0]["contacts"] = Value::Null;
    v["officers"] = Value::Null;
    v["victims"][0]["allocated_to"] = Value::Null;
    v["victims"][0]["contacts"] = json!([]);
    let c = parse_caseload(&v.to_string(), &KnownIds::default(), false).unwrap();
    assert!(c.cases[0].key_dates.is_empty());
    assert!(c.officers.is_empty());
}

#[test]
fn an_outcome_received_names_its_key_date() {
    let mut v = minimal();
    v["victims"][0]["contacts"][0] = json!({ "on": "2026-12-04", "kind": "outcome",
        "method": "email", "direction": "internal" });
    assert_eq!(
        problems(&v),
        [
            "victims[0].contacts[0].key_date: an outcome names the key date it is the outcome of (parole_hearing, appeal, …)"
        ]
    );
    v["victims"][0]["contacts"][0]["key_date"] = json!("parole_hearing");
    assert!(problems(&v).is_empty());
}

#[test]
fn a_referral_is_never_a_contact_sent_to_the_victim() {
    let mut v = minimal();
    v["victims"][0]["contacts"][0] = json!({ "on": "2026-12-04", "kind": "referral",
        "method": "email", "direction": "outbound", "to": "Victim Support" });
    assert_eq!(
        problems(&v),
        [
            "victims[0].contacts[0].direction: a referral goes to a service, not to the victim: internal (or inbound, if the victim asked for it)"
        ]
    );
    v["victims"][0]["contacts"][0]["direction"] = json!("internal");
    assert!(problems(&v).is_empty());
}

#[test]
fn an_impossible_date_is_named_with_its_path() {
    let mut v = minimal();
    v["victims"][0]["contacts"][0]["on"] = json!("2025-02-30");
    assert_eq!(
        problems(&v),
        ["victims[0].contacts[0].on: invalid date \"2025-02-30\" (expected YYYY-MM-DD)"]
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let mut v = minimal();
    v["victims"][0]["contacts"][0]["on"] = json!("2025-13-01");
    v["victims"][0]["status"] = json!("opted-in");
    v["victims"][0]["nickname"] = json!("Jo");
    v["cases"][0]["sentence"]["imposed_on"] = Value::Null;
    v["cases"][0]["key_dates"][0]["date"] = json!("2101-01-01");
    v["victims"][0]["case_id"] = json!("C-404");
    let found = problems(&v);
    assert_eq!(found.len(), 6, "{found:#?}");
    for expected in [
        "victims[0].contacts[0].on: invalid date",
        "victims[0].status: unknown value \"opted-in\"",
        "victims[0].nickname: unknown field",
        "cases[0].sentence.imposed_on: missing required field",
        "cases[0].key_dates[0].date: date \"2101-01-01\" is outside",
        "victims[0].case_id: no case \"C-404\"",
    ] {
        assert!(
            found.iter().any(|p| p.starts_with(expected)),
            "{expected} not in {found:#?}"
        );
    }
}

#[test]
fn escape_codes_in_a_name_are_refused() {
    let mut v = minimal();
    v["victims"][0]["name"] = json!("Joan\u{1b}[2J Mercer");
    assert_eq!(
        problems(&v),
        ["victims[0].name: contains the control character U+001B; only plain text is allowed"]
    );
}

#[test]
fn a_bad_phone_number_is_refused_without_repeating_it() {
    let mut v = minimal();
    v["victims"][0]["contact_details"]["phone"] = json!("07700\u{7} 900123");
    v["victims"][0]["contact_details"]["address"] = json!(12);
    let found = problems(&v).join("\n");
    assert!(found.contains("victims[0].contact_details.phone"));
    assert!(found.contains("victims[0].contact_details.address: expected text"));
    assert!(!found.contains("900123"), "{found}");
}

#[test]
fn ids_must_be_unique_and_references_resolve() {
    let mut v = minimal();
    let victim = v["victims"][0].clone();
    v["victims"].as_array_mut().unwrap().push(victim);
    v["victims"][0]["contacts"][0]["by"] = json!("nobody");
    let found = problems(&v);
    assert!(found.contains(
        &"victims[1].id: victim id \"V-1\" appears twice (first at victims[0].id)".to_owned()
    ));
    assert!(found.contains(
        &"victims[0].contacts[0].by: no officer \"nobody\" in the file or the store".to_owned()
    ));
}

#[test]
fn status_since_may_not_precede_referral() {
    let mut v = minimal();
    v["victims"][0]["status_since"] = json!("2025-03-19");
    assert_eq!(
        problems(&v),
        ["victims[0].status_since: status_since 2025-03-19 is before referred_on 2025-03-20"]
    );
}

#[test]
fn ids_in_the_store_clash_unless_replacing_and_resolve_references() {
    let mut known = KnownIds::default();
    known.victims.insert("V-1".into());
    known.cases.insert("C-OLD".into());
    let mut v = minimal();
    v["victims"][0]["case_id"] = json!("C-OLD");
    assert_eq!(
        problems_with(&v, &known, false),
        ["victims[0].id: victim \"V-1\" is already in the store (use --replace to overwrite it)"]
    );
    assert!(problems_with(&v, &known, true).is_empty());
}

#[test]
fn shapes_times_numbers_and_the_header_are_checked() {
    let mut v = minimal();
    v["format"] = json!("something-else");
    v["version"] = json!(2);
    v["victims"][0]["contacts"][0]["at"] = json!("25:00");
    v["cases"][0]["mappa"] = json!({ "category": 7 });
    v["cases"][0]["offender"]["aliases"] = json!("Danny");
    v["officers"][0] = json!("sahmed");
    v["victims"][0]["id"] = json!("  ");
    let found = problems(&v);
    for expected in [
        "format: expected \"vlu-caseload\"",
        "version: unsupported version",
        "victims[0].contacts[0].at: invalid time \"25:00\"",
        "cases[0].mappa.category: expected a whole number from 1 to 4",
        "cases[0].offender.aliases: expected a list, found text",
        "officers[0]: expected an object, found text",
        "victims[0].id: must not be blank",
    ] {
        assert!(
            found.iter().any(|p| p.starts_with(expected)),
            "{expected} not in {found:#?}"
        );
    }
}

#[test]
fn not_json_is_one_clear_problem() {
    let found = parse_caseload("{\"format\": ", &KnownIds::default(), false).unwrap_err();
    assert_eq!(found.len(), 1);
    assert!(found[0].message.starts_with("the file is not valid JSON"));
}

#[test]
fn victims_are_read_one_by_one_with_the_same_report_in_the_same_order() {
    // Victims before cases in the file, a reference forward, problems in both: the report
    // follows the file format's order, not the file's.
    let v = minimal();
    let text = format!(
        r#"{{"victims": {}, "format": "vlu-caseload", "version": 1, "officers": {}, "cases": {}}}"#,
        v["victims"], v["officers"], v["cases"]
    );
    assert!(parse_caseload(&text, &KnownIds::default(), false).is_ok());
    let mut bad = minimal();
    bad["victims"][0]["referred_on"] = json!("2025-02-30");
    bad["cases"][0]["sentence"]["imposed_on"] = json!("2025-13-01");
    let text = format!(
        r#"{{"victims": {}, "format": "vlu-caseload", "version": 1, "officers": {}, "cases": {}}}"#,
        bad["victims"], bad["officers"], bad["cases"]
    );
    let found: Vec<String> = parse_caseload(&text, &KnownIds::default(), false)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("cases[0].sentence.imposed_on: invalid date"));
    assert!(found[1].starts_with("victims[0].referred_on: invalid date"));
}

#[test]
fn the_shape_of_the_top_level_and_of_the_victims_list_is_checked() {
    let one = |text: &str| -> Vec<String> {
        parse_caseload(text, &KnownIds::default(), false)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    assert_eq!(one("[1, 2]"), ["expected an object, found a list"]);
    let mut v = minimal();
    v["victims"] = json!(5);
    assert_eq!(problems(&v), ["victims: expected a list, found a number"]);
    v["victims"] = json!({"id": "V-1"});
    assert_eq!(problems(&v), ["victims: expected a list, found an object"]);
    v["victims"] = Value::Null;
    assert!(problems(&v).is_empty());
    let m = minimal();
    let twice = format!(
        r#"{{"format": "vlu-caseload", "version": 1, "officers": {}, "cases": {}, "victims": [], "victims": []}}"#,
        m["officers"], m["cases"]
    );
    assert_eq!(one(&twice), ["victims: the list of victims appears twice"]);
    assert!(
        one(r#"{"format": "vlu-caseload", "victims": [}"#)[0]
            .starts_with("the file is not valid JSON")
    );
}

#[test]
fn a_key_twice_in_one_object_is_refused_with_its_path() {
    let v = minimal().to_string();
    let twice = v.replacen(
        "\"name\":\"Joan Mercer\"",
        "\"name\":\"Joan Mercer\",\"name\":\"J\"",
        1,
    );
    let twice = twice.replacen("\"version\":1", "\"version\":1,\"version\":1", 1);
    let twice = twice.replacen(
        "\"category\":\"violent\"",
        "\"category\":\"violent\",\"category\":\"sexual\"",
        1,
    );
    assert_ne!(twice, v);
    let found: Vec<String> = parse_caseload(&twice, &KnownIds::default(), false)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        found,
        [
            "the field \"version\" appears twice",
            "cases[0].offence: the field \"category\" appears twice",
            "victims[0]: the field \"name\" appears twice",
        ]
    );
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_file() {
    let text = format!("\u{feff}{}", minimal());
    assert!(parse_caseload(&text, &KnownIds::default(), false).is_ok());
}

#[test]
fn an_unknown_key_that_is_not_a_name_is_not_repeated() {
    let mut v = minimal();
    v["victims"][0]["14 Cranmore Road, Leeds LS6 2AB"] = json!(true);
    v["victims"][0]["adress"] = json!("1 Any Street");
    let found = problems(&v);
    assert_eq!(
        found,
        [
            "victims[0]: unknown field (its name, 31 characters, is not a field name and is not repeated here)",
            "victims[0].adress: unknown field \"adress\"",
        ]
    );
}

#[test]
fn invisible_characters_are_refused_in_ids_and_kept_in_names() {
    for (c, code) in [
        ('\u{200b}', "200B"),
        ('\u{202e}', "202E"),
        ('\u{2028}', "2028"),
        ('\u{feff}', "FEFF"),
        ('\u{ad}', "00AD"),
    ] {
        let mut v = minimal();
        v["victims"][0]["id"] = json!(format!("V-{c}1"));
        assert_eq!(
            problems(&v),
            [format!(
                "victims[0].id: an id may not contain invisible characters (this one has U+{code}); retype it"
            )]
        );
        let mut v = minimal();
        v["victims"][0]["allocated_to"] = json!(format!("sahmed{c}"));
        assert!(
            problems(&v)[0].starts_with("victims[0].allocated_to: an id may not contain invisible")
        );
    }
    let mut v = minimal();
    v["victims"][0]["name"] = json!("Joan \u{202e}Mercer\u{200d}");
    assert!(problems(&v).is_empty());
}

#[test]
fn casework_sections_read_and_their_dates_are_real_and_in_order() {
    let mut v = minimal();
    v["victims"][0]["vps"] = json!({ "offered_on": "2027-06-01", "submitted_on": "2027-07-01",
        "non_disclosure_asked_on": "2027-07-01", "non_disclosure_decision": "granted",
        "non_disclosure_decided_on": "2027-08-01" });
    v["victims"][0]["complaints"] = json!([ { "received_on": "2026-03-02",
        "acknowledged_on": "2026-03-04", "answered_on": "2026-03-20", "outcome": "partly_upheld",
        "summary": "letter sent to the wrong name" } ]);
    v["victims"][0]["licence_requests"] = json!([ { "condition": "exclusion_zone",
        "requested_on": "2027-09-01", "submitted_on": "2027-09-08", "outcome": "granted",
        "outcome_on": "2027-10-01", "granted": "not to enter Leeds city centre",
        "map_file": "maps/V-1-zone.pdf" } ]);
    v["victims"][0]["moved_away"] = json!({ "on": "2028-01-10", "to": "Scotland" });
    v["cases"][0]["restricted_patient"] = json!({ "mhcs_registered_on": "2025-05-09",
        "tribunal_on": "2027-11-10", "representations_due": "2027-10-13" });
    v["cases"][0]["transferred"] = json!({ "on": "2028-02-01", "to_area": "Southshire VLU" });
    let c = parse_caseload(&v.to_string(), &KnownIds::default(), false).unwrap();
    assert_eq!(c.victims[0].complaints.len(), 1);
    assert_eq!(
        c.victims[0].licence_requests[0].map_file.as_deref(),
        Some("maps/V-1-zone.pdf")
    );
    assert!(c.cases[0].transferred.is_some());
    // What was read is written back the same (the sections are part of the records).
    let again: Value = serde_json::to_value(&c).unwrap();
    assert_eq!(again["victims"][0]["vps"], v["victims"][0]["vps"]);
    assert_eq!(
        again["cases"][0]["restricted_patient"],
        v["cases"][0]["restricted_patient"]
    );

    // Out of order, unreal, or missing what the rest answers.
    v["victims"][0]["vps"]["submitted_on"] = json!("2027-05-01");
    v["victims"][0]["vps"]["non_disclosure_asked_on"] = Value::Null;
    v["victims"][0]["complaints"][0]["acknowledged_on"] = json!("2026-02-30");
    v["victims"][0]["complaints"][0]["answered_on"] = Value::Null;
    v["victims"][0]["licence_requests"][0]["submitted_on"] = json!("2027-08-31");
    v["victims"][0]["moved_away"] = json!({ "to": "Spain" });
    v["cases"][0]["restricted_patient"]["representations_due"] = json!("2027-11-11");
    v["cases"][0]["transferred"]["to_area"] = json!(" ");
    v["cases"][0]["transferred"]["from"] = json!("here");
    assert_eq!(
        problems(&v),
        [
            "cases[0].restricted_patient.representations_due: representations_due 2027-11-11 is after tribunal_on 2027-11-10",
            "cases[0].transferred.from: unknown field \"from\"",
            "cases[0].transferred.to_area: must not be blank",
            "victims[0].licence_requests[0].submitted_on: submitted_on 2027-08-31 is before requested_on 2027-09-01",
            "victims[0].vps.submitted_on: submitted_on 2027-05-01 is before offered_on 2027-06-01",
            "victims[0].vps.non_disclosure_asked_on: is needed: a non-disclosure decision answers a request for one",
            "victims[0].complaints[0].acknowledged_on: invalid date \"2026-02-30\" (expected YYYY-MM-DD)",
            "victims[0].complaints[0].answered_on: is needed: an outcome is given with the answer",
            "victims[0].moved_away.on: missing required field",
        ]
    );
}

#[test]
fn a_risk_on_record_needs_its_reason_and_day_and_names_an_officer_of_the_unit() {
    let mut v = minimal();
    v["victims"][0]["risk"] = json!({ "reason": "ex-partner's brother watching the house", "recorded_on": "2026-11-20", "by": "sahmed" });
    let c = parse_caseload(&v.to_string(), &KnownIds::default(), false).unwrap();
    let risk = c.victims[0].risk.as_deref().unwrap();
    assert_eq!(risk.by.as_deref(), Some("sahmed"));
    let again: Value = serde_json::to_value(&c).unwrap();
    assert_eq!(again["victims"][0]["risk"], v["victims"][0]["risk"]);
    v["victims"][0]["risk"] = json!({ "reason": " ", "by": "nobody", "level": "high" });
    assert_eq!(
        problems(&v),
        [
            "victims[0].risk.level: unknown field \"level\"",
            "victims[0].risk.reason: must not be blank",
            "victims[0].risk.recorded_on: missing required field",
            "victims[0].risk.by: no officer \"nobody\" in the file or the store",
        ]
    );
}

#[test]
fn a_task_needs_its_kind_and_opening_day_and_keeps_its_dates_in_order() {
    let mut v = minimal();
    v["victims"][0]["tasks"] = json!([
        { "kind": "media_enquiry", "opened_on": "2026-11-20", "to": "press office" },
        { "kind": "survey", "opened_on": "2026-11-20", "done_on": "2026-12-01", "agreed": true,
          "outcome": "Found the letters clear." }
    ]);
    let c = parse_caseload(&v.to_string(), &KnownIds::default(), false).unwrap();
    assert_eq!(c.victims[0].tasks[1].agreed, Some(true));
    let again: Value = serde_json::to_value(&c).unwrap();
    assert_eq!(again["victims"][0]["tasks"], v["victims"][0]["tasks"]);
    v["victims"][0]["tasks"] = json!([
        { "kind": "press", "opened_on": "2026-11-20" },
        { "opened_on": "2026-11-20", "done_on": "2026-11-19", "by": "nobody" },
        { "kind": "media_enquiry", "opened_on": "2026-11-20", "due_on": "2026-11-01",
          "agreed": false, "key_date": "crd" }
    ]);
    assert_eq!(
        problems(&v),
        [
            "victims[0].tasks[0].kind: unknown value \"press\" (expected one of: \
             mappa_contribution, case_conference, media_enquiry, views_sought, survey, \
             sfo_report, hospital_handover, mhcs_views, police_liaison, disclosure_decision, \
             meeting_notes, licence_variation, vps_risk, vps_support, first_contact, \
             sonr_explain, policy_consultation)",
            "victims[0].tasks[1].kind: missing required field",
            "victims[0].tasks[1].done_on: done_on 2026-11-19 is before opened_on 2026-11-20",
            "victims[0].tasks[2].due_on: due_on 2026-11-01 is before opened_on 2026-11-20",
            "victims[0].tasks[2].agreed: a media enquiry has no yes-or-no answer",
            "victims[0].tasks[1].by: no officer \"nobody\" in the file or the store",
        ]
    );
}

#[test]
fn a_discretionary_decision_names_its_day_and_officer_and_a_refusal_its_reason() {
    let mut v = minimal();
    v["victims"][0]["discretionary"] = json!({ "decision": "accepted", "decided_on": "2026-11-10",
        "by": "sahmed", "ground": "Sister of a victim of a nine-month sentence for assault" });
    let c = parse_caseload(&v.to_string(), &KnownIds::default(), false).unwrap();
    assert!(c.victims[0].discretionary_decided().is_some());
    v["victims"][0]["discretionary"] = json!({ "decision": "refused" });
    assert_eq!(
        problems(&v),
        [
            "victims[0].discretionary.decided_on: is needed: a decision is made on a day",
            "victims[0].discretionary.by: is needed: a decision names the officer who made it",
            "victims[0].discretionary.reason: is needed: a refusal says why",
        ]
    );
}

/// A large file names its officers in every contact (1.2 million times at 100,000 victims):
/// the check keeps no reference to one already declared, so what it keeps does not grow with
/// the contacts. Declared later (the victims first), they are kept and resolved as before.
#[test]
fn references_to_what_the_file_declared_earlier_are_not_kept() {
    let unit = crate::generate::generate(200, 3, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
    let contacts: usize = unit.victims.iter().map(|v| v.contacts.len()).sum();
    assert!(contacts > 1_000, "{contacts}");
    let text = serde_json::to_string(&unit).unwrap();
    // Read as a stream and read quickly, the same.
    let walks = |text: &str| {
        let streamed = walked(|each| {
            stream::read(
                serde_json::Deserializer::from_str(text),
                stream::AsJson,
                each,
            )
        })
        .unwrap();
        let quickly = walked(|each| quick::read(text.as_bytes(), stream::AsJson, each)).unwrap();
        assert_eq!(quickly.refs, streamed.refs);
        assert_eq!(quickly.ids, streamed.ids);
        streamed
    };
    let first = walks(&text);
    assert!(first.problems.is_empty(), "{:?}", first.problems);
    assert!(first.refs.is_empty(), "{} kept", first.refs.len());
    // The victims before the officers and the cases: every reference kept, and resolved.
    let mut value: Value = serde_json::from_str(&text).unwrap();
    let object = value.as_object_mut().unwrap();
    let victims = object.shift_remove("victims").unwrap();
    let mut reordered = Map::new();
    reordered.insert("victims".into(), victims);
    reordered.extend(std::mem::take(object));
    let text = Value::Object(reordered).to_string();
    let later = walks(&text);
    assert!(later.refs.len() > contacts, "{} kept", later.refs.len());
    assert!(parse_caseload(&text, &KnownIds::default(), false).is_ok());
}

proptest::proptest! {
    /// The walker's own reading of a date and a time answers as chrono's does.
    #[test]
    fn dates_and_times_are_read_as_chrono_reads_them(
        date in "[0-9+ -]{4}-[0-9 ]{2}-[0-9 +]{2}|[0-9]{4}-[0-1][0-9]-[0-3][0-9]",
        time in "[0-9 +]{2}:[0-9 ]{2}|[0-2][0-9]:[0-6][0-9]",
    ) {
        proptest::prop_assert_eq!(ymd(&date), NaiveDate::parse_from_str(&date, "%Y-%m-%d").ok());
        proptest::prop_assert_eq!(hm(&time), NaiveTime::parse_from_str(&time, "%H:%M").is_ok());
    }
}
