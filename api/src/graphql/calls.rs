//! GraphQL types of calls for tenders, questions and sealed bids. Every `Bid` handed out
//! has passed the seal (`service::bids::may_see`); nested paths check it again.

use super::loaders::*;
use super::scalars::{Dec, Ts};
use super::types::{Organization, Product, organization_by_id, product_by_id};
use super::{caller, request_time};
use crate::domain::call::Viewer;
use crate::error::AppError;
use crate::service::{bids, calls};
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::NaiveDate;
use entity::{
    ResponseKind, bid, bid_line, call, call_line, capability_requirement, quality_criterion,
    question,
};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "CallStatus", remote = "entity::CallStatus")]
pub enum GqlCallStatus {
    Draft,
    Published,
    Evaluation,
    Awarded,
    Contracted,
    Cancelled,
    Unsuccessful,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "PricingModel", remote = "entity::PricingModel")]
pub enum GqlPricingModel {
    UnitPrice,
    LumpSum,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "CreditRating", remote = "entity::CreditRating")]
pub enum GqlCreditRating {
    #[graphql(name = "AAA")]
    Aaa,
    #[graphql(name = "AA")]
    Aa,
    A,
    B,
    C,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "BidStatus", remote = "entity::BidStatus")]
pub enum GqlBidStatus {
    Submitted,
    Withdrawn,
}

/// A call for tenders (tarjouspyyntö).
pub struct CallForTenders(pub call::Model);

impl CallForTenders {
    /// The deadline has passed and the call was not cancelled before it.
    fn bids_open(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(crate::service::seal::bids_open(&self.0, request_time(ctx)?))
    }
}

