//! `vlu import`: a caseload file into the store, all or nothing — straight into the store,
//! or through the unit service when one runs.

use std::path::Path;

use super::caseload_file::CaseloadFile;
use super::crypt::DecryptArgs;
use super::{Env, backup, progress};
use crate::domain::text::plural;
use crate::domain::validate::{KnownIds, NotRead, Problem, check_caseload, read_records};
use crate::error::Error;
use crate::service::client::ImportFailed;
use crate::store::{ImportSummary, Store, StoreError};

pub(super) fn import(
    env: &Env,
    file: &Path,
    replace: bool,
    decrypt: &DecryptArgs,
) -> Result<(), Error> {
    let caseload = CaseloadFile::open(file, decrypt)?;
    import_caseload(env, caseload, replace)?.map_err(|problems| Error::Invalid {
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
    import_caseload(env, CaseloadFile::in_memory(text.into_bytes()), replace)
}

fn import_caseload(
    env: &Env,
    mut file: CaseloadFile,
    replace: bool,
) -> Result<Result<ImportSummary, Vec<Problem>>, Error> {
    if let Some(service) = env.service()? {
        // The unit service is sent the file whole, and reads it twice as below.
        return match service.import(&file.into_bytes()?, replace) {
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
    let checking = progress::Progress::file(file.len(), "checking");
    let (reader, pass) = file.pass(&checking)?;
    let checked = check_caseload(
        serde_json::Deserializer::from_reader(reader),
        &known,
        replace,
    );
    checking.finish();
    if let Some(problems) = file.failure(&pass)? {
        return Ok(Err(problems));
    }
    if let Err(problems) = checked {
        return Ok(Err(problems));
    }
    let checked = pass.hash();
    // A store takes about twice its file's size on disk (measured: 2.3 times at 20,000
    // victims); refusing now beats undoing half an import, or making a store for nothing.
    Store::ensure_room(&env.data_dir, 3 * file.len())?;
    let store = match existing {
        Some(store) => store,
        None => env.open()?,
    };
    let importing = progress::Progress::file(file.len(), "importing");
    let imported = store.import_records(replace, |each| {
        let (reader, pass) = file.pass(&importing).map_err(|e| unreadable(&e))?;
        let read = read_records(serde_json::Deserializer::from_reader(reader), each);
        match file.failure(&pass) {
            Err(e) => return Err(unreadable(&e)),
            Ok(Some(problems)) => return Err(NotRead::File(problems)),
            Ok(None) => {}
        }
        if pass.hash() != checked {
            return Err(NotRead::File(vec![Problem {
                path: String::new(),
                message: "the file changed while it was being imported; nothing was \
                          imported: import it again"
                    .into(),
            }]));
        }
        read
    })?;
    importing.finish();
    if let Ok(summary) = &imported {
        say_imported(env, summary);
        backup::after_import(env, &store);
    }
    Ok(imported)
}

/// The file could not be read the second time.
fn unreadable(e: &Error) -> NotRead<StoreError> {
    NotRead::File(vec![Problem {
        path: String::new(),
        message: format!("{e}; nothing was imported"),
    }])
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
