//! Snoozes: a reminder put off until a date with a reason, or its snooze ended early; each
//! stored and audited.

use super::engine::Batch;
use super::{Changed, SNOOZE, Snooze, Store, StoreError, checked, decode, encode, key};
use crate::domain::reminders::Reminder;

impl Store {
    /// Puts a reminder off until a date, with a reason (stored and audited).
    pub fn snooze(&self, snooze: &Snooze) -> Result<Changed, StoreError> {
        checked::text("the snooze's reason", &snooze.reason)?;
        checked::text("the snooze's reminder", &snooze.reminder)?;
        checked::text("the snooze's officer", &snooze.by)?;
        let mut batch = Batch::default();
        batch.insert(key(SNOOZE, &snooze.reminder), encode(snooze));
        let fields = vec![format!("until {}", snooze.until)];
        let record = self.record("snooze", Some(&snooze.reminder), fields);
        let seq = self.commit(batch, &record)?;
        Ok(Changed {
            seq,
            victims: Reminder::victim_in_identity(&snooze.reminder)
                .map(str::to_owned)
                .into_iter()
                .collect(),
            snoozes: true,
            ..Changed::default()
        })
    }

    /// Ends a reminder's snooze before its date (audited): it is due again as the rules say.
    pub fn unsnooze(&self, reminder: &str) -> Result<Changed, StoreError> {
        let k = key(SNOOZE, reminder);
        let Some(was) = self.core.engine.get(&k)? else {
            return Err(StoreError::Refused(
                "that reminder is not snoozed, so nothing was changed".into(),
            ));
        };
        let snooze: Snooze = decode(&k, &was)?;
        let mut batch = Batch::default();
        batch.expect(k.clone(), Some(was));
        batch.remove(k);
        let fields = vec![format!("was until {}", snooze.until)];
        let seq = self.commit(batch, &self.record("unsnooze", Some(reminder), fields))?;
        Ok(Changed {
            seq,
            victims: Reminder::victim_in_identity(reminder)
                .map(str::to_owned)
                .into_iter()
                .collect(),
            snoozes: true,
            ..Changed::default()
        })
    }

    pub fn snoozes(&self) -> Result<Vec<Snooze>, StoreError> {
        self.values(SNOOZE)
    }
}
