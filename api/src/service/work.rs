//! The unit of work every mutation runs in.
//!
//! A use case hands its work to [`run`] as a closure; `run` opens the transaction (on SQLite
//! the process's one write slot), lets the work read and write through [`Work`], and then
//! finishes it the same way every time: it refuses to commit work that recorded nothing in
//! the audit trail, appends the recorded events to the main chain under the chain's lock
//! (taken last, so it is held only for the append and the commit), commits, and wakes the
//! mail worker when mail was queued. A failure anywhere — in the work, the append or the
//! commit — writes nothing.
//!
//! The work never holds the connection itself: it is given `&Work` for the duration of the
//! closure. That keeps the door open to running several units in one database transaction
//! later (group commit) without changing a use case.
//!
//! Bid events do not go to the main chain but to their call's sealed log
//! ([`super::seal`]); appending to a sealed log through [`Work::seal`] counts as the unit's
//! record, so a submission moves no global head.

use super::audit::{self, AuditEntry};
use super::seal::{SealedEntry, SealedLog};
use crate::email::outbox::{self, Mail};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use entity::user;
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait};
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The future a unit's work returns: boxed, so `run` can take work that borrows both the
/// unit (for `'w`) and the caller's values (for `'s`).
pub type WorkFuture<'w, T> = Pin<Box<dyn Future<Output = AppResult<T>> + Send + 'w>>;

/// One audit event waiting for the commit, owned.
#[derive(Debug, Clone, PartialEq)]
struct Pending {
    at: DateTime<Utc>,
    actor: Option<String>,
    action: String,
    entity: String,
    entity_id: String,
    orderer: Option<String>,
    sealed_until: Option<DateTime<Utc>>,
    summary: serde_json::Value,
}

/// What a unit's work reads and writes through. `'s` is the caller's scope: the work may
/// borrow anything that lives that long.
pub struct Work<'s> {
    state: &'s AppState,
    txn: crate::db::UnitOfWork,
    events: Mutex<Vec<Pending>>,
    sealed: AtomicUsize,
    mail: AtomicBool,
    unchanged: AtomicBool,
    bookkeeping: AtomicBool,
    _scope: PhantomData<&'s ()>,
}

/// Runs `work` as one unit: one transaction, its audit events, its mail.
pub async fn run<'s, T, F>(state: &'s AppState, work: F) -> AppResult<T>
where
    F: for<'w> FnOnce(&'w Work<'s>) -> WorkFuture<'w, T>,
{
    let unit = Work {
        state,
        txn: state.db.begin().await?,
        events: Mutex::new(Vec::new()),
        sealed: AtomicUsize::new(0),
        mail: AtomicBool::new(false),
        unchanged: AtomicBool::new(false),
        bookkeeping: AtomicBool::new(false),
        _scope: PhantomData,
    };
    let out = work(&unit).await?;
    unit.finish().await?;
    Ok(out)
}

impl<'s> Work<'s> {
    /// The connection to read and write through (the unit's transaction).
    pub fn conn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    pub fn state(&self) -> &'s AppState {
        self.state
    }

    /// The clock, read now (read it again after taking a lock that others queue on).
    pub fn now(&self) -> DateTime<Utc> {
        self.state.now()
    }

    /// Inserts `rows` in one statement; none is nothing to do.
    pub async fn insert_all<A>(&self, rows: impl IntoIterator<Item = A>) -> AppResult<()>
    where
        A: ActiveModelTrait + Send,
    {
        let rows: Vec<A> = rows.into_iter().collect();
        if !rows.is_empty() {
            A::Entity::insert_many(rows).exec(self.conn()).await?;
        }
        Ok(())
    }

    /// Records an event for the main chain; it is appended when the unit commits, in the
    /// order recorded.
    pub fn audit(&self, at: DateTime<Utc>, entry: AuditEntry<'_>) -> AppResult<()> {
        let pending = Pending {
            at,
            actor: entry.actor.map(str::to_owned),
            action: entry.action.to_owned(),
            entity: entry.entity.to_owned(),
            entity_id: entry.entity_id.to_owned(),
            orderer: entry.orderer.map(str::to_owned),
            sealed_until: entry.sealed_until,
            summary: entry.summary,
        };
        self.events
            .lock()
            .map_err(|_| AppError::Internal(anyhow::anyhow!("audit list poisoned")))?
            .push(pending);
        Ok(())
    }

    /// Appends an event to a call's sealed log, which this unit holds locked.
    pub async fn seal(
        &self,
        log: &mut SealedLog,
        at: DateTime<Utc>,
        entry: SealedEntry<'_>,
    ) -> AppResult<()> {
        log.append(self.conn(), at, entry).await?;
        self.sealed.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Queues `mail` to each of `users` (once per address) in the outbox; the mail worker
    /// is woken when the unit has committed. Returns how many were queued.
    pub async fn mail(
        &self,
        now: DateTime<Utc>,
        users: &[user::Model],
        mail: &Mail,
    ) -> AppResult<usize> {
        let n = outbox::enqueue(self.conn(), now, users, mail).await?;
        if n > 0 {
            self.mail.store(true, Ordering::Relaxed);
        }
        Ok(n)
    }

    /// Says the work found nothing to do (it was done already, or another writer did it
    /// first) and wrote nothing. The unit then needs no audit event of its own: it commits
    /// what other steps recorded (a sealed log opened on the way), or else rolls back.
    pub fn unchanged(&self) {
        self.unchanged.store(true, Ordering::Relaxed);
    }

    /// Says the unit's writes are the system's own bookkeeping — a delivery's lease and
    /// attempt count, a login attempt — which change nothing any reader is shown: it may
    /// commit without an audit event (events it does record are appended as usual).
    pub fn bookkeeping(&self) {
        self.bookkeeping.store(true, Ordering::Relaxed);
    }

    /// Says the unit stores an upload that only its organisation can read until it is
    /// attached, and that is recorded where it is attached (see `documents::upload`): it may
    /// commit without an audit event, as bookkeeping does.
    pub fn recorded_when_attached(&self) {
        self.bookkeeping.store(true, Ordering::Relaxed);
    }

    /// Appends the recorded events under the chain's lock, commits, wakes the mailer.
    async fn finish(self) -> AppResult<()> {
        let Work {
            state,
            txn,
            events,
            sealed,
            mail,
            unchanged,
            bookkeeping,
            ..
        } = self;
        let events = events
            .into_inner()
            .map_err(|_| AppError::Internal(anyhow::anyhow!("audit list poisoned")))?;
        let recorded = !events.is_empty() || sealed.into_inner() > 0;
        if unchanged.into_inner() && !recorded {
            // Dropping the transaction rolls it back.
            return Ok(());
        }
        if !recorded && !bookkeeping.into_inner() {
            return Err(AppError::Internal(anyhow::anyhow!(
                "a unit of work must record at least one audit event"
            )));
        }
        if !events.is_empty() {
            let mut chain = audit::lock(&*txn).await?;
            for e in &events {
                chain
                    .append(
                        &*txn,
                        e.at,
                        AuditEntry {
                            actor: e.actor.as_deref(),
                            action: &e.action,
                            entity: &e.entity,
                            entity_id: &e.entity_id,
                            orderer: e.orderer.as_deref(),
                            sealed_until: e.sealed_until,
                            summary: e.summary.clone(),
                        },
                    )
                    .await?;
            }
        }
        txn.commit().await?;
        if mail.into_inner() {
            state.wake_mailer();
        }
        Ok(())
    }
}
