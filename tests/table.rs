//! Spreadsheets in and out (`vlu import-table`, `vlu export --format csv`): a unit's
//! 200-row sheet with UK dates, several victims to a case and statuses in the unit's own
//! words, read through the shipped sample mapping — as CSV and as XLSX — and the diary
//! written as CSV and read back.

mod common;

use std::path::{Path, PathBuf};

use chrono::{Days, Months, NaiveDate};
use common::Sandbox;
use serde_json::{Value, json};

const MAPPING: &str = include_str!("../sample-data/spreadsheet/mapping.toml");

const HEADERS: [&str; 16] = [
    "Ref",
    "Victim name",
    "Role",
    "Date referred",
    "Status",
    "VLO",
    "Address",
    "Phone",
    "Case no",
    "Offender",
    "Sentenced",
    "Sentence",
    "Offence",
    "CRD",
    "SED",
    "Notes",
];
/// The columns that describe the case (merged down its rows in the workbook).
const CASE_COLUMNS: std::ops::Range<usize> = 8..15;
const DATE_CELLS: [usize; 2] = [3, 10];

/// One victim's row, as the unit's sheet has it, and where its case starts and ends.
struct Row {
    cells: Vec<String>,
    dates: [Option<NaiveDate>; 2],
    first_of_case: bool,
    rows_of_case: usize,
}

