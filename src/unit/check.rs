//! `vlu check`: the store's integrity, and what it holds — the same sentence whether the
//! command line or the unit service holds the store — and the victims every rule has let
//! go, who need someone to decide what happens next (a notice, not a fault).

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::config::Config;
use crate::domain::enums::{SentenceKind, VictimStatus};
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
    let unregistered = unregistered_lines(&c);
    if !unregistered.is_empty() {
        sound.push_str(
            "\nRestricted patients whose case has no restricted-patient record: no diary asks for \
             the Mental Health Casework Section's registration or the tribunal's representations \
             until one is added (the case form, E).",
        );
        for line in unregistered {
            sound.push_str("\n  ");
            sound.push_str(&line);
        }
    }
    Ok(Ok(sound))
}

/// One line for each case of a restricted hospital order with a victim opted in and no
/// restricted-patient record (vlu's own, which starts the MHCS and tribunal clocks): ids only.
fn unregistered_lines(c: &Caseload) -> Vec<String> {
    c.cases
        .iter()
        .filter(|k| {
            k.sentence.kind == SentenceKind::RestrictedHospitalOrder
                && k.restricted_patient.is_none()
        })
        .filter_map(|k| {
            let opted: Vec<&str> = c
                .victims
                .iter()
                .filter(|v| {
                    v.case_id == k.id && v.status == VictimStatus::OptedIn && under_the_rules(v, k)
                })
                .map(|v| v.id.as_str())
                .collect();
            (!opted.is_empty()).then(|| {
                format!(
                    "case {} (restricted hospital order): opted in {}",
                    k.id,
                    opted.join(", ")
                )
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
