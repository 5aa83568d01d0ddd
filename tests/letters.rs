//! `vlu letter` on the sample unit: a golden file for every kind of letter to every role,
//! the refusals, `--record`, the Word document read back, and `vlu letter check`.
//!
//! The golden files are `tests/letters/ROLE/KIND.txt`; `VLU_UPDATE_GOLDEN=1` rewrites them
//! (read the diff before committing it).

mod common;

use std::path::{Path, PathBuf};

use common::Sandbox;
use serde_json::Value;

const DATE: &str = "2026-11-24";

/// For each role and kind, the sample victim whose letter is the golden one, and any
/// further arguments. Chosen so that each letter has something to say: an offer to someone
/// not yet opted in, a key date the level covers, a complaint or call that is logged.
const GOLDEN: &[(&str, &str, &str, &[&str])] = &[
    ("victim", "initial_offer", "V-0017", &[]),
    ("victim", "second_offer", "V-0018", &[]),
    ("victim", "annual_letter", "V-0024", &[]),
    ("victim", "key_date", "V-0001", &["--key-date", "crd"]),
    ("victim", "vps_offer", "V-0005", &[]),
    ("victim", "licence_conditions", "V-0043", &[]),
    ("victim", "licence_outcome", "V-0028", &[]),
    ("victim", "complaint_ack", "V-0009", &[]),
    ("victim", "written_follow_up", "V-0025", &[]),
    ("victim", "case_closure", "V-0042", &[]),
    ("victim", "views_request", "V-0021", &[]),
    ("next_of_kin", "initial_offer", "V-0032", &[]),
    ("next_of_kin", "second_offer", "V-0032", &[]),
    ("next_of_kin", "annual_letter", "V-0035", &[]),
    ("next_of_kin", "key_date", "V-0027", &["--key-date", "rotl"]),
    ("next_of_kin", "vps_offer", "V-0003", &[]),
    ("next_of_kin", "licence_conditions", "V-0002", &[]),
    ("next_of_kin", "licence_outcome", "V-0013", &[]),
    ("next_of_kin", "complaint_ack", "V-0031", &[]),
    ("next_of_kin", "written_follow_up", "V-0003", &[]),
    ("next_of_kin", "case_closure", "V-0027", &[]),
    ("next_of_kin", "views_request", "V-0004", &[]),
    ("parent_carer", "initial_offer", "V-0008", &[]),
    ("parent_carer", "second_offer", "V-0030", &[]),
    ("parent_carer", "annual_letter", "V-0030", &[]),
    ("parent_carer", "key_date", "V-0010", &["--key-date", "mtd"]),
    ("parent_carer", "vps_offer", "V-0007", &[]),
    ("parent_carer", "licence_conditions", "V-0007", &[]),
    ("parent_carer", "licence_outcome", "V-0010", &[]),
    ("parent_carer", "complaint_ack", "V-0008", &[]),
    ("parent_carer", "written_follow_up", "V-0007", &[]),
    ("parent_carer", "case_closure", "V-0010", &[]),
    ("parent_carer", "views_request", "V-0007", &[]),
    ("representative", "initial_offer", "V-0039", &[]),
    ("representative", "second_offer", "V-0039", &[]),
    ("representative", "annual_letter", "V-0039", &[]),
    (
        "representative",
        "key_date",
        "V-0006",
        &["--key-date", "crd"],
    ),
    ("representative", "vps_offer", "V-0006", &[]),
    ("representative", "licence_conditions", "V-0006", &[]),
    ("representative", "licence_outcome", "V-0039", &[]),
    ("representative", "complaint_ack", "V-0006", &[]),
    ("representative", "written_follow_up", "V-0006", &[]),
    ("representative", "case_closure", "V-0039", &[]),
    ("representative", "views_request", "V-0039", &[]),
];

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/letters")
}

