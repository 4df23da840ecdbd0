//! Versioned, forward-only migrations; the same files run on SQLite and PostgreSQL.
//! Exact decimals are TEXT columns (see `entity::Money`); ids are UUID strings.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_create_identity;
mod m20261124_000002_create_catalogue_and_budget;
mod m20261124_000003_create_audit;
mod m20261124_000004_create_calls_and_bids;
mod m20261124_000005_create_evaluation;
mod m20261124_000006_create_contracts;
mod m20261124_000007_create_outbox;
mod m20261124_000008_audit_visibility;
mod m20261124_000009_create_login_failure;
mod m20261202_000010_index_published_calls;
mod m20261202_000011_create_sealed_log;
mod m20261202_000012_create_login_attempt;
mod m20261202_000013_question_answer_edited_at;
mod m20261202_000014_create_remedies_and_signatures;
mod m20261202_000015_amendment_effective_from;
mod m20261202_000016_create_ocds_release;
mod m20261202_000017_call_versions;
mod m20261202_000018_create_documents;
mod m20261203_000019_notices_and_languages;
mod m20261203_000020_notice_details;
mod m20261203_000021_lots;

pub struct Migrator;

/// Adds `columns` (table, column) one ALTER TABLE each, as SQLite takes one column at a time.
pub(crate) async fn add_columns(
    manager: &SchemaManager<'_>,
    columns: impl IntoIterator<Item = (DynIden, ColumnDef)>,
) -> Result<(), DbErr> {
    for (table, mut column) in columns {
        manager
            .alter_table(
                Table::alter()
                    .table(table)
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_identity::Migration),
            Box::new(m20261124_000002_create_catalogue_and_budget::Migration),
            Box::new(m20261124_000003_create_audit::Migration),
            Box::new(m20261124_000004_create_calls_and_bids::Migration),
            Box::new(m20261124_000005_create_evaluation::Migration),
            Box::new(m20261124_000006_create_contracts::Migration),
            Box::new(m20261124_000007_create_outbox::Migration),
            Box::new(m20261124_000008_audit_visibility::Migration),
            Box::new(m20261124_000009_create_login_failure::Migration),
            Box::new(m20261202_000010_index_published_calls::Migration),
            Box::new(m20261202_000011_create_sealed_log::Migration),
            Box::new(m20261202_000012_create_login_attempt::Migration),
            Box::new(m20261202_000013_question_answer_edited_at::Migration),
            Box::new(m20261202_000014_create_remedies_and_signatures::Migration),
            Box::new(m20261202_000015_amendment_effective_from::Migration),
            Box::new(m20261202_000016_create_ocds_release::Migration),
            Box::new(m20261202_000017_call_versions::Migration),
            Box::new(m20261202_000018_create_documents::Migration),
            Box::new(m20261203_000019_notices_and_languages::Migration),
            Box::new(m20261203_000020_notice_details::Migration),
            Box::new(m20261203_000021_lots::Migration),
        ]
    }
}
