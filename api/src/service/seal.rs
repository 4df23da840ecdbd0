//! A call's sealed log (see `domain::seal`): appending bid events under the call's row lock,
//! and opening the log (anchoring it in the main chain) on the first read or write after
//! the deadline, or from the background tick. All paths write the same anchor event.
//!
//! Lock order, so concurrent writers never deadlock on PostgreSQL: the main chain's head
//! (taken by the writer's batch before any unit runs, `service::work`), then the bidder
//! organisation, then the call row. Contract changes lock the contract row and
//! the appropriations before the call row (an OCDS release locks the call, `service::ocds`);
//! no path locks a call and then a contract or an appropriation.

use super::audit::AuditEntry;
use super::audit::{event_row, link};
use super::work::Work;
use crate::domain::audit::ChainEvent;
use crate::domain::seal;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use entity::{CallStatus, call, sealed_event};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

/// One event for a sealed log: an audit entry (made with `AuditEntry::by` or `::system` and
/// its summary) that belongs to the call's log, so that nobody reads it before the opening.
/// Its `orderer` and `sealed_until` are not used: the whole log is the call's and sealed.
pub type SealedEntry<'a> = AuditEntry<'a>;

/// A call row locked for this transaction, with the head of its sealed log.
pub struct SealedLog {
    pub call: call::Model,
}

/// Locks the call row (`FOR UPDATE` on PostgreSQL; SQLite has one writer) and returns it
/// with its log's head. NOT_FOUND names `field`.
pub async fn lock<C: ConnectionTrait>(conn: &C, field: &str, id: &str) -> AppResult<SealedLog> {
    let id = super::parse_id(field, id)?;
    let call = call::Entity::find_by_id(id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("{field}: no such call")))?;
    Ok(SealedLog { call })
}

impl SealedLog {
    /// Whether the log still takes events (it has not been anchored).
    pub fn is_sealed(&self) -> bool {
        self.call.bids_opened_at.is_none()
    }

    /// Appends one event after the log's head: moves the head (on the call row, so the next
    /// reader of the row sees it) and returns the event's row, which the unit of work stores
    /// with its batch (`Work::seal`).
    pub(super) async fn append<C: ConnectionTrait>(
        &mut self,
        conn: &C,
        at: DateTime<Utc>,
        entry: SealedEntry<'_>,
    ) -> AppResult<sealed_event::ActiveModel> {
        let row = self.link_next(at, entry)?;
        self.store_head(conn).await?;
        Ok(row)
    }

    /// Links one event after the log's head in memory and returns its row: the head on the
    /// call row moves only with [`Self::store_head`] (a batch of submissions stores it once).
    pub(super) fn link_next(
        &mut self,
        at: DateTime<Utc>,
        entry: SealedEntry<'_>,
    ) -> AppResult<sealed_event::ActiveModel> {
        if !self.is_sealed() {
            return Err(AppError::Internal(anyhow::anyhow!(
                "sealed log of call {} is already anchored",
                self.call.id
            )));
        }
        let seq = self
            .call
            .sealed_seq
            .checked_add(1)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("sealed sequence overflow")))?;
        let ev = link(&self.call.sealed_hash, seq, at, &entry)?;
        let hash = ev.hash.clone();
        let row = event_row!(sealed_event, ev, { call_id: self.call.id.clone() });
        self.call.sealed_seq = seq;
        self.call.sealed_hash = hash;
        Ok(row)
    }

    /// Stores the log's head on the call row.
    pub(super) async fn store_head<C: ConnectionTrait>(&self, conn: &C) -> AppResult<()> {
        call::Entity::update_many()
            .col_expr(call::Column::SealedSeq, Expr::value(self.call.sealed_seq))
            .col_expr(
                call::Column::SealedHash,
                Expr::value(self.call.sealed_hash.clone()),
            )
            .filter(call::Column::Id.eq(self.call.id.as_str()))
            .exec(conn)
            .await?;
        Ok(())
    }
}

/// Whether the call's bids are open at `now` (see `domain::seal::bids_open`).
pub fn bids_open(c: &call::Model, now: DateTime<Utc>) -> bool {
    seal::bids_open(c.submission_deadline, c.cancelled_at, now)
}

