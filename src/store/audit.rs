//! The audit trail: who changed, consulted, disclosed or erased what, and when — ids and
//! field names, never their values.

use chrono::{DateTime, Local, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::reminders::Reminder;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub at: DateTime<Utc>,
    /// The OS user who made the change.
    pub user: String,
    /// What was done: `import`, `add-victim`, `update-victim`, `log-contact`, `snooze`,
    /// `reveal-contact-details`, `consult-victim`, `disclose`, `erase`, …
    pub action: String,
    /// The record it was done to.
    pub subject: Option<String>,
    /// What changed: field paths, counts or kinds. Never an address, phone or email.
    pub fields: Vec<String>,
    /// The victims it concerns besides `subject` (a disclosure's, an erasure's), by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub victims: Vec<String>,
    /// A disclosure of the whole store (an export): it concerns every victim in it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub everyone: bool,
}

/// One entry of the audit trail with its number (its place in the order of changes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    #[serde(flatten)]
    pub record: AuditRecord,
}

/// Which entries `vlu audit` lists: each given filter must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// Entries concerning this victim ([`AuditRecord::concerns`]).
    pub victim: Option<String>,
    /// Entries made by this OS user.
    pub user: Option<String>,
    /// Entries made on or after this day (local time).
    pub since: Option<NaiveDate>,
}

impl AuditQuery {
    pub fn matches(&self, r: &AuditRecord) -> bool {
        self.user.as_ref().is_none_or(|u| *u == r.user)
            && self
                .since
                .is_none_or(|d| r.at.with_timezone(&Local).date_naive() >= d)
            && self.victim.as_ref().is_none_or(|v| r.concerns(v))
    }
}

impl AuditRecord {
    /// What the entry says beyond its action and subject, as one line: the fields, and the
    /// victims it concerns (every victim, for an export; an erasure's are not listed).
    pub fn details(&self) -> String {
        let mut parts = self.fields.clone();
        if self.everyone {
            parts.push("every victim".into());
        } else if !self.victims.is_empty() && self.action != "erase" {
            parts.push(format!("victims: {}", self.victims.join(" ")));
        }
        parts.join("; ")
    }

    /// This entry as a subject access response shows it to `victim`: the other victims it
    /// names, and the lists of ids an import or an erasure gives, left out.
    #[must_use]
    pub fn as_seen_by(mut self, victim: &str) -> Self {
        self.victims.retain(|v| v == victim);
        if matches!(self.action.as_str(), "import" | "erase")
            && self.subject.as_deref() != Some(victim)
        {
            self.fields = vec![format!("{} including {victim}", self.action)];
        }
        self
    }

    /// Whether this entry is about `victim`: done to their record or log, to one of their
    /// reminders (a snooze), naming them among the victims it concerns or the ids an
    /// import replaced, or disclosing the whole store.
    pub fn concerns(&self, victim: &str) -> bool {
        if self.everyone || self.victims.iter().any(|v| v == victim) {
            return true;
        }
        if let Some(subject) = &self.subject
            && (subject == victim || Reminder::victim_in_identity(subject) == Some(victim))
        {
            return true;
        }
        // An import names the ids it replaced, and those it brought back after an erasure.
        self.action == "import"
            && self.fields.iter().any(|f| {
                ["replaced: ", "brought back: "].iter().any(|marker| {
                    f.split_once(marker)
                        .is_some_and(|(_, ids)| ids.split(' ').any(|id| id == victim))
                })
            })
    }
}

/// The paths of the fields that differ between two versions of a record (all of its fields
/// for a new one). Only names are returned, so an address change is recorded as
/// `contact_details.address`, never as the address.
pub fn changed_fields<T: Serialize>(before: Option<&T>, after: &T) -> Vec<String> {
    let after = serde_json::to_value(after).unwrap_or(Value::Null);
    let before = before.map_or(Value::Null, |b| {
        serde_json::to_value(b).unwrap_or(Value::Null)
    });
    let mut out = Vec::new();
    diff("", &before, &after, &mut out);
    out
}

fn diff(path: &str, before: &Value, after: &Value, out: &mut Vec<String>) {
    if before == after {
        return;
    }
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                diff(
                    &p,
                    b.get(k).unwrap_or(&Value::Null),
                    a.get(k).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        (Value::Null, Value::Object(a)) if path.is_empty() => out.extend(a.keys().cloned()),
        _ => out.push(path.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(action: &str, subject: Option<&str>, fields: &[&str]) -> AuditRecord {
        AuditRecord {
            at: Utc::now(),
            user: "sara".into(),
            action: action.into(),
            subject: subject.map(str::to_owned),
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
            victims: Vec::new(),
            everyone: false,
        }
    }

    #[test]
    fn an_entry_concerns_a_victim_by_subject_reminder_list_or_whole_store() {
        assert!(entry("consult-victim", Some("V-1"), &[]).concerns("V-1"));
        assert!(!entry("consult-victim", Some("V-10"), &[]).concerns("V-1"));
        assert!(entry("snooze", Some("annual_letter/V-1/-/-"), &[]).concerns("V-1"));
        let import = entry(
            "import",
            None,
            &["1 officers, 2 cases; replaced: C-1 V-1 V-2"],
        );
        assert!(import.concerns("V-2") && !import.concerns("V-3"));
        let mut disclosure = entry("disclose", None, &["calendar file"]);
        disclosure.victims = vec!["V-1".into(), "V-2".into()];
        assert!(disclosure.concerns("V-2") && !disclosure.concerns("V-3"));
        let shown = disclosure.as_seen_by("V-2");
        assert_eq!(shown.victims, ["V-2"], "another person's id is not shown");
        let shown = import.as_seen_by("V-1");
        assert_eq!(shown.fields, ["import including V-1"]);
        let mut export = entry("disclose", None, &["export"]);
        export.everyone = true;
        assert!(export.concerns("V-99"));
        let q = AuditQuery {
            victim: Some("V-1".into()),
            user: Some("james".into()),
            since: None,
        };
        assert!(!q.matches(&entry("consult-victim", Some("V-1"), &[])));
    }

    #[test]
    fn only_names_of_changed_fields_are_kept() {
        let before = json!({"name": "Joan", "contact_details": {"address": "1 Old Road", "phone": "07700 900001"}});
        let after = json!({"name": "Joan", "contact_details": {"address": "2 New Road", "phone": "07700 900001"}});
        let fields = changed_fields(Some(&before), &after);
        assert_eq!(fields, ["contact_details.address"]);
        assert!(!format!("{fields:?}").contains("New Road"));
        assert_eq!(
            changed_fields(None, &json!({"id": "V-1", "name": "J"})),
            ["id", "name"]
        );
    }
}
