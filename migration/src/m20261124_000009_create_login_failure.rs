use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LoginFailure::Table)
                    .col(string(LoginFailure::Id).primary_key())
                    .col(string(LoginFailure::Key))
                    .col(timestamp_with_time_zone(LoginFailure::At))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_failure_key_at")
                    .table(LoginFailure::Table)
                    .col(LoginFailure::Key)
                    .col(LoginFailure::At)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum LoginFailure {
    Table,
    Id,
    Key,
    At,
}
