//! `vlu check`: the store's integrity, and what it holds — the same sentence whether the
//! command line or the unit service holds the store — and the victims every rule has let
//! go, who need someone to decide what happens next, and the records the work is missing
//! (notices, not faults).

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::config::Config;
use crate::domain::enums::{
    Eligibility, LicenceCondition, LicenceOutcome, SentenceKind, TaskKind, VictimStatus,
};
use crate::domain::facts::LogFacts;
use crate::domain::model::{Case, Caseload};
use crate::domain::reminders::{Rules, adrift, last_heard, under_the_rules};
use crate::domain::text::plural;
use crate::error::Error;
use crate::store::Store;

/// The store's integrity on `today`, by the unit's configuration: a sentence saying it is
/// sound and what it holds, with any victims owed nothing by any rule; or the findings.
pub fn check_store(
    store: &Store,
    config: &Config,
    today: NaiveDate,
) -> Result<Result<String, Vec<String>>, Error> {
    let findings = store.check()?;
    if !findings.is_empty() {
        return Ok(Err(findings));
    }
    let c = store.load()?;
    let contacts: usize = c.victims.iter().map(|v| v.contacts.len()).sum();
    let mut sound = format!(
        "The store in {} is sound: schema {}, {}, {}, {}, {}.",
        store.kept_in(),
        crate::store::SCHEMA_VERSION,
        plural(c.officers.len(), "officer"),
        plural(c.cases.len(), "case"),
        plural(c.victims.len(), "victim"),
        plural(contacts, "contact"),
    );
    let lines = adrift_lines(&c, config, today);
    if !lines.is_empty() {
        let who = match lines.len() {
            1 => "1 victim is".to_owned(),
            n => format!("{n} victims are"),
        };
        let _ = write!(
            sound,
            "\n{who} still in the scheme with nothing due under any rule on {}: no diary will \
             name them again until someone changes their status or contacts them.",
            today.format("%-d %b %Y"),
        );
        for line in lines {
            sound.push_str("\n  ");
            sound.push_str(&line);
        }
    }
    for (heading, lines) in [
        (
            "Restricted patients whose case has no restricted-patient record: no diary asks for \
             the Mental Health Casework Section's registration or the tribunal's representations \
             until one is added (the case's casework, C).",
            cases_lacking(&c, true, |k| {
                k.sentence.kind == SentenceKind::RestrictedHospitalOrder
                    && k.restricted_patient.is_none()
            }),
        ),
        (
            "Unrestricted hospital orders with victims opted in and no handover to the hospital \
             managers on record (a hospital_handover task, the casework form, v).",
            cases_lacking(&c, true, |k| {
                k.sentence.kind == SentenceKind::HospitalOrder && !handed_over(&c, k)
            }),
        ),
        (
            "Victims whose eligibility does not match the sentence on record (statutory: a violent \
             or sexual offence with 12 months' custody or more, a life or indeterminate sentence, \
             or a hospital order): check the record or the decision.",
            eligibility_lines(&c),
        ),
        (
            "Cases with victims opted in and no Responsible Officer on record: risk and licence \
             requests have no one to go to (the case form, E).",
            cases_lacking(&c, false, |k| k.responsible_officer.is_none()),
        ),
        (
            "Exclusion zones asked for with no map on record: the Responsible Officer needs the \
             map before the licence is set (the casework form, v).",
            no_map_lines(&c),
        ),
    ] {
        if !lines.is_empty() {
            sound.push('\n');
            sound.push_str(heading);
            for line in lines {
                sound.push_str("\n  ");
                sound.push_str(&line);
            }
        }
    }
    Ok(Ok(sound))
}

/// The victims of `case` opted in and still under the rules, by id.
fn opted_in<'c>(c: &'c Caseload, case: &Case) -> Vec<&'c str> {
    c.victims
        .iter()
        .filter(|v| {
            v.case_id == case.id && v.status == VictimStatus::OptedIn && under_the_rules(v, case)
        })
        .map(|v| v.id.as_str())
        .collect()
}

/// One line for each case `lacks` something its work needs, with its victims opted in (ids
/// only: the output may go to a log), its sentence named where `sentence`; a case with none
/// opted in is left out.
fn cases_lacking(c: &Caseload, sentence: bool, lacks: impl Fn(&Case) -> bool) -> Vec<String> {
    c.cases
        .iter()
        .filter(|k| lacks(k))
        .filter_map(|k| {
            let opted = opted_in(c, k);
            let kind = if sentence {
                format!(" ({})", k.sentence.kind.label())
            } else {
                String::new()
            };
            (!opted.is_empty())
                .then(|| format!("case {}{kind}: opted in {}", k.id, opted.join(", ")))
        })
        .collect()
}

/// Whether any victim of an unrestricted hospital order's case has a `hospital_handover`
/// task: the hospital managers, not the unit, then tell the victim.
fn handed_over(c: &Caseload, case: &Case) -> bool {
    c.victims.iter().any(|v| {
        v.case_id == case.id
            && v.tasks
                .iter()
                .any(|t| t.kind == Some(TaskKind::HospitalHandover))
    })
}

