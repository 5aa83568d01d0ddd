//! `vlu import` at unit scale: `cargo bench --bench import` (sizes from `VLU_BENCH_SIZES`,
//! default `10000,100000`).
//!
//! For each size, a unit made by `vlu generate --victims N --seed 11`, then the real release
//! binary as a whole process, with its peak resident memory from GNU time (`/usr/bin/time`,
//! where installed):
//! - into a new data directory (no unit service: the first import makes the store), 3 runs,
//!   each into a directory of its own: median (min–max), the largest peak;
//! - into a store that holds records (one officer), through its unit service, started
//!   beforehand: the import's wall time, the client's peak and the service's (`VmHWM`);
//! - the whole file again with `--replace`, through a service started afresh: the same.
//!
//! `VLU_BENCH_BIN=path/to/vlu` measures another build the same way. Prints a Markdown table
//! for PERFORMANCE.md.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "support/unit.rs"]
mod unit;

#[path = "support/process.rs"]
#[allow(dead_code, reason = "this bench runs its own binary, under GNU time")]
mod process;

/// The binary measured: this build's, or another's (`VLU_BENCH_BIN`, for a before and after).
fn bin() -> String {
    std::env::var("VLU_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_vlu").to_owned())
}

/// The environment of a `vlu` run on the unit in `data`, with no configuration of the
/// caller's.
fn env(data: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("VLU_DATA_DIR", data.display().to_string()),
        (
            "XDG_CONFIG_HOME",
            data.with_extension("no-config").display().to_string(),
        ),
    ]
}

fn vlu(data: &Path, args: &[&str]) -> Duration {
    measured(data, args).0
}

/// One run of `vlu args` on `data` under GNU time: its wall time and peak RSS in MB.
fn measured(data: &Path, args: &[&str]) -> (Duration, Option<f64>) {
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "%M", &bin()]);
        c
    } else {
        Command::new(bin())
    };
    cmd.args(args);
    let env = env(data);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    process::run_as_a_person(&mut cmd, &env);
    let start = Instant::now();
    let out = cmd.output().expect("vlu runs");
    let wall = start.elapsed();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "vlu {args:?}: {said}");
    let kb = said
        .lines()
        .last()
        .and_then(|l| l.trim().parse::<f64>().ok());
    (wall, kb.map(|kb| kb / 1024.0))
}

/// The unit service's peak resident memory, in MB.
fn service_peak(data: &Path) -> Option<f64> {
    unit::service_memory(data, "VmHWM")
}

fn mb(m: Option<f64>) -> String {
    m.map_or_else(|| "n/a".into(), |m| format!("{m:.0} MB"))
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// Through a unit service started now on `data`: the import's wall time, the client's peak
/// and the service's.
fn through_service(data: &Path, args: &[&str]) -> String {
    // Any command starts the service; `diary` reads little.
    vlu(data, &["diary", "--format", "json"]);
    let (wall, client) = measured(data, args);
    let service = service_peak(data);
    vlu(data, &["serve", "--stop"]);
    // Stopping lets go of the store when the service has finished: wait for it.
    let stopping = Instant::now();
    while service_peak(data).is_some() && stopping.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(50));
    }
    format!("{} | {} | {}", secs(wall), mb(client), mb(service))
}

fn main() {
    let sizes = unit::sizes("10000,100000");
    println!(
        "| victims | file | into a new store (3 runs) | its peak | into a store with records, through its service | client's peak | service's peak | `--replace` of it all | client's peak | service's peak |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for n in sizes {
        let work = tempfile::tempdir().expect("a work directory");
        let file = work.path().join("unit.json");
        let file = file.to_str().expect("a path");
        let officer = work.path().join("officer.json");
        std::fs::write(
            &officer,
            r#"{"format": "vlu-caseload", "version": 1,
                "officers": [{"id": "bench-admin", "name": "Bench Admin", "role": "manager"}]}"#,
        )
        .expect("a file");
        let officer = officer.to_str().expect("a path");
        let size = n.to_string();
        vlu(&work.path().join("gen"), &unit::generate_args(&size, file));
        let bytes = std::fs::metadata(file).expect("the file").len();
        let mut walls = Vec::new();
        let mut peak: Option<f64> = None;
        for run in 0..3 {
            let data = work.path().join(format!("new-{run}"));
            let (wall, rss) = measured(&data, &["import", file]);
            walls.push(wall);
            peak = match (peak, rss) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
        }
        walls.sort();
        let new = format!("{} ({}–{})", secs(walls[1]), secs(walls[0]), secs(walls[2]));
        let data = work.path().join("with-records");
        vlu(&data, &["import", officer]);
        let into = through_service(&data, &["import", file]);
        let replace = through_service(&data, &["import", "--replace", file]);
        println!(
            "| {n} | {} MB | {new} | {} | {into} | {replace} |",
            bytes / 1_000_000,
            mb(peak)
        );
    }
}
