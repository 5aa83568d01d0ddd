//! vlu's own clocks for licence-condition requests (spec rows 16, 20): a request the victim
//! made must reach the decision maker (the prison governor or the Parole Board, through the
//! Community Offender Manager) in time to go into the licence, and one sent and not yet
//! decided is chased before the release it is for.
//!
//! | kind | applies to | due | resolved by |
//! | --- | --- | --- | --- |
//! | `licence_submit` | status `opted_in`; each request made on or before the diary's date, still `pending` (no `outcome_on`), with no `submitted_on` | the release it is for − 56 days (`licence_submit_days`), never before the day it was made | `submitted_on`, or a decision |
//! | `licence_chase` | the same, with `submitted_on` | the release − 21 days (`licence_chase_days`), never before the day it was made | a decision (`outcome` other than `pending`, or `outcome_on`) |
//!
//! The decision it is for: the earliest parole hearing, CRD, ARD, PED, HDCED or tariff expiry
//! on or after the diary's date (a parole hearing sets the licence of a release it directs, so
//! a request must reach its panel, not wait for the eligibility date after it); with none
//! ahead, the latest release date that passed while the offender is still inside.
//! `key_date` names it. The base format's `licence_conditions` looks at the earliest that
//! passed without a release instead: that is the conversation with the victim, which may
//! rightly have been held before an HDC eligibility date; a request still unsent when HDC
//! was refused must go before the next release, and the item says which.

use chrono::NaiveDate;

use super::{Scan, minus_days};
use crate::domain::enums::{KeyDateKind, LicenceOutcome, ReminderKind};
use crate::domain::model::Case;

impl Scan<'_> {
    /// Each licence request made by `today` and still undecided: sent to the decision maker
    /// in good time before the first possible release, and chased before it once sent
    /// (vlu's own `licence_submit` and `licence_chase`, DECISIONS.md).
    pub(super) fn licence_requests(&mut self, today: NaiveDate) {
        let Some((kind, release)) = licence_release(self.case, today) else {
            return;
        };
        let lead = self.rules.lead;
        for (i, request) in self.victim.licence_requests.iter().enumerate() {
            let pending = request.outcome.is_none_or(|o| o == LicenceOutcome::Pending)
                && request.outcome_on.is_none();
            let made = request.requested_on.unwrap_or(NaiveDate::MIN);
            if !pending || made > today {
                continue;
            }
            let (what, days) = match request.submitted_on {
                None => (ReminderKind::LicenceSubmit, lead.licence_submit_days),
                Some(_) => (ReminderKind::LicenceChase, lead.licence_chase_days),
            };
            // A request made later than the lead time is due the day it was made.
            let due = minus_days(release, days).max(made);
            if let Some(r) = self.add_entry(what, due, Some(kind), release, Some(i)) {
                r.condition = request.condition;
            }
        }
    }
}

/// The decision a licence request must be ready for: the earliest parole hearing, CRD, ARD,
/// PED, HDCED or tariff expiry on or after `today`; with none ahead, the latest release date
/// passed while the offender is still inside (no `release` key date on or before `today`).
/// Unlike [`super::licence_trigger`], an eligibility date that passed without a release (HDC
/// refused) gives way to the next one ahead.
fn licence_release(case: &Case, today: NaiveDate) -> Option<(KeyDateKind, NaiveDate)> {
    let triggers = || {
        case.key_dates
            .iter()
            .filter(|k| KeyDateKind::LICENCE_TRIGGERS.contains(&k.kind))
            .map(|k| (k.date, k.kind))
    };
    let hearings = case
        .dates_of(KeyDateKind::ParoleHearing)
        .map(|d| (d, KeyDateKind::ParoleHearing));
    let ahead = triggers()
        .chain(hearings)
        .filter(|(date, _)| *date >= today)
        .min();
    let released = case.dates_of(KeyDateKind::Release).any(|d| d <= today);
    let passed = || triggers().filter(|(date, _)| *date < today).max();
    ahead
        .or_else(|| if released { None } else { passed() })
        .map(|(date, kind)| (kind, date))
}

