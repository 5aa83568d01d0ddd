//! `vlu export`: the whole store as a caseload file, written as it is read. A unit of
//! 100,000 victims and a million contacts is never held whole, in records or in text.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::crypt::{EncryptArgs, Sealer, maybe_sealed};
use super::progress::Progress;
use super::{Env, write_out};
use crate::domain::model::Caseload;
use crate::domain::reminders::DiaryQuery;
use crate::domain::text::plural;
use crate::error::Error;
use crate::store::{Disclosure, StoreError};
use crate::table::export::{Sheet, caseload_rows, contact_rows, diary_rows, write_csv};
use crate::unit::api::UnitStore;
use crate::unit::export::write_export;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Csv,
}

/// What a spreadsheet export holds, a row each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    /// A victim, with their case.
    Caseload,
    /// A reminder of the diary.
    Diary,
    /// A contact of the log.
    Contacts,
}

/// What `vlu export` was asked.
#[derive(Debug, clap::Args)]
pub struct Asked {
    /// Where to write: a new or regular file (standard output without it, or with `-`).
    /// E.g. backup.json, transfer.json.age, diary.csv
    file: Option<PathBuf>,
    /// json: the caseload file, everything; csv: a spreadsheet that Excel opens.
    /// E.g. --format csv
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// With csv: a row a victim (caseload), a reminder (diary) or a contact (contacts).
    /// E.g. --what diary
    #[arg(long, value_enum, value_name = "WHAT")]
    what: Option<What>,
    /// With csv: add addresses, phone numbers and emails, and the free text that may hold
    /// them (needs notes, contact summaries). E.g. --format csv --include-contact-details
    #[arg(long)]
    include_contact_details: bool,
    /// With --what diary: name the sensitive date a reminder is near ("anniversary of ...")
    /// instead of only saying there is one, as the calendar file never does. E.g. --what
    /// diary --with-sensitive-labels
    #[arg(long)]
    with_sensitive_labels: bool,
    /// With --what diary: the diary's date (default: today). E.g. --date 2026-11-24
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    date: Option<NaiveDate>,
    /// With --what diary: how many days ahead to look (default 14). E.g. --days 28
    #[arg(long, value_name = "N")]
    days: Option<u32>,
    /// Only this case, with its victims, their logs and the officers they name: the file
    /// another unit imports when the case moves to it. E.g. --case C-2025-014
    #[arg(long, value_name = "ID")]
    case: Option<String>,
    /// With --case: once the file is written, mark the case here as transferred to this area
    /// (kept, never deleted; no more reminders). E.g. --transfer-to "Southshire VLU"
    #[arg(long, value_name = "AREA", requires = "case")]
    transfer_to: Option<String>,
    #[command(flatten)]
    encrypt: EncryptArgs,
}

/// `vlu export [FILE]`: the caseload file or a spreadsheet, in clear or sealed for its
/// recipients (`crypt`). Where it goes is checked, and the passphrase asked, before
/// anything of the store is read.
pub(super) fn export(env: &Env, asked: &Asked) -> Result<(), Error> {
    let file = asked.file.as_deref();
    let to_stdout = super::destination(file)? == crate::fsutil::Destination::Stdout;
    let terminal = to_stdout && std::io::stdout().is_terminal();
    if terminal && asked.encrypt.wanted() && !asked.encrypt.armor {
        return Err(Error::Usage(
            "an encrypted export is binary and would garble the terminal: name a file, redirect standard output, or add --armor".into(),
        ));
    }
    if asked.case.is_some() && asked.format == Format::Csv {
        return Err(Error::Usage(
            "--case writes a caseload file (json) for another unit; leave out --format csv".into(),
        ));
    }
    if asked.format == Format::Csv {
        let sealer = Sealer::from_args(&asked.encrypt)?;
        let what = export_csv(env, file, asked, terminal, sealer)?;
        super::output::say_exported(&what, file, to_stdout);
        return Ok(());
    }
    if asked.what.is_some()
        || asked.include_contact_details
        || asked.with_sensitive_labels
        || asked.date.is_some()
        || asked.days.is_some()
    {
        return Err(Error::Usage(
            "--what, --include-contact-details, --with-sensitive-labels, --date and --days are \
             for --format csv; the caseload file always holds everything"
                .into(),
        ));
    }
    let sealer = Sealer::from_args(&asked.encrypt)?;
    if let Some(case) = &asked.case {
        return super::case_export::export_case(
            env,
            file,
            case,
            asked.transfer_to.as_deref(),
            sealer,
            to_stdout,
        );
    }
    let what = export_json(env, file, terminal, sealer)?;
    super::output::say_exported(&what, file, to_stdout);
    Ok(())
}

