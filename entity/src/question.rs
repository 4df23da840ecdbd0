//! A producer's question on a call and the orderer's public answer. The asker is kept for
//! the record and shown to nobody outside the asker's own organisation.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "question")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub call_id: String,
    pub asker_organization_id: String,
    pub asker_user_id: String,
    pub text: String,
    pub answer: Option<String>,
    pub asked_at: DateTimeUtc,
    pub answered_at: Option<DateTimeUtc>,
    pub answered_by: Option<String>,
    /// Random; the audit event carries SHA-256(asker user id ":" nonce), not the asker.
    pub asker_nonce: Option<String>,
    /// When a published answer was replaced by another (null unless it was).
    pub answer_edited_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
