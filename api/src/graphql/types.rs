//! Output types. Each wraps an entity model and exposes only the fields the contract names,
//! so a column added to a table never reaches a client by accident.

use super::scalars::Dec;
use crate::error::AppError;
use crate::service::budget::AppropriationView;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, Object, Result};
use entity::{cost_calculation, grant, organization, product, user};

use super::loaders::{OrganizationLoader, ProductLoader, TiesByUser};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "Role", remote = "entity::Role")]
pub enum GqlRole {
    Admin,
    Orderer,
    Producer,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "OrganizationKind", remote = "entity::OrganizationKind")]
pub enum GqlOrganizationKind {
    Administration,
    Orderer,
    InHouseProducer,
    ExternalProvider,
}

/// Loads one organisation that must exist (a foreign key guarantees it).
pub(crate) async fn organization_by_id(ctx: &Context<'_>, id: &str) -> Result<Organization> {
    super::loaders::kept_one::<OrganizationLoader>(ctx, id)
        .await?
        .map(Organization)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("organization {id} is missing")).into())
}

pub(crate) async fn product_by_id(ctx: &Context<'_>, id: &str) -> Result<Product> {
    super::loaders::kept_one::<ProductLoader>(ctx, id)
        .await?
        .map(Product)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("product {id} is missing")).into())
}

/// A party: the administration, an orderer board, or a producer.
pub struct Organization(pub organization::Model);

#[Object]
impl Organization {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> GqlOrganizationKind {
        self.0.kind.into()
    }
    /// Finnish business ID (Y-tunnus), e.g. 1234567-8.
    async fn business_id(&self) -> Option<&str> {
        self.0.business_id.as_deref()
    }
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// Street address, where given (notices name the buyer and the winner with it).
    async fn street_address(&self) -> Option<&str> {
        self.0.street_address.as_deref()
    }
    /// Finnish postal code, where given.
    async fn postal_code(&self) -> Option<&str> {
        self.0.postal_code.as_deref()
    }
    async fn city(&self) -> Option<&str> {
        self.0.city.as_deref()
    }
    /// NUTS 2024 level-3 region (e.g. FI1C7, Kymenlaakso), where given.
    async fn nuts_code(&self) -> Option<&str> {
        self.0.nuts_code.as_deref()
    }
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
}

pub struct User(pub user::Model);

#[Object]
impl User {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn role(&self) -> GqlRole {
        self.0.role.into()
    }
    async fn organization(&self, ctx: &Context<'_>) -> Result<Organization> {
        organization_by_id(ctx, &self.0.organization_id).await
    }
    /// The language the user is written to in (FI unless chosen).
    async fn language(&self) -> GqlLanguage {
        self.0.language.into()
    }
    /// Whether the user is disabled (cannot log in, its tokens refused). Visible to admins
    /// and to members of the user's own organisation; anyone else gets FORBIDDEN.
    async fn disabled(&self, ctx: &Context<'_>) -> Result<bool> {
        let caller = super::caller(ctx)?;
        let sees = caller.actor().is_some_and(|a| {
            a.role == entity::Role::Admin || a.organization_id == self.0.organization_id
        });
        if !sees {
            return Err(AppError::forbidden(
                "only admins and the user's own organisation see whether a user is disabled",
            )
            .into());
        }
        Ok(self.0.disabled)
    }
    /// Organisations this user has declared a tie to; such a user cannot evaluate their bids.
    async fn declared_ties(&self, ctx: &Context<'_>) -> Result<Vec<Organization>> {
        let ties = ctx.data::<DataLoader<TiesByUser>>()?;
        let ids: Vec<String> = ties
            .load_one(self.0.id.clone())
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.organization_id)
            .collect();
        let orgs = ctx.data::<DataLoader<OrganizationLoader>>()?;
        let found = orgs.load_many(ids.iter().cloned()).await?;
        Ok(ids
            .iter()
            .filter_map(|id| found.get(id).cloned().map(Organization))
            .collect())
    }
}

/// A page of an organisation's users.
#[derive(async_graphql::SimpleObject)]
pub struct UserConnection {
    pub edges: Vec<UserEdge>,
    pub page_info: super::calls::PageInfo,
    /// How many users the organisation has in all.
    pub total_count: i32,
}

#[derive(async_graphql::SimpleObject)]
pub struct UserEdge {
    pub node: User,
    pub cursor: String,
}

pub struct AuthPayload {
    pub token: String,
    pub user: user::Model,
}

#[Object]
impl AuthPayload {
    /// A bearer token: send it as `Authorization: Bearer <token>`.
    async fn token(&self) -> &str {
        &self.token
    }
    async fn user(&self) -> User {
        User(self.user.clone())
    }
}

/// A productized service (tuote), e.g. "home care, hour".
pub struct Product(pub product::Model);

