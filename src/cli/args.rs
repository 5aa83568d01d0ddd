//! The command line as clap reads it: the options every command takes, the commands and
//! their arguments, with the help and examples each shows.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use super::{
    crypt, docs, dpa, export, letter, log, parse_date, reallocate, report, sar, status, table,
    values,
};

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
    /// Keep the unit's records in this PostgreSQL database, as the unit's role, instead of
    /// the data directory (which then holds the service's socket and logs); `[store] url`
    /// in the configuration says the same. E.g. `--store postgresql:///vlu?host=/run/postgresql`
    #[arg(
        long,
        global = true,
        env = "VLU_STORE",
        value_name = "URL",
        help_heading = GLOBAL
    )]
    pub store: Option<String>,
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
    /// Every escape or abscond not yet told to its victims, whoever's they are, with each
    /// victim's phone (shown, so audited): the page for the officer on call.
    Urgent,
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
        /// Where to write (standard output without it, or with `-`). With --units, a
        /// directory. E.g. --out unit.json
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Make this many units instead of one, the victims shared between them, each in a
        /// file of its own in the --out directory (unit-001.json, …), each from a seed of its
        /// own. E.g. --units 150 --victims 1000000 --out units/
        #[arg(long, value_name = "N", requires = "out")]
        units: Option<usize>,
    },
    /// Key bindings.
    #[command(subcommand)]
    Keymap(KeymapCommand),
    /// A PostgreSQL database of units, for its administrator: the schema, the units' roles.
    #[command(subcommand)]
    Db(DbCommand),
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

/// `vlu db …`: run as a role that owns vlu's schema (or a superuser), never a unit's role.
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Bring the database's vlu schema up to date (each step in one transaction).
    #[command(
        after_help = "Examples:\n  vlu db migrate --url 'host=/run/postgresql dbname=vlu user=postgres'"
    )]
    Migrate {
        /// The database, as its administrator (default: the configured store).
        /// E.g. `--url postgresql:///vlu?host=/run/postgresql`
        #[arg(long, value_name = "URL")]
        url: Option<String>,
    },
    /// Copy a unit's records from the data directory into its PostgreSQL database, or back:
    /// into a store that holds none yet, all or nothing; the audit trail comes too.
    #[command(
        after_help = "Examples:\n  vlu db copy --from /srv/vlu --to 'host=/run/postgresql dbname=vlu user=vlu_northshire'\n  \
        vlu db copy --from 'host=/run/postgresql dbname=vlu user=vlu_northshire' --to /srv/vlu-copy"
    )]
    Copy {
        /// Where the records are: a data directory, or a database as the unit's role.
        /// E.g. --from /srv/vlu
        #[arg(long, value_name = "DIR|URL")]
        from: String,
        /// Where they go (a data directory with no store, or the unit's database holding no
        /// records). E.g. `--to 'host=/run/postgresql dbname=vlu user=vlu_northshire'`
        #[arg(long, value_name = "DIR|URL")]
        to: String,
    },
    /// Load units into the database whole, with COPY: each caseload file (named after its
    /// unit: northshire.json) checked as an import checks it, into a unit that holds no
    /// records yet, in one transaction each.
    #[command(
        after_help = "Examples:\n  vlu db load --url 'host=/run/postgresql dbname=vlu user=postgres' units/\n  \
        vlu db load --url 'host=/run/postgresql dbname=vlu user=postgres' northshire.json southshire.json"
    )]
    Load {
        /// Caseload files, or directories of them (every *.json). E.g. units/
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// The database, as an administrator who may act as each unit's role (default: the
        /// configured store). E.g. `--url 'host=/run/postgresql dbname=vlu user=postgres'`
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        /// How many units to load at once. E.g. --jobs 4
        #[arg(long, default_value_t = 2, value_name = "N")]
        jobs: usize,
    },
    /// The whole country's monitoring return, as a national role: every unit's return
    /// summed, from the facts each unit keeps (its officers named unit/officer).
    #[command(
        after_help = "Examples:\n  vlu db report --url 'host=/run/postgresql dbname=vlu user=vlu_stats' \\\n      --from 2026-07-01 --to 2026-09-30 --format csv --out national-q3.csv"
    )]
    Report {
        #[command(flatten)]
        period: super::report::ReportArgs,
        /// The database, as a national role (default: the configured store). E.g.
        /// `--url 'host=/run/postgresql dbname=vlu user=vlu_stats'`
        #[arg(long, value_name = "URL")]
        url: Option<String>,
    },
    /// Move a case with its victims and their logs to another unit of the same database, in
    /// one transaction: the other unit holds it live (its victims unallocated), this one
    /// keeps it marked transferred, without reminders; both audit trails say so.
    #[command(
        after_help = "Examples:\n  vlu db move-case --case C-2024-0117 --from northshire --to southshire \\\n      --url 'host=/run/postgresql dbname=vlu user=postgres'"
    )]
    MoveCase {
        /// The case. E.g. --case C-2024-0117
        #[arg(long, value_name = "ID")]
        case: String,
        /// The unit it is in. E.g. --from northshire
        #[arg(long, value_name = "UNIT")]
        from: String,
        /// The unit it moves to. E.g. --to southshire
        #[arg(long, value_name = "UNIT")]
        to: String,
        /// The database, as an administrator who may act as both units' roles (default: the
        /// configured store). E.g. `--url 'host=/run/postgresql dbname=vlu user=postgres'`
        #[arg(long, value_name = "URL")]
        url: Option<String>,
    },
    /// Make a database role national: it reads every unit's records (for the whole
    /// country's figures) and changes none. Never a unit's role.
    #[command(
        after_help = "Examples:\n  vlu db add-national-role vlu_hq --url 'host=/run/postgresql dbname=vlu user=postgres'"
    )]
    AddNationalRole {
        /// The role (made if need be, able to log in, with no password). E.g. `vlu_hq`
        role: String,
        /// The database, as its administrator (default: the configured store).
        /// E.g. `--url 'host=/run/postgresql dbname=vlu user=postgres'`
        #[arg(long, value_name = "URL")]
        url: Option<String>,
    },
    /// Add a unit, and the database role its services connect as (made if need be; peer
    /// authentication maps the service's OS account to it).
    #[command(
        after_help = "Examples:\n  vlu db add-unit northshire --name 'Northshire Victim Liaison Unit' \\\n      --role vlu_northshire --url 'host=/run/postgresql dbname=vlu user=postgres'"
    )]
    AddUnit {
        /// The unit's id: letters, digits, `.`, `_` and `-`. E.g. northshire
        id: String,
        /// The unit's name. E.g. --name 'Northshire Victim Liaison Unit'
        #[arg(long, value_name = "NAME")]
        name: String,
        /// The database role its services connect as. E.g. `--role vlu_northshire`
        #[arg(long, value_name = "ROLE")]
        role: String,
        /// The database, as its administrator (default: the configured store).
        /// E.g. `--url 'host=/run/postgresql dbname=vlu user=postgres'`
        #[arg(long, value_name = "URL")]
        url: Option<String>,
    },
}
