//! Figures at unit scale: `cargo bench --bench scale` (sizes from `VLU_BENCH_SIZES`, default
//! `1000,10000,100000`). For each size it generates a caseload with `vlu generate`'s code
//! (seed 1), then times the real release binary as a whole process: import (best of 2),
//! `diary --format json` (warm, best of 3), export; peak RSS through GNU time where present;
//! store and file sizes; and, where tmux is installed, its screens in a 120x40 pane (first
//! frame, a key, peak RSS). In process: opening the store and loading the digest, the
//! diary's reminder rules, the screens' first frame and the idle work after it, and
//! key-to-frame times over a 120x40 `TestBackend` (moving, opening a victim, the first and
//! every search keystroke, logging a call).
//! Prints two Markdown tables for PERFORMANCE.md: whole process, and in process.

#[path = "support/unit.rs"]
#[allow(dead_code, reason = "this bench reads no unit service's memory")]
mod unit;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use vlu::domain::calendar::Calendar;
use vlu::domain::reminders::{DiaryQuery, Rules, diary_from_facts};
use vlu::domain::rules::LeadTimes;
use vlu::generate::{DEFAULT_AS_OF, generate};
use vlu::store::{Digest, Store};
use vlu::tui::app::{App, Setup};
use vlu::tui::draw::draw;
use vlu::tui::keymap::Key;
use vlu::tui::run::{load_records, perform};

const VLU: &str = env!("CARGO_BIN_EXE_vlu");

/// The allocator the real binary uses, so that the in-process figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Runs vlu with arguments; returns wall time and peak RSS in MB (if GNU time is there).
fn run(data: &Path, args: &[&str]) -> (Duration, Option<f64>) {
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "%M", VLU]);
        c
    } else {
        Command::new(VLU)
    };
    cmd.args(args)
        .env("VLU_DATA_DIR", data)
        .stdout(std::process::Stdio::null());
    let start = Instant::now();
    let out = cmd.output().expect("vlu runs");
    let wall = start.elapsed();
    assert!(
        out.status.success(),
        "vlu {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rss = String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0);
    (wall, rss)
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .map(|e| {
                let m = e.metadata().ok();
                if m.as_ref().is_some_and(std::fs::Metadata::is_dir) {
                    dir_size(&e.path())
                } else {
                    m.map_or(0, |m| m.len())
                }
            })
            .sum()
    })
}

#[path = "support/screens.rs"]
mod screens;

use screens::{percentile, real_screens};

fn key_times(
    store: &Store,
    app: &mut App,
    terminal: &mut Terminal<TestBackend>,
    keys: &[&str],
    rounds: usize,
) -> Duration {
    let mut times = Vec::new();
    for _ in 0..rounds {
        for k in keys {
            let start = Instant::now();
            let _ = app.on_key(&Key::parse(k).unwrap().to_event());
            load_records(store, app);
            terminal.draw(|f| draw(f, app)).unwrap();
            times.push(start.elapsed());
        }
    }
    percentile(times, 0.99)
}

/// Logging a call from the victim view, `rounds` times: the p99 from the save key, through
/// the store's write and flush, to the next frame.
fn save_times(
    store: &Store,
    app: &mut App,
    terminal: &mut Terminal<TestBackend>,
    rounds: usize,
) -> Duration {
    let press = |app: &mut App, k: &str| app.on_key(&Key::parse(k).unwrap().to_event());
    let mut times = Vec::new();
    for _ in 0..rounds {
        for k in ["enter", "a", "tab", "tab", "tab", "tab", "tab", "tab"] {
            let _ = press(app, k);
            load_records(store, app);
        }
        for c in "Rang; no answer.".chars() {
            let _ = press(app, &c.to_string().replace(' ', "space"));
        }
        let start = Instant::now();
        if let Some(effect) = press(app, "ctrl-s") {
            perform(store, app, &effect);
        }
        load_records(store, app);
        terminal.draw(|f| draw(f, app)).unwrap();
        times.push(start.elapsed());
        assert_eq!(app.screen().message.as_deref(), Some("Contact saved."));
        let _ = press(app, "esc");
    }
    percentile(times, 0.99)
}

