//! A cache of anonymous GraphQL answers that can never serve a stale read.
//!
//! Every committed write appends to the audit chain, so the chain head's sequence number
//! moves with every change, in whichever replica it was made. An answer is kept under the
//! sequence number read before it was computed and served again only while the number is
//! unchanged and the clock has not reached the next moment a public answer changes without
//! a write: a submission deadline (a call turns to EVALUATION) or the day after an active
//! contract's end (its OCDS status). A cached answer costs one indexed read.
//!
//! Under the same rule it keeps *parts*: rows that signed-in answers are built from and every
//! reader of their call may be shown (a call's lines, criteria and requirements, products,
//! organisations; `graphql::loaders::Parts`) and the counts of call lists by viewer and filter
//! (`service::calls::list_calls`). A signed-in read then costs its page query: the answer is
//! still computed for its reader, whose guards decide what it shows.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// The most bytes of answers kept; beyond, the least recently used answers go first.
pub const MAX_BYTES: usize = 32 * 1024 * 1024;
/// The largest answer kept; a larger one is computed again each time.
pub const MAX_ENTRY_BYTES: usize = 1024 * 1024;
/// What an entry costs beside its answer: its key, its place in the order, the map's slot.
const ENTRY_OVERHEAD: usize = 128;
/// Most questions with a lock of their own (see [`PublicCache::flight`]).
const MAX_FLIGHTS: usize = 1024;
/// Most parts kept; beyond, all are dropped and read again.
pub const MAX_PARTS: usize = 20_000;

/// A kept part: a value, or that there is none.
type Part = Option<Arc<dyn std::any::Any + Send + Sync>>;

/// A question, by the SHA-256 of its request body: 32 bytes whatever the body's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key([u8; 32]);

impl Key {
    pub fn of(body: &[u8]) -> Self {
        Key(Sha256::digest(body).into())
    }
}

struct Entry {
    body: Arc<Vec<u8>>,
    /// When it was last put or read: its place in `Inner::order`.
    used: u64,
}

#[derive(Default)]
struct Inner {
    /// Whether `seq` and `valid_until` were set (`reset`): nothing is current before.
    known: bool,
    seq: i64,
    valid_until: Option<DateTime<Utc>>,
    entries: HashMap<Key, Entry>,
    /// The entries by last use, least recent first.
    order: BTreeMap<u64, Key>,
    bytes: usize,
    clock: u64,
    /// Parts by (kind, key).
    parts: HashMap<(&'static str, String), Part>,
}

impl Inner {
    fn clear(&mut self) {
        self.entries.clear();
        self.order.clear();
        self.bytes = 0;
        self.parts.clear();
    }

    fn current(&self, seq: i64, now: DateTime<Utc>) -> bool {
        self.known && self.seq == seq && self.valid_until.is_none_or(|t| now < t)
    }

    fn touch(&mut self, key: Key) -> Option<Arc<Vec<u8>>> {
        self.clock += 1;
        let entry = self.entries.get_mut(&key)?;
        self.order.remove(&entry.used);
        entry.used = self.clock;
        self.order.insert(self.clock, key);
        Some(entry.body.clone())
    }

    fn remove(&mut self, key: &Key) {
        if let Some(old) = self.entries.remove(key) {
            self.order.remove(&old.used);
            self.bytes -= old.body.len() + ENTRY_OVERHEAD;
        }
    }
}

#[derive(Default)]
pub struct PublicCache {
    inner: Mutex<Inner>,
    /// One lock per question being answered, so concurrent misses compute it once.
    flights: Mutex<HashMap<Key, Arc<tokio::sync::Mutex<()>>>>,
}

impl PublicCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The cached answer to `key` if it is still current at (`seq`, `now`).
    pub fn get(&self, seq: i64, now: DateTime<Utc>, key: &Key) -> Option<Arc<Vec<u8>>> {
        let mut inner = self.lock();
        if !inner.current(seq, now) {
            return None;
        }
        inner.touch(*key)
    }

    /// The lock that answering `key` takes; forgotten with the rest at `MAX_FLIGHTS` questions.
    pub fn flight(&self, key: &Key) -> Arc<tokio::sync::Mutex<()>> {
        let mut flights = self.flights.lock().unwrap_or_else(|p| p.into_inner());
        if flights.len() >= MAX_FLIGHTS && !flights.contains_key(key) {
            flights.clear();
        }
        flights.entry(*key).or_default().clone()
    }

