//! The service's door: who is knocking (the kernel says), whether they may come in, how
//! many connections each account may hold, and a deadline for the first word — so that no
//! account, mapped or not, can exhaust the service or fill its audit trail by knocking.

use std::collections::HashMap;
use std::io;
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How many connections one account may hold at once (a screen holds two; each command
/// one while it runs).
pub const PER_ACCOUNT: usize = 32;

/// How many connections the service holds at once, from everyone.
pub const IN_ALL: usize = 512;

/// How long a client has to say hello, and to send the rest of a frame once it has begun.
pub const FIRST_WORD: Duration = Duration::from_secs(5);
pub const FRAME_DEADLINE: Duration = Duration::from_secs(60);

/// How long the service waits for a client to take what it sends before giving it up: a
/// frozen terminal, or a pipe nobody reads, never holds up anyone else.
pub const SEND_DEADLINE: Duration = Duration::from_secs(30);

/// Refusals of one account are audited at most once in this long (the rest counted).
const REFUSALS_AUDITED_EVERY: Duration = Duration::from_secs(60);

/// Who holds how many connections, and whom the audit trail was last told was refused.
#[derive(Default)]
pub struct Door {
    held: Mutex<HashMap<u32, usize>>,
    refused: Mutex<HashMap<u32, (Instant, u64)>>,
}

/// A connection let in: counted against its account until it is dropped.
pub struct Ticket {
    door: Arc<Door>,
    uid: u32,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut held = self
            .door
            .held
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = held.get_mut(&self.uid) {
            *n -= 1;
            if *n == 0 {
                held.remove(&self.uid);
            }
        }
    }
}

impl Door {
    /// A ticket for one more connection of `uid`, or the sentence saying why not.
    pub fn let_in(self: &Arc<Self>, uid: u32, user: &str) -> Result<Ticket, String> {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        let everyone: usize = held.values().sum();
        let theirs = held.get(&uid).copied().unwrap_or(0);
        if theirs >= PER_ACCOUNT {
            return Err(format!(
                "{user} already has {PER_ACCOUNT} connections to the unit service, the most \
                 one account may hold: close some of your vlu windows and try again"
            ));
        }
        if everyone >= IN_ALL {
            return Err(format!(
                "the unit service already holds {IN_ALL} connections, the most it takes: try \
                 again in a moment"
            ));
        }
        held.insert(uid, theirs + 1);
        Ok(Ticket {
            door: Arc::clone(self),
            uid,
        })
    }

    /// Whether a refusal of `uid` goes in the audit trail now, and with how many others
    /// since the last one that did (`None`: counted, not audited).
    pub fn audit_refusal(&self, uid: u32) -> Option<u64> {
        let mut refused = self.refused.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        match refused.get_mut(&uid) {
            Some((last, more)) if now.duration_since(*last) < REFUSALS_AUDITED_EVERY => {
                *more += 1;
                None
            }
            Some((last, more)) => {
                let since = *more;
                *last = now;
                *more = 0;
                Some(since)
            }
            None => {
                refused.insert(uid, (now, 0));
                Some(0)
            }
        }
    }
}

/// The deadlines every accepted connection lives under: its hello within [`FIRST_WORD`],
/// and what it is sent taken within [`SEND_DEADLINE`].
pub fn set_deadlines(stream: &UnixStream) -> io::Result<()> {
    stream.set_read_timeout(Some(FIRST_WORD))?;
    stream.set_write_timeout(Some(SEND_DEADLINE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_holds_at_most_its_share_and_gets_them_back() {
        let door = Arc::new(Door::default());
        let tickets: Vec<Ticket> = (0..PER_ACCOUNT)
            .map(|_| door.let_in(1000, "sara").unwrap())
            .collect();
        let refused = door.let_in(1000, "sara").err().unwrap();
        assert!(refused.contains("already has 32 connections"), "{refused}");
        assert!(door.let_in(1001, "james").is_ok(), "another account");
        drop(tickets);
        assert!(door.let_in(1000, "sara").is_ok(), "given back");
    }

    #[test]
    fn refusals_are_audited_once_a_minute_with_the_count_between() {
        let door = Door::default();
        assert_eq!(door.audit_refusal(7), Some(0));
        for _ in 0..2999 {
            assert_eq!(door.audit_refusal(7), None);
        }
        assert_eq!(door.audit_refusal(8), Some(0), "another account");
        let mut refused = door.refused.lock().unwrap();
        refused.get_mut(&7).unwrap().0 -= REFUSALS_AUDITED_EVERY;
        drop(refused);
        assert_eq!(door.audit_refusal(7), Some(2999));
    }
}
