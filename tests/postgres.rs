//! The unit's records in PostgreSQL, as a DBA and an attacker see them: row-level security
//! keeps one unit's role out of another unit's rows whatever SQL it sends, the audit trail
//! is only ever added to, and vlu will not keep records as a role that sees every unit.
//! (The casework itself is held to the embedded engine's answers by tests/conformance.rs.)

mod common;

use std::time::{Duration, Instant};

use common::service::Service;
use common::{Casework, Sandbox};
use postgres::{Client, NoTls};
use vlu::unit::api::{News, UnitStore};

/// A unit holding the sample, and a raw SQL connection as its role.
fn unit_with_sample() -> Option<(Sandbox, Client)> {
    let s = Sandbox::with_sample_in_postgres()?;
    let url = s.store_url.clone().unwrap();
    let client = Client::connect(&url, NoTls).unwrap();
    Some((s, client))
}

fn count(client: &mut Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).unwrap().get(0)
}

/// The SQLSTATE a statement is refused with.
fn refused(client: &mut Client, sql: &str) -> String {
    let e = client.batch_execute(sql).unwrap_err();
    e.code().map(|c| c.code().to_owned()).unwrap_or_default()
}

fn own_unit(client: &mut Client) -> String {
    client
        .query_one("SELECT vlu.current_unit()", &[])
        .unwrap()
        .get(0)
}

#[test]
fn one_units_role_can_neither_read_nor_change_another_units_victims() {
    let (Some((_a, mut a)), Some((unit_b_sandbox, mut b))) =
        (unit_with_sample(), unit_with_sample())
    else {
        return;
    };
    let unit_b = own_unit(&mut b);
    let b_victims = count(&mut b, "SELECT count(*) FROM vlu.victims");
    assert_eq!(b_victims, 45, "unit B holds the sample");

    // A reads: only its own 45, none of B's, even when it names B.
    assert_eq!(count(&mut a, "SELECT count(*) FROM vlu.victims"), 45);
    let named = format!("SELECT count(*) FROM vlu.victims WHERE unit_id = '{unit_b}'");
    assert_eq!(count(&mut a, &named), 0);
    for table in [
        "contact_logs",
        "contacts",
        "contact_removals",
        "cases",
        "audit",
        "officers",
        "digest_shards",
    ] {
        let sql = format!("SELECT count(*) FROM vlu.{table} WHERE unit_id = '{unit_b}'");
        assert_eq!(count(&mut a, &sql), 0, "{table}");
    }
    // A changes and deletes: nothing of B's is touched.
    let changed = a
        .execute(
            &format!("UPDATE vlu.victims SET record = '{{}}' WHERE unit_id = '{unit_b}'"),
            &[],
        )
        .unwrap();
    assert_eq!(changed, 0);
    let deleted = a
        .execute(
            &format!("DELETE FROM vlu.victims WHERE unit_id = '{unit_b}'"),
            &[],
        )
        .unwrap();
    assert_eq!(deleted, 0);
    // A moves one of its own victims into B, or adds one there: refused by the policy.
    assert_eq!(
        refused(
            &mut a,
            &format!("UPDATE vlu.victims SET unit_id = '{unit_b}' WHERE id = 'V-0001'")
        ),
        "42501"
    );
    assert_eq!(
        refused(
            &mut a,
            &format!(
                "INSERT INTO vlu.snoozes (unit_id, reminder, snooze) VALUES ('{unit_b}', 'x', '{{}}')"
            )
        ),
        "42501"
    );
    // Nor can it make itself B's.
    assert_eq!(
        refused(&mut a, "UPDATE vlu.units SET db_role = current_user"),
        "42501"
    );
    assert_eq!(count(&mut b, "SELECT count(*) FROM vlu.victims"), b_victims);
    let export = unit_b_sandbox.vlu().arg("export").assert().success();
    let b_file: serde_json::Value = serde_json::from_slice(&export.get_output().stdout).unwrap();
    assert_eq!(b_file["victims"].as_array().unwrap().len(), 45);
}

