//! The published OCDS releases of each call, append-only: one row per public change (the
//! call published, its bids opened, an award made or withdrawn, a contract made, signed,
//! activated, amended or terminated, a month reported). A row is written in the change's
//! own transaction and never updated, so a release once published never changes.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000004_create_calls_and_bids::CallForTenders;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OcdsRelease::Table)
                    .col(string(OcdsRelease::CallId))
                    .col(integer(OcdsRelease::Seq))
                    .col(string(OcdsRelease::Tag))
                    .col(timestamp_with_time_zone(OcdsRelease::Date))
                    .col(text(OcdsRelease::Sections))
                    .primary_key(
                        Index::create()
                            .col(OcdsRelease::CallId)
                            .col(OcdsRelease::Seq),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(OcdsRelease::Table, OcdsRelease::CallId)
                            .to(CallForTenders::Table, CallForTenders::Id),
                    )
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum OcdsRelease {
    Table,
    CallId,
    Seq,
    Tag,
    Date,
    Sections,
}
