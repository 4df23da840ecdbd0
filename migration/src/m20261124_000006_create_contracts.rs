use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_create_identity::Organization;
use crate::m20261124_000002_create_catalogue_and_budget::Product;
use crate::m20261124_000004_create_calls_and_bids::CallForTenders;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ServiceContract::Table)
                    .col(string(ServiceContract::Id).primary_key())
                    .col(string(ServiceContract::OrdererId))
                    .col(string(ServiceContract::ProducerId))
                    .col(string_null(ServiceContract::CallId).unique_key())
                    .col(string(ServiceContract::Procedure))
                    .col(string(ServiceContract::PricingModel))
                    .col(string(ServiceContract::Status))
                    .col(date(ServiceContract::StartDate))
                    .col(date(ServiceContract::EndDate))
                    .col(integer(ServiceContract::Version))
                    .col(string(ServiceContract::TotalValue))
                    .col(string_null(ServiceContract::MaxSubcontractingShare))
                    .col(string(ServiceContract::RealizationStatus))
                    .col(timestamp_with_time_zone(ServiceContract::CreatedAt))
                    .col(timestamp_with_time_zone_null(ServiceContract::ActivatedAt))
                    .col(date_null(ServiceContract::TerminatedOn))
                    .col(text_null(ServiceContract::TerminationReason))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ServiceContract::Table, ServiceContract::OrdererId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ServiceContract::Table, ServiceContract::ProducerId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ServiceContract::Table, ServiceContract::CallId)
                            .to(CallForTenders::Table, CallForTenders::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_contract_orderer", ServiceContract::OrdererId),
            ("idx_contract_producer", ServiceContract::ProducerId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(ServiceContract::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ContractLine::Table)
                    .col(string(ContractLine::ContractId))
                    .col(integer(ContractLine::Version))
                    .col(integer(ContractLine::Position))
                    .col(string(ContractLine::ProductId))
                    .col(string(ContractLine::Quantity))
                    .col(string(ContractLine::UnitPrice))
                    .primary_key(
                        Index::create()
                            .col(ContractLine::ContractId)
                            .col(ContractLine::Version)
                            .col(ContractLine::Position),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContractLine::Table, ContractLine::ContractId)
                            .to(ServiceContract::Table, ServiceContract::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContractLine::Table, ContractLine::ProductId)
                            .to(Product::Table, Product::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContractAmendment::Table)
                    .col(string(ContractAmendment::ContractId))
                    .col(integer(ContractAmendment::Version))
                    .col(text(ContractAmendment::Reason))
                    .col(string(ContractAmendment::ValueDelta))
                    .col(string(ContractAmendment::CreatedBy))
                    .col(timestamp_with_time_zone(ContractAmendment::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(ContractAmendment::ContractId)
                            .col(ContractAmendment::Version),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContractAmendment::Table, ContractAmendment::ContractId)
                            .to(ServiceContract::Table, ServiceContract::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PerformanceReport::Table)
                    .col(string(PerformanceReport::ContractId))
                    .col(string(PerformanceReport::Period))
                    .col(integer(PerformanceReport::FeedbackCount))
                    .col(string_null(PerformanceReport::FeedbackAverage))
                    .col(string(PerformanceReport::ReportedBy))
                    .col(timestamp_with_time_zone(PerformanceReport::ReportedAt))
                    .primary_key(
                        Index::create()
                            .col(PerformanceReport::ContractId)
                            .col(PerformanceReport::Period),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PerformanceReport::Table, PerformanceReport::ContractId)
                            .to(ServiceContract::Table, ServiceContract::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportEntry::Table)
                    .col(string(ReportEntry::ContractId))
                    .col(string(ReportEntry::Period))
                    .col(integer(ReportEntry::Position))
                    .col(string(ReportEntry::Kind))
                    .col(string(ReportEntry::Subject))
                    .col(string(ReportEntry::Amount))
                    .col(string_null(ReportEntry::Cost))
                    .primary_key(
                        Index::create()
                            .col(ReportEntry::ContractId)
                            .col(ReportEntry::Period)
                            .col(ReportEntry::Position),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReportEntry::Table, ReportEntry::ContractId)
                            .to(ServiceContract::Table, ServiceContract::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DeviationAlert::Table)
                    .col(string(DeviationAlert::Id).primary_key())
                    .col(string(DeviationAlert::ContractId))
                    .col(string(DeviationAlert::Status))
                    .col(string(DeviationAlert::PreviousStatus))
                    .col(string(DeviationAlert::Period))
                    .col(string(DeviationAlert::Forecast))
                    .col(string(DeviationAlert::Contracted))
                    .col(timestamp_with_time_zone(DeviationAlert::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DeviationAlert::Table, DeviationAlert::ContractId)
                            .to(ServiceContract::Table, ServiceContract::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_deviation_alert_contract")
                    .table(DeviationAlert::Table)
                    .col(DeviationAlert::ContractId)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum ServiceContract {
    Table,
    Id,
    OrdererId,
    ProducerId,
    CallId,
    Procedure,
    PricingModel,
    Status,
    StartDate,
    EndDate,
    Version,
    TotalValue,
    MaxSubcontractingShare,
    RealizationStatus,
    CreatedAt,
    ActivatedAt,
    TerminatedOn,
    TerminationReason,
}

#[derive(DeriveIden)]
enum ContractLine {
    Table,
    ContractId,
    Version,
    Position,
    ProductId,
    Quantity,
    UnitPrice,
}

#[derive(DeriveIden)]
enum ContractAmendment {
    Table,
    ContractId,
    Version,
    Reason,
    ValueDelta,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PerformanceReport {
    Table,
    ContractId,
    Period,
    FeedbackCount,
    FeedbackAverage,
    ReportedBy,
    ReportedAt,
}

#[derive(DeriveIden)]
enum ReportEntry {
    Table,
    ContractId,
    Period,
    Position,
    Kind,
    Subject,
    Amount,
    Cost,
}

#[derive(DeriveIden)]
enum DeviationAlert {
    Table,
    Id,
    ContractId,
    Status,
    PreviousStatus,
    Period,
    Forecast,
    Contracted,
    CreatedAt,
}