#[test]
fn the_audit_trail_is_only_ever_added_to() {
    let Some((_s, mut client)) = unit_with_sample() else {
        return;
    };
    assert!(count(&mut client, "SELECT count(*) FROM vlu.audit") > 0);
    assert_eq!(
        refused(&mut client, "UPDATE vlu.audit SET entry = '{}'"),
        "42501"
    );
    assert_eq!(refused(&mut client, "DELETE FROM vlu.audit"), "42501");
    // Each entry names the database role that wrote it, beside the person in the entry.
    let role: String = client
        .query_one(
            "SELECT db_role::text FROM vlu.audit ORDER BY seq LIMIT 1",
            &[],
        )
        .unwrap()
        .get(0);
    let me: String = client
        .query_one("SELECT current_user::text", &[])
        .unwrap()
        .get(0);
    assert_eq!(role, me);
}

/// Contacts are rows a unit's role adds and reads, never changes or removes; an erasure
/// removes them through the function owned by `vlu_admin`, which records the removal where
/// the unit's role cannot take it back.
#[test]
fn contacts_are_only_added_to_and_their_removal_is_recorded() {
    let Some((s, mut client)) = unit_with_sample() else {
        return;
    };
    let v1 = "SELECT count(*) FROM vlu.contacts WHERE victim_id = 'V-0001'";
    let before = count(&mut client, v1);
    assert!(before > 0);
    assert_eq!(
        refused(&mut client, "UPDATE vlu.contacts SET contact = '{}'"),
        "42501"
    );
    assert_eq!(refused(&mut client, "DELETE FROM vlu.contacts"), "42501");
    assert_eq!(refused(&mut client, "TRUNCATE vlu.contacts"), "42501");
    // A logged contact is one row more; the log read back is the rows in order.
    s.vlu()
        .args([
            "log", "--victim", "V-0001", "--kind", "note", "--method", "none",
        ])
        .args(["--direction", "internal", "--summary", "Checked the file."])
        .assert()
        .success();
    assert_eq!(count(&mut client, v1), before + 1);
    let last: String = client
        .query_one(
            "SELECT contacts -> -1 ->> 'summary' FROM vlu.contact_logs WHERE victim_id = 'V-0001'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(last, "Checked the file.");
    // The erasure's removal, by the function, is recorded.
    s.vlu()
        .args([
            "erase", "--victim", "V-0001", "--reason", "request", "--yes",
        ])
        .assert()
        .success();
    assert_eq!(count(&mut client, v1), 0);
    let row = client
        .query_one(
            "SELECT contacts, why, db_role::text = current_user::text FROM vlu.contact_removals \
             WHERE victim_id = 'V-0001'",
            &[],
        )
        .unwrap();
    assert_eq!(i64::from(row.get::<_, i32>(0)), before + 1);
    assert_eq!(row.get::<_, String>(1), "removed");
    assert!(row.get::<_, bool>(2), "the removal names the unit's role");
    assert_eq!(
        refused(&mut client, "DELETE FROM vlu.contact_removals"),
        "42501"
    );
    assert_eq!(
        refused(&mut client, "UPDATE vlu.contact_removals SET contacts = 1"),
        "42501"
    );
    // The function removes only the caller's own unit's contacts.
    let other = Sandbox::with_sample_in_postgres().unwrap();
    let url = other.store_url.clone().unwrap();
    let mut theirs = Client::connect(&url, NoTls).unwrap();
    let v2 = "SELECT count(*) FROM vlu.contacts WHERE victim_id = 'V-0002'";
    let kept = count(&mut theirs, v2);
    client
        .execute(
            "SELECT vlu.remove_contacts(ARRAY['V-0002'], 'removed')",
            &[],
        )
        .unwrap();
    assert_eq!(count(&mut client, v2), 0);
    assert_eq!(count(&mut theirs, v2), kept);
}

#[test]
fn vlu_refuses_a_role_that_sees_every_unit() {
    let Some(unit) = vlu::store::pg_testing::unit() else {
        return;
    };
    let s = Sandbox::new();
    let out = s
        .vlu()
        .env("VLU_STORE", &unit.admin)
        .args(["diary", "--date", "2026-11-24"])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("a superuser, bypasses row security"), "{err}");
}

