//! Spreadsheets made to cost too much — a cell at the last row and column, a zip bomb, a
//! million rows, a million problems — each refused in a sentence, with memory bounded and
//! nothing written; and one whose dates cannot show which way round they are written, which
//! the dry run says.

mod common;

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Sandbox;

fn mapping() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/spreadsheet/mapping.toml")
}

/// `vlu import-table FILE --map … --dry-run` under a 1 GiB address-space limit (prlimit):
/// a reader that tried to hold the sheet whole would be killed, not refuse.
fn import_bounded(s: &Sandbox, sheet: &Path) -> std::process::Output {
    Command::new("prlimit")
        .arg("--as=1073741824")
        .arg(env!("CARGO_BIN_EXE_vlu"))
        .arg("import-table")
        .arg(sheet)
        .arg("--map")
        .arg(mapping())
        .env("VLU_DATA_DIR", s.data_dir())
        .env("XDG_CONFIG_HOME", s.root.path().join("config"))
        .env_remove("VLU_CONFIG")
        .output()
        .unwrap()
}

fn refused(out: &std::process::Output) -> String {
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("more than vlu reads of a spreadsheet"),
        "{said}"
    );
    assert!(
        !said.contains("panicked") && !said.contains("memory"),
        "{said}"
    );
    said
}

#[test]
fn one_cell_at_the_last_row_and_column_is_refused_without_making_room_for_the_rest() {
    let s = Sandbox::new();
    let path = s.root.path().join("far.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet()
        .write_string(1_048_575, 16_383, "x")
        .unwrap();
    book.save(&path).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 10_000);
    let said = refused(&import_bounded(&s, &path));
    assert!(said.contains("row 1048576 column 16384"), "{said}");
    assert!(!s.data_dir().exists(), "nothing written");
}

#[test]
fn a_workbook_that_unpacks_to_gigabytes_is_refused_before_it_is_unpacked() {
    let s = Sandbox::new();
    let path = s.root.path().join("bomb.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("xl/worksheets/sheet1.xml", deflated)
        .unwrap();
    let block = vec![b' '; 1 << 20];
    for _ in 0..300 {
        zip.write_all(&block).unwrap();
    }
    zip.finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 2 << 20);
    let said = refused(&import_bounded(&s, &path));
    assert!(said.contains("unpacks to 300 MiB"), "{said}");
    assert!(!s.data_dir().exists());
}

#[test]
fn a_sheet_of_more_rows_than_any_unit_has_is_refused() {
    let s = Sandbox::new();
    let path = s.root.path().join("long.csv");
    let mut text = String::from("Ref,Victim name\n");
    for i in 0..250_000 {
        let _ = writeln!(text, "NB-{i},Someone");
    }
    std::fs::write(&path, text).unwrap();
    let said = refused(&import_bounded(&s, &path));
    assert!(said.contains("250001 rows"), "{said}");
    assert!(!s.data_dir().exists());
}

#[test]
fn a_sheet_with_thousands_of_problems_lists_the_first_thousand_and_counts_the_rest() {
    let s = Sandbox::new();
    let path = s.root.path().join("bad.csv");
    let sample = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/spreadsheet/victims.csv"),
    )
    .unwrap();
    let mut lines = sample.lines();
    let mut text = format!("{}\n", lines.next().unwrap());
    let row = lines.next().unwrap();
    for i in 0..1_500 {
        let bad = row
            .replacen("NB-101", &format!("NB-{}", 5000 + i), 1)
            .replacen("18/09/2026", "31/02/2026", 1);
        text.push_str(&bad);
        text.push('\n');
    }
    std::fs::write(&path, text).unwrap();
    let out = import_bounded(&s, &path);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    let listed = said.lines().count();
    assert!(
        (1_001..=1_003).contains(&listed),
        "{listed} lines: {}",
        said.lines().last().unwrap_or("")
    );
    assert!(said.contains("more problems, not listed"), "{said}");
    assert!(!s.data_dir().exists());
}

/// The sample sheet with every date rewritten by `date`.
fn sample_with_dates(date: impl Fn(&str) -> String) -> String {
    let sample = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/spreadsheet/victims.csv"),
    )
    .unwrap();
    sample
        .split_inclusive(',')
        .map(|field| {
            let bare = field.trim_end_matches(',');
            let is_date =
                bare.len() == 10 && bare.as_bytes()[2] == b'/' && bare.as_bytes()[5] == b'/';
            if is_date {
                format!("{}{}", date(bare), &field[bare.len()..])
            } else {
                field.to_owned()
            }
        })
        .collect()
}

fn dry_run(s: &Sandbox, text: &str) -> String {
    let path = s.root.path().join("dates.csv");
    std::fs::write(&path, text).unwrap();
    let out = s
        .vlu()
        .arg("import-table")
        .arg(&path)
        .arg("--map")
        .arg(mapping())
        .arg("--dry-run")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_date_column_that_reads_both_ways_is_named_in_the_dry_run() {
    let s = Sandbox::new();
    // Every day brought down to 1 to 12 (and never equal to its month): 04/03, 11/09, …
    let ambiguous = sample_with_dates(|d| {
        let (day, rest) = d.split_at(2);
        let month: u32 = rest[1..3].parse().unwrap();
        let day: u32 = day.parse::<u32>().unwrap() % 12 + 1;
        let day = if day == month { day % 12 + 1 } else { day };
        format!("{day:02}{rest}")
    });
    let said = dry_run(&s, &ambiguous);
    assert!(
        said.contains("Check the dates in \"Date referred\"") && said.contains("day first"),
        "{said}"
    );
    // The sample as it is: days past the 12th show the order.
    let plain = dry_run(&s, &sample_with_dates(str::to_owned));
    assert!(!plain.contains("Check the dates"), "{plain}");
}
