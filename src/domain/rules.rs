//! The lead times of the reminder rules (FORMAT.md §3), in one table a unit may change in its
//! configuration file (`[lead_times]`).

use serde::{Deserialize, Serialize};

/// Every lead time the reminder rules use. The defaults are FORMAT.md §3's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LeadTimes {
    /// Initial offer: working days after sentence.
    pub initial_offer_working_days: u32,
    /// Discretionary request decided: days after referral.
    pub discretionary_decision_days: u32,
    /// Second offer: months after the initial offer.
    pub second_offer_months: u32,
    /// Annual letter: months after the last outbound contact.
    pub annual_letter_months: u32,
    /// Written confirmation of a call, visit or meeting: working days.
    pub written_follow_up_working_days: u32,
    /// Complaint acknowledged: working days after receipt.
    pub complaint_ack_working_days: u32,
    /// Victim told of a key date: days before it.
    pub key_date_notice_days: u32,
    /// A contact counts for a key date from this many days before it.
    pub key_date_window_days: u32,
    /// Victim personal statement offered: days before a parole hearing.
    pub vps_notice_days: u32,
    /// A VPS contact counts from this many days before the hearing.
    pub vps_window_days: u32,
    /// Licence conditions discussed: days before the first possible release.
    pub licence_conditions_notice_days: u32,
    /// A licence-conditions contact counts from this many days before that date.
    pub licence_conditions_window_days: u32,
    /// Victim told the outcome of a licence request: working days after it.
    pub licence_outcome_working_days: u32,
    /// A victim who never answered is offered contact again: days before the release.
    pub release_reoffer_notice_days: u32,
    /// An outbound contact counts for the re-offer from this many days before the release.
    pub release_reoffer_window_days: u32,
    /// "Never answered": this many months since the second offer with no reply…
    pub release_reoffer_after_second_offer_months: u32,
    /// …or this many months with the offer sent and no second offer.
    pub release_reoffer_after_offer_months: u32,
    /// A reminder this close to a sensitive date (either side) is flagged.
    pub sensitive_margin_days: u32,
    /// "Due soon": within this many days after the diary's date.
    pub due_soon_days: u32,
    /// vlu's own: a recorded complaint answered in full, working days after receipt.
    pub complaint_answer_working_days: u32,
    /// vlu's own: an offered VPS made and sent, days before the parole hearing.
    pub vps_submit_days: u32,
    /// vlu's own: a restricted patient's case registered with the Mental Health Casework
    /// Section, working days after the victim opted in.
    pub mhcs_register_working_days: u32,
    /// vlu's own: representations to a tribunal sent, days before the hearing (when no due
    /// date for them is recorded).
    pub tribunal_representations_days: u32,
    /// vlu's own: a licence-condition request sent to the decision maker, days before the
    /// first possible release.
    pub licence_submit_days: u32,
    /// vlu's own: a submitted request still undecided chased, days before that release.
    pub licence_chase_days: u32,
    /// vlu's own: unwanted contact from the offender reported to the prison and the
    /// Responsible Officer, working days after the victim told of it.
    pub unwanted_contact_report_working_days: u32,
    /// vlu's own: a risk report answered by the agency it went to, working days after it.
    pub risk_answer_working_days: u32,
    /// vlu's own: the outcome of a key date (a hearing's decision, an appeal's) told to the
    /// victim, working days after the unit received it.
    pub outcome_working_days: u32,
    /// vlu's own: a request that a VPS be kept from the offender chased with the Parole
    /// Board, working days after it was asked, while no decision is on record.
    pub non_disclosure_chase_working_days: u32,
}

impl Default for LeadTimes {
    fn default() -> Self {
        Self {
            initial_offer_working_days: 40,
            discretionary_decision_days: 14,
            second_offer_months: 3,
            annual_letter_months: 12,
            written_follow_up_working_days: 5,
            complaint_ack_working_days: 10,
            key_date_notice_days: 28,
            key_date_window_days: 182,
            vps_notice_days: 84,
            vps_window_days: 182,
            licence_conditions_notice_days: 182,
            licence_conditions_window_days: 365,
            licence_outcome_working_days: 5,
            release_reoffer_notice_days: 182,
            release_reoffer_window_days: 365,
            release_reoffer_after_second_offer_months: 3,
            release_reoffer_after_offer_months: 6,
            sensitive_margin_days: 3,
            due_soon_days: 7,
            complaint_answer_working_days: 20,
            vps_submit_days: 28,
            mhcs_register_working_days: 5,
            tribunal_representations_days: 28,
            licence_submit_days: 56,
            licence_chase_days: 21,
            unwanted_contact_report_working_days: 1,
            risk_answer_working_days: 5,
            outcome_working_days: 1,
            non_disclosure_chase_working_days: 10,
        }
    }
}

/// What a lead time counts, and the most of it a unit may configure: a longer lead time
/// means nothing for a sentence, and counting working days one by one to four billion took
/// `vlu diary` 8 seconds on 43 victims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadUnit {
    /// At most 260: about a year of working days.
    WorkingDays,
    /// At most 3,660: about ten years.
    Days,
    /// At most 120: ten years.
    Months,
}

