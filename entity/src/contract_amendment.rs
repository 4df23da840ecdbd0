//! An amendment (sopimusmuutos): the change that made a version of a contract.
use crate::types::Money;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contract_amendment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub contract_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i32,
    pub reason: String,
    pub value_delta: Money,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    /// The day this version's lines take effect (null only for rows older than the column:
    /// those took effect on the contract's start).
    pub effective_from: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
