use crate::types::Money;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bid_line")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub bid_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub call_line_id: String,
    pub unit_price: Money,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
