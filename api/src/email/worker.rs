//! The delivery worker. It claims due rows with a lease (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL, so several processes never take the same row; SQLite has one writer), sends
//! them, and marks them SENT; a failure is retried with exponential backoff up to a limit,
//! then FAILED. A row claimed by a process that died becomes due again when its lease runs
//! out. It also writes the 24-hour deadline reminders.

use super::outbox::{FAILED, PENDING, SENT};
use super::transport::Transport;
use crate::error::AppResult;
use crate::state::AppState;
use chrono::{DateTime, TimeDelta, Utc};
use entity::notification;
use sea_orm::sea_query::LockBehavior;
use sea_orm::sea_query::LockType;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};

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

pub struct Worker {
    state: AppState,
    transport: Transport,
    id: String,
    wake: Arc<Notify>,
    poll: Duration,
}

impl Worker {
    pub fn new(state: AppState, transport: Transport) -> Self {
        let wake = state.mail_wake.clone();
        Worker {
            state,
            transport,
            id: format!("worker-{}", uuid::Uuid::new_v4().simple()),
            wake,
            poll: Duration::from_millis(250),
        }
    }

    /// Delivers until `stop` turns true; the round in progress is finished first, so no row
    /// stays claimed by a stopped worker.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        tracing::info!(worker = %self.id, transport = %self.transport.describe(), "mail worker started");
        let mut last_reminders: Option<DateTime<Utc>> = None;
        loop {
            if *stop.borrow() {
                break;
            }
            let now = self.state.now();
            if last_reminders.is_none_or(|t| now - t >= TimeDelta::seconds(30)) {
                if let Err(e) =
                    crate::service::notifications::write_deadline_reminders(&self.state).await
                {
                    tracing::error!(error = %e, "deadline reminders");
                }
                last_reminders = Some(now);
            }
            // The background tick that opens sealed logs whose deadline has passed (a read
            // or write of the call may have opened them already; the anchor is the same).
            if let Err(e) = crate::service::seal::open_due(&self.state).await {
                tracing::error!(error = %e, "opening sealed logs");
            }
            match self.deliver_due().await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "mail delivery round"),
            }
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(self.poll) => {}
                _ = stop.changed() => {}
            }
        }
        tracing::info!(worker = %self.id, "mail worker stopped");
    }

    /// Claims due rows, sends them and records the outcomes, all in one transaction (one
    /// write per round instead of one per message). Returns how many were handled.
    pub async fn deliver_due(&self) -> AppResult<usize> {
        let claimed = self.claim().await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        let mut outcomes = Vec::with_capacity(claimed.len());
        for n in claimed {
            let result = self
                .transport
                .send(
                    &self.state.config.mail_from,
                    &n.recipient,
                    &n.subject,
                    &n.body,
                    &n.message_id,
                )
                .await;
            outcomes.push((n, result));
        }
        let handled = outcomes.len();
        self.finish(outcomes).await?;
        Ok(handled)
    }

    async fn claim(&self) -> AppResult<Vec<notification::Model>> {
        let txn = self.state.db.begin().await?;
        let now = self.state.now();
        let due = notification::Entity::find()
            .filter(notification::Column::Status.eq(PENDING))
            .filter(notification::Column::NextAttemptAt.lte(now))
            .filter(
                Condition::any()
                    .add(notification::Column::LockedUntil.is_null())
                    .add(notification::Column::LockedUntil.lt(now)),
            )
            .order_by_asc(notification::Column::CreatedAt)
            .limit(BATCH)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .all(&*txn)
            .await?;
        let mut claimed = Vec::with_capacity(due.len());
        for n in due {
            let mut am: notification::ActiveModel = n.into();
            am.locked_by = Set(Some(self.id.clone()));
            am.locked_until = Set(Some(now + LEASE));
            claimed.push(am.update(&*txn).await?);
        }
        txn.commit().await?;
        Ok(claimed)
    }

    async fn finish(
        &self,
        outcomes: Vec<(notification::Model, Result<(), String>)>,
    ) -> AppResult<()> {
        let txn = self.state.db.begin().await?;
        let now = self.state.now();
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
            let log = crate::service::seal::lock(&*txn, "callId", id).await?;
            logs.insert(id.to_owned(), log);
        }
        let mut chain = None;
        for (n, result) in outcomes {
            // Only while the lease is still ours: a row whose lease ran out may be another's now.
            let Some(current) = notification::Entity::find_by_id(n.id.clone())
                .one(&*txn)
                .await?
            else {
                continue;
            };
            if current.locked_by.as_deref() != Some(self.id.as_str()) {
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
                    am.status = Set(SENT.to_owned());
                    am.sent_at = Set(Some(now));
                    am.last_error = Set(None);
                }
                Err(e) => {
                    tracing::warn!(id = %n.id, attempts, error = %e, "sending failed");
                    am.last_error = Set(Some(e));
                    if attempts >= MAX_ATTEMPTS {
                        am.status = Set(FAILED.to_owned());
                    } else {
                        am.next_attempt_at = Set(now + backoff(attempts));
                    }
                }
            }
            let saved = am.update(&*txn).await?;
            if saved.status != PENDING {
                let action = if saved.status == SENT {
                    "notification.sent"
                } else {
                    "notification.failed"
                };
                // A private notice's recipient is not written where others read it.
                let summary = if saved.private {
                    serde_json::json!({ "event": saved.event, "attempts": saved.attempts, "messageId": saved.message_id })
                } else {
                    serde_json::json!({ "event": saved.event, "recipient": saved.recipient, "attempts": saved.attempts, "messageId": saved.message_id })
                };
                if let Some(log) = saved
                    .sealed_call_id
                    .as_deref()
                    .and_then(|id| logs.get_mut(id))
                    .filter(|log| log.is_sealed())
                {
                    log.append(
                        &*txn,
                        now,
                        crate::service::seal::SealedEntry {
                            actor: None,
                            action,
                            entity: "notification",
                            entity_id: &saved.id,
                            summary,
                        },
                    )
                    .await?;
                    continue;
                }
                // The chain is locked once, at the first outcome it records.
                if chain.is_none() {
                    chain = Some(crate::service::audit::lock(&*txn).await?);
                }
                let Some(lock) = chain.as_mut() else { continue };
                lock.append(
                    &*txn,
                    now,
                    crate::service::audit::AuditEntry {
                        actor: None,
                        action,
                        entity: "notification",
                        entity_id: &saved.id,
                        orderer: None,
                        sealed_until: saved.sealed_until,
                        summary,
                    },
                )
                .await?;
            }
        }
        txn.commit().await?;
        Ok(())
    }
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
