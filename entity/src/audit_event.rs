//! One link of the append-only, hash-chained audit log.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
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
    /// Visibility, not hashed: the orderer organisation whose users may read the event.
    pub orderer_id: Option<String>,
    /// Visibility, not hashed: hidden from everyone until then (a sealed bid's event).
    pub sealed_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
