//! The monitoring return at unit scale: `cargo bench --bench report` (sizes from
//! `VLU_BENCH_SIZES`, default `10000,100000`).
//!
//! For each size: a unit made by `vlu generate --victims N --seed 11`, imported into a data
//! directory by the real release binary; then, as whole processes against its warm unit
//! service, `vlu report --format json` for a quarter — the first (which works out every
//! victim's facts and keeps them) and then 7 more (median, min–max) —, one officer's
//! quarter and five years (7 each), and the service's resident memory after the first
//! return and after the rest. Prints a Markdown table for PERFORMANCE.md.

use std::path::Path;

#[path = "support/unit.rs"]
mod unit;

#[path = "support/process.rs"]
mod process;

/// `vlu args` on the unit in `data`, with no configuration of the caller's.
fn env(data: &Path) -> [(&'static str, String); 2] {
    [
        ("VLU_DATA_DIR", data.display().to_string()),
        (
            "XDG_CONFIG_HOME",
            data.join("no-config").display().to_string(),
        ),
    ]
}

fn vlu(data: &Path, args: &[&str]) -> std::time::Duration {
    let env = env(data);
    process::vlu(&[(env[0].0, &env[0].1), (env[1].0, &env[1].1)], args)
}

fn timed(n: usize, data: &Path, args: &[&str]) -> String {
    let env = env(data);
    process::timed(n, &[(env[0].0, &env[0].1), (env[1].0, &env[1].1)], args)
}

/// The unit service's resident memory, in MB.
fn service_rss(data: &Path) -> String {
    unit::service_memory(data, "VmRSS").map_or_else(|| "n/a".into(), |mb| format!("{mb:.0} MB"))
}

fn main() {
    let sizes = unit::sizes("10000,100000");
    println!(
        "| victims | first return (works out and keeps the facts) | service RSS after it | a quarter | one officer's quarter | five years | service RSS after |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for n in sizes {
        let work = tempfile::tempdir().expect("a work directory");
        let data = work.path().join("data");
        let file = work.path().join("unit.json");
        let file = file.to_str().expect("a path");
        let size = n.to_string();
        vlu(&data, &unit::generate_args(&size, file));
        vlu(&data, &["import", file]);
        let quarter = [
            "report",
            "--from",
            "2026-07-01",
            "--to",
            "2026-09-30",
            "--format",
            "json",
        ];
        let officer = [
            "report",
            "--from",
            "2026-07-01",
            "--to",
            "2026-09-30",
            "--officer",
            "o003",
            "--format",
            "json",
        ];
        let years = [
            "report",
            "--from",
            "2021-10-01",
            "--to",
            "2026-09-30",
            "--format",
            "json",
        ];
        let first = vlu(&data, &quarter);
        let rss_first = service_rss(&data);
        let q = timed(7, &data, &quarter);
        let o = timed(7, &data, &officer);
        let y = timed(7, &data, &years);
        let rss = service_rss(&data);
        vlu(&data, &["serve", "--stop"]);
        println!(
            "| {n} | {:.2} s | {rss_first} | {q} | {o} | {y} | {rss} |",
            first.as_secs_f64()
        );
    }
}
