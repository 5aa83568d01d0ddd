//! What every engine must do, written once over the trait: the suite the sled engine and the
//! PostgreSQL engine pass alike (each `fn` takes any engine; `fresh` makes sled's, `unit` a
//! PostgreSQL unit of its own). Values under the record prefixes are JSON, as the store
//! writes them (PostgreSQL keeps them as `jsonb`).

use super::on_postgres::Postgres;
use super::{Batch, Engine, Unapplied, log_number, on_sled::Sled};

fn fresh() -> (tempfile::TempDir, Sled) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Sled::open_files(&dir.path().join("db"), 1024 * 1024).unwrap();
    (dir, engine)
}

/// A PostgreSQL engine on a unit of its own (`None`: no server for the tests, outside CI).
fn unit() -> Option<Postgres> {
    let unit = crate::store::pg_testing::unit()?;
    Some(Postgres::open(&unit.url).unwrap())
}

/// `text` as a JSON string, as a record's bytes.
fn j(text: &str) -> Vec<u8> {
    serde_json::to_vec(text).unwrap()
}

fn put(engine: &dyn Engine, pairs: &[(&str, &str)]) {
    let mut batch = Batch::default();
    for (k, v) in pairs {
        batch.insert(k.as_bytes(), j(v));
    }
    engine.apply(batch, true).unwrap();
}

fn keys_under(engine: &dyn Engine, prefix: &str) -> Vec<String> {
    engine
        .keys(prefix.as_bytes())
        .map(|k| String::from_utf8(k.unwrap()).unwrap())
        .collect()
}

fn reads_and_scans(engine: &dyn Engine) {
    assert!(engine.is_empty().unwrap());
    put(
        engine,
        &[
            ("v\0b", "2"),
            ("v\0a", "1"),
            ("c\0a", "case"),
            ("v\0c", "3"),
        ],
    );
    assert_eq!(engine.get(b"v\0a").unwrap().as_deref(), Some(&j("1")[..]));
    assert_eq!(engine.get(b"v\0z").unwrap(), None);
    assert!(engine.contains(b"c\0a").unwrap());
    assert!(!engine.contains(b"c\0b").unwrap());
    assert_eq!(keys_under(engine, "v\0"), ["v\0a", "v\0b", "v\0c"]);
    let last = engine.scan(b"v\0").next_back().unwrap().unwrap();
    assert_eq!(last, (b"v\0c".to_vec(), j("3")));
    assert_eq!(engine.scan(b"").count(), 4);
    assert!(!engine.is_empty().unwrap());
}

fn a_batch_is_all_or_nothing(engine: &dyn Engine) {
    put(engine, &[("r\0v\0v1", "stamp 1"), ("v\0v1", "record 1")]);
    // A save made from stamp 1 is written, with its new stamp.
    let mut first = Batch::default();
    first.expect(b"r\0v\0v1".to_vec(), Some(j("stamp 1")));
    first.insert(b"r\0v\0v1".to_vec(), j("stamp 2"));
    first.insert(b"v\0v1".to_vec(), j("record 2"));
    engine.apply(first, true).unwrap();
    // A second save made from stamp 1 is refused whole, naming the key.
    let mut stale = Batch::default();
    stale.expect(b"r\0v\0v1".to_vec(), Some(j("stamp 1")));
    stale.insert(b"r\0v\0v1".to_vec(), j("stamp 2'"));
    stale.insert(b"v\0v1".to_vec(), j("record 2'"));
    stale.insert(b"v\0other".to_vec(), j("x"));
    stale.append(b"a\0", j("entry"));
    match engine.apply(stale, true) {
        Err(Unapplied::Conflict(k)) => assert_eq!(k, b"r\0v\0v1"),
        other => panic!("a stale batch was {other:?}"),
    }
    assert_eq!(
        engine.get(b"v\0v1").unwrap().as_deref(),
        Some(&j("record 2")[..])
    );
    assert!(!engine.contains(b"v\0other").unwrap());
    assert_eq!(engine.scan(b"a\0").count(), 0);
    // Expecting a key to be absent: a record made once, not twice.
    let new = || {
        let mut b = Batch::default();
        b.expect(b"r\0c\0c9".to_vec(), None);
        b.insert(b"r\0c\0c9".to_vec(), j("stamp 1"));
        b
    };
    engine.apply(new(), true).unwrap();
    assert!(matches!(
        engine.apply(new(), true),
        Err(Unapplied::Conflict(_))
    ));
    // Removal.
    let mut gone = Batch::default();
    gone.remove(b"v\0v1".to_vec());
    engine.apply(gone, true).unwrap();
    assert_eq!(engine.get(b"v\0v1").unwrap(), None);
}

