//! The seal's side paths (DESIGN "The seal's side paths, closed"): bid events go to a
//! per-call sealed log, hash-chained on its own, whose head lives on the call row and is
//! anchored in the main chain when the bids are opened. Notifications that would reveal a
//! bidder or an asker are private to their recipient; a question's audit event names its
//! asker only through a commitment.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every sealed log starts from 64 zeros, like the main chain.
const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SealedEvent::Table)
                    .col(string(SealedEvent::CallId))
                    .col(big_integer(SealedEvent::Seq))
                    .col(timestamp_with_time_zone(SealedEvent::At))
                    .col(string_null(SealedEvent::ActorUserId))
                    .col(string(SealedEvent::Action))
                    .col(string(SealedEvent::Entity))
                    .col(string(SealedEvent::EntityId))
                    .col(text(SealedEvent::Summary))
                    .col(string(SealedEvent::PrevHash))
                    .col(string(SealedEvent::Hash))
                    .primary_key(
                        Index::create()
                            .col(SealedEvent::CallId)
                            .col(SealedEvent::Seq),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SealedEvent::Table, SealedEvent::CallId)
                            .to(CallForTenders::Table, CallForTenders::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // One column per statement: SQLite adds one column at a time.
        for column in [
            big_integer(CallForTenders::SealedSeq)
                .default(0i64)
                .to_owned(),
            string(CallForTenders::SealedHash)
                .default(GENESIS_HASH)
                .to_owned(),
            timestamp_with_time_zone_null(CallForTenders::BidsOpenedAt).to_owned(),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(CallForTenders::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_call_unopened")
                    .table(CallForTenders::Table)
                    .col(CallForTenders::Status)
                    .col(CallForTenders::BidsOpenedAt)
                    .col(CallForTenders::SubmissionDeadline)
                    .to_owned(),
            )
            .await?;
        for column in [
            boolean(Notification::Private).default(false).to_owned(),
            string_null(Notification::SealedCallId).to_owned(),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Notification::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Question::Table)
                    .add_column(string_null(Question::AskerNonce))
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum SealedEvent {
    Table,
    CallId,
    Seq,
    At,
    ActorUserId,
    Action,
    Entity,
    EntityId,
    Summary,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum CallForTenders {
    Table,
    Id,
    Status,
    SubmissionDeadline,
    SealedSeq,
    SealedHash,
    BidsOpenedAt,
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    Private,
    SealedCallId,
}

#[derive(DeriveIden)]
enum Question {
    Table,
    AskerNonce,
}
