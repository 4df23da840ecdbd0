//! Queries: each authorises through a service and wraps the result.

use super::types::{
    Appropriation, CostCalculation, GqlOrganizationKind, Organization, Product, User,
};
use super::{caller, state};
use crate::service::{budget, catalogue, costing, identity};
use async_graphql::{Context, ID, Object, Result};

pub struct Query;

#[Object]
impl Query {
    /// The logged-in user, or null without a token.
    async fn me(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(identity::me(state(ctx)?, caller(ctx)?).await?.map(User))
    }

    /// Organisations, optionally of one kind (logged-in users).
    async fn organizations(
        &self,
        ctx: &Context<'_>,
        kind: Option<GqlOrganizationKind>,
    ) -> Result<Vec<Organization>> {
        let orgs = identity::organizations(state(ctx)?, caller(ctx)?, kind.map(Into::into)).await?;
        Ok(orgs.into_iter().map(Organization).collect())
    }

    /// The product catalogue, optionally one category (public).
    async fn products(&self, ctx: &Context<'_>, category: Option<String>) -> Result<Vec<Product>> {
        let ps = catalogue::products(state(ctx)?, category.as_deref()).await?;
        Ok(ps.into_iter().map(Product).collect())
    }

    /// Appropriations of a fiscal year: all for ADMIN, the own organisation's for an ORDERER.
    async fn appropriations(
        &self,
        ctx: &Context<'_>,
        fiscal_year: i32,
    ) -> Result<Vec<Appropriation>> {
        let list = budget::appropriations(state(ctx)?, caller(ctx)?, fiscal_year).await?;
        Ok(list.into_iter().map(Appropriation).collect())
    }

    /// In-house cost calculations: all for ADMIN and ORDERER users, the own for an in-house producer.
    async fn cost_calculations(
        &self,
        ctx: &Context<'_>,
        producer_id: Option<ID>,
        fiscal_year: Option<i32>,
    ) -> Result<Vec<CostCalculation>> {
        let list = costing::list(
            state(ctx)?,
            caller(ctx)?,
            producer_id.as_ref().map(|p| p.as_str()),
            fiscal_year,
        )
        .await?;
        Ok(list.into_iter().map(CostCalculation).collect())
    }
}
