//! What eForms notices need that the model lacked (issue 19): an organisation's postal
//! address, NUTS region and telephone (each optional: a notice fills what an organisation has
//! not given from the contracting authority's details in the configuration), and a call's
//! title and description in Swedish and English beside the Finnish ones.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_create_identity::Organization;
use crate::m20261124_000004_create_calls_and_bids::CallForTenders;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let org = || Organization::Table.into_iden();
        let call = || CallForTenders::Table.into_iden();
        let columns: [(DynIden, ColumnDef); 9] = [
            (org(), string_null(Added::StreetAddress)),
            (org(), string_null(Added::PostalCode)),
            (org(), string_null(Added::City)),
            (org(), string_null(Added::NutsCode)),
            (org(), string_null(Added::Phone)),
            (call(), text_null(Added::TitleSv)),
            (call(), text_null(Added::TitleEn)),
            (call(), text_null(Added::DescriptionSv)),
            (call(), text_null(Added::DescriptionEn)),
        ];
        crate::add_columns(manager, columns).await
    }
}

#[derive(DeriveIden)]
enum Added {
    StreetAddress,
    PostalCode,
    City,
    NutsCode,
    Phone,
    TitleSv,
    TitleEn,
    DescriptionSv,
    DescriptionEn,
}
