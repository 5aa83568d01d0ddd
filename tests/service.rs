//! The unit service, as real processes over a real socket: `vlu serve` owns the store, and
//! the command line and the screens' store API reach it.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Casework;
use common::Sandbox;
use common::service::Service;
use vlu::service::client::Client;
use vlu::service::proto::Reply;
use vlu::store::{AuditQuery, StoreError};
use vlu::unit::api::{News, UnitAdmin, UnitStore};

/// Tests that time something, and the one that loads the machine with twenty writers and
/// kills: never run at once (a timing taken under that load measures the load).
static TIMED: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn timed() -> std::sync::MutexGuard<'static, ()> {
    TIMED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// While the service holds the store, the command line's readers go through it.
#[test]
fn diary_and_status_are_answered_by_the_running_service() {
    let s = Sandbox::with_sample();
    let local = s
        .vlu()
        .args(["diary", "--date", "2026-11-24", "--format", "json"])
        .output()
        .unwrap();
    let service = Service::start(&s);
    let served = s
        .vlu()
        .args(["diary", "--date", "2026-11-24", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        served.status.success(),
        "{}",
        String::from_utf8_lossy(&served.stderr)
    );
    assert_eq!(
        served.stdout, local.stdout,
        "the same diary, however it is answered"
    );
    let status = s
        .vlu()
        .args(["status", "--all", "--date", "2026-11-24"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&status.stdout),
        "17 overdue · 4 today · 15 this week\n"
    );
    assert_eq!(service.stop(), Some(0), "SIGTERM stops it cleanly");
    assert!(
        !s.data_dir().join("vlu.sock").exists(),
        "and removes its socket"
    );
    s.vlu().arg("check").assert().success();
}

/// A change one client makes reaches another's subscription within a second, named by who
/// made it; the second reads the record back and finds the change.
#[test]
fn a_change_in_one_client_reaches_another_within_a_second() {
    let _alone = timed();
    let s = Sandbox::with_sample();
    let _service = Service::start(&s);
    let writer = Client::connect(&s.data_dir()).unwrap().unwrap();
    let reader = Client::connect(&s.data_dir()).unwrap().unwrap();
    let (tx, news) = std::sync::mpsc::channel();
    Client::subscribe(&s.data_dir(), tx, |news| news, None).unwrap();
    let started = Instant::now();
    let changed = writer
        .append_contact("V-0001", &common::note("Rang: no answer."))
        .unwrap();
    let (heard, by) = loop {
        if let News::Changed { changed, by } = news
            .recv_timeout(Duration::from_secs(1))
            .expect("news within a second")
        {
            break (changed, by);
        }
    };
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(heard.seq, changed.seq);
    assert_eq!(heard.victims, ["V-0001"]);
    assert_eq!(by, writer.user, "named by who made it");
    let log = reader.victim("V-0001").unwrap().unwrap().contacts;
    assert_eq!(
        log.last().unwrap().summary.as_deref(),
        Some("Rang: no answer.")
    );
}

/// Who you are comes from the kernel: `USER` set to someone else changes nothing, and the
/// audit trail names the real user.
#[test]
fn the_environment_never_changes_who_you_are() {
    let s = Sandbox::with_sample();
    let service = Service::start(&s);
    let me = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout)
        .unwrap()
        .trim()
        .to_owned();
    let client = Client::connect(&s.data_dir()).unwrap().unwrap();
    assert_eq!(client.user, me);
    let out = s
        .vlu()
        .env("USER", "sahmed")
        .env("LOGNAME", "sahmed")
        .args(["status", "--date", "2026-11-24"])
        .output()
        .unwrap();
    // Not signed in as sahmed: the real user is no officer of the sample unit.
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    client
        .append_contact("V-0001", &common::note("audited"))
        .unwrap();
    drop(client);
    drop(service);
    let store = s.store();
    // The save's own entry (the record it answered with is read as a consultation after it).
    let logged = store
        .audit()
        .unwrap()
        .into_iter()
        .rfind(|e| e.action == "log-contact")
        .unwrap();
    assert_eq!(logged.user, me);
}

