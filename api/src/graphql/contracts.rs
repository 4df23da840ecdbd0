//! GraphQL types of service contracts, their versions, monthly reports and realisation, the
//! portfolio and the benchmark.

use super::calls::CallForTenders;
use super::loaders::{
    AlertsByContract, AmendmentsByContract, CallLoader, ContractLinesByContract, EntriesByContract,
    ReportsByContract, SignaturesByContract, UserLoader,
};
use super::scalars::{Dec, Ts};
use super::types::{Appropriation, Organization, Product, User, organization_by_id, product_by_id};
use super::{caller, request_time};
use crate::domain::call::{Viewer, can_see_call};
use crate::domain::contract::{
    self as dc,
    portfolio::{PortfolioTotals, portfolio_totals},
};
use crate::service::budget::AppropriationView;
use crate::service::contracts as svc;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::NaiveDate;
use entity::{
    EntryKind, contract_amendment, contract_line, contract_signature, deviation_alert,
    performance_report, report_entry, service_contract as sc,
};
use rust_decimal::Decimal;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "Procedure", remote = "entity::Procedure")]
pub enum GqlProcedure {
    Open,
    InHouse,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "ContractStatus", remote = "entity::ContractStatus")]
pub enum GqlContractStatus {
    Draft,
    Active,
    Completed,
    Terminated,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "RealizationStatus", remote = "entity::RealizationStatus")]
pub enum GqlRealizationStatus {
    OnTrack,
    Over,
    Under,
}

/// A service contract (palvelusopimus).
pub struct ServiceContract(pub sc::Model);

impl ServiceContract {
    async fn all_lines(&self, ctx: &Context<'_>) -> Result<Vec<contract_line::Model>> {
        Ok(ctx
            .data::<DataLoader<ContractLinesByContract>>()?
            .load_one(self.0.id.clone())
            .await?
            .unwrap_or_default())
    }

    async fn lines_of(&self, ctx: &Context<'_>, version: i32) -> Result<Vec<ContractLine>> {
        Ok(self
            .all_lines(ctx)
            .await?
            .into_iter()
            .filter(|l| l.version == version)
            .map(ContractLine)
            .collect())
    }

    async fn entries(&self, ctx: &Context<'_>) -> Result<Vec<report_entry::Model>> {
        Ok(ctx
            .data::<DataLoader<EntriesByContract>>()?
            .load_one(self.0.id.clone())
            .await?
            .unwrap_or_default())
    }

    async fn months(&self, ctx: &Context<'_>) -> Result<Vec<performance_report::Model>> {
        Ok(ctx
            .data::<DataLoader<ReportsByContract>>()?
            .load_one(self.0.id.clone())
            .await?
            .unwrap_or_default())
    }
}

