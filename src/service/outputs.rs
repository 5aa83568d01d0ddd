//! What the service reads out: records, the diary, status, the return, exports. Every read
//! of a victim's whole record (contact details among it) is audited as a consultation; an
//! export is written out under the store's lock to a private, unnamed file, then sent from
//! it with the lock let go, so a client that reads slowly holds up no one else.

use std::io::{Read, Seek};
use std::os::unix::net::UnixStream;
use std::sync::Arc;

use super::proto::{Query, Reply, Request, send};
use super::shared::{STOPPING, Shared, broadcast, checked_disclosure, failure, lock, reply};
use crate::config::Config;
use crate::domain::reminders::{DiaryItem, DiaryQuery};
use crate::error::Error;
use crate::store::{Changed, Disclosure, Store, StoreError};
use crate::unit::api::{Fresh, UnitStore};
use crate::unit::command::Actor;
use crate::unit::diary::{Format, items_from, render};
use crate::unit::import::Source;
use crate::unit::status::Counts;

/// A request that reads (or records what was read), answered.
pub(super) fn read(
    shared: &Shared,
    store: &Store,
    acting: &Actor,
    request: Request,
    tail: Option<&std::fs::File>,
) -> (Reply, Vec<u8>) {
    match request {
        Request::Import { replace } => import(shared, store, tail, replace),
        Request::Check => match crate::unit::check::check_store(
            store,
            &shared.config,
            chrono::Local::now().date_naive(),
        ) {
            Ok(checked) => (Reply::Checked(checked), Vec::new()),
            Err(e) => (Reply::Failed(e.to_string()), Vec::new()),
        },
        Request::Backup => {
            let dir = shared.config.backup.dir_for(store.dir());
            reply(
                store
                    .backup(&dir, shared.config.backup.keep)
                    .map(|b| Reply::Text(b.path.display().to_string())),
            )
        }
        Request::LoadDigest => digest(store),
        Request::Window(ask) => reply(
            shared
                .with_lens(store, |lens| {
                    lens.on(ask.today, ask.lead, &ask.days);
                    lens.window(&ask)
                })
                .map(|w| Reply::Window(Box::new(w))),
        ),
        Request::KnownIds => reply(store.known_ids().map(|k| Reply::KnownIds(Box::new(k)))),
        Request::Snoozes => reply(store.snoozes().map(Reply::Snoozes)),
        Request::Victim(id) => reply(victim(store, &id)),
        Request::Fresh(wire) => {
            reply(fresh(store, &wire.changed()).map(|f| Reply::Fresh(Box::new(f))))
        }
        Request::Case(id) => reply(store.case(&id).map(|c| Reply::Case(c.map(Box::new)))),
        Request::WholeVictim(id) => reply(
            UnitStore::whole_victim(store, &id)
                .map(|whole| Reply::Fresh(Box::new(whole.unwrap_or_default()))),
        ),
        Request::Reveal(victim) => reply(store.record_reveal(&victim).map(|()| Reply::Done)),
        Request::Consult(victim) => reply(store.record_consultation(&victim).map(|()| Reply::Done)),
        Request::Disclose(disclosure) => reply(
            checked_disclosure(store, &disclosure)
                .and_then(|()| store.record_disclosure(&disclosure))
                .map(|()| Reply::Done),
        ),
        Request::Audit(query) => reply(store.audit_entries(&query).map(Reply::Audit)),
        Request::SubjectAccess(victim) => reply(
            store
                .subject_access(&victim)
                .map(|s| Reply::SubjectAccess(s.map(Box::new))),
        ),
        Request::Diary {
            query,
            format,
            colour,
        } => diary(shared, store, &query, &format, colour),
        Request::Status(query) => status(shared, store, &query),
        Request::Report(ask) => reply(store.report(&ask).map(|r| Reply::Report(Box::new(r)))),
        Request::Stamp(record, id) => reply(store.stamp(record, &id).map(Reply::Stamp)),
        Request::ExportCase { case, transfer_to } => {
            reply(export_case(store, &case, transfer_to.as_deref()))
        }
        _ => {
            let _ = acting;
            (
                Reply::Failed("that cannot be asked here".into()),
                Vec::new(),
            )
        }
    }
}

/// A victim's whole record, its reading recorded as a consultation (the unit's rule,
/// [`UnitStore::victim`]).
fn victim(store: &Store, id: &str) -> Result<Reply, StoreError> {
    Ok(Reply::Victim(UnitStore::victim(store, id)?.map(Box::new)))
}

