//! Appending to the audit chain, inside the caller's transaction.
//!
//! The single `audit_head` row names the last link. Locking it (`SELECT … FOR UPDATE` on
//! PostgreSQL; SQLite has one writer at a time) serialises appends, so the batches of several
//! processes extend one unbroken chain; the unique `seq` is a second guard.

use super::PageLimits;
use crate::domain::audit::{ChainEvent, canonical_content, sha256_hex, verify_chain};
use crate::domain::seal;
use crate::error::{AppError, AppResult};
use crate::service::Cx;
use chrono::{DateTime, Utc};
use entity::{Role, audit_event, audit_head};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

/// The chain's part of a stored event (an `audit_event` or a `sealed_event` row: the same
/// columns), as the domain hashes and verifies it.
macro_rules! chain_event {
    ($row:expr) => {{
        let e = $row;
        ChainEvent {
            seq: e.seq,
            at: e.at,
            actor: e.actor_user_id,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
            summary: e.summary,
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }};
}
pub(crate) use chain_event;

/// The stored row of a linked event: the chain's columns from `ev` (a [`ChainEvent`]) and
/// the table's own columns from `extra`; the inverse of [`chain_event!`].
macro_rules! event_row {
    ($table:ident, $ev:expr, { $($column:ident: $value:expr),* $(,)? }) => {{
        let ev: ChainEvent = $ev;
        $table::ActiveModel {
            seq: Set(ev.seq),
            at: Set(ev.at),
            actor_user_id: Set(ev.actor),
            action: Set(ev.action),
            entity: Set(ev.entity),
            entity_id: Set(ev.entity_id),
            summary: Set(ev.summary),
            prev_hash: Set(ev.prev_hash),
            hash: Set(ev.hash),
            $($column: Set($value),)*
        }
    }};
}
pub(crate) use event_row;

/// What happened, for the audit log.
pub struct AuditEntry<'a> {
    pub actor: Option<&'a str>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    /// The orderer organisation the event belongs to: its users may read it.
    pub orderer: Option<&'a str>,
    /// Until then the event reveals a sealed bid and is shown to nobody (it stays in the chain).
    pub sealed_until: Option<DateTime<Utc>>,
    /// A JSON object describing the change; keys are serialised in sorted order.
    pub summary: serde_json::Value,
}

impl<'a> AuditEntry<'a> {
    /// An event done by a user.
    pub fn by(actor: &'a str, action: &'a str, entity: &'a str, entity_id: &'a str) -> Self {
        AuditEntry {
            actor: Some(actor),
            ..Self::system(action, entity, entity_id)
        }
    }

    /// An event by a user about call `c`, readable by the call's orderer.
    pub fn on_call(actor: &'a str, action: &'a str, c: &'a entity::call::Model) -> Self {
        Self::by(actor, action, "call", &c.id).orderer(&c.orderer_id)
    }

    /// An event by a user about bid `bid_id` of call `c`, readable by the call's orderer.
    pub fn on_bid(
        actor: &'a str,
        action: &'a str,
        bid_id: &'a str,
        c: &'a entity::call::Model,
    ) -> Self {
        Self::by(actor, action, "bid", bid_id).orderer(&c.orderer_id)
    }

    /// An event with no user behind it (a deadline passing, a background job).
    pub fn system(action: &'a str, entity: &'a str, entity_id: &'a str) -> Self {
        AuditEntry {
            actor: None,
            action,
            entity,
            entity_id,
            orderer: None,
            sealed_until: None,
            summary: serde_json::json!({}),
        }
    }

    /// The orderer organisation whose users may read the event.
    pub fn orderer(self, orderer: &'a str) -> Self {
        AuditEntry {
            orderer: Some(orderer),
            ..self
        }
    }

    /// What changed: a JSON object (keys are serialised in sorted order).
    pub fn summary(self, summary: serde_json::Value) -> Self {
        AuditEntry { summary, ..self }
    }

    /// Hidden from every reader until `until` (it reveals a sealed bid).
    pub fn sealed_until(self, until: Option<DateTime<Utc>>) -> Self {
        AuditEntry {
            sealed_until: until,
            ..self
        }
    }
}