#[Object]
impl ServiceContract {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// Documents either party attached (both parties and admins read them).
    async fn documents(&self, ctx: &Context<'_>) -> Result<Vec<super::documents::Document>> {
        super::documents::of(ctx, crate::service::documents::CONTRACT, &self.0.id).await
    }
    async fn orderer(&self, ctx: &Context<'_>) -> Result<Organization> {
        organization_by_id(ctx, &self.0.orderer_id).await
    }
    async fn producer(&self, ctx: &Context<'_>) -> Result<Organization> {
        organization_by_id(ctx, &self.0.producer_id).await
    }
    /// The lot the contract was awarded in, for a call in lots.
    async fn lot(&self, ctx: &Context<'_>) -> Result<Option<super::lots::Lot>> {
        super::lots::lot_by_id(ctx, self.0.lot_id.as_ref()).await
    }
    /// The call the contract was awarded from (procedure OPEN), whole or by lot.
    async fn call(&self, ctx: &Context<'_>) -> Result<Option<CallForTenders>> {
        let Some(id) = &self.0.source_call_id else {
            return Ok(None);
        };
        let c = ctx
            .data::<DataLoader<CallLoader>>()?
            .load_one(id.clone())
            .await?;
        let viewer = caller(ctx)?.viewer();
        Ok(
            c.filter(|c| can_see_call(viewer, &c.orderer_id, c.published_at.is_some()))
                .map(CallForTenders),
        )
    }
    async fn procedure(&self) -> GqlProcedure {
        self.0.procedure.into()
    }
    async fn pricing_model(&self) -> super::calls::GqlPricingModel {
        self.0.pricing_model.into()
    }
    /// ACTIVE reads COMPLETED once the end date has passed.
    async fn status(&self, ctx: &Context<'_>) -> Result<GqlContractStatus> {
        Ok(svc::status_at(&self.0, request_time(ctx)?.date_naive()).into())
    }
    async fn start_date(&self) -> NaiveDate {
        self.0.start_date
    }
    async fn end_date(&self) -> NaiveDate {
        self.0.end_date
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The current version's lines.
    async fn lines(&self, ctx: &Context<'_>) -> Result<Vec<ContractLine>> {
        self.lines_of(ctx, self.0.version).await
    }
    /// The lines of any version, the original (1) included: old versions stay readable.
    async fn lines_of_version(&self, ctx: &Context<'_>, version: i32) -> Result<Vec<ContractLine>> {
        self.lines_of(ctx, version).await
    }
    async fn total_value(&self) -> Dec {
        Dec::money(self.0.total_value.0)
    }
    async fn max_subcontracting_share(&self) -> Option<Dec> {
        self.0.max_subcontracting_share.map(|m| Dec(m.0))
    }
    /// Each party's signature, in the order they signed; activation needs both.
    async fn signatures(&self, ctx: &Context<'_>) -> Result<Vec<Signature>> {
        Ok(ctx
            .data::<DataLoader<SignaturesByContract>>()?
            .load_one(self.0.id.clone())
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Signature)
            .collect())
    }
    /// Every amendment, oldest first, each with the lines of the version it made.
    async fn amendments(&self, ctx: &Context<'_>) -> Result<Vec<Amendment>> {
        let all = self.all_lines(ctx).await?;
        let amendments = ctx
            .data::<DataLoader<AmendmentsByContract>>()?
            .load_one(self.0.id.clone())
            .await?
            .unwrap_or_default();
        Ok(amendments
            .into_iter()
            .map(|a| {
                let lines = all
                    .iter()
                    .filter(|l| l.version == a.version)
                    .cloned()
                    .map(ContractLine)
                    .collect();
                Amendment {
                    amendment: a,
                    lines,
                    start: self.0.start_date,
                }
            })
            .collect())
    }
    /// The monthly reports, by month.
    async fn reports(&self, ctx: &Context<'_>) -> Result<Vec<PerformanceReport>> {
        let entries = self.entries(ctx).await?;
        Ok(self
            .months(ctx)
            .await?
            .into_iter()
            .map(|m| {
                let own = entries
                    .iter()
                    .filter(|e| e.period == m.period)
                    .cloned()
                    .collect();
                PerformanceReport {
                    report: m,
                    entries: own,
                }
            })
            .collect())
    }
    async fn realization(&self, ctx: &Context<'_>) -> Result<Realization> {
        let lines = self.all_lines(ctx).await?;
        let amendments = ctx
            .data::<DataLoader<AmendmentsByContract>>()?
            .load_one(self.0.id.clone())
            .await?
            .unwrap_or_default();
        let h = svc::history_from(&self.0, &amendments.iter().collect::<Vec<_>>());
        let months: Vec<String> = self
            .months(ctx)
            .await?
            .into_iter()
            .map(|m| m.period)
            .collect();
        let entries = self.entries(ctx).await?;
        Ok(Realization(svc::realization_of(
            &self.0, &h, &lines, &months, &entries,
        )))
    }
    /// Deviation alerts (realisation turned OVER or UNDER); for the orderer and admins.
    async fn deviation_alerts(&self, ctx: &Context<'_>) -> Result<Vec<DeviationAlert>> {
        let allowed = match caller(ctx)?.viewer() {
            Viewer::Admin => true,
            Viewer::Orderer(org) => org == self.0.orderer_id,
            _ => false,
        };
        if !allowed {
            return Ok(Vec::new());
        }
        let alerts = ctx
            .data::<DataLoader<AlertsByContract>>()?
            .load_one(self.0.id.clone())
            .await?;
        Ok(alerts
            .unwrap_or_default()
            .into_iter()
            .map(DeviationAlert)
            .collect())
    }
    /// Why and when the contract was terminated, if it was.
    async fn terminated_on(&self) -> Option<NaiveDate> {
        self.0.terminated_on
    }
    async fn termination_reason(&self) -> Option<&str> {
        self.0.termination_reason.as_deref()
    }
}

pub struct ContractLine(contract_line::Model);

#[Object]
impl ContractLine {
    async fn product(&self, ctx: &Context<'_>) -> Result<Product> {
        product_by_id(ctx, &self.0.product_id).await
    }
    async fn quantity(&self) -> Dec {
        Dec(self.0.quantity.0)
    }
    async fn unit_price(&self) -> Dec {
        Dec(self.0.unit_price.0)
    }
    async fn line_total(&self) -> Dec {
        Dec::money(crate::domain::money::line_total(
            self.0.quantity.0,
            self.0.unit_price.0,
        ))
    }
}

pub struct Amendment {
    amendment: contract_amendment::Model,
    lines: Vec<ContractLine>,
    /// The contract's start: when amendments older than `effectiveFrom` took effect.
    start: NaiveDate,
}

