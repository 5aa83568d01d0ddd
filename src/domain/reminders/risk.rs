//! vlu's own clocks for risk (spec rows 9, 14, 22, 27): an unwanted contact from the
//! offender that the victim tells of is reported to the prison and the Responsible Officer,
//! and a risk reported to an agency (the Responsible Officer, children's services, a
//! domestic-abuse unit, the police) is chased until the agency answers.
//!
//! | kind | applies to | due | resolved by |
//! | --- | --- | --- | --- |
//! | `unwanted_contact_report` | each contact of kind `unwanted_contact` (the victim told of contact from the offender) | `workdays(on, 1)` (`unwanted_contact_report_working_days`) | `risk_report` contacts on the same day or later to two agencies (the prison and the Responsible Officer), told apart by `to` |
//! | `risk_ack` | each contact of kind `risk_report` | `workdays(on, 5)` (`risk_answer_working_days`) | an `agency` contact on the same day or later (the agency's answer); one naming its agency in `to` answers only the reports to that agency |
//! | `risk_flag_report` | a `risk` on the victim's record, with its `recorded_on` | `workdays(recorded_on, 1)` (`unwanted_contact_report_working_days`: a risk, like an unwanted contact, is reported the next working day) | a `risk_report` contact on the day it was recorded or later |
//!
//! Like every rule, none applies to a victim who declined, opted out or is closed, nor in a
//! closed or transferred case. A base-format log has neither kind, and a base-format record
//! no `risk`.

use super::Scan;
use crate::domain::enums::ReminderKind;

impl Scan<'_> {
    pub(super) fn risk(&mut self) {
        let lead = self.rules.lead;
        for &(on, _) in &self.facts.unreported {
            let due = self.workdays(on, lead.unwanted_contact_report_working_days);
            self.add(ReminderKind::UnwantedContactReport, due, None, on);
        }
        for &(on, _) in &self.facts.unanswered_reports {
            let due = self.workdays(on, lead.risk_answer_working_days);
            self.add(ReminderKind::RiskAck, due, None, on);
        }
        // A risk with no day on record cannot say when it was due: the view shows it all
        // the same.
        if let Some(on) = self.victim.risk.as_ref().and_then(|r| r.recorded_on)
            && self.facts.last_risk_report.is_none_or(|r| r < on)
        {
            let due = self.workdays(on, lead.unwanted_contact_report_working_days);
            self.add(ReminderKind::RiskFlagReport, due, None, on);
        }
    }
}

#[cfg(test)]
mod tests {
    //! Due dates worked by hand: Friday 18 December 2026 + 1 working day is Monday 21
    //! December; Monday 21 December + 5 working days is Wednesday 30 December (22, 23, 24,
    //! 29, 30: Christmas Day is Friday 25 December and Boxing Day moves to Monday 28).
    use super::super::tests::{contact, d, of, run, victim};
    use crate::domain::enums::ContactKind::{Agency, Referral, RiskReport, UnwantedContact};
    use crate::domain::enums::Direction::{Inbound, Internal};
    use crate::domain::enums::{Medium, ReminderKind, VictimStatus};

    #[test]
    fn unwanted_contact_is_reported_the_next_working_day_and_the_report_chased_over_christmas() {
        let c = super::super::tests::case("2020-01-10", &[]);
        let mut v = victim(VictimStatus::OptedIn, "2026-01-05");
        // Each step: a contact logged (to an agency, or none), and the two clocks' due
        // dates on its day.
        let mut step = |on: &str, kind, method, direction, to: Option<&str>| {
            v.contacts.push(crate::domain::model::Contact {
                to: to.map(str::to_owned),
                ..contact(on, kind, method, direction)
            });
            let rs = run(&v, &c, on);
            (
                of(&rs, ReminderKind::UnwantedContactReport),
                of(&rs, ReminderKind::RiskAck),
                rs,
            )
        };
        let (report, answer, rs) =
            step("2026-12-18", UnwantedContact, Medium::Phone, Inbound, None);
        assert_eq!((report, answer), (vec![d("2026-12-21")], vec![]));
        let told = rs
            .iter()
            .find(|r| r.kind == ReminderKind::UnwantedContactReport);
        assert_eq!(
            told.unwrap().action(),
            "Report the offender's unwanted contact of 18 Dec 2026 to the prison and the \
             Responsible Officer (a report to each)"
        );
        // Reported on Monday to the prison's security department: one of the two.
        let security = Some("Prison security");
        let (report, answer, _) = step("2026-12-21", RiskReport, Medium::Email, Internal, security);
        assert_eq!(
            (report, answer),
            (vec![d("2026-12-21")], vec![d("2026-12-30")])
        );
        // Again to the prison: still one agency.
        let (report, _, _) = step("2026-12-21", RiskReport, Medium::Phone, Internal, security);
        assert_eq!(report, [d("2026-12-21")]);
        // And to the Responsible Officer: that item ends; each report waits for its answer.
        let ro = Some("Responsible Officer");
        let (report, answer, _) = step("2026-12-21", RiskReport, Medium::Email, Internal, ro);
        assert_eq!(report, []);
        assert_eq!(answer, [d("2026-12-30"); 3]);
        // A referral to Victim Support is no answer from the agency told.
        let (_, answer, _) = step("2026-12-21", Referral, Medium::Email, Internal, None);
        assert_eq!(answer, [d("2026-12-30"); 3]);
        // An answer naming no agency answers them all: nothing left.
        let (report, answer, _) = step("2026-12-22", Agency, Medium::Email, Internal, None);
        assert_eq!((report, answer), (vec![], vec![]));
        // Earlier reports do not report a later contact.
        let (report, _, _) = step("2026-12-23", UnwantedContact, Medium::Letter, Inbound, None);
        assert_eq!(report, [d("2026-12-24")]);
    }

