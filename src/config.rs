//! The unit's configuration file (TOML): lead times, the working-day calendar's changes,
//! which OS user is which officer, and the keymap. A missing file means the defaults.

mod holidays;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

pub use self::holidays::BankHolidayFile;
use crate::domain::calendar::DayChanges;
use crate::domain::letter::facts::Letterhead;
use crate::domain::retention::{MAX_YEARS, RetentionRules};
use crate::domain::rules::LeadTimes;
use crate::domain::text::visible;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The keymap: a name from `keymaps/` or a path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keymap: Option<String>,
    /// Days the unit does not work, besides weekends and bank holidays.
    #[serde(deserialize_with = "dates")]
    pub extra_non_working_days: Vec<NaiveDate>,
    pub calendar: CalendarConfig,
    /// OS user name → officer id.
    pub officers: BTreeMap<String, String>,
    pub lead_times: LeadTimes,
    pub backup: BackupConfig,
    pub service: ServiceConfig,
    /// Where the records are (`[store]`): the data directory unless a database is named.
    pub store: StoreConfig,
    /// How long records are kept (`[retention]`): no rule, nothing falls due.
    pub retention: RetentionRules,
    /// The working-day changes in force: `extra_non_working_days` and the bank-holidays
    /// file's additions as days off, `calendar.working_days` and the file's removals as days
    /// worked (worked wins). What the diary and the screens pass to the domain's calendar.
    #[serde(skip)]
    pub days: DayChanges,
    /// The bank-holidays file, as read (`calendar.bank_holidays_file`).
    #[serde(skip)]
    pub bank_holidays: Option<BankHolidayFile>,
    /// How dates are written in the spreadsheets vlu writes (`export --format csv`), and
    /// read in those it reads when their mapping does not say.
    pub date_format: DateFormat,
    /// Letter templates and where the screens save letters (`[letters]`).
    pub letters: LettersConfig,
    /// Where a victim answers the unit (`[unit]`): the return address, phone, email and
    /// support line every default letter gives.
    #[serde(skip_serializing_if = "is_unset")]
    pub unit: Letterhead,
}

fn is_unset(head: &Letterhead) -> bool {
    *head == Letterhead::default()
}

/// Letters (`[letters]`). A relative folder is taken from the configuration file's folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct LettersConfig {
    /// The unit's own letter templates, laid over the built-in ones file by file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub templates_dir: Option<PathBuf>,
    /// Where the screens save letters (default: `letters` in the documents folder).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out_dir: Option<PathBuf>,
}

/// A date format for spreadsheets (`%d/%m/%Y`): one that writes and reads back every date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat(pub String);

/// Dates as a UK unit writes them, and as Excel in a UK locale reads them: 24/11/2026.
impl Default for DateFormat {
    fn default() -> Self {
        Self("%d/%m/%Y".to_owned())
    }
}

impl<'de> Deserialize<'de> for DateFormat {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let format = String::deserialize(d)?;
        match crate::domain::date_format::problem(&format) {
            Some(problem) => Err(serde::de::Error::custom(problem)),
            None => Ok(Self(format)),
        }
    }
}

impl Serialize for DateFormat {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// The working-day calendar (`[calendar]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct CalendarConfig {
    /// A bank-holidays file in GOV.UK's JSON format (`https://www.gov.uk/bank-holidays.json`):
    /// for the years it covers, its England and Wales list replaces vlu's. A relative path
    /// is read from the configuration file's folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bank_holidays_file: Option<PathBuf>,
    /// Weekdays the unit works although they are bank holidays (or days off it listed).
    #[serde(deserialize_with = "dates")]
    pub working_days: Vec<NaiveDate>,
}

/// Where the unit's records are kept (`[store]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoreConfig {
    /// A PostgreSQL database, connected to as the unit's role: a `postgresql://` URL or a
    /// libpq keyword string (`host=/run/postgresql dbname=vlu`). Never a password: peer
    /// authentication on the local socket, or a password file only the service can read.
    /// Without it, the records are in the data directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The unit service (`[service]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceConfig {
    /// Seconds a service started on demand waits with no client before it stops.
    pub idle_seconds: u64,
    /// Whether the service keeps the unit seen whole between requests (its digest with
    /// each victim's reminders, order and search): most of its memory at rest, and what
    /// answers a screen at once. Without it, each request reads the unit again.
    pub keep_unit: bool,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        Self {
            idle_seconds: 300,
            keep_unit: true,
        }
    }
}

