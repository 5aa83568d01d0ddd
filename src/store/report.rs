//! The monitoring return worked out where the records are: every victim is read once, with
//! its log, a batch at a time into the report's tally, so a large unit is never held whole.
//! Making the return discloses what it counts, and is recorded as such.

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
        let basis = Basis {
            lead: ask.lead,
            calendar: DayChanges {
                non_working: head
                    .extra_non_working_days
                    .iter()
                    .chain(&ask.calendar.non_working)
                    .copied()
                    .collect(),
                working: ask.calendar.working.clone(),
            },
        };
        let mut tally = Tally::new(&ask.query);
        if self.return_basis()?.as_ref() == Some(&basis) {
            for facts in self.kept_facts() {
                tally.add_facts(&facts?);
            }
        } else {
            // Making the return writes (its disclosure): whoever may make one may keep its
            // facts, by the rules it was asked by, from now on.
            self.in_turn(|| {
                let mut keeping = self.keep_afresh()?;
                self.facts_from_records(&basis, |facts| {
                    tally.merge(tally_from_facts(&facts, &ask.query));
                    keeping.keep(&facts)
                })?;
                keeping.finish(&basis)
            })?;
        }
        self.record_report_disclosure(&ask.query, tally.counted())?;
        let unit = head.unit.as_ref().and_then(|u| u.name.as_deref());
        Ok(tally.finish(unit).with_officer_names(&head.officers))
    }

    /// Every victim's facts worked out from the records by `basis`, a batch of victims at a
    /// time shared over the cores, each batch's handed to `each`.
    fn facts_from_records(
        &self,
        basis: &Basis,
        mut each: impl FnMut(Vec<ReportFacts>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let calendar = basis.calendar();
        let rules = Rules {
            calendar: &calendar,
            lead: &basis.lead,
        };
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
                each(facts_with(&batch, &|id| cases.get(id), rules))?;
                batch.clear();
            }
            if done {
                return Ok(());
            }
        }
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