#[Object]
impl CallForTenders {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    async fn orderer(&self, ctx: &Context<'_>) -> Result<Organization> {
        organization_by_id(ctx, &self.0.orderer_id).await
    }
    /// EVALUATION from the submission deadline on, whoever reads it.
    async fn status(&self, ctx: &Context<'_>) -> Result<GqlCallStatus> {
        Ok(calls::status_at(&self.0, request_time(ctx)?).into())
    }
    async fn pricing_model(&self) -> GqlPricingModel {
        self.0.pricing_model.into()
    }
    async fn lines(&self, ctx: &Context<'_>) -> Result<Vec<CallLine>> {
        let lines = super::loaders::kept_one::<LinesByCall>(ctx, &self.0.id).await?;
        Ok(lines
            .unwrap_or_default()
            .into_iter()
            .map(CallLine)
            .collect())
    }
    /// The call's lots, by number; none on a call without lots.
    async fn lots(&self, ctx: &Context<'_>) -> Result<Vec<super::lots::Lot>> {
        super::lots::lots_of(ctx, &self.0.id).await
    }
    async fn contract_start(&self) -> NaiveDate {
        self.0.contract_start
    }
    /// The orderer's estimated value, excluding VAT (published with the call, as the notice
    /// carries it).
    async fn estimated_value(&self) -> Option<Dec> {
        self.0.estimated_value.map(|m| Dec::money(m.0))
    }
    /// The title in Swedish, where given (notices carry every language given).
    async fn title_sv(&self) -> Option<&str> {
        self.0.title_sv.as_deref()
    }
    /// The title in English, where given.
    async fn title_en(&self) -> Option<&str> {
        self.0.title_en.as_deref()
    }
    /// The description in Swedish, where given.
    async fn description_sv(&self) -> Option<&str> {
        self.0.description_sv.as_deref()
    }
    /// The description in English, where given.
    async fn description_en(&self) -> Option<&str> {
        self.0.description_en.as_deref()
    }
    /// Which notice the call is due, from its estimated value and the thresholds in force when
    /// it was published (a draft: today) for the highest-threshold service kind among its
    /// products (DESIGN "Notices, languages, lots"). No estimated value: BELOW_NATIONAL.
    async fn regime(&self, ctx: &Context<'_>) -> Result<super::types::GqlNoticeRegime> {
        let lines = ctx
            .data::<DataLoader<LinesByCall>>()?
            .load_one(self.0.id.clone())
            .await?
            .unwrap_or_default();
        let products = ctx
            .data::<DataLoader<super::loaders::ProductLoader>>()?
            .load_many(lines.iter().map(|l| l.product_id.clone()))
            .await?;
        let on = self
            .0
            .published_at
            .unwrap_or(request_time(ctx)?)
            .date_naive();
        let kinds = products
            .values()
            .map(|p| super::types::service_kind(p.service_kind));
        Ok(
            crate::domain::thresholds::regime(self.0.estimated_value.map(|m| m.0), kinds, on)
                .into(),
        )
    }
    async fn contract_end(&self) -> NaiveDate {
        self.0.contract_end
    }
    async fn questions_deadline(&self) -> Ts {
        Ts(self.0.questions_deadline)
    }
    async fn submission_deadline(&self) -> Ts {
        Ts(self.0.submission_deadline)
    }
    async fn standstill_days(&self) -> i32 {
        self.0.standstill_days
    }
    async fn criteria(&self) -> EvaluationCriteria {
        EvaluationCriteria(self.0.clone())
    }
    async fn published_at(&self) -> Option<Ts> {
        self.0.published_at.map(Ts)
    }
    /// When and why the call was cancelled, if it was.
    async fn cancelled_at(&self) -> Option<Ts> {
        self.0.cancelled_at.map(Ts)
    }
    async fn cancel_reason(&self) -> Option<&str> {
        self.0.cancel_reason.as_deref()
    }
    /// The call's documents (public with the call).
    async fn documents(&self, ctx: &Context<'_>) -> Result<Vec<super::documents::Document>> {
        super::documents::of(ctx, crate::service::documents::CALL, &self.0.id).await
    }
    /// 1 when published; + 1 with every change made after publication.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The changes made after publication, oldest first (a draft's edits are not listed).
    async fn changes(&self, ctx: &Context<'_>) -> Result<Vec<CallChange>> {
        let list = ctx
            .data::<DataLoader<ChangesByCall>>()?
            .load_one(self.0.id.clone())
            .await?;
        Ok(list
            .unwrap_or_default()
            .into_iter()
            .map(CallChange)
            .collect())
    }
    /// Answered questions are public; the orderer also sees unanswered ones, and a producer
    /// its own. Who asked is never shown.
    async fn questions(&self, ctx: &Context<'_>) -> Result<Vec<Question>> {
        let viewer = caller(ctx)?.viewer();
        let all = ctx
            .data::<DataLoader<QuestionsByCall>>()?
            .load_one(self.0.id.clone())
            .await?;
        Ok(all
            .unwrap_or_default()
            .into_iter()
            .filter(|q| calls::question_visible(viewer, &self.0.orderer_id, q))
            .map(Question)
            .collect())
    }
    /// How many of the call's questions have no answer yet: for the call's orderer only
    /// (null for everyone else).
    async fn unanswered_questions(&self, ctx: &Context<'_>) -> Result<Option<i32>> {
        match caller(ctx)?.viewer() {
            Viewer::Orderer(org) if org == self.0.orderer_id => {}
            _ => return Ok(None),
        }
        let all = ctx
            .data::<DataLoader<QuestionsByCall>>()?
            .load_one(self.0.id.clone())
            .await?;
        let n = all
            .unwrap_or_default()
            .iter()
            .filter(|q| q.answer.is_none())
            .count();
        Ok(Some(i32::try_from(n).unwrap_or(i32::MAX)))
    }
    /// Null before the submission deadline, for everybody.
    async fn bid_count(&self, ctx: &Context<'_>) -> Result<Option<i32>> {
        if !crate::domain::bid::bid_count_visible(self.bids_open(ctx)?) {
            return Ok(None);
        }
        crate::service::seal::ensure_open(super::state(ctx)?, &self.0).await?;
        let n = ctx
            .data::<DataLoader<BidCountByCall>>()?
            .load_one(self.0.id.clone())
            .await?;
        Ok(Some(i32::try_from(n.unwrap_or(0)).unwrap_or(i32::MAX)))
    }
    /// Before the deadline: only the caller's own bid. After it: all bids for the orderer, own bid for a bidder.
    async fn bids(&self, ctx: &Context<'_>) -> Result<Vec<Bid>> {
        let now = request_time(ctx)?;
        let viewer = caller(ctx)?.viewer();
        let candidates = match viewer {
            Viewer::Producer(org) => own_bid(ctx, &self.0.id, org).await?.into_iter().collect(),
            Viewer::Orderer(org)
                if org == self.0.orderer_id && crate::service::seal::bids_open(&self.0, now) =>
            {
                crate::service::seal::ensure_open(super::state(ctx)?, &self.0).await?;
                ctx.data::<DataLoader<BidsByCall>>()?
                    .load_one(self.0.id.clone())
                    .await?
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        };
        Ok(candidates
            .into_iter()
            .filter(|b| bids::may_see(viewer, b, &self.0, now))
            .map(Bid)
            .collect())
    }
    /// Orderer only, after the deadline.
    async fn evaluation(&self, ctx: &Context<'_>) -> Result<Option<super::evaluation::Evaluation>> {
        let data =
            crate::service::evaluation::evaluation_of(super::cx(ctx)?, &self.0, request_time(ctx)?)
                .await?;
        Ok(data.map(|d| super::evaluation::Evaluation {
            data: std::sync::Arc::new(d),
            show_results: true,
        }))
    }
    /// The award decision and its public ranking, once the call is awarded.
    async fn award(&self, ctx: &Context<'_>) -> Result<Option<super::evaluation::Award>> {
        super::evaluation::award_for(ctx, &self.0).await
    }
    /// The orderer sees every request; a bidder its own; others none.
    async fn correction_requests(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<super::remedies::CorrectionRequest>> {
        super::remedies::corrections_of(ctx, &self.0).await
    }
    /// The call's orderer and its bidders see them.
    async fn appeals(&self, ctx: &Context<'_>) -> Result<Vec<super::remedies::Appeal>> {
        super::remedies::appeals_of(ctx, &self.0).await
    }
    /// Why the orderer declared the call unsuccessful, if it did.
    async fn unsuccessful_reason(&self) -> Option<&str> {
        self.0.unsuccessful_reason.as_deref()
    }
    /// The caller's own current bid, if any.
    async fn my_bid(&self, ctx: &Context<'_>) -> Result<Option<Bid>> {
        match caller(ctx)?.viewer() {
            Viewer::Producer(org) => Ok(own_bid(ctx, &self.0.id, org).await?.map(Bid)),
            _ => Ok(None),
        }
    }
}

/// A bid's lines and the call lines they price, by call line id.
pub async fn priced_lines(
    ctx: &Context<'_>,
    bid_id: &str,
) -> Result<(
    Vec<bid_line::Model>,
    std::collections::HashMap<String, call_line::Model>,
)> {
    let lines = ctx
        .data::<DataLoader<LinesByBid>>()?
        .load_one(bid_id.to_owned())
        .await?
        .unwrap_or_default();
    let call_lines = ctx
        .data::<DataLoader<CallLineLoader>>()?
        .load_many(lines.iter().map(|l| l.call_line_id.clone()))
        .await?;
    Ok((lines, call_lines))
}

async fn own_bid(ctx: &Context<'_>, call_id: &str, org: &str) -> Result<Option<bid::Model>> {
    Ok(ctx
        .data::<DataLoader<OwnBidLoader>>()?
        .load_one((call_id.to_owned(), org.to_owned()))
        .await?)
}

pub struct CallLine(pub call_line::Model);

#[Object]
impl CallLine {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn product(&self, ctx: &Context<'_>) -> Result<Product> {
        product_by_id(ctx, &self.0.product_id).await
    }
    async fn quantity(&self) -> Dec {
        Dec(self.0.quantity.0)
    }
    /// The lot the line belongs to; null on a call without lots.
    async fn lot(&self, ctx: &Context<'_>) -> Result<Option<super::lots::Lot>> {
        super::lots::lot_by_id(ctx, self.0.lot_id.as_ref()).await
    }
}

pub struct EvaluationCriteria(pub call::Model);

#[Object]
impl EvaluationCriteria {
    async fn price_weight(&self) -> i32 {
        self.0.price_weight
    }
    async fn quality_criteria(&self, ctx: &Context<'_>) -> Result<Vec<QualityCriterion>> {
        let list = super::loaders::kept_one::<CriteriaByCall>(ctx, &self.0.id).await?;
        Ok(list
            .unwrap_or_default()
            .into_iter()
            .map(QualityCriterion)
            .collect())
    }
    async fn min_turnover_ratio(&self) -> Option<Dec> {
        self.0.min_turnover_ratio.map(|m| Dec(m.0))
    }
    async fn min_equity_ratio(&self) -> Option<Dec> {
        self.0.min_equity_ratio.map(|m| Dec(m.0))
    }
    async fn min_credit_rating(&self) -> Option<GqlCreditRating> {
        self.0.min_credit_rating.map(Into::into)
    }
    async fn capability_requirements(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<CapabilityRequirement>> {
        let list = super::loaders::kept_one::<RequirementsByCall>(ctx, &self.0.id).await?;
        Ok(list
            .unwrap_or_default()
            .into_iter()
            .map(CapabilityRequirement)
            .collect())
    }
    async fn max_subcontracting_share(&self) -> Option<Dec> {
        self.0.max_subcontracting_share.map(|m| Dec(m.0))
    }
}

pub struct QualityCriterion(pub quality_criterion::Model);

#[Object]
impl QualityCriterion {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn weight(&self) -> i32 {
        self.0.weight
    }
    async fn max_points(&self) -> i32 {
        self.0.max_points
    }
}

pub struct CapabilityRequirement(pub capability_requirement::Model);

#[Object]
impl CapabilityRequirement {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn text(&self) -> &str {
        &self.0.text
    }
}

/// A question on a call and its public answer. The asker is not part of it.
pub struct Question(pub question::Model);

#[Object]
impl Question {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn text(&self) -> &str {
        &self.0.text
    }
    async fn answer(&self) -> Option<&str> {
        self.0.answer.as_deref()
    }
    async fn asked_at(&self) -> Ts {
        Ts(self.0.asked_at)
    }
    async fn answered_at(&self) -> Option<Ts> {
        self.0.answered_at.map(Ts)
    }
    /// When the published answer was last replaced; null unless it was edited.
    async fn answer_edited_at(&self) -> Option<Ts> {
        self.0.answer_edited_at.map(Ts)
    }
}

/// A sealed bid, as its bidder (or, after the deadline, the orderer) sees it.
pub struct Bid(pub bid::Model);

#[Object]
impl Bid {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn call(&self, ctx: &Context<'_>) -> Result<CallForTenders> {
        ctx.data::<DataLoader<CallLoader>>()?
            .load_one(self.0.call_id.clone())
            .await?
            .map(CallForTenders)
            .ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!("bid {} has no call", self.0.id)).into()
            })
    }
    async fn bidder(&self, ctx: &Context<'_>) -> Result<Organization> {
        organization_by_id(ctx, &self.0.bidder_id).await
    }
    async fn in_house(&self) -> bool {
        self.0.in_house
    }
    async fn status(&self) -> GqlBidStatus {
        self.0.status.into()
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Sealed with the bid: its bidder, and the orderer once the bids are open. Their SHA-256
    /// are part of the receipt.
    async fn documents(&self, ctx: &Context<'_>) -> Result<Vec<super::documents::Document>> {
        super::documents::of(ctx, crate::service::documents::BID, &self.0.id).await
    }
    /// The lots the bid covers (it prices every line of each), by number; none on a call
    /// without lots.
    async fn lots(&self, ctx: &Context<'_>) -> Result<Vec<super::lots::Lot>> {
        super::lots::lots_of_bid(ctx, &self.0.id).await
    }
    /// In the order of the call's lines.
    async fn lines(&self, ctx: &Context<'_>) -> Result<Vec<BidLine>> {
        let (lines, call_lines) = priced_lines(ctx, &self.0.id).await?;
        let mut out = Vec::with_capacity(lines.len());
        for l in lines {
            let cl = call_lines
                .get(&l.call_line_id)
                .cloned()
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("bid line without call line")))?;
            out.push(BidLine {
                line: l,
                call_line: cl,
            });
        }
        out.sort_by_key(|l| l.call_line.position);
        Ok(out)
    }
    async fn total_price(&self) -> Dec {
        Dec::money(self.0.total_price.0)
    }
    async fn annual_turnover(&self) -> Dec {
        Dec(self.0.annual_turnover.0)
    }
    async fn equity_ratio(&self) -> Dec {
        Dec(self.0.equity_ratio.0)
    }
    async fn credit_rating(&self) -> GqlCreditRating {
        self.0.credit_rating.into()
    }
    async fn capability_responses(&self, ctx: &Context<'_>) -> Result<Vec<CapabilityResponse>> {
        let rs = responses(ctx, &self.0.id, ResponseKind::Capability).await?;
        let reqs = ctx
            .data::<DataLoader<RequirementLoader>>()?
            .load_many(rs.iter().map(|r| r.target_id.clone()))
            .await?;
        Ok(rs
            .into_iter()
            .filter_map(|r| {
                reqs.get(&r.target_id)
                    .cloned()
                    .map(|req| CapabilityResponse {
                        requirement: CapabilityRequirement(req),
                        evidence: r.text,
                    })
            })
            .collect())
    }
    async fn quality_responses(&self, ctx: &Context<'_>) -> Result<Vec<QualityResponse>> {
        let rs = responses(ctx, &self.0.id, ResponseKind::Quality).await?;
        let crits = ctx
            .data::<DataLoader<CriterionLoader>>()?
            .load_many(rs.iter().map(|r| r.target_id.clone()))
            .await?;
        Ok(rs
            .into_iter()
            .filter_map(|r| {
                crits.get(&r.target_id).cloned().map(|c| QualityResponse {
                    criterion: QualityCriterion(c),
                    text: r.text,
                })
            })
            .collect())
    }
    async fn subcontracting_share(&self) -> Dec {
        Dec(self.0.subcontracting_share.0)
    }
    async fn submitted_at(&self) -> Ts {
        Ts(self.0.submitted_at)
    }
    /// SHA-256 over the canonical bid content and submittedAt (see the README).
    async fn receipt(&self) -> &str {
        &self.0.receipt
    }
    /// The call version this bid was submitted against.
    async fn call_version(&self) -> i32 {
        self.0.call_version
    }
    /// False once the call has changed materially (lines, weights, criteria, requirements)
    /// after this submission: such a bid is not evaluated unless submitted again.
    async fn current(&self, ctx: &Context<'_>) -> Result<bool> {
        let c = ctx
            .data::<DataLoader<CallLoader>>()?
            .load_one(self.0.call_id.clone())
            .await?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("bid {} has no call", self.0.id)))?;
        Ok(self.0.call_version >= c.material_version)
    }
}

