//! The whole country's monitoring return, for a national role (`vlu db add-national-role`):
//! the sum of every unit's own return, each unit's victims counted by the facts that unit
//! keeps ([`ReportFacts`], `vlu.return_facts`), read in one pass and never a contact log.
//!
//! Each unit's facts are by its own rules (its lead times and days off), as its own return
//! counts them. A unit that keeps none yet (no return made since it was loaded by an older
//! vlu, or its facts forgotten by a large import) is named and left out, not guessed at: a
//! national role only reads, so it cannot keep them for the unit.

use postgres::fallible_iterator::FallibleIterator;

use super::StoreError;
use super::database::{connect, refused as failed};
use crate::domain::report::{Report, ReportFacts, ReportQuery, Tally};

/// The return, the units it counts and the units it leaves out.
#[derive(Debug, Clone)]
pub struct NationalReturn {
    pub report: Report,
    pub counted: Vec<String>,
    pub left_out: Vec<String>,
}

/// The return over every unit of the database at `url`, read as a national role. Officers
/// are named with their unit (`unit/officer`): two units may use the same ids.
pub fn national_return(url: &str, query: &ReportQuery) -> Result<NationalReturn, StoreError> {
    if query.officer.is_some() {
        return Err(StoreError::Refused(
            "a national return is of every unit's victims, not of one officer's".into(),
        ));
    }
    let mut db = connect(url)?;
    let national: bool = db
        .query_one(
            "SELECT pg_has_role(current_user, 'vlu_national', 'MEMBER') \
             AND NOT pg_has_role(current_user, 'vlu_unit', 'MEMBER')",
            &[],
        )
        .map_err(|e| failed(&e))?
        .get(0);
    if !national {
        return Err(StoreError::Refused(
            "the whole country's return is made as a national role (vlu db add-national-role), \
             which reads every unit and changes none"
                .into(),
        ));
    }
    // One snapshot: the units, which of them keep facts, and the facts, as of one moment.
    let mut tx = db
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(|e| failed(&e))?;
    let units: Vec<(String, bool)> = tx
        .query(
            "SELECT u.id, EXISTS (SELECT FROM vlu.meta m \
               WHERE m.unit_id = u.id AND m.key = 'return_facts') \
             FROM vlu.units u ORDER BY u.id",
            &[],
        )
        .map_err(|e| failed(&e))?
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    let (counted, left_out): (Vec<_>, Vec<_>) = units.into_iter().partition(|(_, kept)| *kept);
    let counted: Vec<String> = counted.into_iter().map(|(u, _)| u).collect();
    let mut tally = Tally::new(query);
    let mut rows = tx
        .query_raw(
            "SELECT f.unit_id, f.facts FROM vlu.return_facts f \
             WHERE f.unit_id = ANY($1) ORDER BY f.unit_id, f.victim_id",
            [&counted],
        )
        .map_err(|e| failed(&e))?;
    while let Some(row) = rows.next().map_err(|e| failed(&e))? {
        let unit: &str = row.get(0);
        let mut facts: ReportFacts = postcard::from_bytes(row.get::<_, &[u8]>(1))
            .map_err(|e| StoreError::Corrupt(format!("a unit's return facts ({e})")))?;
        facts.officer = facts.officer.map(|o| format!("{unit}/{o}"));
        tally.add_facts(&facts);
    }
    drop(rows);
    tx.commit().map_err(|e| failed(&e))?;
    let name = format!(
        "Every unit ({} of {})",
        counted.len(),
        counted.len() + left_out.len()
    );
    Ok(NationalReturn {
        report: tally.finish(Some(&name)),
        counted,
        left_out: left_out.into_iter().map(|(u, _)| u).collect(),
    })
}