/// Once users are mapped, one who is not is refused with a sentence naming them, and the
/// refusal is audited.
#[test]
fn an_unmapped_user_is_refused_and_the_refusal_audited() {
    let s = Sandbox::with_sample();
    let config = s.root.path().join("config/vlu");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "[officers]\nsomeone-else = \"sahmed\"\n",
    )
    .unwrap();
    let service = Service::start_refusing(&s);
    let out = s.vlu().args(["status", "--all"]).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("is not mapped to an officer"), "{said}");
    // A client refused at the door meets the typed refusal, in the sentence the command
    // line printed.
    match Client::connect(&s.data_dir()) {
        Err(StoreError::Forbidden { why }) => assert!(said.contains(&why), "{why} / {said}"),
        other => panic!("not forbidden: {:?}", other.map(|c| c.is_some())),
    }
    drop(service);
    let store = s.store();
    let last = store.audit().unwrap().pop().unwrap();
    assert_eq!(last.action, "refused-user");
}

/// A request the unit's table refuses comes back through a client as the unit layer's
/// typed refusal (`Forbidden`), in the sentence the command line has always printed and
/// with its exit status (2).
#[test]
fn a_request_the_table_refuses_is_forbidden_through_a_client() {
    // This test's account is the VLO sahmed of a store someone else owns.
    let Some(s) = Sandbox::sample_owned_by_someone_else("sahmed") else {
        return;
    };
    let service = Service::start(&s);
    let client = Client::connect(&s.data_dir()).unwrap().unwrap();
    let me = common::me();
    let refused = client.audit(&AuditQuery::default()).unwrap_err();
    let StoreError::Forbidden { why } = &refused else {
        panic!("not forbidden: {refused:?}");
    };
    assert_eq!(
        why,
        &format!(
            "{me} may not import, export, check, back up, erase, read the audit trail, answer \
             a subject access request or stop the service: that is for the unit's \
             administrators ({me} is a VLO)"
        )
    );
    assert_eq!(refused.to_string(), *why);
    let out = s.vlu().arg("audit").output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains(why.as_str()), "{said}");
    assert_eq!(vlu::error::Error::Store(refused).exit_code(), 2);
    drop(client);
    drop(service);
}

/// While the service holds the store (the screens open, say), the administrator's commands
/// go through it: export, check, import, backup; a restore stops it first.
#[test]
fn export_check_import_backup_and_restore_work_while_the_service_runs() {
    let s = Sandbox::with_sample();
    let before = s.export();
    let service = Service::start(&s);
    assert_eq!(s.export(), before, "the same export through the service");
    let checked = s.vlu().arg("check").assert().success();
    let said = String::from_utf8_lossy(&checked.get_output().stdout).into_owned();
    assert!(
        said.contains("is sound") && said.contains("45 victims"),
        "{said}"
    );
    // A bad file is refused with its problems, as without the service.
    let bad = s.file(
        "bad.json",
        r#"{"format":"vlu-caseload","version":1,"victims":[{"id":"V-0001"}]}"#,
    );
    let out = s.vlu().arg("import").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("victims[0]"));
    let minimal = s.file("more.json", common::minimal().to_string());
    s.vlu()
        .args(["import", "--replace"])
        .arg(&minimal)
        .assert()
        .success();
    s.vlu().arg("backup").assert().success();
    assert_ne!(s.export(), before, "the import went in");
    // Back to the backup the first import took: the service is stopped first.
    let backups = s.data_dir().join("backups");
    let mut all: Vec<_> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    all.sort();
    s.vlu().arg("restore").arg(&all[0]).assert().success();
    assert!(service.stop_or_gone(), "the restore stopped the service");
    assert_eq!(s.export(), before);
}