/// A change made to a published call.
pub struct CallChange(pub entity::call_change::Model);

#[Object]
impl CallChange {
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    async fn changed_at(&self) -> Ts {
        Ts(self.0.changed_at)
    }
    /// The input fields that changed, e.g. ["submissionDeadline", "lines"].
    async fn fields(&self) -> Vec<String> {
        crate::service::call_change::fields_of(&self.0)
    }
}

/// What `changeCall` changes; a field left out keeps its value.
#[derive(InputObject)]
pub struct CallChangeInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub questions_deadline: Option<Ts>,
    pub submission_deadline: Option<Ts>,
    pub lines: Option<Vec<CallLineInput>>,
    /// A call in lots: all its lots, in order, with their titles and lines (the lines of a
    /// call in lots are changed here; `lines` is then left out). A material change when the
    /// lines change.
    pub lots: Option<Vec<super::lots::LotInput>>,
    pub price_weight: Option<i32>,
    pub quality_criteria: Option<Vec<QualityCriterionInput>>,
    pub capability_requirements: Option<Vec<String>>,
    /// The organisation's uploads to add to the call's documents (a change of its own,
    /// field `documentIds`); at most 20 per call.
    pub document_ids: Option<Vec<ID>>,
    /// A new estimated value, excluding VAT (not a material change).
    pub estimated_value: Option<Dec>,
    /// The title in Swedish ; blank removes it (not a material change).
    pub title_sv: Option<String>,
    /// The title in English.
    pub title_en: Option<String>,
    /// The description in Swedish.
    pub description_sv: Option<String>,
    /// The description in English.
    pub description_en: Option<String>,
}

