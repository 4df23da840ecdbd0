//! A cache of anonymous GraphQL answers that can never serve a stale read.
//!
//! Every committed write appends to the audit chain, so the chain head's sequence number
//! moves with every change, in whichever replica it was made. An answer is kept under the
//! sequence number read before it was computed and served again only while the number is
//! unchanged and the clock has not reached the next moment a public answer changes without
//! a write: a submission deadline (a call turns to EVALUATION) or the day after an active
//! contract's end (its OCDS status). A cached answer costs one indexed read.

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Most answers kept; beyond, the cache starts over.
const MAX_ENTRIES: usize = 1024;

#[derive(Default)]
struct Inner {
    seq: i64,
    valid_until: Option<DateTime<Utc>>,
    entries: HashMap<Vec<u8>, Arc<Vec<u8>>>,
}

#[derive(Default)]
pub struct PublicCache {
    inner: Mutex<Inner>,
    /// One lock per question being answered, so concurrent misses compute it once.
    flights: Mutex<HashMap<Vec<u8>, Arc<tokio::sync::Mutex<()>>>>,
}

impl PublicCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The cached answer to `key` if it is still current at (`seq`, `now`).
    pub fn get(&self, seq: i64, now: DateTime<Utc>, key: &[u8]) -> Option<Arc<Vec<u8>>> {
        let inner = self.lock();
        if inner.seq != seq || inner.valid_until.is_some_and(|t| now >= t) {
            return None;
        }
        inner.entries.get(key).cloned()
    }

    /// The lock that answering `key` takes; forgotten with the rest at `MAX_ENTRIES` questions.
    pub fn flight(&self, key: &[u8]) -> Arc<tokio::sync::Mutex<()>> {
        let mut flights = self.flights.lock().unwrap_or_else(|p| p.into_inner());
        if flights.len() >= MAX_ENTRIES && !flights.contains_key(key) {
            flights.clear();
        }
        flights.entry(key.to_vec()).or_default().clone()
    }

    /// Whether answers for `seq` can be stored without first learning the next deadline.
    pub fn knows(&self, seq: i64, now: DateTime<Utc>) -> bool {
        let inner = self.lock();
        inner.seq == seq && inner.valid_until.is_none_or(|t| now < t)
    }

    /// Starts over for `seq`, valid until `valid_until` (the next submission deadline).
    pub fn reset(&self, seq: i64, valid_until: Option<DateTime<Utc>>) {
        let mut inner = self.lock();
        inner.seq = seq;
        inner.valid_until = valid_until;
        inner.entries.clear();
    }

    pub fn put(&self, seq: i64, key: Vec<u8>, body: Arc<Vec<u8>>) {
        let mut inner = self.lock();
        if inner.seq != seq {
            return;
        }
        if inner.entries.len() >= MAX_ENTRIES {
            inner.entries.clear();
        }
        inner.entries.insert(key, body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    #[test]
    fn an_answer_lives_until_the_sequence_moves_or_the_deadline_comes() {
        let c = PublicCache::default();
        let now = Utc::now();
        c.reset(7, Some(now + TimeDelta::seconds(10)));
        c.put(7, b"q".to_vec(), Arc::new(b"a".to_vec()));
        assert_eq!(
            c.get(7, now, b"q").as_deref().map(Vec::as_slice),
            Some(&b"a"[..])
        );
        assert!(c.get(8, now, b"q").is_none(), "a write happened");
        assert!(
            c.get(7, now + TimeDelta::seconds(10), b"q").is_none(),
            "a deadline passed"
        );
        c.put(6, b"old".to_vec(), Arc::new(b"x".to_vec()));
        assert!(
            c.get(7, now, b"old").is_none(),
            "answers of an older sequence are dropped"
        );
    }
}