/// The records a change touched, as they are now; each victim's reading recorded as a
/// consultation, as [`victim`] records it.
pub(super) fn fresh(store: &Store, changed: &Changed) -> Result<Fresh, StoreError> {
    UnitStore::fresh(store, changed)
}

/// One case for the unit it moves to, its disclosure recorded, with the case's version (for
/// the transfer's save that follows).
fn export_case(store: &Store, id: &str, transfer_to: Option<&str>) -> Result<Reply, StoreError> {
    let Some(caseload) = crate::unit::one_case::one_case(store, id)? else {
        return Ok(Reply::CaseExport(None));
    };
    if transfer_to.is_some()
        && let Some(t) = store.case(id)?.and_then(|c| c.transferred)
    {
        return Err(StoreError::Refused(format!(
            "case {id} was transferred already ({}{}), so nothing was written",
            t.on.map_or_else(|| "no date".to_owned(), |d| d.to_string()),
            t.to_area
                .as_deref()
                .map_or_else(String::new, |a| format!(" to {a}"))
        )));
    }
    let victims = caseload.victims.iter().map(|v| v.id.clone()).collect();
    let what = if transfer_to.is_some() {
        "case transfer"
    } else {
        "case export"
    };
    store.record_disclosure(&Disclosure::of(what, victims))?;
    let version = store.stamp(crate::store::Record::Case, id)?.version;
    Ok(Reply::CaseExport(Some(Box::new((caseload, version)))))
}

/// The whole store as a caseload file: written, under the store's lock and in the name of
/// `user`, to an unnamed file in the data directory (readable by the service alone, gone
/// when closed), then sent in chunks of a mebibyte with the lock let go.
pub(super) fn export(shared: &Shared, user: &str, stream: &mut UnixStream) -> std::io::Result<()> {
    let written = (|| -> Result<std::fs::File, Error> {
        let guard = lock(&shared.store);
        let Some(store) = guard.as_ref() else {
            return Err(Error::Usage(STOPPING.into()));
        };
        let store = &store.acting_as(user);
        let mut file = tempfile::tempfile_in(&shared.dir).map_err(|source| Error::Write {
            path: shared.dir.clone(),
            source,
        })?;
        let mut out = std::io::BufWriter::new(&mut file);
        crate::unit::export::write_export(store, &mut out, &|| {})?;
        std::io::Write::flush(&mut out).map_err(|source| Error::Write {
            path: shared.dir.clone(),
            source,
        })?;
        drop(out);
        Ok(file)
    })();
    let mut file = match written {
        Ok(file) => file,
        Err(Error::Usage(why)) if why == STOPPING => {
            return send(stream, &Reply::Failed(STOPPING.into()), &[]);
        }
        Err(Error::Store(e)) => return send(stream, &failure(&e), &[]),
        Err(e) => return send(stream, &Reply::Failed(e.to_string()), &[]),
    };
    file.rewind()?;
    let mut chunk = vec![0; CHUNK];
    loop {
        let n = read_full(&mut file, &mut chunk)?;
        if n == 0 {
            return send(stream, &Reply::Done, &[]);
        }
        send(stream, &Reply::Chunk, &chunk[..n])?;
    }
}

const CHUNK: usize = 1024 * 1024;