async fn responses(
    ctx: &Context<'_>,
    bid_id: &str,
    kind: ResponseKind,
) -> Result<Vec<entity::bid_response::Model>> {
    let all = ctx
        .data::<DataLoader<ResponsesByBid>>()?
        .load_one(bid_id.to_owned())
        .await?;
    Ok(all
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.kind == kind)
        .collect())
}

pub struct BidLine {
    line: bid_line::Model,
    call_line: call_line::Model,
}

#[Object]
impl BidLine {
    async fn call_line(&self) -> CallLine {
        CallLine(self.call_line.clone())
    }
    async fn unit_price(&self) -> Dec {
        Dec(self.line.unit_price.0)
    }
    /// quantity x unit price
    async fn line_total(&self) -> Dec {
        Dec::money(crate::domain::money::line_total(
            self.call_line.quantity.0,
            self.line.unit_price.0,
        ))
    }
}

pub struct CapabilityResponse {
    requirement: CapabilityRequirement,
    evidence: String,
}

#[Object]
impl CapabilityResponse {
    async fn requirement(&self) -> &CapabilityRequirement {
        &self.requirement
    }
    async fn evidence(&self) -> &str {
        &self.evidence
    }
}

pub struct QualityResponse {
    criterion: QualityCriterion,
    text: String,
}

