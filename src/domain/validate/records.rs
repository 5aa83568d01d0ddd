//! The records of a caseload file, field by field: which fields each may have, which are
//! required, and what each must hold (FORMAT.md §2).

use serde_json::{Map, Value};

use super::{Kind, Walker, child};
use crate::domain::enums::{
    ContactKind, ContactMethod, Direction, EQUALITY_KEYS, Eligibility, InformationLevel,
    KeyDateKind, LicenceCondition, LicenceOutcome, Medium, OffenceCategory, OfficerRole,
    SentenceKind, VictimRole, VictimStatus,
};
use crate::domain::model::{FORMAT_NAME, FORMAT_VERSION};

impl Walker {
    pub(super) fn caseload(&mut self, v: &Value) {
        let fields = [
            "format",
            "version",
            "unit",
            "officers",
            "extra_non_working_days",
            "cases",
            "victims",
        ];
        let Some(map) = self.object("", v, &fields) else {
            return;
        };
        if let Some((p, v)) = self.field_at("", map, "format", true)
            && v.as_str() != Some(FORMAT_NAME)
        {
            self.report(
                p,
                format!("expected \"{FORMAT_NAME}\"; this is not a vlu caseload file"),
            );
        }
        if let Some((p, v)) = self.field_at("", map, "version", true)
            && v.as_u64() != Some(u64::from(FORMAT_VERSION))
        {
            self.report(
                p,
                format!("unsupported version (this vlu reads version {FORMAT_VERSION})"),
            );
        }
        if let Some((p, v)) = self.field_at("", map, "unit", false)
            && let Some(unit) = self.object(&p, v, &["name"])
        {
            self.name(&p, unit, "name", false);
        }
        for (p, v) in self.list("", map, "officers") {
            self.officer(&p, v);
        }
        for (p, v) in self.list("", map, "extra_non_working_days") {
            self.date_value(&p, v);
        }
        for (p, v) in self.list("", map, "cases") {
            self.case(&p, v);
        }
        for (p, v) in self.list("", map, "victims") {
            self.victim(&p, v);
        }
    }

    pub(super) fn officer(&mut self, path: &str, v: &Value) {
        let Some(map) = self.object(path, v, &["id", "name", "role", "phone", "email"]) else {
            return;
        };
        self.declare(Kind::Officer, path, map);
        self.name(path, map, "name", true);
        self.enumeration::<OfficerRole>(path, map, "role", false);
        self.opt_text(path, map, "phone");
        self.opt_text(path, map, "email");
    }

    pub(super) fn case(&mut self, path: &str, v: &Value) {
        let fields = [
            "id",
            "offender",
            "offence",
            "sentence",
            "responsible_officer",
            "mappa",
            "sex_offender_notification",
            "key_dates",
            "closed_on",
        ];
        let fields = [&fields[..], &super::casework::CASE_FIELDS[..]].concat();
        let Some(map) = self.object(path, v, &fields) else {
            return;
        };
        self.declare(Kind::Case, path, map);
        if let Some((p, v)) = self.field_at(path, map, "offender", true)
            && let Some(o) = self.object(
                &p,
                v,
                &["name", "aliases", "dob", "prison_number", "location"],
            )
        {
            self.name(&p, o, "name", true);
            for (ap, a) in self.list(&p, o, "aliases") {
                if let Some(s) = self.text(&ap, a)
                    && s.trim().is_empty()
                {
                    self.report(ap, "must not be blank");
                }
            }
            self.date(&p, o, "dob", false);
            self.opt_text(&p, o, "prison_number");
            self.opt_text(&p, o, "location");
        }
        if let Some((p, v)) = self.field_at(path, map, "offence", true)
            && let Some(o) = self.object(&p, v, &["description", "category", "specified"])
        {
            self.opt_text(&p, o, "description");
            self.enumeration::<OffenceCategory>(&p, o, "category", true);
            self.boolean(&p, o, "specified");
        }
        if let Some((p, v)) = self.field_at(path, map, "sentence", true)
            && let Some(s) =
                self.object(&p, v, &["kind", "imposed_on", "custodial_months", "court"])
        {
            self.enumeration::<SentenceKind>(&p, s, "kind", true);
            self.date(&p, s, "imposed_on", true);
            self.whole_number(&p, s, "custodial_months", 0..=1200);
            self.opt_text(&p, s, "court");
        }
        if let Some((p, v)) = self.field_at(path, map, "responsible_officer", false)
            && let Some(r) = self.object(&p, v, &["name", "team", "phone", "email"])
        {
            for key in ["name", "team", "phone", "email"] {
                self.opt_text(&p, r, key);
            }
        }
        if let Some((p, v)) = self.field_at(path, map, "mappa", false)
            && let Some(m) = self.object(&p, v, &["category", "level"])
        {
            self.whole_number(&p, m, "category", 1..=4);
            self.whole_number(&p, m, "level", 1..=3);
        }
        self.boolean(path, map, "sex_offender_notification");
        for (p, v) in self.list(path, map, "key_dates") {
            if let Some(k) = self.object(&p, v, &["kind", "date", "confirmed", "note"]) {
                self.enumeration::<KeyDateKind>(&p, k, "kind", true);
                self.date(&p, k, "date", true);
                self.boolean(&p, k, "confirmed");
                self.opt_text(&p, k, "note");
            }
        }
        self.date(path, map, "closed_on", false);
        self.case_casework(path, map);
    }

