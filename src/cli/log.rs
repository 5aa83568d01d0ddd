//! `vlu log`: one entry in a victim's contact log from the command line — what the screens'
//! log-a-contact form does, with the same checks and the same status moves, in one atomic
//! write with its audit entry. For administrators and scripts: a unit's mail merge records
//! the letters it posted.

use std::io::Read;

use chrono::NaiveDate;

use super::Env;
use crate::domain::validate::{KnownIds, contact_from_text};
use crate::error::Error;
use crate::unit::api::UnitStore;
use crate::unit::command::Command;

/// What `vlu log` was given (the comments are its help, so they name values plainly).
#[allow(
    clippy::doc_markdown,
    reason = "the doc comments are the command's help text"
)]
#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// The victim. E.g. --victim V-0001
    #[arg(long, value_name = "ID")]
    pub victim: String,
    /// What the contact was. E.g. --kind initial_offer (or update, annual_letter, opt_in)
    #[arg(long, value_name = "KIND", value_parser = super::values::as_typed(|| crate::domain::enums::ContactKind::IDS.to_vec()), hide_possible_values = true)]
    pub kind: String,
    /// How. E.g. --method letter (or phone, email, visit)
    #[arg(long, value_name = "METHOD", value_parser = super::values::as_typed(|| crate::domain::enums::Medium::IDS.to_vec()), hide_possible_values = true)]
    pub method: String,
    /// outbound (to the victim), inbound (from them) or internal. E.g. --direction outbound
    #[arg(long, value_name = "DIRECTION", value_parser = super::values::as_typed(|| crate::domain::enums::Direction::IDS.to_vec()), hide_possible_values = true)]
    pub direction: String,
    /// The day it happened (default: today). E.g. --on 2026-11-30
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub on: Option<NaiveDate>,
    /// The time, UK local. E.g. --at 14:30
    #[arg(long, value_name = "HH:MM")]
    pub at: Option<String>,
    /// The key date it was about. E.g. --key-date crd
    #[arg(long, value_name = "KIND", value_parser = super::values::as_typed(|| crate::domain::enums::KeyDateKind::IDS.to_vec()), hide_possible_values = true)]
    pub key_date: Option<String>,
    /// What was said or sent; - reads it from standard input. E.g. --summary "Offer posted"
    #[arg(long, value_name = "TEXT|-")]
    pub summary: Option<String>,
    /// For a letter or email: the call, visit, meeting or video it confirms in writing, by its
    /// number in the victim's log (`V-0001#7` is 7); it answers that call only. E.g. --follows 7
    #[arg(long, value_name = "ENTRY", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub follows: Option<u32>,
    /// Who a report went to (on a risk_report above all), or the agency an agency contact was with (its answer then ends only the chase of reports to that agency). E.g. --to "Responsible Officer"
    #[arg(long, value_name = "TEXT")]
    pub to: Option<String>,
}

/// The entry's summary: as given, or read from standard input (`-`).
fn summary_of(args: &LogArgs) -> Result<Option<String>, Error> {
    Ok(match args.summary.as_deref() {
        Some("-") => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|source| Error::Read {
                    path: "-".into(),
                    source,
                })?;
            Some(text.replace("\r\n", "\n").trim_end().to_owned())
        }
        other => other.map(str::to_owned),
    })
}

/// The entry the options describe, checked as an import checks one; every problem named by
/// its option.
fn contact_of(
    fields: [(&str, Option<&str>); 8],
    officers: &[crate::domain::model::Officer],
) -> Result<crate::domain::model::Contact, Error> {
    let known = KnownIds {
        officers: officers.iter().map(|o| o.id.clone()).collect(),
        ..KnownIds::default()
    };
    contact_from_text(fields, &known).map_err(|problems| {
        Error::Usage(
            problems
                .iter()
                .map(|p| format!("--{}: {}", p.path.replace('_', "-"), p.message))
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}

/// Logs the contact; prints the new entry's identity (`V-0001#7`: the victim and the
/// entry's number in their log) and any status it moved.
pub fn log(env: &Env, args: &LogArgs) -> Result<(), Error> {
    let summary = summary_of(args)?;
    let Some(service) = env.service()? else {
        return Err(Error::Usage(format!(
            "there is no store in {}",
            env.data_dir.display()
        )));
    };
    let digest = service.load_digest()?;
    let officer = env.config.officer_for(&env.user);
    let by = digest
        .caseload
        .officers
        .iter()
        .any(|o| o.id == officer)
        .then_some(officer);
    let on = args
        .on
        .unwrap_or_else(|| chrono::Local::now().date_naive())
        .to_string();
    let fields = [
        ("on", Some(on.as_str())),
        ("at", args.at.as_deref()),
        ("kind", Some(args.kind.as_str())),
        ("method", Some(args.method.as_str())),
        ("direction", Some(args.direction.as_str())),
        ("key_date", args.key_date.as_deref()),
        ("summary", summary.as_deref()),
        ("by", by),
    ];
    let mut contact = contact_of(fields, &digest.caseload.officers)?;
    contact.follows = args.follows.map(|n| n as usize);
    contact.to = args
        .to
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    let Some(status) = service.victim(&args.victim)?.map(|v| v.status) else {
        return Err(Error::Usage(format!("there is no victim {}", args.victim)));
    };
    let saved = service.execute(&Command::LogContact {
        victim: args.victim.clone(),
        contact,
    })?;
    let entry = saved.changed.entry.unwrap_or_default();
    let after = saved.fresh.victims.first().map(|v| v.status);
    match after {
        Some(now) if now != status => {
            let said = format!(
                "{}#{entry} (status: {} → {})",
                args.victim,
                status.label(),
                now.label()
            );
            say!("{}", super::plain::for_people(&said));
        }
        _ => say!("{}#{entry}", args.victim),
    }
    Ok(())
}
