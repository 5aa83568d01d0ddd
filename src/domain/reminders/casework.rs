//! The clocks of vlu's own casework records (beyond the interchange contract): complaints,
//! victim personal statements, restricted patients. Each rule reads only vlu's own sections
//! of the records, so a caseload that holds none of them gives exactly the contract's diary.
//!
//! | kind | applies to | due | resolved by |
//! | --- | --- | --- | --- |
//! | `complaint_ack` | each recorded complaint with `received_on`, unless the log holds an inbound `complaint` contact still open that day (its own reminder stands) | `workdays(received_on, 10)` | `acknowledged_on` or `answered_on` on the record, or a `complaint_ack` contact on or after `received_on` |
//! | `complaint_answer` | each recorded complaint with `received_on` | `workdays(received_on, 20)` | `answered_on` |
//! | `vps_submit` | `vps.offered_on`, and a `parole_hearing` on or after it (the first) | that hearing − 28 days | `vps.submitted_on` or `vps.declined_on` |
//! | `vps_non_disclosure` | `vps.non_disclosure_asked_on` | `workdays(non_disclosure_asked_on, 10)` (`non_disclosure_chase_working_days`) | `vps.non_disclosure_decided_on` or `non_disclosure_decision` |
//! | `comes_of_age` | `child.born_on`, the 18th birthday on or after `referred_on` | that birthday − 28 days (`key_date_notice_days`) | `child.offered_on` |
//! | `mhcs_register` | status `opted_in`, the case has a `restricted_patient` section | `workdays(the later of status_since and restricted_patient.known_on, 5)` | `restricted_patient.mhcs_registered_on` |
//! | `tribunal_representations` | status `opted_in`, `restricted_patient.tribunal_on` or `representations_due` | `representations_due`, else `tribunal_on` − 28 days | `representations_sent_on` |
//!
//! Like every rule, none applies to a victim who declined, opted out or is closed, nor in a
//! closed or transferred case.

use chrono::NaiveDate;

use super::{Scan, minus_days};
use crate::domain::enums::{KeyDateKind, ReminderKind, VictimStatus};

