//! An uploaded document: its name and type, who uploaded it for which organisation, and the
//! object it is attached to (`owner_kind` CALL, BID or CONTRACT and `owner_id`; none while it
//! is the uploader organisation's alone). The content is `document_blob` by `sha256`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "document")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub sha256: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_by: String,
    pub organization_id: String,
    pub uploaded_at: DateTimeUtc,
    pub owner_kind: Option<String>,
    pub owner_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
