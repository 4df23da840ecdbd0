//! Counting the published calls (`calls { totalCount }`, every list a signed-in user loads)
//! scanned the whole call table; with this index it scans only the index (see BENCH.md for
//! the plans before and after on 100 000 calls).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_call_published_at")
                    .table(CallForTenders::Table)
                    .col(CallForTenders::PublishedAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum CallForTenders {
    Table,
    PublishedAt,
}
