//! Data protection from the command line: `vlu retention` (what falls due for erasure),
//! `vlu erase` (administrators), `vlu audit` (the audit trail, administrators). `vlu sar`
//! is in [`super::sar`].

use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal, Write};

use chrono::{Local, NaiveDate};
use clap::{Args, ValueEnum};
use serde::Serialize;

use super::{Env, write_stdout};
use crate::domain::retention::{Due, Reason, Target, falling_due};
use crate::domain::text::plural;
use crate::domain::text::visible;
use crate::error::Error;
use crate::service::client::Client;
use crate::store::{AuditEntry, AuditQuery, StoreError};
use crate::unit::api::{UnitAdmin, UnitStore};

/// `vlu retention`'s options.
#[derive(Debug, Args)]
pub struct RetentionArgs {
    /// The day to look from (default: today). E.g. --date 2027-01-01
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    date: Option<NaiveDate>,
    /// How to write it: text for people, json for programs.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
}

/// `vlu erase`'s options: one victim or one case.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("target").required(true))]
pub struct EraseArgs {
    /// The victim to erase, with their contact log. E.g. --victim V-0004
    #[arg(long, value_name = "ID", group = "target")]
    victim: Option<String>,
    /// The case to erase, with every victim of it. E.g. --case C-2017-009
    #[arg(long, value_name = "ID", group = "target")]
    case: Option<String>,
    /// Why: a retention rule made it due, the person asked, or it was recorded in error.
    #[arg(long, value_enum, default_value_t = ReasonArg::Retention)]
    reason: ReasonArg,
    /// Do not ask for confirmation (for scripts). E.g. vlu erase --victim V-0004 --yes
    #[arg(long)]
    yes: bool,
    /// Take it out of every backup too: each backup holding it is rewritten without it (or
    /// removed, if it is not this unit's signed backup). E.g. vlu erase --victim V-0004
    /// --reason request --purge-backups
    #[arg(long)]
    purge_backups: bool,
}

/// `vlu audit`'s filters and format.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only entries about this victim. E.g. --victim V-0001
    #[arg(long, value_name = "ID")]
    victim: Option<String>,
    /// Only entries made by this OS user. E.g. --user sahmed
    #[arg(long, value_name = "NAME")]
    user: Option<String>,
    /// Only entries made on or after this day. E.g. --since 2026-11-01
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    since: Option<NaiveDate>,
    /// How to write it: text for people, json for programs.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
}

/// How a list is written: for people, or as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

/// Why an erasure is made, as `--reason` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReasonArg {
    /// A retention rule made it fall due (`vlu retention` lists it).
    Retention,
    /// The person asked for erasure, and the unit agreed.
    Request,
    /// It was recorded in error (a wrong referral, a duplicate).
    Error,
}

/// A service's answer, or the sentence saying there is no store to ask.
fn asked<T>(env: &Env, ask: impl Fn(&Client) -> Result<T, StoreError>) -> Result<T, Error> {
    env.with_service(ask)?
        .ok_or_else(|| Error::Usage(format!("there is no store in {}", env.data_dir.display())))
}

/// What falls due for erasure on `date` under the configured rules.
fn due_on(env: &Env, date: NaiveDate) -> Result<Vec<Due>, Error> {
    if !env.config.retention.any() {
        return Ok(Vec::new());
    }
    let digest = asked(env, Client::load_digest)?;
    Ok(falling_due(
        digest.joined(),
        &digest.caseload.cases,
        &env.config.retention,
        date,
    ))
}

#[derive(Serialize)]
struct JsonRetention<'a> {
    date: NaiveDate,
    /// Whether any rule is configured.
    rules: bool,
    due: &'a [Due],
}

