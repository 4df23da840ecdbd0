//! Delivering the outbox: claiming due notifications with a lease, and recording what
//! sending them did. The sending itself, and the loop that runs it, are the mail job's
//! (`crate::jobs`).
//!
//! Claims use `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several processes never take the
//! same row (SQLite has one writer). A failure is retried with exponential backoff up to a
//! limit, then FAILED. A row claimed by a process that died becomes due again when its
//! lease runs out.

use super::audit::AuditEntry;
use crate::error::AppResult;
use crate::state::AppState;
use chrono::TimeDelta;
use entity::{NotificationStatus, notification};
use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};

/// How long a claim holds a row; longer than one send may take (SMTP times out after 10 s).
pub const LEASE: TimeDelta = TimeDelta::seconds(30);
/// Attempts before a notification is FAILED.
pub const MAX_ATTEMPTS: i32 = 8;
/// Rows claimed per round.
pub const BATCH: u64 = 16;

/// The wait before attempt `n + 1` after `n` failed ones: 2, 4, 8 … seconds, at most 10 min.
pub fn backoff(failed_attempts: i32) -> TimeDelta {
    let secs = 2i64
        .saturating_pow(failed_attempts.clamp(1, 20) as u32)
        .min(600);
    TimeDelta::seconds(secs)
}

/// Claims up to `BATCH` due notifications for `worker` (a lease of `LEASE`).
pub async fn claim(state: &AppState, worker: &str) -> AppResult<Vec<notification::Model>> {
    work!(state, |w| {
        // A lease is the worker's bookkeeping: nobody reads it.
        w.bookkeeping();
        let now = w.now();
        let due = notification::Entity::find()
            .filter(notification::Column::Status.eq(NotificationStatus::Pending))
            .filter(notification::Column::NextAttemptAt.lte(now))
            .filter(
                Condition::any()
                    .add(notification::Column::LockedUntil.is_null())
                    .add(notification::Column::LockedUntil.lt(now)),
            )
            .order_by_asc(notification::Column::CreatedAt)
            .limit(BATCH)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .all(w.conn())
            .await?;
        let mut claimed = Vec::with_capacity(due.len());
        for n in due {
            let mut am: notification::ActiveModel = n.into();
            am.locked_by = Set(Some(worker.to_owned()));
            am.locked_until = Set(Some(now + LEASE));
            claimed.push(am.update(w.conn()).await?);
        }
        Ok(claimed)
    })
}

/// Records what sending did: SENT, or another attempt later, or FAILED after the last one;
/// only for rows whose lease is still `worker`'s. A final outcome is an audit event (in the
/// call's sealed log while the notice's call is sealed).
pub async fn record(
    state: &AppState,
    worker: &str,
    outcomes: Vec<(notification::Model, Result<(), String>)>,
) -> AppResult<()> {
    work!(state, |w| {
        // Attempt counts and retry times are bookkeeping; final outcomes are audited.
        w.bookkeeping();
        let now = w.now();
        // Deliveries of sealed notices are recorded in their call's sealed log while it is
        // sealed. Lock order as everywhere: the call rows (sorted), then the main chain.
        let mut sealed_calls: Vec<&str> = outcomes
            .iter()
            .filter_map(|(n, _)| n.sealed_call_id.as_deref())
            .collect();
        sealed_calls.sort_unstable();
        sealed_calls.dedup();
        let mut logs = std::collections::HashMap::new();
        for id in sealed_calls {
            let log = super::seal::lock(w.conn(), "callId", id).await?;
            logs.insert(id.to_owned(), log);
        }
        for (n, result) in outcomes {
            // Only while the lease is still ours: a row whose lease ran out may be
            // another's now.
            let Some(current) = notification::Entity::find_by_id(n.id.clone())
                .one(w.conn())
                .await?
            else {
                continue;
            };
            if current.locked_by.as_deref() != Some(worker) {
                tracing::warn!(id = %n.id, "lease lost before the outcome was recorded");
                continue;
            }
            let attempts = current.attempts + 1;
            let mut am: notification::ActiveModel = current.into();
            am.attempts = Set(attempts);
            am.locked_by = Set(None);
            am.locked_until = Set(None);
            match result {
                Ok(()) => {
                    am.status = Set(NotificationStatus::Sent);
                    am.sent_at = Set(Some(now));
                    am.last_error = Set(None);
                }
                Err(e) => {
                    tracing::warn!(id = %n.id, attempts, error = %e, "sending failed");
                    am.last_error = Set(Some(e));
                    if attempts >= MAX_ATTEMPTS {
                        am.status = Set(NotificationStatus::Failed);
                    } else {
                        am.next_attempt_at = Set(now + backoff(attempts));
                    }
                }
            }
            let saved = am.update(w.conn()).await?;
            if saved.status != NotificationStatus::Pending {
                let action = if saved.status == NotificationStatus::Sent {
                    "notification.sent"
                } else {
                    "notification.failed"
                };
                // A private notice's recipient is not written where others read it.
                let mut summary = serde_json::json!({
                    "event": saved.event,
                    "attempts": saved.attempts,
                    "messageId": saved.message_id,
                });
                if !saved.private {
                    summary["recipient"] = serde_json::json!(saved.recipient);
                }
                if let Some(log) = saved
                    .sealed_call_id
                    .as_deref()
                    .and_then(|id| logs.get_mut(id))
                    .filter(|log| log.is_sealed())
                {
                    w.seal(
                        log,
                        now,
                        super::seal::SealedEntry::system(action, "notification", &saved.id)
                            .summary(summary),
                    )
                    .await?;
                    continue;
                }
                w.audit(
                    now,
                    AuditEntry::system(action, "notification", &saved.id)
                        .sealed_until(saved.sealed_until)
                        .summary(summary),
                )?;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), TimeDelta::seconds(2));
        assert_eq!(backoff(2), TimeDelta::seconds(4));
        assert_eq!(backoff(5), TimeDelta::seconds(32));
        assert_eq!(backoff(12), TimeDelta::seconds(600));
    }
}
