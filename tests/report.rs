//! `vlu report`: the monitoring return from the command line, through the unit service.
//! (Every figure is worked out by hand in `src/domain/report/tests.rs`; here, what the
//! command says, in its three forms, who may ask, and that asking is recorded.)

mod common;

use std::process::Command;

use common::{Sandbox, sample_path, set_mode};
use serde_json::{Value, json};

/// The figures the issue names, exactly as the JSON and CSV name them.
const FIGURES: &[&str] = &[
    "referred",
    "offers_due",
    "offers_in_time",
    "median_working_days_to_offer",
    "opted_in",
    "declined",
    "opted_out",
    "no_response",
    "annual_letters_due",
    "annual_letters_on_time",
    "follow_ups_due",
    "follow_ups_on_time",
    "complaints",
    "complaints_acknowledged_in_time",
];

const QUARTER: [&str; 4] = ["--from", "2026-08-25", "--to", "2026-11-24"];

fn report(s: &Sandbox, format: &str) -> String {
    report_of(s, &QUARTER, format)
}

/// The calendar quarter the sample's anchor day follows (July to September 2026): equality
/// tables are given for ended calendar quarters only.
const CALENDAR_QUARTER: [&str; 4] = ["--from", "2026-07-01", "--to", "2026-09-30"];

