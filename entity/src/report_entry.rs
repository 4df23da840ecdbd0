//! A row of a monthly report: a product line (`kind` LINE: quantity and cost) or a quality
//! measurement (`kind` QUALITY: metric and value).
use crate::types::{EntryKind, Money};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_entry")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub contract_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub period: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub kind: EntryKind,
    /// The product (LINE) or the metric name (QUALITY).
    pub subject: String,
    /// The realised quantity (LINE) or the measured value (QUALITY).
    pub amount: Money,
    /// The realised cost (LINE only).
    pub cost: Option<Money>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
