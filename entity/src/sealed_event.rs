//! One link of a call's sealed log: the events of its sealed bids (submit, replace, withdraw,
//! receipt mail), hash-chained on their own and anchored in the main chain at the opening.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sealed_event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub call_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub at: DateTimeUtc,
    pub actor_user_id: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// Canonical JSON of the change.
    pub summary: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
