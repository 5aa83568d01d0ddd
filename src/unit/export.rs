//! The whole store as a caseload file, written a record at a time (a large unit is never
//! held whole): `vlu export` on a store it holds, and the unit service's export.

use std::cell::RefCell;
use std::io::Write;

use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::error::Error;
use crate::store::{Disclosure, Store, StoreError};

/// The whole store as a caseload file into `out`, a record at a time; `step` after each
/// victim (a progress counter). Recorded first as a disclosure of everyone's data.
pub fn write_export(store: &Store, out: &mut dyn Write, step: &dyn Fn()) -> Result<(), Error> {
    store.record_disclosure(&Disclosure::of_everyone("export"))?;
    let head = store.load_head()?;
    let cases = Streamed::new(store.cases());
    let victims = Streamed::new(store.victims_with_logs().inspect(|_| step()));
    let written = serde_json::to_writer_pretty(&mut *out, &head.out(&cases, &victims))
        .map_err(std::io::Error::from)
        .and_then(|()| out.write_all(b"\n"));
    if let Some(e) = cases.error.take().or_else(|| victims.error.take()) {
        return Err(e.into());
    }
    written.map_err(|source| Error::Write {
        path: "the export".into(),
        source,
    })
}

/// A list serialised from records read one at a time, once. A read that fails stops the
/// writing and is kept, for the caller to report.
struct Streamed<I> {
    records: RefCell<Option<I>>,
    error: RefCell<Option<StoreError>>,
}

impl<I> Streamed<I> {
    fn new(records: I) -> Self {
        Self {
            records: RefCell::new(Some(records)),
            error: RefCell::new(None),
        }
    }
}

impl<I, T> Serialize for Streamed<I>
where
    I: Iterator<Item = Result<T, StoreError>>,
    T: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let records = self
            .records
            .borrow_mut()
            .take()
            .ok_or_else(|| S::Error::custom("records from the store are written once"))?;
        let mut seq = s.serialize_seq(None)?;
        for record in records {
            match record {
                Ok(r) => seq.serialize_element(&r)?,
                Err(e) => {
                    *self.error.borrow_mut() = Some(e);
                    return Err(S::Error::custom("the store could not be read"));
                }
            }
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::Streamed;
    use crate::store::StoreError;

    #[test]
    fn a_streamed_list_writes_as_a_list_and_keeps_a_failed_read() {
        let ok: Vec<Result<u32, StoreError>> = vec![Ok(1), Ok(2)];
        let list = Streamed::new(ok.into_iter());
        assert_eq!(serde_json::to_string(&list).unwrap(), "[1,2]");
        assert!(
            serde_json::to_string(&list).is_err(),
            "a second write has nothing to write"
        );

        let failing: Vec<Result<u32, StoreError>> =
            vec![Ok(1), Err(StoreError::Corrupt("a record".into())), Ok(3)];
        let list = Streamed::new(failing.into_iter());
        assert!(serde_json::to_string(&list).is_err());
        assert!(matches!(list.error.take(), Some(StoreError::Corrupt(_))));
    }
}
