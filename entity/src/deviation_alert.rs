//! Recorded when a contract's realisation turns OVER or UNDER; the orderer is told.
use crate::types::{Money, RealizationStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deviation_alert")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub contract_id: String,
    pub status: RealizationStatus,
    pub previous_status: RealizationStatus,
    pub period: String,
    pub forecast: Money,
    pub contracted: Money,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
