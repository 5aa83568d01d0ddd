//! PostgreSQL for tests: a database of this test process, migrated once, and a unit of its
//! own (a fresh database role) for each test, so tests run side by side and row-level
//! security keeps them apart.
//!
//! `VLU_TEST_POSTGRES` names the server as an administrator (a libpq keyword string such as
//! `host=/tmp/pg user=postgres`, as `.ci/run` sets it). Without it the PostgreSQL tests say
//! once, on the terminal, that they were skipped and why — unless `CI` is set: then they fail,
//! for CI never skips them.

use std::io::Write;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// The administrator's address of this process's test database, made and migrated on first
/// use (`None`: no server named, outside CI).
fn database() -> Option<&'static str> {
    static DATABASE: OnceLock<Option<String>> = OnceLock::new();
    DATABASE
        .get_or_init(|| {
            let Ok(admin) = std::env::var("VLU_TEST_POSTGRES") else {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "CI runs the PostgreSQL tests: set VLU_TEST_POSTGRES (see .ci/run)"
                );
                let _ = writeln!(
                    std::io::stderr(),
                    "note: the PostgreSQL tests were skipped: VLU_TEST_POSTGRES names no server (see .ci/run)"
                );
                return None;
            };
            let url = empty_database(&admin);
            super::database::migrate(&url).expect("the test database is migrated");
            Some(url)
        })
        .as_deref()
}

/// A new database on the server `admin` names, with nothing in it; its administrator's
/// address.
fn empty_database(admin: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "vlu_test_{}_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_micros()),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let mut client = postgres::Client::connect(admin, postgres::NoTls)
        .expect("VLU_TEST_POSTGRES names a server that answers");
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("the test database is made");
    format!("{admin} dbname={name}")
}

/// A database with no vlu schema yet, for a test of the migrations (`None`: no server
/// named, outside CI).
pub fn unmigrated_database() -> Option<String> {
    database()?;
    std::env::var("VLU_TEST_POSTGRES")
        .ok()
        .map(|admin| empty_database(&admin))
}

/// A unit of its own in this process's test database.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Its id.
    pub id: String,
    /// Its service's address: the database as its role.
    pub url: String,
    /// The database as its administrator.
    pub admin: String,
}

/// A fresh unit, or `None` where no PostgreSQL server is named (outside CI).
pub fn unit() -> Option<Unit> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let admin = database()?;
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let role = format!("vlu_t{}_{n}", std::process::id());
    let id = format!("unit-{}-{n}", std::process::id());
    super::database::add_unit(admin, &id, &format!("Test unit {n}"), &role)
        .expect("a test unit is added");
    Some(Unit {
        id,
        url: format!("{admin} user={role}"),
        admin: admin.to_owned(),
    })
}