fn report_of(s: &Sandbox, period: &[&str], format: &str) -> String {
    let out = s
        .vlu()
        .arg("report")
        .args(period)
        .args(["--format", format])
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn json_csv_and_text_give_the_same_named_figures() {
    let s = Sandbox::with_sample();
    let j: Value = serde_json::from_str(&report(&s, "json")).unwrap();
    // Referrals counted afresh from the sample file: referred_on within the quarter.
    let sample: Value =
        serde_json::from_str(&std::fs::read_to_string(sample_path()).unwrap()).unwrap();
    let referred = sample["victims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| {
            let on = v["referred_on"].as_str().unwrap();
            ("2026-08-25"..="2026-11-24").contains(&on)
        })
        .count();
    assert!(referred > 0, "the sample has referrals in the quarter");
    assert_eq!(j["referred"], json!(referred));
    assert_eq!(j["from"], "2026-08-25");
    assert_eq!(j["to"], "2026-11-24");
    assert_eq!(j["unit"], "Northshire Victim Liaison Unit");
    assert_eq!(j["officer"], Value::Null);
    assert!(
        j.get("overdue_by_week").is_none(),
        "history is for the screens"
    );

    let csv = report(&s, "csv");
    // As the exports write CSV for Excel: a byte-order mark, CRLF line ends.
    let csv = csv.strip_prefix('\u{feff}').expect("a byte-order mark");
    assert!(csv.ends_with("\r\n") && !csv.replace("\r\n", "").contains('\n'));
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("figure,breakdown,group,value"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let csv_value = |figure: &str| -> &str {
        let row = rows
            .iter()
            .find(|r| r[0] == figure && r[1].is_empty())
            .unwrap_or_else(|| panic!("no CSV row for {figure}"));
        row[3]
    };
    for figure in FIGURES {
        let value = &j[figure];
        assert!(
            value.is_number(),
            "{figure} is a number in the JSON: {value}"
        );
        assert_eq!(
            csv_value(figure),
            value.to_string(),
            "{figure}: CSV and JSON agree"
        );
    }
    assert_eq!(
        csv_value("offers_in_time_percent"),
        j["offers_in_time_percent"].to_string()
    );
    // Overdue items on the last day: a total, each kind, each officer; the same in both.
    let overdue = &j["overdue"];
    assert_eq!(csv_value("overdue"), overdue["total"].to_string());
    let kinds: u64 = overdue["by_kind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["items"].as_u64().unwrap())
        .sum();
    let officers: u64 = overdue["by_officer"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["items"].as_u64().unwrap())
        .sum();
    assert_eq!(kinds, overdue["total"].as_u64().unwrap());
    assert_eq!(officers, kinds);

    // On the sample's anchor day, the overdue items are the diary's.
    let diary_overdue = overdue_on_the_anchor_day(&s).len();
    assert_eq!(overdue["total"], json!(diary_overdue));

    let text = report(&s, "text");
    assert!(text.starts_with("Northshire Victim Liaison Unit — monitoring return\n"));
    assert!(text.contains("25 Aug 2026 to 24 Nov 2026 · all officers"));
    let referred_line = text
        .lines()
        .find(|l| l.trim_start().starts_with("Victims referred"))
        .unwrap();
    assert!(
        referred_line.ends_with(&format!(" {referred}")),
        "{referred_line}"
    );
    assert!(text.contains("Open overdue items on 24 Nov 2026"));
}

#[test]
fn every_small_group_is_less_than_five_in_every_form() {
    // Four victims referred in the period: two stated "Asian, Indian" (a comma in a CSV
    // field), one "=1+1" (a formula, to a spreadsheet), one nothing.
    let victim = |id: &str, race: Option<&str>| {
        let mut v = json!({
            "id": id, "case_id": "C-1", "name": "Someone", "role": "victim",
            "eligibility": "statutory", "referred_on": "2026-09-10", "status": "referred",
            "status_since": "2026-09-10", "allocated_to": "sahmed" });
        if let Some(race) = race {
            v["equality"] = json!({ "race": race });
        }
        v
    };
    let mut unit = common::minimal();
    unit["victims"] = json!([
        victim("V-1", Some("Asian, Indian")),
        victim("V-2", Some("asian,  indian")),
        victim("V-3", Some("=1+1")),
        victim("V-4", None)
    ]);
    let s = Sandbox::new();
    s.import_value(&unit);
    let j: Value = serde_json::from_str(&report_of(&s, &CALENDAR_QUARTER, "json")).unwrap();
    assert_eq!(j["referred"], 4);
    let race = &j["equality"][0];
    assert_eq!(race["characteristic"], "race");
    let groups: Vec<(&str, &Value)> = race["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["value"].as_str().unwrap(), &g["referred"]))
        .collect();
    // 2, 1, 1 of 4: each <5; three hidden cells summing to 4 can be several ways.
    assert_eq!(
        groups,
        [
            ("=1+1", &json!("<5")),
            ("Asian, Indian", &json!("<5")),
            ("not stated", &json!("<5"))
        ]
    );
    let csv = report_of(&s, &CALENDAR_QUARTER, "csv");
    assert!(csv.contains("\nreferred,race,'=1+1,<5\r\n"), "{csv}");
    assert!(
        csv.contains("\nreferred,race,\"Asian, Indian\",<5\r\n"),
        "{csv}"
    );
    assert!(
        !csv.contains(",2\r\n") && !csv.contains(",1\r\n"),
        "no small count: {csv}"
    );
    let text = report_of(&s, &CALENDAR_QUARTER, "text");
    let line = text.lines().find(|l| l.contains("Asian, Indian")).unwrap();
    assert!(line.trim_end().ends_with("<5        0"), "{line}");
}

#[test]
fn a_bad_period_or_officer_is_refused_and_nothing_is_written() {
    let s = Sandbox::with_sample();
    let out = s.root.path().join("return.txt");
    // Each refusal: exit 2, what was wrong said, no file written; the stderr returned.
    let refused = |args: &[&str], says: &str| {
        let assert = s
            .vlu()
            .arg("report")
            .args(args)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(says), "{stderr}");
        assert!(!out.exists());
        stderr
    };
    let one_sentence = |stderr: String| assert_eq!(stderr.lines().count(), 1, "{stderr}");
    one_sentence(refused(
        &["--from", "2026-10-01", "--to", "2026-09-30"],
        "the period starts (2026-10-01) after it ends (2026-09-30)",
    ));
    let nobody = [
        "--from",
        "2026-07-01",
        "--to",
        "2026-09-30",
        "--officer",
        "nobody",
    ];
    one_sentence(refused(
        &nobody,
        "there is no officer \"nobody\" in the store",
    ));
    // (clap's own message, whole: it names what is missing or wrong.)
    refused(&["--from", "2026-07-01"], "--to <YYYY-MM-DD>");
    refused(
        &["--from", "2026-02-30", "--to", "2026-09-30"],
        "\"2026-02-30\" is not a real date",
    );
    // A good one, to a file readable by its owner only.
    s.vlu()
        .arg("report")
        .args(QUARTER)
        .args(["--officer", "sahmed", "--out"])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("· Sara Ahmed (sahmed) ·"), "{text}");
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&out).unwrap().permissions())
            & 0o777,
        0o600
    );
}

