//! Login throttling: too many failed logins for one account, or from one client address,
//! within a window lock further attempts until the oldest failure leaves the window.

use chrono::{DateTime, TimeDelta, Utc};

/// A limit: at most `max` failures within `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: usize,
    pub window: TimeDelta,
}

/// Per account: 10 failures in 5 minutes.
pub const ACCOUNT: Limit = Limit {
    max: 10,
    window: TimeDelta::minutes(5),
};
/// Per client address: 100 failures in 5 minutes.
pub const CLIENT: Limit = Limit {
    max: 100,
    window: TimeDelta::minutes(5),
};

/// With these failure times (any order), how long until another attempt is allowed;
/// `None` when it is allowed now.
pub fn retry_after(
    limit: Limit,
    failures: &[DateTime<Utc>],
    now: DateTime<Utc>,
) -> Option<TimeDelta> {
    let mut recent: Vec<DateTime<Utc>> = failures
        .iter()
        .copied()
        .filter(|t| now - *t < limit.window)
        .collect();
    if recent.len() < limit.max {
        return None;
    }
    recent.sort();
    // The attempt is allowed again once enough failures have left the window.
    let freeing = recent[recent.len() - limit.max];
    Some((freeing + limit.window - now).max(TimeDelta::seconds(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_the_limit_is_allowed() {
        let now = Utc::now();
        let f: Vec<_> = (0..9).map(|i| now - TimeDelta::seconds(i)).collect();
        assert_eq!(retry_after(ACCOUNT, &f, now), None);
    }

    #[test]
    fn at_the_limit_waits_until_the_oldest_recent_failure_expires() {
        let now = Utc::now();
        // Ten failures, the oldest 4 minutes ago: one minute to wait.
        let f: Vec<_> = (0..10).map(|i| now - TimeDelta::seconds(i * 24)).collect();
        assert_eq!(retry_after(ACCOUNT, &f, now), Some(TimeDelta::seconds(84)));
    }

    #[test]
    fn old_failures_do_not_count() {
        let now = Utc::now();
        let f: Vec<_> = (0..20).map(|i| now - TimeDelta::minutes(6 + i)).collect();
        assert_eq!(retry_after(ACCOUNT, &f, now), None);
    }
}
