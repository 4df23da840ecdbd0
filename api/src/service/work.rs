//! The unit of work every mutation runs in, and the process's one writer that commits the
//! units in groups.
//!
//! A use case hands its work to [`run`] as a closure; `run` queues for the process's writer,
//! lets the work read and write through [`Work`], and then finishes it the same way every
//! time: it refuses work that recorded nothing in the audit trail, and it answers only once
//! the work is committed. A failure anywhere in the work writes nothing.
//!
//! **Group commit.** The writer is one slot that units take in the order they arrive (a fair
//! lock). The first unit to find no batch open begins a database transaction (on SQLite on
//! the writer's own connection) and hands the commit to a task that queues for the slot
//! behind everyone already waiting. Each unit runs in a savepoint of the batch's transaction:
//! a failed unit rolls back its savepoint only and answers its own error at once; a unit that
//! succeeds releases its savepoint, leaves its audit events and mail in the batch and waits.
//! The batch locks the main chain's head when it begins and holds it to its commit: on
//! PostgreSQL the batches of several processes (replicas) take turns, so the row locks their
//! units gather in arbitrary order cannot wait on each other in a cycle, and the lock is taken
//! once per batch, not per unit. When the commit task's turn comes, it takes the batch,
//! appends every unit's events to the main chain in the order the units ran, commits once,
//! and tells every unit: all succeed together, or all get the commit's error. Nothing is acknowledged before its commit, so a
//! crash mid-batch loses only work nobody was told was done. A unit reads the clock after it
//! holds the slot and whatever locks it takes, so times of receipt, sealed logs and the main
//! chain follow the order in which units ran.
//!
//! The work never holds the connection itself: it is given `&Work` for the duration of the
//! closure, so it cannot outlive its savepoint.
//!
//! A bid submission without documents is a lighter unit ([`Buffered`]): it only checks,
//! holding the slot, and leaves its submission in the batch's buffer
//! ([`super::bid_batch`]), which is stored before the next unit of another kind runs and
//! before the commit.
//!
//! Bid events do not go to the main chain but to their call's sealed log
//! ([`super::seal`]); appending to a sealed log through [`Work::seal`] counts as the unit's
//! record, so a submission moves no global head.

use super::audit::{self, AuditEntry};
use super::bid_batch::{Buffer, Stored, Submission};
use super::seal::{SealedEntry, SealedLog};
use crate::email::outbox::{self, Mail};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use entity::{notification, sealed_event, user};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait, TransactionTrait};
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{Mutex as Slot, OwnedMutexGuard, oneshot};

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

impl Pending {
    fn entry(&self) -> (DateTime<Utc>, AuditEntry<'_>) {
        (
            self.at,
            AuditEntry {
                actor: self.actor.as_deref(),
                action: &self.action,
                entity: &self.entity,
                entity_id: &self.entity_id,
                orderer: self.orderer.as_deref(),
                sealed_until: self.sealed_until,
                summary: self.summary.clone(),
            },
        )
    }
}

/// What a unit is told when its batch has been committed, or why it was not.
type Outcome = Result<(), Arc<str>>;

/// The transaction of the units that ran since the last commit, and what they left for it.
struct Batch {
    txn: DatabaseTransaction,
    /// The main chain's head, locked for the whole batch.
    chain: audit::ChainLock,
    events: Vec<Pending>,
    rows: Deferred,
    /// Bid submissions left for the batch to store together (`bid_batch`).
    bids: Buffer,
    mail: bool,
    waiters: Vec<oneshot::Sender<Outcome>>,
}

/// The process's one writer (see the module's documentation). Each process — each replica on
/// one PostgreSQL — has its own.
#[derive(Default)]
pub struct Writer {
    slot: Arc<Slot<Option<Batch>>>,
    /// Units waiting for the slot.
    waiting: AtomicUsize,
    batches: AtomicU64,
    units: AtomicU64,
}

impl Writer {
    /// (batches committed, units committed in them) since the process started.
    pub fn committed(&self) -> (u64, u64) {
        (
            self.batches.load(Ordering::Relaxed),
            self.units.load(Ordering::Relaxed),
        )
    }

    /// How many units are waiting for the slot now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }

    /// Takes the writer's slot without running a unit: units queue behind the holder until
    /// the guard is dropped, and then run in the order they arrived in one batch (the tests
    /// make a batch of known members with it).
    pub async fn hold(&self) -> Hold {
        Hold(self.slot.clone().lock_owned().await)
    }
}