/// Opens the call's sealed log if it is due, inside the caller's transaction, which must
/// hold the call row locked (`lock`, or `calls::managed_call`). Returns the call as it is
/// afterwards.
pub async fn open_locked(
    w: &Work<'_>,
    c: call::Model,
    now: DateTime<Utc>,
) -> AppResult<call::Model> {
    if !seal::is_due(
        c.status,
        c.bids_opened_at.is_some(),
        c.submission_deadline,
        now,
    ) {
        return Ok(c);
    }
    w.audit(
        c.submission_deadline,
        AuditEntry::system(seal::OPENED, "call", &c.id)
            .orderer(&c.orderer_id)
            .summary(seal::anchor_summary(&c.id, c.sealed_seq, &c.sealed_hash)),
    )?;
    let mut am: call::ActiveModel = c.into();
    am.bids_opened_at = Set(Some(now));
    let c = am.update(w.conn()).await?;
    super::ocds::bids_opened(w, &c).await?;
    Ok(c)
}

/// Opens the call's sealed log in a transaction of its own when it is due (a read after
/// the deadline). Cheap when it is not: no database access at all.
pub async fn ensure_open(state: &AppState, c: &call::Model) -> AppResult<()> {
    let now = state.now();
    if !seal::is_due(
        c.status,
        c.bids_opened_at.is_some(),
        c.submission_deadline,
        now,
    ) {
        return Ok(());
    }
    open_by_id(state, &c.id).await
}

async fn open_by_id(state: &AppState, id: &str) -> AppResult<()> {
    work!(state, |w| {
        let locked = lock(w.conn(), "callId", id).await?;
        // Read the clock under the lock: a submission queued before us was judged by its
        // own reading, and none after us can be taken in (its reading is later still).
        let now = w.now();
        if !seal::is_due(
            locked.call.status,
            locked.call.bids_opened_at.is_some(),
            locked.call.submission_deadline,
            now,
        ) {
            // Another writer opened it first: nothing to do, nothing written.
            w.unchanged();
            return Ok(false);
        }
        open_locked(w, locked.call, now).await?;
        Ok(true)
    })
    .map(|_| ())
}

/// How many due logs one tick opens at most (the rest wait for the next tick).
const OPEN_BATCH: u64 = 200;

/// Opens every sealed log that is due (the background tick, and before the audit trail is
/// read or verified). Returns how many were opened.
pub async fn open_due(state: &AppState) -> AppResult<usize> {
    let now = state.now();
    let due: Vec<String> = call::Entity::find()
        .select_only()
        .column(call::Column::Id)
        .filter(call::Column::Status.eq(CallStatus::Published))
        .filter(call::Column::BidsOpenedAt.is_null())
        .filter(call::Column::SubmissionDeadline.lte(now))
        .order_by_asc(call::Column::SubmissionDeadline)
        .limit(OPEN_BATCH)
        .into_tuple()
        .all(state.db.conn())
        .await?;
    let n = due.len();
    for id in due {
        open_by_id(state, &id).await?;
    }
    Ok(n)
}

/// Every sealed log, as stored: call id -> events in sequence order.
pub async fn load_logs<C: ConnectionTrait>(
    conn: &C,
) -> AppResult<std::collections::BTreeMap<String, Vec<ChainEvent>>> {
    let mut logs: std::collections::BTreeMap<String, Vec<ChainEvent>> = Default::default();
    for e in sealed_event::Entity::find()
        .order_by_asc(sealed_event::Column::CallId)
        .order_by_asc(sealed_event::Column::Seq)
        .all(conn)
        .await?
    {
        logs.entry(e.call_id.clone())
            .or_default()
            .push(chain_event(e));
    }
    Ok(logs)
}

/// One page of a call's sealed log, in sequence order: up to `limit` events after `after_seq`.
pub async fn load_log<C: ConnectionTrait>(
    conn: &C,
    call_id: &str,
    after_seq: i64,
    limit: u64,
) -> AppResult<Vec<ChainEvent>> {
    Ok(sealed_event::Entity::find()
        .filter(sealed_event::Column::CallId.eq(call_id))
        .filter(sealed_event::Column::Seq.gt(after_seq))
        .order_by_asc(sealed_event::Column::Seq)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(chain_event)
        .collect())
}

fn chain_event(e: sealed_event::Model) -> ChainEvent {
    super::audit::chain_event!(e)
}
