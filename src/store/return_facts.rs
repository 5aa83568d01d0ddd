//! The monitoring return's facts of each victim ([`ReportFacts`]), kept beside the records:
//! made again in the same batch as every write to a victim's record, its log or its case, so
//! that a return reads these small values and never a log.
//!
//! The facts depend on the rules they were worked out by — the lead times and the calendar
//! (bank holidays, the unit's days off and days worked). The whole set is kept by one such
//! *basis*, recorded beside it (`m\0return_facts`); a write keeps the facts by that recorded
//! basis, whoever makes it. A return asked by the same basis folds the kept facts; one asked
//! by another (a different configuration), or before any are kept, works them out from the
//! records and keeps them by its basis from then on.
//!
//! An import forgets the basis as it begins and, once it is in, works out again the facts of
//! the victims it wrote and of its cases' victims ([`Store::keep_facts_of`]): batch by batch
//! as it goes, a victim's facts could be made before its case came in a later batch.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::engine::{Batch, Op};
use super::staged::Stage;
use super::{CASE, CONTACT, META, Store, StoreError, VICTIM, decode, encode, key, owner};
use crate::domain::calendar::{Calendar, DayChanges};
use crate::domain::model::{Case, Caseload, Contact, Victim};
use crate::domain::reminders::Rules;
use crate::domain::report::{ReportFacts, facts_with};
use crate::domain::rules::LeadTimes;

/// Victims read, and facts written, a batch at a time: enough to share over the cores, few
/// enough that working out a large unit's facts afresh stays a few tens of megabytes above
/// the service's rest (4,096 at a time took it some 30 MB further).
const BATCH: usize = 1_024;

/// Each victim's kept facts: `t\0{victim}`, postcard.
pub(super) const TALLY: &[u8] = b"t\0";
/// The basis the kept facts are by (absent: none are kept).
const BASIS: &str = "return_facts";

/// The reminder rules' edition: raised whenever a rule is added or changed, so that facts
/// kept by an older vlu are worked out again rather than read (1: the licence requests'
/// clocks; 2: vlu's own key events, a victim who moved away kept in the rules, a complaint
/// acknowledged on its record ending the log's clock; 3: a licence request due before the
/// parole hearing ahead, a recorded risk reported; 4: an outcome received told; 5: tasks,
/// referrals and a VPS's non-disclosure chased, the facts holding the first two).
const RULES: u32 = 5;

/// What the facts are worked out by: the rules' edition, the lead times, and the calendar's
/// changes (the unit's days off, its own and its configuration's, and the days it works
/// anyway).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Basis {
    #[serde(default)]
    pub rules: u32,
    pub lead: LeadTimes,
    pub calendar: DayChanges,
}

impl Basis {
    /// The basis of a unit whose head is `head`, by `lead` and the configured `days`: the
    /// unit's own days off, and the configuration's.
    pub fn of(head: &Caseload, lead: LeadTimes, days: &DayChanges) -> Self {
        Self {
            rules: RULES,
            lead,
            calendar: DayChanges {
                non_working: head
                    .extra_non_working_days
                    .iter()
                    .chain(&days.non_working)
                    .copied()
                    .collect(),
                working: days.working.clone(),
            },
        }
    }

    /// `f` of the reminder rules the basis names.
    pub fn with_rules<R>(&self, f: impl FnOnce(Rules<'_>) -> R) -> R {
        let calendar = Calendar::with_changes(
            self.calendar.non_working.iter().copied(),
            self.calendar.working.iter().copied(),
        );
        f(Rules {
            calendar: &calendar,
            lead: &self.lead,
        })
    }
}

/// What a batch does to a key's value.
enum Staged<'b> {
    Put(&'b [u8]),
    Removed,
    Untouched,
}

fn staged<'b>(batch: &'b Batch, k: &[u8]) -> Staged<'b> {
    let last = batch.ops.iter().rev().find_map(|op| match op {
        Op::Put(key, value) if key == k => Some(Staged::Put(value)),
        Op::Remove(key) if key == k => Some(Staged::Removed),
        _ => None,
    });
    last.unwrap_or(Staged::Untouched)
}

pub(super) fn encode_facts(facts: &ReportFacts) -> Vec<u8> {
    postcard::to_allocvec(facts).expect("facts always serialise")
}