/// A national role reads every unit's rows and changes none; vlu keeps no unit's records as
/// it, and will not make a unit's role national, nor a national role a unit's.
#[test]
fn a_national_role_reads_every_unit_and_writes_none() {
    let (Some((_a, mut a)), Some((_b, mut b))) = (unit_with_sample(), unit_with_sample()) else {
        return;
    };
    let admin = vlu::store::pg_testing::unit().unwrap().admin;
    let role = format!("vlu_national_t{}", std::process::id());
    let s = Sandbox::new();
    s.vlu()
        .args(["db", "add-national-role", &role, "--url", &admin])
        .assert()
        .success();
    let url = format!("{admin} user={role}");
    let mut national = Client::connect(&url, NoTls).unwrap();
    let (unit_a, unit_b) = (own_unit(&mut a), own_unit(&mut b));
    let of = |unit: &str| format!("SELECT count(*) FROM vlu.victims WHERE unit_id = '{unit}'");
    assert_eq!(count(&mut national, &of(&unit_a)), 45);
    assert_eq!(count(&mut national, &of(&unit_b)), 45);
    let contacts =
        format!("SELECT count(*) FROM vlu.contacts WHERE unit_id IN ('{unit_a}', '{unit_b}')");
    assert_eq!(count(&mut national, &contacts), 2 * 155);
    for sql in [
        "UPDATE vlu.victims SET record = '{}'".to_owned(),
        "DELETE FROM vlu.victims".to_owned(),
        format!("INSERT INTO vlu.cases (unit_id, id, record) VALUES ('{unit_a}', 'C-x', '{{}}')"),
        "SELECT vlu.remove_contacts(ARRAY['V-0001'], 'removed')".to_owned(),
        "INSERT INTO vlu.audit (unit_id, seq, entry) VALUES ('x', 1, '{}')".to_owned(),
    ] {
        assert_eq!(refused(&mut national, &sql), "42501", "{sql}");
    }
    // Not a unit's role: vlu keeps no records as it.
    let out = s
        .vlu()
        .env("VLU_STORE", &url)
        .args(["diary", "--date", "2026-11-24"])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("reads every unit"), "{err}");
    // Neither way round.
    let unit_role: String = a
        .query_one("SELECT current_user::text", &[])
        .unwrap()
        .get(0);
    s.vlu()
        .args(["db", "add-national-role", &unit_role, "--url", &admin])
        .assert()
        .code(2);
    s.vlu()
        .args([
            "db",
            "add-unit",
            "elsewhere",
            "--name",
            "Elsewhere",
            "--role",
            &role,
        ])
        .args(["--url", &admin])
        .assert()
        .code(2);
}

#[test]
fn backups_of_a_database_are_the_organisations() {
    let Some((s, _client)) = unit_with_sample() else {
        return;
    };
    let out = s.vlu().arg("backup").assert().failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("pg_dump"), "{err}");
}

