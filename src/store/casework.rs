//! Casework that changes several records at once: closing a case closes its victims, each
//! with an entry in their log saying so, in one atomic write with one audit entry.

use chrono::NaiveDate;

use super::digest::Edit;
use super::{Batch, Changed, Record, Store, StoreError};
use crate::domain::casework::after_logging;
use crate::domain::enums::{ContactKind, Direction, Medium};
use crate::domain::model::{Case, Contact};

/// A case to close: when, why, by which officer, from which version of the case.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Closing {
    pub case: String,
    pub on: NaiveDate,
    pub reason: String,
    /// The officer closing it, as the log's entries name them.
    pub by: Option<String>,
    pub base: u64,
}

impl Store {
    /// Closes a case on a date, and each of its victims not closed already: their log says
    /// why. Refused if the case changed since `base`, or is closed already.
    pub fn close_case(&self, closing: &Closing) -> Result<Changed, StoreError> {
        self.check_base(Record::Case, &closing.case, closing.base)?;
        let Some(case) = self.case(&closing.case)? else {
            return Err(StoreError::Refused(format!(
                "there is no case {}",
                closing.case
            )));
        };
        if let Some(on) = case.closed_on {
            return Err(StoreError::Refused(format!(
                "case {} was closed on {on} already, so nothing was saved",
                case.id
            )));
        }
        let reason = closing.reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Refused(
                "a case is closed with a reason, so nothing was saved".into(),
            ));
        }
        let closed = Case {
            closed_on: Some(closing.on),
            ..case
        };
        let entry = Contact {
            on: closing.on,
            at: None,
            kind: ContactKind::Closure,
            method: Medium::None,
            direction: Direction::Internal,
            summary: Some(format!("Case {} closed: {reason}", closed.id)),
            by: closing.by.clone(),
            key_date: None,
        };
        let mut batch = Batch::default();
        batch.insert(super::key(super::CASE, &closed.id), super::encode(&closed));
        self.stage_stamp(&mut batch, Record::Case, &closed.id)?;
        let ids = self.victims_of(&closed.id)?;
        let mut moved = Vec::new();
        let mut logs = Vec::new();
        for id in &ids {
            let Some(victim) = self.victim(id)? else {
                continue;
            };
            if let Some(after) = after_logging(&victim, &entry) {
                self.stage_victim(&mut batch, &after)?;
                moved.push(after);
            }
            logs.push((id, self.stage_append(&mut batch, id, &entry)?.0));
        }
        let mut edits = vec![Edit::Case(&closed)];
        edits.extend(moved.iter().map(Edit::Victim));
        edits.extend(logs.into_iter().map(|(id, facts)| Edit::Facts {
            case: &closed.id,
            victim: id,
            facts,
        }));
        self.stage_digest(&mut batch, edits)?;
        let mut fields = vec![format!("closed_on {}", closing.on)];
        if !moved.is_empty() {
            fields.push(format!(
                "victims closed: {}",
                moved
                    .iter()
                    .map(|v| v.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let record = self.record("close-case", Some(&closed.id), fields);
        let seq = self.commit(batch, &record)?;
        Ok(Changed {
            seq,
            cases: vec![closed.id.clone()],
            victims: ids,
            ..Changed::default()
        })
    }
}
