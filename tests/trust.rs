//! The unit service under a hostile group member, an outsider and its own officers, over the
//! raw protocol: nobody can impersonate the service, starve it, or get round who may do
//! what. The unit is made of real OS accounts (CI runs as root, which alone can make them);
//! each connection is made from a thread that has become that account, so the kernel's word
//! on who is speaking is theirs.

mod common;

use std::io::Read;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use common::{Sandbox, me, sample_path, set_mode};
use vlu::domain::model::{Caseload, Contact, Transfer};
use vlu::service::proto::{PROTOCOL, Query, Reply, Request, receive, send};
use vlu::store::{AuditQuery, Disclosure, Record, ReportAsk, Store};
use vlu::unit::access::{Action, Role, allowed};
use vlu::unit::command::Command as Change;

/// One unit's accounts: the store's own, three officers, a group member the unit never
/// mapped, and an outsider.
const OWNER: &str = "vlu-own";
const VLO: &str = "vlu-vlo";
const MANAGER: &str = "vlu-mgr";
const ADMIN: &str = "vlu-adm";
const MEMBER: &str = "vlu-eve";
const OUTSIDER: &str = "vlu-out";
const GROUP: &str = "vlu-unit";

/// The accounts are shared by every test here: made once, at a time.
static ACCOUNTS: Mutex<bool> = Mutex::new(false);

fn accounts() -> bool {
    if me() != "root" {
        assert!(std::env::var_os("CI").is_none(), "CI runs as root");
        eprintln!("NOT RUN: making OS users needs root");
        return false;
    }
    let mut made = ACCOUNTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !*made {
        let _ = Command::new("groupadd").args(["-f", GROUP]).output();
        for user in [OWNER, VLO, MANAGER, ADMIN, MEMBER] {
            let _ = Command::new("useradd")
                .args(["-M", "-N", "-g", GROUP, user])
                .output();
        }
        let _ = Command::new("useradd").args(["-M", OUTSIDER]).output();
        *made = true;
    }
    true
}