/// The writer's slot, held by [`Writer::hold`] until dropped.
pub struct Hold(#[allow(dead_code)] Seat);

/// A unit's place in the batch: the slot, held while the unit runs.
type Seat = OwnedMutexGuard<Option<Batch>>;

/// Counts a unit as waiting for the slot while it exists (also when the caller goes away).
struct Waiting<'a>(&'a Writer);

impl<'a> Waiting<'a> {
    fn on(writer: &'a Writer) -> Self {
        writer.waiting.fetch_add(1, Ordering::Relaxed);
        Waiting(writer)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Takes the slot, opening a batch (and scheduling its commit) when none is open.
async fn seat(state: &AppState) -> AppResult<Seat> {
    let mut seat = {
        let _waiting = Waiting::on(&state.writer);
        state.writer.slot.clone().lock_owned().await
    };
    if seat.is_none() {
        let txn = state.db.begin_batch().await?;
        // The chain's head is locked first and for the whole batch: on PostgreSQL the
        // batches of several processes run one after the other, so the row locks their
        // units gather one after another (a bidder, a call, another bidder) never wait on
        // each other in a cycle.
        let chain = audit::lock(&txn).await?;
        *seat = Some(Batch {
            txn,
            chain,
            events: Vec::new(),
            rows: Deferred::default(),
            bids: Buffer::default(),
            mail: false,
            waiters: Vec::new(),
        });
        // Queues for the slot behind every unit already waiting: they join this batch.
        tokio::spawn(commit_in_turn(state.clone()));
    }
    Ok(seat)
}

/// Takes the slot and a savepoint in the open batch, opening a batch when none is open. The
/// submissions buffered in the batch are stored first: the unit reads what they wrote.
async fn enter(state: &AppState) -> AppResult<(Seat, DatabaseTransaction)> {
    let mut seat = seat(state).await?;
    let batch = seat
        .as_mut()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the writer's batch is gone")))?;
    if !batch.bids.is_idle() {
        match batch.bids.flush(&batch.txn).await {
            Ok(stored) => batch.keep(stored),
            Err(e) => {
                fail_batch(&mut seat, &e.to_string());
                return Err(e);
            }
        }
    }
    let Some(batch) = seat.as_mut() else {
        return Err(AppError::Internal(anyhow::anyhow!(
            "the writer's batch is gone"
        )));
    };
    match batch.txn.begin().await {
        Ok(savepoint) => Ok((seat, savepoint)),
        Err(e) => {
            fail_batch(&mut seat, &e.to_string());
            Err(e.into())
        }
    }
}

/// The commit task of one batch: waits for the slot, takes the batch, appends its events to
/// the main chain, commits and tells its units.
async fn commit_in_turn(state: AppState) {
    let batch = state.writer.slot.lock().await.take();
    // The slot is free again: on PostgreSQL the next batch starts on another connection while
    // this one commits (the rows it locked stay locked until then); on SQLite it waits for the
    // writer's connection.
    let Some(batch) = batch else {
        return; // It failed and was rolled back already.
    };
    let Batch {
        txn,
        chain,
        events,
        rows,
        bids,
        mail,
        waiters,
    } = batch;
    let units = waiters.len() as u64;
    let outcome = commit(txn, chain, rows, bids, &events).await;
    match &outcome {
        Ok(mailed) => {
            state.writer.batches.fetch_add(1, Ordering::Relaxed);
            state.writer.units.fetch_add(units, Ordering::Relaxed);
            if mail || *mailed {
                state.wake_mailer();
            }
        }
        Err(e) => tracing::error!(units, error = %e, "a batch of writes could not be committed"),
    }
    let outcome = outcome.map(|_| ());
    for w in waiters {
        // A unit whose caller went away is not waiting any more: nothing to tell.
        let _ = w.send(outcome.clone());
    }
}

/// Stores what the batch left for its commit and commits. Returns whether mail was queued
/// by the buffered submissions.
async fn commit(
    txn: DatabaseTransaction,
    mut chain: audit::ChainLock,
    mut rows: Deferred,
    mut bids: Buffer,
    events: &[Pending],
) -> Result<bool, Arc<str>> {
    let append = async {
        let stored = bids.flush(&txn).await?;
        let mailed = !stored.mail.is_empty();
        rows.sealed.extend(stored.sealed);
        rows.mail.extend(stored.mail);
        insert_chunked(&txn, rows.sealed).await?;
        insert_chunked(&txn, rows.mail).await?;
        let entries: Vec<_> = events.iter().map(Pending::entry).collect();
        chain.append_all(&txn, &entries).await?;
        txn.commit().await?;
        Ok::<bool, AppError>(mailed)
    };
    append.await.map_err(|e| Arc::from(e.to_string()))
}

impl Batch {
    /// Keeps what a flush of the buffered submissions left for the commit.
    fn keep(&mut self, stored: Stored) {
        self.mail |= !stored.mail.is_empty();
        self.rows.sealed.extend(stored.sealed);
        self.rows.mail.extend(stored.mail);
    }
}

/// A unit whose writes the batch stores with the other buffered submissions
/// ([`super::bid_batch`]): it holds the slot while it checks, on the batch's transaction and
/// without a savepoint, for it writes nothing itself.
pub struct Buffered {
    seat: Seat,
}

/// Takes the slot for a buffered submission, opening a batch when none is open.
pub async fn buffered(state: &AppState) -> AppResult<Buffered> {
    Ok(Buffered {
        seat: seat(state).await?,
    })
}

impl Buffered {
    /// The call `id` (parsed already) as the batch holds it locked, with its sealed log's
    /// head; `None` when there is no such call.
    pub async fn call(&mut self, id: &str) -> AppResult<Option<entity::call::Model>> {
        let batch = self
            .seat
            .as_mut()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the writer's batch is gone")))?;
        match batch.bids.call(&batch.txn, id).await {
            Ok(log) => Ok(log.map(|l| l.call.clone())),
            Err(e) => {
                // A failed statement leaves the batch's transaction unusable (PostgreSQL).
                fail_batch(&mut self.seat, &e.to_string());
                Err(e.into())
            }
        }
    }

    /// Leaves the checked submission in the batch, frees the slot and waits for the commit.
    pub async fn submit(mut self, s: Submission) -> AppResult<()> {
        let (tell, told) = oneshot::channel();
        let batch = self
            .seat
            .as_mut()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the writer's batch is gone")))?;
        batch.bids.push(s);
        batch.waiters.push(tell);
        drop(self.seat);
        committed(told).await
    }
}

/// Rows the units of a batch write that no unit reads back — sealed-log events and outbox
/// mail — stored when the batch commits, in the order the units ran, a few statements for the
/// whole batch instead of one per row.
#[derive(Default)]
struct Deferred {
    sealed: Vec<sealed_event::ActiveModel>,
    mail: Vec<notification::ActiveModel>,
}

/// How many rows one statement inserts at most: SQLite binds at most 32 766 values, and the
/// widest table written in bulk (the outbox) has 18 columns.
const INSERT_CHUNK: usize = 500;

/// Inserts `rows` with one statement per `INSERT_CHUNK`.
pub(crate) async fn insert_chunked<A, C>(conn: &C, mut rows: Vec<A>) -> AppResult<()>
where
    A: ActiveModelTrait + Send,
    C: sea_orm::ConnectionTrait,
{
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(INSERT_CHUNK));
        A::Entity::insert_many(std::mem::replace(&mut rows, rest))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// Rolls back the batch in the slot now (its transaction is in a state nobody can vouch for)
/// and tells its units it failed; the next unit opens a new batch.
fn fail_batch(seat: &mut Seat, why: &str) {
    if let Some(batch) = seat.take() {
        tracing::error!(
            units = batch.waiters.len(),
            error = why,
            "a batch of writes was rolled back"
        );
        let outcome: Outcome = Err(Arc::from(format!("the batch was rolled back: {why}")));
        for w in batch.waiters {
            let _ = w.send(outcome.clone());
        }
        // Dropping the transaction rolls it back.
    }
}

/// What a unit's work reads and writes through. `'s` is the caller's scope: the work may
/// borrow anything that lives that long.
pub struct Work<'s> {
    state: &'s AppState,
    /// The unit's savepoint in the batch's transaction. Declared before the seat: on a drop
    /// (the caller went away) it is rolled back before the slot is free.
    txn: DatabaseTransaction,
    seat: Seat,
    events: Mutex<Vec<Pending>>,
    rows: Mutex<Deferred>,
    sealed: AtomicUsize,
    mail: AtomicBool,
    unchanged: AtomicBool,
    bookkeeping: AtomicBool,
    _scope: PhantomData<&'s ()>,
}

/// Runs `work` as one unit: one savepoint in the writer's batch, its audit events, its mail;
/// returns once the batch is committed.
pub async fn run<'s, T, F>(state: &'s AppState, work: F) -> AppResult<T>
where
    F: for<'w> FnOnce(&'w Work<'s>) -> WorkFuture<'w, T>,
{
    let (seat, txn) = enter(state).await?;
    let unit = Work {
        state,
        txn,
        seat,
        events: Mutex::new(Vec::new()),
        rows: Mutex::new(Deferred::default()),
        sealed: AtomicUsize::new(0),
        mail: AtomicBool::new(false),
        unchanged: AtomicBool::new(false),
        bookkeeping: AtomicBool::new(false),
        _scope: PhantomData,
    };
    match work(&unit).await {
        Ok(out) => {
            let told = unit.close().await?;
            committed(told).await?;
            Ok(out)
        }
        Err(e) => {
            unit.abandon().await;
            Err(e)
        }
    }
}

