//! `vlu` and `vlu demo`: the screens, on the store or on a throw-away copy of the sample unit.

use std::io::IsTerminal;
use std::path::Path;

use chrono::NaiveDate;

use super::Env;
use crate::domain::model::Caseload;
use crate::domain::text::visible;
use crate::domain::validate::{KnownIds, parse_caseload};
use crate::error::Error;
use crate::service::client::Client;
use crate::store::{Store, UnitStore};
use crate::tui::app::{App, Setup};
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
    let weeks = (today - SAMPLE_ANCHOR).num_days().div_euclid(7);
    caseload.shifted(weeks * 7)
}

fn colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Opens the screens: through the unit service when one is running on the store (and then
/// live: everyone's changes reach this screen), else on the store itself.
pub fn screens(env: &Env, keymap_choice: Option<&str>) -> Result<(), Error> {
    let officer = env.config.officer_for(&env.user).to_owned();
    if let Some(client) = env.service()? {
        return open_screens(env, keymap_choice, &client, officer, Some(&client));
    }
    let store = env.open()?;
    if has_terminal() {
        super::backup::daily(env, &store);
    }
    open_screens(env, keymap_choice, &store, officer, None)
}

fn has_terminal() -> bool {
    std::io::stdout().is_terminal() && std::io::stdin().is_terminal()
}

fn open_screens(
    env: &Env,
    keymap_choice: Option<&str>,
    store: &dyn UnitStore,
    officer: String,
    service: Option<&Client>,
) -> Result<(), Error> {
    if !has_terminal() {
        return Err(Error::Usage(
            "the screens need a terminal; for scripts use vlu diary or vlu export".into(),
        ));
    }
    let today = chrono::Local::now().date_naive();
    let user_keymap = super::project_dirs().map(|d| d.config_dir().join("keymap.toml"));
    let choice = keymap_choice.or(env.config.keymap.as_deref());
    let (keymap, problems) = keymap::load(choice, user_keymap.as_deref());
    // The logs stay in the store until one is shown: the panes need only their facts.
    let digest = store.load_digest()?;
    let mut app = App::new(Setup {
        caseload: digest.caseload,
        facts: Some(digest.facts),
        snoozes: store.snoozes()?,
        today,
        officer,
        lead: env.config.lead_times,
        days: env.config.days.clone(),
        keymap,
        colour: colour(),
        ascii: !crate::tui::glyphs::utf8_terminal(),
    });
    app.notice(problems.iter().map(ToString::to_string).collect());
    app.signed_in_user.clone_from(&env.user);
    run(store, &mut app, service).map_err(|source| Error::Write {
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
    let sample = sample_for(chrono::Local::now().date_naive());
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
    let result = open_screens(env, keymap_choice, &store, officer, None);
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
        println!(
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