fn logs_are_numbered_in_order(engine: &dyn Engine) {
    let mut two = Batch::default();
    two.append(b"a\0", j("first"));
    two.append(b"a\0", j("second"));
    assert_eq!(engine.apply(two, true).unwrap(), Some(2));
    let mut plain = Batch::default();
    plain.insert(b"s\0x".to_vec(), j("snooze"));
    assert_eq!(engine.apply(plain, true).unwrap(), None);
    // A refused batch takes no number.
    let mut refused = Batch::default();
    refused.expect(b"s\0nothing".to_vec(), Some(j("something")));
    refused.append(b"a\0", j("never"));
    assert!(engine.apply(refused, true).is_err());
    let mut third = Batch::default();
    third.append(b"a\0", j("third"));
    assert_eq!(engine.apply(third, true).unwrap(), Some(3));
    let log: Vec<(u64, Vec<u8>)> = engine
        .scan(b"a\0")
        .map(|item| {
            let (k, v) = item.unwrap();
            (log_number(b"a\0", &k).unwrap(), v)
        })
        .collect();
    assert_eq!(log, [(1, j("first")), (2, j("second")), (3, j("third"))]);
}

#[test]
fn sled_reads_and_scans_in_key_order() {
    reads_and_scans(&fresh().1);
}

#[test]
fn sled_applies_a_batch_whole_or_refuses_it_whole() {
    a_batch_is_all_or_nothing(&fresh().1);
}

#[test]
fn sled_numbers_a_log_in_order_without_gaps() {
    logs_are_numbered_in_order(&fresh().1);
}

#[test]
fn sled_goes_on_numbering_a_log_after_it_is_opened_again() {
    let (dir, engine) = fresh();
    let mut batch = Batch::default();
    batch.append(b"a\0", j("one"));
    batch.append(b"a\0", j("two"));
    engine.apply(batch, true).unwrap();
    drop(engine);
    // As the store opens it: waiting, briefly, for the dropped handle's flush to let go.
    let again = Sled::open(dir.path(), 1024 * 1024).unwrap();
    let mut next = Batch::default();
    next.append(b"a\0", j("three"));
    assert_eq!(again.apply(next, true).unwrap(), Some(3));
}

/// Eight saves made from one stamp at once: exactly one is written.
fn one_of_racing_saves_goes_through(engine: &dyn Engine) {
    put(engine, &[("r\0v\0v1", "1")]);
    let won = std::thread::scope(|s| {
        let saves: Vec<_> = (0..8)
            .map(|n| {
                s.spawn(move || {
                    let mut b = Batch::default();
                    b.expect(b"r\0v\0v1".to_vec(), Some(j("1")));
                    b.insert(b"r\0v\0v1".to_vec(), j(&format!("2 by {n}")));
                    b.append(b"a\0", j(&format!("saved by {n}")));
                    engine.apply(b, false).is_ok()
                })
            })
            .collect();
        saves
            .into_iter()
            .map(|h| h.join().unwrap())
            .filter(|won| *won)
            .count()
    });
    assert_eq!(won, 1);
    assert_eq!(engine.scan(b"a\0").count(), 1);
}

