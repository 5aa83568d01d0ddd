//! `vlu backup` and `vlu restore`, and the backups other commands take on the way.

use std::path::{Path, PathBuf};

use super::Env;
use crate::domain::text::plural;
use crate::domain::text::visible;
use crate::error::Error;
use crate::service::client::Client;
use crate::store::{BackupInfo, Store, backup, megabytes};

impl Env {
    /// Where this store's backups go.
    pub(super) fn backup_dir(&self) -> PathBuf {
        self.config.backup.dir_for(&self.data_dir)
    }
}

/// `vlu backup`: one now, whatever the age of the newest.
pub(super) fn take(env: &Env, to: Option<&Path>) -> Result<(), Error> {
    if to.is_none()
        && let Some(path) = env.with_service(Client::backup)?
    {
        eprintln!("Backed up the store to {}.", visible(&path));
        return Ok(());
    }
    if !env.has_store()? {
        return Err(Error::Usage(format!(
            "there is no store in {} to back up",
            env.data_dir.display()
        )));
    }
    let store = env.open()?;
    let dir = to.map_or_else(|| env.backup_dir(), Path::to_owned);
    let info = store.backup(&dir, env.config.backup.keep)?;
    eprintln!("Backed up the store to {}.", describe(&info));
    Ok(())
}

/// After an import: a backup, or a warning why none was taken (the import itself stands).
pub(super) fn after_import(env: &Env, store: &Store) {
    match store.backup(&env.backup_dir(), env.config.backup.keep) {
        Ok(info) => eprintln!("Backed up the store to {}.", describe(&info)),
        Err(e) => eprintln!(
            "vlu: warning: the import is saved, but no backup was taken: {}",
            visible(&e.to_string())
        ),
    }
}

/// When the screens open: the day's backup if none was taken in the last day (about two
/// seconds at 100,000 victims, once a day, before the screens appear).
pub(super) fn daily(env: &Env, store: &Store) {
    let dir = env.backup_dir();
    let taken = Store::backup_due(&dir).and_then(|due| {
        if due {
            eprintln!("vlu: taking the day's backup…");
            store.backup(&dir, env.config.backup.keep).map(Some)
        } else {
            Ok(None)
        }
    });
    if let Err(e) = taken {
        eprintln!(
            "vlu: warning: the daily backup was not taken: {}",
            visible(&e.to_string())
        );
    }
}

/// `vlu restore --list`, or a restore from the named backup (default: the newest).
pub(super) fn restore(
    env: &Env,
    from: Option<&Path>,
    list: bool,
    unverified: bool,
) -> Result<(), Error> {
    let trust = if unverified {
        crate::store::Trust::Unverified
    } else {
        crate::store::Trust::Signed
    };
    let dir = env.backup_dir();
    let backups = backup::list(&dir)?;
    if list {
        if backups.is_empty() {
            say!("There are no backups in {}.", dir.display());
        }
        for b in &backups {
            say!("{}", describe(b));
        }
        return Ok(());
    }
    let from = match (from, backups.first()) {
        (Some(path), _) => path.to_owned(),
        (None, Some(newest)) => newest.path.clone(),
        (None, None) => {
            return Err(Error::Usage(format!(
                "there are no backups in {}; name a backup file to restore",
                dir.display()
            )));
        }
    };
    let done = restore_alone(env, &from, trust)?;
    say_restored(env, done);
    Ok(())
}

/// Restores from `from` with no other vlu on the store: a running service is asked to stop.
fn restore_alone(
    env: &Env,
    from: &Path,
    trust: crate::store::Trust,
) -> Result<crate::store::Restored, Error> {
    // A restore needs the store to itself: a running service is asked to stop first.
    if let Some(service) = Client::connect(&env.data_dir)? {
        service.stop()?;
        let socket = crate::service::socket_path(&env.data_dir);
        let start = std::time::Instant::now();
        while socket.exists() && start.elapsed() < std::time::Duration::from_secs(30) {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
    // (The stopping service lets go of the store's lock as it ends.)
    let start = std::time::Instant::now();
    loop {
        match Store::restore(&env.data_dir, from, &env.user, trust) {
            Err(crate::store::StoreError::InUse(_))
                if start.elapsed() < std::time::Duration::from_secs(10) =>
            {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            other => return Ok(other?),
        }
    }
}

/// What a restore did, as the person who ran it is told.
fn say_restored(env: &Env, done: crate::store::Restored) {
    eprintln!(
        "Restored the store in {} from the backup taken {} by {} ({}).",
        env.data_dir.display(),
        done.header.taken.format("%Y-%m-%d %H:%M UTC"),
        visible(&done.header.by),
        plural(
            usize::try_from(done.records).unwrap_or(usize::MAX),
            "stored record"
        ),
    );
    if done.carried > 0 {
        eprintln!(
            "The audit trail keeps the {} made since the backup was taken.",
            if done.carried == 1 {
                "1 entry".to_owned()
            } else {
                format!("{} entries", done.carried)
            }
        );
    }
    if !done.erased_again.is_empty() {
        eprintln!(
            "The backup held what had been erased since it was taken; erased again: {}.",
            visible(&done.erased_again.join(", "))
        );
    }
    if let Some(kept) = done.kept {
        eprintln!(
            "The store as it was is kept in {}; remove it once you are satisfied.",
            kept.display()
        );
    }
}

/// A backup as a person reads it: where, when, by whom, how big.
fn describe(b: &BackupInfo) -> String {
    format!(
        "{} (taken {} by {}, {})",
        visible(&b.path.display().to_string()),
        b.header.taken.format("%Y-%m-%d %H:%M UTC"),
        visible(&b.header.by),
        megabytes(b.bytes)
    )
}
