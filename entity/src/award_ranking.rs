//! The ranking published with an award: one row per qualified bid, fixed at the decision.
use crate::types::Money;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "award_rank")]
pub struct Model {
    /// The award's id (the call's, or the lot's).
    #[sea_orm(primary_key, auto_increment = false)]
    pub award_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub rank: i32,
    pub bid_id: String,
    pub bidder_id: String,
    /// The bid's total for what was awarded (the lot's lines, for a lot).
    pub total_price: Money,
    /// The exact total score.
    pub total_score: Money,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
