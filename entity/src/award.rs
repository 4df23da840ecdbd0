//! An award decision: of a call awarded whole (its id is the call's) or of one of its lots
//! (its id is the lot's).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "award_decision")]
pub struct Model {
    /// What was awarded: the call's id, or the lot's.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub call_id: String,
    pub lot_id: Option<String>,
    pub bid_id: String,
    pub justification: String,
    pub decided_by: String,
    pub decided_at: DateTimeUtc,
    pub standstill_ends_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
