//! The outbox: every e-mail the system sends, written in the transaction of the change that
//! causes it and delivered afterwards by the worker.
use crate::types::NotificationStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub recipient: String,
    pub recipient_user_id: Option<String>,
    pub subject: String,
    pub body: String,
    /// What happened, e.g. `bid.receipt`.
    pub event: String,
    /// PENDING, SENT or FAILED.
    pub status: NotificationStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub last_error: Option<String>,
    /// Stable across retries, so a receiver can drop a duplicate.
    pub message_id: String,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// The worker holding the row, and until when (a dead worker's lease runs out).
    pub locked_by: Option<String>,
    pub locked_until: Option<DateTimeUtc>,
    /// Until then the notification reveals a sealed bid: only its recipient sees it.
    pub sealed_until: Option<DateTimeUtc>,
    /// Shown to its recipient only (it would reveal a bidder or an asker).
    pub private: bool,
    /// The call whose sealed log records this notification's delivery until the bids are opened.
    pub sealed_call_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
