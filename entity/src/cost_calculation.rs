//! An in-house producer's cost calculation for one product and fiscal year.
use crate::types::Money;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cost_calculation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub producer_id: String,
    pub product_id: String,
    pub fiscal_year: i32,
    pub volume: Money,
    pub direct_costs: Money,
    pub overhead_rate: Money,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