/// One line for each victim in the scheme whose eligibility the sentence contradicts: a
/// statutory victim of a sentence that gives no statutory right, or a discretionary one of a
/// sentence that does (their offer then has 40 working days, not a discretionary decision).
fn eligibility_lines(c: &Caseload) -> Vec<String> {
    let cases: HashMap<&str, &Case> = c.cases.iter().map(|k| (k.id.as_str(), k)).collect();
    c.victims
        .iter()
        .filter_map(|v| {
            let case = cases.get(v.case_id.as_str())?;
            let statutory = case.statutory()?;
            let recorded = v.eligibility == Eligibility::Statutory;
            (under_the_rules(v, case) && statutory != recorded).then(|| {
                let months = case
                    .sentence
                    .custodial_months
                    .map_or(String::new(), |m| format!(", {m} months"));
                format!(
                    "{} ({}): case {} is a {} offence, {}{months}",
                    v.id,
                    v.eligibility.as_str(),
                    case.id,
                    case.offence.category.as_str(),
                    case.sentence.kind.as_str(),
                )
            })
        })
        .collect()
}

/// One line for each undecided exclusion-zone request with no map on record.
fn no_map_lines(c: &Caseload) -> Vec<String> {
    let cases: HashMap<&str, &Case> = c.cases.iter().map(|k| (k.id.as_str(), k)).collect();
    c.victims
        .iter()
        .filter(|v| {
            cases
                .get(v.case_id.as_str())
                .is_some_and(|k| under_the_rules(v, k))
        })
        .flat_map(|v| {
            v.licence_requests
                .iter()
                .enumerate()
                .filter(|(_, r)| {
                    r.condition == Some(LicenceCondition::ExclusionZone)
                        && r.map_file.is_none()
                        && r.outcome.is_none_or(|o| o == LicenceOutcome::Pending)
                })
                .map(move |(i, r)| {
                    let asked = r.requested_on.map_or(String::new(), |d| {
                        format!(", asked {}", d.format("%-d %b %Y"))
                    });
                    format!("{}: licence request {}{asked}", v.id, i + 1)
                })
        })
        .collect()
}

/// One line for each victim adrift: id, status, officer and when last heard of — never a
/// name or contact detail (the output may go to a log).
fn adrift_lines(c: &Caseload, config: &Config, today: NaiveDate) -> Vec<String> {
    let calendar = super::diary::calendar_of(c, config);
    let rules = Rules {
        calendar: &calendar,
        lead: &config.lead_times,
    };
    let cases: HashMap<&str, &Case> = c.cases.iter().map(|k| (k.id.as_str(), k)).collect();
    c.victims
        .iter()
        .filter_map(|v| {
            let case = cases.get(v.case_id.as_str())?;
            let facts = LogFacts::of(&v.contacts);
            adrift(v, &facts, case, today, rules).then(|| {
                format!(
                    "{} ({}, case {}): status {} since {}, last heard of or written to {}; \
                     officer {}",
                    v.id,
                    v.eligibility.as_str(),
                    v.case_id,
                    v.status.as_str(),
                    v.status_since.format("%-d %b %Y"),
                    last_heard(v, &facts).format("%-d %b %Y"),
                    v.allocated_to.as_deref().unwrap_or("none"),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three victims of three cases: statutory of a nine-month sentence, discretionary of a
    /// two-year one for a violent offence, statutory of a life sentence (sound).
    #[test]
    fn an_eligibility_the_sentence_contradicts_is_named() {
        let case = |id: &str, kind: &str, months: Option<u32>| {
            serde_json::json!({ "id": id, "offender": { "name": "A" },
                "offence": { "category": "violent" },
                "sentence": { "kind": kind, "imposed_on": "2026-01-05", "custodial_months": months } })
        };
        let victim = |id: &str, case: &str, eligibility: &str| {
            serde_json::json!({ "id": id, "case_id": case, "name": "B", "role": "victim",
                "eligibility": eligibility, "referred_on": "2026-01-10", "status": "referred",
                "status_since": "2026-01-10" })
        };
        let c: Caseload = serde_json::from_value(serde_json::json!({
            "format": "vlu-caseload", "version": 1,
            "cases": [case("C-1", "sds", Some(9)), case("C-2", "sds", Some(24)),
                      case("C-3", "life", None)],
            "victims": [victim("V-1", "C-1", "statutory"), victim("V-2", "C-2", "discretionary"),
                        victim("V-3", "C-3", "statutory")]
        }))
        .unwrap();
        assert_eq!(
            eligibility_lines(&c),
            [
                "V-1 (statutory): case C-1 is a violent offence, sds, 9 months",
                "V-2 (discretionary): case C-2 is a violent offence, sds, 24 months",
            ]
        );
    }
}