impl Store {
    /// The basis the kept facts are by, if any are kept.
    pub(super) fn return_basis(&self) -> Result<Option<Basis>, StoreError> {
        self.meta(BASIS)
    }

    /// A record as it will stand once `batch` is written.
    fn after<T: serde::de::DeserializeOwned>(
        &self,
        batch: &Batch,
        prefix: &[u8],
        id: &str,
    ) -> Result<Option<T>, StoreError> {
        let k = key(prefix, id);
        match staged(batch, &k) {
            Staged::Put(bytes) => Ok(Some(decode(&k, bytes)?)),
            Staged::Removed => Ok(None),
            Staged::Untouched => self.get(prefix, id),
        }
    }

    /// Stages in `batch` the facts of every victim whose record, log or case it writes, by
    /// the basis the kept facts are by (none kept: nothing to keep up).
    pub(super) fn keep_facts_up(&self, batch: &mut Batch) -> Result<(), StoreError> {
        let mut victims = std::collections::BTreeSet::new();
        let mut cases = std::collections::BTreeSet::new();
        for op in &batch.ops {
            let (Op::Put(k, _) | Op::Remove(k)) = op;
            if let Some(id) = owner(VICTIM, k).or_else(|| owner(CONTACT, k)) {
                victims.insert(id.to_owned());
            } else if let Some(id) = owner(CASE, k) {
                cases.insert(id.to_owned());
            }
        }
        if victims.is_empty() && cases.is_empty() {
            return Ok(());
        }
        let Some(basis) = self.return_basis()? else {
            return Ok(());
        };
        for case in &cases {
            victims.extend(self.victims_of_case(case)?);
        }
        basis.with_rules(|rules| {
            for id in victims {
                let op = self.facts_op(batch, &id, rules)?;
                batch.ops.push(op);
            }
            Ok(())
        })
    }

    /// The write that keeps a victim's facts as they stand once `batch` is written: put,
    /// or removed when there is no such victim, or no case of theirs.
    fn facts_op(&self, batch: &Batch, id: &str, rules: Rules<'_>) -> Result<Op, StoreError> {
        let k = key(TALLY, id);
        let Some(mut victim) = self.after::<Victim>(batch, VICTIM, id)? else {
            return Ok(Op::Remove(k));
        };
        let Some(case) = self.after::<Case>(batch, CASE, &victim.case_id)? else {
            return Ok(Op::Remove(k));
        };
        victim.contacts = self
            .after::<Vec<Contact>>(batch, CONTACT, id)?
            .unwrap_or_default();
        Ok(Op::Put(
            k,
            encode_facts(&ReportFacts::of(&victim, &case, rules)),
        ))
    }

