//! The orderer's judgement whether a bid meets one capability requirement.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "capability_judgement")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub bid_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub requirement_id: String,
    pub met: bool,
    pub judged_by: String,
    pub judged_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
