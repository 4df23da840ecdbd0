//! The background jobs of a process, run by one loop: the deadline reminders (every 30 s),
//! opening the sealed logs whose deadline has passed, and delivering the outbox. The loop
//! wakes when a unit of work has queued mail, or every 250 ms. Several processes may run it
//! at once: each job is safe to run concurrently (see `service::delivery`, `service::seal`).

use crate::email::transport::Transport;
use crate::error::AppResult;
use crate::service::{delivery, notifications, seal};
use crate::state::AppState;
use chrono::{DateTime, TimeDelta, Utc};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};

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
                if let Err(e) = notifications::write_deadline_reminders(&self.state).await {
                    tracing::error!(error = %e, "deadline reminders");
                }
                last_reminders = Some(now);
            }
            // The background tick that opens sealed logs whose deadline has passed (a read
            // or write of the call may have opened them already; the anchor is the same).
            if let Err(e) = seal::open_due(&self.state).await {
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
        let claimed = delivery::claim(&self.state, &self.id).await?;
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
        delivery::record(&self.state, &self.id, outcomes).await?;
        Ok(handled)
    }
}
