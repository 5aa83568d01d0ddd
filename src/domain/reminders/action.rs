//! What a reminder asks of the officer, in the words the diary, the calendar, the
//! spreadsheets and the screens all use. A date the log does not hold is never called a
//! contact: a second offer or an annual letter counted from a victim's referral or status
//! says so ("referred on 14 Mar 2025"), as a unit's spreadsheet brings victims in with no
//! log at all.

use super::{CountedFrom, Reminder};
use crate::domain::enums::{KeyDateKind, ReminderKind, TaskKind};

impl Reminder {
    /// What the officer must do, in plain words.
    pub fn action(&self) -> String {
        let about = self
            .about
            .map(|d| d.format("%-d %b %Y").to_string())
            .unwrap_or_default();
        let key = self.key_date.map_or("key date", KeyDateKind::label);
        let request = self
            .condition
            .map(|c| format!(" ({})", c.label()))
            .unwrap_or_default();
        match self.kind {
            ReminderKind::InitialOffer => {
                format!("Send the initial offer letter (sentenced {about})")
            }
            ReminderKind::DiscretionaryDecision => {
                format!("Decide the discretionary request (referred {about})")
            }
            ReminderKind::SecondOffer => match self.counted_from {
                CountedFrom::Log => format!("Send a second offer (first offer {about})"),
                CountedFrom::Referral => {
                    format!("Send a second offer (referred on {about}; no first offer logged)")
                }
                CountedFrom::Status => {
                    format!("Send a second offer (offer sent {about}; no first offer logged)")
                }
            },
            ReminderKind::AnnualLetter => match self.counted_from {
                CountedFrom::Log => format!("Send the annual letter (last contact {about})"),
                CountedFrom::Referral => {
                    format!("Send the annual letter (referred on {about}; no contact logged)")
                }
                CountedFrom::Status => {
                    format!("Send the annual letter (opted in {about}; no contact logged since)")
                }
            },
            ReminderKind::WrittenFollowUp => format!("Confirm in writing the contact of {about}"),
            ReminderKind::ComplaintAck => format!("Acknowledge the complaint of {about}"),
            ReminderKind::KeyDate if self.month_only => {
                let month = self
                    .about
                    .map(|d| d.format("%B %Y").to_string())
                    .unwrap_or_default();
                format!(
                    "Tell the victim the month of the {key}: {month} only, never the exact date"
                )
            }
            ReminderKind::KeyDate if self.key_date == Some(KeyDateKind::Escape) => {
                format!(
                    "URGENT: the offender escaped or absconded on {about}: speak to the police \
                     liaison officer, then call the victim now"
                )
            }
            ReminderKind::KeyDate
                if self
                    .key_date
                    .is_some_and(|k| KeyDateKind::EVENTS.contains(&k)) =>
            {
                format!("Tell the victim at once: {key} on {about}")
            }
            ReminderKind::KeyDate => format!("Tell the victim about the {key} on {about}"),
            ReminderKind::VpsOffer => {
                format!("Offer a victim personal statement for the parole hearing on {about}")
            }
            ReminderKind::LicenceConditions => {
                format!("Ask about licence conditions before the {key} on {about}")
            }
            ReminderKind::LicenceOutcome => {
                format!("Tell the victim the licence-condition decision{request} of {about}")
            }
            ReminderKind::CaseClosure => format!("Close contact: the {key} is {about}"),
            ReminderKind::ReleaseReoffer => match self.tracing {
                Some(asked) => format!(
                    "Tracing: an agency was asked on {}; offer contact again once the victim \
                     is found, before the {key} on {about}",
                    asked.format("%-d %b %Y")
                ),
                None => format!(
                    "Offer contact again before the {key} on {about}: the victim never answered"
                ),
            },
            // vlu's own clocks, beyond the base format's rules.
            _ => self.own_action(&about, key),
        }
    }

