use crate::types::ServiceKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "product")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub unit: String,
    pub category: String,
    pub description: Option<String>,
    pub created_at: DateTimeUtc,
    /// CPV 2008 code with its check digit, e.g. 85312000-9.
    pub cpv_code: Option<String>,
    pub service_kind: ServiceKind,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
