//! Mutations: each is one service call, which runs in one transaction.

use super::inputs::{
    CostCalculationInput, CreateOrganizationInput, CreateUserInput, ProductInput,
    RegisterProviderInput,
};
use super::scalars::Dec;
use super::types::{
    Appropriation, AuthPayload, CostCalculation, Grant, Organization, Product, User,
};
use super::{caller, state};
use crate::service::{budget, catalogue, costing, identity};
use async_graphql::{Context, ID, Object, Result};

pub struct Mutation;

#[Object]
impl Mutation {
    /// Exchanges an email and password for a token.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> Result<AuthPayload> {
        let (token, user) = identity::login(state(ctx)?, &email, &password).await?;
        Ok(AuthPayload { token, user })
    }

    /// Self-registration of an external provider: its organisation and first user.
    async fn register_provider(
        &self,
        ctx: &Context<'_>,
        input: RegisterProviderInput,
    ) -> Result<AuthPayload> {
        let (token, user) = identity::register_provider(
            state(ctx)?,
            identity::NewProvider {
                organization_name: &input.organization_name,
                business_id: &input.business_id,
                email: &input.email,
                password: &input.password,
                name: &input.name,
            },
        )
        .await?;
        Ok(AuthPayload { token, user })
    }

    /// ADMIN: creates an organisation of any kind.
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganizationInput,
    ) -> Result<Organization> {
        let org = identity::create_organization(
            state(ctx)?,
            caller(ctx)?,
            identity::NewOrganization {
                name: &input.name,
                kind: input.kind.into(),
                business_id: input.business_id.as_deref(),
                email: input.email.as_deref(),
            },
        )
        .await?;
        Ok(Organization(org))
    }

    /// ADMIN: creates a user whose role fits the organisation's kind.
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> Result<User> {
        let user = identity::create_user(
            state(ctx)?,
            caller(ctx)?,
            identity::NewUser {
                email: &input.email,
                password: &input.password,
                name: &input.name,
                role: input.role.into(),
                organization_id: &input.organization_id,
            },
        )
        .await?;
        Ok(User(user))
    }

    /// The caller declares a tie (e.g. a board seat) to an organisation.
    async fn declare_tie(&self, ctx: &Context<'_>, organization_id: ID) -> Result<User> {
        Ok(User(
            identity::declare_tie(state(ctx)?, caller(ctx)?, &organization_id).await?,
        ))
    }

    /// ADMIN: adds a product to the catalogue.
    async fn create_product(&self, ctx: &Context<'_>, input: ProductInput) -> Result<Product> {
        let p = catalogue::create_product(
            state(ctx)?,
            caller(ctx)?,
            catalogue::NewProduct {
                code: &input.code,
                name: &input.name,
                unit: &input.unit,
                category: &input.category,
                description: input.description.as_deref(),
            },
        )
        .await?;
        Ok(Product(p))
    }

    /// IN_HOUSE_PRODUCER: saves the calculation for a product and year, replacing an earlier one.
    async fn save_cost_calculation(
        &self,
        ctx: &Context<'_>,
        input: CostCalculationInput,
    ) -> Result<CostCalculation> {
        let c = costing::save(
            state(ctx)?,
            caller(ctx)?,
            costing::CostInput {
                product_id: &input.product_id,
                fiscal_year: input.fiscal_year,
                volume: input.volume.0,
                direct_costs: input.direct_costs.0,
                overhead_rate: input.overhead_rate.0,
            },
        )
        .await?;
        Ok(CostCalculation(c))
    }

    /// ADMIN: sets an orderer's appropriation for a fiscal year.
    async fn set_appropriation(
        &self,
        ctx: &Context<'_>,
        orderer_id: ID,
        fiscal_year: i32,
        amount: Dec,
    ) -> Result<Appropriation> {
        let a = budget::set_appropriation(
            state(ctx)?,
            caller(ctx)?,
            &orderer_id,
            fiscal_year,
            amount.0,
        )
        .await?;
        Ok(Appropriation(a))
    }

    /// ADMIN: records a grant from an orderer to a producer.
    async fn record_grant(
        &self,
        ctx: &Context<'_>,
        orderer_id: ID,
        recipient_id: ID,
        fiscal_year: i32,
        amount: Dec,
    ) -> Result<Grant> {
        let g = budget::record_grant(
            state(ctx)?,
            caller(ctx)?,
            &orderer_id,
            &recipient_id,
            fiscal_year,
            amount.0,
        )
        .await?;
        Ok(Grant(g))
    }
}