#[Object]
impl Product {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn unit(&self) -> &str {
        &self.0.unit
    }
    async fn category(&self) -> &str {
        &self.0.category
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// CPV 2008 code with its check digit, e.g. 85312000-9
    async fn cpv_code(&self) -> Option<&str> {
        self.0.cpv_code.as_deref()
    }
    /// Which notice thresholds the product's calls follow.
    async fn service_kind(&self) -> GqlServiceKind {
        self.0.service_kind.into()
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "Language", remote = "entity::Language")]
pub enum GqlLanguage {
    Fi,
    Sv,
    En,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "ServiceKind", remote = "entity::ServiceKind")]
pub enum GqlServiceKind {
    General,
    SocialAndHealth,
    OtherSpecific,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "NoticeRegime")]
pub enum GqlNoticeRegime {
    BelowNational,
    National,
    Eu,
}

impl From<crate::domain::thresholds::Regime> for GqlNoticeRegime {
    fn from(r: crate::domain::thresholds::Regime) -> Self {
        use crate::domain::thresholds::Regime;
        match r {
            Regime::BelowNational => GqlNoticeRegime::BelowNational,
            Regime::National => GqlNoticeRegime::National,
            Regime::Eu => GqlNoticeRegime::Eu,
        }
    }
}

/// Which eForms notice (`Query.notice`).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "NoticeKind")]
pub enum GqlNoticeKind {
    /// On publication: subtype 16 (20 for social and other specific services) in the EU
    /// regime, E3 otherwise.
    ContractNotice,
    /// On the contract's conclusion: 29 (33), or E4.
    ContractAwardNotice,
    /// On a contract amendment: 38.
    ContractModificationNotice,
}

impl From<GqlNoticeKind> for crate::domain::eforms::Kind {
    fn from(k: GqlNoticeKind) -> Self {
        use crate::domain::eforms::Kind;
        match k {
            GqlNoticeKind::ContractNotice => Kind::Contract,
            GqlNoticeKind::ContractAwardNotice => Kind::Award,
            GqlNoticeKind::ContractModificationNotice => Kind::Modification,
        }
    }
}

/// The domain's kind of a stored product's kind.
pub fn service_kind(k: entity::ServiceKind) -> crate::domain::thresholds::ServiceKind {
    use crate::domain::thresholds::ServiceKind as D;
    match k {
        entity::ServiceKind::General => D::General,
        entity::ServiceKind::SocialAndHealth => D::SocialAndHealth,
        entity::ServiceKind::OtherSpecific => D::OtherSpecific,
    }
}

pub struct CostCalculation(pub cost_calculation::Model);

#[Object]
impl CostCalculation {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn product(&self, ctx: &Context<'_>) -> Result<Product> {
        product_by_id(ctx, &self.0.product_id).await
    }
    async fn producer(&self, ctx: &Context<'_>) -> Result<Organization> {
        organization_by_id(ctx, &self.0.producer_id).await
    }
    async fn fiscal_year(&self) -> i32 {
        self.0.fiscal_year
    }
    async fn volume(&self) -> Dec {
        Dec(self.0.volume.0)
    }
    async fn direct_costs(&self) -> Dec {
        Dec(self.0.direct_costs.0)
    }
    /// 0.25 = 25 % on top of direct costs.
    async fn overhead_rate(&self) -> Dec {
        Dec(self.0.overhead_rate.0)
    }
    /// directCosts x (1 + overheadRate) / volume.
    async fn unit_cost(&self) -> Result<Dec> {
        Ok(Dec(crate::service::costing::unit_cost(&self.0)?))
    }
}

/// An orderer's appropriation (määräraha) for a fiscal year.
pub struct Appropriation(pub AppropriationView);

#[Object]
impl Appropriation {
    async fn orderer(&self, ctx: &Context<'_>) -> Result<Organization> {
        organization_by_id(ctx, &self.0.orderer_id).await
    }
    async fn fiscal_year(&self) -> i32 {
        self.0.fiscal_year
    }
    async fn amount(&self) -> Dec {
        Dec(self.0.amount)
    }
    /// The value of active contracts falling in this year.
    async fn committed(&self) -> Dec {
        Dec::money(self.0.committed)
    }
    async fn available(&self) -> Dec {
        Dec::money(self.0.available())
    }
}

/// A grant (avustus) from an orderer to a producer for a fiscal year.
pub struct Grant(pub grant::Model);

#[Object]
impl Grant {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn orderer(&self, ctx: &Context<'_>) -> Result<Organization> {
        organization_by_id(ctx, &self.0.orderer_id).await
    }
    async fn recipient(&self, ctx: &Context<'_>) -> Result<Organization> {
        organization_by_id(ctx, &self.0.recipient_id).await
    }
    async fn fiscal_year(&self) -> i32 {
        self.0.fiscal_year
    }
    async fn amount(&self) -> Dec {
        Dec(self.0.amount.0)
    }
}
