//! Hostile input, identity part. Login attempts are counted in one row per (subject, window)
//! that an upsert increments atomically, replacing `login_failure` (one row per failure,
//! counted by reading first, which let concurrent attempts past the limit). Users get a
//! `token_version` (a token carrying another version is revoked) and a `disabled` flag.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LoginAttempt::Table)
                    .col(string(LoginAttempt::Subject))
                    .col(big_integer(LoginAttempt::WindowStart))
                    .col(big_integer(LoginAttempt::Attempts))
                    .primary_key(
                        Index::create()
                            .col(LoginAttempt::Subject)
                            .col(LoginAttempt::WindowStart),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_attempt_window_start")
                    .table(LoginAttempt::Table)
                    .col(LoginAttempt::WindowStart)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(LoginFailure::Table).to_owned())
            .await?;
        // One column per statement: SQLite adds one at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(AppUser::Table)
                    .add_column(integer(AppUser::TokenVersion).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AppUser::Table)
                    .add_column(boolean(AppUser::Disabled).default(false))
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum LoginAttempt {
    Table,
    Subject,
    WindowStart,
    Attempts,
}

#[derive(DeriveIden)]
enum LoginFailure {
    Table,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    TokenVersion,
    Disabled,
}