/// `vlu export --format csv`: a spreadsheet for a manager, its dates in the unit's format,
/// written as any export is (atomically, readable by its owner only).
fn export_csv(
    env: &Env,
    file: Option<&Path>,
    asked: &Asked,
    terminal: bool,
    sealer: Option<Sealer>,
) -> Result<String, Error> {
    let what = asked.what.unwrap_or(What::Caseload);
    if what != What::Diary
        && (asked.date.is_some() || asked.days.is_some() || asked.with_sensitive_labels)
    {
        return Err(Error::Usage(
            "--date, --days and --with-sensitive-labels are for --what diary".into(),
        ));
    }
    let sheet = Sheet {
        date_format: &env.config.date_format.0,
        contact_details: asked.include_contact_details,
    };
    // No progress in the middle of a sheet written to the same terminal.
    let progress = if terminal {
        Progress::hidden()
    } else {
        Progress::spinner("exporting")
    };
    let rows = match what {
        What::Caseload => caseload_rows(&whole_caseload(env)?, sheet),
        What::Contacts => contact_rows(&whole_caseload(env)?, sheet),
        What::Diary => diary_sheet(env, asked, sheet)?,
    };
    let written = write_out(file, |w| maybe_sealed(sealer, w, |w| write_csv(&rows, w)));
    progress.finish();
    written?;
    let noun = match what {
        What::Caseload => "victim",
        What::Diary => "reminder",
        What::Contacts => "contact",
    };
    Ok(plural(rows.len().saturating_sub(1), noun))
}

/// The diary's rows on `--date` for `--days`, sensitive labels withheld unless asked; read
/// through the unit service, the victims it names are recorded as disclosed.
fn diary_sheet(env: &Env, asked: &Asked, sheet: Sheet<'_>) -> Result<Vec<Vec<String>>, Error> {
    let query = DiaryQuery {
        date: asked
            .date
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
        days: asked.days.unwrap_or(14),
        officer: None,
    };
    let read = env.with_service(|service| Ok((service.load_digest()?, service.snoozes()?)))?;
    let served = read.is_some();
    let (digest, snoozes) = match read {
        Some(both) => both,
        None => env.read_for_diary()?,
    };
    let mut items = crate::unit::diary::items_of(&digest, &env.config, &query)?;
    if !asked.with_sensitive_labels {
        withhold_sensitive_labels(&mut items);
    }
    if served {
        // The sheet names the victims of its reminders: a disclosure of them.
        let mut victims: Vec<String> = items.iter().map(|i| i.reminder.victim_id.clone()).collect();
        victims.sort();
        victims.dedup();
        let disclosure = Disclosure::of("diary spreadsheet", victims);
        env.with_service(|service| service.record_disclosure(&disclosure))?;
    }
    Ok(diary_rows(&digest.caseload, &snoozes, &items, sheet))
}

/// What the diary spreadsheet says of a reminder near a sensitive date unless asked for its
/// label: that there is one, as the calendar file says, never what it is ("anniversary of
/// John's death" is not for a sheet that is printed, mailed and left on desks).
pub(crate) const SENSITIVE_WITHHELD: &str = "yes: see the victim's record";

fn withhold_sensitive_labels(items: &mut [crate::domain::reminders::DiaryItem]) {
    for item in items {
        if item.reminder.sensitive.is_some() {
            item.reminder.sensitive = Some(SENSITIVE_WITHHELD.to_owned());
        }
    }
}

/// The whole caseload, contact logs and details included: from the unit service (as its
/// export, itself recorded as a disclosure), or the store, or empty where there is no
/// store yet.
fn whole_caseload(env: &Env) -> Result<Caseload, Error> {
    let exported = env.with_service(|service| {
        let mut text = Vec::new();
        service.export(&mut text)?;
        Ok(text)
    })?;
    match exported {
        Some(text) => serde_json::from_slice(&text).map_err(|e| {
            Error::Store(StoreError::Remote(format!(
                "the unit service's export could not be read ({})",
                crate::domain::text::json_problem(&e)
            )))
        }),
        None => env.read_caseload(),
    }
}

