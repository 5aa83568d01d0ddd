//! The unit's writes by its other services, heard as they commit (`LISTEN`).

use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, NoTls};

use super::{EngineFailure, Others, failure};

/// The unit's writes by other engines (its other services), heard on the unit's channel.
pub(super) struct Listening {
    pub(super) config: postgres::Config,
    pub(super) channel: String,
    pub(super) writer: String,
    /// The connection that listens (`None`: not connected; the next wait connects).
    pub(super) client: Option<Client>,
}

impl Listening {
    /// Connects and listens; returns the unit's write count then (what was missed while not
    /// listening is everything up to it).
    fn listen(&mut self) -> Result<u64, EngineFailure> {
        let mut client = self.config.connect(NoTls).map_err(|e| failure(&e))?;
        // The channel is the unit's id, which `vlu.units` keeps to plain characters.
        client
            .batch_execute(&format!("LISTEN \"{}\"", self.channel.replace('"', "")))
            .map_err(|e| failure(&e))?;
        let writes: Option<i64> = client
            .query_opt("SELECT last FROM vlu.counters WHERE log = ''", &[])
            .map_err(|e| failure(&e))?
            .map(|row| row.get(0));
        self.client = Some(client);
        Ok(writes.unwrap_or(0).cast_unsigned())
    }
}

impl Others for Listening {
    fn wait(&mut self, timeout: std::time::Duration) -> Result<Option<u64>, EngineFailure> {
        let Some(client) = self.client.as_mut() else {
            // Not listening: whatever happened meanwhile is news.
            return self.listen().map(Some);
        };
        let mut latest: Option<u64> = None;
        let mut heard = |payload: &str| {
            let mut words = payload.split(' ');
            let (Some(writer), Some(n)) = (words.next(), words.next().and_then(|n| n.parse().ok()))
            else {
                return;
            };
            if writer != self.writer {
                latest = Some(latest.map_or(n, |l: u64| l.max(n)));
            }
        };
        let first = client.notifications().timeout_iter(timeout).next();
        let lost = match first {
            Ok(None) => false,
            Ok(Some(note)) => {
                heard(note.payload());
                // And whatever else has come in already.
                let mut notes = client.notifications();
                let mut pending = notes.iter();
                loop {
                    match pending.next() {
                        Ok(Some(note)) => heard(note.payload()),
                        Ok(None) => break false,
                        Err(_) => break true,
                    }
                }
            }
            Err(_) => true,
        };
        if lost || client.is_closed() {
            // What was heard before is read again with everything else once listening again.
            self.client = None;
            return Err(EngineFailure::passing(
                "the connection to the database was lost",
            ));
        }
        Ok(latest)
    }
}
