//! Revoked tokens: each user has a token version (raised by logout, a password change,
//! disabling or enabling) and a disabled flag; a token is honoured only while it carries the
//! user's current version and the user is enabled. A per-process cache answers most requests
//! without a database round trip; an entry older than [`MAX_AGE`] (by the application clock)
//! is read again, so another replica's revocation is honoured within that age.

use chrono::{DateTime, TimeDelta, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

/// How long a status read from the database is trusted by this process.
pub const MAX_AGE: TimeDelta = TimeDelta::seconds(2);

/// What decides whether a user's token is honoured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserStatus {
    pub token_version: i32,
    pub disabled: bool,
}

impl UserStatus {
    /// Whether a token issued at `version` is honoured.
    pub fn accepts(&self, version: i32) -> bool {
        !self.disabled && self.token_version == version
    }
}

/// user id -> (status, when it was read or written by this process).
#[derive(Debug, Default)]
pub struct StatusCache {
    entries: Mutex<HashMap<String, (UserStatus, DateTime<Utc>)>>,
}

impl StatusCache {
    /// The status of `user`, when this process learnt it less than [`MAX_AGE`] ago.
    pub fn fresh(&self, user: &str, now: DateTime<Utc>) -> Option<UserStatus> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(user)
            .filter(|(_, at)| *at <= now && now - *at < MAX_AGE)
            .map(|(status, _)| *status)
    }

    /// Records the status of `user` as of `at`. Every change raises the version, so a status
    /// with a lower version than the one held is older news (a read that raced a change made
    /// by this process) and is ignored.
    pub fn record(&self, user: &str, status: UserStatus, at: DateTime<Utc>) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match entries.get(user) {
            Some((held, _)) if held.token_version > status.token_version => {}
            _ => {
                entries.insert(user.to_owned(), (status, at));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENABLED_V1: UserStatus = UserStatus {
        token_version: 1,
        disabled: false,
    };

    #[test]
    fn only_the_current_version_of_an_enabled_user_is_accepted() {
        assert!(ENABLED_V1.accepts(1));
        assert!(!ENABLED_V1.accepts(0));
        assert!(!ENABLED_V1.accepts(2));
        let disabled = UserStatus {
            disabled: true,
            ..ENABLED_V1
        };
        assert!(!disabled.accepts(1));
    }

    #[test]
    fn an_entry_is_trusted_for_less_than_the_max_age() {
        let cache = StatusCache::default();
        let t = Utc::now();
        assert_eq!(cache.fresh("u", t), None);
        cache.record("u", ENABLED_V1, t);
        assert_eq!(
            cache.fresh("u", t + TimeDelta::milliseconds(1999)),
            Some(ENABLED_V1)
        );
        assert_eq!(cache.fresh("u", t + MAX_AGE), None);
        assert_eq!(cache.fresh("u", t - TimeDelta::seconds(1)), None);
    }

    #[test]
    fn an_older_version_never_replaces_a_newer_one() {
        let cache = StatusCache::default();
        let t = Utc::now();
        cache.record("u", ENABLED_V1, t);
        let stale = UserStatus {
            token_version: 0,
            disabled: false,
        };
        cache.record("u", stale, t + TimeDelta::seconds(1));
        assert_eq!(
            cache.fresh("u", t + TimeDelta::seconds(1)),
            Some(ENABLED_V1)
        );
        let newer = UserStatus {
            token_version: 2,
            disabled: true,
        };
        cache.record("u", newer, t + TimeDelta::seconds(1));
        assert_eq!(cache.fresh("u", t + TimeDelta::seconds(1)), Some(newer));
    }
}
