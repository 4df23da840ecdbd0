//! GraphQL types of the audit trail.

use super::scalars::Ts;
use crate::domain::audit::ChainEvent;
use async_graphql::{Json, Object, SimpleObject};

/// One link of the hash chain (see the README for what is hashed).
pub struct AuditEvent(pub ChainEvent);

#[Object]
impl AuditEvent {
    async fn seq(&self) -> i32 {
        i32::try_from(self.0.seq).unwrap_or(i32::MAX)
    }
    async fn at(&self) -> Ts {
        Ts(self.0.at)
    }
    /// The acting user's id; null for the system (bootstrap, mail worker).
    async fn actor(&self) -> Option<&str> {
        self.0.actor.as_deref()
    }
    async fn action(&self) -> &str {
        &self.0.action
    }
    async fn entity(&self) -> &str {
        &self.0.entity
    }
    async fn entity_id(&self) -> &str {
        &self.0.entity_id
    }
    /// The change, as hashed.
    async fn summary(&self) -> Json<serde_json::Value> {
        Json(serde_json::from_str(&self.0.summary).unwrap_or(serde_json::Value::Null))
    }
    async fn hash(&self) -> &str {
        &self.0.hash
    }
    async fn prev_hash(&self) -> &str {
        &self.0.prev_hash
    }
}

#[derive(SimpleObject)]
pub struct AuditVerification {
    pub valid: bool,
    /// Events in the chain the caller may know of.
    pub events: i32,
    /// The first sequence number where the chain does not hold (or the anchor of a sealed
    /// log that does not match its log).
    pub first_broken_seq: Option<i32>,
    /// Events of the sealed logs opened so far, each verified against its anchor.
    pub sealed_events: i32,
}
