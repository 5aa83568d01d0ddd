//! The engine in memory: keys and values in a sorted map, nothing on disk. A unit is built
//! here by the store's own code (an import, with its digest, versions and audit entry) and
//! then handed whole to something that writes it elsewhere — `vlu db load`, which copies it
//! into PostgreSQL with `COPY`. Nothing here survives the process.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use super::{Batch, Engine, EngineFailure, Op, Pair, Scan, Unapplied, log_key, log_number};

#[derive(Debug, Default)]
pub(crate) struct InMemory {
    map: Mutex<BTreeMap<Vec<u8>, Vec<u8>>>,
}

impl InMemory {
    /// Every key and its value, in key order, leaving the engine empty.
    pub(crate) fn take(&self) -> BTreeMap<Vec<u8>, Vec<u8>> {
        std::mem::take(&mut *self.map.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl Engine for InMemory {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, EngineFailure> {
        let map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(map.get(key).cloned())
    }

    fn scan(&self, prefix: &[u8]) -> Scan<'_> {
        let map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        let pairs: Vec<Pair> = map
            .range(prefix.to_vec()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Box::new(pairs.into_iter().map(Ok))
    }

    fn apply(&self, batch: Batch, _durable: bool) -> Result<Option<u64>, Unapplied> {
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        for (key, wanted) in &batch.expected {
            if map.get(key) != wanted.as_ref() {
                return Err(Unapplied::Conflict(key.clone()));
            }
        }
        for op in batch.ops {
            match op {
                Op::Put(k, v) => map.insert(k, v),
                Op::Remove(k) => map.remove(&k),
            };
        }
        let mut last = None;
        for (log, value) in batch.appended {
            let n = map
                .range(log.to_vec()..)
                .take_while(|(k, _)| k.starts_with(log))
                .last()
                .and_then(|(k, _)| log_number(log, k))
                .map_or(1, |n| n + 1);
            map.insert(log_key(log, n), value);
            last = Some(n);
        }
        Ok(last)
    }

    fn size_on_disk(&self) -> Result<u64, EngineFailure> {
        Ok(0)
    }
}
