//! vlu's own clock for outcomes (spec rows 11, 25): when the unit receives the outcome of a
//! key date — a parole hearing's decision, a tribunal's, an appeal's, a review's — the victim
//! who asked to hear of that key date is told it.
//!
//! | kind | applies to | due | resolved by |
//! | --- | --- | --- | --- |
//! | `outcome_tell` | each contact of kind `outcome` not sent to the victim (inbound or internal), naming its key date's kind, whose kind the victim's level covers | `workdays(on, 1)` (`outcome_working_days`) | an outbound contact about that key date's kind on the same day or later |
//!
//! Like every rule, none applies to a victim who declined, opted out or is closed, nor in a
//! closed or transferred case. A base-format log has no `outcome` contact: a hearing that
//! passed starts nothing by itself, for the unit may not yet know how it went.

use super::Scan;
use crate::domain::enums::ReminderKind;

impl Scan<'_> {
    pub(super) fn outcomes(&mut self) {
        let lead = self.rules.lead;
        for &(kind, on) in &self.facts.untold_outcomes {
            if self.victim.told_of(kind) {
                let due = self.workdays(on, lead.outcome_working_days);
                self.add(ReminderKind::OutcomeTell, due, Some(kind), on);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! Due dates worked by hand: Friday 4 December 2026 + 1 working day is Monday 7 December;
    //! Thursday 24 December + 1 is Tuesday 29 December (Christmas Day on the Friday, Boxing
    //! Day moved to Monday 28).
    use super::super::tests::{case, contact, d, of, run, victim};
    use crate::domain::enums::ContactKind::{Outcome, Update};
    use crate::domain::enums::Direction::{Inbound, Internal, Outbound};
    use crate::domain::enums::{InformationLevel, KeyDateKind, Medium, ReminderKind, VictimStatus};
    use crate::domain::model::Contact;

    fn about(mut c: Contact, kind: KeyDateKind) -> Contact {
        c.key_date = Some(kind);
        c
    }

    #[test]
    fn an_outcome_received_is_told_the_next_working_day() {
        let c = case(
            "2015-03-02",
            &[
                (KeyDateKind::ParoleHearing, "2026-12-01"),
                (KeyDateKind::TribunalHearing, "2026-12-10"),
            ],
        );
        let mut v = victim(VictimStatus::OptedIn, "2015-05-01");
        // Told of the hearing before it: that does not tell its outcome.
        v.contacts.push(about(
            contact("2026-11-02", Update, Medium::Letter, Outbound),
            KeyDateKind::ParoleHearing,
        ));
        v.contacts.push(about(
            contact("2026-12-04", Outcome, Medium::Email, Internal),
            KeyDateKind::ParoleHearing,
        ));
        let rs = run(&v, &c, "2026-12-04");
        assert_eq!(of(&rs, ReminderKind::OutcomeTell), [d("2026-12-07")]);
        let item = rs
            .iter()
            .find(|r| r.kind == ReminderKind::OutcomeTell)
            .unwrap();
        assert_eq!(
            (item.key_date, item.action()),
            (
                Some(KeyDateKind::ParoleHearing),
                "Tell the victim the outcome of the parole hearing, received on 4 Dec 2026"
                    .to_owned()
            )
        );
        // A call about the hearing that day tells it.
        v.contacts.push(about(
            contact("2026-12-04", Update, Medium::Phone, Outbound),
            KeyDateKind::ParoleHearing,
        ));
        assert!(of(&run(&v, &c, "2026-12-04"), ReminderKind::OutcomeTell).is_empty());
        // Another outcome, over Christmas, told by nothing yet; one the victim's level does
        // not cover starts nothing.
        v.contacts.push(about(
            contact("2026-12-24", Outcome, Medium::Letter, Inbound),
            KeyDateKind::TribunalHearing,
        ));
        assert_eq!(
            of(&run(&v, &c, "2026-12-24"), ReminderKind::OutcomeTell),
            [d("2026-12-29")]
        );
        v.preferences = Some(crate::domain::model::Preferences {
            information: Some(InformationLevel::ReleaseMonth),
            ..v.preferences.clone().unwrap_or_default()
        });
        assert!(of(&run(&v, &c, "2026-12-24"), ReminderKind::OutcomeTell).is_empty());
    }
}