/// A scan longer than any page an engine reads at once, from both ends until they meet.
fn long_scans_meet_in_the_middle(engine: &dyn Engine) {
    let ids: Vec<String> = (0..2_503).map(|n| format!("V-{n:05}")).collect();
    let mut batch = Batch::default();
    for id in &ids {
        batch.insert(format!("v\0{id}"), j(id));
    }
    batch.insert(b"r\0c\0C-1".to_vec(), j("case stamp"));
    batch.insert(b"r\0v\0V-1".to_vec(), j("victim stamp"));
    engine.apply(batch, false).unwrap();
    let forward: Vec<Vec<u8>> = engine.keys(b"v\0").map(Result::unwrap).collect();
    assert_eq!(forward.len(), ids.len());
    assert!(forward.windows(2).all(|w| w[0] < w[1]));
    let backward: Vec<Vec<u8>> = engine.scan(b"v\0").rev().map(|p| p.unwrap().0).collect();
    assert_eq!(backward, forward.iter().rev().cloned().collect::<Vec<_>>());
    // Taken from both ends in turn: every key once.
    let mut scan = engine.scan(b"v\0");
    let (mut front, mut back) = (Vec::new(), Vec::new());
    while let Some(p) = scan.next() {
        front.push(p.unwrap().0);
        match scan.next_back() {
            Some(p) => back.push(p.unwrap().0),
            None => break,
        }
    }
    front.extend(back.into_iter().rev());
    assert_eq!(front, forward);
    // Part of a key: one kind of stamp, and ids that start alike.
    assert_eq!(keys_under(engine, "r\0v\0"), ["r\0v\0V-1"]);
    assert_eq!(keys_under(engine, "v\0V-0250").len(), 3);
}

/// A batch of many ops (as an import's) ends as if each were applied in turn.
fn many_ops_end_as_applied_in_turn(engine: &dyn Engine) {
    put(
        engine,
        &[("v\0kept", "old"), ("v\0gone", "old"), ("r\0c\0C-1", "1")],
    );
    let mut batch = Batch::default();
    for n in 0..20 {
        batch.insert(format!("v\0V-{n:02}"), j(&format!("victim {n}")));
    }
    batch.insert(b"v\0kept".to_vec(), j("new"));
    batch.remove(b"v\0gone".to_vec());
    batch.insert(b"v\0V-03".to_vec(), j("put twice"));
    batch.remove(b"v\0V-05".to_vec());
    batch.remove(b"r\0c\0C-1".to_vec());
    batch.insert(b"r\0c\0C-1".to_vec(), j("2"));
    batch.insert(b"r\0v\0V-01".to_vec(), j("1"));
    batch.insert(b"d\0\x07".to_vec(), b"\x00\x01 shard".to_vec());
    engine.apply(batch, true).unwrap();
    let victims = keys_under(engine, "v\0");
    assert_eq!(victims.len(), 20, "{victims:?}");
    assert!(!victims.contains(&"v\0gone".to_owned()));
    assert!(!victims.contains(&"v\0V-05".to_owned()));
    assert_eq!(engine.get(b"v\0kept").unwrap(), Some(j("new")));
    assert_eq!(engine.get(b"v\0V-03").unwrap(), Some(j("put twice")));
    assert_eq!(engine.get(b"r\0c\0C-1").unwrap(), Some(j("2")));
    assert_eq!(engine.get(b"r\0v\0V-01").unwrap(), Some(j("1")));
    assert_eq!(
        engine.get(b"d\0\x07").unwrap().as_deref(),
        Some(&b"\x00\x01 shard"[..])
    );
}

#[test]
fn sled_ends_many_ops_as_applied_in_turn() {
    many_ops_end_as_applied_in_turn(&fresh().1);
}

#[test]
fn postgres_ends_many_ops_as_applied_in_turn() {
    if let Some(engine) = unit() {
        many_ops_end_as_applied_in_turn(&engine);
    }
}

#[test]
fn sled_lets_one_of_two_racing_saves_through() {
    one_of_racing_saves_goes_through(&fresh().1);
}

#[test]
fn sled_scans_long_prefixes_from_both_ends() {
    long_scans_meet_in_the_middle(&fresh().1);
}

#[test]
fn postgres_reads_and_scans_in_key_order() {
    if let Some(engine) = unit() {
        reads_and_scans(&engine);
    }
}

#[test]
fn postgres_applies_a_batch_whole_or_refuses_it_whole() {
    if let Some(engine) = unit() {
        a_batch_is_all_or_nothing(&engine);
    }
}

#[test]
fn postgres_numbers_a_log_in_order_without_gaps() {
    if let Some(engine) = unit() {
        logs_are_numbered_in_order(&engine);
    }
}

#[test]
fn postgres_lets_one_of_racing_saves_through() {
    if let Some(engine) = unit() {
        one_of_racing_saves_goes_through(&engine);
    }
}

#[test]
fn postgres_scans_long_prefixes_from_both_ends() {
    if let Some(engine) = unit() {
        long_scans_meet_in_the_middle(&engine);
    }
}

