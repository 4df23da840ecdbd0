//! The audit chain: how one event is hashed and how a chain is verified.
//!
//! `hash = lowercase hex SHA-256` of the UTF-8 text formed by joining these lines with `\n`:
//! `prev_hash`, `seq` (decimal), `at` (RFC 3339 UTC with exactly six fractional digits and `Z`,
//! e.g. `2026-11-24T12:00:00.000000Z`), `actor` (user id, empty when none), `action`, `entity`,
//! `entity_id`, `summary` (the stored JSON text, byte for byte). The first `prev_hash` is 64 zeros.

use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One event as the chain sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainEvent {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub summary: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The canonical text that is hashed (see the module documentation).
#[allow(clippy::too_many_arguments)]
pub fn canonical_content(
    prev_hash: &str,
    seq: i64,
    at: DateTime<Utc>,
    actor: Option<&str>,
    action: &str,
    entity: &str,
    entity_id: &str,
    summary: &str,
) -> String {
    [
        prev_hash,
        &seq.to_string(),
        &at.to_rfc3339_opts(SecondsFormat::Micros, true),
        actor.unwrap_or(""),
        action,
        entity,
        entity_id,
        summary,
    ]
    .join("\n")
}

pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

impl ChainEvent {
    pub fn expected_hash(&self) -> String {
        sha256_hex(&canonical_content(
            &self.prev_hash,
            self.seq,
            self.at,
            self.actor.as_deref(),
            &self.action,
            &self.entity,
            &self.entity_id,
            &self.summary,
        ))
    }
}

/// Result of walking the chain in sequence order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub events: usize,
    /// The first sequence number where the chain does not hold: a gap, a wrong link or a
    /// hash that does not match the content.
    pub first_broken_seq: Option<i64>,
}

/// Verifies events given in ascending `seq` order.
pub fn verify_chain<'a>(events: impl IntoIterator<Item = &'a ChainEvent>) -> Verification {
    let mut prev = GENESIS_HASH.to_owned();
    let mut count = 0usize;
    for (expected_seq, e) in (1i64..).zip(events) {
        count += 1;
        if e.seq != expected_seq || e.prev_hash != prev || e.hash != e.expected_hash() {
            // A missing event shows as a gap at the first seq that is not there.
            let broken = if e.seq > expected_seq {
                expected_seq
            } else {
                e.seq
            };
            return Verification {
                events: count,
                first_broken_seq: Some(broken),
            };
        }
        prev = e.hash.clone();
    }
    Verification {
        events: count,
        first_broken_seq: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn chain(n: i64) -> Vec<ChainEvent> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|seq| {
                let mut e = ChainEvent {
                    seq,
                    at: Utc
                        .with_ymd_and_hms(2026, 11, 24, 12, 0, seq as u32)
                        .unwrap(),
                    actor: (seq % 2 == 0).then(|| "user-1".to_owned()),
                    action: "organization.create".into(),
                    entity: "organization".into(),
                    entity_id: format!("org-{seq}"),
                    summary: format!("{{\"name\":\"Org {seq}\"}}"),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.expected_hash();
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    #[test]
    fn canonical_content_is_documented_form() {
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
        let c = canonical_content(GENESIS_HASH, 1, at, None, "a.b", "e", "id", "{}");
        assert_eq!(
            c,
            format!("{GENESIS_HASH}\n1\n2026-11-24T12:00:00.000000Z\n\na.b\ne\nid\n{{}}")
        );
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(
            verify_chain(&c),
            Verification {
                events: 5,
                first_broken_seq: None
            }
        );
        assert_eq!(
            verify_chain(&[]),
            Verification {
                events: 0,
                first_broken_seq: None
            }
        );
    }

    #[test]
    fn a_changed_summary_is_found() {
        let mut c = chain(5);
        c[2].summary = "{\"name\":\"forged\"}".into();
        assert_eq!(verify_chain(&c).first_broken_seq, Some(3));
    }

    #[test]
    fn a_deleted_event_is_found() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify_chain(&c).first_broken_seq, Some(2));
    }

    #[test]
    fn reordered_events_are_found() {
        let mut c = chain(5);
        c.swap(3, 4);
        assert_eq!(verify_chain(&c).first_broken_seq, Some(4));
    }
}
