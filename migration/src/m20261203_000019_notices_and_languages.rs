//! Notices and languages (issue 19): a product's CPV code and service kind (GENERAL unless
//! given), a call's estimated value (excluding VAT; exact decimal text like every amount), and
//! each user's language (FI unless given).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_create_identity::AppUser;
use crate::m20261124_000002_create_catalogue_and_budget::Product;
use crate::m20261124_000004_create_calls_and_bids::CallForTenders;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns: [(DynIden, ColumnDef); 4] = [
            (Product::Table.into_iden(), string_null(Added::CpvCode)),
            (
                Product::Table.into_iden(),
                string(Added::ServiceKind).default("GENERAL").to_owned(),
            ),
            (
                CallForTenders::Table.into_iden(),
                string_null(Added::EstimatedValue),
            ),
            (
                AppUser::Table.into_iden(),
                string(Added::Language).default("FI").to_owned(),
            ),
        ];
        crate::add_columns(manager, columns).await
    }
}

#[derive(DeriveIden)]
enum Added {
    CpvCode,
    ServiceKind,
    EstimatedValue,
    Language,
}
