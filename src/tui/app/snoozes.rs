//! The reminders put off, found without building a reminder's identity for every victim:
//! most victims have no snooze, and the caseload asks after each of them on every change.

use std::collections::{HashMap, HashSet};

use crate::domain::reminders::Reminder;
use crate::store::Snooze;

#[derive(Debug, Default)]
pub struct Snoozes {
    by_identity: HashMap<String, Snooze>,
    /// The victims with any snooze, however old.
    victims: HashSet<String>,
}

impl Snoozes {
    pub fn insert(&mut self, snooze: Snooze) {
        if let Some(victim) = Reminder::victim_in_identity(&snooze.reminder) {
            self.victims.insert(victim.to_owned());
        }
        self.by_identity.insert(snooze.reminder.clone(), snooze);
    }

    /// The snooze of a reminder, whatever its date.
    pub fn of(&self, r: &Reminder) -> Option<&Snooze> {
        if !self.victims.contains(r.victim_id.as_str()) {
            return None;
        }
        self.by_identity.get(&r.identity())
    }
}

impl FromIterator<Snooze> for Snoozes {
    fn from_iter<I: IntoIterator<Item = Snooze>>(snoozes: I) -> Self {
        let mut all = Self::default();
        for s in snoozes {
            all.insert(s);
        }
        all
    }
}
