//! The command line (FORMAT.md §1).

mod backup;
mod case_export;
mod crypt;
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
mod values;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::config::Config;
use crate::domain::model::Caseload;
use crate::domain::reminders::{DiaryItem, DiaryQuery};
use crate::domain::text::visible;
use crate::error::Error;
use crate::store::{Digest, Snooze, Store};
use crate::unit::check::check_store;
use crate::unit::diary::{items_of, render};
use output::{destination, write_json, write_out, write_stdout};

/// The help heading of the options every command takes.
const GLOBAL: &str = "Global options";

#[derive(Debug, Parser)]
#[command(
    name = "vlu",
    version,
    about = "Victim Liaison Unit caseload, diary and contact log",
    long_about = "Victim Liaison Unit caseload, diary and contact log.\n\n\
        Without a command, vlu opens the screens on the store.",
    after_help = docs::top_after_help()
)]
pub struct Cli {
    /// Where the store lives (default: the platform data directory, ~/.local/share/vlu on
    /// Linux). E.g. --data-dir /srv/vlu
    #[arg(
        long,
        global = true,
        env = "VLU_DATA_DIR",
        value_name = "DIR",
        help_heading = GLOBAL
    )]
    pub data_dir: Option<PathBuf>,
    /// The unit's configuration file (default: config.toml in the platform config
    /// directory, ~/.config/vlu on Linux). E.g. --config /etc/vlu/config.toml
    #[arg(
        long,
        global = true,
        env = "VLU_CONFIG",
        value_name = "FILE",
        help_heading = GLOBAL
    )]
    pub config: Option<PathBuf>,
    /// Say more of what vlu is doing, on standard error (`-v` info, `-vv` debug, `-vvv`
    /// trace); `VLU_LOG` wins over it. The screens log nothing. E.g. vlu -vv diary,
    /// `VLU_LOG=debug` vlu status
    #[arg(
        short,
        long,
        global = true,
        action = clap::ArgAction::Count,
        help_heading = GLOBAL
    )]
    pub verbose: u8,
    #[command(flatten)]
    pub screens: ScreensArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The options of the screens (`vlu` and `vlu demo`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ScreensArgs {
    /// The screens' keys: a built-in keymap (default, vim) or a keymap file; wins over
    /// `keymap` in the configuration. E.g. --keymap vim, --keymap ~/vlu-keys.toml
    #[arg(
        long,
        env = "VLU_KEYMAP",
        value_name = "NAME|PATH",
        value_parser = values::keymap(),
        hide_possible_values = true
    )]
    pub keymap: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the screens on a throw-away copy of the sample unit.
    #[command(after_help = "Examples:\n  vlu demo\n  vlu demo --keymap vim")]
    Demo {
        #[command(flatten)]
        screens: ScreensArgs,
    },
    /// Read a caseload file into the store (all or nothing); an age-encrypted file is
    /// decrypted first.
    #[command(after_help = "Examples:\n  \
        vlu import northshire.json\n  \
        vlu import corrections.json --replace\n  \
        vlu import transfer.json.age --identity ~/.config/vlu/unit.key\n  \
        vlu import transfer.json.age              (asks for the passphrase)\n  \
        gunzip -c caseload.json.gz | vlu import -")]
    Import {
        /// The caseload file, plain or age-encrypted (`-` for standard input).
        /// E.g. northshire.json, transfer.json.age
        file: PathBuf,
        /// Overwrite records whose ids are already in the store (a victim with its contacts);
        /// nothing else changes. E.g. vlu import corrections.json --replace
        #[arg(long)]
        replace: bool,
        #[command(flatten)]
        decrypt: crypt::DecryptArgs,
    },
    /// Read a unit's spreadsheet (CSV, XLSX or ODS; one row a victim) into the store
    /// through a mapping, all or nothing.
    ImportTable(table::Asked),
    /// Write the whole store as a caseload file (in clear or encrypted with age), or a
    /// spreadsheet (CSV) for a manager.
    #[command(after_help = "Examples:\n  \
        vlu export backup.json\n  \
        vlu export > backup.json\n  \
        vlu export --encrypt-to /etc/vlu/recipients.txt transfer.json.age\n  \
        vlu export --passphrase transfer.json.age\n  \
        vlu export --format csv --what diary diary.csv")]
    Export(export::Asked),
    /// The daily diary: what is overdue, due today, and due soon.
    #[command(after_help = "Examples:\n  \
        vlu diary\n  \
        vlu diary --officer sahmed --days 7\n  \
        vlu diary --date 2026-11-24 --format json\n  \
        vlu diary --format ics --out diary.ics")]
    Diary {
        /// The diary's date (default: today). E.g. --date 2026-11-24
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// How many days ahead to look; overdue items are always listed. E.g. --days 7,
        /// --days 0 (overdue and today only)
        #[arg(long, default_value_t = 14, value_name = "N")]
        days: u32,
        /// Only the victims allocated to this officer. E.g. --officer sahmed
        #[arg(long, value_name = "ID")]
        officer: Option<String>,
        /// The output: text for people, json for scripts, ics for a calendar.
        /// E.g. --format json, --format ics
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Write to this file (atomically, readable by you only) instead of standard output
        /// (`-`). E.g. --out /srv/vlu/diaries/sahmed.ics
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// The monitoring return for a period: timeliness, victims' decisions, overdue work and
    /// equality monitoring (for the unit's managers and administrators).
    #[command(after_help = "Examples:\n  \
        vlu report --from 2026-07-01 --to 2026-09-30\n  \
        vlu report --from 2026-07-01 --to 2026-09-30 --officer sahmed --format csv --out q2.csv")]
    Report(report::ReportArgs),
    /// One line for a shell prompt or login banner: what is overdue, due today and this week.
    #[command(after_help = "Examples:\n  vlu status\n  vlu status --all --format json")]
    Status {
        /// The day to count from (default: today). E.g. --date 2026-11-24
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// The whole unit, not only the victims allocated to you. E.g. vlu status --all
        #[arg(long)]
        all: bool,
        /// text: `3 overdue · 2 today · 5 this week`; json: the three counts.
        /// E.g. --format json
        #[arg(long, value_enum, default_value_t = status::StatusFormat::Text)]
        format: status::StatusFormat,
    },
    /// Log one contact with a victim, as the screens' form does (for scripts and mail merges).
    Log(log::LogArgs),
    /// Give a victim, a case, or all of one officer's victims to other officers (managers).
    Reallocate(reallocate::ReallocateArgs),
    /// Verify the store's integrity.
    Check,
    /// Run the unit service: own the store and serve every vlu on this machine (for an
    /// administrator who wants it under systemd; stops on SIGTERM).
    #[command(after_help = "Examples:\n  vlu serve\n  vlu serve --idle 600\n  vlu serve --stop")]
    Serve {
        /// Stop after this many seconds with no client (0: never). E.g. --idle 600
        #[arg(long, default_value_t = 0, value_name = "SECONDS")]
        idle: u64,
        /// Leave the terminal's session (how vlu starts it in the background).
        #[arg(long, hide = true)]
        detach: bool,
        /// Stop the running service (an administrator's). E.g. vlu serve --stop
        #[arg(long, conflicts_with_all = ["idle", "detach"])]
        stop: bool,
    },
    /// Take a backup of the store now (they are also taken after each import and daily).
    #[command(after_help = "Examples:\n  vlu backup\n  vlu backup --to /mnt/backup-disk/vlu")]
    Backup {
        /// The folder to write it in (default: the configured backup folder).
        /// E.g. --to /mnt/backup-disk/vlu
        #[arg(long, value_name = "DIR")]
        to: Option<PathBuf>,
    },
    /// Rebuild the store from a backup (default: the newest), keeping the store it replaces.
    #[command(after_help = "Examples:\n  vlu restore --list\n  vlu restore\n  \
        vlu restore ~/.local/share/vlu/backups/vlu-20261130T070000.000Z.backup")]
    Restore {
        /// The backup file (default: the newest in the backup folder).
        /// E.g. backups/vlu-20261130T070000.000Z.backup
        backup: Option<PathBuf>,
        /// List the backups instead, newest first. E.g. vlu restore --list
        #[arg(long, conflicts_with = "backup")]
        list: bool,
        /// Restore a backup that no signature of this unit's vouches for: one taken before
        /// backups were signed, or one whose key was lost with the store (recorded in the
        /// audit trail). E.g. vlu restore --unverified old.backup
        #[arg(long, conflicts_with = "list")]
        unverified: bool,
    },
    /// Write a fictional caseload of a given size, the same for the same seed (for measuring).
    #[command(
        after_help = "Examples:\n  vlu generate --victims 1000 --out unit.json\n  \
        vlu generate --victims 100000 --seed 7 --as-of 2027-01-04 | vlu import -"
    )]
    Generate {
        /// How many victims (1 to 1000000). E.g. --victims 1000
        #[arg(long, value_name = "N")]
        victims: usize,
        /// The seed: the same seed gives the same file. E.g. --seed 7
        #[arg(long, default_value_t = 1, value_name = "S")]
        seed: u64,
        /// The day the contact logs run up to (1975-01-01 to 2060-12-31).
        /// E.g. --as-of 2027-01-04
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// Where to write (standard output without it, or with `-`). E.g. --out unit.json
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Key bindings.
    #[command(subcommand)]
    Keymap(KeymapCommand),
    /// What falls due for erasure under the unit's retention rules, with the rule that applies.
    Retention(dpa::RetentionArgs),
    /// Erase a victim, or a case with all its victims, for good (administrators).
    Erase(dpa::EraseArgs),
    /// Everything held about one victim, for a subject access request (administrators).
    Sar(sar::SarArgs),
    /// The audit trail: who consulted, changed, disclosed or erased what, and when
    /// (administrators).
    Audit(dpa::AuditArgs),
    /// Show the configuration in use: the files read and every setting in force (no
    /// victim's data).
    #[command(after_help = "Examples:\n  vlu config\n  vlu --config /etc/vlu/config.toml config")]
    Config,
    /// Write a shell's completion script for vlu to standard output.
    #[command(after_help = "Examples:\n  \
        vlu completions bash > ~/.local/share/bash-completion/completions/vlu\n  \
        vlu completions zsh > ~/.zfunc/_vlu\n  \
        vlu completions fish > ~/.config/fish/completions/vlu.fish")]
    Completions {
        /// The shell. E.g. bash, zsh, fish
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write vlu's manual page (roff) to standard output, or a page for every command into
    /// a folder.
    #[command(after_help = "Examples:\n  \
        vlu man | man -l -\n  \
        vlu man --dir ~/.local/share/man/man1        then: man vlu, man vlu-export")]
    Man {
        /// Write vlu.1 and vlu-COMMAND.1 for every command into this folder (made if
        /// missing) instead of vlu.1 to standard output. E.g. --dir /usr/local/share/man/man1
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Write a letter from the record (vlu letter KIND --victim ID), or check a unit's
    /// letter templates (vlu letter check DIR).
    Letter(letter::LetterCommand),
}

#[derive(Debug, Subcommand)]
pub enum KeymapCommand {
    /// Report every problem in a keymap file (exit 2 if there is any).
    #[command(
        after_help = "Examples:\n  vlu keymap check ~/.config/vlu/keymap.toml\n  vlu keymap check keymaps/vim.toml"
    )]
    Check {
        /// The keymap file. E.g. ~/.config/vlu/keymap.toml
        file: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Grouped lines for people, coloured on a terminal.
    Text,
    /// One object, the contract's shape, for scripts.
    Json,
    /// An iCalendar file of all-day events, for a calendar.
    Ics,
}

impl From<Format> for crate::unit::diary::Format {
    fn from(format: Format) -> Self {
        match format {
            Format::Text => Self::Text,
            Format::Json => Self::Json,
            Format::Ics => Self::Ics,
        }
    }
}

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
            config_file: cli.config.clone().or(default_config),
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
            calendar: self.config.days.clone(),
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
    // The documentation needs neither a configuration nor a store.
    match cli.command {
        Some(Command::Completions { shell }) => docs::completions(shell),
        Some(Command::Man { dir }) => docs::man(dir.as_deref()),
        _ => {
            let env = Env::new(&cli)?;
            start_logging(&cli, &env);
            dispatch(&env, cli).map_err(|e| e.in_store(&env.data_dir))
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
        }) => {
            let as_of = as_of.unwrap_or(crate::generate::DEFAULT_AS_OF);
            if let Some(sentence) = crate::generate::refusal(victims, as_of) {
                return Err(Error::Usage(sentence));
            }
            destination(out.as_deref())?; // refused before a large unit is built for nothing
            let spinner = progress::Progress::spinner("generating");
            let caseload = crate::generate::generate(victims, seed, as_of);
            spinner.finish();
            write_json(&caseload, out.as_deref(), false)
        }
        Some(Command::Import {
            file,
            replace,
            decrypt,
        }) => import::import(env, &file, replace, &decrypt),
        Some(Command::Backup { to }) => backup::take(env, to.as_deref()),
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
        Some(Command::Log(args)) => log::log(env, &args),
        Some(Command::Reallocate(args)) => reallocate::reallocate(env, &args),
        Some(Command::Retention(args)) => dpa::retention(env, &args),
        Some(Command::Erase(args)) => dpa::erase(env, &args),
        Some(Command::Sar(args)) => sar::sar(env, &args.victim, &args.out),
        Some(Command::Audit(args)) => dpa::audit(env, &args),
        Some(Command::Letter(letter::LetterCommand {
            check: Some(letter::LetterCheck::Check { dir }),
            ..
        })) => letter::check(&dir),
        Some(Command::Letter(letter::LetterCommand {
            letter: Some(args), ..
        })) => letter::letter(env, &args),
        Some(Command::Letter(_)) => Err(Error::Usage(
            "name a kind of letter and a victim (vlu letter KIND --victim ID), or check DIR".into(),
        )),
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
        &digest,
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
