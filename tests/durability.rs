//! Nothing acknowledged as saved is ever lost, even on kill -9.
//!
//! The test re-runs its own binary as a child that saves contacts in a loop and prints
//! `saved N` after each save returns. The parent kills it with SIGKILL at a random moment,
//! then checks that every save the child reported is in the store and that `vlu check`
//! passes.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Sandbox, minimal};
use vlu::store::Store;

const CHILD_DIR: &str = "VLU_TEST_SAVE_LOOP_DIR";

/// The child: does nothing unless run by the test below.
#[test]
fn child_saves_in_a_loop() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return;
    };
    let store = Store::open(std::path::Path::new(&dir), "child").unwrap();
    for n in 0.. {
        let victim = if n % 2 == 0 { "V-1" } else { "V-2" };
        store
            .append_contact(victim, &common::note(&format!("save {n}")))
            .unwrap();
        println!("saved {n}");
    }
}

/// A cheap random delay without a random-number crate: the std hasher is randomly seeded.
fn random_millis(range: std::ops::Range<u64>) -> u64 {
    use std::hash::{BuildHasher, RandomState};
    range.start + RandomState::new().hash_one(Instant::now()) % (range.end - range.start)
}

#[test]
fn kill_9_loses_nothing_that_was_reported_saved() {
    for round in 0..4 {
        let s = Sandbox::new();
        s.import_value(&minimal());
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "child_saves_in_a_loop",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_DIR, s.data_dir())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (first, saving) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut saved = Vec::new();
            for n in BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("saved ").and_then(|n| n.parse::<u64>().ok()))
            {
                if saved.is_empty() {
                    let _ = first.send(());
                }
                saved.push(n);
            }
            saved
        });
        // Killed at a random moment once it is saving (a loaded machine starts it slowly).
        saving.recv_timeout(Duration::from_secs(30)).ok();
        std::thread::sleep(Duration::from_millis(random_millis(0..750)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let reported = reader.join().unwrap();
        assert!(
            !reported.is_empty(),
            "round {round}: the child saved nothing before the kill"
        );

        let store = s.store();
        let caseload = store.load().unwrap();
        let saved: std::collections::HashSet<String> = caseload
            .victims
            .iter()
            .flat_map(|v| &v.contacts)
            .filter_map(|c| c.summary.clone())
            .collect();
        for n in &reported {
            assert!(
                saved.contains(&format!("save {n}")),
                "round {round}: save {n} was reported but is lost"
            );
        }
        assert!(
            store.check().unwrap().is_empty(),
            "round {round}: {:?}",
            store.check()
        );
        drop(store);
        s.vlu().arg("check").assert().success();
        eprintln!(
            "round {round}: {} saves reported, all present",
            reported.len()
        );
    }
}

/// The real binary: `vlu import` killed with SIGKILL at a random moment leaves the store with
/// all of the file or none of it, sound, and the next import of it goes through. Each round
/// starts from the sample alone, so a partial import cannot hide behind an earlier whole one.
#[test]
fn kill_9_of_an_import_leaves_all_of_the_file_or_none() {
    let first = common::Sandbox::new();
    let file = first.root.path().join("generated.json");
    first
        .vlu()
        .args(["generate", "--victims", "3000", "--out"])
        .arg(&file)
        .assert()
        .success();
    let victims = |s: &common::Sandbox| {
        let out = s.vlu().arg("check").assert().success();
        let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        said.split(", ")
            .find_map(|part| part.strip_suffix(" victims"))
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or_else(|| panic!("check says how many victims: {said}"))
    };
    let mut outcomes = Vec::new();
    for round in 0..6 {
        let s = common::Sandbox::with_sample();
        let mut child = Command::new(env!("CARGO_BIN_EXE_vlu"))
            .env("VLU_IDLE_SECONDS", common::IDLE)
            .env("VLU_DATA_DIR", s.data_dir())
            .env("XDG_CONFIG_HOME", s.root.path().join("config"))
            .arg("import")
            .arg(&file)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // A debug build takes about 2.7 s over this file: reading, checking, writing, backing up.
        std::thread::sleep(Duration::from_millis(random_millis(200..3200)));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok();
        child.wait().unwrap();
        let n = victims(&s);
        assert!(
            n == 45 || n == 3045,
            "round {round}: all or nothing, but the store has {n} victims"
        );
        outcomes.push((finished, n));
        if round == 5 {
            // (--replace: the kill may have come after the import was whole.)
            s.vlu()
                .args(["import", "--replace"])
                .arg(&file)
                .assert()
                .success();
            assert_eq!(victims(&s), 3045, "the import goes through after a kill");
        }
    }
    eprintln!("(finished before the kill, victims after): {outcomes:?}");
    assert!(
        outcomes.iter().any(|(finished, _)| !finished),
        "at least one kill landed while the import ran"
    );
}
