//! An appeal to the Market Court (valitus) about a call's decision, as the orderer records it.
use crate::types::AppealStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "appeal")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub call_id: String,
    /// The lot whose award the appeal is about; null for a call awarded whole.
    pub lot_id: Option<String>,
    /// The bidder organisation that appealed.
    pub appellant_id: String,
    pub case_number: String,
    pub filed_at: DateTimeUtc,
    pub status: AppealStatus,
    pub outcome: Option<String>,
    pub recorded_by: String,
    pub recorded_at: DateTimeUtc,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
