//! Many people saving at once: `VLU_BENCH_POSTGRES='host=/tmp/pg user=postgres' cargo bench
//! --bench writers` (`VLU_BENCH_SAVES`, saves each writer makes, default 40;
//! `VLU_BENCH_VICTIMS`, the unit's size, default 10000).
//!
//! A generated unit is imported into a data directory (sled) and into a PostgreSQL unit.
//! Each writer is a client of a unit service, as a screen is, and logs contacts to victims
//! of its own, one after another, as fast as the service answers; each save is timed from the
//! request to its answer. The writers are one account's, and a service lets an account hold
//! at most 32 connections, so one host has 30 writers: sled on one host; PostgreSQL on one
//! host, then on two (two data directories, a service each, one database) with 25 writers
//! each, 50 in all. Prints a Markdown table of the saves' times (median, 95th and 99th
//! percentile, the slowest) and the saves a second. Without `VLU_BENCH_POSTGRES` only sled is
//! measured.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use vlu::domain::model::Contact;
use vlu::service::client::Client;
use vlu::unit::api::UnitStore;
use vlu::unit::command::Command as Change;

#[path = "support/database.rs"]
mod database;

const VLU: &str = env!("CARGO_BIN_EXE_vlu");

fn vlu(dir: &Path, store: Option<&str>, args: &[&str]) {
    let mut cmd = Command::new(VLU);
    cmd.args(args)
        .env("VLU_DATA_DIR", dir)
        .env("VLU_IDLE_SECONDS", "900")
        .env_remove("VLU_CONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    match store {
        Some(url) => cmd.env("VLU_STORE", url),
        None => cmd.env_remove("VLU_STORE"),
    };
    let out = cmd.output().expect("vlu runs");
    assert!(
        out.status.success(),
        "vlu {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A count of writers or saves, which is small.
fn count(n: usize) -> u32 {
    u32::try_from(n).expect("a small count")
}

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .map_or(default, |v| v.parse().expect("a number"))
}

/// How often each writer saves: as fast as the service answers, or once every so often
/// (the writers' saves spread evenly over it).
#[derive(Clone, Copy)]
enum Pace {
    FlatOut,
    Every(Duration),
}

/// `writers` clients, spread over the services of `hosts`, each saving `saves` contacts at
/// `pace`; every save's time, and the whole run's.
fn saves(
    hosts: &[PathBuf],
    writers: usize,
    pace: Pace,
    saves: usize,
    victims: usize,
) -> (Vec<Duration>, Duration) {
    let contact: Contact = serde_json::from_str(
        r#"{"on": "2026-11-24", "kind": "note", "method": "none", "direction": "internal",
            "summary": "Checked the file before the parole hearing.", "by": "o001"}"#,
    )
    .expect("a contact");
    let began = Instant::now();
    let times = std::thread::scope(|scope| {
        let running: Vec<_> = (0..writers)
            .map(|w| {
                let (dir, contact) = (&hosts[w % hosts.len()], &contact);
                scope.spawn(move || {
                    let client = Client::connect(dir)
                        .expect("the service answers")
                        .expect("a service runs");
                    let start = Instant::now();
                    (0..saves)
                        .map(|n| {
                            if let Pace::Every(every) = pace {
                                let at =
                                    start + every * count(w) / count(writers) + every * count(n);
                                std::thread::sleep(at.saturating_duration_since(Instant::now()));
                            }
                            // A victim of this writer's own: every writers' victims differ.
                            let victim = format!("V-{:06}", 1 + (w + n * writers) % victims);
                            let change = Change::LogContact {
                                victim,
                                contact: contact.clone(),
                            };
                            let asked = Instant::now();
                            client.execute(&change).expect("saved");
                            asked.elapsed()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        running
            .into_iter()
            .flat_map(|t| t.join().expect("a writer finished"))
            .collect::<Vec<_>>()
    });
    (times, began.elapsed())
}

fn row(
    engine: &str,
    hosts: usize,
    writers: usize,
    pace: Pace,
    mut times: Vec<Duration>,
    wall: Duration,
) {
    let pace = match pace {
        Pace::FlatOut => "flat out".to_owned(),
        Pace::Every(every) => format!("every {} s", every.as_secs_f64()),
    };
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |percent: usize| ms(times[(times.len() - 1) * percent / 100]);
    println!(
        "| {engine} | {hosts} | {writers} | {pace} | {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms | {:.0} |",
        times.len(),
        at(50),
        at(95),
        at(99),
        ms(*times.last().expect("saves")),
        f64::from(count(times.len())) / wall.as_secs_f64()
    );
}

fn main() {
    let each = setting("VLU_BENCH_SAVES", 40);
    let victims = setting("VLU_BENCH_VICTIMS", 10_000);
    let work = tempfile::tempdir().expect("a work directory");
    let file = work.path().join("unit.json");
    let sled = work.path().join("sled");
    vlu(
        &sled,
        None,
        &[
            "generate",
            "--victims",
            &victims.to_string(),
            "--seed",
            "11",
        ]
        .into_iter()
        .chain(["--out", file.to_str().expect("a path")])
        .collect::<Vec<_>>(),
    );
    println!(
        "| engine | hosts | writers | each saves | saves | median | p95 | p99 | slowest | saves/s |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    let second = Pace::Every(Duration::from_secs(1));
    vlu(&sled, None, &["import", file.to_str().expect("a path")]);
    vlu(&sled, None, &["diary", "--format", "json"]);
    for (writers, pace) in [(1, Pace::FlatOut), (30, Pace::FlatOut), (30, second)] {
        let (times, wall) = saves(std::slice::from_ref(&sled), writers, pace, each, victims);
        row("sled", 1, writers, pace, times, wall);
    }
    vlu(&sled, None, &["serve", "--stop"]);

    let Ok(server) = std::env::var("VLU_BENCH_POSTGRES") else {
        eprintln!("writers: VLU_BENCH_POSTGRES names no PostgreSQL server; sled only");
        return;
    };
    let run = std::process::id();
    let db_admin = database::fresh(&server, &format!("vlu_writers_{run}"));
    let role = format!("vlu_writers_{run}");
    vlu::store::database::add_unit(&db_admin, "writers", "Writers", &role).expect("a unit");
    let url = format!("{db_admin} user={role}");
    let hosts = [work.path().join("host-a"), work.path().join("host-b")];
    for host in &hosts {
        std::fs::create_dir(host).expect("a data directory");
    }
    vlu(
        &hosts[0],
        Some(&url),
        &["import", file.to_str().expect("a path")],
    );
    for host in &hosts {
        vlu(host, Some(&url), &["diary", "--format", "json"]);
    }
    for (writers, pace) in [(1, Pace::FlatOut), (30, Pace::FlatOut), (30, second)] {
        let (times, wall) = saves(&hosts[..1], writers, pace, each, victims);
        row("PostgreSQL", 1, writers, pace, times, wall);
    }
    for pace in [Pace::FlatOut, second] {
        let (times, wall) = saves(&hosts, 50, pace, each, victims);
        row("PostgreSQL", hosts.len(), 50, pace, times, wall);
    }
    for host in &hosts {
        vlu(host, Some(&url), &["serve", "--stop"]);
    }
}
