use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_create_identity::AppUser;
use crate::m20261124_000004_create_calls_and_bids::CallForTenders;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notification::Table)
                    .col(string(Notification::Id).primary_key())
                    .col(string(Notification::Recipient))
                    .col(string_null(Notification::RecipientUserId))
                    .col(text(Notification::Subject))
                    .col(text(Notification::Body))
                    .col(string(Notification::Event))
                    .col(string(Notification::Status))
                    .col(integer(Notification::Attempts))
                    .col(timestamp_with_time_zone(Notification::NextAttemptAt))
                    .col(text_null(Notification::LastError))
                    .col(string(Notification::MessageId).unique_key())
                    .col(timestamp_with_time_zone(Notification::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notification::SentAt))
                    .col(string_null(Notification::LockedBy))
                    .col(timestamp_with_time_zone_null(Notification::LockedUntil))
                    .col(timestamp_with_time_zone_null(Notification::SealedUntil))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_due")
                    .table(Notification::Table)
                    .col(Notification::Status)
                    .col(Notification::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_recipient")
                    .table(Notification::Table)
                    .col(Notification::RecipientUserId)
                    .col(Notification::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CategorySubscription::Table)
                    .col(string(CategorySubscription::UserId))
                    .col(string(CategorySubscription::Category))
                    .col(timestamp_with_time_zone(CategorySubscription::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(CategorySubscription::UserId)
                            .col(CategorySubscription::Category),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CategorySubscription::Table, CategorySubscription::UserId)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_category_subscription_category")
                    .table(CategorySubscription::Table)
                    .col(CategorySubscription::Category)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CallReminder::Table)
                    .col(string(CallReminder::CallId).primary_key())
                    .col(timestamp_with_time_zone(CallReminder::SentAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CallReminder::Table, CallReminder::CallId)
                            .to(CallForTenders::Table, CallForTenders::Id),
                    )
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    Id,
    Recipient,
    RecipientUserId,
    Subject,
    Body,
    Event,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    MessageId,
    CreatedAt,
    SentAt,
    LockedBy,
    LockedUntil,
    SealedUntil,
}

#[derive(DeriveIden)]
enum CategorySubscription {
    Table,
    UserId,
    Category,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CallReminder {
    Table,
    CallId,
    SentAt,
}
