//! A party's signature of a contract: the orderer's and the producer's organisation each sign
//! once (the orderer board and the producer board approve the contract).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contract_signature")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub contract_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: String,
    pub signed_by: String,
    pub signed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