    /// What vlu's own clocks (beyond the base format's rules) ask, in plain words.
    fn own_action(&self, about: &str, key: &str) -> String {
        let request = self
            .condition
            .map(|c| format!(" ({})", c.label()))
            .unwrap_or_default();
        match self.kind {
            ReminderKind::ComplaintAnswer => {
                format!("Answer in full the complaint received {about}")
            }
            ReminderKind::VpsSubmit => format!(
                "Help the victim finish and send their personal statement: the hearing is {about}"
            ),
            ReminderKind::MhcsRegister => format!(
                "Register with the Mental Health Casework Section (the victim opted in {about})"
            ),
            ReminderKind::TribunalRepresentations if self.about == Some(self.due) => {
                format!("Send the victim's representations to the tribunal (due {about})")
            }
            ReminderKind::TribunalRepresentations => {
                format!("Send the victim's representations to the tribunal (hearing {about})")
            }
            ReminderKind::LicenceSubmit => format!(
                "Send the victim's licence-condition request{request} to the decision maker \
                 before the {key} on {about}"
            ),
            ReminderKind::LicenceChase => format!(
                "Chase the decision on the victim's licence-condition request{request} before \
                 the {key} on {about}"
            ),
            ReminderKind::UnwantedContactReport => format!(
                "Report the offender's unwanted contact of {about} to the prison and the \
                 Responsible Officer (a report to each)"
            ),
            ReminderKind::RiskAck => {
                format!("Chase an answer to the risk report of {about} from the agency told")
            }
            ReminderKind::OutcomeTell => {
                format!("Tell the victim the outcome of the {key}, received on {about}")
            }
            ReminderKind::ComesOfAge => format!(
                "Offer the child victim the scheme in their own right: they turn 18 on {about}"
            ),
            ReminderKind::DiscretionaryOffer => {
                format!("Send the offer letter: the discretionary request was accepted on {about}")
            }
            ReminderKind::Task => {
                let what = self.task.map_or("Finish the task", TaskKind::action);
                match self.key_date {
                    Some(k) => format!("{what}: {} (opened {about})", k.label()),
                    None => format!("{what} (opened {about})"),
                }
            }
            ReminderKind::VpsNonDisclosure => format!(
                "Chase the Parole Board's decision on keeping the VPS from the offender (asked \
                 {about})"
            ),
            ReminderKind::RiskFlagReport => format!(
                "Report the risk recorded on {about} to the Responsible Officer (and any other \
                 agency it concerns)"
            ),
            // The base format's kinds are worded in `action`, and never come here.
            _ => String::new(),
        }
    }

    /// The reminder's kind in words, as the caseload and the calendar name it: a re-offer
    /// whose victim is being traced says so.
    pub fn label(&self) -> &'static str {
        if self.kind == ReminderKind::ReleaseReoffer && self.tracing.is_some() {
            "re-offer (tracing)"
        } else {
            self.kind.label()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{case, d, letter, run, victim, with_level};
    use super::*;
    use crate::domain::enums::{InformationLevel, VictimStatus};

    fn action_of(r: &[Reminder], kind: ReminderKind) -> String {
        r.iter().find(|r| r.kind == kind).unwrap().action()
    }

    #[test]
    fn an_offer_or_letter_counted_from_the_referral_says_so_and_calls_nothing_a_contact() {
        let c = case("2025-03-01", &[]);
        // Brought in from a sheet: no log, the status taken to hold since the referral.
        let mut v = victim(VictimStatus::OfferSent, "2025-03-14");
        v.referred_on = d("2025-03-14");
        let second = action_of(&run(&v, &c, "2026-01-01"), ReminderKind::SecondOffer);
        assert_eq!(
            second,
            "Send a second offer (referred on 14 Mar 2025; no first offer logged)"
        );
        v.status = VictimStatus::OptedIn;
        let v = with_level(v, InformationLevel::Annual);
        let annual = action_of(&run(&v, &c, "2026-06-01"), ReminderKind::AnnualLetter);
        assert_eq!(
            annual,
            "Send the annual letter (referred on 14 Mar 2025; no contact logged)"
        );
    }

    #[test]
    fn a_status_date_with_nothing_logged_is_said_as_the_status() {
        let c = case("2025-03-01", &[]);
        let mut v = victim(VictimStatus::OfferSent, "2025-04-02");
        v.referred_on = d("2025-03-14");
        let second = action_of(&run(&v, &c, "2026-01-01"), ReminderKind::SecondOffer);
        assert_eq!(
            second,
            "Send a second offer (offer sent 2 Apr 2025; no first offer logged)"
        );
        v.status = VictimStatus::OptedIn;
        let v = with_level(v, InformationLevel::Annual);
        let annual = action_of(&run(&v, &c, "2026-06-01"), ReminderKind::AnnualLetter);
        assert_eq!(
            annual,
            "Send the annual letter (opted in 2 Apr 2025; no contact logged since)"
        );
    }

    #[test]
    fn a_logged_contact_is_still_said_as_one() {
        let c = case("2025-03-01", &[]);
        let mut v = victim(VictimStatus::OfferSent, "2025-04-02");
        v.referred_on = d("2025-03-14");
        v.contacts.push(letter(
            "2025-04-02",
            crate::domain::enums::ContactKind::InitialOffer,
        ));
        let second = action_of(&run(&v, &c, "2026-01-01"), ReminderKind::SecondOffer);
        assert_eq!(second, "Send a second offer (first offer 2 Apr 2025)");
        v.status = VictimStatus::OptedIn;
        v.status_since = d("2025-03-14");
        v.contacts.push(letter(
            "2025-05-06",
            crate::domain::enums::ContactKind::Update,
        ));
        let v = with_level(v, InformationLevel::Annual);
        let annual = action_of(&run(&v, &c, "2026-06-01"), ReminderKind::AnnualLetter);
        assert_eq!(annual, "Send the annual letter (last contact 6 May 2025)");
    }
}
