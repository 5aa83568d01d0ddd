//! Reading a large caseload file without holding all of it as untyped JSON: the victims
//! (nearly all of a file: their contact logs) are read one at a time, each checked and turned
//! into a record before the next is read. Everything else is small and is read whole.
//!
//! The checks and their messages are the walker's own, so a file gets the same report
//! whichever way it is read.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::dupes::{At, Read, twice};
use super::{Problem, Walker};
use crate::domain::model::Victim;
use crate::domain::text::json_problem;

/// What a streamed read found: the file's fields other than `victims`, and the victims.
pub(super) struct Streamed {
    pub rest: Map<String, Value>,
    pub victims: Vec<Victim>,
}

/// Reads the top level of `text`. `None` when it is not a JSON object (the caller then reads
/// the file whole, for the walker to describe what it is).
/// A key repeated in any object is one more problem in `walker`.
pub(super) fn read(text: &str, walker: &mut Walker) -> Result<Option<Streamed>, serde_json::Error> {
    let twice = RefCell::new(Vec::new());
    let mut de = serde_json::Deserializer::from_str(text);
    let found = de.deserialize_any(TopLevel {
        walker: &mut *walker,
        twice: &twice,
    })?;
    de.end()?;
    walker.problems.append(&mut twice.into_inner());
    Ok(found)
}

struct TopLevel<'w> {
    walker: &'w mut Walker,
    twice: &'w RefCell<Vec<Problem>>,
}

impl<'de> Visitor<'de> for TopLevel<'_> {
    type Value = Option<Streamed>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a caseload object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut rest = Map::new();
        let mut victims = Vec::new();
        let mut seen = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "victims" {
                if seen {
                    self.walker
                        .report("victims", "the list of victims appears twice");
                }
                seen = true;
                map.next_value_seed(Victims {
                    walker: self.walker,
                    out: &mut victims,
                    twice: self.twice,
                })?;
            } else {
                let value = map.next_value_seed(Read {
                    at: At::Key(&At::Root, &key),
                    found: self.twice,
                })?;
                if rest.contains_key(&key) {
                    self.twice.borrow_mut().push(twice(&At::Root, &key));
                }
                rest.insert(key, value);
            }
        }
        Ok(Some(Streamed { rest, victims }))
    }

    // Anything but an object: read again whole by the caller.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// The `victims` list, read item by item.
struct Victims<'a> {
    walker: &'a mut Walker,
    out: &'a mut Vec<Victim>,
    twice: &'a RefCell<Vec<Problem>>,
}

impl<'de> DeserializeSeed<'de> for Victims<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// Checks one victim and, while the file has no problem, keeps its record.
fn check(walker: &mut Walker, out: &mut Vec<Victim>, i: usize, item: Value) {
    walker.victim(&format!("victims[{i}]"), &item);
    // Once the file has a problem it will be refused: check the rest, keep nothing.
    if walker.problems.is_empty() {
        match serde_json::from_value::<Victim>(item) {
            Ok(v) => out.push(v),
            Err(e) => walker.problems.push(Problem {
                path: format!("victims[{i}]"),
                message: format!("the record could not be read ({})", json_problem(&e)),
            }),
        }
    } else {
        out.clear();
    }
}

impl Victims<'_> {
    fn not_a_list(self, what: &str) {
        self.walker
            .report("victims", format!("expected a list, found {what}"));
    }
}

impl<'de> Visitor<'de> for Victims<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of victims")
    }

    /// Two stages on two threads: this one reads each victim's JSON, the other checks it
    /// and makes the record (the two take about the same time).
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Victims { walker, out, twice } = self;
        let list = At::Key(&At::Root, "victims");
        let (items, to_check) = std::sync::mpsc::sync_channel::<Value>(256);
        std::thread::scope(|scope| {
            let checker = scope.spawn(move || {
                for (i, item) in to_check.into_iter().enumerate() {
                    check(walker, out, i, item);
                }
            });
            let mut read = Ok(());
            for i in 0.. {
                let at = At::Index(&list, i);
                match seq.next_element_seed(Read { at, found: twice }) {
                    Ok(Some(item)) => {
                        if items.send(item).is_err() {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        read = Err(e);
                        break;
                    }
                }
            }
            drop(items);
            checker
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            read
        })
    }

    // An omitted or null list is empty, as everywhere.
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.not_a_list("true/false");
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.not_a_list("a number");
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.not_a_list("a number");
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.not_a_list("a number");
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.not_a_list("text");
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.not_a_list("an object");
        Ok(())
    }
}
