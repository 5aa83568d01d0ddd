//! `vlu import`: a caseload file into the store, all or nothing — straight into the store,
//! or through the unit service when one runs.

use std::path::Path;

use super::crypt::{self, DecryptArgs};
use super::{Env, backup, progress};
use crate::domain::text::plural;
use crate::domain::validate::{KnownIds, Problem, parse_caseload};
use crate::error::Error;
use crate::service::client::ImportFailed;
use crate::store::{ImportSummary, Store};

pub(super) fn import(
    env: &Env,
    file: &Path,
    replace: bool,
    decrypt: &DecryptArgs,
) -> Result<(), Error> {
    let text = read_text(file, decrypt)?;
    import_document(env, text, replace)?.map_err(|problems| Error::Invalid {
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
    if let Some(service) = env.service()? {
        return match service.import(&text, replace) {
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
    let caseload_bytes = text.len() as u64;
    let checking = progress::Progress::spinner("checking");
    let parsed = parse_caseload(&text, &known, replace);
    checking.finish();
    drop(text); // a large file's text is not needed again: free it before the import's peak
    let caseload = match parsed {
        Ok(caseload) => caseload,
        Err(problems) => return Ok(Err(problems)),
    };
    // A store takes about twice its file's size on disk (measured: 2.3 times at 20,000
    // victims); refusing now beats undoing half an import, or making a store for nothing.
    Store::ensure_room(&env.data_dir, 3 * caseload_bytes)?;
    let store = match existing {
        Some(store) => store,
        None => env.open()?,
    };
    let bar = progress::Progress::bar(caseload.victims.len() as u64, "importing");
    let summary = store.import_with_progress(caseload, replace, &mut || bar.inc())?;
    bar.finish();
    say_imported(env, &summary);
    backup::after_import(env, &store);
    Ok(Ok(summary))
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

/// The file's text (`-`: standard input), which must be UTF-8; an age file (found by its
/// header, binary or armoured) is decrypted first.
fn read_text(file: &Path, decrypt: &DecryptArgs) -> Result<String, Error> {
    let read = |source| Error::Read {
        path: file.to_owned(),
        source,
    };
    let mut bytes = if file == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map_err(read)?;
        bytes
    } else {
        std::fs::read(file).map_err(read)?
    };
    if crypt::is_age(&bytes) {
        bytes = crypt::open(&bytes, file, decrypt)?;
    }
    String::from_utf8(bytes).map_err(|_| Error::Invalid {
        file: file.to_owned(),
        problems: vec![Problem {
            path: String::new(),
            message: "the file is not UTF-8 text".into(),
        }],
    })
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
