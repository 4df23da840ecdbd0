use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Who may read an audit event (not part of its hash): the orderer organisation it belongs
/// to, and until when it is sealed.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AuditEvent::Table)
                    .add_column(string_null(AuditEvent::OrdererId))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AuditEvent::Table)
                    .add_column(timestamp_with_time_zone_null(AuditEvent::SealedUntil))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_event_orderer")
                    .table(AuditEvent::Table)
                    .col(AuditEvent::OrdererId)
                    .col(AuditEvent::Seq)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    OrdererId,
    SealedUntil,
    Seq,
}