/// No lost update: a save made from a version someone has since changed is refused, naming
/// who changed it; the record keeps the other change. Appending to a log never conflicts.
#[test]
fn a_save_from_a_stale_version_is_refused_naming_who_changed_it() {
    use vlu::store::Record;
    let s = Sandbox::with_sample();
    let _service = Service::start(&s);
    let first = Client::connect(&s.data_dir()).unwrap().unwrap();
    let second = Client::connect(&s.data_dir()).unwrap().unwrap();
    // Both open the same victim.
    let read = |c: &Client| {
        let victim = c.victim("V-0001").unwrap().unwrap();
        let version = c.stamp(Record::Victim, "V-0001").unwrap().version;
        (victim, version)
    };
    let (mut mine, my_base) = read(&first);
    let (mut theirs, their_base) = read(&second);
    assert_eq!(my_base, their_base);
    theirs.name = "Joan M. Mercer".into();
    second.save_victim(&theirs, their_base).unwrap();
    mine.name = "Joan Mercer (née Hill)".into();
    let conflict = first.save_victim(&mine, my_base).unwrap_err();
    // A conflict is told apart from any other refusal, through the service too: which
    // record, and the stamp of the change that came first.
    let vlu::store::StoreError::Conflict { record, id, since } = &conflict else {
        panic!("not a conflict: {conflict:?}");
    };
    assert_eq!((*record, id.as_str()), (Record::Victim, "V-0001"));
    assert_eq!(since.by, second.user);
    assert_eq!(since.version, their_base + 1);
    let refused = conflict.to_string();
    assert!(
        refused.contains("V-0001 was changed by") && refused.contains(&second.user),
        "{refused}"
    );
    assert!(refused.contains("nothing was saved"), "{refused}");
    assert_eq!(
        first.victim("V-0001").unwrap().unwrap().name,
        "Joan M. Mercer"
    );
    // Made again from the record as it is now, the save goes through.
    let (mut again, base) = read(&first);
    again.name = "Joan Mercer (née Hill)".into();
    first.save_victim(&again, base).unwrap();
    // Logging a contact from a stale read never conflicts.
    first
        .append_contact("V-0001", &common::note("Rang."))
        .unwrap();
    second
        .append_contact("V-0001", &common::note("Rang again."))
        .unwrap();
}

const CLIENT: &str = "VLU_TEST_WRITING_CLIENT";

/// A child of the test below: writes contacts through the service for ever, saying each
/// one the service acknowledged. When its service is killed, it gets another the way every
/// vlu does (a vlu command starts one) and carries on.
#[test]
fn child_writes_through_the_service() {
    let Ok(k) = std::env::var(CLIENT) else {
        return;
    };
    let dir = std::path::PathBuf::from(std::env::var("VLU_DATA_DIR").unwrap());
    let restart: vlu::service::client::Restart = std::sync::Arc::new(|| {
        // Any vlu command starts a service if none is running.
        Command::new(env!("CARGO_BIN_EXE_vlu"))
            .args(["status", "--all"])
            .output()
            .map(drop)
            .map_err(|e| vlu::store::StoreError::Unavailable(e.to_string()))
    });
    let victims = ["V-0001", "V-0002", "V-0003", "V-0004", "V-0005"];
    let mut client = None;
    for n in 0usize.. {
        if client.is_none() {
            let _ = restart();
            client = Client::connect(&dir)
                .ok()
                .flatten()
                .map(|c| c.with_restart(restart.clone()));
            if client.is_none() {
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        }
        let victim = victims[(n + k.len()) % victims.len()];
        let note = common::note(&format!("client {k} save {n}"));
        match client.as_ref().unwrap().append_contact(victim, &note) {
            Ok(_) => println!("saved {n}"),
            Err(_) => client = None,
        }
    }
}

/// Twenty clients writing at random while the service is killed with SIGKILL at random
/// moments: every write the service acknowledged is in the final export, each in the audit
/// trail in its writer's name, and the store is sound.
#[test]
fn kill_9_of_the_service_under_twenty_writers_loses_nothing_acknowledged() {
    use std::io::{BufRead, BufReader};
    let _alone = timed();
    let s = Sandbox::with_sample();
    let spawn = |k: usize| {
        Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "child_writes_through_the_service", "--nocapture"])
            .env(CLIENT, k.to_string())
            .env("VLU_DATA_DIR", s.data_dir())
            .env("XDG_CONFIG_HOME", s.root.path().join("config"))
            .env("VLU_IDLE_SECONDS", common::IDLE)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut children: Vec<Child> = (0..20).map(spawn).collect();
    let readers: Vec<_> = children
        .iter_mut()
        .map(|c| {
            let out = c.stdout.take().unwrap();
            std::thread::spawn(move || {
                BufReader::new(out)
                    .lines()
                    .map_while(Result::ok)
                    .filter_map(|l| l.strip_prefix("saved ").map(str::to_owned))
                    .collect::<Vec<String>>()
            })
        })
        .collect();
    let started = Instant::now();
    let mut kills = 0;
    let mut n = 0u64;
    while started.elapsed() < Duration::from_secs(30) {
        // A pseudo-random pause of 0.5 to 3 s (no random crate: the std hasher is seeded).
        use std::hash::{BuildHasher, RandomState};
        n += 1;
        let pause = 500 + RandomState::new().hash_one(n) % 2500;
        std::thread::sleep(Duration::from_millis(pause));
        let pid = Command::new("pgrep")
            .args(["-f", &format!("{} serve", s.data_dir().display())])
            .output()
            .unwrap();
        for pid in String::from_utf8_lossy(&pid.stdout).split_whitespace() {
            if Command::new("kill")
                .args(["-9", pid])
                .status()
                .unwrap()
                .success()
            {
                kills += 1;
            }
        }
    }
    for child in &mut children {
        let _ = child.kill();
        let _ = child.wait();
    }
    let acknowledged: Vec<(usize, Vec<String>)> = readers
        .into_iter()
        .map(|r| r.join().unwrap())
        .enumerate()
        .collect();
    let total: usize = acknowledged.iter().map(|(_, saves)| saves.len()).sum();
    let export = s.export();
    for (k, saves) in &acknowledged {
        for n in saves {
            assert!(
                export.contains(&format!("client {k} save {n}\"")),
                "client {k}'s save {n} was acknowledged but is lost"
            );
        }
    }
    s.vlu().arg("check").assert().success();
    let store = s.store();
    let logged = store
        .audit()
        .unwrap()
        .into_iter()
        .filter(|a| a.action == "log-contact")
        .inspect(|a| assert_eq!(a.user, common::me(), "each write in its writer's name"))
        .count();
    assert!(logged >= total, "{logged} audited, {total} acknowledged");
    eprintln!("{kills} kills of the service, {total} writes acknowledged, all present");
    assert!(kills >= 5, "the service was killed {kills} times");
    assert!(total >= 100, "only {total} writes were acknowledged");
}

