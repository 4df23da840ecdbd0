use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_create_identity::Organization;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Product::Table)
                    .col(string(Product::Id).primary_key())
                    .col(string(Product::Code).unique_key())
                    .col(string(Product::Name))
                    .col(string(Product::Unit))
                    .col(string(Product::Category))
                    .col(text_null(Product::Description))
                    .col(timestamp_with_time_zone(Product::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_product_category")
                    .table(Product::Table)
                    .col(Product::Category)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Appropriation::Table)
                    .col(string(Appropriation::OrdererId))
                    .col(integer(Appropriation::FiscalYear))
                    .col(string(Appropriation::Amount))
                    .col(timestamp_with_time_zone(Appropriation::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(Appropriation::OrdererId)
                            .col(Appropriation::FiscalYear),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Appropriation::Table, Appropriation::OrdererId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MunicipalGrant::Table)
                    .col(string(MunicipalGrant::Id).primary_key())
                    .col(string(MunicipalGrant::OrdererId))
                    .col(string(MunicipalGrant::RecipientId))
                    .col(integer(MunicipalGrant::FiscalYear))
                    .col(string(MunicipalGrant::Amount))
                    .col(timestamp_with_time_zone(MunicipalGrant::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(MunicipalGrant::Table, MunicipalGrant::OrdererId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MunicipalGrant::Table, MunicipalGrant::RecipientId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_grant_recipient_orderer_year")
                    .table(MunicipalGrant::Table)
                    .col(MunicipalGrant::RecipientId)
                    .col(MunicipalGrant::OrdererId)
                    .col(MunicipalGrant::FiscalYear)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CostCalculation::Table)
                    .col(string(CostCalculation::Id).primary_key())
                    .col(string(CostCalculation::ProducerId))
                    .col(string(CostCalculation::ProductId))
                    .col(integer(CostCalculation::FiscalYear))
                    .col(string(CostCalculation::Volume))
                    .col(string(CostCalculation::DirectCosts))
                    .col(string(CostCalculation::OverheadRate))
                    .col(timestamp_with_time_zone(CostCalculation::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CostCalculation::Table, CostCalculation::ProducerId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CostCalculation::Table, CostCalculation::ProductId)
                            .to(Product::Table, Product::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_cost_calculation_producer_product_year")
                    .table(CostCalculation::Table)
                    .col(CostCalculation::ProducerId)
                    .col(CostCalculation::ProductId)
                    .col(CostCalculation::FiscalYear)
                    .unique()
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
pub enum Product {
    Table,
    Id,
    Code,
    Name,
    Unit,
    Category,
    Description,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Appropriation {
    Table,
    OrdererId,
    FiscalYear,
    Amount,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MunicipalGrant {
    Table,
    Id,
    OrdererId,
    RecipientId,
    FiscalYear,
    Amount,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CostCalculation {
    Table,
    Id,
    ProducerId,
    ProductId,
    FiscalYear,
    Volume,
    DirectCosts,
    OverheadRate,
    UpdatedAt,
}