/// As much of `buf` as the file fills (less only at its end).
fn read_full(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// An import's file (as the service keeps it, `None`: it was empty), checked against the
/// store and written; every screen told what changed (everything, so each reloads).
pub(super) fn import(
    shared: &Shared,
    store: &Store,
    tail: Option<&std::fs::File>,
    replace: bool,
) -> (Reply, Vec<u8>) {
    let source = match tail.map(std::fs::File::try_clone).transpose() {
        Ok(Some(file)) => Source::Disk(file),
        Ok(None) => Source::Memory(Vec::new()),
        Err(e) => return (Reply::Failed(e.to_string()), Vec::new()),
    };
    match crate::unit::import::import(store, &mut { source }, replace) {
        Ok(Ok(summary)) => {
            shared.forget_digest();
            broadcast(shared, &Reply::Reload);
            (Reply::Imported(summary), Vec::new())
        }
        Ok(Err(problems)) => (Reply::Invalid(problems), Vec::new()),
        Err(Error::Store(e)) => (failure(&e), Vec::new()),
        Err(e) => (Reply::Failed(e.to_string()), Vec::new()),
    }
}

/// The digest's head in the reply and its shards, packed by the store, in the tail.
fn digest(store: &Store) -> (Reply, Vec<u8>) {
    match store.digest_packed() {
        Ok((head, packed)) => (Reply::Head(Box::new(head)), packed),
        Err(e) => (failure(&e), Vec::new()),
    }
}

/// The unit's configuration with the asker's lead times and working-day changes.
fn asked(shared: &Shared, query: &Query) -> Config {
    Config {
        lead_times: query.lead,
        days: query.calendar.clone(),
        ..shared.config.clone()
    }
}

/// How many diaries a service keeps between changes (see [`Shared::diaries`]).
const KEPT_DIARIES: usize = 16;

fn diary(
    shared: &Shared,
    store: &Store,
    asked_for: &Query,
    format: &str,
    colour: bool,
) -> (Reply, Vec<u8>) {
    let format = Format::named(format).unwrap_or(Format::Text);
    let query = DiaryQuery {
        date: asked_for.date,
        days: asked_for.days,
        officer: asked_for.officer.as_deref(),
    };
    let config = asked(shared, asked_for);
    // A calendar file is a disclosure each time it is made, so it is never kept.
    let key = (format != Format::Ics)
        .then(|| serde_json::to_string(&(asked_for, format.name(), colour)).ok())
        .flatten();
    if let Err(e) = shared.keep_current(store) {
        return (Reply::Failed(Error::from(e).to_string()), Vec::new());
    }
    if let Some(kept) = key
        .as_ref()
        .and_then(|k| lock(&shared.diaries).get(k).cloned())
    {
        return (Reply::Text(kept.to_string()), Vec::new());
    }
    let worked = (|| -> Result<String, Error> {
        let snoozes = store.snoozes()?;
        let (items, text) = shared.with_lens(store, |lens| {
            let items = items_from(lens.caseload(), lens.joined(), &config, &query)?;
            let text = render(format, lens.caseload(), &snoozes, &query, &items, colour);
            Ok::<_, Error>((items, text))
        })??;
        if format == Format::Ics {
            // A calendar file leaves the store for other programs: a disclosure.
            store.record_disclosure(&calendar_disclosure(&query, &items))?;
        }
        Ok(text)
    })();
    match worked {
        Ok(text) => {
            if let Some(key) = key {
                let mut kept = lock(&shared.diaries);
                // A few days and officers a morning; never a store's worth.
                if kept.len() >= KEPT_DIARIES {
                    kept.clear();
                }
                kept.insert(key, Arc::from(text.as_str()));
            }
            (Reply::Text(text), Vec::new())
        }
        Err(Error::Usage(why)) => (Reply::Refused(why), Vec::new()),
        Err(e) => (Reply::Failed(e.to_string()), Vec::new()),
    }
}

/// A calendar file's disclosure: the victims it names, by id.
fn calendar_disclosure(query: &DiaryQuery<'_>, items: &[DiaryItem]) -> Disclosure {
    let mut victims: Vec<String> = items.iter().map(|i| i.reminder.victim_id.clone()).collect();
    victims.sort();
    victims.dedup();
    let whose = query
        .officer
        .map_or_else(|| "the unit".to_owned(), |o| format!("officer {o}"));
    let what = format!(
        "calendar file: diary of {whose}, {} days from {}",
        query.days, query.date
    );
    Disclosure::of(&what, victims)
}

fn status(shared: &Shared, store: &Store, asked_for: &Query) -> (Reply, Vec<u8>) {
    let config = asked(shared, asked_for);
    let query = DiaryQuery {
        date: asked_for.date,
        days: config.lead_times.due_soon_days,
        officer: asked_for.officer.as_deref(),
    };
    let worked = (|| -> Result<Counts, Error> {
        let snoozes = store.snoozes()?;
        let items = shared.with_lens(store, |lens| {
            items_from(lens.caseload(), lens.joined(), &config, &query)
        })??;
        Ok(Counts::of(&items, &snoozes, query.date))
    })();
    match worked {
        Ok(c) => (Reply::Counts(c.overdue, c.today, c.this_week), Vec::new()),
        Err(Error::Usage(why)) => (Reply::Refused(why), Vec::new()),
        Err(e) => (Reply::Failed(e.to_string()), Vec::new()),
    }
}
