//! A case moved to another unit of the same PostgreSQL database, in one transaction: the
//! receiving unit holds it live (its victims unallocated, for its manager to allocate), and
//! the sending unit keeps it marked transferred, without reminders — as a case sent by
//! `vlu export --case --transfer-to` and imported there would be, with nothing in between
//! to lose, re-key or send twice. Both audit trails say so.

use chrono::NaiveDate;

use super::command::Command;
use super::one_case::one_case;
use crate::domain::model::{Caseload, Transfer};
use crate::store::transfer::Between;
use crate::store::{Disclosure, Noun, Record, StoreError};

/// What a move did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub victims: usize,
    pub contacts: usize,
    /// The sending unit's audit entry (the case marked transferred).
    pub from_seq: u64,
    /// The receiving unit's audit entry (`move-in`).
    pub to_seq: u64,
}

/// Moves case `case` from unit `from` to unit `to` of the database at `url` (as its
/// administrator), on `on`, by `user`.
pub fn move_case(
    url: &str,
    case: &str,
    from: &str,
    to: &str,
    user: &str,
    on: NaiveDate,
) -> Result<Moved, StoreError> {
    let between = Between::begin(url, from, to, user)?;
    let moved = between.in_turns(|here, there| {
        let Some(stored) = here.case(case)? else {
            return Err(StoreError::not_found(Noun::Case, case));
        };
        if let Some(t) = &stored.transferred {
            return Err(StoreError::Refused(format!(
                "case {case} was transferred already{}: it is not live in unit {from}",
                t.to_area
                    .as_deref()
                    .map(|a| format!(" (to {a})"))
                    .unwrap_or_default()
            )));
        }
        let version = here.stamp(Record::Case, case)?.version;
        let file = one_case(here, case)?.ok_or_else(|| StoreError::not_found(Noun::Case, case))?;
        let ids: Vec<String> = file.victims.iter().map(|v| v.id.clone()).collect();
        let contacts = file.victims.iter().map(|v| v.contacts.len()).sum();
        // The receiving unit's own officers will hold them; the sending unit's are not its.
        let incoming = Caseload {
            cases: file.cases,
            victims: file
                .victims
                .into_iter()
                .map(|mut v| {
                    v.allocated_to = None;
                    v
                })
                .collect(),
            ..Caseload::default()
        };
        let name = there
            .load_digest()?
            .caseload
            .unit
            .and_then(|u| u.name)
            .unwrap_or_else(|| to.to_owned());
        // Marked here first: a refusal there (an id it holds already) then undoes the mark
        // with everything else.
        here.record_disclosure(&Disclosure {
            what: format!("case {case} moved to unit {to}"),
            victims: ids.clone(),
            everyone: false,
        })?;
        let mut marked = stored;
        marked.transferred = Some(Box::new(Transfer {
            on: Some(on),
            to_area: Some(name),
        }));
        let changed = Command::SaveCase {
            case: Box::new(marked),
            base: version,
            why: Some(format!("moved to unit {to}")),
        }
        .run(here)?;
        there.import(&incoming, false)?;
        let to_seq = there.record_moved_in(case, from, &ids)?;
        Ok(Moved {
            victims: ids.len(),
            contacts,
            from_seq: changed.seq,
            to_seq,
        })
    })?;
    between.commit()?;
    Ok(moved)
}
