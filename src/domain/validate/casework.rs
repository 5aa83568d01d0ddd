//! vlu's own casework sections (beyond the interchange contract), field by field: a VPS,
//! complaints, a licence request's submission, a restricted patient's casework, a case's
//! transfer, a victim's move away. Dates must be real and in a sensible order; a check of
//! order only ever involves one of these fields, so a file of the contract alone is checked
//! exactly as before.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::{Walker, child};
use crate::domain::enums::{
    ComplaintOutcome, DiscretionaryDecision, KeyDateKind, NonDisclosure, TaskKind,
};

/// The victim's own casework fields, checked by [`Walker::victim_casework`].
pub(super) const VICTIM_FIELDS: [&str; 7] = [
    "vps",
    "complaints",
    "moved_away",
    "risk",
    "tasks",
    "discretionary",
    "child",
];
/// The case's, checked by [`Walker::case_casework`].
pub(super) const CASE_FIELDS: [&str; 2] = ["restricted_patient", "transferred"];
/// A licence request's, checked by [`Walker::licence_casework`].
pub(super) const LICENCE_FIELDS: [&str; 3] = ["submitted_on", "granted", "map_file"];

impl Walker {
    /// `later` (at `path`.`key`) must not come before `earlier` (named `earlier_key`).
    fn not_before(
        &mut self,
        path: &str,
        key: &str,
        later: Option<NaiveDate>,
        earlier_key: &str,
        earlier: Option<NaiveDate>,
    ) {
        if let (Some(later), Some(earlier)) = (later, earlier)
            && later < earlier
        {
            self.report(
                child(path, key),
                format!("{key} {later} is before {earlier_key} {earlier}"),
            );
        }
    }

    /// A licence request's own fields; `requested` and `decided` are its `requested_on` and
    /// `outcome_on`, checked with the contract's fields.
    pub(super) fn licence_casework(
        &mut self,
        path: &str,
        map: &Map<String, Value>,
        requested: Option<NaiveDate>,
        decided: Option<NaiveDate>,
    ) {
        let submitted = self.date(path, map, "submitted_on", false);
        self.opt_text(path, map, "granted");
        self.opt_text(path, map, "map_file");
        self.not_before(path, "submitted_on", submitted, "requested_on", requested);
        self.not_before(path, "outcome_on", decided, "submitted_on", submitted);
    }

    pub(super) fn victim_casework(&mut self, path: &str, map: &Map<String, Value>) {
        if let Some((p, v)) = self.field_at(path, map, "vps", false) {
            let fields = [
                "offered_on",
                "declined_on",
                "submitted_on",
                "heard_on",
                "non_disclosure_asked_on",
                "non_disclosure_decision",
                "non_disclosure_decided_on",
            ];
            if let Some(s) = self.object(&p, v, &fields) {
                let offered = self.date(&p, s, "offered_on", false);
                let declined = self.date(&p, s, "declined_on", false);
                let submitted = self.date(&p, s, "submitted_on", false);
                let heard = self.date(&p, s, "heard_on", false);
                let asked = self.date(&p, s, "non_disclosure_asked_on", false);
                let decision =
                    self.enumeration::<NonDisclosure>(&p, s, "non_disclosure_decision", false);
                let decided = self.date(&p, s, "non_disclosure_decided_on", false);
                self.not_before(&p, "declined_on", declined, "offered_on", offered);
                self.not_before(&p, "submitted_on", submitted, "offered_on", offered);
                self.not_before(&p, "heard_on", heard, "submitted_on", submitted);
                self.not_before(
                    &p,
                    "non_disclosure_decided_on",
                    decided,
                    "non_disclosure_asked_on",
                    asked,
                );
                if (decision.is_some() || decided.is_some()) && asked.is_none() {
                    self.report(
                        child(&p, "non_disclosure_asked_on"),
                        "is needed: a non-disclosure decision answers a request for one",
                    );
                }
            }
        }
        for (p, v) in self.list(path, map, "complaints") {
            let fields = [
                "received_on",
                "acknowledged_on",
                "answered_on",
                "outcome",
                "summary",
            ];
            if let Some(c) = self.object(&p, v, &fields) {
                let received = self.date(&p, c, "received_on", true);
                let acknowledged = self.date(&p, c, "acknowledged_on", false);
                let answered = self.date(&p, c, "answered_on", false);
                let outcome = self.enumeration::<ComplaintOutcome>(&p, c, "outcome", false);
                self.opt_text(&p, c, "summary");
                self.not_before(&p, "acknowledged_on", acknowledged, "received_on", received);
                self.not_before(&p, "answered_on", answered, "received_on", received);
                if outcome.is_some() && answered.is_none() {
                    self.report(
                        child(&p, "answered_on"),
                        "is needed: an outcome is given with the answer",
                    );
                }
            }
        }
        if let Some((p, v)) = self.field_at(path, map, "moved_away", false)
            && let Some(m) = self.object(&p, v, &["on", "to"])
        {
            self.date(&p, m, "on", true);
            self.name(&p, m, "to", false);
        }
        if let Some((p, v)) = self.field_at(path, map, "risk", false)
            && let Some(r) = self.object(&p, v, &["reason", "recorded_on", "by"])
        {
            self.name(&p, r, "reason", true);
            self.date(&p, r, "recorded_on", true);
            self.reference(super::Kind::Officer, &p, r, "by", false);
        }
        for (p, v) in self.list(path, map, "tasks") {
            self.task(&p, v);
        }
        if let Some((p, v)) = self.field_at(path, map, "discretionary", false) {
            self.discretionary(&p, v);
        }
        if let Some((p, v)) = self.field_at(path, map, "child", false)
            && let Some(c) = self.object(&p, v, &["born_on", "offered_on"])
        {
            let born = self.date(&p, c, "born_on", true);
            let offered = self.date(&p, c, "offered_on", false);
            self.not_before(&p, "offered_on", offered, "born_on", born);
        }
    }

