//! The command line (FORMAT.md §1).

/// `println!` for what a command prints: a reader that has gone (`vlu check | head -1`) ends
/// the output quietly, where `println!` would panic; any other failure to write is an error
/// (`?`: the enclosing function returns this module's `Error`).
macro_rules! say {
    ($($arg:tt)*) => {
        crate::cli::output::write_stdout(|w| {
            ::std::io::Write::write_fmt(w, format_args!("{}\n", format_args!($($arg)*)))
        })?
    };
}

mod args;
mod backup;
mod case_export;
mod caseload_file;
mod crypt;
mod db;
mod docs;
mod dpa;
pub(crate) mod export;
pub(crate) mod import;
pub(crate) mod letter;
pub(crate) mod log;
mod manual;
mod output;
pub(crate) mod plain;
mod progress;
mod reallocate;
pub(crate) mod report;
mod sar;
pub mod screens;
mod service;
pub(crate) mod status;
mod table;
mod urgent;
mod values;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::Config;
use crate::domain::model::Caseload;
use crate::domain::reminders::{DiaryItem, DiaryQuery};
use crate::domain::text::visible;
use crate::error::Error;
use crate::store::{Digest, Place, Snooze, Store};
use crate::unit::check::check_store;
use crate::unit::diary::{items_of, render};
use output::{destination, write_json, write_out, write_stdout};

pub use args::{Cli, Command, Format, KeymapCommand, ScreensArgs};

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) if s.len() == 10 => Ok(d),
        _ => Err(format!("\"{s}\" is not a real date in the form YYYY-MM-DD")),
    }
}

/// The command line, or clap's error; a `--keymap` typed before a command that is not the
/// screens' is refused (as a usage error), rather than silently ignored. `VLU_KEYMAP` in the
/// environment is only ignored there: it is for the screens whenever they open.
fn parse() -> Result<Result<Cli, Error>, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let matches = Cli::command().try_get_matches()?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    let typed = matches.value_source("keymap") == Some(clap::parser::ValueSource::CommandLine);
    match &mut cli.command {
        Some(Command::Demo { screens }) if screens.keymap.is_none() => {
            screens.keymap = cli.screens.keymap.take();
        }
        Some(Command::Demo { .. }) | None => {}
        Some(other) if typed => {
            let name = matches.subcommand_name().unwrap_or("that command");
            let _ = other;
            return Ok(Err(Error::Usage(format!(
                "--keymap is for the screens (vlu, vlu demo); vlu {name} does not use it"
            ))));
        }
        Some(_) => {}
    }
    Ok(Ok(cli))
}

/// Runs the command line and returns the process exit status.
pub fn main() -> i32 {
    // Everything vlu creates — the store's files, exports, backups — is its owner's alone.
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    let cli = match parse() {
        Ok(Ok(cli)) => cli,
        Ok(Err(e)) => {
            eprintln!("vlu: {}", plain::for_people(&visible(&e.to_string())));
            return e.exit_code();
        }
        Err(e) if !e.use_stderr() => {
            // --help and --version
            let _ = e.print();
            return 0;
        }
        Err(e) => {
            // clap's whole message: what is wrong, a suggestion ("a similar subcommand
            // exists: 'diary'"), the missing arguments, the usage line.
            let said = e.render().to_string();
            let said = said.trim_end();
            let said = said.strip_prefix("error: ").unwrap_or(said);
            for (i, line) in said.lines().enumerate() {
                let prefix = if i == 0 { "vlu: " } else { "" };
                eprintln!("{prefix}{}", visible(line));
            }
            return 2;
        }
    };
    match run(cli) {
        Ok(()) => 0,
        Err(e) => {
            // Every error passes one filter here: its text may quote a file's keys, a key
            // of the store, a path, or what was typed, and none of them may reach the
            // terminal as a control sequence or hidden text.
            for line in e.details() {
                eprintln!("{}", plain::for_people(&visible(&line)));
            }
            eprintln!("vlu: {}", plain::for_people(&visible(&e.to_string())));
            e.exit_code()
        }
    }
}