/// The rolling backups (`[backup]`): taken after each import, when the screens open on a
/// store whose newest backup is a day old, and by `vlu backup`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct BackupConfig {
    /// Where backups go (default: `backups/` in the data directory). Another disk is better.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dir: Option<PathBuf>,
    /// How many are kept, newest first: 1 to 366.
    #[serde(deserialize_with = "keep_count")]
    pub keep: usize,
}

impl Default for BackupConfig {
    fn default() -> Self {
        Self { dir: None, keep: 7 }
    }
}

impl BackupConfig {
    /// The backup folder of the store in `data_dir`: `backups/` inside it, or a folder of
    /// its own in the configured one — named by the data directory and a checksum of its
    /// full path — so that units sharing a backup disk never prune or restore each other's.
    pub fn dir_for(&self, data_dir: &Path) -> PathBuf {
        let Some(shared) = &self.dir else {
            return data_dir.join("backups");
        };
        let full = std::path::absolute(data_dir).unwrap_or_else(|_| data_dir.to_owned());
        let name = full
            .file_name()
            .map_or_else(|| "vlu".into(), |n| n.to_string_lossy());
        let sum = crc32fast::hash(full.as_os_str().as_encoded_bytes());
        shared.join(format!("{name}-{sum:08x}"))
    }
}

fn keep_count<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let n = i64::deserialize(d)?;
    match usize::try_from(n) {
        Ok(keep @ 1..=366) => Ok(keep),
        _ => Err(serde::de::Error::custom(format!(
            "keep must be from 1 to 366 backups, not {n}"
        ))),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("configuration file {}, line {line}: {message}", .path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// Dates written either as TOML dates (`2026-12-24`) or as strings (`"2026-12-24"`).
fn dates<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
    Vec::<toml::Value>::deserialize(d)?
        .into_iter()
        .map(|v| {
            let text = match &v {
                toml::Value::String(s) => s.clone(),
                toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
                    dt.to_string()
                }
                other => {
                    return Err(serde::de::Error::custom(format!(
                        "expected a date, found {other}"
                    )));
                }
            };
            NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| {
                serde::de::Error::custom(format!(
                    "invalid date \"{}\" (expected YYYY-MM-DD)",
                    echo(&text)
                ))
            })
        })
        .collect()
}

/// The most characters of the file's own text that an error repeats.
const ECHO_CHARS: usize = 60;

/// Text from the file as an error may repeat it: at most `ECHO_CHARS` characters (then
/// "…"), with no control character that could reach the terminal.
fn echo(text: &str) -> String {
    crate::domain::text::shortened(text, ECHO_CHARS)
}

/// A parser's message with each `quoted` part (a key, a value) passed through `echo`: an
/// unknown key of a megabyte is not repeated whole.
fn echo_quoted(message: &str) -> String {
    message
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                echo(part)
            } else {
                visible(part).into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

/// The line (from 1) on which `key` is given, or 1 if it cannot be found.
fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l
                .trim_start()
                .trim_start_matches("lead_times.")
                .trim_start_matches("retention.")
                .trim_start_matches("calendar.");
            let l = l.trim_start_matches(['"', '\'']);
            l.strip_prefix(key).is_some_and(|rest| {
                rest.trim_start_matches(['"', '\''])
                    .trim_start()
                    .starts_with('=')
            })
        })
        .map_or(1, |i| i + 1)
}

