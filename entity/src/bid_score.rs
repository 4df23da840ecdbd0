//! One evaluator's points for one quality criterion of one bid.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bid_score")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub bid_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub criterion_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub evaluator_id: String,
    pub points: i32,
    pub scored_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
