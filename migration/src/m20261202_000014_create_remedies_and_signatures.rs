//! The award decision's remedies and the contract's signatures: correction requests
//! (hankintaoikaisu) and appeals to the Market Court (valitus) about a call's decision, and
//! each party's signature of a contract.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_create_identity::{AppUser, Organization};
use crate::m20261124_000004_create_calls_and_bids::CallForTenders;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CorrectionRequest::Table)
                    .col(string(CorrectionRequest::Id).primary_key())
                    .col(string(CorrectionRequest::CallId))
                    .col(string(CorrectionRequest::RequesterId))
                    .col(string(CorrectionRequest::RequestedBy))
                    .col(text(CorrectionRequest::Text))
                    .col(timestamp_with_time_zone(CorrectionRequest::SubmittedAt))
                    .col(string(CorrectionRequest::Status))
                    .col(text_null(CorrectionRequest::Decision))
                    .col(string_null(CorrectionRequest::DecidedBy))
                    .col(timestamp_with_time_zone_null(CorrectionRequest::DecidedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CorrectionRequest::Table, CorrectionRequest::CallId)
                            .to(CallForTenders::Table, CallForTenders::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CorrectionRequest::Table, CorrectionRequest::RequesterId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CorrectionRequest::Table, CorrectionRequest::RequestedBy)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_correction_request_call")
                    .table(CorrectionRequest::Table)
                    .col(CorrectionRequest::CallId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Appeal::Table)
                    .col(string(Appeal::Id).primary_key())
                    .col(string(Appeal::CallId))
                    .col(string(Appeal::AppellantId))
                    .col(string(Appeal::CaseNumber))
                    .col(timestamp_with_time_zone(Appeal::FiledAt))
                    .col(string(Appeal::Status))
                    .col(text_null(Appeal::Outcome))
                    .col(string(Appeal::RecordedBy))
                    .col(timestamp_with_time_zone(Appeal::RecordedAt))
                    .col(string_null(Appeal::ResolvedBy))
                    .col(timestamp_with_time_zone_null(Appeal::ResolvedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Appeal::Table, Appeal::CallId)
                            .to(CallForTenders::Table, CallForTenders::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Appeal::Table, Appeal::AppellantId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_appeal_call")
                    .table(Appeal::Table)
                    .col(Appeal::CallId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContractSignature::Table)
                    .col(string(ContractSignature::ContractId))
                    .col(string(ContractSignature::OrganizationId))
                    .col(string(ContractSignature::SignedBy))
                    .col(timestamp_with_time_zone(ContractSignature::SignedAt))
                    .primary_key(
                        Index::create()
                            .col(ContractSignature::ContractId)
                            .col(ContractSignature::OrganizationId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContractSignature::Table, ContractSignature::ContractId)
                            .to(ServiceContract::Table, ServiceContract::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContractSignature::Table, ContractSignature::SignedBy)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum CorrectionRequest {
    Table,
    Id,
    CallId,
    RequesterId,
    RequestedBy,
    Text,
    SubmittedAt,
    Status,
    Decision,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum Appeal {
    Table,
    Id,
    CallId,
    AppellantId,
    CaseNumber,
    FiledAt,
    Status,
    Outcome,
    RecordedBy,
    RecordedAt,
    ResolvedBy,
    ResolvedAt,
}

#[derive(DeriveIden)]
enum ContractSignature {
    Table,
    ContractId,
    OrganizationId,
    SignedBy,
    SignedAt,
}

#[derive(DeriveIden)]
enum ServiceContract {
    Table,
    Id,
}