/// `vlu export`: the caseload file, streamed from the unit service or the store. What was
/// exported, for the closing line.
fn export_json(
    env: &Env,
    file: Option<&Path>,
    terminal: bool,
    sealer: Option<Sealer>,
) -> Result<String, Error> {
    // No progress in the middle of JSON being written to the same terminal.
    let shown = |progress: fn(&str) -> Progress| {
        if terminal {
            Progress::hidden()
        } else {
            progress("exporting")
        }
    };
    if let Some(service) = env.service()? {
        // The service's own answer (a refusal: "… may not export …") is the error, with its
        // exit status, not the interrupted write it caused.
        let progress = shown(Progress::bytes);
        let mut failed = None;
        let mut victims = Victims::default();
        let written = write_out(file, |w| {
            maybe_sealed(sealer, w, |w| {
                let mut counted = Counted {
                    inner: w,
                    victims: &mut victims,
                    progress: &progress,
                };
                service.export(&mut counted).map_err(|e| {
                    let said = std::io::Error::other(e.to_string());
                    failed = Some(e);
                    said
                })
            })
        });
        progress.finish();
        return match failed {
            Some(e) => Err(e.into()),
            None => written.map(|()| plural(victims.count, "victim")),
        };
    }
    if !env.has_store()? {
        let caseload = env.read_caseload()?;
        write_out(file, |w| {
            maybe_sealed(sealer, w, |w| {
                serde_json::to_writer_pretty(&mut *w, &caseload)?;
                w.write_all(b"\n")
            })
        })?;
        return Ok(plural(caseload.victims.len(), "victim"));
    }
    let store = env.open()?;
    let progress = shown(Progress::counter);
    let victims = std::cell::Cell::new(0);
    let mut failed = None;
    let written = write_out(file, |w| {
        maybe_sealed(sealer, w, |w| {
            let step = || {
                victims.set(victims.get() + 1);
                progress.inc();
            };
            write_export(&store, w, &step).map_err(|e| {
                let said = std::io::Error::other(e.to_string());
                failed = Some(e);
                said
            })
        })
    });
    progress.finish();
    // A store that failed part-way is the cause; the interrupted write only its symptom.
    match failed {
        Some(e) => Err(e),
        None => written.map(|()| plural(victims.get(), "victim")),
    }
}

/// A writer that shows the bytes through it, and counts the victims among them.
struct Counted<'w> {
    inner: &'w mut dyn Write,
    victims: &'w mut Victims,
    progress: &'w Progress,
}

impl Write for Counted<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.victims.feed(&buf[..n]);
        self.progress.inc_by(n as u64);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The victims of a caseload file counted as it streams past: a victim, and nothing else in
/// the format, has a `case_id` key, and a key's quotes are the only ones in JSON that are
/// not escaped (inside a string, `"` is always `\"`).
#[derive(Default)]
struct Victims {
    /// The last bytes seen, which may hold the start of a key split between two writes.
    tail: Vec<u8>,
    count: usize,
}

impl Victims {
    const KEY: &'static [u8] = b"\"case_id\":";

    fn feed(&mut self, bytes: &[u8]) {
        self.tail.extend_from_slice(bytes);
        let key = Self::KEY;
        self.count += self.tail.windows(key.len()).filter(|w| *w == key).count();
        // Fewer bytes than the key: none of them can be counted twice.
        let keep = self.tail.len().min(key.len() - 1);
        self.tail.drain(..self.tail.len() - keep);
    }
}

#[cfg(test)]
mod tests {
    use super::Victims;

    #[test]
    fn victims_are_counted_in_a_caseload_file_however_it_is_cut() {
        let file = r#"{"cases": [{"id": "C-1"}], "victims": [
            {"id": "V-1", "case_id": "C-1", "name": "says \"case_id\": in text"},
            {"id": "V-2", "case_id": "C-1"}]}"#;
        for size in [1, 3, 7, 1000] {
            let mut victims = Victims::default();
            for chunk in file.as_bytes().chunks(size) {
                victims.feed(chunk);
            }
            assert_eq!(victims.count, 2, "in chunks of {size}");
        }
    }
}