fn stdout(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn stderr(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

/// Beth Collins, the nominated representative, has only written to and been written to:
/// a call is logged first, as a VLO would before confirming it in writing.
fn log_a_call_with_beth(s: &Sandbox) {
    let store = s.store_as("lorna");
    let call = vlu::domain::model::Contact {
        on: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        at: Some("14:30".into()),
        kind: vlu::domain::enums::ContactKind::Update,
        method: vlu::domain::enums::Medium::Phone,
        direction: vlu::domain::enums::Direction::Outbound,
        summary: Some(
            "Explained how the parole hearing in January works and how a statement is used; Beth will talk it over with the victim."
                .into(),
        ),
        by: Some("lmcbride".into()),
        key_date: None,
        corrects: None,
        follows: None,
        to: None,
    };
    store.append_contact("V-0006", &call).unwrap();
}

#[test]
fn every_kind_of_letter_to_every_role_matches_its_golden_file() {
    let s = Sandbox::with_sample();
    s.set_letterhead();
    log_a_call_with_beth(&s);
    let update = std::env::var_os("VLU_UPDATE_GOLDEN").is_some();
    let mut differ = Vec::new();
    for (role, kind, victim, extra) in GOLDEN {
        let out = s
            .vlu()
            .args(["letter", kind, "--victim", victim, "--date", DATE])
            .args(*extra)
            .assert()
            .success();
        let text = stdout(&out);
        assert!(text.contains("\n\nDear "), "{role}/{kind}:\n{text}");
        let path = golden_dir().join(role).join(format!("{kind}.txt"));
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            differ.push(format!("{}:\n{text}", path.display()));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n\n"));
    // Every kind for every role is there.
    for role in vlu::domain::enums::VictimRole::IDS {
        for kind in vlu::domain::enums::LetterKind::IDS {
            assert!(
                GOLDEN.iter().any(|(r, k, _, _)| r == role && k == kind),
                "{role} {kind}"
            );
        }
    }
}

#[test]
fn wording_follows_the_role_and_no_offer_leads_with_a_release() {
    let read = |role: &str, kind: &str| {
        std::fs::read_to_string(golden_dir().join(role).join(format!("{kind}.txt"))).unwrap()
    };
    let body = |text: &str| text.split_once("\n\nDear ").unwrap().1.to_owned();
    for role in vlu::domain::enums::VictimRole::IDS {
        for kind in ["initial_offer", "second_offer"] {
            let text = body(&read(role, kind));
            assert!(
                !text.contains("release date") && !text.contains("released"),
                "{role} {kind}"
            );
            assert!(!text.contains("As the victim"), "{role} {kind}");
        }
    }
    let bereaved = read("next_of_kin", "initial_offer");
    assert!(body(&bereaved).contains("I am very sorry for your loss."));
    assert!(bereaved.contains("Dear Aoife Quinn,"));
    assert!(body(&read("parent_carer", "initial_offer")).contains("on your child's behalf"));
    assert!(body(&read("representative", "initial_offer")).contains("on behalf of the person"));
    // Robert Marsh hears the month only: his VPS offer gives the hearing's month.
    let robert = read("next_of_kin", "vps_offer");
    assert!(
        robert.contains("at a hearing in February 2027."),
        "{robert}"
    );
    assert!(!robert.contains("16 February"));
    // Nadia Kowalska needs Polish: the first line offers a translation.
    assert!(
        read("victim", "vps_offer").starts_with(
            "If you would like this letter in Polish, or read to you by an interpreter"
        )
    );
}

#[test]
fn recording_a_letter_logs_it_and_answers_the_reminder() {
    let s = Sandbox::with_sample();
    s.set_letterhead();
    let diary = |s: &Sandbox| -> Vec<Value> {
        let out = s
            .vlu()
            .args(["diary", "--format", "json", "--date", DATE])
            .assert()
            .success();
        serde_json::from_slice::<Value>(&out.get_output().stdout).unwrap()["items"]
            .as_array()
            .unwrap()
            .clone()
    };
    let due = |items: &[Value]| {
        items
            .iter()
            .any(|i| i["kind"] == "initial_offer" && i["victim_id"] == "V-0017")
    };
    assert!(due(&diary(&s)));
    let file = s.root.path().join("out/gemma.txt");
    std::fs::create_dir(s.root.path().join("out")).unwrap();
    let out = s
        .vlu()
        .args([
            "letter",
            "initial_offer",
            "--victim",
            "V-0017",
            "--date",
            DATE,
            "--record",
        ])
        .arg("--out")
        .arg(&file)
        .assert()
        .success();
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("recorded in V-0017's contact log"),
        "{}",
        stderr(&out)
    );
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("Dear Gemma Lowe,")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert!(!due(&diary(&s)), "the letter answers the reminder");
    let store = s.store();
    let sent = store.log("V-0017").unwrap();
    let sent = sent.last().unwrap();
    assert_eq!(
        (
            sent.kind.as_str(),
            sent.method.as_str(),
            sent.direction.as_str()
        ),
        ("initial_offer", "letter", "outbound")
    );
    assert_eq!(sent.on.to_string(), DATE);
    let audit = store.audit().unwrap();
    let disclosure = audit.iter().rev().find(|a| a.action == "disclose").unwrap();
    assert_eq!(disclosure.fields, ["letter initial_offer"]);
    assert_eq!(disclosure.victims, ["V-0017"]);
}

#[test]
fn a_letter_to_the_offender_is_refused() {
    let s = Sandbox::new();
    s.set_letterhead();
    let mut unit: Value =
        serde_json::from_str(&std::fs::read_to_string(common::sample_path()).unwrap()).unwrap();
    // Joan Mercer's record, mistakenly given the offender's alias as its name.
    for v in unit["victims"].as_array_mut().unwrap() {
        if v["id"] == "V-0001" {
            v["name"] = Value::String("Danny Reeves".into());
        }
    }
    s.import_value(&unit);
    let file = s.root.path().join("letter.txt");
    let out = s
        .vlu()
        .args([
            "letter",
            "initial_offer",
            "--victim",
            "V-0001",
            "--date",
            DATE,
        ])
        .arg("--out")
        .arg(&file)
        .assert()
        .code(2);
    let said = stderr(&out);
    assert!(
        said.contains("would be addressed to the offender"),
        "{said}"
    );
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(!file.exists());
}

#[test]
fn refusals_are_one_sentence_and_exit_2() {
    let s = Sandbox::with_sample();
    s.set_letterhead();
    for (args, said) in [
        (
            vec!["annual_letter", "--victim", "V-0021"],
            "declined contact",
        ),
        (
            vec![
                "key_date",
                "--victim",
                "V-0003",
                "--key-date",
                "tariff_expiry",
            ],
            "not among what they asked",
        ),
        (vec!["key_date", "--victim", "V-0001"], "--key-date KIND"),
        (
            vec!["written_follow_up", "--victim", "V-0039"],
            "no call, visit or meeting",
        ),
        (vec!["annual_letter", "--victim", "V-9999"], "no victim"),
        (
            vec!["thank_you", "--victim", "V-0001"],
            "not a kind of letter",
        ),
    ] {
        let out = s
            .vlu()
            .arg("letter")
            .args(&args)
            .args(["--date", DATE])
            .assert()
            .code(2);
        assert!(stderr(&out).contains(said), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty());
    }
    let out = s.vlu().args(["letter", "initial_offer"]).assert().code(2);
    // clap's whole message: what is missing is named.
    let err = stderr(&out);
    assert!(
        err.starts_with("vlu: the following required arguments were not provided:")
            && err.contains("--victim <ID>"),
        "{err}"
    );
    let inside = s.data_dir().join("letter.txt");
    let out = s
        .vlu()
        .args(["letter", "initial_offer", "--victim", "V-0017", "--out"])
        .arg(&inside)
        .assert()
        .code(2);
    assert!(stderr(&out).contains("data directory"), "{}", stderr(&out));
    assert!(!inside.exists());
}

/// The text of a .docx read back by a reader of the format, and its document.xml as stored.
fn read_docx(path: &Path) -> (String, String) {
    let bytes = std::fs::read(path).unwrap();
    let doc = docx_rs::read_docx(&bytes).unwrap();
    let mut text = String::new();
    for child in &doc.document.children {
        if let docx_rs::DocumentChild::Paragraph(p) = child {
            text.push_str(&p.raw_text());
            text.push('\n');
        }
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    (text, xml)
}

#[test]
fn a_word_document_reads_back_and_honours_large_print() {
    let s = Sandbox::new();
    s.set_letterhead();
    let mut unit: Value =
        serde_json::from_str(&std::fs::read_to_string(common::sample_path()).unwrap()).unwrap();
    for v in unit["victims"].as_array_mut().unwrap() {
        if v["id"] == "V-0009" {
            v["needs"]["notes"] =
                Value::String("Hard of hearing; partially sighted: large print, please.".into());
        }
    }
    s.import_value(&unit);
    let normal = s.root.path().join("nadia.docx");
    let large = s.root.path().join("derek.docx");
    for (victim, kind, file) in [
        ("V-0005", "vps_offer", &normal),
        ("V-0009", "complaint_ack", &large),
    ] {
        s.vlu()
            .args([
                "letter", kind, "--victim", victim, "--date", DATE, "--format", "docx", "--out",
            ])
            .arg(file)
            .assert()
            .success();
    }
    let (text, xml) = read_docx(&normal);
    assert!(text.contains("Dear Nadia Kowalska,"), "{text}");
    assert!(
        text.starts_with("If you would like this letter in Polish"),
        "{text}"
    );
    assert!(text.contains("9 Station Terrace"), "{text}");
    assert!(xml.contains("w:val=\"24\""), "12 point");
    assert!(!xml.contains("w:val=\"36\""));
    let (text, xml) = read_docx(&large);
    assert!(text.contains("Dear Derek Whitlow,"), "{text}");
    assert!(
        text.contains("which we received on 6 November 2026"),
        "{text}"
    );
    assert!(xml.contains("w:val=\"36\""), "18 point for large print");
    assert!(!xml.contains("w:val=\"24\""));
}

#[test]
fn a_units_templates_are_checked_and_used() {
    let s = Sandbox::with_sample();
    let dir = s.root.path().join("templates");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("base.txt"),
        "NORTHSHIRE PROBATION — VICTIM LIAISON\n\n{{ letter.date }}\n\nDear {{ recipient.name }},\n\n{% block body %}{% endblock %}\n\nWith best wishes,\n{{ officer.name }}\n",
    )
    .unwrap();
    let out = s
        .vlu()
        .args(["letter", "check"])
        .arg(&dir)
        .assert()
        .success();
    assert!(stdout(&out).contains("are sound"));
    let config = s.file(
        "config.toml",
        format!("[letters]\ntemplates_dir = \"{}\"\n", dir.display()),
    );
    let out = s
        .vlu()
        .env("VLU_CONFIG", &config)
        .args([
            "letter",
            "annual_letter",
            "--victim",
            "V-0024",
            "--date",
            DATE,
        ])
        .assert()
        .success();
    assert!(stdout(&out).starts_with("NORTHSHIRE PROBATION — VICTIM LIAISON\n\n24 November 2026"));
    // A field no letter has: refused when loaded, with its file and line; no letter made.
    std::fs::write(
        dir.join("second_offer.txt"),
        "{% extends \"base.txt\" %}\n{% block body %}\nWe wrote on {{ first_offer }}.\nYour caseworker is {{ officer.phone }}.\n{% endblock %}\n",
    )
    .unwrap();
    let out = s.vlu().args(["letter", "check"]).arg(&dir).assert().code(2);
    let said = stderr(&out);
    assert!(
        said.contains("second_offer.txt, line 4: unknown field \"officer.phone\""),
        "{said}"
    );
    let out = s
        .vlu()
        .env("VLU_CONFIG", &config)
        .args([
            "letter",
            "annual_letter",
            "--victim",
            "V-0024",
            "--date",
            DATE,
        ])
        .assert()
        .code(2);
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("1 problem in the letter templates"),
        "{}",
        stderr(&out)
    );
}

/// One part of a .docx package, as stored.
fn docx_part(path: &Path, name: &str) -> String {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut xml).unwrap();
    xml
}

