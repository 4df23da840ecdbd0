//! The one source of time. Production reads the system clock; tests move a manual clock
//! instead of sleeping. Times are truncated to microseconds, the precision both databases keep,
//! so a value hashed before saving is the value read back.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use std::sync::{Arc, Mutex};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// Truncates to whole microseconds.
pub fn to_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(t)
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        to_micros(Utc::now())
    }
}

/// A clock that stands still until told to move, or that ticks forward by a fixed step on
/// every reading (to let a deadline fall in the middle of concurrent work, deterministically).
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<(DateTime<Utc>, TimeDelta)>>);

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        ManualClock(Arc::new(Mutex::new((to_micros(start), TimeDelta::zero()))))
    }

    pub fn set(&self, t: DateTime<Utc>) {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        guard.0 = to_micros(t);
    }

    pub fn advance(&self, by: TimeDelta) {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        guard.0 = to_micros(guard.0 + by);
    }

    /// From now on every reading returns the time and then moves it on by `step`.
    pub fn tick_on_read(&self, step: TimeDelta) {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        guard.1 = step;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let t = guard.0;
        guard.0 = to_micros(t + guard.1);
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let start = Utc::now();
        let c = ManualClock::new(start);
        assert_eq!(c.now(), to_micros(start));
        c.advance(TimeDelta::days(2));
        assert_eq!(c.now(), to_micros(start) + TimeDelta::days(2));
    }

    #[test]
    fn a_ticking_clock_moves_on_every_reading() {
        let start = Utc::now();
        let c = ManualClock::new(start);
        c.tick_on_read(TimeDelta::milliseconds(5));
        let first = c.now();
        assert_eq!(c.now(), first + TimeDelta::milliseconds(5));
        assert_eq!(c.now(), first + TimeDelta::milliseconds(10));
    }

    #[test]
    fn system_clock_has_microsecond_precision() {
        let t = SystemClock.now();
        assert_eq!(t.timestamp_subsec_nanos() % 1000, 0);
    }
}
