//! The audit trail: who changed what, and when — field names, never their values.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub at: DateTime<Utc>,
    /// The OS user who made the change.
    pub user: String,
    /// What was done: `import`, `add-victim`, `update-victim`, `log-contact`, `snooze`, …
    pub action: String,
    /// The record it was done to.
    pub subject: Option<String>,
    /// What changed: field paths, counts or kinds. Never an address, phone or email.
    pub fields: Vec<String>,
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