/// Where things live and who is at the keyboard.
pub struct Env {
    data_dir: PathBuf,
    config: Config,
    /// The configuration file named on the command line, for a service this vlu starts.
    config_path: Option<PathBuf>,
    /// The configuration file looked for: the one named, else the platform's default.
    config_file: Option<PathBuf>,
    user: String,
}

pub(crate) fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("uk.gov", "HMPPS", "vlu")
}

/// The OS user at the keyboard, for the audit trail: the process's real uid named by the
/// user database. `$USER` and the like are never asked: they would let anyone sign in as
/// anyone.
pub fn os_user() -> String {
    crate::service::identity::current_user()
}

impl Env {
    fn new(cli: &Cli) -> Result<Self, Error> {
        let dirs = project_dirs();
        let default_config = dirs.as_ref().map(|d| d.config_dir().join("config.toml"));
        let mut config = Config::load(cli.config.as_deref(), default_config.as_deref())?;
        if let Some(url) = &cli.store {
            config.store.url = Some(url.clone());
        }
        let data_dir = match (&cli.data_dir, &dirs) {
            (Some(d), _) => d.clone(),
            (None, Some(d)) => d.data_dir().to_owned(),
            (None, None) => {
                return Err(Error::Usage(
                    "no home directory: name the store with --data-dir or VLU_DATA_DIR".into(),
                ));
            }
        };
        Ok(Self {
            data_dir,
            config,
            config_path: cli.config.clone(),
            config_file: cli.config.clone().or(default_config),
            user: os_user(),
        })
    }

    fn open(&self) -> Result<Store, Error> {
        Ok(Store::open_at(&self.data_dir, &self.place()?, &self.user)?)
    }

    /// Where the unit's records are kept: the configured database, else the data directory.
    fn place(&self) -> Result<Place, Error> {
        Ok(Place::configured(&self.config.store)?)
    }

    /// A diary's question for the unit service, with this configuration's lead times.
    fn query(
        &self,
        date: NaiveDate,
        days: u32,
        officer: Option<&str>,
    ) -> crate::service::proto::Query {
        crate::service::proto::Query {
            date,
            days,
            officer: officer.map(str::to_owned),
            lead: self.config.lead_times,
            calendar: self.config.days.clone(),
        }
    }

    /// Whether the data directory holds a store; one that cannot be read is an error.
    fn has_store(&self) -> Result<bool, Error> {
        if self.config.store.url.is_some() {
            return Ok(true);
        }
        Ok(Store::exists(&self.data_dir)?)
    }

    /// `read_caseload` without the contact logs: the store's digest, with its snoozes.
    fn read_for_diary(&self) -> Result<(Digest, Vec<Snooze>), Error> {
        if !self.has_store()? {
            let caseload = self.read_caseload()?;
            return Ok((
                Digest {
                    caseload,
                    ..Digest::default()
                },
                Vec::new(),
            ));
        }
        let store = self.open()?;
        Ok((store.load_digest()?, store.snoozes()?))
    }