fn id(flag: &str, name: &str) -> u32 {
    let out = Command::new("id").args([flag, name]).output().unwrap();
    assert!(out.status.success(), "no account {name}");
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// `work` done in a thread that has become `user` (and their group alone).
fn as_user<T: Send>(user: &str, work: impl FnOnce() -> T + Send) -> T {
    use rustix::process::{Gid, Uid};
    let (uid, gid) = (id("-u", user), id("-g", user));
    std::thread::scope(|s| {
        s.spawn(move || {
            let gid = Gid::from_raw(gid);
            rustix::thread::set_thread_groups(&[gid]).unwrap();
            rustix::thread::set_thread_res_gid(gid, gid, gid).unwrap();
            let uid = Uid::from_raw(uid);
            rustix::thread::set_thread_res_uid(uid, uid, uid).unwrap();
            work()
        })
        .join()
        .unwrap()
    })
}

fn chown(path: &Path, owner: &str) {
    let done = Command::new("chown")
        .arg("-R")
        .arg(owner)
        .arg(path)
        .status()
        .unwrap();
    assert!(done.success());
}

/// The sample unit in a data directory that `vlu-own` owns and the unit's group may enter
/// (2750), its service running (as root, who may) with the unit's officers mapped.
struct Unit {
    sandbox: Sandbox,
    config: PathBuf,
    service: Option<Child>,
}

impl Unit {
    fn new() -> Option<Self> {
        Self::of(&sample_path())
    }

    fn of(caseload: &Path) -> Option<Self> {
        if !accounts() {
            return None;
        }
        let sandbox = Sandbox::new();
        set_mode(sandbox.root.path(), 0o755);
        sandbox.vlu().arg("import").arg(caseload).assert().success();
        common::stop_service(&sandbox.data_dir());
        let config = sandbox.file(
            "unit.toml",
            format!(
                "[officers]\n\"{VLO}\" = \"sahmed\"\n\"{MANAGER}\" = \"pdevi\"\n\
                 \"{ADMIN}\" = \"tgreen\"\n\"{OWNER}\" = \"tgreen\"\n"
            ),
        );
        set_mode(&config, 0o644);
        chown(&sandbox.data_dir(), &format!("{OWNER}:{GROUP}"));
        set_mode(&sandbox.data_dir(), 0o2750);
        let mut unit = Self {
            sandbox,
            config,
            service: None,
        };
        unit.start();
        Some(unit)
    }

    fn data(&self) -> PathBuf {
        self.sandbox.data_dir()
    }

    fn socket(&self) -> PathBuf {
        self.data().join("vlu.sock")
    }

    fn start(&mut self) {
        let child = Command::new(env!("CARGO_BIN_EXE_vlu"))
            .env("VLU_DATA_DIR", self.data())
            .env("VLU_CONFIG", &self.config)
            .args(["serve", "--idle", "0"])
            .spawn()
            .unwrap();
        self.service = Some(child);
        let start = Instant::now();
        while UnixStream::connect(self.socket()).is_err() {
            assert!(start.elapsed() < Duration::from_secs(30), "no service");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn pid(&self) -> u32 {
        self.service.as_ref().unwrap().id()
    }

    /// The store, once the service is stopped.
    fn store(&mut self) -> Store {
        if let Some(mut child) = self.service.take() {
            let _ = Command::new("kill").arg(child.id().to_string()).status();
            let _ = child.wait();
        }
        Store::open(&self.data(), "checker").unwrap()
    }

    /// The audit entries of `action`, by user.
    fn audited(&mut self, action: &str) -> Vec<String> {
        let store = self.store();
        store
            .audit_entries(&AuditQuery::default())
            .unwrap()
            .into_iter()
            .filter(|e| e.record.action == action)
            .map(|e| e.record.user)
            .collect()
    }

    /// `requests` sent by `user` on one connection after hello; every reply read (the
    /// hello's first), until the service closes it.
    fn raw(&self, user: &str, requests: &[(Request, Vec<u8>)]) -> Vec<Reply> {
        let mut stream = as_user(user, || UnixStream::connect(self.socket())).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let hello = Request::Hello {
            protocol: PROTOCOL,
            version: "test".into(),
        };
        let mut wire = Vec::new();
        send(&mut wire, &hello, &[]).unwrap();
        for (request, tail) in requests {
            send(&mut wire, request, tail).unwrap();
        }
        let _ = std::io::Write::write_all(&mut stream, &wire);
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let mut replies = Vec::new();
        while let Ok(Some((reply, _))) = receive::<Reply>(&mut stream) {
            replies.push(reply);
        }
        replies
    }

    /// The one reply to `request` from `user` (after the welcome).
    fn ask(&self, user: &str, request: Request) -> Reply {
        let replies = self.raw(user, &[(request, Vec::new())]);
        let mut replies = replies.into_iter();
        match replies.next() {
            Some(Reply::Welcome { .. }) => {}
            Some(refused @ (Reply::Refused(_) | Reply::Forbidden(_))) => return refused,
            other => panic!("no welcome: {other:?}"),
        }
        replies
            .find(|r| *r != Reply::Chunk && !matches!(r, Reply::Present(_)))
            .unwrap_or_else(|| panic!("no reply for {user}"))
    }
}

impl Drop for Unit {
    fn drop(&mut self) {
        if let Some(mut child) = self.service.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn sample() -> Caseload {
    serde_json::from_str(&std::fs::read_to_string(sample_path()).unwrap()).unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn query() -> Query {
    Query {
        date: day("2026-12-01"),
        days: 14,
        officer: None,
        lead: vlu::domain::rules::LeadTimes::default(),
        calendar: vlu::domain::calendar::DayChanges::default(),
    }
}

/// One request of every kind, with what it does for the table (a table: long on purpose). None of them changes the
/// store in a way a later one notices: saves name a stale version (so an allowed one is
/// refused as stale, never as forbidden), the erasure names no one, the import is not a
/// caseload.
#[allow(clippy::too_many_lines)]
fn every_kind() -> Vec<(Request, Vec<u8>, Action)> {
    let unit = sample();
    let victim = unit.victims[0].clone();
    let mut moved = victim.clone();
    moved.allocated_to = Some(if victim.allocated_to.as_deref() == Some("jokafor") {
        "lmcbride".into()
    } else {
        "jokafor".into()
    });
    let case = unit
        .cases
        .iter()
        .find(|c| c.id == victim.case_id)
        .unwrap()
        .clone();
    let mut transferred = case.clone();
    transferred.transferred = Some(Box::new(Transfer {
        on: Some(day("2026-12-01")),
        to_area: Some("Southshire".into()),
    }));
    let note = common::note("raw protocol");
    let plain = |r: Request, a: Action| (r, Vec::new(), a);
    vec![
        plain(Request::LoadDigest, Action::ReadUnit),
        plain(Request::Snoozes, Action::ReadUnit),
        plain(
            Request::Stamp(Record::Victim, victim.id.clone()),
            Action::ReadUnit,
        ),
        plain(
            Request::Diary {
                query: query(),
                format: "json".into(),
                colour: false,
            },
            Action::ReadUnit,
        ),
        plain(Request::Status(query()), Action::ReadUnit),
        plain(Request::Victim(victim.id.clone()), Action::ReadRecord),
        plain(Request::Case(case.id.clone()), Action::ReadRecord),
        plain(
            Request::Command(Change::SaveVictim {
                victim: Box::new(victim.clone()),
                base: 0,
                contact: None,
            }),
            Action::Work,
        ),
        plain(
            Request::Command(Change::SaveVictim {
                victim: Box::new(moved.clone()),
                base: 0,
                contact: None,
            }),
            Action::Reallocate,
        ),
        plain(
            Request::Command(Change::SaveVictim {
                victim: Box::new(moved),
                contact: Some(note.clone()),
                base: 0,
            }),
            Action::Reallocate,
        ),
        plain(
            Request::Command(Change::SaveCase {
                case: Box::new(case.clone()),
                base: 0,
                why: None,
            }),
            Action::Work,
        ),
        plain(
            Request::Command(Change::SaveCase {
                case: Box::new(transferred),
                base: 0,
                why: None,
            }),
            Action::Transfer,
        ),
        plain(Request::Reveal(victim.id.clone()), Action::Note),
        plain(Request::Consult(victim.id.clone()), Action::Note),
        plain(
            Request::Disclose(Disclosure::of("diary spreadsheet", vec![victim.id.clone()])),
            Action::Note,
        ),
        plain(
            Request::Command(Change::Reallocate(vlu::store::Reallocation {
                moving: vlu::store::Moving::Victim("V-9999".into()),
                to: vec!["jokafor".into()],
            })),
            Action::Reallocate,
        ),
        plain(
            Request::ExportCase {
                case: case.id.clone(),
                transfer_to: None,
            },
            Action::ExportCase,
        ),
        plain(
            Request::Report(Box::new(ReportAsk {
                query: vlu::domain::report::ReportQuery {
                    from: day("2026-01-01"),
                    to: day("2026-03-31"),
                    officer: None,
                    made_on: day("2026-12-01"),
                    weeks: 0,
                },
                lead: vlu::domain::rules::LeadTimes::default(),
                calendar: vlu::domain::calendar::DayChanges::default(),
            })),
            Action::Report,
        ),
        (
            Request::Import { replace: false },
            b"not a caseload".to_vec(),
            Action::Administer,
        ),
        plain(Request::KnownIds, Action::Administer),
        plain(Request::Export, Action::Administer),
        plain(Request::Check, Action::Administer),
        plain(Request::Backup, Action::Administer),
        plain(
            Request::Erase {
                target: vlu::domain::retention::Target::Victim("V-9999".into()),
                reason: vlu::domain::retention::Reason::Error,
                purge_backups: false,
            },
            Action::Administer,
        ),
        plain(Request::Audit(AuditQuery::default()), Action::Administer),
        plain(Request::SubjectAccess(victim.id), Action::Administer),
    ]
}

fn forbidden(reply: &Reply) -> bool {
    matches!(reply, Reply::Forbidden(why) if why.contains(" may not "))
}

#[test]
fn every_request_against_every_role_over_the_raw_protocol() {
    let Some(mut unit) = Unit::new() else { return };
    let roles = [
        (MEMBER, Role::Unmapped),
        (VLO, Role::Vlo),
        (MANAGER, Role::Manager),
        (ADMIN, Role::Admin),
        (OWNER, Role::Admin),
    ];
    let mut tried = 0;
    for (user, role) in roles {
        for (request, tail, action) in every_kind() {
            let replies = unit.raw(user, &[(request.clone(), tail)]);
            tried += 1;
            if role == Role::Unmapped {
                assert!(
                    matches!(&replies[..], [Reply::Forbidden(why)] if why.contains("not mapped")),
                    "{user}: {request:?} got {replies:?}"
                );
                continue;
            }
            let reply = replies
                .iter()
                .skip(1)
                .find(|r| **r != Reply::Chunk && !matches!(r, Reply::Present(_)))
                .unwrap_or_else(|| panic!("{user}: no reply to {request:?}"));
            assert_eq!(
                !forbidden(reply),
                allowed(action, role),
                "{user} ({role:?}) asking {request:?}: {reply:?}"
            );
        }
    }
    // Stopping the service is an administrator's alone: the others first, then one.
    for user in [VLO, MANAGER] {
        assert!(
            forbidden(&unit.ask(user, Request::Stop)),
            "{user} stopped it"
        );
    }
    assert_eq!(unit.ask(ADMIN, Request::Stop), Reply::Done);
    eprintln!("{tried} requests tried over the raw protocol");
    let store = unit.store();
    drop(store);
}

#[test]
fn what_a_vlo_logs_is_in_their_own_name_and_every_record_they_read_is_audited() {
    let Some(mut unit) = Unit::new() else { return };
    let victim = sample().victims[0].id.clone();
    let mut posing = common::note("logged as my manager");
    posing.by = Some("pdevi".into());
    let reply = unit.ask(
        VLO,
        Request::Command(Change::LogContact {
            victim: victim.clone(),
            contact: posing,
        }),
    );
    assert!(matches!(reply, Reply::Saved(..)), "{reply:?}");
    assert!(matches!(
        unit.ask(VLO, Request::Victim(victim.clone())),
        Reply::Victim(Some(_))
    ));
    // A disclosure of the client's own wording never reaches the audit trail.
    let made_up = Disclosure::of("subject access: nothing held", vec![victim.clone()]);
    let reply = unit.ask(VLO, Request::Disclose(made_up));
    assert!(
        matches!(&reply, Reply::Refused(why) if why.contains("not a disclosure vlu records")),
        "{reply:?}"
    );
    let store = unit.store();
    let log: Vec<Contact> = store.victim(&victim).unwrap().unwrap().contacts;
    let last = log.last().unwrap();
    assert_eq!(last.summary.as_deref(), Some("logged as my manager"));
    assert_eq!(last.by.as_deref(), Some("sahmed"), "the VLO, not pdevi");
    let trail = store.audit_entries(&AuditQuery::default()).unwrap();
    assert!(
        trail.iter().any(|e| e.record.action == "consult-victim"
            && e.record.user == VLO
            && e.record.subject.as_deref() == Some(victim.as_str())),
        "the VLO's read of the record is audited"
    );
    assert!(
        !trail
            .iter()
            .any(|e| e.record.fields.iter().any(|f| f.contains("nothing held"))),
        "no client's words in the trail"
    );
}

#[test]
fn exports_at_once_are_each_recorded_under_whoever_asked() {
    let Some(mut unit) = Unit::new() else { return };
    std::thread::scope(|s| {
        for user in [ADMIN, OWNER] {
            let unit = &unit;
            s.spawn(move || {
                for _ in 0..5 {
                    let replies = unit.raw(user, &[(Request::Export, Vec::new())]);
                    assert_eq!(replies.last(), Some(&Reply::Done), "{user}");
                }
            });
        }
    });
    let mut by: Vec<String> = unit.audited("disclose");
    by.sort();
    let admin = by.iter().filter(|u| *u == ADMIN).count();
    let owner = by.iter().filter(|u| *u == OWNER).count();
    assert_eq!((admin, owner), (5, 5), "{by:?}");
}

#[test]
fn frames_are_refused_by_their_length_before_they_are_read() {
    let Some(unit) = Unit::new() else { return };
    let mut stream = as_user(VLO, || UnixStream::connect(unit.socket())).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let hello = Request::Hello {
        protocol: PROTOCOL,
        version: "test".into(),
    };
    send(&mut stream, &hello, &[]).unwrap();
    assert!(matches!(
        receive::<Reply>(&mut stream).unwrap(),
        Some((Reply::Welcome { .. }, _))
    ));
    // A gibibyte announced, none of it sent.
    std::io::Write::write_all(&mut stream, &(1u32 << 30).to_be_bytes()).unwrap();
    let Some((Reply::Refused(why), _)) = receive::<Reply>(&mut stream).unwrap() else {
        panic!("not refused");
    };
    assert!(
        why.contains("1024.0 MiB") && why.contains("not read"),
        "{why}"
    );
    // A VLO's import is refused before its file is read.
    let replies = unit.raw(
        VLO,
        &[(Request::Import { replace: true }, vec![b' '; 4 << 20])],
    );
    assert!(forbidden(&replies[1]), "{replies:?}");
    assert!(
        rss_kib(unit.pid()) < 200 * 1024,
        "the service holds {} KiB",
        rss_kib(unit.pid())
    );
}

fn rss_kib(pid: u32) -> u64 {
    status_field(pid, "VmRSS:")
}

fn threads(pid: u32) -> u64 {
    status_field(pid, "Threads:")
}

fn status_field(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap()
}

#[test]
fn a_flood_of_refused_connections_neither_starves_the_service_nor_fills_the_audit_trail() {
    let Some(mut unit) = Unit::new() else { return };
    let start = Instant::now();
    let refused = as_user(MEMBER, || {
        let mut refused = 0;
        for _ in 0..3000 {
            let Ok(mut stream) = UnixStream::connect(unit.socket()) else {
                continue;
            };
            if let Ok(Some((Reply::Forbidden(_), _))) = receive::<Reply>(&mut stream) {
                refused += 1;
            }
        }
        refused
    });
    eprintln!("3000 connections refused in {:?}", start.elapsed());
    assert_eq!(refused, 3000);
    assert!(
        threads(unit.pid()) < 40,
        "{} threads left",
        threads(unit.pid())
    );
    assert!(matches!(
        unit.ask(VLO, Request::Status(query())),
        Reply::Counts(..)
    ));
    // (The test's own knock as root, waiting for the service, was refused too.)
    let audited = unit.audited("refused-user");
    let members = audited.iter().filter(|user| *user == MEMBER).count();
    assert!((1..=2).contains(&members), "{audited:?}");
    assert!(
        audited.iter().all(|user| user == MEMBER || user == "root"),
        "refusals are the refused account's: {audited:?}"
    );
}

#[test]
fn an_account_holds_a_bounded_number_of_connections_and_a_silent_one_is_closed() {
    let Some(unit) = Unit::new() else { return };
    let held: Vec<UnixStream> = as_user(VLO, || {
        (0..32)
            .map(|_| UnixStream::connect(unit.socket()).unwrap())
            .collect()
    });
    // (Each let in before the next is tried: the service counts them as it accepts.)
    std::thread::sleep(Duration::from_millis(300));
    let mut one_more = as_user(VLO, || UnixStream::connect(unit.socket())).unwrap();
    let Ok(Some((Reply::Forbidden(why), _))) = receive::<Reply>(&mut one_more) else {
        panic!("the 33rd was let in");
    };
    assert!(why.contains("32 connections"), "{why}");
    assert!(
        matches!(
            unit.ask(MANAGER, Request::Status(query())),
            Reply::Counts(..)
        ),
        "another account is not held up"
    );
    // Not one said hello: each is closed after the first word's deadline.
    let start = Instant::now();
    for mut silent in held {
        silent
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut byte = [0u8; 1];
        assert_eq!(silent.read(&mut byte).unwrap_or(0), 0);
    }
    assert!(start.elapsed() < Duration::from_secs(12));
    assert!(matches!(
        unit.ask(VLO, Request::Status(query())),
        Reply::Counts(..)
    ));
}

#[test]
fn a_client_that_reads_an_export_slowly_holds_up_no_one_else() {
    // A unit large enough that its export overflows any socket's buffer.
    let maker = Sandbox::new();
    let big = maker.root.path().join("big.json");
    maker
        .vlu()
        .args(["generate", "--victims", "3000", "--seed", "5", "--out"])
        .arg(&big)
        .assert()
        .success();
    set_mode(maker.root.path(), 0o755);
    let Some(unit) = Unit::of(&big) else { return };
    let mut slow = as_user(ADMIN, || UnixStream::connect(unit.socket())).unwrap();
    let hello = Request::Hello {
        protocol: PROTOCOL,
        version: "test".into(),
    };
    send(&mut slow, &hello, &[]).unwrap();
    send(&mut slow, &Request::Export, &[]).unwrap();
    // It reads nothing; the others are answered at once.
    std::thread::sleep(Duration::from_millis(500));
    for user in [VLO, MANAGER, ADMIN] {
        let start = Instant::now();
        assert!(matches!(
            unit.ask(user, Request::Status(query())),
            Reply::Counts(..)
        ));
        assert!(start.elapsed() < Duration::from_secs(5), "{user} waited");
    }
    drop(slow);
}

#[test]
fn a_group_member_can_neither_replace_the_socket_nor_pose_as_the_service() {
    let Some(mut unit) = Unit::new() else { return };
    let socket = unit.socket();
    let tried = as_user(MEMBER, || {
        (
            std::fs::remove_file(&socket).is_err(),
            UnixListener::bind(unit.data().join("other.sock")).is_err(),
        )
    });
    assert_eq!(tried, (true, true), "the directory is the service's alone");
    // An older install whose directory the group may write to: the member's socket is
    // refused by every client before a word is sent.
    unit.store();
    set_mode(&unit.data(), 0o2770);
    let impostor = as_user(MEMBER, || {
        let listener = UnixListener::bind(&socket)?;
        set_mode(&socket, 0o777);
        Ok::<_, std::io::Error>(listener)
    })
    .unwrap();
    let heard = std::thread::spawn(move || {
        let (mut stream, _) = impostor.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut got = Vec::new();
        let _ = stream.read_to_end(&mut got);
        got.len()
    });
    let out = Command::new("setpriv")
        .arg(format!("--reuid={OWNER}"))
        .arg(format!("--regid={GROUP}"))
        .arg("--clear-groups")
        .arg(env!("CARGO_BIN_EXE_vlu"))
        .args(["diary", "--date", "2026-12-01"])
        .env("VLU_DATA_DIR", unit.data())
        .env("VLU_CONFIG", &unit.config)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(said.contains(&format!("is held by {MEMBER}")), "{said}");
    assert_eq!(heard.join().unwrap(), 0, "the impostor heard something");
    // And the service itself will not serve from such a directory.
    let _ = std::fs::remove_file(&socket);
    let out = Command::new(env!("CARGO_BIN_EXE_vlu"))
        .env("VLU_DATA_DIR", unit.data())
        .env("VLU_CONFIG", &unit.config)
        .args(["serve", "--idle", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("make it 2750"), "{said}");
    assert_eq!(said.lines().count(), 1, "{said}");
}

#[test]
fn only_the_stores_account_starts_the_service_and_no_one_else_leaves_a_lock_behind() {
    let Some(mut unit) = Unit::new() else { return };
    drop(unit.store());
    // (The test's look at the store, as root, left files of root's: the owner's again.)
    chown(&unit.data(), &format!("{OWNER}:{GROUP}"));
    let _ = std::fs::remove_file(unit.data().join("serve.lock"));
    let run = |user: &str| {
        Command::new("setpriv")
            .arg(format!("--reuid={user}"))
            .arg(format!("--regid={}", id("-g", user)))
            .arg("--clear-groups")
            .arg(env!("CARGO_BIN_EXE_vlu"))
            .args(["status", "--date", "2026-12-01"])
            .env("VLU_DATA_DIR", unit.data())
            .env("VLU_CONFIG", &unit.config)
            .env("VLU_IDLE_SECONDS", "2")
            .env("HOME", unit.sandbox.root.path())
            .output()
            .unwrap()
    };
    let out = run(VLO);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains(&format!("only {OWNER}")), "{said}");
    assert!(!unit.data().join("serve.lock").exists());
    let out = run(OWNER);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(VLO);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lock = std::fs::metadata(unit.data().join("serve.lock")).unwrap();
    assert_eq!(std::os::unix::fs::MetadataExt::uid(&lock), id("-u", OWNER));
    // An outsider is refused by the directory itself.
    let out = run(OUTSIDER);
    assert!(!out.status.success());
}

#[test]
fn a_deep_data_directory_keeps_its_socket_inside_it() {
    let s = Sandbox::new();
    let deep = s.root.path().join("a".repeat(60)).join("b".repeat(60));
    std::fs::create_dir_all(&deep).unwrap();
    let data = deep.join("data");
    let run = || {
        let mut cmd = s.vlu();
        cmd.env("VLU_DATA_DIR", &data);
        cmd
    };
    run().arg("import").arg(sample_path()).assert().success();
    run()
        .args(["status", "--all", "--date", "2026-12-01"])
        .assert()
        .success();
    assert!(data.join("vlu.sock").exists(), "the socket is in the store");
    let uid = rustix::process::getuid().as_raw();
    let shared_place = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(&format!("vlu-{uid}-"))
        });
    assert!(!shared_place, "a socket in a shared directory");
    common::stop_service(&data);
}

#[test]
fn a_service_started_by_systemd_serves_on_the_socket_it_is_given() {
    let s = Sandbox::with_sample();
    common::stop_service(&s.data_dir());
    let socket = s.data_dir().join("vlu.sock");
    // systemd's part, played by Python: bind, listen, hand over as fd 3 (LISTEN_FDS).
    let script = format!(
        "import os, socket\n\
         s = socket.socket(socket.AF_UNIX)\n\
         s.bind({socket:?})\n\
         s.listen(16)\n\
         os.dup2(s.fileno(), 3)\n\
         os.set_inheritable(3, True)\n\
         os.environ['LISTEN_FDS'] = '1'\n\
         os.environ['LISTEN_PID'] = str(os.getpid())\n\
         os.execv({vlu:?}, [{vlu:?}, 'serve', '--idle', '0'])\n",
        socket = socket.display().to_string(),
        vlu = env!("CARGO_BIN_EXE_vlu"),
    );
    let mut activated = Command::new("python3")
        .args(["-c", &script])
        .env("VLU_DATA_DIR", s.data_dir())
        .env("XDG_CONFIG_HOME", s.root.path().join("config"))
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !socket.exists() {
        assert!(start.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = s
        .vlu()
        .args([
            "status",
            "--all",
            "--date",
            "2026-12-01",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        activated.try_wait().unwrap().is_none(),
        "the service started by systemd is still the one serving"
    );
    let _ = Command::new("kill")
        .arg(activated.id().to_string())
        .status();
    let _ = activated.wait();
    assert!(socket.exists(), "systemd's socket is systemd's to remove");
}
