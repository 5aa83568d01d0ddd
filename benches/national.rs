//! A national-sized database: `VLU_BENCH_POSTGRES='host=/tmp/pg user=postgres' cargo bench
//! --bench national` (`VLU_BENCH_VICTIMS`, default 1,000,000; `VLU_BENCH_UNITS`, default
//! 150).
//!
//! Generates the units (`vlu generate --units`), makes a database for the run with a role
//! for each, loads them all with `vlu db load` (timed, one run), then times the real release
//! binary as a whole process on the first unit, its unit service warm: `diary --format json`
//! and one officer's diary (21 runs: median, min–max), a quarter's monitoring return (5
//! runs), the whole country's quarter as a national role (`vlu db report`, 3 runs), and —
//! where tmux is installed — the screens in a 120×40 pane (start to the first
//! frame of the caseload, key to frame p99, the slowest keystroke of a search). Prints a
//! Markdown table for PERFORMANCE.md. Without `VLU_BENCH_POSTGRES` it measures nothing.

use std::time::Duration;

use process::{VLU, timed, vlu};

#[path = "support/database.rs"]
mod database;
#[path = "support/process.rs"]
mod process;
#[path = "support/screens.rs"]
mod screens;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .map_or(default, |v| v.parse().expect("a number"))
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let Ok(server) = std::env::var("VLU_BENCH_POSTGRES") else {
        eprintln!("national: VLU_BENCH_POSTGRES names no PostgreSQL server; nothing measured");
        return;
    };
    let victims = setting("VLU_BENCH_VICTIMS", 1_000_000);
    let units = setting("VLU_BENCH_UNITS", 150);
    let work = tempfile::tempdir().expect("a work directory");
    let files = work.path().join("units");
    let (v, u) = (victims.to_string(), units.to_string());
    let made = vlu(
        &[],
        &[
            "generate",
            "--victims",
            &v,
            "--units",
            &u,
            "--out",
            files.to_str().expect("a path"),
        ],
    );
    let run = std::process::id();
    let database = format!("vlu_national_{run}");
    let db_admin = database::fresh(&server, &database);
    for n in 1..=units {
        let role = format!("vlu_nat_{run}_{n}");
        vlu::store::database::add_unit(&db_admin, &format!("unit-{n:03}"), "Unit", &role)
            .expect("a unit");
    }
    let load = vlu(
        &[],
        &[
            "db",
            "load",
            "--url",
            &db_admin,
            files.to_str().expect("a path"),
        ],
    );
    let data = work.path().join("host");
    std::fs::create_dir(&data).expect("a data directory");
    let url = format!("{db_admin} user=vlu_nat_{run}_1");
    let env = [
        ("VLU_DATA_DIR", data.to_str().expect("a path")),
        ("VLU_STORE", url.as_str()),
    ];
    let unit_victims = victims / units + usize::from(!victims.is_multiple_of(units));
    let diary = ["diary", "--format", "json", "--date", "2027-01-04"];
    let officer = ["diary", "--officer", "o003", "--date", "2027-01-04"];
    let quarter = ["report", "--from", "2026-07-01", "--to", "2026-09-30"];
    vlu(&env, &diary);
    vlu(&env, &officer);
    let diary_time = timed(21, &env, &diary);
    let officer_time = timed(21, &env, &officer);
    let report_time = timed(5, &env, &quarter);
    // The whole country's quarter, as a national role, from the facts every unit keeps.
    let national_role = format!("vlu_nat_{run}_national");
    vlu(
        &[],
        &[
            "db",
            "add-national-role",
            &national_role,
            "--url",
            &db_admin,
        ],
    );
    let national_url = format!("{db_admin} user={national_role}");
    let country = [
        "db",
        "report",
        "--url",
        &national_url,
        "--from",
        "2026-07-01",
        "--to",
        "2026-09-30",
    ];
    let country_time = timed(3, &[], &country);
    let real = screens::real_screens(VLU, &env);
    vlu(&env, &["serve", "--stop"]);
    println!(
        "| victims | units | generate | `db load` | a unit's victims | its diary, warm | one officer's | a quarter's return | the country's quarter, national role | screens: first frame | key to frame p99 | slowest search key |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    println!(
        "| {victims} | {units} | {:.1} s | {:.1} s | {unit_victims} | {diary_time} | {officer_time} | {report_time} | {country_time} | {} | {} | {} |",
        made.as_secs_f64(),
        load.as_secs_f64(),
        real.map_or("n/a".into(), |r| ms(r.first)),
        real.map_or("n/a".into(), |r| ms(r.key_p99)),
        real.map_or("n/a".into(), |r| ms(r.search_max)),
    );
    // The run's database is large: it goes.
    if let Ok(mut admin) = postgres::Client::connect(&server, postgres::NoTls) {
        let _ = admin.batch_execute(&format!("DROP DATABASE {database} WITH (FORCE)"));
    }
}
