//! Reading a caseload file without holding it: the cases and the victims (nearly all of a
//! file: the victims' contact logs, the cases' key dates) are read one at a time on a thread
//! of their own and handed on as they are read, while the reader goes on with the next.
//! Everything else (the unit, its officers, its days) is small and is read whole.
//!
//! A file is read twice: once as untyped JSON, each record checked by the walker (whose
//! checks and messages are the same however the file came), and, once it has passed, as
//! records, each handed on to be written. Neither holds more than a few records at a time.
//! A file in the plain shape is read quickly instead (`quick.rs`), each record parsed as
//! here ([`Item`]) from its own bytes; the stream reads the rest, and says what is wrong.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::Problem;
use super::dupes::{At, Read, twice};
use crate::domain::model::{Case, Victim};

/// What the reading thread hands on, in the file's order: a case, a victim, or a problem
/// with one of their lists itself.
pub(super) enum Found<C, V> {
    /// A field of the file's top other than the two lists: small, read whole.
    Field(String, Value),
    Case(C),
    Victim(V),
    Problem(Problem),
}

/// The lists read item by item.
#[derive(Clone, Copy)]
pub(super) enum List {
    Cases,
    Victims,
}

impl List {
    pub(super) fn of(key: &str) -> Option<Self> {
        match key {
            "cases" => Some(List::Cases),
            "victims" => Some(List::Victims),
            _ => None,
        }
    }

    pub(super) fn key(self) -> &'static str {
        match self {
            List::Cases => "cases",
            List::Victims => "victims",
        }
    }
}

/// What a read found beside what it handed on: whatever the file was if not an object (for
/// the walker to say what it is), and every key repeated in an object.
pub(super) struct Rest {
    pub other: Option<Value>,
    pub twice: Vec<Problem>,
}

/// How each case and each victim is read: from the whole file as a stream, or from its own
/// bytes (the quick read, `quick.rs`).
pub(super) trait Item: Send {
    type Case: Send;
    type Victim: Send;
    /// The `i`th item of `list`, read from `d`.
    fn one<'de, D: Deserializer<'de>>(
        &self,
        list: List,
        d: D,
        i: usize,
        twice: &RefCell<Vec<Problem>>,
    ) -> Result<Found<Self::Case, Self::Victim>, D::Error>;
}

/// Each record as untyped JSON, a key repeated in it found, for the walker.
pub(super) struct AsJson;

impl Item for AsJson {
    type Case = Value;
    type Victim = Value;
    fn one<'de, D: Deserializer<'de>>(
        &self,
        list: List,
        d: D,
        i: usize,
        twice: &RefCell<Vec<Problem>>,
    ) -> Result<Found<Value, Value>, D::Error> {
        let key = At::Key(&At::Root, list.key());
        let v = Read {
            at: At::Index(&key, i),
            found: twice,
        }
        .deserialize(d)?;
        Ok(match list {
            List::Cases => Found::Case(v),
            List::Victims => Found::Victim(v),
        })
    }
}

/// Each record typed (the file has passed).
pub(super) struct AsRecord;

impl Item for AsRecord {
    type Case = Case;
    type Victim = Victim;
    fn one<'de, D: Deserializer<'de>>(
        &self,
        list: List,
        d: D,
        _: usize,
        _: &RefCell<Vec<Problem>>,
    ) -> Result<Found<Case, Victim>, D::Error> {
        use serde::Deserialize as _;
        Ok(match list {
            List::Cases => Found::Case(Case::deserialize(d)?),
            List::Victims => Found::Victim(Victim::deserialize(d)?),
        })
    }
}

/// The next item of a list, read by an [`Item`].
struct One<'a, I> {
    how: &'a I,
    list: List,
    i: usize,
    twice: &'a RefCell<Vec<Problem>>,
}

impl<'de, I: Item> DeserializeSeed<'de> for One<'_, I> {
    type Value = Found<I::Case, I::Victim>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.how.one(self.list, d, self.i, self.twice)
    }
}

/// Records the reader may be ahead of the one handing them on.
const AHEAD: usize = 256;

