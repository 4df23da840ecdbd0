//! Appending to the audit chain, inside the caller's transaction.
//!
//! The single `audit_head` row names the last link. Locking it (`SELECT … FOR UPDATE` on
//! PostgreSQL; SQLite has one writer at a time) serialises appends, so concurrent writers —
//! also in several processes — extend one unbroken chain; the unique `seq` is a second guard.

use crate::domain::audit::{canonical_content, sha256_hex};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use entity::{audit_event, audit_head};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QuerySelect, Set};

/// What happened, for the audit log.
pub struct AuditEntry<'a> {
    pub actor: Option<&'a str>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
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