#[test]
fn a_word_document_names_its_author_date_and_british_english_with_normal_the_default() {
    let s = Sandbox::with_sample();
    let mut tried = 0;
    for (signed_in, author) in [(Some("sahmed"), "sahmed"), (None, "vlu")] {
        if let Some(officer) = signed_in {
            s.sign_in_as(officer);
        }
        s.set_letterhead();
        let file = s.root.path().join(format!("{author}.docx"));
        s.vlu()
            .args([
                "letter",
                "annual_letter",
                "--victim",
                "V-0005",
                "--date",
                DATE,
                "--format",
                "docx",
                "--out",
            ])
            .arg(&file)
            .assert()
            .success();
        let core = docx_part(&file, "docProps/core.xml");
        assert!(
            core.contains(&format!("<dc:creator>{author}</dc:creator>")),
            "{core}"
        );
        assert!(core.contains("<dc:language>en-GB</dc:language>"), "{core}");
        assert!(
            core.contains(&format!(">{DATE}T00:00:00Z</dcterms:created>")),
            "created on the letter's date: {core}"
        );
        assert!(!core.contains("1970"), "{core}");
        let styles = docx_part(&file, "word/styles.xml");
        let defaults = &styles[styles.find("<w:rPrDefault>").expect(&styles)..];
        let defaults = &defaults[..defaults.find("</w:rPrDefault>").unwrap()];
        assert!(defaults.contains("<w:lang w:val=\"en-GB\""), "{styles}");
        assert!(
            styles.contains("<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"),
            "{styles}"
        );
        // And Word's own reader still reads it.
        let (text, _) = read_docx(&file);
        assert!(text.contains("Dear Nadia Kowalska,"), "{text}");
        tried += 1;
        // No one signed in next: the service reads who is who when it starts.
        let _ = std::fs::remove_dir_all(s.root.path().join("config"));
        common::stop_service(&s.data_dir());
    }
    assert_eq!(tried, 2);
}
