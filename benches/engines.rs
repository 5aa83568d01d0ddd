//! The two engines side by side: `VLU_BENCH_POSTGRES='host=/tmp/pg user=postgres' cargo
//! bench --bench engines` (sizes from `VLU_BENCH_SIZES`, default `10000`). For each size it
//! writes a generated unit (`vlu generate --seed 11`), imports it into a data directory
//! (sled) and into a PostgreSQL unit of a database it makes for the run, then times the real
//! release binary as a whole process on each, the unit service warm: import (one run),
//! `diary --format json` and one officer's diary (21 runs: median, min–max), export (3 runs)
//! and check (one run); the screens in a 120×40 tmux pane where tmux is installed (first
//! frame, key to frame p99, the slowest keystroke of a search); and checks that the two
//! diaries and the two exports are the same byte for byte. Prints a Markdown table for PERFORMANCE.md. Without `VLU_BENCH_POSTGRES` it says
//! so and measures nothing.

#[path = "support/unit.rs"]
#[allow(dead_code, reason = "this bench reads no unit service's memory")]
mod unit;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/database.rs"]
mod database;
#[path = "support/screens.rs"]
mod screens;

const VLU: &str = env!("CARGO_BIN_EXE_vlu");

/// Where a unit's records are: a data directory, and the database as the unit's role.
struct Side<'a> {
    name: &'static str,
    dir: &'a Path,
    store: Option<&'a str>,
}

impl Side<'_> {
    fn vlu(&self, args: &[&str]) -> (Duration, Vec<u8>) {
        let mut cmd = Command::new(VLU);
        cmd.args(args)
            .env("VLU_DATA_DIR", self.dir)
            .env("VLU_IDLE_SECONDS", "900")
            .env_remove("VLU_CONFIG")
            .stderr(Stdio::piped());
        match self.store {
            Some(url) => cmd.env("VLU_STORE", url),
            None => cmd.env_remove("VLU_STORE"),
        };
        let start = Instant::now();
        let out = cmd.output().expect("vlu runs");
        let wall = start.elapsed();
        assert!(
            out.status.success(),
            "{} vlu {args:?}: {}",
            self.name,
            String::from_utf8_lossy(&out.stderr)
        );
        (wall, out.stdout)
    }

    /// Median, min and max of `n` runs, in ms.
    fn timed(&self, n: usize, args: &[&str]) -> String {
        let mut times: Vec<f64> = (0..n)
            .map(|_| self.vlu(args).0.as_secs_f64() * 1000.0)
            .collect();
        times.sort_by(f64::total_cmp);
        if n == 1 {
            return format!("{:.0} ms", times[0]);
        }
        format!(
            "{:.1} ms ({:.1}–{:.1})",
            times[n / 2],
            times[0],
            times[n - 1]
        )
    }
}

fn main() {
    let Ok(server) = std::env::var("VLU_BENCH_POSTGRES") else {
        eprintln!("engines: VLU_BENCH_POSTGRES names no PostgreSQL server; nothing measured");
        return;
    };
    let sizes = unit::sizes("10000");
    let run = std::process::id();
    let db_admin = database::fresh(&server, &format!("vlu_bench_{run}"));
    println!(
        "| victims | engine | import | diary json, warm | one officer's diary, warm | export | check | screens: first frame | key to frame p99 | slowest search key |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for n in sizes {
        let work = tempfile::tempdir().unwrap();
        let file = work.path().join("unit.json");
        let role = format!("vlu_bench_{run}_{n}");
        vlu::store::database::add_unit(&db_admin, &format!("bench-{n}"), "Bench unit", &role)
            .expect("unit added");
        let url = format!("{db_admin} user={role}");
        let sled_dir = work.path().join("sled");
        let pg_dir = work.path().join("pg");
        let engines = [
            Side {
                name: "sled",
                dir: &sled_dir,
                store: None,
            },
            Side {
                name: "PostgreSQL",
                dir: &pg_dir,
                store: Some(&url),
            },
        ];
        engines[0].vlu(&[
            "generate",
            "--victims",
            &n.to_string(),
            "--seed",
            "11",
            "--out",
            file.to_str().unwrap(),
        ]);
        let mut diaries = Vec::new();
        let mut exports = Vec::new();
        for side in &engines {
            let import = side.timed(1, &["import", file.to_str().unwrap()]);
            let diary = ["diary", "--format", "json", "--date", "2027-01-04"];
            diaries.push(side.vlu(&diary).1);
            let officer = ["diary", "--officer", "o018", "--date", "2027-01-05"];
            side.vlu(&officer);
            let diary_time = side.timed(21, &diary);
            let officer_time = side.timed(21, &officer);
            let out = work.path().join(format!("{}.json", side.name));
            let export = side.timed(3, &["export", out.to_str().unwrap()]);
            exports.push(std::fs::read(&out).unwrap());
            let check = side.timed(1, &["check"]);
            let dir = side.dir.to_str().unwrap();
            let mut env = vec![("VLU_DATA_DIR", dir)];
            env.extend(side.store.map(|url| ("VLU_STORE", url)));
            let real = screens::real_screens(VLU, &env);
            side.vlu(&["serve", "--stop"]);
            let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
            println!(
                "| {n} | {} | {import} | {diary_time} | {officer_time} | {export} | {check} | {} | {} | {} |",
                side.name,
                real.map_or("n/a".into(), |r| ms(r.first)),
                real.map_or("n/a".into(), |r| ms(r.key_p99)),
                real.map_or("n/a".into(), |r| ms(r.search_max)),
            );
        }
        assert!(diaries[0] == diaries[1], "the two diaries differ at {n}");
        assert!(exports[0] == exports[1], "the two exports differ at {n}");
    }
    eprintln!("engines: the diaries and the exports were the same byte for byte at every size");
}
