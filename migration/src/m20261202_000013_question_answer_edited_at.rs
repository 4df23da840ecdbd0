//! When a published answer was last replaced (null unless it was), shown publicly beside it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Question::Table)
                    .add_column(timestamp_with_time_zone_null(Question::AnswerEditedAt))
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Question {
    Table,
    AnswerEditedAt,
}
