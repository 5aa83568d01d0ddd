//! `vlu db`: a PostgreSQL database of units, for its administrator — the schema, the units'
//! roles, a unit copied in or out, many units loaded at once, a case moved between units.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use super::Env;
use super::args::DbCommand;
use crate::domain::text::{plural, visible};
use crate::domain::validate::{KnownIds, parse_caseload};
use crate::error::Error;
use crate::store::{Place, Store};

/// `vlu db …`.
pub(super) fn db(env: &Env, command: DbCommand) -> Result<(), Error> {
    let address = |url: Option<String>| {
        url.or_else(|| env.config.store.url.clone()).ok_or_else(|| {
            Error::Usage("name the database with --url (no [store] url is configured)".into())
        })
    };
    match command {
        DbCommand::Migrate { url } => {
            let done = crate::store::database::migrate(&address(url)?)?;
            if done.from == done.to {
                eprintln!(
                    "The database's vlu schema is up to date (version {}).",
                    done.to
                );
            } else {
                eprintln!(
                    "Brought the database's vlu schema from version {} to {}.",
                    done.from, done.to
                );
            }
            Ok(())
        }
        DbCommand::Copy { from, to } => copy_unit(env, &from, &to),
        DbCommand::AddNationalRole { role, url } => {
            crate::store::database::add_national_role(&address(url)?, &role)?;
            eprintln!(
                "{} now reads every unit's records in the database, and can change none.",
                visible(&role)
            );
            Ok(())
        }
        DbCommand::Load { paths, url, jobs } => load(env, &address(url)?, &paths, jobs),
        DbCommand::Report { period, url } => super::report::national(env, &address(url)?, &period),
        DbCommand::MoveCase {
            case,
            from,
            to,
            url,
        } => {
            let today = chrono::Local::now().date_naive();
            let moved = crate::unit::transfer::move_case(
                &address(url)?,
                &case,
                &from,
                &to,
                &env.user,
                today,
            )?;
            eprintln!(
                "Moved case {} ({}, {}) from unit {} to unit {} in one transaction: {} holds it live, its victims unallocated; {} keeps it marked transferred, without reminders (audit entries {} and {}).",
                visible(&case),
                crate::domain::text::plural(moved.victims, "victim"),
                crate::domain::text::plural(moved.contacts, "contact"),
                visible(&from),
                visible(&to),
                visible(&to),
                visible(&from),
                moved.from_seq,
                moved.to_seq,
            );
            Ok(())
        }
        DbCommand::AddUnit {
            id,
            name,
            role,
            url,
        } => {
            crate::store::database::add_unit(&address(url)?, &id, &name, &role)?;
            eprintln!(
                "Added unit {} ({}): its services connect as the database role {role}.",
                visible(&id),
                visible(&name)
            );
            Ok(())
        }
    }
}

/// A side of `vlu db copy`: a database address, or a data directory.
fn copy_side(side: &str) -> Result<(PathBuf, Place, Option<tempfile::TempDir>), Error> {
    let address =
        side.starts_with("postgres://") || side.starts_with("postgresql://") || side.contains('=');
    if address {
        // The lock of a data directory of its own: nothing else of this host's is touched.
        let lock_dir = tempfile::tempdir().map_err(|source| Error::Write {
            path: std::env::temp_dir(),
            source,
        })?;
        let place = Place::of_address(side)?;
        return Ok((lock_dir.path().to_owned(), place, Some(lock_dir)));
    }
    Ok((PathBuf::from(side), Place::Embedded, None))
}

/// `vlu db copy --from A --to B`.
fn copy_unit(env: &Env, from: &str, to: &str) -> Result<(), Error> {
    let (from_dir, from_place, _from_lock) = copy_side(from)?;
    let (to_dir, to_place, _to_lock) = copy_side(to)?;
    if from_place == Place::Embedded && !Store::exists(&from_dir)? {
        return Err(Error::Usage(format!(
            "there is no store in {} to copy",
            from_dir.display()
        )));
    }
    let made_here = to_place == Place::Embedded && !to_dir.exists();
    if to_place == Place::Embedded && Store::exists(&to_dir)? {
        return Err(Error::Usage(format!(
            "{} already holds a store: a copy goes only into a new one",
            to_dir.display()
        )));
    }
    let source = Store::open_at(&from_dir, &from_place, &env.user)?;
    let copied = Store::open_at(&to_dir, &to_place, &env.user)
        .map_err(Error::from)
        .and_then(|target| Ok(source.copy_into(&target)?));
    match copied {
        Ok(copied) => {
            eprintln!(
                "Copied {}, {}, {} and the audit trail ({} entries) from {} to {}.",
                plural(copied.officers, "officer"),
                plural(copied.cases, "case"),
                plural(copied.victims, "victim"),
                copied.audit,
                from_place.describe(&from_dir),
                to_place.describe(&to_dir)
            );
            Ok(())
        }
        Err(e) => {
            if made_here {
                // Nothing was copied: the store begun for it goes too.
                let _ = std::fs::remove_dir_all(&to_dir);
            }
            Err(e)
        }
    }
}

