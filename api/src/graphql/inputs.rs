//! Input objects, named as in the contract.

use super::scalars::Dec;
use super::types::{GqlOrganizationKind, GqlRole};
use async_graphql::{ID, InputObject};

#[derive(InputObject)]
pub struct RegisterProviderInput {
    pub organization_name: String,
    pub business_id: String,
    pub email: String,
    pub password: String,
    pub name: String,
    /// FI unless given.
    pub language: Option<super::types::GqlLanguage>,
}

/// An organisation's details for eForms notices; a field left out keeps its value, a blank
/// one clears it.
#[derive(InputObject)]
pub struct OrganizationDetailsInput {
    pub street_address: Option<String>,
    /// Five digits.
    pub postal_code: Option<String>,
    pub city: Option<String>,
    /// NUTS 2024 level-3 region, e.g. FI1C7.
    pub nuts_code: Option<String>,
    pub phone: Option<String>,
    /// For an organisation made without a business ID (Y-tunnus): given once, never changed.
    pub business_id: Option<String>,
}

#[derive(InputObject)]
pub struct CreateOrganizationInput {
    pub name: String,
    pub kind: GqlOrganizationKind,
    pub business_id: Option<String>,
    pub email: Option<String>,
}

#[derive(InputObject)]
pub struct CreateUserInput {
    pub email: String,
    pub password: String,
    pub name: String,
    pub role: GqlRole,
    pub organization_id: ID,
    /// FI unless given.
    pub language: Option<super::types::GqlLanguage>,
}

#[derive(InputObject)]
#[graphql(name = "ProductInput")]
pub struct ProductInput {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub category: String,
    pub description: Option<String>,
    /// CPV 2008 code with its check digit, e.g. 85312000-9 (BAD_USER_INPUT otherwise).
    pub cpv_code: Option<String>,
    /// GENERAL unless given.
    pub service_kind: Option<super::types::GqlServiceKind>,
}

#[derive(InputObject)]
pub struct CostCalculationInput {
    pub product_id: ID,
    pub fiscal_year: i32,
    pub volume: Dec,
    pub direct_costs: Dec,
    pub overhead_rate: Dec,
}