/// The victims the diary lists for `day`, by reminder kind, as one host's service answers.
fn diary_items(s: &Sandbox, day: &str) -> Vec<(String, String)> {
    let out = s
        .vlu()
        .args(["diary", "--format", "json", "--date", day])
        .assert()
        .success();
    let diary: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    diary["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["victim_id"].as_str().unwrap().to_owned(),
                i["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_change_through_one_hosts_service_is_in_the_others_next_diary() {
    let Some(first) = Sandbox::in_postgres() else {
        return;
    };
    let url = first.store_url.clone().unwrap();
    let second = Sandbox::on_host_of(&url);
    first
        .vlu()
        .arg("import")
        .arg(common::sample_path())
        .assert()
        .success();
    let annual = ("V-0029".to_owned(), "annual_letter".to_owned());
    // Each host's service is warm, and keeps its diary, before the change.
    for _ in 0..2 {
        assert!(diary_items(&first, "2026-11-24").contains(&annual));
        assert!(diary_items(&second, "2026-11-24").contains(&annual));
    }
    first
        .vlu()
        .args([
            "log",
            "--victim",
            "V-0029",
            "--kind",
            "annual_letter",
            "--method",
            "letter",
            "--direction",
            "outbound",
            "--on",
            "2026-11-24",
            "--summary",
            "Annual letter sent.",
        ])
        .assert()
        .success();
    assert!(!diary_items(&first, "2026-11-24").contains(&annual));
    assert!(
        !diary_items(&second, "2026-11-24").contains(&annual),
        "the other host's service read the change"
    );
    common::stop_service(&first.data_dir());
    common::stop_service(&second.data_dir());
}

#[test]
fn check_finds_an_audit_trail_a_units_role_could_rewrite() {
    let Some(unit) = vlu::store::pg_testing::unit() else {
        return;
    };
    let s = Sandbox::on_host_of(&unit.url);
    s.vlu()
        .arg("import")
        .arg(common::sample_path())
        .assert()
        .success();
    let said = |out: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let sound = s.vlu().arg("check").assert().success();
    assert!(said(sound.get_output()).contains("is sound"));
    let role = unit.url.rsplit("user=").next().unwrap().to_owned();
    let mut admin = Client::connect(&unit.admin, NoTls).unwrap();
    admin
        .batch_execute(&format!("GRANT UPDATE ON vlu.audit TO {role}"))
        .unwrap();
    common::stop_service(&s.data_dir());
    let unsound = s.vlu().arg("check").assert().failure();
    assert!(
        said(unsound.get_output()).contains("may UPDATE the audit trail"),
        "{}",
        said(unsound.get_output())
    );
    admin
        .batch_execute(&format!("REVOKE UPDATE ON vlu.audit FROM {role}"))
        .unwrap();
}

#[test]
fn a_screen_on_one_host_hears_of_a_change_made_on_another_within_a_second() {
    let Some(first) = Sandbox::with_sample_in_postgres() else {
        return;
    };
    let second = Sandbox::on_host_of(first.store_url.as_deref().unwrap());
    let _there = Service::start(&first);
    let _here = Service::start(&second);
    // A screen of the second host's service, listening.
    let (tx, news) = std::sync::mpsc::channel();
    vlu::service::client::Client::subscribe(&second.data_dir(), tx, |news| news, None).unwrap();
    let writer = vlu::service::client::Client::connect(&first.data_dir())
        .unwrap()
        .unwrap();
    let started = Instant::now();
    writer
        .append_contact("V-0001", &common::note("Rang from the other office."))
        .unwrap();
    loop {
        match news.recv_timeout(Duration::from_secs(2)) {
            Ok(News::Reload) => break,
            Ok(_) => {}
            Err(e) => panic!("no news from the other host: {e}"),
        }
    }
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    // What the screen then reads has the change.
    let reader = vlu::service::client::Client::connect(&second.data_dir())
        .unwrap()
        .unwrap();
    let log = reader.victim("V-0001").unwrap().unwrap().contacts;
    assert_eq!(
        log.last().unwrap().summary.as_deref(),
        Some("Rang from the other office.")
    );
    // The writer's own service heard nothing it did not know: its screens were told by it.
}

#[test]
fn a_unit_copied_into_postgresql_and_back_exports_byte_for_byte_the_same() {
    let Some(unit) = vlu::store::pg_testing::unit() else {
        return;
    };
    let source = Sandbox::with_sample();
    let before = source.export();
    // The copy opens the store itself: its service lets it go first.
    common::stop_service(&source.data_dir());
    let db = Sandbox::on_host_of(&unit.url);
    let back = Sandbox::new();
    let dir = |s: &Sandbox| s.data_dir().display().to_string();
    let copy = |from: &str, to: &str| {
        source
            .vlu()
            .args(["db", "copy", "--from", from, "--to", to])
            .assert()
    };
    copy(&dir(&source), &unit.url).success();
    copy(&unit.url, &dir(&back)).success();
    assert_eq!(db.export(), before, "the copy in PostgreSQL");
    assert_eq!(back.export(), before, "the copy back in a data directory");
    // The trail came too, and the copy is in it, after it.
    let trail = |s: &Sandbox| {
        let out = s.vlu().arg("audit").assert().success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    let in_db = trail(&db);
    assert!(in_db.contains("import"), "{in_db}");
    assert!(in_db.contains("copy-in"), "{in_db}");
    // Never into a store that holds records: refused, nothing changed.
    common::stop_service(&source.data_dir());
    let refused = copy(&dir(&source), &unit.url).failure();
    let err = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(err.contains("already holds records"), "{err}");
    assert_eq!(db.export(), before);
    common::stop_service(&back.data_dir());
    let refused = copy(&unit.url, &dir(&back)).failure();
    let err = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(err.contains("already holds a store"), "{err}");
}

#[test]
fn an_import_of_many_batches_is_one_transaction_and_exports_as_on_sled() {
    let Some(db) = Sandbox::in_postgres() else {
        return;
    };
    // Large enough that the store applies it in several batches (about 1 MiB each).
    let sled = Sandbox::new();
    let file = sled.root.path().join("unit.json");
    sled.vlu()
        .args(["generate", "--victims", "1500", "--seed", "3", "--out"])
        .arg(&file)
        .assert()
        .success();
    assert!(std::fs::metadata(&file).unwrap().len() > 3 * 1024 * 1024);
    sled.vlu().arg("import").arg(&file).assert().success();
    db.vlu().arg("import").arg(&file).assert().success();
    assert_eq!(db.export(), sled.export());
    let check = db.vlu().arg("check").assert().success();
    let said = String::from_utf8_lossy(&check.get_output().stderr).into_owned()
        + &String::from_utf8_lossy(&check.get_output().stdout);
    assert!(said.contains("1500 victims"), "{said}");
}

/// Two hosts' services appending to one victim's log at once, and changing records that
/// share digest shards: every acknowledged entry is in the log, and the digest agrees with
/// the records (a service reads a log or a shard, changes it and writes it back, so the
/// unit's writers must take turns across hosts, not only within one service).
#[test]
fn two_hosts_writing_at_once_lose_nothing() {
    let Some(first) = Sandbox::with_sample_in_postgres() else {
        return;
    };
    let second = Sandbox::on_host_of(first.store_url.as_deref().unwrap());
    let _one = Service::start(&first);
    let _two = Service::start(&second);
    let acked = std::sync::Mutex::new(Vec::new());
    let dirs = [first.data_dir(), second.data_dir()];
    std::thread::scope(|scope| {
        for (host, dir) in dirs.iter().enumerate() {
            for writer in 0..3 {
                let acked = &acked;
                scope.spawn(move || {
                    let client = vlu::service::client::Client::connect(dir).unwrap().unwrap();
                    for n in 0..15 {
                        // One victim all share; and one each, whose records share shards.
                        let victim = if n % 2 == 0 {
                            "V-0001".to_owned()
                        } else {
                            format!("V-{:04}", 2 + host * 3 + writer)
                        };
                        let summary = format!("Host {host}, writer {writer}, call {n}.");
                        client
                            .append_contact(&victim, &common::note(&summary))
                            .unwrap();
                        acked.lock().unwrap().push((victim, summary));
                    }
                });
            }
        }
    });
    let reader = vlu::service::client::Client::connect(&first.data_dir())
        .unwrap()
        .unwrap();
    for (victim, summary) in acked.into_inner().unwrap() {
        let log = reader.victim(&victim).unwrap().unwrap().contacts;
        assert!(
            log.iter()
                .any(|c| c.summary.as_deref() == Some(summary.as_str())),
            "{victim} lost \"{summary}\""
        );
    }
    drop(reader);
    common::stop_service(&first.data_dir());
    common::stop_service(&second.data_dir());
    let out = first.vlu().arg("check").assert().success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned()
        + &String::from_utf8_lossy(&out.get_output().stderr);
    assert!(said.contains("is sound"), "{said}");
}

/// A unit whose records are a generated unit of `victims` (ids unlike the sample's), and
/// its administrator's address.
fn generated_unit(victims: usize) -> Option<(Sandbox, String)> {
    let unit = vlu::store::pg_testing::unit()?;
    let s = Sandbox::on_host_of(&unit.url);
    let file = s.root.path().join("generated.json");
    s.vlu()
        .args(["generate", "--victims", &victims.to_string(), "--out"])
        .arg(&file)
        .assert()
        .success();
    s.vlu().arg("import").arg(&file).assert().success();
    Some((s, unit.admin))
}

fn export(s: &Sandbox) -> serde_json::Value {
    let out = s.vlu().args(["export", "-"]).assert().success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

fn unit_id(s: &Sandbox) -> String {
    let mut client = Client::connect(s.store_url.as_deref().unwrap(), NoTls).unwrap();
    own_unit(&mut client)
}

fn trail(s: &Sandbox) -> Vec<serde_json::Value> {
    let out = s
        .vlu()
        .args(["audit", "--format", "json"])
        .assert()
        .success();
    let trail: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    trail["entries"].as_array().unwrap().clone()
}

/// `vlu db move-case`, run from `s`, as the database's administrator.
fn move_case(
    s: &Sandbox,
    admin: &str,
    case: &str,
    from: &str,
    to: &str,
) -> assert_cmd::assert::Assert {
    s.vlu()
        .args([
            "db",
            "move-case",
            "--case",
            case,
            "--from",
            from,
            "--to",
            to,
        ])
        .args(["--url", admin])
        .assert()
}

/// A case moved between two units of one database, by an administrator: the receiving unit
/// holds the case, its victims and their logs as they were (unallocated), the sending unit
/// keeps it marked transferred, and both audit trails say so.
#[test]
fn a_case_moves_between_units_of_one_database() {
    let (Some(here), Some((there, admin))) =
        (Sandbox::with_sample_in_postgres(), generated_unit(20))
    else {
        return;
    };
    let (from, to) = (unit_id(&here), unit_id(&there));
    let sent = export(&here);
    let received = export(&there)["victims"].as_array().unwrap().len();
    let case = "C-2016-023";
    let moving: Vec<&serde_json::Value> = sent["victims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["case_id"] == case)
        .collect();
    assert!(!moving.is_empty());
    move_case(&here, &admin, case, &from, &to).success();

    let arrived = export(&there);
    let victims = arrived["victims"].as_array().unwrap();
    assert_eq!(victims.len(), received + moving.len());
    for v in &moving {
        let landed = victims.iter().find(|w| w["id"] == v["id"]).unwrap();
        let mut expected = (*v).clone();
        expected.as_object_mut().unwrap().remove("allocated_to");
        assert_eq!(
            landed, &expected,
            "{} arrived as it was, unallocated",
            v["id"]
        );
    }
    assert!(
        arrived["cases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == case)
    );
    let left = export(&here);
    let kept = left["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == case)
        .unwrap();
    assert!(kept["transferred"]["to_area"].is_string(), "{kept}");
    let moved_in = trail(&there)
        .into_iter()
        .find(|e| e["action"] == "move-in")
        .expect("the receiving unit's trail says it came in");
    assert_eq!(moved_in["subject"], case);
    assert!(
        trail(&here).iter().any(|e| e["subject"] == case
            && e["fields"]
                .to_string()
                .contains(&format!("moved to unit {to}"))),
        "the sending unit's trail says it went"
    );
    // Again: refused, it is no longer live here; nothing changes there.
    let out = move_case(&here, &admin, case, &from, &to).code(2);
    let said = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(said.contains("transferred already"), "{said}");
    assert_eq!(export(&there), arrived);
}

/// A move that cannot be made in full — the receiving unit holds the case's id already —
/// changes neither unit: the sending unit's mark, made first, goes with the refusal.
#[test]
fn a_case_move_refused_by_the_receiving_unit_changes_neither() {
    let (Some((there, admin)), Some(fresh)) = (generated_unit(20), vlu::store::pg_testing::unit())
    else {
        return;
    };
    // The sample, with one case renamed to an id the receiving unit holds.
    let taken = export(&there)["cases"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut sample: serde_json::Value =
        serde_json::from_slice(&std::fs::read(common::sample_path()).unwrap()).unwrap();
    let renamed = sample["cases"][1]["id"].clone();
    sample["cases"][1]["id"] = taken.clone().into();
    for v in sample["victims"].as_array_mut().unwrap() {
        if v["case_id"] == renamed {
            v["case_id"] = taken.clone().into();
        }
    }
    let here = Sandbox::on_host_of(&fresh.url);
    let file = here.root.path().join("clash.json");
    std::fs::write(&file, serde_json::to_vec(&sample).unwrap()).unwrap();
    here.vlu().arg("import").arg(&file).assert().success();
    let (from, to) = (unit_id(&here), unit_id(&there));
    let there_before = export(&there);
    let here_before = export(&here);
    let entries = trail(&here).len();
    let out = move_case(&here, &admin, &taken, &from, &to).code(2);
    let said = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(said.contains(&taken), "{said}");
    // (The trail read before the export, which is an entry of its own.)
    assert_eq!(trail(&here).len(), entries);
    assert_eq!(export(&here), here_before);
    assert_eq!(export(&there), there_before);
}

/// Units loaded whole with `vlu db load` (`COPY`) hold what an import into a data directory
/// holds: each one's export is byte for byte the sled store's; a unit that holds records
/// already is refused, and a file with a problem loads nothing.
#[test]
fn units_loaded_with_copy_export_as_imported_ones() {
    let (Some(one), Some(two)) = (
        vlu::store::pg_testing::unit(),
        vlu::store::pg_testing::unit(),
    ) else {
        return;
    };
    let work = Sandbox::new();
    let dir = work.root.path().join("units");
    std::fs::create_dir(&dir).unwrap();
    for (seed, unit) in [(3, &one), (4, &two)] {
        let file = dir.join(format!("{}.json", unit.id));
        work.vlu()
            .args([
                "generate",
                "--victims",
                "150",
                "--seed",
                &seed.to_string(),
                "--out",
            ])
            .arg(&file)
            .assert()
            .success();
    }
    work.vlu()
        .args(["db", "load", "--url", &one.admin])
        .arg(&dir)
        .assert()
        .success();
    for unit in [&one, &two] {
        let loaded = Sandbox::on_host_of(&unit.url);
        let imported = Sandbox::new();
        imported
            .vlu()
            .arg("import")
            .arg(dir.join(format!("{}.json", unit.id)))
            .assert()
            .success();
        let check = loaded.vlu().arg("check").assert().success();
        assert!(
            String::from_utf8_lossy(&check.get_output().stdout).contains("is sound")
                || String::from_utf8_lossy(&check.get_output().stderr).contains("is sound")
        );
        let out = |s: &Sandbox| {
            s.vlu()
                .args(["export", "-"])
                .assert()
                .success()
                .get_output()
                .stdout
                .clone()
        };
        assert!(out(&loaded) == out(&imported), "{}'s export", unit.id);
    }
    // Again: the units hold records now.
    let again = work
        .vlu()
        .args(["db", "load", "--url", &one.admin])
        .arg(dir.join(format!("{}.json", one.id)))
        .assert()
        .code(2);
    let said = String::from_utf8_lossy(&again.get_output().stderr).into_owned();
    assert!(said.contains("holds records already"), "{said}");
    // A file with a problem: nothing of it is loaded.
    let Some(three) = vlu::store::pg_testing::unit() else {
        return;
    };
    let bad = dir.join(format!("{}.json", three.id));
    std::fs::write(&bad, r#"{"cases": [{"id": "C-1"}], "victims": []}"#).unwrap();
    work.vlu()
        .args(["db", "load", "--url", &three.admin])
        .arg(&bad)
        .assert()
        .code(2);
    let mut client = Client::connect(&three.url, NoTls).unwrap();
    assert_eq!(count(&mut client, "SELECT count(*) FROM vlu.meta"), 0);
}

/// A return's figures that add up over units: the counts, and the overdue items.
fn additive_figures(json: &[u8]) -> Vec<u64> {
    let r: serde_json::Value = serde_json::from_slice(json).unwrap();
    let keys = [
        "referred",
        "offers_due",
        "offers_in_time",
        "first_offers",
        "opted_in",
        "declined",
        "opted_out",
        "no_response",
        "annual_letters_due",
        "annual_letters_on_time",
        "follow_ups_due",
        "follow_ups_on_time",
        "complaints",
        "complaints_acknowledged_in_time",
    ];
    let mut out: Vec<u64> = keys.iter().map(|k| r[k].as_u64().unwrap()).collect();
    out.push(r["overdue"]["total"].as_u64().unwrap());
    out
}

/// A database at `admin` migrated, with units east, west and north (roles
/// `vlu_nr_{run}_{unit}`), and a generated caseload file for each in the returned folder.
fn three_units(work: &Sandbox, admin: &str, run: u32) -> std::path::PathBuf {
    work.vlu()
        .args(["db", "migrate", "--url", admin])
        .assert()
        .success();
    for unit in ["east", "west", "north"] {
        let role = format!("vlu_nr_{run}_{unit}");
        work.vlu()
            .args(["db", "add-unit", unit, "--name", unit, "--role", &role])
            .args(["--url", admin])
            .assert()
            .success();
    }
    let dir = work.root.path().join("units");
    std::fs::create_dir(&dir).unwrap();
    for (seed, unit) in [(5, "east"), (6, "west"), (7, "north")] {
        work.vlu()
            .args(["generate", "--victims", "120", "--seed", &seed.to_string()])
            .arg("--out")
            .arg(dir.join(format!("{unit}.json")))
            .assert()
            .success();
    }
    dir
}

/// The whole country's return, as a national role, is the sum of the units' own returns:
/// each unit's victims counted by the facts it keeps (loaded with `vlu db load`), a unit that
/// keeps none named and left out, and a unit's role refused.
#[test]
fn the_national_return_is_the_sum_of_the_units_own() {
    let Some(admin) = vlu::store::pg_testing::unmigrated_database() else {
        return;
    };
    let work = Sandbox::new();
    let run = std::process::id();
    let dir = three_units(&work, &admin, run);
    // East and west loaded (their facts with them); north imported through its own role, a
    // large write that keeps none until its first return.
    work.vlu()
        .args(["db", "load", "--url", &admin])
        .arg(dir.join("east.json"))
        .arg(dir.join("west.json"))
        .assert()
        .success();
    let host = |unit: &str| Sandbox::on_host_of(&format!("{admin} user=vlu_nr_{run}_{unit}"));
    let north = host("north");
    north
        .vlu()
        .arg("import")
        .arg(dir.join("north.json"))
        .assert()
        .success();
    let role = format!("vlu_nr_{run}_national");
    work.vlu()
        .args(["db", "add-national-role", &role, "--url", &admin])
        .assert()
        .success();
    let period = [
        "--from",
        "2026-01-01",
        "--to",
        "2026-09-30",
        "--format",
        "json",
    ];
    let national = |url: &str| {
        work.vlu()
            .args(["db", "report", "--url", url])
            .args(period)
            .output()
            .unwrap()
    };
    let own = |s: &Sandbox| {
        let out = s.vlu().arg("report").args(period).assert().success();
        additive_figures(&out.get_output().stdout)
    };
    let out = national(&format!("{admin} user={role}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("not counted") && said.contains("north"),
        "{said}"
    );
    let sum: Vec<u64> = own(&host("east"))
        .iter()
        .zip(own(&host("west")))
        .map(|(a, b)| a + b)
        .collect();
    assert!(sum[0] > 0 && sum[14] > 0, "the units have work: {sum:?}");
    assert_eq!(additive_figures(&out.stdout), sum, "east and west, summed");
    // North's first return keeps its facts: now it counts too.
    let with_north: Vec<u64> = sum.iter().zip(own(&north)).map(|(a, b)| a + b).collect();
    let out = national(&format!("{admin} user={role}"));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("not counted"));
    assert_eq!(
        additive_figures(&out.stdout),
        with_north,
        "every unit, summed"
    );
    // An import into a unit that keeps them works them out afresh once it is in.
    north
        .vlu()
        .args(["import", "--replace"])
        .arg(dir.join("north.json"))
        .assert()
        .success();
    let out = national(&format!("{admin} user={role}"));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!said.contains("not counted"), "{said}");
    assert_eq!(additive_figures(&out.stdout), with_north, "after an import");
    // A unit's role reads one unit: it may not make the country's return.
    let refused = national(&format!("{admin} user=vlu_nr_{run}_east"));
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("national role"));
}
