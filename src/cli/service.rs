//! Reaching the unit service, and starting it when there is none: the first vlu started on
//! a store starts `vlu serve` in the background, and every vlu after it is its client.
//!
//! Connect first; only when nothing answers, take the lock `serve.lock` beside the socket
//! and try once more under it — another vlu may have just started one — and only then start
//! the service, detached in its own session (a closed terminal does not end it), its
//! standard streams in `service.log` in the data directory, and wait until it answers. Two
//! vlus racing to start a service end with exactly one. Only the account that owns the
//! store (or root) starts one: anyone else is told who can (a shared unit runs it under
//! systemd, as its own account).

use std::fs::OpenOptions;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::Env;
use crate::error::Error;
use crate::service::client::Client;
use crate::service::identity;
use crate::store::{Store, StoreError};

/// How long a service may take to start (a large unit's store opens in well under a second;
/// a backup due at start takes a few more).
const STARTING: Duration = Duration::from_secs(30);

/// What it takes to reach a store's service, starting one if need be: sent to the screens'
/// threads, which start a new service if theirs goes away.
#[derive(Debug, Clone)]
pub struct Starter {
    data_dir: PathBuf,
    config_path: Option<PathBuf>,
    /// The database the records are in (`None`: the data directory).
    store_url: Option<String>,
    idle: u64,
}

impl Starter {
    /// A client of the store's service, started if need be. `None` where there is no store
    /// yet (a first import makes one itself, so that a bad file leaves nothing behind).
    pub fn client(&self) -> Result<Option<Client>, Error> {
        if self.store_url.is_some() {
            Store::make_data_dir(&self.data_dir)?;
        }
        if let Some(client) = answering(&self.data_dir)? {
            return Ok(Some(self.restarting(client)));
        }
        if self.store_url.is_none() && !Store::exists(&self.data_dir)? {
            return Ok(None);
        }
        self.may_start()?;
        let lock = self.start_lock()?;
        if let Some(client) = answering(&self.data_dir)? {
            return Ok(Some(self.restarting(client)));
        }
        // What would stop the service opening the store (a full disk) is said here, where
        // the user reads it, rather than in a log on that full disk.
        Store::ensure_openable(&self.data_dir)?;
        let client = self.start_service()?;
        drop(lock);
        Ok(Some(self.restarting(client)))
    }

    /// Only the account that owns the store (or root) can open it, so only it starts the
    /// service; anyone else is told who can, and leaves nothing behind in the directory.
    fn may_start(&self) -> Result<(), Error> {
        let me = rustix::process::getuid().as_raw();
        let owner = identity::owner_of(&self.data_dir).map_err(|source| Error::Read {
            path: self.data_dir.clone(),
            source,
        })?;
        if me == owner || me == 0 {
            return Ok(());
        }
        Err(Error::Service {
            code: 1,
            said: format!(
                "the unit service of {} is not running, and only {}, whose store it is, can \
                 start it: ask the unit's administrator to start it (with systemd: systemctl \
                 start vlu.socket)",
                self.data_dir.display(),
                identity::user_name(owner).unwrap_or_else(|| format!("uid {owner}"))
            ),
        })
    }