impl LeadUnit {
    pub fn max(self) -> u32 {
        match self {
            LeadUnit::WorkingDays => 260,
            LeadUnit::Days => 3_660,
            LeadUnit::Months => 120,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            LeadUnit::WorkingDays => "working days",
            LeadUnit::Days => "days",
            LeadUnit::Months => "months",
        }
    }
}

/// A lead time above its unit's maximum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLong {
    /// Its key in `[lead_times]`.
    pub key: &'static str,
    pub value: u32,
    pub unit: LeadUnit,
}

impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} is {}, more than the {} {} a lead time may be; give 0 to {}",
            self.key,
            self.value,
            self.unit.max(),
            self.unit.name(),
            self.unit.max()
        )
    }
}

impl LeadTimes {
    /// Each lead time with its key in `[lead_times]` and what it counts: a table, one row a
    /// lead time, that reads best whole.
    #[expect(clippy::too_many_lines, reason = "a table, one row a lead time")]
    pub fn each(&self) -> [(&'static str, u32, LeadUnit); 29] {
        use LeadUnit::{Days, Months, WorkingDays};
        [
            (
                "initial_offer_working_days",
                self.initial_offer_working_days,
                WorkingDays,
            ),
            (
                "discretionary_decision_days",
                self.discretionary_decision_days,
                Days,
            ),
            ("second_offer_months", self.second_offer_months, Months),
            ("annual_letter_months", self.annual_letter_months, Months),
            (
                "written_follow_up_working_days",
                self.written_follow_up_working_days,
                WorkingDays,
            ),
            (
                "complaint_ack_working_days",
                self.complaint_ack_working_days,
                WorkingDays,
            ),
            ("key_date_notice_days", self.key_date_notice_days, Days),
            ("key_date_window_days", self.key_date_window_days, Days),
            ("vps_notice_days", self.vps_notice_days, Days),
            ("vps_window_days", self.vps_window_days, Days),
            (
                "licence_conditions_notice_days",
                self.licence_conditions_notice_days,
                Days,
            ),
            (
                "licence_conditions_window_days",
                self.licence_conditions_window_days,
                Days,
            ),
            (
                "licence_outcome_working_days",
                self.licence_outcome_working_days,
                WorkingDays,
            ),
            (
                "release_reoffer_notice_days",
                self.release_reoffer_notice_days,
                Days,
            ),
            (
                "release_reoffer_window_days",
                self.release_reoffer_window_days,
                Days,
            ),
            (
                "release_reoffer_after_second_offer_months",
                self.release_reoffer_after_second_offer_months,
                Months,
            ),
            (
                "release_reoffer_after_offer_months",
                self.release_reoffer_after_offer_months,
                Months,
            ),
            ("sensitive_margin_days", self.sensitive_margin_days, Days),
            ("due_soon_days", self.due_soon_days, Days),
            (
                "complaint_answer_working_days",
                self.complaint_answer_working_days,
                WorkingDays,
            ),
            ("vps_submit_days", self.vps_submit_days, Days),
            (
                "mhcs_register_working_days",
                self.mhcs_register_working_days,
                WorkingDays,
            ),
            (
                "tribunal_representations_days",
                self.tribunal_representations_days,
                Days,
            ),
            ("licence_submit_days", self.licence_submit_days, Days),
            ("licence_chase_days", self.licence_chase_days, Days),
            (
                "unwanted_contact_report_working_days",
                self.unwanted_contact_report_working_days,
                WorkingDays,
            ),
            (
                "risk_answer_working_days",
                self.risk_answer_working_days,
                WorkingDays,
            ),
            (
                "outcome_working_days",
                self.outcome_working_days,
                WorkingDays,
            ),
            (
                "non_disclosure_chase_working_days",
                self.non_disclosure_chase_working_days,
                WorkingDays,
            ),
        ]
    }

    /// The first lead time longer than its unit allows, if any.
    pub fn too_long(&self) -> Option<TooLong> {
        self.each()
            .into_iter()
            .find(|(_, value, unit)| *value > unit.max())
            .map(|(key, value, unit)| TooLong { key, value, unit })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_within_bounds_and_every_key_is_named_once() {
        let lead = LeadTimes::default();
        assert_eq!(lead.too_long(), None);
        let mut keys: Vec<&str> = lead.each().iter().map(|(k, _, _)| *k).collect();
        let toml = toml::to_string(&lead).unwrap();
        for key in &keys {
            assert!(toml.contains(&format!("{key} = ")), "{key}");
        }
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 29);
    }

    #[test]
    fn a_lead_time_past_its_unit_is_named() {
        let lead = LeadTimes {
            initial_offer_working_days: u32::MAX,
            ..LeadTimes::default()
        };
        let too_long = lead.too_long().unwrap();
        assert_eq!(too_long.key, "initial_offer_working_days");
        assert_eq!(
            too_long.to_string(),
            "initial_offer_working_days is 4294967295, more than the 260 working days a lead \
             time may be; give 0 to 260"
        );
        let months = LeadTimes {
            annual_letter_months: 121,
            ..LeadTimes::default()
        };
        assert_eq!(months.too_long().unwrap().unit, LeadUnit::Months);
    }
}