impl Config {
    /// Reads the configuration. `explicit` is a file named by `--config` or `VLU_CONFIG`,
    /// which must exist; `default` is the platform's, which may be absent.
    pub fn load(explicit: Option<&Path>, default: Option<&Path>) -> Result<Self, ConfigError> {
        let (path, must_exist) = match (explicit, default) {
            (Some(p), _) => (p, true),
            (None, Some(p)) => (p, false),
            (None, None) => return Ok(Self::default()),
        };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if !must_exist && e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self::default());
            }
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut config =
            Self::parse_in(&text, dir).map_err(|(line, message)| ConfigError::Invalid {
                path: path.to_owned(),
                line,
                message,
            })?;
        let folder = path.parent().unwrap_or(Path::new(""));
        for dir in [
            &mut config.letters.templates_dir,
            &mut config.letters.out_dir,
        ]
        .into_iter()
        .flatten()
        {
            if dir.is_relative() {
                *dir = folder.join(&*dir);
            }
        }
        Ok(config)
    }

    /// Parses configuration text; an error is its line (from 1) and a one-line message,
    /// in which any text from the file is cut short and made visible (`echo`). A relative
    /// `bank_holidays_file` is read from the current directory.
    pub fn parse(text: &str) -> Result<Self, (usize, String)> {
        Self::parse_in(text, Path::new("."))
    }

    /// [`Config::parse`], reading a relative `bank_holidays_file` from `dir`.
    pub fn parse_in(text: &str, dir: &Path) -> Result<Self, (usize, String)> {
        let mut config: Self = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            (line, echo_quoted(e.message().replace('\n', " ").trim()))
        })?;
        if let Some((key, problem)) = config.unit.problem() {
            return Err((line_of_key(text, key), problem));
        }
        if let Some(too_long) = config.lead_times.too_long() {
            return Err((line_of_key(text, too_long.key), too_long.to_string()));
        }
        if let Some((key, years)) = config.retention.out_of_range() {
            return Err((
                line_of_key(text, key),
                format!("{key} is {years}: a retention period is from 1 to {MAX_YEARS} years"),
            ));
        }
        if let Some(weekend) = config
            .calendar
            .working_days
            .iter()
            .find(|d| d.weekday().num_days_from_monday() >= 5)
        {
            return Err((
                line_of_key(text, "working_days"),
                format!(
                    "working_days: {weekend} is a {}; only a weekday can be made a working day",
                    weekend.format("%A")
                ),
            ));
        }
        if let Some(file) = &config.calendar.bank_holidays_file {
            let path = dir.join(file);
            let read = holidays::load(&path).map_err(|e| {
                (
                    line_of_key(text, "bank_holidays_file"),
                    format!(
                        "the bank-holidays file {} {e}",
                        visible(&path.display().to_string())
                    ),
                )
            })?;
            config.bank_holidays = Some(read);
        }
        config.days = config.day_changes();
        Ok(config)
    }

    /// The working-day changes this configuration makes (see [`Config::days`]).
    fn day_changes(&self) -> DayChanges {
        let file = self.bank_holidays.as_ref();
        DayChanges {
            non_working: self
                .extra_non_working_days
                .iter()
                .chain(file.map_or(&[][..], |f| &f.added))
                .copied()
                .collect(),
            working: self
                .calendar
                .working_days
                .iter()
                .chain(file.map_or(&[][..], |f| &f.removed))
                .copied()
                .collect(),
        }
    }

    /// The officer id of an OS user: the configured mapping, else the user name itself.
    pub fn officer_for<'a>(&'a self, os_user: &'a str) -> &'a str {
        self.officers.get(os_user).map_or(os_user, String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_means_defaults() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
        assert_eq!(Config::default().lead_times.initial_offer_working_days, 40);
    }

    #[test]
    fn the_release_re_offer_lead_time_is_182_days_unless_the_unit_says() {
        let lead = Config::default().lead_times;
        assert_eq!(
            (
                lead.release_reoffer_notice_days,
                lead.release_reoffer_window_days,
                lead.release_reoffer_after_second_offer_months,
                lead.release_reoffer_after_offer_months
            ),
            (182, 365, 3, 6)
        );
        let c = Config::parse("[lead_times]\nrelease_reoffer_notice_days = 273\n").unwrap();
        assert_eq!(c.lead_times.release_reoffer_notice_days, 273);
        assert_eq!(c.lead_times.release_reoffer_window_days, 365);
        let (line, message) =
            Config::parse("[lead_times]\nrelease_reoffer_after_offer_months = 121\n").unwrap_err();
        assert_eq!(line, 2);
        assert!(
            message.contains("release_reoffer_after_offer_months"),
            "{message}"
        );
    }

    #[test]
    fn a_unit_may_change_lead_times_and_map_users() {
        let c = Config::parse(
            "extra_non_working_days = [2026-12-24, \"2026-12-31\"]\n[officers]\nsara = \"sahmed\"\n[lead_times]\ninitial_offer_working_days = 20\n",
        )
        .unwrap();
        assert_eq!(c.lead_times.initial_offer_working_days, 20);
        assert_eq!(c.lead_times.complaint_ack_working_days, 10);
        assert_eq!(c.officer_for("sara"), "sahmed");
        assert_eq!(c.officer_for("jbloggs"), "jbloggs");
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
        assert_eq!(c.extra_non_working_days, [d(24), d(31)]);
        let (line, message) =
            Config::parse("\nextra_non_working_days = [\"2026-02-30\"]\n").unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("2026-02-30"), "{message}");
    }

    #[test]
    fn a_bad_file_names_the_line() {
        let (line, message) =
            Config::parse("keymap = \"vim\"\n\n[lead_times]\ninitial_offer_days = 3\n")
                .unwrap_err();
        assert_eq!(line, 4);
        assert!(message.contains("initial_offer_days"), "{message}");
        let (line, _) = Config::parse("[lead_times]\nannual_letter_months = -1\n").unwrap_err();
        assert_eq!(line, 2);
    }

    #[test]
    fn backups_are_kept_a_bounded_number_of_times() {
        let c = Config::parse("[backup]\nkeep = 14\ndir = \"/srv/vlu-backups\"\n").unwrap();
        assert_eq!(c.backup.keep, 14);
        let one = c.backup.dir_for(Path::new("/units/north/data"));
        let other = c.backup.dir_for(Path::new("/units/south/data"));
        assert!(one.starts_with("/srv/vlu-backups") && one.to_string_lossy().contains("data-"));
        assert_ne!(one, other, "two units sharing a backup disk keep apart");
        assert_eq!(
            Config::default().backup.dir_for(Path::new("/data")),
            Path::new("/data/backups")
        );
        for bad in ["0", "-1", "100000"] {
            let (line, message) = Config::parse(&format!("[backup]\nkeep = {bad}\n")).unwrap_err();
            assert_eq!(line, 2);
            assert!(message.contains("1 to 366"), "{message}");
        }
    }

    #[test]
    fn retention_rules_are_optional_and_bounded() {
        assert!(
            !Config::default().retention.any(),
            "no rule unless the unit sets one"
        );
        let c = Config::parse("[retention]\ndeclined_years = 6\nclosed_case_years = 7\n").unwrap();
        assert_eq!(c.retention.declined_years, Some(6));
        assert_eq!(c.retention.closed_case_years, Some(7));
        assert_eq!(c.retention.closed_victim_years, None);
        let (line, message) =
            Config::parse("[retention]\ndeclined_years = 6\nclosed_case_years = 0\n").unwrap_err();
        assert_eq!(line, 3);
        assert!(message.contains("closed_case_years is 0"), "{message}");
        let (line, message) = Config::parse("[retention]\nclosed_years = 6\n").unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("closed_years"), "{message}");
    }

    #[test]
    fn spreadsheets_date_as_the_unit_says() {
        assert_eq!(Config::default().date_format.0, "%d/%m/%Y");
        let c = Config::parse("date_format = \"%Y-%m-%d\"\n").unwrap();
        assert_eq!(c.date_format.0, "%Y-%m-%d");
        let (line, message) =
            Config::parse("keymap = \"vim\"\ndate_format = \"%d/%m/%y\"\n").unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("four-digit year"), "{message}");
    }

    #[test]
    fn letter_folders_are_taken_from_the_configuration_files_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "[letters]\ntemplates_dir = \"templates\"\nout_dir = \"/srv/letters\"\n",
        )
        .unwrap();
        let c = Config::load(Some(&path), None).unwrap();
        assert_eq!(c.letters.templates_dir, Some(dir.path().join("templates")));
        assert_eq!(
            c.letters.out_dir.as_deref(),
            Some(Path::new("/srv/letters"))
        );
    }

    #[test]
    fn a_missing_default_file_is_fine_but_a_named_one_is_not() {
        let missing = Path::new("/nonexistent/vlu/config.toml");
        assert_eq!(
            Config::load(None, Some(missing)).unwrap(),
            Config::default()
        );
        assert!(matches!(
            Config::load(Some(missing), None),
            Err(ConfigError::Read { .. })
        ));
    }

    #[test]
    fn a_lead_time_past_its_bound_is_refused_naming_the_key_and_line() {
        let (line, message) = Config::parse(
            "keymap = \"vim\"\n[lead_times]\ndue_soon_days = 7\ninitial_offer_working_days = 4294967295\n",
        )
        .unwrap_err();
        assert_eq!(line, 4);
        assert!(
            message.starts_with("initial_offer_working_days is 4294967295"),
            "{message}"
        );
        let ok = Config::parse("[lead_times]\ninitial_offer_working_days = 260\n").unwrap();
        assert_eq!(ok.lead_times.initial_offer_working_days, 260);
        let (line, _) = Config::parse("\nlead_times.annual_letter_months = 121\n").unwrap_err();
        assert_eq!(line, 2);
    }

    #[test]
    fn the_units_letterhead_is_plain_lines_a_phone_and_an_email() {
        let good = Config::parse(
            "[unit]\naddress = [\"PO Box 4120\", \"Northtown NT1 4ZZ\"]\nphone = \"0113 496 0458\"\nemail = \"vlu@northshire.example\"\nsupport = \"the Victims' Hub\"\n",
        )
        .unwrap();
        assert_eq!(good.unit.address.len(), 2);
        assert!(good.unit.has("phone") && good.unit.has("support"));
        for (text, line, says) in [
            (
                "[unit]\nemail = \"a@b.example\"\nphone = \"call us\"\n",
                3,
                "not a phone number",
            ),
            ("[unit]\nemail = \"nobody\"\n", 2, "not an email address"),
            (
                "[unit]\n\nsupport = \"Hub\\u001b[2J\"\n",
                3,
                "a control character",
            ),
            ("[unit]\naddress = [\"\"]\n", 2, "empty"),
        ] {
            let (at, message) = Config::parse(text).unwrap_err();
            assert_eq!(at, line, "{text}");
            assert!(message.contains(says), "{message}");
        }
    }

    #[test]
    fn an_unknown_key_is_echoed_cut_short_and_visible() {
        let key = "k".repeat(1_000_000);
        let (line, message) = Config::parse(&format!("\n{key} = 1\n")).unwrap_err();
        assert_eq!(line, 2);
        assert!(message.len() < 1_000, "{} bytes", message.len());
        assert!(
            message.contains(&format!("`{}…`", "k".repeat(60))),
            "{message}"
        );
        let (_, message) = Config::parse("\"a\\u001b[31mb\" = 1\n").unwrap_err();
        assert!(!message.contains('\u{1b}'), "{message:?}");
        let long_date = "9".repeat(500);
        let (_, message) =
            Config::parse(&format!("extra_non_working_days = [\"{long_date}\"]\n")).unwrap_err();
        assert!(message.len() < 200, "{message}");
    }

    #[test]
    fn the_calendar_section_adds_and_removes_days() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("bank-holidays.json"),
            r#"{"england-and-wales":{"division":"england-and-wales","events":[
                {"title":"New Year's Day","date":"2026-01-01","notes":"","bunting":true},
                {"title":"Good Friday","date":"2026-04-03","notes":"","bunting":false},
                {"title":"Easter Monday","date":"2026-04-06","notes":"","bunting":true},
                {"title":"Early May bank holiday","date":"2026-05-04","notes":"","bunting":true},
                {"title":"Spring bank holiday","date":"2026-05-25","notes":"","bunting":true},
                {"title":"Summer bank holiday","date":"2026-08-31","notes":"","bunting":true},
                {"title":"A new holiday","date":"2026-10-12","notes":"","bunting":true},
                {"title":"Christmas Day","date":"2026-12-25","notes":"","bunting":true}]}}"#,
        )
        .unwrap();
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let c = Config::parse_in(
            "extra_non_working_days = [2026-12-24]\n[calendar]\nbank_holidays_file = \"bank-holidays.json\"\nworking_days = [2026-05-04]\n",
            dir.path(),
        )
        .unwrap();
        let file = c.bank_holidays.as_ref().unwrap();
        assert_eq!(file.years, Some((2026, 2026)));
        assert_eq!(c.days.non_working, [d("2026-12-24"), d("2026-10-12")]);
        // The worked early May day, and Boxing Day's substitute the file leaves out.
        assert_eq!(c.days.working, [d("2026-05-04"), d("2026-12-28")]);

        let (line, message) =
            Config::parse("\n[calendar]\nworking_days = [2026-12-26]\n").unwrap_err();
        assert_eq!(line, 3);
        assert!(message.contains("2026-12-26 is a Saturday"), "{message}");
        let (line, message) = Config::parse_in(
            "[calendar]\nbank_holidays_file = \"missing.json\"\n",
            dir.path(),
        )
        .unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("missing.json cannot be read"), "{message}");
    }
}