/// Reads the file `de` holds, on a thread of its own; hands each case and victim (read as
/// `how` says) and each problem of their lists to `each`, in order, on this thread.
/// `each` returning false stops the read (its result is then an error, to be ignored).
pub(super) fn read<'de, R, I>(
    de: serde_json::Deserializer<R>,
    how: I,
    each: &mut dyn FnMut(Found<I::Case, I::Victim>) -> bool,
) -> Result<Rest, serde_json::Error>
where
    R: serde_json::de::Read<'de> + Send,
    I: Item,
{
    on_a_thread(
        move |found| {
            let mut de = de;
            let twice = RefCell::new(Vec::new());
            let other = de.deserialize_any(TopLevel {
                how: &how,
                found,
                twice: &twice,
            })?;
            de.end()?;
            Ok(Rest {
                other,
                twice: twice.into_inner(),
            })
        },
        each,
    )
}

/// Runs `reader` on a thread of its own, handing what it finds to `each` on this one, in
/// order (the reader at most [`AHEAD`] ahead); `each` returning false stops the read: what
/// the reader sends after that fails. The reader's result.
pub(super) fn on_a_thread<T: Send, R: Send>(
    reader: impl FnOnce(&std::sync::mpsc::SyncSender<T>) -> R + Send,
    each: &mut dyn FnMut(T) -> bool,
) -> R {
    let (found, handed) = std::sync::mpsc::sync_channel::<T>(AHEAD);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || reader(&found));
        for item in &handed {
            if !each(item) {
                break;
            }
        }
        drop(handed);
        reader
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    })
}

struct TopLevel<'a, I: Item> {
    how: &'a I,
    found: &'a std::sync::mpsc::SyncSender<Found<I::Case, I::Victim>>,
    twice: &'a RefCell<Vec<Problem>>,
}

/// The reading was stopped by the one handed the victims.
fn stopped<E: de::Error>() -> E {
    E::custom("the reading was stopped")
}

impl<I: Item> TopLevel<'_, I> {
    fn problem<E: de::Error>(&self, list: List, message: String) -> Result<(), E> {
        let problem = Problem {
            path: list.key().into(),
            message,
        };
        self.found
            .send(Found::Problem(problem))
            .map_err(|_| stopped())
    }
}

impl<'de, I: Item> Visitor<'de> for TopLevel<'_, I> {
    /// Whatever the file was if not an object.
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a caseload object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Value>, A::Error> {
        let mut fields = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let again = !fields.insert(key.clone());
            if let Some(list) = List::of(&key) {
                if again && matches!(list, List::Victims) {
                    // As it was said before the victims were read item by item.
                    self.problem(list, "the list of victims appears twice".into())?;
                } else if again {
                    self.twice.borrow_mut().push(twice(&At::Root, &key));
                }
                map.next_value_seed(Items { top: &self, list })?;
            } else {
                let value = map.next_value_seed(Read {
                    at: At::Key(&At::Root, &key),
                    found: self.twice,
                })?;
                if again {
                    self.twice.borrow_mut().push(twice(&At::Root, &key));
                }
                self.found
                    .send(Found::Field(key, value))
                    .map_err(|_| stopped())?;
            }
        }
        Ok(None)
    }

    // Anything but an object, for the walker to say what it is.
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Option<Value>, E> {
        Ok(Some(Value::Bool(b)))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Option<Value>, E> {
        Ok(Some(Value::Number(n.into())))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Option<Value>, E> {
        Ok(Some(Value::Number(n.into())))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Option<Value>, E> {
        Ok(Some(
            serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
        ))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<Value>, E> {
        Ok(Some(Value::String(s.to_owned())))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<Value>, E> {
        Ok(Some(Value::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Value>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Some(Value::Array(Vec::new())))
    }
}

/// The `cases` or the `victims` list, read item by item.
struct Items<'a, 'b, I: Item> {
    top: &'a TopLevel<'b, I>,
    list: List,
}

impl<'de, I: Item> DeserializeSeed<'de> for Items<'_, '_, I> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<I: Item> Items<'_, '_, I> {
    fn not_a_list<E: de::Error>(self, what: &str) -> Result<(), E> {
        self.top
            .problem(self.list, format!("expected a list, found {what}"))
    }
}

impl<'de, I: Item> Visitor<'de> for Items<'_, '_, I> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of {}", self.list.key())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let top = self.top;
        for i in 0.. {
            let one = One {
                how: top.how,
                list: self.list,
                i,
                twice: top.twice,
            };
            match seq.next_element_seed(one)? {
                Some(item) => top.found.send(item).map_err(|_| stopped())?,
                None => break,
            }
        }
        Ok(())
    }

    // An omitted or null list is empty, as everywhere.
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.not_a_list("true/false")
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.not_a_list("a number")
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.not_a_list("a number")
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.not_a_list("a number")
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.not_a_list("text")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.not_a_list("an object")
    }
}
