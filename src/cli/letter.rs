//! `vlu letter KIND --victim ID` and `vlu letter check DIR`: a letter from the record, to
//! read, save and (with `--record`) log as sent; a unit's templates checked before use.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::Env;
use crate::domain::enums::{KeyDateKind, LetterKind};
use crate::domain::letter::LetterRequest;
use crate::domain::text::visible;
use crate::error::Error;
use crate::letters::{self, Format, Templates};
use crate::unit::api::UnitStore;
use crate::unit::command::Command;

/// `vlu letter …`: either `check DIR` or a letter's arguments.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct LetterCommand {
    #[command(subcommand)]
    pub check: Option<LetterCheck>,
    #[command(flatten)]
    pub letter: Option<LetterArgs>,
}

#[derive(Debug, clap::Subcommand)]
pub enum LetterCheck {
    /// Check a folder of letter templates (every problem listed; exit 2 if any).
    Check {
        #[arg(
            help = "The folder: files named as the built-in ones (base.txt, initial_offer.txt, …). E.g. letter-templates"
        )]
        dir: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub struct LetterArgs {
    #[arg(
        value_parser = super::values::Known::new(|| LetterKind::IDS.to_vec(), parse_kind),
        hide_possible_values = true,
        value_name = "KIND",
        help = "initial_offer, second_offer, annual_letter, key_date, vps_offer, licence_conditions, licence_outcome, complaint_ack, written_follow_up or case_closure. E.g. vlu letter annual_letter --victim V-0001"
    )]
    pub kind: LetterKind,
    /// The victim record the letter is for. E.g. --victim V-0001
    #[arg(long, value_name = "ID")]
    pub victim: String,
    /// The letter's date (default: today). E.g. --date 2026-12-01
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub date: Option<NaiveDate>,
    #[arg(
        long,
        value_name = "KIND",
        value_parser = super::values::Known::new(|| KeyDateKind::IDS.to_vec(), parse_key_date),
        hide_possible_values = true,
        help = "For a key_date letter: the kind of key date it tells of (crd, parole_hearing, …). E.g. --key-date crd"
    )]
    pub key_date: Option<KeyDateKind>,
    /// For a written follow-up or a complaint acknowledgement: the entry of the log it
    /// answers, by number (from 1, oldest first) or date (default: the latest). E.g.
    /// --contact 3, --contact 2026-11-20
    #[arg(long, value_name = "N|YYYY-MM-DD", value_parser = parse_entry)]
    pub contact: Option<Entry>,
    /// text, or docx for Word (large print where the victim needs it). E.g. --format docx
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write to this file (atomically, readable by you only) instead of standard output.
    /// E.g. --out letters/V-0001-annual.docx
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Log the letter as sent: an outbound letter of the matching kind, dated the letter's
    /// date. E.g. --record
    #[arg(long)]
    pub record: bool,
}

/// An entry of a victim's log, as named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// Counting from 1, oldest first.
    Number(usize),
    On(NaiveDate),
}

fn parse_kind(s: &str) -> Result<LetterKind, String> {
    LetterKind::parse(s).ok_or_else(|| {
        format!(
            "\"{s}\" is not a kind of letter (one of: {})",
            LetterKind::IDS.join(", ")
        )
    })
}

fn parse_key_date(s: &str) -> Result<KeyDateKind, String> {
    KeyDateKind::parse(s).ok_or_else(|| format!("\"{s}\" is not a kind of key date"))
}

fn parse_entry(s: &str) -> Result<Entry, String> {
    if let Ok(n) = s.parse::<usize>() {
        return if n == 0 {
            Err("entries are counted from 1".into())
        } else {
            Ok(Entry::Number(n))
        };
    }
    super::parse_date(s)
        .map(Entry::On)
        .map_err(|_| format!("\"{s}\" is neither an entry's number nor a date YYYY-MM-DD"))
}

