//! The database server restarted (`pg_ctl restart -m immediate`) under twenty writers: every
//! write acknowledged before, during or after is there afterwards, the store is sound (no
//! write half made), and the unit service carried on by itself. A test binary of its own,
//! for it stops the server every other PostgreSQL test uses.
//!
//! `VLU_TEST_POSTGRES_RESTART` is the shell command that restarts the test server (`.ci/run`
//! sets it); without it the test says it was skipped, and under CI fails.

mod common;

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::service::Service;
use common::{Casework, Sandbox};
use vlu::service::client::Client;
use vlu::unit::api::{News, UnitStore};

/// One fault at a time: a restart of the server would fail the other test's writes.
static ALONE: Mutex<()> = Mutex::new(());

fn restart_command() -> Option<String> {
    let command = std::env::var("VLU_TEST_POSTGRES_RESTART").ok();
    if command.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI restarts the test server: set VLU_TEST_POSTGRES_RESTART (see .ci/run)"
        );
        eprintln!("skipped: VLU_TEST_POSTGRES_RESTART names no way to restart the test server");
    }
    command
}

#[test]
fn every_acknowledged_write_survives_the_database_restarting_under_twenty_writers() {
    let _alone = ALONE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(s) = Sandbox::with_sample_in_postgres() else {
        return;
    };
    let Some(restart) = restart_command() else {
        return;
    };
    let _service = Service::start(&s);
    let dir = s.data_dir();
    // A screen's news: it hears that the database went, and is told to read everything
    // again once it is back.
    let (news, heard) = std::sync::mpsc::channel();
    Client::subscribe(&dir, news, |n| n, None).unwrap();
    let stop = AtomicBool::new(false);
    let restarted_at: Mutex<Option<Instant>> = Mutex::new(None);
    // (summary, acknowledged when)
    let acked: Mutex<Vec<(String, Instant)>> = Mutex::new(Vec::new());
    let failed = Mutex::new(0_usize);
    std::thread::scope(|scope| {
        for writer in 0..20 {
            let (dir, stop, acked, failed) = (&dir, &stop, &acked, &failed);
            scope.spawn(move || {
                let victim = format!("V-{:04}", writer + 1);
                let mut client = Client::connect(dir).unwrap().unwrap();
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let summary = format!("Writer {writer}, call {n}.");
                    if client
                        .append_contact(&victim, &common::note(&summary))
                        .is_ok()
                    {
                        acked.lock().unwrap().push((summary, Instant::now()));
                    } else {
                        *failed.lock().unwrap() += 1;
                        std::thread::sleep(Duration::from_millis(50));
                        if let Ok(Some(again)) = Client::connect(dir) {
                            client = again;
                        }
                    }
                }
            });
        }
        std::thread::sleep(Duration::from_millis(700));
        let status = std::process::Command::new("sh")
            .args(["-c", &restart])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "the test server restarted");
        *restarted_at.lock().unwrap() = Some(Instant::now());
        std::thread::sleep(Duration::from_millis(1500));
        stop.store(true, Ordering::SeqCst);
    });
    let restarted = restarted_at.into_inner().unwrap().unwrap();
    let acked = acked.into_inner().unwrap();
    let after = acked.iter().filter(|(_, at)| *at > restarted).count();
    assert!(
        after >= 20,
        "the service carried on after the restart: {after} writes acknowledged after it"
    );
    // Every acknowledged write is in its victim's log.
    let reader = Client::connect(&dir).unwrap().unwrap();
    let mut present = BTreeSet::new();
    for writer in 0..20 {
        let victim = format!("V-{:04}", writer + 1);
        for contact in reader.victim(&victim).unwrap().unwrap().contacts {
            if let Some(summary) = contact.summary {
                present.insert(summary);
            }
        }
    }
    let lost: Vec<&String> = acked
        .iter()
        .map(|(s, _)| s)
        .filter(|s| !present.contains(*s))
        .collect();
    assert!(lost.is_empty(), "acknowledged and lost: {lost:?}");
    eprintln!(
        "{} writes acknowledged ({after} after the restart), {} refused while it restarted, none lost",
        acked.len(),
        failed.into_inner().unwrap()
    );
    drop(reader);
    let heard: Vec<News> = heard.try_iter().collect();
    let cut_off = heard
        .iter()
        .position(|n| matches!(n, News::Lost(why) if why.contains("database cannot be reached")))
        .unwrap_or_else(|| panic!("the screens were told the database went: {heard:?}"));
    assert!(
        heard[cut_off..].contains(&News::Reload),
        "and to read everything again once it was back: {heard:?}"
    );
    // Nothing half made: the records, the logs, the digest and the trail agree.
    common::stop_service(&dir);
    let out = s.vlu().arg("check").assert().success();
    let said = String::from_utf8_lossy(&out.get_output().stderr).into_owned()
        + &String::from_utf8_lossy(&out.get_output().stdout);
    assert!(said.contains("is sound"), "{said}");
}

#[test]
fn a_service_killed_mid_write_leaves_the_other_hosts_serving() {
    let _alone = ALONE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(first) = Sandbox::with_sample_in_postgres() else {
        return;
    };
    let second = Sandbox::on_host_of(first.store_url.as_deref().unwrap());
    let killed = Service::start(&first);
    let _kept = Service::start(&second);
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for writer in 0..4 {
            let (dir, stop) = (first.data_dir(), &stop);
            scope.spawn(move || {
                let Ok(Some(client)) = Client::connect(&dir) else {
                    return;
                };
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let note = common::note(&format!("First host, writer {writer}, call {n}."));
                    if client.append_contact("V-0001", &note).is_err() {
                        return;
                    }
                }
            });
        }
        std::thread::sleep(Duration::from_millis(300));
        // SIGKILL, mid-write: the writers are writing as fast as they can.
        drop(killed);
        stop.store(true, Ordering::SeqCst);
    });
    let other = Client::connect(&second.data_dir()).unwrap().unwrap();
    let saved = other
        .append_contact(
            "V-0002",
            &common::note("Second host, after the first died."),
        )
        .unwrap();
    assert!(saved.seq > 0);
    let log = other.victim("V-0002").unwrap().unwrap().contacts;
    assert_eq!(
        log.last().unwrap().summary.as_deref(),
        Some("Second host, after the first died.")
    );
    drop(other);
    common::stop_service(&second.data_dir());
    let out = second.vlu().arg("check").assert().success();
    let said = String::from_utf8_lossy(&out.get_output().stderr).into_owned()
        + &String::from_utf8_lossy(&out.get_output().stdout);
    assert!(said.contains("is sound"), "{said}");
}