    fn contact_details(&mut self, path: &str, map: &Map<String, Value>) {
        if let Some((p, v)) = self.field_at(path, map, "contact_details", false)
            && let Some(c) = self.object(&p, v, &["address", "phone", "email"])
        {
            for key in ["address", "phone", "email"] {
                self.opt_text(&p, c, key);
            }
        }
    }

    pub(super) fn victim(&mut self, path: &str, v: &Value) {
        let fields = [
            "id",
            "case_id",
            "name",
            "role",
            "eligibility",
            "referred_on",
            "status",
            "status_since",
            "allocated_to",
            "contact_details",
            "preferences",
            "needs",
            "representative",
            "equality",
            "licence_requests",
            "sensitive_dates",
            "contacts",
        ];
        let fields = [&fields[..], &super::casework::VICTIM_FIELDS[..]].concat();
        let Some(map) = self.object(path, v, &fields) else {
            return;
        };
        self.declare(Kind::Victim, path, map);
        self.reference(Kind::Case, path, map, "case_id", true);
        self.name(path, map, "name", true);
        self.enumeration::<VictimRole>(path, map, "role", true);
        self.enumeration::<Eligibility>(path, map, "eligibility", true);
        let referred = self.date(path, map, "referred_on", true);
        self.enumeration::<VictimStatus>(path, map, "status", true);
        let since = self.date(path, map, "status_since", true);
        if let (Some(referred), Some(since)) = (referred, since)
            && since < referred
        {
            self.report(
                child(path, "status_since"),
                format!("status_since {since} is before referred_on {referred}"),
            );
        }
        self.reference(Kind::Officer, path, map, "allocated_to", false);
        self.contact_details(path, map);
        self.victim_about(path, map);
        self.victim_lists(path, map);
        self.victim_casework(path, map);
    }

    /// A victim's preferences, needs, representative and equality data.
    fn victim_about(&mut self, path: &str, map: &Map<String, Value>) {
        if let Some((p, v)) = self.field_at(path, map, "preferences", false)
            && let Some(pr) = self.object(&p, v, &["method", "information", "written_follow_up"])
        {
            self.enumeration::<ContactMethod>(&p, pr, "method", false);
            self.enumeration::<InformationLevel>(&p, pr, "information", false);
            self.boolean(&p, pr, "written_follow_up");
        }
        if let Some((p, v)) = self.field_at(path, map, "needs", false)
            && let Some(n) = self.object(&p, v, &["language", "interpreter", "notes"])
        {
            self.opt_text(&p, n, "language");
            self.boolean(&p, n, "interpreter");
            self.opt_text(&p, n, "notes");
        }
        if let Some((p, v)) = self.field_at(path, map, "representative", false)
            && let Some(r) = self.object(&p, v, &["name", "relationship", "contact_details"])
        {
            self.name(&p, r, "name", false);
            self.opt_text(&p, r, "relationship");
            self.contact_details(&p, r);
        }
        if let Some((p, v)) = self.field_at(path, map, "equality", false)
            && let Some(e) = self.object(&p, v, EQUALITY_KEYS)
        {
            for key in EQUALITY_KEYS {
                self.opt_text(&p, e, key);
            }
        }
    }

