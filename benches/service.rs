//! The unit service under a unit's load: `cargo bench --bench service` (victims from
//! `VLU_BENCH_VICTIMS`, default 100,000). A generated unit is imported, `vlu serve` started,
//! and 20 screens' news connections subscribed; one client then logs 200 contacts. For each,
//! the time from the save to (a) every one of the 20 screens having the news and (b) one
//! screen having the news and read the victim back, as a screen does before it draws.
//! Also `vlu diary --format json` and `vlu status --all` as whole processes answered by the
//! warm service (20 runs each), and the service's peak RSS.

use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use vlu::domain::enums::{ContactKind, Direction, Medium};
use vlu::domain::model::Contact;
use vlu::generate::{DEFAULT_AS_OF, generate};
use vlu::service::client::Client;
use vlu::unit::api::News;
use vlu::unit::api::UnitStore;

const VLU: &str = env!("CARGO_BIN_EXE_vlu");
const SCREENS: usize = 20;
const SAVES: usize = 200;

/// The value `per_cent` of the way up the sorted figures.
fn percentile(mut xs: Vec<f64>, per_cent: usize) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[(xs.len() - 1) * per_cent / 100]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let n: usize = std::env::var("VLU_BENCH_VICTIMS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let file = tmp.path().join("unit.json");
    let caseload = generate(n, 1, DEFAULT_AS_OF);
    let victims: Vec<String> = caseload.victims.iter().map(|v| v.id.clone()).collect();
    std::fs::write(&file, serde_json::to_vec(&caseload).unwrap()).unwrap();
    drop(caseload);
    let imported = Command::new(VLU)
        .env("VLU_DATA_DIR", &data)
        .arg("import")
        .arg(&file)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(imported.success());
    let mut service = Command::new(VLU)
        .env("VLU_DATA_DIR", &data)
        .arg("serve")
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while Client::connect(&data).ok().flatten().is_none() {
        std::thread::sleep(Duration::from_millis(20));
    }
    let whole = |args: &[&str]| -> Vec<f64> {
        (0..20)
            .map(|_| {
                let start = Instant::now();
                let out = Command::new(VLU)
                    .env("VLU_DATA_DIR", &data)
                    .args(args)
                    .output()
                    .unwrap();
                assert!(out.status.success());
                ms(start.elapsed())
            })
            .collect()
    };
    let as_of = DEFAULT_AS_OF.to_string();
    let diary = whole(&["diary", "--format", "json", "--date", &as_of]);
    let status = whole(&["status", "--all", "--date", &as_of]);

    let (all_heard, visible) = saves(&data, &victims);
    let rss = std::fs::read_to_string(format!("/proc/{}/status", service.id()))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:").map(|v| v.trim().to_owned()))
        .unwrap_or_default();
    let _ = service.kill();
    let _ = service.wait();
    println!(
        "| victims | diary json, warm (p50 / p99) | status, warm (p50 / p99) | save → news at all {SCREENS} screens (p50 / p99) | save → visible in a screen (news + read back, p50 / p99) | service peak RSS |"
    );
    println!("|---|---|---|---|---|---|");
    println!(
        "| {n} | {:.1} / {:.1} ms | {:.1} / {:.1} ms | {:.1} / {:.1} ms | {:.1} / {:.1} ms | {rss} |",
        percentile(diary.clone(), 50),
        percentile(diary, 99),
        percentile(status.clone(), 50),
        percentile(status, 99),
        percentile(all_heard.clone(), 50),
        percentile(all_heard, 99),
        percentile(visible.clone(), 50),
        percentile(visible, 99),
    );
}

/// 200 contacts logged by one client with 20 screens subscribed: for each, the time to the
/// news at every screen, and to one screen having the news and the victim read back.
fn saves(data: &std::path::Path, victims: &[String]) -> (Vec<f64>, Vec<f64>) {
    let mut news = Vec::new();
    for _ in 0..SCREENS {
        let (tx, rx) = mpsc::channel();
        Client::subscribe(data, tx, |reply| (Instant::now(), reply), None).unwrap();
        news.push(rx);
    }
    let writer = Client::connect(data).unwrap().unwrap();
    let reader = Client::connect(data).unwrap().unwrap();
    let (mut all_heard, mut visible) = (Vec::new(), Vec::new());
    for i in 0..SAVES {
        let victim = &victims[(i * 7919) % victims.len()];
        let contact = Contact {
            on: DEFAULT_AS_OF,
            at: None,
            kind: ContactKind::Note,
            method: Medium::None,
            direction: Direction::Internal,
            summary: Some(format!("bench {i}")),
            by: None,
            key_date: None,
            corrects: None,
            follows: None,
            to: None,
        };
        let start = Instant::now();
        let log = vlu::unit::command::Command::LogContact {
            victim: victim.to_owned(),
            contact,
        };
        let seq = writer.execute(&log).unwrap().changed.seq;
        let mut last = start;
        for (screen, rx) in news.iter().enumerate() {
            let heard = loop {
                match rx.recv_timeout(Duration::from_secs(10)).unwrap() {
                    (at, News::Changed { changed, .. }) if changed.seq == seq => break at,
                    _ => {}
                }
            };
            if screen == 0 {
                // What a screen does with the news before it draws: read the victim back.
                let reading = Instant::now();
                reader.victim(victim).unwrap().unwrap();
                visible.push(ms(heard - start + reading.elapsed()));
            }
            last = last.max(heard);
        }
        all_heard.push(ms(last - start));
    }
    (all_heard, visible)
}
