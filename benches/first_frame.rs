//! The screens through a warm unit service, as a person opens them: `cargo bench --bench
//! first_frame` (sizes from `VLU_BENCH_SIZES`, default `10000,100000`).
//!
//! For each size, a unit made by `vlu generate --victims N --seed 11` and imported; its unit
//! service started and warmed by one `vlu diary`; then the real release binary's screens in
//! a 120x40 tmux pane, three times: start to the first frame that shows the caseload, a key
//! (down) to a visible change (p99 of 30), the slowest keystroke of a search, and the
//! screens' peak memory (`VmHWM`). The service's memory (`VmRSS`) is read at rest before
//! the screens and after them, with its peak; then its peak is set back (`clear_refs`) and
//! a quarter's monitoring return asked of it twice (`vlu report`, whole process): its peak
//! during the first (which works out and keeps each victim's facts for the return, as the
//! first return after an import does) and during the second (from the facts kept).
//!
//! `VLU_BENCH_BIN=path/to/vlu` measures another build the same way. Prints a Markdown table
//! for PERFORMANCE.md.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/unit.rs"]
mod unit;

#[path = "support/screens.rs"]
mod screens;

/// The binary measured: this build's, or another's (`VLU_BENCH_BIN`, for a before and after).
fn bin() -> String {
    std::env::var("VLU_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_vlu").to_owned())
}

/// `vlu args` on `data`, with no configuration of the caller's; it must succeed.
fn vlu(data: &Path, args: &[&str]) {
    let out = Command::new(bin())
        .args(args)
        .env("VLU_DATA_DIR", data)
        .env("XDG_CONFIG_HOME", data.with_extension("config"))
        .stdin(Stdio::null())
        .output()
        .expect("vlu runs");
    assert!(
        out.status.success(),
        "vlu {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The unit service on `data`, in the foreground of a child process, answering once a
/// diary has been asked of it (which also reads the unit in).
fn serve(data: &Path) -> Child {
    // Named on its command line, where `unit::service_memory` finds it.
    let mut child = Command::new(bin())
        .arg("--data-dir")
        .arg(data)
        .arg("serve")
        .env("XDG_CONFIG_HOME", data.with_extension("config"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the service starts");
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(600) {
        let asked = Command::new(bin())
            .args(["diary", "--format", "json"])
            .env("VLU_DATA_DIR", data)
            .env("XDG_CONFIG_HOME", data.with_extension("config"))
            .stdin(Stdio::null())
            .output()
            .expect("vlu runs");
        if asked.status.success() && unit::service_memory(data, "VmRSS").is_some() {
            return child;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the unit service did not answer");
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn mb(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_owned(), |x| format!("{x:.0} MB"))
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    println!(
        "| victims | first frame (3 runs) | key to frame p99 | slowest search key | screens' peak | service at rest, before / after the screens | service's peak | its peak during a quarter's return: the first / the next |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for n in unit::sizes("10000,100000") {
        let work = tempfile::tempdir().expect("a work directory");
        let file = work.path().join("unit.json");
        let data = work.path().join("data");
        let size = n.to_string();
        let file_arg = file.to_str().expect("a path");
        vlu(
            &work.path().join("gen"),
            &unit::generate_args(&size, file_arg),
        );
        vlu(&data, &["import", file_arg]);
        std::fs::remove_file(&file).expect("the file removed");
        let mut service = serve(&data);
        let at_rest = unit::service_memory(&data, "VmRSS");
        let data_dir = data.to_str().expect("a path");
        let config = data.with_extension("config");
        let env = [
            ("VLU_DATA_DIR", data_dir),
            ("XDG_CONFIG_HOME", config.to_str().expect("a path")),
        ];
        let runs: Vec<screens::Screens> = (0..3)
            .map(|_| screens::real_screens(&bin(), &env).expect("tmux and /proc"))
            .collect();
        let after = unit::service_memory(&data, "VmRSS");
        let peak = unit::service_memory(&data, "VmHWM");
        // The peak from now: during each report alone.
        let report_peak = || {
            let _ = std::fs::write(format!("/proc/{}/clear_refs", service.id()), "5");
            let quarter = ["--from", "2026-07-01", "--to", "2026-09-30"];
            vlu(
                &data,
                &[&["report", "--format", "json"][..], &quarter].concat(),
            );
            mb(unit::service_memory(&data, "VmHWM"))
        };
        let report_peak = format!("{} / {}", report_peak(), report_peak());
        let mut firsts: Vec<Duration> = runs.iter().map(|r| r.first).collect();
        firsts.sort();
        let worst = |f: fn(&screens::Screens) -> Duration| runs.iter().map(f).max().unwrap();
        let screens_peak = runs.iter().map(|r| r.peak_mb).fold(0.0, f64::max);
        println!(
            "| {n} | {} ({}–{}) | {} | {} | {screens_peak:.0} MB | {} / {} | {} | {} |",
            ms(firsts[1]),
            ms(firsts[0]),
            ms(firsts[2]),
            ms(worst(|r| r.key_p99)),
            ms(worst(|r| r.search_max)),
            mb(at_rest),
            mb(after),
            mb(peak),
            report_peak,
        );
        let _ = Command::new(bin())
            .args(["serve", "--stop"])
            .env("VLU_DATA_DIR", &data)
            .output();
        let _ = service.wait();
    }
}
