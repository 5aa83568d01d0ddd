//! The unit's configuration file (TOML): lead times, extra non-working days, which OS user
//! is which officer, and the keymap. A missing file means the defaults.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::rules::LeadTimes;
use crate::domain::text::visible;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The keymap: a name from `keymaps/` or a path.
    pub keymap: Option<String>,
    /// Days the unit does not work, besides weekends and bank holidays.
    #[serde(deserialize_with = "dates")]
    pub extra_non_working_days: Vec<NaiveDate>,
    /// OS user name → officer id.
    pub officers: BTreeMap<String, String>,
    pub lead_times: LeadTimes,
    pub backup: BackupConfig,
    pub service: ServiceConfig,
    pub letters: LettersConfig,
}

/// Letters (`[letters]`). A relative folder is taken from the configuration file's folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LettersConfig {
    /// The unit's own letter templates, laid over the built-in ones file by file.
    pub templates_dir: Option<PathBuf>,
    /// Where the screens save letters (default: `letters` in the documents folder).
    pub out_dir: Option<PathBuf>,
}

/// The unit service (`[service]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceConfig {
    /// Seconds a service started on demand waits with no client before it stops.
    pub idle_seconds: u64,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        Self { idle_seconds: 300 }
    }
}

/// The rolling backups (`[backup]`): taken after each import, when the screens open on a
/// store whose newest backup is a day old, and by `vlu backup`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BackupConfig {
    /// Where backups go (default: `backups/` in the data directory). Another disk is better.
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
            let l = l.trim_start().trim_start_matches("lead_times.");
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
        let mut config = Self::parse(&text).map_err(|(line, message)| ConfigError::Invalid {
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
    /// in which any text from the file is cut short and made visible (`echo`).
    pub fn parse(text: &str) -> Result<Self, (usize, String)> {
        let config: Self = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            (line, echo_quoted(e.message().replace('\n', " ").trim()))
        })?;
        if let Some(too_long) = config.lead_times.too_long() {
            return Err((line_of_key(text, too_long.key), too_long.to_string()));
        }
        Ok(config)
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
}