    /// Whether answers for `seq` can be stored without first learning the next deadline.
    pub fn knows(&self, seq: i64, now: DateTime<Utc>) -> bool {
        self.lock().current(seq, now)
    }

    /// Starts over for `seq`, valid until `valid_until` (the next submission deadline). A
    /// request that read an older head than the cache's does not take it back.
    pub fn reset(&self, seq: i64, valid_until: Option<DateTime<Utc>>) {
        let mut inner = self.lock();
        if inner.known && seq < inner.seq {
            return;
        }
        inner.known = true;
        inner.seq = seq;
        inner.valid_until = valid_until;
        inner.clear();
    }

    /// Keeps `body` as the answer to `key` under `seq`, unless it is larger than
    /// `MAX_ENTRY_BYTES`; the least recently used answers make room.
    pub fn put(&self, seq: i64, key: Key, body: Arc<Vec<u8>>) {
        let mut inner = self.lock();
        if inner.seq != seq || body.len() > MAX_ENTRY_BYTES {
            return;
        }
        inner.remove(&key);
        inner.bytes += body.len() + ENTRY_OVERHEAD;
        inner.clock += 1;
        let used = inner.clock;
        inner.order.insert(used, key);
        inner.entries.insert(key, Entry { body, used });
        while inner.bytes > MAX_BYTES {
            let Some((_, oldest)) = inner.order.pop_first() else {
                break;
            };
            inner.remove(&oldest);
        }
    }

    /// The part `kind` of `key` if it is kept and current at (`seq`, `now`): `Some(None)` when
    /// it is known that there is none.
    pub fn part<T: Clone + Send + Sync + 'static>(
        &self,
        seq: i64,
        now: DateTime<Utc>,
        kind: &'static str,
        key: &str,
    ) -> Option<Option<T>> {
        let inner = self.lock();
        if !inner.current(seq, now) {
            return None;
        }
        match inner.parts.get(&(kind, key.to_owned()))? {
            None => Some(None),
            Some(v) => v.downcast_ref::<T>().map(|v| Some(v.clone())),
        }
    }

    /// Keeps `value` (or that there is none) as part `kind` of `key`, read at `seq` or later.
    pub fn put_part<T: Clone + Send + Sync + 'static>(
        &self,
        seq: i64,
        kind: &'static str,
        key: String,
        value: Option<T>,
    ) {
        let mut inner = self.lock();
        if inner.seq != seq {
            return;
        }
        if inner.parts.len() >= MAX_PARTS {
            inner.parts.clear();
        }
        let value: Part = value.map(|v| Arc::new(v) as Arc<dyn std::any::Any + Send + Sync>);
        inner.parts.insert((kind, key), value);
    }

    /// The bytes the answers take, with their overhead.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }
}

/// The cache's parts as one read-only request sees them: at the chain head and the time it
/// read. Requests that write have none (they read what they wrote).
#[derive(Clone)]
pub struct Parts {
    pub cache: Arc<PublicCache>,
    pub seq: i64,
    pub now: DateTime<Utc>,
}

