//! What a committed change touched, as every write of the store answers it.
//!
//! The store in this process, or a client of the unit service that owns it, answers the
//! same way, over any engine: the seam speaks in records and ids, never in an engine's
//! terms, and every write answers with what it [`Changed`]: the screens read those records back from
//! the store, never re-do a write in their own memory, which is also how a change made by
//! someone else will reach them.

/// What a committed change touched: the records every screen reads back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changed {
    /// The change's number: changes are numbered in the order they were made durable.
    pub seq: u64,
    /// Victims whose record or log changed.
    pub victims: Vec<String>,
    /// Cases whose record changed.
    pub cases: Vec<String>,
    /// Whether the snoozes changed.
    pub snoozes: bool,
    /// The number (from 1) of the entry a contact appended has in its victim's log.
    pub entry: Option<usize>,
}

impl Changed {
    /// A change to one victim's record or log.
    pub fn victim(seq: u64, id: &str) -> Self {
        Self {
            seq,
            victims: vec![id.to_owned()],
            ..Self::default()
        }
    }
}