/// The caseload files `paths` name — a file, or every `.json` file of a directory — each
/// with the unit it is for: its name without `.json`.
fn unit_files(paths: &[PathBuf]) -> Result<Vec<(String, PathBuf)>, Error> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| Error::Usage(format!("cannot read {}: {e}", path.display())))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    files
        .into_iter()
        .map(|file| {
            let unit = file
                .file_stem()
                .and_then(|s| s.to_str())
                .filter(|s| !s.is_empty())
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "{}: a unit's file is named after the unit (northshire.json)",
                        file.display()
                    ))
                })?
                .to_owned();
            Ok((unit, file))
        })
        .collect()
}

/// `vlu db load PATH…`: each unit's caseload file checked as an import checks it, then
/// loaded whole into its unit (which must hold nothing yet), `jobs` units at a time. The
/// first unit that cannot be loaded stops the rest; those loaded before it stay, each whole.
fn load(env: &Env, url: &str, paths: &[PathBuf], jobs: usize) -> Result<(), Error> {
    let files = unit_files(paths)?;
    if files.is_empty() {
        return Err(Error::Usage("no caseload files to load (*.json)".into()));
    }
    let next = Mutex::new(files.iter());
    let stop = AtomicBool::new(false);
    let failed: Mutex<Option<Error>> = Mutex::new(None);
    let began = std::time::Instant::now();
    let totals = Mutex::new((0_usize, 0_usize, 0_usize));
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, 16) {
            scope.spawn(|| {
                while !stop.load(Ordering::SeqCst) {
                    let Some((unit, file)) = next.lock().ok().and_then(|mut n| n.next()) else {
                        return;
                    };
                    match load_one(env, url, unit, file) {
                        Ok((victims, contacts)) => {
                            if let Ok(mut t) = totals.lock() {
                                *t = (t.0 + 1, t.1 + victims, t.2 + contacts);
                            }
                        }
                        Err(e) => {
                            stop.store(true, Ordering::SeqCst);
                            if let Ok(mut f) = failed.lock() {
                                f.get_or_insert(e);
                            }
                        }
                    }
                }
            });
        }
    });
    let (units, victims, contacts) = totals.into_inner().unwrap_or_default();
    if units > 0 {
        eprintln!(
            "Loaded {}: {}, {} in {:.1} s.",
            plural(units, "unit"),
            plural(victims, "victim"),
            plural(contacts, "contact"),
            began.elapsed().as_secs_f64()
        );
    }
    match failed.into_inner().ok().flatten() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// One unit's file checked and loaded; its victims and contacts.
fn load_one(env: &Env, url: &str, unit: &str, file: &Path) -> Result<(usize, usize), Error> {
    let began = std::time::Instant::now();
    let text = std::fs::read_to_string(file)
        .map_err(|e| Error::Usage(format!("cannot read {}: {e}", file.display())))?;
    let caseload =
        parse_caseload(&text, &KnownIds::default(), false).map_err(|problems| Error::Invalid {
            file: file.to_owned(),
            problems,
        })?;
    drop(text);
    let rules = (env.config.lead_times, &env.config.days);
    let loaded = crate::store::load::load(url, unit, caseload, &env.user, rules)?;
    eprintln!(
        "Loaded unit {}: {}, {} ({} rows) in {:.1} s.",
        visible(unit),
        plural(loaded.summary.victims, "victim"),
        plural(loaded.summary.contacts, "contact"),
        loaded.rows + loaded.contact_rows,
        began.elapsed().as_secs_f64()
    );
    Ok((loaded.summary.victims, loaded.summary.contacts))
}
