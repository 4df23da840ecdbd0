use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organization::Table)
                    .col(string(Organization::Id).primary_key())
                    .col(string(Organization::Name))
                    .col(string(Organization::Kind))
                    .col(string_null(Organization::BusinessId).unique_key())
                    .col(string_null(Organization::Email))
                    .col(timestamp_with_time_zone(Organization::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AppUser::Table)
                    .col(string(AppUser::Id).primary_key())
                    .col(string(AppUser::Email).unique_key())
                    .col(string(AppUser::PasswordHash))
                    .col(string(AppUser::Name))
                    .col(string(AppUser::Role))
                    .col(string(AppUser::OrganizationId))
                    .col(timestamp_with_time_zone(AppUser::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AppUser::Table, AppUser::OrganizationId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_app_user_organization")
                    .table(AppUser::Table)
                    .col(AppUser::OrganizationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UserTie::Table)
                    .col(string(UserTie::UserId))
                    .col(string(UserTie::OrganizationId))
                    .col(timestamp_with_time_zone(UserTie::DeclaredAt))
                    .primary_key(
                        Index::create()
                            .col(UserTie::UserId)
                            .col(UserTie::OrganizationId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserTie::Table, UserTie::UserId)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserTie::Table, UserTie::OrganizationId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_user_tie_organization")
                    .table(UserTie::Table)
                    .col(UserTie::OrganizationId)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
pub enum Organization {
    Table,
    Id,
    Name,
    Kind,
    BusinessId,
    Email,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum AppUser {
    Table,
    Id,
    Email,
    PasswordHash,
    Name,
    Role,
    OrganizationId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum UserTie {
    Table,
    UserId,
    OrganizationId,
    DeclaredAt,
}