    /// The caseload for a command that only reads: a directory with no store yet reads as an
    /// empty caseload, and nothing is created.
    fn read_caseload(&self) -> Result<Caseload, Error> {
        if !self.has_store()? {
            eprintln!(
                "vlu: note: there is no store in {} yet; import a caseload first",
                self.data_dir.display()
            );
            return Ok(Caseload::default());
        }
        Ok(self.open()?.load()?)
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    // The documentation needs neither a configuration nor a store.
    match cli.command {
        Some(Command::Completions { shell }) => docs::completions(shell),
        Some(Command::Man { dir }) => docs::man(dir.as_deref()),
        _ => {
            let env = Env::new(&cli)?;
            start_logging(&cli, &env);
            // A database's failure is the database's, not the data directory's.
            let database =
                env.config.store.url.is_some() || matches!(cli.command, Some(Command::Db(_)));
            dispatch(&env, cli).map_err(|e| {
                if database {
                    e
                } else {
                    e.in_store(&env.data_dir)
                }
            })
        }
    }
}

/// Where this command's log goes ([`crate::logging`]): nowhere for the screens (they own
/// the terminal), a file a day for a service started in the background, else standard
/// error.
fn start_logging(cli: &Cli, env: &Env) {
    use crate::logging::{Sink, init};
    let started = match &cli.command {
        None | Some(Command::Demo { .. }) => Ok(()),
        Some(Command::Serve { detach: true, .. }) => {
            init(cli.verbose, "info", &Sink::Daily(&env.data_dir))
        }
        Some(Command::Serve { .. }) => init(cli.verbose, "info", &Sink::Stderr),
        Some(_) => init(cli.verbose, "warn", &Sink::Stderr),
    };
    if let Err(e) = started {
        eprintln!("vlu: warning: no log will be kept: {e}");
    }
}

fn dispatch(env: &Env, cli: Cli) -> Result<(), Error> {
    match cli.command {
        None => screens::screens(env, cli.screens.keymap.as_deref()),
        Some(Command::Demo { screens }) => screens::demo(env, screens.keymap.as_deref()),
        Some(Command::Config) => docs::show_config(env),
        Some(Command::Completions { .. } | Command::Man { .. }) => {
            unreachable!("answered in run, before the configuration is read")
        }
        Some(Command::Keymap(KeymapCommand::Check { file })) => screens::check_keymap(&file),
        Some(Command::Generate {
            victims,
            seed,
            as_of,
            out,
            units,
        }) => generate(victims, seed, as_of, out.as_deref(), units),
        Some(Command::Import {
            file,
            replace,
            decrypt,
        }) => import::import(env, &file, replace, &decrypt),
        Some(Command::Backup { to }) => backup::take(env, to.as_deref()),
        Some(Command::Db(command)) => db::db(env, command),
        Some(Command::Restore {
            backup,
            list,
            unverified,
        }) => backup::restore(env, backup.as_deref(), list, unverified),
        Some(Command::ImportTable(asked)) => table::import_table(env, &asked),
        Some(Command::Export(asked)) => export::export(env, &asked),
        Some(Command::Diary {
            date,
            days,
            officer,
            format,
            out,
        }) => diary(env, date, days, officer.as_deref(), format, out.as_deref()),
        Some(Command::Serve { idle, detach, stop }) => {
            if stop {
                if let Some(service) = crate::service::client::Client::connect(&env.data_dir)? {
                    service.stop()?;
                }
                return Ok(());
            }
            let options = crate::service::server::Options {
                idle: (idle > 0).then(|| std::time::Duration::from_secs(idle)),
                detach,
            };
            crate::service::server::serve(&env.data_dir, env.config.clone(), &options)
        }
        Some(Command::Status { date, all, format }) => status::status(env, date, all, format),
        Some(Command::Report(args)) => report::run(env, &args),
        Some(Command::Check) => check(env),
        Some(Command::Urgent) => urgent::urgent(env),
        Some(Command::Log(args)) => log::log(env, &args),
        Some(Command::Reallocate(args)) => reallocate::reallocate(env, &args),
        Some(Command::Retention(args)) => dpa::retention(env, &args),
        Some(Command::Erase(args)) => dpa::erase(env, &args),
        Some(Command::Sar(args)) => sar::sar(env, &args.victim, &args.out),
        Some(Command::Audit(args)) => dpa::audit(env, &args),
        Some(Command::Letter(letter::LetterCommand {
            check: Some(letter::LetterCheck::Check { dir }),
            ..
        })) => letter::check(env, &dir),
        Some(Command::Letter(letter::LetterCommand {
            letter: Some(args), ..
        })) => letter::letter(env, &args),
        Some(Command::Letter(_)) => Err(Error::Usage(
            "name a kind of letter and a victim (vlu letter KIND --victim ID), or check DIR".into(),
        )),
    }
}

/// `vlu generate`: one unit to a file (or standard output), or `units` units, each to a
/// file of its own in the directory `out`.
fn generate(
    victims: usize,
    seed: u64,
    as_of: Option<NaiveDate>,
    out: Option<&Path>,
    units: Option<usize>,
) -> Result<(), Error> {
    let as_of = as_of.unwrap_or(crate::generate::DEFAULT_AS_OF);
    if let Some(sentence) = crate::generate::refusal(victims, as_of) {
        return Err(Error::Usage(sentence));
    }
    let (Some(units), Some(dir)) = (units, out) else {
        destination(out)?; // refused before a large unit is built for nothing
        let spinner = progress::Progress::spinner("generating");
        let caseload = crate::generate::generate(victims, seed, as_of);
        spinner.finish();
        return write_json(&caseload, out, false);
    };
    if !(1..=victims.min(1000)).contains(&units) {
        return Err(Error::Usage(format!(
            "cannot share {victims} victims between {units} units: --units takes 1 to {}",
            victims.min(1000)
        )));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Usage(format!("cannot make the directory {}: {e}", dir.display())))?;
    let bar = progress::Progress::bar(units as u64, "generating");
    for n in 0..units {
        let share = victims / units + usize::from(n < victims % units);
        let file = dir.join(format!("unit-{:03}.json", n + 1));
        let caseload = crate::generate::generate(share, seed + n as u64, as_of);
        write_json(&caseload, Some(&file), false)?;
        bar.inc();
    }
    bar.finish();
    Ok(())
}

/// `vlu diary`: the reminders overdue, due, and due within `days` of `date`, to standard
/// output or a file (written as an export is).
fn diary(
    env: &Env,
    date: Option<NaiveDate>,
    days: u32,
    officer: Option<&str>,
    format: Format,
    out: Option<&Path>,
) -> Result<(), Error> {
    let query = DiaryQuery {
        date: date.unwrap_or_else(|| chrono::Local::now().date_naive()),
        days,
        officer,
    };
    let colour = out.is_none() && plain::colour_on_stdout();
    let named = match format {
        Format::Text => "text",
        Format::Json => "json",
        Format::Ics => "ics",
    };
    let asked = env.with_service(|service| {
        service.diary(env.query(query.date, days, officer), named, colour)
    })?;
    // Text for people is ASCII where the locale is not UTF-8, whoever rendered it.
    let shown = |text: &str| {
        if format == Format::Text {
            plain::for_people(text).into_owned()
        } else {
            text.to_owned()
        }
    };
    if let Some(text) = asked {
        let text = shown(&text);
        return write_out(out, |w| w.write_all(text.as_bytes()));
    }
    let (digest, snoozes, items) = diary_items(env, &query)?;
    let text = shown(&render(
        format.into(),
        &digest.caseload,
        &snoozes,
        &query,
        &items,
        colour,
    ));
    // The process ends here: freeing a large unit's records one by one would only delay the
    // exit (25 ms at 100,000 victims); the system takes the memory back.
    std::mem::forget((digest, items));
    write_out(out, |w| w.write_all(text.as_bytes()))
}

/// The store's digest and snoozes, and the diary's items for `query`.
fn diary_items(
    env: &Env,
    query: &DiaryQuery<'_>,
) -> Result<(Digest, Vec<Snooze>, Vec<DiaryItem>), Error> {
    let (digest, snoozes) = env.read_for_diary()?;
    let items = items_of(&digest, &env.config, query)?;
    Ok((digest, snoozes, items))
}

/// `vlu check`: the store's integrity, and what it holds.
fn check(env: &Env) -> Result<(), Error> {
    let checked = match env.with_service(crate::service::client::Client::check)? {
        Some(checked) => checked,
        None if !env.has_store()? => {
            return Err(Error::Usage(format!(
                "there is no store in {}",
                env.data_dir.display()
            )));
        }
        None => check_store(&env.open()?, &env.config, chrono::Local::now().date_naive())?,
    };
    match checked {
        Ok(sound) => {
            say!("{sound}");
            Ok(())
        }
        Err(findings) => Err(Error::Unsound {
            dir: env.data_dir.clone(),
            findings,
        }),
    }
}
