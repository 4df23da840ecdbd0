//! A producer organisation's one bid on a call; a new submission replaces it.
use crate::types::{BidStatus, CreditRating, Money};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bid")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub call_id: String,
    pub bidder_id: String,
    pub submitted_by: String,
    pub in_house: bool,
    /// SUBMITTED or WITHDRAWN.
    pub status: BidStatus,
    pub version: i32,
    pub total_price: Money,
    pub annual_turnover: Money,
    pub equity_ratio: Money,
    /// AAA, AA, A, B or C.
    pub credit_rating: CreditRating,
    pub subcontracting_share: Money,
    pub submitted_at: DateTimeUtc,
    pub receipt: String,
    pub withdrawn_at: Option<DateTimeUtc>,
    /// The call version the bid was (last) submitted against.
    pub call_version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
