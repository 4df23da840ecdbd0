//! A call for tenders (tarjouspyyntö). The stored status never says EVALUATION: that status
//! is derived from the clock once the submission deadline has passed.
use crate::types::{CallStatus, CreditRating, Money, PricingModel};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "call_for_tenders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub orderer_id: String,
    pub title: String,
    pub description: String,
    /// Lower-cased title and description, for the free-text search.
    pub search_text: String,
    /// DRAFT, PUBLISHED, CANCELLED, AWARDED, CONTRACTED or UNSUCCESSFUL.
    pub status: CallStatus,
    /// UNIT_PRICE or LUMP_SUM.
    pub pricing_model: PricingModel,
    pub contract_start: Date,
    pub contract_end: Date,
    pub questions_deadline: DateTimeUtc,
    pub submission_deadline: DateTimeUtc,
    pub standstill_days: i32,
    pub price_weight: i32,
    pub min_turnover_ratio: Option<Money>,
    pub min_equity_ratio: Option<Money>,
    /// AAA, AA, A, B or C.
    pub min_credit_rating: Option<CreditRating>,
    pub max_subcontracting_share: Option<Money>,
    pub created_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub cancel_reason: Option<String>,
    /// Why the orderer declared the call unsuccessful.
    pub unsuccessful_reason: Option<String>,
    /// The head of the call's sealed log (its last sequence number and hash). Never shown:
    /// the number of bid events is what the seal hides.
    pub sealed_seq: i64,
    pub sealed_hash: String,
    /// When the sealed log was anchored in the main chain (the bids were opened).
    pub bids_opened_at: Option<DateTimeUtc>,
    /// 1 when published; + 1 with every change made after publication.
    pub version: i32,
    /// The version of the latest material change (lines, weights, criteria, requirements):
    /// a bid submitted against an earlier version is not current.
    pub material_version: i32,
    /// The orderer's estimated value, excluding VAT.
    pub estimated_value: Option<Money>,
    /// The title and description in Swedish and English, where given (the Finnish ones are
    /// `title` and `description`).
    pub title_sv: Option<String>,
    pub title_en: Option<String>,
    pub description_sv: Option<String>,
    pub description_en: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
