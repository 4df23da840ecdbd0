//! Lots (issue 20): a call may be divided into lots, each a set of the call's lines, awarded
//! and contracted on its own.
//!
//! - `lot`: a call's lots, numbered from 1, and why a lot was declared unsuccessful.
//! - `call_line.lot_id`: the lot a line belongs to (null on a call without lots).
//! - The award decision moves from `award` (one per call, keyed by the call) to
//!   `award_decision`, keyed by what was awarded: the call's id for a call awarded whole, a
//!   lot's id for a lot; its ranking from `award_ranking` to `award_rank`. The rows are copied
//!   and the old tables dropped.
//! - `service_contract.source_call_id`: the call a contract came from, whole or by lot
//!   (`call_id` stays unique: the one contract of a call awarded whole); `lot_id`: the lot,
//!   unique.
//! - Correction requests and appeals name the lot whose award they are about (null for a
//!   call awarded whole).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000004_create_calls_and_bids::{Bid, CallForTenders, CallLine};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Lot::Table)
                    .col(string(Lot::Id).primary_key())
                    .col(string(Lot::CallId))
                    .col(integer(Lot::Number))
                    .col(text(Lot::Title))
                    .col(text_null(Lot::UnsuccessfulReason))
                    .col(timestamp_with_time_zone_null(Lot::UnsuccessfulAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Lot::Table, Lot::CallId)
                            .to(CallForTenders::Table, CallForTenders::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_lot_call_number")
                    .table(Lot::Table)
                    .col(Lot::CallId)
                    .col(Lot::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        let columns: [(DynIden, ColumnDef); 5] = [
            (CallLine::Table.into_iden(), string_null(Added::LotId)),
            (
                ServiceContract::Table.into_iden(),
                string_null(Added::LotId),
            ),
            (
                ServiceContract::Table.into_iden(),
                string_null(Added::SourceCallId),
            ),
            (
                Remedy::CorrectionRequest.into_iden(),
                string_null(Added::LotId),
            ),
            (Remedy::Appeal.into_iden(), string_null(Added::LotId)),
        ];
        crate::add_columns(manager, columns).await?;
        for (name, table, column, unique) in [
            (
                "idx_call_line_lot",
                CallLine::Table.into_iden(),
                Added::LotId,
                false,
            ),
            (
                "idx_contract_lot",
                ServiceContract::Table.into_iden(),
                Added::LotId,
                true,
            ),
            (
                "idx_contract_source_call",
                ServiceContract::Table.into_iden(),
                Added::SourceCallId,
                false,
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(table).col(column);
            if unique {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE service_contract SET source_call_id = call_id")
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AwardDecision::Table)
                    .col(string(AwardDecision::Id).primary_key())
                    .col(string(AwardDecision::CallId))
                    .col(string_null(AwardDecision::LotId))
                    .col(string(AwardDecision::BidId))
                    .col(text(AwardDecision::Justification))
                    .col(string(AwardDecision::DecidedBy))
                    .col(timestamp_with_time_zone(AwardDecision::DecidedAt))
                    .col(timestamp_with_time_zone(AwardDecision::StandstillEndsAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AwardDecision::Table, AwardDecision::CallId)
                            .to(CallForTenders::Table, CallForTenders::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AwardDecision::Table, AwardDecision::LotId)
                            .to(Lot::Table, Lot::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AwardDecision::Table, AwardDecision::BidId)
                            .to(Bid::Table, Bid::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_award_decision_call")
                    .table(AwardDecision::Table)
                    .col(AwardDecision::CallId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AwardRank::Table)
                    .col(string(AwardRank::AwardId))
                    .col(integer(AwardRank::Rank))
                    .col(string(AwardRank::BidId))
                    .col(string(AwardRank::BidderId))
                    .col(string(AwardRank::TotalPrice))
                    .col(string(AwardRank::TotalScore))
                    .primary_key(Index::create().col(AwardRank::AwardId).col(AwardRank::Rank))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AwardRank::Table, AwardRank::AwardId)
                            .to(AwardDecision::Table, AwardDecision::Id),
                    )
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared(
            "INSERT INTO award_decision (id, call_id, lot_id, bid_id, justification, decided_by, \
             decided_at, standstill_ends_at) SELECT call_id, call_id, NULL, bid_id, \
             justification, decided_by, decided_at, standstill_ends_at FROM award",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO award_rank (award_id, rank, bid_id, bidder_id, total_price, total_score) \
             SELECT call_id, rank, bid_id, bidder_id, total_price, total_score FROM award_ranking",
        )
        .await?;
        manager
            .drop_table(Table::drop().table(Old::AwardRanking).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Old::Award).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Lot {
    Table,
    Id,
    CallId,
    Number,
    Title,
    UnsuccessfulReason,
    UnsuccessfulAt,
}

#[derive(DeriveIden)]
enum AwardDecision {
    Table,
    Id,
    CallId,
    LotId,
    BidId,
    Justification,
    DecidedBy,
    DecidedAt,
    StandstillEndsAt,
}

#[derive(DeriveIden)]
enum AwardRank {
    Table,
    AwardId,
    Rank,
    BidId,
    BidderId,
    TotalPrice,
    TotalScore,
}

#[derive(DeriveIden)]
enum Old {
    Award,
    AwardRanking,
}

#[derive(DeriveIden)]
enum ServiceContract {
    Table,
}

#[derive(DeriveIden)]
enum Remedy {
    CorrectionRequest,
    Appeal,
}

#[derive(DeriveIden)]
enum Added {
    LotId,
    SourceCallId,
}
