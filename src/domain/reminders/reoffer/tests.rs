//! `release_reoffer`, worked out by hand at each boundary.
//!
//! The running case: sentenced 12 March 2021, CRD Friday 21 May 2027. The re-offer is due
//! 182 days before it, on Friday 20 November 2026, and a contact counts for it from 365 days
//! before it, 21 May 2026.

use super::super::tests::{case, contact, d, letter, of, run, victim};
use super::*;
use crate::domain::calendar::Calendar;
use crate::domain::enums::{ContactKind, DiaryStatus, Direction, Medium};
use crate::domain::model::Contact;
use crate::domain::reminders::{Reminder, Rules, diary_status, victim_reminders};

const REOFFER: ReminderKind = ReminderKind::ReleaseReoffer;

fn released_in_may_2027() -> Case {
    case(
        "2021-03-12",
        &[
            (KeyDateKind::Crd, "2027-05-21"),
            (KeyDateKind::Sed, "2031-03-11"),
        ],
    )
}

/// Offered in June 2021, again in September 2021, and never a word back.
fn silent_since_2021() -> Victim {
    let mut v = victim(VictimStatus::OfferSent, "2021-06-07");
    v.contacts = vec![
        letter("2021-06-07", ContactKind::InitialOffer),
        letter("2021-09-13", ContactKind::SecondOffer),
    ];
    v
}

fn agency(on: &str) -> Contact {
    contact(on, ContactKind::Agency, Medium::Phone, Direction::Internal)
}

fn reoffers(v: &Victim, c: &Case, today: &str) -> Vec<Reminder> {
    run(v, c, today)
        .into_iter()
        .filter(|r| r.kind == REOFFER)
        .collect()
}

#[test]
fn a_victim_who_never_answered_is_offered_contact_again_182_days_before_the_crd() {
    let c = released_in_may_2027();
    let v = silent_since_2021();
    let all = run(&v, &c, "2026-11-24");
    assert_eq!(all.len(), 1, "the re-offer and nothing else: {all:?}");
    let r = &all[0];
    assert_eq!(
        (r.kind, r.due, r.key_date, r.about, r.tracing),
        (
            REOFFER,
            d("2026-11-20"),
            Some(KeyDateKind::Crd),
            Some(d("2027-05-21")),
            None
        )
    );
    assert_eq!(
        r.action(),
        "Offer contact again before the conditional release date on 21 May 2027: the victim \
         never answered"
    );
    assert_eq!(r.label(), "release re-offer");
    assert_eq!(r.identity(), "release_reoffer/V-1/crd/2027-05-21");
}

#[test]
fn the_release_exactly_182_days_ahead_makes_it_due_that_day() {
    let c = released_in_may_2027();
    let v = silent_since_2021();
    let due = of(&run(&v, &c, "2026-11-20"), REOFFER);
    assert_eq!(due, [d("2026-11-20")]);
    let lead = LeadTimes::default();
    assert_eq!(
        diary_status(due[0], d("2026-11-20"), &lead),
        DiaryStatus::DueToday
    );
    assert_eq!(
        diary_status(due[0], d("2026-11-19"), &lead),
        DiaryStatus::DueSoon
    );
}

#[test]
fn a_second_offer_exactly_three_months_ago_is_still_waiting_for_an_answer() {
    // CRD 10 January 2028: the window opens 10 January 2027, after the second offer, so
    // only the wait decides. 31 August + 3 months is 30 November (clamped).
    let c = case("2021-03-12", &[(KeyDateKind::Crd, "2028-01-10")]);
    let mut v = victim(VictimStatus::OfferSent, "2026-05-11");
    v.contacts = vec![
        letter("2026-05-11", ContactKind::InitialOffer),
        letter("2026-08-31", ContactKind::SecondOffer),
    ];
    assert!(
        reoffers(&v, &c, "2026-11-30").is_empty(),
        "exactly 3 months"
    );
    assert_eq!(of(&run(&v, &c, "2026-12-01"), REOFFER), [d("2027-07-12")]);
}

#[test]
fn with_no_second_offer_the_wait_is_six_months_with_the_offer_sent() {
    let c = case("2021-03-12", &[(KeyDateKind::Crd, "2027-05-21")]);
    let mut v = victim(VictimStatus::OfferSent, "2026-05-25");
    v.contacts = vec![letter("2026-05-25", ContactKind::InitialOffer)];
    // The first offer went out inside the window (from 21 May 2026): it resolves the
    // re-offer, as any outbound contact there does.
    assert!(reoffers(&v, &c, "2026-11-26").is_empty());
    // Offered before the window opened: six months exactly is not yet more than six.
    let mut v = victim(VictimStatus::OfferSent, "2026-05-20");
    v.contacts = vec![letter("2026-05-20", ContactKind::InitialOffer)];
    assert!(
        reoffers(&v, &c, "2026-11-20").is_empty(),
        "exactly 6 months"
    );
    let on_the_21st = run(&v, &c, "2026-11-21");
    assert_eq!(of(&on_the_21st, REOFFER), [d("2026-11-20")]);
    assert_eq!(
        of(&on_the_21st, ReminderKind::SecondOffer),
        [d("2026-08-20")],
        "the overdue second offer stays as it was"
    );
}