/// Eight vlus started at once on a store with no service: each gets its answer, and exactly
/// one service is left running.
#[test]
fn clients_racing_to_start_a_service_end_with_exactly_one() {
    let s = Sandbox::with_sample();
    common::stop_service(&s.data_dir());
    let clients: Vec<Child> = (0..8)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_vlu"))
                .env("VLU_DATA_DIR", s.data_dir())
                .env("XDG_CONFIG_HOME", s.root.path().join("config"))
                .env("VLU_IDLE_SECONDS", common::IDLE)
                .args(["status", "--all", "--date", "2026-11-24"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<_> = clients
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    for out in &outputs {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            out.stdout, outputs[0].stdout,
            "every client got the same answer"
        );
    }
    let pattern = format!("--data-dir {} serve", s.data_dir().display());
    let running = Command::new("pgrep")
        .args(["-f", "--", &pattern])
        .output()
        .unwrap();
    let pids = String::from_utf8_lossy(&running.stdout);
    assert_eq!(pids.lines().count(), 1, "services running: {pids:?}");
    common::stop_service(&s.data_dir());
}

/// A screen that goes without a word (its process killed, say) while nothing happens on
/// the store is still noticed as gone, and the service stops once idle.
#[test]
fn a_subscriber_gone_quietly_does_not_keep_the_service_up() {
    use vlu::service::proto::{PROTOCOL, Request, receive, send};
    let s = Sandbox::with_sample();
    // A service started on demand, as any vlu starts one (idle after common::IDLE seconds).
    s.vlu().args(["status", "--all"]).assert().success();
    let socket = s.data_dir().join("vlu.sock");
    let mut stream = std::os::unix::net::UnixStream::connect(&socket).unwrap();
    let hello = Request::Hello {
        protocol: PROTOCOL,
        version: "test".into(),
    };
    send(&mut stream, &hello, &[]).unwrap();
    assert!(matches!(
        receive::<Reply>(&mut stream).unwrap(),
        Some((Reply::Welcome { .. }, _))
    ));
    send(&mut stream, &Request::Subscribe, &[]).unwrap();
    assert!(matches!(
        receive::<Reply>(&mut stream).unwrap(),
        Some((Reply::Present(_), _))
    ));
    drop(stream);
    let idle: u64 = common::IDLE.parse().unwrap();
    let start = Instant::now();
    while socket.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(idle + 5),
            "the service stayed up for a subscriber that had gone"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The service a command started in the background keeps a log a day in `logs/`: each
/// request's kind, who asked, how long it took and how it ended — and nothing a record holds.
#[test]
fn the_service_logs_each_request_and_nothing_it_carries() {
    let s = Sandbox::with_sample();
    s.vlu()
        .args(["diary", "--date", "2026-11-24"])
        .assert()
        .success();
    s.vlu()
        .args([
            "log", "--victim", "V-0001", "--kind", "update", "--method", "phone",
        ])
        .args(["--direction", "outbound", "--on", "2026-11-30"])
        .args(["--summary", "Rang 01632 960101 about Joan"])
        .assert()
        .success();
    common::stop_service(&s.data_dir());
    let mut text = String::new();
    for file in std::fs::read_dir(s.data_dir().join("logs")).unwrap() {
        let file = file.unwrap().path();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("service.") && file.extension() == Some("log".as_ref()),
            "{name}"
        );
        text += &std::fs::read_to_string(file).unwrap();
    }
    let me = common::me();
    for said in [
        "serving",
        "request=diary",
        "request=log-contact",
        &format!("user={me}"),
        "outcome=ok",
        "stopped",
    ] {
        assert!(text.contains(said), "{said:?} is not in the log:\n{text}");
    }
    for secret in ["Joan", "Mercer", "01632", "960101", "V-0001", "Rang"] {
        assert!(!text.contains(secret), "{secret:?} is in the log:\n{text}");
    }
}

/// A command says more with `-v` or `VLU_LOG`, on standard error only; without them, nothing.
#[test]
fn a_command_says_more_when_asked_and_nothing_otherwise() {
    let s = Sandbox::with_sample();
    let status = |cmd: &mut assert_cmd::Command| {
        let out = cmd
            .args(["status", "--all", "--date", "2026-11-24"])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "17 overdue · 4 today · 15 this week\n",
            "standard output is the same"
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert_eq!(status(&mut s.vlu()), "", "quiet unless asked");
    let said = status(s.vlu().arg("-vv"));
    assert!(said.contains("the unit service answered"), "{said}");
    assert!(said.contains("request=status"), "{said}");
    let said = status(s.vlu().env("VLU_LOG", "debug"));
    assert!(said.contains("request=status"), "{said}");
    let said = status(s.vlu().arg("-v"));
    assert!(
        !said.contains("request=status"),
        "a request's time is a debug event: {said}"
    );
    common::stop_service(&s.data_dir());
}

/// A save is one round trip: the change, answered with the records it touched and their
/// versions (no reading back of the victim and its version after it).
#[test]
fn a_save_is_one_round_trip_answered_with_the_record_as_saved() {
    let s = Sandbox::with_sample();
    s.vlu()
        .args(["status", "--all", "--date", "2026-11-24"])
        .assert()
        .success();
    let client = Client::connect(&s.data_dir()).unwrap().unwrap();
    let saved = client
        .execute(&vlu::unit::command::Command::LogContact {
            victim: "V-0001".into(),
            contact: common::note("Rang: no answer."),
        })
        .unwrap();
    let victim = &saved.fresh.victims[0];
    assert_eq!(victim.id, "V-0001");
    assert_eq!(
        victim.contacts.last().unwrap().summary.as_deref(),
        Some("Rang: no answer.")
    );
    let version = client
        .stamp(vlu::store::Record::Victim, "V-0001")
        .unwrap()
        .version;
    assert_eq!(
        saved.fresh.versions,
        [(vlu::store::Record::Victim, "V-0001".to_owned(), version)]
    );
    drop(client);
    common::stop_service(&s.data_dir());
    let mut log = String::new();
    for file in std::fs::read_dir(s.data_dir().join("logs")).unwrap() {
        log += &std::fs::read_to_string(file.unwrap().path()).unwrap();
    }
    let asked: Vec<&str> = log
        .lines()
        .filter_map(|l| l.split("request=").nth(1))
        .filter_map(|rest| rest.split(' ').next())
        .collect();
    assert_eq!(asked, ["status", "log-contact", "stamp", "stop"], "{log}");
}

/// A warm service keeps the diaries it wrote, and works each out again after any change:
/// an offer logged through the service takes its item off the next `vlu diary` at once.
#[test]
fn a_kept_diary_is_worked_out_again_after_a_change() {
    use vlu::domain::enums::{ContactKind, Direction, Medium};
    let s = Sandbox::with_sample();
    let _service = Service::start(&s);
    let diary = || -> serde_json::Value {
        let out = s
            .vlu()
            .args(["diary", "--date", "2026-11-24", "--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success());
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let first = diary();
    assert_eq!(diary(), first, "asked again: the same diary");
    let offer = |d: &serde_json::Value, victim: &str| {
        d["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "initial_offer" && i["victim_id"] == victim)
    };
    let victim = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "initial_offer")
        .and_then(|i| i["victim_id"].as_str())
        .expect("the sample has an initial offer due")
        .to_owned();
    let client = Client::connect(&s.data_dir()).unwrap().unwrap();
    client
        .execute(&vlu::unit::command::Command::LogContact {
            victim: victim.clone(),
            contact: vlu::domain::model::Contact {
                on: "2026-11-24".parse().unwrap(),
                at: None,
                kind: ContactKind::InitialOffer,
                method: Medium::Letter,
                direction: Direction::Outbound,
                summary: None,
                by: None,
                key_date: None,
                corrects: None,
                follows: None,
                to: None,
            },
        })
        .unwrap();
    assert!(offer(&first, &victim));
    assert!(!offer(&diary(), &victim), "the offer made is off the diary");
}

/// What a screen shows, asked of the service as the screens ask it on the sample's day.
fn a_window() -> vlu::unit::window::Ask {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    vlu::unit::window::Ask {
        today: day,
        lead: vlu::domain::rules::LeadTimes::default(),
        days: vlu::domain::calendar::DayChanges::default(),
        filter: vlu::unit::lens::Filter::default(),
        keep: None,
        at: 0,
        reach: 20,
        lines: 20,
        horizon: 14,
        diary_at: (vlu::domain::enums::DiaryStatus::Overdue, 0),
        cases: Vec::new(),
        workload: true,
    }
}

/// The window a service keeps up to date through a change made through it is the window a
/// service that reads the unit afresh works out, and the window of one that keeps nothing
/// between requests (`[service] keep_unit = false`).
#[test]
fn a_window_kept_up_to_date_is_the_window_read_afresh() {
    let s = Sandbox::with_sample();
    let ask = a_window();
    let service = Service::start(&s);
    let client = Client::connect(&s.data_dir()).unwrap().unwrap();
    let first = client.window(&ask).unwrap();
    // A letter to each of the two most urgent victims: both move down the list.
    for victim in &first.rows[..2] {
        let mut letter = common::note("An update, by letter.");
        letter.kind = vlu::domain::enums::ContactKind::Update;
        letter.method = vlu::domain::enums::Medium::Letter;
        letter.direction = vlu::domain::enums::Direction::Outbound;
        client.append_contact(victim, &letter).unwrap();
    }
    let kept = client.window(&ask).unwrap();
    assert_ne!(kept.rows, first.rows, "the change moved the rows");
    drop(client);
    assert_eq!(service.stop(), Some(0));
    let service = Service::start(&s);
    let afresh = Client::connect(&s.data_dir())
        .unwrap()
        .unwrap()
        .window(&ask)
        .unwrap();
    assert_eq!(kept, afresh);
    assert_eq!(service.stop(), Some(0));
    let dir = s.data_dir().parent().unwrap().join("config/vlu");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "[service]\nkeep_unit = false\n").unwrap();
    let service = Service::start(&s);
    let client = Client::connect(&s.data_dir()).unwrap().unwrap();
    assert_eq!(client.window(&ask).unwrap(), afresh);
    assert_eq!(client.window(&ask).unwrap(), afresh, "read again, the same");
    assert_eq!(service.stop(), Some(0));
}
