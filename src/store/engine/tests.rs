//! What every engine must do, written once over the trait: the suite the sled engine passes
//! here and a second engine must pass as well (each `fn` takes any engine; `open_*` makes
//! sled's).

use super::{Batch, Engine, Unapplied, log_number, on_sled::Sled};

fn fresh() -> (tempfile::TempDir, Sled) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Sled::open_files(&dir.path().join("db"), 1024 * 1024).unwrap();
    (dir, engine)
}

fn put(engine: &dyn Engine, pairs: &[(&str, &str)]) {
    let mut batch = Batch::default();
    for (k, v) in pairs {
        batch.insert(k.as_bytes(), v.as_bytes());
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
    assert_eq!(engine.get(b"v\0a").unwrap().as_deref(), Some(&b"1"[..]));
    assert_eq!(engine.get(b"v\0z").unwrap(), None);
    assert!(engine.contains(b"c\0a").unwrap());
    assert!(!engine.contains(b"c\0b").unwrap());
    assert_eq!(keys_under(engine, "v\0"), ["v\0a", "v\0b", "v\0c"]);
    let last = engine.scan(b"v\0").next_back().unwrap().unwrap();
    assert_eq!(last, (b"v\0c".to_vec(), b"3".to_vec()));
    assert_eq!(engine.scan(b"").count(), 4);
    assert!(!engine.is_empty().unwrap());
}

fn a_batch_is_all_or_nothing(engine: &dyn Engine) {
    put(engine, &[("r\0v\0v1", "stamp 1"), ("v\0v1", "record 1")]);
    // A save made from stamp 1 is written, with its new stamp.
    let mut first = Batch::default();
    first.expect(b"r\0v\0v1".to_vec(), Some(b"stamp 1".to_vec()));
    first.insert(b"r\0v\0v1".to_vec(), b"stamp 2".to_vec());
    first.insert(b"v\0v1".to_vec(), b"record 2".to_vec());
    engine.apply(first, true).unwrap();
    // A second save made from stamp 1 is refused whole, naming the key.
    let mut stale = Batch::default();
    stale.expect(b"r\0v\0v1".to_vec(), Some(b"stamp 1".to_vec()));
    stale.insert(b"r\0v\0v1".to_vec(), b"stamp 2'".to_vec());
    stale.insert(b"v\0v1".to_vec(), b"record 2'".to_vec());
    stale.insert(b"v\0other".to_vec(), b"x".to_vec());
    stale.append(b"a\0", b"entry".to_vec());
    match engine.apply(stale, true) {
        Err(Unapplied::Conflict(k)) => assert_eq!(k, b"r\0v\0v1"),
        other => panic!("a stale batch was {other:?}"),
    }
    assert_eq!(
        engine.get(b"v\0v1").unwrap().as_deref(),
        Some(&b"record 2"[..])
    );
    assert!(!engine.contains(b"v\0other").unwrap());
    assert_eq!(engine.scan(b"a\0").count(), 0);
    // Expecting a key to be absent: a record made once, not twice.
    let new = || {
        let mut b = Batch::default();
        b.expect(b"r\0c\0c9".to_vec(), None);
        b.insert(b"r\0c\0c9".to_vec(), b"stamp 1".to_vec());
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
    two.append(b"a\0", b"first".to_vec());
    two.append(b"a\0", b"second".to_vec());
    assert_eq!(engine.apply(two, true).unwrap(), Some(2));
    let mut plain = Batch::default();
    plain.insert(b"k\0x".to_vec(), b"log".to_vec());
    assert_eq!(engine.apply(plain, true).unwrap(), None);
    // A refused batch takes no number.
    let mut refused = Batch::default();
    refused.expect(b"nothing".to_vec(), Some(b"something".to_vec()));
    refused.append(b"a\0", b"never".to_vec());
    assert!(engine.apply(refused, true).is_err());
    let mut third = Batch::default();
    third.append(b"a\0", b"third".to_vec());
    assert_eq!(engine.apply(third, true).unwrap(), Some(3));
    let log: Vec<(u64, Vec<u8>)> = engine
        .scan(b"a\0")
        .map(|item| {
            let (k, v) = item.unwrap();
            (log_number(b"a\0", &k).unwrap(), v)
        })
        .collect();
    assert_eq!(
        log,
        [
            (1, b"first".to_vec()),
            (2, b"second".to_vec()),
            (3, b"third".to_vec())
        ]
    );
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
    batch.append(b"a\0", b"one".to_vec());
    batch.append(b"a\0", b"two".to_vec());
    engine.apply(batch, true).unwrap();
    drop(engine);
    // As the store opens it: waiting, briefly, for the dropped handle's flush to let go.
    let again = Sled::open(dir.path(), 1024 * 1024).unwrap();
    let mut next = Batch::default();
    next.append(b"a\0", b"three".to_vec());
    assert_eq!(again.apply(next, true).unwrap(), Some(3));
}

#[test]
fn sled_lets_one_of_two_racing_saves_through() {
    let (_dir, engine) = fresh();
    put(&engine, &[("r\0v\0v1", "1")]);
    let won = std::thread::scope(|s| {
        let saves: Vec<_> = (0..8)
            .map(|n| {
                let engine = &engine;
                s.spawn(move || {
                    let mut b = Batch::default();
                    b.expect(b"r\0v\0v1".to_vec(), Some(b"1".to_vec()));
                    b.insert(b"r\0v\0v1".to_vec(), format!("2 by {n}").into_bytes());
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
}
