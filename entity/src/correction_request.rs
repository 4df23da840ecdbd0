//! A bidder's request that the orderer correct its award decision (hankintaoikaisu).
use crate::types::CorrectionStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "correction_request")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub call_id: String,
    /// The lot whose award the request is about; null for a call awarded whole.
    pub lot_id: Option<String>,
    /// The bidder organisation asking.
    pub requester_id: String,
    pub requested_by: String,
    pub text: String,
    pub submitted_at: DateTimeUtc,
    pub status: CorrectionStatus,
    pub decision: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
