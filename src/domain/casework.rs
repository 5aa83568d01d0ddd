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
//! Opting in opens the work it asks for: a first personal contact, a call or visit to explain
//! the scheme (spec row 6), and, where the case has sex offender notification requirements,
//! their explanation (spec row 13), each a task with its clock; a call or visit to the victim
//! ends the first. Only a contact logged through vlu does this: an imported file's log is
//! history, and its diary is the base format's.
//!
//! The new status dates from the entry's day. An entry dated before the status it would
//! change (a letter logged late, after the victim has moved on) changes nothing: the log
//! keeps history, the status says where things stand now. Nothing is ever undone by
//! deleting: a status moves back only by a further change, which the log records too.

use chrono::NaiveDate;

use super::enums::{ContactKind, Direction, KeyDateKind, TaskKind, VictimStatus};
use super::model::{Case, Contact, Task, Victim};

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

/// The victim as it stands once `contact` is logged in `case`: its status moved, if the
/// entry moves it; on opting in, a `first_contact` task opened (and, where the case has sex
/// offender notification requirements, a `sonr_explain` task); a call or visit to the victim
/// ends an open `first_contact`, and a contact about a release or licence conditions (whose
/// letters explain the requirements) an open `sonr_explain`. `None` when the record is
/// unchanged.
pub fn after_logging(victim: &Victim, contact: &Contact, case: &Case) -> Option<Victim> {
    let moved = status_after(victim, contact);
    let mut after = Victim {
        contacts: Vec::new(),
        ..victim.clone()
    };
    if let Some((status, since)) = moved {
        after.status = status;
        after.status_since = since;
        if status == VictimStatus::OptedIn {
            open_task(&mut after, TaskKind::FirstContact, contact.on);
            if case.sex_offender_notification == Some(true) {
                open_task(&mut after, TaskKind::SonrExplain, contact.on);
            }
        }
    }
    let outbound = contact.direction == Direction::Outbound;
    // The letters about a release and about licence conditions explain the notification
    // requirements where the case has them.
    let explains = contact.kind == ContactKind::LicenceConditions
        || contact.key_date.is_some_and(KeyDateKind::is_release);
    for t in &mut after.tasks {
        let ends = match t.kind {
            Some(TaskKind::FirstContact) => contact.method.needs_written_follow_up(),
            Some(TaskKind::SonrExplain) => explains,
            _ => false,
        };
        if outbound && ends && t.done_on.is_none() && t.opened_on.is_some_and(|d| d <= contact.on) {
            t.done_on = Some(contact.on);
        }
    }
    let unchanged = moved.is_none() && after.tasks == victim.tasks;
    (!unchanged).then_some(after)
}

/// A task of `kind` opened on `on`, unless one is open already.
fn open_task(v: &mut Victim, kind: TaskKind, on: NaiveDate) {
    if v.tasks
        .iter()
        .any(|t| t.kind == Some(kind) && t.done_on.is_none())
    {
        return;
    }
    v.tasks.push(Task {
        kind: Some(kind),
        opened_on: Some(on),
        ..Task::default()
    });
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

    fn case(sonr: Option<bool>) -> Case {
        serde_json::from_value(serde_json::json!({
            "id": "C-1", "offender": { "name": "A" }, "offence": { "category": "sexual" },
            "sentence": { "kind": "sds", "imposed_on": "2025-06-02", "custodial_months": 48 },
            "sex_offender_notification": sonr,
        }))
        .unwrap()
    }

    /// Opting in opens a first personal contact (and, with notification requirements, their
    /// explanation); a letter leaves it open, a call ends it on its day; a second opt-in
    /// while one is open opens no other.
    #[test]
    fn opting_in_opens_the_first_call_and_a_call_ends_it() {
        let v = victim(VictimStatus::OfferSent, "2026-01-05");
        let opted = after_logging(
            &v,
            &entry(ContactKind::OptIn, Direction::Inbound, "2026-02-10"),
            &case(Some(true)),
        )
        .unwrap();
        let open: Vec<(Option<TaskKind>, Option<NaiveDate>, Option<NaiveDate>)> = opted
            .tasks
            .iter()
            .map(|t| (t.kind, t.opened_on, t.done_on))
            .collect();
        assert_eq!(
            open,
            [
                (Some(TaskKind::FirstContact), Some(day("2026-02-10")), None),
                (Some(TaskKind::SonrExplain), Some(day("2026-02-10")), None),
            ]
        );
        let letter = entry(ContactKind::Update, Direction::Outbound, "2026-02-11");
        assert_eq!(after_logging(&opted, &letter, &case(Some(true))), None);
        let call = Contact {
            method: Medium::Phone,
            ..entry(ContactKind::Update, Direction::Outbound, "2026-02-12")
        };
        let called = after_logging(&opted, &call, &case(Some(true))).unwrap();
        assert_eq!(called.tasks[0].done_on, Some(day("2026-02-12")));
        assert_eq!(called.tasks[1].done_on, None);
        assert_eq!(called.status, VictimStatus::OptedIn);
        // The letter about licence conditions explains the notification requirements.
        let conditions = entry(
            ContactKind::LicenceConditions,
            Direction::Outbound,
            "2026-02-13",
        );
        let told = after_logging(&called, &conditions, &case(Some(true))).unwrap();
        assert_eq!(told.tasks[1].done_on, Some(day("2026-02-13")));
        // Without notification requirements, the first call only.
        let plain = after_logging(
            &v,
            &entry(ContactKind::OptIn, Direction::Inbound, "2026-02-10"),
            &case(None),
        )
        .unwrap();
        assert_eq!(plain.tasks.len(), 1);
    }

    #[test]
    fn the_record_after_logging_carries_the_move_and_nothing_else() {
        let v = victim(VictimStatus::Referred, "2026-01-05");
        let moved = after_logging(
            &v,
            &entry(ContactKind::InitialOffer, Direction::Outbound, "2026-02-10"),
            &case(None),
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