#[cfg(test)]
mod tests {
    //! Due dates worked by hand: 22 December 2026 − 56 days is 27 October (22 days back to
    //! 30 November, 30 more to 31 October, 4 more); − 21 days is 1 December.
    use super::super::tests::{case, d, letter, run, summary, victim};
    use crate::domain::enums::{
        ContactKind, KeyDateKind, LicenceCondition, LicenceOutcome, ReminderKind, VictimStatus,
    };
    use crate::domain::model::{Case, LicenceRequest, Victim};

    fn request(condition: LicenceCondition, made: &str) -> LicenceRequest {
        LicenceRequest {
            condition: Some(condition),
            requested_on: Some(d(made)),
            outcome: Some(LicenceOutcome::Pending),
            ..LicenceRequest::default()
        }
    }

    /// Joan Mercer's case: HDC eligibility passed (refused) in August, conditional release
    /// on 22 December 2026; two requests made on 2 March, discussed in February.
    fn joan() -> (Victim, Case) {
        let c = case(
            "2024-06-14",
            &[
                (KeyDateKind::Hdced, "2026-08-20"),
                (KeyDateKind::Crd, "2026-12-22"),
                (KeyDateKind::Sed, "2029-06-13"),
            ],
        );
        let mut v = victim(VictimStatus::OptedIn, "2024-08-02");
        v.licence_requests = vec![
            request(LicenceCondition::NoContact, "2026-03-02"),
            request(LicenceCondition::ExclusionZone, "2026-03-02"),
        ];
        v.contacts = vec![
            letter("2026-02-16", ContactKind::LicenceConditions),
            letter("2026-11-20", ContactKind::Update),
        ];
        (v, c)
    }

    fn licence(
        v: &Victim,
        c: &Case,
        today: &str,
    ) -> Vec<(ReminderKind, NaiveDate, Option<KeyDateKind>)> {
        summary(&run(v, c, today))
            .into_iter()
            .filter(|(k, ..)| matches!(k, ReminderKind::LicenceSubmit | ReminderKind::LicenceChase))
            .collect()
    }

    use chrono::NaiveDate;

    #[test]
    fn a_request_never_sent_is_due_eight_weeks_before_the_next_release() {
        let (v, c) = joan();
        let due = (
            ReminderKind::LicenceSubmit,
            d("2026-10-27"),
            Some(KeyDateKind::Crd),
        );
        assert_eq!(licence(&v, &c, "2026-12-10"), [due, due]);
        let rs = run(&v, &c, "2026-12-10");
        let mine: Vec<_> = rs
            .iter()
            .filter(|r| r.kind == ReminderKind::LicenceSubmit)
            .map(|r| (r.entry, r.condition, r.about))
            .collect();
        assert_eq!(
            mine,
            [
                (
                    Some(0),
                    Some(LicenceCondition::NoContact),
                    Some(d("2026-12-22"))
                ),
                (
                    Some(1),
                    Some(LicenceCondition::ExclusionZone),
                    Some(d("2026-12-22"))
                ),
            ]
        );
        assert_eq!(
            rs.iter()
                .find(|r| r.kind == ReminderKind::LicenceSubmit)
                .unwrap()
                .action(),
            "Send the victim's licence-condition request (no contact) to the decision maker \
             before the conditional release date on 22 Dec 2026"
        );
        // Before HDC eligibility passed, the request was for it.
        assert_eq!(
            licence(&v, &c, "2026-06-01")[0],
            (
                ReminderKind::LicenceSubmit,
                d("2026-06-25"),
                Some(KeyDateKind::Hdced)
            )
        );
    }