#[test]
fn making_the_return_is_recorded_as_a_disclosure_of_the_victims_it_counts() {
    let s = Sandbox::with_sample();
    let j: Value = serde_json::from_str(&report(&s, "json")).unwrap();
    let audit = s.store().audit().unwrap();
    let record = audit
        .iter()
        .rev()
        .find(|r| r.action == "disclose")
        .expect("the return is audited");
    assert_eq!(
        record.fields,
        ["monitoring return 2026-08-25 to 2026-11-24"]
    );
    assert!(
        !record.everyone,
        "the victims it counted, not the whole store"
    );
    let victims = &record.victims;
    assert!(!victims.is_empty());
    assert!(victims.iter().all(|v| v.starts_with("V-")), "{victims:?}");
    // Every victim the overdue figure counts is among them.
    let overdue = overdue_on_the_anchor_day(&s);
    for item in overdue {
        let id = item["victim_id"].as_str().unwrap();
        assert!(
            victims.iter().any(|v| v == id),
            "{id} is not in {victims:?}"
        );
    }
    assert!(j["overdue"]["total"].as_u64().unwrap() > 0);
}

/// A VLO's account is refused the return where the unit records roles; a manager's is
/// not. The store belongs to another account (made here: CI runs as root), so that the
/// one asking is not its owner. Not root: says so and does not run.
#[test]
fn the_return_is_for_managers_and_administrators() {
    let s = Sandbox::new();
    let Some(data) = common::unit_of_two_accounts(&s) else {
        return;
    };
    let root = s.root.path();
    let sample = sample_path();
    let copy = root.join("northshire.json");
    std::fs::copy(&sample, &copy).unwrap();
    set_mode(&copy, 0o644);
    let vlu_as = |user: &str, config: &std::path::Path, args: &str| {
        Command::new("sh")
            .arg("-c")
            .arg(format!(
                "setpriv --reuid={user} --regid=vlu-unit --init-groups env HOME='{home}' \
                 VLU_DATA_DIR='{data}' VLU_CONFIG='{config}' VLU_IDLE_SECONDS=10 '{vlu}' {args}",
                home = root.display(),
                data = data.display(),
                config = config.display(),
                vlu = env!("CARGO_BIN_EXE_vlu"),
            ))
            .output()
            .unwrap()
    };
    // The unit's configuration, with vlu-ben mapped to `officer`: the store's owner starts
    // the unit service with it (as a unit's would be, under systemd) and may make the return
    // herself; then vlu-ben asks.
    let ben_as = |officer: &str| {
        let config = root.join(format!("{officer}.toml"));
        std::fs::write(
            &config,
            format!("[officers]\nvlu-anna = \"tgreen\"\nvlu-ben = \"{officer}\"\n"),
        )
        .unwrap();
        set_mode(&config, 0o644);
        let quarter = "report --from 2026-08-25 --to 2026-11-24";
        let owner = vlu_as("vlu-anna", &config, quarter);
        assert!(owner.status.success(), "{owner:?}");
        let ben = vlu_as("vlu-ben", &config, quarter);
        let stopped = vlu_as("vlu-anna", &config, "serve --stop");
        assert!(stopped.status.success(), "{stopped:?}");
        ben
    };
    let empty = root.join("empty.toml");
    std::fs::write(&empty, "").unwrap();
    set_mode(&empty, 0o644);
    let imported = vlu_as("vlu-anna", &empty, &format!("import '{}'", copy.display()));
    assert!(imported.status.success(), "{imported:?}");
    // sahmed is a VLO of the sample unit.
    let vlo = ben_as("sahmed");
    assert_eq!(vlo.status.code(), Some(2), "{vlo:?}");
    let said = String::from_utf8_lossy(&vlo.stderr);
    assert!(
        said.contains("vlu-ben may not make the monitoring return"),
        "{said}"
    );
    assert!(vlo.stdout.is_empty());
    // pdevi is its manager.
    let manager = ben_as("pdevi");
    assert!(manager.status.success(), "{manager:?}");
    assert!(String::from_utf8_lossy(&manager.stdout).contains("monitoring return"));
}

/// The diary's overdue items on the sample's anchor day, as `vlu diary --format json` has them.
fn overdue_on_the_anchor_day(s: &Sandbox) -> Vec<Value> {
    let out = s
        .vlu()
        .args([
            "diary",
            "--format",
            "json",
            "--days",
            "0",
            "--date",
            "2026-11-24",
        ])
        .assert()
        .success();
    let diary: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    diary["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "overdue")
        .cloned()
        .collect()
}
