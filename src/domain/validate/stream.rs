//! Reading a caseload file without holding it: the cases and the victims (nearly all of a
//! file: the victims' contact logs, the cases' key dates) are read one at a time on a thread
//! of their own and handed on as they are read, while the reader goes on with the next.
//! Everything else (the unit, its officers, its days) is small and is read whole.
//!
//! A file is read twice: once as untyped JSON, each record checked by the walker (whose
//! checks and messages are the same however the file came), and, once it has passed, as
//! records, each handed on to be written. Neither holds more than a few records at a time.
//! A file in the plain shape is read quickly instead (`quick.rs`), each record parsed as
//! here ([`Piece`]) from its own bytes; the stream reads the rest, and says what is wrong.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;

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

/// What an [`Item`] reads next.
pub(super) type Next<'de, I> = Option<Found<<I as Item<'de>>::Case, <I as Item<'de>>::Victim>>;

/// How each case and each victim is read.
pub(super) trait Item<'de>: Send {
    type Case: Send;
    type Victim: Send;
    fn next<A: SeqAccess<'de>>(
        &self,
        list: List,
        seq: &mut A,
        i: usize,
        twice: &RefCell<Vec<Problem>>,
    ) -> Result<Next<'de, Self>, A::Error>;
}

/// Each record as untyped JSON, a key repeated in it found, for the walker.
pub(super) struct AsJson;

impl<'de> Item<'de> for AsJson {
    type Case = Value;
    type Victim = Value;
    fn next<A: SeqAccess<'de>>(
        &self,
        list: List,
        seq: &mut A,
        i: usize,
        twice: &RefCell<Vec<Problem>>,
    ) -> Result<Option<Found<Value, Value>>, A::Error> {
        let key = At::Key(&At::Root, list.key());
        let read = seq.next_element_seed(Read {
            at: At::Index(&key, i),
            found: twice,
        })?;
        Ok(read.map(|v| match list {
            List::Cases => Found::Case(v),
            List::Victims => Found::Victim(v),
        }))
    }
}

/// Each record typed (the file has passed).
pub(super) struct AsRecord;

impl<'de> Item<'de> for AsRecord {
    type Case = Case;
    type Victim = Victim;
    fn next<A: SeqAccess<'de>>(
        &self,
        list: List,
        seq: &mut A,
        _: usize,
        _: &RefCell<Vec<Problem>>,
    ) -> Result<Option<Found<Case, Victim>>, A::Error> {
        Ok(match list {
            List::Cases => seq.next_element::<Case>()?.map(Found::Case),
            List::Victims => seq.next_element::<Victim>()?.map(Found::Victim),
        })
    }
}

/// How each case and each victim is read from its own bytes (the quick read: see
/// `quick.rs`): as [`Item`] reads it from the whole file.
pub(super) trait Piece: Send {
    type Case: Send;
    type Victim: Send;
    fn piece(
        &self,
        list: List,
        bytes: &[u8],
        i: usize,
        twice: &RefCell<Vec<Problem>>,
    ) -> Result<Found<Self::Case, Self::Victim>, serde_json::Error>;
}

/// One value of `bytes`, and nothing after it.
fn whole<'a, T>(
    bytes: &'a [u8],
    read: impl FnOnce(
        &mut serde_json::Deserializer<serde_json::de::SliceRead<'a>>,
    ) -> serde_json::Result<T>,
) -> serde_json::Result<T> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = read(&mut de)?;
    de.end()?;
    Ok(value)
}

impl Piece for AsJson {
    type Case = Value;
    type Victim = Value;
    fn piece(
        &self,
        list: List,
        bytes: &[u8],
        i: usize,
        twice: &RefCell<Vec<Problem>>,
    ) -> Result<Found<Value, Value>, serde_json::Error> {
        let key = At::Key(&At::Root, list.key());
        let v = whole(bytes, |de| {
            Read {
                at: At::Index(&key, i),
                found: twice,
            }
            .deserialize(de)
        })?;
        Ok(match list {
            List::Cases => Found::Case(v),
            List::Victims => Found::Victim(v),
        })
    }
}

impl Piece for AsRecord {
    type Case = Case;
    type Victim = Victim;
    fn piece(
        &self,
        list: List,
        bytes: &[u8],
        _: usize,
        _: &RefCell<Vec<Problem>>,
    ) -> Result<Found<Case, Victim>, serde_json::Error> {
        use serde::Deserialize as _;
        Ok(match list {
            List::Cases => Found::Case(whole(bytes, |de| Case::deserialize(de))?),
            List::Victims => Found::Victim(whole(bytes, |de| Victim::deserialize(de))?),
        })
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
    I: Item<'de>,
{
    on_a_thread(
        move |found| {
            let mut de = de;
            let twice = RefCell::new(Vec::new());
            let other = de.deserialize_any(TopLevel {
                how: &how,
                found,
                twice: &twice,
                _de: PhantomData,
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

struct TopLevel<'a, 'de, I: Item<'de>> {
    how: &'a I,
    found: &'a std::sync::mpsc::SyncSender<Found<I::Case, I::Victim>>,
    twice: &'a RefCell<Vec<Problem>>,
    _de: PhantomData<&'de ()>,
}

/// The reading was stopped by the one handed the victims.
fn stopped<E: de::Error>() -> E {
    E::custom("the reading was stopped")
}

impl<'de, I: Item<'de>> TopLevel<'_, 'de, I> {
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

impl<'de, I: Item<'de>> Visitor<'de> for TopLevel<'_, 'de, I> {
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
struct Items<'a, 'b, 'de, I: Item<'de>> {
    top: &'a TopLevel<'b, 'de, I>,
    list: List,
}

impl<'de, I: Item<'de>> DeserializeSeed<'de> for Items<'_, '_, 'de, I> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, I: Item<'de>> Items<'_, '_, 'de, I> {
    fn not_a_list<E: de::Error>(self, what: &str) -> Result<(), E> {
        self.top
            .problem(self.list, format!("expected a list, found {what}"))
    }
}

impl<'de, I: Item<'de>> Visitor<'de> for Items<'_, '_, 'de, I> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of {}", self.list.key())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let top = self.top;
        for i in 0.. {
            match top.how.next(self.list, &mut seq, i, top.twice)? {
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
