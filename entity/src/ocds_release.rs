//! One published OCDS release of a call: written once with the change it publishes, never
//! updated. Its id is made from the call's ocid, `seq` and `tag`; `sections` holds the
//! release's other fields (buyer, parties, tender, awards, contracts) as JSON.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ocds_release")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub call_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i32,
    pub tag: String,
    pub date: DateTimeUtc,
    pub sections: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
