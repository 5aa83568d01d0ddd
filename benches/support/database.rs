//! A PostgreSQL database for one bench run: shared by the benches that need one
//! (`#[path]`-included).

/// A new database named `name` on the server `server` (an administrator's libpq string),
/// migrated; its administrator's address.
pub fn fresh(server: &str, name: &str) -> String {
    let mut admin = postgres::Client::connect(server, postgres::NoTls).expect("the server");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("a database for the run");
    let url = format!("{server} dbname={name}");
    vlu::store::database::migrate(&url).expect("migrated");
    url
}
