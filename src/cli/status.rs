//! `vlu status`: one line for a shell prompt or a login banner.

use chrono::NaiveDate;
use clap::ValueEnum;
use serde::Serialize;

use super::{Env, diary_items, write_stdout};
use crate::domain::reminders::DiaryQuery;
use crate::error::Error;
use crate::store::StoreError;
use crate::unit::status::Counts;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Text,
    Json,
}

#[derive(Serialize)]
struct JsonStatus<'a> {
    date: NaiveDate,
    officer: Option<&'a str>,
    #[serde(flatten)]
    counts: Counts,
}

pub(super) fn status(
    env: &Env,
    date: Option<NaiveDate>,
    all: bool,
    format: StatusFormat,
) -> Result<(), Error> {
    let date = date.unwrap_or_else(|| chrono::Local::now().date_naive());
    let officer = if all {
        None
    } else {
        Some(env.config.officer_for(&env.user))
    };
    let asked = env.with_service(|service| {
        service.status(env.query(date, env.config.lead_times.due_soon_days, officer))
    });
    let counted = match asked {
        Ok(Some((overdue, today, this_week))) => Ok(Counts {
            overdue,
            today,
            this_week,
        }),
        Ok(None) => local_counts(env, date, officer),
        Err(e) => Err(e),
    };
    let counts = match counted {
        Ok(counts) => counts,
        // Someone who is no officer of the unit has no count: a failure (exit 1) with one
        // sentence. A shell prompt that must never fail runs `vlu status 2>/dev/null || true`.
        Err(
            Error::Usage(_) | Error::Store(StoreError::Refused(_) | StoreError::Forbidden { .. }),
        ) if officer.is_some() => {
            return Err(Error::NotAnOfficer {
                user: env.user.clone(),
                dir: env.data_dir.clone(),
            });
        }
        Err(e) => return Err(e),
    };
    let line = match format {
        StatusFormat::Json => {
            let json = JsonStatus {
                date,
                officer,
                counts,
            };
            serde_json::to_string(&json).expect("counts always serialise") + "\n"
        }
        StatusFormat::Text if counts.is_empty() => String::new(),
        StatusFormat::Text => format!(
            "{} overdue · {} today · {} this week\n",
            counts.overdue, counts.today, counts.this_week
        ),
    };
    let line = super::plain::for_people(&line);
    write_stdout(|w| w.write_all(line.as_bytes()))
}

/// The counts worked out here, from the store itself.
fn local_counts(env: &Env, date: NaiveDate, officer: Option<&str>) -> Result<Counts, Error> {
    let query = DiaryQuery {
        date,
        days: env.config.lead_times.due_soon_days,
        officer,
    };
    let (digest, snoozes, items) = diary_items(env, &query)?;
    let counts = Counts::of(&items, &snoozes, date);
    std::mem::forget((digest, items));
    Ok(counts)
}
