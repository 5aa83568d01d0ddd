//! Victims every rule has let go. A victim who has not said no, whose record and case are
//! open, can still be owed nothing by any rule, however far ahead: a referred victim whose
//! offer was logged without the status moving on (a record brought in from another system),
//! an `offer_sent` victim whose second offer went unanswered with no release ahead, a victim
//! told only of release once every release date has passed. Left alone they are in no diary
//! again. `vlu check` names them, so that someone decides what happens next.
//!
//! They are not given a diary item of their own: the base format's diary is the interchange
//! contract, and an item for every resolved victim would move it (DECISIONS.md).

use chrono::NaiveDate;

use super::{Rules, reminders_from_facts, under_the_rules};
use crate::domain::facts::LogFacts;
use crate::domain::model::{Case, Victim};

/// Whether `victim` is still in the scheme on `today` yet owed nothing by any rule.
pub fn adrift(
    victim: &Victim,
    facts: &LogFacts,
    case: &Case,
    today: NaiveDate,
    rules: Rules<'_>,
) -> bool {
    under_the_rules(victim, case)
        && reminders_from_facts(victim, facts, case, today, rules).is_empty()
}

/// The last day the unit heard from or wrote to the victim, else the day their status began.
pub fn last_heard(victim: &Victim, facts: &LogFacts) -> NaiveDate {
    facts
        .last_outbound
        .max(facts.last_inbound)
        .map_or(victim.status_since, |d| d.max(victim.status_since))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{case, d, letter, victim, with_level};
    use super::*;
    use crate::domain::calendar::Calendar;
    use crate::domain::enums::{ContactKind, InformationLevel, KeyDateKind, VictimStatus};
    use crate::domain::model::Contact;
    use crate::domain::rules::LeadTimes;

    fn adrift_on(v: &Victim, c: &Case, today: &str) -> bool {
        let (calendar, lead) = (Calendar::new([]), LeadTimes::default());
        let rules = Rules {
            calendar: &calendar,
            lead: &lead,
        };
        adrift(v, &LogFacts::of(&v.contacts), c, d(today), rules)
    }

    #[test]
    fn a_referred_victim_whose_offer_was_logged_is_adrift_until_the_status_moves() {
        // Arthur Voss: referred, the offer logged on 19 January 2026, the status never moved.
        let c = case("2025-12-05", &[(KeyDateKind::Crd, "2027-12-04")]);
        let mut v = victim(VictimStatus::Referred, "2025-12-15");
        v.referred_on = d("2025-12-15");
        v.contacts = vec![letter("2026-01-19", ContactKind::InitialOffer)];
        assert!(adrift_on(&v, &c, "2026-11-24"));
        assert_eq!(last_heard(&v, &LogFacts::of(&v.contacts)), d("2026-01-19"));
        // The status moved on: the second offer is due.
        v.status = VictimStatus::OfferSent;
        v.status_since = d("2026-01-19");
        assert!(!adrift_on(&v, &c, "2026-11-24"));
    }

    #[test]
    fn an_unanswered_second_offer_is_adrift_and_one_who_said_no_never_is() {
        let c = case("2025-01-10", &[]);
        let mut v = victim(VictimStatus::OfferSent, "2025-03-01");
        v.contacts = vec![
            letter("2025-03-01", ContactKind::InitialOffer),
            letter("2025-05-31", ContactKind::SecondOffer),
        ];
        assert!(adrift_on(&v, &c, "2025-06-02"));
        v.status = VictimStatus::Declined;
        assert!(!adrift_on(&v, &c, "2025-06-02"));
        v.status = VictimStatus::Closed;
        assert!(!adrift_on(&v, &c, "2025-06-02"));
    }

    #[test]
    fn a_rule_that_still_holds_years_ahead_keeps_a_victim_in() {
        // Told of release only, and told of it; released, and nothing else is known.
        let dates = [
            (KeyDateKind::Crd, "2024-06-01"),
            (KeyDateKind::Release, "2024-06-01"),
        ];
        let passed = case("2020-01-10", &dates);
        let mut v = with_level(
            victim(VictimStatus::OptedIn, "2020-03-01"),
            InformationLevel::ReleaseMonth,
        );
        let told = |kind| Contact {
            key_date: Some(kind),
            ..letter("2024-05-01", ContactKind::Update)
        };
        v.contacts = vec![told(KeyDateKind::Crd), told(KeyDateKind::Release)];
        assert!(adrift_on(&v, &passed, "2025-01-01"));
        // A sentence expiry in 2030: the closure holds them.
        let ahead = case(
            "2020-01-10",
            &[dates[0], dates[1], (KeyDateKind::Sed, "2030-06-01")],
        );
        assert!(!adrift_on(&v, &ahead, "2025-01-01"));
    }
}
