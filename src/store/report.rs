//! The monitoring return worked out where the records are: a fold over the facts the store
//! keeps of each victim (`return_facts.rs`), read one at a time. Where none are kept by the
//! rules asked, every victim is read once with its log, a batch at a time, its facts worked
//! out, tallied and kept from then on; a large unit is never held whole either way. Making
//! the return discloses what it counts, and is recorded as such.

use serde::{Deserialize, Serialize};

use super::return_facts::Basis;
use super::{Disclosure, Store, StoreError};
use crate::domain::calendar::DayChanges;
use crate::domain::report::{Report, ReportQuery, Tally, tally_from_facts};
use crate::domain::rules::LeadTimes;

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
