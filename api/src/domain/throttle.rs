//! Login throttling: attempts are counted per (account, client address) and per client
//! address in fixed windows, and each attempt is counted *before* its password is checked, so
//! concurrent attempts cannot slip past the limit. Failures from one address never lock the
//! account for the owner at another address.

use chrono::{DateTime, TimeDelta, Utc};
use sha2::{Digest, Sha256};
use std::net::IpAddr;

/// A limit: at most `max` attempts that did not succeed within one fixed window of `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: i64,
    pub window: TimeDelta,
}

/// Per account and client address: 10 attempts in each 5-minute window.
pub const ACCOUNT_FROM_CLIENT: Limit = Limit {
    max: 10,
    window: TimeDelta::minutes(5),
};
/// Per client address, over all accounts: 100 attempts in each 5-minute window.
pub const CLIENT: Limit = Limit {
    max: 100,
    window: TimeDelta::minutes(5),
};

/// One counter to charge an attempt to: an opaque subject (a hash, so no email address is
/// stored and every subject has the same length) and the limit that applies to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    pub subject: String,
    pub limit: Limit,
    /// A successful login starts this count again (the pair's); the other counts (the
    /// address's) are only not charged for the success.
    pub reset_on_success: bool,
}

/// The counters one login attempt for `email` from `client` is charged to: always the
/// (account, address) pair, and the address itself when it is known.
pub fn counters(email: &str, client: Option<IpAddr>) -> Vec<Counter> {
    let address = client.map_or_else(|| "unknown".to_owned(), |c| c.to_string());
    let mut out = vec![Counter {
        subject: subject(&format!("account:{email}\nclient:{address}")),
        limit: ACCOUNT_FROM_CLIENT,
        reset_on_success: true,
    }];
    if client.is_some() {
        out.push(Counter {
            subject: subject(&format!("client:{address}")),
            limit: CLIENT,
            reset_on_success: false,
        });
    }
    out
}

fn subject(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The window `now` falls in, as the Unix second it starts at.
pub fn window_start(limit: Limit, now: DateTime<Utc>) -> i64 {
    let len = limit.window.num_seconds().max(1);
    now.timestamp().div_euclid(len) * len
}

/// Windows that started before this Unix second have ended (with a whole window to spare
/// for clocks that differ between replicas); their counters may be deleted.
pub fn expired_before(now: DateTime<Utc>) -> i64 {
    let longest = ACCOUNT_FROM_CLIENT.window.max(CLIENT.window);
    window_start(
        Limit {
            max: 0,
            window: longest,
        },
        now,
    ) - longest.num_seconds()
}

/// With `attempts` counted in the window starting at `window_start` (this attempt included),
/// how long until another attempt is allowed; `None` when this one is allowed.
pub fn retry_after(
    limit: Limit,
    attempts: i64,
    window_start: i64,
    now: DateTime<Utc>,
) -> Option<TimeDelta> {
    if attempts <= limit.max {
        return None;
    }
    let ends = window_start + limit.window.num_seconds();
    Some(TimeDelta::seconds((ends - now.timestamp()).max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 2, h, m, s).single().unwrap()
    }

    #[test]
    fn the_tenth_attempt_is_allowed_and_the_eleventh_waits_for_the_window_to_end() {
        let now = at(12, 1, 0);
        let start = window_start(ACCOUNT_FROM_CLIENT, now);
        assert_eq!(start, at(12, 0, 0).timestamp());
        assert_eq!(retry_after(ACCOUNT_FROM_CLIENT, 10, start, now), None);
        assert_eq!(
            retry_after(ACCOUNT_FROM_CLIENT, 11, start, now),
            Some(TimeDelta::seconds(240))
        );
    }

    #[test]
    fn a_client_address_may_fail_a_hundred_times() {
        let now = at(12, 4, 59);
        let start = window_start(CLIENT, now);
        assert_eq!(retry_after(CLIENT, 100, start, now), None);
        assert_eq!(
            retry_after(CLIENT, 101, start, now),
            Some(TimeDelta::seconds(1))
        );
    }

    #[test]
    fn windows_are_fixed_five_minute_slots() {
        assert_eq!(
            window_start(ACCOUNT_FROM_CLIENT, at(12, 4, 59)),
            at(12, 0, 0).timestamp()
        );
        assert_eq!(
            window_start(ACCOUNT_FROM_CLIENT, at(12, 5, 0)),
            at(12, 5, 0).timestamp()
        );
        assert_eq!(expired_before(at(12, 7, 0)), at(12, 0, 0).timestamp());
    }

    #[test]
    fn an_account_is_counted_separately_for_each_address() {
        let x: IpAddr = "203.0.113.66".parse().unwrap();
        let y: IpAddr = "192.0.2.10".parse().unwrap();
        let from_x = counters("a@example.fi", Some(x));
        let from_y = counters("a@example.fi", Some(y));
        assert_eq!(from_x.len(), 2);
        assert_ne!(from_x[0].subject, from_y[0].subject);
        assert_ne!(from_x[1].subject, from_y[1].subject);
        // Another account from the same address shares the address's counter only.
        let other = counters("b@example.fi", Some(x));
        assert_ne!(from_x[0].subject, other[0].subject);
        assert_eq!(from_x[1], other[1]);
        // Without a known address there is only the pair's counter.
        assert_eq!(counters("a@example.fi", None).len(), 1);
        assert_eq!(from_x[0].subject.len(), 64);
    }
}