/// Waits for the unit's batch to be committed.
async fn committed(told: oneshot::Receiver<Outcome>) -> AppResult<()> {
    match told.await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(why)) => Err(AppError::Internal(anyhow::anyhow!(
            "the write was not committed: {why}"
        ))),
        Err(_) => Err(AppError::Internal(anyhow::anyhow!(
            "the write's batch was abandoned before its commit"
        ))),
    }
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

    /// Appends an event to a call's sealed log, which this unit holds locked. The log's head
    /// moves now; the event's row is stored when the batch commits.
    pub async fn seal(
        &self,
        log: &mut SealedLog,
        at: DateTime<Utc>,
        entry: SealedEntry<'_>,
    ) -> AppResult<()> {
        let row = log.append(self.conn(), at, entry).await?;
        self.deferred()?.sealed.push(row);
        self.sealed.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Queues `mail` to each of `users` (once per address) in the outbox, stored when the
    /// batch commits; the mail worker is woken then. Returns how many were queued.
    pub fn mail(&self, now: DateTime<Utc>, users: &[user::Model], mail: &Mail) -> AppResult<usize> {
        let rows = outbox::rows(now, users, mail);
        let n = rows.len();
        if n > 0 {
            self.deferred()?.mail.extend(rows);
            self.mail.store(true, Ordering::Relaxed);
        }
        Ok(n)
    }

    fn deferred(&self) -> AppResult<std::sync::MutexGuard<'_, Deferred>> {
        self.rows
            .lock()
            .map_err(|_| AppError::Internal(anyhow::anyhow!("deferred rows poisoned")))
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

    /// Rolls the unit's savepoint back; if even that fails, the whole batch is rolled back.
    async fn abandon(self) {
        let Work { txn, mut seat, .. } = self;
        if let Err(e) = txn.rollback().await {
            fail_batch(&mut seat, &e.to_string());
        }
    }

    /// Releases the unit's savepoint, leaves its events and mail in the batch and frees the
    /// slot; the batch's commit is told on the returned channel.
    async fn close(self) -> AppResult<oneshot::Receiver<Outcome>> {
        let Work {
            txn,
            mut seat,
            events,
            rows,
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
        let unchanged = unchanged.into_inner() && !recorded;
        if !unchanged && !recorded && !bookkeeping.into_inner() {
            if let Err(e) = txn.rollback().await {
                fail_batch(&mut seat, &e.to_string());
            }
            return Err(AppError::Internal(anyhow::anyhow!(
                "a unit of work must record at least one audit event"
            )));
        }
        // Work that found nothing to do keeps nothing, but still answers after the commit:
        // what it found may be an earlier unit's work in this very batch.
        let closed = if unchanged {
            txn.rollback().await
        } else {
            txn.commit().await
        };
        if let Err(e) = closed {
            fail_batch(&mut seat, &e.to_string());
            return Err(e.into());
        }
        let (tell, told) = oneshot::channel();
        let batch = seat
            .as_mut()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the unit's batch is gone")))?;
        if !unchanged {
            let rows = rows
                .into_inner()
                .map_err(|_| AppError::Internal(anyhow::anyhow!("deferred rows poisoned")))?;
            batch.events.extend(events);
            batch.rows.sealed.extend(rows.sealed);
            batch.rows.mail.extend(rows.mail);
            batch.mail |= mail.into_inner();
        }
        batch.waiters.push(tell);
        drop(seat);
        Ok(told)
    }
}