    /// The lock `serve.lock`, held while a service is started. One left by another account
    /// (by an older vlu) is still taken: a lock is taken on a file opened for reading.
    fn start_lock(&self) -> Result<std::fs::File, Error> {
        let lock_path = self.data_dir.join("serve.lock");
        let opened = std::fs::File::open(&lock_path).or_else(|e| {
            if e.kind() != std::io::ErrorKind::NotFound {
                return Err(e);
            }
            OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&lock_path)
        });
        let lock = opened.map_err(|source| Error::Write {
            path: lock_path.clone(),
            source,
        })?;
        lock.lock().map_err(|source| Error::Write {
            path: lock_path,
            source,
        })?;
        Ok(lock)
    }

    /// The client, able to start a new service and reconnect if its own goes away.
    fn restarting(&self, client: Client) -> Client {
        let starter = self.clone();
        client.with_restart(Arc::new(move || match starter.client() {
            Ok(Some(_)) => Ok(()),
            Ok(None) => Err(StoreError::Unavailable("the store is gone".into())),
            Err(Error::Store(e)) => Err(e),
            Err(e) => Err(StoreError::Unavailable(e.to_string())),
        }))
    }

    /// Starts `vlu serve --detach` on the store and waits until it answers; if it ends
    /// first, its own last words (in `service.log`) are the error.
    fn start_service(&self) -> Result<Client, Error> {
        let log_path = self.data_dir.join("service.log");
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(|source| Error::Write {
                path: log_path.clone(),
                source,
            })?;
        let log_len = log.metadata().map_or(0, |m| m.len());
        let exe = std::env::current_exe().map_err(|source| Error::Read {
            path: "the vlu program".into(),
            source,
        })?;
        let mut command = Command::new(exe);
        command
            .arg("--data-dir")
            .arg(&self.data_dir)
            .args(["serve", "--detach", "--idle", &self.idle.to_string()])
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|source| Error::Write {
                path: log_path.clone(),
                source,
            })?)
            .stderr(log);
        if let Some(config) = &self.config_path {
            command.arg("--config").arg(config);
        }
        if let Some(url) = &self.store_url {
            // Named on the command line, or in VLU_STORE, or in the configuration: the same.
            command.arg("--store").arg(url);
        }
        let mut child = command.spawn().map_err(|source| Error::Write {
            path: "the unit service".into(),
            source,
        })?;
        let start = Instant::now();
        loop {
            if let Some(client) = answering(&self.data_dir)? {
                tracing::info!(pid = child.id(), "started the unit service");
                return Ok(client);
            }
            if let Ok(Some(status)) = child.try_wait() {
                return Err(Error::Service {
                    code: status.code().unwrap_or(1),
                    said: last_words(&log_path, log_len),
                });
            }
            if start.elapsed() > STARTING {
                let _ = child.kill();
                return Err(Error::Service {
                    code: 1,
                    said: format!(
                        "the unit service of {} did not start within {} s; see {}",
                        self.data_dir.display(),
                        STARTING.as_secs(),
                        log_path.display()
                    ),
                });
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// A client of the service answering on the store in `dir`, if one does. A service that
/// goes away while it says hello (killed, its socket not yet gone) is none: another is
/// started, as when there was none.
fn answering(dir: &Path) -> Result<Option<Client>, StoreError> {
    match Client::connect(dir) {
        Err(StoreError::Unavailable(_)) => Ok(None),
        other => other,
    }
}

impl Env {
    /// What it takes to reach this store's service.
    pub(super) fn starter(&self) -> Starter {
        Starter {
            data_dir: self.data_dir.clone(),
            config_path: self.config_path.clone(),
            store_url: self.config.store.url.clone(),
            idle: std::env::var("VLU_IDLE_SECONDS")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(self.config.service.idle_seconds),
        }
    }

    /// A client of the store's service, started if need be (see [`Starter::client`]).
    pub(super) fn service(&self) -> Result<Option<Client>, Error> {
        self.starter().client()
    }

    /// `ask` of the store's service (started if need be), asked once more of a new service
    /// if the one asked went away before answering (it was stopping, or was stopped);
    /// `None` where there is no store yet.
    pub(super) fn with_service<T>(
        &self,
        ask: impl Fn(&Client) -> Result<T, StoreError>,
    ) -> Result<Option<T>, Error> {
        let mut tries = 0;
        loop {
            tries += 1;
            let answer = match self.service() {
                Ok(Some(client)) => ask(&client).map_err(Error::from),
                Ok(None) => return Ok(None),
                Err(e) => Err(e),
            };
            match answer {
                Err(Error::Store(StoreError::Unavailable(_))) if tries < 3 => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                other => return other.map(Some),
            }
        }
    }
}

/// The last line a service that failed to start wrote to its log (after `from`).
fn last_words(log: &Path, from: u64) -> String {
    let said = std::fs::File::open(log).ok().and_then(|f| {
        use std::io::{Seek, SeekFrom};
        let mut f = f;
        f.seek(SeekFrom::Start(from)).ok()?;
        BufReader::new(f)
            .lines()
            .map_while(Result::ok)
            .filter(|l| !l.trim().is_empty())
            .last()
    });
    said.map_or_else(
        || {
            format!(
                "the unit service stopped as it started; see {}",
                log.display()
            )
        },
        |line| line.strip_prefix("vlu: ").unwrap_or(&line).to_owned(),
    )
}
