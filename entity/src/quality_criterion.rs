//! A quality criterion of a call, scored 0..max_points by each evaluator.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "quality_criterion")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub call_id: String,
    pub position: i32,
    pub name: String,
    pub weight: i32,
    pub max_points: i32,
    /// The call version that replaced it; null while it is the call's own.
    pub retired_in: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
