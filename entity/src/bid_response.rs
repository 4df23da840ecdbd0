//! A bid's answer to one capability requirement (`kind` CAPABILITY) or quality criterion
//! (`kind` QUALITY) of its call.
use crate::types::ResponseKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bid_response")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub bid_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub target_id: String,
    pub kind: ResponseKind,
    pub text: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
