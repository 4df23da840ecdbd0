//! GraphQL types of notifications.

use super::scalars::Ts;
use async_graphql::{Enum, ID, Object};
use entity::notification;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "NotificationStatus", remote = "entity::NotificationStatus")]
pub enum GqlNotificationStatus {
    Pending,
    Sent,
    Failed,
}

/// An e-mail in the outbox.
pub struct Notification(pub notification::Model);

#[Object]
impl Notification {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn recipient(&self) -> &str {
        &self.0.recipient
    }
    async fn subject(&self) -> &str {
        &self.0.subject
    }
    /// What caused it, e.g. `bid.submitted`, `call.awarded`, `contract.deviation`.
    async fn event(&self) -> &str {
        &self.0.event
    }
    async fn status(&self) -> GqlNotificationStatus {
        self.0.status.into()
    }
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    async fn created_at(&self) -> Ts {
        Ts(self.0.created_at)
    }
    async fn sent_at(&self) -> Option<Ts> {
        self.0.sent_at.map(Ts)
    }
    /// The plain-text body.
    async fn body(&self) -> &str {
        &self.0.body
    }
}