impl Scan<'_> {
    /// Every clock of vlu's own casework sections.
    pub(super) fn casework(&mut self) {
        self.recorded_complaints();
        self.vps_submit();
        self.vps_non_disclosure();
        self.comes_of_age();
        if self.victim.status == VictimStatus::OptedIn {
            self.restricted_patient();
        }
    }

    fn recorded_complaints(&mut self) {
        let lead = self.rules.lead;
        for (i, c) in self.victim.complaints.iter().enumerate() {
            let Some(received) = c.received_on else {
                continue;
            };
            if c.answered_on.is_some() {
                continue;
            }
            let logged_open = self.facts.open_complaints.contains(&received);
            let acknowledged = c.acknowledged_on.is_some()
                || self.facts.last_complaint_ack.is_some_and(|d| d >= received);
            if !acknowledged && !logged_open {
                let due = self.workdays(received, lead.complaint_ack_working_days);
                self.add_entry(ReminderKind::ComplaintAck, due, None, received, Some(i));
            }
            let due = self.workdays(received, lead.complaint_answer_working_days);
            self.add_entry(ReminderKind::ComplaintAnswer, due, None, received, Some(i));
        }
    }

    fn vps_submit(&mut self) {
        let Some(vps) = self.victim.vps.as_deref() else {
            return;
        };
        let Some(offered) = vps.offered_on else {
            return;
        };
        if vps.submitted_on.is_some() || vps.declined_on.is_some() {
            return;
        }
        let hearing: Option<NaiveDate> = self
            .case
            .dates_of(KeyDateKind::ParoleHearing)
            .filter(|d| *d >= offered)
            .min();
        if let Some(hearing) = hearing {
            let due = minus_days(hearing, self.rules.lead.vps_submit_days);
            self.add(
                ReminderKind::VpsSubmit,
                due,
                Some(KeyDateKind::ParoleHearing),
                hearing,
            );
        }
    }

    /// A request that the VPS be kept from the offender, chased with the Parole Board until
    /// its decision is on record: the victim must know before the hearing whether the
    /// offender will read what they wrote.
    fn vps_non_disclosure(&mut self) {
        let Some(vps) = self.victim.vps.as_deref() else {
            return;
        };
        let Some(asked) = vps.non_disclosure_asked_on else {
            return;
        };
        if vps.non_disclosure_decided_on.is_some() || vps.non_disclosure_decision.is_some() {
            return;
        }
        let due = self.workdays(asked, self.rules.lead.non_disclosure_chase_working_days);
        self.add(ReminderKind::VpsNonDisclosure, due, None, asked);
    }

    /// A child victim turning 18 is offered the scheme in their own right, four weeks
    /// before their birthday, unless they were an adult when referred.
    fn comes_of_age(&mut self) {
        let Some(child) = self.victim.child.as_deref() else {
            return;
        };
        let Some(eighteen) = child.eighteen() else {
            return;
        };
        if child.offered_on.is_some() || eighteen < self.victim.referred_on {
            return;
        }
        let due = minus_days(eighteen, self.rules.lead.key_date_notice_days);
        self.add(ReminderKind::ComesOfAge, due, None, eighteen);
    }

    fn restricted_patient(&mut self) {
        let Some(rp) = self.case.restricted_patient.as_deref() else {
            return;
        };
        let lead = self.rules.lead;
        if rp.mhcs_registered_on.is_none() {
            let since = self
                .victim
                .status_since
                .max(rp.known_on.unwrap_or(NaiveDate::MIN));
            let due = self.workdays(since, lead.mhcs_register_working_days);
            self.add(ReminderKind::MhcsRegister, due, None, since);
        }
        if rp.representations_sent_on.is_none() {
            let due = rp.representations_due.or_else(|| {
                rp.tribunal_on
                    .map(|t| minus_days(t, lead.tribunal_representations_days))
            });
            if let Some(due) = due {
                let about = rp.tribunal_on.unwrap_or(due);
                self.add(ReminderKind::TribunalRepresentations, due, None, about);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! Every due date here is worked by hand from the 2026 calendar of England and Wales
    //! (Good Friday 3 April, Easter Monday 6 April, Christmas Friday 25 December, Boxing Day
    //! moved to Monday 28 December).
    use super::super::tests::{case, contact, d, letter, of, run};
    use crate::domain::enums::VictimStatus;
    use crate::domain::enums::{ContactKind, Direction, KeyDateKind, Medium, ReminderKind};
    use crate::domain::model::{Complaint, MovedAway, RestrictedPatient, Transfer, Victim, Vps};

    fn complaint(received: &str) -> Complaint {
        Complaint {
            received_on: Some(d(received)),
            ..Complaint::default()
        }
    }

    #[test]
    fn a_recorded_complaint_is_acknowledged_in_10_and_answered_in_20_working_days_over_easter() {
        let c = case("2024-01-10", &[]);
        let mut v = super::super::tests::victim(VictimStatus::OptedIn, "2024-03-01");
        // Friday 20 March: 10 working days skip Good Friday and Easter Monday.
        v.complaints.push(complaint("2026-03-20"));
        let rs = run(&v, &c, "2026-03-23");
        assert_eq!(of(&rs, ReminderKind::ComplaintAck), [d("2026-04-07")]);
        assert_eq!(of(&rs, ReminderKind::ComplaintAnswer), [d("2026-04-21")]);

        v.complaints[0].acknowledged_on = Some(d("2026-03-24"));
        let rs = run(&v, &c, "2026-03-25");
        assert!(of(&rs, ReminderKind::ComplaintAck).is_empty());
        assert_eq!(of(&rs, ReminderKind::ComplaintAnswer), [d("2026-04-21")]);

        v.complaints[0].answered_on = Some(d("2026-04-21"));
        let rs = run(&v, &c, "2026-04-22");
        assert!(of(&rs, ReminderKind::ComplaintAnswer).is_empty());
    }

    #[test]
    fn a_full_answer_inside_ten_days_is_the_acknowledgement() {
        let c = case("2024-01-10", &[]);
        let mut v = super::super::tests::victim(VictimStatus::OptedIn, "2024-03-01");
        v.complaints.push(Complaint {
            answered_on: Some(d("2026-03-05")),
            ..complaint("2026-03-02")
        });
        assert!(run(&v, &c, "2026-03-06").iter().all(|r| !matches!(
            r.kind,
            ReminderKind::ComplaintAck | ReminderKind::ComplaintAnswer
        )));
    }

    #[test]
    fn a_complaint_both_logged_and_recorded_is_acknowledged_once() {
        let c = case("2024-01-10", &[]);
        let mut v = super::super::tests::victim(VictimStatus::OptedIn, "2024-03-01");
        v.complaints.push(complaint("2026-03-02"));
        v.contacts.push(contact(
            "2026-03-02",
            ContactKind::Complaint,
            Medium::Letter,
            Direction::Inbound,
        ));
        let rs = run(&v, &c, "2026-03-03");
        // Monday 2 March + 10 working days = Monday 16 March; + 20 = Monday 30 March.
        assert_eq!(of(&rs, ReminderKind::ComplaintAck), [d("2026-03-16")]);
        assert_eq!(of(&rs, ReminderKind::ComplaintAnswer), [d("2026-03-30")]);
        // An acknowledgement logged resolves the record's too (and the log's, as ever).
        v.contacts
            .push(letter("2026-03-04", ContactKind::ComplaintAck));
        let rs = run(&v, &c, "2026-03-05");
        assert!(of(&rs, ReminderKind::ComplaintAck).is_empty());
        assert_eq!(of(&rs, ReminderKind::ComplaintAnswer), [d("2026-03-30")]);
        // And the other way: acknowledged on the record, the log's item ends too.
        v.contacts.pop();
        v.complaints[0].acknowledged_on = Some(d("2026-03-04"));
        let rs = run(&v, &c, "2026-03-05");
        assert!(of(&rs, ReminderKind::ComplaintAck).is_empty());
        assert_eq!(of(&rs, ReminderKind::ComplaintAnswer), [d("2026-03-30")]);
        // A record of another day's complaint leaves this one's open.
        v.complaints[0].received_on = Some(d("2026-02-02"));
        let rs = run(&v, &c, "2026-03-05");
        assert_eq!(of(&rs, ReminderKind::ComplaintAck), [d("2026-03-16")]);
    }

    #[test]
    fn an_offered_vps_is_sent_28_days_before_the_first_hearing_after_the_offer() {
        let c = case(
            "2020-01-10",
            &[
                (KeyDateKind::ParoleHearing, "2026-05-01"),
                (KeyDateKind::ParoleHearing, "2026-09-15"),
                (KeyDateKind::ParoleHearing, "2027-09-15"),
            ],
        );
        let mut v = super::super::tests::victim(VictimStatus::OptedIn, "2021-03-01");
        assert!(of(&run(&v, &c, "2026-06-02"), ReminderKind::VpsSubmit).is_empty());
        v.vps = Some(Box::new(Vps {
            offered_on: Some(d("2026-06-01")),
            ..Vps::default()
        }));
        let rs = run(&v, &c, "2026-06-02");
        // 15 September − 28 days = 18 August; the May hearing was before the offer.
        assert_eq!(of(&rs, ReminderKind::VpsSubmit), [d("2026-08-18")]);
        let r = rs
            .iter()
            .find(|r| r.kind == ReminderKind::VpsSubmit)
            .unwrap();
        assert_eq!(
            (r.key_date, r.about),
            (Some(KeyDateKind::ParoleHearing), Some(d("2026-09-15")))
        );
        for resolved in [
            Vps {
                submitted_on: Some(d("2026-08-18")),
                ..(**v.vps.as_ref().unwrap()).clone()
            },
            Vps {
                declined_on: Some(d("2026-07-01")),
                ..(**v.vps.as_ref().unwrap()).clone()
            },
        ] {
            let mut done = v.clone();
            done.vps = Some(Box::new(resolved));
            assert!(of(&run(&done, &c, "2026-08-19"), ReminderKind::VpsSubmit).is_empty());
        }
        // No hearing on or after the offer: nothing to count back from.
        let no_hearing = case("2020-01-10", &[(KeyDateKind::ParoleHearing, "2026-05-01")]);
        assert!(of(&run(&v, &no_hearing, "2026-06-02"), ReminderKind::VpsSubmit).is_empty());
    }

    /// Asked on Monday 30 March 2026: ten working days are 31 March, 1, 2, (Good Friday 3
    /// and Easter Monday 6 April off) 7, 8, 9, 10, 13, 14 and 15 April.
    #[test]
    fn a_non_disclosure_request_is_chased_ten_working_days_on_until_decided() {
        use crate::domain::enums::NonDisclosure;
        let c = case("2020-01-10", &[]);
        let mut v = super::super::tests::victim(VictimStatus::OptedIn, "2021-03-01");
        v.vps = Some(Box::new(Vps {
            submitted_on: Some(d("2026-03-30")),
            non_disclosure_asked_on: Some(d("2026-03-30")),
            ..Vps::default()
        }));
        let rs = run(&v, &c, "2026-04-01");
        assert_eq!(of(&rs, ReminderKind::VpsNonDisclosure), [d("2026-04-15")]);
        let r = rs.iter().find(|r| r.kind == ReminderKind::VpsNonDisclosure);
        assert_eq!(
            r.unwrap().action(),
            "Chase the Parole Board's decision on keeping the VPS from the offender (asked 30 \
             Mar 2026)"
        );
        for decided in [
            Vps {
                non_disclosure_decision: Some(NonDisclosure::Granted),
                ..(**v.vps.as_ref().unwrap()).clone()
            },
            Vps {
                non_disclosure_decided_on: Some(d("2026-04-20")),
                ..(**v.vps.as_ref().unwrap()).clone()
            },
        ] {
            v.vps = Some(Box::new(decided));
            assert!(of(&run(&v, &c, "2026-04-21"), ReminderKind::VpsNonDisclosure).is_empty());
        }
    }

    /// The offer recorded on the VPS record is the offer the base format's `vps_offer` asks
    /// for, for each hearing whose 182-day window it falls in. 15 September 2027 − 84 days is
    /// 23 June (15 back to 31 August, 31 to 31 July, 31 to 30 June, 7 more).
    #[test]
    fn an_offer_on_the_vps_record_answers_the_vps_offer() {
        let c = case(
            "2020-01-10",
            &[
                (KeyDateKind::ParoleHearing, "2026-09-15"),
                (KeyDateKind::ParoleHearing, "2027-09-15"),
            ],
        );
        let mut v = super::super::tests::victim(VictimStatus::OptedIn, "2021-03-01");
        let due = |v: &Victim| of(&run(v, &c, "2026-06-02"), ReminderKind::VpsOffer);
        assert_eq!(due(&v), [d("2026-06-23"), d("2027-06-23")]);
        v.vps = Some(Box::new(Vps {
            offered_on: Some(d("2026-06-01")),
            ..Vps::default()
        }));
        assert_eq!(due(&v), [d("2027-06-23")]);
    }

    #[test]
    fn a_restricted_patient_is_registered_with_mhcs_5_working_days_after_opting_in() {
        let mut c = case("2020-01-10", &[]);
        // Opted in Monday 21 December: the 24th, then Christmas and the moved Boxing Day.
        let v = super::super::tests::victim(VictimStatus::OptedIn, "2026-12-21");
        assert!(of(&run(&v, &c, "2026-12-22"), ReminderKind::MhcsRegister).is_empty());
        c.restricted_patient = Some(Box::default());
        assert_eq!(
            of(&run(&v, &c, "2026-12-22"), ReminderKind::MhcsRegister),
            [d("2026-12-30")]
        );
        let offered = super::super::tests::victim(VictimStatus::OfferSent, "2026-12-21");
        assert!(of(&run(&offered, &c, "2026-12-22"), ReminderKind::MhcsRegister).is_empty());
        c.restricted_patient = Some(Box::new(RestrictedPatient {
            mhcs_registered_on: Some(d("2026-12-23")),
            ..RestrictedPatient::default()
        }));
        assert!(of(&run(&v, &c, "2026-12-31"), ReminderKind::MhcsRegister).is_empty());
        // A victim opted in since 2021 whose case the unit learned on Monday 30 November
        // 2026 was a restricted patient's: due 7 December, not five years overdue.
        let old = super::super::tests::victim(VictimStatus::OptedIn, "2021-03-01");
        c.restricted_patient = Some(Box::new(RestrictedPatient {
            known_on: Some(d("2026-11-30")),
            ..RestrictedPatient::default()
        }));
        assert_eq!(
            of(&run(&old, &c, "2026-12-01"), ReminderKind::MhcsRegister),
            [d("2026-12-07")]
        );
    }

    #[test]
    fn tribunal_representations_are_due_on_their_date_or_28_days_before_the_hearing() {
        let mut c = case("2020-01-10", &[]);
        let v = super::super::tests::victim(VictimStatus::OptedIn, "2021-03-01");
        let rp = RestrictedPatient {
            mhcs_registered_on: Some(d("2021-03-02")),
            tribunal_on: Some(d("2026-11-10")),
            ..RestrictedPatient::default()
        };
        c.restricted_patient = Some(Box::new(rp.clone()));
        let rs = run(&v, &c, "2026-10-01");
        assert_eq!(
            of(&rs, ReminderKind::TribunalRepresentations),
            [d("2026-10-13")]
        );
        let said = rs
            .iter()
            .find(|r| r.kind == ReminderKind::TribunalRepresentations)
            .unwrap()
            .action();
        assert!(said.contains("(hearing 10 Nov 2026)"), "{said}");
        c.restricted_patient = Some(Box::new(RestrictedPatient {
            representations_due: Some(d("2026-10-01")),
            ..rp.clone()
        }));
        let rs = run(&v, &c, "2026-09-30");
        assert_eq!(
            of(&rs, ReminderKind::TribunalRepresentations),
            [d("2026-10-01")]
        );
        c.restricted_patient = Some(Box::new(RestrictedPatient {
            representations_sent_on: Some(d("2026-09-30")),
            ..rp
        }));
        assert!(
            of(
                &run(&v, &c, "2026-10-02"),
                ReminderKind::TribunalRepresentations
            )
            .is_empty()
        );
    }

    #[test]
    fn a_transferred_case_has_no_reminders_and_a_victim_moved_away_keeps_them() {
        // A statutory victim not yet offered contact: the contract's initial offer is due.
        let mut c = case("2026-01-05", &[]);
        let mut v = super::super::tests::victim(VictimStatus::Referred, "2026-01-06");
        v.complaints.push(complaint("2026-02-02"));
        assert!(!run(&v, &c, "2026-02-03").is_empty());
        c.transferred = Some(Box::new(Transfer {
            on: Some(d("2026-02-03")),
            to_area: Some("Southshire".into()),
        }));
        assert!(run(&v, &c, "2026-02-04").is_empty());
        c.transferred = None;
        let before = run(&v, &c, "2026-02-04");
        v.moved_away = Some(Box::new(MovedAway {
            on: Some(d("2026-02-03")),
            to: Some("Scotland".into()),
        }));
        assert!(!before.is_empty());
        assert_eq!(run(&v, &c, "2026-02-04"), before);
    }
}
