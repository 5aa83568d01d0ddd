//! A PostgreSQL database of units, as its administrator keeps it: the schema brought up to
//! date (`vlu db migrate`) and a unit's database role added (`vlu db add-unit`). These run
//! as a role that owns the schema (or a superuser); a unit's service never does.

use postgres::{Client, NoTls};

use super::StoreError;
use super::engine::EngineFailure;
use super::engine::on_postgres::{MIGRATIONS, known_version, schema_version};

/// What a migration did: the schema version found, and the one left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migrated {
    pub from: u32,
    pub to: u32,
}

pub(super) fn connect(url: &str) -> Result<Client, StoreError> {
    let config: postgres::Config = url.parse().map_err(|_| {
        EngineFailure::new("the database's address is not a PostgreSQL URL (postgresql://…)")
    })?;
    config
        .connect(NoTls)
        .map_err(|_| EngineFailure::new("the database could not be reached").into())
}

pub(super) fn refused(e: &postgres::Error) -> StoreError {
    let why = e.as_db_error().map_or_else(
        || "the connection failed".to_owned(),
        |db| db.message().to_owned(),
    );
    EngineFailure::new(format!("the database refused: {why}")).into()
}

/// Applies every SQL migration the database lacks, each in one transaction; refuses a
/// database whose schema is newer than this build knows.
pub fn migrate(url: &str) -> Result<Migrated, StoreError> {
    migrate_to(url, known_version())
}

/// [`migrate`], up to schema `to` at most.
fn migrate_to(url: &str, to: u32) -> Result<Migrated, StoreError> {
    let mut client = connect(url)?;
    // One migrating vlu at a time (a lock for this session, released when it ends).
    client
        .execute("SELECT pg_advisory_lock(7675117)", &[])
        .map_err(|e| refused(&e))?;
    let from = schema_version(&mut client)?;
    let known = known_version();
    if from > known {
        return Err(EngineFailure::new(format!(
            "the database's vlu schema is version {from}, newer than this vlu knows ({known}): upgrade vlu"
        ))
        .into());
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > from && *v <= to) {
        let mut tx = client.transaction().map_err(|e| refused(&e))?;
        tx.batch_execute(sql).map_err(|e| refused(&e))?;
        tx.execute(
            "INSERT INTO vlu.schema_migrations (version) VALUES ($1)",
            &[&i32::try_from(*version).expect("migration numbers are small")],
        )
        .map_err(|e| refused(&e))?;
        tx.commit().map_err(|e| refused(&e))?;
    }
    Ok(Migrated {
        from,
        to: to.min(known).max(from),
    })
}

/// Whether `name` may be a unit's database role: lower-case letters, digits and `_`, as a
/// PostgreSQL identifier needs no quoting (and an OS account's name maps to it unchanged).
fn plain_role(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= 63
}

/// Adds unit `id` (named `name`) whose service connects as `role`: the role is made (able to
/// log in, with no password: peer authentication names it) unless it exists, and given the
/// unit role's rights. A role that is a superuser or bypasses row security is refused: it
/// would see every unit.
pub fn add_unit(url: &str, id: &str, name: &str, role: &str) -> Result<(), StoreError> {
    if !plain_role(role) {
        return Err(StoreError::Refused(format!(
            "{role:?} cannot be a unit's database role: use lower-case letters, digits and _"
        )));
    }
    let mut client = connect(url)?;
    let mut tx = client.transaction().map_err(|e| refused(&e))?;
    login_role(
        &mut tx,
        role,
        "rolsuper OR rolbypassrls OR pg_has_role(oid, 'vlu_national', 'MEMBER')",
        "is a superuser, bypasses row security or reads every unit (national): a unit's role must see only its own unit",
    )?;
    tx.batch_execute(&format!("GRANT vlu_unit TO {role}"))
        .map_err(|e| refused(&e))?;
    tx.execute(
        "INSERT INTO vlu.units (id, name, db_role) VALUES ($1, $2, $3)",
        &[&id, &name, &role],
    )
    .map_err(|e| refused(&e))?;
    tx.commit().map_err(|e| refused(&e))
}

