//! The seal's side paths (DESIGN "The seal's side paths, closed"): a call's bid events go
//! to its own sealed log, hash-chained like the main chain (same canonical form, starting
//! from 64 zeros, sequence numbers 1, 2, …), and are anchored in the main chain by one
//! `call.bids_opened` event when the bids are opened. Until then the main chain holds
//! nothing that moves with a bid, so sequence numbers and their timing reveal nothing.
//!
//! The anchor event is the same whichever path opens the bids (the first read or write
//! after the deadline, or the background tick): no actor, the time of the submission
//! deadline, and the summary `{"callId", "count", "headHash"}`.

use super::audit::{ChainEvent, GENESIS_HASH, verify_chain};
use super::call::CallStatus;
use chrono::{DateTime, Utc};

/// The action of the anchor event in the main chain.
pub const OPENED: &str = "call.bids_opened";

/// Whether a call's sealed log is due to be opened (anchored) at `now`: the call is still
/// published (not cancelled: a call cancelled before its deadline stays sealed for good),
/// its deadline has passed and it has not been opened yet.
pub fn is_due(
    stored: CallStatus,
    opened: bool,
    submission_deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    stored == CallStatus::Published && !opened && now >= submission_deadline
}

/// Whether a call's bids are open to those who may see them: its submission deadline has
/// passed and it was not cancelled before then (such a call's bidders stay sealed for good).
pub fn bids_open(
    submission_deadline: DateTime<Utc>,
    cancelled_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    now >= submission_deadline && cancelled_at.is_none_or(|t| t >= submission_deadline)
}

/// The summary of the anchor event. Keys are in sorted order, as every stored summary.
pub fn anchor_summary(call_id: &str, count: i64, head_hash: &str) -> serde_json::Value {
    serde_json::json!({ "callId": call_id, "count": count, "headHash": head_hash })
}

/// What an anchor event says of its log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub call_id: String,
    pub count: i64,
    pub head_hash: String,
}

/// Reads an anchor event's stored summary.
pub fn parse_anchor(summary: &str) -> Option<Anchor> {
    let v: serde_json::Value = serde_json::from_str(summary).ok()?;
    Some(Anchor {
        call_id: v.get("callId")?.as_str()?.to_owned(),
        count: v.get("count")?.as_i64()?,
        head_hash: v.get("headHash")?.as_str()?.to_owned(),
    })
}

/// How one sealed log checks out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogCheck {
    /// The log is an unbroken chain and, when anchored, ends where its anchor says.
    Intact,
    /// The log itself is broken at this sequence number of the log.
    BrokenAt(i64),
    /// The log is unbroken but does not match its anchor (events added or removed after the
    /// opening, or the anchor rewritten).
    AnchorMismatch,
}

/// Verifies one sealed log (events in ascending `seq` order) against its anchor, if any.
pub fn verify_log(events: &[ChainEvent], anchor: Option<&Anchor>) -> LogCheck {
    let v = verify_chain(events);
    if let Some(seq) = v.first_broken_seq {
        return LogCheck::BrokenAt(seq);
    }
    match anchor {
        None => LogCheck::Intact,
        Some(a) => {
            let head = events.last().map_or(GENESIS_HASH, |e| e.hash.as_str());
            let count = i64::try_from(events.len()).unwrap_or(i64::MAX);
            if a.count == count && a.head_hash == head {
                LogCheck::Intact
            } else {
                LogCheck::AnchorMismatch
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn log(n: i64) -> Vec<ChainEvent> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|seq| {
                let mut e = ChainEvent {
                    seq,
                    at: Utc
                        .with_ymd_and_hms(2026, 12, 1, 12, 0, seq as u32)
                        .unwrap(),
                    actor: Some("u".into()),
                    action: "bid.submit".into(),
                    entity: "bid".into(),
                    entity_id: format!("b{seq}"),
                    summary: "{}".into(),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.expected_hash();
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn anchor_of(events: &[ChainEvent]) -> Anchor {
        let s = anchor_summary(
            "c1",
            events.len() as i64,
            events.last().map_or(GENESIS_HASH, |e| &e.hash),
        )
        .to_string();
        parse_anchor(&s).unwrap()
    }

    #[test]
    fn due_only_after_the_deadline_of_a_published_unopened_call() {
        let d = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        let before = d - chrono::TimeDelta::seconds(1);
        assert!(!is_due(CallStatus::Published, false, d, before));
        assert!(is_due(CallStatus::Published, false, d, d));
        assert!(!is_due(CallStatus::Published, true, d, d));
        // Cancelled before its deadline: sealed for good.
        assert!(!is_due(CallStatus::Cancelled, false, d, d));
        assert!(!is_due(CallStatus::Draft, false, d, d));
    }

    #[test]
    fn bids_of_a_call_cancelled_before_its_deadline_never_open() {
        let d = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        let later = d + chrono::TimeDelta::days(30);
        assert!(!bids_open(d, None, d - chrono::TimeDelta::seconds(1)));
        assert!(bids_open(d, None, d));
        assert!(!bids_open(d, Some(d - chrono::TimeDelta::hours(1)), later));
        // Cancelled after the deadline: the bids were already open.
        assert!(bids_open(d, Some(d + chrono::TimeDelta::hours(1)), later));
    }

    #[test]
    fn the_anchor_summary_has_sorted_keys_and_reads_back() {
        let s = anchor_summary("c1", 3, "ab").to_string();
        assert_eq!(s, r#"{"callId":"c1","count":3,"headHash":"ab"}"#);
        assert_eq!(
            parse_anchor(&s),
            Some(Anchor {
                call_id: "c1".into(),
                count: 3,
                head_hash: "ab".into()
            })
        );
        assert_eq!(parse_anchor("{}"), None);
    }

    #[test]
    fn an_intact_log_matches_its_anchor_and_an_empty_one_the_genesis() {
        let l = log(4);
        assert_eq!(verify_log(&l, Some(&anchor_of(&l))), LogCheck::Intact);
        assert_eq!(verify_log(&[], Some(&anchor_of(&[]))), LogCheck::Intact);
        assert_eq!(verify_log(&l, None), LogCheck::Intact);
    }

    #[test]
    fn an_event_added_after_the_opening_or_dropped_from_the_end_is_found() {
        let l = log(4);
        let a = anchor_of(&l[..3]);
        assert_eq!(verify_log(&l, Some(&a)), LogCheck::AnchorMismatch);
        let a = anchor_of(&l);
        assert_eq!(verify_log(&l[..3], Some(&a)), LogCheck::AnchorMismatch);
    }

    #[test]
    fn a_changed_event_breaks_the_log() {
        let mut l = log(4);
        l[1].summary = "{\"forged\":true}".into();
        assert_eq!(verify_log(&l, None), LogCheck::BrokenAt(2));
    }
}
