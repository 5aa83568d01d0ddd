//! The command line (FORMAT.md §1).

mod backup;
mod diary;
pub(crate) mod export;
pub(crate) mod import;
mod progress;
pub(crate) mod report;
pub mod screens;
mod service;
pub(crate) mod status;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::config::Config;
use crate::domain::calendar::Calendar;
use crate::domain::model::Caseload;
use crate::domain::reminders::{DiaryItem, DiaryQuery, Rules, diary_from_facts};
use crate::domain::text::visible;
use crate::error::{Error, plural};
use crate::store::{Digest, Snooze, Store};

#[derive(Debug, Parser)]
#[command(
    name = "vlu",
    version,
    about = "Victim Liaison Unit caseload, diary and contact log"
)]
pub struct Cli {
    /// Where the store lives (default: the platform data directory).
    #[arg(long, global = true, env = "VLU_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The unit's configuration file (default: config.toml in the platform config directory).
    #[arg(long, global = true, env = "VLU_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The key bindings for the screens: a built-in name (default, vim) or a file.
    #[arg(long, global = true, env = "VLU_KEYMAP", value_name = "NAME|PATH")]
    pub keymap: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the screens on a throw-away copy of the sample unit.
    Demo,
    /// Read a caseload file into the store (all or nothing).
    Import {
        /// The caseload file (`-` for standard input).
        file: PathBuf,
        /// Overwrite records whose ids are already in the store.
        #[arg(long)]
        replace: bool,
    },
    /// Write the whole store as a caseload file.
    Export {
        /// Where to write (standard output without it, or with `-`).
        file: Option<PathBuf>,
    },
    /// The daily diary: what is overdue, due today, and due soon.
    Diary {
        /// The diary's date (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// How many days ahead to look.
        #[arg(long, default_value_t = 14, value_name = "N")]
        days: u32,
        /// Only the victims allocated to this officer.
        #[arg(long, value_name = "ID")]
        officer: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Write to this file (atomically, readable by you only) instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// The monitoring return for a period: timeliness, victims' decisions, overdue work and
    /// equality monitoring (for the unit's managers and administrators).
    Report {
        /// The period's first day.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        from: NaiveDate,
        /// The period's last day.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        to: NaiveDate,
        /// Only the victims allocated to this officer.
        #[arg(long, value_name = "ID")]
        officer: Option<String>,
        #[arg(long, value_enum, default_value_t = report::ReportFormat::Text)]
        format: report::ReportFormat,
        /// Write to this file (atomically, readable by you only) instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// One line for a shell prompt or login banner: what is overdue, due today and this week.
    Status {
        /// The day to count from (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// The whole unit, not only the victims allocated to you.
        #[arg(long)]
        all: bool,
        #[arg(long, value_enum, default_value_t = status::StatusFormat::Text)]
        format: status::StatusFormat,
    },
    /// Verify the store's integrity.
    Check,
    /// Run the unit service: own the store and serve every vlu on this machine (for an
    /// administrator who wants it under systemd; stops on SIGTERM).
    Serve {
        /// Stop after this many seconds with no client (0: never).
        #[arg(long, default_value_t = 0, value_name = "SECONDS")]
        idle: u64,
        /// Leave the terminal's session (how vlu starts it in the background).
        #[arg(long, hide = true)]
        detach: bool,
        /// Stop the running service (an administrator's).
        #[arg(long, conflicts_with_all = ["idle", "detach"])]
        stop: bool,
    },
    /// Take a backup of the store now (they are also taken after each import and daily).
    Backup {
        /// The folder to write it in (default: the configured backup folder).
        #[arg(long, value_name = "DIR")]
        to: Option<PathBuf>,
    },
    /// Rebuild the store from a backup (default: the newest), keeping the store it replaces.
    Restore {
        /// The backup file.
        backup: Option<PathBuf>,
        /// List the backups instead, newest first.
        #[arg(long, conflicts_with = "backup")]
        list: bool,
    },
    /// Write a fictional caseload of a given size, the same for the same seed (for measuring).
    Generate {
        /// How many victims (1 to 1000000).
        #[arg(long, value_name = "N")]
        victims: usize,
        /// The seed: the same seed gives the same file.
        #[arg(long, default_value_t = 1, value_name = "S")]
        seed: u64,
        /// The day the contact logs run up to (1975-01-01 to 2060-12-31).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// Where to write (standard output without it, or with `-`).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Key bindings.
    #[command(subcommand)]
    Keymap(KeymapCommand),
}

#[derive(Debug, Subcommand)]
pub enum KeymapCommand {
    /// Report every problem in a keymap file (exit 2 if there is any).
    Check {
        /// The keymap file.
        file: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Ics,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) if s.len() == 10 => Ok(d),
        _ => Err(format!("\"{s}\" is not a real date in the form YYYY-MM-DD")),
    }
}

/// Runs the command line and returns the process exit status.
pub fn main() -> i32 {
    // Everything vlu creates — the store's files, exports, backups — is its owner's alone.
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            let _ = e.print();
            return 0;
        }
        Err(e) => {
            let first = e.render().to_string();
            let first = first.lines().next().unwrap_or("invalid command line");
            let first = first.strip_prefix("error: ").unwrap_or(first);
            eprintln!("vlu: {}; see vlu --help", visible(first));
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
                eprintln!("{}", visible(&line));
            }
            eprintln!("vlu: {}", visible(&e.to_string()));
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
        let config = Config::load(cli.config.as_deref(), default_config.as_deref())?;
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
            user: os_user(),
        })
    }

    fn open(&self) -> Result<Store, Error> {
        Ok(Store::open(&self.data_dir, &self.user)?)
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
            extra_days: self.config.extra_non_working_days.clone(),
        }
    }

    /// Whether the data directory holds a store; one that cannot be read is an error.
    fn has_store(&self) -> Result<bool, Error> {
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
    let env = Env::new(&cli)?;
    dispatch(&env, cli).map_err(|e| e.in_store(&env.data_dir))
}