#[test]
fn an_answer_since_the_last_offer_means_the_victim_did_answer() {
    let c = released_in_may_2027();
    let mut v = silent_since_2021();
    // A call before the second offer is no answer to it.
    v.contacts.push(contact(
        "2021-08-02",
        ContactKind::Note,
        Medium::Phone,
        Direction::Inbound,
    ));
    assert_eq!(reoffers(&v, &c, "2026-11-24").len(), 1);
    // On its day or after, it is.
    v.contacts.push(contact(
        "2021-09-13",
        ContactKind::Note,
        Medium::Letter,
        Direction::Inbound,
    ));
    assert!(reoffers(&v, &c, "2026-11-24").is_empty());
}

#[test]
fn a_victim_who_declined_or_opted_out_never_gets_it() {
    let c = released_in_may_2027();
    for status in [
        VictimStatus::Declined,
        VictimStatus::OptedOut,
        VictimStatus::Closed,
    ] {
        let mut v = silent_since_2021();
        v.status = status;
        assert!(run(&v, &c, "2026-11-24").is_empty(), "{status}");
    }
    // Nor a discretionary victim, an opted-in one, or one of a closed case.
    let mut v = silent_since_2021();
    v.eligibility = Eligibility::Discretionary;
    assert!(reoffers(&v, &c, "2026-11-24").is_empty());
    let mut v = silent_since_2021();
    v.status = VictimStatus::OptedIn;
    assert!(reoffers(&v, &c, "2026-11-24").is_empty());
    let mut closed = c.clone();
    closed.closed_on = Some(d("2026-01-01"));
    assert!(run(&silent_since_2021(), &closed, "2026-11-24").is_empty());
}

#[test]
fn a_release_date_already_passed_starts_nothing() {
    let c = released_in_may_2027();
    let v = silent_since_2021();
    assert_eq!(reoffers(&v, &c, "2027-05-21").len(), 1, "on the day itself");
    assert!(reoffers(&v, &c, "2027-05-22").is_empty(), "the day after");
    // An earlier date passed, a later one ahead: the later one.
    let c = case(
        "2021-03-12",
        &[
            (KeyDateKind::Hdced, "2026-10-01"),
            (KeyDateKind::Crd, "2027-05-21"),
        ],
    );
    let r = reoffers(&v, &c, "2026-11-24");
    assert_eq!(r[0].key_date, Some(KeyDateKind::Crd));
}

#[test]
fn the_earliest_trigger_ahead_counts_and_other_kinds_do_not() {
    let v = silent_since_2021();
    let c = case(
        "2021-03-12",
        &[
            (KeyDateKind::Apd, "2026-12-01"),
            (KeyDateKind::Release, "2026-12-02"),
            (KeyDateKind::OpenConditions, "2026-12-03"),
            (KeyDateKind::ParoleHearing, "2027-03-01"),
            (KeyDateKind::Ped, "2027-03-01"),
            (KeyDateKind::Crd, "2027-05-21"),
        ],
    );
    let r = reoffers(&v, &c, "2026-11-24");
    assert_eq!(r.len(), 1);
    assert_eq!(
        (r[0].key_date, r[0].about),
        (Some(KeyDateKind::Ped), Some(d("2027-03-01"))),
        "on a tie the PED, before the hearing in the list"
    );
    let none = case("2021-03-12", &[(KeyDateKind::Apd, "2026-12-01")]);
    assert!(reoffers(&v, &none, "2026-11-24").is_empty());
}

#[test]
fn an_outbound_contact_inside_the_window_resolves_it() {
    let c = released_in_may_2027();
    let mut v = silent_since_2021();
    v.contacts.push(letter("2026-05-20", ContactKind::Update));
    assert_eq!(reoffers(&v, &c, "2026-11-24").len(), 1, "a day early");
    v.contacts.push(letter("2026-05-21", ContactKind::Update));
    assert!(
        reoffers(&v, &c, "2026-11-24").is_empty(),
        "on the first day"
    );
    // Outbound by any means; an internal note or an inbound word is no contact made.
    let mut v = silent_since_2021();
    v.contacts.push(contact(
        "2026-11-23",
        ContactKind::Note,
        Medium::None,
        Direction::Internal,
    ));
    assert_eq!(reoffers(&v, &c, "2026-11-24").len(), 1);
    v.contacts.push(contact(
        "2026-11-23",
        ContactKind::Update,
        Medium::Visit,
        Direction::Outbound,
    ));
    assert!(reoffers(&v, &c, "2026-11-24").is_empty());
}