    /// A risk recorded on Thursday 24 December 2026 is reported by Tuesday 29 December (the
    /// next working day after Christmas Day and Boxing Day, moved to Monday 28).
    #[test]
    fn a_risk_recorded_is_reported_the_next_working_day() {
        let c = super::super::tests::case("2020-01-10", &[]);
        let mut v = victim(VictimStatus::OptedIn, "2026-01-05");
        // A report made before the risk was recorded does not report it.
        v.contacts
            .push(contact("2026-11-02", RiskReport, Medium::Email, Internal));
        v.risk = Some(Box::new(crate::domain::model::Risk {
            reason: Some("Brother of the offender seen outside her home".into()),
            recorded_on: Some(d("2026-12-24")),
            by: Some("sahmed".into()),
        }));
        let rs = run(&v, &c, "2026-12-24");
        assert_eq!(of(&rs, ReminderKind::RiskFlagReport), [d("2026-12-29")]);
        let item = rs
            .iter()
            .find(|r| r.kind == ReminderKind::RiskFlagReport)
            .unwrap();
        assert_eq!(
            item.action(),
            "Report the risk recorded on 24 Dec 2026 to the Responsible Officer (and any other \
             agency it concerns)"
        );
        // Reported the same day: it ends, and the report waits for the agency's answer.
        v.contacts
            .push(contact("2026-12-24", RiskReport, Medium::Email, Internal));
        let rs = run(&v, &c, "2026-12-24");
        assert!(of(&rs, ReminderKind::RiskFlagReport).is_empty());
        // (The November report still waits for its own answer: 2 November + 5 working
        // days; this one's is 5 January, New Year's Day off.)
        assert_eq!(
            of(&rs, ReminderKind::RiskAck),
            [d("2026-11-09"), d("2027-01-05")]
        );
        // No risk on record: nothing.
        v.risk = None;
        v.contacts.truncate(1);
        assert!(of(&run(&v, &c, "2026-12-24"), ReminderKind::RiskFlagReport).is_empty());
    }

    /// Two reports on Monday 7 December 2026, to children's services and to the police, each
    /// chased by Monday 14 December. The police answer: children's services' is still
    /// chased; their answer, however its name is written, ends it. An answer naming no
    /// agency (as a base-format log has it) answers every report.
    #[test]
    fn an_agency_s_answer_ends_only_the_chase_of_its_own_report() {
        let c = super::super::tests::case("2020-01-10", &[]);
        let mut v = victim(VictimStatus::OptedIn, "2026-01-05");
        let to = |on: &str, kind, who: Option<&str>| crate::domain::model::Contact {
            to: who.map(str::to_owned),
            ..contact(on, kind, Medium::Email, Internal)
        };
        v.contacts = vec![
            to("2026-12-07", RiskReport, Some("Children's Services")),
            to("2026-12-07", RiskReport, Some("Police")),
        ];
        let chased =
            |v: &crate::domain::model::Victim| of(&run(v, &c, "2026-12-08"), ReminderKind::RiskAck);
        assert_eq!(chased(&v), [d("2026-12-14"), d("2026-12-14")]);
        v.contacts.push(to("2026-12-08", Agency, Some("police")));
        assert_eq!(chased(&v), [d("2026-12-14")]);
        let mut named = v.clone();
        named
            .contacts
            .push(to("2026-12-08", Agency, Some("children's  services")));
        assert_eq!(chased(&named), []);
        v.contacts.push(to("2026-12-08", Agency, None));
        assert_eq!(chased(&v), []);
        // Logged before the report it answers (dated after it): still its answer.
        let mut early = v.clone();
        early.contacts = vec![
            to("2026-12-09", Agency, Some("Police")),
            to("2026-12-07", RiskReport, Some("Police")),
            to("2026-12-07", RiskReport, Some("Probation")),
        ];
        assert_eq!(chased(&early), [d("2026-12-14")]);
    }
}
