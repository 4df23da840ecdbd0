//! One product and quantity a call asks prices for.
use crate::types::Money;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "call_line")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub call_id: String,
    pub position: i32,
    pub product_id: String,
    pub quantity: Money,
    /// The call version that replaced it; null while it is the call's own.
    pub retired_in: Option<i32>,
    /// The lot the line belongs to; null on a call without lots.
    pub lot_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
