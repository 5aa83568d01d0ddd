//! The monitoring return worked out where the records are: a fold over the facts the store
//! keeps of each victim (`return_facts.rs`), read one at a time. Where none are kept by the
//! rules asked, every victim is read once with its log, a batch at a time, its facts worked
//! out, tallied and kept from then on; a large unit is never held whole either way. Making
//! the return discloses what it counts, and is recorded as such.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::return_facts::Basis;
use super::{Disclosure, Store, StoreError};
use crate::domain::calendar::DayChanges;
use crate::domain::model::{Case, Victim};
use crate::domain::reminders::Rules;
use crate::domain::report::{
    Report, ReportFacts, ReportQuery, Tally, facts_with, tally_from_facts,
};
use crate::domain::rules::LeadTimes;

/// Victims read before they are tallied, shared over the cores.
const BATCH: usize = 4_096;

/// A report asked of the store, with the asker's lead times and days off and worked (their
/// configuration, which may not be the store's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportAsk {
    pub query: ReportQuery,
    pub lead: LeadTimes,
    pub calendar: DayChanges,
}

impl Store {
    /// The monitoring return for `ask`; an officer the store does not know is refused.
    pub fn report(&self, ask: &ReportAsk) -> Result<Report, StoreError> {
        let head = self.load_head()?;
        if let Some(o) = &ask.query.officer
            && !head.officers.iter().any(|x| &x.id == o)
        {
            return Err(StoreError::Refused(format!(
                "there is no officer \"{o}\" in the store"
            )));
        }
        let basis = Basis::of(&head, ask.lead, &ask.calendar);
        let mut tally = Tally::new(&ask.query);
        if self.return_basis()?.as_ref() == Some(&basis) {
            for facts in self.kept_facts() {
                tally.add_facts(&facts?);
            }
        } else {
            // Making the return writes (its disclosure): whoever may make one may keep its
            // facts, by the rules it was asked by, from now on.
            self.keep_facts_afresh(&basis, |facts| {
                tally.merge(tally_from_facts(facts, &ask.query));
            })?;
        }
        self.record_report_disclosure(&ask.query, tally.counted())?;
        let unit = head.unit.as_ref().and_then(|u| u.name.as_deref());
        Ok(tally.finish(unit).with_officer_names(&head.officers))
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
    fn keep_facts_afresh(
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
        let calendar = basis.calendar();
        let rules = Rules {
            calendar: &calendar,
            lead: &basis.lead,
        };
        let mut keeping = self.keep_afresh()?;
        let cases: HashMap<String, Case> = self
            .cases()
            .map(|c| c.map(|c| (c.id.clone(), c)))
            .collect::<Result<_, _>>()?;
        let mut batch: Vec<Victim> = Vec::with_capacity(BATCH);
        let mut victims = self.victims_with_logs();
        loop {
            let next = victims.next().transpose()?;
            let done = next.is_none();
            batch.extend(next);
            if batch.len() == BATCH || (done && !batch.is_empty()) {
                let facts = facts_with(&batch, &|id| cases.get(id), rules);
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

    /// The one place the return is recorded as a disclosure (before it is handed to anyone):
    /// the period and officer, and the victims it counted.
    fn record_report_disclosure(
        &self,
        query: &ReportQuery,
        victims: &[String],
    ) -> Result<(), StoreError> {
        let what = format!(
            "monitoring return {} to {}{}",
            query.from,
            query.to,
            query
                .officer
                .as_ref()
                .map_or_else(String::new, |o| format!(", officer {o}"))
        );
        self.record_disclosure(&Disclosure::of(&what, victims.to_vec()))
    }
}