    /// A discretionary decision: made on a day, by an officer; a refusal says why.
    fn discretionary(&mut self, p: &str, v: &Value) {
        let fields = ["decision", "decided_on", "by", "ground", "reason"];
        let Some(d) = self.object(p, v, &fields) else {
            return;
        };
        let decision = self.enumeration::<DiscretionaryDecision>(p, d, "decision", false);
        let decided = self.date(p, d, "decided_on", false);
        self.reference(super::Kind::Officer, p, d, "by", false);
        self.opt_text(p, d, "ground");
        self.opt_text(p, d, "reason");
        let has = |key: &str| d.get(key).is_some_and(|x| !x.is_null());
        if decision.is_some() && decided.is_none() && !has("decided_on") {
            self.report(
                child(p, "decided_on"),
                "is needed: a decision is made on a day",
            );
        }
        if decision.is_some() && !has("by") {
            self.report(
                child(p, "by"),
                "is needed: a decision names the officer who made it",
            );
        }
        if decision == Some(DiscretionaryDecision::Refused) && !has("reason") {
            self.report(child(p, "reason"), "is needed: a refusal says why");
        }
        if decision.is_none() && has("decided_on") {
            self.report(
                child(p, "decision"),
                "is needed: a decision day goes with the decision",
            );
        }
    }

    /// A task: its kind and the day it was opened are needed; it is not due, nor done,
    /// before it was opened; only a kind with a yes-or-no answer has `agreed`.
    fn task(&mut self, p: &str, v: &Value) {
        let fields = [
            "kind",
            "opened_on",
            "due_on",
            "done_on",
            "key_date",
            "about",
            "to",
            "by",
            "outcome",
            "agreed",
        ];
        let Some(t) = self.object(p, v, &fields) else {
            return;
        };
        let kind = self.enumeration::<TaskKind>(p, t, "kind", true);
        let opened = self.date(p, t, "opened_on", true);
        let due = self.date(p, t, "due_on", false);
        let done = self.date(p, t, "done_on", false);
        self.enumeration::<KeyDateKind>(p, t, "key_date", false);
        self.opt_text(p, t, "about");
        self.name(p, t, "to", false);
        self.reference(super::Kind::Officer, p, t, "by", false);
        self.opt_text(p, t, "outcome");
        self.boolean(p, t, "agreed");
        self.not_before(p, "due_on", due, "opened_on", opened);
        self.not_before(p, "done_on", done, "opened_on", opened);
        if let Some(kind) = kind
            && kind.answer().is_none()
            && t.get("agreed").is_some_and(|a| !a.is_null())
        {
            self.report(
                child(p, "agreed"),
                format!("a {} has no yes-or-no answer", kind.label()),
            );
        }
    }

    pub(super) fn case_casework(&mut self, path: &str, map: &Map<String, Value>) {
        if let Some((p, v)) = self.field_at(path, map, "restricted_patient", false) {
            let fields = [
                "known_on",
                "mhcs_registered_on",
                "tribunal_on",
                "representations_due",
                "representations_sent_on",
            ];
            if let Some(r) = self.object(&p, v, &fields) {
                let known = self.date(&p, r, "known_on", false);
                let registered = self.date(&p, r, "mhcs_registered_on", false);
                self.not_before(&p, "mhcs_registered_on", registered, "known_on", known);
                let tribunal = self.date(&p, r, "tribunal_on", false);
                let due = self.date(&p, r, "representations_due", false);
                self.date(&p, r, "representations_sent_on", false);
                if let (Some(due), Some(tribunal)) = (due, tribunal)
                    && due > tribunal
                {
                    self.report(
                        child(&p, "representations_due"),
                        format!("representations_due {due} is after tribunal_on {tribunal}"),
                    );
                }
            }
        }
        if let Some((p, v)) = self.field_at(path, map, "transferred", false)
            && let Some(t) = self.object(&p, v, &["on", "to_area"])
        {
            self.date(&p, t, "on", true);
            self.name(&p, t, "to_area", true);
        }
    }
}