/// `vlu retention`: each victim or case due for erasure, with the rule that applies.
pub(super) fn retention(env: &Env, args: &RetentionArgs) -> Result<(), Error> {
    let format = args.format;
    let date = args.date.unwrap_or_else(|| Local::now().date_naive());
    let due = due_on(env, date)?;
    let rules = env.config.retention.any();
    if format == ListFormat::Json {
        let json = JsonRetention {
            date,
            rules,
            due: &due,
        };
        return super::write_json(&json, None, true);
    }
    let mut text = String::new();
    if !rules {
        text.push_str(
            "No retention rules are configured, so nothing falls due for erasure: a unit sets \
             them under [retention] in its configuration (see docs/DATA-PROTECTION.md).\n",
        );
    } else if due.is_empty() {
        let _ = writeln!(text, "Nothing is due for erasure on {date}.");
    } else {
        let _ = writeln!(
            text,
            "Due for erasure on {date} under the unit's retention rules: {}",
            plural(due.len(), "record")
        );
        for d in &due {
            let with = match &d.target {
                Target::Case(_) if d.victims.is_empty() => " (no victims left)".to_owned(),
                Target::Case(_) => format!(" with {}", victims_listed(&d.victims)),
                Target::Victim(_) => String::new(),
            };
            let _ = writeln!(
                text,
                "  {:<6} {:<14} due {}  {} from {} ({}){}",
                d.target.noun(),
                visible(d.target.id()),
                d.due,
                d.rule.describe(d.years),
                d.since,
                d.rule.key(),
                with
            );
        }
        text.push_str(
            "Erase each with vlu erase --victim ID or --case ID (administrators; a case goes \
             with its victims).\n",
        );
    }
    write_stdout(|w| w.write_all(text.as_bytes()))
}

/// "1 entry", "3 entries".
pub(super) fn entries(n: usize) -> String {
    crate::domain::text::counted(n, "entry", "entries")
}

fn victims_listed(ids: &[String]) -> String {
    let noun = if ids.len() == 1 { "victim" } else { "victims" };
    format!("{noun} {}", visible(&ids.join(", ")))
}

/// `vlu erase`: a victim, or a case with every victim of it, erased for good once the
/// administrator confirms (on a terminal, or `--yes`).
pub(super) fn erase(env: &Env, args: &EraseArgs) -> Result<(), Error> {
    let target = &match (&args.victim, &args.case) {
        (Some(v), _) => Target::Victim(v.clone()),
        (None, Some(c)) => Target::Case(c.clone()),
        (None, None) => {
            return Err(Error::Usage(
                "name what to erase: --victim ID or --case ID".into(),
            ));
        }
    };
    let reason = match args.reason {
        ReasonArg::Request => Reason::Request,
        ReasonArg::Error => Reason::Error,
        ReasonArg::Retention => retention_reason(env, target)?,
    };
    let what = describe(env, target)?;
    if !args.yes {
        confirm(target, &what)?;
    }
    let erased = asked(env, |c| {
        c.erase_everywhere(target, reason, args.purge_backups)
    })?;
    say!(
        "Erased {} {}: {}, {} of contact log and {}; reason: {reason}. The audit trail \
         keeps entry #{}, which names only the ids.",
        target.noun(),
        visible(target.id()),
        plural(erased.victims.len(), "victim"),
        entries(erased.contacts),
        plural(erased.snoozes, "snooze"),
        erased.seq
    );
    match erased.purged {
        Some(p) => say!(
            "Backups: {} rewritten without it, {} removed (not this unit's signed backups), {} \
             holding none of it left as they were. Its bytes may stay on the disk's free space \
             until they are written over.",
            p.rewritten,
            p.removed,
            p.untouched
        ),
        None => say!(
            "What this does not reach: the backups taken before now still hold it until they \
             are replaced (vlu erase --purge-backups takes it out of them), and the store's \
             file may keep its bytes until they are written over (docs/DATA-PROTECTION.md)."
        ),
    }
    Ok(())
}