/// `vlu letter check DIR`.
pub fn check(env: &Env, dir: &Path) -> Result<(), Error> {
    match Templates::load(Some(dir), &env.config.unit) {
        Ok(_) => {
            say!(
                "The letter templates in {} are sound: every field they name is one a letter has, and every kind renders for every role.",
                dir.display()
            );
            Ok(())
        }
        Err(problems) => Err(Error::BadTemplates {
            dir: dir.to_owned(),
            problems: problems.iter().map(ToString::to_string).collect(),
        }),
    }
}

/// The unit's templates (its own laid over the built-in ones), or every problem in them.
pub fn templates(env: &Env) -> Result<Templates, Error> {
    let dir = env.config.letters.templates_dir.as_deref();
    Templates::load(dir, &env.config.unit).map_err(|problems| Error::BadTemplates {
        dir: dir.map_or_else(PathBuf::new, Path::to_owned),
        problems: problems.iter().map(ToString::to_string).collect(),
    })
}

/// `vlu letter KIND --victim ID …`.
pub fn letter(env: &Env, args: &LetterArgs) -> Result<(), Error> {
    let templates = templates(env)?;
    if args.format == Format::Docx && args.out.is_none() && std::io::stdout().is_terminal() {
        return Err(Error::Usage(
            "a .docx letter is written to a file: name one with --out".into(),
        ));
    }
    let Some(client) = env.service()? else {
        return Err(Error::Usage(format!(
            "there is no store in {}; import a caseload first",
            env.data_dir.display()
        )));
    };
    let digest = client.load_digest()?;
    let caseload = &digest.caseload;
    let Some(case_id) = caseload
        .victims
        .iter()
        .find(|v| v.id == args.victim)
        .map(|v| v.case_id.clone())
    else {
        return Err(Error::Usage(format!(
            "there is no victim \"{}\" in the store",
            args.victim
        )));
    };
    let officer = env.config.officer_for(&env.user);
    let context = letters::Context {
        officers: caseload.officers.clone(),
        unit: caseload.unit.as_ref().and_then(|u| u.name.clone()),
        others: caseload
            .victims
            .iter()
            .filter(|v| v.case_id == case_id)
            .map(|v| v.id.clone())
            .collect(),
        signer: caseload
            .officers
            .iter()
            .any(|o| o.id == officer)
            .then(|| officer.to_owned()),
    };
    let mut request = LetterRequest::new(
        args.kind,
        args.date
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
    );
    request.key_date = args.key_date;
    match args.contact {
        Some(Entry::Number(n)) => request.contact = Some(n - 1),
        Some(Entry::On(d)) => request.about = Some(d),
        None => {}
    }
    let letter = letters::prepare(
        &client,
        &templates,
        &args.victim,
        &request,
        &context,
        "letter",
    )?;
    for warning in &letter.warnings {
        eprintln!("vlu: note: {}", visible(warning));
    }
    write(env, args, &letter)?;
    if args.record {
        client.execute(&Command::LogContact {
            victim: args.victim.clone(),
            contact: letter.record.clone(),
        })?;
        eprintln!(
            "vlu: recorded in {}'s contact log: an outbound letter ({}) on {}.",
            visible(&args.victim),
            letter.record.kind.label(),
            letter.record.on
        );
    }
    Ok(())
}

/// The letter to its file, or to standard output (text made safe for a terminal).
fn write(env: &Env, args: &LetterArgs, letter: &letters::Letter) -> Result<(), Error> {
    let bytes = args.format.bytes(letter);
    let to_stdout = args.out.as_deref().is_none_or(|p| {
        matches!(
            crate::fsutil::destination(p),
            Ok(crate::fsutil::Destination::Stdout)
        )
    });
    if !to_stdout {
        let path = args.out.as_deref().unwrap_or(Path::new("-"));
        letters::save(path, &bytes, Some(&env.data_dir))?;
        eprintln!("vlu: the letter is in {}.", path.display());
        return Ok(());
    }
    super::write_stdout(|w: &mut dyn Write| {
        if args.format == Format::Text && std::io::stdout().is_terminal() {
            for line in letter.text.lines() {
                writeln!(w, "{}", visible(line))?;
            }
            Ok(())
        } else {
            w.write_all(&bytes)
        }
    })
}
