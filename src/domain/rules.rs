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
    /// A reminder this close to a sensitive date (either side) is flagged.
    pub sensitive_margin_days: u32,
    /// "Due soon": within this many days after the diary's date.
    pub due_soon_days: u32,
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
            sensitive_margin_days: 3,
            due_soon_days: 7,
        }
    }
}
