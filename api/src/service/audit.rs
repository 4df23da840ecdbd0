//! Appending to the audit chain, inside the caller's transaction.
//!
//! The single `audit_head` row names the last link. Locking it (`SELECT … FOR UPDATE` on
//! PostgreSQL; SQLite has one writer at a time) serialises appends, so concurrent writers —
//! also in several processes — extend one unbroken chain; the unique `seq` is a second guard.

use crate::auth::Caller;
use crate::domain::audit::{ChainEvent, Verification, canonical_content, sha256_hex, verify_chain};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use entity::{Role, audit_event, audit_head};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

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

/// The chain's head, locked for the rest of the transaction. Holding it serialises every
/// writer that appends; take it late, just before the writes, to hold it briefly.
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
    /// Appends one event after the locked head and moves the head to it.
    pub async fn append<C: ConnectionTrait>(
        &mut self,
        conn: &C,
        at: DateTime<Utc>,
        entry: AuditEntry<'_>,
    ) -> AppResult<()> {
        let seq = self.seq + 1;
        let summary = serde_json::to_string(&entry.summary)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("audit summary: {e}")))?;
        let at = crate::clock::to_micros(at);
        let hash = sha256_hex(&canonical_content(
            &self.hash,
            seq,
            at,
            entry.actor,
            entry.action,
            entry.entity,
            entry.entity_id,
            &summary,
        ));
        audit_event::ActiveModel {
            seq: Set(seq),
            at: Set(at),
            actor_user_id: Set(entry.actor.map(str::to_owned)),
            action: Set(entry.action.to_owned()),
            entity: Set(entry.entity.to_owned()),
            entity_id: Set(entry.entity_id.to_owned()),
            summary: Set(summary),
            prev_hash: Set(self.hash.clone()),
            hash: Set(hash.clone()),
            orderer_id: Set(entry.orderer.map(str::to_owned)),
            sealed_until: Set(entry.sealed_until),
        }
        .insert(conn)
        .await?;
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

/// Appends one event. Call it inside the mutation's own transaction, after its writes.
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    entry: AuditEntry<'_>,
) -> AppResult<()> {
    lock(conn).await?.append(conn, at, entry).await
}

/// The chain as stored, in sequence order, with each event's seal.
async fn load_chain<C: ConnectionTrait>(
    conn: &C,
) -> AppResult<Vec<(ChainEvent, Option<DateTime<Utc>>)>> {
    Ok(audit_event::Entity::find()
        .order_by_asc(audit_event::Column::Seq)
        .all(conn)
        .await?
        .into_iter()
        .map(|e| {
            let sealed = e.sealed_until;
            let event = ChainEvent {
                seq: e.seq,
                at: e.at,
                actor: e.actor_user_id,
                action: e.action,
                entity: e.entity,
                entity_id: e.entity_id,
                summary: e.summary,
                prev_hash: e.prev_hash,
                hash: e.hash,
            };
            (event, sealed)
        })
        .collect())
}

/// Recomputes the whole chain (ADMIN). The second value counts the events the caller may
/// know of: those of sealed bids are verified but not counted until their deadline.
pub async fn verify(state: &AppState, caller: &Caller) -> AppResult<(Verification, usize)> {
    caller.require_role(Role::Admin, "verify the audit chain")?;
    let now = state.now();
    let chain = load_chain(state.db.conn()).await?;
    let visible = chain
        .iter()
        .filter(|(_, sealed)| sealed.is_none_or(|s| s <= now))
        .count();
    let events: Vec<ChainEvent> = chain.into_iter().map(|(e, _)| e).collect();
    Ok((verify_chain(&events), visible))
}

pub const DEFAULT_EVENTS: u64 = 50;
pub const MAX_EVENTS: u64 = 500;

/// Audit events, newest first: all for admins, the own organisation's for orderer users.
/// Events of a sealed bid are hidden from everyone until the submission deadline.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    entity: Option<&str>,
    entity_id: Option<&str>,
    first: Option<i32>,
) -> AppResult<Vec<audit_event::Model>> {
    let actor = caller.require()?;
    let limit = super::page_size(first, DEFAULT_EVENTS, MAX_EVENTS)?;
    let now = state.now();
    let mut q = audit_event::Entity::find()
        .filter(
            Condition::any()
                .add(audit_event::Column::SealedUntil.is_null())
                .add(audit_event::Column::SealedUntil.lte(now)),
        )
        .order_by_desc(audit_event::Column::Seq)
        .limit(limit);
    match actor.role {
        Role::Admin => {}
        Role::Orderer => {
            q = q.filter(audit_event::Column::OrdererId.eq(actor.organization_id.as_str()))
        }
        Role::Producer => {
            return Err(AppError::forbidden(
                "the audit trail is for administrators and orderers",
            ));
        }
    }
    if let Some(e) = entity.map(str::trim).filter(|e| !e.is_empty()) {
        q = q.filter(audit_event::Column::Entity.eq(e));
    }
    if let Some(id) = entity_id.map(str::trim).filter(|e| !e.is_empty()) {
        q = q.filter(audit_event::Column::EntityId.eq(id));
    }
    Ok(q.all(state.db.conn()).await?)
}

/// The sequence number of the chain's last event: it moves with every committed write.
pub async fn head_seq<C: ConnectionTrait>(conn: &C) -> AppResult<i64> {
    Ok(audit_head::Entity::find_by_id(1)
        .one(conn)
        .await?
        .map_or(0, |h| h.seq))
}