/// Makes `role` (able to log in, no password, unless it exists) a national role: it reads
/// every unit's rows and writes none. A unit's role, a superuser or a role that bypasses row
/// security is refused: a unit's role must see its own unit only, and the others see
/// everything already.
pub fn add_national_role(url: &str, role: &str) -> Result<(), StoreError> {
    if !plain_role(role) {
        return Err(StoreError::Refused(format!(
            "{role:?} cannot be a national role: use lower-case letters, digits and _"
        )));
    }
    let mut client = connect(url)?;
    let mut tx = client.transaction().map_err(|e| refused(&e))?;
    let unit: Option<String> = tx
        .query_opt("SELECT id FROM vlu.units WHERE db_role = $1", &[&role])
        .map_err(|e| refused(&e))?
        .map(|row| row.get(0));
    if let Some(unit) = unit {
        return Err(StoreError::Refused(format!(
            "the database role {role} is unit {unit}'s: a national role is a role of its own"
        )));
    }
    login_role(
        &mut tx,
        role,
        "rolsuper OR rolbypassrls",
        "is a superuser or bypasses row security: it reads every unit already, and may write too",
    )?;
    tx.batch_execute(&format!("GRANT vlu_national TO {role}"))
        .map_err(|e| refused(&e))?;
    tx.commit().map_err(|e| refused(&e))
}

/// Makes `role` (able to log in, with no password: peer authentication names it) unless it
/// exists; one that `too_much` (a test on its `pg_roles` row) finds is refused: "the
/// database role ROLE `why`".
fn login_role(
    tx: &mut postgres::Transaction<'_>,
    role: &str,
    too_much: &str,
    why: &str,
) -> Result<(), StoreError> {
    let sql = format!("SELECT {too_much} FROM pg_roles WHERE rolname = $1");
    let existing = tx
        .query_opt(sql.as_str(), &[&role])
        .map_err(|e| refused(&e))?;
    match existing.map(|row| row.get::<_, bool>(0)) {
        Some(true) => Err(StoreError::Refused(format!(
            "the database role {role} {why}"
        ))),
        Some(false) => Ok(()),
        None => tx
            .batch_execute(&format!("CREATE ROLE {role} LOGIN"))
            .map_err(|e| refused(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::{add_unit, migrate_to, plain_role};

    /// A unit's contact logs kept as lists (schema 1) become a row each (schema 2), in order,
    /// read back through the view as the same lists.
    #[test]
    fn schema_2_keeps_every_contact_of_schema_1() {
        let Some(admin) = crate::store::pg_testing::unmigrated_database() else {
            return;
        };
        assert_eq!(migrate_to(&admin, 1).unwrap().to, 1);
        add_unit(&admin, "old", "A unit from before", "vlu_migrated_unit").unwrap();
        let mut unit =
            postgres::Client::connect(&format!("{admin} user=vlu_migrated_unit"), postgres::NoTls)
                .unwrap();
        let logs = [
            (
                "V-1",
                r#"[{"kind": "note", "direction": "internal", "summary": "first"}, {"kind": "opt_in", "direction": "inbound", "summary": "second"}]"#,
            ),
            (
                "V-2",
                r#"[{"kind": "note", "direction": "outbound", "summary": "only"}]"#,
            ),
        ];
        unit.batch_execute(
            r#"INSERT INTO vlu.officers (id, record) VALUES ('o', '{"role": "vlo"}');
               INSERT INTO vlu.cases (id, record) VALUES ('C', '{}');
               INSERT INTO vlu.victims (id, record)
                 VALUES ('V-1', '{"case_id": "C", "status": "opted_in"}'),
                        ('V-2', '{"case_id": "C", "status": "referred"}');"#,
        )
        .unwrap();
        for (victim, log) in logs {
            unit.execute(
                "INSERT INTO vlu.contact_logs (victim_id, contacts) VALUES ($1, $2::text::jsonb)",
                &[&victim, &log],
            )
            .unwrap();
        }
        assert_eq!(
            migrate_to(&admin, 2).unwrap(),
            super::Migrated { from: 1, to: 2 }
        );
        let rows: i64 = unit
            .query_one("SELECT count(*) FROM vlu.contacts", &[])
            .unwrap()
            .get(0);
        assert_eq!(rows, 3);
        for (victim, log) in logs {
            let same: bool = unit
                .query_one(
                    "SELECT contacts = $2::text::jsonb FROM vlu.contact_logs WHERE victim_id = $1",
                    &[&victim, &log],
                )
                .unwrap()
                .get(0);
            assert!(same, "{victim}'s log");
        }
    }

    #[test]
    fn a_units_role_is_a_plain_identifier() {
        assert!(plain_role("vlu_northshire"));
        assert!(plain_role("sahmed2"));
        assert!(!plain_role("Robert'); DROP TABLE vlu.victims;--"));
        assert!(!plain_role("2unit"));
        assert!(!plain_role(""));
        assert!(!plain_role(&"a".repeat(64)));
    }
}