/// The reminder rules as `vlu diary` runs them (every victim, a 14-day horizon), on a
/// caseload already in memory: the first run (as a `vlu diary` process makes it, just after
/// loading) and the best of 3 (the records then in the CPU's cache, if they fit).
fn diary_reminders(digest: &Digest) -> (Duration, Duration) {
    let calendar = Calendar::new(digest.caseload.extra_non_working_days.iter().copied());
    let lead = LeadTimes::default();
    let rules = Rules {
        calendar: &calendar,
        lead: &lead,
    };
    let query = DiaryQuery {
        date: DEFAULT_AS_OF,
        days: 14,
        officer: None,
    };
    let runs: Vec<Duration> = (0..3)
        .map(|_| {
            let start = Instant::now();
            let items = diary_from_facts(digest.joined(), &query, rules);
            assert!(!items.is_empty());
            start.elapsed()
        })
        .collect();
    (runs[0], runs.iter().copied().min().unwrap())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn mb(x: Option<f64>) -> String {
    x.map_or("n/a".into(), |v| format!("{v:.0} MB"))
}

/// Stops the unit service on the store in `data` and waits until it has let the store go.
fn stop_service(data: &Path) {
    let _ = Command::new(VLU)
        .args(["serve", "--stop"])
        .env("VLU_DATA_DIR", data)
        .output();
    let start = Instant::now();
    while data.join("vlu.sock").exists() && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The library in process over the store, as the real screens start and run: the cells of
/// a row of the second table.
fn in_process(data: &Path) -> String {
    let start = Instant::now();
    let store = Store::open(data, "bench").unwrap();
    // As the real screens start: facts, not logs; the shown log read on demand.
    let digest = store.load_digest().unwrap();
    let loaded = start.elapsed();
    // Measured apart: the screens' start does not include it.
    let (reminders_first, reminders) = diary_reminders(&digest);
    let start = Instant::now();
    let mut app = App::new(Setup {
        snoozes: store.snoozes().unwrap(),
        facts: Some(digest.facts),
        ..Setup::new(digest.caseload, DEFAULT_AS_OF, "o003")
    });
    load_records(&store, &mut app);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| draw(f, &app)).unwrap();
    let first = loaded + start.elapsed();
    // As the loop does before it waits for the first key.
    let start = Instant::now();
    while app.idle_work() {}
    let idle = start.elapsed();
    let moving = key_times(&store, &mut app, &mut terminal, &["down", "down", "up"], 50);
    let opening = key_times(&store, &mut app, &mut terminal, &["enter", "esc"], 50);
    let _ = app.on_key(&Key::parse("/").unwrap().to_event());
    // The first keystroke of the first search builds what a search looks through.
    let first_search = key_times(&store, &mut app, &mut terminal, &["m"], 1);
    let _ = app.on_key(&Key::parse("backspace").unwrap().to_event());
    let searching = key_times(
        &store,
        &mut app,
        &mut terminal,
        &["m", "a", "r", "backspace", "backspace", "backspace"],
        10,
    );

    let _ = app.on_key(&Key::parse("esc").unwrap().to_event());
    let saving = save_times(&store, &mut app, &mut terminal, 10);
    [
        loaded,
        reminders_first,
        reminders,
        first,
        idle,
        moving,
        opening,
        first_search,
        searching,
        saving,
    ]
    .map(ms)
    .join(" | ")
        + " |"
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let sizes = unit::sizes("1000,10000,100000");
    // Two tables: the real binary as a whole process, and the library in process.
    let mut whole = vec![
        "| victims | contacts | JSON | store | import (best of 2) | import RSS | diary json (best of 3) | diary RSS | export | screens: first frame | screens: key p99 | screens RSS |".to_owned(),
        "|---|---|---|---|---|---|---|---|---|---|---|---|".to_owned(),
    ];
    let mut inside = vec![
        "| victims | open + load digest | diary reminders: first run | diary reminders: best of 3 | first frame | idle work after it | move p99 | open p99 | first search key | search key p99 | log a call p99 |".to_owned(),
        "|---|---|---|---|---|---|---|---|---|---|---|".to_owned(),
    ];
    for n in sizes {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("unit.json");
        let data = tmp.path().join("store");
        let caseload = generate(n, 1, DEFAULT_AS_OF);
        let contacts: usize = caseload.victims.iter().map(|v| v.contacts.len()).sum();
        std::fs::write(&file, serde_json::to_vec(&caseload).unwrap()).unwrap();
        drop(caseload);
        let json = std::fs::metadata(&file).unwrap().len();
        // Best of two imports (into a new store each time): the first run of a process
        // on this shared machine varies by up to 2x.
        let (first_import, first_rss) = run(&data, &["import", file.to_str().unwrap()]);
        std::fs::remove_dir_all(&data).unwrap();
        let (second_import, second_rss) = run(&data, &["import", file.to_str().unwrap()]);
        let import = first_import.min(second_import);
        let import_rss = first_rss.into_iter().chain(second_rss).reduce(f64::max);
        let as_of = DEFAULT_AS_OF.to_string();
        let diary: Vec<(Duration, Option<f64>)> = (0..3)
            .map(|_| run(&data, &["diary", "--format", "json", "--date", &as_of]))
            .collect();
        let best = diary.iter().map(|d| d.0).min().unwrap();
        let diary_rss = diary
            .iter()
            .filter_map(|d| d.1)
            .fold(None, |a: Option<f64>, b| Some(a.map_or(b, |a| a.max(b))));
        let (export, _) = run(&data, &["export"]);
        // The commands above started a unit service, which holds the store: stopped, so
        // that the in-process figures open it themselves.
        stop_service(&data);
        let store_size = dir_size(&data);

        let inside_row = in_process(&data);
        let real = real_screens(VLU, &[("VLU_DATA_DIR", data.to_str().unwrap())]);

        #[allow(clippy::cast_precision_loss)]
        let (json_mb, store_mb) = (json as f64 / 1e6, store_size as f64 / 1e6);
        whole.push(format!(
            "| {n} | {contacts} | {json_mb:.0} MB | {store_mb:.0} MB | {:.2} s | {} | {:.3} s | {} | {:.2} s | {} | {} | {} |",
            import.as_secs_f64(),
            mb(import_rss),
            best.as_secs_f64(),
            mb(diary_rss),
            export.as_secs_f64(),
            real.map_or("n/a".into(), |r| ms(r.first)),
            real.map_or("n/a".into(), |r| ms(r.key_p99)),
            mb(real.map(|r| r.peak_mb)),
        ));
        inside.push(format!("| {n} | {inside_row}"));
        eprintln!("{n} victims measured");
    }
    println!("{}\n\n{}", whole.join("\n"), inside.join("\n"));
}
