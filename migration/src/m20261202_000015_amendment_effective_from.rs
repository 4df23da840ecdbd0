//! The day an amendment takes effect: months before it keep the earlier version's prices.
//! Amendments made before this existed took effect on their contract's start.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ContractAmendment::Table)
                    .add_column(date_null(ContractAmendment::EffectiveFrom))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE contract_amendment SET effective_from = \
                 (SELECT start_date FROM service_contract WHERE service_contract.id = contract_amendment.contract_id)",
            )
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum ContractAmendment {
    Table,
    EffectiveFrom,
}