    /// Every victim's kept facts, read one at a time.
    pub(super) fn kept_facts(&self) -> impl Iterator<Item = Result<ReportFacts, StoreError>> + '_ {
        self.core.engine.scan(TALLY).map(|item| {
            let (k, v) = item?;
            postcard::from_bytes(&v).map_err(|e| {
                StoreError::Corrupt(format!(
                    "the return's facts {} cannot be read ({e})",
                    String::from_utf8_lossy(&k).replace('\0', "/")
                ))
            })
        })
    }

    /// Keeps every victim's facts afresh by the unit's rules as `lead` and `days` make them
    /// (after a load, so that the first return reads them).
    pub fn keep_return_facts(&self, lead: LeadTimes, days: &DayChanges) -> Result<(), StoreError> {
        let basis = Basis::of(&self.load_head()?, lead, days);
        self.keep_facts_afresh(&basis, |_| {})
    }

    /// Works out every victim's facts from the records by `basis`, a batch of victims at a
    /// time shared over the cores, hands each batch to `each`, and keeps them all by `basis`
    /// from now on, in the unit's turn.
    pub(super) fn keep_facts_afresh(
        &self,
        basis: &Basis,
        each: impl FnMut(&[ReportFacts]),
    ) -> Result<(), StoreError> {
        self.in_turn(|| self.keep_facts_afresh_in_turn(basis, each))
    }

    /// [`Store::keep_facts_afresh`], for a caller already in the unit's turn (a turn is
    /// not taken twice: on a database it is a lock a second connection would wait for).
    pub(super) fn keep_facts_afresh_in_turn(
        &self,
        basis: &Basis,
        mut each: impl FnMut(&[ReportFacts]),
    ) -> Result<(), StoreError> {
        let mut keeping = self.keep_afresh()?;
        let mut batch: Vec<Victim> = Vec::with_capacity(BATCH);
        let mut victims = self.victims_with_logs();
        loop {
            let next = victims.next().transpose()?;
            let done = next.is_none();
            batch.extend(next);
            if batch.len() == BATCH || (done && !batch.is_empty()) {
                // Only the batch's cases are held: a large unit's cases whole are tens of
                // megabytes more for the service to keep after the return.
                let mut cases: HashMap<String, Case> = HashMap::new();
                for v in &batch {
                    if !cases.contains_key(&v.case_id)
                        && let Some(case) = self.case(&v.case_id)?
                    {
                        cases.insert(case.id.clone(), case);
                    }
                }
                let facts =
                    basis.with_rules(|rules| facts_with(&batch, &|id| cases.get(id), rules));
                each(&facts);
                keeping.keep(&facts)?;
                batch.clear();
            }
            if done {
                break;
            }
        }
        keeping.finish(basis)
    }

    /// Begins keeping every victim's facts afresh: the basis is forgotten at once, so that a
    /// rebuild cut off part way leaves none kept, and is recorded again by
    /// [`Keeping::finish`] once every victim's facts are written.
    pub(super) fn keep_afresh(&self) -> Result<Keeping<'_>, StoreError> {
        self.forget_kept_facts()?;
        Ok(Keeping {
            store: self,
            kept: std::collections::HashSet::new(),
        })
    }

    /// Forgets the basis in `stage`: the facts are not kept up by its writes, nor by any
    /// after them until they are kept afresh.
    fn forget_return_facts(stage: &mut impl Stage) -> Result<(), StoreError> {
        stage.delete(key(META, BASIS))
    }

    /// Forgets the basis now: no write keeps the facts up until they are kept again.
    pub(super) fn forget_kept_facts(&self) -> Result<(), StoreError> {
        let mut batch = Batch::default();
        Self::forget_return_facts(&mut batch)?;
        self.write(batch, super::write::SAVE_ROOM, true)
    }

    /// Works out again, by `basis`, the facts of `victims` and of every victim of `cases`
    /// (those an import wrote, the rest being as they were), and keeps them all by `basis`
    /// from now on.
    pub(super) fn keep_facts_of(
        &self,
        victims: &[String],
        cases: &[String],
        basis: &Basis,
    ) -> Result<(), StoreError> {
        let mut ids: std::collections::BTreeSet<String> = victims.iter().cloned().collect();
        for case in cases {
            ids.extend(self.victims_of_case(case)?);
        }
        let none = Batch::default();
        let mut batch = Batch::default();
        basis.with_rules(|rules| {
            for (n, id) in ids.iter().enumerate() {
                batch.ops.push(self.facts_op(&none, id, rules)?);
                if n % BATCH == BATCH - 1 {
                    self.write(std::mem::take(&mut batch), super::write::SAVE_ROOM, false)?;
                }
            }
            Ok::<_, StoreError>(())
        })?;
        batch.insert(key(META, BASIS), encode(basis));
        self.write(batch, super::write::SAVE_ROOM, true)
    }
}

/// Every victim's facts being kept afresh ([`Store::keep_afresh`]).
pub(super) struct Keeping<'s> {
    store: &'s Store,
    kept: std::collections::HashSet<String>,
}

impl Keeping<'_> {
    /// Writes some victims' facts.
    pub(super) fn keep(&mut self, facts: &[ReportFacts]) -> Result<(), StoreError> {
        let mut batch = Batch::default();
        for f in facts {
            batch.insert(key(TALLY, &f.victim), encode_facts(f));
            self.kept.insert(f.victim.clone());
        }
        self.store.write(batch, super::write::SAVE_ROOM, false)
    }

    /// Removes the facts of any victim not kept afresh (one gone while none were kept up),
    /// and records the basis they are all by.
    pub(super) fn finish(self, basis: &Basis) -> Result<(), StoreError> {
        let mut batch = Batch::default();
        for item in self.store.core.engine.scan(TALLY) {
            let (k, _) = item?;
            let id = String::from_utf8_lossy(&k[TALLY.len()..]);
            if !self.kept.contains(id.as_ref()) {
                batch.remove(k);
            }
        }
        batch.insert(key(META, BASIS), encode(basis));
        self.store.write(batch, super::write::SAVE_ROOM, true)
    }
}
