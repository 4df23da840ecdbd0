use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_create_identity::{AppUser, Organization};
use crate::m20261124_000002_create_catalogue_and_budget::Product;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CallForTenders::Table)
                    .col(string(CallForTenders::Id).primary_key())
                    .col(string(CallForTenders::OrdererId))
                    .col(string(CallForTenders::Title))
                    .col(text(CallForTenders::Description))
                    .col(text(CallForTenders::SearchText))
                    .col(string(CallForTenders::Status))
                    .col(string(CallForTenders::PricingModel))
                    .col(date(CallForTenders::ContractStart))
                    .col(date(CallForTenders::ContractEnd))
                    .col(timestamp_with_time_zone(CallForTenders::QuestionsDeadline))
                    .col(timestamp_with_time_zone(CallForTenders::SubmissionDeadline))
                    .col(integer(CallForTenders::StandstillDays))
                    .col(integer(CallForTenders::PriceWeight))
                    .col(string_null(CallForTenders::MinTurnoverRatio))
                    .col(string_null(CallForTenders::MinEquityRatio))
                    .col(string_null(CallForTenders::MinCreditRating))
                    .col(string_null(CallForTenders::MaxSubcontractingShare))
                    .col(timestamp_with_time_zone(CallForTenders::CreatedAt))
                    .col(timestamp_with_time_zone_null(CallForTenders::PublishedAt))
                    .col(timestamp_with_time_zone_null(CallForTenders::CancelledAt))
                    .col(text_null(CallForTenders::CancelReason))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CallForTenders::Table, CallForTenders::OrdererId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_call_status_id",
                vec![CallForTenders::Status, CallForTenders::Id],
            ),
            (
                "idx_call_orderer_id",
                vec![CallForTenders::OrdererId, CallForTenders::Id],
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(CallForTenders::Table);
            for c in cols {
                idx.col(c);
            }
            manager.create_index(idx.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(CallLine::Table)
                    .col(string(CallLine::Id).primary_key())
                    .col(string(CallLine::CallId))
                    .col(integer(CallLine::Position))
                    .col(string(CallLine::ProductId))
                    .col(string(CallLine::Quantity))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CallLine::Table, CallLine::CallId)
                            .to(CallForTenders::Table, CallForTenders::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CallLine::Table, CallLine::ProductId)
                            .to(Product::Table, Product::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_call_line_call")
                    .table(CallLine::Table)
                    .col(CallLine::CallId)
                    .col(CallLine::Position)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_call_line_product")
                    .table(CallLine::Table)
                    .col(CallLine::ProductId)
                    .col(CallLine::CallId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(QualityCriterion::Table)
                    .col(string(QualityCriterion::Id).primary_key())
                    .col(string(QualityCriterion::CallId))
                    .col(integer(QualityCriterion::Position))
                    .col(string(QualityCriterion::Name))
                    .col(integer(QualityCriterion::Weight))
                    .col(integer(QualityCriterion::MaxPoints))
                    .foreign_key(
                        ForeignKey::create()
                            .from(QualityCriterion::Table, QualityCriterion::CallId)
                            .to(CallForTenders::Table, CallForTenders::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_quality_criterion_call")
                    .table(QualityCriterion::Table)
                    .col(QualityCriterion::CallId)
                    .col(QualityCriterion::Position)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CapabilityRequirement::Table)
                    .col(string(CapabilityRequirement::Id).primary_key())
                    .col(string(CapabilityRequirement::CallId))
                    .col(integer(CapabilityRequirement::Position))
                    .col(text(CapabilityRequirement::Text))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CapabilityRequirement::Table, CapabilityRequirement::CallId)
                            .to(CallForTenders::Table, CallForTenders::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_capability_requirement_call")
                    .table(CapabilityRequirement::Table)
                    .col(CapabilityRequirement::CallId)
                    .col(CapabilityRequirement::Position)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Question::Table)
                    .col(string(Question::Id).primary_key())
                    .col(string(Question::CallId))
                    .col(string(Question::AskerOrganizationId))
                    .col(string(Question::AskerUserId))
                    .col(text(Question::Text))
                    .col(text_null(Question::Answer))
                    .col(timestamp_with_time_zone(Question::AskedAt))
                    .col(timestamp_with_time_zone_null(Question::AnsweredAt))
                    .col(string_null(Question::AnsweredBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Question::Table, Question::CallId)
                            .to(CallForTenders::Table, CallForTenders::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Question::Table, Question::AskerUserId)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_question_call")
                    .table(Question::Table)
                    .col(Question::CallId)
                    .col(Question::AskedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Bid::Table)
                    .col(string(Bid::Id).primary_key())
                    .col(string(Bid::CallId))
                    .col(string(Bid::BidderId))
                    .col(string(Bid::SubmittedBy))
                    .col(boolean(Bid::InHouse))
                    .col(string(Bid::Status))
                    .col(integer(Bid::Version))
                    .col(string(Bid::TotalPrice))
                    .col(string(Bid::AnnualTurnover))
                    .col(string(Bid::EquityRatio))
                    .col(string(Bid::CreditRating))
                    .col(string(Bid::SubcontractingShare))
                    .col(timestamp_with_time_zone(Bid::SubmittedAt))
                    .col(string(Bid::Receipt))
                    .col(timestamp_with_time_zone_null(Bid::WithdrawnAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Bid::Table, Bid::CallId)
                            .to(CallForTenders::Table, CallForTenders::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Bid::Table, Bid::BidderId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_bid_call_bidder")
                    .table(Bid::Table)
                    .col(Bid::CallId)
                    .col(Bid::BidderId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_bid_bidder")
                    .table(Bid::Table)
                    .col(Bid::BidderId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BidLine::Table)
                    .col(string(BidLine::BidId))
                    .col(string(BidLine::CallLineId))
                    .col(string(BidLine::UnitPrice))
                    .primary_key(Index::create().col(BidLine::BidId).col(BidLine::CallLineId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BidLine::Table, BidLine::BidId)
                            .to(Bid::Table, Bid::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(BidLine::Table, BidLine::CallLineId)
                            .to(CallLine::Table, CallLine::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BidResponse::Table)
                    .col(string(BidResponse::BidId))
                    .col(string(BidResponse::TargetId))
                    .col(string(BidResponse::Kind))
                    .col(text(BidResponse::Text))
                    .primary_key(
                        Index::create()
                            .col(BidResponse::BidId)
                            .col(BidResponse::TargetId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(BidResponse::Table, BidResponse::BidId)
                            .to(Bid::Table, Bid::Id),
                    )
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
pub enum CallForTenders {
    Table,
    Id,
    OrdererId,
    Title,
    Description,
    SearchText,
    Status,
    PricingModel,
    ContractStart,
    ContractEnd,
    QuestionsDeadline,
    SubmissionDeadline,
    StandstillDays,
    PriceWeight,
    MinTurnoverRatio,
    MinEquityRatio,
    MinCreditRating,
    MaxSubcontractingShare,
    CreatedAt,
    PublishedAt,
    CancelledAt,
    CancelReason,
}

#[derive(DeriveIden)]
pub enum CallLine {
    Table,
    Id,
    CallId,
    Position,
    ProductId,
    Quantity,
}

#[derive(DeriveIden)]
pub enum QualityCriterion {
    Table,
    Id,
    CallId,
    Position,
    Name,
    Weight,
    MaxPoints,
}

#[derive(DeriveIden)]
pub enum CapabilityRequirement {
    Table,
    Id,
    CallId,
    Position,
    Text,
}

#[derive(DeriveIden)]
enum Question {
    Table,
    Id,
    CallId,
    AskerOrganizationId,
    AskerUserId,
    Text,
    Answer,
    AskedAt,
    AnsweredAt,
    AnsweredBy,
}

#[derive(DeriveIden)]
pub enum Bid {
    Table,
    Id,
    CallId,
    BidderId,
    SubmittedBy,
    InHouse,
    Status,
    Version,
    TotalPrice,
    AnnualTurnover,
    EquityRatio,
    CreditRating,
    SubcontractingShare,
    SubmittedAt,
    Receipt,
    WithdrawnAt,
}

#[derive(DeriveIden)]
enum BidLine {
    Table,
    BidId,
    CallLineId,
    UnitPrice,
}

#[derive(DeriveIden)]
enum BidResponse {
    Table,
    BidId,
    TargetId,
    Kind,
    Text,
}
