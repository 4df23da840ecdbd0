//! A service contract (palvelusopimus) between an orderer and a producer. Its lines live per
//! version in `contract_line`; `version` and `total_value` are the current version's.
use crate::types::{ContractStatus, Money, PricingModel, Procedure, RealizationStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_contract")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub orderer_id: String,
    pub producer_id: String,
    #[sea_orm(unique)]
    pub call_id: Option<String>,
    /// The call the contract came from, awarded whole or by lot (null for a direct
    /// in-house contract). `call_id` is set only for a call awarded whole, and unique.
    pub source_call_id: Option<String>,
    /// The lot the contract was awarded in.
    #[sea_orm(unique)]
    pub lot_id: Option<String>,
    /// OPEN or IN_HOUSE.
    pub procedure: Procedure,
    /// UNIT_PRICE or LUMP_SUM.
    pub pricing_model: PricingModel,
    /// DRAFT, ACTIVE or TERMINATED; ACTIVE reads COMPLETED after the end date.
    pub status: ContractStatus,
    pub start_date: Date,
    pub end_date: Date,
    pub version: i32,
    pub total_value: Money,
    pub max_subcontracting_share: Option<Money>,
    /// ON_TRACK, OVER or UNDER as of the latest report, to notice transitions.
    pub realization_status: RealizationStatus,
    pub created_at: DateTimeUtc,
    pub activated_at: Option<DateTimeUtc>,
    pub terminated_on: Option<Date>,
    pub termination_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
