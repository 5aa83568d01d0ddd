//! `vlu` and `vlu demo`: the screens, on the store or on a throw-away copy of the sample unit.

use std::io::IsTerminal;
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use super::Env;
use crate::domain::calendar::DayChanges;
use crate::domain::model::Caseload;
use crate::domain::text::visible;
use crate::domain::validate::{KnownIds, parse_caseload};
use crate::error::Error;
use crate::service::client::Client;
use crate::store::Store;
use crate::tui::app::{App, Setup};
use crate::tui::clock::{Clock, SetBack, SystemClock};
use crate::tui::keymap;
use crate::tui::run::run;

/// The sample unit, compiled in so that `vlu demo` works from anywhere.
pub const SAMPLE: &str = include_str!("../../sample-data/northshire.json");

/// The day the sample unit's diary was written for (sample-data/README.md).
pub const SAMPLE_ANCHOR: NaiveDate = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();

/// The sample unit moved by whole weeks so that `today` falls where its anchor did: the
/// same weekday, and the same overdue, today and this-week items.
pub fn sample_for(today: NaiveDate) -> Caseload {
    let caseload =
        parse_caseload(SAMPLE, &KnownIds::default(), false).expect("the sample unit is valid");
    caseload.shifted(demo_shift(today).0)
}

/// How far the demo moves the sample unit for `today` (whole weeks, in days: weekdays and
/// working days stay as they are), and how many days its screens' clock is set back so that
/// they open on the latest of the sample's own weekday (a Tuesday): the same work, whatever
/// day it is run.
fn demo_shift(today: NaiveDate) -> (i64, u64) {
    let days = (today - SAMPLE_ANCHOR).num_days();
    let weeks = days.div_euclid(7);
    (weeks * 7, u64::try_from(days.rem_euclid(7)).unwrap_or(0))
}

/// The working calendar moved with the sample: each bank holiday of the years the sample
/// spans becomes a working day and the day `shift` takes it to a holiday (whole weeks: the
/// same weekday), so that every working-day count of the sample — an offer's 40 days, a
/// follow-up's 5 — comes out the same whatever week the demo is run in. The unit's own
/// changes are kept.
fn demo_days(mut days: DayChanges, shift: i64) -> DayChanges {
    let year = SAMPLE_ANCHOR.year();
    let holidays: Vec<NaiveDate> = (year - 12..=year + 12)
        .flat_map(crate::domain::calendar::bank_holidays)
        .map(|(day, _)| day)
        .collect();
    let moved = |day: NaiveDate| day.checked_add_signed(chrono::TimeDelta::days(shift));
    let moved_holidays: Vec<NaiveDate> = holidays.iter().filter_map(|&d| moved(d)).collect();
    days.non_working.extend(&moved_holidays);
    // (A holiday that another lands on stays one: a day worked wins over a day off.)
    days.working
        .extend(holidays.iter().filter(|d| !moved_holidays.contains(d)));
    days
}

