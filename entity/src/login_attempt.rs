//! Login attempts that did not (yet) succeed, counted per subject (a hashed account-and-address
//! or address) and fixed window; all replicas share the counts through the database.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_attempt")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub subject: String,
    /// The Unix second the window starts at.
    #[sea_orm(primary_key, auto_increment = false)]
    pub window_start: i64,
    pub attempts: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