#[Object]
impl QualityResponse {
    async fn criterion(&self) -> &QualityCriterion {
        &self.criterion
    }
    async fn text(&self) -> &str {
        &self.text
    }
}

#[derive(SimpleObject)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

#[derive(SimpleObject)]
pub struct CallEdge {
    pub node: CallForTenders,
    pub cursor: String,
}

#[derive(SimpleObject)]
pub struct CallConnection {
    pub edges: Vec<CallEdge>,
    pub page_info: PageInfo,
    pub total_count: i32,
}

#[derive(InputObject)]
pub struct CallFilter {
    pub status: Option<GqlCallStatus>,
    pub orderer_id: Option<ID>,
    pub product_id: Option<ID>,
    pub search: Option<String>,
    /// Calls with at least one line whose product is in this category (exact match).
    pub category: Option<String>,
}

#[derive(InputObject)]
pub struct CallLineInput {
    pub product_id: ID,
    pub quantity: Dec,
}

impl From<CallLineInput> for crate::domain::call::NewLine {
    fn from(l: CallLineInput) -> Self {
        crate::domain::call::NewLine {
            product_id: l.product_id.0,
            quantity: l.quantity.0,
            lot: None,
        }
    }
}

impl From<QualityCriterionInput> for crate::domain::call::NewCriterion {
    fn from(q: QualityCriterionInput) -> Self {
        crate::domain::call::NewCriterion {
            name: q.name,
            weight: q.weight,
            max_points: q.max_points,
        }
    }
}