fn dispatch(env: &Env, cli: Cli) -> Result<(), Error> {
    match cli.command {
        None => screens::screens(env, cli.keymap.as_deref()),
        Some(Command::Demo) => screens::demo(env, cli.keymap.as_deref()),
        Some(Command::Keymap(KeymapCommand::Check { file })) => screens::check_keymap(&file),
        Some(Command::Generate {
            victims,
            seed,
            as_of,
            out,
        }) => {
            let as_of = as_of.unwrap_or(crate::generate::DEFAULT_AS_OF);
            if let Some(sentence) = crate::generate::refusal(victims, as_of) {
                return Err(Error::Usage(sentence));
            }
            let spinner = progress::Progress::spinner("generating");
            let caseload = crate::generate::generate(victims, seed, as_of);
            spinner.finish();
            write_json(&caseload, out.as_deref(), false)
        }
        Some(Command::Import { file, replace }) => import::import(env, &file, replace),
        Some(Command::Backup { to }) => backup::take(env, to.as_deref()),
        Some(Command::Restore { backup, list }) => backup::restore(env, backup.as_deref(), list),
        Some(Command::Export { file }) => export::export(env, file.as_deref()),
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
        Some(Command::Report {
            from,
            to,
            officer,
            format,
            out,
        }) => report::run(
            env,
            &report::Asked {
                from,
                to,
                officer: officer.as_deref(),
                format,
                out: out.as_deref(),
            },
        ),
        Some(Command::Check) => check(env),
    }
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
    let colour = out.is_none() && diary::use_colour();
    let named = match format {
        Format::Text => "text",
        Format::Json => "json",
        Format::Ics => "ics",
    };
    let asked = env.with_service(|service| {
        service.diary(env.query(query.date, days, officer), named, colour)
    })?;
    if let Some(text) = asked {
        return write_out(out, |w| w.write_all(text.as_bytes()));
    }
    let (digest, snoozes, items) = diary_items(env, &query)?;
    let text = render(format, &digest, &snoozes, &query, &items, colour);
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

/// The diary's items for `query` from a digest, by the unit's lead times and calendar.
pub(crate) fn items_of(
    digest: &Digest,
    config: &Config,
    query: &DiaryQuery<'_>,
) -> Result<Vec<DiaryItem>, Error> {
    let caseload = &digest.caseload;
    if let Some(o) = query.officer
        && !caseload.officers.iter().any(|x| x.id == o)
    {
        return Err(Error::Usage(format!(
            "there is no officer \"{o}\" in the store"
        )));
    }
    let calendar = Calendar::new(
        caseload
            .extra_non_working_days
            .iter()
            .chain(&config.extra_non_working_days)
            .copied(),
    );
    let rules = Rules {
        calendar: &calendar,
        lead: &config.lead_times,
    };
    Ok(diary_from_facts(digest.joined(), query, rules))
}

/// The diary as `format` writes it.
pub(crate) fn render(
    format: Format,
    digest: &Digest,
    snoozes: &[Snooze],
    query: &DiaryQuery<'_>,
    items: &[DiaryItem],
    colour: bool,
) -> String {
    match format {
        Format::Json => diary::json(query, items),
        Format::Ics => diary::ics(query, items),
        Format::Text => diary::text(&digest.caseload, snoozes, query, items, colour),
    }
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
        None => check_store(&env.open()?)?,
    };
    match checked {
        Ok(sound) => {
            println!("{sound}");
            Ok(())
        }
        Err(findings) => Err(Error::Unsound {
            dir: env.data_dir.clone(),
            findings,
        }),
    }
}