/// The retention rule that makes `target` due today, or why it cannot be erased for one.
fn retention_reason(env: &Env, target: &Target) -> Result<Reason, Error> {
    let today = Local::now().date_naive();
    let due = due_on(env, today)?;
    let found = due.iter().find(|d| match target {
        Target::Case(_) => d.target == *target,
        // A victim of a case that is due may go alone, under the case's rule.
        Target::Victim(v) => d.target == *target || d.victims.contains(v),
    });
    match found {
        Some(d) => Ok(Reason::Retention {
            rule: d.rule,
            years: d.years,
        }),
        None => Err(Error::Usage(format!(
            "{} {} is not due for erasure under the unit's retention rules (vlu retention \
             lists what is); if it must be erased now, say why: --reason request (the person \
             asked) or --reason error (recorded in error)",
            target.noun(),
            visible(target.id())
        ))),
    }
}

/// What the erasure would take, in words, for the confirmation (the store refuses an id it
/// does not hold).
fn describe(env: &Env, target: &Target) -> Result<String, Error> {
    match target {
        Target::Victim(id) => {
            let victim = asked(env, |c| c.victim(id))?
                .ok_or_else(|| Error::Usage(format!("there is no victim {}", visible(id))))?;
            Ok(format!(
                "victim {} ({}, of case {}) with their contact log of {}, their snoozes and \
                 their place in the diary",
                visible(id),
                visible(&victim.name),
                visible(&victim.case_id),
                entries(victim.contacts.len())
            ))
        }
        Target::Case(id) => {
            let digest = asked(env, Client::load_digest)?;
            if !digest.caseload.cases.iter().any(|c| c.id == *id) {
                return Err(Error::Usage(format!("there is no case {}", visible(id))));
            }
            let victims: Vec<&str> = digest
                .caseload
                .victims
                .iter()
                .filter(|v| v.case_id == *id)
                .map(|v| v.id.as_str())
                .collect();
            Ok(format!(
                "case {} with {}, their contact logs and snoozes",
                visible(id),
                if victims.is_empty() {
                    "no victims".to_owned()
                } else {
                    format!(
                        "{} ({})",
                        plural(victims.len(), "victim"),
                        visible(&victims.join(", "))
                    )
                }
            ))
        }
    }
}

/// Asks on the terminal for the id to be typed back; refuses without a terminal.
fn confirm(target: &Target, what: &str) -> Result<(), Error> {
    if !std::io::stdin().is_terminal() {
        return Err(Error::Usage(
            "erasing asks for confirmation on a terminal; to erase from a script, add --yes".into(),
        ));
    }
    eprint!(
        "This erases {what}, for good: it cannot be undone. Type {} to confirm: ",
        visible(target.id())
    );
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|source| Error::Read {
            path: "the terminal".into(),
            source,
        })?;
    if line.trim() == target.id() {
        Ok(())
    } else {
        Err(Error::Usage("not confirmed; nothing was erased".into()))
    }
}

#[derive(Serialize)]
struct JsonAudit<'a> {
    entries: &'a [AuditEntry],
}

/// `vlu audit`: the audit trail, or the part of it a filter asks for, oldest first.
pub(super) fn audit(env: &Env, args: &AuditArgs) -> Result<(), Error> {
    let query = AuditQuery {
        victim: args.victim.clone(),
        user: args.user.clone(),
        since: args.since,
    };
    let entries = asked(env, |c| c.audit(&query))?;
    if args.format == ListFormat::Json {
        return super::write_json(&JsonAudit { entries: &entries }, None, true);
    }
    let mut text = String::new();
    if entries.is_empty() {
        text.push_str("No audit entries match.\n");
    }
    for e in &entries {
        text.push_str(&audit_line(e));
        text.push('\n');
    }
    write_stdout(|w| w.write_all(text.as_bytes()))
}

/// One entry as a line ([`crate::unit::audit::line`]).
pub(super) fn audit_line(e: &AuditEntry) -> String {
    crate::unit::audit::line(e, crate::unit::audit::Width::Full)
}