/// The link that follows `prev_hash` as number `seq`, as stored: the time to the
/// microsecond, the summary as text, and the hash over the previous link's hash and this
/// content.
pub(crate) fn link(
    prev_hash: &str,
    seq: i64,
    at: DateTime<Utc>,
    e: &AuditEntry<'_>,
) -> AppResult<ChainEvent> {
    let summary = serde_json::to_string(&e.summary)
        .map_err(|err| AppError::Internal(anyhow::anyhow!("event summary: {err}")))?;
    let at = crate::clock::to_micros(at);
    let hash = sha256_hex(&canonical_content(
        prev_hash,
        seq,
        at,
        e.actor,
        e.action,
        e.entity,
        e.entity_id,
        &summary,
    ));
    Ok(ChainEvent {
        seq,
        at,
        actor: e.actor.map(str::to_owned),
        action: e.action.to_owned(),
        entity: e.entity.to_owned(),
        entity_id: e.entity_id.to_owned(),
        summary,
        prev_hash: prev_hash.to_owned(),
        hash,
    })
}

/// The chain's head, locked for the rest of the transaction. Holding it serialises every
/// writer that appends: the process's writer takes it when a batch of units begins and
/// appends the batch's events when it commits (`service::work`).
pub struct ChainLock {
    seq: i64,
    hash: String,
}

/// Locks the head of the chain for this transaction.
pub async fn lock<C: ConnectionTrait>(conn: &C) -> AppResult<ChainLock> {
    let head = audit_head::Entity::find_by_id(1)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("audit_head row is missing")))?;
    Ok(ChainLock {
        seq: head.seq,
        hash: head.hash,
    })
}

impl ChainLock {
    /// Appends `events` in order after the locked head and moves the head to the last: the
    /// links are computed here, stored in a few multi-row inserts with one move of the head.
    pub async fn append_all<C: ConnectionTrait>(
        &mut self,
        conn: &C,
        events: &[(DateTime<Utc>, AuditEntry<'_>)],
    ) -> AppResult<()> {
        if events.is_empty() {
            return Ok(());
        }
        let (mut seq, mut hash) = (self.seq, self.hash.clone());
        let mut rows = Vec::with_capacity(events.len());
        for (at, entry) in events {
            seq = seq
                .checked_add(1)
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("audit sequence overflow")))?;
            let ev = link(&hash, seq, *at, entry)?;
            hash = ev.hash.clone();
            rows.push(event_row!(audit_event, ev, {
                orderer_id: entry.orderer.map(str::to_owned),
                sealed_until: entry.sealed_until,
            }));
        }
        super::work::insert_chunked(conn, rows).await?;
        audit_head::ActiveModel {
            id: Set(1),
            seq: Set(seq),
            hash: Set(hash.clone()),
        }
        .update(conn)
        .await?;
        self.seq = seq;
        self.hash = hash;
        Ok(())
    }
}

/// The chain as stored, in sequence order, with each event's seal.
pub async fn load_chain<C: ConnectionTrait>(
    conn: &C,
) -> AppResult<Vec<(ChainEvent, Option<DateTime<Utc>>)>> {
    Ok(audit_event::Entity::find()
        .order_by_asc(audit_event::Column::Seq)
        .all(conn)
        .await?
        .into_iter()
        .map(|e| {
            let sealed = e.sealed_until;
            (chain_event!(e), sealed)
        })
        .collect())
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// Whether the main chain and every sealed log hold.
    pub valid: bool,
    /// The main chain's events (those of legacy sealed bids only after their deadline).
    pub events: usize,
    /// The first main-chain sequence number where something does not hold: a break in the
    /// chain, or the anchor of a sealed log that does not match its log.
    pub first_broken_seq: Option<i64>,
    /// Events in the sealed logs that have been opened (anchored), all verified.
    pub sealed_events: usize,
}

/// Recomputes the whole chain and every sealed log (ADMIN). Sealed logs not yet opened are
/// verified too, but nothing of them is counted: their size is what the seal hides.
pub async fn verify(Cx { state, caller }: Cx<'_>) -> AppResult<ChainReport> {
    caller.require_role(Role::Admin, "verify the audit chain")?;
    super::seal::open_due(state).await?;
    let now = state.now();
    let chain = load_chain(state.db.conn()).await?;
    let mut logs = super::seal::load_logs(state.db.conn()).await?;
    let visible = chain
        .iter()
        .filter(|(_, sealed)| sealed.is_none_or(|s| s <= now))
        .count();
    let events: Vec<ChainEvent> = chain.into_iter().map(|(e, _)| e).collect();
    let main = verify_chain(&events);
    let mut first_broken_seq = main.first_broken_seq;
    let mut valid = main.first_broken_seq.is_none();
    let mut sealed_events = 0usize;
    for e in events.iter().filter(|e| e.action == seal::OPENED) {
        let log = logs.remove(&e.entity_id).unwrap_or_default();
        let intact = seal::parse_anchor(&e.summary).is_some_and(|a| {
            a.call_id == e.entity_id && seal::verify_log(&log, Some(&a)) == seal::LogCheck::Intact
        });
        if intact {
            sealed_events += log.len();
        } else {
            valid = false;
            first_broken_seq = Some(first_broken_seq.map_or(e.seq, |s| s.min(e.seq)));
        }
    }
    // Logs still sealed: each must be an unbroken chain of its own.
    if logs
        .values()
        .any(|log| seal::verify_log(log, None) != seal::LogCheck::Intact)
    {
        valid = false;
    }
    Ok(ChainReport {
        valid,
        events: visible,
        first_broken_seq,
        sealed_events,
    })
}

