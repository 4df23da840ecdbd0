//! A change made to a published call: the version it made, why, and which input fields it
//! changed (a JSON array of their names).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "call_change")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub call_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i32,
    pub reason: String,
    pub fields: String,
    pub changed_by: String,
    pub changed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
