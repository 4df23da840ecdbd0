//! Changes to a call: the call's version (1 when published, + 1 with each change after
//! publication) and the version of its latest material change, the changes themselves, the
//! call version each bid was submitted against, and the version that replaced a line,
//! criterion or requirement (null while it is the call's own). Replaced rows stay: the bids
//! submitted against them still name them.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_create_identity::AppUser;
use crate::m20261124_000004_create_calls_and_bids::{
    Bid, CallForTenders, CallLine, CapabilityRequirement, QualityCriterion,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns: [(DynIden, ColumnDef); 6] = [
            (
                CallForTenders::Table.into_iden(),
                integer(Added::Version).default(1).to_owned(),
            ),
            (
                CallForTenders::Table.into_iden(),
                integer(Added::MaterialVersion).default(1).to_owned(),
            ),
            (
                Bid::Table.into_iden(),
                integer(Added::CallVersion).default(1).to_owned(),
            ),
            (CallLine::Table.into_iden(), integer_null(Added::RetiredIn)),
            (
                QualityCriterion::Table.into_iden(),
                integer_null(Added::RetiredIn),
            ),
            (
                CapabilityRequirement::Table.into_iden(),
                integer_null(Added::RetiredIn),
            ),
        ];
        crate::add_columns(manager, columns).await?;
        manager
            .create_table(
                Table::create()
                    .table(CallChange::Table)
                    .col(string(CallChange::CallId))
                    .col(integer(CallChange::Version))
                    .col(text(CallChange::Reason))
                    .col(text(CallChange::Fields))
                    .col(string(CallChange::ChangedBy))
                    .col(timestamp_with_time_zone(CallChange::ChangedAt))
                    .primary_key(
                        Index::create()
                            .col(CallChange::CallId)
                            .col(CallChange::Version),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CallChange::Table, CallChange::CallId)
                            .to(CallForTenders::Table, CallForTenders::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CallChange::Table, CallChange::ChangedBy)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Added {
    Version,
    MaterialVersion,
    CallVersion,
    RetiredIn,
}

#[derive(DeriveIden)]
enum CallChange {
    Table,
    CallId,
    Version,
    Reason,
    Fields,
    ChangedBy,
    ChangedAt,
}