/// A call's sealed log, once its bids have been opened (ADMIN, or ORDERER of the call).
/// Before the opening, and for a call cancelled before its deadline, it is empty for
/// everyone: its size is what the seal hides.
pub async fn sealed_log(
    Cx { state, caller }: Cx<'_>,
    call_id: &str,
    first: Option<i32>,
    after_seq: Option<i64>,
) -> AppResult<Vec<ChainEvent>> {
    let actor = caller.require()?;
    let limit = SEALED_EVENTS_PAGE.size(first)?;
    let c = super::calls::visible_call(state.db.conn(), caller, "callId", call_id).await?;
    let allowed = match actor.role {
        Role::Admin => true,
        Role::Orderer => actor.organization_id == c.orderer_id,
        Role::Producer => false,
    };
    if !allowed {
        return Err(AppError::forbidden(
            "a call's sealed log is for administrators and the call's orderer",
        ));
    }
    super::seal::ensure_open(state, &c).await?;
    let opened = entity::call::Entity::find_by_id(c.id.clone())
        .one(state.db.conn())
        .await?
        .is_some_and(|c| c.bids_opened_at.is_some());
    if !opened {
        return Ok(Vec::new());
    }
    super::seal::load_log(state.db.conn(), &c.id, after_seq.unwrap_or(0), limit).await
}

pub const EVENTS_PAGE: PageLimits = PageLimits::new(50, 500);
/// A sealed log is read in pages of up to 1000 events (500 unless asked).
pub const SEALED_EVENTS_PAGE: PageLimits = PageLimits::new(500, 1000);

/// Audit events, newest first: all for admins, the own organisation's for orderer users.
/// Events of a sealed bid are hidden from everyone until the submission deadline.
pub async fn list(
    Cx { state, caller }: Cx<'_>,
    entity: Option<&str>,
    entity_id: Option<&str>,
    first: Option<i32>,
) -> AppResult<Vec<ChainEvent>> {
    let actor = caller.require()?;
    let limit = EVENTS_PAGE.size(first)?;
    if actor.role == Role::Producer {
        return Err(AppError::forbidden(
            "the audit trail is for administrators and orderers",
        ));
    }
    // Logs whose deadline has passed are anchored first, so the trail is the same whatever
    // opened them.
    super::seal::open_due(state).await?;
    let now = state.now();
    let mut q = audit_event::Entity::find()
        .filter(
            Condition::any()
                .add(audit_event::Column::SealedUntil.is_null())
                .add(audit_event::Column::SealedUntil.lte(now)),
        )
        .order_by_desc(audit_event::Column::Seq)
        .limit(limit);
    if let Some(orderer) =
        actor.orderer_scope("the audit trail is for administrators and orderers")?
    {
        q = q.filter(audit_event::Column::OrdererId.eq(orderer));
    }
    if let Some(e) = entity.map(str::trim).filter(|e| !e.is_empty()) {
        q = q.filter(audit_event::Column::Entity.eq(e));
    }
    if let Some(id) = entity_id.map(str::trim).filter(|e| !e.is_empty()) {
        q = q.filter(audit_event::Column::EntityId.eq(id));
    }
    Ok(q.all(state.db.conn())
        .await?
        .into_iter()
        .map(|e| chain_event!(e))
        .collect())
}

/// The sequence number of the chain's last event: it moves with every committed write.
pub async fn head_seq<C: ConnectionTrait>(conn: &C) -> AppResult<i64> {
    Ok(audit_head::Entity::find_by_id(1)
        .one(conn)
        .await?
        .map_or(0, |h| h.seq))
}