impl Parts {
    /// The kept values of `keys` of `kind`, and the keys not kept.
    pub fn get_many<V: Clone + Send + Sync + 'static>(
        &self,
        kind: &'static str,
        keys: &[String],
    ) -> (HashMap<String, V>, Vec<String>) {
        let mut found = HashMap::new();
        let mut missing = Vec::new();
        for key in keys {
            match self.cache.part::<V>(self.seq, self.now, kind, key) {
                Some(Some(v)) => {
                    found.insert(key.clone(), v);
                }
                Some(None) => {} // Known to have none.
                None => missing.push(key.clone()),
            }
        }
        (found, missing)
    }

    /// Keeps what was loaded for `keys`, and that the others have none.
    pub fn put_many<V: Clone + Send + Sync + 'static>(
        &self,
        kind: &'static str,
        keys: &[String],
        loaded: &HashMap<String, V>,
    ) {
        for key in keys {
            self.cache
                .put_part(self.seq, kind, key.clone(), loaded.get(key).cloned());
        }
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
        let (q, old) = (Key::of(b"q"), Key::of(b"old"));
        c.put(7, q, Arc::new(b"a".to_vec()));
        assert_eq!(
            c.get(7, now, &q).as_deref().map(Vec::as_slice),
            Some(&b"a"[..])
        );
        assert!(c.get(8, now, &q).is_none(), "a write happened");
        assert!(
            c.get(7, now + TimeDelta::seconds(10), &q).is_none(),
            "a deadline passed"
        );
        c.put(6, old, Arc::new(b"x".to_vec()));
        assert!(
            c.get(7, now, &old).is_none(),
            "answers of an older sequence are dropped"
        );
    }

    #[test]
    fn many_large_answers_never_exceed_the_byte_budget() {
        let c = PublicCache::default();
        c.reset(1, None);
        let answer = Arc::new(vec![b'x'; MAX_ENTRY_BYTES]);
        for i in 0u32..200 {
            c.put(1, Key::of(&i.to_le_bytes()), answer.clone());
            assert!(c.bytes() <= MAX_BYTES, "{} bytes after {i}", c.bytes());
        }
        let kept = (0u32..200)
            .filter(|i| c.get(1, Utc::now(), &Key::of(&i.to_le_bytes())).is_some())
            .count();
        assert_eq!(kept, MAX_BYTES / (MAX_ENTRY_BYTES + ENTRY_OVERHEAD));
        let too_big = Key::of(b"too big");
        c.put(1, too_big, Arc::new(vec![0; MAX_ENTRY_BYTES + 1]));
        assert!(c.get(1, Utc::now(), &too_big).is_none());
    }

    #[test]
    fn the_least_recently_used_answer_goes_first() {
        let c = PublicCache::default();
        let now = Utc::now();
        c.reset(1, None);
        let fits = MAX_BYTES / (MAX_ENTRY_BYTES + ENTRY_OVERHEAD);
        let key = |i: usize| Key::of(&i.to_le_bytes());
        for i in 0..fits {
            c.put(1, key(i), Arc::new(vec![0; MAX_ENTRY_BYTES]));
        }
        // Reading the oldest makes the second oldest the least recently used.
        assert!(c.get(1, now, &key(0)).is_some());
        c.put(1, key(fits), Arc::new(vec![0; MAX_ENTRY_BYTES]));
        assert!(
            c.get(1, now, &key(1)).is_none(),
            "the least recently used went"
        );
        assert!(
            c.get(1, now, &key(0)).is_some(),
            "the one read recently stayed"
        );
        assert!(c.get(1, now, &key(fits)).is_some());
    }

    #[test]
    fn parts_live_under_the_same_rule_and_a_late_reader_does_not_take_the_cache_back() {
        let c = PublicCache::default();
        let now = Utc::now();
        assert_eq!(
            c.part::<u64>(0, now, "count", "k"),
            None,
            "nothing before a reset"
        );
        c.put_part(0, "count", "k".into(), Some(1u64));
        assert_eq!(
            c.part::<u64>(0, now, "count", "k"),
            None,
            "nor kept before it"
        );
        c.reset(5, Some(now + TimeDelta::seconds(10)));
        c.put_part(5, "count", "k".into(), Some(3u64));
        c.put_part(5, "lines", "none".into(), None::<Vec<u8>>);
        c.put_part(4, "count", "old".into(), Some(9u64));
        assert_eq!(c.part::<u64>(5, now, "count", "k"), Some(Some(3)));
        assert_eq!(
            c.part::<Vec<u8>>(5, now, "lines", "none"),
            Some(None),
            "known empty"
        );
        assert_eq!(
            c.part::<u64>(5, now, "count", "old"),
            None,
            "read at an older head"
        );
        assert_eq!(
            c.part::<u64>(6, now, "count", "k"),
            None,
            "a write happened"
        );
        assert_eq!(
            c.part::<u64>(5, now + TimeDelta::seconds(10), "count", "k"),
            None,
            "a deadline passed"
        );
        // A request that read head 4 before the write of 5 cannot reset the cache to 4.
        c.reset(4, None);
        assert_eq!(c.part::<u64>(5, now, "count", "k"), Some(Some(3)));
        c.reset(6, None);
        assert_eq!(
            c.part::<u64>(6, now, "count", "k"),
            None,
            "dropped with the move"
        );
    }
}
