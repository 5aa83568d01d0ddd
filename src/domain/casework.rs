//! How a victim's status follows the work logged: the moves a log entry makes by itself, so
//! that nobody has to remember to change the status after sending an offer or a closing
//! letter (the inspection found second offers missed because the status stayed `referred`).
//!
//! | entry logged | status before | status after |
//! | --- | --- | --- |
//! | outbound `initial_offer` or `second_offer` | `referred` | `offer_sent` |
//! | `opt_in` | anything but `opted_in` | `opted_in` |
//! | `decline` | `opted_in` | `opted_out` (they had said yes: now they leave the scheme) |
//! | `decline` | `referred`, `offer_sent`, `closed` | `declined` |
//! | `closure` | anything but `closed` | `closed` |
//!
//! The new status dates from the entry's day. An entry dated before the status it would
//! change (a letter logged late, after the victim has moved on) changes nothing: the log
//! keeps history, the status says where things stand now. Nothing is ever undone by
//! deleting: a status moves back only by a further change, which the log records too.

use chrono::NaiveDate;

use super::enums::{ContactKind, Direction, VictimStatus};
use super::model::{Contact, Victim};

/// The status `victim` moves to when `contact` is logged, and since when; `None` when the
/// entry leaves the status as it is.
pub fn status_after(victim: &Victim, contact: &Contact) -> Option<(VictimStatus, NaiveDate)> {
    use VictimStatus as S;
    if contact.on < victim.status_since {
        return None;
    }
    let now = victim.status;
    let next = match contact.kind {
        ContactKind::InitialOffer | ContactKind::SecondOffer
            if now == S::Referred && contact.direction == Direction::Outbound =>
        {
            S::OfferSent
        }
        ContactKind::OptIn if now != S::OptedIn => S::OptedIn,
        ContactKind::Decline if now == S::OptedIn => S::OptedOut,
        ContactKind::Decline if matches!(now, S::Referred | S::OfferSent | S::Closed) => {
            S::Declined
        }
        ContactKind::Closure if now != S::Closed => S::Closed,
        _ => return None,
    };
    Some((next, contact.on))
}

/// The victim as it stands once `contact` is logged (its status moved, if the entry moves
/// it); `None` when the record is unchanged.
pub fn after_logging(victim: &Victim, contact: &Contact) -> Option<Victim> {
    let (status, since) = status_after(victim, contact)?;
    Some(Victim {
        status,
        status_since: since,
        contacts: Vec::new(),
        ..victim.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::Medium;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn victim(status: VictimStatus, since: &str) -> Victim {
        serde_json::from_value(serde_json::json!({
            "id": "V-1", "case_id": "C-1", "name": "Joan Mercer", "role": "victim",
            "eligibility": "statutory", "referred_on": "2026-01-05",
            "status": status, "status_since": since,
        }))
        .unwrap()
    }

    fn entry(kind: ContactKind, direction: Direction, on: &str) -> Contact {
        Contact {
            on: day(on),
            at: None,
            kind,
            method: Medium::Letter,
            direction,
            summary: None,
            by: None,
            key_date: None,
            corrects: None,
            follows: None,
            to: None,
        }
    }

    #[test]
    fn an_offer_sent_to_a_referred_victim_makes_them_offer_sent_from_that_day() {
        use ContactKind as K;
        let v = victim(VictimStatus::Referred, "2026-01-05");
        for kind in [K::InitialOffer, K::SecondOffer] {
            assert_eq!(
                status_after(&v, &entry(kind, Direction::Outbound, "2026-02-10")),
                Some((VictimStatus::OfferSent, day("2026-02-10")))
            );
        }
        // An inbound "offer" is not one the unit sent.
        assert_eq!(
            status_after(
                &v,
                &entry(K::InitialOffer, Direction::Inbound, "2026-02-10")
            ),
            None
        );
        // Already past the offer: a second offer keeps offer_sent; an opted-in victim stays.
        for status in [VictimStatus::OfferSent, VictimStatus::OptedIn] {
            let v = victim(status, "2026-01-05");
            assert_eq!(
                status_after(
                    &v,
                    &entry(K::SecondOffer, Direction::Outbound, "2026-05-10")
                ),
                None
            );
        }
    }

    #[test]
    fn answers_and_closure_move_the_status() {
        use ContactKind as K;
        use VictimStatus as S;
        let cases = [
            (S::OfferSent, K::OptIn, Some(S::OptedIn)),
            (S::Referred, K::OptIn, Some(S::OptedIn)),
            (S::Declined, K::OptIn, Some(S::OptedIn)),
            (S::OptedIn, K::OptIn, None),
            (S::OfferSent, K::Decline, Some(S::Declined)),
            (S::OptedIn, K::Decline, Some(S::OptedOut)),
            (S::Declined, K::Decline, None),
            (S::OptedOut, K::Decline, None),
            (S::OptedIn, K::Closure, Some(S::Closed)),
            (S::Referred, K::Closure, Some(S::Closed)),
            (S::Closed, K::Closure, None),
            (S::OptedIn, K::Update, None),
            (S::OptedIn, K::AnnualLetter, None),
            (S::OfferSent, K::Note, None),
        ];
        for (before, kind, after) in cases {
            let v = victim(before, "2026-01-05");
            let got = status_after(&v, &entry(kind, Direction::Inbound, "2026-03-01"));
            assert_eq!(got.map(|(s, _)| s), after, "{before:?} + {kind:?}");
        }
    }

    #[test]
    fn an_entry_dated_before_the_status_changes_nothing() {
        let v = victim(VictimStatus::Referred, "2026-03-01");
        let late = entry(ContactKind::InitialOffer, Direction::Outbound, "2026-02-28");
        assert_eq!(status_after(&v, &late), None);
        let same_day = entry(ContactKind::InitialOffer, Direction::Outbound, "2026-03-01");
        assert!(status_after(&v, &same_day).is_some());
    }

    #[test]
    fn the_record_after_logging_carries_the_move_and_nothing_else() {
        let v = victim(VictimStatus::Referred, "2026-01-05");
        let moved = after_logging(
            &v,
            &entry(ContactKind::InitialOffer, Direction::Outbound, "2026-02-10"),
        )
        .unwrap();
        assert_eq!(
            (moved.status, moved.status_since),
            (VictimStatus::OfferSent, day("2026-02-10"))
        );
        assert_eq!(
            Victim {
                status: v.status,
                status_since: v.status_since,
                ..moved
            },
            v
        );
    }
}