#[Object]
impl Amendment {
    async fn version(&self) -> i32 {
        self.amendment.version
    }
    async fn reason(&self) -> &str {
        &self.amendment.reason
    }
    /// New total value minus the previous version's.
    async fn value_delta(&self) -> Dec {
        Dec::money(self.amendment.value_delta.0)
    }
    async fn created_at(&self) -> Ts {
        Ts(self.amendment.created_at)
    }
    /// The day this version's lines take effect: months before it keep the earlier prices.
    async fn effective_from(&self) -> NaiveDate {
        self.amendment.effective_from.unwrap_or(self.start)
    }
    /// The full line set of this version.
    async fn lines(&self) -> &[ContractLine] {
        &self.lines
    }
}

pub struct PerformanceReport {
    pub report: performance_report::Model,
    pub entries: Vec<report_entry::Model>,
}

#[Object]
impl PerformanceReport {
    /// YYYY-MM
    async fn period(&self) -> &str {
        &self.report.period
    }
    async fn lines(&self) -> Vec<ReportLine> {
        self.entries
            .iter()
            .filter(|e| e.kind == EntryKind::Line)
            .cloned()
            .map(ReportLine)
            .collect()
    }
    async fn feedback_count(&self) -> i32 {
        self.report.feedback_count
    }
    /// 1..5
    async fn feedback_average(&self) -> Option<Dec> {
        self.report.feedback_average.map(|m| Dec(m.0))
    }
    async fn quality_measurements(&self) -> Vec<QualityMeasurement> {
        self.entries
            .iter()
            .filter(|e| e.kind == EntryKind::Quality)
            .map(|e| QualityMeasurement {
                metric: e.subject.clone(),
                value: Dec(e.amount.0),
            })
            .collect()
    }
}

pub struct ReportLine(report_entry::Model);

#[Object]
impl ReportLine {
    async fn product(&self, ctx: &Context<'_>) -> Result<Product> {
        product_by_id(ctx, &self.0.subject).await
    }
    async fn quantity(&self) -> Dec {
        Dec(self.0.amount.0)
    }
    async fn cost(&self) -> Dec {
        Dec(self.0.cost.map(|c| c.0).unwrap_or_default())
    }
}

#[derive(SimpleObject)]
pub struct QualityMeasurement {
    pub metric: String,
    pub value: Dec,
}

/// Realisation against the contract, from the reports alone.
pub struct Realization(dc::Realization);

#[Object]
impl Realization {
    async fn contracted_value(&self) -> Dec {
        Dec::money(self.0.contracted)
    }
    /// Realised quantity x contract unit price, to date.
    async fn delivered_value(&self) -> Dec {
        Dec::money(self.0.delivered)
    }
    /// deliveredValue / expected value to date x 100, rounded half-up to 2 decimals.
    async fn percent(&self) -> Dec {
        Dec::rounded(self.0.percent)
    }
    /// Straight-line to the contract end, rounded half-up to cents.
    async fn forecast_value(&self) -> Dec {
        Dec::rounded(self.0.forecast)
    }
    /// OVER/UNDER when the forecast deviates from the contracted value by more than 10 %.
    async fn status(&self) -> GqlRealizationStatus {
        self.0.status.into()
    }
}

pub struct DeviationAlert(deviation_alert::Model);

#[Object]
impl DeviationAlert {
    async fn status(&self) -> GqlRealizationStatus {
        self.0.status.into()
    }
    async fn previous_status(&self) -> GqlRealizationStatus {
        self.0.previous_status.into()
    }
    /// The month whose report turned the realisation.
    async fn period(&self) -> &str {
        &self.0.period
    }
    async fn forecast_value(&self) -> Dec {
        Dec::rounded(self.0.forecast.0)
    }
    async fn contracted_value(&self) -> Dec {
        Dec::money(self.0.contracted.0)
    }
    async fn created_at(&self) -> Ts {
        Ts(self.0.created_at)
    }
}

/// An orderer's contract portfolio (sopimussalkku) for a fiscal year.
pub struct Portfolio {
    pub orderer_id: String,
    pub fiscal_year: i32,
    pub rows: Vec<(sc::Model, Decimal, bool)>,
    pub appropriation: Option<AppropriationView>,
}

impl Portfolio {
    fn totals(&self) -> PortfolioTotals {
        portfolio_totals(
            self.rows
                .iter()
                .map(|(_, value, in_house)| (*value, *in_house)),
        )
    }
}

