//! `vlu urgent`: the page the officer on call reads when an offender escapes or absconds —
//! each escape not yet told to its victims, whoever's victims they are, and who to call.
//! The victims' phone numbers are shown, so each one shown is a reveal, recorded in the
//! audit trail as the screens' `r` is.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Env;
use crate::domain::enums::{DiaryStatus, TaskKind};
use crate::domain::model::{Case, Victim};
use crate::domain::reminders::DiaryItem;
use crate::domain::text::visible;
use crate::error::Error;
use crate::unit::api::UnitStore;
use crate::unit::lens::Filter;
use crate::unit::window::Ask;

/// `vlu urgent`: every escape not yet told, by case, with each victim to call.
pub fn urgent(env: &Env) -> Result<(), Error> {
    let Some(service) = env.service()? else {
        return Err(Error::Usage(format!(
            "there is no store in {}",
            env.data_dir.display()
        )));
    };
    let ask = Ask {
        today: chrono::Local::now().date_naive(),
        lead: env.config.lead_times,
        days: env.config.days.clone(),
        filter: Filter::default(),
        keep: None,
        at: 0,
        reach: 0,
        lines: 0,
        horizon: 0,
        diary_at: (DiaryStatus::Overdue, 0),
        cases: Vec::new(),
        workload: false,
    };
    let window = service.window(&ask)?;
    if window.urgent.is_empty() {
        say!("No escape or abscond is waiting to be told to a victim.");
        return Ok(());
    }
    let mut by_case: BTreeMap<&str, Vec<&DiaryItem>> = BTreeMap::new();
    for item in &window.urgent {
        by_case
            .entry(item.reminder.case_id.as_str())
            .or_default()
            .push(item);
    }
    let mut page = String::new();
    for (case_id, items) in by_case {
        let case = window.cases.iter().find(|c| c.id == case_id);
        let _ = writeln!(page, "{}", case_heading(case_id, case, items[0]));
        for item in items {
            let id = &item.reminder.victim_id;
            let whole = service
                .whole_victim(id)?
                .and_then(|fresh| fresh.victims.into_iter().next());
            let Some(victim) = whole else { continue };
            // Shown, so revealed: audited before it is printed.
            service.record_reveal(id)?;
            let officer = victim.allocated_to.as_deref().map(|o| {
                window.head.officers.iter().find(|x| x.id == o).map_or_else(
                    || o.to_owned(),
                    |x| format!("{} ({})", visible(&x.name), visible(&x.id)),
                )
            });
            let _ = writeln!(page, "{}", victim_lines(&victim, officer.as_deref()));
            let _ = writeln!(page, "{}", liaison_line(&victim, item.reminder.about));
        }
    }
    page.push_str(
        "Each phone number above was shown to you and is recorded in the audit trail. Log \
         each call (vlu log --key-date escape) and the victim leaves this page.\n",
    );
    say!("{}", super::plain::for_people(&page).trim_end_matches('\n'));
    Ok(())
}

fn case_heading(case_id: &str, case: Option<&Case>, item: &DiaryItem) -> String {
    let offender = case.map_or(String::new(), |c| {
        format!(" ({})", visible(&c.offender.name))
    });
    let on = item
        .reminder
        .about
        .map_or(String::new(), |d| d.format(" on %-d %b %Y").to_string());
    format!(
        "ESCAPE OR ABSCOND{on} — case {}{offender}: speak to the police liaison officer first \
         (is the offender caught, what may be said), then call each victim now",
        visible(case_id)
    )
}

/// Whether the police liaison officer was spoken to about this escape: a `police_liaison`
/// task done on or after its day.
fn liaison_line(v: &Victim, escaped: Option<chrono::NaiveDate>) -> String {
    let done = v
        .tasks
        .iter()
        .filter(|t| t.kind == Some(TaskKind::PoliceLiaison))
        .filter_map(|t| t.done_on)
        .filter(|d| escaped.is_none_or(|e| *d >= e))
        .max();
    match done {
        Some(d) => format!("    police liaison: spoken to on {}", d.format("%-d %b %Y")),
        None => "    police liaison: not on record (a police_liaison task, the casework form, v)"
            .to_owned(),
    }
}

/// The victim, how to reach them, and whose victim they are.
fn victim_lines(v: &Victim, officer: Option<&str>) -> String {
    let details = v.contact_details.as_deref();
    let phone = phone_of(details.and_then(|d| d.phone.as_deref()));
    let mut out = format!(
        "  {} ({}) · {} · {phone} · officer {}",
        visible(&v.name),
        visible(&v.id),
        v.role.label(),
        officer.map_or_else(|| "none".to_owned(), |o| visible(o).into_owned()),
    );
    if let Some(needs) = &v.needs
        && let Some(language) = needs.language.as_deref()
    {
        let _ = write!(
            out,
            "\n    language: {}{}",
            visible(language),
            if needs.interpreter == Some(true) {
                ", interpreter needed"
            } else {
                ""
            }
        );
    }
    if let Some(rep) = &v.representative {
        let phone = phone_of(
            rep.contact_details
                .as_ref()
                .and_then(|d| d.phone.as_deref()),
        );
        let _ = write!(
            out,
            "\n    representative: {}{} · {phone}",
            rep.name
                .as_deref()
                .map_or(String::new(), |n| visible(n).into_owned()),
            rep.relationship
                .as_deref()
                .map_or(String::new(), |r| format!(" ({})", visible(r))),
        );
    }
    out
}

fn phone_of(phone: Option<&str>) -> String {
    phone.map_or_else(
        || "no phone recorded".to_owned(),
        |p| format!("phone {}", visible(p)),
    )
}
