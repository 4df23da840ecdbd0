//! A lot (osa-alue) of a call: a set of its lines, awarded and contracted on its own.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lot")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub call_id: String,
    /// From 1, in the call's order.
    pub number: i32,
    pub title: String,
    /// Why the orderer declared the lot unsuccessful (no award), and when.
    pub unsuccessful_reason: Option<String>,
    pub unsuccessful_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