#[Object]
impl Portfolio {
    async fn orderer(&self, ctx: &Context<'_>) -> Result<Organization> {
        organization_by_id(ctx, &self.orderer_id).await
    }
    async fn fiscal_year(&self) -> i32 {
        self.fiscal_year
    }
    /// ACTIVE and COMPLETED contracts with days in the year.
    async fn contracts(&self) -> Vec<ServiceContract> {
        self.rows
            .iter()
            .map(|(c, _, _)| ServiceContract(c.clone()))
            .collect()
    }
    /// The contracts' value falling in the year.
    async fn total_value(&self) -> Dec {
        Dec::money(self.totals().total)
    }
    async fn in_house_value(&self) -> Dec {
        Dec::money(self.totals().in_house)
    }
    async fn external_value(&self) -> Dec {
        Dec::money(self.totals().external)
    }
    /// In-house value / total value x 100 (0 without contracts), rounded half-up to 2 decimals.
    async fn in_house_share(&self) -> Dec {
        Dec::rounded(self.totals().in_house_share)
    }
    async fn appropriation(&self) -> Option<Appropriation> {
        self.appropriation.clone().map(Appropriation)
    }
}

/// Benchmarking of a product in a fiscal year.
pub struct Benchmark {
    pub product: entity::product::Model,
    pub fiscal_year: i32,
    pub figures: svc::BenchmarkFigures,
}

#[Object]
impl Benchmark {
    async fn product(&self) -> Product {
        Product(self.product.clone())
    }
    async fn fiscal_year(&self) -> i32 {
        self.fiscal_year
    }
    async fn in_house_unit_cost(&self) -> Option<Dec> {
        self.figures.in_house_unit_cost.map(Dec)
    }
    async fn in_house_bid_prices(&self) -> Vec<Dec> {
        self.figures
            .in_house_bid_prices
            .iter()
            .copied()
            .map(Dec)
            .collect()
    }
    /// Unit prices of current external bids on decided calls whose contract starts in the year.
    async fn market_count(&self) -> i32 {
        i32::try_from(self.figures.market.count).unwrap_or(i32::MAX)
    }
    /// Null unless the prices come from at least 3 distinct external bidders.
    async fn market_min(&self) -> Option<Dec> {
        self.figures.market.min.map(Dec)
    }
    /// The median of an even count is the mean of the middle two; null unless the prices
    /// come from at least 3 distinct external bidders.
    async fn market_median(&self) -> Option<Dec> {
        self.figures.market.median.map(Dec)
    }
    /// Null unless the prices come from at least 3 distinct external bidders.
    async fn market_max(&self) -> Option<Dec> {
        self.figures.market.max.map(Dec)
    }
    /// inHouse unit cost / market median x 100, rounded half-up to 2 decimals; null without both.
    async fn in_house_index(&self) -> Option<Dec> {
        dc::in_house_index(self.figures.in_house_unit_cost, self.figures.market.median)
            .map(Dec::rounded)
    }
}

#[derive(InputObject)]
pub struct ContractLineInput {
    pub product_id: ID,
    pub quantity: Dec,
    pub unit_price: Dec,
}

#[derive(InputObject)]
pub struct DirectContractInput {
    pub producer_id: ID,
    pub pricing_model: super::calls::GqlPricingModel,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub lines: Vec<ContractLineInput>,
    pub max_subcontracting_share: Option<Dec>,
}

#[derive(InputObject)]
pub struct ReportLineInput {
    pub product_id: ID,
    pub quantity: Dec,
    pub cost: Dec,
}

#[derive(InputObject)]
pub struct QualityMeasurementInput {
    pub metric: String,
    pub value: Dec,
}

#[derive(InputObject)]
pub struct PerformanceReportInput {
    pub contract_id: ID,
    pub period: String,
    pub lines: Vec<ReportLineInput>,
    pub feedback_count: i32,
    pub feedback_average: Option<Dec>,
    pub quality_measurements: Vec<QualityMeasurementInput>,
}

/// Converts client lines for the service.
pub fn line_inputs(lines: Vec<ContractLineInput>) -> Vec<svc::LineInput> {
    lines
        .into_iter()
        .map(|l| svc::LineInput {
            product_id: l.product_id.0,
            quantity: l.quantity.0,
            unit_price: l.unit_price.0,
        })
        .collect()
}

/// A party's signature of a contract: the organisation, who signed for it and when.
pub struct Signature(pub contract_signature::Model);

#[Object]
impl Signature {
    async fn organization(&self, ctx: &Context<'_>) -> Result<Organization> {
        organization_by_id(ctx, &self.0.organization_id).await
    }
    async fn signed_by(&self, ctx: &Context<'_>) -> Result<User> {
        ctx.data::<DataLoader<UserLoader>>()?
            .load_one(self.0.signed_by.clone())
            .await?
            .map(User)
            .ok_or_else(|| {
                crate::error::AppError::Internal(anyhow::anyhow!("signer missing")).into()
            })
    }
    async fn signed_at(&self) -> Ts {
        Ts(self.0.signed_at)
    }
}