fn uk(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

const FIRST: [&str; 10] = [
    "Ann", "Bo", "Cara", "Dev", "Edith", "Femi", "Gwen", "Hugo", "Ines", "Jude",
];
const LAST: [&str; 7] = [
    "Lerwick", "Doyle", "Marsh", "Okoro", "Pryce", "Quaid", "Rhind",
];
/// The unit's words for a status, and vlu's.
const STATUS: [(&str, &str); 6] = [
    ("Opted in", "opted_in"),
    ("Declined", "declined"),
    ("Awaiting reply", "offer_sent"),
    ("New referral", "referred"),
    ("Opted in", "opted_in"),
    ("Opted out", "opted_out"),
];
/// The first, second and third victim of a case.
const ROLE: [(&str, &str); 3] = [
    ("Victim", "victim"),
    ("Bereaved family", "next_of_kin"),
    ("Victim", "victim"),
];
const VLO: [(&str, &str); 3] = [
    ("Sara Ahmed", "sahmed"),
    ("James Okafor", "jokafor"),
    ("Priya Shah", "pshah"),
];
const SENTENCE: [(&str, &str); 5] = [
    ("SDS", "sds"),
    ("EDS", "eds"),
    ("Life", "life"),
    ("SDS", "sds"),
    ("Hospital order", "hospital_order"),
];

/// The `k`th case: its cells in the sheet (from "Case no" to "SED") and its record.
fn case(k: usize) -> (Vec<String>, NaiveDate, Value) {
    let id = format!("C-{:03}", k + 1);
    let sentenced = NaiveDate::from_ymd_opt(2024, 1, 8).unwrap() + Days::new(6 * k as u64);
    let (sentence_word, sentence) = SENTENCE[k % SENTENCE.len()];
    let (category_word, category) = if k.is_multiple_of(3) {
        ("Sexual", "sexual")
    } else {
        ("Violent", "violent")
    };
    let determinate = matches!(sentence, "sds" | "eds");
    let after =
        |months| determinate.then(|| sentenced.checked_add_months(Months::new(months)).unwrap());
    let (crd, sed) = (after(36), after(72));
    let offender = format!(
        "{} {}",
        FIRST[(k + 3) % FIRST.len()],
        LAST[(k + 5) % LAST.len()]
    );
    let mut record = json!({
        "id": id,
        "offender": { "name": offender },
        "offence": { "category": category },
        "sentence": { "kind": sentence, "imposed_on": sentenced.to_string() },
    });
    if determinate {
        record["key_dates"] = json!([
            { "kind": "crd", "date": crd.unwrap().to_string() },
            { "kind": "sed", "date": sed.unwrap().to_string() },
        ]);
    }
    let cells = vec![
        id,
        offender,
        uk(sentenced),
        sentence_word.into(),
        category_word.into(),
        crd.map(uk).unwrap_or_default(),
        sed.map(uk).unwrap_or_default(),
    ];
    (cells, sentenced, record)
}

/// The `i`th victim, the `j`th of its case: its row's cells up to "Case no", its referral
/// date and its record.
fn victim(
    i: usize,
    j: usize,
    case_id: &str,
    sentenced: NaiveDate,
) -> (Vec<String>, NaiveDate, Value) {
    let referred = sentenced + Days::new(7 + j as u64);
    let (status_word, status) = STATUS[i % STATUS.len()];
    let (role_word, role) = ROLE[j];
    let (vlo_name, vlo) = VLO[i % VLO.len()];
    let name = format!("{} {}", FIRST[i % FIRST.len()], LAST[(i / 3) % LAST.len()]);
    let address = format!("{} Fictional Road, Northby NB1 2AA", i + 1);
    let phone = format!("07700 900{i:03}");
    let id = format!("V-{}", 1001 + i);
    let record = json!({
        "id": id, "case_id": case_id, "name": name, "role": role,
        "eligibility": "statutory", "referred_on": referred.to_string(),
        "status": status, "status_since": referred.to_string(), "allocated_to": vlo,
        "contact_details": { "address": address, "phone": phone },
    });
    let cells = vec![
        id,
        name,
        role_word.into(),
        uk(referred),
        status_word.into(),
        vlo_name.into(),
        address,
        phone,
    ];
    (cells, referred, record)
}

/// The unit: 200 victims in cases of one to three, and the caseload file it should become.
/// A case's details are in its first row only, as a unit fills in a sheet.
fn unit() -> (Vec<Row>, Value) {
    let sizes = [1, 2, 1, 3, 1, 1, 2];
    let (mut rows, mut cases, mut victims) = (Vec::new(), Vec::new(), Vec::new());
    for k in 0.. {
        if rows.len() == 200 {
            break;
        }
        let size = sizes[k % sizes.len()].min(200 - rows.len());
        let (case_cells, sentenced, record) = case(k);
        cases.push(record);
        for (j, _) in ROLE.iter().enumerate().take(size) {
            let i = rows.len();
            let (mut cells, referred, record) = victim(i, j, &case_cells[0], sentenced);
            victims.push(record);
            cells.push(case_cells[0].clone());
            cells.extend(
                case_cells[1..]
                    .iter()
                    .map(|c| if j == 0 { c.clone() } else { String::new() }),
            );
            cells.push(if i % 4 == 0 {
                "see paper file".into()
            } else {
                String::new()
            });
            rows.push(Row {
                cells,
                dates: [Some(referred), (j == 0).then_some(sentenced)],
                first_of_case: j == 0,
                rows_of_case: size,
            });
        }
    }
    let officers: Vec<Value> = VLO
        .iter()
        .map(|(name, id)| json!({ "id": id, "name": name }))
        .collect();
    let caseload = json!({
        "format": "vlu-caseload", "version": 1,
        "officers": officers, "cases": cases, "victims": victims,
    });
    (rows, caseload)
}

/// The three mistakes a unit's sheet really has: a date that does not exist, a status in
/// words the mapping does not know, and an address with a control character pasted in.
fn spoil(rows: &mut [Row]) {
    rows[17].cells[3] = "31/02/2025".into();
    rows[17].dates[0] = None;
    rows[88].cells[4] = "Maybe later".into();
    rows[150].cells[6] = "151 Fictional\u{7} Road, Northby".into();
}

fn write_csv(path: &Path, rows: &[Row]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(HEADERS).unwrap();
    for row in rows {
        w.write_record(&row.cells).unwrap();
    }
    w.flush().unwrap();
}

/// The same sheet as a workbook: dates as date cells, the case's columns merged down the
/// rows of its victims.
fn write_xlsx(path: &Path, rows: &[Row]) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Victims").unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let plain = Format::new();
    let col = |c: usize| u16::try_from(c).unwrap();
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string(0, col(c), *h).unwrap();
    }
    let mut last_of_case = 0;
    for (i, row) in rows.iter().enumerate() {
        let r = u32::try_from(i + 1).unwrap();
        if row.first_of_case {
            last_of_case = r + u32::try_from(row.rows_of_case).unwrap() - 1;
        }
        for (c, text) in row.cells.iter().enumerate() {
            let in_case = CASE_COLUMNS.contains(&c);
            if in_case && !row.first_of_case {
                continue;
            }
            if in_case && last_of_case > r {
                sheet
                    .merge_range(r, col(c), last_of_case, col(c), text, &plain)
                    .unwrap();
            }
            let as_date = DATE_CELLS
                .iter()
                .position(|&d| d == c)
                .and_then(|k| row.dates[k]);
            if let Some(d) = as_date {
                let cell = ExcelDateTime::parse_from_str(&d.to_string()).unwrap();
                sheet
                    .write_datetime_with_format(r, col(c), &cell, &date)
                    .unwrap();
            } else if !text.is_empty() {
                sheet.write_string(r, col(c), text).unwrap();
            }
        }
    }
    book.save(path).unwrap();
}