fn colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Opens the screens: through the unit service when one is running on the store (and then
/// live: everyone's changes reach this screen), else on the store itself.
pub fn screens(env: &Env, keymap_choice: Option<&str>) -> Result<(), Error> {
    // Without a terminal there is nothing to open: a data directory with no store is left as
    // it is (no store, no service, no lock), not made for a screen that never shows.
    if !has_terminal() && !env.has_store()? {
        return Err(no_terminal());
    }
    let officer = env.config.officer_for(&env.user).to_owned();
    if let Some(client) = env.service()? {
        return open_screens(
            env,
            keymap_choice,
            &client,
            &env.data_dir,
            officer,
            Some(&client),
            &SystemClock,
        );
    }
    let store = env.open()?;
    if has_terminal() {
        super::backup::daily(env, &store);
    }
    open_screens(
        env,
        keymap_choice,
        &store,
        &env.data_dir,
        officer,
        None,
        &SystemClock,
    )
}

fn no_terminal() -> Error {
    Error::Usage("the screens need a terminal; for scripts use vlu diary or vlu export".into())
}

fn has_terminal() -> bool {
    std::io::stdout().is_terminal() && std::io::stdin().is_terminal()
}

/// The unit's letter templates (or their problems, shown when a letter is asked for), where
/// letters are saved, and the data directory they are kept out of.
fn letter_setup(env: &Env, store_dir: &Path) -> crate::tui::app::LetterSetup {
    crate::tui::app::LetterSetup {
        templates: super::letter::templates(env)
            .map(std::sync::Arc::new)
            .map_err(|e| e.details()),
        out_dir: crate::letters::default_dir(env.config.letters.out_dir.as_deref()),
        data_dir: Some(store_dir.to_owned()),
    }
}

fn open_screens(
    env: &Env,
    keymap_choice: Option<&str>,
    store: &dyn crate::tui::run::UnitAccess,
    store_dir: &Path,
    officer: String,
    service: Option<&Client>,
    clock: &dyn Clock,
) -> Result<(), Error> {
    if !has_terminal() {
        return Err(no_terminal());
    }
    let today = clock.today();
    let user_keymap = super::project_dirs().map(|d| d.config_dir().join("keymap.toml"));
    let choice = keymap_choice.or(env.config.keymap.as_deref());
    let (keymap, problems) = keymap::load(choice, user_keymap.as_deref());
    // Through the unit service the screens hold only what they show, asked of it before the
    // first frame; on the store itself they hold the unit's digest (the logs stay in the
    // store until one is shown: the panes need only their facts).
    let (caseload, facts, snoozes) = if service.is_some() {
        (Caseload::default(), Vec::new(), Vec::new())
    } else {
        let digest = store.load_digest()?;
        (digest.caseload, digest.facts, store.snoozes()?)
    };
    let mut app = App::new(Setup {
        caseload,
        facts: Some(facts),
        snoozes,
        thin: service.is_some(),
        today,
        officer,
        lead: env.config.lead_times,
        days: env.config.days.clone(),
        keymap,
        colour: colour(),
        ascii: !crate::tui::glyphs::utf8_terminal(),
        // The service says what the user is; the store in this process is its owner's.
        role: service.map_or(crate::unit::access::Role::Admin, |c| c.role),
        date_format: env.config.date_format.0.clone(),
        retention: env.config.retention,
    });
    app.notice(problems.iter().map(ToString::to_string).collect());
    app.settings_mut().letters = letter_setup(env, store_dir);
    app.settings_mut().signed_in_user.clone_from(&env.user);
    run(store, &mut app, service, clock).map_err(|source| Error::Write {
        path: "the terminal".into(),
        source,
    })
}

/// A throw-away store holding the sample unit, deleted when the demo ends.
pub fn demo(env: &Env, keymap_choice: Option<&str>) -> Result<(), Error> {
    let dir = tempfile::Builder::new()
        .prefix("vlu-demo-")
        .tempdir()
        .map_err(|source| Error::Write {
            path: std::env::temp_dir(),
            source,
        })?;
    // A signal (a closed SSH session, kill) takes the copy with it, in the screens or not.
    crate::signals::remove_on_signal(dir.path().to_owned());
    let store = Store::open(&dir.path().join("store"), &env.user)?;
    let today = chrono::Local::now().date_naive();
    let sample = sample_for(today);
    let clock = SetBack(chrono::Days::new(demo_shift(today).1));
    // A newcomer is signed in as the sample's first VLO, unless mapped to one of its officers.
    let mapped = env.config.officer_for(&env.user);
    let officer = match sample.officers.iter().find(|o| o.id == mapped) {
        Some(o) => o.id.clone(),
        None => sample
            .officers
            .first()
            .map(|o| o.id.clone())
            .unwrap_or_default(),
    };
    store.import(&sample, false)?;
    let mut config = env.config.clone();
    config.days = demo_days(config.days, demo_shift(today).0);
    // The sample unit's letters give its own (fictional) address, unless the configuration
    // gives one.
    if config.unit == crate::domain::letter::facts::Letterhead::default() {
        config.unit = crate::letters::sample::letterhead();
    }
    let env = &Env {
        config,
        data_dir: env.data_dir.clone(),
        config_path: env.config_path.clone(),
        config_file: env.config_file.clone(),
        user: env.user.clone(),
    };
    let result = open_screens(
        env,
        keymap_choice,
        &store,
        dir.path(),
        officer,
        None,
        &clock,
    );
    drop(store);
    drop(dir);
    result
}

/// `vlu keymap check FILE`: every problem in a keymap file, or that it is sound.
pub fn check_keymap(path: &Path) -> Result<(), Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    let problems = keymap::check(&text, &path.display().to_string());
    if problems.is_empty() {
        say!(
            "{} is a sound keymap.",
            visible(&path.display().to_string())
        );
        return Ok(());
    }
    Err(Error::BadKeymap {
        file: path.to_owned(),
        problems: problems.iter().map(ToString::to_string).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_opens_on_the_samples_weekday_of_this_week_whatever_the_day() {
        // Tuesday 1 December 2026 to Monday 7 December: each opens on Tuesday 1 December.
        for day in 0..7 {
            let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap() + chrono::Days::new(day);
            let (shift, back) = demo_shift(today);
            let shown = today - chrono::Days::new(back);
            assert_eq!(
                shown,
                SAMPLE_ANCHOR + chrono::Days::new(u64::try_from(shift).unwrap())
            );
            assert_eq!(shown.weekday(), SAMPLE_ANCHOR.weekday(), "{today}");
            assert_eq!(shown.to_string(), "2026-12-01");
        }
        // Before the anchor too.
        let (shift, back) = demo_shift(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert_eq!((shift, back), (-7, 6));
    }

    /// The header's counts of the demo on the day it opens, as the screens count them.
    fn counts_on(today: NaiveDate) -> crate::unit::status::Counts {
        use crate::domain::calendar::Calendar;
        use crate::domain::reminders::{DiaryQuery, Rules, diary};
        let (shift, back) = demo_shift(today);
        let shown = today - chrono::Days::new(back);
        let sample = sample_for(today);
        let days = demo_days(DayChanges::default(), shift);
        let calendar = Calendar::with_changes(
            sample
                .extra_non_working_days
                .iter()
                .chain(&days.non_working)
                .copied(),
            days.working.iter().copied(),
        );
        let lead = crate::domain::rules::LeadTimes::default();
        let rules = Rules {
            calendar: &calendar,
            lead: &lead,
        };
        let query = DiaryQuery {
            date: shown,
            days: lead.due_soon_days,
            officer: None,
        };
        let items = diary(&sample.cases, &sample.victims, &query, rules);
        crate::unit::status::Counts::of(&items, &[], shown)
    }

    #[test]
    fn the_demo_shows_the_samples_work_whatever_the_week() {
        let anchor = counts_on(SAMPLE_ANCHOR);
        // The README's figures, on the sample's own week.
        assert_eq!(
            (anchor.overdue, anchor.today, anchor.this_week),
            (17, 4, 15)
        );
        // Any other week of four years: working days move with the sample (bank holidays
        // and all); a due date counted in calendar months can land a day either side, so a
        // count may differ by two at most (README).
        let near = |a: usize, b: usize| a.abs_diff(b) <= 2;
        for week in -104..=104i64 {
            let today = SAMPLE_ANCHOR + chrono::TimeDelta::days(7 * week + week.rem_euclid(5));
            let c = counts_on(today);
            assert!(
                near(c.overdue, anchor.overdue)
                    && near(c.today, anchor.today)
                    && near(c.this_week, anchor.this_week),
                "run on {today}: {c:?}"
            );
        }
    }
}
