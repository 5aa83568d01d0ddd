//! Casework that changes several records at once: closing a case closes its victims, each
//! with an entry in their log saying so, in one atomic write with one audit entry.

use chrono::NaiveDate;

use super::digest::Edit;
use super::{Batch, Changed, Record, Store, StoreError};
use crate::domain::casework::after_logging;
use crate::domain::enums::{ContactKind, Direction, Medium};
use crate::domain::model::{Case, Contact, Victim};

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
            return Err(StoreError::not_found(super::Noun::Case, &closing.case));
        };
        if let Some(on) = case.closed_on {
            return Err(StoreError::Refused(format!(
                "case {} was closed on {on} already, so nothing was saved",
                case.id
            )));
        }
        let reason = closing.reason.trim();
        super::checked::text("the reason for closing", reason)?;
        if reason.is_empty() {
            return Err(StoreError::Invalid(vec![
                "a case is closed with a reason".into(),
            ]));
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
            corrects: None,
            follows: None,
            to: None,
        };
        let mut batch = Batch::default();
        batch.insert(super::key(super::CASE, &closed.id), super::encode(&closed));
        self.stage_stamp(&mut batch, Record::Case, &closed.id, Some(closing.base))?;
        let ids = self.victims_of(&closed.id)?;
        let mut moved = Vec::new();
        let mut logs = Vec::new();
        for id in &ids {
            let Some(victim) = self.victim(id)? else {
                continue;
            };
            if let Some(after) = after_logging(&victim, &entry, &closed) {
                self.stage_victim(&mut batch, &after, None)?;
                moved.push(after);
            }
            logs.push((id, self.stage_append(&mut batch, id, &entry)?.0));
        }
        let mut edits = vec![Edit::Case(&closed)];
        edits.extend(moved.iter().map(Edit::Victim));
        edits.extend(logs.into_iter().map(|(id, facts)| Edit::Facts {
            case: &closed.id,
            victim: id,
            facts: Box::new(facts),
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

/// Whose victims move to whom.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Moving {
    Victim(String),
    /// Every victim of a case.
    Case(String),
    /// Everything allocated to an officer (one who leaves, or is away long).
    Officer(String),
}

/// A reallocation: the victims moving, and the officers they go to. With more than one
/// officer, whole cases are shared out, each to whoever has been given fewest so far.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reallocation {
    pub moving: Moving,
    pub to: Vec<String>,
}

impl Store {
    /// Reallocates victims in one write with one audit entry naming each move (ids only).
    pub fn reallocate(&self, r: &Reallocation) -> Result<Changed, StoreError> {
        if r.to.is_empty() {
            return Err(StoreError::Refused(
                "name the officer (or officers) to reallocate to".into(),
            ));
        }
        for officer in &r.to {
            if !self.officer_exists(officer)? {
                return Err(StoreError::not_found(super::Noun::Officer, officer));
            }
        }
        let mut victims: Vec<Victim> = match &r.moving {
            Moving::Victim(id) => vec![
                self.victim_record(id)?
                    .ok_or_else(|| StoreError::not_found(super::Noun::Victim, id))?,
            ],
            Moving::Case(case) => {
                if self.case(case)?.is_none() {
                    return Err(StoreError::not_found(super::Noun::Case, case));
                }
                self.victims_of(case)?
                    .iter()
                    .filter_map(|id| self.victim_record(id).transpose())
                    .collect::<Result<_, _>>()?
            }
            Moving::Officer(officer) => {
                let digest = self.load_digest()?;
                digest
                    .caseload
                    .victims
                    .iter()
                    .filter(|v| v.allocated_to.as_deref() == Some(officer))
                    .filter_map(|v| self.victim_record(&v.id).transpose())
                    .collect::<Result<_, _>>()?
            }
        };
        if victims.is_empty() {
            return Err(StoreError::Refused(
                "there is no victim to reallocate".into(),
            ));
        }
        victims.sort_by(|a, b| (&a.case_id, &a.id).cmp(&(&b.case_id, &b.id)));
        let to = share_out(&victims, &r.to);
        let mut batch = Batch::default();
        let mut moved = Vec::new();
        for (victim, officer) in victims.iter().zip(to) {
            if victim.allocated_to.as_deref() == Some(officer) {
                continue;
            }
            let after = Victim {
                allocated_to: Some(officer.to_owned()),
                ..victim.clone()
            };
            self.stage_victim(&mut batch, &after, None)?;
            moved.push(after);
        }
        if moved.is_empty() {
            return Err(StoreError::Refused(
                "they are allocated to that officer already; nothing was changed".into(),
            ));
        }
        self.stage_digest(&mut batch, moved.iter().map(Edit::Victim).collect())?;
        let fields = moved
            .iter()
            .map(|v| format!("{} to {}", v.id, v.allocated_to.as_deref().unwrap_or("")))
            .collect();
        let subject = match &r.moving {
            Moving::Victim(id) | Moving::Case(id) | Moving::Officer(id) => id.clone(),
        };
        let seq = self.commit(batch, &self.record("reallocate", Some(&subject), fields))?;
        Ok(Changed {
            seq,
            victims: moved.into_iter().map(|v| v.id).collect(),
            ..Changed::default()
        })
    }
}

/// Each victim's new officer: a case's victims stay together, and each case goes to the
/// officer given fewest victims so far (the first named, on a tie).
fn share_out<'a>(victims: &[Victim], to: &'a [String]) -> Vec<&'a str> {
    let mut given = vec![0usize; to.len()];
    let mut out = Vec::with_capacity(victims.len());
    let mut at = 0;
    while at < victims.len() {
        let case = &victims[at].case_id;
        let size = victims[at..]
            .iter()
            .take_while(|v| &v.case_id == case)
            .count();
        let (pick, _) = given
            .iter()
            .enumerate()
            .min_by_key(|&(i, n)| (*n, i))
            .unwrap_or((0, &0));
        given[pick] += size;
        out.extend(std::iter::repeat_n(to[pick].as_str(), size));
        at += size;
    }
    out
}