fn mapping(s: &Sandbox) -> PathBuf {
    s.file("mapping.toml", MAPPING)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[test]
fn three_mistakes_are_reported_by_row_column_and_cell_and_nothing_is_imported() {
    let s = Sandbox::new();
    let (mut rows, _) = unit();
    spoil(&mut rows);
    let sheet = s.root.path().join("victims.csv");
    write_csv(&sheet, &rows);
    let map = mapping(&s);
    for dry_run in [true, false] {
        let mut cmd = s.vlu();
        cmd.args(["import-table"])
            .arg(&sheet)
            .arg("--map")
            .arg(&map);
        if dry_run {
            cmd.arg("--dry-run");
        }
        let out = cmd.assert().code(2).get_output().clone();
        let said = stderr(&out);
        let lines: Vec<&str> = said.lines().collect();
        assert_eq!(lines.len(), 4, "{said}");
        assert!(
            lines[0]
                .starts_with("row 19, column \"Date referred\", cell \"31/02/2025\": not a date"),
            "{said}"
        );
        assert!(
            lines[1].starts_with(
                "row 90, column \"Status\", cell \"Maybe later\": unknown value \"Maybe later\""
            ),
            "{said}"
        );
        assert!(lines[1].contains("[values.\"victim.status\"]"), "{said}");
        assert_eq!(
            lines[2],
            "row 152, column \"Address\": contains the control character U+0007; only plain \
             text is allowed"
        );
        assert!(lines[3].starts_with("vlu: 3 problems in "), "{said}");
        assert!(
            lines[3].ends_with("victims.csv; nothing was imported"),
            "{said}"
        );
        assert!(
            !said.contains("Fictional"),
            "an address is never repeated: {said}"
        );
        assert!(out.stdout.is_empty());
    }
    s.vlu().arg("check").assert().code(2);
}

#[test]
fn the_sheet_as_csv_and_as_xlsx_gives_the_store_its_caseload_file_would() {
    let (rows, expected) = unit();
    let csv_unit = Sandbox::new();
    let sheet = csv_unit.root.path().join("victims.csv");
    write_csv(&sheet, &rows);
    let map = mapping(&csv_unit);

    // A dry run says what it would do, and does nothing.
    let out = csv_unit
        .vlu()
        .args(["import-table"])
        .arg(&sheet)
        .arg("--map")
        .arg(&map)
        .arg("--dry-run")
        .assert()
        .success()
        .get_output()
        .clone();
    let report = String::from_utf8(out.stdout).unwrap();
    let cases = expected["cases"].as_array().unwrap().len();
    assert!(
        report.starts_with("victims.csv: 200 rows (rows 2 to 201).\n"),
        "{report}"
    );
    assert!(report.contains("Columns not read: \"Notes\"."), "{report}");
    assert!(
        report.contains(&format!(
            "Would import 3 officers, {cases} cases, 200 victims and 0 contacts into"
        )),
        "{report}"
    );
    assert!(
        report.contains(
            "By status: 67 opted_in, 34 declined, 33 offer_sent, 33 opted_out, 33 referred."
        ),
        "{report}"
    );
    assert!(!report.contains("Fictional"));
    csv_unit.vlu().arg("check").assert().code(2);

    csv_unit
        .vlu()
        .args(["import-table"])
        .arg(&sheet)
        .arg("--map")
        .arg(&map)
        .assert()
        .success();

    let xlsx_unit = Sandbox::new();
    let book = xlsx_unit.root.path().join("victims.xlsx");
    write_xlsx(&book, &rows);
    xlsx_unit
        .vlu()
        .args(["import-table"])
        .arg(&book)
        .arg("--map")
        .arg(mapping(&xlsx_unit))
        .args(["--sheet", "Victims"])
        .assert()
        .success();

    let by_hand = Sandbox::new();
    by_hand.import_value(&expected);

    let exported = csv_unit.export();
    assert_eq!(
        exported,
        xlsx_unit.export(),
        "CSV and XLSX give the same store"
    );
    assert_eq!(
        exported,
        by_hand.export(),
        "the sheet is the caseload it describes"
    );

    // So the diary is the caseload's; and it is the one the unit expects.
    let diary = |s: &Sandbox| -> Value {
        let out = s
            .vlu()
            .args([
                "diary",
                "--date",
                "2026-11-24",
                "--days",
                "28",
                "--format",
                "json",
            ])
            .assert()
            .success();
        serde_json::from_slice(&out.get_output().stdout).unwrap()
    };
    let items = diary(&csv_unit);
    assert_eq!(items, diary(&by_hand));
    assert_the_diary_fits(items["items"].as_array().unwrap(), &expected);
}

/// Every reminder is one the victim's status calls for, and the unit has each kind due.
fn assert_the_diary_fits(items: &[Value], expected: &Value) {
    assert!(!items.is_empty());
    let victim = |id: &str| common::victim_in(expected, id);
    for item in items {
        let v = victim(item["victim_id"].as_str().unwrap());
        assert!(
            !matches!(v["status"].as_str(), Some("declined" | "opted_out")),
            "no reminder for a victim who said no: {item}"
        );
        if item["kind"] == "initial_offer" {
            assert_eq!(v["status"], "referred", "{item}");
        }
        if item["kind"] == "second_offer" {
            assert_eq!(v["status"], "offer_sent", "{item}");
        }
    }
    for kind in ["initial_offer", "second_offer", "annual_letter"] {
        assert!(
            items.iter().any(|i| i["kind"] == kind),
            "a {kind} is due: {items:?}"
        );
    }
}

#[test]
fn the_diary_as_csv_reads_back_as_the_diary() {
    let s = Sandbox::new();
    let (rows, _) = unit();
    let sheet = s.root.path().join("victims.csv");
    write_csv(&sheet, &rows);
    s.vlu()
        .args(["import-table"])
        .arg(&sheet)
        .arg("--map")
        .arg(mapping(&s))
        .assert()
        .success();
    let out = s
        .vlu()
        .args(["diary", "--date", "2026-11-24", "--format", "json"])
        .assert()
        .success();
    let diary: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let items = diary["items"].as_array().unwrap();

    let file = s.root.path().join("diary.csv");
    s.vlu()
        .args([
            "export",
            "--format",
            "csv",
            "--what",
            "diary",
            "--date",
            "2026-11-24",
        ])
        .arg(&file)
        .assert()
        .success();
    let bytes = std::fs::read(&file).unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark, for Excel");
    assert!(text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "Due");
    assert_eq!(&headers[5], "Victim id");
    let read: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(read.len(), items.len());
    for (record, item) in read.iter().zip(items) {
        let due: NaiveDate = item["due"].as_str().unwrap().parse().unwrap();
        assert_eq!(&record[0], uk(due), "dates as the unit writes them");
        assert_eq!(&record[5], item["victim_id"].as_str().unwrap());
        assert_eq!(&record[6], item["case_id"].as_str().unwrap());
    }
    assert!(read.iter().any(|r| &r[1] == "Overdue"));

    // The caseload spreadsheet carries contact details only when asked.
    let caseload = |more: &[&str]| {
        let out = s
            .vlu()
            .args(["export", "--format", "csv"])
            .args(more)
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let plain = caseload(&[]);
    assert!(!plain.contains("Fictional") && !plain.contains("07700"));
    assert_eq!(plain.lines().count(), 201);
    let full = caseload(&["--include-contact-details"]);
    assert!(full.contains("1 Fictional Road, Northby NB1 2AA"));
    assert!(
        full.contains(",15/01/2024,"),
        "referral dates as the unit writes them"
    );
}

#[test]
fn a_suggested_mapping_names_the_columns_and_never_an_address() {
    let s = Sandbox::new();
    let (rows, _) = unit();
    let sheet = s.root.path().join("victims.csv");
    write_csv(&sheet, &rows);
    let out = s
        .vlu()
        .args(["import-table", "--suggest"])
        .arg(&sheet)
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for line in [
        "date_format = \"%d/%m/%Y\"",
        "\"victim.id\" = \"Ref\"",
        "\"victim.referred_on\" = \"Date referred\"",
        "\"victim.allocated_to\" = \"VLO\"",
        "\"case.id\" = \"Case no\"",
        "\"case.key_dates.crd\" = \"CRD\"",
        "\"Awaiting reply\" = \"\"",
        "\"pshah\" = \"Priya Shah\"",
    ] {
        assert!(text.contains(line), "{line} in:\n{text}");
    }
    assert!(
        !text.contains("Fictional") && !text.contains("07700"),
        "{text}"
    );
}

#[test]
fn the_readmes_mapping_is_a_mapping() {
    let readme = include_str!("../README.md");
    let section = &readme[readme.find("## Bringing spreadsheets in").unwrap()..];
    let start = section.find("```toml\n").unwrap() + 8;
    let block = &section[start..start + section[start..].find("```").unwrap()];
    let mapping = vlu::table::mapping::parse(block, "%Y-%m-%d").unwrap();
    assert_eq!(mapping.date_format, "%d/%m/%Y");
    assert_eq!(mapping.columns.len(), 11);
}

#[test]
fn a_sheet_joins_a_unit_already_in_the_store_through_its_service() {
    let s = Sandbox::with_sample();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/spreadsheet");
    let import = |more: &[&str]| {
        let mut cmd = s.vlu();
        cmd.arg("import-table")
            .arg(dir.join("victims.csv"))
            .arg("--map")
            .arg(dir.join("mapping.toml"))
            .args(more);
        cmd.assert()
    };
    // The sample unit has sahmed and jokafor already: only pshah is new.
    let out = import(&["--dry-run"]).success().get_output().clone();
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        report.contains("Would import 1 officer, 7 cases, 10 victims and 0 contacts"),
        "{report}"
    );
    import(&[]).success();
    let out = import(&[]).code(2).get_output().clone();
    let said = stderr(&out);
    assert!(
        said.starts_with(
            "row 2, column \"Ref\", cell \"NB-101\": victim \"NB-101\" is already in the store \
             (use --replace to overwrite it)\n"
        ),
        "{said}"
    );
    assert!(said.contains("17 problems in"), "{said}");
    let out = import(&["--replace", "--dry-run"])
        .success()
        .get_output()
        .clone();
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        report.contains("(17 records replaced: NB/2026/031 "),
        "{report}"
    );
    import(&["--replace"]).success();
    let exported: Value = serde_json::from_str(&s.export()).unwrap();
    assert_eq!(
        exported["victims"].as_array().unwrap().len(),
        45 + 10,
        "the sample's 45 and the sheet's 10"
    );
    assert_eq!(exported["officers"].as_array().unwrap().len(), 5 + 1);
}
