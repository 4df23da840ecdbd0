//! A producer's monthly report on a contract; a second report for a month replaces the first.
use crate::types::Money;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "performance_report")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub contract_id: String,
    /// YYYY-MM
    #[sea_orm(primary_key, auto_increment = false)]
    pub period: String,
    pub feedback_count: i32,
    pub feedback_average: Option<Money>,
    pub reported_by: String,
    pub reported_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