#[derive(InputObject)]
pub struct QualityCriterionInput {
    pub name: String,
    pub weight: i32,
    pub max_points: i32,
}

#[derive(InputObject)]
pub struct CreateCallInput {
    pub title: String,
    pub description: String,
    pub pricing_model: GqlPricingModel,
    pub lines: Vec<CallLineInput>,
    /// Either lines or lots: with lots, the call's lines are the lots' lines.
    pub lots: Option<Vec<super::lots::LotInput>>,
    pub contract_start: NaiveDate,
    pub contract_end: NaiveDate,
    pub questions_deadline: Ts,
    pub submission_deadline: Ts,
    pub standstill_days: Option<i32>,
    pub price_weight: i32,
    pub quality_criteria: Vec<QualityCriterionInput>,
    pub min_turnover_ratio: Option<Dec>,
    pub min_equity_ratio: Option<Dec>,
    pub min_credit_rating: Option<GqlCreditRating>,
    pub capability_requirements: Vec<String>,
    pub max_subcontracting_share: Option<Dec>,
    /// Uploaded documents of the organisation to attach (at most 20).
    pub document_ids: Option<Vec<ID>>,
    /// The orderer's estimated value, excluding VAT, in whole cents: the notice regime follows.
    pub estimated_value: Option<Dec>,
    /// The title in Swedish (as notices carry it; the portal shows it to Swedish-speaking users).
    pub title_sv: Option<String>,
    /// The title in English.
    pub title_en: Option<String>,
    /// The description in Swedish.
    pub description_sv: Option<String>,
    /// The description in English.
    pub description_en: Option<String>,
}

#[derive(InputObject)]
pub struct BidLineInput {
    pub call_line_id: ID,
    pub unit_price: Dec,
}

#[derive(InputObject)]
pub struct CapabilityResponseInput {
    pub requirement_id: ID,
    pub evidence: String,
}

#[derive(InputObject)]
pub struct QualityResponseInput {
    pub criterion_id: ID,
    pub text: String,
}

#[derive(InputObject)]
pub struct SubmitBidInput {
    pub call_id: ID,
    pub lines: Vec<BidLineInput>,
    pub annual_turnover: Dec,
    pub equity_ratio: Dec,
    pub credit_rating: GqlCreditRating,
    pub capability_responses: Vec<CapabilityResponseInput>,
    pub quality_responses: Vec<QualityResponseInput>,
    pub subcontracting_share: Option<Dec>,
    /// Uploads of the organisation to attach, sealed with the bid (at most 20). A new
    /// submission's attachments are those it names.
    pub document_ids: Option<Vec<ID>>,
}