#[test]
fn an_agency_contact_in_the_window_makes_it_tracing_until_the_victim_is_reached() {
    let c = released_in_may_2027();
    let mut v = silent_since_2021();
    // Before the window: not about this release.
    v.contacts.push(agency("2026-05-20"));
    assert_eq!(reoffers(&v, &c, "2026-11-24")[0].tracing, None);
    // The re-offer letter came back; the VLO asked the police to trace her.
    v.contacts.push(letter("2026-09-01", ContactKind::Update));
    assert!(
        reoffers(&v, &c, "2026-11-24").is_empty(),
        "resolved, for now"
    );
    v.contacts.push(agency("2026-09-15"));
    let r = reoffers(&v, &c, "2026-11-24");
    assert_eq!(r.len(), 1, "open again: the letter never reached her");
    assert_eq!(r[0].tracing, Some(d("2026-09-15")));
    assert_eq!(r[0].due, d("2026-11-20"));
    assert_eq!(r[0].label(), "re-offer (tracing)");
    assert_eq!(
        r[0].action(),
        "Tracing: an agency was asked on 15 Sep 2026; offer contact again once the victim is \
         found, before the conditional release date on 21 May 2027"
    );
    assert_eq!(
        r[0].identity(),
        "release_reoffer/V-1/crd/2027-05-21",
        "the same reminder: a snooze of it still holds"
    );
    // A letter to the address the police found, on a later day: resolved.
    v.contacts.push(letter("2026-11-02", ContactKind::Update));
    assert!(reoffers(&v, &c, "2026-11-24").is_empty());
}

#[test]
fn a_letter_on_the_day_of_an_agency_contact_ends_the_tracing() {
    // The police gave an address; the VLO wrote to it the same day.
    let c = released_in_may_2027();
    let mut v = silent_since_2021();
    v.contacts.push(agency("2026-10-05"));
    assert_eq!(
        reoffers(&v, &c, "2026-11-24")[0].tracing,
        Some(d("2026-10-05")),
        "with no letter at all (no address), the trace request alone makes it tracing"
    );
    v.contacts.push(letter("2026-10-05", ContactKind::Update));
    assert!(reoffers(&v, &c, "2026-11-24").is_empty());
    // And an answer from the victim ends it: she answered.
    let mut v = silent_since_2021();
    v.contacts.push(agency("2026-06-01"));
    v.contacts.push(contact(
        "2026-11-10",
        ContactKind::Note,
        Medium::Phone,
        Direction::Inbound,
    ));
    assert!(reoffers(&v, &c, "2026-11-24").is_empty());
}

#[test]
fn the_lead_times_are_the_units_to_change() {
    let c = released_in_may_2027();
    let v = silent_since_2021();
    let lead = LeadTimes {
        release_reoffer_notice_days: 90,
        ..LeadTimes::default()
    };
    let calendar = Calendar::new([]);
    let rules = Rules {
        calendar: &calendar,
        lead: &lead,
    };
    let due = of(&victim_reminders(&v, &c, d("2026-11-24"), rules), REOFFER);
    assert_eq!(due, [d("2027-02-20")]);
}

#[test]
fn the_caseload_filter_lists_releases_within_twelve_months() {
    let lead = LeadTimes::default();
    let v = silent_since_2021();
    let facts = LogFacts::of(&v.contacts);
    let within = |crd: &str, today: &str| {
        let c = case("2021-03-12", &[(KeyDateKind::Crd, crd)]);
        unanswered_release_within_a_year(&v, &facts, &c, d(today), &lead)
    };
    assert!(within("2027-11-24", "2026-11-24"), "exactly 12 months");
    assert!(!within("2027-11-25", "2026-11-24"));
    assert!(within("2026-11-24", "2026-11-24"), "today");
    assert!(!within("2026-11-23", "2026-11-24"), "passed");
    // Resolved or not, a victim who never answered stays on the list to plan for.
    let mut written = v.clone();
    written
        .contacts
        .push(letter("2026-11-02", ContactKind::Update));
    let c = released_in_may_2027();
    assert!(unanswered_release_within_a_year(
        &written,
        &LogFacts::of(&written.contacts),
        &c,
        d("2026-11-24"),
        &lead
    ));
    let mut declined = v.clone();
    declined.status = VictimStatus::Declined;
    assert!(!unanswered_release_within_a_year(
        &declined,
        &facts,
        &c,
        d("2026-11-24"),
        &lead
    ));
}
