use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_create_identity::AppUser;
use crate::m20261124_000004_create_calls_and_bids::{Bid, CallForTenders};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CallForTenders::Table)
                    .add_column(text_null(Alias::new("unsuccessful_reason")))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CallEvaluator::Table)
                    .col(string(CallEvaluator::CallId))
                    .col(string(CallEvaluator::UserId))
                    .col(string(CallEvaluator::AssignedBy))
                    .col(timestamp_with_time_zone(CallEvaluator::AssignedAt))
                    .primary_key(
                        Index::create()
                            .col(CallEvaluator::CallId)
                            .col(CallEvaluator::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CallEvaluator::Table, CallEvaluator::CallId)
                            .to(CallForTenders::Table, CallForTenders::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CallEvaluator::Table, CallEvaluator::UserId)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CapabilityJudgement::Table)
                    .col(string(CapabilityJudgement::BidId))
                    .col(string(CapabilityJudgement::RequirementId))
                    .col(boolean(CapabilityJudgement::Met))
                    .col(string(CapabilityJudgement::JudgedBy))
                    .col(timestamp_with_time_zone(CapabilityJudgement::JudgedAt))
                    .primary_key(
                        Index::create()
                            .col(CapabilityJudgement::BidId)
                            .col(CapabilityJudgement::RequirementId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CapabilityJudgement::Table, CapabilityJudgement::BidId)
                            .to(Bid::Table, Bid::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BidScore::Table)
                    .col(string(BidScore::BidId))
                    .col(string(BidScore::CriterionId))
                    .col(string(BidScore::EvaluatorId))
                    .col(integer(BidScore::Points))
                    .col(timestamp_with_time_zone(BidScore::ScoredAt))
                    .primary_key(
                        Index::create()
                            .col(BidScore::BidId)
                            .col(BidScore::CriterionId)
                            .col(BidScore::EvaluatorId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(BidScore::Table, BidScore::BidId)
                            .to(Bid::Table, Bid::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Award::Table)
                    .col(string(Award::CallId).primary_key())
                    .col(string(Award::BidId))
                    .col(text(Award::Justification))
                    .col(string(Award::DecidedBy))
                    .col(timestamp_with_time_zone(Award::DecidedAt))
                    .col(timestamp_with_time_zone(Award::StandstillEndsAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Award::Table, Award::CallId)
                            .to(CallForTenders::Table, CallForTenders::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Award::Table, Award::BidId)
                            .to(Bid::Table, Bid::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AwardRanking::Table)
                    .col(string(AwardRanking::CallId))
                    .col(integer(AwardRanking::Rank))
                    .col(string(AwardRanking::BidId))
                    .col(string(AwardRanking::BidderId))
                    .col(string(AwardRanking::TotalPrice))
                    .col(string(AwardRanking::TotalScore))
                    .primary_key(
                        Index::create()
                            .col(AwardRanking::CallId)
                            .col(AwardRanking::Rank),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AwardRanking::Table, AwardRanking::CallId)
                            .to(Award::Table, Award::CallId),
                    )
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum CallEvaluator {
    Table,
    CallId,
    UserId,
    AssignedBy,
    AssignedAt,
}

#[derive(DeriveIden)]
enum CapabilityJudgement {
    Table,
    BidId,
    RequirementId,
    Met,
    JudgedBy,
    JudgedAt,
}

#[derive(DeriveIden)]
enum BidScore {
    Table,
    BidId,
    CriterionId,
    EvaluatorId,
    Points,
    ScoredAt,
}

#[derive(DeriveIden)]
enum Award {
    Table,
    CallId,
    BidId,
    Justification,
    DecidedBy,
    DecidedAt,
    StandstillEndsAt,
}

#[derive(DeriveIden)]
enum AwardRanking {
    Table,
    CallId,
    Rank,
    BidId,
    BidderId,
    TotalPrice,
    TotalScore,
}