/// The store's integrity: a sentence saying it is sound and what it holds, or the findings.
pub(crate) fn check_store(store: &Store) -> Result<Result<String, Vec<String>>, Error> {
    let findings = store.check()?;
    if !findings.is_empty() {
        return Ok(Err(findings));
    }
    let c = store.load()?;
    let contacts: usize = c.victims.iter().map(|v| v.contacts.len()).sum();
    Ok(Ok(format!(
        "The store in {} is sound: schema {}, {}, {}, {}, {}.",
        store.dir().display(),
        crate::store::SCHEMA_VERSION,
        plural(c.officers.len(), "officer"),
        plural(c.cases.len(), "case"),
        plural(c.victims.len(), "victim"),
        plural(contacts, "contact"),
    )))
}

/// Writes to standard output, buffered. A closed pipe (`vlu diary | head`) is not an error.
fn write_stdout(emit: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), Error> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match emit(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(Error::Write {
            path: "standard output".into(),
            source,
        }),
        Ok(()) => Ok(()),
    }
}

/// Writes `value` as JSON (indented for people, or compact) and a newline, as it is made: to
/// standard output (no file, `-`, `/dev/stdout`), to a file (atomically, readable by its owner
/// only), or straight into a FIFO or a device, never replacing it (`fsutil::destination`).
fn write_json(
    value: &impl serde::Serialize,
    file: Option<&Path>,
    pretty: bool,
) -> Result<(), Error> {
    write_out(file, |w: &mut dyn Write| -> std::io::Result<()> {
        if pretty {
            serde_json::to_writer_pretty(&mut *w, value)?;
        } else {
            serde_json::to_writer(&mut *w, value)?;
        }
        w.write_all(b"\n")
    })
}

/// Writes what `emit` writes to a file — atomically and readable by its owner only, or
/// straight into a FIFO or device — or to standard output (no file, or `-`).
fn write_out(
    file: Option<&Path>,
    emit: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    use crate::fsutil::{Destination, Refused, destination};
    let Some(path) = file else {
        return write_stdout(emit);
    };
    let written = match destination(path) {
        Ok(Destination::Stdout) => return write_stdout(emit),
        Ok(Destination::Straight(to)) => crate::fsutil::write_straight(&to, emit),
        Ok(Destination::Atomic(to)) => crate::fsutil::write_private_atomically(&to, emit),
        Err(Refused(what)) => {
            return Err(Error::Usage(format!(
                "{} is {what}, which vlu does not write over; name a file, or - for standard output",
                path.display()
            )));
        }
    };
    written.map_err(|source| Error::Write {
        path: path.to_owned(),
        source,
    })
}