    /// A victim's licence requests, sensitive dates and contact log.
    fn victim_lists(&mut self, path: &str, map: &Map<String, Value>) {
        for (p, v) in self.list(path, map, "licence_requests") {
            let fields = [
                "condition",
                "details",
                "requested_on",
                "outcome",
                "outcome_on",
            ];
            let fields = [&fields[..], &super::casework::LICENCE_FIELDS[..]].concat();
            if let Some(l) = self.object(&p, v, &fields) {
                self.enumeration::<LicenceCondition>(&p, l, "condition", false);
                self.opt_text(&p, l, "details");
                let requested = self.date(&p, l, "requested_on", false);
                self.enumeration::<LicenceOutcome>(&p, l, "outcome", false);
                let decided = self.date(&p, l, "outcome_on", false);
                self.licence_casework(&p, l, requested, decided);
            }
        }
        for (p, v) in self.list(path, map, "sensitive_dates") {
            if let Some(s) = self.object(&p, v, &["date", "label", "yearly"]) {
                self.date(&p, s, "date", false);
                self.opt_text(&p, s, "label");
                self.boolean(&p, s, "yearly");
            }
        }
        for (p, v) in self.list(path, map, "contacts") {
            self.contact(&p, v);
        }
    }

    pub(super) fn contact(&mut self, path: &str, v: &Value) {
        let fields = [
            "on",
            "at",
            "kind",
            "method",
            "direction",
            "summary",
            "by",
            "key_date",
            "corrects",
            "follows",
            "to",
        ];
        let Some(map) = self.object(path, v, &fields) else {
            return;
        };
        // vlu's own: which entry a correction corrects, and what it should have said.
        if let Some((p, c)) = self.field_at(path, map, "corrects", false)
            && let Some(corrects) = self.object(&p, c, &["entry", "kind", "on"])
        {
            if corrects.get("entry").is_none() {
                self.report(format!("{p}.entry"), "missing required field");
            }
            self.whole_number(&p, corrects, "entry", 1..=1_000_000);
            self.enumeration::<ContactKind>(&p, corrects, "kind", false);
            self.date(&p, corrects, "on", false);
        }
        self.date(path, map, "on", true);
        self.time(path, map, "at");
        self.enumeration::<ContactKind>(path, map, "kind", true);
        self.enumeration::<Medium>(path, map, "method", true);
        self.enumeration::<Direction>(path, map, "direction", true);
        self.opt_text(path, map, "summary");
        self.reference(Kind::Officer, path, map, "by", false);
        self.enumeration::<KeyDateKind>(path, map, "key_date", false);
        let kind = map
            .get("kind")
            .and_then(Value::as_str)
            .and_then(ContactKind::parse);
        // vlu's own: an outcome received is the outcome of a key date, which it must name.
        if kind == Some(ContactKind::Outcome) && map.get("key_date").is_none_or(Value::is_null) {
            self.report(
                child(path, "key_date"),
                "an outcome names the key date it is the outcome of (parole_hearing, appeal, …)",
            );
        }
        // vlu's own: a referral goes to a service, not to the victim (an outbound contact
        // would count as one with the victim, and put off the annual letter).
        if kind == Some(ContactKind::Referral)
            && map.get("direction").and_then(Value::as_str) == Some(Direction::Outbound.as_str())
        {
            self.report(
                child(path, "direction"),
                "a referral goes to a service, not to the victim: internal (or inbound, if the victim asked for it)",
            );
        }
        // vlu's own: which call a letter confirms in writing.
        self.whole_number(path, map, "follows", 1..=1_000_000);
        // vlu's own: who a report went to.
        self.opt_text(path, map, "to");
    }
}
