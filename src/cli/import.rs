//! `vlu import`: a caseload file into the store, all or nothing — straight into the store,
//! or through the unit service when one runs.

use std::path::Path;

use super::crypt::DecryptArgs;
use super::{Env, backup, caseload_file, progress};
use crate::domain::text::plural;
use crate::domain::validate::{KnownIds, Problem};
use crate::error::Error;
use crate::service::client::ImportFailed;
use crate::store::{ImportSummary, Store};
use crate::unit::import::{self, Source};

pub(super) fn import(
    env: &Env,
    file: &Path,
    replace: bool,
    decrypt: &DecryptArgs,
) -> Result<(), Error> {
    let source = caseload_file::open(file, decrypt)?;
    import_caseload(env, source, replace, file)?.map_err(|problems| Error::Invalid {
        file: file.to_owned(),
        problems,
    })?;
    Ok(())
}

/// A caseload document into the store, all or nothing — through the unit service when one
/// runs, else straight into the store (made now if there is none). What it imported (and
/// said so), or the document's problems, with nothing written.
pub(super) fn import_document(
    env: &Env,
    text: String,
    replace: bool,
) -> Result<Result<ImportSummary, Vec<Problem>>, Error> {
    let source = Source::Memory(text.into_bytes());
    import_caseload(env, source, replace, Path::new("-"))
}

/// `source` (the file at `path`) into the store, read twice (`unit::import`).
fn import_caseload(
    env: &Env,
    mut source: Source,
    replace: bool,
    path: &Path,
) -> Result<Result<ImportSummary, Vec<Problem>>, Error> {
    let unreadable = |source| Error::Read {
        path: path.to_owned(),
        source,
    };
    if let Some(service) = env.service()? {
        return match service.import(source, replace) {
            Ok(summary) => {
                say_imported(env, &summary);
                Ok(Ok(summary))
            }
            Err(ImportFailed::Invalid(problems)) => Ok(Err(problems)),
            Err(ImportFailed::Store(e)) => Err(e.into()),
        };
    }
    // A bad file leaves no trace: a store that does not exist yet is created only once the
    // file has passed.
    let existing = if env.has_store()? {
        Some(env.open()?)
    } else {
        None
    };
    let known = match &existing {
        Some(store) => store.known_ids()?,
        None => KnownIds::default(),
    };
    let len = source.size().map_err(unreadable)?;
    let checking = progress::Progress::file(len, "checking");
    let checked = import::check(&mut source, &known, replace, &|n| checking.inc_by(n));
    checking.finish();
    let checked = match checked.map_err(unreadable)? {
        Ok(checked) => checked,
        Err(problems) => return Ok(Err(problems)),
    };
    // A store takes about twice its file's size on disk (measured: 2.3 times at 20,000
    // victims); refusing now beats undoing half an import, or making a store for nothing.
    Store::ensure_room(&env.data_dir, 3 * len)?;
    let store = match existing {
        Some(store) => store,
        None => env.open()?,
    };
    let importing = progress::Progress::file(len, "importing");
    let imported = import::write(&store, &mut source, &checked, replace, &|n| {
        importing.inc_by(n);
    })?;
    importing.finish();
    if let Ok(summary) = &imported {
        say_imported(env, summary);
        backup::after_import(env, &store);
    }
    Ok(imported)
}

/// The ids already in the store, against which a file is checked (none without a store).
pub(super) fn known_ids(env: &Env) -> Result<KnownIds, Error> {
    if let Some(known) = env.with_service(crate::service::client::Client::known_ids)? {
        return Ok(known);
    }
    if env.has_store()? {
        Ok(env.open()?.known_ids()?)
    } else {
        Ok(KnownIds::default())
    }
}

fn say_imported(env: &Env, s: &ImportSummary) {
    for id in &s.unerased {
        eprintln!(
            "vlu: warning: {} had been erased from this store; --replace has brought it back \
             (the erasure stays in the audit trail: erase it again if it should not be here)",
            crate::domain::text::visible(id)
        );
    }
    let line = format!(
        "Imported {}, {}, {} and {} into {}{}.",
        plural(s.officers, "officer"),
        plural(s.cases, "case"),
        plural(s.victims, "victim"),
        plural(s.contacts, "contact"),
        env.place().unwrap_or_default().describe(&env.data_dir),
        if s.replaced > 0 {
            format!(" ({} replaced)", plural(s.replaced, "record"))
        } else {
            String::new()
        },
    );
    // As every line for people: in ASCII where the locale is not UTF-8.
    eprintln!("{}", super::plain::for_people(&line));
}