#[test]
fn postgres_units_do_not_see_each_others_records() {
    let (Some(one), Some(two)) = (unit(), unit()) else {
        return;
    };
    put(&one, &[("v\0V-1", "one's victim")]);
    put(&two, &[("v\0V-2", "two's victim")]);
    assert_eq!(keys_under(&one, "v\0"), ["v\0V-1"]);
    assert_eq!(two.get(b"v\0V-1").unwrap(), None);
    // The same id in two units: two records.
    put(&two, &[("v\0V-1", "two's own V-1")]);
    assert_eq!(one.get(b"v\0V-1").unwrap(), Some(j("one's victim")));
}

/// Two engines on one unit (two hosts' services) take turns: the second's turn waits for
/// the first's to be given up; another unit's never does.
#[test]
fn postgres_engines_of_one_unit_take_turns() {
    let Some(unit) = crate::store::pg_testing::unit() else {
        return;
    };
    let (one, two) = (
        Postgres::open(&unit.url).unwrap(),
        Postgres::open(&unit.url).unwrap(),
    );
    let other = self::unit().unwrap();
    let turn = one.turn().unwrap().expect("a shared engine takes turns");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let _second = two.turn().unwrap();
            tx.send(std::time::Instant::now()).unwrap();
        });
        let _apart = other.turn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(
            rx.try_recv().is_err(),
            "the second took its turn during the first's"
        );
        let given_up = std::time::Instant::now();
        drop(turn);
        let taken = rx.recv().unwrap();
        assert!(taken >= given_up);
    });
}

#[test]
fn sled_needs_no_turns() {
    let (_dir, engine) = fresh();
    assert!(engine.turn().unwrap().is_none());
}

/// The schema's CHECKs allow every value of the enumerations the records carry (a kind added
/// to vlu and not to the schema would have every save of it refused by the database).
#[test]
fn the_schemas_checks_know_every_value_of_the_enumerations() {
    use crate::domain::enums::{
        ContactKind, Direction, Eligibility, OffenceCategory, OfficerRole, SentenceKind,
        VictimStatus,
    };
    let sql: String = super::on_postgres::MIGRATIONS
        .iter()
        .map(|(_, sql)| *sql)
        .collect();
    let values = ContactKind::ALL
        .iter()
        .map(|v| v.as_str())
        .chain(Direction::ALL.iter().map(|v| v.as_str()))
        .chain(Eligibility::ALL.iter().map(|v| v.as_str()))
        .chain(OffenceCategory::ALL.iter().map(|v| v.as_str()))
        .chain(OfficerRole::ALL.iter().map(|v| v.as_str()))
        .chain(SentenceKind::ALL.iter().map(|v| v.as_str()))
        .chain(VictimStatus::ALL.iter().map(|v| v.as_str()));
    for value in values {
        assert!(
            sql.contains(&format!("'{value}'")),
            "{value} is in no CHECK"
        );
    }
}

/// The engine a unit is built in before `vlu db load` copies it: the same primitives.
#[test]
fn memory_keeps_to_the_same_primitives() {
    use super::in_memory::InMemory;
    reads_and_scans(&InMemory::default());
    a_batch_is_all_or_nothing(&InMemory::default());
    logs_are_numbered_in_order(&InMemory::default());
    one_of_racing_saves_goes_through(&InMemory::default());
    long_scans_meet_in_the_middle(&InMemory::default());
    many_ops_end_as_applied_in_turn(&InMemory::default());
}

/// `vlu check` on a database finds a grant that would let the national role change what it
/// may only read (in a database of its own: the grant is the whole database's).
#[test]
fn postgres_check_finds_a_national_role_that_could_write() {
    let Some(admin) = crate::store::pg_testing::unmigrated_database() else {
        return;
    };
    crate::store::database::migrate(&admin).unwrap();
    let role = format!("vlu_g{}", std::process::id());
    crate::store::database::add_unit(&admin, "guarded", "Guarded", &role).unwrap();
    let engine = Postgres::open(&format!("{admin} user={role}")).unwrap();
    assert_eq!(engine.guarded().unwrap(), Vec::<String>::new());
    let mut client = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    client
        .batch_execute("GRANT INSERT ON vlu.victims TO vlu_national")
        .unwrap();
    assert_eq!(
        engine.guarded().unwrap(),
        ["the national role may change vlu.victims, where it must only read"]
    );
}