    /// A life sentence: the parole hearing on 1 March 2027 sets the licence, months before
    /// the tariff expires. 1 March 2027 − 56 days is 4 January (28 back to 1 February, 28
    /// more); − 21 days is 8 February.
    #[test]
    fn a_request_must_reach_the_parole_hearing_that_sets_the_licence() {
        let c = case(
            "2012-05-04",
            &[
                (KeyDateKind::ParoleHearing, "2027-03-01"),
                (KeyDateKind::TariffExpiry, "2027-12-01"),
            ],
        );
        let mut v = victim(VictimStatus::OptedIn, "2012-07-02");
        v.licence_requests = vec![request(LicenceCondition::ExclusionZone, "2026-11-02")];
        assert_eq!(
            licence(&v, &c, "2026-12-06"),
            [(
                ReminderKind::LicenceSubmit,
                d("2027-01-04"),
                Some(KeyDateKind::ParoleHearing)
            )]
        );
        v.licence_requests[0].submitted_on = Some(d("2026-12-20"));
        assert_eq!(
            licence(&v, &c, "2027-01-10"),
            [(
                ReminderKind::LicenceChase,
                d("2027-02-08"),
                Some(KeyDateKind::ParoleHearing)
            )]
        );
        // The hearing passed without a decision on the request: the tariff expiry next.
        assert_eq!(
            licence(&v, &c, "2027-03-02"),
            [(
                ReminderKind::LicenceChase,
                d("2027-11-10"),
                Some(KeyDateKind::TariffExpiry)
            )]
        );
    }

    #[test]
    fn a_request_sent_and_undecided_is_chased_three_weeks_before_the_release() {
        let (mut v, c) = joan();
        v.licence_requests[0].submitted_on = Some(d("2026-11-02"));
        assert_eq!(
            licence(&v, &c, "2026-11-24"),
            [
                (
                    ReminderKind::LicenceChase,
                    d("2026-12-01"),
                    Some(KeyDateKind::Crd)
                ),
                (
                    ReminderKind::LicenceSubmit,
                    d("2026-10-27"),
                    Some(KeyDateKind::Crd)
                ),
            ]
        );
        // Decided: the outcome is passed on instead (the base format's `licence_outcome`).
        v.licence_requests[0].outcome = Some(LicenceOutcome::Granted);
        v.licence_requests[0].outcome_on = Some(d("2026-11-30"));
        v.licence_requests[1].outcome = Some(LicenceOutcome::Withdrawn);
        assert!(licence(&v, &c, "2026-12-01").is_empty());
        // A decision day with the outcome still marked pending is a decision all the same.
        v.licence_requests[1].outcome = Some(LicenceOutcome::Pending);
        v.licence_requests[1].outcome_on = Some(d("2026-11-30"));
        assert!(licence(&v, &c, "2026-12-01").is_empty());
    }

    #[test]
    fn a_request_made_late_is_due_the_day_it_was_made_and_none_before_it() {
        let (mut v, c) = joan();
        v.licence_requests = vec![request(LicenceCondition::NonAssociation, "2026-12-15")];
        assert!(licence(&v, &c, "2026-12-14").is_empty());
        assert_eq!(
            licence(&v, &c, "2026-12-15"),
            [(
                ReminderKind::LicenceSubmit,
                d("2026-12-15"),
                Some(KeyDateKind::Crd)
            )]
        );
    }

    #[test]
    fn after_the_release_or_outside_the_scheme_no_request_is_chased() {
        let (v, mut c) = joan();
        // Released at the CRD: no release ahead, none passed while inside.
        c.key_dates.push(crate::domain::model::KeyDate {
            kind: KeyDateKind::Release,
            date: d("2026-12-22"),
            confirmed: None,
            note: None,
        });
        assert!(licence(&v, &c, "2027-01-05").is_empty());
        // Still inside after every date (a release not yet recorded): the latest passed.
        let (v, c) = joan();
        assert_eq!(
            licence(&v, &c, "2027-01-05")[0],
            (
                ReminderKind::LicenceSubmit,
                d("2026-10-27"),
                Some(KeyDateKind::Crd)
            )
        );
        // No release point known: nothing to count back from.
        let bare = case("2024-06-14", &[(KeyDateKind::Sed, "2029-06-13")]);
        assert!(licence(&v, &bare, "2026-12-10").is_empty());
        // Only for a victim in the scheme.
        for status in [
            VictimStatus::OfferSent,
            VictimStatus::Declined,
            VictimStatus::Closed,
        ] {
            let mut out = v.clone();
            out.status = status;
            assert!(licence(&out, &c, "2026-12-10").is_empty(), "{status:?}");
        }
    }
}
